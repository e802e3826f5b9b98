//! The options several commands share, each declared once and flattened
//! (`#[command(flatten)]`) into the commands that take it: [`Overrides`] (`--set`),
//! [`ScenarioOptions`] (`--seed` and `--set`: the scenario a run plays) and
//! [`BatchOptions`] (`--out`, `--force`, `--threads`: where a batch's results go).
//!
//! The help texts are `minilat run`'s. A command whose option reads more narrowly
//! (`story --seed`, `sweep --out`) rewords only its help, with `mut_arg`.
//! NOTE: `story --out FILE`, `merge --out`, `slurm --out` and `rerun --out` are other
//! options under the same name (a file, a required directory, a job-script folder, a
//! replacement directory), so they are declared where they are used.

use std::path::PathBuf;

/// `--set PATH=VALUE`: overrides of scenario fields.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Overrides {
    /// Override a scenario field, e.g. --set coalitions.max_size=10 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// `--seed` and `--set`: the scenario a run plays (`run`, `story`, `watch`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ScenarioOptions {
    /// Master seed (overrides scenario.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Overrides.
    #[command(flatten)]
    pub overrides: Overrides,
}

impl ScenarioOptions {
    /// The overrides with `--seed` as the last one (`scenario.seed=S`).
    pub fn overrides_with_seed(&self) -> Vec<String> {
        let mut set = self.overrides.set.clone();
        if let Some(seed) = self.seed {
            set.push(format!("scenario.seed={seed}"));
        }
        set
    }
}

/// `--out`, `--force`, `--threads`: where a batch's results go and how many threads
/// play it (`run`, `sweep`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BatchOptions {
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output directory (default: output/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace results already in the output directory.
    #[arg(long)]
    pub force: bool,
}
