//! Hand-worked cases of the classifier (docs/model.md, "Types of grouping").

use super::*;

/// Five states and one firm: regions A, A, B, none, B; the firm (5) in region A.
fn profile() -> (Vec<bool>, Vec<u32>) {
    let non_state = vec![false, false, false, false, false, true];
    let region = vec![1, 1, 3, 0, 3, 1];
    (non_state, region)
}

fn ids(v: &[u32]) -> Vec<StateId> {
    v.iter().map(|&i| StateId(i)).collect()
}

fn check(members: &[u32], elite: &[u32], expected: HaassType) {
    let (non_state, region) = profile();
    let p = Profile {
        non_state: &non_state,
        region: &region,
    };
    let got = coalition_type(&ids(members), p, |s| elite.contains(&s.0));
    assert_eq!(got, expected, "members {members:?}, elite {elite:?}");
}

#[test]
fn an_elite_coalition_has_two_thirds_of_its_states_among_the_elite() {
    check(&[0, 2, 3], &[0, 2], HaassType::Elite);
    check(&[0, 2, 3, 4], &[0, 2, 3], HaassType::Elite);
}

#[test]
fn a_regional_coalition_has_two_thirds_of_its_states_in_one_region() {
    check(&[0, 1, 2], &[], HaassType::Regional);
    // Elite comes first: the same members with two elite are elite.
    check(&[0, 1, 2], &[0, 2], HaassType::Elite);
}

#[test]
fn everything_else_is_functional() {
    check(&[0, 2, 3], &[0], HaassType::Functional);
    // One each of no region, A and B: no region is shared by two thirds.
    check(&[3, 0, 2], &[], HaassType::Functional);
    // A coalition of firms alone has no state member to classify.
    check(&[5], &[], HaassType::Functional);
}

#[test]
fn a_tie_at_exactly_two_thirds_counts_and_just_below_does_not() {
    assert!(two_thirds(2, 3));
    assert!(two_thirds(4, 6));
    assert!(!two_thirds(3, 5));
    assert!(!two_thirds(0, 0));
    // 2 of 3 elite: elite; 2 of 4 (with 3 and 4 not elite): not.
    check(&[0, 2, 3], &[0, 3], HaassType::Elite);
    check(&[0, 2, 3, 4], &[0, 3], HaassType::Functional);
}

#[test]
fn non_state_members_are_not_counted() {
    // States 0 and 2 are elite, the firm is not: 2 of 2 states.
    check(&[0, 2, 5], &[0, 2], HaassType::Elite);
    // The firm is in region A but does not make {0, 2, 5} regional: 1 of 2 states.
    check(&[0, 2, 5], &[], HaassType::Functional);
    // Nor does an elite firm make a coalition elite: 1 of 3 states.
    check(&[0, 3, 4, 5], &[0, 5], HaassType::Functional);
}

#[test]
fn a_body_of_half_the_states_is_universal() {
    let (non_state, region) = profile();
    let p = Profile {
        non_state: &non_state,
        region: &region,
    };
    // Five states with a voice: three are at least half, two are not.
    let elite = |s: StateId| s.0 < 2;
    assert_eq!(
        body_type(&ids(&[2, 3, 4]), p, elite, 5),
        HaassType::Universal
    );
    assert_eq!(body_type(&ids(&[0, 1]), p, elite, 5), HaassType::Elite);
    assert_eq!(body_type(&ids(&[2, 4]), p, elite, 5), HaassType::Regional);
}

#[test]
fn the_elite_are_the_top_holders_up_to_a_cover_of_eighty_percent_or_rank_twenty() {
    // Shares 50, 20, 10, 10, 5, 5 (and a firm holding 40, never ranked): the two
    // tied at 10 share rank 3 with 70 of the states' 100 above them, so both are
    // elite; the 5s have 90 above them.
    let values = [50.0, 20.0, 10.0, 10.0, 5.0, 5.0, 40.0];
    let non_state = [false, false, false, false, false, false, true];
    assert_eq!(
        elite_holders(&values, &non_state),
        [true, true, true, true, false, false, false]
    );
    // 30 equal states: the cover is reached at rank 25, but the cap is 20.
    let values = vec![1.0; 30];
    let elite = elite_holders(&values, &[false; 30]);
    assert!(elite.iter().all(|&e| e), "ties share rank 1");
    let values: Vec<f64> = (0..30).map(|i| 100.0 - i as f64).collect();
    let elite = elite_holders(&values, &[false; 30]);
    assert_eq!(elite.iter().filter(|&&e| e).count(), ELITE_RANK);
    // Nobody holds anything: no elite.
    assert_eq!(elite_holders(&[0.0, 0.0], &[false, false]), [false, false]);
}

#[test]
fn the_domain_is_inferred_from_the_issue_then_the_capability() {
    for (name, capability, want) in [
        ("defence", "milex", Domain::Security),
        ("sanctions", "gdp", Domain::Security),
        ("crisis", "cinc", Domain::Security),
        ("trade", "gdp", Domain::Economic),
        ("chips", "tech", Domain::Economic),
        ("Semiconductors", "x", Domain::Economic),
        ("cyber-norms", "gdp", Domain::Digital),
        ("technology", "gdp", Domain::Digital),
        ("standards", "tech", Domain::Digital),
        ("climate", "co2", Domain::Environment),
        ("health", "emissions", Domain::Environment),
        ("integration", "gdp", Domain::Other),
        ("alignment", "strength", Domain::Other),
    ] {
        assert_eq!(
            Domain::infer(name, capability),
            want,
            "{name} on {capability}"
        );
    }
}

#[test]
fn tech_types_follow_the_domain_and_a_mixed_mandate_is_multidimensional() {
    use Domain::*;
    assert_eq!(TechType::of_domain(Security), TechType::Security);
    assert_eq!(TechType::of_domain(Economic), TechType::SupplyChain);
    assert_eq!(TechType::of_domain(Digital), TechType::Digital);
    assert_eq!(TechType::of_domain(Environment), TechType::Other);
    let mixed = TechType::of_mandate([Environment, Economic].into_iter());
    assert_eq!(mixed, TechType::Multidimensional);
    let same = TechType::of_mandate([Security, Security].into_iter());
    assert_eq!(same, TechType::Security);
    assert_eq!(TechType::of_mandate(std::iter::empty()), TechType::Other);
}

#[test]
fn every_domain_name_reads_back() {
    for (name, d) in Domain::NAMES {
        assert_eq!(d.as_str(), name);
    }
}
