//! `minilat analyze`: the estimators through the CLI on sweeps whose indices are known
//! in closed form (hand-made sweep directories in the design's own point order), PRIM
//! on a planted box, and a real sweep end to end (charts, report, determinism, errors).

use std::f64::consts::PI;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use minilat::analysis;

use crate::common::minilat;
use crate::fixtures::QUICKSTART;
use crate::repo;

/// A sweep directory as `minilat sweep` leaves it, as far as `analyze` reads it.
fn fake_sweep(dir: &Path, design: &str, extra: &str, params: &[&str], points: usize) {
    let params_json: Vec<String> = params.iter().map(|p| format!("{p:?}")).collect();
    fs::write(
        dir.join("manifest.json"),
        format!(
            r#"{{"command":"sweep","scenario_name":"closed-form","resolved_scenario":{{"issues":[]}},
 "sweep":{{"params":[{}],"points":{points},"design":{{"design":"{design}",{extra}}}}}}}"#,
            params_json.join(",")
        ),
    )
    .unwrap();
}

/// `points.csv` with one metric whose mean at point p is `y[p]`.
fn points_csv(dir: &Path, params: &[&str], units: &[f64], y: &[f64], metric: &str) {
    let d = params.len();
    let mut s = format!("point,{},metric,n,mean\n", params.join(","));
    for (p, v) in y.iter().enumerate() {
        let xs: Vec<String> = units[p * d..(p + 1) * d]
            .iter()
            .map(|u| u.to_string())
            .collect();
        let _ = writeln!(s, "{p},{},{metric},1,{v}", xs.join(","));
    }
    fs::write(dir.join("points.csv"), s).unwrap();
}

/// `sensitivity.csv` as (parameter, index) → (value, ci_low, ci_high).
fn read_indices(dir: &Path) -> Vec<(String, String, f64, f64, f64)> {
    let mut r = csv::Reader::from_path(dir.join("sensitivity.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let num = |i: usize| rec[i].parse::<f64>().unwrap_or(f64::NAN);
            (
                rec[0].to_string(),
                rec[2].to_string(),
                num(3),
                num(4),
                num(5),
            )
        })
        .collect()
}

fn index(rows: &[(String, String, f64, f64, f64)], p: &str, ix: &str) -> (f64, f64, f64) {
    let r = rows
        .iter()
        .find(|r| r.0 == p && r.1 == ix)
        .unwrap_or_else(|| panic!("no {ix} of {p}"));
    (r.2, r.3, r.4)
}

