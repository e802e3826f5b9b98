//! The schema through whole scenarios: defaults, every section's errors, names.

use crate::scenario::fixtures::{NAMES, TINY, edit, errors, load};
use crate::scenario::{
    BehaviourRule, CapId, IssueId, OutputSpec, Param, Rule, StateId, TickOutput, Weight,
};

#[test]
fn groups_sit_between_defaults_and_a_states_own_fields() {
    let text = r#"[scenario]
name = "groups"
[world]
capabilities = ["gdp"]
[defaults]
position = 0.5
bandwidth = 3
[groups.eu]
position = 0.8
bandwidth = 5
[groups.green.interests.trade]
position = 0.9
[groups.rival]
challenger = true
[[states]]
name = "A"
labels = ["eu"]
capabilities = { gdp = 1.0 }
[[states]]
name = "B"
labels = ["eu", "green"]
capabilities = { gdp = 1.0 }
interests = { trade = { salience = 0.7 } }
[[states]]
name = "C"
labels = ["eu", "green", "rival"]
bandwidth = 1
capabilities = { gdp = 1.0 }
interests = { trade = { position = 0.1 } }
[[states]]
name = "D"
capabilities = { gdp = 1.0 }
[[issues]]
name = "trade"
capability = "gdp"
"#;
    let s = load(text, &[]).unwrap().scenario;
    let position: Vec<Param> = s
        .states
        .iter()
        .map(|st| st.interests[0].position.clone())
        .collect();
    assert_eq!(
        position,
        [
            Param::Fixed(0.8),
            Param::Fixed(0.9),
            Param::Fixed(0.1),
            Param::Fixed(0.5)
        ]
    );
    assert_eq!(s.states[0].interests[0].salience, Param::Fixed(0.5));
    assert_eq!(s.states[1].interests[0].salience, Param::Fixed(0.7));
    let bandwidth: Vec<Param> = s.states.iter().map(|st| st.bandwidth.clone()).collect();
    assert_eq!(
        bandwidth,
        [
            Param::Fixed(5.0),
            Param::Fixed(5.0),
            Param::Fixed(1.0),
            Param::Fixed(3.0)
        ]
    );
    let challengers: Vec<bool> = s.states.iter().map(|st| st.challenger).collect();
    assert_eq!(challengers, [false, false, true, false]);
    assert_eq!(
        errors(&format!("{text}[groups.nobody]\nposition = 0.2\n"), &[]),
        ["s.toml:36:9: groups.nobody: unknown label \"nobody\": no state carries it"]
    );
}

#[test]
fn min_size_above_max_size_is_an_error() {
    let text = format!("{TINY}[coalitions]\nmax_size = 5\nmin_size = 9\n");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:20:12: coalitions.min_size: expected at most max_size (5), found 9"]
    );
}

