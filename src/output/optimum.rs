//! Each design point's best value along the parameter of `[sweep.optimum]`, read from
//! `points.csv`: where the optimum lies, how wide its plateau is, and (over the design
//! points) how it moves. `minilat sweep` prints the summary, `report.html` shows it,
//! `minilat analyze` writes `optimum.csv` and takes sensitivity indices of the best
//! value and of the plateau's ends (issue 20 item 4).
//!
//! The computation is `metrics::plateau`'s, point by point: at design point `g` the
//! estimates are the means (with their 95% intervals) of the metric at the optimum's
//! values, points `g * values .. (g + 1) * values` of the sweep; the best is the highest
//! (lowest) mean, the plateau the values whose interval reaches the best one's, and a
//! best at the largest or smallest value tested is no optimum (the curve may go on).
//!
//! **Invariant:** memory is bounded: at most [`MAX_ESTIMATES`] estimates per metric are
//! held; a larger sweep gets [`Optima::too_many`] and no optima.

use std::path::Path;

use crate::metrics::plateau::{self, Edge, Estimate};
use crate::output::best::short;
use crate::output::manifest::{SweepManifest, SweepOptimum};
use crate::output::results::{CsvReader, ReadError, parse_num};

/// Most estimates (design points x values) held per metric.
pub const MAX_ESTIMATES: usize = 4_000_000;

/// One design point's best value of one metric along the optimum's parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Best {
    /// Index of the best value among the parameter's values.
    pub at: usize,
    /// The best value (a category's index for a parameter that is not numeric).
    pub x: f64,
    /// Mean of the metric there, with its 95% interval.
    pub mean: f64,
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
    /// Smallest and largest value tied with the best (the plateau).
    pub span: (f64, f64),
    /// Values tied with the best (the best included).
    pub tied: usize,
    /// Values with an interval.
    pub tested: usize,
    /// Where the best lies in the range tested.
    pub edge: Edge,
}

impl Best {
    /// Every tested value is tied: no value is better than another.
    pub fn all_tied(&self) -> bool {
        self.tied == self.tested
    }

    /// "inside", "top" or "bottom" (for optimum.csv).
    pub fn edge_word(&self) -> &'static str {
        match self.edge {
            Edge::Inside => "inside",
            Edge::Top => "top",
            Edge::Bottom => "bottom",
        }
    }
}

/// The optima of a sweep with `[sweep.optimum]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Optima {
    /// The optimum's parameter, its values and metrics.
    pub optimum: SweepOptimum,
    /// The design's own parameters.
    pub design_params: Vec<String>,
    /// The optimum parameter's values as written, in order (from design point 0).
    pub values: Vec<String>,
    /// The values are numbers (else categories, placed at their index).
    pub numeric: bool,
    /// Per design point, its design parameters' cells as written.
    pub cells: Vec<Vec<String>>,
    /// Per metric (in `optimum.metrics` order), per design point: its best (`None`
    /// with fewer than two values with an interval).
    pub best: Vec<Vec<Option<Best>>>,
    /// More estimates than [`MAX_ESTIMATES`]: nothing computed.
    pub too_many: bool,
}

