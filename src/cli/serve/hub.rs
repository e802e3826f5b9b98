//! What the engine thread and the sockets share: the connected clients with their
//! outgoing queues, the class, the latest world, log and frame (replayed to a client
//! that connects), and the flags that end a wait for answers. One lock; the engine
//! thread waits on [`Shared::answered`] for students' answers.

use std::collections::BTreeMap;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::class::Class;
use super::engine::Command;

/// Messages a client's queue holds before the newest are dropped for it (a slow
/// client misses frames; each frame is whole, so the next one catches it up).
pub const QUEUE: usize = 256;

/// One connection.
pub struct Client {
    /// Its outgoing queue (the socket task sends what arrives).
    pub tx: mpsc::Sender<Arc<str>>,
    /// Connected with the teacher's key.
    pub teacher: bool,
}

/// The shared state under [`Shared::hub`].
pub struct Hub {
    /// Connected clients by id.
    pub clients: BTreeMap<u64, Client>,
    /// The next client id.
    pub next_client: u64,
    /// Players, open questions, decisions.
    pub class: Class,
    /// Seconds a question stays open.
    pub time_limit: Duration,
    /// The teacher asked to close the open questions now.
    pub hurry: bool,
    /// A restart or new scenario is coming: skip questions until the next run starts.
    pub skip: bool,
    /// The server is shutting down.
    pub shutdown: bool,
    /// The latest `world` message.
    pub world: Arc<str>,
    /// The run's log so far (entries as JSON).
    pub log: Vec<Value>,
    /// The latest `frame` message.
    pub frame: Arc<str>,
    /// When the open questions close (if any are open).
    pub deadline: Option<Instant>,
    /// The latest teacher's debrief, if the run ended.
    pub debrief: Option<Arc<str>>,
    /// Messages dropped because a client's queue was full (for the load test).
    pub dropped: u64,
    /// The states' names, in order.
    pub names: Vec<String>,
    /// The states by size, largest first (non-state actors left out): who gets which
    /// state on joining.
    pub order: Vec<usize>,
}

impl Hub {
    /// Sends `msg` to client `id` (dropped if its queue is full or it is gone).
    pub fn send(&mut self, id: u64, msg: &Arc<str>) {
        if let Some(c) = self.clients.get(&id)
            && c.tx.try_send(msg.clone()).is_err()
        {
            self.dropped += 1;
        }
    }

    /// Sends `msg` to every client.
    pub fn broadcast(&mut self, msg: &Arc<str>) {
        let ids: Vec<u64> = self.clients.keys().copied().collect();
        for id in ids {
            self.send(id, msg);
        }
    }

    /// Sends `msg` to the teacher's clients.
    pub fn tell_teachers(&mut self, msg: &Arc<str>) {
        let ids: Vec<u64> = (self.clients.iter())
            .filter(|(_, c)| c.teacher)
            .map(|(&id, _)| id)
            .collect();
        for id in ids {
            self.send(id, msg);
        }
    }

    /// Sends `msg` to the connected players of state `state`.
    pub fn tell_state(&mut self, state: usize, msg: &Arc<str>) {
        let ids: Vec<u64> = (self.class.players.iter())
            .filter(|p| p.state == state)
            .filter_map(|p| p.client)
            .collect();
        for id in ids {
            self.send(id, msg);
        }
    }

    /// The teacher's `class` message: join code, players, the open questions (and
    /// who is still to answer), the latest decisions.
    pub fn class_message(&self) -> Arc<str> {
        let name = |i: usize| self.names.get(i).cloned().unwrap_or_default();
        let players: Vec<Value> = (self.class.players.iter())
            .map(|p| {
                json!({"name": p.name, "state": p.state, "state_name": name(p.state),
                       "answered": p.answered, "overruled": p.overruled, "missed": p.missed,
                       "connected": p.client.is_some()})
            })
            .collect();
        let remaining = self
            .deadline
            .map(|d| d.saturating_duration_since(Instant::now()));
        let pending = (!self.class.open.is_empty()).then(|| {
            let (answered, waiting): (Vec<_>, Vec<_>) =
                (self.class.open.iter()).partition(|q| self.class.answered(q));
            json!({
                "tick": self.class.open[0].tick,
                "question": self.class.open[0].text,
                "waiting": waiting.iter().map(|q| name(q.state)).collect::<Vec<_>>(),
                "answered": answered.iter().map(|q| name(q.state)).collect::<Vec<_>>(),
                "remaining_ms": remaining.map_or(0, |d| d.as_millis() as u64),
            })
        });
        let choices: Vec<Value> = (self.class.decisions.iter().rev().take(50).rev())
            .map(|d| {
                let who: Vec<&str> = (self.class.players.iter())
                    .filter(|p| p.state == d.state)
                    .map(|p| p.name.as_str())
                    .collect();
                json!({"tick": d.tick, "player": who.join(", "), "state_name": name(d.state),
                       "text": d.text, "chosen": d.chosen_label, "model": d.model_label})
            })
            .collect();
        text(&json!({
            "type": "class",
            "join_code": self.class.code,
            "time_limit": self.time_limit.as_secs(),
            "players": players,
            "pending": pending,
            "choices": choices,
        }))
    }
}

/// The hub, its condition variable and the engine's command queue.
pub struct Shared {
    /// Everything shared, under one lock.
    pub hub: Mutex<Hub>,
    /// Notified when an answer arrives or a wait should end.
    pub answered: Condvar,
    /// Commands to the engine thread.
    pub commands: Mutex<Sender<Command>>,
    /// The teacher's key (`/?key=...`).
    pub teacher_key: String,
    /// Most connections at once.
    pub max_clients: usize,
}

impl Shared {
    /// The hub, locked (a panic elsewhere does not make it unusable: the data is
    /// plain and every update is whole).
    pub fn lock(&self) -> MutexGuard<'_, Hub> {
        self.hub.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends `command` to the engine thread (lost if it has ended).
    pub fn command(&self, command: Command) {
        let tx = self.commands.lock().unwrap_or_else(|e| e.into_inner());
        let _ = tx.send(command);
    }
}

/// A JSON value as a message.
pub fn text(v: &Value) -> Arc<str> {
    Arc::from(v.to_string())
}

/// An `error` message.
pub fn error(message: &str) -> Arc<str> {
    text(&json!({"type": "error", "message": message}))
}
