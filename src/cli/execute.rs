//! The pipeline `minilat run` and `minilat sweep` share: prepare (or resume) the output
//! directory → run the jobs through the one batch engine, [`batch::run_batch`] →
//! stream results through [`ResultWriter`] with checkpoints → manifest last. Ctrl-C
//! stops after the chunk in flight, with a checkpoint, so `--resume` goes on from it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};

use super::{InputError, progress_bar, rfc3339};
use crate::batch::{self, Control, Job};
use crate::error::OutputError;
use crate::output::manifest::Manifest;
use crate::output::{self, CHECKPOINT, Layout, MANIFEST, OutputDir, ResultWriter};

/// The stop request of every batch in this process, set by the first Ctrl-C (or
/// SIGTERM, SIGHUP): no run starts after it, so the batch stops within one run's time.
/// A second one exits at once; the last checkpoint still holds.
fn interrupted() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    Arc::clone(FLAG.get_or_init(|| super::signals::termination_flag(true)))
}

/// Keeps the progress bar's count, rate and time left true while the batch runs:
/// every 100 ms it shows the runs finished (counted as each run ends, not as a chunk
/// is written), the rate of this session (runs since it started over its wall time)
/// and the time left at that rate. Stops when `done` is set.
fn follow(
    bar: &indicatif::ProgressBar,
    control: &Control,
    start_at: u64,
    total: u64,
    done: &AtomicBool,
) {
    let clock = Instant::now();
    while !done.load(Ordering::Relaxed) {
        let ran = control.finished();
        bar.set_position((start_at + ran).min(total));
        bar.set_message(rate_and_eta(
            ran,
            total.saturating_sub(start_at + ran),
            clock.elapsed().as_secs_f64(),
        ));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// "1,234 runs/s, 2m 05s left" from runs done in `seconds` and runs `left`.
pub(crate) fn rate_and_eta(ran: u64, left: u64, seconds: f64) -> String {
    if ran == 0 || seconds <= 0.0 {
        return "starting…".into();
    }
    let rate = ran as f64 / seconds;
    let shown = if rate >= 10.0 {
        format!("{rate:.0}")
    } else {
        format!("{rate:.2}")
    };
    format!(
        "{shown} runs/s, {} left",
        duration((left as f64 / rate).ceil())
    )
}

/// Whole seconds as `45s`, `2m 05s` or `3h 07m`.
fn duration(seconds: f64) -> String {
    let s = seconds.min(1e9) as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

/// How the output directory is treated.
#[derive(Clone, Copy, Debug)]
pub struct DirMode {
    /// Replace whatever is there.
    pub force: bool,
    /// Go on from a checkpoint if there is one.
    pub resume: bool,
    /// Seconds between checkpoints.
    pub checkpoint: f64,
}

/// One batch to execute.
pub struct Batch<'a> {
    /// Output directory.
    pub out: PathBuf,
    /// Overwrite or resume.
    pub mode: DirMode,
    /// Worker threads (0: all cores).
    pub threads: usize,
    /// No progress bar.
    pub quiet: bool,
    /// Files and columns.
    pub layout: Layout,
    /// Identifies the batch for `--resume`.
    pub fingerprint: serde_json::Value,
    /// Runs in the batch.
    pub total: u64,
    /// The jobs from the `n`-th on (`n` runs are already done).
    #[allow(clippy::type_complexity)]
    pub jobs:
        Box<dyn Fn(u64) -> Box<dyn Iterator<Item = Result<Job>> + Send + 'a> + Send + Sync + 'a>,
    /// The parameter cells of a point (empty for `minilat run`).
    pub cells: Box<dyn Fn(u32) -> Vec<String> + Send + Sync + 'a>,
    /// Files written whole when the batch completes (name, bytes), e.g. `states.csv`.
    pub extra: Vec<(&'static str, Vec<u8>)>,
    /// The scenario whose behaviour rule adds files derived from the finished results
    /// (`output::rules`, e.g. `configurations.csv`); `None` for sweeps.
    pub rule_files: Option<Arc<crate::scenario::Scenario>>,
}

/// What happened.
pub enum Outcome {
    /// Every run is done; the manifest is written.
    Complete {
        /// The output directory.
        dir: PathBuf,
        /// Runs written in this session.
        ran: u64,
        /// Wall time of this session.
        seconds: f64,
        /// Threads used.
        threads: usize,
    },
    /// The directory already held the complete batch (`--resume`).
    AlreadyComplete(PathBuf),
}

/// Prepares or resumes the output directory, runs the batch and writes the manifest
/// made by `manifest(threads, started, wall seconds, resumed after)`.
pub fn execute(
    batch: Batch<'_>,
    manifest: impl FnOnce(usize, String, f64, Option<u64>) -> Manifest,
) -> Result<Outcome> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let (dir, resume) = match open(&batch)? {
        Opened::Complete(dir) => return Ok(Outcome::AlreadyComplete(dir)),
        Opened::Ready { dir, resume } => (dir, resume),
    };
    let (mut writer, resumed_after) = if resume {
        let (w, done) = ResultWriter::resume(&dir, batch.layout.clone(), batch.fingerprint.clone())
            .map_err(input_if_user)?;
        (w, Some(done))
    } else {
        let w = ResultWriter::create(&dir, batch.layout.clone(), batch.fingerprint.clone())?;
        (w, None)
    };
    writer.checkpoint_every(std::time::Duration::from_secs_f64(
        batch.mode.checkpoint.max(0.0),
    ));
    let done = writer.runs_done();
    let pool = batch::Pool::new(batch.threads).context("starting worker threads")?;
    play(&batch, &pool, &mut writer, done)?;
    let threads = pool.threads();
    let ran = writer.runs_done() - done;
    let m = manifest(
        threads,
        rfc3339(started),
        clock.elapsed().as_secs_f64(),
        resumed_after,
    );
    writer.finish(&m, &batch.extra, |dir| match &batch.rule_files {
        Some(scenario) => {
            let mut files = output::rules::files(scenario, dir)?;
            files.push(output::lifetimes::file(dir)?);
            Ok(files)
        }
        None => Ok(Vec::new()),
    })?;
    Ok(Outcome::Complete {
        dir: dir.path().to_path_buf(),
        ran,
        seconds: clock.elapsed().as_secs_f64(),
        threads,
    })
}

/// The output directory, ready for the batch or already complete.
enum Opened {
    /// It holds the complete batch (`--resume` after the manifest).
    Complete(PathBuf),
    /// Results go here: from its checkpoint on if `resume`, else from the start.
    Ready { dir: OutputDir, resume: bool },
}

/// Locks and prepares the output directory, or resumes it from its checkpoint;
/// refuses a complete directory of another batch and an unfinished one without
/// `--resume` or `--force`.
fn open(batch: &Batch<'_>) -> Result<Opened> {
    let out = &batch.out;
    if out.exists() {
        output::files::lock(out).map_err(input_if_user)?;
    }
    if batch.mode.resume && !batch.mode.force && out.join(MANIFEST).exists() {
        if let Ok(old) = output::manifest::read(&out.join(MANIFEST)) {
            let now = fingerprint_of(&old);
            if now.as_ref() != Some(&batch.fingerprint) {
                let what = now
                    .map(|f| output::differences(&f, &batch.fingerprint).join(", "))
                    .unwrap_or_else(|| "kind of batch".into());
                return Err(InputError(format!(
                    "{} already holds the complete results of another batch (they differ in: {what}); use --force to replace them, or another --out DIR",
                    out.display()
                ))
                .into());
            }
        }
        return Ok(Opened::Complete(out.clone()));
    }
    let has_checkpoint = out.join(CHECKPOINT).exists();
    if has_checkpoint && batch.mode.resume && !batch.mode.force {
        return Ok(Opened::Ready {
            dir: OutputDir::existing(out),
            resume: true,
        });
    }
    if has_checkpoint
        && !batch.mode.force
        && let Some((done, _)) = output::unfinished(out)
    {
        return Err(InputError(
            OutputError::Unfinished {
                path: out.clone(),
                done,
                total: batch.total,
            }
            .to_string(),
        )
        .into());
    }
    let dir = OutputDir::prepare(out, batch.mode.force).map_err(input_if_user)?;
    Ok(Opened::Ready { dir, resume: false })
}

/// Sets its flag when dropped, on return or on unwinding.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Plays the jobs from run `done` on through `writer` on `pool`, with the progress bar
/// and the termination flag; an interrupted batch is checkpointed and reported as
/// [`OutputError::Interrupted`].
fn play(
    batch: &Batch<'_>,
    pool: &batch::Pool,
    writer: &mut ResultWriter<'_>,
    done: u64,
) -> Result<()> {
    let out = &batch.out;
    let bar = progress_bar(batch.total, batch.quiet);
    bar.set_position(done);
    let control = Control::stopped_by(interrupted());
    let mut last: Option<(u32, Arc<Vec<String>>)> = None;
    let cells = &batch.cells;
    let finished = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        let ticker = scope.spawn(|| follow(&bar, &control, done, batch.total, &finished));
        // Stops the ticker however the batch ends: a panicking run (a bug) unwinds
        // through here, and the scope would otherwise wait for the ticker forever.
        let stop_ticker = SetOnDrop(&finished);
        let result = pool.install(|| {
            batch::run_batch_with((batch.jobs)(done), &control, |job, r| {
                let point_cells = match &last {
                    Some((p, c)) if *p == job.key.point => Arc::clone(c),
                    _ => {
                        let c = Arc::new(cells(job.key.point));
                        last = Some((job.key.point, Arc::clone(&c)));
                        c
                    }
                };
                Ok(writer.push(&job.scenario, &point_cells, &r)?)
            })
        });
        drop(stop_ticker);
        let _ = ticker.join();
        result.and_then(|()| {
            if control.stopped() {
                writer.checkpoint()?;
                return Err(OutputError::Interrupted {
                    path: out.clone(),
                    done: writer.runs_done(),
                    total: batch.total,
                }
                .into());
            }
            Ok(())
        })
    });
    bar.finish_and_clear();
    if let Err(e) = result {
        if !e
            .downcast_ref::<OutputError>()
            .is_some_and(|o| matches!(o, OutputError::Interrupted { .. }))
        {
            // Keep what is done resumable: a last checkpoint before reporting.
            let _ = writer.checkpoint();
        }
        return Err(e);
    }
    Ok(())
}

