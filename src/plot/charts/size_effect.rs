//! `size_effectiveness_<issue>`: how much progress coalitions of each peak size
//! produced (mean over every coalition of that size in all runs, with its 95%
//! interval), the best size and the sizes statistically tied with it (the plateau,
//! `metrics::plateau`), and how much of the issue's capability the k largest states
//! hold. A best size is called an optimum only inside the sizes tested: at the largest
//! size (the cap, or the largest coalitions formed) the curve is cut off and is labelled
//! as still rising there; at the smallest, as best at the smallest size tested.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::metrics::plateau::{self, Edge, Estimate, Goal};
use crate::output::manifest::StateFacts;
use crate::plot::axes::{
    DrawResult, Line, best_marker, draw_band_fill, draw_legend, draw_line, int_label, legend_box,
    legend_entry, legend_line, mesh, num_label, text, upper,
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

/// The best size, the sizes statistically tied with it and where it lies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestSize {
    /// Size with the highest mean (among sizes with n ≥ 2).
    pub size: u32,
    /// Smallest size tied with it (its CI upper bound reaches the best's lower bound).
    pub lo: u32,
    /// Largest such size.
    pub hi: u32,
    /// Where the best lies among the sizes with an interval: only `Inside` is an
    /// optimum.
    pub edge: Edge,
    /// The best size is the scenario's cap on coalition size.
    pub at_cap: bool,
    /// The best size is every state: no larger coalition exists.
    pub everyone: bool,
}

impl BestSize {
    /// The label on the chart: "optimum 5 (tied 4–6)" inside, else where the best lies.
    pub fn label(&self) -> String {
        let tied = if self.lo == self.hi {
            String::new()
        } else {
            format!(" (tied {}–{})", self.lo, self.hi)
        };
        match self.edge {
            Edge::Inside => format!("optimum {}{tied}", self.size),
            Edge::Top if self.everyone => {
                format!("best with all {} states in{tied}", self.size)
            }
            Edge::Top if self.at_cap => {
                format!("still rising at the cap: best {}{tied}", self.size)
            }
            Edge::Top => format!("best at the largest size tested: {}{tied}", self.size),
            Edge::Bottom => format!("best at the smallest size tested: {}{tied}", self.size),
        }
    }

    /// The caption's sentence about the best size and its plateau.
    pub fn sentence(&self) -> String {
        let shaded = if self.lo == self.hi {
            "no other size's 95% interval reaches the best one's".to_string()
        } else {
            format!(
                "shaded: sizes {}–{}, whose 95% intervals reach the best one's, are statistically tied with it",
                self.lo, self.hi
            )
        };
        match self.edge {
            Edge::Inside => format!(
                "The optimum size is {}, inside the sizes tested ({shaded}).",
                self.size
            ),
            Edge::Top if self.everyone => format!(
                "There is no optimum inside the sizes tested: the best mean is at the largest size possible, all {} states, so effectiveness rises all the way to a coalition of everyone ({shaded}).",
                self.size
            ),
            Edge::Top => format!(
                "There is no optimum inside the sizes tested: the best mean is at {} {}, so effectiveness is still rising there and larger coalitions might do better ({shaded}).",
                if self.at_cap {
                    "the cap of"
                } else {
                    "the largest size with an interval,"
                },
                self.size
            ),
            Edge::Bottom => format!(
                "There is no optimum inside the sizes tested: the best mean is at the smallest size tested, {}, so smaller coalitions might do as well or better ({shaded}).",
                self.size
            ),
        }
    }
}

/// The best size among sizes with an interval (n ≥ 2) and the sizes tied with it, by
/// `metrics::plateau` (its rule); `cap` is the scenario's cap on coalition size,
/// `states` the number of states (0 if unknown). None if fewer than two sizes have an
/// interval.
pub fn best_size(stats: &[SizeStat], cap: Option<u32>, states: usize) -> Option<BestSize> {
    let estimates: Vec<Estimate> = stats
        .iter()
        .map(|s| Estimate {
            x: f64::from(s.size),
            mean: s.mean,
            lo: if s.n >= 2 { s.lo } else { f64::NAN },
            hi: if s.n >= 2 { s.hi } else { f64::NAN },
        })
        .collect();
    let p = plateau::plateau(&estimates, Goal::Highest)?;
    let size = stats[p.best].size;
    Some(BestSize {
        size,
        lo: p.span.0 as u32,
        hi: p.span.1 as u32,
        edge: p.edge,
        at_cap: cap == Some(size),
        everyone: states > 0 && size as usize == states,
    })
}

/// The chart's numbers for one issue.
#[derive(Clone, Debug)]
pub struct SizeEffect {
    /// The issue.
    pub issue: IssueRef,
    /// Per peak size, in size order.
    pub stats: Vec<SizeStat>,
    /// The best size and its plateau, if two sizes have an interval.
    pub best: Option<BestSize>,
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
        let best = best_size(&stats, ctx.manifest.coalition_cap(), states.len());
        let meta = &ctx.issues[issue];
        let max_size = stats.iter().map(|s| s.size).max().unwrap_or(1) as usize;
        let coverage = meta.capability.as_ref().and_then(|cap| {
            let values: Vec<f64> = states
                .iter()
                .filter_map(|s| s.capabilities.get(cap).copied())
                .collect();
            let cov = crate::output::coverage::top_k(&values, max_size);
            (!values.is_empty() && cov.iter().any(|v| v.is_finite())).then(|| (cap.clone(), cov))
        });
        let opt_text = best.map_or_else(
            || {
                "Fewer than two sizes have more than one coalition: too few to compare sizes."
                    .to_string()
            },
            |b| b.sentence(),
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
                best,
                coverage,
            }),
        });
    }
    out
}

