//! `scenarios/indo-pacific.toml`: the 18 East Asia Summit states with the UK and France
//! (2016 military spending, UNGA positions), China and Russia as challengers whose
//! assertiveness raises the security salience of the states they threaten (Walt's
//! balance of threat: relative power, preference distance, region).
//!
//! Measured with the CLI (`minilat run ... --set scenario.ticks=60 --runs 300`, same
//! seed); every assertion allows 4 combined standard errors of Monte Carlo error, and
//! the measured effects are 7 to 11 standard errors. 600 runs of 60 ticks of 20
//! states, well under a second in release mode.

use super::{assert_greater, load, mean_of, summaries};
use crate::fixtures::SHORT;

const NO_THREAT: &str = "issues.security.threat.assertiveness=0";

/// The threatened balance: with the challengers' assertiveness at the scenario's 0.4,
/// more states sit in a security coalition at the end (Japan and New Zealand, whose
/// spending puts their salience below `min_salience`, now found and join), fewer in a
/// trade coalition (two memberships each: security crowds trade out), and the best
/// match of a security coalition with the Quad rises. Measured (300 runs each):
/// participation_security 0.056 (se 0.004) without, 0.130 (se 0.005) with (11 se);
/// participation_trade 0.672 (se 0.008) and 0.572 (se 0.010) (7.8 se); match_quad
/// 0.244 (se 0.009, 238 runs with a security coalition) and 0.330 (se 0.008) (7.2 se).
#[test]
fn a_challengers_assertiveness_makes_the_threatened_balance() {
    let calm = load("indo-pacific", &[SHORT, NO_THREAT]);
    let threat = load("indo-pacific", &[SHORT]);
    let a = summaries(&calm, 300);
    let b = summaries(&threat, 300);
    assert_greater(
        "participation in security coalitions, threat vs none",
        mean_of(&threat, &b, "participation_security"),
        mean_of(&calm, &a, "participation_security"),
        4.0,
    );
    assert_greater(
        "participation in trade coalitions, none vs threat",
        mean_of(&calm, &a, "participation_trade"),
        mean_of(&threat, &b, "participation_trade"),
        4.0,
    );
    assert_greater(
        "best match with the Quad, threat vs none",
        mean_of(&threat, &b, "match_quad"),
        mean_of(&calm, &a, "match_quad"),
        4.0,
    );
}

/// Issue linkage does not rescue the East Asia Summit: bundling security (ten members
/// below its status quo) with trade (everyone above its own) dilutes the trade gain
/// that made a consensus possible now and then, so the package never passes.
/// Measured (300 runs of 60 ticks each): EAS deadlock 0.970 (se 0.0025) issue by
/// issue, 1.000 (se 0) linked: 12 standard errors.
#[test]
fn linking_security_to_trade_deadlocks_the_east_asia_summit_completely() {
    let apart = load("indo-pacific", &[SHORT]);
    let linked = load("indo-pacific", &[SHORT, "bodies.EAS.linkage=true"]);
    let a = summaries(&apart, 300);
    let b = summaries(&linked, 300);
    assert_greater(
        "EAS deadlock, linked vs issue by issue",
        mean_of(&linked, &b, "deadlock_EAS"),
        mean_of(&apart, &a, "deadlock_EAS"),
        4.0,
    );
}
