//! EDGE OUT: `report.html`, one self-contained page per output directory: the
//! scenario's name and description, its parameters and seed, the answer of
//! `minilat analyze` if any (sensitivity indices, PRIM boxes), every chart as inline
//! SVG with a caption, a behaviour rule's own results, the summary table with 95%
//! confidence intervals and, for sweeps, the points table. No script, no external
//! asset, no network: it opens offline, on a projector, or printed. Every table
//! scrolls sideways on a narrow screen and wraps to the page's width on paper.
//!
//! Everything comes from the directory's files (`manifest.json`, the rule's files,
//! `summary.csv`, `points.csv`) and the charts handed in; nothing from the engine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::OutputError;
use crate::model::scenario::shapley::HIERARCHY_TREE;
use crate::output::OutputDir;
use crate::output::manifest::{self, Manifest, ParamKind};
use crate::output::results::{ReadError, Record, Table};
use crate::scenario::{BehaviourRule, FileTable};

/// The name of the report file.
pub const REPORT: &str = "report.html";

/// Most point rows shown in the report's points table (the CSV has them all).
const MAX_POINT_ROWS: usize = 300;

/// A chart for the report.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Title.
    pub title: String,
    /// What it shows and how to read it.
    pub caption: String,
    /// An SVG document.
    pub svg: String,
}

/// Problems building a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The directory holds no complete minilat results.
    #[error(
        "{0} holds no complete minilat results (no manifest.json); run `minilat run` or `minilat sweep` first"
    )]
    NotResults(PathBuf),
    /// A file could not be read or parsed.
    #[error("{path}: {message}")]
    Bad {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A result file or the manifest cannot be read as expected.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Writing failed.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Standard base64 (RFC 4648, with padding), for embedding the font.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The rows of the first [`MAX_POINT_ROWS`] points of `points.csv` (streamed: the rest
/// is not read), and whether there are more.
fn read_points_head(path: &Path) -> Result<Option<(Table, bool)>, ReadError> {
    if !path.exists() {
        return Ok(None);
    }
    let point = crate::output::results::read_header(path)?
        .iter()
        .position(|h| h == "point");
    let mut points = 0;
    let read = Table::read_while(path, |kept, row| {
        let new_point = point.is_none_or(|c| kept.last().is_none_or(|r| &r[c] != row.text(c)));
        if new_point {
            if points == MAX_POINT_ROWS {
                return false;
            }
            points += 1;
        }
        true
    })?;
    Ok(Some(read))
}

/// A number for people: 3 significant digits, or "–" when undefined.
fn num(cell: &str) -> String {
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => {
            if x == 0.0 {
                "0".into()
            } else if x.abs() >= 1000.0 || x == x.trunc() {
                format!("{x:.0}")
            } else {
                let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
                format!("{x:.digits$}")
            }
        }
        _ => "–".into(),
    }
}

/// A parameter's value for people: integers and text as written, other numbers to 4
/// significant digits without trailing zeros (`0.45000000000000007` → `0.45`). The
/// CSV files keep every digit.
fn param(cell: &str) -> String {
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() && x != x.trunc() => {
            let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
            let s = format!("{x:.digits$}");
            esc(s.trim_end_matches('0').trim_end_matches('.'))
        }
        _ => esc(cell),
    }
}

/// A column name for a heading: escaped, with a line-break opportunity after each `.`
/// and `_` so that long names (`coalitions.max_size`) wrap at their joints.
fn name(s: &str) -> String {
    esc(s).replace('.', ".<wbr>").replace('_', "_<wbr>")
}

