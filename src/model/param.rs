//! Per-state parameters that are either fixed or drawn, once per run, from a named
//! distribution (MODEL.md "Per-state parameters may be fixed or drawn").
//!
//! **Invariant:** a draw always lies in `[min, max]`; draws come only from the run's
//! own RNG, in a fixed order (state id, then field), so a run is reproducible alone.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// A number given in the scenario: a constant, or a distribution drawn per run.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// The same value in every run.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound (inclusive).
        min: f64,
        /// Upper bound (inclusive).
        max: f64,
    },
    /// Normal with `mean` and standard deviation `sd`, clamped to `[min, max]`.
    ///
    /// NOTE: clamping (not truncation by rejection) keeps the cost of a draw fixed and
    /// makes the bounds reachable, which is what "mean and spread, clamped to range"
    /// in the scenario format promises.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (>= 0).
        sd: f64,
        /// Lower clamp.
        min: f64,
        /// Upper clamp.
        max: f64,
    },
}

impl Param {
    /// Draws a value. `Fixed` consumes no randomness, so adding a fixed field never
    /// shifts the stream of later draws.
    pub fn draw(&self, rng: &mut ChaCha8Rng) -> f64 {
        match *self {
            Param::Fixed(v) => v,
            Param::Uniform { min, max } => {
                if max > min {
                    min + (max - min) * rng.random::<f64>()
                } else {
                    min
                }
            }
            Param::Normal { mean, sd, min, max } => {
                (mean + sd * standard_normal(rng)).clamp(min, max)
            }
        }
    }

    /// The centre of the distribution before clamping (a founder's expectation of a
    /// new coalition's institutionalisation, for instance).
    pub fn centre(&self) -> f64 {
        match *self {
            Param::Fixed(v) => v,
            Param::Uniform { min, max } => 0.5 * (min + max),
            Param::Normal { mean, .. } => mean,
        }
    }
}

/// One standard normal draw by the Box–Muller transform (two uniforms per draw; the
/// second variate is discarded so every draw consumes the same amount of stream).
pub fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    // 1 - u lies in (0, 1], so ln never sees 0.
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn draws_stay_within_their_bounds() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let p = Param::Normal {
            mean: 0.5,
            sd: 2.0,
            min: 0.0,
            max: 1.0,
        };
        let u = Param::Uniform { min: 0.2, max: 0.3 };
        for _ in 0..10_000 {
            let x = p.draw(&mut rng);
            assert!((0.0..=1.0).contains(&x));
            let y = u.draw(&mut rng);
            assert!((0.2..=0.3).contains(&y));
        }
    }

    #[test]
    fn normal_draws_have_the_requested_mean_and_spread() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "var {var}");
    }

    #[test]
    fn fixed_consumes_no_randomness() {
        let mut a = ChaCha8Rng::seed_from_u64(3);
        let mut b = ChaCha8Rng::seed_from_u64(3);
        Param::Fixed(0.4).draw(&mut a);
        assert_eq!(a.random::<u64>(), b.random::<u64>());
    }
}
