//! CORE: decision rules (MODEL.md "Venue"). A venue turns its members' positions into
//! a proposal ([`propose`]) that moves the issue beyond its status quo, each member
//! accepts or rejects it against the status quo ([`acceptance::accept_probability`]),
//! and the rule says whether the votes adopt it ([`adopted`]). Bodies and coalitions
//! share these functions.
//!
//! **Invariant:** a proposal is one of the members' positions and lies strictly above
//! the status quo (no proposal when nobody the rule listens to wants a step forward);
//! the functions are pure and allocation-free (they work on the caller's `Voter` slice).

pub mod acceptance;
pub mod qmv;
pub mod unanimity;
pub mod veto;

use crate::model::ids::StateId;
use crate::model::scenario::Rule;

/// One member's part in a decision.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Voter {
    /// Who votes (ties in sorting are broken by id, so results never depend on order).
    pub state: StateId,
    /// Position on the issue decided, in [0, 1].
    pub position: f64,
    /// Current salience of the issue, in [0, 1].
    pub salience: f64,
    /// Weight for weighted `qmv` (population or capability), >= 0.
    pub weight: f64,
    /// Holds a veto in this venue.
    pub veto_holder: bool,
    /// Abstains (takes no part; counts as not objecting under consensus).
    pub abstains: bool,
    /// Accepted the proposal (set after the draws).
    pub accepts: bool,
}

/// Forms the proposal under `rule` against the issue's `status_quo`, or `None` if no
/// member takes part or the rule's proposal would not move beyond the status quo
/// (the median, or the qualified majority, is at or below it: nobody with the votes
/// to carry a measure wants one). Unanimity and consensus propose what the least
/// ambitious member above the status quo wants (members at or below it cannot be
/// accommodated by any step and will reject). May reorder `voters` (qmv sorts them)
/// and sets `abstains`.
pub fn propose(rule: &Rule, voters: &mut [Voter], status_quo: f64) -> Option<f64> {
    for v in voters.iter_mut() {
        v.abstains = false;
    }
    let proposal = match rule {
        Rule::Unanimity => unanimity::propose(voters, status_quo),
        Rule::Consensus { abstain_below } => {
            unanimity::propose_consensus(voters, *abstain_below, status_quo)
        }
        Rule::Veto { .. } => veto::propose(voters),
        Rule::Qmv { .. } => qmv::propose(voters, qmv_thresholds(rule)),
    };
    proposal.filter(|&d| d > status_quo)
}

/// Marks the members that abstain under `rule` (consensus: salience below
/// `abstain_below`), without forming a proposal. Used when the proposal is already
/// known (phase 3, admission votes), so the voters need not be sorted again.
pub fn mark_abstentions(rule: &Rule, voters: &mut [Voter]) {
    let threshold = match rule {
        Rule::Consensus { abstain_below } => *abstain_below,
        Rule::Veto {
            abstain_below: Some(a),
            ..
        } => *a,
        _ => f64::NEG_INFINITY,
    };
    for v in voters.iter_mut() {
        v.abstains = v.salience < threshold;
    }
}

/// Whether the votes in `voters` (with `accepts` set) adopt the proposal under `rule`.
pub fn adopted(rule: &Rule, voters: &[Voter]) -> bool {
    match rule {
        Rule::Unanimity | Rule::Consensus { .. } => unanimity::adopted(voters),
        Rule::Veto {
            majority,
            affirmative,
            ..
        } => veto::adopted(voters, *majority, *affirmative),
        Rule::Qmv { .. } => qmv::adopted(voters, qmv_thresholds(rule)),
    }
}

/// The thresholds of a `qmv` rule (all unset for other rules).
fn qmv_thresholds(rule: &Rule) -> qmv::Thresholds {
    match rule {
        Rule::Qmv {
            count,
            weight,
            min_members,
            blocking_minority,
            ..
        } => qmv::Thresholds {
            count: *count,
            weight: *weight,
            min_members: *min_members,
            blocking_minority: *blocking_minority,
        },
        _ => qmv::Thresholds::default(),
    }
}

#[cfg(test)]
pub(crate) fn voters(positions: &[f64]) -> Vec<Voter> {
    positions
        .iter()
        .enumerate()
        .map(|(i, &p)| Voter {
            state: StateId::from_index(i),
            position: p,
            salience: 1.0,
            weight: 1.0,
            ..Voter::default()
        })
        .collect()
}

#[cfg(test)]
mod status_quo_tests {
    //! Hand-worked decisions under status-quo voting (issue 17): the exact chance that
    //! each rule adopts, by enumerating every pattern of acceptances. Temperature 0.08
    //! (the engine default); `g` is each member's gain over the status quo and
    //! `p = logistic(g / 0.08)`.
    use super::*;
    use crate::rules::acceptance::{AcceptanceParams, Stance, accept_probability, logistic};

    const PARAMS: AcceptanceParams = AcceptanceParams {
        temperature: 0.08,
        challenger_reluctance: 0.0,
        rivalry: 0.0,
    };

