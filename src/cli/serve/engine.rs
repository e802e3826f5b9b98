//! The engine thread of `minilat serve`: one run at a time, the same [`App`] as
//! `minilat watch` (so the same run as row K of `minilat run`), paced by the teacher's
//! commands. At a decision point of a state students play it puts the question to
//! them and waits, up to the time limit, for their answers ([`Classroom`]); at the end
//! of the run it replays the run once per played state for the debrief.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::json;

use super::class::{Class, Matter, Question, Seat, Step};
use super::frame;
use super::hub::{Shared, text};
use crate::cli::watch::app::{App, Entry, MAX_SPEED, MIN_SPEED, Settings, Tone, reseed};
use crate::engine::{RunKey, Simulation};
use crate::metrics::{Ballot, Observer, TickMetrics};
use crate::model::World;
use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::Scenario;
use crate::model::venue::{Action, VenueRef};
use crate::narrate::Names;
use crate::rules::Voter;
use crate::rules::acceptance::gain;

/// What the teacher (or the server) asks of the engine thread.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Play ticks at the current speed.
    Play,
    /// Stop playing.
    Pause,
    /// Play one tick, then pause.
    Step,
    /// Start again with the next seed.
    Restart,
    /// Ticks per second.
    Speed(f64),
    /// Load a shipped scenario with these overrides, seed and run; start it paused.
    Apply {
        /// A shipped scenario's name.
        scenario: String,
        /// `path=value` overrides, validated like `--set`.
        set: Vec<String>,
        /// The master seed (else the scenario's).
        seed: Option<u64>,
        /// The run (replicate).
        run: u32,
    },
    /// Something changed in the class (a player joined): tell the teacher, and send
    /// the world again so every page shows who plays which state.
    ClassChanged,
    /// End the thread.
    Shutdown,
}

/// What the engine plays: a scenario file with its overrides.
#[derive(Clone, Debug)]
pub struct Setup {
    /// The scenario as the user named it (shown in the page's command line).
    pub name: String,
    /// The file it resolved to.
    pub file: PathBuf,
    /// The overrides (without the seed).
    pub set: Vec<String>,
    /// The run (replicate).
    pub run: u32,
    /// Ticks per second.
    pub speed: f64,
}

/// Loads a setup's scenario with `seed` (if any) as `--set scenario.seed=S`: the
/// errors are `minilat run --set`'s, word for word.
pub fn load(setup: &Setup, seed: Option<u64>) -> anyhow::Result<Scenario> {
    let mut set = setup.set.clone();
    if let Some(seed) = seed {
        set.push(format!("scenario.seed={seed}"));
    }
    let loaded = crate::cli::load(&setup.file, &set)?;
    crate::cli::check_run(setup.run, &loaded.scenario)?;
    Ok(loaded.scenario)
}

/// Plays runs until [`Command::Shutdown`] (or every sender is gone). `resolve` turns
/// a shipped scenario's name into its file.
pub fn main(
    shared: Arc<Shared>,
    commands: Receiver<Command>,
    mut setup: Setup,
    mut scenario: Scenario,
    resolve: &dyn Fn(&str) -> anyhow::Result<PathBuf>,
) {
    let mut next_id = 0u64;
    loop {
        match play(&shared, &commands, &setup, &scenario, &mut next_id, resolve) {
            Outcome::Restart { speed } => {
                setup.speed = speed;
                reseed(&mut scenario);
            }
            Outcome::Apply(next, loaded) => {
                setup = next;
                scenario = *loaded;
            }
            Outcome::Shutdown => return,
        }
    }
}

/// How a run ended.
enum Outcome {
    /// Again with the next seed.
    Restart { speed: f64 },
    /// Another scenario or other settings, loaded and valid.
    Apply(Setup, Box<Scenario>),
    /// The server stops.
    Shutdown,
}

