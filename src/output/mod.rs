//! EDGE OUT: the files of a batch. [`ResultWriter`] takes run results in job order
//! and streams every file as they arrive: `runs.csv`, `coalitions.csv`,
//! `memberships.csv`, `ticks.csv`, and the statistics of each point as soon as the
//! point is complete (`summary.csv` for `minilat run`, `points.csv` for a sweep).
//! Memory holds one point's metric values (for exact quantiles) up to
//! [`IN_MEMORY_RUNS`] runs, and one point's tick moments, never the whole batch. A
//! point with more runs (`minilat run --runs 100000000`) has its statistics computed
//! from its rows re-read from `runs.csv`, in a few passes of bounded memory
//! ([`LargeSummary`]): the same n and quantiles, the mean and sd summed in run order
//! (compensated) rather than in sorted order.
//!
//! Every few seconds [`ResultWriter::checkpoint`] flushes and syncs the files and
//! records their lengths in `checkpoint.json` (atomically); [`ResultWriter::resume`]
//! truncates the files back to the last checkpoint and rebuilds the open point's state
//! from `runs.csv`, so a batch killed at any moment ends byte-identical to one never
//! interrupted.
//!
//! **Invariant:** no file appears under its final name before it is complete; the
//! manifest appears only when every other file has.

pub mod best;
pub mod coverage;
pub mod csv;
pub mod files;
pub mod lifetimes;
pub mod manifest;
pub mod merge;
pub mod optimum;
pub mod results;
pub mod rules;

use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::batch::RunResult;
use crate::engine::RunKey;
use crate::error::OutputError;
use crate::metrics::stats::{LargeSummary, Summary, summarise};
use crate::scenario::{Scenario, TickOutput};
pub use files::{CHECKPOINT, MANIFEST, OutputDir, PartialFile};

/// Names of the files a batch writes.
pub const RUNS: &str = "runs.csv";
/// Per-tick metrics.
pub const TICKS: &str = "ticks.csv";
/// One row per coalition.
pub const COALITIONS: &str = "coalitions.csv";
/// One row per coalition and member (written with `coalitions.csv`).
pub const MEMBERSHIPS: &str = "memberships.csv";
/// Per-metric batch statistics (`minilat run`).
pub const SUMMARY: &str = "summary.csv";
/// Per-point, per-metric statistics (`minilat sweep`).
pub const POINTS: &str = "points.csv";
/// The scenario's states (written when the batch completes).
pub const STATES: &str = "states.csv";
/// What share of each capability the top k states, each label and each body hold
/// (written when the batch completes).
pub use coverage::COVERAGE;

/// Runs of one point whose metric values are held in memory for its statistics (8
/// bytes per metric per run: 0.5 MB per metric at the cap). Up to here the statistics are
/// those of `summarise` over the sorted values, as they always were; beyond it they
/// come from [`LargeSummary`] over the point's rows in `runs.csv`.
pub const IN_MEMORY_RUNS: usize = 1 << 16;

/// Mean and standard deviation per (tick, metric) across runs, by Welford's update in
/// run order (so the result does not depend on which thread finished first).
#[derive(Clone, Debug, Default)]
pub struct TickMoments {
    runs: u64,
    /// Each row: tick, then metric values.
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl TickMoments {
    /// Adds one run's tick rows (`RunResult::ticks`).
    pub fn add(&mut self, ticks: &[f64]) {
        if self.mean.is_empty() {
            self.mean = vec![0.0; ticks.len()];
            self.m2 = vec![0.0; ticks.len()];
        }
        debug_assert_eq!(self.mean.len(), ticks.len());
        self.runs += 1;
        let n = self.runs as f64;
        for ((mean, m2), &x) in self.mean.iter_mut().zip(self.m2.iter_mut()).zip(ticks) {
            let d = x - *mean;
            *mean += d / n;
            *m2 += d * (x - *mean);
        }
    }

    fn clear(&mut self) {
        self.runs = 0;
        self.mean.clear();
        self.m2.clear();
    }

    /// Sample standard deviation of cell `i` (0 with one run).
    fn sd(&self, i: usize) -> f64 {
        if self.runs > 1 {
            (self.m2[i] / (self.runs - 1) as f64).sqrt()
        } else {
            0.0
        }
    }
}

/// What a batch writes: `minilat run`'s files or a sweep's.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// `runs.csv` keyed by `run`; `summary.csv`.
    Run,
    /// `runs.csv` keyed by `point, replicate` with one column per swept parameter;
    /// `points.csv`.
    Sweep {
        /// The swept parameters' paths.
        params: Vec<String>,
    },
}

