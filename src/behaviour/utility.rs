//! The `utility` behaviour rule (MODEL.md "Behaviour rules"): myopic expected-utility
//! best response with logit noise. A reviewing state lists its options (stay, leave
//! each coalition, apply to a few open coalitions, found one), values each by the
//! per-tick payoff it expects, and picks one with probability `∝ exp(U / T)`
//! (`T = 0`: the best option, ties to the first).
//!
//! **Invariant:** no action takes a state over its bandwidth or a coalition over
//! `max_size`; memberships stay consistent on both sides.

use rand::RngExt;

use crate::act::goods::{club_exports, in_club, power, produce};
use crate::act::leadership;
use crate::act::membership::{self, Departure, Founding};
use crate::act::scratch::{Action, Scratch};
use crate::act::vote::{authorises, fill_voters, inside_framework, rule_weight, stance, voter};
use crate::act::{Ctx, accept_params};
use crate::metrics::{Event, Observer};
use crate::model::World;
use crate::model::ids::{CoalitionId, IssueId, StateId};
use crate::model::scenario::{Rule, Scenario};
use crate::model::state::affinity;
use crate::model::venue::{Coalition, CoalitionKind};
use crate::rules::acceptance::{accept_probability, logistic};
use crate::rules::{self, Voter};

/// What a state expects of a coalition, per tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prospect {
    /// The issue.
    pub issue: IssueId,
    /// Expected progress per tick.
    pub rate: f64,
    /// Expected depth of its measures.
    pub aim: f64,
    /// Expected adoptions per tick.
    pub adoptions: f64,
    /// Institutionalisation.
    pub institutionalisation: f64,
    /// Mean affinity of the state with the other members.
    pub affinity: f64,
    /// Members, the state included.
    pub size: usize,
    /// Penalty tariff per tick the membership spares the state (0 if it is in another
    /// coalition on the issue, or the issue has no tariff).
    pub tariff_avoided: f64,
    /// The state's stake per tick in leading it ([`leadership::stake`]; 0 unless the
    /// prospect is a founder's plan).
    pub stake: f64,
}

/// Value per tick to state `i` of membership in a coalition with prospect `p`:
///
/// `V = sal × (x + (1 − x) ρ) × rate − cost × aim × s × adoptions − overhead
///      − ι × institution_cost + affinity_weight × affinity
///      − negotiation_cost × (size − 1) / delay + tariff_avoided`
///
/// `sal` is the state's current salience of the issue, `x` its excludability, `s` the
/// state's capability share, `ρ` the scenario's `reciprocity`: a club good (x = 1) is
/// only had by members, while of a public good a member counts the share ρ of the
/// coalition's output as due to its membership (partners reciprocate, so leaving would
/// unravel it). ρ = 0 is pure free-rider reasoning, under which no state would join a
/// public-good coalition for its output alone (the standard result of the
/// international environmental agreements literature). The negotiation term is the
/// cost of agreement a member pays at each decision; `tariff_avoided` is the penalty
/// tariff a club spares its members (`tariff × exports to the club`).
pub fn membership_value(scenario: &Scenario, world: &World, i: StateId, p: &Prospect) -> f64 {
    let spec = &scenario.issues[p.issue.index()];
    let sal = world.salience(i, p.issue);
    let s = world.states.share[world.states.at(i, p.issue)];
    let x = spec.excludability;
    let pay = &scenario.payoffs;
    sal * (x + (1.0 - x) * scenario.behaviour.reciprocity) * p.rate
        - spec.cost * p.aim * s * p.adoptions
        - pay.overhead
        - p.institutionalisation * scenario.coalitions.institution_cost
        + pay.affinity_weight * p.affinity
        - scenario.coalitions.negotiation_cost * p.size.saturating_sub(1) as f64
            / scenario.coalitions.delay as f64
        + p.tariff_avoided
}

/// The penalty tariff per tick that membership in a coalition on `k` with `members`
/// spares state `i`: `tariff × exports to the club` if `i` is in no other coalition
/// on `k`, else 0. `member`: whether `i` already belongs to the coalition valued.
pub fn tariff_avoided(
    scenario: &Scenario,
    world: &World,
    i: StateId,
    k: IssueId,
    members: &[StateId],
    member: bool,
) -> f64 {
    let tariff = scenario.issues[k.index()].tariff;
    if tariff <= 0.0 || scenario.trade.is_empty() {
        return 0.0;
    }
    let on_k = world.states.memberships[i.index()]
        .iter()
        .filter(|&&c| world.coalition(c).issue == k)
        .count();
    if on_k > usize::from(member) {
        return 0.0;
    }
    tariff * club_exports(scenario, world, i, k, members)
}

