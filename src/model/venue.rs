//! Venues: multilateral **bodies** (declared in the scenario) and minilateral
//! **coalitions** (founded during a run). Both have members, an issue mandate, a
//! decision rule and a decision delay (MODEL.md "Venue").
//!
//! **Invariant:** a coalition's `members` is non-empty while it is active, holds no
//! duplicates and never exceeds `max_size`; a body's members change only by
//! elections to its seats and by exit and return (`engine::institutions`).

use super::ids::{BodyId, CoalitionId, IssueId, StateId};
use super::typology::HaassType;
use crate::model::scenario::Rule;

/// A multilateral body during a run.
#[derive(Clone, Debug)]
pub struct Body {
    /// Members, sorted: the permanent ones and those holding an elected seat now.
    pub members: Vec<StateId>,
    /// Elected seats held now (empty for a body without elections).
    pub seats: Vec<Seat>,
    /// Per issue: whether the body failed on it at its last turn (no proposal beyond
    /// the status quo, or a failed vote); false until it has taken the issue up.
    pub stalled: Vec<bool>,
    /// The states its measures bind (empty: its members).
    pub binds: Vec<StateId>,
    /// Its measures are binding (else recommendations).
    pub binding: bool,
    /// Whether each member (same order) holds a veto.
    pub veto_holder: Vec<bool>,
    /// Decision rule.
    pub rule: Rule,
    /// Issues decided by another rule.
    pub issue_rules: Vec<(IssueId, Rule)>,
    /// Members that withdrew and have not returned (exit and voice), in exit order.
    pub absent: Vec<StateId>,
    /// Per state: consecutive turns of this body that failed on an issue the state
    /// wanted a step on (0 for states that are not members).
    pub failures: Vec<u32>,
    /// Ticks between decisions.
    pub delay: u32,
    /// Issues decided in turn.
    pub mandate: Vec<IssueId>,
    /// Votes once on a package of all its open issues (issue linkage).
    pub linkage: bool,
    /// Leaves aside issues another venue covered since its last meeting.
    pub coordinate: bool,
    /// Its members do not resent coalitions with an endorsed measure.
    pub dialogue: bool,
    /// Position in `mandate` of the next agenda item.
    pub next_item: usize,
    /// Adopts coalition measures readily.
    pub facilitates: bool,
    /// A coalition measure this body endorsed, to be implemented next tick.
    pub pending: Option<Endorsement>,
    /// Decisions attempted (proposals put to a vote).
    pub attempted: u32,
    /// Proposals adopted by vote.
    pub adopted: u32,
    /// Coalition measures adopted by endorsement (building blocks).
    pub endorsed: u32,
    /// Votes on taking up a coalition measure (`endorsement = "vote"`), and of those
    /// the ones that failed.
    pub take_up_votes: u32,
    /// Take-up votes that failed.
    pub take_ups_failed: u32,
    /// Progress produced.
    pub progress: f64,
}

impl Body {
    /// The rule it decides `issue` by.
    pub fn rule_for(&self, issue: IssueId) -> &Rule {
        self.issue_rules
            .iter()
            .find(|(k, _)| *k == issue)
            .map_or(&self.rule, |(_, r)| r)
    }

    /// The states that implement its measures: those it binds, else its members.
    pub fn implementers(&self) -> &[StateId] {
        if self.binds.is_empty() {
            &self.members
        } else {
            &self.binds
        }
    }
}

/// An elected seat: who holds it, for which group, until which tick (exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seat {
    /// The member holding it.
    pub state: StateId,
    /// Its group (an index into `ElectedSeats::groups`).
    pub group: u16,
    /// The tick at which its term ends (it no longer sits from then).
    pub until: u32,
}

/// A coalition measure a body took up on its agenda, to adopt (or, under
/// `endorsement = "vote"`, to vote on) next tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Endorsement {
    /// The issue.
    pub issue: IssueId,
    /// Depth of the coalition's measure.
    pub depth: f64,
    /// The coalition's slot and serial (the slot may hold another coalition by the
    /// time the body decides).
    pub coalition: CoalitionId,
    /// The coalition's serial.
    pub serial: u32,
    /// Which measure: (tick adopted, index among that tick's measures), so that one
    /// measure taken up by two bodies counts once.
    pub measure: (u32, u32),
}

/// `bloc` (members share identity) or `issue` (instrumental) coalition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoalitionKind {
    /// Members share identity labels with the founder.
    Bloc,
    /// Instrumental, formed around one problem.
    Issue,
}

impl CoalitionKind {
    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            CoalitionKind::Bloc => "bloc",
            CoalitionKind::Issue => "issue",
        }
    }
}

/// One side of a merge of alliances (the `shapley` rule): a single state or an
/// alliance (a coalition, which the merge ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergePart {
    /// A single state.
    State(StateId),
    /// An alliance, by its coalition serial (`id` in `coalitions.csv`).
    Alliance {
        /// Its serial.
        serial: u32,
        /// Its founder (coalitions are named after their founder).
        founder: StateId,
        /// Its members when it merged.
        size: u32,
    },
}

