//! `scenarios/naim.toml`: 195 states (2016 greenhouse gases and GDP) on climate and
//! trade; coalitions decide by qualified majority, and every member pays
//! `negotiation_cost × (members − 1)` at each decision (the cost of agreement growing
//! with size). Naim's "around 20": where is the best cap on coalition size, and how
//! does it move with the cost of agreement?
//!
//! Each test states a mechanism as a property of the model and checks it on full runs
//! (120 ticks: with a large cap a run of 60 ticks costs about as much as one of 120,
//! so shorter runs would save little). The means and standard
//! errors in the comments were measured with the CLI (`minilat run
//! scenarios/naim.toml --runs N --set ...`, same seed, so the same runs); every
//! assertion allows 4 combined standard errors of Monte Carlo error (a false failure
//! about 3 times in 100,000 if the effect is real), and the measured effects are 9
//! to 33 standard errors. Runs with a cap of 100 are the slow ones (about 1.7 s per
//! 100 runs on 2 cores with the CLI, against 0.4 s at a cap of 20); each test takes 2
//! to 5 s in release mode on 2 cores.

use super::{assert_greater, load, mean_of, summaries};

/// At the scenario's cost of agreement (0.0001 per partner per decision), with real
/// positions (climate_position_pm1, UNGA economic votes for trade) and the default
/// leadership cost, the two issues want opposite caps. Climate rewards a large cap: a
/// cap of 4 wastes the largest emitters' two seats on small, fragmented coalitions
/// (progress grows with the square of coverage). Trade rewards a small one: large
/// trade clubs take in the many states whose UNGA economic votes place them low, and
/// their measures are watered down or rejected. Naim's 20 is the best cap on neither
/// (scenarios/README.md). Measured (100 runs each): climate 0.1144 (se 0.0036) at a
/// cap of 100 against 0.0763 (se 0.0025) at 4, 9 combined standard errors; trade
/// 0.0295 (se 0.0014) at 4 against 0.0126 (se 0.0010) at 100, 10 standard errors.
#[test]
fn climate_rewards_a_large_cap_and_trade_a_small_one() {
    let small = load("naim", &["coalitions.max_size=4"]);
    let large = load("naim", &["coalitions.max_size=100"]);
    let (a, b) = (summaries(&small, 100), summaries(&large, 100));
    assert_greater(
        "climate progress, cap 100 vs cap 4",
        mean_of(&large, &b, "progress_climate"),
        mean_of(&small, &a, "progress_climate"),
        4.0,
    );
    assert_greater(
        "trade progress, cap 4 vs cap 100",
        mean_of(&small, &a, "progress_trade"),
        mean_of(&large, &b, "progress_trade"),
        4.0,
    );
}

/// The best cap falls as agreement gets costlier. Without a cost of agreement a larger
/// cap pays on climate (more coverage, nothing to pay for it); at a high cost (0.0008)
/// the smallest cap is best on both issues, since any coalition of 20 costs its
/// members more than it brings them. Measured (100 runs each): cost 0, climate 0.2113
/// (se 0.0063) at a cap of 100, 0.1356 (se 0.0036) at 20, 10 standard errors; cost
/// 0.0008, climate 0.0535 (se 0.0018) at a cap of 4, 0.0110 (se 0.0012) at 20, 20
/// standard errors; trade 0.0193 (se 0.0010) and 0.0015 (se 0.0003), 17 standard
/// errors.
#[test]
fn the_best_cap_falls_as_agreement_costs_rise() {
    let free = |cap: u32| {
        let cap = format!("coalitions.max_size={cap}");
        load("naim", &["coalitions.negotiation_cost=0", cap.as_str()])
    };
    let dear = |cap: u32| {
        let cap = format!("coalitions.max_size={cap}");
        load(
            "naim",
            &["coalitions.negotiation_cost=0.0008", cap.as_str()],
        )
    };
    let (f20, f100) = (free(20), free(100));
    assert_greater(
        "climate progress without a cost of agreement, cap 100 vs cap 20",
        mean_of(&f100, &summaries(&f100, 100), "progress_climate"),
        mean_of(&f20, &summaries(&f20, 100), "progress_climate"),
        4.0,
    );
    let (d4, d20) = (dear(4), dear(20));
    let (a, b) = (summaries(&d4, 100), summaries(&d20, 100));
    for issue in ["progress_climate", "progress_trade"] {
        assert_greater(
            &format!("{issue} at cost 0.0008, cap 4 vs cap 20"),
            mean_of(&d4, &a, issue),
            mean_of(&d20, &b, issue),
            4.0,
        );
    }
}

/// With a generous cap (100) the size coalitions reach is set by the cost of
/// agreement: states weigh `negotiation_cost × (members − 1)` when they found, join
/// or leave, so the coalitions that produce progress are smaller the costlier
/// agreement is. Measured (40 runs each) productive_size (progress-weighted peak
/// size; runs with no progress have none): 78.1 (se 1.44) at cost 0, 43.9 (se 0.68) at
/// 0.0001, 17.8 (se 0.42, 27 runs) at 0.0008: 21 and 33 combined standard errors.
#[test]
fn coalitions_that_deliver_shrink_as_agreement_costs_rise() {
    let at = |cost: &str| {
        let cost = format!("coalitions.negotiation_cost={cost}");
        let s = load("naim", &["coalitions.max_size=100", cost.as_str()]);
        mean_of(&s, &summaries(&s, 40), "productive_size")
    };
    let (free, naim, dear) = (at("0"), at("0.0001"), at("0.0008"));
    assert_greater("productive size, cost 0 vs 0.0001", free, naim, 4.0);
    assert_greater("productive size, cost 0.0001 vs 0.0008", naim, dear, 4.0);
}