/// The files and columns of a batch.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Run or sweep.
    pub shape: Shape,
    /// Outcome metrics (`RunSummary::columns`).
    pub metric_columns: Vec<String>,
    /// Per-tick metrics (`TickMetrics::columns`).
    pub tick_columns: Vec<String>,
    /// Write `coalitions.csv` and `memberships.csv`.
    pub coalitions: bool,
    /// Per-tick series.
    pub ticks: TickOutput,
}

impl Layout {
    /// The result files, in the order they are committed (the manifest comes last).
    pub fn files(&self) -> Vec<&'static str> {
        let mut files = vec![RUNS];
        if self.coalitions {
            files.push(COALITIONS);
            files.push(MEMBERSHIPS);
        }
        if self.ticks != TickOutput::None {
            files.push(TICKS);
        }
        files.push(match self.shape {
            Shape::Run => SUMMARY,
            Shape::Sweep { .. } => POINTS,
        });
        files
    }

    /// Every file a finished batch of this layout holds and its manifest checks: the
    /// result files, `states.csv`, `coverage.csv` and the manifest.
    pub fn finished_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .chain([STATES, COVERAGE, MANIFEST])
            .map(String::from)
            .collect()
    }

    fn sweep_params(&self) -> Option<&[String]> {
        match &self.shape {
            Shape::Run => None,
            Shape::Sweep { params } => Some(params),
        }
    }

    /// The columns that say which run a row belongs to, each name with its value.
    fn key(&self) -> &'static [KeyColumn] {
        match self.shape {
            Shape::Run => RUN_KEY,
            Shape::Sweep { .. } => SWEEP_KEY,
        }
    }

    /// Columns before the metrics in `runs.csv`.
    fn runs_prefix(&self) -> usize {
        self.sweep_params().map_or(2, |p| 3 + p.len())
    }

    fn headers(&self) -> Vec<Vec<String>> {
        let strings = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let key: Vec<String> = self
            .key()
            .iter()
            .map(|(name, _)| name.to_string())
            .collect();
        let params = self.sweep_params().unwrap_or(&[]).to_vec();
        let mut out = Vec::new();
        for name in self.files() {
            let mut h = Vec::new();
            match name {
                RUNS => {
                    h.extend(key.iter().cloned());
                    h.push("seed".into());
                    h.extend(params.iter().cloned());
                    h.extend(self.metric_columns.iter().cloned());
                }
                COALITIONS => {
                    h.extend(key.iter().cloned());
                    h.extend(csv::COALITIONS_HEADER[1..].iter().map(|c| c.to_string()));
                }
                MEMBERSHIPS => {
                    h.extend(key.iter().cloned());
                    h.extend(csv::MEMBERSHIPS_HEADER[1..].iter().map(|c| c.to_string()));
                }
                TICKS if self.ticks == TickOutput::All => {
                    h.extend(key.iter().cloned());
                    h.push("tick".into());
                    h.extend(self.tick_columns.iter().cloned());
                }
                TICKS => {
                    if self.sweep_params().is_some() {
                        h.push("point".into());
                    }
                    h.extend(strings(&["tick", "runs"]));
                    for c in &self.tick_columns {
                        h.push(c.clone());
                        h.push(format!("{c}_sd"));
                    }
                }
                _ => {
                    if self.sweep_params().is_some() {
                        h.push("point".into());
                        h.extend(params.iter().cloned());
                    }
                    h.extend(strings(csv::SUMMARY_HEADER));
                }
            }
            out.push(h);
        }
        out
    }
}

