//! Classroom play, as data: who plays which state, the questions put to them, their
//! answers and what they decided. Pure (no clock, no network): the hub keeps a
//! [`Class`] under its lock, the engine thread asks and the sockets answer.

use std::collections::BTreeMap;

use crate::model::ids::{BodyId, IssueId};

/// Longest player name, in characters.
pub const MAX_NAME: usize = 40;

/// A student (or a team member: several players may share a state).
#[derive(Clone, Debug, PartialEq)]
pub struct Player {
    /// Their name, as they typed it (trimmed, at most [`MAX_NAME`] characters).
    pub name: String,
    /// The state they play (index).
    pub state: usize,
    /// Their connection (client id); `None` once it closed.
    pub client: Option<u64>,
    /// Questions they answered.
    pub answered: u32,
    /// Of those, answers that differed from the model's choice.
    pub overruled: u32,
    /// Questions that closed without their answer.
    pub missed: u32,
}

/// A venue as a replay recognises it: a body, or a coalition by its serial (slots
/// are reused, so a slot may hold another coalition once a replay departs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seat {
    /// A body.
    Body(BodyId),
    /// A coalition, by serial.
    Coalition(u32),
}

/// A move of a review as a replay recognises it (coalitions by serial).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Keep the current portfolio.
    Stay,
    /// Leave the coalition with this serial.
    Leave(u32),
    /// Ask to join the coalition with this serial.
    Join(u32),
    /// Found a coalition on the issue.
    Found(IssueId),
}

/// What a question is about: enough to recognise the same decision in a replay.
#[derive(Clone, Debug, PartialEq)]
pub enum Matter {
    /// Accept (option 0) or reject (option 1) a proposal in a vote of `venue`.
    Vote {
        /// The venue voting.
        venue: Seat,
        /// The issue.
        issue: IssueId,
    },
    /// Choose one of the moves a review offers (the `utility` rule).
    Move {
        /// The moves offered, in the order of the options.
        moves: Vec<Step>,
    },
}

/// One question to the players of one state.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Unique in the server's life.
    pub id: u64,
    /// The tick it is asked in.
    pub tick: u32,
    /// The state asked (index).
    pub state: usize,
    /// What it is about.
    pub matter: Matter,
    /// The question in words.
    pub text: String,
    /// The options: a label and a detail each.
    pub options: Vec<(String, String)>,
    /// The option the model's agent chose.
    pub model: usize,
    /// Answers so far: (player index, option), latest per player, in order of first answer.
    pub answers: Vec<(usize, usize)>,
}

impl Question {
    /// The team's choice: the option most of its members chose; a tie goes to the
    /// option chosen first. `None` if nobody answered.
    pub fn choice(&self) -> Option<usize> {
        let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for (order, &(_, option)) in self.answers.iter().enumerate() {
            let e = counts.entry(option).or_insert((0, order));
            e.0 += 1;
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
            .map(|(option, _)| option)
    }
}

/// A decision put to players, once closed: what the replay of the debrief needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// The tick.
    pub tick: u32,
    /// The state (index).
    pub state: usize,
    /// What it was about.
    pub matter: Matter,
    /// The model's choice.
    pub model: usize,
    /// The players' choice, if they answered.
    pub chosen: Option<usize>,
    /// The question's text.
    pub text: String,
    /// The label of the model's choice.
    pub model_label: String,
    /// The label of the players' choice, if they answered.
    pub chosen_label: Option<String>,
}

/// Why an answer or a join was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The join code does not match.
    WrongCode,
    /// The name is empty or too long.
    BadName,
    /// No state with that index, or none left to play.
    NoState,
    /// This client already plays a state.
    AlreadyPlaying,
    /// The question is closed, not the client's, or the option does not exist.
    NotOpen,
}

impl Refusal {
    /// What the client is told.
    pub fn message(&self) -> String {
        match self {
            Refusal::WrongCode => "that join code is not this class's: ask your teacher".into(),
            Refusal::BadName => format!("a name has 1 to {MAX_NAME} characters"),
            Refusal::NoState => "no such state to play".into(),
            Refusal::AlreadyPlaying => "you already play a state".into(),
            Refusal::NotOpen => "that question is closed or not yours".into(),
        }
    }
}

/// The class of one server: players, the open questions and the decisions taken.
#[derive(Clone, Debug, Default)]
pub struct Class {
    /// The code students type to join.
    pub code: String,
    /// Everyone who joined, in order.
    pub players: Vec<Player>,
    /// The questions open now (all of one tick's decision point).
    pub open: Vec<Question>,
    /// Every decision put to players in the current run, in order.
    pub decisions: Vec<Decision>,
}

