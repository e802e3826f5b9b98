//! CORE: behaviour rules (MODEL.md "Behaviour rules"): how a state reviews its
//! portfolio of memberships in phase 6 of a tick. Selected per scenario with
//! `[behaviour] rule`.

pub mod utility;

use crate::engine::tick::Ctx;
use crate::metrics::Observer;
use crate::model::ids::StateId;
use crate::scenario::BehaviourRule;

/// Lets state `i` review its memberships under the scenario's rule.
pub fn review<O: Observer>(ctx: &mut Ctx<'_, O>, i: StateId) {
    match ctx.scenario.behaviour.rule {
        BehaviourRule::Utility => utility::review(ctx, i),
    }
}
