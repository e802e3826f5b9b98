//! Buffers reused across ticks of a run so the tick loop does not allocate (rapier's
//! habit). Sized once from the scenario; `Vec`s grow only if a venue grows beyond any
//! size seen before in the run.

use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::Scenario;
pub use crate::model::venue::Action;
use crate::model::venue::{Measure, Seat, VenueRef};
use crate::rules::Voter;

/// A proposal formed in phase 2, decided in phase 3.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Proposal {
    /// Who proposes.
    pub venue: VenueRef,
    /// On which issue.
    pub issue: IssueId,
    /// Depth proposed, in [0, 1].
    pub depth: f64,
    /// Part of a package: the body's consecutive linked proposals are voted on
    /// together (issue linkage).
    pub linked: bool,
}

/// Reusable buffers of one run.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Voters of the venue being decided.
    pub voters: Vec<Voter>,
    /// Proposals of this tick.
    pub proposals: Vec<Proposal>,
    /// Measures adopted this tick.
    pub measures: Vec<Measure>,
    /// Compliance cost per state this tick.
    pub cost: Vec<f64>,
    /// Compliance decisions per state this tick.
    pub asked: Vec<u32>,
    /// Of which complied.
    pub complied: Vec<u32>,
    /// Public-good progress per issue this tick (reaches everyone).
    pub public: Vec<f64>,
    /// States in the order they review this tick.
    pub order: Vec<StateId>,
    /// Options of the reviewing state with their utilities.
    pub options: Vec<(Action, f64)>,
    /// Founders' candidates `(score, state)`.
    pub candidates: Vec<(f64, StateId)>,
    /// A founder's planned partners.
    pub plan: Vec<StateId>,
    /// Invited partners who accepted.
    pub accepted: Vec<StateId>,
    /// `(issue, aim)` of active coalitions, for duplication.
    pub aims: Vec<(IssueId, f64)>,
    /// Welfare values for the Gini.
    pub welfare: Vec<f64>,
    /// Members who rejected the proposal just voted on (for events).
    pub rejected: Vec<StateId>,
    /// Elected seats falling vacant at a renewal.
    pub vacated: Vec<Seat>,
    /// States taking an elected seat at a renewal.
    pub seated: Vec<StateId>,
    /// States leaving an elected seat at a renewal.
    pub unseated: Vec<StateId>,
    /// Coalition measures (tick, index) endorsed by a body's vote this tick.
    pub endorsed_measures: Vec<(u32, u32)>,
    /// Veto holders among them.
    pub vetoed: Vec<StateId>,
    /// Per state: whether it implements the measure being implemented (to find the
    /// free non-members that may follow it); all false between measures.
    pub implementing: Vec<bool>,
}

impl Scratch {
    /// Buffers for a run of `scenario`.
    pub fn new(scenario: &Scenario) -> Scratch {
        let n = scenario.states.len();
        let max_size = scenario.coalitions.max_size as usize;
        // Elected seats, per body and at most.
        let seats = scenario
            .bodies
            .iter()
            .filter_map(|b| b.elected.as_ref())
            .map(|e| e.seats.iter().sum::<u32>() as usize)
            .max()
            .unwrap_or(0);
        let largest_body = scenario
            .bodies
            .iter()
            .map(|b| b.members.len())
            .max()
            .unwrap_or(0)
            + seats;
        Scratch {
            voters: Vec::with_capacity(largest_body.max(max_size.min(n)) + 1),
            proposals: Vec::with_capacity(scenario.bodies.len() + n),
            measures: Vec::with_capacity(scenario.bodies.len() * 2 + n),
            cost: vec![0.0; n],
            asked: vec![0; n],
            complied: vec![0; n],
            public: vec![0.0; scenario.issues.len()],
            order: (0..n).map(StateId::from_index).collect(),
            options: Vec::with_capacity(64),
            candidates: Vec::with_capacity(8 * max_size.min(n) + 8),
            plan: Vec::with_capacity(max_size.min(n) + 1),
            accepted: Vec::with_capacity(max_size.min(n) + 1),
            aims: Vec::with_capacity(n),
            welfare: Vec::with_capacity(n),
            rejected: Vec::with_capacity(largest_body.max(max_size.min(n)) + 1),
            vetoed: Vec::with_capacity(largest_body.max(1)),
            endorsed_measures: Vec::with_capacity(scenario.bodies.len()),
            vacated: Vec::with_capacity(seats),
            seated: Vec::with_capacity(seats),
            unseated: Vec::with_capacity(seats),
            implementing: vec![false; n],
        }
    }
}
