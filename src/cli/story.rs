//! `minilat story FILE`: one run told as a Markdown narrative (being written).

use std::path::PathBuf;

use anyhow::{Result, bail};

/// Arguments of `minilat story`.
#[derive(Debug, clap::Args)]
pub struct StoryArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run (replicate) to tell: the same run as row K of `minilat run`.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub run: u32,
    /// Override a scenario field (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Write the story to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `minilat story`.
pub fn story(args: StoryArgs) -> Result<()> {
    bail!("minilat story is not built yet ({})", args.file.display())
}
