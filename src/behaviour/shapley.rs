//! The `shapley` behaviour rule (MODEL.md "Behaviour rules"; docs/rules/shapley.md):
//! bilateral Shapley value merging of alliances, after Ketchpel (1994) and Klusch &
//! Shehory (1996).
//!
//! Every state starts alone. Each tick, every alliance (a single state counts as an
//! alliance of one) values every other with which it could merge (the union within
//! `max_size`) by its bilateral Shapley value in the two-player game `{A, B}`,
//! `φ_A = v(A) + (v(A∪B) − v(A) − v(B)) / 2`: its own worth plus half the surplus.
//! Merging beats staying apart for both exactly when the surplus is positive, and
//! since the split is equal, both rank their partners alike: the pair with the
//! largest surplus are each other's first choice. They merge and drop out of the
//! round; the rest choose again among those left, until no pair with a positive
//! surplus (above `min_gain`) remains. So pairs merge in parallel, one round per
//! tick, and alliances of alliances grow over ticks into a hierarchy (a binary tree
//! per alliance) that `hierarchy.csv` reports.
//!
//! The worth `v(S)` of an alliance on the rule's issue is a pure function of a few
//! sums over its members ([`Aggregate`]), see [`Worth::of`]: the model's own
//! (`worth = "model"`) or Mesa's (`worth = "mesa"`, the `alliance_formation` example
//! of Mesa 3.3.1, which penalises the spread of positions).
//!
//! With `matching = "mesa"` a round follows that example's matching instead
//! ([`mesa_pair`], [`mesa_best`], and the forest of [`MesaNode`]s in the run state):
//! alliances pair only within their level, stay candidates after merging, one pass
//! keeps each one's best pair by joint worth, and a pair with a side already in an
//! alliance adds the other side to that alliance.
//!
//! Engine mapping: an alliance of two or more states is a coalition on the issue.
//! A merge ends the merging coalitions (reason `merged`, at the merge tick) and founds
//! one with all their members (the founder: the member with the largest share of the
//! issue's capability), so `coalitions.csv` records every node of the hierarchy.
//! When upkeep ends an alliance (hazard, deadline, goal), its members are single
//! again and may merge anew. States with no free bandwidth or with salience below
//! `behaviour.min_salience` stay single.
//!
//! **Invariant:** no allocation per tick once buffers are sized (the merge record
//! grows only past `2 × states` merges, possible only when upkeep dissolves
//! alliances; Mesa's forest is sized for `2 × states` nodes); draws only when
//! `temperature > 0` (one per pair), under Mesa's matching one per pair whose sides
//! are both in alliances, and one institutionalisation draw per merge.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use crate::act::Ctx;
use crate::act::goods::{power, produce};
use crate::act::membership::{self, Founding};
use crate::metrics::{Event, Observer};
use crate::model::World;
use crate::model::ids::{CoalitionId, IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::scenario::shapley::{Matching, WorthKind};
pub use crate::model::scenario::shapley::{run_columns, tick_columns};
use crate::model::venue::{EndReason, MergePart};

/// The parameters of the characteristic function, per tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Worth {
    /// The issue's `efficiency`.
    pub efficiency: f64,
    /// The issue's `returns` to coverage.
    pub returns: f64,
    /// The issue's `cost` per unit of depth and capability share.
    pub cost: f64,
    /// Cost of agreement per ordered pair of members per tick
    /// (`negotiation_cost / delay`).
    pub negotiation: f64,
    /// Running cost per member of an alliance per tick.
    pub overhead: f64,
    /// Which characteristic function.
    pub kind: WorthKind,
    /// Mesa's factor on the joint power of an alliance (`worth = "mesa"`).
    pub synergy: f64,
}

/// What the worth of an alliance depends on: sums and minima over its members.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Aggregate {
    /// Sum of the members' salience of the issue.
    pub salience: f64,
    /// Depth unanimity gives: the least ambitious member's position.
    pub depth: f64,
    /// Sum of the members' shares of the issue's capability.
    pub coverage: f64,
    /// Members.
    pub size: u32,
    /// The most ambitious member's position (with `depth`, the spread that Mesa's
    /// worth penalises).
    pub top: f64,
}

impl Aggregate {
    /// A single state with salience `salience`, position `position` and capability
    /// share `share`.
    pub fn single(salience: f64, position: f64, share: f64) -> Aggregate {
        Aggregate {
            salience,
            depth: position,
            coverage: share,
            size: 1,
            top: position,
        }
    }

    /// The alliance of `self` and `other`: sums add, the depth is the lower one.
    pub fn union(&self, other: &Aggregate) -> Aggregate {
        Aggregate {
            salience: self.salience + other.salience,
            depth: self.depth.min(other.depth),
            coverage: self.coverage + other.coverage,
            size: self.size + other.size,
            top: self.top.max(other.top),
        }
    }
}

