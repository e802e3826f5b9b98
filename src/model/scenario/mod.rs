//! CORE: a scenario as the model receives it: plain, validated data (states, issues,
//! bodies, coalition and decision settings, the behaviour rule and its parameters).
//! It knows no file format: the edge module `crate::scenario` reads TOML and CSV into
//! it and re-exports these types.
//!
//! **Invariant:** a `Scenario` built by the reader satisfies every range documented
//! in `docs/scenario.md`; the core re-checks them only with `debug_assert!`.

pub mod adaptive;
pub mod club;
pub mod landscape;
pub mod preferences;
pub mod shapley;
pub mod stability;

pub use crate::model::ids::{BodyId, CapId, IssueId, StateId};
pub use crate::model::param::Param;
pub use crate::model::typology::Domain;
pub use adaptive::AdaptiveSpec;
pub use club::ClubSpec;
pub use landscape::LandscapeSpec;
pub use preferences::{DataBinding, IssuePreferences, Missing, PreferenceNote, PreferenceSource};
pub use shapley::ShapleySpec;
pub use stability::StabilitySpec;

/// A complete, validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short name; also the default output folder `output/<name>/`.
    pub name: String,
    /// One-paragraph description shown by `minilat list` and in reports.
    pub description: String,
    /// Ticks per run (>= 1).
    pub ticks: u32,
    /// Monte Carlo replicates in a batch (>= 1).
    pub runs: u32,
    /// Master seed; run `k` draws from stream `k` of ChaCha8 keyed by this seed.
    pub seed: u64,
    /// Capability dimension names (`gdp`, `emissions`, ...), indexed by `CapId`.
    pub capabilities: Vec<String>,
    /// Identity labels in first-seen order; a state's `labels` is a bit set over these
    /// (at most 64 labels).
    pub labels: Vec<String>,
    /// States (and non-state actors), in file order then inline order, indexed by `StateId`.
    pub states: Vec<StateSpec>,
    /// Issues, indexed by `IssueId`.
    pub issues: Vec<IssueSpec>,
    /// Multilateral bodies, indexed by `BodyId`.
    pub bodies: Vec<BodySpec>,
    /// How coalitions are founded, run and dissolved.
    pub coalitions: CoalitionSpec,
    /// How members accept or reject proposals, in bodies and coalitions alike.
    pub decision: DecisionSpec,
    /// Payoff, compliance and trust parameters.
    pub payoffs: PayoffSpec,
    /// How a measure's legitimacy feeds back into compliance and endorsement.
    pub legitimacy: LegitimacySpec,
    /// The behaviour rule states use to review their memberships.
    pub behaviour: BehaviourSpec,
    /// Explicit pairwise affinities that replace the label-derived value, sorted by
    /// `(a, b)` with `a < b`, no duplicates.
    pub affinities: Vec<(StateId, StateId, f64)>,
    /// Where each issue's positions and saliences come from, indexed by `IssueId`
    /// (read by the report, never by the engine).
    pub preferences: Vec<IssuePreferences>,
    /// The data file that gave pairwise affinities (`[data.affinity]`), if any.
    pub affinity_source: Option<DataBinding>,
    /// Great powers, sorted: explicit in the scenario, or else the `great_powers`
    /// states with the largest mean capability share. A coalition led by a state not
    /// in this list is a microlateral.
    pub great_powers: Vec<StateId>,
    /// Middle powers, sorted, disjoint from `great_powers`: explicit in the scenario,
    /// or else the 15 next states by mean capability share (with five great powers,
    /// the top 20). Coalition progress is reported by the class of the leader.
    pub middle_powers: Vec<StateId>,
    /// Bilateral exports from `[trade]`, `n × n` (row exporter `i`, column importer
    /// `j`, at `i * n + j`), as shares of all flows; empty when the scenario has none.
    pub trade: Vec<f64>,
    /// The sum of all flows of `[trade]` in the file's units (0 without one): `trade`
    /// times this gives the flows themselves (the `club` rule's tariffs need them).
    pub trade_total: f64,
    /// What is written besides `runs.csv`.
    pub output: OutputSpec,
}

