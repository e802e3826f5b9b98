//! `rule_<metric>`: a behaviour rule's own per-tick measure (a `ticks.csv` column
//! beyond the core's, `Scenario::rule_tick_columns`), mean over runs with a 95% band.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ticks::TickSeries;
use crate::plot::axes::{
    DrawResult, Line, draw_legend, draw_series_band, legend_entry, mesh, num_label, tick_range,
};
use crate::plot::numbers::Band;
use crate::plot::style::{self, BAND_ALPHA};
use crate::plot::{Chart, Context, Spec};

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct RuleOverTime {
    /// Ticks.
    pub ticks: Vec<f64>,
    /// The column's name.
    pub metric: String,
    /// Its band per tick.
    pub band: Band,
}

/// One chart per column of a behaviour rule: every column that is not one of the
/// core's and has a value.
pub fn charts(ts: &TickSeries, ctx: &Context) -> Vec<Chart> {
    let label = ctx.label();
    let mut out = Vec::new();
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
            spec: Spec::RuleOverTime(RuleOverTime {
                ticks: ts.ticks.clone(),
                metric: metric.clone(),
                band: band.clone(),
            }),
        });
    }
    out
}

/// Whether a `ticks.csv` column is one of the core's (`TickMetrics`), not a behaviour
/// rule's.
fn is_core_tick_column(metric: &str) -> bool {
    crate::metrics::TickMetrics::is_core_column(metric)
        || ["progress_", "produced_bodies_", "produced_coalitions_"]
            .iter()
            .any(|p| metric.starts_with(p))
}

impl RuleOverTime {
    /// One line with its band; the axis reaches below 0 when the measure does.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        rule_over_time(area, &self.ticks, &self.metric, &self.band)
    }
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
