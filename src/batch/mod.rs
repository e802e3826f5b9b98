//! CORE + rayon: Monte Carlo batches. Runs are independent and run in parallel across
//! rayon's pool, a chunk at a time; within a chunk results are collected in key order
//! and handed to the sink sequentially, so everything downstream (CSV rows, sums,
//! statistics) sees the same sequence whatever the thread count.
//!
//! **Invariant:** parallelism is across runs only; no floating-point reduction happens
//! in parallel. Memory is bounded by one chunk of results, not by the number of runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::engine::{self, RunKey};
use crate::metrics::{Event, Observer, RunSummary, TickMetrics};
use crate::model::ids::{IssueId, StateId};
use crate::model::scenario::{Scenario, TickOutput};
use crate::model::typology::HaassType;
use crate::model::venue::{CoalitionKind, EndReason};

/// Runs per chunk: large enough to keep both cores busy and amortise the pool's
/// overhead, small enough that a chunk's tick series stay a few MB.
pub const CHUNK: usize = 256;

/// One coalition's life, as written to `coalitions.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct CoalitionRow {
    /// Founding number within the run.
    pub serial: u32,
    /// Issue.
    pub issue: IssueId,
    /// Founder (and first leader).
    pub founder: StateId,
    /// Led at founding by a great power (else a microlateral).
    pub great_power_led: bool,
    /// Bloc or issue-based.
    pub kind: CoalitionKind,
    /// Haass's type, fixed at founding.
    pub haass: HaassType,
    /// Standard deviation of the founding members' positions on its issue.
    pub dispersion: f64,
    /// Institutionalisation.
    pub institutionalisation: f64,
    /// Founding tick.
    pub founded: u32,
    /// Tick it ended (the run's length if still active).
    pub ended: u32,
    /// Why it ended.
    pub reason: EndReason,
    /// Everyone who was ever a member, in joining order.
    pub members: Vec<StateId>,
    /// Largest size reached.
    pub peak_size: u32,
    /// Progress produced.
    pub progress: f64,
    /// Decisions attempted (proposals put to a vote).
    pub attempted: u32,
    /// Measures adopted.
    pub adopted: u32,
    /// Measures endorsed by a body.
    pub endorsed: u32,
}

/// One spell of a state in a coalition, as written to `memberships.csv`: from the
/// tick it joined (the founding tick for founding members) to the tick it left. A
/// state that leaves and joins again has one spell per stay.
#[derive(Clone, Debug, PartialEq)]
pub struct MembershipRow {
    /// The coalition's founding number within the run (`id` in `coalitions.csv`).
    pub coalition: u32,
    /// The member.
    pub member: StateId,
    /// Tick it joined.
    pub joined: u32,
    /// Tick it left: the tick of its departure, or the coalition's `ended` tick when
    /// the coalition dissolved with it inside (so `left − joined` counts ticks as
    /// `ended − founded` does); `None` if it was still a member when the run ended.
    pub left: Option<u32>,
}

/// Everything one run produced.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    /// Which run.
    pub key: RunKey,
    /// Its outcome metrics.
    pub summary: RunSummary,
    /// Recorded ticks' metrics, row after row (`TickMetrics::values` order), each row
    /// preceded by its tick number.
    pub ticks: Vec<f64>,
    /// Coalitions by founding number.
    pub coalitions: Vec<CoalitionRow>,
    /// Membership spells by coalition (founding number), then in joining order.
    pub memberships: Vec<MembershipRow>,
}

/// Collects a run's observations.
#[derive(Debug, Default)]
pub struct Collector {
    keep_ticks: bool,
    ticks: Vec<f64>,
    coalitions: Vec<CoalitionRow>,
    memberships: Vec<MembershipRow>,
    /// The spells still open: (coalition serial, member, index in `memberships`). As
    /// long as the world's current memberships, so a search here stays short.
    open: Vec<(u32, StateId, usize)>,
}

impl Collector {
    fn enter(&mut self, coalition: u32, member: StateId, tick: u32) {
        self.open.push((coalition, member, self.memberships.len()));
        self.memberships.push(MembershipRow {
            coalition,
            member,
            joined: tick,
            left: None,
        });
    }

    fn exit(&mut self, coalition: u32, member: StateId, left: Option<u32>) {
        if let Some(k) = self
            .open
            .iter()
            .position(|&(c, m, _)| c == coalition && m == member)
        {
            let (_, _, row) = self.open.swap_remove(k);
            self.memberships[row].left = left;
        }
    }
}

