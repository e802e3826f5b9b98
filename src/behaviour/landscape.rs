//! The `landscape` behaviour rule (MODEL.md "Behaviour rules"; docs/rules/landscape.md):
//! landscape theory of aggregation (Axelrod & Bennett 1993). Every actor `i` has a
//! size `s_i` (its share of a capability) and every pair a propensity `p_ij`
//! (symmetric; `p > 0`: they want to be together). With two sides and `d_ij = 1` if
//! `i` and `j` are apart, 0 if together,
//!
//! - frustration `F_i = Σ_{j≠i} s_j p_ij d_ij`,
//! - energy `E = Σ_i s_i F_i = Σ_{i≠j} s_i s_j p_ij d_ij` (each apart pair twice).
//!
//! With sides `x_i = ±1` and the field `u_i = Σ_{j≠i} s_j p_ij x_j`, moving `i` to the
//! other side changes its frustration by `ΔF_i = x_i u_i` and the energy by
//! `ΔE = 2 s_i ΔF_i`: a move that lowers the mover's frustration lowers the energy, so
//! one-at-a-time moves stop (E is a potential). A configuration is a local minimum
//! when no actor can lower its frustration: `x_i u_i ≥ −tol` for every `i`.
//!
//! In a run the two sides are the truth kept in [`RunState`]; on the scenario's
//! landscape issue each side with two or more actors that have spare bandwidth is a
//! `bloc` coalition, kept in step with the sides through the shared `establish`,
//! `join`, `leave` and `dissolve` (with their events). Actors with no bandwidth keep
//! their side but stay outside its coalition.
//!
//! The exact enumeration ([`enumerate_chunk`], [`merge_minima`]) and the basins of
//! attraction ([`basins`]) are pure functions for the output step and the benches.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::engine::tick::Ctx;
use crate::metrics::{Event, Observer};
use crate::model::World;
use crate::model::ids::{CoalitionId, StateId};
use crate::model::venue::{CoalitionKind, EndReason};
use crate::scenario::Scenario;

use super::RuleState;
use super::utility::{self, Founding};

/// Relative tolerance of "lowers its frustration": a move must lower `F_i` by more
/// than `TOLERANCE × max_i Σ_j |s_j p_ij|`, so rounding never makes an actor move
/// back and forth between two configurations of equal frustration.
pub const TOLERANCE: f64 = 1e-9;

/// The ChaCha stream of the basins' random starts (seeded with the scenario seed):
/// runs use streams `(point << 32) | replicate`, which never reach it.
pub const BASIN_STREAM: u64 = u64::MAX;

/// Sweeps (each actor once, in a random order) after which a descent gives up. The
/// energy falls with every move, so this is never reached in practice; it keeps the
/// core total on any input.
pub const MAX_SWEEPS: u32 = 100_000;

/// Sizes and propensities of the actors: the landscape.
#[derive(Clone, Debug, PartialEq)]
pub struct Landscape {
    /// Number of actors.
    pub n: usize,
    /// Sizes `s_i` (shares of the size capability, summing to 1 unless all are 0).
    pub size: Vec<f64>,
    /// Propensities `p_ij`, row-major `n × n`, symmetric, zero diagonal.
    pub propensity: Vec<f64>,
    /// `s_j p_ij` at `i × n + j`: the weight of `j`'s side in `i`'s frustration.
    weight: Vec<f64>,
    /// Absolute tolerance of a move ([`TOLERANCE`] times the largest `Σ_j |s_j p_ij|`).
    pub tol: f64,
}

impl Landscape {
    /// The landscape of `size` and the row-major `propensity` matrix (made symmetric
    /// as given: the caller passes a symmetric one; the diagonal is ignored).
    pub fn new(size: Vec<f64>, propensity: Vec<f64>) -> Landscape {
        let n = size.len();
        assert_eq!(propensity.len(), n * n, "propensity must be n × n");
        let mut weight = vec![0.0; n * n];
        let mut scale: f64 = 0.0;
        for i in 0..n {
            let mut row = 0.0;
            for j in 0..n {
                if i != j {
                    weight[i * n + j] = size[j] * propensity[i * n + j];
                    row += weight[i * n + j].abs();
                }
            }
            scale = scale.max(row);
        }
        Landscape {
            n,
            size,
            propensity,
            weight,
            tol: TOLERANCE * scale.max(f64::MIN_POSITIVE),
        }
    }

