//! The CSV files as R and pandas users meet them (issue 15): every file written by a
//! run (one scenario per behaviour rule), a sweep and `minilat analyze` has column
//! names without spaces and writes yes-or-no columns as `true`/`false`; a sampled
//! design's values stay within the declared ranges; `memberships.csv` agrees with the
//! packed `members` cell of `coalitions.csv`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{csv_paths, minilat, read_csv as read};
use crate::fixtures::{MORRIS, QUICKSTART};
use crate::repo;

/// Words a spreadsheet, R or pandas user might take for a yes-or-no value.
fn looks_boolean(cell: &str) -> bool {
    matches!(
        cell.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "y" | "n" | "t" | "f"
    )
}

/// The problems of one file: column names with whitespace, and columns of yes-or-no
/// words other than `true`/`false`.
fn problems(path: &Path) -> Vec<String> {
    let (header, rows) = read(path);
    let name = path.file_name().expect("a name").to_string_lossy();
    let mut out = Vec::new();
    for (c, h) in header.iter().enumerate() {
        if h.is_empty() || h.chars().any(char::is_whitespace) {
            out.push(format!("{name}: column {c} is named {h:?}"));
        }
        let cells: Vec<&str> = rows
            .iter()
            .map(|r| r[c].as_str())
            .filter(|x| !x.is_empty())
            .collect();
        if !cells.is_empty() && cells.iter().all(|x| looks_boolean(x)) {
            let other: Vec<&&str> = cells
                .iter()
                .filter(|x| !matches!(**x, "true" | "false"))
                .collect();
            if let Some(x) = other.first() {
                out.push(format!("{name}: boolean column {h:?} holds {x:?}"));
            }
        }
    }
    out
}

fn run(dir: &Path, scenario: &str, out: &str) -> PathBuf {
    minilat(dir)
        .args(["run"])
        .arg(repo(scenario))
        .args(["--runs", "4", "--quiet", "--no-plots", "--out", out])
        .assert()
        .success();
    dir.join(out)
}

