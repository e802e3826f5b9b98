//! `size_effectiveness_<issue>`: how much progress coalitions of each peak size
//! produced (mean over every coalition of that size in all runs, with its 95%
//! interval), the optimum size and the sizes indistinguishable from it, and how much
//! of the issue's capability the k largest states hold.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::output::manifest::StateFacts;
use crate::plot::axes::{
    DrawResult, Line, draw_band_fill, draw_legend, draw_line, int_label, legend_box, legend_entry,
    legend_line, mesh, num_label, text, upper,
};
use crate::plot::numbers::{Band, Moments, sanitize};
use crate::plot::style::{self, BAND_ALPHA, LABEL_PX, TICK_PX};
use crate::plot::{Chart, Context, IssueRef, Spec};

/// Effectiveness of coalitions of one size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SizeStat {
    /// Peak size (members).
    pub size: u32,
    /// Coalitions of that size.
    pub n: usize,
    /// Mean progress produced over their lives.
    pub mean: f64,
    /// 95% interval of the mean (NaN if n < 2).
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// Per-size statistics in size order.
pub fn size_stats(by_size: &BTreeMap<u32, Moments>) -> Vec<SizeStat> {
    by_size
        .iter()
        .filter(|(_, m)| m.n > 0)
        .map(|(&size, m)| {
            let (lo, hi) = m.ci95();
            SizeStat {
                size,
                n: m.n,
                mean: m.mean(),
                lo,
                hi,
            }
        })
        .collect()
}

/// The best size and the sizes statistically indistinguishable from it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Optimum {
    /// Size with the highest mean (among sizes with n ≥ 2).
    pub size: u32,
    /// Smallest size whose CI upper bound reaches the optimum's CI lower bound.
    pub lo: u32,
    /// Largest such size.
    pub hi: u32,
}

/// The optimum among sizes with an interval (n ≥ 2): the highest mean; its range is
/// every size whose upper bound is at least the optimum's lower bound. None if no
/// size has n ≥ 2.
pub fn optimum(stats: &[SizeStat]) -> Option<Optimum> {
    let ok = || stats.iter().filter(|s| s.n >= 2 && s.hi.is_finite());
    let best = ok().max_by(|a, b| a.mean.total_cmp(&b.mean))?;
    let close = ok().filter(|s| s.hi >= best.lo);
    let lo = close.clone().map(|s| s.size).min()?;
    let hi = close.map(|s| s.size).max()?;
    Some(Optimum {
        size: best.size,
        lo,
        hi,
    })
}

/// Share of the total held by the k largest values, for k = 1..=kmax (NaN values
/// ignored; an all-zero or empty list gives NaN).
pub fn coverage_top_k(values: &[f64], kmax: usize) -> Vec<f64> {
    let mut v: Vec<f64> = values
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .collect();
    v.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = v.iter().sum();
    let mut acc = 0.0;
    (0..kmax)
        .map(|k| {
            acc += v.get(k).copied().unwrap_or(0.0);
            if total > 0.0 { acc / total } else { f64::NAN }
        })
        .collect()
}

/// The chart's numbers for one issue.
#[derive(Clone, Debug)]
pub struct SizeEffect {
    /// The issue.
    pub issue: IssueRef,
    /// Per peak size, in size order.
    pub stats: Vec<SizeStat>,
    /// The best size and its range, if any size has an interval.
    pub optimum: Option<Optimum>,
    /// Capability name and the top-k shares, k = 1..=len.
    pub coverage: Option<(String, Vec<f64>)>,
}

