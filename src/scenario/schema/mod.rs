//! Scenario tree → validated [`Scenario`], section by section: the rules and
//! defaults of `docs/scenario.md`. Every problem is recorded in the [`Ctx`] (see
//! `reader`), so one pass reports them all.

mod bodies;
mod coalitions;
mod defaults;
mod issues;
mod settings;
mod states;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::Path;

use super::parse::{Kind, Node, Place};
use super::reader::{Ctx, Table};
use super::rules;
use super::{BehaviourRule, Scenario};
use bodies::read_bodies;
use coalitions::read_coalitions;
use issues::{read_capabilities, read_issues, read_trade};
use settings::{read_behaviour, read_decision, read_legitimacy, read_output, read_payoffs};
pub(super) use states::StateIndex;
use states::{
    read_affinities, read_affinity_file, read_great_powers, read_middle_powers, read_states,
};

const TOP_FIELDS: &str = "scenario world defaults groups data states issues bodies coalitions decision legitimacy payoffs behaviour affinities trade output sweep calibrate";
const SCENARIO_FIELDS: &str = "name description ticks runs seed";
const WORLD_FIELDS: &str = "capabilities great_powers middle_powers challengers";

/// Ticks, delays and durations: 1 ..= 1,000,000.
pub(super) const TICK_RANGE: RangeInclusive<i64> = 1..=1_000_000;

/// Names seen so far, with where each was first seen, for "duplicate" errors.
#[derive(Default)]
pub(super) struct FirstSeen(HashMap<String, String>);

impl FirstSeen {
    /// Records `name`; if it was seen before, returns where.
    fn check(&mut self, name: &str, whereabouts: impl FnOnce() -> String) -> Option<String> {
        if let Some(first) = self.0.get(name) {
            return Some(first.clone());
        }
        self.0.insert(name.to_owned(), whereabouts());
        None
    }
}

/// Builds the scenario, recording every problem in `ctx`. The result is meaningful
/// only if no error was recorded.
pub(super) fn build(ctx: &mut Ctx, root: &Node, base_dir: &Path) -> Scenario {
    let doc = ctx
        .table(root, "", Some(TOP_FIELDS))
        .unwrap_or_else(|| Table::absent(String::new(), root.place.clone()));

    let head = doc.required_table(ctx, "scenario", SCENARIO_FIELDS);
    let name = scenario_name(ctx, &head);
    let description = head.text(ctx, "description", "");
    let ticks = head.int(ctx, "ticks", TICK_RANGE, 100);
    let runs = head.int(ctx, "runs", 1..=100_000_000, 100);
    let seed = head.int(ctx, "seed", 0..=i64::MAX, 1);

    let world = doc.required_table(ctx, "world", WORLD_FIELDS);
    let capabilities = read_capabilities(ctx, &world);
    let issues = read_issues(ctx, &doc, &capabilities);
    let issue_names: Vec<&str> = issues.iter().map(|i| i.name.as_str()).collect();
    let (states, labels, preferences) =
        read_states(ctx, &doc, &world, base_dir, &capabilities, &issue_names);
    let great_powers = read_great_powers(ctx, &world, &states);
    let middle_powers = read_middle_powers(ctx, &world, &states, &great_powers);

    let index = StateIndex::new(&states);
    let bodies = read_bodies(
        ctx,
        &doc,
        base_dir,
        &index,
        &issue_names,
        &capabilities,
        &labels,
    );
    let n_states = states.len();
    let mut affinities = read_affinities(ctx, &doc, &index);
    let affinity_source = read_affinity_file(ctx, &doc, base_dir, &states, &mut affinities);
    let (trade, trade_total) = read_trade(ctx, &doc, base_dir, &states, &issues);
    let founders = (doc.get("coalitions").and_then(|c| c.get("founders"))).map(|node| {
        let mut ids =
            bodies::read_members(ctx, node, "coalitions.founders", base_dir, &index, &labels);
        ids.sort();
        ids.dedup();
        ids
    });
    let coalitions = read_coalitions(ctx, &doc, &capabilities, n_states, &bodies, founders);
    let behaviour = doc.get("behaviour");
    let behaviour_place = behaviour
        .map(|n| n.get("rule").unwrap_or(n))
        .map_or_else(|| doc.place().clone(), |n| n.place.clone());
    let max_size_place = doc
        .get("coalitions")
        .and_then(|n| n.get("max_size"))
        .map_or_else(|| behaviour_place.clone(), |n| n.place.clone());
    let rule_env = rules::RuleEnv {
        rule: BehaviourRule::Utility,
        states: &states,
        issues: &issues,
        bodies: &bodies,
        coalitions: &coalitions,
        capabilities: &capabilities,
        labels: &labels.0,
        index: &index,
        base_dir,
        place: &behaviour_place,
        max_size_place: &max_size_place,
    };
    let behaviour = read_behaviour(ctx, &doc, &rule_env);
    if behaviour.rule == BehaviourRule::Club && behaviour.club.tariff > 0.0 && trade.is_empty() {
        ctx.error(
            &behaviour_place,
            "behaviour.club.tariff",
            "the club's tariff needs bilateral trade flows: add a [trade] table",
        );
    }
    let output = read_output(ctx, &doc, &labels.0, &states, &issue_names);

    Scenario {
        name,
        description,
        ticks,
        runs,
        seed,
        labels: labels.0,
        states,
        issues,
        bodies,
        coalitions,
        decision: read_decision(ctx, &doc),
        legitimacy: read_legitimacy(ctx, &doc),
        payoffs: read_payoffs(ctx, &doc),
        behaviour,
        affinities,
        preferences,
        affinity_source,
        great_powers,
        middle_powers,
        trade,
        trade_total,
        output,
        capabilities,
    }
}

