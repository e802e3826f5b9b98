//! `minilat analyze DIR`: sensitivity indices (Morris, Sobol) and scenario discovery
//! (PRIM) over a finished sweep's own files, written next to them as `sensitivity.csv`
//! and `prim.csv`, then charted and added to `report.html`.
//!
//! The estimators are in [`crate::analysis`]; this module reads the sweep (manifest,
//! `points.csv`, `runs.csv`), regenerates a Morris design's unit coordinates from the
//! manifest (the design is a pure function of its seed), and writes the results.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::InputError;
use crate::analysis;
use crate::output::csv::{Writer, columns, writer};
use crate::output::files::write_atomic;
use crate::output::manifest::{self, ParamKind};
use crate::output::results::{CsvReader, Row};

/// Arguments of `minilat analyze`.
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// A finished sweep's output directory (of `minilat sweep` or `minilat merge`).
    pub dir: PathBuf,
    /// A metric to analyse (a column of runs.csv; repeatable). Default: progress per
    /// issue, deadlock_rate, minilateral_share and the sweep's `charts`.
    #[arg(long = "metric", value_name = "M")]
    pub metrics: Vec<String>,
    /// Scenario discovery: a condition on one run's outcome, e.g. "minilateral_share > 0.5"
    /// (operators >, >=, <, <=); PRIM finds the boxes of parameter space where it holds.
    /// Repeatable.
    #[arg(long = "condition", value_name = "EXPR")]
    pub conditions: Vec<String>,
    /// Bootstrap resamples for the confidence intervals.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// PRIM: share of the points in the box peeled at each step.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// PRIM: stop peeling when the box would hold less than this share of all runs.
    #[arg(long, default_value_t = 0.05)]
    pub min_support: f64,
    /// PRIM: the chosen box is the densest with at least this coverage.
    #[arg(long, default_value_t = 0.5)]
    pub min_coverage: f64,
    /// Do not redraw the charts and report.html.
    #[arg(long)]
    pub no_plots: bool,
    /// No summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
    /// Replace an earlier analysis (sensitivity.csv, prim.csv) in the directory.
    #[arg(long)]
    pub force: bool,
}

/// Confidence level of every interval.
const LEVEL: f64 = 0.95;

/// The parts of a sweep's manifest the analysis needs.
struct SweepInfo {
    design: String,
    /// The design's parameters (without `[sweep.optimum]`'s).
    params: Vec<String>,
    /// Every swept parameter, the optimum's last (PRIM's coordinates: runs.csv's).
    all_params: Vec<String>,
    /// Each of `all_params`' kind, from the design.
    kinds: Vec<Option<ParamKind>>,
    /// The design's points (each run at every value of the optimum's parameter).
    points: usize,
    samples: usize,
    trajectories: usize,
    levels: usize,
    seed: u64,
    issues: Vec<String>,
    has_bodies: bool,
    charts: Vec<String>,
    /// The sweep as its manifest records it.
    sweep: manifest::SweepManifest,
}

fn read_sweep(dir: &Path) -> Result<SweepInfo> {
    let path = dir.join(crate::output::MANIFEST);
    let m = manifest::read(&path).map_err(|e| {
        InputError(format!(
            "{}: cannot read {} ({}); is this a finished sweep's output directory?",
            dir.display(),
            path.display(),
            e.what
        ))
    })?;
    let Some(sweep) = &m.sweep else {
        return Err(InputError(format!(
            "{} holds a `minilat run` batch, not a sweep; analyze needs a sweep's directory",
            dir.display()
        ))
        .into());
    };
    if sweep.shard.is_some() {
        return Err(InputError(format!(
            "{} holds one shard of a sweep; merge the shards first (minilat merge) and analyze the merged directory",
            dir.display()
        ))
        .into());
    }
    let number = |key: &str| sweep.design_number(key) as usize;
    let per = sweep.optimum().map_or(1, |o| o.values);
    Ok(SweepInfo {
        design: sweep.design_name().unwrap_or_else(|| "grid".into()),
        params: sweep.design_params().to_vec(),
        all_params: sweep.params.clone(),
        kinds: sweep.param_kinds(),
        points: sweep.points as usize / per,
        samples: number("samples"),
        trajectories: number("trajectories"),
        levels: number("levels"),
        seed: sweep.design_number("seed"),
        issues: m.issues().into_iter().map(|i| i.name).collect(),
        has_bodies: !m.body_names().is_empty(),
        charts: sweep.charts(),
        sweep: sweep.clone(),
    })
}

