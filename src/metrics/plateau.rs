//! The best of a set of estimates, the ones statistically tied with it (the plateau),
//! and whether the best lies at an edge of what was tested: how the size-effectiveness
//! chart, the sweep charts, `minilat sweep`'s summary and `report.html` name a best
//! value (issue 20 item 3, "honest optima"). One computation, so the four agree.
//!
//! **The rule for ties.** Each estimate is a mean with its 95% confidence interval
//! `[lo, hi]`. Among estimates with a finite interval, the best is the highest mean
//! (the lowest, for a metric where less is better; equal means: the first in input
//! order). An estimate is tied with the best when its interval reaches the best's:
//! `hi ≥ best.lo` (for less is better, `lo ≤ best.hi`). The best is always tied with
//! itself.
//!
//! NOTE: this is the overlap rule of the size-effectiveness chart, kept rather than a
//! Welch test at 5%: it is more lenient (two intervals that just touch differ by about
//! 2.8 standard errors, a Welch test would call them different from about 1.96), so
//! the plateau errs on the wide side: an estimate is called worse than the best only
//! when the data say so plainly. It is not corrected for multiple comparisons.
//!
//! **Edges.** The best is at the top (bottom) edge when no tested estimate has a larger
//! (smaller) x: the curve may still rise beyond the range, so it is no optimum. A
//! plateau that reaches an edge says the same about the tied values.
//!
//! **Invariant:** estimates without a finite mean and interval (a single run or
//! coalition, NaN) are neither best nor tied; fewer than two such estimates at distinct
//! x give no best (nothing to compare).

/// A mean at one x with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Where: the swept value or the size (for a category, its index).
    pub x: f64,
    /// Mean.
    pub mean: f64,
    /// Lower bound of the 95% interval of the mean.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Estimate {
    /// Mean and interval are finite (an estimate that can be compared).
    pub fn is_tested(&self) -> bool {
        self.x.is_finite() && self.mean.is_finite() && self.lo.is_finite() && self.hi.is_finite()
    }
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// More is better (progress, effectiveness).
    Highest,
    /// Less is better (deadlock rate).
    Lowest,
}

/// Where the best lies in the tested range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// Strictly inside: an interior best, an optimum.
    Inside,
    /// At the smallest x tested.
    Bottom,
    /// At the largest x tested: the curve may still rise beyond it.
    Top,
}

/// The best estimate, those tied with it, and where they lie.
#[derive(Clone, Debug, PartialEq)]
pub struct Plateau {
    /// Index of the best estimate in the input.
    pub best: usize,
    /// Indexes of the estimates tied with it (the best included), in input order.
    pub tied: Vec<usize>,
    /// Where the best lies.
    pub edge: Edge,
    /// Smallest and largest x of the tied estimates.
    pub span: (f64, f64),
    /// Smallest and largest x tested (estimates with an interval).
    pub range: (f64, f64),
}

impl Plateau {
    /// The best is inside the tested range: an optimum.
    pub fn is_interior(&self) -> bool {
        self.edge == Edge::Inside
    }

    /// The tied estimates reach the smallest x tested.
    pub fn reaches_bottom(&self) -> bool {
        self.span.0 <= self.range.0
    }

    /// The tied estimates reach the largest x tested.
    pub fn reaches_top(&self) -> bool {
        self.span.1 >= self.range.1
    }

    /// Tested values between the tied ones that are not tied (the plateau has holes):
    /// the count of estimates with an interval whose x lies in `span` but which are not
    /// tied, given the same `estimates` the plateau was found in.
    pub fn gaps(&self, estimates: &[Estimate]) -> usize {
        estimates
            .iter()
            .enumerate()
            .filter(|(i, e)| {
                e.is_tested() && e.x >= self.span.0 && e.x <= self.span.1 && !self.tied.contains(i)
            })
            .count()
    }
}

