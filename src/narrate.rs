//! EDGE OUT: a run told in plain words. A [`Recorder`] is an [`Observer`] that copies the
//! core's [`Event`]s into owned [`Recorded`] values; [`sentence`] turns one into a line
//! such as "tick 12: Estonia founds a climate coalition with Finland and Singapore".
//! `minilat watch` (the live view's event log) and `minilat story` (the Markdown
//! narrative) both read them, so they tell the same run the same way.

use crate::metrics::{Event, Observer, TickMetrics};
use crate::model::ids::{BodyId, IssueId, StateId};
use crate::model::venue::{CoalitionKind, EndReason, MergePart};
use crate::scenario::{BehaviourRule, Scenario};

/// A coalition as events name it: its founding number, issue and current leader.
#[derive(Clone, Debug, PartialEq)]
pub struct CoalitionTag {
    /// Founding number in the run (0, 1, ...).
    pub serial: u32,
    /// Its issue.
    pub issue: IssueId,
    /// Its leader when the event happened.
    pub leader: StateId,
    /// Its founder: coalitions are named after their founder, so a name never changes.
    pub founder: StateId,
}

/// An owned copy of an [`Event`].
#[derive(Clone, Debug, PartialEq)]
pub enum Happening {
    /// A crisis started.
    Crisis {
        /// The issue.
        issue: IssueId,
    },
    /// A body voted.
    BodyVote {
        /// The body.
        body: BodyId,
        /// The issue.
        issue: IssueId,
        /// The proposal's depth.
        depth: f64,
        /// Adopted or not.
        adopted: bool,
        /// Members who rejected.
        rejected: Vec<StateId>,
        /// Veto holders who rejected (vetoes).
        vetoed: Vec<StateId>,
    },
    /// A body took up a coalition measure.
    Endorsement {
        /// The body.
        body: BodyId,
        /// The issue.
        issue: IssueId,
        /// The measure's depth.
        depth: f64,
    },
    /// A coalition voted on its measure.
    CoalitionVote {
        /// The coalition.
        coalition: CoalitionTag,
        /// The depth.
        depth: f64,
        /// Adopted or not.
        adopted: bool,
    },
    /// An issue was solved.
    IssueSolved {
        /// The issue.
        issue: IssueId,
    },
    /// A coalition was founded.
    Founded {
        /// The coalition.
        coalition: CoalitionTag,
        /// Its founding members, founder first.
        members: Vec<StateId>,
        /// Bloc or issue-based.
        kind: CoalitionKind,
        /// Institutionalisation in [0, 1].
        institutionalisation: f64,
        /// Led by a great power (else a microlateral).
        great_power_led: bool,
        /// The two alliances whose merger founded it (the `shapley` rule), else `None`.
        merged: Option<[MergePart; 2]>,
    },
    /// A state joined.
    Joined {
        /// The state.
        state: StateId,
        /// The coalition.
        coalition: CoalitionTag,
        /// Its size after joining.
        size: usize,
    },
    /// A state was refused.
    Refused {
        /// The state.
        state: StateId,
        /// The coalition.
        coalition: CoalitionTag,
    },
    /// A state left.
    Left {
        /// The state.
        state: StateId,
        /// The coalition.
        coalition: CoalitionTag,
        /// Membership's value per tick when it left.
        value: f64,
        /// It had no spare bandwidth.
        at_capacity: bool,
    },
    /// A coalition ended.
    Ended {
        /// The coalition.
        coalition: CoalitionTag,
        /// Why.
        reason: EndReason,
        /// Tick of founding.
        founded: u32,
        /// Progress it produced.
        progress: f64,
        /// Largest size reached.
        peak_size: u32,
        /// Members when it ended.
        members: Vec<StateId>,
    },
}

/// One recorded event.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The tick it happened in.
    pub tick: u32,
    /// What happened.
    pub what: Happening,
}

/// Records every event of a run (and, if asked, every tick's metrics).
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// Events in the order they happened.
    pub events: Vec<Recorded>,
    /// Metrics of each recorded tick.
    pub ticks: Vec<TickMetrics>,
}

fn tag(c: &crate::model::venue::Coalition) -> CoalitionTag {
    CoalitionTag {
        serial: c.serial,
        issue: c.issue,
        leader: c.leader,
        founder: c.ever.first().copied().unwrap_or(c.leader),
    }
}

