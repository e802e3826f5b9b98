//! EDGE: the command line. Parses arguments with clap, turns them into jobs and runs
//! the pipeline: load scenario → prepare output → run batch in parallel → write files
//! → manifest. The only module that knows clap, indicatif or the clock.

mod analyze;
mod calibrate;
mod execute;
mod merge;
mod options;
mod serve;
mod shipped;
mod signals;
mod slurm;
mod story;
mod sweep;
mod watch;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::batch;
use crate::engine::RunKey;
use crate::error::ScenarioErrors;
use crate::metrics::{RunSummary, TickMetrics};
use crate::output::manifest::{BodyTypeManifest, Manifest, PreferencesManifest};
use crate::output::{COVERAGE, Layout, MANIFEST, STATES, Shape};
use crate::plot;
use crate::scenario::{Loaded, Scenario};
use execute::{Batch, DirMode, Outcome, execute};
use options::{BatchOptions, Overrides, ScenarioOptions};

/// A problem with the user's input (exit code 2), as opposed to a runtime failure.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// minilat: simulate how states choose between multilateral bodies and minilateral
/// coalitions.
#[derive(Debug, Parser)]
#[command(name = "minilat", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a Monte Carlo batch of a scenario and write CSV results.
    Run(RunArgs),
    /// Check scenario files without running them.
    Validate(ValidateArgs),
    /// Run a parameter sweep (the scenario's [sweep] design) and write CSV results.
    Sweep(sweep::SweepArgs),
    /// Merge the shard directories of a sweep into one, identical to an unsharded sweep.
    Merge(merge::MergeArgs),
    /// Write Slurm job scripts that run a sweep as a job array and merge the shards.
    Slurm(slurm::SlurmArgs),
    /// Draw every chart the results in a directory support (PNG and/or SVG).
    Plot(PlotArgs),
    /// Write report.html: one self-contained page with the charts and tables.
    Report(ReportArgs),
    /// Sensitivity indices (morris, sobol designs) and scenario discovery (PRIM) over a
    /// finished sweep: sensitivity.csv, prim.csv, charts and the report.
    Analyze(analyze::AnalyzeArgs),
    /// Fit the parameters of the scenario's [calibrate] table to its targets by
    /// approximate Bayesian computation: posterior.csv, calibration.csv, fit.csv.
    Calibrate(calibrate::CalibrateArgs),
    /// Watch one run tick by tick in the terminal (teaching mode): pause, step, speed.
    Watch(watch::WatchArgs),
    /// Tell one run as a story in plain words (Markdown), with a summary at the end.
    Story(story::StoryArgs),
    /// Serve the teaching page: the run live in a browser, sliders, classroom play.
    Serve(serve::ServeArgs),
    /// List the shipped scenarios.
    List(ListArgs),
    /// Write shipped scenarios (with their data and designs) out to edit, e.g.
    /// `minilat init classroom`.
    Init(InitArgs),
    /// Repeat the command that produced an output directory (from its manifest).
    Rerun(RerunArgs),
    /// Print a shell completion script: `minilat completions bash > ~/.local/share/bash-completion/completions/minilat`.
    Completions(CompletionsArgs),
}

/// Arguments of `minilat init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Shipped scenarios to write (`minilat list` shows them), or `all`.
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Folder to write into (data files go to DIR/data, designs to DIR/designs).
    #[arg(long, default_value = "scenarios")]
    pub dir: PathBuf,
    /// Replace files that exist with other contents.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `minilat rerun`.
#[derive(Debug, clap::Args)]
pub struct RerunArgs {
    /// An output directory of `minilat run`, `sweep` or `merge`.
    pub dir: PathBuf,
    /// Write to this directory instead of the original one.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the results already in the output directory.
    #[arg(long)]
    pub force: bool,
    /// Print the command instead of running it.
    #[arg(long)]
    pub print: bool,
}

/// Arguments of `minilat completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `minilat plot`.
#[derive(Debug, clap::Args)]
pub struct PlotArgs {
    /// An output directory of `minilat run`, `sweep` or `merge`.
    pub dir: PathBuf,
    /// Image format.
    #[arg(long, value_enum, default_value_t = FormatArg::Both)]
    pub format: FormatArg,
    /// The run whose coalition timeline is drawn (default: the first).
    #[arg(long, value_name = "K")]
    pub run: Option<u32>,
}

