//! One name per coalition for its whole life, the same in `minilat watch` and
//! `minilat story`: its issue and its founder (the leader at `CoalitionFounded`),
//! "the climate coalition of China". A founder's later coalitions on the same issue
//! take an ordinal, "the second climate coalition of China", so no two coalitions of a
//! run share a name. Leadership can pass (`act::membership`): while the current leader
//! is not the founder, the name carries it, "the climate coalition of China (now led
//! by India)", and the change itself is told once, "leadership of the climate
//! coalition of China passes to India".
//!
//! [`coalition_name`] is the one naming function; [`Names`] reads a run's events in
//! order and keeps, per coalition serial, what it needs (issue, founder, ordinal and
//! the leader last told), so each reader names a coalition from what it has seen.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{Recorded, state_name};
use crate::metrics::Event;
use crate::model::ids::{IssueId, StateId};
use crate::model::venue::{Coalition, EndReason};
use crate::scenario::Scenario;

/// A coalition's name: "the climate coalition of China (now led by India)".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoalitionName {
    /// Which of its founder's coalitions on its issue it is (1, 2, ...).
    pub ordinal: u32,
    /// The issue's name.
    pub issue: String,
    /// The founder's name.
    pub founder: String,
    /// The current leader's name when it is not the founder.
    pub now_led_by: Option<String>,
}

impl CoalitionName {
    /// The stable part, without the article: "climate coalition of China", "second
    /// climate coalition of China".
    pub fn title(&self) -> String {
        format!(
            "{}{} coalition of {}",
            self.which(),
            self.issue,
            self.founder
        )
    }

    /// "" for a founder's first coalition on the issue, else "second ", "third ", ...
    fn which(&self) -> String {
        match self.ordinal {
            0 | 1 => String::new(),
            n => format!("{} ", ordinal_word(n)),
        }
    }

    /// The founder as a table shows it under "coalition of": "China", "China (2nd)".
    pub fn founder_cell(&self) -> String {
        match self.ordinal {
            0 | 1 => self.founder.clone(),
            n => format!("{} ({})", self.founder, ordinal_number(n)),
        }
    }

    /// The name with a note in its parentheses: "the climate coalition of China (now
    /// led by India; 4 members)", or "the climate coalition of China (4 members)" (one
    /// pair of parentheses, never two).
    pub fn with_note(&self, note: &str) -> String {
        match &self.now_led_by {
            Some(l) => format!("the {} (now led by {l}; {note})", self.title()),
            None => format!("the {} ({note})", self.title()),
        }
    }

    /// The founder's name for it with a note: "the climate coalition it founded (now
    /// led by India; 4 members)", for a founder that rejoins.
    pub fn as_founders_with_note(&self, note: &str) -> String {
        let own = format!("the {}{} coalition it founded", self.which(), self.issue);
        match &self.now_led_by {
            Some(l) => format!("{own} (now led by {l}; {note})"),
            None => format!("{own} ({note})"),
        }
    }

    /// The name as its founder's: "the second climate coalition it founded", with
    /// "(now led by India)" as in [`fmt::Display`].
    pub fn as_founders(&self) -> String {
        let mut s = format!("the {}{} coalition it founded", self.which(), self.issue);
        if let Some(l) = &self.now_led_by {
            s.push_str(&format!(" (now led by {l})"));
        }
        s
    }
}

impl CoalitionName {
    /// The name as its departing leader's (not its founder): "the climate coalition of
    /// France, which it led" (the leader is the subject, so not named twice).
    pub fn as_leaders(&self) -> String {
        format!("the {}, which it led", self.title())
    }
}

impl fmt::Display for CoalitionName {
    /// "the climate coalition of China", "... (now led by India)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {}", self.title())?;
        if let Some(l) = &self.now_led_by {
            write!(f, " (now led by {l})")?;
        }
        Ok(())
    }
}

