//! The validated parameters of the `club` behaviour rule (Nordhaus's climate club,
//! "Climate Clubs", American Economic Review 2015; docs/rules/club.md), read from
//! `[behaviour.club]` by `crate::scenario::rules::club`.

use super::{FileTable, RuleFacts, Scenario};
use crate::model::ids::{CapId, IssueId};

/// Largest target price or social cost of carbon accepted ($ per tCO2).
pub const MAX_PRICE: f64 = 10_000.0;

/// Most regions the rule plays: coalitions are bit sets of a `u32` and every
/// coalition's payoffs fit in memory for the exhaustive check up to
/// [`MAX_EXHAUSTIVE`].
pub const MAX_REGIONS: usize = 24;

/// Most regions for which every coalition is enumerated (`2^16` coalitions).
pub const MAX_EXHAUSTIVE: usize = 16;

/// When a move counts as better (the tie convention of the stability test).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ties {
    /// A region changes status only if it strictly gains (Nordhaus's test as the
    /// public replication codes it: every mover's gain `> 0`). An indifferent region
    /// stays.
    #[default]
    Stay,
    /// A region changes status if it does not lose (gain `>= 0`).
    Move,
}

impl Ties {
    /// The name in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Ties::Stay => "stay",
            Ties::Move => "move",
        }
    }
}

/// Which regions a proposal of the search flips.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Proposal {
    /// Each region with probability 1/2 (one uniform draw over all subsets), as the
    /// public replication codes Nordhaus's evolutionary search.
    #[default]
    Group,
    /// One region, drawn uniformly: best-response dynamics, which stop at a Nash-stable
    /// coalition when they reach one.
    Single,
}

impl Proposal {
    /// The name in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Proposal::Group => "group",
            Proposal::Single => "single",
        }
    }
}

/// Parameters of the `club` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct ClubSpec {
    /// The issue whose coalition holds the club (default: the first issue).
    pub issue: IssueId,
    /// The club's international target carbon price, $ per tCO2 (> 0).
    pub target_price: f64,
    /// Uniform penalty tariff rate on non-members' exports to members, in [0, 1].
    pub tariff: f64,
    /// Global social cost of carbon, $ per tCO2; `None`: equal to the target price
    /// (as in the public replication's runs).
    pub scc: Option<f64>,
    /// Exponent `θ` of the abatement cost `a_i Y_i μ^θ` (> 1).
    pub cost_exponent: f64,
    /// Factor on the data's cost coefficient: `a_i = cost_scale × alpha_i`.
    pub cost_scale: f64,
    /// Capability holding GDP (billion US$).
    pub gdp: CapId,
    /// Capability holding CO2 emissions (Mt CO2 per year).
    pub emissions: CapId,
    /// Capability holding the abatement cost coefficient `alpha_i`.
    pub cost_coefficient: CapId,
    /// Terms-of-trade coefficient of each state as a tariff-levying importer, indexed
    /// by `StateId` (from `tariff_coefficients`).
    pub terms_of_trade: Vec<f64>,
    /// Efficiency-loss coefficient of each state as a tariff-levying importer.
    pub efficiency_loss: Vec<f64>,
    /// Non-members levy the same tariff on members' exports to them.
    pub retaliation: bool,
    /// `μ` is capped at 1 (no region abates more than its emissions).
    pub cap_abatement: bool,
    /// Tie convention of the stability test and of the search.
    pub ties: Ties,
    /// Proposals of the evolutionary search per tick.
    pub proposals_per_tick: u32,
    /// Which regions a proposal flips.
    pub proposal: Proposal,
}

impl Default for ClubSpec {
    fn default() -> ClubSpec {
        ClubSpec {
            issue: IssueId(0),
            target_price: 25.0,
            tariff: 0.0,
            scc: None,
            cost_exponent: 2.0,
            cost_scale: 0.837,
            gdp: CapId(0),
            emissions: CapId(0),
            cost_coefficient: CapId(0),
            terms_of_trade: Vec::new(),
            efficiency_loss: Vec::new(),
            retaliation: false,
            cap_abatement: true,
            ties: Ties::Stay,
            proposals_per_tick: 100,
            proposal: Proposal::Group,
        }
    }
}

impl ClubSpec {
    /// The global social cost of carbon used for damages.
    pub fn scc(&self) -> f64 {
        self.scc.unwrap_or(self.target_price)
    }
}

/// The rule's own file: the stable coalitions and each region's payoff in them.
pub const CLUB: &str = "club.csv";

/// The `club` rule's cold facts.
pub const FACTS: RuleFacts = RuleFacts {
    name: "club",
    headline: &[
        "participation",
        "nash_stable",
        "abatement_share",
        "stable_coalitions",
    ],
    departure: "it is better off outside the climate club",
    files: &[CLUB],
    tables: &[FileTable {
        file: CLUB,
        heading: "Climate club (Nordhaus 2015): stable coalitions and regional payoffs",
        note: "Every coalition that no region would leave or join alone (exhaustive, up to 16 \
               regions) and every coalition a run ended in: for each region, its status, \
               carbon price, abatement rate, abatement cost, climate benefit, trade effect \
               and payoff (billion US$ a year), and how many runs ended there.",
        hide: &[],
    }],
};

/// Extra `runs.csv` columns.
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    [
        "participation",
        "participation_share",
        "club_code",
        "nash_stable",
        "group_stable",
        "abatement_share",
        "carbon_price_mean",
        "net_gain",
        "stable_coalitions",
        "group_stable_coalitions",
        "stable_participation_min",
        "stable_participation_max",
        "settled_tick",
    ]
    .map(String::from)
    .to_vec()
}

/// Extra `ticks.csv` columns.
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    vec!["participation".to_owned(), "abatement_share".to_owned()]
}