    /// The scenario's landscape: sizes are the actors' shares of the `size`
    /// capability; `p_ij` adds the label terms (`alike`, `shared`, `apart`) and the
    /// `propensities` file's value for the pair.
    pub fn from_scenario(scenario: &Scenario) -> Landscape {
        let spec = &scenario.behaviour.landscape;
        let states = &scenario.states;
        let n = states.len();
        let d = spec.size.index();
        let raw: Vec<f64> = states
            .iter()
            .map(|s| s.capabilities.get(d).copied().unwrap_or(0.0).max(0.0))
            .collect();
        let total: f64 = raw.iter().sum();
        let size = raw
            .iter()
            .map(|&v| if total > 0.0 { v / total } else { 0.0 })
            .collect();
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                let (a, b) = (states[i].labels, states[j].labels);
                let mut v = 0.0;
                for &(bit, w) in &spec.alike {
                    v += if (a >> bit & 1) == (b >> bit & 1) {
                        w
                    } else {
                        -w
                    };
                }
                for &(bit, w) in &spec.shared {
                    if a >> bit & b >> bit & 1 == 1 {
                        v += w;
                    }
                }
                for &(bit, w) in &spec.apart {
                    if a >> bit & b >> bit & 1 == 1 {
                        v -= w;
                    }
                }
                p[i * n + j] = v;
                p[j * n + i] = v;
            }
        }
        for &(a, b, v) in &spec.pairs {
            p[a.index() * n + b.index()] += v;
            p[b.index() * n + a.index()] += v;
        }
        Landscape::new(size, p)
    }

    /// `u_i = Σ_{j≠i} s_j p_ij x_j` with `x = +1` on side 0 and `−1` on side 1.
    pub fn field(&self, side: &[u8], i: usize) -> f64 {
        let row = &self.weight[i * self.n..(i + 1) * self.n];
        row.iter()
            .zip(side)
            .map(|(&w, &s)| if s == 0 { w } else { -w })
            .sum()
    }

    /// `ΔF_i = x_i u_i`: how `i`'s frustration changes if it moves to the other side
    /// (negative: moving lowers it).
    pub fn gain(&self, side: &[u8], i: usize) -> f64 {
        let u = self.field(side, i);
        if side[i] == 0 { u } else { -u }
    }

    /// Frustration `F_i = Σ_{j≠i} s_j p_ij d_ij`.
    pub fn frustration(&self, side: &[u8], i: usize) -> f64 {
        (0..self.n)
            .filter(|&j| j != i && side[j] != side[i])
            .map(|j| self.weight[i * self.n + j])
            .sum()
    }

    /// Energy `E = Σ_i s_i F_i`.
    pub fn energy(&self, side: &[u8]) -> f64 {
        (0..self.n)
            .map(|i| self.size[i] * self.frustration(side, i))
            .sum()
    }

    /// Whether `i` would move: moving lowers its frustration by more than `tol`.
    pub fn wants_to_move(&self, side: &[u8], i: usize) -> bool {
        self.gain(side, i) < -self.tol
    }

    /// Whether no actor can lower its frustration by moving.
    pub fn is_local_minimum(&self, side: &[u8]) -> bool {
        (0..self.n).all(|i| !self.wants_to_move(side, i))
    }

    /// Single moves until no one wants to move: each sweep visits the actors in a
    /// fresh random order (Fisher–Yates from `rng`) and moves each that wants to.
    /// Returns the number of moves. `order` is a scratch buffer.
    pub fn descend(&self, side: &mut [u8], order: &mut Vec<usize>, rng: &mut ChaCha8Rng) -> u32 {
        order.clear();
        order.extend(0..self.n);
        let mut moves = 0;
        for _ in 0..MAX_SWEEPS {
            for i in (1..self.n).rev() {
                let j = rng.random_range(0..=i as u32) as usize;
                order.swap(i, j);
            }
            let mut moved = false;
            for &i in order.iter() {
                if self.wants_to_move(side, i) {
                    side[i] ^= 1;
                    moves += 1;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        moves
    }
}

/// A configuration as bits (bit `i` set: actor `i` on side 1), normalised so that
/// actor 0 is on side 0 (a configuration and its mirror image are the same).
pub fn config_of(side: &[u8]) -> u64 {
    let flip = side.first().map_or(0, |&s| s & 1);
    side.iter()
        .enumerate()
        .fold(0, |bits, (i, &s)| bits | (u64::from((s ^ flip) & 1) << i))
}

/// The sides of configuration `config` for `n` actors.
pub fn sides_of(config: u64, n: usize, side: &mut Vec<u8>) {
    side.clear();
    side.extend((0..n).map(|i| (config >> i & 1) as u8));
}

/// A local minimum of the landscape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Minimum {
    /// The configuration ([`config_of`]).
    pub config: u64,
    /// Its energy, recomputed from scratch.
    pub energy: f64,
}

/// How many of the free actors' bits split the enumeration into chunks: `2^bits`
/// chunks (64 at most), fixed by `n` alone so that the result is the same for any
/// thread count.
pub fn chunk_bits(n: usize) -> u32 {
    (n.saturating_sub(1) as u32).min(6)
}

/// The local minima among the configurations of chunk `chunk` (of `2^chunk_bits(n)`):
/// actor 0 on side 0, the top `chunk_bits` actors set by `chunk`, the others run
/// through in Gray-code order, so each step moves one actor and updates every field
/// `u_j += 2 x_a s_a p_ja` in O(n). The local-minimum test is `x_i u_i ≥ −tol` for
/// all `i`. Energies are not computed here (see [`merge_minima`]). Needs `n ≤ 64`.
pub fn enumerate_chunk(land: &Landscape, chunk: usize) -> Vec<Minimum> {
    let n = land.n;
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let top = chunk_bits(n) as usize;
    let free = n - 1 - top;
    let mut config: u64 = (chunk as u64) << (1 + free);
    let mut side = Vec::with_capacity(n);
    sides_of(config, n, &mut side);
    let mut x: Vec<f64> = side
        .iter()
        .map(|&s| if s == 0 { 1.0 } else { -1.0 })
        .collect();
    let mut u: Vec<f64> = (0..n).map(|i| land.field(&side, i)).collect();
    let count: u64 = 1 << free;
    for g in 0..count {
        if (0..n).all(|i| x[i] * u[i] >= -land.tol) {
            out.push(Minimum {
                config,
                energy: f64::NAN,
            });
        }
        if g + 1 < count {
            let a = (g + 1).trailing_zeros() as usize + 1;
            x[a] = -x[a];
            config ^= 1 << a;
            let twice = 2.0 * x[a];
            for j in 0..n {
                u[j] += twice * land.weight[j * n + a];
            }
        }
    }
    out
}

/// The chunks' minima as one list: each energy recomputed from scratch, each
/// configuration checked again from scratch (dropping any that incremental rounding
/// let through), sorted by energy then configuration.
pub fn merge_minima(land: &Landscape, parts: Vec<Vec<Minimum>>) -> Vec<Minimum> {
    let mut side = Vec::with_capacity(land.n);
    let mut out: Vec<Minimum> = parts
        .into_iter()
        .flatten()
        .filter_map(|m| {
            sides_of(m.config, land.n, &mut side);
            land.is_local_minimum(&side).then(|| Minimum {
                config: m.config,
                energy: land.energy(&side),
            })
        })
        .collect();
    out.sort_by(|a, b| a.energy.total_cmp(&b.energy).then(a.config.cmp(&b.config)));
    out
}

/// Every local minimum, sequentially ([`enumerate_chunk`] over all chunks, then
/// [`merge_minima`]). Needs `n ≤ 64`; practical to about 30.
pub fn enumerate(land: &Landscape) -> Vec<Minimum> {
    let chunks = 1usize << chunk_bits(land.n);
    let parts = (0..chunks).map(|c| enumerate_chunk(land, c)).collect();
    merge_minima(land, parts)
}

/// Basins of attraction: from `starts` random configurations (each actor on either
/// side with probability 1/2, drawn from ChaCha8 seeded with `seed` on
/// [`BASIN_STREAM`]), [`Landscape::descend`] to a local minimum. Returns
/// `(configuration, starts that end there)`, sorted by configuration.
pub fn basins(land: &Landscape, starts: u32, seed: u64) -> Vec<(u64, u32)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(BASIN_STREAM);
    let mut side = vec![0u8; land.n];
    let mut order = Vec::with_capacity(land.n);
    let mut ends: Vec<u64> = Vec::with_capacity(starts as usize);
    for _ in 0..starts {
        for s in side.iter_mut() {
            *s = u8::from(rng.random::<bool>());
        }
        land.descend(&mut side, &mut order, &mut rng);
        ends.push(config_of(&side));
    }
    ends.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::new();
    for c in ends {
        match out.last_mut() {
            Some((last, k)) if *last == c => *k += 1,
            _ => out.push((c, 1)),
        }
    }
    out
}

