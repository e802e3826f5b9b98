//! `unanimity` and `consensus`: everyone must accept, so the proposal is what the
//! least ambitious member accepts and depth falls as membership grows and diverges
//! (the "watered-down result"). Under consensus, members that care little (salience
//! below `abstain_below`) abstain: they neither shape the proposal nor object, which
//! is how consensus bodies in practice differ from formal unanimity.

use super::Voter;

/// Unanimity proposal: the minimum position, `min_i position_i`; `None` if no members.
pub fn propose(voters: &mut [Voter]) -> Option<f64> {
    voters.iter().map(|v| v.position).reduce(f64::min)
}

/// Consensus proposal: the minimum position among members with
/// `salience >= abstain_below`; the others are marked as abstaining. `None` if every
/// member abstains (nobody cares enough to put the item on the agenda).
pub fn propose_consensus(voters: &mut [Voter], abstain_below: f64) -> Option<f64> {
    let mut proposal: Option<f64> = None;
    for v in voters.iter_mut() {
        if v.salience < abstain_below {
            v.abstains = true;
        } else {
            proposal = Some(proposal.map_or(v.position, |p| p.min(v.position)));
        }
    }
    proposal
}

/// Adopted when no participating member rejects.
pub fn adopted(voters: &[Voter]) -> bool {
    voters.iter().all(|v| v.abstains || v.accepts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::voters;

    #[test]
    fn the_least_ambitious_member_sets_the_proposal() {
        let mut v = voters(&[0.8, 0.3, 0.6]);
        assert_eq!(propose(&mut v), Some(0.3));
        assert_eq!(propose(&mut []), None);
    }

    #[test]
    fn depth_never_rises_when_a_member_joins() {
        let mut v = voters(&[0.8, 0.6]);
        let before = propose(&mut v).unwrap();
        let mut w = voters(&[0.8, 0.6, 0.7]);
        assert!(propose(&mut w).unwrap() <= before);
    }

    #[test]
    fn consensus_ignores_members_who_do_not_care() {
        let mut v = voters(&[0.8, 0.1, 0.6]);
        v[1].salience = 0.05;
        assert_eq!(propose_consensus(&mut v, 0.2), Some(0.6));
        assert!(v[1].abstains);
        // An abstainer's missing acceptance does not block.
        v[0].accepts = true;
        v[2].accepts = true;
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
        assert_eq!(propose_consensus(&mut v, 0.2), None);
    }
}
