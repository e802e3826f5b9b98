//! Descriptive statistics of a batch: mean, standard deviation, quantiles and a 95%
//! confidence interval of the mean, used for `summary.csv`; plus Gini and the
//! Herfindahl–Hirschman index used by the run metrics.
//!
//! **Invariant:** NaN values (a metric undefined in a run, e.g. time to solve an issue
//! never solved) are skipped, and `n` reports how many values were used.

/// Summary of one metric over runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Values used (non-NaN).
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n - 1 denominator); 0 when n = 1.
    pub sd: f64,
    /// 2.5th percentile.
    pub p2_5: f64,
    /// Median.
    pub median: f64,
    /// 97.5th percentile.
    pub p97_5: f64,
    /// Lower bound of the 95% CI of the mean, `mean - 1.96 sd / sqrt(n)`.
    pub ci_low: f64,
    /// Upper bound of the 95% CI of the mean.
    pub ci_high: f64,
}

/// Summarises `values` (order does not matter; NaNs are skipped). Sorts in place.
/// All fields are NaN when no value is defined.
///
/// Quantiles use linear interpolation between order statistics (R's type 7, the
/// default of R and NumPy), so users can reproduce them with `quantile()`.
/// The CI uses the normal approximation (z = 1.96), adequate for the run counts of a
/// Monte Carlo batch (>= 30); for fewer runs it is too narrow, as documented.
pub fn summarise(values: &mut Vec<f64>) -> Summary {
    values.retain(|v| !v.is_nan());
    let n = values.len();
    if n == 0 {
        return Summary {
            n: 0,
            mean: f64::NAN,
            sd: f64::NAN,
            p2_5: f64::NAN,
            median: f64::NAN,
            p97_5: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
    }
    values.sort_unstable_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let half = 1.96 * sd / (n as f64).sqrt();
    Summary {
        n,
        mean,
        sd,
        p2_5: quantile_sorted(values, 0.025),
        median: quantile_sorted(values, 0.5),
        p97_5: quantile_sorted(values, 0.975),
        ci_low: mean - half,
        ci_high: mean + half,
    }
}

/// Quantile `q` in [0, 1] of sorted, non-empty `values`, type 7:
/// `h = (n - 1) q`, result `x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h])`.
pub fn quantile_sorted(values: &[f64], q: f64) -> f64 {
    debug_assert!(!values.is_empty());
    let h = (values.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(values.len() - 1);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}

/// The [`Summary`] of more values than memory should hold, over several passes over
/// the same values in the same order (`minilat run --runs 100000000`: the values are
/// re-read from `runs.csv`). Each pass feeds every row with [`LargeSummary::add`], then
/// calls [`LargeSummary::end_pass`] until it returns true. Memory is bounded: per metric
/// a few 4,096-bucket histograms, whatever the number of values.
///
/// n and the quantiles equal [`summarise`]'s exactly: each order statistic is found
/// by radix selection on the value's bits (12 bits a pass, in `f64::total_cmp` order),
/// or, once at most 4,096 values share its prefix, by sorting those. The mean and
/// standard deviation are summed in pass order (the order of the runs) with Neumaier's
/// compensated summation, where `summarise` sums the sorted values plainly: the two may
/// differ in the last bits, and each is deterministic.
#[derive(Clone, Debug)]
pub struct LargeSummary {
    metrics: Vec<LargeMetric>,
    pass: u32,
}

/// Bits of a value's key resolved per histogram pass, and the bucket count.
const DIGIT: u32 = 12;
/// A prefix shared by at most this many values is finished by sorting them.
const COLLECT: u64 = 4096;
/// The quantiles of [`Summary`].
const QUANTILES: [f64; 3] = [0.025, 0.5, 0.975];

#[derive(Clone, Debug, Default)]
struct LargeMetric {
    n: u64,
    sum: Neumaier,
    mean: f64,
    squares: Neumaier,
    /// Pass 0: histogram of every value's first digit.
    first: Vec<u64>,
    /// One per distinct rank of the order statistics the quantiles need.
    targets: Vec<Target>,
}

/// Finds the value of rank `rank` (0-based, in `total_cmp` order).
#[derive(Clone, Debug, Default)]
struct Target {
    /// The rank sought, and what is left of it within the prefix's values.
    of: u64,
    rank: u64,
    /// The top `bits` bits of the key of every candidate; `count` values share them.
    prefix: u64,
    bits: u32,
    count: u64,
    hist: Vec<u64>,
    collected: Vec<f64>,
    value: Option<f64>,
}

/// Neumaier's compensated sum.
#[derive(Clone, Copy, Debug, Default)]
struct Neumaier {
    sum: f64,
    c: f64,
}

impl Neumaier {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.c += (self.sum - t) + x;
        } else {
            self.c += (x - t) + self.sum;
        }
        self.sum = t;
    }
    fn total(&self) -> f64 {
        // An infinite sum has no meaningful correction (it would be NaN).
        if self.sum.is_finite() {
            self.sum + self.c
        } else {
            self.sum
        }
    }
}

/// A key whose unsigned order is `f64::total_cmp`'s.
fn sort_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

