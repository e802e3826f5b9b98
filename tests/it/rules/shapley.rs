//! The `shapley` behaviour rule (bilateral Shapley value merging, Ketchpel 1994)
//! through the CLI and the library API: the hierarchy file agrees with
//! `coalitions.csv` and `runs.csv`, output is identical for any thread count, and
//! the shipped scenario `scenarios/g20-alliances.toml` validates, runs and shows its
//! mechanism (the cost of agreement caps the alliances).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{minilat, read_csv};
use crate::library::{assert_greater, load, metric};
use crate::repo;

type Table = (Vec<String>, Vec<Vec<String>>);

/// Cell `name` of `row`.
fn cell<'a>(t: &Table, row: &'a [String], name: &str) -> &'a str {
    let k =
        t.0.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", t.0));
    &row[k]
}

fn run_g20(dir: &Path, out: &str, threads: &str) {
    minilat(dir)
        .args([
            "run",
            repo("scenarios/g20-alliances.toml")
                .to_str()
                .expect("utf-8 path"),
            "--runs",
            "12",
            "--quiet",
            "--threads",
            threads,
            "--out",
            out,
        ])
        .assert()
        .success();
}

#[test]
fn the_cli_writes_a_hierarchy_that_agrees_with_coalitions_and_runs() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    run_g20(tmp.path(), "out", "2");
    let dir = tmp.path().join("out");
    let h = read_csv(&dir.join("hierarchy.csv"));
    assert_eq!(
        h.0,
        [
            "run",
            "node",
            "founded",
            "ended",
            "reason",
            "level",
            "size",
            "members",
            "child_alliances",
            "child_states",
            "parent"
        ]
    );
    let c = read_csv(&dir.join("coalitions.csv"));
    assert_eq!(h.1.len(), c.1.len(), "one node per coalition");
    // Per run: each node with a parent is one merge; a node's children are exactly
    // what it is made of; a child ended (merged) in the tick its parent was founded.
    let mut by_run: BTreeMap<String, Vec<&Vec<String>>> = BTreeMap::new();
    for row in &h.1 {
        by_run
            .entry(cell(&h, row, "run").to_string())
            .or_default()
            .push(row);
    }
    let runs = read_csv(&dir.join("runs.csv"));
    assert_eq!(runs.1.len(), 12);
    for row in &runs.1 {
        let run = cell(&runs, row, "run");
        let nodes = by_run.get(run).cloned().unwrap_or_default();
        let find = |id: &str| {
            nodes
                .iter()
                .find(|n| cell(&h, n, "node") == id)
                .unwrap_or_else(|| panic!("run {run}: no node {id}"))
        };
        // A merge of two single states founds a node without an alliance child;
        // every node (a merge) has two parts in all.
        let mut merges = 0;
        let mut tallest = 0;
        let mut roots = 0;
        for n in &nodes {
            merges += 1;
            let members: Vec<&str> = cell(&h, n, "members").split(';').collect();
            assert_eq!(cell(&h, n, "size"), members.len().to_string());
            let kids: Vec<&str> = cell(&h, n, "child_alliances")
                .split(';')
                .filter(|s| !s.is_empty())
                .collect();
            let singles: Vec<&str> = cell(&h, n, "child_states")
                .split(';')
                .filter(|s| !s.is_empty())
                .collect();
            assert_eq!(
                kids.len() + singles.len(),
                2,
                "run {run}: a merge has two parts"
            );
            let mut made_of: Vec<&str> = singles.clone();
            let mut level = 1;
            for k in &kids {
                let child = find(k);
                assert_eq!(cell(&h, child, "reason"), "merged");
                assert_eq!(cell(&h, child, "ended"), cell(&h, n, "founded"));
                assert_eq!(cell(&h, child, "parent"), cell(&h, n, "node"));
                made_of.extend(cell(&h, child, "members").split(';'));
                level = level.max(cell(&h, child, "level").parse::<u32>().unwrap() + 1);
            }
            made_of.sort();
            let mut sorted = members.clone();
            sorted.sort();
            assert_eq!(made_of, sorted, "run {run}: node {}", cell(&h, n, "node"));
            assert_eq!(cell(&h, n, "level"), level.to_string());
            if cell(&h, n, "reason") == "run_ended" {
                roots += 1;
                tallest = tallest.max(level);
            }
        }
        assert_eq!(cell(&runs, row, "merges"), merges.to_string(), "run {run}");
        assert_eq!(
            cell(&runs, row, "alliances"),
            roots.to_string(),
            "run {run}"
        );
        assert_eq!(
            cell(&runs, row, "hierarchy_depth"),
            tallest.to_string(),
            "run {run}"
        );
    }
    let tree = fs::read_to_string(dir.join("hierarchy.txt")).expect("hierarchy.txt");
    assert!(
        tree.starts_with("Run 0: alliances of alliances on climate"),
        "{tree}"
    );
    assert!(tree.contains("Alone at the end"), "{tree}");
    // The tick series carries the rule's columns.
    let ticks = read_csv(&dir.join("ticks.csv"));
    assert!(ticks.0.iter().any(|c| c == "alliances") && ticks.0.iter().any(|c| c == "merges"));
}

