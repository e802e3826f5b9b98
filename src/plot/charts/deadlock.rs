//! `deadlock_by_body`: the share of each body's decisions that failed, mean over
//! runs with its 95% interval, from `summary.csv` (or, without it, `runs.csv`).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::output::results::Table;
use crate::plot::axes::{DrawResult, mesh, num_label, text};
use crate::plot::numbers::Moments;
use crate::plot::style::{self, LABEL_PX};
use crate::plot::{Chart, Context, PlotError, Spec};

/// One body's deadlock rate.
#[derive(Clone, Debug)]
pub struct BodyDeadlock {
    /// The body.
    pub name: String,
    /// Mean rate.
    pub mean: f64,
    /// 95% interval of the mean.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct Deadlock {
    /// Bodies in scenario order.
    pub bodies: Vec<BodyDeadlock>,
}

/// The body a `deadlock_<body>` metric names.
fn is_body(m: &str) -> Option<&str> {
    m.strip_prefix("deadlock_").filter(|b| *b != "rate")
}

/// The chart from `summary.csv`, or from `runs.csv` without it; `None` if neither
/// names a body.
pub fn chart(
    summary: Option<&Path>,
    runs: Option<&Path>,
    ctx: &Context,
) -> Result<Option<Chart>, PlotError> {
    let mut bodies = match (summary, runs) {
        (Some(p), _) => from_summary(&Table::read(p)?)?,
        (None, Some(p)) => from_runs(&Table::read(p)?)?,
        (None, None) => Vec::new(),
    };
    // Scenario order when the manifest knows the bodies.
    let order = &ctx.bodies;
    bodies.sort_by_key(|b| {
        order
            .iter()
            .position(|n| *n == b.name)
            .unwrap_or(usize::MAX)
    });
    if bodies.is_empty() {
        return Ok(None);
    }
    Ok(Some(Chart {
        stem: "deadlock_by_body".into(),
        title: "Deadlock by body".into(),
        caption: format!(
            "Share of each body's decisions that failed{}, mean over runs with the 95% interval of the mean; a body that never decided in a run does not count in that run.",
            ctx.label()
        ),
        spec: Spec::Deadlock(Deadlock { bodies }),
    }))
}

fn from_summary(t: &Table) -> Result<Vec<BodyDeadlock>, PlotError> {
    let (metric, mean, lo, hi) = (
        t.text("metric")?,
        t.num("mean")?,
        t.num("ci95_low")?,
        t.num("ci95_high")?,
    );
    Ok(metric
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            Some(BodyDeadlock {
                name: is_body(m)?.to_string(),
                mean: mean[i],
                lo: lo[i],
                hi: hi[i],
            })
        })
        .collect())
}

fn from_runs(t: &Table) -> Result<Vec<BodyDeadlock>, PlotError> {
    let mut bodies = Vec::new();
    for h in &t.headers {
        if let Some(b) = is_body(h) {
            let mut m = Moments::default();
            t.num(h)?.into_iter().for_each(|v| m.push(v));
            let (lo, hi) = m.ci95();
            bodies.push(BodyDeadlock {
                name: b.to_string(),
                mean: m.mean(),
                lo,
                hi,
            });
        }
    }
    Ok(bodies)
}

impl Deadlock {
    /// One bar per body with its whiskers and its value on top.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        deadlock(area, &self.bodies)
    }
}

fn deadlock<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    bodies: &[BodyDeadlock],
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
        "body (bar: mean over runs; whiskers: 95% CI)",
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
    // What bar and whiskers mean is said in the axis title: a legend box would cover a
    // bar at 1 and its label.
    Ok(())
}
