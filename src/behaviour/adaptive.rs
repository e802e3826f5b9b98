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
//! anew with probability `p_j = q_j / Σ q`. In phase 8 the state's welfare gain over
//! the tick, `π` (its payoff, its club-good benefits, which the engine adds to welfare
//! but not to `payoff`, and any founding cost), becomes a reward
//! `R = max(0, (π − reward_floor) × reward_scale)` credited to the action in force
//! when it was earned (the one held before this tick's review):
//!
//! `q_j ← (1 − φ) q_j + E_j`, `E_played = R (1 − ε)`, `E_other = R ε / (M − 1)` (basic,
//! Erev & Roth 1998) or `q_j ε / (M − 1)` (modified, Nicolaisen, Petrov & Tesfatsion
//! 2001).
//!
//! **Invariant:** acts on the world only through coalitions
//! ([`crate::act::membership`]'s `found`, `join`, `leave`), never over bandwidth or
//! `max_size`.

use rand::RngExt;

use super::utility;
use crate::act::Ctx;
use crate::act::goods::in_club;
use crate::act::membership::{self, Departure, Founding};
use crate::metrics::{Event, Observer};
use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::AdaptiveSpec;
use crate::model::scenario::Scenario;
use crate::model::scenario::adaptive::Variant;
pub use crate::model::scenario::adaptive::{NO_COALITION, action_name, run_columns, tick_columns};

/// What the rule carries between ticks of one run.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// Actions per state, `M = 1 + issues`.
    pub actions: usize,
    /// Propensities `q`, state-major: state `i`'s are `propensity[i*M..(i+1)*M]`.
    pub propensity: Vec<f64>,
    /// Each state's policy, reward and record, indexed by `StateId`.
    pub states: Vec<Learner>,
    /// Reviews whose draw changed the state's action.
    pub switches: u64,
    /// First tick of the current run of ticks whose concentration is at least
    /// `converged` (`None` while below).
    pub converged_since: Option<u32>,
    /// Reused buffer: partners of a founding.
    partners: Vec<StateId>,
}

/// One state's side of the learning.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Learner {
    /// Whether the state learns: it can hold a membership (bandwidth > 0 and
    /// coalitions enabled). Others stay outside and are left out of the statistics.
    pub learns: bool,
    /// Its current action (its standing policy).
    pub strategy: usize,
    /// The action in force when this tick's reward was earned (credited in `learn`).
    pub played: usize,
    /// Its welfare at the start of the latest phase 6.
    pub mark: f64,
    /// Welfare gained between the last two marks: what the action in force over the
    /// tick earned (the tick's payoff, club benefits and founding costs included).
    pub gain: f64,
    /// Reviews whose draw changed its action.
    pub switches: u32,
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
            states: vec![Learner::default(); n],
            switches: 0,
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
        let (sum, n) = (0..self.states.len())
            .filter(|&i| self.states[i].learns)
            .fold((0.0, 0usize), |(s, n), i| {
                let q = self.row(i);
                (s + probability(q, most_likely(q)), n + 1)
            });
        if n == 0 { f64::NAN } else { sum / n as f64 }
    }

    /// Share of learners whose most likely action is `action`; NaN without learners.
    pub fn choice_share(&self, action: usize) -> f64 {
        let (hits, n) = (0..self.states.len())
            .filter(|&i| self.states[i].learns)
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
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    for i in 0..s.states.len() {
        s.states[i].learns = ctx.scenario.coalitions.enabled && ctx.world.states.bandwidth[i] > 0;
        if s.states[i].learns {
            let u = ctx.rng.random::<f64>();
            s.states[i].strategy = draw(s.row(i), u);
        }
        s.states[i].played = s.states[i].strategy;
        s.states[i].mark = ctx.world.states.welfare[i];
    }
    shuffle_order(ctx);
    for o in 0..ctx.scratch.order.len() {
        let i = ctx.scratch.order[o];
        carry_out(ctx, s, i);
    }
}