#[test]
fn minimal_scenario_gets_every_documented_default() {
    let loaded = load(TINY, &[]).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let s = loaded.scenario;
    assert_eq!((s.name.as_str(), s.description.as_str()), ("tiny", ""));
    assert_eq!((s.ticks, s.runs, s.seed), (100, 100, 1));
    assert_eq!(s.capabilities, ["gdp"]);
    assert!(s.labels.is_empty() && s.affinities.is_empty());
    // great_powers = 5, capped at the two states.
    assert_eq!(s.great_powers, [StateId(0), StateId(1)]);
    let a = &s.states[0];
    assert_eq!(
        (a.iso3.as_str(), a.region.as_str(), a.population),
        ("", "", 0.0)
    );
    assert_eq!((a.labels, a.challenger, a.non_state), (0, false, false));
    assert_eq!(a.bandwidth, Param::Fixed(3.0));
    assert_eq!(a.interests[0].salience, Param::Fixed(0.5));
    assert_eq!(a.interests[0].position, Param::Fixed(0.5));
    let i = &s.issues[0];
    assert_eq!(i.capability, CapId(0));
    let numbers = [i.excludability, i.efficiency, i.returns, i.cost, i.target];
    assert_eq!(numbers, [0.0, 0.05, 1.0, 0.05, 1.0]);
    let shocks = [i.decay, i.shock_rate, i.shock_boost];
    assert_eq!(shocks, [0.0, 0.0, 0.3]);
    assert_eq!(i.shock_duration, 10);
    let b = &s.bodies[0];
    assert_eq!(b.members, [StateId(0), StateId(1)]);
    assert_eq!(
        (b.rule.clone(), b.delay, b.facilitates),
        (Rule::Unanimity, 5, false)
    );
    assert_eq!(b.mandate, [IssueId(0)]);
    let c = &s.coalitions;
    assert_eq!((c.enabled, c.max_size, c.delay), (true, 20, 1));
    assert_eq!(c.rule, Rule::Consensus { abstain_below: 0.2 });
    assert_eq!(c.institutionalisation, Param::Fixed(0.3));
    let rates = [
        c.institution_cost,
        c.hazard_issue,
        c.hazard_bloc,
        c.institution_protection,
        c.target_coverage,
        c.founding_cost,
        c.bloc_threshold,
        c.endorsement_rate,
        c.non_facilitating_factor,
    ];
    assert_eq!(rates, [0.002, 0.02, 0.008, 0.7, 0.6, 0.01, 0.75, 0.1, 0.2]);
    assert_eq!((c.goal, c.deadline), (None, None));
    let d = &s.decision;
    let decision = [d.temperature, d.challenger_reluctance, d.rivalry];
    assert_eq!(decision, [0.08, 0.3, 0.3]);
    let p = &s.payoffs;
    let payoffs = [
        p.overhead,
        p.affinity_weight,
        p.reputation,
        p.compliance_temperature,
        p.trust_rate,
        p.initial_trust,
    ];
    assert_eq!(payoffs, [0.003, 0.01, 0.02, 0.01, 0.1, 0.7]);
    let h = &s.behaviour;
    assert_eq!(h.rule, BehaviourRule::Utility);
    let behaviour = [h.temperature, h.review_rate, h.min_salience, h.reciprocity];
    assert_eq!(behaviour, [0.02, 0.1, 0.3, 0.5]);
    assert_eq!(h.join_candidates, 3);
    assert_eq!(
        s.output,
        OutputSpec {
            ticks: TickOutput::Mean,
            every: 1,
            compare: Vec::new(),
            compare_issue: None,
        }
    );
}

#[test]
fn enum_error() {
    let text = edit(TINY, "\"unanimity\"", "\"majority\"");
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:17:8: bodies[0].rule: expected one of unanimity, consensus, veto, qmv; found \"majority\""
        ]
    );
}

#[test]
fn type_error() {
    let text = edit(
        TINY,
        "name = \"tiny\"\n",
        "name = \"tiny\"\nticks = \"ten\"\n",
    );
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:3:9: scenario.ticks: expected an integer, found string \"ten\""]
    );
}

#[test]
fn range_error() {
    let text = edit(
        TINY,
        "{ gdp = 2.0 }\n",
        "{ gdp = 2.0 }\ninterests = { trade = { salience = 1.3 } }\n",
    );
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:11:36: states[1].interests.trade.salience: expected a number in [0, 1], found 1.3"
        ]
    );
}

#[test]
fn integer_limits_are_errors_not_overflows() {
    let with = |line: &str| errors(&edit(TINY, "[world]", &format!("{line}\n[world]")), &[]);
    assert_eq!(
        with("seed = -1"),
        ["s.toml:3:8: scenario.seed: expected an integer in 0 ..= 9223372036854775807, found -1"]
    );
    assert_eq!(
        with("seed = 9223372036854775808"),
        [
            "s.toml:3:8: scenario.seed: expected an integer in 0 ..= 9223372036854775807, found 9223372036854775808"
        ]
    );
    assert_eq!(
        with("ticks = 0"),
        ["s.toml:3:9: scenario.ticks: expected an integer in 1 ..= 1000000, found 0"]
    );
    assert_eq!(
        with("runs = 1.5"),
        ["s.toml:3:8: scenario.runs: expected an integer, found number 1.5"]
    );
    let ok = load(
        &edit(TINY, "[world]", "seed = 9223372036854775807\n[world]"),
        &[],
    );
    assert_eq!(ok.unwrap().scenario.seed, i64::MAX as u64);
}

