//! CORE: the types of grouping the sources name (docs/model.md, "Types of grouping"),
//! assigned from a venue's members and mandate, never from what it does.
//!
//! - **Haass's types** (Haass 2010, "The case for messy multilateralism", *Financial
//!   Times*, 5 January 2010, as the EUISS brief quotes him; Patrick 2014, "The unruled
//!   world", *Foreign Affairs*, for "global governance in pieces"): `elite` ("powers
//!   that serve a leading or pivotal role in a particular domain", the G20),
//!   `regional`, `functional` ("coalitions of the willing and relevant"), plus
//!   `universal` for a body of at least half the states (the UN, the UNFCCC), which
//!   is not a Haass type. The fourth, informal multilateralism, is not a venue: it is
//!   what followers and the members of non-binding bodies do (`delivered_informal`).
//! - **StateUp's tech types** (Filer, StateUp 2024): `security`, `supply_chain`,
//!   `digital`, `multidimensional` (a body whose mandate spans two domains or more,
//!   the G7, BRICS), `other`, from the [`Domain`] of the venue's issues.
//!
//! **Invariant:** classification draws no random number and reads only the scenario
//! and a venue's members: a coalition's type is fixed at its founding (its founding
//! members), a body's at the start (its permanent members). Nothing here allocates
//! except [`elite_holders`], [`region_ids`] and [`body_types`], called once per run
//! or per output.

use super::ids::{IssueId, StateId};
use super::scenario::Scenario;

/// The elite of a domain is at most its top 20 holders: the size of the G20, Haass's
/// example, and minilat's default count of great and middle powers. A convention.
pub const ELITE_RANK: usize = 20;

/// ... and only those holders ranked before the top states hold 80% of the
/// capability (among states): in 2016 the top 19 emitters held 80% of the 195
/// states' CO2, so in a world of states the cap of 20 binds; in a small world (14
/// states on chips, 34 NATO and EU states) it would make nearly every state elite,
/// and this cut keeps the elite to the pivotal few. A convention.
pub const ELITE_COVER: f64 = 0.8;

/// Whether `count` of `n` is at least two thirds (exact in integers: a tie at
/// exactly 2/3 counts). The share of a venue's state members that must be elite
/// holders, or share one region, for the venue to be `elite` or `regional`.
pub fn two_thirds(count: usize, n: usize) -> bool {
    n > 0 && 3 * count >= 2 * n
}

/// The policy domain of an issue (`[[issues]] domain`), which gives a venue its tech
/// type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Domain {
    /// Security and defence.
    Security,
    /// Trade, supply chains, the economy.
    Economic,
    /// Digital governance and infrastructure.
    Digital,
    /// Climate and the environment.
    Environment,
    /// Anything else.
    Other,
}

/// Keywords that give an issue its domain when the scenario does not (lower case,
/// matched as substrings of the issue's name, then of its capability's name), in
/// order: the first row with a match wins.
pub const DOMAIN_KEYWORDS: &[(Domain, &[&str])] = &[
    (
        Domain::Security,
        &[
            "secur", "defen", "milit", "milex", "nuclear", "deterr", "sanction", "cinc",
        ],
    ),
    (
        Domain::Economic,
        &["trade", "supply", "chip", "semicon", "tariff", "econom"],
    ),
    (
        Domain::Digital,
        &["digital", "cyber", "data", "tech", "internet", "telecom"],
    ),
    (
        Domain::Environment,
        &[
            "climate",
            "emission",
            "carbon",
            "co2",
            "ghg",
            "ozone",
            "biodivers",
        ],
    ),
];

impl Domain {
    /// Every domain with its name in the scenario file.
    pub const NAMES: [(&'static str, Domain); 5] = [
        ("security", Domain::Security),
        ("economic", Domain::Economic),
        ("digital", Domain::Digital),
        ("environment", Domain::Environment),
        ("other", Domain::Other),
    ];

    /// Name in scenario files.
    pub fn as_str(self) -> &'static str {
        Domain::NAMES
            .iter()
            .find(|(_, d)| *d == self)
            .map_or("other", |(n, _)| n)
    }

    /// The domain an issue named `name` on capability `capability` has by default:
    /// the first row of [`DOMAIN_KEYWORDS`] with a keyword in the name, else in the
    /// capability's name, else `other`.
    pub fn infer(name: &str, capability: &str) -> Domain {
        let find = |text: &str| {
            let text = text.to_lowercase();
            DOMAIN_KEYWORDS
                .iter()
                .find(|(_, words)| words.iter().any(|w| text.contains(w)))
                .map(|(d, _)| *d)
        };
        find(name)
            .or_else(|| find(capability))
            .unwrap_or(Domain::Other)
    }
}

