//! The `stability` rule's own output files.

use std::path::Path;

use crate::error::OutputError;
use crate::scenario::Scenario;

/// The rule's files `(name, bytes)` for the finished run directory `dir`.
pub fn files(scenario: &Scenario, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let _ = (scenario, dir);
    Ok(Vec::new())
}
