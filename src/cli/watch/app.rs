//! The state of `minilat watch` and what each key does: pure (no terminal, no clock),
//! so tests drive it key by key.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::engine::{RunKey, Simulation};
use crate::metrics::{Ballot, Event, Observer, TickMetrics};
use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::venue::Action;
use crate::narrate::{Names, Recorder};
use crate::rules::Voter;
use crate::scenario::Scenario;

/// Slowest speed, ticks per second.
pub const MIN_SPEED: f64 = 0.25;
/// Fastest speed, ticks per second.
pub const MAX_SPEED: f64 = 100.0;
/// Each `+` multiplies the speed by this, each `-` divides it.
pub const SPEED_STEP: f64 = 1.5;

/// One line of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// "tick N: what happened".
    pub text: String,
    /// How it is coloured.
    pub tone: Tone,
}

impl Entry {
    /// A line of the log in the tone `tone`.
    pub fn new(text: String, tone: Tone) -> Self {
        Entry { text, tone }
    }

    fn plain(text: String) -> Self {
        Entry {
            text,
            tone: Tone::Plain,
        }
    }
}

/// The kind of a log line, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Start of the run and anything else.
    Plain,
    /// A coalition founded or joined.
    Formed,
    /// A state left or a coalition dissolved.
    Broke,
    /// A body adopted or endorsed a measure, an issue was solved.
    Adopted,
    /// A body's proposal failed or was vetoed.
    Blocked,
    /// A crisis.
    Crisis,
    /// Leadership of a coalition passed.
    Succession,
    /// The run's closing line.
    End,
    /// A decision taken by a student (classroom play in `minilat serve`).
    Player,
}

impl Tone {
    fn of(event: &Event<'_>) -> Tone {
        match event {
            Event::CoalitionFounded { .. }
            | Event::AlliancesMerged { .. }
            | Event::Joined { .. } => Tone::Formed,
            Event::Left { .. } | Event::CoalitionEnded { .. } => Tone::Broke,
            Event::BodyVote { adopted: true, .. }
            | Event::Endorsement { adopted: true, .. }
            | Event::IssueSolved { .. } => Tone::Adopted,
            Event::BodyVote { .. } | Event::Endorsement { .. } => Tone::Blocked,
            Event::CrisisStarted { .. } => Tone::Crisis,
            Event::CoalitionVote { .. } | Event::Refused { .. } | Event::SeatsRenewed { .. } => {
                Tone::Plain
            }
            Event::Authorisation { granted: true, .. } => Tone::Adopted,
            Event::BodyExit { returned: true, .. } => Tone::Formed,
            Event::BodyExit { .. } => Tone::Broke,
            Event::Authorisation { .. } => Tone::Blocked,
        }
    }
}

/// What the event loop does after a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Go on (redraw).
    Continue,
    /// Leave the view.
    Quit,
    /// Start again with the next seed (the loop rebuilds the [`App`]).
    Restart,
}

/// What survives a restart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The run (replicate) shown: row K of `minilat run`.
    pub run: u32,
    /// Ticks per second while running.
    pub speed: f64,
    /// Paused (else running).
    pub paused: bool,
}

/// One run on screen: the simulation, what it told so far and how it is played.
pub struct App<'a> {
    /// The scenario, with the seed of this run.
    pub scenario: &'a Scenario,
    sim: Simulation<'a>,
    recorder: Recorder,
    /// The coalitions' names, as told so far (the same as `minilat story`'s).
    pub names: Names,
    /// The event log, oldest first.
    pub log: Vec<Entry>,
    /// Active coalitions after each tick played.
    pub coalitions_history: Vec<u64>,
    /// Mean progress of the issues (percent of target) after each tick played.
    pub progress_history: Vec<u64>,
    /// The run (replicate).
    pub run: u32,
    /// Ticks per second while running.
    pub speed: f64,
    /// Paused (else running, until the run is finished).
    pub paused: bool,
    /// Log lines hidden below the view (0: following the newest).
    pub scroll: usize,
    /// Coalitions that ended so far: peak size, issue, progress produced.
    pub ended: Vec<(u32, IssueId, f64)>,
}

