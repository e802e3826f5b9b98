//! Chart-ready numbers from result tables: pure functions, no I/O, no plotters.
//!
//! 95% intervals of a mean are mean ± 1.96·sd/√n (normal approximation, as in
//! `summary.csv`); with n < 2 there is no interval (NaN bounds).

use std::collections::BTreeMap;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A series over x with its 95% band (NaN where undefined).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    /// Mean per x.
    pub mean: Vec<f64>,
    /// Lower 95% bound per x.
    pub lo: Vec<f64>,
    /// Upper 95% bound per x.
    pub hi: Vec<f64>,
}

impl Band {
    /// Band from means, standard deviations and counts: mean ± 1.96·sd/√n.
    pub fn from_sd(mean: &[f64], sd: &[f64], n: &[f64]) -> Band {
        let half: Vec<f64> = sd
            .iter()
            .zip(n)
            .map(|(s, n)| {
                if *n >= 2.0 {
                    Z95 * s / n.sqrt()
                } else {
                    f64::NAN
                }
            })
            .collect();
        Band {
            mean: mean.to_vec(),
            lo: mean.iter().zip(&half).map(|(m, h)| m - h).collect(),
            hi: mean.iter().zip(&half).map(|(m, h)| m + h).collect(),
        }
    }

    /// All finite values (means and bounds), for axis ranges.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.mean
            .iter()
            .chain(&self.lo)
            .chain(&self.hi)
            .copied()
            .filter(|v| v.is_finite())
    }
}

/// Running count, sum and sum of squares (Welford would be steadier; values here are
/// in [0, a few] and n ≤ 10^6, where the plain sums lose nothing visible).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    /// Number of finite values pushed.
    pub n: usize,
    sum: f64,
    sumsq: f64,
}

impl Moments {
    /// Adds a value; NaN is skipped.
    pub fn push(&mut self, x: f64) {
        if x.is_finite() {
            self.n += 1;
            self.sum += x;
            self.sumsq += x * x;
        }
    }

    /// Mean (NaN if empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.sum / self.n as f64
        }
    }

    /// Sample standard deviation (n − 1; NaN if n < 2).
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        let n = self.n as f64;
        ((self.sumsq - self.sum * self.sum / n) / (n - 1.0))
            .max(0.0)
            .sqrt()
    }

    /// 95% interval of the mean (NaN bounds if n < 2).
    pub fn ci95(&self) -> (f64, f64) {
        let h = Z95 * self.sd() / (self.n as f64).sqrt();
        (self.mean() - h, self.mean() + h)
    }
}

/// Effectiveness of coalitions of one size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SizeStat {
    /// Peak size (members).
    pub size: u32,
    /// Coalitions of that size.
    pub n: usize,
    /// Mean progress produced over their lives.
    pub mean: f64,
    /// 95% interval of the mean (NaN if n < 2).
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// Per-size statistics in size order.
pub fn size_stats(by_size: &BTreeMap<u32, Moments>) -> Vec<SizeStat> {
    by_size
        .iter()
        .filter(|(_, m)| m.n > 0)
        .map(|(&size, m)| {
            let (lo, hi) = m.ci95();
            SizeStat {
                size,
                n: m.n,
                mean: m.mean(),
                lo,
                hi,
            }
        })
        .collect()
}

/// The best size and the sizes statistically indistinguishable from it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Optimum {
    /// Size with the highest mean (among sizes with n ≥ 2).
    pub size: u32,
    /// Smallest size whose CI upper bound reaches the optimum's CI lower bound.
    pub lo: u32,
    /// Largest such size.
    pub hi: u32,
}

/// The optimum among sizes with an interval (n ≥ 2): the highest mean; its range is
/// every size whose upper bound is at least the optimum's lower bound. None if no
/// size has n ≥ 2.
pub fn optimum(stats: &[SizeStat]) -> Option<Optimum> {
    let ok = || stats.iter().filter(|s| s.n >= 2 && s.hi.is_finite());
    let best = ok().max_by(|a, b| a.mean.total_cmp(&b.mean))?;
    let close = ok().filter(|s| s.hi >= best.lo);
    let lo = close.clone().map(|s| s.size).min()?;
    let hi = close.map(|s| s.size).max()?;
    Some(Optimum {
        size: best.size,
        lo,
        hi,
    })
}

/// Share of the total held by the k largest values, for k = 1..=kmax (NaN values
/// ignored; an all-zero or empty list gives NaN).
pub fn coverage_top_k(values: &[f64], kmax: usize) -> Vec<f64> {
    let mut v: Vec<f64> = values
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .collect();
    v.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = v.iter().sum();
    let mut acc = 0.0;
    (0..kmax)
        .map(|k| {
            acc += v.get(k).copied().unwrap_or(0.0);
            if total > 0.0 { acc / total } else { f64::NAN }
        })
        .collect()
}

