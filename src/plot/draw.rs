//! Drawing with plotters: one function per chart kind, all on a white 1000×620 area
//! with the title on top. Works on any backend (SVG string, PNG file).
//!
//! NOTE: bands are drawn as polygons between the lower and upper bounds, split where
//! a bound is undefined (NaN), rather than with `AreaSeries`, which fills to a
//! baseline.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{self, Band, SweepMode, fmt_num};
use super::style::{self, BAND_ALPHA, FONT, LABEL_PX, LEGEND_PX, TICK_PX, TITLE_PX};
use super::{Chart, Spec};

/// Result of drawing; errors become `PlotError::Draw`.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

type Xy<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn text(px: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, px).into_font())
}

/// Draws `chart` on `backend` and presents it.
pub fn draw<DB: DrawingBackend>(chart: &Chart, backend: DB) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let root = backend.into_drawing_area();
    root.fill(&WHITE)?;
    let area = root.titled(&chart.title, text(TITLE_PX))?;
    match &chart.spec {
        Spec::SizeEffectiveness {
            issue,
            stats,
            optimum,
            coverage,
        } => size_effectiveness(&area, issue.colour, stats, *optimum, coverage.as_ref())?,
        Spec::Progress { ticks, issues } => progress(&area, ticks, issues)?,
        Spec::CoalitionsOverTime { ticks, count, size } => {
            coalitions_over_time(&area, ticks, count, size)?
        }
        Spec::SizeHistogram { issues, counts } => size_histogram(&area, issues, counts)?,
        Spec::Timeline {
            ticks,
            issues,
            bars,
        } => timeline(&area, *ticks, issues, bars)?,
        Spec::Deadlock { bodies } => deadlock(&area, bodies)?,
        Spec::FreeRidingFragmentation {
            ticks,
            free_riding,
            fragmentation,
        } => free_riding_fragmentation(&area, ticks, free_riding, fragmentation)?,
        Spec::RuleOverTime {
            ticks,
            metric,
            band,
        } => rule_over_time(&area, ticks, metric, band)?,
        Spec::Sweep {
            param,
            y_desc,
            mode,
            series,
            categories,
            issue_colour,
        } => sweep(
            &area,
            param,
            y_desc,
            *mode,
            series,
            categories,
            *issue_colour,
        )?,
        Spec::Heatmap {
            x_param,
            y_param,
            z_desc,
            xs,
            ys,
            cells,
        } => heatmap(&area, x_param, y_param, z_desc, xs, ys, cells)?,
        Spec::Indices {
            x_desc,
            params,
            series,
        } => indices(&area, x_desc, params, series)?,
        Spec::PrimTradeoff { steps, chosen } => prim_tradeoff(&area, steps, *chosen)?,
    }
    root.present()?;
    Ok(())
}

/// Formats integer ticks, leaves others blank (for axes of whole numbers).
fn int_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

fn num_label(v: &f64) -> String {
    fmt_num(*v)
}

/// How a line is drawn.
#[derive(Clone, Copy)]
struct Line {
    colour: RGBColor,
    width: u32,
    dashed: bool,
}

impl Line {
    fn style(&self) -> ShapeStyle {
        self.colour.stroke_width(self.width)
    }
}

