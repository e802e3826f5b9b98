//! CORE: behaviour rules (MODEL.md "Behaviour rules"): how states review their
//! memberships in phase 6 of a tick. Selected per scenario with `[behaviour] rule`:
//!
//! - [`utility`]: myopic expected-utility best response with logit noise (default);
//! - [`landscape`]: landscape theory of aggregation (two sides, frustration, energy);
//! - [`stability`]: cartel stability of one coalition per issue (IEA literature);
//! - [`adaptive`]: Roth–Erev reinforcement over venue choices;
//! - [`shapley`]: bilateral Shapley value merging of alliances (Ketchpel);
//! - [`club`]: Nordhaus's climate club (target price, penalty tariff, stable coalitions).
//!
//! Every rule acts on the world through the same coalitions and the same functions,
//! [`crate::act::membership`]'s found, join, leave and dissolve, each of which reports
//! its event, so bodies, progress, payoffs and metrics work alike for all of them.
//! What a rule carries between ticks lives in [`RuleState`] (held by the engine's
//! `Simulation` beside the world and handed to each entry point); its own per-run
//! outcomes are extra columns of `runs.csv` ([`run_values`]) and per-tick ones of
//! `ticks.csv` ([`tick_values`]), named by `Scenario::rule_run_columns` and `rule_tick_columns`.
//!
//! **Invariant:** the `utility` rule draws exactly what it drew before the other
//! rules existed: [`start`] and [`learn`] draw nothing for it.

pub mod adaptive;
pub mod club;
pub mod landscape;
pub mod shapley;
pub mod stability;
pub mod utility;

use rand::RngExt;

use crate::act::Ctx;
use crate::act::membership::{self, Founding};
use crate::metrics::Observer;
use crate::model::World;
use crate::model::ids::{CoalitionId, IssueId, StateId};
use crate::model::scenario::{BehaviourRule, Scenario};
use crate::model::venue::CoalitionKind;

/// What the scenario's behaviour rule carries between ticks of a run.
#[derive(Clone, Debug)]
pub enum RuleState {
    /// `utility` learns nothing beyond trust and coalitions' delivery.
    Utility,
    /// Each state's side and the run's path to a settled configuration.
    Landscape(landscape::RunState),
    /// The run's stability record.
    Stability(stability::RunState),
    /// Each state's propensities over venue choices.
    Adaptive(adaptive::RunState),
    /// The alliances and the hierarchy of merges.
    Shapley(shapley::RunState),
    /// The climate club game and the search's coalition.
    Club(club::RunState),
}

impl RuleState {
    /// The rule's state at the start of a run (sized once; no allocation per tick).
    pub fn new(scenario: &Scenario) -> RuleState {
        match scenario.behaviour.rule {
            BehaviourRule::Utility => RuleState::Utility,
            BehaviourRule::Landscape => RuleState::Landscape(landscape::RunState::new(scenario)),
            BehaviourRule::Stability => RuleState::Stability(stability::RunState::new(scenario)),
            BehaviourRule::Adaptive => RuleState::Adaptive(adaptive::RunState::new(scenario)),
            BehaviourRule::Shapley => RuleState::Shapley(shapley::RunState::new(scenario)),
            BehaviourRule::Club => RuleState::Club(club::RunState::new(scenario)),
        }
    }
}

/// Before the first tick: the rule's starting configuration (e.g. landscape's random
/// sides), drawn from the run's stream. Draws nothing for `utility`.
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>, rule: &mut RuleState) {
    match rule {
        RuleState::Utility => {}
        RuleState::Landscape(s) => landscape::start(ctx, s),
        RuleState::Stability(s) => stability::start(ctx, s),
        RuleState::Adaptive(s) => adaptive::start(ctx, s),
        RuleState::Shapley(_) => shapley::start(ctx),
        RuleState::Club(s) => club::start(ctx, s),
    }
}

/// Phase 6: states review their memberships under the scenario's rule.
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>, rule: &mut RuleState) {
    match rule {
        RuleState::Utility => each_reviewer(ctx, utility::review),
        RuleState::Landscape(s) => landscape::choices(ctx, s),
        RuleState::Stability(s) => stability::choices(ctx, s),
        RuleState::Adaptive(s) => adaptive::choices(ctx, s),
        RuleState::Shapley(s) => shapley::choices(ctx, s),
        RuleState::Club(s) => club::choices(ctx, s),
    }
}

