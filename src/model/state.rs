//! States (the agents), stored as parallel arrays indexed by `StateId` so that the
//! tick loop walks contiguous memory (MODEL.md "State").
//!
//! Per-issue values are flattened: the value of state `i` on issue `k` is at
//! `i * n_issues + k`.
//!
//! **Invariant:** `memberships[i].len() <= bandwidth[i]` at every tick boundary, and
//! `c ∈ memberships[i]` exactly when `i ∈ coalition(c).members`.

use super::ids::{CoalitionId, IssueId, StateId};

/// All states of a run.
#[derive(Clone, Debug, Default)]
pub struct States {
    /// Number of issues (stride of the per-issue arrays).
    pub n_issues: usize,
    /// Share of the issue's capability dimension, `value / world total`, in [0, 1].
    pub share: Vec<f64>,
    /// Salience drawn for the run, in [0, 1] (crises add to it).
    pub salience: Vec<f64>,
    /// Position drawn for the run, in [0, 1].
    pub position: Vec<f64>,
    /// Threat `θ` the state perceives from challengers on the issue, in [0, 1] (0 on
    /// issues without a `threat`): fixed for the run (docs/model.md, "Threat").
    pub threat: Vec<f64>,
    /// Number of capability dimensions (stride of `capability_share`).
    pub n_capabilities: usize,
    /// Share of each capability dimension, at `i * n_capabilities + d`, in [0, 1].
    pub capability_share: Vec<f64>,
    /// Share of world population, in [0, 1].
    pub population_share: Vec<f64>,
    /// Coalition memberships a state can carry at once.
    pub bandwidth: Vec<u32>,
    /// Revisionist states.
    pub challenger: Vec<bool>,
    /// Great powers (explicit or top-k by capability).
    pub great_power: Vec<bool>,
    /// Middle powers (explicit or the next 15 by capability).
    pub middle_power: Vec<bool>,
    /// Venues (bodies with the issue in their mandate, coalitions on the issue) the
    /// state sits in, per `(state, issue)`: its effort on the issue is split among them.
    pub venues_on: Vec<u32>,
    /// Coalitions (not bodies) the state sits in, per `(state, issue)`.
    pub coalitions_on: Vec<u32>,
    /// Extra weight a coalition with a time-bound goal gets in its members' effort and
    /// compliance stake: `[coalitions] focus` when coalitions have a `deadline` or a
    /// `goal`, else 0 (docs/model.md, "Time-bound goals focus effort").
    pub focus: f64,
    /// Firms and NGOs.
    pub non_state: Vec<bool>,
    /// Expertise each brings to the measures it implements, in [0, 1].
    pub expertise: Vec<f64>,
    /// Number of states that are not non-state actors (who have a voice in bodies).
    pub n_with_voice: usize,
    /// Identity labels, a bit set.
    pub labels: Vec<u64>,
    /// Region numbers (`model::typology::region_ids`; 0 = none).
    pub region: Vec<u32>,
    /// Per `(state, issue)`: an elite holder of the issue's capability
    /// (`model::typology::elite_holders`), for a coalition's Haass type.
    pub elite: Vec<bool>,
    /// Coalitions the state belongs to now.
    pub memberships: Vec<Vec<CoalitionId>>,
    /// Trust others place in the state: its record of complying, in [0, 1].
    pub reputation: Vec<f64>,
    /// Payoff accumulated over the run.
    pub welfare: Vec<f64>,
    /// Payoff of the latest tick (phase 5: club and public benefits, minus costs,
    /// overhead and tariffs, plus affinity): what learning rules can be reinforced by.
    pub payoff: Vec<f64>,
}

impl States {
    /// Number of states.
    pub fn len(&self) -> usize {
        self.bandwidth.len()
    }

    /// Whether there are no states.
    pub fn is_empty(&self) -> bool {
        self.bandwidth.is_empty()
    }