/// Point means per metric from `points.csv`, indexed by point.
pub(super) fn read_point_means(dir: &Path, points: usize) -> Result<BTreeMap<String, Vec<f64>>> {
    let mut reader = CsvReader::open(&dir.join(crate::output::POINTS))?;
    let (point_at, metric_at, mean_at) = (
        reader.column("point")?,
        reader.column("metric")?,
        reader.column("mean")?,
    );
    let mut out: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    while let Some(row) = reader.next_row()? {
        let p: usize = row.parse(point_at, "a point number")?;
        if p >= points {
            let beyond = format!("point {p} is beyond the sweep's {points} points");
            return Err(row.error(point_at, beyond).into());
        }
        out.entry(row.text(metric_at).to_string())
            .or_insert_with(|| vec![f64::NAN; points])[p] = row.num(mean_at)?;
    }
    Ok(out)
}

/// One row of `sensitivity.csv`.
struct IndexRow {
    parameter: String,
    metric: String,
    index: &'static str,
    value: f64,
    ci_low: f64,
    ci_high: f64,
}

/// A condition on a run's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The metric (a column of runs.csv).
    pub metric: String,
    /// `>`, `>=`, `<` or `<=`.
    pub op: String,
    /// The threshold.
    pub value: f64,
}

impl Condition {
    /// Parses `metric OP value`.
    pub fn parse(text: &str) -> Result<Condition, String> {
        for op in [">=", "<=", ">", "<"] {
            if let Some((m, v)) = text.split_once(op) {
                let metric = m.trim().to_string();
                let value: f64 = v.trim().parse().map_err(|_| {
                    format!(
                        "--condition {text:?}: expected a number after {op}, found {:?}",
                        v.trim()
                    )
                })?;
                if metric.is_empty() {
                    return Err(format!(
                        "--condition {text:?}: expected a metric before {op}"
                    ));
                }
                return Ok(Condition {
                    metric,
                    op: op.to_string(),
                    value,
                });
            }
        }
        Err(format!(
            "--condition {text:?}: expected METRIC OP NUMBER with OP one of >, >=, <, <= (e.g. \"minilateral_share > 0.5\")"
        ))
    }

    /// Whether `x` meets it (NaN never does).
    pub fn holds(&self, x: f64) -> bool {
        match self.op.as_str() {
            ">" => x > self.value,
            ">=" => x >= self.value,
            "<" => x < self.value,
            _ => x <= self.value,
        }
    }

    /// As written, normalised.
    pub fn text(&self) -> String {
        format!("{} {} {}", self.metric, self.op, self.value)
    }
}

