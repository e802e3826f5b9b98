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
//! `bloc` coalition, kept in step with the sides through the shared
//! `act::membership` `found`, `join`, `leave` and `dissolve` (with their events). Actors with no bandwidth keep
//! their side but stay outside its coalition.
//!
//! The exact enumeration ([`enumerate_chunk`], [`merge_minima`]) and the basins of
//! attraction ([`basins`]) are pure functions for the output step and the benches.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::act::Ctx;
use crate::act::membership::{self, Departure, Founding};
use crate::metrics::Observer;
use crate::model::World;
use crate::model::ids::{CoalitionId, StateId};
use crate::model::scenario::Scenario;
pub use crate::model::scenario::landscape::{run_columns, tick_columns};
use crate::model::venue::{CoalitionKind, EndReason};

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
    /// `s_a p_ja` at `a × n + j`: how much `a`'s side weighs in each `j`'s field (the
    /// transpose of `weight`, contiguous for the enumeration's update after `a` moves).
    influence: Vec<f64>,
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
        let mut influence = vec![0.0; n * n];
        for a in 0..n {
            for j in 0..n {
                influence[a * n + j] = weight[j * n + a];
            }
        }
        Landscape {
            n,
            size,
            propensity,
            weight,
            influence,
            tol: TOLERANCE * scale.max(f64::MIN_POSITIVE),
        }
    }

    /// A random landscape for benchmarks and tests: sizes uniform in [0, 1),
    /// propensities uniform in [−1, 1), from ChaCha8 seeded with `seed`.
    pub fn random(n: usize, seed: u64) -> Landscape {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let size: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                let v = 2.0 * rng.random::<f64>() - 1.0;
                p[i * n + j] = v;
                p[j * n + i] = v;
            }
        }
        Landscape::new(size, p)
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

    /// Every actor's field `u_i` into `u` (O(n²): once per run; moves then update it
    /// with [`Landscape::moved`]).
    pub fn fields(&self, side: &[u8], u: &mut Vec<f64>) {
        u.clear();
        u.extend((0..self.n).map(|i| self.field(side, i)));
    }

    /// Updates the fields `u` after actor `a` moved to the side `x_a` (+1: side 0,
    /// −1: side 1): `u_j += 2 x_a s_a p_ja`, O(n).
    pub fn moved(&self, u: &mut [f64], a: usize, x_a: f64) {
        let twice = 2.0 * x_a;
        for (uj, &w) in u
            .iter_mut()
            .zip(&self.influence[a * self.n..(a + 1) * self.n])
        {
            *uj += twice * w;
        }
    }

    /// `ΔF_i = x_i u_i`: how `i`'s frustration changes if it moves to the other side
    /// (negative: moving lowers it).
    pub fn gain(&self, side: &[u8], i: usize) -> f64 {
        let u = self.field(side, i);
        if side[i] == 0 { u } else { -u }
    }

    /// Frustration `F_i = Σ_{j≠i} s_j p_ij d_ij`.
    pub fn frustration(&self, side: &[u8], i: usize) -> f64 {
        let row = &self.weight[i * self.n..(i + 1) * self.n];
        row.iter()
            .zip(side)
            .filter(|&(_, &s)| s != side[i])
            .map(|(&w, _)| w)
            .sum()
    }

    /// Energy `E = Σ_i s_i F_i` (`+ 0.0` turns a negative zero, which an
    /// all-together configuration can sum to, into 0 for the output files).
    pub fn energy(&self, side: &[u8]) -> f64 {
        (0..self.n)
            .map(|i| self.size[i] * self.frustration(side, i))
            .sum::<f64>()
            + 0.0
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
    /// Returns the number of moves. `order` and `field` are scratch buffers (the fields
    /// are computed once, O(n²), then kept move by move, O(n) a move).
    pub fn descend(
        &self,
        side: &mut [u8],
        order: &mut Vec<usize>,
        field: &mut Vec<f64>,
        rng: &mut ChaCha8Rng,
    ) -> u32 {
        order.clear();
        order.extend(0..self.n);
        self.fields(side, field);
        let mut moves = 0;
        for _ in 0..MAX_SWEEPS {
            for i in (1..self.n).rev() {
                let j = rng.random_range(0..=i as u32) as usize;
                order.swap(i, j);
            }
            let mut moved = false;
            for &i in order.iter() {
                let x = if side[i] == 0 { 1.0 } else { -1.0 };
                if x * field[i] < -self.tol {
                    side[i] ^= 1;
                    self.moved(field, i, -x);
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
/// actor 0 is on side 0 (a configuration and its mirror image are the same). For at
/// most 64 actors (the enumeration's limit); [`normalised`] serves any number.
pub fn config_of(side: &[u8]) -> u64 {
    debug_assert!(side.len() <= 64, "config_of takes at most 64 actors");
    let flip = side.first().map_or(0, |&s| s & 1);
    side.iter()
        .take(64)
        .enumerate()
        .fold(0, |bits, (i, &s)| bits | (u64::from((s ^ flip) & 1) << i))
}

/// The sides with actor 0 on side 0 (the mirror image flipped), for any number of
/// actors: the key by which runs and starts are grouped.
pub fn normalised(side: &[u8]) -> Vec<u8> {
    let flip = side.first().map_or(0, |&s| s & 1);
    side.iter().map(|&s| (s ^ flip) & 1).collect()
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
/// through in Gray-code order, so each step moves one actor `a` and updates every
/// field `u_j += 2 x_a s_a p_ja` in O(n). The local-minimum test is `x_i u_i ≥ −tol` for
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
            land.moved(&mut u, a, x[a]);
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
/// `(configuration, starts that end there)` with configurations [`normalised`],
/// sorted (lexicographically, actor 0 first). Cost `O(starts × (N² + moves × N))`.
pub fn basins(land: &Landscape, starts: u32, seed: u64) -> Vec<(Vec<u8>, u32)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(BASIN_STREAM);
    let mut side = vec![0u8; land.n];
    let mut order = Vec::with_capacity(land.n);
    let mut field = Vec::with_capacity(land.n);
    let mut ends: Vec<Vec<u8>> = Vec::with_capacity(starts as usize);
    for _ in 0..starts {
        for s in side.iter_mut() {
            *s = u8::from(rng.random::<bool>());
        }
        land.descend(&mut side, &mut order, &mut field, &mut rng);
        ends.push(normalised(&side));
    }
    ends.sort_unstable();
    let mut out: Vec<(Vec<u8>, u32)> = Vec::new();
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
    /// Each actor's field `u_i` under `side`, kept up to date move by move, so that a
    /// review costs O(1) and a move O(n) (not O(n) and O(n²)).
    field: Vec<f64>,
    /// The energy of `side`, recomputed from scratch at the end of a tick with moves
    /// (so a settled run costs nothing per tick, and the value is exact).
    pub energy: f64,
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
            field: Vec::with_capacity(n),
            energy: 0.0,
            moves: 0,
            last_move: None,
            coalition: [None, None],
            partners: Vec::with_capacity(n),
        }
    }

    /// [`Landscape::gain`] of actor `a` from the kept field, O(1).
    fn gain(&self, a: usize) -> f64 {
        if self.side[a] == 0 {
            self.field[a]
        } else {
            -self.field[a]
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

/// Before the first tick: each actor starts on either side with probability 1/2
/// (one draw per actor from the run's stream, so the runs are the random starts),
/// and each side with two or more eligible actors becomes a coalition.
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    for side in s.side.iter_mut() {
        *side = u8::from(ctx.rng.random::<bool>());
    }
    s.land.fields(&s.side, &mut s.field);
    s.energy = s.land.energy(&s.side);
    sync_side(ctx, s, 0, None);
    sync_side(ctx, s, 1, None);
}

/// Phase 6: the sides' coalitions are repaired (re-founded after a hazard
/// dissolution, joined by actors that regained bandwidth), then the reviewing actors,
/// one at a time in the shuffled order, move to the other side when that lowers their
/// frustration by more than the tolerance (deterministic best reply).
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    sync_side(ctx, s, 0, None);
    sync_side(ctx, s, 1, None);
    let moves = s.moves;
    super::each_reviewer(ctx, |ctx, i| {
        let a = i.index();
        if s.gain(a) >= -s.land.tol {
            return;
        }
        let from = s.side[a];
        s.side[a] ^= 1;
        s.land
            .moved(&mut s.field, a, if from == 0 { -1.0 } else { 1.0 });
        s.moves += 1;
        s.last_move = Some(ctx.world.tick);
        sync_side(ctx, s, from, None);
        sync_side(ctx, s, from ^ 1, Some(i));
    });
    if s.moves != moves {
        s.energy = s.land.energy(&s.side);
    }
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
            // What the old side was worth to it: the frustration it saves by leaving
            // (it has moved, so going back would raise its frustration by `gain`).
            let why = Departure {
                value: -s.gain(m.index()),
                // It leaves because it moved, never for want of bandwidth.
                at_capacity: false,
            };
            membership::leave(scenario, world, *observer, c, m, why);
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
            membership::join(scenario, world, *observer, c, id);
        }
        if world.coalition(c).members.len() < 2 {
            membership::dissolve(world, tally, *observer, c, tick + 1, EndReason::TooSmall);
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
            let c = membership::found(scenario, world, tally, *observer, &founding, &s.partners);
            current = Some(c);
        }
    }
    s.coalition[side as usize] = current.map(|c| (c, world.coalition(c).serial));
}

/// Phase 8: nothing to learn (the sides are the memory).
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let _ = ctx;
}

/// Extra `runs.csv` values, in [`run_columns`] order. `settled_tick` is NaN when the
/// final configuration is not a local minimum, `correct` without `observed`; sides
/// are normalised so that the first actor is on side 0.
pub fn run_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    let settled = s.settled_tick();
    out.push(s.energy);
    out.push(settled.map_or(f64::NAN, f64::from));
    out.push(f64::from(s.moves));
    out.push(if settled.is_some() { 1.0 } else { 0.0 });
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

/// Extra `ticks.csv` values, in [`tick_columns`] order.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = (scenario, world);
    out.push(s.energy);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviour::RuleState;
    use crate::engine::Simulation;
    use crate::engine::rng::RunKey;
    use crate::metrics::Discard;
    use std::path::Path;

    /// Four actors of sizes 0.4, 0.3, 0.2, 0.1 with
    /// `p01 = −1, p02 = −1, p03 = 2, p12 = −2, p13 = 1, p23 = −1`, so
    /// `J_ij = s_i s_j p_ij`: J01 = −0.12, J02 = −0.08, J03 = 0.08, J12 = −0.12,
    /// J13 = 0.03, J23 = −0.02, and `E = 2 Σ_{i<j apart} J_ij`. With actor 0 on side 0,
    /// the eight configurations (the actors on side 1) have energies
    ///
    /// | side 1 | pairs apart      | E                                   |
    /// |--------|------------------|-------------------------------------|
    /// | none   | none             | 0                                   |
    /// | 1      | 01 12 13         | 2 (−0.12 − 0.12 + 0.03) = −0.42     |
    /// | 2      | 02 12 23         | 2 (−0.08 − 0.12 − 0.02) = −0.44     |
    /// | 3      | 03 13 23         | 2 (0.08 + 0.03 − 0.02) = 0.18       |
    /// | 1 2    | 01 02 13 23      | 2 (−0.12 − 0.08 + 0.03 − 0.02) = −0.38 |
    /// | 1 3    | 01 03 12 23      | 2 (−0.12 + 0.08 − 0.12 − 0.02) = −0.36 |
    /// | 2 3    | 02 03 12 13      | 2 (−0.08 + 0.08 − 0.12 + 0.03) = −0.18 |
    /// | 1 2 3  | 01 02 03         | 2 (−0.12 − 0.08 + 0.08) = −0.24     |
    ///
    /// A single move changes one actor's side (moving actor 0 is the mirror image:
    /// side 1 becomes the complement). {2} (−0.44: its neighbours {}, {1 2}, {2 3} and
    /// {1 3} are 0, −0.38, −0.18, −0.36) is the global minimum; {1} (−0.42: neighbours
    /// 0, −0.38, −0.36, −0.18) is a second local minimum; every other configuration
    /// has a lower neighbour.
    fn four() -> Landscape {
        let p = [
            [0.0, -1.0, -1.0, 2.0],
            [-1.0, 0.0, -2.0, 1.0],
            [-1.0, -2.0, 0.0, -1.0],
            [2.0, 1.0, -1.0, 0.0],
        ];
        Landscape::new(vec![0.4, 0.3, 0.2, 0.1], p.concat())
    }

    const FOUR_ENERGIES: [(u64, f64); 8] = [
        (0b0000, 0.0),
        (0b0010, -0.42),
        (0b0100, -0.44),
        (0b1000, 0.18),
        (0b0110, -0.38),
        (0b1010, -0.36),
        (0b1100, -0.18),
        (0b1110, -0.24),
    ];

    #[test]
    fn four_actor_energies_are_the_hand_worked_ones() {
        let land = four();
        let mut side = Vec::new();
        for (config, e) in FOUR_ENERGIES {
            sides_of(config, 4, &mut side);
            assert!((land.energy(&side) - e).abs() < 1e-12, "{config:b}");
        }
        // Frustrations in {2}: F_0 = s_2 p_02 = −0.2, F_1 = s_2 p_12 = −0.4,
        // F_2 = 0.4 × −1 + 0.3 × −2 + 0.1 × −1 = −1.1, F_3 = s_2 p_32 = −0.2;
        // Σ s_i F_i = −0.08 − 0.12 − 0.22 − 0.02 = −0.44.
        sides_of(0b0100, 4, &mut side);
        for (i, f) in [-0.2, -0.4, -1.1, -0.2].into_iter().enumerate() {
            assert!((land.frustration(&side, i) - f).abs() < 1e-12, "F_{i}");
        }
    }

    #[test]
    fn four_actor_enumeration_finds_exactly_the_two_local_minima() {
        let minima = enumerate(&four());
        assert_eq!(minima.len(), 2, "{minima:?}");
        assert_eq!(minima[0].config, 0b0100);
        assert!((minima[0].energy + 0.44).abs() < 1e-12);
        assert_eq!(minima[1].config, 0b0010);
        assert!((minima[1].energy + 0.42).abs() < 1e-12);
    }

    #[test]
    fn descent_from_every_start_ends_in_a_local_minimum() {
        let land = four();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (mut order, mut field) = (Vec::new(), Vec::new());
        let mut reached = [0u32; 2];
        for start in 0..16u64 {
            for _ in 0..20 {
                let mut side = Vec::new();
                sides_of(start, 4, &mut side);
                land.descend(&mut side, &mut order, &mut field, &mut rng);
                let end = config_of(&side);
                assert!(end == 0b0100 || end == 0b0010, "{start:b} ended in {end:b}");
                reached[usize::from(end == 0b0010)] += 1;
            }
        }
        // Both minima have a basin: from {1 2} (−0.38) actor 1 moving gives {2},
        // actor 2 moving gives {1}.
        assert!(reached[0] > 0 && reached[1] > 0, "{reached:?}");
    }

    /// Brute force: every configuration's energy from scratch, and a local minimum
    /// is one that no single move (actor 0's move is the mirror image) lowers.
    fn brute_force(land: &Landscape) -> Vec<Minimum> {
        let n = land.n;
        let energy_of = |c: u64| {
            let mut side = Vec::new();
            sides_of(c, n, &mut side);
            land.energy(&side)
        };
        let mask = (1u64 << n) - 1;
        let mut out = Vec::new();
        for c in (0..1u64 << n).filter(|c| c & 1 == 0) {
            let e = energy_of(c);
            let stable = (0..n).all(|k| {
                let mut d = c ^ (1 << k);
                if d & 1 == 1 {
                    d ^= mask;
                }
                // ΔE = 2 s_k ΔF_k: with s_k > 0 "lowers F_k" is "lowers E".
                energy_of(d) >= e - 2.0 * land.size[k] * land.tol
            });
            if stable {
                out.push(Minimum {
                    config: c,
                    energy: e,
                });
            }
        }
        out.sort_by(|a, b| a.energy.total_cmp(&b.energy).then(a.config.cmp(&b.config)));
        out
    }

    #[test]
    fn enumeration_agrees_with_brute_force_on_random_landscapes() {
        for trial in 0..60 {
            let n = 1 + trial % 10;
            let land = Landscape::random(n, 42 + trial as u64);
            let fast = enumerate(&land);
            let slow = brute_force(&land);
            assert_eq!(fast.len(), slow.len(), "n = {n}, trial {trial}");
            for (a, b) in fast.iter().zip(&slow) {
                assert_eq!(a.config, b.config, "n = {n}, trial {trial}");
                assert!((a.energy - b.energy).abs() < 1e-12);
            }
            assert!(!fast.is_empty(), "the global minimum is always a local one");
        }
    }

    #[test]
    fn chunks_partition_the_configurations() {
        // Every configuration is a local minimum when all propensities are 0, so the
        // chunks together must list each of the 2^(n-1) exactly once.
        for n in 1..=9 {
            let land = Landscape::new(vec![1.0; n], vec![0.0; n * n]);
            let mut all: Vec<u64> = (0..1usize << chunk_bits(n))
                .flat_map(|c| enumerate_chunk(&land, c))
                .map(|m| m.config)
                .collect();
            all.sort_unstable();
            let expected: Vec<u64> = (0..1u64 << n).filter(|c| c & 1 == 0).collect();
            assert_eq!(all, expected, "n = {n}");
        }
    }

    #[test]
    fn every_move_lowers_the_energy_by_twice_size_times_gain() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for trial in 0..50 {
            let n = 8;
            let land = Landscape::random(n, 100 + trial);
            let mut side: Vec<u8> = (0..n).map(|_| u8::from(rng.random::<bool>())).collect();
            let mut e = land.energy(&side);
            for _ in 0..100 {
                let i = rng.random_range(0..n as u32) as usize;
                if !land.wants_to_move(&side, i) {
                    continue;
                }
                let expected = e + 2.0 * land.size[i] * land.gain(&side, i);
                side[i] ^= 1;
                let after = land.energy(&side);
                assert!((after - expected).abs() < 1e-12);
                assert!(after < e, "a move raised the energy");
                e = after;
            }
        }
    }

    #[test]
    fn correct_takes_the_better_labelling() {
        let observed = [true, true, false, false, false];
        assert_eq!(correct(&[1, 1, 0, 0, 0], &observed), 5);
        assert_eq!(correct(&[0, 0, 1, 1, 1], &observed), 5);
        // Agrees on actors 0, 2, 3 (3 of 5); the mirror labelling agrees on 2.
        assert_eq!(correct(&[1, 0, 0, 0, 1], &observed), 3);
    }

    #[test]
    fn configurations_are_normalised_to_actor_zero_on_side_zero() {
        assert_eq!(config_of(&[0, 1, 1, 0]), 0b0110);
        assert_eq!(config_of(&[1, 0, 0, 1]), 0b0110);
        assert_eq!(normalised(&[1, 0, 0, 1]), [0, 1, 1, 0]);
        // Beyond 64 actors only the normalised sides serve.
        let mut many = vec![1u8; 70];
        many[69] = 0;
        let key = normalised(&many);
        assert_eq!((key[0], key[68], key[69]), (0, 0, 1));
    }

    #[test]
    fn basins_count_every_start_and_are_reproducible() {
        let land = four();
        let a = basins(&land, 1000, 11);
        assert_eq!(a, basins(&land, 1000, 11));
        assert_eq!(a.iter().map(|&(_, k)| k).sum::<u32>(), 1000);
        let configs: Vec<&[u8]> = a.iter().map(|(c, _)| c.as_slice()).collect();
        // {2} (C alone) sorts before {1} (B alone): [0, 0, 1, 0] < [0, 1, 0, 0].
        assert_eq!(configs, [[0, 0, 1, 0], [0, 1, 0, 0]]);
    }

    /// The four-actor landscape as a scenario: states A–D with gdp 4, 3, 2, 1 and the
    /// propensities of [`four`] put in directly.
    fn scenario(d_bandwidth: u32) -> Scenario {
        scenario_with(d_bandwidth, 0.0)
    }

    fn scenario_with(d_bandwidth: u32, hazard: f64) -> Scenario {
        let mut text = format!(
            "[scenario]\nname = \"t\"\nticks = 12\n[world]\ncapabilities = [\"gdp\"]\n[defaults]\nsalience = 0.8\nposition = 0.5\nbandwidth = 1\n[[issues]]\nname = \"align\"\ncapability = \"gdp\"\n[coalitions]\nmax_size = 4\nhazard_bloc = {hazard:?}\ninstitution_protection = 0.0\n[behaviour]\nrule = \"landscape\"\nreview_rate = 1.0\n",
        );
        for (name, gdp) in [("A", 4.0), ("B", 3.0), ("C", 2.0), ("D", 1.0)] {
            text.push_str(&format!(
                "[[states]]\nname = \"{name}\"\ncapabilities = {{ gdp = {gdp} }}\n"
            ));
        }
        text.push_str(&format!("bandwidth = {d_bandwidth}\n"));
        let mut s = Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
            .expect("valid")
            .scenario;
        let land = four();
        for i in 0..4 {
            for j in (i + 1)..4 {
                s.behaviour.landscape.pairs.push((
                    StateId::from_index(i),
                    StateId::from_index(j),
                    land.propensity[i * 4 + j],
                ));
            }
        }
        s
    }

    /// Run `replicate` of `s` played to the end, checking after every tick the
    /// world's invariants and that the kept fields and energy are those of the sides
    /// computed from scratch.
    fn play(s: &Scenario, replicate: u32) -> Simulation<'_> {
        let mut sim = Simulation::new(
            s,
            RunKey {
                point: 0,
                replicate,
            },
        );
        while !sim.done() {
            sim.step(&mut Discard);
            sim.world().check_invariants(s).expect("invariants hold");
            let RuleState::Landscape(st) = sim.rule() else {
                panic!("landscape state")
            };
            for i in 0..st.land.n {
                assert!((st.field[i] - st.land.field(&st.side, i)).abs() < 1e-12);
            }
            assert_eq!(st.energy, st.land.energy(&st.side));
        }
        sim
    }

    #[test]
    fn runs_settle_in_a_local_minimum_with_the_sides_as_coalitions() {
        let s = scenario(1);
        assert_eq!(Landscape::from_scenario(&s), four());
        for replicate in 0..20 {
            let sim = play(&s, replicate);
            let world = sim.world();
            let RuleState::Landscape(st) = sim.rule() else {
                panic!("landscape state")
            };
            let end = config_of(&st.side);
            assert!(end == 0b0100 || end == 0b0010, "ended in {end:b}");
            assert!(st.settled_tick().is_some());
            // The side of three is one coalition on the issue; the lone actor is in none.
            assert_eq!(world.active.len(), 1);
            let members = &world.coalition(world.active[0]).members;
            assert_eq!(members.len(), 3);
            let lone = if end == 0b0100 { 2 } else { 1 };
            assert!(members.iter().all(|m| m.index() != lone));
            let mut values = Vec::new();
            run_values(&s, world, st, &mut values);
            assert_eq!(values.len(), run_columns(&s).len());
            assert!((values[0] - if end == 0b0100 { -0.44 } else { -0.42 }).abs() < 1e-12);
            assert_eq!(values[3], 1.0, "local minimum");
            assert!(values[4].is_nan(), "no observed alignment");
            assert_eq!(values[5], 0.0, "actor 0 is on side 0 after normalising");
        }
    }

    #[test]
    fn an_actor_without_bandwidth_keeps_its_side_outside_the_coalition() {
        // D (bandwidth 0) is on the three-actor side in both minima, but cannot join.
        let s = scenario(0);
        for replicate in 0..10 {
            let sim = play(&s, replicate);
            let world = sim.world();
            let RuleState::Landscape(st) = sim.rule() else {
                panic!("landscape state")
            };
            let end = config_of(&st.side);
            assert!(end == 0b0100 || end == 0b0010, "ended in {end:b}");
            assert_eq!(world.active.len(), 1);
            let members = &world.coalition(world.active[0]).members;
            assert_eq!(members.len(), 2);
            assert!(members.iter().all(|m| m.index() != 3));
        }
    }

    #[test]
    fn a_side_refounds_its_coalition_after_the_hazard_dissolves_it() {
        // hazard_bloc = 1: phase 7 dissolves every coalition every tick; phase 6 of
        // the next tick founds the side's coalition again, so there is one founding
        // per tick at least (12 ticks).
        let s = scenario_with(1, 1.0);
        let mut sim = Simulation::new(&s, RunKey::default());
        let mut observer = Discard;
        while !sim.done() {
            sim.step(&mut observer);
            sim.world().check_invariants(&s).expect("invariants hold");
        }
        assert!(sim.world().next_serial >= 12, "{}", sim.world().next_serial);
    }
}
