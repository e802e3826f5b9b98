//! `scenarios/microlateral.toml`: coalitions founded by small states (microlaterals)
//! against coalitions founded by one of the P5, 195 states with 2016 CINC, rivalry
//! between the USA, France and the UK on one side and China and Russia on the other.
//!
//! Each test states a mechanism as a property of the model and checks it on the
//! scenario's own 120-tick runs (great-power-led coalitions are few, about three per
//! run, so shorter runs would only need more of them). The means
//! and standard errors in the comments were measured with the CLI (`minilat run ...
//! --runs N`, same seed); every assertion allows 4 combined standard errors of Monte
//! Carlo error (a false failure about 3 times in 100,000 if the effect is real), and
//! the measured effects are 13 to 20 standard errors. Each test runs 500 to 1,000 runs,
//! 2 to 4 s in release mode on 2 cores. Positions and saliences are illustrative (no
//! measure of a stance on a generic crisis exists); the status quo is 0, below every
//! state.
//!
//! `adoption_great_power` is undefined (NaN, skipped by `mean_se`) in a run where no
//! great power founded a coalition (14 of 500 runs).

use minilat::metrics::RunSummary;
use minilat::scenario::Scenario;

use super::{assert_greater, column, load, mean_of, mean_se, summaries};

/// Mean and standard error of the per-run gap `adoption_microlateral −
/// adoption_great_power` (runs where both are defined): paired within runs.
fn adoption_gap(s: &Scenario, runs: &[RunSummary]) -> (f64, f64) {
    let micro = column(s, runs, "adoption_microlateral");
    let great = column(s, runs, "adoption_great_power");
    let gaps: Vec<f64> = micro.iter().zip(&great).map(|(m, g)| m - g).collect();
    let (m, se, _) = mean_se(&gaps);
    (m, se)
}

/// A rival great power rejects a rival-led proposal with the extra probability
/// `decision.rivalry` (0.5 here), and a consensus coalition fails on one rejection,
/// while the same great powers in a coalition led by a small state vote on the
/// merits. Microlaterals therefore adopt a larger share of their decisions. Measured
/// (500 runs): adoption_microlateral 0.769 (se 0.004, 496 runs), adoption_great_power
/// 0.630 (se 0.008, 486 runs): 16 standard errors.
#[test]
fn microlaterals_adopt_more_of_their_decisions_than_great_power_led_coalitions() {
    let s = load("microlateral", &[]);
    let runs = summaries(&s, 500);
    assert_greater(
        "adoption, microlateral vs great-power-led",
        mean_of(&s, &runs, "adoption_microlateral"),
        mean_of(&s, &runs, "adoption_great_power"),
        4.0,
    );
}

/// Rivalry is what vetoes great-power-led decisions: without it they adopt more.
/// Measured (500 runs each): adoption_great_power 0.745 (se 0.004, 497 runs) at
/// rivalry 0, 0.630 (se 0.008, 486 runs) at 0.5: 13.6 standard errors (microlaterals
/// move less: 0.791 and 0.769).
#[test]
fn rivalry_vetoes_decisions_of_great_power_led_coalitions() {
    let none = load("microlateral", &["decision.rivalry=0"]);
    let some = load("microlateral", &[]);
    let a = summaries(&none, 500);
    let b = summaries(&some, 500);
    assert_greater(
        "great-power-led adoption, rivalry 0 vs 0.5",
        mean_of(&none, &a, "adoption_great_power"),
        mean_of(&some, &b, "adoption_great_power"),
        4.0,
    );
}

/// The whole gap comes from the two mechanisms that follow the leader: rivalry
/// between great powers and the reluctance of a challenger (China or Russia) in the
/// chair. Without both the two leader classes adopt alike. Measured (500 runs each,
/// paired per-run gap): 0.138 (se 0.008, 482 runs) in the scenario, 0.004 (se 0.003,
/// 459 runs) at rivalry 0 and challenger_reluctance 0: 15 standard errors apart, the
/// second 1.5 standard errors from zero.
#[test]
fn without_rivalry_and_challenger_reluctance_the_gap_vanishes() {
    let base = load("microlateral", &[]);
    let none = load(
        "microlateral",
        &["decision.rivalry=0", "decision.challenger_reluctance=0"],
    );
    let a = summaries(&base, 500);
    let b = summaries(&none, 500);
    let gap_base = adoption_gap(&base, &a);
    let gap_none = adoption_gap(&none, &b);
    assert_greater(
        "adoption gap, scenario vs no rivalry and no reluctance",
        gap_base,
        gap_none,
        4.0,
    );
    assert!(
        gap_none.0.abs() < 4.0 * gap_none.1,
        "without rivalry and challenger reluctance the adoption gap should be within noise: \
         {:.4} (se {:.4})",
        gap_none.0,
        gap_none.1
    );
}

/// At full rivalry a great-power founder never invites a rival (its willingness is
/// 0) and the members never admit one, so its coalitions are no longer vetoed by
/// rivals and adopt a little more often than microlaterals (0.805 against 0.786): the
/// effect of rivalry on adoption is not monotonic (the sweep's curve). Measured (500
/// runs each): adoption_great_power 0.805 (se 0.004, 499 runs) at rivalry 1, 0.630
/// (se 0.008, 486 runs) at 0.5: 20 standard errors.
#[test]
fn at_full_rivalry_great_powers_shun_rivals_and_adopt_again() {
    let full = load("microlateral", &["decision.rivalry=1"]);
    let half = load("microlateral", &[]);
    let a = summaries(&full, 500);
    let b = summaries(&half, 500);
    assert_greater(
        "great-power-led adoption, rivalry 1 vs 0.5",
        mean_of(&full, &a, "adoption_great_power"),
        mean_of(&half, &b, "adoption_great_power"),
        4.0,
    );
}