/// Runs `minilat analyze`.
pub fn analyze(args: AnalyzeArgs) -> Result<()> {
    let dir = &args.dir;
    let info = read_sweep(dir)?;
    crate::output::OutputDir::locked(dir).map_err(super::execute::input_if_user)?;
    let earlier: Vec<&str> = ["sensitivity.csv", "prim.csv", OPTIMUM]
        .into_iter()
        .filter(|name| dir.join(name).exists())
        .collect();
    if !earlier.is_empty() && !args.force {
        return Err(InputError(format!(
            "{} already holds an analysis ({}); pass --force to replace it",
            dir.display(),
            earlier.join(", ")
        ))
        .into());
    }
    let conditions = args
        .conditions
        .iter()
        .map(|c| Condition::parse(c).map_err(InputError))
        .collect::<Result<Vec<_>, _>>()?;
    let indices = matches!(info.design.as_str(), "morris" | "sobol");
    let optima = crate::output::optimum::optima(&dir.join(crate::output::POINTS), &info.sweep)?;
    if !indices && conditions.is_empty() && optima.is_none() {
        return Err(InputError(format!(
            "{} is a {} sweep: sensitivity indices need a morris or sobol design; give --condition \"METRIC > X\" for scenario discovery (PRIM), which works on any sweep",
            dir.display(),
            info.design
        ))
        .into());
    }
    if !(0.0 < args.alpha && args.alpha < 0.5) {
        return Err(InputError(format!(
            "--alpha: expected a share in (0, 0.5), found {}",
            args.alpha
        ))
        .into());
    }
    if args.bootstrap < 10 {
        return Err(InputError(format!(
            "--bootstrap: expected at least 10 resamples, found {}",
            args.bootstrap
        ))
        .into());
    }
    // With [sweep.optimum], the outputs analysed are each design point's optimum and
    // plateau; else each point's mean.
    let (means, metrics) = match &optima {
        Some(o) => {
            let outputs = o.outputs();
            let names: Vec<String> = outputs.iter().map(|(n, _)| n.clone()).collect();
            let metrics = chosen_optimum_outputs(&args.metrics, &o.optimum.metrics, &names)?;
            (outputs.into_iter().collect(), metrics)
        }
        None => {
            let means = read_point_means(dir, info.points)?;
            let metrics = chosen_metrics(&args.metrics, &info, &means)?;
            (means, metrics)
        }
    };

    let mut rows = Vec::new();
    if indices {
        for metric in &metrics {
            let y = &means[metric];
            rows.extend(indices_for(&info, metric, y, args.bootstrap)?);
        }
    }
    let prims = if conditions.is_empty() {
        Vec::new()
    } else {
        prim_all(dir, &info, &conditions, &args)?
    };

    if indices {
        write_sensitivity(dir, &rows)?;
    } else {
        remove_if_present(&dir.join("sensitivity.csv"))?;
    }
    if prims.is_empty() {
        remove_if_present(&dir.join("prim.csv"))?;
    } else {
        write_prim(dir, &info.all_params, &prims)?;
    }
    match &optima {
        Some(o) => write_optimum(dir, o)?,
        None => remove_if_present(&dir.join(OPTIMUM))?,
    }
    if !args.quiet {
        if let Some(o) = &optima {
            println!("optima along {} ({OPTIMUM}):", o.optimum.param);
            for (metric, text) in o.summary() {
                println!("  {metric}: {text}");
            }
        }
        print_summary(&info, &rows, &prims);
    }
    if !args.no_plots {
        super::draw(dir, None, args.quiet)?;
    }
    Ok(())
}

/// The optimum outputs asked for (by their own name, or all three of a metric of
/// `[sweep.optimum]` by its name), or all of them.
/// `metrics` are the sweep's optimum metrics, `names` the outputs in order.
fn chosen_optimum_outputs(
    asked: &[String],
    metrics: &[String],
    names: &[String],
) -> Result<Vec<String>> {
    if asked.is_empty() {
        return Ok(names.to_vec());
    }
    let mut out = Vec::new();
    for m in asked {
        let picked: Vec<&String> = if names.contains(m) {
            names.iter().filter(|n| *n == m).collect()
        } else {
            names
                .iter()
                .filter(|n| n.ends_with(&format!("_{m}")) && metrics.contains(m))
                .collect()
        };
        if picked.is_empty() {
            return Err(InputError(format!(
                "--metric {m}: this sweep's [sweep.optimum] analyses {}; name one of them or one of {}",
                metrics.join(", "),
                names.join(", ")
            ))
            .into());
        }
        out.extend(picked.into_iter().cloned());
    }
    out.dedup();
    Ok(out)
}

/// The metrics asked for, or the default ones present in points.csv.
fn chosen_metrics(
    asked: &[String],
    info: &SweepInfo,
    means: &BTreeMap<String, Vec<f64>>,
) -> Result<Vec<String>> {
    if !asked.is_empty() {
        for m in asked {
            if !means.contains_key(m) {
                let known: Vec<&str> = means.keys().map(String::as_str).collect();
                return Err(InputError(format!(
                    "--metric {m}: no such metric in points.csv; it has {}",
                    known.join(", ")
                ))
                .into());
            }
        }
        return Ok(asked.to_vec());
    }
    let mut out: Vec<String> = info
        .issues
        .iter()
        .map(|i| format!("progress_{i}"))
        .collect();
    if info.has_bodies {
        out.push("deadlock_rate".into());
        out.push("minilateral_share".into());
    }
    out.extend(info.charts.iter().cloned());
    out.dedup();
    out.retain(|m| means.contains_key(m));
    Ok(out)
}

