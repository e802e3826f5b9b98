//! `[[bodies]]`: members, decision rule (shared with `[coalitions]`), veto holders and
//! mandate.

use super::states::{Labels, StateIndex};
use super::{FirstSeen, TICK_RANGE, check_count, read_name};
use std::path::Path;

use crate::scenario::data::{memberships, seats};
use crate::scenario::parse::{Kind, Node};
use crate::scenario::reader::{Ctx, Table, UNIT, above, closed, unknown};
use crate::scenario::{BodySpec, CapId, ExitRule, IssueId, Rule, StateId, StateSpec, Weight};

const BODY_FIELDS: &str = "name members elected binds binding exit disengage_after linkage coordinate dialogue rule rules delay mandate facilitates abstain_below majority veto affirmative qmv_count qmv_weight weight qmv_min_members blocking_minority";

/// Decision rules by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RuleKind {
    Unanimity,
    Consensus,
    Veto,
    Qmv,
}

const BODY_RULES: &[(&str, RuleKind)] = &[
    ("unanimity", RuleKind::Unanimity),
    ("consensus", RuleKind::Consensus),
    ("veto", RuleKind::Veto),
    ("qmv", RuleKind::Qmv),
];

/// Fields that belong to some rules only: (field, the rules' names, the rules).
const RULE_FIELDS: &[(&str, &str, &[RuleKind])] = &[
    (
        "abstain_below",
        "\"consensus\" or \"veto\"",
        &[RuleKind::Consensus, RuleKind::Veto],
    ),
    ("majority", "\"veto\"", &[RuleKind::Veto]),
    ("veto", "\"veto\"", &[RuleKind::Veto]),
    ("affirmative", "\"veto\"", &[RuleKind::Veto]),
    ("qmv_count", "\"qmv\"", &[RuleKind::Qmv]),
    ("qmv_weight", "\"qmv\"", &[RuleKind::Qmv]),
    ("weight", "\"qmv\"", &[RuleKind::Qmv]),
    ("qmv_min_members", "\"qmv\"", &[RuleKind::Qmv]),
    ("blocking_minority", "\"qmv\"", &[RuleKind::Qmv]),
];

/// The rule named by `rule` with its rule-specific fields; fields of other rules are
/// errors. Veto holders are filled in by the caller.
pub(super) fn read_rule(
    ctx: &mut Ctx,
    t: &Table,
    kind: Option<RuleKind>,
    capabilities: &[String],
) -> Rule {
    if let Some(kind) = kind {
        for &(key, owner_name, owners) in RULE_FIELDS {
            if let Some(node) = t.get(key).filter(|_| !owners.contains(&kind)) {
                let message = format!("applies only to rule {owner_name}");
                ctx.error(&node.place, &t.field(key), message);
            }
        }
    }
    match kind {
        None | Some(RuleKind::Unanimity) => Rule::Unanimity,
        Some(RuleKind::Consensus) => Rule::Consensus {
            abstain_below: t.num(ctx, "abstain_below", UNIT, 0.2),
        },
        Some(RuleKind::Veto) => Rule::Veto {
            majority: t.num(ctx, "majority", above(0.0, 1.0), 0.5),
            holders: Vec::new(),
            affirmative: t.opt_int(ctx, "affirmative", 1..=u16::MAX as i64),
            abstain_below: t.opt_num(ctx, "abstain_below", UNIT),
        },
        Some(RuleKind::Qmv) => {
            let count = t.opt_num(ctx, "qmv_count", above(0.0, 1.0));
            let weight = t.opt_num(ctx, "qmv_weight", above(0.0, 1.0));
            let neither = t.get("qmv_count").is_none() && t.get("qmv_weight").is_none();
            let mut weights = vec![
                ("population".to_owned(), Weight::Population),
                ("issue".to_owned(), Weight::IssueCapability),
            ];
            for (i, c) in capabilities.iter().enumerate() {
                weights.push((c.clone(), Weight::Capability(CapId::from_index(i))));
            }
            let options: Vec<(&str, Weight)> =
                weights.iter().map(|(n, w)| (n.as_str(), *w)).collect();
            Rule::Qmv {
                count: if neither { Some(0.55) } else { count },
                weight: if neither { Some(0.65) } else { weight },
                weight_by: t.pick(ctx, "weight", &options, Weight::Population),
                min_members: t.opt_int(ctx, "qmv_min_members", 1..=u16::MAX as i64),
                blocking_minority: t.opt_int(ctx, "blocking_minority", 1..=u16::MAX as i64),
            }
        }
    }
}

