//! CORE: what a run measures (MODEL.md "Metrics"): per-tick [`TickMetrics`] handed to
//! an [`Observer`], per-coalition records at each coalition's end, and the
//! [`RunSummary`] of one run. Batch statistics are in [`stats`]; the best of a set of
//! estimates and those tied with it in [`plateau`].
//!
//! **Invariant:** every metric is finite except where documented as NaN (undefined,
//! e.g. `time_to_solve` of an unsolved issue); shares and rates are in [0, 1].

pub mod plateau;
pub mod stats;

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::model::World;
use crate::model::ids::{BodyId, IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::venue::{Action, Coalition, CoalitionKind, EndReason, MergePart, VenueRef};
use crate::rules::Voter;

/// Receives what a run produces while it runs (double dispatch keeps the core free of
/// I/O: the batch runner collects, the output module writes, `watch` and `story` tell).
pub trait Observer {
    /// Called after each recorded tick.
    fn on_tick(&mut self, metrics: &TickMetrics);
    /// Called for each event, in the order they happen within tick `tick`. The event
    /// borrows the world: copy what you keep ([`Event::owned`]).
    fn on_event(&mut self, tick: u32, event: &Event<'_>);

    /// Classroom play (`minilat serve`): whether some states are played by people.
    /// Only then does the engine offer them its decisions ([`Observer::decide_votes`],
    /// [`Observer::decide_move`]); the default, nobody, leaves every decision to the
    /// model, and a run nobody answers in is the run with no players: the model's
    /// draws are made whatever a player answers, so the stream stays in step.
    fn plays(&self) -> bool {
        false
    }

    /// A vote in `world` (as it stands at the vote): `voters` are the venue's voters with the answer the model
    /// drew for each (`accepts`); the observer may overwrite the answers of the states
    /// it plays (not of abstainers). Called only when [`Observer::plays`].
    fn decide_votes(&mut self, world: &World, ballot: &Ballot, voters: &mut [Voter]) {
        let _ = (world, ballot, voters);
    }

    /// State `state` reviews its memberships in `world` (the `utility` rule):
    /// `options` are what it may do with the model's utility of each, `model` the
    /// index the model chose. Returns the index a player chose instead, if any.
    /// Called only when [`Observer::plays`].
    fn decide_move(
        &mut self,
        world: &World,
        state: StateId,
        options: &[(Action, f64)],
        model: usize,
    ) -> Option<usize> {
        let _ = (world, state, options, model);
        None
    }
}

/// A proposal put to a vote, as the engine offers it to players
/// ([`Observer::decide_votes`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ballot {
    /// The venue voting.
    pub venue: VenueRef,
    /// The issue (a package's first issue).
    pub issue: IssueId,
    /// The depth proposed (a package's first).
    pub depth: f64,
    /// The issue's status quo, what a rejection keeps.
    pub status_quo: f64,
    /// Several issues voted on at once (issue linkage).
    pub package: bool,
}

/// Something that happened in a run, as data (MODEL.md's dynamics in the order of the
/// tick's phases), borrowed from the world: what the engine hands to observers,
/// without allocating. The same events feed `coalitions.csv` and `memberships.csv`
/// (foundings, joins, departures, ends), `minilat watch` and `minilat story`.
pub type Event<'a> = EventOf<Borrowed<'a>>;

/// An [`Event`] that owns copies of what it borrowed ([`Event::owned`]): what a
/// recorder keeps ([`OwnedEvent::borrowed`] reads it as an [`Event`] again).
pub type OwnedEvent = EventOf<Owned>;

/// How an [`EventOf`] holds the coalitions and lists of states it tells about.
pub trait Holds {
    /// A coalition as it was when the event happened.
    type Coalition: Deref<Target = Coalition> + Clone + fmt::Debug;
    /// States.
    type States: Deref<Target = [StateId]> + Clone + fmt::Debug;
}

/// Borrowed from the world ([`Event`]).
#[derive(Clone, Copy, Debug)]
pub struct Borrowed<'a>(PhantomData<&'a Coalition>);

impl<'a> Holds for Borrowed<'a> {
    type Coalition = &'a Coalition;
    type States = &'a [StateId];
}

/// Owned copies ([`OwnedEvent`]).
#[derive(Clone, Copy, Debug)]
pub enum Owned {}

impl Holds for Owned {
    type Coalition = Box<Coalition>;
    type States = Vec<StateId>;
}

