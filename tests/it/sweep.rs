//! Sweeps through the real binary: the quickstart grid, designs, validation, a real
//! process killed and resumed, Ctrl-C, shards merged, and the Slurm scripts run as
//! plain shell scripts (the real Slurm test is `scripts/slurm-test.sh`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{assert_same_csvs, csv_names, minilat, names, spawn, stderr_of, wait_for};
use crate::fixtures::{QUICKSTART, quickstart};
use crate::repo;

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .expect("readable")
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn the_quickstart_grid_writes_tidy_runs_and_points() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args(["sweep", &quickstart(), "--replicates", "4", "--quiet"])
        .assert()
        .success()
        .stdout("");
    let dir = tmp.path().join("output/quickstart-sweep");
    assert_eq!(
        names(&dir),
        [
            "charts",
            "coverage.csv",
            "manifest.json",
            "points.csv",
            "report.html",
            "runs.csv",
            "states.csv"
        ]
    );
    assert!(dir.join("charts/heatmap_progress_climate.svg").exists());
    assert!(
        dir.join("charts/sweep_progress_climate_vs_coalitions_max_size.png")
            .exists()
    );
    let runs = lines(&dir.join("runs.csv"));
    assert!(
        runs[0].starts_with(
            "point,replicate,seed,coalitions.max_size,behaviour.temperature,progress_climate,"
        ),
        "{}",
        runs[0]
    );
    assert_eq!(
        runs.len(),
        1 + 12 * 4,
        "header + 4 x 3 points x 4 replicates"
    );
    // The first parameter varies slowest; replicates within a point are contiguous.
    assert!(runs[1].starts_with("0,0,2026,4,0.01,"), "{}", runs[1]);
    assert!(runs[5].starts_with("1,0,2026,4,0.05,"), "{}", runs[5]);
    assert!(runs[48].starts_with("11,3,2026,20,0.2,"), "{}", runs[48]);
    let points = lines(&dir.join("points.csv"));
    assert_eq!(
        points[0],
        "point,coalitions.max_size,behaviour.temperature,metric,n,mean,sd,p2_5,median,p97_5,ci95_low,ci95_high,runs"
    );
    let metrics = runs[0].split(',').count() - 5;
    assert_eq!(points.len(), 1 + 12 * metrics);
    assert!(points[1].starts_with("0,4,0.01,progress_climate,4,"));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).expect("manifest"))
            .expect("JSON");
    assert_eq!(manifest["command"], "sweep");
    assert_eq!(manifest["sweep"]["points"], 12);
    assert_eq!(manifest["sweep"]["replicates"], 4);
    assert_eq!(manifest["sweep"]["design"]["design"], "grid");
    assert_eq!(manifest["sweep"]["shard"], serde_json::Value::Null);
}