/// Index runs where `ok(i)` holds.
fn runs(n: usize, ok: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (i < n && ok(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A 95% band as filled polygons, split where it is undefined.
fn draw_band_fill<'a, DB: DrawingBackend + 'a>(
    chart: &mut Xy<'a, DB>,
    xs: &[f64],
    band: &Band,
    colour: RGBColor,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = xs.len().min(band.lo.len()).min(band.hi.len());
    for r in runs(n, |i| {
        xs[i].is_finite() && band.lo[i].is_finite() && band.hi[i].is_finite()
    }) {
        let mut pts: Vec<(f64, f64)> = r.clone().map(|i| (xs[i], band.hi[i])).collect();
        pts.extend(r.rev().map(|i| (xs[i], band.lo[i])));
        chart.draw_series(std::iter::once(Polygon::new(
            pts,
            colour.mix(BAND_ALPHA).filled(),
        )))?;
    }
    Ok(())
}

/// The mean of a band as a line (split where undefined), with a legend entry.
fn draw_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut Xy<'a, DB>,
    xs: &[f64],
    ys: &[f64],
    line: Line,
    label: Option<&str>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = xs.len().min(ys.len());
    let mut labelled = label.is_none();
    for r in runs(n, |i| xs[i].is_finite() && ys[i].is_finite()) {
        let pts: Vec<(f64, f64)> = r.map(|i| (xs[i], ys[i])).collect();
        let anno = if line.dashed {
            chart.draw_series(DashedLineSeries::new(pts, 8, 5, line.style()))?
        } else {
            chart.draw_series(LineSeries::new(pts, line.style()))?
        };
        if !labelled {
            labelled = true;
            let (st, dashed) = (line.style(), line.dashed);
            anno.label(label.unwrap_or_default())
                .legend(move |(x, y)| legend_line((x, y), st, dashed));
        }
    }
    Ok(())
}

/// A short line for a legend entry, dashed or solid. NOTE: legend elements must not
/// carry the backend type (plotters' legend bound then asks for `DB: 'static`), so no
/// `EmptyElement` compositions here.
fn legend_line(
    (x, y): (i32, i32),
    st: ShapeStyle,
    dashed: bool,
) -> DashedPathElement<std::vec::IntoIter<(i32, i32)>, i32> {
    let (dash, gap) = if dashed { (6, 3) } else { (20, 0) };
    DashedPathElement::new(vec![(x, y), (x + 20, y)], dash, gap, st)
}

/// A filled square for a legend entry.
fn legend_box((x, y): (i32, i32), fill: ShapeStyle) -> Rectangle<(i32, i32)> {
    Rectangle::new([(x, y - 6), (x + 20, y + 6)], fill)
}

/// A legend-only entry (nothing drawn in the plot).
fn legend_entry<'a, DB: DrawingBackend + 'a>(
    chart: &mut Xy<'a, DB>,
    label: &str,
    fill: ShapeStyle,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
        .label(label)
        .legend(move |c| legend_box(c, fill));
    Ok(())
}

fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut Xy<'a, DB>,
    pos: SeriesLabelPosition,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(pos)
        .margin(10)
        .legend_area_size(28)
        .label_font(text(LEGEND_PX))
        .background_style(WHITE.mix(0.88))
        .border_style(RGBColor(0xbb, 0xbb, 0xbb))
        .draw()?;
    Ok(())
}

/// Line, band and legend of one tick series.
fn draw_series_band<'a, DB: DrawingBackend + 'a>(
    chart: &mut Xy<'a, DB>,
    xs: &[f64],
    band: &Band,
    line: Line,
    label: Option<&str>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    draw_band_fill(chart, xs, band, line.colour)?;
    draw_line(chart, xs, &band.mean, line, label)
}

macro_rules! mesh {
    ($chart:expr, $x:expr, $y:expr) => {
        $chart
            .configure_mesh()
            .x_desc($x)
            .y_desc($y)
            .axis_desc_style(text(LABEL_PX))
            .label_style(text(TICK_PX))
            .x_label_formatter(&num_label)
            .y_label_formatter(&num_label)
            .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
            .light_line_style(TRANSPARENT)
    };
}

fn tick_range(ticks: &[f64]) -> (f64, f64) {
    let max = ticks
        .iter()
        .copied()
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max);
    (0.0, max.max(1.0))
}

fn upper(values: impl Iterator<Item = f64>, pad: f64) -> f64 {
    let m = values.filter(|v| v.is_finite()).fold(0.0, f64::max);
    if m > 0.0 { m * (1.0 + pad) } else { 1.0 }
}