/// Haass's type of a venue (plus `universal`, bodies only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HaassType {
    /// A body of at least half the states (not a Haass type).
    Universal,
    /// Two thirds of its state members are elite holders of its issue's capability.
    Elite,
    /// Two thirds of its state members share a region.
    Regional,
    /// Everything else: the willing and relevant.
    #[default]
    Functional,
}

impl HaassType {
    /// The types a coalition can have, in the order of their `runs.csv` columns.
    pub const COALITION: [HaassType; 3] =
        [HaassType::Elite, HaassType::Regional, HaassType::Functional];

    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            HaassType::Universal => "universal",
            HaassType::Elite => "elite",
            HaassType::Regional => "regional",
            HaassType::Functional => "functional",
        }
    }

    /// Position in [`HaassType::COALITION`] (a body's `universal` counts with
    /// `functional`; coalitions are never universal).
    pub fn slot(self) -> usize {
        match self {
            HaassType::Elite => 0,
            HaassType::Regional => 1,
            HaassType::Universal | HaassType::Functional => 2,
        }
    }
}

/// StateUp's type of a tech minilateral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TechType {
    /// Security and defence alliances (AUKUS, GCAP).
    Security,
    /// Economic and supply-chain networks (Chip 4).
    SupplyChain,
    /// Digital governance and infrastructure (Digital Nations, Three Seas).
    Digital,
    /// A mandate across two domains or more (G7, BRICS): bodies only.
    Multidimensional,
    /// Any other domain (climate included).
    Other,
}

impl TechType {
    /// Every type, in the order the report lists them.
    pub const ALL: [TechType; 5] = [
        TechType::Security,
        TechType::SupplyChain,
        TechType::Digital,
        TechType::Multidimensional,
        TechType::Other,
    ];

    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            TechType::Security => "security",
            TechType::SupplyChain => "supply_chain",
            TechType::Digital => "digital",
            TechType::Multidimensional => "multidimensional",
            TechType::Other => "other",
        }
    }

    /// The type of a venue on issues of `domain` alone (a coalition's).
    pub fn of_domain(domain: Domain) -> TechType {
        match domain {
            Domain::Security => TechType::Security,
            Domain::Economic => TechType::SupplyChain,
            Domain::Digital => TechType::Digital,
            Domain::Environment | Domain::Other => TechType::Other,
        }
    }

    /// The type of a venue whose mandate holds issues of `domains`: multidimensional
    /// if they are two or more distinct domains.
    pub fn of_mandate(mut domains: impl Iterator<Item = Domain>) -> TechType {
        let Some(first) = domains.next() else {
            return TechType::Other;
        };
        if domains.any(|d| d != first) {
            TechType::Multidimensional
        } else {
            TechType::of_domain(first)
        }
    }
}

/// Which states are elite holders of a capability whose value per state is
/// `values` (non-state actors, `non_state[i]`, are never ranked): those of rank at
/// most [`ELITE_RANK`] (1 + the states with a larger value, so ties share a rank)
/// whose higher-ranked states hold less than [`ELITE_COVER`] of the states' total,
/// and that hold some of it. Allocates (once per run or output).
pub fn elite_holders(values: &[f64], non_state: &[bool]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| !non_state[i]).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    let total: f64 = order.iter().map(|&i| values[i]).sum();
    let mut elite = vec![false; values.len()];
    let (mut above, mut rank, mut run_value, mut run_above) = (0.0, 0, f64::NAN, 0.0);
    for (p, &i) in order.iter().enumerate() {
        // A tie keeps the rank and the share above of the first state of its run.
        if values[i] != run_value {
            (rank, run_value, run_above) = (p + 1, values[i], above);
        }
        elite[i] = values[i] > 0.0 && rank <= ELITE_RANK && run_above < ELITE_COVER * total;
        above += values[i];
    }
    elite
}

/// Each state's region as a number: 0 for none, else 1 + the index of the first
/// state in the same region. Allocates (once per run or output).
pub fn region_ids(scenario: &Scenario) -> Vec<u32> {
    let states = &scenario.states;
    (0..states.len())
        .map(|i| {
            let r = &states[i].region;
            if r.is_empty() {
                0
            } else {
                let first = states.iter().position(|s| s.region == *r).unwrap_or(i);
                first as u32 + 1
            }
        })
        .collect()
}

/// What the classifier reads about each state, indexed by `StateId`.
#[derive(Clone, Copy, Debug)]
pub struct Profile<'a> {
    /// Firms and NGOs: not counted among a venue's members.
    pub non_state: &'a [bool],
    /// Region numbers ([`region_ids`]; 0 = none).
    pub region: &'a [u32],
}

