//! EDGE OUT: a run told in plain words. A [`Recorder`] is an [`Observer`] that keeps
//! owned copies of the core's [`Event`]s; [`sentence`] turns one into a line such as
//! "tick 12: Estonia founds a climate coalition with Finland and Singapore".
//! `minilat watch` (the live view's event log) and `minilat story` ([`story`], the
//! Markdown narrative) both read them, so they tell the same run the same way, and
//! both name each coalition through [`Names`] (one name for its whole life, with its
//! current leader once leadership passed).

mod names;
pub mod story;

pub use names::{CoalitionName, Names, Succession, coalition_name, ordinal_number, ordinal_word};

use crate::metrics::{Event, Observer, OwnedEvent, TickMetrics};
use crate::model::ids::{BodyId, IssueId, StateId};
use crate::model::venue::{Coalition, CoalitionKind, EndReason, MergePart};
use crate::scenario::{BehaviourRule, Scenario};

/// One recorded event.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The tick it happened in.
    pub tick: u32,
    /// What happened, copied.
    pub event: OwnedEvent,
}

impl Recorded {
    /// What happened.
    pub fn event(&self) -> Event<'_> {
        self.event.borrowed()
    }
}

/// Records every event of a run (and, if asked, every tick's metrics). A merger of
/// alliances takes the place of the founding it follows (the same coalition, in the
/// same tick): it is told as that founding, "A and B merge into ...".
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// Events in the order they happened.
    pub events: Vec<Recorded>,
    /// Metrics of each recorded tick.
    pub ticks: Vec<TickMetrics>,
}

impl Observer for Recorder {
    fn on_tick(&mut self, metrics: &TickMetrics) {
        self.ticks.push(metrics.clone());
    }

    fn on_event(&mut self, tick: u32, event: &Event<'_>) {
        let event = event.owned();
        if let OwnedEvent::AlliancesMerged { alliance, .. } = &event {
            let founding = self.events.iter_mut().rev().find(|e| {
                matches!(&e.event, OwnedEvent::CoalitionFounded { coalition }
                    if coalition.serial == alliance.serial)
            });
            if let Some(founding) = founding {
                founding.event = event;
                return;
            }
        }
        self.events.push(Recorded { tick, event });
    }
}

/// A state's name.
pub fn state_name(scenario: &Scenario, s: StateId) -> &str {
    &scenario.states[s.index()].name
}

/// "A", "A and B", "A, B and C"; more than `max` names end in "and N others".
pub fn list_names(scenario: &Scenario, states: &[StateId], max: usize) -> String {
    let names: Vec<&str> = states.iter().map(|&s| state_name(scenario, s)).collect();
    let (shown, rest) = if names.len() > max {
        (&names[..max], names.len() - max)
    } else {
        (&names[..], 0)
    };
    let mut parts: Vec<String> = shown.iter().map(|s| s.to_string()).collect();
    match rest {
        0 => {}
        1 => parts.push("1 other".to_string()),
        n => parts.push(format!("{n} others")),
    }
    match parts.len() {
        0 => String::new(),
        1 => parts.remove(0),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
}

/// Why a coalition ended, in words.
pub fn end_reason(reason: EndReason) -> &'static str {
    match reason {
        EndReason::TooSmall => "too few members were left",
        EndReason::GoalMet => "it reached its goal",
        EndReason::Deadline => "its deadline passed",
        EndReason::Hazard => "it drifted apart (members lost interest)",
        EndReason::IssueSolved => "its problem was solved",
        EndReason::RunEnded => "the run ended",
        EndReason::Merged => "it merged into a larger alliance",
    }
}

/// A failed vote: "`vetoed` by X and Y" if veto holders rejected it, else "`fails`:
/// n of its members reject it" (or, none rejecting, too many abstained for the votes
/// it needed).
fn failed_vote(
    scenario: &Scenario,
    fails: String,
    vetoed: String,
    rejected_by: &[StateId],
    vetoed_by: &[StateId],
) -> String {
    if !vetoed_by.is_empty() {
        return format!("{vetoed} by {}", list_names(scenario, vetoed_by, 4));
    }
    match rejected_by.len() {
        0 => format!("{fails}: too few of its members vote for it (the others abstain)"),
        1 => format!("{fails}: 1 of its members rejects it"),
        n => format!("{fails}: {n} of its members reject it"),
    }
}

