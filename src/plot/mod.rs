//! EDGE OUT: charts from the result tables of an output directory (`runs.csv`,
//! `summary.csv`, `points.csv`, `ticks.csv`, `coalitions.csv`, `states.csv`,
//! `manifest.json`), drawn with plotters and the bundled Noto Sans font.
//!
//! **Invariant:** never runs the model and never touches the engine: every number on a
//! chart comes from a file `minilat run` or `minilat sweep` wrote. `tables` reads the
//! files, `data` turns them into chart-ready numbers (pure, unit-tested), `draw` draws,
//! `style` holds the palette and sizes. The only module that knows plotters.

mod data;
mod draw;
mod style;
mod tables;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use data::{Band, Moments, Optimum, PointRow, SizeStat, SweepMode, SweepPoint, SweepSeries};
use tables::{IssueMeta, Manifest, StateInfo, Table};

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
    /// A CSV file is malformed.
    #[error("{}: {source}", .path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: csv::Error,
    },
    /// A column the chart needs is missing.
    #[error("{}: missing column {column}", .path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// A cell that must be a number is not.
    #[error("{}: column {column}: not a number: {value:?} (line {line})", .path.display())]
    NotANumber {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
        /// Line in the file (1 = header).
        line: u64,
    },
    /// Anything else wrong with a file's contents.
    #[error("{}: {message}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
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

static FONT_ONCE: Once = Once::new();
static FONT_OK: AtomicBool = AtomicBool::new(false);

/// Registers Noto Sans as "sans-serif", once per process, before any drawing: with
/// plotters' `ttf` feature off there are no system fonts (see TOOLCHAIN.md).
fn ensure_font() -> Result<(), PlotError> {
    FONT_ONCE.call_once(|| {
        let ok = plotters::style::register_font(
            style::FONT,
            plotters::style::FontStyle::Normal,
            ttf_noto_sans::REGULAR,
        )
        .is_ok();
        FONT_OK.store(ok, Ordering::SeqCst);
    });
    if FONT_OK.load(Ordering::SeqCst) {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// An issue as charts show it: name and palette index.
#[derive(Clone, Debug)]
struct IssueRef {
    name: String,
    colour: usize,
}

/// Progress of one issue over ticks, by venue type.
#[derive(Clone, Debug)]
struct IssueProgress {
    issue: IssueRef,
    bodies: Option<Band>,
    coalitions: Option<Band>,
    net: Option<Band>,
}

/// One bar of the timeline.
#[derive(Clone, Debug)]
struct TimelineBar {
    colour: usize,
    founded: f64,
    ended: f64,
    label: String,
}

/// One body's deadlock rate.
#[derive(Clone, Debug)]
struct BodyDeadlock {
    name: String,
    mean: f64,
    lo: f64,
    hi: f64,
}

/// One series of sensitivity indices: its name and (value, ci_low, ci_high) per
/// parameter.
#[derive(Clone, Debug)]
struct IndexSeries {
    name: String,
    values: Vec<(f64, f64, f64)>,
}

/// What a chart shows: the chart-ready numbers of each kind.
#[derive(Clone, Debug)]
enum Spec {
    Indices {
        x_desc: String,
        params: Vec<String>,
        series: Vec<IndexSeries>,
    },
    PrimTradeoff {
        /// (coverage, density) per peeling step.
        steps: Vec<(f64, f64)>,
        chosen: usize,
    },
    SizeEffectiveness {
        issue: IssueRef,
        stats: Vec<SizeStat>,
        optimum: Option<Optimum>,
        /// Capability name and the top-k shares, k = 1..=len.
        coverage: Option<(String, Vec<f64>)>,
    },
    Progress {
        ticks: Vec<f64>,
        issues: Vec<IssueProgress>,
    },
    CoalitionsOverTime {
        ticks: Vec<f64>,
        count: Band,
        size: Band,
    },
    SizeHistogram {
        issues: Vec<IssueRef>,
        /// Peak size → coalitions per issue (in `issues` order).
        counts: BTreeMap<u32, Vec<usize>>,
    },
    Timeline {
        ticks: f64,
        issues: Vec<IssueRef>,
        bars: Vec<TimelineBar>,
    },
    Deadlock {
        bodies: Vec<BodyDeadlock>,
    },
    FreeRidingFragmentation {
        ticks: Vec<f64>,
        free_riding: Option<Band>,
        fragmentation: Option<Band>,
    },
    /// A behaviour rule's own per-tick measure (`ticks.csv` columns beyond the core's).
    RuleOverTime {
        ticks: Vec<f64>,
        metric: String,
        band: Band,
    },
    Sweep {
        param: String,
        /// The y axis label, with what the line and band are.
        y_desc: String,
        mode: SweepMode,
        series: Vec<SweepSeries>,
        categories: Vec<String>,
        /// Palette index of the issue when the metric belongs to one.
        issue_colour: Option<usize>,
    },
    Heatmap {
        x_param: String,
        y_param: String,
        z_desc: String,
        xs: Vec<f64>,
        ys: Vec<f64>,
        cells: Vec<Vec<f64>>,
    },
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

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String, PlotError> {
        ensure_font()?;
        let mut out = String::new();
        {
            let backend = plotters::backend::SVGBackend::with_string(&mut out, style::SIZE);
            draw::draw(self, backend).map_err(|e| self.draw_error(e))?;
        }
        Ok(match_layout(&out))
    }

    /// Draws the chart as a PNG file at `path`, through a temporary name in the same
    /// directory that is renamed when complete.
    pub fn png(&self, path: &Path) -> Result<(), PlotError> {
        let svg = self.svg()?;
        let bytes = rasterise(&svg).map_err(|message| PlotError::Draw {
            stem: self.stem.clone(),
            message,
        })?;
        let tmp = partial_name(path, "png");
        std::fs::write(&tmp, bytes)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|source| {
                let _ = std::fs::remove_file(&tmp);
                PlotError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            })
    }

    fn draw_error(&self, e: Box<dyn std::error::Error>) -> PlotError {
        PlotError::Draw {
            stem: self.stem.clone(),
            message: e.to_string(),
        }
    }
}

/// Em size of Noto Sans relative to what plotters lays text out with. plotters measures
/// text with ab_glyph at a scale whose *line height* (ascent − descent: 1069 + 293 =
/// 1362 units of 1000 per em) is the font size, but writes `font-size = size / 1.24`
/// into SVG, where `font-size` is the *em*: rendered text comes out 1.362 / 1.24 =
/// 1.098 times wider than laid out, and overflows legends and labels. Scaling every
/// `font-size` by 1.24 / 1.362 makes the drawing match the layout.
const FONT_SIZE_FIX: f64 = 1.24 / 1.362;

/// The bundled chart font (Noto Sans Regular, TrueType), e.g. for embedding in a page
/// that shows the SVGs, so text renders as laid out whatever fonts the viewer has.
pub fn font_ttf() -> &'static [u8] {
    ttf_noto_sans::REGULAR
}

