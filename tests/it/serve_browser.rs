//! The page of `minilat serve` in a real browser: headless Chromium driven over the
//! DevTools protocol (its WebSocket, through tokio-tungstenite). The teacher's page
//! loads, a slider moves and is applied (the page's command line shows it), a bad
//! value shows `--set`'s error, Step and Run play ticks, the DOM shows the network,
//! progress, deadlock, log and size chart, and a screenshot is not blank. Then the
//! browser is a student: it joins with the code, answers the questions a scripted
//! teacher's run puts to it, and gets its debrief.
//! Chromium comes from `scripts/chromium-check.sh --ensure` (installed as root if
//! missing); without it the test says SKIPPED (a failure under `.ci/run`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::common::skip;
use crate::repo;
use crate::serve::{CODE, KEY, Peer, Server};

/// A headless Chromium with one page, driven over its DevTools socket.
struct Browser {
    child: Child,
    profile: tempfile::TempDir,
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next: u64,
}

impl Browser {
    /// Starts chromium on `url` with a window of `size`; `None` if chromium cannot be had.
    async fn open(url: &str, size: (u32, u32)) -> Option<Browser> {
        let ensure = Command::new("bash")
            .arg(repo("scripts/chromium-check.sh"))
            .arg("--ensure")
            .output()
            .expect("bash runs scripts/chromium-check.sh");
        if !ensure.status.success() {
            let reason = String::from_utf8_lossy(&ensure.stderr).trim().to_string();
            skip("serve_browser", &reason);
            return None;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let mut child = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--window-size={},{}", size.0, size.1))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID"
        let mut err = BufReader::new(child.stderr.take().expect("stderr"));
        let mut port = None;
        for _ in 0..200 {
            let mut line = String::new();
            if err.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(rest) = line
                .trim()
                .strip_prefix("DevTools listening on ws://127.0.0.1:")
            {
                port = rest.split('/').next().and_then(|p| p.parse::<u16>().ok());
                break;
            }
        }
        std::thread::spawn(move || {
            let mut sink = String::new();
            let _ = err.read_to_string(&mut sink);
        });
        let port = port.expect("chromium prints its DevTools address");
        let page_ws = page_socket(port, url);
        let (ws, _) = tokio_tungstenite::connect_async(page_ws)
            .await
            .expect("DevTools socket");
        let mut b = Browser {
            child,
            profile,
            ws,
            next: 0,
        };
        b.call("Runtime.enable", json!({})).await;
        b.call("Page.enable", json!({})).await;
        let metrics = json!({"width": size.0, "height": size.1, "deviceScaleFactor": 1, "mobile": size.0 < 600});
        b.call("Emulation.setDeviceMetricsOverride", metrics).await;
        Some(b)
    }

    /// Calls a DevTools method and returns its result.
    async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let msg = json!({"id": id, "method": method, "params": params});
        self.ws
            .send(Message::text(msg.to_string()))
            .await
            .expect("DevTools send");
        loop {
            let m = tokio::time::timeout(Duration::from_secs(30), self.ws.next())
                .await
                .expect("DevTools answers")
                .expect("DevTools socket open")
                .expect("DevTools message");
            if let Message::Text(t) = m {
                let v: Value = serde_json::from_str(t.as_str()).expect("DevTools JSON");
                if v["id"] == id {
                    assert!(v.get("error").is_none(), "{method}: {v}");
                    return v["result"].clone();
                }
            }
        }
    }

