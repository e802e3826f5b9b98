//! CORE: the engine. [`run`] plays one run of a scenario (all ticks, in MODEL.md's
//! order; see [`tick`]) from its own random stream and returns its [`RunSummary`];
//! per-tick metrics and ended coalitions go to an [`Observer`].
//!
//! **Invariant:** `run` cannot fail and does no I/O: deadlock, zero progress and
//! dissolution are outcomes, not errors. The same `(scenario, key)` always gives the
//! same summary and the same observer calls.

pub mod institutions;
pub mod rng;
pub mod tick;

use crate::act::goods::in_club;
use crate::act::scratch::Scratch;
use crate::act::{accept_params, membership};
use crate::behaviour::{self, RuleState};
use crate::metrics::stats::gini;
use crate::metrics::{Observer, RunSummary, Tally, TickMetrics, ratio_or_nan};
use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::venue::EndReason;
pub use rng::{RunKey, run_rng};

/// Whether tick `t` is recorded: every `every`-th tick and always the last.
pub fn records_tick(t: u32, every: u32, ticks: u32) -> bool {
    (t + 1).is_multiple_of(every) || t + 1 == ticks
}

/// One run in progress: the world and everything the tick phases need. Use [`run`]
/// for a whole run; step by step it serves tests (invariants after every tick) and
/// interactive front ends.
pub struct Simulation<'a> {
    scenario: &'a Scenario,
    world: World,
    rule: RuleState,
    rng: rand::rngs::ChaCha8Rng,
    scratch: Scratch,
    tally: Tally,
    metrics: TickMetrics,
}

impl<'a> Simulation<'a> {
    /// Builds run `key` of `scenario`: draws its world from the run's own stream.
    pub fn new(scenario: &'a Scenario, key: RunKey) -> Self {
        let mut rng = run_rng(scenario.seed, key);
        let world = World::new(scenario, &mut rng);
        Simulation {
            scenario,
            world,
            rule: RuleState::new(scenario),
            rng,
            scratch: Scratch::new(scenario),
            tally: Tally {
                compared: (scenario.output.compare.iter())
                    .map(|c| (c.mask, c.size))
                    .collect(),
                compare_issue: scenario.output.compare_issue,
                matches: vec![f64::NAN; scenario.output.compare.len()],
                ..Tally::new(scenario.issues.len(), scenario.bodies.len())
            },
            metrics: TickMetrics {
                progress: Vec::with_capacity(scenario.issues.len()),
                produced_bodies: Vec::with_capacity(scenario.issues.len()),
                produced_coalitions: Vec::with_capacity(scenario.issues.len()),
                ..TickMetrics::default()
            },
        }
    }

    /// The world as it stands between ticks.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// What the behaviour rule carries between ticks, as it stands between ticks.
    pub fn rule(&self) -> &RuleState {
        &self.rule
    }

    /// Whether every tick has been played.
    pub fn done(&self) -> bool {
        self.world.tick >= self.scenario.ticks
    }

    /// Plays one tick (MODEL.md's nine phases). Does nothing once [`Simulation::done`].
    pub fn step<O: Observer>(&mut self, observer: &mut O) {
        if self.done() {
            return;
        }
        let record = records_tick(
            self.world.tick,
            self.scenario.output.every,
            self.scenario.ticks,
        );
        let mut ctx = crate::act::Ctx {
            scenario: self.scenario,
            world: &mut self.world,
            rng: &mut self.rng,
            scratch: &mut self.scratch,
            tally: &mut self.tally,
            observer,
            accept: accept_params(self.scenario),
        };
        tick::step(&mut ctx, &mut self.rule, record, &mut self.metrics);
    }

    /// Plays the remaining ticks, reports coalitions still active (censored at the
    /// run's end) and returns the run's summary.
    pub fn finish<O: Observer>(mut self, observer: &mut O) -> RunSummary {
        while !self.done() {
            self.step(observer);
        }
        let end = self.scenario.ticks;
        for k in 0..self.scenario.issues.len() {
            let k = IssueId::from_index(k);
            let states = &self.world.states;
            let inside = (0..states.len())
                .filter(|&i| {
                    !states.non_state[i] && in_club(&self.world, StateId::from_index(i), k)
                })
                .count();
            self.tally.participation[k.index()] =
                ratio_or_nan(inside as f64, states.n_with_voice as f64);
        }
        // In founding order; `dissolve` removes each from `world.active`.
        while let Some(&c) = self.world.active.first() {
            membership::dissolve(
                &mut self.world,
                &mut self.tally,
                observer,
                c,
                end,
                EndReason::RunEnded,
            );
        }
        summarise(
            self.scenario,
            &self.world,
            &self.rule,
            &self.tally,
            &mut self.scratch,
        )
    }
}

/// Plays run `key` of `scenario` again (same stream, same result) to its last tick and
/// returns what the behaviour rule carries at the end, before the coalitions still
/// active are closed (e.g. each state's learned propensities, `learning.csv`).
pub fn replay_rule(scenario: &Scenario, key: RunKey) -> RuleState {
    let mut sim = Simulation::new(scenario, key);
    let mut discard = crate::metrics::Discard;
    while !sim.done() {
        sim.step(&mut discard);
    }
    sim.rule
}

/// Plays run `key` of `scenario` and returns its summary.
pub fn run<O: Observer>(scenario: &Scenario, key: RunKey, observer: &mut O) -> RunSummary {
    Simulation::new(scenario, key).finish(observer)
}

