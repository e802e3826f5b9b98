//! `scenarios/sanctions.toml`: coalitions of like-minded states sanction, a UN-like
//! body (majority, P5 veto) that facilitates minilaterals takes their measures up
//! (building blocks), 195 states with 2016 GDP.
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60`, same seeds);
//! every assertion allows 4 combined standard errors of Monte Carlo error (a false
//! failure about 3 times in 100,000 if the effect is real), and the measured effects
//! are 10 to 35 standard errors. Each test runs 400 to 800 runs of 60 ticks, about 1 to
//! 3 s in release mode on 2 cores.
//!
//! `building_block_share` is undefined (NaN, skipped by `mean_se`) in a run where the
//! body adopted nothing; that happens in a few of 200 runs without facilitation.

use super::{assert_greater, load, mean_of, summaries};
use crate::fixtures::SHORT;

/// A facilitating body endorses a coalition measure five times as readily
/// (`non_facilitating_factor` 0.2), so more of its adoptions are coalition measures
/// it took over. Measured (200 runs each): building_block_share 0.713 (se 0.013)
/// facilitating, 0.372 (se 0.020, 195 runs with a body adoption) not; endorsement
/// rate 0.0133 (se 0.0004) and 0.0027 (se 0.0002).
#[test]
fn a_facilitating_body_takes_up_more_coalition_measures() {
    let open = load("sanctions", &[SHORT]);
    let closed = load("sanctions", &[SHORT, "bodies.UN.facilitates=false"]);
    let a = summaries(&open, 200);
    let b = summaries(&closed, 200);
    assert_greater(
        "building-block share, facilitating vs not",
        mean_of(&open, &a, "building_block_share"),
        mean_of(&closed, &b, "building_block_share"),
        4.0,
    );
    assert_greater(
        "endorsement rate, facilitating vs not",
        mean_of(&open, &a, "endorsement_rate"),
        mean_of(&closed, &b, "endorsement_rate"),
        4.0,
    );
}

/// The building-block share rises with the endorsement rate. Measured (200 runs
/// each, facilitating body): rate 0.4 (the scenario's) 0.713 (se 0.013), rate 0.1
/// (the engine's default) 0.427 (se 0.020, 197 runs).
#[test]
fn the_building_block_share_rises_with_the_endorsement_rate() {
    let high = load("sanctions", &[SHORT]);
    let low = load("sanctions", &[SHORT, "coalitions.endorsement_rate=0.1"]);
    let a = summaries(&high, 200);
    let b = summaries(&low, 200);
    assert_greater(
        "building-block share, endorsement rate 0.4 vs 0.1",
        mean_of(&high, &a, "building_block_share"),
        mean_of(&low, &b, "building_block_share"),
        4.0,
    );
}

/// P5 vetoes block the body's own votes, not its endorsements (an endorsed measure is
/// adopted without a vote), so the more the body deadlocks, the larger the share of
/// its sanctions that began as coalition measures. Measured (200 runs each): P5
/// vetoes: deadlock 0.729 (se 0.013), share 0.713 (se 0.013); the USA alone:
/// deadlock 0.107 (se 0.012), share 0.435 (se 0.009).
#[test]
fn vetoes_push_sanctions_onto_the_building_block_route() {
    let p5 = load("sanctions", &[SHORT]);
    let usa = load("sanctions", &[SHORT, r#"bodies.UN.veto=["USA"]"#]);
    let a = summaries(&p5, 200);
    let b = summaries(&usa, 200);
    assert_greater(
        "UN deadlock, P5 vs USA alone",
        mean_of(&p5, &a, "deadlock_UN"),
        mean_of(&usa, &b, "deadlock_UN"),
        4.0,
    );
    assert_greater(
        "building-block share, P5 vs USA alone",
        mean_of(&p5, &a, "building_block_share"),
        mean_of(&usa, &b, "building_block_share"),
        4.0,
    );
}

/// An endorsed coalition measure binds every member of the body, so facilitation
/// adds progress and lends the coalitions' work the body's legitimacy. Measured
/// (400 runs each): legitimacy_states 0.371 (se 0.004) facilitating, 0.227 (se 0.005)
/// not (24 standard errors); progress 0.333 (se 0.005) and 0.270 (se 0.004) (10
/// standard errors, hence the 400 runs).
#[test]
fn endorsement_lends_coalition_measures_legitimacy_and_reach() {
    let open = load("sanctions", &[SHORT]);
    let closed = load("sanctions", &[SHORT, "bodies.UN.facilitates=false"]);
    let a = summaries(&open, 400);
    let b = summaries(&closed, 400);
    assert_greater(
        "legitimacy, facilitating vs not",
        mean_of(&open, &a, "legitimacy_states"),
        mean_of(&closed, &b, "legitimacy_states"),
        4.0,
    );
    assert_greater(
        "sanctions progress, facilitating vs not",
        mean_of(&open, &a, "progress_sanctions"),
        mean_of(&closed, &b, "progress_sanctions"),
        4.0,
    );
}
