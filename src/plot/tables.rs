//! Reading result tables: CSV files into named columns (an empty cell is NaN) and
//! `manifest.json` into the few facts the charts need. Only the csv and serde_json
//! crates; nothing here knows plotters.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::PlotError;

/// A whole CSV file held as records (for the small tables: summary, points, ticks).
pub struct Table {
    /// The file, for error messages.
    pub path: PathBuf,
    /// Column names in file order.
    pub headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

fn csv_error(path: &Path, source: csv::Error) -> PlotError {
    PlotError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

fn open_csv(path: &Path) -> Result<csv::Reader<File>, PlotError> {
    let file = File::open(path).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(csv::ReaderBuilder::new().flexible(false).from_reader(file))
}

/// Parses one cell: empty (or "NaN") → NaN, else a float.
pub(crate) fn parse_cell(
    path: &Path,
    column: &str,
    cell: &str,
    line: u64,
) -> Result<f64, PlotError> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(f64::NAN);
    }
    cell.parse::<f64>().map_err(|_| PlotError::NotANumber {
        path: path.to_path_buf(),
        column: column.to_string(),
        value: cell.to_string(),
        line,
    })
}

impl Table {
    /// Reads the whole file.
    pub fn read(path: &Path) -> Result<Table, PlotError> {
        let mut reader = open_csv(path)?;
        let headers = reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| csv_error(path, e))?;
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// Reads the rows `keep` accepts (streaming: memory holds only those).
    pub fn read_where(
        path: &Path,
        mut keep: impl FnMut(&csv::StringRecord) -> bool,
    ) -> Result<Table, PlotError> {
        let mut rows = Vec::new();
        let headers = for_each_row(path, |rec, _| {
            if keep(rec) {
                rows.push(rec.clone());
            }
            Ok(())
        })?;
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has a column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }

    fn index(&self, name: &str) -> Result<usize, PlotError> {
        column_index(&self.path, &self.headers, name)
    }

    fn line(&self, row: usize) -> u64 {
        self.rows[row]
            .position()
            .map_or(row as u64 + 2, |p| p.line())
    }

    /// The column `name` as numbers (empty cell = NaN).
    pub fn num(&self, name: &str) -> Result<Vec<f64>, PlotError> {
        let i = self.index(name)?;
        self.rows
            .iter()
            .enumerate()
            .map(|(r, rec)| parse_cell(&self.path, name, &rec[i], self.line(r)))
            .collect()
    }

    /// The column `name` as text.
    pub fn text(&self, name: &str) -> Result<Vec<&str>, PlotError> {
        let i = self.index(name)?;
        Ok(self.rows.iter().map(|rec| &rec[i]).collect())
    }
}

/// One row of `coalitions.csv`, borrowed from the reader's buffer.
pub struct CoalitionRow<'a> {
    /// Run index.
    pub run: u32,
    /// Issue name.
    pub issue: &'a str,
    /// Tick founded.
    pub founded: f64,
    /// Tick ended (the run's length if still active).
    pub ended: f64,
    /// Every member ever, `;`-separated, in joining order.
    pub members: &'a str,
    /// Largest size reached.
    pub peak_size: u32,
    /// Progress produced over its life.
    pub progress: f64,
}

/// Streams `coalitions.csv` (a run's form, with a `run` column) row by row into `f`,
/// holding one record at a time: the file can be large.
pub fn for_each_coalition(
    path: &Path,
    mut f: impl FnMut(CoalitionRow<'_>) -> Result<(), PlotError>,
) -> Result<(), PlotError> {
    let mut reader = open_csv(path)?;
    let headers = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let col = |name: &str| column_index(path, &headers, name);
    let (c_run, c_issue, c_founded, c_ended, c_members, c_peak, c_progress) = (
        col("run")?,
        col("issue")?,
        col("founded")?,
        col("ended")?,
        col("members")?,
        col("peak_size")?,
        col("progress")?,
    );
    let mut rec = csv::StringRecord::new();
    while reader
        .read_record(&mut rec)
        .map_err(|e| csv_error(path, e))?
    {
        let line = rec.position().map_or(0, |p| p.line());
        let num = |c: usize| parse_cell(path, &headers[c], &rec[c], line);
        let whole = |c: usize| -> Result<u32, PlotError> {
            let v = num(c)?;
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
                Ok(v as u32)
            } else {
                Err(PlotError::Invalid {
                    path: path.to_path_buf(),
                    message: format!(
                        "line {line}: column {}: expected a whole number, found {:?}",
                        &headers[c], &rec[c]
                    ),
                })
            }
        };
        let row = CoalitionRow {
            run: whole(c_run)?,
            issue: &rec[c_issue],
            founded: num(c_founded)?,
            ended: num(c_ended)?,
            members: &rec[c_members],
            peak_size: whole(c_peak)?,
            progress: num(c_progress)?,
        };
        f(row)?;
    }
    Ok(())
}

/// One issue of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueMeta {
    /// Issue name.
    pub name: String,
    /// The capability column that weighs states on this issue, if known.
    pub capability: Option<String>,
}