/// An event, holding its data as `H` says: see [`Event`] (borrowed) and
/// [`OwnedEvent`] (owned); one set of variants for both.
#[derive(Clone, Debug)]
pub enum EventOf<H: Holds> {
    /// A crisis started on an issue (phase 1).
    CrisisStarted {
        /// The issue.
        issue: IssueId,
    },
    /// A body voted on a proposal (phase 3).
    BodyVote {
        /// The body.
        body: BodyId,
        /// The issue.
        issue: IssueId,
        /// The proposal's depth.
        depth: f64,
        /// Whether it was adopted.
        adopted: bool,
        /// Members who rejected it.
        rejected_by: H::States,
        /// Veto holders who rejected it (vetoes), for a `veto` body.
        vetoed_by: H::States,
    },
    /// A body decided on a coalition's measure it took up (building block, phase 3):
    /// adopted without a vote (`endorsement = "automatic"`, empty lists), or by a vote
    /// under its rule (`"vote"`).
    Endorsement {
        /// The body.
        body: BodyId,
        /// The issue.
        issue: IssueId,
        /// The measure's depth.
        depth: f64,
        /// Whether the body adopted it.
        adopted: bool,
        /// Members who rejected it.
        rejected_by: H::States,
        /// Veto holders who rejected it (vetoes), for a `veto` body.
        vetoed_by: H::States,
    },
    /// A body voted on authorising a state's coalition (an enhanced cooperation;
    /// phase 6, before the coalition is founded).
    Authorisation {
        /// The body.
        body: BodyId,
        /// The issue.
        issue: IssueId,
        /// The state asking.
        founder: StateId,
        /// Whether the body authorised it.
        granted: bool,
        /// Members who rejected it.
        rejected_by: H::States,
    },
    /// A state withdrew from a body after `failures` failed turns in a row that it
    /// wanted a step on, or (`returned`) came back to it (phase 7).
    BodyExit {
        /// The body.
        body: BodyId,
        /// The state.
        state: StateId,
        /// It came back (else it withdrew).
        returned: bool,
        /// Failed turns in a row that made it withdraw (0 on a return).
        failures: u32,
    },
    /// A body's elected seats were renewed (phase 7): who took a seat, who left one.
    SeatsRenewed {
        /// The body.
        body: BodyId,
        /// States taking a seat, in seat order.
        seated: H::States,
        /// States whose term ended, in seat order.
        unseated: H::States,
    },
    /// A coalition voted on its measure (phase 3).
    CoalitionVote {
        /// The coalition.
        coalition: H::Coalition,
        /// The proposal's depth.
        depth: f64,
        /// Whether it was adopted.
        adopted: bool,
    },
    /// An issue reached its target (phase 4).
    IssueSolved {
        /// The issue.
        issue: IssueId,
    },
    /// A state founded a coalition; `coalition.members` are the founder and the
    /// partners who accepted (phase 6).
    CoalitionFounded {
        /// The new coalition.
        coalition: H::Coalition,
    },
    /// A state joined a coalition, admitted by its members (phase 6).
    Joined {
        /// The state.
        state: StateId,
        /// The coalition, with the state in it.
        coalition: H::Coalition,
    },
    /// A state applied to a coalition and its members refused (phase 6).
    Refused {
        /// The state.
        state: StateId,
        /// The coalition.
        coalition: H::Coalition,
    },
    /// A state left a coalition because staying was worth less than leaving (phase 6).
    Left {
        /// The state.
        state: StateId,
        /// The coalition, without the state.
        coalition: H::Coalition,
        /// What membership was worth to it per tick when it left (the behaviour rule's
        /// value; negative: it cost more than it delivered).
        value: f64,
        /// Whether it had no spare bandwidth (it was "stretched to capacity").
        at_capacity: bool,
    },
    /// Two alliances (single states or coalitions) merged into a new coalition (the
    /// `shapley` rule, phase 6). Reported right after the new coalition's
    /// `CoalitionFounded`, and after a `CoalitionEnded` (reason `merged`) for each
    /// part that was a coalition.
    AlliancesMerged {
        /// The new alliance.
        alliance: H::Coalition,
        /// What merged, in the order of the merging round.
        parts: [MergePart; 2],
    },
    /// A coalition ended (dissolved in phase 7, or still active when the run ended).
    CoalitionEnded {
        /// The coalition as it was when it ended.
        coalition: H::Coalition,
        /// The tick it ended.
        ended: u32,
        /// Why.
        reason: EndReason,
    },
}

