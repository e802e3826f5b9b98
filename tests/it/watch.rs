//! `minilat watch`: refuses without a terminal, and in a real terminal (tmux) it
//! shows the run, pauses, steps exactly one tick and quits cleanly on q, Ctrl-C and
//! SIGTERM, leaving the terminal as it found it (not in raw mode).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{minilat, skip, stderr_of, stdout_of};
use crate::fixtures::QUICKSTART;
use crate::root;

#[test]
fn watch_refuses_when_stdout_is_not_a_terminal() {
    // assert_cmd captures stdout through a pipe.
    let out = minilat(&root())
        .args(["watch", QUICKSTART])
        .output()
        .expect("minilat runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("minilat story scenarios/quickstart.toml"),
        "{err}"
    );
}

#[test]
fn watch_rejects_bad_input_with_exit_code_2() {
    for args in [
        vec!["watch", QUICKSTART, "--speed", "0"],
        vec!["watch", QUICKSTART, "--run", "100000"],
        vec!["watch", QUICKSTART, "--set", "scenario.ticks=-3"],
        vec!["watch", "no/such/file.toml"],
    ] {
        let out = minilat(&root()).args(&args).output().expect("minilat runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
    }
}

/// A tmux server of our own (its socket in a temporary folder, no user
/// configuration), killed on drop even when the test fails; the folder goes with it.
struct Tmux {
    session: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `minilat watch ARGS` in a detached 100x30 session; its process id, its
    /// stderr, its exit code and then the terminal's settings (`stty -a`) go to files
    /// in a temporary folder.
    fn start(args: &str) -> Tmux {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("minilat-watch-{}-{nanos}", std::process::id());
        let dir = tempfile::tempdir().expect("a temporary folder");
        let tmux = Tmux { session: name, dir };
        let inner = format!(
            "echo $$ >{}; exec {} watch {args}",
            quote(&tmux.dir.path().join("pid")),
            quote(Path::new(env!("CARGO_BIN_EXE_minilat"))),
        );
        let command = format!(
            "sh -c {} 2>{}; echo $? >{}; stty -a >{}",
            quote(Path::new(&inner)),
            quote(&tmux.stderr_path()),
            quote(&tmux.code_path()),
            quote(&tmux.dir.path().join("stty"))
        );
        let status = tmux
            .tmux()
            .args([
                "new-session",
                "-d",
                "-s",
                &tmux.session,
                "-x",
                "100",
                "-y",
                "30",
            ])
            .arg("-c")
            .arg(root())
            .arg(command)
            .status()
            .expect("tmux starts");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    fn tmux(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-f", "/dev/null", "-S"])
            .arg(self.dir.path().join("socket"))
            .env("TERM", "xterm-256color");
        cmd
    }

    fn stderr_path(&self) -> PathBuf {
        self.dir.path().join("stderr")
    }

    fn code_path(&self) -> PathBuf {
        self.dir.path().join("code")
    }

    /// What the program printed on stderr, for failure messages.
    fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr_path()).unwrap_or_default()
    }

    /// The screen's text (empty once the session is gone).
    fn capture(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("tmux runs");
        stdout_of(&out)
    }

    fn send(&self, key: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", &self.session, key])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux send-keys {key} failed");
    }

    fn alive(&self) -> bool {
        self.tmux()
            .args(["has-session", "-t", &self.session])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Polls the screen until `ok` holds (or panics after `secs` seconds with what
    /// was last seen); returns that screen.
    fn wait_for(&self, what: &str, secs: u64, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < end,
                "waited {secs} s for {what}; the screen:\n{screen}\nstderr: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Sends `signal` (e.g. "TERM") to the program.
    fn kill(&self, signal: &str) {
        let pid = std::fs::read_to_string(self.dir.path().join("pid")).expect("the pid file");
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), pid.trim()])
            .status();
        assert!(sent.expect("kill runs").success(), "kill -{signal} {pid}");
    }

    /// The terminal's settings after the program ended (`stty -a`): whether it is
    /// back in canonical mode with echo (raw mode turns both off).
    fn restored(&self) -> bool {
        let stty = std::fs::read_to_string(self.dir.path().join("stty")).unwrap_or_default();
        let flags: Vec<&str> = stty.split_whitespace().collect();
        flags.contains(&"icanon") && flags.contains(&"echo")
    }

    /// Waits until the session has ended and returns the program's exit code.
    fn wait_for_exit(&self, secs: u64) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        while self.alive() {
            assert!(
                Instant::now() < end,
                "the session still runs {secs} s after quitting; the screen:\n{}",
                self.capture()
            );
            std::thread::sleep(Duration::from_millis(40));
        }
        std::fs::read_to_string(self.code_path())
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").output();
    }
}

