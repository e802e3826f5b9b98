//! `[behaviour.shapley]`: parameters of the `shapley` behaviour rule (bilateral
//! Shapley value merging of alliances; docs/rules/shapley.md).

use super::RuleEnv;
use crate::model::ids::IssueId;
pub use crate::model::scenario::shapley::ShapleySpec;
use crate::model::scenario::shapley::{MESA_SYNERGY, Matching, WorthKind};
use crate::scenario::BehaviourRule;
use crate::scenario::reader::{Ctx, NON_NEGATIVE, POSITIVE, Table};

/// Fields allowed in `[behaviour.shapley]`.
pub(in crate::scenario) const FIELDS: &str =
    "issue negotiation_cost overhead min_gain temperature worth matching synergy";

/// Reads `[behaviour.shapley]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> ShapleySpec {
    let issue = match t.get("issue") {
        Some(_) => super::issue(ctx, t, env).unwrap_or_default(),
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
    let worth = t.pick(
        ctx,
        "worth",
        &[("model", WorthKind::Model), ("mesa", WorthKind::Mesa)],
        WorthKind::Model,
    );
    let matching = t.pick(
        ctx,
        "matching",
        &[("surplus", Matching::Surplus), ("mesa", Matching::Mesa)],
        Matching::Surplus,
    );
    if matching == Matching::Mesa && worth != WorthKind::Mesa {
        // Mesa's matching carries each alliance's power and position between rounds,
        // which only Mesa's worth defines.
        let place = t.get("matching").map_or(t.place(), |n| &n.place);
        ctx.error(
            place,
            &t.field("matching"),
            "matching = \"mesa\" needs worth = \"mesa\" (Mesa's power and position of an alliance)",
        );
    }
    ShapleySpec {
        issue,
        negotiation_cost: t.opt_num(ctx, "negotiation_cost", NON_NEGATIVE),
        overhead: t.opt_num(ctx, "overhead", NON_NEGATIVE),
        min_gain: t.num(ctx, "min_gain", NON_NEGATIVE, 0.0),
        temperature: t.num(ctx, "temperature", NON_NEGATIVE, 0.0),
        worth,
        matching,
        synergy: t.num(ctx, "synergy", POSITIVE, MESA_SYNERGY),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::ids::IssueId;
    use crate::scenario::document::load_text;

    /// Two states, two issues (trade at line 11, climate at line 14).
    const TWO_ISSUES: &str = r#"[scenario]
name = "t"
[world]
capabilities = ["gdp"]
[[states]]
name = "A"
capabilities = { gdp = 1.0 }
[[states]]
name = "B"
capabilities = { gdp = 2.0 }
[[issues]]
name = "trade"
capability = "gdp"
[[issues]]
name = "climate"
capability = "gdp"
"#;

    fn load(text: &str) -> Result<super::ShapleySpec, Vec<String>> {
        load_text(text, "s.toml", Path::new("."), &[])
            .map(|l| l.scenario.behaviour.shapley)
            .map_err(|e| e.0.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn the_issue_is_read_by_name_and_defaults_are_the_models() {
        let spec = load(&format!(
            "{TWO_ISSUES}[behaviour]\nrule = \"shapley\"\n[behaviour.shapley]\nissue = \"climate\"\nmin_gain = 0.5\n"
        ))
        .expect("valid");
        assert_eq!(spec.issue, IssueId(1));
        assert_eq!((spec.negotiation_cost, spec.overhead), (None, None));
        assert_eq!((spec.min_gain, spec.temperature), (0.5, 0.0));
        // Another rule: no issue needed, the table is still checked.
        let spec = load(TWO_ISSUES).expect("valid");
        assert_eq!(spec.issue, IssueId(0));
    }

    #[test]
    fn errors_name_the_place_and_the_field() {
        let errors = load(&format!(
            "{TWO_ISSUES}[behaviour]\nrule = \"shapley\"\n[behaviour.shapley]\nissue = \"climat\"\nmin_gain = -1\ntemprature = 0.1\n"
        ))
        .expect_err("invalid");
        assert_eq!(
            errors,
            [
                "s.toml:20:9: behaviour.shapley.issue: unknown issue \"climat\"; did you mean \"climate\"?",
                "s.toml:21:12: behaviour.shapley.min_gain: expected a number >= 0, found -1",
                "s.toml:22:1: behaviour.shapley.temprature: unknown field; did you mean \"temperature\"?",
            ]
        );
        let errors =
            load(&format!("{TWO_ISSUES}[behaviour]\nrule = \"shapley\"\n")).expect_err("invalid");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].ends_with(
                "behaviour.shapley.issue: name the issue alliances form on (the scenario has more than one)"
            ),
            "{errors:?}"
        );
    }
}
