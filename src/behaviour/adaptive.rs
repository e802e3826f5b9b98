//! The `adaptive` behaviour rule (MODEL.md "Behaviour rules"; docs/rules/adaptive.md):
//! Roth–Erev reinforcement learning over venue choices, so states learn which venues
//! deliver.
//!
//! Each state that can hold a membership (bandwidth > 0, coalitions enabled) has
//! `M = 1 + K` actions: 0 = "no coalition: rely on the bodies", `k + 1` = "be in a
//! coalition on issue k". Its current action is a standing policy that it carries
//! out every tick (leave the coalitions not on the chosen issue; if outside every
//! coalition on it, join the open one it values most, or found one with the other
//! states seeking the same issue). A reviewing state (`review_rate`) draws its action
//! anew with probability `p_j = q_j / Σ q`. In phase 8 the payoff of the tick is
//! turned into a reward `R = max(0, (π − reward_floor) × reward_scale)` and credited to
//! the action in force when the payoff was earned (the one held before this tick's
//! review):
//!
//! `q_j ← (1 − φ) q_j + E_j`, `E_played = R (1 − ε)`, `E_other = R ε / (M − 1)` (basic,
//! Erev & Roth 1998) or `q_j ε / (M − 1)` (modified, Nicolaisen, Petrov & Tesfatsion
//! 2001).
//!
//! **Invariant:** acts on the world only through coalitions ([`utility::establish`],
//! [`utility::join`], [`utility::leave`]), never over bandwidth or `max_size`.

use rand::RngExt;

use super::RuleState;
use super::utility::{self, Founding};
use crate::engine::tick::{Ctx, in_club};
use crate::metrics::{Event, Observer};
use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::venue::CoalitionKind;
use crate::scenario::rules::AdaptiveSpec;
use crate::scenario::rules::adaptive::Variant;
use crate::scenario::{BehaviourRule, Scenario};

/// Action 0: no coalition, rely on the bodies.
pub const NO_COALITION: usize = 0;

/// What the rule carries between ticks of one run.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// Actions per state, `M = 1 + issues`.
    pub actions: usize,
    /// Propensities `q`, state-major: state `i`'s are `propensity[i*M..(i+1)*M]`.
    pub propensity: Vec<f64>,
    /// Each state's current action (its standing policy).
    pub strategy: Vec<usize>,
    /// The action in force when this tick's payoff was earned (credited in `learn`).
    pub played: Vec<usize>,
    /// Whether the state learns: it can hold a membership (bandwidth > 0 and
    /// coalitions enabled). Others stay outside and are left out of the statistics.
    pub learner: Vec<bool>,
    /// Each state's welfare when it last acted (start of phase 6), and the gain since
    /// the one before: what the action in force over that tick earned.
    pub mark: Vec<f64>,
    /// Welfare gained between the last two marks (the tick's payoff, club benefits and
    /// founding costs included).
    pub gain: Vec<f64>,
    /// Reviews whose draw changed the state's action.
    pub switches: u64,
    /// The same, per state.
    pub switches_of: Vec<u32>,
    /// First tick of the current run of ticks whose concentration is at least
    /// `converged` (`None` while below).
    pub converged_since: Option<u32>,
    /// Reused buffer: partners of a founding.
    partners: Vec<StateId>,
}

impl RunState {
    /// The state at the start of a run: propensities `s(1) / M` each, every state on
    /// action 0 until [`start`] draws.
    pub fn new(scenario: &Scenario) -> RunState {
        let n = scenario.states.len();
        let m = 1 + scenario.issues.len();
        let q0 = scenario.behaviour.adaptive.initial / m as f64;
        RunState {
            actions: m,
            propensity: vec![q0; n * m],
            strategy: vec![NO_COALITION; n],
            played: vec![NO_COALITION; n],
            learner: vec![false; n],
            mark: vec![0.0; n],
            gain: vec![0.0; n],
            switches: 0,
            switches_of: vec![0; n],
            converged_since: None,
            partners: Vec::with_capacity(scenario.coalitions.max_size as usize),
        }
    }

