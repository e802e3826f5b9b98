//! Approximate Bayesian computation by rejection, with local-linear regression
//! adjustment (Beaumont, Zhang & Balding 2002, "Approximate Bayesian computation in
//! population genetics", *Genetics* 162(4): 2025–2035).
//!
//! Draws `θ_i` come from the prior (uniform over each parameter's range); each has its
//! simulated statistics `s_i` (a target metric's mean over the draw's replicates). With
//! the observed values `y` and their uncertainties `σ`:
//!
//! ```text
//! distance   ρ_i = sqrt( Σ_j ((s_ij − y_j) / σ_j)² )
//! kept       the k draws of smallest ρ; δ = the (k+1)-th smallest ρ (or the largest kept)
//! weight     w_i = 1 − (ρ_i / δ)²          (Epanechnikov kernel; uniform if δ = 0)
//! adjusted   z*_i = z_i − β' (s_i − y) / σ  (regression only)
//! ```
//!
//! where `z = logit((θ − lo) / (hi − lo))` keeps adjusted values inside the prior's
//! range, and `β` is the weighted least-squares fit of `z` on the scaled differences
//! (with an intercept) over the kept draws. A draw whose statistics are not all finite
//! is never kept. Pure functions; no I/O.

/// The posterior: the kept draws (nearest first), their (adjusted) parameter values
/// and normalised weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Posterior {
    /// Indices of the kept draws, nearest first.
    pub kept: Vec<usize>,
    /// Their distances.
    pub distances: Vec<f64>,
    /// The kernel's bandwidth δ.
    pub tolerance: f64,
    /// Parameter values, `kept.len() × d`, row-major (adjusted under regression).
    pub samples: Vec<f64>,
    /// Weights summing to 1.
    pub weights: Vec<f64>,
}

/// The scaled distance between simulated statistics `s` and the observed `y`.
pub fn distance(s: &[f64], y: &[f64], scale: &[f64]) -> f64 {
    let sum: f64 = (s.iter().zip(y).zip(scale))
        .map(|((s, y), sd)| ((s - y) / sd).powi(2))
        .sum();
    if sum.is_finite() {
        sum.sqrt()
    } else {
        f64::INFINITY
    }
}

/// Rejection ABC over `n` draws: `params` is `n × d` (row-major), `stats` `n × m`;
/// `bounds` each parameter's prior range; keeps the `keep` nearest draws (at most the
/// draws with finite distance) and, if `adjust`, applies the regression adjustment.
/// `None` if no draw has a finite distance.
pub fn abc(
    params: &[f64],
    stats: &[f64],
    observed: &[f64],
    scale: &[f64],
    bounds: &[(f64, f64)],
    keep: usize,
    adjust: bool,
) -> Option<Posterior> {
    let (d, m) = (bounds.len(), observed.len());
    let n = stats.len().checked_div(m).unwrap_or(0);
    let mut order: Vec<(f64, usize)> = (0..n)
        .map(|i| (distance(&stats[i * m..(i + 1) * m], observed, scale), i))
        .filter(|(rho, _)| rho.is_finite())
        .collect();
    if order.is_empty() {
        return None;
    }
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let k = keep.clamp(1, order.len());
    let tolerance = order.get(k).map_or(order[k - 1].0, |x| x.0);
    let kept: Vec<usize> = order[..k].iter().map(|x| x.1).collect();
    let distances: Vec<f64> = order[..k].iter().map(|x| x.0).collect();
    let mut weights: Vec<f64> = if tolerance > 0.0 {
        distances
            .iter()
            .map(|r| (1.0 - (r / tolerance).powi(2)).max(0.0))
            .collect()
    } else {
        vec![1.0; k]
    };
    let total: f64 = weights.iter().sum();
    if total > 0.0 {
        weights.iter_mut().for_each(|w| *w /= total);
    } else {
        weights.iter_mut().for_each(|w| *w = 1.0 / k as f64);
    }
    let mut samples: Vec<f64> = kept
        .iter()
        .flat_map(|&i| params[i * d..(i + 1) * d].iter().copied())
        .collect();
    if adjust && k > m + 1 {
        // Scaled differences, one row per kept draw, with an intercept column.
        let x: Vec<f64> = kept
            .iter()
            .flat_map(|&i| {
                std::iter::once(1.0)
                    .chain((0..m).map(move |j| (stats[i * m + j] - observed[j]) / scale[j]))
            })
            .collect();
        for (p, &(lo, hi)) in bounds.iter().enumerate() {
            if hi <= lo {
                continue;
            }
            let z: Vec<f64> = (0..k)
                .map(|r| logit_in(samples[r * d + p], lo, hi))
                .collect();
            let Some(beta) = weighted_least_squares(&x, &z, &weights, m + 1) else {
                continue;
            };
            for r in 0..k {
                let row = &x[r * (m + 1)..(r + 1) * (m + 1)];
                let shift: f64 = (1..=m).map(|j| beta[j] * row[j]).sum();
                samples[r * d + p] = logistic_in(z[r] - shift, lo, hi);
            }
        }
    }
    Some(Posterior {
        kept,
        distances,
        tolerance,
        samples,
        weights,
    })
}

