//! What happened → the facts the story tells: a [`Chronicle`] reads the recorded
//! events in order, keeps each coalition's life, each body's streak of failures and
//! each state's spells in coalitions, counts the routine in the stretch's [`Tally`],
//! and says which events are told one by one (in the words of
//! [`crate::narrate::sentence`], with each coalition named by [`Names`], which also tells a
//! change of leader once).

use std::collections::BTreeMap;

use super::words::capitalise;
use crate::metrics::Event;
use crate::model::ids::{IssueId, StateId};
use crate::model::venue::{Coalition, CoalitionKind, EndReason};
use crate::narrate::ordinal_number as ordinal;
use crate::narrate::{Names, Recorded};
use crate::scenario::Scenario;

/// What the story knows about one coalition.
#[derive(Clone, Debug)]
pub(super) struct Life {
    pub(super) serial: u32,
    pub(super) issue: IssueId,
    pub(super) founder: StateId,
    pub(super) founded: u32,
    pub(super) kind: CoalitionKind,
    pub(super) institutionalisation: f64,
    pub(super) great_power_led: bool,
    /// Members now (at the end: when it ended).
    pub(super) members: usize,
    pub(super) peak: u32,
    pub(super) progress: f64,
    /// Tick of the event that ended it and why.
    pub(super) ended: Option<(u32, EndReason)>,
}

impl Life {
    /// Lifetime as in `coalitions.csv`: a dissolution ends the coalition at the next
    /// tick, a coalition still active when the run ends at its end.
    pub(super) fn lifetime(&self, ticks: u32) -> u32 {
        let end = match self.ended {
            None | Some((_, EndReason::RunEnded)) => ticks,
            Some((t, _)) => t + 1,
        };
        end - self.founded
    }
}

/// Counters of a body's consecutive failures, to tell streaks.
#[derive(Clone, Debug, Default)]
pub(super) struct Streak {
    fails: u32,
    vetoes: u32,
    last_vetoers: Vec<StateId>,
}

impl Streak {
    /// Updates the streak with a vote and returns whether to tell it and what to add
    /// to its sentence.
    pub(super) fn vote(&mut self, adopted: bool, vetoed: &[StateId]) -> (bool, String) {
        if adopted {
            let note = if self.fails >= 3 {
                format!(", after {} failed votes in a row", self.fails)
            } else {
                String::new()
            };
            *self = Streak::default();
            return (true, note);
        }
        self.fails += 1;
        let changed = if vetoed.is_empty() {
            self.vetoes = 0;
            false
        } else {
            self.vetoes += 1;
            let changed = self.last_vetoers != vetoed;
            self.last_vetoers = vetoed.to_vec();
            changed
        };
        // The first failure, the first vetoes of a streak, a change of vetoers and
        // every fifth failure in a row; the others are counted.
        let tell = self.fails == 1
            || (1..=3).contains(&self.vetoes)
            || changed
            || self.fails.is_multiple_of(5);
        let note = if self.vetoes >= 2 {
            format!(" ({} veto in a row)", ordinal(self.vetoes))
        } else if self.fails >= 2 {
            format!(" ({} failed vote in a row)", ordinal(self.fails))
        } else {
            String::new()
        };
        (tell, note)
    }
}

/// Per-state coalition spells, for "who was in coalitions longest".
#[derive(Clone, Debug, Default)]
pub(super) struct Spells {
    /// Per state: open spells (coalition serial, start tick).
    open: Vec<Vec<(u32, u32)>>,
    /// Per state: closed spells (start, end).
    closed: Vec<Vec<(u32, u32)>>,
}

impl Spells {
    pub(super) fn new(n: usize) -> Self {
        Spells {
            open: vec![Vec::new(); n],
            closed: vec![Vec::new(); n],
        }
    }

    pub(super) fn enter(&mut self, state: StateId, serial: u32, tick: u32) {
        self.open[state.index()].push((serial, tick));
    }