/// A column that says which run a row belongs to: its name and its value.
type KeyColumn = (&'static str, fn(&RunKey) -> u32);

/// The key of `minilat run`'s rows.
const RUN_KEY: &[KeyColumn] = &[("run", |k| k.replicate)];

/// The key of a sweep's rows.
const SWEEP_KEY: &[KeyColumn] = &[("point", |k| k.point), ("replicate", |k| k.replicate)];

/// `checkpoint.json`: how far a batch got, and what it takes to go on from there.
#[derive(Debug, Serialize, Deserialize)]
struct Checkpoint {
    /// What the batch is (scenario, design, shard, version); a resume must match it.
    fingerprint: serde_json::Value,
    /// Runs written.
    done: u64,
    /// Each file's length in bytes at this checkpoint.
    files: Vec<(String, u64)>,
    /// The point whose statistics are not written yet, and its parameter cells.
    point: Option<u32>,
    cells: Vec<String>,
    /// That point's tick moments (`ticks = "mean"`), as f64 bit patterns.
    moments_runs: u64,
    moments_mean: Vec<u64>,
    moments_m2: Vec<u64>,
    /// Where in `runs.csv` the open point's rows start, at the latest (0: unknown, so
    /// from the top; checkpoints written before this field existed).
    #[serde(default)]
    point_from: u64,
}

/// Streams a batch's results to an output directory.
pub struct ResultWriter<'a> {
    dir: &'a OutputDir,
    layout: Layout,
    fingerprint: serde_json::Value,
    names: Vec<&'static str>,
    writers: Vec<::csv::Writer<PartialFile>>,
    /// The open point, its parameter cells and its runs' metric values by metric.
    point: Option<u32>,
    cells: Vec<String>,
    values: Vec<Vec<f64>>,
    /// Runs of the open point; more than `in_memory` of them and `values` is dropped
    /// (the point's statistics are then computed from `runs.csv`).
    point_runs: u64,
    in_memory: usize,
    /// Length of `runs.csv` at the last checkpoint, and at the checkpoint before the
    /// open point's first run (its rows start there or later).
    runs_len: u64,
    point_from: u64,
    moments: TickMoments,
    row: Vec<f64>,
    record: Vec<String>,
    done: u64,
    last_checkpoint: Instant,
    every: Duration,
}

fn csv_err(path: &Path) -> impl FnOnce(::csv::Error) -> OutputError + '_ {
    move |source| OutputError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

fn io_err<'p>(
    action: &'static str,
    path: &'p Path,
) -> impl FnOnce(std::io::Error) -> OutputError + 'p {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// How often a checkpoint is written while runs stream in, by default.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(2);

impl<'a> ResultWriter<'a> {
    /// Starts a batch in `dir`: opens every file, writes the headers, and records a
    /// first checkpoint. `fingerprint` identifies the batch for `--resume`.
    pub fn create(
        dir: &'a OutputDir,
        layout: Layout,
        fingerprint: serde_json::Value,
    ) -> Result<Self, OutputError> {
        let names = layout.files();
        let mut writers = Vec::with_capacity(names.len());
        for (name, header) in names.iter().zip(layout.headers()) {
            let mut w = csv::writer(dir.create(name)?);
            w.write_record(&header)
                .map_err(csv_err(&dir.path().join(name)))?;
            writers.push(w);
        }
        let mut writer = Self::with(dir, layout, fingerprint, names, writers);
        writer.checkpoint()?;
        Ok(writer)
    }