#[test]
fn a_point_of_a_sweep_equals_a_run_of_its_scenario_on_the_same_stream() {
    // Point 0 uses stream (0 << 32) | replicate, exactly as `minilat run` does, so its
    // rows must match a run of the scenario with the point's values set.
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args(["sweep", &quickstart(), "--replicates", "3", "--quiet"])
        .args(["--out", "s"])
        .assert()
        .success();
    minilat(tmp.path())
        .args(["run", &quickstart(), "--runs", "3", "--quiet", "--out", "r"])
        .args([
            "--set",
            "coalitions.max_size=4",
            "--set",
            "behaviour.temperature=0.01",
        ])
        .assert()
        .success();
    let sweep = lines(&tmp.path().join("s/runs.csv"));
    let run = lines(&tmp.path().join("r/runs.csv"));
    for k in 0..3 {
        let metrics_of_sweep = sweep[1 + k].splitn(6, ',').nth(5).expect("metrics");
        let metrics_of_run = run[1 + k].splitn(3, ',').nth(2).expect("metrics");
        assert_eq!(metrics_of_sweep, metrics_of_run, "replicate {k}");
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for threads in ["1", "2", "4"] {
        minilat(tmp.path())
            .args(["sweep", &quickstart(), "--replicates", "6", "--quiet"])
            .args([
                "--set",
                "sweep.coalitions=true",
                "--set",
                "sweep.ticks=\"mean\"",
            ])
            .args(["--threads", threads, "--out", &format!("t{threads}")])
            .assert()
            .success();
    }
    let t = |n: &str| tmp.path().join(format!("t{n}"));
    assert_same_csvs(&t("1"), &t("2"));
    assert_same_csvs(&t("1"), &t("4"));
    assert_eq!(
        csv_names(&t("1")).len(),
        7,
        "runs, points, coalitions, memberships, ticks, states, coverage"
    );
}

const LONG: [&str; 10] = [
    "--replicates",
    "250",
    "--set",
    "sweep.coalitions=true",
    "--set",
    "sweep.ticks=\"mean\"",
    "--checkpoint",
    "0.05",
    "--quiet",
    "--threads=2",
];

#[test]
fn a_sweep_killed_twice_and_resumed_ends_byte_identical() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let q = quickstart();
    let mut args: Vec<&str> = vec!["sweep", &q];
    args.extend(LONG);
    let with_out = |out: &'static str, extra: &[&'static str]| {
        let mut a = args.clone();
        a.extend(["--out", out]);
        a.extend(extra);
        a
    };
    minilat(tmp.path())
        .args(with_out("whole", &[]))
        .assert()
        .success();
    let dir = tmp.path().join("cut");
    // First session: SIGKILL mid-sweep (mid-point: 250 replicates per point).
    let mut child = spawn(tmp.path(), &with_out("cut", &[]));
    wait_for(&mut child, &dir, 700);
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    assert!(!dir.join("manifest.json").exists());
    assert!(dir.join("runs.csv.partial").exists());
    // Without --resume the unfinished sweep is not touched.
    minilat(tmp.path())
        .args(with_out("cut", &[]))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--resume"));
    // Second session: resumed, killed again further on.
    let mut child = spawn(tmp.path(), &with_out("cut", &["--resume"]));
    wait_for(&mut child, &dir, 1900);
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    // Third session: resumed to the end.
    minilat(tmp.path())
        .args(with_out("cut", &["--resume"]))
        .assert()
        .success();
    assert_same_csvs(&tmp.path().join("whole"), &dir);
    assert!(!dir.join("checkpoint.json").exists());
    let manifest = fs::read_to_string(dir.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("\"resumed_after\""));
    // Resuming a complete sweep does nothing.
    minilat(tmp.path())
        .args(with_out("cut", &["--resume"]))
        .assert()
        .success();
    assert_same_csvs(&tmp.path().join("whole"), &dir);
}

#[test]
fn ctrl_c_stops_at_a_checkpoint_with_exit_code_130_and_resumes() {
    stops_at_a_checkpoint_on("INT");
}

/// SIGTERM is what Slurm sends at a job's time limit or on `scancel` (SIGKILL follows
/// after a grace period). (SIGHUP takes the same handler; `tests/it/watch.rs` sends
/// both.)
#[test]
fn sigterm_stops_at_a_checkpoint_like_ctrl_c() {
    stops_at_a_checkpoint_on("TERM");
}

/// A long sweep sent `signal` stops with exit code 130 and a message saying how to
/// go on; `--resume` finishes it byte-identical to an uninterrupted sweep.
fn stops_at_a_checkpoint_on(signal: &str) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let q = quickstart();
    let mut args: Vec<&str> = vec!["sweep", &q];
    args.extend(LONG);
    args.extend(["--out", "cut"]);
    let dir = tmp.path().join("cut");
    let mut child = spawn(tmp.path(), &args);
    wait_for(&mut child, &dir, 300);
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status();
    assert!(sent.expect("kill runs").success());
    let out = child.wait_with_output().expect("exits");
    assert_eq!(out.status.code(), Some(130), "{signal}");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("interrupted after"), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
    args.push("--resume");
    minilat(tmp.path()).args(&args).assert().success();
    let mut whole: Vec<&str> = vec!["sweep", &q];
    whole.extend(LONG);
    whole.extend(["--out", "whole"]);
    minilat(tmp.path()).args(&whole).assert().success();
    assert_same_csvs(&tmp.path().join("whole"), &dir);
}

