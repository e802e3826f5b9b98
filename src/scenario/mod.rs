//! EDGE IN: scenario files. `Scenario` is plain, validated data; the core reads it and
//! never sees TOML.
//!
//! Flow: [`document`] (the file read, [`parse`]d into a spanned tree, `--set` overrides
//! applied) → `schema` (tree → `Scenario` through `reader`, collecting *every* error
//! with its file, line and column) → [`data`] (states from a CSV file relative to the
//! scenario file).
//!
//! **Invariant:** a `Scenario` returned by [`Scenario::from_path`] or
//! [`Scenario::from_toml`] satisfies every range documented in `docs/scenario.md`; the
//! core re-checks them only with `debug_assert!`.

pub mod calibrate;
pub mod data;
pub mod document;
#[cfg(test)]
mod fixtures;
pub mod parse;
mod reader;
pub mod rules;
mod schema;
pub mod sweep;
pub mod synthetic;

use std::path::Path;

use crate::error::ScenarioErrors;
pub use crate::model::scenario::{
    AdaptiveSpec, BehaviourRule, BehaviourSpec, BodyId, BodySpec, CapId, CoalitionSpec, Compared,
    DataBinding, DecisionSpec, Domain, EndorsementMode, ExitRule, FileTable, InterestSpec, IssueId,
    IssuePreferences, IssueSpec, LandscapeSpec, LegitimacyBasis, LegitimacySpec, Missing,
    OutputSpec, Param, PayoffSpec, PreferenceNote, PreferenceSource, Rule, RuleFacts, Scenario,
    ShapleySpec, StabilitySpec, StateId, StateSpec, ThreatSpec, TickOutput, Weight,
};

impl Scenario {
    /// Reads, overrides and validates a scenario file. `overrides` are `path=value`
    /// strings as given to `--set`.
    pub fn from_path(path: &Path, overrides: &[String]) -> Result<Loaded, ScenarioErrors> {
        document::load_path(path, overrides)
    }

    /// Validates scenario text. `origin` names it in errors; CSV data files are
    /// resolved relative to `base_dir`.
    pub fn from_toml(
        text: &str,
        origin: &str,
        base_dir: &Path,
        overrides: &[String],
    ) -> Result<Loaded, ScenarioErrors> {
        document::load_text(text, origin, base_dir, overrides)
    }
}

/// A scenario together with what the manifest needs to reproduce it.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The resolved scenario document (overrides applied) as JSON, for `manifest.json`.
    pub resolved: serde_json::Value,
    /// SHA-256 of the scenario file's bytes (hex), or of the text for `from_toml`.
    pub hash: String,
    /// Every file the scenario was read from, in reading order: the scenario file, the
    /// design file (if any), then each data, memberships, trade or pair file, as
    /// (path, SHA-256 of its bytes). `--resume` and `merge` refuse a batch whose
    /// inputs changed.
    pub inputs: Vec<(String, String)>,
    /// Warnings worth showing (not errors).
    pub warnings: Vec<String>,
}
