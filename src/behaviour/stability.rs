//! The `stability` behaviour rule (MODEL.md "Behaviour rules"; docs/rules/stability.md):
//! cartel stability of one agreement on one issue, in the style of the international
//! environmental agreements literature (d'Aspremont et al. 1983; Carraro & Siniscalco
//! 1993; Barrett 1994; Finus 2001).
//!
//! The membership game: every state `i` abates `q_i` of the issue's problem and gets
//! `π_i = b_i Q − C(q_i)`, `Q = Σ_j q_j`, with `C(q) = c q` and `q ∈ {0, 1}`
//! (`linear`) or `C(q) = (c/2) q²` and `q ≥ 0` (`quadratic`). The members of the
//! agreement `S` choose their abatement to maximise their joint payoff; outsiders
//! best-respond (with these payoffs their best reply does not depend on the others,
//! so the Nash and Stackelberg outcomes coincide). A state joins if its payoff inside
//! is at least its payoff outside, and leaves only if it is strictly better outside
//! (ties within a relative [`TIE`]). An agreement is internally stable if no member
//! wants to leave, externally stable if no outsider wants to join.
//!
//! In the engine the agreement is one coalition on the issue, founded, joined and left
//! through [`super::utility`]'s functions, so bodies, progress, payoffs and metrics work
//! as for any rule. The cartel game's payoffs only decide membership; the engine's own
//! payoffs and progress are computed as usual from the coalition it produces.
//!
//! **Invariant:** the rule's record of `S` ([`RunState::is_member`]) equals the
//! coalition's members whenever `|S| >= 2`; `|S| = 1` is a state waiting for a partner
//! (a coalition needs two members), which is the same outcome as no agreement.

use rand::RngExt;

use crate::act::Ctx;
use crate::act::membership::{self, Departure, Founding};
use crate::metrics::Observer;
use crate::model::World;
use crate::model::ids::{CoalitionId, IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::scenario::stability::{BenefitBy, PayoffShape, StabilitySpec, Start};
pub use crate::model::scenario::stability::{run_columns, tick_columns};
use crate::model::venue::{CoalitionKind, EndReason};

/// Relative tolerance under which two payoffs (or `B_S` and `c`) count as equal:
/// the closed forms hinge on exact ties (an outsider is indifferent about joining a
/// pair under quadratic payoffs; `k b = c` when `c/b` is an integer), which rounding
/// must not break.
pub const TIE: f64 = 1e-9;

/// `a ≥ b` up to the relative tolerance [`TIE`].
pub fn weakly_greater(a: f64, b: f64) -> bool {
    a >= b - TIE * a.abs().max(b.abs())
}

/// What payoffs need to know about an agreement `S`: its size and benefit sums.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Agreement {
    /// `|S|`.
    pub size: usize,
    /// `B_S = Σ_{i ∈ S} b_i`.
    pub benefit_in: f64,
    /// `Σ_i b_i` over all states (members, outsiders, states that cannot join).
    pub benefit_all: f64,
    /// Members whose own benefit covers the cost (`b_i ≥ c`: they abate alone).
    pub abaters_in: usize,
    /// States whose own benefit covers the cost, all states.
    pub abaters_all: usize,
}

impl Agreement {
    /// `S` of `size` symmetric states (benefit `b` each) among `n`.
    pub fn symmetric(spec: &StabilitySpec, size: usize, n: usize) -> Agreement {
        let abates = usize::from(abates_alone(spec, spec.benefit));
        Agreement {
            size,
            benefit_in: size as f64 * spec.benefit,
            benefit_all: n as f64 * spec.benefit,
            abaters_in: size * abates,
            abaters_all: n * abates,
        }
    }

    /// `S ∪ {j}` for an outsider `j` with benefit `b`.
    pub fn with(self, spec: &StabilitySpec, b: f64) -> Agreement {
        Agreement {
            size: self.size + 1,
            benefit_in: self.benefit_in + b,
            abaters_in: self.abaters_in + usize::from(abates_alone(spec, b)),
            ..self
        }
    }

    /// `S \ {i}` for a member `i` with benefit `b`.
    pub fn without(self, spec: &StabilitySpec, b: f64) -> Agreement {
        Agreement {
            size: self.size - 1,
            benefit_in: if self.size == 1 {
                0.0
            } else {
                self.benefit_in - b
            },
            abaters_in: self.abaters_in - usize::from(abates_alone(spec, b)),
            ..self
        }
    }
}

