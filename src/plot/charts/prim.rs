//! `prim_<k>`: scenario discovery, from `prim.csv` (`minilat analyze --condition`):
//! the coverage–density trade-off along each condition's peeling trajectory.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::output::results::Table;
use crate::plot::axes::{DrawResult, draw_legend, legend_box, mesh};
use crate::plot::numbers::first_seen;
use crate::plot::style;
use crate::plot::{Chart, Context, PlotError, Spec};

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct PrimTradeoff {
    /// (coverage, density) per peeling step.
    pub steps: Vec<(f64, f64)>,
    /// The chosen step.
    pub chosen: usize,
}

/// prim_<k> from prim.csv (`minilat analyze --condition`): the coverage–density
/// trade-off along each condition's peeling trajectory.
pub fn charts(path: &Path, ctx: &Context) -> Result<Vec<Chart>, PlotError> {
    let t = &Table::read(path)?;
    let (condition, chosen) = (t.text("condition")?, t.text("chosen")?);
    let (coverage, density) = (t.num("coverage")?, t.num("density")?);
    let label = ctx.label();
    let mut out = Vec::new();
    for (k, c) in first_seen(condition.iter().copied()).iter().enumerate() {
        let rows: Vec<usize> = (0..t.len()).filter(|&r| condition[r] == *c).collect();
        let steps: Vec<(f64, f64)> = rows.iter().map(|&r| (coverage[r], density[r])).collect();
        let pick = rows.iter().position(|&r| chosen[r] == "true").unwrap_or(0);
        out.push(Chart {
            stem: format!("prim_{k}"),
            title: format!("Where {c}: PRIM coverage and density"),
            caption: format!(
                "Scenario discovery for the runs where {c}{label}: each point is a box of parameter space along PRIM's peeling trajectory (from the whole space, right, to ever smaller boxes, left). Coverage is the share of all such runs inside the box, density the share of the box's runs that are such runs; the ringed point is the chosen box (its bounds are in prim.csv and the report)."
            ),
            spec: Spec::Prim(PrimTradeoff {
                steps,
                chosen: pick,
            }),
        });
    }
    Ok(out)
}

impl PrimTradeoff {
    /// Coverage against density, the chosen box ringed.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        prim_tradeoff(area, &self.steps, self.chosen)
    }
}

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
