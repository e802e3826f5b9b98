//! The one way a membership changes (MODEL.md "Choices" and "Upkeep"): a coalition is
//! [`found`]ed, a state [`join`]s or [`leave`]s it, it is [`dissolve`]d. Each function
//! changes both sides of the membership (the coalition's members and the state's
//! list), keeps the coalition's running sums (coverage, cohesion, peak size, leader)
//! and tells the observer with the event of the change, so no behaviour rule or tick
//! phase can change a membership without it being reported.
//!
//! **Invariant:** between ticks memberships agree on both sides, no state is over its
//! bandwidth (the caller checks it before a join) and `world.active` lists exactly the
//! active coalitions, in founding order. No allocation: coalition slots and their
//! member lists are reused.

use super::leadership;
use crate::metrics::{Event, Observer, Tally};
use crate::model::World;
use crate::model::ids::{CoalitionId, IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::state::affinity;
use crate::model::typology;
use crate::model::venue::{CoalitionKind, EndReason};

/// A coalition about to be founded (see [`found`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Founding {
    /// Founder and first leader.
    pub founder: StateId,
    /// Its issue.
    pub issue: IssueId,
    /// Bloc or issue-based.
    pub kind: CoalitionKind,
    /// Institutionalisation, in [0, 1].
    pub institutionalisation: f64,
    /// Expected progress per tick to start from.
    pub rate: f64,
    /// Expected depth to start from.
    pub aim: f64,
}

/// Why a member leaves, as its `Left` event reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Departure {
    /// What membership was worth to it per tick (the behaviour rule's value).
    pub value: f64,
    /// Whether it had no spare bandwidth when it left.
    pub at_capacity: bool,
}

impl Departure {
    /// A departure of `j` worth `value`, at capacity if `j` has no spare bandwidth now
    /// (call before [`leave`]).
    pub fn of(world: &World, j: StateId, value: f64) -> Departure {
        Departure {
            value,
            at_capacity: !world.states.has_bandwidth(j),
        }
    }
}

/// Founds a coalition in a free slot with the founder and `partners` as members
/// (the caller checked bandwidth, `max_size` and that the founder is not among the
/// partners), reports `CoalitionFounded`, charges the founder `founding_cost` and
/// counts the founding. Every behaviour rule founds through here.
pub fn found<O: Observer>(
    scenario: &Scenario,
    world: &mut World,
    tally: &mut Tally,
    observer: &mut O,
    f: &Founding,
    partners: &[StateId],
) -> CoalitionId {
    let cs = &scenario.coalitions;
    let slot = world.take_slot();
    let serial = world.next_serial;
    world.next_serial += 1;
    {
        let co = &mut world.coalitions[slot.index()];
        co.serial = serial;
        co.issue = f.issue;
        co.leader = f.founder;
        co.kind = f.kind;
        co.institutionalisation = f.institutionalisation;
        co.founded = world.tick;
        co.members.clear();
        co.ever.clear();
        co.peak_size = 0;
        co.progress = 0.0;
        co.rate = f.rate;
        co.aim = f.aim;
        co.coverage = 0.0;
        co.affinity_sum = 0.0;
        co.attempted = 0;
        co.adopted = 0;
        co.endorsed = 0;
        co.active = true;
    }
    add_member(scenario, world, slot, f.founder);
    for &j in partners {
        add_member(scenario, world, slot, j);
    }
    heaviest_willing_leads(scenario, world, slot);
    // The class is the leader's once the lead has settled at founding; the Haass type
    // is the founding members' (docs/model.md, "Types of grouping").
    let leader = world.coalitions[slot.index()].leader;
    world.coalitions[slot.index()].great_power_led = world.states.great_power[leader.index()];
    let states = &world.states;
    let haass = typology::coalition_type(
        &world.coalitions[slot.index()].members,
        typology::Profile {
            non_state: &states.non_state,
            region: &states.region,
        },
        |s| states.elite[states.at(s, f.issue)],
    );
    world.coalitions[slot.index()].haass = haass;
    world.coalitions[slot.index()].dispersion = dispersion(world, slot);
    tally.founded_by_type[haass.slot()] += 1;
    world.active.push(slot);
    let event = Event::CoalitionFounded {
        coalition: &world.coalitions[slot.index()],
    };
    observer.on_event(world.tick, &event);
    world.states.welfare[f.founder.index()] -= cs.founding_cost;
    tally.founded += 1;
    tally.founding_members += world.coalitions[slot.index()].members.len() as u64;
    tally.compare(&world.coalitions[slot.index()], &world.states.labels);
    if !world.coalitions[slot.index()].great_power_led {
        tally.founded_microlateral += 1;
    }
    slot
}

