//! `minilat watch FILE`: a live terminal view of one run (being written).

use std::path::PathBuf;

use anyhow::{Result, bail};

/// Arguments of `minilat watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run (replicate) to show: the same run as row K of `minilat run`.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub run: u32,
    /// Ticks per second.
    #[arg(long, value_name = "TPS", default_value_t = 4.0)]
    pub speed: f64,
    /// Override a scenario field (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Runs `minilat watch`.
pub fn watch(args: WatchArgs) -> Result<()> {
    bail!("minilat watch is not built yet ({})", args.file.display())
}
