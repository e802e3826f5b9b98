//! `minilat watch FILE`: one run, live in the terminal (teaching mode). The run is
//! the same as row K of `minilat run` (`RunKey { point: 0, replicate: K }`); it ticks
//! at a chosen speed, pauses, steps one tick at a time and restarts with the next
//! seed, while the event log says in plain words what happened and why.
//!
//! Three parts: [`app::App`] holds the run and answers keys (pure), [`view::render`]
//! draws it (pure, no clock), and the event loop here is a thin shell around them that
//! owns the terminal: raw mode and the alternate screen, restored on every way out
//! (normal exit, error, panic, Ctrl-C, which raw mode delivers as a key, and SIGTERM,
//! SIGHUP or SIGINT sent by another process).

pub(crate) mod app;
mod view;

use std::io::{IsTerminal, Stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::{cursor, execute, terminal};

use super::InputError;
use super::options::ScenarioOptions;
use crate::scenario::Scenario;
use app::{App, Control, MAX_SPEED, MIN_SPEED, Settings, reseed};

/// Arguments of `minilat watch`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("seed", |a| a.help("Master seed (default: the scenario's)")),
    mut_arg("set", |a| a.help("Override a scenario field (repeatable)"))
)]
pub struct WatchArgs {
    /// Scenario file (TOML), or the name of a shipped scenario (see `minilat list`).
    pub file: PathBuf,
    /// Seed and overrides.
    #[command(flatten)]
    pub scenario: ScenarioOptions,
    /// Run (replicate) to show: the same run as row K of `minilat run`.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub run: u32,
    /// Ticks per second.
    #[arg(long, value_name = "TPS", default_value_t = 4.0)]
    pub speed: f64,
}

/// Runs `minilat watch`.
pub fn watch(args: WatchArgs) -> Result<()> {
    let loaded = super::load_run(&args.file, &args.scenario, args.run)?;
    let mut scenario = loaded.scenario;
    if !(MIN_SPEED..=MAX_SPEED).contains(&args.speed) {
        return Err(InputError(format!(
            "--speed {}: ticks per second must be between {MIN_SPEED} and {MAX_SPEED}",
            args.speed
        ))
        .into());
    }
    if !std::io::stdout().is_terminal() {
        return Err(InputError(format!(
            "minilat watch draws a live view and needs a terminal, but standard output is not one; \
             to get the run as text, use `minilat story {}`",
            args.file.display()
        ))
        .into());
    }
    for w in &loaded.warnings {
        eprintln!("minilat: warning: {w}");
    }
    let settings = Settings {
        run: args.run,
        speed: args.speed,
        paused: false,
    };
    // A termination signal ends the session through the loop, which restores the
    // terminal (the handler itself only sets a flag).
    let terminated = super::signals::termination_flag(false);
    let mut screen = Screen::enter()?;
    let result = session(&mut screen.terminal, &mut scenario, settings, &terminated);
    // Restore before main prints an error.
    drop(screen);
    result
}

/// Plays runs until the user quits: a restart rebuilds the [`App`] with the next seed.
fn session(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    scenario: &mut Scenario,
    mut settings: Settings,
    terminated: &AtomicBool,
) -> Result<()> {
    loop {
        let mut app = App::new(scenario, settings);
        match drive(terminal, &mut app, terminated)? {
            Control::Restart => {
                settings = app.settings();
                reseed(scenario);
            }
            Control::Quit | Control::Continue => return Ok(()),
        }
    }
}

/// Longest wait for a key before the loop looks at the termination flag again (set
/// by SIGTERM, SIGHUP or SIGINT: the session ends at the next turn of the loop).
const SIGNAL_CHECK: Duration = Duration::from_millis(200);

/// The event loop of one run: draw, wait for a key or the next tick, repeat. Returns
/// [`Control::Quit`] (also on a termination signal) or [`Control::Restart`].
fn drive(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App<'_>,
    terminated: &AtomicBool,
) -> Result<Control> {
    let mut last_tick = Instant::now();
    loop {
        terminal
            .draw(|frame| view::render(app, frame))
            .context("drawing the view")?;
        let timeout = if app.running() {
            let due = last_tick + Duration::from_secs_f64(app.interval());
            due.saturating_duration_since(Instant::now())
        } else {
            // Nothing ticks: wait for a key (and redraw now and then after a resize).
            Duration::from_secs(1)
        };
        if terminated.load(Ordering::SeqCst) {
            return Ok(Control::Quit);
        }
        if event::poll(timeout.min(SIGNAL_CHECK)).context("reading the terminal")? {
            match event::read().context("reading the terminal")? {
                Event::Key(key) => match app.handle_key(key) {
                    Control::Continue => {}
                    other => return Ok(other),
                },
                Event::Resize(..) => terminal.autoresize().context("resizing the view")?,
                _ => {}
            }
        }
        if app.running() && last_tick.elapsed().as_secs_f64() >= app.interval() {
            app.step();
            last_tick = Instant::now();
        } else if !app.running() {
            last_tick = Instant::now();
        }
    }
}