/// A design file exercising every option: list design, coalitions and tick series.
const DESIGN: &str = r#"
[sweep]
design = "list"
replicates = 3
params = ["coalitions.max_size", "bodies.G20.abstain_below", "behaviour.temperature"]
points = [[3, 0.5, 0.01], [6, 0.6, 0.05], [8, 0.5, 0.1], [12, 0.7, 0.01], [20, 0.5, 0.3]]
coalitions = true
ticks = "all"
"#;

#[test]
fn shards_merged_equal_the_unsharded_sweep_and_mismatches_are_refused() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    fs::write(tmp.path().join("design.toml"), DESIGN).expect("written");
    let base = [
        "sweep",
        &quickstart(),
        "--design-file",
        "design.toml",
        "--quiet",
    ];
    minilat(tmp.path())
        .args(base)
        .args(["--out", "whole"])
        .assert()
        .success();
    for i in 0..3 {
        minilat(tmp.path())
            .args(base)
            .args(["--shard", &format!("{i}/3"), "--out", &format!("s{i}")])
            .assert()
            .success();
    }
    minilat(tmp.path())
        .args(["merge", "s2", "s0", "s1", "--out", "merged"])
        .assert()
        .success();
    assert_same_csvs(&tmp.path().join("whole"), &tmp.path().join("merged"));
    assert_eq!(
        csv_names(&tmp.path().join("merged")).len(),
        7,
        "runs, points, coalitions, memberships, ticks, states, coverage"
    );

    let refused = |args: &[&str], needle: &str| {
        minilat(tmp.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle.to_string()));
    };
    refused(
        &["merge", "s0", "s1", "--out", "m1"],
        "shard 2/3 is missing",
    );
    refused(
        &["merge", "s0", "s1", "s1", "s2", "--out", "m2"],
        "given twice",
    );
    refused(
        &["merge", "s0", "s1", "whole", "--out", "m3"],
        "a whole sweep",
    );
    refused(
        &["merge", "s0", "s1", "nowhere", "--out", "m4"],
        "does not exist",
    );
    minilat(tmp.path())
        .args(base)
        .args([
            "--shard",
            "1/3",
            "--out",
            "other",
            "--set",
            "behaviour.review_rate=0.2",
        ])
        .assert()
        .success();
    refused(
        &["merge", "s0", "other", "s2", "--out", "m5"],
        "differ in: overrides",
    );
    refused(&["merge", "s0", "s1", "s2", "--out", "merged"], "--force");
    for m in ["m1", "m2", "m3", "m4", "m5"] {
        assert!(!tmp.path().join(m).exists(), "{m} was not created");
    }
}

#[test]
fn lhs_and_random_designs_are_seeded_stratified_and_typed() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let lhs = [
        "sweep",
        &quickstart(),
        "--design",
        "lhs",
        "--samples",
        "10",
        "--replicates",
        "2",
        "--vary",
        "coalitions.max_size=3..12",
        "--vary",
        "behaviour.temperature=0.01..0.3",
        "--quiet",
    ];
    minilat(tmp.path())
        .args(lhs)
        .args(["--out", "a"])
        .assert()
        .success();
    minilat(tmp.path())
        .args(lhs)
        .args(["--out", "b"])
        .assert()
        .success();
    assert_same_csvs(&tmp.path().join("a"), &tmp.path().join("b"));
    let points = lines(&tmp.path().join("a/points.csv"));
    let mut temps: Vec<f64> = Vec::new();
    for line in points
        .iter()
        .skip(1)
        .filter(|l| l.contains(",progress_climate,"))
    {
        let cells: Vec<&str> = line.split(',').collect();
        let size: i64 = cells[1].parse().expect("max_size is an integer");
        assert!((3..=12).contains(&size), "{size}");
        temps.push(cells[2].parse().expect("a number"));
    }
    assert_eq!(temps.len(), 10);
    // Latin hypercube: exactly one temperature in each tenth of the range.
    let mut strata: Vec<usize> = temps
        .iter()
        .map(|t| ((t - 0.01) / 0.29 * 10.0) as usize)
        .collect();
    strata.sort_unstable();
    assert_eq!(strata, (0..10).collect::<Vec<_>>());

    minilat(tmp.path())
        .args([
            "sweep",
            &quickstart(),
            "--design",
            "random",
            "--samples",
            "5",
        ])
        .args([
            "--replicates",
            "1",
            "--vary",
            "issues.climate.good=public,club",
        ])
        .args(["--quiet", "--out", "r"])
        .assert()
        .success();
    let runs = lines(&tmp.path().join("r/runs.csv"));
    assert!(runs[0].starts_with("point,replicate,seed,issues.climate.good,"));
    assert_eq!(runs.len(), 6);
    for row in &runs[1..] {
        let rule = row.split(',').nth(3).expect("rule");
        assert!(rule == "public" || rule == "club", "{rule}");
    }
}

