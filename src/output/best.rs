//! The best value of a sweep's headline metrics with the values statistically tied with
//! it, read from `points.csv`: one sentence per metric for `minilat sweep`'s summary and
//! `report.html` (issue 20 item 3). The computation is `metrics::plateau`'s (its rule
//! for ties and edges); this module only reads the points and words the result.
//!
//! **Invariant:** memory is bounded: at most [`MAX_POINTS`] points are read per metric;
//! a larger sweep gets a sentence saying so instead (see `points.csv`).

use std::path::Path;

use crate::metrics::plateau::{self, Edge, Estimate, Goal};
use crate::output::manifest::{ParamKind, SweepManifest};
use crate::output::results::{CsvReader, ReadError};

/// Most points read per metric to find its plateau.
pub const MAX_POINTS: usize = 100_000;

/// The best value of one metric over a sweep, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepBest {
    /// The metric, e.g. `progress_climate`.
    pub metric: String,
    /// "best coalitions.max_size = 12 (tied: 8–20; inside the range); mean 0.102
    /// [0.092, 0.111]", or why there is none.
    pub text: String,
}

/// The metrics whose best is reported: progress on each issue (`issues`), the deadlock
/// rate and the sweep's own `charts`, where the metric has a better direction
/// (`plateau::goal_of`).
fn headline(metric: &str, issues: &[String], extra: &[String]) -> Option<Goal> {
    let wanted = metric
        .strip_prefix("progress_")
        .is_some_and(|i| issues.iter().any(|n| n == i))
        || metric == "deadlock_rate"
        || extra.iter().any(|m| m == metric);
    if wanted {
        plateau::goal_of(metric)
    } else {
        None
    }
}

/// A number with three significant digits.
pub(crate) fn short(x: f64) -> String {
    if !x.is_finite() {
        return "NaN".into();
    }
    let digits = (2 - x.abs().max(1e-300).log10().floor() as i32).clamp(0, 6) as usize;
    format!("{x:.digits$}")
}

/// One metric's points: each point's parameter cells and its estimate.
#[derive(Default)]
struct Points {
    cells: Vec<Vec<String>>,
    mean: Vec<f64>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    too_many: bool,
}

/// The best of each headline metric in `points.csv` at `path`, for the sweep `sweep`
/// (its parameters, their kinds and its extra charts) of a scenario with `issues`, in
/// the file's metric order.
pub fn sweep_bests(
    path: &Path,
    sweep: &SweepManifest,
    issues: &[String],
) -> Result<Vec<SweepBest>, ReadError> {
    let params = &sweep.params;
    if params.is_empty() {
        return Ok(Vec::new());
    }
    let extra = sweep.charts();
    let mut reader = CsvReader::open(path)?;
    let (metric, mean, lo, hi) = (
        reader.column("metric")?,
        reader.column("mean")?,
        reader.column("ci95_low")?,
        reader.column("ci95_high")?,
    );
    let cols = reader.columns(params)?;
    let mut metrics: Vec<(String, Goal, Points)> = Vec::new();
    while let Some(row) = reader.next_row()? {
        let m = row.text(metric);
        let k = match metrics.iter().position(|(n, _, _)| n == m) {
            Some(k) => k,
            None => {
                let Some(goal) = headline(m, issues, &extra) else {
                    continue;
                };
                metrics.push((m.to_string(), goal, Points::default()));
                metrics.len() - 1
            }
        };
        let pts = &mut metrics[k].2;
        if pts.mean.len() >= MAX_POINTS {
            pts.too_many = true;
            continue;
        }
        pts.cells
            .push(cols.iter().map(|&c| row.text(c).to_string()).collect());
        pts.mean.push(row.num(mean)?);
        pts.lo.push(row.num(lo)?);
        pts.hi.push(row.num(hi)?);
    }
    let mut kinds = sweep.param_kinds();
    kinds.resize(params.len(), None);
    // A metric undefined at every point (the deadlock rate without bodies) is left out.
    let defined =
        |p: &Points| (0..p.mean.len()).any(|i| p.lo[i].is_finite() && p.hi[i].is_finite());
    Ok(metrics
        .into_iter()
        .filter(|(_, _, pts)| pts.too_many || defined(pts))
        .map(|(m, goal, pts)| SweepBest {
            text: describe(&pts, goal, params, &kinds),
            metric: m,
        })
        .collect())
}

