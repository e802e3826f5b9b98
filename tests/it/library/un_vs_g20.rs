//! `scenarios/un-vs-g20.toml`: the UN's two climate venues with their real rules (the
//! UNFCCC's Conference of the Parties by consensus; the General Assembly by majority,
//! its resolutions recommendations), the G20 (consensus) and free coalitions on
//! climate, 195 states with 2016 CO2 and their 2016 climate positions (Paris
//! ratification and NDC form), status quo 0.25.
//!
//! Each test states a mechanism as a property of the model and checks it on short
//! runs (60 ticks instead of 120). The means and standard errors in the comments were
//! measured with the CLI (`minilat run ... --set scenario.ticks=60`, same seeds); every
//! assertion allows 4 combined standard errors of Monte Carlo error (a false failure
//! about 3 times in 100,000 if the effect is real), and the measured effects are 8 to
//! 25 standard errors (the share led by powers, against one half, and the bodies that
//! never or always adopt, far more). Each test runs 200 to 800 runs of 60 ticks, about
//! 1 to 3 s in release mode on 2 cores.

use super::{assert_greater, load, mean_of, metric, summaries};
use crate::fixtures::SHORT;

/// The COP decides by consensus (its voting rule, draft rule 42, was never adopted),
/// and 15 of the 195 states sit at or below the status quo and object to every step:
/// it adopts nothing in any run. Had draft rule 42's last resort been adopted (a
/// two-thirds majority vote when consensus fails), it would adopt every time: the
/// median proposal (0.61) is closer than the status quo to far more than two thirds.
/// Measured (200 runs each): consensus 1.000 (se 0), two-thirds majority 0.000 (se 0);
/// climate progress 0.076 (se 0.001) and 0.123 (se 0.001).
#[test]
fn the_cop_deadlocks_by_consensus_and_would_not_by_vote() {
    let consensus = load("un-vs-g20", &[SHORT]);
    let vote = load(
        "un-vs-g20",
        &[
            SHORT,
            "bodies.UNFCCC.rule=veto",
            "bodies.UNFCCC.veto=[]",
            "bodies.UNFCCC.majority=0.6666",
        ],
    );
    let a = summaries(&consensus, 200);
    let b = summaries(&vote, 200);
    let by_consensus = mean_of(&consensus, &a, "deadlock_UNFCCC");
    assert!(
        by_consensus.0 > 0.999,
        "the COP adopts nothing by consensus: {by_consensus:?}"
    );
    assert_greater(
        "COP deadlock, consensus vs a two-thirds vote",
        by_consensus,
        mean_of(&vote, &b, "deadlock_UNFCCC"),
        4.0,
    );
    assert_greater(
        "climate progress, two-thirds vote vs consensus",
        mean_of(&vote, &b, "progress_climate"),
        mean_of(&consensus, &a, "progress_climate"),
        4.0,
    );
}

/// The General Assembly adopts its climate resolution every time (a simple majority
/// accepts the median proposal), but they are recommendations (`binding = false`):
/// compliance carries no treaty stake, so more of those it asks free-ride than would
/// if they bound. Measured (200 runs each): free_riding_rate 0.158 (se 0.001) as
/// recommendations, 0.060 (se 0.000) if binding.
#[test]
fn the_general_assemblys_recommendations_are_followed_less_than_law() {
    let rec = load("un-vs-g20", &[SHORT]);
    let law = load("un-vs-g20", &[SHORT, "bodies.UNGA.binding=true"]);
    let a = summaries(&rec, 200);
    let b = summaries(&law, 200);
    assert_greater(
        "free-riding, recommendations vs binding",
        mean_of(&rec, &a, "free_riding_rate"),
        mean_of(&law, &b, "free_riding_rate"),
        4.0,
    );
}

/// Consensus deadlocks because of laggards, not size (status-quo voting): Saudi
/// Arabia (position 0.26) and Turkey (0.34) sit just above the status quo 0.25, gain
/// little from any step and reject often; the other members gain from every step.
/// Taking the two out of the G20 cuts its deadlock; seating every EU member as well
/// (43 seats, all ambitious) barely moves it. Measured (200 runs each): 19 seats
/// 0.825 (se 0.021), 17 seats without Saudi Arabia and Turkey 0.317 (se 0.015).
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

/// A higher status quo makes more states laggards, and the G20 deadlocks more.
/// Measured (200 runs each, G20): status quo 0.1 0.554 (se 0.016), 0.4 0.897
/// (se 0.015).
#[test]
fn a_higher_status_quo_means_more_deadlock() {
    let low = load("un-vs-g20", &[SHORT, "issues.climate.status_quo=0.1"]);
    let high = load("un-vs-g20", &[SHORT, "issues.climate.status_quo=0.4"]);
    let l = metric(&low, 200, "deadlock_G20");
    let h = metric(&high, 200, "deadlock_G20");
    assert_greater("G20 deadlock at status quo 0.4 vs 0.1", h, l, 4.0);
}

