//! `[data.positions.<issue>]`, `[data.saliences.<issue>]` and `[data.affinity]`:
//! preferences from columns of data files (docs/scenario.md "Preferences from data").
//! A column's scale `from = [a, b]` maps linearly onto `to` (default [0, 1]), inverted
//! on request; a value outside `from` is an error at its cell, and what a state (or
//! pair) without a value gets is the binding's required `missing` rule, never a
//! silent 0. Statistics for `median`, `mean`, `min` and `max` are over the mapped
//! values of the scenario's states (or pairs) that have one.
//!
//! Precedence for a state's interest: its own `[[states]]` `interests` table, then the
//! binding, then `[groups]`, then `[defaults]`. For a pair: `[[affinities]]`, then the
//! binding, then the label-derived affinity.

use std::collections::BTreeMap;
use std::path::Path;

use super::csv_file::CsvFile;
use super::pairs::{self, PairRows};
use crate::model::scenario::{DataBinding, IssuePreferences, Missing, PreferenceSource};
use crate::scenario::parse::{Kind, Node, Place};
use crate::scenario::reader::{Ctx, Table, suggest, unknown};
use crate::scenario::{Param, StateId, StateSpec};

const BINDING_FIELDS: &str = "file iso3 column from to invert missing";
const AFFINITY_FIELDS: &str = "file a b column from to invert missing";

/// Which interest a binding sets.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Position,
    Salience,
}

/// A binding's mapping, as read from the scenario.
struct Mapping {
    file: String,
    /// Where `file` was written (or the `[data]` file, by default).
    file_place: Place,
    column: String,
    column_place: Place,
    column_field: String,
    from: (f64, f64),
    /// `from` as the scenario wrote it, for "expected a number in [a, b] (FIELD)".
    from_field: String,
    to: (f64, f64),
    invert: bool,
    missing: Missing,
    missing_place: Place,
    missing_field: String,
}

impl Mapping {
    /// `v` (in `from`) on the model's scale: `to.0 + t·(to.1 − to.0)` with
    /// `t = (v − from.0) / (from.1 − from.0)`, or `1 − t` when inverted; clamped to
    /// [0, 1] against rounding.
    fn apply(&self, v: f64) -> f64 {
        let t = (v - self.from.0) / (self.from.1 - self.from.0);
        let t = if self.invert { 1.0 - t } else { t };
        (self.to.0 + t * (self.to.1 - self.to.0)).clamp(0.0, 1.0)
    }

    /// A cell: `Ok(None)` when empty or `NA`, the mapped value when a number in
    /// `from`, else what is wrong.
    fn cell(&self, text: &str) -> Result<Option<f64>, String> {
        if text.is_empty() || text.eq_ignore_ascii_case("na") {
            return Ok(None);
        }
        let (lo, hi) = self.from;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Ok(Some(self.apply(v))),
            _ => Err(format!(
                "expected a number in [{lo}, {hi}] ({}), found {text:?}",
                self.from_field
            )),
        }
    }

    /// The value a missing rule gives, from the mapped values present (`None` for
    /// `error` and `labels`, or when no value is present).
    fn fill(&self, present: &mut [f64]) -> Option<f64> {
        let n = present.len();
        let stat = |f: fn(&mut [f64]) -> f64, present: &mut [f64]| (n > 0).then(|| f(present));
        match self.missing {
            Missing::Value(v) => Some(v),
            Missing::Median => stat(median, present),
            Missing::Mean => stat(|v| v.iter().sum::<f64>() / v.len() as f64, present),
            Missing::Min => stat(|v| v.iter().copied().fold(f64::INFINITY, f64::min), present),
            Missing::Max => stat(
                |v| v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                present,
            ),
            Missing::Error | Missing::Labels => None,
        }
    }

    fn binding(&self) -> DataBinding {
        DataBinding {
            file: self.file.clone(),
            column: self.column.clone(),
            from: self.from,
            to: self.to,
            invert: self.invert,
            missing: self.missing,
            fill: None,
            filled: Vec::new(),
            filled_pairs: 0,
            overridden: Vec::new(),
            matched: 0,
        }
    }
}