    /// State `i`'s propensities.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.propensity[i * self.actions..(i + 1) * self.actions]
    }

    /// Mean over learners of their largest choice probability (1/M: no preference,
    /// 1: every learner sure of one action); NaN without learners.
    pub fn concentration(&self) -> f64 {
        let (sum, n) = (0..self.learner.len())
            .filter(|&i| self.learner[i])
            .fold((0.0, 0usize), |(s, n), i| {
                let q = self.row(i);
                (s + probability(q, most_likely(q)), n + 1)
            });
        if n == 0 { f64::NAN } else { sum / n as f64 }
    }

    /// Share of learners whose most likely action is `action`; NaN without learners.
    pub fn choice_share(&self, action: usize) -> f64 {
        let (hits, n) = (0..self.learner.len())
            .filter(|&i| self.learner[i])
            .fold((0usize, 0usize), |(h, n), i| {
                (h + usize::from(most_likely(self.row(i)) == action), n + 1)
            });
        if n == 0 {
            f64::NAN
        } else {
            hits as f64 / n as f64
        }
    }
}

/// Choice probability of action `j`: `q_j / Σ q` (uniform if every propensity has
/// been forgotten to 0).
pub fn probability(q: &[f64], j: usize) -> f64 {
    let total: f64 = q.iter().sum();
    if total > f64::MIN_POSITIVE {
        q[j] / total
    } else {
        1.0 / q.len() as f64
    }
}

/// The action drawn by a uniform `u` in [0, 1): the first `j` whose cumulative
/// probability exceeds `u` (uniform if every propensity is 0).
pub fn draw(q: &[f64], u: f64) -> usize {
    let total: f64 = q.iter().sum();
    if total <= f64::MIN_POSITIVE {
        return ((u * q.len() as f64) as usize).min(q.len() - 1);
    }
    let mut left = u * total;
    for (j, &x) in q.iter().enumerate() {
        left -= x;
        if left < 0.0 {
            return j;
        }
    }
    // Rounding: `u * total` can reach the sum; the last action with weight wins.
    q.iter().rposition(|&x| x > 0.0).unwrap_or(0)
}

/// The most likely action (ties go to the first).
pub fn most_likely(q: &[f64]) -> usize {
    (0..q.len()).fold(0, |b, j| if q[j] > q[b] { j } else { b })
}

/// The reward of a payoff `π`: `max(0, (π − reward_floor) × reward_scale)` (Erev &
/// Roth's `x − x_min`, propensities must stay non-negative).
pub fn reward(payoff: f64, spec: &AdaptiveSpec) -> f64 {
    ((payoff - spec.reward_floor) * spec.reward_scale).max(0.0)
}

/// One Roth–Erev update of the propensities `q` after action `played` earned reward
/// `r` (>= 0): `q_j ← (1 − φ) q_j + E_j` with `E_played = r (1 − ε)` and, for the
/// `M − 1` others, `r ε / (M − 1)` (basic) or `q_j ε / (M − 1)` (modified).
pub fn reinforce(q: &mut [f64], played: usize, r: f64, spec: &AdaptiveSpec) {
    let (phi, eps) = (spec.recency, spec.experimentation);
    let others = (q.len().saturating_sub(1)).max(1) as f64;
    for (j, x) in q.iter_mut().enumerate() {
        let e = if j == played {
            r * (1.0 - eps)
        } else {
            match spec.variant {
                Variant::Basic => r * eps / others,
                Variant::Modified => *x * eps / others,
            }
        };
        *x = (1.0 - phi) * *x + e;
    }
}

/// Takes the rule's state out of the world (so the world can be borrowed whole while
/// it is updated); `None` if the run is not under `adaptive`.
fn take(world: &mut World) -> Option<RunState> {
    match std::mem::replace(&mut world.rule, RuleState::Utility) {
        RuleState::Adaptive(s) => Some(s),
        other => {
            world.rule = other;
            None
        }
    }
}

/// The same Fisher–Yates shuffle of the review order as `each_reviewer`.
fn shuffle_order<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let n = ctx.scratch.order.len();
    for i in (1..n).rev() {
        let j = ctx.rng.random_range(0..=i as u32) as usize;
        ctx.scratch.order.swap(i, j);
    }
}

/// Before the first tick: every learner draws its first action from the uniform
/// initial propensities (in state order), then all carry them out in a random order.
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>) {
    if ctx.scenario.behaviour.rule != BehaviourRule::Adaptive {
        return;
    }
    let Some(mut s) = take(ctx.world) else { return };
    for i in 0..s.learner.len() {
        s.learner[i] = ctx.scenario.coalitions.enabled && ctx.world.states.bandwidth[i] > 0;
        if s.learner[i] {
            let u = ctx.rng.random::<f64>();
            s.strategy[i] = draw(s.row(i), u);
        }
        s.played[i] = s.strategy[i];
        s.mark[i] = ctx.world.states.welfare[i];
    }
    shuffle_order(ctx);
    for o in 0..ctx.scratch.order.len() {
        let i = ctx.scratch.order[o];
        carry_out(ctx, &mut s, i);
    }
    ctx.world.rule = RuleState::Adaptive(s);
}