/// Linear payoffs: whether a state with benefit `b` abates on its own (`b ≥ c`).
fn abates_alone(spec: &StabilitySpec, b: f64) -> bool {
    weakly_greater(b, spec.cost)
}

/// An outsider's best reply: `b_j / c` (quadratic), `1` if `b_j ≥ c` else `0` (linear).
pub fn outsider_abatement(spec: &StabilitySpec, b: f64) -> f64 {
    match spec.payoff {
        PayoffShape::Quadratic => b / spec.cost,
        PayoffShape::Linear => f64::from(u8::from(abates_alone(spec, b))),
    }
}

/// Each member's abatement when the members maximise their joint payoff: a unit abated
/// by one member benefits all of them, `B_S`, so `q = B_S / c` (quadratic) or `q = 1`
/// if `B_S ≥ c` (linear; at equality they abate).
pub fn member_abatement(spec: &StabilitySpec, a: &Agreement) -> f64 {
    match spec.payoff {
        PayoffShape::Quadratic => a.benefit_in / spec.cost,
        PayoffShape::Linear => f64::from(u8::from(weakly_greater(a.benefit_in, spec.cost))),
    }
}

/// Total abatement `Q`: members' plus outsiders'.
pub fn total_abatement(spec: &StabilitySpec, a: &Agreement) -> f64 {
    let members = a.size as f64 * member_abatement(spec, a);
    match spec.payoff {
        PayoffShape::Quadratic => members + (a.benefit_all - a.benefit_in) / spec.cost,
        PayoffShape::Linear => members + (a.abaters_all - a.abaters_in) as f64,
    }
}

/// `π_i = b_i Q − C(q_i)` of a state with benefit `b` under agreement `a`, inside it
/// (`member`) or outside.
pub fn payoff(spec: &StabilitySpec, a: &Agreement, b: f64, member: bool) -> f64 {
    let q = if member {
        member_abatement(spec, a)
    } else {
        outsider_abatement(spec, b)
    };
    let cost = match spec.payoff {
        PayoffShape::Quadratic => 0.5 * spec.cost * q * q,
        PayoffShape::Linear => spec.cost * q,
    };
    b * total_abatement(spec, a) - cost
}

/// Whether a member with benefit `b` is strictly better off outside (`S \ {i}`, the
/// others re-optimising).
pub fn wants_to_leave(spec: &StabilitySpec, a: &Agreement, b: f64) -> bool {
    let inside = payoff(spec, a, b, true);
    let outside = payoff(spec, &a.without(spec, b), b, false);
    !weakly_greater(inside, outside)
}

/// Whether an outsider with benefit `b` is at least as well off inside (`S ∪ {j}`).
pub fn wants_to_join(spec: &StabilitySpec, a: &Agreement, b: f64) -> bool {
    let inside = payoff(spec, &a.with(spec, b), b, true);
    let outside = payoff(spec, a, b, false);
    weakly_greater(inside, outside)
}

/// One row of the exhaustive check over coalition sizes for symmetric states.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SizeCheck {
    /// Coalition size `k` (1: nobody cooperates, the same outcome as no agreement).
    pub k: usize,
    /// A member's payoff at size `k`.
    pub member_payoff: f64,
    /// An outsider's payoff at size `k` (NaN at `k = N`: there is none).
    pub outsider_payoff: f64,
    /// Total abatement `Q` at size `k`.
    pub abatement_total: f64,
    /// No member is strictly better off outside: `π_in(k) ≥ π_out(k − 1)`.
    pub internally_stable: bool,
    /// No outsider is at least as well off inside: `k = N` or `π_out(k) > π_in(k + 1)`.
    pub externally_stable: bool,
}

impl SizeCheck {
    /// Internally and externally stable.
    pub fn stable(&self) -> bool {
        self.internally_stable && self.externally_stable
    }
}

