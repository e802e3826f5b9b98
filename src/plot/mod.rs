//! EDGE OUT: charts from the result tables of an output directory (`runs.csv`,
//! `summary.csv`, `points.csv`, `ticks.csv`, `coalitions.csv`, `states.csv`,
//! `sensitivity.csv`, `prim.csv`, `posterior.csv`, `calibration.csv`, `manifest.json`), drawn with plotters and the
//! bundled Noto Sans font.
//!
//! **Invariant:** never runs the model and never touches the engine: every number on a
//! chart comes from a file `minilat run`, `sweep` or `analyze` wrote, read through
//! `output::results` and `output::manifest`. One file per chart family in `charts/`
//! holds what the family reads and computes (pure, unit-tested), its builder and its
//! drawing; `style` holds the palette, sizes and font, `axes` the drawing primitives
//! every chart shares, `numbers` the shared numbers and names, `render` the files.
//! The only module that knows plotters.

mod axes;
mod charts;
mod numbers;
mod render;
mod style;

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use crate::output::manifest::{self, IssueFacts, Manifest};
use crate::output::results::ReadError;
use axes::DrawResult;
pub use charts::points::MAX_DRAWN_POINTS;
use charts::{
    calibration, coalitions, coalitions_over_time, deadlock, free_riding, heatmap, optimum, points,
    prim, progress, rule_over_time, sensitivity, size_effect, size_histogram, stable_size,
    sweep_metric, ticks, timeline,
};
pub use render::{plot_dir, write_charts};
pub use style::font_ttf;

/// Which image files [`plot_dir`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

/// A problem reading result files or drawing a chart.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The directory holds none of the files minilat writes.
    #[error(
        "{}: no minilat results here (expected runs.csv, summary.csv, points.csv, ticks.csv or coalitions.csv, as written by `minilat run` or `minilat sweep`)",
        .dir.display()
    )]
    NoResults {
        /// The directory.
        dir: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A result file cannot be read as expected.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The run asked for does not appear in `coalitions.csv`.
    #[error("{}: run {run} does not appear in the file; pick a run it holds (the first is {first})", .path.display())]
    NoSuchRun {
        /// `coalitions.csv`.
        path: PathBuf,
        /// The run asked for.
        run: u32,
        /// The first run present.
        first: u32,
    },
    /// The bundled font could not be registered.
    #[error("the bundled chart font could not be loaded")]
    Font,
    /// plotters failed while drawing.
    #[error("drawing chart {stem}: {message}")]
    Draw {
        /// The chart's stem.
        stem: String,
        /// plotters' message.
        message: String,
    },
}

/// An issue as charts show it: name and palette index.
#[derive(Clone, Debug)]
struct IssueRef {
    name: String,
    colour: usize,
}

/// What a chart shows: the chart-ready numbers of one family.
#[derive(Clone, Debug)]
enum Spec {
    SizeEffect(size_effect::SizeEffect),
    SizeHistogram(size_histogram::SizeHistogram),
    Timeline(timeline::Timeline),
    Progress(progress::Progress),
    CoalitionsOverTime(coalitions_over_time::CoalitionsOverTime),
    RuleOverTime(rule_over_time::RuleOverTime),
    FreeRiding(free_riding::FreeRiding),
    Deadlock(deadlock::Deadlock),
    Sweep(sweep_metric::SweepMetric),
    Heatmap(heatmap::Heatmap),
    Indices(sensitivity::Indices),
    Prim(prim::PrimTradeoff),
    Marginal(calibration::Marginal),
    Pair(calibration::Pair),
    StableSize(stable_size::StableSize),
}

/// One chart, with the numbers it shows; draw it with [`Chart::svg`] or [`Chart::png`].
#[derive(Clone, Debug)]
pub struct Chart {
    stem: String,
    title: String,
    caption: String,
    spec: Spec,
}

impl Chart {
    /// File name without extension, e.g. "size_effectiveness_climate".
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// The chart's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// One or two plain sentences: what the chart shows and how to read it.
    pub fn caption(&self) -> &str {
        &self.caption
    }

    /// Draws the chart on `backend`: a white 1000×620 area, the title on top, the
    /// family's drawing below, presented.
    fn draw<DB: DrawingBackend>(&self, backend: DB) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let root = backend.into_drawing_area();
        root.fill(&WHITE)?;
        let area = root.titled(&self.title, axes::text(style::TITLE_PX))?;
        match &self.spec {
            Spec::SizeEffect(s) => s.draw(&area)?,
            Spec::SizeHistogram(s) => s.draw(&area)?,
            Spec::Timeline(s) => s.draw(&area)?,
            Spec::Progress(s) => s.draw(&area)?,
            Spec::CoalitionsOverTime(s) => s.draw(&area)?,
            Spec::RuleOverTime(s) => s.draw(&area)?,
            Spec::FreeRiding(s) => s.draw(&area)?,
            Spec::Deadlock(s) => s.draw(&area)?,
            Spec::Sweep(s) => s.draw(&area)?,
            Spec::Heatmap(s) => s.draw(&area)?,
            Spec::Indices(s) => s.draw(&area)?,
            Spec::Prim(s) => s.draw(&area)?,
            Spec::Marginal(s) => s.draw(&area)?,
            Spec::Pair(s) => s.draw(&area)?,
            Spec::StableSize(s) => s.draw(&area)?,
        }
        root.present()?;
        Ok(())
    }
}

/// The files of one output directory that exist.
struct Files {
    manifest: Option<PathBuf>,
    runs: Option<PathBuf>,
    summary: Option<PathBuf>,
    points: Option<PathBuf>,
    ticks: Option<PathBuf>,
    coalitions: Option<PathBuf>,
    states: Option<PathBuf>,
    sensitivity: Option<PathBuf>,
    prim: Option<PathBuf>,
    posterior: Option<PathBuf>,
    calibration: Option<PathBuf>,
    stability_by_ratio: Option<PathBuf>,
}