pub(super) fn read_bodies(
    ctx: &mut Ctx,
    doc: &Table,
    base_dir: &Path,
    index: &StateIndex,
    issues: &[&str],
    capabilities: &[String],
    labels: &Labels,
) -> Vec<BodySpec> {
    let items = doc
        .get("bodies")
        .and_then(|node| ctx.list(node, "bodies", "a list of [[bodies]] tables"))
        .unwrap_or_default();
    check_count(ctx, doc.place(), "bodies", items.len(), u16::MAX as usize);
    let mut seen = FirstSeen::default();
    let mut bodies = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = ctx.table(item, &format!("bodies[{i}]"), Some(BODY_FIELDS)) else {
            continue;
        };
        let name = read_name(ctx, &t, "body", "deadlock_<body>", &mut seen);
        let members = t
            .required(ctx, "members")
            .map(|node| {
                let field = t.field("members");
                read_members(ctx, node, &field, base_dir, index, labels)
            })
            .unwrap_or_default();
        let kind = t
            .required(ctx, "rule")
            .and_then(|node| ctx.choice(node, &t.field("rule"), BODY_RULES));
        let mut rule = read_rule(ctx, &t, kind, capabilities);
        if let Rule::Veto { holders, .. } = &mut rule
            && let Some(node) = t.required(ctx, "veto")
        {
            for (id, item) in index.resolve_list(ctx, node, &t.field("veto")) {
                if members.binary_search(&id).is_err() && !members.is_empty() {
                    let who = &index.states[id.index()].name;
                    let field = format!("{}[{}]", t.field("veto"), position_in(node, item));
                    let message = format!("veto holder {who:?} is not a member of the body");
                    ctx.error(&item.place, &field, message);
                }
                holders.push(id);
            }
            holders.sort();
        }
        let mandate = match t.get("mandate") {
            None => (0..issues.len()).map(IssueId::from_index).collect(),
            Some(node) => read_mandate(ctx, node, &t.field("mandate"), issues),
        };
        let elected = t.get("elected").and_then(|node| {
            let field = t.field("elected");
            seats::read(ctx, node, &field, base_dir, index.states, &members)
        });
        let binds = t
            .get("binds")
            .map(|node| read_members(ctx, node, &t.field("binds"), base_dir, index, labels));
        let issue_rules = t
            .get("rules")
            .map(|node| {
                let field = t.field("rules");
                read_issue_rules(ctx, node, &field, issues, &mandate, &rule, capabilities)
            })
            .unwrap_or_default();
        let exit = t.get("exit").and_then(|node| {
            let field = t.field("exit");
            let e = ctx.table(node, &field, Some("after cost return_rate"))?;
            let rule = ExitRule {
                after: e.int(ctx, "after", 1..=1_000_000, 4),
                cost: e.num(ctx, "cost", closed(0.0, 10.0), 0.0),
                return_rate: e.num(ctx, "return_rate", UNIT, 0.0),
            };
            let clash = if elected.is_some() {
                Some("elected seats")
            } else if binds.is_some() {
                Some("`binds`")
            } else {
                None
            };
            if let Some(clash) = clash {
                let message = format!(
                    "a body with {clash} cannot be left (members leave bodies of members that bind themselves only)"
                );
                ctx.error(&node.place, &field, message);
            }
            Some(rule)
        });
        let disengage_after = t.opt_int(ctx, "disengage_after", 1..=1_000_000);
        if let (Some(k), Some(e)) = (disengage_after, exit)
            && k >= e.after
        {
            let node = t.get("disengage_after").expect("read above");
            let message = format!(
                "must be below `exit.after` ({}): a member disengages before it leaves",
                e.after
            );
            ctx.error(&node.place, &t.field("disengage_after"), message);
        }
        let linkage = t.flag(ctx, "linkage", false);
        if linkage && let Some(node) = t.get("linkage") {
            let field = t.field("linkage");
            if mandate.len() < 2 {
                let message = "a package links two issues or more: give the body a mandate of at least two issues";
                ctx.error(&node.place, &field, message);
            } else if !issue_rules.is_empty() {
                let message =
                    "a package is voted on under one rule: remove the body's `rules` or `linkage`";
                ctx.error(&node.place, &field, message);
            }
        }
        bodies.push(BodySpec {
            exit,
            disengage_after,
            linkage,
            coordinate: t.flag(ctx, "coordinate", false),
            dialogue: t.flag(ctx, "dialogue", false),
            issue_rules,
            elected,
            binds,
            binding: t.flag(ctx, "binding", true),
            name,
            members,
            rule,
            delay: t.int(ctx, "delay", TICK_RANGE, 5),
            mandate,
            facilitates: t.flag(ctx, "facilitates", false),
        });
    }
    bodies
}

