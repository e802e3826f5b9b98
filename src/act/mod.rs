//! CORE: how states act on the world, shared by the engine's tick phases and the
//! behaviour rules and below both: the [`Ctx`] a phase works in, the run's reusable
//! buffers ([`scratch`]), members as voters ([`vote`]), production and clubs
//! ([`goods`]), the cost and stake of leading ([`leadership`]), what a measure's
//! legitimacy changes ([`legitimacy`]), and the one way a membership changes
//! ([`membership`]).
//!
//! **Invariant:** nothing here imports `engine` or `behaviour`; a rule and a phase
//! that need the same helper find it here. No allocation once a run's buffers are
//! sized.

pub mod goods;
pub mod leadership;
pub mod legitimacy;
pub mod membership;
pub mod scratch;
pub mod vote;

use rand::rngs::ChaCha8Rng;

use crate::metrics::{Observer, Tally};
use crate::model::World;
use crate::model::scenario::Scenario;
use crate::rules::acceptance::AcceptanceParams;
use scratch::Scratch;

/// Everything a tick phase or a behaviour rule reads or writes during a tick.
pub struct Ctx<'a, O: Observer> {
    /// The validated scenario.
    pub scenario: &'a Scenario,
    /// The run's world.
    pub world: &'a mut World,
    /// The run's random stream.
    pub rng: &'a mut ChaCha8Rng,
    /// Reused buffers.
    pub scratch: &'a mut Scratch,
    /// Running totals.
    pub tally: &'a mut Tally,
    /// Where per-tick metrics and ended coalitions go.
    pub observer: &'a mut O,
    /// Acceptance parameters from `[decision]`.
    pub accept: AcceptanceParams,
}

/// Acceptance parameters of a scenario.
pub fn accept_params(scenario: &Scenario) -> AcceptanceParams {
    let d = &scenario.decision;
    AcceptanceParams {
        temperature: d.temperature,
        challenger_reluctance: d.challenger_reluctance,
        rivalry: d.rivalry,
    }
}
