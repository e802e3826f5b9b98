//! Synthetic scenarios built in code, for benchmarks and property tests: `n` states
//! with capabilities drawn from a heavy-tailed distribution (a few large states, many
//! small ones, like real GDP or emissions), two issues, a UN-like body (majority with a
//! veto for the five largest) and a consensus body of the 20 largest (G20-like).
//! Deterministic in `(n, seed)`.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::*;

/// Knobs of a synthetic scenario (defaults match the file format's defaults).
#[derive(Clone, Debug)]
pub struct Synthetic {
    /// Number of states.
    pub states: usize,
    /// Ticks per run.
    pub ticks: u32,
    /// Runs in a batch.
    pub runs: u32,
    /// Master seed of the scenario's runs, and of the capability draws.
    pub seed: u64,
    /// Coalition size cap.
    pub max_size: u32,
    /// Bandwidth of every state.
    pub bandwidth: f64,
    /// Logit temperature of choices.
    pub temperature: f64,
    /// Review rate.
    pub review_rate: f64,
    /// Excludability of the second issue (the first is a public good).
    pub excludability: f64,
    /// Whether bodies exist.
    pub bodies: bool,
}

impl Default for Synthetic {
    fn default() -> Self {
        Synthetic {
            states: 193,
            ticks: 200,
            runs: 100,
            seed: 1,
            max_size: 20,
            bandwidth: 3.0,
            temperature: 0.02,
            review_rate: 0.1,
            excludability: 0.5,
            bodies: true,
        }
    }
}

impl Synthetic {
    /// Builds the scenario.
    pub fn build(&self) -> Scenario {
        let n = self.states.max(2);
        let states = self.draw_states(n);
        let mut by_size: Vec<StateId> = (0..n).map(StateId::from_index).collect();
        by_size.sort_by(|a, b| {
            states[b.index()].capabilities[0]
                .total_cmp(&states[a.index()].capabilities[0])
                .then(a.cmp(b))
        });
        let mut top5: Vec<StateId> = by_size.iter().copied().take(5).collect();
        top5.sort();
        let mut top20: Vec<StateId> = by_size.iter().copied().take(20).collect();
        top20.sort();
        let middle_powers: Vec<StateId> = top20
            .iter()
            .copied()
            .filter(|id| !top5.contains(id))
            .collect();
        let issue = |name: &str, cap: u16, x: f64| IssueSpec {
            name: name.to_string(),
            capability: CapId(cap),
            domain: Domain::infer(name, ""),
            excludability: x,
            efficiency: 0.05,
            returns: 1.0,
            cost: 0.05,
            target: 1.0,
            decay: 0.0,
            status_quo: 0.0,
            shock_rate: 0.01,
            shock_boost: 0.3,
            shock_duration: 10,
            tariff: 0.0,
            threat: None,
        };
        Scenario {
            name: format!("synthetic-{n}"),
            description: "synthetic benchmark scenario".into(),
            ticks: self.ticks,
            runs: self.runs,
            seed: self.seed,
            capabilities: vec!["gdp".into(), "emissions".into()],
            labels: vec![
                "democracy".to_string(),
                "bloc_b".to_string(),
                "bloc_c".to_string(),
            ],
            states,
            issues: vec![
                issue("climate", 1, 0.0),
                issue("trade", 0, self.excludability),
            ],
            bodies: self.build_bodies(n, &top5, top20),
            coalitions: self.coalition_defaults(),
            decision: DecisionSpec {
                temperature: 0.08,
                challenger_reluctance: 0.3,
                rivalry: 0.3,
                elitism: 0.0,
            },
            legitimacy: LegitimacySpec::default(),
            payoffs: PayoffSpec {
                overhead: 0.003,
                affinity_weight: 0.01,
                reputation: 0.02,
                compliance_temperature: 0.01,
                trust_rate: 0.1,
                initial_trust: 0.7,
                dissent: 0.0,
            },
            behaviour: BehaviourSpec {
                rule: BehaviourRule::Utility,
                temperature: self.temperature,
                review_rate: self.review_rate,
                join_candidates: 3,
                min_salience: 0.3,
                reciprocity: 0.5,
                landscape: Default::default(),
                stability: Default::default(),
                adaptive: Default::default(),
                shapley: Default::default(),
                club: Default::default(),
            },
            affinities: Vec::new(),
            middle_powers,
            preferences: vec![IssuePreferences::illustrative(); 2],
            affinity_source: None,
            great_powers: top5,
            trade: Vec::new(),
            trade_total: 0.0,
            output: OutputSpec {
                ticks: TickOutput::Mean,
                every: 1,
                compare: Vec::new(),
                compare_issue: None,
            },
        }
    }

