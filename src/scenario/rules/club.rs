//! `[behaviour.club]`: parameters of the `club` behaviour rule (Nordhaus's climate
//! club; docs/rules/club.md), and its file of tariff coefficients.

use super::RuleEnv;
use crate::model::ids::{CapId, IssueId};
pub use crate::model::scenario::club::{ClubSpec, MAX_PRICE, MAX_REGIONS, Proposal, Ties};
use crate::scenario::BehaviourRule;
use crate::scenario::data::csv_file::CsvFile;
use crate::scenario::reader::{Ctx, NON_NEGATIVE, Table, UNIT, above, closed, unknown};

/// Fields allowed in `[behaviour.club]`.
pub(in crate::scenario) const FIELDS: &str = "issue target_price tariff scc cost_exponent cost_scale gdp emissions cost_coefficient tariff_coefficients retaliation cap_abatement ties proposals_per_tick proposal";

/// Columns of the tariff coefficients file besides the state's name.
const COEFFICIENT_COLUMNS: [&str; 2] = ["terms_of_trade", "efficiency_loss"];

/// Reads `[behaviour.club]` (`t`; absent reads as empty). Names of capabilities and the
/// coefficients file are required only when `club` is the scenario's rule.
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> ClubSpec {
    let active = env.rule == BehaviourRule::Club;
    let defaults = ClubSpec::default();
    let issue = super::issue(ctx, t, env).unwrap_or(IssueId(0));
    let target_price = t.num(
        ctx,
        "target_price",
        above(0.0, MAX_PRICE),
        defaults.target_price,
    );
    let scc = t.opt_num(ctx, "scc", closed(0.0, MAX_PRICE));
    let tariff = t.num(ctx, "tariff", UNIT, 0.0);
    let cost_exponent = t.num(ctx, "cost_exponent", closed(1.01, 10.0), 2.0);
    let cost_scale = t.num(ctx, "cost_scale", NON_NEGATIVE, defaults.cost_scale);
    let gdp = capability(ctx, t, env, "gdp", "gdp", active);
    let emissions = capability(ctx, t, env, "emissions", "emissions", active);
    let cost_coefficient = capability(ctx, t, env, "cost_coefficient", "abatement_cost", active);
    let (terms_of_trade, efficiency_loss) = coefficients(ctx, t, env, active);
    let ties = t.pick(
        ctx,
        "ties",
        &[("stay", Ties::Stay), ("move", Ties::Move)],
        Ties::Stay,
    );
    if active && env.states.len() > MAX_REGIONS {
        ctx.error(
            env.place,
            "behaviour.rule",
            format!(
                "the club rule plays at most {MAX_REGIONS} regions; this scenario has {}",
                env.states.len()
            ),
        );
    }
    if active && (env.coalitions.max_size as usize) < env.states.len() {
        ctx.error(
            env.max_size_place,
            "coalitions.max_size",
            format!(
                "the club rule needs max_size >= the number of regions ({}) so that one club can hold them all; found {}",
                env.states.len(),
                env.coalitions.max_size
            ),
        );
    }
    ClubSpec {
        issue,
        target_price,
        tariff,
        scc,
        cost_exponent,
        cost_scale,
        gdp,
        emissions,
        cost_coefficient,
        terms_of_trade,
        efficiency_loss,
        retaliation: t.flag(ctx, "retaliation", false),
        cap_abatement: t.flag(ctx, "cap_abatement", true),
        ties,
        proposals_per_tick: t.int(ctx, "proposals_per_tick", 1..=1_000_000, 100),
        proposal: t.pick(
            ctx,
            "proposal",
            &[("group", Proposal::Group), ("single", Proposal::Single)],
            Proposal::Group,
        ),
    }
}

/// The capability named by `key` (default `default`); an unknown name is an error
/// when the rule is active.
fn capability(
    ctx: &mut Ctx,
    t: &Table,
    env: &RuleEnv,
    key: &str,
    default: &str,
    active: bool,
) -> CapId {
    let name = t.text(ctx, key, default);
    match env.capabilities.iter().position(|c| *c == name) {
        Some(at) => CapId::from_index(at),
        None => {
            if active {
                let place = t.get(key).map_or(env.place, |n| &n.place).clone();
                let known = env.capabilities.iter().map(String::as_str);
                ctx.error(&place, &t.field(key), unknown("capability", &name, known));
            }
            CapId(0)
        }
    }
}

/// Reads `tariff_coefficients`: a CSV file with a row per state (`name`,
/// `terms_of_trade`, `efficiency_loss`). Every state needs a row.
fn coefficients(ctx: &mut Ctx, t: &Table, env: &RuleEnv, active: bool) -> (Vec<f64>, Vec<f64>) {
    let n = env.states.len();
    let Some(node) = t.get("tariff_coefficients") else {
        if active {
            ctx.error(
                t.place(),
                &t.field("tariff_coefficients"),
                "the club rule needs a file of tariff coefficients (columns name, terms_of_trade, efficiency_loss): add tariff_coefficients = \"path.csv\"".to_owned(),
            );
        }
        return (Vec::new(), Vec::new());
    };
    let field = t.field("tariff_coefficients");
    let Some(file) = ctx.string(node, &field) else {
        return (Vec::new(), Vec::new());
    };
    let Some(mut csv) = CsvFile::open(ctx, env.base_dir, &file, &node.place, &field) else {
        return (Vec::new(), Vec::new());
    };
    let mut at = [0usize; 3];
    for (slot, column) in ["name"].iter().chain(&COEFFICIENT_COLUMNS).enumerate() {
        match csv.column(column) {
            Some(i) => at[slot] = i,
            None => {
                let message = format!(
                    "no column {column:?} in {file:?}; the file has columns {}",
                    csv.header_list()
                );
                ctx.error(&node.place, &field, message);
                return (Vec::new(), Vec::new());
            }
        }
    }
    let mut values = vec![[f64::NAN; 2]; n];
    let mut seen = vec![false; n];
    while let Some(row) = csv.next_row(ctx) {
        let name = row.cell(at[0]);
        let Some(i) = env.states.iter().position(|s| s.name == name) else {
            let message = unknown("state", name, env.states.iter().map(|s| s.name.as_str()));
            csv.error(ctx, &row, "name", message);
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            let message = format!("{name:?} is listed twice; give each region one row");
            csv.error(ctx, &row, "name", message);
            continue;
        }
        for (k, column) in COEFFICIENT_COLUMNS.iter().enumerate() {
            let text = row.cell(at[k + 1]);
            match text
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
            {
                Some(v) => values[i][k] = v,
                None => {
                    let message = format!("expected a number >= 0, found {text:?}");
                    csv.error(ctx, &row, column, message);
                }
            }
        }
    }
    let missing: Vec<&str> = (0..n)
        .filter(|&i| values[i][0].is_nan() || values[i][1].is_nan())
        .map(|i| env.states[i].name.as_str())
        .collect();
    if active && !missing.is_empty() {
        let message = format!(
            "{file:?} gives no tariff coefficients for {}",
            missing.join(", ")
        );
        ctx.error(&node.place, &field, message);
    }
    let ok = |v: f64| if v.is_nan() { 0.0 } else { v };
    (
        values.iter().map(|v| ok(v[0])).collect(),
        values.iter().map(|v| ok(v[1])).collect(),
    )
}
