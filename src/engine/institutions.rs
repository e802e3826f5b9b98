//! Bodies as they change during a run (docs/model.md, phase 7 "Elected seats" and
//! "Exit and return"): the renewal of elected seats by group, and members that
//! withdraw from a body that keeps failing them and come back, or stay away from its
//! votes. Exits and returns change a body's members, its veto holders and the states'
//! venue counts together.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use crate::act::Ctx;
use crate::act::vote::wants_step;
use crate::metrics::{Event, Observer};
use crate::model::World;
use crate::model::ids::{BodyId, IssueId, StateId};
use crate::model::scenario::{ElectedSeats, Scenario};
use crate::model::state::States;
use crate::model::venue::Seat;
use crate::model::world::refresh_veto_holders;
use crate::rules::Voter;

/// After a turn of body `b` on `issue` (a vote, or no proposal): for a body members
/// can leave or stay away from, each member that wanted a step (position above the status quo, salience
/// at least `min_salience`) counts one more failure in a row if nothing was adopted,
/// and starts again from 0 if something was.
pub fn note_turn(scenario: &Scenario, world: &mut World, b: usize, issue: IssueId, adopted: bool) {
    if !scenario.bodies[b].counts_failures() {
        return;
    }
    for i in 0..world.bodies[b].members.len() {
        let m = world.bodies[b].members[i];
        let wanted = wants_step(scenario, world, m, issue);
        let count = &mut world.bodies[b].failures[m.index()];
        if adopted {
            *count = 0;
        } else if wanted {
            *count += 1;
        }
    }
}

/// Phase 7 (end): renews a body's elected seats every `term / 2` ticks, effective
/// from the next tick. Seats whose term ends fall vacant; at the first renewal the
/// members named by the data take them, later each vacant seat goes to a member of
/// its group drawn with probability proportional to its mean capability share
/// (uniformly if no candidate holds any), among those not sitting now (a retiring
/// member is not eligible for immediate re-election, UN Charter art. 23(2)). A group
/// without an eligible state leaves its seat empty until the next renewal.
pub fn renew_seats<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        observer,
        ..
    } = ctx;
    let now = world.tick + 1;
    for (b, spec) in scenario.bodies.iter().enumerate() {
        let Some(e) = &spec.elected else { continue };
        let half = e.term / 2;
        if !now.is_multiple_of(half) {
            continue;
        }
        scratch.vacated.clear();
        scratch.seated.clear();
        scratch.unseated.clear();
        let body = &mut world.bodies[b];
        body.seats.retain(|s| {
            if s.until <= now {
                scratch.vacated.push(*s);
                scratch.unseated.push(s.state);
                false
            } else {
                true
            }
        });
        let states = &world.states;
        for v in 0..scratch.vacated.len() {
            let group = scratch.vacated[v].group;
            let chosen = if now == half && !e.next.is_empty() {
                e.next
                    .iter()
                    .copied()
                    .find(|&j| e.group_of[j.index()] == Some(group) && !scratch.seated.contains(&j))
            } else {
                elect(states, e, group, &body.members, &scratch.seated, rng)
            };
            if let Some(state) = chosen {
                scratch.seated.push(state);
                body.seats.push(Seat {
                    state,
                    group,
                    until: now + e.term,
                });
            }
        }
        // Seats left empty at an earlier renewal (no eligible state then) are filled
        // now if the group has a candidate again.
        for (g, &n) in e.seats.iter().enumerate() {
            let group = g as u16;
            while body.seats.iter().filter(|s| s.group == group).count() < n as usize {
                let Some(state) = elect(states, e, group, &body.members, &scratch.seated, rng)
                else {
                    break;
                };
                scratch.seated.push(state);
                body.seats.push(Seat {
                    state,
                    group,
                    until: now + e.term,
                });
            }
        }
        body.members.clear();
        body.members.extend_from_slice(&spec.members);
        body.members.extend(body.seats.iter().map(|s| s.state));
        body.members.sort();
        refresh_veto_holders(&spec.rule, &body.members, &mut body.veto_holder);
        for &j in &scratch.unseated {
            count_venues(&mut world.states, j, &spec.mandate, false);
        }
        for &j in &scratch.seated {
            count_venues(&mut world.states, j, &spec.mandate, true);
        }
        observer.on_event(
            world.tick,
            &Event::SeatsRenewed {
                body: BodyId::from_index(b),
                seated: &scratch.seated,
                unseated: &scratch.unseated,
            },
        );
    }
}