/// Phase 6: reviewing states draw their action anew (`p_j = q_j / Σ q`); then every
/// learner, in the same shuffled order, carries out its action.
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Some(mut s) = take(ctx.world) else { return };
    s.played.copy_from_slice(&s.strategy);
    for i in 0..s.mark.len() {
        let w = ctx.world.states.welfare[i];
        s.gain[i] = w - s.mark[i];
        s.mark[i] = w;
    }
    super::each_reviewer(ctx, |ctx, i| {
        let i = i.index();
        if !s.learner[i] {
            return;
        }
        let u = ctx.rng.random::<f64>();
        let next = draw(s.row(i), u);
        if next != s.strategy[i] {
            s.switches += 1;
            s.switches_of[i] += 1;
            s.strategy[i] = next;
        }
    });
    for o in 0..ctx.scratch.order.len() {
        let i = ctx.scratch.order[o];
        carry_out(ctx, &mut s, i);
    }
    ctx.world.rule = RuleState::Adaptive(s);
}

/// State `i` acts on its standing action: leaves every coalition not on the chosen
/// issue; if it is in none on it, applies to the open coalition on it that it values
/// most (admission by the members) and, if there is none or it is refused, founds one
/// with the states seeking the same issue.
fn carry_out<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState, i: StateId) {
    if !s.learner[i.index()] {
        return;
    }
    let action = s.strategy[i.index()];
    let target = (action != NO_COALITION).then(|| IssueId::from_index(action - 1));
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        observer,
        ..
    } = ctx;
    let tick = world.tick;
    let mut m = 0;
    while m < world.states.memberships[i.index()].len() {
        let c = world.states.memberships[i.index()][m];
        if Some(world.coalition(c).issue) == target {
            m += 1;
            continue;
        }
        let at_capacity = !world.states.has_bandwidth(i);
        let p = utility::prospect(scenario, world, i, world.coalition(c), false);
        let value = utility::membership_value(scenario, world, i, &p);
        // `leave` swap-removes `c` from the list: index `m` now holds the next one.
        utility::leave(scenario, world, c, i);
        let event = Event::Left {
            state: i,
            coalition: world.coalition(c),
            value,
            at_capacity,
        };
        observer.on_event(tick, &event);
    }
    let Some(k) = target else { return };
    if in_club(world, i, k) || !world.states.has_bandwidth(i) {
        return;
    }
    let max_size = scenario.coalitions.max_size as usize;
    let mut best = None;
    for &c in &world.active {
        let co = world.coalition(c);
        if co.issue != k || co.members.len() >= max_size {
            continue;
        }
        let v = utility::membership_value(
            scenario,
            world,
            i,
            &utility::prospect(scenario, world, i, co, true),
        );
        if best.is_none_or(|(_, b)| v > b) {
            best = Some((c, v));
        }
    }
    if let Some((c, _)) = best {
        if utility::admitted(scenario, world, scratch, rng, c, i) {
            utility::join(scenario, world, c, i);
            let event = Event::Joined {
                state: i,
                coalition: world.coalition(c),
            };
            observer.on_event(tick, &event);
            return;
        }
        let event = Event::Refused {
            state: i,
            coalition: world.coalition(c),
        };
        observer.on_event(tick, &event);
    }
    found(ctx, s, i, k);
}