/// Ishigami, f = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [−π, π]³: S1 = (0.3139,
/// 0.4424, 0), ST = (0.5576, 0.4424, 0.2437) (Ishigami and Homma 1990). With N = 2^13
/// base rows the estimators' standard errors are below 0.01 (S1) and 0.005 (ST), so a
/// tolerance of 0.03 is three or more standard errors, and the 95% intervals must
/// cover the truth (this seed).
#[test]
fn sobol_indices_of_the_ishigami_function_match_the_closed_form() {
    let dir = tempfile::tempdir().unwrap();
    let (n, d, seed) = (8192, 3, 11);
    let params = ["x1", "x2", "x3"];
    let units = analysis::saltelli_design(n, d, seed);
    let y: Vec<f64> = units
        .chunks(d)
        .map(|u| {
            let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
            x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
        })
        .collect();
    fake_sweep(
        dir.path(),
        "sobol",
        &format!(r#""samples":{n},"seed":{seed}"#),
        &params,
        y.len(),
    );
    points_csv(dir.path(), &params, &units, &y, "ishigami");
    minilat(dir.path())
        .args([
            "analyze",
            ".",
            "--metric",
            "ishigami",
            "--no-plots",
            "--quiet",
        ])
        .assert()
        .success();
    let rows = read_indices(dir.path());
    let truth = [
        ("x1", 0.3139, 0.5576),
        ("x2", 0.4424, 0.4424),
        ("x3", 0.0, 0.2437),
    ];
    for (p, s1, st) in truth {
        for (ix, want) in [("S1", s1), ("ST", st)] {
            let (v, lo, hi) = index(&rows, p, ix);
            assert!(
                (v - want).abs() < 0.03,
                "{ix}({p}) = {v}, closed form {want}"
            );
            assert!(
                lo <= want && want <= hi,
                "{ix}({p}): [{lo}, {hi}] misses {want}"
            );
            assert!(hi - lo < 0.15, "{ix}({p}): interval [{lo}, {hi}] too wide");
        }
    }
}

/// Morris on a linear model of the unit coordinates, y = 2 u1 − 3 u2 + 0 u3: every
/// elementary effect of parameter i is its coefficient exactly, so μ = c, μ* = |c| and
/// σ = 0 (up to rounding), whatever the trajectories.
#[test]
fn morris_effects_of_a_linear_model_are_its_coefficients() {
    let dir = tempfile::tempdir().unwrap();
    let (r, d, levels, seed) = (30, 3, 4, 5);
    let params = ["a", "b", "c"];
    let units = analysis::morris_design(r, d, levels, seed);
    let y: Vec<f64> = units.chunks(d).map(|u| 2.0 * u[0] - 3.0 * u[1]).collect();
    fake_sweep(
        dir.path(),
        "morris",
        &format!(r#""trajectories":{r},"levels":{levels},"seed":{seed}"#),
        &params,
        y.len(),
    );
    points_csv(dir.path(), &params, &units, &y, "linear");
    minilat(dir.path())
        .args([
            "analyze",
            ".",
            "--metric",
            "linear",
            "--no-plots",
            "--quiet",
        ])
        .assert()
        .success();
    let rows = read_indices(dir.path());
    for (p, c) in [("a", 2.0), ("b", -3.0), ("c", 0.0)] {
        let close = |x: f64, want: f64| (x - want).abs() < 1e-9;
        assert!(close(index(&rows, p, "mu").0, c), "mu({p})");
        assert!(close(index(&rows, p, "mu_star").0, f64::abs(c)), "mu*({p})");
        assert!(close(index(&rows, p, "sigma").0, 0.0), "sigma({p})");
    }
}

/// PRIM finds a planted box: among 3,000 runs with three uniform parameters, the
/// outcome is high exactly inside [0.2, 0.6] × [0.5, 0.9] (the third parameter
/// irrelevant). With 5% peels the chosen box's bounds land within 0.05 of the planted
/// ones and its density is above 0.9.
#[test]
fn prim_finds_a_planted_box() {
    let dir = tempfile::tempdir().unwrap();
    let params = ["p", "q", "r"];
    let n = 3000;
    let units = uniform(n * 3, 99);
    let mut runs = String::from("point,replicate,seed,p,q,r,outcome\n");
    for i in 0..n {
        let (p, q, r) = (units[3 * i], units[3 * i + 1], units[3 * i + 2]);
        let inside = (0.2..=0.6).contains(&p) && (0.5..=0.9).contains(&q);
        let _ = writeln!(
            runs,
            "{i},0,1,{p},{q},{r},{}",
            if inside { 1.0 } else { 0.0 }
        );
    }
    fs::write(dir.path().join("runs.csv"), runs).unwrap();
    fake_sweep(dir.path(), "lhs", r#""samples":3000,"seed":1"#, &params, n);
    points_csv(dir.path(), &params, &units, &vec![0.0; n], "outcome");
    minilat(dir.path())
        .args(["analyze", ".", "--condition", "outcome > 0.5", "--no-plots"])
        .assert()
        .success()
        .stdout(predicates::str::contains("PRIM for outcome > 0.5"));
    let mut r = csv::Reader::from_path(dir.path().join("prim.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let chosen = r
        .records()
        .map(Result::unwrap)
        .find(|rec| &rec[2] == "true")
        .expect("a chosen box");
    let get = |name: &str| -> f64 {
        let k = headers.iter().position(|h| h == name).unwrap();
        chosen[k].parse().unwrap()
    };
    for (name, want) in [
        ("p_min", 0.2),
        ("p_max", 0.6),
        ("q_min", 0.5),
        ("q_max", 0.9),
    ] {
        assert!((get(name) - want).abs() < 0.05, "{name} = {}", get(name));
    }
    assert!(get("r_min") < 0.1 && get("r_max") > 0.9, "r is irrelevant");
    assert!(get("density") > 0.9);
}

/// `n` independent uniforms in [0, 1) (i.i.d. draws, the realistic case for PRIM).
fn uniform(n: usize, seed: u64) -> Vec<f64> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| rng.random::<f64>()).collect()
}

/// A real sobol sweep of the quickstart, analysed: indices for both parameters,
/// charts and the report's tables; the same results with 1 and 2 threads.
#[test]
fn a_real_sobol_sweep_is_analysed_with_charts_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("sobol-{threads}"));
        minilat(&repo(""))
            .args(["sweep", QUICKSTART, "--design", "sobol", "--samples", "16"])
            .args([
                "--vary",
                "decision.temperature=0.1..0.4",
                "--vary",
                "coalitions.max_size=3..20",
            ])
            .args([
                "--replicates",
                "2",
                "--set",
                "scenario.ticks=30",
                "--threads",
                threads,
            ])
            .args(["--quiet", "--no-plots", "--out"])
            .arg(&out)
            .assert()
            .success();
        minilat(&repo(""))
            .args([
                "analyze",
                "--bootstrap",
                "200",
                "--condition",
                "deadlock_rate < 0.9",
            ])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicates::str::contains("progress_climate (sobol design)"));
        outputs.push(out);
    }
    let read = |p: &Path| fs::read_to_string(p).unwrap();
    let (a, b) = (&outputs[0], &outputs[1]);
    assert_eq!(
        read(&a.join("sensitivity.csv")),
        read(&b.join("sensitivity.csv"))
    );
    assert_eq!(read(&a.join("prim.csv")), read(&b.join("prim.csv")));
    let rows = read_indices(a);
    // 2 parameters × (progress_climate, progress_trade, deadlock_rate, minilateral_share) × (S1, ST).
    assert_eq!(rows.len(), 2 * 4 * 2);
    assert!(a.join("charts/sensitivity_deadlock_rate.png").is_file());
    assert!(a.join("charts/prim_0.svg").is_file());
    let report = read(&a.join("report.html"));
    assert!(report.contains("Sensitivity indices") && report.contains("Scenario discovery (PRIM)"));
}

/// What `analyze` refuses, with exit code 2 and a message that says what to do.
#[test]
fn analyze_explains_what_it_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    minilat(&repo(""))
        .args([
            "run",
            QUICKSTART,
            "--runs",
            "2",
            "--quiet",
            "--no-plots",
            "--out",
        ])
        .arg(&run)
        .assert()
        .success();
    minilat(&repo(""))
        .arg("analyze")
        .arg(&run)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a sweep"));
    let grid = dir.path().join("grid");
    minilat(&repo(""))
        .args([
            "sweep",
            QUICKSTART,
            "--replicates",
            "1",
            "--set",
            "scenario.ticks=5",
        ])
        .args(["--quiet", "--no-plots", "--out"])
        .arg(&grid)
        .assert()
        .success();
    minilat(&repo(""))
        .arg("analyze")
        .arg(&grid)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("need a morris or sobol design"));
    minilat(&repo(""))
        .args(["analyze", "--condition", "deadlock_rate = 1"])
        .arg(&grid)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected METRIC OP NUMBER"));
    minilat(&repo(""))
        .args(["analyze", "--condition", "nonsense > 1"])
        .arg(&grid)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no metric \"nonsense\" in runs.csv",
        ));
}