/// Phase 6: reviewing states draw their action anew (`p_j = q_j / Σ q`); then every
/// learner, in the same shuffled order, carries out its action.
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    for (i, l) in s.states.iter_mut().enumerate() {
        l.played = l.strategy;
        let w = ctx.world.states.welfare[i];
        l.gain = w - l.mark;
        l.mark = w;
    }
    super::each_reviewer(ctx, |ctx, i| {
        let i = i.index();
        if !s.states[i].learns {
            return;
        }
        let u = ctx.rng.random::<f64>();
        let next = draw(s.row(i), u);
        if next != s.states[i].strategy {
            s.switches += 1;
            s.states[i].switches += 1;
            s.states[i].strategy = next;
        }
    });
    for o in 0..ctx.scratch.order.len() {
        let i = ctx.scratch.order[o];
        carry_out(ctx, s, i);
    }
}

/// State `i` acts on its standing action: leaves every coalition not on the chosen
/// issue; if it is in none on it, applies to the open coalition on it that it values
/// most (admission by the members) and, if there is none or it is refused, founds one
/// with the states seeking the same issue.
fn carry_out<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState, i: StateId) {
    if !s.states[i.index()].learns {
        return;
    }
    let action = s.states[i.index()].strategy;
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
        let why = Departure { value, at_capacity };
        membership::leave(scenario, world, *observer, c, i, why);
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
            membership::join(scenario, world, *observer, c, i);
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
            || !s.states[j.index()].learns
            || s.states[j.index()].strategy != action
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
    let kind = utility::coalition_kind(scenario, &world.states.labels, i, &s.partners);
    let founding = Founding {
        founder: i,
        issue: k,
        kind,
        institutionalisation: cs.institutionalisation.draw(rng).clamp(0.0, 1.0),
        rate,
        aim,
    };
    membership::found(scenario, world, tally, *observer, &founding, &s.partners);
}

/// Phase 8: every learner's propensities take this tick's reward, credited to the
/// action in force when it was earned; then the convergence record.
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    let spec = &ctx.scenario.behaviour.adaptive;
    let m = s.actions;
    for i in 0..s.states.len() {
        if s.states[i].learns {
            let r = reward(s.states[i].gain, spec);
            let played = s.states[i].played;
            reinforce(&mut s.propensity[i * m..(i + 1) * m], played, r, spec);
        }
    }
    let concentration = s.concentration();
    track_convergence(
        &mut s.converged_since,
        concentration,
        spec.converged,
        ctx.world.tick,
    );
}

