//! `minilat slurm`: job scripts that run a sweep as a Slurm job array, one shard per
//! array task (`minilat sweep --shard I/N --resume`), and a merge job queued after
//! them (`minilat merge`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::InputError;
use super::sweep::{DesignArgs, SweepPlan, check_shard_count};
use crate::output::OutputDir;

/// Arguments of `minilat slurm`.
#[derive(Debug, clap::Args)]
pub struct SlurmArgs {
    /// Scenario file (TOML) with a [sweep] table (or see --design-file), or a shipped scenario's name.
    pub file: PathBuf,
    /// The design.
    #[command(flatten)]
    pub design: DesignArgs,
    /// Number of shards (array tasks).
    #[arg(long)]
    pub shards: u32,
    /// Where the merged sweep goes (default: output/<scenario name>-sweep/); the job
    /// scripts, logs and shards go to OUT.slurm/.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Slurm partition.
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit per array task, e.g. 01:00:00.
    #[arg(long, default_value = "01:00:00")]
    pub time: String,
    /// CPUs per array task (the sweep's worker threads).
    #[arg(long, default_value_t = 1)]
    pub cpus: u32,
    /// Memory per array task, e.g. 2G.
    #[arg(long, default_value = "2G")]
    pub mem: String,
    /// Extra `#SBATCH` line (repeatable), e.g. --sbatch "--account=myproject".
    #[arg(long = "sbatch", value_name = "OPTION", allow_hyphen_values = true)]
    pub sbatch: Vec<String>,
    /// The minilat binary the jobs run (default: this one).
    #[arg(long)]
    pub minilat: Option<PathBuf>,
    /// Replace job scripts already in OUT.slurm/ (and let the merge replace OUT).
    #[arg(long)]
    pub force: bool,
}

/// Quotes `s` for a POSIX shell.
fn sh(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn absolute(p: &Path) -> Result<PathBuf> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir()
            .context("reading the current directory")?
            .join(p))
    }
}

/// Refuses control characters (a newline would end a `#` comment or `#SBATCH` line of
/// the scripts and run the rest as a command) in every path and text the Slurm scripts
/// carry; everything else is quoted for the shell by [`sh`].
fn check_script_text(args: &SlurmArgs, paths: &[&Path], name: &str) -> Result<()> {
    let mut texts: Vec<(String, String)> = paths
        .iter()
        .map(|p| ("a path".to_owned(), p.display().to_string()))
        .collect();
    let a = &args.design;
    let mut add = |what: &str, text: &str| texts.push((what.to_owned(), text.to_owned()));
    add("the scenario name", name);
    if let Some(f) = &a.design_file {
        add("--design-file", &f.display().to_string());
    }
    for (what, list) in [
        ("--vary", &a.vary),
        ("--set", &a.overrides.set),
        ("--sbatch", &args.sbatch),
    ] {
        for v in list {
            add(what, v);
        }
    }
    for (what, v) in [
        ("--design", a.design.as_deref()),
        ("--partition", args.partition.as_deref()),
        ("--time", Some(args.time.as_str())),
        ("--mem", Some(args.mem.as_str())),
    ] {
        if let Some(v) = v {
            add(what, v);
        }
    }
    for (what, text) in texts {
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(InputError(format!(
                "{what} {text:?} holds the control character {c:?}, which a job script cannot carry safely; rename it"
            ))
            .into());
        }
    }
    Ok(())
}