#[test]
fn unknown_field_suggests_or_lists() {
    let text = format!("{TINY}rul = \"qmv\"\n[output]\nfoo = 1\n");
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:18:1: bodies[0].rul: unknown field; did you mean \"rule\"?",
            "s.toml:20:1: output.foo: unknown field; expected one of ticks, every, compare, compare_issue",
        ]
    );
}

#[test]
fn missing_required_field_is_reported_at_its_table() {
    let text = edit(TINY, "capability = \"gdp\"\n", "");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:11:1: issues[0].capability: missing required field"]
    );
    let text = edit(TINY, "[world]\ncapabilities = [\"gdp\"]\n", "");
    let found = errors(&text, &[]);
    assert_eq!(found[0], "s.toml:1:1: world: missing required table");
}

#[test]
fn unknown_names_suggest_the_closest() {
    let text = edit(
        NAMES,
        "veto = [\"USA\", \"FRA\"]",
        "veto = [\"USA\", \"USX\"]",
    );
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:24:16: bodies[0].veto[1]: unknown state \"USX\"; did you mean \"USA\"?"]
    );
    let text = format!("{NAMES}mandate = [\"climat\"]\n");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:25:12: bodies[0].mandate[0]: unknown issue \"climat\"; did you mean \"climate\"?"]
    );
    let text = edit(NAMES, "capability = \"gdp\"", "capability = \"gpd\"");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:19:14: issues[0].capability: unknown capability \"gpd\"; did you mean \"gdp\"?"]
    );
    let text = edit(NAMES, "[\"USA\", \"FRA\"]", "[\"USA\", \"Zimbabwe\"]");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:24:16: bodies[0].veto[1]: unknown state \"Zimbabwe\""]
    );
}

/// Issue 15: names that become CSV column names (`progress_<issue>`,
/// `deadlock_<body>`, capability columns) may not hold spaces; states may.
#[test]
fn issue_body_and_capability_names_with_spaces_are_refused() {
    let has = |text: &str, needle: &str| {
        let got = errors(text, &[]);
        assert!(
            got.iter().any(|e| e.contains(needle)),
            "no {needle:?} in {got:?}"
        );
    };
    has(
        &edit(TINY, "name = \"trade\"", "name = \"world trade\""),
        "s.toml:12:8: issues[0].name: expected a name without spaces (it names CSV columns such as progress_<issue>), found \"world trade\"; write e.g. \"world_trade\"",
    );
    has(
        &edit(
            TINY,
            "capabilities = [\"gdp\"]",
            "capabilities = [\"gdp\", \"hard power\"]",
        ),
        "s.toml:4:24: world.capabilities[1]: expected a name without spaces (it names CSV columns such as states.csv's capability columns), found \"hard power\"",
    );
    has(
        &edit(TINY, "name = \"Council\"", "name = \"Security Council\""),
        "bodies[0].name: expected a name without spaces (it names CSV columns such as deadlock_<body>)",
    );
    // A state's name may have spaces (its columns are written with `_`).
    assert!(load(&edit(TINY, "name = \"A\"", "name = \"A a\""), &[]).is_ok());
}