/// One state: its name, iso3 code and capabilities.
#[derive(Clone, Debug, Default)]
pub struct StateInfo {
    /// Name as used in `coalitions.csv`.
    pub name: String,
    /// ISO 3166 alpha-3 code, if any.
    pub iso3: Option<String>,
    /// Raw capability values by capability name.
    pub capabilities: BTreeMap<String, f64>,
}

/// What the charts need from `manifest.json`.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// "run", "sweep" or "merge".
    pub command: Option<String>,
    /// The scenario's name.
    pub scenario_name: Option<String>,
    /// Issues in scenario order (their index picks their colour).
    pub issues: Vec<IssueMeta>,
    /// Body names in scenario order.
    pub bodies: Vec<String>,
    /// Ticks per run.
    pub ticks: Option<f64>,
    /// Swept parameter paths (sweeps).
    pub params: Vec<String>,
    /// Sweep design name ("grid", "list", "lhs", "random").
    pub design: Option<String>,
    /// Metrics the sweep asked to chart besides the default ones (`[sweep] charts`).
    pub charts: Vec<String>,
    /// States listed inline in the resolved scenario (used when there is no states.csv).
    pub states: Vec<StateInfo>,
}

/// Reads the parts of `manifest.json` the charts use; unknown or missing fields are
/// left empty (older or hand-made manifests still chart).
pub fn read_manifest(path: &Path) -> Result<Manifest, PlotError> {
    let text = std::fs::read_to_string(path).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| PlotError::Invalid {
        path: path.to_path_buf(),
        message: format!("not valid JSON: {e}"),
    })?;
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let scenario = &v["resolved_scenario"];
    let issues = scenario["issues"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| {
                    Some(IssueMeta {
                        name: s(&i["name"])?,
                        capability: s(&i["capability"]),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let bodies = scenario["bodies"]
        .as_array()
        .map(|a| a.iter().filter_map(|b| s(&b["name"])).collect())
        .unwrap_or_default();
    let states = scenario["states"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|st| {
                    let capabilities = st["capabilities"]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .filter_map(|(k, x)| Some((k.clone(), x.as_f64()?)))
                                .collect()
                        })
                        .unwrap_or_default();
                    Some(StateInfo {
                        name: s(&st["name"])?,
                        iso3: s(&st["iso3"]),
                        capabilities,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let sweep = &v["sweep"];
    Ok(Manifest {
        command: s(&v["command"]),
        scenario_name: s(&v["scenario_name"]),
        issues,
        bodies,
        ticks: scenario["scenario"]["ticks"].as_f64(),
        params: sweep["params"]
            .as_array()
            .map(|a| a.iter().filter_map(s).collect())
            .unwrap_or_default(),
        design: s(&sweep["design"]["design"]),
        charts: sweep["design"]["charts"]
            .as_array()
            .map(|a| a.iter().filter_map(s).collect())
            .unwrap_or_default(),
        states,
    })
}

/// Reads `states.csv`: `state,iso3,...,<one column per capability>`. Columns after
/// `labels` are capabilities.
pub fn read_states(path: &Path) -> Result<Vec<StateInfo>, PlotError> {
    let t = Table::read(path)?;
    let names = t.text("state")?;
    let iso3 = if t.has("iso3") {
        t.text("iso3")?
    } else {
        vec![""; t.len()]
    };
    let first_cap = t
        .headers
        .iter()
        .position(|h| h == "labels")
        .map_or(t.headers.len(), |i| i + 1);
    let mut states: Vec<StateInfo> = names
        .iter()
        .zip(&iso3)
        .map(|(n, i)| StateInfo {
            name: n.to_string(),
            iso3: (!i.is_empty()).then(|| i.to_string()),
            capabilities: BTreeMap::new(),
        })
        .collect();
    for cap in &t.headers[first_cap..] {
        for (st, v) in states.iter_mut().zip(t.num(cap)?) {
            st.capabilities.insert(cap.clone(), v);
        }
    }
    Ok(states)
}

/// The position of column `name` among `headers` of the file at `path`, or the error
/// naming both: the one column lookup of the plot readers.
pub(super) fn column_index<S: AsRef<str>>(
    path: &Path,
    headers: impl IntoIterator<Item = S>,
    name: &str,
) -> Result<usize, PlotError> {
    headers
        .into_iter()
        .position(|h| h.as_ref() == name)
        .ok_or_else(|| PlotError::MissingColumn {
            path: path.to_path_buf(),
            column: name.to_string(),
        })
}

impl Table {
    /// Only the header row of a CSV file.
    pub fn read_header(path: &Path) -> Result<Vec<String>, PlotError> {
        let mut reader = open_csv(path)?;
        Ok(reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(str::to_string)
            .collect())
    }
}

/// Streams the rows of a CSV file to `f` with each one's line number, holding one row
/// at a time; returns the header.
pub fn for_each_row(
    path: &Path,
    mut f: impl FnMut(&csv::StringRecord, u64) -> Result<(), PlotError>,
) -> Result<Vec<String>, PlotError> {
    let mut reader = open_csv(path)?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rec = csv::StringRecord::new();
    let mut n = 1;
    while reader
        .read_record(&mut rec)
        .map_err(|e| csv_error(path, e))?
    {
        n += 1;
        let line = rec.position().map_or(n, |p| p.line());
        f(&rec, line)?;
    }
    Ok(headers)
}
