//! Results that look complete must be complete (issue 15): a resume after an input
//! changed, a merge of damaged shards, `--force` over an earlier batch, empty designs,
//! a sweep killed while drawing, bad `--checkpoint` values, shell-hostile paths in the
//! Slurm scripts, two processes on one directory, planted links and control characters
//! in names. Each test fails without its fix.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use predicates::str::contains;

use crate::common::{minilat, spawn, stderr_of, stdout_of, wait_for};
use crate::fixtures::{copy_scenarios, quickstart};
use crate::repo;

/// A `run` of the 195-state scenario (copied by [`copy_scenarios`]) long enough to be
/// caught unfinished, checkpointing often, into `out`.
fn long_run(out: &str) -> [&str; 12] {
    [
        "run",
        "scenarios/un-vs-g20.toml",
        "--runs",
        "100000",
        "--quiet",
        "--no-plots",
        "--checkpoint",
        "0.05",
        "--threads",
        "1",
        "--out",
        out,
    ]
}

#[test]
fn r15_1_resume_after_a_data_file_changed_is_refused_and_names_the_file() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    copy_scenarios(tmp.path());
    let data = tmp.path().join("scenarios/data/states2016.csv");
    // A complete batch, then the data changes: --resume refuses.
    let complete = [
        "run",
        "scenarios/un-vs-g20.toml",
        "--runs",
        "3",
        "--quiet",
        "--no-plots",
        "--out",
        "done",
    ];
    minilat(tmp.path()).args(complete).assert().success();
    let original = fs::read(&data).expect("data");
    let mut changed = original.clone();
    changed.extend_from_slice(b"# a comment is enough to change the file\n");
    fs::write(&data, &changed).expect("write");
    minilat(tmp.path())
        .args(complete)
        .arg("--resume")
        .assert()
        .code(2)
        .stderr(contains("states2016.csv"))
        .stderr(contains("changed"));
    // An unfinished batch: killed, the data changes, --resume refuses without
    // appending a single run on the new data.
    fs::write(&data, &original).expect("write");
    let args = long_run("cut");
    let mut child = spawn(tmp.path(), &args);
    wait_for(&mut child, &tmp.path().join("cut"), 1);
    child.kill().expect("kill");
    child.wait().expect("wait");
    let runs_before = fs::read(tmp.path().join("cut/runs.csv.partial")).expect("partial");
    fs::write(&data, &changed).expect("write");
    let out = minilat(tmp.path())
        .args(args)
        .arg("--resume")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("the contents of scenarios/data/states2016.csv"),
        "{err}"
    );
    let runs_after = fs::read(tmp.path().join("cut/runs.csv.partial")).expect("partial");
    assert_eq!(runs_before, runs_after, "nothing appended");
}

/// Two shards of the quickstart grid in `dir/s0` and `dir/s1`.
fn two_shards(dir: &Path) {
    for i in 0..2 {
        minilat(dir)
            .args(["sweep", &quickstart(), "--replicates", "3", "--quiet"])
            .args(["--no-plots", "--shard", &format!("{i}/2")])
            .args(["--out", &format!("s{i}")])
            .assert()
            .success();
    }
}

fn merge(dir: &Path, out: &str) -> assert_cmd::assert::Assert {
    minilat(dir)
        .args(["merge", "s0", "s1", "--out", out, "--no-plots", "--quiet"])
        .assert()
}

/// A change to a file's lines.
type Edit = dyn Fn(&mut Vec<String>);

/// Rewrites `runs.csv` of `dir/s1` by `edit` (on its lines).
fn tamper(dir: &Path, edit: impl Fn(&mut Vec<String>)) {
    let path = dir.join("s1/runs.csv");
    let mut lines: Vec<String> = fs::read_to_string(&path)
        .expect("runs.csv")
        .lines()
        .map(String::from)
        .collect();
    edit(&mut lines);
    fs::write(&path, lines.join("\n") + "\n").expect("write");
}