impl Files {
    fn find(dir: &Path) -> Files {
        let get = |name: &str| Some(dir.join(name)).filter(|p| p.is_file());
        Files {
            manifest: get("manifest.json"),
            runs: get("runs.csv"),
            summary: get("summary.csv"),
            points: get("points.csv"),
            ticks: get("ticks.csv"),
            coalitions: get("coalitions.csv"),
            states: get("states.csv"),
            sensitivity: get("sensitivity.csv"),
            prim: get("prim.csv"),
            posterior: get("posterior.csv"),
            calibration: get("calibration.csv"),
            stability_by_ratio: get(crate::model::scenario::stability::STABILITY_BY_RATIO),
        }
    }
}

/// Every chart the files in `dir` support (what the files do not allow is skipped
/// silently, e.g. no coalitions.csv → no timeline). `run`: which run the timeline
/// shows (default: the first run present in coalitions.csv).
pub fn charts(dir: &Path, run: Option<u32>) -> Result<Vec<Chart>, PlotError> {
    let files = Files::find(dir);
    if files.runs.is_none()
        && files.summary.is_none()
        && files.points.is_none()
        && files.ticks.is_none()
        && files.coalitions.is_none()
    {
        return Err(PlotError::NoResults {
            dir: dir.to_path_buf(),
        });
    }
    let manifest = match &files.manifest {
        Some(p) => manifest::read(p)?,
        None => Manifest::default(),
    };
    let sweep = match manifest.command.as_str() {
        "sweep" | "merge" | "calibrate" => true,
        "" => files.points.is_some() && files.summary.is_none(),
        _ => false,
    };
    let mut ctx = Context::new(manifest);
    if sweep {
        let mut out = Vec::new();
        if let Some(p) = &files.points {
            out.extend(points::charts(p, &mut ctx)?);
            out.extend(optimum::charts(p, &mut ctx)?);
        }
        if let Some(p) = &files.sensitivity {
            out.extend(sensitivity::charts(p, &ctx)?);
        }
        if let Some(p) = &files.prim {
            out.extend(prim::charts(p, &ctx)?);
        }
        if let (Some(p), Some(c)) = (&files.posterior, &files.calibration) {
            out.extend(calibration::charts(p, c, &ctx)?);
        }
        return Ok(out);
    }
    run_charts(&files, run, &mut ctx)
}

/// The charts of a `minilat run` directory, in the report's order: size–effectiveness,
/// the time series, the coalitions' histogram and timeline, deadlock, free-riding.
fn run_charts(files: &Files, run: Option<u32>, ctx: &mut Context) -> Result<Vec<Chart>, PlotError> {
    let ticks = match &files.ticks {
        Some(p) => {
            let (issues, series) = ticks::read(p)?;
            ctx.learn_issues(issues.iter().map(String::as_str));
            series
        }
        None => None,
    };
    let mut coalition_charts = Vec::new();
    if let Some(p) = &files.coalitions {
        let states = coalitions::states(files.states.as_deref(), &ctx.manifest)?;
        coalition_charts = coalitions::charts(p, run, &states, ctx)?;
    }
    let (size_eff, rest): (Vec<Chart>, Vec<Chart>) = coalition_charts
        .into_iter()
        .partition(|c| matches!(c.spec, Spec::SizeEffect(_)));
    let mut out = size_eff;
    let time = ticks.map_or_else(Vec::new, |t| ticks::charts(t, ctx));
    let (fr, time): (Vec<Chart>, Vec<Chart>) = time
        .into_iter()
        .partition(|c| matches!(c.spec, Spec::FreeRiding(_)));
    out.extend(time);
    out.extend(rest);
    if let Some(c) = deadlock::chart(files.summary.as_deref(), files.runs.as_deref(), ctx)? {
        out.push(c);
    }
    out.extend(fr);
    if let Some(p) = &files.stability_by_ratio {
        out.extend(stable_size::chart(p, ctx)?);
    }
    Ok(out)
}

/// What every chart builder needs: the manifest (empty without one) and the issues
/// known so far.
struct Context {
    manifest: Manifest,
    issues: Vec<IssueFacts>,
    bodies: Vec<String>,
}

impl Context {
    fn new(manifest: Manifest) -> Context {
        Context {
            issues: manifest.issues(),
            bodies: manifest.body_names(),
            manifest,
        }
    }

    /// Adds issues seen in a file but not in the manifest (hand-made directories).
    fn learn_issues<'a>(&mut self, names: impl Iterator<Item = &'a str>) {
        for n in names {
            if !self.issues.iter().any(|i| i.name == n) {
                self.issues.push(IssueFacts {
                    name: n.to_string(),
                    capability: None,
                });
            }
        }
    }

    fn issue_index(&mut self, name: &str) -> usize {
        self.learn_issues(std::iter::once(name));
        self.issues.iter().position(|i| i.name == name).unwrap_or(0)
    }

    fn issue_ref(&self, index: usize) -> IssueRef {
        IssueRef {
            name: self.issues[index].name.clone(),
            colour: index,
        }
    }

    /// Whether the manifest says the scenario has no bodies (without a manifest we
    /// cannot tell, and assume it may have some).
    fn no_bodies(&self) -> bool {
        !self.manifest.command.is_empty() && self.bodies.is_empty()
    }

    fn label(&self) -> String {
        let n = &self.manifest.scenario_name;
        if n.is_empty() {
            String::new()
        } else {
            format!(" ({n})")
        }
    }
}

#[cfg(test)]
mod tests;