impl Copy for Event<'_> {}

impl<H: Holds> EventOf<H> {
    /// The same event holding its data as `K` does: `coalition` and `states` convert.
    fn map<'s, K: Holds>(
        &'s self,
        coalition: impl Fn(&'s H::Coalition) -> K::Coalition,
        states: impl Fn(&'s H::States) -> K::States,
    ) -> EventOf<K> {
        match self {
            EventOf::CrisisStarted { issue } => EventOf::CrisisStarted { issue: *issue },
            EventOf::BodyVote {
                body,
                issue,
                depth,
                adopted,
                rejected_by,
                vetoed_by,
            } => EventOf::BodyVote {
                body: *body,
                issue: *issue,
                depth: *depth,
                adopted: *adopted,
                rejected_by: states(rejected_by),
                vetoed_by: states(vetoed_by),
            },
            EventOf::Endorsement {
                body,
                issue,
                depth,
                adopted,
                rejected_by,
                vetoed_by,
            } => EventOf::Endorsement {
                body: *body,
                issue: *issue,
                depth: *depth,
                adopted: *adopted,
                rejected_by: states(rejected_by),
                vetoed_by: states(vetoed_by),
            },
            EventOf::BodyExit {
                body,
                state,
                returned,
                failures,
            } => EventOf::BodyExit {
                body: *body,
                state: *state,
                returned: *returned,
                failures: *failures,
            },
            EventOf::Authorisation {
                body,
                issue,
                founder,
                granted,
                rejected_by,
            } => EventOf::Authorisation {
                body: *body,
                issue: *issue,
                founder: *founder,
                granted: *granted,
                rejected_by: states(rejected_by),
            },
            EventOf::SeatsRenewed {
                body,
                seated,
                unseated,
            } => EventOf::SeatsRenewed {
                body: *body,
                seated: states(seated),
                unseated: states(unseated),
            },
            EventOf::CoalitionVote {
                coalition: c,
                depth,
                adopted,
            } => EventOf::CoalitionVote {
                coalition: coalition(c),
                depth: *depth,
                adopted: *adopted,
            },
            EventOf::IssueSolved { issue } => EventOf::IssueSolved { issue: *issue },
            EventOf::CoalitionFounded { coalition: c } => EventOf::CoalitionFounded {
                coalition: coalition(c),
            },
            EventOf::Joined {
                state,
                coalition: c,
            } => EventOf::Joined {
                state: *state,
                coalition: coalition(c),
            },
            EventOf::Refused {
                state,
                coalition: c,
            } => EventOf::Refused {
                state: *state,
                coalition: coalition(c),
            },
            EventOf::Left {
                state,
                coalition: c,
                value,
                at_capacity,
            } => EventOf::Left {
                state: *state,
                coalition: coalition(c),
                value: *value,
                at_capacity: *at_capacity,
            },
            EventOf::AlliancesMerged { alliance, parts } => EventOf::AlliancesMerged {
                alliance: coalition(alliance),
                parts: *parts,
            },
            EventOf::CoalitionEnded {
                coalition: c,
                ended,
                reason,
            } => EventOf::CoalitionEnded {
                coalition: coalition(c),
                ended: *ended,
                reason: *reason,
            },
        }
    }
}

impl Event<'_> {
    /// A copy that owns its coalition and states (allocates: for recorders, never
    /// called by the engine).
    pub fn owned(&self) -> OwnedEvent {
        self.map(|c| Box::new((*c).clone()), |s| s.to_vec())
    }
}

impl OwnedEvent {
    /// The event, borrowing from this copy.
    pub fn borrowed(&self) -> Event<'_> {
        self.map(|c| &**c, |s| &s[..])
    }
}

/// An observer that ignores everything (for benchmarks and summaries only).
#[derive(Clone, Copy, Debug, Default)]
pub struct Discard;