impl Class {
    /// A class joined with `code`.
    pub fn new(code: String) -> Self {
        Class {
            code,
            ..Class::default()
        }
    }

    /// Client `client` joins as `name`, playing `state` if given (a team shares it),
    /// else the first state of `order` (states by size) nobody plays; `states` is
    /// how many there are. Returns the player's index.
    pub fn join(
        &mut self,
        client: u64,
        code: &str,
        name: &str,
        state: Option<usize>,
        order: &[usize],
    ) -> Result<usize, Refusal> {
        if !code.trim().eq_ignore_ascii_case(&self.code) {
            return Err(Refusal::WrongCode);
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control)
        {
            return Err(Refusal::BadName);
        }
        if self.players.iter().any(|p| p.client == Some(client)) {
            return Err(Refusal::AlreadyPlaying);
        }
        // A student whose page reloaded (or lost its connection) comes back under the
        // same name: they get their state back, not a second one.
        if let Some(i) = (self.players.iter())
            .position(|p| p.client.is_none() && p.name.eq_ignore_ascii_case(name))
        {
            self.players[i].client = Some(client);
            return Ok(i);
        }
        let state = match state {
            Some(s) if order.contains(&s) => s,
            Some(_) => return Err(Refusal::NoState),
            None => *order
                .iter()
                .find(|&&s| !self.players.iter().any(|p| p.state == s))
                .ok_or(Refusal::NoState)?,
        };
        self.players.push(Player {
            name: name.to_string(),
            state,
            client: Some(client),
            answered: 0,
            overruled: 0,
            missed: 0,
        });
        Ok(self.players.len() - 1)
    }

    /// Client `client` left: its player (if any) stays in the class, unconnected.
    pub fn left(&mut self, client: u64) {
        for p in &mut self.players {
            if p.client == Some(client) {
                p.client = None;
            }
        }
    }

    /// The player client `client` plays as.
    pub fn player_of(&self, client: u64) -> Option<usize> {
        self.players.iter().position(|p| p.client == Some(client))
    }

    /// Per state, whether someone plays it (connected or not: a team that lost its
    /// connection is still asked, and the model answers for it when nobody can).
    pub fn played(&self, states: usize) -> Vec<bool> {
        let mut played = vec![false; states];
        for p in &self.players {
            if let Some(x) = played.get_mut(p.state) {
                *x = true;
            }
        }
        played
    }

    /// Client `client` answers question `id` with `option`.
    pub fn answer(&mut self, client: u64, id: u64, option: usize) -> Result<(), Refusal> {
        let player = self.player_of(client).ok_or(Refusal::NotOpen)?;
        let state = self.players[player].state;
        let q = (self.open.iter_mut())
            .find(|q| q.id == id && q.state == state && option < q.options.len())
            .ok_or(Refusal::NotOpen)?;
        match q.answers.iter_mut().find(|(p, _)| *p == player) {
            Some(a) => a.1 = option,
            None => q.answers.push((player, option)),
        }
        Ok(())
    }

    /// Whether open question `q` has the answers of all the connected players of its
    /// state (a state with none connected cannot answer: the model decides).
    pub fn answered(&self, q: &Question) -> bool {
        self.players
            .iter()
            .enumerate()
            .filter(|(_, p)| p.state == q.state && p.client.is_some())
            .all(|(i, _)| q.answers.iter().any(|(p, _)| *p == i))
    }

    /// Whether every open question is [`Class::answered`].
    pub fn all_answered(&self) -> bool {
        self.open.iter().all(|q| self.answered(q))
    }

    /// Another scenario starts: each player keeps the state of the same name if it has
    /// one, else gets the first state of `order` nobody plays (or, if none is free, the
    /// first of `order`: a team). Returns the players whose state changed.
    pub fn remap(&mut self, old: &[String], new: &[String], order: &[usize]) -> Vec<usize> {
        let mut moved = Vec::new();
        for i in 0..self.players.len() {
            let name = old.get(self.players[i].state);
            let same = name.and_then(|n| new.iter().position(|m| m == n));
            let state = same.or_else(|| {
                (order.iter().copied())
                    .find(|s| !self.players.iter().any(|p| p.state == *s))
                    .or_else(|| order.first().copied())
            });
            if let Some(s) = state
                && (s != self.players[i].state || same.is_none())
            {
                self.players[i].state = s;
                moved.push(i);
            }
        }
        moved
    }

