//! PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting in
//! high-dimensional data", Statistics and Computing 9, 123–143), for scenario discovery
//! (Bryant & Lempert 2010; as in the EMA Workbench): find a box of input space where the
//! cases of interest are concentrated, by peeling small slices off a box one at a time.
//!
//! Only the top-down peeling phase is implemented (no pasting, no covering).

/// One box of the peeling trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimStep {
    /// Per dimension the closed interval `[lo, hi]` of the box. Bounds are coordinates of
    /// data points: a point is in the box when `lo <= x <= hi` in every dimension.
    pub bounds: Vec<(f64, f64)>,
    /// Cases of interest in the box / all cases of interest (NaN when there are none).
    pub coverage: f64,
    /// Cases of interest in the box / points in the box.
    pub density: f64,
    /// Number of points in the box.
    pub support: usize,
}

/// The peeling trajectory and the box chosen from it.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimResult {
    /// Boxes from the initial (bounding) box to the last peel, in order.
    pub trajectory: Vec<PrimStep>,
    /// Index into `trajectory` of the chosen box.
    pub chosen: usize,
}

/// PRIM peeling over `n` points `x` (row-major `n × d`, any real values; categorical
/// dimensions may be passed as numbers) with `y[k]` true for a case of interest.
///
/// Rules:
/// * Points with a NaN coordinate are left out entirely (they count in no total).
/// * The first box is the bounding box of all points.
/// * At each step, for every dimension and both sides, a candidate peel removes the
///   points of the box below the `alpha` quantile (low side) or above the `1 − alpha`
///   quantile (high side) of the box's values in that dimension: with the `m` values in
///   the box sorted, `k = max(1, ⌊alpha m⌋)`, the new low bound is the `k`-th smallest
///   value (0-based), i.e. the points strictly below it are removed (high side
///   symmetric). Ties can make a peel remove fewer points than `k`; when it would remove
///   none (the bound value is the minimum, e.g. a categorical dimension) the peel removes
///   exactly the points at the minimum instead, the new bound being the next larger
///   value. A dimension with one value left in the box cannot be peeled.
/// * A candidate is allowed only if the box keeps at least `min_support · n` points.
/// * Among allowed candidates the one giving the highest density of the remaining box is
///   taken (densities compared exactly as fractions); ties go to the smaller number of
///   points removed, then the lower dimension index, then the low side.
/// * Peeling stops when no allowed candidate raises the density strictly above the
///   current box's. So along the trajectory support and coverage never increase and
///   density strictly increases.
/// * `chosen` is the step with the highest density among those with coverage
///   `>= min_coverage`, or the last step if there is none.
///
/// Cost: each step sorts the box's values per dimension, `O(d m log m)` for `m` points in
/// the box.
///
/// # Panics
/// If `x.len() != y.len() * d` or `alpha` is not in `(0, 0.5)`.
///
/// NOTE: about 125 lines, kept whole on purpose: it is one peeling loop that follows
/// the steps above in order, and the tie-breaking rules read best next to each other.
pub fn prim(
    x: &[f64],
    y: &[bool],
    d: usize,
    alpha: f64,
    min_support: f64,
    min_coverage: f64,
) -> PrimResult {
    assert_eq!(
        x.len(),
        y.len() * d,
        "prim: {} labels need {} coordinates, got {}",
        y.len(),
        y.len() * d,
        x.len()
    );
    assert!(
        alpha > 0.0 && alpha < 0.5,
        "prim: alpha must be in (0, 0.5), got {alpha}"
    );
    let row = |k: usize| &x[k * d..(k + 1) * d];
    // Indices of the points in the current box.
    let mut inside: Vec<usize> = (0..y.len())
        .filter(|&k| row(k).iter().all(|v| !v.is_nan()))
        .collect();
    let n = inside.len();
    let total_cases = inside.iter().filter(|&&k| y[k]).count();
    let min_points = (min_support * n as f64).ceil().max(1.0) as usize;

    let mut bounds: Vec<(f64, f64)> = (0..d)
        .map(|j| {
            inside
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &k| {
                    (lo.min(x[k * d + j]), hi.max(x[k * d + j]))
                })
        })
        .collect();
    let mut cases = total_cases;
    let step = |bounds: &[(f64, f64)], cases: usize, support: usize| PrimStep {
        bounds: bounds.to_vec(),
        coverage: cases as f64 / total_cases as f64,
        density: if support == 0 {
            f64::NAN
        } else {
            cases as f64 / support as f64
        },
        support,
    };
    let mut trajectory = vec![step(&bounds, cases, n)];

    // Sorted (value, label) of the box's points in one dimension; reused.
    let mut column: Vec<(f64, bool)> = Vec::with_capacity(n);
    while inside.len() > min_points {
        let m = inside.len();
        let k = ((alpha * m as f64).floor() as usize).max(1);
        let mut best: Option<Peel> = None;
        for j in 0..d {
            column.clear();
            column.extend(inside.iter().map(|&p| (x[p * d + j], y[p])));
            column.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (min, max) = (column[0].0, column[m - 1].0);
            if min == max {
                continue;
            }
            // Low side: remove the points strictly below the new bound.
            let mut bound = column[k.min(m - 1)].0;
            if bound == min {
                bound = column[column.partition_point(|c| c.0 <= min)].0;
            }
            let removed = column.partition_point(|c| c.0 < bound);
            let removed_cases = column[..removed].iter().filter(|c| c.1).count();
            let low = Peel {
                dim: j,
                high: false,
                bound,
                removed,
                cases: cases - removed_cases,
            };
            // High side: remove the points strictly above the new bound.
            let mut bound = column[m - 1 - k.min(m - 1)].0;
            if bound == max {
                bound = column[column.partition_point(|c| c.0 < max) - 1].0;
            }
            let kept = column.partition_point(|c| c.0 <= bound);
            let removed_cases = column[kept..].iter().filter(|c| c.1).count();
            let high = Peel {
                dim: j,
                high: true,
                bound,
                removed: m - kept,
                cases: cases - removed_cases,
            };
            for peel in [low, high] {
                if m - peel.removed >= min_points
                    && best.as_ref().is_none_or(|b| peel.better_than(b, m))
                {
                    best = Some(peel);
                }
            }
        }
        // Stop unless the best peel strictly raises the density: c'/m' > c/m.
        let Some(peel) = best else { break };
        let support = m - peel.removed;
        if (peel.cases as u128) * (m as u128) <= (cases as u128) * (support as u128) {
            break;
        }
        let j = peel.dim;
        if peel.high {
            bounds[j].1 = peel.bound;
            inside.retain(|&p| x[p * d + j] <= peel.bound);
        } else {
            bounds[j].0 = peel.bound;
            inside.retain(|&p| x[p * d + j] >= peel.bound);
        }
        cases = peel.cases;
        debug_assert_eq!(inside.len(), support);
        trajectory.push(step(&bounds, cases, support));
    }

    let chosen = trajectory
        .iter()
        .enumerate()
        .filter(|(_, s)| s.coverage >= min_coverage)
        .max_by(|(ia, a), (ib, b)| a.density.total_cmp(&b.density).then(ib.cmp(ia)))
        .map_or(trajectory.len() - 1, |(i, _)| i);
    PrimResult { trajectory, chosen }
}

