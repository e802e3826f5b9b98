//! Morris elementary effects screening.
//!
//! Design: Morris (1991), "Factorial sampling plans for preliminary computational
//! experiments", Technometrics 33, 161–174: `r` random one-at-a-time trajectories of
//! `d + 1` points on a `p`-level grid. Measures: the mean `μ` and standard deviation `σ`
//! of the elementary effects (Morris 1991) and the mean of their absolute values `μ*`
//! (Campolongo, Cariboni & Saltelli 2007, "An effective screening design for sensitivity
//! analysis of large models", Environ. Model. Softw. 22, 1509–1518), which does not let
//! effects of opposite sign cancel.

use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

/// Morris design: `trajectories` trajectories of `d + 1` points each on the `levels`-level
/// grid `{0, 1/(p−1), …, 1}^d`, row-major `d`-dim unit points, trajectory after
/// trajectory (`r (d + 1)` points).
///
/// Each trajectory is Morris's (1991) randomised orientation
/// `B* = (J x* + (Δ/2)((2B − J) D* + J)) P*` with step `Δ = p / (2 (p − 1))`, `B` the
/// `(d+1) × d` strictly lower-triangular matrix of ones, `J` a matrix of ones, `x*` a
/// random base point drawn uniformly from the grid levels `x` with `x + Δ <= 1`, `D*` a
/// random diagonal of ±1 and `P*` a random permutation. Computed directly: the first point
/// is `x*_k + Δ` where `D*_k = −1` and `x*_k` where `D*_k = +1`, and step `s` moves factor
/// `π(s)` by `D*_π(s) Δ`, so each consecutive pair differs in exactly one factor, by ±Δ,
/// and every factor moves once. All randomness comes from
/// `ChaCha8Rng::seed_from_u64(seed)`.
///
/// Use an even `p` (4 is common): then `Δ` is `p/2` grid steps and every point lies on the
/// grid with each level equally likely. With odd `p` the points still lie in `[0, 1]` but
/// the moved coordinate falls between grid levels.
///
/// # Panics
/// If `levels < 2`.
pub fn morris_design(trajectories: usize, d: usize, levels: usize, seed: u64) -> Vec<f64> {
    assert!(
        levels >= 2,
        "morris_design: need at least 2 levels, got {levels}"
    );
    let step = morris_delta(levels);
    let grid = (levels - 1) as f64;
    // Base levels i with i/(p−1) + Δ <= 1, i.e. i <= (p − 2)/2 (count p/2 for even p).
    let bases = (levels - 2) / 2 + 1;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(trajectories * (d + 1) * d);
    let mut order: Vec<usize> = (0..d).collect();
    let mut up = vec![true; d];
    let mut point = vec![0.0; d];
    for _ in 0..trajectories {
        for k in 0..d {
            let base = rng.random_range(0..bases) as f64 / grid;
            up[k] = rng.random::<bool>();
            point[k] = if up[k] { base } else { base + step };
        }
        order.sort_unstable();
        order.shuffle(&mut rng);
        out.extend_from_slice(&point);
        for &k in &order {
            point[k] = if up[k] {
                point[k] + step
            } else {
                point[k] - step
            };
            out.extend_from_slice(&point);
        }
    }
    out
}

/// The Morris step `Δ = p / (2 (p − 1))` for `p` levels.
pub fn morris_delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

/// Morris measures per factor.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisIndices {
    /// Mean elementary effect `μ_i` (NaN with no effects).
    pub mu: Vec<f64>,
    /// Mean absolute elementary effect `μ*_i` (Campolongo et al. 2007; NaN with no effects).
    pub mu_star: Vec<f64>,
    /// Sample standard deviation (divisor `k − 1`) of the elementary effects `σ_i` (NaN
    /// with fewer than two effects).
    pub sigma: Vec<f64>,
    /// Number of elementary effects used for each factor.
    pub effects: Vec<usize>,
}

