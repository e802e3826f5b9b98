//! The `stability` behaviour rule: symmetric games whose stable size is derived by
//! hand, a hand-worked asymmetric game, the engine mirroring the agreement, the
//! shipped scenario, `stability.csv` and determinism through the CLI.

use std::fs;
use std::path::Path;

use minilat::behaviour::RuleState;
use minilat::engine::Simulation;
use minilat::engine::rng::RunKey;
use minilat::metrics::Discard;
use minilat::model::ids::StateId;
use minilat::scenario::Scenario;

use crate::common::minilat;
use crate::library::{column, load, summaries};
use crate::repo;

/// `n` states with `gdp` values (1 each if `gdp` is empty), one issue that is never
/// solved, no dissolution hazard, the `stability` rule with `[behaviour.stability]`
/// fields `rule_fields`, then `extra` TOML.
fn scenario(n: usize, gdp: &[f64], rule_fields: &str, extra: &str) -> Scenario {
    let mut text = String::from(
        "[scenario]\nname = \"t\"\nticks = 60\nruns = 10\nseed = 7\n[world]\ncapabilities = [\"gdp\"]\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\ntarget = 1000\n[coalitions]\nhazard_issue = 0.0\nhazard_bloc = 0.0\n[behaviour]\nrule = \"stability\"\nreview_rate = 0.5\n[behaviour.stability]\n",
    );
    text.push_str(rule_fields);
    text.push('\n');
    text.push_str(extra);
    text.push('\n');
    for i in 0..n {
        let g = gdp.get(i).copied().unwrap_or(1.0);
        text.push_str(&format!(
            "[[states]]\nname = \"S{i}\"\ncapabilities = {{ gdp = {g:?} }}\n"
        ));
    }
    match Scenario::from_toml(&text, "t.toml", Path::new("."), &[]) {
        Ok(l) => l.scenario,
        Err(e) => panic!("invalid test scenario:\n{e}\n{text}"),
    }
}

/// Plays run `replicate`, checking after every tick the world's invariants and that
/// the rule's agreement is the engine's coalition; returns the final members.
fn play(s: &Scenario, replicate: u32) -> Vec<usize> {
    let mut sim = Simulation::new(
        s,
        RunKey {
            point: 0,
            replicate,
        },
    );
    while !sim.done() {
        sim.step(&mut Discard);
        let w = sim.world();
        w.check_invariants(s).expect("invariants hold");
        let RuleState::Stability(r) = sim.rule() else {
            panic!("the stability rule's state")
        };
        let members: Vec<usize> = (0..w.states.len())
            .filter(|&i| r.is_member(StateId::from_index(i)))
            .collect();
        assert_eq!(members.len(), r.size());
        // |S| >= 2: one active coalition with exactly S; |S| <= 1: none.
        if r.size() >= 2 {
            assert_eq!(w.active.len(), 1, "tick {}", w.tick);
            let mut engine: Vec<usize> = w
                .coalition(w.active[0])
                .members
                .iter()
                .map(|m| m.index())
                .collect();
            engine.sort_unstable();
            assert_eq!(engine, members, "tick {}", w.tick);
        } else {
            assert!(w.active.is_empty(), "tick {}", w.tick);
        }
    }
    let RuleState::Stability(r) = sim.rule() else {
        unreachable!()
    };
    (0..s.states.len())
        .filter(|&i| r.is_member(StateId::from_index(i)))
        .collect()
}

/// runs.csv column `name` over `runs` runs.
fn values(s: &Scenario, runs: u32, name: &str) -> Vec<f64> {
    column(s, &summaries(s, runs), name)
}

#[test]
fn quadratic_runs_settle_on_the_hand_derived_size_three_from_any_start() {
    // π_in(k) = (b²/c)(k²/2 + N − k), π_out(k) = (b²/c)(k² + N − k − 1/2). A member
    // leaves iff π_out(k − 1) > π_in(k) ⇔ (k − 1)(k − 3) > 0 ⇔ k > 3; an outsider joins
    // iff π_in(k + 1) ≥ π_out(k) ⇔ k(k − 2) ≤ 0 ⇔ k ≤ 2. So sizes grow to 3 and shrink
    // to 3, whatever N, b and c.
    for (fields, n) in [
        ("start = \"empty\"", 8),
        ("start = \"grand\"", 8),
        ("start = \"random\"", 8),
        ("start = \"grand\"\nbenefit = 0.3\ncost = 2.0", 12),
    ] {
        let s = scenario(n, &[], fields, "");
        for replicate in 0..3 {
            assert_eq!(play(&s, replicate).len(), 3, "{fields}");
        }
        assert!(
            values(&s, 10, "coalition_size").iter().all(|&k| k == 3.0),
            "{fields}"
        );
        assert!(
            values(&s, 10, "stable").iter().all(|&x| x == 1.0),
            "{fields}"
        );
        assert!(
            values(&s, 10, "stable_size_closed_form")
                .iter()
                .all(|&x| x == 3.0)
        );
    }
}