/// Where the best lies along another axis: `xs[i]` is estimate `i`'s value on it
/// (e.g. one parameter of a sweep over several), the range that of the estimates with
/// an interval.
pub fn edge_along(p: &Plateau, estimates: &[Estimate], xs: &[f64]) -> Edge {
    let (lo, hi) = estimates
        .iter()
        .zip(xs)
        .filter(|(e, x)| e.is_tested() && x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, &x)| {
            (a.min(x), b.max(x))
        });
    let x = xs[p.best];
    if lo >= hi || !x.is_finite() {
        Edge::Inside
    } else if x >= hi {
        Edge::Top
    } else if x <= lo {
        Edge::Bottom
    } else {
        Edge::Inside
    }
}

/// "X (tied: A–B; at the top edge of the range: may do better beyond it)": the best
/// x and its plateau in words, `label(i)` naming estimate `i`'s x as written. A
/// numeric axis gives the tied span (or the tied values when some between them are
/// not tied) and the edge; a category axis (`numeric` false) lists the tied values and
/// has no edge.
pub fn describe(
    p: &Plateau,
    estimates: &[Estimate],
    label: &dyn Fn(usize) -> String,
    numeric: bool,
) -> String {
    let others: Vec<usize> = p.tied.iter().copied().filter(|&i| i != p.best).collect();
    let list = |ix: &[usize]| {
        let mut v: Vec<String> = ix.iter().take(8).map(|&i| label(i)).collect();
        if ix.len() > 8 {
            v.push(format!("… {} in all", ix.len()));
        }
        v.join(", ")
    };
    let tested = estimates.iter().filter(|e| e.is_tested()).count();
    if p.tied.len() == tested {
        return format!(
            "{} (all {tested} values tied: none is statistically better)",
            label(p.best)
        );
    }
    let tied = if others.is_empty() {
        "no other value tied".to_string()
    } else if numeric && p.gaps(estimates) == 0 {
        let at = |x: f64| {
            p.tied
                .iter()
                .copied()
                .find(|&i| estimates[i].x == x)
                .map_or_else(String::new, label)
        };
        format!("tied: {}–{}", at(p.span.0), at(p.span.1))
    } else {
        let mut ix = p.tied.clone();
        ix.sort_by(|&a, &b| estimates[a].x.total_cmp(&estimates[b].x));
        format!("tied: {}", list(&ix))
    };
    let edge = if !numeric {
        ""
    } else {
        match p.edge {
            Edge::Top => "; at the top edge of the range: may do better beyond it",
            Edge::Bottom => "; at the bottom edge of the range: may do better below it",
            Edge::Inside if p.reaches_top() => "; the plateau reaches the top edge of the range",
            Edge::Inside if p.reaches_bottom() => {
                "; the plateau reaches the bottom edge of the range"
            }
            Edge::Inside => "; inside the range",
        }
    };
    format!("{} ({tied}{edge})", label(p.best))
}

/// The best of `estimates` by `goal`, the estimates tied with it and its edge (module
/// doc: the rule). `None` when fewer than two estimates with an interval lie at
/// distinct x.
pub fn plateau(estimates: &[Estimate], goal: Goal) -> Option<Plateau> {
    let tested = || estimates.iter().enumerate().filter(|(_, e)| e.is_tested());
    let (lo_x, hi_x) = tested().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, e)| {
        (a.min(e.x), b.max(e.x))
    });
    // NaN-free by `is_tested`; fewer than two distinct x (or none) leave nothing to
    // compare.
    if lo_x >= hi_x {
        return None;
    }
    let better = |a: &Estimate, b: &Estimate| match goal {
        Goal::Highest => a.mean > b.mean,
        Goal::Lowest => a.mean < b.mean,
    };
    let mut best: Option<(usize, &Estimate)> = None;
    for (i, e) in tested() {
        if best.is_none_or(|(_, b)| better(e, b)) {
            best = Some((i, e));
        }
    }
    let (best, b) = best?;
    let tied: Vec<usize> = tested()
        .filter(|(_, e)| match goal {
            Goal::Highest => e.hi >= b.lo,
            Goal::Lowest => e.lo <= b.hi,
        })
        .map(|(i, _)| i)
        .collect();
    let span = tied
        .iter()
        .map(|&i| estimates[i].x)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, c), x| {
            (a.min(x), c.max(x))
        });
    let edge = if b.x >= hi_x {
        Edge::Top
    } else if b.x <= lo_x {
        Edge::Bottom
    } else {
        Edge::Inside
    };
    Some(Plateau {
        best,
        tied,
        edge,
        span,
        range: (lo_x, hi_x),
    })
}

