//! Where each issue's positions and saliences (and the pairwise affinities) come from:
//! a column of a data file with its mapping, or illustrative values written in the
//! scenario. The reader records it; the report and the run's summary say it, so a
//! reader of the results knows whether preferences are data.

use crate::model::ids::StateId;
use crate::model::param::Param;

use super::Scenario;

/// Where one issue's positions and saliences come from (`Scenario::preferences`,
/// indexed by `IssueId`).
#[derive(Clone, Debug, PartialEq)]
pub struct IssuePreferences {
    /// The states' positions.
    pub positions: PreferenceSource,
    /// The states' saliences.
    pub saliences: PreferenceSource,
}

/// Where a set of per-state (or per-pair) values comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PreferenceSource {
    /// Values written in the scenario (`[defaults]`, `[groups]`, a state's own table):
    /// fixed numbers or distributions chosen by the scenario's author, not data.
    Illustrative,
    /// A fixed value written in every state's own table: the scenario's comments say
    /// where the numbers come from (they may be data copied in, as in the quickstart).
    PerState,
    /// A column of a data file, mapped onto the model's scale.
    Data(DataBinding),
}

/// A column of a data file bound to per-state values or to pairwise affinities.
#[derive(Clone, Debug, PartialEq)]
pub struct DataBinding {
    /// The file as written in the scenario (relative to it).
    pub file: String,
    /// The column read.
    pub column: String,
    /// The column's scale `[a, b]`, mapped linearly onto `to`.
    pub from: (f64, f64),
    /// The target scale, within [0, 1].
    pub to: (f64, f64),
    /// High column values mean low values in the model.
    pub invert: bool,
    /// What a state (or pair) without a value gets.
    pub missing: Missing,
    /// The value the missing rule gave (after mapping), if any state or pair needed it.
    pub fill: Option<f64>,
    /// States without a value that got `fill` (per-state bindings; sorted).
    pub filled: Vec<StateId>,
    /// Pairs of the scenario's states without a value that got `fill` (affinity).
    pub filled_pairs: usize,
    /// States whose own `[[states]]` table set the value: the data was not used.
    pub overridden: Vec<StateId>,
    /// States (or pairs) that took a value from the file.
    pub matched: usize,
}

/// What a state (or pair) without a value in a bound column gets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Missing {
    /// The median of the mapped values of the scenario's states that have one.
    Median,
    /// Their mean.
    Mean,
    /// Their minimum.
    Min,
    /// Their maximum.
    Max,
    /// This value (on the model's scale, in [0, 1]).
    Value(f64),
    /// Nothing: a missing value is an error (so none remain).
    Error,
    /// Affinity only: the pair keeps its label-derived affinity.
    Labels,
}

impl Missing {
    /// The rule as written in a scenario.
    pub fn as_text(self) -> String {
        match self {
            Missing::Median => "median".into(),
            Missing::Mean => "mean".into(),
            Missing::Min => "min".into(),
            Missing::Max => "max".into(),
            Missing::Value(v) => format!("{v}"),
            Missing::Error => "error".into(),
            Missing::Labels => "labels".into(),
        }
    }
}

impl DataBinding {
    /// The mapping in words: `column climate_position_pm1 of data/p.csv, rescaled from
    /// [-1, 1] to [0, 1], inverted` (or `on [0, 1] as is`).
    pub fn mapping_text(&self) -> String {
        let mut text = if self.from == self.to && !self.invert {
            format!(
                "column {} of {}, on [{}, {}] as is",
                self.column, self.file, self.from.0, self.from.1
            )
        } else {
            format!(
                "column {} of {}, rescaled from [{}, {}] to [{}, {}]",
                self.column, self.file, self.from.0, self.from.1, self.to.0, self.to.1
            )
        };
        if self.invert {
            text.push_str(", inverted");
        }
        text
    }

    /// What happened to states without a value (and to states that set their own), in
    /// words; `names` gives a state's name. Empty when nothing needs saying.
    fn gaps_text(&self, names: &dyn Fn(StateId) -> String) -> String {
        let mut parts = Vec::new();
        let listed = |ids: &[StateId]| {
            let mut shown: Vec<String> = ids.iter().take(8).map(|&i| names(i)).collect();
            if ids.len() > 8 {
                shown.push(format!("{} more", ids.len() - 8));
            }
            shown.join(", ")
        };
        if !self.filled.is_empty() {
            let n = self.filled.len();
            parts.push(format!(
                "{n} state{} without a value ({}) set to {}",
                if n == 1 { "" } else { "s" },
                listed(&self.filled),
                self.fill_text()
            ));
        }
        if self.filled_pairs > 0 {
            parts.push(format!(
                "{} pair{} without a value set to {}",
                self.filled_pairs,
                if self.filled_pairs == 1 { "" } else { "s" },
                self.fill_text()
            ));
        }
        if !self.overridden.is_empty() {
            let n = self.overridden.len();
            parts.push(format!(
                "{n} state{} set {} own value in the scenario ({})",
                if n == 1 { "" } else { "s" },
                if n == 1 { "its" } else { "their" },
                listed(&self.overridden)
            ));
        }
        parts.join("; ")
    }