/// Actors placed as observed, taking the better of the two ways to match the sides
/// with the observed ones (`observed[i]`: on the observed side marked true).
pub fn correct(side: &[u8], observed: &[bool]) -> usize {
    let agree = side
        .iter()
        .zip(observed)
        .filter(|&(&s, &o)| (s == 1) == o)
        .count();
    agree.max(side.len() - agree)
}

/// What the rule carries between ticks of one run.
#[derive(Clone, Debug)]
pub struct RunState {
    /// The landscape (built once per run from the scenario).
    pub land: Landscape,
    /// Each actor's side (0 or 1): the truth that the coalitions follow.
    pub side: Vec<u8>,
    /// Moves made so far.
    pub moves: u32,
    /// The tick of the latest move.
    pub last_move: Option<u32>,
    /// Each side's coalition and its serial (slots are reused), if it has one.
    coalition: [Option<(CoalitionId, u32)>; 2],
    /// Scratch: the members of a coalition being founded.
    partners: Vec<StateId>,
}

impl RunState {
    /// The state at the start of a run (sides are drawn in [`start`]).
    pub fn new(scenario: &Scenario) -> RunState {
        let land = Landscape::from_scenario(scenario);
        let n = land.n;
        RunState {
            land,
            side: vec![0; n],
            moves: 0,
            last_move: None,
            coalition: [None, None],
            partners: Vec::with_capacity(n),
        }
    }

