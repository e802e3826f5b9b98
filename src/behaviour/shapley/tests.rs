//! Tests of the `shapley` rule: hand-worked games and the published figures they pin.

use super::*;
use crate::behaviour::RuleState;
use crate::engine::Simulation;
use crate::engine::rng::{RunKey, run_rng};
use crate::metrics::Event;
use crate::narrate::Recorder;
use std::path::Path;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn worth_of_a_hand_worked_alliance() {
    let w = Worth {
        efficiency: 0.1,
        returns: 1.0,
        cost: 0.02,
        negotiation: 0.001,
        overhead: 0.0005,
        ..Worth::default()
    };
    // Alone: 0.8 × 0.1 × 0.5 × 0.25 − 0.02 × 0.5 × 0.25 = 0.01 − 0.0025; no
    // membership costs.
    let a = Aggregate::single(0.8, 0.5, 0.25);
    assert!(close(w.of(&a), 0.0075));
    // With (0.6, 0.4, 0.25): sal 1.4, depth 0.4 (the lower), coverage 0.5:
    // 1.4 × 0.1 × 0.4 × 0.5 − 0.02 × 0.4 × 0.5 − 0.001 × 2 × 1 − 0.0005 × 2
    // = 0.028 − 0.004 − 0.002 − 0.001 = 0.021.
    let u = a.union(&Aggregate::single(0.6, 0.4, 0.25));
    assert_eq!(u.size, 2);
    assert!(close(w.of(&u), 0.021), "{}", w.of(&u));
    // Increasing returns: coverage 0.5 squared.
    let sq = Worth { returns: 2.0, ..w };
    assert!(close(sq.of(&u), 0.014 - 0.004 - 0.003));
}

#[test]
fn mesa_worth_of_hand_worked_alliances() {
    // Mesa 3.3.1, alliance_formation: v({i}) = power, v(S) = 1.2 × Σ power ×
    // (1 − spread of positions); no costs, whatever the issue says.
    let w = Worth {
        kind: WorthKind::Mesa,
        synergy: 1.2,
        cost: 0.5,
        negotiation: 0.1,
        overhead: 0.1,
        ..Worth::default()
    };
    let a = Aggregate::single(0.5, 0.45, 0.3);
    assert!(close(w.of(&a), 0.5), "a single state is worth its power");
    // Powers 0.5 + 0.6, positions 0.45 and 0.55: 1.1 × 1.2 × 0.9 = 1.188, a
    // surplus of 0.088 over 0.5 + 0.6.
    let b = Aggregate::single(0.6, 0.55, 0.3);
    let ab = a.union(&b);
    assert!(close(w.of(&ab), 1.188), "{}", w.of(&ab));
    // Spread 0.2 > 1/6: 1.1 × 1.2 × 0.8 = 1.056 < 1.1, merging loses.
    let c = Aggregate::single(0.6, 0.65, 0.3);
    assert!(close(w.of(&a.union(&c)), 1.056));
    // Three members: the spread is max − min over all (0.65 − 0.45).
    let abc = ab.union(&c);
    assert!(close(w.of(&abc), 1.7 * 1.2 * 0.8), "{}", w.of(&abc));
}

#[test]
fn mesa_pair_values_as_the_example_does() {
    let side = |power, position, level| MesaSide {
        power,
        position,
        level,
    };
    // Both gain: φ_x = 0.25 + (1.188 − 0.6) / 2 = 0.544 > 0.5, φ_y = 0.644 > 0.6.
    let joint = mesa_pair(1.2, side(0.5, 0.45, 0), side(0.6, 0.55, 0)).expect("gains");
    assert!(close(joint.power, 1.188) && close(joint.position, 0.9));
    assert_eq!(joint.level, 1, "two of level 0 make level 1");
    // Spread 0.2: φ_x = 0.25 + (1.056 − 0.6) / 2 = 0.478 < 0.5.
    assert_eq!(mesa_pair(1.2, side(0.5, 0.45, 0), side(0.6, 0.65, 0)), None);
    // Levels: equal ones go up one, else the higher one is kept.
    let up = mesa_pair(1.2, side(1.0, 0.9, 2), side(1.0, 0.95, 2)).expect("gains");
    assert_eq!(up.level, 3);
    let keep = mesa_pair(1.2, side(1.0, 0.9, 1), side(1.0, 0.95, 3)).expect("gains");
    assert_eq!(keep.level, 3);
    // An alliance's position is 1 − spread, so alliances sit near 1 and pair.
    assert!(close(up.position, 0.95));
}

