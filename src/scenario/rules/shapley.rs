//! `[behaviour.shapley]`: parameters of the `shapley` behaviour rule.

use super::RuleEnv;
use crate::scenario::validate::{Ctx, Table};

/// Fields allowed in `[behaviour.shapley]`.
pub(in crate::scenario) const FIELDS: &str = "";

/// Parameters of the `shapley` rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShapleySpec {}

/// Reads `[behaviour.shapley]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> ShapleySpec {
    let _ = (ctx, t, env);
    ShapleySpec {}
}
