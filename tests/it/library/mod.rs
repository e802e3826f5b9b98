//! The scenario library (`scenarios/*.toml`): every shipped scenario validates and
//! runs, and each demonstrates its mechanism, stated as a property of the model and
//! checked with enough runs that the Monte Carlo error is far below the effect.
//!
//! Tests run the library API (not the binary) so that a few thousand runs take
//! seconds; each states the Monte Carlo error it allows.

mod bloc_vs_issue;
mod classroom;
mod climate_club;
mod digital_nations;
mod e3_iran;
mod eu_enhanced_cooperation;
mod gcap;
mod indo_pacific;
mod microlateral;
mod naim;
mod naim_simple;
mod nato_two_tier;
mod sanctions;
mod tech_minilateral;
mod typology;
mod un_vs_g20;
mod wto_plurilaterals;

use std::path::PathBuf;
use std::sync::Arc;

use minilat::batch::{jobs, replicate_keys, run_batch};
use minilat::metrics::RunSummary;
use minilat::scenario::Scenario;

use crate::common::minilat;
use crate::repo;

/// `scenarios/<name>.toml` with `--set` overrides, validated.
pub fn load(name: &str, sets: &[&str]) -> Scenario {
    let path = repo(&format!("scenarios/{name}.toml"));
    let overrides: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match minilat::scenario::document::load_path(&path, &overrides) {
        Ok(loaded) => loaded.scenario,
        Err(e) => panic!("{} does not validate:\n{e}", path.display()),
    }
}

/// The summaries of runs `0..runs` of `scenario` (point 0), in run order.
pub fn summaries(scenario: &Scenario, runs: u32) -> Vec<RunSummary> {
    let mut out = Vec::with_capacity(runs as usize);
    run_batch(
        jobs(Arc::new(scenario.clone()), replicate_keys(runs)),
        |_, r| {
            out.push(r.summary);
            Ok::<(), ()>(())
        },
    )
    .expect("the sink never fails");
    out
}

/// The values of summary column `metric` (as in `runs.csv`).
pub fn column(scenario: &Scenario, runs: &[RunSummary], metric: &str) -> Vec<f64> {
    let cols = RunSummary::columns(scenario);
    let k = cols
        .iter()
        .position(|c| c == metric)
        .unwrap_or_else(|| panic!("no summary column {metric}; columns: {cols:?}"));
    let mut row = Vec::with_capacity(cols.len());
    runs.iter()
        .map(|r| {
            row.clear();
            r.values(&mut row);
            row[k]
        })
        .collect()
}

/// Mean and standard error of the finite values (NaN means "undefined" in a run and
/// is skipped), and how many there were.
pub fn mean_se(values: &[f64]) -> (f64, f64, usize) {
    let xs: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let n = xs.len();
    assert!(n >= 2, "fewer than two defined values");
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, (var / n as f64).sqrt(), n)
}

/// Mean of summary column `metric` over `runs` runs, with its standard error.
pub fn metric(scenario: &Scenario, runs: u32, metric: &str) -> (f64, f64) {
    let s = summaries(scenario, runs);
    let (m, se, _) = mean_se(&column(scenario, &s, metric));
    (m, se)
}

/// Asserts `a > b` by more than `z` combined standard errors (a one-sided test whose
/// false-failure rate at z = 4 is about 3 in 100,000 if the effect is real and large).
pub fn assert_greater(what: &str, a: (f64, f64), b: (f64, f64), z: f64) {
    let se = (a.1 * a.1 + b.1 * b.1).sqrt();
    assert!(
        a.0 - b.0 > z * se,
        "{what}: expected {:.4} (se {:.4}) > {:.4} (se {:.4}) by {z} standard errors",
        a.0,
        a.1,
        b.0,
        b.1
    );
}

/// Mean and standard error of summary column `name` over `runs`.
pub fn mean_of(s: &Scenario, runs: &[RunSummary], name: &str) -> (f64, f64) {
    let (m, se, _) = mean_se(&column(s, runs, name));
    (m, se)
}

/// The shipped scenario files, sorted.
fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("scenarios"))
        .expect("scenarios/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// The library named by the issue is shipped, every file validates (sweep and every
/// sweep point included) and runs a few short runs with every metric in range.
#[test]
fn every_shipped_scenario_validates_and_runs() {
    let files = shipped();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for wanted in [
        "quickstart",
        "naim",
        "un-vs-g20",
        "climate-club",
        "sanctions",
        "microlateral",
        "tech-minilateral",
        "nato-two-tier",
        "bloc-vs-issue",
        "eu-enhanced-cooperation",
        "wto-plurilaterals",
        "g20-sanctions-landscape",
        "europe-1936-landscape",
        "syria-2016-landscape",
        "stability",
        "barrett",
        "adaptive-venues",
        "g20-alliances",
        "mesa-alliances",
        "climate-club-nordhaus",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "scenarios/{wanted}.toml is missing"
        );
    }
    minilat(&crate::root())
        .arg("validate")
        .args(&files)
        .assert()
        .success();
    for name in &names {
        let s = load(name, &["scenario.ticks=8"]);
        let cols = RunSummary::columns(&s);
        for (r, run) in summaries(&s, 2).iter().enumerate() {
            let mut values = Vec::new();
            run.values(&mut values);
            for (c, v) in cols.iter().zip(&values) {
                assert!(!v.is_infinite(), "{name} run {r}: {c} = {v}");
                let bounded = c.starts_with("progress_")
                    || c.ends_with("_share")
                    || c.starts_with("participation_")
                    || c.starts_with("two_tier_")
                    || c.starts_with("deadlock");
                if bounded && v.is_finite() && !c.starts_with("progress_") {
                    assert!((0.0..=1.0).contains(v), "{name} run {r}: {c} = {v}");
                }
            }
        }
    }
}

/// Every design file under `scenarios/designs/<scenario>/` validates against its
/// scenario, every point included.
#[test]
fn every_shipped_design_file_validates() {
    let designs = repo("scenarios/designs");
    let Ok(dirs) = std::fs::read_dir(&designs) else {
        return;
    };
    for dir in dirs {
        let dir = dir.unwrap().path();
        let scenario = repo(&format!(
            "scenarios/{}.toml",
            dir.file_name().unwrap().to_string_lossy()
        ));
        assert!(
            scenario.exists(),
            "{} has no scenario {}",
            dir.display(),
            scenario.display()
        );
        for design in std::fs::read_dir(&dir).unwrap() {
            let design = design.unwrap().path();
            minilat(&crate::root())
                .arg("validate")
                .arg(&scenario)
                .arg("--design-file")
                .arg(&design)
                .assert()
                .success()
                .stdout(predicates::str::contains("sweep:"));
        }
    }
}

/// `minilat list` shows the whole library, none of it invalid.
#[test]
fn list_shows_the_library() {
    let out = minilat(&crate::root()).arg("list").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for file in shipped() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(text.contains(&name), "{name} not listed:\n{text}");
    }
    assert!(!text.contains("(invalid"), "{text}");
}