#[test]
fn mesa_best_keeps_the_pairs_mesas_only_best_combination_keeps() {
    // Each case checked against Mesa 3.3.1's own
    // MultiLevelAllianceModel.only_best_combination (pairs of ids, values U).
    let check = |pairs: &[(u32, u32, f64)], pool: usize, expected: &[(u32, u32)]| {
        let candidates: Vec<MesaCandidate> = pairs
            .iter()
            .map(|&(a, b, power)| MesaCandidate {
                a,
                b,
                joint: MesaSide {
                    power,
                    ..MesaSide::default()
                },
            })
            .collect();
        let (mut best, mut order, mut out) = (Vec::new(), Vec::new(), Vec::new());
        mesa_best(&candidates, pool, &mut best, &mut order, &mut out);
        let got: Vec<(u32, u32)> = out
            .iter()
            .map(|&c| (candidates[c as usize].a, candidates[c as usize].b))
            .collect();
        assert_eq!(got, expected, "{pairs:?}");
    };
    // A better pair for 0 replaces (0, 1); 1 then has nothing better than 3.0.
    check(
        &[(0, 1, 2.0), (0, 2, 3.0), (1, 2, 2.5), (2, 3, 1.0)],
        4,
        &[(0, 2)],
    );
    // The quirk: (2, 3) beats (0, 2) for 2, but the entry removed is 2's own
    // (the higher id of (0, 2)), so 0 keeps (0, 2) and 2 is in both pairs.
    check(&[(0, 2, 1.0), (2, 3, 2.0)], 4, &[(0, 2), (2, 3)]);
    // Both sides trade up; a re-added entry moves to the end of the order.
    check(
        &[(0, 1, 1.0), (0, 3, 1.5), (1, 2, 2.0), (2, 3, 3.0)],
        4,
        &[(2, 3), (1, 2)],
    );
    check(
        &[(0, 1, 1.0), (2, 3, 1.0), (1, 2, 2.0)],
        4,
        &[(0, 1), (2, 3), (1, 2)],
    );
    check(&[], 3, &[]);
}

#[test]
fn the_bilateral_split_gives_each_its_worth_and_half_the_surplus() {
    let (a, b) = bilateral_shapley(1.0, 2.0, 5.0);
    assert!(close(a, 2.0) && close(b, 3.0));
    assert!(close(a + b, 5.0), "efficient: the split sums to v(A∪B)");
    // A negative surplus makes both worse off than apart.
    let (a, b) = bilateral_shapley(1.0, 2.0, 2.5);
    assert!(a < 1.0 && b < 2.0 && close(a + b, 2.5));
}

/// A hand-written characteristic function over four actors: worth of the
/// coalition with bit mask `s`.
fn table(s: u32) -> f64 {
    match s {
        0b0001 | 0b0010 | 0b0100 | 0b1000 => 1.0,
        0b0011 => 3.0, // {0,1}: surplus 1
        0b0101 => 2.5, // {0,2}: surplus 0.5
        0b1001 => 2.0, // {0,3}: surplus 0
        0b0110 => 4.0, // {1,2}: surplus 2
        0b1010 => 2.2, // {1,3}: surplus 0.2
        0b1100 => 3.5, // {2,3}: surplus 1.5
        0b0111 => 6.0, // {0,1,2}
        0b1110 => 5.5, // {1,2,3}
        0b1111 => 8.0, // everyone
        _ => 0.0,      // the rest are never asked for
    }
}

