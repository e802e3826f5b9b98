//! One tick, in MODEL.md's fixed order. Each phase is one function, named as in
//! MODEL.md and called in this order by [`step`]:
//!
//! 1. [`shocks`], progress decays, crises drawn, salience boosted;
//! 2. [`proposals`], each venue with an item on its agenda forms a proposal;
//! 3. [`decisions`], members accept or reject; bodies decide every `delay` ticks;
//! 4. [`implementation`], members comply or free-ride; progress is produced;
//! 5. [`payoffs`], benefits, costs, overhead, affinity;
//! 6. [`choices`], states review memberships under the behaviour rule;
//! 7. [`upkeep`], endorsements by bodies, then dissolutions;
//! 8. [`learning`], trust and coalitions' expected delivery;
//! 9. [`record`], metrics recorded.
//!
//! **Invariant:** randomness is drawn only from the run's `rng`, in this order; no
//! phase allocates except when a coalition outgrows every earlier one.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use super::institutions;
use crate::act::Ctx;
use crate::act::goods::{club_exports, in_club, produce};
use crate::act::scratch::{Proposal, Scratch};
use crate::act::vote::{fill_voters, rule_weight, stance, wants_step};
use crate::act::{leadership, legitimacy, membership};
use crate::behaviour::{self, RuleState};
use crate::metrics::stats::fragmentation;
use crate::metrics::{Ballot, Event, Observer, TickMetrics};
use crate::model::World;
use crate::model::ids::{BodyId, CoalitionId, IssueId, StateId};
use crate::model::scenario::{EndorsementMode, Rule, Scenario};
use crate::model::venue::{CoalitionKind, EndReason, Endorsement, Measure, VenueRef};
use crate::rules::acceptance::{accept_gain, accept_probability, gain, logistic};
use crate::rules::{self, Voter};

/// Runs one tick: the nine phases in order, then advances `world.tick`. `rule` is
/// what the behaviour rule carries between ticks.
pub fn step<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    rule: &mut RuleState,
    record_tick: bool,
    metrics: &mut TickMetrics,
) {
    if ctx.world.tick == 0 {
        behaviour::start(ctx, rule);
    }
    shocks(ctx);
    proposals(ctx);
    decisions(ctx);
    implementation(ctx);
    payoffs(ctx);
    choices(ctx, rule);
    upkeep(ctx);
    institutions::renew_seats(ctx);
    institutions::exits_and_returns(ctx);
    learning(ctx);
    behaviour::learn(ctx, rule);
    record(ctx, rule, record_tick, metrics);
    ctx.world.tick += 1;
}

/// Phase 1: the problem reasserts itself (progress decays by the share `decay`);
/// a crisis on issue `k` starts with probability `shock_rate` (if none is running)
/// and adds `shock_boost` to every state's salience for `shock_duration` ticks (a
/// pandemic, a war).
pub fn shocks<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let tick = ctx.world.tick;
    for (k, spec) in ctx.scenario.issues.iter().enumerate() {
        let issue = &mut ctx.world.issues[k];
        issue.progress *= 1.0 - spec.decay;
        if issue.crisis_left > 0 {
            issue.crisis_left -= 1;
        }
        if issue.crisis_left == 0
            && spec.shock_rate > 0.0
            && ctx.rng.random::<f64>() < spec.shock_rate
        {
            issue.crisis_left = spec.shock_duration;
            issue.crises += 1;
            let issue = IssueId::from_index(k);
            ctx.observer.on_event(tick, &Event::CrisisStarted { issue });
        }
        issue.boost = if issue.crisis_left > 0 {
            spec.shock_boost
        } else {
            0.0
        };
        issue.pressure = spec.threat.map_or(0.0, |t| t.at(tick));
    }
}

/// Whether issue `k` is still open (not solved, or slipped back below its target).
fn open(ctx_world: &World, scenario: &Scenario, k: IssueId) -> bool {
    ctx_world.issues[k.index()].progress < scenario.issues[k.index()].target - 1e-12
}

/// Phase 2: bodies whose decision tick has come (`(tick + 1) % delay == 0`) put the
/// next open issue of their mandate on the agenda; coalitions do so every `delay`
/// ticks after founding. The proposal's depth comes from the venue's rule.
pub fn proposals<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Ctx {
        scenario,
        world,
        scratch,
        ..
    } = ctx;
    scratch.proposals.clear();
    let tick = world.tick;
    for b in 0..world.bodies.len() {
        let body = &world.bodies[b];
        if !(tick + 1).is_multiple_of(body.delay) {
            continue;
        }
        let n = body.mandate.len();
        if body.linkage {
            propose_package(scenario, world, scratch, b);
            continue;
        }
        let Some(offset) = (0..n).find(|o| {
            let issue = body.mandate[(body.next_item + o) % n];
            open(world, scenario, issue) && !covered_elsewhere(world, b, issue)
        }) else {
            continue;
        };
        let issue = body.mandate[(body.next_item + offset) % n];
        world.bodies[b].next_item = (body.next_item + offset + 1) % n;
        propose_in_body(scenario, world, scratch, b, issue, false);
    }
    let rule = &scenario.coalitions.rule;
    for &c in &world.active {
        let coalition = &world.coalitions[c.index()];
        if !(tick - coalition.founded).is_multiple_of(scenario.coalitions.delay)
            || !open(world, scenario, coalition.issue)
            || (coalition.members.len() as u32) < scenario.coalitions.min_size
        {
            continue;
        }
        fill_voters(
            world,
            scratch,
            &coalition.members,
            coalition.issue,
            rule_weight(rule),
            None,
        );
        let status_quo = scenario.issues[coalition.issue.index()].status_quo;
        if let Some(derived) = rules::propose(rule, &mut scratch.voters, status_quo) {
            let depth = scenario.coalitions.depth.unwrap_or(derived);
            scratch.proposals.push(Proposal {
                venue: VenueRef::Coalition(c),
                issue: coalition.issue,
                depth,
                linked: false,
            });
        }
    }
}