#[test]
fn duplicates_name_the_first() {
    let text = format!(
        "{TINY}[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n"
    );
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:22:8: issues[2].name: duplicate issue \"climate\" (first at line 19)"]
    );
    let text = edit(TINY, "name = \"B\"", "name = \"A\"");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:9:8: states[1].name: duplicate state \"A\" (first at line 6)"]
    );
    let text = format!("{TINY}[[bodies]]\nname = \"Council\"\nmembers = \"all\"\nrule = \"qmv\"\n");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:19:8: bodies[1].name: duplicate body \"Council\" (first at line 15)"]
    );
    // A name that is not a string is one error, not also a duplicate of another.
    let text = edit(TINY, "name = \"trade\"", "name = 1");
    let text = format!("{text}[[issues]]\nname = 2\ncapability = \"gdp\"\n");
    assert_eq!(errors(&text, &[]).len(), 2);
}

#[test]
fn empty_membership_says_why() {
    let text = edit(
        TINY,
        "members = \"all\"",
        "members = { region = \"Atlantis\" }",
    );
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:16:11: bodies[0].members: expected at least one state, found none (region \"Atlantis\" matches no state)"
        ]
    );
    let text = edit(TINY, "members = \"all\"", "members = []");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:16:11: bodies[0].members: expected at least one state, found none"]
    );
}

#[test]
fn bodies_resolve_members_and_veto_holders() {
    let s = load(NAMES, &[]).unwrap().scenario;
    assert_eq!(s.bodies[0].members, [StateId(0), StateId(1)]);
    let holders = vec![StateId(0), StateId(1)];
    assert_eq!(
        s.bodies[0].rule,
        Rule::Veto {
            majority: 0.5,
            holders,
            affirmative: None,
            abstain_below: None,
        }
    );
    // "all" leaves out the non-state actor; great powers too.
    let s = load(&edit(NAMES, "[\"USA\", \"France\"]", "\"all\""), &[])
        .unwrap()
        .scenario;
    assert_eq!(s.bodies[0].members, [StateId(0), StateId(1)]);
    assert_eq!(s.great_powers, [StateId(0), StateId(1)]);

    let text = edit(
        NAMES,
        "members = [\"USA\", \"France\"]",
        "members = [\"USA\", \"Greenpeace\"]",
    );
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:22:19: bodies[0].members[1]: \"Greenpeace\" is a non-state actor and cannot be a body member",
            "s.toml:24:16: bodies[0].veto[1]: veto holder \"France\" is not a member of the body",
        ]
    );
    let text = edit(NAMES, "rule = \"veto\"", "rule = \"qmv\"");
    assert_eq!(
        errors(&text, &[]),
        ["s.toml:24:8: bodies[0].veto: applies only to rule \"veto\""]
    );
}

#[test]
fn qmv_defaults_and_weights() {
    let text = edit(
        NAMES,
        "rule = \"veto\"\nveto = [\"USA\", \"FRA\"]",
        "rule = \"qmv\"",
    );
    let rule = load(&text, &[]).unwrap().scenario.bodies[0].rule.clone();
    let expected = Rule::Qmv {
        count: Some(0.55),
        weight: Some(0.65),
        weight_by: Weight::Population,
        min_members: None,
        blocking_minority: None,
    };
    assert_eq!(rule, expected);
    let text = format!("{text}qmv_weight = 0.7\nweight = \"gdp\"\n");
    let rule = load(&text, &[]).unwrap().scenario.bodies[0].rule.clone();
    let expected = Rule::Qmv {
        count: None,
        weight: Some(0.7),
        weight_by: Weight::Capability(CapId(0)),
        min_members: None,
        blocking_minority: None,
    };
    assert_eq!(rule, expected);
}