impl Worth {
    /// The characteristic function's parameters from the scenario: the issue's
    /// efficiency, returns and cost; `negotiation_cost` and `overhead` from
    /// `[behaviour.shapley]`, else from `[coalitions]` and `[payoffs]`.
    pub fn from_scenario(scenario: &Scenario) -> Worth {
        let spec = &scenario.behaviour.shapley;
        let issue = &scenario.issues[spec.issue.index()];
        let cs = &scenario.coalitions;
        Worth {
            efficiency: issue.efficiency,
            returns: issue.returns,
            cost: issue.cost,
            negotiation: spec.negotiation_cost.unwrap_or(cs.negotiation_cost)
                / f64::from(cs.delay.max(1)),
            overhead: spec.overhead.unwrap_or(scenario.payoffs.overhead),
            kind: spec.worth,
            synergy: spec.synergy,
        }
    }

    /// Worth per tick of alliance `a` (`n` members):
    ///
    /// `v(S) = (Σ sal) × efficiency × d × cov^returns − cost × d × cov
    ///         − negotiation × n (n − 1) − overhead × n`
    ///
    /// with `cov` clamped to [0, 1] in the production term (as `produce` does). The
    /// first term is the progress the alliance's measure of depth `d` makes, valued
    /// by every member at its salience (a public good inside the alliance); the
    /// second what carrying it out costs the members (`cost × d × share` each); the
    /// last two are the costs of membership, which a single state does not pay.
    ///
    /// With `worth = "mesa"` (Mesa 3.3.1, `alliance_formation`, whose agents have a
    /// power and a position, both drawn from N(0.5, 0.1) clipped to [0, 1]; here the
    /// power is the member's salience on the issue):
    ///
    /// `v({i}) = power_i`, `v(S) = synergy × Σ power × (1 − (max pos − min pos))`
    ///
    /// for `|S| ≥ 2`: a pair gains (`v(A∪B) > v(A) + v(B)`) exactly when the spread
    /// of its positions is below `1 − 1/synergy` (1/6 at Mesa's 1.2). No costs.
    pub fn of(&self, a: &Aggregate) -> f64 {
        if self.kind == WorthKind::Mesa {
            return if a.size < 2 {
                a.salience
            } else {
                mesa_joint(self.synergy, a.salience, a.top - a.depth)
            };
        }
        let gross = a.salience
            * self.efficiency
            * a.depth
            * power(a.coverage.clamp(0.0, 1.0), self.returns)
            - self.cost * a.depth * a.coverage;
        if a.size < 2 {
            gross
        } else {
            let n = f64::from(a.size);
            gross - self.negotiation * n * (n - 1.0) - self.overhead * n
        }
    }
}

/// Mesa's worth of an alliance with joint power `power` and positions spread over
/// `spread`: `power × synergy × (1 − spread)`, multiplied in Mesa's order
/// (`agents.agg("power", sum) * 1.2 * new_position`).
pub fn mesa_joint(synergy: f64, power: f64, spread: f64) -> f64 {
    power * synergy * (1.0 - spread)
}

/// Bilateral Shapley values `(φ_A, φ_B)` of the two-player game with worths `v_a`,
/// `v_b` and `v_ab` of the union: each gets its own worth plus half the surplus, so
/// `φ_A + φ_B = v_ab` (efficiency) and both gain exactly when `v_ab > v_a + v_b`.
pub fn bilateral_shapley(v_a: f64, v_b: f64, v_ab: f64) -> (f64, f64) {
    let half = (v_ab - v_a - v_b) / 2.0;
    (v_a + half, v_b + half)
}

/// A possible merge of alliances `a < b` in a round.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// What ranks the pair: the surplus, plus logit noise when `temperature > 0`.
    pub key: f64,
    /// The lower alliance index.
    pub a: u32,
    /// The higher alliance index.
    pub b: u32,
    /// `v(A∪B)`.
    pub joint: f64,
    /// `v(A∪B) − v(A) − v(B)`.
    pub surplus: f64,
}

