//! `timeline_run<k>`: every coalition of one run as a bar from its founding tick to
//! its end, grouped and coloured by issue, labelled with its members.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::plot::axes::{DrawResult, mesh, text};
use crate::plot::style::{self, LABEL_PX};
use crate::plot::{Chart, Context, IssueRef, Spec};

/// One bar of the timeline.
#[derive(Clone, Debug)]
pub struct TimelineBar {
    /// Palette index of its issue.
    pub colour: usize,
    /// Tick founded.
    pub founded: f64,
    /// Tick ended (the run's length if still active).
    pub ended: f64,
    /// Its members, short.
    pub label: String,
}

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// Ticks per run.
    pub ticks: f64,
    /// The issues of the bars, in bar order.
    pub issues: Vec<IssueRef>,
    /// The bars, grouped by issue, then by founding tick.
    pub bars: Vec<TimelineBar>,
}

/// "USA, JPN, AUS +3": the first `shown` members (iso3 code when known), then how
/// many more.
pub fn member_label(members: &str, iso3: &BTreeMap<String, String>, shown: usize) -> String {
    let names: Vec<&str> = members.split(';').filter(|m| !m.is_empty()).collect();
    let mut label = names
        .iter()
        .take(shown)
        .map(|n| iso3.get(*n).map_or(*n, String::as_str))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > shown {
        label.push_str(&format!(" +{}", names.len() - shown));
    }
    label
}

/// The timeline of run `shown` from its `bars` (issue index, bar); `max_ended` is the
/// latest end among them.
pub fn chart(
    shown: u32,
    mut bars: Vec<(usize, TimelineBar)>,
    max_ended: f64,
    ctx: &Context,
) -> Chart {
    // Group by issue, then by founding tick.
    bars.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.founded.total_cmp(&b.1.founded))
            .then(a.1.ended.total_cmp(&b.1.ended))
    });
    let issues: Vec<IssueRef> = {
        let mut v: Vec<usize> = bars.iter().map(|b| b.0).collect();
        v.dedup();
        v.into_iter().map(|i| ctx.issue_ref(i)).collect()
    };
    let ticks = ctx
        .manifest
        .scenario_ticks()
        .unwrap_or(max_ended)
        .max(max_ended);
    let label = ctx.label();
    Chart {
        stem: format!("timeline_run{shown}"),
        title: format!("Coalitions of run {shown}"),
        caption: format!(
            "Every coalition of run {shown}{label} as a bar from the tick it was founded to the tick it ended, grouped and coloured by issue, labelled with its members (everyone who was ever a member, in joining order)."
        ),
        spec: Spec::Timeline(Timeline {
            ticks,
            issues,
            bars: bars.into_iter().map(|b| b.1).collect(),
        }),
    }
}

impl Timeline {
    /// One row per bar, issue names beside their groups.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        timeline(area, self.ticks, &self.issues, &self.bars)
    }
}

fn timeline<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    ticks: f64,
    issues: &[IssueRef],
    bars: &[TimelineBar],
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_labels_use_iso3_and_count_the_rest() {
        let iso: BTreeMap<String, String> = [("United States", "USA"), ("Japan", "JPN")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(
            member_label("United States;Japan;Nauru;Chile;Peru", &iso, 3),
            "USA, JPN, Nauru +2"
        );
        assert_eq!(member_label("Japan", &iso, 3), "JPN");
    }
}