/// Whether body `b` coordinates with the other venues and one of them adopted a
/// measure on `issue` since the body's last meeting (within its last `delay` ticks):
/// the body then leaves the issue aside rather than duplicate the work (docs/model.md,
/// "Coordination between institutions").
fn covered_elsewhere(world: &World, b: usize, issue: IssueId) -> bool {
    let body = &world.bodies[b];
    body.coordinate
        && world.issues[issue.index()]
            .last_measure
            .is_some_and(|(at, venue)| {
                venue != VenueRef::Body(BodyId::from_index(b)) && at + body.delay > world.tick
            })
}

/// Body `b` (with `linkage`) puts a package on its agenda: a proposal under its rule
/// on every open issue of its mandate, in mandate order; an issue on which nobody
/// with the votes wants a step is left out and counts as failed, as on a turn of its
/// own.
fn propose_package(scenario: &Scenario, world: &mut World, scratch: &mut Scratch, b: usize) {
    for n in 0..world.bodies[b].mandate.len() {
        let issue = world.bodies[b].mandate[n];
        if open(world, scenario, issue) && !covered_elsewhere(world, b, issue) {
            propose_in_body(scenario, world, scratch, b, issue, true);
        }
    }
}

/// Body `b` forms its rule's proposal on `issue` (`linked`: as part of a package), or,
/// if nobody with the votes to carry a measure wants one, fails on the matter.
fn propose_in_body(
    scenario: &Scenario,
    world: &mut World,
    scratch: &mut Scratch,
    b: usize,
    issue: IssueId,
    linked: bool,
) {
    let body = &world.bodies[b];
    let rule = body.rule_for(issue);
    fill_voters(
        world,
        scratch,
        &body.members,
        issue,
        rule_weight(rule),
        None,
    );
    let status_quo = scenario.issues[issue.index()].status_quo;
    if let Some(depth) = rules::propose(rule, &mut scratch.voters, status_quo) {
        scratch.proposals.push(Proposal {
            venue: VenueRef::Body(BodyId::from_index(b)),
            issue,
            depth,
            linked,
        });
    } else {
        world.bodies[b].stalled[issue.index()] = true;
        institutions::note_turn(scenario, world, b, issue, false);
    }
}

/// Draws each participating voter's acceptance of `depth` against the issue's
/// status quo. In a body's vote, `excluded` is the extra rejection of members outside
/// every coalition on the issue (elitism; 0 for coalition votes).
#[allow(clippy::too_many_arguments)]
fn draw_votes(
    scenario: &Scenario,
    world: &World,
    rng: &mut ChaCha8Rng,
    voters: &mut [Voter],
    issue: IssueId,
    depth: f64,
    leader: Option<StateId>,
    excluded: f64,
) {
    let status_quo = scenario.issues[issue.index()].status_quo;
    let params = &crate::act::accept_params(scenario);
    for v in voters.iter_mut() {
        if v.abstains {
            continue;
        }
        let stance = stance(world, v.state, issue, leader);
        let mut p = accept_probability(depth, status_quo, stance, params);
        if excluded > 0.0 && !in_club(world, v.state, issue) {
            p *= 1.0 - excluded;
        }
        v.accepts = rng.random::<f64>() < p;
    }
}

/// Classroom play: the states people play among `voters` may overrule the answers the
/// model drew for them (drawn all the same, so the stream stays in step).
fn offer_votes<O: Observer>(
    observer: &mut O,
    scenario: &Scenario,
    world: &World,
    venue: VenueRef,
    issue: IssueId,
    depth: f64,
    voters: &mut [Voter],
) {
    if observer.plays() {
        let ballot = Ballot {
            venue,
            issue,
            depth,
            status_quo: scenario.issues[issue.index()].status_quo,
            package: false,
        };
        observer.decide_votes(world, &ballot, voters);
    }
}

/// Phase 3: members accept or reject each proposal; the rule decides. Endorsed
/// coalition measures pending at a body are adopted without a vote (the body took the
/// decision to endorse in the previous tick's upkeep).
pub fn decisions<O: Observer>(ctx: &mut Ctx<'_, O>) {
    ctx.scratch.measures.clear();
    adopt_endorsements(ctx);
    let mut p = 0;
    while p < ctx.scratch.proposals.len() {
        let Proposal {
            venue,
            issue,
            depth,
            linked,
        } = ctx.scratch.proposals[p];
        // A body's consecutive linked proposals form one package, voted on at once.
        let (end, adopted) = match venue {
            VenueRef::Body(b) if linked => {
                let end = (p..ctx.scratch.proposals.len())
                    .find(|&q| {
                        let other = &ctx.scratch.proposals[q];
                        !other.linked || other.venue != venue
                    })
                    .unwrap_or(ctx.scratch.proposals.len());
                (end, package_vote(ctx, b, p..end))
            }
            VenueRef::Body(b) => (p + 1, body_vote(ctx, b, issue, depth)),
            VenueRef::Coalition(c) => (p + 1, coalition_vote(ctx, c, issue, depth)),
        };
        if adopted {
            for q in p..end {
                let Proposal { issue, depth, .. } = ctx.scratch.proposals[q];
                ctx.world.issues[issue.index()].last_measure = Some((ctx.world.tick, venue));
                ctx.scratch.measures.push(Measure {
                    venue,
                    issue,
                    depth,
                    endorsement: false,
                    progress: 0.0,
                    legitimacy: 0.0,
                });
            }
        }
        p = end;
    }
}

