//! Members as voters: who votes in a venue, with what position, salience and weight,
//! and how willing each is to accept (MODEL.md "Venue"). Used by the engine's
//! proposals and decisions and by the behaviour rules' admission and founding plans.

use super::scratch::Scratch;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use crate::model::World;
use crate::model::ids::{BodyId, IssueId, StateId};
use crate::model::scenario::{Rule, Scenario, Weight};
use crate::rules::acceptance::{Stance, accept_probability};
use crate::rules::{self, Voter};

/// Fills `scratch.voters` with the members of a venue on `issue`.
pub fn fill_voters(
    world: &World,
    scratch: &mut Scratch,
    members: &[StateId],
    issue: IssueId,
    weight: Option<Weight>,
    veto: Option<&[bool]>,
) {
    scratch.voters.clear();
    for (n, &m) in members.iter().enumerate() {
        scratch.voters.push(Voter {
            veto_holder: veto.is_some_and(|v| v[n]),
            ..voter(world, m, issue, weight)
        });
    }
}

/// Member `m`'s voter on `issue`: its position, current salience and weight (1 unless
/// the rule weighs votes).
pub fn voter(world: &World, m: StateId, issue: IssueId, weight: Option<Weight>) -> Voter {
    let states = &world.states;
    let at = states.at(m, issue);
    let weight = match weight {
        None => 1.0,
        Some(Weight::Population) => states.population_share[m.index()],
        Some(Weight::IssueCapability) => states.share[at],
        Some(Weight::Capability(d)) => {
            states.capability_share[m.index() * states.n_capabilities + d.index()]
        }
    };
    Voter {
        state: m,
        position: states.position[at],
        salience: world.salience(m, issue),
        weight,
        ..Voter::default()
    }
}

/// The weight a rule gives votes, if any.
pub fn rule_weight(rule: &Rule) -> Option<Weight> {
    match rule {
        Rule::Qmv {
            weight: Some(_),
            weight_by,
            ..
        } => Some(*weight_by),
        _ => None,
    }
}

/// Whether state `m` wants a step on `issue`: its position lies above the issue's
/// status quo and it cares at least `behaviour.min_salience`. Such a state counts a
/// body's failure against it (exit, the empty chair) and may follow a measure it had
/// no voice in (legitimacy).
pub fn wants_step(scenario: &Scenario, world: &World, m: StateId, issue: IssueId) -> bool {
    world.states.position[world.states.at(m, issue)] > scenario.issues[issue.index()].status_quo
        && world.salience(m, issue) >= scenario.behaviour.min_salience
}

/// The acceptance stance of member `m` in a venue led by `leader` (coalitions) or
/// with no leader (bodies). Rivalry: a great power in a coalition led by another
/// great power whose challenger flag differs (MODEL.md: microlaterals avoid it).
pub fn stance(world: &World, m: StateId, issue: IssueId, leader: Option<StateId>) -> Stance {
    let s = &world.states;
    let rival_led = leader.is_some_and(|l| {
        l != m
            && s.great_power[l.index()]
            && s.great_power[m.index()]
            && s.challenger[l.index()] != s.challenger[m.index()]
    });
    Stance {
        position: s.position[s.at(m, issue)],
        challenger: s.challenger[m.index()],
        rival_led,
    }
}

/// The qualified majority of the EU treaties (Art. 16(4) TEU): 55% of the members,
/// at least fifteen, representing 65% of the population; a blocking minority needs
/// four. Authorisations are voted by it (Art. 329(1) TFEU) when the authorising body
/// does not itself decide by `qmv`.
pub const TREATY_QMV: Rule = Rule::Qmv {
    count: Some(0.55),
    weight: Some(0.65),
    weight_by: Weight::Population,
    min_members: Some(15),
    blocking_minority: Some(4),
};

/// Whether body `b` authorises a coalition on `issue` aiming at `aim` (an enhanced
/// cooperation): every member votes on the aim against the issue's status quo as on a
/// proposal of its own, by qualified majority (the body's own `qmv` rule, else
/// [`TREATY_QMV`]; its fifteen members apply to a body of at least fifteen). Leaves
/// the members who rejected in `scratch.rejected`.
pub fn authorises(
    scenario: &Scenario,
    world: &World,
    scratch: &mut Scratch,
    rng: &mut ChaCha8Rng,
    b: BodyId,
    issue: IssueId,
    aim: f64,
) -> bool {
    let body = &world.bodies[b.index()];
    let rule = match &body.rule {
        own @ Rule::Qmv { .. } => own,
        _ => &TREATY_QMV,
    };
    fill_voters(
        world,
        scratch,
        &body.members,
        issue,
        rule_weight(rule),
        None,
    );
    let status_quo = scenario.issues[issue.index()].status_quo;
    let params = super::accept_params(scenario);
    for v in scratch.voters.iter_mut() {
        if v.abstains {
            continue;
        }
        let p = accept_probability(
            aim,
            status_quo,
            stance(world, v.state, issue, None),
            &params,
        );
        v.accepts = rng.random::<f64>() < p;
    }
    scratch.rejected.clear();
    scratch.rejected.extend(
        scratch
            .voters
            .iter()
            .filter(|v| !v.accepts)
            .map(|v| v.state),
    );
    if let Rule::Qmv {
        count,
        weight,
        weight_by,
        min_members,
        blocking_minority,
    } = *rule
    {
        // Fifteen of a council of fewer would be more than every member: a smaller
        // council needs the shares only.
        let capped = Rule::Qmv {
            count,
            weight,
            weight_by,
            min_members: min_members.filter(|&m| m as usize <= scratch.voters.len()),
            blocking_minority,
        };
        return rules::adopted(&capped, &scratch.voters);
    }
    rules::adopted(rule, &scratch.voters)
}

/// Whether `i` sits in the body coalitions form inside, if any: only its members
/// found or join coalitions. The body is the one that must authorise them
/// (`authorised_by`: enhanced cooperation is among EU members) or the one they form
/// within without its leave (`within`: WTO plurilaterals are among WTO members).
/// Membership is read from the world, so a member that withdrew (exit) or lost its
/// elected seat is outside until it is back.
pub fn inside_framework(scenario: &Scenario, world: &World, i: StateId) -> bool {
    scenario
        .coalitions
        .framework()
        .is_none_or(|b| world.bodies[b.index()].members.binary_search(&i).is_ok())
}