/// One round of bilateral merging over alliances `0..values.len()` with worths
/// `values`; `joint(a, b)` is `v(A∪B)` for `a < b`, or `None` when the two may not
/// merge (too large together). Pairs with a surplus above `min_gain` (and above 0)
/// are ranked by surplus, highest first (ties: lowest `a`, then lowest `b`); with
/// `temperature > 0` by surplus plus `temperature ×` a Gumbel draw (so the first
/// pair is a logit choice). In that order a pair merges if neither side has merged
/// yet this round: each merging pair are each other's first choice among the
/// alliances still unpaired. Leaves the merging pairs, in order, in `out`.
#[allow(clippy::too_many_arguments)]
pub fn merge_round(
    values: &[f64],
    mut joint: impl FnMut(usize, usize) -> Option<f64>,
    min_gain: f64,
    temperature: f64,
    rng: &mut ChaCha8Rng,
    candidates: &mut Vec<Candidate>,
    paired: &mut Vec<bool>,
    out: &mut Vec<Candidate>,
) {
    candidates.clear();
    out.clear();
    let m = values.len();
    for a in 0..m {
        for b in a + 1..m {
            let Some(v_ab) = joint(a, b) else { continue };
            let surplus = v_ab - values[a] - values[b];
            if surplus <= min_gain.max(0.0) || surplus.is_nan() {
                continue;
            }
            let key = if temperature > 0.0 {
                let u = rng.random::<f64>().max(f64::MIN_POSITIVE);
                surplus - temperature * (-u.ln()).ln()
            } else {
                surplus
            };
            candidates.push(Candidate {
                key,
                a: a as u32,
                b: b as u32,
                joint: v_ab,
                surplus,
            });
        }
    }
    candidates.sort_unstable_by(|x, y| {
        y.key
            .total_cmp(&x.key)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    paired.clear();
    paired.resize(m, false);
    for c in candidates.iter() {
        let (a, b) = (c.a as usize, c.b as usize);
        if !paired[a] && !paired[b] {
            paired[a] = true;
            paired[b] = true;
            out.push(*c);
        }
    }
}

/// A node of Mesa's forest, as the matching sees it: its power, its position and
/// its level (0: a single state).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MesaSide {
    /// Power (a state's salience on the issue; an alliance's joint worth when it was
    /// last paired).
    pub power: f64,
    /// Position (a state's; for an alliance `1 −` the spread of the pair that last
    /// set it, as Mesa's `new_position`).
    pub position: f64,
    /// Level: 0 for a state, else the level its pair gave it.
    pub level: u32,
}

/// A pair of nodes `a < b` (indices into a level's pool) that would both gain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MesaCandidate {
    /// The lower pool index.
    pub a: u32,
    /// The higher pool index.
    pub b: u32,
    /// What the pair would be: joint power `v(A∪B)`, position `1 − spread`, level.
    pub joint: MesaSide,
}

/// Mesa's `calculate_shapley_value` for sides `x` and `y` (Mesa 3.3.1,
/// `mesa/examples/advanced/alliance_formation/model.py`):
///
/// `pos = 1 − |pos_x − pos_y|`, `U = (power_x + power_y) × synergy × pos`,
/// `φ_x = power_x / 2 + (U − power_y) / 2` (and symmetrically);
///
/// the pair is a candidate when `φ_x > power_x` and `φ_y > power_y` (both gain: the
/// bilateral Shapley value with `v` = power), with level `max(level)` if the levels
/// differ, else `level + 1`. Computed in Mesa's order of operations, so a tie at
/// the threshold falls the same way.
pub fn mesa_pair(synergy: f64, x: MesaSide, y: MesaSide) -> Option<MesaSide> {
    let position = 1.0 - (x.position.max(y.position) - x.position.min(y.position));
    // Mesa's `agents.agg("power", sum) * 1.2 * new_position`, in that order.
    let joint = (x.power + y.power) * synergy * position;
    let phi_x = 0.5 * x.power + 0.5 * (joint - y.power);
    let phi_y = 0.5 * y.power + 0.5 * (joint - x.power);
    if !(phi_x > x.power && phi_y > y.power) {
        return None;
    }
    let level = match x.level.cmp(&y.level) {
        std::cmp::Ordering::Equal => x.level + 1,
        _ => x.level.max(y.level),
    };
    Some(MesaSide {
        power: joint,
        position,
        level,
    })
}

/// Mesa's `only_best_combination`: one pass over the `candidates` (in the order
/// they were listed: pairs `(a, b)`, `a < b`, lexicographically) keeping each pool
/// node's best pair by joint power; leaves the chosen candidates' indices in `out`,
/// in Mesa's order (of its dictionary of bests). Reproduces the example exactly,
/// including what it does not intend: a pair replaces an earlier one only if its
/// joint power beats the best of each side already holding one; the replaced
/// pair's entry is removed for the side at its higher index (or lower, for the
/// second side), which may be the node itself, so the partner's entry stays and
/// both pairs go ahead (the node then takes part in two). A removal of an entry
/// already gone is skipped (Python would raise `KeyError`; not seen in 300 seeds
/// of Mesa's defaults). `best` (per pool node: candidate index and insertion
/// stamp) and `order` are scratch.
pub fn mesa_best(
    candidates: &[MesaCandidate],
    pool: usize,
    best: &mut Vec<Option<(u32, u32)>>,
    order: &mut Vec<(u32, u32)>,
    out: &mut Vec<u32>,
) {
    best.clear();
    best.resize(pool, None);
    out.clear();
    let mut stamp = 0u32;
    // Python's dict: overwriting keeps a key's place, deleting and re-adding moves it
    // to the end.
    let mut set = |best: &mut Vec<Option<(u32, u32)>>, node: u32, c: u32| {
        let slot = &mut best[node as usize];
        *slot = Some(match *slot {
            Some((_, s)) => (c, s),
            None => {
                stamp += 1;
                (c, stamp)
            }
        });
    };
    let power = |best: &[Option<(u32, u32)>], node: u32| {
        best[node as usize].map(|(c, _)| candidates[c as usize].joint.power)
    };
    for (i, c) in candidates.iter().enumerate() {
        let (a, b, u) = (c.a, c.b, c.joint.power);
        let i = i as u32;
        match (power(best, a), power(best, b)) {
            (None, None) => {}
            (Some(pa), Some(pb)) => {
                if !(u > pa && u > pb) {
                    continue;
                }
                let high = best[a as usize].map(|(o, _)| candidates[o as usize].b);
                if let Some(h) = high {
                    best[h as usize] = None;
                }
                let low = best[b as usize].map(|(o, _)| candidates[o as usize].a);
                if let Some(l) = low {
                    best[l as usize] = None;
                }
            }
            (Some(pa), None) => {
                if u.partial_cmp(&pa) != Some(std::cmp::Ordering::Greater) {
                    continue;
                }
                let (o, _) = best[a as usize].expect("a holds a pair");
                best[candidates[o as usize].b as usize] = None;
            }
            (None, Some(pb)) => {
                if u.partial_cmp(&pb) != Some(std::cmp::Ordering::Greater) {
                    continue;
                }
                let (o, _) = best[b as usize].expect("b holds a pair");
                best[candidates[o as usize].a as usize] = None;
            }
        }
        set(best, a, i);
        set(best, b, i);
    }
    order.clear();
    order.extend(best.iter().flatten().map(|&(c, s)| (s, c)));
    order.sort_unstable();
    for &(_, c) in order.iter() {
        if !out.contains(&c) {
            out.push(c);
        }
    }
}