fn size_effectiveness<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    colour: usize,
    stats: &[data::SizeStat],
    optimum: Option<data::Optimum>,
    coverage: Option<&(String, Vec<f64>)>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let c = style::issue_colour(colour);
    let max_size = stats.iter().map(|s| s.size).max().unwrap_or(2) as f64;
    let min_size = if coverage.is_some() {
        1.0
    } else {
        stats.iter().map(|s| s.size).min().unwrap_or(1) as f64
    };
    let ymax = upper(
        stats.iter().flat_map(|s| [s.mean, s.hi]),
        if optimum.is_some() { 0.22 } else { 0.1 },
    );
    let (x0, x1) = (min_size - 0.5, max_size + 0.5);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .right_y_label_area_size(if coverage.is_some() { 80 } else { 15 })
        .build_cartesian_2d(x0..x1, 0.0..ymax)?
        .set_secondary_coord(x0..x1, 0.0..1.05);
    mesh!(
        chart,
        "coalition size (peak members)",
        "effectiveness (mean progress per coalition)"
    )
    .x_labels(((x1 - x0) as usize + 1).min(30))
    .x_label_formatter(&int_label)
    .y_label_formatter(&num_label)
    .draw()?;
    if let Some((cap, _)) = coverage {
        chart
            .configure_secondary_axes()
            .y_desc(format!("share of {cap} held by the top k states"))
            .axis_desc_style(text(LABEL_PX))
            .label_style(text(TICK_PX))
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .draw()?;
    }
    if let Some(o) = optimum {
        let span = [(o.lo as f64 - 0.5, 0.0), (o.hi as f64 + 0.5, ymax)];
        chart
            .draw_series(std::iter::once(Rectangle::new(span, c.mix(0.13).filled())))?
            .label(format!("optimum range (sizes {}–{})", o.lo, o.hi))
            .legend(move |p| legend_box(p, c.mix(0.13).filled()));
    }
    let xs: Vec<f64> = stats.iter().map(|s| s.size as f64).collect();
    let band = Band {
        mean: stats.iter().map(|s| s.mean).collect(),
        lo: stats.iter().map(|s| s.lo).collect(),
        hi: stats.iter().map(|s| s.hi).collect(),
    };
    draw_band_fill(&mut chart, &xs, &band, c)?;
    legend_entry(
        &mut chart,
        "95% interval of the mean",
        c.mix(BAND_ALPHA * 1.5).filled(),
    )?;
    let line = Line {
        colour: c,
        width: 2,
        dashed: false,
    };
    draw_line(
        &mut chart,
        &xs,
        &band.mean,
        line,
        Some("mean effectiveness"),
    )?;
    chart.draw_series(stats.iter().map(|s| {
        let st = if s.n >= 2 {
            c.filled()
        } else {
            c.stroke_width(2)
        };
        Circle::new((s.size as f64, s.mean), 4, st)
    }))?;
    if let Some((_, cov)) = coverage {
        let pts: Vec<(f64, f64)> = cov
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(k, v)| ((k + 1) as f64, *v))
            .collect();
        let st = style::GREY.stroke_width(2);
        chart
            .draw_secondary_series(DashedLineSeries::new(pts.clone(), 6, 4, st))?
            .label("coverage of the top k states (right axis)")
            .legend(move |p| legend_line(p, st, true));
        chart
            .draw_secondary_series(pts.iter().map(|p| Circle::new(*p, 3, style::GREY.filled())))?;
    }
    if let Some(o) = optimum {
        let best = stats
            .iter()
            .find(|s| s.size == o.size)
            .map_or(0.0, |s| s.mean);
        chart.draw_series(std::iter::once(TriangleMarker::new(
            (o.size as f64, best),
            9,
            BLACK.filled(),
        )))?;
        let label = if o.lo == o.hi {
            format!("optimum {}", o.size)
        } else {
            format!("optimum {} ({}–{})", o.size, o.lo, o.hi)
        };
        chart.draw_series(std::iter::once(Text::new(
            label,
            (o.size as f64, ymax * 0.985),
            text(LABEL_PX).pos(Pos::new(HPos::Center, VPos::Top)),
        )))?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

fn progress<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    ticks: &[f64],
    issues: &[super::IssueProgress],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = issues.len().max(1);
    let cols = if n == 1 { 1 } else { 2 };
    let rows = n.div_ceil(cols);
    let panels = area.split_evenly((rows, cols));
    let (t0, t1) = tick_range(ticks);
    let ymax = upper(
        issues
            .iter()
            .flat_map(|p| [&p.bodies, &p.coalitions, &p.net])
            .flatten()
            .flat_map(|b| b.values().collect::<Vec<_>>()),
        0.05,
    );
    for (k, (p, panel)) in issues.iter().zip(&panels).enumerate() {
        let c = style::issue_colour(p.issue.colour);
        let mut chart = ChartBuilder::on(panel)
            .margin(10)
            .caption(&p.issue.name, text(LABEL_PX + 2).color(&c))
            .x_label_area_size(48)
            .y_label_area_size(if k % cols == 0 { 72 } else { 50 })
            .build_cartesian_2d(t0..t1, 0.0..ymax)?;
        mesh!(
            chart,
            "tick",
            if k % cols == 0 {
                "progress (cumulative)"
            } else {
                ""
            }
        )
        .y_label_formatter(&num_label)
        .draw()?;
        let venues = [
            (&p.coalitions, style::COALITIONS, 2, false, "by coalitions"),
            (&p.bodies, style::BODIES, 2, true, "by bodies"),
            (&p.net, style::INK, 1, false, "net progress (after decay)"),
        ];
        for (band, colour, width, dashed, label) in venues {
            if let Some(b) = band {
                let line = Line {
                    colour,
                    width,
                    dashed,
                };
                draw_series_band(&mut chart, ticks, b, line, (k == 0).then_some(label))?;
            }
        }
        if k == 0 {
            legend_entry(&mut chart, "95% band", BLACK.mix(BAND_ALPHA).filled())?;
            draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        }
    }
    Ok(())
}

