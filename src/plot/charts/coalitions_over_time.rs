//! `coalitions_over_time`: the number of active coalitions and their mean size at
//! each tick, means over runs with 95% bands, in two panels.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ticks::TickSeries;
use crate::plot::axes::{
    DrawResult, Line, draw_legend, draw_series_band, legend_entry, mesh, num_label, tick_range,
    upper,
};
use crate::plot::numbers::{Band, padded_range};
use crate::plot::style::{self, BAND_ALPHA};
use crate::plot::{Chart, Context, Spec};

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct CoalitionsOverTime {
    /// Ticks.
    pub ticks: Vec<f64>,
    /// Active coalitions per tick.
    pub count: Band,
    /// Mean size per tick.
    pub size: Band,
}

/// The chart, if `ticks.csv` has both series.
pub fn chart(ts: &TickSeries, ctx: &Context) -> Option<Chart> {
    let (Some(count), Some(size)) = (ts.get("coalitions"), ts.get("mean_size")) else {
        return None;
    };
    let label = ctx.label();
    Some(Chart {
        stem: "coalitions_over_time".into(),
        title: "Coalitions over time".into(),
        caption: format!(
            "The number of active coalitions (top) and their mean size in members (bottom) at each tick{label}, as means over runs with 95% bands."
        ),
        spec: Spec::CoalitionsOverTime(CoalitionsOverTime {
            ticks: ts.ticks.clone(),
            count,
            size,
        }),
    })
}

impl CoalitionsOverTime {
    /// Count on top, size below.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        coalitions_over_time(area, &self.ticks, &self.count, &self.size)
    }
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
    let (lo, hi) = padded_range(size.values(), 0.08);
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
