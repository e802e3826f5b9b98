//! The `[sweep]` table: which scenario fields vary, over which values, and how many
//! replicates each point gets. Four designs:
//!
//! - `grid`: the Cartesian product of each parameter's values (a list, or a range
//!   `{ start, stop, step }` with `stop` included); the first parameter varies
//!   slowest, like nested loops in the order written;
//! - `list`: explicit points, `params = [paths]` and `points = [[values], ...]`;
//! - `lhs`: a Latin hypercube of `samples` points over ranges `{ min, max }` (or
//!   lists, sampled as categories);
//! - `random`: `samples` independent uniform points over the same ranges.
//!
//! Any design may add `[sweep.optimum]`: one more parameter (`param`, with its
//! `values`) at which every point of the design is run, so that each design point gets
//! its own curve of the `metrics` against that parameter, and `minilat analyze` the
//! best value of each curve with its plateau (and, for `morris` and `sobol`, what moves
//! it). Point `p` is design point `p / values` at value `p % values`; the optimum's
//! axis is the last of [`SweepSpec::axes`].
//!
//! Parameters are addressed by the dotted paths of `--set` (`coalitions.max_size`,
//! `bodies.UN.rule`, `issues[0].cost`). `lhs` and `random` draw from their own
//! ChaCha8 stream (`seed_from_u64(sweep.seed)`, stream `u64::MAX`, which no run
//! uses): for `lhs`, each parameter in order gets a Fisher-Yates permutation of the
//! strata and then one uniform jitter per point; for `random`, uniforms point by point,
//! parameter by parameter. Integer ranges (`min` and `max` both integers) give integer
//! values, each equally likely.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::parse::{self, Kind, Node, Place};
use super::reader::{Ctx, Table};
use super::{Scenario, TickOutput};

/// Fields of `[sweep]`.
const SWEEP_FIELDS: &str = "design replicates params points samples trajectories levels seed max_runs coalitions ticks charts optimum";

/// Fields of `[sweep.optimum]`.
const OPTIMUM_FIELDS: &str = "param values metrics";

/// Default limit on a sweep's runs before `--yes` is needed.
pub const DEFAULT_MAX_RUNS: u64 = 100_000;

/// Most points a design may have.
const MAX_POINTS: u64 = u32::MAX as u64;

/// Most samples of an lhs or random design (their coordinates are kept: 8 bytes per
/// sample and parameter).
const MAX_SAMPLES: i64 = 10_000_000;

/// Most replicates per point.
const MAX_REPLICATES: i64 = 1_000_000;

/// How points are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Design {
    /// Cartesian product.
    Grid,
    /// Explicit points.
    List,
    /// Latin hypercube.
    Lhs,
    /// Independent uniform samples.
    Random,
    /// Morris elementary-effects trajectories (screening).
    Morris,
    /// Saltelli's scheme on a Sobol sequence (variance-based indices).
    Sobol,
}

impl Design {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::List => "list",
            Design::Lhs => "lhs",
            Design::Random => "random",
            Design::Morris => "morris",
            Design::Sobol => "sobol",
        }
    }

    /// Whether the points come from unit coordinates over `{ min, max }` ranges.
    fn sampled(self) -> bool {
        !matches!(self, Design::Grid | Design::List)
    }
}

/// A parameter value at a point.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An integer.
    Int(i64),
    /// A number.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A string (e.g. a decision rule).
    Str(String),
}

impl Value {
    fn from_node(node: &Node) -> Option<Value> {
        Some(match &node.kind {
            Kind::Int(i) => Value::Int(*i),
            Kind::Float(f) => Value::Float(*f),
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Str(s) => Value::Str(s.clone()),
            _ => return None,
        })
    }

    /// The value as a tree node placed at `place`.
    pub fn to_node(&self, place: Place) -> Node {
        let kind = match self {
            Value::Int(i) => Kind::Int(*i),
            Value::Float(f) => Kind::Float(*f),
            Value::Bool(b) => Kind::Bool(*b),
            Value::Str(s) => Kind::Str(s.clone()),
        };
        Node { place, kind }
    }

    /// The value as a CSV cell (numbers in shortest round-trip form).
    pub fn cell(&self) -> String {
        match self {
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f}"),
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => s.clone(),
        }
    }
}

/// One swept parameter.
#[derive(Clone, Debug)]
pub struct Axis {
    /// Dotted path, as for `--set`.
    pub path: String,
    /// Where the path was written.
    pub place: Place,
    values: AxisValues,
}

#[derive(Clone, Debug)]
enum AxisValues {
    /// Discrete values (a grid's list or range, a sampled list's categories).
    Values(Vec<(Value, Place)>),
    /// A continuous or integer range for `lhs` and `random`.
    Range {
        lo: f64,
        hi: f64,
        integer: bool,
        place: Place,
    },
}

impl Axis {
    /// Whether it is a `{ min, max }` range (not a list of values).
    pub fn is_range(&self) -> bool {
        matches!(self.values, AxisValues::Range { .. })
    }