/// The event as one line of plain words, without the tick, or `None` for events too
/// frequent to tell one by one (a coalition's routine votes, refusals). Coalitions are
/// named by `names` as told so far (call [`Names::note`] after, or use
/// [`Names::tell`], which does both).
pub fn sentence(scenario: &Scenario, names: &Names, event: &Event<'_>) -> Option<String> {
    let issue = |k: IssueId| scenario.issues[k.index()].name.as_str();
    let body = |b: BodyId| scenario.bodies[b.index()].name.as_str();
    Some(match *event {
        Event::CrisisStarted { issue: k } => format!(
            "a {} crisis breaks out: every state cares more about {} for a while",
            issue(k),
            issue(k)
        ),
        Event::BodyVote {
            body: b,
            issue: k,
            depth,
            adopted: true,
            ..
        } => format!(
            "the {} adopts a {} measure (ambition {depth:.2})",
            body(b),
            issue(k)
        ),
        Event::BodyVote {
            body: b,
            issue: k,
            vetoed_by,
            rejected_by,
            ..
        } => failed_vote(
            scenario,
            format!("the {}'s {} proposal fails", body(b), issue(k)),
            format!("the {}'s {} resolution is vetoed", body(b), issue(k)),
            rejected_by,
            vetoed_by,
        ),
        Event::Endorsement {
            body: b,
            issue: k,
            adopted: true,
            ..
        } => format!(
            "the {} takes up a coalition's {} measure (a building block)",
            body(b),
            issue(k)
        ),
        Event::Endorsement {
            body: b,
            issue: k,
            vetoed_by,
            rejected_by,
            ..
        } => failed_vote(
            scenario,
            format!(
                "the {} declines to take up a coalition's {} measure",
                body(b),
                issue(k)
            ),
            format!(
                "the {}'s vote to take up a coalition's {} measure is vetoed",
                body(b),
                issue(k)
            ),
            rejected_by,
            vetoed_by,
        ),
        Event::IssueSolved { issue: k } => format!("{} is solved", issue(k)),
        Event::Authorisation {
            body: b,
            issue: k,
            founder,
            granted: true,
            ..
        } => format!(
            "the {} grants {}'s request for an enhanced cooperation on {}",
            body(b),
            state_name(scenario, founder),
            issue(k)
        ),
        Event::Authorisation {
            body: b,
            issue: k,
            founder,
            rejected_by,
            ..
        } => {
            let n = rejected_by.len();
            format!(
                "the {} refuses {}'s request for an enhanced cooperation on {}: {n} of its members {} it",
                body(b),
                state_name(scenario, founder),
                issue(k),
                if n == 1 { "rejects" } else { "reject" }
            )
        }
        Event::BodyExit {
            body: b,
            state,
            returned: true,
            ..
        } => format!("{} returns to the {}", state_name(scenario, state), body(b)),
        Event::BodyExit {
            body: b,
            state,
            failures,
            ..
        } => format!(
            "{} withdraws from the {} after {failures} failed turns in a row on what it wanted",
            state_name(scenario, state),
            body(b)
        ),
        Event::SeatsRenewed {
            body: b,
            seated,
            unseated,
        } => {
            let took = if seated.len() == 1 {
                "takes its seat"
            } else {
                "take their seats"
            };
            let mut words = format!(
                "{} {took} on the {}",
                list_names(scenario, seated, 10),
                body(b)
            );
            if seated.is_empty() {
                words = format!("no member takes a vacant seat on the {}", body(b));
            }
            if !unseated.is_empty() {
                words.push_str(&format!(
                    "; {} {} it",
                    list_names(scenario, unseated, 10),
                    if unseated.len() == 1 {
                        "leaves"
                    } else {
                        "leave"
                    }
                ));
            }
            words
        }
        Event::CoalitionFounded { coalition } => founding(scenario, names, coalition, None),
        Event::AlliancesMerged { alliance, parts } => {
            founding(scenario, names, alliance, Some(parts))
        }
        Event::Joined { state, coalition } => {
            let name = names.name(scenario, coalition);
            let note = format!("{} members now", coalition.members.len());
            if names.founder(coalition) == state {
                // A founder that left and comes back: not "X joins the coalition of X".
                let own = name.as_founders_with_note(&note);
                format!("{} rejoins {own}", state_name(scenario, state))
            } else {
                format!(
                    "{} joins {}",
                    state_name(scenario, state),
                    name.with_note(&note)
                )
            }
        }
        Event::Left {
            state,
            coalition,
            at_capacity,
            ..
        } => {
            // Why a state leaves depends on the rule that made it leave.
            let why = match scenario.behaviour.rule {
                BehaviourRule::Utility if at_capacity => {
                    "over bandwidth: it had no room for anything better"
                }
                rule => rule.facts().departure,
            };
            let name = names.name(scenario, coalition);
            let which = if names.founder(coalition) == state {
                name.as_founders()
            } else if names.leader(coalition.serial) == Some(state) {
                name.as_leaders()
            } else {
                name.to_string()
            };
            format!("{} leaves {which}: {why}", state_name(scenario, state))
        }
        // A merger is told as the founding of the alliance it made.
        Event::CoalitionEnded {
            reason: EndReason::RunEnded | EndReason::Merged,
            ..
        } => return None,
        Event::CoalitionEnded {
            coalition, reason, ..
        } => format!(
            "{} dissolves: {}",
            names.name(scenario, coalition),
            end_reason(reason)
        ),
        Event::CoalitionVote { .. } | Event::Refused { .. } => return None,
    })
}

