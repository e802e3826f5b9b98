//! `manifest.json`: what produced a directory of results, written last so that its
//! presence marks the directory complete. Wall-clock times and thread counts live
//! here and never in the result CSVs, which stay bit-identical across machines.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::results::ReadError;

/// The manifest of a batch. Read with [`read`], the one manifest reader; a field
/// missing from the file reads as empty (older or hand-made manifests still chart).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Manifest {
    /// `minilat` version.
    pub minilat_version: String,
    /// The command that produced the directory (`run`).
    pub command: String,
    /// The command line that produced the directory, program name first
    /// (`minilat rerun DIR` repeats it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command_line: Vec<String>,
    /// The working directory it was run from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// Scenario file as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// Scenario name.
    pub scenario_name: String,
    /// `--set` overrides, in order.
    pub overrides: Vec<String>,
    /// The resolved scenario (overrides applied).
    pub resolved_scenario: serde_json::Value,
    /// Master seed.
    pub seed: u64,
    /// Runs in the batch.
    pub runs: u32,
    /// Only this replicate was run (`--run K`).
    pub only_run: Option<u32>,
    /// Ticks per run.
    pub ticks: u32,
    /// How run streams are derived.
    pub rng: String,
    /// Worker threads used.
    pub threads: usize,
    /// Start time, RFC 3339 UTC.
    pub started_utc: String,
    /// Wall time in seconds.
    pub wall_seconds: f64,
    /// Files written, in order.
    pub files: Vec<String>,
    /// Each file written before the manifest, as it was when the batch completed
    /// (lines, bytes, SHA-256): `merge` refuses a shard whose files no longer match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<FileCheck>,
    /// What the batch is (scenario hash, overrides, design, shard, version): a
    /// `--resume` or `merge` must match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<serde_json::Value>,
    /// The sweep's design and shard (`minilat sweep`, `minilat merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepManifest>,
    /// This session went on from a checkpoint with this many runs done (`--resume`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed_after: Option<u64>,
    /// The shard directories merged into this one (`minilat merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Vec<String>>,
    /// Where each issue's positions and saliences come from, in words
    /// (`Scenario::preference_notes`); empty in manifests older than issue 17.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferences: Vec<PreferencesManifest>,
    /// Each body's types of grouping (`model::typology::body_types`), in body order;
    /// empty in manifests older than issue 19.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_types: Vec<BodyTypeManifest>,
}

/// A body's Haass and tech type, as the report shows them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BodyTypeManifest {
    /// The body.
    pub body: String,
    /// `universal`, `elite`, `regional` or `functional`.
    pub haass_type: String,
    /// `security`, `supply_chain`, `digital`, `multidimensional` or `other`.
    pub tech_type: String,
}

impl BodyTypeManifest {
    /// The types of a scenario's bodies.
    pub fn of(scenario: &crate::model::scenario::Scenario) -> Vec<BodyTypeManifest> {
        let types = crate::model::typology::body_types(scenario);
        (scenario.bodies.iter().zip(types))
            .map(|(b, (haass, tech))| BodyTypeManifest {
                body: b.name.clone(),
                haass_type: haass.as_str().to_string(),
                tech_type: tech.as_str().to_string(),
            })
            .collect()
    }
}

/// Where one issue's preferences come from (data column or illustrative), as the
/// report shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreferencesManifest {
    /// The issue (`(affinity)` for pairwise affinity).
    pub issue: String,
    /// Where positions come from (for affinity: where the pairs come from).
    pub positions: String,
    /// Where saliences come from (empty for affinity).
    pub saliences: String,
}

impl PreferencesManifest {
    /// The notes of a scenario.
    pub fn of(scenario: &crate::model::scenario::Scenario) -> Vec<PreferencesManifest> {
        (scenario.preference_notes().into_iter())
            .map(|n| PreferencesManifest {
                issue: n.issue,
                positions: n.positions,
                saliences: n.saliences,
            })
            .collect()
    }
}

/// What a sweep's manifest adds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SweepManifest {
    /// The design as read (`SweepSpec::to_json`).
    pub design: serde_json::Value,
    /// A separate design file, if one was given.
    pub design_file: Option<String>,
    /// SHA-256 of the design file.
    pub design_sha256: Option<String>,
    /// Swept parameters' paths.
    pub params: Vec<String>,
    /// Points in the whole sweep.
    pub points: u32,
    /// Runs per point.
    pub replicates: u32,
    /// Runs in the whole sweep.
    pub runs_total: u64,
    /// Which shard this directory holds (`None`: all of it).
    pub shard: Option<Shard>,
}

/// A sweep's `[sweep.optimum]`, as its manifest records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepOptimum {
    /// The parameter, the last of the sweep's `params`.
    pub param: String,
    /// How many values it takes at each design point.
    pub values: usize,
    /// The metrics whose best value is sought.
    pub metrics: Vec<String>,
}

/// A deterministic part of a sweep: the points `p` with `p % count == index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 0-based index.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

/// A file of a finished batch as it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    /// File name in the output directory.
    pub name: String,
    /// Lines (for a CSV file, its rows plus the header).
    pub lines: u64,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
}

impl FileCheck {
    /// Reads `dir/name` (streaming) and describes it.
    pub fn of(dir: &std::path::Path, name: &str) -> std::io::Result<FileCheck> {
        use sha2::{Digest, Sha256};
        use std::io::Read;
        let mut file = std::fs::File::open(dir.join(name))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let (mut lines, mut bytes) = (0u64, 0u64);
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            bytes += n as u64;
        }
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(FileCheck {
            name: name.to_owned(),
            lines,
            bytes,
            sha256,
        })
    }
}