/// The name of the `ordinal`-th coalition (1, 2, ...) that `founder` founded on
/// `issue`, now led by `leader`.
pub fn coalition_name(
    s: &Scenario,
    issue: IssueId,
    founder: StateId,
    ordinal: u32,
    leader: StateId,
) -> CoalitionName {
    CoalitionName {
        ordinal: ordinal.max(1),
        issue: s.issues[issue.index()].name.clone(),
        founder: state_name(s, founder).to_string(),
        now_led_by: (leader != founder).then(|| state_name(s, leader).to_string()),
    }
}

/// "second", ..., "tenth", then "11th", "12th", "21st" (an ordinal as a teacher writes
/// it: words while short).
pub fn ordinal_word(n: u32) -> String {
    const WORDS: [&str; 11] = [
        "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    match WORDS.get(n as usize).filter(|w| !w.is_empty()) {
        Some(w) => (*w).to_string(),
        None => ordinal_number(n),
    }
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st".
pub fn ordinal_number(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// What [`Names`] keeps of one coalition.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Known {
    issue: IssueId,
    founder: StateId,
    /// Which of its founder's coalitions on its issue it is (1, 2, ...).
    ordinal: u32,
    /// Its leader as last told.
    leader: StateId,
}

/// A change of leader seen between two events of one coalition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Succession {
    /// The coalition's serial.
    pub serial: u32,
    /// The leader told before.
    pub from: StateId,
    /// The leader now.
    pub to: StateId,
}

/// The names of a run's coalitions, kept as its events are read in order
/// ([`Names::note`] after telling each event).
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Per serial.
    known: BTreeMap<u32, Known>,
    /// Coalitions founded so far per (founder, issue).
    founded: BTreeMap<(StateId, IssueId), u32>,
    /// (tick, serial) of coalitions dissolved (not at the run's end) among the events
    /// given to [`Names::foresee`].
    dissolving: BTreeSet<(u32, u32)>,
}

impl Names {
    /// Reads ahead in `events` (the whole run, or the tick about to be told) which
    /// coalitions dissolve in which tick: a leader's departure that leaves a coalition
    /// to dissolve in the same tick is not a succession worth telling ("leadership
    /// passes to India" right before "dissolves: too few members were left"), so
    /// [`Names::note`] ignores it and the coalition keeps its name to the end.
    /// Replaces what an earlier call read.
    pub fn foresee(&mut self, events: &[Recorded]) {
        self.dissolving = events
            .iter()
            .filter_map(|e| match e.event() {
                Event::CoalitionEnded {
                    coalition, reason, ..
                } if reason != EndReason::RunEnded => Some((e.tick, coalition.serial)),
                _ => None,
            })
            .collect();
    }

    /// Whether coalition `serial` dissolves (not at the run's end) at `tick`, among
    /// the events last foreseen.
    pub fn dissolves(&self, tick: u32, serial: u32) -> bool {
        self.dissolving.contains(&(tick, serial))
    }

    /// The name of `c` as told so far (a coalition not yet noted: as its founding will
    /// name it, with `c.leader` as founder).
    pub fn name(&self, s: &Scenario, c: &Coalition) -> CoalitionName {
        match self.known.get(&c.serial) {
            Some(k) => coalition_name(s, k.issue, k.founder, k.ordinal, k.leader),
            None => coalition_name(s, c.issue, c.founder(), self.next_ordinal(c), c.leader),
        }
    }

    /// The name of the coalition with serial `serial`, if it was noted.
    pub fn name_of(&self, s: &Scenario, serial: u32) -> Option<CoalitionName> {
        let k = self.known.get(&serial)?;
        Some(coalition_name(s, k.issue, k.founder, k.ordinal, k.leader))
    }

    /// Which of its founder's coalitions on its issue `c` is (1, 2, ...).
    pub fn ordinal(&self, c: &Coalition) -> u32 {
        self.known
            .get(&c.serial)
            .map_or_else(|| self.next_ordinal(c), |k| k.ordinal)
    }