    fn with(
        dir: &'a OutputDir,
        layout: Layout,
        fingerprint: serde_json::Value,
        names: Vec<&'static str>,
        writers: Vec<::csv::Writer<PartialFile>>,
    ) -> Self {
        let metrics = layout.metric_columns.len();
        ResultWriter {
            dir,
            layout,
            fingerprint,
            names,
            writers,
            point: None,
            cells: Vec::new(),
            values: vec![Vec::new(); metrics],
            point_runs: 0,
            in_memory: IN_MEMORY_RUNS,
            runs_len: 0,
            point_from: 0,
            moments: TickMoments::default(),
            row: Vec::new(),
            record: Vec::new(),
            done: 0,
            last_checkpoint: Instant::now(),
            every: CHECKPOINT_EVERY,
        }
    }

    /// Reopens an interrupted batch in `dir` at its last checkpoint. Fails if the
    /// checkpoint belongs to another batch (scenario, overrides, design, shard or
    /// version differ). Returns the writer and the number of runs already done.
    pub fn resume(
        dir: &'a OutputDir,
        layout: Layout,
        fingerprint: serde_json::Value,
    ) -> Result<(Self, u64), OutputError> {
        Self::resume_keeping(dir, layout, fingerprint, IN_MEMORY_RUNS)
    }

    /// [`ResultWriter::resume`] holding at most `in_memory` runs' values (lowered by tests).
    fn resume_keeping(
        dir: &'a OutputDir,
        layout: Layout,
        fingerprint: serde_json::Value,
        in_memory: usize,
    ) -> Result<(Self, u64), OutputError> {
        let cp = read_checkpoint(dir.path())?;
        if cp.fingerprint != fingerprint {
            return Err(OutputError::Mismatch(format!(
                "cannot resume {}: it holds another batch (they differ in: {}); use --force to replace it, or another --out DIR",
                dir.path().display(),
                differences(&cp.fingerprint, &fingerprint).join(", "),
            )));
        }
        let names = layout.files();
        let mut writers = Vec::with_capacity(names.len());
        for name in &names {
            let len = cp.files.iter().find(|(n, _)| n == name).map(|(_, l)| *l);
            let len = len.ok_or_else(|| {
                OutputError::Mismatch(format!(
                    "cannot resume {}: its checkpoint does not list {name}; use --force to start again",
                    dir.path().display()
                ))
            })?;
            writers.push(csv::writer(dir.reopen(name, len)?));
        }
        let mut writer = Self::with(dir, layout, fingerprint, names, writers);
        writer.in_memory = in_memory;
        writer.done = cp.done;
        writer.point = cp.point;
        writer.cells = cp.cells;
        writer.point_from = cp.point_from;
        writer.runs_len = cp
            .files
            .iter()
            .find(|(n, _)| n == RUNS)
            .map_or(0, |(_, l)| *l);
        if cp.moments_runs > 0 {
            let f = |bits: &[u64]| bits.iter().map(|&b| f64::from_bits(b)).collect();
            writer.moments = TickMoments {
                runs: cp.moments_runs,
                mean: f(&cp.moments_mean),
                m2: f(&cp.moments_m2),
            };
        }
        if let Some(p) = writer.point {
            writer.reload_point_values(p)?;
        }
        Ok((writer, cp.done))
    }

    /// Rebuilds the open point's metric values from `runs.csv` (numbers there round-trip
    /// exactly), up to `in_memory` runs, and counts its runs.
    fn reload_point_values(&mut self, point: u32) -> Result<(), OutputError> {
        let mut values = std::mem::take(&mut self.values);
        let mut runs = 0u64;
        let cap = self.in_memory;
        self.point_rows(point, |row| {
            runs += 1;
            if runs as usize <= cap {
                for (column, &v) in values.iter_mut().zip(row) {
                    column.push(v);
                }
            } else if runs as usize == cap + 1 {
                values.iter_mut().for_each(|c| *c = Vec::new());
            }
        })?;
        self.values = values;
        self.point_runs = runs;
        Ok(())
    }