/// Coalition measures that bodies took up in the previous tick's upkeep become the
/// bodies' measures: without a vote (`endorsement = "automatic"`), or if the body
/// adopts the measure's depth under its own rule, vetoes included (`"vote"`). Under
/// a vote, a coalition measure counts as endorsed once, however many bodies adopt it.
fn adopt_endorsements<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let by_vote = ctx.scenario.coalitions.endorsement == EndorsementMode::Vote;
    let tick = ctx.world.tick;
    ctx.scratch.endorsed_measures.clear();
    for b in 0..ctx.world.bodies.len() {
        let Some(taken) = ctx.world.bodies[b].pending.take() else {
            continue;
        };
        let body = BodyId::from_index(b);
        let Endorsement { issue, depth, .. } = taken;
        let adopted = if by_vote {
            let adopted = ballot(ctx, body, issue, depth);
            let record = &mut ctx.world.bodies[b];
            record.take_up_votes += 1;
            record.take_ups_failed += u32::from(!adopted);
            if adopted && !ctx.scratch.endorsed_measures.contains(&taken.measure) {
                ctx.scratch.endorsed_measures.push(taken.measure);
                ctx.tally.coalition_measures_endorsed += 1;
                let co = &mut ctx.world.coalitions[taken.coalition.index()];
                if co.active && co.serial == taken.serial {
                    co.endorsed += 1;
                }
            }
            adopted
        } else {
            ctx.scratch.rejected.clear();
            ctx.scratch.vetoed.clear();
            true
        };
        ctx.observer.on_event(
            tick,
            &Event::Endorsement {
                body,
                issue,
                depth,
                adopted,
                rejected_by: &ctx.scratch.rejected,
                vetoed_by: &ctx.scratch.vetoed,
            },
        );
        if adopted {
            ctx.world.bodies[b].endorsed += 1;
            ctx.world.issues[issue.index()].last_measure = Some((tick, VenueRef::Body(body)));
            ctx.scratch.measures.push(Measure {
                venue: VenueRef::Body(body),
                issue,
                depth,
                endorsement: true,
                progress: 0.0,
                legitimacy: 0.0,
            });
        }
    }
}

/// Body `b` votes on `depth` for `issue` under its rule (veto holders may block);
/// reports the vote with who rejected and who vetoed. Returns whether it adopted.
fn body_vote<O: Observer>(ctx: &mut Ctx<'_, O>, b: BodyId, issue: IssueId, depth: f64) -> bool {
    let adopted = ballot(ctx, b, issue, depth);
    announce(ctx, b, issue, depth, adopted);
    let body = &mut ctx.world.bodies[b.index()];
    body.attempted += 1;
    body.adopted += adopted as u32;
    adopted
}

/// Reports body `b`'s vote on `depth` for `issue` (who rejected and vetoed, from
/// `scratch`) and records the turn's outcome on the issue (failed or not).
fn announce<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    b: BodyId,
    issue: IssueId,
    depth: f64,
    adopted: bool,
) {
    let Ctx {
        world,
        scratch,
        observer,
        ..
    } = ctx;
    observer.on_event(
        world.tick,
        &Event::BodyVote {
            body: b,
            issue,
            depth,
            adopted,
            rejected_by: &scratch.rejected,
            vetoed_by: &scratch.vetoed,
        },
    );
    world.bodies[b.index()].stalled[issue.index()] = !adopted;
    institutions::note_turn(ctx.scenario, ctx.world, b.index(), issue, adopted);
}

/// Lists the members that rejected the proposal just voted on (and, under a veto
/// rule, the veto holders among them) in `scratch.rejected` / `scratch.vetoed`.
fn note_rejections(scratch: &mut Scratch, rule: &Rule) {
    scratch.rejected.clear();
    scratch.vetoed.clear();
    for v in scratch.voters.iter().filter(|v| !v.abstains && !v.accepts) {
        scratch.rejected.push(v.state);
        if v.veto_holder && matches!(rule, Rule::Veto { .. }) {
            scratch.vetoed.push(v.state);
        }
    }
}

