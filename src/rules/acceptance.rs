//! Stochastic acceptance of a proposal by one member (MODEL.md "acceptance is
//! stochastic"): the probability falls with the distance between the proposal and the
//! member's own position, so bigger and more diverse venues deadlock more often.
//!
//! **Invariant:** every probability returned is in [0, 1].

/// Logistic function `1 / (1 + e^-x)`, written to stay finite for any `x`.
#[inline]
pub fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The parts of a member's situation that bear on acceptance.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stance {
    /// The member's position on the issue, in [0, 1].
    pub position: f64,
    /// The member is a challenger (revisionist) state.
    pub challenger: bool,
    /// The venue is led by a great power that is this (great-power) member's rival.
    pub rival_led: bool,
}

/// Parameters of acceptance, from `[decision]`.
#[derive(Clone, Copy, Debug)]
pub struct AcceptanceParams {
    /// Distance accepted with probability 1/2, in [0, 1].
    pub tolerance: f64,
    /// Logit temperature (> 0).
    pub temperature: f64,
    /// Extra rejection probability of a challenger, in [0, 1].
    pub challenger_reluctance: f64,
    /// Extra rejection probability of a great power in a rival-led venue, in [0, 1].
    pub rivalry: f64,
}

/// Probability that a member accepts a proposal of depth `proposal`:
///
/// `p = logistic((tolerance - |proposal - position|) / temperature)
///      × (1 - challenger_reluctance if challenger)
///      × (1 - rivalry if rival_led)`
///
/// Inputs: `proposal` and `position` in [0, 1]; output in [0, 1].
/// The distance is symmetric: an ambitious member finds a watered-down proposal as
/// unattractive as a reluctant member finds an ambitious one. This is what makes a
/// unanimity venue's least-common-denominator proposal fail more often as its members
/// diverge (the "watered-down result" of the seed articles). A one-sided distance was
/// rejected because then unanimity would never deadlock.
pub fn accept_probability(proposal: f64, stance: Stance, params: &AcceptanceParams) -> f64 {
    let distance = (proposal - stance.position).abs();
    let mut p = logistic((params.tolerance - distance) / params.temperature);
    if stance.challenger {
        p *= 1.0 - params.challenger_reluctance;
    }
    if stance.rival_led {
        p *= 1.0 - params.rivalry;
    }
    p.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: AcceptanceParams = AcceptanceParams {
        tolerance: 0.2,
        temperature: 0.05,
        challenger_reluctance: 0.5,
        rivalry: 0.4,
    };

    fn check(proposal: f64, stance: Stance, expected: f64) {
        let p = accept_probability(proposal, stance, &PARAMS);
        assert!((p - expected).abs() < 1e-9, "got {p}, expected {expected}");
    }

    #[test]
    fn a_proposal_at_the_tolerance_is_accepted_half_the_time() {
        check(
            0.7,
            Stance {
                position: 0.5,
                ..Stance::default()
            },
            0.5,
        );
        check(
            0.3,
            Stance {
                position: 0.5,
                ..Stance::default()
            },
            0.5,
        );
    }

    #[test]
    fn the_own_position_is_accepted_almost_surely() {
        // logistic(0.2 / 0.05) = logistic(4) = 0.98201...
        check(
            0.5,
            Stance {
                position: 0.5,
                ..Stance::default()
            },
            1.0 / (1.0 + (-4.0f64).exp()),
        );
    }

    #[test]
    fn challengers_and_rivals_reject_more() {
        let base = 1.0 / (1.0 + (-4.0f64).exp());
        let s = Stance {
            position: 0.5,
            challenger: true,
            rival_led: true,
        };
        check(0.5, s, base * 0.5 * 0.6);
    }

    #[test]
    fn probability_falls_with_distance() {
        let mut last = 1.0;
        for i in 0..=10 {
            let p = accept_probability(i as f64 / 10.0, Stance::default(), &PARAMS);
            assert!(p <= last && (0.0..=1.0).contains(&p));
            last = p;
        }
    }

    #[test]
    fn logistic_is_finite_at_the_extremes() {
        assert_eq!(logistic(-1e6), 0.0);
        assert_eq!(logistic(1e6), 1.0);
        assert_eq!(logistic(0.0), 0.5);
    }
}