/// A majority of 195 deadlocks less than a consensus of 19: the General Assembly's
/// median proposal is far above the status quo and a majority gains from it, while
/// the G20's table holds two laggards who can each block. Measured (200 runs): UNGA
/// 0.000 (se 0), G20 0.825 (se 0.021).
#[test]
fn the_assembly_by_majority_deadlocks_less_than_the_g20_by_consensus() {
    let s = load("un-vs-g20", &[SHORT]);
    let runs = summaries(&s, 200);
    let unga = mean_of(&s, &runs, "deadlock_UNGA");
    let g20 = mean_of(&s, &runs, "deadlock_G20");
    assert_greater("G20 deadlock vs UNGA deadlock", g20, unga, 4.0);
}

/// Coalitions decide every tick among like-minded large emitters: they add progress,
/// but each gives a voice to a fraction of the states, so the legitimacy of what is
/// done (share of states with a voice in the venues that produced it) falls.
/// Measured (100 runs each): progress 0.079 (se 0.002) with coalitions, 0.056
/// (se 0.002) without; legitimacy_states 0.569 (se 0.011) with, 0.878 (se 0.018)
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
/// powers 0.989 (se 0.002); coalitions founded 5.91 (se 0.16) a run.
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

/// Exit and return (issue 18): when states that want climate action may leave a COP
/// that fails them two turns in a row (`exit = { after = 2 }`), the ambitious leave
/// and the laggards, who block and never want a step, stay: the COP still adopts
/// nothing. The leavers' effort, no longer split with a body that never delivers
/// (finite effort, docs/model.md phase 4), goes to the Assembly and their coalitions,
/// and climate progress rises. Measured (200 runs of 60 ticks each, `--set
/// 'bodies.UNFCCC.exit={after=2,cost=0.01,return_rate=0.02}'`): 307 exits a run;
/// deadlock_UNFCCC 1.000 with and without exit; progress_climate 0.076 (se 0.001)
/// without exit, 0.102 (se 0.001) with it.
#[test]
fn when_the_frustrated_leave_the_cop_it_still_deadlocks_and_progress_rises() {
    let stay = load("un-vs-g20", &[SHORT]);
    let leave = load(
        "un-vs-g20",
        &[
            SHORT,
            "bodies.UNFCCC.exit={after=2,cost=0.01,return_rate=0.02}",
        ],
    );
    let a = summaries(&stay, 200);
    let b = summaries(&leave, 200);
    assert!(mean_of(&leave, &b, "body_exits").0 > 50.0);
    let left_behind = mean_of(&leave, &b, "deadlock_UNFCCC");
    assert!(
        left_behind.0 > 0.999,
        "the laggards stay and block: {left_behind:?}"
    );
    assert_greater(
        "climate progress, exit vs no exit",
        mean_of(&leave, &b, "progress_climate"),
        mean_of(&stay, &a, "progress_climate"),
        4.0,
    );
}

/// Legitimacy feeding back (issue 18, `legitimacy.compliance = 1`): states outside a
/// venue that want a step follow its measure voluntarily with probability
/// λ × p_comply, λ the share of states with a voice in it. The coalitions' measures
/// (and the Assembly's, with a voice for all) are followed beyond their members, so
/// climate progress rises, mostly through coalitions, and the legitimacy of what is
/// done falls. Measured (200 runs each): progress_climate 0.076 (se 0.001) without,
/// 0.087 (se 0.001) with; follow_rate 0.066; legitimacy_states 0.586 (se 0.008) and
/// 0.520 (se 0.007).
#[test]
fn legitimacy_feeding_back_into_compliance_raises_progress() {
    let off = load("un-vs-g20", &[SHORT]);
    let on = load("un-vs-g20", &[SHORT, "legitimacy.compliance=1"]);
    let a = summaries(&off, 200);
    let b = summaries(&on, 200);
    assert_greater(
        "climate progress, legitimacy compliance 1 vs 0",
        mean_of(&on, &b, "progress_climate"),
        mean_of(&off, &a, "progress_climate"),
        4.0,
    );
}

/// Clarity of purpose (issue 19): founders that invite only partners within 0.1 of
/// their own climate position build coalitions that agree far more often, and deliver
/// more; a member's own view of the measure in its compliance (`dissent`) lowers
/// free-riding, since consensus measures seldom go beyond a member's position.
/// Measured (100 runs each): progress_climate 0.079 (se 0.002) by default, 0.133 (se
/// 0.002) with the vision (17 se); free_riding_rate 0.157 (se 0.001) by default,
/// 0.113 (se 0.001) with dissent 0.02 (27 se).
#[test]
fn a_shared_vision_makes_coalitions_agree_and_deliver() {
    let plain = load("un-vs-g20", &[SHORT]);
    let vision = load("un-vs-g20", &[SHORT, "coalitions.vision=0.1"]);
    let dissent = load("un-vs-g20", &[SHORT, "payoffs.dissent=0.02"]);
    let a = summaries(&plain, 100);
    let b = summaries(&vision, 100);
    let c = summaries(&dissent, 100);
    assert_greater(
        "climate progress with vs without a shared vision",
        mean_of(&vision, &b, "progress_climate"),
        mean_of(&plain, &a, "progress_climate"),
        4.0,
    );
    assert_greater(
        "free-riding without vs with dissent",
        mean_of(&plain, &a, "free_riding_rate"),
        mean_of(&dissent, &c, "free_riding_rate"),
        4.0,
    );
}