/// Mean affinity of `i` with the members of `members` other than itself (0 if none).
pub fn mean_affinity(scenario: &Scenario, world: &World, i: StateId, members: &[StateId]) -> f64 {
    if scenario.affinities.is_empty() {
        // Shared labels only (the common case, on the hot path): the same sum as
        // below with `i`'s labels read once.
        let labels = &world.states.labels;
        let a = labels[i.index()];
        let (mut sum, mut n) = (0.0, 0usize);
        for &m in members {
            if m == i {
                continue;
            }
            let b = labels[m.index()];
            let union = (a | b).count_ones();
            if union != 0 {
                sum += (a & b).count_ones() as f64 / union as f64;
            } else {
                sum += 0.0;
            }
            n += 1;
        }
        return if n == 0 { 0.0 } else { sum / n as f64 };
    }
    let (sum, n) = members
        .iter()
        .filter(|&&m| m != i)
        .fold((0.0, 0usize), |(s, n), &m| {
            (
                s + affinity(&world.states.labels, &scenario.affinities, i, m),
                n + 1,
            )
        });
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// The prospect of coalition `c` as seen by `i`. For a member it is the coalition as
/// it is; for an applicant its expected delivery grows with the capability it brings,
/// `rate × ((coverage + s) / coverage)^returns`, where `s` is its share times the
/// effort it could give one more venue on the issue. Adoptions per tick are the
/// Laplace-smoothed adoption record `(adopted + 1) / (attempted + 2) / delay`.
pub fn prospect(
    scenario: &Scenario,
    world: &World,
    i: StateId,
    c: &Coalition,
    joining: bool,
) -> Prospect {
    let spec = &scenario.issues[c.issue.index()];
    let mut rate = c.rate;
    if joining && c.coverage > 0.0 {
        let s = world.states.share[world.states.at(i, c.issue)]
            * world.states.effort_if_joining(i, c.issue, true);
        rate *= power((c.coverage + s) / c.coverage, spec.returns);
    }
    let own = world.states.expertise[i.index()];
    if joining && own > 0.0 {
        // An applicant with more expertise than any member raises what each measure
        // draws on.
        let best = (c.members.iter())
            .map(|m| world.states.expertise[m.index()])
            .fold(0.0, f64::max);
        rate *= (1.0 + best.max(own)) / (1.0 + best);
    }
    Prospect {
        issue: c.issue,
        rate,
        aim: c.aim,
        adoptions: (c.adopted as f64 + 1.0)
            / (c.attempted as f64 + 2.0)
            / scenario.coalitions.delay as f64,
        institutionalisation: c.institutionalisation,
        affinity: mean_affinity(scenario, world, i, &c.members),
        size: c.members.len() + usize::from(joining),
        tariff_avoided: tariff_avoided(scenario, world, i, c.issue, &c.members, !joining),
        stake: 0.0,
    }
}

/// Reviews state `i`'s portfolio and carries out the chosen action.
pub fn review<O: Observer>(ctx: &mut Ctx<'_, O>, i: StateId) {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        observer,
        ..
    } = ctx;
    let b = &scenario.behaviour;
    scratch.options.clear();
    scratch.options.push((Action::Stay, 0.0));
    for &c in &world.states.memberships[i.index()] {
        let co = world.coalition(c);
        let mut v = membership_value(scenario, world, i, &prospect(scenario, world, i, co, false));
        if co.leader == i {
            v -= leadership::cost(scenario, co.issue, co.aim, co.members.len());
        }
        scratch.options.push((Action::Leave(c), -v));
    }
    let mut plan = None;
    if scenario.coalitions.enabled
        && world.states.has_bandwidth(i)
        && inside_framework(scenario, world, i)
    {
        if !world.active.is_empty() {
            for _ in 0..b.join_candidates {
                let c = world.active[rng.random_range(0..world.active.len() as u32) as usize];
                let co = world.coalition(c);
                if co.members.len() as u32 >= scenario.coalitions.max_size
                    || world.states.is_member(i, c)
                    || world.salience(i, co.issue) < b.min_salience
                    || scratch.options.iter().any(|(a, _)| *a == Action::Join(c))
                {
                    continue;
                }
                let mut v =
                    membership_value(scenario, world, i, &prospect(scenario, world, i, co, true));
                if leadership::takes_lead(scenario, world, i, co, true) {
                    v -= leadership::cost(scenario, co.issue, co.aim, co.members.len() + 1);
                }
                scratch.options.push((Action::Join(c), v));
            }
        }
        if let Some(k) = founding_issue(scenario, world, i)
            && (scenario.coalitions.founders.as_ref()).is_none_or(|f| f.binary_search(&i).is_ok())
            && last_resort(scenario, world, k)
            && let Some(p) = plan_coalition(scenario, world, scratch, i, k)
        {
            let lead = leadership::cost(scenario, k, p.aim, p.size);
            if p.stake >= lead {
                let v = membership_value(scenario, world, i, &p)
                    - lead
                    - scenario.coalitions.founding_cost;
                scratch.options.push((Action::Found(k), v));
                plan = Some(p);
            }
        }
    }
    let mut choice = choose(&scratch.options, b.temperature, rng);
    let tick = world.tick;
    if observer.plays()
        && let Some(k) = observer.decide_move(world, i, &scratch.options, choice)
        && k < scratch.options.len()
    {
        choice = k;
    }
    let (action, utility) = scratch.options[choice];
    match action {
        Action::Stay => {}
        Action::Leave(c) => {
            let why = Departure::of(world, i, -utility);
            membership::leave(scenario, world, *observer, c, i, why);
        }
        Action::Join(c) => {
            if admitted(scenario, world, scratch, rng, c, i) {
                membership::join(scenario, world, *observer, c, i);
            } else {
                let event = Event::Refused {
                    state: i,
                    coalition: world.coalition(c),
                };
                observer.on_event(tick, &event);
            }
        }
        Action::Found(k) => {
            if let Some(p) = plan {
                found(ctx, i, k, &p);
            }
        }
    }
}

