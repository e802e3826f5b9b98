//! `minilat sweep`: a design of points over scenario fields, run through the same
//! pipeline as `minilat run` ([`super::execute`]), whole or one shard of it. The
//! [`SweepPlan`] (design, shards, per-point scenarios, validation of every point) is
//! shared with `minilat slurm` ([`super::slurm`]) and `minilat validate`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;

use super::execute::{Batch, DirMode, Outcome, execute};
use super::options::{BatchOptions, Overrides};
use super::{InputError, RNG};
use crate::batch::Job;
use crate::engine::RunKey;
use crate::error::{ScenarioError, ScenarioErrors};
use crate::metrics::{RunSummary, TickMetrics};
use crate::output::manifest::{
    BodyTypeManifest, Manifest, PreferencesManifest, Shard, SweepManifest,
};
use crate::output::{self, Layout, Shape};
use crate::scenario::calibrate::CalibrationSpec;
use crate::scenario::document::Document;
use crate::scenario::parse::{Entry, Kind, Node, Place, value_node};
use crate::scenario::sweep::{SweepSpec, Value};
use crate::scenario::{Loaded, Scenario};

/// How the design is given on the command line (each overrides the `[sweep]` table).
#[derive(Debug, Clone, Default, clap::Args)]
#[command(mut_arg("set", |a| a.help(
    "Override a scenario field, e.g. --set behaviour.temperature=0.1 (repeatable)"
)))]
pub struct DesignArgs {
    /// Read the design from this file's [sweep] table instead of the scenario's.
    #[arg(long, value_name = "FILE")]
    pub design_file: Option<PathBuf>,
    /// Design (overrides sweep.design): grid, list, lhs, random, morris or sobol.
    #[arg(long, value_name = "KIND")]
    pub design: Option<String>,
    /// A swept parameter (repeatable; replaces sweep.params): PATH=a,b,c (values),
    /// PATH=start:stop:step (grid range), or PATH=min..max (lhs/random range).
    #[arg(long = "vary", value_name = "PATH=SPEC")]
    pub vary: Vec<String>,
    /// Runs per point (overrides sweep.replicates).
    #[arg(long)]
    pub replicates: Option<u32>,
    /// Points of an lhs or random design (overrides sweep.samples).
    #[arg(long)]
    pub samples: Option<u32>,
    /// Overrides.
    #[command(flatten)]
    pub overrides: Overrides,
    /// Run a sweep larger than sweep.max_runs.
    #[arg(long)]
    pub yes: bool,
}

/// Arguments of `minilat sweep`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("out", |a| a.help("Output directory (default: output/<scenario name>-sweep/)")))]
pub struct SweepArgs {
    /// Scenario file (TOML) with a [sweep] table (or see --design-file), or a shipped scenario's name.
    pub file: PathBuf,
    /// The design.
    #[command(flatten)]
    pub design: DesignArgs,
    /// Output directory, threads, --force.
    #[command(flatten)]
    pub batch: BatchOptions,
    /// Run only shard I of N (0-based): the points p with p % N == I.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Go on from where an interrupted sweep in the output directory stopped.
    #[arg(long)]
    pub resume: bool,
    /// Do not draw charts or write report.html at the end.
    #[arg(long)]
    pub no_plots: bool,
    /// Seconds between checkpoints (progress saved for --resume), 0 to 86400.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = super::checkpoint_seconds)]
    pub checkpoint: f64,
    /// No progress bar and no summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A sweep read and validated: the document, its base scenario and its design.
pub struct SweepPlan {
    file: PathBuf,
    overrides: Vec<String>,
    doc: Document,
    pub(super) base: Loaded,
    pub(super) spec: SweepSpec,
    metric_columns: Vec<String>,
    tick_columns: Vec<String>,
}

impl SweepPlan {
    /// Reads the scenario and its design with the command-line options applied, and
    /// validates the base scenario and the design (not yet every point).
    pub fn load(file: &Path, args: &DesignArgs) -> Result<SweepPlan> {
        let mut doc = Document::read(file, &args.overrides.set, args.design_file.as_deref())?;
        if let Some(kind) = &args.design {
            let node = value_node(&format!("{kind:?}"));
            doc.set_sweep_option("design", node, format!("--design {kind}"));
        }
        if let Some(n) = args.replicates {
            doc.set_sweep_option("replicates", int_node(n), format!("--replicates {n}"));
        }
        if let Some(n) = args.samples {
            doc.set_sweep_option("samples", int_node(n), format!("--samples {n}"));
        }
        if !args.vary.is_empty() {
            if args.design.as_deref() == Some("list") {
                return Err(InputError(
                    "--vary gives ranges or values per parameter; a list design takes its points from sweep.params and sweep.points (use a --design-file)".into(),
                )
                .into());
            }
            let params = args
                .vary
                .iter()
                .map(|v| parse_vary(v))
                .collect::<Result<Vec<_>>>()?;
            doc.set_sweep_params(params);
        }
        let base = doc.scenario()?;
        let spec = doc.sweep_spec(&base.scenario)?;
        Ok(SweepPlan {
            file: file.to_path_buf(),
            overrides: args.overrides.set.clone(),
            metric_columns: RunSummary::columns(&base.scenario),
            tick_columns: TickMetrics::columns(&base.scenario),
            doc,
            base,
            spec,
        })
    }