    /// Flat index of `(state, issue)`.
    #[inline]
    pub fn at(&self, state: StateId, issue: IssueId) -> usize {
        state.index() * self.n_issues + issue.index()
    }

    /// The share of its effort on `issue` that the state gives a venue it sits in on
    /// that issue (a coalition if `coalition`, else a body): `w / (venues + focus ×
    /// coalitions)` with `w = 1 + focus` for a coalition and 1 for a body, so `1 /
    /// venues` without focus (1 if none). A state's capability counts once across its
    /// venues, so duplication spreads it instead of multiplying it (MODEL.md
    /// "bandwidth": finite effort); a time-bound coalition gets more of it.
    #[inline]
    pub fn effort(&self, state: StateId, issue: IssueId, coalition: bool) -> f64 {
        let at = self.at(state, issue);
        let weight = if coalition { 1.0 + self.focus } else { 1.0 };
        let total = self.venues_on[at] as f64 + self.focus * self.coalitions_on[at] as f64;
        weight / total.max(1.0)
    }

    /// The effort share a venue on `issue` (a coalition if `coalition`) would get if
    /// the state sat in it as well.
    #[inline]
    pub fn effort_if_joining(&self, state: StateId, issue: IssueId, coalition: bool) -> f64 {
        let at = self.at(state, issue);
        let (weight, more) = if coalition {
            (1.0 + self.focus, self.focus)
        } else {
            (1.0, 0.0)
        };
        let total =
            (self.venues_on[at] + 1) as f64 + self.focus * self.coalitions_on[at] as f64 + more;
        weight / total
    }

    /// Whether the state can take on one more coalition membership.
    #[inline]
    pub fn has_bandwidth(&self, state: StateId) -> bool {
        (self.memberships[state.index()].len() as u32) < self.bandwidth[state.index()]
    }

    /// Whether the state is a member of coalition `c`.
    #[inline]
    pub fn is_member(&self, state: StateId, c: CoalitionId) -> bool {
        self.memberships[state.index()].contains(&c)
    }
}

/// Affinity of two states in [0, 1]: an explicit value from the scenario if given,
/// else the Jaccard index of their labels, `|L_i ∩ L_j| / |L_i ∪ L_j|` (0 when
/// neither has a label). Shared identity makes bloc coalitions cheaper to hold
/// together (MODEL.md "identity / bloc").
///
/// `explicit` is sorted by `(a, b)` with `a < b`.
pub fn affinity(
    labels: &[u64],
    explicit: &[(StateId, StateId, f64)],
    i: StateId,
    j: StateId,
) -> f64 {
    if i == j {
        return 1.0;
    }
    if !explicit.is_empty() {
        let key = if i < j { (i, j) } else { (j, i) };
        if let Ok(pos) = explicit.binary_search_by(|&(a, b, _)| (a, b).cmp(&key)) {
            return explicit[pos].2;
        }
    }
    let (a, b) = (labels[i.index()], labels[j.index()]);
    let union = (a | b).count_ones();
    if union == 0 {
        0.0
    } else {
        (a & b).count_ones() as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(i: u32) -> StateId {
        StateId(i)
    }

    #[test]
    fn affinity_is_the_jaccard_index_of_labels() {
        let labels = [0b011, 0b110, 0b000, 0b000];
        assert_eq!(affinity(&labels, &[], s(0), s(1)), 1.0 / 3.0);
        assert_eq!(affinity(&labels, &[], s(2), s(3)), 0.0);
        assert_eq!(affinity(&labels, &[], s(1), s(1)), 1.0);
    }

    #[test]
    fn explicit_affinity_wins_in_either_order() {
        let labels = [0b1, 0b1, 0b0];
        let explicit = [(s(0), s(1), 0.2), (s(1), s(2), 0.9)];
        assert_eq!(affinity(&labels, &explicit, s(1), s(0)), 0.2);
        assert_eq!(affinity(&labels, &explicit, s(2), s(1)), 0.9);
        assert_eq!(affinity(&labels, &explicit, s(0), s(2)), 0.0);
    }
}
