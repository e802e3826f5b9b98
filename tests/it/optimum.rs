//! `[sweep.optimum]`: every design point run at each value of one more parameter, and
//! `minilat analyze` naming each design point's best value, its plateau and its edge
//! (optimum.csv), with sensitivity indices of the optimum (issue 20 item 4).

use std::fs;
use std::path::Path;

use crate::common::minilat;
use crate::fixtures::QUICKSTART;
use crate::repo;

const MORRIS: &str = r#"
[sweep]
design = "morris"
trajectories = 2
replicates = 3
seed = 5

[sweep.params]
"coalitions.negotiation_cost" = { min = 0.0, max = 0.002 }
"behaviour.temperature" = { min = 0.01, max = 0.2 }

[sweep.optimum]
param = "coalitions.max_size"
values = [2, 4, 8]
metrics = ["progress_climate"]
"#;

fn sweep(dir: &Path, design: &str, out: &Path, threads: &str) {
    let file = dir.join("design.toml");
    fs::write(&file, design).unwrap();
    minilat(&repo(""))
        .args(["sweep", QUICKSTART, "--design-file"])
        .arg(&file)
        .args(["--set", "scenario.ticks=20", "--threads", threads])
        .args(["--no-plots", "--out"])
        .arg(out)
        .assert()
        .success();
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

#[test]
fn each_design_point_runs_at_every_value_and_gets_its_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        sweep(dir.path(), MORRIS, &out, threads);
        minilat(&repo(""))
            .args(["analyze", "--bootstrap", "100"])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicates::str::contains(
                "progress_climate: best coalitions.max_size over 6 design points",
            ))
            .stdout(predicates::str::contains(
                "optimum_progress_climate (morris design)",
            ));
        outs.push(out);
    }
    let (a, b) = (&outs[0], &outs[1]);
    for f in ["runs.csv", "optimum.csv", "sensitivity.csv"] {
        assert_eq!(read(&a.join(f)), read(&b.join(f)), "{f}");
    }
    // 2 trajectories x (2 + 1) design points x 3 caps, 3 replicates each: point p is
    // design point p / 3 at cap [2, 4, 8][p % 3], the design's values the same within.
    let mut runs = csv::Reader::from_path(a.join("runs.csv")).unwrap();
    let h = runs.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (point, cap, cost) = (
        col("point"),
        col("coalitions.max_size"),
        col("coalitions.negotiation_cost"),
    );
    let rows: Vec<csv::StringRecord> = runs.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6 * 3 * 3);
    for r in &rows {
        let p: usize = r[point].parse().unwrap();
        assert_eq!(&r[cap], ["2", "4", "8"][p % 3]);
        let first = rows
            .iter()
            .find(|q| q[point].parse::<usize>().unwrap() == p / 3 * 3)
            .unwrap();
        assert_eq!(r[cost], first[cost]);
    }
    // optimum.csv: one row per design point and metric; the best is one of the caps and
    // inside its plateau; the edge word follows the best.
    let mut opt = csv::Reader::from_path(a.join("optimum.csv")).unwrap();
    let h = opt.headers().unwrap().clone();
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [
            "design_point",
            "coalitions.negotiation_cost",
            "behaviour.temperature",
            "metric",
            "best",
            "best_mean",
            "best_ci95_low",
            "best_ci95_high",
            "plateau_low",
            "plateau_high",
            "tied",
            "tested",
            "edge"
        ]
    );
    let rows: Vec<csv::StringRecord> = opt.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    for r in &rows {
        let best: f64 = r[4].parse().unwrap();
        let (low, high): (f64, f64) = (r[8].parse().unwrap(), r[9].parse().unwrap());
        assert!(
            [2.0, 4.0, 8.0].contains(&best) && low <= best && best <= high,
            "{r:?}"
        );
        let edge = &r[12];
        let tied_all = r[10] == r[11];
        match () {
            _ if tied_all => assert_eq!(edge, "all_tied"),
            _ if best == 8.0 => assert_eq!(edge, "top"),
            _ if best == 2.0 => assert_eq!(edge, "bottom"),
            _ => assert_eq!(edge, "inside"),
        }
    }
    // Indices of the best value and the plateau's ends, per design parameter.
    let sens = read(&a.join("sensitivity.csv"));
    for m in ["optimum_", "plateau_low_", "plateau_high_"] {
        assert!(
            sens.contains(&format!(
                "coalitions.negotiation_cost,{m}progress_climate,mu_star"
            )),
            "{sens}"
        );
    }
    // Charts and the report.
    minilat(&repo("")).args(["plot"]).arg(a).assert().success();
    assert!(
        a.join("charts/optimum_progress_climate_vs_behaviour_temperature.png")
            .is_file()
    );
    assert!(
        a.join("charts/sensitivity_optimum_progress_climate.svg")
            .is_file()
    );
    let report = read(&a.join("report.html"));
    assert!(report.contains("<h2>Optima</h2>") && report.contains("id=\"optima\""));
}