/// The exhaustive check over coalition sizes `k = 1..=n` for `n` symmetric states
/// (benefit `b` each), from the payoffs themselves (not the closed form).
pub fn stable_sizes(spec: &StabilitySpec, n: usize) -> Vec<SizeCheck> {
    let b = spec.benefit;
    (1..=n)
        .map(|k| {
            let a = Agreement::symmetric(spec, k, n);
            SizeCheck {
                k,
                member_payoff: payoff(spec, &a, b, true),
                outsider_payoff: if k < n {
                    payoff(spec, &a, b, false)
                } else {
                    f64::NAN
                },
                abatement_total: total_abatement(spec, &a),
                internally_stable: !wants_to_leave(spec, &a, b),
                externally_stable: k == n || !wants_to_join(spec, &a, b),
            }
        })
        .collect()
}

/// The closed-form stable size for `n ≥ 1` symmetric states that can all join:
/// quadratic `min(3, n)`; linear `n` if `b ≥ c` (everyone abates anyway, so every
/// outsider is indifferent and joins), else `min(⌈c/b⌉, n)`. Derivations in
/// docs/rules/stability.md.
pub fn closed_form(spec: &StabilitySpec, n: usize) -> usize {
    match spec.payoff {
        PayoffShape::Quadratic => n.min(3),
        PayoffShape::Linear => {
            if abates_alone(spec, spec.benefit) {
                return n;
            }
            // ⌈c/b⌉, with c/b within TIE of an integer taken as that integer.
            let k = (spec.cost / spec.benefit * (1.0 - TIE)).ceil();
            (k as usize).min(n)
        }
    }
}

/// What the rule carries between ticks of one run: the agreement `S` and the
/// benefits `b_i` it was judged with.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// Each state's `b_i = b × w_i` at the latest review.
    benefit: Vec<f64>,
    /// Whether each state is in `S`.
    member: Vec<bool>,
    /// Size and benefit sums of `S`.
    agreement: Agreement,
    /// The engine coalition holding `S` (when `|S| >= 2`) and its serial, which tells
    /// it apart from a later coalition in the same slot.
    coalition: Option<(CoalitionId, u32)>,
    /// The tick of the latest change of `S` (a join, a departure, a dissolution).
    last_change: Option<u32>,
    /// Partners of a founding (sized once).
    partners: Vec<StateId>,
}

impl RunState {
    /// The state at the start of a run: no agreement, buffers sized for every state.
    pub fn new(scenario: &Scenario) -> RunState {
        let n = scenario.states.len();
        RunState {
            benefit: vec![0.0; n],
            member: vec![false; n],
            agreement: Agreement::default(),
            coalition: None,
            last_change: None,
            partners: Vec::with_capacity(n),
        }
    }

    /// `|S|` (1: a state waiting for a partner).
    pub fn size(&self) -> usize {
        self.agreement.size
    }

    /// Whether state `i` is in `S`.
    pub fn is_member(&self, i: StateId) -> bool {
        self.member[i.index()]
    }

    /// `b_i` at the latest review.
    pub fn benefit(&self, i: StateId) -> f64 {
        self.benefit[i.index()]
    }

    /// Size and benefit sums of `S`.
    pub fn agreement(&self) -> Agreement {
        self.agreement
    }

    /// The tick of the latest change of `S`, if any.
    pub fn last_change(&self) -> Option<u32> {
        self.last_change
    }

    /// Recomputes every `b_i` (saliences move with crises) and the sums of `S`.
    fn judge(&mut self, scenario: &Scenario, world: &World) {
        let spec = &scenario.behaviour.stability;
        let k = spec.issue;
        let n = world.states.len();
        for i in 0..n {
            let id = StateId::from_index(i);
            let w = match spec.benefit_by {
                BenefitBy::Equal => 1.0,
                BenefitBy::Salience => world.salience(id, k),
                BenefitBy::Share => n as f64 * world.states.share[world.states.at(id, k)],
            };
            self.benefit[i] = spec.benefit * w;
        }
        let mut a = Agreement::default();
        for i in 0..n {
            let b = self.benefit[i];
            a.benefit_all += b;
            a.abaters_all += usize::from(abates_alone(spec, b));
            if self.member[i] {
                a.size += 1;
                a.benefit_in += b;
                a.abaters_in += usize::from(abates_alone(spec, b));
            }
        }
        self.agreement = a;
    }

    /// Forgets `S` (its coalition was dissolved).
    fn clear(&mut self) {
        self.member.iter_mut().for_each(|m| *m = false);
        self.agreement.size = 0;
        self.agreement.benefit_in = 0.0;
        self.agreement.abaters_in = 0;
        self.coalition = None;
    }
}