/// One state (or non-state actor) as declared.
#[derive(Clone, Debug)]
pub struct StateSpec {
    /// Unique name.
    pub name: String,
    /// ISO 3166 alpha-3 code (may be empty for non-state actors).
    pub iso3: String,
    /// Region, e.g. `Europe` (may be empty).
    pub region: String,
    /// Population (>= 0; 0 when unknown). Weights legitimacy and `qmv` by population.
    pub population: f64,
    /// Raw capability values, one per dimension (>= 0); shares are computed per run.
    pub capabilities: Vec<f64>,
    /// Negative values a data file gave for a capability, kept by `[data] negative =
    /// "keep"` (e.g. a net carbon sink), as `(dimension, value)`. `capabilities` holds 0
    /// for them: a state's share of a problem is never negative. Output files and the
    /// coverage of groups use [`StateSpec::recorded`].
    pub negative: Vec<(usize, f64)>,
    /// Bit set over `Scenario::labels`.
    pub labels: u64,
    /// Interest in each issue, indexed by `IssueId`.
    pub interests: Vec<InterestSpec>,
    /// Maximum number of simultaneous coalition memberships (drawn, rounded, >= 0).
    /// Body memberships are fixed by the scenario and do not count.
    pub bandwidth: Param,
    /// Revisionist state: more reluctant to accept, readier to veto.
    pub challenger: bool,
    /// A firm or NGO: may join coalitions, never a member of a body.
    pub non_state: bool,
    /// Expertise it brings to the measures it implements, in [0, 1]: a measure's
    /// progress is multiplied by `1 + ` the largest expertise among its compliers.
    pub expertise: f64,
}

impl StateSpec {
    /// Capability `d` as the data recorded it: the kept negative value if there is one,
    /// else `capabilities[d]`.
    pub fn recorded(&self, d: usize) -> f64 {
        self.negative
            .iter()
            .find(|(dim, _)| *dim == d)
            .map_or(self.capabilities[d], |&(_, v)| v)
    }
}

/// A state's interest in one issue.
#[derive(Clone, Debug)]
pub struct InterestSpec {
    /// How much it cares, in [0, 1].
    pub salience: Param,
    /// The ambition it wants, in [0, 1] (0 = nothing, 1 = maximal action).
    pub position: Param,
}

/// A transnational problem.
#[derive(Clone, Debug)]
pub struct IssueSpec {
    /// Unique name.
    pub name: String,
    /// The capability dimension whose coverage produces progress.
    pub capability: CapId,
    /// Its policy domain (`domain`, else inferred from its name and capability),
    /// which gives the venues on it their tech type (`model::typology`).
    pub domain: Domain,
    /// 0 = public good (everyone benefits), 1 = club good (members only).
    pub excludability: f64,
    /// Progress per decision at full depth and full coverage (> 0).
    pub efficiency: f64,
    /// Exponent on coverage in the production function (> 0; 1 = linear).
    pub returns: f64,
    /// Cost of complying at full depth for a state holding the whole capability (>= 0).
    pub cost: f64,
    /// Progress at which the issue counts as solved (> 0).
    pub target: f64,
    /// Share of progress lost per tick (the problem reasserts itself), in [0, 1).
    pub decay: f64,
    /// The status quo on the position scale, in [0, 1): what happens if nothing is
    /// adopted. Members compare proposals with it; members at or below it oppose
    /// any step (0 = "do nothing", nobody can be below it).
    pub status_quo: f64,
    /// Probability per tick that a crisis starts, in [0, 1].
    pub shock_rate: f64,
    /// Salience added to every state during a crisis, in [0, 1].
    pub shock_boost: f64,
    /// Ticks a crisis lasts (>= 1).
    pub shock_duration: u32,
    /// Penalty tariff the members of this issue's coalitions levy on states in none
    /// of them, per unit of world-trade share exported to members (>= 0; needs `[trade]`).
    pub tariff: f64,
    /// Challengers' assertiveness on this issue (`threat`): it raises the salience of
    /// the states they threaten (docs/model.md, phase 1 "Threat").
    pub threat: Option<ThreatSpec>,
}

