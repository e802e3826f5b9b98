//! `[behaviour.stability]`: parameters of the `stability` behaviour rule (cartel
//! stability of one agreement on one issue; docs/rules/stability.md).

use super::RuleEnv;
use crate::model::ids::IssueId;
pub use crate::model::scenario::stability::{
    BenefitBy, MAX_PARAMETER, Moves, PayoffShape, StabilitySpec, Start, Ties,
};
use crate::scenario::reader::{Ctx, NON_NEGATIVE, Table};

/// Fields allowed in `[behaviour.stability]`.
pub(in crate::scenario) const FIELDS: &str =
    "issue payoff benefit cost benefit_by start moves ties saturation";

/// Reads a parameter that must be in `(0, MAX_PARAMETER]`.
fn positive(ctx: &mut Ctx, t: &Table, key: &str, default: f64) -> f64 {
    let Some(value) = t.opt_num(ctx, key, NON_NEGATIVE) else {
        return default;
    };
    if value > 0.0 && value <= MAX_PARAMETER {
        return value;
    }
    let place = t
        .get(key)
        .map_or_else(|| t.place().clone(), |n| n.place.clone());
    ctx.error(
        &place,
        &t.field(key),
        format!("expected a number in (0, {MAX_PARAMETER}], found {value:?}"),
    );
    default
}

/// Reads `[behaviour.stability]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> StabilitySpec {
    let issue = super::issue(ctx, t, env).unwrap_or(IssueId(0));
    let payoff = t.pick(
        ctx,
        "payoff",
        &[
            ("quadratic", PayoffShape::Quadratic),
            ("linear", PayoffShape::Linear),
            ("barrett", PayoffShape::Barrett),
        ],
        PayoffShape::Quadratic,
    );
    let benefit_by = t.pick(
        ctx,
        "benefit_by",
        &[
            ("equal", BenefitBy::Equal),
            ("salience", BenefitBy::Salience),
            ("share", BenefitBy::Share),
        ],
        BenefitBy::Equal,
    );
    let start = t.pick(
        ctx,
        "start",
        &[
            ("empty", Start::Empty),
            ("grand", Start::Grand),
            ("random", Start::Random),
        ],
        Start::Empty,
    );
    let moves = t.pick(
        ctx,
        "moves",
        &[
            ("simultaneous", Moves::Simultaneous),
            ("leader", Moves::Leader),
        ],
        Moves::Simultaneous,
    );
    let ties = t.pick(
        ctx,
        "ties",
        &[("join", Ties::Join), ("stay", Ties::Stay)],
        Ties::Join,
    );
    StabilitySpec {
        issue,
        payoff,
        benefit: positive(ctx, t, "benefit", 1.0),
        cost: positive(ctx, t, "cost", 1.0),
        benefit_by,
        start,
        moves,
        ties,
        saturation: positive(ctx, t, "saturation", 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use std::path::Path;

    const BASE: &str = "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n[[states]]\nname = \"A\"\ncapabilities = { gdp = 1 }\n[[states]]\nname = \"B\"\ncapabilities = { gdp = 1 }\n[behaviour]\nrule = \"stability\"\n";

    fn read(extra: &str) -> Result<StabilitySpec, String> {
        let text = format!("{BASE}{extra}");
        Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
            .map(|l| l.scenario.behaviour.stability)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn an_absent_table_reads_as_the_textbook_game() {
        assert_eq!(read("").unwrap(), StabilitySpec::textbook());
    }

    #[test]
    fn every_field_is_read() {
        let spec = read(
            "[behaviour.stability]\nissue = \"trade\"\npayoff = \"barrett\"\nbenefit = 0.4\ncost = 1\nbenefit_by = \"share\"\nstart = \"grand\"\nmoves = \"leader\"\nties = \"stay\"\nsaturation = 100\n",
        )
        .unwrap();
        assert_eq!(
            spec,
            StabilitySpec {
                issue: IssueId(1),
                payoff: PayoffShape::Barrett,
                benefit: 0.4,
                cost: 1.0,
                benefit_by: BenefitBy::Share,
                start: Start::Grand,
                moves: Moves::Leader,
                ties: Ties::Stay,
                saturation: 100.0,
            }
        );
    }

    #[test]
    fn bad_values_are_reported_with_place_and_field() {
        let e = read(
            "[behaviour.stability]\nissue = \"oceans\"\npayoff = \"cubic\"\nbenefit = 0\ncost = -1\nbenefit_by = \"gdp\"\nstart = \"full\"\nabatement = 1\nmoves = \"first\"\nties = \"leave\"\nsaturation = 0\n",
        )
        .unwrap_err();
        for wanted in [
            "t.toml:20:9: behaviour.stability.issue: unknown issue \"oceans\"",
            "t.toml:21:10: behaviour.stability.payoff: expected one of quadratic, linear, barrett; found \"cubic\"",
            "t.toml:22:11: behaviour.stability.benefit: expected a number in (0, 1000000], found 0.0",
            "t.toml:23:8: behaviour.stability.cost: expected a number >= 0, found -1",
            "t.toml:24:14: behaviour.stability.benefit_by: expected one of equal, salience, share; found \"gdp\"",
            "t.toml:25:9: behaviour.stability.start: expected one of empty, grand, random; found \"full\"",
            "behaviour.stability.abatement",
            "t.toml:27:9: behaviour.stability.moves: expected one of simultaneous, leader; found \"first\"",
            "t.toml:28:8: behaviour.stability.ties: expected one of join, stay; found \"leave\"",
            "t.toml:29:14: behaviour.stability.saturation: expected a number in (0, 1000000], found 0.0",
        ] {
            assert!(e.contains(wanted), "missing {wanted:?} in:\n{e}");
        }
    }

    #[test]
    fn a_huge_cost_is_refused() {
        let e = read("[behaviour.stability]\ncost = 1e7\n").unwrap_err();
        assert!(
            e.contains(
                "behaviour.stability.cost: expected a number in (0, 1000000], found 10000000.0"
            ),
            "{e}"
        );
    }
}