    /// Reads a scenario's `[calibrate]` table (with the `--set` overrides applied) as
    /// the plan of its draws from the prior, and the calibration's targets.
    pub fn load_calibration(
        file: &Path,
        overrides: &Overrides,
    ) -> Result<(SweepPlan, CalibrationSpec)> {
        let doc = Document::read(file, &overrides.set, None)?;
        let base = doc.scenario()?;
        let calibration = doc.calibration_spec(&base.scenario)?;
        Ok((
            SweepPlan {
                file: file.to_path_buf(),
                overrides: overrides.set.clone(),
                metric_columns: RunSummary::columns(&base.scenario),
                tick_columns: TickMetrics::columns(&base.scenario),
                doc,
                base,
                spec: calibration.draws.clone(),
            },
            calibration,
        ))
    }

    /// The `--set` overrides it was read with.
    pub fn overrides(&self) -> &[String] {
        &self.overrides
    }

    /// The design's own description (points, replicates, axes).
    pub fn spec(&self) -> &SweepSpec {
        &self.spec
    }

    /// The base scenario as read (its hash, warnings, validated scenario).
    pub fn base(&self) -> &Loaded {
        &self.base
    }

    /// The scenario with each axis set to `values` (in axis order), e.g. a posterior
    /// sample; `note` ends every error message.
    pub fn scenario_with(&self, values: &[Value], note: &str) -> Result<Scenario, ScenarioErrors> {
        let assignments: Vec<(&str, Node, &Place)> = (self.spec.axes.iter().zip(values))
            .map(|(axis, v)| {
                (
                    axis.path.as_str(),
                    v.to_node(axis.place.clone()),
                    &axis.place,
                )
            })
            .collect();
        let mut scenario = self.doc.point(&assignments, note)?;
        scenario.output.ticks = self.spec.ticks;
        Ok(scenario)
    }

    /// The scenario at point `p`.
    pub fn scenario_at(&self, p: u32) -> Result<Scenario, ScenarioErrors> {
        let values = self.spec.point(p);
        let assignments: Vec<(&str, Node, &Place)> = self
            .spec
            .axes
            .iter()
            .zip(&values)
            .map(|(axis, (v, place))| (axis.path.as_str(), v.to_node(place.clone()), &axis.place))
            .collect();
        let note = format!(" (at sweep point {p}: {})", self.spec.describe_point(p));
        let mut scenario = self.doc.point(&assignments, &note)?;
        // A sweep's tick series are opt-in (sweep.ticks), whatever [output] says.
        scenario.output.ticks = self.spec.ticks;
        if RunSummary::columns(&scenario) != self.metric_columns
            || TickMetrics::columns(&scenario) != self.tick_columns
        {
            return Err(ScenarioErrors(vec![ScenarioError {
                origin: self.file.display().to_string(),
                position: None,
                field: "sweep.params".into(),
                message: format!(
                    "sweep point {p} ({}) changes the output columns (issue or body names); a sweep may vary values, not names",
                    self.spec.describe_point(p)
                ),
            }]));
        }
        Ok(scenario)
    }