/// How challengers' assertiveness raises the salience of an issue (usually security)
/// for the states they threaten: Walt's balance of threat (1987), with the IISS
/// report's challenger states as the source of threat.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreatSpec {
    /// Salience added, at full strength, to a state fully threatened (θ = 1), in [0, 1].
    pub assertiveness: f64,
    /// Ticks over which assertiveness rises linearly from 0 to its full value
    /// (0 = full from the start).
    pub ramp: u32,
    /// Weight of a challenger's threat on a state in another region, in [0, 1]
    /// (1 = geography does not matter).
    pub distant: f64,
}

impl ThreatSpec {
    /// Assertiveness at tick `t`: `assertiveness × min(1, (t + 1) / ramp)`.
    pub fn at(&self, t: u32) -> f64 {
        if self.ramp == 0 {
            self.assertiveness
        } else {
            self.assertiveness * (f64::from(t + 1) / f64::from(self.ramp)).min(1.0)
        }
    }
}

/// A multilateral body (UN, WTO, EU, NATO style), declared in the scenario.
#[derive(Clone, Debug)]
pub struct BodySpec {
    /// Unique name.
    pub name: String,
    /// Members, sorted, non-empty, no non-state actors.
    pub members: Vec<StateId>,
    /// How it decides.
    pub rule: Rule,
    /// Issues it decides by another rule (`rules = { security = "unanimity" }`: the
    /// EU Council decides foreign and security policy unanimously, Art. 31 TEU).
    pub issue_rules: Vec<(IssueId, Rule)>,
    /// Ticks between decisions (>= 1): bureaucratic slowness.
    pub delay: u32,
    /// Issues it may decide on (non-empty), taken in turn.
    pub mandate: Vec<IssueId>,
    /// Whether it adopts coalitions' measures readily (building blocks).
    pub facilitates: bool,
    /// Seats held for fixed terms by members elected from groups (the Security
    /// Council's ten), besides the permanent `members`; `None`: every member is
    /// permanent.
    pub elected: Option<ElectedSeats>,
    /// The states its measures bind, who implement them (sorted), if not its members:
    /// the Security Council decides for all UN members (Charter art. 25).
    pub binds: Option<Vec<StateId>>,
    /// Whether its measures are binding (treaty law: `ι = 1` in compliance) or
    /// recommendations (the General Assembly: `ι = 0`, compliance is voluntary).
    pub binding: bool,
    /// Whether and how members withdraw from it and come back (`exit = { ... }`).
    pub exit: Option<ExitRule>,
    /// Failed turns in a row (on issues it wanted a step on) after which a member
    /// stays away from the body's votes, counted as abstaining, until the body adopts
    /// something (`disengage_after`; the empty chair). `None`: members always attend.
    pub disengage_after: Option<u32>,
    /// Issue linkage (`linkage`): at each turn the body votes once on a package of a
    /// proposal on every open issue of its mandate, each member weighing its gains
    /// across the issues by salience (docs/model.md, "Issue linkage").
    pub linkage: bool,
    /// Coordination between institutions (`coordinate`): the body leaves aside an
    /// issue on which another venue adopted a measure since its last meeting and takes
    /// up the next one (docs/model.md, "Coordination between institutions").
    pub coordinate: bool,
    /// Dialogue inside the body (`dialogue`): its members have agreed when
    /// coalitions complement it, so elitism's resentment spares members of coalitions
    /// with an endorsed measure (docs/model.md, "Dialogue inside institutions").
    pub dialogue: bool,
}

