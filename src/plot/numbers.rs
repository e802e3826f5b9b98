//! Chart-ready numbers and names shared by the chart families: bands and moments
//! (95% intervals of a mean are mean ± 1.96·sd/√n, the normal approximation of
//! `summary.csv`; with n < 2 there is no interval, NaN bounds), readable numbers,
//! metric descriptions and file-name parts. Pure: no I/O, no plotters.

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

/// Whether a summary metric lies in [0, 1] by definition (shares, rates, indices).
pub fn unit_bounded(metric: &str) -> bool {
    [
        "participation_",
        "two_tier_",
        "deadlock",
        "legitimacy_",
        "adoption_",
    ]
    .iter()
    .any(|p| metric.starts_with(p))
        || metric.ends_with("_share")
        || metric.ends_with("_rate")
        || matches!(metric, "fragmentation" | "duplication" | "welfare_gini")
}

/// Axis description of a metric.
pub fn metric_desc(metric: &str) -> String {
    // The outputs of an optimum sweep's analysis (`output::optimum::Optima::outputs`).
    for (prefix, what) in [
        ("optimum_", "best value for"),
        ("plateau_low_", "low end of the plateau for"),
        ("plateau_high_", "high end of the plateau for"),
    ] {
        if let Some(m) = metric.strip_prefix(prefix) {
            return format!("{what} {}", metric_desc(m));
        }
    }
    if let Some(issue) = metric.strip_prefix("progress_") {
        return format!("final progress on {issue}");
    }
    if let Some(issue) = metric.strip_prefix("participation_") {
        return format!("share of states in a {issue} coalition at the end");
    }
    if let Some(body) = metric.strip_prefix("two_tier_") {
        return format!("share of {body} members also in a coalition (two tiers)");
    }
    if let Some(body) = metric.strip_prefix("deadlock_").filter(|b| *b != "rate") {
        return format!("deadlock rate of {body}");
    }
    match metric {
        "deadlock_rate" => "deadlock rate (failed / attempted decisions)".into(),
        "minilateral_share" => "minilateral share of progress".into(),
        "building_block_share" => {
            "share of body adoptions that took over a coalition measure".into()
        }
        "legitimacy_states" => "legitimacy (share of states with a voice)".into(),
        "legitimacy_population" => "legitimacy (share of population with a voice)".into(),
        m => m.replace('_', " "),
    }
}

/// The distinct values in the order they first appear.
pub fn first_seen<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// `s` with its first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn moments_give_mean_sd_and_interval() {
        let mut m = Moments::default();
        for x in [1.0, 2.0, 3.0, f64::NAN] {
            m.push(x);
        }
        assert_eq!(m.n, 3);
        assert!(close(m.mean(), 2.0));
        assert!(close(m.sd(), 1.0));
        let (lo, hi) = m.ci95();
        assert!(close(lo, 2.0 - Z95 / 3f64.sqrt()));
        assert!(close(hi, 2.0 + Z95 / 3f64.sqrt()));
        let mut one = Moments::default();
        one.push(5.0);
        assert!(one.ci95().0.is_nan());
    }

    #[test]
    fn band_from_sd_uses_the_standard_error() {
        let b = Band::from_sd(&[1.0, 2.0], &[2.0, 1.0], &[4.0, 1.0]);
        assert!(close(b.lo[0], 1.0 - Z95));
        assert!(close(b.hi[0], 1.0 + Z95));
        assert!(b.lo[1].is_nan());
    }

    #[test]
    fn names_and_numbers_are_made_readable() {
        assert_eq!(sanitize("coalitions.max_size"), "coalitions_max_size");
        assert_eq!(sanitize("bodies.UN.rule"), "bodies_UN_rule");
        assert_eq!(fmt_num(0.123456), "0.123");
        assert_eq!(fmt_num(20.0), "20");
        assert_eq!(fmt_num(0.05), "0.05");
        assert_eq!(fmt_num(1234.6), "1235");
        assert_eq!(padded_range([2.0, 2.0].into_iter(), 0.1), (1.8, 2.2));
    }
}