/// Index of the chosen option: logit choice `P(o) = exp(U_o / T) / Σ exp(U / T)`, or
/// the first best option when `T = 0`. Draws one uniform when `T > 0` and there is
/// more than one option.
pub fn choose(
    options: &[(Action, f64)],
    temperature: f64,
    rng: &mut rand::rngs::ChaCha8Rng,
) -> usize {
    let best = options
        .iter()
        .enumerate()
        .fold(0, |b, (i, o)| if o.1 > options[b].1 { i } else { b });
    if temperature <= 0.0 || options.len() == 1 {
        return best;
    }
    let top = options[best].1;
    let total: f64 = options
        .iter()
        .map(|o| ((o.1 - top) / temperature).exp())
        .sum();
    let mut u = rng.random::<f64>() * total;
    for (i, o) in options.iter().enumerate() {
        u -= ((o.1 - top) / temperature).exp();
        if u <= 0.0 {
            return i;
        }
    }
    best
}

/// The issue a state would found a coalition on: the open issue it cares most about
/// (at least `min_salience`) on which it is not already in a coalition.
pub fn founding_issue(scenario: &Scenario, world: &World, i: StateId) -> Option<IssueId> {
    let mut best: Option<(IssueId, f64)> = None;
    for k in 0..scenario.issues.len() {
        let k = IssueId::from_index(k);
        let sal = world.salience(i, k);
        if sal < scenario.behaviour.min_salience
            || world.issues[k.index()].progress >= scenario.issues[k.index()].target - 1e-12
            || world.states.memberships[i.index()]
                .iter()
                .any(|&c| world.coalition(c).issue == k)
        {
            continue;
        }
        if best.is_none_or(|(_, s)| sal > s) {
            best = Some((k, sal));
        }
    }
    best.map(|(k, _)| k)
}

/// How many of the largest holders of an issue's capability a founder examines per
/// place in the coalition: enough to skip states that are full or uninterested,
/// few enough that founding costs O(max_size), not O(states).
pub const SHORTLIST_PER_SEAT: usize = 2;

/// A founder's plan (MODEL.md: "the partners that give it the largest possible impact
/// with the smallest number of countries", close in preference). The founder scores
/// the largest holders of the issue's capability by
/// `share × willingness to accept the founder's position × (1 + affinity)`, then
/// invites them best first until the coalition would hold `target_coverage` of the
/// capability or reach `max_size`, or the size its own weight can carry as leader
/// (`salience × own share ≥ leadership_cost × size`). Leaves the partners in `scratch.plan`; returns the
/// prospect of the planned coalition with the founder's stake in leading it, or `None`
/// if nobody fits or no member of the plan wants a step beyond the status quo.
/// Coverage counts each member's share times the effort it could give one more venue
/// on the issue (finite effort).
pub fn plan_coalition(
    scenario: &Scenario,
    world: &World,
    scratch: &mut Scratch,
    i: StateId,
    k: IssueId,
) -> Option<Prospect> {
    let cs = &scenario.coalitions;
    let accept = accept_params(scenario);
    let status_quo = scenario.issues[k.index()].status_quo;
    let s = &world.states;
    let founder_position = s.position[s.at(i, k)];
    if founder_position <= status_quo {
        return None;
    }
    let own = s.share[s.at(i, k)] * s.effort_if_joining(i, k, true);
    // The largest coalition the founder's weight can carry even if every decision
    // were adopted: stake ≥ cost needs `salience × own ≥ leadership_cost × size`
    // (linear returns; see `leadership::stake`). Most states cannot carry even the
    // smallest coalition: they need no shortlist (the plan would come out too small).
    let carried = if cs.leadership_cost > 0.0 {
        (world.salience(i, k) * own / cs.leadership_cost).floor() as usize
    } else {
        usize::MAX
    };
    if carried < cs.min_size as usize {
        return None;
    }
    scratch.candidates.clear();
    let shortlist = SHORTLIST_PER_SEAT * cs.max_size as usize;
    for &j in world.by_share[k.index()]
        .iter()
        .filter(|&&j| j != i)
        .take(shortlist)
    {
        if !s.has_bandwidth(j)
            || world.salience(j, k) < scenario.behaviour.min_salience
            || !inside_framework(scenario, world, j)
            || !shares_vision(scenario, world, i, j, k)
        {
            continue;
        }
        let p = willingness(
            founder_position,
            status_quo,
            stance(world, j, k, Some(i)),
            &accept,
        );
        let score = s.share[s.at(j, k)]
            * p
            * (1.0 + affinity(&s.labels, &scenario.affinities, i, j))
            * (1.0 + s.expertise[j.index()]);
        if score > 0.0 {
            scratch.candidates.push((score, j));
        }
    }
    // Only the best `max_size` candidates can be invited: select them, then sort those.
    let by_score = |a: &(f64, StateId), b: &(f64, StateId)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let seats = cs.max_size as usize;
    if scratch.candidates.len() > seats {
        scratch
            .candidates
            .select_nth_unstable_by(seats - 1, by_score);
        scratch.candidates.truncate(seats);
    }
    scratch.candidates.sort_unstable_by(by_score);
    scratch.plan.clear();
    let mut coverage = own;
    let mut expertise = s.expertise[i.index()];
    let mut nominal = s.share[s.at(i, k)];
    let min_size = cs.min_size as usize;
    let seats = (cs.max_size as usize).min(carried);
    for &(_, j) in &scratch.candidates {
        let enough = nominal >= cs.target_coverage && scratch.plan.len() + 1 >= min_size;
        if enough || scratch.plan.len() + 1 >= seats {
            break;
        }
        scratch.plan.push(j);
        expertise = expertise.max(s.expertise[j.index()]);
        nominal += s.share[s.at(j, k)];
        coverage += s.share[s.at(j, k)] * s.effort_if_joining(j, k, true);
    }
    if scratch.plan.is_empty() || scratch.plan.len() + 1 < min_size {
        return None;
    }
    // Expected depth and adoption chance of the planned coalition under its rule.
    scratch.voters.clear();
    let weight = rule_weight(&cs.rule);
    scratch.voters.push(voter(world, i, k, weight));
    for n in 0..scratch.plan.len() {
        let v = voter(world, scratch.plan[n], k, weight);
        scratch.voters.push(v);
    }
    let aim = rules::propose(&cs.rule, &mut scratch.voters, status_quo)?;
    let aim = cs.depth.unwrap_or(aim);
    let p_adopt = adoption_chance(
        &cs.rule,
        &scratch.voters,
        world,
        k,
        aim,
        i,
        &accept,
        status_quo,
    );
    let spec = &scenario.issues[k.index()];
    let adoptions = p_adopt / cs.delay as f64;
    let rate = produce(
        spec.efficiency * (1.0 + expertise),
        spec.returns,
        aim,
        coverage,
    ) * adoptions;
    Some(Prospect {
        issue: k,
        rate,
        aim,
        adoptions,
        institutionalisation: cs.institutionalisation.centre().clamp(0.0, 1.0),
        affinity: mean_affinity(scenario, world, i, &scratch.plan),
        size: scratch.plan.len() + 1,
        tariff_avoided: tariff_avoided(scenario, world, i, k, &scratch.plan, false),
        stake: leadership::stake(world, i, k, own, coverage, rate),
    })
}

