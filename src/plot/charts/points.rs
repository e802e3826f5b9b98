//! `points.csv` for the sweep families (`sweep_metric`, `heatmap`), streamed: a first
//! pass learns the metrics, the number of points and each numeric parameter's range;
//! up to [`MAX_DRAWN_POINTS`] points are then drawn one by one, more from bins (a
//! chart cannot show more, and reading them all would grow memory with the points).
//! Each parameter is read by its kind in the manifest's design
//! (`SweepManifest::param_kinds`); only a hand-made directory without one has its
//! kinds inferred from the cells.

use std::path::Path;

use super::heatmap;
use super::sweep_metric::{self, ParamValue, PointRow, SweepPoint};
use crate::output::manifest::ParamKind;
use crate::output::results::{CsvReader, Table, read_header};
use crate::plot::numbers::{Moments, Z95, unit_bounded};
use crate::plot::{Chart, Context, PlotError};

/// Points of a sweep drawn one by one; a sweep with more is drawn from bins.
pub const MAX_DRAWN_POINTS: usize = 2_000;
/// Bins along a parameter for a binned sweep chart, and per axis for a binned heatmap.
const SWEEP_BINS: usize = 100;
const HEATMAP_BINS: usize = 50;

/// What one streaming pass over points.csv learns: the metrics (in first-seen order),
/// the points, each parameter's kind and each numeric parameter's range.
struct PointsScan {
    metrics: Vec<String>,
    points: usize,
    kinds: Vec<ParamKind>,
    ranges: Vec<Option<(f64, f64)>>,
}

/// The first pass. A cell of a numeric parameter that is not a number is an error; a
/// parameter of unknown kind (`None`) is numeric if every cell is a finite number.
fn scan_points(
    path: &Path,
    params: &[String],
    kinds: &[Option<ParamKind>],
) -> Result<PointsScan, PlotError> {
    let mut reader = CsvReader::open(path)?;
    let metric = reader.column("metric")?;
    let cols = reader.columns(params)?;
    let mut ranges: Vec<Option<(f64, f64)>> = kinds
        .iter()
        .map(|k| match k {
            Some(ParamKind::Number) | None => Some((f64::INFINITY, f64::NEG_INFINITY)),
            Some(_) => None,
        })
        .collect();
    let (mut metrics, mut points) = (Vec::<String>::new(), 0);
    while let Some(row) = reader.next_row()? {
        let m = row.text(metric);
        if metrics.first().is_none_or(|f| f == m) {
            points += 1;
        }
        if !metrics.iter().any(|x| x == m) {
            metrics.push(m.to_string());
        }
        for ((range, &c), kind) in ranges.iter_mut().zip(&cols).zip(kinds) {
            let Some((lo, hi)) = range else { continue };
            let x = match kind {
                Some(_) => row.num(c)?,
                None => row.text(c).trim().parse::<f64>().unwrap_or(f64::NAN),
            };
            if x.is_finite() {
                *lo = lo.min(x);
                *hi = hi.max(x);
            } else if kind.is_none() {
                *range = None;
            }
        }
    }
    let kinds = kinds
        .iter()
        .zip(&ranges)
        .map(|(k, r)| {
            k.unwrap_or(if r.is_some() {
                ParamKind::Number
            } else {
                ParamKind::Text
            })
        })
        .collect();
    Ok(PointsScan {
        metrics,
        points,
        kinds,
        ranges,
    })
}

/// sweep_<metric>_vs_<param> and heatmap_<metric> from points.csv.
pub fn charts(path: &Path, ctx: &mut Context) -> Result<Vec<Chart>, PlotError> {
    let sweep = ctx.manifest.sweep.clone().unwrap_or_default();
    let params: Vec<String> = if sweep.params.is_empty() {
        // Without a manifest: the columns between `point` and `metric`.
        let headers = read_header(path)?;
        let end = headers.iter().position(|h| h == "metric").unwrap_or(0);
        headers.into_iter().take(end).skip(1).collect()
    } else {
        sweep.params.clone()
    };
    if params.is_empty() {
        return Ok(Vec::new());
    }
    let mut kinds = sweep.param_kinds();
    kinds.resize(params.len(), None);
    let scan = scan_points(path, &params, &kinds)?;
    ctx.learn_issues(
        scan.metrics
            .iter()
            .filter_map(|m| m.strip_prefix("progress_")),
    );
    let wanted = wanted_metrics(ctx, &sweep.charts());
    let scattered = matches!(
        sweep.design_name().as_deref(),
        Some("lhs" | "random" | "morris" | "sobol")
    );
    let sweep = Sweep {
        path,
        scan,
        params,
        wanted,
        scattered,
    };
    if sweep.scan.points > MAX_DRAWN_POINTS {
        sweep.binned_charts(ctx)
    } else {
        sweep.drawn_charts(ctx)
    }
}

/// What the second pass needs: the file, what the first pass learnt, the parameters,
/// the metrics charted (with their issues) and whether the design scatters its points
/// (`lhs`, `random`, `morris`, `sobol`: no lines, no heatmap).
struct Sweep<'a> {
    path: &'a Path,
    scan: PointsScan,
    params: Vec<String>,
    wanted: Vec<(String, Option<usize>)>,
    scattered: bool,
}

/// The metrics charted, each with its issue's index: progress per issue, deadlock rate
/// and minilateral share (when there are bodies), and the sweep's own `charts`.
fn wanted_metrics(ctx: &Context, extra: &[String]) -> Vec<(String, Option<usize>)> {
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
    for m in extra {
        if !wanted.iter().any(|(w, _)| w == m) {
            let issue = ctx
                .issues
                .iter()
                .position(|i| m.ends_with(&format!("_{}", i.name)));
            wanted.push((m.clone(), issue));
        }
    }
    wanted
}

