//! `[behaviour.adaptive]`: parameters of the `adaptive` behaviour rule.

use super::RuleEnv;
use crate::scenario::validate::{Ctx, Table};

/// Fields allowed in `[behaviour.adaptive]`.
pub(in crate::scenario) const FIELDS: &str = "";

/// Parameters of the `adaptive` rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AdaptiveSpec {}

/// Reads `[behaviour.adaptive]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> AdaptiveSpec {
    let _ = (ctx, t, env);
    AdaptiveSpec {}
}