#[test]
fn a_grid_with_an_optimum_gets_optima_without_indices() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid");
    let design = r#"
[sweep]
replicates = 2
[sweep.params]
"behaviour.temperature" = [0.01, 0.1]
[sweep.optimum]
param = "coalitions.max_size"
values = [2, 6]
"#;
    sweep(dir.path(), design, &out, "2");
    minilat(&repo(""))
        .args(["validate", QUICKSTART, "--design-file"])
        .arg(dir.path().join("design.toml"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "grid design over behaviour.temperature (2 points), each at 2 values of coalitions.max_size (optimum of progress_climate, progress_trade): 4 points x 2 replicates = 8 runs",
        ));
    // 2 x 2 points: the optimum's axis varies fastest.
    let points = read(&out.join("points.csv"));
    assert!(points.contains("\n3,0.1,6,"), "{points}");
    minilat(&repo(""))
        .arg("analyze")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "optima along coalitions.max_size",
        ))
        .stdout(predicates::str::contains(
            "progress_trade: best coalitions.max_size over 2 design points",
        ));
    assert!(out.join("optimum.csv").is_file());
    assert!(!out.join("sensitivity.csv").exists());
}

#[test]
fn optimum_mistakes_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[sweep.params]\n\"coalitions.max_size\" = [2, 4]\n[sweep.optimum]\nparam = \"coalitions.max_size\"\nvalues = [2, 4]\n",
            "sweep.optimum.param: this parameter is swept twice",
        ),
        (
            "[sweep.params]\n\"behaviour.temperature\" = [0.1]\n[sweep.optimum]\nparam = \"coalitions.max_size\"\nvalues = [2, 4]\nmetrics = [\"coalitions_mean\"]\n",
            "coalitions_mean has no better direction",
        ),
        (
            "[sweep.params]\n\"behaviour.temperature\" = [0.1]\n[sweep.optimum]\nparam = \"coalitions.max_size\"\nvalues = [2, 4]\nmetrics = [\"progress_nothing\"]\n",
            "sweep.optimum.metrics: unknown metric",
        ),
        (
            "[sweep.params]\n\"behaviour.temperature\" = [0.1]\n[sweep.optimum]\nparam = \"coalitions.max_size\"\n",
            "sweep.optimum.values: missing required field",
        ),
        (
            "[sweep.params]\n\"behaviour.temperature\" = [0.1]\n[sweep.optimum]\nparam = \"coalitions.max_size\"\nvalues = [2, 4]\nmetric = [\"progress_climate\"]\n",
            "sweep.optimum.metric: unknown field; did you mean \"metrics\"?",
        ),
    ];
    for (i, (design, expected)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("d{i}.toml"));
        fs::write(&file, design).unwrap();
        minilat(&repo(""))
            .args(["sweep", QUICKSTART, "--design-file"])
            .arg(&file)
            .arg("--out")
            .arg(dir.path().join(format!("o{i}")))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*expected));
    }
}
