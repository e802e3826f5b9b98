//! EDGE OUT: the files of a batch. [`BatchWriter`] takes run results in key order and
//! streams `runs.csv`, `coalitions.csv` and (per-run) `ticks.csv` as they arrive; on
//! [`BatchWriter::finish`] it writes the mean `ticks.csv`, `summary.csv` and, last,
//! `manifest.json`.
//!
//! **Invariant:** no file appears under its final name before it is complete; the
//! manifest appears only when every other file has.

pub mod csv;
pub mod files;
pub mod manifest;

use std::io::Write;

use crate::batch::RunResult;
use crate::error::OutputError;
use crate::metrics::stats::summarise;
use crate::metrics::{RunSummary, TickMetrics};
use crate::scenario::{Scenario, TickOutput};
pub use files::{OutputDir, PartialFile};

/// Names of the files a batch writes.
pub const RUNS: &str = "runs.csv";
/// Per-tick metrics.
pub const TICKS: &str = "ticks.csv";
/// One row per coalition.
pub const COALITIONS: &str = "coalitions.csv";
/// Per-metric batch statistics.
pub const SUMMARY: &str = "summary.csv";

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

    /// Sample standard deviation of cell `i` (0 with one run).
    fn sd(&self, i: usize) -> f64 {
        if self.runs > 1 {
            (self.m2[i] / (self.runs - 1) as f64).sqrt()
        } else {
            0.0
        }
    }
}

/// Streams a batch's results to an output directory.
pub struct BatchWriter<'a> {
    dir: &'a OutputDir,
    scenario: &'a Scenario,
    runs: ::csv::Writer<PartialFile>,
    coalitions: ::csv::Writer<PartialFile>,
    ticks_all: Option<::csv::Writer<PartialFile>>,
    moments: TickMoments,
    tick_columns: Vec<String>,
    metric_columns: Vec<String>,
    /// Every run's metric values, by metric (for quantiles in `summary.csv`).
    values: Vec<Vec<f64>>,
    row: Vec<f64>,
    done: usize,
}

fn csv_err(path: &std::path::Path) -> impl FnOnce(::csv::Error) -> OutputError + '_ {
    move |source| OutputError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

impl<'a> BatchWriter<'a> {
    /// Opens the streaming files and writes their headers.
    pub fn new(dir: &'a OutputDir, scenario: &'a Scenario) -> Result<Self, OutputError> {
        let metric_columns = RunSummary::columns(scenario);
        let tick_columns = TickMetrics::columns(scenario);
        let mut runs = csv::writer(dir.create(RUNS)?);
        runs.write_record(csv::runs_header(&metric_columns))
            .map_err(csv_err(&dir.path().join(RUNS)))?;
        let mut coalitions = csv::writer(dir.create(COALITIONS)?);
        coalitions
            .write_record(csv::COALITIONS_HEADER)
            .map_err(csv_err(&dir.path().join(COALITIONS)))?;
        let ticks_all = if scenario.output.ticks == TickOutput::All {
            let mut w = csv::writer(dir.create(TICKS)?);
            let mut header = vec!["run".to_string(), "tick".to_string()];
            header.extend(tick_columns.iter().cloned());
            w.write_record(&header)
                .map_err(csv_err(&dir.path().join(TICKS)))?;
            Some(w)
        } else {
            None
        };
        Ok(BatchWriter {
            dir,
            scenario,
            runs,
            coalitions,
            ticks_all,
            moments: TickMoments::default(),
            values: vec![Vec::new(); metric_columns.len()],
            tick_columns,
            metric_columns,
            row: Vec::new(),
            done: 0,
        })
    }

