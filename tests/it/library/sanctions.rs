//! `scenarios/sanctions.toml`: coalitions of like-minded states sanction, a UN-like
//! body (majority, P5 veto) that facilitates minilaterals takes their measures up
//! (building blocks), 195 states with 2016 GDP and positions from their 2016 UN
//! General Assembly ideal points (status quo 0.2, China among the 16 states below it).
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60 --runs N`, same
//! seed); every assertion allows 4 combined standard errors of Monte Carlo error (a
//! false failure about 3 times in 100,000 if the effect is real), and the measured
//! effects are 8 to 200 standard errors. Each test runs 400 runs of 60 ticks, about 2 s
//! in release mode on 2 cores.
//!
//! China sits below the status quo and vetoes every proposal of the body's own, so the
//! body adopts almost only endorsed coalition measures: `building_block_share` is
//! 0.94 with facilitation and 0.82 without (60 ticks, 200 runs: 3 standard errors, too
//! close to assert here; README at 120 ticks). It is undefined (NaN, skipped by
//! `mean_se`) in a run where the body adopted nothing: 28 of 200 runs facilitating, 116
//! not.

use super::{assert_greater, load, mean_of, summaries};
use crate::fixtures::SHORT;

/// A facilitating body endorses a coalition measure five times as readily
/// (`non_facilitating_factor` 0.2). Measured (200 runs each): endorsement rate 0.0347
/// (se 0.0019) facilitating, 0.0074 (se 0.0009) not: 13 standard errors.
#[test]
fn a_facilitating_body_takes_up_more_coalition_measures() {
    let open = load("sanctions", &[SHORT]);
    let closed = load("sanctions", &[SHORT, "bodies.UN.facilitates=false"]);
    let a = summaries(&open, 200);
    let b = summaries(&closed, 200);
    assert_greater(
        "endorsement rate, facilitating vs not",
        mean_of(&open, &a, "endorsement_rate"),
        mean_of(&closed, &b, "endorsement_rate"),
        4.0,
    );
}

/// With the body's own votes vetoed, the endorsement rate decides how many coalition
/// measures reach every member, and so how much pressure the body adds. Measured (200
/// runs each, facilitating body): endorsement rate 0.0347 (se 0.0019) at 0.4 (the
/// scenario's), 0.0085 (se 0.0010) at 0.1 (the engine's default); progress 0.0424 (se
/// 0.0014) and 0.0285 (se 0.0009): 12 and 8 standard errors.
#[test]
fn a_higher_endorsement_rate_carries_more_coalition_measures_to_the_body() {
    let high = load("sanctions", &[SHORT]);
    let low = load("sanctions", &[SHORT, "coalitions.endorsement_rate=0.1"]);
    let a = summaries(&high, 200);
    let b = summaries(&low, 200);
    assert_greater(
        "endorsement rate, scenario 0.4 vs 0.1",
        mean_of(&high, &a, "endorsement_rate"),
        mean_of(&low, &b, "endorsement_rate"),
        4.0,
    );
    assert_greater(
        "sanctions progress, endorsement rate 0.4 vs 0.1",
        mean_of(&high, &a, "progress_sanctions"),
        mean_of(&low, &b, "progress_sanctions"),
        4.0,
    );
}

/// P5 vetoes block the body's own votes, not its endorsements (an endorsed measure is
/// adopted without a vote), so the more the body deadlocks, the larger the share of
/// its sanctions that began as coalition measures. Measured (200 runs each): P5
/// vetoes: deadlock 0.989 (se 0.003), share 0.942 (se 0.013, 172 runs); the USA alone:
/// deadlock 0.045 (se 0.005), share 0.180 (se 0.008).
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
/// (200 runs each): legitimacy_states 0.424 (se 0.014) facilitating, 0.170 (se 0.012)
/// not (14 standard errors); progress 0.0424 (se 0.0014) and 0.0279 (se 0.0009) (8.7
/// standard errors).
#[test]
fn endorsement_lends_coalition_measures_legitimacy_and_reach() {
    let open = load("sanctions", &[SHORT]);
    let closed = load("sanctions", &[SHORT, "bodies.UN.facilitates=false"]);
    let a = summaries(&open, 200);
    let b = summaries(&closed, 200);
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
