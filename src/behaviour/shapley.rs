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
mod tests;