    /// The tick after the latest move if the configuration is a local minimum (0 if
    /// no one ever moved), else `None` (still unsettled).
    pub fn settled_tick(&self) -> Option<u32> {
        self.land
            .is_local_minimum(&self.side)
            .then(|| self.last_move.map_or(0, |t| t + 1))
    }
}

/// Takes the rule's state out of the world for the duration of `f` (moving the
/// struct, no allocation), so that `f` may change the world and the state together.
fn with_state<O: Observer>(ctx: &mut Ctx<'_, O>, f: impl FnOnce(&mut Ctx<'_, O>, &mut RunState)) {
    let RuleState::Landscape(mut s) = std::mem::replace(&mut ctx.world.rule, RuleState::Utility)
    else {
        return;
    };
    f(ctx, &mut s);
    ctx.world.rule = RuleState::Landscape(s);
}

/// Before the first tick: each actor starts on either side with probability 1/2
/// (one draw per actor from the run's stream, so the runs are the random starts),
/// and each side with two or more eligible actors becomes a coalition.
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>) {
    with_state(ctx, |ctx, s| {
        for side in s.side.iter_mut() {
            *side = u8::from(ctx.rng.random::<bool>());
        }
        sync_side(ctx, s, 0, None);
        sync_side(ctx, s, 1, None);
    });
}

/// Phase 6: the sides' coalitions are repaired (re-founded after a hazard
/// dissolution, joined by actors that regained bandwidth), then the reviewing actors,
/// one at a time in the shuffled order, move to the other side when that lowers their
/// frustration by more than the tolerance (deterministic best reply).
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>) {
    with_state(ctx, |ctx, s| {
        sync_side(ctx, s, 0, None);
        sync_side(ctx, s, 1, None);
        super::each_reviewer(ctx, |ctx, i| {
            let a = i.index();
            if !s.land.wants_to_move(&s.side, a) {
                return;
            }
            let from = s.side[a];
            s.side[a] ^= 1;
            s.moves += 1;
            s.last_move = Some(ctx.world.tick);
            sync_side(ctx, s, from, None);
            sync_side(ctx, s, from ^ 1, Some(i));
        });
    });
}

/// The coalition of `side`, if it still exists (not dissolved, slot not reused).
fn side_coalition(world: &World, s: &RunState, side: u8) -> Option<CoalitionId> {
    let (c, serial) = s.coalition[side as usize]?;
    let co = world.coalition(c);
    (co.active && co.serial == serial).then_some(c)
}