    /// The `{ min, max }` of a range, if it is one.
    pub fn range(&self) -> Option<(f64, f64)> {
        match self.values {
            AxisValues::Range { lo, hi, .. } => Some((lo, hi)),
            AxisValues::Values(_) => None,
        }
    }

    /// Number of discrete values (grid axes).
    fn len(&self) -> usize {
        match &self.values {
            AxisValues::Values(v) => v.len(),
            AxisValues::Range { .. } => 0,
        }
    }

    /// The value at `u` in `[0, 1)` (sampled designs).
    fn at_unit(&self, u: f64) -> (Value, Place) {
        match &self.values {
            AxisValues::Values(v) => {
                let i = ((u * v.len() as f64) as usize).min(v.len() - 1);
                v[i].clone()
            }
            AxisValues::Range {
                lo,
                hi,
                integer,
                place,
            } => {
                let value = if *integer {
                    let x = (lo + (u * (hi - lo + 1.0)).floor()).min(*hi);
                    Value::Int(x as i64)
                } else {
                    // NOTE: `lo + u (hi − lo)` can round past `hi` (a Morris step ends at
                    // u = 1, and 0.05 + 1 × 0.4 = 0.45000000000000007), and a point
                    // outside the declared range would be both wrong and alarming in the
                    // CSV files; clamped, the range's ends come out as written.
                    Value::Float((lo + u * (hi - lo)).clamp(*lo, *hi))
                };
                (value, place.clone())
            }
        }
    }

    /// The axis for the manifest.
    fn to_json(&self) -> serde_json::Value {
        match &self.values {
            AxisValues::Values(v) => serde_json::json!({
                "path": self.path,
                "values": v.iter().map(|(x, _)| value_json(x)).collect::<Vec<_>>(),
            }),
            AxisValues::Range {
                lo, hi, integer, ..
            } => serde_json::json!({
                "path": self.path, "min": lo, "max": hi, "integer": integer,
            }),
        }
    }
}

fn value_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| serde_json::Value::String(f.to_string()), Into::into),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Str(s) => serde_json::Value::String(s.clone()),
    }
}

/// `[sweep.optimum]`: every design point is run at each value of one more parameter
/// (the last axis), and the best value of each of `metrics` is sought along it.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimumSpec {
    /// Metrics (columns of runs.csv with a better direction).
    pub metrics: Vec<String>,
    /// Number of values of the optimum's parameter.
    pub values: u32,
}

/// A validated sweep design.
#[derive(Clone, Debug)]
pub struct SweepSpec {
    /// How points are chosen.
    pub design: Design,
    /// Runs per point.
    pub replicates: u32,
    /// The swept parameters, in the order written.
    pub axes: Vec<Axis>,
    /// Samples (`lhs`, `random`), or base rows N (`sobol`: N × (d + 2) points).
    pub samples: u32,
    /// Trajectories (`morris`: r × (d + 1) points).
    pub trajectories: u32,
    /// Grid levels (`morris`).
    pub levels: u32,
    /// Seed of the design's own stream (`lhs`, `random`).
    pub seed: u64,
    /// Largest number of runs accepted without `--yes`.
    pub max_runs: u64,
    /// Write `coalitions.csv`.
    pub coalitions: bool,
    /// Per-tick series.
    pub ticks: TickOutput,
    /// Summary metrics charted against the parameters besides the default ones.
    pub charts: Vec<String>,
    /// `[sweep.optimum]`: the metrics whose best value is sought over the last axis.
    pub optimum: Option<OptimumSpec>,
    points: u32,
    /// `list`: the points' values, point after point.
    listed: Vec<(Value, Place)>,
    /// `lhs` / `random`: unit coordinates, point after point.
    unit: Vec<f64>,
}

impl SweepSpec {
    /// Number of points.
    pub fn points(&self) -> u32 {
        self.points
    }

    /// Number of runs (points × replicates).
    pub fn runs(&self) -> u64 {
        u64::from(self.points) * u64::from(self.replicates)
    }

    /// The values of point `p`, one per axis, each with where it was written.
    pub fn point(&self, p: u32) -> Vec<(Value, Place)> {
        let (p, within) = match &self.optimum {
            // A grid takes the optimum's axis as its last (fastest) axis.
            Some(o) if self.design != Design::Grid => (p / o.values, Some(p % o.values)),
            _ => (p, None),
        };
        let mut out = self.design_point(p);
        if let (Some(i), Some(axis)) = (within, self.axes.last())
            && let AxisValues::Values(v) = &axis.values
        {
            out.push(v[i as usize].clone());
        }
        out
    }

    /// The axes of the design itself (without the optimum's).
    pub fn design_axes(&self) -> &[Axis] {
        let n = self.axes.len() - usize::from(self.optimum.is_some());
        &self.axes[..n]
    }

    /// Number of points of the design itself (points / the optimum's values).
    pub fn design_points(&self) -> u32 {
        self.points / self.optimum.as_ref().map_or(1, |o| o.values)
    }