/// Rewrites every `font-size="X"` of plotters' SVG by [`FONT_SIZE_FIX`], and names the
/// font the layout was made with (falling back to any sans-serif).
fn match_layout(svg: &str) -> String {
    let svg = svg.replace(
        "font-family=\"sans-serif\"",
        "font-family=\"Noto Sans, sans-serif\"",
    );
    let svg = svg.as_str();
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(KEY) {
        let (head, tail) = rest.split_at(i + KEY.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(0);
        match tail[..end].parse::<f64>() {
            Ok(size) => out.push_str(&format!("{:.2}", size * FONT_SIZE_FIX)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// PNG pixels per SVG unit: charts are drawn at 1000 x 620 and rasterised at twice
/// that, for print and high-density screens.
const PNG_SCALE: f32 = 1.0;

/// Renders an SVG chart to PNG bytes with resvg, its text set in the bundled Noto Sans
/// (resvg shapes and kerns text properly; plotters' own bitmap text does not).
fn rasterise(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    static FONTS: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(ttf_noto_sans::REGULAR.to_vec());
        db.set_sans_serif_family("Noto Sans");
        std::sync::Arc::new(db)
    });
    let options = usvg::Options {
        font_family: "Noto Sans".into(),
        fontdb: std::sync::Arc::clone(fonts),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("reading the SVG: {e}"))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * PNG_SCALE).ceil() as u32,
        (size.height() * PNG_SCALE).ceil() as u32,
    );
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("cannot make a {w} x {h} image"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("encoding the PNG: {e}"))
}

/// `dir/.name.partial.ext`: a hidden temporary name beside the final file.
fn partial_name(path: &Path, ext: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "chart".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!(".{stem}.partial.{ext}"))
}

/// Writes every chart to `dir/charts/<stem>.png|.svg` (each through a temporary name,
/// then renamed, so no half-written chart appears); returns the paths written.
pub fn plot_dir(dir: &Path, format: Format, run: Option<u32>) -> Result<Vec<PathBuf>, PlotError> {
    write_charts(dir, &charts(dir, run)?, format)
}

/// Writes `charts` (from [`charts`]) to `dir/charts/<stem>.png|.svg`, each through a
/// temporary name; returns the paths written, in chart order.
pub fn write_charts(
    dir: &Path,
    charts: &[Chart],
    format: Format,
) -> Result<Vec<PathBuf>, PlotError> {
    let out = dir.join("charts");
    std::fs::create_dir_all(&out).map_err(|source| PlotError::Io {
        path: out.clone(),
        source,
    })?;
    // Charts are independent: draw them in parallel, report in chart order.
    use rayon::prelude::*;
    let written: Vec<Vec<PathBuf>> = charts
        .par_iter()
        .map(|chart| {
            let mut files = Vec::with_capacity(2);
            if matches!(format, Format::Png | Format::Both) {
                let path = out.join(format!("{}.png", chart.stem));
                chart.png(&path)?;
                files.push(path);
            }
            if matches!(format, Format::Svg | Format::Both) {
                let path = out.join(format!("{}.svg", chart.stem));
                let svg = chart.svg()?;
                let tmp = partial_name(&path, "svg");
                std::fs::write(&tmp, svg)
                    .and_then(|()| std::fs::rename(&tmp, &path))
                    .map_err(|source| PlotError::Io {
                        path: path.clone(),
                        source,
                    })?;
                files.push(path);
            }
            Ok(files)
        })
        .collect::<Result<_, PlotError>>()?;
    let written: Vec<PathBuf> = written.into_iter().flatten().collect();
    remove_stale_charts(&out, &written)?;
    Ok(written)
}

