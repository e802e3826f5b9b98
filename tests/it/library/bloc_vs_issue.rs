//! `scenarios/bloc-vs-issue.toml`: 195 states with 2016 GDP and their real group
//! labels, one trade issue, bloc-type and issue-based coalitions with the SAME
//! dissolution hazard (0.01): do bloc coalitions outlast issue-based ones through
//! affinity alone?
//!
//! Each test states a mechanism as a property of the model and checks it on the
//! scenario's own 120-tick runs (lifetimes are censored at the end of the run, so the
//! run length is part of what is measured). The means and standard errors in the
//! comments were measured with the CLI (`minilat run ... --runs N`, same seed); every
//! comparison allows 4 combined standard errors of Monte Carlo error (a false failure
//! about 3 times in 100,000 if the effect is real), and the measured effects are 6 to
//! 8 standard errors. Each test runs 300 to 1,000 runs of 195 states, about 1 to 4 s
//! in release mode on 2 cores.

use minilat::metrics::RunSummary;
use minilat::scenario::Scenario;

use super::{assert_greater, column, load, mean_of, mean_se, summaries};
use crate::common::minilat;
use crate::repo;

/// Mean and standard error of the per-run gap `lifetime_bloc − lifetime_issue`
/// (paired within runs).
fn lifetime_gap(s: &Scenario, runs: &[RunSummary]) -> (f64, f64) {
    let bloc = column(s, runs, "lifetime_bloc");
    let issue = column(s, runs, "lifetime_issue");
    let gaps: Vec<f64> = bloc.iter().zip(&issue).map(|(b, i)| b - i).collect();
    let (m, se, _) = mean_se(&gaps);
    (m, se)
}

/// With equal hazards, bloc coalitions still outlast issue-based ones: members earn
/// `affinity_weight × cohesion` every tick, so fewer of them leave a cohesive
/// coalition and it falls below two members less often. Measured (300 runs):
/// lifetime_bloc 51.9 (se 0.48), lifetime_issue 47.7 (se 0.27): 7.5 standard errors.
#[test]
fn with_equal_hazards_bloc_coalitions_outlast_issue_coalitions() {
    let s = load("bloc-vs-issue", &[]);
    let runs = summaries(&s, 300);
    assert_greater(
        "lifetime, bloc vs issue-based (equal hazards)",
        mean_of(&s, &runs, "lifetime_bloc"),
        mean_of(&s, &runs, "lifetime_issue"),
        4.0,
    );
}

/// The gap is affinity's doing: it grows with the weight states give to affinity.
/// Measured (500 runs each, paired per-run gap): 4.43 ticks (se 0.43) at
/// affinity_weight 0.03, 0.69 (se 0.40) at 0: 6.3 standard errors.
#[test]
fn the_lifetime_gap_grows_with_the_affinity_weight() {
    let with = load("bloc-vs-issue", &[]);
    let without = load("bloc-vs-issue", &["payoffs.affinity_weight=0"]);
    let a = summaries(&with, 500);
    let b = summaries(&without, 500);
    assert_greater(
        "bloc - issue lifetime gap, affinity_weight 0.03 vs 0",
        lifetime_gap(&with, &a),
        lifetime_gap(&without, &b),
        4.0,
    );
}

/// Without affinity and with equal hazards the two types last about equally long.
/// A small gap remains, and it is an artefact of censoring, not of durability: bloc
/// coalitions are founded a little earlier in the run on average (tick 49 against
/// 51), and a coalition still active at the end counts only `ticks − founded`. Among
/// coalitions founded in the first 60 ticks, with lifetimes capped at 60, the gap is
/// 0.16 ticks (coalitions.csv, 2,000 runs). Measured gap (paired per run): 1.33 ticks
/// (se 0.30) over 1,000 runs, 1.28 (se 0.21) over 2,000, against lifetimes of about
/// 43 ticks; the bound 2.5 allows 4 standard errors of the 1,000-run mean around it.
#[test]
fn without_affinity_bloc_and_issue_coalitions_last_about_as_long() {
    let s = load("bloc-vs-issue", &["payoffs.affinity_weight=0"]);
    let runs = summaries(&s, 1000);
    let gap = lifetime_gap(&s, &runs);
    assert!(
        gap.0.abs() < 2.5,
        "without affinity the bloc - issue lifetime gap should be under 2.5 ticks: \
         {:.3} (se {:.3})",
        gap.0,
        gap.1
    );
}

/// Pooled dissolution rates by type from `lifetimes.csv` of `minilat run` with `runs`
/// runs and `sets`: `(rate, se)` for bloc and for issue-based coalitions, with
/// `se = rate / √dissolved` (Poisson count of dissolutions).
fn pooled_rates(runs: &str, sets: &[&str]) -> [(f64, f64); 2] {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let mut cmd = minilat(tmp.path());
    cmd.arg("run")
        .arg(repo("scenarios/bloc-vs-issue.toml"))
        .args(["--runs", runs, "--no-plots", "--quiet", "--out", "out"]);
    for s in sets {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
    let mut r =
        csv::Reader::from_path(tmp.path().join("out/lifetimes.csv")).expect("lifetimes.csv");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("a row")).collect();
    ["bloc", "issue"].map(|g| {
        let row = rows.iter().find(|x| &x[1] == g).expect("a row per type");
        let rate: f64 = row[5].parse().expect("a rate");
        let dissolved: f64 = row[3].parse().expect("a count");
        (rate, rate / dissolved.sqrt())
    })
}

/// The censoring-free measure agrees: without affinity the pooled dissolution rates
/// per tick at risk of the two types are equal (no 1.3-tick artefact), and with it
/// bloc coalitions dissolve more slowly. Measured: 500 runs at affinity 0, bloc
/// 0.01296 (se 0.00014 at 1,000 runs), issue 0.01310 (0.00007): 0.9 standard errors
/// apart; 300 runs at 0.03, bloc 0.00907 (0.00018), issue 0.01063 (0.00012): 7.3.
#[test]
fn pooled_dissolution_rates_are_equal_without_affinity_and_lower_for_blocs_with_it() {
    let [bloc, issue] = pooled_rates("500", &["payoffs.affinity_weight=0"]);
    let se = (bloc.1 * bloc.1 + issue.1 * issue.1).sqrt();
    assert!(
        (bloc.0 - issue.0).abs() < 4.0 * se,
        "without affinity: bloc {:.5} vs issue {:.5} (se {se:.5})",
        bloc.0,
        issue.0
    );
    let [bloc, issue] = pooled_rates("300", &[]);
    assert_greater(
        "dissolution rate, issue vs bloc (affinity 0.03)",
        issue,
        bloc,
        4.0,
    );
}
