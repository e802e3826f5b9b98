//! `[behaviour.landscape]`: parameters of the `landscape` behaviour rule.

use super::RuleEnv;
use crate::scenario::validate::{Ctx, Table};

/// Fields allowed in `[behaviour.landscape]`.
pub(in crate::scenario) const FIELDS: &str = "";

/// Parameters of the `landscape` rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LandscapeSpec {}

/// Reads `[behaviour.landscape]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> LandscapeSpec {
    let _ = (ctx, t, env);
    LandscapeSpec {}
}