/// The median (mean of the two middle values for an even count); `v` non-empty.
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Reads the mapping of a binding table `t` (`file` defaults to `default_file`).
fn read_mapping(
    ctx: &mut Ctx,
    t: &Table,
    default_file: Option<&(String, Place)>,
    allow_labels: bool,
) -> Option<Mapping> {
    let (file, file_place) = match t.get("file") {
        Some(n) => (ctx.string(n, &t.field("file"))?, n.place.clone()),
        None => default_file?.clone(),
    };
    let column_node = t.required(ctx, "column");
    let column = column_node.and_then(|n| ctx.string(n, &t.field("column")));
    let from = t
        .required(ctx, "from")
        .and_then(|n| range(ctx, n, &t.field("from"), false));
    let to = match t.get("to") {
        Some(n) => range(ctx, n, &t.field("to"), true),
        None => Some((0.0, 1.0)),
    };
    let invert = t.flag(ctx, "invert", false);
    let missing_node = t.required(ctx, "missing");
    let missing =
        missing_node.and_then(|n| missing_rule(ctx, n, &t.field("missing"), allow_labels));
    Some(Mapping {
        file,
        file_place,
        column: column?,
        column_place: column_node?.place.clone(),
        column_field: t.field("column"),
        from: from?,
        from_field: t.field("from"),
        to: to?,
        invert,
        missing: missing?,
        missing_place: missing_node?.place.clone(),
        missing_field: t.field("missing"),
    })
}

/// `[a, b]` with `a < b` (within [0, 1] when `unit`).
fn range(ctx: &mut Ctx, node: &Node, field: &str, unit: bool) -> Option<(f64, f64)> {
    let expected = if unit {
        "a list of two numbers [lo, hi] with 0 <= lo < hi <= 1"
    } else {
        "a list of two numbers [lo, hi] with lo < hi"
    };
    let Kind::Array(items) = &node.kind else {
        ctx.type_error(node, field, expected);
        return None;
    };
    let numbers: Vec<f64> = items
        .iter()
        .filter_map(|n| match n.kind {
            Kind::Int(i) => Some(i as f64),
            Kind::Float(f) if f.is_finite() => Some(f),
            _ => None,
        })
        .collect();
    let ok = numbers.len() == 2
        && items.len() == 2
        && numbers[0] < numbers[1]
        && (!unit || (numbers[0] >= 0.0 && numbers[1] <= 1.0));
    if !ok {
        let found = if numbers.len() == items.len() {
            let shown: Vec<String> = numbers.iter().map(f64::to_string).collect();
            format!("[{}]", shown.join(", "))
        } else {
            node.describe()
        };
        let mut message = format!("expected {expected}, found {found}");
        if numbers.len() == 2 && numbers[0] > numbers[1] && !unit {
            message.push_str(" (write the scale low to high and set invert = true)");
        }
        ctx.error(&node.place, field, message);
        return None;
    }
    Some((numbers[0], numbers[1]))
}

/// `missing`: a statistic, `"error"`, a number in [0, 1] (or `"labels"` for affinity).
fn missing_rule(ctx: &mut Ctx, node: &Node, field: &str, allow_labels: bool) -> Option<Missing> {
    let words: &[(&str, Missing)] = &[
        ("median", Missing::Median),
        ("mean", Missing::Mean),
        ("min", Missing::Min),
        ("max", Missing::Max),
        ("error", Missing::Error),
        ("labels", Missing::Labels),
    ];
    let words = if allow_labels { words } else { &words[..5] };
    let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
    let expected = format!("one of {}, or a number in [0, 1]", names.join(", "));
    match &node.kind {
        Kind::Str(s) => match words.iter().find(|(w, _)| w == s) {
            Some(&(_, rule)) => Some(rule),
            None => {
                let hint = suggest(s, names.iter().copied())
                    .map(|h| format!("; did you mean {h:?}?"))
                    .unwrap_or_default();
                ctx.error(
                    &node.place,
                    field,
                    format!("expected {expected}, found {s:?}{hint}"),
                );
                None
            }
        },
        Kind::Int(_) | Kind::Float(_) => match node.kind {
            Kind::Int(i) if (0..=1).contains(&i) => Some(Missing::Value(i as f64)),
            Kind::Float(f) if (0.0..=1.0).contains(&f) => Some(Missing::Value(f)),
            _ => {
                let message = format!("expected {expected}, found {}", node.describe());
                ctx.error(&node.place, field, message);
                None
            }
        },
        _ => {
            ctx.type_error(node, field, &expected);
            None
        }
    }
}

/// `file` of a mapping opened, and `name` found among its columns (else an error at
/// `place` for `field`, with the closest column).
fn find_column(
    ctx: &mut Ctx,
    csv: &CsvFile,
    file: &str,
    name: &str,
    place: &Place,
    field: &str,
) -> Option<usize> {
    let found = csv.column(name);
    if found.is_none() {
        let hint = suggest(name, csv.headers.iter())
            .map(|s| format!("did you mean {s:?}? "))
            .unwrap_or_default();
        let message = format!(
            "no column {name:?} in {file:?}; {hint}the file has columns {}",
            csv.header_list()
        );
        ctx.error(place, field, message);
    }
    found
}

