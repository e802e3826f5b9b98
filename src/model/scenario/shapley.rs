//! The validated parameters of the `shapley` behaviour rule (bilateral
//! Shapley value merging of alliances; docs/rules/shapley.md),
//! read from `[behaviour.shapley]` by `crate::model::scenario::shapley`.

use super::{RuleFacts, Scenario};
use crate::model::ids::IssueId;

/// Parameters of the `shapley` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapleySpec {
    /// The issue alliances form on (`issue`, a name; the only issue if the scenario
    /// has one). Alliances are coalitions on this issue.
    pub issue: IssueId,
    /// Cost of agreement per ordered pair of members per decision
    /// (`negotiation_cost`, >= 0); `None`: `coalitions.negotiation_cost`.
    pub negotiation_cost: Option<f64>,
    /// Running cost per member of an alliance per tick (`overhead`, >= 0); `None`:
    /// `payoffs.overhead`.
    pub overhead: Option<f64>,
    /// Smallest surplus `v(A∪B) − v(A) − v(B)` for which two alliances merge
    /// (`min_gain`, >= 0; default 0: any positive surplus).
    pub min_gain: f64,
    /// Logit noise on the ranking of pairs (`temperature`, >= 0; default 0: the
    /// pair with the largest surplus first, deterministically).
    pub temperature: f64,
    /// The characteristic function (`worth`; default `model`).
    pub worth: WorthKind,
    /// How alliances pair up in a round (`matching`; default `surplus`).
    pub matching: Matching,
    /// Mesa's factor on the joint power of a pair (`synergy`, > 0; default 1.2, the
    /// value in Mesa's `alliance_formation` example); read only with `worth = "mesa"`.
    pub synergy: f64,
}

impl Default for ShapleySpec {
    fn default() -> ShapleySpec {
        ShapleySpec {
            issue: IssueId::default(),
            negotiation_cost: None,
            overhead: None,
            min_gain: 0.0,
            temperature: 0.0,
            worth: WorthKind::Model,
            matching: Matching::Surplus,
            synergy: MESA_SYNERGY,
        }
    }
}

/// Mesa's factor on a pair's joint power (`alliance_formation/model.py`,
/// `calculate_shapley_value`: `agents.agg("power", sum) * 1.2 * new_position`).
pub const MESA_SYNERGY: f64 = 1.2;

/// The characteristic function of the `shapley` rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WorthKind {
    /// The model's own: salience × progress of the watered-down measure, less
    /// compliance, agreement and membership costs (docs/rules/shapley.md).
    #[default]
    Model,
    /// Mesa's `alliance_formation` example (Mesa 3.3.1): a single state is worth its
    /// power (its salience on the issue), an alliance `synergy × Σ power × (1 −
    /// spread of positions)`.
    Mesa,
}

/// How alliances pair up in a round of the `shapley` rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Matching {
    /// Pairs in order of surplus among those still unpaired, in parallel.
    #[default]
    Surplus,
    /// Mesa's `alliance_formation` example (Mesa 3.3.1): alliances pair only within
    /// their level, every alliance stays a candidate after merging, one pass keeps
    /// each one's best pair by joint worth, and a pair with a side already in an
    /// alliance adds the other side to it (requires `worth = "mesa"`).
    Mesa,
}

/// The rule's own files: every run's alliances, and run 0's as an indented tree.
pub const HIERARCHY: &str = "hierarchy.csv";
/// See [`HIERARCHY`].
pub const HIERARCHY_TREE: &str = "hierarchy.txt";

/// The `shapley` rule's cold facts (the report shows `hierarchy.txt` as a tree).
pub const FACTS: RuleFacts = RuleFacts {
    name: "shapley",
    headline: &["merges", "largest_alliance", "hierarchy_depth"],
    departure: "it goes its own way",
    files: &[HIERARCHY, HIERARCHY_TREE],
    tables: &[],
};

/// Extra `runs.csv` columns: the hierarchy at the run's end.
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    [
        "alliances",
        "singletons",
        "merges",
        "hierarchy_depth",
        "largest_alliance",
        "worth_total",
        "surplus_total",
        "settled_tick",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect()
}

/// Extra `ticks.csv` columns.
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    vec!["alliances".to_string(), "merges".to_string()]
}
