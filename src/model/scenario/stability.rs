//! The validated parameters of the `stability` behaviour rule (cartel
//! stability of one agreement on one issue; docs/rules/stability.md),
//! read from `[behaviour.stability]` by `crate::model::scenario::stability`.

use super::{FileTable, RuleFacts, Scenario};
use crate::model::ids::IssueId;

/// Largest `benefit` or `cost` accepted: payoffs grow with `b² N² / c`, and a bound
/// keeps them far from overflow for any number of states.
pub const MAX_PARAMETER: f64 = 1e6;

/// How abatement pays (the two standard specifications of the IEA literature).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PayoffShape {
    /// `π_i = b_i Q − (c/2) q_i²`, `q_i ≥ 0` (Barrett 1994; the "3" result).
    #[default]
    Quadratic,
    /// `π_i = b_i Q − c q_i`, `q_i ∈ {0, 1}` (binary abatement; a prisoners' dilemma
    /// when `b < c`; stable size `⌈c/b⌉`).
    Linear,
    /// `π_i = (b_i / N)(a Q − Q²/2) − (c/2) q_i²`, `q_i ≥ 0`: Barrett's (1994)
    /// abatement game, concave benefit and convex cost; the stable size depends on
    /// the cost-benefit ratio `γ = c/b` and on who moves first ([`Moves`]).
    Barrett,
}

impl PayoffShape {
    /// The name in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            PayoffShape::Quadratic => "quadratic",
            PayoffShape::Linear => "linear",
            PayoffShape::Barrett => "barrett",
        }
    }
}

/// Who moves first in the abatement stage, given the agreement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Moves {
    /// The members (as one player maximising their joint payoff) and every outsider
    /// choose at the same time: a Nash equilibrium (Barrett 1994's "Nash-Cournot"
    /// case; Finus 2001 ch. 13).
    #[default]
    Simultaneous,
    /// The members choose first, knowing how outsiders will respond (Stackelberg
    /// leaders; Barrett 1994's main case).
    Leader,
}

impl Moves {
    /// The name in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Moves::Simultaneous => "simultaneous",
            Moves::Leader => "leader",
        }
    }
}

/// What a state does when it is exactly as well off inside as outside.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ties {
    /// An indifferent outsider joins; an indifferent member stays (d'Aspremont et al.
    /// 1983; Carraro & Siniscalco 1993): internal stability `π_in(k) ≥ π_out(k − 1)`,
    /// external stability `π_out(k) > π_in(k + 1)`.
    #[default]
    Join,
    /// An indifferent state keeps its status: a member stays, an outsider stays out
    /// (Barrett 1994): `π_in(k) ≥ π_out(k − 1)` and `π_out(k) ≥ π_in(k + 1)`.
    Stay,
}

impl Ties {
    /// The name in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Ties::Join => "join",
            Ties::Stay => "stay",
        }
    }
}

/// What scales each state's benefit `b_i = b × w_i`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BenefitBy {
    /// `w_i = 1`: symmetric states, the textbook game.
    #[default]
    Equal,
    /// `w_i` = the state's current salience of the issue (crises included), in [0, 1].
    Salience,
    /// `w_i = N × s_i`, `s_i` the state's share of the issue's capability (mean 1).
    Share,
}

/// The agreement a run starts from (before tick 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Start {
    /// No agreement: it grows by joins.
    #[default]
    Empty,
    /// Every state that can join (bandwidth >= 1), up to `max_size` in state order:
    /// it shrinks by departures.
    Grand,
    /// Each state that can join is in with probability 1/2 (drawn from the run's
    /// stream), up to `max_size`.
    Random,
}

/// Parameters of the `stability` rule. `Default` is the textbook game
/// ([`StabilitySpec::textbook`]).
#[derive(Clone, Debug, PartialEq)]
pub struct StabilitySpec {
    /// The issue of the agreement (default: the first issue).
    pub issue: IssueId,
    /// Payoff specification.
    pub payoff: PayoffShape,
    /// `b` > 0: benefit to each state of one unit of total abatement (times `w_i`).
    pub benefit: f64,
    /// `c` > 0: cost of abatement (linear: of abating; quadratic: `c/2 q²`).
    pub cost: f64,
    /// Heterogeneity of benefits.
    pub benefit_by: BenefitBy,
    /// The starting agreement.
    pub start: Start,
    /// Who moves first in the abatement stage (only `barrett` payoffs depend on it:
    /// under the other two, a state's best reply does not depend on the others').
    pub moves: Moves,
    /// What an indifferent state does.
    pub ties: Ties,
    /// `a` > 0 of `barrett` payoffs: the total abatement at which the marginal
    /// benefit falls to zero. It scales abatement (by `a`) and payoffs (by `a²`), not
    /// who is stable.
    pub saturation: f64,
}

impl StabilitySpec {
    /// The defaults: quadratic payoffs with `b = c = 1` on the first issue, equal
    /// benefits, starting from no agreement.
    pub fn textbook() -> StabilitySpec {
        StabilitySpec {
            issue: IssueId(0),
            payoff: PayoffShape::Quadratic,
            benefit: 1.0,
            cost: 1.0,
            benefit_by: BenefitBy::Equal,
            start: Start::Empty,
            moves: Moves::Simultaneous,
            ties: Ties::Join,
            saturation: 1.0,
        }
    }
}

impl Default for StabilitySpec {
    fn default() -> StabilitySpec {
        StabilitySpec::textbook()
    }
}

/// The rule's own file: stability by agreement size.
pub const STABILITY: &str = "stability.csv";

/// The rule's own file: the stable sizes against the cost-benefit ratio `c/b`.
pub const STABILITY_BY_RATIO: &str = "stability_by_ratio.csv";

/// The `stability` rule's cold facts.
pub const FACTS: RuleFacts = RuleFacts {
    name: "stability",
    headline: &["coalition_size", "stable", "stable_size_closed_form"],
    departure: "it is better off outside the agreement",
    files: &[STABILITY, STABILITY_BY_RATIO],
    tables: &[
        FileTable {
            file: STABILITY,
            heading: "Cartel stability by agreement size (symmetric states)",
            note: "For each size k: a member's and an outsider's payoff, total abatement, whether \
               no member would leave (internal) and no outsider would join (external), the \
               closed-form stable size, and how many runs ended at k (and stably).",
            hide: &[],
        },
        FileTable {
            file: STABILITY_BY_RATIO,
            heading: "Stable sizes against the cost-benefit ratio c/b (symmetric states)",
            note: "For each ratio on a grid from 0.001 to 1000 (and the scenario's own) and each \
               order of moves: the stable sizes by the exhaustive check, the closed form where \
               one exists, total abatement without agreement, at the largest stable size and \
               with everyone in, what full cooperation would gain over none, and the share of \
               that gain the stable agreement achieves.",
            hide: &[],
        },
    ],
};

/// Extra `runs.csv` columns.
pub fn run_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    [
        "coalition_size",
        "internally_stable",
        "externally_stable",
        "stable",
        "abatement_total",
        "stable_size_closed_form",
        "settled_tick",
    ]
    .map(String::from)
    .to_vec()
}

/// Extra `ticks.csv` columns.
pub fn tick_columns(scenario: &Scenario) -> Vec<String> {
    let _ = scenario;
    vec!["coalition_size".to_owned(), "abatement_total".to_owned()]
}