/// What applying per-state bindings needs.
pub(in crate::scenario) struct StateBindings<'a> {
    /// The `[data]` table.
    pub(in crate::scenario) data: &'a Table<'a>,
    pub(in crate::scenario) base_dir: &'a Path,
    pub(in crate::scenario) issues: &'a [&'a str],
    /// Per state, per issue: whether its own table set (salience, position).
    pub(in crate::scenario) explicit: &'a [Vec<[bool; 2]>],
}

/// Applies `[data.positions]` and `[data.saliences]` to `states`; returns where each
/// issue's preferences come from.
pub(in crate::scenario) fn apply(
    ctx: &mut Ctx,
    b: &StateBindings,
    states: &mut [StateSpec],
) -> Vec<IssuePreferences> {
    let mut out = vec![IssuePreferences::illustrative(); b.issues.len()];
    let default_file = default_file(b.data);
    for (key, field) in [
        ("positions", Field::Position),
        ("saliences", Field::Salience),
    ] {
        let t = b.data.table(ctx, key, None);
        for entry in t.entries() {
            let entry_field = t.field(&entry.key);
            let Some(k) = b.issues.iter().position(|i| *i == entry.key) else {
                let message = format!(
                    "{} (a binding needs an [[issues]] entry of that name)",
                    unknown("issue", &entry.key, b.issues.iter().copied())
                );
                ctx.error(&entry.key_place, &entry_field, message);
                continue;
            };
            let Some(bt) = ctx.table(&entry.value, &entry_field, Some(BINDING_FIELDS)) else {
                continue;
            };
            let Some(mapping) = read_mapping(ctx, &bt, default_file.as_ref(), false) else {
                continue;
            };
            let iso3 = bt.text(ctx, "iso3", "iso3");
            let iso3_place = bt
                .get("iso3")
                .map_or(&mapping.file_place, |n| &n.place)
                .clone();
            let explicit: Vec<bool> = (b.explicit.iter())
                .map(|e| {
                    e.get(k)
                        .is_some_and(|e| e[usize::from(field == Field::Position)])
                })
                .collect();
            let column = Column {
                iso3: &iso3,
                iso3_place: &iso3_place,
                iso3_field: bt.field("iso3"),
            };
            let Some(binding) = bind_states(
                ctx, b.base_dir, &mapping, &column, states, &explicit, k, field,
            ) else {
                continue;
            };
            let source = PreferenceSource::Data(binding);
            match field {
                Field::Position => out[k].positions = source,
                Field::Salience => out[k].saliences = source,
            }
        }
    }
    out
}

/// The `[data]` file as written, and where: a binding's default `file`.
fn default_file(data: &Table) -> Option<(String, Place)> {
    let node = data.get("file")?;
    match &node.kind {
        Kind::Str(s) => Some((s.clone(), node.place.clone())),
        _ => None,
    }
}

/// The join column of a per-state binding.
struct Column<'a> {
    iso3: &'a str,
    iso3_place: &'a Place,
    iso3_field: String,
}