/// A founder's quick estimate of how willing a partner is to follow it, in [0, 1]:
/// the tangent at indifference of the acceptance logit of a measure at the founder's
/// position, `clamp(1/2 + gain / (4 T), 0, 1)` with
/// `gain = |status_quo − position_j| − |position_founder − position_j|`, times the
/// same challenger and rivalry factors as acceptance. It ranks candidates like
/// [`accept_probability`] does (both rise with the gain) at a fraction of the cost, so
/// that the founder can afford to examine a long shortlist. Partners close to the
/// founder, or more ambitious than it, are willing; laggards are not.
pub fn willingness(
    founder_position: f64,
    status_quo: f64,
    stance: crate::rules::acceptance::Stance,
    params: &crate::rules::acceptance::AcceptanceParams,
) -> f64 {
    let g = crate::rules::acceptance::gain(founder_position, status_quo, stance.position);
    let mut w = (0.5 + g / (4.0 * params.temperature)).clamp(0.0, 1.0);
    if stance.challenger {
        w *= 1.0 - params.challenger_reluctance;
    }
    if stance.rival_led {
        w *= 1.0 - params.rivalry;
    }
    w
}

/// Chance that a planned coalition adopts its proposal: the product of members'
/// acceptance probabilities under unanimity/consensus (everyone must accept), their
/// mean under majority rules (an approximation a founder can make in its head).
#[allow(clippy::too_many_arguments)]
fn adoption_chance(
    rule: &Rule,
    voters: &[Voter],
    world: &World,
    k: IssueId,
    aim: f64,
    leader: StateId,
    accept: &crate::rules::acceptance::AcceptanceParams,
    status_quo: f64,
) -> f64 {
    let probs = voters.iter().filter(|v| !v.abstains).map(|v| {
        accept_probability(
            aim,
            status_quo,
            stance(world, v.state, k, Some(leader)),
            accept,
        )
    });
    match rule {
        Rule::Unanimity | Rule::Consensus { .. } => probs.product(),
        _ => {
            let (sum, n) = probs.fold((0.0, 0usize), |(s, n), p| (s + p, n + 1));
            if n == 0 { 0.0 } else { sum / n as f64 }
        }
    }
}

