//! `scenarios/un-vs-g20.toml`: a UN-like body (majority, P5 veto), the G20
//! (consensus) and free coalitions on climate, 195 states with 2016 CO2.
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60`, same seeds); every
//! assertion allows 4 combined standard errors of Monte Carlo error (a false failure
//! about 3 times in 100,000 if the effect is real), and the measured effects are 11 to
//! 37 standard errors. Each test runs 200 to 800 runs of 60 ticks, about 1 to 3 s in
//! release mode on 2 cores.

use super::{assert_greater, load, mean_of, metric, summaries};
use crate::fixtures::SHORT;

/// The veto body proposes at the median, so the majority almost never binds; each
/// veto holder is one more member who must accept. Deadlock rises with the number of
/// holders. Measured (200 runs each): USA alone 0.063 (se 0.007), USA and China
/// 0.387 (se 0.014), the P5 0.648 (se 0.012): steps of 21 and 14 standard errors.
#[test]
fn un_deadlock_rises_with_the_number_of_veto_holders() {
    let one = load("un-vs-g20", &[SHORT, r#"bodies.UN.veto=["USA"]"#]);
    let two = load("un-vs-g20", &[SHORT, r#"bodies.UN.veto=["USA","CHN"]"#]);
    let five = load("un-vs-g20", &[SHORT]);
    let d1 = metric(&one, 200, "deadlock_UN");
    let d2 = metric(&two, 200, "deadlock_UN");
    let d5 = metric(&five, 200, "deadlock_UN");
    assert_greater("UN deadlock, USA+CHN vetoes vs USA alone", d2, d1, 4.0);
    assert_greater("UN deadlock, P5 vetoes vs USA+CHN", d5, d2, 4.0);
}

/// Challengers (China and Russia hold vetoes) reject more readily, so they veto
/// more: without challenger reluctance the UN body deadlocks far less. Measured
/// (200 runs each): reluctance 0.3 (the default) 0.648 (se 0.012), 0 0.263 (se 0.015).
#[test]
fn challenger_veto_holders_raise_un_deadlock() {
    let base = load("un-vs-g20", &[SHORT]);
    let none = load("un-vs-g20", &[SHORT, "decision.challenger_reluctance=0"]);
    let with = metric(&base, 200, "deadlock_UN");
    let without = metric(&none, 200, "deadlock_UN");
    assert_greater(
        "UN deadlock with vs without challenger reluctance",
        with,
        without,
        4.0,
    );
}

/// Consensus proposes what the least ambitious participant wants and every other
/// participant may reject it: a wider table deadlocks more. Seating every EU member
/// beside the 19 G20 countries (the `g20` label, 43 seats) raises the G20's deadlock.
/// Measured (400 runs each): 19 seats 0.894 (se 0.0087), 43 seats 0.995 (se 0.0014).
#[test]
fn a_wider_consensus_table_deadlocks_more() {
    let g19 = load("un-vs-g20", &[SHORT]);
    let g43 = load(
        "un-vs-g20",
        &[SHORT, r#"bodies.G20.members={ label = "g20" }"#],
    );
    let narrow = metric(&g19, 400, "deadlock_G20");
    let wide = metric(&g43, 400, "deadlock_G20");
    assert_greater("G20 deadlock, 43 seats vs 19", wide, narrow, 4.0);
}

/// In this scenario the median-proposal veto body deadlocks less than the
/// least-common-denominator consensus body, although it has ten times the members
/// (the sweep shows it at every tolerance from 0.2 to 0.4). Both come from the same
/// runs; their per-run deadlock rates are nearly uncorrelated (r = 0.08), so the
/// paired standard error of the difference (0.016) is about the one `assert_greater`
/// uses (0.017). Measured (200 runs): UN 0.648 (se 0.012), G20 0.899 (se 0.012),
/// difference 15 standard errors.
#[test]
fn the_veto_body_deadlocks_less_than_the_consensus_g20() {
    let s = load("un-vs-g20", &[SHORT]);
    let runs = summaries(&s, 200);
    let un = mean_of(&s, &runs, "deadlock_UN");
    let g20 = mean_of(&s, &runs, "deadlock_G20");
    assert_greater("G20 deadlock vs UN deadlock", g20, un, 4.0);
}

/// Coalitions decide every tick among a few like-minded large emitters: they add
/// most of the progress, but each gives a voice to a handful of states, so the
/// legitimacy of what is done (share of states with a voice in the venues that
/// produced it) collapses. Measured (100 runs each): progress 0.362 (se 0.008) with
/// coalitions, 0.052 (se 0.002) without; legitimacy_states 0.164 (se 0.005) with,
/// 0.866 (se 0.020, 99 runs with progress) without.
#[test]
fn coalitions_trade_legitimacy_for_progress() {
    let with = load("un-vs-g20", &[SHORT]);
    let without = load("un-vs-g20", &[SHORT, "coalitions.enabled=false"]);
    let a = summaries(&with, 100);
    let b = summaries(&without, 100);
    assert_greater(
        "climate progress with vs without coalitions",
        mean_of(&with, &a, "progress_climate"),
        mean_of(&without, &b, "progress_climate"),
        4.0,
    );
    assert_greater(
        "legitimacy without vs with coalitions",
        mean_of(&without, &b, "legitimacy_states"),
        mean_of(&with, &a, "legitimacy_states"),
        4.0,
    );
}