/// Makes an SVG scale with the page: drops an XML prolog and gives it a `viewBox`
/// from its `width`/`height` if it has none.
fn inline_svg(svg: &str) -> String {
    let svg = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    };
    let Some(end) = svg.find('>') else {
        return svg.to_owned();
    };
    let tag = &svg[..end];
    if tag.contains("viewBox") {
        return svg.to_owned();
    }
    let attr = |name: &str| {
        let key = format!("{name}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')? + i;
        tag[i..j].trim_end_matches("px").parse::<f64>().ok()
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(h)) => format!("<svg viewBox=\"0 0 {w} {h}\"{}", &svg[4..]),
        _ => svg.to_owned(),
    }
}

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #d9d9d9; --band: #f4f4f4; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1100px; padding: 2rem 1.5rem 4rem; line-height: 1.45; }
h1 { font-size: 2rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .8rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
.lead { font-size: 1.1rem; color: var(--muted); margin: 0 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.2rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
figure { margin: 1.5rem 0 2rem; page-break-inside: avoid; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid var(--line); }
figcaption { color: var(--muted); margin-top: .4rem; font-size: .95rem; }
figcaption strong { color: var(--ink); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem; }
/* Every table sits in a .wide box that scrolls sideways on a narrow screen. */
.wide { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; }
.wide > table { margin: 0; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: var(--band); position: sticky; top: 0; }
tbody tr:nth-child(even) { background: #fafafa; }
code { font-size: .9em; }
.note { color: var(--muted); font-size: .9rem; }
nav ol { margin: 0; padding-left: 1.6rem; }
td .note { white-space: nowrap; }
td { white-space: nowrap; }
th.list, td.list { white-space: normal; min-width: 11rem; text-align: left; }
pre.tree { font-size: .85rem; line-height: 1.3; background: var(--band); padding: .8rem 1rem; overflow-x: auto; }
/* On paper nothing scrolls: pages are landscape, tables take the page's width in a
   smaller type, and cells wrap (names and lists of states anywhere, if one is longer
   than its column), so that no column is cut off however many a table has. */
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .wide { overflow: visible; }
  table { font-size: 7.5pt; width: 100%; }
  th, td, td .note { white-space: normal; overflow-wrap: break-word; padding: .15rem .3rem; }
  th code, td code, td.list { overflow-wrap: anywhere; }
  td .note { font-size: .9em; }
  th.list, td.list { min-width: 0; }
  th { position: static; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  pre.tree { white-space: pre-wrap; overflow-wrap: anywhere; }
  nav { display: none; }
}
"#;

/// Builds the report's HTML for the results in `dir` with `figures`.
pub fn render(dir: &Path, figures: &[Figure]) -> Result<String, ReportError> {
    let manifest_path = dir.join(crate::output::MANIFEST);
    if !manifest_path.exists() {
        return Err(ReportError::NotResults(dir.to_path_buf()));
    }
    let m = manifest::read(&manifest_path)?;
    let mut h = String::new();
    let w = &mut h;
    let _ = write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · minilat report</title>\n\
         <style>@font-face {{ font-family: \"Noto Sans\"; src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n\
         {STYLE}</style>\n</head>\n<body>\n",
        esc(&m.scenario_name),
        base64(crate::plot::font_ttf())
    );
    header(w, &m);
    preferences(w, &m);

    // The answer of `minilat analyze` first: the indices and the boxes are what the
    // analysis was for, the charts below illustrate them.
    if let Some(t) = Table::read_if_present(&dir.join("sensitivity.csv"))? {
        sensitivity_table(w, &t);
    }
    if let Some(t) = Table::read_if_present(&dir.join("prim.csv"))? {
        prim_table(w, &t, m.sweep.as_ref().map_or(&[][..], |s| &s.params));
    }
    if let (Some(c), Some(f)) = (
        Table::read_if_present(&dir.join("calibration.csv"))?,
        Table::read_if_present(&dir.join("fit.csv"))?,
    ) {
        calibration_section(w, &c, &f);
    }
    bests_section(w, dir, &m)?;
    if !figures.is_empty() {
        let _ = writeln!(w, "<nav><h2>Charts</h2><ol>");
        for (i, f) in figures.iter().enumerate() {
            let _ = writeln!(
                w,
                "<li><a href=\"#fig{}\">{}</a></li>",
                i + 1,
                esc(&f.title)
            );
        }
        let _ = writeln!(w, "</ol></nav>\n<main>");
        for (i, f) in figures.iter().enumerate() {
            let _ = writeln!(
                w,
                "<figure id=\"fig{}\">\n{}\n<figcaption><strong>Figure {}. {}.</strong> {}</figcaption>\n</figure>",
                i + 1,
                inline_svg(&f.svg),
                i + 1,
                esc(f.title.trim_end_matches('.')),
                esc(&f.caption)
            );
        }
        let _ = writeln!(w, "</main>");
    }

    // A rule's own results first: they are what its run was for.
    rule_sections(w, dir)?;
    if let Some(t) = Table::read_if_present(&dir.join(crate::output::SUMMARY))? {
        summary_table(w, &t);
    }
    if let Some(t) = Table::read_if_present(&dir.join(LIFETIMES.file))? {
        file_table(w, &LIFETIMES, &t);
    }
    groupings(w, dir, &m)?;
    if let Some((t, more)) = read_points_head(&dir.join(crate::output::POINTS))? {
        let sweep = m.sweep.clone().unwrap_or_default();
        points_table(w, &t, more, &sweep.params, &sweep.param_kinds());
    }
    let _ = writeln!(
        w,
        "<footer><p class=\"note\">Confidence intervals are 95% intervals of the mean \
         (normal approximation, mean ± 1.96 sd/√n). Every number here is in the CSV files \
         beside this report; <code>manifest.json</code> says how to reproduce them.</p></footer>\n</body>\n</html>"
    );
    Ok(h)
}

/// A sweep's best value of each headline metric with the values tied with it
/// (`output::best`; issue 20 item 3): a list, before the charts.
fn bests_section(w: &mut String, dir: &Path, m: &Manifest) -> Result<(), ReportError> {
    let points = dir.join(crate::output::POINTS);
    let Some(sweep) = m.sweep.as_ref().filter(|_| points.exists()) else {
        return Ok(());
    };
    if let Some(optima) = crate::output::optimum::optima(&points, sweep)? {
        let _ = writeln!(
            w,
            "<h2>Optima</h2>\n<p class=\"note\">At each point of the design, the value of <code>{}</code> \
             with the best mean of each metric and the values statistically tied with it (the plateau: \
             those whose 95% interval reaches the best one's), summarised over the design points. A best \
             at the largest or smallest value tested is no optimum: the metric may do better beyond it. \
             <code>optimum.csv</code> (from <code>minilat analyze</code>) lists every design point.</p>\n<ul id=\"optima\">",
            esc(&optima.optimum.param)
        );
        for (metric, text) in optima.summary() {
            let _ = writeln!(w, "<li><code>{}</code>: {}</li>", esc(&metric), esc(&text));
        }
        let _ = writeln!(w, "</ul>");
        return Ok(());
    }
    let issues: Vec<String> = m.issues().into_iter().map(|i| i.name).collect();
    let bests = crate::output::best::sweep_bests(&points, sweep, &issues)?;
    if bests.is_empty() {
        return Ok(());
    }
    let _ = writeln!(
        w,
        "<h2>Best values</h2>\n<p class=\"note\">For each headline metric, the point with the best mean \
         and the values statistically tied with it (the plateau: those whose 95% interval reaches \
         the best one's). A best at an edge of the swept range is no optimum: the metric may do \
         better beyond it.</p>\n<ul id=\"bests\">"
    );
    for b in bests {
        let _ = writeln!(
            w,
            "<li><code>{}</code>: {}</li>",
            esc(&b.metric),
            esc(&b.text)
        );
    }
    let _ = writeln!(w, "</ul>");
    Ok(())
}

/// The page's header: the scenario's name and description, and what produced it.
fn header(w: &mut String, m: &Manifest) {
    let kind = match m.command.as_str() {
        "run" => "Monte Carlo batch",
        _ => "Parameter sweep",
    };
    let _ = writeln!(w, "<header>\n<h1>{}</h1>", esc(&m.scenario_name));
    let _ = writeln!(w, "<p class=\"lead\">{}</p>", esc(&m.description()));
    let _ = writeln!(w, "<dl class=\"facts\">");
    let mut fact = |k: &str, v: String| {
        let _ = writeln!(w, "<dt>{}</dt><dd>{}</dd>", esc(k), v);
    };
    fact("What", kind.into());
    fact(
        "Scenario file",
        format!(
            "<code>{}</code> (sha256 <code>{}</code>)",
            esc(&m.scenario_file),
            esc(&m.scenario_sha256.chars().take(12).collect::<String>())
        ),
    );
    fact("Seed", m.seed.to_string());
    fact("Ticks per run", m.ticks.to_string());
    if let Some(s) = &m.sweep {
        let design = s.design_name().unwrap_or_else(|| "?".into());
        fact(
            "Design",
            format!(
                "{} over {}: {} points × {} replicates = {} runs",
                esc(&design),
                s.params
                    .iter()
                    .map(|p| format!("<code>{}</code>", esc(p)))
                    .collect::<Vec<_>>()
                    .join(", "),
                s.points,
                s.replicates,
                s.runs_total
            ),
        );
    } else {
        fact("Runs", m.runs.to_string());
    }
    if !m.overrides.is_empty() {
        fact(
            "Overrides",
            m.overrides
                .iter()
                .map(|o| format!("<code>--set {}</code>", esc(o)))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    fact(
        "Produced by",
        format!(
            "minilat {} on {} ({} thread{}, {:.1} s)",
            esc(&m.minilat_version),
            esc(&m.started_utc),
            m.threads,
            if m.threads == 1 { "" } else { "s" },
            m.wall_seconds
        ),
    );
    let _ = writeln!(w, "</dl>\n</header>");
}

/// Where each issue's positions and saliences come from (data column or
/// illustrative), from the manifest; nothing for a manifest older than issue 17.
fn preferences(w: &mut String, m: &Manifest) {
    if m.preferences.is_empty() {
        return;
    }
    let _ = writeln!(
        w,
        "<h2>Preferences</h2>\n<p class=\"note\">Where each \
         issue's positions and saliences come from: a column of a data file (with its \
         mapping onto [0, 1]) or illustrative values written in the scenario.</p>\n\
         <div class=\"wide\"><table id=\"preferences\">\n<thead><tr><th>Issue</th><th>Positions</th>\
         <th>Saliences</th></tr></thead>\n<tbody>"
    );
    for p in &m.preferences {
        if p.issue == "(affinity)" {
            let _ = writeln!(
                w,
                "<tr><td>pairwise affinity</td><td colspan=\"2\">{}</td></tr>",
                esc(&p.positions)
            );
        } else {
            let _ = writeln!(
                w,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.issue),
                esc(&p.positions),
                esc(&p.saliences)
            );
        }
    }
    let _ = writeln!(w, "</tbody></table></div>");
}

/// Coalition survival by type (`output::lifetimes`), shown after the summary.
const LIFETIMES: FileTable = FileTable {
    file: crate::output::lifetimes::LIFETIMES,
    heading: "How long coalitions last, by type",
    note: "Pooled over the runs: dissolutions per tick at risk (coalitions still active at \
           the end count their ticks but no dissolution, so the rate is free of the \
           censoring that shortens <code>lifetime_*</code>), its 95% interval, and the \
           expected lifetime under a constant hazard (1 / rate) beside the censored mean.",
    hide: &[],
};

/// What the coalitions of one type did, pooled over the runs of `coalitions.csv`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct TypeTotals {
    coalitions: u64,
    size: u64,
    attempted: u64,
    adopted: u64,
    progress: f64,
}

/// Pooled totals per Haass type and per tech type (first-seen order), and all
/// coalitions' progress; `None` if `coalitions.csv` is absent or older than issue 19.
type Groupings = (Vec<(String, TypeTotals)>, Vec<(String, TypeTotals)>, f64);

fn read_groupings(path: &Path) -> Result<Option<Groupings>, ReportError> {
    if !path.exists() {
        return Ok(None);
    }
    let mut r = crate::output::results::CsvReader::open(path)?;
    if !r.has("haass_type") {
        return Ok(None);
    }
    let c = r.columns(&[
        "haass_type",
        "tech_type",
        "peak_size",
        "attempted",
        "adopted",
        "progress",
    ])?;
    let (mut haass, mut tech, mut total) = (Vec::new(), Vec::new(), 0.0);
    while let Some(row) = r.next_row()? {
        let add = |groups: &mut Vec<(String, TypeTotals)>, name: &str| -> Result<(), ReportError> {
            let k = match groups.iter().position(|(n, _)| n == name) {
                Some(k) => k,
                None => {
                    groups.push((name.to_string(), TypeTotals::default()));
                    groups.len() - 1
                }
            };
            let t = &mut groups[k].1;
            t.coalitions += 1;
            t.size += row.parse::<u64>(c[2], "a size")?;
            t.attempted += row.parse::<u64>(c[3], "a count")?;
            t.adopted += row.parse::<u64>(c[4], "a count")?;
            t.progress += row.num(c[5])?;
            Ok(())
        };
        add(&mut haass, row.text(c[0]))?;
        add(&mut tech, row.text(c[1]))?;
        total += row.num(c[5])?;
    }
    Ok(Some((haass, tech, total)))
}

/// Types of grouping (docs/model.md): each body's Haass and tech type (from the
/// manifest), then per type of coalition present the coalitions founded per run,
/// their mean peak size, adoption rate and share of coalition progress, pooled over
/// the runs of `coalitions.csv`.
fn groupings(w: &mut String, dir: &Path, m: &Manifest) -> Result<(), ReportError> {
    let coalitions = read_groupings(&dir.join(crate::output::COALITIONS))?;
    if m.body_types.is_empty() && coalitions.is_none() {
        return Ok(());
    }
    let _ = writeln!(
        w,
        "<h2 id=\"groupings\">Types of grouping</h2>\n<p class=\"note\">Haass's types \
         (elite, regional, functional; <code>universal</code>: a body of at least half the \
         states) and StateUp's tech types, from each venue's members and issues \
         (docs/model.md, \"Types of grouping\"). Informal multilateralism is not a venue: \
         its share of progress is <code>delivered_informal</code> in the summary.</p>"
    );
    if !m.body_types.is_empty() {
        let _ = writeln!(
            w,
            "<div class=\"wide\"><table id=\"body-types\">\n<thead><tr><th>Body</th>\
             <th>Haass type</th><th>tech type</th></tr></thead>\n<tbody>"
        );
        for b in &m.body_types {
            let _ = writeln!(
                w,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&b.body),
                esc(&b.haass_type),
                esc(&b.tech_type)
            );
        }
        let _ = writeln!(w, "</tbody></table></div>");
    }
    let Some((haass, tech, total)) = coalitions else {
        return Ok(());
    };
    let runs = match (&m.sweep, m.only_run) {
        (Some(s), _) => s.runs_total as f64,
        (None, Some(_)) => 1.0,
        (None, None) => f64::from(m.runs),
    };
    let _ = writeln!(
        w,
        "<div class=\"wide\"><table id=\"coalition-types\">\n<thead><tr><th>typology</th>\
         <th>type</th><th>founded per run</th><th>mean peak size</th><th>adoption rate</th>\
         <th>share of coalition progress</th></tr></thead>\n<tbody>"
    );
    for (typology, groups) in [("Haass", &haass), ("tech", &tech)] {
        for (name, t) in groups {
            let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
            let _ = writeln!(
                w,
                "<tr><td>{typology}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(name),
                num(&(t.coalitions as f64 / runs.max(1.0)).to_string()),
                num(&ratio(t.size as f64, t.coalitions as f64).to_string()),
                num(&crate::output::csv::number(ratio(
                    t.adopted as f64,
                    t.attempted as f64
                ))),
                num(&crate::output::csv::number(ratio(t.progress, total))),
            );
        }
    }
    let _ = writeln!(
        w,
        "</tbody></table></div>\n<p class=\"note\">Pooled over the runs: adoption rate = \
         measures adopted / decisions attempted; progress share = the type's progress / all \
         coalitions' progress. Per-run shares with 95% intervals are \
         <code>founded_*</code> and <code>progress_*</code> in the summary.</p>"
    );
    Ok(())
}

/// Most rows of a file's table shown in the report (the CSV has them all).
const MAX_RULE_ROWS: usize = 60;

/// Most lines of the alliance hierarchy shown in the report.
const MAX_HIERARCHY_LINES: usize = 120;

/// The behaviour rule's own results, if the directory has them: its CSV tables and
/// the `shapley` rule's hierarchy of run 0 as indented text.
fn rule_sections(w: &mut String, dir: &Path) -> Result<(), ReportError> {
    // The rules' CSV files (docs/rules/*.md "Outputs"), shown before the summary when
    // the directory has them (`minilat run` writes them; sweeps do not).
    for rule in BehaviourRule::ALL {
        for rt in rule.facts().tables {
            if let Some(t) = Table::read_if_present(&dir.join(rt.file))? {
                file_table(w, rt, &t);
            }
        }
    }
    let path = dir.join(HIERARCHY_TREE);
    if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(|e| ReportError::Bad {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let lines: Vec<&str> = text.lines().collect();
        let _ = writeln!(
            w,
            "<h2 id=\"hierarchy\">Alliances of alliances (bilateral Shapley merging)</h2>\n\
             <p class=\"note\">How the alliances of one run merged, newest at the top; every \
             run's nodes are in <code>hierarchy.csv</code>.</p>\n<pre class=\"tree\">"
        );
        for line in lines.iter().take(MAX_HIERARCHY_LINES) {
            let _ = writeln!(w, "{}", esc(line));
        }
        let _ = writeln!(w, "</pre>");
        if lines.len() > MAX_HIERARCHY_LINES {
            let _ = writeln!(
                w,
                "<p class=\"note\">The first {MAX_HIERARCHY_LINES} of {} lines; see hierarchy.txt.</p>",
                lines.len()
            );
        }
    }
    Ok(())
}

/// A CSV file as a table: numbers to 3 significant digits, lists of states
/// (`;`-separated) wrapped.
fn file_table(w: &mut String, rt: &FileTable, t: &Table) {
    let cols: Vec<usize> = (0..t.headers.len())
        .filter(|&c| !rt.hide.contains(&t.headers[c].as_str()))
        .collect();
    let _ = writeln!(
        w,
        "<h2 id=\"{}\">{}</h2>\n<p class=\"note\">{} All columns are in <code>{}</code>.</p>\n\
         <div class=\"wide\"><table class=\"rule\">\n<thead><tr>",
        rt.file.trim_end_matches(".csv"),
        esc(rt.heading),
        rt.note,
        esc(rt.file)
    );
    for &c in &cols {
        // Lists of states are left-aligned and wrap, their heading with them.
        let list = t.rows().any(|r| r.get(c).is_some_and(|x| x.contains(';')));
        let class = if list { " class=\"list\"" } else { "" };
        let _ = write!(w, "<th{class}><code>{}</code></th>", name(&t.headers[c]));
    }
    let _ = writeln!(w, "</tr></thead>\n<tbody>");
    for row in t.rows().take(MAX_RULE_ROWS) {
        w.push_str("<tr>");
        for &c in &cols {
            let cell = row.get(c).unwrap_or("");
            if cell.is_empty() || cell.parse::<f64>().is_ok() {
                let _ = write!(w, "<td>{}</td>", num(cell));
            } else if cell.contains(';') {
                let _ = write!(
                    w,
                    "<td class=\"list\">{}</td>",
                    esc(&cell.replace(';', ", "))
                );
            } else {
                let _ = write!(w, "<td>{}</td>", esc(cell));
            }
        }
        let _ = writeln!(w, "</tr>");
    }
    let _ = writeln!(w, "</tbody>\n</table></div>");
    if t.len() > MAX_RULE_ROWS {
        let _ = writeln!(
            w,
            "<p class=\"note\">The first {MAX_RULE_ROWS} of {} rows; see {}.</p>",
            t.len(),
            esc(rt.file)
        );
    }
}

fn col(t: &Table, name: &str) -> Option<usize> {
    t.column(name).ok()
}

/// The summary table: one row per metric.
fn summary_table(w: &mut String, t: &Table) {
    let (Some(metric), Some(mean), Some(lo), Some(hi), Some(sd), Some(median), Some(n)) = (
        col(t, "metric"),
        col(t, "mean"),
        col(t, "ci95_low"),
        col(t, "ci95_high"),
        col(t, "sd"),
        col(t, "median"),
        col(t, "n"),
    ) else {
        return;
    };
    let _ = writeln!(
        w,
        "<h2>Summary over runs</h2>\n<div class=\"wide\"><table id=\"summary\">\n<thead><tr><th>metric</th><th>mean</th>\
         <th>95% CI</th><th>sd</th><th>median</th><th>runs with a value</th></tr></thead>\n<tbody>"
    );
    for r in t.rows() {
        let ci = if r[lo].is_empty() && r[hi].is_empty() {
            "–".to_string()
        } else {
            format!("{} – {}", num(&r[lo]), num(&r[hi]))
        };
        let _ = writeln!(
            w,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r[metric]),
            num(&r[mean]),
            ci,
            num(&r[sd]),
            num(&r[median]),
            esc(&r[n])
        );
    }
    let _ = writeln!(w, "</tbody>\n</table></div>");
}

/// `sensitivity.csv` (`minilat analyze`): one row per metric and parameter, one
/// column per index with its 95% interval.
fn sensitivity_table(w: &mut String, t: &Table) {
    let (Some(param), Some(metric), Some(index), Some(value), Some(lo), Some(hi)) = (
        col(t, "parameter"),
        col(t, "metric"),
        col(t, "index"),
        col(t, "value"),
        col(t, "ci_low"),
        col(t, "ci_high"),
    ) else {
        return;
    };
    let mut indices: Vec<&str> = Vec::new();
    for r in t.rows() {
        if !indices.contains(&&r[index]) {
            indices.push(&r[index]);
        }
    }
    let _ = writeln!(
        w,
        "<h2>Sensitivity indices</h2>\n<p class=\"note\">From <code>minilat analyze</code> \
         (<code>sensitivity.csv</code>): Sobol first-order (S1) and total (ST) indices, or \
         Morris μ (mu), μ* (mu_star) and σ (sigma) on each parameter's whole range, with \
         95% bootstrap intervals.</p>\n<div class=\"wide\"><table id=\"sensitivity\">\n<thead><tr><th>metric</th><th>parameter</th>"
    );
    for i in &indices {
        let _ = write!(w, "<th>{}</th>", name(i));
    }
    let _ = writeln!(
        w,
        "</tr></thead>
<tbody>"
    );
    let mut i = 0;
    while i < t.len() {
        let key = (&t.row(i)[metric], &t.row(i)[param]);
        let start = i;
        while i < t.len() && (&t.row(i)[metric], &t.row(i)[param]) == key {
            i += 1;
        }
        let rows: Vec<&Record> = (start..i).map(|k| t.row(k)).collect();
        let _ = write!(
            w,
            "<tr><td><code>{}</code></td><td><code>{}</code></td>",
            name(key.0),
            name(key.1)
        );
        for ix in &indices {
            match rows.iter().find(|r| &r[index] == *ix) {
                Some(r) => {
                    let _ = write!(
                        w,
                        "<td>{} <span class=\"note\">({} – {})</span></td>",
                        num(&r[value]),
                        num(&r[lo]),
                        num(&r[hi])
                    );
                }
                None => w.push_str("<td>–</td>"),
            }
        }
        let _ = writeln!(w, "</tr>");
    }
    let _ = writeln!(w, "</tbody>\n</table></div>");
}

/// `calibration.csv` and `fit.csv` (`minilat calibrate`): each parameter's posterior
/// against its prior, whether the targets identify it, and each target against the
/// posterior predictive.
fn calibration_section(w: &mut String, c: &Table, f: &Table) {
    let cell =
        |t: &Table, r: usize, key: &str| col(t, key).map_or("", |i| &t.row(r)[i]).to_string();
    let (method, draws, kept) = if c.is_empty() {
        (String::new(), String::new(), String::new())
    } else {
        (
            cell(c, 0, "method"),
            cell(c, 0, "draws"),
            cell(c, 0, "kept"),
        )
    };
    let _ = writeln!(
        w,
        "<h2>Calibration</h2>\n<p class=\"note\">From <code>minilat calibrate</code>: approximate \
         Bayesian computation ({}), keeping {} of {} draws from the uniform priors nearest the \
         targets (<code>calibration.csv</code>, <code>posterior.csv</code>, <code>fit.csv</code>). \
         A parameter is identified when its posterior 95% interval is under half the prior's, \
         weakly under 80%, else the targets do not identify it. Fitted values are fitted, not \
         found: a result that rests on them is not out-of-sample.</p>\n<div class=\"wide\"><table id=\"calibration\">\n\
         <thead><tr><th>parameter</th><th>prior</th><th>median</th><th>95% interval</th><th>width / prior's</th><th>identification</th></tr></thead>\n<tbody>",
        esc(&method),
        esc(&kept),
        esc(&draws)
    );
    for r in 0..c.len() {
        let ratio = cell(c, r, "width_ratio").parse::<f64>().unwrap_or(f64::NAN);
        let _ = writeln!(
            w,
            "<tr><td><code>{}</code></td><td>{} – {}</td><td>{}</td><td>{} – {}</td><td>{:.0}%</td><td>{}</td></tr>",
            name(&cell(c, r, "parameter")),
            num(&cell(c, r, "prior_min")),
            num(&cell(c, r, "prior_max")),
            num(&cell(c, r, "median")),
            num(&cell(c, r, "q025")),
            num(&cell(c, r, "q975")),
            100.0 * ratio,
            esc(&cell(c, r, "identification"))
        );
    }
    let _ = writeln!(
        w,
        "</tbody>\n</table></div>\n<div class=\"wide\"><table id=\"fit\">\n<thead><tr><th>target</th><th>observed (sd)</th><th>posterior predictive (95%)</th><th>consistent</th><th>source</th></tr></thead>\n<tbody>"
    );
    for r in 0..f.len() {
        let _ = writeln!(
            w,
            "<tr><td><code>{}</code></td><td>{} ({})</td><td>{} ({} – {})</td><td>{}</td><td>{}</td></tr>",
            name(&cell(f, r, "metric")),
            num(&cell(f, r, "observed")),
            num(&cell(f, r, "sd")),
            num(&cell(f, r, "predictive_mean")),
            num(&cell(f, r, "predictive_low")),
            num(&cell(f, r, "predictive_high")),
            esc(&cell(f, r, "consistent")),
            esc(&cell(f, r, "source"))
        );
    }
    let _ = writeln!(w, "</tbody>\n</table></div>");
}

/// `prim.csv` (`minilat analyze --condition`): the chosen box of each condition, the
/// parameters it restricts.
fn prim_table(w: &mut String, t: &Table, params: &[String]) {
    let (Some(condition), Some(chosen), Some(step), Some(runs), Some(coverage), Some(density)) = (
        col(t, "condition"),
        col(t, "chosen"),
        col(t, "step"),
        col(t, "runs_in_box"),
        col(t, "coverage"),
        col(t, "density"),
    ) else {
        return;
    };
    let _ = writeln!(
        w,
        "<h2>Scenario discovery (PRIM)</h2>\n<p class=\"note\">For each condition, the chosen \
         box of parameter space (<code>prim.csv</code> has the whole peeling trajectory): \
         coverage is the share of the runs meeting the condition that lie in the box, \
         density the share of the box's runs that meet it. Only the parameters the box \
         restricts are listed.</p>\n<div class=\"wide\"><table id=\"prim\">\n<thead><tr><th>condition</th>\
         <th>box</th><th>coverage</th><th>density</th><th>runs in box</th></tr></thead>\n<tbody>"
    );
    for r in t.rows().filter(|r| &r[chosen] == "true") {
        let first = t
            .rows()
            .find(|f| f[condition] == r[condition] && &f[step] == "0");
        let mut limits = Vec::new();
        for p in params {
            let (Some(lo), Some(hi)) = (col(t, &format!("{p}_min")), col(t, &format!("{p}_max")))
            else {
                continue;
            };
            let narrowed = first.is_none_or(|f| f[lo] != r[lo] || f[hi] != r[hi]);
            if narrowed {
                limits.push(format!(
                    "<code>{}</code> in [{}, {}]",
                    name(p),
                    param(&r[lo]),
                    param(&r[hi])
                ));
            }
        }
        let boxed = if limits.is_empty() {
            "the whole space".to_string()
        } else {
            limits.join("<br>")
        };
        let _ = writeln!(
            w,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r[condition]),
            boxed,
            num(&r[coverage]),
            num(&r[density]),
            esc(&r[runs])
        );
    }
    let _ = writeln!(w, "</tbody>\n</table></div>");
}

/// The points table: one row per point, its parameters (numbers shortened when the
/// design says they are numbers) and a few key metrics.
fn points_table(
    w: &mut String,
    t: &Table,
    more: bool,
    params: &[String],
    kinds: &[Option<ParamKind>],
) {
    let (Some(point), Some(metric), Some(mean), Some(lo), Some(hi)) = (
        col(t, "point"),
        col(t, "metric"),
        col(t, "mean"),
        col(t, "ci95_low"),
        col(t, "ci95_high"),
    ) else {
        return;
    };
    let param_cols: Vec<(usize, Option<ParamKind>)> = params
        .iter()
        .zip(kinds.iter().copied().chain(std::iter::repeat(None)))
        .filter_map(|(p, k)| Some((col(t, p)?, k)))
        .collect();
    let mut metrics: Vec<&str> = Vec::new();
    for r in t.rows() {
        let m = &r[metric];
        let key = m.starts_with("progress_")
            || matches!(
                m,
                "deadlock_rate" | "minilateral_share" | "legitimacy_states"
            );
        if key && !metrics.contains(&m) {
            metrics.push(m);
        }
    }
    let _ = writeln!(
        w,
        "<h2>Points of the sweep</h2>\n<p class=\"note\">Mean and 95% CI per point; \
         every metric is in <code>points.csv</code>.</p>\n<div class=\"wide\"><table id=\"points\">\n<thead><tr><th>point</th>"
    );
    for p in params {
        let _ = write!(w, "<th><code>{}</code></th>", name(p));
    }
    for m in &metrics {
        let _ = write!(w, "<th><code>{}</code></th>", name(m));
    }
    let _ = writeln!(w, "</tr></thead>\n<tbody>");
    let mut shown = 0;
    let mut i = 0;
    while i < t.len() && shown < MAX_POINT_ROWS {
        let p = &t.row(i)[point];
        let start = i;
        while i < t.len() && &t.row(i)[point] == p {
            i += 1;
        }
        let rows: Vec<&Record> = (start..i).map(|k| t.row(k)).collect();
        let _ = write!(w, "<tr><td>{}</td>", esc(p));
        for &(c, kind) in &param_cols {
            let cell = &rows[0][c];
            let shown = match kind {
                Some(ParamKind::Bool | ParamKind::Text) => esc(cell),
                Some(ParamKind::Number) | None => param(cell),
            };
            let _ = write!(w, "<td>{shown}</td>");
        }
        for m in &metrics {
            match rows.iter().find(|r| &r[metric] == *m) {
                Some(r) => {
                    let _ = write!(
                        w,
                        "<td>{} <span class=\"note\">({} – {})</span></td>",
                        num(&r[mean]),
                        num(&r[lo]),
                        num(&r[hi])
                    );
                }
                None => w.push_str("<td>–</td>"),
            }
        }
        let _ = writeln!(w, "</tr>");
        shown += 1;
    }
    let _ = writeln!(w, "</tbody>\n</table></div>");
    if more || i < t.len() {
        let _ = writeln!(
            w,
            "<p class=\"note\">The first {MAX_POINT_ROWS} points are shown; see points.csv for the rest.</p>"
        );
    }
}

/// Writes `dir/report.html` (through a partial file); returns its path.
pub fn write(dir: &Path, figures: &[Figure]) -> Result<PathBuf, ReportError> {
    let html = render(dir, figures)?;
    OutputDir::existing(dir).write_all(REPORT, html.as_bytes())?;
    Ok(dir.join(REPORT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn numbers_get_three_significant_digits() {
        assert_eq!(num("0.123456"), "0.123");
        assert_eq!(num("12.3456"), "12.3");
        assert_eq!(num("1234.6"), "1235");
        assert_eq!(num("5"), "5");
        assert_eq!(num(""), "–");
        assert_eq!(num("0.0001234"), "0.000123");
    }

    #[test]
    fn parameters_get_four_significant_digits_and_keep_integers_and_text() {
        assert_eq!(param("0.45000000000000007"), "0.45");
        assert_eq!(param("0.123456789"), "0.1235");
        assert_eq!(param("12.3456"), "12.35");
        assert_eq!(param("1234.56"), "1235");
        assert_eq!(param("0.00012345678"), "0.0001235");
        assert_eq!(param("8"), "8");
        assert_eq!(param("-0.5"), "-0.5");
        assert_eq!(param("true"), "true");
        assert_eq!(param("a<b"), "a&lt;b");
    }

    #[test]
    fn long_names_may_break_at_dots_and_underscores() {
        assert_eq!(name("coalitions.max_size"), "coalitions.<wbr>max_<wbr>size");
    }

    #[test]
    fn svgs_get_a_view_box_and_lose_their_prolog() {
        let svg =
            "<?xml version=\"1.0\"?>\n<svg width=\"800\" height=\"600\" xmlns=\"x\"><g/></svg>";
        assert_eq!(
            inline_svg(svg),
            "<svg viewBox=\"0 0 800 600\" width=\"800\" height=\"600\" xmlns=\"x\"><g/></svg>"
        );
        let already = "<svg viewBox=\"0 0 1 1\"></svg>";
        assert_eq!(inline_svg(already), already);
    }

    #[test]
    fn a_directory_without_results_is_refused() {
        let tmp = tempfile::tempdir().expect("a temp dir");
        let e = render(tmp.path(), &[]).expect_err("no manifest");
        assert!(e.to_string().contains("holds no complete minilat results"));
    }
}
