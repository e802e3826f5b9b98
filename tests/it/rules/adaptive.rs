//! The `adaptive` behaviour rule (Roth–Erev reinforcement over venue choices) through
//! the library API and the CLI, on `scenarios/adaptive-venues.toml`: the scenario
//! validates and learning converges on the club venue; `learning.csv` is written;
//! outputs are byte-identical for 1 and 2 threads; bad parameters are reported with
//! file, line and field. Short runs (60 to 150 ticks, a few runs) keep it fast.

use std::fs;

use minilat::metrics::RunSummary;

use crate::common::minilat;
use crate::library::{column, load, summaries};
use crate::repo;

/// The scenario learns: over 150 ticks (8 runs) concentration rises from 1/3 to well
/// above it, and the club venue (technology) is the most likely action of most states.
/// Measured with 100 runs of the full 300 ticks (CLI): concentration 0.946 at the
/// end, 0.82 at tick 100; choice_technology 0.895.
#[test]
fn the_scenario_validates_and_learning_concentrates_on_the_club() {
    let s = load("adaptive-venues", &["scenario.ticks=150"]);
    let runs = summaries(&s, 8);
    let mean = |name: &str| {
        let v = column(&s, &runs, name);
        v.iter().sum::<f64>() / v.len() as f64
    };
    let concentration = mean("concentration");
    assert!(concentration > 0.75, "concentration {concentration}");
    let tech = mean("choice_technology");
    assert!(
        tech > 0.6 && tech > mean("choice_none") && tech > mean("choice_climate"),
        "choice_technology {tech}"
    );
    let cols = RunSummary::columns(&s);
    for name in [
        "converged_tick",
        "switches",
        "choice_none",
        "choice_climate",
    ] {
        assert!(cols.iter().any(|c| c == name), "{name} in {cols:?}");
    }
}

#[test]
fn one_and_two_threads_write_identical_files_with_learning_csv() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let scenario = repo("scenarios/adaptive-venues.toml");
    let a = super::same_files_on_one_and_two_threads(
        tmp.path(),
        &[
            scenario.to_str().expect("utf-8 path"),
            "--runs",
            "4",
            "--set",
            "scenario.ticks=60",
        ],
        &["runs.csv", "ticks.csv", "summary.csv", "learning.csv"],
    );
    let text = fs::read_to_string(a.join("learning.csv")).expect("learning.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("state,iso3,runs,p_none,p_climate,p_technology,learned,agreement,switches")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 19, "the 19 G20 countries");
    for row in &rows {
        assert_eq!(row[2], "4", "every state learns in every run: {row:?}");
        let p: f64 = row[3..6].iter().map(|x| x.parse::<f64>().expect("p")).sum();
        assert!((p - 1.0).abs() < 1e-9, "probabilities sum to 1: {row:?}");
        assert!(["none", "climate", "technology"].contains(&row[6]));
        let agreement: f64 = row[7].parse().expect("agreement");
        assert!((0.0..=1.0).contains(&agreement));
    }
    // The ticks start near 1/M = 1/3 and the concentration column is there.
    let ticks = fs::read_to_string(a.join("ticks.csv")).expect("ticks.csv");
    let header: Vec<&str> = ticks.lines().next().expect("header").split(',').collect();
    let k = header
        .iter()
        .position(|&c| c == "concentration")
        .expect("concentration column");
    let first: f64 = ticks
        .lines()
        .nth(1)
        .expect("tick 0")
        .split(',')
        .nth(k)
        .expect("cell")
        .parse()
        .expect("number");
    assert!(
        (first - 1.0 / 3.0).abs() < 0.05,
        "tick 0 concentration {first}"
    );
}

#[test]
fn bad_parameters_are_reported_with_file_line_and_field() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let text = fs::read_to_string(repo("scenarios/adaptive-venues.toml"))
        .expect("scenario")
        .replace("variant = \"basic\"", "variant = \"fast\"")
        .replace("experimentation = 0.02", "experimentation = 1.0")
        .replace(
            "data/states2016.csv",
            &repo("scenarios/data/states2016.csv").display().to_string(),
        )
        .replace(
            "data/memberships.csv",
            &repo("scenarios/data/memberships.csv").display().to_string(),
        );
    let path = tmp.path().join("bad.toml");
    fs::write(&path, &text).expect("write");
    let out = minilat(tmp.path())
        .arg("validate")
        .arg(&path)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(err.contains("behaviour.adaptive.variant"), "{err}");
    assert!(
        err.contains("behaviour.adaptive.experimentation") && err.contains("[0, 1)"),
        "{err}"
    );
    assert!(err.contains("bad.toml:"), "{err}");
}
