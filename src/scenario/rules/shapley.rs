//! `[behaviour.shapley]`: parameters of the `shapley` behaviour rule (bilateral
//! Shapley value merging of alliances; docs/rules/shapley.md).

use super::RuleEnv;
use crate::model::ids::IssueId;
use crate::scenario::BehaviourRule;
use crate::scenario::validate::{Ctx, NON_NEGATIVE, Table, unknown};

/// Fields allowed in `[behaviour.shapley]`.
pub(in crate::scenario) const FIELDS: &str = "issue negotiation_cost overhead min_gain temperature";

/// Parameters of the `shapley` rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShapleySpec {
    /// The issue alliances form on (`issue`, a name; the only issue if the scenario
    /// has one). Alliances are coalitions on this issue.
    pub issue: IssueId,
    /// Cost of agreement per ordered pair of members per decision
    /// (`negotiation_cost`, >= 0); `None`: `coalitions.negotiation_cost`.
    pub negotiation_cost: Option<f64>,
    /// Running cost per member of an alliance per tick (`overhead`, >= 0); `None`:
    /// `payoffs.overhead`.
    pub overhead: Option<f64>,
    /// Smallest surplus `v(A∪B) − v(A) − v(B)` for which two alliances merge
    /// (`min_gain`, >= 0; default 0: any positive surplus).
    pub min_gain: f64,
    /// Logit noise on the ranking of pairs (`temperature`, >= 0; default 0: the
    /// pair with the largest surplus first, deterministically).
    pub temperature: f64,
}

/// Reads `[behaviour.shapley]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> ShapleySpec {
    let issue = match t.get("issue") {
        Some(node) => match ctx.string(node, &t.field("issue")) {
            Some(name) => match env.issues.iter().position(|k| k.name == name) {
                Some(k) => IssueId::from_index(k),
                None => {
                    let message =
                        unknown("issue", &name, env.issues.iter().map(|k| k.name.as_str()));
                    ctx.error(&node.place, &t.field("issue"), message);
                    IssueId::default()
                }
            },
            None => IssueId::default(),
        },
        None => {
            // Which issue the alliances are about is a substantive choice: with more
            // than one issue the scenario must say (only when the rule is selected).
            if env.rule == BehaviourRule::Shapley && env.issues.len() > 1 {
                ctx.error(
                    t.place(),
                    &t.field("issue"),
                    "name the issue alliances form on (the scenario has more than one)",
                );
            }
            IssueId::default()
        }
    };
    ShapleySpec {
        issue,
        negotiation_cost: t.opt_num(ctx, "negotiation_cost", NON_NEGATIVE),
        overhead: t.opt_num(ctx, "overhead", NON_NEGATIVE),
        min_gain: t.num(ctx, "min_gain", NON_NEGATIVE, 0.0),
        temperature: t.num(ctx, "temperature", NON_NEGATIVE, 0.0),
    }
}