/// Arguments of `minilat report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// An output directory of `minilat run`, `sweep` or `merge`.
    pub dir: PathBuf,
    /// The run whose coalition timeline is shown (default: the first).
    #[arg(long, value_name = "K")]
    pub run: Option<u32>,
}

/// Chart formats on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

impl From<FormatArg> for plot::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Png => plot::Format::Png,
            FormatArg::Svg => plot::Format::Svg,
            FormatArg::Both => plot::Format::Both,
        }
    }
}

/// Arguments of `minilat run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML), or the name of a shipped scenario (see `minilat list`).
    pub file: PathBuf,
    /// Number of runs (overrides scenario.runs), at least 1.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: Option<u32>,
    /// Seed and overrides.
    #[command(flatten)]
    pub scenario: ScenarioOptions,
    /// Output directory, threads, --force.
    #[command(flatten)]
    pub batch: BatchOptions,
    /// No progress bar and no summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
    /// Run only replicate K (0-based) of the batch: its row is identical to row K of
    /// the full batch.
    #[arg(long, value_name = "K")]
    pub run: Option<u32>,
    /// Go on from where an interrupted batch in the output directory stopped.
    #[arg(long)]
    pub resume: bool,
    /// Do not draw charts or write report.html at the end.
    #[arg(long)]
    pub no_plots: bool,
    /// Seconds between checkpoints (progress saved for --resume), 0 to 86400.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = checkpoint_seconds)]
    pub checkpoint: f64,
}

/// Arguments of `minilat validate`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("set", |a| a.help("Overrides, validated like the file")))]
pub struct ValidateArgs {
    /// Scenario files, or names of shipped scenarios.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Overrides.
    #[command(flatten)]
    pub overrides: Overrides,
    /// Also check this sweep design (a TOML file with a [sweep] table) against each file.
    #[arg(long, value_name = "DESIGN")]
    pub design_file: Option<PathBuf>,
}

/// Arguments of `minilat list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Folder to list (default: ./scenarios, else the one shipped with the source).
    pub dir: Option<PathBuf>,
}

/// The longest interval between checkpoints, in seconds (a day).
const MAX_CHECKPOINT: f64 = 86_400.0;

/// `--checkpoint SECONDS`: a finite number of seconds in 0..=86400.
pub(crate) fn checkpoint_seconds(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a number of seconds, found {text:?}"))?;
    if !(0.0..=MAX_CHECKPOINT).contains(&x) {
        return Err(format!(
            "expected seconds between 0 and {MAX_CHECKPOINT} (a day), found {text}"
        ));
    }
    Ok(x)
}

/// Parses the command line and runs it.
pub fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(mut args) => {
            args.file = shipped::resolve(&args.file)?;
            run(args)
        }
        Command::Sweep(mut args) => {
            args.file = shipped::resolve(&args.file)?;
            sweep::sweep(args)
        }
        Command::Merge(args) => merge::merge(args),
        Command::Slurm(mut args) => {
            args.file = shipped::resolve(&args.file)?;
            slurm::slurm(args)
        }
        Command::Plot(args) => {
            crate::output::OutputDir::locked(&args.dir).map_err(execute::input_if_user)?;
            let t = std::time::Instant::now();
            let files = plot::plot_dir(&args.dir, args.format.into(), args.run)
                .map_err(|e| InputError(e.to_string()))?;
            println!(
                "{} chart file{} in {:.2} s → {}",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                t.elapsed().as_secs_f64(),
                args.dir.join("charts").display()
            );
            Ok(())
        }
        Command::Report(args) => {
            crate::output::OutputDir::locked(&args.dir).map_err(execute::input_if_user)?;
            let charts =
                plot::charts(&args.dir, args.run).map_err(|e| InputError(e.to_string()))?;
            let path = write_report(&args.dir, &charts)?;
            println!("{}", path.display());
            Ok(())
        }
        Command::Validate(mut args) => {
            for f in &mut args.files {
                *f = shipped::resolve(f)?;
            }
            validate(args)
        }
        Command::Analyze(args) => analyze::analyze(args),
        Command::Calibrate(mut args) => {
            args.file = shipped::resolve(&args.file)?;
            calibrate::calibrate(args)
        }
        Command::Watch(mut args) => {
            args.file = shipped::resolve(&args.file)?;
            watch::watch(args)
        }
        Command::Serve(args) => serve::serve(args),
        Command::Story(mut args) => {
            args.file = shipped::resolve(&args.file)?;
            story::story(args)
        }
        Command::List(args) => list(args),
        Command::Init(args) => {
            let written = shipped::init(&args.names, &args.dir, args.force)?;
            for path in &written {
                println!("{}", path.display());
            }
            if written.is_empty() {
                println!("{} already holds them; nothing to do", args.dir.display());
            }
            Ok(())
        }
        Command::Rerun(args) => rerun(args),
        Command::Completions(args) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut cmd, "minilat", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// The command line and working directory of this process, for the manifest.