#[test]
fn every_csv_file_has_names_without_spaces_and_booleans_as_true_false() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let t = tmp.path();
    let mut dirs = Vec::new();
    for (scenario, out) in [
        (QUICKSTART, "utility"),
        ("scenarios/syria-2016-landscape.toml", "landscape"),
        ("scenarios/stability.toml", "stability"),
        ("scenarios/adaptive-venues.toml", "adaptive"),
        ("scenarios/g20-alliances.toml", "shapley"),
    ] {
        dirs.push(run(t, scenario, out));
    }
    fs::write(t.join("morris.toml"), MORRIS).expect("written");
    minilat(t)
        .arg("sweep")
        .arg(repo(QUICKSTART))
        .args(["--design-file", "morris.toml", "--set", "scenario.ticks=20"])
        .args(["--quiet", "--no-plots", "--out", "sweep"])
        .assert()
        .success();
    minilat(t)
        .args([
            "analyze",
            "sweep",
            "--bootstrap",
            "20",
            "--no-plots",
            "--quiet",
        ])
        .args(["--condition", "progress_climate > 0.1"])
        .assert()
        .success();
    dirs.push(t.join("sweep"));

    let mut seen = Vec::new();
    let mut found = Vec::new();
    for dir in &dirs {
        for path in csv_paths(dir) {
            found.extend(problems(&path));
            seen.push(
                path.file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    seen.sort();
    seen.dedup();
    for must in [
        "runs.csv",
        "coalitions.csv",
        "memberships.csv",
        "ticks.csv",
        "summary.csv",
        "points.csv",
        "states.csv",
        "lifetimes.csv",
        "configurations.csv",
        "stability.csv",
        "learning.csv",
        "hierarchy.csv",
        "sensitivity.csv",
        "prim.csv",
    ] {
        assert!(seen.iter().any(|s| s == must), "no {must} among {seen:?}");
    }
    assert!(found.is_empty(), "{}", found.join("\n"));

    // The boolean columns that exist are written true/false (not just absent).
    for (file, column) in [
        ("utility/states.csv", "great_power"),
        ("landscape/configurations.csv", "local_minimum"),
        ("landscape/configurations.csv", "global_minimum"),
        ("sweep/prim.csv", "chosen"),
    ] {
        let (header, rows) = read(&t.join(file));
        let c = header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("{file} has no column {column}"));
        assert!(
            rows.iter().any(|r| r[c] == "true"),
            "{file}: {column} is never true"
        );
    }

    // The Morris design's values stay within the declared ranges, whose ends it
    // reaches exactly (0.05 + 1 × 0.4 was 0.45000000000000007).
    let (header, rows) = read(&t.join("sweep/runs.csv"));
    for (param, lo, hi) in [
        ("decision.temperature", 0.05, 0.45),
        ("behaviour.temperature", 0.01, 0.3),
        ("behaviour.review_rate", 0.1, 0.7),
    ] {
        let c = header.iter().position(|h| h == param).expect("a column");
        let values: Vec<f64> = rows
            .iter()
            .map(|r| r[c].parse().expect("a number"))
            .collect();
        assert!(
            values.iter().all(|v| (lo..=hi).contains(v)),
            "{param} outside [{lo}, {hi}]: {values:?}"
        );
        assert!(
            values.iter().any(|&v| v == lo || v == hi),
            "{param} reaches an end of its range: {values:?}"
        );
    }
}

/// One coalition of `coalitions.csv`: founder, founded, ended, reason, members.
struct Coalition {
    founder: String,
    founded: u32,
    ended: u32,
    reason: String,
    members: Vec<String>,
}

/// One row of `memberships.csv`: member, joined, left.
type Stay = (String, u32, Option<u32>);

/// Checks `memberships.csv` of `dir` against its `coalitions.csv`: the same
/// coalitions in the same order, every member in joining order with the founder first
/// at the founding tick, stays within the coalition's life, open stays only when the
/// coalition lasted to the end of the run. Returns (stays, stays ended by a departure).
fn check_memberships(dir: &Path) -> (usize, usize) {
    let (ch, crows) = read(&dir.join("coalitions.csv"));
    let (mh, mrows) = read(&dir.join("memberships.csv"));
    let key = if ch[0] == "point" { 2 } else { 1 };
    assert_eq!(&mh[..key], &ch[..key], "the same key columns");
    assert_eq!(
        &mh[key..],
        ["coalition", "member", "joined", "left"],
        "memberships.csv's own columns"
    );
    let at = |name: &str| ch.iter().position(|h| h == name).expect("a column");
    let mut coalitions: BTreeMap<(Vec<String>, u32), Coalition> = BTreeMap::new();
    let mut order = Vec::new();
    for r in &crows {
        let k = (r[..key].to_vec(), r[at("id")].parse().expect("an id"));
        order.push(k.clone());
        coalitions.insert(
            k,
            Coalition {
                founder: r[at("founder")].clone(),
                founded: r[at("founded")].parse().expect("a tick"),
                ended: r[at("ended")].parse().expect("a tick"),
                reason: r[at("reason")].clone(),
                members: r[at("members")].split(';').map(String::from).collect(),
            },
        );
    }
    let mut stays: BTreeMap<(Vec<String>, u32), Vec<Stay>> = BTreeMap::new();
    let mut seen_order = Vec::new();
    for r in &mrows {
        let k = (r[..key].to_vec(), r[key].parse().expect("a coalition"));
        if seen_order.last() != Some(&k) {
            seen_order.push(k.clone());
        }
        let left = (!r[key + 3].is_empty()).then(|| r[key + 3].parse().expect("a tick"));
        stays.entry(k).or_default().push((
            r[key + 1].clone(),
            r[key + 2].parse().expect("a tick"),
            left,
        ));
    }
    assert_eq!(
        seen_order, order,
        "coalitions in the order of coalitions.csv"
    );
    let mut departures = 0;
    for (k, c) in &coalitions {
        let s = &stays[k];
        assert_eq!(
            (&s[0].0, s[0].1),
            (&c.founder, c.founded),
            "{k:?}: the founder first, at the founding tick"
        );
        let mut distinct: Vec<&String> = Vec::new();
        for (m, _, _) in s {
            if !distinct.contains(&m) {
                distinct.push(m);
            }
        }
        let members: Vec<&String> = c.members.iter().collect();
        assert_eq!(distinct, members, "{k:?}: everyone who was ever a member");
        for (m, joined, left) in s {
            assert!(
                c.founded <= *joined && *joined <= c.ended,
                "{k:?}: {m} joined at {joined}"
            );
            match left {
                Some(l) => {
                    assert!(
                        joined <= l && *l <= c.ended,
                        "{k:?}: {m} joined {joined}, left {l}"
                    );
                    if *l < c.ended {
                        departures += 1;
                    }
                }
                None => assert_eq!(
                    c.reason, "run_ended",
                    "{k:?}: {m} is still a member, so the coalition lasted"
                ),
            }
        }
        // A coalition that lasted to the end has its last members still inside.
        if c.reason == "run_ended" {
            assert!(s.iter().filter(|x| x.2.is_none()).count() >= 2, "{k:?}");
        } else {
            assert!(s.iter().all(|x| x.2.is_some()), "{k:?}");
        }
    }
    (mrows.len(), departures)
}

#[test]
fn memberships_csv_lists_every_member_of_every_coalition_with_its_ticks() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let t = tmp.path();
    let mut departures = 0;
    for (scenario, out) in [
        (QUICKSTART, "utility"),
        ("scenarios/g20-alliances.toml", "shapley"),
        ("scenarios/syria-2016-landscape.toml", "landscape"),
    ] {
        let dir = run(t, scenario, out);
        let (stays, left) = check_memberships(&dir);
        assert!(stays > 0, "{scenario}: some coalitions had members");
        departures += left;
    }
    assert!(
        departures > 0,
        "some members left before their coalition ended"
    );
    // A sweep with coalitions: `point, replicate` in place of `run`.
    minilat(t)
        .arg("sweep")
        .arg(repo(QUICKSTART))
        .args(["--replicates", "2", "--set", "sweep.coalitions=true"])
        .args(["--quiet", "--no-plots", "--out", "sweep"])
        .assert()
        .success();
    let (header, _) = read(&t.join("sweep/memberships.csv"));
    assert_eq!(header[..2], ["point", "replicate"]);
    check_memberships(&t.join("sweep"));
}

