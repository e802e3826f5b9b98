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

/// Adopted when the accepting share of members exceeds `majority` (or reaches it when
/// `majority` is 1) and no veto holder rejects.
pub fn adopted(voters: &[Voter], majority: f64) -> bool {
    if voters.is_empty() || voters.iter().any(|v| v.veto_holder && !v.accepts) {
        return false;
    }
    let share = voters.iter().filter(|v| v.accepts).count() as f64 / voters.len() as f64;
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
        assert!(adopted(&v, 0.5)); // 3/5 > 1/2
        v[4].veto_holder = true; // a rejecting veto holder
        assert!(!adopted(&v, 0.5));
    }

    #[test]
    fn exactly_the_majority_is_not_enough() {
        let mut v = voters(&[0.5; 4]);
        v[0].accepts = true;
        v[1].accepts = true;
        assert!(!adopted(&v, 0.5)); // 2/4 is not > 1/2
        v[2].accepts = true;
        assert!(adopted(&v, 0.5));
        assert!(!adopted(&v, 1.0));
        v[3].accepts = true;
        assert!(adopted(&v, 1.0));
    }
}