/// State `i` founds a coalition on `k` with the states that seek one on `k` too and
/// are in none on it (largest holders of the issue's capability first, until the
/// coalition holds `target_coverage` with at least `min_size` members, or reaches
/// `max_size`). They accept: it is the venue they chose. Its starting expectations
/// (rate, depth) are the founder's plan as `utility` makes it. Nothing happens if too
/// few states seek `k`.
fn found<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState, i: StateId, k: IssueId) {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        tally,
        observer,
        ..
    } = ctx;
    let cs = &scenario.coalitions;
    let st = &world.states;
    let action = k.index() + 1;
    s.partners.clear();
    let mut coverage = st.share[st.at(i, k)];
    let min_size = (cs.min_size as usize).max(2);
    for &j in &world.by_share[k.index()] {
        if j == i
            || !s.learner[j.index()]
            || s.strategy[j.index()] != action
            || !st.has_bandwidth(j)
            || in_club(world, j, k)
        {
            continue;
        }
        let enough = coverage >= cs.target_coverage && s.partners.len() + 1 >= min_size;
        if enough || s.partners.len() + 1 >= cs.max_size as usize {
            break;
        }
        s.partners.push(j);
        coverage += st.share[st.at(j, k)];
    }
    if s.partners.len() + 1 < min_size {
        return;
    }
    let (rate, aim) = match utility::plan_coalition(scenario, world, scratch, i, k) {
        Some(p) => (p.rate, p.aim),
        None => (0.0, st.position[st.at(i, k)]),
    };
    // A bloc if enough partners share one of the founder's labels (as under `utility`).
    let labels = &world.states.labels;
    let sharing = s
        .partners
        .iter()
        .filter(|&&j| labels[j.index()] & labels[i.index()] != 0)
        .count();
    let kind = if labels[i.index()] != 0
        && sharing as f64 >= cs.bloc_threshold * s.partners.len() as f64
    {
        CoalitionKind::Bloc
    } else {
        CoalitionKind::Issue
    };
    let founding = Founding {
        founder: i,
        issue: k,
        kind,
        institutionalisation: cs.institutionalisation.draw(rng).clamp(0.0, 1.0),
        rate,
        aim,
    };
    utility::establish(scenario, world, tally, *observer, &founding, &s.partners);
}

/// Phase 8: every learner's propensities take this tick's reward, credited to the
/// action in force when it was earned; then the convergence record.
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Some(mut s) = take(ctx.world) else { return };
    let spec = &ctx.scenario.behaviour.adaptive;
    let m = s.actions;
    for i in 0..s.learner.len() {
        if s.learner[i] {
            let r = reward(s.gain[i], spec);
            let played = s.played[i];
            reinforce(&mut s.propensity[i * m..(i + 1) * m], played, r, spec);
        }
    }
    if s.concentration() >= spec.converged {
        s.converged_since.get_or_insert(ctx.world.tick);
    } else {
        s.converged_since = None;
    }
    ctx.world.rule = RuleState::Adaptive(s);
}

/// Name of action `j` in column names and files: `none` or the issue's name.
pub fn action_name(scenario: &Scenario, j: usize) -> &str {
    if j == NO_COALITION {
        "none"
    } else {
        &scenario.issues[j - 1].name
    }
}

fn choice_columns(scenario: &Scenario, out: &mut Vec<String>) {
    for j in 0..=scenario.issues.len() {
        out.push(format!("choice_{}", action_name(scenario, j)));
    }
}

/// Extra `runs.csv` columns: `converged_tick` (first tick from which concentration
/// stays >= `converged` to the end; NaN if it does not end converged), `concentration`
/// (final), `switches`, then `choice_none`, `choice_<issue>`… (final share of learners
/// whose most likely action it is).
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let mut out = vec![
        "converged_tick".to_string(),
        "concentration".to_string(),
        "switches".to_string(),
    ];
    choice_columns(scenario, &mut out);
    out
}

/// Extra `runs.csv` values, in [`run_columns`] order.
pub fn run_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    out.push(s.converged_since.map_or(f64::NAN, f64::from));
    out.push(s.concentration());
    out.push(s.switches as f64);
    for j in 0..=scenario.issues.len() {
        out.push(s.choice_share(j));
    }
}

/// Extra `ticks.csv` columns: `concentration`, `choice_none`, `choice_<issue>`….
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let mut out = vec!["concentration".to_string()];
    choice_columns(scenario, &mut out);
    out
}

/// Extra `ticks.csv` values, in [`tick_columns`] order.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    out.push(s.concentration());
    for j in 0..=scenario.issues.len() {
        out.push(s.choice_share(j));
    }
}

/// Plays run `key` of `scenario` again (same stream, same result) and returns the
/// rule's state at its end: what `learning.csv` reports per state. `None` unless the
/// scenario's rule is `adaptive`.
pub fn replay(scenario: &Scenario, key: crate::engine::RunKey) -> Option<RunState> {
    let mut sim = crate::engine::Simulation::new(scenario, key);
    let mut discard = crate::metrics::Discard;
    while !sim.done() {
        sim.step(&mut discard);
    }
    match &sim.world().rule {
        RuleState::Adaptive(s) => Some(s.clone()),
        _ => None,
    }
}