/// Margin kept from a range's ends before the logit (a share of its width).
const EDGE: f64 = 1e-6;

/// `x` in `[lo, hi]` on the logit scale.
fn logit_in(x: f64, lo: f64, hi: f64) -> f64 {
    let u = ((x - lo) / (hi - lo)).clamp(EDGE, 1.0 - EDGE);
    (u / (1.0 - u)).ln()
}

/// Back from the logit scale into `[lo, hi]`.
fn logistic_in(z: f64, lo: f64, hi: f64) -> f64 {
    (lo + (hi - lo) / (1.0 + (-z).exp())).clamp(lo, hi)
}

/// The weighted least-squares coefficients of `y` on the `p` columns of `x`
/// (row-major, one row per observation): solves `(X'WX) β = X'Wy` by Gaussian
/// elimination with partial pivoting; `None` if the system is singular.
pub fn weighted_least_squares(x: &[f64], y: &[f64], w: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut a = vec![0.0; p * (p + 1)];
    for (r, (&yr, &wr)) in y.iter().zip(w).enumerate() {
        let row = &x[r * p..(r + 1) * p];
        for i in 0..p {
            for j in 0..p {
                a[i * (p + 1) + j] += wr * row[i] * row[j];
            }
            a[i * (p + 1) + p] += wr * row[i] * yr;
        }
    }
    solve(&mut a, p)
}

/// Solves the `p × p` system whose augmented matrix is `a` (`p × (p + 1)`).
fn solve(a: &mut [f64], p: usize) -> Option<Vec<f64>> {
    let w = p + 1;
    let scale = (0..p).map(|i| a[i * w + i].abs()).fold(0.0, f64::max);
    for col in 0..p {
        let pivot =
            (col..p).max_by(|&r, &s| a[r * w + col].abs().total_cmp(&a[s * w + col].abs()))?;
        if a[pivot * w + col].abs() <= 1e-12 * scale.max(f64::MIN_POSITIVE) {
            return None;
        }
        if pivot != col {
            for j in 0..w {
                a.swap(col * w + j, pivot * w + j);
            }
        }
        for r in col + 1..p {
            let f = a[r * w + col] / a[col * w + col];
            for j in col..w {
                a[r * w + j] -= f * a[col * w + j];
            }
        }
    }
    let mut beta = vec![0.0; p];
    for i in (0..p).rev() {
        let tail: f64 = (i + 1..p).map(|j| a[i * w + j] * beta[j]).sum();
        beta[i] = (a[i * w + p] - tail) / a[i * w + i];
    }
    Some(beta)
}

/// The weighted `q`-quantile of `values` (the smallest value whose cumulative weight,
/// in value order, reaches `q`).
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .copied()
        .zip(weights.iter().copied())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    let mut cum = 0.0;
    for &(v, w) in &pairs {
        cum += w;
        if cum >= q * total - 1e-12 {
            return v;
        }
    }
    pairs.last().map_or(f64::NAN, |p| p.0)
}

/// The weighted mean and standard deviation of `values`.
pub fn weighted_mean_sd(values: &[f64], weights: &[f64]) -> (f64, f64) {
    let total: f64 = weights.iter().sum();
    let mean = values.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total;
    let var = values
        .iter()
        .zip(weights)
        .map(|(v, w)| w * (v - mean).powi(2))
        .sum::<f64>()
        / total;
    (mean, var.sqrt())
}

/// How far the targets narrow a parameter: the posterior's central 95% interval as a
/// share of the prior's (uniform over `[lo, hi]`: `0.95 (hi − lo)`).
pub fn width_ratio(lo_post: f64, hi_post: f64, lo: f64, hi: f64) -> f64 {
    if hi <= lo {
        return 0.0;
    }
    (hi_post - lo_post) / (0.95 * (hi - lo))
}