/// Elementary effects and the Morris measures from a design in trajectories of `d + 1`
/// unit points (as [`morris_design`] returns, row-major) and its outputs `y`.
///
/// For each pair of consecutive points within a trajectory, the changed factor is found
/// from the coordinates (no order is assumed): if exactly one coordinate `i` differs,
/// `EE_i = (y_next − y_prev) / (x_next,i − x_prev,i)`. This is the effect per unit of the
/// *unit* coordinate (scaled by nothing): for an effect per parameter unit divide by the
/// parameter's range (`hi − lo`). Pairs that differ in no or in several coordinates, or
/// with a NaN output, give no effect; so a NaN output loses at most the two effects
/// involving that point.
///
/// `μ_i` is the mean of the `EE_i`, `μ*_i` the mean of `|EE_i|`, `σ_i` their sample
/// standard deviation.
///
/// # Panics
/// If `points.len() != y.len() * d` or the point count is not a multiple of `d + 1`.
pub fn morris_indices(points: &[f64], y: &[f64], d: usize) -> MorrisIndices {
    assert_eq!(
        points.len(),
        y.len() * d,
        "morris_indices: {} outputs need {} coordinates, got {}",
        y.len(),
        y.len() * d,
        points.len()
    );
    assert!(
        y.len().is_multiple_of(d + 1),
        "morris_indices: {} points are not whole trajectories of d + 1 = {}",
        y.len(),
        d + 1
    );
    let mut effects: Vec<Vec<f64>> = vec![Vec::with_capacity(y.len() / (d + 1)); d];
    if d > 0 {
        let point = |k: usize| &points[k * d..(k + 1) * d];
        for start in (0..y.len()).step_by(d + 1) {
            for k in start..start + d {
                let (prev, next) = (point(k), point(k + 1));
                let mut changed = prev
                    .iter()
                    .zip(next)
                    .enumerate()
                    .filter(|(_, (a, b))| a != b);
                let (Some((i, (a, b))), None) = (changed.next(), changed.next()) else {
                    continue;
                };
                let ee = (y[k + 1] - y[k]) / (b - a);
                if !ee.is_nan() {
                    effects[i].push(ee);
                }
            }
        }
    }
    let mut out = MorrisIndices {
        mu: Vec::with_capacity(d),
        mu_star: Vec::with_capacity(d),
        sigma: Vec::with_capacity(d),
        effects: Vec::with_capacity(d),
    };
    for ee in &effects {
        let k = ee.len() as f64;
        let mu = ee.iter().sum::<f64>() / k;
        let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / k;
        let sigma = if ee.len() < 2 {
            f64::NAN
        } else {
            (ee.iter().map(|e| (e - mu) * (e - mu)).sum::<f64>() / (k - 1.0)).sqrt()
        };
        out.mu.push(mu);
        out.mu_star.push(mu_star);
        out.sigma.push(sigma);
        out.effects.push(ee.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(points: &[f64], d: usize, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
        points.chunks_exact(d).map(f).collect()
    }

    #[test]
    fn design_is_one_at_a_time_on_the_grid() {
        let (r, d, p) = (50, 5, 4);
        let x = morris_design(r, d, p, 11);
        assert_eq!(x.len(), r * (d + 1) * d);
        let delta = morris_delta(p);
        assert!((delta - 2.0 / 3.0).abs() < 1e-15);
        let mut level_counts = [0usize; 4];
        for t in 0..r {
            let traj = &x[t * (d + 1) * d..(t + 1) * (d + 1) * d];
            let mut moved = vec![0; d];
            for k in 0..d {
                let (a, b) = (&traj[k * d..(k + 1) * d], &traj[(k + 1) * d..(k + 2) * d]);
                let diff: Vec<usize> = (0..d).filter(|&i| a[i] != b[i]).collect();
                assert_eq!(diff.len(), 1);
                assert!(((b[diff[0]] - a[diff[0]]).abs() - delta).abs() < 1e-12);
                moved[diff[0]] += 1;
            }
            assert!(moved.iter().all(|&m| m == 1));
            for &v in traj {
                let level = v * 3.0;
                assert!((level - level.round()).abs() < 1e-12, "{v} off the grid");
                level_counts[level.round() as usize] += 1;
            }
        }
        // Every level is used (equal in expectation for even p).
        assert!(level_counts.iter().all(|&c| c > 0), "{level_counts:?}");
        assert_eq!(x, morris_design(r, d, p, 11));
        assert_ne!(x, morris_design(r, d, p, 12));
    }

    #[test]
    fn linear_model_recovers_coefficients_exactly() {
        let c = [2.0, -3.5, 0.0, 0.25];
        let d = c.len();
        for (levels, seed) in [(4, 1), (6, 2), (2, 3)] {
            let x = morris_design(20, d, levels, seed);
            let y = outputs(&x, d, |p| p.iter().zip(&c).map(|(a, b)| a * b).sum());
            let m = morris_indices(&x, &y, d);
            for (i, ci) in c.into_iter().enumerate() {
                assert_eq!(m.effects[i], 20);
                assert!((m.mu[i] - ci).abs() < 1e-12, "mu {i}");
                assert!((m.mu_star[i] - ci.abs()).abs() < 1e-12, "mu* {i}");
                assert!(m.sigma[i].abs() < 1e-12, "sigma {i}");
            }
            // The factor that does not enter has mu* = 0 exactly.
            assert_eq!(m.mu_star[2], 0.0);
        }
    }

    #[test]
    fn interaction_gives_spread() {
        let d = 3;
        let x = morris_design(40, d, 4, 5);
        let y = outputs(&x, d, |p| p[0] * p[1]);
        let m = morris_indices(&x, &y, d);
        // EE_1 = x2 and EE_2 = x1 take several values: sigma > 0.
        assert!(m.sigma[0] > 0.1 && m.sigma[1] > 0.1, "{:?}", m.sigma);
        assert!(m.mu_star[0] > 0.1 && m.mu_star[1] > 0.1);
        assert_eq!(m.mu_star[2], 0.0);
        assert_eq!(m.sigma[2], 0.0);
    }

    #[test]
    fn nan_outputs_and_any_factor_order() {
        let d = 2;
        // One hand-made trajectory, factor 2 moved first, then a NaN trajectory.
        let x = [
            0.0, 0.0, //
            0.0, 0.5, //
            0.5, 0.5, //
            0.0, 0.0, //
            0.5, 0.0, //
            0.5, 0.5,
        ];
        let y = [1.0, 2.0, 4.0, 1.0, f64::NAN, 7.0];
        let m = morris_indices(&x, &y, d);
        assert_eq!(m.effects, vec![1, 1]);
        assert_eq!(m.mu, vec![4.0, 2.0]);
        assert!(m.sigma[0].is_nan());
        // A single point per factor-free trajectory (d = 0) does not panic.
        let empty = morris_indices(&[], &[1.0, 2.0], 0);
        assert!(empty.mu.is_empty());
    }
}