/// The names of the states, for messages.
fn state_names(scenario: &Scenario) -> Vec<String> {
    scenario.states.iter().map(|s| s.name.clone()).collect()
}

/// Sends the `world` message (and keeps it for clients that connect later).
fn publish_world(shared: &Shared, app: &App<'_>, setup: &Setup) {
    let n = app.scenario.states.len();
    let mut hub = shared.lock();
    let mut players = vec![Vec::new(); n];
    for p in &hub.class.players {
        if let Some(v) = players.get_mut(p.state) {
            v.push(p.name.clone());
        }
    }
    let msg = text(&frame::world(app, &setup.name, &setup.set, &players));
    hub.world = msg.clone();
    hub.broadcast(&msg);
}

/// Sends the teacher the class as it stands.
fn publish_class(shared: &Shared) {
    let mut hub = shared.lock();
    let msg = hub.class_message();
    hub.tell_teachers(&msg);
}

/// Sends a `frame` with the log entries from `from` on (and keeps both).
fn publish_frame(shared: &Shared, app: &App<'_>, from: usize) {
    let new = &app.log[from.min(app.log.len())..];
    let mut value = frame::frame(app, new);
    let msg = text(&value);
    // What a page that connects later gets after the whole log: no entry twice.
    value["log"] = json!([]);
    let quiet = text(&value);
    let mut hub = shared.lock();
    hub.log.extend(new.iter().map(frame::entry));
    hub.frame = quiet;
    hub.broadcast(&msg);
}

/// Plays one run of `scenario` under the teacher's commands.
fn play(
    shared: &Shared,
    commands: &Receiver<Command>,
    setup: &Setup,
    scenario: &Scenario,
    next_id: &mut u64,
    resolve: &dyn Fn(&str) -> anyhow::Result<PathBuf>,
) -> Outcome {
    let names = state_names(scenario);
    let mut app = App::new(
        scenario,
        Settings {
            run: setup.run,
            speed: setup.speed,
            paused: true,
        },
    );
    {
        let world = app.sim().world();
        let mut order: Vec<usize> = (0..names.len())
            .filter(|&i| !world.states.non_state[i])
            .collect();
        order.sort_by(|&a, &b| frame::size(world, b).total_cmp(&frame::size(world, a)));
        let mut hub = shared.lock();
        let old = std::mem::replace(&mut hub.names, names.clone());
        if old != names {
            for p in hub.class.remap(&old, &names, &order) {
                let player = &hub.class.players[p];
                let msg = text(&json!({
                    "type": "joined", "name": player.name, "state": player.state,
                    "state_name": names[player.state],
                }));
                if let Some(c) = player.client {
                    hub.send(c, &msg);
                }
            }
        }
        hub.order = order;
        hub.class.restart();
        hub.skip = false;
        hub.hurry = false;
        hub.log.clear();
        hub.debrief = None;
        let log = text(&json!({"type": "log", "entries": []}));
        hub.broadcast(&log);
    }
    publish_world(shared, &app, setup);
    publish_frame(shared, &app, 0);
    publish_class(shared);
    let mut next_tick = Instant::now();
    let mut told_end = false;
    loop {
        let wait = if app.running() {
            next_tick.saturating_duration_since(Instant::now())
        } else {
            Duration::from_secs(3600)
        };
        let tick_now = match commands.recv_timeout(wait) {
            Ok(Command::Play) => {
                app.paused = false;
                next_tick = Instant::now();
                publish_frame(shared, &app, app.log.len());
                false
            }
            Ok(Command::Pause) => {
                app.paused = true;
                publish_frame(shared, &app, app.log.len());
                false
            }
            Ok(Command::Step) => {
                app.paused = true;
                true
            }
            Ok(Command::Speed(x)) => {
                app.speed = x.clamp(MIN_SPEED, MAX_SPEED);
                publish_frame(shared, &app, app.log.len());
                false
            }
            Ok(Command::Restart) => return Outcome::Restart { speed: app.speed },
            Ok(Command::Apply {
                scenario,
                set,
                seed,
                run,
            }) => {
                let next = resolve(&scenario).map(|file| Setup {
                    name: scenario,
                    file,
                    set,
                    run,
                    speed: app.speed,
                });
                match next.and_then(|s| load(&s, seed).map(|sc| (s, sc))) {
                    Ok((s, sc)) => return Outcome::Apply(s, Box::new(sc)),
                    Err(e) => {
                        // The run goes on as it was.
                        let msg = super::hub::error(&super::error_text(&e));
                        let mut hub = shared.lock();
                        hub.skip = false;
                        hub.tell_teachers(&msg);
                    }
                }
                false
            }
            Ok(Command::ClassChanged) => {
                publish_world(shared, &app, setup);
                publish_class(shared);
                false
            }
            Ok(Command::Shutdown) | Err(RecvTimeoutError::Disconnected) => {
                return Outcome::Shutdown;
            }
            Err(RecvTimeoutError::Timeout) => {
                let interval = Duration::from_secs_f64(app.interval());
                next_tick += interval;
                let now = Instant::now();
                if next_tick < now {
                    next_tick = now;
                }
                true
            }
        };
        if tick_now && !app.finished() {
            tick(shared, &mut app, &names, next_id);
        }
        if app.finished() && !told_end {
            told_end = true;
            debrief(shared, &app, &names);
        }
    }
}