/// Removes chart files (`*.png`, `*.svg`) in `charts/` that this drawing did not write,
/// so that a re-run (`--force`, `minilat plot`) leaves no chart of an earlier run.
/// Called after the new charts are in place, so a failed drawing loses nothing.
fn remove_stale_charts(out: &Path, written: &[PathBuf]) -> Result<(), PlotError> {
    let io = |source| PlotError::Io {
        path: out.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(out).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let chart_file = path.extension().is_some_and(|x| x == "png" || x == "svg");
        if chart_file && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(|source| PlotError::Io {
                path: path.clone(),
                source,
            })?;
        }
    }
    Ok(())
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
        Some(p) => tables::read_manifest(p)?,
        None => Manifest::default(),
    };
    let sweep = match manifest.command.as_deref() {
        Some("sweep") | Some("merge") => true,
        Some(_) => false,
        None => files.points.is_some() && files.summary.is_none(),
    };
    let mut ctx = Context {
        issues: manifest.issues.clone(),
        manifest,
    };
    let mut out = Vec::new();
    if sweep {
        if let Some(p) = &files.points {
            out.extend(sweep_charts(p, &mut ctx)?);
        }
        if let Some(p) = &files.sensitivity {
            out.extend(sensitivity_charts(&Table::read(p)?, &ctx)?);
        }
        if let Some(p) = &files.prim {
            out.extend(prim_charts(&Table::read(p)?, &ctx)?);
        }
        return Ok(out);
    }
    let states = match &files.states {
        Some(p) => tables::read_states(p)?,
        None => ctx.manifest.states.clone(),
    };
    if let Some(p) = &files.ticks {
        let t = Table::read(p)?;
        ctx.learn_issues(t.headers.iter().filter_map(|h| {
            h.strip_prefix("produced_coalitions_")
                .filter(|rest| !rest.ends_with("_sd"))
        }));
    }
    let mut coalition_charts = Vec::new();
    if let Some(p) = &files.coalitions {
        coalition_charts = coalitions_charts(p, run, &states, &mut ctx)?;
    }
    let (size_eff, rest): (Vec<Chart>, Vec<Chart>) = coalition_charts
        .into_iter()
        .partition(|c| matches!(c.spec, Spec::SizeEffectiveness { .. }));
    out.extend(size_eff);
    let mut time = Vec::new();
    if let Some(p) = &files.ticks {
        time = tick_charts(&Table::read(p)?, &ctx)?;
    }
    let (fr, time): (Vec<Chart>, Vec<Chart>) = time
        .into_iter()
        .partition(|c| matches!(c.spec, Spec::FreeRidingFragmentation { .. }));
    out.extend(time);
    out.extend(rest);
    if let Some(c) = deadlock_chart(&files, &ctx)? {
        out.push(c);
    }
    out.extend(fr);
    Ok(out)
}

/// What every chart builder needs: the manifest and the issues known so far.
struct Context {
    manifest: Manifest,
    issues: Vec<IssueMeta>,
}

impl Context {
    /// Adds issues seen in a file but not in the manifest (hand-made directories).
    fn learn_issues<'a>(&mut self, names: impl Iterator<Item = &'a str>) {
        for n in names {
            if !self.issues.iter().any(|i| i.name == n) {
                self.issues.push(IssueMeta {
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
        self.manifest.command.is_some() && self.manifest.bodies.is_empty()
    }

    fn label(&self) -> String {
        self.manifest
            .scenario_name
            .as_ref()
            .map_or_else(String::new, |n| format!(" ({n})"))
    }
}

/// Size–effectiveness per issue, size histogram and timeline, in one pass over
/// `coalitions.csv`.
fn coalitions_charts(
    path: &Path,
    run: Option<u32>,
    states: &[StateInfo],
    ctx: &mut Context,
) -> Result<Vec<Chart>, PlotError> {
    let iso3: BTreeMap<String, String> = states
        .iter()
        .filter_map(|s| Some((s.name.clone(), s.iso3.clone()?)))
        .collect();
    // issue index → size → moments of progress
    let mut by_issue: BTreeMap<usize, BTreeMap<u32, Moments>> = BTreeMap::new();
    let mut first_run: Option<u32> = None;
    let mut bars: Vec<(usize, TimelineBar)> = Vec::new();
    let mut max_ended = 0.0f64;
    let mut rows = 0usize;
    let mut sweep_form = false;
    {
        let header = Table::read_header(path)?;
        if header.first().is_some_and(|h| h == "point") {
            sweep_form = true;
        }
    }
    if sweep_form {
        return Ok(Vec::new());
    }
    tables::for_each_coalition(path, |row| {
        rows += 1;
        let issue = ctx.issue_index(row.issue);
        by_issue
            .entry(issue)
            .or_default()
            .entry(row.peak_size)
            .or_default()
            .push(row.progress);
        let shown = *first_run.get_or_insert(row.run);
        if row.run == run.unwrap_or(shown) {
            max_ended = max_ended.max(row.ended);
            bars.push((
                issue,
                TimelineBar {
                    colour: issue,
                    founded: row.founded,
                    ended: row.ended,
                    label: data::member_label(row.members, &iso3, 3),
                },
            ));
        }
        Ok(())
    })?;
    if rows == 0 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let label = ctx.label();
    for (&issue, sizes) in &by_issue {
        let stats = data::size_stats(sizes);
        let optimum = data::optimum(&stats);
        let meta = &ctx.issues[issue];
        let max_size = stats.iter().map(|s| s.size).max().unwrap_or(1) as usize;
        let coverage = meta.capability.as_ref().and_then(|cap| {
            let values: Vec<f64> = states
                .iter()
                .filter_map(|s| s.capabilities.get(cap).copied())
                .collect();
            let cov = data::coverage_top_k(&values, max_size);
            (!values.is_empty() && cov.iter().any(|v| v.is_finite())).then(|| (cap.clone(), cov))
        });
        let opt_text = optimum.map_or_else(
            || "There are too few coalitions of any one size to mark an optimum.".to_string(),
            |o| {
                format!(
                    "The best size is {} (shaded: sizes {}–{}, whose 95% intervals reach the best one's, are statistically indistinguishable from it).",
                    o.size, o.lo, o.hi
                )
            },
        );
        let cov_text = coverage.as_ref().map_or_else(String::new, |(cap, _)| {
            format!(
                " The dashed grey line (right axis) is the share of all {cap} held by the k largest states: what a coalition of k members could cover at best."
            )
        });
        out.push(Chart {
            stem: format!("size_effectiveness_{}", data::sanitize(&meta.name)),
            title: format!("Coalition size and effectiveness: {}", meta.name),
            caption: format!(
                "Effectiveness of {} coalitions by size{label}: the mean progress a coalition produced over its life, across every coalition of that peak size in all runs, with the 95% interval of the mean (hollow points: a single coalition). {opt_text}{cov_text}",
                meta.name
            ),
            spec: Spec::SizeEffectiveness {
                issue: ctx.issue_ref(issue),
                stats,
                optimum,
                coverage,
            },
        });
    }
    // Histogram: issues that have coalitions, in scenario order.
    let hist_issues: Vec<usize> = by_issue.keys().copied().collect();
    let mut counts: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (k, &issue) in hist_issues.iter().enumerate() {
        for (&size, m) in &by_issue[&issue] {
            counts
                .entry(size)
                .or_insert_with(|| vec![0; hist_issues.len()])[k] += m.n;
        }
    }
    out.push(Chart {
        stem: "size_histogram".into(),
        title: "Coalition sizes".into(),
        caption: format!(
            "How many coalitions reached each peak size{label}, over all runs, stacked by issue. A tall bar at the cap on coalition size means the cap binds."
        ),
        spec: Spec::SizeHistogram {
            issues: hist_issues.iter().map(|&i| ctx.issue_ref(i)).collect(),
            counts,
        },
    });
    let first = first_run.unwrap_or(0);
    let shown = run.unwrap_or(first);
    if bars.is_empty() {
        return Err(PlotError::NoSuchRun {
            path: path.to_path_buf(),
            run: shown,
            first,
        });
    }
    // Group by issue, then by founding tick.
    bars.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.founded.total_cmp(&b.1.founded))
            .then(a.1.ended.total_cmp(&b.1.ended))
    });
    let issues: Vec<IssueRef> = {
        let mut v: Vec<usize> = bars.iter().map(|b| b.0).collect();
        v.dedup();
        v.into_iter().map(|i| ctx.issue_ref(i)).collect()
    };
    let ticks = ctx.manifest.ticks.unwrap_or(max_ended).max(max_ended);
    out.push(Chart {
        stem: format!("timeline_run{shown}"),
        title: format!("Coalitions of run {shown}"),
        caption: format!(
            "Every coalition of run {shown}{label} as a bar from the tick it was founded to the tick it ended, grouped and coloured by issue, labelled with its members (everyone who was ever a member, in joining order)."
        ),
        spec: Spec::Timeline {
            ticks,
            issues,
            bars: bars.into_iter().map(|b| b.1).collect(),
        },
    });
    Ok(out)
}

