//! `size_histogram`: how many coalitions reached each peak size, over all runs,
//! stacked by issue.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::plot::axes::{
    DrawResult, draw_legend, int_label, legend_box, mesh, num_label, text, upper,
};
use crate::plot::numbers::Moments;
use crate::plot::style::{self, TICK_PX};
use crate::plot::{Chart, Context, IssueRef, Spec};

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct SizeHistogram {
    /// Issues that have coalitions, in scenario order.
    pub issues: Vec<IssueRef>,
    /// Peak size → coalitions per issue (in `issues` order).
    pub counts: BTreeMap<u32, Vec<usize>>,
}

/// The histogram of `by_issue` (issue index → peak size → moments of progress).
pub fn chart(by_issue: &BTreeMap<usize, BTreeMap<u32, Moments>>, ctx: &Context) -> Chart {
    let hist_issues: Vec<usize> = by_issue.keys().copied().collect();
    let mut counts: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (k, &issue) in hist_issues.iter().enumerate() {
        for (&size, m) in &by_issue[&issue] {
            counts
                .entry(size)
                .or_insert_with(|| vec![0; hist_issues.len()])[k] += m.n;
        }
    }
    let label = ctx.label();
    Chart {
        stem: "size_histogram".into(),
        title: "Coalition sizes".into(),
        caption: format!(
            "How many coalitions reached each peak size{label}, over all runs, stacked by issue. A tall bar at the cap on coalition size means the cap binds."
        ),
        spec: Spec::SizeHistogram(SizeHistogram {
            issues: hist_issues.iter().map(|&i| ctx.issue_ref(i)).collect(),
            counts,
        }),
    }
}

impl SizeHistogram {
    /// Stacked bars by size, each topped by its total.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        size_histogram(area, &self.issues, &self.counts)
    }
}

fn size_histogram<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    issues: &[IssueRef],
    counts: &BTreeMap<u32, Vec<usize>>,
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
