//! Leading a coalition (MODEL.md "founded by a state on one issue when its stake
//! covers the political cost of leading"). Leading costs political capital that
//! grows with the coalition's ambition and size; a state's stake in a coalition is
//! its salience times the part of the coalition's output that accrues to it, its
//! fraction of the group's capability (Olson 1965, *The Logic of Collective Action*,
//! ch. 1: a member whose fraction of the group gain exceeds the cost provides the
//! good, a "privileged group"). Large states therefore lead large coalitions; a
//! small state can lead only a small one, among states of its own size
//! (a microlateral).
//!
//! **Invariant:** both functions are pure and return values >= 0.

use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::venue::Coalition;

/// Political capital per tick a leader spends on a coalition on `issue` of `size`
/// members aiming at `aim`:
///
/// `L = leadership_cost × efficiency × aim × size`
///
/// In units of the issue's efficiency, so that one `leadership_cost` means the same
/// in scenarios whose problems are easier or harder to solve.
pub fn cost(scenario: &Scenario, issue: IssueId, aim: f64, size: usize) -> f64 {
    let spec = &scenario.issues[issue.index()];
    scenario.coalitions.leadership_cost * spec.efficiency * aim.max(0.0) * size as f64
}

/// Whether member (or applicant) `i` of coalition `c` takes the lead from its leader:
/// it holds a larger share of the issue's capability and its stake in leading covers
/// the cost (the lead nation; see `membership`). `joining`: `i` is not yet a member,
/// so it would make the coalition one larger and bring its effort to it.
pub fn takes_lead(
    scenario: &Scenario,
    world: &World,
    i: StateId,
    c: &Coalition,
    joining: bool,
) -> bool {
    let s = &world.states;
    let share = s.share[s.at(i, c.issue)];
    if share <= s.share[s.at(c.leader, c.issue)] {
        return false;
    }
    let (effort, coverage, size) = if joining {
        (
            s.effort_if_joining(i, c.issue, true),
            c.coverage + share,
            c.members.len() + 1,
        )
    } else {
        (s.effort(i, c.issue, true), c.coverage, c.members.len())
    };
    stake(world, i, c.issue, share * effort, coverage, c.rate)
        >= cost(scenario, c.issue, c.aim, size)
}

/// State `i`'s stake per tick in leading a coalition on `issue` that covers
/// `coverage` of the issue's capability (of which `own` is `i`'s part) and is
/// expected to produce `rate` progress per tick:
///
/// `stake = salience × (own / coverage) × rate`
///
/// With linear returns `rate = efficiency × aim × coverage × adoptions`, so a state
/// leads (stake ≥ cost) when `salience × own × adoptions ≥ leadership_cost × size`:
/// its own weight must carry the coalition's size.
pub fn stake(world: &World, i: StateId, issue: IssueId, own: f64, coverage: f64, rate: f64) -> f64 {
    if coverage <= 0.0 {
        return 0.0;
    }
    world.salience(i, issue) * (own / coverage).clamp(0.0, 1.0) * rate.max(0.0)
}