/// A founding in words: by a founder with partners, or (`merged`) by a merger of two
/// alliances. A founder's later coalition on the same issue says which it is ("its
/// second climate coalition"), as its name will.
fn founding(
    scenario: &Scenario,
    names: &Names,
    c: &Coalition,
    merged: Option<[MergePart; 2]>,
) -> String {
    let kind = match c.kind {
        CoalitionKind::Bloc => "bloc",
        CoalitionKind::Issue => "issue-based",
    };
    let led = if c.great_power_led {
        "great-power-led"
    } else {
        "a microlateral"
    };
    let name = scenario.issues[c.issue.index()].name.as_str();
    let founder = state_name(scenario, c.founder());
    let leader = state_name(scenario, c.leader);
    let members = &c.members;
    // "a climate coalition", "a second climate coalition"
    let (a, its) = match names.ordinal(c) {
        1 => (
            format!("{} {name}", article(name)),
            format!("{} {name}", article(name)),
        ),
        n => (
            format!("a {} {name}", ordinal_word(n)),
            format!("its {} {name}", ordinal_word(n)),
        ),
    };
    match merged {
        None => format!(
            "{founder} founds {its} coalition with {} ({kind}, {led})",
            list_names(scenario, &members[1..], 5)
        ),
        Some([MergePart::State(x), MergePart::State(y)]) => format!(
            "{} and {} ally: {a} coalition led by {leader} ({kind}, {led})",
            state_name(scenario, x),
            state_name(scenario, y),
        ),
        Some([x, y]) => {
            let part = |p: &MergePart| match *p {
                MergePart::State(s) => state_name(scenario, s).to_owned(),
                MergePart::Alliance {
                    serial,
                    founder,
                    size,
                } => names
                    .name_of(scenario, serial)
                    .unwrap_or_else(|| coalition_name(scenario, c.issue, founder, 1, founder))
                    .with_note(&format!("{size} members")),
            };
            // Members named while a reader can take them in.
            let who = if members.len() <= 6 {
                format!(": {}", list_names(scenario, members, 6))
            } else {
                String::new()
            };
            format!(
                "{} and {} merge into {a} coalition of {} led by {leader} \
                 ({kind}, {led}){who}",
                part(&x),
                part(&y),
                members.len(),
            )
        }
    }
}