#[test]
fn command_line_ranges_equal_the_same_design_in_a_file() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    fs::write(
        tmp.path().join("d.toml"),
        "[sweep]\nreplicates = 2\n[sweep.params]\ncoalitions.max_size = { start = 4, stop = 12, step = 4 }\n",
    )
    .expect("written");
    minilat(tmp.path())
        .args([
            "sweep",
            &quickstart(),
            "--design-file",
            "d.toml",
            "--quiet",
            "--out",
            "f",
        ])
        .assert()
        .success();
    minilat(tmp.path())
        .args([
            "sweep",
            &quickstart(),
            "--vary",
            "coalitions.max_size=4:12:4",
        ])
        .args(["--replicates", "2", "--quiet", "--out", "c"])
        .assert()
        .success();
    assert_same_csvs(&tmp.path().join("f"), &tmp.path().join("c"));
    assert_eq!(lines(&tmp.path().join("c/runs.csv")).len(), 1 + 3 * 2);
    // --set reaches the design file's table too.
    minilat(tmp.path())
        .args([
            "sweep",
            &quickstart(),
            "--design-file",
            "d.toml",
            "--quiet",
            "--out",
            "g",
        ])
        .args(["--set", "sweep.replicates=1"])
        .assert()
        .success();
    assert_eq!(lines(&tmp.path().join("g/runs.csv")).len(), 1 + 3);
}

#[test]
fn sweeping_the_seed_shows_each_point_s_seed() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args([
            "sweep",
            &quickstart(),
            "--vary",
            "scenario.seed=5,6",
            "--replicates",
            "1",
        ])
        .args(["--quiet", "--out", "s"])
        .assert()
        .success();
    let runs = lines(&tmp.path().join("s/runs.csv"));
    assert!(runs[1].starts_with("0,0,5,5,"), "{}", runs[1]);
    assert!(runs[2].starts_with("1,0,6,6,"), "{}", runs[2]);
}

