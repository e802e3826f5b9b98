//! Property tests: random valid scenarios, under every behaviour rule, never panic,
//! never put a state over its bandwidth, keep memberships consistent and progress
//! within bounds; acceptance
//! probabilities stay in [0, 1]; rules are monotone in agreement.

use minilat::engine::{RunKey, Simulation};
use minilat::metrics::Discard;
use minilat::model::ids::StateId;
use minilat::rules::acceptance::{AcceptanceParams, Stance, accept_probability};
use minilat::rules::{self, Voter};
use minilat::scenario::synthetic::Synthetic;
use minilat::scenario::{BehaviourRule, Rule};
use proptest::prelude::*;

fn synthetic() -> impl Strategy<Value = Synthetic> {
    (
        2usize..40,
        1u32..40,
        2u32..12,
        0u32..5,
        prop_oneof![Just(0.0), Just(0.01), Just(0.2)],
        0.0f64..=1.0,
        0.0f64..=1.0,
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(
            |(
                states,
                ticks,
                max_size,
                bandwidth,
                temperature,
                review_rate,
                excludability,
                bodies,
                seed,
            )| Synthetic {
                states,
                ticks,
                runs: 1,
                seed,
                max_size,
                bandwidth: bandwidth as f64,
                temperature,
                review_rate,
                excludability,
                bodies,
            },
        )
}

// NOTE: case counts (issue 16): at 96 and 256 cases the file took 0.01 s; each random
// scenario runs in tens of microseconds, so 20,000 scenarios (about 4,000 per behaviour
// rule) and 50,000 cases of the pure rule properties still take about a second or two.
proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_keep_every_invariant_after_every_tick(synth in synthetic(), replicate in 0u32..4, rule in 0usize..6) {
        let mut scenario = synth.build();
        scenario.behaviour.rule = [
            BehaviourRule::Utility,
            BehaviourRule::Landscape,
            BehaviourRule::Stability,
            BehaviourRule::Adaptive,
            BehaviourRule::Shapley,
            BehaviourRule::Club,
        ][rule];
        if scenario.behaviour.rule == BehaviourRule::Club {
            // Validation requires one club to hold every region, and at most 24 regions.
            let n = scenario.states.len() as u32;
            scenario.coalitions.max_size = scenario.coalitions.max_size.max(n);
            if n > 24 {
                scenario.behaviour.rule = BehaviourRule::Utility;
            }
        }
        if scenario.behaviour.rule == BehaviourRule::Landscape {
            // Validation requires room for a whole side in one coalition.
            let n = scenario.states.len() as u32;
            scenario.coalitions.max_size = scenario.coalitions.max_size.max(n);
        }
        let mut sim = Simulation::new(&scenario, RunKey { point: 0, replicate });
        while !sim.done() {
            sim.step(&mut Discard);
            if let Err(e) = sim.world().check_invariants(&scenario) {
                return Err(TestCaseError::fail(e));
            }
        }
        let summary = sim.finish(&mut Discard);
        let unit = |x: f64| x.is_nan() || (0.0..=1.0).contains(&x);
        prop_assert!(summary.progress.iter().all(|&p| (0.0..=1.0).contains(&p)));
        for (name, x) in [
            ("deadlock_rate", summary.deadlock_rate),
            ("minilateral_share", summary.minilateral_share),
            ("fragmentation", summary.fragmentation),
            ("free_riding_rate", summary.free_riding_rate),
            ("legitimacy_states", summary.legitimacy_states),
            ("legitimacy_population", summary.legitimacy_population),
            ("welfare_gini", summary.welfare_gini),
            ("endorsement_rate", summary.endorsement_rate),
            ("building_block_share", summary.building_block_share),
            ("take_up_failure", summary.take_up_failure),
        ] {
            prop_assert!(unit(x), "{} = {} outside [0, 1]", name, x);
        }
        prop_assert!(summary.welfare_total.is_finite());
    }
}

fn params() -> impl Strategy<Value = AcceptanceParams> {
    (0.001f64..=10.0, 0.0f64..=1.0, 0.0f64..=1.0).prop_map(
        |(temperature, challenger_reluctance, rivalry)| AcceptanceParams {
            temperature,
            challenger_reluctance,
            rivalry,
        },
    )
}

