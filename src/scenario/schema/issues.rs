//! `world.capabilities`, `[[issues]]`, and `[trade]` (the flows an issue's tariff
//! needs).

use std::path::Path;

use super::{FirstSeen, TICK_RANGE, check_column_name, check_count, read_name};
use crate::scenario::data;
use crate::scenario::parse::{Kind, Node, Place};
use crate::scenario::reader::{Ctx, Table, UNIT, above, closed, half_open, unknown};
use crate::scenario::{CapId, Domain, IssueSpec, StateSpec, ThreatSpec};

const ISSUE_FIELDS: &str = "name capability domain good excludability efficiency returns cost target decay status_quo shock_rate shock_boost shock_duration tariff threat";
const THREAT_FIELDS: &str = "assertiveness ramp distant";

pub(super) fn read_capabilities(ctx: &mut Ctx, world: &Table) -> Vec<String> {
    let Some(node) = world.required(ctx, "capabilities") else {
        return Vec::new();
    };
    let field = "world.capabilities";
    let mut seen = FirstSeen::default();
    let mut capabilities = Vec::new();
    for (i, (name, item)) in ctx.strings(node, field).into_iter().enumerate() {
        check_column_name(
            ctx,
            &item.place,
            &format!("{field}[{i}]"),
            "states.csv's capability columns",
            &name,
        );
        if seen.check(&name, String::new).is_some() {
            let message = format!("duplicate capability {name:?}");
            ctx.error(&item.place, &format!("{field}[{i}]"), message);
        } else {
            capabilities.push(name);
        }
    }
    if capabilities.is_empty() && matches!(&node.kind, Kind::Array(items) if items.is_empty()) {
        ctx.error(
            &node.place,
            field,
            "expected at least one capability, found none",
        );
    }
    check_count(
        ctx,
        &node.place,
        field,
        capabilities.len(),
        u16::MAX as usize,
    );
    capabilities
}

/// The id of a capability named by `node`.
fn capability_id(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    capabilities: &[String],
) -> Option<CapId> {
    let name = ctx.string(node, field)?;
    let id = capabilities.iter().position(|c| *c == name);
    if id.is_none() {
        let message = unknown("capability", &name, capabilities.iter().map(String::as_str));
        ctx.error(&node.place, field, message);
    }
    id.map(CapId::from_index)
}

pub(super) fn read_issues(ctx: &mut Ctx, doc: &Table, capabilities: &[String]) -> Vec<IssueSpec> {
    let Some(node) = doc.get("issues") else {
        ctx.error(
            doc.place(),
            "issues",
            "expected at least one issue, found none",
        );
        return Vec::new();
    };
    let items = ctx
        .list(node, "issues", "a list of [[issues]] tables")
        .unwrap_or_default();
    if items.is_empty() && matches!(node.kind, Kind::Array(_)) {
        ctx.error(
            &node.place,
            "issues",
            "expected at least one issue, found none",
        );
    }
    check_count(ctx, &node.place, "issues", items.len(), u16::MAX as usize);
    let mut seen = FirstSeen::default();
    let mut issues = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = ctx.table(item, &format!("issues[{i}]"), Some(ISSUE_FIELDS)) else {
            continue;
        };
        let name = read_name(ctx, &t, "issue", "progress_<issue>", &mut seen);
        let capability = t
            .required(ctx, "capability")
            .and_then(|n| capability_id(ctx, n, &t.field("capability"), capabilities))
            .unwrap_or(CapId(0));
        // The domain given, else inferred from the names (docs/scenario.md).
        let capability_name = capabilities
            .get(capability.index())
            .map_or("", String::as_str);
        let inferred = Domain::infer(&name, capability_name);
        let domain = t.pick(ctx, "domain", &Domain::NAMES, inferred);
        let good = t.pick(ctx, "good", &[("public", 0.0), ("club", 1.0)], 0.0);
        let mut excludability = good;
        if let Some(node) = t.get("excludability") {
            if t.get("good").is_some() {
                let message = "give good or excludability, not both";
                ctx.error(&node.place, &t.field("excludability"), message);
            }
            excludability = ctx
                .number(node, &t.field("excludability"), UNIT)
                .unwrap_or(good);
        }
        issues.push(IssueSpec {
            name,
            capability,
            domain,
            excludability,
            efficiency: t.num(ctx, "efficiency", above(0.0, 10.0), 0.05),
            returns: t.num(ctx, "returns", above(0.0, 5.0), 1.0),
            cost: t.num(ctx, "cost", closed(0.0, 100.0), 0.05),
            target: t.num(ctx, "target", above(0.0, 1000.0), 1.0),
            decay: t.num(ctx, "decay", half_open(0.0, 1.0), 0.0),
            status_quo: t.num(ctx, "status_quo", half_open(0.0, 1.0), 0.0),
            shock_rate: t.num(ctx, "shock_rate", UNIT, 0.0),
            shock_boost: t.num(ctx, "shock_boost", UNIT, 0.3),
            shock_duration: t.int(ctx, "shock_duration", TICK_RANGE, 10),
            tariff: t.num(ctx, "tariff", closed(0.0, 10.0), 0.0),
            threat: t.get("threat").map(|_| {
                let threat = t.table(ctx, "threat", Some(THREAT_FIELDS));
                ThreatSpec {
                    assertiveness: threat.num(ctx, "assertiveness", UNIT, 0.3),
                    ramp: threat.int(ctx, "ramp", 0..=1_000_000, 0),
                    distant: threat.num(ctx, "distant", UNIT, 0.5),
                }
            }),
        });
    }
    issues
}

/// `[trade]` (bilateral flows for penalty tariffs, as shares, and their sum in the
/// file's units). An issue with a `tariff` needs it.
pub(super) fn read_trade(
    ctx: &mut Ctx,
    doc: &Table,
    base_dir: &Path,
    states: &[StateSpec],
    issues: &[IssueSpec],
) -> (Vec<f64>, f64) {
    let trade = doc.get("trade").and_then(|node| {
        let names: Vec<&str> = states.iter().map(|s| s.name.as_str()).collect();
        data::trade::load(ctx, node, base_dir, &names)
    });
    if trade.is_none() && doc.get("trade").is_none() {
        for (k, issue) in issues.iter().enumerate() {
            if issue.tariff > 0.0 {
                let place = issue_place(doc, k, "tariff").unwrap_or_else(|| doc.place().clone());
                let message = "a tariff needs bilateral trade flows: add a [trade] table";
                ctx.error(&place, &format!("issues[{k}].tariff"), message);
            }
        }
    }
    trade.unwrap_or((Vec::new(), 0.0))
}

/// Where `issues[k].<key>` was written, if it was.
fn issue_place(doc: &Table, k: usize, key: &str) -> Option<Place> {
    let Kind::Array(items) = &doc.get("issues")?.kind else {
        return None;
    };
    let Kind::Table(entries) = &items.get(k)?.kind else {
        return None;
    };
    entries
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.value.place.clone())
}