impl Observer for Discard {
    fn on_tick(&mut self, _: &TickMetrics) {}
    fn on_event(&mut self, _: u32, _: &Event<'_>) {}
}

/// Metrics of one tick. Cumulative ones cover ticks 0..=tick.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickMetrics {
    /// The tick (0-based).
    pub tick: u32,
    /// Progress per issue, in [0, target].
    pub progress: Vec<f64>,
    /// Progress produced so far per issue by bodies (before decay; sums over measures).
    pub produced_bodies: Vec<f64>,
    /// Progress produced so far per issue by coalitions.
    pub produced_coalitions: Vec<f64>,
    /// Active coalitions.
    pub coalitions: f64,
    /// Mean size of active coalitions (0 when none).
    pub mean_size: f64,
    /// Mean number of coalition memberships per state.
    pub memberships: f64,
    /// Issues in crisis.
    pub crises: f64,
    /// Cumulative multilateral deadlock rate: failed / attempted body decisions (0 before any).
    pub deadlock_rate: f64,
    /// Cumulative share of progress produced by coalitions (vs bodies).
    pub minilateral_share: f64,
    /// Cumulative fragmentation, `1 - HHI` of progress shares by venue.
    pub fragmentation: f64,
    /// Share of active coalitions that duplicate another (same issue, aims within the
    /// acceptance tolerance).
    pub duplication: f64,
    /// Cumulative free-riding rate: free-rides / compliance decisions (0 before any).
    pub free_riding_rate: f64,
    /// Mean welfare per state so far.
    pub welfare_mean: f64,
    /// Cumulative legitimacy: progress-weighted share of states with a voice in the
    /// venues that produced the progress.
    pub legitimacy: f64,
    /// The behaviour rule's own values (`Scenario::rule_tick_columns`; none for `utility`).
    pub rule: Vec<f64>,
}

