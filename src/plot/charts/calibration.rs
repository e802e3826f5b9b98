//! `calibration_<k>` and `calibration_pair_<i>_<j>`: the posterior of a calibration
//! (`minilat calibrate`), from `posterior.csv` and `calibration.csv`: each parameter's
//! weighted histogram against its uniform prior, its 95% interval shaded; and, for up to
//! four parameters, every pair's kept draws.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::output::results::Table;
use crate::plot::axes::{DrawResult, draw_legend, legend_box, mesh, num_label, upper};
use crate::plot::style::{self, BAND_ALPHA};
use crate::plot::{Chart, Context, PlotError, Spec};

/// Bins of a marginal histogram.
const BINS: usize = 20;

/// Most parameters whose pairs are charted (6 pairs).
const MAX_PAIRED: usize = 4;

/// One parameter's marginal posterior.
#[derive(Clone, Debug)]
pub struct Marginal {
    /// The parameter's path.
    pub name: String,
    /// The prior's range.
    pub prior: (f64, f64),
    /// Posterior density per bin (weights / bin width), over the prior's range.
    pub density: Vec<f64>,
    /// The posterior's central 95% interval and median.
    pub interval: (f64, f64),
    /// Median.
    pub median: f64,
}

/// Two parameters' kept draws.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Names (x, y).
    pub names: (String, String),
    /// Prior ranges (x, y).
    pub ranges: ((f64, f64), (f64, f64)),
    /// (x, y, weight) per kept draw.
    pub points: Vec<(f64, f64, f64)>,
}

/// The posterior's charts, if `posterior.csv` and `calibration.csv` are both there.
pub fn charts(
    posterior: &Path,
    calibration: &Path,
    ctx: &Context,
) -> Result<Vec<Chart>, PlotError> {
    let post = Table::read(posterior)?;
    let cal = Table::read(calibration)?;
    let names = cal.text("parameter")?;
    let (lo, hi) = (cal.num("prior_min")?, cal.num("prior_max")?);
    let (q025, q975, median) = (cal.num("q025")?, cal.num("q975")?, cal.num("median")?);
    let ident = cal.text("identification")?;
    let weights = post.num("weight")?;
    let label = ctx.label();
    let mut out = Vec::new();
    let mut columns = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        let values = post.num(name)?;
        let (a, b) = (lo[k], hi[k]);
        let width = (b - a) / BINS as f64;
        let mut density = vec![0.0; BINS];
        if width > 0.0 {
            for (x, w) in values.iter().zip(&weights) {
                let i = (((x - a) / width) as usize).min(BINS - 1);
                density[i] += w / width;
            }
        }
        out.push(Chart {
            stem: format!("calibration_{k}"),
            title: format!("Posterior of {name}: {}", ident[k]),
            caption: format!(
                "The calibration's posterior of {name}{label}: the weighted histogram of the kept (and adjusted) draws over the prior's range, against the uniform prior (dashed). Shaded: the central 95% interval, {:.4} to {:.4} (median {:.4}), {:.0}% of the prior's width: {}.",
                q025[k],
                q975[k],
                median[k],
                100.0 * (q975[k] - q025[k]) / (0.95 * (b - a)).max(f64::MIN_POSITIVE),
                ident[k]
            ),
            spec: Spec::Marginal(Marginal {
                name: name.to_string(),
                prior: (a, b),
                density,
                interval: (q025[k], q975[k]),
                median: median[k],
            }),
        });
        columns.push(values);
    }
    let d = names.len().min(MAX_PAIRED);
    for i in 0..d {
        for j in i + 1..d {
            out.push(Chart {
                stem: format!("calibration_pair_{i}_{j}"),
                title: format!("Posterior: {} and {}", names[i], names[j]),
                caption: format!(
                    "The kept draws of the calibration{label} in the plane of {} (x) and {} (y), over the priors' ranges; the larger a point, the larger its weight. A slanted cloud means the targets pin down a combination of the two rather than each.",
                    names[i], names[j]
                ),
                spec: Spec::Pair(Pair {
                    names: (names[i].to_string(), names[j].to_string()),
                    ranges: ((lo[i], hi[i]), (lo[j], hi[j])),
                    points: (0..weights.len())
                        .map(|r| (columns[i][r], columns[j][r], weights[r]))
                        .collect(),
                }),
            });
        }
    }
    Ok(out)
}

/// A range padded to be drawable when its ends coincide.
fn span((a, b): (f64, f64)) -> std::ops::Range<f64> {
    if b > a { a..b } else { a - 0.5..a + 0.5 }
}

impl Marginal {
    /// The histogram, the prior's density, the interval.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (a, b) = self.prior;
        let prior = if b > a { 1.0 / (b - a) } else { 0.0 };
        let ymax = upper(self.density.iter().copied().chain([prior]), 0.15);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(55)
            .y_label_area_size(80)
            .build_cartesian_2d(span(self.prior), 0.0..ymax)?;
        mesh!(chart, self.name.as_str(), "posterior density")
            .x_label_formatter(&num_label)
            .y_label_formatter(&num_label)
            .draw()?;
        let (lo, hi) = self.interval;
        let band = style::series_colour(1).mix(BAND_ALPHA);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, 0.0), (hi, ymax)],
                band.filled(),
            )))?
            .label(format!("95% interval {lo:.4} to {hi:.4}"))
            .legend(move |p| legend_box(p, band.filled()));
        let width = (b - a) / self.density.len() as f64;
        let bars = style::series_colour(0);
        chart
            .draw_series(self.density.iter().enumerate().map(|(i, &y)| {
                let x = a + i as f64 * width;
                Rectangle::new(
                    [(x + width * 0.05, 0.0), (x + width * 0.95, y)],
                    bars.filled(),
                )
            }))?
            .label("posterior (weighted kept draws)")
            .legend(move |p| legend_box(p, bars.filled()));
        chart
            .draw_series(DashedLineSeries::new(
                [(a, prior), (b, prior)],
                8,
                5,
                style::INK.stroke_width(2),
            ))?
            .label("prior (uniform)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], style::INK.stroke_width(2)));
        chart.draw_series(std::iter::once(PathElement::new(
            [(self.median, 0.0), (self.median, ymax)],
            style::INK.stroke_width(1),
        )))?;
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

impl Pair {
    /// The kept draws, sized by weight.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(55)
            .y_label_area_size(80)
            .build_cartesian_2d(span(self.ranges.0), span(self.ranges.1))?;
        mesh!(chart, self.names.0.as_str(), self.names.1.as_str())
            .x_label_formatter(&num_label)
            .y_label_formatter(&num_label)
            .draw()?;
        let top = self.points.iter().map(|p| p.2).fold(0.0, f64::max);
        let colour = style::series_colour(0);
        chart
            .draw_series(self.points.iter().map(|&(x, y, w)| {
                let r = if top > 0.0 {
                    2.0 + 6.0 * (w / top).sqrt()
                } else {
                    3.0
                };
                Circle::new((x, y), r as i32, colour.mix(0.6).filled())
            }))?
            .label("kept draws (size: weight)")
            .legend(move |p| legend_box(p, colour.filled()));
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}