/// Admission by the members (MODEL.md): each member accepts applicant `j` with the
/// probability that it would accept, against the status quo, the coalition's aim as
/// the applicant could water it down, `min(aim, position_j)` (an applicant at or above
/// the aim costs no ambition; a laggard below the status quo is refused; rivals and
/// challengers reject more), and the coalition's rule decides. With a fixed `coalitions.depth`
/// (a club's standard) the applicant is admitted if it accepts the standard.
pub fn admitted(
    scenario: &Scenario,
    world: &World,
    scratch: &mut Scratch,
    rng: &mut rand::rngs::ChaCha8Rng,
    c: CoalitionId,
    j: StateId,
) -> bool {
    let co = world.coalition(c);
    let rule = &scenario.coalitions.rule;
    let accept = accept_params(scenario);
    let status_quo = scenario.issues[co.issue.index()].status_quo;
    if let Some(depth) = scenario.coalitions.depth {
        // A club with a fixed standard is open to whoever commits to it: the applicant
        // is admitted with the probability that it accepts the standard.
        let stance = stance(world, j, co.issue, Some(co.leader));
        let p = accept_probability(depth, status_quo, stance, &accept);
        return rng.random::<f64>() < p;
    }
    if !shares_vision(scenario, world, co.leader, j, co.issue) {
        return false;
    }
    // At worst the applicant pulls the coalition's aim down to its own position.
    let watered = world.states.position[world.states.at(j, co.issue)].min(co.aim);
    let abstain_below = match rule {
        Rule::Unanimity => Some(f64::NEG_INFINITY),
        Rule::Consensus { abstain_below } => Some(*abstain_below),
        _ => None,
    };
    if let Some(threshold) = abstain_below {
        // Unanimity and consensus: one participating member's rejection decides. The
        // remaining participants still draw (so the run's stream is the same as a full
        // vote's) but need not weigh the proposal.
        let mut admitted = true;
        for &m in &co.members {
            if world.salience(m, co.issue) < threshold {
                continue;
            }
            let u = rng.random::<f64>();
            if admitted {
                let p = accept_probability(
                    watered,
                    status_quo,
                    stance(world, m, co.issue, Some(j)),
                    &accept,
                );
                admitted = u < p;
            }
        }
        return admitted;
    }
    fill_voters(
        world,
        scratch,
        &co.members,
        co.issue,
        rule_weight(rule),
        None,
    );
    rules::mark_abstentions(rule, &mut scratch.voters);
    for v in scratch.voters.iter_mut() {
        if v.abstains {
            continue;
        }
        let p = accept_probability(
            watered,
            status_quo,
            stance(world, v.state, co.issue, Some(j)),
            &accept,
        );
        v.accepts = rng.random::<f64>() < p;
    }
    rules::adopted(rule, &scratch.voters)
}

/// Clarity of purpose (`[coalitions] vision`): whether state `j`'s position on issue
/// `k` lies within `vision` of `lead`'s (the founder's, or the leader's for an
/// applicant), so that the coalition's members share a view of what it is for.
/// Always true without `vision`.
pub fn shares_vision(
    scenario: &Scenario,
    world: &World,
    lead: StateId,
    j: StateId,
    k: IssueId,
) -> bool {
    scenario.coalitions.vision.is_none_or(|v| {
        let s = &world.states;
        (s.position[s.at(j, k)] - s.position[s.at(lead, k)]).abs() <= v
    })
}

/// Founds a coalition on issue `k`: invites the planned partners (in `scratch.plan`);
/// each accepts if it still has bandwidth and, by logit choice against staying out,
/// values membership (judging affinity by its affinity with the founder). Founded only
/// if at least one partner accepts, and enough for `min_size` members.
fn found<O: Observer>(ctx: &mut Ctx<'_, O>, i: StateId, k: IssueId, plan: &Prospect) {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        tally,
        observer,
        ..
    } = ctx;
    let temperature = scenario.behaviour.temperature;
    scratch.accepted.clear();
    for n in 0..scratch.plan.len() {
        let j = scratch.plan[n];
        if !world.states.has_bandwidth(j) {
            continue;
        }
        // An invitee judges the partnership by its affinity with the founder, and by
        // the tariff it would spare it (its exports to the club with the founder and
        // the other invitees in it).
        let mut tariff = tariff_avoided(scenario, world, j, k, &scratch.plan, false);
        if tariff > 0.0 && !in_club(world, i, k) {
            let n_states = world.states.len();
            tariff += scenario.issues[k.index()].tariff
                * scenario.trade[j.index() * n_states + i.index()];
        }
        let seen = Prospect {
            affinity: affinity(&world.states.labels, &scenario.affinities, i, j),
            tariff_avoided: tariff,
            ..*plan
        };
        let v = membership_value(scenario, world, j, &seen);
        let yes = if temperature > 0.0 {
            rng.random::<f64>() < logistic(v / temperature)
        } else {
            v > 0.0
        };
        if yes {
            scratch.accepted.push(j);
        }
    }
    let cs = &scenario.coalitions;
    if scratch.accepted.is_empty() || scratch.accepted.len() + 1 < cs.min_size as usize {
        return;
    }
    if let Some(b) = cs.authorised_by {
        // `authorises` uses `scratch.voters` and `scratch.rejected`, not `accepted`.
        let granted = authorises(scenario, world, scratch, rng, b, k, plan.aim);
        let event = Event::Authorisation {
            body: b,
            issue: k,
            founder: i,
            granted,
            rejected_by: &scratch.rejected,
        };
        observer.on_event(world.tick, &event);
        if !granted {
            return;
        }
    }
    let kind = coalition_kind(scenario, &world.states.labels, i, &scratch.accepted);
    let institutionalisation = cs.institutionalisation.draw(rng).clamp(0.0, 1.0);
    let founding = Founding {
        founder: i,
        issue: k,
        kind,
        institutionalisation,
        rate: plan.rate,
        aim: plan.aim,
    };
    membership::found(
        scenario,
        world,
        tally,
        *observer,
        &founding,
        &scratch.accepted,
    );
}

/// Whether a coalition on `k` may be founded now: always, unless coalitions need a
/// body's authorisation, which is a last resort: that body must have failed on `k` at
/// its last turn (Art. 20(2) TEU: "when it has established that the objectives ...
/// cannot be attained within a reasonable period by the Union as a whole").
fn last_resort(scenario: &Scenario, world: &World, k: IssueId) -> bool {
    scenario
        .coalitions
        .authorised_by
        .is_none_or(|b| world.bodies[b.index()].stalled[k.index()])
}