/// A tick table in the chart's terms: ticks and a band per metric.
struct TickSeries {
    ticks: Vec<f64>,
    bands: BTreeMap<String, Band>,
}

impl TickSeries {
    fn from_table(t: &Table) -> Result<Option<TickSeries>, PlotError> {
        if t.has("point") || t.len() == 0 {
            // A sweep's ticks: time charts are not drawn for sweeps.
            return Ok(None);
        }
        let ticks = t.num("tick")?;
        if t.has("run") {
            // "all" form: one row per run and tick.
            let metrics: Vec<&String> = t
                .headers
                .iter()
                .filter(|h| !matches!(h.as_str(), "run" | "tick" | "runs"))
                .collect();
            let cols = metrics
                .iter()
                .map(|m| t.num(m))
                .collect::<Result<Vec<_>, _>>()?;
            let (ticks, bands) = data::average_ticks(&ticks, &cols);
            return Ok(Some(TickSeries {
                ticks,
                bands: metrics.into_iter().cloned().zip(bands).collect(),
            }));
        }
        let runs = t.num("runs")?;
        let mut bands = BTreeMap::new();
        for h in &t.headers {
            if matches!(h.as_str(), "tick" | "runs") || h.ends_with("_sd") {
                continue;
            }
            let sd_name = format!("{h}_sd");
            let mean = t.num(h)?;
            let sd = if t.has(&sd_name) {
                t.num(&sd_name)?
            } else {
                vec![f64::NAN; mean.len()]
            };
            bands.insert(h.clone(), Band::from_sd(&mean, &sd, &runs));
        }
        Ok(Some(TickSeries { ticks, bands }))
    }

    fn get(&self, metric: &str) -> Option<Band> {
        self.bands
            .get(metric)
            .filter(|b| b.mean.iter().any(|v| v.is_finite()))
            .cloned()
    }
}

/// progress, coalitions_over_time, free_riding_fragmentation.
fn tick_charts(t: &Table, ctx: &Context) -> Result<Vec<Chart>, PlotError> {
    let Some(ts) = TickSeries::from_table(t)? else {
        return Ok(Vec::new());
    };
    let label = ctx.label();
    let mut out = Vec::new();
    let no_bodies = ctx.no_bodies();
    let issues: Vec<IssueProgress> = ctx
        .issues
        .iter()
        .enumerate()
        .map(|(i, m)| IssueProgress {
            issue: ctx.issue_ref(i),
            bodies: ts
                .get(&format!("produced_bodies_{}", m.name))
                .filter(|_| !no_bodies),
            coalitions: ts.get(&format!("produced_coalitions_{}", m.name)),
            net: ts.get(&format!("progress_{}", m.name)),
        })
        .filter(|p| p.bodies.is_some() || p.coalitions.is_some() || p.net.is_some())
        .collect();
    if !issues.is_empty() {
        out.push(Chart {
            stem: "progress".into(),
            title: "Progress by venue type".into(),
            caption: if no_bodies {
                format!(
                    "Progress on each issue over time{label}: cumulative progress produced by coalitions (vermillion; the scenario has no bodies) and net progress after decay (black), as means over runs with 95% bands."
                )
            } else {
                format!(
                    "Progress on each issue over time{label}: cumulative progress produced by coalitions (vermillion) and by bodies (blue, dashed), and net progress after decay (black), as means over runs with 95% bands."
                )
            },
            spec: Spec::Progress {
                ticks: ts.ticks.clone(),
                issues,
            },
        });
    }
    if let (Some(count), Some(size)) = (ts.get("coalitions"), ts.get("mean_size")) {
        out.push(Chart {
            stem: "coalitions_over_time".into(),
            title: "Coalitions over time".into(),
            caption: format!(
                "The number of active coalitions (top) and their mean size in members (bottom) at each tick{label}, as means over runs with 95% bands."
            ),
            spec: Spec::CoalitionsOverTime {
                ticks: ts.ticks.clone(),
                count,
                size,
            },
        });
    }
    // A behaviour rule's own columns (`Scenario::rule_tick_columns`): every column that is
    // not one of the core's.
    for (metric, band) in &ts.bands {
        if is_core_tick_column(metric) || !band.mean.iter().any(|v| v.is_finite()) {
            continue;
        }
        out.push(Chart {
            stem: format!("rule_{metric}"),
            title: format!("Behaviour rule: {}", metric.replace('_', " ")),
            caption: format!(
                "The behaviour rule's measure `{metric}` at each tick{label} (a `ticks.csv` column of the rule; see docs/rules/), as a mean over runs with a 95% band."
            ),
            spec: Spec::RuleOverTime {
                ticks: ts.ticks.clone(),
                metric: metric.clone(),
                band: band.clone(),
            },
        });
    }
    let (free_riding, fragmentation) = (ts.get("free_riding_rate"), ts.get("fragmentation"));
    if free_riding.is_some() || fragmentation.is_some() {
        out.push(Chart {
            stem: "free_riding_fragmentation".into(),
            title: "Free-riding and fragmentation".into(),
            caption: format!(
                "Free-riding rate (free-rides per compliance decision) and fragmentation (1 − HHI of progress shares by venue; 0 = one venue did everything) at each tick{label}, as means over runs with 95% bands."
            ),
            spec: Spec::FreeRidingFragmentation {
                ticks: ts.ticks,
                free_riding,
                fragmentation,
            },
        });
    }
    Ok(out)
}

