//! `[coalitions]`: how coalitions are founded, decide and dissolve.

use super::TICK_RANGE;
use super::bodies::{RuleKind, read_rule};
use crate::scenario::reader::{Ctx, Table, UNIT, above, closed};
use crate::scenario::{BodyId, BodySpec, CoalitionSpec, EndorsementMode, Param};

const COALITION_FIELDS: &str = "enabled max_size min_size negotiation_cost depth rule delay institutionalisation institution_cost hazard_issue hazard_bloc institution_protection goal deadline focus vision founders target_coverage founding_cost leadership_cost bloc_threshold endorsement_rate non_facilitating_factor endorsement authorised_by within abstain_below qmv_count qmv_weight weight";

pub(super) fn read_coalitions(
    ctx: &mut Ctx,
    doc: &Table,
    capabilities: &[String],
    n_states: usize,
    bodies: &[BodySpec],
    founders: Option<Vec<crate::scenario::StateId>>,
) -> CoalitionSpec {
    let t = doc.table(ctx, "coalitions", Some(COALITION_FIELDS));
    let body_names: Vec<(&str, BodyId)> = (bodies.iter().enumerate())
        .map(|(b, spec)| (spec.name.as_str(), BodyId::from_index(b)))
        .collect();
    let authorised_by = read_body(ctx, &t, "authorised_by", &body_names);
    let within = read_body(ctx, &t, "within", &body_names);
    if let (Some(a), Some(w), Some(node)) = (authorised_by, within, t.get("within"))
        && a != w
    {
        let message = format!(
            "names {:?} but authorised_by names {:?}; coalitions form inside one body: \
             drop `within` (authorised_by already keeps them inside its body) or name the same body",
            bodies[w.index()].name,
            bodies[a.index()].name
        );
        ctx.error(&node.place, &t.field("within"), message);
    }
    let rules = [
        ("unanimity", RuleKind::Unanimity),
        ("consensus", RuleKind::Consensus),
        ("qmv", RuleKind::Qmv),
    ];
    let kind = match t.get("rule") {
        None => Some(RuleKind::Consensus),
        Some(node) => ctx.choice(node, &t.field("rule"), &rules),
    };
    let max_size: u32 = t.int(ctx, "max_size", 2..=100_000, 20);
    let min_size: u32 = t.int(ctx, "min_size", 2..=100_000, 2);
    if min_size > max_size
        && let Some(node) = t.get("min_size")
    {
        let message = format!("expected at most max_size ({max_size}), found {min_size}");
        ctx.error(&node.place, &t.field("min_size"), message);
    }
    if t.get("max_size").is_some() && max_size as usize > n_states && n_states > 0 {
        ctx.warn(format!(
            "coalitions.max_size = {max_size} is larger than the number of states ({n_states})"
        ));
    }
    CoalitionSpec {
        authorised_by,
        within,
        enabled: t.flag(ctx, "enabled", true),
        max_size,
        min_size,
        negotiation_cost: t.num(ctx, "negotiation_cost", closed(0.0, 10.0), 0.0),
        depth: t.opt_num(ctx, "depth", UNIT),
        rule: read_rule(ctx, &t, kind, capabilities),
        delay: t.int(ctx, "delay", TICK_RANGE, 1),
        institutionalisation: t.param(ctx, "institutionalisation", UNIT, &Param::Fixed(0.3)),
        institution_cost: t.num(ctx, "institution_cost", closed(0.0, 10.0), 0.002),
        hazard_issue: t.num(ctx, "hazard_issue", UNIT, 0.02),
        hazard_bloc: t.num(ctx, "hazard_bloc", UNIT, 0.008),
        institution_protection: t.num(ctx, "institution_protection", UNIT, 0.7),
        goal: t.opt_num(ctx, "goal", above(0.0, 1000.0)),
        deadline: t.opt_int(ctx, "deadline", TICK_RANGE),
        focus: t.num(ctx, "focus", closed(0.0, 10.0), 0.0),
        vision: t.opt_num(ctx, "vision", closed(0.0, 10.0)),
        founders,
        target_coverage: t.num(ctx, "target_coverage", above(0.0, 1.0), 0.6),
        founding_cost: t.num(ctx, "founding_cost", closed(0.0, 10.0), 0.01),
        leadership_cost: t.num(
            ctx,
            "leadership_cost",
            closed(0.0, 10.0),
            crate::model::scenario::LEADERSHIP_COST,
        ),
        bloc_threshold: t.num(ctx, "bloc_threshold", UNIT, 0.75),
        endorsement_rate: t.num(ctx, "endorsement_rate", UNIT, 0.1),
        non_facilitating_factor: t.num(ctx, "non_facilitating_factor", UNIT, 0.2),
        endorsement: t.pick(
            ctx,
            "endorsement",
            &[
                ("automatic", EndorsementMode::Automatic),
                ("vote", EndorsementMode::Vote),
            ],
            EndorsementMode::Vote,
        ),
    }
}

/// `key` (`authorised_by` or `within`): the name of a declared body.
fn read_body(ctx: &mut Ctx, t: &Table, key: &str, body_names: &[(&str, BodyId)]) -> Option<BodyId> {
    let node = t.get(key)?;
    if body_names.is_empty() {
        let message = "names a body, but the scenario declares no [[bodies]]";
        ctx.error(&node.place, &t.field(key), message);
        return None;
    }
    ctx.choice(node, &t.field(key), body_names)
}
