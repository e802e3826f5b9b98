//! `qmv`: qualified-majority voting by count and/or by weight (EU style: 55% of
//! members representing 65% of the population). The proposal is the most ambitious
//! depth that a qualified majority wants at least as much, so unlike unanimity the
//! least ambitious members cannot water it down.

use super::Voter;

/// Walk members from the most to the least ambitious and return the position at which
/// both the count share (`count`) and the weight share (`weight`) of those walked
/// first reach their thresholds. A missing threshold is not required; a weight total of
/// zero makes the weight threshold vacuous. `None` if there are no members.
///
/// Formula: with positions sorted descending `p_(1) >= p_(2) >= ...`, the proposal is
/// `p_(j)` for the smallest `j` with `j/n >= count` and `W_j / W >= weight`, where
/// `W_j` is the weight of the first `j`.
pub fn propose(voters: &mut [Voter], count: Option<f64>, weight: Option<f64>) -> Option<f64> {
    if voters.is_empty() {
        return None;
    }
    voters.sort_unstable_by(|a, b| {
        b.position
            .total_cmp(&a.position)
            .then(a.state.cmp(&b.state))
    });
    let n = voters.len() as f64;
    let total: f64 = voters.iter().map(|v| v.weight).sum();
    let mut walked = 0.0;
    for (j, v) in voters.iter().enumerate() {
        walked += v.weight;
        let count_ok = count.is_none_or(|q| (j + 1) as f64 / n >= q - 1e-12);
        let weight_ok = total <= 0.0 || weight.is_none_or(|q| walked / total >= q - 1e-12);
        if count_ok && weight_ok {
            return Some(v.position);
        }
    }
    voters.last().map(|v| v.position)
}

/// Adopted when the accepting members reach both thresholds.
pub fn adopted(voters: &[Voter], count: Option<f64>, weight: Option<f64>) -> bool {
    if voters.is_empty() {
        return false;
    }
    let n = voters.len() as f64;
    let accepting = voters.iter().filter(|v| v.accepts).count() as f64;
    let total: f64 = voters.iter().map(|v| v.weight).sum();
    let weight_yes: f64 = voters.iter().filter(|v| v.accepts).map(|v| v.weight).sum();
    let count_ok = count.is_none_or(|q| accepting / n >= q - 1e-12);
    let weight_ok = total <= 0.0 || weight.is_none_or(|q| weight_yes / total >= q - 1e-12);
    count_ok && weight_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::voters;

    #[test]
    fn the_proposal_is_what_a_qualified_majority_wants() {
        // Sorted descending: 0.9, 0.7, 0.5, 0.3, 0.1; 60% of 5 = 3 members -> 0.5.
        let mut v = voters(&[0.1, 0.9, 0.5, 0.3, 0.7]);
        assert_eq!(propose(&mut v, Some(0.6), None), Some(0.5));
        // 55% of 5 = 2.75 -> 3 members as well.
        assert_eq!(propose(&mut v, Some(0.55), None), Some(0.5));
        // 40% -> 2 members -> 0.7.
        assert_eq!(propose(&mut v, Some(0.4), None), Some(0.7));
    }

    #[test]
    fn weight_can_pull_the_proposal_down() {
        let mut v = voters(&[0.9, 0.2]);
        v[1].weight = 9.0; // the unambitious member holds 90% of the weight
        assert_eq!(propose(&mut v, Some(0.5), Some(0.65)), Some(0.2));
        assert_eq!(propose(&mut v, Some(0.5), None), Some(0.9));
    }

    #[test]
    fn the_threshold_is_inclusive_at_the_boundary() {
        let mut v = voters(&[0.5; 20]);
        for x in v.iter_mut().take(11) {
            x.accepts = true;
        }
        assert!(adopted(&v, Some(0.55), None)); // 11/20 = 0.55 exactly
        v[10].accepts = false;
        assert!(!adopted(&v, Some(0.55), None)); // 10/20
    }

    #[test]
    fn both_majorities_are_needed() {
        let mut v = voters(&[0.5; 4]);
        v[0].weight = 10.0;
        v[1].accepts = true;
        v[2].accepts = true;
        v[3].accepts = true;
        // 75% of members but 3/13 of the weight.
        assert!(adopted(&v, Some(0.55), None));
        assert!(!adopted(&v, Some(0.55), Some(0.65)));
        v[0].accepts = true;
        assert!(adopted(&v, Some(0.55), Some(0.65)));
    }
}
