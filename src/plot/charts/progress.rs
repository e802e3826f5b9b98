//! `progress`: cumulative progress on each issue over ticks, one panel per issue, by
//! venue type (coalitions, bodies, net after decay), means over runs with 95% bands.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ticks::TickSeries;
use crate::plot::axes::{
    DrawResult, Line, draw_legend, draw_series_band, legend_entry, mesh, num_label, text,
    tick_range, upper,
};
use crate::plot::numbers::Band;
use crate::plot::style::{self, BAND_ALPHA, LABEL_PX};
use crate::plot::{Chart, Context, IssueRef, Spec};

/// Progress of one issue over ticks, by venue type.
#[derive(Clone, Debug)]
pub struct IssueProgress {
    pub issue: IssueRef,
    pub bodies: Option<Band>,
    pub coalitions: Option<Band>,
    pub net: Option<Band>,
}

/// The chart's numbers: ticks and each issue's bands.
#[derive(Clone, Debug)]
pub struct Progress {
    pub ticks: Vec<f64>,
    pub issues: Vec<IssueProgress>,
}

/// The progress chart, if any issue has a series.
pub fn chart(ts: &TickSeries, ctx: &Context) -> Option<Chart> {
    let no_bodies = ctx.no_bodies();
    let label = ctx.label();
    let issues: Vec<IssueProgress> = ctx
        .issues
        .iter()
        .enumerate()
        .map(|(i, m)| IssueProgress {
            issue: ctx.issue_ref(i),
            bodies: ts
                .get(&format!("produced_bodies_{}", m.name))
                .filter(|_| !no_bodies),
            coalitions: ts.get(&format!("produced_coalitions_{}", m.name)),
            net: ts.get(&format!("progress_{}", m.name)),
        })
        .filter(|p| p.bodies.is_some() || p.coalitions.is_some() || p.net.is_some())
        .collect();
    if issues.is_empty() {
        return None;
    }
    Some(Chart {
        stem: "progress".into(),
        title: "Progress by venue type".into(),
        caption: if no_bodies {
            format!(
                "Progress on each issue over time{label}: cumulative progress produced by coalitions (vermillion; the scenario has no bodies) and net progress after decay (black), as means over runs with 95% bands."
            )
        } else {
            format!(
                "Progress on each issue over time{label}: cumulative progress produced by coalitions (vermillion) and by bodies (blue, dashed), and net progress after decay (black), as means over runs with 95% bands."
            )
        },
        spec: Spec::Progress(Progress {
            ticks: ts.ticks.clone(),
            issues,
        }),
    })
}

impl Progress {
    /// One panel per issue, two columns when there are several.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (ticks, issues) = (&self.ticks, &self.issues);
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
}