/// The recorder and the players as one observer: events to both, decisions to the
/// players.
struct Seated<'x, P> {
    recorder: &'x mut Recorder,
    players: &'x mut P,
}

impl<P: Observer> Observer for Seated<'_, P> {
    fn on_tick(&mut self, metrics: &TickMetrics) {
        self.recorder.on_tick(metrics);
        self.players.on_tick(metrics);
    }

    fn on_event(&mut self, tick: u32, event: &Event<'_>) {
        self.recorder.on_event(tick, event);
        self.players.on_event(tick, event);
    }

    fn plays(&self) -> bool {
        self.players.plays()
    }

    fn decide_votes(&mut self, world: &World, ballot: &Ballot, voters: &mut [Voter]) {
        self.players.decide_votes(world, ballot, voters);
    }

    fn decide_move(
        &mut self,
        world: &World,
        state: StateId,
        options: &[(Action, f64)],
        model: usize,
    ) -> Option<usize> {
        self.players.decide_move(world, state, options, model)
    }
}

impl<'a> App<'a> {
    /// Run `settings.run` of `scenario` (seed `scenario.seed`) at tick 0.
    pub fn new(scenario: &'a Scenario, settings: Settings) -> Self {
        let key = RunKey {
            point: 0,
            replicate: settings.run,
        };
        let names = |v: Vec<&str>| v.join(", ");
        let log = vec![Entry::plain(format!(
            "start: {} states; issues {}; bodies {}; coalitions of up to {} members",
            scenario.states.len(),
            names(scenario.issues.iter().map(|i| i.name.as_str()).collect()),
            if scenario.bodies.is_empty() {
                "none".to_string()
            } else {
                names(scenario.bodies.iter().map(|b| b.name.as_str()).collect())
            },
            scenario.coalitions.max_size
        ))];
        App {
            scenario,
            sim: Simulation::new(scenario, key),
            recorder: Recorder::default(),
            names: Names::default(),
            log,
            coalitions_history: Vec::with_capacity(scenario.ticks as usize),
            progress_history: Vec::with_capacity(scenario.ticks as usize),
            run: settings.run,
            speed: settings.speed.clamp(MIN_SPEED, MAX_SPEED),
            paused: settings.paused,
            scroll: 0,
            ended: Vec::new(),
        }
    }

    /// What a restart keeps.
    pub fn settings(&self) -> Settings {
        Settings {
            run: self.run,
            speed: self.speed,
            paused: self.paused,
        }
    }

