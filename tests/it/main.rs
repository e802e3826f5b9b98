//! minilat's integration tests: one binary (STYLE.md 7.7).

mod allocations;
mod analyze;
mod calibrate;
mod cli;
mod common;
mod csv_files;
mod determinism;
mod fixtures;
mod golden;
mod institutions;
mod layers;
mod library;
mod optimum;
mod players;
mod properties;
mod report;
mod rules;
mod scenario_errors;
mod serve;
mod serve_browser;
mod shipped_data;
mod slurm;
mod story;
mod sweep;
mod tidy;
mod trust;
mod watch;

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository root.
pub fn repo(path: &str) -> PathBuf {
    root().join(path)
}
