//! Bad scenarios get clear errors: `file:line:col: field: expected ..., found ...`,
//! every problem at once, exit code 2, and nothing written. Error texts are pinned by
//! snapshots; review a snapshot change like code.

use std::fs;
use std::path::Path;

use crate::common::minilat;

/// A small valid scenario; tests break one thing at a time.
const VALID: &str = r#"[scenario]
name = "tiny"
ticks = 5
runs = 3

[world]
capabilities = ["gdp"]

[[states]]
name = "Alpha"
iso3 = "ALP"
capabilities = { gdp = 1.0 }

[[states]]
name = "Beta"
iso3 = "BET"
capabilities = { gdp = 2.0 }
interests = { trade = { salience = 0.8, position = 0.4 } }

[[issues]]
name = "trade"
capability = "gdp"

[[bodies]]
name = "Council"
members = "all"
rule = "veto"
veto = ["ALP"]
"#;

/// Writes `text` as `bad.toml` in a fresh directory, runs `minilat ARGS bad.toml`,
/// checks exit code 2 and that no output was written, and returns stderr.
fn rejected(text: &str, extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().expect("a temp dir");
    write(tmp.path(), "bad.toml", text);
    let mut args = vec!["run", "bad.toml", "--quiet", "--out", "out"];
    args.extend_from_slice(extra);
    let out = minilat(tmp.path())
        .args(&args)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        !tmp.path().join("out").exists(),
        "output written despite bad input"
    );
    String::from_utf8(out.stderr).expect("utf-8 stderr")
}

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).expect("writable temp dir");
}

#[test]
fn the_valid_base_scenario_runs() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    write(tmp.path(), "ok.toml", VALID);
    minilat(tmp.path())
        .args(["validate", "ok.toml"])
        .assert()
        .success();
    minilat(tmp.path())
        .args(["run", "ok.toml", "--quiet"])
        .assert()
        .success();
    assert!(tmp.path().join("output/tiny/manifest.json").exists());
}