    /// Evaluates `expr` in the page; its value.
    async fn eval(&mut self, expr: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
            )
            .await;
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {r}");
        r["result"]["value"].clone()
    }

    /// Waits until `expr` is true in the page.
    async fn wait_for(&mut self, expr: &str, within: Duration) {
        let start = Instant::now();
        // A page still loading has no body yet: an exception counts as not yet.
        let guarded =
            format!("(() => {{ try {{ return !!({expr}); }} catch (e) {{ return false; }} }})()");
        while start.elapsed() < within {
            if self.eval(&guarded).await == json!(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let body = self.eval("document.body.innerText.slice(0, 3000)").await;
        panic!("timed out waiting for {expr}; the page says:\n{body}");
    }

    /// A PNG screenshot of the viewport.
    async fn screenshot(&mut self) -> Vec<u8> {
        let r = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        base64(r["data"].as_str().expect("screenshot data"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.profile;
    }
}

/// The DevTools socket of the page showing `url` (`/json/list` on the DevTools port).
fn page_socket(port: u16, url: &str) -> String {
    let start = Instant::now();
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = write!(
                s,
                "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
            );
            let all = http_response(&mut s);
            if let Some(body) = all.split("\r\n\r\n").nth(1)
                && let Ok(list) = serde_json::from_str::<Vec<Value>>(body)
                && let Some(t) = list.iter().find(|t| {
                    t["type"] == "page"
                        && t["url"]
                            .as_str()
                            .is_some_and(|u| u.starts_with(url.trim_end_matches('/')))
                })
            {
                return t["webSocketDebuggerUrl"].as_str().unwrap().to_string();
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "chromium's page did not appear"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One HTTP response read whole by its Content-Length (DevTools keeps the connection
/// open, so reading to the end would wait forever).
fn http_response(s: &mut TcpStream) -> String {
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut all = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let text = String::from_utf8_lossy(&all).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_string())
                })
                .and_then(|v| v.parse::<usize>().ok());
            if length.is_some_and(|n| body.len() >= n) {
                return text;
            }
        }
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&all).into_owned(),
            Ok(n) => all.extend_from_slice(&buf[..n]),
        }
    }
}

/// Standard base64 (the screenshot).
fn base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// Decodes a PNG: (width, height, the share of pixels that are not the most common
/// colour, the number of distinct colours).
fn looks(png_bytes: &[u8]) -> (u32, u32, f64, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let step = info.color_type.samples();
    let mut counts = std::collections::HashMap::new();
    for px in buf[..info.buffer_size()].chunks(step) {
        *counts.entry(px[..3].to_vec()).or_insert(0u64) += 1;
    }
    let total: u64 = counts.values().sum();
    let top = counts.values().copied().max().unwrap_or(0);
    (
        info.width,
        info.height,
        1.0 - top as f64 / total as f64,
        counts.len(),
    )
}

/// Sets an input of the page and fires the events a user's hand would.
fn set_input(selector: &str, value: &str) -> String {
    format!(
        "(() => {{ const e = document.querySelector({sel}); e.value = {val}; \
         e.dispatchEvent(new Event('input', {{bubbles: true}})); \
         e.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()",
        sel = json!(selector),
        val = json!(value)
    )
}