/// Body `b` votes once on the package of proposals `items` (issue linkage; docs/model.md,
/// "Issue linkage"): each member weighs what it gains on each issue by its salience,
///
/// `g = Σ_k sal_k × gain_k / Σ_k sal_k`, accepting with `logistic(g / T)` (and the
/// challenger factor), so a member that loses on an issue it cares little about
/// accepts for a gain on one it cares more about; it abstains (consensus, veto with
/// `abstain_below`) only if its largest salience in the package is below the
/// threshold. The body's rule decides; the whole package is adopted or none of it.
/// Reports a `BodyVote` per issue (same voters); counts one attempt.
fn package_vote<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    b: BodyId,
    items: std::ops::Range<usize>,
) -> bool {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        ..
    } = ctx;
    let body = &world.bodies[b.index()];
    let first = scratch.proposals[items.start].issue;
    fill_voters(
        world,
        scratch,
        &body.members,
        first,
        rule_weight(&body.rule),
        Some(&body.veto_holder),
    );
    for v in scratch.voters.iter_mut() {
        v.salience = (scratch.proposals[items.clone()].iter())
            .map(|p| world.salience(v.state, p.issue))
            .fold(0.0, f64::max);
    }
    rules::mark_abstentions(&body.rule, &mut scratch.voters);
    ctx.tally.empty_chairs +=
        institutions::empty_chairs(scenario, world, b.index(), &mut scratch.voters);
    let params = crate::act::accept_params(scenario);
    for v in scratch.voters.iter_mut() {
        if v.abstains {
            continue;
        }
        let (mut weighted, mut total) = (0.0, 0.0);
        for p in &scratch.proposals[items.clone()] {
            let sal = world.salience(v.state, p.issue);
            let status_quo = scenario.issues[p.issue.index()].status_quo;
            let position = world.states.position[world.states.at(v.state, p.issue)];
            weighted += sal * crate::rules::acceptance::gain(p.depth, status_quo, position);
            total += sal;
        }
        let g = if total > 0.0 { weighted / total } else { 0.0 };
        let p = accept_gain(g, stance(world, v.state, first, None), &params);
        v.accepts = rng.random::<f64>() < p;
    }
    if ctx.observer.plays() {
        let Proposal { issue, depth, .. } = scratch.proposals[items.start];
        let ballot = Ballot {
            venue: VenueRef::Body(b),
            issue,
            depth,
            status_quo: scenario.issues[issue.index()].status_quo,
            package: items.len() > 1,
        };
        ctx.observer
            .decide_votes(world, &ballot, &mut scratch.voters);
    }
    let adopted = rules::adopted(&body.rule, &scratch.voters);
    note_rejections(scratch, &body.rule);
    for q in items {
        let Proposal { issue, depth, .. } = ctx.scratch.proposals[q];
        announce(ctx, b, issue, depth, adopted);
    }
    let record = &mut ctx.world.bodies[b.index()];
    record.attempted += 1;
    record.adopted += adopted as u32;
    adopted
}

/// The members of body `b` accept or reject `depth` for `issue` under its rule;
/// leaves who rejected and who vetoed in `scratch.rejected` / `scratch.vetoed`.
/// Returns whether the rule adopts it.
fn ballot<O: Observer>(ctx: &mut Ctx<'_, O>, b: BodyId, issue: IssueId, depth: f64) -> bool {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        observer,
        ..
    } = ctx;
    let body = &world.bodies[b.index()];
    fill_voters(
        world,
        scratch,
        &body.members,
        issue,
        rule_weight(body.rule_for(issue)),
        Some(&body.veto_holder),
    );
    rules::mark_abstentions(body.rule_for(issue), &mut scratch.voters);
    ctx.tally.empty_chairs +=
        institutions::empty_chairs(scenario, world, b.index(), &mut scratch.voters);
    let elitism = scenario.decision.elitism;
    let excluded = if elitism > 0.0 {
        // The inner tier: members sitting in a coalition on the issue (with dialogue,
        // only in one the body has not accepted as complementary).
        let inner = body
            .members
            .iter()
            .filter(|&&m| resented(world, m, issue, body.dialogue))
            .count();
        elitism * inner as f64 / body.members.len().max(1) as f64
    } else {
        0.0
    };
    draw_votes(
        scenario,
        world,
        rng,
        &mut scratch.voters,
        issue,
        depth,
        None,
        excluded,
    );
    let venue = VenueRef::Body(b);
    offer_votes(
        *observer,
        scenario,
        world,
        venue,
        issue,
        depth,
        &mut scratch.voters,
    );
    let adopted = rules::adopted(body.rule_for(issue), &scratch.voters);
    note_rejections(scratch, body.rule_for(issue));
    adopted
}

/// Whether member `m` of a body counts in the inner tier its outsiders resent
/// (elitism): it sits in a coalition on `issue`, and, if the body holds a `dialogue`
/// on minilaterals, in one without an endorsed measure (one no body has accepted as
/// complementary; docs/model.md, "Dialogue inside institutions").
fn resented(world: &World, m: StateId, issue: IssueId, dialogue: bool) -> bool {
    world.states.memberships[m.index()].iter().any(|&c| {
        let co = world.coalition(c);
        co.issue == issue && !(dialogue && co.endorsed > 0)
    })
}

/// Coalition `c` votes on `depth` for `issue` under the coalitions' rule, its leader
/// setting the rivalry; every member pays the cost of agreement; reports the vote.
/// Returns whether it adopted.
fn coalition_vote<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    c: CoalitionId,
    issue: IssueId,
    depth: f64,
) -> bool {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        observer,
        ..
    } = ctx;
    let tick = world.tick;
    let coalition = &world.coalitions[c.index()];
    let rule = &scenario.coalitions.rule;
    fill_voters(
        world,
        scratch,
        &coalition.members,
        issue,
        rule_weight(rule),
        None,
    );
    rules::mark_abstentions(rule, &mut scratch.voters);
    draw_votes(
        scenario,
        world,
        rng,
        &mut scratch.voters,
        issue,
        depth,
        Some(coalition.leader),
        0.0,
    );
    let venue = VenueRef::Coalition(c);
    offer_votes(
        *observer,
        scenario,
        world,
        venue,
        issue,
        depth,
        &mut scratch.voters,
    );
    let adopted = rules::adopted(rule, &scratch.voters);
    let negotiation = scenario.coalitions.negotiation_cost;
    if negotiation > 0.0 {
        let others = (coalition.members.len() - 1) as f64;
        for &m in &coalition.members {
            scratch.cost[m.index()] += negotiation * others;
        }
    }
    let coalition = &mut world.coalitions[c.index()];
    coalition.attempted += 1;
    coalition.adopted += adopted as u32;
    coalition.aim = depth;
    observer.on_event(
        tick,
        &Event::CoalitionVote {
            coalition,
            depth,
            adopted,
        },
    );
    adopted
}