/// Plays one tick with the class answering for the states students play.
fn tick(shared: &Shared, app: &mut App<'_>, names: &[String], next_id: &mut u64) {
    let from = app.log.len();
    let played = shared.lock().class.played(names.len());
    let mut classroom = Classroom {
        shared,
        scenario: app.scenario,
        names: app.names.clone(),
        any: played.iter().any(|&p| p),
        played,
        lines: Vec::new(),
        next_id,
    };
    app.step_with(&mut classroom);
    let lines = std::mem::take(&mut classroom.lines);
    let asked = !lines.is_empty();
    app.log.splice(from..from, lines);
    publish_frame(shared, app, from);
    if asked {
        publish_class(shared);
    }
}

/// Answers for the states students play: puts each decision to them and waits.
pub struct Classroom<'x> {
    shared: &'x Shared,
    scenario: &'x Scenario,
    names: Names,
    played: Vec<bool>,
    any: bool,
    /// Log lines of the decisions taken (the tick's events follow them).
    lines: Vec<Entry>,
    next_id: &'x mut u64,
}

impl Classroom<'_> {
    /// Opens `questions`, waits until every team answered, the time limit passed or
    /// the teacher hurried, and closes them: each question's team choice.
    fn ask(&mut self, questions: Vec<Question>) -> Vec<(Question, Option<usize>)> {
        let names: Vec<String> = self
            .scenario
            .states
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let mut hub = self.shared.lock();
        if hub.skip || hub.shutdown {
            hub.class.open = questions;
            return hub.class.close();
        }
        hub.hurry = false;
        let limit = hub.time_limit;
        let deadline = Instant::now() + limit;
        for q in &questions {
            let options: Vec<_> = (q.options.iter())
                .map(|(label, detail)| json!({"label": label, "detail": detail}))
                .collect();
            let msg = text(&json!({
                "type": "question", "id": q.id, "tick": q.tick,
                "kind": match q.matter { Matter::Vote { .. } => "vote", Matter::Move { .. } => "move" },
                "text": q.text, "options": options, "remaining_ms": limit.as_millis() as u64,
            }));
            hub.tell_state(q.state, &msg);
        }
        hub.class.open = questions;
        hub.deadline = Some(deadline);
        let msg = hub.class_message();
        hub.tell_teachers(&msg);
        loop {
            let now = Instant::now();
            if hub.class.all_answered() || hub.hurry || hub.skip || hub.shutdown || now >= deadline
            {
                break;
            }
            hub = (self.shared.answered)
                .wait_timeout(hub, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        let closed = hub.class.close();
        hub.deadline = None;
        for (q, chosen) in &closed {
            let done = &q.options[chosen.unwrap_or(q.model)].0;
            let outcome = match chosen {
                Some(_) => format!("your team chose: {done}"),
                None => format!("no answer in time: the model's agent chose: {done}"),
            };
            let msg = text(&json!({"type": "closed", "id": q.id, "chosen": chosen,
                                   "model": q.model, "outcome": outcome}));
            hub.tell_state(q.state, &msg);
        }
        drop(hub);
        for (q, chosen) in &closed {
            let players: Vec<String> = {
                let hub = self.shared.lock();
                (hub.class.players.iter())
                    .filter(|p| p.state == q.state)
                    .map(|p| p.name.clone())
                    .collect()
            };
            let state = &names[q.state];
            let text = match chosen {
                Some(c) if *c == q.model => format!(
                    "tick {}: {} ({}) chose: {}, as the model would have",
                    q.tick,
                    players.join(", "),
                    state,
                    q.options[*c].0
                ),
                Some(c) => format!(
                    "tick {}: {} ({}) chose: {}; the model would have chosen: {}",
                    q.tick,
                    players.join(", "),
                    state,
                    q.options[*c].0,
                    q.options[q.model].0
                ),
                None => format!(
                    "tick {}: {} ({}) did not answer; the model chose: {}",
                    q.tick,
                    players.join(", "),
                    state,
                    q.options[q.model].0
                ),
            };
            self.lines.push(Entry::new(text, Tone::Player));
        }
        closed
    }

    fn id(&mut self) -> u64 {
        *self.next_id += 1;
        *self.next_id
    }
}

/// A venue as the class records it.
fn seat(world: &World, venue: VenueRef) -> Seat {
    match venue {
        VenueRef::Body(b) => Seat::Body(b),
        VenueRef::Coalition(c) => Seat::Coalition(world.coalition(c).serial),
    }
}

/// The moves offered, as the class records them.
fn steps(world: &World, options: &[(Action, f64)]) -> Vec<Step> {
    (options.iter())
        .map(|&(a, _)| match a {
            Action::Stay => Step::Stay,
            Action::Leave(c) => Step::Leave(world.coalition(c).serial),
            Action::Join(c) => Step::Join(world.coalition(c).serial),
            Action::Found(k) => Step::Found(k),
        })
        .collect()
}

/// The question of a vote, for state `state`.
pub fn vote_question(
    scenario: &Scenario,
    names: &Names,
    world: &World,
    ballot: &Ballot,
    state: StateId,
) -> (String, Vec<(String, String)>) {
    let issue = &scenario.issues[ballot.issue.index()].name;
    let venue = match ballot.venue {
        VenueRef::Body(b) => format!("The {}", scenario.bodies[b.index()].name),
        VenueRef::Coalition(c) => {
            format!("The {}", names.name(scenario, world.coalition(c)).title())
        }
    };
    let position = world.states.position[world.states.at(state, ballot.issue)];
    let g = gain(ballot.depth, ballot.status_quo, position);
    let package = if ballot.package {
        " (as part of a package)"
    } else {
        ""
    };
    let text = format!(
        "{venue} votes on {issue}{package}: a measure of depth {:.2} against the status quo {:.2}. \
         Your position on {issue} is {:.2}: the measure {} (gain {:+.2}).",
        ballot.depth,
        ballot.status_quo,
        position,
        if g > 0.0 {
            "brings the outcome closer to it"
        } else {
            "does not bring the outcome closer to it"
        },
        g
    );
    let options = vec![
        (
            "Accept".to_string(),
            format!("adopt depth {:.2}", ballot.depth),
        ),
        (
            "Reject".to_string(),
            format!("keep the status quo {:.2}", ballot.status_quo),
        ),
    ];
    (text, options)
}

/// The question of a review (the `utility` rule): one option per move offered.
pub fn move_question(
    scenario: &Scenario,
    names: &Names,
    world: &World,
    state: StateId,
    options: &[(Action, f64)],
) -> (String, Vec<(String, String)>) {
    let name = |c| names.name(scenario, world.coalition(c)).title();
    let issue = |k: IssueId| scenario.issues[k.index()].name.clone();
    let inside: Vec<String> = world.states.memberships[state.index()]
        .iter()
        .map(|&c| format!("the {}", name(c)))
        .collect();
    let text = format!(
        "{} reviews its coalitions. It sits in {}. What does it do? \
         (The numbers are what the model's agent expects each move to be worth a tick.)",
        scenario.states[state.index()].name,
        if inside.is_empty() {
            "none".to_string()
        } else {
            inside.join("; ")
        }
    );
    let options = (options.iter())
        .map(|&(action, value)| match action {
            Action::Stay => (
                "Stay as you are".to_string(),
                "worth 0 (the reference)".to_string(),
            ),
            Action::Leave(c) => (
                format!("Leave the {}", name(c)),
                format!("worth {value:+.4}"),
            ),
            Action::Join(c) => (
                format!("Ask to join the {}", name(c)),
                format!(
                    "worth {value:+.4}; {} members decide",
                    world.coalition(c).members.len()
                ),
            ),
            Action::Found(k) => (
                format!("Found a coalition on {}", issue(k)),
                format!("worth {value:+.4}, founding cost included"),
            ),
        })
        .collect();
    (text, options)
}

impl Observer for Classroom<'_> {
    fn on_tick(&mut self, _metrics: &TickMetrics) {}

    fn on_event(&mut self, _tick: u32, _event: &crate::metrics::Event<'_>) {}

    fn plays(&self) -> bool {
        self.any
    }

    fn decide_votes(&mut self, world: &World, ballot: &Ballot, voters: &mut [Voter]) {
        let mut questions = Vec::new();
        for v in voters.iter() {
            if v.abstains || !self.played[v.state.index()] {
                continue;
            }
            let (text, options) = vote_question(self.scenario, &self.names, world, ballot, v.state);
            let id = self.id();
            questions.push(Question {
                id,
                tick: world.tick,
                state: v.state.index(),
                matter: Matter::Vote {
                    venue: seat(world, ballot.venue),
                    issue: ballot.issue,
                },
                text,
                options,
                model: usize::from(!v.accepts),
                answers: Vec::new(),
            });
        }
        if questions.is_empty() {
            return;
        }
        for (q, chosen) in self.ask(questions) {
            if let Some(c) = chosen
                && let Some(v) = voters.iter_mut().find(|v| v.state.index() == q.state)
            {
                v.accepts = c == 0;
            }
        }
    }

    fn decide_move(
        &mut self,
        world: &World,
        state: StateId,
        options: &[(Action, f64)],
        model: usize,
    ) -> Option<usize> {
        if !self.played[state.index()] {
            return None;
        }
        let (text, labels) = move_question(self.scenario, &self.names, world, state, options);
        let id = self.id();
        let q = Question {
            id,
            tick: world.tick,
            state: state.index(),
            matter: Matter::Move {
                moves: steps(world, options),
            },
            text,
            options: labels,
            model,
            answers: Vec::new(),
        };
        self.ask(vec![q]).pop().and_then(|(_, c)| c)
    }
}

/// The run replayed with the players' recorded answers, state `except` left to the
/// model: what the model's agent would have earned in its place.
struct Replay<'x> {
    class: &'x Class,
    played: Vec<bool>,
    except: usize,
}