impl BodySpec {
    /// Whether members' failures in a row are counted: the body can be left (`exit`)
    /// or stayed away from (`disengage_after`).
    pub fn counts_failures(&self) -> bool {
        self.exit.is_some() || self.disengage_after.is_some()
    }
}

/// Exit and return (Hirschman 1970, *Exit, Voice, and Loyalty*): a member that
/// wanted a step on `after` consecutive turns of the body and saw it fail each time
/// withdraws, paying `cost` once; a withdrawn state returns with probability
/// `return_rate` per tick (a change of government or of mind), paying `cost` again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExitRule {
    /// Consecutive failed turns that a member wanted a step on before it withdraws.
    pub after: u32,
    /// Welfare paid once on withdrawing and once on returning.
    pub cost: f64,
    /// Probability per tick that a withdrawn state returns.
    pub return_rate: f64,
}

/// A body's elected seats (`[bodies.elected]`): `seats[g]` seats for group `g`, held
/// for `term` ticks, half of them renewed every `term / 2` ticks. The members sitting
/// at the start and those taking their seats at the first renewal come from data;
/// later renewals are elections (docs/model.md, "Elected seats").
#[derive(Clone, Debug, PartialEq)]
pub struct ElectedSeats {
    /// Group names, in the order of `seats`.
    pub groups: Vec<String>,
    /// Seats per group.
    pub seats: Vec<u32>,
    /// Each state's group (an index into `groups`), if it is in one.
    pub group_of: Vec<Option<u16>>,
    /// Ticks of a term: even, at least 2.
    pub term: u32,
    /// Members sitting at tick 0 with the tick their term ends (`term / 2` or `term`).
    pub sitting: Vec<(StateId, u32)>,
    /// Members taking their seats at tick `term / 2` for a full term.
    pub next: Vec<StateId>,
}

/// A decision rule (MODEL.md "Venue").
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// Every member must accept; the proposal is the least ambitious position.
    Unanimity,
    /// No member may object; members whose salience is below `abstain_below` abstain
    /// (do not object). The proposal is the least ambitious non-abstaining position.
    Consensus {
        /// Salience below which a member abstains, in [0, 1].
        abstain_below: f64,
    },
    /// A majority (share of members > `majority`, and at least `affirmative` members
    /// if set) decides; any veto holder that is a member, takes part and rejects
    /// blocks. Members whose salience is below `abstain_below` (if set) abstain: they
    /// neither accept nor veto (a permanent member's abstention is not a veto, as in
    /// the Security Council since 1946). The proposal is the median position.
    Veto {
        /// Share of members that must accept, in (0, 1].
        majority: f64,
        /// Veto holders, sorted (a subset of the venue's members).
        holders: Vec<StateId>,
        /// Number of members that must accept, if set (the Security Council's nine).
        affirmative: Option<u32>,
        /// Salience below which a member abstains, if set.
        abstain_below: Option<f64>,
    },

    /// Qualified majority by count and/or by weight (EU style). The proposal is the
    /// most ambitious position that a qualified majority wants at least as much.
    Qmv {
        /// Share of members that must accept, in (0, 1], if set.
        count: Option<f64>,
        /// Share of the weight that must accept, in (0, 1], if set.
        weight: Option<f64>,
        /// What the weight is.
        weight_by: Weight,
        /// Number of members that must accept, if set (the EU Council's "at least
        /// fifteen").
        min_members: Option<u32>,
        /// Members not accepting needed to block, if set: with fewer the qualified
        /// majority is deemed attained (the EU Council's blocking minority of four).
        blocking_minority: Option<u32>,
    },
}

/// The weight of a member in weighted `qmv`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Weight {
    /// Population.
    Population,
    /// The capability dimension of the issue being decided.
    IssueCapability,
    /// A named capability dimension.
    Capability(CapId),
}