#[test]
fn rejects_unknown_decision_rule_with_line_and_column() {
    insta::assert_snapshot!(rejected(
        &VALID.replace(r#"rule = "veto""#, r#"rule = "majority""#),
        &[]
    ));
}

#[test]
fn rejects_salience_out_of_range() {
    insta::assert_snapshot!(rejected(
        &VALID.replace("salience = 0.8", "salience = 1.3"),
        &[]
    ));
}

#[test]
fn rejects_unknown_field_with_a_suggestion() {
    insta::assert_snapshot!(rejected(&VALID.replace("ticks = 5", "tciks = 5"), &[]));
}

#[test]
fn rejects_unknown_veto_holder_and_duplicate_issue_at_once() {
    let text = VALID.replace(r#"veto = ["ALP"]"#, r#"veto = ["ALX"]"#)
        + "\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n";
    insta::assert_snapshot!(rejected(&text, &[]));
}

#[test]
fn rejects_wrong_type_and_empty_membership() {
    let text = VALID
        .replace("ticks = 5", r#"ticks = "five""#)
        .replace(r#"members = "all""#, r#"members = { region = "Atlantis" }"#);
    insta::assert_snapshot!(rejected(&text, &[]));
}

#[test]
fn rejects_toml_syntax_errors_with_position() {
    insta::assert_snapshot!(rejected(&VALID.replace("runs = 3", "runs = = 3"), &[]));
}

#[test]
fn rejects_bad_overrides_like_the_file() {
    insta::assert_snapshot!(rejected(
        VALID,
        &[
            "--set",
            "coalitions.max_size=abc",
            "--set",
            "bodies.Nope.delay=3"
        ]
    ));
}

#[test]
fn rejects_a_missing_data_file() {
    let text = VALID.replace("[[states]]\nname = \"Alpha\"", "[data]\nfile = \"data/none.csv\"\ncapabilities = { gdp = \"gdp\" }\n\n[[states]]\nname = \"Alpha\"");
    let err = rejected(&text, &[]);
    assert!(
        err.contains("bad.toml:10:8: data.file: cannot read \"data/none.csv\""),
        "{err}"
    );
}

#[test]
fn rejects_a_bad_csv_row_with_its_row_number() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    fs::create_dir(tmp.path().join("data")).expect("mkdir");
    write(
        tmp.path(),
        "data/states.csv",
        "# source: test\nname,iso3,gdp\nGamma,GAM,3\nDelta,DEL,lots\n",
    );
    let text = VALID.replace("[[states]]\nname = \"Alpha\"", "[data]\nfile = \"data/states.csv\"\ncapabilities = { gdp = \"gdp\" }\n\n[[states]]\nname = \"Alpha\"");
    write(tmp.path(), "bad.toml", &text);
    let out = minilat(tmp.path())
        .args(["validate", "bad.toml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains(
            "data/states.csv:4:1: row 2: column gdp: expected a number >= 0, found \"lots\""
        ),
        "{err}"
    );
}

#[test]
fn garbage_input_never_panics() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for (i, text) in [
        "",
        "\u{0}\u{1}",
        "[scenario",
        "[[states]]\nname = 1",
        "a = [1, \"x\"]",
        &VALID[..VALID.len() / 2],
    ]
    .iter()
    .enumerate()
    {
        let name = format!("g{i}.toml");
        write(tmp.path(), &name, text);
        let out = minilat(tmp.path())
            .args(["validate", &name])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn rejects_an_unknown_legitimacy_basis_and_a_weight_out_of_range() {
    let text = format!("{VALID}\n[legitimacy]\nbasis = \"gdp\"\ncompliance = 1.5\n");
    let err = rejected(&text, &[]);
    assert!(err.contains("legitimacy.basis"), "{err}");
    assert!(err.contains("one of states, population"), "{err}");
    assert!(err.contains("legitimacy.compliance"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn rejects_disengaging_no_earlier_than_leaving() {
    let text = VALID.replace(
        "rule = \"veto\"\n",
        "rule = \"veto\"\nexit = { after = 3 }\ndisengage_after = 3\n",
    );
    let err = rejected(&text, &[]);
    assert!(
        err.contains("bodies[0].disengage_after: must be below `exit.after` (3)"),
        "{err}"
    );
}

/// `[coalitions] within` names a body the scenario does not declare: the known ones
/// are listed.
#[test]
fn rejects_within_an_unknown_body_listing_the_known_ones() {
    let err = rejected(&format!("{VALID}\n[coalitions]\nwithin = \"WTO\"\n"), &[]);
    assert!(
        err.contains("bad.toml:31:10: coalitions.within: expected one of Council; found \"WTO\""),
        "{err}"
    );
    let no_bodies = VALID.split("[[bodies]]").next().expect("a prefix");
    let err = rejected(&format!("{no_bodies}[coalitions]\nwithin = \"WTO\"\n"), &[]);
    assert!(
        err.contains("coalitions.within: names a body, but the scenario declares no [[bodies]]"),
        "{err}"
    );
}

/// `within` and `authorised_by` naming different bodies: coalitions form inside one.
#[test]
fn rejects_within_and_authorised_by_naming_different_bodies() {
    let text = format!(
        "{VALID}\n[[bodies]]\nname = \"WTO\"\nmembers = \"all\"\nrule = \"consensus\"\n\n[coalitions]\nauthorised_by = \"Council\"\nwithin = \"WTO\"\n"
    );
    let err = rejected(&text, &[]);
    assert!(
        err.contains(
            "bad.toml:37:10: coalitions.within: names \"WTO\" but authorised_by names \"Council\"; coalitions form inside one body"
        ),
        "{err}"
    );
    // The same body twice is allowed (within adds nothing to authorised_by).
    let tmp = tempfile::tempdir().expect("a temp dir");
    write(
        tmp.path(),
        "ok.toml",
        &format!("{VALID}\n[coalitions]\nauthorised_by = \"Council\"\nwithin = \"Council\"\n"),
    );
    minilat(tmp.path())
        .args(["validate", "ok.toml"])
        .assert()
        .success();
}

/// Plurilaterals are founded by the `utility` rule only, as enhanced cooperation is.
#[test]
fn rejects_within_under_another_behaviour_rule() {
    let text = format!(
        "{VALID}\n[coalitions]\nwithin = \"Council\"\n\n[behaviour]\nrule = \"stability\"\n"
    );
    let err = rejected(&text, &[]);
    assert!(
        err.contains(
            "bad.toml:31:10: coalitions.within: coalitions inside a body (plurilaterals) are founded by the \"utility\" behaviour rule only; this scenario uses \"stability\""
        ),
        "{err}"
    );
}

/// A body's members from a memberships file: a label the file does not have is named
/// with the labels it has.
#[test]
fn rejects_body_members_under_a_label_the_file_lacks() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    fs::create_dir(tmp.path().join("data")).expect("mkdir");
    write(
        tmp.path(),
        "data/wto.csv",
        "# source: test\nlabel,iso3,name\nwto,ALP,Alpha\n",
    );
    let text = VALID.replace(
        "members = \"all\"",
        "members = { file = \"data/wto.csv\", label = \"wtoo\" }",
    );
    write(tmp.path(), "bad.toml", &text);
    let out = minilat(tmp.path())
        .args(["validate", "bad.toml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("bad.toml:26:44: bodies[0].members.label: no label \"wtoo\" in \"data/wto.csv\"; it has wto"),
        "{err}"
    );
    // With the file's label the body is Alpha alone (Beta is not listed).
    write(tmp.path(), "ok.toml", &text.replace("\"wtoo\"", "\"wto\""));
    let s = minilat::scenario::Scenario::from_path(&tmp.path().join("ok.toml"), &[])
        .expect("valid")
        .scenario;
    assert_eq!(s.bodies[0].members, [minilat::model::ids::StateId(0)]);
}