/// Reads one bound column and sets interest `k` of every state not in `explicit`.
#[allow(clippy::too_many_arguments)]
fn bind_states(
    ctx: &mut Ctx,
    base_dir: &Path,
    mapping: &Mapping,
    join: &Column,
    states: &mut [StateSpec],
    explicit: &[bool],
    k: usize,
    field: Field,
) -> Option<DataBinding> {
    let mut csv = CsvFile::open(
        ctx,
        base_dir,
        &mapping.file,
        &mapping.file_place,
        &mapping.column_field,
    )?;
    let iso3_at = find_column(
        ctx,
        &csv,
        &mapping.file,
        join.iso3,
        join.iso3_place,
        &join.iso3_field,
    );
    let value_at = find_column(
        ctx,
        &csv,
        &mapping.file,
        &mapping.column,
        &mapping.column_place,
        &mapping.column_field,
    );
    let (iso3_at, value_at) = (iso3_at?, value_at?);
    let by_iso3: BTreeMap<&str, usize> = (states.iter().enumerate())
        .filter(|(_, s)| !s.iso3.is_empty())
        .map(|(i, s)| (s.iso3.as_str(), i))
        .collect();
    // Each state's mapped value (None: an empty cell or no row).
    let mut values: Vec<Option<f64>> = vec![None; states.len()];
    let mut has_row = vec![false; states.len()];
    let mut empty_cells: Vec<(usize, usize, usize)> = Vec::new();
    let mut first_row: BTreeMap<String, usize> = BTreeMap::new();
    let header = csv.headers.get(value_at).unwrap_or("").to_owned();
    let iso3_header = csv.headers.get(iso3_at).unwrap_or("").to_owned();
    while let Some(row) = csv.next_row(ctx) {
        let code = row.cell(iso3_at);
        if let Some(first) = first_row.get(code) {
            let message = format!("duplicate iso3 code {code:?} (first at row {first})");
            csv.error(ctx, &row, &iso3_header, message);
            continue;
        }
        first_row.insert(code.to_owned(), row.number);
        // Rows of states not in the scenario are not read.
        let Some(&i) = by_iso3.get(code) else {
            continue;
        };
        has_row[i] = true;
        match mapping.cell(row.cell(value_at)) {
            Ok(Some(v)) => values[i] = Some(v),
            Ok(None) => empty_cells.push((i, row.number, row.line)),
            Err(message) => csv.error(ctx, &row, &header, message),
        }
    }
    let mut binding = mapping.binding();
    let mut present: Vec<f64> = values.iter().flatten().copied().collect();
    binding.matched = present.len();
    binding.fill = mapping.fill(&mut present);
    let needing: Vec<usize> = (0..states.len())
        .filter(|&i| values[i].is_none() && !explicit[i])
        .collect();
    if mapping.missing == Missing::Error {
        report_missing(ctx, mapping, &csv, &needing, &has_row, &empty_cells, states);
    } else if !needing.is_empty() && binding.fill.is_none() {
        let message = format!(
            "no state of the scenario has a value in column {:?}, so {:?} gives nothing to fill with",
            mapping.column,
            mapping.missing.as_text()
        );
        ctx.error(&mapping.missing_place, &mapping.missing_field, message);
    }
    for (i, state) in states.iter_mut().enumerate() {
        if explicit[i] {
            binding.overridden.push(StateId::from_index(i));
            continue;
        }
        let value = match values[i] {
            Some(v) => v,
            None => {
                binding.filled.push(StateId::from_index(i));
                binding.fill.unwrap_or(0.0)
            }
        };
        let interest = &mut state.interests[k];
        match field {
            Field::Position => interest.position = Param::Fixed(value),
            Field::Salience => interest.salience = Param::Fixed(value),
        }
    }
    Some(binding)
}

/// `missing = "error"`: an empty cell is an error at its row; a state with no row at
/// the binding's `missing`.
fn report_missing(
    ctx: &mut Ctx,
    mapping: &Mapping,
    csv: &CsvFile,
    needing: &[usize],
    has_row: &[bool],
    empty_cells: &[(usize, usize, usize)],
    states: &[StateSpec],
) {
    let (lo, hi) = mapping.from;
    for &(i, row, line) in empty_cells {
        if needing.contains(&i) {
            let message = format!(
                "expected a number in [{lo}, {hi}], found an empty cell ({} = \"error\"; \"median\", \"mean\", \"min\", \"max\" or a number fill it)",
                mapping.missing_field
            );
            csv.source.error(ctx, row, line, &mapping.column, message);
        }
    }
    let no_row: Vec<String> = (needing.iter())
        .filter(|&&i| !has_row[i])
        .map(|&i| {
            let s = &states[i];
            if s.iso3.is_empty() {
                format!("{:?} (no iso3 code)", s.name)
            } else {
                format!("{:?} ({})", s.name, s.iso3)
            }
        })
        .collect();
    if !no_row.is_empty() {
        let message = format!(
            "{} state{} of the scenario {} no row in {:?}: {}; set missing to \"median\", \"mean\", \"min\", \"max\" or a number, or give {} own interests",
            no_row.len(),
            if no_row.len() == 1 { "" } else { "s" },
            if no_row.len() == 1 { "has" } else { "have" },
            mapping.file,
            no_row.join(", "),
            if no_row.len() == 1 {
                "it its"
            } else {
                "them their"
            },
        );
        ctx.error(&mapping.missing_place, &mapping.missing_field, message);
    }
}

