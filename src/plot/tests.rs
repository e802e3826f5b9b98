//! Tests of the chart API on small hand-made result directories.
use super::*;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const RUN_MANIFEST: &str = r#"{"command":"run","scenario_name":"tiny",
 "resolved_scenario":{"scenario":{"ticks":4},
  "issues":[{"name":"climate","capability":"emissions"},{"name":"trade","capability":"gdp"}],
  "bodies":[{"name":"UN"},{"name":"G20"}]}}"#;

/// A run's output: 2 runs, 4 ticks, two issues, two bodies.
fn run_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "manifest.json", RUN_MANIFEST);
    write(
        d,
        "runs.csv",
        "run,seed,progress_climate,progress_trade,deadlock_UN,deadlock_G20,deadlock_rate\n\
         0,1,0.3,0.5,0.9,1,0.95\n1,1,0.4,0.6,0.8,,0.8\n",
    );
    write(
        d,
        "summary.csv",
        "metric,n,mean,sd,p2_5,median,p97_5,ci95_low,ci95_high,runs\n\
         progress_climate,2,0.35,0.07,0.3,0.35,0.4,0.25,0.45,2\n\
         deadlock_UN,2,0.85,0.07,0.8,0.85,0.9,0.75,0.95,2\n\
         deadlock_G20,1,1,,1,1,1,,,2\n\
         deadlock_rate,2,0.875,0.1,0.8,0.875,0.95,0.7,1,2\n",
    );
    let mut ticks = String::from("tick,runs");
    let metrics = [
        "progress_climate",
        "produced_bodies_climate",
        "produced_coalitions_climate",
        "progress_trade",
        "produced_bodies_trade",
        "produced_coalitions_trade",
        "coalitions",
        "mean_size",
        "free_riding_rate",
        "fragmentation",
    ];
    for m in metrics {
        ticks.push_str(&format!(",{m},{m}_sd"));
    }
    ticks.push('\n');
    for t in 0..4 {
        ticks.push_str(&format!("{t},2"));
        for (k, _) in metrics.iter().enumerate() {
            ticks.push_str(&format!(",{},{}", 0.1 * (t + k) as f64, 0.05));
        }
        ticks.push('\n');
    }
    write(d, "ticks.csv", &ticks);
    let head = "run,id,issue,founder,leader_class,type,institutionalisation,founded,ended,reason,members,peak_size,progress,adopted,endorsed\n";
    let mut co = String::from(head);
    let rows = [
        (
            0,
            "climate",
            0,
            3,
            "United States;Japan;China;India;Brazil",
            3,
            0.10,
        ),
        (0, "climate", 1, 4, "Japan;China", 2, 0.02),
        (0, "trade", 0, 2, "China;India", 2, 0.04),
        (1, "climate", 0, 4, "India;Brazil;Japan", 3, 0.12),
        (1, "climate", 2, 4, "United States;Japan;China", 3, 0.08),
        (1, "trade", 1, 4, "Brazil;Japan;India;China", 4, 0.06),
        (1, "climate", 1, 3, "China;Japan", 2, 0.04),
    ];
    for (i, (run, issue, f, e, m, size, p)) in rows.iter().enumerate() {
        co.push_str(&format!(
            "{run},{i},{issue},X,great_power,issue,0.5,{f},{e},hazard,{m},{size},{p},1,0\n"
        ));
    }
    write(d, "coalitions.csv", &co);
    write(
        d,
        "states.csv",
        "state,iso3,region,population,great_power,challenger,non_state,labels,gdp,emissions\n\
         United States,USA,Americas,323,true,false,false,g7,17,5\n\
         China,CHN,Asia,1400,true,true,false,,16,11\n\
         Japan,JPN,Asia,127,true,false,false,g7,5,1\n\
         India,IND,Asia,1300,true,false,false,,7,3\n\
         Brazil,BRA,Americas,200,false,false,false,,3,\n",
    );
    tmp
}