    /// The leader of serial `serial` as last told.
    pub fn leader(&self, serial: u32) -> Option<StateId> {
        self.known.get(&serial).map(|k| k.leader)
    }

    /// The founder of `c` (as noted, else its leader now).
    pub fn founder(&self, c: &Coalition) -> StateId {
        self.known.get(&c.serial).map_or(c.founder(), |k| k.founder)
    }

    fn next_ordinal(&self, c: &Coalition) -> u32 {
        self.founded
            .get(&(c.founder(), c.issue))
            .copied()
            .unwrap_or(0)
            + 1
    }

    /// Notes `event` of tick `tick` (after telling it): a founding names a coalition;
    /// any other event of a coalition whose leader differs from the one last told
    /// returns the [`Succession`] (once), unless the coalition dissolves in this tick.
    pub fn note(&mut self, tick: u32, event: &Event<'_>) -> Option<Succession> {
        let c: &Coalition = match *event {
            // A founder that invited heavier partners hands them the lead at once
            // (`act::membership`): told right after the founding.
            Event::CoalitionFounded { coalition } => {
                self.register(coalition, coalition.founder(), coalition.founder());
                coalition
            }
            Event::AlliancesMerged {
                alliance: coalition,
                ..
            } => {
                self.register(coalition, coalition.leader, coalition.leader);
                return None;
            }
            Event::CoalitionVote { coalition, .. }
            | Event::Joined { coalition, .. }
            | Event::Refused { coalition, .. }
            | Event::Left { coalition, .. }
            | Event::CoalitionEnded { coalition, .. } => coalition,
            Event::CrisisStarted { .. }
            | Event::BodyVote { .. }
            | Event::Endorsement { .. }
            | Event::IssueSolved { .. }
            | Event::SeatsRenewed { .. }
            | Event::Authorisation { .. }
            | Event::BodyExit { .. } => return None,
        };
        if !self.known.contains_key(&c.serial) {
            // Not seen founded (a reader that started late): named as it is now.
            self.register(c, c.founder(), c.leader);
            return None;
        }
        if self.dissolves(tick, c.serial) {
            return None;
        }
        let k = self.known.get_mut(&c.serial)?;
        (k.leader != c.leader).then(|| {
            let from = std::mem::replace(&mut k.leader, c.leader);
            Succession {
                serial: c.serial,
                from,
                to: c.leader,
            }
        })
    }

    fn register(&mut self, c: &Coalition, founder: StateId, leader: StateId) {
        if self.known.contains_key(&c.serial) {
            return;
        }
        let n = self.founded.entry((founder, c.issue)).or_insert(0);
        *n += 1;
        self.known.insert(
            c.serial,
            Known {
                issue: c.issue,
                founder,
                ordinal: *n,
                leader,
            },
        );
    }

    /// "leadership of the climate coalition of China passes to India" ("from India to
    /// Brazil" when it passes again).
    pub fn succession(&self, s: &Scenario, x: &Succession) -> String {
        let Some(k) = self.known.get(&x.serial) else {
            return format!(
                "leadership of a coalition passes to {}",
                state_name(s, x.to)
            );
        };
        let base = coalition_name(s, k.issue, k.founder, k.ordinal, k.founder);
        let from = if x.from == k.founder {
            String::new()
        } else {
            format!(" from {}", state_name(s, x.from))
        };
        format!(
            "leadership of {base} passes{from} to {}",
            state_name(s, x.to)
        )
    }

