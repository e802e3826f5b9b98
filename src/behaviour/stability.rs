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
use crate::act::membership::{self, Departure};
use crate::metrics::Observer;
use crate::model::World;
use crate::model::ids::{CoalitionId, IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::scenario::stability::{
    BenefitBy, Moves, PayoffShape, StabilitySpec, Start, Ties,
};
pub use crate::model::scenario::stability::{run_columns, tick_columns};
use crate::model::venue::EndReason;

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
    /// `N`, the number of states in the game (`barrett` payoffs divide `b_i` by it).
    pub states: usize,
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
            states: n,
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

/// `barrett` payoffs under agreement `ag`: the gap `x = a − Q` between the saturation
/// `a` and total abatement, and each member's abatement. With `β = B_S / (N c)`,
/// `φ = (Σ_{j∉S} b_j) / (N c)` and `k = |S|` (docs/rules/stability.md derives them):
///
/// - simultaneous moves: `x = a / (1 + φ + k β)`, members `q = β x`;
/// - members leading: `x = a (1 + φ) / ((1 + φ)² + k β)`, members `q = β x / (1 + φ)`;
///
/// an outsider `j` abates `b_j x / (N c)` either way. An agreement of fewer than two
/// states is no agreement: everyone plays the Nash game (`k = 0`).
fn barrett(spec: &StabilitySpec, ag: &Agreement) -> (f64, f64) {
    let nc = ag.states.max(1) as f64 * spec.cost;
    let (b_in, k) = if ag.size >= 2 {
        (ag.benefit_in, ag.size as f64)
    } else {
        (0.0, 0.0)
    };
    let beta = b_in / nc;
    let phi = (ag.benefit_all - b_in) / nc;
    let a = spec.saturation;
    match spec.moves {
        Moves::Simultaneous => {
            let x = a / (1.0 + phi + k * beta);
            (x, beta * x)
        }
        Moves::Leader => {
            let x = a * (1.0 + phi) / ((1.0 + phi) * (1.0 + phi) + k * beta);
            (x, beta * x / (1.0 + phi))
        }
    }
}

/// An outsider's best reply under agreement `ag`: `b_j / c` (quadratic), `1` if
/// `b_j ≥ c` else `0` (linear), `b_j x / (N c)` (barrett: it depends on what the others
/// abate through `x = a − Q`).
pub fn outsider_abatement(spec: &StabilitySpec, ag: &Agreement, b: f64) -> f64 {
    match spec.payoff {
        PayoffShape::Quadratic => b / spec.cost,
        PayoffShape::Linear => f64::from(u8::from(abates_alone(spec, b))),
        PayoffShape::Barrett => b * barrett(spec, ag).0 / (ag.states.max(1) as f64 * spec.cost),
    }
}

/// Each member's abatement when the members maximise their joint payoff: a unit abated
/// by one member benefits all of them, `B_S`, so `q = B_S / c` (quadratic) or `q = 1`
/// if `B_S ≥ c` (linear; at equality they abate); for barrett see [`barrett`] (and
/// with fewer than two members, the member's own Nash reply).
pub fn member_abatement(spec: &StabilitySpec, a: &Agreement) -> f64 {
    match spec.payoff {
        PayoffShape::Quadratic => a.benefit_in / spec.cost,
        PayoffShape::Linear => f64::from(u8::from(weakly_greater(a.benefit_in, spec.cost))),
        PayoffShape::Barrett if a.size < 2 => outsider_abatement(spec, a, a.benefit_in),
        PayoffShape::Barrett => barrett(spec, a).1,
    }
}

/// Total abatement `Q`: members' plus outsiders'.
pub fn total_abatement(spec: &StabilitySpec, a: &Agreement) -> f64 {
    let members = a.size as f64 * member_abatement(spec, a);
    match spec.payoff {
        PayoffShape::Quadratic => members + (a.benefit_all - a.benefit_in) / spec.cost,
        PayoffShape::Linear => members + (a.abaters_all - a.abaters_in) as f64,
        PayoffShape::Barrett => spec.saturation - barrett(spec, a).0,
    }
}

/// `π_i` of a state with benefit `b` under agreement `a`, inside it (`member`) or
/// outside: `b_i Q − C(q_i)` (quadratic, linear) or `(b_i / N)(a Q − Q²/2) − (c/2) q_i²`
/// (barrett).
pub fn payoff(spec: &StabilitySpec, a: &Agreement, b: f64, member: bool) -> f64 {
    let q = if member {
        member_abatement(spec, a)
    } else {
        outsider_abatement(spec, a, b)
    };
    match spec.payoff {
        PayoffShape::Quadratic => b * total_abatement(spec, a) - 0.5 * spec.cost * q * q,
        PayoffShape::Linear => b * total_abatement(spec, a) - spec.cost * q,
        PayoffShape::Barrett => {
            let x = barrett(spec, a).0;
            let sat = spec.saturation;
            // a Q − Q²/2 with Q = a − x is (a² − x²) / 2.
            b / a.states.max(1) as f64 * 0.5 * (sat * sat - x * x) - 0.5 * spec.cost * q * q
        }
    }
}

/// `x ≥ y` for two payoffs, up to [`TIE`] relative to the larger of them or, under
/// linear payoffs (sums of multiples of `b` and `c`, where an exact tie is often
/// `0` against a rounding residue such as `3 × 0.1 − 0.3`), to `max(b, c)`.
fn payoff_at_least(spec: &StabilitySpec, x: f64, y: f64) -> bool {
    let floor = match spec.payoff {
        PayoffShape::Linear => spec.benefit.max(spec.cost),
        PayoffShape::Quadratic | PayoffShape::Barrett => 0.0,
    };
    x >= y - TIE * x.abs().max(y.abs()).max(floor)
}

/// Whether a member with benefit `b` leaves: strictly better off outside (`S \ {i}`,
/// the others re-optimising), under either tie convention.
pub fn wants_to_leave(spec: &StabilitySpec, a: &Agreement, b: f64) -> bool {
    let inside = payoff(spec, a, b, true);
    let outside = payoff(spec, &a.without(spec, b), b, false);
    !payoff_at_least(spec, inside, outside)
}

/// Whether an outsider with benefit `b` joins (`S ∪ {j}`): at least as well off inside
/// (`ties = "join"`) or strictly better off (`"stay"`).
pub fn wants_to_join(spec: &StabilitySpec, a: &Agreement, b: f64) -> bool {
    let inside = payoff(spec, &a.with(spec, b), b, true);
    let outside = payoff(spec, a, b, false);
    match spec.ties {
        Ties::Join => payoff_at_least(spec, inside, outside),
        Ties::Stay => !payoff_at_least(spec, outside, inside),
    }
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
    /// No outsider would join (`k = N`, or `π_out(k) > π_in(k + 1)` under `ties =
    /// "join"`, `π_out(k) ≥ π_in(k + 1)` under `"stay"`).
    pub externally_stable: bool,
}

impl SizeCheck {
    /// Internally and externally stable.
    pub fn stable(&self) -> bool {
        self.internally_stable && self.externally_stable
    }

    /// The payoffs of all `n` states together at this size.
    pub fn total_payoff(&self, n: usize) -> f64 {
        if self.k >= 2 {
            let outsiders = n - self.k;
            let out = if outsiders == 0 {
                0.0
            } else {
                outsiders as f64 * self.outsider_payoff
            };
            self.k as f64 * self.member_payoff + out
        } else {
            // No agreement: every state gets what an outsider gets (the one "member"
            // of k = 1 abates as one).
            n as f64 * self.member_payoff
        }
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

/// The closed-form stable sizes for `n ≥ 1` symmetric states that can all join, in
/// increasing order, or none where no closed form exists (`barrett` payoffs with
/// members leading: Barrett 1994 solved that game numerically too). Derivations in
/// docs/rules/stability.md; the tests check each against [`stable_sizes`].
///
/// - quadratic: `min(3, n)`; with `ties = "stay"` also 2 (`n ≥ 3`: the outsider
///   indifferent about joining a pair stays out);
/// - linear: `b ≥ c` (everyone abates anyway, so every payoff is the same): `n`, or
///   every size under `"stay"`; `b < c`: `k* = min(⌈c/b⌉, n)`, and under `"stay"` also
///   every size at which nobody would abate even with one more member (`1..=k* − 2`,
///   and `k* − 1` too when `c/b` is an integer, or `1..=n` when `⌈c/b⌉ > n`);
/// - barrett, simultaneous moves: 2 if `γN + N ≤ (2/3)(w + √(w² + 3w))` with
///   `γ = c/b`, `w = γN + 1` (the pair is internally stable), else 1 (no agreement);
///   at the boundary itself, where a member of the pair is exactly indifferent,
///   `"stay"` keeps 1 as well.
pub fn closed_form(spec: &StabilitySpec, n: usize) -> Vec<usize> {
    let stay = spec.ties == Ties::Stay;
    match spec.payoff {
        PayoffShape::Quadratic if stay && n >= 3 => vec![2, 3],
        PayoffShape::Quadratic => vec![n.min(3)],
        PayoffShape::Linear => {
            // ⌈c/b⌉, with c/b within TIE of an integer taken as that integer.
            let k = (spec.cost / spec.benefit * (1.0 - TIE)).ceil() as usize;
            if abates_alone(spec, spec.benefit) || k > n {
                return if stay { (1..=n).collect() } else { vec![n] };
            }
            if !stay {
                return vec![k];
            }
            let integer = weakly_greater(spec.cost, k as f64 * spec.benefit);
            let quiet = if integer { k - 1 } else { k.saturating_sub(2) };
            (1..=quiet).chain(std::iter::once(k)).collect()
        }
        PayoffShape::Barrett => match spec.moves {
            Moves::Leader => Vec::new(),
            Moves::Simultaneous if n < 2 => vec![n],
            Moves::Simultaneous => {
                // The inequality γN + N ≤ (2/3)(w + √(w² + 3w)) is π_in(2) ≥ π_out(1);
                // the two payoffs in closed form (x_k = a u / (u + k² + N − k),
                // members abate k x_k / u, u = γN) are compared as the exhaustive check
                // compares them, so that both treat the boundary alike.
                let (nf, a, b, c) = (n as f64, spec.saturation, spec.benefit, spec.cost);
                let u = c / b * nf;
                let x = |k: f64| a * u / (u + k * k + nf - k);
                let pay = |k: f64, q: f64| b / nf * 0.5 * (a * a - x(k) * x(k)) - 0.5 * c * q * q;
                let in_pair = pay(2.0, 2.0 * x(2.0) / u);
                let alone = pay(1.0, x(1.0) / u);
                let pair = payoff_at_least(spec, in_pair, alone);
                let none = if stay {
                    payoff_at_least(spec, alone, in_pair)
                } else {
                    !pair
                };
                [(none, 1), (pair, 2)]
                    .into_iter()
                    .filter_map(|(holds, k)| holds.then_some(k))
                    .collect()
            }
        },
    }
}

/// One row of [`by_ratio`]: the stable sizes at one cost-benefit ratio and one order
/// of moves, for symmetric states.
#[derive(Clone, Debug, PartialEq)]
pub struct RatioRow {
    /// `γ = c/b`.
    pub ratio: f64,
    /// Who moves first.
    pub moves: Moves,
    /// The sizes the exhaustive check finds stable, increasing.
    pub stable: Vec<usize>,
    /// The closed-form sizes (empty: no closed form).
    pub closed: Vec<usize>,
    /// `Q` without an agreement.
    pub abatement_none: f64,
    /// `Q` at the largest stable size.
    pub abatement_stable: f64,
    /// `Q` with every state in.
    pub abatement_full: f64,
    /// `(W(k*) − W(0)) / (W(N) − W(0))`, `W` the sum of payoffs, `k*` the largest stable
    /// size: the share of the gain from full cooperation the stable agreement gets
    /// (NaN when full cooperation gains nothing).
    pub gain_share: f64,
    /// `(W(N) − W(0)) / |W(0)|`: what full cooperation would gain over none, relative
    /// to the payoffs without an agreement (NaN when `W(0) = 0`).
    pub full_gain: f64,
    /// Whether this is the scenario's own ratio.
    pub scenario: bool,
}

/// The ratios of [`by_ratio`]: `10^(i/10)` for `i = −30..=30` (0.001 to 1000).
pub fn ratio_grid() -> Vec<f64> {
    (-30..=30)
        .map(|i| 10f64.powf(f64::from(i) / 10.0))
        .collect()
}

/// The stable sizes of `n` symmetric states against the cost-benefit ratio `c/b` (the
/// scenario's `b`, `c = ratio × b`), on [`ratio_grid`] plus the scenario's own ratio,
/// for both orders of moves (they differ only under `barrett` payoffs).
pub fn by_ratio(spec: &StabilitySpec, n: usize) -> Vec<RatioRow> {
    let own = spec.cost / spec.benefit;
    let mut ratios = ratio_grid();
    if !ratios.iter().any(|&r| (r - own).abs() <= TIE * own) {
        ratios.push(own);
        ratios.sort_by(f64::total_cmp);
    }
    let mut rows = Vec::with_capacity(2 * ratios.len());
    for moves in [Moves::Simultaneous, Moves::Leader] {
        for &ratio in &ratios {
            let s = StabilitySpec {
                cost: ratio * spec.benefit,
                moves,
                ..spec.clone()
            };
            let checks = stable_sizes(&s, n);
            let stable: Vec<usize> = checks.iter().filter(|r| r.stable()).map(|r| r.k).collect();
            let none = total_abatement(&s, &Agreement::symmetric(&s, 0, n));
            let (full, w_full) = checks
                .last()
                .map_or((none, f64::NAN), |r| (r.abatement_total, r.total_payoff(n)));
            let w_none = checks.first().map_or(f64::NAN, |r| r.total_payoff(n));
            let top = stable.last().and_then(|&k| checks.get(k - 1));
            let gain = w_full - w_none;
            rows.push(RatioRow {
                ratio,
                moves,
                closed: closed_form(&s, n),
                abatement_none: none,
                abatement_stable: top.map_or(f64::NAN, |r| r.abatement_total),
                abatement_full: full,
                gain_share: match top {
                    Some(r) if gain.abs() > TIE * w_full.abs().max(w_none.abs()) => {
                        (r.total_payoff(n) - w_none) / gain
                    }
                    _ => f64::NAN,
                },
                full_gain: if w_none == 0.0 {
                    f64::NAN
                } else {
                    gain / w_none.abs()
                },
                stable,
                scenario: (ratio - own).abs() <= TIE * own,
            });
        }
    }
    rows
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
        let mut a = Agreement {
            states: n,
            ..Agreement::default()
        };
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
    let issue = ctx.scenario.behaviour.stability.issue;
    s.coalition = Some(super::found_agreement(ctx, issue, founder, &s.partners));
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
    // Under barrett payoffs every state counts in N, so the symmetric closed form
    // needs every state able to join.
    let symmetric = spec.benefit_by == BenefitBy::Equal
        && n_eligible > 0
        && (spec.payoff != PayoffShape::Barrett || n_eligible == world.states.len());
    let closed = if symmetric {
        closed_form(spec, n_eligible)
            .last()
            .map_or(f64::NAN, |&k| k as f64)
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
mod tests;