    pub(super) fn leave(&mut self, state: StateId, serial: u32, tick: u32) {
        let open = &mut self.open[state.index()];
        if let Some(pos) = open.iter().position(|&(c, _)| c == serial) {
            let (_, start) = open.remove(pos);
            self.closed[state.index()].push((start, tick));
        }
    }

    /// Ticks in which the state was in at least one coalition (union of its spells).
    pub(super) fn covered(&self, state: StateId, end: u32) -> u32 {
        let mut spells: Vec<(u32, u32)> = self.closed[state.index()].clone();
        spells.extend(self.open[state.index()].iter().map(|&(_, s)| (s, end)));
        spells.sort_unstable();
        let mut total = 0;
        let mut reach = 0;
        for (a, b) in spells {
            let a = a.max(reach);
            if b > a {
                total += b - a;
                reach = b;
            }
        }
        total
    }
}

/// Counts of one stretch, told at its end.
#[derive(Default)]
pub(super) struct Tally {
    /// Per body: (votes, adopted).
    pub(super) body_votes: Vec<(u32, u32)>,
    /// Per coalition serial: (votes, adopted).
    pub(super) coalition_votes: BTreeMap<u32, (u32, u32)>,
    /// Applicants turned away, with how often.
    pub(super) refused: BTreeMap<StateId, u32>,
    /// States at the limit of their bandwidth that gave up a seat in a coalition that
    /// went on without them, with how often.
    pub(super) gave_up: BTreeMap<StateId, u32>,
    /// In a busy run: joins per coalition serial, and departures, counted.
    pub(super) joined: BTreeMap<u32, u32>,
    pub(super) left: u32,
    /// In a busy run: changes of leader, counted (they follow departures, which are
    /// counted too; the coalitions' names still carry their new leaders).
    pub(super) successions: u32,
}

/// Joins and departures in a run above which they are counted, not told one by one
/// (the classroom scenario has about 50; 195-state scenarios have hundreds).
pub(super) const BUSY: usize = 150;

/// The facts of a whole run, gathered event by event.
pub(super) struct Chronicle {
    /// Joins and departures are counted, not told (more than [`BUSY`] of them).
    pub(super) busy: bool,
    /// Every coalition founded, by serial.
    pub(super) lives: BTreeMap<u32, Life>,
    /// Per body: its current streak of failures.
    streaks: Vec<Streak>,
    /// Per state: its spells in coalitions.
    pub(super) spells: Spells,
    /// Per body: (votes, adopted, endorsements) over the whole run.
    pub(super) body_totals: Vec<(u32, u32, u32)>,
    /// Per body: vetoes per state.
    pub(super) vetoes: Vec<BTreeMap<StateId, u32>>,
    /// Crises: (tick, issue).
    pub(super) crises: Vec<(u32, IssueId)>,
    /// The coalitions' names, as told so far.
    pub(super) names: Names,
}

impl Chronicle {
    /// Nothing noted yet of the run whose events are `events`.
    pub(super) fn new(s: &Scenario, events: &[Recorded]) -> Chronicle {
        let moves = events
            .iter()
            .filter(|e| matches!(e.event(), Event::Joined { .. } | Event::Left { .. }))
            .count();
        let mut names = Names::default();
        names.foresee(events);
        Chronicle {
            busy: moves > BUSY,
            lives: BTreeMap::new(),
            streaks: vec![Streak::default(); s.bodies.len()],
            spells: Spells::new(s.states.len()),
            body_totals: vec![(0, 0, 0); s.bodies.len()],
            vetoes: vec![BTreeMap::new(); s.bodies.len()],
            crises: Vec::new(),
            names,
        }
    }