    /// Validates every point (in parallel, reported in point order); reports each
    /// distinct problem once (at most 20).
    pub fn check_points(&self) -> Result<(), ScenarioErrors> {
        self.check(0..self.spec.points())
    }

    /// Validates `points` a chunk at a time (never a list of every point: a grid may
    /// have 10^9 of them).
    fn check(&self, points: impl Iterator<Item = u32>) -> Result<(), ScenarioErrors> {
        let mut errors: Vec<ScenarioError> = Vec::new();
        let mut points = points.peekable();
        let mut chunk: Vec<u32> = Vec::with_capacity(1024);
        while points.peek().is_some() {
            chunk.clear();
            chunk.extend(points.by_ref().take(1024));
            let found = crate::batch::par_filter_map(&chunk, |&p| self.scenario_at(p).err());
            for e in found.into_iter().flat_map(|e| e.0) {
                let seen = errors.iter().any(|x| {
                    x.origin == e.origin && x.position == e.position && x.field == e.field
                });
                if !seen {
                    errors.push(e);
                }
            }
            if errors.len() >= crate::error::MAX_SHOWN_ERRORS {
                break;
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ScenarioErrors(errors))
        }
    }

    /// For `validate`: every point, or for a design of more than
    /// [`VALIDATE_EVERY_POINT`] points an even spread of that many (the first and the
    /// last included). Returns the number of points checked.
    pub(super) fn check_sample(&self) -> Result<u32, ScenarioErrors> {
        let n = self.spec.points();
        if n <= VALIDATE_EVERY_POINT {
            self.check_points()?;
            return Ok(n);
        }
        let k = u64::from(VALIDATE_EVERY_POINT);
        let last = u64::from(n - 1);
        // i (n - 1) / (k - 1): strictly increasing since n > k.
        self.check((0..k).map(|i| u32::try_from(i * last / (k - 1)).expect("at most n - 1")))?;
        Ok(VALIDATE_EVERY_POINT)
    }

    /// The parameter cells of point `p` for the CSV files.
    pub fn cells(&self, p: u32) -> Vec<String> {
        self.spec
            .point(p)
            .into_iter()
            .map(|(v, _)| v.cell())
            .collect()
    }

    /// Refuses a sweep above `sweep.max_runs` unless `yes`.
    pub(super) fn check_size(&self, yes: bool) -> Result<()> {
        let s = &self.spec;
        if s.runs() > s.max_runs && !yes {
            return Err(InputError(format!(
                "{}: the sweep has {} points x {} replicates = {} runs, more than sweep.max_runs = {}; pass --yes to run it anyway, or raise sweep.max_runs",
                self.file.display(),
                s.points(),
                s.replicates,
                s.runs(),
                s.max_runs
            ))
            .into());
        }
        Ok(())
    }

    /// The points of shard `shard` (all points without one).
    fn shard_points(&self, shard: Option<Shard>) -> u32 {
        let n = self.spec.points();
        match shard {
            None => n,
            Some(Shard { index, count }) => (n - index).div_ceil(count),
        }
    }

    /// Identifies the sweep (and shard) for `--resume` and `merge`.
    fn fingerprint(&self, shard: Option<Shard>) -> serde_json::Value {
        serde_json::json!({
            "command": "sweep",
            "minilat_version": env!("CARGO_PKG_VERSION"),
            "scenario_sha256": self.base.hash,
            "inputs": output::inputs_json(&self.base.inputs),
            "overrides": self.overrides,
            "design": self.spec.to_json(),
            "design_sha256": self.doc.design_file().map(|d| d.hash.clone()),
            "shard": shard.map(|s| serde_json::json!({"index": s.index, "count": s.count})),
        })
    }

    fn sweep_manifest(&self, shard: Option<Shard>) -> SweepManifest {
        SweepManifest {
            design: self.spec.to_json(),
            design_file: self.doc.design_file().map(|d| d.origin.clone()),
            design_sha256: self.doc.design_file().map(|d| d.hash.clone()),
            params: self.spec.axes.iter().map(|a| a.path.clone()).collect(),
            points: self.spec.points(),
            replicates: self.spec.replicates,
            runs_total: self.spec.runs(),
            shard,
        }
    }