/// What a member owes the venue whose measure it implements: the venue's
/// institutionalisation `ι` (1 for a binding body's law, 0 for a recommendation) and
/// whether it is a coalition (its effort share and focus).
#[derive(Clone, Copy, Debug)]
pub struct Obligation {
    /// `ι`: raises the reputational stake of complying.
    pub institutionalisation: f64,
    /// A coalition (else a body, or a measure followed voluntarily).
    pub coalition: bool,
}

/// Probability that member `m` complies with a measure of `depth` on `issue`:
///
/// `p = logistic((reputation × (1 + ι) × trust + sal × eff × depth × s − cost × depth × s) / T_c)`
///
/// where `s` is the share of the issue's capability it gives this venue (its share
/// times its effort, split among the venues it sits in on the issue), `trust` the mean reputation of
/// the other members (conditional cooperation: states comply when partners do), `ι`
/// the venue's institutionalisation (1 for bodies: treaty law raises the reputational
/// stake), `sal × eff × depth × s` its benefit from its own contribution, and
/// `cost × depth × s` its cost (costs grow with depth and share). A large state pays
/// most and gains little from its own share of a public good, so it is the likeliest
/// free-rider; small states "sit on the fence" cheaply. In a coalition with a
/// time-bound goal the stake is multiplied by `1 + focus` (docs/model.md, "Time-bound
/// goals focus effort"). With `[payoffs] dissent` the member's own view of the measure
/// enters too, `+ dissent × gain(depth, status quo, position)`: positive if the measure
/// moves towards its position, negative if it goes beyond it (docs/model.md, "Clarity
/// of purpose").
pub fn comply_probability(
    scenario: &Scenario,
    world: &World,
    m: StateId,
    issue: IssueId,
    depth: f64,
    trust: f64,
    venue: Obligation,
) -> f64 {
    let spec = &scenario.issues[issue.index()];
    let Obligation {
        institutionalisation,
        coalition,
    } = venue;
    let s =
        world.states.share[world.states.at(m, issue)] * world.states.effort(m, issue, coalition);
    let focus = if coalition { world.states.focus } else { 0.0 };
    let stake = scenario.payoffs.reputation * (1.0 + institutionalisation) * trust * (1.0 + focus);
    let own = world.salience(m, issue) * spec.efficiency * depth * s;
    let cost = spec.cost * depth * s;
    let view = if scenario.payoffs.dissent > 0.0 {
        let position = world.states.position[world.states.at(m, issue)];
        scenario.payoffs.dissent * gain(depth, spec.status_quo, position)
    } else {
        0.0
    };
    logistic((stake + own - cost + view) / scenario.payoffs.compliance_temperature)
}

/// A state following a measure it is not bound by: no institution, not a member.
const FOLLOWER: Obligation = Obligation {
    institutionalisation: 0.0,
    coalition: false,
};