/// The index of `item` within the list `node` (for field paths).
fn position_in(node: &Node, item: &Node) -> usize {
    match &node.kind {
        Kind::Array(items) => items
            .iter()
            .position(|i| std::ptr::eq(i, item))
            .unwrap_or(0),
        _ => 0,
    }
}

/// `members`: `"all"`, a list of states, `{ region = ... }`, `{ label = ... }` or
/// `{ file = ..., label = ... }` (the states a memberships file lists under the label:
/// the WTO's members from `data/wto2016.csv`, not a label of theirs, so affinity and
/// coalition types do not change); sorted, without non-state actors, never empty.
pub(super) fn read_members(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    base_dir: &Path,
    index: &StateIndex,
    labels: &Labels,
) -> Vec<StateId> {
    let states = index.states;
    let select = |keep: &dyn Fn(&StateSpec) -> bool| -> Vec<StateId> {
        (0..states.len())
            .filter(|&i| !states[i].non_state && keep(&states[i]))
            .map(StateId::from_index)
            .collect()
    };
    let expected = "\"all\", a list of states, { region = \"...\" }, { label = \"...\" } or { file = \"...\", label = \"...\" }";
    let (members, why_empty) = match &node.kind {
        Kind::Str(s) if s == "all" => (select(&|_| true), String::new()),
        Kind::Array(_) => {
            let mut members = Vec::new();
            for (id, item) in index.resolve_list(ctx, node, field) {
                if states[id.index()].non_state {
                    let item_field = format!("{field}[{}]", position_in(node, item));
                    let message = format!(
                        "{:?} is a non-state actor and cannot be a body member",
                        states[id.index()].name
                    );
                    ctx.error(&item.place, &item_field, message);
                } else {
                    members.push(id);
                }
            }
            let nothing_given = matches!(&node.kind, Kind::Array(items) if items.is_empty());
            if !nothing_given {
                members.sort();
                return members;
            }
            (members, String::new())
        }
        Kind::Table(_) => {
            let Some(t) = ctx.table(node, field, Some("region label file")) else {
                return Vec::new();
            };
            if let Some(file) = t.get("file") {
                return members_from_file(ctx, &t, file, field, base_dir, index);
            }
            match (t.opt_str(ctx, "region"), t.opt_str(ctx, "label")) {
                (Some(_), Some(_)) => {
                    ctx.error(&node.place, field, "give region or label, not both");
                    return Vec::new();
                }
                (Some(region), None) => (
                    select(&|s| s.region == region),
                    format!(" (region {region:?} matches no state)"),
                ),
                (None, Some(label)) => {
                    let bit = labels.0.iter().position(|l| *l == label).map(|i| 1u64 << i);
                    let has = |s: &StateSpec| bit.is_some_and(|b| s.labels & b != 0);
                    (select(&has), format!(" (label {label:?} matches no state)"))
                }
                (None, None) => {
                    if t.get("region").is_none() && t.get("label").is_none() {
                        ctx.type_error(node, field, expected);
                    }
                    return Vec::new();
                }
            }
        }
        _ => {
            ctx.type_error(node, field, expected);
            return Vec::new();
        }
    };
    if members.is_empty() {
        let message = format!("expected at least one state, found none{why_empty}");
        ctx.error(&node.place, field, message);
    }
    members
}

/// `{ file = ..., label = ... }`: the states whose ISO3 code the memberships file
/// `file` lists under `label` (codes matching no state are ignored, as in
/// `[data] memberships`); an unknown label is an error naming the file's labels.
fn members_from_file(
    ctx: &mut Ctx,
    t: &Table,
    file: &Node,
    field: &str,
    base_dir: &Path,
    index: &StateIndex,
) -> Vec<StateId> {
    if t.get("region").is_some() {
        ctx.error(t.place(), field, "give region or file, not both");
        return Vec::new();
    }
    let Some(label) = t.required_str(ctx, "label") else {
        return Vec::new();
    };
    let Some(groups) = memberships::read(ctx, file, &t.field("file"), base_dir) else {
        return Vec::new();
    };
    let Some(k) = groups.labels.iter().position(|l| *l == label) else {
        let place = t
            .get("label")
            .map_or(t.place().clone(), |n| n.place.clone());
        let name = match &file.kind {
            Kind::Str(name) => name.as_str(),
            _ => "the file",
        };
        let message = format!(
            "no label {label:?} in {name:?}; it has {}",
            groups.labels.join(", ")
        );
        ctx.error(&place, &t.field("label"), message);
        return Vec::new();
    };
    let members: Vec<StateId> = (index.states.iter().enumerate())
        .filter(|(_, s)| {
            !s.non_state && groups.by_iso3.get(&s.iso3).is_some_and(|g| g.contains(&k))
        })
        .map(|(i, _)| StateId::from_index(i))
        .collect();
    if members.is_empty() {
        let message = format!(
            "expected at least one state, found none (the file lists no state of the scenario under {label:?})"
        );
        ctx.error(t.place(), field, message);
    }
    members
}

