//! `optimum_<metric>_vs_<param>`: what moves an optimum. For a sweep with
//! `[sweep.optimum]`, each design point's best value of the optimum's parameter for
//! `metric` (`output::optimum`), with the values tied with it as a bar (the plateau),
//! against each of the design's own parameters: where the points climb or fall, that
//! parameter moves the optimum; where they sit at the top of the range tested, there
//! is no optimum inside it.

use std::path::Path;

use crate::output::manifest::ParamKind;
use crate::output::optimum::optima;
use crate::plot::charts::sweep_metric::{
    ParamValue, SweepMetric, SweepMode, SweepPoint, SweepSeries, axis_positions,
};
use crate::plot::numbers::{metric_desc, sanitize};
use crate::plot::{Chart, Context, PlotError, Spec};

/// The charts of the optima in `points.csv` at `path`; none for a sweep without
/// `[sweep.optimum]` or whose optimum parameter is not numeric.
pub fn charts(path: &Path, ctx: &mut Context) -> Result<Vec<Chart>, PlotError> {
    let Some(sweep) = ctx.manifest.sweep.clone() else {
        return Ok(Vec::new());
    };
    let Some(o) = optima(path, &sweep)? else {
        return Ok(Vec::new());
    };
    if !o.numeric || o.too_many {
        return Ok(Vec::new());
    }
    let mut kinds = sweep.param_kinds();
    kinds.resize(o.design_params.len(), None);
    let label = ctx.label();
    let param = &o.optimum.param;
    let mut out = Vec::new();
    for (metric, bests) in o.optimum.metrics.iter().zip(&o.best) {
        let issue = metric
            .strip_prefix("progress_")
            .map(|i| ctx.issue_index(i));
        let desc = metric_desc(metric);
        for (j, design_param) in o.design_params.iter().enumerate() {
            let kind = kinds[j].unwrap_or(ParamKind::Number);
            let values: Vec<ParamValue> = (o.cells.iter())
                .map(|c| ParamValue::read(kind, &c[j]))
                .collect();
            let (xs, categories) = axis_positions(&values.iter().collect::<Vec<_>>());
            let mut points: Vec<SweepPoint> = (bests.iter().zip(&xs))
                .filter_map(|(b, &x)| {
                    let b = b.as_ref()?;
                    Some(SweepPoint {
                        x,
                        mean: b.x,
                        lo: b.span.0,
                        hi: b.span.1,
                    })
                })
                .collect();
            if points.is_empty() {
                continue;
            }
            points.sort_by(|a, b| a.x.total_cmp(&b.x));
            let (lo, hi) = (o.values.first(), o.values.last());
            out.push(Chart {
                stem: format!(
                    "optimum_{}_vs_{}",
                    sanitize(metric),
                    sanitize(design_param)
                ),
                title: format!("Best {param} for {desc} vs {design_param}"),
                caption: format!(
                    "What moves the optimum{label}: each point is one point of the design, at its value of {design_param} (the design's other parameters vary too); its height is the value of {param} (of those tested, {}–{}) with the best mean {desc} there, and its bar the values statistically tied with it (the plateau: their 95% interval reaches the best one's). A point at the top of the range tested is no optimum: the metric may do better beyond it. Where the points climb or fall with {design_param}, it moves the optimum; the sensitivity chart of optimum_{metric} (minilat analyze) measures by how much.",
                    lo.map_or("", String::as_str),
                    hi.map_or("", String::as_str),
                ),
                spec: Spec::Sweep(SweepMetric {
                    param: design_param.clone(),
                    y_desc: format!("best {param} (bar: plateau)"),
                    mode: SweepMode::Points,
                    series: vec![SweepSeries {
                        label: String::new(),
                        points,
                    }],
                    categories,
                    issue_colour: issue,
                    goal: None,
                    bests: vec![None],
                }),
            });
        }
    }
    Ok(out)
}
