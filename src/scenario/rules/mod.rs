//! EDGE IN: the parameters of the behaviour rules other than `utility`, read from
//! `[behaviour.landscape]`, `[behaviour.stability]`, `[behaviour.adaptive]` and
//! `[behaviour.shapley]`. Each sub-table is read (and its fields checked) whatever the
//! rule, so a typo is caught before a sweep switches rules; checks that need the rule
//! (e.g. an issue must be named) apply only when it is the scenario's `rule`.

pub mod adaptive;
pub mod landscape;
pub mod shapley;
pub mod stability;

use std::path::Path;

pub use adaptive::AdaptiveSpec;
pub use landscape::LandscapeSpec;
pub use shapley::ShapleySpec;
pub use stability::StabilitySpec;

use super::parse::Place;
use super::validate::StateIndex;
use super::{BehaviourRule, BodySpec, CoalitionSpec, IssueSpec, StateSpec};

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
    /// Where `[behaviour]` was written (or the document, if absent).
    pub place: &'a Place,
}