/// The type of a coalition founded by `founder` with `partners`: `bloc` if the founder
/// carries identity labels and at least the share `bloc_threshold` of the partners
/// shares one of them, else `issue`. Every rule classifies its foundings by this.
pub fn coalition_kind(
    scenario: &Scenario,
    labels: &[u64],
    founder: StateId,
    partners: &[StateId],
) -> CoalitionKind {
    let own = labels[founder.index()];
    let sharing = partners
        .iter()
        .filter(|&&j| labels[j.index()] & own != 0)
        .count();
    if own != 0 && sharing as f64 >= scenario.coalitions.bloc_threshold * partners.len() as f64 {
        CoalitionKind::Bloc
    } else {
        CoalitionKind::Issue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::{RunKey, run_rng};
    use crate::metrics::Discard;
    use crate::model::ids::BodyId;
    use std::path::Path;

    /// Five states with gdp 8, 4, 2, 1, 1 (shares 0.5, 0.25, 0.125, 0.0625, 0.0625).
    fn scenario(extra: &str) -> Scenario {
        let mut text = String::from(
            "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\ngreat_powers = 1\n[defaults]\nsalience = 0.8\nposition = 0.5\nbandwidth = 2\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n",
        );
        for (name, gdp) in [("A", 8.0), ("B", 4.0), ("C", 2.0), ("D", 1.0), ("E", 1.0)] {
            text.push_str(&format!(
                "[[states]]\nname = \"{name}\"\ncapabilities = {{ gdp = {gdp} }}\n"
            ));
        }
        text.push_str(extra);
        Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
            .expect("valid")
            .scenario
    }

    fn world(s: &Scenario) -> World {
        World::new(s, &mut run_rng(1, RunKey::default()))
    }

    #[test]
    fn membership_value_of_a_hand_worked_prospect() {
        let s = scenario(
            "[payoffs]\noverhead = 0.001\naffinity_weight = 0.1\n[coalitions]\ninstitution_cost = 0.01\n[behaviour]\nreciprocity = 0.5",
        );
        let w = world(&s);
        let p = Prospect {
            issue: IssueId(0),
            rate: 0.02,
            aim: 0.4,
            adoptions: 0.5,
            institutionalisation: 0.5,
            affinity: 0.2,
            size: 3,
            tariff_avoided: 0.0,
            stake: 0.0,
        };
        // 0.8 × (0 + 1 × 0.5) × 0.02 − 0.05 × 0.4 × 0.25 × 0.5 − 0.001 − 0.5 × 0.01 + 0.1 × 0.2
        let expected = 0.008 - 0.0025 - 0.001 - 0.005 + 0.02;
        assert!((membership_value(&s, &w, StateId(1), &p) - expected).abs() < 1e-15);
    }

    #[test]
    fn zero_temperature_picks_the_best_option_and_ties_go_first() {
        let mut rng = run_rng(1, RunKey::default());
        let options = [
            (Action::Stay, 0.0),
            (Action::Found(IssueId(0)), 0.3),
            (Action::Leave(CoalitionId(0)), 0.3),
        ];
        assert_eq!(choose(&options, 0.0, &mut rng), 1);
    }

    #[test]
    fn logit_choice_follows_the_softmax() {
        let mut rng = run_rng(2, RunKey::default());
        let options = [(Action::Stay, 0.0), (Action::Found(IssueId(0)), 0.1)];
        let n = 20_000;
        let found = (0..n)
            .filter(|_| choose(&options, 0.1, &mut rng) == 1)
            .count() as f64
            / n as f64;
        let expected = 1.0f64.exp() / (1.0 + 1.0f64.exp()); // 0.731
        assert!((found - expected).abs() < 0.015, "{found} vs {expected}");
    }

    #[test]
    fn a_founder_invites_the_largest_holders_until_the_target_coverage() {
        // E (share 0.0625) founds; A (0.5) and B (0.25) bring it to 0.8125 >= 0.6.
        let s = scenario("[coalitions]\ntarget_coverage = 0.6\nmax_size = 5");
        let w = world(&s);
        let mut scratch = Scratch::new(&s);
        let p = plan_coalition(&s, &w, &mut scratch, StateId(4), IssueId(0)).expect("a plan");
        assert_eq!(scratch.plan, vec![StateId(0), StateId(1)]);
        assert_eq!(p.aim, 0.5);
        // max_size caps the plan: one partner only.
        let s = scenario("[coalitions]\ntarget_coverage = 0.9\nmax_size = 2");
        let w = world(&s);
        let mut scratch = Scratch::new(&s);
        plan_coalition(&s, &w, &mut scratch, StateId(4), IssueId(0)).expect("a plan");
        assert_eq!(scratch.plan, vec![StateId(0)]);
    }

    #[test]
    fn a_founder_skips_partners_without_bandwidth_or_interest() {
        let s = scenario(
            "[[states]]\nname = \"F\"\ncapabilities = { gdp = 100.0 }\nbandwidth = 0\n[[states]]\nname = \"G\"\ncapabilities = { gdp = 50.0 }\ninterests = { trade = { salience = 0.1 } }\n",
        );
        let w = world(&s);
        let mut scratch = Scratch::new(&s);
        plan_coalition(&s, &w, &mut scratch, StateId(4), IssueId(0)).expect("a plan");
        assert!(!scratch.plan.contains(&StateId(5)) && !scratch.plan.contains(&StateId(6)));
    }

    /// A body "WTO" of B, C, D and E (A, the largest holder, stays out).
    const WTO: &str = "[[bodies]]\nname = \"WTO\"\nmembers = [\"B\", \"C\", \"D\", \"E\"]\nrule = \"consensus\"\n";

    #[test]
    fn a_founder_inside_a_body_invites_only_its_members() {
        // Without `within`, E (0.0625) and A (0.5) hold 0.5625 >= 0.4: A alone.
        let s = scenario(&format!("{WTO}[coalitions]\ntarget_coverage = 0.4\n"));
        let w = world(&s);
        let mut scratch = Scratch::new(&s);
        plan_coalition(&s, &w, &mut scratch, StateId(4), IssueId(0)).expect("a plan");
        assert_eq!(scratch.plan, vec![StateId(0)]);
        // Within the WTO, A is out: B (0.25) brings 0.3125, C (0.125) 0.4375 >= 0.4.
        let s = scenario(&format!(
            "{WTO}[coalitions]\ntarget_coverage = 0.4\nwithin = \"WTO\"\n"
        ));
        let w = world(&s);
        let mut scratch = Scratch::new(&s);
        plan_coalition(&s, &w, &mut scratch, StateId(4), IssueId(0)).expect("a plan");
        assert_eq!(scratch.plan, vec![StateId(1), StateId(2)]);
    }

    #[test]
    fn a_shared_vision_keeps_partners_far_from_the_founders_position_out() {
        // E (position 0.5) founds; A sits at 0.9. Without `vision` A (0.5) and E hold
        // 0.5625 >= 0.4: A alone. With vision 0.2, A is out: B and C as inside the WTO.
        let s = |extra: &str| {
            let mut s = scenario(&format!("[coalitions]\ntarget_coverage = 0.4\n{extra}"));
            s.states[0].interests[0].position = crate::model::param::Param::Fixed(0.9);
            s
        };
        let plan = |s: &Scenario| {
            let w = world(s);
            let mut scratch = Scratch::new(s);
            plan_coalition(s, &w, &mut scratch, StateId(4), IssueId(0)).expect("a plan");
            scratch.plan.clone()
        };
        assert_eq!(plan(&s("")), vec![StateId(0)]);
        assert_eq!(plan(&s("vision = 0.2")), vec![StateId(1), StateId(2)]);
        assert_eq!(plan(&s("vision = 0.4")), vec![StateId(0)], "within reach");
        // Applicants too: A is refused by a coalition led by E, whatever the draw.
        let sv = s("vision = 0.2");
        let mut w = world(&sv);
        let mut scratch = Scratch::new(&sv);
        let mut rng = run_rng(1, RunKey::default());
        let mut tally = crate::metrics::Tally::new(1, 0);
        let mut observer = Discard;
        let ctx = Ctx {
            scenario: &sv,
            world: &mut w,
            rng: &mut rng,
            scratch: &mut scratch,
            tally: &mut tally,
            observer: &mut observer,
            accept: accept_params(&sv),
        };
        let slot = ctx.world.take_slot();
        ctx.world.coalitions[slot.index()].active = true;
        ctx.world.coalitions[slot.index()].aim = 0.5;
        for m in [4, 3] {
            crate::act::membership::join(ctx.scenario, ctx.world, ctx.observer, slot, StateId(m));
        }
        ctx.world.coalitions[slot.index()].leader = StateId(4);
        for _ in 0..20 {
            assert!(!admitted(
                &sv,
                ctx.world,
                ctx.scratch,
                ctx.rng,
                slot,
                StateId(0)
            ));
        }
        assert!((0..20).any(|_| admitted(&sv, ctx.world, ctx.scratch, ctx.rng, slot, StateId(1))));
    }

    #[test]
    fn within_keeps_outsiders_out_without_a_last_resort() {
        let open = scenario(WTO);
        let within = scenario(&format!("{WTO}[coalitions]\nwithin = \"WTO\"\n"));
        let authorised = scenario(&format!("{WTO}[coalitions]\nauthorised_by = \"WTO\"\n"));
        let both = scenario(&format!(
            "{WTO}[coalitions]\nauthorised_by = \"WTO\"\nwithin = \"WTO\"\n"
        ));
        assert_eq!(open.coalitions.framework(), None);
        for s in [&within, &authorised, &both] {
            assert_eq!(s.coalitions.framework(), Some(BodyId(0)));
        }
        let inside = |s: &Scenario| {
            let w = world(s);
            (0..5)
                .map(|i| inside_framework(s, &w, StateId(i)))
                .collect::<Vec<_>>()
        };
        assert_eq!(inside(&open), [true; 5]);
        for s in [&within, &authorised, &both] {
            assert_eq!(inside(s), [false, true, true, true, true]);
        }
        // The WTO has not failed on trade (no turn yet): plurilaterals may still be
        // founded, enhanced cooperation may not (Art. 20(2) TEU's last resort).
        let mut w = world(&within);
        assert!(!w.bodies[0].stalled[0]);
        assert!(last_resort(&within, &w, IssueId(0)));
        assert!(!last_resort(&authorised, &w, IssueId(0)));
        w.bodies[0].stalled[0] = true;
        assert!(last_resort(&within, &w, IssueId(0)));
        assert!(last_resort(&authorised, &w, IssueId(0)));
    }

    /// A member that withdrew from the body (exit) is outside it until it returns.
    #[test]
    fn a_state_that_left_the_body_is_outside_it() {
        let s = scenario(&format!("{WTO}[coalitions]\nwithin = \"WTO\"\n"));
        let mut w = world(&s);
        w.bodies[0].members.retain(|&m| m != StateId(2));
        assert!(!inside_framework(&s, &w, StateId(2)));
        assert!(inside_framework(&s, &w, StateId(1)));
    }

    /// A coalition of A and B (position 0.5, aim 0.5) on an issue whose status quo
    /// is 0.2, under unanimity, temperature 0.01; F wants 1.0, G 0.1.
    fn club(extra: &str) -> (Scenario, World, CoalitionId) {
        let text = format!(
            "[coalitions]\nrule = \"unanimity\"\n{extra}[decision]\ntemperature = 0.01\n[[states]]\nname = \"F\"\ncapabilities = {{ gdp = 1.0 }}\ninterests = {{ trade = {{ position = 1.0 }} }}\n[[states]]\nname = \"G\"\ncapabilities = {{ gdp = 1.0 }}\ninterests = {{ trade = {{ position = 0.1 }} }}\n"
        );
        let mut s = scenario(&text);
        s.issues[0].status_quo = 0.2;
        let mut w = world(&s);
        let c = w.take_slot();
        w.coalitions[c.index()].active = true;
        w.coalitions[c.index()].aim = 0.5;
        w.active.push(c);
        membership::join(&s, &mut w, &mut Discard, c, StateId(0));
        membership::join(&s, &mut w, &mut Discard, c, StateId(1));
        (s, w, c)
    }

    #[test]
    fn members_admit_an_ambitious_applicant_and_refuse_a_laggard() {
        // F (1.0) would not lower the aim 0.5: members gain 0.3 over the status quo,
        // p = logistic(30). G (0.1) could pull the aim to 0.1, below the status quo:
        // members at 0.5 gain 0.3 − 0.4 = −0.1, p = logistic(−10).
        let (s, w, c) = club("");
        let mut scratch = Scratch::new(&s);
        let mut rng = run_rng(3, RunKey::default());
        let ambitious = (0..100)
            .filter(|_| admitted(&s, &w, &mut scratch, &mut rng, c, StateId(5)))
            .count();
        let laggard = (0..100)
            .filter(|_| admitted(&s, &w, &mut scratch, &mut rng, c, StateId(6)))
            .count();
        assert!(
            ambitious > 95,
            "ambitious applicant admitted {ambitious}/100"
        );
        assert_eq!(laggard, 0, "laggard admitted {laggard}/100");
    }

    #[test]
    fn a_club_with_a_standard_admits_whoever_accepts_it() {
        // With a standard of 0.95, F (at 1.0) gains 0.8 − 0.05 over the status quo 0.2
        // and is admitted; C (at 0.5) would lose (0.3 − 0.45) and is not.
        let (s, w, c) = club("depth = 0.95\n");
        let mut scratch = Scratch::new(&s);
        let mut rng = run_rng(3, RunKey::default());
        let committed = (0..100)
            .filter(|_| admitted(&s, &w, &mut scratch, &mut rng, c, StateId(5)))
            .count();
        let lukewarm = (0..100)
            .filter(|_| admitted(&s, &w, &mut scratch, &mut rng, c, StateId(2)))
            .count();
        assert!(
            committed > 95,
            "committed applicant admitted {committed}/100"
        );
        assert_eq!(
            lukewarm, 0,
            "applicant who would lose from the standard admitted {lukewarm}/100"
        );
    }

    #[test]
    fn the_cost_of_agreement_lowers_the_value_of_bigger_coalitions() {
        let s = scenario("[coalitions]\nnegotiation_cost = 0.001\ndelay = 2");
        let w = world(&s);
        let p = |size| Prospect {
            issue: IssueId(0),
            rate: 0.0,
            aim: 0.0,
            adoptions: 0.0,
            institutionalisation: 0.0,
            affinity: 0.0,
            size,
            tariff_avoided: 0.01,
            stake: 0.0,
        };
        // V = −overhead − 0.001 × (size − 1) / 2 + 0.01 (the tariff spared).
        let v3 = membership_value(&s, &w, StateId(0), &p(3));
        let v9 = membership_value(&s, &w, StateId(0), &p(9));
        assert!((v3 - (-0.003 - 0.001 + 0.01)).abs() < 1e-15, "{v3}");
        assert!((v3 - v9 - 0.003).abs() < 1e-15, "{v9}");
    }

    #[test]
    fn a_founder_invites_up_to_min_size_and_gives_up_below_it() {
        // A alone holds 0.5; target coverage 0.5 would stop at once, min_size 4 needs
        // three partners (B, C, D: the largest holders).
        let s = scenario("[coalitions]\ntarget_coverage = 0.5\nmin_size = 4");
        let w = world(&s);
        let mut scratch = Scratch::new(&s);
        assert!(plan_coalition(&s, &w, &mut scratch, StateId(0), IssueId(0)).is_some());
        assert_eq!(scratch.plan, [StateId(1), StateId(2), StateId(3)]);
        let s = scenario("[coalitions]\nmin_size = 6\nmax_size = 6");
        let w = world(&s);
        let mut scratch = Scratch::new(&s);
        assert!(
            plan_coalition(&s, &w, &mut scratch, StateId(0), IssueId(0)).is_none(),
            "five states cannot make six"
        );
    }
}