    /// Calls `f` with the metric values of each of `point`'s rows in `runs.csv`, in
    /// order (the open point's: its rows start at `point_from` or later).
    fn point_rows(&self, point: u32, mut f: impl FnMut(&[f64])) -> Result<(), OutputError> {
        let path = self.dir.path().join(format!("{RUNS}.partial"));
        let mut reader = results::CsvReader::at(&path, self.point_from)?;
        let sweep = self.layout.sweep_params().is_some();
        let prefix = self.layout.runs_prefix();
        let want = point.to_string();
        let mut row = Vec::with_capacity(self.values.len());
        while let Some(record) = reader.next_row()? {
            if sweep && record.text(0) != want {
                continue;
            }
            row.clear();
            // NOTE: every cell after the prefix, not `self.values.len()` of them: the
            // values are taken out of `self` while they are reloaded.
            for (c, _) in (prefix..).zip(record.texts_from(prefix)) {
                row.push(record.num(c).map_err(|e| {
                    OutputError::Mismatch(format!("cannot resume: {e}; use --force to start again"))
                })?);
            }
            f(&row);
        }
        Ok(())
    }

    /// The statistics of the open point from its rows in `runs.csv` (more than
    /// `in_memory` runs): a few passes, bounded memory.
    fn large_point_summaries(&mut self, point: u32) -> Result<Vec<Summary>, OutputError> {
        let path = self.dir.path().join(RUNS);
        self.writers[0].flush().map_err(io_err("writing", &path))?;
        let mut stats = LargeSummary::new(self.values.len());
        loop {
            self.point_rows(point, |row| stats.add(row))?;
            if stats.end_pass() {
                return Ok(stats.summaries());
            }
        }
    }