#[test]
fn linear_runs_settle_on_the_ceiling_of_c_over_b() {
    // b < c: outsiders never abate; members abate iff k b ≥ c. At k* = ⌈c/b⌉ a member
    // gets k* b − c ≥ 0 against 0 outside ((k* − 1) b < c: nobody abates) and stays; an
    // outsider gets k* b against (k* + 1) b − c < k* b and stays out. Below k* joining
    // is never worse (0 or k b − c ≥ 0 against 0); above it leaving gains c − b > 0.
    for (b, c, n, k, q) in [
        (0.4, 1.0, 8, 3, 3.0),  // c/b = 2.5
        (0.25, 1.0, 8, 4, 4.0), // c/b = 4 exactly: at k = 4, k b = c and members abate
        (0.1, 0.3, 8, 3, 3.0),  // c/b = 3, with 0.1 + 0.1 + 0.1 = 0.30000000000000004
        (0.05, 1.0, 8, 8, 0.0), // c/b = 20 > N: everybody in, nobody abates
        (2.0, 1.0, 5, 5, 5.0),  // b > c: everybody abates anyway, and joins (indifferent)
    ] {
        for start in ["empty", "grand"] {
            let fields =
                format!("payoff = \"linear\"\nbenefit = {b:?}\ncost = {c:?}\nstart = \"{start}\"");
            let s = scenario(n, &[], &fields, "");
            assert_eq!(play(&s, 0).len(), k, "{fields}");
            let runs = summaries(&s, 6);
            for (name, want) in [
                ("coalition_size", k as f64),
                ("stable", 1.0),
                ("internally_stable", 1.0),
                ("externally_stable", 1.0),
                ("abatement_total", q),
                ("stable_size_closed_form", k as f64),
            ] {
                let got = column(&s, &runs, name);
                assert!(
                    got.iter().all(|&x| x == want),
                    "{fields}: {name} {got:?}, want {want}"
                );
            }
        }
    }
}

#[test]
fn three_asymmetric_states_end_with_the_two_large_ones() {
    // benefit_by = "share": b_i = b × N × share, shares 0.2, 0.4, 0.4 → b = (0.6, 1.2,
    // 1.2), proportional to (1, 2, 2); quadratic payoffs scale with b², so the game is
    // the one worked by hand in src/behaviour/stability.rs (c = 1, b = (1, 2, 2)):
    // in {B, C} each gets 10 against 8 alone; A gets 8.5 outside against 2.5 inside.
    // {A, B}: A gets 3.5 inside, 4.5 outside, so it leaves. Only {B, C} is stable.
    for start in ["empty", "grand", "random"] {
        let fields = format!("benefit_by = \"share\"\nstart = \"{start}\"");
        let s = scenario(3, &[1.0, 2.0, 2.0], &fields, "");
        for replicate in 0..4 {
            assert_eq!(play(&s, replicate), [1, 2], "{start} run {replicate}");
        }
        assert!(values(&s, 6, "stable").iter().all(|&x| x == 1.0));
        assert!(
            values(&s, 6, "stable_size_closed_form")
                .iter()
                .all(|x| x.is_nan())
        );
    }
}

#[test]
fn a_state_without_bandwidth_stays_outside_and_a_cap_is_reported_unstable() {
    let mut s = scenario(6, &[], "start = \"grand\"", "");
    // S0 gets bandwidth 0: it cannot join, not even the grand coalition at the start.
    s.states[0].bandwidth = minilat::model::param::Param::Fixed(0.0);
    for replicate in 0..3 {
        let members = play(&s, replicate);
        assert_eq!(members.len(), 3);
        assert!(!members.contains(&0), "{members:?}");
    }
    assert!(values(&s, 5, "stable").iter().all(|&x| x == 1.0));
    // max_size 2 stops the agreement below 3: the pair is internally stable, but every
    // outsider would join (at k = 2 it is indifferent), so it is not externally stable.
    let capped = scenario_with_cap(2);
    assert!(
        values(&capped, 5, "coalition_size")
            .iter()
            .all(|&x| x == 2.0)
    );
    assert!(
        values(&capped, 5, "internally_stable")
            .iter()
            .all(|&x| x == 1.0)
    );
    assert!(
        values(&capped, 5, "externally_stable")
            .iter()
            .all(|&x| x == 0.0)
    );
}