fn coalitions_over_time<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    ticks: &[f64],
    count: &Band,
    size: &Band,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 / 2 - 10);
    let (t0, t1) = tick_range(ticks);
    let line = Line {
        colour: style::COALITIONS,
        width: 2,
        dashed: false,
    };
    let mut chart = ChartBuilder::on(&top)
        .margin(10)
        .x_label_area_size(22)
        .y_label_area_size(80)
        .build_cartesian_2d(t0..t1, 0.0..upper(count.values(), 0.08))?;
    mesh!(chart, "", "active coalitions")
        .y_label_formatter(&num_label)
        .x_label_formatter(&|_| String::new())
        .draw()?;
    draw_series_band(&mut chart, ticks, count, line, Some("mean over runs"))?;
    legend_entry(
        &mut chart,
        "95% band",
        style::COALITIONS.mix(BAND_ALPHA).filled(),
    )?;
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    let (lo, hi) = data::padded_range(size.values(), 0.08);
    let mut chart = ChartBuilder::on(&bottom)
        .margin(10)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(t0..t1, lo.max(0.0)..hi)?;
    mesh!(chart, "tick", "mean size (members)")
        .y_label_formatter(&num_label)
        .draw()?;
    draw_series_band(&mut chart, ticks, size, line, None)
}

fn size_histogram<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    issues: &[super::IssueRef],
    counts: &std::collections::BTreeMap<u32, Vec<usize>>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let max_size = counts.keys().max().copied().unwrap_or(2) as f64;
    let min_size = counts.keys().min().copied().unwrap_or(1) as f64;
    let ymax = upper(counts.values().map(|v| v.iter().sum::<usize>() as f64), 0.1);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(min_size - 0.6..max_size + 0.6, 0.0..ymax)?;
    mesh!(
        chart,
        "coalition size (peak members)",
        "coalitions (all runs)"
    )
    .x_labels(((max_size - min_size) as usize + 2).min(30))
    .x_label_formatter(&int_label)
    .y_label_formatter(&num_label)
    .disable_x_mesh()
    .draw()?;
    for (k, issue) in issues.iter().enumerate() {
        let c = style::issue_colour(issue.colour);
        let rects: Vec<Rectangle<(f64, f64)>> = counts
            .iter()
            .filter(|(_, v)| v[k] > 0)
            .map(|(&s, v)| {
                let base: usize = v[..k].iter().sum();
                let x = s as f64;
                Rectangle::new(
                    [(x - 0.38, base as f64), (x + 0.38, (base + v[k]) as f64)],
                    c.filled(),
                )
            })
            .collect();
        chart
            .draw_series(rects)?
            .label(&issue.name)
            .legend(move |p| legend_box(p, c.filled()));
    }
    if counts.len() <= 30 {
        chart.draw_series(counts.iter().map(|(&s, v)| {
            Text::new(
                v.iter().sum::<usize>().to_string(),
                (s as f64, v.iter().sum::<usize>() as f64 + ymax * 0.01),
                text(TICK_PX - 1).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )
        }))?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}