impl Observer for Replay<'_> {
    fn on_tick(&mut self, _metrics: &TickMetrics) {}

    fn on_event(&mut self, _tick: u32, _event: &crate::metrics::Event<'_>) {}

    fn plays(&self) -> bool {
        true
    }

    fn decide_votes(&mut self, world: &World, ballot: &Ballot, voters: &mut [Voter]) {
        for v in voters.iter_mut() {
            if v.abstains || !self.played[v.state.index()] {
                continue;
            }
            let matter = Matter::Vote {
                venue: seat(world, ballot.venue),
                issue: ballot.issue,
            };
            if let Some(c) =
                (self.class).replayed(world.tick, v.state.index(), &matter, self.except)
            {
                v.accepts = c == 0;
            }
        }
    }

    fn decide_move(
        &mut self,
        world: &World,
        state: StateId,
        options: &[(Action, f64)],
        _model: usize,
    ) -> Option<usize> {
        if !self.played[state.index()] {
            return None;
        }
        let matter = Matter::Move {
            moves: steps(world, options),
        };
        (self.class).replayed(world.tick, state.index(), &matter, self.except)
    }
}

/// What state `except` would have earned had the model played it, every other played
/// state answering as its players did: the run replayed (same seed, same run).
pub fn model_payoff(scenario: &Scenario, run: u32, class: &Class, except: usize) -> f64 {
    let mut replay = Replay {
        class,
        played: class.played(scenario.states.len()),
        except,
    };
    let mut sim = Simulation::new(
        scenario,
        RunKey {
            point: 0,
            replicate: run,
        },
    );
    while !sim.done() {
        sim.step(&mut replay);
    }
    sim.world().states.welfare[except]
}