/// Adds `j` to coalition `c` (the caller checked bandwidth, size and admission) and
/// reports `Joined`.
pub fn join<O: Observer>(
    scenario: &Scenario,
    world: &mut World,
    observer: &mut O,
    c: CoalitionId,
    j: StateId,
) {
    add_member(scenario, world, c, j);
    heaviest_willing_leads(scenario, world, c);
    let event = Event::Joined {
        state: j,
        coalition: world.coalition(c),
    };
    observer.on_event(world.tick, &event);
}

/// Removes `j` from coalition `c` and reports `Left` with `why`. If the leader
/// leaves, the member with the largest share of the issue's capability leads. A
/// coalition left with fewer than two members stays active until its caller or upkeep
/// dissolves it.
pub fn leave<O: Observer>(
    scenario: &Scenario,
    world: &mut World,
    observer: &mut O,
    c: CoalitionId,
    j: StateId,
    why: Departure,
) {
    remove_member(scenario, world, c, j);
    let event = Event::Left {
        state: j,
        coalition: world.coalition(c),
        value: why.value,
        at_capacity: why.at_capacity,
    };
    observer.on_event(world.tick, &event);
}

/// Ends coalition `c`: reports `CoalitionEnded` (as the coalition was), records its
/// lifetime, frees its members' bandwidth and its slot, and removes it from
/// `world.active` (the others keep their order).
pub fn dissolve<O: Observer>(
    world: &mut World,
    tally: &mut Tally,
    observer: &mut O,
    c: CoalitionId,
    ended: u32,
    reason: EndReason,
) {
    let co = &world.coalitions[c.index()];
    observer.on_event(
        world.tick,
        &Event::CoalitionEnded {
            coalition: co,
            ended,
            reason,
        },
    );
    tally.coalition_ended(co, ended);
    tally.compare(co, &world.states.labels);
    let co = &mut world.coalitions[c.index()];
    for &m in &co.members {
        let list = &mut world.states.memberships[m.index()];
        if let Some(pos) = list.iter().position(|&x| x == c) {
            list.swap_remove(pos);
        }
        let at = world.states.at(m, co.issue);
        world.states.venues_on[at] -= 1;
        world.states.coalitions_on[at] -= 1;
    }
    co.members.clear();
    co.ever.clear();
    co.active = false;
    world.free.push(c);
    if let Some(a) = world.active.iter().position(|&x| x == c) {
        world.active.remove(a);
    }
}

/// Mean pairwise affinity `2 S / (n (n − 1))` from the sum `S` of pairwise
/// affinities of `n` members (1 for a single member).
pub fn cohesion(affinity_sum: f64, n: usize) -> f64 {
    if n < 2 {
        1.0
    } else {
        (2.0 * affinity_sum / (n * (n - 1)) as f64).clamp(0.0, 1.0)
    }
}