/// `size_effectiveness_<issue>` for each issue with coalitions (`by_issue`: issue
/// index → peak size → moments of the progress coalitions produced).
pub fn charts(
    by_issue: &BTreeMap<usize, BTreeMap<u32, Moments>>,
    states: &[StateFacts],
    ctx: &Context,
) -> Vec<Chart> {
    let label = ctx.label();
    let mut out = Vec::new();
    for (&issue, sizes) in by_issue {
        let stats = size_stats(sizes);
        let optimum = optimum(&stats);
        let meta = &ctx.issues[issue];
        let max_size = stats.iter().map(|s| s.size).max().unwrap_or(1) as usize;
        let coverage = meta.capability.as_ref().and_then(|cap| {
            let values: Vec<f64> = states
                .iter()
                .filter_map(|s| s.capabilities.get(cap).copied())
                .collect();
            let cov = coverage_top_k(&values, max_size);
            (!values.is_empty() && cov.iter().any(|v| v.is_finite())).then(|| (cap.clone(), cov))
        });
        let opt_text = optimum.map_or_else(
            || "There are too few coalitions of any one size to mark an optimum.".to_string(),
            |o| {
                format!(
                    "The best size is {} (shaded: sizes {}–{}, whose 95% intervals reach the best one's, are statistically indistinguishable from it).",
                    o.size, o.lo, o.hi
                )
            },
        );
        let cov_text = coverage.as_ref().map_or_else(String::new, |(cap, _)| {
            format!(
                " The dashed grey line (right axis) is the share of all {cap} held by the k largest states: what a coalition of k members could cover at best."
            )
        });
        out.push(Chart {
            stem: format!("size_effectiveness_{}", sanitize(&meta.name)),
            title: format!("Coalition size and effectiveness: {}", meta.name),
            caption: format!(
                "Effectiveness of {} coalitions by size{label}: the mean progress a coalition produced over its life, across every coalition of that peak size in all runs, with the 95% interval of the mean (hollow points: a single coalition). {opt_text}{cov_text}",
                meta.name
            ),
            spec: Spec::SizeEffect(SizeEffect {
                issue: ctx.issue_ref(issue),
                stats,
                optimum,
                coverage,
            }),
        });
    }
    out
}

impl SizeEffect {
    /// Mean effectiveness by size with its band, the optimum's range shaded and
    /// marked, and the coverage curve on a right axis.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        size_effectiveness(
            area,
            self.issue.colour,
            &self.stats,
            self.optimum,
            self.coverage.as_ref(),
        )
    }
}

type Dual<'a, DB> = plotters::chart::DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
>;

fn size_effectiveness<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    colour: usize,
    stats: &[SizeStat],
    optimum: Option<Optimum>,
    coverage: Option<&(String, Vec<f64>)>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let c = style::issue_colour(colour);
    let max_size = stats.iter().map(|s| s.size).max().unwrap_or(2) as f64;
    let min_size = if coverage.is_some() {
        1.0
    } else {
        stats.iter().map(|s| s.size).min().unwrap_or(1) as f64
    };
    let ymax = upper(
        stats.iter().flat_map(|s| [s.mean, s.hi]),
        if optimum.is_some() { 0.22 } else { 0.1 },
    );
    let (x0, x1) = (min_size - 0.5, max_size + 0.5);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .right_y_label_area_size(if coverage.is_some() { 80 } else { 15 })
        .build_cartesian_2d(x0..x1, 0.0..ymax)?
        .set_secondary_coord(x0..x1, 0.0..1.05);
    mesh!(
        chart,
        "coalition size (peak members)",
        "effectiveness (mean progress per coalition)"
    )
    .x_labels(((x1 - x0) as usize + 1).min(30))
    .x_label_formatter(&int_label)
    .y_label_formatter(&num_label)
    .draw()?;
    if let Some((cap, _)) = coverage {
        chart
            .configure_secondary_axes()
            .y_desc(format!("share of {cap} held by the top k states"))
            .axis_desc_style(text(LABEL_PX))
            .label_style(text(TICK_PX))
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .draw()?;
    }
    if let Some(o) = optimum {
        let span = [(o.lo as f64 - 0.5, 0.0), (o.hi as f64 + 0.5, ymax)];
        chart
            .draw_series(std::iter::once(Rectangle::new(span, c.mix(0.13).filled())))?
            .label(format!("optimum range (sizes {}–{})", o.lo, o.hi))
            .legend(move |p| legend_box(p, c.mix(0.13).filled()));
    }
    let xs: Vec<f64> = stats.iter().map(|s| s.size as f64).collect();
    let band = Band {
        mean: stats.iter().map(|s| s.mean).collect(),
        lo: stats.iter().map(|s| s.lo).collect(),
        hi: stats.iter().map(|s| s.hi).collect(),
    };
    draw_band_fill(&mut chart, &xs, &band, c)?;
    legend_entry(
        &mut chart,
        "95% interval of the mean",
        c.mix(BAND_ALPHA * 1.5).filled(),
    )?;
    let line = Line {
        colour: c,
        width: 2,
        dashed: false,
    };
    draw_line(
        &mut chart,
        &xs,
        &band.mean,
        line,
        Some("mean effectiveness"),
    )?;
    chart.draw_series(stats.iter().map(|s| {
        let st = if s.n >= 2 {
            c.filled()
        } else {
            c.stroke_width(2)
        };
        Circle::new((s.size as f64, s.mean), 4, st)
    }))?;
    if let Some((_, cov)) = coverage {
        draw_coverage(&mut chart, cov)?;
    }
    if let Some(o) = optimum {
        mark_optimum(&mut chart, stats, o, ymax)?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// The top-k coverage curve on the right axis: the share of the capability the k
/// largest states hold.
fn draw_coverage<'a, DB: DrawingBackend + 'a>(chart: &mut Dual<'a, DB>, cov: &[f64]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let pts: Vec<(f64, f64)> = cov
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(k, v)| ((k + 1) as f64, *v))
        .collect();
    let st = style::GREY.stroke_width(2);
    chart
        .draw_secondary_series(DashedLineSeries::new(pts.clone(), 6, 4, st))?
        .label("coverage of the top k states (right axis)")
        .legend(move |p| legend_line(p, st, true));
    chart.draw_secondary_series(pts.iter().map(|p| Circle::new(*p, 3, style::GREY.filled())))?;
    Ok(())
}

