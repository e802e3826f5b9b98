//! `coalitions.csv` and `states.csv` for the coalition families: one streaming pass
//! over the coalitions (the file can be large) gathers each issue's progress by peak
//! size (`size_effect`, `size_histogram`) and the bars of the run shown
//! (`timeline`).

use std::collections::BTreeMap;
use std::path::Path;

use super::timeline::TimelineBar;
use super::{size_effect, size_histogram, timeline};
use crate::output::manifest::{Manifest, StateFacts};
use crate::output::results::{CsvReader, Row, Table, read_header};
use crate::plot::numbers::Moments;
use crate::plot::{Chart, Context, PlotError};

/// The states, from `states.csv` (`state,iso3,...,labels,<one column per
/// capability>`) or, without it, as the manifest lists them.
pub fn states(path: Option<&Path>, manifest: &Manifest) -> Result<Vec<StateFacts>, PlotError> {
    let Some(path) = path else {
        return Ok(manifest.states());
    };
    let t = Table::read(path)?;
    let names = t.text("state")?;
    let iso3 = if t.has("iso3") {
        t.text("iso3")?
    } else {
        vec![""; t.len()]
    };
    let first_cap = t
        .headers
        .iter()
        .position(|h| h == "labels")
        .map_or(t.headers.len(), |i| i + 1);
    let mut states: Vec<StateFacts> = names
        .iter()
        .zip(&iso3)
        .map(|(n, i)| StateFacts {
            name: n.to_string(),
            iso3: (!i.is_empty()).then(|| i.to_string()),
            capabilities: BTreeMap::new(),
        })
        .collect();
    for cap in &t.headers[first_cap..] {
        for (st, v) in states.iter_mut().zip(t.num(cap)?) {
            st.capabilities.insert(cap.clone(), v);
        }
    }
    Ok(states)
}

/// One row of `coalitions.csv`, borrowed from the reader's buffer.
struct CoalitionRow<'a> {
    run: u32,
    issue: &'a str,
    founded: f64,
    ended: f64,
    /// Every member ever, `;`-separated, in joining order.
    members: &'a str,
    peak_size: u32,
    progress: f64,
}

/// Streams `coalitions.csv` (a run's form, with a `run` column) row by row into `f`,
/// holding one record at a time.
fn for_each_coalition(
    path: &Path,
    mut f: impl FnMut(CoalitionRow<'_>) -> Result<(), PlotError>,
) -> Result<(), PlotError> {
    let mut reader = CsvReader::open(path)?;
    let c = reader.columns(&[
        "run",
        "issue",
        "founded",
        "ended",
        "members",
        "peak_size",
        "progress",
    ])?;
    let whole = |row: &Row, c: usize| -> Result<u32, PlotError> {
        let v = row.num(c)?;
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
            Ok(v as u32)
        } else {
            Err(row
                .error(
                    c,
                    format!("expected a whole number, found {:?}", row.text(c)),
                )
                .into())
        }
    };
    while let Some(row) = reader.next_row()? {
        f(CoalitionRow {
            run: whole(&row, c[0])?,
            issue: row.text(c[1]),
            founded: row.num(c[2])?,
            ended: row.num(c[3])?,
            members: row.text(c[4]),
            peak_size: whole(&row, c[5])?,
            progress: row.num(c[6])?,
        })?;
    }
    Ok(())
}

/// Size–effectiveness per issue, size histogram and timeline, in one pass over
/// `coalitions.csv` (none for a sweep's form of the file).
pub fn charts(
    path: &Path,
    run: Option<u32>,
    states: &[StateFacts],
    ctx: &mut Context,
) -> Result<Vec<Chart>, PlotError> {
    if read_header(path)?.first().is_some_and(|h| h == "point") {
        return Ok(Vec::new());
    }
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
    for_each_coalition(path, |row| {
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
                    label: timeline::member_label(row.members, &iso3, 3),
                },
            ));
        }
        Ok(())
    })?;
    if rows == 0 {
        return Ok(Vec::new());
    }
    let mut out = size_effect::charts(&by_issue, states, ctx);
    out.push(size_histogram::chart(&by_issue, ctx));
    let first = first_run.unwrap_or(0);
    let shown = run.unwrap_or(first);
    if bars.is_empty() {
        return Err(PlotError::NoSuchRun {
            path: path.to_path_buf(),
            run: shown,
            first,
        });
    }
    out.push(timeline::chart(shown, bars, max_ended, ctx));
    Ok(out)
}