/// Whether state `i` can ever be in the agreement: coalitions are enabled and it has
/// bandwidth (a state with bandwidth 0 stays outside, abating as an outsider).
fn eligible(scenario: &Scenario, world: &World, i: StateId) -> bool {
    scenario.coalitions.enabled && world.states.bandwidth[i.index()] > 0
}

/// Before the first tick: the starting agreement (`start`): none, every state that
/// can join (up to `max_size`, in state order), or each with probability 1/2.
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    let scenario = ctx.scenario;
    let max = scenario.coalitions.max_size as usize;
    let mut size = 0;
    for i in 0..ctx.world.states.len() {
        let id = StateId::from_index(i);
        let draw = match scenario.behaviour.stability.start {
            Start::Empty => false,
            Start::Grand => true,
            // Drawn for every state, eligible or not, so the stream does not depend on
            // bandwidths.
            Start::Random => ctx.rng.random::<f64>() < 0.5,
        };
        if draw && size < max && eligible(scenario, ctx.world, id) {
            s.member[i] = true;
            size += 1;
        }
    }
    s.judge(scenario, ctx.world);
    if size >= 2 {
        s.partners.clear();
        s.partners.extend(
            (0..s.member.len())
                .filter(|&i| s.member[i])
                .map(StateId::from_index),
        );
        let founder = s.partners.remove(0);
        found(ctx, s, founder);
    }
}

/// Founds the engine coalition of `S` with `founder` and `s.partners`.
fn found<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState, founder: StateId) {
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
        issue: scenario.behaviour.stability.issue,
        kind: CoalitionKind::Issue,
        institutionalisation: scenario
            .coalitions
            .institutionalisation
            .draw(rng)
            .clamp(0.0, 1.0),
        rate: 0.0,
        aim: 0.0,
    };
    let c = membership::found(scenario, world, tally, *observer, &founding, &s.partners);
    s.coalition = Some((c, world.coalition(c).serial));
}

/// Phase 6: the benefits are re-judged (saliences move), then each reviewing state
/// (shuffled order, `review_rate`) applies the membership rule. Nothing happens once
/// the issue is solved (the engine dissolves every coalition on a solved issue).
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    s.judge(ctx.scenario, ctx.world);
    let k: IssueId = ctx.scenario.behaviour.stability.issue;
    let solved =
        ctx.world.issues[k.index()].progress >= ctx.scenario.issues[k.index()].target - 1e-12;
    if ctx.scenario.coalitions.enabled && !solved {
        super::each_reviewer(ctx, |ctx, i| review(ctx, s, i));
    }
}

/// State `i` reviews its membership: a member leaves if strictly better off outside;
/// an outsider that can join (bandwidth, `max_size`) joins if at least as well off
/// inside. Admission is automatic, as in the cartel model: the agreement is open.
fn review<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState, i: StateId) {
    let scenario = ctx.scenario;
    let spec = &scenario.behaviour.stability;
    let b = s.benefit[i.index()];
    let a = s.agreement;
    let tick = ctx.world.tick;
    if s.member[i.index()] {
        if !wants_to_leave(spec, &a, b) {
            return;
        }
        let value = payoff(spec, &a, b, true) - payoff(spec, &a.without(spec, b), b, false);
        s.member[i.index()] = false;
        s.agreement = a.without(spec, b);
        s.last_change = Some(tick);
        if let Some((c, _)) = s.coalition {
            depart(ctx, s, c, i, value);
        }
        return;
    }
    let max = scenario.coalitions.max_size as usize;
    if a.size >= max || !ctx.world.states.has_bandwidth(i) || !wants_to_join(spec, &a, b) {
        return;
    }
    match s.coalition {
        Some((c, _)) => {
            let Ctx {
                scenario,
                world,
                observer,
                ..
            } = ctx;
            membership::join(scenario, world, *observer, c, i);
        }
        None if a.size == 1 => {
            // The state waiting for a partner founds the coalition with `i`.
            let Some(founder) = (0..s.member.len())
                .find(|&m| s.member[m])
                .map(StateId::from_index)
            else {
                return;
            };
            if !ctx.world.states.has_bandwidth(founder) {
                return;
            }
            s.partners.clear();
            s.partners.push(i);
            found(ctx, s, founder);
        }
        // The first state in: it waits for a partner (|S| = 1, no coalition yet).
        None => {}
    }
    s.member[i.index()] = true;
    s.agreement = a.with(spec, b);
    s.last_change = Some(tick);
}