/// "USA, JPN, AUS +3": the first `shown` members (iso3 code when known), then how
/// many more.
pub fn member_label(members: &str, iso3: &BTreeMap<String, String>, shown: usize) -> String {
    let names: Vec<&str> = members.split(';').filter(|m| !m.is_empty()).collect();
    let mut label = names
        .iter()
        .take(shown)
        .map(|n| iso3.get(*n).map_or(*n, String::as_str))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > shown {
        label.push_str(&format!(" +{}", names.len() - shown));
    }
    label
}

/// Tick series from the "all" form of `ticks.csv` (`run,tick,<m>...`): per tick, the
/// mean, sd and count across runs of each metric. Returns ticks in order and, per
/// metric column in order, its band (mean and 95% interval of the mean) per tick.
pub fn average_ticks(ticks: &[f64], columns: &[Vec<f64>]) -> (Vec<f64>, Vec<Band>) {
    let mut order: BTreeMap<i64, usize> = BTreeMap::new();
    for t in ticks {
        let k = *t as i64;
        let len = order.len();
        order.entry(k).or_insert(len);
    }
    let keys: Vec<i64> = order.keys().copied().collect();
    let bands = columns
        .iter()
        .map(|col| {
            let mut acc: BTreeMap<i64, Moments> = BTreeMap::new();
            for (t, v) in ticks.iter().zip(col) {
                acc.entry(*t as i64).or_default().push(*v);
            }
            let mut band = Band::default();
            for k in &keys {
                let m = acc.get(k).copied().unwrap_or_default();
                let (lo, hi) = m.ci95();
                band.mean.push(m.mean());
                band.lo.push(lo);
                band.hi.push(hi);
            }
            band
        })
        .collect();
    (keys.into_iter().map(|k| k as f64).collect(), bands)
}

/// One point of a sweep chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepPoint {
    /// Position on x (the value, or the category's index).
    pub x: f64,
    /// Mean of the metric at the point.
    pub mean: f64,
    /// 95% CI of the mean.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// One line (or set of points) of a sweep chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSeries {
    /// The other parameters' values, e.g. "behaviour.temperature = 0.05" (empty when
    /// there are none).
    pub label: String,
    /// Points in x order.
    pub points: Vec<SweepPoint>,
}

/// One row of `points.csv` for one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct PointRow {
    /// Parameter values as written, in `sweep.params` order.
    pub params: Vec<String>,
    /// Mean.
    pub mean: f64,
    /// 95% CI of the mean.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// Positions on x for the values of one parameter: the numbers themselves when every
/// value is numeric, else category indexes in order of first appearance. Returns the
/// categories (empty when numeric).
pub fn axis_positions(values: &[&str]) -> (Vec<f64>, Vec<String>) {
    let nums: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.trim().parse::<f64>().ok())
        .collect();
    if let Some(nums) = nums {
        return (nums, Vec::new());
    }
    let mut cats: Vec<String> = Vec::new();
    let pos = values
        .iter()
        .map(|v| match cats.iter().position(|c| c == v) {
            Some(i) => i as f64,
            None => {
                cats.push(v.to_string());
                (cats.len() - 1) as f64
            }
        })
        .collect();
    (pos, cats)
}

/// How a sweep chart is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepMode {
    /// One line with a band per combination of the other parameters.
    Lines,
    /// Points with error bars (scattered designs, or too many combinations).
    Points,
}

/// Most lines drawn before falling back to points.
pub const MAX_LINES: usize = 6;