#[test]
fn great_powers_labels_challengers_and_affinities() {
    let text = format!(
        "{}\n{}",
        edit(
            NAMES,
            "capabilities = [\"gdp\"]",
            "capabilities = [\"gdp\"]\ngreat_powers = 1\nchallengers = [\"FRA\"]"
        ),
        "[[affinities]]\nstates = [\"France\", \"USA\"]\nvalue = 0.9\n"
    );
    let text = edit(
        &text,
        "iso3 = \"FRA\"",
        "iso3 = \"FRA\"\nlabels = [\"eu\", \"democracy\"]",
    );
    let text = edit(
        &text,
        "iso3 = \"USA\"",
        "iso3 = \"USA\"\nlabels = [\"democracy\"]",
    );
    let s = load(&text, &[]).unwrap().scenario;
    assert_eq!(s.great_powers, [StateId(0)]);
    assert!(s.states[1].challenger && !s.states[0].challenger);
    assert_eq!(s.labels, ["democracy", "eu"]);
    assert_eq!((s.states[0].labels, s.states[1].labels), (0b01, 0b11));
    assert_eq!(s.affinities, [(StateId(0), StateId(1), 0.9)]);
    // Ties go to the lower id.
    let tied = edit(&text, "gdp = 3.0", "gdp = 1.0");
    assert_eq!(
        load(&tied, &[]).unwrap().scenario.great_powers,
        [StateId(0)]
    );
}

#[test]
fn more_than_64_labels_is_an_error() {
    let labels: Vec<String> = (0..65).map(|i| format!("\"l{i}\"")).collect();
    let text = edit(
        TINY,
        "name = \"A\"",
        &format!("name = \"A\"\nlabels = [{}]", labels.join(", ")),
    );
    let found = errors(&text, &[]);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("s.toml:7:"), "{}", found[0]);
    assert!(
        found[0].contains("states[0].labels[64]: too many labels"),
        "{}",
        found[0]
    );
}

#[test]
fn distribution_params() {
    let text = edit(
        TINY,
        "[world]",
        "[defaults]\nsalience = { dist = \"uniform\", min = 0.2, max = 0.8 }\n\
         interests.trade.position = { dist = \"normal\", mean = 0.6, sd = 0.2 }\n\
         bandwidth = { dist = \"normal\", mean = 4, sd = 1, max = 10 }\n[world]",
    );
    let s = load(&text, &[]).unwrap().scenario;
    let interest = &s.states[0].interests[0];
    assert_eq!(interest.salience, Param::Uniform { min: 0.2, max: 0.8 });
    assert_eq!(
        interest.position,
        Param::Normal {
            mean: 0.6,
            sd: 0.2,
            min: 0.0,
            max: 1.0
        }
    );
    assert_eq!(
        s.states[1].bandwidth,
        Param::Normal {
            mean: 4.0,
            sd: 1.0,
            min: 0.0,
            max: 10.0
        }
    );

    let bad = edit(
        TINY,
        "[world]",
        "[defaults]\nsalience = { dist = \"uniform\", min = 0.8, max = 0.2 }\n\
         position = { dist = \"beta\" }\n\
         interests.trade.salience = { dist = \"normal\", mean = 1.5, sd = -1, mu = 0 }\n\
         interests.trad.position = 0.5\n[world]",
    );
    assert_eq!(
        errors(&bad, &[]),
        [
            "s.toml:4:12: defaults.salience: expected min <= max, found min 0.8 and max 0.2",
            "s.toml:5:21: defaults.position.dist: expected one of uniform, normal; found \"beta\"",
            "s.toml:6:54: defaults.interests.trade.salience.mean: expected a number in [0, 1], found 1.5",
            "s.toml:6:64: defaults.interests.trade.salience.sd: expected a number >= 0, found -1",
            "s.toml:6:68: defaults.interests.trade.salience.mu: unknown field; expected one of dist, mean, sd, min, max",
            "s.toml:7:11: defaults.interests.trad: unknown issue \"trad\"; did you mean \"trade\"?",
        ]
    );
}

#[test]
fn warnings_do_not_block() {
    let loaded = load(&format!("{TINY}[coalitions]\nmax_size = 50\n"), &[]).unwrap();
    assert_eq!(
        loaded.warnings,
        ["coalitions.max_size = 50 is larger than the number of states (2)"]
    );
}

