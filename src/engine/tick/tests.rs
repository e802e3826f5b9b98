//! Hand-worked tests of the tick phases.

use super::*;
use crate::act::membership::Departure;
use crate::act::scratch::Scratch;
use crate::engine::rng::{RunKey, run_rng};
use crate::metrics::{Discard, Tally};
use crate::model::ids::CoalitionId;
use std::path::Path;

/// Three states (A, B, C with gdp 1, 1, 2), one issue; `extra` is appended.
fn scenario(issue_extra: &str, extra: &str) -> Scenario {
    let text = scenario_text(issue_extra, extra);
    Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
        .expect("valid test scenario")
        .scenario
}

fn scenario_text(issue_extra: &str, extra: &str) -> String {
    format!(
        r#"[scenario]
name = "t"
[world]
capabilities = ["gdp"]
great_powers = 0
[defaults]
salience = 0.5
position = 0.5
[[states]]
name = "A"
capabilities = {{ gdp = 1.0 }}
[[states]]
name = "B"
capabilities = {{ gdp = 1.0 }}
[[states]]
name = "C"
capabilities = {{ gdp = 2.0 }}
[[issues]]
name = "trade"
capability = "gdp"
{issue_extra}
{extra}"#
    )
}

fn with_ctx(s: &Scenario, f: impl FnOnce(&mut Ctx<'_, Discard>)) -> World {
    let mut rng = run_rng(1, RunKey::default());
    let mut world = World::new(s, &mut rng);
    let mut scratch = Scratch::new(s);
    let mut tally = Tally::new(1, s.bodies.len());
    let mut observer = Discard;
    let mut ctx = Ctx {
        scenario: s,
        world: &mut world,
        rng: &mut rng,
        scratch: &mut scratch,
        tally: &mut tally,
        observer: &mut observer,
        accept: crate::act::accept_params(s),
    };
    f(&mut ctx);
    world
}

/// A measure of `venue` on issue 0 at `depth`, adopted this tick, that produced
/// `progress` (not yet implemented: legitimacy 0).
fn measure(venue: VenueRef, depth: f64, progress: f64) -> Measure {
    Measure {
        venue,
        issue: IssueId(0),
        depth,
        endorsement: false,
        progress,
        legitimacy: 0.0,
    }
}

/// A coalition's obligation with institutionalisation `iota`.
fn in_coalition(iota: f64) -> Obligation {
    Obligation {
        institutionalisation: iota,
        coalition: true,
    }
}

/// A body's obligation with institutionalisation `iota`.
fn in_body(iota: f64) -> Obligation {
    Obligation {
        institutionalisation: iota,
        coalition: false,
    }
}

/// Founds a coalition of `members` on issue 0 directly (bypassing behaviour).
fn coalition(ctx: &mut Ctx<'_, Discard>, members: &[u32]) -> CoalitionId {
    let slot = ctx.world.take_slot();
    let co = &mut ctx.world.coalitions[slot.index()];
    co.active = true;
    co.kind = CoalitionKind::Issue;
    ctx.world.active.push(slot);
    for &m in members {
        membership::join(ctx.scenario, ctx.world, ctx.observer, slot, StateId(m));
    }
    slot
}

/// The three-state scenario with trade flows (shares of all flows, as `[trade]`
/// gives them): A exports 0.3 to B and 0.1 to C, B 0.2 to C, C 0.4 to A.
fn with_trade(tariff: f64, extra: &str) -> Scenario {
    let mut s = scenario("", extra);
    s.issues[0].tariff = tariff;
    s.trade = vec![0.0, 0.3, 0.1, 0.0, 0.0, 0.2, 0.4, 0.0, 0.0];
    s
}

#[test]
fn a_penalty_tariff_taxes_exports_of_states_outside_the_club() {
    // Club = {A, B}. C exports 0.4 (of world trade) to A: it pays 0.5 × 0.4 = 0.2.
    // Members pay nothing (only overhead, set to 0).
    let s = with_trade(
        0.5,
        "[payoffs]\noverhead = 0.0\naffinity_weight = 0.0\n[coalitions]\ninstitutionalisation = 0.0",
    );
    let world = with_ctx(&s, |ctx| {
        coalition(ctx, &[0, 1]);
        assert!(in_club(ctx.world, StateId(0), IssueId(0)));
        assert!(!in_club(ctx.world, StateId(2), IssueId(0)));
        assert!((club_exports(&s, ctx.world, StateId(2), IssueId(0), &[]) - 0.4).abs() < 1e-15);
        // B joining a club of {A, C} would count its 0.2 to C as well.
        assert!(
            (club_exports(&s, ctx.world, StateId(1), IssueId(0), &[StateId(2)]) - 0.2).abs()
                < 1e-15
        );
        payoffs(ctx);
    });
    assert_eq!(world.states.welfare[0], 0.0);
    assert_eq!(world.states.welfare[1], 0.0);
    assert!(
        (world.states.welfare[2] + 0.2).abs() < 1e-15,
        "{}",
        world.states.welfare[2]
    );
}

#[test]
fn a_tariff_without_trade_data_is_an_error() {
    let text = scenario_text("tariff = 0.5", "");
    let err = Scenario::from_toml(&text, "t.toml", Path::new("."), &[]).unwrap_err();
    assert!(
        err.to_string()
            .contains("issues[0].tariff: a tariff needs bilateral trade flows"),
        "{err}"
    );
}

#[test]
fn every_member_pays_the_cost_of_agreement_per_other_member() {
    // A coalition of three votes: each member pays 0.01 × 2 this tick.
    let s = scenario(
        "",
        "[payoffs]\noverhead = 0.0\naffinity_weight = 0.0\n[coalitions]\ninstitutionalisation = 0.0\nnegotiation_cost = 0.01",
    );
    let world = with_ctx(&s, |ctx| {
        coalition(ctx, &[0, 1, 2]);
        proposals(ctx);
        assert_eq!(ctx.scratch.proposals.len(), 1);
        decisions(ctx);
        for m in 0..3 {
            assert!((ctx.scratch.cost[m] - 0.02).abs() < 1e-15);
        }
    });
    assert_eq!(
        world.coalitions.iter().filter(|c| c.attempted == 1).count(),
        1
    );
}

#[test]
fn a_coalition_below_min_size_does_not_decide_and_a_standard_fixes_the_depth() {
    let s = scenario("", "[coalitions]\nmin_size = 3\ndepth = 0.8");
    with_ctx(&s, |ctx| {
        coalition(ctx, &[0, 1]);
        proposals(ctx);
        assert!(ctx.scratch.proposals.is_empty(), "two members < min_size 3");
        coalition(ctx, &[2, 0]);
        let c = ctx.world.active[1];
        membership::join(ctx.scenario, ctx.world, ctx.observer, c, StateId(1));
        proposals(ctx);
        assert_eq!(ctx.scratch.proposals.len(), 1);
        // Every member is at 0.5: consensus would propose 0.5; the standard is 0.8.
        assert_eq!(ctx.scratch.proposals[0].depth, 0.8);
    });
}

#[test]
fn the_two_tier_share_counts_body_members_in_a_coalition_on_its_mandate() {
    let s = scenario(
        "",
        "[[bodies]]\nname = \"All\"\nmembers = \"all\"\nrule = \"consensus\"",
    );
    let mut m = TickMetrics::default();
    let mut tally_sum = 0.0;
    with_ctx(&s, |ctx| {
        coalition(ctx, &[0, 1]);
        record(ctx, &RuleState::Utility, false, &mut m);
        tally_sum = ctx.tally.two_tier_sum[0];
    });
    assert!((tally_sum - 2.0 / 3.0).abs() < 1e-15, "{tally_sum}");
}

#[test]
fn production_is_efficiency_times_depth_times_coverage_to_the_returns() {
    assert!((produce(0.05, 1.0, 0.5, 0.4) - 0.01).abs() < 1e-15);
    assert!((produce(0.05, 2.0, 0.5, 0.4) - 0.05 * 0.5 * 0.16).abs() < 1e-15);
    assert_eq!(
        produce(0.05, 1.0, 0.5, 1.7),
        0.025,
        "coverage is capped at 1"
    );
}

#[test]
fn compliance_weighs_reputation_and_own_benefit_against_cost() {
    // State C holds half the capability: cost = 0.05 * 0.6 * 0.5 = 0.015,
    // own = 0.5 * 0.05 * 0.6 * 0.5 = 0.0075, stake = 0.02 * (1 + 0) * 0.7 = 0.014.
    let s = scenario("", "");
    let world = with_ctx(&s, |_| {});
    let p = comply_probability(
        &s,
        &world,
        StateId(2),
        IssueId(0),
        0.6,
        0.7,
        in_coalition(0.0),
    );
    let expected = logistic((0.014 + 0.0075 - 0.015) / 0.01);
    assert!((p - expected).abs() < 1e-12, "{p} vs {expected}");
    // A formal institution doubles the reputational stake.
    let formal = comply_probability(&s, &world, StateId(2), IssueId(0), 0.6, 0.7, in_body(1.0));
    assert!(formal > p);
}

#[test]
fn public_goods_reach_everyone_and_club_goods_only_members() {
    for (good, outsider_gain) in [("public", 0.5 * 0.01), ("club", 0.0)] {
        let s = scenario(
            &format!("good = \"{good}\""),
            "[payoffs]\noverhead = 0.0\naffinity_weight = 0.0\n[coalitions]\ninstitutionalisation = 0.0",
        );
        let world = with_ctx(&s, |ctx| {
            let c = coalition(ctx, &[0, 1]);
            ctx.scratch
                .measures
                .push(measure(VenueRef::Coalition(c), 0.5, 0.01));
            payoffs(ctx);
        });
        // Members (A, B) get salience × ΔP either way; C only from a public good.
        assert!(
            (world.states.welfare[0] - 0.005).abs() < 1e-15,
            "{good}: {}",
            world.states.welfare[0]
        );
        assert!(
            (world.states.welfare[2] - outsider_gain).abs() < 1e-15,
            "{good}: {}",
            world.states.welfare[2]
        );
    }
}

#[test]
fn membership_overhead_and_affinity_enter_the_payoff() {
    let s = scenario(
        "",
        "[payoffs]\noverhead = 0.01\naffinity_weight = 0.1\n[coalitions]\ninstitutionalisation = 0.0",
    );
    let world = with_ctx(&s, |ctx| {
        coalition(ctx, &[0, 1]);
        payoffs(ctx);
    });
    // No labels: affinity 0, so each member pays the overhead only.
    assert!((world.states.welfare[0] + 0.01).abs() < 1e-15);
    assert_eq!(world.states.welfare[2], 0.0);
}

#[test]
fn a_coalition_below_two_members_dissolves_and_frees_bandwidth() {
    let s = scenario("", "[coalitions]\nhazard_issue = 0.0\nhazard_bloc = 0.0");
    let world = with_ctx(&s, |ctx| {
        let c = coalition(ctx, &[0, 1]);
        let why = Departure::of(ctx.world, StateId(1), 0.0);
        membership::leave(ctx.scenario, ctx.world, ctx.observer, c, StateId(1), why);
        upkeep(ctx);
    });
    assert!(world.active.is_empty());
    assert!(world.states.memberships.iter().all(|m| m.is_empty()));
    assert_eq!(world.free.len(), 1);
}

#[test]
fn a_coalition_meeting_its_time_bound_goal_dissolves() {
    let s = scenario("", "[coalitions]\nhazard_issue = 0.0\ngoal = 0.1");
    let world = with_ctx(&s, |ctx| {
        let c = coalition(ctx, &[0, 1]);
        ctx.world.coalitions[c.index()].progress = 0.05;
        upkeep(ctx);
        assert_eq!(ctx.world.active.len(), 1, "not yet");
        ctx.world.coalitions[c.index()].progress = 0.1;
        upkeep(ctx);
    });
    assert!(world.active.is_empty());
}

#[test]
fn a_certain_hazard_dissolves_and_institutions_protect() {
    let s = scenario(
        "",
        "[coalitions]\nhazard_issue = 1.0\ninstitution_protection = 1.0\ninstitutionalisation = 1.0",
    );
    let world = with_ctx(&s, |ctx| {
        let c = coalition(ctx, &[0, 1]);
        ctx.world.coalitions[c.index()].institutionalisation = 1.0;
        upkeep(ctx);
    });
    assert_eq!(
        world.active.len(),
        1,
        "full institutionalisation removes the whole hazard"
    );
    let s = scenario("", "[coalitions]\nhazard_issue = 1.0");
    let world = with_ctx(&s, |ctx| {
        let c = coalition(ctx, &[0, 1]);
        ctx.world.coalitions[c.index()].institutionalisation = 0.0;
        upkeep(ctx);
    });
    assert!(world.active.is_empty());
}

#[test]
fn a_crisis_raises_salience_for_its_duration_capped_at_one() {
    let s = scenario(
        "shock_rate = 1.0\nshock_boost = 0.7\nshock_duration = 2",
        "",
    );
    with_ctx(&s, |ctx| {
        shocks(ctx);
        assert_eq!(ctx.world.salience(StateId(0), IssueId(0)), 1.0);
        assert_eq!(ctx.world.issues[0].crises, 1);
    });
}

#[test]
fn decay_erodes_progress() {
    let s = scenario("decay = 0.1", "");
    with_ctx(&s, |ctx| {
        ctx.world.issues[0].progress = 0.5;
        shocks(ctx);
        assert!((ctx.world.issues[0].progress - 0.45).abs() < 1e-15);
    });
}

#[test]
fn a_facilitating_body_endorses_a_coalition_measure_and_adopts_it_next_tick() {
    let s = scenario(
        "",
        "[coalitions]\nendorsement_rate = 1.0\n[[bodies]]\nname = \"UN\"\nmembers = \"all\"\nrule = \"unanimity\"\nfacilitates = true",
    );
    with_ctx(&s, |ctx| {
        let c = coalition(ctx, &[1, 2]); // coverage 0.75
        ctx.world.coalitions[c.index()].coverage = 1.0;
        ctx.scratch
            .measures
            .push(measure(VenueRef::Coalition(c), 0.4, 0.0));
        upkeep(ctx);
        let pending = ctx.world.bodies[0]
            .pending
            .map(|e| (e.issue, e.depth, e.coalition));
        assert_eq!(pending, Some((IssueId(0), 0.4, c)));
        ctx.scratch.proposals.clear();
        decisions(ctx);
        assert_eq!(ctx.world.bodies[0].endorsed, 1);
        assert!(
            ctx.scratch
                .measures
                .iter()
                .any(|m| m.endorsement && m.venue == VenueRef::Body(BodyId(0)))
        );
    });
}

/// Takes up coalition `c`'s measure of depth 0.4 at body 0 and lets the body
/// decide on it; returns (endorsed by the body, take-up votes, failed, measures
/// counted as endorsed, whether the body's measure was adopted).
fn take_up(s: &Scenario, laggard_veto: bool) -> (u32, u32, u32, u64, bool) {
    let mut out = (0, 0, 0, 0, false);
    with_ctx(s, |ctx| {
        if laggard_veto {
            // C sits at the status quo: a step forward gains it nothing, so it
            // rejects (p = logistic(−0.4 / 0.01)).
            let at = ctx.world.states.at(StateId(2), IssueId(0));
            ctx.world.states.position[at] = 0.0;
        }
        let c = coalition(ctx, &[0, 1]);
        ctx.world.coalitions[c.index()].coverage = 1.0;
        ctx.scratch
            .measures
            .push(measure(VenueRef::Coalition(c), 0.4, 0.0));
        upkeep(ctx);
        assert!(ctx.world.bodies[0].pending.is_some());
        ctx.scratch.proposals.clear();
        decisions(ctx);
        let b = &ctx.world.bodies[0];
        out = (
            b.endorsed,
            b.take_up_votes,
            b.take_ups_failed,
            ctx.tally.coalition_measures_endorsed,
            ctx.scratch.measures.iter().any(|m| m.endorsement),
        );
    });
    out
}

#[test]
fn a_veto_holder_can_block_taking_up_a_coalition_measure_only_under_a_vote() {
    let body = "[decision]\ntemperature = 0.01\n[coalitions]\nendorsement_rate = 1.0\n\
        [[bodies]]\nname = \"UNSC\"\nmembers = \"all\"\nrule = \"veto\"\nveto = [\"C\"]\nfacilitates = true";
    let vote = scenario("", body);
    let automatic = scenario(
        "",
        &format!("{body}\n").replace(
            "[coalitions]\n",
            "[coalitions]\nendorsement = \"automatic\"\n",
        ),
    );
    assert_eq!(
        vote.coalitions.endorsement,
        EndorsementMode::Vote,
        "the default"
    );
    // Without a vote the laggard's veto does not apply: taken up is adopted.
    assert_eq!(take_up(&automatic, true), (1, 0, 0, 1, true));
    // Under a vote it does: the body declines, and nothing counts as endorsed.
    assert_eq!(take_up(&vote, true), (0, 1, 1, 0, false));
    // With every member ahead of the status quo the vote adopts it.
    assert_eq!(take_up(&vote, false), (1, 1, 0, 1, true));
}

#[test]
fn reputation_learns_from_compliance() {
    let s = scenario("", "[payoffs]\ntrust_rate = 0.5\ninitial_trust = 0.5");
    with_ctx(&s, |ctx| {
        ctx.scratch.asked[0] = 2;
        ctx.scratch.complied[0] = 2;
        ctx.scratch.asked[1] = 1;
        learning(ctx);
        assert_eq!(ctx.world.states.reputation[0], 0.75);
        assert_eq!(ctx.world.states.reputation[1], 0.25);
        assert_eq!(
            ctx.world.states.reputation[2], 0.5,
            "no decision, no update"
        );
    });
}

/// C's compliance with a measure of depth 0.5 by a Council of A alone that binds
/// every state, with `[legitimacy] compliance = weight`: (asked, complied).
fn bound_outsider_complies(weight: f64) -> (u32, u32) {
    let s = scenario(
        "cost = 0.1",
        &format!(
            "[payoffs]\ncompliance_temperature = 0.0001\n[legitimacy]\ncompliance = {weight}\n\
             [[bodies]]\nname = \"Council\"\nmembers = [\"A\"]\nbinds = \"all\"\nrule = \"unanimity\""
        ),
    );
    let mut out = (0, 0);
    with_ctx(&s, |ctx| {
        ctx.scratch
            .measures
            .push(measure(VenueRef::Body(BodyId(0)), 0.5, 0.0));
        implementation(ctx);
        out = (ctx.scratch.asked[2], ctx.scratch.complied[2]);
        // One of three states had a voice.
        assert!((ctx.scratch.measures[0].legitimacy - 1.0 / 3.0).abs() < 1e-15);
    });
    out
}

#[test]
fn a_bound_state_without_a_voice_feels_the_law_by_the_measures_legitimacy() {
    // C (share 0.5, effort 1: it sits in no venue) weighs the stake of the law,
    // 0.02 × (1 + 1) × trust 0.7 = 0.028, and its own benefit 0.5 × 0.05 × 0.5 × 0.5
    // = 0.00625 against the cost 0.1 × 0.5 × 0.5 = 0.025: +0.00925, it complies.
    assert_eq!(bound_outsider_complies(0.0), (1, 1));
    // Weighted fully by legitimacy 1/3 the stake is 0.00933: −0.0094, it does not.
    assert_eq!(bound_outsider_complies(1.0), (1, 0));
}

#[test]
fn free_states_that_want_a_step_follow_a_coalition_measure_by_its_legitimacy() {
    // Coalition {A, B} adopts a free measure (cost 0); C wants a step (position 0.5
    // above the status quo 0) and cares (salience 0.5), so it always would comply;
    // it follows with probability weight × λ = 1 × 2/3.
    let trials = 3000;
    let mut counts = [(0u64, 0u64); 3];
    for (k, (weight, c_position)) in [(1.0, 0.5), (0.0, 0.5), (1.0, 0.0)].into_iter().enumerate() {
        let s = scenario(
            "cost = 0.0",
            &format!(
                "[payoffs]\ncompliance_temperature = 0.0001\n[legitimacy]\ncompliance = {weight}"
            ),
        );
        with_ctx(&s, |ctx| {
            let at = ctx.world.states.at(StateId(2), IssueId(0));
            ctx.world.states.position[at] = c_position;
            let c = coalition(ctx, &[0, 1]);
            for _ in 0..trials {
                ctx.scratch.measures.clear();
                ctx.scratch
                    .measures
                    .push(measure(VenueRef::Coalition(c), 0.5, 0.0));
                implementation(ctx);
            }
            counts[k] = (ctx.tally.follow_chances, ctx.tally.follows);
            assert!(
                ctx.scratch.implementing.iter().all(|&x| !x),
                "marks cleared"
            );
        });
    }
    let (chances, follows) = counts[0];
    assert_eq!(chances, trials);
    let rate = follows as f64 / chances as f64;
    let se = (2.0 / 9.0 / trials as f64).sqrt();
    assert!((rate - 2.0 / 3.0).abs() < 4.0 * se, "{rate}");
    // Without the weight nobody follows; a state content with the status quo never.
    assert_eq!(counts[1], (0, 0));
    assert_eq!(counts[2], (0, 0));
}

#[test]
fn a_body_takes_up_a_coalition_measure_as_readily_as_its_legitimacy_allows() {
    // Rate 1 and full coverage: without the weight the Council always takes it up;
    // weighted fully by legitimacy 0 (set by hand), never.
    for (weight, taken) in [(0.0, true), (1.0, false)] {
        let s = scenario(
            "",
            &format!(
                "[coalitions]\nendorsement_rate = 1.0\n[legitimacy]\nendorsement = {weight}\n\
                 [[bodies]]\nname = \"Council\"\nmembers = \"all\"\nrule = \"unanimity\"\nfacilitates = true"
            ),
        );
        with_ctx(&s, |ctx| {
            let c = coalition(ctx, &[0, 1]);
            ctx.world.coalitions[c.index()].coverage = 1.0;
            ctx.scratch
                .measures
                .push(measure(VenueRef::Coalition(c), 0.4, 0.0));
            upkeep(ctx);
            assert_eq!(
                ctx.world.bodies[0].pending.is_some(),
                taken,
                "weight {weight}"
            );
        });
    }
}

#[test]
fn a_member_failed_too_often_stays_away_and_an_absent_veto_holder_vetoes_nothing() {
    // A holds the veto and would reject (it sits at the status quo); B and C accept.
    // After two failed turns on what it wanted, A stays away: the vote passes without
    // its veto (the Soviet Union's empty chair in the Council, 1950).
    let s = scenario(
        "",
        "[decision]\ntemperature = 0.01\n[[bodies]]\nname = \"Council\"\nmembers = \"all\"\n\
         rule = \"veto\"\nveto = [\"A\"]\ndisengage_after = 2",
    );
    with_ctx(&s, |ctx| {
        let at = ctx.world.states.at(StateId(0), IssueId(0));
        ctx.world.states.position[at] = 0.0;
        assert!(!ballot(ctx, BodyId(0), IssueId(0), 0.4), "A vetoes");
        assert_eq!(ctx.scratch.vetoed, vec![StateId(0)]);
        assert_eq!(ctx.tally.empty_chairs, 0);
        ctx.world.bodies[0].failures[0] = 2;
        assert!(ballot(ctx, BodyId(0), IssueId(0), 0.4), "A is away");
        assert!(ctx.scratch.vetoed.is_empty());
        assert_eq!(ctx.tally.empty_chairs, 1);
        // An adoption brings everyone back.
        institutions::note_turn(ctx.scenario, ctx.world, 0, IssueId(0), true);
        assert_eq!(ctx.world.bodies[0].failures[0], 0);
        assert!(
            !ballot(ctx, BodyId(0), IssueId(0), 0.4),
            "A is back and vetoes"
        );
    });
}

/// Four states on a security issue: the challenger C (military 2, position 0.1, Asia),
/// A and B (military 1, position 0.9, Asia and Europe) and D (military 1, position 0.2,
/// Asia), salience 0.5 each; `threat` is the issue's threat table.
fn threat_scenario(threat: &str) -> Scenario {
    let text = format!(
        r#"[scenario]
name = "t"
[world]
capabilities = ["milex"]
great_powers = 0
challengers = ["C"]
[defaults]
salience = 0.5
[[states]]
name = "C"
region = "Asia"
capabilities = {{ milex = 2.0 }}
interests.security = {{ position = 0.1 }}
[[states]]
name = "A"
region = "Asia"
capabilities = {{ milex = 1.0 }}
interests.security = {{ position = 0.9 }}
[[states]]
name = "B"
region = "Europe"
capabilities = {{ milex = 1.0 }}
interests.security = {{ position = 0.9 }}
[[states]]
name = "D"
region = "Asia"
capabilities = {{ milex = 1.0 }}
interests.security = {{ position = 0.2 }}
[[issues]]
name = "security"
capability = "milex"
{threat}
"#
    );
    Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
        .expect("valid test scenario")
        .scenario
}

#[test]
fn a_challenger_threatens_by_relative_power_distance_and_region() {
    // θ = r × |pos − pos_C| × g with r = 2 / (2 + 1): A (near) 2/3 × 0.8 = 0.5333,
    // B (another region, distant 0.5) half of it, D (close to C's position) 2/3 × 0.1,
    // C itself nothing. Salience = 0.5 + assertiveness × θ.
    let s = threat_scenario("threat = { assertiveness = 0.6, distant = 0.5 }");
    let world = with_ctx(&s, |_| {});
    let theta = |i: u32| world.states.threat[world.states.at(StateId(i), IssueId(0))];
    let expected = [0.0, 0.8 * 2.0 / 3.0, 0.4 * 2.0 / 3.0, 0.1 * 2.0 / 3.0];
    for (i, want) in expected.iter().enumerate() {
        assert!(
            (theta(i as u32) - want).abs() < 1e-12,
            "state {i}: {}",
            theta(i as u32)
        );
        let salience = world.salience(StateId(i as u32), IssueId(0));
        assert!(
            (salience - (0.5 + 0.6 * want)).abs() < 1e-12,
            "state {i}: {salience}"
        );
    }
    // Without a threat table nothing is added.
    let plain = threat_scenario("");
    let world = with_ctx(&plain, |_| {});
    assert!(world.states.threat.iter().all(|&t| t == 0.0));
    assert_eq!(world.salience(StateId(1), IssueId(0)), 0.5);
}

#[test]
fn assertiveness_ramps_up_over_its_ticks_and_salience_is_capped_at_1() {
    let s = threat_scenario("threat = { assertiveness = 1.0, ramp = 4 }");
    let theta_a = 0.8 * 2.0 / 3.0;
    let mut world = with_ctx(&s, shocks);
    // Tick 0: a quarter of the way up.
    assert!((world.issues[0].pressure - 0.25).abs() < 1e-15);
    let a = world.salience(StateId(1), IssueId(0));
    assert!((a - (0.5 + 0.25 * theta_a)).abs() < 1e-12, "{a}");
    for (tick, want) in [(1, 0.5), (2, 0.75), (3, 1.0), (10, 1.0)] {
        world.tick = tick;
        let mut rng = run_rng(1, RunKey::default());
        let mut scratch = Scratch::new(&s);
        let mut tally = Tally::new(1, 0);
        let mut ctx = Ctx {
            scenario: &s,
            world: &mut world,
            rng: &mut rng,
            scratch: &mut scratch,
            tally: &mut tally,
            observer: &mut Discard,
            accept: crate::act::accept_params(&s),
        };
        shocks(&mut ctx);
        assert!(
            (world.issues[0].pressure - want).abs() < 1e-15,
            "tick {tick}"
        );
    }
    // At full strength A's salience 0.5 + 0.533 is capped at 1.
    assert_eq!(world.salience(StateId(1), IssueId(0)), 1.0);
}

#[test]
fn coalitions_are_compared_with_real_groupings_by_their_best_jaccard_index() {
    // The grouping "quad" = {A, B, D}; a coalition {A, B} matches 2 / 3, then {A, B, C}
    // matches 2 / 4; the best so far is kept. A coalition on another issue is ignored.
    let text = scenario_text(
        "",
        "[[issues]]\nname = \"other\"\ncapability = \"gdp\"\n[output]\ncompare = [\"quad\"]\ncompare_issue = \"trade\"",
    );
    let text = text
        .replacen(
            "name = \"A\"\ncapabilities = { gdp = 1.0 }",
            "name = \"A\"\nlabels = [\"quad\"]\ncapabilities = { gdp = 1.0 }",
            1,
        )
        .replacen(
            "name = \"B\"\ncapabilities = { gdp = 1.0 }",
            "name = \"B\"\nlabels = [\"quad\"]\ncapabilities = { gdp = 1.0 }",
            1,
        );
    let text = format!(
        "{text}\n[[states]]\nname = \"D\"\nlabels = [\"quad\"]\ncapabilities = {{ gdp = 1.0 }}\n"
    );
    let s = Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
        .expect("valid test scenario")
        .scenario;
    assert_eq!(s.compare_columns(), ["match_quad"]);
    assert_eq!(s.output.compare[0].size, 3);
    let mut tally = Tally {
        compared: vec![(s.output.compare[0].mask, 3)],
        compare_issue: s.output.compare_issue,
        matches: vec![f64::NAN],
        ..Tally::new(2, 0)
    };
    let world = with_ctx(&s, |ctx| {
        let c = coalition(ctx, &[0, 1]);
        tally.compare(ctx.world.coalition(c), &ctx.world.states.labels);
        assert!((tally.matches[0] - 2.0 / 3.0).abs() < 1e-15);
        membership::join(ctx.scenario, ctx.world, ctx.observer, c, StateId(2));
        tally.compare(ctx.world.coalition(c), &ctx.world.states.labels);
        assert!(
            (tally.matches[0] - 2.0 / 3.0).abs() < 1e-15,
            "the best is kept"
        );
        ctx.world.coalitions[c.index()].issue = IssueId(1);
        ctx.world.coalitions[c.index()].members.truncate(0);
        tally.compare(ctx.world.coalition(c), &ctx.world.states.labels);
    });
    assert_eq!(world.states.len(), 4);
    assert!((tally.matches[0] - 2.0 / 3.0).abs() < 1e-15);
    // The first coalition compared sets it from NaN; the whole grouping matches 1.
    let mut fresh = Tally {
        matches: vec![f64::NAN],
        ..tally.clone()
    };
    with_ctx(&s, |ctx| {
        let c = coalition(ctx, &[0, 1, 3]);
        fresh.compare(ctx.world.coalition(c), &ctx.world.states.labels);
    });
    assert_eq!(fresh.matches[0], 1.0);
}

#[test]
fn a_time_bound_goal_focuses_effort_and_the_compliance_stake() {
    // A sits in a body and a coalition on the issue. Without a deadline (or with focus
    // 0) each gets half its effort; with a deadline and focus 2 the coalition gets
    // (1 + 2) / (2 + 2 × 1) = 3/4 and the body 1/4. Joining a second coalition would
    // give each (1 + 2) / (3 + 2 × 2) = 3/7.
    let body = "[[bodies]]\nname = \"B\"\nmembers = [\"A\", \"B\"]\nrule = \"unanimity\"";
    let plain = scenario("", &format!("{body}\n[coalitions]\nfocus = 2"));
    let focused = scenario(
        "",
        &format!("{body}\n[coalitions]\ndeadline = 20\nfocus = 2"),
    );
    let k = IssueId(0);
    let (mut p_plain, mut p_focused) = (0.0, 0.0);
    let world = with_ctx(&plain, |ctx| {
        coalition(ctx, &[0, 1]);
        assert_eq!(ctx.world.states.effort(StateId(0), k, true), 0.5);
        assert_eq!(ctx.world.states.effort(StateId(0), k, false), 0.5);
        p_plain = comply_probability(
            ctx.scenario,
            ctx.world,
            StateId(0),
            k,
            0.5,
            0.7,
            in_coalition(0.3),
        );
    });
    assert_eq!(world.states.focus, 0.0, "focus needs a deadline or a goal");
    let world = with_ctx(&focused, |ctx| {
        coalition(ctx, &[0, 1]);
        assert_eq!(ctx.world.states.effort(StateId(0), k, true), 0.75);
        assert_eq!(ctx.world.states.effort(StateId(0), k, false), 0.25);
        assert!(
            (ctx.world.states.effort_if_joining(StateId(0), k, true) - 3.0 / 7.0).abs() < 1e-15
        );
        p_focused = comply_probability(
            ctx.scenario,
            ctx.world,
            StateId(0),
            k,
            0.5,
            0.7,
            in_coalition(0.3),
        );
    });
    assert_eq!(world.states.focus, 2.0);
    // The stake of reputation is tripled: compliance rises.
    assert!(p_focused > p_plain, "{p_focused} vs {p_plain}");
    let s = 0.25 * 0.75; // A's gdp share 1/4, effort 3/4
    let want = logistic((0.02 * 1.3 * 0.7 * 3.0 + 0.5 * 0.05 * 0.5 * s - 0.05 * 0.5 * s) / 0.01);
    assert!((p_focused - want).abs() < 1e-12, "{p_focused} vs {want}");
}

#[test]
fn a_measure_draws_on_the_largest_expertise_among_its_compliers() {
    // Coalition {A, B} (gdp shares 1/4 each) adopts a free measure of depth 0.5; both
    // comply (cost 0, a sharp compliance logit). Progress = efficiency 0.05 × (1 + the
    // largest expertise among the compliers) × 0.5 × coverage 0.5.
    let progress = |a: f64, b: f64| {
        let mut s = scenario("cost = 0.0", "[payoffs]\ncompliance_temperature = 0.0001");
        s.states[0].expertise = a;
        s.states[1].expertise = b;
        let world = with_ctx(&s, |ctx| {
            let c = coalition(ctx, &[0, 1]);
            ctx.scratch
                .measures
                .push(measure(VenueRef::Coalition(c), 0.5, 0.0));
            implementation(ctx);
        });
        world.issues[0].progress
    };
    assert!((progress(0.0, 0.0) - 0.0125).abs() < 1e-15);
    assert!((progress(0.6, 0.2) - 0.0125 * 1.6).abs() < 1e-15);
    assert!((progress(0.2, 1.0) - 0.025).abs() < 1e-15);
}

/// Two pairs with opposite priorities: A and B want climate action (position 0.8,
/// salience 0.9) and oppose trade opening (position 0, below its status quo 0.2,
/// salience 0.1); C and D the reverse. One body of all four by unanimity, deciding
/// both issues every tick.
fn logroll(linkage: bool) -> Scenario {
    let pair = |name: &str, climate: (f64, f64), trade: (f64, f64)| {
        format!(
            "[[states]]\nname = \"{name}\"\ncapabilities = {{ gdp = 1.0 }}\n\
             interests.climate = {{ position = {}, salience = {} }}\n\
             interests.trade = {{ position = {}, salience = {} }}\n",
            climate.0, climate.1, trade.0, trade.1
        )
    };
    let text = format!(
        "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\ngreat_powers = 0\n{}{}{}{}\
         [[issues]]\nname = \"climate\"\ncapability = \"gdp\"\nstatus_quo = 0.2\n\
         [[issues]]\nname = \"trade\"\ncapability = \"gdp\"\nstatus_quo = 0.2\n\
         [[bodies]]\nname = \"Council\"\nmembers = \"all\"\nrule = \"unanimity\"\ndelay = 1\nlinkage = {linkage}\n",
        pair("A", (0.8, 0.9), (0.0, 0.1)),
        pair("B", (0.8, 0.9), (0.0, 0.1)),
        pair("C", (0.0, 0.1), (0.8, 0.9)),
        pair("D", (0.0, 0.1), (0.8, 0.9)),
    );
    Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
        .expect("valid test scenario")
        .scenario
}

#[test]
fn linkage_lets_each_side_trade_a_loss_it_cares_little_about_for_a_gain() {
    // Issue by issue, the pair below the status quo rejects each step (gain −0.6):
    // neither measure passes. Linked, each member's salience-weighted gain is
    // (0.9 × 0.6 + 0.1 × (−0.6)) / 1.0 = 0.48, accepted with logistic(0.48 / 0.08) =
    // 0.9975 each, so the package of both passes about 99% of the time.
    let adopted = |s: &Scenario| {
        let mut measures = [0u32; 2];
        with_ctx(s, |ctx| {
            for _ in 0..400 {
                proposals(ctx);
                decisions(ctx);
                for m in &ctx.scratch.measures {
                    measures[m.issue.index()] += 1;
                }
            }
        });
        measures
    };
    let apart = adopted(&logroll(false));
    let linked = adopted(&logroll(true));
    assert!(apart[0] <= 2 && apart[1] <= 2, "{apart:?}");
    assert_eq!(linked[0], linked[1], "a package is adopted whole");
    assert!(linked[0] >= 380, "{linked:?}");
    // One attempt per package.
    let s = logroll(true);
    let world = with_ctx(&s, |ctx| {
        proposals(ctx);
        assert_eq!(ctx.scratch.proposals.len(), 2);
        assert!(ctx.scratch.proposals.iter().all(|p| p.linked));
        decisions(ctx);
    });
    assert_eq!(world.bodies[0].attempted, 1);
}

#[test]
fn dissent_lowers_compliance_with_a_measure_beyond_a_members_position() {
    // C complies with depth 0.6 with utility 0.014 + 0.0075 − 0.015 (as above) plus
    // dissent × gain; at position 0.5 and status quo 0 the gain is |0 − 0.5| −
    // |0.6 − 0.5| = 0.4.
    let p = |dissent: f64, position: f64| {
        let s = scenario(
            "status_quo = 0.0",
            &format!("[payoffs]\ndissent = {dissent}"),
        );
        let mut out = 0.0;
        with_ctx(&s, |ctx| {
            let at = ctx.world.states.at(StateId(2), IssueId(0));
            ctx.world.states.position[at] = position;
            out = comply_probability(
                ctx.scenario,
                ctx.world,
                StateId(2),
                IssueId(0),
                0.6,
                0.7,
                in_coalition(0.0),
            );
        });
        out
    };
    let plain = logistic((0.014 + 0.0075 - 0.015) / 0.01);
    assert!(
        (p(0.0, 0.5) - plain).abs() < 1e-12,
        "dissent 0 changes nothing"
    );
    let want = logistic((0.014 + 0.0075 - 0.015 + 0.02 * 0.4) / 0.01);
    assert!((p(0.02, 0.5) - want).abs() < 1e-12);
    // A member the measure overshoots complies less than without dissent (position
    // 0.1: gain 0.1 − 0.5 = −0.4); one that wanted more complies more.
    assert!(p(0.02, 0.1) < p(0.0, 0.1));
    assert!(p(0.02, 0.9) > p(0.0, 0.9));
}

#[test]
fn a_coordinating_body_leaves_aside_an_issue_another_venue_just_covered() {
    // A body deciding every 2 ticks with two issues; a coalition adopted a trade
    // measure last tick. A coordinating body turns to climate; one that does not
    // coordinate takes trade, its next item. A measure older than its delay, or its
    // own, does not count.
    let text = |coordinate: bool| {
        scenario(
            "status_quo = 0.2\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\nstatus_quo = 0.2",
            &format!(
                "[[bodies]]\nname = \"B\"\nmembers = \"all\"\nrule = \"unanimity\"\ndelay = 2\n\
                 mandate = [\"trade\", \"climate\"]\ncoordinate = {coordinate}"
            ),
        )
    };
    let agenda = |s: &Scenario, last: Option<(u32, VenueRef)>| {
        let mut issue = None;
        with_ctx(s, |ctx| {
            ctx.world.tick = 5; // (5 + 1) % 2 == 0: the body meets
            ctx.world.issues[0].last_measure = last;
            proposals(ctx);
            issue = ctx.scratch.proposals.first().map(|p| p.issue);
        });
        issue
    };
    let by_coalition = Some((4, VenueRef::Coalition(CoalitionId(0))));
    assert_eq!(agenda(&text(false), by_coalition), Some(IssueId(0)));
    assert_eq!(agenda(&text(true), by_coalition), Some(IssueId(1)));
    assert_eq!(
        agenda(&text(true), Some((3, VenueRef::Coalition(CoalitionId(0))))),
        Some(IssueId(0)),
        "older than its delay"
    );
    assert_eq!(
        agenda(&text(true), Some((4, VenueRef::Body(BodyId(0))))),
        Some(IssueId(0)),
        "its own measure"
    );
    // An adopted measure is recorded with its tick and venue.
    let s = text(true);
    let world = with_ctx(&s, |ctx| {
        ctx.world.tick = 1;
        proposals(ctx);
        for _ in 0..50 {
            decisions(ctx);
            if !ctx.scratch.measures.is_empty() {
                break;
            }
        }
    });
    assert_eq!(
        world.issues[0].last_measure,
        Some((1, VenueRef::Body(BodyId(0))))
    );
}

#[test]
fn dialogue_spares_members_of_an_endorsed_coalition_from_resentment() {
    // A and B sit in a coalition on the issue; C is outside. Elitism resents the inner
    // tier unless the body holds a dialogue and the coalition has an endorsed measure.
    let s = |dialogue: bool| {
        scenario(
            "",
            &format!(
                "[[bodies]]\nname = \"B\"\nmembers = \"all\"\nrule = \"consensus\"\ndialogue = {dialogue}\n\
                 [decision]\nelitism = 1.0"
            ),
        )
    };
    for (dialogue, endorsed, resents) in [
        (false, 0, true),
        (false, 1, true),
        (true, 0, true),
        (true, 1, false),
    ] {
        let s = s(dialogue);
        with_ctx(&s, |ctx| {
            let c = coalition(ctx, &[0, 1]);
            ctx.world.coalitions[c.index()].endorsed = endorsed;
            let body = &ctx.world.bodies[0];
            assert_eq!(
                resented(ctx.world, StateId(0), IssueId(0), body.dialogue),
                resents
            );
            assert!(!resented(ctx.world, StateId(2), IssueId(0), body.dialogue));
            // With elitism 1 and two of three members resented, C accepts with
            // probability × 1/3; spared, C accepts as often as without elitism.
            let mut accepted = 0;
            for _ in 0..600 {
                ballot(ctx, BodyId(0), IssueId(0), 0.6);
                accepted += ctx
                    .scratch
                    .voters
                    .iter()
                    .filter(|v| v.state == StateId(2) && v.accepts)
                    .count();
            }
            let rate = accepted as f64 / 600.0;
            let free = accept_probability(
                0.6,
                0.0,
                stance(ctx.world, StateId(2), IssueId(0), None),
                &ctx.accept,
            );
            let want = if resents { free / 3.0 } else { free };
            assert!(
                (rate - want).abs() < 0.07,
                "dialogue {dialogue} endorsed {endorsed}: {rate} vs {want}"
            );
        });
    }
}
