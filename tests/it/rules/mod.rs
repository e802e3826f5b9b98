//! The behaviour rules beyond `utility`, through the CLI and the library API: one
//! file per rule with hand-worked cases and determinism.

mod adaptive;
mod club;
mod landscape;
mod shapley;
mod stability;

use std::path::{Path, PathBuf};

use minilat::scenario::BehaviourRule;

use crate::common::{assert_same_files, minilat};
use crate::root;

/// Runs `minilat run ARGS --quiet --threads T --out DIR/T` in `dir` with 1 and with 2
/// threads and asserts that each of `files` is byte-identical; returns the 1-thread
/// output directory.
pub fn same_files_on_one_and_two_threads(dir: &Path, args: &[&str], files: &[&str]) -> PathBuf {
    for threads in ["1", "2"] {
        minilat(dir)
            .arg("run")
            .args(args)
            .args(["--quiet", "--threads", threads, "--out", threads])
            .assert()
            .success();
    }
    assert_same_files(&dir.join("1"), &dir.join("2"), files);
    dir.join("1")
}

/// The report of a rule's run shows the rule's own results first: each shipped
/// scenario's file as a table (lists of states readable), the Shapley hierarchy as a
/// tree; a `utility` run's report has none of these sections.
#[test]
fn each_rule_report_shows_its_own_results() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let cases = [
        (
            "g20-sanctions-landscape",
            "<h2 id=\"configurations\">",
            "China, Russia, Turkey, Saudi Arabia",
        ),
        (
            "stability",
            "<h2 id=\"stability\">",
            // Column names may break at their underscores (<wbr>).
            "<code>closed_<wbr>form</code>",
        ),
        (
            "adaptive-venues",
            "<h2 id=\"learning\">",
            "<td>technology</td>",
        ),
        ("g20-alliances", "<h2 id=\"hierarchy\">", "Alone at the end"),
        (
            "quickstart",
            "<h2>Summary over runs</h2>",
            "<h2>Charts</h2>",
        ),
    ];
    for (name, section, content) in cases {
        let file = root().join(format!("scenarios/{name}.toml"));
        minilat(tmp.path())
            .arg("run")
            .arg(&file)
            .args(["--runs", "4", "--quiet", "--out", name])
            .assert()
            .success();
        let html = std::fs::read_to_string(tmp.path().join(name).join("report.html"))
            .expect("report.html");
        assert!(html.contains(section), "{name}: no {section}");
        assert!(html.contains(content), "{name}: no {content}");
        let summary = html.find("<h2>Summary over runs</h2>").expect("a summary");
        assert!(
            html.find(section).unwrap() <= summary,
            "{name}: after the summary"
        );
        let rule_sections = ["configurations", "stability", "learning", "hierarchy"]
            .iter()
            .filter(|id| html.contains(&format!("<h2 id=\"{id}\">")))
            .count();
        let expected = usize::from(name != "quickstart");
        assert_eq!(rule_sections, expected, "{name}: rule sections");
        rule_facts_hold(&tmp.path().join(name));
    }
}

/// A run's directory holds exactly the files its rule's facts name beside the core's,
/// and `runs.csv` has every headline column of the rule.
fn rule_facts_hold(dir: &Path) {
    let rule = BehaviourRule::ALL
        .into_iter()
        .find(|r| {
            let manifest = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest");
            manifest.contains(&format!("\"rule\": \"{}\"", r.as_str()))
        })
        .expect("the manifest names a rule");
    let facts = rule.facts();
    let core = [
        "runs.csv",
        "coalitions.csv",
        "memberships.csv",
        "ticks.csv",
        "summary.csv",
        "states.csv",
        "coverage.csv",
        "lifetimes.csv",
        "manifest.json",
        "report.html",
        "charts",
    ];
    let mut extra: Vec<String> = std::fs::read_dir(dir)
        .expect("the run's directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| !core.contains(&n.as_str()))
        .collect();
    extra.sort();
    let mut named: Vec<String> = facts.files.iter().map(|f| f.to_string()).collect();
    named.sort();
    assert_eq!(extra, named, "{}: the rule's files", dir.display());
    let header = std::fs::read_to_string(dir.join("runs.csv")).expect("runs.csv");
    let header: Vec<&str> = header
        .lines()
        .next()
        .expect("a header")
        .split(',')
        .collect();
    for column in facts.headline {
        assert!(header.contains(column), "{}: no {column}", dir.display());
    }
}