/// The fingerprint of a complete directory's manifest.
fn fingerprint_of(m: &Manifest) -> Option<serde_json::Value> {
    m.fingerprint.clone()
}

/// Output problems the user can fix (a non-empty directory, a mismatched resume)
/// exit with code 2.
pub(super) fn input_if_user(e: OutputError) -> anyhow::Error {
    match e {
        OutputError::NotEmpty(_)
        | OutputError::Locked(_)
        | OutputError::Mismatch(_)
        | OutputError::Unfinished { .. } => InputError(e.to_string()).into(),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_ticker_stops_when_a_run_panics() {
        // A panicking run unwinds through `play`; the ticker's flag must still be set,
        // or the scope would wait for the ticker forever (the batch hung).
        let flag = AtomicBool::new(false);
        let unwound = std::panic::catch_unwind(|| {
            let _stop = SetOnDrop(&flag);
            panic!("a bug in a run");
        });
        assert!(unwound.is_err());
        assert!(flag.load(Ordering::Relaxed));
    }

    #[test]
    fn rate_and_time_left_are_those_of_this_session() {
        assert_eq!(rate_and_eta(0, 500, 4.5), "starting…");
        assert_eq!(rate_and_eta(100, 400, 1.0), "100 runs/s, 4s left");
        assert_eq!(rate_and_eta(3, 9, 2.0), "1.50 runs/s, 6s left");
        assert_eq!(rate_and_eta(1000, 125_000, 1.0), "1000 runs/s, 2m 05s left");
        assert_eq!(rate_and_eta(1, 11_220, 1.0), "1.00 runs/s, 3h 07m left");
    }
}