/// The optimum: a triangle on its mean and its label at the top.
fn mark_optimum<'a, DB: DrawingBackend + 'a>(
    chart: &mut Dual<'a, DB>,
    stats: &[SizeStat],
    o: Optimum,
    ymax: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let best = stats
        .iter()
        .find(|s| s.size == o.size)
        .map_or(0.0, |s| s.mean);
    chart.draw_series(std::iter::once(TriangleMarker::new(
        (o.size as f64, best),
        9,
        BLACK.filled(),
    )))?;
    let label = if o.lo == o.hi {
        format!("optimum {}", o.size)
    } else {
        format!("optimum {} ({}–{})", o.size, o.lo, o.hi)
    };
    chart.draw_series(std::iter::once(Text::new(
        label,
        (o.size as f64, ymax * 0.985),
        text(LABEL_PX).pos(Pos::new(HPos::Center, VPos::Top)),
    )))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn stat(size: u32, n: usize, mean: f64, half: f64) -> SizeStat {
        SizeStat {
            size,
            n,
            mean,
            lo: mean - half,
            hi: mean + half,
        }
    }

    #[test]
    fn optimum_is_best_mean_and_its_range_reaches_its_lower_bound() {
        // Best: size 5 (0.50 ± 0.05 → lower bound 0.45). Size 4 reaches 0.46 ≥ 0.45,
        // size 6 reaches 0.47, size 7 reaches only 0.44, size 3 only 0.30. Size 8 has a
        // higher mean but a single coalition, so it cannot be the optimum nor widen the
        // range.
        let stats = [
            stat(3, 10, 0.20, 0.10),
            stat(4, 10, 0.40, 0.06),
            stat(5, 10, 0.50, 0.05),
            stat(6, 10, 0.42, 0.05),
            stat(7, 10, 0.40, 0.04),
            SizeStat {
                size: 8,
                n: 1,
                mean: 0.9,
                lo: f64::NAN,
                hi: f64::NAN,
            },
        ];
        assert_eq!(
            optimum(&stats),
            Some(Optimum {
                size: 5,
                lo: 4,
                hi: 6
            })
        );
        assert_eq!(optimum(&stats[5..]), None);
    }

    #[test]
    fn size_stats_follow_the_moments() {
        let mut by: BTreeMap<u32, Moments> = BTreeMap::new();
        for (s, p) in [(2, 0.1), (2, 0.3), (4, 1.0)] {
            by.entry(s).or_default().push(p);
        }
        let st = size_stats(&by);
        assert_eq!(st.len(), 2);
        assert_eq!((st[0].size, st[0].n), (2, 2));
        assert!(close(st[0].mean, 0.2));
        assert!(st[0].lo < 0.2 && st[0].hi > 0.2);
        assert!(st[1].lo.is_nan());
    }

    #[test]
    fn coverage_is_the_share_of_the_k_largest() {
        let cov = coverage_top_k(&[1.0, 5.0, f64::NAN, 4.0], 4);
        assert!(close(cov[0], 0.5));
        assert!(close(cov[1], 0.9));
        assert!(close(cov[2], 1.0));
        assert!(close(cov[3], 1.0));
        assert!(coverage_top_k(&[0.0, 0.0], 2)[0].is_nan());
    }
}