fn timeline<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    ticks: f64,
    issues: &[super::IssueRef],
    bars: &[super::TimelineBar],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = bars.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..ticks.max(1.0), 0.0..n)?;
    mesh!(chart, "tick", "")
        .y_labels(0)
        .disable_y_mesh()
        .draw()?;
    let row_px = chart.backend_coord(&(0.0, 0.0)).1 - chart.backend_coord(&(0.0, 1.0)).1;
    let font_px = ((row_px as f64 * 0.62).round() as u32).clamp(8, 14);
    let base = area.get_base_pixel();
    // Issue names beside their groups, in the label area.
    let mut start = 0usize;
    while start < bars.len() {
        let colour = bars[start].colour;
        let end = bars[start..]
            .iter()
            .position(|b| b.colour != colour)
            .map_or(bars.len(), |e| start + e);
        let name = issues
            .iter()
            .find(|i| i.colour == colour)
            .map_or("", |i| i.name.as_str());
        let mid = n - (start + end) as f64 / 2.0;
        let (px, py) = chart.backend_coord(&(0.0, mid));
        area.draw(&Text::new(
            name.to_string(),
            (px - base.0 - 10, py - base.1),
            text(LABEL_PX)
                .color(&style::issue_colour(colour))
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        if start > 0 {
            let y = n - start as f64;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, y), (ticks, y)],
                RGBColor(0x99, 0x99, 0x99).stroke_width(1),
            )))?;
        }
        start = end;
    }
    for (i, b) in bars.iter().enumerate() {
        let c = style::issue_colour(b.colour);
        let y = n - i as f64 - 1.0;
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (b.founded, y + 0.12),
                (b.ended.max(b.founded + 0.5), y + 0.88),
            ],
            c.mix(0.55).filled(),
        )))?;
        if row_px >= 9 {
            // Bars that start late carry their label leftwards from their end, so it
            // is not cut at the right edge.
            let (at, dx, h) = if b.founded > ticks * 0.72 {
                (b.ended.max(b.founded + 0.5), -4, HPos::Right)
            } else {
                (b.founded, 4, HPos::Left)
            };
            chart.draw_series(std::iter::once(
                EmptyElement::at((at, y + 0.5))
                    + Text::new(
                        b.label.clone(),
                        (dx, 0),
                        text(font_px).pos(Pos::new(h, VPos::Center)),
                    ),
            ))?;
        }
    }
    Ok(())
}

fn deadlock<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    bodies: &[super::BodyDeadlock],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = bodies.len() as f64;
    let names: Vec<String> = bodies.iter().map(|b| b.name.clone()).collect();
    let label = move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 {
            names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(-0.6..n - 0.4, 0.0..1.08)?;
    mesh!(
        chart,
        "body",
        "deadlock rate (failed / attempted decisions)"
    )
    .x_labels(bodies.len() * 2 + 2)
    .x_label_formatter(&label)
    .y_label_formatter(&num_label)
    .disable_x_mesh()
    .draw()?;
    let w = 0.22;
    for (i, b) in bodies.iter().enumerate() {
        let x = i as f64;
        let m = if b.mean.is_finite() { b.mean } else { 0.0 };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - w, 0.0), (x + w, m)],
            style::BODIES.mix(0.85).filled(),
        )))?;
        let top = if b.hi.is_finite() {
            let st = BLACK.stroke_width(2);
            chart.draw_series([
                PathElement::new(vec![(x, b.lo), (x, b.hi)], st),
                PathElement::new(vec![(x - 0.08, b.lo), (x + 0.08, b.lo)], st),
                PathElement::new(vec![(x - 0.08, b.hi), (x + 0.08, b.hi)], st),
            ])?;
            b.hi
        } else {
            m
        };
        chart.draw_series(std::iter::once(Text::new(
            format!("{:.3}", b.mean),
            (x, (top + 0.015).min(1.06)),
            text(LABEL_PX).pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))?;
    }
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
        .label("mean; whiskers: 95% CI")
        .legend(|p| legend_box(p, style::BODIES.mix(0.85).filled()));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

fn free_riding_fragmentation<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    ticks: &[f64],
    free_riding: &Option<Band>,
    fragmentation: &Option<Band>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (t0, t1) = tick_range(ticks);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(t0..t1, 0.0..1.0)?;
    mesh!(chart, "tick", "rate / index (0–1)")
        .y_label_formatter(&num_label)
        .draw()?;
    let series = [
        (
            free_riding,
            RGBColor(0xCC, 0x79, 0xA7),
            "free-riding rate (free-rides / compliance decisions)",
        ),
        (
            fragmentation,
            style::INK,
            "fragmentation (1 − HHI of progress by venue)",
        ),
    ];
    for (band, colour, label) in series {
        if let Some(b) = band {
            let line = Line {
                colour,
                width: 2,
                dashed: false,
            };
            draw_series_band(&mut chart, ticks, b, line, Some(label))?;
        }
    }
    legend_entry(&mut chart, "95% band", BLACK.mix(BAND_ALPHA).filled())?;
    draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)
}

