//! The run-wide tables: `[decision]` (acceptance), `[payoffs]`, `[behaviour]` (the
//! membership rule, whose own tables `rules` reads) and `[output]`.

use super::TICK_RANGE;
use crate::scenario::reader::{Ctx, Table, UNIT, above, closed, unknown};
use crate::scenario::rules;
use crate::scenario::{
    BehaviourRule, BehaviourSpec, Compared, DecisionSpec, IssueId, LegitimacyBasis, LegitimacySpec,
    OutputSpec, PayoffSpec, StateSpec, TickOutput,
};

const DECISION_FIELDS: &str = "temperature challenger_reluctance rivalry elitism tolerance";
const LEGITIMACY_FIELDS: &str = "basis compliance endorsement";
const PAYOFF_FIELDS: &str =
    "overhead affinity_weight reputation compliance_temperature trust_rate initial_trust dissent";
const BEHAVIOUR_FIELDS: &str = "rule temperature review_rate join_candidates min_salience reciprocity landscape stability adaptive shapley club";
const OUTPUT_FIELDS: &str = "ticks every compare compare_issue";

pub(super) fn read_decision(ctx: &mut Ctx, doc: &Table) -> DecisionSpec {
    let t = doc.table(ctx, "decision", Some(DECISION_FIELDS));
    if let Some(node) = t.get("tolerance") {
        ctx.error(
            &node.place,
            &t.field("tolerance"),
            "no longer exists: a member now accepts a proposal by comparing it with the \
             issue's status quo, not by its distance from the member's own position \
             (docs/model.md, \"Acceptance\"). Remove it; set `status_quo` on the issue \
             (default 0, \"do nothing\") and `decision.temperature` for the noise",
        );
    }
    DecisionSpec {
        temperature: t.num(ctx, "temperature", above(0.0, 10.0), 0.08),
        challenger_reluctance: t.num(ctx, "challenger_reluctance", UNIT, 0.3),
        rivalry: t.num(ctx, "rivalry", UNIT, 0.3),
        elitism: t.num(ctx, "elitism", UNIT, 0.0),
    }
}

pub(super) fn read_legitimacy(ctx: &mut Ctx, doc: &Table) -> LegitimacySpec {
    let t = doc.table(ctx, "legitimacy", Some(LEGITIMACY_FIELDS));
    let bases = [
        ("states", LegitimacyBasis::States),
        ("population", LegitimacyBasis::Population),
    ];
    LegitimacySpec {
        basis: t.pick(ctx, "basis", &bases, LegitimacyBasis::States),
        compliance: t.num(ctx, "compliance", UNIT, 0.0),
        endorsement: t.num(ctx, "endorsement", UNIT, 0.0),
    }
}

pub(super) fn read_payoffs(ctx: &mut Ctx, doc: &Table) -> PayoffSpec {
    let t = doc.table(ctx, "payoffs", Some(PAYOFF_FIELDS));
    let weight = closed(0.0, 10.0);
    PayoffSpec {
        overhead: t.num(ctx, "overhead", weight, 0.003),
        affinity_weight: t.num(ctx, "affinity_weight", weight, 0.01),
        reputation: t.num(ctx, "reputation", weight, 0.02),
        compliance_temperature: t.num(ctx, "compliance_temperature", above(0.0, 10.0), 0.01),
        trust_rate: t.num(ctx, "trust_rate", UNIT, 0.1),
        initial_trust: t.num(ctx, "initial_trust", UNIT, 0.7),
        dissent: t.num(ctx, "dissent", weight, 0.0),
    }
}