pub(crate) fn invocation() -> (Vec<String>, String) {
    let args = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    (args, cwd)
}

/// `minilat rerun DIR`: runs the manifest's command line again, from its working
/// directory, with this binary; `--out` replaces the output directory and `--force`
/// is added if asked.
fn rerun(args: RerunArgs) -> Result<()> {
    let path = args.dir.join(MANIFEST);
    let m = crate::output::manifest::read(&path).map_err(|e| {
        InputError(format!(
            "cannot rerun {}: {e}; only a finished run, sweep or merge can be repeated",
            args.dir.display()
        ))
    })?;
    if m.command_line.len() < 2 {
        return Err(InputError(format!(
            "cannot rerun {}: its manifest records no command line (written by an older minilat)",
            args.dir.display()
        ))
        .into());
    }
    let mut argv: Vec<String> = m.command_line[1..].to_vec();
    if let Some(out) = &args.out {
        let mut kept = Vec::with_capacity(argv.len());
        let mut skip = false;
        for a in argv {
            if skip {
                skip = false;
            } else if a == "--out" {
                skip = true;
            } else if !a.starts_with("--out=") {
                kept.push(a);
            }
        }
        argv = kept;
        argv.push("--out".into());
        let out = if out.is_absolute() || m.working_dir.is_empty() {
            out.clone()
        } else {
            std::env::current_dir()
                .context("reading the current directory")?
                .join(out)
        };
        argv.push(out.display().to_string());
    }
    if args.force && !argv.iter().any(|a| a == "--force") {
        argv.push("--force".into());
    }
    let shown: Vec<String> = std::iter::once("minilat".to_string())
        .chain(argv.iter().cloned())
        .collect();
    if args.print {
        println!("(cd {} && {})", m.working_dir, shown.join(" "));
        return Ok(());
    }
    let exe = std::env::current_exe().context("finding the minilat binary")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args(&argv);
    if !m.working_dir.is_empty() {
        cmd.current_dir(&m.working_dir);
    }
    let status = cmd.status().context("starting minilat")?;
    if status.success() {
        return Ok(());
    }
    Err(InputError(format!(
        "the repeated command failed ({status}): {}",
        shown.join(" ")
    ))
    .into())
}

/// Loads and validates a scenario with its overrides.
pub fn load(file: &Path, set: &[String]) -> Result<Loaded> {
    Scenario::from_path(file, set).map_err(anyhow::Error::new)
}

/// `--run K` must name a run of the batch (`run`, `watch`, `story`).
pub(crate) fn check_run(k: u32, scenario: &Scenario) -> Result<()> {
    if k < scenario.runs {
        return Ok(());
    }
    Err(InputError(format!(
        "--run {k}: the batch has runs 0..{} (scenario.runs = {})",
        scenario.runs - 1,
        scenario.runs
    ))
    .into())
}

/// Loads the scenario of one run shown by `watch` or `story`: overrides, then
/// `--seed`, then checks `--run`.
pub(crate) fn load_run(file: &Path, options: &ScenarioOptions, run: u32) -> Result<Loaded> {
    let loaded = load(file, &options.overrides_with_seed())?;
    check_run(run, &loaded.scenario)?;
    Ok(loaded)
}

