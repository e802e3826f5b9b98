//! `qmv`: qualified-majority voting by count and/or by weight, as the Council of the
//! EU decides since 2014 (art. 16(4) TEU, art. 238(3) TFEU): at least 55% of the
//! members, comprising at least fifteen of them, representing at least 65% of the
//! population; "a blocking minority must include at least four Council members,
//! failing which the qualified majority shall be deemed attained". The proposal is
//! the most ambitious depth that the members needed to carry it want at least as
//! much, so unlike unanimity the least ambitious members cannot water it down.

use super::Voter;

/// The thresholds of a qualified majority (each optional; a missing one is not
/// required).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Thresholds {
    /// Share of members that must accept.
    pub count: Option<f64>,
    /// Share of the weight that must accept.
    pub weight: Option<f64>,
    /// Number of members that must accept.
    pub min_members: Option<u32>,
    /// Members not accepting needed to block; with fewer the measure passes.
    pub blocking_minority: Option<u32>,
}

/// Walk members from the most to the least ambitious and return the position at which
/// those walked first carry the measure: they reach the count share, the minimum
/// number and the weight share, or those not yet walked are too few to block. A
/// weight total of zero makes the weight threshold vacuous. `None` if there are no
/// members.
///
/// Formula: with positions sorted descending `p_(1) >= p_(2) >= ...`, the proposal is
/// `p_(j)` for the smallest `j` with `j/n >= count`, `j >= min_members` and
/// (`W_j / W >= weight` or `n − j < blocking_minority`), where `W_j` is the weight of
/// the first `j`.
pub fn propose(voters: &mut [Voter], t: Thresholds) -> Option<f64> {
    if voters.is_empty() {
        return None;
    }
    voters.sort_unstable_by(|a, b| {
        b.position
            .total_cmp(&a.position)
            .then(a.state.cmp(&b.state))
    });
    let n = voters.len();
    let total: f64 = voters.iter().map(|v| v.weight).sum();
    let mut walked = 0.0;
    for (j, v) in voters.iter().enumerate() {
        walked += v.weight;
        if carried(j + 1, n, walked, total, t) {
            return Some(v.position);
        }
    }
    voters.last().map(|v| v.position)
}

/// Whether `yes` of `n` members holding `weight_yes` of `total` carry a measure.
fn carried(yes: usize, n: usize, weight_yes: f64, total: f64, t: Thresholds) -> bool {
    let count_ok = t.count.is_none_or(|q| yes as f64 / n as f64 >= q - 1e-12);
    let members_ok = t.min_members.is_none_or(|m| yes >= m as usize);
    let weight_ok = total <= 0.0 || t.weight.is_none_or(|q| weight_yes / total >= q - 1e-12);
    // The blocking minority waives the population test only: too few refusing states
    // cannot block however populous they are, but the member counts still apply (in
    // a council of 27 they always hold when fewer than four refuse).
    let unblocked = t.blocking_minority.is_some_and(|b| n - yes < b as usize);
    count_ok && members_ok && (weight_ok || unblocked)
}

