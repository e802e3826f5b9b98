//! The `club` behaviour rule (docs/rules/club.md): Nordhaus's climate club ("Climate
//! Clubs: Overcoming Free-riding in International Climate Policy", American Economic
//! Review 105(4), 2015), a static one-period coalition game of regions, as coded by
//! the public replication the shipped data comes from (github qstaudinger/Climate-Clubs,
//! `02_Replication.R`).
//!
//! **Payoffs.** Region `i` (GDP `Y_i`, billion US$; CO2 `E_i`, Mt; abatement cost
//! coefficient `a_i = cost_scale × alpha_i`) sets a carbon price `p_i`: the club's
//! target price `P` if it is a member, else its own social cost of carbon
//! `SCC × Y_i / ΣY` (the global SCC split by shares of world output). It abates the
//! share `μ_i` of its emissions that equates marginal cost and price, with cost
//! `C_i = a_i Y_i μ_i^θ`, so `μ_i = (p_i E_i / (1000 θ a_i Y_i))^(1/(θ−1))` (capped
//! at 1 with `cap_abatement`). Damages fall with global abatement `A = Σ_j μ_j E_j`:
//! region `i` gains `SCC × Y_i / ΣY × A / 1000`. Trade: every member `j` levies the
//! tariff `t` on its imports `M_{ji}` from every non-member `i`; `j` gains
//! `(α_j t − β_j t²) M_{ji}` (terms of trade less the efficiency loss), `i` loses
//! `α_j t M_{ji}` (with `retaliation`, non-members levy the same on members). The
//! payoff is trade effect + climate benefit − abatement cost, billion US$ a year.
//!
//! **Stability.** A coalition is Nash stable if no region strictly gains by changing
//! its status alone (no member by leaving, no outsider by joining), and group stable
//! (Nordhaus's coalition Nash equilibrium, as the replication tests it) if no set of
//! regions all of whose members strictly gain by changing status together exists.
//! Each run is one start of the evolutionary search: a random starting coalition, then
//! `proposals_per_tick` proposals a tick, each flipping a random subset of regions
//! (`proposal = "group"`: each with probability 1/2; `"single"`: one region), accepted
//! only if every flipped region gains. Up to
//! [`MAX_EXHAUSTIVE`] regions, every coalition is checked at the end of a run.
//!
//! In the engine the club is one coalition on the issue, kept equal to the rule's
//! coalition through [`crate::act::membership`] (a region with no bandwidth plays the
//! game but is not in the engine's coalition).

use rand::RngExt;

use crate::act::Ctx;
use crate::act::membership::{self, Departure};
use crate::metrics::Observer;
use crate::model::World;
use crate::model::ids::{CoalitionId, StateId};
use crate::model::scenario::Scenario;
use crate::model::scenario::club::{ClubSpec, MAX_EXHAUSTIVE, Proposal, Ties};
pub use crate::model::scenario::club::{run_columns, tick_columns};
use crate::model::venue::EndReason;

/// Absolute tolerance (billion US$) under which a gain counts as zero.
pub const TIE: f64 = 1e-9;

/// The club game of one scenario: every region's data and both of its abatement
/// choices (in and out), computed once.
#[derive(Clone, Debug, Default)]
pub struct Economy {
    /// Number of regions.
    pub n: usize,
    /// Tariff rate.
    tariff: f64,
    /// Retaliation by non-members.
    retaliation: bool,
    /// Exports `i → j` (imports of `j` from `i`), billion US$, at `i * n + j`.
    flows: Vec<f64>,
    /// Terms-of-trade coefficient `α_j` of each importer.
    tot: Vec<f64>,
    /// Efficiency-loss coefficient `β_j` of each importer.
    eff: Vec<f64>,
    /// Each region's own SCC share `Y_i / ΣY` times the global SCC, $ per tCO2.
    pub scc_own: Vec<f64>,
    /// CO2 emissions, Mt.
    pub emissions: Vec<f64>,
    /// Carbon price in and out of the club.
    pub price: [Vec<f64>; 2],
    /// Abatement rate in and out.
    pub mu: [Vec<f64>; 2],
    /// Abatement cost in and out, billion US$.
    pub cost: [Vec<f64>; 2],
}