    /// The values of design point `p` (for a grid: of point `p`, every axis).
    fn design_point(&self, p: u32) -> Vec<(Value, Place)> {
        let d = if self.design == Design::Grid {
            self.axes.len()
        } else {
            self.design_axes().len()
        };
        let p = p as usize;
        match self.design {
            Design::Grid => {
                let mut rest = p;
                let mut out = vec![(Value::Int(0), Place::Override(0)); d];
                for (slot, axis) in out.iter_mut().zip(&self.axes).rev() {
                    let n = axis.len();
                    if let AxisValues::Values(v) = &axis.values {
                        *slot = v[rest % n].clone();
                    }
                    rest /= n;
                }
                out
            }
            Design::List => self.listed[p * d..(p + 1) * d].to_vec(),
            _ => self
                .design_axes()
                .iter()
                .zip(&self.unit[p * d..(p + 1) * d])
                .map(|(axis, &u)| axis.at_unit(u))
                .collect(),
        }
    }

    /// `(path = value, ...)` of point `p`, for messages.
    pub fn describe_point(&self, p: u32) -> String {
        self.axes
            .iter()
            .zip(self.point(p))
            .map(|(a, (v, _))| format!("{} = {}", a.path, v.cell()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The design as JSON, for the manifest (and to check that shards match).
    pub fn to_json(&self) -> serde_json::Value {
        let mut j = serde_json::json!({
            "design": self.design.as_str(),
            "params": self.axes.iter().map(Axis::to_json).collect::<Vec<_>>(),
            "points": self.points,
            "replicates": self.replicates,
            "coalitions": self.coalitions,
            "ticks": match self.ticks {
                TickOutput::None => "none",
                TickOutput::Mean => "mean",
                TickOutput::All => "all",
            },
        });
        if !self.charts.is_empty() {
            j["charts"] = self.charts.clone().into();
        }
        if let (Some(o), Some(axis)) = (&self.optimum, self.axes.last()) {
            j["optimum"] = serde_json::json!({ "param": axis.path, "metrics": o.metrics });
        }
        match self.design {
            Design::Lhs | Design::Random | Design::Sobol => {
                j["samples"] = self.samples.into();
                j["seed"] = self.seed.into();
            }
            Design::Morris => {
                j["trajectories"] = self.trajectories.into();
                j["levels"] = self.levels.into();
                j["seed"] = self.seed.into();
            }
            Design::Grid | Design::List => {}
        }
        if self.design == Design::List {
            let d = self.design_axes().len().max(1);
            j["list"] = self
                .listed
                .chunks(d)
                .map(|row| row.iter().map(|(v, _)| value_json(v)).collect())
                .collect::<Vec<serde_json::Value>>()
                .into();
        }
        j
    }
}

/// Reads `[sweep]` from the document root; `None` (with no error) if there is none.
pub(super) fn read(ctx: &mut Ctx, root: &Node, base: &Scenario) -> Option<SweepSpec> {
    let node = root.get("sweep")?;
    let t = ctx.table(node, "sweep", Some(SWEEP_FIELDS))?;
    let designs = [
        ("grid", Design::Grid),
        ("list", Design::List),
        ("lhs", Design::Lhs),
        ("random", Design::Random),
        ("morris", Design::Morris),
        ("sobol", Design::Sobol),
    ];
    let design = t.pick(ctx, "design", &designs, Design::Grid);
    read_design(ctx, &t, design, base)
}

/// Reads a design of `design` from table `t` (`[sweep]`, or `[calibrate]`, whose draws
/// from the prior are a sampled sweep); field paths in errors are `t`'s own.
pub(super) fn read_design(
    ctx: &mut Ctx,
    t: &Table,
    design: Design,
    base: &Scenario,
) -> Option<SweepSpec> {
    let replicates = t.int(ctx, "replicates", 1..=MAX_REPLICATES, base.runs);
    if t.get("replicates").is_none() && i64::from(replicates) > MAX_REPLICATES {
        let message = format!(
            "the default, scenario.runs = {replicates}, is above {MAX_REPLICATES}; set {}",
            t.field("replicates")
        );
        ctx.error(t.place(), &t.field("replicates"), message);
    }
    let max_runs = t.int(ctx, "max_runs", 1..=i64::MAX, DEFAULT_MAX_RUNS);
    let coalitions = t.flag(ctx, "coalitions", false);
    let ticks_options = [
        ("none", TickOutput::None),
        ("mean", TickOutput::Mean),
        ("all", TickOutput::All),
    ];
    let ticks = t.pick(ctx, "ticks", &ticks_options, TickOutput::None);
    let seed = t.int(ctx, "seed", 0..=i64::MAX, base.seed);
    let charts = read_charts(ctx, t, base);
    let samples = read_samples(ctx, t, design);
    let (trajectories, levels) = read_morris(ctx, t, design);
    let mut spec = SweepSpec {
        design,
        replicates,
        axes: Vec::new(),
        samples,
        trajectories,
        levels,
        seed,
        max_runs,
        coalitions,
        ticks,
        charts,
        optimum: None,
        points: 0,
        listed: Vec::new(),
        unit: Vec::new(),
    };
    let optimum = read_optimum(ctx, t, base);
    if design == Design::List {
        read_list(ctx, t, &mut spec)?;
    } else {
        read_params(ctx, t, &mut spec)?;
    }
    if design.sampled() {
        let d = spec.axes.len();
        spec.unit = match design {
            Design::Sobol => crate::analysis::saltelli_design(samples as usize, d, seed),
            Design::Morris => {
                crate::analysis::morris_design(trajectories as usize, d, levels as usize, seed)
            }
            _ => sample_units(design, spec.points, d, seed),
        };
    }
    if let Some((axis, metrics)) = optimum {
        let values = axis.len() as u32;
        let total = u64::from(spec.points) * u64::from(values);
        if total > MAX_POINTS {
            let message = format!(
                "{} design points x {values} values of {} make {total} points, more than the {MAX_POINTS} a sweep can hold",
                spec.points, axis.path
            );
            ctx.error(&axis.place, &t.field("optimum.values"), message);
            return None;
        }
        spec.points = total as u32;
        spec.axes.push(axis);
        spec.optimum = Some(OptimumSpec { metrics, values });
    }
    check_paths(ctx, t, &spec.axes, spec.optimum.is_some());
    Some(spec)
}

/// `[sweep.optimum]`: the parameter (with its values, as a grid's) along which each
/// design point's best value is sought, and the metrics (default: progress on each
/// issue). `None` if absent or wrong (reported).
fn read_optimum(ctx: &mut Ctx, t: &Table, base: &Scenario) -> Option<(Axis, Vec<String>)> {
    // Only `[sweep]` takes one (`[calibrate]` reports the key as unknown).
    if t.path() != "sweep" {
        return None;
    }
    let node = t.get("optimum")?;
    let o = ctx.table(node, &t.field("optimum"), Some(OPTIMUM_FIELDS))?;
    let param = o.required(ctx, "param");
    let path = ctx.string(param?, &o.field("param"))?;
    let values = o.required(ctx, "values");
    let values = read_grid_axis(ctx, values?, &o.field("values"))?;
    let field = o.field("metrics");
    let columns = crate::metrics::RunSummary::columns(base);
    let mut metrics = Vec::new();
    match o.get("metrics") {
        None => metrics.extend(base.issues.iter().map(|i| format!("progress_{}", i.name))),
        Some(n) => {
            for item in ctx.list(n, &field, "a list of metric names")? {
                let metric = ctx.string(item, &field)?;
                if !columns.contains(&metric) {
                    let message = format!(
                        "{} (a column of runs.csv)",
                        super::reader::unknown(
                            "metric",
                            &metric,
                            columns.iter().map(String::as_str)
                        )
                    );
                    ctx.error(&item.place, &field, message);
                } else if crate::metrics::plateau::goal_of(&metric).is_none() {
                    let message = format!(
                        "{metric} has no better direction, so no best value: use progress_*, participation_*, welfare_*, deadlock_*, time_to_solve_*, free_riding_rate or take_up_failure"
                    );
                    ctx.error(&item.place, &field, message);
                } else if !metrics.contains(&metric) {
                    metrics.push(metric);
                }
            }
            if metrics.is_empty() {
                ctx.error(&n.place, &field, "expected at least one metric");
                return None;
            }
        }
    }
    let place = param.map_or_else(|| o.place().clone(), |n| n.place.clone());
    Some((
        Axis {
            path,
            place,
            values,
        },
        metrics,
    ))
}

/// `charts`: further columns of `runs.csv` to chart against the parameters, without
/// repeats.
fn read_charts(ctx: &mut Ctx, t: &Table, base: &Scenario) -> Vec<String> {
    let mut charts = Vec::new();
    let Some(n) = t.get("charts") else {
        return charts;
    };
    let field = t.field("charts");
    let columns = crate::metrics::RunSummary::columns(base);
    for item in ctx
        .list(n, &field, "a list of metric names")
        .unwrap_or_default()
    {
        let Some(metric) = ctx.string(item, &field) else {
            continue;
        };
        if !columns.contains(&metric) {
            let message = format!(
                "{} (a column of runs.csv)",
                super::reader::unknown("metric", &metric, columns.iter().map(String::as_str))
            );
            ctx.error(&item.place, &field, message);
        } else if !charts.contains(&metric) {
            charts.push(metric);
        }
    }
    charts
}

/// `samples`: required by `lhs`, `random` and `sobol`, an error elsewhere (0).
fn read_samples(ctx: &mut Ctx, t: &Table, design: Design) -> u32 {
    if matches!(design, Design::Lhs | Design::Random | Design::Sobol) {
        return t
            .required(ctx, "samples")
            .and_then(|n| ctx.integer(n, &t.field("samples"), 1..=MAX_SAMPLES))
            .map_or(0, |n| n as u32);
    }
    if let Some(n) = t.get("samples") {
        let message = if design == Design::Morris {
            "a morris design takes trajectories (and levels), not samples".to_string()
        } else {
            let what = design.as_str();
            format!(
                "only lhs, random and sobol designs take samples; a {what} design has its points from params"
            )
        };
        ctx.error(&n.place, &t.field("samples"), message);
    }
    0
}

/// `trajectories` and `levels` (even): a `morris` design's, an error elsewhere (0, 0).
fn read_morris(ctx: &mut Ctx, t: &Table, design: Design) -> (u32, u32) {
    if design != Design::Morris {
        let what = design.as_str();
        for key in ["trajectories", "levels"] {
            if let Some(n) = t.get(key) {
                ctx.error(
                    &n.place,
                    &t.field(key),
                    format!("only morris designs take {key}; this is a {what} design"),
                );
            }
        }
        return (0, 0);
    }
    let r = t
        .required(ctx, "trajectories")
        .and_then(|n| ctx.integer(n, &t.field("trajectories"), 2..=MAX_SAMPLES))
        .map_or(0, |n| n as u32);
    let levels: u32 = t.int(ctx, "levels", 2..=1_000, 4);
    if !levels.is_multiple_of(2)
        && let Some(n) = t.get("levels")
    {
        let message = format!(
            "expected an even number of levels (Morris's step is levels / (2 (levels - 1)) grid steps), found {levels}"
        );
        ctx.error(&n.place, &t.field("levels"), message);
    }
    (r, levels)
}

/// `params` of every design but `list`: the axes, and the number of points they
/// make. `None` (errors recorded) if there are no points or too many.
fn read_params(ctx: &mut Ctx, t: &Table, spec: &mut SweepSpec) -> Option<()> {
    let design = spec.design;
    if let Some(n) = t.get("points") {
        let what = design.as_str();
        ctx.error(
            &n.place,
            &t.field("points"),
            format!("only a list design takes points; a {what} design varies params"),
        );
    }
    let params = t.required(ctx, "params")?;
    let params = ctx.table(params, &t.field("params"), None)?;
    let mut leaves = Vec::new();
    collect_axes(ctx, &params, "", &mut leaves);
    if leaves.is_empty() {
        ctx.error(
            params.place(),
            &t.field("params"),
            "expected at least one parameter, e.g. \"coalitions.max_size\" = [4, 8, 12]",
        );
        return None;
    }
    for (path, key_place, node) in leaves {
        let field = format!("{}.\"{path}\"", t.field("params"));
        let values = if design.sampled() {
            read_sampled_axis(ctx, node, &field)
        } else {
            read_grid_axis(ctx, node, &field)
        };
        if let Some(values) = values {
            spec.axes.push(Axis {
                path,
                place: key_place,
                values,
            });
        }
    }
    if design == Design::Sobol && 2 * spec.axes.len() > crate::analysis::MAX_DIMS {
        let message = format!(
            "a sobol design takes at most {} parameters, found {}",
            crate::analysis::MAX_DIMS / 2,
            spec.axes.len()
        );
        ctx.error(params.place(), &t.field("params"), message);
        return None;
    }
    spec.points = count_points(ctx, t, params.place(), spec)?;
    if spec.points == 0 {
        ctx.error(
            t.place(),
            t.path(),
            "the design has no points: give every parameter at least one value",
        );
        return None;
    }
    Some(())
}

/// The number of points of a sampled design or a grid; more than a sweep can hold is
/// an error (`None`).
fn count_points(ctx: &mut Ctx, t: &Table, params: &Place, spec: &SweepSpec) -> Option<u32> {
    let design = spec.design;
    if design.sampled() {
        let d = spec.axes.len() as u64;
        let points = match design {
            Design::Sobol => u64::from(spec.samples) * (d + 2),
            Design::Morris => u64::from(spec.trajectories) * (d + 1),
            _ => u64::from(spec.samples),
        };
        if points * d.max(1) > MAX_SAMPLES as u64 * 8 {
            let what = design.as_str();
            ctx.error(
                t.place(),
                t.path(),
                format!("the {what} design has {points} points of {d} parameters; at most {} coordinates are kept", MAX_SAMPLES * 8),
            );
            return None;
        }
        return Some(points as u32);
    }
    let n = spec
        .axes
        .iter()
        .fold(1u64, |n, a| n.saturating_mul(a.len() as u64));
    if n > MAX_POINTS {
        ctx.error(
            params,
            &t.field("params"),
            format!("the grid has {n} points, more than the {MAX_POINTS} a sweep can hold"),
        );
        return None;
    }
    Some(n as u32)
}

/// Walks `[sweep.params]`: a key whose value is a list or a range table is a
/// parameter (quoted `"a.b" = ...` and dotted `a.b = ...` keys both work); any other
/// table is walked into.
fn collect_axes<'n>(
    ctx: &mut Ctx,
    table: &Table<'n>,
    prefix: &str,
    out: &mut Vec<(String, Place, &'n Node)>,
) {
    for entry in table.entries() {
        let path = if prefix.is_empty() {
            entry.key.clone()
        } else {
            format!("{prefix}.{}", entry.key)
        };
        let is_range = entry.value.entries().is_some_and(|es| {
            es.iter()
                .any(|e| matches!(e.key.as_str(), "start" | "stop" | "step" | "min" | "max"))
        });
        match &entry.value.kind {
            Kind::Table(_) if !is_range => {
                if let Some(sub) = ctx.table(&entry.value, &table.field(&entry.key), None) {
                    collect_axes(ctx, &sub, &path, out);
                }
            }
            _ => out.push((path, entry.key_place.clone(), &entry.value)),
        }
    }
}

/// Scalars of a list of values, each with its place.
fn scalar_values(ctx: &mut Ctx, items: &[Node], field: &str) -> Option<Vec<(Value, Place)>> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match Value::from_node(item) {
            Some(v) => out.push((v, item.place.clone())),
            None => {
                ctx.type_error(
                    item,
                    &format!("{field}[{i}]"),
                    "a number, string or boolean",
                );
                return None;
            }
        }
    }
    Some(out)
}

/// Rounds to 12 significant digits, so that `0.05 + 2 * 0.05` is `0.15`.
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// A parameter given as a list of values.
fn list_axis(ctx: &mut Ctx, node: &Node, items: &[Node], field: &str) -> Option<AxisValues> {
    if items.is_empty() {
        let message = "empty list: a parameter needs at least one value";
        ctx.error(&node.place, field, message);
        return None;
    }
    scalar_values(ctx, items, field).map(AxisValues::Values)
}

/// A required finite bound of a range table, and whether it was written as an integer.
fn bound(ctx: &mut Ctx, t: &Table, key: &str) -> Option<(f64, bool)> {
    let n = t.required(ctx, key)?;
    let x = ctx.number(n, &t.field(key), super::reader::ANY_FINITE)?;
    Some((x, matches!(n.kind, Kind::Int(_))))
}

fn read_grid_axis(ctx: &mut Ctx, node: &Node, field: &str) -> Option<AxisValues> {
    match &node.kind {
        Kind::Array(items) => list_axis(ctx, node, items, field),
        Kind::Table(_) if node.get("min").is_some() || node.get("max").is_some() => {
            let message = "a { min, max } range is for lhs, random, morris and sobol designs; a grid takes a list of values or { start, stop, step } (on the command line: a,b,c or start:stop:step)";
            ctx.error(&node.place, field, message);
            None
        }
        Kind::Table(_) => {
            let t = ctx.table(node, field, Some("start stop step"))?;
            let mut num = |key: &str| bound(ctx, &t, key);
            let (start, stop, step) = (num("start"), num("stop"), num("step"));
            let ((start, i0), (stop, i1), (step, i2)) = (start?, stop?, step?);
            if step <= 0.0 {
                ctx.error(
                    &node.place,
                    &format!("{field}.step"),
                    format!("expected a step > 0, found {step}"),
                );
                return None;
            }
            if stop < start {
                let message = format!("empty range: stop {stop} is below start {start}");
                ctx.error(&node.place, field, message);
                return None;
            }
            // Counted in floating point and bounded before the cast, so that a tiny
            // step (1e-300) is refused rather than overflowing the count.
            let count = ((stop - start) / step * (1.0 + 1e-12) + 1e-9).floor() + 1.0;
            if count.is_nan() || count > 1e6 {
                ctx.error(
                    &node.place,
                    field,
                    format!(
                        "the range from {start} to {stop} in steps of {step} has {count:.3e} values; at most 1,000,000"
                    ),
                );
                return None;
            }
            let n = count as u64;
            let integer = i0 && i1 && i2;
            let values = (0..n)
                .map(|i| {
                    let x = start + i as f64 * step;
                    let v = if integer {
                        Value::Int(x as i64)
                    } else {
                        Value::Float(tidy(x))
                    };
                    (v, node.place.clone())
                })
                .collect();
            Some(AxisValues::Values(values))
        }
        _ => {
            ctx.type_error(
                node,
                field,
                "a list of values, or a range like { start = 4, stop = 16, step = 4 }",
            );
            None
        }
    }
}

fn read_sampled_axis(ctx: &mut Ctx, node: &Node, field: &str) -> Option<AxisValues> {
    match &node.kind {
        Kind::Array(items) => list_axis(ctx, node, items, field),
        Kind::Table(_) if node.get("start").is_some() || node.get("step").is_some() => {
            let message = "a { start, stop, step } range is for grid designs; lhs, random, morris and sobol take { min, max } (on the command line: min..max) or a list of values";
            ctx.error(&node.place, field, message);
            None
        }
        Kind::Table(_) => {
            let t = ctx.table(node, field, Some("min max"))?;
            let mut num = |key: &str| bound(ctx, &t, key);
            let (lo, hi) = (num("min"), num("max"));
            let ((lo, i0), (hi, i1)) = (lo?, hi?);
            if hi < lo {
                let message = format!("empty range: max {hi} is below min {lo}");
                ctx.error(&node.place, field, message);
                return None;
            }
            Some(AxisValues::Range {
                lo,
                hi,
                integer: i0 && i1,
                place: node.place.clone(),
            })
        }
        _ => {
            ctx.type_error(
                node,
                field,
                "a range like { min = 0.05, max = 0.5 }, or a list of values",
            );
            None
        }
    }
}

fn read_list(ctx: &mut Ctx, t: &Table, spec: &mut SweepSpec) -> Option<()> {
    let params = t.required(ctx, "params")?;
    let names = ctx.list(params, &t.field("params"), "a list of parameter paths")?;
    for (i, n) in names.iter().enumerate() {
        let path = ctx.string(n, &format!("{}[{i}]", t.field("params")))?;
        spec.axes.push(Axis {
            path,
            place: n.place.clone(),
            values: AxisValues::Values(Vec::new()),
        });
    }
    if spec.axes.is_empty() {
        ctx.error(
            &params.place,
            &t.field("params"),
            "expected at least one parameter path",
        );
        return None;
    }
    let points = t.required(ctx, "points")?;
    let rows = ctx.list(
        points,
        "sweep.points",
        "a list of points, each a list of values",
    )?;
    if rows.is_empty() {
        ctx.error(
            &points.place,
            "sweep.points",
            "empty list: a list design needs at least one point",
        );
        return None;
    }
    let d = spec.axes.len();
    for (i, row) in rows.iter().enumerate() {
        let field = format!("sweep.points[{i}]");
        let items = ctx.list(row, &field, "a list of values, one per parameter")?;
        if items.len() != d {
            let message = format!(
                "expected {d} values (one per parameter in sweep.params), found {}",
                items.len()
            );
            ctx.error(&row.place, &field, message);
            continue;
        }
        spec.listed.extend(scalar_values(ctx, items, &field)?);
    }
    spec.points = (spec.listed.len() / d) as u32;
    Some(())
}

/// Path syntax, no duplicates, and nothing a sweep cannot vary.
fn check_paths(ctx: &mut Ctx, t: &Table, axes: &[Axis], optimum: bool) {
    for (i, a) in axes.iter().enumerate() {
        let field = if optimum && i + 1 == axes.len() {
            t.field("optimum.param")
        } else {
            format!("{}.\"{}\"", t.field("params"), a.path)
        };
        if let Err(message) = parse::check_path(&a.path) {
            ctx.error(&a.place, &field, message);
        } else if ["sweep", "calibrate"]
            .iter()
            .any(|own| a.path == *own || a.path.starts_with(&format!("{own}.")))
        {
            let message = format!(
                "a sweep cannot vary its own [{}] table",
                a.path.split('.').next().unwrap_or_default()
            );
            ctx.error(&a.place, &field, message);
        } else if a.path == "scenario.runs" {
            let message = format!(
                "scenario.runs does not apply to sweeps; set {}",
                t.field("replicates")
            );
            ctx.error(&a.place, &field, message);
        } else if axes[..i].iter().any(|b| b.path == a.path) {
            ctx.error(&a.place, &field, "this parameter is swept twice");
        }
    }
}

/// Unit coordinates of a sampled design, point after point.
fn sample_units(design: Design, n: u32, d: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::MAX);
    let n = n as usize;
    let mut unit = vec![0.0; n * d];
    match design {
        Design::Lhs => {
            let mut perm: Vec<u32> = Vec::with_capacity(n);
            for j in 0..d {
                perm.clear();
                perm.extend(0..n as u32);
                for i in (1..n).rev() {
                    let k = rng.random_range(0..=i);
                    perm.swap(i, k);
                }
                for (i, &stratum) in perm.iter().enumerate() {
                    let jitter: f64 = rng.random();
                    unit[i * d + j] = (f64::from(stratum) + jitter) / n as f64;
                }
            }
        }
        _ => {
            for u in unit.iter_mut() {
                *u = rng.random();
            }
        }
    }
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lhs_puts_one_sample_in_each_stratum_of_each_parameter() {
        let (n, d) = (50, 3);
        let u = sample_units(Design::Lhs, n, d, 7);
        for j in 0..d {
            let mut strata: Vec<usize> = (0..n as usize)
                .map(|i| (u[i * d + j] * f64::from(n)) as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n as usize).collect::<Vec<_>>());
        }
        assert_eq!(u, sample_units(Design::Lhs, n, d, 7));
        assert_ne!(u, sample_units(Design::Lhs, n, d, 8));
    }

    #[test]
    fn random_units_are_in_the_unit_interval_and_seeded() {
        let u = sample_units(Design::Random, 1000, 2, 1);
        assert!(u.iter().all(|&x| (0.0..1.0).contains(&x)));
        let mean = u.iter().sum::<f64>() / u.len() as f64;
        // sd of the mean of 2000 uniforms is 0.0065; 4 sd.
        assert!((mean - 0.5).abs() < 0.026, "{mean}");
    }

    #[test]
    fn integer_ranges_give_every_value_equally() {
        let axis = Axis {
            path: "x".into(),
            place: Place::Override(0),
            values: AxisValues::Range {
                lo: 3.0,
                hi: 5.0,
                integer: true,
                place: Place::Override(0),
            },
        };
        let at = |u| axis.at_unit(u).0;
        assert_eq!(at(0.0), Value::Int(3));
        assert_eq!(at(0.34), Value::Int(4));
        assert_eq!(at(0.999_999), Value::Int(5));
    }

    #[test]
    fn float_ranges_end_exactly_at_their_declared_bounds() {
        let axis = Axis {
            path: "x".into(),
            place: Place::Override(0),
            values: AxisValues::Range {
                lo: 0.05,
                hi: 0.45,
                integer: false,
                place: Place::Override(0),
            },
        };
        let at = |u| axis.at_unit(u).0;
        // Unclamped, 0.05 + 1.0 × (0.45 − 0.05) is 0.45000000000000007.
        assert_eq!(at(1.0), Value::Float(0.45));
        assert_eq!(at(1.0 + 1e-15), Value::Float(0.45));
        assert_eq!(at(0.0), Value::Float(0.05));
        assert_eq!(at(0.5), Value::Float(0.25));
    }

    /// Issue 15: a Morris design wrote 0.45000000000000007 above a declared maximum
    /// of 0.45; every design's values stay in the declared range.
    #[test]
    fn every_sampled_design_stays_within_the_declared_range() {
        for design in [
            "design = \"morris\"\ntrajectories = 20\nlevels = 4",
            "design = \"sobol\"\nsamples = 16",
            "design = \"lhs\"\nsamples = 50",
            "design = \"random\"\nsamples = 50",
        ] {
            let spec = spec_of(&format!(
                "[sweep]\n{design}\n[sweep.params]\n\
                 \"behaviour.temperature\" = {{ min = 0.05, max = 0.45 }}\n\
                 \"behaviour.review_rate\" = {{ min = 0.1, max = 0.7 }}\n"
            ));
            let mut top = false;
            for p in 0..spec.points {
                for ((v, _), (lo, hi)) in spec.point(p).iter().zip([(0.05, 0.45), (0.1, 0.7)]) {
                    let Value::Float(x) = v else {
                        panic!("{design}: a float range gave {v:?}");
                    };
                    assert!(
                        (lo..=hi).contains(x),
                        "{design}: point {p} has {x} outside [{lo}, {hi}]"
                    );
                    top |= *x == hi;
                }
            }
            if design.contains("morris") {
                assert!(top, "a Morris design reaches the top of a range");
            }
        }
    }

    fn spec_of(sweep: &str) -> SweepSpec {
        let text = format!(
            "[scenario]\nname = \"t\"\nticks = 5\nruns = 3\n[world]\ncapabilities = [\"gdp\"]\n\
             [[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n\
             [[states]]\nname = \"A\"\ncapabilities = {{ gdp = 1 }}\n\
             [[states]]\nname = \"B\"\ncapabilities = {{ gdp = 2 }}\n{sweep}"
        );
        let doc = super::super::document::Document::from_text(
            text,
            "t.toml".into(),
            std::path::PathBuf::from("."),
            &[],
            String::new(),
        )
        .expect("parses");
        let base = doc.scenario().expect("valid").scenario;
        doc.sweep_spec(&base).expect("a valid sweep")
    }

    #[test]
    fn a_grid_enumerates_the_cartesian_product_first_parameter_slowest() {
        let spec = spec_of(
            "[sweep]\n[sweep.params]\n\"coalitions.max_size\" = [4, 8]\n\
             behaviour.temperature = { start = 0.05, stop = 0.2, step = 0.05 }\n\
             \"issues.climate.good\" = [\"public\", \"club\"]\n",
        );
        assert_eq!(spec.points(), 2 * 4 * 2);
        assert_eq!(spec.replicates, 3, "defaults to scenario.runs");
        let cells: Vec<String> = (0..spec.points())
            .map(|p| {
                spec.point(p)
                    .iter()
                    .map(|(v, _)| v.cell())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(cells[0], "4 0.05 public");
        assert_eq!(cells[1], "4 0.05 club");
        assert_eq!(cells[2], "4 0.1 public");
        assert_eq!(cells[5], "4 0.15 club", "no 0.15000000000000002");
        assert_eq!(cells[15], "8 0.2 club");
        let mut distinct = cells.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), cells.len(), "every combination once");
        assert_eq!(
            spec.axes[1].path, "behaviour.temperature",
            "dotted keys work"
        );
    }

    #[test]
    fn a_list_design_keeps_its_points_in_order() {
        let spec = spec_of(
            "[sweep]\ndesign = \"list\"\nreplicates = 2\n\
             params = [\"coalitions.max_size\", \"behaviour.temperature\"]\n\
             points = [[3, 0.1], [9, 0.01]]\n",
        );
        assert_eq!(spec.points(), 2);
        assert_eq!(
            spec.describe_point(1),
            "coalitions.max_size = 9, behaviour.temperature = 0.01"
        );
        assert_eq!(spec.runs(), 4);
    }

    #[test]
    fn tidy_removes_float_noise() {
        assert_eq!(tidy(0.05 + 2.0 * 0.05), 0.15);
        assert_eq!(tidy(1e-300), 1e-300);
    }
}