/// One node of Mesa's forest of alliances in a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MesaNode {
    /// Power, position and level (a state's power and position are read anew each
    /// round; an alliance's are what its latest pair set).
    pub side: MesaSide,
    /// The alliance it is part of, if any.
    pub parent: Option<u32>,
    /// The state, for level 0.
    pub state: Option<StateId>,
    /// For a root alliance: its coalition and that coalition's serial.
    pub coalition: Option<(CoalitionId, u32)>,
    /// Dropped because upkeep ended the coalition of its root.
    pub gone: bool,
}

/// Mesa's forest and the matching's buffers (only with `matching = "mesa"`).
#[derive(Clone, Debug, Default)]
struct Mesa {
    nodes: Vec<MesaNode>,
    pool: Vec<u32>,
    candidates: Vec<MesaCandidate>,
    best: Vec<Option<(u32, u32)>>,
    order: Vec<(u32, u32)>,
    chosen: Vec<u32>,
    dropped: Vec<bool>,
}

impl Mesa {
    /// The root above node `n` (itself if it has no parent).
    fn root(&self, mut n: u32) -> u32 {
        while let Some(p) = self.nodes[n as usize].parent {
            n = p;
        }
        n
    }

    /// Root node `n` as a side of an engine merge: its state or its coalition.
    fn who(&self, n: u32) -> Who {
        let node = &self.nodes[n as usize];
        match (node.state, node.coalition) {
            (Some(i), _) => Who::State(i),
            (None, Some((c, _))) => Who::Coalition(c),
            (None, None) => unreachable!("a root alliance has a coalition"),
        }
    }

    /// Members of root node `n`.
    fn size(&self, world: &World, n: u32) -> usize {
        match self.who(n) {
            Who::State(_) => 1,
            Who::Coalition(c) => world.coalition(c).members.len(),
        }
    }

    /// Forgets what upkeep undid: a root whose coalition ended takes its tree with
    /// it (its alliances are gone, its states single again), and a state no longer
    /// in its root's coalition is single again.
    fn follow_upkeep(&mut self, world: &World, k: IssueId) {
        self.dropped.clear();
        for n in 0..self.nodes.len() {
            let node = self.nodes[n];
            let root = self.nodes[self.root(n as u32) as usize];
            let lost = match root.coalition {
                Some((c, serial)) => {
                    let co = world.coalition(c);
                    let ended = !(co.active && co.serial == serial);
                    let left = node
                        .state
                        .is_some_and(|i| alliance_of(world, i, k) != Some(c));
                    ended || left
                }
                None => false,
            };
            self.dropped.push(lost && !node.gone);
        }
        for n in 0..self.nodes.len() {
            if self.dropped[n] {
                let node = &mut self.nodes[n];
                if node.state.is_none() {
                    node.gone = true;
                    node.coalition = None;
                }
                node.parent = None;
            }
        }
    }
}

/// One merge of the run's hierarchy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Merge {
    /// Tick of the merge.
    pub tick: u32,
    /// The side with the lower index in the round.
    pub left: MergePart,
    /// The other side.
    pub right: MergePart,
    /// Serial of the alliance they formed.
    pub alliance: u32,
    /// Its members.
    pub size: u32,
    /// Its height in the hierarchy (1: two single states).
    pub height: u32,
    /// `v(left)`.
    pub v_left: f64,
    /// `v(right)`.
    pub v_right: f64,
    /// `v(left ∪ right)`.
    pub v_joint: f64,
}

impl Merge {
    /// `v(left ∪ right) − v(left) − v(right)`.
    pub fn surplus(&self) -> f64 {
        self.v_joint - self.v_left - self.v_right
    }
}