/// Shuffles the review order (drawn from the run's stream each tick, so no state
/// always moves first), then lets each state review with probability `review_rate`,
/// one at a time.
pub fn each_reviewer<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    mut review: impl FnMut(&mut Ctx<'_, O>, StateId),
) {
    let n = ctx.scratch.order.len();
    for i in (1..n).rev() {
        let j = ctx.rng.random_range(0..=i as u32) as usize;
        ctx.scratch.order.swap(i, j);
    }
    for o in 0..n {
        let state = ctx.scratch.order[o];
        if ctx.rng.random::<f64>() < ctx.scenario.behaviour.review_rate {
            review(ctx, state);
        }
    }
}

/// Phase 8: what the rule learns from this tick (after trust). Nothing for `utility`.
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>, rule: &mut RuleState) {
    match rule {
        RuleState::Utility => {}
        RuleState::Landscape(_) => landscape::learn(ctx),
        RuleState::Stability(s) => stability::learn(ctx, s),
        RuleState::Adaptive(s) => adaptive::learn(ctx, s),
        RuleState::Shapley(s) => shapley::learn(ctx, s),
        RuleState::Club(s) => club::learn(ctx, s),
    }
}

/// The rule's extra `runs.csv` values at the run's end, in the order of
/// `Scenario::rule_run_columns`.
/// NOTE: called after `Simulation::finish` has ended the coalitions still active
/// (censored at the run's end), so a rule reports from its own `RuleState`, which it
/// keeps up to date in phases 6 and 8, not from `world.active`.
pub fn run_values(scenario: &Scenario, world: &World, rule: &RuleState, out: &mut Vec<f64>) {
    match rule {
        RuleState::Utility => {}
        RuleState::Landscape(s) => landscape::run_values(scenario, world, s, out),
        RuleState::Stability(s) => stability::run_values(scenario, world, s, out),
        RuleState::Adaptive(s) => adaptive::run_values(scenario, world, s, out),
        RuleState::Shapley(s) => shapley::run_values(scenario, world, s, out),
        RuleState::Club(s) => club::run_values(scenario, world, s, out),
    }
}

/// The rule's extra `ticks.csv` values of this tick, in the order of
/// `Scenario::rule_tick_columns`
/// (`out` is cleared first; it keeps its capacity, so no allocation per tick).
pub fn tick_values(scenario: &Scenario, world: &World, rule: &RuleState, out: &mut Vec<f64>) {
    out.clear();
    match rule {
        RuleState::Utility => {}
        RuleState::Landscape(s) => landscape::tick_values(scenario, world, s, out),
        RuleState::Stability(s) => stability::tick_values(scenario, world, s, out),
        RuleState::Adaptive(s) => adaptive::tick_values(scenario, world, s, out),
        RuleState::Shapley(s) => shapley::tick_values(scenario, world, s, out),
        RuleState::Club(s) => club::tick_values(scenario, world, s, out),
    }
}

/// Founds the issue-based coalition of a rule's one agreement on `issue` (`stability`,
/// `club`): `founder` with `partners`, institutionalisation drawn from `[coalitions]`,
/// no proposal rate or aim of its own. Returns it with its serial, which tells it apart
/// from a later coalition in the same slot.
pub fn found_agreement<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    issue: IssueId,
    founder: StateId,
    partners: &[StateId],
) -> (CoalitionId, u32) {
    let Ctx {
        scenario,
        world,
        rng,
        tally,
        observer,
        ..
    } = ctx;
    let founding = Founding {
        founder,
        issue,
        kind: CoalitionKind::Issue,
        institutionalisation: scenario
            .coalitions
            .institutionalisation
            .draw(rng)
            .clamp(0.0, 1.0),
        rate: 0.0,
        aim: 0.0,
    };
    let c = membership::found(scenario, world, tally, *observer, &founding, partners);
    (c, world.coalition(c).serial)
}
