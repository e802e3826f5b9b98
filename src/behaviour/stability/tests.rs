//! Tests of the `stability` rule: hand-worked games and the published figures they pin.

use super::*;

fn spec(payoff: PayoffShape, benefit: f64, cost: f64) -> StabilitySpec {
    StabilitySpec {
        payoff,
        benefit,
        cost,
        ..StabilitySpec::textbook()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

/// The sizes `k` that the exhaustive check finds stable.
fn stable(spec: &StabilitySpec, n: usize) -> Vec<usize> {
    stable_sizes(spec, n)
        .iter()
        .filter(|r| r.stable())
        .map(|r| r.k)
        .collect()
}

#[test]
fn quadratic_payoffs_of_a_hand_worked_size() {
    // N = 5, b = c = 1, k = 3: members abate q = k b / c = 3, outsiders b / c = 1,
    // Q = 3 × 3 + 2 × 1 = 11. Member: 11 − 9/2 = 6.5 (= k²/2 + N − k);
    // outsider: 11 − 1/2 = 10.5 (= k² + N − k − 1/2).
    let s = spec(PayoffShape::Quadratic, 1.0, 1.0);
    let rows = stable_sizes(&s, 5);
    let r = rows[2];
    assert_eq!(r.k, 3);
    assert!(close(r.abatement_total, 11.0));
    assert!(close(r.member_payoff, 6.5), "{}", r.member_payoff);
    assert!(close(r.outsider_payoff, 10.5), "{}", r.outsider_payoff);
    // b = 2, c = 4 scales every payoff by b²/c = 1 and Q by b/c = 1/2.
    let r = stable_sizes(&spec(PayoffShape::Quadratic, 2.0, 4.0), 5)[2];
    assert!(close(r.member_payoff, 6.5) && close(r.outsider_payoff, 10.5));
    assert!(close(r.abatement_total, 5.5));
    assert!(r.outsider_payoff.is_finite() && rows[4].outsider_payoff.is_nan());
}

#[test]
fn quadratic_stability_follows_the_derived_inequalities() {
    // In units of b²/c: π_in(k) = k²/2 + N − k, π_out(k) = k² + N − k − 1/2.
    // Internal: π_in(k) − π_out(k − 1) = −(k − 1)(k − 3)/2 ≥ 0 ⇔ 1 ≤ k ≤ 3.
    // External: π_out(k) − π_in(k + 1) = k(k − 2)/2 > 0 ⇔ k > 2 (at k = 2 the
    // outsider is indifferent, so it joins).
    for (b, c) in [(1.0, 1.0), (0.3, 2.0), (5.0, 0.7)] {
        let s = spec(PayoffShape::Quadratic, b, c);
        for n in 1..=25usize {
            for r in stable_sizes(&s, n) {
                let k = r.k as f64;
                let unit = b * b / c;
                assert!(close(r.member_payoff, unit * (k * k / 2.0 + n as f64 - k)));
                let internal = (k - 1.0) * (k - 3.0) <= 0.0;
                let external = r.k == n || k * (k - 2.0) / 2.0 > 0.0;
                assert_eq!(r.internally_stable, internal, "b {b} c {c} n {n} k {k}");
                assert_eq!(r.externally_stable, external, "b {b} c {c} n {n} k {k}");
            }
        }
    }
}

#[test]
fn the_quadratic_stable_size_is_three() {
    for (b, c) in [(1.0, 1.0), (0.3, 2.0), (5.0, 0.7), (0.01, 100.0)] {
        let s = spec(PayoffShape::Quadratic, b, c);
        for n in 3..=40 {
            assert_eq!(stable(&s, n), [3], "b {b} c {c} n {n}");
            assert_eq!(closed_form(&s, n), [3]);
        }
        // Two states: the pair (internal: (2 − 1)(2 − 3) < 0); one: alone.
        assert_eq!(stable(&s, 2), [2]);
        assert_eq!(stable(&s, 1), [1]);
        assert_eq!((closed_form(&s, 2), closed_form(&s, 1)), (vec![2], vec![1]));
    }
}

#[test]
fn the_linear_stable_size_is_the_ceiling_of_c_over_b() {
    // b < c: no outsider abates; members abate iff k b ≥ c. At k = ⌈c/b⌉ a member
    // gets k b − c ≥ 0 and leaving gives (k − 1) b < c, no abatement, 0: it stays.
    // An outsider gets k b; joining gives (k + 1) b − c < k b: it stays out. Below
    // k*, joining gives ≥ 0 = staying out (indifferent or better): it joins.
    // Above k*, leaving gives (k − 1) b > k b − c: members leave.
    for (b, c, n, k) in [
        (0.4, 1.0, 10, 3),   // c/b = 2.5
        (0.1, 0.3, 10, 3),   // c/b = 3 (3 × 0.1 = 0.30000000000000004)
        (0.25, 1.0, 10, 4),  // c/b = 4 exactly
        (1.0, 3.0, 10, 3),   // c/b = 3
        (0.3, 1.0, 10, 4),   // c/b = 3.33
        (0.7, 1.0, 10, 2),   // c/b = 1.43
        (0.05, 1.0, 10, 10), // c/b = 20 > N: the grand coalition, abating nothing
        (1.0, 0.5, 6, 6),    // b > c: everyone abates anyway; outsiders indifferent
        (1.0, 1.0, 6, 6),    // b = c likewise (an indifferent state abates)
    ] {
        let s = spec(PayoffShape::Linear, b, c);
        assert_eq!(closed_form(&s, n), [k], "b {b} c {c}");
        assert_eq!(stable(&s, n), [k], "b {b} c {c}");
    }
    // c/b = 2.5 at k* = 3: member 3 × 0.4 − 1 = 0.2; outsider 1.2; Q = 3.
    let r = stable_sizes(&spec(PayoffShape::Linear, 0.4, 1.0), 10)[2];
    assert!(close(r.member_payoff, 0.2) && close(r.outsider_payoff, 1.2));
    assert!(close(r.abatement_total, 3.0));
    // At k = 2 nobody abates: both payoffs 0.
    let r = stable_sizes(&spec(PayoffShape::Linear, 0.4, 1.0), 10)[1];
    assert!(r.member_payoff == 0.0 && r.outsider_payoff == 0.0 && r.abatement_total == 0.0);
}

/// All subsets of three states with benefits `b`: the stable ones.
fn stable_subsets(spec: &StabilitySpec, b: [f64; 3]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for mask in 0u32..8 {
        let mut a = Agreement::default();
        for (i, &bi) in b.iter().enumerate() {
            a.benefit_all += bi;
            a.abaters_all += usize::from(abates_alone(spec, bi));
            if mask & (1 << i) != 0 {
                a = a.with(spec, bi);
            }
        }
        let internal = (0..3).all(|i| mask & (1 << i) == 0 || !wants_to_leave(spec, &a, b[i]));
        let external = (0..3).all(|i| mask & (1 << i) != 0 || !wants_to_join(spec, &a, b[i]));
        if internal && external {
            out.push((0..3).filter(|i| mask & (1 << i) != 0).collect());
        }
    }
    out
}

#[test]
fn three_asymmetric_states_hand_worked() {
    // Quadratic, c = 1, b = (1, 2, 2) for A, B, C.
    // S = {B, C}: B_S = 4, q_B = q_C = 4, q_A = 1, Q = 9.
    //   π_B = 2 × 9 − 16/2 = 10; π_A = 9 − 1/2 = 8.5.
    //   B leaves → S = {C}: q = (1, 2, 2), Q = 5, π_B = 10 − 2 = 8 < 10: stays.
    //   A joins → S = {A, B, C}: B_S = 5, Q = 15, π_A = 15 − 25/2 = 2.5 < 8.5: out.
    // S = {A, B}: B_S = 3, Q = 3 + 3 + 2 = 8, π_A = 8 − 4.5 = 3.5; A alone:
    //   Q = 5, π_A = 4.5 > 3.5: A leaves. So {B, C} is the one stable agreement.
    let s = spec(PayoffShape::Quadratic, 1.0, 1.0);
    let b = [1.0, 2.0, 2.0];
    let all = Agreement {
        benefit_all: 5.0,
        ..Agreement::default()
    };
    let bc = all.with(&s, 2.0).with(&s, 2.0);
    assert!(close(total_abatement(&s, &bc), 9.0));
    assert!(close(payoff(&s, &bc, 2.0, true), 10.0));
    assert!(close(payoff(&s, &bc, 1.0, false), 8.5));
    assert!(close(payoff(&s, &bc.without(&s, 2.0), 2.0, false), 8.0));
    assert!(close(payoff(&s, &bc.with(&s, 1.0), 1.0, true), 2.5));
    let ab = all.with(&s, 1.0).with(&s, 2.0);
    assert!(close(payoff(&s, &ab, 1.0, true), 3.5));
    assert!(wants_to_leave(&s, &ab, 1.0));
    assert_eq!(stable_subsets(&s, b), [vec![1, 2]]);
    // Scaling every benefit scales every payoff by the square: same answer.
    assert_eq!(stable_subsets(&s, [0.6, 1.2, 1.2]), [vec![1, 2]]);
    // b = (1, 2, 3) is too unequal: only the largest alone (no agreement) is stable.
    assert_eq!(stable_subsets(&s, [1.0, 2.0, 3.0]), [vec![2]]);
}

#[test]
fn a_singleton_is_the_same_outcome_as_no_agreement() {
    for payoff_shape in [PayoffShape::Quadratic, PayoffShape::Linear] {
        let s = spec(payoff_shape, 0.7, 1.3);
        let none = Agreement::symmetric(&s, 0, 6);
        let one = Agreement::symmetric(&s, 1, 6);
        assert!(close(total_abatement(&s, &none), total_abatement(&s, &one)));
        assert!(close(
            payoff(&s, &one, 0.7, true),
            payoff(&s, &none, 0.7, false)
        ));
        assert!(!wants_to_leave(&s, &one, 0.7));
        assert!(wants_to_join(&s, &none, 0.7), "indifferent, so it joins");
    }
}

fn barrett(moves: Moves, benefit: f64, cost: f64) -> StabilitySpec {
    StabilitySpec {
        payoff: PayoffShape::Barrett,
        moves,
        benefit,
        cost,
        ..StabilitySpec::textbook()
    }
}

#[test]
fn barrett_payoffs_of_a_hand_worked_case() {
    // N = 3, b = c = a = 1, k = 2. Simultaneous: β = 2/3, φ = 1/3,
    // x = 1 / (1 + 1/3 + 4/3) = 3/8, members β x = 1/4, the outsider x / 3 = 1/8,
    // Q = 5/8. a Q − Q²/2 = (1 − x²)/2 = 55/128, so a member gets
    // 55/384 − 1/32 = 43/384 and the outsider 55/384 − 1/128 = 13/96.
    let s = barrett(Moves::Simultaneous, 1.0, 1.0);
    let pair = Agreement::symmetric(&s, 2, 3);
    assert!(close(total_abatement(&s, &pair), 5.0 / 8.0));
    assert!(close(member_abatement(&s, &pair), 0.25));
    assert!(close(outsider_abatement(&s, &pair, 1.0), 0.125));
    assert!(close(payoff(&s, &pair, 1.0, true), 43.0 / 384.0));
    assert!(close(payoff(&s, &pair, 1.0, false), 13.0 / 96.0));
    // Members leading: x = (4/3) / (16/9 + 4/3) = 3/7, members β x / (1 + φ) = 3/14,
    // the outsider 1/7 (its reply to them: (1 − 2 × 3/14) / (γN + N − k) = 1/7).
    let l = barrett(Moves::Leader, 1.0, 1.0);
    assert!(close(total_abatement(&l, &pair), 4.0 / 7.0));
    assert!(close(member_abatement(&l, &pair), 3.0 / 14.0));
    assert!(close(outsider_abatement(&l, &pair, 1.0), 1.0 / 7.0));
    // Leading pays the members more than moving with the outsider.
    assert!(payoff(&l, &pair, 1.0, true) > payoff(&s, &pair, 1.0, true));
    // No agreement: Q = a / (1 + γ) = 1/2; everyone in: Q = a N / (N + γ) = 3/4,
    // whoever moves first (Barrett 1994's non-cooperative and full-cooperative Q).
    for spec in [s, l.clone()] {
        assert!(close(
            total_abatement(&spec, &Agreement::symmetric(&spec, 0, 3)),
            0.5
        ));
        assert!(close(
            total_abatement(&spec, &Agreement::symmetric(&spec, 1, 3)),
            0.5
        ));
        assert!(close(
            total_abatement(&spec, &Agreement::symmetric(&spec, 3, 3)),
            0.75
        ));
    }
    // The saturation a scales abatement by a and payoffs by a².
    let big = StabilitySpec {
        saturation: 10.0,
        ..l.clone()
    };
    assert!(close(total_abatement(&big, &pair), 40.0 / 7.0));
    assert!(close(
        payoff(&big, &pair, 1.0, true),
        100.0 * payoff(&l, &pair, 1.0, true)
    ));
}

/// The joint payoff of `k` members abating `q` each, the `n − k` outsiders
/// best-responding (`q_j = b (a − Q) / (N c)`, solved for `Q`).
fn members_given_followers(s: &StabilitySpec, n: usize, k: usize, q: f64) -> f64 {
    let (nf, b, c, a) = (n as f64, s.benefit, s.cost, s.saturation);
    let phi = (n - k) as f64 * b / (nf * c);
    let total = (k as f64 * q + a * phi) / (1.0 + phi);
    k as f64 * (b / nf * (a * total - total * total / 2.0) - c / 2.0 * q * q)
}

#[test]
fn barrett_abatement_solves_each_players_problem() {
    for (n, k, b, c) in [(10, 4, 1.0, 0.3), (50, 20, 2.0, 0.1), (7, 2, 0.5, 5.0)] {
        // Leader: no other abatement of the members does better, given the outsiders'
        // replies.
        let l = barrett(Moves::Leader, b, c);
        let ag = Agreement::symmetric(&l, k, n);
        let q = member_abatement(&l, &ag);
        let best = members_given_followers(&l, n, k, q);
        assert!(
            close(best, k as f64 * payoff(&l, &ag, b, true)),
            "n {n} k {k}"
        );
        for dq in [1e-3, -1e-3, 0.05, -0.05] {
            assert!(members_given_followers(&l, n, k, q + dq * q) < best);
        }
        // Simultaneous: each outsider's and the members' first-order conditions
        // hold at the solution (marginal benefit = marginal cost).
        let s = barrett(Moves::Simultaneous, b, c);
        let ag = Agreement::symmetric(&s, k, n);
        let gap = s.saturation - total_abatement(&s, &ag);
        let nf = n as f64;
        assert!(close(b / nf * gap, c * outsider_abatement(&s, &ag, b)));
        assert!(close(
            k as f64 * b / nf * gap,
            c * member_abatement(&s, &ag)
        ));
    }
}

#[test]
fn moves_matter_only_under_barrett_payoffs() {
    for payoff_shape in [PayoffShape::Quadratic, PayoffShape::Linear] {
        let sim = spec(payoff_shape, 0.4, 1.0);
        let lead = StabilitySpec {
            moves: Moves::Leader,
            ..sim.clone()
        };
        let key = |s: &StabilitySpec| -> Vec<(bool, bool, f64, f64)> {
            stable_sizes(s, 12)
                .iter()
                .map(|r| {
                    (
                        r.internally_stable,
                        r.externally_stable,
                        r.abatement_total,
                        r.member_payoff,
                    )
                })
                .collect()
        };
        assert_eq!(key(&sim), key(&lead));
    }
    let sizes = |m| stable(&barrett(m, 1.0, 0.1), 30);
    assert_ne!(sizes(Moves::Simultaneous), sizes(Moves::Leader));
}

#[test]
fn every_closed_form_matches_the_exhaustive_check() {
    let ratios: Vec<f64> = ratio_grid().into_iter().step_by(2).collect();
    for ties in [Ties::Join, Ties::Stay] {
        for payoff_shape in [PayoffShape::Quadratic, PayoffShape::Linear] {
            for (b, c) in [
                (1.0, 1.0),
                (0.4, 1.0),
                (0.25, 1.0),
                (0.1, 0.3),
                (1.0, 0.5),
                (0.05, 1.0),
            ] {
                let s = StabilitySpec {
                    ties,
                    ..spec(payoff_shape, b, c)
                };
                for n in 1..=30 {
                    assert_eq!(
                        closed_form(&s, n),
                        stable(&s, n),
                        "{payoff_shape:?} {ties:?} b {b} c {c} n {n}"
                    );
                }
            }
        }
        for &g in &ratios {
            let s = StabilitySpec {
                ties,
                ..barrett(Moves::Simultaneous, 1.0, g)
            };
            for n in (1..=40).chain([100, 200]) {
                assert_eq!(closed_form(&s, n), stable(&s, n), "{ties:?} γ {g} n {n}");
            }
        }
    }
    assert!(closed_form(&barrett(Moves::Leader, 1.0, 1.0), 10).is_empty());
}

#[test]
fn under_ties_stay_an_indifferent_outsider_keeps_quadratic_pairs_stable() {
    // At k = 2 an outsider is exactly indifferent about joining (π_out(2) = π_in(3)):
    // "join" makes it join, so only 3 is stable; "stay" keeps 2 as well.
    let join = spec(PayoffShape::Quadratic, 1.0, 1.0);
    let stay = StabilitySpec {
        ties: Ties::Stay,
        ..join.clone()
    };
    assert_eq!(stable(&join, 20), [3]);
    assert_eq!(stable(&stay, 20), [2, 3]);
}

#[test]
fn barrett_1994_signatories_leading_any_size_from_two_to_all() {
    // Barrett (1994, OEP 46, section 3; restated by Rubio & Ulph 2006, OEP 58):
    // with signatories as Stackelberg leaders a self-enforcing agreement "can have
    // any number of signatories between two and the grand coalition", depending on
    // γ = c/b: the larger γ, the smaller the agreement.
    for n in [10, 100] {
        let rows: Vec<RatioRow> = by_ratio(&barrett(Moves::Leader, 1.0, 1.0), n)
            .into_iter()
            .filter(|r| r.moves == Moves::Leader)
            .collect();
        assert!(
            rows.iter().all(|r| r.stable.len() == 1),
            "one stable size at each γ"
        );
        let sizes: Vec<usize> = rows.iter().map(|r| r.stable[0]).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        assert_eq!(*sizes.last().unwrap(), 2, "γ = 1000");
        assert!(sizes[0] >= n * 9 / 10, "γ = 0.001: {}", sizes[0]);
        assert!(sizes.iter().any(|&k| k > 3 && k < n * 9 / 10));
    }
    assert_eq!(stable(&barrett(Moves::Leader, 1.0, 1e-4), 100), [100]);
}

#[test]
fn barrett_1994_large_agreements_only_where_cooperation_gains_little() {
    // Barrett (1994): the self-enforcing agreement is large only when the gain from
    // full cooperation over none is small; where that gain is large, it is tiny.
    let n = 100;
    for &g in &ratio_grid() {
        let s = barrett(Moves::Leader, 1.0, g);
        let checks = stable_sizes(&s, n);
        let k = stable(&s, n)[0];
        let (w0, wc) = (checks[0].total_payoff(n), checks[n - 1].total_payoff(n));
        let gain = (wc - w0) / w0.abs();
        if k >= 10 {
            assert!(gain < 0.01, "γ {g}: k* {k}, gain {gain}");
        }
        if gain > 1.0 {
            assert!(k <= 3, "γ {g}: k* {k}, gain {gain}");
        }
    }
}

#[test]
fn barrett_table_of_the_rules_page_for_100_states() {
    // docs/rules/stability.md, "Results, N = 100", and scenarios/README.md (barrett):
    // (c/b, leading size, gain share, simultaneous size, full gain).
    let rows = by_ratio(&barrett(Moves::Leader, 1.0, 0.01), 100);
    let at = |ratio: f64, moves: Moves| {
        rows.iter()
            .find(|r| r.moves == moves && (r.ratio - ratio).abs() <= 1e-9 * ratio)
            .unwrap_or_else(|| panic!("ratio {ratio} on the grid"))
    };
    for (ratio, lead, share, sim, gain) in [
        (0.001, 92, 0.20, 1, 0.00000098),
        (0.01, 51, 0.020, 1, 0.000096),
        (0.1, 11, 0.022, 1, 0.0082),
        (1.0, 3, 0.016, 1, 0.32),
        (10.0, 3, 0.010, 2, 4.26),
        (100.0, 2, 0.001, 2, 24.5),
    ] {
        let (l, si) = (at(ratio, Moves::Leader), at(ratio, Moves::Simultaneous));
        assert_eq!(
            (l.stable.as_slice(), si.stable.as_slice()),
            (&[lead][..], &[sim][..]),
            "c/b {ratio}"
        );
        let round = |x: f64, to: f64| (x / to).round() * to;
        let digits = if share >= 0.1 { 0.01 } else { 0.001 };
        assert!(
            (round(l.gain_share, digits) - share).abs() < 1e-9,
            "c/b {ratio}: {}",
            l.gain_share
        );
        assert!(
            (l.full_gain - gain).abs() <= 0.02 * gain,
            "c/b {ratio}: {}",
            l.full_gain
        );
    }
    // The sweep's other ratios (not on the 0.1 grid step): 78, 26, 5 and 2.
    for (g, k) in [(0.003, 78), (0.03, 26), (0.3, 5), (3.0, 3), (30.0, 2)] {
        assert_eq!(stable(&barrett(Moves::Leader, 1.0, g), 100), [k], "c/b {g}");
    }
}

#[test]
fn at_the_simultaneous_boundary_stay_keeps_both_one_and_two() {
    // Bisect the ratio at which a member of the pair is exactly indifferent (N = 100).
    let n = 100;
    let (mut lo, mut hi) = (1.0, 5.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if stable(&barrett(Moves::Simultaneous, 1.0, mid), n) == [2] {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let g = 0.5 * (lo + hi);
    assert!((g - 2.93).abs() < 0.01, "boundary {g}");
    let join = barrett(Moves::Simultaneous, 1.0, g);
    let stay = StabilitySpec {
        ties: Ties::Stay,
        ..join.clone()
    };
    assert_eq!(closed_form(&join, n), stable(&join, n));
    assert_eq!(closed_form(&stay, n), [1, 2]);
    assert_eq!(stable(&stay, n), [1, 2]);
}

#[test]
fn moving_together_barrett_agreements_hold_two_at_most() {
    // Simultaneous moves: the pair is stable iff γN + N ≤ (2/3)(w + √(w² + 3w)),
    // w = γN + 1, which tends to γ ≥ 3 as N grows; larger agreements never are.
    let at = |g: f64| stable(&barrett(Moves::Simultaneous, 1.0, g), 1000);
    assert_eq!(at(3.01), [2]);
    assert_eq!(at(2.98), [1]);
    assert_eq!(at(0.01), [1]);
    assert_eq!(at(100.0), [2]);
}

#[test]
fn by_ratio_includes_the_scenarios_own_ratio() {
    let s = barrett(Moves::Leader, 2.0, 0.37);
    let rows = by_ratio(&s, 20);
    assert_eq!(rows.len(), 2 * (ratio_grid().len() + 1));
    let own: Vec<&RatioRow> = rows.iter().filter(|r| r.scenario).collect();
    assert_eq!(own.len(), 2);
    assert!(own.iter().all(|r| close(r.ratio, 0.185)));
    let lead = own.iter().find(|r| r.moves == Moves::Leader).unwrap();
    assert_eq!(lead.stable, stable(&s, 20));
    assert!(
        lead.abatement_none < lead.abatement_stable && lead.abatement_stable < lead.abatement_full
    );
    assert!(lead.gain_share > 0.0 && lead.gain_share < 1.0);
    // A ratio on the grid is not added twice.
    let on_grid = StabilitySpec { cost: 2.0, ..s };
    assert_eq!(by_ratio(&on_grid, 5).len(), 2 * ratio_grid().len());
}

#[test]
fn ties_survive_rounding() {
    assert!(weakly_greater(0.1 + 0.2, 0.3) && weakly_greater(0.3, 0.1 + 0.2));
    assert!(!weakly_greater(1.0, 1.0 + 1e-6));
    assert!(weakly_greater(0.0, 0.0) && !weakly_greater(0.0, 1e-300));
}
