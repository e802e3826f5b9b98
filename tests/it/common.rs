//! The CLI test scaffolding every test file shares (ripgrep's `Dir`): `minilat` run
//! from a folder, a child process to kill, the files of an output directory, two
//! directories compared byte for byte, a CSV file read as cells, and the visible skip
//! of a system test.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `minilat` as a command, run from `dir`.
pub fn minilat(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("minilat")
        .expect("the minilat binary is built for integration tests");
    cmd.current_dir(dir);
    cmd
}

/// Runs `minilat` from `dir` as a child process (not waiting), stderr piped.
pub fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_minilat"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("minilat starts")
}

/// Runs done according to `dir/checkpoint.json` (0 if none yet).
pub fn checkpointed(dir: &Path) -> u64 {
    fs::read(dir.join("checkpoint.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["done"].as_u64())
        .unwrap_or(0)
}

/// Waits until the batch in `dir` has checkpointed at least `runs` runs; panics if
/// the process ends first or after a minute.
pub fn wait_for(child: &mut Child, dir: &Path, runs: u64) {
    let start = Instant::now();
    while checkpointed(dir) < runs {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the batch ended ({status}) before {runs} runs were checkpointed");
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A finished command's standard output, as text.
pub fn stdout_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A finished command's standard error, as text.
pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The names of the entries (files and folders) of `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    names.sort();
    names
}

/// The names of the `.csv` files of `dir`, sorted.
pub fn csv_names(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.ends_with(".csv"))
        .collect()
}

/// The `.csv` files of `dir`, sorted.
pub fn csv_paths(dir: &Path) -> Vec<PathBuf> {
    csv_names(dir).iter().map(|n| dir.join(n)).collect()
}

/// Asserts that each of `files` is byte-identical in folders `a` and `b`.
pub fn assert_same_files(a: &Path, b: &Path, files: &[impl AsRef<str>]) {
    for file in files {
        let file = file.as_ref();
        let x = fs::read(a.join(file)).unwrap_or_else(|e| panic!("{a:?}/{file}: {e}"));
        let y = fs::read(b.join(file)).unwrap_or_else(|e| panic!("{b:?}/{file}: {e}"));
        assert!(x == y, "{file} differs between {a:?} and {b:?}");
    }
}

/// Asserts that `a` and `b` hold the same CSV files, byte for byte; returns their names.
pub fn assert_same_csvs(a: &Path, b: &Path) -> Vec<String> {
    let files = csv_names(a);
    assert_eq!(files, csv_names(b), "the same CSV files in {a:?} and {b:?}");
    assert_same_files(a, b, &files);
    files
}

/// A CSV file as its header and rows of cells (`#` lines, the shipped data's source
/// notes, skipped).
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(path)
        .unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let header = r
        .headers()
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            rec.unwrap_or_else(|e| panic!("{path:?}: {e}"))
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    (header, rows)
}

/// Set by `.ci/run`: a system test that cannot run fails instead of skipping, because
/// CI can install what it needs (root and apt-get).
pub const REQUIRE_SYSTEM_TESTS: &str = "MINILAT_REQUIRE_SYSTEM_TESTS";

/// Skips system test `test` because of `reason`. The line goes to the process's real
/// standard error, which libtest does not capture (it captures only `print!` and
/// `eprint!`), so `SKIPPED ...` shows in the output of every `cargo test`. With
/// `MINILAT_REQUIRE_SYSTEM_TESTS=1` (CI) a skip fails the test instead.
pub fn skip(test: &str, reason: &str) {
    let line = skip_line(
        test,
        reason,
        std::env::var(REQUIRE_SYSTEM_TESTS).ok().as_deref(),
    );
    match line {
        Ok(line) => {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
        Err(message) => panic!("{message}"),
    }
}

/// What [`skip`] says, or why it fails, given the value of `MINILAT_REQUIRE_SYSTEM_TESTS`.
fn skip_line(test: &str, reason: &str, require: Option<&str>) -> Result<String, String> {
    match require {
        Some(v) if v != "0" && !v.is_empty() => Err(format!(
            "{test} could not run ({reason}) and {REQUIRE_SYSTEM_TESTS}={v} requires it to"
        )),
        _ => Ok(format!("SKIPPED {test}: {reason}")),
    }
}

#[test]
fn a_skip_is_an_error_when_system_tests_are_required() {
    assert_eq!(
        skip_line("watch e2e", "tmux is not installed", None),
        Ok("SKIPPED watch e2e: tmux is not installed".to_string())
    );
    assert!(skip_line("watch e2e", "no tmux", Some("0")).is_ok());
    let err = skip_line("watch e2e", "no tmux", Some("1")).expect_err("required");
    assert!(err.contains("MINILAT_REQUIRE_SYSTEM_TESTS=1"), "{err}");
}