/// Why a coalition ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// Fewer than two members left.
    TooSmall,
    /// Its time-bound goal was reached.
    GoalMet,
    /// Its deadline passed.
    Deadline,
    /// Dissolved by the hazard (drift, loss of interest).
    Hazard,
    /// The issue was solved.
    IssueSolved,
    /// Still active when the run ended.
    RunEnded,
    /// Merged with another into a larger alliance (the `shapley` rule).
    Merged,
}

impl EndReason {
    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::TooSmall => "too_small",
            EndReason::GoalMet => "goal_met",
            EndReason::Deadline => "deadline",
            EndReason::Hazard => "hazard",
            EndReason::IssueSolved => "issue_solved",
            EndReason::RunEnded => "run_ended",
            EndReason::Merged => "merged",
        }
    }
}

/// A minilateral coalition. Stored in a reusable slot (`CoalitionId`); `serial` is
/// its founding number in the run, used in output.
#[derive(Clone, Debug)]
pub struct Coalition {
    /// Founding number in the run (0, 1, ...).
    pub serial: u32,
    /// The one issue it works on (thematic focus).
    pub issue: IssueId,
    /// Its leader: the founder, unless a heavier member took the lead
    /// (`act::membership`); the founder is `ever[0]`.
    pub leader: StateId,
    /// Led by a great power once the lead settled at founding (else a microlateral).
    pub great_power_led: bool,
    /// Bloc or issue-based.
    pub kind: CoalitionKind,
    /// Haass's type, fixed at founding from the founding members.
    pub haass: HaassType,
    /// Clarity of purpose, inverted: the standard deviation of the founding members'
    /// positions on its issue (0 = one shared view of what it is for).
    pub dispersion: f64,
    /// Institutionalisation in [0, 1].
    pub institutionalisation: f64,
    /// Tick of founding.
    pub founded: u32,
    /// Current members, in joining order.
    pub members: Vec<StateId>,
    /// Everyone who was ever a member, in joining order.
    pub ever: Vec<StateId>,
    /// Largest size reached.
    pub peak_size: u32,
    /// Progress produced.
    pub progress: f64,
    /// Moving average of progress per tick (what members expect it to deliver).
    pub rate: f64,
    /// Depth of its latest proposal (its aim), in [0, 1].
    pub aim: f64,
    /// Mean pairwise affinity of current members, in [0, 1].
    pub cohesion: f64,
    /// Sum of members' shares of the issue's capability.
    pub coverage: f64,
    /// Sum of pairwise affinities of current members (cohesion's numerator).
    pub affinity_sum: f64,
    /// Decisions attempted.
    pub attempted: u32,
    /// Measures adopted.
    pub adopted: u32,
    /// Measures endorsed by a body.
    pub endorsed: u32,
    /// Whether the slot holds an active coalition.
    pub active: bool,
}

impl Coalition {
    /// The state that founded it (its first member), which need not lead it now.
    pub fn founder(&self) -> StateId {
        self.ever.first().copied().unwrap_or(self.leader)
    }

    /// An empty, inactive slot.
    pub fn empty() -> Self {
        Coalition::with_capacity(0, 0)
    }

    /// An unused coalition slot whose member lists never grow: `members` holds up to
    /// `max_members` states, `ever` up to `states` (every state of the run).
    pub fn with_capacity(max_members: usize, states: usize) -> Self {
        Coalition {
            serial: 0,
            issue: IssueId(0),
            leader: StateId(0),
            great_power_led: false,
            kind: CoalitionKind::Issue,
            haass: HaassType::Functional,
            dispersion: 0.0,
            institutionalisation: 0.0,
            founded: 0,
            members: Vec::with_capacity(max_members),
            ever: Vec::with_capacity(states),
            peak_size: 0,
            progress: 0.0,
            rate: 0.0,
            aim: 0.0,
            cohesion: 0.0,
            coverage: 0.0,
            affinity_sum: 0.0,
            attempted: 0,
            adopted: 0,
            endorsed: 0,
            active: false,
        }
    }
}

/// What a reviewing state may do (phase 6).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// Keep the current portfolio.
    Stay,
    /// Leave a coalition.
    Leave(CoalitionId),
    /// Apply to join a coalition.
    Join(CoalitionId),
    /// Found a coalition on an issue.
    Found(IssueId),
}

/// Which venue adopted a measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VenueRef {
    /// A body.
    Body(BodyId),
    /// A coalition (slot).
    Coalition(CoalitionId),
}

/// A measure adopted this tick, waiting for implementation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measure {
    /// Who adopted it.
    pub venue: VenueRef,
    /// On which issue.
    pub issue: IssueId,
    /// Its depth (ambition), in [0, 1].
    pub depth: f64,
    /// A body adopting a coalition's measure (building block).
    pub endorsement: bool,
    /// Progress it produced (set in implementation).
    pub progress: f64,
    /// Its legitimacy λ: the share of states (or of population, `[legitimacy] basis`)
    /// with a voice in the venue that adopted it (set in implementation).
    pub legitimacy: f64,
}