/// Adopted when the accepting members carry the measure (see [`Thresholds`]).
pub fn adopted(voters: &[Voter], t: Thresholds) -> bool {
    if voters.is_empty() {
        return false;
    }
    let accepting = voters.iter().filter(|v| v.accepts).count();
    let total: f64 = voters.iter().map(|v| v.weight).sum();
    let weight_yes: f64 = voters.iter().filter(|v| v.accepts).map(|v| v.weight).sum();
    carried(accepting, voters.len(), weight_yes, total, t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::voters;

    fn t(count: Option<f64>, weight: Option<f64>) -> Thresholds {
        Thresholds {
            count,
            weight,
            ..Thresholds::default()
        }
    }

    /// The Council of the EU (27 members, 2020 populations in millions, rounded).
    fn council() -> (Vec<Voter>, Thresholds) {
        let pop = [
            83.2, 67.4, 59.6, 47.4, 37.9, 19.3, 17.5, 11.6, 10.7, 10.7, 10.3, 10.1, 9.8, 8.9, 6.9,
            5.8, 5.5, 5.5, 5.0, 4.1, 2.8, 2.1, 1.9, 1.3, 0.9, 0.6, 0.5,
        ];
        let mut v = voters(&[0.5; 27]);
        for (x, p) in v.iter_mut().zip(pop) {
            x.weight = p;
        }
        let t = Thresholds {
            count: Some(0.55),
            weight: Some(0.65),
            min_members: Some(15),
            blocking_minority: Some(4),
        };
        (v, t)
    }

    #[test]
    fn the_council_needs_fifteen_members_and_65_percent_of_the_population() {
        let (mut v, t) = council();
        // The 15 most populous accept: 15/27 = 55.6%, 411.3 of 447.3 = 92%.
        for x in v.iter_mut().take(15) {
            x.accepts = true;
        }
        assert!(adopted(&v, t));
        // 14 members are too few, whatever their weight (90%).
        v[14].accepts = false;
        assert!(!adopted(&v, t));
        // The 20 least populous: 74% of the members but 115.0 of 447.3 = 26% of the
        // population, and seven refuse: blocked.
        for (i, x) in v.iter_mut().enumerate() {
            x.accepts = i >= 7;
        }
        assert!(!adopted(&v, t));
    }

    #[test]
    fn three_large_members_cannot_block_alone() {
        let (mut v, t) = council();
        // Germany, France and Italy (47% of the population) refuse: without a
        // blocking minority of four the qualified majority is deemed attained.
        for (i, x) in v.iter_mut().enumerate() {
            x.accepts = i >= 3;
        }
        assert!(adopted(&v, t));
        assert!(!adopted(
            &v,
            Thresholds {
                blocking_minority: None,
                ..t
            }
        ));
        // A fourth, however small, completes the blocking minority.
        v[26].accepts = false;
        assert!(!adopted(&v, t));
    }

    #[test]
    fn the_proposal_is_what_the_members_needed_to_carry_it_want() {
        // Five members, the two most ambitious hold most of the weight: 55% of the
        // count needs three members and 65% of the weight two, so the proposal is the
        // third position.
        let mut v = voters(&[0.9, 0.8, 0.6, 0.3, 0.1]);
        v[0].weight = 5.0;
        v[1].weight = 4.0;
        let mut t = t(Some(0.55), Some(0.65));
        assert_eq!(propose(&mut v, t), Some(0.6));
        // At least four members: the fourth position, blocking minority or not (it
        // waives the population test, not the member counts).
        t.min_members = Some(4);
        assert_eq!(propose(&mut v, t), Some(0.3));
        t.blocking_minority = Some(3);
        assert_eq!(propose(&mut v, t), Some(0.3));
        // With the weight the two most ambitious would lack (they hold less than 65%),
        // the two least ambitious are still too few to block the third position.
        let mut w = voters(&[0.9, 0.8, 0.6, 0.3, 0.1]);
        w[4].weight = 9.0;
        let t = Thresholds {
            count: Some(0.55),
            weight: Some(0.65),
            min_members: None,
            blocking_minority: Some(3),
        };
        assert_eq!(propose(&mut w, t), Some(0.6));
    }

    #[test]
    fn the_proposal_is_what_a_qualified_majority_wants() {
        // Sorted descending: 0.9, 0.7, 0.5, 0.3, 0.1; 60% of 5 = 3 members -> 0.5.
        let mut v = voters(&[0.1, 0.9, 0.5, 0.3, 0.7]);
        assert_eq!(propose(&mut v, t(Some(0.6), None)), Some(0.5));
        // 55% of 5 = 2.75 -> 3 members as well.
        assert_eq!(propose(&mut v, t(Some(0.55), None)), Some(0.5));
        // 40% -> 2 members -> 0.7.
        assert_eq!(propose(&mut v, t(Some(0.4), None)), Some(0.7));
    }

    #[test]
    fn weight_can_pull_the_proposal_down() {
        let mut v = voters(&[0.9, 0.2]);
        v[1].weight = 9.0; // the unambitious member holds 90% of the weight
        assert_eq!(propose(&mut v, t(Some(0.5), Some(0.65))), Some(0.2));
        assert_eq!(propose(&mut v, t(Some(0.5), None)), Some(0.9));
    }

    #[test]
    fn the_threshold_is_inclusive_at_the_boundary() {
        let mut v = voters(&[0.5; 20]);
        for x in v.iter_mut().take(11) {
            x.accepts = true;
        }
        assert!(adopted(&v, t(Some(0.55), None))); // 11/20 = 0.55 exactly
        v[10].accepts = false;
        assert!(!adopted(&v, t(Some(0.55), None))); // 10/20
    }

    #[test]
    fn both_majorities_are_needed() {
        let mut v = voters(&[0.5; 4]);
        v[0].weight = 10.0;
        v[1].accepts = true;
        v[2].accepts = true;
        v[3].accepts = true;
        // 75% of members but 3/13 of the weight.
        assert!(adopted(&v, t(Some(0.55), None)));
        assert!(!adopted(&v, t(Some(0.55), Some(0.65))));
        v[0].accepts = true;
        assert!(adopted(&v, t(Some(0.55), Some(0.65))));
    }
}