#[test]
fn issue_20_a_sweep_names_its_best_values_with_the_tied_ones_in_the_summary_and_the_report() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = minilat(tmp.path())
        .args([
            "sweep",
            &quickstart(),
            "--vary",
            "coalitions.max_size=2,4,8",
        ])
        .args(["--replicates", "10", "--out", "s"])
        .output()
        .expect("minilat runs");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        stdout
            .contains("  best values (tied: the values whose 95% interval reaches the best one's"),
        "{stdout}"
    );
    let bests: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .collect();
    // Progress on each issue and the deadlock rate; a share has no best.
    let metrics: Vec<&str> = bests.iter().filter_map(|l| l.split(':').next()).collect();
    assert_eq!(
        metrics,
        ["progress_climate", "progress_trade", "deadlock_rate"],
        "{stdout}"
    );
    let climate = bests[0];
    assert!(
        climate.starts_with("progress_climate: best (highest) at coalitions.max_size = "),
        "{climate}"
    );
    // The plateau and where the best lies are named, never a bare point.
    assert!(
        climate.contains("tied") && climate.contains("edge")
            || climate.contains("inside the range"),
        "{climate}"
    );
    // report.html lists the same sentences, from the same computation.
    let report = fs::read_to_string(tmp.path().join("s/report.html")).expect("report.html");
    assert!(report.contains("<h2>Best values</h2>"));
    for line in &bests {
        let (metric, text) = line.split_once(": ").expect("metric: text");
        let item = format!(
            "<li><code>{metric}</code>: {}</li>",
            text.replace('\'', "&#39;")
        );
        assert!(report.contains(&item), "{item} in the report");
    }
    // The chart of progress against the cap marks the best and its ties.
    let svg = fs::read_to_string(
        tmp.path()
            .join("s/charts/sweep_progress_climate_vs_coalitions_max_size.svg"),
    )
    .expect("the chart");
    assert!(svg.contains("best"), "the best is labelled");
    // --quiet prints nothing.
    minilat(tmp.path())
        .args(["sweep", &quickstart(), "--vary", "coalitions.max_size=2,4"])
        .args(["--replicates", "2", "--quiet", "--no-plots", "--out", "q"])
        .assert()
        .success()
        .stdout("");
}

/// A scenario with `sweep` appended, in a temp dir (data paths resolved from the repo).
fn with_sweep(dir: &Path, sweep: &str) -> PathBuf {
    let text = fs::read_to_string(repo(QUICKSTART)).expect("quickstart");
    let cut = text.find("[sweep]").expect("quickstart has a [sweep]");
    let end = text[cut..]
        .find("# Twenty largest")
        .map_or(text.len(), |i| cut + i);
    let path = dir.join("s.toml");
    fs::write(&path, format!("{}{sweep}\n{}", &text[..cut], &text[end..])).expect("written");
    path
}

#[test]
fn design_mistakes_name_the_file_line_column_and_field() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let check = |sweep: &str, expected: &[&str]| {
        let file = with_sweep(tmp.path(), sweep);
        let out = minilat(tmp.path())
            .args(["sweep", file.to_str().expect("utf-8"), "--quiet"])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = stderr_of(&out);
        for e in expected {
            assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
        }
        assert!(!tmp.path().join("output").exists(), "nothing was written");
    };
    check(
        "[sweep]\nreplicates = 2\n[sweep.params]\n\"coalitions.max_sise\" = [4, 8]\n",
        &[
            "s.toml:",
            "coalitions.max_sise: unknown field; did you mean \"max_size\"?",
        ],
    );
    check(
        "[sweep]\n[sweep.params]\n\"coalitions.max_size\" = { start = 8, stop = 4, step = 1 }\n",
        &["empty range: stop 4 is below start 8"],
    );
    check(
        "[sweep]\n[sweep.params]\n\"coalitions.max_size\" = []\n",
        &["empty list"],
    );
    check(
        "[sweep]\nreplicates = 2\n[sweep.params]\n\"coalitions.max_size\" = [1, 4]\n",
        &[
            "coalitions.max_size",
            "(at sweep point 0: coalitions.max_size = 1)",
        ],
    );
    check(
        "[sweep]\ndesign = \"list\"\nparams = [\"coalitions.max_size\"]\npoints = [[4], [4, 5]]\n",
        &["sweep.points[1]: expected 1 values"],
    );
    check(
        "[sweep]\ndesign = \"lhs\"\n[sweep.params]\n\"coalitions.max_size\" = { min = 3, max = 9 }\n",
        &["sweep.samples: missing required field"],
    );
    check(
        "[sweep]\ndesign = \"latin\"\n[sweep.params]\n\"coalitions.max_size\" = [4]\n",
        &["expected one of grid, list, lhs, random, morris, sobol; found \"latin\""],
    );
    check(
        "[sweep]\nreplicates = 1000\n[sweep.params]\n\"coalitions.max_size\" = { start = 2, stop = 200, step = 1 }\n",
        &["199 points x 1000 replicates = 199000 runs", "--yes"],
    );
    check(
        "[sweep]\n[sweep.params]\n\"bodies.IMF.rule\" = [\"qmv\"]\n",
        &["no element of bodies has name \"IMF\""],
    );
}