/// The convergence record after tick `tick`: the first tick of the current run of
/// ticks with `concentration >= threshold`, reset when it falls below (NaN, no
/// learners, counts as below).
pub fn track_convergence(since: &mut Option<u32>, concentration: f64, threshold: f64, tick: u32) {
    if concentration >= threshold {
        since.get_or_insert(tick);
    } else {
        *since = None;
    }
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

/// Extra `ticks.csv` values, in [`tick_columns`] order.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    out.push(s.concentration());
    for j in 0..=scenario.issues.len() {
        out.push(s.choice_share(j));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::accept_params;
    use crate::behaviour::RuleState;
    use crate::engine::Simulation;
    use crate::engine::rng::{RunKey, run_rng};
    use std::path::Path;

    fn spec(recency: f64, experimentation: f64, variant: Variant) -> AdaptiveSpec {
        AdaptiveSpec {
            recency,
            experimentation,
            variant,
            ..AdaptiveSpec::default()
        }
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn basic_update_of_a_hand_worked_case() {
        // M = 3, φ = 0.1, ε = 0.2, action 0 played with reward 2:
        // q0 = 0.9 × 1 + 2 × 0.8 = 2.5; q1 = q2 = 0.9 × 1 + 2 × 0.2 / 2 = 1.1.
        let mut q = [1.0, 1.0, 1.0];
        reinforce(&mut q, 0, 2.0, &spec(0.1, 0.2, Variant::Basic));
        assert!(close(&q, &[2.5, 1.1, 1.1]), "{q:?}");
        // p0 = 2.5 / 4.7.
        assert!((probability(&q, 0) - 2.5 / 4.7).abs() < 1e-15);
    }

    #[test]
    fn modified_update_of_a_hand_worked_case() {
        // M = 3, φ = 0.1, ε = 0.2, q = (1, 2, 3), action 1 played:
        // reward 0: q0 = 0.9 + 1 × 0.1 = 1.0, q1 = 0.9 × 2 = 1.8, q2 = 2.7 + 3 × 0.1 = 3.0;
        // reward 2: q1 = 1.8 + 2 × 0.8 = 3.4, the others as before.
        let s = spec(0.1, 0.2, Variant::Modified);
        let mut q = [1.0, 2.0, 3.0];
        reinforce(&mut q, 1, 0.0, &s);
        assert!(close(&q, &[1.0, 1.8, 3.0]), "{q:?}");
        let mut q = [1.0, 2.0, 3.0];
        reinforce(&mut q, 1, 2.0, &s);
        assert!(close(&q, &[1.0, 3.4, 3.0]), "{q:?}");
        // The basic update with reward 0 only forgets: (0.9, 1.8, 2.7).
        let mut q = [1.0, 2.0, 3.0];
        reinforce(&mut q, 1, 0.0, &spec(0.1, 0.2, Variant::Basic));
        assert!(close(&q, &[0.9, 1.8, 2.7]), "{q:?}");
    }

    #[test]
    fn forgetting_shrinks_propensities_without_changing_choices() {
        // φ = 0.5, no reward: (4, 2, 2) → (2, 1, 1), probabilities (0.5, 0.25, 0.25).
        let mut q = [4.0, 2.0, 2.0];
        reinforce(&mut q, 0, 0.0, &spec(0.5, 0.1, Variant::Basic));
        assert!(close(&q, &[2.0, 1.0, 1.0]));
        assert_eq!(probability(&q, 0), 0.5);
        // Forgetting weighs recent rewards more: with φ = 0.5 the last reward of 1 to
        // action 1 outweighs an old one of 1 to action 0 (0.5 × 1 < 1).
        let s = spec(0.5, 0.0, Variant::Basic);
        let mut q = [0.0, 0.0];
        reinforce(&mut q, 0, 1.0, &s);
        reinforce(&mut q, 1, 1.0, &s);
        assert!(close(&q, &[0.5, 1.0]), "{q:?}");
        // φ = 1 forgets everything: choices fall back to uniform.
        let mut q = [4.0, 2.0, 2.0];
        reinforce(&mut q, 0, 0.0, &spec(1.0, 0.0, Variant::Basic));
        assert_eq!(q, [0.0, 0.0, 0.0]);
        assert_eq!(probability(&q, 2), 1.0 / 3.0);
        assert_eq!(draw(&q, 0.5), 1);
    }

    #[test]
    fn rewards_are_shifted_scaled_and_floored_at_zero() {
        let s = AdaptiveSpec {
            reward_floor: -0.01,
            reward_scale: 100.0,
            ..AdaptiveSpec::default()
        };
        // (0.01 + 0.01) × 100 = 2; (−0.02 + 0.01) × 100 = −1 → 0.
        assert!((reward(0.01, &s) - 2.0).abs() < 1e-12);
        assert_eq!(reward(-0.02, &s), 0.0);
    }

    #[test]
    fn draws_follow_q_over_the_sum() {
        let q = [1.0, 3.0, 6.0];
        let mut rng = run_rng(7, RunKey::default());
        let n = 30_000;
        let mut counts = [0usize; 3];
        for _ in 0..n {
            counts[draw(&q, rng.random::<f64>())] += 1;
        }
        for (j, expected) in [0.1, 0.3, 0.6].into_iter().enumerate() {
            let share = counts[j] as f64 / n as f64;
            // se = sqrt(0.6 × 0.4 / 30000) ≈ 0.0028; 0.012 is over 4 se.
            assert!(
                (share - expected).abs() < 0.012,
                "{j}: {share} vs {expected}"
            );
        }
        // Edges: u = 0 gives the first action with weight, u just below 1 the last.
        assert_eq!(draw(&[0.0, 1.0, 1.0], 0.0), 1);
        assert_eq!(draw(&q, 1.0 - 1e-16), 2);
    }

    /// `learners` independent learners over `steps` steps, reward `r(action)`.
    fn learn_alone(
        s: &AdaptiveSpec,
        learners: usize,
        steps: usize,
        r: impl Fn(usize) -> f64,
    ) -> Vec<[f64; 3]> {
        let mut rng = run_rng(11, RunKey::default());
        (0..learners)
            .map(|_| {
                let mut q = [s.initial / 3.0; 3];
                for _ in 0..steps {
                    let a = draw(&q, rng.random::<f64>());
                    reinforce(&mut q, a, r(a), s);
                }
                [0, 1, 2].map(|j| probability(&q, j))
            })
            .collect()
    }

    #[test]
    fn a_fixed_reward_for_one_action_concentrates_choices_on_it() {
        // Reward 1 for action 2, 0 otherwise; s(1) = 3, φ = 0.02, ε = 0.02.
        let s = spec(0.02, 0.02, Variant::Basic);
        let ps = learn_alone(&s, 100, 300, |a| if a == 2 { 1.0 } else { 0.0 });
        let mean2 = ps.iter().map(|p| p[2]).sum::<f64>() / ps.len() as f64;
        // Steady state of the basic update: p2 → 1 − ε = 0.98.
        assert!(mean2 > 0.95, "mean p(rewarded) = {mean2}");
        let modified = spec(0.02, 0.02, Variant::Modified);
        let ps = learn_alone(&modified, 100, 300, |a| if a == 2 { 1.0 } else { 0.0 });
        let mean2 = ps.iter().map(|p| p[2]).sum::<f64>() / ps.len() as f64;
        assert!(mean2 > 0.9, "modified: mean p(rewarded) = {mean2}");
    }

    #[test]
    fn a_fixed_reward_gives_a_finite_converged_tick_and_equal_rewards_none() {
        // 20 learners in a run state, reward 1 for action 1 only (basic, s(1) = 3,
        // φ = ε = 0.02): concentration rises from 1/3 past 0.9 and stays; with the
        // same reward for every action and φ = 0 it stays well below (each learner
        // drifts, slowly, from (1, 1, 1)).
        let s = two_issues("");
        let spec = spec(0.02, 0.02, Variant::Basic);
        let run = |r: &dyn Fn(usize) -> f64| {
            let mut st = RunState::new(&s);
            st.propensity.resize(20 * 3, 1.0);
            st.states.resize(20, Learner::default());
            st.states.iter_mut().for_each(|l| l.learns = true);
            let mut rng = run_rng(5, RunKey::default());
            let mut since = None;
            for t in 0..400 {
                for i in 0..20 {
                    let q = &mut st.propensity[i * 3..(i + 1) * 3];
                    let a = draw(q, rng.random::<f64>());
                    reinforce(q, a, r(a), &spec);
                }
                track_convergence(&mut since, st.concentration(), 0.9, t);
            }
            (since, st.concentration())
        };
        let (since, c) = run(&|a| if a == 1 { 1.0 } else { 0.0 });
        assert!(since.is_some_and(|t| t < 300) && c > 0.9, "{since:?} {c}");
        let spec0 = AdaptiveSpec {
            recency: 0.0,
            ..spec
        };
        let mut st = RunState::new(&s);
        st.states.iter_mut().for_each(|l| l.learns = true);
        let mut rng = run_rng(6, RunKey::default());
        for _ in 0..400 {
            for i in 0..st.states.len() {
                let q = &mut st.propensity[i * 3..(i + 1) * 3];
                let a = draw(q, rng.random::<f64>());
                reinforce(q, a, 1.0, &spec0);
            }
        }
        assert!(st.concentration() < 0.75, "{}", st.concentration());
    }

    #[test]
    fn equal_rewards_keep_choices_uniform_on_average() {
        // With the same reward for every action nothing is learned about the actions:
        // each learner drifts (a Pólya urn) but the mean stays at 1/3.
        let s = spec(0.0, 0.0, Variant::Basic);
        let ps = learn_alone(&s, 400, 100, |_| 1.0);
        for j in 0..3 {
            let mean = ps.iter().map(|p| p[j]).sum::<f64>() / ps.len() as f64;
            assert!((mean - 1.0 / 3.0).abs() < 0.04, "action {j}: {mean}");
        }
    }

    const TWO_ISSUES: &str = r#"[scenario]
name = "t"
ticks = 120
seed = 3
[world]
capabilities = ["gdp"]
[defaults]
bandwidth = 1
salience = 0.8
position = { dist = "normal", mean = 0.5, sd = 0.05 }
[[issues]]
name = "open"
capability = "gdp"
good = "public"
cost = 0.1
decay = 0.05
[[issues]]
name = "club"
capability = "gdp"
good = "club"
efficiency = 0.2
cost = 0.02
decay = 0.05
[coalitions]
max_size = 4
[behaviour]
rule = "adaptive"
review_rate = 0.3
"#;

    fn two_issues(extra: &str) -> Scenario {
        let mut text = String::from(TWO_ISSUES);
        text.push_str(extra);
        for (i, gdp) in [5.0, 4.0, 3.0, 3.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0]
            .iter()
            .enumerate()
        {
            text.push_str(&format!(
                "[[states]]\nname = \"S{i}\"\ncapabilities = {{ gdp = {gdp} }}\n"
            ));
        }
        Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
            .expect("valid")
            .scenario
    }

    #[test]
    fn states_learn_the_club_and_the_world_stays_consistent() {
        let s = two_issues("");
        assert!(accept_params(&s).temperature > 0.0);
        let mut sim = Simulation::new(&s, RunKey::default());
        let mut d = crate::metrics::Discard;
        let mut first = f64::NAN;
        while !sim.done() {
            sim.step(&mut d);
            sim.world().check_invariants(&s).expect("consistent");
            let RuleState::Adaptive(a) = sim.rule() else {
                panic!("adaptive state")
            };
            if first.is_nan() {
                first = a.concentration();
            }
        }
        let RuleState::Adaptive(a) = sim.rule() else {
            panic!("adaptive state")
        };
        assert!(first < 0.45, "starts near 1/3: {first}");
        assert!(a.concentration() > 0.7, "{}", a.concentration());
        // Action 2 (the club) is the most common choice.
        let club = a.choice_share(2);
        assert!(
            club > a.choice_share(0) && club > a.choice_share(1),
            "club {club}"
        );
        let mut values = Vec::new();
        run_values(&s, sim.world(), a, &mut values);
        assert_eq!(values.len(), run_columns(&s).len());
    }

    #[test]
    fn a_state_without_bandwidth_stays_outside_and_does_not_learn() {
        let s =
            two_issues("[[states]]\nname = \"Z\"\ncapabilities = { gdp = 50.0 }\nbandwidth = 0\n");
        let mut sim = Simulation::new(&s, RunKey::default());
        let mut d = crate::metrics::Discard;
        for _ in 0..30 {
            sim.step(&mut d);
            // Z is written before S0..S9: state 0.
            assert!(sim.world().states.memberships[0].is_empty());
        }
        let RuleState::Adaptive(a) = sim.rule() else {
            panic!("adaptive state")
        };
        assert!(!a.states[0].learns && a.states[1].learns);
        assert_eq!(a.row(0), [1.0; 3], "s(1)/M = 3/3, untouched");
    }

    #[test]
    fn convergence_is_the_start_of_the_final_run_above_the_threshold() {
        // Concentration by tick: 0.5, 0.92, 0.95, 0.85, 0.91, 0.93 with threshold 0.9:
        // above at 1-2, below at 3, above from 4 on: converged at tick 4.
        let mut since = None;
        let path = [0.5, 0.92, 0.95, 0.85, 0.91, 0.93];
        let mut seen = Vec::new();
        for (t, &c) in path.iter().enumerate() {
            track_convergence(&mut since, c, 0.9, t as u32);
            seen.push(since);
        }
        assert_eq!(seen, [None, Some(1), Some(1), None, Some(4), Some(4)]);
        track_convergence(&mut since, f64::NAN, 0.9, 6);
        assert_eq!(since, None, "no learners: not converged");
    }

    #[test]
    fn columns_name_the_actions() {
        let s = two_issues("");
        assert_eq!(
            run_columns(&s),
            [
                "converged_tick",
                "concentration",
                "switches",
                "choice_none",
                "choice_open",
                "choice_club"
            ]
        );
        assert_eq!(tick_columns(&s)[0], "concentration");
    }
}