#[test]
fn r15_2_merge_refuses_damaged_shards_and_leaves_nothing() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    two_shards(dir);
    merge(dir, "whole").success();
    let manifest = fs::read_to_string(dir.join("whole/manifest.json")).expect("manifest");
    assert!(manifest.contains("\"checks\""), "{manifest}");
    let pristine = fs::read(dir.join("s1/runs.csv")).expect("runs");
    let cases: [(&str, Box<Edit>, &str); 3] = [
        (
            "lost rows",
            Box::new(|l: &mut Vec<String>| l.truncate(l.len() - 2)),
            "rows were lost or added",
        ),
        (
            "duplicated row",
            Box::new(|l: &mut Vec<String>| {
                let last = l[l.len() - 1].clone();
                l.push(last);
            }),
            "rows were lost or added",
        ),
        (
            "edited value",
            Box::new(|l: &mut Vec<String>| {
                let row = &mut l[1];
                let at = row.rfind(|c: char| c.is_ascii_digit()).expect("a digit");
                let d = row.as_bytes()[at];
                let swapped = if d == b'1' { '2' } else { '1' };
                row.replace_range(at..=at, &swapped.to_string());
            }),
            "was changed after the shard finished",
        ),
    ];
    for (what, edit, message) in cases {
        fs::write(dir.join("s1/runs.csv"), &pristine).expect("restore");
        tamper(dir, edit);
        merge(dir, &format!("bad-{}", what.replace(' ', "-")))
            .code(2)
            .stderr(contains(message));
        assert!(
            !dir.join(format!("bad-{}", what.replace(' ', "-"))).exists(),
            "{what}: a failed merge leaves no --out"
        );
    }
    // A shard whose manifest was made to agree with a lost run is still refused, by
    // the count of replicates per point, and an existing --out is left empty.
    fs::write(dir.join("s1/runs.csv"), &pristine).expect("restore");
    tamper(dir, |l| {
        l.remove(1);
    });
    let path = dir.join("s1/manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&fs::read(&path).expect("manifest")).expect("json");
    let check =
        minilat::output::manifest::FileCheck::of(&dir.join("s1"), "runs.csv").expect("check");
    for c in m["checks"].as_array_mut().expect("checks") {
        if c["name"] == "runs.csv" {
            *c = serde_json::to_value(&check).expect("json");
        }
    }
    fs::write(&path, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    merge(dir, "whole")
        .code(2)
        .stderr(contains("already holds results"));
    minilat(dir)
        .args([
            "merge",
            "s0",
            "s1",
            "--out",
            "whole",
            "--force",
            "--no-plots",
        ])
        .assert()
        .code(2)
        .stderr(contains("runs of point"))
        .stderr(contains("3 replicates per point"));
    let left: Vec<_> = fs::read_dir(dir.join("whole"))
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "a failed merge leaves nothing: {left:?}");
}

#[test]
fn r15_3_force_leaves_only_the_new_batch_files() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    minilat(dir)
        .args(["sweep", &quickstart(), "--replicates", "2", "--quiet"])
        .args(["--out", "o"])
        .assert()
        .success();
    assert!(dir.join("o/points.csv").exists());
    fs::write(dir.join("o/notes.txt"), "mine").expect("write");
    minilat(dir)
        .args(["run", &quickstart(), "--runs", "4", "--quiet", "--force"])
        .args(["--out", "o"])
        .assert()
        .success();
    let o = dir.join("o");
    assert!(
        !o.join("points.csv").exists(),
        "the sweep's points.csv is gone"
    );
    assert!(o.join("summary.csv").exists());
    let report = fs::read_to_string(o.join("report.html")).expect("report");
    assert!(!report.contains("Points of the sweep"), "no stale table");
    let manifest = fs::read_to_string(o.join("manifest.json")).expect("manifest");
    for entry in fs::read_dir(o.join("charts")).expect("charts") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        let stem = name.split('.').next().unwrap_or_default();
        assert!(
            !stem.starts_with("sweep_") && !stem.starts_with("heatmap_"),
            "stale chart {name} (manifest {manifest})"
        );
    }
    assert_eq!(
        fs::read_to_string(o.join("notes.txt")).expect("kept"),
        "mine",
        "files minilat never writes are left alone"
    );
}

