//! placeholder until merge
use super::Loaded;
use crate::error::ScenarioErrors;
use std::path::Path;
pub(crate) fn load_path(_p: &Path, _o: &[String]) -> Result<Loaded, ScenarioErrors> { Err(ScenarioErrors(vec![])) }
pub(crate) fn load_text(_t: &str, _o: &str, _b: &Path, _ov: &[String]) -> Result<Loaded, ScenarioErrors> { Err(ScenarioErrors(vec![])) }