/// `path` in single quotes for the shell.
fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// The tick in the header ("tick 15/120"), if the header is on screen.
fn tick(screen: &str) -> Option<u32> {
    let header = screen.lines().next()?;
    let rest = &header[header.find("│ tick ")? + "│ tick ".len()..];
    rest.split('/').next()?.trim().parse().ok()
}

/// Whether tmux runs; if it is missing and we are root with apt-get, installs Debian's
/// `tmux` first (once per test binary, as `scripts/chromium-check.sh` does for
/// chromium), so CI, which requires system tests, can run these.
fn has_tmux() -> bool {
    static READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *READY.get_or_init(|| {
        let runs = || {
            Command::new("tmux")
                .arg("-V")
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if runs() {
            return true;
        }
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        let install =
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux";
        root && Command::new("sh")
            .args(["-c", install])
            .output()
            .is_ok_and(|o| o.status.success())
            && runs()
    })
}

#[test]
fn watch_in_tmux_pauses_steps_one_tick_and_quits() {
    if !has_tmux() {
        skip("watch e2e", "tmux is not installed");
        return;
    }
    let tmux = Tmux::start(&format!("{QUICKSTART} --seed 3 --speed 20"));
    // The whole first frame: tmux may be captured while it is half drawn.
    let first = tmux.wait_for("the header and the help line", 10, |s| {
        tick(s).is_some() && s.contains("space pause/resume")
    });
    assert!(first.contains("seed 3"), "{first}");

    tmux.send("Space");
    let paused = tmux.wait_for("paused", 5, |s| {
        s.lines().next().is_some_and(|h| h.contains("paused"))
    });
    let t = tick(&paused).expect("a tick in the header");
    assert!(t < 120, "the run ended before it was paused:\n{paused}");
    // Paused means paused: at 20 ticks/s a quarter second would be five ticks.
    std::thread::sleep(Duration::from_millis(250));
    assert_eq!(tick(&tmux.capture()), Some(t), "ticks went on while paused");

    tmux.send("n");
    let stepped = tmux.wait_for("one step", 5, |s| tick(s) != Some(t));
    assert_eq!(tick(&stepped), Some(t + 1), "{stepped}");
    assert!(
        stepped.lines().next().unwrap().contains("paused"),
        "{stepped}"
    );
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(tick(&tmux.capture()), Some(t + 1), "more than one tick");

    tmux.send("q");
    assert_eq!(tmux.wait_for_exit(5), "0", "stderr: {}", tmux.stderr());
    assert_eq!(tmux.stderr(), "");
    assert!(tmux.restored(), "the terminal was left in raw mode");
}

#[test]
fn watch_in_tmux_quits_on_ctrl_c() {
    if !has_tmux() {
        skip("watch e2e", "tmux is not installed");
        return;
    }
    let tmux = Tmux::start(&format!("{QUICKSTART} --speed 2"));
    tmux.wait_for("the header", 10, |s| tick(s).is_some());
    tmux.send("C-c");
    assert_eq!(tmux.wait_for_exit(5), "0", "stderr: {}", tmux.stderr());
    assert!(tmux.restored(), "the terminal was left in raw mode");
}

#[test]
fn watch_in_tmux_restores_the_terminal_on_sigterm_and_sighup() {
    if !has_tmux() {
        skip("watch e2e", "tmux is not installed");
        return;
    }
    for signal in ["TERM", "HUP"] {
        let tmux = Tmux::start(&format!("{QUICKSTART} --speed 2"));
        tmux.wait_for("the header", 10, |s| tick(s).is_some());
        tmux.kill(signal);
        assert_eq!(tmux.wait_for_exit(5), "0", "{signal}: {}", tmux.stderr());
        assert!(
            tmux.restored(),
            "{signal}: the terminal was left in raw mode"
        );
    }
}