#[test]
fn fixed_values_in_every_states_own_table_are_per_state_not_illustrative() {
    let text = |b_position: &str| {
        format!(
            "[scenario]\nname = \"p\"\n[world]\ncapabilities = [\"gdp\"]\n[defaults]\nsalience = 0.5\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n[[states]]\nname = \"A\"\ncapabilities = {{ gdp = 1.0 }}\ninterests = {{ trade = {{ position = 0.8 }} }}\n[[states]]\nname = \"B\"\ncapabilities = {{ gdp = 1.0 }}\n{b_position}"
        )
    };
    let every = load(&text("interests = { trade = { position = 0.3 } }\n"), &[])
        .expect("valid")
        .scenario;
    let p = &every.preferences[0];
    assert_eq!(p.positions, crate::scenario::PreferenceSource::PerState);
    assert!(p.saliences.is_illustrative(), "defaults are illustrative");
    assert_eq!(every.illustrative_preferences(), "trade saliences");
    // One state without its own value: the positions are illustrative again.
    let some = load(&text(""), &[]).expect("valid").scenario;
    assert!(some.preferences[0].positions.is_illustrative());
    assert_eq!(
        some.illustrative_preferences(),
        "trade positions and saliences"
    );
}

#[test]
fn threat_and_comparison_fields_are_checked() {
    let text = edit(
        TINY,
        "capability = \"gdp\"\n",
        "capability = \"gdp\"\nthreat = { assertiveness = 1.5, ramp = -1, distance = 0.5 }\n",
    );
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:14:28: issues[0].threat.assertiveness: expected a number in [0, 1], found 1.5",
            "s.toml:14:40: issues[0].threat.ramp: expected an integer in 0 ..= 1000000, found -1",
            "s.toml:14:44: issues[0].threat.distance: unknown field; did you mean \"distant\"?",
        ]
    );
    let text =
        format!("{TINY}[output]\ncompare = [\"quad\", \"quad\"]\ncompare_issue = \"security\"\n");
    let text = text.replace("name = \"A\"\n", "name = \"A\"\nlabels = [\"quad\"]\n");
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:20:20: output.compare: duplicate label \"quad\"",
            "s.toml:21:17: output.compare_issue: unknown issue \"security\"",
        ]
    );
    let text = format!("{TINY}[output]\ncompare = [\"qaud\"]\n");
    assert_eq!(
        errors(&text, &[]),
        [
            "s.toml:19:12: output.compare: unknown label \"qaud\" (a grouping to compare with is a label: from [data.labels], the memberships files or a state's labels)"
        ]
    );
}

#[test]
fn linkage_needs_two_issues_and_one_rule() {
    let text = edit(
        TINY,
        "rule = \"unanimity\"\n",
        "rule = \"unanimity\"\nlinkage = true\n",
    );
    let errors = errors(&text, &[]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].ends_with(
            "bodies[0].linkage: a package links two issues or more: give the body a mandate of at least two issues"
        ),
        "{errors:?}"
    );
}

#[test]
fn a_shared_vision_needs_the_utility_rule_and_a_distance() {
    let text = format!("{TINY}[coalitions]\nvision = -0.1\n");
    let found = errors(&text, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("coalitions.vision"), "{found:?}");
    let text = format!("{TINY}[coalitions]\nvision = 0.2\n[behaviour]\nrule = \"adaptive\"\n");
    let found = errors(&text, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("coalitions.vision: a shared vision (founders invite only partners close to their position) applies to the \"utility\" behaviour rule's founders only; this scenario uses \"adaptive\""),
        "{found:?}"
    );
}

#[test]
fn founders_need_the_utility_rule() {
    let text =
        format!("{TINY}[coalitions]\nfounders = \"all\"\n[behaviour]\nrule = \"stability\"\n");
    let found = errors(&text, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("coalitions.founders: restricting who founds coalitions applies to the \"utility\" behaviour rule only"),
        "{found:?}"
    );
}