/// Default `leadership_cost` (docs/model.md, "Founders who would lead"). A state
/// with salience 0.6 can lead a coalition of `n` members when the share of the
/// issue's capability it gives the coalition is at least `0.00033 n` (0.67% for 20
/// members, 0.17% for five). **Fitted, not found:** chosen so that `un-vs-g20` (195
/// states, real climate positions) founds coalitions at the rate of real climate
/// minilaterals (10 to 30 state-led groupings over three decades: docs/model.md
/// lists them); it founds 9.4 a run (scenarios/README.md), just below that range.
pub const LEADERSHIP_COST: f64 = 0.0002;

/// Coalition (minilateral) settings.
#[derive(Clone, Debug)]
pub struct CoalitionSpec {
    /// Whether states may found coalitions at all.
    pub enabled: bool,
    /// Most members a coalition may have (>= 2).
    pub max_size: u32,
    /// Fewest members a coalition needs to found and to decide (2 ..= `max_size`;
    /// enhanced cooperation needs nine).
    pub min_size: u32,
    /// Cost to each member of each decision a coalition takes, per other member: the
    /// cost of agreement, growing with size (>= 0).
    pub negotiation_cost: f64,
    /// A fixed depth for every coalition proposal (a club's required ambition) in
    /// place of the one the rule derives from positions (`None`: the rule's).
    pub depth: Option<f64>,
    /// How a coalition decides on its own measures.
    pub rule: Rule,
    /// Ticks between a coalition's decisions (>= 1).
    pub delay: u32,
    /// Institutionalisation of a new coalition, drawn at founding, in [0, 1].
    pub institutionalisation: Param,
    /// Per-member cost per tick of a fully institutionalised coalition (>= 0).
    pub institution_cost: f64,
    /// Dissolution hazard per tick of an informal issue-based coalition, in [0, 1].
    pub hazard_issue: f64,
    /// Dissolution hazard per tick of an informal bloc coalition, in [0, 1].
    pub hazard_bloc: f64,
    /// Share of the hazard removed by full institutionalisation, in [0, 1].
    pub institution_protection: f64,
    /// Time-bound goal: progress produced at which a coalition declares success and
    /// dissolves (`None` = open-ended).
    pub goal: Option<f64>,
    /// Time-bound goal: ticks after founding at which it dissolves (`None` = none).
    pub deadline: Option<u32>,
    /// Extra weight a coalition with a time-bound goal (`deadline` or `goal`) has in
    /// its members' effort on the issue and in their compliance stake, >= 0.
    pub focus: f64,
    /// Clarity of purpose (`vision`): a founder invites, and members admit, only
    /// states whose position on the issue lies within this distance of the founder's
    /// (the leader's); `None`: anyone.
    pub vision: Option<f64>,
    /// The only states that may found coalitions (`founders`, sorted); `None`: any.
    pub founders: Option<Vec<StateId>>,
    /// A founder stops inviting once the coalition holds this share of the issue's
    /// capability, in (0, 1].
    pub target_coverage: f64,
    /// Cost paid once by a founder (>= 0).
    pub founding_cost: f64,
    /// Political capital a leader spends per tick, per member and unit of aim, in
    /// units of the issue's efficiency (>= 0): leading costs
    /// `leadership_cost × efficiency × aim × size` per tick, and a state founds only
    /// when its stake covers that (docs/model.md, "Founders who would lead").
    pub leadership_cost: f64,
    /// Minimum share of members sharing a label with the founder for a `bloc` type, in [0, 1].
    pub bloc_threshold: f64,
    /// Base probability per tick that a facilitating body endorses a coalition measure
    /// adopted that tick (scaled by the coalition's coverage), in [0, 1].
    pub endorsement_rate: f64,
    /// Factor applied to `endorsement_rate` for bodies that do not facilitate, in [0, 1].
    pub non_facilitating_factor: f64,
    /// How a body that took up a coalition measure adopts it.
    pub endorsement: EndorsementMode,
    /// The body whose authorisation a coalition needs (the EU Council for an
    /// enhanced cooperation, Art. 20 TEU and 329 TFEU): only its members found or join
    /// coalitions, a coalition is founded only on an issue the body has failed on at
    /// its last turn (a last resort), and only if the body authorises it by a vote
    /// under its own rule. `None`: coalitions need no one's leave.
    pub authorised_by: Option<BodyId>,
    /// The body inside which coalitions form (`[coalitions] within`, WTO plurilaterals
    /// and joint-statement initiatives): only its members found or join coalitions,
    /// with no authorisation vote and no last-resort condition. `None`: any state may.
    /// `authorised_by` implies membership of its body too (see [`Self::framework`]).
    pub within: Option<BodyId>,
}