impl Observer for Collector {
    fn on_tick(&mut self, m: &TickMetrics) {
        if self.keep_ticks {
            self.ticks.push(m.tick as f64);
            m.values(&mut self.ticks);
        }
    }

    fn on_event(&mut self, tick: u32, event: &Event<'_>) {
        // Every change of membership is reported: foundings (with the founding
        // members), joins and departures, and the end of a coalition for those still
        // inside (mergers end their parts and found the new alliance).
        let (c, ended, reason) = match *event {
            Event::CoalitionFounded { coalition } => {
                for &m in &coalition.members {
                    self.enter(coalition.serial, m, tick);
                }
                return;
            }
            Event::Joined { state, coalition } => {
                self.enter(coalition.serial, state, tick);
                return;
            }
            Event::Left {
                state, coalition, ..
            } => {
                self.exit(coalition.serial, state, Some(tick));
                return;
            }
            Event::CoalitionEnded {
                coalition,
                ended,
                reason,
            } => (coalition, ended, reason),
            _ => return,
        };
        let left = (reason != EndReason::RunEnded).then_some(ended);
        for &m in &c.members {
            self.exit(c.serial, m, left);
        }
        self.coalitions.push(CoalitionRow {
            serial: c.serial,
            issue: c.issue,
            founder: c.ever.first().copied().unwrap_or(c.leader),
            great_power_led: c.great_power_led,
            kind: c.kind,
            haass: c.haass,
            dispersion: c.dispersion,
            institutionalisation: c.institutionalisation,
            founded: c.founded,
            ended,
            reason,
            members: c.ever.clone(),
            peak_size: c.peak_size,
            progress: c.progress,
            attempted: c.attempted,
            adopted: c.adopted,
            endorsed: c.endorsed,
        });
    }
}

/// Plays one run and collects what it produced.
pub fn run_one(scenario: &Scenario, key: RunKey) -> RunResult {
    let keep_ticks = scenario.output.ticks != TickOutput::None;
    let mut collector = Collector {
        keep_ticks,
        ..Collector::default()
    };
    if keep_ticks {
        let rows = (scenario.ticks / scenario.output.every + 1) as usize;
        collector
            .ticks
            .reserve(rows * (TickMetrics::columns(scenario).len() + 1));
    }
    let summary = engine::run(scenario, key, &mut collector);
    collector.coalitions.sort_by_key(|c| c.serial);
    // Stable: within a coalition, spells stay in the order they began.
    collector.memberships.sort_by_key(|m| m.coalition);
    RunResult {
        key,
        summary,
        ticks: collector.ticks,
        coalitions: collector.coalitions,
        memberships: collector.memberships,
    }
}

/// One run to do: which scenario (a sweep point's, or the batch's) and which run.
#[derive(Clone, Debug)]
pub struct Job {
    /// The scenario of the run's point.
    pub scenario: Arc<Scenario>,
    /// Which run.
    pub key: RunKey,
}

/// The keys of `minilat run`: point 0, replicates `0..runs`.
pub fn replicate_keys(runs: u32) -> impl Iterator<Item = RunKey> {
    (0..runs).map(|replicate| RunKey {
        point: 0,
        replicate,
    })
}

/// The jobs of one scenario's batch: `keys`, all on `scenario`.
pub fn jobs<E>(
    scenario: Arc<Scenario>,
    keys: impl IntoIterator<Item = RunKey>,
) -> impl Iterator<Item = Result<Job, E>> {
    keys.into_iter().map(move |key| {
        Ok(Job {
            scenario: Arc::clone(&scenario),
            key,
        })
    })
}

/// Shared between a batch and whoever watches it (the command line): how many runs
/// have finished, and a request to stop. Neither changes any result.
#[derive(Debug, Default)]
pub struct Control {
    finished: AtomicU64,
    stop: Arc<AtomicBool>,
}

impl Control {
    /// Nothing finished, no stop asked.
    pub fn new() -> Control {
        Control::default()
    }

    /// A control whose stop request is `stop`, a flag someone else may set (the
    /// command line's termination-signal handler).
    pub fn stopped_by(stop: Arc<AtomicBool>) -> Control {
        Control {
            finished: AtomicU64::new(0),
            stop,
        }
    }

    /// Runs finished so far (counted as each run ends, before results are handed on).
    pub fn finished(&self) -> u64 {
        self.finished.load(Ordering::Relaxed)
    }

