//! Stochastic acceptance of a proposal by one member, relative to the status quo
//! (MODEL.md "acceptance is stochastic and relative to the status quo"): a member
//! compares the proposal with what happens if nothing is adopted and accepts with a
//! logit probability in the difference. A member that wants more than the proposal
//! still accepts a modest step forward; laggards (members at or below the status quo)
//! are the ones who block. Spatial voting with a status quo as in Romer & Rosenthal
//! (1978) and Tsebelis (2002, *Veto Players*), with logit noise (McKelvey & Palfrey 1995).
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
    /// Logit temperature (> 0): how noisy acceptance is around indifference.
    pub temperature: f64,
    /// Extra rejection probability of a challenger, in [0, 1].
    pub challenger_reluctance: f64,
    /// Extra rejection probability of a great power in a rival-led venue, in [0, 1].
    pub rivalry: f64,
}

/// What a member at `position` gains if `proposal` replaces `status_quo`, with the
/// spatial utility `u(y) = −|y − position|`:
///
/// `gain = |status_quo − position| − |proposal − position|`
///
/// Positive when the proposal is closer to the member than the status quo. A member
/// above both (more ambitious) gains `proposal − status_quo > 0` from any step
/// forward; a member at or below the status quo loses from every step.
#[inline]
pub fn gain(proposal: f64, status_quo: f64, position: f64) -> f64 {
    (status_quo - position).abs() - (proposal - position).abs()
}

/// Probability that a member accepts a proposal of depth `proposal` against the
/// issue's `status_quo`:
///
/// `p = logistic(gain / temperature)
///      × (1 − challenger_reluctance if challenger)
///      × (1 − rivalry if rival_led)`
///
/// Inputs in [0, 1]; output in [0, 1]. An indifferent member accepts half the time.
pub fn accept_probability(
    proposal: f64,
    status_quo: f64,
    stance: Stance,
    params: &AcceptanceParams,
) -> f64 {
    accept_gain(gain(proposal, status_quo, stance.position), stance, params)
}

/// Probability that a member accepts a proposal from which it gains `g` (its
/// position in `stance` unused): `logistic(g / temperature)` with the challenger and
/// rivalry factors of [`accept_probability`]. A package of linked issues is accepted
/// on the salience-weighted mean of its gains.
pub fn accept_gain(g: f64, stance: Stance, params: &AcceptanceParams) -> f64 {
    let mut p = logistic(g / params.temperature);
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
        temperature: 0.05,
        challenger_reluctance: 0.5,
        rivalry: 0.4,
    };

    fn at(position: f64) -> Stance {
        Stance {
            position,
            ..Stance::default()
        }
    }

    fn check(proposal: f64, status_quo: f64, stance: Stance, expected: f64) {
        let p = accept_probability(proposal, status_quo, stance, &PARAMS);
        assert!((p - expected).abs() < 1e-9, "got {p}, expected {expected}");
    }

    #[test]
    fn an_ambitious_member_accepts_a_modest_step_forward() {
        // Position 0.9, proposal 0.3, status quo 0: gain = 0.9 − 0.6 = 0.3,
        // p = logistic(0.3 / 0.05) = logistic(6) = 0.99753...
        check(0.3, 0.0, at(0.9), logistic(6.0));
        assert!(accept_probability(0.3, 0.0, at(0.9), &PARAMS) > 0.99);
    }

    #[test]
    fn a_laggard_below_the_status_quo_rejects_any_step() {
        // Position 0.1, status quo 0.2, proposal 0.5: gain = 0.1 − 0.4 = −0.3.
        check(0.5, 0.2, at(0.1), logistic(-6.0));
        assert!(accept_probability(0.5, 0.2, at(0.1), &PARAMS) < 0.01);
    }

    #[test]
    fn an_indifferent_member_accepts_half_the_time() {
        // Position 0.5 between status quo 0.3 and proposal 0.7: both 0.2 away.
        check(0.7, 0.3, at(0.5), 0.5);
    }

    #[test]
    fn the_gain_is_the_distance_saved() {
        assert!((gain(0.3, 0.0, 0.9) - 0.3).abs() < 1e-15);
        assert!((gain(0.5, 0.2, 0.1) + 0.3).abs() < 1e-15);
        assert!((gain(0.4, 0.0, 0.4) - 0.4).abs() < 1e-15);
        // A proposal that overshoots: position 0.4, proposal 0.9 (0.5 away), status quo 0 (0.4 away).
        assert!((gain(0.9, 0.0, 0.4) + 0.1).abs() < 1e-15);
    }

    #[test]
    fn challengers_and_rivals_reject_more() {
        let s = Stance {
            position: 0.5,
            challenger: true,
            rival_led: true,
        };
        check(0.5, 0.0, s, logistic(10.0) * 0.5 * 0.6);
    }

    #[test]
    fn acceptance_rises_with_a_members_ambition() {
        let mut last = 0.0;
        for i in 0..=10 {
            let p = accept_probability(0.5, 0.2, at(i as f64 / 10.0), &PARAMS);
            assert!(p >= last - 1e-15 && (0.0..=1.0).contains(&p), "{i}: {p}");
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