/// A metric's natural bounds: a normal-approximation interval can leave a share's.
fn bounds(metric: &str) -> (f64, f64) {
    if unit_bounded(metric) {
        (0.0, 1.0)
    } else {
        (f64::NEG_INFINITY, f64::INFINITY)
    }
}

/// Per wanted metric: per parameter, per bin, the moments of x and of the means; and
/// the heatmap's cells.
struct Bins {
    lines: Vec<Vec<Vec<(Moments, Moments)>>>,
    grids: Vec<Vec<Moments>>,
}

impl Sweep<'_> {
    /// Up to [`MAX_DRAWN_POINTS`] points, one by one: the wanted metrics' rows, read whole.
    fn drawn_charts(&self, ctx: &Context) -> Result<Vec<Chart>, PlotError> {
        let Sweep {
            path,
            scan,
            params,
            wanted,
            scattered,
        } = self;
        let scattered = *scattered;
        let metric_col = read_header(path)?.iter().position(|h| h == "metric");
        let t = Table::read_where(path, |row| {
            metric_col.is_none_or(|c| wanted.iter().any(|(w, _)| w == row.text(c)))
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
            let (floor, ceiling) = bounds(m);
            let rows: Vec<PointRow> = (0..t.len())
                .filter(|&r| metric[r] == m)
                .map(|r| PointRow {
                    params: cols
                        .iter()
                        .zip(&scan.kinds)
                        .map(|(c, &k)| ParamValue::read(k, c[r]))
                        .collect(),
                    mean: mean[r],
                    lo: lo[r].max(floor),
                    hi: hi[r].min(ceiling),
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            lines.extend(sweep_metric::charts(
                m, *issue, &rows, params, scattered, &label,
            ));
            if params.len() == 2
                && !scattered
                && let Some(grid) = heatmap::heatmap_grid(&rows)
            {
                heatmaps.push(heatmap::chart(m, params, grid, None, &label));
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
    fn binned_charts(&self, ctx: &Context) -> Result<Vec<Chart>, PlotError> {
        let Sweep {
            scan,
            params,
            wanted,
            scattered,
            ..
        } = self;
        let heatmap = params.len() == 2 && !scattered && scan.ranges.iter().all(Option::is_some);
        let bins = self.fill_bins(heatmap)?;
        let label = ctx.label();
        let mut charts = Vec::new();
        let mut heatmaps = Vec::new();
        for (w, (m, issue)) in wanted.iter().enumerate() {
            let (floor, ceiling) = bounds(m);
            for (j, p) in params.iter().enumerate() {
                let points: Vec<SweepPoint> = bins.lines[w][j]
                    .iter()
                    .filter(|(_, my)| my.n > 0)
                    .map(|(mx, my)| {
                        let half = Z95 * my.sd();
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
                let sizes = (scan.points, params.len(), SWEEP_BINS);
                charts.push(sweep_metric::binned_chart(
                    m, *issue, p, points, sizes, &label,
                ));
            }
            if heatmap && bins.grids[w].iter().any(|c| c.n > 0) {
                let centres = |j: usize| -> Vec<f64> {
                    let (lo, hi) = scan.ranges[j].expect("numeric");
                    let step = (hi - lo) / HEATMAP_BINS as f64;
                    (0..HEATMAP_BINS)
                        .map(|i| lo + (i as f64 + 0.5) * step)
                        .collect()
                };
                let cells = bins.grids[w]
                    .chunks(HEATMAP_BINS)
                    .map(|row| row.iter().map(Moments::mean).collect())
                    .collect();
                let grid = (centres(0), centres(1), cells);
                let binned = Some((scan.points, HEATMAP_BINS));
                heatmaps.push(heatmap::chart(m, params, grid, binned, &label));
            }
        }
        charts.extend(heatmaps);
        Ok(charts)
    }

    /// The second pass of a binned sweep: every wanted metric's row into its bins.
    fn fill_bins(&self, heatmap: bool) -> Result<Bins, PlotError> {
        let Sweep {
            path,
            scan,
            params,
            wanted,
            ..
        } = self;
        let mut reader = CsvReader::open(path)?;
        let (metric, mean) = (reader.column("metric")?, reader.column("mean")?);
        let cols = reader.columns(params)?;
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
        let mut out = Bins {
            lines: vec![
                vec![
                    vec![(Moments::default(), Moments::default()); SWEEP_BINS];
                    params.len()
                ];
                wanted.len()
            ],
            grids: vec![
                vec![
                    Moments::default();
                    if heatmap {
                        HEATMAP_BINS * HEATMAP_BINS
                    } else {
                        0
                    }
                ];
                wanted.len()
            ],
        };
        let mut xs = vec![0.0; params.len()];
        while let Some(row) = reader.next_row()? {
            let Some(w) = wanted.iter().position(|(m, _)| m == row.text(metric)) else {
                continue;
            };
            let y = row.num(mean)?;
            for (j, &c) in cols.iter().enumerate() {
                xs[j] = row.text(c).trim().parse::<f64>().unwrap_or(f64::NAN);
                if let Some(b) = bin(j, xs[j], SWEEP_BINS) {
                    let (mx, my) = &mut out.lines[w][j][b];
                    mx.push(xs[j]);
                    my.push(y);
                }
            }
            if heatmap
                && let (Some(i), Some(j)) =
                    (bin(0, xs[0], HEATMAP_BINS), bin(1, xs[1], HEATMAP_BINS))
            {
                out.grids[w][j * HEATMAP_BINS + i].push(y);
            }
        }
        Ok(out)
    }
}