pub(super) fn read_behaviour(ctx: &mut Ctx, doc: &Table, env: &rules::RuleEnv) -> BehaviourSpec {
    let t = doc.table(ctx, "behaviour", Some(BEHAVIOUR_FIELDS));
    let rules = BehaviourRule::ALL.map(|r| (r.as_str(), r));
    let rule = t.pick(ctx, "rule", &rules, BehaviourRule::Utility);
    let env = rules::RuleEnv { rule, ..*env };
    if env.coalitions.authorised_by.is_some() && rule != BehaviourRule::Utility {
        let place = doc
            .get("coalitions")
            .and_then(|n| n.get("authorised_by"))
            .map_or_else(|| env.place.clone(), |n| n.place.clone());
        let message = format!(
            "authorised coalitions (enhanced cooperation) are founded by the \"utility\" behaviour rule only; this scenario uses {:?}",
            rule.as_str()
        );
        ctx.error(&place, "coalitions.authorised_by", message);
    }
    if env.coalitions.within.is_some() && rule != BehaviourRule::Utility {
        let place = doc
            .get("coalitions")
            .and_then(|n| n.get("within"))
            .map_or_else(|| env.place.clone(), |n| n.place.clone());
        let message = format!(
            "coalitions inside a body (plurilaterals) are founded by the \"utility\" behaviour rule only; this scenario uses {:?}",
            rule.as_str()
        );
        ctx.error(&place, "coalitions.within", message);
    }
    if env.coalitions.founders.is_some() && rule != BehaviourRule::Utility {
        let place = doc
            .get("coalitions")
            .and_then(|n| n.get("founders"))
            .map_or_else(|| env.place.clone(), |n| n.place.clone());
        let message = format!(
            "restricting who founds coalitions applies to the \"utility\" behaviour rule only; this scenario uses {:?}",
            rule.as_str()
        );
        ctx.error(&place, "coalitions.founders", message);
    }
    if env.coalitions.vision.is_some() && rule != BehaviourRule::Utility {
        let place = doc
            .get("coalitions")
            .and_then(|n| n.get("vision"))
            .map_or_else(|| env.place.clone(), |n| n.place.clone());
        let message = format!(
            "a shared vision (founders invite only partners close to their position) applies to the \"utility\" behaviour rule's founders only; this scenario uses {:?}",
            rule.as_str()
        );
        ctx.error(&place, "coalitions.vision", message);
    }
    BehaviourSpec {
        rule,
        landscape: {
            let sub = t.table(ctx, "landscape", Some(rules::landscape::FIELDS));
            rules::landscape::read(ctx, &sub, &env)
        },
        stability: {
            let sub = t.table(ctx, "stability", Some(rules::stability::FIELDS));
            rules::stability::read(ctx, &sub, &env)
        },
        adaptive: {
            let sub = t.table(ctx, "adaptive", Some(rules::adaptive::FIELDS));
            rules::adaptive::read(ctx, &sub, &env)
        },
        shapley: {
            let sub = t.table(ctx, "shapley", Some(rules::shapley::FIELDS));
            rules::shapley::read(ctx, &sub, &env)
        },
        club: {
            let sub = t.table(ctx, "club", Some(rules::club::FIELDS));
            rules::club::read(ctx, &sub, &env)
        },
        temperature: t.num(ctx, "temperature", closed(0.0, 10.0), 0.02),
        review_rate: t.num(ctx, "review_rate", UNIT, 0.1),
        join_candidates: t.int(ctx, "join_candidates", 0..=1000, 3),
        min_salience: t.num(ctx, "min_salience", UNIT, 0.3),
        reciprocity: t.num(ctx, "reciprocity", UNIT, 0.5),
    }
}

/// `[output]`; `compare` names labels of the scenario (`labels`, first-seen order),
/// `compare_issue` an issue.
pub(super) fn read_output(
    ctx: &mut Ctx,
    doc: &Table,
    labels: &[String],
    states: &[StateSpec],
    issues: &[&str],
) -> OutputSpec {
    let t = doc.table(ctx, "output", Some(OUTPUT_FIELDS));
    let shapes = [
        ("mean", TickOutput::Mean),
        ("all", TickOutput::All),
        ("none", TickOutput::None),
    ];
    let mut compare: Vec<Compared> = Vec::new();
    if let Some(node) = t.get("compare") {
        let field = t.field("compare");
        for (label, item) in ctx.strings(node, &field) {
            let Some(bit) = labels.iter().position(|l| *l == label) else {
                let known = labels.iter().map(String::as_str);
                let message = format!(
                    "{} (a grouping to compare with is a label: from [data.labels], the memberships files or a state's labels)",
                    unknown("label", &label, known)
                );
                ctx.error(&item.place, &field, message);
                continue;
            };
            if compare.iter().any(|c| c.label == label) {
                ctx.error(&item.place, &field, format!("duplicate label {label:?}"));
                continue;
            }
            let mask = 1u64 << bit;
            let size = states.iter().filter(|s| s.labels & mask != 0).count();
            compare.push(Compared { label, mask, size });
        }
    }
    let compare_issue = t.get("compare_issue").and_then(|node| {
        let field = t.field("compare_issue");
        let name = ctx.string(node, &field)?;
        let found = issues.iter().position(|i| *i == name);
        if found.is_none() {
            ctx.error(
                &node.place,
                &field,
                unknown("issue", &name, issues.iter().copied()),
            );
        }
        found.map(IssueId::from_index)
    });
    OutputSpec {
        ticks: t.pick(ctx, "ticks", &shapes, TickOutput::Mean),
        every: t.int(ctx, "every", TICK_RANGE, 1),
        compare,
        compare_issue,
    }
}