impl SizeEffect {
    /// Mean effectiveness by size with its band, the best size marked and its plateau
    /// shaded, and the coverage curve on a right axis.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        size_effectiveness(
            area,
            self.issue.colour,
            &self.stats,
            self.best,
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
    best: Option<BestSize>,
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
        if best.is_some() { 0.22 } else { 0.1 },
    );
    let (x0, x1) = (min_size - 0.5, max_size + 0.5);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .right_y_label_area_size(if coverage.is_some() { 80 } else { 15 })
        .build_cartesian_2d(x0..x1, 0.0..ymax)?
        .set_secondary_coord(x0..x1, 0.0..coverage_top(coverage));
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
    if let Some(b) = best {
        let span = [(b.lo as f64 - 0.5, 0.0), (b.hi as f64 + 0.5, ymax)];
        let name = if b.lo == b.hi {
            format!("plateau: size {} alone", b.lo)
        } else {
            format!("plateau: sizes {}–{}, tied with the best", b.lo, b.hi)
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(span, c.mix(0.13).filled())))?
            .label(name)
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
    if let Some(b) = best {
        mark_best(&mut chart, stats, b, ymax)?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// The top of the right axis: 1.05, or above the highest coverage (with negative values
/// kept, `[data] negative = "keep"`, the top k can hold more than the net total).
fn coverage_top(coverage: Option<&(String, Vec<f64>)>) -> f64 {
    coverage
        .into_iter()
        .flat_map(|(_, cov)| cov.iter().copied())
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max)
        * 1.05
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

/// The best size: a triangle on its mean (hollow when it is at an edge, no optimum)
/// and its label at the top, kept inside the plot at an edge.
fn mark_best<'a, DB: DrawingBackend + 'a>(
    chart: &mut Dual<'a, DB>,
    stats: &[SizeStat],
    o: BestSize,
    ymax: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let best = stats
        .iter()
        .find(|s| s.size == o.size)
        .map_or(0.0, |s| s.mean);
    let at = (o.size as f64, best);
    best_marker(&mut *chart, at, o.edge == Edge::Inside)?;
    // At an edge the label ends (or starts) at the best size, so it stays on the plot.
    let (h, x) = match o.edge {
        Edge::Inside => (HPos::Center, o.size as f64),
        Edge::Top => (HPos::Right, o.size as f64 + 0.4),
        Edge::Bottom => (HPos::Left, o.size as f64 - 0.4),
    };
    chart.draw_series(std::iter::once(Text::new(
        o.label(),
        (x, ymax * 0.985),
        text(LABEL_PX).pos(Pos::new(h, VPos::Top)),
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
    fn an_interior_best_is_the_optimum_and_its_plateau_reaches_its_lower_bound() {
        // Best: size 5 (0.50 ± 0.05 → lower bound 0.45). Size 4 reaches 0.46 ≥ 0.45,
        // size 6 reaches 0.47, size 7 reaches only 0.44, size 3 only 0.30. Size 8 has a
        // higher mean but a single coalition, so it cannot be best nor widen the range.
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
        let b = best_size(&stats, Some(8), 0).unwrap();
        assert_eq!(
            b,
            BestSize {
                size: 5,
                lo: 4,
                hi: 6,
                edge: Edge::Inside,
                at_cap: false,
                everyone: false
            }
        );
        assert_eq!(b.label(), "optimum 5 (tied 4–6)");
        assert!(b.sentence().starts_with("The optimum size is 5"));
        assert_eq!(best_size(&stats[4..], Some(8), 0), None);
    }

    #[test]
    fn a_curve_cut_off_by_the_cap_is_still_rising_not_an_optimum() {
        // issue 20: naim's chart said "optimum 20 (19-20)" at its cap of 20.
        let stats = [
            stat(17, 40, 0.08, 0.01),
            stat(18, 40, 0.09, 0.01),
            stat(19, 40, 0.10, 0.01),
            stat(20, 40, 0.11, 0.01),
        ];
        let b = best_size(&stats, Some(20), 195).unwrap();
        assert_eq!(
            (b.size, b.lo, b.hi, b.edge, b.at_cap),
            (20, 19, 20, Edge::Top, true)
        );
        assert_eq!(b.label(), "still rising at the cap: best 20 (tied 19–20)");
        assert!(!b.label().contains("optimum"));
        assert!(
            b.sentence()
                .starts_with("There is no optimum inside the sizes tested")
        );
        assert!(b.sentence().contains("the cap of 20"));
        // Without the cap (or below it): the largest size with an interval.
        let b = best_size(&stats, None, 0).unwrap();
        assert_eq!(
            b.label(),
            "best at the largest size tested: 20 (tied 19–20)"
        );
        // issue 20: climate-club called all 15 regions the optimum.
        let b = best_size(&stats, Some(20), 20).unwrap();
        assert_eq!(b.label(), "best with all 20 states in (tied 19–20)");
        assert!(
            b.sentence()
                .contains("the largest size possible, all 20 states")
        );
        // Best at the smallest size.
        let falling: Vec<SizeStat> = stats
            .iter()
            .map(|s| SizeStat {
                mean: 0.3 - s.mean,
                lo: 0.3 - s.hi,
                hi: 0.3 - s.lo,
                ..*s
            })
            .collect();
        let b = best_size(&falling, Some(20), 0).unwrap();
        assert_eq!((b.size, b.edge), (17, Edge::Bottom));
        assert_eq!(
            b.label(),
            "best at the smallest size tested: 17 (tied 17–18)"
        );
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
}
