//! `scenarios/un-vs-g20.toml`: a UN-like body (majority, P5 veto), the G20
//! (consensus) and free coalitions on climate, 195 states with 2016 CO2 and their
//! 2016 climate positions (Paris ratification and NDC form), status quo 0.25.
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60`, same seeds); every
//! assertion allows 4 combined standard errors of Monte Carlo error (a false failure
//! about 3 times in 100,000 if the effect is real), and the measured effects are 9 to
//! 42 standard errors (the share led by powers, against one half, far more). Each test runs 200 to 800 runs of 60 ticks, about 1 to 3 s in
//! release mode on 2 cores.

use super::{assert_greater, load, mean_of, metric, summaries};
use crate::fixtures::SHORT;

/// The veto body proposes at the median, so the majority almost never binds; each
/// veto holder is one more member who must accept. Deadlock rises with the number of
/// holders. Measured (200 runs each): USA alone 0.003 (se 0.001), USA and China
/// 0.309 (se 0.010), the P5 0.519 (se 0.010): steps of 30 and 15 standard errors.
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
/// more: without challenger reluctance the UN body deadlocks far less (every P5
/// member is above the status quo, so without it they accept the median almost
/// surely). Measured (200 runs each): reluctance 0.3 (the default) 0.519
/// (se 0.010), 0 0.053 (se 0.005).
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

/// Consensus deadlocks because of laggards, not size (status-quo voting): Saudi
/// Arabia (position 0.26) and Turkey (0.34) sit just above the status quo 0.25, gain
/// little from any step and reject often; the other members gain from every step.
/// Taking the two out of the G20 cuts its deadlock; seating every EU member as well
/// (43 seats, all ambitious) barely moves it (0.791 to 0.828 over 400 runs, 1.7
/// standard errors). Measured (200 runs each): 19 seats 0.829 (se 0.021), 17 seats
/// without Saudi Arabia and Turkey 0.293 (se 0.015).
#[test]
fn the_g20_deadlocks_because_of_its_laggards() {
    let g19 = load("un-vs-g20", &[SHORT]);
    let g17 = load(
        "un-vs-g20",
        &[
            SHORT,
            r#"bodies.G20.members=["ARG","AUS","BRA","CAN","CHN","FRA","DEU","IND","IDN","ITA","JPN","KOR","MEX","RUS","ZAF","GBR","USA"]"#,
        ],
    );
    let with = metric(&g19, 200, "deadlock_G20");
    let without = metric(&g17, 200, "deadlock_G20");
    assert_greater(
        "G20 deadlock with vs without its two laggards",
        with,
        without,
        4.0,
    );
}

/// A higher status quo makes more states laggards, and every body deadlocks more.
/// Measured (200 runs each, G20): status quo 0.1 0.558 (se 0.017), 0.4 0.899
/// (se 0.014).
#[test]
fn a_higher_status_quo_means_more_deadlock() {
    let low = load("un-vs-g20", &[SHORT, "issues.climate.status_quo=0.1"]);
    let high = load("un-vs-g20", &[SHORT, "issues.climate.status_quo=0.4"]);
    let l = metric(&low, 200, "deadlock_G20");
    let h = metric(&high, 200, "deadlock_G20");
    assert_greater("G20 deadlock at status quo 0.4 vs 0.1", h, l, 4.0);
}

/// In this scenario the median-proposal veto body deadlocks less than the
/// least-common-denominator consensus body, although it has ten times the members:
/// the median is far above the status quo, while the G20 holds two laggards.
/// Measured (200 runs): UN 0.519 (se 0.010), G20 0.829 (se 0.021), difference 13
/// standard errors.
#[test]
fn the_veto_body_deadlocks_less_than_the_consensus_g20() {
    let s = load("un-vs-g20", &[SHORT]);
    let runs = summaries(&s, 200);
    let un = mean_of(&s, &runs, "deadlock_UN");
    let g20 = mean_of(&s, &runs, "deadlock_G20");
    assert_greater("G20 deadlock vs UN deadlock", g20, un, 4.0);
}

/// Coalitions decide every tick among like-minded large emitters: they add progress,
/// but each gives a voice to a fraction of the states, so the legitimacy of what is
/// done (share of states with a voice in the venues that produced it) falls.
/// Measured (100 runs each): progress 0.094 (se 0.003) with coalitions, 0.055
/// (se 0.003) without; legitimacy_states 0.437 (se 0.012) with, 0.829 (se 0.024)
/// without.
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

/// Founders who would lead (docs/model.md §4): leading costs political capital that
/// grows with size and ambition, and a state founds only when its own weight carries
/// it; a heavier member that joins takes the lead. So the coalitions that produce
/// coalition progress are led by great and middle powers (the top 20 emitters), and a
/// run founds a few coalitions, not over a hundred as when every state could found.
/// Measured (100 runs of 60 ticks): share of coalition progress led by great or middle
/// powers 0.988 (se 0.002); coalitions founded 7.48 (se 0.19) a run.
#[test]
fn coalition_progress_is_led_by_great_and_middle_powers() {
    let s = load("un-vs-g20", &[SHORT]);
    let runs = summaries(&s, 100);
    let led = mean_of(&s, &runs, "progress_led_by_powers");
    assert_greater(
        "share of coalition progress led by powers vs one half",
        led,
        (0.5, 0.0),
        4.0,
    );
    let founded = mean_of(&s, &runs, "coalitions_formed");
    assert_greater(
        "tens, not hundreds: 30 vs coalitions founded",
        (30.0, 0.0),
        founded,
        4.0,
    );
    assert_greater("coalitions founded vs 2", founded, (2.0, 0.0), 4.0);
}

/// Exit and return (issue 18): when states that want climate action may leave a UN
/// that fails them two turns in a row (`exit = { after = 2 }`), the ambitious leave,
/// the body they leave behind is less ambitious and deadlocks less, fewer states have
/// a voice in what it does, and coalitions carry more of the progress. Measured (200
/// runs of 60 ticks each, `--set 'bodies.UN.exit={after=2,cost=0.01,return_rate=0.02}'`):
/// 177 exits and 81 returns a run; deadlock_UN 0.519 (se 0.010) without exit, 0.371
/// (se 0.008) with it; legitimacy_states 0.453 (se 0.009) and 0.277 (se 0.011).
#[test]
fn when_the_frustrated_leave_the_un_deadlocks_less_and_speaks_for_fewer() {
    let stay = load("un-vs-g20", &[SHORT]);
    let leave = load(
        "un-vs-g20",
        &[SHORT, "bodies.UN.exit={after=2,cost=0.01,return_rate=0.02}"],
    );
    let a = summaries(&stay, 200);
    let b = summaries(&leave, 200);
    assert!(mean_of(&leave, &b, "body_exits").0 > 50.0);
    assert_greater(
        "UN deadlock, no exit vs exit",
        mean_of(&stay, &a, "deadlock_UN"),
        mean_of(&leave, &b, "deadlock_UN"),
        4.0,
    );
    assert_greater(
        "legitimacy, no exit vs exit",
        mean_of(&stay, &a, "legitimacy_states"),
        mean_of(&leave, &b, "legitimacy_states"),
        4.0,
    );
}
