//! `unanimity` and `consensus`: everyone must accept, so the proposal is what the
//! least ambitious member above the status quo wants, and depth falls as membership
//! grows and diverges (the "watered-down result"). A member at or below the status
//! quo gains from no step forward: it is not accommodated and will likely reject, so
//! a table holding such a laggard deadlocks. Under consensus, members that care little (salience
//! below `abstain_below`) abstain: they neither shape the proposal nor object, which
//! is how consensus bodies in practice differ from formal unanimity.

use super::Voter;

/// Unanimity proposal: the least ambitious position above the status quo,
/// `min { position_i : position_i > status_quo }`; `None` if there is none.
pub fn propose(voters: &mut [Voter], status_quo: f64) -> Option<f64> {
    voters
        .iter()
        .map(|v| v.position)
        .filter(|&p| p > status_quo)
        .reduce(f64::min)
}

/// Consensus proposal: the least ambitious position above the status quo among
/// members with `salience >= abstain_below`; the others are marked as abstaining.
/// `None` if every member abstains (nobody cares enough to put the item on the
/// agenda) or no participant wants a step forward.
pub fn propose_consensus(voters: &mut [Voter], abstain_below: f64, status_quo: f64) -> Option<f64> {
    let mut proposal: Option<f64> = None;
    for v in voters.iter_mut() {
        if v.salience < abstain_below {
            v.abstains = true;
        } else if v.position > status_quo {
            proposal = Some(proposal.map_or(v.position, |p| p.min(v.position)));
        }
    }
    proposal
}

/// Adopted when at least one member takes part and no participating member rejects:
/// a body with every member absent or abstaining decides nothing (no quorum).
pub fn adopted(voters: &[Voter]) -> bool {
    voters.iter().any(|v| !v.abstains) && voters.iter().all(|v| v.abstains || v.accepts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::voters;

    #[test]
    fn the_least_ambitious_member_sets_the_proposal() {
        let mut v = voters(&[0.8, 0.3, 0.6]);
        assert_eq!(propose(&mut v, 0.0), Some(0.3));
        assert_eq!(propose(&mut [], 0.0), None);
        // A laggard at or below the status quo is not accommodated.
        assert_eq!(propose(&mut v, 0.3), Some(0.6));
        assert_eq!(propose(&mut v, 0.8), None);
    }

    #[test]
    fn depth_never_rises_when_a_member_joins() {
        let mut v = voters(&[0.8, 0.6]);
        let before = propose(&mut v, 0.0).unwrap();
        let mut w = voters(&[0.8, 0.6, 0.7]);
        assert!(propose(&mut w, 0.0).unwrap() <= before);
    }

    #[test]
    fn consensus_ignores_members_who_do_not_care() {
        let mut v = voters(&[0.8, 0.1, 0.6]);
        v[1].salience = 0.05;
        assert_eq!(propose_consensus(&mut v, 0.2, 0.0), Some(0.6));
        assert!(v[1].abstains);
        // An abstainer's missing acceptance does not block.
        v[0].accepts = true;
        v[2].accepts = true;
        assert!(adopted(&v));
    }

    #[test]
    fn nobody_present_decides_nothing() {
        // Every member away or abstaining (the empty chair, or nobody caring about a
        // measure taken up): no objection, but no decision either.
        let mut v = voters(&[0.5, 0.5]);
        v.iter_mut().for_each(|x| x.abstains = true);
        assert!(!adopted(&v));
        v[0].abstains = false;
        v[0].accepts = true;
        assert!(adopted(&v));
    }

    #[test]
    fn one_rejection_blocks() {
        let mut v = voters(&[0.5, 0.5, 0.5]);
        v[0].accepts = true;
        v[1].accepts = true;
        assert!(!adopted(&v));
        v[2].accepts = true;
        assert!(adopted(&v));
    }

    #[test]
    fn consensus_with_everyone_abstaining_has_no_proposal() {
        let mut v = voters(&[0.5, 0.5]);
        v[0].salience = 0.0;
        v[1].salience = 0.0;
        assert_eq!(propose_consensus(&mut v, 0.2, 0.0), None);
    }
}