/// The sentence for one metric's points.
fn describe(pts: &Points, goal: Goal, params: &[String], kinds: &[Option<ParamKind>]) -> String {
    if pts.too_many {
        return format!("more than {MAX_POINTS} points: no plateau named here (see points.csv)");
    }
    // A parameter is numeric when the design says so or, without a design, when every
    // cell is a number.
    let numbers: Vec<Option<Vec<f64>>> = (0..params.len())
        .map(|j| {
            let numeric = match kinds[j] {
                Some(k) => k == ParamKind::Number,
                None => true,
            };
            numeric
                .then(|| {
                    pts.cells
                        .iter()
                        .map(|c| c[j].trim().parse::<f64>().ok())
                        .collect::<Option<Vec<f64>>>()
                })
                .flatten()
        })
        .collect();
    let estimates = |xs: &dyn Fn(usize) -> f64| -> Vec<Estimate> {
        (0..pts.mean.len())
            .map(|i| Estimate {
                x: xs(i),
                mean: pts.mean[i],
                lo: pts.lo[i],
                hi: pts.hi[i],
            })
            .collect()
    };
    let one = params.len() == 1;
    // One parameter: x is its value (or the point's order for a category); several:
    // the point's order, edges are then read along each parameter.
    let est = match (&numbers[0], one) {
        (Some(xs), true) => estimates(&|i| xs[i]),
        _ => estimates(&|i| i as f64),
    };
    let Some(p) = plateau::plateau(&est, goal) else {
        return "fewer than two points with a 95% interval: no best to name".into();
    };
    if p.tied.len() == est.iter().filter(|e| e.is_tested()).count() {
        return format!(
            "all {} points are statistically tied (every 95% interval reaches the best one's): no value of the swept parameters is better than another",
            p.tied.len()
        );
    }
    let b = p.best;
    let value = format!(
        "mean {} [{}, {}]",
        short(pts.mean[b]),
        short(pts.lo[b]),
        short(pts.hi[b])
    );
    let word = match goal {
        Goal::Highest => "best (highest)",
        Goal::Lowest => "best (lowest)",
    };
    if one {
        let label = |i: usize| pts.cells[i][0].clone();
        let numeric = numbers[0].is_some();
        let words = plateau::describe(&p, &est, &label, numeric);
        return format!("{word} at {} = {words}; {value}", params[0]);
    }
    // A numeric cell as a short number (a sampled design's values have 17 digits).
    let show = |i: usize, j: usize| match &numbers[j] {
        Some(xs) if pts.cells[i][j].len() > 8 => short(xs[i]),
        _ => pts.cells[i][j].clone(),
    };
    let at = (0..params.len())
        .map(|j| format!("{} = {}", params[j], show(b, j)))
        .collect::<Vec<_>>()
        .join(", ");
    let tested = est.iter().filter(|e| e.is_tested()).count();
    let spans: Vec<String> = params
        .iter()
        .enumerate()
        .filter_map(|(j, n)| {
            let xs = numbers[j].as_ref()?;
            let lo = p
                .tied
                .iter()
                .copied()
                .min_by(|&a, &b| xs[a].total_cmp(&xs[b]))?;
            let hi = p
                .tied
                .iter()
                .copied()
                .max_by(|&a, &b| xs[a].total_cmp(&xs[b]))?;
            Some(if xs[lo] == xs[hi] {
                format!("{n} {}", show(lo, j))
            } else {
                format!("{n} {}–{}", show(lo, j), show(hi, j))
            })
        })
        .collect();
    let spans = if spans.is_empty() || p.tied.len() < 2 {
        String::new()
    } else {
        format!(", spanning {}", spans.join(", "))
    };
    let edges: Vec<String> = params
        .iter()
        .zip(&numbers)
        .filter_map(|(n, xs)| {
            let side = match plateau::edge_along(&p, &est, xs.as_ref()?) {
                Edge::Top => "top",
                Edge::Bottom => "bottom",
                Edge::Inside => return None,
            };
            Some(format!("at the {side} edge of {n}"))
        })
        .collect();
    let edges = if edges.is_empty() {
        "inside the range of every numeric parameter".to_string()
    } else {
        format!("{}: may do better beyond it", edges.join(", "))
    };
    format!(
        "{word} at {at} ({} of {tested} points tied{spans}; {edges}); {value}",
        p.tied.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(cells: &[&str], means: &[f64]) -> Points {
        Points {
            cells: cells.iter().map(|c| vec![c.to_string()]).collect(),
            mean: means.to_vec(),
            lo: means.iter().map(|m| m - 0.01).collect(),
            hi: means.iter().map(|m| m + 0.01).collect(),
            too_many: false,
        }
    }

    #[test]
    fn one_parameter_names_the_best_its_plateau_and_the_edge() {
        let p = pts(&["4", "8", "12", "20"], &[0.07, 0.09, 0.105, 0.11]);
        let params = ["coalitions.max_size".to_string()];
        assert_eq!(
            describe(&p, Goal::Highest, &params, &[Some(ParamKind::Number)]),
            "best (highest) at coalitions.max_size = 20 (tied: 12–20; at the top edge of the range: may do better beyond it); mean 0.110 [0.100, 0.120]"
        );
        assert_eq!(
            describe(&p, Goal::Lowest, &params, &[Some(ParamKind::Number)]),
            "best (lowest) at coalitions.max_size = 4 (tied: 4–8; at the bottom edge of the range: may do better below it); mean 0.0700 [0.0600, 0.0800]"
        );
        let one = pts(&["4"], &[0.07]);
        assert!(describe(&one, Goal::Highest, &params, &[None]).starts_with("fewer than two"));
    }

    #[test]
    fn several_parameters_name_the_best_point_and_its_edges() {
        let p = Points {
            cells: vec![
                vec!["4".into(), "0.1".into()],
                vec!["8".into(), "0.1".into()],
                vec!["4".into(), "0.2".into()],
                vec!["8".into(), "0.2".into()],
            ],
            mean: vec![0.1, 0.2, 0.15, 0.195],
            lo: vec![0.09, 0.19, 0.14, 0.185],
            hi: vec![0.11, 0.21, 0.16, 0.205],
            too_many: false,
        };
        let params = ["size".to_string(), "temp".to_string()];
        assert_eq!(
            describe(&p, Goal::Highest, &params, &[None, None]),
            "best (highest) at size = 8, temp = 0.1 (2 of 4 points tied, spanning size 8, temp 0.1–0.2; at the top edge of size, at the bottom edge of temp: may do better beyond it); mean 0.200 [0.190, 0.210]"
        );
    }
}