/// Phase 7 (end): exit and return for bodies that can be left (`exit`). Each state
/// that withdrew earlier returns with probability `return_rate` (one draw per absent
/// state, in exit order); then each member whose failures in a row reached `after`
/// withdraws. Either move costs it `cost` once; the body's members, veto holders and
/// the states' venue counts follow.
pub fn exits_and_returns<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Ctx {
        scenario,
        world,
        rng,
        tally,
        observer,
        ..
    } = ctx;
    let tick = world.tick;
    for (b, spec) in scenario.bodies.iter().enumerate() {
        let Some(exit) = spec.exit else { continue };
        let body_id = BodyId::from_index(b);
        // Returns.
        let mut a = 0;
        while a < world.bodies[b].absent.len() {
            if exit.return_rate > 0.0 && rng.random::<f64>() < exit.return_rate {
                let state = world.bodies[b].absent.remove(a);
                let body = &mut world.bodies[b];
                let at = body.members.binary_search(&state).unwrap_or_else(|p| p);
                body.members.insert(at, state);
                body.failures[state.index()] = 0;
                count_venues(&mut world.states, state, &spec.mandate, true);
                world.states.welfare[state.index()] -= exit.cost;
                tally.body_returns += 1;
                observer.on_event(
                    tick,
                    &Event::BodyExit {
                        body: body_id,
                        state,
                        returned: true,
                        failures: 0,
                    },
                );
            } else {
                a += 1;
            }
        }
        // Exits.
        let mut i = 0;
        while i < world.bodies[b].members.len() {
            let state = world.bodies[b].members[i];
            let failures = world.bodies[b].failures[state.index()];
            if failures < exit.after {
                i += 1;
                continue;
            }
            let body = &mut world.bodies[b];
            body.members.remove(i);
            body.absent.push(state);
            body.failures[state.index()] = 0;
            count_venues(&mut world.states, state, &spec.mandate, false);
            world.states.welfare[state.index()] -= exit.cost;
            tally.body_exits += 1;
            observer.on_event(
                tick,
                &Event::BodyExit {
                    body: body_id,
                    state,
                    returned: false,
                    failures,
                },
            );
        }
        let body = &mut world.bodies[b];
        refresh_veto_holders(&spec.rule, &body.members, &mut body.veto_holder);
    }
}

/// Members of body `b` whose failures in a row reached its `disengage_after` stay away
/// from the vote (the empty chair): they count as abstaining (an absent permanent
/// member vetoes nothing, as with the Soviet Union in the Council in 1950; an absent
/// member is no affirmative vote). Returns how many stayed away.
pub fn empty_chairs(scenario: &Scenario, world: &World, b: usize, voters: &mut [Voter]) -> u64 {
    let Some(k) = scenario.bodies[b].disengage_after else {
        return 0;
    };
    let failures = &world.bodies[b].failures;
    let mut away = 0;
    for v in voters.iter_mut() {
        if failures[v.state.index()] >= k {
            v.abstains = true;
            away += 1;
        }
    }
    away
}

/// A member of `group` elected to a seat: drawn with probability proportional to its
/// mean capability share (uniformly if no candidate holds any) among the group's
/// states that sit in the body neither now nor from this renewal (`members`, the
/// composition before it, and `seated`) and are not non-state actors; `None` if
/// there is none.
fn elect(
    states: &States,
    e: &ElectedSeats,
    group: u16,
    members: &[StateId],
    seated: &[StateId],
    rng: &mut ChaCha8Rng,
) -> Option<StateId> {
    let eligible = |j: usize| {
        let id = StateId::from_index(j);
        e.group_of[j] == Some(group)
            && !states.non_state[j]
            && members.binary_search(&id).is_err()
            && !seated.contains(&id)
    };
    let weight = |j: usize| {
        let d = states.n_capabilities.max(1);
        (0..states.n_capabilities)
            .map(|c| states.capability_share[j * states.n_capabilities + c])
            .sum::<f64>()
            / d as f64
    };
    let total: f64 = (0..states.len()).filter(|&j| eligible(j)).map(weight).sum();
    let count = (0..states.len()).filter(|&j| eligible(j)).count();
    if count == 0 {
        None
    } else if total > 0.0 {
        let mut u = rng.random::<f64>() * total;
        let mut pick = None;
        for j in (0..states.len()).filter(|&j| eligible(j)) {
            pick = Some(j);
            u -= weight(j);
            if u < 0.0 {
                break;
            }
        }
        pick.map(StateId::from_index)
    } else {
        let k = rng.random_range(0..count);
        (0..states.len())
            .filter(|&j| eligible(j))
            .nth(k)
            .map(StateId::from_index)
    }
}

/// A state takes (`joins`) or leaves a seat in a body deciding `mandate`: its count of
/// venues on each of those issues (finite effort) follows.
fn count_venues(states: &mut States, state: StateId, mandate: &[IssueId], joins: bool) {
    for &issue in mandate {
        let at = states.at(state, issue);
        if joins {
            states.venues_on[at] += 1;
        } else {
            states.venues_on[at] -= 1;
        }
    }
}