    /// Writes one run's rows (call in job order). `cells` are the run's point's
    /// parameter values (empty for `minilat run`).
    pub fn push(
        &mut self,
        scenario: &Scenario,
        cells: &[String],
        r: &RunResult,
    ) -> Result<(), OutputError> {
        if self.point.is_some_and(|p| p != r.key.point) {
            self.end_point()?;
        }
        if self.point.is_none() {
            self.point = Some(r.key.point);
            self.cells = cells.to_vec();
            self.point_runs = 0;
            self.point_from = self.runs_len;
        }
        let key_columns = self.layout.key();
        let key = |rec: &mut Vec<String>| {
            rec.extend(
                key_columns
                    .iter()
                    .map(|(_, value)| value(&r.key).to_string()),
            );
        };
        self.row.clear();
        r.summary.values(&mut self.row);
        self.point_runs += 1;
        if self.point_runs as usize <= self.in_memory {
            for (column, &v) in self.values.iter_mut().zip(&self.row) {
                column.push(v);
            }
        } else if self.point_runs as usize == self.in_memory + 1 {
            // NOTE: from here the point's statistics come from runs.csv; keeping
            // every value would grow with the runs (800 MB at 10^8 runs).
            self.values.iter_mut().for_each(|c| *c = Vec::new());
        }
        self.record.clear();
        key(&mut self.record);
        self.record.push(scenario.seed.to_string());
        self.record.extend(cells.iter().cloned());
        self.record.extend(self.row.iter().map(|&v| csv::number(v)));
        self.write(0, None)?;
        let mut i = 1;
        if self.layout.coalitions {
            for c in &r.coalitions {
                self.record.clear();
                key(&mut self.record);
                self.record.extend(
                    csv::coalition_row(scenario, r.key.replicate, c)
                        .into_iter()
                        .skip(1),
                );
                self.write(i, None)?;
            }
            i += 1;
            for m in &r.memberships {
                self.record.clear();
                key(&mut self.record);
                self.record.extend(
                    csv::membership_row(scenario, r.key.replicate, m)
                        .into_iter()
                        .skip(1),
                );
                self.write(i, None)?;
            }
            i += 1;
        }
        match self.layout.ticks {
            TickOutput::All => {
                let width = self.layout.tick_columns.len() + 1;
                for row in r.ticks.chunks(width) {
                    self.record.clear();
                    key(&mut self.record);
                    self.record.push((row[0] as u32).to_string());
                    self.record.extend(row[1..].iter().map(|&v| csv::number(v)));
                    self.write(i, None)?;
                }
            }
            TickOutput::Mean => self.moments.add(&r.ticks),
            TickOutput::None => {}
        }
        self.done += 1;
        if self.last_checkpoint.elapsed() >= self.every {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Writes `self.record` to file `i` (or `record` if given).
    fn write(&mut self, i: usize, record: Option<&[String]>) -> Result<(), OutputError> {
        let record = record.unwrap_or(&self.record);
        self.writers[i]
            .write_record(record)
            .map_err(csv_err(&self.dir.path().join(self.names[i])))
    }

    /// Writes the open point's statistics (and mean tick series) and closes it.
    fn end_point(&mut self) -> Result<(), OutputError> {
        let Some(point) = self.point.take() else {
            return Ok(());
        };
        let sweep = self.layout.sweep_params().is_some();
        let stats = self.names.len() - 1;
        let runs = self.point_runs as usize;
        let large = if runs > self.in_memory {
            Some(self.large_point_summaries(point)?)
        } else {
            None
        };
        self.point_runs = 0;
        for m in 0..self.values.len() {
            let s = match &large {
                Some(all) => all[m],
                None => summarise(&mut self.values[m]),
            };
            let mut rec = Vec::with_capacity(12 + self.cells.len());
            if sweep {
                rec.push(point.to_string());
                rec.extend(self.cells.iter().cloned());
            }
            rec.extend(csv::summary_row(&self.layout.metric_columns[m], &s, runs));
            self.write(stats, Some(&rec))?;
            self.values[m].clear();
        }
        if self.layout.ticks == TickOutput::Mean {
            let ticks = self.names.iter().position(|n| *n == TICKS).unwrap_or(stats);
            let width = self.layout.tick_columns.len() + 1;
            let rows = self.moments.mean.len() / width;
            for row in 0..rows {
                let base = row * width;
                let mut rec = Vec::with_capacity(2 * width + 2);
                if sweep {
                    rec.push(point.to_string());
                }
                rec.push((self.moments.mean[base] as u32).to_string());
                rec.push(self.moments.runs.to_string());
                for j in 1..width {
                    rec.push(csv::number(self.moments.mean[base + j]));
                    rec.push(csv::number(self.moments.sd(base + j)));
                }
                self.write(ticks, Some(&rec))?;
            }
            self.moments.clear();
        }
        self.cells.clear();
        Ok(())
    }

    /// Flushes and syncs every file and records their lengths in `checkpoint.json`.
    pub fn checkpoint(&mut self) -> Result<(), OutputError> {
        let mut files = Vec::with_capacity(self.writers.len());
        for (name, w) in self.names.iter().zip(self.writers.iter_mut()) {
            let path = self.dir.path().join(name);
            w.flush().map_err(io_err("writing", &path))?;
            let len = w
                .get_ref()
                .sync_flushed()
                .map_err(io_err("syncing", &path))?;
            if *name == RUNS {
                self.runs_len = len;
            }
            files.push((name.to_string(), len));
        }
        let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect();
        let cp = Checkpoint {
            fingerprint: self.fingerprint.clone(),
            done: self.done,
            files,
            point: self.point,
            cells: self.cells.clone(),
            moments_runs: self.moments.runs,
            moments_mean: bits(&self.moments.mean),
            moments_m2: bits(&self.moments.m2),
            point_from: self.point_from,
        };
        let json = serde_json::to_vec(&cp).map_err(|e| OutputError::Io {
            action: "serialising",
            path: self.dir.path().join(CHECKPOINT),
            source: std::io::Error::other(e),
        })?;
        self.dir.write_all(CHECKPOINT, &json)?;
        self.last_checkpoint = Instant::now();
        Ok(())
    }

    /// Sets how often a checkpoint is written (default [`CHECKPOINT_EVERY`]).
    pub fn checkpoint_every(&mut self, every: Duration) {
        self.every = every;
    }

    /// Runs written so far (including those of an earlier, resumed session).
    pub fn runs_done(&self) -> u64 {
        self.done
    }

    /// Closes the last point, commits every file, writes `extra` files (name, bytes),
    /// then the manifest last, and removes the checkpoint.
    pub fn finish(
        mut self,
        manifest: &manifest::Manifest,
        extra: &[(&str, Vec<u8>)],
        derived: impl FnOnce(&Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError>,
    ) -> Result<(), OutputError> {
        self.end_point()?;
        self.checkpoint()?;
        for (name, w) in self.names.iter().zip(self.writers) {
            let path = self.dir.path().join(name);
            let file = w.into_inner().map_err(|e| OutputError::Io {
                action: "writing",
                path,
                source: std::io::Error::other(e.to_string()),
            })?;
            file.commit()?;
        }
        for (name, bytes) in extra {
            self.dir.write_all(name, bytes)?;
        }
        let mut written: Vec<&str> = self.names.clone();
        written.extend(extra.iter().map(|(name, _)| *name));
        for (name, bytes) in derived(self.dir.path())? {
            self.dir.write_all(name, &bytes)?;
            written.push(name);
        }
        write_manifest(self.dir, manifest, &written)?;
        self.dir.remove(CHECKPOINT)
    }
}

/// Writes `manifest` into `dir` (last), with the checks of the files `names` as they
/// are now: the one manifest writer of `run`, `sweep` and `merge`.
pub fn write_manifest(
    dir: &OutputDir,
    manifest: &manifest::Manifest,
    names: &[&str],
) -> Result<(), OutputError> {
    let mut manifest = manifest.clone();
    manifest.checks = checks(dir.path(), names)?;
    let mut json = serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::Io {
        action: "serialising",
        path: dir.path().join(MANIFEST),
        source: std::io::Error::other(e),
    })?;
    json.push(b'\n');
    dir.write_all(MANIFEST, &json)
}

/// The [`manifest::FileCheck`] of each of `names` in `dir`.
pub fn checks(dir: &Path, names: &[&str]) -> Result<Vec<manifest::FileCheck>, OutputError> {
    names
        .iter()
        .map(|name| manifest::FileCheck::of(dir, name).map_err(io_err("reading", &dir.join(name))))
        .collect()
}

fn read_checkpoint(dir: &Path) -> Result<Checkpoint, OutputError> {
    let path = dir.join(CHECKPOINT);
    let bytes = std::fs::read(&path).map_err(io_err("reading", &path))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        OutputError::Mismatch(format!(
            "cannot resume: {} is damaged ({e}); use --force to start again",
            path.display()
        ))
    })
}