    fn layout(&self) -> Layout {
        Layout {
            shape: Shape::Sweep {
                params: self.spec.axes.iter().map(|a| a.path.clone()).collect(),
            },
            metric_columns: self.metric_columns.clone(),
            tick_columns: self.tick_columns.clone(),
            coalitions: self.spec.coalitions,
            ticks: self.spec.ticks,
        }
    }

    pub(super) fn default_out(&self) -> PathBuf {
        Path::new("output").join(format!("{}-sweep", self.base.scenario.name))
    }
}

fn int_node(n: u32) -> Node {
    Node {
        place: Place::Override(0),
        kind: Kind::Int(i64::from(n)),
    }
}

/// `--vary PATH=SPEC` → (path, list or range table, label).
fn parse_vary(text: &str) -> Result<(String, Node, String)> {
    let label = format!("--vary {text}");
    let bad = |why: &str| InputError(format!("{label}: {why}"));
    let (path, spec) = text
        .split_once('=')
        .ok_or_else(|| bad("expected PATH=SPEC, e.g. coalitions.max_size=4,8,12"))?;
    let (path, spec) = (path.trim(), spec.trim());
    if path.is_empty() || spec.is_empty() {
        return Err(bad("expected PATH=SPEC, e.g. coalitions.max_size=4,8,12").into());
    }
    let place = Place::Override(0);
    let entry = |key: &str, text: &str| Entry {
        key: key.into(),
        key_place: place.clone(),
        value: value_node(text),
    };
    let table = |entries: Vec<Entry>| Node {
        place: place.clone(),
        kind: Kind::Table(entries),
    };
    let node = if let Some((lo, hi)) = spec.split_once("..") {
        table(vec![entry("min", lo), entry("max", hi)])
    } else if spec.matches(':').count() == 2 {
        let mut parts = spec.split(':');
        let (a, b, c) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        table(vec![entry("start", a), entry("stop", b), entry("step", c)])
    } else {
        Node {
            place: place.clone(),
            kind: Kind::Array(spec.split(',').map(value_node).collect()),
        }
    };
    Ok((path.to_owned(), node, label))
}

/// `I/N` → shard, checked against the design's points.
fn parse_shard(text: &str, points: u32) -> Result<Shard> {
    let bad = |why: String| InputError(format!("--shard {text}: {why}"));
    let (i, n) = text
        .split_once('/')
        .ok_or_else(|| bad("expected I/N, e.g. 0/4 (0-based)".into()))?;
    let index: u32 = i
        .trim()
        .parse()
        .map_err(|_| bad(format!("shard index {i:?} is not a number")))?;
    let count: u32 = n
        .trim()
        .parse()
        .map_err(|_| bad(format!("shard count {n:?} is not a number")))?;
    if count == 0 {
        return Err(bad("the number of shards must be at least 1".into()).into());
    }
    if index >= count {
        return Err(bad(format!("the index is 0-based: expected 0..{}", count - 1)).into());
    }
    check_shard_count(count, points)?;
    Ok(Shard { index, count })
}

pub(super) fn check_shard_count(count: u32, points: u32) -> Result<()> {
    if count > points {
        return Err(InputError(format!(
            "{count} shards for {points} point{}: shards split the design by points, so use at most {points}",
            if points == 1 { "" } else { "s" }
        ))
        .into());
    }
    Ok(())
}

/// The jobs of a shard from its `skip`-th run on, building each point's scenario once.
struct SweepJobs<'a> {
    plan: &'a SweepPlan,
    shard: Shard,
    next: u64,
    total: u64,
    current: Option<(u32, Arc<Scenario>)>,
}

impl Iterator for SweepJobs<'_> {
    type Item = Result<Job>;

    fn next(&mut self) -> Option<Result<Job>> {
        if self.next >= self.total {
            return None;
        }
        let r = u64::from(self.plan.spec.replicates);
        let j = (self.next / r) as u32;
        let replicate = (self.next % r) as u32;
        let point = self.shard.index + self.shard.count * j;
        self.next += 1;
        let scenario = match &self.current {
            Some((p, s)) if *p == point => Arc::clone(s),
            _ => match self.plan.scenario_at(point) {
                Ok(s) => {
                    let s = Arc::new(s);
                    self.current = Some((point, Arc::clone(&s)));
                    s
                }
                Err(e) => return Some(Err(e.into())),
            },
        };
        Some(Ok(Job {
            scenario,
            key: RunKey { point, replicate },
        }))
    }
}