    /// Tells `event` of tick `tick` in the words of [`super::sentence`], then notes
    /// it: its sentence (if told one by one) and, if it showed a new leader, the
    /// succession.
    pub fn tell(
        &mut self,
        s: &Scenario,
        tick: u32,
        event: &Event<'_>,
    ) -> (Option<String>, Option<String>) {
        let sentence = super::sentence(s, self, event);
        let succession = self.note(tick, event).map(|x| self.succession(s, &x));
        (sentence, succession)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::venue::EndReason;
    use crate::narrate::four_states as scenario;

    // States of the test scenario: A (0), B (1), C (2), D (3); issue trade (0).
    const A: StateId = StateId(0);
    const B: StateId = StateId(1);
    const C: StateId = StateId(2);
    const D: StateId = StateId(3);

    /// Coalition `serial` on trade, led by `leader`, with `members`.
    fn co(serial: u32, leader: StateId, members: &[StateId]) -> Coalition {
        let mut c = Coalition::empty();
        c.serial = serial;
        c.issue = IssueId(0);
        c.leader = leader;
        c.members = members.to_vec();
        c.ever = members.to_vec();
        c.active = true;
        c
    }

    /// Every line `names` tells of `events` (tick, event), in order.
    fn tell_all(names: &mut Names, events: &[(u32, Event<'_>)]) -> Vec<String> {
        let s = scenario();
        events
            .iter()
            .flat_map(|(t, e)| {
                let (a, b) = names.tell(&s, *t, e);
                a.into_iter().chain(b)
            })
            .collect()
    }

    #[test]
    fn names_read_as_a_teacher_writes_them() {
        let s = scenario();
        let name = coalition_name(&s, IssueId(0), A, 1, A);
        assert_eq!(name.to_string(), "the trade coalition of A");
        assert_eq!(
            name.with_note("3 members"),
            "the trade coalition of A (3 members)"
        );
        assert_eq!(name.as_founders(), "the trade coalition it founded");
        assert_eq!(
            name.as_founders_with_note("3 members now"),
            "the trade coalition it founded (3 members now)"
        );
        let name = coalition_name(&s, IssueId(0), A, 2, C);
        assert_eq!(name.title(), "second trade coalition of A");
        assert_eq!(
            name.to_string(),
            "the second trade coalition of A (now led by C)"
        );
        assert_eq!(
            name.with_note("3 of 4"),
            "the second trade coalition of A (now led by C; 3 of 4)"
        );
        assert_eq!(
            name.as_founders(),
            "the second trade coalition it founded (now led by C)"
        );
        let got: Vec<String> = [2, 3, 10, 11, 12, 13, 21, 22, 23, 101]
            .into_iter()
            .map(ordinal_word)
            .collect();
        assert_eq!(
            got,
            [
                "second", "third", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st"
            ]
        );
    }

    #[test]
    fn a_name_is_stable_across_events_and_shows_a_new_leader_only_after_a_change() {
        let s = scenario();
        let mut names = Names::default();
        let founded = co(0, A, &[A, B]);
        let joined = co(0, A, &[A, B, C]);
        // A leaves: the lead passes to C.
        let left = co(0, C, &[B, C]);
        let voted = co(0, C, &[B, C]);
        let lines = tell_all(
            &mut names,
            &[
                (
                    1,
                    Event::CoalitionFounded {
                        coalition: &founded,
                    },
                ),
                (
                    2,
                    Event::Joined {
                        state: C,
                        coalition: &joined,
                    },
                ),
                (
                    3,
                    Event::CoalitionVote {
                        coalition: &joined,
                        depth: 0.5,
                        adopted: true,
                    },
                ),
            ],
        );
        assert_eq!(
            lines,
            [
                "A founds a trade coalition with B (issue-based, a microlateral)",
                "C joins the trade coalition of A (3 members now)",
            ]
        );
        // No change of leader yet: no suffix, no succession.
        assert_eq!(
            names.name(&s, &joined).to_string(),
            "the trade coalition of A"
        );
        let lines = tell_all(
            &mut names,
            &[
                (
                    4,
                    Event::Left {
                        state: A,
                        coalition: &left,
                        value: -1.0,
                        at_capacity: false,
                    },
                ),
                (
                    5,
                    Event::CoalitionVote {
                        coalition: &voted,
                        depth: 0.5,
                        adopted: true,
                    },
                ),
                (
                    6,
                    Event::Joined {
                        state: D,
                        coalition: &co(0, C, &[B, C, D]),
                    },
                ),
            ],
        );
        // The departure is told under the name as it stood, the succession once, and
        // from then on the name carries the new leader.
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert!(
            lines[0].starts_with("A leaves the trade coalition it founded: "),
            "{lines:#?}"
        );
        assert_eq!(
            lines[1],
            "leadership of the trade coalition of A passes to C"
        );
        assert_eq!(
            lines[2],
            "D joins the trade coalition of A (now led by C; 3 members now)"
        );
        assert_eq!(names.leader(0), Some(C));
        // Passing again says from whom.
        let lines = tell_all(
            &mut names,
            &[(
                7,
                Event::Left {
                    state: C,
                    coalition: &co(0, B, &[B, D]),
                    value: -1.0,
                    at_capacity: false,
                },
            )],
        );
        assert_eq!(
            lines[1],
            "leadership of the trade coalition of A passes from C to B"
        );
    }

    #[test]
    fn a_founders_second_coalition_on_the_same_issue_is_told_apart() {
        let s = scenario();
        let mut names = Names::default();
        let first = co(0, A, &[A, B]);
        let other = co(1, B, &[B, C]);
        let second = co(2, A, &[A, D]);
        let lines = tell_all(
            &mut names,
            &[
                (1, Event::CoalitionFounded { coalition: &first }),
                (
                    2,
                    Event::CoalitionEnded {
                        coalition: &first,
                        ended: 2,
                        reason: EndReason::Hazard,
                    },
                ),
                (3, Event::CoalitionFounded { coalition: &other }),
                (4, Event::CoalitionFounded { coalition: &second }),
                (
                    5,
                    Event::CoalitionEnded {
                        coalition: &second,
                        ended: 5,
                        reason: EndReason::Hazard,
                    },
                ),
            ],
        );
        assert_eq!(
            lines[3],
            "A founds its second trade coalition with D (issue-based, a microlateral)"
        );
        assert_eq!(
            lines[4],
            "the second trade coalition of A dissolves: it drifted apart (members lost interest)"
        );
        // Each keeps its own name; B's first is not A's.
        assert_eq!(
            names.name(&s, &first).to_string(),
            "the trade coalition of A"
        );
        assert_eq!(
            names.name(&s, &other).to_string(),
            "the trade coalition of B"
        );
        assert_eq!(
            names.name_of(&s, 2).map(|n| n.title()).as_deref(),
            Some("second trade coalition of A")
        );
    }

    #[test]
    fn a_leader_leaving_a_coalition_that_dissolves_in_the_same_tick_is_no_succession() {
        let s = scenario();
        let founded = co(0, A, &[A, B]);
        let left = co(0, B, &[B]);
        let events = [
            Recorded {
                tick: 1,
                event: Event::CoalitionFounded {
                    coalition: &founded,
                }
                .owned(),
            },
            Recorded {
                tick: 4,
                event: Event::Left {
                    state: A,
                    coalition: &left,
                    value: -1.0,
                    at_capacity: false,
                }
                .owned(),
            },
            Recorded {
                tick: 4,
                event: Event::CoalitionEnded {
                    coalition: &left,
                    ended: 4,
                    reason: EndReason::TooSmall,
                }
                .owned(),
            },
        ];
        let mut names = Names::default();
        names.foresee(&events);
        let lines: Vec<String> = events
            .iter()
            .flat_map(|e| {
                let (a, b) = names.tell(&s, e.tick, &e.event());
                a.into_iter().chain(b)
            })
            .collect();
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert_eq!(
            lines[2],
            "the trade coalition of A dissolves: too few members were left"
        );
    }
}