/// Phase 4: each member of an adopted measure complies or free-rides; complying
/// members' coverage produces progress, credited to the venue. A member covers its
/// share of the issue's capability times its effort in the venue (`1 / venues` it
/// sits in on the issue), and pays the cost on that part: finite effort.
pub fn implementation<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        tally,
        observer,
        ..
    } = ctx;
    let n_states_with_voice = world.states.n_with_voice.max(1) as f64;
    for mi in 0..scratch.measures.len() {
        let Measure {
            venue,
            issue,
            depth,
            ..
        } = scratch.measures[mi];
        // Who implements, with the stake of the law; who had a voice in deciding.
        let (members, institutionalisation, deciders): (&[StateId], f64, &[StateId]) = match venue {
            VenueRef::Body(b) => {
                let body = &world.bodies[b.index()];
                let law = if body.binding { 1.0 } else { 0.0 };
                (body.implementers(), law, &body.members)
            }
            VenueRef::Coalition(c) => {
                let co = &world.coalitions[c.index()];
                (&co.members, co.institutionalisation, &co.members)
            }
        };
        // Legitimacy: the share of states (or of population) with a voice in it, and
        // its pull on implementers without one.
        let (voice, voice_pop) = legitimacy::voice(&world.states, deciders);
        let lambda = legitimacy::of_measure(
            scenario.legitimacy.basis,
            (voice, voice_pop),
            n_states_with_voice,
        );
        let weight = scenario.legitimacy.compliance;
        let pull = legitimacy::pull(weight, lambda);
        let reputation_sum: f64 = members
            .iter()
            .map(|m| world.states.reputation[m.index()])
            .sum();
        let n = members.len() as f64;
        let mut coverage = 0.0;
        // The largest expertise among the compliers: what the measure draws on.
        let mut expertise: f64 = 0.0;
        // The followers' part of `coverage` (informal multilateralism).
        let mut followed = 0.0;
        for &m in members {
            let trust = if n > 1.0 {
                (reputation_sum - world.states.reputation[m.index()]) / (n - 1.0)
            } else {
                1.0
            };
            let trust = if weight > 0.0 && !has_voice(deciders, venue, m) {
                trust * pull
            } else {
                trust
            };
            let p = comply_probability(
                scenario,
                world,
                m,
                issue,
                depth,
                trust,
                Obligation {
                    institutionalisation,
                    coalition: matches!(venue, VenueRef::Coalition(_)),
                },
            );
            let i = m.index();
            scratch.asked[i] += 1;
            tally.compliance_decisions += 1;
            if rng.random::<f64>() < p {
                scratch.complied[i] += 1;
                let s = world.states.share[world.states.at(m, issue)]
                    * world
                        .states
                        .effort(m, issue, matches!(venue, VenueRef::Coalition(_)));
                coverage += s;
                expertise = expertise.max(world.states.expertise[i]);
                scratch.cost[i] += scenario.issues[issue.index()].cost * depth * s;
            } else {
                tally.free_rides += 1;
            }
        }
        if weight > 0.0 && lambda > 0.0 {
            // Free non-members that want a step follow the measure voluntarily.
            let trust = if n > 0.0 { reputation_sum / n } else { 1.0 };
            for &m in members {
                scratch.implementing[m.index()] = true;
            }
            for j in 0..world.states.len() {
                let id = StateId::from_index(j);
                if scratch.implementing[j] || !wants_step(scenario, world, id, issue) {
                    continue;
                }
                let at = world.states.at(id, issue);
                tally.follow_chances += 1;
                let p = weight
                    * lambda
                    * comply_probability(scenario, world, id, issue, depth, trust, FOLLOWER);
                if rng.random::<f64>() < p {
                    tally.follows += 1;
                    // Following is one more venue's worth of its effort.
                    let s =
                        world.states.share[at] * world.states.effort_if_joining(id, issue, false);
                    coverage += s;
                    followed += s;
                    scratch.cost[j] += scenario.issues[issue.index()].cost * depth * s;
                }
            }
            for &m in members {
                scratch.implementing[m.index()] = false;
            }
        }
        let spec = &scenario.issues[issue.index()];
        let state = &mut world.issues[issue.index()];
        let efficiency = spec.efficiency * (1.0 + expertise);
        let delta = produce(efficiency, spec.returns, depth, coverage)
            .min((spec.target - state.progress).max(0.0));
        state.progress += delta;
        if state.solved_at.is_none() && state.progress >= spec.target - 1e-12 {
            state.solved_at = Some(world.tick);
            observer.on_event(world.tick, &Event::IssueSolved { issue });
        }
        let before = match venue {
            VenueRef::Body(b) => {
                let body = &mut world.bodies[b.index()];
                body.progress += delta;
                // Recommendations are complied with voluntarily: all informal.
                tally.produced_informal += if body.binding {
                    informal_part(delta, followed, coverage)
                } else {
                    delta
                };
                tally.produced_by_bodies[issue.index()] += delta;
                body.progress - delta
            }
            VenueRef::Coalition(c) => {
                let co = &mut world.coalitions[c.index()];
                co.progress += delta;
                tally.produced_coalitions += delta;
                tally.produced_by_type[co.haass.slot()] += delta;
                tally.produced_informal += informal_part(delta, followed, coverage);
                let leader = co.leader.index();
                if world.states.great_power[leader] || world.states.middle_power[leader] {
                    tally.produced_led_by_powers += delta;
                }
                tally.produced_by_coalitions[issue.index()] += delta;
                tally.coalition_measures += 1;
                co.progress - delta
            }
        };
        tally.produced += delta;
        tally.produced_sq += (before + delta).powi(2) - before.powi(2);
        tally.voice_states += delta * voice / n_states_with_voice;
        tally.voice_population += delta * voice_pop;
        scratch.measures[mi].progress = delta;
        scratch.measures[mi].legitimacy = lambda;
    }
}

/// The followers' part of a measure's progress `delta`: their share `followed /
/// coverage` of the coverage that produced it (pro rata: under `returns != 1`
/// progress is not additive in coverage, so no split is exact; this one sums to
/// `delta` with the members' part).
fn informal_part(delta: f64, followed: f64, coverage: f64) -> f64 {
    if coverage > 0.0 {
        delta * followed / coverage
    } else {
        0.0
    }
}

/// Whether implementer `m` had a voice in the measure: the deciders of a body are its
/// members (sorted); a coalition's implementers are its deciders.
fn has_voice(deciders: &[StateId], venue: VenueRef, m: StateId) -> bool {
    match venue {
        VenueRef::Body(_) => deciders.binary_search(&m).is_ok(),
        VenueRef::Coalition(_) => true,
    }
}

