//! `sweep_<metric>_vs_<param>`: a metric's mean at each sweep point against one
//! parameter, one line per combination of the other parameters (or points with error
//! bars for scattered designs), categories for a parameter that is not numeric (its
//! kind comes from the manifest's design, `output::manifest::ParamKind`). For a metric
//! with a better direction (`metrics::plateau::goal_of`), each line's best value is
//! marked with the values statistically tied with it (`metrics::plateau`), and a best at
//! an edge of the swept range is labelled as such: the curve may still rise beyond it.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::metrics::plateau::{self, Edge, Estimate, Goal, Plateau};
use crate::output::manifest::ParamKind;
use crate::plot::axes::{
    DrawResult, Line, best_marker, category_label, draw_legend, draw_line, num_label, runs, text,
};
use crate::plot::numbers::{Band, capitalise, metric_desc, padded_range, sanitize};
use crate::plot::style::{self, BAND_ALPHA, LABEL_PX, TICK_PX};
use crate::plot::{Chart, Spec};

/// A swept parameter's value at a point, read by the parameter's kind.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A number, and its cell as written (for labels).
    Number(f64, String),
    /// A category (a boolean or text), as written.
    Category(String),
}

impl ParamValue {
    /// The cell of a parameter of `kind` (a number that does not parse is NaN; the
    /// reader checked the file already).
    pub fn read(kind: ParamKind, cell: &str) -> ParamValue {
        match kind {
            ParamKind::Number => {
                ParamValue::Number(cell.trim().parse().unwrap_or(f64::NAN), cell.to_string())
            }
            ParamKind::Bool | ParamKind::Text => ParamValue::Category(cell.to_string()),
        }
    }

    /// The value as written.
    pub fn text(&self) -> &str {
        match self {
            ParamValue::Number(_, t) | ParamValue::Category(t) => t,
        }
    }

    /// The number, for a numeric parameter.
    pub fn number(&self) -> Option<f64> {
        match self {
            ParamValue::Number(x, _) => Some(*x),
            ParamValue::Category(_) => None,
        }
    }
}

/// One point of a sweep chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepPoint {
    /// Position on x (the value, or the category's index).
    pub x: f64,
    /// Mean of the metric at the point.
    pub mean: f64,
    /// 95% CI of the mean.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// One line (or set of points) of a sweep chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSeries {
    /// The other parameters' values, e.g. "behaviour.temperature = 0.05" (empty when
    /// there are none).
    pub label: String,
    /// Points in x order.
    pub points: Vec<SweepPoint>,
}

/// One row of `points.csv` for one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct PointRow {
    /// Parameter values, in `sweep.params` order.
    pub params: Vec<ParamValue>,
    /// Mean.
    pub mean: f64,
    /// 95% CI of the mean.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// Positions on x for the values of one parameter: the numbers themselves for a
/// numeric parameter, else category indexes in order of first appearance. Returns the
/// categories (empty when numeric).
pub fn axis_positions(values: &[&ParamValue]) -> (Vec<f64>, Vec<String>) {
    let nums: Option<Vec<f64>> = values.iter().map(|v| v.number()).collect();
    if let Some(nums) = nums {
        return (nums, Vec::new());
    }
    let mut cats: Vec<String> = Vec::new();
    let pos = values
        .iter()
        .map(|v| match cats.iter().position(|c| c == v.text()) {
            Some(i) => i as f64,
            None => {
                cats.push(v.text().to_string());
                (cats.len() - 1) as f64
            }
        })
        .collect();
    (pos, cats)
}

/// How a sweep chart is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepMode {
    /// One line with a band per combination of the other parameters.
    Lines,
    /// Points with error bars (scattered designs, or too many combinations).
    Points,
}

/// Most lines drawn before falling back to points.
pub const MAX_LINES: usize = 6;