/// Which way is better for a metric of minilat's outputs, by its name: progress on an
/// issue, participation and mean or total welfare are better higher; deadlock, free
/// riding, take-up failures and time to solve lower. `None` for the rest (shares,
/// counts, sizes, lifetimes, `progress_led_by_powers`), which have no better direction
/// and get no best.
pub fn goal_of(metric: &str) -> Option<Goal> {
    const HIGHER: [&str; 2] = ["progress_", "participation_"];
    const HIGHER_EXACT: [&str; 2] = ["welfare_mean", "welfare_total"];
    const LOWER: [&str; 2] = ["deadlock_", "time_to_solve_"];
    const LOWER_EXACT: [&str; 2] = ["free_riding_rate", "take_up_failure"];
    if metric == "progress_led_by_powers" {
        None
    } else if HIGHER.iter().any(|p| metric.starts_with(p)) || HIGHER_EXACT.contains(&metric) {
        Some(Goal::Highest)
    } else if LOWER.iter().any(|p| metric.starts_with(p)) || LOWER_EXACT.contains(&metric) {
        Some(Goal::Lowest)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(x: f64, mean: f64, half: f64) -> Estimate {
        Estimate {
            x,
            mean,
            lo: mean - half,
            hi: mean + half,
        }
    }

    fn check(estimates: &[Estimate], goal: Goal, expect: Option<(usize, &[usize], Edge)>) {
        let got = plateau(estimates, goal);
        assert_eq!(
            got.as_ref().map(|p| (p.best, p.tied.as_slice(), p.edge)),
            expect,
            "{got:?}"
        );
    }

    #[test]
    fn an_interior_best_is_an_optimum_with_the_values_whose_interval_reaches_it() {
        // Best x = 5 (0.50 ± 0.05, lower bound 0.45): x = 4 reaches 0.46 and x = 6
        // 0.47, tied; x = 7 reaches only 0.44 and x = 3 0.30.
        let e = [
            est(3.0, 0.20, 0.10),
            est(4.0, 0.40, 0.06),
            est(5.0, 0.50, 0.05),
            est(6.0, 0.42, 0.05),
            est(7.0, 0.40, 0.04),
        ];
        check(&e, Goal::Highest, Some((2, &[1, 2, 3], Edge::Inside)));
        let p = plateau(&e, Goal::Highest).unwrap();
        assert!(p.is_interior() && !p.reaches_top() && !p.reaches_bottom());
        assert_eq!((p.span, p.range), ((4.0, 6.0), (3.0, 7.0)));
        assert_eq!(p.gaps(&e), 0);
    }

    #[test]
    fn a_best_at_the_largest_value_tested_is_at_the_top_edge() {
        // A curve cut off by the cap: still rising at 20.
        let e = [
            est(4.0, 0.07, 0.01),
            est(8.0, 0.09, 0.01),
            est(12.0, 0.10, 0.01),
            est(20.0, 0.11, 0.01),
        ];
        check(&e, Goal::Highest, Some((3, &[2, 3], Edge::Top)));
        let p = plateau(&e, Goal::Highest).unwrap();
        assert!(!p.is_interior() && p.reaches_top() && !p.reaches_bottom());
        // Input order does not matter.
        let rev: Vec<Estimate> = e.iter().rev().copied().collect();
        check(&rev, Goal::Highest, Some((0, &[0, 1], Edge::Top)));
    }

    #[test]
    fn a_best_at_the_smallest_value_tested_is_at_the_bottom_edge() {
        let e = [
            est(2.0, 0.9, 0.05),
            est(3.0, 0.5, 0.05),
            est(4.0, 0.3, 0.05),
        ];
        check(&e, Goal::Highest, Some((0, &[0], Edge::Bottom)));
        assert!(plateau(&e, Goal::Highest).unwrap().reaches_bottom());
        // Less is better: the lowest mean is best, at the top edge.
        check(&e, Goal::Lowest, Some((2, &[2], Edge::Top)));
    }

    #[test]
    fn equal_means_are_tied_and_the_first_is_best() {
        let e = [est(1.0, 0.5, 0.1), est(2.0, 0.5, 0.1), est(3.0, 0.1, 0.1)];
        check(&e, Goal::Highest, Some((0, &[0, 1], Edge::Bottom)));
        // A plateau with a hole: x = 2 falls short, x = 3 reaches the best's bound.
        let holed = [est(1.0, 0.5, 0.1), est(2.0, 0.1, 0.1), est(3.0, 0.45, 0.1)];
        let p = plateau(&holed, Goal::Highest).unwrap();
        assert_eq!((p.tied.as_slice(), p.gaps(&holed)), (&[0, 2][..], 1));
    }

    #[test]
    fn estimates_without_an_interval_are_neither_best_nor_tied_and_fewer_than_two_give_none() {
        let single = Estimate {
            x: 9.0,
            mean: 0.9,
            lo: f64::NAN,
            hi: f64::NAN,
        };
        let e = [est(1.0, 0.2, 0.04), est(2.0, 0.3, 0.05), single];
        // The best is the largest x with an interval: at the top edge.
        check(&e, Goal::Highest, Some((1, &[1], Edge::Top)));
        check(&e[1..], Goal::Highest, None);
        check(&[], Goal::Highest, None);
        // Two estimates at the same x: nothing to compare along x.
        check(
            &[est(1.0, 0.2, 0.1), est(1.0, 0.3, 0.1)],
            Goal::Highest,
            None,
        );
    }

    #[test]
    fn the_plateau_is_described_with_its_span_and_edge() {
        let e = [
            est(4.0, 0.07, 0.01),
            est(8.0, 0.09, 0.01),
            est(12.0, 0.10, 0.01),
            est(20.0, 0.11, 0.01),
        ];
        let label = |i: usize| format!("{}", e[i].x);
        let p = plateau(&e, Goal::Highest).unwrap();
        assert_eq!(
            describe(&p, &e, &label, true),
            "20 (tied: 12–20; at the top edge of the range: may do better beyond it)"
        );
        let inner = [est(1.0, 0.05, 0.01), e[1], e[2], est(30.0, 0.05, 0.01)];
        let p = plateau(&inner, Goal::Highest).unwrap();
        let label = |i: usize| format!("{}", inner[i].x);
        assert_eq!(
            describe(&p, &inner, &label, true),
            "12 (tied: 8–12; inside the range)"
        );
        assert_eq!(describe(&p, &inner, &label, false), "12 (tied: 8, 12)");
        // Along another axis: the best's value there is its largest.
        assert_eq!(edge_along(&p, &inner, &[0.0, 1.0, 2.0, 1.0]), Edge::Top);
        assert_eq!(edge_along(&p, &inner, &[0.0, 1.0, 1.0, 2.0]), Edge::Inside);
    }

    #[test]
    fn metrics_know_which_way_is_better() {
        assert_eq!(goal_of("progress_climate"), Some(Goal::Highest));
        assert_eq!(goal_of("deadlock_rate"), Some(Goal::Lowest));
        assert_eq!(goal_of("free_riding_rate"), Some(Goal::Lowest));
        assert_eq!(goal_of("minilateral_share"), None);
        assert_eq!(goal_of("coalitions_formed"), None);
        assert_eq!(goal_of("progress_led_by_powers"), None);
        assert_eq!(goal_of("welfare_gini"), None);
        assert_eq!(goal_of("welfare_mean"), Some(Goal::Highest));
    }
}