/// Plays rounds of [`merge_round`] on `table` until none merges; returns the
/// merges of each round as pairs of bit masks.
fn play(mut nodes: Vec<u32>, v: impl Fn(u32) -> f64, max: u32) -> Vec<Vec<(u32, u32)>> {
    let mut rng = run_rng(1, RunKey::default());
    let (mut cands, mut paired, mut out) = (Vec::new(), Vec::new(), Vec::new());
    let mut rounds = Vec::new();
    loop {
        let values: Vec<f64> = nodes.iter().map(|&s| v(s)).collect();
        let joint = |a: usize, b: usize| {
            let u = nodes[a] | nodes[b];
            (u.count_ones() <= max).then(|| v(u))
        };
        merge_round(
            &values,
            joint,
            0.0,
            0.0,
            &mut rng,
            &mut cands,
            &mut paired,
            &mut out,
        );
        if out.is_empty() {
            return rounds;
        }
        let merged: Vec<(u32, u32)> = out
            .iter()
            .map(|c| (nodes[c.a as usize], nodes[c.b as usize]))
            .collect();
        // Alliances first (as the engine lists them), then the unpaired.
        let mut next: Vec<u32> = merged.iter().map(|&(a, b)| a | b).collect();
        next.extend((0..nodes.len()).filter(|&n| !paired[n]).map(|n| nodes[n]));
        nodes = next;
        rounds.push(merged);
    }
}

#[test]
fn four_actors_merge_by_surplus_into_a_hierarchy() {
    // Round 1 ranks {1,2} (surplus 2) > {2,3} (1.5) > {0,1} (1) > {0,2} (0.5) >
    // {1,3} (0.2); {0,3} (0) is no gain. {1,2} merge; every other positive pair
    // involves 1 or 2, so 0 and 3 wait.
    // Round 2 (nodes {1,2}, 0, 3): {0} ∪ {1,2}: 6 − 4 − 1 = 1; {3} ∪ {1,2}:
    // 5.5 − 4 − 1 = 0.5; {0,3}: 0. So 0 joins {1,2}.
    // Round 3 ({0,1,2}, 3): 8 − 6 − 1 = 1 > 0: everyone.
    let rounds = play(vec![0b0001, 0b0010, 0b0100, 0b1000], table, 4);
    assert_eq!(
        rounds,
        vec![
            vec![(0b0010, 0b0100)],
            vec![(0b0110, 0b0001)],
            vec![(0b0111, 0b1000)],
        ]
    );
    // With max_size 3 the last merge is not allowed.
    let rounds = play(vec![0b0001, 0b0010, 0b0100, 0b1000], table, 3);
    assert_eq!(rounds.len(), 2);
}