/// One region's outcome under a coalition.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Carbon price, $ per tCO2.
    pub price: f64,
    /// Abatement rate `μ`.
    pub mu: f64,
    /// Abatement cost, billion US$.
    pub cost: f64,
    /// Avoided damages from global abatement, billion US$.
    pub benefit: f64,
    /// Trade effect of the tariffs, billion US$.
    pub trade: f64,
    /// `trade + benefit − cost`.
    pub payoff: f64,
}

/// Abatement rate equating marginal cost `θ a Y μ^(θ−1) / E` (×1000, $ per t) and the
/// price `p`.
pub fn abatement_rate(p: f64, e: f64, a: f64, y: f64, theta: f64, cap: bool) -> f64 {
    let ay = a * y;
    let mu = if ay <= 0.0 {
        1.0
    } else {
        (p * e / (1000.0 * theta * ay)).powf(1.0 / (theta - 1.0))
    };
    if cap { mu.min(1.0) } else { mu }
}

impl Economy {
    /// The game of `spec` on `scenario`'s states (their capabilities and `[trade]`).
    pub fn new(scenario: &Scenario, spec: &ClubSpec) -> Economy {
        let n = scenario.states.len();
        let cap = |s: usize, c: crate::model::ids::CapId| {
            scenario.states[s]
                .capabilities
                .get(c.index())
                .copied()
                .unwrap_or(0.0)
        };
        let y: Vec<f64> = (0..n).map(|i| cap(i, spec.gdp)).collect();
        let e: Vec<f64> = (0..n).map(|i| cap(i, spec.emissions)).collect();
        let a: Vec<f64> = (0..n)
            .map(|i| spec.cost_scale * cap(i, spec.cost_coefficient))
            .collect();
        let world_y: f64 = y.iter().sum();
        let scc = spec.scc();
        let scc_own: Vec<f64> = y
            .iter()
            .map(|&yi| {
                if world_y > 0.0 {
                    scc * yi / world_y
                } else {
                    0.0
                }
            })
            .collect();
        let theta = spec.cost_exponent;
        let mut price = [vec![spec.target_price; n], scc_own.clone()];
        // A member never prices carbon below its own SCC.
        for i in 0..n {
            price[0][i] = price[0][i].max(scc_own[i]);
        }
        let mu: [Vec<f64>; 2] = [0, 1].map(|k| {
            (0..n)
                .map(|i| abatement_rate(price[k][i], e[i], a[i], y[i], theta, spec.cap_abatement))
                .collect()
        });
        let cost: [Vec<f64>; 2] =
            [0, 1].map(|k| (0..n).map(|i| a[i] * y[i] * mu[k][i].powf(theta)).collect());
        let flows = if scenario.trade.len() == n * n {
            scenario
                .trade
                .iter()
                .map(|f| f * scenario.trade_total)
                .collect()
        } else {
            vec![0.0; n * n]
        };
        let coeff = |v: &Vec<f64>| {
            if v.len() == n {
                v.clone()
            } else {
                vec![0.0; n]
            }
        };
        Economy {
            n,
            tariff: spec.tariff,
            retaliation: spec.retaliation,
            flows,
            tot: coeff(&spec.terms_of_trade),
            eff: coeff(&spec.efficiency_loss),
            scc_own,
            emissions: e,
            price,
            mu,
            cost,
        }
    }

    /// The bit set of all regions.
    pub fn full(&self) -> u32 {
        if self.n >= 32 {
            u32::MAX
        } else {
            (1u32 << self.n) - 1
        }
    }

    /// Global abatement `A` (Mt) under coalition `s`.
    pub fn abatement(&self, s: u32) -> f64 {
        (0..self.n)
            .map(|i| self.mu[side(s, i)][i] * self.emissions[i])
            .sum()
    }

    /// Every region's payoff under coalition `s` into `out` (length `n`).
    pub fn payoffs(&self, s: u32, out: &mut [f64]) {
        let n = self.n;
        let a = self.abatement(s);
        for (i, o) in out.iter_mut().enumerate().take(n) {
            *o = self.scc_own[i] * a / 1000.0 - self.cost[side(s, i)][i];
        }
        let t = self.tariff;
        if t <= 0.0 {
            return;
        }
        for j in 0..n {
            let j_in = s >> j & 1 == 1;
            if !j_in && !self.retaliation {
                continue;
            }
            let gain = self.tot[j] * t - self.eff[j] * t * t;
            let loss = self.tot[j] * t;
            for i in 0..n {
                let i_in = s >> i & 1 == 1;
                if i == j || i_in == j_in {
                    continue;
                }
                let m = self.flows[i * n + j];
                out[j] += gain * m;
                out[i] -= loss * m;
            }
        }
    }