/// The manifest of a grid sweep over `coalitions.max_size` and `behaviour.temperature`.
const GRID_MANIFEST: &str = r#"{"command":"sweep","scenario_name":"tiny",
 "resolved_scenario":{"issues":[{"name":"climate","capability":"emissions"}],"bodies":[{"name":"UN"}]},
 "sweep":{"params":["coalitions.max_size","behaviour.temperature"],"design":{"design":"grid"}}}"#;

/// The header of that sweep's `points.csv`.
const GRID_POINTS_HEADER: &str = "point,coalitions.max_size,behaviour.temperature,metric,n,mean,sd,p2_5,median,p97_5,ci95_low,ci95_high,runs\n";

/// A sweep's output: a 2 × 3 grid over two parameters.
fn sweep_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "manifest.json", GRID_MANIFEST);
    let mut p = String::from(GRID_POINTS_HEADER);
    let mut point = 0;
    for size in [4, 8] {
        for temp in [0.01, 0.05, 0.2] {
            for (m, v) in [
                ("progress_climate", 0.3 + 0.01 * size as f64 + temp),
                ("deadlock_rate", 0.9 - temp),
            ] {
                p.push_str(&format!(
                    "{point},{size},{temp},{m},5,{v},0.1,0,{v},1,{},{},5\n",
                    v - 0.05,
                    v + 0.05
                ));
            }
            point += 1;
        }
    }
    write(d, "points.csv", &p);
    write(
        d,
        "runs.csv",
        "point,replicate,seed,coalitions.max_size,behaviour.temperature,progress_climate\n",
    );
    tmp
}

fn stems(charts: &[Chart]) -> Vec<&str> {
    charts.iter().map(Chart::stem).collect()
}

#[test]
fn a_run_directory_gives_every_run_chart() {
    let dir = run_dir();
    let charts = charts(dir.path(), None).unwrap();
    assert_eq!(
        stems(&charts),
        vec![
            "size_effectiveness_climate",
            "size_effectiveness_trade",
            "progress",
            "coalitions_over_time",
            "size_histogram",
            "timeline_run0",
            "deadlock_by_body",
            "free_riding_fragmentation",
        ]
    );
    let Spec::SizeEffect(size_effect::SizeEffect {
        stats, coverage, ..
    }) = &charts[0].spec
    else {
        panic!("first chart is size_effectiveness");
    };
    // climate: size 2 → 0.02, 0.04; size 3 → 0.10, 0.12, 0.08.
    assert_eq!(
        stats.iter().map(|s| (s.size, s.n)).collect::<Vec<_>>(),
        vec![(2, 2), (3, 3)]
    );
    assert!((stats[1].mean - 0.1).abs() < 1e-12);
    // Emissions 5, 11, 1, 3 and a blank: top 1 = 11/20, top 3 = 19/20.
    let (cap, cov) = coverage.as_ref().unwrap();
    assert_eq!(cap, "emissions");
    assert!((cov[0] - 0.55).abs() < 1e-12 && (cov[2] - 0.95).abs() < 1e-12);
    let Spec::Timeline(timeline::Timeline { bars, .. }) = &charts[5].spec else {
        panic!("timeline");
    };
    // Run 0 only, climate first, labels from iso3.
    assert_eq!(bars.len(), 3);
    assert_eq!(bars[0].label, "USA, JPN, CHN +2");
    assert_eq!(bars[2].label, "CHN, IND");
    let Spec::Deadlock(deadlock::Deadlock { bodies }) = &charts[6].spec else {
        panic!("deadlock");
    };
    assert_eq!(
        bodies.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
        ["UN", "G20"]
    );
}