/// Morris or Sobol indices of one metric.
fn indices_for(
    info: &SweepInfo,
    metric: &str,
    y: &[f64],
    bootstrap: usize,
) -> Result<Vec<IndexRow>> {
    let d = info.params.len();
    let row = |p: usize, index: &'static str, value: f64, lo: f64, hi: f64| IndexRow {
        parameter: info.params[p].clone(),
        metric: metric.to_string(),
        index,
        value,
        ci_low: lo,
        ci_high: hi,
    };
    let mut out = Vec::new();
    if info.design == "sobol" {
        let n = info.samples;
        if n * (d + 2) != y.len() {
            bail!(
                "the sweep has {} points, not samples × (parameters + 2) = {}",
                y.len(),
                n * (d + 2)
            );
        }
        let s = analysis::sobol_indices(y, n, d, bootstrap, LEVEL, info.seed);
        for p in 0..d {
            let (f, t) = (&s.first[p], &s.total[p]);
            out.push(row(p, "S1", f.value, f.ci_low, f.ci_high));
            out.push(row(p, "ST", t.value, t.ci_low, t.ci_high));
        }
    } else {
        let r = info.trajectories;
        let units = analysis::morris_design(r, d, info.levels, info.seed);
        if units.len() != y.len() * d {
            bail!(
                "the sweep has {} points, not trajectories × (parameters + 1) = {}",
                y.len(),
                r * (d + 1)
            );
        }
        let m = analysis::morris_indices(&units, y, d);
        // Bootstrap over trajectories for μ* and μ (percentile intervals).
        let per = d + 1;
        let mut rng = ChaCha8Rng::seed_from_u64(info.seed);
        rng.set_stream(1);
        let (mut units_b, mut y_b) = (Vec::with_capacity(units.len()), Vec::with_capacity(y.len()));
        let mut draws: Vec<Vec<[f64; 3]>> = vec![Vec::with_capacity(bootstrap); d];
        for _ in 0..bootstrap {
            units_b.clear();
            y_b.clear();
            for _ in 0..r {
                let t = rng.random_range(0..r);
                units_b.extend_from_slice(&units[t * per * d..(t + 1) * per * d]);
                y_b.extend_from_slice(&y[t * per..(t + 1) * per]);
            }
            let b = analysis::morris_indices(&units_b, &y_b, d);
            for (p, draw) in draws.iter_mut().enumerate() {
                draw.push([b.mu[p], b.mu_star[p], b.sigma[p]]);
            }
        }
        for (p, draw) in draws.iter().enumerate() {
            let ci = |k: usize| percentile_interval(draw.iter().map(|x| x[k]));
            let (mu, mu_star, sigma) = (ci(0), ci(1), ci(2));
            out.push(row(p, "mu", m.mu[p], mu.0, mu.1));
            out.push(row(p, "mu_star", m.mu_star[p], mu_star.0, mu_star.1));
            out.push(row(p, "sigma", m.sigma[p], sigma.0, sigma.1));
        }
    }
    Ok(out)
}

/// The central `LEVEL` percentile interval of the finite values (NaN if none).
fn percentile_interval(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let i = ((v.len() - 1) as f64 * p).round() as usize;
        v[i.min(v.len() - 1)]
    };
    let tail = (1.0 - LEVEL) / 2.0;
    (q(tail), q(1.0 - tail))
}

/// PRIM over the runs of `runs.csv`, one result per condition.
fn prim_all(
    dir: &Path,
    info: &SweepInfo,
    conditions: &[Condition],
    args: &AnalyzeArgs,
) -> Result<Vec<(Condition, analysis::PrimResult, usize)>> {
    let path = dir.join(crate::output::RUNS);
    let mut reader = CsvReader::open(&path)?;
    let param_at = reader.columns(&info.all_params)?;
    let mut metric_at = Vec::new();
    for c in conditions {
        let Ok(k) = reader.column(&c.metric) else {
            let known: Vec<&str> = reader
                .headers()
                .iter()
                .skip(3 + info.all_params.len())
                .map(String::as_str)
                .collect();
            return Err(InputError(format!(
                "--condition {:?}: no metric {:?} in runs.csv; it has {}",
                c.text(),
                c.metric,
                known.join(", ")
            ))
            .into());
        };
        metric_at.push(k);
    }
    let d = info.all_params.len();
    let mut categories: Vec<Vec<String>> = vec![Vec::new(); d];
    let mut x = Vec::new();
    let mut outcomes: Vec<Vec<f64>> = vec![Vec::new(); conditions.len()];
    while let Some(row) = reader.next_row()? {
        for (j, &a) in param_at.iter().enumerate() {
            let kind = info.kinds.get(j).copied().flatten();
            x.push(coordinate(&row, a, kind, &mut categories[j])?);
        }
        for (o, &k) in outcomes.iter_mut().zip(&metric_at) {
            o.push(row.num(k)?);
        }
    }
    let n = x.len() / d.max(1);
    let mut out = Vec::new();
    for (c, ys) in conditions.iter().zip(&outcomes) {
        let y: Vec<bool> = ys.iter().map(|&v| c.holds(v)).collect();
        let cases = y.iter().filter(|&&b| b).count();
        let r = analysis::prim(&x, &y, d, args.alpha, args.min_support, args.min_coverage);
        out.push((c.clone(), r, cases));
    }
    if n == 0 {
        bail!("{} has no runs", path.display());
    }
    Ok(out)
}

