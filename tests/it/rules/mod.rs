//! The behaviour rules beyond `utility`, through the CLI and the library API: one
//! file per rule with hand-worked cases and determinism.

mod adaptive;
mod landscape;
mod shapley;
mod stability;

use std::path::{Path, PathBuf};

use crate::minilat;

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
    for file in files {
        let a = std::fs::read(dir.join("1").join(file)).expect("output of 1 thread");
        let b = std::fs::read(dir.join("2").join(file)).expect("output of 2 threads");
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
    dir.join("1")
}