fn from_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

impl Target {
    fn wants(&self, key: u64) -> bool {
        self.value.is_none() && (self.bits == 0 || key >> (64 - self.bits) == self.prefix)
    }

    /// Width of the next digit.
    fn width(&self) -> u32 {
        DIGIT.min(64 - self.bits)
    }

    fn add(&mut self, x: f64, key: u64) {
        if !self.wants(key) {
            return;
        }
        if self.count <= COLLECT {
            self.collected.push(x);
        } else {
            let w = self.width();
            let digit = (key >> (64 - self.bits - w)) & ((1 << w) - 1);
            self.hist[digit as usize] += 1;
        }
    }

    /// Chooses the bucket holding the rank in `hist` (the histogram of the next digit).
    fn descend(&mut self, hist: &[u64]) {
        let w = self.width();
        let mut below = 0;
        for (digit, &c) in hist.iter().enumerate() {
            if self.rank < below + c {
                self.rank -= below;
                self.prefix = (self.prefix << w) | digit as u64;
                self.bits += w;
                self.count = c;
                break;
            }
            below += c;
        }
        if self.bits == 64 {
            self.value = Some(from_key(self.prefix));
        }
    }

    /// Ready for the next pass: a histogram or a bucket of values.
    fn prepare(&mut self) {
        if self.value.is_none() {
            if self.count <= COLLECT {
                self.collected = Vec::with_capacity(self.count as usize);
            } else {
                self.hist = vec![0; 1 << self.width()];
            }
        }
    }

    fn end_pass(&mut self) {
        if self.value.is_some() {
            return;
        }
        if self.count <= COLLECT {
            self.collected.sort_unstable_by(f64::total_cmp);
            self.value = Some(self.collected[self.rank as usize]);
            self.collected = Vec::new();
        } else {
            let hist = std::mem::take(&mut self.hist);
            self.descend(&hist);
        }
    }
}

impl LargeSummary {
    /// A summary of `metrics` metrics, before its first pass.
    pub fn new(metrics: usize) -> LargeSummary {
        LargeSummary {
            metrics: (0..metrics)
                .map(|_| LargeMetric {
                    first: vec![0; 1 << DIGIT],
                    ..LargeMetric::default()
                })
                .collect(),
            pass: 0,
        }
    }

    /// Adds one row: a value per metric (NaN: undefined, skipped).
    pub fn add(&mut self, row: &[f64]) {
        for (m, &x) in self.metrics.iter_mut().zip(row) {
            if x.is_nan() {
                continue;
            }
            let key = sort_key(x);
            if self.pass == 0 {
                m.n += 1;
                m.sum.add(x);
                m.first[(key >> (64 - DIGIT)) as usize] += 1;
                continue;
            }
            if self.pass == 1 {
                m.squares.add((x - m.mean).powi(2));
            }
            for t in &mut m.targets {
                t.add(x, key);
            }
        }
    }

    /// Ends a pass; true when the statistics are complete (no further pass needed).
    pub fn end_pass(&mut self) -> bool {
        for m in &mut self.metrics {
            if self.pass == 0 {
                if m.n > 0 {
                    m.mean = m.sum.total() / m.n as f64;
                }
                let mut ranks: Vec<u64> = Vec::new();
                for q in QUANTILES {
                    let (lo, hi) = quantile_ranks(m.n, q);
                    ranks.extend([lo, hi]);
                }
                ranks.sort_unstable();
                ranks.dedup();
                let first = std::mem::take(&mut m.first);
                m.targets = if m.n == 0 {
                    Vec::new()
                } else {
                    ranks
                        .into_iter()
                        .map(|rank| {
                            let mut t = Target {
                                of: rank,
                                rank,
                                ..Target::default()
                            };
                            t.descend(&first);
                            t
                        })
                        .collect()
                };
            } else {
                m.targets.iter_mut().for_each(Target::end_pass);
            }
            m.targets.iter_mut().for_each(Target::prepare);
        }
        self.pass += 1;
        // Pass 1 sums the squared deviations, so at least two passes.
        self.pass >= 2
            && self
                .metrics
                .iter()
                .all(|m| m.targets.iter().all(|t| t.value.is_some()))
    }

    /// The summaries, once [`LargeSummary::end_pass`] returned true.
    pub fn summaries(&self) -> Vec<Summary> {
        self.metrics
            .iter()
            .map(|m| {
                if m.n == 0 {
                    return summarise(&mut Vec::new());
                }
                let n = m.n;
                let sd = if n > 1 {
                    (m.squares.total() / (n - 1) as f64).sqrt()
                } else {
                    0.0
                };
                let at = |rank: u64| {
                    m.targets
                        .iter()
                        .find(|t| t.of == rank)
                        .and_then(|t| t.value)
                        .expect("every rank was selected")
                };
                let quantile = |q: f64| {
                    let (lo, hi) = quantile_ranks(n, q);
                    let h = (n - 1) as f64 * q;
                    let (a, b) = (at(lo), at(hi));
                    a + (h - lo as f64) * (b - a)
                };
                let half = 1.96 * sd / (n as f64).sqrt();
                Summary {
                    n: n as usize,
                    mean: m.mean,
                    sd,
                    p2_5: quantile(0.025),
                    median: quantile(0.5),
                    p97_5: quantile(0.975),
                    ci_low: m.mean - half,
                    ci_high: m.mean + half,
                }
            })
            .collect()
    }
}