/// One column of `ticks.csv` or `runs.csv`, or one per issue or body: its name beside
/// its value, so that the names and the values cannot drift apart (a swap of two
/// entries swaps both).
enum Column<T> {
    /// One value.
    One(&'static str, fn(&T) -> f64),
    /// One value per issue, named `{prefix}_{issue}`.
    PerIssue(&'static str, fn(&T) -> &[f64]),
    /// One value per body, named `{prefix}_{body}`.
    PerBody(&'static str, fn(&T) -> &[f64]),
    /// Values named by the scenario: the behaviour rule's own, the compared groupings.
    Rule(fn(&Scenario) -> Vec<String>, fn(&T) -> &[f64]),
}

/// The names of `columns` for `scenario`, in order.
fn column_names<T>(columns: &[Column<T>], scenario: &Scenario) -> Vec<String> {
    let mut names = Vec::new();
    for column in columns {
        match column {
            Column::One(name, _) => names.push((*name).to_string()),
            Column::PerIssue(prefix, _) => names.extend(
                scenario
                    .issues
                    .iter()
                    .map(|i| format!("{prefix}_{}", i.name)),
            ),
            Column::PerBody(prefix, _) => names.extend(
                scenario
                    .bodies
                    .iter()
                    .map(|b| format!("{prefix}_{}", b.name)),
            ),
            Column::Rule(names_of, _) => names.extend(names_of(scenario)),
        }
    }
    names
}

/// The values of `columns` for `row`, in order, appended to `out`.
fn column_values<T>(columns: &[Column<T>], row: &T, out: &mut Vec<f64>) {
    for column in columns {
        match column {
            Column::One(_, value) => out.push(value(row)),
            Column::PerIssue(_, values) | Column::PerBody(_, values) | Column::Rule(_, values) => {
                out.extend_from_slice(values(row));
            }
        }
    }
}

/// The columns of `ticks.csv` after the tick (and run) keys.
const TICK_COLUMNS: &[Column<TickMetrics>] = &[
    Column::PerIssue("progress", |m| &m.progress),
    Column::PerIssue("produced_bodies", |m| &m.produced_bodies),
    Column::PerIssue("produced_coalitions", |m| &m.produced_coalitions),
    Column::One("coalitions", |m| m.coalitions),
    Column::One("mean_size", |m| m.mean_size),
    Column::One("memberships", |m| m.memberships),
    Column::One("crises", |m| m.crises),
    Column::One("deadlock_rate", |m| m.deadlock_rate),
    Column::One("minilateral_share", |m| m.minilateral_share),
    Column::One("fragmentation", |m| m.fragmentation),
    Column::One("duplication", |m| m.duplication),
    Column::One("free_riding_rate", |m| m.free_riding_rate),
    Column::One("welfare_mean", |m| m.welfare_mean),
    Column::One("legitimacy", |m| m.legitimacy),
    Column::Rule(Scenario::rule_tick_columns, |m| &m.rule),
];

impl TickMetrics {
    /// Whether `name` is a per-tick column that does not depend on the scenario's
    /// issues, bodies or rule.
    pub fn is_core_column(name: &str) -> bool {
        TICK_COLUMNS
            .iter()
            .any(|c| matches!(c, Column::One(n, _) if *n == name))
    }

    /// Column names, in the order of [`TickMetrics::values`].
    pub fn columns(scenario: &Scenario) -> Vec<String> {
        column_names(TICK_COLUMNS, scenario)
    }

    /// Values in the order of [`TickMetrics::columns`], appended to `out`.
    pub fn values(&self, out: &mut Vec<f64>) {
        column_values(TICK_COLUMNS, self, out);
    }
}

/// Outcome metrics of one run (one row of `runs.csv`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunSummary {
    /// Final progress per issue.
    pub progress: Vec<f64>,
    /// Tick at which each issue was solved (NaN if never).
    pub time_to_solve: Vec<f64>,
    /// Sum of all states' welfare.
    pub welfare_total: f64,
    /// Mean welfare per state.
    pub welfare_mean: f64,
    /// Gini of welfare, shifted so the lowest welfare is 0 (welfare can be negative).
    pub welfare_gini: f64,
    /// Progress produced through coalitions / total progress produced (0 if none).
    pub minilateral_share: f64,
    /// Deadlock rate per body: failed / attempted decisions (NaN if none attempted).
    pub deadlock: Vec<f64>,
    /// Deadlock rate over all bodies (NaN if none attempted).
    pub deadlock_rate: f64,
    /// `1 - HHI` of progress shares by venue.
    pub fragmentation: f64,
    /// Mean over ticks of the duplication share.
    pub duplication: f64,
    /// Progress-weighted share of states with a voice where progress was made (NaN if none).
    pub legitimacy_states: f64,
    /// The same, weighted by population (NaN if none).
    pub legitimacy_population: f64,
    /// Free-rides / compliance decisions (NaN if none).
    pub free_riding_rate: f64,
    /// Coalitions founded.
    pub coalitions_formed: f64,
    /// Mean over ticks of the number of active coalitions.
    pub coalitions_mean: f64,
    /// Mean over ticks of the mean active coalition size.
    pub coalition_size_mean: f64,
    /// Mean number of members at founding over the coalitions founded (NaN if none).
    pub founding_size_mean: f64,
    /// Progress-weighted mean peak size of the coalitions that produced progress (NaN if none).
    pub productive_size: f64,
    /// Share of founded coalitions led by a state that is not a great power.
    pub microlateral_share: f64,
    /// Mean lifetime in ticks (censored at the run's end) of bloc coalitions (NaN if none).
    pub lifetime_bloc: f64,
    /// The same for issue-based coalitions.
    pub lifetime_issue: f64,
    /// The same for informal coalitions (institutionalisation < 0.5).
    pub lifetime_informal: f64,
    /// The same for institutionalised coalitions (>= 0.5).
    pub lifetime_institutional: f64,
    /// The same for microlaterals.
    pub lifetime_microlateral: f64,
    /// The same for great-power-led coalitions.
    pub lifetime_great_power: f64,
    /// Coalition measures endorsed by a body / coalition measures adopted (NaN if none).
    pub endorsement_rate: f64,
    /// Body adoptions that took over a coalition measure / all body adoptions (NaN if none).
    pub building_block_share: f64,
    /// Failed votes on taking up a coalition measure / such votes (`endorsement =
    /// "vote"`; NaN if none).
    pub take_up_failure: f64,
    /// States that withdrew from a body in the run (all bodies; `exit`).
    pub body_exits: f64,
    /// States that came back to a body they had left.
    pub body_returns: f64,
    /// Members absent from bodies' votes in the run (`disengage_after`; all bodies).
    pub empty_chairs: f64,
    /// Measures followed by free non-members / their chances to follow
    /// (`[legitimacy] compliance`; NaN if none).
    pub follow_rate: f64,
    /// Crises over all issues.
    pub crises: f64,
    /// Per issue: share of states (non-state actors excluded) in at least one
    /// coalition on the issue when the run ends.
    pub participation: Vec<f64>,
    /// Per body: mean over ticks of the share of its members that also sit in a
    /// coalition on an issue of its mandate (the inner tier of a two-tier body).
    pub two_tier: Vec<f64>,
    /// Adopted / attempted decisions of microlaterals (NaN if none attempted).
    pub adoption_microlateral: f64,
    /// The same for great-power-led coalitions.
    pub adoption_great_power: f64,
    /// Share of coalition progress produced by coalitions whose leader at the time
    /// was a great or middle power (NaN if coalitions produced nothing).
    pub progress_led_by_powers: f64,
    /// Share of founded coalitions of each Haass type (`HaassType::COALITION` order:
    /// elite, regional, functional; NaN if none founded).
    pub founded_type: [f64; 3],
    /// Share of coalition progress produced by each Haass type (same order; NaN if
    /// coalitions produced nothing).
    pub progress_type: [f64; 3],
    /// Share of all progress produced informally: by non-binding bodies, and by
    /// followers outside the venue (their part of the coverage); NaN if none produced.
    pub delivered_informal: f64,
    /// The behaviour rule's own outcomes (`Scenario::rule_run_columns`; none for `utility`).
    pub rule: Vec<f64>,
    /// Per grouping of `[output] compare`: the best Jaccard match of a coalition
    /// (NaN if no coalition was compared).
    pub matches: Vec<f64>,
}

/// The columns of `runs.csv` after the run keys.
const RUN_COLUMNS: &[Column<RunSummary>] = &[
    Column::PerIssue("progress", |r| &r.progress),
    Column::PerIssue("time_to_solve", |r| &r.time_to_solve),
    Column::One("welfare_total", |r| r.welfare_total),
    Column::One("welfare_mean", |r| r.welfare_mean),
    Column::One("welfare_gini", |r| r.welfare_gini),
    Column::One("minilateral_share", |r| r.minilateral_share),
    Column::PerBody("deadlock", |r| &r.deadlock),
    Column::One("deadlock_rate", |r| r.deadlock_rate),
    Column::One("fragmentation", |r| r.fragmentation),
    Column::One("duplication", |r| r.duplication),
    Column::One("legitimacy_states", |r| r.legitimacy_states),
    Column::One("legitimacy_population", |r| r.legitimacy_population),
    Column::One("free_riding_rate", |r| r.free_riding_rate),
    Column::One("coalitions_formed", |r| r.coalitions_formed),
    Column::One("coalitions_mean", |r| r.coalitions_mean),
    Column::One("coalition_size_mean", |r| r.coalition_size_mean),
    Column::One("founding_size_mean", |r| r.founding_size_mean),
    Column::One("productive_size", |r| r.productive_size),
    Column::One("microlateral_share", |r| r.microlateral_share),
    Column::One("lifetime_bloc", |r| r.lifetime_bloc),
    Column::One("lifetime_issue", |r| r.lifetime_issue),
    Column::One("lifetime_informal", |r| r.lifetime_informal),
    Column::One("lifetime_institutional", |r| r.lifetime_institutional),
    Column::One("lifetime_microlateral", |r| r.lifetime_microlateral),
    Column::One("lifetime_great_power", |r| r.lifetime_great_power),
    Column::One("endorsement_rate", |r| r.endorsement_rate),
    Column::One("building_block_share", |r| r.building_block_share),
    Column::One("take_up_failure", |r| r.take_up_failure),
    Column::One("body_exits", |r| r.body_exits),
    Column::One("body_returns", |r| r.body_returns),
    Column::One("empty_chairs", |r| r.empty_chairs),
    Column::One("follow_rate", |r| r.follow_rate),
    Column::One("crises", |r| r.crises),
    Column::PerIssue("participation", |r| &r.participation),
    Column::PerBody("two_tier", |r| &r.two_tier),
    Column::One("adoption_microlateral", |r| r.adoption_microlateral),
    Column::One("adoption_great_power", |r| r.adoption_great_power),
    Column::One("progress_led_by_powers", |r| r.progress_led_by_powers),
    Column::One("founded_elite", |r| r.founded_type[0]),
    Column::One("founded_regional", |r| r.founded_type[1]),
    Column::One("founded_functional", |r| r.founded_type[2]),
    Column::One("delivered_elite", |r| r.progress_type[0]),
    Column::One("delivered_regional", |r| r.progress_type[1]),
    Column::One("delivered_functional", |r| r.progress_type[2]),
    Column::One("delivered_informal", |r| r.delivered_informal),
    Column::Rule(Scenario::rule_run_columns, |r| &r.rule),
    Column::Rule(Scenario::compare_columns, |r| &r.matches),
];

impl RunSummary {
    /// Column names, in the order of [`RunSummary::values`].
    pub fn columns(scenario: &Scenario) -> Vec<String> {
        column_names(RUN_COLUMNS, scenario)
    }

    /// Values in the order of [`RunSummary::columns`], appended to `out`.
    pub fn values(&self, out: &mut Vec<f64>) {
        column_values(RUN_COLUMNS, self, out);
    }
}

/// `num / den`, or `NaN` when `den` is 0 (undefined, not zero).
pub fn ratio_or_nan(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { f64::NAN }
}

/// Running totals of one run, updated by the tick phases.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Progress produced by all venues.
    pub produced: f64,
    /// Progress produced by coalitions.
    pub produced_coalitions: f64,
    /// Progress produced by coalitions led (at the time) by a great or middle power.
    pub produced_led_by_powers: f64,
    /// `Σ_v p_v²` over venues, kept incrementally for the HHI.
    pub produced_sq: f64,
    /// `Σ ΔP × (states with a voice / states)`.
    pub voice_states: f64,
    /// `Σ ΔP × (population with a voice / population)`.
    pub voice_population: f64,
    /// Compliance decisions.
    pub compliance_decisions: u64,
    /// Free-rides.
    pub free_rides: u64,
    /// Chances free non-members had to follow a measure (`[legitimacy] compliance`),
    /// and of those the ones taken.
    pub follow_chances: u64,
    /// Measures followed by a free non-member.
    pub follows: u64,
    /// Members absent from a body's vote (`disengage_after`), over all votes.
    pub empty_chairs: u64,
    /// Coalition measures adopted.
    pub coalition_measures: u64,
    /// Coalition measures endorsed by at least one body.
    pub coalition_measures_endorsed: u64,
    /// States that withdrew from a body, and that came back (all bodies).
    pub body_exits: u64,
    /// States that came back to a body they had left.
    pub body_returns: u64,
    /// Coalitions founded, and of those microlaterals.
    pub founded: u64,
    /// Microlaterals founded.
    pub founded_microlateral: u64,
    /// Members at founding, summed over the coalitions founded.
    pub founding_members: u64,
    /// Coalitions founded by Haass type (`HaassType::COALITION` order).
    pub founded_by_type: [u64; 3],
    /// Progress produced by coalitions by Haass type (`HaassType::COALITION` order).
    pub produced_by_type: [f64; 3],
    /// Progress produced informally: all of a non-binding body's, and of every other
    /// measure the followers' part (their share of the coverage that produced it).
    pub produced_informal: f64,
    /// Sum over ticks of duplication, active coalitions and mean size.
    pub duplication_sum: f64,
    /// Sum over ticks of the number of active coalitions.
    pub coalitions_sum: f64,
    /// Sum over ticks of mean active size.
    pub size_sum: f64,
    /// `Σ progress × peak size` and `Σ progress` over coalitions that produced progress.
    pub productive_size_weighted: f64,
    /// `Σ progress` over ended coalitions that produced progress.
    pub productive_progress: f64,
    /// Lifetime sums and counts: bloc, issue, informal, institutional, micro, great power.
    pub lifetime: [(f64, f64); 6],
    /// Progress produced per issue by bodies, and by coalitions (sized at run start).
    pub produced_by_bodies: Vec<f64>,
    /// See `produced_by_bodies`.
    pub produced_by_coalitions: Vec<f64>,
    /// Per body: sum over ticks of the share of members in a coalition on its mandate.
    pub two_tier_sum: Vec<f64>,
    /// Per issue: participation when the run ends (set before the last coalitions are
    /// closed).
    pub participation: Vec<f64>,
    /// Decisions attempted and adopted by ended coalitions: microlaterals, then
    /// great-power-led.
    pub decisions_by_leader: [(u64, u64); 2],
    /// The real groupings compared with (`[output] compare`): label mask and size.
    pub compared: Vec<(u64, usize)>,
    /// Only coalitions on this issue are compared.
    pub compare_issue: Option<IssueId>,
    /// Per compared grouping, the best match so far (NaN before any coalition).
    pub matches: Vec<f64>,
}

impl Tally {
    /// A tally for `issues` issues.
    pub fn new(issues: usize, bodies: usize) -> Self {
        Tally {
            produced_by_bodies: vec![0.0; issues],
            produced_by_coalitions: vec![0.0; issues],
            two_tier_sum: vec![0.0; bodies],
            participation: vec![0.0; issues],
            ..Tally::default()
        }
    }