/// A parameter's cell as a coordinate for PRIM, by its kind in the design: numbers as
/// they are, booleans 0/1, text by order of first appearance in `categories`
/// (documented in prim.csv's bounds). A sweep's manifest always gives the kind; a
/// parameter without one is read as a number.
fn coordinate(
    row: &Row,
    c: usize,
    kind: Option<ParamKind>,
    categories: &mut Vec<String>,
) -> Result<f64> {
    Ok(match kind.unwrap_or(ParamKind::Number) {
        ParamKind::Number => row.num(c)?,
        ParamKind::Bool => f64::from(u8::from(row.parse::<bool>(c, "true or false")?)),
        ParamKind::Text => {
            let cell = row.text(c);
            let k = categories
                .iter()
                .position(|s| s == cell)
                .unwrap_or_else(|| {
                    categories.push(cell.to_string());
                    categories.len() - 1
                });
            k as f64
        }
    })
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("removing {}", path.display())),
    }
}

/// Writes the CSV file `name` in `dir` atomically (`output::files::write_atomic`):
/// `write` fills its records.
pub(super) fn write_csv(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut Writer<Vec<u8>>) -> Result<()>,
) -> Result<()> {
    let path = dir.join(name);
    let mut w = writer(Vec::new());
    write(&mut w)?;
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    write_atomic(&path, &bytes).with_context(|| format!("writing {}", path.display()))
}

/// A bound for people: integers as they are, else 4 significant digits.
fn short(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 8) as usize;
        format!("{x:.digits$}")
    }
}