    /// Notes `event` of tick `tick` (counting the routine in `tally`) and returns its
    /// sentence if it is told one by one, then the change of leader it showed, if any
    /// (told, or in a busy run counted).
    pub(super) fn note(
        &mut self,
        s: &Scenario,
        tally: &mut Tally,
        tick: u32,
        event: &Event<'_>,
    ) -> [Option<String>; 2] {
        let (sentence, mut succession) = self.names.tell(s, tick, event);
        if self.busy && succession.take().is_some() {
            tally.successions += 1;
        }
        [self.sentence(sentence, tally, tick, event), succession]
    }

    /// Notes `event` and returns its `sentence` if it is told one by one.
    fn sentence(
        &mut self,
        sentence: Option<String>,
        tally: &mut Tally,
        tick: u32,
        event: &Event<'_>,
    ) -> Option<String> {
        match *event {
            Event::BodyVote {
                body,
                adopted,
                vetoed_by,
                ..
            } => {
                let b = body.index();
                tally.body_votes[b].0 += 1;
                self.body_totals[b].0 += 1;
                if adopted {
                    tally.body_votes[b].1 += 1;
                    self.body_totals[b].1 += 1;
                }
                for v in vetoed_by {
                    *self.vetoes[b].entry(*v).or_insert(0) += 1;
                }
                let (tell, note) = self.streaks[b].vote(adopted, vetoed_by);
                if tell {
                    sentence.map(|t| t + &note)
                } else {
                    None
                }
            }
            Event::Endorsement {
                body,
                adopted,
                vetoed_by,
                ..
            } => {
                if adopted {
                    self.body_totals[body.index()].2 += 1;
                }
                for v in vetoed_by {
                    *self.vetoes[body.index()].entry(*v).or_insert(0) += 1;
                }
                sentence
            }
            Event::CoalitionVote {
                coalition, adopted, ..
            } => {
                let entry = tally
                    .coalition_votes
                    .entry(coalition.serial)
                    .or_insert((0, 0));
                entry.0 += 1;
                entry.1 += u32::from(adopted);
                None
            }
            Event::Refused { state, .. } => {
                *tally.refused.entry(state).or_insert(0) += 1;
                None
            }
            Event::CrisisStarted { issue } => {
                self.crises.push((tick, issue));
                sentence
            }
            // A merger is told as the founding of the alliance it made.
            Event::CoalitionFounded { coalition }
            | Event::AlliancesMerged {
                alliance: coalition,
                ..
            } => {
                self.founded(coalition, tick);
                sentence
            }
            Event::Joined { state, coalition } => {
                let size = coalition.members.len();
                if let Some(l) = self.lives.get_mut(&coalition.serial) {
                    l.members = size;
                    l.peak = l.peak.max(size as u32);
                }
                self.spells.enter(state, coalition.serial, tick);
                if self.busy {
                    *tally.joined.entry(coalition.serial).or_insert(0) += 1;
                    None
                } else {
                    sentence
                }
            }
            Event::Left {
                state,
                coalition,
                at_capacity,
                ..
            } => {
                if self.left(tally, tick, state, coalition, at_capacity) {
                    sentence
                } else {
                    None
                }
            }
            Event::CoalitionEnded {
                coalition, reason, ..
            } => {
                self.ended(coalition, tick, reason);
                sentence
            }
            Event::IssueSolved { .. } => sentence.map(|t| format!("**{}**", capitalise(&t))),
            Event::SeatsRenewed { .. } | Event::Authorisation { .. } | Event::BodyExit { .. } => {
                sentence
            }
        }
    }

    /// A coalition founded (or made by a merger) in `tick`.
    fn founded(&mut self, coalition: &Coalition, tick: u32) {
        let size = coalition.members.len();
        self.lives.insert(
            coalition.serial,
            Life {
                serial: coalition.serial,
                issue: coalition.issue,
                founder: coalition.founder(),
                founded: tick,
                kind: coalition.kind,
                institutionalisation: coalition.institutionalisation,
                great_power_led: coalition.great_power_led,
                members: size,
                peak: size as u32,
                progress: 0.0,
                ended: None,
            },
        );
        for &m in &coalition.members {
            self.spells.enter(m, coalition.serial, tick);
        }
    }