/// `minilat sweep`.
pub fn sweep(args: SweepArgs) -> Result<()> {
    let plan = SweepPlan::load(&args.file, &args.design)?;
    let outcome = run_plan(&plan, &args, "sweep")?;
    if !args.no_plots {
        draw_outcome(&outcome, args.quiet)?;
    }
    Ok(())
}

/// Draws the charts and report.html of a finished sweep (or of one complete already
/// whose report is missing: killed while drawing).
pub(super) fn draw_outcome(outcome: &Outcome, quiet: bool) -> Result<()> {
    match outcome {
        Outcome::Complete { dir, .. } => super::draw(dir, None, quiet),
        Outcome::AlreadyComplete(dir) if !dir.join(crate::report::REPORT).exists() => {
            if !quiet {
                println!("  drawing the charts and report.html, which were missing");
            }
            super::draw(dir, None, quiet)
        }
        Outcome::AlreadyComplete(_) => Ok(()),
    }
}

/// Runs `plan` (whole or the shard of `args`) into its output directory as `command`
/// (`sweep`, or `calibrate` for its draws from the prior), with the summary on stdout.
pub(super) fn run_plan(plan: &SweepPlan, args: &SweepArgs, command: &str) -> Result<Outcome> {
    if !args.quiet {
        for w in &plan.base.warnings {
            eprintln!("minilat: warning: {w}");
        }
    }
    plan.check_size(args.design.yes)?;
    let shard = args
        .shard
        .as_deref()
        .map(|s| parse_shard(s, plan.spec.points()))
        .transpose()?;
    plan.check_points()?;
    let out = args.batch.out.clone().unwrap_or_else(|| plan.default_out());
    let total = u64::from(plan.shard_points(shard)) * u64::from(plan.spec.replicates);
    let layout = plan.layout();
    let files = layout.finished_files();
    let fingerprint = plan.fingerprint(shard);
    let whole = shard.unwrap_or(Shard { index: 0, count: 1 });
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
        total,
        jobs: Box::new(|skip| {
            Box::new(SweepJobs {
                plan,
                shard: whole,
                next: skip,
                total,
                current: None,
            })
        }),
        cells: Box::new(|p| plan.cells(p)),
        extra: super::states_files(&plan.base.scenario)?,
        rule_files: None,
    };
    let scenario = &plan.base.scenario;
    let outcome = execute(
        batch,
        |threads, started_utc, wall_seconds, resumed_after| Manifest {
            minilat_version: env!("CARGO_PKG_VERSION").to_string(),
            command: command.into(),
            command_line: super::invocation().0,
            working_dir: super::invocation().1,
            scenario_file: args.file.display().to_string(),
            scenario_sha256: plan.base.hash.clone(),
            scenario_name: scenario.name.clone(),
            overrides: plan.overrides.clone(),
            resolved_scenario: plan.base.resolved.clone(),
            seed: scenario.seed,
            runs: total as u32,
            only_run: None,
            ticks: scenario.ticks,
            rng: RNG.into(),
            threads,
            started_utc,
            wall_seconds,
            files,
            checks: Vec::new(),
            fingerprint: Some(fingerprint),
            sweep: Some(plan.sweep_manifest(shard)),
            resumed_after,
            merged_from: None,
            preferences: PreferencesManifest::of(scenario),
            body_types: BodyTypeManifest::of(scenario),
        },
    )?;
    if !args.quiet {
        let s = &plan.spec;
        println!(
            "{}: {} design, {} point{} x {} replicate{}{}",
            scenario.name,
            s.design.as_str(),
            s.points(),
            if s.points() == 1 { "" } else { "s" },
            s.replicates,
            if s.replicates == 1 { "" } else { "s" },
            shard.map_or(String::new(), |s| format!(
                "; shard {}/{}: {} points",
                s.index,
                s.count,
                plan.shard_points(Some(s))
            )),
        );
        super::report(&scenario.name, scenario.ticks, &outcome);
        if let Outcome::Complete { dir, .. } = &outcome {
            println!(
                "  runs.csv: one row per run; points.csv: mean, sd, quantiles and 95% CI per point and metric"
            );
            println!("  in {}", dir.display());
            print_bests(dir)?;
        }
    }
    Ok(outcome)
}

