//! `scenarios/sanctions.toml`: coalitions of like-minded states sanction, the Security
//! Council (the P5 with a veto, ten elected members by regional group, nine affirmative
//! votes, binding every UN member) takes their measures up by voting on them, 195
//! states with 2016 GDP and positions from their 2016 UN General Assembly ideal points
//! (status quo 0.2, China among the 16 states below it).
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60 --runs N`, same
//! seed); every assertion allows 4 combined standard errors of Monte Carlo error (a
//! false failure about 3 times in 100,000 if the effect is real), and the measured
//! effects are 5.2 to 37 standard errors. Each test runs 400 to 800 runs of 60 ticks,
//! 1 to 2 s in release mode on 2 cores. Measured at the scenario's fitted values
//! (temperature 0.036, endorsement_rate 0.69; issue 20).
//!
//! `building_block_share` is undefined (NaN, skipped by `mean_se`) in a run where the
//! Council adopted nothing: 152 of 200 runs at the scenario's settings.

use super::{assert_greater, column, load, mean_of, summaries};
use crate::fixtures::SHORT;

/// Endorsement by vote: a coalition measure the Council takes up faces the same vetoes
/// as its own proposals, so far fewer become Council measures than when it adopts them
/// without a vote. Measured (200 runs each, endorsement_rate 0.69): building-block
/// share 0.957 (se 0.008, 200 runs) automatic, 0.640 (se 0.057, 48 runs) by vote (5.5
/// standard errors); endorsement rate 0.0599 (se 0.0017) and 0.0035 (se 0.0007) (31).
#[test]
fn a_council_vote_blocks_most_coalition_measures_it_takes_up() {
    let automatic = load("sanctions", &[SHORT, "coalitions.endorsement=automatic"]);
    let vote = load("sanctions", &[SHORT]);
    let a = summaries(&automatic, 200);
    let b = summaries(&vote, 200);
    assert_greater(
        "building-block share, automatic vs by vote",
        mean_of(&automatic, &a, "building_block_share"),
        mean_of(&vote, &b, "building_block_share"),
        4.0,
    );
    assert_greater(
        "endorsement rate, automatic vs by vote",
        mean_of(&automatic, &a, "endorsement_rate"),
        mean_of(&vote, &b, "endorsement_rate"),
        4.0,
    );
}

/// China sits below the status quo and rejects almost every step, so its veto blocks
/// the Council's own measures and the coalition measures it takes up alike. Measured
/// (400 runs each): with the P5 vetoes deadlock 0.958 (se 0.006) and take-up failure
/// 0.935 (se 0.008, 398 runs with a take-up); without China's veto 0.704 (se 0.009)
/// and 0.565 (se 0.011, 399 runs): 24 and 28 standard errors.
#[test]
fn chinas_veto_blocks_the_councils_own_measures_and_its_take_ups_alike() {
    let p5 = load("sanctions", &[SHORT]);
    let p4 = load(
        "sanctions",
        &[SHORT, r#"bodies.UNSC.veto=["USA","RUS","FRA","GBR"]"#],
    );
    let a = summaries(&p5, 400);
    let b = summaries(&p4, 400);
    assert_greater(
        "Council deadlock, P5 vetoes vs without China's",
        mean_of(&p5, &a, "deadlock_UNSC"),
        mean_of(&p4, &b, "deadlock_UNSC"),
        4.0,
    );
    assert_greater(
        "take-up failure, P5 vetoes vs without China's",
        mean_of(&p5, &a, "take_up_failure"),
        mean_of(&p4, &b, "take_up_failure"),
        4.0,
    );
}

/// An abstaining member is not an affirmative vote: when most members abstain (salience
/// below 0.7, three quarters of them), nine affirmative votes are out of reach and the
/// Council adopts nothing, although abstaining permanent members no longer veto.
/// Measured (400 runs each): deadlock 1.000 (se 0.0003) at abstain_below 0.7, 0.958
/// (se 0.006) at the scenario's 0.2: 6.6 standard errors.
#[test]
fn abstentions_deny_the_council_its_nine_affirmative_votes() {
    let most_abstain = load("sanctions", &[SHORT, "bodies.UNSC.abstain_below=0.7"]);
    let scenario = load("sanctions", &[SHORT]);
    let a = summaries(&most_abstain, 400);
    let b = summaries(&scenario, 400);
    assert_greater(
        "Council deadlock, abstain_below 0.7 vs 0.2",
        mean_of(&most_abstain, &a, "deadlock_UNSC"),
        mean_of(&scenario, &b, "deadlock_UNSC"),
        4.0,
    );
}

/// Even by vote, taking up more coalition measures raises the share of the Council's
/// measures that began as coalition measures: both routes face the same vetoes, so the
/// share follows how many measures each route brings to a vote. Measured (400 runs
/// each, by vote, at the fitted temperature 0.036): endorsement rate (adopted take-ups
/// per coalition measure) 0.0062 (se 0.0007) at endorsement_rate 1.0, 0.0004 (se
/// 0.0001) at 0.1 (8.2 standard errors); building-block share 0.800 (se 0.025, 130
/// runs) and 0.224 (se 0.050, 60 runs) (10). The low arm is set to 0.1 explicitly since
/// the scenario's rate became the fitted 0.69 (issue 20): against 0.69 the differences
/// are 2.4 and 2.5 standard errors here (0.0041, se 0.0005; 0.692, se 0.035, 97 runs),
/// within Monte Carlo error.
#[test]
fn taking_up_more_coalition_measures_raises_the_building_block_share_even_by_vote() {
    let high = load("sanctions", &[SHORT, "coalitions.endorsement_rate=1.0"]);
    let low = load("sanctions", &[SHORT, "coalitions.endorsement_rate=0.1"]);
    let a = summaries(&high, 400);
    let b = summaries(&low, 400);
    assert_greater(
        "endorsement rate, endorsement_rate 1.0 vs 0.1",
        mean_of(&high, &a, "endorsement_rate"),
        mean_of(&low, &b, "endorsement_rate"),
        4.0,
    );
    assert_greater(
        "building-block share, endorsement_rate 1.0 vs 0.1",
        mean_of(&high, &a, "building_block_share"),
        mean_of(&low, &b, "building_block_share"),
        4.0,
    );
}

/// Legitimacy feeds back into compliance (`[legitimacy] compliance = 1`): the Council's
/// fifteen decide for 195, so a state it binds without a seat feels the law only by
/// the measure's legitimacy (λ about 0.08) and free-rides more; a coalition's sanction
/// is followed by states outside it that want one, in proportion to its legitimacy.
/// Measured (300 runs each): free-riding 0.1074 (se 0.0009) without the feedback,
/// 0.1355 (se 0.0030) with it (9.0 standard errors); 4.65% (se 0.04%) of the chances
/// to follow taken; progress 0.0633 (se 0.0016) and 0.0802 (se 0.0016) (7.5).
#[test]
fn a_narrow_councils_measures_pull_less_and_coalition_sanctions_find_followers() {
    let off = load("sanctions", &[SHORT]);
    let on = load("sanctions", &[SHORT, "legitimacy.compliance=1"]);
    let a = summaries(&off, 300);
    let b = summaries(&on, 300);
    assert_greater(
        "free-riding, legitimacy feedback vs none",
        mean_of(&on, &b, "free_riding_rate"),
        mean_of(&off, &a, "free_riding_rate"),
        4.0,
    );
    let follow = mean_of(&on, &b, "follow_rate");
    assert!(follow.0 > 0.0, "followers: {follow:?}");
    assert!(
        column(&off, &a, "follow_rate").iter().all(|x| x.is_nan()),
        "no chance to follow without the feedback"
    );
}

/// Legitimacy feeds back into endorsement (`[legitimacy] endorsement = 1`): a body
/// takes up a coalition's measure with probability scaled by the coalition's share of
/// states (a few percent), so building blocks become rare even where the Council
/// adopts what it takes up without a vote. Measured (300 runs each, endorsement
/// automatic): endorsement rate 0.0608 (se 0.0015) without, 0.0042 (se 0.0003) with
/// the feedback (37 standard errors).
#[test]
fn a_body_takes_up_narrow_coalitions_measures_less_readily() {
    let off = load("sanctions", &[SHORT, "coalitions.endorsement=automatic"]);
    let on = load(
        "sanctions",
        &[
            SHORT,
            "coalitions.endorsement=automatic",
            "legitimacy.endorsement=1",
        ],
    );
    let a = summaries(&off, 300);
    let b = summaries(&on, 300);
    assert_greater(
        "endorsement rate, without vs with legitimacy feedback",
        mean_of(&off, &a, "endorsement_rate"),
        mean_of(&on, &b, "endorsement_rate"),
        4.0,
    );
}

/// The empty chair (`disengage_after`): members the Council failed twice in a row on a
/// step they wanted stay away from its votes until it adopts something. They are the
/// ambitious ones, and an absent member is no affirmative vote, so nine are harder to
/// find and the Council deadlocks more: a vicious circle. Measured (500 runs of 120
/// ticks each): deadlock 0.9613 (se 0.0050) attending, 0.9893 (se 0.0020) with the
/// empty chair (5.2 standard errors); 212 absences a run.
#[test]
fn frustrated_members_staying_away_deadlock_the_council_further() {
    let attending = load("sanctions", &[]);
    let away = load("sanctions", &["bodies.UNSC.disengage_after=2"]);
    let a = summaries(&attending, 500);
    let b = summaries(&away, 500);
    assert_greater(
        "Council deadlock, empty chair vs attending",
        mean_of(&away, &b, "deadlock_UNSC"),
        mean_of(&attending, &a, "deadlock_UNSC"),
        4.0,
    );
    assert!(mean_of(&away, &b, "empty_chairs").0 > 0.0);
}