    /// Closes the open questions: records each decision, counts answers, overrulings
    /// and misses, and returns each question's team choice (None: the model decides).
    pub fn close(&mut self) -> Vec<(Question, Option<usize>)> {
        let open = std::mem::take(&mut self.open);
        let mut closed = Vec::with_capacity(open.len());
        for q in open {
            let chosen = q.choice();
            for (i, p) in self.players.iter_mut().enumerate() {
                if p.state != q.state {
                    continue;
                }
                match q.answers.iter().find(|(who, _)| *who == i) {
                    Some(&(_, option)) => {
                        p.answered += 1;
                        p.overruled += u32::from(option != q.model);
                    }
                    None => p.missed += 1,
                }
            }
            self.decisions.push(Decision {
                tick: q.tick,
                state: q.state,
                matter: q.matter.clone(),
                model: q.model,
                chosen,
                text: q.text.clone(),
                model_label: q.options[q.model].0.clone(),
                chosen_label: chosen.map(|c| q.options[c].0.clone()),
            });
            closed.push((q, chosen));
        }
        closed
    }

    /// A new run starts: the decisions and counts of the last one are gone.
    pub fn restart(&mut self) {
        self.open.clear();
        self.decisions.clear();
        for p in &mut self.players {
            p.answered = 0;
            p.overruled = 0;
            p.missed = 0;
        }
    }

    /// The players' answer recorded for the same decision in the run just played:
    /// state `state` in tick `tick` about `matter` (a move matches if the move chosen is
    /// offered again). Decisions of `except` are left to the model. Returns an index
    /// into the options of `matter`.
    pub fn replayed(
        &self,
        tick: u32,
        state: usize,
        matter: &Matter,
        except: usize,
    ) -> Option<usize> {
        if state == except {
            return None;
        }
        let d = self
            .decisions
            .iter()
            .find(|d| d.tick == tick && d.state == state && same_kind(&d.matter, matter))?;
        let chosen = d.chosen?;
        match (&d.matter, matter) {
            (Matter::Vote { .. }, Matter::Vote { .. }) => Some(chosen),
            (Matter::Move { moves: was }, Matter::Move { moves }) => {
                let action = was.get(chosen)?;
                moves.iter().position(|m| m == action)
            }
            _ => None,
        }
    }
}