/// Phase 5: payoffs. For state `i`:
///
/// `π_i = Σ_k sal_ik × (1 − x_k) × ΔP_k  +  Σ_{m ∋ i} sal_i × x_k × ΔP_m
///        − compliance costs − overhead × |coalitions_i| − Σ_{c ∋ i} ι_c × institution_cost
///        − Σ_{c led by i} L_c + affinity_weight × Σ_{c ∋ i} cohesion_c`
///
/// where `L_c` is the political capital leading coalition `c` costs
/// ([`leadership::cost`]).
///
/// where `x_k` is the issue's excludability: a public good (x = 0) reaches everyone,
/// a club good (x = 1) only the members of the venue that produced it. Welfare is the
/// running sum of payoffs.
pub fn payoffs<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Ctx {
        scenario,
        world,
        scratch,
        ..
    } = ctx;
    scratch.public.iter_mut().for_each(|x| *x = 0.0);
    world.states.payoff.iter_mut().for_each(|x| *x = 0.0);
    let k_issues = scenario.issues.len();
    for m in &scratch.measures {
        let x = scenario.issues[m.issue.index()].excludability;
        scratch.public[m.issue.index()] += (1.0 - x) * m.progress;
        if x > 0.0 && m.progress > 0.0 {
            let members: &[StateId] = match m.venue {
                VenueRef::Body(b) => world.bodies[b.index()].implementers(),
                VenueRef::Coalition(c) => &world.coalitions[c.index()].members,
            };
            for &i in members {
                let club = world.salience(i, m.issue) * x * m.progress;
                world.states.welfare[i.index()] += club;
                world.states.payoff[i.index()] += club;
            }
        }
    }
    let any_public = scratch.public.iter().any(|&x| x > 0.0);
    let p = &scenario.payoffs;
    for i in 0..world.states.len() {
        let id = StateId::from_index(i);
        let mut payoff = -scratch.cost[i];
        if any_public {
            for k in 0..k_issues {
                payoff += world.salience(id, IssueId::from_index(k)) * scratch.public[k];
            }
        }
        for &c in &world.states.memberships[i] {
            let co = &world.coalitions[c.index()];
            payoff += p.affinity_weight * co.cohesion
                - p.overhead
                - co.institutionalisation * scenario.coalitions.institution_cost;
            if co.leader == id {
                payoff -= leadership::cost(scenario, co.issue, co.aim, co.members.len());
            }
        }
        if !scenario.trade.is_empty() {
            for (k, spec) in scenario.issues.iter().enumerate() {
                let k = IssueId::from_index(k);
                if spec.tariff > 0.0 && !in_club(world, id, k) {
                    payoff -= spec.tariff * club_exports(scenario, world, id, k, &[]);
                }
            }
        }
        world.states.welfare[i] += payoff;
        world.states.payoff[i] += payoff;
        scratch.cost[i] = 0.0;
    }
}

/// Phase 6: states review their portfolios under the behaviour rule
/// ([`behaviour::choices`]; for `utility`, each state with probability `review_rate`
/// in an order drawn from the run's stream each tick, so no state always moves first).
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>, rule: &mut RuleState) {
    behaviour::choices(ctx, rule);
}

/// Phase 7: coalition upkeep. First endorsements: a body with the issue in its mandate
/// endorses a coalition measure adopted this tick with probability
/// `endorsement_rate × coverage × (1 if it facilitates, else non_facilitating_factor)
/// × (1 − w + w × λ)`, `λ` the measure's legitimacy and `w` `[legitimacy] endorsement`;
/// the body adopts it next tick. Then dissolutions, checked in this order: fewer than
/// two members, issue solved, goal met, deadline passed, hazard
/// `h = hazard_type × (1 − institution_protection × ι)` (bloc coalitions and
/// institutionalised ones last longer).
pub fn upkeep<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Ctx {
        scenario,
        world,
        rng,
        scratch,
        tally,
        observer,
        ..
    } = ctx;
    let cs = &scenario.coalitions;
    for (index, m) in scratch.measures.iter().enumerate() {
        let VenueRef::Coalition(c) = m.venue else {
            continue;
        };
        let coverage = world.coalitions[c.index()].coverage;
        let serial = world.coalitions[c.index()].serial;
        let readiness = legitimacy::pull(scenario.legitimacy.endorsement, m.legitimacy);
        let mut endorsed = false;
        for body in world.bodies.iter_mut() {
            if body.pending.is_some() || !body.mandate.contains(&m.issue) {
                continue;
            }
            let factor = if body.facilitates {
                1.0
            } else {
                cs.non_facilitating_factor
            };
            let p = cs.endorsement_rate * coverage.min(1.0) * factor * readiness;
            if p > 0.0 && rng.random::<f64>() < p {
                body.pending = Some(Endorsement {
                    issue: m.issue,
                    depth: m.depth,
                    coalition: c,
                    serial,
                    measure: (world.tick, index as u32),
                });
                endorsed = true;
            }
        }
        // Under a vote, a measure is endorsed when a body adopts it (next tick).
        if endorsed && cs.endorsement == EndorsementMode::Automatic {
            world.coalitions[c.index()].endorsed += 1;
            tally.coalition_measures_endorsed += 1;
        }
    }

    let tick = world.tick;
    let mut a = 0;
    while a < world.active.len() {
        let c = world.active[a];
        let co = &world.coalitions[c.index()];
        let issue = &scenario.issues[co.issue.index()];
        let reason = if co.members.len() < 2 {
            Some(EndReason::TooSmall)
        } else if world.issues[co.issue.index()].progress >= issue.target - 1e-12 {
            Some(EndReason::IssueSolved)
        } else if cs.goal.is_some_and(|g| co.progress >= g) {
            Some(EndReason::GoalMet)
        } else if cs.deadline.is_some_and(|d| tick + 1 - co.founded >= d) {
            Some(EndReason::Deadline)
        } else {
            let base = match co.kind {
                CoalitionKind::Bloc => cs.hazard_bloc,
                CoalitionKind::Issue => cs.hazard_issue,
            };
            let h = base * (1.0 - cs.institution_protection * co.institutionalisation);
            (h > 0.0 && rng.random::<f64>() < h).then_some(EndReason::Hazard)
        };
        match reason {
            // `dissolve` removes slot `a` from `world.active`: `a` now holds the next.
            Some(reason) => membership::dissolve(world, tally, *observer, c, tick + 1, reason),
            None => a += 1,
        }
    }
}

