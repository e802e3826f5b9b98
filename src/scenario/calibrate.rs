//! The `[calibrate]` table of `minilat calibrate`: the parameters to fit, with their
//! prior ranges, and the targets to fit them to.
//!
//! ```toml
//! [calibrate]
//! samples = 2000          # draws from the prior (a sampled sweep: lhs by default)
//! replicates = 10         # runs per draw
//! accept = 0.05           # share of the draws nearest the targets that is kept
//! [calibrate.params]
//! "coalitions.negotiation_cost" = { min = 0.0, max = 0.001 }
//! [[calibrate.targets]]
//! metric = "coalition_size_mean"
//! value = 20.0
//! sd = 3.0
//! source = "Naim 2009, Foreign Policy"
//! ```
//!
//! The draws are a sweep (`design`, `samples`, `replicates`, `seed`, `max_runs`,
//! `params` as in `[sweep]`, read by [`super::sweep::read_design`]), so they run,
//! resume and shard like one; a prior is uniform over each `{ min, max }` range.

use std::path::Path;

use super::Scenario;
use super::data::facts::Fact;
use super::parse::{Node, Place};
use super::reader::{ANY_FINITE, Ctx, POSITIVE, closed};
use super::sweep::{Design, SweepSpec};

/// Fields of `[calibrate]`.
const CALIBRATE_FIELDS: &str =
    "design replicates params samples seed max_runs accept method predictive facts targets";

/// Fields of one `[[calibrate.targets]]`.
const TARGET_FIELDS: &str = "metric value sd source fact";

/// How the kept draws become the posterior.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbcMethod {
    /// Rejection: the kept draws, weighted by the Epanechnikov kernel of their distance.
    Rejection,
    /// Rejection, then local-linear regression adjustment (Beaumont, Zhang & Balding
    /// 2002).
    Regression,
}

impl AbcMethod {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            AbcMethod::Rejection => "rejection",
            AbcMethod::Regression => "regression",
        }
    }
}

/// One statistic of the outputs to fit: a column of `runs.csv` (its mean over a
/// draw's replicates), the observed value, its uncertainty and where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// A column of `runs.csv`.
    pub metric: String,
    /// The observed value.
    pub value: f64,
    /// Its uncertainty (a standard deviation, > 0): the distance's unit for this target.
    pub sd: f64,
    /// Where the observed value comes from.
    pub source: String,
    /// Where the target was written.
    pub place: Place,
}

/// A validated `[calibrate]` table.
#[derive(Clone, Debug)]
pub struct CalibrationSpec {
    /// The draws from the prior, as a sampled sweep design.
    pub draws: SweepSpec,
    /// What to fit.
    pub targets: Vec<Target>,
    /// Share of the draws kept, in (0, 1].
    pub accept: f64,
    /// Rejection, or rejection with regression adjustment.
    pub method: AbcMethod,
    /// Posterior samples re-simulated for the posterior predictive check (0: none).
    pub predictive: u32,
}

/// Reads `[calibrate]`; `None` (with no error) if there is none.
pub(super) fn read(
    ctx: &mut Ctx,
    root: &Node,
    base: &Scenario,
    base_dir: &Path,
) -> Option<CalibrationSpec> {
    let node = root.get("calibrate")?;
    let t = ctx.table(node, "calibrate", Some(CALIBRATE_FIELDS))?;
    let designs = [("lhs", Design::Lhs), ("random", Design::Random)];
    let design = t.pick(ctx, "design", &designs, Design::Lhs);
    let accept = t.num(ctx, "accept", closed(1e-6, 1.0), 0.1);
    let method = t.pick(
        ctx,
        "method",
        &[
            ("regression", AbcMethod::Regression),
            ("rejection", AbcMethod::Rejection),
        ],
        AbcMethod::Regression,
    );
    let predictive: u32 = t.int(ctx, "predictive", 0..=100_000, 50);
    let facts = t
        .get("facts")
        .and_then(|n| super::data::facts::read(ctx, n, &t.field("facts"), base_dir));
    let targets = read_targets(ctx, &t, base, facts.as_deref());
    let draws = super::sweep::read_design(ctx, &t, design, base)?;
    if let Some(a) = draws.axes.iter().find(|a| !a.is_range()) {
        let message = "a calibrated parameter needs a prior range { min, max }";
        ctx.error(
            &a.place,
            &format!("calibrate.params.\"{}\"", a.path),
            message,
        );
    }
    let kept = (accept * f64::from(draws.points())).floor();
    if kept < 2.0 + draws.axes.len() as f64 + targets.len() as f64 {
        let message = format!(
            "keeps {kept} of {} draws: too few to fit {} parameters to {} targets; draw more samples or keep a larger share",
            draws.points(),
            draws.axes.len(),
            targets.len()
        );
        ctx.error(t.place(), "calibrate.accept", message);
    }
    Some(CalibrationSpec {
        draws,
        targets,
        accept,
        method,
        predictive,
    })
}

