//! `minilat calibrate`: a synthetic case whose true parameter is known (the target is
//! the quickstart's own climate progress at an efficiency of 0.04) must put the truth
//! inside the posterior's 95% interval; a parameter with no effect on the target (the
//! size of trade crises, in a scenario without trade crises) must be reported as not
//! identified; the fit is the same for any thread count and for merged shards; bad
//! tables are refused with the file, line, column and field.

use std::fs;
use std::path::Path;

use crate::common::{minilat, read_csv, stderr_of};
use crate::fixtures::QUICKSTART;
use crate::repo;

/// The quickstart at 40 ticks with a `[calibrate]` table fitting the climate issue's
/// efficiency (prior 0.01 to 0.1) and the trade issue's crisis boost (trade has no
/// crises) to `observed` climate progress.
fn scenario(dir: &Path, observed: f64, extra: &str) -> std::path::PathBuf {
    let base = fs::read_to_string(repo(QUICKSTART)).unwrap();
    let text = format!(
        "{base}\n[calibrate]\nsamples = 300\nreplicates = 3\naccept = 0.2\npredictive = 10\nseed = 5\n{extra}\
         [calibrate.params]\n\"issues.climate.efficiency\" = {{ min = 0.01, max = 0.1 }}\n\
         \"issues.trade.shock_boost\" = {{ min = 0.0, max = 1.0 }}\n\
         [[calibrate.targets]]\nmetric = \"progress_climate\"\nvalue = {observed}\nsd = 0.01\n\
         source = \"the quickstart at efficiency 0.04 (synthetic)\"\n"
    );
    let path = dir.join("calibrate.toml");
    fs::write(&path, text).unwrap();
    path
}

