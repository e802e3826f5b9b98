//! Drawing primitives every chart shares: the mesh and its axis labels, bands, lines,
//! legends and axis ranges, on any plotters backend.
//!
//! NOTE: bands are drawn as polygons between the lower and upper bounds, split where
//! a bound is undefined (NaN), rather than with `AreaSeries`, which fills to a
//! baseline.

use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::numbers::{Band, fmt_num};
use super::style::{BAND_ALPHA, FONT, LEGEND_PX};

/// Result of drawing; errors become `PlotError::Draw`.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A chart with two real axes.
pub type Xy<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart font at `px` pixels.
pub fn text(px: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, px).into_font())
}

/// Formats integer ticks, leaves others blank (for axes of whole numbers).
pub fn int_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

/// Formats any tick as [`fmt_num`].
pub fn num_label(v: &f64) -> String {
    fmt_num(*v)
}

/// How a line is drawn.
#[derive(Clone, Copy)]
pub struct Line {
    /// Colour.
    pub colour: RGBColor,
    /// Stroke width in pixels.
    pub width: u32,
    /// Dashed rather than solid.
    pub dashed: bool,
}

impl Line {
    /// The stroke.
    pub fn style(&self) -> ShapeStyle {
        self.colour.stroke_width(self.width)
    }
}

/// Index runs where `ok(i)` holds.
pub fn runs(n: usize, ok: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
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
pub fn draw_band_fill<'a, DB: DrawingBackend + 'a>(
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
pub fn draw_line<'a, DB: DrawingBackend + 'a>(
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
pub fn legend_line(
    (x, y): (i32, i32),
    st: ShapeStyle,
    dashed: bool,
) -> DashedPathElement<std::vec::IntoIter<(i32, i32)>, i32> {
    let (dash, gap) = if dashed { (6, 3) } else { (20, 0) };
    DashedPathElement::new(vec![(x, y), (x + 20, y)], dash, gap, st)
}

/// A filled square for a legend entry.
pub fn legend_box((x, y): (i32, i32), fill: ShapeStyle) -> Rectangle<(i32, i32)> {
    Rectangle::new([(x, y - 6), (x + 20, y + 6)], fill)
}

/// A legend-only entry (nothing drawn in the plot).
pub fn legend_entry<'a, DB: DrawingBackend + 'a>(
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

/// A best value's mark at `at`: a filled triangle for an optimum inside the range
/// tested, its outline for a best at an edge (the curve may go on rising there).
pub fn best_marker<'a, DB: DrawingBackend + 'a>(
    chart: &mut Xy<'a, DB>,
    at: (f64, f64),
    inside: bool,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if inside {
        chart.draw_series(std::iter::once(TriangleMarker::new(at, 9, BLACK.filled())))?;
    } else {
        // TriangleMarker is always filled: an outline drawn in pixels around the point.
        let outline = vec![(0, -10), (9, 6), (-9, 6), (0, -10)];
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + PathElement::new(outline, BLACK.stroke_width(2)),
        ))?;
    }
    Ok(())
}

/// Draws the legend at `pos`.
pub fn draw_legend<'a, DB: DrawingBackend + 'a>(
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
pub fn draw_series_band<'a, DB: DrawingBackend + 'a>(
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

/// The mesh every chart starts from: axis descriptions, label fonts, numbers as
/// [`num_label`], light grid lines.
macro_rules! mesh {
    ($chart:expr, $x:expr, $y:expr) => {
        $chart
            .configure_mesh()
            .x_desc($x)
            .y_desc($y)
            .axis_desc_style($crate::plot::axes::text($crate::plot::style::LABEL_PX))
            .label_style($crate::plot::axes::text($crate::plot::style::TICK_PX))
            .x_label_formatter(&$crate::plot::axes::num_label)
            .y_label_formatter(&$crate::plot::axes::num_label)
            .bold_line_style(plotters::style::RGBColor(0xe4, 0xe4, 0xe4))
            .light_line_style(plotters::style::TRANSPARENT)
    };
}
pub(crate) use mesh;

/// The x range of a tick axis: 0 to the last tick (at least 1).
pub fn tick_range(ticks: &[f64]) -> (f64, f64) {
    let max = ticks
        .iter()
        .copied()
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max);
    (0.0, max.max(1.0))
}

/// An axis top: the largest finite value plus `pad` of it (1 if none is positive).
pub fn upper(values: impl Iterator<Item = f64>, pad: f64) -> f64 {
    let m = values.filter(|v| v.is_finite()).fold(0.0, f64::max);
    if m > 0.0 { m * (1.0 + pad) } else { 1.0 }
}

/// Labels category positions with their names, other ticks blank.
pub fn category_label(categories: &[String]) -> impl Fn(&f64) -> String + '_ {
    move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 {
            categories.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// Splits text into lines of at most about `width` characters, at spaces.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
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
