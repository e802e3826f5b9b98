//! `[behaviour.stability]`: parameters of the `stability` behaviour rule.

use super::RuleEnv;
use crate::scenario::validate::{Ctx, Table};

/// Fields allowed in `[behaviour.stability]`.
pub(in crate::scenario) const FIELDS: &str = "";

/// Parameters of the `stability` rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StabilitySpec {}

/// Reads `[behaviour.stability]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> StabilitySpec {
    let _ = (ctx, t, env);
    StabilitySpec {}
}
