//! CORE: decision rules (MODEL.md "Venue"). A venue turns its members' positions into
//! a proposal ([`propose`]), each member accepts or rejects it
//! ([`acceptance::accept_probability`]), and the rule says whether the votes adopt it
//! ([`adopted`]). Bodies and coalitions share these functions.
//!
//! **Invariant:** proposals lie in [0, 1] (within the members' positions); the
//! functions are pure and allocation-free (they work on the caller's `Voter` slice).

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

/// Forms the proposal under `rule`, or `None` if no member takes part.
/// May reorder `voters` (qmv sorts them) and sets `abstains`.
pub fn propose(rule: &Rule, voters: &mut [Voter]) -> Option<f64> {
    for v in voters.iter_mut() {
        v.abstains = false;
    }
    match rule {
        Rule::Unanimity => unanimity::propose(voters),
        Rule::Consensus { abstain_below } => unanimity::propose_consensus(voters, *abstain_below),
        Rule::Veto { .. } => veto::propose(voters),
        Rule::Qmv { count, weight, .. } => qmv::propose(voters, *count, *weight),
    }
}

/// Marks the members that abstain under `rule` (consensus: salience below
/// `abstain_below`), without forming a proposal. Used when the proposal is already
/// known (phase 3, admission votes), so the voters need not be sorted again.
pub fn mark_abstentions(rule: &Rule, voters: &mut [Voter]) {
    let threshold = match rule {
        Rule::Consensus { abstain_below } => *abstain_below,
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
        Rule::Veto { majority, .. } => veto::adopted(voters, *majority),
        Rule::Qmv { count, weight, .. } => qmv::adopted(voters, *count, *weight),
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
