//! Members as voters: who votes in a venue, with what position, salience and weight,
//! and how willing each is to accept (MODEL.md "Venue"). Used by the engine's
//! proposals and decisions and by the behaviour rules' admission and founding plans.

use super::scratch::Scratch;
use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::{Rule, Weight};
use crate::rules::Voter;
use crate::rules::acceptance::Stance;

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