/// Groups rows into series for `param` (an index into `PointRow::params`): one series
/// per combination of the other parameters' values, sorted by x. Lines when the
/// design is not scattered (`lhs`/`random`), there are at most [`MAX_LINES`]
/// combinations and some combination has two x values; else one series of points.
/// Returns the mode, the series and the x categories (empty when numeric).
pub fn sweep_series(
    rows: &[PointRow],
    param: usize,
    names: &[String],
    scattered: bool,
) -> (SweepMode, Vec<SweepSeries>, Vec<String>) {
    let xs: Vec<&ParamValue> = rows.iter().map(|r| &r.params[param]).collect();
    let (pos, cats) = axis_positions(&xs);
    let key = |r: &PointRow| -> Vec<ParamValue> {
        (0..r.params.len())
            .filter(|&j| j != param)
            .map(|j| r.params[j].clone())
            .collect()
    };
    // Group in order of the other parameters' values (numbers by value).
    let mut groups: Vec<(Vec<ParamValue>, Vec<SweepPoint>)> = Vec::new();
    for (r, x) in rows.iter().zip(&pos) {
        let k = key(r);
        let p = SweepPoint {
            x: *x,
            mean: r.mean,
            lo: r.lo,
            hi: r.hi,
        };
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, pts)) => pts.push(p),
            None => groups.push((k, vec![p])),
        }
    }
    let sort_key = |k: &Vec<ParamValue>| -> Vec<(f64, String)> {
        k.iter()
            .map(|v| (v.number().unwrap_or(f64::NAN), v.text().to_string()))
            .collect()
    };
    groups.sort_by(|a, b| {
        let (ka, kb) = (sort_key(&a.0), sort_key(&b.0));
        ka.iter()
            .zip(&kb)
            .map(|(x, y)| x.0.total_cmp(&y.0).then_with(|| x.1.cmp(&y.1)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let multi_x = groups
        .iter()
        .any(|(_, pts)| pts.iter().any(|p| pts.first().is_some_and(|f| f.x != p.x)));
    let lines = !scattered && groups.len() <= MAX_LINES && multi_x;
    let others: Vec<&String> = names
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != param)
        .map(|(_, n)| n)
        .collect();
    let sort_x = |pts: &mut Vec<SweepPoint>| pts.sort_by(|a, b| a.x.total_cmp(&b.x));
    if lines {
        let series = groups
            .into_iter()
            .map(|(k, mut pts)| {
                sort_x(&mut pts);
                let label = others
                    .iter()
                    .zip(&k)
                    .map(|(n, v)| format!("{n} = {}", v.text()))
                    .collect::<Vec<_>>()
                    .join(", ");
                SweepSeries { label, points: pts }
            })
            .collect();
        (SweepMode::Lines, series, cats)
    } else {
        let mut pts: Vec<SweepPoint> = groups.into_iter().flat_map(|(_, p)| p).collect();
        sort_x(&mut pts);
        let series = vec![SweepSeries {
            label: String::new(),
            points: pts,
        }];
        (SweepMode::Points, series, cats)
    }
}

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct SweepMetric {
    /// The parameter on x.
    pub param: String,
    /// The y axis label, with what the line and band are.
    pub y_desc: String,
    /// Lines or points.
    pub mode: SweepMode,
    /// The series.
    pub series: Vec<SweepSeries>,
    /// x categories (empty when numeric).
    pub categories: Vec<String>,
    /// Palette index of the issue when the metric belongs to one.
    pub issue_colour: Option<usize>,
    /// Which way is better for the metric (`None`: no best is marked).
    pub goal: Option<Goal>,
    /// Per series, its best point and the points tied with it (indexes into its
    /// points); `None` for a metric with no better direction or too few points.
    pub bests: Vec<Option<Plateau>>,
}

/// A series' points as estimates.
fn estimates(s: &SweepSeries) -> Vec<Estimate> {
    s.points
        .iter()
        .map(|p| Estimate {
            x: p.x,
            mean: p.mean,
            lo: p.lo,
            hi: p.hi,
        })
        .collect()
}

/// Each series' plateau for `metric` (none if the metric has no better direction).
/// A category axis has no edges: its best is never "at the edge".
fn bests(metric: &str, series: &[SweepSeries], categorical: bool) -> Vec<Option<Plateau>> {
    series
        .iter()
        .map(|s| {
            let mut p = plateau::plateau(&estimates(s), plateau::goal_of(metric)?)?;
            if categorical {
                p.edge = Edge::Inside;
            }
            Some(p)
        })
        .collect()
}

/// The label of a best point on the chart, `x` its value as written, `span` the tied
/// values' span when they are contiguous on a numeric axis.
fn best_label(p: &Plateau, goal: Goal, x: &str, span: Option<(String, String)>) -> String {
    let tied = match span {
        _ if p.tied.len() < 2 => String::new(),
        Some((a, b)) => format!(" (tied {a}–{b})"),
        None => format!(" ({} tied)", p.tied.len()),
    };
    match p.edge {
        Edge::Inside => format!("best {x}{tied}"),
        Edge::Top if goal == Goal::Highest => format!("still rising at the edge: best {x}{tied}"),
        Edge::Top => format!("still falling at the edge: best {x}{tied}"),
        Edge::Bottom => format!("best at the smallest value tested: {x}{tied}"),
    }
}

/// The chart's stem and title for `metric` against `param`.
fn names(metric: &str, param: &str, desc: &str) -> (String, String) {
    (
        format!("sweep_{}_vs_{}", sanitize(metric), sanitize(param)),
        format!("{} vs {param}", capitalise(desc)),
    )
}

/// One chart per parameter of `metric` (of issue `issue`), from its points `rows`.
pub fn charts(
    metric: &str,
    issue: Option<usize>,
    rows: &[PointRow],
    params: &[String],
    scattered: bool,
    label: &str,
) -> Vec<Chart> {
    let desc = metric_desc(metric);
    let mut out = Vec::new();
    for (j, p) in params.iter().enumerate() {
        let (mode, series, categories) = sweep_series(rows, j, params, scattered);
        let how = match (mode, params.len()) {
            (SweepMode::Lines, 1) => "the line is the mean at each point, the band its 95% interval".to_string(),
            (SweepMode::Lines, _) => "one line per combination of the other parameters, each with the 95% interval of the mean as a band".to_string(),
            (SweepMode::Points, 1) => "each point is one sweep point, with the 95% interval of the mean".to_string(),
            (SweepMode::Points, _) => "each point is one sweep point (the other parameters vary too), with the 95% interval of the mean".to_string(),
        };
        let (stem, title) = names(metric, p, &desc);
        let bests = bests(metric, &series, !categories.is_empty());
        let best_text = best_sentences(p, &series, &bests, &categories, rows, j);
        out.push(Chart {
            stem,
            title,
            caption: format!(
                "Mean {desc} across replicates at each value of {p}{label}: {how}.{best_text}"
            ),
            spec: Spec::Sweep(SweepMetric {
                param: p.clone(),
                y_desc: format!("{desc} (mean, 95% CI)"),
                mode,
                series,
                categories,
                issue_colour: issue,
                goal: plateau::goal_of(metric),
                bests,
            }),
        });
    }
    out
}

/// The caption's sentences on each series' best value of parameter `p` (column `j` of
/// `rows`, whose cells name the values as written) and the values tied with it.
fn best_sentences(
    p: &str,
    series: &[SweepSeries],
    bests: &[Option<Plateau>],
    categories: &[String],
    rows: &[PointRow],
    j: usize,
) -> String {
    if bests.iter().all(Option::is_none) {
        return String::new();
    }
    let text_of = |x: f64| -> String {
        if categories.is_empty() {
            rows.iter()
                .find(|r| r.params[j].number() == Some(x))
                .map_or_else(|| x.to_string(), |r| r.params[j].text().to_string())
        } else {
            categories.get(x as usize).cloned().unwrap_or_default()
        }
    };
    let mut out = String::from(
        " Marked: the best mean (triangle, hollow at an edge of the range tested, where the curve may still rise beyond it) and the values statistically tied with it (rings: their 95% interval reaches the best one's).",
    );
    for (s, b) in series.iter().zip(bests) {
        let Some(b) = b else { continue };
        let est = estimates(s);
        let label = |i: usize| text_of(est[i].x);
        let whose = if s.label.is_empty() {
            String::new()
        } else {
            format!(" at {}", s.label)
        };
        out.push_str(&format!(
            " Best {p}{whose}: {}.",
            plateau::describe(b, &est, &label, categories.is_empty())
        ));
    }
    out
}

/// The chart of `metric` against parameter `p` of a binned sweep (`points` sweep
/// points, `params` parameters): one line through the bins' `bins` (x, mean, band).
pub fn binned_chart(
    metric: &str,
    issue: Option<usize>,
    p: &str,
    bins: Vec<SweepPoint>,
    (points, params, bin_count): (usize, usize, usize),
    label: &str,
) -> Chart {
    let desc = metric_desc(metric);
    let (stem, title) = names(metric, p, &desc);
    Chart {
        stem,
        title,
        caption: format!(
            "Mean {desc} across replicates against {p}{label}: the {points} points are binned into {bin_count} equal bins of {p}; the line is the mean of the points' means in each bin, the band ± 1.96 standard deviations of those means (where about 95% of the points lie{}).",
            if params > 1 {
                "; the other parameters vary too"
            } else {
                ""
            }
        ),
        spec: Spec::Sweep(SweepMetric {
            param: p.to_string(),
            y_desc: format!("{desc} (mean of points, ± 1.96 sd)"),
            mode: SweepMode::Lines,
            series: vec![SweepSeries {
                label: String::new(),
                points: bins,
            }],
            categories: Vec::new(),
            issue_colour: issue,
            goal: None,
            // The band is the spread of the points, not an interval of a mean: no
            // plateau to find with it.
            bests: vec![None],
        }),
    }
}

impl SweepMetric {
    /// Lines with bands or points with error bars, a legend when there are several
    /// series.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        sweep(area, self)
    }
}

fn sweep<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    m: &SweepMetric,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let SweepMetric {
        param,
        y_desc,
        mode,
        series,
        categories,
        issue_colour,
        goal,
        bests,
    } = m;
    let (mode, issue_colour, goal) = (*mode, *issue_colour, *goal);
    let all = || series.iter().flat_map(|s| s.points.iter());
    let marked = bests.iter().any(Option::is_some);
    let (x0, x1) = if categories.is_empty() {
        padded_range(all().map(|p| p.x), 0.04)
    } else {
        (-0.5, categories.len() as f64 - 0.5)
    };
    let (y0, y1) = padded_range(all().flat_map(|p| [p.mean, p.lo, p.hi]), 0.08);
    let legend = series.len() > 1;
    // Headroom for the legend above the data, and for the best's label.
    let y1 = if legend {
        y1 + (y1 - y0) * 0.06 * series.len() as f64
    } else {
        y1
    };
    let y1 = if marked && !legend {
        y1 + (y1 - y0) * 0.1
    } else {
        y1
    };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(25)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let cat_label = category_label(categories);
    let mut mesh_style = chart.configure_mesh();
    let mesh = mesh_style
        .x_desc(param)
        .y_desc(y_desc)
        .axis_desc_style(text(LABEL_PX))
        .label_style(text(TICK_PX))
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .light_line_style(TRANSPARENT);
    mesh.y_label_formatter(&num_label);
    if categories.is_empty() {
        mesh.x_label_formatter(&num_label);
    } else {
        mesh.x_labels(categories.len() * 2 + 2)
            .x_label_formatter(&cat_label)
            .disable_x_mesh();
    }
    mesh.draw()?;
    // One line on a numeric axis: its plateau shaded, from halfway to the neighbouring
    // values, when the tied values are contiguous (else the rings alone mark them).
    if let ([s], [Some(b)]) = (series.as_slice(), bests.as_slice())
        && b.tied.len() > 1
        && categories.is_empty()
        && b.gaps(&estimates(s)) == 0
    {
        let xs: Vec<f64> = s.points.iter().map(|p| p.x).collect();
        let half = |x: f64, dir: f64| {
            xs.iter()
                .filter(|&&o| (o - x) * dir > 0.0)
                .map(|&o| (o - x).abs() / 2.0)
                .fold(f64::INFINITY, f64::min)
        };
        let (a, z) = b.span;
        let (a, z) = (
            a - half(a, -1.0).min(x1 - x0),
            z + half(z, 1.0).min(x1 - x0),
        );
        let shade = style::INK.mix(0.05).filled();
        chart.draw_series(std::iter::once(Rectangle::new(
            [(a.max(x0), y0), (z.min(x1), y1)],
            shade,
        )))?;
    }
    for (k, s) in series.iter().enumerate() {
        let c = match (issue_colour, series.len()) {
            (Some(i), 1) => style::issue_colour(i),
            (None, 1) => style::INK,
            _ => style::series_colour(k),
        };
        let xs: Vec<f64> = s.points.iter().map(|p| p.x).collect();
        let band = Band {
            mean: s.points.iter().map(|p| p.mean).collect(),
            lo: s.points.iter().map(|p| p.lo).collect(),
            hi: s.points.iter().map(|p| p.hi).collect(),
        };
        match mode {
            SweepMode::Lines => {
                let line = Line {
                    colour: c,
                    width: 2,
                    dashed: false,
                };
                let label = (legend || !s.label.is_empty()).then_some(s.label.as_str());
                // Lighter bands when several overlap.
                let fill = if series.len() > 1 {
                    c.mix(BAND_ALPHA * 0.6)
                } else {
                    c.mix(BAND_ALPHA)
                };
                for r in runs(xs.len(), |i| {
                    band.lo[i].is_finite() && band.hi[i].is_finite()
                }) {
                    let mut pts: Vec<(f64, f64)> = r.clone().map(|i| (xs[i], band.hi[i])).collect();
                    pts.extend(r.rev().map(|i| (xs[i], band.lo[i])));
                    chart.draw_series(std::iter::once(Polygon::new(pts, fill.filled())))?;
                }
                draw_line(&mut chart, &xs, &band.mean, line, label)?;
            }
            SweepMode::Points => {
                let cap = (x1 - x0) * 0.006;
                let st = c.mix(0.7).stroke_width(1);
                chart.draw_series(
                    s.points
                        .iter()
                        .filter(|p| p.lo.is_finite() && p.hi.is_finite())
                        .flat_map(|p| {
                            [
                                PathElement::new(vec![(p.x, p.lo), (p.x, p.hi)], st),
                                PathElement::new(vec![(p.x - cap, p.lo), (p.x + cap, p.lo)], st),
                                PathElement::new(vec![(p.x - cap, p.hi), (p.x + cap, p.hi)], st),
                            ]
                        }),
                )?;
            }
        }
        chart.draw_series(
            s.points
                .iter()
                .filter(|p| p.mean.is_finite())
                .map(|p| Circle::new((p.x, p.mean), 4, c.filled())),
        )?;
        if let (Some(Some(b)), Some(goal)) = (bests.get(k), goal) {
            let label = (series.len() == 1).then_some(goal);
            mark_best(&mut chart, s, b, c, categories, (x0, x1, y1), label)?;
        }
    }
    if series.len() > 1 || series.first().is_some_and(|s| !s.label.is_empty()) {
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    }
    Ok(())
}