/// Prints the best value of each headline metric with the values tied with it
/// (`output::best`, issue 20 item 3): a point, even the highest, is not the answer when
/// its neighbours are statistically as good.
fn print_bests(dir: &Path) -> Result<()> {
    let points = dir.join(crate::output::POINTS);
    let manifest = crate::output::manifest::read(&dir.join(crate::output::MANIFEST))?;
    let Some(sweep) = &manifest.sweep else {
        return Ok(());
    };
    if let Some(optima) = crate::output::optimum::optima(&points, sweep)? {
        println!(
            "  optima along {} at each design point (the best value and those tied with it; `minilat analyze {}` writes optimum.csv{}):",
            optima.optimum.param,
            dir.display(),
            match sweep.design_name().as_deref() {
                Some("morris" | "sobol") => " and says what moves them",
                _ => "",
            }
        );
        for (metric, text) in optima.summary() {
            println!("    {metric}: {text}");
        }
        return Ok(());
    }
    let issues: Vec<String> = manifest.issues().into_iter().map(|i| i.name).collect();
    let bests = crate::output::best::sweep_bests(&points, sweep, &issues)?;
    if bests.is_empty() {
        return Ok(());
    }
    println!(
        "  best values (tied: the values whose 95% interval reaches the best one's; at an edge of the range, the best may lie beyond it):"
    );
    for b in bests {
        println!("    {}: {}", b.metric, b.text);
    }
    Ok(())
}

/// `minilat validate` checks every point of a design up to this many points, and an
/// even spread of this many beyond (building and checking a point's scenario takes
/// tens of microseconds: all 10^9 points of a grid would take hours).
pub const VALIDATE_EVERY_POINT: u32 = 100_000;

/// For `minilat validate`: a line describing the scenario's sweep, if it has one, with
/// its size (points x replicates = runs). Refuses, like `sweep` without `--yes`, a
/// design of more runs than `sweep.max_runs`.
pub fn describe_sweep(
    file: &Path,
    set: &[String],
    design_file: Option<&Path>,
) -> Result<Option<String>> {
    let doc = Document::read(file, set, None)?;
    if doc.root().get("sweep").is_none() && design_file.is_none() {
        return Ok(None);
    }
    let plan = SweepPlan::load(
        file,
        &DesignArgs {
            overrides: Overrides { set: set.to_vec() },
            design_file: design_file.map(Path::to_path_buf),
            ..DesignArgs::default()
        },
    )?;
    let s = &plan.spec;
    if s.runs() > s.max_runs {
        return Err(InputError(format!(
            "{}: the sweep has {} points x {} replicates = {} runs, more than sweep.max_runs = {}: `minilat sweep` would refuse it; raise sweep.max_runs, or run it with `minilat sweep --yes`",
            file.display(),
            s.points(),
            s.replicates,
            s.runs(),
            s.max_runs
        ))
        .into());
    }
    let checked = plan.check_sample()?;
    let s = &plan.spec;
    let over = (s.design_axes().iter())
        .map(|a| a.path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let over = match (&s.optimum, s.axes.last()) {
        (Some(o), Some(axis)) => format!(
            "{over} ({} points), each at {} values of {} (optimum of {})",
            s.design_points(),
            o.values,
            axis.path,
            o.metrics.join(", ")
        ),
        _ => over,
    };
    let mut line = format!(
        "sweep: {} design over {over}: {} points x {} replicates = {} runs",
        s.design.as_str(),
        s.points(),
        s.replicates,
        s.runs()
    );
    if checked < s.points() {
        line.push_str(&format!(
            " (checked {checked} of the {} points: the first, the last and an even spread between; `minilat sweep` checks every point before it runs)",
            s.points()
        ));
    }
    Ok(Some(line))
}