/// Whether two matters are the same decision (a vote of the same venue on the same
/// issue, or a review).
fn same_kind(a: &Matter, b: &Matter) -> bool {
    match (a, b) {
        (
            Matter::Vote { venue, issue },
            Matter::Vote {
                venue: v2,
                issue: i2,
            },
        ) => venue == v2 && issue == i2,
        (Matter::Move { .. }, Matter::Move { .. }) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote() -> Matter {
        Matter::Vote {
            venue: Seat::Body(BodyId::from_index(0)),
            issue: IssueId::from_index(1),
        }
    }

    fn question(id: u64, state: usize) -> Question {
        Question {
            id,
            tick: 3,
            state,
            matter: vote(),
            text: "vote".into(),
            options: vec![
                ("accept".into(), String::new()),
                ("reject".into(), String::new()),
            ],
            model: 0,
            answers: Vec::new(),
        }
    }

    #[test]
    fn joining_checks_the_code_and_the_name_and_gives_the_largest_free_state() {
        let mut class = Class::new("QX7K2M".into());
        let order = [2, 0, 1];
        assert_eq!(
            class.join(1, "nope", "Ana", None, &order),
            Err(Refusal::WrongCode)
        );
        assert_eq!(
            class.join(1, "qx7k2m", "  ", None, &order),
            Err(Refusal::BadName)
        );
        assert_eq!(
            class.join(1, "qx7k2m", &"x".repeat(41), None, &order),
            Err(Refusal::BadName)
        );
        assert_eq!(class.join(1, " qx7k2m ", "Ana", None, &order), Ok(0));
        assert_eq!(class.players[0].state, 2);
        assert_eq!(
            class.join(1, "QX7K2M", "Ana", None, &order),
            Err(Refusal::AlreadyPlaying)
        );
        assert_eq!(class.join(2, "QX7K2M", "Ben", None, &order), Ok(1));
        assert_eq!(class.players[1].state, 0);
        // A team: Cy asks for Ana's state.
        assert_eq!(class.join(3, "QX7K2M", "Cy", Some(2), &order), Ok(2));
        assert_eq!(
            class.join(4, "QX7K2M", "Di", Some(9), &order),
            Err(Refusal::NoState)
        );
        assert_eq!(class.played(3), vec![true, false, true]);
    }

    #[test]
    fn a_student_who_comes_back_under_the_same_name_gets_the_state_back() {
        let mut class = Class::new("C".into());
        let order = [2, 0, 1];
        assert_eq!(class.join(1, "C", "Ana", None, &order), Ok(0));
        class.left(1);
        assert_eq!(class.join(5, "C", "ana", None, &order), Ok(0));
        assert_eq!((class.players.len(), class.players[0].client), (1, Some(5)));
        // Under a connected player's name: a new player (a team mate may share it).
        assert_eq!(class.join(6, "C", "Ana", None, &order), Ok(1));
    }

    #[test]
    fn another_scenario_keeps_states_by_name_and_gives_the_others_free_ones() {
        let mut class = Class::new("C".into());
        let old: Vec<String> = ["France", "Mali", "Peru"].map(String::from).to_vec();
        class.join(1, "C", "Ana", Some(2), &[0, 1, 2]).unwrap();
        class.join(2, "C", "Ben", Some(1), &[0, 1, 2]).unwrap();
        let new: Vec<String> = ["Chile", "Peru", "Chad"].map(String::from).to_vec();
        let moved = class.remap(&old, &new, &[2, 0, 1]);
        assert_eq!(class.players[0].state, 1); // Peru, by name
        assert_eq!(class.players[1].state, 2); // Mali is gone: the largest free state
        assert_eq!(moved, vec![0, 1]);
    }

    #[test]
    fn a_team_chooses_by_majority_and_a_tie_goes_to_the_first_answer() {
        let mut q = question(1, 0);
        assert_eq!(q.choice(), None);
        q.answers = vec![(0, 1), (1, 0)];
        assert_eq!(q.choice(), Some(1));
        q.answers = vec![(0, 1), (1, 0), (2, 0)];
        assert_eq!(q.choice(), Some(0));
    }

    #[test]
    fn answers_count_and_an_unconnected_team_does_not_hold_the_class_up() {
        let mut class = Class::new("C".into());
        let order = [0, 1];
        class.join(10, "C", "Ana", None, &order).unwrap();
        class.join(11, "C", "Ben", None, &order).unwrap();
        class.open = vec![question(5, 0), question(6, 1)];
        assert!(!class.all_answered());
        // Ana answers Ben's question: refused; a wrong option: refused.
        assert_eq!(class.answer(10, 6, 0), Err(Refusal::NotOpen));
        assert_eq!(class.answer(10, 5, 2), Err(Refusal::NotOpen));
        class.answer(10, 5, 0).unwrap();
        class.answer(10, 5, 1).unwrap(); // changes her mind
        assert!(!class.all_answered());
        class.left(11);
        assert!(class.all_answered());
        let closed = class.close();
        assert_eq!(closed[0].1, Some(1));
        assert_eq!(closed[1].1, None);
        assert_eq!(
            (class.players[0].answered, class.players[0].overruled),
            (1, 1)
        );
        assert_eq!(class.players[1].missed, 1);
        assert_eq!(class.decisions.len(), 2);
        assert_eq!(class.decisions[0].chosen_label.as_deref(), Some("reject"));
        assert_eq!(class.decisions[0].model_label, "accept");
        assert_eq!(class.decisions[1].chosen_label, None);
        assert_eq!(class.answer(10, 5, 0), Err(Refusal::NotOpen));
    }

    #[test]
    fn a_replay_finds_the_same_decision_and_leaves_the_player_asked_about_to_the_model() {
        let mut class = Class::new("C".into());
        let join = Step::Join(4);
        class.decisions = vec![
            Decision {
                tick: 3,
                state: 0,
                matter: vote(),
                model: 0,
                chosen: Some(1),
                text: String::new(),
                model_label: String::new(),
                chosen_label: None,
            },
            Decision {
                tick: 7,
                state: 1,
                matter: Matter::Move {
                    moves: vec![Step::Stay, join],
                },
                model: 0,
                chosen: Some(1),
                text: String::new(),
                model_label: String::new(),
                chosen_label: None,
            },
        ];
        assert_eq!(class.replayed(3, 0, &vote(), 1), Some(1));
        assert_eq!(class.replayed(3, 0, &vote(), 0), None);
        assert_eq!(class.replayed(4, 0, &vote(), 1), None);
        let offered = Matter::Move {
            moves: vec![Step::Stay, Step::Leave(2), join],
        };
        assert_eq!(class.replayed(7, 1, &offered, 0), Some(2));
        let not_offered = Matter::Move {
            moves: vec![Step::Stay],
        };
        assert_eq!(class.replayed(7, 1, &not_offered, 0), None);
    }
}