fn run(args: RunArgs) -> Result<()> {
    let mut set = args.scenario.overrides.set.clone();
    if let Some(runs) = args.runs {
        set.push(format!("scenario.runs={runs}"));
    }
    if let Some(seed) = args.scenario.seed {
        set.push(format!("scenario.seed={seed}"));
    }
    let loaded = load(&args.file, &set)?;
    let scenario = Arc::new(loaded.scenario.clone());
    if !args.quiet {
        for w in &loaded.warnings {
            eprintln!("minilat: warning: {w}");
        }
    }
    if let Some(k) = args.run {
        check_run(k, &scenario)?;
    }
    let out = args
        .batch
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    // NOTE: the keys are a range (the replicates to run), never a list: `--runs
    // 100000000` would otherwise hold 800 MB of keys before the first run. A resume
    // starts the range at the runs done, without walking the skipped keys.
    let keys: std::ops::Range<u32> = match args.run {
        Some(k) => k..k + 1,
        None => 0..scenario.runs,
    };
    let layout = Layout {
        shape: Shape::Run,
        metric_columns: RunSummary::columns(&scenario),
        tick_columns: TickMetrics::columns(&scenario),
        coalitions: true,
        ticks: scenario.output.ticks,
    };
    let fingerprint = serde_json::json!({
        "command": "run",
        "minilat_version": env!("CARGO_PKG_VERSION"),
        "scenario_sha256": loaded.hash,
        "inputs": crate::output::inputs_json(&loaded.inputs),
        "overrides": set,
        "only_run": args.run,
    });
    let files = layout.finished_files();
    let batch = Batch {
        out,
        mode: DirMode {
            force: args.batch.force,
            resume: args.resume,
            checkpoint: args.checkpoint,
        },
        threads: args.batch.threads.unwrap_or(0),
        quiet: args.quiet,
        layout,
        fingerprint: fingerprint.clone(),
        total: keys.len() as u64,
        jobs: Box::new(|skip| {
            let from = keys
                .start
                .saturating_add(u32::try_from(skip).unwrap_or(u32::MAX));
            let keys = (from.min(keys.end)..keys.end).map(|replicate| RunKey {
                point: 0,
                replicate,
            });
            Box::new(batch::jobs(Arc::clone(&scenario), keys))
        }),
        cells: Box::new(|_| Vec::new()),
        extra: states_files(&scenario)?,
        rule_files: Some(Arc::clone(&scenario)),
    };
    let outcome = execute(
        batch,
        |threads, started_utc, wall_seconds, resumed_after| Manifest {
            minilat_version: env!("CARGO_PKG_VERSION").to_string(),
            command: "run".into(),
            command_line: invocation().0,
            working_dir: invocation().1,
            scenario_file: args.file.display().to_string(),
            scenario_sha256: loaded.hash.clone(),
            scenario_name: scenario.name.clone(),
            overrides: set.clone(),
            resolved_scenario: loaded.resolved.clone(),
            seed: scenario.seed,
            runs: scenario.runs,
            only_run: args.run,
            ticks: scenario.ticks,
            rng: RNG.into(),
            threads,
            started_utc,
            wall_seconds,
            files,
            checks: Vec::new(),
            fingerprint: Some(fingerprint),
            sweep: None,
            resumed_after,
            merged_from: None,
            preferences: PreferencesManifest::of(&scenario),
            body_types: BodyTypeManifest::of(&scenario),
        },
    )?;
    if !args.quiet {
        report(&scenario.name, scenario.ticks, &outcome);
        let illustrative = scenario.illustrative_preferences();
        if !illustrative.is_empty() {
            println!("  note: {illustrative} are illustrative, not data");
        }
    }
    let (Outcome::Complete { dir, .. } | Outcome::AlreadyComplete(dir)) = &outcome;
    if !args.no_plots {
        draw(dir, args.run, args.quiet)?;
    }
    if !args.quiet {
        print_headline(dir, scenario.behaviour.rule.facts().headline)?;
    }
    Ok(())
}