    /// `state` left `coalition` in `tick`; returns whether the departure is told.
    fn left(
        &mut self,
        tally: &mut Tally,
        tick: u32,
        state: StateId,
        coalition: &Coalition,
        at_capacity: bool,
    ) -> bool {
        let mut founder = false;
        if let Some(l) = self.lives.get_mut(&coalition.serial) {
            l.members = l.members.saturating_sub(1);
            founder = l.founder == state;
        }
        self.spells.leave(state, coalition.serial, tick);
        // A state at its bandwidth giving up one seat of several is routine
        // (counted); a judgement on the coalition, its founder walking out or a
        // departure that ends it is told.
        // A departure that ends the coalition is always told.
        let ends = self.names.dissolves(tick, coalition.serial);
        if self.busy && !ends {
            tally.left += 1;
            false
        } else if at_capacity && !founder && !ends {
            *tally.gave_up.entry(state).or_insert(0) += 1;
            false
        } else {
            true
        }
    }

    /// `coalition` ended in `tick` for `reason`.
    fn ended(&mut self, coalition: &Coalition, tick: u32, reason: EndReason) {
        if let Some(l) = self.lives.get_mut(&coalition.serial) {
            l.members = coalition.members.len();
            l.peak = coalition.peak_size;
            l.progress = coalition.progress;
            l.ended = Some((tick, reason));
        }
        // Members sat in it through the tick it dissolved in.
        let until = if reason == EndReason::RunEnded {
            tick
        } else {
            tick + 1
        };
        for &m in &coalition.members {
            self.spells.leave(m, coalition.serial, until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaks_tell_the_first_failures_changes_and_every_fifth() {
        let (china, russia) = (StateId(1), StateId(2));
        let mut s = Streak::default();
        let mut told = Vec::new();
        for _ in 0..6 {
            told.push(s.vote(false, &[china]));
        }
        told.push(s.vote(false, &[china, russia]));
        told.push(s.vote(false, &[]));
        told.push(s.vote(true, &[]));
        let tell: Vec<bool> = told.iter().map(|t| t.0).collect();
        assert_eq!(
            tell,
            [true, true, true, false, true, false, true, false, true]
        );
        // Failures without vetoes: the first and every fifth.
        let mut g = Streak::default();
        let tell: Vec<bool> = (0..10).map(|_| g.vote(false, &[]).0).collect();
        assert_eq!(
            tell,
            [
                true, false, false, false, true, false, false, false, false, true
            ]
        );
        assert_eq!(told[0].1, "");
        assert_eq!(told[1].1, " (2nd veto in a row)");
        assert_eq!(told[6].1, " (7th veto in a row)");
        assert_eq!(told[7].1, " (8th failed vote in a row)");
        assert_eq!(told[8].1, ", after 8 failed votes in a row");
        // An adoption resets the streak; a short streak is not mentioned.
        assert_eq!(s.vote(false, &[]).1, "");
        assert_eq!(s.vote(true, &[]).1, "");
    }

    #[test]
    fn spells_count_ticks_in_at_least_one_coalition() {
        let mut sp = Spells::new(2);
        let a = StateId(0);
        sp.enter(a, 0, 2);
        sp.enter(a, 1, 5);
        sp.leave(a, 0, 8);
        sp.leave(a, 1, 10);
        sp.enter(a, 2, 20);
        // 2..10 (overlapping spells count once) and 20..30 (still open at the end).
        assert_eq!(sp.covered(a, 30), 18);
        assert_eq!(sp.covered(StateId(1), 30), 0);
        // Leaving a coalition one is not in changes nothing.
        sp.leave(StateId(1), 7, 9);
        assert_eq!(sp.covered(StateId(1), 30), 0);
    }
}