    /// Region `i`'s outcome under coalition `s`.
    pub fn outcome(&self, s: u32, i: usize) -> Outcome {
        let mut pay = vec![0.0; self.n];
        self.payoffs(s, &mut pay);
        let k = side(s, i);
        let benefit = self.scc_own[i] * self.abatement(s) / 1000.0;
        let cost = self.cost[k][i];
        Outcome {
            price: self.price[k][i],
            mu: self.mu[k][i],
            cost,
            benefit,
            trade: pay[i] - benefit + cost,
            payoff: pay[i],
        }
    }

    /// Emissions-weighted mean carbon price under `s`, $ per tCO2.
    pub fn mean_price(&self, s: u32) -> f64 {
        let total: f64 = self.emissions.iter().sum();
        if total <= 0.0 {
            return f64::NAN;
        }
        (0..self.n)
            .map(|i| self.price[side(s, i)][i] * self.emissions[i])
            .sum::<f64>()
            / total
    }
}

/// Index into `[in, out]` of region `i` under `s`.
fn side(s: u32, i: usize) -> usize {
    usize::from(s >> i & 1 == 0)
}

/// Whether moving from payoff `before` to `after` is a gain under `ties`.
pub fn gains(ties: Ties, after: f64, before: f64) -> bool {
    match ties {
        Ties::Stay => after > before + TIE,
        Ties::Move => after >= before - TIE,
    }
}

/// Every coalition's payoffs, `2^n × n` (row `s`), for `n <=` [`MAX_EXHAUSTIVE`].
pub fn payoff_table(eco: &Economy) -> Vec<f64> {
    let n = eco.n;
    let mut table = vec![0.0; (1usize << n) * n];
    for (s, row) in table.chunks_mut(n.max(1)).enumerate() {
        eco.payoffs(s as u32, row);
    }
    table
}

/// Whether no region gains by changing its status alone, from the table.
pub fn nash_stable(table: &[f64], n: usize, ties: Ties, s: u32) -> bool {
    let here = s as usize * n;
    (0..n).all(|i| {
        let there = (s ^ (1 << i)) as usize * n;
        !gains(ties, table[there + i], table[here + i])
    })
}

/// Whether no set of regions all gain by changing status together, from the table.
pub fn group_stable(table: &[f64], n: usize, ties: Ties, s: u32) -> bool {
    let here = s as usize * n;
    let full = (1u32 << n) - 1;
    (1..=full).all(|flip| {
        let there = (s ^ flip) as usize * n;
        !(0..n)
            .filter(|&i| flip >> i & 1 == 1)
            .all(|i| gains(ties, table[there + i], table[here + i]))
    })
}

/// The Nash-stable coalitions (exhaustive), in increasing bit-set order, each with
/// whether it is also group stable.
pub fn stable_coalitions(eco: &Economy, ties: Ties, table: &[f64]) -> Vec<(u32, bool)> {
    let n = eco.n;
    (0..=eco.full())
        .filter(|&s| nash_stable(table, n, ties, s))
        .map(|s| (s, group_stable(table, n, ties, s)))
        .collect()
}

/// What the rule carries between ticks of one run.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// The game.
    eco: Economy,
    /// The current coalition (bit `i`: region `i` is a member).
    club: u32,
    /// Payoffs under `club`.
    pay: Vec<f64>,
    /// Payoffs under a proposal (scratch).
    trial: Vec<f64>,
    /// The engine coalition holding the club and its serial.
    coalition: Option<(CoalitionId, u32)>,
    /// The tick of the latest accepted proposal.
    last_change: Option<u32>,
    /// Partners of a founding (sized once).
    partners: Vec<StateId>,
}

