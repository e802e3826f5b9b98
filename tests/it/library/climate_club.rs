//! `scenarios/climate-club.toml`: Nordhaus's 15 regions (GDP, CO2, bilateral trade),
//! an open climate club with a fixed target (`coalitions.depth`) and a penalty tariff
//! on the exports of regions in no climate coalition (`issues.climate.tariff`).
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60 --set
//! scenario.runs=200`, same seed); every assertion allows 4 combined standard errors
//! of Monte Carlo error (a false failure about 3 times in 100,000 if the effect is
//! real), and the measured effects are 10 to 130 standard errors. Each test runs 400
//! runs of 60 ticks among 15 regions, well under a second in release mode on 2 cores
//! (the CLI runs 500 runs of 120 ticks in 0.5 s).

use minilat::metrics::RunSummary;
use minilat::scenario::Scenario;

use super::{assert_greater, column, load, mean_se, summaries};
use crate::fixtures::SHORT;

/// Mean and standard error of summary column `name` over `runs`.
fn mean_of(s: &Scenario, runs: &[RunSummary], name: &str) -> (f64, f64) {
    let (m, se, _) = mean_se(&column(s, runs, name));
    (m, se)
}

/// Nordhaus's result: without a penalty, free-riding keeps large emitters out (a
/// member counts only 10% of the club's output as its own, and abatement costs it
/// its share of CO2); a tariff on non-members' exports makes staying out cost more
/// than abating. Participation, the club's abatement (progress, which grows with the
/// complying members' CO2 coverage) and mean welfare all rise with the tariff, at
/// the scenario's target (depth 0.35, about $50/tCO2). Measured (200 runs each):
/// participation 0.466 (se 0.012) without a tariff, 0.900 (se 0.007) at tariff 0.08
/// (about 11%), 32 standard errors; progress 0.072 (se 0.001) and 0.251 (se 0.001),
/// 130 standard errors; welfare_mean 0.012 (se 0.0004) and 0.055 (se 0.001), 44.
#[test]
fn a_penalty_tariff_draws_regions_into_the_club() {
    let none = load("climate-club", &[SHORT, "issues.climate.tariff=0"]);
    let high = load("climate-club", &[SHORT, "issues.climate.tariff=0.08"]);
    let a = summaries(&none, 200);
    let b = summaries(&high, 200);
    assert_greater(
        "participation, tariff 0.08 vs none",
        mean_of(&high, &b, "participation_climate"),
        mean_of(&none, &a, "participation_climate"),
        4.0,
    );
    assert_greater(
        "climate progress (abatement), tariff 0.08 vs none",
        mean_of(&high, &b, "progress_climate"),
        mean_of(&none, &a, "progress_climate"),
        4.0,
    );
    assert_greater(
        "mean welfare, tariff 0.08 vs none",
        mean_of(&high, &b, "welfare_mean"),
        mean_of(&none, &a, "welfare_mean"),
        4.0,
    );
}

/// A higher target raises every member's abatement cost in proportion while the
/// tariff it spares stays the same, so at a given tariff fewer regions find the club
/// worth joining: high targets shrink the club. Each member abates more, though, so
/// the club's abatement still rises with the target (costs and benefits are both
/// linear in depth, so there is no interior optimum in this model). Measured (200
/// runs each, tariff 0.04): participation 0.843 (se 0.010) at depth 0.2 (about
/// $30/tCO2), 0.695 (se 0.011) at depth 0.7 (about $100), 10 standard errors;
/// progress 0.121 (se 0.001) and 0.276 (se 0.002), 65 standard errors.
#[test]
fn a_higher_target_shrinks_the_club_but_abates_more() {
    let low = load("climate-club", &[SHORT, "coalitions.depth=0.2"]);
    let high = load("climate-club", &[SHORT, "coalitions.depth=0.7"]);
    let a = summaries(&low, 200);
    let b = summaries(&high, 200);
    assert_greater(
        "participation, depth 0.2 vs 0.7",
        mean_of(&low, &a, "participation_climate"),
        mean_of(&high, &b, "participation_climate"),
        4.0,
    );
    assert_greater(
        "climate progress, depth 0.7 vs 0.2",
        mean_of(&high, &b, "progress_climate"),
        mean_of(&low, &a, "progress_climate"),
        4.0,
    );
}
