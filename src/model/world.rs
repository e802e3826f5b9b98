//! `World`: everything carried between ticks of one run. Built from a validated
//! `Scenario` by drawing every per-state parameter from the run's RNG, in state order
//! then issue order, so a run is reproducible alone.
//!
//! **Invariant:** all allocation of a run happens here and in `act::scratch`;
//! coalition slots are reused, so a tick allocates only when more coalitions are
//! active at once than ever before in the run.

use rand::rngs::ChaCha8Rng;

use super::ids::{BodyId, CoalitionId, IssueId, StateId};
use super::issue::IssueState;
use super::scenario::{BodySpec, Rule, Scenario};
use super::state::States;
use super::venue::{Body, Coalition, Seat};

/// Fills `states.threat` for every issue with a `threat` (docs/model.md, "Threat"):
///
/// ```text
/// θ_ik = min(1, Σ_{c challenger, c ≠ i} r_ic × |pos_ik − pos_ck| × g_ic)
/// r_ic = s_ck / (s_ck + s_ik)       the challenger's power relative to i's (0 if both 0)
/// g_ic = 1 in the same region, `distant` otherwise (or when either has none)
/// ```
///
/// Non-state actors neither threaten nor are threatened. Walt (1987, *The Origins of
/// Alliances*): threat grows with a power's aggregate power, its proximity and its
/// aggressive intentions, here the distance between preferences.
fn threats(scenario: &Scenario, states: &mut States) {
    for (k, issue) in scenario.issues.iter().enumerate() {
        let Some(threat) = issue.threat else {
            continue;
        };
        let k = IssueId::from_index(k);
        for (i, spec) in scenario.states.iter().enumerate() {
            if spec.non_state {
                continue;
            }
            let id = StateId::from_index(i);
            let (s_i, pos_i) = (
                states.share[states.at(id, k)],
                states.position[states.at(id, k)],
            );
            let mut theta = 0.0;
            for (c, challenger) in scenario.states.iter().enumerate() {
                if c == i || !states.challenger[c] || challenger.non_state {
                    continue;
                }
                let at = states.at(StateId::from_index(c), k);
                let (s_c, pos_c) = (states.share[at], states.position[at]);
                let relative = if s_c + s_i > 0.0 {
                    s_c / (s_c + s_i)
                } else {
                    0.0
                };
                let near = !spec.region.is_empty() && spec.region == challenger.region;
                theta += relative * (pos_i - pos_c).abs() * if near { 1.0 } else { threat.distant };
            }
            let at = states.at(id, k);
            states.threat[at] = theta.min(1.0);
        }
    }
}

/// The simulation state of one run.
#[derive(Clone, Debug)]
pub struct World {
    /// Current tick (0-based).
    pub tick: u32,
    /// The states.
    pub states: States,
    /// The issues' changing part.
    pub issues: Vec<IssueState>,
    /// The bodies.
    pub bodies: Vec<Body>,
    /// Coalition slots (active and free).
    pub coalitions: Vec<Coalition>,
    /// Active coalition slots, in founding order.
    pub active: Vec<CoalitionId>,
    /// Free slots, reused before new ones are allocated.
    pub free: Vec<CoalitionId>,
    /// Next founding serial.
    pub next_serial: u32,
    /// For each issue, states sorted by their share of its capability (largest first,
    /// ties by id): the founders' shortlist of impactful partners.
    pub by_share: Vec<Vec<StateId>>,
    /// Member capacity of a new coalition slot (`max_size`, at most the number of
    /// states), so that a coalition never grows its member lists in the tick loop.
    pub slot_capacity: usize,
}