#[test]
fn r15_4_an_empty_or_overflowing_grid_is_an_error() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args(["sweep", &quickstart(), "--quiet"])
        .args(["--vary", "behaviour.temperature=0:1:1e-300"])
        .assert()
        .code(2)
        .stderr(contains("at most 1,000,000"));
    assert!(!tmp.path().join("output").exists());
    minilat(tmp.path())
        .args(["sweep", &quickstart(), "--quiet"])
        .args(["--vary", "behaviour.temperature=0:1e308:1e-308"])
        .assert()
        .code(2);
}

#[test]
fn r15_5_a_sweep_killed_while_drawing_is_finished_by_resume() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let args = ["sweep", &quickstart(), "--replicates", "2", "--quiet"];
    // The state a kill while drawing leaves: complete results, no report.
    minilat(tmp.path())
        .args(args)
        .args(["--no-plots", "--out", "o"])
        .assert()
        .success();
    assert!(!tmp.path().join("o/report.html").exists());
    minilat(tmp.path())
        .args(args)
        .args(["--resume", "--out", "o"])
        .assert()
        .success();
    assert!(tmp.path().join("o/report.html").exists());
    assert!(tmp.path().join("o/charts").is_dir());
}

#[test]
fn r15_7_checkpoint_values_are_checked_not_panicked_on() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for bad in ["inf", "1e20", "1e30", "-1", "NaN", "soon"] {
        for cmd in ["run", "sweep"] {
            let out = minilat(tmp.path())
                .args([cmd, &quickstart(), "--quiet", "--no-plots"])
                .arg(format!("--checkpoint={bad}"))
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(2), "{cmd} --checkpoint {bad}");
            let err = stderr_of(&out);
            assert!(err.contains("--checkpoint"), "{err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn r15_8_slurm_scripts_quote_hostile_paths_and_refuse_newlines() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    let hostile = "we ird'\"$(touch pwned); `touch pwned2`;x";
    minilat(dir)
        .args(["slurm", &quickstart(), "--replicates", "2", "--shards", "2"])
        .args(["--out", hostile])
        .assert()
        .success();
    let jobs = dir.join(format!("{hostile}.slurm"));
    for i in 0..2 {
        let status = Command::new("bash")
            .arg(jobs.join("array.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", i.to_string())
            .current_dir(dir)
            .status()
            .expect("bash");
        assert!(status.success());
    }
    let status = Command::new("bash")
        .arg(jobs.join("merge.sbatch"))
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("bash");
    assert!(status.success());
    // submit.sh with a stand-in sbatch that prints a job id.
    let bin = dir.join("fake-bin");
    fs::create_dir_all(&bin).expect("mkdir");
    fs::write(bin.join("sbatch"), "#!/bin/sh\necho 42\n").expect("write");
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("sbatch"))
        .status()
        .expect("chmod");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(jobs.join("submit.sh"))
        .env("PATH", path)
        .current_dir(dir)
        .output()
        .expect("bash");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains(hostile));
    assert!(!dir.join("pwned").exists() && !dir.join("pwned2").exists());
    assert!(dir.join(hostile).join("manifest.json").exists());
    // A newline would escape a comment line: refused, nothing written.
    minilat(dir)
        .args(["slurm", &quickstart(), "--shards", "2", "--out", "a\nb"])
        .assert()
        .code(2)
        .stderr(contains("control character"));
    assert!(!dir.join("a\nb.slurm").exists());
    minilat(dir)
        .args(["slurm", &quickstart(), "--shards", "2", "--out", "c"])
        .args(["--sbatch", "--account=x\nrm -rf /"])
        .assert()
        .code(2);
}

