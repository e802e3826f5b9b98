//! `minilat serve [SCENARIO]`: the teaching page. A local web server (axum on tokio)
//! serves one page, its script and its style, all embedded in the binary (nothing
//! from the network: it works offline), and one WebSocket per browser
//! (docs/serve.md, "Protocol"). The teacher's page (`/?key=KEY`) sets a shipped
//! scenario's main parameters, runs, pauses, steps and restarts; every page sees the
//! run live; students join with the class's code and play states (classroom play).
//!
//! Four parts: [`class`] the class as data (pure), [`frame`] the world as JSON
//! messages, [`hub`] what the engine thread and the sockets share, [`engine`] the
//! thread that plays the run (the same [`crate::cli::watch::app::App`] as `minilat
//! watch`, so the same run as row K of `minilat run`). This file owns the sockets.
//!
//! Safe by default: bound to 127.0.0.1 unless `--bind` says otherwise; the teacher's
//! controls need the key printed at start; students need the join code; a message is
//! at most 4 KiB, a client may send 200 a second, at most `--max-clients` connect, and
//! each has a bounded queue (a slow one misses frames, not memory). Nothing is
//! fetched from or sent to any other machine.

pub mod class;
pub mod engine;
pub mod frame;
pub mod hub;

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;

use super::InputError;
use super::options::ScenarioOptions;
use super::shipped;
use super::watch::app::{MAX_SPEED, MIN_SPEED};
use crate::error::ScenarioErrors;
use class::Class;
use engine::{Command, Setup};
use hub::{Client, Hub, Shared, error, text};

/// Largest message a client may send, in bytes.
pub const MAX_MESSAGE: usize = 4096;
/// Messages a client may send per second before it is disconnected.
pub const MAX_RATE: u32 = 200;
/// Shortest and longest time limit of a question, in seconds.
pub const TIME_LIMITS: (u64, u64) = (5, 600);

const INDEX: &str = include_str!("serve/page/index.html");
const SCRIPT: &str = include_str!("serve/page/app.js");
const STYLE: &str = include_str!("serve/page/style.css");

/// Arguments of `minilat serve`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("seed", |a| a.help("Master seed (default: the scenario's)")),
    mut_arg("set", |a| a.help("Override a scenario field (repeatable)"))
)]
pub struct ServeArgs {
    /// Scenario to start with: a shipped scenario's name (see `minilat list`) or a
    /// file. The page can switch to any shipped scenario.
    #[arg(default_value = "classroom")]
    pub file: PathBuf,
    /// Seed and overrides.
    #[command(flatten)]
    pub scenario: ScenarioOptions,
    /// Run (replicate) to show: the same run as row K of `minilat run`.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub run: u32,
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. The default serves this machine only; to let students'
    /// devices in, give this machine's address on the class network or 0.0.0.0.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Ticks per second when running.
    #[arg(long, value_name = "TPS", default_value_t = 2.0)]
    pub speed: f64,
    /// Seconds students have to answer a question (5 to 600).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub time_limit: u64,
    /// Most browser connections at once.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_clients: usize,
    /// The class's join code (default: six letters and digits drawn at start).
    #[arg(long, value_name = "CODE")]
    pub join_code: Option<String>,
    /// The teacher's key (default: drawn at start). Anyone with it controls the run.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
}