fn voters(positions: &[f64]) -> Vec<Voter> {
    positions
        .iter()
        .enumerate()
        .map(|(i, &position)| Voter {
            state: StateId(i as u32),
            position,
            salience: 1.0,
            weight: 1.0,
            ..Voter::default()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 50_000, ..ProptestConfig::default() })]

    #[test]
    fn acceptance_probabilities_lie_in_the_unit_interval(p in params(), proposal in 0.0f64..=1.0, status_quo in 0.0f64..1.0, position in 0.0f64..=1.0, challenger: bool, rival_led: bool) {
        let a = accept_probability(proposal, status_quo, Stance { position, challenger, rival_led }, &p);
        prop_assert!((0.0..=1.0).contains(&a));
    }

    /// Status-quo voting: a member at least as ambitious as a proposal that moves
    /// beyond the status quo gains from it, so (before the challenger and rivalry
    /// factors) it accepts more often than not; a member at or below the status quo
    /// accepts such a proposal less often than not.
    #[test]
    fn the_ambitious_accept_steps_forward_and_laggards_reject_them(p in params(), step in 0.0f64..=1.0, status_quo in 0.0f64..1.0, position in 0.0f64..=1.0) {
        let proposal = status_quo + step * (1.0 - status_quo);
        prop_assume!(proposal > status_quo);
        let a = accept_probability(proposal, status_quo, Stance { position, ..Stance::default() }, &p);
        if position >= proposal {
            prop_assert!(a >= 0.5, "position {} proposal {} sq {}: {}", position, proposal, status_quo, a);
        }
        if position <= status_quo {
            prop_assert!(a <= 0.5, "position {} proposal {} sq {}: {}", position, proposal, status_quo, a);
        }
    }

    #[test]
    fn qmv_never_proposes_less_than_unanimity(positions in prop::collection::vec(0.0f64..=1.0, 1..30), q in 0.01f64..=1.0, status_quo in 0.0f64..0.5) {
        let lowest = rules::propose(&Rule::Unanimity, &mut voters(&positions), status_quo);
        let qmv = rules::propose(&Rule::Qmv { count: Some(q), weight: None, weight_by: minilat::scenario::Weight::Population, min_members: None, blocking_minority: None }, &mut voters(&positions), status_quo);
        if let (Some(lowest), Some(qmv)) = (lowest, qmv) {
            prop_assert!(qmv >= lowest);
            prop_assert!(positions.contains(&qmv));
        }
        if let Some(d) = qmv {
            prop_assert!(d > status_quo);
        }
    }

    #[test]
    fn one_more_acceptance_never_turns_adoption_into_rejection(
        positions in prop::collection::vec(0.0f64..=1.0, 1..20),
        accepts in prop::collection::vec(any::<bool>(), 20),
        flip in 0usize..20,
        rule_pick in 0usize..5,
    ) {
        let rule = match rule_pick {
            0 => Rule::Unanimity,
            1 => Rule::Consensus { abstain_below: 0.5 },
            2 => Rule::Veto { majority: 0.5, holders: vec![StateId(0)], affirmative: None, abstain_below: None },
            3 => Rule::Qmv { count: Some(0.55), weight: Some(0.65), weight_by: minilat::scenario::Weight::Population, min_members: None, blocking_minority: None },
            _ => Rule::Qmv { count: Some(0.55), weight: Some(0.65), weight_by: minilat::scenario::Weight::Population, min_members: Some(5), blocking_minority: Some(4) },
        };
        let mut v = voters(&positions);
        if let Rule::Veto { .. } = rule { v[0].veto_holder = true; }
        rules::propose(&rule, &mut v, 0.0);
        for (x, &a) in v.iter_mut().zip(&accepts) { x.accepts = a; }
        let before = rules::adopted(&rule, &v);
        let i = flip % v.len();
        v[i].accepts = true;
        prop_assert!(!before || rules::adopted(&rule, &v));
    }

    /// A blocking minority only ever helps a measure pass (the qualified majority is
    /// deemed attained when too few refuse), and never moves the proposal down.
    #[test]
    fn a_blocking_minority_never_blocks_what_the_majority_carries(
        positions in prop::collection::vec(0.0f64..=1.0, 1..30),
        weights in prop::collection::vec(0.0f64..=10.0, 30),
        accepts in prop::collection::vec(any::<bool>(), 30),
        b in 1u32..8,
        m in 1u32..20,
    ) {
        let rule = |blocking: Option<u32>| Rule::Qmv { count: Some(0.55), weight: Some(0.65), weight_by: minilat::scenario::Weight::Population, min_members: Some(m), blocking_minority: blocking };
        let mut v = voters(&positions);
        for ((x, &w), &a) in v.iter_mut().zip(&weights).zip(&accepts) { x.weight = w; x.accepts = a; }
        prop_assert!(!rules::adopted(&rule(None), &v) || rules::adopted(&rule(Some(b)), &v));
        let without = rules::propose(&rule(None), &mut v.clone(), 0.0);
        let with = rules::propose(&rule(Some(b)), &mut v.clone(), 0.0);
        if let Some(w) = without {
            prop_assert!(with.is_some_and(|d| d >= w));
        }
    }
}