/// `[[calibrate.targets]]`: at least one, each metric a column of `runs.csv`, once.
/// A target names a `fact` of the facts file, or gives its `value`, `sd` and `source`.
fn read_targets(
    ctx: &mut Ctx,
    t: &super::reader::Table,
    base: &Scenario,
    facts: Option<&[Fact]>,
) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    let Some(node) = t.required(ctx, "targets") else {
        return targets;
    };
    let field = t.field("targets");
    let items = ctx
        .list(node, &field, "a list of [[calibrate.targets]] tables")
        .unwrap_or_default();
    if items.is_empty() {
        let message = "expected at least one target, e.g. { metric = \"coalition_size_mean\", value = 20.0, sd = 3.0, source = \"...\" }";
        ctx.error(&node.place, &field, message);
    }
    let columns = crate::metrics::RunSummary::columns(base);
    for (i, item) in items.iter().enumerate() {
        let Some(tt) = ctx.table(item, &format!("{field}[{i}]"), Some(TARGET_FIELDS)) else {
            continue;
        };
        let metric = tt.required_str(ctx, "metric");
        let (value, sd, source) = if let Some(node) = tt.get("fact") {
            if let Some(other) = ["value", "sd", "source"]
                .iter()
                .find(|k| tt.get(k).is_some())
            {
                let message = format!(
                    "a target names a fact or gives its own value, sd and source, not both (remove `{other}` or `fact`)"
                );
                ctx.error(&node.place, &tt.field("fact"), message);
                continue;
            }
            let Some(id) = ctx.string(node, &tt.field("fact")) else {
                continue;
            };
            let Some(facts) = facts else {
                let message =
                    "names a fact, but [calibrate] has no facts file (facts = \"data/facts.csv\")";
                ctx.error(&node.place, &tt.field("fact"), message);
                continue;
            };
            match facts.iter().find(|f| f.id == id) {
                Some(f) => (Some(f.value), Some(f.sd), Some(f.source.clone())),
                None => {
                    let message =
                        super::reader::unknown("fact", &id, facts.iter().map(|f| f.id.as_str()));
                    ctx.error(&node.place, &tt.field("fact"), message);
                    continue;
                }
            }
        } else {
            let value = tt
                .required(ctx, "value")
                .and_then(|n| ctx.number(n, &tt.field("value"), ANY_FINITE));
            let sd = tt
                .required(ctx, "sd")
                .and_then(|n| ctx.number(n, &tt.field("sd"), POSITIVE));
            let source = tt.required_str(ctx, "source");
            if let (Some(s), Some(n)) = (&source, tt.get("source"))
                && s.trim().is_empty()
            {
                let message = "say where the observed value comes from";
                ctx.error(&n.place, &tt.field("source"), message);
            }
            (value, sd, source)
        };
        let (Some(metric), Some(value), Some(sd), Some(source)) = (metric, value, sd, source)
        else {
            continue;
        };
        let place = tt
            .get("metric")
            .map_or_else(|| item.place.clone(), |n| n.place.clone());
        if !columns.contains(&metric) {
            let message = format!(
                "{} (a column of runs.csv)",
                super::reader::unknown("metric", &metric, columns.iter().map(String::as_str))
            );
            ctx.error(&place, &tt.field("metric"), message);
            continue;
        }
        if targets.iter().any(|x| x.metric == metric) {
            ctx.error(&place, &tt.field("metric"), "this metric is a target twice");
            continue;
        }
        targets.push(Target {
            metric,
            value,
            sd,
            source,
            place,
        });
    }
    targets
}