    /// The simulation (world, tick).
    pub fn sim(&self) -> &Simulation<'a> {
        &self.sim
    }

    /// Ticks played so far.
    pub fn tick(&self) -> u32 {
        self.sim.world().tick
    }

    /// The master seed of this run.
    pub fn seed(&self) -> u64 {
        self.scenario.seed
    }

    /// Every tick has been played.
    pub fn finished(&self) -> bool {
        self.sim.done()
    }

    /// Ticks play by themselves (not paused, not finished).
    pub fn running(&self) -> bool {
        !self.paused && !self.finished()
    }

    /// Seconds between ticks while running.
    pub fn interval(&self) -> f64 {
        1.0 / self.speed
    }

    /// Plays one tick (nothing once finished) and logs what happened.
    pub fn step(&mut self) {
        self.step_with(&mut crate::metrics::Discard);
    }

    /// [`App::step`] with `players` answering for the states people play (classroom
    /// play in `minilat serve`; [`crate::metrics::Discard`] plays none). `players` also
    /// hears every event.
    pub fn step_with<P: Observer>(&mut self, players: &mut P) {
        if self.finished() {
            return;
        }
        let mut both = Seated {
            recorder: &mut self.recorder,
            players,
        };
        self.sim.step(&mut both);
        self.names.foresee(&self.recorder.events);
        for e in &self.recorder.events {
            let event = e.event();
            if let Event::CoalitionEnded { coalition, .. } = &event {
                self.ended
                    .push((coalition.peak_size, coalition.issue, coalition.progress));
            }
            let (told, succession) = self.names.tell(self.scenario, e.tick, &event);
            if let Some(text) = told {
                self.log.push(Entry {
                    text: format!("tick {}: {text}", e.tick),
                    tone: Tone::of(&event),
                });
            }
            if let Some(text) = succession {
                self.log.push(Entry {
                    text: format!("tick {}: {text}", e.tick),
                    tone: Tone::Succession,
                });
            }
        }
        // Told: keep the recorder small on long runs.
        self.recorder.events.clear();
        self.recorder.ticks.clear();
        let world = self.sim.world();
        self.coalitions_history.push(world.active.len() as u64);
        self.progress_history
            .push((mean_progress(self.scenario, self.sim.world()) * 100.0).round() as u64);
        if self.finished() {
            self.log.push(Entry {
                text: self.ending(),
                tone: Tone::End,
            });
        }
    }

    /// The closing line of the log.
    fn ending(&self) -> String {
        let world = self.sim.world();
        let issues: Vec<String> = self
            .scenario
            .issues
            .iter()
            .zip(&world.issues)
            .map(|(spec, state)| match state.solved_at {
                Some(t) => format!("{} solved at tick {t}", spec.name),
                None => format!(
                    "{} {:.0}%",
                    spec.name,
                    ratio(state.progress, spec.target) * 100.0
                ),
            })
            .collect();
        format!(
            "end: after {} ticks {}; {} coalitions founded, {} still active",
            self.scenario.ticks,
            issues.join(", "),
            world.next_serial,
            world.active.len()
        )
    }

    /// Handles one key press; the loop acts on the answer.
    pub fn handle_key(&mut self, key: KeyEvent) -> Control {
        if key.kind == KeyEventKind::Release {
            return Control::Continue;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return match key.code {
                KeyCode::Char('c' | 'C' | 'd' | 'D') => Control::Quit,
                _ => Control::Continue,
            };
        }
        match key.code {
            KeyCode::Char('q' | 'Q') | KeyCode::Esc => return Control::Quit,
            KeyCode::Char('r' | 'R') => return Control::Restart,
            KeyCode::Char(' ' | 'p' | 'P') if !self.finished() => self.paused = !self.paused,
            KeyCode::Char('n' | 'N') | KeyCode::Right => {
                self.paused = true;
                self.step();
            }
            KeyCode::Char('+' | '=') => {
                self.speed = (self.speed * SPEED_STEP).clamp(MIN_SPEED, MAX_SPEED);
            }
            KeyCode::Char('-' | '_') => {
                self.speed = (self.speed / SPEED_STEP).clamp(MIN_SPEED, MAX_SPEED);
            }
            KeyCode::Up => self.scroll_by(1),
            KeyCode::PageUp => self.scroll_by(10),
            KeyCode::Down => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::End => self.scroll = 0,
            KeyCode::Home => self.scroll = self.log.len().saturating_sub(1),
            _ => {}
        }
        Control::Continue
    }

    fn scroll_by(&mut self, n: usize) {
        self.scroll = (self.scroll + n).min(self.log.len().saturating_sub(1));
    }
}

/// Restart: the next seed (the caller then builds a new [`App`] from the scenario).
pub fn reseed(scenario: &mut Scenario) {
    scenario.seed = scenario.seed.wrapping_add(1);
}

/// `num / den` in [0, 1] (0 when `den` is not positive).
pub fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 && num.is_finite() {
        (num / den).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Mean over issues of progress as a share of the target, in [0, 1].
pub fn mean_progress(scenario: &Scenario, world: &crate::model::World) -> f64 {
    if scenario.issues.is_empty() {
        return 0.0;
    }
    let sum: f64 = scenario
        .issues
        .iter()
        .zip(&world.issues)
        .map(|(spec, state)| ratio(state.progress, spec.target))
        .sum();
    sum / scenario.issues.len() as f64
}
