//! `[behaviour.adaptive]`: parameters of the `adaptive` behaviour rule (Roth–Erev
//! reinforcement over venue choices; docs/rules/adaptive.md).

use super::RuleEnv;
pub use crate::model::scenario::adaptive::{AdaptiveSpec, Variant};
use crate::scenario::reader::{ANY_FINITE, Ctx, Table, UNIT, above};

/// Fields allowed in `[behaviour.adaptive]`.
pub(in crate::scenario) const FIELDS: &str =
    "initial recency experimentation variant reward_floor reward_scale converged";

/// Reads `[behaviour.adaptive]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> AdaptiveSpec {
    let _ = env;
    let d = AdaptiveSpec::default();
    let experimentation = t.num(ctx, "experimentation", UNIT, d.experimentation);
    // ε = 1 would give the action played nothing: [0, 1) has no ready-made Interval.
    let experimentation = if experimentation >= 1.0 {
        if let Some(node) = t.get("experimentation") {
            ctx.error(
                &node.place,
                &t.field("experimentation"),
                "must be in [0, 1): with 1 the action played would get none of its reward",
            );
        }
        d.experimentation
    } else {
        experimentation
    };
    AdaptiveSpec {
        initial: t.num(ctx, "initial", above(0.0, 1e9), d.initial),
        recency: t.num(ctx, "recency", UNIT, d.recency),
        experimentation,
        variant: t.pick(
            ctx,
            "variant",
            &[("basic", Variant::Basic), ("modified", Variant::Modified)],
            d.variant,
        ),
        reward_floor: t.num(ctx, "reward_floor", ANY_FINITE, d.reward_floor),
        reward_scale: t.num(ctx, "reward_scale", above(0.0, 1e12), d.reward_scale),
        converged: t.num(ctx, "converged", above(0.0, 1.0), d.converged),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use std::path::Path;

    const BASE: &str = "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n[[states]]\nname = \"A\"\ncapabilities = { gdp = 1.0 }\n[[states]]\nname = \"B\"\ncapabilities = { gdp = 1.0 }\n[behaviour]\nrule = \"adaptive\"\n";

    fn load(extra: &str) -> Result<Scenario, Vec<String>> {
        let text = format!("{BASE}{extra}");
        Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
            .map(|l| l.scenario)
            .map_err(|e| e.0.iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn absent_table_reads_the_defaults() {
        let s = load("").expect("valid");
        assert_eq!(s.behaviour.adaptive, AdaptiveSpec::default());
    }

    #[test]
    fn every_field_is_read() {
        let s = load(
            "[behaviour.adaptive]\ninitial = 9.0\nrecency = 0.1\nexperimentation = 0.2\nvariant = \"modified\"\nreward_floor = -0.5\nreward_scale = 10.0\nconverged = 0.75\n",
        )
        .expect("valid");
        let a = &s.behaviour.adaptive;
        assert_eq!(
            *a,
            AdaptiveSpec {
                initial: 9.0,
                recency: 0.1,
                experimentation: 0.2,
                variant: Variant::Modified,
                reward_floor: -0.5,
                reward_scale: 10.0,
                converged: 0.75,
            }
        );
    }

    #[test]
    fn bad_values_name_the_place_and_the_field() {
        let errors = load(
            "[behaviour.adaptive]\ninitial = 0.0\nrecency = 1.5\nexperimentation = 1.0\nvariant = \"fast\"\nreward_scale = -1.0\nconverged = 0.0\nforgetting = 0.1\n",
        )
        .expect_err("invalid");
        let all = errors.join("\n");
        for (line, field) in [
            (17, "behaviour.adaptive.initial"),
            (18, "behaviour.adaptive.recency"),
            (19, "behaviour.adaptive.experimentation"),
            (20, "behaviour.adaptive.variant"),
            (21, "behaviour.adaptive.reward_scale"),
            (22, "behaviour.adaptive.converged"),
            (23, "behaviour.adaptive.forgetting"),
        ] {
            assert!(
                errors
                    .iter()
                    .any(|e| e.starts_with(&format!("t.toml:{line}:")) && e.contains(field)),
                "no error at line {line} for {field} in:\n{all}"
            );
        }
        assert!(all.contains("[0, 1)"), "{all}");
    }
}
