//! What venues produce and who shares it (MODEL.md "Implementation" and "Payoffs"):
//! the production function, and an issue's club (the members of its coalitions) with
//! the exports a penalty tariff bites on.

use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::Scenario;

/// Progress produced by a measure: `ΔP = efficiency × depth × coverage^returns`,
/// where coverage is the complying members' share of the issue's capability (capped
/// at 1). The caller caps the result so that progress never exceeds the target.
pub fn produce(efficiency: f64, returns: f64, depth: f64, coverage: f64) -> f64 {
    efficiency * depth * power(coverage.clamp(0.0, 1.0), returns)
}

/// `x^e`, exact and cheap for the common linear case `e = 1`.
#[inline]
pub fn power(x: f64, e: f64) -> f64 {
    if e == 1.0 { x } else { x.powf(e) }
}

/// Whether state `j` belongs to a coalition on issue `k` (the issue's "club").
pub fn in_club(world: &World, j: StateId, k: IssueId) -> bool {
    world.states.memberships[j.index()]
        .iter()
        .any(|&c| world.coalition(c).issue == k)
}

/// State `i`'s exports to the club of issue `k` (members of any coalition on `k`, and
/// the states in `extra`), as a share of world trade (`[trade]`): what a penalty
/// tariff on non-members' exports bites on. 0 without trade data.
pub fn club_exports(
    scenario: &Scenario,
    world: &World,
    i: StateId,
    k: IssueId,
    extra: &[StateId],
) -> f64 {
    let n = world.states.len();
    if scenario.trade.len() != n * n {
        return 0.0;
    }
    let row = &scenario.trade[i.index() * n..(i.index() + 1) * n];
    let mut sum = 0.0;
    for (j, &flow) in row.iter().enumerate() {
        let j = StateId::from_index(j);
        if flow > 0.0 && j != i && (extra.contains(&j) || in_club(world, j, k)) {
            sum += flow;
        }
    }
    sum
}