/// The optima of the sweep `sweep` from its `points.csv` at `path`; `None` for a
/// sweep without `[sweep.optimum]`.
pub fn optima(path: &Path, sweep: &SweepManifest) -> Result<Option<Optima>, ReadError> {
    let Some(optimum) = sweep.optimum() else {
        return Ok(None);
    };
    let n = optimum.values;
    let design_params = sweep.design_params().to_vec();
    let groups = sweep.points as usize / n;
    let mut out = Optima {
        values: vec![String::new(); n],
        numeric: true,
        cells: vec![Vec::new(); groups],
        best: vec![Vec::new(); optimum.metrics.len()],
        too_many: groups * n > MAX_ESTIMATES,
        design_params,
        optimum,
    };
    if out.too_many {
        return Ok(Some(out));
    }
    let mut reader = CsvReader::open(path)?;
    let (point_at, metric_at, mean_at, lo_at, hi_at) = (
        reader.column("point")?,
        reader.column("metric")?,
        reader.column("mean")?,
        reader.column("ci95_low")?,
        reader.column("ci95_high")?,
    );
    let param_at = reader.column(&out.optimum.param)?;
    let design_at = reader.columns(&out.design_params)?;
    let empty = Estimate {
        x: f64::NAN,
        mean: f64::NAN,
        lo: f64::NAN,
        hi: f64::NAN,
    };
    let mut estimates = vec![vec![empty; groups * n]; out.optimum.metrics.len()];
    while let Some(row) = reader.next_row()? {
        let p: usize = row.parse(point_at, "a point number")?;
        if p >= groups * n {
            let beyond = format!("point {p} is beyond the sweep's {} points", groups * n);
            return Err(row.error(point_at, beyond));
        }
        let (g, i) = (p / n, p % n);
        if out.cells[g].is_empty() {
            out.cells[g] = design_at.iter().map(|&c| row.text(c).to_string()).collect();
        }
        if g == 0 && out.values[i].is_empty() {
            out.values[i] = row.text(param_at).to_string();
        }
        let Some(k) = (out.optimum.metrics.iter()).position(|m| m == row.text(metric_at)) else {
            continue;
        };
        estimates[k][p] = Estimate {
            x: f64::NAN,
            mean: row.num(mean_at)?,
            lo: row.num(lo_at)?,
            hi: row.num(hi_at)?,
        };
    }
    let numbers: Option<Vec<f64>> = out.values.iter().map(|v| parse_num(v)).collect();
    out.numeric = numbers.is_some();
    let xs = numbers.unwrap_or_else(|| (0..n).map(|i| i as f64).collect());
    for (k, est) in estimates.iter_mut().enumerate() {
        let Some(goal) = plateau::goal_of(&out.optimum.metrics[k]) else {
            out.best[k] = vec![None; groups];
            continue;
        };
        out.best[k] = est
            .chunks_mut(n)
            .map(|curve| {
                for (e, &x) in curve.iter_mut().zip(&xs) {
                    e.x = x;
                }
                let p = plateau::plateau(curve, goal)?;
                let b = &curve[p.best];
                let mut edge = p.edge;
                if !out.numeric {
                    // Categories have no order, so no edges.
                    edge = Edge::Inside;
                }
                Some(Best {
                    at: p.best,
                    x: b.x,
                    mean: b.mean,
                    lo: b.lo,
                    hi: b.hi,
                    span: p.span,
                    tied: p.tied.len(),
                    tested: curve.iter().filter(|e| e.is_tested()).count(),
                    edge,
                })
            })
            .collect();
    }
    Ok(Some(out))
}