/// An alliance taking part in a round.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Node {
    who: Who,
    aggregate: Aggregate,
}

/// A single state or a coalition slot.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    State(StateId),
    Coalition(CoalitionId),
}

/// What the rule carries between ticks of one run.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// The issue alliances form on.
    pub issue: IssueId,
    /// The characteristic function.
    pub worth: Worth,
    /// Every merge of the run, in order.
    pub merges: Vec<Merge>,
    /// Merges in the latest tick.
    pub merged_this_tick: u32,
    /// Tick of the latest merge.
    pub last_merge: Option<u32>,
    /// Whether the latest round found no pair with a positive surplus.
    pub quiet: bool,
    /// The structure after the latest tick's upkeep.
    pub end: Snapshot,
    /// Height in the hierarchy of the alliance in each coalition slot.
    height: Vec<u32>,
    /// Reused buffers of a round (boxed: the run state sits in `RuleState`).
    buf: Box<Buffers>,
    /// Mesa's forest (only with `matching = "mesa"`; taken out during a round).
    mesa: Option<Box<Mesa>>,
}

/// A round's reused buffers.
#[derive(Clone, Debug, Default)]
struct Buffers {
    nodes: Vec<Node>,
    values: Vec<f64>,
    candidates: Vec<Candidate>,
    paired: Vec<bool>,
    pairs: Vec<Candidate>,
    members: Vec<StateId>,
}

impl RunState {
    /// The state at the start of a run, its buffers sized for the scenario.
    pub fn new(scenario: &Scenario) -> RunState {
        let n = scenario.states.len();
        let max = scenario.coalitions.max_size as usize;
        RunState {
            issue: scenario.behaviour.shapley.issue,
            worth: Worth::from_scenario(scenario),
            merges: Vec::with_capacity(2 * n),
            merged_this_tick: 0,
            last_merge: None,
            quiet: false,
            end: Snapshot {
                singletons: n as u32,
                largest: 1,
                worth: f64::NAN,
                ..Snapshot::default()
            },
            height: vec![0; n],
            buf: Box::new(Buffers {
                nodes: Vec::with_capacity(n),
                values: Vec::with_capacity(n),
                candidates: Vec::with_capacity(n * n.saturating_sub(1) / 2),
                paired: Vec::with_capacity(n),
                pairs: Vec::with_capacity(n / 2 + 1),
                members: Vec::with_capacity(max.max(2)),
            }),
            mesa: match scenario.behaviour.shapley.matching {
                Matching::Surplus => None,
                // A state per node, and at most one alliance per merge (`n − 1` until
                // upkeep breaks alliances up).
                Matching::Mesa => Some(Box::new(Mesa {
                    nodes: {
                        let mut nodes = Vec::with_capacity(2 * n);
                        nodes.extend((0..n).map(|i| MesaNode {
                            side: MesaSide::default(),
                            parent: None,
                            state: Some(StateId::from_index(i)),
                            coalition: None,
                            gone: false,
                        }));
                        nodes
                    },
                    pool: Vec::with_capacity(n),
                    candidates: Vec::with_capacity(n * n.saturating_sub(1) / 2),
                    best: Vec::with_capacity(n),
                    order: Vec::with_capacity(n),
                    chosen: Vec::with_capacity(n),
                    dropped: Vec::with_capacity(2 * n),
                })),
            },
        }
    }
}

/// Before the first tick: nothing (every state starts alone).
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let _ = ctx;
}

/// The alliance of a state on issue `k`: its coalition on `k`, if any.
fn alliance_of(world: &World, i: StateId, k: IssueId) -> Option<CoalitionId> {
    world.states.memberships[i.index()]
        .iter()
        .copied()
        .find(|&c| world.coalition(c).issue == k)
}

/// The aggregate of coalition `c`'s members on issue `k`.
fn coalition_aggregate(world: &World, c: CoalitionId, k: IssueId) -> Aggregate {
    let s = &world.states;
    let mut a = Aggregate {
        depth: f64::INFINITY,
        ..Aggregate::default()
    };
    for &m in &world.coalition(c).members {
        a = a.union(&Aggregate::single(
            world.salience(m, k),
            s.position[s.at(m, k)],
            s.share[s.at(m, k)],
        ));
    }
    a
}

/// Phase 6: one round of merging (see the module documentation).
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>, st: &mut RunState) {
    let Ctx {
        scenario,
        world,
        rng,
        tally,
        observer,
        ..
    } = ctx;
    st.merged_this_tick = 0;
    let k = st.issue;
    let cs = &scenario.coalitions;
    let solved = world.issues[k.index()].progress >= scenario.issues[k.index()].target - 1e-12;
    if cs.enabled && !solved {
        match scenario.behaviour.shapley.matching {
            Matching::Surplus => round(scenario, world, rng, tally, *observer, st),
            Matching::Mesa => mesa_round(scenario, world, rng, tally, *observer, st),
        }
    }
    st.quiet = st.merged_this_tick == 0;
}