/// Identification by the width ratio: `identified` below 0.5 (the targets halve the
/// prior's interval or better), `weakly identified` below 0.8, else `not identified`.
pub fn identification(ratio: f64) -> &'static str {
    if ratio < 0.5 {
        "identified"
    } else if ratio < 0.8 {
        "weakly identified"
    } else {
        "not identified"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// `n` draws of two parameters uniform on [0, 1]; the one statistic is
    /// `2 θ_0 + noise` (θ_1 has no effect on it).
    fn draws(n: usize, noise: f64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut params = Vec::with_capacity(2 * n);
        let mut stats = Vec::with_capacity(n);
        for _ in 0..n {
            let (a, b): (f64, f64) = (rng.random(), rng.random());
            let e: f64 = rng.random::<f64>() - 0.5;
            params.extend([a, b]);
            stats.push(2.0 * a + noise * e);
        }
        (params, stats)
    }

    fn interval(p: &Posterior, d: usize, j: usize) -> (f64, f64) {
        let col: Vec<f64> = (0..p.kept.len()).map(|r| p.samples[r * d + j]).collect();
        (
            weighted_quantile(&col, &p.weights, 0.025),
            weighted_quantile(&col, &p.weights, 0.975),
        )
    }

    #[test]
    fn distance_is_scaled_and_infinite_when_a_statistic_is_missing() {
        assert_eq!(distance(&[3.0, 1.0], &[1.0, 1.0], &[2.0, 1.0]), 1.0);
        assert_eq!(distance(&[f64::NAN], &[1.0], &[1.0]), f64::INFINITY);
    }

    #[test]
    fn least_squares_recovers_a_line_and_refuses_a_singular_system() {
        // y = 1 + 2x at x = 0, 1, 2, 3 (rows [1, x]).
        let x = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
        let y = [1.0, 3.0, 5.0, 7.0];
        let b = weighted_least_squares(&x, &y, &[1.0; 4], 2).expect("regular");
        assert!(
            (b[0] - 1.0).abs() < 1e-12 && (b[1] - 2.0).abs() < 1e-12,
            "{b:?}"
        );
        let same = [1.0, 2.0, 1.0, 2.0];
        assert_eq!(
            weighted_least_squares(&same, &[1.0, 1.0], &[1.0, 1.0], 2),
            None
        );
    }

    #[test]
    fn weighted_quantiles_and_moments() {
        let v = [3.0, 1.0, 2.0];
        let w = [0.25, 0.25, 0.5];
        assert_eq!(weighted_quantile(&v, &w, 0.25), 1.0);
        assert_eq!(weighted_quantile(&v, &w, 0.5), 2.0);
        assert_eq!(weighted_quantile(&v, &w, 0.9), 3.0);
        let (m, sd) = weighted_mean_sd(&v, &w);
        assert!((m - 2.0).abs() < 1e-12 && (sd - 0.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn the_true_value_falls_inside_the_posterior_and_an_unused_parameter_is_unidentified() {
        // Observed: 2 × 0.3. θ_0 is identified (the 95% interval holds 0.3 and is far
        // narrower than the prior's); θ_1, which the statistic ignores, keeps nearly
        // the prior's width.
        let (params, stats) = draws(20_000, 0.2);
        let bounds = [(0.0, 1.0), (0.0, 1.0)];
        for adjust in [false, true] {
            let p = abc(&params, &stats, &[0.6], &[0.05], &bounds, 1_000, adjust).expect("draws");
            let (lo, hi) = interval(&p, 2, 0);
            assert!(lo < 0.3 && 0.3 < hi, "adjust {adjust}: [{lo}, {hi}]");
            let r0 = width_ratio(lo, hi, 0.0, 1.0);
            assert_eq!(identification(r0), "identified", "{r0}");
            let (lo1, hi1) = interval(&p, 2, 1);
            let r1 = width_ratio(lo1, hi1, 0.0, 1.0);
            assert_eq!(identification(r1), "not identified", "{r1}");
        }
        // The adjustment narrows the identified parameter's posterior.
        let plain = abc(&params, &stats, &[0.6], &[0.05], &bounds, 1_000, false).expect("draws");
        let adjusted = abc(&params, &stats, &[0.6], &[0.05], &bounds, 1_000, true).expect("draws");
        let w = |p: &Posterior| {
            let (lo, hi) = interval(p, 2, 0);
            hi - lo
        };
        assert!(
            w(&adjusted) < w(&plain),
            "{} vs {}",
            w(&adjusted),
            w(&plain)
        );
    }

    #[test]
    fn adjusted_values_stay_inside_the_prior_and_kept_draws_are_nearest_first() {
        let (params, stats) = draws(2_000, 0.2);
        let p = abc(
            &params,
            &stats,
            &[0.05],
            &[0.05],
            &[(0.0, 1.0), (0.0, 1.0)],
            100,
            true,
        )
        .expect("draws");
        assert!(p.samples.iter().all(|x| (0.0..=1.0).contains(x)));
        assert!(p.distances.windows(2).all(|w| w[0] <= w[1]));
        assert!(p.distances.iter().all(|&d| d <= p.tolerance));
        assert!((p.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(
            abc(
                &params,
                &[f64::NAN; 2_000],
                &[0.0],
                &[1.0],
                &[(0.0, 1.0); 2],
                10,
                true
            ),
            None
        );
    }
}