/// At the end of a run: each team's payoff against the model's in its place.
fn debrief(shared: &Shared, app: &App<'_>, names: &[String]) {
    let class = shared.lock().class.clone();
    let welfare = &app.sim().world().states.welfare;
    let mut states: Vec<usize> = class.players.iter().map(|p| p.state).collect();
    states.sort_unstable();
    states.dedup();
    let mut rows = Vec::new();
    let mut hub_msgs = Vec::new();
    for &s in &states {
        let payoff = welfare[s];
        let model = model_payoff(app.scenario, app.run, &class, s);
        let rank = 1 + welfare.iter().filter(|&&w| w > payoff).count();
        let decisions = class.decisions.iter().filter(|d| d.state == s).count();
        let verdict = if (payoff - model).abs() < 1e-12 {
            "exactly what the model's agent would have earned in your place".to_string()
        } else if payoff > model {
            format!(
                "{:.4} more than the model's agent would have earned in your place",
                payoff - model
            )
        } else {
            format!(
                "{:.4} less than the model's agent would have earned in your place",
                model - payoff
            )
        };
        for p in class.players.iter().filter(|p| p.state == s) {
            let text = format!(
                "{} ended the run with a payoff of {payoff:.4}, {verdict} ({model:.4}); it ranks {rank} of {} states. \
                 {decisions} decisions were put to {}; you answered {} of them, {} against the model's choice, and missed {}.",
                names[s],
                names.len(),
                names[s],
                p.answered,
                p.overruled,
                p.missed
            );
            let msg = text_msg(json!({
                "type": "debrief", "state_name": names[s], "payoff": payoff, "model_payoff": model,
                "rank": rank, "of": names.len(), "decisions": decisions, "answered": p.answered,
                "overruled": p.overruled, "missed": p.missed, "text": text,
            }));
            if let Some(c) = p.client {
                hub_msgs.push((c, msg));
            }
            rows.push(
                json!({"player": p.name, "state_name": names[s], "payoff": payoff,
                             "model_payoff": model, "decisions": decisions,
                             "overruled": p.overruled, "missed": p.missed}),
            );
        }
    }
    let teacher = text_msg(json!({"type": "debrief", "rows": rows}));
    let mut hub = shared.lock();
    for (c, msg) in &hub_msgs {
        hub.send(*c, msg);
    }
    hub.debrief = Some(teacher.clone());
    hub.tell_teachers(&teacher);
}

fn text_msg(v: serde_json::Value) -> Arc<str> {
    text(&v)
}
