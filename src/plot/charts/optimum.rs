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
        let issue = metric.strip_prefix("progress_").map(|i| ctx.issue_index(i));
        let desc = metric_desc(metric);
        for (j, design_param) in o.design_params.iter().enumerate() {
            let kind = kinds[j].unwrap_or(ParamKind::Number);
            let values: Vec<ParamValue> = (o.cells.iter())
                .map(|c| ParamValue::read(kind, &c[j]))
                .collect();
            let (xs, categories) = axis_positions(&values.iter().collect::<Vec<_>>());
            let found: Vec<(f64, f64)> = (bests.iter().zip(&xs))
                .filter_map(|(b, &x)| Some((x, b.as_ref()?.x)))
                .collect();
            let Some(points) = quartiles_by_x(found) else {
                continue;
            };
            let (lo, hi) = (o.values.first(), o.values.last());
            out.push(Chart {
                stem: format!(
                    "optimum_{}_vs_{}",
                    sanitize(metric),
                    sanitize(design_param)
                ),
                title: format!("Best {param} for {desc} vs {design_param}"),
                caption: format!(
                    "What moves the optimum{label}: at each point of the design, the value of {param} (of those tested, {}–{}) with the best mean {desc} is its optimum; the line is the median optimum over the design points at each value of {design_param} (or, for more than {MAX_LEVELS} distinct values, in each of {BINS} bins of equal count), the band the middle half of them (the design's other parameters vary too). An optimum at the top of the range tested is no optimum: the metric may do better beyond it; optimum.csv (minilat analyze) says which are. Where the line climbs or falls, {design_param} moves the optimum; the sensitivity chart of optimum_{metric} (minilat analyze) measures by how much.",
                    lo.map_or("", String::as_str),
                    hi.map_or("", String::as_str),
                ),
                spec: Spec::Sweep(SweepMetric {
                    param: design_param.clone(),
                    y_desc: format!("best {param} (median, middle half)"),
                    mode: SweepMode::Lines,
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

/// Most distinct values of a design parameter charted one by one (a Morris design has
/// its levels, 4 by default); beyond, the values are binned.
const MAX_LEVELS: usize = 10;

/// Bins of equal count for a parameter with more distinct values.
const BINS: usize = 5;

/// Per distinct x (or per bin of equal count, at the bin's median x), the median of the
/// optima with their lower and upper quartile; `None` without points.
fn quartiles_by_x(mut found: Vec<(f64, f64)>) -> Option<Vec<SweepPoint>> {
    found.retain(|(x, y)| x.is_finite() && y.is_finite());
    // A design's level can differ in its last bits between points (0.0002666666666666667
    // and 0.00026666666666666673): one level, grouped at 12 significant digits.
    for p in &mut found {
        p.0 = format!("{:.11e}", p.0).parse().unwrap_or(p.0);
    }
    if found.is_empty() {
        return None;
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut distinct: Vec<f64> = found.iter().map(|p| p.0).collect();
    distinct.dedup();
    let groups: Vec<Vec<(f64, f64)>> = if distinct.len() <= MAX_LEVELS {
        distinct
            .iter()
            .map(|&x| found.iter().copied().filter(|p| p.0 == x).collect())
            .collect()
    } else {
        let n = found.len();
        (0..BINS)
            .map(|b| found[b * n / BINS..(b + 1) * n / BINS].to_vec())
            .filter(|g| !g.is_empty())
            .collect()
    };
    let quantile = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Some(
        groups
            .into_iter()
            .map(|g| {
                let xs: Vec<f64> = g.iter().map(|p| p.0).collect();
                let mut ys: Vec<f64> = g.iter().map(|p| p.1).collect();
                ys.sort_by(f64::total_cmp);
                SweepPoint {
                    x: quantile(&xs, 0.5),
                    mean: quantile(&ys, 0.5),
                    lo: quantile(&ys, 0.25),
                    hi: quantile(&ys, 0.75),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optima_are_summarised_per_level_or_per_bin() {
        // Two levels: the medians and quartiles of each.
        let pts = quartiles_by_x(vec![
            (1.0, 4.0),
            (0.0, 8.0),
            (1.0, 16.0),
            (1.0, 12.0),
            (0.0, 20.0),
            (1.0, 8.0),
            (1.0, 20.0),
        ])
        .unwrap();
        assert_eq!(pts.len(), 2);
        assert_eq!((pts[0].x, pts[0].mean), (0.0, 20.0));
        assert_eq!(
            (pts[1].x, pts[1].lo, pts[1].mean, pts[1].hi),
            (1.0, 8.0, 12.0, 16.0)
        );
        // Many distinct values: 5 bins of equal count.
        let many: Vec<(f64, f64)> = (0..50).map(|i| (f64::from(i), f64::from(i % 10))).collect();
        let pts = quartiles_by_x(many).unwrap();
        assert_eq!(pts.len(), BINS);
        assert!(pts.windows(2).all(|w| w[0].x < w[1].x));
        assert_eq!(quartiles_by_x(vec![(f64::NAN, 1.0)]), None);
    }
}