/// Mean climate progress of 60 runs of 40 ticks at efficiency 0.04.
fn truth(dir: &Path) -> f64 {
    let out = dir.join("truth");
    minilat(&repo(""))
        .args([
            "run",
            QUICKSTART,
            "--runs",
            "60",
            "--set",
            "scenario.ticks=40",
        ])
        .args([
            "--set",
            "issues.climate.efficiency=0.04",
            "--quiet",
            "--no-plots",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let (header, rows) = read_csv(&out.join("runs.csv"));
    let at = header.iter().position(|h| h == "progress_climate").unwrap();
    rows.iter()
        .map(|r| r[at].parse::<f64>().unwrap())
        .sum::<f64>()
        / rows.len() as f64
}

fn calibrate(file: &Path, out: &Path, extra: &[&str]) {
    minilat(&repo(""))
        .arg("calibrate")
        .arg(file)
        .args(["--set", "scenario.ticks=40", "--quiet", "--no-plots"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// calibration.csv as (parameter → (q025, q975, identification)).
fn intervals(dir: &Path) -> Vec<(String, f64, f64, String)> {
    let (header, rows) = read_csv(&dir.join("calibration.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    rows.iter()
        .map(|r| {
            (
                r[col("parameter")].clone(),
                r[col("q025")].parse().unwrap(),
                r[col("q975")].parse().unwrap(),
                r[col("identification")].clone(),
            )
        })
        .collect()
}

#[test]
fn the_true_parameter_is_recovered_and_an_unused_one_is_reported_unidentified() {
    let dir = tempfile::tempdir().unwrap();
    let observed = truth(dir.path());
    let file = scenario(dir.path(), observed, "");
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    calibrate(&file, &one, &["--threads", "1"]);
    calibrate(&file, &two, &["--threads", "2"]);
    let fit = intervals(&one);
    let (name, lo, hi, id) = &fit[0];
    assert_eq!(name, "issues.climate.efficiency");
    assert!(*lo < 0.04 && 0.04 < *hi, "[{lo}, {hi}]");
    assert_eq!(id, "identified", "[{lo}, {hi}]");
    assert_eq!(fit[1].0, "issues.trade.shock_boost");
    assert_eq!(fit[1].3, "not identified", "{:?}", fit[1]);
    let (header, rows) = read_csv(&one.join("fit.csv"));
    let consistent = header.iter().position(|h| h == "consistent").unwrap();
    assert_eq!(rows[0][consistent], "true");
    let (_, posterior) = read_csv(&one.join("posterior.csv"));
    assert_eq!(posterior.len(), 60, "20% of 300 draws kept");
    for f in ["posterior.csv", "calibration.csv", "fit.csv", "runs.csv"] {
        assert_eq!(
            fs::read(one.join(f)).unwrap(),
            fs::read(two.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    // The report opens with the calibration and charts each parameter's posterior.
    minilat(&repo(""))
        .arg("report")
        .arg(&one)
        .assert()
        .success();
    let report = fs::read_to_string(one.join("report.html")).unwrap();
    assert!(report.contains("<h2>Calibration</h2>"));
    assert!(report.contains("Posterior of issues.climate.efficiency: identified"));
    assert!(report.contains("Posterior: issues.climate.efficiency and issues.trade.shock_boost"));
    // Drawn in two shards, merged, then fitted: the same fit.
    let shards: Vec<_> = (0..2)
        .map(|i| dir.path().join(format!("shard{i}")))
        .collect();
    for (i, s) in shards.iter().enumerate() {
        calibrate(&file, s, &["--shard", &format!("{i}/2")]);
    }
    let merged = dir.path().join("merged");
    minilat(&repo(""))
        .arg("merge")
        .args(&shards)
        .args(["--quiet", "--out"])
        .arg(&merged)
        .assert()
        .success();
    minilat(&repo(""))
        .arg("calibrate")
        .arg(&file)
        .args([
            "--set",
            "scenario.ticks=40",
            "--quiet",
            "--no-plots",
            "--analyze",
        ])
        .arg(&merged)
        .assert()
        .success();
    for f in ["posterior.csv", "calibration.csv", "fit.csv"] {
        assert_eq!(
            fs::read(one.join(f)).unwrap(),
            fs::read(merged.join(f)).unwrap(),
            "{f} differs after sharding"
        );
    }
    // The draws of another file are refused.
    let other = scenario(dir.path(), observed + 0.1, "");
    let out = minilat(&repo(""))
        .arg("calibrate")
        .arg(&other)
        .args(["--set", "scenario.ticks=40", "--analyze"])
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("draws of another scenario file"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn bad_calibrate_tables_are_refused_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::read_to_string(repo(QUICKSTART)).unwrap();
    let lines = base.lines().count();
    for (table, line, want) in [
        (
            "[calibrate]\nsamples = 100\n[calibrate.params]\n\"issues.climate.efficiency\" = { min = 0.01, max = 0.1 }\n[[calibrate.targets]]\nmetric = \"progres_climate\"\nvalue = 0.1\nsd = 0.01\nsource = \"x\"\n",
            6,
            "calibrate.targets[0].metric: unknown metric \"progres_climate\"",
        ),
        (
            "[calibrate]\nsamples = 100\n[calibrate.params]\n\"issues.climate.efficiency\" = [0.01, 0.1]\n[[calibrate.targets]]\nmetric = \"progress_climate\"\nvalue = 0.1\nsd = 0.01\nsource = \"x\"\n",
            4,
            "calibrate.params.\"issues.climate.efficiency\": a calibrated parameter needs a prior range { min, max }",
        ),
        (
            "[calibrate]\nsamples = 100\n[calibrate.params]\n\"issues.climate.efficiency\" = { min = 0.01, max = 0.1 }\n[[calibrate.targets]]\nmetric = \"progress_climate\"\nvalue = 0.1\nsd = 0.0\nsource = \"\"\n",
            8,
            "calibrate.targets[0].sd: expected a number > 0",
        ),
        (
            "[calibrate]\nsamples = 20\naccept = 0.1\n[calibrate.params]\n\"issues.climate.efficiency\" = { min = 0.01, max = 0.1 }\n[[calibrate.targets]]\nmetric = \"progress_climate\"\nvalue = 0.1\nsd = 0.01\nsource = \"x\"\n",
            1,
            "calibrate.accept: keeps 2 of 20 draws: too few to fit 1 parameters to 1 targets",
        ),
        (
            "[calibrate]\nsamples = 100\nfacts = \"facts.csv\"\n[calibrate.params]\n\"issues.climate.efficiency\" = { min = 0.01, max = 0.1 }\n[[calibrate.targets]]\nmetric = \"progress_climate\"\nfact = \"climate_progres\"\n",
            8,
            "calibrate.targets[0].fact: unknown fact \"climate_progres\"",
        ),
        (
            "[calibrate]\nsamples = 100\nfacts = \"facts.csv\"\n[calibrate.params]\n\"issues.climate.efficiency\" = { min = 0.01, max = 0.1 }\n[[calibrate.targets]]\nmetric = \"progress_climate\"\nfact = \"climate_progress\"\nsd = 0.1\n",
            8,
            "calibrate.targets[0].fact: a target names a fact or gives its own value, sd and source, not both",
        ),
    ] {
        fs::write(
            dir.path().join("facts.csv"),
            "# a test fact\nfact,value,sd,source\nclimate_progress,0.2,0.02,a test\n",
        )
        .unwrap();
        let file = dir.path().join("bad.toml");
        fs::write(&file, format!("{base}\n{table}")).unwrap();
        let out = minilat(&repo(""))
            .arg("calibrate")
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        let err = stderr_of(&out);
        let place = format!("bad.toml:{}:", lines + 1 + line);
        assert!(
            err.contains(&place) && err.contains(want),
            "want {place} … {want}\n{err}"
        );
    }
    // A target naming a fact of the facts file validates, and validate describes the
    // calibration.
    let file = dir.path().join("facts.toml");
    fs::write(
        &file,
        format!(
            "{base}\n[calibrate]\nsamples = 100\nfacts = \"facts.csv\"\n[calibrate.params]\n\"issues.climate.efficiency\" = {{ min = 0.01, max = 0.1 }}\n[[calibrate.targets]]\nmetric = \"progress_climate\"\nfact = \"climate_progress\"\n"
        ),
    )
    .unwrap();
    let out = minilat(&repo(""))
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        crate::common::stdout_of(&out).contains("calibrate: 100 draws x 500 replicates = 50000 runs, 1 parameter, 1 target (progress_climate)"),
        "{}",
        crate::common::stdout_of(&out)
    );
    let file = dir.path().join("none.toml");
    fs::write(&file, &base).unwrap();
    let out = minilat(&repo(""))
        .arg("calibrate")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("needs a [calibrate] table"),
        "{}",
        stderr_of(&out)
    );
}

/// A shipped scenario's calibration runs by name from any folder, its facts file found
/// beside it.
#[test]
fn a_shipped_calibration_runs_by_name() {
    let dir = tempfile::tempdir().unwrap();
    minilat(dir.path())
        .args([
            "calibrate",
            "tech-minilateral",
            "--set",
            "calibrate.samples=60",
        ])
        .args([
            "--set",
            "scenario.ticks=30",
            "--quiet",
            "--no-plots",
            "--out",
            "cal",
        ])
        .assert()
        .success();
    let (header, rows) = read_csv(&dir.path().join("cal/fit.csv"));
    let source = header.iter().position(|h| h == "source").unwrap();
    assert!(rows[0][source].contains("Chip 4"), "{:?}", rows[0]);
}