/// Reads `[data.affinity]` (if given) and merges its pairs into `affinities` (sorted,
/// `a < b`); pairs already there (`[[affinities]]`) win. Returns the binding.
pub(in crate::scenario) fn apply_affinity(
    ctx: &mut Ctx,
    data: &Table,
    base_dir: &Path,
    states: &[StateSpec],
    affinities: &mut Vec<(StateId, StateId, f64)>,
) -> Option<DataBinding> {
    let node = data.get("affinity")?;
    let t = ctx.table(node, &data.field("affinity"), Some(AFFINITY_FIELDS))?;
    let mapping = read_mapping(ctx, &t, default_file(data).as_ref(), true)?;
    let a = t.text(ctx, "a", "iso3_a");
    let b = t.text(ctx, "b", "iso3_b");
    let mut csv = CsvFile::open(
        ctx,
        base_dir,
        &mapping.file,
        &mapping.file_place,
        &mapping.column_field,
    )?;
    let find = |ctx: &mut Ctx, key: &str, name: &str| {
        let place = t.get(key).map_or(&mapping.file_place, |n| &n.place).clone();
        find_column(ctx, &csv, &mapping.file, name, &place, &t.field(key))
    };
    let a_at = find(ctx, "a", &a);
    let b_at = find(ctx, "b", &b);
    let v_at = find(ctx, "column", &mapping.column);
    let (state_columns, values) = ([a_at?, b_at?], [(v_at?, 1.0)]);

    let by_iso3: BTreeMap<&str, StateId> = (states.iter().enumerate())
        .filter(|(_, s)| !s.iso3.is_empty())
        .map(|(i, s)| (s.iso3.as_str(), StateId::from_index(i)))
        .collect();
    let lookup = |code: &str| by_iso3.get(code).copied();
    let names: Vec<&str> = states.iter().map(|s| s.name.as_str()).collect();
    let value = |cell: &str| mapping.cell(cell);
    let spec = PairRows {
        states: state_columns,
        values: &values,
        lookup: &lookup,
        names: &names,
        unknown_is_error: false,
        value: &value,
        what: "affinities",
    };
    let mut pairs = pairs::read(ctx, &mut csv, &spec);
    pairs.sort_by_key(|&(a, b, _)| (a, b));

    let mut binding = mapping.binding();
    let mut present: Vec<f64> = pairs.iter().map(|p| p.2).collect();
    binding.matched = pairs.len();
    binding.fill = mapping.fill(&mut present);
    let given = |a: StateId, b: StateId, list: &[(StateId, StateId, f64)]| {
        list.binary_search_by(|&(x, y, _)| (x, y).cmp(&(a, b)))
            .is_ok()
    };
    let mut merged: Vec<(StateId, StateId, f64)> = affinities.clone();
    merged.extend(pairs.iter().filter(|&&(a, b, _)| !given(a, b, affinities)));
    merged.sort_by_key(|&(a, b, _)| (a, b));
    // Pairs of the scenario's states with no value anywhere.
    let n = states.len();
    let mut without = 0usize;
    let mut first_without: Vec<String> = Vec::new();
    let mut fills = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (StateId::from_index(i), StateId::from_index(j));
            if given(a, b, &merged) {
                continue;
            }
            without += 1;
            if first_without.len() < 5 {
                first_without.push(format!("{} and {}", names[i], names[j]));
            }
            if let Some(v) = binding.fill {
                fills.push((a, b, v));
            }
        }
    }
    match mapping.missing {
        Missing::Labels => {}
        Missing::Error if without > 0 => {
            let message = format!(
                "{without} pair{} of the scenario's states {} no value in column {:?} of {:?} (e.g. {}); set missing to \"labels\", \"median\", \"mean\", \"min\", \"max\" or a number",
                if without == 1 { "" } else { "s" },
                if without == 1 { "has" } else { "have" },
                mapping.column,
                mapping.file,
                first_without.join(", ")
            );
            ctx.error(&mapping.missing_place, &mapping.missing_field, message);
        }
        _ if without > 0 && binding.fill.is_none() => {
            let message = format!(
                "no pair of the scenario's states has a value in column {:?}, so {:?} gives nothing to fill with",
                mapping.column,
                mapping.missing.as_text()
            );
            ctx.error(&mapping.missing_place, &mapping.missing_field, message);
        }
        _ => binding.filled_pairs = fills.len(),
    }
    merged.extend(fills);
    merged.sort_by_key(|&(a, b, _)| (a, b));
    *affinities = merged;
    Some(binding)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::scenario::{Missing, Param, PreferenceSource, Scenario};

    /// Four data states (one, DDD, with an empty `clim` cell; one, EEE, with no row in
    /// `p.csv`) and an inline state `Inline` (iso3 `INL`, climate position 0.9 of its
    /// own); two issues.
    const STATES: &str =
        "name,iso3,gdp\nAlpha,AAA,4\nBeta,BBB,3\nGamma,CCC,2\nDelta,DDD,1\nEps,EEE,1\n";
    const PREFS: &str =
        "# source line\niso3,clim,open\nAAA,1.0,50\nBBB,-1,0\nCCC,0.5,100\nDDD,,25\nZZZ,0,0\n";

    fn text(data: &str) -> String {
        format!(
            "[scenario]\nname = \"p\"\n[world]\ncapabilities = [\"gdp\"]\n[data]\nfile = \"s.csv\"\ncapabilities = {{ gdp = \"gdp\" }}\n{data}\n\
             [[states]]\nname = \"Inline\"\niso3 = \"INL\"\ncapabilities = {{ gdp = 1 }}\ninterests = {{ climate = {{ position = 0.9 }} }}\n\
             [[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n"
        )
    }

    /// Loads the scenario with `[data]` extras `data` and files `s.csv`, `p.csv` and
    /// `files`; errors as strings with the temp dir's path replaced by `DIR`.
    fn load(data: &str, files: &[(&str, &str)]) -> Result<Scenario, Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("s.csv"), STATES).unwrap();
        fs::write(dir.path().join("p.csv"), PREFS).unwrap();
        for (name, body) in files {
            fs::write(dir.path().join(name), body).unwrap();
        }
        let shown = dir.path().display().to_string();
        Scenario::from_toml(&text(data), "t.toml", dir.path(), &[])
            .map(|l| l.scenario)
            .map_err(|e| {
                e.0.iter()
                    .map(|e| e.to_string().replace(&shown, "DIR"))
                    .collect()
            })
    }

    fn positions(s: &Scenario, k: usize) -> Vec<f64> {
        let fixed = |p: &Param| match p {
            Param::Fixed(v) => *v,
            other => panic!("expected a fixed value, found {other:?}"),
        };
        s.states
            .iter()
            .map(|st| fixed(&st.interests[k].position))
            .collect()
    }

    const CLIMATE: &str =
        "[data.positions.climate]\nfile = \"p.csv\"\ncolumn = \"clim\"\nfrom = [-1, 1]\n";

    #[test]
    fn a_column_maps_linearly_and_inverts() {
        let s = load(&format!("{CLIMATE}missing = 0.5"), &[]).unwrap();
        // Alpha 1 → 1, Beta −1 → 0, Gamma 0.5 → 0.75, Delta and Eps filled with 0.5,
        // Inline keeps its own 0.9.
        assert_eq!(positions(&s, 0), [1.0, 0.0, 0.75, 0.5, 0.5, 0.9]);
        let s = load(
            &format!("{CLIMATE}missing = 0.5\ninvert = true\nto = [0.2, 0.6]"),
            &[],
        )
        .unwrap();
        let p = positions(&s, 0);
        let expected = [0.2, 0.6, 0.3, 0.5, 0.5, 0.9];
        assert!(
            p.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-12),
            "{p:?}"
        );
        // Trade stays illustrative (the default 0.5, fixed).
        assert_eq!(positions(&s, 1), [0.5; 6]);
        let PreferenceSource::Data(b) = &s.preferences[0].positions else {
            panic!("climate positions should be data");
        };
        assert_eq!((b.matched, b.filled.len(), b.overridden.len()), (3, 2, 1));
        assert!(s.preferences[0].saliences.is_illustrative());
        assert!(s.preferences[1].positions.is_illustrative());
    }

    #[test]
    fn each_missing_rule_fills_from_the_states_with_a_value() {
        // Mapped values present: 1, 0, 0.75 (Inline has no row: it is overridden and
        // not counted).
        for (rule, fill) in [
            ("\"median\"", 0.75),
            ("\"mean\"", 1.75 / 3.0),
            ("\"min\"", 0.0),
            ("\"max\"", 1.0),
            ("0.25", 0.25),
        ] {
            let s = load(&format!("{CLIMATE}missing = {rule}"), &[]).unwrap();
            let p = positions(&s, 0);
            assert_eq!((p[3], p[4]), (fill, fill), "{rule}");
            let PreferenceSource::Data(b) = &s.preferences[0].positions else {
                panic!()
            };
            assert_eq!(b.fill, Some(fill));
        }
        let notes = load(&format!("{CLIMATE}missing = \"median\""), &[])
            .unwrap()
            .preference_notes();
        assert_eq!(
            notes[0].positions,
            "column clim of p.csv, rescaled from [-1, 1] to [0, 1]; 2 states without a value (Delta, Eps) set to the median (0.750); 1 state set its own value in the scenario (Inline)"
        );
        assert_eq!(
            notes[0].saliences,
            "illustrative (0.5 for every state), not data"
        );
    }

    #[test]
    fn missing_error_reports_empty_cells_and_states_without_a_row() {
        let err = load(&format!("{CLIMATE}missing = \"error\""), &[]).unwrap_err();
        assert_eq!(
            err,
            [
                "DIR/p.csv:6:1: row 4: column clim: expected a number in [-1, 1], found an empty cell (data.positions.climate.missing = \"error\"; \"median\", \"mean\", \"min\", \"max\" or a number fill it)",
                "t.toml:12:11: data.positions.climate.missing: 1 state of the scenario has no row in \"p.csv\": \"Eps\" (EEE); set missing to \"median\", \"mean\", \"min\", \"max\" or a number, or give it its own interests",
            ]
        );
    }

    #[test]
    fn bad_bindings_are_errors_at_their_fields_and_cells() {
        let data = "[data.positions.climat]\ncolumn = \"clim\"\nfrom = [-1, 1]\nmissing = \"median\"\n\
                    [data.saliences.trade]\nfile = \"p.csv\"\ncolumn = \"opne\"\nfrom = [1, 0]\nmissing = \"medain\"\n\
                    [data.positions.trade]\nfile = \"p.csv\"\ncolumn = \"open\"\nfrom = [0, 60]\nmissing = \"min\"\n";
        let err = load(data, &[]).unwrap_err();
        assert_eq!(
            err,
            [
                "t.toml:8:17: data.positions.climat: unknown issue \"climat\"; did you mean \"climate\"? (a binding needs an [[issues]] entry of that name)",
                "t.toml:15:8: data.saliences.trade.from: expected a list of two numbers [lo, hi] with lo < hi, found [1, 0] (write the scale low to high and set invert = true)",
                "t.toml:16:11: data.saliences.trade.missing: expected one of median, mean, min, max, error, or a number in [0, 1], found \"medain\"; did you mean \"median\"?",
                "DIR/p.csv:5:1: row 3: column open: expected a number in [0, 60] (data.positions.trade.from), found \"100\"",
            ]
        );
        let data = "[data.saliences.trade]\nfile = \"p.csv\"\ncolumn = \"opne\"\nfrom = [0, 100]\nmissing = \"median\"\n";
        assert_eq!(
            load(data, &[]).unwrap_err(),
            [
                "t.toml:10:10: data.saliences.trade.column: no column \"opne\" in \"p.csv\"; did you mean \"open\"? the file has columns iso3, clim, open"
            ]
        );
        // Without `file`, the [data] file is read: it has no `clim`.
        let data = "[data.positions.climate]\ncolumn = \"clim\"\nfrom = [-1, 1]\n";
        assert_eq!(
            load(data, &[]).unwrap_err(),
            ["t.toml:8:1: data.positions.climate.missing: missing required field"]
        );
        assert_eq!(
            load(&format!("{data}missing = \"median\""), &[]).unwrap_err(),
            [
                "t.toml:9:10: data.positions.climate.column: no column \"clim\" in \"s.csv\"; the file has columns name, iso3, gdp"
            ]
        );
    }

    #[test]
    fn a_saliences_binding_beats_groups_and_defaults() {
        let data = "[data.saliences.trade]\nfile = \"p.csv\"\ncolumn = \"open\"\nfrom = [0, 100]\nmissing = 0\n\
                    [defaults]\nsalience = 0.3\n";
        let s = load(data, &[]).unwrap();
        let sal: Vec<f64> = s
            .states
            .iter()
            .map(|st| match st.interests[1].salience {
                Param::Fixed(v) => v,
                _ => panic!(),
            })
            .collect();
        // Inline sets only its climate position, so its trade salience is data too
        // (no row: 0 by the rule).
        assert_eq!(sal, [0.5, 0.0, 1.0, 0.25, 0.0, 0.0]);
        assert_eq!(
            s.illustrative_preferences(),
            "climate positions and saliences, trade positions"
        );
    }

    #[test]
    fn bindings_take_set_overrides_like_any_field() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("s.csv"), STATES).unwrap();
        fs::write(dir.path().join("p.csv"), PREFS).unwrap();
        let set = [
            "data.positions.climate.invert=true".to_owned(),
            "data.positions.climate.missing=\"max\"".to_owned(),
        ];
        let text = text(&format!("{CLIMATE}missing = 0.5"));
        let s = Scenario::from_toml(&text, "t.toml", dir.path(), &set)
            .unwrap()
            .scenario;
        assert_eq!(positions(&s, 0), [0.0, 1.0, 0.25, 1.0, 1.0, 0.9]);
    }

    const DYADS: &str = "# source\niso3_a,iso3_b,agree\nAAA,BBB,0.9\nAAA,CCC,0.5\nBBB,CCC,\nAAA,ZZZ,0.1\nCCC,DDD,0.2\n";

    #[test]
    fn affinity_pairs_come_from_the_dyad_file_under_explicit_affinities() {
        let data = "[data.affinity]\nfile = \"d.csv\"\ncolumn = \"agree\"\nfrom = [0, 1]\nto = [0, 0.5]\nmissing = \"labels\"\n";
        let extra = "[[affinities]]\nstates = [\"AAA\", \"CCC\"]\nvalue = 1.0\n";
        let s = load(&format!("{data}\n{extra}"), &[("d.csv", DYADS)]).unwrap();
        let id = crate::scenario::StateId;
        // AAA–ZZZ is ignored (ZZZ is not in the scenario), BBB–CCC has no value.
        assert_eq!(
            s.affinities,
            [
                (id(0), id(1), 0.45),
                (id(0), id(2), 1.0),
                (id(2), id(3), 0.1)
            ]
        );
        let b = s.affinity_source.as_ref().unwrap();
        assert_eq!(
            (b.matched, b.filled_pairs, b.missing),
            (3, 0, Missing::Labels)
        );

        let s = load(&data.replace("\"labels\"", "\"max\""), &[("d.csv", DYADS)]).unwrap();
        // 6 states, 15 pairs: 3 from the file, 12 filled with the largest (0.45).
        assert_eq!(s.affinities.len(), 15);
        assert_eq!(s.affinity_source.as_ref().unwrap().filled_pairs, 12);
        assert!(
            s.affinities
                .windows(2)
                .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1))
        );

        let err = load(
            &data
                .replace("\"labels\"", "\"error\"")
                .replace("agree\"", "agre\""),
            &[("d.csv", DYADS)],
        )
        .unwrap_err();
        assert_eq!(
            err,
            [
                "t.toml:10:10: data.affinity.column: no column \"agre\" in \"d.csv\"; did you mean \"agree\"? the file has columns iso3_a, iso3_b, agree"
            ]
        );
        let dyads = DYADS.replace("0.5", "1.5").replace("CCC,DDD", "DDD,DDD");
        let err = load(data, &[("d.csv", &dyads)]).unwrap_err();
        assert_eq!(
            err,
            [
                "DIR/d.csv:4:1: row 2: column agree: expected a number in [0, 1] (data.affinity.from), found \"1.5\"",
                "DIR/d.csv:7:1: row 5: column iso3_b: \"Delta\" is paired with itself",
            ]
        );
    }

    #[test]
    fn the_shipped_preferences_file_gives_usa_and_saudi_arabia_their_climate_positions() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let text = "[scenario]\nname = \"p\"\n[world]\ncapabilities = [\"gdp\"]\n\
                    [data]\nfile = \"data/states2016.csv\"\ncapabilities = { gdp = \"gdp_share\" }\nmissing = \"zero\"\n\
                    [data.positions.climate]\nfile = \"data/preferences2016.csv\"\ncolumn = \"climate_position_pm1\"\nfrom = [-1, 1]\nmissing = \"median\"\n\
                    [data.saliences.trade]\nfile = \"data/preferences2016.csv\"\ncolumn = \"trade_openness_log_pm1\"\nfrom = [-1, 1]\nmissing = \"median\"\n\
                    [data.affinity]\nfile = \"data/unga_agreement2016.csv\"\ncolumn = \"agree_2016\"\nfrom = [0, 1]\nmissing = \"labels\"\n\
                    [[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n";
        let s = Scenario::from_toml(text, "t.toml", &dir, &[])
            .unwrap()
            .scenario;
        assert_eq!(s.n_states(), 195);
        let position = |iso3: &str| {
            let st = s.states.iter().find(|st| st.iso3 == iso3).unwrap();
            match st.interests[0].position {
                Param::Fixed(v) => v,
                _ => panic!(),
            }
        };
        // USA 0.8822 and SAU −0.4764 on [−1, 1]: (v + 1) / 2.
        assert!((position("USA") - 0.9411).abs() < 1e-12);
        assert!((position("SAU") - 0.2618).abs() < 1e-12);
        let PreferenceSource::Data(b) = &s.preferences[0].positions else {
            panic!()
        };
        // TWN, SYR, LBY, NIC and Kosovo have no composite climate position.
        assert_eq!((b.matched, b.filled.len()), (190, 5));
        // Every pair of the 193 UN members.
        assert_eq!(s.affinities.len(), 193 * 192 / 2);
        let usa_gbr = |a: &str, b: &str| {
            let i = s.states.iter().position(|st| st.iso3 == a).unwrap();
            let j = s.states.iter().position(|st| st.iso3 == b).unwrap();
            crate::model::state::affinity(
                &[0; 195],
                &s.affinities,
                crate::scenario::StateId::from_index(i),
                crate::scenario::StateId::from_index(j),
            )
        };
        assert_eq!(usa_gbr("USA", "GBR"), 0.8093);
        assert!(
            s.illustrative_preferences()
                .starts_with("climate saliences")
        );
    }
}