    /// Asks the batch to start no further run.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// The one batch engine of `minilat run` and `minilat sweep`: pulls jobs a chunk at a
/// time, plays each chunk's runs in parallel on the current rayon pool, and hands the
/// results to `sink` in job order. Stops at the first error of the job source or sink.
pub fn run_batch<E>(
    jobs: impl IntoIterator<Item = Result<Job, E>>,
    sink: impl FnMut(&Job, RunResult) -> Result<(), E>,
) -> Result<(), E> {
    run_batch_with(jobs, &Control::new(), sink)
}

/// [`run_batch`] watched by `control`: each finished run is counted, and once a stop
/// is asked no further run starts; the runs finished before the first one not started
/// are still handed on in job order (a prefix of the jobs, so a checkpoint after them
/// resumes exactly), and the batch returns `Ok` early. Within a second of the stop on
/// any scenario whose runs take less than that.
pub fn run_batch_with<E>(
    jobs: impl IntoIterator<Item = Result<Job, E>>,
    control: &Control,
    mut sink: impl FnMut(&Job, RunResult) -> Result<(), E>,
) -> Result<(), E> {
    let mut chunk: Vec<Job> = Vec::with_capacity(CHUNK);
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() && !control.stopped() {
        chunk.clear();
        for job in jobs.by_ref().take(CHUNK) {
            chunk.push(job?);
        }
        let results: Vec<Option<RunResult>> = chunk
            .par_iter()
            .map(|job| {
                if control.stopped() {
                    return None;
                }
                let r = run_one(&job.scenario, job.key);
                control.finished.fetch_add(1, Ordering::Relaxed);
                Some(r)
            })
            .collect();
        for (job, r) in chunk.iter().zip(results) {
            let Some(r) = r else {
                return Ok(());
            };
            sink(job, r)?;
        }
    }
    Ok(())
}

/// A pool of `threads` worker threads (0: one per core) to run a batch on, with
/// [`Pool::install`]; results do not depend on the thread count.
#[derive(Debug)]
pub struct Pool(rayon::ThreadPool);

impl Pool {
    /// Starts the worker threads.
    pub fn new(threads: usize) -> Result<Pool, rayon::ThreadPoolBuildError> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map(Pool)
    }

    /// Runs `f` with this pool as the current one: [`run_batch`] and [`par_map`]
    /// inside it use its threads.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.0.install(f)
    }

    /// Worker threads in the pool.
    pub fn threads(&self) -> usize {
        self.0.current_num_threads()
    }
}

/// The items of `items` for which `f` gives `Some`, computed in parallel on the
/// current rayon pool and returned in item order (e.g. the problems of a chunk of
/// sweep points, reported in point order whatever the thread count).
pub fn par_filter_map<T: Sync, U: Send>(
    items: &[T],
    f: impl Fn(&T) -> Option<U> + Sync + Send,
) -> Vec<U> {
    items.par_iter().filter_map(f).collect()
}

/// `f(0), f(1), …, f(n - 1)` computed in parallel on the current rayon pool, returned
/// in index order: for pure work split into a fixed number of pieces (e.g. the
/// exhaustive landscape enumeration), so the result does not depend on the thread
/// count. Callers reduce the pieces sequentially.
pub fn par_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    (0..n).into_par_iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::synthetic::Synthetic;

    fn scenario() -> Arc<Scenario> {
        Arc::new(
            Synthetic {
                states: 6,
                ticks: 3,
                ..Synthetic::default()
            }
            .build(),
        )
    }

    #[test]
    fn a_stop_asked_mid_chunk_starts_no_further_run_and_hands_on_a_prefix() {
        let control = Control::new();
        let scenario = scenario();
        // The job source asks for a stop while the second chunk is being filled: the
        // first chunk is played and handed on whole, the second not started.
        let source = replicate_keys(1000).map(|key| {
            if key.replicate == CHUNK as u32 + 10 {
                control.stop();
            }
            Ok::<_, ()>(Job {
                scenario: Arc::clone(&scenario),
                key,
            })
        });
        let mut handed = Vec::new();
        run_batch_with(source, &control, |job, _| {
            handed.push(job.key.replicate);
            Ok(())
        })
        .expect("no error");
        assert_eq!(handed, (0..CHUNK as u32).collect::<Vec<_>>());
        assert_eq!(control.finished(), CHUNK as u64);
    }

    #[test]
    fn finished_runs_are_counted_as_they_end() {
        let control = Control::new();
        let mut seen = Vec::new();
        run_batch_with(
            jobs::<()>(scenario(), replicate_keys(40)),
            &control,
            |_, _| {
                seen.push(control.finished());
                Ok(())
            },
        )
        .expect("no error");
        // Every run of the chunk had ended (and been counted) before the first was
        // handed on.
        assert!(seen.iter().all(|&n| n == 40), "{seen:?}");
        assert!(!control.stopped());
    }
}
