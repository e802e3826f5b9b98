//! `free_riding_fragmentation`: the free-riding rate and fragmentation (1 − HHI of
//! progress shares by venue) at each tick, means over runs with 95% bands.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ticks::TickSeries;
use crate::plot::axes::{
    DrawResult, Line, draw_legend, draw_series_band, legend_entry, mesh, num_label, tick_range,
};
use crate::plot::numbers::Band;
use crate::plot::style::{self, BAND_ALPHA};
use crate::plot::{Chart, Context, Spec};

/// The chart's numbers (either series may be absent).
#[derive(Clone, Debug)]
pub struct FreeRiding {
    /// Ticks.
    pub ticks: Vec<f64>,
    /// Free-riding rate per tick.
    pub free_riding: Option<Band>,
    /// Fragmentation per tick.
    pub fragmentation: Option<Band>,
}

/// The chart, if `ticks.csv` has either series.
pub fn chart(ts: TickSeries, ctx: &Context) -> Option<Chart> {
    let (free_riding, fragmentation) = (ts.get("free_riding_rate"), ts.get("fragmentation"));
    if free_riding.is_none() && fragmentation.is_none() {
        return None;
    }
    let label = ctx.label();
    Some(Chart {
        stem: "free_riding_fragmentation".into(),
        title: "Free-riding and fragmentation".into(),
        caption: format!(
            "Free-riding rate (free-rides per compliance decision) and fragmentation (1 − HHI of progress shares by venue; 0 = one venue did everything) at each tick{label}, as means over runs with 95% bands."
        ),
        spec: Spec::FreeRiding(FreeRiding {
            ticks: ts.ticks,
            free_riding,
            fragmentation,
        }),
    })
}

impl FreeRiding {
    /// Both series on one 0–1 axis.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        free_riding_fragmentation(area, &self.ticks, &self.free_riding, &self.fragmentation)
    }
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