/// Draws the charts and writes report.html of a complete output directory.
pub(crate) fn draw(dir: &Path, run: Option<u32>, quiet: bool) -> Result<()> {
    let t = std::time::Instant::now();
    let failed = |e: String| {
        anyhow::anyhow!(
            "the results are complete in {}, but drawing the charts failed: {e}; retry with `minilat plot {}`",
            dir.display(),
            dir.display()
        )
    };
    let charts = plot::charts(dir, run).map_err(|e| failed(e.to_string()))?;
    let files =
        plot::write_charts(dir, &charts, plot::Format::Both).map_err(|e| failed(e.to_string()))?;
    let path = write_report(dir, &charts).map_err(|e| failed(e.to_string()))?;
    if !quiet {
        println!(
            "  {} charts (PNG and SVG) in {}/charts and {} in {:.2} s",
            files.len() / 2,
            dir.display(),
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Writes `dir/report.html` with `charts`.
fn write_report(dir: &Path, charts: &[plot::Chart]) -> Result<PathBuf> {
    let mut figures = Vec::with_capacity(charts.len());
    for c in charts {
        figures.push(crate::report::Figure {
            title: c.title().to_string(),
            caption: c.caption().to_string(),
            svg: c
                .svg()
                .map_err(|e| anyhow::anyhow!("drawing {}: {e}", c.stem()))?,
        });
    }
    Ok(crate::report::write(dir, &figures)?)
}

/// The bytes of `states.csv`.
pub(crate) fn states_csv(scenario: &Scenario) -> Result<Vec<u8>> {
    crate::output::csv::states_table(scenario).context("writing states.csv")
}

/// `states.csv` and `coverage.csv`, written beside every batch's results.
pub(crate) fn states_files(scenario: &Scenario) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let coverage = crate::output::coverage::table(scenario).context("writing coverage.csv")?;
    Ok(vec![(STATES, states_csv(scenario)?), (COVERAGE, coverage)])
}

/// How run streams are derived, for manifests.
pub const RNG: &str = "ChaCha8Rng::seed_from_u64(seed), set_stream((point << 32) | replicate)";

/// One line saying what was done.
fn report(name: &str, ticks: u32, outcome: &Outcome) {
    match outcome {
        Outcome::Complete {
            dir,
            ran,
            seconds,
            threads,
        } => println!(
            "{name}: {ran} run{} of {ticks} ticks in {seconds:.2} s on {threads} thread{} → {}",
            if *ran == 1 { "" } else { "s" },
            if *threads == 1 { "" } else { "s" },
            dir.display()
        ),
        Outcome::AlreadyComplete(dir) => {
            println!(
                "{name}: {} already holds the complete results; nothing to do",
                dir.display()
            )
        }
    }
}

/// Prints a few headline metrics from `summary.csv`.
pub(crate) fn print_headline(dir: &Path, extra: &[&str]) -> Result<()> {
    let summary = crate::output::results::Table::read(&dir.join(crate::output::SUMMARY))?;
    let wanted = |m: &str| {
        m.starts_with("progress_")
            || matches!(
                m,
                "deadlock_rate"
                    | "minilateral_share"
                    | "coalitions_formed"
                    | "productive_size"
                    | "free_riding_rate"
                    | "legitimacy_states"
            )
            || extra.contains(&m)
    };
    let (metric, mean, lo, hi) = (
        summary.text("metric")?,
        summary.num("mean")?,
        summary.num("ci95_low")?,
        summary.num("ci95_high")?,
    );
    println!("  {:<26} {:>10} {:>23}", "metric", "mean", "95% CI");
    let f = |x: f64| {
        if x.is_nan() {
            "-".to_string()
        } else {
            format!("{x:.3}")
        }
    };
    for (i, m) in metric.iter().enumerate().filter(|(_, m)| wanted(m)) {
        println!(
            "  {:<26} {:>10} {:>23}",
            m,
            f(mean[i]),
            format!("[{}, {}]", f(lo[i]), f(hi[i]))
        );
    }
    Ok(())
}

pub(crate) fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    // The rate and time left are ours (`execute::rate_and_eta`), from runs counted as
    // they finish: indicatif's estimates swung wildly when runs arrived a chunk at once.
    if let Ok(style) = ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} runs  {msg}") {
        bar.set_style(style);
    }
    bar
}