fn click(selector: &str) -> String {
    format!(
        "(() => {{ document.querySelector({}).click(); return true; }})()",
        json!(selector)
    )
}

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_teachers_page_runs_in_a_real_browser_and_a_student_plays_in_another() {
    let server = Server::start(&["classroom", "--time-limit", "5", "--speed", "20"]);
    let teacher_url = format!("http://127.0.0.1:{}/?key={KEY}", server.port);
    let Some(mut b) = Browser::open(&teacher_url, (1280, 900)).await else {
        return;
    };
    b.wait_for(
        "document.body.dataset.connected === '1' && document.body.dataset.role === 'teacher' \
         && document.querySelectorAll('#network circle[data-state]').length === 12",
        WAIT,
    )
    .await;
    assert_eq!(
        b.eval("document.querySelector('#join-code').textContent.trim()")
            .await,
        json!(CODE)
    );
    // Move a slider and apply: the run restarts with it, and the page's command line says so.
    b.eval(&set_input(
        "#params input[data-path='coalitions.max_size']",
        "4",
    ))
    .await;
    b.eval(&click("#apply")).await;
    b.wait_for(
        "document.querySelector('#command').textContent.includes('--set coalitions.max_size=4')",
        WAIT,
    )
    .await;
    // A value `--set` refuses: its error, word for word.
    b.eval(&set_input("#extra", "coalitions.max_size=1")).await;
    b.eval(&click("#apply")).await;
    b.wait_for(
        "!document.querySelector('#error').hidden && document.querySelector('#error').textContent.includes('coalitions.max_size')",
        WAIT,
    )
    .await;
    b.eval(&set_input("#extra", "")).await;
    // Step: one tick.
    b.wait_for("document.body.dataset.tick === '0'", WAIT).await;
    b.eval(&click("#step")).await;
    b.wait_for("document.body.dataset.tick === '1'", WAIT).await;
    assert!(
        b.eval("document.querySelector('#status').textContent")
            .await
            .as_str()
            .unwrap()
            .contains("tick 1 / 120")
    );
    // Run until tick 30, then pause.
    b.eval(&click("#run-toggle")).await;
    b.wait_for("Number(document.body.dataset.tick) >= 30", WAIT)
        .await;
    b.eval(&click("#run-toggle")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let paused = b.eval("Number(document.body.dataset.tick)").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        b.eval("Number(document.body.dataset.tick)").await,
        paused,
        "pause did not stop the run"
    );
    // The world on the page.
    let dom = b
        .eval(
            "JSON.stringify({ entries: document.querySelectorAll('#log .entry').length, \
              progress: document.querySelectorAll('#progress [data-issue]').length, \
              deadlock: document.querySelectorAll('#deadlock [data-body]').length, \
              lines: document.querySelectorAll('#network line').length, \
              bars: document.querySelectorAll('#sizes rect[data-size]').length })",
        )
        .await;
    let dom: Value = serde_json::from_str(dom.as_str().unwrap()).unwrap();
    assert!(dom["entries"].as_u64().unwrap() > 1, "{dom}");
    assert_eq!(dom["progress"], 2, "{dom}");
    assert_eq!(dom["deadlock"], 2, "{dom}");
    assert!(
        dom["bars"].as_u64().unwrap() >= 1,
        "no coalition in the size chart by tick 30: {dom}"
    );
    let shot = b.screenshot().await;
    let (w, h, varied, colours) = looks(&shot);
    assert_eq!((w, h), (1280, 900));
    assert!(
        varied > 0.05 && colours > 50,
        "the screenshot looks blank: {varied} {colours}"
    );
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-teacher.png");
    std::fs::write(&out, &shot).unwrap();
    drop(b);

    // The browser as a student; a scripted teacher plays the run.
    let mut t = Peer::connect(server.port, Some(KEY)).await;
    t.send(json!({"type": "apply", "scenario": "classroom", "set": ["scenario.ticks=60"], "seed": 5, "run": 0}))
        .await;
    t.until("world", |m| m["seed"] == 5).await;
    let student_url = format!("http://127.0.0.1:{}/", server.port);
    let mut s = Browser::open(&student_url, (390, 844))
        .await
        .expect("chromium ran a moment ago");
    s.wait_for(
        "document.body.dataset.connected === '1' && !document.querySelector('#join-form').hidden",
        WAIT,
    )
    .await;
    s.eval(&set_input("#join-code-input", "class7")).await;
    s.eval(&set_input("#join-name", "Browser")).await;
    s.eval("document.querySelector('#join-form').requestSubmit(); true")
        .await;
    s.wait_for("!document.querySelector('#you').hidden", WAIT)
        .await;
    t.until("class", |m| {
        m["players"].as_array().is_some_and(|p| p.len() == 1)
    })
    .await;
    t.send(json!({"type": "speed", "value": 20})).await;
    t.send(json!({"type": "control", "action": "play"})).await;
    let start = Instant::now();
    let mut answered = 0;
    while s.eval("document.querySelector('#debrief').hidden").await == json!(true) {
        assert!(start.elapsed() < Duration::from_secs(120), "no debrief");
        let clicked = s
            .eval(
                "(() => { const q = document.querySelector('#question'); \
                  const b = q && q.querySelector('button[data-choice]'); \
                  if (q && q.classList.contains('open') && b && !q.querySelector('.chosen')) { b.click(); return true; } \
                  return false; })()",
            )
            .await;
        if clicked == json!(true) {
            answered += 1;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered > 0, "the student was never asked");
    let debrief = s
        .eval("document.querySelector('#debrief').textContent")
        .await;
    assert!(debrief.as_str().unwrap().contains("of 12"), "{debrief}");
    let rows = t.until("debrief", |_| true).await;
    assert_eq!(rows["rows"][0]["player"], "Browser");
}