/// Lists the alliances of this round, pairs them and carries out the merges.
fn round<O: Observer>(
    scenario: &Scenario,
    world: &mut World,
    rng: &mut ChaCha8Rng,
    tally: &mut crate::metrics::Tally,
    observer: &mut O,
    st: &mut RunState,
) {
    let k = st.issue;
    st.buf.nodes.clear();
    for &c in &world.active {
        if world.coalition(c).issue == k {
            st.buf.nodes.push(Node {
                who: Who::Coalition(c),
                aggregate: coalition_aggregate(world, c, k),
            });
        }
    }
    let s = &world.states;
    for i in 0..s.len() {
        let i = StateId::from_index(i);
        if alliance_of(world, i, k).is_none()
            && s.has_bandwidth(i)
            && world.salience(i, k) >= scenario.behaviour.min_salience
        {
            st.buf.nodes.push(Node {
                who: Who::State(i),
                aggregate: Aggregate::single(
                    world.salience(i, k),
                    s.position[s.at(i, k)],
                    s.share[s.at(i, k)],
                ),
            });
        }
    }
    st.buf.values.clear();
    for n in &st.buf.nodes {
        st.buf.values.push(st.worth.of(&n.aggregate));
    }
    let spec = &scenario.behaviour.shapley;
    let max = scenario.coalitions.max_size;
    let (nodes, worth) = (&st.buf.nodes, st.worth);
    merge_round(
        &st.buf.values,
        |a, b| {
            let u = nodes[a].aggregate.union(&nodes[b].aggregate);
            (u.size <= max).then(|| worth.of(&u))
        },
        spec.min_gain,
        spec.temperature,
        rng,
        &mut st.buf.candidates,
        &mut st.buf.paired,
        &mut st.buf.pairs,
    );
    for p in 0..st.buf.pairs.len() {
        let pair = st.buf.pairs[p];
        let (left, right) = (st.buf.nodes[pair.a as usize], st.buf.nodes[pair.b as usize]);
        let worths = [
            st.buf.values[pair.a as usize],
            st.buf.values[pair.b as usize],
            pair.joint,
        ];
        merge(
            scenario, world, rng, tally, observer, st, left.who, right.who, worths, None,
        );
    }
}

/// Merges alliances `left` and `right` (worths `[v(left), v(right), v(left ∪
/// right)]`): ends their coalitions (reason `merged`), founds the union and records
/// the merge. Its height is `height`, or 1 + the taller side's. Returns the union.
#[allow(clippy::too_many_arguments)]
fn merge<O: Observer>(
    scenario: &Scenario,
    world: &mut World,
    rng: &mut ChaCha8Rng,
    tally: &mut crate::metrics::Tally,
    observer: &mut O,
    st: &mut RunState,
    left: Who,
    right: Who,
    worths: [f64; 3],
    height: Option<u32>,
) -> CoalitionId {
    let k = st.issue;
    st.buf.members.clear();
    let mut tallest = 0;
    // Each side's members go into the union; its height feeds the new node's.
    let mut part = |who: Who, members: &mut Vec<StateId>, heights: &[u32]| match who {
        Who::State(i) => {
            members.push(i);
            MergePart::State(i)
        }
        Who::Coalition(c) => {
            let co = world.coalition(c);
            members.extend_from_slice(&co.members);
            tallest = tallest.max(heights.get(c.index()).copied().unwrap_or(0).max(1));
            MergePart::Alliance {
                serial: co.serial,
                founder: co.ever.first().copied().unwrap_or(co.leader),
                size: co.members.len() as u32,
            }
        }
    };
    let left_part = part(left, &mut st.buf.members, &st.height);
    let right_part = part(right, &mut st.buf.members, &st.height);
    let height = height.unwrap_or(tallest + 1);
    // Dissolve first: the members' bandwidth is freed before they join the union.
    for who in [left, right] {
        if let Who::Coalition(c) = who {
            membership::dissolve(world, tally, observer, c, world.tick, EndReason::Merged);
        }
    }
    let c = found_union(
        scenario,
        world,
        rng,
        tally,
        observer,
        k,
        &mut st.buf.members,
    );
    if st.height.len() <= c.index() {
        st.height.resize(c.index() + 1, 0);
    }
    st.height[c.index()] = height;
    let event = Event::AlliancesMerged {
        alliance: world.coalition(c),
        parts: [left_part, right_part],
    };
    observer.on_event(world.tick, &event);
    st.merges.push(Merge {
        tick: world.tick,
        left: left_part,
        right: right_part,
        alliance: world.coalition(c).serial,
        size: world.coalition(c).members.len() as u32,
        height,
        v_left: worths[0],
        v_right: worths[1],
        v_joint: worths[2],
    });
    st.merged_this_tick += 1;
    st.last_merge = Some(world.tick);
    c
}