#[test]
fn one_and_two_threads_write_identical_files() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let scenario = repo("scenarios/g20-alliances.toml");
    super::same_files_on_one_and_two_threads(
        tmp.path(),
        &[scenario.to_str().expect("utf-8 path"), "--runs", "12"],
        &[
            "runs.csv",
            "coalitions.csv",
            "memberships.csv",
            "ticks.csv",
            "summary.csv",
            "hierarchy.csv",
            "hierarchy.txt",
        ],
    );
}

#[test]
fn the_g20_scenario_forms_alliances_that_the_cost_of_agreement_caps() {
    let s = load("g20-alliances", &["scenario.ticks=20"]);
    // At the shipped cost every run forms an alliance of several countries.
    let (alliances, _) = metric(&s, 40, "alliances");
    assert!(alliances >= 1.0, "mean alliances {alliances}");
    let base = metric(&s, 40, "largest_alliance");
    assert!(base.0 > 5.0, "largest alliance {base:?}");
    // Four times the cost of agreement: smaller alliances, fewer merges.
    let dear = load(
        "g20-alliances",
        &[
            "scenario.ticks=20",
            "behaviour.shapley.negotiation_cost=0.0016",
        ],
    );
    assert_greater(
        "largest alliance, shipped vs 4x cost of agreement",
        base,
        metric(&dear, 40, "largest_alliance"),
        4.0,
    );
    assert_greater(
        "merges, shipped vs 4x cost of agreement",
        metric(&s, 40, "merges"),
        metric(&dear, 40, "merges"),
        4.0,
    );
}

/// Issue 21, item 5: with Mesa's worth and matching, the shipped scenario
/// `mesa-alliances` reproduces the distribution of Mesa's own alliance_formation
/// example (Mesa 3.3.1 from PyPI, 300 seeds of 20 steps, scripts/mesa/mesa-3.3.1.csv:
/// 2.92 alliances at the end, 21.3 of 50 agents alone, depth 3.87, 25.8 merges).
/// Bounds are generous, wider than the spread of a 40-run mean, not centred tests
/// (the two-sample tests of scripts/mesa/compare.py are the comparison); the surplus
/// matching on the same worth gives a different structure.
#[test]
fn mesa_alliances_matches_mesa_3_3_1_alliance_formation() {
    let s = load("mesa-alliances", &[]);
    let within = |what: &str, (m, se): (f64, f64), lo: f64, hi: f64| {
        assert!(
            (lo..=hi).contains(&m),
            "{what}: mean {m:.3} (se {se:.3}) outside Mesa 3.3.1's [{lo}, {hi}]"
        );
    };
    within(
        "alliances at the end",
        metric(&s, 40, "alliances"),
        2.2,
        3.8,
    );
    within("agents alone", metric(&s, 40, "singletons"), 18.0, 25.0);
    within(
        "hierarchy depth",
        metric(&s, 40, "hierarchy_depth"),
        3.6,
        4.1,
    );
    within("merges", metric(&s, 40, "merges"), 23.0, 28.5);
    // The model's own matching on Mesa's worth pairs by surplus: nobody with a
    // partner close enough stays alone, so far fewer agents are left alone.
    let surplus = load("mesa-alliances", &["behaviour.shapley.matching=surplus"]);
    assert_greater(
        "agents alone, Mesa's matching vs the surplus matching",
        metric(&s, 40, "singletons"),
        metric(&surplus, 40, "singletons"),
        4.0,
    );
}

/// `matching = "mesa"` needs Mesa's worth, and says so at the field.
#[test]
fn mesa_matching_without_mesa_worth_is_an_error_at_the_field() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let text = fs::read_to_string(repo("scenarios/mesa-alliances.toml"))
        .expect("the scenario")
        .replace("worth = \"mesa\"\n", "")
        .replace(
            "data/mesa-agents.csv",
            &repo("scenarios/data/mesa-agents.csv").display().to_string(),
        );
    let path = tmp.path().join("m.toml");
    fs::write(&path, text).expect("written");
    let out = minilat(tmp.path())
        .args(["validate", path.to_str().expect("utf-8 path")])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("behaviour.shapley.matching: matching = \"mesa\" needs worth = \"mesa\""),
        "{err}"
    );
}

/// Mesa's matching draws only from each run's stream: one and two threads write the
/// same files.
#[test]
fn mesa_matching_writes_identical_files_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let scenario = repo("scenarios/mesa-alliances.toml");
    super::same_files_on_one_and_two_threads(
        tmp.path(),
        &[scenario.to_str().expect("utf-8 path"), "--runs", "12"],
        &[
            "runs.csv",
            "coalitions.csv",
            "ticks.csv",
            "hierarchy.csv",
            "hierarchy.txt",
        ],
    );
}
