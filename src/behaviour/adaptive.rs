//! The `adaptive` behaviour rule (MODEL.md "Behaviour rules").

use crate::engine::tick::Ctx;
use crate::metrics::Observer;
use crate::model::World;
use crate::scenario::Scenario;

/// What the rule carries between ticks of one run.
#[derive(Clone, Debug, Default)]
pub struct RunState {}

impl RunState {
    /// The state at the start of a run.
    pub fn new(scenario: &Scenario) -> RunState {
        let _ = scenario;
        RunState {}
    }
}

/// Before the first tick.
pub fn start<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let _ = ctx;
}

/// Phase 6.
pub fn choices<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let _ = ctx;
}

/// Phase 8.
pub fn learn<O: Observer>(ctx: &mut Ctx<'_, O>) {
    let _ = ctx;
}

/// Extra `runs.csv` columns.
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    Vec::new()
}

/// Extra `runs.csv` values, in [`run_columns`] order.
pub fn run_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = (scenario, world, s, out);
}

/// Extra `ticks.csv` columns.
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    Vec::new()
}

/// Extra `ticks.csv` values, in [`tick_columns`] order.
pub fn tick_values(scenario: &Scenario, world: &World, s: &RunState, out: &mut Vec<f64>) {
    let _ = (scenario, world, s, out);
}