    /// `n` states with heavy-tailed capabilities and population and one of three
    /// labels, drawn in state order from the scenario's own stream.
    fn draw_states(&self, n: usize) -> Vec<StateSpec> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ 0x5eed);
        (0..n)
            .map(|i| {
                // Pareto-like tail: capability ∝ u^-1.2.
                let cap = |rng: &mut ChaCha8Rng| (1.0 - rng.random::<f64>()).powf(-1.2);
                let gdp = cap(&mut rng);
                let emissions = cap(&mut rng);
                let label = 1u64 << rng.random_range(0..3u32);
                StateSpec {
                    name: format!("S{i:04}"),
                    iso3: format!("S{i:02}"),
                    region: ["north", "south", "east", "west"][i % 4].to_string(),
                    population: cap(&mut rng),
                    capabilities: vec![gdp, emissions],
                    negative: Vec::new(),
                    labels: label,
                    interests: (0..2)
                        .map(|_| InterestSpec {
                            salience: Param::Uniform { min: 0.2, max: 0.9 },
                            position: Param::Normal {
                                mean: 0.5,
                                sd: 0.2,
                                min: 0.0,
                                max: 1.0,
                            },
                        })
                        .collect(),
                    bandwidth: Param::Fixed(self.bandwidth),
                    challenger: i % 17 == 3,
                    non_state: false,
                    expertise: 0.0,
                }
            })
            .collect()
    }

    /// A UN-like assembly of all `n` states (majority, `top5` hold vetoes) and a
    /// G20-like consensus body of `top20`; none when `bodies` is off.
    fn build_bodies(&self, n: usize, top5: &[StateId], top20: Vec<StateId>) -> Vec<BodySpec> {
        if !self.bodies {
            return Vec::new();
        }
        vec![
            BodySpec {
                linkage: false,
                coordinate: false,
                dialogue: false,
                elected: None,
                issue_rules: Vec::new(),
                exit: None,
                disengage_after: None,
                binds: None,
                binding: true,
                name: "assembly".into(),
                members: (0..n).map(StateId::from_index).collect(),
                rule: Rule::Veto {
                    majority: 0.5,
                    holders: top5.to_vec(),
                    affirmative: None,
                    abstain_below: None,
                },
                delay: 5,
                mandate: vec![IssueId(0), IssueId(1)],
                facilitates: true,
            },
            BodySpec {
                linkage: false,
                coordinate: false,
                dialogue: false,
                elected: None,
                issue_rules: Vec::new(),
                exit: None,
                disengage_after: None,
                binds: None,
                binding: true,
                name: "g20".into(),
                members: top20,
                rule: Rule::Consensus { abstain_below: 0.2 },
                delay: 3,
                mandate: vec![IssueId(0), IssueId(1)],
                facilitates: false,
            },
        ]
    }

    /// The file format's coalition defaults, but for `max_size` and a uniform
    /// institutionalisation.
    fn coalition_defaults(&self) -> CoalitionSpec {
        CoalitionSpec {
            endorsement: EndorsementMode::Vote,
            authorised_by: None,
            within: None,
            enabled: true,
            max_size: self.max_size,
            min_size: 2,
            negotiation_cost: 0.0,
            depth: None,
            rule: Rule::Consensus { abstain_below: 0.2 },
            delay: 1,
            institutionalisation: Param::Uniform { min: 0.0, max: 1.0 },
            institution_cost: 0.002,
            hazard_issue: 0.02,
            hazard_bloc: 0.008,
            institution_protection: 0.7,
            goal: None,
            deadline: None,
            focus: 0.0,
            vision: None,
            founders: None,
            target_coverage: 0.6,
            founding_cost: 0.01,
            leadership_cost: crate::model::scenario::LEADERSHIP_COST,
            bloc_threshold: 0.75,
            endorsement_rate: 0.1,
            non_facilitating_factor: 0.2,
        }
    }
}