#[test]
fn every_chart_draws_as_svg_with_its_title_and_axis_labels() {
    let (run, sweep) = (run_dir(), sweep_dir());
    let mut all = charts(run.path(), None).unwrap();
    all.extend(charts(sweep.path(), None).unwrap());
    let labels = [
        ("size_effectiveness", "coalition size (peak members)"),
        ("progress", "progress (cumulative)"),
        ("coalitions_over_time", "active coalitions"),
        ("size_histogram", "coalitions (all runs)"),
        ("timeline", "tick"),
        ("deadlock_by_body", "deadlock rate"),
        ("free_riding_fragmentation", "rate / index"),
        ("sweep_", "coalitions.max_size"),
        ("heatmap_", "behaviour.temperature"),
    ];
    for c in &all {
        let svg = c.svg().unwrap();
        assert!(svg.starts_with("<svg"), "{}", c.stem());
        assert!(svg.trim_end().ends_with("</svg>"), "{}", c.stem());
        assert!(svg.contains(c.title()), "{} lacks its title", c.stem());
        let (_, label) = labels
            .iter()
            .find(|(p, _)| c.stem().starts_with(p))
            .unwrap();
        assert!(svg.contains(label), "{} lacks {label:?}", c.stem());
        assert!(!c.caption().is_empty());
    }
    assert!(stems(&all).contains(&"heatmap_progress_climate"));
    assert!(stems(&all).contains(&"sweep_deadlock_rate_vs_behaviour_temperature"));

    // A scenario without bodies: no deadlock or minilateral-share charts.
    let manifest = sweep.path().join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(r#""bodies":[{"name":"UN"}]"#, r#""bodies":[]"#),
    )
    .unwrap();
    let without = charts(sweep.path(), None).unwrap();
    assert!(stems(&without).contains(&"heatmap_progress_climate"));
    assert!(
        !stems(&without)
            .iter()
            .any(|s| s.contains("deadlock") || s.contains("minilateral"))
    );
}

#[test]
fn png_is_a_real_picture() {
    let dir = run_dir();
    let chart = &charts(dir.path(), None).unwrap()[0];
    let path = dir.path().join("c.png");
    chart.png(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(bytes.len() > 5_000);
    // The same drawing into memory has many colours, not a blank canvas.
    style::ensure_font().unwrap();
    let (w, h) = style::SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let backend = plotters::backend::BitMapBackend::with_buffer(&mut buf, (w, h));
        chart.draw(backend).unwrap();
    }
    let mut colours: Vec<&[u8]> = buf.chunks(3).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 20, "{} colours", colours.len());
}

#[test]
fn plot_dir_writes_every_chart_and_no_partial_files() {
    let dir = run_dir();
    let written = plot_dir(dir.path(), Format::Both, Some(1)).unwrap();
    assert_eq!(written.len(), 16);
    assert!(written.iter().all(|p| p.is_file()));
    assert!(dir.path().join("charts/timeline_run1.svg").is_file());
    let names: Vec<String> = std::fs::read_dir(dir.path().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 16, "{names:?}");
    assert!(names.iter().all(|n| !n.contains("partial")));
}

#[test]
fn a_run_missing_from_coalitions_csv_is_an_error() {
    let dir = run_dir();
    let err = charts(dir.path(), Some(9)).unwrap_err().to_string();
    assert!(
        err.contains("coalitions.csv: run 9 does not appear"),
        "{err}"
    );
}

#[test]
fn a_directory_without_results_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "hello");
    let err = charts(dir.path(), None).unwrap_err();
    assert!(matches!(err, PlotError::NoResults { .. }));
    assert!(err.to_string().contains("no minilat results here"), "{err}");
}

#[test]
fn a_bad_cell_names_the_file_column_and_value() {
    let dir = run_dir();
    std::fs::remove_file(dir.path().join("summary.csv")).unwrap();
    write(
        dir.path(),
        "runs.csv",
        "run,seed,deadlock_UN\n0,1,0.5\n1,1,abc\n",
    );
    let err = charts(dir.path(), None).unwrap_err().to_string();
    let want = format!(
        "{}: line 3: column deadlock_UN: not a number: \"abc\"",
        dir.path().join("runs.csv").display()
    );
    assert_eq!(err, want);
}

#[test]
fn files_that_do_not_allow_a_chart_skip_it() {
    let dir = run_dir();
    for f in ["coalitions.csv", "states.csv"] {
        std::fs::remove_file(dir.path().join(f)).unwrap();
    }
    let charts = charts(dir.path(), None).unwrap();
    let s = stems(&charts);
    assert!(
        !s.iter()
            .any(|s| s.starts_with("size_") || s.starts_with("timeline"))
    );
    assert!(s.contains(&"progress") && s.contains(&"deadlock_by_body"));
}