/// Runs done and the batch's fingerprint, from the checkpoint of an unfinished batch.
pub fn unfinished(dir: &Path) -> Option<(u64, serde_json::Value)> {
    read_checkpoint(dir)
        .ok()
        .map(|cp| (cp.done, cp.fingerprint))
}

/// The top-level keys on which two fingerprints differ.
pub fn differences(a: &serde_json::Value, b: &serde_json::Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let (a, b) = (
        a.as_object().unwrap_or(&empty),
        b.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for k in keys.into_iter().filter(|k| a.get(*k) != b.get(*k)) {
        if k == "inputs" {
            out.extend(changed_inputs(&a[k.as_str()], &b[k.as_str()]));
        } else {
            out.push(k.replace('_', " "));
        }
    }
    out
}

/// The files whose contents differ between two fingerprints' `inputs` (path → SHA-256).
fn changed_inputs(a: &serde_json::Value, b: &serde_json::Value) -> Vec<String> {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return vec!["inputs".into()];
    };
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|p| match (a.get(p), b.get(p)) {
            (Some(x), Some(y)) if x == y => None,
            (Some(_), Some(_)) => Some(format!("the contents of {p} (changed since)")),
            (Some(_), None) => Some(format!("{p} (read before, not now)")),
            (None, _) => Some(format!("{p} (read now, not before)")),
        })
        .collect()
}