    /// Compares the coalition `c` (as it is now) with each grouping of `[output]
    /// compare`, keeping the best match: the Jaccard index `|C ∩ G| / |C ∪ G|` of its
    /// members `C` (non-state actors included) and the states `G` carrying the
    /// grouping's label. Called at founding and at the end of each coalition.
    pub fn compare(&mut self, c: &Coalition, labels: &[u64]) {
        if self.compare_issue.is_some_and(|k| k != c.issue) {
            return;
        }
        for (best, &(mask, size)) in self.matches.iter_mut().zip(&self.compared) {
            let both = (c.members.iter())
                .filter(|m| labels[m.index()] & mask != 0)
                .count();
            let either = c.members.len() + size - both;
            let jaccard = if either > 0 {
                both as f64 / either as f64
            } else {
                0.0
            };
            *best = best.max(jaccard);
        }
    }

    /// Records a coalition's end for the lifetime and productive-size metrics.
    pub fn coalition_ended(&mut self, c: &Coalition, ended: u32) {
        let life = (ended - c.founded) as f64;
        let mut add = |slot: usize| {
            self.lifetime[slot].0 += life;
            self.lifetime[slot].1 += 1.0;
        };
        add(if c.kind == CoalitionKind::Bloc { 0 } else { 1 });
        add(if c.institutionalisation < 0.5 { 2 } else { 3 });
        add(if c.great_power_led { 5 } else { 4 });
        let decisions = &mut self.decisions_by_leader[usize::from(c.great_power_led)];
        decisions.0 += u64::from(c.attempted);
        decisions.1 += u64::from(c.adopted);
        if c.progress > 0.0 {
            self.productive_size_weighted += c.progress * c.peak_size as f64;
            self.productive_progress += c.progress;
        }
    }