/// Whether a `ticks.csv` column is one of the core's (`TickMetrics`), not a behaviour
/// rule's.
fn is_core_tick_column(metric: &str) -> bool {
    crate::metrics::TickMetrics::CORE_COLUMNS.contains(&metric)
        || ["progress_", "produced_bodies_", "produced_coalitions_"]
            .iter()
            .any(|p| metric.starts_with(p))
}

/// deadlock_by_body from summary.csv (or, without it, runs.csv).
fn deadlock_chart(files: &Files, ctx: &Context) -> Result<Option<Chart>, PlotError> {
    fn is_body(m: &str) -> Option<&str> {
        m.strip_prefix("deadlock_").filter(|b| *b != "rate")
    }
    let mut bodies: Vec<BodyDeadlock> = Vec::new();
    if let Some(p) = &files.summary {
        let t = Table::read(p)?;
        let (metric, mean, lo, hi) = (
            t.text("metric")?,
            t.num("mean")?,
            t.num("ci95_low")?,
            t.num("ci95_high")?,
        );
        for (i, m) in metric.iter().enumerate() {
            if let Some(b) = is_body(m) {
                bodies.push(BodyDeadlock {
                    name: b.to_string(),
                    mean: mean[i],
                    lo: lo[i],
                    hi: hi[i],
                });
            }
        }
    } else if let Some(p) = &files.runs {
        let t = Table::read(p)?;
        for h in &t.headers {
            if let Some(b) = is_body(h) {
                let mut m = Moments::default();
                t.num(h)?.into_iter().for_each(|v| m.push(v));
                let (lo, hi) = m.ci95();
                bodies.push(BodyDeadlock {
                    name: b.to_string(),
                    mean: m.mean(),
                    lo,
                    hi,
                });
            }
        }
    }
    // Scenario order when the manifest knows the bodies.
    let order = &ctx.manifest.bodies;
    bodies.sort_by_key(|b| {
        order
            .iter()
            .position(|n| *n == b.name)
            .unwrap_or(usize::MAX)
    });
    if bodies.is_empty() {
        return Ok(None);
    }
    Ok(Some(Chart {
        stem: "deadlock_by_body".into(),
        title: "Deadlock by body".into(),
        caption: format!(
            "Share of each body's decisions that failed{}, mean over runs with the 95% interval of the mean; a body that never decided in a run does not count in that run.",
            ctx.label()
        ),
        spec: Spec::Deadlock { bodies },
    }))
}

/// Axis description of a metric.
fn metric_desc(metric: &str) -> String {
    if let Some(issue) = metric.strip_prefix("progress_") {
        return format!("final progress on {issue}");
    }
    if let Some(issue) = metric.strip_prefix("participation_") {
        return format!("share of states in a {issue} coalition at the end");
    }
    if let Some(body) = metric.strip_prefix("two_tier_") {
        return format!("share of {body} members also in a coalition (two tiers)");
    }
    if let Some(body) = metric.strip_prefix("deadlock_").filter(|b| *b != "rate") {
        return format!("deadlock rate of {body}");
    }
    match metric {
        "deadlock_rate" => "deadlock rate (failed / attempted decisions)".into(),
        "minilateral_share" => "minilateral share of progress".into(),
        "building_block_share" => {
            "share of body adoptions that took over a coalition measure".into()
        }
        "legitimacy_states" => "legitimacy (share of states with a voice)".into(),
        "legitimacy_population" => "legitimacy (share of population with a voice)".into(),
        m => m.replace('_', " "),
    }
}