/// The Haass type of a coalition with `members` at its founding (first match wins):
/// `elite` if two thirds of its state members are elite holders (`elite(state)`) of
/// its issue's capability, `regional` if two thirds share one region, else
/// `functional`. Non-state members are not counted; a coalition of firms alone is
/// functional. Never `universal`. No allocation.
pub fn coalition_type(
    members: &[StateId],
    profile: Profile<'_>,
    elite: impl Fn(StateId) -> bool,
) -> HaassType {
    let states = || members.iter().filter(|m| !profile.non_state[m.index()]);
    let n = states().count();
    if two_thirds(states().filter(|&&m| elite(m)).count(), n) {
        return HaassType::Elite;
    }
    let largest_region = states()
        .map(|m| profile.region[m.index()])
        .filter(|&r| r != 0)
        .map(|r| states().filter(|s| profile.region[s.index()] == r).count())
        .max()
        .unwrap_or(0);
    if two_thirds(largest_region, n) {
        HaassType::Regional
    } else {
        HaassType::Functional
    }
}

/// The Haass type of a body with (permanent) `members` in a scenario of `with_voice`
/// states (non-state actors excluded): `universal` if its members are at least half
/// of them, else as [`coalition_type`] (elite holders ranked by the mean share over
/// its mandate's issues). No allocation.
pub fn body_type(
    members: &[StateId],
    profile: Profile<'_>,
    elite: impl Fn(StateId) -> bool,
    with_voice: usize,
) -> HaassType {
    let n = members
        .iter()
        .filter(|m| !profile.non_state[m.index()])
        .count();
    if with_voice > 0 && 2 * n >= with_voice {
        HaassType::Universal
    } else {
        coalition_type(members, profile, elite)
    }
}

/// Each state's share of each issue's capability dimension (`share[i * issues + k]`),
/// as the engine computes it (over all states and non-state actors).
pub fn issue_shares(scenario: &Scenario) -> Vec<f64> {
    let k = scenario.issues.len();
    let totals: Vec<f64> = (0..scenario.capabilities.len())
        .map(|d| scenario.states.iter().map(|s| s.capabilities[d]).sum())
        .collect();
    let mut share = vec![0.0; scenario.states.len() * k];
    for (i, s) in scenario.states.iter().enumerate() {
        for (kk, issue) in scenario.issues.iter().enumerate() {
            let d = issue.capability.index();
            if totals[d] > 0.0 {
                share[i * k + kk] = s.capabilities[d] / totals[d];
            }
        }
    }
    share
}

/// Per issue, which states are elite holders of its capability
/// (`elite[i * issues + k]`), from the shares of [`issue_shares`].
pub fn issue_elite(scenario: &Scenario, share: &[f64]) -> Vec<bool> {
    let (n, k) = (scenario.states.len(), scenario.issues.len());
    let non_state: Vec<bool> = scenario.states.iter().map(|s| s.non_state).collect();
    let mut elite = vec![false; n * k];
    for kk in 0..k {
        let values: Vec<f64> = (0..n).map(|i| share[i * k + kk]).collect();
        for (i, e) in elite_holders(&values, &non_state).into_iter().enumerate() {
            elite[i * k + kk] = e;
        }
    }
    elite
}

/// Each body's Haass and tech type, in body order, from its permanent members and
/// its mandate (elite holders ranked by the mean share over the mandate's issues).
pub fn body_types(scenario: &Scenario) -> Vec<(HaassType, TechType)> {
    let share = issue_shares(scenario);
    let region = region_ids(scenario);
    let non_state: Vec<bool> = scenario.states.iter().map(|s| s.non_state).collect();
    let with_voice = non_state.iter().filter(|&&x| !x).count();
    let k = scenario.issues.len();
    let profile = Profile {
        non_state: &non_state,
        region: &region,
    };
    scenario
        .bodies
        .iter()
        .map(|b| {
            let mandate: &[IssueId] = &b.mandate;
            let values: Vec<f64> = (0..scenario.states.len())
                .map(|i| {
                    let sum: f64 = mandate.iter().map(|m| share[i * k + m.index()]).sum();
                    sum / mandate.len().max(1) as f64
                })
                .collect();
            let elite = elite_holders(&values, &non_state);
            let haass = body_type(&b.members, profile, |s| elite[s.index()], with_voice);
            let tech =
                TechType::of_mandate(mandate.iter().map(|m| scenario.issues[m.index()].domain));
            (haass, tech)
        })
        .collect()
}

#[cfg(test)]
mod tests;