    /// Mean lifetime of category `slot` (see [`Tally::lifetime`]), NaN if none.
    pub fn mean_lifetime(&self, slot: usize) -> f64 {
        ratio_or_nan(self.lifetime[slot].0, self.lifetime[slot].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::synthetic::Synthetic;

    /// Each column's value is the field its name says: a row with a distinct value in
    /// every field comes out with the right value under each name.
    #[test]
    fn every_runs_column_carries_the_value_its_name_says() {
        let scenario = Synthetic::default().build();
        let names = RunSummary::columns(&scenario);
        let (n_issues, n_bodies) = (scenario.issues.len(), scenario.bodies.len());
        let mut r = RunSummary {
            progress: (0..n_issues).map(|i| 1000.0 + i as f64).collect(),
            time_to_solve: (0..n_issues).map(|i| 2000.0 + i as f64).collect(),
            deadlock: (0..n_bodies).map(|b| 3000.0 + b as f64).collect(),
            participation: (0..n_issues).map(|i| 4000.0 + i as f64).collect(),
            two_tier: (0..n_bodies).map(|b| 5000.0 + b as f64).collect(),
            ..RunSummary::default()
        };
        r.welfare_total = 1.0;
        r.crises = 2.0;
        r.adoption_great_power = 3.0;
        r.lifetime_issue = 4.0;
        let mut values = Vec::new();
        r.values(&mut values);
        assert_eq!(values.len(), names.len());
        let at = |name: &str| values[names.iter().position(|n| n == name).expect(name)];
        assert_eq!(at("welfare_total"), 1.0);
        assert_eq!(at("crises"), 2.0);
        assert_eq!(at("adoption_great_power"), 3.0);
        assert_eq!(at("lifetime_issue"), 4.0);
        let issue = &scenario.issues[n_issues - 1].name;
        let body = &scenario.bodies[n_bodies - 1].name;
        let last_issue = (n_issues - 1) as f64;
        let last_body = (n_bodies - 1) as f64;
        assert_eq!(at(&format!("progress_{issue}")), 1000.0 + last_issue);
        assert_eq!(at(&format!("time_to_solve_{issue}")), 2000.0 + last_issue);
        assert_eq!(at(&format!("deadlock_{body}")), 3000.0 + last_body);
        assert_eq!(at(&format!("participation_{issue}")), 4000.0 + last_issue);
        assert_eq!(at(&format!("two_tier_{body}")), 5000.0 + last_body);
    }

    #[test]
    fn the_core_tick_columns_are_the_scalar_ones() {
        assert!(TickMetrics::is_core_column("legitimacy"));
        assert!(TickMetrics::is_core_column("coalitions"));
        assert!(!TickMetrics::is_core_column("progress"));
        assert!(!TickMetrics::is_core_column("energy"));
    }
}