impl Optima {
    /// Per metric, the outputs whose sensitivity `minilat analyze` measures, each a value
    /// per design point (NaN where there is no best): `optimum_<metric>` (the best
    /// value), `plateau_low_<metric>` and `plateau_high_<metric>` (the plateau's ends).
    /// Empty for a parameter that is not numeric (a category's index is no quantity).
    pub fn outputs(&self) -> Vec<(String, Vec<f64>)> {
        if !self.numeric || self.too_many {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (m, bests) in self.optimum.metrics.iter().zip(&self.best) {
            let of = |f: &dyn Fn(&Best) -> f64| -> Vec<f64> {
                bests
                    .iter()
                    .map(|b| b.as_ref().map_or(f64::NAN, f))
                    .collect()
            };
            out.push((format!("optimum_{m}"), of(&|b| b.x)));
            out.push((format!("plateau_low_{m}"), of(&|b| b.span.0)));
            out.push((format!("plateau_high_{m}"), of(&|b| b.span.1)));
        }
        out
    }

    /// A value on the parameter's axis as written (a category's name).
    fn label(&self, x: f64) -> String {
        if self.numeric {
            let i = self.values.iter().position(|v| parse_num(v) == Some(x));
            i.map_or_else(|| short(x), |i| self.values[i].clone())
        } else {
            self.values.get(x as usize).cloned().unwrap_or_default()
        }
    }

    /// One sentence per metric: where the best value lies over the design points, how
    /// wide its plateau is, and how often it is at an edge.
    pub fn summary(&self) -> Vec<(String, String)> {
        let param = &self.optimum.param;
        self.optimum
            .metrics
            .iter()
            .zip(&self.best)
            .map(|(m, bests)| {
                let text = if self.too_many {
                    format!("more than {MAX_ESTIMATES} points: no optima computed (see points.csv)")
                } else {
                    self.sentence(param, bests)
                };
                (m.clone(), text)
            })
            .collect()
    }

    fn sentence(&self, param: &str, bests: &[Option<Best>]) -> String {
        let found: Vec<&Best> = bests.iter().flatten().collect();
        let total = bests.len();
        if found.is_empty() {
            return format!(
                "no design point has two values of {param} with a 95% interval: no best to name"
            );
        }
        let count = |f: &dyn Fn(&Best) -> bool| found.iter().filter(|b| f(b)).count();
        let all_tied = count(&|b| b.all_tied());
        let inside = count(&|b| !b.all_tied() && b.edge == Edge::Inside);
        let top = count(&|b| !b.all_tied() && b.edge == Edge::Top);
        let bottom = count(&|b| !b.all_tied() && b.edge == Edge::Bottom);
        let of = if found.len() == total {
            format!("over {total} design points")
        } else {
            format!("over {} of {total} design points", found.len())
        };
        let mut parts = Vec::new();
        if self.numeric {
            let q = |f: &dyn Fn(&Best) -> f64, p: f64| {
                let mut v: Vec<f64> = found.iter().map(|b| f(b)).collect();
                v.sort_by(f64::total_cmp);
                v[((v.len() - 1) as f64 * p).round() as usize]
            };
            let best = |b: &Best| b.x;
            parts.push(format!(
                "best {param} {of}: median {} (middle half {}–{}, all {}–{})",
                self.label(q(&best, 0.5)),
                self.label(q(&best, 0.25)),
                self.label(q(&best, 0.75)),
                self.label(q(&best, 0.0)),
                self.label(q(&best, 1.0)),
            ));
            parts.push(format!(
                "plateau (values tied with the best) from {} to {} at the median",
                self.label(q(&|b| b.span.0, 0.5)),
                self.label(q(&|b| b.span.1, 0.5)),
            ));
        } else {
            let mut tally: Vec<(String, usize)> = Vec::new();
            for b in &found {
                let l = self.label(b.x);
                match tally.iter_mut().find(|(n, _)| *n == l) {
                    Some((_, c)) => *c += 1,
                    None => tally.push((l, 1)),
                }
            }
            tally.sort_by_key(|t| std::cmp::Reverse(t.1));
            let list: Vec<String> = tally.iter().map(|(l, c)| format!("{l} at {c}")).collect();
            parts.push(format!("best {param} {of}: {}", list.join(", ")));
        }
        let mut edges = vec![format!("an interior optimum at {inside}")];
        if self.numeric {
            edges.push(format!(
                "the best at the largest value tested (it may lie beyond) at {top}"
            ));
            edges.push(format!("at the smallest at {bottom}"));
        }
        edges.push(format!("every value tied at {all_tied}"));
        parts.push(edges.join(", "));
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(values: &[i64], metrics: &[&str], points: u32) -> SweepManifest {
        SweepManifest {
            design: serde_json::json!({
                "design": "lhs",
                "params": [{"path": "a", "min": 0, "max": 1}, {"path": "cap", "values": values}],
                "optimum": {"param": "cap", "metrics": metrics},
            }),
            params: vec!["a".into(), "cap".into()],
            points,
            replicates: 10,
            ..SweepManifest::default()
        }
    }

    /// points.csv rows: per design point, per value, (mean, half-width).
    fn points_csv(
        dir: &Path,
        a: &[f64],
        caps: &[i64],
        curves: &[Vec<(f64, f64)>],
    ) -> std::path::PathBuf {
        let mut text = String::from("point,a,cap,metric,n,mean,sd,ci95_low,ci95_high\n");
        for (g, curve) in curves.iter().enumerate() {
            for (i, (m, h)) in curve.iter().enumerate() {
                let p = g * caps.len() + i;
                text.push_str(&format!(
                    "{p},{},{},progress_x,10,{m},0.1,{},{}\n",
                    a[g],
                    caps[i],
                    m - h,
                    m + h
                ));
            }
        }
        let path = dir.join("points.csv");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn each_design_point_gets_its_best_value_plateau_and_edge() {
        let dir = tempfile::tempdir().unwrap();
        let caps = [4, 8, 16, 32];
        // Design point 0: interior optimum at 8 (16 tied); 1: still rising at 32;
        // 2: all tied.
        let curves = vec![
            vec![(0.1, 0.01), (0.5, 0.01), (0.48, 0.03), (0.2, 0.01)],
            vec![(0.1, 0.01), (0.2, 0.01), (0.3, 0.01), (0.4, 0.01)],
            vec![(0.3, 0.2), (0.3, 0.2), (0.3, 0.2), (0.3, 0.2)],
        ];
        let path = points_csv(dir.path(), &[0.1, 0.5, 0.9], &caps, &curves);
        let o = optima(&path, &manifest(&caps, &["progress_x"], 12))
            .unwrap()
            .unwrap();
        assert_eq!(o.values, ["4", "8", "16", "32"]);
        assert_eq!(o.cells, [["0.1"], ["0.5"], ["0.9"]]);
        let b: Vec<&Best> = o.best[0].iter().map(|b| b.as_ref().unwrap()).collect();
        assert_eq!(
            (b[0].x, b[0].span, b[0].edge),
            (8.0, (8.0, 16.0), Edge::Inside)
        );
        assert_eq!(
            (b[1].x, b[1].span, b[1].edge),
            (32.0, (32.0, 32.0), Edge::Top)
        );
        assert!(b[2].all_tied() && !b[0].all_tied());
        let outputs = o.outputs();
        assert_eq!(outputs[0].0, "optimum_progress_x");
        assert_eq!(outputs[0].1, [8.0, 32.0, 4.0]);
        assert_eq!(outputs[1].1, [8.0, 32.0, 4.0]);
        assert_eq!(outputs[2].1, [16.0, 32.0, 32.0]);
        let s = &o.summary()[0].1;
        assert!(s.contains("best cap over 3 design points: median 8"), "{s}");
        assert!(s.contains("an interior optimum at 1"), "{s}");
        assert!(
            s.contains("largest value tested (it may lie beyond) at 1"),
            "{s}"
        );
        assert!(s.contains("every value tied at 1"), "{s}");
    }

    #[test]
    fn a_parameter_that_is_not_numeric_gets_a_tally_and_no_indices() {
        let dir = tempfile::tempdir().unwrap();
        let text = "point,a,rule,metric,n,mean,sd,ci95_low,ci95_high\n\
                    0,0.1,consensus,progress_x,10,0.1,0.1,0.09,0.11\n\
                    1,0.1,qmv,progress_x,10,0.5,0.1,0.49,0.51\n\
                    2,0.9,consensus,progress_x,10,0.6,0.1,0.59,0.61\n\
                    3,0.9,qmv,progress_x,10,0.2,0.1,0.19,0.21\n";
        let path = dir.path().join("points.csv");
        std::fs::write(&path, text).unwrap();
        let mut m = manifest(&[0, 0], &["progress_x"], 4);
        m.params[1] = "rule".into();
        m.design["params"][1] = serde_json::json!({"path": "rule", "values": ["consensus", "qmv"]});
        m.design["optimum"]["param"] = "rule".into();
        let o = optima(&path, &m).unwrap().unwrap();
        assert!(!o.numeric);
        let b: Vec<usize> = o.best[0].iter().map(|b| b.as_ref().unwrap().at).collect();
        assert_eq!(b, [1, 0]);
        assert!(o.outputs().is_empty());
        let s = &o.summary()[0].1;
        assert!(
            s.contains("best rule over 2 design points: qmv at 1, consensus at 1"),
            "{s}"
        );
        assert!(!s.contains("largest value"), "{s}");
    }

    #[test]
    fn a_sweep_without_an_optimum_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = points_csv(
            dir.path(),
            &[0.1],
            &[4, 8],
            &[vec![(0.1, 0.01), (0.2, 0.01)]],
        );
        let mut m = manifest(&[4, 8], &["progress_x"], 2);
        m.design.as_object_mut().unwrap().remove("optimum");
        assert_eq!(optima(&path, &m).unwrap(), None);
    }
}
