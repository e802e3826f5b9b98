//! Legitimacy and what it changes (MODEL.md "Consequences feed back"; docs/model.md
//! "Legitimacy"): a measure's legitimacy `λ` is the share of states (or of world
//! population) with a voice in the venue that adopted it; with weight `w` it scales
//! the pull of the measure on states without a voice, and a body's readiness to take
//! up a coalition's measure, by `1 − w + w × λ` (Franck 1990, *The Power of Legitimacy
//! among Nations*: rules made with a say command compliance beyond coercion).

use crate::model::ids::StateId;
use crate::model::scenario::LegitimacyBasis;
use crate::model::state::States;

/// The voice in a measure decided by `deciders`: `(states with a voice, their share
/// of world population)`; non-state actors have no voice.
pub fn voice(states: &States, deciders: &[StateId]) -> (f64, f64) {
    let (mut count, mut population) = (0.0, 0.0);
    for &m in deciders {
        let i = m.index();
        if !states.non_state[i] {
            count += 1.0;
            population += states.population_share[i];
        }
    }
    (count, population)
}

/// Legitimacy `λ` in [0, 1] of a measure with `voice` (from [`voice`]) among
/// `with_voice` states in the world, on `basis`.
pub fn of_measure(basis: LegitimacyBasis, voice: (f64, f64), with_voice: f64) -> f64 {
    match basis {
        LegitimacyBasis::States => voice.0 / with_voice.max(1.0),
        LegitimacyBasis::Population => voice.1,
    }
    .clamp(0.0, 1.0)
}

/// The factor `1 − w + w × λ` by which legitimacy `λ` with weight `w` scales a
/// measure's pull (1 when `w` = 0 or `λ` = 1; `λ` when `w` = 1).
pub fn pull(weight: f64, legitimacy: f64) -> f64 {
    1.0 - weight + weight * legitimacy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legitimacy_counts_states_or_population_with_a_voice() {
        // Two of four states decided, holding 0.1 and 0.3 of world population.
        assert_eq!(of_measure(LegitimacyBasis::States, (2.0, 0.4), 4.0), 0.5);
        assert_eq!(
            of_measure(LegitimacyBasis::Population, (2.0, 0.4), 4.0),
            0.4
        );
        // Rounding never takes it past 1.
        assert_eq!(
            of_measure(LegitimacyBasis::Population, (4.0, 1.0 + 1e-12), 4.0),
            1.0
        );
    }

    #[test]
    fn the_pull_falls_from_one_to_legitimacy_as_the_weight_rises() {
        assert_eq!(pull(0.0, 0.2), 1.0);
        assert_eq!(pull(1.0, 0.2), 0.2);
        assert!((pull(0.5, 0.2) - 0.6).abs() < 1e-15);
        assert_eq!(pull(0.7, 1.0), 1.0);
    }
}