impl RunState {
    /// The game of the scenario, no club yet.
    pub fn new(scenario: &Scenario) -> RunState {
        let eco = Economy::new(scenario, &scenario.behaviour.club);
        let n = eco.n;
        RunState {
            eco,
            club: 0,
            pay: vec![0.0; n],
            trial: vec![0.0; n],
            coalition: None,
            last_change: None,
            partners: Vec::with_capacity(n),
        }
    }

    /// The current coalition as a bit set.
    pub fn club(&self) -> u32 {
        self.club
    }

    /// The game.
    pub fn economy(&self) -> &Economy {
        &self.eco
    }
}

/// Before the first tick: a random starting coalition (each region in with
/// probability 1/2, one draw), mirrored in the engine.
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    s.club = ctx.rng.random::<u32>() & s.eco.full();
    s.eco.payoffs(s.club, &mut s.pay);
    sync(ctx, s);
}

/// Phase 6: `proposals_per_tick` proposals of the evolutionary search, then the engine
/// coalition is brought in line with the club.
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    let spec = &ctx.scenario.behaviour.club;
    let full = s.eco.full();
    for _ in 0..spec.proposals_per_tick {
        let flip = match spec.proposal {
            Proposal::Group => ctx.rng.random::<u32>() & full,
            Proposal::Single => 1 << ctx.rng.random_range(0..s.eco.n.max(1) as u32),
        };
        if flip == 0 || flip & !full != 0 {
            continue;
        }
        s.eco.payoffs(s.club ^ flip, &mut s.trial);
        let accepted = (0..s.eco.n)
            .filter(|&i| flip >> i & 1 == 1)
            .all(|i| gains(spec.ties, s.trial[i], s.pay[i]));
        if accepted {
            s.club ^= flip;
            std::mem::swap(&mut s.pay, &mut s.trial);
            s.last_change = Some(ctx.world.tick);
        }
    }
    sync(ctx, s);
}

/// Makes the engine coalition's members the club's (those with bandwidth): departures
/// first, then joins; founds it when two or more should be in and none exists.
fn sync<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    if !ctx.scenario.coalitions.enabled {
        return;
    }
    let n = s.eco.n;
    if let Some((c, _)) = s.coalition {
        for i in 0..n {
            let id = StateId::from_index(i);
            let inside = ctx.world.coalition(c).members.contains(&id);
            if inside && s.club >> i & 1 == 0 {
                // What membership is worth to it (as the stability rule reports it):
                // its payoff inside the club minus its payoff now, outside.
                s.eco.payoffs(s.club | 1 << i, &mut s.trial);
                let value = s.trial[i] - s.pay[i];
                let Ctx {
                    scenario,
                    world,
                    tally,
                    observer,
                    ..
                } = ctx;
                let why = Departure::of(world, id, value);
                membership::leave(scenario, world, *observer, c, id, why);
                if world.coalition(c).members.len() < 2 {
                    let tick = world.tick;
                    membership::dissolve(world, tally, *observer, c, tick + 1, EndReason::TooSmall);
                    s.coalition = None;
                    break;
                }
            }
        }
    }
    match s.coalition {
        Some((c, _)) => {
            for i in 0..n {
                let id = StateId::from_index(i);
                let Ctx {
                    scenario,
                    world,
                    observer,
                    ..
                } = ctx;
                if s.club >> i & 1 == 1
                    && !world.coalition(c).members.contains(&id)
                    && world.states.has_bandwidth(id)
                {
                    membership::join(scenario, world, *observer, c, id);
                }
            }
        }
        None => {
            s.partners.clear();
            s.partners.extend(
                (0..n).map(StateId::from_index).filter(|&id| {
                    s.club >> id.index() & 1 == 1 && ctx.world.states.has_bandwidth(id)
                }),
            );
            if s.partners.len() >= 2 {
                let founder = s.partners.remove(0);
                found(ctx, s, founder);
            }
        }
    }
}

/// Founds the engine coalition with `founder` and `s.partners`.
fn found<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState, founder: StateId) {
    let issue = ctx.scenario.behaviour.club.issue;
    s.coalition = Some(super::found_agreement(ctx, issue, founder, &s.partners));
}

/// Phase 8: notices an engine coalition that upkeep ended (hazard, deadline, issue
/// solved); the club itself is unchanged and is founded again next tick.
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>, s: &mut RunState) {
    let world = &*ctx.world;
    let gone = s.coalition.is_some_and(|(c, serial)| {
        let co = world.coalition(c);
        !co.active || co.serial != serial
    });
    if gone {
        s.coalition = None;
    }
}