#[test]
fn no_merge_when_no_pair_gains() {
    // Subadditive: every union is worth less than its parts.
    let rounds = play(vec![1, 2, 4, 8], |s| f64::from(s.count_ones()).sqrt(), 4);
    assert!(rounds.is_empty());
    // Additive: a surplus of exactly 0 is no reason to merge.
    let rounds = play(vec![1, 2, 4, 8], |s| f64::from(s.count_ones()), 4);
    assert!(rounds.is_empty());
    // min_gain: surplus 1 (v = n²: 4 − 1 − 1 = 2 for a pair) below 2.5 is not enough.
    let mut rng = run_rng(1, RunKey::default());
    let (mut c, mut p, mut out) = (Vec::new(), Vec::new(), Vec::new());
    merge_round(
        &[1.0, 1.0],
        |_, _| Some(4.0),
        2.5,
        0.0,
        &mut rng,
        &mut c,
        &mut p,
        &mut out,
    );
    assert!(out.is_empty());
    merge_round(
        &[1.0, 1.0],
        |_, _| Some(4.0),
        1.5,
        0.0,
        &mut rng,
        &mut c,
        &mut p,
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert!(close(out[0].surplus, 2.0));
}

#[test]
fn a_superadditive_symmetric_game_ends_in_one_alliance_after_log2_rounds() {
    // v(S) = |S|²: the surplus of merging sizes a and b is 2ab, largest for the
    // two largest alliances, so pairs merge in parallel like a tournament:
    // N − 1 merges in ⌈log2 N⌉ rounds (the depth of the tree).
    for n in 2..=16u32 {
        let nodes: Vec<u32> = (0..n).map(|i| 1 << i).collect();
        let rounds = play(nodes, |s| f64::from(s.count_ones()).powi(2), 32);
        let merges: usize = rounds.iter().map(Vec::len).sum();
        assert_eq!(merges, n as usize - 1, "N = {n}");
        assert_eq!(
            rounds.len() as u32,
            n.next_power_of_two().trailing_zeros(),
            "N = {n}"
        );
        let last = rounds.last().unwrap()[0];
        assert_eq!(
            (last.0 | last.1).count_ones(),
            n,
            "everyone in one alliance"
        );
    }
}

#[test]
fn with_noise_the_first_pair_is_a_logit_choice() {
    // Two pairs share alliance 1: {0,1} (surplus 0.2) and {1,2} (surplus 0.1);
    // {0,2} gains nothing. With temperature 0.1 the first is chosen with
    // probability 1 / (1 + e^{−1}) = 0.731.
    let mut rng = run_rng(7, RunKey::default());
    let (mut c, mut p, mut out) = (Vec::new(), Vec::new(), Vec::new());
    let joint = |a: usize, b: usize| {
        Some(match (a, b) {
            (0, 1) => 2.2,
            (1, 2) => 2.1,
            _ => 1.5,
        })
    };
    let n = 20_000;
    let mut first = 0;
    for _ in 0..n {
        merge_round(
            &[1.0; 3], joint, 0.0, 0.1, &mut rng, &mut c, &mut p, &mut out,
        );
        assert_eq!(
            out.len(),
            1,
            "only positive surpluses, one pair per alliance"
        );
        first += usize::from(out[0].a == 0);
    }
    let share = first as f64 / n as f64;
    let expected = 1.0 / (1.0 + (-1.0f64).exp());
    assert!((share - expected).abs() < 0.015, "{share} vs {expected}");
}

/// Four states with shares 0.4, 0.3, 0.2, 0.1, all at salience 0.8 and position
/// 0.5; efficiency 0.1, no compliance cost, no overhead, no hazard.
fn scenario(extra: &str) -> Scenario {
    let mut text = String::from(
        "[scenario]\nname = \"t\"\nticks = 6\n[world]\ncapabilities = [\"gdp\"]\n[defaults]\nsalience = 0.8\nposition = 0.5\nbandwidth = 1\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\nefficiency = 0.1\ncost = 0.0\n[coalitions]\nhazard_issue = 0.0\nhazard_bloc = 0.0\n[behaviour]\nrule = \"shapley\"\n",
    );
    text.push_str(extra);
    for (name, gdp) in [("A", 4.0), ("B", 3.0), ("C", 2.0), ("D", 1.0)] {
        text.push_str(&format!(
            "[[states]]\nname = \"{name}\"\ncapabilities = {{ gdp = {gdp} }}\n"
        ));
    }
    Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
        .expect("valid")
        .scenario
}

fn shapley(sim: &Simulation<'_>) -> RunState {
    match sim.rule() {
        RuleState::Shapley(s) => s.clone(),
        other => panic!("not shapley: {other:?}"),
    }
}

#[test]
fn states_merge_into_a_hand_worked_hierarchy_in_the_engine() {
    // With sal 0.8, depth 0.5 and efficiency 0.1 a single state is worth
    // 0.04 × share and an alliance 0.05 × Σsal × cov − 0.01 × n (n − 1).
    // Tick 0 (singletons): the surplus of i and j is 0.04 (s_i + s_j) − 0.02:
    // A+B 0.008 > 0; C+D −0.008. So A and B merge (v 0.016, 0.012, 0.036).
    // Tick 1: {A,B} + C: 0.05 × 2.4 × 0.9 − 0.06 − 0.036 − 0.008 = 0.004 > 0;
    // {A,B} + D: 0.096 − 0.06 − 0.036 − 0.004 = −0.004; C + D −0.008. So C joins.
    // Tick 2: {A,B,C} + D: 0.16 − 0.12 − 0.048 − 0.004 = −0.012: settled.
    let s = scenario("[behaviour.shapley]\nnegotiation_cost = 0.01\noverhead = 0.0\n");
    let mut sim = Simulation::new(&s, RunKey::default());
    let mut rec = Recorder::default();
    while !sim.done() {
        sim.step(&mut rec);
        sim.world().check_invariants(&s).expect("invariants");
    }
    let st = shapley(&sim);
    assert_eq!(st.merges.len(), 2, "{:?}", st.merges);
    let m0 = st.merges[0];
    assert_eq!(
        (m0.tick, m0.left, m0.right),
        (
            0,
            MergePart::State(StateId(0)),
            MergePart::State(StateId(1))
        )
    );
    assert_eq!((m0.alliance, m0.size, m0.height), (0, 2, 1));
    assert!(close(m0.v_left, 0.016) && close(m0.v_right, 0.012) && close(m0.v_joint, 0.036));
    assert!(close(m0.surplus(), 0.008));
    let m1 = st.merges[1];
    assert_eq!(
        (m1.tick, m1.left, m1.right),
        (
            1,
            MergePart::Alliance {
                serial: 0,
                founder: StateId(0),
                size: 2
            },
            MergePart::State(StateId(2))
        )
    );
    assert_eq!((m1.alliance, m1.size, m1.height), (1, 3, 2));
    assert!(close(m1.surplus(), 0.004), "{}", m1.surplus());
    // The run's columns: one alliance and D alone, depth 2, largest 3, worth
    // 0.048 + 0.004, surplus 0.012, settled from tick 2.
    // (Read from the run's summary: the engine has ended every coalition by then.)
    let values = sim.finish(&mut rec).rule;
    let expected = [1.0, 1.0, 2.0, 2.0, 3.0, 0.052, 0.012, 2.0];
    assert_eq!(values.len(), expected.len());
    for (c, (v, e)) in run_columns(&s).iter().zip(values.iter().zip(expected)) {
        assert!(close(*v, e), "{c}: {v} vs {e}");
    }
    // The child ends (merged) in the tick its parent is founded with its members.
    let ended: Vec<_> = rec
        .events
        .iter()
        .filter_map(|e| match e.event() {
            Event::CoalitionEnded {
                coalition, reason, ..
            } => Some((e.tick, coalition.serial, reason)),
            _ => None,
        })
        .collect();
    assert_eq!(
        ended,
        [(1, 0, EndReason::Merged), (6, 1, EndReason::RunEnded)]
    );
    let founded: Vec<_> = rec
        .events
        .iter()
        .filter_map(|e| match e.event() {
            // A merger takes the place of the founding it follows.
            Event::CoalitionFounded { coalition }
            | Event::AlliancesMerged {
                alliance: coalition,
                ..
            } => Some((e.tick, coalition.serial, coalition.members.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        founded,
        [
            (0, 0, vec![StateId(0), StateId(1)]),
            (1, 1, vec![StateId(0), StateId(1), StateId(2)]),
        ],
        "the founder is the largest holder"
    );
    // Told as mergers, and the merged coalition's end is not told again.
    let mut names = crate::narrate::Names::default();
    let told: Vec<_> = rec
        .events
        .iter()
        .filter_map(|e| names.tell(&s, e.tick, &e.event()).0)
        .collect();
    assert_eq!(
        told,
        [
            "A and B ally: a climate coalition led by A (issue-based, great-power-led)",
            "the climate coalition of A (2 members) and C merge into a second climate \
             coalition of 3 led by A (issue-based, great-power-led): A, B and C",
        ]
    );
}

#[test]
fn states_without_bandwidth_or_interest_stay_single() {
    // Without membership costs every pair gains. E (the largest holder) has no
    // bandwidth and F cares too little (salience 0.1 < min_salience 0.3): both
    // stay single while A, B, C and D end in one alliance.
    let s = scenario(
        "[behaviour.shapley]\nnegotiation_cost = 0.0\noverhead = 0.0\n[[states]]\nname = \"E\"\ncapabilities = { gdp = 9.0 }\nbandwidth = 0\n[[states]]\nname = \"F\"\ncapabilities = { gdp = 5.0 }\ninterests = { climate = { salience = 0.1 } }\n",
    );
    let mut sim = Simulation::new(&s, RunKey::default());
    let mut rec = crate::metrics::Discard;
    while !sim.done() {
        sim.step(&mut rec);
        sim.world().check_invariants(&s).expect("invariants");
    }
    let w = sim.world();
    assert!(w.states.memberships[0].is_empty() && w.states.memberships[1].is_empty());
    assert_eq!(w.active.len(), 1);
    let mut members = w.coalition(w.active[0]).members.clone();
    members.sort();
    assert_eq!(members, [StateId(2), StateId(3), StateId(4), StateId(5)]);
    // Four states in parallel pairs: 3 merges, depth 2.
    let st = shapley(&sim);
    assert_eq!(st.merges.len(), 3);
    assert_eq!(st.merges.iter().map(|m| m.height).max(), Some(2));
}

#[test]
fn invariants_hold_when_upkeep_breaks_alliances_up_and_they_re_form() {
    // Twelve states with drawn positions and saliences, a high hazard, noise and
    // bandwidth 2 (so alliances on another issue could not interfere: there is
    // none), over 60 ticks and several runs.
    let mut text = String::from(
        "[scenario]\nname = \"t\"\nticks = 60\n[world]\ncapabilities = [\"gdp\"]\n[defaults]\nsalience = { dist = \"uniform\", min = 0.2, max = 0.9 }\nposition = { dist = \"uniform\", min = 0.2, max = 0.8 }\nbandwidth = 2\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\nefficiency = 0.1\n[coalitions]\nmax_size = 6\nhazard_issue = 0.2\nhazard_bloc = 0.2\n[behaviour]\nrule = \"shapley\"\n[behaviour.shapley]\nnegotiation_cost = 0.0002\ntemperature = 0.002\n",
    );
    for i in 0..12 {
        text.push_str(&format!(
            "[[states]]\nname = \"S{i}\"\ncapabilities = {{ gdp = {} }}\n",
            1 + i * i
        ));
    }
    let s = Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
        .expect("valid")
        .scenario;
    let mut broken = 0;
    for replicate in 0..4 {
        let key = RunKey {
            replicate,
            ..RunKey::default()
        };
        let mut sim = Simulation::new(&s, key);
        let mut rec = Recorder::default();
        while !sim.done() {
            sim.step(&mut rec);
            sim.world().check_invariants(&s).expect("invariants");
            for &c in &sim.world().active {
                assert!(sim.world().coalition(c).members.len() <= 6, "max_size");
            }
        }
        let st = shapley(&sim);
        assert!(st.merges.iter().all(|m| m.size <= 6 && m.surplus() > 0.0));
        broken += rec
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e.event(),
                    Event::CoalitionEnded {
                        reason: EndReason::Hazard,
                        ..
                    }
                )
            })
            .count();
        // Every merge founded one coalition and ended its alliance sides.
        let founded = rec
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e.event(),
                    Event::CoalitionFounded { .. } | Event::AlliancesMerged { .. }
                )
            })
            .count();
        assert_eq!(founded, st.merges.len());
    }
    assert!(broken > 0, "the hazard broke no alliance up");
}