/// The lead nation: the heaviest member (largest share of the issue's capability)
/// whose stake in leading covers its cost takes the lead from a lighter leader
/// ([`leadership::takes_lead`]; NATO's framework-nation concept; Olson's privileged
/// group, where the member with the largest fraction of the gain provides the good).
/// On a tie the leader keeps it. A founder that invites heavier partners convenes the
/// coalition and hands one of them the lead, told as "leadership … passes to …".
fn heaviest_willing_leads(scenario: &Scenario, world: &mut World, c: CoalitionId) {
    // A coalition that every member left in one tick keeps its departed leader: the
    // first to join again leads until a heavier member takes over.
    let co = &mut world.coalitions[c.index()];
    if !co.members.contains(&co.leader)
        && let Some(&first) = co.members.first()
    {
        co.leader = first;
    }
    let states = &world.states;
    let co = &world.coalitions[c.index()];
    let share = |m: StateId| states.share[states.at(m, co.issue)];
    let mut leader = co.leader;
    for &m in &co.members {
        if share(m) > share(leader) && leadership::takes_lead(scenario, world, m, co, false) {
            leader = m;
        }
    }
    world.coalitions[c.index()].leader = leader;
}

/// Adds `j` to coalition `c`, both sides. Cohesion is kept as a running sum of
/// pairwise affinities, so a join costs O(members).
fn add_member(scenario: &Scenario, world: &mut World, c: CoalitionId, j: StateId) {
    debug_assert!(world.states.has_bandwidth(j));
    let co = &world.coalitions[c.index()];
    let s = world.states.share[world.states.at(j, co.issue)];
    let added: f64 = co
        .members
        .iter()
        .map(|&m| affinity(&world.states.labels, &scenario.affinities, j, m))
        .sum();
    world.states.memberships[j.index()].push(c);
    let at = world.states.at(j, co.issue);
    world.states.venues_on[at] += 1;
    world.states.coalitions_on[at] += 1;
    let co = &mut world.coalitions[c.index()];
    co.members.push(j);
    if !co.ever.contains(&j) {
        co.ever.push(j);
    }
    co.peak_size = co.peak_size.max(co.members.len() as u32);
    co.coverage += s;
    co.affinity_sum += added;
    co.cohesion = cohesion(co.affinity_sum, co.members.len());
}

/// Removes `j` from coalition `c`, both sides; passes the lead on if `j` led (the
/// leader class recorded at founding stays).
fn remove_member(scenario: &Scenario, world: &mut World, c: CoalitionId, j: StateId) {
    let list = &mut world.states.memberships[j.index()];
    if let Some(pos) = list.iter().position(|&x| x == c) {
        list.swap_remove(pos);
    }
    let issue = world.coalition(c).issue;
    let at = world.states.at(j, issue);
    let s = world.states.share[at];
    world.states.venues_on[at] -= 1;
    world.states.coalitions_on[at] -= 1;
    let co = &world.coalitions[c.index()];
    let removed: f64 = co
        .members
        .iter()
        .filter(|&&m| m != j)
        .map(|&m| affinity(&world.states.labels, &scenario.affinities, j, m))
        .sum();
    let co = &mut world.coalitions[c.index()];
    co.members.retain(|&m| m != j);
    co.coverage = (co.coverage - s).max(0.0);
    co.affinity_sum = (co.affinity_sum - removed).max(0.0);
    co.cohesion = cohesion(co.affinity_sum, co.members.len());
    if co.leader == j {
        let states = &world.states;
        if let Some(&next) = co.members.iter().max_by(|&&a, &&b| {
            states.share[states.at(a, issue)]
                .total_cmp(&states.share[states.at(b, issue)])
                .then(b.cmp(&a))
        }) {
            co.leader = next;
        }
    }
}