#[test]
fn all_form_ticks_are_averaged() {
    let dir = run_dir();
    write(
        dir.path(),
        "ticks.csv",
        "run,tick,coalitions,mean_size,free_riding_rate\n0,0,1,2,0.1\n0,1,3,4,0.2\n1,0,3,2,0.3\n1,1,5,6,0.4\n",
    );
    let charts = charts(dir.path(), None).unwrap();
    let c = charts
        .iter()
        .find(|c| c.stem() == "coalitions_over_time")
        .unwrap();
    let Spec::CoalitionsOverTime(coalitions_over_time::CoalitionsOverTime { ticks, count, .. }) =
        &c.spec
    else {
        panic!("coalitions_over_time");
    };
    assert_eq!(ticks, &vec![0.0, 1.0]);
    assert_eq!(count.mean, vec![2.0, 4.0]);
    assert!(c.svg().is_ok());
}

#[test]
fn a_behaviour_rules_tick_columns_get_one_chart_each() {
    let dir = run_dir();
    write(
        dir.path(),
        "ticks.csv",
        "run,tick,coalitions,mean_size,energy,concentration\n0,0,1,2,-3,0.3\n0,1,3,4,-5,0.5\n1,0,3,2,-1,0.5\n1,1,5,6,-7,0.9\n",
    );
    let charts = charts(dir.path(), None).unwrap();
    let rule: Vec<&Chart> = charts
        .iter()
        .filter(|c| c.stem().starts_with("rule_"))
        .collect();
    assert_eq!(
        rule.iter().map(|c| c.stem()).collect::<Vec<_>>(),
        ["rule_concentration", "rule_energy"]
    );
    let Spec::RuleOverTime(rule_over_time::RuleOverTime { band, metric, .. }) = &rule[1].spec
    else {
        panic!("rule_energy");
    };
    assert_eq!(metric, "energy");
    assert_eq!(band.mean, vec![-2.0, -6.0]);
    // Negative values get a negative axis; the SVG names the measure.
    let svg = rule[1].svg().unwrap();
    assert!(svg.contains("energy"), "{svg}");
}

#[test]
fn a_sweep_of_more_points_than_drawn_is_binned_and_its_bins_average_the_points() {
    // A 100 × 50 grid (5,000 points): progress = size / 100 + temperature.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "manifest.json", GRID_MANIFEST);
    let mut p = String::from(GRID_POINTS_HEADER);
    let mut point = 0;
    for size in 0..100 {
        for t in 0..50 {
            let temp = f64::from(t) / 49.0;
            let v = f64::from(size) / 100.0 + temp;
            p.push_str(&format!(
                "{point},{size},{temp},progress_climate,5,{v},0.1,0,{v},1,{v},{v},5\n"
            ));
            point += 1;
        }
    }
    assert!(point > MAX_DRAWN_POINTS);
    write(d, "points.csv", &p);
    let charts = charts(d, None).unwrap();
    assert_eq!(
        stems(&charts),
        [
            "sweep_progress_climate_vs_coalitions_max_size",
            "sweep_progress_climate_vs_behaviour_temperature",
            "heatmap_progress_climate",
        ]
    );
    let Spec::Sweep(sweep_metric::SweepMetric { series, mode, .. }) = &charts[0].spec else {
        panic!("a sweep chart");
    };
    assert_eq!(*mode, sweep_metric::SweepMode::Lines);
    // 100 sizes in 100 bins: one size per bin, averaged over the 50 temperatures
    // (mean 0.5), with a band of ± 1.96 sd of those 50 means.
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].points.len(), 100);
    let first = series[0].points[0];
    assert_eq!(first.x, 0.0);
    assert!((first.mean - 0.5).abs() < 1e-9, "{first:?}");
    assert!(first.lo < first.mean && first.hi > first.mean);
    let Spec::Heatmap(heatmap::Heatmap { xs, ys, cells, .. }) = &charts[2].spec else {
        panic!("a heatmap");
    };
    assert_eq!((xs.len(), ys.len(), cells.len()), (50, 50, 50));
    assert!(charts[0].caption().contains("binned"));
    // Each chart still draws.
    for c in &charts {
        c.svg().unwrap();
    }
}
