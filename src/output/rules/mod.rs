//! EDGE OUT: files a behaviour rule adds to a finished `minilat run` directory,
//! derived from the scenario and the result files just committed (`runs.csv`,
//! `coalitions.csv`): `configurations.csv` (landscape), `stability.csv` (stability),
//! `learning.csv` (adaptive), `hierarchy.csv` (shapley), `club.csv` (club). They are written, each
//! atomically, before the manifest, so a directory with a manifest has them all.

pub mod adaptive;
pub mod club;
pub mod landscape;
pub mod shapley;
pub mod stability;

use std::path::Path;

use crate::error::OutputError;
use crate::scenario::{BehaviourRule, Scenario};

/// The rule's files `(name, bytes)` for the finished run directory `dir`.
pub fn files(scenario: &Scenario, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    match scenario.behaviour.rule {
        BehaviourRule::Utility => Ok(Vec::new()),
        BehaviourRule::Landscape => landscape::files(scenario, dir),
        BehaviourRule::Stability => stability::files(scenario, dir),
        BehaviourRule::Adaptive => adaptive::files(scenario, dir),
        BehaviourRule::Shapley => shapley::files(scenario, dir),
        BehaviourRule::Club => club::files(scenario, dir),
    }
}
