//! The validated parameters of the `landscape` behaviour rule (landscape theory
//! of aggregation; docs/rules/landscape.md),
//! read from `[behaviour.landscape]` by `crate::model::scenario::landscape`.

use super::{FileTable, RuleFacts, Scenario};
use crate::model::ids::{CapId, IssueId, StateId};

/// The largest number of actors for which the configurations can be enumerated
/// (`2^(N-1)` configurations; 30 actors are half a billion).
pub const ENUMERATE_CAP: u32 = 30;

/// Parameters of the `landscape` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct LandscapeSpec {
    /// The issue whose coalitions are the two sides.
    pub issue: IssueId,
    /// The capability dimension that is an actor's size (normalised to shares).
    pub size: CapId,
    /// Pairwise propensities from the `propensities` file `(i, j, p)`, `i < j`.
    pub pairs: Vec<(StateId, StateId, f64)>,
    /// `alike`: `(label bit, w)`: `+w` if both or neither carry the label, `−w` if
    /// exactly one does (regime type).
    pub alike: Vec<(u32, f64)>,
    /// `shared`: `(label bit, w)`: `+w` if both carry the label (shared identity).
    pub shared: Vec<(u32, f64)>,
    /// `apart`: `(label bit, w)`: `−w` if both carry the label (rival claimants).
    pub apart: Vec<(u32, f64)>,
    /// The observed alignment: `observed[i]` is true for the states on one side.
    pub observed: Option<Vec<bool>>,
    /// Enumerate every configuration exactly when there are at most this many actors.
    pub enumerate_max: u32,
    /// Random starts for the basins of attraction.
    pub starts: u32,
}

impl Default for LandscapeSpec {
    fn default() -> Self {
        LandscapeSpec {
            issue: IssueId::from_index(0),
            size: CapId::from_index(0),
            pairs: Vec::new(),
            alike: Vec::new(),
            shared: Vec::new(),
            apart: Vec::new(),
            observed: None,
            enumerate_max: 25,
            starts: 10_000,
        }
    }
}

/// The rule's own file: local minima and their basins.
pub const CONFIGURATIONS: &str = "configurations.csv";

/// The rule's own file: each actor's frustration in each configuration.
pub const FRUSTRATION: &str = "frustration.csv";

/// The `landscape` rule's cold facts.
pub const FACTS: RuleFacts = RuleFacts {
    name: "landscape",
    headline: &["energy", "correct", "settled_tick"],
    departure: "it is less frustrated on the other side",
    files: &[CONFIGURATIONS, FRUSTRATION],
    tables: &[FileTable {
        file: CONFIGURATIONS,
        heading: "Landscape: local minima and their basins of attraction",
        note: "Each two-bloc configuration no actor wants to leave (kind <code>minimum</code> when \
               every configuration was enumerated), lowest energy first; the share of random \
               starts (its basin) and of this batch's runs that end there; actors placed as \
               observed. Then runs that did not settle, and the observed alignment's own row.",
        // Counts are shown as shares.
        hide: &["size_a", "size_b", "starts", "runs"],
    }],
};

/// Extra `runs.csv` columns: `energy` (final), `settled_tick`, `moves`,
/// `local_minimum`, `correct` and `side_<state>` per actor, with runs of whitespace
/// in the state's name written `_` (`side_United_States`): R and pandas users should
/// not meet spaces in column names.
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let mut cols: Vec<String> = [
        "energy",
        "settled_tick",
        "moves",
        "local_minimum",
        "correct",
    ]
    .map(String::from)
    .to_vec();
    cols.extend(scenario.states.iter().map(|s| {
        let name: Vec<&str> = s.name.split_whitespace().collect();
        format!("side_{}", name.join("_"))
    }));
    cols
}

/// Extra `ticks.csv` columns: `energy`.
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    vec!["energy".to_owned()]
}