fn scenario_with_cap(max_size: u32) -> Scenario {
    let mut s = scenario(6, &[], "", "");
    s.coalitions.max_size = max_size;
    s
}

#[test]
fn an_agreement_the_hazard_dissolves_forms_again() {
    let mut s = scenario(8, &[], "", "");
    s.coalitions.hazard_issue = 0.2;
    for replicate in 0..3 {
        play(&s, replicate);
    }
    let formed = values(&s, 10, "coalitions_formed");
    assert!(formed.iter().all(|&f| f > 3.0), "{formed:?}");
    // Dissolved at most a few ticks before the end: most runs end at size 3.
    let sizes = values(&s, 10, "coalition_size");
    assert!(sizes.iter().all(|&k| k <= 3.0), "{sizes:?}");
    assert!(
        sizes.iter().filter(|&&k| k == 3.0).count() >= 5,
        "{sizes:?}"
    );
}

#[test]
fn the_shipped_scenario_settles_on_three_and_on_ceil_c_over_b() {
    let s = load("stability", &["scenario.ticks=40"]);
    let runs = summaries(&s, 20);
    assert!(
        column(&s, &runs, "coalition_size")
            .iter()
            .all(|&k| k == 3.0)
    );
    assert!(column(&s, &runs, "stable").iter().all(|&x| x == 1.0));
    let s = load(
        "stability",
        &[
            "scenario.ticks=40",
            "behaviour.stability.payoff=\"linear\"",
            "behaviour.stability.cost=6.5",
        ],
    );
    let runs = summaries(&s, 10);
    assert!(
        column(&s, &runs, "coalition_size")
            .iter()
            .all(|&k| k == 7.0)
    );
    assert!(column(&s, &runs, "stable").iter().all(|&x| x == 1.0));
}

#[test]
fn the_cli_writes_stability_csv_and_identical_files_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let scenario = repo("scenarios/stability.toml");
    super::same_files_on_one_and_two_threads(
        tmp.path(),
        &[
            scenario.to_str().expect("utf-8 path"),
            "--runs",
            "24",
            "--set",
            "scenario.ticks=30",
            "--set",
            "behaviour.stability.start=\"random\"",
        ],
        &[
            "runs.csv",
            "coalitions.csv",
            "memberships.csv",
            "ticks.csv",
            "summary.csv",
            "stability.csv",
        ],
    );
    let table = fs::read_to_string(tmp.path().join("1/stability.csv")).expect("stability.csv");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 21, "a header and k = 1..20");
    // N = 20, b = c = 1: member 9/2 + 17 = 21.5, outsider 9 + 17 − 1/2 = 25.5, Q = 26;
    // all 24 runs ended there, stable.
    assert_eq!(lines[3], "3,21.5,25.5,26,1,1,1,1,24,24");
    assert!(lines[2].starts_with("2,20,21.5,22,1,0,0,0,"));
    let ticks = fs::read_to_string(tmp.path().join("1/ticks.csv")).expect("ticks.csv");
    let header = ticks.lines().next().expect("a header");
    assert!(header.contains("coalition_size") && header.contains("abatement_total"));
}