/// Number of members of `s`.
fn size(s: u32) -> f64 {
    f64::from(s.count_ones())
}

/// Extra `runs.csv` values, in [`run_columns`] order.
pub fn run_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = world;
    let spec = &scenario.behaviour.club;
    let eco = &s.eco;
    let n = eco.n;
    let world_e: f64 = eco.emissions.iter().sum();
    let share = |c: u32| {
        if world_e > 0.0 {
            eco.abatement(c) / world_e
        } else {
            f64::NAN
        }
    };
    let mut pay = vec![0.0; n];
    eco.payoffs(0, &mut pay);
    let base: f64 = pay.iter().sum();
    let (nash, group, count, group_count, min, max) = if n <= MAX_EXHAUSTIVE && n > 0 {
        let table = payoff_table(eco);
        let stable = stable_coalitions(eco, spec.ties, &table);
        let sizes = stable.iter().map(|&(c, _)| size(c));
        (
            f64::from(u8::from(nash_stable(&table, n, spec.ties, s.club))),
            f64::from(u8::from(group_stable(&table, n, spec.ties, s.club))),
            stable.len() as f64,
            stable.iter().filter(|&&(_, g)| g).count() as f64,
            sizes.clone().fold(f64::NAN, f64::min),
            sizes.fold(f64::NAN, f64::max),
        )
    } else {
        let mut here = vec![0.0; n];
        eco.payoffs(s.club, &mut here);
        let nash = (0..n).all(|i| {
            eco.payoffs(s.club ^ (1 << i), &mut pay);
            !gains(spec.ties, pay[i], here[i])
        });
        (
            f64::from(u8::from(nash)),
            f64::NAN,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            f64::NAN,
        )
    };
    let mut here = vec![0.0; n];
    eco.payoffs(s.club, &mut here);
    out.extend([
        size(s.club),
        if n > 0 {
            size(s.club) / n as f64
        } else {
            f64::NAN
        },
        f64::from(s.club),
        nash,
        group,
        share(s.club),
        eco.mean_price(s.club),
        here.iter().sum::<f64>() - base,
        count,
        group_count,
        min,
        max,
        s.last_change.map_or(0.0, |t| f64::from(t) + 1.0),
    ]);
}