/// Runs `minilat serve` until Ctrl-C (or SIGTERM).
pub fn serve(args: ServeArgs) -> Result<()> {
    if !(MIN_SPEED..=MAX_SPEED).contains(&args.speed) {
        return Err(InputError(format!(
            "--speed {}: ticks per second must be between {MIN_SPEED} and {MAX_SPEED}",
            args.speed
        ))
        .into());
    }
    if !(TIME_LIMITS.0..=TIME_LIMITS.1).contains(&args.time_limit) {
        return Err(InputError(format!(
            "--time-limit {}: a question stays open {} to {} seconds",
            args.time_limit, TIME_LIMITS.0, TIME_LIMITS.1
        ))
        .into());
    }
    if args.max_clients == 0 {
        return Err(InputError("--max-clients 0: at least one connection is needed".into()).into());
    }
    let code = match &args.join_code {
        Some(c) => checked_token("--join-code", c)?,
        None => token(6),
    };
    let key = match &args.key {
        Some(k) => checked_token("--key", k)?,
        None => token(16),
    };
    // A shipped scenario by its name (what `minilat run` takes), a file by its path.
    let name = args.file.to_string_lossy().into_owned();
    let name = if args.file.exists() {
        name
    } else {
        name.trim_end_matches(".toml").to_string()
    };
    let file = shipped::resolve(&args.file)?;
    let setup = Setup {
        name,
        file: file.clone(),
        set: args.scenario.overrides.set.clone(),
        run: args.run,
        speed: args.speed,
    };
    let loaded = super::load(&file, &args.scenario.overrides_with_seed())?;
    for w in &loaded.warnings {
        eprintln!("minilat: warning: {w}");
    }
    let scenario = engine::load(&setup, args.scenario.seed)?;
    let names: Vec<String> = scenario.states.iter().map(|s| s.name.clone()).collect();
    let (tx, rx) = std::sync::mpsc::channel();
    let shared = Arc::new(Shared {
        hub: Mutex::new(Hub {
            clients: BTreeMap::new(),
            next_client: 1,
            class: Class::new(code.clone()),
            time_limit: Duration::from_secs(args.time_limit),
            hurry: false,
            skip: false,
            shutdown: false,
            world: Arc::from(""),
            log: Vec::new(),
            frame: Arc::from(""),
            debrief: None,
            deadline: None,
            dropped: 0,
            names,
            order: Vec::new(),
        }),
        answered: Condvar::new(),
        commands: Mutex::new(tx),
        teacher_key: key.clone(),
        max_clients: args.max_clients,
    });
    let start_name = setup.name.clone();
    let resolve = move |n: &str| -> Result<PathBuf> {
        if n == start_name {
            return Ok(file.clone());
        }
        if !shipped::names().contains(&n) {
            return Err(InputError(format!(
                "no shipped scenario named {n:?} (`minilat list` shows them)"
            ))
            .into());
        }
        shipped::resolve(std::path::Path::new(n))
    };
    let engine = {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("minilat-serve-engine".into())
            .spawn(move || engine::main(shared, rx, setup, scenario, &resolve))
            .context("cannot start the engine thread")?
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the web server's runtime")?;
    let terminated = super::signals::termination_flag(false);
    let result = runtime.block_on(listen(
        Arc::clone(&shared),
        SocketAddr::new(args.bind, args.port),
        &key,
        &code,
        terminated,
    ));
    {
        let mut hub = shared.lock();
        hub.shutdown = true;
        hub.clients.clear();
    }
    shared.answered.notify_all();
    shared.command(Command::Shutdown);
    let _ = engine.join();
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// Serves the page and the sockets at `addr` until `terminated` is set.
async fn listen(
    shared: Arc<Shared>,
    addr: SocketAddr,
    key: &str,
    code: &str,
    terminated: Arc<std::sync::atomic::AtomicBool>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        InputError(format!(
            "--bind {} --port {}: cannot listen there: {e}",
            addr.ip(),
            addr.port()
        ))
    })?;
    let addr = listener.local_addr().context("the listening address")?;
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    println!("minilat serve: listening on http://{addr}");
    println!("  teacher (controls the run): http://{shown}/?key={key}");
    if addr.ip().is_loopback() {
        println!(
            "  students: this machine only (give --bind 0.0.0.0, or this machine's address, to let the class in)"
        );
    } else {
        println!(
            "  students: http://<this machine's address>:{}/ with join code {code}",
            addr.port()
        );
    }
    println!("  join code: {code}");
    println!("  Ctrl-C stops the server.");
    let app = Router::new()
        .route("/", get(index))
        .route("/app.js", get(script))
        .route("/style.css", get(style))
        .route("/ws", get(socket))
        .with_state(Arc::clone(&shared));
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            while !terminated.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            // Close every socket (their queues end) so the server need not wait for
            // the browsers to leave, and free the engine thread from any wait.
            let mut hub = shared.lock();
            hub.shutdown = true;
            hub.clients.clear();
            drop(hub);
            shared.answered.notify_all();
        })
        .await
        .context("the web server failed")?;
    println!("minilat serve: stopped");
    Ok(())
}

