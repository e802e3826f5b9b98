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