fn rule_over_time<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    ticks: &[f64],
    metric: &str,
    band: &Band,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (t0, t1) = tick_range(ticks);
    let finite = || {
        band.lo
            .iter()
            .chain(&band.hi)
            .chain(&band.mean)
            .copied()
            .filter(|v| v.is_finite())
    };
    let lo = finite().fold(0.0, f64::min);
    let hi = finite().fold(0.0, f64::max);
    let pad = ((hi - lo) * 0.05).max(1e-9);
    let (y0, y1) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(t0..t1, y0..y1)?;
    let y_desc = metric.replace('_', " ");
    mesh!(chart, "tick", &y_desc)
        .y_label_formatter(&num_label)
        .draw()?;
    let line = Line {
        colour: style::INK,
        width: 2,
        dashed: false,
    };
    draw_series_band(&mut chart, ticks, band, line, Some(y_desc.as_str()))?;
    legend_entry(&mut chart, "95% band", BLACK.mix(BAND_ALPHA).filled())?;
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// Labels category positions with their names, other ticks blank.
fn category_label(categories: &[String]) -> impl Fn(&f64) -> String + '_ {
    move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 {
            categories.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn sweep<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    param: &str,
    y_desc: &str,
    mode: SweepMode,
    series: &[data::SweepSeries],
    categories: &[String],
    issue_colour: Option<usize>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let all = || series.iter().flat_map(|s| s.points.iter());
    let (x0, x1) = if categories.is_empty() {
        data::padded_range(all().map(|p| p.x), 0.04)
    } else {
        (-0.5, categories.len() as f64 - 0.5)
    };
    let (y0, y1) = data::padded_range(all().flat_map(|p| [p.mean, p.lo, p.hi]), 0.08);
    let legend = series.len() > 1;
    // Headroom for the legend above the data.
    let y1 = if legend {
        y1 + (y1 - y0) * 0.06 * series.len() as f64
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
    }
    if series.len() > 1 || series.first().is_some_and(|s| !s.label.is_empty()) {
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    }
    Ok(())
}