fn validate(args: ValidateArgs) -> Result<()> {
    let mut failed: Vec<ScenarioErrors> = Vec::new();
    for file in &args.files {
        match Scenario::from_path(file, &args.overrides.set) {
            Ok(loaded) => {
                // The sweep and the calibration first: "ok" is printed only for a file
                // with no problem; a scenario problem in either is the file's, anything
                // else ends the validation.
                let lines =
                    sweep::describe_sweep(file, &args.overrides.set, args.design_file.as_deref())
                        .and_then(|sweep| {
                            Ok((
                                sweep,
                                calibrate::describe_calibration(file, &args.overrides.set)?,
                            ))
                        });
                let (sweep, calibration) = match lines {
                    Ok(lines) => lines,
                    Err(e) => match e.downcast::<ScenarioErrors>() {
                        Ok(errors) => {
                            failed.push(errors);
                            continue;
                        }
                        Err(other) => return Err(other),
                    },
                };
                for w in &loaded.warnings {
                    eprintln!("minilat: warning: {}: {w}", file.display());
                }
                let s = &loaded.scenario;
                println!(
                    "{}: ok ({}, {}, {}, {} x {})",
                    file.display(),
                    count(s.states.len(), "state"),
                    count(s.issues.len(), "issue"),
                    count(s.bodies.len(), "body"),
                    count(s.ticks as usize, "tick"),
                    count(s.runs as usize, "run")
                );
                for line in [sweep, calibration].into_iter().flatten() {
                    println!("  {line}");
                }
            }
            Err(e) => failed.push(e),
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    let all = ScenarioErrors(failed.into_iter().flat_map(|e| e.0).collect());
    Err(anyhow::Error::new(all))
}

/// `n thing` or `n things` (`1 body`, `2 bodies`).
pub(crate) fn count(n: usize, thing: &str) -> String {
    match (n, thing.strip_suffix('y')) {
        (1, _) => format!("1 {thing}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {thing}s"),
    }
}

/// The folder of scenarios to list: the one given, else `./scenarios` if present, else
/// the library shipped in the binary (its cache copy).
fn scenarios_dir(arg: Option<PathBuf>) -> Result<PathBuf> {
    match arg {
        Some(dir) => Ok(dir),
        None if Path::new("scenarios").is_dir() => Ok(PathBuf::from("scenarios")),
        None => shipped::library(),
    }
}

fn list(args: ListArgs) -> Result<()> {
    let from_binary = args.dir.is_none() && !Path::new("scenarios").is_dir();
    let dir = scenarios_dir(args.dir)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(InputError(format!(
            "{} holds no scenario files (*.toml)",
            dir.display()
        ))
        .into());
    }
    let shown = |f: &Path| {
        if from_binary {
            f.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        } else {
            f.display().to_string()
        }
    };
    let width = files.iter().map(|f| shown(f).len()).max().unwrap_or(0);
    for f in files {
        let line = match Scenario::from_path(&f, &[]) {
            Ok(l) => first_sentence(&l.scenario.description),
            Err(e) => format!("(invalid: {})", count(e.0.len(), "problem")),
        };
        println!("{:<width$}  {line}", shown(&f));
    }
    if from_binary {
        println!(
            "(shipped with minilat: run one by name, e.g. `minilat run quickstart`; `minilat init NAME` writes it out to edit)"
        );
    }
    Ok(())
}

/// The first sentence (or line) of a description.
fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .find(". ")
        .map(|i| i + 1)
        .or_else(|| text.find('\n'))
        .unwrap_or(text.len());
    text[..end].trim().to_string()
}

/// Formats a time as RFC 3339 UTC (`2026-11-23T15:17:16Z`) without a date crate.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Exit code for an error: 2 for bad input or usage, 130 after Ctrl-C (results kept,
/// resumable), 1 for runtime failures.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<ScenarioErrors>().is_some() || e.downcast_ref::<InputError>().is_some() {
        2
    } else if matches!(
        e.downcast_ref::<crate::error::OutputError>(),
        Some(crate::error::OutputError::Interrupted { .. })
    ) {
        130
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(1_795_446_236)),
            "2026-11-23T15:03:56Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn first_sentence_stops_at_the_first_full_stop() {
        assert_eq!(first_sentence("Naim's claim. More text."), "Naim's claim.");
        assert_eq!(first_sentence("one line\nsecond"), "one line");
    }
}