/// `num / den` capped at 1 (sums of shares can exceed 1 by rounding), or NaN when
/// `den` is 0. NOTE: `f64::min` would turn NaN into 1, hence the explicit branch.
fn share_or_nan(num: f64, den: f64) -> f64 {
    let r = ratio_or_nan(num, den);
    if r.is_nan() { r } else { r.min(1.0) }
}

/// The run's outcome metrics from its final world and running totals.
fn summarise(
    scenario: &Scenario,
    world: &World,
    rule: &RuleState,
    tally: &Tally,
    scratch: &mut Scratch,
) -> RunSummary {
    let n = world.states.len().max(1) as f64;
    let welfare_total: f64 = world.states.welfare.iter().sum();
    scratch.welfare.clear();
    let low = world
        .states
        .welfare
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    scratch
        .welfare
        .extend(world.states.welfare.iter().map(|w| w - low));
    let (attempted, adopted) = world
        .bodies
        .iter()
        .fold((0u32, 0u32), |(t, a), b| (t + b.attempted, a + b.adopted));
    let body_adoptions: u32 = world.bodies.iter().map(|b| b.adopted + b.endorsed).sum();
    let endorsed: u32 = world.bodies.iter().map(|b| b.endorsed).sum();
    let (take_ups, take_ups_failed) = world.bodies.iter().fold((0u32, 0u32), |(v, f), b| {
        (v + b.take_up_votes, f + b.take_ups_failed)
    });
    let ticks = scenario.ticks.max(1) as f64;
    RunSummary {
        progress: world.issues.iter().map(|i| i.progress).collect(),
        time_to_solve: world
            .issues
            .iter()
            .map(|i| i.solved_at.map_or(f64::NAN, |t| t as f64))
            .collect(),
        welfare_total,
        welfare_mean: welfare_total / n,
        welfare_gini: gini(&mut scratch.welfare),
        minilateral_share: if tally.produced > 0.0 {
            (tally.produced_coalitions / tally.produced).min(1.0)
        } else {
            0.0
        },
        deadlock: world
            .bodies
            .iter()
            .map(|b| ratio_or_nan((b.attempted - b.adopted) as f64, b.attempted as f64))
            .collect(),
        deadlock_rate: ratio_or_nan((attempted - adopted) as f64, attempted as f64),
        fragmentation: crate::metrics::stats::fragmentation(tally.produced, tally.produced_sq),
        duplication: tally.duplication_sum / ticks,
        legitimacy_states: share_or_nan(tally.voice_states, tally.produced),
        legitimacy_population: share_or_nan(tally.voice_population, tally.produced),
        free_riding_rate: ratio_or_nan(tally.free_rides as f64, tally.compliance_decisions as f64),
        coalitions_formed: tally.founded as f64,
        coalitions_mean: tally.coalitions_sum / ticks,
        coalition_size_mean: tally.size_sum / ticks,
        founding_size_mean: ratio_or_nan(tally.founding_members as f64, tally.founded as f64),
        productive_size: ratio_or_nan(tally.productive_size_weighted, tally.productive_progress),
        microlateral_share: ratio_or_nan(tally.founded_microlateral as f64, tally.founded as f64),
        lifetime_bloc: tally.mean_lifetime(0),
        lifetime_issue: tally.mean_lifetime(1),
        lifetime_informal: tally.mean_lifetime(2),
        lifetime_institutional: tally.mean_lifetime(3),
        lifetime_microlateral: tally.mean_lifetime(4),
        lifetime_great_power: tally.mean_lifetime(5),
        endorsement_rate: ratio_or_nan(
            tally.coalition_measures_endorsed as f64,
            tally.coalition_measures as f64,
        ),
        building_block_share: ratio_or_nan(endorsed as f64, body_adoptions as f64),
        take_up_failure: ratio_or_nan(take_ups_failed as f64, take_ups as f64),
        body_exits: tally.body_exits as f64,
        empty_chairs: tally.empty_chairs as f64,
        follow_rate: ratio_or_nan(tally.follows as f64, tally.follow_chances as f64),
        body_returns: tally.body_returns as f64,
        crises: world.issues.iter().map(|i| i.crises as f64).sum(),
        participation: tally.participation.clone(),
        two_tier: tally.two_tier_sum.iter().map(|s| s / ticks).collect(),
        adoption_microlateral: ratio_or_nan(
            tally.decisions_by_leader[0].1 as f64,
            tally.decisions_by_leader[0].0 as f64,
        ),
        adoption_great_power: ratio_or_nan(
            tally.decisions_by_leader[1].1 as f64,
            tally.decisions_by_leader[1].0 as f64,
        ),
        progress_led_by_powers: ratio_or_nan(
            tally.produced_led_by_powers,
            tally.produced_coalitions,
        ),
        founded_type: tally
            .founded_by_type
            .map(|n| ratio_or_nan(n as f64, tally.founded as f64)),
        progress_type: tally
            .produced_by_type
            .map(|p| share_or_nan(p, tally.produced_coalitions)),
        delivered_informal: share_or_nan(tally.produced_informal, tally.produced),
        rule: {
            let mut out = Vec::new();
            behaviour::run_values(scenario, world, rule, &mut out);
            out
        },
        matches: tally.matches.clone(),
    }
}