/// Phase 8: learning. Each state's reputation (the trust others place in it) moves
/// toward the share of its compliance decisions this tick in which it complied:
/// `ρ ← (1 − r) ρ + r × complied / asked`. Each coalition's expected delivery (the
/// behaviour rule's memory of which venues deliver) moves toward the progress it
/// produced this tick: `rate ← 0.8 rate + 0.2 ΔP` (a 5-tick memory).
pub fn learning<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let Ctx {
        scenario,
        world,
        scratch,
        ..
    } = ctx;
    let r = scenario.payoffs.trust_rate;
    for i in 0..world.states.len() {
        if scratch.asked[i] > 0 {
            let record = scratch.complied[i] as f64 / scratch.asked[i] as f64;
            world.states.reputation[i] = (1.0 - r) * world.states.reputation[i] + r * record;
            scratch.asked[i] = 0;
            scratch.complied[i] = 0;
        }
    }
    for &c in &world.active {
        world.coalitions[c.index()].rate *= 1.0 - RATE_MEMORY;
    }
    for m in &scratch.measures {
        if let VenueRef::Coalition(c) = m.venue {
            let co = &mut world.coalitions[c.index()];
            if co.active {
                co.rate += RATE_MEMORY * m.progress;
            }
        }
    }
}

/// How close two coalitions' aims on one issue must be for both to count as
/// duplicates (overlapping aims): a tenth of the position scale, about the spread
/// of a single negotiating group's positions.
pub const DUPLICATION_WINDOW: f64 = 0.1;

/// Weight of the latest tick in a coalition's expected delivery (0.2: about a 5-tick
/// memory, long enough to span a few decisions, short enough to notice a stalled one).
pub const RATE_MEMORY: f64 = 0.2;

/// Phase 9: metrics of the tick, handed to the observer when `record_tick`.
pub fn record<O: Observer>(
    ctx: &mut Ctx<'_, O>,
    rule: &RuleState,
    record_tick: bool,
    m: &mut TickMetrics,
) {
    let Ctx {
        scenario,
        world,
        scratch,
        tally,
        observer,
        ..
    } = ctx;
    let n_active = world.active.len();
    let size_sum: usize = world
        .active
        .iter()
        .map(|c| world.coalitions[c.index()].members.len())
        .sum();
    let mean_size = if n_active > 0 {
        size_sum as f64 / n_active as f64
    } else {
        0.0
    };

    // Duplication: sort active coalitions by (issue, aim) and mark each whose
    // neighbour on the same issue aims within `DUPLICATION_WINDOW`.
    scratch.aims.clear();
    scratch.aims.extend(world.active.iter().map(|c| {
        let co = &world.coalitions[c.index()];
        (co.issue, co.aim)
    }));
    scratch
        .aims
        .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let tol = DUPLICATION_WINDOW;
    let dup = (0..scratch.aims.len())
        .filter(|&i| {
            let (k, aim) = scratch.aims[i];
            let near = |j: usize| scratch.aims[j].0 == k && (scratch.aims[j].1 - aim).abs() <= tol;
            (i > 0 && near(i - 1)) || (i + 1 < scratch.aims.len() && near(i + 1))
        })
        .count();
    let duplication = if n_active > 0 {
        dup as f64 / n_active as f64
    } else {
        0.0
    };
    // Two tiers: members of each body who also sit in a coalition on its mandate.
    for (b, body) in world.bodies.iter().enumerate() {
        let inner = body
            .members
            .iter()
            .filter(|&&m| body.mandate.iter().any(|&k| in_club(world, m, k)))
            .count();
        tally.two_tier_sum[b] += inner as f64 / body.members.len().max(1) as f64;
    }
    tally.duplication_sum += duplication;
    tally.coalitions_sum += n_active as f64;
    tally.size_sum += mean_size;

    if !record_tick {
        return;
    }
    let n = world.states.len().max(1) as f64;
    let (attempted, adopted) = world
        .bodies
        .iter()
        .fold((0u32, 0u32), |(t, a), b| (t + b.attempted, a + b.adopted));
    m.tick = world.tick;
    m.progress.clear();
    m.progress.extend(world.issues.iter().map(|i| i.progress));
    m.produced_bodies.clear();
    m.produced_bodies
        .extend_from_slice(&tally.produced_by_bodies);
    m.produced_coalitions.clear();
    m.produced_coalitions
        .extend_from_slice(&tally.produced_by_coalitions);
    m.coalitions = n_active as f64;
    m.mean_size = mean_size;
    m.memberships = world
        .states
        .memberships
        .iter()
        .map(|l| l.len())
        .sum::<usize>() as f64
        / n;
    m.crises = world.issues.iter().filter(|i| i.crisis_left > 0).count() as f64;
    m.deadlock_rate = if attempted > 0 {
        (attempted - adopted) as f64 / attempted as f64
    } else {
        0.0
    };
    m.minilateral_share = if tally.produced > 0.0 {
        (tally.produced_coalitions / tally.produced).min(1.0)
    } else {
        0.0
    };
    m.fragmentation = fragmentation(tally.produced, tally.produced_sq);
    behaviour::tick_values(scenario, world, rule, &mut m.rule);
    m.duplication = duplication;
    m.free_riding_rate = if tally.compliance_decisions > 0 {
        tally.free_rides as f64 / tally.compliance_decisions as f64
    } else {
        0.0
    };
    m.welfare_mean = world.states.welfare.iter().sum::<f64>() / n;
    // Sums of shares can exceed 1 by rounding; clamp what is a share by definition.
    m.legitimacy = if tally.produced > 0.0 {
        (tally.voice_states / tally.produced).min(1.0)
    } else {
        0.0
    };
    observer.on_tick(m);
}

#[cfg(test)]
mod tests;