    /// Writes one run's rows (call in key order).
    pub fn push(&mut self, r: &RunResult) -> Result<(), OutputError> {
        let path = self.dir.path().to_path_buf();
        self.row.clear();
        r.summary.values(&mut self.row);
        for (column, &v) in self.values.iter_mut().zip(&self.row) {
            column.push(v);
        }
        self.runs
            .write_record(csv::runs_row(self.scenario.seed, r, &self.row))
            .map_err(csv_err(&path.join(RUNS)))?;
        for c in &r.coalitions {
            self.coalitions
                .write_record(csv::coalition_row(self.scenario, r.key.replicate, c))
                .map_err(csv_err(&path.join(COALITIONS)))?;
        }
        match (&mut self.ticks_all, self.scenario.output.ticks) {
            (Some(w), _) => {
                let width = self.tick_columns.len() + 1;
                for row in r.ticks.chunks(width) {
                    let mut rec = Vec::with_capacity(width + 1);
                    rec.push(r.key.replicate.to_string());
                    rec.push((row[0] as u32).to_string());
                    rec.extend(row[1..].iter().map(|&v| csv::number(v)));
                    w.write_record(&rec).map_err(csv_err(&path.join(TICKS)))?;
                }
            }
            (None, TickOutput::Mean) => self.moments.add(&r.ticks),
            _ => {}
        }
        self.done += 1;
        Ok(())
    }

    /// Runs written so far.
    pub fn runs_done(&self) -> usize {
        self.done
    }

    /// Completes every file and writes the manifest last.
    pub fn finish(self, manifest: &manifest::Manifest) -> Result<(), OutputError> {
        let path = self.dir.path().to_path_buf();
        let commit = |w: ::csv::Writer<PartialFile>, name: &str| -> Result<(), OutputError> {
            let file = w.into_inner().map_err(|e| OutputError::Io {
                action: "writing",
                path: path.join(name),
                source: std::io::Error::other(e.to_string()),
            })?;
            file.commit()
        };
        commit(self.runs, RUNS)?;
        commit(self.coalitions, COALITIONS)?;
        if let Some(w) = self.ticks_all {
            commit(w, TICKS)?;
        } else if self.scenario.output.ticks == TickOutput::Mean {
            let mut w = csv::writer(self.dir.create(TICKS)?);
            let mut header = vec!["tick".to_string(), "runs".to_string()];
            for c in &self.tick_columns {
                header.push(c.clone());
                header.push(format!("{c}_sd"));
            }
            w.write_record(&header)
                .map_err(csv_err(&path.join(TICKS)))?;
            let width = self.tick_columns.len() + 1;
            let rows = self.moments.mean.len() / width.max(1);
            for row in 0..rows {
                let base = row * width;
                let mut rec = vec![
                    (self.moments.mean[base] as u32).to_string(),
                    self.moments.runs.to_string(),
                ];
                for j in 1..width {
                    rec.push(csv::number(self.moments.mean[base + j]));
                    rec.push(csv::number(self.moments.sd(base + j)));
                }
                w.write_record(&rec).map_err(csv_err(&path.join(TICKS)))?;
            }
            commit(w, TICKS)?;
        }
        let mut w = csv::writer(self.dir.create(SUMMARY)?);
        w.write_record(csv::SUMMARY_HEADER)
            .map_err(csv_err(&path.join(SUMMARY)))?;
        for (name, mut column) in self.metric_columns.iter().zip(self.values) {
            let runs = column.len();
            let s = summarise(&mut column);
            w.write_record(csv::summary_row(name, &s, runs))
                .map_err(csv_err(&path.join(SUMMARY)))?;
        }
        commit(w, SUMMARY)?;
        let mut f = self.dir.create(files::MANIFEST)?;
        let json = serde_json::to_vec_pretty(manifest).map_err(|e| OutputError::Io {
            action: "serialising",
            path: path.join(files::MANIFEST),
            source: std::io::Error::other(e),
        })?;
        f.write_all(&json)
            .and_then(|_| f.write_all(b"\n"))
            .map_err(|source| OutputError::Io {
                action: "writing",
                path: path.join(files::MANIFEST),
                source,
            })?;
        f.commit()
    }
}