/// Brings `side`'s coalition in line with the sides: members now on the other side
/// leave, actors on this side with spare bandwidth join (up to `max_size`), a
/// coalition left with fewer than two members is dissolved, and a side with two or
/// more eligible actors and no coalition founds one (led by `founder` if eligible,
/// else its first eligible actor) unless the issue is solved.
fn sync_side<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    s: &mut RunState,
    side: u8,
    founder: Option<StateId>,
) {
    let Ctx {
        scenario,
        world,
        tally,
        observer,
        ..
    } = ctx;
    let cs = &scenario.coalitions;
    let issue = scenario.behaviour.landscape.issue;
    let max_size = cs.max_size as usize;
    let tick = world.tick;
    let mut current = side_coalition(world, s, side);
    if let Some(c) = current {
        let mut k = 0;
        while k < world.coalition(c).members.len() {
            let m = world.coalition(c).members[k];
            if s.side[m.index()] == side {
                k += 1;
                continue;
            }
            let at_capacity = !world.states.has_bandwidth(m);
            utility::leave(scenario, world, c, m);
            // What the old side was worth to it: the frustration it saves by leaving
            // (it has moved, so going back would raise its frustration by `gain`).
            let event = Event::Left {
                state: m,
                coalition: world.coalition(c),
                value: -s.land.gain(&s.side, m.index()),
                at_capacity,
            };
            observer.on_event(tick, &event);
        }
        for j in 0..s.land.n {
            let id = StateId::from_index(j);
            if s.side[j] != side
                || world.states.is_member(id, c)
                || !world.states.has_bandwidth(id)
                || world.coalition(c).members.len() >= max_size
            {
                continue;
            }
            utility::join(scenario, world, c, id);
            let event = Event::Joined {
                state: id,
                coalition: world.coalition(c),
            };
            observer.on_event(tick, &event);
        }
        if world.coalition(c).members.len() < 2 {
            crate::engine::tick::dissolve(
                world,
                tally,
                *observer,
                c,
                tick + 1,
                EndReason::TooSmall,
            );
            world.active.retain(|&x| x != c);
            current = None;
        }
    }
    let solved =
        world.issues[issue.index()].progress >= scenario.issues[issue.index()].target - 1e-12;
    if current.is_none() && cs.enabled && !solved {
        s.partners.clear();
        for j in 0..s.land.n {
            let id = StateId::from_index(j);
            if s.side[j] == side && world.states.has_bandwidth(id) {
                s.partners.push(id);
            }
        }
        if s.partners.len() >= 2 && max_size >= 2 {
            let lead = founder
                .and_then(|f| s.partners.iter().position(|&p| p == f))
                .unwrap_or(0);
            let lead = s.partners.remove(lead);
            s.partners.truncate(max_size - 1);
            let position = world.states.position[world.states.at(lead, issue)];
            let founding = Founding {
                founder: lead,
                issue,
                kind: CoalitionKind::Bloc,
                institutionalisation: cs.institutionalisation.centre().clamp(0.0, 1.0),
                rate: 0.0,
                aim: position,
            };
            let c = utility::establish(scenario, world, tally, *observer, &founding, &s.partners);
            current = Some(c);
        }
    }
    s.coalition[side as usize] = current.map(|c| (c, world.coalition(c).serial));
}

/// Phase 8: nothing to learn (the sides are the memory).
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let _ = ctx;
}

/// Extra `runs.csv` columns: `energy` (final), `settled_tick`, `moves`,
/// `local_minimum`, `correct` and `side_<state>` per actor.
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let mut cols: Vec<String> = [
        "energy",
        "settled_tick",
        "moves",
        "local_minimum",
        "correct",
    ]
    .map(String::from)
    .to_vec();
    cols.extend(scenario.states.iter().map(|s| format!("side_{}", s.name)));
    cols
}

/// Extra `runs.csv` values, in [`run_columns`] order. `settled_tick` is NaN when the
/// final configuration is not a local minimum, `correct` without `observed`; sides
/// are normalised so that the first actor is on side 0.
pub fn run_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    out.push(s.land.energy(&s.side));
    out.push(s.settled_tick().map_or(f64::NAN, f64::from));
    out.push(f64::from(s.moves));
    out.push(if s.land.is_local_minimum(&s.side) {
        1.0
    } else {
        0.0
    });
    out.push(
        scenario
            .behaviour
            .landscape
            .observed
            .as_ref()
            .map_or(f64::NAN, |o| correct(&s.side, o) as f64),
    );
    let flip = s.side.first().copied().unwrap_or(0);
    out.extend(s.side.iter().map(|&v| f64::from(v ^ flip)));
}

/// Extra `ticks.csv` columns: `energy`.
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    vec!["energy".to_owned()]
}

/// Extra `ticks.csv` values, in [`tick_columns`] order.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = (scenario, world);
    out.push(s.land.energy(&s.side));
}