/// "a" or "an" before `word` (by its first letter: good enough for issue names).
fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// Four states A, B, C, D (A a great power) on one issue, trade, and a council: the
/// scenario of this module's tests and those of its parts.
#[cfg(test)]
fn four_states() -> Scenario {
    let text = r#"[scenario]
name = "n"
ticks = 60
[world]
capabilities = ["gdp"]
great_powers = ["A"]
[defaults]
salience = 0.8
position = 0.5
[[states]]
name = "A"
capabilities = { gdp = 4.0 }
[[states]]
name = "B"
capabilities = { gdp = 2.0 }
[[states]]
name = "C"
capabilities = { gdp = 1.0 }
[[states]]
name = "D"
capabilities = { gdp = 1.0 }
[[issues]]
name = "trade"
capability = "gdp"
shock_rate = 0.05
[[bodies]]
name = "Council"
members = "all"
rule = "veto"
veto = ["A"]
delay = 3
[behaviour]
review_rate = 0.5
"#;
    Scenario::from_toml(text, "n.toml", std::path::Path::new("."), &[])
        .unwrap()
        .scenario
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{RunKey, Simulation};
    use std::path::Path;

    fn scenario() -> Scenario {
        super::four_states()
    }

    #[test]
    fn names_are_listed_in_plain_english() {
        let s = scenario();
        let ids: Vec<StateId> = (0..4).map(StateId).collect();
        assert_eq!(list_names(&s, &ids[..1], 3), "A");
        assert_eq!(list_names(&s, &ids[..2], 3), "A and B");
        assert_eq!(list_names(&s, &ids, 3), "A, B, C and 1 other");
        assert_eq!(list_names(&s, &ids[..3], 3), "A, B and C");
    }

    #[test]
    fn a_recorded_run_tells_founding_votes_and_ends() {
        let s = scenario();
        let mut rec = Recorder::default();
        let mut sim = Simulation::new(&s, RunKey::default());
        while !sim.done() {
            sim.step(&mut rec);
        }
        sim.finish(&mut rec);
        assert_eq!(rec.ticks.len(), 60);
        let mut names = Names::default();
        names.foresee(&rec.events);
        let lines: Vec<String> = rec
            .events
            .iter()
            .flat_map(|e| {
                let (a, b) = names.tell(&s, e.tick, &e.event());
                a.into_iter().chain(b)
            })
            .collect();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("founds a trade coalition with")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("the Council")),
            "{lines:#?}"
        );
        // Every founded coalition ends exactly once (dissolved or at the run's end).
        let founded = rec
            .events
            .iter()
            .filter(|e| matches!(e.event, OwnedEvent::CoalitionFounded { .. }))
            .count();
        let ended = rec
            .events
            .iter()
            .filter(|e| matches!(e.event, OwnedEvent::CoalitionEnded { .. }))
            .count();
        assert_eq!(founded, ended);
        // Events come in tick order.
        assert!(rec.events.windows(2).all(|w| w[0].tick <= w[1].tick));
    }

    #[test]
    fn departures_are_told_in_the_terms_of_the_rule_that_caused_them() {
        // Under landscape, every departure is a move to the other side.
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/g20-sanctions-landscape.toml");
        let s = Scenario::from_path(&path, &[]).unwrap().scenario;
        assert_eq!(s.behaviour.rule, BehaviourRule::Landscape);
        let mut rec = Recorder::default();
        let mut sim = Simulation::new(&s, RunKey::default());
        while !sim.done() {
            sim.step(&mut rec);
        }
        let mut names = Names::default();
        let lines: Vec<String> = rec
            .events
            .iter()
            .filter_map(|e| {
                let told = sentence(&s, &names, &e.event());
                names.note(e.tick, &e.event());
                told.filter(|_| matches!(e.event, OwnedEvent::Left { .. }))
            })
            .collect();
        assert!(!lines.is_empty(), "no departures");
        assert!(
            lines
                .iter()
                .all(|l| l.ends_with("it is less frustrated on the other side")),
            "{lines:#?}"
        );
        assert_eq!(article("alignment"), "an");
        assert_eq!(article("trade"), "a");
    }
}