/// A candidate peel of the current box of `m` points.
struct Peel {
    dim: usize,
    /// Peel the high end (else the low end).
    high: bool,
    /// The new bound in `dim`.
    bound: f64,
    /// Points removed.
    removed: usize,
    /// Cases of interest left in the box.
    cases: usize,
}

impl Peel {
    /// Higher remaining density, then fewer points removed, then lower dimension, then low
    /// side. Densities `c/(m − r)` are compared by cross-multiplication, exactly.
    fn better_than(&self, other: &Peel, m: usize) -> bool {
        let lhs = self.cases as u128 * (m - other.removed) as u128;
        let rhs = other.cases as u128 * (m - self.removed) as u128;
        lhs.cmp(&rhs)
            .then(other.removed.cmp(&self.removed))
            .then(other.dim.cmp(&self.dim))
            .then(other.high.cmp(&self.high))
            .is_gt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// n = 2,000 uniform points in [0,1]^3, y = 1 inside [0.2,0.6] × [0.5,0.9] (any x3), 2%
    /// of labels flipped. The box holds 16% of the points (≈ 320); each peel removes 5% of
    /// the box, so a bound lands within about one slice of the true edge: near the end a
    /// slice of the box is ≈ 16 points over a 0.4-wide side, i.e. ≈ 0.02 wide, plus the
    /// sampling spread of the points' positions at the edge (spacing ≈ 1/√320 · 0.4 ≈
    /// 0.02). Hence the 0.05 tolerance. The chosen box (highest density with coverage >=
    /// 0.5) tends to sit a little inside the planted one, since peeling off a slice that
    /// holds a flipped label still raises density: over 30 data seeds the largest bound
    /// error had median 0.03 and exceeded 0.05 in 4 of 30 (at most 0.09); this fixed seed
    /// gives 0.033.
    #[test]
    fn finds_a_planted_box() {
        let n = 2000;
        let d = 3;
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let x: Vec<f64> = (0..n * d).map(|_| rng.random::<f64>()).collect();
        let y: Vec<bool> = x
            .chunks_exact(d)
            .map(|p| {
                let inside = (0.2..=0.6).contains(&p[0]) && (0.5..=0.9).contains(&p[1]);
                inside ^ (rng.random::<f64>() < 0.02)
            })
            .collect();
        let result = prim(&x, &y, d, 0.05, 0.05, 0.5);
        let t = &result.trajectory;
        for w in t.windows(2) {
            assert!(w[1].coverage <= w[0].coverage);
            assert!(w[1].density > w[0].density);
            assert!(w[1].support < w[0].support);
            for j in 0..d {
                assert!(w[1].bounds[j].0 >= w[0].bounds[j].0);
                assert!(w[1].bounds[j].1 <= w[0].bounds[j].1);
            }
        }
        assert_eq!(t[0].coverage, 1.0);
        assert!(t.last().unwrap().support >= 100);
        let best = &t[result.chosen];
        for (j, (lo, hi)) in [(0.2, 0.6), (0.5, 0.9)].into_iter().enumerate() {
            assert!((best.bounds[j].0 - lo).abs() < 0.05, "dim {j} lo");
            assert!((best.bounds[j].1 - hi).abs() < 0.05, "dim {j} hi");
        }
        // The irrelevant dimension keeps (nearly) its full range.
        assert!(
            best.bounds[2].0 < 0.1 && best.bounds[2].1 > 0.9,
            "{:?}",
            best.bounds[2]
        );
        assert!(best.density > 0.9);
        assert!(best.coverage >= 0.5);
        // Check the reported numbers against a direct count of the chosen box.
        let in_box =
            |p: &[f64]| (0..d).all(|j| best.bounds[j].0 <= p[j] && p[j] <= best.bounds[j].1);
        let support = x.chunks_exact(d).filter(|p| in_box(p)).count();
        let cases = x
            .chunks_exact(d)
            .zip(&y)
            .filter(|(p, c)| **c && in_box(p))
            .count();
        let all_cases = y.iter().filter(|c| **c).count();
        assert_eq!(support, best.support);
        assert_eq!(best.density, cases as f64 / support as f64);
        assert_eq!(best.coverage, cases as f64 / all_cases as f64);
    }

    #[test]
    fn categorical_dimension_and_stopping() {
        // Dim 0 categorical {0, 1, 2}; cases are exactly category 2 (a third of the points).
        let n = 300;
        let x: Vec<f64> = (0..n)
            .flat_map(|k| [(k % 3) as f64, k as f64 / n as f64])
            .collect();
        let y: Vec<bool> = (0..n).map(|k| k % 3 == 2).collect();
        let r = prim(&x, &y, 2, 0.05, 0.05, 0.5);
        let best = &r.trajectory[r.chosen];
        assert_eq!(best.bounds[0], (2.0, 2.0));
        assert_eq!(best.density, 1.0);
        assert_eq!(best.coverage, 1.0);
        // Whole categories were peeled (with ties the peel removes a whole level).
        assert_eq!(r.trajectory.len(), 3);
        // Pure box from the start: nothing raises the density, the trajectory is one box.
        let all = vec![true; n];
        let r = prim(&x, &all, 2, 0.05, 0.05, 0.5);
        assert_eq!(r.trajectory.len(), 1);
        assert_eq!(r.chosen, 0);
        // No cases: coverage NaN, the last (only) step is chosen.
        let none = vec![false; n];
        let r = prim(&x, &none, 2, 0.05, 0.05, 0.5);
        assert_eq!(r.trajectory.len(), 1);
        assert!(r.trajectory[0].coverage.is_nan());
    }

    #[test]
    fn min_support_stops_peeling() {
        let n = 1000;
        let x: Vec<f64> = (0..n).map(|k| k as f64).collect();
        // Density rises towards the top: y true for every k that is a multiple of 10 or
        // in the top 2%.
        let y: Vec<bool> = (0..n).map(|k| k % 10 == 0 || k >= 980).collect();
        let r = prim(&x, &y, 1, 0.1, 0.2, 0.0);
        assert!(r.trajectory.iter().all(|s| s.support >= 200));
        assert!(r.trajectory.len() > 1);
        // Deterministic.
        assert_eq!(r, prim(&x, &y, 1, 0.1, 0.2, 0.0));
    }
}