/// One round of Mesa's matching (`matching = "mesa"`; Mesa 3.3.1,
/// `MultiLevelAllianceModel.step`). For each level present when the round starts,
/// lowest first, the pool is every node of that level in order of creation (single
/// states with free bandwidth and interest, states in alliances, and every alliance,
/// merged or not, including those formed earlier in this round); every pair is
/// valued ([`mesa_pair`]), [`mesa_best`] picks pairs, and each is carried out in
/// turn, as Mesa's `create_meta_agent` does:
///
/// - neither side in an alliance: a new alliance of the two (an engine merge);
/// - one side in alliance `M`: `M` takes the pair's power, position and level and
///   the other side joins it (an engine merge of `M`'s root with the other side);
/// - both: one of their two alliances, drawn with equal chances from the run's
///   stream, takes the pair's power, position and level (nobody moves).
///
/// A pair whose merge would exceed `coalitions.max_size` is skipped.
fn mesa_round<O: Observer>(
    scenario: &Scenario,
    world: &mut World,
    rng: &mut ChaCha8Rng,
    tally: &mut crate::metrics::Tally,
    observer: &mut O,
    st: &mut RunState,
) {
    let Some(mut m) = st.mesa.take() else {
        return;
    };
    let k = st.issue;
    let synergy = st.worth.synergy;
    let max = scenario.coalitions.max_size as usize;
    m.follow_upkeep(world, k);
    let top = m
        .nodes
        .iter()
        .filter(|n| !n.gone)
        .map(|n| n.side.level)
        .max()
        .unwrap_or(0);
    for level in 0..=top {
        m.pool.clear();
        let s = &world.states;
        for (idx, node) in m.nodes.iter_mut().enumerate() {
            if node.gone || node.side.level != level {
                continue;
            }
            if let Some(i) = node.state {
                let single = node.parent.is_none();
                let salience = world.salience(i, k);
                if single && !(s.has_bandwidth(i) && salience >= scenario.behaviour.min_salience) {
                    continue;
                }
                node.side = MesaSide {
                    power: salience,
                    position: s.position[s.at(i, k)],
                    level: 0,
                };
            }
            m.pool.push(idx as u32);
        }
        m.candidates.clear();
        for a in 0..m.pool.len() {
            let x = m.nodes[m.pool[a] as usize].side;
            for b in a + 1..m.pool.len() {
                let y = m.nodes[m.pool[b] as usize].side;
                if let Some(joint) = mesa_pair(synergy, x, y) {
                    m.candidates.push(MesaCandidate {
                        a: a as u32,
                        b: b as u32,
                        joint,
                    });
                }
            }
        }
        if m.candidates.is_empty() {
            continue;
        }
        let Mesa {
            candidates,
            pool,
            best,
            order,
            chosen,
            ..
        } = &mut *m;
        mesa_best(candidates, pool.len(), best, order, chosen);
        for ci in 0..m.chosen.len() {
            let c = m.candidates[m.chosen[ci] as usize];
            let (x, y) = (m.pool[c.a as usize], m.pool[c.b as usize]);
            let worths = [
                m.nodes[x as usize].side.power,
                m.nodes[y as usize].side.power,
                c.joint.power,
            ];
            match (m.nodes[x as usize].parent, m.nodes[y as usize].parent) {
                (None, None) => {
                    if m.size(world, x) + m.size(world, y) > max {
                        continue;
                    }
                    let (left, right) = (m.who(x), m.who(y));
                    let union = merge(
                        scenario,
                        world,
                        rng,
                        tally,
                        observer,
                        st,
                        left,
                        right,
                        worths,
                        Some(c.joint.level),
                    );
                    let new = m.nodes.len() as u32;
                    m.nodes.push(MesaNode {
                        side: c.joint,
                        parent: None,
                        state: None,
                        coalition: Some((union, world.coalition(union).serial)),
                        gone: false,
                    });
                    for n in [x, y] {
                        m.nodes[n as usize].parent = Some(new);
                        m.nodes[n as usize].coalition = None;
                    }
                }
                (Some(meta), None) | (None, Some(meta)) => {
                    let other = if m.nodes[x as usize].parent.is_none() {
                        x
                    } else {
                        y
                    };
                    let root = m.root(meta);
                    if m.size(world, root) + m.size(world, other) > max {
                        continue;
                    }
                    m.nodes[meta as usize].side = c.joint;
                    let (left, right) = (m.who(root), m.who(other));
                    let height = m.nodes[root as usize].side.level;
                    let union = merge(
                        scenario,
                        world,
                        rng,
                        tally,
                        observer,
                        st,
                        left,
                        right,
                        worths,
                        Some(height),
                    );
                    m.nodes[root as usize].coalition = Some((union, world.coalition(union).serial));
                    m.nodes[other as usize].parent = Some(meta);
                    m.nodes[other as usize].coalition = None;
                }
                (Some(mx), Some(my)) => {
                    // Mesa: `model.random.choice` between the two sides' alliances
                    // (listed in the arbitrary order of a Python set).
                    let meta = if rng.random_range(0..2u32) == 0 {
                        mx
                    } else {
                        my
                    };
                    m.nodes[meta as usize].side = c.joint;
                }
            }
        }
    }
    st.mesa = Some(m);
}

