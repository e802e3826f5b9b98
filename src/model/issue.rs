//! An issue during a run: its progress, its crisis (shock) state and when it was
//! solved (MODEL.md "Issue").
//!
//! **Invariant:** `0 <= progress <= target`.

use super::venue::VenueRef;

/// The changing part of an issue.
#[derive(Clone, Debug, Default)]
pub struct IssueState {
    /// Progress made so far, in [0, target].
    pub progress: f64,
    /// Ticks left in the current crisis (0 = no crisis).
    pub crisis_left: u32,
    /// Salience added to every state while the crisis lasts.
    pub boost: f64,
    /// Challengers' current assertiveness on the issue (`threat`; 0 without one):
    /// a state's salience rises by this times its threat `θ`.
    pub pressure: f64,
    /// The last measure adopted on the issue: its tick and venue (for bodies that
    /// coordinate with the other venues).
    pub last_measure: Option<(u32, VenueRef)>,
    /// Tick at which progress first reached the target.
    pub solved_at: Option<u32>,
    /// Crises that started during the run.
    pub crises: u32,
}