    /// Proposal under `rule`, each member's acceptance probability, and the exact
    /// probability that the rule adopts.
    fn decide(
        rule: &Rule,
        positions: &[f64],
        status_quo: f64,
        veto: &[usize],
    ) -> (f64, Vec<f64>, f64) {
        let mut v = voters(positions);
        for &h in veto {
            v[h].veto_holder = true;
        }
        let proposal = propose(rule, &mut v, status_quo).expect("a proposal");
        let probs: Vec<f64> = v
            .iter()
            .map(|x| {
                let stance = Stance {
                    position: x.position,
                    ..Stance::default()
                };
                accept_probability(proposal, status_quo, stance, &PARAMS)
            })
            .collect();
        let n = v.len();
        let mut adopt = 0.0;
        for pattern in 0u32..(1 << n) {
            let mut chance = 1.0;
            for (i, x) in v.iter_mut().enumerate() {
                x.accepts = pattern & (1 << i) != 0;
                chance *= if x.accepts { probs[i] } else { 1.0 - probs[i] };
            }
            if adopted(rule, &v) {
                adopt += chance;
            }
        }
        (proposal, probs, adopt)
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn consensus_of_two_modest_and_one_ambitious_member_agrees() {
        // Positions 0.3, 0.3, 0.9, status quo 0: the proposal is 0.3; every member
        // gains 0.3 (the 0.9 member: 0.9 − 0.6), p = logistic(3.75) = 0.977023 each,
        // adopted with p³ = 0.932640: deadlock 6.7%, not the 99% of distance voting.
        let (d, p, adopt) = decide(
            &Rule::Consensus { abstain_below: 0.0 },
            &[0.3, 0.3, 0.9],
            0.0,
            &[],
        );
        close(d, 0.3);
        for x in &p {
            close(*x, logistic(3.75));
        }
        close(adopt, logistic(3.75).powi(3));
        assert!(1.0 - adopt < 0.2);
    }

    #[test]
    fn unanimity_with_a_laggard_below_the_status_quo_blocks() {
        // Positions 0.1, 0.5, 0.9, status quo 0.2: the laggard cannot be accommodated,
        // so the proposal is 0.5; the laggard's gain is 0.1 − 0.4 = −0.3,
        // p = logistic(−3.75) = 0.022977; adopted 0.022977 × 0.977023² = 0.021934.
        let (d, p, adopt) = decide(&Rule::Unanimity, &[0.1, 0.5, 0.9], 0.2, &[]);
        close(d, 0.5);
        close(p[0], logistic(-3.75));
        close(adopt, logistic(-3.75) * logistic(3.75).powi(2));
        assert!(adopt < 0.05);
    }

    #[test]
    fn a_veto_holder_below_the_status_quo_blocks_the_majority() {
        // Positions 0.2 (veto), 0.4, 0.6, 0.8, 0.9, status quo 0.3: the median 0.6 is
        // proposed; gains −0.3, 0.1 − 0.2 = −0.1, 0.3, 0.3, 0.3. Adopted only if the
        // holder accepts (0.022977) and at least two of the other four also do:
        // 0.022977 × P(≥ 2 of 4) = 0.022949.
        let rule = Rule::Veto {
            majority: 0.5,
            holders: vec![StateId(0)],
            affirmative: None,
            abstain_below: None,
        };
        let (d, p, adopt) = decide(&rule, &[0.2, 0.4, 0.6, 0.8, 0.9], 0.3, &[0]);
        close(d, 0.6);
        close(p[1], logistic(-1.25));
        close(adopt, 0.022949452608522995);
        // Without the veto the same majority adopts almost surely.
        let rule = Rule::Veto {
            majority: 0.5,
            holders: vec![],
            affirmative: None,
            abstain_below: None,
        };
        let (_, _, free) = decide(&rule, &[0.2, 0.4, 0.6, 0.8, 0.9], 0.3, &[]);
        assert!(free > 0.9, "{free}"); // 0.948: three of the other four must accept
    }

    #[test]
    fn qmv_outvotes_a_laggard() {
        // Positions 0.1, 0.5, 0.6, 0.8, 0.9, status quo 0.2, 55% of members: walking
        // down from the most ambitious, three of five (60%) want 0.6 or more, so 0.6 is
        // proposed. Gains −0.4, 0.3 − 0.1 = 0.2, 0.4, 0.4, 0.4; three acceptances adopt.
        // Exact: 0.998374; the laggard (p = 0.006693) cannot block.
        let rule = Rule::Qmv {
            count: Some(0.55),
            weight: None,
            weight_by: crate::model::scenario::Weight::Population,
            min_members: None,
            blocking_minority: None,
        };
        let (d, p, adopt) = decide(&rule, &[0.1, 0.5, 0.6, 0.8, 0.9], 0.2, &[]);
        close(d, 0.6);
        let laggard = p.iter().copied().fold(f64::INFINITY, f64::min);
        close(laggard, logistic(-5.0));
        close(adopt, 0.9983742978550773);
    }

    #[test]
    fn nothing_is_proposed_when_the_median_is_at_the_status_quo() {
        let rule = Rule::Veto {
            majority: 0.5,
            holders: vec![],
            affirmative: None,
            abstain_below: None,
        };
        assert_eq!(propose(&rule, &mut voters(&[0.1, 0.2, 0.9]), 0.2), None);
        assert_eq!(
            propose(&Rule::Unanimity, &mut voters(&[0.1, 0.2]), 0.2),
            None
        );
    }
}
