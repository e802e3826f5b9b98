//! The validated parameters of the `adaptive` behaviour rule (Roth–Erev
//! reinforcement over venue choices; docs/rules/adaptive.md),
//! read from `[behaviour.adaptive]` by `crate::model::scenario::adaptive`.

use super::{FileTable, RuleFacts, Scenario};
/// Which Roth–Erev update spreads the experimentation share over the actions not
/// played.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Erev & Roth (1998): the others get `R ε / (M − 1)` each, so a zero reward
    /// changes nothing but the forgetting.
    Basic,
    /// Nicolaisen, Petrov & Tesfatsion (2001): the others get `q_j ε / (M − 1)`, so
    /// learning goes on when rewards are zero (forgetting is partly offset by
    /// experimentation, in proportion to each action's own propensity).
    Modified,
}

impl Variant {
    /// The variant's name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Basic => "basic",
            Variant::Modified => "modified",
        }
    }
}

/// Parameters of the `adaptive` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct AdaptiveSpec {
    /// Initial strength `s(1)` (> 0): the propensities start at `s(1) / M` each, in
    /// reward units (after `reward_scale`). Large values learn slowly.
    pub initial: f64,
    /// Recency (forgetting) `φ` in [0, 1]: the share of every propensity lost per tick.
    pub recency: f64,
    /// Experimentation `ε` in [0, 1): the share of a reward that goes to the actions
    /// not played.
    pub experimentation: f64,
    /// The update of the actions not played.
    pub variant: Variant,
    /// Payoff that counts as no reward (`x_min` of Erev & Roth): the reward is
    /// `max(0, (π − reward_floor) × reward_scale)`.
    pub reward_floor: f64,
    /// Multiplies the shifted payoff (> 0), to put per-tick payoffs in the units of
    /// `initial`.
    pub reward_scale: f64,
    /// Convergence threshold in (0, 1]: the run has converged at the first tick from
    /// which the mean over states of their largest choice probability stays at or
    /// above it to the end of the run.
    pub converged: f64,
}

impl Default for AdaptiveSpec {
    fn default() -> Self {
        AdaptiveSpec {
            initial: 3.0,
            recency: 0.02,
            experimentation: 0.02,
            variant: Variant::Basic,
            reward_floor: 0.0,
            reward_scale: 100.0,
            converged: 0.9,
        }
    }
}

/// Action 0: no coalition, rely on the bodies.
pub const NO_COALITION: usize = 0;

/// Name of action `j` in column names and files: `none` or the issue's name.
pub fn action_name(scenario: &Scenario, j: usize) -> &str {
    if j == NO_COALITION {
        "none"
    } else {
        &scenario.issues[j - 1].name
    }
}

fn choice_columns(scenario: &Scenario, out: &mut Vec<String>) {
    for j in 0..=scenario.issues.len() {
        out.push(format!("choice_{}", action_name(scenario, j)));
    }
}

/// The rule's own file: what each state learned.
pub const LEARNING: &str = "learning.csv";

/// The `adaptive` rule's cold facts.
pub const FACTS: RuleFacts = RuleFacts {
    name: "adaptive",
    headline: &["concentration", "converged_tick"],
    departure: "it has learned to prefer another venue",
    files: &[LEARNING],
    tables: &[FileTable {
        file: LEARNING,
        heading: "What each state learned (Roth–Erev)",
        note: "Final choice probability of each venue, mean over runs; the venue learned, \
               the share of runs in which it was the state's most likely choice, and action \
               switches per run.",
        hide: &[],
    }],
};

/// Extra `runs.csv` columns: `converged_tick` (first tick from which concentration
/// stays >= `converged` to the end; NaN if it does not end converged), `concentration`
/// (final), `switches`, then `choice_none`, `choice_<issue>`… (final share of learners
/// whose most likely action it is).
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let mut out = vec![
        "converged_tick".to_string(),
        "concentration".to_string(),
        "switches".to_string(),
    ];
    choice_columns(scenario, &mut out);
    out
}

/// Extra `ticks.csv` columns: `concentration`, `choice_none`, `choice_<issue>`….
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let mut out = vec!["concentration".to_string()];
    choice_columns(scenario, &mut out);
    out
}