/// Reports more than `max` elements (ids are `u16`/`u32`).
pub(super) fn check_count(ctx: &mut Ctx, place: &Place, field: &str, n: usize, max: usize) {
    if n > max {
        ctx.error(place, field, format!("expected at most {max}, found {n}"));
    }
}

fn scenario_name(ctx: &mut Ctx, head: &Table) -> String {
    let Some(node) = head.required(ctx, "name") else {
        return String::new();
    };
    let name = ctx.string(node, "scenario.name").unwrap_or_default();
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let bad = name.is_empty() || !name.chars().all(ok_char) || name.chars().all(|c| c == '.');
    if bad && matches!(node.kind, Kind::Str(_)) {
        let message =
            format!("expected a name of ASCII letters, digits, '-', '_' and '.', found {name:?}");
        ctx.error(&node.place, "scenario.name", message);
    }
    name
}

/// The required `name` of an issue or body (`what`): without spaces (it names CSV
/// columns such as `example`) and not one `seen` before; "" if it is missing or not
/// a string (already reported).
pub(super) fn read_name(
    ctx: &mut Ctx,
    t: &Table,
    what: &str,
    example: &str,
    seen: &mut FirstSeen,
) -> String {
    let (Some(name), Some(node)) = (t.required_str(ctx, "name"), t.get("name")) else {
        return String::new();
    };
    let field = t.field("name");
    check_column_name(ctx, &node.place, &field, example, &name);
    if let Some(first) = seen.check(&name, || ctx.whereabouts(&node.place)) {
        let message = format!("duplicate {what} {name:?} (first at {first})");
        ctx.error(&node.place, &field, message);
    }
    name
}

/// Reports an issue, body or capability name with whitespace: such names become parts
/// of CSV column names (`progress_<issue>`, `deadlock_<body>`, a capability's column in
/// `states.csv`), and a column name with a space is a nuisance in R and pandas.
pub(super) fn check_column_name(
    ctx: &mut Ctx,
    place: &Place,
    field: &str,
    example: &str,
    name: &str,
) {
    if name.chars().any(char::is_whitespace) {
        let fixed = name.split_whitespace().collect::<Vec<_>>().join("_");
        let message = format!(
            "expected a name without spaces (it names CSV columns such as {example}), found {name:?}; write e.g. {fixed:?}"
        );
        ctx.error(place, field, message);
    }
}
