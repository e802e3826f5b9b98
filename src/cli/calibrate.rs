//! `minilat calibrate FILE`: fits the parameters of a scenario's `[calibrate]` table to
//! its targets by approximate Bayesian computation ([`crate::analysis::abc`]).
//!
//! The draws from the prior are a sampled sweep ([`super::sweep::run_plan`]): parallel,
//! seeded, bit-identical for any thread count, resumable and shardable. Then, over the
//! finished draws (or with `--analyze DIR` over merged shards), it keeps the draws
//! nearest the targets, adjusts them, re-simulates posterior samples for the posterior
//! predictive check, and writes `posterior.csv`, `calibration.csv` and `fit.csv`.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::InputError;
use super::analyze::{cell, read_point_means, write_csv};
use super::execute::Outcome;
use super::options::{BatchOptions, Overrides};
use super::sweep::{DesignArgs, SweepArgs, SweepPlan, run_plan};
use crate::analysis::abc;
use crate::engine::RunKey;
use crate::metrics::{Discard, RunSummary};
use crate::output::manifest;
use crate::scenario::calibrate::{AbcMethod, CalibrationSpec};
use crate::scenario::sweep::Value;

/// Arguments of `minilat calibrate`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("out", |a| a.help("Output directory (default: output/<scenario name>-sweep/)")))]
pub struct CalibrateArgs {
    /// Scenario file (TOML) with a [calibrate] table, or a shipped scenario's name.
    pub file: PathBuf,
    /// Overrides.
    #[command(flatten)]
    pub overrides: Overrides,
    /// Output directory, threads, --force.
    #[command(flatten)]
    pub batch: BatchOptions,
    /// Draw only shard I of N (0-based) of the prior's draws; merge the shards with
    /// `minilat merge`, then fit with --analyze.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Go on from where interrupted draws in the output directory stopped.
    #[arg(long)]
    pub resume: bool,
    /// Fit the draws already in DIR (a merged directory of this file's shards) without
    /// running any.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["shard", "resume"])]
    pub analyze: Option<PathBuf>,
    /// Do not draw charts or write report.html at the end.
    #[arg(long)]
    pub no_plots: bool,
    /// Seconds between checkpoints (progress saved for --resume), 0 to 86400.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = super::checkpoint_seconds)]
    pub checkpoint: f64,
    /// Draw more runs than calibrate.max_runs.
    #[arg(long)]
    pub yes: bool,
    /// No progress bar and no summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `posterior.csv`, `calibration.csv`, `fit.csv`.
pub const POSTERIOR: &str = "posterior.csv";
/// Per parameter: prior, posterior summary, identification.
pub const CALIBRATION: &str = "calibration.csv";
/// Per target: observed against the posterior predictive.
pub const FIT: &str = "fit.csv";

/// Runs `minilat calibrate`.
pub fn calibrate(args: CalibrateArgs) -> Result<()> {
    let (plan, spec) = SweepPlan::load_calibration(&args.file, &args.overrides)?;
    let dir = match &args.analyze {
        Some(dir) => {
            check_draws(dir, &plan)?;
            dir.clone()
        }
        None => {
            let sweep = SweepArgs {
                file: args.file.clone(),
                design: DesignArgs {
                    overrides: args.overrides.clone(),
                    yes: args.yes,
                    ..DesignArgs::default()
                },
                batch: args.batch.clone(),
                shard: args.shard.clone(),
                resume: args.resume,
                no_plots: true,
                checkpoint: args.checkpoint,
                quiet: args.quiet,
            };
            let outcome = run_plan(&plan, &sweep, "calibrate")?;
            if args.shard.is_some() {
                if !args.quiet {
                    println!(
                        "  one shard of the draws; merge the shards (minilat merge), then fit: minilat calibrate {} --analyze MERGED_DIR",
                        args.file.display()
                    );
                }
                return Ok(());
            }
            match &outcome {
                Outcome::Complete { dir, .. } | Outcome::AlreadyComplete(dir) => dir.clone(),
            }
        }
    };
    let fit = fit(&plan, &spec, &dir)?;
    write_fit(&dir, &plan, &spec, &fit)?;
    if !args.quiet {
        print_fit(&spec, &fit, &dir);
    }
    if !args.no_plots {
        super::draw(&dir, None, args.quiet)?;
    }
    Ok(())
}

/// For `minilat validate`: a line describing the scenario's `[calibrate]` table, if it
/// has one, after checking its draws' scenarios (every one up to
/// [`super::sweep::VALIDATE_EVERY_POINT`]).
pub fn describe_calibration(file: &Path, set: &[String]) -> Result<Option<String>> {
    let doc = crate::scenario::document::Document::read(file, set, None)?;
    if doc.root().get("calibrate").is_none() {
        return Ok(None);
    }
    let overrides = Overrides { set: set.to_vec() };
    let (plan, spec) = SweepPlan::load_calibration(file, &overrides)?;
    let checked = plan.check_sample()?;
    let s = plan.spec();
    Ok(Some(format!(
        "calibrate: {} draws x {} replicates = {} runs, {}, {} ({}); {} draws checked",
        s.points(),
        s.replicates,
        s.runs(),
        super::count(s.axes.len(), "parameter"),
        super::count(spec.targets.len(), "target"),
        spec.targets
            .iter()
            .map(|t| t.metric.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        checked
    )))
}

/// Refuses a directory that does not hold this file's finished, merged draws.
fn check_draws(dir: &Path, plan: &SweepPlan) -> Result<()> {
    let path = dir.join(crate::output::MANIFEST);
    let m = manifest::read(&path).map_err(|e| {
        InputError(format!(
            "{}: cannot read {} ({}); is this a finished calibration's output directory?",
            dir.display(),
            path.display(),
            e.what
        ))
    })?;
    let Some(sweep) = &m.sweep else {
        bail!(InputError(format!(
            "{} holds a `minilat run` batch, not the draws of a calibration",
            dir.display()
        )));
    };
    if sweep.shard.is_some() {
        bail!(InputError(format!(
            "{} holds one shard of the draws; merge the shards first (minilat merge) and fit the merged directory",
            dir.display()
        )));
    }
    if m.scenario_sha256 != plan.base().hash || m.overrides != plan.overrides() {
        bail!(InputError(format!(
            "{} holds draws of another scenario file or other --set overrides than {} (its manifest's scenario_sha256 and overrides differ); fit it with the file and overrides that drew it",
            dir.display(),
            m.scenario_file
        )));
    }
    Ok(())
}

/// One parameter's posterior.
struct ParamFit {
    path: String,
    lo: f64,
    hi: f64,
    mean: f64,
    sd: f64,
    median: f64,
    q025: f64,
    q975: f64,
    ratio: f64,
}

/// One target's fit.
struct TargetFit {
    /// Mean of the kept draws' statistic (weighted).
    kept_mean: f64,
    /// Median over the kept draws of the statistic's Monte Carlo standard error
    /// (`sd / sqrt(n)` over the draw's replicates).
    mc_se: f64,
    /// The smallest and largest statistic over all the draws: what the prior reaches.
    reach: (f64, f64),
    /// Posterior predictive: the statistic's mean and central 95% interval over the
    /// re-simulated posterior samples (NaN without `predictive`).
    predictive_mean: f64,
    predictive_sd: f64,
    predictive_low: f64,
    predictive_high: f64,
}

/// The fit over the draws in `dir`.
struct Fit {
    posterior: abc::Posterior,
    params: Vec<ParamFit>,
    targets: Vec<TargetFit>,
    draws: usize,
}

/// Reads the draws' point means, keeps the nearest, adjusts, summarises, and runs the
/// posterior predictive check.
fn fit(plan: &SweepPlan, spec: &CalibrationSpec, dir: &Path) -> Result<Fit> {
    let points = plan.spec().points() as usize;
    let means = read_point_means(dir, points)?;
    let (d, m) = (plan.spec().axes.len(), spec.targets.len());
    let mut stats = vec![f64::NAN; points * m];
    for (j, t) in spec.targets.iter().enumerate() {
        let Some(column) = means.get(&t.metric) else {
            bail!(InputError(format!(
                "{}: points.csv has no metric {}",
                dir.display(),
                t.metric
            )));
        };
        for p in 0..points {
            stats[p * m + j] = column[p];
        }
    }
    let se = read_standard_errors(dir, points, &spec.targets)?;
    let mut params = Vec::with_capacity(points * d);
    for p in 0..points {
        params.extend(plan.spec().point(p as u32).iter().map(|(v, _)| number(v)));
    }
    let bounds: Vec<(f64, f64)> = (plan.spec().axes.iter())
        .map(|a| a.range().unwrap_or((f64::NAN, f64::NAN)))
        .collect();
    let observed: Vec<f64> = spec.targets.iter().map(|t| t.value).collect();
    let scale: Vec<f64> = spec.targets.iter().map(|t| t.sd).collect();
    let keep = ((spec.accept * points as f64).floor() as usize).max(1);
    let adjust = spec.method == AbcMethod::Regression;
    let Some(posterior) = abc::abc(&params, &stats, &observed, &scale, &bounds, keep, adjust)
    else {
        bail!(InputError(format!(
            "no draw in {} has every target metric defined ({}); the targets cannot be fitted",
            dir.display(),
            spec.targets
                .iter()
                .map(|t| t.metric.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let k = posterior.kept.len();
    let params_fit = (0..d)
        .map(|j| {
            let col: Vec<f64> = (0..k).map(|r| posterior.samples[r * d + j]).collect();
            let w = &posterior.weights;
            let (mean, sd) = abc::weighted_mean_sd(&col, w);
            let (q025, q975) = (
                abc::weighted_quantile(&col, w, 0.025),
                abc::weighted_quantile(&col, w, 0.975),
            );
            let (lo, hi) = bounds[j];
            ParamFit {
                path: plan.spec().axes[j].path.clone(),
                lo,
                hi,
                mean,
                sd,
                median: abc::weighted_quantile(&col, w, 0.5),
                q025,
                q975,
                ratio: abc::width_ratio(q025, q975, lo, hi),
            }
        })
        .collect();
    let predictive = predictive_check(plan, spec, &posterior)?;
    let targets = (0..m)
        .map(|j| {
            let kept: Vec<f64> = posterior.kept.iter().map(|&p| stats[p * m + j]).collect();
            let (kept_mean, _) = abc::weighted_mean_sd(&kept, &posterior.weights);
            let mut errors: Vec<f64> = (posterior.kept.iter())
                .map(|&p| se[p * m + j])
                .filter(|x| x.is_finite())
                .collect();
            errors.sort_by(f64::total_cmp);
            let mc_se = errors.get(errors.len() / 2).copied().unwrap_or(f64::NAN);
            let drawn = (0..points)
                .map(|p| stats[p * m + j])
                .filter(|x| x.is_finite());
            let reach = drawn.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            });
            let sims: Vec<f64> = (predictive.iter().map(|row| row[j]))
                .filter(|x| x.is_finite())
                .collect();
            let (predictive_mean, predictive_sd, predictive_low, predictive_high) =
                if sims.is_empty() {
                    (f64::NAN, f64::NAN, f64::NAN, f64::NAN)
                } else {
                    let w = vec![1.0; sims.len()];
                    let (mean, sd) = abc::weighted_mean_sd(&sims, &w);
                    (
                        mean,
                        sd,
                        abc::weighted_quantile(&sims, &w, 0.025),
                        abc::weighted_quantile(&sims, &w, 0.975),
                    )
                };
            TargetFit {
                kept_mean,
                mc_se,
                reach,
                predictive_mean,
                predictive_sd,
                predictive_low,
                predictive_high,
            }
        })
        .collect();
    Ok(Fit {
        posterior,
        params: params_fit,
        targets,
        draws: points,
    })
}

/// Each target metric's standard error at each point (`sd / sqrt(n)` from
/// `points.csv`), `points × targets`; NaN where undefined.
fn read_standard_errors(
    dir: &Path,
    points: usize,
    targets: &[crate::scenario::calibrate::Target],
) -> Result<Vec<f64>> {
    use crate::output::results::CsvReader;
    let m = targets.len();
    let mut out = vec![f64::NAN; points * m];
    let mut reader = CsvReader::open(&dir.join(crate::output::POINTS))?;
    let (point_at, metric_at, sd_at, n_at) = (
        reader.column("point")?,
        reader.column("metric")?,
        reader.column("sd")?,
        reader.column("n")?,
    );
    while let Some(row) = reader.next_row()? {
        let Some(j) = targets.iter().position(|t| t.metric == row.text(metric_at)) else {
            continue;
        };
        let p: usize = row.parse(point_at, "a point number")?;
        let (sd, n) = (row.num(sd_at)?, row.num(n_at)?);
        if p < points && n > 0.0 {
            out[p * m + j] = sd / n.sqrt();
        }
    }
    Ok(out)
}

/// A design value as a number (ranges are numbers).
fn number(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(x) => *x,
        Value::Bool(_) | Value::Str(_) => f64::NAN,
    }
}

/// The posterior predictive check: `predictive` samples drawn from the posterior by
/// systematic resampling (its own stream of the design's seed), each re-simulated
/// `replicates` times on fresh run streams (sweep points after the design's); returns
/// each sample's mean of every target metric.
fn predictive_check(
    plan: &SweepPlan,
    spec: &CalibrationSpec,
    posterior: &abc::Posterior,
) -> Result<Vec<Vec<f64>>> {
    let n = spec.predictive as usize;
    if n == 0 {
        return Ok(Vec::new());
    }
    let d = plan.spec().axes.len();
    let mut rng = ChaCha8Rng::seed_from_u64(plan.spec().seed);
    rng.set_stream(u64::MAX - 1);
    let start: f64 = rng.random::<f64>() / n as f64;
    let mut picks = Vec::with_capacity(n);
    let (mut cum, mut r) = (posterior.weights[0], 0usize);
    for i in 0..n {
        let u = start + i as f64 / n as f64;
        while cum < u && r + 1 < posterior.weights.len() {
            r += 1;
            cum += posterior.weights[r];
        }
        picks.push(r);
    }
    let scenarios = picks
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let values: Vec<Value> = (0..d)
                .map(|j| {
                    let x = posterior.samples[r * d + j];
                    match plan.spec().point(posterior.kept[r] as u32)[j].0 {
                        Value::Int(_) => Value::Int(x.round() as i64),
                        _ => Value::Float(x),
                    }
                })
                .collect();
            plan.scenario_with(&values, &format!(" (posterior sample {i})"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let replicates = plan.spec().replicates as usize;
    let first = plan.spec().points();
    let columns = RunSummary::columns(&plan.base().scenario);
    let at: Vec<usize> = (spec.targets.iter())
        .map(|t| columns.iter().position(|c| *c == t.metric).unwrap_or(0))
        .collect();
    let runs = crate::batch::par_map(n * replicates, |job| {
        let (i, rep) = (job / replicates, job % replicates);
        let key = RunKey {
            point: first + i as u32,
            replicate: rep as u32,
        };
        let summary = crate::engine::run(&scenarios[i], key, &mut Discard);
        let mut values = Vec::with_capacity(columns.len());
        summary.values(&mut values);
        at.iter().map(|&c| values[c]).collect::<Vec<f64>>()
    });
    Ok((0..n)
        .map(|i| {
            (0..at.len())
                .map(|j| {
                    let cells: Vec<f64> = (0..replicates)
                        .map(|rep| runs[i * replicates + rep][j])
                        .filter(|x| x.is_finite())
                        .collect();
                    if cells.is_empty() {
                        f64::NAN
                    } else {
                        cells.iter().sum::<f64>() / cells.len() as f64
                    }
                })
                .collect()
        })
        .collect())
}

/// Whether a target's observed value is consistent with the posterior predictive:
/// within two combined standard deviations (its own uncertainty and the predictive
/// spread).
fn consistent(observed: f64, sd: f64, t: &TargetFit) -> Option<bool> {
    t.predictive_mean.is_finite().then(|| {
        (t.predictive_mean - observed).abs() <= 2.0 * (sd.powi(2) + t.predictive_sd.powi(2)).sqrt()
    })
}

fn write_fit(dir: &Path, plan: &SweepPlan, spec: &CalibrationSpec, fit: &Fit) -> Result<()> {
    let d = plan.spec().axes.len();
    let post = &fit.posterior;
    write_csv(dir, POSTERIOR, |w| {
        let mut header = vec![
            "sample".to_string(),
            "draw".into(),
            "weight".into(),
            "distance".into(),
        ];
        header.extend(plan.spec().axes.iter().map(|a| a.path.clone()));
        w.write_record(&header)?;
        for (r, &p) in post.kept.iter().enumerate() {
            let mut row = vec![
                r.to_string(),
                p.to_string(),
                cell(post.weights[r]),
                cell(post.distances[r]),
            ];
            row.extend((0..d).map(|j| cell(post.samples[r * d + j])));
            w.write_record(&row)?;
        }
        Ok(())
    })?;
    write_csv(dir, CALIBRATION, |w| {
        w.write_record([
            "parameter",
            "prior_min",
            "prior_max",
            "mean",
            "sd",
            "median",
            "q025",
            "q975",
            "width_ratio",
            "identification",
            "method",
            "draws",
            "kept",
            "tolerance",
        ])?;
        for p in &fit.params {
            w.write_record([
                p.path.clone(),
                cell(p.lo),
                cell(p.hi),
                cell(p.mean),
                cell(p.sd),
                cell(p.median),
                cell(p.q025),
                cell(p.q975),
                cell(p.ratio),
                abc::identification(p.ratio).to_string(),
                spec.method.as_str().to_string(),
                fit.draws.to_string(),
                post.kept.len().to_string(),
                cell(post.tolerance),
            ])?;
        }
        Ok(())
    })?;
    write_csv(dir, FIT, |w| {
        w.write_record([
            "metric",
            "observed",
            "sd",
            "source",
            "kept_mean",
            "mc_se",
            "reach_low",
            "reach_high",
            "predictive_mean",
            "predictive_low",
            "predictive_high",
            "consistent",
        ])?;
        for (t, f) in spec.targets.iter().zip(&fit.targets) {
            w.write_record([
                t.metric.clone(),
                cell(t.value),
                cell(t.sd),
                t.source.clone(),
                cell(f.kept_mean),
                cell(f.mc_se),
                cell(f.reach.0),
                cell(f.reach.1),
                cell(f.predictive_mean),
                cell(f.predictive_low),
                cell(f.predictive_high),
                consistent(t.value, t.sd, f).map_or(String::new(), |c| c.to_string()),
            ])?;
        }
        Ok(())
    })
}

fn print_fit(spec: &CalibrationSpec, fit: &Fit, dir: &Path) {
    println!(
        "  calibration ({} ABC): kept {} of {} draws nearest the targets (tolerance {:.3} in targets' sd)",
        spec.method.as_str(),
        fit.posterior.kept.len(),
        fit.draws,
        fit.posterior.tolerance
    );
    for p in &fit.params {
        println!(
            "    {}: {:.4} [{:.4}, {:.4}] (prior {}..{}); 95% interval {:.0}% of the prior's: {}",
            p.path,
            p.median,
            p.q025,
            p.q975,
            p.lo,
            p.hi,
            100.0 * p.ratio,
            abc::identification(p.ratio)
        );
    }
    for (t, f) in spec.targets.iter().zip(&fit.targets) {
        let verdict = match consistent(t.value, t.sd, f) {
            Some(true) => "consistent",
            Some(false) => "NOT consistent",
            None => "not checked",
        };
        println!(
            "    target {} = {} (sd {}): posterior predictive {:.4} [{:.4}, {:.4}], {verdict}",
            t.metric, t.value, t.sd, f.predictive_mean, f.predictive_low, f.predictive_high
        );
        if !(f.reach.0..=f.reach.1).contains(&t.value) {
            println!(
                "    warning: no draw reaches {} = {} (the draws span {:.4} to {:.4}): the prior cannot produce the target{}",
                t.metric,
                t.value,
                f.reach.0,
                f.reach.1,
                if spec.method == AbcMethod::Regression {
                    ", and the regression adjustment extrapolates beyond the draws (try method = \"rejection\")"
                } else {
                    ""
                }
            );
        }
        if f.mc_se > t.sd / 2.0 {
            println!(
                "    warning: the kept draws' Monte Carlo error on {} (median standard error {:.4}) is more than half the target's sd: the fit follows lucky draws; raise calibrate.replicates",
                t.metric, f.mc_se
            );
        }
    }
    println!("  {POSTERIOR}, {CALIBRATION}, {FIT} in {}", dir.display());
}
