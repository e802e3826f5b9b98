//! `[defaults]` and `[groups.<label>]`: what a state gets unless it says otherwise,
//! and the per-issue `interests` tables all three share.

use super::super::reader::{Ctx, Interval, Table, UNIT, closed, unknown};
use crate::scenario::parse::Place;
use crate::scenario::{InterestSpec, Param};

const DEFAULTS_FIELDS: &str = "bandwidth salience position interests";
const INTEREST_FIELDS: &str = "salience position";
const GROUP_FIELDS: &str = "bandwidth salience position interests challenger";

/// Bandwidth: 0 ..= 1000 coalition memberships.
pub(super) const BANDWIDTH: Interval = closed(0.0, 1000.0);

/// What every state gets unless it says otherwise.
#[derive(Clone)]
pub(super) struct Defaults {
    pub(super) bandwidth: Param,
    /// Per issue.
    pub(super) interests: Vec<InterestSpec>,
    /// Set by a group (`[groups.<label>] challenger = true`).
    pub(super) challenger: bool,
}

/// `[groups.<label>]`: values for every state carrying the label, over `[defaults]`
/// and under a state's own fields; later groups win where a state has several.
pub(super) struct Group {
    pub(super) label: String,
    pub(super) place: Place,
    pub(super) field: String,
    pub(super) bandwidth: Option<Param>,
    pub(super) challenger: Option<bool>,
    /// Per issue: salience, position.
    pub(super) interests: Vec<(Option<Param>, Option<Param>)>,
}

pub(super) fn read_groups(ctx: &mut Ctx, doc: &Table, issues: &[&str]) -> Vec<Group> {
    let groups = doc.table(ctx, "groups", None);
    let mut out = Vec::new();
    for entry in groups.entries() {
        let field = groups.field(&entry.key);
        let Some(t) = ctx.table(&entry.value, &field, Some(GROUP_FIELDS)) else {
            continue;
        };
        let opt_param = |ctx: &mut Ctx, t: &Table, key: &str, range: Interval| {
            t.get(key)
                .is_some()
                .then(|| t.param(ctx, key, range, &Param::Fixed(0.0)))
        };
        let salience = opt_param(ctx, &t, "salience", UNIT);
        let position = opt_param(ctx, &t, "position", UNIT);
        let interests_table = t.table(ctx, "interests", None);
        for e in interests_table.entries() {
            if !issues.contains(&e.key.as_str()) {
                let message = unknown("issue", &e.key, issues.iter().copied());
                ctx.error(&e.key_place, &interests_table.field(&e.key), message);
            }
        }
        let interests = issues
            .iter()
            .map(|issue| {
                let it = interests_table.table(ctx, issue, Some(INTEREST_FIELDS));
                (
                    opt_param(ctx, &it, "salience", UNIT).or_else(|| salience.clone()),
                    opt_param(ctx, &it, "position", UNIT).or_else(|| position.clone()),
                )
            })
            .collect();
        out.push(Group {
            label: entry.key.clone(),
            place: entry.key_place.clone(),
            field,
            bandwidth: opt_param(ctx, &t, "bandwidth", BANDWIDTH),
            challenger: t
                .get("challenger")
                .and_then(|n| ctx.boolean(n, &t.field("challenger"))),
            interests,
        });
    }
    out
}

/// `defaults` overlaid by the groups (in order) whose label `has` says the state carries.
pub(super) fn with_groups(
    defaults: &Defaults,
    groups: &[Group],
    has: impl Fn(&str) -> bool,
) -> Defaults {
    let mut out = defaults.clone();
    for g in groups.iter().filter(|g| has(&g.label)) {
        if let Some(b) = &g.bandwidth {
            out.bandwidth = b.clone();
        }
        if let Some(c) = g.challenger {
            out.challenger = c;
        }
        for (spec, (salience, position)) in out.interests.iter_mut().zip(&g.interests) {
            if let Some(v) = salience {
                spec.salience = v.clone();
            }
            if let Some(v) = position {
                spec.position = v.clone();
            }
        }
    }
    out
}

/// `interests.<issue> = { salience, position }` for every issue, falling back to
/// `fallback` per field. Unknown issues are errors at their key.
pub(super) fn read_interests(
    ctx: &mut Ctx,
    interests: &Table,
    issues: &[&str],
    fallback: &[InterestSpec],
) -> Vec<InterestSpec> {
    for entry in interests.entries() {
        if !issues.contains(&entry.key.as_str()) {
            let message = unknown("issue", &entry.key, issues.iter().copied());
            ctx.error(&entry.key_place, &interests.field(&entry.key), message);
        }
    }
    fallback
        .iter()
        .zip(issues)
        .map(|(base, issue)| {
            let t = interests.table(ctx, issue, Some(INTEREST_FIELDS));
            InterestSpec {
                salience: t.param(ctx, "salience", UNIT, &base.salience),
                position: t.param(ctx, "position", UNIT, &base.position),
            }
        })
        .collect()
}

pub(super) fn read_defaults(ctx: &mut Ctx, doc: &Table, issues: &[&str]) -> Defaults {
    let t = doc.table(ctx, "defaults", Some(DEFAULTS_FIELDS));
    let bandwidth = t.param(ctx, "bandwidth", BANDWIDTH, &Param::Fixed(3.0));
    let base = InterestSpec {
        salience: t.param(ctx, "salience", UNIT, &Param::Fixed(0.5)),
        position: t.param(ctx, "position", UNIT, &Param::Fixed(0.5)),
    };
    let interests_table = t.table(ctx, "interests", None);
    let fallback = vec![base; issues.len()];
    let interests = read_interests(ctx, &interests_table, issues, &fallback);
    Defaults {
        bandwidth,
        interests,
        challenger: false,
    }
}