/// `rules = { issue = "unanimity" | "consensus" | "qmv", ... }`: issues of the mandate
/// decided by another rule than the body's. A `consensus` override lets members with
/// salience below 0.2 abstain; a `qmv` override takes the body's own thresholds if it
/// decides by `qmv`, else 55% of the members and 65% of the population.
/// Fields of an issue's own rule given as a table (`rules = { k = { rule = ..., ... } }`):
/// the body's rule fields except `veto`, as an override takes the body's veto holders.
const ISSUE_RULE_FIELDS: &str = "rule abstain_below majority affirmative qmv_count qmv_weight weight qmv_min_members blocking_minority";

/// `rules = { issue = rule }`: issues of the mandate decided by another rule, named
/// (with that rule's defaults; `"qmv"` takes the body's own QMV if it has one) or given
/// as a table with its fields (`{ rule = "veto", majority = 0.667 }`: the General
/// Assembly's two-thirds on important questions). A `veto` override keeps the body's
/// veto holders.
fn read_issue_rules(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    issues: &[&str],
    mandate: &[IssueId],
    own: &Rule,
    capabilities: &[String],
) -> Vec<(IssueId, Rule)> {
    let Kind::Table(entries) = &node.kind else {
        ctx.type_error(node, field, "a table of issue = rule");
        return Vec::new();
    };
    let choices = [
        ("unanimity", RuleKind::Unanimity),
        ("consensus", RuleKind::Consensus),
        ("qmv", RuleKind::Qmv),
    ];
    let mut out = Vec::new();
    for e in entries {
        let f = format!("{field}.{}", e.key);
        let Some(i) = issues.iter().position(|i| *i == e.key) else {
            let message = unknown("issue", &e.key, issues.iter().copied());
            ctx.error(&e.key_place, &f, message);
            continue;
        };
        let issue = IssueId::from_index(i);
        if !mandate.contains(&issue) {
            let message = format!("issue {:?} is not in the body's mandate", e.key);
            ctx.error(&e.key_place, &f, message);
            continue;
        }
        if matches!(e.value.kind, Kind::Table(_)) {
            let Some(t) = ctx.table(&e.value, &f, Some(ISSUE_RULE_FIELDS)) else {
                continue;
            };
            let Some(kind) = t
                .required(ctx, "rule")
                .and_then(|node| ctx.choice(node, &t.field("rule"), BODY_RULES))
            else {
                continue;
            };
            let mut rule = read_rule(ctx, &t, Some(kind), capabilities);
            if let Rule::Veto { holders, .. } = &mut rule
                && let Rule::Veto { holders: body, .. } = own
            {
                holders.clone_from(body);
            }
            out.push((issue, rule));
            continue;
        }
        let Some(kind) = ctx.choice(&e.value, &f, &choices) else {
            continue;
        };
        let rule = match kind {
            RuleKind::Consensus => Rule::Consensus { abstain_below: 0.2 },
            RuleKind::Qmv => match own {
                Rule::Qmv { .. } => own.clone(),
                _ => Rule::Qmv {
                    count: Some(0.55),
                    weight: Some(0.65),
                    weight_by: Weight::Population,
                    min_members: None,
                    blocking_minority: None,
                },
            },
            _ => Rule::Unanimity,
        };
        out.push((issue, rule));
    }
    out
}

fn read_mandate(ctx: &mut Ctx, node: &Node, field: &str, issues: &[&str]) -> Vec<IssueId> {
    let mut mandate = Vec::new();
    let names = ctx.strings(node, field);
    if matches!(&node.kind, Kind::Array(items) if items.is_empty()) {
        ctx.error(
            &node.place,
            field,
            "expected at least one issue, found none",
        );
    }
    for (name, item) in names {
        let item_field = format!("{field}[{}]", position_in(node, item));
        match issues.iter().position(|i| *i == name) {
            None => {
                let message = unknown("issue", &name, issues.iter().copied());
                ctx.error(&item.place, &item_field, message);
            }
            Some(i) if mandate.contains(&IssueId::from_index(i)) => {
                ctx.error(
                    &item.place,
                    &item_field,
                    format!("duplicate issue {name:?}"),
                );
            }
            Some(i) => mandate.push(IssueId::from_index(i)),
        }
    }
    mandate
}