/// The `inputs` entry of a fingerprint: each file read, path → SHA-256.
pub fn inputs_json(inputs: &[(String, String)]) -> serde_json::Value {
    serde_json::Value::Object(
        inputs
            .iter()
            .map(|(p, h)| (p.clone(), serde_json::Value::String(h.clone())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::run_one;
    use crate::engine::RunKey;
    use crate::metrics::{RunSummary, TickMetrics};

    fn scenario() -> Scenario {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/sweep-memory.toml");
        Scenario::from_path(&path, &[]).expect("valid").scenario
    }

    fn layout(s: &Scenario) -> Layout {
        Layout {
            shape: Shape::Run,
            metric_columns: RunSummary::columns(s),
            tick_columns: TickMetrics::columns(s),
            coalitions: false,
            ticks: TickOutput::None,
        }
    }

    /// `summary.csv` of `runs` runs holding at most `in_memory` values per metric;
    /// with `stop`, the writer is dropped (a kill) after that many runs and resumed.
    fn summary(runs: u32, in_memory: usize, stop: Option<u32>) -> Vec<Vec<String>> {
        let s = scenario();
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = OutputDir::prepare(&tmp.path().join("out"), false).expect("dir");
        let fp = serde_json::json!({ "test": 1 });
        let mut w = ResultWriter::create(&dir, layout(&s), fp.clone()).expect("create");
        w.in_memory = in_memory;
        let mut from = 0;
        if let Some(stop) = stop {
            for replicate in 0..stop {
                let r = run_one(
                    &s,
                    RunKey {
                        point: 0,
                        replicate,
                    },
                );
                w.push(&s, &[], &r).expect("push");
            }
            w.checkpoint().expect("checkpoint");
            // Rows after the checkpoint are lost with the kill.
            let r = run_one(
                &s,
                RunKey {
                    point: 0,
                    replicate: stop,
                },
            );
            w.push(&s, &[], &r).expect("push");
            drop(w);
            let (again, done) =
                ResultWriter::resume_keeping(&dir, layout(&s), fp, in_memory).expect("resume");
            w = again;
            from = done as u32;
        }
        for replicate in from..runs {
            let r = run_one(
                &s,
                RunKey {
                    point: 0,
                    replicate,
                },
            );
            w.push(&s, &[], &r).expect("push");
        }
        w.end_point().expect("end point");
        w.checkpoint().expect("checkpoint");
        let text = std::fs::read_to_string(dir.path().join(format!("{SUMMARY}.partial")))
            .expect("summary");
        text.lines()
            .map(|l| l.split(',').map(String::from).collect())
            .collect()
    }

    #[test]
    fn a_point_beyond_the_in_memory_cap_has_the_same_statistics_from_runs_csv() {
        let exact = summary(300, IN_MEMORY_RUNS, None);
        let large = summary(300, 40, None);
        assert_eq!(exact.len(), large.len());
        // metric, n, mean, sd, p2.5, median, p97.5, ci low, ci high, runs
        for (a, b) in exact.iter().zip(&large) {
            for i in [0, 1, 4, 5, 6, 9] {
                assert_eq!(a[i], b[i], "{} column {i}", a[0]);
            }
            for i in [2, 3, 7, 8] {
                if a[i] != b[i] {
                    let (x, y): (f64, f64) = (a[i].parse().unwrap(), b[i].parse().unwrap());
                    assert!(
                        (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                        "{} column {i}: {x} != {y}",
                        a[0]
                    );
                }
            }
        }
        // Killed after 120 runs (past the cap) and after 20 (before it), then resumed:
        // byte-identical to never stopping.
        assert_eq!(summary(300, 40, Some(120)), large);
        assert_eq!(summary(300, 40, Some(20)), large);
    }
}