/// The distinct values in the order they first appear.
fn first_seen<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// sensitivity_<metric> from sensitivity.csv (`minilat analyze`): Sobol S1 and ST, or
/// Morris μ* and σ, per parameter, with 95% intervals.
fn sensitivity_charts(t: &Table, ctx: &Context) -> Result<Vec<Chart>, PlotError> {
    let (param, metric, index) = (t.text("parameter")?, t.text("metric")?, t.text("index")?);
    let (value, lo, hi) = (t.num("value")?, t.num("ci_low")?, t.num("ci_high")?);
    let label = ctx.label();
    let mut out = Vec::new();
    for m in first_seen(metric.iter().copied()) {
        let rows: Vec<usize> = (0..t.len()).filter(|&r| metric[r] == m).collect();
        let params: Vec<String> = first_seen(rows.iter().map(|&r| param[r]))
            .into_iter()
            .map(str::to_string)
            .collect();
        let sobol = rows.iter().any(|&r| index[r] == "S1");
        let names: [(&str, &str); 2] = if sobol {
            [("S1", "first-order index S1"), ("ST", "total index ST")]
        } else {
            [
                ("mu_star", "μ* (mean |elementary effect|)"),
                ("sigma", "σ (sd of elementary effects)"),
            ]
        };
        let series = names
            .iter()
            .map(|&(key, name)| IndexSeries {
                name: name.to_string(),
                values: params
                    .iter()
                    .map(|p| {
                        rows.iter()
                            .find(|&&r| param[r] == p.as_str() && index[r] == key)
                            .map_or((f64::NAN, f64::NAN, f64::NAN), |&r| {
                                (value[r], lo[r], hi[r])
                            })
                    })
                    .collect(),
            })
            .collect();
        let desc = metric_desc(m);
        let (title, x_desc, caption) = if sobol {
            (
                format!("What drives {desc}: Sobol indices"),
                "Sobol index (share of output variance)".to_string(),
                format!(
                    "Sobol sensitivity indices of the {desc}{label}: the first-order index S1 is the share of the output's variance due to the parameter alone, the total index ST the share it takes part in, interactions included (a gap ST − S1 means interactions); whiskers are 95% bootstrap intervals. A parameter with ST near 0 can be fixed anywhere in its range."
                ),
            )
        } else {
            (
                format!("What drives {desc}: Morris screening"),
                "elementary effect over the parameter's whole range".to_string(),
                format!(
                    "Morris elementary effects on the {desc}{label}: μ* (the mean absolute change in the output when the parameter moves across its range in one step, others fixed) ranks the parameters' importance; σ, their spread, is large where effects depend on the other parameters (non-linearity or interactions). Whiskers are 95% bootstrap intervals over trajectories."
                ),
            )
        };
        out.push(Chart {
            stem: format!("sensitivity_{}", data::sanitize(m)),
            title,
            caption,
            spec: Spec::Indices {
                x_desc,
                params,
                series,
            },
        });
    }
    Ok(out)
}

/// prim_<k> from prim.csv (`minilat analyze --condition`): the coverage–density
/// trade-off along each condition's peeling trajectory.
fn prim_charts(t: &Table, ctx: &Context) -> Result<Vec<Chart>, PlotError> {
    let (condition, chosen) = (t.text("condition")?, t.text("chosen")?);
    let (coverage, density) = (t.num("coverage")?, t.num("density")?);
    let label = ctx.label();
    let mut out = Vec::new();
    for (k, c) in first_seen(condition.iter().copied()).iter().enumerate() {
        let rows: Vec<usize> = (0..t.len()).filter(|&r| condition[r] == *c).collect();
        let steps: Vec<(f64, f64)> = rows.iter().map(|&r| (coverage[r], density[r])).collect();
        let pick = rows.iter().position(|&r| chosen[r] == "true").unwrap_or(0);
        out.push(Chart {
            stem: format!("prim_{k}"),
            title: format!("Where {c}: PRIM coverage and density"),
            caption: format!(
                "Scenario discovery for the runs where {c}{label}: each point is a box of parameter space along PRIM's peeling trajectory (from the whole space, right, to ever smaller boxes, left). Coverage is the share of all such runs inside the box, density the share of the box's runs that are such runs; the ringed point is the chosen box (its bounds are in prim.csv and the report)."
            ),
            spec: Spec::PrimTradeoff {
                steps,
                chosen: pick,
            },
        });
    }
    Ok(out)
}

/// Whether a summary metric lies in [0, 1] by definition (shares, rates, indices).
fn unit_bounded(metric: &str) -> bool {
    [
        "participation_",
        "two_tier_",
        "deadlock",
        "legitimacy_",
        "adoption_",
    ]
    .iter()
    .any(|p| metric.starts_with(p))
        || metric.ends_with("_share")
        || metric.ends_with("_rate")
        || matches!(metric, "fragmentation" | "duplication" | "welfare_gini")
}

/// Points of a sweep drawn one by one; a sweep with more is drawn from bins (a chart
/// cannot show more, and reading them all would grow memory with the points).
pub const MAX_DRAWN_POINTS: usize = 2_000;
/// Bins along a parameter for a binned sweep chart, and per axis for a binned heatmap.
const SWEEP_BINS: usize = 100;
const HEATMAP_BINS: usize = 50;

/// What one streaming pass over points.csv learns: the metrics (in first-seen order),
/// the points, and each parameter's range (`None` if it is not numeric).
struct PointsScan {
    metrics: Vec<String>,
    points: usize,
    ranges: Vec<Option<(f64, f64)>>,
}