#[test]
fn slurm_scripts_run_as_plain_shell_scripts_and_merge_to_the_local_sweep() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let q = quickstart();
    minilat(tmp.path())
        .args([
            "sweep",
            &q,
            "--replicates",
            "3",
            "--quiet",
            "--out",
            "local",
        ])
        .assert()
        .success();
    minilat(tmp.path())
        .args([
            "slurm",
            &q,
            "--replicates",
            "3",
            "--shards",
            "4",
            "--out",
            "cluster",
        ])
        .args(["--partition", "short", "--time", "00:20:00", "--cpus", "2"])
        .assert()
        .success()
        .stdout(predicates::str::contains("submit with: bash"));
    let jobs = tmp.path().join("cluster.slurm");
    let array = fs::read_to_string(jobs.join("array.sbatch")).expect("array script");
    for needle in [
        "#SBATCH --array=0-3",
        "#SBATCH --partition=short",
        "#SBATCH --time=00:20:00",
        "#SBATCH --cpus-per-task=2",
        "--shard \"${SLURM_ARRAY_TASK_ID}/4\"",
        "--resume",
    ] {
        assert!(array.contains(needle), "{needle} in\n{array}");
    }
    let submit = fs::read_to_string(jobs.join("submit.sh")).expect("submit script");
    assert!(submit.contains("--dependency=afterok:"));
    // What Slurm would do: each array task with its id, then the merge.
    for i in 0..4 {
        let status = Command::new("bash")
            .arg(jobs.join("array.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", i.to_string())
            .env("SLURM_CPUS_PER_TASK", "1")
            .current_dir(tmp.path())
            .status()
            .expect("bash runs");
        assert!(status.success(), "array task {i}");
    }
    let status = Command::new("bash")
        .arg(jobs.join("merge.sbatch"))
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .status()
        .expect("bash runs");
    assert!(status.success(), "merge job");
    assert_same_csvs(&tmp.path().join("local"), &tmp.path().join("cluster"));
    // Scripts whose merge would fail on existing results are refused up front.
    minilat(tmp.path())
        .args(["slurm", &q, "--shards", "2", "--out", "local"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already holds results"));
}

#[test]
fn run_ignores_the_sweep_table_and_can_resume_too() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args([
            "run",
            &quickstart(),
            "--runs",
            "20",
            "--quiet",
            "--out",
            "a",
        ])
        .assert()
        .success();
    let runs = lines(&tmp.path().join("a/runs.csv"));
    assert!(runs[0].starts_with("run,seed,progress_climate"));
    assert_eq!(runs.len(), 21);
    // A finished run resumed is left alone.
    minilat(tmp.path())
        .args([
            "run",
            &quickstart(),
            "--runs",
            "20",
            "--quiet",
            "--out",
            "a",
            "--resume",
        ])
        .assert()
        .success();
    assert_eq!(lines(&tmp.path().join("a/runs.csv")), runs);
}

#[test]
fn validate_prints_the_design_size_samples_a_huge_grid_and_refuses_one_over_max_runs() {
    use predicates::str::contains;
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenario = repo("benches/sweep-memory.toml");
    let design = repo("benches/grid-1e9.toml");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "validate".to_string(),
            scenario.display().to_string(),
            "--design-file".into(),
            design.display().to_string(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    // 10^9 points: checked at an even spread of 100,000, and the output says so.
    minilat(tmp.path())
        .args(args(&[]))
        .assert()
        .success()
        .stdout(contains(
            "1000000000 points x 1 replicates = 1000000000 runs (checked 100000 of the 1000000000 points",
        ));
    // Over sweep.max_runs: refused (exit 2) with the design's size.
    minilat(tmp.path())
        .args(args(&["--set", "sweep.max_runs=1000"]))
        .assert()
        .code(2)
        .stderr(contains(
            "the sweep has 1000000000 points x 1 replicates = 1000000000 runs, more than sweep.max_runs = 1000",
        ));
}
