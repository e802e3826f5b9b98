//! `minilat merge`: the shard directories of a sweep (each a complete `minilat sweep
//! --shard I/N`) checked against each other and stitched into one directory,
//! identical to the unsharded sweep (`output::merge` does the files).

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::InputError;
use super::execute::input_if_user;
use crate::output::manifest::{self, Manifest};
use crate::output::{self, MANIFEST, OutputDir};

/// Arguments of `minilat merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shard directories (each a complete `minilat sweep --shard I/N`).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where the merged sweep goes.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace results already in the output directory.
    #[arg(long)]
    pub force: bool,
    /// Do not draw charts or write report.html.
    #[arg(long)]
    pub no_plots: bool,
    /// No summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Reads a shard directory's manifest, requiring it to be a complete sweep shard.
fn shard_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        let why = if dir.join(output::CHECKPOINT).exists() {
            "it is unfinished (finish it with minilat sweep ... --resume)"
        } else if dir.exists() {
            "it has no manifest.json (not a finished minilat sweep)"
        } else {
            "it does not exist"
        };
        return Err(InputError(format!("cannot merge {}: {why}", dir.display())).into());
    }
    let m = manifest::read(&path)
        .map_err(|e| InputError(format!("cannot merge {}: {e}", dir.display())))?;
    if m.sweep.is_none() {
        return Err(InputError(format!(
            "cannot merge {}: it holds a `minilat {}` result, not a sweep",
            dir.display(),
            m.command
        ))
        .into());
    }
    Ok(m)
}

/// `minilat merge`.
pub fn merge(args: MergeArgs) -> Result<()> {
    let mut shards: Vec<(PathBuf, Manifest)> = Vec::new();
    for dir in &args.dirs {
        shards.push((dir.clone(), shard_manifest(dir)?));
    }
    let first = &shards[0].1;
    let first_sweep = first.sweep.clone().expect("checked by shard_manifest");
    let count = first_sweep.shard.map_or(1, |s| s.count);
    let dirs = in_shard_order(&shards)?;
    for (dir, m) in &shards {
        output::merge::verify_shard(dir, m).map_err(input_if_user)?;
    }
    let existed = args.out.exists();
    let out = OutputDir::prepare(&args.out, args.force).map_err(input_if_user)?;
    let started = std::time::SystemTime::now();
    let clock = std::time::Instant::now();
    let names: Vec<String> = first
        .files
        .iter()
        .filter(|f| *f != MANIFEST)
        .cloned()
        .collect();
    let merged = output::merge::merge_shards(
        &dirs,
        &out,
        &names,
        first_sweep.points,
        first_sweep.replicates,
    );
    if let Err(e) = merged {
        // A failed merge leaves nothing behind in --out.
        output::files::clear(out.path()).ok();
        if !existed {
            std::fs::remove_dir(out.path()).ok();
        }
        return Err(input_if_user(e));
    }
    let mut m = first.clone();
    m.command = "merge".into();
    (m.command_line, m.working_dir) = super::invocation();
    m.runs = first_sweep.runs_total as u32;
    m.threads = 1;
    m.started_utc = super::rfc3339(started);
    m.wall_seconds = clock.elapsed().as_secs_f64();
    m.resumed_after = None;
    m.merged_from = Some(dirs.iter().map(|d| d.display().to_string()).collect());
    if let Some(f) = m.fingerprint.as_mut().and_then(|f| f.as_object_mut()) {
        f.insert("shard".into(), serde_json::Value::Null);
    }
    if let Some(s) = m.sweep.as_mut() {
        s.shard = None;
    }
    output::merge::write_manifest(&out, &m)?;
    if !args.no_plots {
        super::draw(out.path(), None, true)?;
    }
    if args.quiet {
        return Ok(());
    }
    println!(
        "merged {count} shard{} ({} points x {} replicates = {} runs) → {}",
        if count == 1 { "" } else { "s" },
        first_sweep.points,
        first_sweep.replicates,
        first_sweep.runs_total,
        out.path().display()
    );
    Ok(())
}

/// The shard directories in shard order, checked against the first: the same sweep
/// (its fingerprint but the shard), the same number of shards, each shard once and
/// none missing.
fn in_shard_order(shards: &[(PathBuf, Manifest)]) -> Result<Vec<&Path>> {
    let (first_dir, first) = &shards[0];
    let first_sweep = first.sweep.as_ref().expect("checked by shard_manifest");
    let strip_shard = |m: &Manifest| {
        let mut f = m.fingerprint.clone().unwrap_or_default();
        if let Some(o) = f.as_object_mut() {
            o.remove("shard");
        }
        f
    };
    let reference = strip_shard(first);
    let count = first_sweep.shard.map_or(1, |s| s.count);
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for (dir, m) in shards {
        let f = strip_shard(m);
        if f != reference {
            return Err(InputError(format!(
                "cannot merge {} with {}: they differ in: {}; shards must come from the same scenario, overrides, design and minilat version",
                dir.display(),
                first_dir.display(),
                output::differences(&f, &reference).join(", ")
            ))
            .into());
        }
        let shard = m.sweep.as_ref().and_then(|s| s.shard);
        let Some(shard) = shard.filter(|s| s.count == count) else {
            return Err(InputError(format!(
                "cannot merge {}: it is {} but {} is shard {}/{count}",
                dir.display(),
                shard.map_or("a whole sweep".into(), |s| format!(
                    "shard {}/{}",
                    s.index, s.count
                )),
                first_dir.display(),
                first_sweep.shard.map_or(0, |s| s.index),
            ))
            .into());
        };
        if let Some(other) = seen[shard.index as usize] {
            return Err(InputError(format!(
                "cannot merge: shard {}/{count} is given twice ({} and {})",
                shard.index,
                other.display(),
                dir.display()
            ))
            .into());
        }
        seen[shard.index as usize] = Some(dir);
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(InputError(format!(
            "cannot merge: shard{} {} {} missing",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        ))
        .into());
    }
    let dirs: Vec<&Path> = seen.into_iter().map(|d| d.expect("none missing")).collect();
    Ok(dirs)
}