fn scan_points(path: &Path, params: &[String]) -> Result<PointsScan, PlotError> {
    let headers = Table::read_header(path)?;
    let column = |name: &str| tables::column_index(path, &headers, name);
    let metric = column("metric")?;
    let cols = params
        .iter()
        .map(|p| column(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut scan = PointsScan {
        metrics: Vec::new(),
        points: 0,
        ranges: vec![Some((f64::INFINITY, f64::NEG_INFINITY)); params.len()],
    };
    tables::for_each_row(path, |rec, _| {
        let m = &rec[metric];
        if scan.metrics.first().is_none_or(|f| f == m) {
            scan.points += 1;
        }
        if !scan.metrics.iter().any(|x| x == m) {
            scan.metrics.push(m.to_string());
        }
        for (range, &c) in scan.ranges.iter_mut().zip(&cols) {
            if let Some((lo, hi)) = range {
                match rec[c].trim().parse::<f64>() {
                    Ok(x) if x.is_finite() => {
                        *lo = lo.min(x);
                        *hi = hi.max(x);
                    }
                    _ => *range = None,
                }
            }
        }
        Ok(())
    })?;
    Ok(scan)
}

/// sweep_<metric>_vs_<param> and heatmap_<metric> from points.csv, streamed: up to
/// [`MAX_DRAWN_POINTS`] points one by one, more from bins.
fn sweep_charts(path: &Path, ctx: &mut Context) -> Result<Vec<Chart>, PlotError> {
    let headers = Table::read_header(path)?;
    let params: Vec<String> = if ctx.manifest.params.is_empty() {
        // Without a manifest: the columns between `point` and `metric`.
        let end = headers.iter().position(|h| h == "metric").unwrap_or(0);
        headers.iter().take(end).skip(1).cloned().collect()
    } else {
        ctx.manifest.params.clone()
    };
    if params.is_empty() {
        return Ok(Vec::new());
    }
    let scan = scan_points(path, &params)?;
    ctx.learn_issues(
        scan.metrics
            .iter()
            .filter_map(|m| m.strip_prefix("progress_")),
    );
    let mut wanted: Vec<(String, Option<usize>)> = ctx
        .issues
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("progress_{}", m.name), Some(i)))
        .collect();
    if !ctx.no_bodies() {
        // Without bodies the deadlock rate is undefined and the minilateral share 1.
        wanted.push(("deadlock_rate".into(), None));
        wanted.push(("minilateral_share".into(), None));
    }
    for m in &ctx.manifest.charts {
        if !wanted.iter().any(|(w, _)| w == m) {
            let issue = ctx
                .issues
                .iter()
                .position(|i| m.ends_with(&format!("_{}", i.name)));
            wanted.push((m.clone(), issue));
        }
    }
    let scattered = matches!(
        ctx.manifest.design.as_deref(),
        Some("lhs" | "random" | "morris" | "sobol")
    );
    if scan.points > MAX_DRAWN_POINTS {
        return binned_sweep_charts(path, &scan, &params, &wanted, scattered, ctx);
    }
    let metric_col = headers.iter().position(|h| h == "metric");
    let t = Table::read_where(path, |rec| {
        metric_col.is_none_or(|c| wanted.iter().any(|(w, _)| w == &rec[c]))
    })?;
    let metric = t.text("metric")?;
    let (mean, lo, hi) = (t.num("mean")?, t.num("ci95_low")?, t.num("ci95_high")?);
    let cols = params
        .iter()
        .map(|p| t.text(p))
        .collect::<Result<Vec<_>, _>>()?;
    let label = ctx.label();
    let mut lines = Vec::new();
    let mut heatmaps = Vec::new();
    for (m, issue) in wanted {
        // A normal-approximation interval can leave a share's natural bounds.
        let (floor, ceiling) = if unit_bounded(&m) {
            (0.0, 1.0)
        } else {
            (f64::NEG_INFINITY, f64::INFINITY)
        };
        let rows: Vec<PointRow> = (0..t.len())
            .filter(|&r| metric[r] == m)
            .map(|r| PointRow {
                params: cols.iter().map(|c| c[r].to_string()).collect(),
                mean: mean[r],
                lo: lo[r].max(floor),
                hi: hi[r].min(ceiling),
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let desc = metric_desc(&m);
        for (j, p) in params.iter().enumerate() {
            let (mode, series, categories) = data::sweep_series(&rows, j, &params, scattered);
            let how = match (mode, params.len()) {
                (SweepMode::Lines, 1) => "the line is the mean at each point, the band its 95% interval".to_string(),
                (SweepMode::Lines, _) => "one line per combination of the other parameters, each with the 95% interval of the mean as a band".to_string(),
                (SweepMode::Points, 1) => "each point is one sweep point, with the 95% interval of the mean".to_string(),
                (SweepMode::Points, _) => "each point is one sweep point (the other parameters vary too), with the 95% interval of the mean".to_string(),
            };
            lines.push(Chart {
                stem: format!("sweep_{}_vs_{}", data::sanitize(&m), data::sanitize(p)),
                title: format!("{} vs {p}", capitalise(&desc)),
                caption: format!(
                    "Mean {desc} across replicates at each value of {p}{label}: {how}."
                ),
                spec: Spec::Sweep {
                    param: p.clone(),
                    y_desc: format!("{desc} (mean, 95% CI)"),
                    mode,
                    series,
                    categories,
                    issue_colour: issue,
                },
            });
        }
        if params.len() == 2
            && !scattered
            && let Some((xs, ys, cells)) = data::heatmap_grid(&rows)
        {
            heatmaps.push(Chart {
                stem: format!("heatmap_{}", data::sanitize(&m)),
                title: format!("{}: {} × {}", capitalise(&desc), params[0], params[1]),
                caption: format!(
                    "Mean {desc} at each point of the grid over {} (x) and {} (y){label}; lighter cells are higher (viridis scale).",
                    params[0], params[1]
                ),
                spec: Spec::Heatmap {
                    x_param: params[0].clone(),
                    y_param: params[1].clone(),
                    z_desc: desc,
                    xs,
                    ys,
                    cells,
                },
            });
        }
    }
    lines.extend(heatmaps);
    Ok(lines)
}

/// The sweep charts of more than [`MAX_DRAWN_POINTS`] points, from one more streaming
/// pass: each chart of a metric against a parameter bins the parameter's range into
/// [`SWEEP_BINS`] bins and draws, per bin, the mean of the points' means with a band
/// of ± 1.96 standard deviations of those means (where about 95% of the points lie);
/// a heatmap bins each axis into [`HEATMAP_BINS`]. Memory: the bins, whatever the
/// number of points. A parameter that is not numeric gets no chart.
fn binned_sweep_charts(
    path: &Path,
    scan: &PointsScan,
    params: &[String],
    wanted: &[(String, Option<usize>)],
    scattered: bool,
    ctx: &Context,
) -> Result<Vec<Chart>, PlotError> {
    let headers = Table::read_header(path)?;
    let column = |name: &str| tables::column_index(path, &headers, name);
    let (metric, mean) = (column("metric")?, column("mean")?);
    let cols = params
        .iter()
        .map(|p| column(p))
        .collect::<Result<Vec<_>, _>>()?;
    let bin = |j: usize, x: f64, bins: usize| -> Option<usize> {
        let (lo, hi) = scan.ranges[j]?;
        let span = hi - lo;
        let b = if span > 0.0 {
            ((x - lo) / span * bins as f64) as usize
        } else {
            0
        };
        Some(b.min(bins - 1))
    };
    let heatmap = params.len() == 2 && !scattered && scan.ranges.iter().all(Option::is_some);
    // Per wanted metric: per parameter, per bin, the moments of x and of the means.
    let mut lines =
        vec![
            vec![vec![(Moments::default(), Moments::default()); SWEEP_BINS]; params.len()];
            wanted.len()
        ];
    let mut grids = vec![
        vec![
            Moments::default();
            if heatmap {
                HEATMAP_BINS * HEATMAP_BINS
            } else {
                0
            }
        ];
        wanted.len()
    ];
    let mut xs = vec![0.0; params.len()];
    tables::for_each_row(path, |rec, line| {
        let Some(w) = wanted.iter().position(|(m, _)| m == &rec[metric]) else {
            return Ok(());
        };
        let y = tables::parse_cell(path, "mean", &rec[mean], line)?;
        for (j, &c) in cols.iter().enumerate() {
            xs[j] = rec[c].trim().parse::<f64>().unwrap_or(f64::NAN);
            if let Some(b) = bin(j, xs[j], SWEEP_BINS) {
                let (mx, my) = &mut lines[w][j][b];
                mx.push(xs[j]);
                my.push(y);
            }
        }
        if heatmap
            && let (Some(i), Some(j)) = (bin(0, xs[0], HEATMAP_BINS), bin(1, xs[1], HEATMAP_BINS))
        {
            grids[w][j * HEATMAP_BINS + i].push(y);
        }
        Ok(())
    })?;
    let label = ctx.label();
    let mut charts = Vec::new();
    let mut heatmaps = Vec::new();
    for (w, (m, issue)) in wanted.iter().enumerate() {
        let (floor, ceiling) = if unit_bounded(m) {
            (0.0, 1.0)
        } else {
            (f64::NEG_INFINITY, f64::INFINITY)
        };
        let desc = metric_desc(m);
        for (j, p) in params.iter().enumerate() {
            let points: Vec<SweepPoint> = lines[w][j]
                .iter()
                .filter(|(_, my)| my.n > 0)
                .map(|(mx, my)| {
                    let half = 1.959_963_984_540_054 * my.sd();
                    let (mean, half) = (my.mean(), if half.is_finite() { half } else { 0.0 });
                    SweepPoint {
                        x: mx.mean(),
                        mean,
                        lo: (mean - half).max(floor),
                        hi: (mean + half).min(ceiling),
                    }
                })
                .collect();
            if points.is_empty() {
                continue;
            }
            charts.push(Chart {
                stem: format!("sweep_{}_vs_{}", data::sanitize(m), data::sanitize(p)),
                title: format!("{} vs {p}", capitalise(&desc)),
                caption: format!(
                    "Mean {desc} across replicates against {p}{label}: the {} points are binned into {SWEEP_BINS} equal bins of {p}; the line is the mean of the points' means in each bin, the band ± 1.96 standard deviations of those means (where about 95% of the points lie{}).",
                    scan.points,
                    if params.len() > 1 { "; the other parameters vary too" } else { "" }
                ),
                spec: Spec::Sweep {
                    param: p.clone(),
                    y_desc: format!("{desc} (mean of points, ± 1.96 sd)"),
                    mode: SweepMode::Lines,
                    series: vec![SweepSeries {
                        label: String::new(),
                        points,
                    }],
                    categories: Vec::new(),
                    issue_colour: *issue,
                },
            });
        }
        if heatmap && grids[w].iter().any(|c| c.n > 0) {
            let centres = |j: usize| -> Vec<f64> {
                let (lo, hi) = scan.ranges[j].expect("numeric");
                let step = (hi - lo) / HEATMAP_BINS as f64;
                (0..HEATMAP_BINS)
                    .map(|i| lo + (i as f64 + 0.5) * step)
                    .collect()
            };
            let cells = grids[w]
                .chunks(HEATMAP_BINS)
                .map(|row| row.iter().map(Moments::mean).collect())
                .collect();
            heatmaps.push(Chart {
                stem: format!("heatmap_{}", data::sanitize(m)),
                title: format!("{}: {} × {}", capitalise(&desc), params[0], params[1]),
                caption: format!(
                    "Mean {desc} over {} (x) and {} (y){label}, the {} points of the grid binned into {HEATMAP_BINS} × {HEATMAP_BINS} cells, each the mean of its points' means; lighter cells are higher (viridis scale).",
                    params[0], params[1], scan.points
                ),
                spec: Spec::Heatmap {
                    x_param: params[0].clone(),
                    y_param: params[1].clone(),
                    z_desc: desc,
                    xs: centres(0),
                    ys: centres(1),
                    cells,
                },
            });
        }
    }
    charts.extend(heatmaps);
    Ok(charts)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod font_size_tests {
    #[test]
    fn font_sizes_are_scaled_to_the_layout() {
        let svg = r#"<text font-family="sans-serif" font-size="19.35483870967742">a</text><text font-size="x">b</text>"#;
        assert_eq!(
            super::match_layout(svg),
            r#"<text font-family="Noto Sans, sans-serif" font-size="17.62">a</text><text font-size="x">b</text>"#
        );
    }
}