impl World {
    /// Builds the world of one run, drawing per-state parameters from `rng`.
    pub fn new(scenario: &Scenario, rng: &mut ChaCha8Rng) -> World {
        let n = scenario.states.len();
        let k = scenario.issues.len();
        let mut states = States {
            n_issues: k,
            n_capabilities: scenario.capabilities.len(),
            capability_share: vec![0.0; n * scenario.capabilities.len()],
            share: vec![0.0; n * k],
            salience: vec![0.0; n * k],
            position: vec![0.0; n * k],
            threat: vec![0.0; n * k],
            population_share: vec![0.0; n],
            bandwidth: vec![0; n],
            challenger: vec![false; n],
            middle_power: vec![false; n],
            venues_on: vec![0; n * k],
            coalitions_on: vec![0; n * k],
            focus: if scenario.coalitions.deadline.is_some() || scenario.coalitions.goal.is_some() {
                scenario.coalitions.focus
            } else {
                0.0
            },
            great_power: vec![false; n],
            non_state: vec![false; n],
            expertise: scenario.states.iter().map(|s| s.expertise).collect(),
            n_with_voice: 0,
            labels: vec![0; n],
            region: super::typology::region_ids(scenario),
            elite: Vec::new(),
            memberships: Vec::with_capacity(n),
            reputation: vec![scenario.payoffs.initial_trust; n],
            welfare: vec![0.0; n],
            payoff: vec![0.0; n],
        };

        let cap_totals: Vec<f64> = (0..scenario.capabilities.len())
            .map(|d| scenario.states.iter().map(|s| s.capabilities[d]).sum())
            .collect();
        let pop_total: f64 = scenario.states.iter().map(|s| s.population).sum();

        for (i, spec) in scenario.states.iter().enumerate() {
            let id = StateId::from_index(i);
            for (kk, issue) in scenario.issues.iter().enumerate() {
                let at = states.at(id, IssueId::from_index(kk));
                let d = issue.capability.index();
                states.share[at] = if cap_totals[d] > 0.0 {
                    spec.capabilities[d] / cap_totals[d]
                } else {
                    0.0
                };
                states.salience[at] = spec.interests[kk].salience.draw(rng).clamp(0.0, 1.0);
                states.position[at] = spec.interests[kk].position.draw(rng).clamp(0.0, 1.0);
            }
            for (d, total) in cap_totals.iter().enumerate() {
                states.capability_share[i * cap_totals.len() + d] = if *total > 0.0 {
                    spec.capabilities[d] / total
                } else {
                    0.0
                };
            }
            let bandwidth = spec.bandwidth.draw(rng).round().max(0.0) as u32;
            states.population_share[i] = if pop_total > 0.0 {
                spec.population / pop_total
            } else {
                0.0
            };
            states.bandwidth[i] = bandwidth;
            states.challenger[i] = spec.challenger;
            states.non_state[i] = spec.non_state;
            states.labels[i] = spec.labels;
            states
                .memberships
                .push(Vec::with_capacity(bandwidth as usize));
        }
        states.elite = super::typology::issue_elite(scenario, &states.share);
        states.n_with_voice = scenario.states.iter().filter(|s| !s.non_state).count();
        threats(scenario, &mut states);
        for gp in &scenario.great_powers {
            states.great_power[gp.index()] = true;
        }
        for mp in &scenario.middle_powers {
            states.middle_power[mp.index()] = true;
        }
        let bodies: Vec<Body> = scenario.bodies.iter().map(|b| body(b, k, n)).collect();
        for body in &bodies {
            for &m in &body.members {
                for &issue in &body.mandate {
                    let at = states.at(m, issue);
                    states.venues_on[at] += 1;
                }
            }
        }

        let by_share = (0..k)
            .map(|kk| {
                let issue = IssueId::from_index(kk);
                let mut ids: Vec<StateId> = (0..n).map(StateId::from_index).collect();
                ids.sort_by(|&a, &b| {
                    states.share[states.at(b, issue)]
                        .total_cmp(&states.share[states.at(a, issue)])
                        .then(a.cmp(&b))
                });
                ids
            })
            .collect();

        // Between ticks every active coalition holds two memberships or more.
        let slots = states.bandwidth.iter().sum::<u32>() as usize / 2;
        World {
            tick: 0,
            states,
            issues: (scenario.issues.iter())
                .map(|issue| IssueState {
                    pressure: issue.threat.map_or(0.0, |t| t.at(0)),
                    ..IssueState::default()
                })
                .collect(),
            bodies,
            coalitions: Vec::with_capacity(slots),
            active: Vec::with_capacity(slots),
            free: Vec::with_capacity(slots),
            next_serial: 0,
            by_share,
            slot_capacity: (scenario.coalitions.max_size as usize).min(n),
        }
    }

