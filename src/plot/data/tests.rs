//! Unit tests of the chart data functions on hand-worked cases.
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
fn moments_give_mean_sd_and_interval() {
    let mut m = Moments::default();
    for x in [1.0, 2.0, 3.0, f64::NAN] {
        m.push(x);
    }
    assert_eq!(m.n, 3);
    assert!(close(m.mean(), 2.0));
    assert!(close(m.sd(), 1.0));
    let (lo, hi) = m.ci95();
    assert!(close(lo, 2.0 - Z95 / 3f64.sqrt()));
    assert!(close(hi, 2.0 + Z95 / 3f64.sqrt()));
    let mut one = Moments::default();
    one.push(5.0);
    assert!(one.ci95().0.is_nan());
}

#[test]
fn optimum_is_best_mean_and_its_range_reaches_its_lower_bound() {
    // Best: size 5 (0.50 ± 0.05 → lower bound 0.45). Size 4 reaches 0.46 ≥ 0.45, size
    // 6 reaches 0.47, size 7 reaches only 0.44, size 3 only 0.30. Size 8 has a higher
    // mean but a single coalition, so it cannot be the optimum nor widen the range.
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

fn row(a: &str, b: &str, mean: f64) -> PointRow {
    PointRow {
        params: vec![a.to_string(), b.to_string()],
        mean,
        lo: mean - 0.1,
        hi: mean + 0.1,
    }
}

#[test]
fn sweep_lines_are_one_per_combination_of_the_other_parameters() {
    let names = vec!["size".to_string(), "temp".to_string()];
    let rows = vec![
        row("8", "0.2", 3.0),
        row("4", "0.2", 1.0),
        row("8", "0.05", 4.0),
        row("4", "0.05", 2.0),
    ];
    let (mode, series, cats) = sweep_series(&rows, 0, &names, false);
    assert_eq!(mode, SweepMode::Lines);
    assert!(cats.is_empty());
    assert_eq!(series.len(), 2);
    // Sorted by the other parameter's numeric value; points sorted by x.
    assert_eq!(series[0].label, "temp = 0.05");
    assert_eq!(
        series[0]
            .points
            .iter()
            .map(|p| (p.x, p.mean))
            .collect::<Vec<_>>(),
        vec![(4.0, 2.0), (8.0, 4.0)]
    );
    assert_eq!(series[1].label, "temp = 0.2");
    // Scattered designs: one series of points.
    let (mode, series, _) = sweep_series(&rows, 0, &names, true);
    assert_eq!(mode, SweepMode::Points);
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].points.len(), 4);
}

#[test]
fn sweep_falls_back_to_points_beyond_six_combinations() {
    let names = vec!["a".to_string(), "b".to_string()];
    let rows: Vec<PointRow> = (0..7)
        .flat_map(|b| [row("1", &b.to_string(), 0.0), row("2", &b.to_string(), 1.0)])
        .collect();
    assert_eq!(sweep_series(&rows, 0, &names, false).0, SweepMode::Points);
    assert_eq!(
        sweep_series(&rows[..12], 0, &names, false).0,
        SweepMode::Lines
    );
}

#[test]
fn string_parameters_get_category_positions() {
    let (pos, cats) = axis_positions(&["qmv", "veto", "qmv", "unanimity"]);
    assert_eq!(pos, vec![0.0, 1.0, 0.0, 2.0]);
    assert_eq!(cats, vec!["qmv", "veto", "unanimity"]);
}

#[test]
fn heatmap_needs_every_combination() {
    let rows = vec![
        row("8", "0.2", 3.0),
        row("4", "0.2", 1.0),
        row("8", "0.05", 4.0),
        row("4", "0.05", 2.0),
    ];
    let (xs, ys, cells) = heatmap_grid(&rows).unwrap();
    assert_eq!(xs, vec![4.0, 8.0]);
    assert_eq!(ys, vec![0.05, 0.2]);
    assert_eq!(cells, vec![vec![2.0, 4.0], vec![1.0, 3.0]]);
    assert!(heatmap_grid(&rows[..3]).is_none());
    let mut dup = rows.clone();
    dup[3] = row("8", "0.2", 9.0);
    assert!(heatmap_grid(&dup).is_none());
}

#[test]
fn all_form_ticks_average_across_runs() {
    let ticks = [0.0, 1.0, 0.0, 1.0];
    let col = vec![1.0, 10.0, 3.0, f64::NAN];
    let (t, bands) = average_ticks(&ticks, &[col]);
    assert_eq!(t, vec![0.0, 1.0]);
    assert!(close(bands[0].mean[0], 2.0));
    assert!(close(bands[0].mean[1], 10.0));
    assert!(bands[0].lo[1].is_nan());
    assert!(close(bands[0].hi[0], 2.0 + Z95 * 2f64.sqrt() / 2f64.sqrt()));
}

#[test]
fn band_from_sd_uses_the_standard_error() {
    let b = Band::from_sd(&[1.0, 2.0], &[2.0, 1.0], &[4.0, 1.0]);
    assert!(close(b.lo[0], 1.0 - Z95));
    assert!(close(b.hi[0], 1.0 + Z95));
    assert!(b.lo[1].is_nan());
}

#[test]
fn names_and_numbers_are_made_readable() {
    assert_eq!(sanitize("coalitions.max_size"), "coalitions_max_size");
    assert_eq!(sanitize("bodies.UN.rule"), "bodies_UN_rule");
    assert_eq!(fmt_num(0.123456), "0.123");
    assert_eq!(fmt_num(20.0), "20");
    assert_eq!(fmt_num(0.05), "0.05");
    assert_eq!(fmt_num(1234.6), "1235");
    assert_eq!(padded_range([2.0, 2.0].into_iter(), 0.1), (1.8, 2.2));
}