/// A series' best point: rings on the tied points, a triangle on the best (hollow at an
/// edge of the range), and for a single line its label at the top.
fn mark_best<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    s: &SweepSeries,
    b: &Plateau,
    c: RGBColor,
    categories: &[String],
    (x0, x1, y1): (f64, f64, f64),
    label: Option<Goal>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    chart.draw_series(
        b.tied
            .iter()
            .map(|&i| Circle::new((s.points[i].x, s.points[i].mean), 8, c.stroke_width(1))),
    )?;
    let best = s.points[b.best];
    let at = (best.x, best.mean);
    best_marker(chart, at, b.edge == Edge::Inside)?;
    if let Some(goal) = label {
        let x = if categories.is_empty() {
            crate::plot::axes::num_label(&best.x)
        } else {
            categories.get(best.x as usize).cloned().unwrap_or_default()
        };
        let span = (categories.is_empty() && b.gaps(&estimates(s)) == 0).then(|| {
            (
                crate::plot::axes::num_label(&b.span.0),
                crate::plot::axes::num_label(&b.span.1),
            )
        });
        // Near an edge the label ends (or starts) at the best, so it stays on the plot.
        let h = if best.x > x0 + (x1 - x0) * 0.75 {
            HPos::Right
        } else if best.x < x0 + (x1 - x0) * 0.25 {
            HPos::Left
        } else {
            HPos::Center
        };
        chart.draw_series(std::iter::once(Text::new(
            best_label(b, goal, &x, span),
            (best.x, y1),
            text(LABEL_PX).pos(Pos::new(h, VPos::Top)),
        )))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> ParamValue {
        ParamValue::read(ParamKind::Number, s)
    }

    fn row(a: &str, b: &str, mean: f64) -> PointRow {
        PointRow {
            params: vec![num(a), num(b)],
            mean,
            lo: mean - 0.1,
            hi: mean + 0.1,
        }
    }

    #[test]
    fn sweep_lines_are_one_per_combination_of_the_other_parameters() {
        let names = vec!["size".to_string(), "temp".to_string()];
        let rows = vec![
            row("8", "0.2", 3.0),
            row("4", "0.2", 1.0),
            row("8", "0.05", 4.0),
            row("4", "0.05", 2.0),
        ];
        let (mode, series, cats) = sweep_series(&rows, 0, &names, false);
        assert_eq!(mode, SweepMode::Lines);
        assert!(cats.is_empty());
        assert_eq!(series.len(), 2);
        // Sorted by the other parameter's numeric value; points sorted by x.
        assert_eq!(series[0].label, "temp = 0.05");
        assert_eq!(
            series[0]
                .points
                .iter()
                .map(|p| (p.x, p.mean))
                .collect::<Vec<_>>(),
            vec![(4.0, 2.0), (8.0, 4.0)]
        );
        assert_eq!(series[1].label, "temp = 0.2");
        // Scattered designs: one series of points.
        let (mode, series, _) = sweep_series(&rows, 0, &names, true);
        assert_eq!(mode, SweepMode::Points);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].points.len(), 4);
    }

    #[test]
    fn a_best_at_the_edge_of_the_swept_range_is_marked_as_still_rising_with_its_plateau() {
        // issue 20: one line rising to the largest cap; 12 and 20 tied, 4 and 8 below.
        let names = vec!["coalitions.max_size".to_string()];
        let rows: Vec<PointRow> = [("4", 0.07), ("8", 0.09), ("12", 0.105), ("20", 0.11)]
            .iter()
            .map(|(x, m)| PointRow {
                params: vec![num(x)],
                mean: *m,
                lo: m - 0.01,
                hi: m + 0.01,
            })
            .collect();
        let charts = charts("progress_climate", Some(0), &rows, &names, false, "");
        let Spec::Sweep(s) = &charts[0].spec else {
            panic!("a sweep chart");
        };
        let b = s.bests[0].as_ref().expect("progress has a best");
        assert_eq!(
            (b.best, b.tied.as_slice(), b.edge),
            (3, &[2, 3][..], Edge::Top)
        );
        assert_eq!(
            best_label(b, Goal::Highest, "20", Some(("12".into(), "20".into()))),
            "still rising at the edge: best 20 (tied 12–20)"
        );
        assert!(
            charts[0].caption.contains(
                "Best coalitions.max_size: 20 (tied: 12–20; at the top edge of the range: may do better beyond it)."
            ),
            "{}",
            charts[0].caption
        );
        // A metric with no better direction gets no best.
        let charts = charts_of("minilateral_share", &rows, &names);
        let Spec::Sweep(s) = &charts[0].spec else {
            panic!("a sweep chart");
        };
        assert!(s.bests.iter().all(Option::is_none));
        assert!(!charts[0].caption.contains("Best"));
    }

    fn charts_of(metric: &str, rows: &[PointRow], names: &[String]) -> Vec<Chart> {
        charts(metric, None, rows, names, false, "")
    }

    #[test]
    fn sweep_falls_back_to_points_beyond_six_combinations() {
        let names = vec!["a".to_string(), "b".to_string()];
        let rows: Vec<PointRow> = (0..7)
            .flat_map(|b| [row("1", &b.to_string(), 0.0), row("2", &b.to_string(), 1.0)])
            .collect();
        assert_eq!(sweep_series(&rows, 0, &names, false).0, SweepMode::Points);
        assert_eq!(
            sweep_series(&rows[..12], 0, &names, false).0,
            SweepMode::Lines
        );
    }

    #[test]
    fn text_and_boolean_parameters_get_category_positions_by_their_kind() {
        let text: Vec<ParamValue> = ["qmv", "veto", "qmv", "unanimity"]
            .iter()
            .map(|v| ParamValue::read(ParamKind::Text, v))
            .collect();
        let (pos, cats) = axis_positions(&text.iter().collect::<Vec<_>>());
        assert_eq!(pos, vec![0.0, 1.0, 0.0, 2.0]);
        assert_eq!(cats, vec!["qmv", "veto", "unanimity"]);
        // Text that looks like numbers stays text when the design says so.
        let codes: Vec<ParamValue> = ["10", "2"]
            .iter()
            .map(|v| ParamValue::read(ParamKind::Text, v))
            .collect();
        let (pos, cats) = axis_positions(&codes.iter().collect::<Vec<_>>());
        assert_eq!((pos, cats), (vec![0.0, 1.0], vec!["10".into(), "2".into()]));
    }
}