    /// The body with id `b`.
    pub fn body(&self, b: BodyId) -> &Body {
        &self.bodies[b.index()]
    }

    /// The coalition in slot `c`.
    pub fn coalition(&self, c: CoalitionId) -> &Coalition {
        &self.coalitions[c.index()]
    }

    /// Current salience of `issue` for `state`: its own, plus any crisis boost, plus
    /// the challengers' pressure times the threat it perceives, capped at 1.
    #[inline]
    pub fn salience(&self, state: StateId, issue: IssueId) -> f64 {
        let at = self.states.at(state, issue);
        let issue = &self.issues[issue.index()];
        (self.states.salience[at] + issue.boost + issue.pressure * self.states.threat[at]).min(1.0)
    }

    /// Takes a free coalition slot (reusing its buffers) or allocates a new one.
    pub fn take_slot(&mut self) -> CoalitionId {
        if let Some(slot) = self.free.pop() {
            slot
        } else {
            let states = self.states.len();
            self.coalitions
                .push(Coalition::with_capacity(self.slot_capacity, states));
            CoalitionId::from_index(self.coalitions.len() - 1)
        }
    }
}

impl World {
    /// Checks the invariants that hold between ticks and returns the first one
    /// broken. Used by tests after every tick; O(states + memberships).
    ///
    /// - no state is over its bandwidth, and memberships agree on both sides;
    /// - each state's venue count on an issue is its bodies with the issue in their
    ///   mandate plus its coalitions on the issue (the effort split);
    /// - every active coalition has 2..=`max_size` distinct members;
    /// - progress lies in [0, target]; reputations lie in [0, 1].
    pub fn check_invariants(&self, scenario: &Scenario) -> Result<(), String> {
        let s = &self.states;
        for i in 0..s.len() {
            let list = &s.memberships[i];
            if list.len() as u32 > s.bandwidth[i] {
                return Err(format!(
                    "tick {}: state {i} holds {} memberships, bandwidth {}",
                    self.tick,
                    list.len(),
                    s.bandwidth[i]
                ));
            }
            for &c in list {
                let co = &self.coalitions[c.index()];
                if !co.active || !co.members.contains(&StateId::from_index(i)) {
                    return Err(format!(
                        "tick {}: state {i} lists coalition slot {} which does not list it",
                        self.tick, c.0
                    ));
                }
            }
            let id = StateId::from_index(i);
            for k in 0..s.n_issues {
                let issue = IssueId::from_index(k);
                let bodies = self
                    .bodies
                    .iter()
                    .filter(|b| b.members.contains(&id) && b.mandate.contains(&issue))
                    .count();
                let coalitions = list
                    .iter()
                    .filter(|&&c| self.coalitions[c.index()].issue == issue)
                    .count();
                if s.coalitions_on[s.at(id, issue)] as usize != coalitions {
                    return Err(format!(
                        "tick {}: state {i} counts {} coalitions on issue {k}, sits in {coalitions}",
                        self.tick,
                        s.coalitions_on[s.at(id, issue)]
                    ));
                }
                if s.venues_on[s.at(id, issue)] as usize != bodies + coalitions {
                    return Err(format!(
                        "tick {}: state {i} counts {} venues on issue {k}, sits in {bodies} bodies and {coalitions} coalitions on it",
                        self.tick,
                        s.venues_on[s.at(id, issue)]
                    ));
                }
            }
            if !(0.0..=1.0).contains(&s.reputation[i]) {
                return Err(format!(
                    "tick {}: state {i} has reputation {}",
                    self.tick, s.reputation[i]
                ));
            }
        }
        for &c in &self.active {
            let co = &self.coalitions[c.index()];
            let n = co.members.len();
            if !co.active || n < 2 || n as u32 > scenario.coalitions.max_size {
                return Err(format!(
                    "tick {}: coalition {} active={} with {n} members (max {})",
                    self.tick, co.serial, co.active, scenario.coalitions.max_size
                ));
            }
            for (a, &m) in co.members.iter().enumerate() {
                if co.members[..a].contains(&m) || !s.memberships[m.index()].contains(&c) {
                    return Err(format!(
                        "tick {}: coalition {} member {} duplicated or not reciprocated",
                        self.tick, co.serial, m.0
                    ));
                }
            }
        }
        for (k, issue) in self.issues.iter().enumerate() {
            let target = scenario.issues[k].target;
            if !(0.0..=target + 1e-9).contains(&issue.progress) {
                return Err(format!(
                    "tick {}: issue {k} progress {} outside [0, {target}]",
                    self.tick, issue.progress
                ));
            }
        }
        for (b, spec) in scenario.bodies.iter().enumerate() {
            let body = &self.bodies[b];
            let seated = spec.members.len() + body.seats.len();
            let sorted = body.members.windows(2).all(|w| w[0] < w[1]);
            let sitting = body.members.len();
            if sitting + body.absent.len() != seated
                || !sorted
                || body.veto_holder.len() != sitting
                || body
                    .absent
                    .iter()
                    .any(|a| body.members.binary_search(a).is_ok())
            {
                return Err(format!(
                    "tick {}: body {} has {} members ({} permanent, {} seats), sorted {sorted}",
                    self.tick,
                    spec.name,
                    body.members.len(),
                    spec.members.len(),
                    body.seats.len()
                ));
            }
            if let Some(e) = &spec.elected {
                for (g, &n) in e.seats.iter().enumerate() {
                    let held = body.seats.iter().filter(|s| s.group as usize == g).count();
                    if held > n as usize {
                        return Err(format!(
                            "tick {}: body {} holds {held} seats of group {} (has {n})",
                            self.tick, spec.name, e.groups[g]
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether each of `members` holds a veto under `rule`.
pub fn veto_holders(rule: &Rule, members: &[StateId]) -> Vec<bool> {
    let mut out = Vec::with_capacity(members.len());
    refresh_veto_holders(rule, members, &mut out);
    out
}

/// Refills `out` with whether each of `members` holds a veto under `rule`, in place
/// (a body's members change during a run; its buffer keeps its capacity).
pub fn refresh_veto_holders(rule: &Rule, members: &[StateId], out: &mut Vec<bool>) {
    out.clear();
    out.extend(
        members.iter().map(
            |m| matches!(rule, Rule::Veto { holders, .. } if holders.binary_search(m).is_ok()),
        ),
    );
}

/// A body at the start of a run, as the scenario declares it.
fn body(b: &BodySpec, issues: usize, states: usize) -> Body {
    let seats: Vec<Seat> = b.elected.as_ref().map_or_else(Vec::new, |e| {
        e.sitting
            .iter()
            .map(|&(state, until)| Seat {
                state,
                group: e.group_of[state.index()].unwrap_or(0),
                until,
            })
            .collect()
    });
    let mut members = b.members.clone();
    members.extend(seats.iter().map(|s| s.state));
    members.sort();
    let veto_holder = veto_holders(&b.rule, &members);
    Body {
        members,
        seats,
        stalled: vec![false; issues],
        binds: b.binds.clone().unwrap_or_default(),
        binding: b.binding,
        veto_holder,
        rule: b.rule.clone(),
        issue_rules: b.issue_rules.clone(),
        absent: Vec::with_capacity(if b.exit.is_some() { b.members.len() } else { 0 }),
        failures: vec![0; if b.counts_failures() { states } else { 0 }],
        delay: b.delay,
        mandate: b.mandate.clone(),
        linkage: b.linkage,
        coordinate: b.coordinate,
        dialogue: b.dialogue,
        next_item: 0,
        facilitates: b.facilitates,
        pending: None,
        attempted: 0,
        adopted: 0,
        endorsed: 0,
        take_up_votes: 0,
        take_ups_failed: 0,
        progress: 0.0,
    }
}