#[test]
fn r15_9_a_second_process_on_the_same_directory_is_refused() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    copy_scenarios(dir);
    let args = long_run("busy");
    let mut child = spawn(dir, &args);
    wait_for(&mut child, &dir.join("busy"), 1);
    let second = minilat(dir)
        .args(["run", &quickstart(), "--quiet", "--force", "--out", "busy"])
        .output()
        .expect("runs");
    let resumed = minilat(dir)
        .args(args)
        .arg("--resume")
        .output()
        .expect("runs");
    child.kill().expect("kill");
    child.wait().expect("wait");
    for out in [second, resumed] {
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("in use by another minilat process"),
            "{}",
            stderr_of(&out)
        );
    }
}

#[cfg(unix)]
#[test]
fn r15_9_planted_partial_links_are_never_written_through() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    copy_scenarios(dir);
    let victim = dir.join("victim.txt");
    fs::write(&victim, "precious").expect("write");
    // Into a fresh directory with --force.
    fs::create_dir_all(dir.join("o")).expect("mkdir");
    for name in [
        "runs.csv.partial",
        "report.html.partial",
        "summary.csv.partial",
    ] {
        std::os::unix::fs::symlink(&victim, dir.join("o").join(name)).expect("symlink");
    }
    minilat(dir)
        .args(["run", &quickstart(), "--runs", "3", "--quiet", "--force"])
        .args(["--out", "o"])
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "precious");
    // On --resume, a partial file replaced by a link is refused.
    let args = long_run("cut");
    let mut child = spawn(dir, &args);
    wait_for(&mut child, &dir.join("cut"), 1);
    child.kill().expect("kill");
    child.wait().expect("wait");
    let partial = dir.join("cut/runs.csv.partial");
    fs::remove_file(&partial).expect("rm");
    std::os::unix::fs::symlink(&victim, &partial).expect("symlink");
    let out = minilat(dir)
        .args(args)
        .arg("--resume")
        .output()
        .expect("runs");
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "precious");
}

#[test]
fn r15_10_control_characters_in_names_are_refused_with_their_position() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let text = fs::read_to_string(quickstart()).expect("quickstart");
    let bad = text.replace("name = \"quickstart\"", "name = \"quick\\u001b[31mstart\"");
    assert_ne!(bad, text);
    let file = tmp.path().join("bad.toml");
    fs::write(&file, bad).expect("write");
    let line = text
        .lines()
        .position(|l| l.starts_with("name = \"quickstart\""))
        .expect("name line")
        + 1;
    minilat(tmp.path())
        .args(["validate", "bad.toml"])
        .assert()
        .code(2)
        .stderr(contains(format!("bad.toml:{line}:8: scenario.name")))
        .stderr(contains("control characters are not allowed"));
    // A description may break lines, but not carry escapes.
    let desc = text.replace("Runs in about a second.", "Runs in about a second.\\u0007");
    fs::write(&file, desc).expect("write");
    minilat(tmp.path())
        .args(["validate", "bad.toml"])
        .assert()
        .code(2)
        .stderr(contains("scenario.description"));
    // Not UTF-8: the position is a line and column.
    let mut bytes = b"[scenario]\nname = \"caf".to_vec();
    bytes.push(0xe9);
    bytes.extend_from_slice(b"\"\n");
    fs::write(&file, bytes).expect("write");
    minilat(tmp.path())
        .args(["validate", "bad.toml"])
        .assert()
        .code(2)
        .stderr(contains("bad.toml:2:12:"))
        .stderr(contains("not UTF-8"));
}

