//! `minilat serve`: the server started as a user starts it, driven by scripted
//! clients over its WebSocket (tokio-tungstenite): a run in the page is the run of
//! `minilat run --run K`; bad parameters get `--set`'s error text; two students play a
//! game to the end and get their debrief; clients that vanish mid-game and hostile
//! messages (fuzzed) do not stop it; sixty clients keep every tick under a second.
//! The page in a real browser is in `serve_browser.rs`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::common::{minilat, read_csv};

/// The teacher's key the tests start the server with.
pub const KEY: &str = "testkey1234";
/// The join code.
pub const CODE: &str = "CLASS7";

/// A running `minilat serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// What it printed (the first lines).
    pub banner: String,
}

impl Server {
    /// Starts `minilat serve ARGS --port 0 --key KEY --join-code CODE` and waits for it
    /// to print where it listens.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_minilat"))
            .arg("serve")
            .args(args)
            .args(["--port", "0", "--key", KEY, "--join-code", CODE])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("minilat serve starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut banner = String::new();
        let mut port = None;
        for _ in 0..10 {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            banner.push_str(&line);
            if let Some(rest) = line
                .trim()
                .strip_prefix("minilat serve: listening on http://")
            {
                port = rest.rsplit(':').next().and_then(|p| p.parse().ok());
            }
            if line.contains("Ctrl-C") {
                break;
            }
        }
        let Some(port) = port else {
            let mut err = String::new();
            let _ = child.kill();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("minilat serve did not say where it listens: {banner}\n{err}");
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            let _ = out.read_to_string(&mut sink);
        });
        Server {
            child,
            port,
            banner,
        }
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    /// The server's resident memory in KiB (Linux).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    /// GET `path` over plain HTTP/1.1: (status line, headers and body).
    pub fn get(&self, path: &str) -> (String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .expect("request");
        let mut all = String::new();
        s.read_to_string(&mut all).expect("response");
        let status = all.lines().next().unwrap_or_default().to_string();
        (status, all)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One scripted browser.
pub struct Peer {
    ws: Socket,
}

impl Peer {
    /// Connects as the teacher (`key`) or a viewer.
    pub async fn connect(port: u16, key: Option<&str>) -> Peer {
        let url = match key {
            Some(k) => format!("ws://127.0.0.1:{port}/ws?key={k}"),
            None => format!("ws://127.0.0.1:{port}/ws"),
        };
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("ws connects");
        Peer { ws }
    }

    /// Sends a JSON message.
    pub async fn send(&mut self, v: Value) {
        self.ws
            .send(Message::text(v.to_string()))
            .await
            .expect("send");
    }

    /// Sends raw text.
    pub async fn send_raw(&mut self, t: String) -> bool {
        self.ws.send(Message::text(t)).await.is_ok()
    }

    /// The next JSON message (None when the socket closed), waiting at most `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let m = tokio::time::timeout(wait, self.ws.next()).await.ok()??;
            match m {
                Ok(Message::Text(t)) => {
                    return Some(serde_json::from_str(t.as_str()).expect("JSON from the server"));
                }
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// Reads until a message of type `kind` satisfying `pred` arrives.
    pub async fn until(&mut self, kind: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = self
                .next_within(left)
                .await
                .unwrap_or_else(|| panic!("no {kind} message arrived (closed or timed out)"));
            if m["type"] == kind && pred(&m) {
                return m;
            }
        }
    }
}

/// A fresh teacher starts `classroom` (seed 7, run 2, overrides `set`) and waits for
/// its `world` message.
async fn teacher_starts_with(port: u16, set: &[&str]) -> (Peer, Value) {
    let mut t = Peer::connect(port, Some(KEY)).await;
    t.until("hello", |m| m["role"] == "teacher").await;
    t.send(json!({"type": "apply", "scenario": "classroom", "set": set, "seed": 7, "run": 2}))
        .await;
    let world = t.until("world", |m| m["seed"] == 7 && m["run"] == 2).await;
    (t, world)
}

/// [`teacher_starts_with`], the teacher only.
async fn teacher_starts(port: u16, set: &[&str]) -> Peer {
    teacher_starts_with(port, set).await.0
}

/// Plays to the end at full speed; returns the last frame and every log entry.
async fn play_to_end(t: &mut Peer) -> (Value, Vec<Value>) {
    t.send(json!({"type": "speed", "value": 100})).await;
    t.send(json!({"type": "control", "action": "play"})).await;
    let mut log = Vec::new();
    loop {
        let m = t.until("frame", |_| true).await;
        log.extend(m["log"].as_array().cloned().unwrap_or_default());
        if m["finished"] == true {
            return (m, log);
        }
    }
}

/// What `minilat run classroom --seed 7 --run 2 --set SET...` wrote: progress per
/// issue, total welfare, coalitions formed.
fn cli_run(set: &[&str]) -> (Vec<f64>, f64, u32) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = minilat(dir.path());
    cmd.args([
        "run",
        "classroom",
        "--seed",
        "7",
        "--run",
        "2",
        "--out",
        "o",
    ]);
    for s in set {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
    let (header, rows) = read_csv(&dir.path().join("o/runs.csv"));
    let col = |name: &str| {
        let i = header.iter().position(|h| h == name).expect(name);
        rows[0][i].clone()
    };
    (
        vec![
            col("progress_climate").parse().unwrap(),
            col("progress_trade").parse().unwrap(),
        ],
        col("welfare_total").parse().unwrap(),
        col("coalitions_formed").parse().unwrap(),
    )
}

/// The coalitions founded, from the log's closing line ("... N coalitions founded").
fn founded(log: &[Value]) -> u32 {
    let end = log
        .iter()
        .find_map(|e| e["text"].as_str().filter(|t| t.starts_with("end:")))
        .expect("the closing line");
    let before = end.split(" coalitions founded").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().expect("a count")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_its_assets_come_from_the_binary_and_nothing_from_elsewhere() {
    let server = Server::start(&["classroom"]);
    assert!(
        server.banner.contains("join code: CLASS7"),
        "{}",
        server.banner
    );
    assert!(
        server.banner.contains(&format!("?key={KEY}")),
        "{}",
        server.banner
    );
    assert!(
        server.banner.contains("listening on http://127.0.0.1:"),
        "{}",
        server.banner
    );
    let (status, page) = server.get("/");
    assert!(status.contains("200"), "{status}");
    assert!(
        page.contains("/app.js") && page.contains("/style.css"),
        "{page}"
    );
    for path in ["/app.js", "/style.css"] {
        let (status, body) = server.get(path);
        assert!(status.contains("200"), "{path}: {status}");
        assert!(body.len() > 1000, "{path} is nearly empty");
        let body = body.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !body.contains("https://") && !body.contains("http://"),
            "{path} names another site"
        );
    }
    assert!(
        !page.contains("https://") && !page.contains("http://"),
        "the page names another site"
    );
    let (status, _) = server.get("/nothing-here");
    assert!(status.contains("404"), "{status}");
    // A wrong teacher's key only watches, and is told so.
    let mut p = Peer::connect(server.port, Some("wrong")).await;
    p.until("hello", |m| m["role"] == "viewer").await;
    let e = p.until("error", |_| true).await;
    assert!(e["message"].as_str().unwrap().contains("key"), "{e}");
    p.send(json!({"type": "control", "action": "play"})).await;
    let e = p.until("error", |_| true).await;
    assert!(
        e["message"].as_str().unwrap().contains("only the teacher"),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_in_the_page_is_the_run_of_minilat_run_with_the_same_seed() {
    let set = ["scenario.ticks=40", "coalitions.max_size=6"];
    let server = Server::start(&["classroom"]);
    let (mut t, world) = teacher_starts_with(server.port, &set).await;
    assert_eq!(
        world["command"],
        "minilat run classroom --seed 7 --run 2 --set scenario.ticks=40 --set coalitions.max_size=6"
    );
    let (last, log) = play_to_end(&mut t).await;
    assert_eq!(last["tick"], 40);
    let (progress, welfare, formed) = cli_run(&set);
    assert_eq!(numbers(&last["progress"]), progress);
    let total: f64 = numbers(&last["welfare"]).iter().sum();
    assert_eq!(total, welfare);
    assert_eq!(founded(&log), formed);
    // Restart: the next seed, paused at tick 0.
    t.send(json!({"type": "control", "action": "restart"}))
        .await;
    let w = t.until("world", |m| m["seed"] == 8).await;
    assert_eq!(w["ticks"], 40);
    let f = t.until("frame", |_| true).await;
    assert_eq!(
        (f["tick"].as_u64(), f["running"].as_bool()),
        (Some(0), Some(false))
    );
    // Step: one tick, paused.
    t.send(json!({"type": "control", "action": "step"})).await;
    let f = t.until("frame", |m| m["tick"] == 1).await;
    assert_eq!(f["running"], false);
    // A page that connects now gets the whole log once, then the frame without it.
    let mut late = Peer::connect(server.port, None).await;
    let log = late.until("log", |_| true).await;
    assert!(!log["entries"].as_array().unwrap().is_empty());
    let f = late.until("frame", |_| true).await;
    assert_eq!(
        (f["tick"].as_u64(), f["log"].as_array().map(Vec::len)),
        (Some(1), Some(0))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_parameter_gets_the_error_text_of_set_and_the_run_goes_on() {
    let server = Server::start(&["classroom"]);
    let mut t = teacher_starts(server.port, &["scenario.ticks=30"]).await;
    t.send(json!({"type": "apply", "scenario": "classroom", "set": ["coalitions.max_size=1"], "seed": 7, "run": 2}))
        .await;
    let e = t.until("error", |_| true).await;
    let message = e["message"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = minilat(dir.path())
        .args(["run", "classroom", "--set", "coalitions.max_size=1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("coalitions.max_size"), "{message}");
    assert!(stderr.contains(&message), "page: {message}\ncli: {stderr}");
    // An unknown scenario, a speed out of range, a student's control: refused.
    t.send(json!({"type": "apply", "scenario": "atlantis", "set": [], "run": 0}))
        .await;
    let e = t.until("error", |_| true).await;
    assert!(e["message"].as_str().unwrap().contains("atlantis"), "{e}");
    t.send(json!({"type": "speed", "value": 1000})).await;
    let e = t.until("error", |_| true).await;
    assert!(
        e["message"].as_str().unwrap().starts_with("--speed 1000"),
        "{e}"
    );
    let mut v = Peer::connect(server.port, None).await;
    v.until("hello", |m| m["role"] == "viewer").await;
    v.send(json!({"type": "control", "action": "play"})).await;
    let e = v.until("error", |_| true).await;
    assert!(
        e["message"].as_str().unwrap().contains("only the teacher"),
        "{e}"
    );
    // The run is still the one that was applied: stepping works.
    t.send(json!({"type": "control", "action": "step"})).await;
    t.until("frame", |m| m["tick"] == 1).await;
}

/// A student: joins, then answers every question with `pick(number of options)`
/// until the debrief (or until `quit_after` questions, then vanishes).
async fn student(
    port: u16,
    name: &str,
    pick: fn(usize) -> usize,
    quit_after: Option<usize>,
) -> (Value, usize) {
    let mut s = Peer::connect(port, None).await;
    s.until("hello", |_| true).await;
    s.send(json!({"type": "join", "code": "class7", "name": name}))
        .await;
    let joined = s.until("joined", |_| true).await;
    let mut asked = 0;
    loop {
        let Some(m) = s.next_within(Duration::from_secs(120)).await else {
            panic!("{name}: the socket closed before the debrief");
        };
        match m["type"].as_str() {
            Some("question") => {
                asked += 1;
                if quit_after.is_some_and(|q| asked > q) {
                    // Vanish mid-game: no close frame.
                    drop(s);
                    return (joined, asked);
                }
                let n = m["options"].as_array().unwrap().len();
                s.send(json!({"type": "answer", "id": m["id"], "choice": pick(n)}))
                    .await;
            }
            Some("debrief") => return (m, asked),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_students_play_a_game_to_the_end_and_get_their_debrief() {
    let server = Server::start(&["classroom", "--time-limit", "5"]);
    let mut t = teacher_starts(server.port, &["scenario.ticks=60"]).await;
    let port = server.port;
    let a = tokio::spawn(student(port, "Ana", |_| 0, None));
    let b = tokio::spawn(student(port, "Ben", |n| n - 1, None));
    // Both joined: the class lists them.
    t.until("class", |m| {
        m["players"].as_array().is_some_and(|p| p.len() == 2)
    })
    .await;
    let (last, log) = play_to_end(&mut t).await;
    assert_eq!(last["tick"], 60);
    let debrief = t.until("debrief", |_| true).await;
    let rows = debrief["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 2, "{debrief}");
    for (task, name) in [(a, "Ana"), (b, "Ben")] {
        let (d, asked) = task.await.unwrap();
        assert!(asked > 0, "{name} was never asked");
        assert!(d["payoff"].as_f64().unwrap().is_finite(), "{d}");
        assert!(d["model_payoff"].as_f64().unwrap().is_finite(), "{d}");
        assert!(d["rank"].as_u64().unwrap() >= 1);
        assert_eq!(d["of"], 12);
        assert!(d["text"].as_str().unwrap().contains("model's agent"), "{d}");
        let row = rows.iter().find(|r| r["player"] == name).unwrap();
        assert_eq!(row["payoff"], d["payoff"]);
        assert!(
            row["overruled"].as_u64().unwrap() + row["missed"].as_u64().unwrap()
                <= row["decisions"].as_u64().unwrap()
        );
    }
    // Their decisions are in the log, in the player's tone.
    let decisions = log.iter().filter(|e| e["tone"] == "player").count();
    assert!(decisions > 0, "no player decision in the log");
    assert!(
        log.iter()
            .any(|e| e["text"].as_str().unwrap().contains("Ana ("))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn students_who_vanish_leave_the_run_to_the_model() {
    // Nobody answers (both students are gone before the run starts): the run is the
    // run of `minilat run`, to the bit.
    let set = ["scenario.ticks=40"];
    let server = Server::start(&["classroom", "--time-limit", "5"]);
    let mut t = teacher_starts(server.port, &set).await;
    for name in ["Cy", "Di"] {
        let mut s = Peer::connect(server.port, None).await;
        s.send(json!({"type": "join", "code": CODE, "name": name}))
            .await;
        s.until("joined", |_| true).await;
        drop(s);
    }
    t.until("class", |m| {
        m["players"]
            .as_array()
            .is_some_and(|p| p.len() == 2 && p.iter().all(|x| x["connected"] == false))
    })
    .await;
    let started = Instant::now();
    let (last, log) = play_to_end(&mut t).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the class waited for absent students"
    );
    let (progress, welfare, formed) = cli_run(&set);
    assert_eq!(numbers(&last["progress"]), progress);
    assert_eq!(numbers(&last["welfare"]).iter().sum::<f64>(), welfare);
    assert_eq!(founded(&log), formed);
    // One student answers three questions and vanishes mid-game: the run ends.
    t.send(json!({"type": "control", "action": "restart"}))
        .await;
    t.until("world", |m| m["seed"] == 8).await;
    let task = tokio::spawn(student(server.port, "Eve", |_| 1, Some(3)));
    t.until("class", |m| {
        m["players"].as_array().is_some_and(|p| p.len() == 3)
    })
    .await;
    let (last, _) = play_to_end(&mut t).await;
    assert_eq!(last["finished"], true);
    let (_, asked) = task.await.unwrap();
    assert!(asked >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_with_browsers_still_connected() {
    let mut server = Server::start(&["classroom"]);
    let mut t = Peer::connect(server.port, Some(KEY)).await;
    t.until("hello", |_| true).await;
    let mut v = Peer::connect(server.port, None).await;
    v.until("hello", |_| true).await;
    let pid = server.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("try_wait") {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(server.banner.contains("Ctrl-C stops the server"));
    drop((t, v));
}

/// A small deterministic generator for the fuzzing (xorshift64*).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A hostile value: huge, negative, fractional, a long string, nested, null.
    fn value(&mut self) -> Value {
        match self.below(9) {
            0 => json!(u64::MAX),
            1 => json!(-1),
            2 => json!(1e308),
            3 => json!("x".repeat(self.below(3000) as usize)),
            4 => json!([[[[[[[[[[1]]]]]]]]]]),
            5 => json!(null),
            6 => json!({"a": {"b": {"c": []}}}),
            7 => json!(self.below(20)),
            _ => json!("coalitions.max_size=0"),
        }
    }

    /// A hostile message: broken JSON, wrong types, unknown fields, valid ones with
    /// absurd values.
    fn message(&mut self) -> String {
        let types = [
            "control",
            "speed",
            "apply",
            "time_limit",
            "join",
            "answer",
            "nope",
            "",
        ];
        let keys = [
            "action", "value", "scenario", "set", "seed", "run", "seconds", "code", "name",
            "state", "id", "choice",
        ];
        match self.below(6) {
            0 => {
                let n = self.below(200) as usize;
                (0..n)
                    .map(|_| char::from(32 + self.below(95) as u8))
                    .collect()
            }
            1 => "{\"type\":".repeat(self.below(50) as usize + 1),
            2 => json!({"type": types[self.below(types.len() as u64) as usize]}).to_string(),
            _ => {
                let mut m = serde_json::Map::new();
                m.insert(
                    "type".into(),
                    json!(types[self.below(types.len() as u64) as usize]),
                );
                for _ in 0..self.below(5) {
                    let k = keys[self.below(keys.len() as u64) as usize];
                    m.insert(k.into(), self.value());
                }
                Value::Object(m).to_string()
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_and_malformed_messages_do_not_crash_or_bloat_the_server() {
    let mut server = Server::start(&["classroom", "--time-limit", "5"]);
    let port = server.port;
    let mut t = teacher_starts(port, &["scenario.ticks=1000"]).await;
    t.send(json!({"type": "speed", "value": 100})).await;
    t.send(json!({"type": "control", "action": "play"})).await;
    t.until("frame", |m| m["tick"].as_u64().is_some_and(|x| x > 5))
        .await;
    let before = server.rss_kib();
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let mut sent = 0;
    // 60 connections, half of them with the teacher's key, 18 messages each (under
    // the rate limit); every tenth sends an oversized message and must be closed.
    for c in 0..60 {
        let key = (c % 2 == 0).then_some(KEY);
        let mut p = Peer::connect(port, key).await;
        for _ in 0..18 {
            let mut m = noise.message();
            // Keep the teacher's fuzz from pausing or restarting for good: the run
            // must still be playing at the end.
            if m.contains("apply") || m.contains("control") {
                m = m.replace("apply", "nope").replace("control", "nope");
            }
            if !p.send_raw(m).await {
                break;
            }
            sent += 1;
        }
        if c % 10 == 9 {
            p.send_raw("y".repeat(10_000)).await;
            let closed = loop {
                match p.next_within(Duration::from_secs(10)).await {
                    None => break true,
                    Some(_) => continue,
                }
            };
            assert!(closed, "an oversized message did not close the socket");
        }
        drop(p);
    }
    assert!(sent > 900, "{sent}");
    // Over the rate limit: disconnected with a reason.
    let mut p = Peer::connect(port, None).await;
    for _ in 0..400 {
        p.send_raw("{}".into()).await;
    }
    let mut told = false;
    while let Some(m) = p.next_within(Duration::from_secs(10)).await {
        if m["type"] == "error" && m["message"].as_str().unwrap().contains("messages a second") {
            told = true;
        }
    }
    assert!(told, "the flood was not cut off");
    assert!(server.alive(), "the server died");
    // Still serving: a new teacher sees the run going on.
    let mut t2 = Peer::connect(port, Some(KEY)).await;
    let f = t2.until("frame", |_| true).await;
    let tick = f["tick"].as_u64().unwrap();
    t2.until("frame", |m| m["tick"].as_u64().unwrap() > tick)
        .await;
    let after = server.rss_kib();
    assert!(
        after < before + 64 * 1024,
        "resident memory grew from {before} KiB to {after} KiB"
    );
    drop(t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_students_keep_every_tick_under_a_second() {
    // un-vs-g20: 195 states; sixty students play the sixty largest, answering at once.
    let server = Server::start(&["un-vs-g20", "--time-limit", "30"]);
    let port = server.port;
    let mut t = Peer::connect(port, Some(KEY)).await;
    t.until("hello", |_| true).await;
    t.send(json!({"type": "apply", "scenario": "un-vs-g20", "set": ["scenario.ticks=30"], "seed": 3, "run": 0}))
        .await;
    t.until("world", |m| m["seed"] == 3).await;
    let mut students = Vec::new();
    for i in 0..60 {
        students.push(tokio::spawn(async move {
            let name = format!("S{i}");
            let mut s = Peer::connect(port, None).await;
            s.send(json!({"type": "join", "code": CODE, "name": name}))
                .await;
            s.until("joined", |_| true).await;
            let mut asked = 0u32;
            loop {
                match s.next_within(Duration::from_secs(120)).await {
                    Some(m) if m["type"] == "question" => {
                        asked += 1;
                        let n = m["options"].as_array().unwrap().len() as u64;
                        let choice = (i as u64 + asked as u64) % n;
                        s.send(json!({"type": "answer", "id": m["id"], "choice": choice}))
                            .await;
                    }
                    Some(m) if m["type"] == "debrief" => return asked,
                    Some(_) => {}
                    None => panic!("student {i}: closed before the debrief"),
                }
            }
        }));
    }
    t.until("class", |m| {
        m["players"].as_array().is_some_and(|p| p.len() == 60)
    })
    .await;
    t.send(json!({"type": "speed", "value": 100})).await;
    t.send(json!({"type": "control", "action": "play"})).await;
    let mut last = Instant::now();
    let mut slowest = Duration::ZERO;
    loop {
        let f = t.until("frame", |_| true).await;
        if f["tick"].as_u64().unwrap() > 0 {
            slowest = slowest.max(last.elapsed());
        }
        last = Instant::now();
        if f["finished"] == true {
            break;
        }
    }
    let mut asked = 0;
    for s in students {
        asked += s.await.unwrap();
    }
    assert!(asked > 60, "the students were asked only {asked} questions");
    eprintln!("sixty students: {asked} questions, slowest tick {slowest:?}");
    assert!(slowest < Duration::from_secs(1), "a tick took {slowest:?}");
}
