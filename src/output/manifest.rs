//! `manifest.json`: what produced a directory of results, written last so that its
//! presence marks the directory complete. Wall-clock times and thread counts live
//! here and never in the result CSVs, which stay bit-identical across machines.

use serde::Serialize;

/// The manifest of a batch.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// `minilat` version.
    pub minilat_version: String,
    /// The command that produced the directory (`run`).
    pub command: String,
    /// Scenario file as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// Scenario name.
    pub scenario_name: String,
    /// `--set` overrides, in order.
    pub overrides: Vec<String>,
    /// The resolved scenario (overrides applied).
    pub resolved_scenario: serde_json::Value,
    /// Master seed.
    pub seed: u64,
    /// Runs in the batch.
    pub runs: u32,
    /// Only this replicate was run (`--run K`).
    pub only_run: Option<u32>,
    /// Ticks per run.
    pub ticks: u32,
    /// How run streams are derived.
    pub rng: String,
    /// Worker threads used.
    pub threads: usize,
    /// Start time, RFC 3339 UTC.
    pub started_utc: String,
    /// Wall time in seconds.
    pub wall_seconds: f64,
    /// Files written, in order.
    pub files: Vec<String>,
}