impl CoalitionSpec {
    /// The body whose members alone found or join coalitions: the authorising body
    /// (enhanced cooperation), else the body they form within (plurilaterals), else
    /// none. Validation makes the two agree when both are given.
    pub fn framework(&self) -> Option<BodyId> {
        self.authorised_by.or(self.within)
    }
}

/// How a body adopts a coalition measure it took up (`[coalitions] endorsement`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EndorsementMode {
    /// Without a vote: taken up is adopted (the earlier model; no veto applies).
    Automatic,
    /// By a vote of the body under its own rule, vetoes included, on the measure's
    /// depth against the issue's status quo (the default).
    #[default]
    Vote,
}

/// How members accept or reject a proposal (shared by bodies and coalitions).
#[derive(Clone, Debug)]
pub struct DecisionSpec {
    /// Logit temperature of acceptance (> 0): a member indifferent between the
    /// proposal and the status quo accepts half the time; small = sharp.
    pub temperature: f64,
    /// Extra probability that a challenger rejects any proposal, in [0, 1].
    pub challenger_reluctance: f64,
    /// Probability that a great power rejects a proposal of a venue led by a rival
    /// great power (rivalry), in [0, 1]. Bodies and coalitions currently led by a
    /// state that is not a great power (microlaterals) are exempt.
    pub rivalry: f64,
    /// Elitism, in [0, 1]: in a body's vote on an issue, a member that sits in no
    /// coalition on it while a share `s` of the body's members do rejects with the
    /// extra probability `elitism × s` (the outer tier resents the inner one).
    pub elitism: f64,
}

/// How a measure's legitimacy (the share of states, or of population, with a voice in
/// the venue that adopted it) feeds back (`[legitimacy]`; docs/model.md, "Legitimacy").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LegitimacySpec {
    /// What the share counts: states with a voice, or their population.
    pub basis: LegitimacyBasis,
    /// Weight of legitimacy in non-members' compliance, in [0, 1]: a bound state
    /// without a voice keeps the share `1 − w + w × λ` of the law's stake, and a free
    /// non-member that cares about the issue follows a measure with probability
    /// `w × λ × p_comply` (0: non-members never follow; legitimacy changes nothing).
    pub compliance: f64,
    /// Weight of legitimacy in a body's readiness to take up a coalition measure, in
    /// [0, 1]: the take-up probability is multiplied by `1 − w + w × λ`.
    pub endorsement: f64,
}

/// What a measure's legitimacy counts (`[legitimacy] basis`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LegitimacyBasis {
    /// The share of states (not non-state actors) with a voice.
    #[default]
    States,
    /// The share of world population with a voice.
    Population,
}

impl Default for LegitimacySpec {
    fn default() -> Self {
        LegitimacySpec {
            basis: LegitimacyBasis::States,
            compliance: 0.0,
            endorsement: 0.0,
        }
    }
}