/// `minilat slurm`.
pub fn slurm(args: SlurmArgs) -> Result<()> {
    let plan = SweepPlan::load(&args.file, &args.design)?;
    plan.check_size(args.design.yes)?;
    if args.shards == 0 {
        return Err(InputError("--shards: at least 1".into()).into());
    }
    check_shard_count(args.shards, plan.spec.points())?;
    plan.check_points()?;
    let out = absolute(&args.out.clone().unwrap_or_else(|| plan.default_out()))?;
    let minilat = match &args.minilat {
        Some(p) => absolute(p)?,
        None => std::env::current_exe().context("finding the minilat binary")?,
    };
    let file = absolute(&args.file)?;
    let workdir = std::env::current_dir().context("reading the current directory")?;
    check_script_text(
        &args,
        &[&out, &file, &minilat, &workdir],
        &plan.base.scenario.name,
    )?;
    let (job_dir, dir) = prepare_job_dir(&out, args.force)?;
    let d = |p: &Path| sh(&p.display().to_string());
    let design = design_flags(&args.design)?;
    let n = args.shards;
    let name = format!("minilat-{}", plan.base.scenario.name);
    let mut head = String::new();
    if let Some(p) = &args.partition {
        writeln!(head, "#SBATCH --partition={}", sh(p))?;
    }
    for extra in &args.sbatch {
        writeln!(head, "#SBATCH {extra}")?;
    }
    let shard_dir = |i: &str| format!("{}/shards/shard-{i}", d(&job_dir));
    let array = format!(
        "#!/bin/bash
# Written by `minilat slurm`: shard $SLURM_ARRAY_TASK_ID of {n} of the sweep of
# {file}. Submit with submit.sh (next to this file), which queues the merge after it.
#SBATCH --job-name={name}
#SBATCH --array=0-{last}
#SBATCH --cpus-per-task={cpus}
#SBATCH --mem={mem}
#SBATCH --time={time}
#SBATCH --output={logs}/shard-%a.out
{head}set -euo pipefail
cd {workdir}
# --resume: a requeued or restarted task goes on from its last checkpoint.
exec {minilat} sweep {file}{design} --shard \"${{SLURM_ARRAY_TASK_ID}}/{n}\" \\
    --out {shards}/shard-\"${{SLURM_ARRAY_TASK_ID}}\" --threads \"${{SLURM_CPUS_PER_TASK:-{cpus}}}\" --resume --quiet
",
        file = d(&file),
        last = n - 1,
        cpus = args.cpus,
        mem = sh(&args.mem),
        time = sh(&args.time),
        logs = d(&job_dir.join("logs")),
        workdir = d(&workdir),
        minilat = d(&minilat),
        shards = d(&job_dir.join("shards")),
    );
    let shard_list: Vec<String> = (0..n).map(|i| shard_dir(&i.to_string())).collect();
    let merge = format!(
        "#!/bin/bash
# Written by `minilat slurm`: merges the {n} shards into {out} once every array task
# has succeeded (submit.sh queues it with --dependency=afterok).
#SBATCH --job-name={name}-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem={mem}
#SBATCH --time={time}
#SBATCH --output={logs}/merge.out
{head}set -euo pipefail
cd {workdir}
exec {minilat} merge {shards} --out {out}{force}
",
        force = if args.force { " --force" } else { "" },
        out = d(&out),
        mem = sh(&args.mem),
        time = sh(&args.time),
        logs = d(&job_dir.join("logs")),
        workdir = d(&workdir),
        minilat = d(&minilat),
        shards = shard_list.join(" "),
    );
    let submit = submit_script(&d(&out), n);
    dir.write_all("array.sbatch", array.as_bytes())?;
    dir.write_all("merge.sbatch", merge.as_bytes())?;
    dir.write_all("submit.sh", submit.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["array.sbatch", "merge.sbatch", "submit.sh"] {
            let p = job_dir.join(f);
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))
                .with_context(|| format!("making {} executable", p.display()))?;
        }
    }
    let s = &plan.spec;
    println!(
        "{}: {} points x {} replicates = {} runs in {n} shards; job scripts in {}",
        plan.base.scenario.name,
        s.points(),
        s.replicates,
        s.runs(),
        job_dir.display()
    );
    println!("submit with: bash {}", job_dir.join("submit.sh").display());
    println!("the merged sweep will be in {}", out.display());
    Ok(())
}

/// Refuses an `out` that holds results unless `force` (the merge job would fail after
/// every shard has run), then prepares `OUT.slurm/` and its `logs/`.
fn prepare_job_dir(out: &Path, force: bool) -> Result<(PathBuf, OutputDir)> {
    let occupied = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if occupied && !force {
        return Err(InputError(format!(
            "{} already holds results, so the merge job would fail after every shard has run; pass --force (the merge will replace them) or choose another --out",
            out.display()
        ))
        .into());
    }
    let mut job_dir = out.as_os_str().to_owned();
    job_dir.push(".slurm");
    let job_dir = PathBuf::from(job_dir);
    let dir = OutputDir::prepare(&job_dir, force).map_err(|e| match e {
        crate::error::OutputError::NotEmpty(p) => anyhow::Error::new(InputError(format!(
            "{} already holds job scripts; pass --force to replace them or choose another --out",
            p.display()
        ))),
        other => anyhow::Error::new(other),
    })?;
    std::fs::create_dir_all(job_dir.join("logs"))
        .with_context(|| format!("creating {}", job_dir.join("logs").display()))?;
    Ok((job_dir, dir))
}

/// The sweep's design options as the array job passes them on (`--design-file`
/// made absolute, every value quoted for the shell).
fn design_flags(a: &DesignArgs) -> Result<String> {
    let d = |p: &Path| sh(&p.display().to_string());
    let mut design = String::new();
    if let Some(f) = &a.design_file {
        write!(design, " --design-file {}", d(&absolute(f)?))?;
    }
    if let Some(k) = &a.design {
        write!(design, " --design {}", sh(k))?;
    }
    for v in &a.vary {
        write!(design, " --vary {}", sh(v))?;
    }
    if let Some(n) = a.replicates {
        write!(design, " --replicates {n}")?;
    }
    if let Some(n) = a.samples {
        write!(design, " --samples {n}")?;
    }
    for s in &a.overrides.set {
        write!(design, " --set {}", sh(s))?;
    }
    if a.yes {
        design.push_str(" --yes");
    }
    Ok(design)
}

/// `submit.sh`: queues the array job, then the merge after it (`afterok`); `out` is
/// quoted for the shell.
fn submit_script(out: &str, n: u32) -> String {
    format!(
        "#!/bin/bash
# Written by `minilat slurm`: submits the sweep's job array, then the merge, which
# runs only if every shard succeeded.
set -euo pipefail
out={out}
here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"
array=$(sbatch --parsable \"$here/array.sbatch\")
array=${{array%%;*}}
merge=$(sbatch --parsable --dependency=afterok:\"$array\" \"$here/merge.sbatch\")
merge=${{merge%%;*}}
echo \"queued the sweep as job array $array ({n} shards) and the merge as job $merge\"
echo \"watch with: squeue -j $array,$merge   results in: $out\"
echo \"array=$array merge=$merge\"
",
    )
}