#[test]
fn the_csv_checker_catches_spaced_names_and_yes_no_booleans() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let bad = tmp.path().join("bad.csv");
    fs::write(
        &bad,
        "run,great power,adopted,ok\n0,1,yes,true\n1,2,no,false\n",
    )
    .expect("write");
    assert_eq!(
        problems(&bad),
        [
            "bad.csv: column 1 is named \"great power\"",
            "bad.csv: boolean column \"adopted\" holds \"yes\""
        ]
    );
}

#[test]
fn the_membership_check_catches_a_founder_out_of_place() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let t = tmp.path();
    fs::write(
        t.join("coalitions.csv"),
        "run,id,founder,founded,ended,reason,members\n0,0,USA,3,10,dissolved,USA;CHN\n",
    )
    .expect("write");
    let memberships = |rows: &str| {
        fs::write(
            t.join("memberships.csv"),
            format!("run,coalition,member,joined,left\n{rows}"),
        )
        .expect("write")
    };
    memberships("0,0,USA,3,10\n0,0,CHN,4,10\n");
    assert_eq!(check_memberships(t), (2, 0));
    memberships("0,0,CHN,3,10\n0,0,USA,3,10\n");
    let caught = std::panic::catch_unwind(|| check_memberships(t));
    assert!(caught.is_err(), "a coalition whose founder is not first");
}