/// Member `i` leaves coalition `c`; if one member is left, the coalition ends and that
/// member waits for a partner (`|S| = 1`).
fn depart<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    s: &mut RunState,
    c: CoalitionId,
    i: StateId,
    value: f64,
) {
    let Ctx {
        scenario,
        world,
        tally,
        observer,
        ..
    } = ctx;
    let tick = world.tick;
    let why = Departure::of(world, i, value);
    membership::leave(scenario, world, *observer, c, i, why);
    if world.coalition(c).members.len() < 2 {
        membership::dissolve(world, tally, *observer, c, tick + 1, EndReason::TooSmall);
        s.coalition = None;
    }
}

/// Phase 8: notices a coalition that upkeep dissolved (hazard, deadline, goal, issue
/// solved): `S` is then empty.
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    let world = &*ctx.world;
    let tick = world.tick;
    let gone = s.coalition.is_some_and(|(c, serial)| {
        let co = world.coalition(c);
        !co.active || co.serial != serial
    });
    if gone {
        s.clear();
        s.last_change = Some(tick);
    }
}

/// Whether every member of `S` prefers (weakly) to stay.
pub fn internally_stable(scenario: &Scenario, s: &RunState) -> bool {
    let spec = &scenario.behaviour.stability;
    let a = s.agreement;
    (0..s.member.len()).all(|i| !s.member[i] || !wants_to_leave(spec, &a, s.benefit[i]))
}

/// Whether no outsider that can join (bandwidth >= 1) would. `max_size` is not
/// applied: an agreement held below its stable size by the cap is reported unstable.
pub fn externally_stable(scenario: &Scenario, world: &World, s: &RunState) -> bool {
    let spec = &scenario.behaviour.stability;
    let a = s.agreement;
    (0..s.member.len()).all(|i| {
        s.member[i]
            || !eligible(scenario, world, StateId::from_index(i))
            || !wants_to_join(spec, &a, s.benefit[i])
    })
}

/// Extra `runs.csv` values, in [`run_columns`] order: the final `|S|`; 1/0 for
/// internal, external and both stabilities (checked for every member and outsider with
/// the benefits of the last tick); `Q`; the closed-form size for the states that can
/// join (NaN unless `benefit_by = "equal"`); the first tick from which `S` no longer
/// changed (0 if it never did).
pub fn run_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let spec = &scenario.behaviour.stability;
    let internal = internally_stable(scenario, s);
    let external = externally_stable(scenario, world, s);
    let n_eligible = (0..world.states.len())
        .filter(|&i| eligible(scenario, world, StateId::from_index(i)))
        .count();
    let closed = if spec.benefit_by == BenefitBy::Equal && n_eligible > 0 {
        closed_form(spec, n_eligible) as f64
    } else {
        f64::NAN
    };
    out.extend([
        s.agreement.size as f64,
        f64::from(u8::from(internal)),
        f64::from(u8::from(external)),
        f64::from(u8::from(internal && external)),
        total_abatement(spec, &s.agreement),
        closed,
        s.last_change.map_or(0.0, |t| f64::from(t) + 1.0),
    ]);
}

/// Extra `ticks.csv` values, in [`tick_columns`] order: `|S|` and `Q` after the tick.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    let spec = &scenario.behaviour.stability;
    out.push(s.agreement.size as f64);
    out.push(total_abatement(spec, &s.agreement));
}

#[cfg(test)]
mod tests {
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
                assert_eq!(closed_form(&s, n), 3);
            }
            // Two states: the pair (internal: (2 − 1)(2 − 3) < 0); one: alone.
            assert_eq!(stable(&s, 2), [2]);
            assert_eq!(stable(&s, 1), [1]);
            assert_eq!((closed_form(&s, 2), closed_form(&s, 1)), (2, 1));
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
            assert_eq!(closed_form(&s, n), k, "b {b} c {c}");
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

    #[test]
    fn ties_survive_rounding() {
        assert!(weakly_greater(0.1 + 0.2, 0.3) && weakly_greater(0.3, 0.1 + 0.2));
        assert!(!weakly_greater(1.0, 1.0 + 1e-6));
        assert!(weakly_greater(0.0, 0.0) && !weakly_greater(0.0, 1e-300));
    }
}