/// Payoffs, compliance and trust.
#[derive(Clone, Debug)]
pub struct PayoffSpec {
    /// Cost per tick of each coalition membership (>= 0).
    pub overhead: f64,
    /// Weight of mean affinity with co-members in the payoff (>= 0).
    pub affinity_weight: f64,
    /// Reputational gain of complying, for a fully trusted partner set (>= 0).
    pub reputation: f64,
    /// Logit temperature of the comply / free-ride choice (> 0).
    pub compliance_temperature: f64,
    /// Learning rate of trust (reputation of compliance), in [0, 1].
    pub trust_rate: f64,
    /// Trust every state starts with, in [0, 1].
    pub initial_trust: f64,
    /// Weight of a member's own view of a measure in its compliance (`dissent`, >= 0):
    /// a member asked to go beyond its position is tempted to free-ride, one that
    /// wanted more complies more readily (docs/model.md, "Clarity of purpose").
    pub dissent: f64,
}

/// The behaviour rule and its parameters.
#[derive(Clone, Debug)]
pub struct BehaviourSpec {
    /// Which rule.
    pub rule: BehaviourRule,
    /// Logit temperature of choices (>= 0; 0 = deterministic best reply).
    pub temperature: f64,
    /// Probability that a state reviews its portfolio in a tick, in [0, 1].
    pub review_rate: f64,
    /// How many open coalitions a reviewing state considers joining (>= 0).
    pub join_candidates: u32,
    /// Minimum salience for a state to found or join a coalition on an issue, in [0, 1].
    pub min_salience: f64,
    /// Share of a public good's output that a member counts as its own when valuing a
    /// coalition (conditional cooperation), in [0, 1].
    pub reciprocity: f64,
    /// `[behaviour.landscape]`: read whatever the rule; used by `landscape`.
    pub landscape: LandscapeSpec,
    /// `[behaviour.stability]`: used by `stability`.
    pub stability: StabilitySpec,
    /// `[behaviour.adaptive]`: used by `adaptive`.
    pub adaptive: AdaptiveSpec,
    /// `[behaviour.shapley]`: used by `shapley`.
    pub shapley: ShapleySpec,
    /// `[behaviour.club]`: used by `club`.
    pub club: ClubSpec,
}

/// The behaviour rules the engine knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BehaviourRule {
    /// Myopic expected-utility best response with logit noise.
    Utility,
    /// Landscape theory of aggregation: states move between two sides to lower their
    /// frustration (Axelrod & Bennett 1993).
    Landscape,
    /// Cartel stability of one coalition per issue (Carraro & Siniscalco 1993, Barrett 1994).
    Stability,
    /// Roth–Erev reinforcement learning over venue choices (Roth & Erev 1995).
    Adaptive,
    /// Bilateral Shapley value merging of alliances (Ketchpel 1994).
    Shapley,
    /// Nordhaus's climate club: target carbon price, penalty tariff, coalition Nash
    /// equilibrium (Nordhaus 2015).
    Club,
}

impl BehaviourRule {
    /// Every rule, in the order docs/rules.md lists them.
    pub const ALL: [BehaviourRule; 6] = [
        BehaviourRule::Utility,
        BehaviourRule::Landscape,
        BehaviourRule::Stability,
        BehaviourRule::Adaptive,
        BehaviourRule::Shapley,
        BehaviourRule::Club,
    ];

    /// The rule's cold facts: everything minilat says or writes about it outside the
    /// tick (its hot path is `behaviour::<rule>`, dispatched statically).
    pub fn facts(self) -> &'static RuleFacts {
        match self {
            BehaviourRule::Utility => &UTILITY,
            BehaviourRule::Landscape => &landscape::FACTS,
            BehaviourRule::Stability => &stability::FACTS,
            BehaviourRule::Adaptive => &adaptive::FACTS,
            BehaviourRule::Shapley => &shapley::FACTS,
            BehaviourRule::Club => &club::FACTS,
        }
    }

    /// The rule's name in scenario files.
    pub fn as_str(self) -> &'static str {
        self.facts().name
    }
}