#[test]
fn r15_12_a_second_analyze_does_not_remove_the_first_without_force() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    minilat(dir)
        .args([
            "sweep",
            &quickstart(),
            "--replicates",
            "3",
            "--quiet",
            "--no-plots",
        ])
        .args(["--out", "s"])
        .assert()
        .success();
    let analyze = |extra: &[&str]| {
        minilat(dir)
            .args(["analyze", "s", "--condition", "deadlock_rate > 0.1"])
            .args(["--quiet", "--no-plots"])
            .args(extra)
            .assert()
    };
    analyze(&[]).success();
    let first = fs::read(dir.join("s/prim.csv")).expect("prim.csv");
    analyze(&[])
        .code(2)
        .stderr(contains("already holds an analysis (prim.csv)"))
        .stderr(contains("--force"));
    assert_eq!(fs::read(dir.join("s/prim.csv")).expect("kept"), first);
    analyze(&["--force"]).success();
}

#[test]
fn r15_16_shipped_scenarios_run_by_name_from_any_directory() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    let cache = dir.join("cache");
    let cmd = || {
        let mut c = minilat(dir);
        c.env("XDG_CACHE_HOME", &cache);
        c
    };
    cmd()
        .arg("list")
        .assert()
        .success()
        .stdout(contains("quickstart "))
        .stdout(contains("minilat run quickstart"));
    cmd()
        .args(["run", "quickstart", "--runs", "5", "--quiet", "--no-plots"])
        .assert()
        .success();
    let manifest = fs::read_to_string(dir.join("output/quickstart/manifest.json")).expect("m");
    assert!(manifest.contains("\"command_line\""), "{manifest}");
    // rerun repeats it byte for byte into another directory.
    cmd()
        .args(["rerun", "output/quickstart", "--out", "again"])
        .assert()
        .success();
    for f in ["runs.csv", "summary.csv", "coalitions.csv"] {
        assert_eq!(
            fs::read(dir.join("output/quickstart").join(f)).expect("a"),
            fs::read(dir.join("again").join(f)).expect("b"),
            "{f}"
        );
    }
    // init writes a scenario with its data; the copy runs; an edited file is kept.
    cmd().args(["init", "classroom"]).assert().success();
    assert!(dir.join("scenarios/classroom.toml").exists());
    assert!(dir.join("scenarios/data/memberships.csv").exists());
    cmd()
        .args(["validate", "scenarios/classroom.toml"])
        .assert()
        .success();
    fs::write(dir.join("scenarios/classroom.toml"), "# mine\n").expect("edit");
    cmd()
        .args(["init", "classroom"])
        .assert()
        .code(2)
        .stderr(contains("--force"));
    assert_eq!(
        fs::read_to_string(dir.join("scenarios/classroom.toml")).expect("kept"),
        "# mine\n"
    );
    cmd()
        .args(["init", "nosuch"])
        .assert()
        .code(2)
        .stderr(contains("quickstart"));
    for shell in ["bash", "zsh", "fish"] {
        cmd()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(contains("rerun"))
            .stdout(contains("checkpoint"));
    }
}

#[test]
fn r15_16_small_cli_frictions_are_gone() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path();
    // No "ok" for a file whose sweep is wrong.
    let out = minilat(dir)
        .args(["validate", &quickstart(), "--set", "sweep.replicates=0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!stdout_of(&out).contains("ok"));
    // --runs 0 is reported as --runs.
    let out = minilat(dir)
        .args(["run", &quickstart(), "--runs", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("--runs") && !err.contains("--set"), "{err}");
    // --design's help lists every design.
    minilat(dir)
        .args(["sweep", "--help"])
        .assert()
        .success()
        .stdout(contains("grid, list, lhs, random, morris or sobol"));
    // Counts agree with their nouns.
    minilat(dir)
        .args([
            "validate",
            &repo("scenarios/bloc-vs-issue.toml").display().to_string(),
        ])
        .assert()
        .success()
        .stdout(contains(" 1 issue,"));
}