async fn index() -> Response {
    page(INDEX, "text/html; charset=utf-8")
}

async fn script() -> Response {
    page(SCRIPT, "text/javascript; charset=utf-8")
}

async fn style() -> Response {
    page(STYLE, "text/css; charset=utf-8")
}

fn page(body: &'static str, kind: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
            ),
        ],
        body,
    )
        .into_response()
}

/// `/ws`: a browser's socket; with `?key=` the teacher's.
async fn socket(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<BTreeMap<String, String>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let teacher = query
        .get("key")
        .is_some_and(|k| same(k.as_bytes(), shared.teacher_key.as_bytes()));
    // A wrong key connects as a viewer, told why (a refused socket would only make
    // the page retry).
    let wrong_key = query.contains_key("key") && !teacher;
    {
        let hub = shared.lock();
        if hub.clients.len() >= shared.max_clients || hub.shutdown {
            return (StatusCode::SERVICE_UNAVAILABLE, "too many connections").into_response();
        }
    }
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |ws| client(ws, shared, teacher, wrong_key))
}

/// Compares two secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// One client's life: greeted with the run as it stands, then its queue and its
/// messages until either side closes.
async fn client(mut ws: WebSocket, shared: Arc<Shared>, teacher: bool, wrong_key: bool) {
    let (tx, mut rx) = mpsc::channel(hub::QUEUE);
    let id = {
        let mut hub = shared.lock();
        let id = hub.next_client;
        hub.next_client += 1;
        hub.clients.insert(id, Client { tx, teacher });
        let hello = text(&json!({
            "type": "hello",
            "role": if teacher { "teacher" } else { "viewer" },
            "scenarios": shipped::names(),
            "version": env!("CARGO_PKG_VERSION"),
        }));
        hub.send(id, &hello);
        if wrong_key {
            let msg = error(
                "the teacher's key in this address is not this server's: this page only watches \
                 (the right address is the one `minilat serve` printed)",
            );
            hub.send(id, &msg);
        }
        let world = hub.world.clone();
        if !world.is_empty() {
            hub.send(id, &world);
        }
        let log = text(&json!({"type": "log", "entries": hub.log}));
        hub.send(id, &log);
        let frame = hub.frame.clone();
        if !frame.is_empty() {
            hub.send(id, &frame);
        }
        if teacher {
            let class = hub.class_message();
            hub.send(id, &class);
            if let Some(d) = hub.debrief.clone() {
                hub.send(id, &d);
            }
        }
        id
    };
    let mut window = (Instant::now(), 0u32);
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(msg) => {
                    if ws.send(Message::Text(msg.as_ref().into())).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
            incoming = ws.recv() => match incoming {
                Some(Ok(Message::Text(t))) => {
                    if window.0.elapsed() >= Duration::from_secs(1) {
                        window = (Instant::now(), 0);
                    }
                    window.1 += 1;
                    if window.1 > MAX_RATE {
                        let msg = error(&format!("more than {MAX_RATE} messages a second: disconnected"));
                        let _ = ws.send(Message::Text(msg.as_ref().into())).await;
                        break;
                    }
                    if let Some(reply) = handle(&shared, id, teacher, t.as_str()) {
                        let mut hub = shared.lock();
                        hub.send(id, &reply);
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    let mut hub = shared.lock();
                    hub.send(id, &error("messages are JSON text, not binary"));
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
        }
    }
    let played = {
        let mut hub = shared.lock();
        hub.clients.remove(&id);
        let played = hub.class.player_of(id).is_some();
        hub.class.left(id);
        played
    };
    // A player gone mid-question must not hold the class up.
    shared.answered.notify_all();
    if played {
        shared.command(Command::ClassChanged);
    }
}

/// A message from a client (docs/serve.md, "Protocol").
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Incoming {
    Control {
        action: String,
    },
    Speed {
        value: f64,
    },
    Apply {
        scenario: String,
        #[serde(default)]
        set: Vec<String>,
        seed: Option<u64>,
        #[serde(default)]
        run: u32,
    },
    TimeLimit {
        seconds: u64,
    },
    Join {
        code: String,
        name: String,
        state: Option<usize>,
    },
    Answer {
        id: u64,
        choice: usize,
    },
}

/// Acts on one message from client `id`; returns the reply to it, if any.
fn handle(shared: &Shared, id: u64, teacher: bool, raw: &str) -> Option<Arc<str>> {
    let msg: Incoming = match serde_json::from_str(raw) {
        Ok(m) => m,
        Err(e) => return Some(error(&format!("not a message minilat understands: {e}"))),
    };
    let teachers_only = || Some(error("only the teacher's page can do that"));
    match msg {
        Incoming::Control { action } => {
            if !teacher {
                return teachers_only();
            }
            let command = match action.as_str() {
                "play" => Command::Play,
                "pause" => Command::Pause,
                "step" => Command::Step,
                "restart" => {
                    shared.lock().skip = true;
                    shared.answered.notify_all();
                    Command::Restart
                }
                "hurry" => {
                    shared.lock().hurry = true;
                    shared.answered.notify_all();
                    return None;
                }
                other => {
                    return Some(error(&format!(
                        "control {other:?}: expected play, pause, step, restart or hurry"
                    )));
                }
            };
            shared.command(command);
            None
        }
        Incoming::Speed { value } => {
            if !teacher {
                return teachers_only();
            }
            if !(MIN_SPEED..=MAX_SPEED).contains(&value) {
                return Some(error(&format!(
                    "--speed {value}: ticks per second must be between {MIN_SPEED} and {MAX_SPEED}"
                )));
            }
            shared.command(Command::Speed(value));
            None
        }
        Incoming::Apply {
            scenario,
            set,
            seed,
            run,
        } => {
            if !teacher {
                return teachers_only();
            }
            shared.lock().skip = true;
            shared.answered.notify_all();
            shared.command(Command::Apply {
                scenario,
                set,
                seed,
                run,
            });
            None
        }
        Incoming::TimeLimit { seconds } => {
            if !teacher {
                return teachers_only();
            }
            if !(TIME_LIMITS.0..=TIME_LIMITS.1).contains(&seconds) {
                return Some(error(&format!(
                    "--time-limit {seconds}: a question stays open {} to {} seconds",
                    TIME_LIMITS.0, TIME_LIMITS.1
                )));
            }
            let mut hub = shared.lock();
            hub.time_limit = Duration::from_secs(seconds);
            let msg = hub.class_message();
            hub.tell_teachers(&msg);
            None
        }
        Incoming::Join { code, name, state } => {
            let mut hub = shared.lock();
            let order = hub.order.clone();
            match hub.class.join(id, &code, &name, state, &order) {
                Ok(p) => {
                    let player = &hub.class.players[p];
                    let state = player.state;
                    let msg = text(&json!({
                        "type": "joined", "name": player.name, "state": state,
                        "state_name": hub.names.get(state).cloned().unwrap_or_default(),
                    }));
                    drop(hub);
                    shared.command(Command::ClassChanged);
                    Some(msg)
                }
                Err(refusal) => Some(error(&refusal.message())),
            }
        }
        Incoming::Answer { id: q, choice } => {
            let mut hub = shared.lock();
            match hub.class.answer(id, q, choice) {
                Ok(()) => {
                    let msg = hub.class_message();
                    hub.tell_teachers(&msg);
                    drop(hub);
                    shared.answered.notify_all();
                    None
                }
                Err(refusal) => Some(error(&refusal.message())),
            }
        }
    }
}

/// What `minilat` prints for an error, as the page shows it: a scenario's problems
/// as listed by `minilat run`, else the error with its context chain.
pub fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<ScenarioErrors>() {
        Some(errors) => errors.to_string(),
        None => format!("{e:#}"),
    }
}

/// A secret of `n` characters from an alphabet without look-alikes (no 0/O, 1/I/L),
/// drawn from the process's random hash keys (the operating system's randomness; no
/// run's stream is touched).
fn token(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(n);
    let mut i = 0u64;
    while out.len() < n {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        let mut x = h.finish();
        for _ in 0..8 {
            if out.len() == n {
                break;
            }
            out.push(ALPHABET[(x % ALPHABET.len() as u64) as usize] as char);
            x /= ALPHABET.len() as u64;
        }
        i += 1;
    }
    out
}

/// A join code or key given on the command line: 4 to 64 letters and digits.
fn checked_token(flag: &str, t: &str) -> Result<String> {
    if (4..=64).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(t.to_string())
    } else {
        Err(InputError(format!("{flag} {t:?}: expected 4 to 64 letters and digits")).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_their_length_and_alphabet_and_differ() {
        let a = token(6);
        assert_eq!(a.len(), 6);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert!(!a.contains(['0', 'O', '1', 'I', 'L']));
        assert_ne!(token(16), token(16));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same(b"ABCD", b"ABCD"));
        assert!(!same(b"ABCD", b"ABCE"));
        assert!(!same(b"ABC", b"ABCD"));
    }

    /// A hub with a class of three states, and the engine's end of the queue.
    fn shared() -> (Shared, std::sync::mpsc::Receiver<Command>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let hub = Hub {
            clients: BTreeMap::new(),
            next_client: 1,
            class: Class::new("CODE42".into()),
            time_limit: Duration::from_secs(30),
            hurry: false,
            skip: false,
            shutdown: false,
            world: Arc::from(""),
            log: Vec::new(),
            frame: Arc::from(""),
            debrief: None,
            deadline: None,
            dropped: 0,
            names: vec!["A".into(), "B".into(), "C".into()],
            order: vec![2, 0, 1],
        };
        let shared = Shared {
            hub: Mutex::new(hub),
            answered: Condvar::new(),
            commands: Mutex::new(tx),
            teacher_key: "key".into(),
            max_clients: 10,
        };
        (shared, rx)
    }

    #[test]
    fn messages_are_checked_before_anything_happens() {
        let (shared, rx) = shared();
        let said = |teacher, raw: &str| {
            handle(&shared, 7, teacher, raw)
                .map(|m| m.to_string())
                .unwrap_or_default()
        };
        assert!(said(false, "{").contains("not a message minilat understands"));
        assert!(said(false, r#"{"type":"control","action":"play"}"#).contains("only the teacher"));
        assert!(said(true, r#"{"type":"control","action":"fly"}"#).contains("expected play"));
        assert!(said(true, r#"{"type":"speed","value":0}"#).contains("--speed 0"));
        assert!(said(true, r#"{"type":"time_limit","seconds":1}"#).contains("5 to 600"));
        assert!(said(false, r#"{"type":"join","code":"nope","name":"Ana"}"#).contains("join code"));
        assert!(said(false, r#"{"type":"answer","id":1,"choice":0}"#).contains("closed"));
        assert!(
            rx.try_recv().is_err(),
            "a refused message reached the engine"
        );
        assert_eq!(said(true, r#"{"type":"control","action":"step"}"#), "");
        assert_eq!(rx.try_recv().unwrap(), Command::Step);
        assert!(
            said(false, r#"{"type":"join","code":"code42","name":"Ana"}"#)
                .contains("\"state_name\":\"C\"")
        );
        assert_eq!(rx.try_recv().unwrap(), Command::ClassChanged);
    }

    proptest::proptest! {
        /// Fuzzing the message handler: no input panics it, and a student's message
        /// never reaches the engine as a teacher's command.
        #[test]
        fn no_message_panics_the_handler(
            raw in proptest::prelude::any::<String>(),
            kind in proptest::sample::select(vec!["control", "speed", "apply", "time_limit", "join", "answer", "x"]),
            value in proptest::prelude::any::<f64>(),
            number in proptest::prelude::any::<u64>(),
            teacher in proptest::prelude::any::<bool>(),
        ) {
            let (shared, rx) = shared();
            let _ = handle(&shared, 1, teacher, &raw);
            let shaped = serde_json::json!({"type": kind, "action": raw, "value": value,
                "scenario": raw, "set": [raw], "seconds": number, "code": raw, "name": raw,
                "id": number, "choice": number, "state": number, "run": number}).to_string();
            let _ = handle(&shared, 1, teacher, &shaped);
            if !teacher {
                while let Ok(c) = rx.try_recv() {
                    proptest::prop_assert_eq!(c, Command::ClassChanged);
                }
            }
        }
    }

    #[test]
    fn a_given_code_is_checked() {
        assert_eq!(checked_token("--join-code", "abc123").unwrap(), "abc123");
        assert!(checked_token("--join-code", "ab").is_err());
        assert!(checked_token("--key", "a b c d").is_err());
    }
}