/// The standard deviation of coalition `c`'s members' positions on its issue: how far
/// apart they are on what it is for (docs/model.md, "Clarity of purpose").
fn dispersion(world: &World, c: CoalitionId) -> f64 {
    let co = &world.coalitions[c.index()];
    let s = &world.states;
    let n = co.members.len().max(1) as f64;
    let at = |&m: &StateId| s.position[s.at(m, co.issue)];
    let mean = co.members.iter().map(at).sum::<f64>() / n;
    let var = co
        .members
        .iter()
        .map(|m| (at(m) - mean).powi(2))
        .sum::<f64>()
        / n;
    var.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::{RunKey, run_rng};
    use crate::metrics::TickMetrics;
    use std::path::Path;

    /// Five states with gdp 8, 4, 2, 1, 1 (shares 0.5, 0.25, 0.125, 0.0625, 0.0625).
    fn scenario() -> Scenario {
        let mut text = String::from(
            "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\n[defaults]\nbandwidth = 2\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n",
        );
        for (name, gdp) in [("A", 8.0), ("B", 4.0), ("C", 2.0), ("D", 1.0), ("E", 1.0)] {
            text.push_str(&format!(
                "[[states]]\nname = \"{name}\"\ncapabilities = {{ gdp = {gdp} }}\n"
            ));
        }
        Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
            .expect("valid")
            .scenario
    }

    /// Keeps each event as `(kind, state or serial, members after)`.
    #[derive(Default)]
    struct Log(Vec<(&'static str, u32, usize)>);

    impl Observer for Log {
        fn on_tick(&mut self, _: &TickMetrics) {}
        fn on_event(&mut self, _: u32, event: &Event<'_>) {
            self.0.push(match *event {
                Event::CoalitionFounded { coalition } => {
                    ("founded", coalition.serial, coalition.members.len())
                }
                Event::Joined { state, coalition } => ("joined", state.0, coalition.members.len()),
                Event::Left {
                    state, coalition, ..
                } => ("left", state.0, coalition.members.len()),
                Event::CoalitionEnded { coalition, .. } => {
                    ("ended", coalition.serial, coalition.members.len())
                }
                _ => ("other", 0, 0),
            });
        }
    }

    #[test]
    fn every_membership_change_reports_its_event_and_keeps_both_sides() {
        let s = scenario();
        let mut w = World::new(&s, &mut run_rng(1, RunKey::default()));
        let mut tally = Tally::default();
        let mut log = Log::default();
        let founding = Founding {
            founder: StateId(0),
            issue: IssueId(0),
            kind: CoalitionKind::Issue,
            institutionalisation: 0.0,
            rate: 0.0,
            aim: 0.5,
        };
        let c = found(&s, &mut w, &mut tally, &mut log, &founding, &[StateId(1)]);
        join(&s, &mut w, &mut log, c, StateId(2));
        assert!((w.coalition(c).coverage - 0.875).abs() < 1e-15);
        assert_eq!(w.coalition(c).peak_size, 3);
        w.check_invariants(&s).expect("consistent");
        let why = Departure::of(&w, StateId(0), -1.0);
        leave(&s, &mut w, &mut log, c, StateId(0), why);
        assert_eq!(w.coalition(c).members, vec![StateId(1), StateId(2)]);
        assert_eq!(
            w.coalition(c).leader,
            StateId(1),
            "leadership passes to the largest member"
        );
        assert!((w.coalition(c).coverage - 0.375).abs() < 1e-15);
        assert!(w.states.memberships[0].is_empty());
        assert_eq!(w.coalition(c).cohesion, 0.0, "no labels, no affinity");
        w.check_invariants(&s).expect("consistent");
        dissolve(&mut w, &mut tally, &mut log, c, 1, EndReason::TooSmall);
        assert!(w.active.is_empty() && w.free == [c]);
        assert!(w.states.memberships.iter().all(Vec::is_empty));
        assert_eq!(
            log.0,
            [
                ("founded", 0, 2),
                ("joined", 2, 3),
                ("left", 0, 2),
                ("ended", 0, 2),
            ]
        );
        assert_eq!(tally.founded, 1);
    }

    #[test]
    fn cohesion_is_the_mean_pairwise_affinity() {
        assert_eq!(cohesion(3.0, 3), 1.0);
        assert_eq!(cohesion(1.5, 3), 0.5);
        assert_eq!(cohesion(0.0, 1), 1.0);
    }
}