fn heatmap<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    x_param: &str,
    y_param: &str,
    z_desc: &str,
    xs: &[f64],
    ys: &[f64],
    cells: &[Vec<f64>],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (main, bar) = area.split_horizontally(area.dim_in_pixel().0 - 150);
    let (zmin, zmax) = {
        let (lo, hi) = data::padded_range(cells.iter().flatten().copied(), 0.0);
        if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, lo + 0.5)
        }
    };
    let t = |v: f64| (v - zmin) / (zmax - zmin);
    let (nx, ny) = (xs.len(), ys.len());
    let xl: Vec<String> = xs.iter().map(|v| fmt_num(*v)).collect();
    let yl: Vec<String> = ys.iter().map(|v| fmt_num(*v)).collect();
    let (xlab, ylab) = (category_label(&xl), category_label(&yl));
    let mut chart = ChartBuilder::on(&main)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)?;
    mesh!(chart, x_param, y_param)
        .x_labels(nx * 2 + 2)
        .y_labels(ny * 2 + 2)
        .x_label_formatter(&xlab)
        .y_label_formatter(&ylab)
        .disable_mesh()
        .draw()?;
    let cell_px = {
        let a = chart.backend_coord(&(0.0, 0.0));
        let b = chart.backend_coord(&(1.0, 1.0));
        ((b.0 - a.0).abs()).min((a.1 - b.1).abs())
    };
    for (j, row) in cells.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            let (x, y) = (i as f64, j as f64);
            let c = style::viridis(t(*v));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                c.filled(),
            )))?;
            if nx <= 12 && ny <= 12 && cell_px >= 24 {
                let ink = if style::is_dark(c) { WHITE } else { BLACK };
                let px = ((cell_px as f64 * 0.3).round() as u32).clamp(10, 18);
                chart.draw_series(std::iter::once(Text::new(
                    fmt_num(*v),
                    (x, y),
                    text(px)
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
            }
        }
    }
    // Colour bar.
    let mut cb = ChartBuilder::on(&bar)
        .margin_top(24 + 16 * wrap(&format!("mean {z_desc}"), 20).len() as i32)
        .margin_bottom(67)
        .margin_left(10)
        .margin_right(5)
        .y_label_area_size(0)
        .right_y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, zmin..zmax)?;
    cb.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .x_labels(0)
        .label_style(text(TICK_PX))
        .y_label_formatter(&num_label)
        .draw()?;
    let steps = 100;
    cb.draw_series((0..steps).map(|k| {
        let a = zmin + (zmax - zmin) * k as f64 / steps as f64;
        let b = zmin + (zmax - zmin) * (k + 1) as f64 / steps as f64;
        Rectangle::new(
            [(0.0, a), (1.0, b)],
            style::viridis(t((a + b) / 2.0)).filled(),
        )
    }))?;
    let base = bar.get_base_pixel();
    let (px, py) = cb.backend_coord(&(0.0, zmax));
    let lines = wrap(&format!("mean {z_desc}"), 20);
    for (k, line) in lines.iter().rev().enumerate() {
        bar.draw(&Text::new(
            line.clone(),
            (px - base.0, py - base.1 - 8 - 16 * k as i32),
            text(TICK_PX - 1).pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
    }
    Ok(())
}

/// Splits text into lines of at most about `width` characters, at spaces.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split(' ') {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Horizontal bars, one group per parameter (top to bottom in order), one bar per
/// series, with whiskers for the intervals.
fn indices<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    x_desc: &str,
    params: &[String],
    series: &[super::IndexSeries],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = params.len().max(1) as f64;
    let all = || {
        series
            .iter()
            .flat_map(|s| s.values.iter().flat_map(|&(v, lo, hi)| [v, lo, hi]))
    };
    let (lo, hi) = data::padded_range(all().chain([0.0]), 0.06);
    let names: Vec<String> = params.to_vec();
    // Parameter k sits at y = n − 1 − k so the first is on top.
    let label = move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < names.len() {
            names[names.len() - 1 - i as usize].clone()
        } else {
            String::new()
        }
    };
    let legend_room = 0.35 * series.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(260)
        .build_cartesian_2d(lo..hi, -0.6..n - 0.4 + legend_room)?;
    mesh!(chart, x_desc, "")
        .y_labels(params.len() * 2 + 2)
        .y_label_formatter(&label)
        .disable_y_mesh()
        .draw()?;
    let k = series.len().max(1) as f64;
    let h = 0.7 / k;
    for (j, s) in series.iter().enumerate() {
        let colour = style::series_colour(j);
        for (i, &(v, l, u)) in s.values.iter().enumerate() {
            let y = n - 1.0 - i as f64 + 0.35 - h * (j as f64 + 0.5);
            if v.is_finite() {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - h * 0.4), (v, y + h * 0.4)],
                    colour.mix(0.85).filled(),
                )))?;
            }
            if l.is_finite() && u.is_finite() {
                let st = BLACK.stroke_width(2);
                chart.draw_series([
                    PathElement::new(vec![(l, y), (u, y)], st),
                    PathElement::new(vec![(l, y - h * 0.25), (l, y + h * 0.25)], st),
                    PathElement::new(vec![(u, y - h * 0.25), (u, y + h * 0.25)], st),
                ])?;
            }
        }
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label(s.name.clone())
            .legend(move |p| legend_box(p, colour.mix(0.85).filled()));
    }
    if lo < 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.6), (0.0, n - 0.4)],
            style::INK.stroke_width(1),
        )))?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// Coverage (x) against density (y) along a PRIM peeling trajectory; the chosen box
/// ringed.
fn prim_tradeoff<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    steps: &[(f64, f64)],
    chosen: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..1.02, 0.0..1.08)?;
    mesh!(
        chart,
        "coverage (share of the runs of interest inside the box)",
        "density (share of the box's runs that are of interest)"
    )
    .draw()?;
    let colour = style::series_colour(0);
    chart.draw_series(LineSeries::new(
        steps.iter().copied(),
        colour.stroke_width(2),
    ))?;
    chart
        .draw_series(
            steps
                .iter()
                .map(|&(c, d)| Circle::new((c, d), 4, colour.filled())),
        )?
        .label("boxes along the peeling trajectory")
        .legend(move |p| legend_box(p, colour.filled()));
    if let Some(&(c, d)) = steps.get(chosen) {
        chart
            .draw_series(std::iter::once(Circle::new(
                (c, d),
                11,
                style::INK.stroke_width(3),
            )))?
            .label(format!(
                "chosen box (step {chosen}): coverage {c:.2}, density {d:.2}"
            ))
            .legend(|(x, y)| Circle::new((x + 8, y), 6, style::INK.stroke_width(2)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)
}