/// Extra `ticks.csv` values, in [`tick_columns`] order.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = (scenario, world);
    let world_e: f64 = s.eco.emissions.iter().sum();
    out.push(size(s.club));
    out.push(if world_e > 0.0 {
        s.eco.abatement(s.club) / world_e
    } else {
        f64::NAN
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two regions worked by hand: GDP 1000 and CO2 500 each, `a = 0.01`, SCC = P = 20
    /// (own SCC 10 each), `θ = 2`; A exports 100 to B, B 50 to A; `α = 0.5`,
    /// `β = 0.4`, tariff `t`.
    fn two(t: f64, retaliation: bool) -> Economy {
        let (y, e, a, theta) = (1000.0, 500.0, 0.01, 2.0);
        let mu_in = abatement_rate(20.0, e, a, y, theta, true);
        let mu_out = abatement_rate(10.0, e, a, y, theta, true);
        Economy {
            n: 2,
            tariff: t,
            retaliation,
            flows: vec![0.0, 100.0, 50.0, 0.0],
            tot: vec![0.5, 0.5],
            eff: vec![0.4, 0.4],
            scc_own: vec![10.0, 10.0],
            emissions: vec![e, e],
            price: [vec![20.0; 2], vec![10.0; 2]],
            mu: [vec![mu_in; 2], vec![mu_out; 2]],
            cost: [
                vec![a * y * mu_in * mu_in; 2],
                vec![a * y * mu_out * mu_out; 2],
            ],
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn pay(eco: &Economy, s: u32) -> Vec<f64> {
        let mut out = vec![0.0; eco.n];
        eco.payoffs(s, &mut out);
        out
    }

    #[test]
    fn abatement_equates_marginal_cost_and_price() {
        // μ = p E / (1000 θ a Y): 25 × 1000 / (1000 × 2 × 0.05 × 10000) = 0.025.
        assert!(close(
            abatement_rate(25.0, 1000.0, 0.05, 10_000.0, 2.0, true),
            0.025
        ));
        // θ = 3: μ = (25000 / 1.5e6)^(1/2).
        let mu = abatement_rate(25.0, 1000.0, 0.05, 10_000.0, 3.0, true);
        assert!(close(mu, (25_000.0f64 / 1.5e6).sqrt()));
        // Marginal cost θ a Y μ^(θ−1) / E × 1000 is the price.
        assert!(close(
            3.0 * 0.05 * 10_000.0 * mu * mu / 1000.0 * 1000.0,
            25.0
        ));
        // Cheap abatement: 50 uncapped, 1 capped; no cost coefficient: 1.
        assert!(close(
            abatement_rate(100.0, 1000.0, 0.001, 1000.0, 2.0, false),
            50.0
        ));
        assert!(close(
            abatement_rate(100.0, 1000.0, 0.001, 1000.0, 2.0, true),
            1.0
        ));
        assert!(close(
            abatement_rate(100.0, 1000.0, 0.0, 1000.0, 2.0, false),
            1.0
        ));
    }

    #[test]
    fn two_regions_payoffs_by_hand() {
        let eco = two(0.1, false);
        // μ in 0.5 (cost 2.5), out 0.25 (cost 0.625).
        assert!(close(eco.mu[0][0], 0.5) && close(eco.mu[1][0], 0.25));
        // Nobody in: A = 250 Mt, benefit 10 × 250 / 1000 = 2.5 each.
        let p = pay(&eco, 0);
        assert!(close(p[0], 1.875) && close(p[1], 1.875));
        // A in: A = 375, benefit 3.75; A taxes B's 50: A gains (0.05 − 0.004) × 50 = 2.3,
        // B loses 0.05 × 50 = 2.5.
        let p = pay(&eco, 0b01);
        assert!(close(p[0], 3.75 - 2.5 + 2.3), "{p:?}");
        assert!(close(p[1], 3.75 - 0.625 - 2.5), "{p:?}");
        // B in: B taxes A's 100: gains 4.6, A loses 5.
        let p = pay(&eco, 0b10);
        assert!(close(p[0], 3.75 - 0.625 - 5.0) && close(p[1], 3.75 - 2.5 + 4.6));
        // Both in: no tariff, A = 500, benefit 5 each.
        let p = pay(&eco, 0b11);
        assert!(close(p[0], 2.5) && close(p[1], 2.5));
        let o = eco.outcome(0b01, 1);
        assert!(close(o.trade, -2.5) && close(o.benefit, 3.75) && close(o.cost, 0.625));
        assert!(close(o.price, 10.0) && close(eco.mean_price(0b01), 15.0));
    }

    #[test]
    fn retaliation_mirrors_the_tariff() {
        // A in, B out and retaliating on A's 100: B gains 4.6, A loses 5.
        let p = pay(&two(0.1, true), 0b01);
        assert!(close(p[0], 3.55 - 5.0) && close(p[1], 0.625 + 4.6), "{p:?}");
    }

    #[test]
    fn the_tariff_makes_the_grand_coalition_the_only_stable_one() {
        let eco = two(0.1, false);
        let table = payoff_table(&eco);
        assert_eq!(stable_coalitions(&eco, Ties::Stay, &table), [(0b11, true)]);
    }

    #[test]
    fn without_a_tariff_nobody_joins_but_both_would_together() {
        // t = 0: in alone, A = 3.75 − 2.5 = 1.25 < 1.875 out; both in 2.5 > 1.875: a
        // prisoners' dilemma. Nobody in is Nash stable, not group stable.
        let eco = two(0.0, false);
        let table = payoff_table(&eco);
        assert_eq!(stable_coalitions(&eco, Ties::Stay, &table), [(0, false)]);
        assert!(!nash_stable(&table, 2, Ties::Stay, 0b11));
    }

    #[test]
    fn ties_decide_whether_an_indifferent_region_moves() {
        assert!(!gains(Ties::Stay, 1.0, 1.0) && gains(Ties::Move, 1.0, 1.0));
        assert!(gains(Ties::Stay, 1.0 + 1e-6, 1.0) && !gains(Ties::Move, 1.0 - 1e-6, 1.0));
    }
}
