//! EDGE IN: the parameters of the behaviour rules other than `utility`, read from
//! `[behaviour.landscape]`, `[behaviour.stability]`, `[behaviour.adaptive]`,
//! `[behaviour.shapley]` and `[behaviour.club]`. Each sub-table is read (and its fields checked) whatever the
//! rule, so a typo is caught before a sweep switches rules; checks that need the rule
//! (e.g. an issue must be named) apply only when it is the scenario's `rule`.

pub mod adaptive;
pub mod club;
pub mod landscape;
pub mod shapley;
pub mod stability;

use std::path::Path;

pub use adaptive::AdaptiveSpec;
pub use club::ClubSpec;
pub use landscape::LandscapeSpec;
pub use shapley::ShapleySpec;
pub use stability::StabilitySpec;

use super::parse::Place;
use super::reader::{Ctx, Table, unknown};
use super::schema::StateIndex;
use super::{BehaviourRule, BodySpec, CoalitionSpec, IssueSpec, StateSpec};
use crate::model::ids::IssueId;

/// The issue named by `t.issue`, if given; an unknown name is reported (with the
/// closest known one) and reads as `None`, like an absent one.
pub(super) fn issue(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> Option<IssueId> {
    let node = t.get("issue")?;
    let name = ctx.string(node, &t.field("issue"))?;
    let found = env.issues.iter().position(|k| k.name == name);
    if found.is_none() {
        let known = env.issues.iter().map(|k| k.name.as_str());
        ctx.error(
            &node.place,
            &t.field("issue"),
            unknown("issue", &name, known),
        );
    }
    found.map(IssueId::from_index)
}

/// What a rule's reader may consult: the scenario read so far.
// NOTE: each rule reads only the parts it needs.
#[allow(dead_code)]
#[derive(Clone, Copy)]
pub(super) struct RuleEnv<'a> {
    /// The scenario's behaviour rule.
    pub rule: BehaviourRule,
    /// States, indexed by `StateId`.
    pub states: &'a [StateSpec],
    /// Issues, indexed by `IssueId`.
    pub issues: &'a [IssueSpec],
    /// Bodies, indexed by `BodyId`.
    pub bodies: &'a [BodySpec],
    /// Coalition settings.
    pub coalitions: &'a CoalitionSpec,
    /// Capability dimension names.
    pub capabilities: &'a [String],
    /// Identity labels (bit `b` of a state's `labels` is `labels[b]`).
    pub labels: &'a [String],
    /// Resolves state names and ISO3 codes.
    pub index: &'a StateIndex<'a>,
    /// Directory that data files are relative to.
    pub base_dir: &'a Path,
    /// Where `[behaviour] rule` was written (else `[behaviour]`, else the document).
    pub place: &'a Place,
    /// Where `[coalitions] max_size` was written (else as `place`).
    pub max_size_place: &'a Place,
}