/// Founds the alliance of `members` on `k`: the founder is the member with the
/// largest share of the issue's capability (ties: the lowest id); a bloc if the
/// founder has labels and at least `bloc_threshold` of the others share one.
#[allow(clippy::too_many_arguments)]
fn found_union<O: Observer>(
    scenario: &Scenario,
    world: &mut World,
    rng: &mut ChaCha8Rng,
    tally: &mut crate::metrics::Tally,
    observer: &mut O,
    k: IssueId,
    members: &mut Vec<StateId>,
) -> CoalitionId {
    let s = &world.states;
    let mut f = 0;
    for (n, &m) in members.iter().enumerate() {
        let (best, this) = (members[f], m);
        let (sb, sm) = (s.share[s.at(best, k)], s.share[s.at(this, k)]);
        if sm > sb || (sm == sb && this < best) {
            f = n;
        }
    }
    let founder = members.swap_remove(f);
    members.sort_unstable();
    let cs = &scenario.coalitions;
    let kind = super::utility::coalition_kind(scenario, &s.labels, founder, members);
    let issue = &scenario.issues[k.index()];
    let u = coalition_depth_coverage(world, founder, members, k);
    let founding = Founding {
        founder,
        issue: k,
        kind,
        institutionalisation: cs.institutionalisation.draw(rng).clamp(0.0, 1.0),
        rate: produce(issue.efficiency, issue.returns, u.0, u.1) / f64::from(cs.delay.max(1)),
        aim: u.0,
    };
    membership::found(scenario, world, tally, observer, &founding, members)
}

/// `(depth, coverage)` of the founder and `others` on `k`.
fn coalition_depth_coverage(
    world: &World,
    founder: StateId,
    others: &[StateId],
    k: IssueId,
) -> (f64, f64) {
    let s = &world.states;
    let mut depth = s.position[s.at(founder, k)];
    let mut coverage = s.share[s.at(founder, k)];
    for &m in others {
        depth = depth.min(s.position[s.at(m, k)]);
        coverage += s.share[s.at(m, k)];
    }
    (depth, coverage)
}

/// Phase 8: records the structure after upkeep, so the run's values describe the
/// alliances as they stood at the end (the engine ends every coalition, reason
/// `run_ended`, before the run's values are read).
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    s.end = snapshot(ctx.world, s);
}

/// The structure at the end of a tick (see [`run_values`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// Alliances of two or more states on the issue.
    pub alliances: u32,
    /// States in none.
    pub singletons: u32,
    /// Height of the tallest alliance (0 if none).
    pub depth: u32,
    /// Size of the largest alliance (1 if none).
    pub largest: u32,
    /// `Σ v` over the alliances and the single states.
    pub worth: f64,
}

/// The structure of the world's alliances on the rule's issue now.
pub fn snapshot(world: &World, s: &RunState) -> Snapshot {
    let k = s.issue;
    let mut snap = Snapshot {
        largest: 1,
        ..Snapshot::default()
    };
    for &c in &world.active {
        let co = world.coalition(c);
        if co.issue != k {
            continue;
        }
        snap.alliances += 1;
        snap.depth = snap
            .depth
            .max(s.height.get(c.index()).copied().unwrap_or(0).max(1));
        snap.largest = snap.largest.max(co.members.len() as u32);
        snap.worth += s.worth.of(&coalition_aggregate(world, c, k));
    }
    let st = &world.states;
    for i in 0..st.len() {
        let i = StateId::from_index(i);
        if alliance_of(world, i, k).is_none() {
            snap.singletons += 1;
            snap.worth += s.worth.of(&Aggregate::single(
                world.salience(i, k),
                st.position[st.at(i, k)],
                st.share[st.at(i, k)],
            ));
        }
    }
    snap
}

/// Extra `runs.csv` values, in [`run_columns`] order: alliances of two or more
/// states at the end; states in none; merges in the run; the height of the tallest
/// alliance (0 if none); the size of the largest (1 if none); the worth of the final
/// structure (`Σ v` over alliances and single states); the surplus of all merges;
/// the tick from which no pair had a positive surplus to the end (0 if none ever
/// had, NaN if merges happened in the last round).
pub fn run_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    let surplus: f64 = s.merges.iter().map(Merge::surplus).sum();
    let settled = match (s.quiet, s.last_merge) {
        (false, _) if scenario.ticks > 0 => f64::NAN,
        (_, None) => 0.0,
        (_, Some(t)) => f64::from(t + 1),
    };
    let e = &s.end;
    out.extend([
        f64::from(e.alliances),
        f64::from(e.singletons),
        s.merges.len() as f64,
        f64::from(e.depth),
        f64::from(e.largest),
        e.worth,
        surplus,
        settled,
    ]);
}

/// Extra `ticks.csv` values, in [`tick_columns`] order: alliances of two or more
/// states after upkeep, and merges this tick.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = (scenario, world);
    out.extend([f64::from(s.end.alliances), f64::from(s.merged_this_tick)]);
}

#[cfg(test)]
mod tests {
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
}