/// Reads `manifest.json` at `path`: the one manifest reader of every command.
pub fn read(path: &Path) -> Result<Manifest, ReadError> {
    let bytes =
        std::fs::read(path).map_err(|e| ReadError::file(path, format!("cannot read: {e}")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ReadError::file(path, format!("not a minilat manifest: {e}")))
}

/// A part of the manifest's JSON as `T`, or `T::default()` where it is absent or of
/// another shape (a scenario whose states come from a data file has no state list).
fn part<T: DeserializeOwned + Default>(v: &serde_json::Value) -> T {
    T::deserialize(v).unwrap_or_default()
}

/// An issue of the resolved scenario.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct IssueFacts {
    /// Issue name.
    pub name: String,
    /// The capability that weighs states on this issue, if any.
    pub capability: Option<String>,
}

/// A state listed in the resolved scenario.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StateFacts {
    /// Name.
    pub name: String,
    /// ISO 3166 alpha-3 code, if given.
    pub iso3: Option<String>,
    /// Raw capability values by capability name.
    pub capabilities: BTreeMap<String, f64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Named {
    name: String,
}

/// The kind of a swept parameter's values, from the design in the manifest: how its
/// cells in `runs.csv` and `points.csv` are read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Integers or reals (a list of numbers or a `{ min, max }` range).
    Number,
    /// `true` / `false`.
    Bool,
    /// Text (a decision rule, a name), or a list mixing kinds.
    Text,
}

impl ParamKind {
    /// The kind shared by `values` (as the design wrote them).
    fn of(values: &[&serde_json::Value]) -> ParamKind {
        if values.iter().all(|v| v.is_number()) {
            ParamKind::Number
        } else if values.iter().all(|v| v.is_boolean()) {
            ParamKind::Bool
        } else {
            ParamKind::Text
        }
    }
}

impl Manifest {
    /// The resolved scenario's `[scenario]` description.
    pub fn description(&self) -> String {
        part(&self.resolved_scenario["scenario"]["description"])
    }

    /// Ticks per run as the resolved scenario says (`None` if absent).
    pub fn scenario_ticks(&self) -> Option<f64> {
        part(&self.resolved_scenario["scenario"]["ticks"])
    }

    /// The cap on coalition size (`coalitions.max_size`) as the resolved scenario
    /// says (`None` if absent).
    pub fn coalition_cap(&self) -> Option<u32> {
        part(&self.resolved_scenario["coalitions"]["max_size"])
    }

    /// The issues, in scenario order.
    pub fn issues(&self) -> Vec<IssueFacts> {
        part(&self.resolved_scenario["issues"])
    }

    /// The bodies' names, in scenario order.
    pub fn body_names(&self) -> Vec<String> {
        let bodies: Vec<Named> = part(&self.resolved_scenario["bodies"]);
        bodies.into_iter().map(|b| b.name).collect()
    }

    /// The states listed inline in the resolved scenario (none if they come from a
    /// data file: `states.csv` has them).
    pub fn states(&self) -> Vec<StateFacts> {
        part(&self.resolved_scenario["states"])
    }
}

impl SweepManifest {
    /// The design's name (`grid`, `list`, `lhs`, `random`, `morris`, `sobol`).
    pub fn design_name(&self) -> Option<String> {
        part(&self.design["design"])
    }

    /// A whole number of the design (`samples`, `trajectories`, `levels`, `seed`), 0 if
    /// absent.
    pub fn design_number(&self, key: &str) -> u64 {
        part(&self.design[key])
    }

    /// `[sweep.optimum]`: the parameter along which each design point's best value is
    /// sought (the last of `params`), its number of values and the metrics.
    pub fn optimum(&self) -> Option<SweepOptimum> {
        let o = self.design.get("optimum")?;
        let param: String = part(&o["param"]);
        let values = self.design["params"].as_array()?.last()?["values"]
            .as_array()?
            .len();
        (self.params.last() == Some(&param) && values > 0).then(|| SweepOptimum {
            param,
            values,
            metrics: part(&o["metrics"]),
        })
    }

    /// The design's own parameters: `params` without the optimum's.
    pub fn design_params(&self) -> &[String] {
        let n = self.params.len() - usize::from(self.optimum().is_some());
        &self.params[..n]
    }

    /// Metrics the sweep asked to chart besides the default ones (`[sweep] charts`).
    pub fn charts(&self) -> Vec<String> {
        part(&self.design["charts"])
    }

    /// The kind of each swept parameter, in `params` order, from the typed design
    /// (its values, range or listed points); `None` where the design does not say
    /// (a hand-made manifest).
    pub fn param_kinds(&self) -> Vec<Option<ParamKind>> {
        let axes = self.design["params"].as_array();
        let listed = self.design["list"].as_array();
        (0..self.params.len())
            .map(|j| {
                let axis = axes.and_then(|a| a.get(j))?;
                if axis.get("min").is_some() {
                    return Some(ParamKind::Number);
                }
                let values: Vec<&serde_json::Value> = match axis["values"].as_array() {
                    Some(v) if !v.is_empty() => v.iter().collect(),
                    _ => listed?.iter().filter_map(|row| row.get(j)).collect(),
                };
                (!values.is_empty()).then(|| ParamKind::of(&values))
            })
            .collect()
    }
}