pub(super) fn cell(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// Each design point's optimum along `[sweep.optimum]`'s parameter.
const OPTIMUM: &str = "optimum.csv";

columns! {
    /// The last columns of a row of `optimum.csv` (after `design_point` and the design's
    /// parameters): metric `m`'s best value `b` at a design point.
    fn optimum_row(o: &crate::output::optimum::Optima, m: &str, b: Option<&crate::output::optimum::Best>) -> OPTIMUM_COLUMNS {
        "metric" => m.to_string(),
        "best" => b.map_or(String::new(), |b| o.values[b.at].clone()),
        "best_mean" => b.map_or(String::new(), |b| cell(b.mean)),
        "best_ci95_low" => b.map_or(String::new(), |b| cell(b.lo)),
        "best_ci95_high" => b.map_or(String::new(), |b| cell(b.hi)),
        "plateau_low" => b.map_or(String::new(), |b| if o.numeric { cell(b.span.0) } else { String::new() }),
        "plateau_high" => b.map_or(String::new(), |b| if o.numeric { cell(b.span.1) } else { String::new() }),
        "tied" => b.map_or(String::new(), |b| b.tied.to_string()),
        "tested" => b.map_or(String::new(), |b| b.tested.to_string()),
        "edge" => b.map_or("untested".to_string(), |b| if b.all_tied() { "all_tied".to_string() } else { b.edge_word().to_string() }),
    }
}

fn write_optimum(dir: &Path, o: &crate::output::optimum::Optima) -> Result<()> {
    write_csv(dir, OPTIMUM, |w| {
        let mut header = vec!["design_point".to_string()];
        header.extend(o.design_params.iter().cloned());
        header.extend(OPTIMUM_COLUMNS.iter().map(|c| c.to_string()));
        w.write_record(&header)?;
        for (g, cells) in o.cells.iter().enumerate() {
            for (m, bests) in o.optimum.metrics.iter().zip(&o.best) {
                let mut rec = vec![g.to_string()];
                rec.extend(cells.iter().cloned());
                rec.extend(optimum_row(o, m, bests.get(g).and_then(Option::as_ref)));
                w.write_record(&rec)?;
            }
        }
        Ok(())
    })
}

columns! {
    /// One row of `sensitivity.csv`.
    fn sensitivity_row(r: &IndexRow) -> SENSITIVITY_COLUMNS {
        "parameter" => r.parameter.clone(),
        "metric" => r.metric.clone(),
        "index" => r.index.to_string(),
        "value" => cell(r.value),
        "ci_low" => cell(r.ci_low),
        "ci_high" => cell(r.ci_high),
    }
}

fn write_sensitivity(dir: &Path, rows: &[IndexRow]) -> Result<()> {
    write_csv(dir, "sensitivity.csv", |w| {
        w.write_record(SENSITIVITY_COLUMNS)?;
        for r in rows {
            w.write_record(sensitivity_row(r))?;
        }
        Ok(())
    })
}

columns! {
    /// The first columns of a row of `prim.csv` (step `k` of condition `c`'s
    /// trajectory); the bounds of each parameter follow.
    fn prim_row(c: &Condition, r: &analysis::PrimResult, k: usize) -> PRIM_COLUMNS {
        let step = &r.trajectory[k];
        "condition" => c.text(),
        "step" => k.to_string(),
        "chosen" => (k == r.chosen).to_string(),
        "runs_in_box" => step.support.to_string(),
        "coverage" => cell(step.coverage),
        "density" => cell(step.density),
    }
}

fn write_prim(
    dir: &Path,
    params: &[String],
    prims: &[(Condition, analysis::PrimResult, usize)],
) -> Result<()> {
    write_csv(dir, "prim.csv", |w| {
        let mut header: Vec<String> = PRIM_COLUMNS.iter().map(|c| c.to_string()).collect();
        for p in params {
            header.push(format!("{p}_min"));
            header.push(format!("{p}_max"));
        }
        w.write_record(&header)?;
        for (c, r, _) in prims {
            for (k, step) in r.trajectory.iter().enumerate() {
                let mut rec = prim_row(c, r, k);
                for &(lo, hi) in &step.bounds {
                    rec.push(cell(lo));
                    rec.push(cell(hi));
                }
                w.write_record(&rec)?;
            }
        }
        Ok(())
    })
}

fn print_summary(
    info: &SweepInfo,
    rows: &[IndexRow],
    prims: &[(Condition, analysis::PrimResult, usize)],
) {
    let mut metric = "";
    for r in rows {
        if r.metric != metric {
            metric = &r.metric;
            println!("{metric} ({} design):", info.design);
        }
        println!(
            "  {:<32} {:<8} {:>9.4}  [{:.4}, {:.4}]",
            r.parameter, r.index, r.value, r.ci_low, r.ci_high
        );
    }
    for (c, r, cases) in prims {
        let step = &r.trajectory[r.chosen];
        println!(
            "PRIM for {}: {cases} runs meet it; chosen box (step {}): coverage {:.3}, density {:.3}, {} runs",
            c.text(),
            r.chosen,
            step.coverage,
            step.density,
            step.support
        );
        let full = &r.trajectory[0].bounds;
        for ((p, &(lo, hi)), &(lo0, hi0)) in info.all_params.iter().zip(&step.bounds).zip(full) {
            if lo > lo0 || hi < hi0 {
                println!("  {p} in [{}, {}]", short(lo), short(hi));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse_and_hold() {
        let c = Condition::parse("minilateral_share >= 0.5").unwrap();
        assert_eq!(
            (c.metric.as_str(), c.op.as_str(), c.value),
            ("minilateral_share", ">=", 0.5)
        );
        assert!(c.holds(0.5) && !c.holds(0.49) && !c.holds(f64::NAN));
        let c = Condition::parse("deadlock_UN<0.2").unwrap();
        assert!(c.holds(0.1) && !c.holds(0.2));
        assert!(
            Condition::parse("x = 1")
                .unwrap_err()
                .contains("expected METRIC OP NUMBER")
        );
        assert!(
            Condition::parse("x > high")
                .unwrap_err()
                .contains("expected a number after >")
        );
    }

    #[test]
    fn percentile_intervals_take_the_central_95_percent() {
        let (lo, hi) = percentile_interval((0..=1000).map(f64::from));
        assert_eq!((lo, hi), (25.0, 975.0));
    }
}
