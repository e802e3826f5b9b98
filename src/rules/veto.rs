//! `veto`: a majority of members decides, but any named veto holder that rejects
//! blocks the measure (UN Security Council style: P5). The proposal is the median
//! member's position (the majority's choice); challengers, which reject more readily
//! (see `acceptance`), therefore veto more often when they hold a veto.

use super::Voter;

/// Median position (the lower median for an even count); `None` if no members.
/// Allocation-free: finds the median by selection in place.
pub fn propose(voters: &mut [Voter]) -> Option<f64> {
    if voters.is_empty() {
        return None;
    }
    let mid = (voters.len() - 1) / 2;
    let (_, median, _) = voters.select_nth_unstable_by(mid, |a, b| {
        a.position
            .total_cmp(&b.position)
            .then(a.state.cmp(&b.state))
    });
    Some(median.position)
}

/// Adopted when the accepting share of all members exceeds `majority` (or reaches it
/// when `majority` is 1), at least `affirmative` members accept (if set), and no veto
/// holder that takes part rejects. Abstaining members count as not accepting but do
/// not veto.
pub fn adopted(voters: &[Voter], majority: f64, affirmative: Option<u32>) -> bool {
    if voters.is_empty()
        || voters
            .iter()
            .any(|v| v.veto_holder && !v.abstains && !v.accepts)
    {
        return false;
    }
    let accepting = voters.iter().filter(|v| v.accepts).count();
    if affirmative.is_some_and(|n| accepting < n as usize) {
        return false;
    }
    let share = accepting as f64 / voters.len() as f64;
    if majority >= 1.0 {
        share >= 1.0
    } else {
        share > majority
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::voters;

    #[test]
    fn the_median_member_sets_the_proposal() {
        assert_eq!(propose(&mut voters(&[0.9, 0.1, 0.5])), Some(0.5));
        assert_eq!(propose(&mut voters(&[0.9, 0.1, 0.5, 0.3])), Some(0.3));
    }

    #[test]
    fn a_majority_adopts_unless_a_veto_holder_rejects() {
        let mut v = voters(&[0.5; 5]);
        for x in v.iter_mut().take(3) {
            x.accepts = true;
        }
        assert!(adopted(&v, 0.5, None)); // 3/5 > 1/2
        v[4].veto_holder = true; // a rejecting veto holder
        assert!(!adopted(&v, 0.5, None));
    }

    #[test]
    fn exactly_the_majority_is_not_enough() {
        let mut v = voters(&[0.5; 4]);
        v[0].accepts = true;
        v[1].accepts = true;
        assert!(!adopted(&v, 0.5, None)); // 2/4 is not > 1/2
        v[2].accepts = true;
        assert!(adopted(&v, 0.5, None));
        assert!(!adopted(&v, 1.0, None));
        v[3].accepts = true;
        assert!(adopted(&v, 1.0, None));
    }

    /// The Security Council (Charter art. 27(3); abstention practice since 1946):
    /// fifteen members, nine affirmative votes, and a permanent member that abstains
    /// does not veto.
    #[test]
    fn nine_affirmative_votes_and_an_abstaining_permanent_member_is_no_veto() {
        let mut v = voters(&[0.5; 15]);
        for x in v.iter_mut().take(5) {
            x.veto_holder = true;
        }
        // Eight of fifteen accept (53%, a majority): not enough.
        for x in v.iter_mut().skip(5).take(8) {
            x.accepts = true;
        }
        for x in v.iter_mut().take(5) {
            x.abstains = true; // the P5 all abstain
        }
        assert!(adopted(&v, 0.5, None));
        assert!(!adopted(&v, 0.5, Some(9)));
        // A ninth affirmative vote, from a permanent member: adopted while four abstain.
        v[0].abstains = false;
        v[0].accepts = true;
        assert!(adopted(&v, 0.5, Some(9)));
        // A permanent member that takes part and rejects vetoes it.
        v[1].abstains = false;
        assert!(!adopted(&v, 0.5, Some(9)));
        // An elected member's rejection does not.
        v[1].abstains = true;
        v[14].accepts = false;
        assert!(adopted(&v, 0.5, Some(9)));
    }
}