/// Groups rows into series for `param` (an index into `PointRow::params`): one series
/// per combination of the other parameters' values, sorted by x. Lines when the
/// design is not scattered (`lhs`/`random`), there are at most [`MAX_LINES`]
/// combinations and some combination has two x values; else one series of points.
/// Returns the mode, the series and the x categories (empty when numeric).
pub fn sweep_series(
    rows: &[PointRow],
    param: usize,
    names: &[String],
    scattered: bool,
) -> (SweepMode, Vec<SweepSeries>, Vec<String>) {
    let xs: Vec<&str> = rows.iter().map(|r| r.params[param].as_str()).collect();
    let (pos, cats) = axis_positions(&xs);
    let key = |r: &PointRow| -> Vec<String> {
        (0..r.params.len())
            .filter(|&j| j != param)
            .map(|j| r.params[j].clone())
            .collect()
    };
    // Group in order of the other parameters' values (numeric when they parse).
    let mut groups: Vec<(Vec<String>, Vec<SweepPoint>)> = Vec::new();
    for (r, x) in rows.iter().zip(&pos) {
        let k = key(r);
        let p = SweepPoint {
            x: *x,
            mean: r.mean,
            lo: r.lo,
            hi: r.hi,
        };
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, pts)) => pts.push(p),
            None => groups.push((k, vec![p])),
        }
    }
    let sort_key = |k: &Vec<String>| -> Vec<(f64, String)> {
        k.iter()
            .map(|v| (v.parse::<f64>().unwrap_or(f64::NAN), v.clone()))
            .collect()
    };
    groups.sort_by(|a, b| {
        let (ka, kb) = (sort_key(&a.0), sort_key(&b.0));
        ka.iter()
            .zip(&kb)
            .map(|(x, y)| x.0.total_cmp(&y.0).then_with(|| x.1.cmp(&y.1)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let multi_x = groups
        .iter()
        .any(|(_, pts)| pts.iter().any(|p| pts.first().is_some_and(|f| f.x != p.x)));
    let lines = !scattered && groups.len() <= MAX_LINES && multi_x;
    let others: Vec<&String> = names
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != param)
        .map(|(_, n)| n)
        .collect();
    let sort_x = |pts: &mut Vec<SweepPoint>| pts.sort_by(|a, b| a.x.total_cmp(&b.x));
    if lines {
        let series = groups
            .into_iter()
            .map(|(k, mut pts)| {
                sort_x(&mut pts);
                let label = others
                    .iter()
                    .zip(&k)
                    .map(|(n, v)| format!("{n} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                SweepSeries { label, points: pts }
            })
            .collect();
        (SweepMode::Lines, series, cats)
    } else {
        let mut pts: Vec<SweepPoint> = groups.into_iter().flat_map(|(_, p)| p).collect();
        sort_x(&mut pts);
        let series = vec![SweepSeries {
            label: String::new(),
            points: pts,
        }];
        (SweepMode::Points, series, cats)
    }
}

/// x values, y values and `cells[y][x]` of a heatmap.
pub type Grid = (Vec<f64>, Vec<f64>, Vec<Vec<f64>>);

/// A full grid of two numeric parameters: sorted distinct values on each axis and the
/// mean per cell (`cells[y][x]`). None unless every combination is present exactly
/// once and both parameters are numeric with at least two values.
pub fn heatmap_grid(rows: &[PointRow]) -> Option<Grid> {
    if rows.first()?.params.len() != 2 {
        return None;
    }
    let parse = |j: usize| -> Option<Vec<f64>> {
        rows.iter()
            .map(|r| r.params[j].trim().parse().ok())
            .collect()
    };
    let (px, py) = (parse(0)?, parse(1)?);
    let distinct = |v: &[f64]| {
        let mut d = v.to_vec();
        d.sort_by(f64::total_cmp);
        d.dedup();
        d
    };
    let (xs, ys) = (distinct(&px), distinct(&py));
    if xs.len() < 2 || ys.len() < 2 || rows.len() != xs.len() * ys.len() {
        return None;
    }
    let mut cells = vec![vec![f64::NAN; xs.len()]; ys.len()];
    let mut seen = vec![vec![false; xs.len()]; ys.len()];
    for ((r, x), y) in rows.iter().zip(&px).zip(&py) {
        let i = xs.iter().position(|v| v == x)?;
        let j = ys.iter().position(|v| v == y)?;
        if seen[j][i] {
            return None;
        }
        seen[j][i] = true;
        cells[j][i] = r.mean;
    }
    Some((xs, ys, cells))
}

/// A parameter path as a file-name part: `coalitions.max_size` → `coalitions_max_size`.
pub fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.trim_matches('_').to_string()
}

/// A short, readable number: 3 significant digits, no trailing zeros.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    if v == v.round() && v.abs() < 1e6 {
        return format!("{}", v as i64);
    }
    let mag = v.abs().log10().floor() as i32;
    let decimals = (2 - mag).clamp(0, 6) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Finite (min, max) of values, padded by `pad` of the span (a zero span is widened
/// by ±0.5, or ±10% of the value); `(0, 1)` if there is nothing finite.
pub fn padded_range(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        let w = if lo == 0.0 { 0.5 } else { lo.abs() * 0.1 };
        return (lo - w, hi + w);
    }
    let p = (hi - lo) * pad;
    (lo - p, hi + p)
}

#[cfg(test)]
mod tests;