/// The ranks `floor h` and `floor h + 1` (capped) that quantile `q` of `n` values
/// interpolates between, as in [`quantile_sorted`].
fn quantile_ranks(n: u64, q: f64) -> (u64, u64) {
    if n == 0 {
        return (0, 0);
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as u64;
    (lo, (lo + 1).min(n - 1))
}

/// Gini coefficient of non-negative `values`, in [0, 1]:
/// `G = Σ_i (2i - n - 1) x_(i) / (n Σ x)` over the sorted values (i from 1).
/// 0 when all are equal or the total is 0. Sorts in place.
pub fn gini(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    values.sort_unstable_by(f64::total_cmp);
    let total: f64 = values.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let weighted: f64 = values
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i + 1) as f64 - n as f64 - 1.0) * x)
        .sum();
    weighted / (n as f64 * total)
}

/// Fragmentation `1 - HHI` from the running sums `Σ p_v` and `Σ p_v²` of progress by
/// venue: 0 when one venue produced everything, approaching 1 when many venues each
/// produced a little. 0 when nothing was produced.
pub fn fragmentation(sum: f64, sum_sq: f64) -> f64 {
    if sum <= 0.0 {
        0.0
    } else {
        (1.0 - sum_sq / (sum * sum)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    #[test]
    fn gini_of_hand_worked_cases() {
        close(gini(&mut [0.0, 0.0, 1.0]), 2.0 / 3.0);
        close(gini(&mut [1.0, 1.0, 1.0]), 0.0);
        close(gini(&mut [1.0, 3.0]), 0.25);
        close(gini(&mut []), 0.0);
    }

    #[test]
    fn summary_of_one_to_five() {
        let s = summarise(&mut vec![5.0, 1.0, 3.0, 2.0, 4.0, f64::NAN]);
        assert_eq!(s.n, 5);
        close(s.mean, 3.0);
        close(s.sd, 2.5f64.sqrt());
        close(s.median, 3.0);
        close(s.p2_5, 1.1); // h = 4 * 0.025 = 0.1
        close(s.p97_5, 4.9);
        close(s.ci_low, 3.0 - 1.96 * 2.5f64.sqrt() / 5f64.sqrt());
    }

    /// Passes `rows` through a [`LargeSummary`] until it is complete.
    fn large(rows: &[Vec<f64>]) -> Vec<Summary> {
        let mut s = LargeSummary::new(rows[0].len());
        let mut passes = 0;
        loop {
            rows.iter().for_each(|r| s.add(r));
            passes += 1;
            if s.end_pass() {
                break;
            }
        }
        assert!(passes <= 7, "{passes} passes");
        s.summaries()
    }

    #[test]
    fn large_summary_has_the_quantiles_and_count_of_summarise() {
        // Metrics: continuous with spread, few distinct values (radix to the last bit),
        // signed with zeros of both signs, NaN-laden, all NaN, one value.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for n in [1usize, 2, 3, 10, 4095, 4097, 50_000] {
            let rows: Vec<Vec<f64>> = (0..n)
                .map(|i| {
                    let u = next();
                    vec![
                        u * 1e3 - 300.0,
                        (u * 4.0).floor(),
                        if i % 3 == 0 { -0.0 } else { 0.0 } + (u - 0.5) * 1e-300,
                        if i % 5 == 1 { f64::NAN } else { u.ln() },
                        f64::NAN,
                        if i == 0 { 7.0 } else { f64::NAN },
                    ]
                })
                .collect();
            let got = large(&rows);
            for (m, g) in got.iter().enumerate() {
                let mut column: Vec<f64> = rows.iter().map(|r| r[m]).collect();
                let scale = column
                    .iter()
                    .filter(|v| !v.is_nan())
                    .fold(0.0, |a: f64, v| a.max(v.abs()));
                let want = summarise(&mut column);
                assert_eq!(g.n, want.n, "n={n} metric {m}");
                for (a, b) in [
                    (g.p2_5, want.p2_5),
                    (g.median, want.median),
                    (g.p97_5, want.p97_5),
                ] {
                    assert!(a.to_bits() == b.to_bits(), "n={n} metric {m}: {a} != {b}");
                }
                for (a, b) in [(g.mean, want.mean), (g.sd, want.sd)] {
                    assert!(
                        (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * scale,
                        "n={n} metric {m}: {a} != {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn summary_of_nothing_is_nan() {
        assert!(summarise(&mut vec![f64::NAN]).mean.is_nan());
        assert_eq!(summarise(&mut vec![]).n, 0);
    }

    #[test]
    fn fragmentation_of_one_venue_is_zero_and_of_two_equal_is_half() {
        close(fragmentation(2.0, 4.0), 0.0);
        close(fragmentation(2.0, 2.0), 0.5);
        close(fragmentation(0.0, 0.0), 0.0);
    }
}