/// Set while the terminal is in raw mode on the alternate screen, so that it is
/// restored exactly once (by the panic hook or by [`Screen`]'s drop, whichever comes
/// first: leaving the alternate screen twice could move the cursor over a message).
static RAW: AtomicBool = AtomicBool::new(false);

/// The terminal in raw mode on the alternate screen; restored when dropped.
struct Screen {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Screen {
    /// Enters raw mode and the alternate screen, and installs a panic hook that
    /// restores the terminal before the panic message is printed.
    fn enter() -> Result<Screen> {
        install_panic_hook();
        terminal::enable_raw_mode().context("switching the terminal to raw mode")?;
        RAW.store(true, Ordering::SeqCst);
        let terminal = match Terminal::new(CrosstermBackend::new(std::io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore_terminal();
                return Err(e).context("opening the terminal");
            }
        };
        // From here on, an early return drops the screen and restores the terminal.
        let mut screen = Screen { terminal };
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide
        )
        .context("switching to the alternate screen")?;
        screen.terminal.clear().context("clearing the screen")?;
        Ok(screen)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Leaves the alternate screen, shows the cursor, ends raw mode (once).
fn restore_terminal() {
    if RAW.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            std::io::stdout(),
            terminal::LeaveAlternateScreen,
            cursor::Show
        );
        let _ = terminal::disable_raw_mode();
    }
}