#[test]
fn bad_parameters_are_refused_with_place_and_field() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let text = fs::read_to_string(repo("scenarios/stability.toml"))
        .expect("the scenario")
        .replace("cost = 1.0", "cost = 0")
        .replace("payoff = \"quadratic\"", "payoff = \"cubic\"");
    fs::write(tmp.path().join("bad.toml"), text).expect("written");
    fs::create_dir(tmp.path().join("data")).expect("a data dir");
    fs::copy(
        repo("scenarios/data/states2016.csv"),
        tmp.path().join("data/states2016.csv"),
    )
    .expect("copied");
    let out = minilat(tmp.path())
        .args(["validate", "bad.toml"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(
        err.contains(
            "behaviour.stability.payoff: expected one of quadratic, linear, barrett; found \"cubic\""
        ),
        "{err}"
    );
    assert!(
        err.contains("behaviour.stability.cost: expected a number in (0, 1000000], found 0.0"),
        "{err}"
    );
}

#[test]
fn benefits_scale_with_salience() {
    // Linear, b = 1, c = 1.5, every salience 0.5: b_i = 0.5, c / b_i = 3, so k* = 3 and
    // Q = 3. With salience 1: b_i = 1, k* = ⌈1.5⌉ = 2, Q = 2. The closed-form column is
    // empty (benefit_by is not "equal").
    for (salience, k) in [(0.5, 3.0), (1.0, 2.0)] {
        let s = scenario(
            7,
            &[],
            "payoff = \"linear\"\ncost = 1.5\nbenefit_by = \"salience\"",
            &format!("[defaults]\nsalience = {salience:?}"),
        );
        let runs = summaries(&s, 5);
        assert!(column(&s, &runs, "coalition_size").iter().all(|&x| x == k));
        assert!(column(&s, &runs, "abatement_total").iter().all(|&x| x == k));
        assert!(column(&s, &runs, "stable").iter().all(|&x| x == 1.0));
        assert!(
            column(&s, &runs, "stable_size_closed_form")
                .iter()
                .all(|x| x.is_nan())
        );
    }
}

#[test]
fn barrett_runs_settle_on_the_exhaustive_stable_size() {
    // Barrett's (1994) abatement game: the dynamic process (one state at a time joins
    // if no worse off inside, leaves if better off outside) ends where the exhaustive
    // check of minilat::behaviour::stability::stable_sizes says, for both orders of
    // moves and from either end.
    for (moves, cost, n) in [
        ("leader", 0.05, 12),
        ("leader", 0.5, 12),
        ("leader", 50.0, 12),
        ("simultaneous", 0.5, 12),
        ("simultaneous", 50.0, 12),
    ] {
        for start in ["empty", "grand"] {
            let fields = format!(
                "payoff = \"barrett\"\nmoves = \"{moves}\"\ncost = {cost:?}\nstart = \"{start}\""
            );
            let s = scenario(n, &[], &fields, "");
            let spec = &s.behaviour.stability;
            let stable: Vec<f64> = minilat::behaviour::stability::stable_sizes(spec, n)
                .iter()
                .filter(|r| r.stable())
                .map(|r| r.k as f64)
                .collect();
            assert_eq!(stable.len(), 1, "{fields}: {stable:?}");
            // One state "in" is no agreement: it ends at 0 or 1 when 1 is stable.
            let sizes = values(&s, 6, "coalition_size");
            assert!(
                sizes.iter().all(|&k| k.max(1.0) == stable[0]),
                "{fields}: {sizes:?}, want {stable:?}"
            );
            assert!(
                values(&s, 6, "stable").iter().all(|&x| x == 1.0),
                "{fields}"
            );
            let closed = values(&s, 6, "stable_size_closed_form");
            if moves == "leader" {
                assert!(closed.iter().all(|x| x.is_nan()), "no closed form");
            } else {
                assert!(
                    closed.iter().all(|&x| x == stable[0]),
                    "{fields}: {closed:?}"
                );
            }
        }
    }
}

#[test]
fn the_barrett_scenario_ends_at_51_of_100_and_charts_size_against_ratio() {
    // gamma = c/b = 0.01, N = 100, signatories leading: the exhaustive check's only
    // stable size is 51 (docs/rules/stability.md, "Barrett's game").
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .arg("run")
        .arg(repo("scenarios/barrett.toml"))
        .args([
            "--runs",
            "8",
            "--set",
            "scenario.ticks=60",
            "--quiet",
            "--out",
            "b",
        ])
        .assert()
        .success();
    let table = fs::read_to_string(tmp.path().join("b/stability_by_ratio.csv"))
        .expect("stability_by_ratio.csv");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        1 + 2 * 61,
        "0.01 is on the grid: not added twice"
    );
    let own: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("0.01,"))
        .collect();
    assert_eq!(own.len(), 2);
    assert!(own[0].starts_with("0.01,simultaneous,1,1,1,"), "{}", own[0]);
    assert!(own[1].starts_with("0.01,leader,51,51,,"), "{}", own[1]);
    assert!(own[1].ends_with(",1,51"), "the runs' mean: {}", own[1]);
    assert!(
        tmp.path()
            .join("b/charts/stable_size_vs_ratio.png")
            .is_file()
    );
    let runs = fs::read_to_string(tmp.path().join("b/stability.csv")).expect("stability.csv");
    let row51 = runs.lines().nth(51).expect("k = 51");
    assert!(
        row51.starts_with("51,") && row51.ends_with(",1,1,1,,8,8"),
        "{row51}"
    );
}
