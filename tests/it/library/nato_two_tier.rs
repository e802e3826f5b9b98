//! `scenarios/nato-two-tier.toml`: the 34 NATO and EU states with 2016 military
//! spending, NATO (consensus) and the EU's CSDP (consensus with constructive
//! abstention) beside minilateral defence coalitions.
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60 --runs N`, same
//! seed); every assertion allows 4 combined standard errors of Monte Carlo error (a
//! false failure about 3 times in 100,000 if the effect is real), and the measured
//! effects are 6 to 74 standard errors. Each test runs 400 to 2,000 runs of 60 ticks
//! of 34 states, under 2 s in release mode on 2 cores.

use super::{assert_greater, load, mean_of, metric, summaries};
use crate::fixtures::SHORT;

/// Coalitions split the alliance into two tiers and scatter what gets done across
/// venues: without them no ally sits in an inner tier and progress comes only from
/// the two bodies. Measured (200 runs each): two_tier_NATO 0.558 (se 0.008) with
/// coalitions, 0 without; fragmentation 0.791 (se 0.004) with, 0.247 (se 0.012)
/// without.
#[test]
fn coalitions_make_a_two_tier_alliance_and_fragment_progress() {
    let with = load("nato-two-tier", &[SHORT]);
    let without = load("nato-two-tier", &[SHORT, "coalitions.enabled=false"]);
    let a = summaries(&with, 200);
    let b = summaries(&without, 200);
    assert_greater(
        "two_tier_NATO with vs without coalitions",
        mean_of(&with, &a, "two_tier_NATO"),
        mean_of(&without, &b, "two_tier_NATO"),
        4.0,
    );
    assert_greater(
        "fragmentation with vs without coalitions",
        mean_of(&with, &a, "fragmentation"),
        mean_of(&without, &b, "fragmentation"),
        4.0,
    );
}

/// A larger cap lets each founder seat more allies, so a larger share of NATO sits
/// in the inner tier. Measured (500 runs each): two_tier_NATO 0.585 (se 0.005) at
/// max_size 15, 0.487 (se 0.004) at 4.
#[test]
fn a_larger_cap_puts_more_allies_in_the_inner_tier() {
    let big = load("nato-two-tier", &[SHORT, "coalitions.max_size=15"]);
    let small = load("nato-two-tier", &[SHORT, "coalitions.max_size=4"]);
    assert_greater(
        "two_tier_NATO, max_size 15 vs 4",
        metric(&big, 500, "two_tier_NATO"),
        metric(&small, 500, "two_tier_NATO"),
        4.0,
    );
}

/// With a small cap founders stop at a few members, so more coalitions run side by
/// side on the one defence issue, and more of them have a neighbour aiming at much
/// the same thing (duplication). Measured (500 runs each): coalitions_mean 6.15 (se
/// 0.06) at max_size 4, 3.96 (se 0.06) at 15; duplication 0.889 (se 0.004) and 0.841
/// (se 0.007).
#[test]
fn small_caps_multiply_duplicating_coalitions() {
    let small = load("nato-two-tier", &[SHORT, "coalitions.max_size=4"]);
    let big = load("nato-two-tier", &[SHORT, "coalitions.max_size=15"]);
    let a = summaries(&small, 500);
    let b = summaries(&big, 500);
    assert_greater(
        "active coalitions, max_size 4 vs 15",
        mean_of(&small, &a, "coalitions_mean"),
        mean_of(&big, &b, "coalitions_mean"),
        4.0,
    );
    assert_greater(
        "duplication, max_size 4 vs 15",
        mean_of(&small, &a, "duplication"),
        mean_of(&big, &b, "duplication"),
        4.0,
    );
}

/// Under consensus any participating ally can block, and a challenger (Turkey)
/// rejects more readily: NATO deadlocks more with Turkey flagged. Measured (1,000
/// runs each): deadlock_NATO 0.759 (se 0.006) with, 0.705 (se 0.007) without.
#[test]
fn a_challenger_inside_the_consensus_raises_nato_deadlock() {
    let with = load("nato-two-tier", &[SHORT]);
    let without = load("nato-two-tier", &[SHORT, "world.challengers=[]"]);
    assert_greater(
        "NATO deadlock with vs without Turkey as a challenger",
        metric(&with, 1000, "deadlock_NATO"),
        metric(&without, 1000, "deadlock_NATO"),
        4.0,
    );
}
