//! `manifest.json`: what produced a directory of results, written last so that its
//! presence marks the directory complete. Wall-clock times and thread counts live
//! here and never in the result CSVs, which stay bit-identical across machines.

use serde::{Deserialize, Serialize};

/// The manifest of a batch.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// `minilat` version.
    pub minilat_version: String,
    /// The command that produced the directory (`run`).
    pub command: String,
    /// The command line that produced the directory, program name first
    /// (`minilat rerun DIR` repeats it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command_line: Vec<String>,
    /// The working directory it was run from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
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
    /// Each file written before the manifest, as it was when the batch completed
    /// (lines, bytes, SHA-256): `merge` refuses a shard whose files no longer match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<FileCheck>,
    /// What the batch is (scenario hash, overrides, design, shard, version): a
    /// `--resume` or `merge` must match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<serde_json::Value>,
    /// The sweep's design and shard (`minilat sweep`, `minilat merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepManifest>,
    /// This session went on from a checkpoint with this many runs done (`--resume`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed_after: Option<u64>,
    /// The shard directories merged into this one (`minilat merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Vec<String>>,
}

/// What a sweep's manifest adds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    /// The design as read (`SweepSpec::to_json`).
    pub design: serde_json::Value,
    /// A separate design file, if one was given.
    pub design_file: Option<String>,
    /// SHA-256 of the design file.
    pub design_sha256: Option<String>,
    /// Swept parameters' paths.
    pub params: Vec<String>,
    /// Points in the whole sweep.
    pub points: u32,
    /// Runs per point.
    pub replicates: u32,
    /// Runs in the whole sweep.
    pub runs_total: u64,
    /// Which shard this directory holds (`None`: all of it).
    pub shard: Option<Shard>,
}

/// A deterministic part of a sweep: the points `p` with `p % count == index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 0-based index.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

/// A file of a finished batch as it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    /// File name in the output directory.
    pub name: String,
    /// Lines (for a CSV file, its rows plus the header).
    pub lines: u64,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
}

impl FileCheck {
    /// Reads `dir/name` (streaming) and describes it.
    pub fn of(dir: &std::path::Path, name: &str) -> std::io::Result<FileCheck> {
        use sha2::{Digest, Sha256};
        use std::io::Read;
        let mut file = std::fs::File::open(dir.join(name))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let (mut lines, mut bytes) = (0u64, 0u64);
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            bytes += n as u64;
        }
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(FileCheck {
            name: name.to_owned(),
            lines,
            bytes,
            sha256,
        })
    }
}