/// Restores the terminal before the default hook prints a panic's message (else it
/// lands, garbled, on the alternate screen in raw mode and is lost).
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::app::{App, Control, MAX_SPEED, MIN_SPEED, Settings, reseed};
    use super::view;
    use crate::scenario::Scenario;

    /// The classroom scenario if it exists, else the quickstart, with seed 7.
    fn scenario() -> Scenario {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let classroom = root.join("scenarios/classroom.toml");
        let file = if classroom.exists() {
            classroom
        } else {
            root.join("scenarios/quickstart.toml")
        };
        Scenario::from_path(&file, &["scenario.seed=7".to_string()])
            .expect("the shipped scenario is valid")
            .scenario
    }

    fn settings() -> Settings {
        Settings {
            run: 0,
            speed: 4.0,
            paused: false,
        }
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn char_key(c: char) -> KeyEvent {
        key(KeyCode::Char(c))
    }

    /// The screen as text, one line per row, trailing spaces trimmed.
    fn screen(app: &App<'_>, w: u16, h: u16) -> String {
        let mut terminal = ratatui::Terminal::new(TestBackend::new(w, h)).expect("test backend");
        terminal
            .draw(|frame| view::render(app, frame))
            .expect("drawing into a test backend");
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..h {
            let mut line = String::new();
            for x in 0..w {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    #[test]
    fn snapshots_at_tick_0_and_after_15_ticks() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        insta::assert_snapshot!("watch_tick0_100x30", screen(&app, 100, 30));
        insta::assert_snapshot!("watch_tick0_80x24", screen(&app, 80, 24));
        for _ in 0..15 {
            app.step();
        }
        assert_eq!(app.tick(), 15);
        insta::assert_snapshot!("watch_tick15_100x30", screen(&app, 100, 30));
        insta::assert_snapshot!("watch_tick15_80x24", screen(&app, 80, 24));
        insta::assert_snapshot!("watch_tick15_140x40", screen(&app, 140, 40));
    }

    #[test]
    fn every_size_from_tiny_to_huge_draws_without_panicking() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        for _ in 0..40 {
            app.step();
        }
        for (w, h) in [(1, 1), (10, 5), (40, 12), (79, 23), (80, 24), (200, 60)] {
            let text = screen(&app, w, h);
            assert_eq!(text.lines().count(), h as usize);
        }
        // The header says where the run is.
        assert!(
            screen(&app, 80, 24)
                .lines()
                .next()
                .unwrap()
                .contains("tick 40/")
        );
    }

    #[test]
    fn the_finished_run_says_so_and_stays() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        while !app.finished() {
            app.step();
        }
        let ticks = scenario.ticks;
        assert_eq!(app.tick(), ticks);
        let text = screen(&app, 100, 30);
        assert!(text.lines().next().unwrap().contains("finished"), "{text}");
        assert!(text.contains("end: after"), "{text}");
        // Keys other than r and q leave it as it is.
        assert_eq!(app.handle_key(char_key(' ')), Control::Continue);
        assert_eq!(app.handle_key(char_key('n')), Control::Continue);
        assert_eq!(app.tick(), ticks);
        assert!(app.finished() && !app.running());
    }

    #[test]
    fn space_toggles_pause() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        assert!(app.running());
        assert_eq!(app.handle_key(char_key(' ')), Control::Continue);
        assert!(app.paused && !app.running());
        assert!(
            screen(&app, 80, 24)
                .lines()
                .next()
                .unwrap()
                .contains("paused")
        );
        app.handle_key(char_key(' '));
        assert!(!app.paused && app.running());
        assert!(
            screen(&app, 80, 24)
                .lines()
                .next()
                .unwrap()
                .contains("running")
        );
        assert_eq!(app.tick(), 0);
    }

    #[test]
    fn n_and_right_step_exactly_one_tick_and_pause() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        app.handle_key(char_key(' '));
        app.handle_key(char_key('n'));
        assert_eq!(app.tick(), 1);
        app.handle_key(key(KeyCode::Right));
        assert_eq!(app.tick(), 2);
        assert!(app.paused);
        // While running, n pauses and then steps.
        app.handle_key(char_key(' '));
        assert!(app.running());
        app.handle_key(char_key('n'));
        assert_eq!(app.tick(), 3);
        assert!(app.paused);
    }

    #[test]
    fn stepping_by_keys_is_the_run_of_minilat_run() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        for _ in 0..scenario.ticks {
            app.handle_key(char_key('n'));
        }
        let summary = crate::engine::run(
            &scenario,
            crate::engine::RunKey {
                point: 0,
                replicate: 0,
            },
            &mut crate::metrics::Discard,
        );
        let world = app.sim().world();
        for (k, p) in summary.progress.iter().enumerate() {
            assert_eq!(world.issues[k].progress.to_bits(), p.to_bits());
        }
        assert_eq!(f64::from(world.next_serial), summary.coalitions_formed);
    }

    #[test]
    fn plus_and_minus_change_speed_within_bounds() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        app.handle_key(char_key('+'));
        assert!((app.speed - 6.0).abs() < 1e-9);
        app.handle_key(char_key('-'));
        app.handle_key(char_key('-'));
        assert!((app.speed - 4.0 / 1.5).abs() < 1e-9);
        for _ in 0..50 {
            app.handle_key(char_key('+'));
        }
        assert_eq!(app.speed, MAX_SPEED);
        for _ in 0..50 {
            app.handle_key(char_key('-'));
        }
        assert_eq!(app.speed, MIN_SPEED);
        assert_eq!(app.tick(), 0);
    }

    #[test]
    fn r_restarts_at_tick_0_with_the_next_seed() {
        let mut scenario = scenario();
        let seed = scenario.seed;
        let mut app = App::new(&scenario, settings());
        for _ in 0..10 {
            app.step();
        }
        app.handle_key(char_key('+'));
        assert_eq!(app.handle_key(char_key('r')), Control::Restart);
        let kept = app.settings();
        reseed(&mut scenario);
        let app = App::new(&scenario, kept);
        assert_eq!(app.tick(), 0);
        assert_eq!(app.seed(), seed + 1);
        assert!((app.speed - 6.0).abs() < 1e-9);
        assert_eq!(app.log.len(), 1);
        let top = screen(&app, 100, 30);
        assert!(
            top.lines()
                .next()
                .unwrap()
                .contains(&format!("seed {}", seed + 1))
        );
    }

    #[test]
    fn q_esc_and_ctrl_c_quit() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        assert_eq!(app.handle_key(char_key('q')), Control::Quit);
        assert_eq!(app.handle_key(key(KeyCode::Esc)), Control::Quit);
        assert_eq!(
            app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Control::Quit
        );
        assert_eq!(app.handle_key(char_key('c')), Control::Continue);
    }

    #[test]
    fn the_log_scrolls_back_and_follows_again() {
        let scenario = scenario();
        let mut app = App::new(&scenario, settings());
        for _ in 0..30 {
            app.step();
        }
        let newest = app.log.last().expect("events").text.clone();
        app.handle_key(key(KeyCode::PageUp));
        assert!(app.scroll > 0);
        let text = screen(&app, 100, 30);
        assert!(text.contains("scrolled back"), "{text}");
        app.handle_key(key(KeyCode::End));
        assert_eq!(app.scroll, 0);
        let head: String = newest.chars().take(30).collect();
        assert!(screen(&app, 100, 30).contains(&head));
    }
}
