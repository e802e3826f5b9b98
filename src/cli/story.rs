//! `minilat story FILE`: one run told as a Markdown narrative
//! ([`crate::narrate::story`] writes it), to standard output or to a file.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::InputError;
use super::options::ScenarioOptions;
use crate::narrate::story::tell;
use crate::output::OutputDir;

/// Arguments of `minilat story`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("seed", |a| a.help("Master seed (default: the scenario's)")),
    mut_arg("set", |a| a.help("Override a scenario field (repeatable)"))
)]
pub struct StoryArgs {
    /// Scenario file (TOML), or the name of a shipped scenario (see `minilat list`).
    pub file: PathBuf,
    /// Seed and overrides.
    #[command(flatten)]
    pub scenario: ScenarioOptions,
    /// Run (replicate) to tell: the same run as row K of `minilat run`.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub run: u32,
    /// Write the story to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file given by --out if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// Runs `minilat story`.
pub fn story(args: StoryArgs) -> Result<()> {
    let loaded = super::load_run(&args.file, &args.scenario, args.run)?;
    for w in &loaded.warnings {
        eprintln!("minilat: warning: {w}");
    }
    let scenario = &loaded.scenario;
    if let Some(out) = &args.out {
        refuse_clobber(out, args.force)?;
    }
    let text = tell(scenario, args.run);
    match &args.out {
        Some(out) => write_atomically(out, text.as_bytes()),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`minilat story ... | head`) is not a failure.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            }
        }
    }
}

/// Refuses an existing `out` (or a directory) unless `force`.
fn refuse_clobber(out: &Path, force: bool) -> Result<()> {
    if out.is_dir() {
        return Err(InputError(format!(
            "--out {}: is a directory; give a file name such as story.md",
            out.display()
        ))
        .into());
    }
    if out.exists() && !force {
        return Err(InputError(format!(
            "{} already exists; use --force to replace it, or another --out FILE",
            out.display()
        ))
        .into());
    }
    Ok(())
}

/// Writes `bytes` to `out` through `out.partial`, renamed when complete.
fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| InputError(format!("--out {}: not a file name", out.display())))?;
    let dir = out.parent().unwrap_or(Path::new(""));
    OutputDir::existing(dir).write_all(name, bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_kept_without_force() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let out = dir.path().join("story.md");
        write_atomically(&out, b"first").expect("written");
        assert!(refuse_clobber(&out, false).is_err());
        assert!(refuse_clobber(&out, true).is_ok());
        assert!(refuse_clobber(dir.path(), true).is_err());
        write_atomically(&out, b"second").expect("replaced");
        assert_eq!(std::fs::read(&out).expect("readable"), b"second");
        assert!(!dir.path().join("story.md.partial").exists());
    }
}