impl Observer for Recorder {
    fn on_tick(&mut self, metrics: &TickMetrics) {
        self.ticks.push(metrics.clone());
    }

    fn on_event(&mut self, tick: u32, event: &Event<'_>) {
        let what = match *event {
            Event::CrisisStarted { issue } => Happening::Crisis { issue },
            Event::BodyVote {
                body,
                issue,
                depth,
                adopted,
                rejected_by,
                vetoed_by,
            } => Happening::BodyVote {
                body,
                issue,
                depth,
                adopted,
                rejected: rejected_by.to_vec(),
                vetoed: vetoed_by.to_vec(),
            },
            Event::Endorsement { body, issue, depth } => {
                Happening::Endorsement { body, issue, depth }
            }
            Event::CoalitionVote {
                coalition,
                depth,
                adopted,
            } => Happening::CoalitionVote {
                coalition: tag(coalition),
                depth,
                adopted,
            },
            Event::IssueSolved { issue } => Happening::IssueSolved { issue },
            Event::CoalitionFounded { coalition } => Happening::Founded {
                coalition: tag(coalition),
                members: coalition.members.clone(),
                kind: coalition.kind,
                institutionalisation: coalition.institutionalisation,
                great_power_led: coalition.great_power_led,
                merged: None,
            },
            Event::Joined { state, coalition } => Happening::Joined {
                state,
                coalition: tag(coalition),
                size: coalition.members.len(),
            },
            Event::Refused { state, coalition } => Happening::Refused {
                state,
                coalition: tag(coalition),
            },
            Event::Left {
                state,
                coalition,
                value,
                at_capacity,
            } => Happening::Left {
                state,
                coalition: tag(coalition),
                value,
                at_capacity,
            },
            Event::AlliancesMerged { alliance, parts } => {
                // Told as the founding it follows: "A and B merge into ...".
                let founding = self
                    .events
                    .iter_mut()
                    .rev()
                    .find_map(|e| match &mut e.what {
                        Happening::Founded {
                            coalition, merged, ..
                        } if coalition.serial == alliance.serial => Some(merged),
                        _ => None,
                    });
                if let Some(merged) = founding {
                    *merged = Some(parts);
                }
                return;
            }
            Event::CoalitionEnded {
                coalition, reason, ..
            } => Happening::Ended {
                coalition: tag(coalition),
                reason,
                founded: coalition.founded,
                progress: coalition.progress,
                peak_size: coalition.peak_size,
                members: coalition.members.clone(),
            },
        };
        self.events.push(Recorded { tick, what });
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

/// "the climate coalition of Germany" (its founder, so the name never changes).
pub fn coalition_name(scenario: &Scenario, c: &CoalitionTag) -> String {
    format!(
        "the {} coalition of {}",
        scenario.issues[c.issue.index()].name,
        state_name(scenario, c.founder)
    )
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

/// The event as one line of plain words, without the tick, or `None` for events too
/// frequent to tell one by one (a coalition's routine votes, refusals).
pub fn sentence(scenario: &Scenario, what: &Happening) -> Option<String> {
    let issue = |k: IssueId| scenario.issues[k.index()].name.as_str();
    let body = |b: BodyId| scenario.bodies[b.index()].name.as_str();
    Some(match what {
        Happening::Crisis { issue: k } => format!(
            "a {} crisis breaks out: every state cares more about {} for a while",
            issue(*k),
            issue(*k)
        ),
        Happening::BodyVote {
            body: b,
            issue: k,
            depth,
            adopted: true,
            ..
        } => format!(
            "the {} adopts a {} measure (ambition {depth:.2})",
            body(*b),
            issue(*k)
        ),
        Happening::BodyVote {
            body: b,
            issue: k,
            vetoed,
            rejected,
            ..
        } => {
            if vetoed.is_empty() {
                let n = rejected.len();
                format!(
                    "the {}'s {} proposal fails: {n} of its members {} it",
                    body(*b),
                    issue(*k),
                    if n == 1 { "rejects" } else { "reject" }
                )
            } else {
                format!(
                    "the {}'s {} resolution is vetoed by {}",
                    body(*b),
                    issue(*k),
                    list_names(scenario, vetoed, 4)
                )
            }
        }
        Happening::Endorsement {
            body: b, issue: k, ..
        } => format!(
            "the {} takes up a coalition's {} measure (a building block)",
            body(*b),
            issue(*k)
        ),
        Happening::IssueSolved { issue: k } => format!("{} is solved", issue(*k)),
        Happening::Founded {
            coalition,
            members,
            kind,
            great_power_led,
            merged,
            ..
        } => {
            let kind = match kind {
                CoalitionKind::Bloc => "bloc",
                CoalitionKind::Issue => "issue-based",
            };
            let led = if *great_power_led {
                "great-power-led"
            } else {
                "a microlateral"
            };
            let name = issue(coalition.issue);
            let leader = state_name(scenario, coalition.leader);
            match merged {
                None => format!(
                    "{leader} founds {} {name} coalition with {} ({kind}, {led})",
                    article(name),
                    list_names(scenario, &members[1..], 5)
                ),
                Some([MergePart::State(a), MergePart::State(b)]) => format!(
                    "{} and {} ally: {} {name} coalition led by {leader} ({kind}, {led})",
                    state_name(scenario, *a),
                    state_name(scenario, *b),
                    article(name)
                ),
                Some([a, b]) => {
                    let part = |p: &MergePart| match *p {
                        MergePart::State(s) => state_name(scenario, s).to_owned(),
                        MergePart::Alliance { founder, size, .. } => format!(
                            "the {name} coalition of {} ({size} members)",
                            state_name(scenario, founder)
                        ),
                    };
                    // Members named while a reader can take them in.
                    let who = if members.len() <= 6 {
                        format!(": {}", list_names(scenario, members, 6))
                    } else {
                        String::new()
                    };
                    format!(
                        "{} and {} merge into {} {name} coalition of {} led by {leader} \
                         ({kind}, {led}){who}",
                        part(a),
                        part(b),
                        article(name),
                        members.len(),
                    )
                }
            }
        }
        Happening::Joined {
            state,
            coalition,
            size,
        } => format!(
            "{} joins {} ({size} members now)",
            state_name(scenario, *state),
            coalition_name(scenario, coalition)
        ),
        Happening::Left {
            state,
            coalition,
            at_capacity,
            ..
        } => {
            // Why a state leaves depends on the rule that made it leave.
            let why = match scenario.behaviour.rule {
                BehaviourRule::Landscape => "it is less frustrated on the other side",
                BehaviourRule::Stability => "it is better off outside the agreement",
                BehaviourRule::Adaptive => "it has learned to prefer another venue",
                BehaviourRule::Shapley => "it goes its own way",
                BehaviourRule::Utility if *at_capacity => {
                    "over bandwidth: it had no room for anything better"
                }
                BehaviourRule::Utility => "it cost more than it delivered",
            };
            let which = if *state == coalition.founder {
                format!("the {} coalition it founded", issue(coalition.issue))
            } else {
                coalition_name(scenario, coalition)
            };
            format!("{} leaves {which}: {why}", state_name(scenario, *state))
        }
        // A merger is told as the founding of the alliance it made.
        Happening::Ended {
            reason: EndReason::RunEnded | EndReason::Merged,
            ..
        } => return None,
        Happening::Ended {
            coalition, reason, ..
        } => format!(
            "{} dissolves: {}",
            coalition_name(scenario, coalition),
            end_reason(*reason)
        ),
        Happening::CoalitionVote { .. } | Happening::Refused { .. } => return None,
    })
}

/// "a" or "an" before `word` (by its first letter: good enough for issue names).
fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{RunKey, Simulation};
    use std::path::Path;

    fn scenario() -> Scenario {
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
        Scenario::from_toml(text, "n.toml", Path::new("."), &[])
            .unwrap()
            .scenario
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
        let lines: Vec<String> = rec
            .events
            .iter()
            .filter_map(|e| sentence(&s, &e.what))
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
            .filter(|e| matches!(e.what, Happening::Founded { .. }))
            .count();
        let ended = rec
            .events
            .iter()
            .filter(|e| matches!(e.what, Happening::Ended { .. }))
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
        let lines: Vec<String> = rec
            .events
            .iter()
            .filter(|e| matches!(e.what, Happening::Left { .. }))
            .filter_map(|e| sentence(&s, &e.what))
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