    /// The fill value with the rule that gave it: `the median (0.62)`.
    fn fill_text(&self) -> String {
        let value = self.fill.map_or_else(String::new, |v| format!(" ({v:.3})"));
        match self.missing {
            Missing::Value(v) => format!("{v}"),
            Missing::Median => format!("the median{value}"),
            Missing::Mean => format!("the mean{value}"),
            Missing::Min => format!("the minimum{value}"),
            Missing::Max => format!("the maximum{value}"),
            Missing::Error | Missing::Labels => String::new(),
        }
    }
}

impl IssuePreferences {
    /// Positions and saliences both illustrative.
    pub fn illustrative() -> Self {
        IssuePreferences {
            positions: PreferenceSource::Illustrative,
            saliences: PreferenceSource::Illustrative,
        }
    }
}

impl PreferenceSource {
    /// Whether the values are illustrative (not data).
    pub fn is_illustrative(&self) -> bool {
        matches!(self, PreferenceSource::Illustrative)
    }
}

/// One issue's preferences in words, for the report and the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct PreferenceNote {
    /// The issue.
    pub issue: String,
    /// Where positions come from.
    pub positions: String,
    /// Where saliences come from.
    pub saliences: String,
}

impl Scenario {
    /// Each issue's preferences in words, then (issue `"(affinity)"`) where pairwise
    /// affinity comes from when a data file gives it.
    pub fn preference_notes(&self) -> Vec<PreferenceNote> {
        let names = |id: StateId| {
            self.states
                .get(id.index())
                .map_or_else(|| format!("#{}", id.0), |s| s.name.clone())
        };
        let mut notes: Vec<PreferenceNote> = self
            .preferences
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let params = |position: bool| {
                    self.states.iter().filter_map(move |s| {
                        s.interests
                            .get(k)
                            .map(|i| if position { &i.position } else { &i.salience })
                    })
                };
                PreferenceNote {
                    issue: self
                        .issues
                        .get(k)
                        .map_or_else(String::new, |i| i.name.clone()),
                    positions: describe(&p.positions, params(true), &names),
                    saliences: describe(&p.saliences, params(false), &names),
                }
            })
            .collect();
        if let Some(binding) = &self.affinity_source {
            let mut text = format!("{} pairs from {}", binding.matched, binding.mapping_text());
            let gaps = binding.gaps_text(&names);
            if !gaps.is_empty() {
                text.push_str("; ");
                text.push_str(&gaps);
            }
            if binding.missing == Missing::Labels {
                text.push_str("; other pairs: shared labels");
            }
            notes.push(PreferenceNote {
                issue: "(affinity)".into(),
                positions: text,
                saliences: String::new(),
            });
        }
        notes
    }

    /// `climate positions, trade saliences`: what is illustrative, or empty when every
    /// issue's preferences are data.
    pub fn illustrative_preferences(&self) -> String {
        let mut parts = Vec::new();
        for (p, issue) in self.preferences.iter().zip(&self.issues) {
            match (p.positions.is_illustrative(), p.saliences.is_illustrative()) {
                (true, true) => parts.push(format!("{} positions and saliences", issue.name)),
                (true, false) => parts.push(format!("{} positions", issue.name)),
                (false, true) => parts.push(format!("{} saliences", issue.name)),
                (false, false) => {}
            }
        }
        parts.join(", ")
    }
}

/// A source in words: the data mapping and its gaps, or what the scenario wrote
/// (`illustrative (normal(0.5, 0.12) for every state), not data`).
fn describe<'p>(
    source: &PreferenceSource,
    mut params: impl Iterator<Item = &'p Param>,
    names: &dyn Fn(StateId) -> String,
) -> String {
    match source {
        PreferenceSource::Data(binding) => {
            let gaps = binding.gaps_text(names);
            if gaps.is_empty() {
                binding.mapping_text()
            } else {
                format!("{}; {gaps}", binding.mapping_text())
            }
        }
        PreferenceSource::PerState => {
            "set state by state in the scenario file (its comments give the source)".into()
        }
        PreferenceSource::Illustrative => {
            let Some(first) = params.next() else {
                return "illustrative, not data".into();
            };
            let same = params.all(|p| p == first);
            if same {
                format!(
                    "illustrative ({} for every state), not data",
                    param_text(first)
                )
            } else {
                "illustrative (set per state or group in the scenario), not data".into()
            }
        }
    }
}

/// `0.5`, `uniform(0.2, 0.8)`, `normal(0.5, 0.12)`.
fn param_text(p: &Param) -> String {
    match *p {
        Param::Fixed(v) => format!("{v}"),
        Param::Uniform { min, max } => format!("drawn from uniform({min}, {max})"),
        Param::Normal { mean, sd, .. } => format!("drawn from normal({mean}, {sd})"),
    }
}