/// What minilat says and writes about a behaviour rule outside the tick, in one place
/// per rule (ARCHITECTURE.md, "Adding a behaviour rule"). Its `runs.csv` and
/// `ticks.csv` columns depend on the scenario: `run_columns` and `tick_columns` beside
/// each rule's `FACTS`.
#[derive(Debug)]
pub struct RuleFacts {
    /// `[behaviour] rule = "name"`.
    pub name: &'static str,
    /// The rule's `runs.csv` columns `minilat run` prints after the core's headline.
    pub headline: &'static [&'static str],
    /// Why a state leaves a coalition under this rule, as the narrative says it.
    pub departure: &'static str,
    /// The rule's own files in a run's directory (`output::rules` writes them).
    pub files: &'static [&'static str],
    /// Those of its files the report shows as tables.
    pub tables: &'static [FileTable],
}

/// A CSV file the report shows as a table: a rule's own, or `lifetimes.csv`.
#[derive(Debug)]
pub struct FileTable {
    /// The file.
    pub file: &'static str,
    /// The section's heading.
    pub heading: &'static str,
    /// What the table shows (HTML).
    pub note: &'static str,
    /// Columns left out of the table (the CSV has them all).
    pub hide: &'static [&'static str],
}

/// The `utility` rule's facts: no files, no extra columns. Its departures are told
/// by reason (`Event::Left::at_capacity`): this is the usual one.
const UTILITY: RuleFacts = RuleFacts {
    name: "utility",
    headline: &[],
    departure: "it cost more than it delivered",
    files: &[],
    tables: &[],
};

/// What `ticks.csv` holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSpec {
    /// Mean and sd across runs per tick, or every run's rows.
    pub ticks: TickOutput,
    /// Record every `every`-th tick (and always the last), >= 1.
    pub every: u32,
    /// Real groupings the coalitions that form are compared with (`compare`): each a
    /// label of the scenario, giving a `match_<label>` column in `runs.csv`.
    pub compare: Vec<Compared>,
    /// Only coalitions on this issue are compared (`compare_issue`; all when `None`).
    pub compare_issue: Option<IssueId>,
}

/// A real grouping (the states carrying a label) that coalitions are compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compared {
    /// The label, e.g. `quad`.
    pub label: String,
    /// Its bit in the states' label sets.
    pub mask: u64,
    /// How many states carry it.
    pub size: usize,
}

/// Shape of `ticks.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TickOutput {
    /// One row per tick: mean and sd across runs (memory flat in runs).
    Mean,
    /// One row per run and tick.
    All,
    /// No `ticks.csv`.
    None,
}

impl Scenario {
    /// Number of states and non-state actors.
    pub fn n_states(&self) -> usize {
        self.states.len()
    }

    /// `match_<label>` for each grouping of `[output] compare`, in order.
    pub fn compare_columns(&self) -> Vec<String> {
        (self.output.compare.iter())
            .map(|c| format!("match_{}", c.label))
            .collect()
    }

    /// The behaviour rule's own `runs.csv` columns (none for `utility`); the rule's
    /// values come in this order (`behaviour::run_values`).
    pub fn rule_run_columns(&self) -> Vec<String> {
        match self.behaviour.rule {
            BehaviourRule::Utility => Vec::new(),
            BehaviourRule::Landscape => landscape::run_columns(self),
            BehaviourRule::Stability => stability::run_columns(self),
            BehaviourRule::Adaptive => adaptive::run_columns(self),
            BehaviourRule::Shapley => shapley::run_columns(self),
            BehaviourRule::Club => club::run_columns(self),
        }
    }

    /// The behaviour rule's own `ticks.csv` columns (none for `utility`); the rule's
    /// values come in this order (`behaviour::tick_values`).
    pub fn rule_tick_columns(&self) -> Vec<String> {
        match self.behaviour.rule {
            BehaviourRule::Utility => Vec::new(),
            BehaviourRule::Landscape => landscape::tick_columns(self),
            BehaviourRule::Stability => stability::tick_columns(self),
            BehaviourRule::Adaptive => adaptive::tick_columns(self),
            BehaviourRule::Shapley => shapley::tick_columns(self),
            BehaviourRule::Club => club::tick_columns(self),
        }
    }
}
