//! `[data]`: states read from a CSV file (path relative to the scenario file). Lines
//! starting with `#` are comments; every row is one state. Problems in the mapping are
//! reported at the mapping in the scenario; problems in cells are reported at the CSV
//! line, as `row N: column C`.

use std::collections::BTreeMap;
use std::path::Path;

use super::document::{io_message, sha256_hex};
use super::parse::{Node, Place};
use super::reader::{Ctx, suggest, unknown};
use crate::error::ScenarioError;

const DATA_FIELDS: &str = "file name iso3 region population capabilities labels memberships select missing negative limit";

/// The states of a data file, before defaults are applied.
pub(super) struct DataStates {
    /// The CSV path as shown in errors (`<scenario dir>/<file>`).
    pub(super) origin: String,
    /// Where `[data] file` was written; problems in rows sort there.
    pub(super) anchor: Place,
    /// The header of the name column.
    pub(super) name_column: String,
    /// The header of the ISO3 column.
    pub(super) iso3_column: String,
    /// `[data.labels]` labels in mapping order, then the `[data] memberships` file's
    /// labels in first-seen order, with the place and field that gave each.
    pub(super) labels: Vec<(String, Place, String)>,
    /// The rows kept, in file order.
    pub(super) rows: Vec<DataRow>,
}

/// One state read from the file.
pub(super) struct DataRow {
    pub(super) name: String,
    pub(super) iso3: String,
    pub(super) region: String,
    pub(super) population: f64,
    /// One value per capability dimension.
    pub(super) capabilities: Vec<f64>,
    /// Indices into [`DataStates::labels`].
    pub(super) labels: Vec<usize>,
    /// 1-based data row number (header and comments not counted).
    pub(super) row: usize,
    /// 1-based line in the CSV file.
    pub(super) line: usize,
}

/// What an empty capability or population cell means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Missing {
    Error,
    Zero,
    Drop,
}

/// A column named by the mapping (or by default), and where.
struct Column {
    header: String,
    field: String,
    place: Place,
    /// False for a default (`iso3`) that may be absent from the file.
    required: bool,
}

/// Reads `[data]` and its file. Returns `None` (with errors recorded) when the file
/// cannot be read or the mapping does not fit it.
pub(super) fn load(
    ctx: &mut Ctx,
    node: &Node,
    base_dir: &Path,
    capabilities: &[String],
) -> Option<DataStates> {
    let t = ctx.table(node, "data", Some(DATA_FIELDS))?;
    let file_node = t.required(ctx, "file");
    let file = file_node.and_then(|n| ctx.string(n, "data.file"));
    let column = |ctx: &mut Ctx, key: &str, default: Option<&str>| match t.get(key) {
        Some(n) => ctx.string(n, &t.field(key)).map(|header| Column {
            header,
            field: t.field(key),
            place: n.place.clone(),
            required: true,
        }),
        None => default.map(|header| Column {
            header: header.to_owned(),
            field: t.field(key),
            place: t.place().clone(),
            required: key != "iso3",
        }),
    };
    let name = column(ctx, "name", Some("name"));
    let iso3 = column(ctx, "iso3", Some("iso3"));
    let region = column(ctx, "region", None);
    let population = column(ctx, "population", None);

    let mut cap_columns: Vec<Option<Column>> = Vec::new();
    if let Some(caps) = t
        .required(ctx, "capabilities")
        .and_then(|n| ctx.table(n, &t.field("capabilities"), None))
    {
        for entry in caps.entries() {
            if !capabilities.contains(&entry.key) {
                let message = unknown(
                    "capability",
                    &entry.key,
                    capabilities.iter().map(String::as_str),
                );
                ctx.error(&entry.key_place, &caps.field(&entry.key), message);
            }
        }
        for dimension in capabilities {
            let field = caps.field(dimension);
            let header = caps
                .required(ctx, dimension)
                .and_then(|n| Some((ctx.string(n, &field)?, n.place.clone())));
            cap_columns.push(header.map(|(header, place)| Column {
                header,
                field,
                place,
                required: true,
            }));
        }
    }
    let labels_table = t.table(ctx, "labels", None);
    let mut label_columns = Vec::new();
    for entry in labels_table.entries() {
        let field = labels_table.field(&entry.key);
        if let Some(header) = ctx.string(&entry.value, &field) {
            let place = entry.value.place.clone();
            label_columns.push((
                entry.key.clone(),
                Column {
                    header,
                    field,
                    place,
                    required: true,
                },
            ));
        }
    }
    let policies = [
        ("error", Missing::Error),
        ("zero", Missing::Zero),
        ("drop", Missing::Drop),
    ];
    let missing = t.pick(ctx, "missing", &policies, Missing::Error);
    let negatives_to_zero = t.pick(ctx, "negative", &[("error", false), ("zero", true)], false);
    let limit: Option<usize> = t.opt_int(ctx, "limit", 1..=i64::from(u32::MAX));
    let memberships = match t.get("memberships") {
        Some(n) => Some(read_memberships(ctx, n, base_dir)?),
        None => None,
    };
    let mut labels: Vec<(String, Place, String)> = label_columns
        .iter()
        .map(|(label, c)| (label.clone(), c.place.clone(), c.field.clone()))
        .collect();
    if let Some(m) = &memberships {
        labels.extend(
            m.labels
                .iter()
                .map(|label| (label.clone(), m.place.clone(), t.field("memberships"))),
        );
    }
    let mut select: Vec<usize> = Vec::new();
    if let Some(n) = t.get("select") {
        let field = t.field("select");
        for item in ctx
            .list(n, &field, "a list of label names")
            .unwrap_or_default()
        {
            let Some(label) = ctx.string(item, &field) else {
                continue;
            };
            match labels.iter().position(|(l, _, _)| *l == label) {
                Some(k) => select.push(k),
                None => {
                    let known = labels.iter().map(|(l, _, _)| l.as_str());
                    let message = format!(
                        "{} (labels come from [data.labels] and the memberships file)",
                        unknown("label", &label, known)
                    );
                    ctx.error(&item.place, &field, message);
                }
            }
        }
        if select.is_empty()
            && matches!(&n.kind, super::parse::Kind::Array(items) if items.is_empty())
        {
            ctx.error(
                &n.place,
                &field,
                "expected at least one label, found an empty list",
            );
        }
    }

    // The mapping is read; now the file.
    let (file, file_node, name) = (file?, file_node?, name?);
    if cap_columns.len() != capabilities.len() || cap_columns.iter().any(Option::is_none) {
        return None;
    }
    let anchor = file_node.place.clone();
    let (origin, mut csv, headers) = open_csv(ctx, base_dir, &file, &anchor, "data.file")?;

    // Every column the mapping names must exist (a default `iso3` may be absent).
    let mut all_found = true;
    let mut find = |ctx: &mut Ctx, column: &Column| -> Option<usize> {
        let found = headers.iter().position(|h| h == column.header);
        if found.is_none() && column.required {
            all_found = false;
            let hint = suggest(&column.header, headers.iter())
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            let available: Vec<&str> = headers.iter().collect();
            let message = format!(
                "no column {:?} in {file:?}; {hint}the file has columns {}",
                column.header,
                available.join(", ")
            );
            ctx.error(&column.place, &column.field, message);
        }
        found
    };
    let name_at = find(ctx, &name);
    let iso3_at = iso3.as_ref().and_then(|c| find(ctx, c));
    let region_at = region.as_ref().and_then(|c| find(ctx, c));
    let population_at = population.as_ref().map(|c| find(ctx, c));
    let cap_at: Vec<(usize, &str)> = cap_columns
        .iter()
        .flatten()
        .filter_map(|c| Some((find(ctx, c)?, c.header.as_str())))
        .collect();
    let label_at: Vec<Option<usize>> = label_columns.iter().map(|(_, c)| find(ctx, c)).collect();
    let (Some(name_at), true) = (name_at, all_found) else {
        return None;
    };
    let population_at = population_at.flatten().zip(population.as_ref());

    let mut rows = Vec::new();
    for (i, record) in csv.records().enumerate() {
        if limit.is_some_and(|n| rows.len() >= n) {
            break;
        }
        let row = i + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let recoverable = matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                );
                let error = ScenarioError {
                    origin: origin.clone(),
                    position: Some((usize::try_from(line).unwrap_or(0), 1)),
                    field: format!("row {row}"),
                    message: csv_message(&e),
                };
                ctx.push(anchor.clone(), error);
                if recoverable {
                    continue;
                }
                break;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let cell = |at: usize| record.get(at).unwrap_or("");
        let fail = |ctx: &mut Ctx, header: &str, message: String| {
            let error = ScenarioError {
                origin: origin.clone(),
                position: Some((line, 1)),
                field: format!("row {row}: column {header}"),
                message,
            };
            ctx.push(anchor.clone(), error);
        };
        // Selection first: cells of rows not selected are never read.
        let iso3_cell = iso3_at.map(|at| cell(at).to_owned()).unwrap_or_default();
        let mut labels: Vec<usize> = label_at
            .iter()
            .enumerate()
            .filter(|(_, at)| {
                at.is_some_and(|at| {
                    matches!(cell(at).to_ascii_lowercase().as_str(), "1" | "true" | "yes")
                })
            })
            .map(|(label, _)| label)
            .collect();
        if let Some(m) = &memberships
            && let Some(groups) = m.by_iso3.get(&iso3_cell)
        {
            labels.extend(groups.iter().map(|&g| label_columns.len() + g));
        }
        if !select.is_empty() && !labels.iter().any(|l| select.contains(l)) {
            continue;
        }
        let numeric_cells = cap_at
            .iter()
            .map(|(at, _)| *at)
            .chain(population_at.map(|(at, _)| at));
        if missing == Missing::Drop && numeric_cells.clone().any(|at| cell(at).is_empty()) {
            continue;
        }
        let number = |ctx: &mut Ctx, at: usize, header: &str| -> f64 {
            let text = cell(at);
            if text.is_empty() {
                if missing == Missing::Error {
                    let message = "expected a number >= 0, found an empty cell (set [data] missing = \"zero\" or \"drop\" to accept it)";
                    fail(ctx, header, message.to_owned());
                }
                return 0.0;
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                Ok(v) if v.is_finite() && negatives_to_zero => 0.0,
                Ok(v) if v.is_finite() => {
                    let message = format!(
                        "expected a number >= 0, found {text:?} (set [data] negative = \"zero\" to read negative values as 0)"
                    );
                    fail(ctx, header, message);
                    0.0
                }
                _ => {
                    fail(
                        ctx,
                        header,
                        format!("expected a number >= 0, found {text:?}"),
                    );
                    0.0
                }
            }
        };
        let capabilities = cap_at
            .iter()
            .map(|&(at, header)| number(ctx, at, header))
            .collect();
        let population = population_at.map_or(0.0, |(at, c)| number(ctx, at, &c.header));
        let state_name = cell(name_at).to_owned();
        if state_name.is_empty() {
            let message = "expected a state name, found an empty cell".to_owned();
            fail(ctx, &name.header, message);
        } else if let Some(c) = state_name.chars().find(|c| c.is_control()) {
            let message = format!(
                "expected a state name without control characters, found {state_name:?} (holds {c:?})"
            );
            fail(ctx, &name.header, message);
        }
        rows.push(DataRow {
            name: state_name,
            iso3: iso3_cell,
            region: region_at.map(|at| cell(at).to_owned()).unwrap_or_default(),
            population,
            capabilities,
            labels,
            row,
            line,
        });
    }
    Some(DataStates {
        origin,
        anchor,
        name_column: name.header,
        iso3_column: iso3.map(|c| c.header).unwrap_or_default(),
        labels,
        rows,
    })
}

/// The `[data] memberships` file: `label,iso3[,...]` rows (`#` comments allowed), one
/// per group member.
struct Memberships {
    /// Labels in first-seen order.
    labels: Vec<String>,
    /// For each ISO3 code, indices into `labels`, in file order.
    by_iso3: BTreeMap<String, Vec<usize>>,
    /// Where `memberships` was written.
    place: Place,
}

/// Reads the memberships file named by `node`. Codes that match no data row are
/// ignored (a scenario may use a subset of the states); a file that cannot be read or
/// has no `label` and `iso3` columns is an error at `node`, a bad row at its line.
fn read_memberships(ctx: &mut Ctx, node: &Node, base_dir: &Path) -> Option<Memberships> {
    let field = "data.memberships";
    let file = ctx.string(node, field)?;
    let (origin, mut csv, headers) = open_csv(ctx, base_dir, &file, &node.place, field)?;
    let (Some(label_at), Some(iso3_at)) = (
        headers.iter().position(|h| h == "label"),
        headers.iter().position(|h| h == "iso3"),
    ) else {
        let available: Vec<&str> = headers.iter().collect();
        let message = format!(
            "{file:?} needs the columns \"label\" and \"iso3\"; it has {}",
            available.join(", ")
        );
        ctx.error(&node.place, field, message);
        return None;
    };
    let mut out = Memberships {
        labels: Vec::new(),
        by_iso3: BTreeMap::new(),
        place: node.place.clone(),
    };
    for (i, record) in csv.records().enumerate() {
        let row = i + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                ctx.push(
                    node.place.clone(),
                    ScenarioError {
                        origin: origin.clone(),
                        position: Some((usize::try_from(line).unwrap_or(0), 1)),
                        field: format!("row {row}"),
                        message: csv_message(&e),
                    },
                );
                continue;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let label = record.get(label_at).unwrap_or("");
        let iso3 = record.get(iso3_at).unwrap_or("");
        let valid = !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !valid || iso3.is_empty() {
            let (column, message) = if valid {
                (
                    "iso3",
                    "expected an ISO3 code, found an empty cell".to_owned(),
                )
            } else {
                (
                    "label",
                    format!(
                        "expected a label of ASCII letters, digits, '_' or '-', found {label:?}"
                    ),
                )
            };
            ctx.push(
                node.place.clone(),
                ScenarioError {
                    origin: origin.clone(),
                    position: Some((line, 1)),
                    field: format!("row {row}: column {column}"),
                    message,
                },
            );
            continue;
        }
        let k = match out.labels.iter().position(|l| l == label) {
            Some(k) => k,
            None => {
                out.labels.push(label.to_owned());
                out.labels.len() - 1
            }
        };
        let groups = out.by_iso3.entry(iso3.to_owned()).or_default();
        if !groups.contains(&k) {
            groups.push(k);
        }
    }
    Some(out)
}

const TRADE_FIELDS: &str = "file name prefix";

/// Reads `[trade]`: bilateral trade flows from a CSV file whose row `R` (named in
/// column `name`) has, in column `<prefix><X>`, the imports of state `X` from `R`
/// (`R`'s exports to `X`). Returns the `n × n` matrix of exports, row exporter, column
/// importer, as shares of the sum of all flows (the diagonal is ignored). States with
/// no row or no column trade nothing; a row or column naming no state is an error.
pub(super) fn load_trade(
    ctx: &mut Ctx,
    node: &Node,
    base_dir: &Path,
    names: &[&str],
) -> Option<Vec<f64>> {
    let t = ctx.table(node, "trade", Some(TRADE_FIELDS))?;
    let file_node = t.required(ctx, "file")?;
    let file = ctx.string(file_node, "trade.file")?;
    let name_column = t.text(ctx, "name", "name");
    let prefix = t.required_str(ctx, "prefix")?;
    let anchor = file_node.place.clone();
    let (origin, mut csv, headers) = open_csv(ctx, base_dir, &file, &anchor, "trade.file")?;
    let Some(name_at) = headers.iter().position(|h| h == name_column) else {
        let place = t.get("name").map_or(t.place().clone(), |n| n.place.clone());
        let available: Vec<&str> = headers.iter().collect();
        let message = format!(
            "no column {name_column:?} in {file:?}; the file has columns {}",
            available.join(", ")
        );
        ctx.error(&place, &t.field("name"), message);
        return None;
    };
    let state = |name: &str| names.iter().position(|n| *n == name);
    let mut importers: Vec<(usize, usize)> = Vec::new(); // (column, state)
    for (at, header) in headers.iter().enumerate() {
        let Some(importer) = header.strip_prefix(prefix.as_str()) else {
            continue;
        };
        match state(importer) {
            Some(j) => importers.push((at, j)),
            None => {
                let place = t
                    .get("prefix")
                    .map_or(t.place().clone(), |n| n.place.clone());
                let message = format!(
                    "column {header:?} of {file:?} names no state: {}",
                    unknown("state", importer, names.iter().copied())
                );
                ctx.error(&place, &t.field("prefix"), message);
            }
        }
    }
    if importers.is_empty() {
        let place = t
            .get("prefix")
            .map_or(t.place().clone(), |n| n.place.clone());
        let message = format!("no column of {file:?} starts with {prefix:?}");
        ctx.error(&place, &t.field("prefix"), message);
        return None;
    }
    let n = names.len();
    let mut flows = vec![0.0; n * n];
    let mut total = 0.0;
    for (i, record) in csv.records().enumerate() {
        let row = i + 1;
        let fail = |ctx: &mut Ctx, line: u64, column: &str, message: String| {
            let error = ScenarioError {
                origin: origin.clone(),
                position: Some((usize::try_from(line).unwrap_or(0), 1)),
                field: if column.is_empty() {
                    format!("row {row}")
                } else {
                    format!("row {row}: column {column}")
                },
                message,
            };
            ctx.push(anchor.clone(), error);
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                fail(ctx, line, "", csv_message(&e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let exporter_name = record.get(name_at).unwrap_or("");
        let Some(exporter) = state(exporter_name) else {
            let message = unknown("state", exporter_name, names.iter().copied());
            fail(ctx, line, &name_column, message);
            continue;
        };
        for &(at, importer) in &importers {
            let text = record.get(at).unwrap_or("");
            let value = if text.is_empty() {
                Some(0.0)
            } else {
                text.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
            };
            let Some(value) = value else {
                let message = format!("expected a number >= 0, found {text:?}");
                fail(ctx, line, &headers[at], message);
                continue;
            };
            if importer != exporter {
                flows[exporter * n + importer] = value;
            }
        }
    }
    total += flows.iter().sum::<f64>();
    if total > 0.0 {
        for f in &mut flows {
            *f /= total;
        }
    }
    Some(flows)
}

/// A data file's reader: over its bytes, read whole (and hashed) when opened.
pub(super) type CsvReader = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// Opens the CSV file `file` (relative to `base_dir`; `#` lines are comments, cells
/// trimmed) and reads its header. A file that cannot be opened or has no readable
/// header is an error at `place` for `field`. Returns the path as shown in errors, the
/// reader and the header.
pub(super) fn open_csv(
    ctx: &mut Ctx,
    base_dir: &Path,
    file: &str,
    place: &Place,
    field: &str,
) -> Option<(String, CsvReader, csv::StringRecord)> {
    let path = base_dir.join(file);
    let cannot_read = |ctx: &mut Ctx, why: String| {
        let resolved = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        let message = format!(
            "cannot read {file:?} (resolved to {}): {why}",
            resolved.display()
        );
        ctx.error(place, field, message);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            cannot_read(ctx, io_message(&e));
            return None;
        }
    };
    ctx.inputs
        .push((path.display().to_string(), sha256_hex(&bytes)));
    let reader = std::io::Cursor::new(bytes);
    let mut csv = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(reader);
    match csv.headers() {
        Ok(headers) => {
            let headers = headers.clone();
            Some((path.display().to_string(), csv, headers))
        }
        Err(e) => {
            cannot_read(ctx, csv_message(&e));
            None
        }
    }
}

/// A CSV error as a short message without the crate's position prefix.
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io_message(io),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields like the header, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::scenario::{Loaded, Scenario, StateId};

    const CSV: &str = "# source notes\n# more notes\nname,iso3,gdp,pop,demo\nAlpha,ALP,10,5,1\nBeta,BET,,3,0\nGamma,GAM,abc,2,yes\n";

    fn scenario(data: &str) -> String {
        format!(
            "[scenario]\nname = \"d\"\n[world]\ncapabilities = [\"gdp\"]\n[data]\n{data}\n\
             [[states]]\nname = \"Inline\"\ncapabilities = {{ gdp = 0.001 }}\nlabels = [\"inline\"]\n\
             [[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n"
        )
    }

    /// Writes the scenario and `csv` (as `data/x.csv`) into a temp dir and loads it.
    fn run(data: &str, csv: &str) -> (tempfile::TempDir, Result<Loaded, Vec<String>>) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("data")).unwrap();
        fs::write(dir.path().join("data/x.csv"), csv).unwrap();
        let path = dir.path().join("s.toml");
        fs::write(&path, scenario(data)).unwrap();
        let loaded = Scenario::from_path(&path, &[])
            .map_err(|e| e.0.iter().map(ToString::to_string).collect());
        (dir, loaded)
    }

    const MAPPING: &str = "file = \"data/x.csv\"\npopulation = \"pop\"\ncapabilities = { gdp = \"gdp\" }\nlabels = { democracy = \"demo\" }";

    #[test]
    fn bad_cells_are_reported_by_row_and_line() {
        let (dir, result) = run(MAPPING, CSV);
        let csv = dir.path().join("data/x.csv").display().to_string();
        assert_eq!(
            result.unwrap_err(),
            [
                format!(
                    "{csv}:5:1: row 2: column gdp: expected a number >= 0, found an empty cell (set [data] missing = \"zero\" or \"drop\" to accept it)"
                ),
                format!("{csv}:6:1: row 3: column gdp: expected a number >= 0, found \"abc\""),
            ]
        );
    }

    #[test]
    fn missing_zero_drop_and_limit() {
        let csv = CSV.replace("abc", "7");
        let (_dir, zero) = run(&format!("{MAPPING}\nmissing = \"zero\""), &csv);
        let s = zero.unwrap().scenario;
        let names: Vec<&str> = s.states.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Alpha", "Beta", "Gamma", "Inline"]);
        assert_eq!(s.states[1].capabilities, [0.0]);
        assert_eq!(
            (s.states[0].iso3.as_str(), s.states[0].population),
            ("ALP", 5.0)
        );
        assert_eq!(s.labels, ["democracy", "inline"]);
        let labels: Vec<u64> = s.states.iter().map(|s| s.labels).collect();
        assert_eq!(labels, [0b01, 0, 0b01, 0b10]);

        let (_dir, drop) = run(&format!("{MAPPING}\nmissing = \"drop\""), &csv);
        assert_eq!(drop.unwrap().scenario.n_states(), 3);
        let (_dir, limited) = run(&format!("{MAPPING}\nmissing = \"drop\"\nlimit = 1"), &csv);
        assert_eq!(limited.unwrap().scenario.n_states(), 2);
    }

    #[test]
    fn mapping_and_file_problems_point_into_the_scenario() {
        let data = "file = \"data/none.csv\"\ncapabilities = { gdp = \"gdp\" }";
        let (dir, result) = run(data, CSV);
        let resolved = std::path::absolute(dir.path().join("data/none.csv")).unwrap();
        let s = dir.path().join("s.toml").display().to_string();
        assert_eq!(
            result.unwrap_err(),
            [format!(
                "{s}:6:8: data.file: cannot read \"data/none.csv\" (resolved to {}): No such file or directory",
                resolved.display()
            )]
        );

        let data = "file = \"data/x.csv\"\nregion = \"area\"\ncapabilities = { gdp = \"gpd\", oil = \"x\" }";
        let (dir, result) = run(data, CSV);
        let s = dir.path().join("s.toml").display().to_string();
        let columns = "the file has columns name, iso3, gdp, pop, demo";
        assert_eq!(
            result.unwrap_err(),
            [
                format!("{s}:7:10: data.region: no column \"area\" in \"data/x.csv\"; {columns}"),
                format!(
                    "{s}:8:24: data.capabilities.gdp: no column \"gpd\" in \"data/x.csv\"; did you mean \"gdp\"? {columns}"
                ),
                format!("{s}:8:31: data.capabilities.oil: unknown capability \"oil\""),
            ]
        );
    }

    #[test]
    fn duplicate_rows_and_ragged_rows() {
        let csv = "name,iso3,gdp\nA,AAA,1\nB,AAA,2\nA,CCC,3\nD,DDD\n";
        let (dir, result) = run(
            "file = \"data/x.csv\"\ncapabilities = { gdp = \"gdp\" }",
            csv,
        );
        let csv = dir.path().join("data/x.csv").display().to_string();
        assert_eq!(
            result.unwrap_err(),
            [
                format!(
                    "{csv}:3:1: row 2: column iso3: duplicate iso3 code \"AAA\" (first at row 1 of {csv})"
                ),
                format!(
                    "{csv}:4:1: row 3: column name: duplicate state \"A\" (first at row 1 of {csv})"
                ),
                format!("{csv}:5:1: row 4: expected 3 fields like the header, found 2"),
            ]
        );
    }

    const GROUPS: &str =
        "# groups\nlabel,iso3,name\neu,ALP,Alpha\neu,GAM,Gamma\nnato,ALP,Alpha\nnato,ZZZ,Nowhere\n";

    /// Like `run`, with the memberships file `groups` as `data/m.csv`.
    fn run_with_groups(
        data: &str,
        csv: &str,
        groups: &str,
    ) -> (tempfile::TempDir, Result<Loaded, Vec<String>>) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("data")).unwrap();
        fs::write(dir.path().join("data/x.csv"), csv).unwrap();
        fs::write(dir.path().join("data/m.csv"), groups).unwrap();
        let path = dir.path().join("s.toml");
        fs::write(&path, scenario(data)).unwrap();
        let loaded = Scenario::from_path(&path, &[])
            .map_err(|e| e.0.iter().map(ToString::to_string).collect());
        (dir, loaded)
    }

    #[test]
    fn memberships_label_rows_by_iso3_and_select_keeps_members() {
        let csv = CSV.replace("abc", "7").replace(",,3", ",1,3");
        let data = format!("{MAPPING}\nmemberships = \"data/m.csv\"");
        let (_dir, loaded) = run_with_groups(&data, &csv, GROUPS);
        let s = loaded.unwrap().scenario;
        // Column labels first, then the file's in first-seen order, then inline ones.
        assert_eq!(s.labels, ["democracy", "eu", "nato", "inline"]);
        let labels: Vec<u64> = s.states.iter().map(|s| s.labels).collect();
        assert_eq!(labels, [0b0111, 0, 0b0011, 0b1000]);

        let data =
            format!("{MAPPING}\nmemberships = \"data/m.csv\"\nselect = [\"nato\", \"democracy\"]");
        let (_dir, loaded) = run_with_groups(&data, &csv, GROUPS);
        let names: Vec<String> = loaded
            .unwrap()
            .scenario
            .states
            .iter()
            .map(|s| s.name.clone())
            .collect();
        assert_eq!(names, ["Alpha", "Gamma", "Inline"]);

        // Cells of rows not selected are not read: Beta's empty gdp is no error.
        let csv = CSV.replace("abc", "7");
        let data = format!("{MAPPING}\nmemberships = \"data/m.csv\"\nselect = [\"eu\"]");
        let (_dir, loaded) = run_with_groups(&data, &csv, GROUPS);
        assert_eq!(loaded.unwrap().scenario.n_states(), 3);
    }

    #[test]
    fn bad_memberships_and_selections_are_reported() {
        let csv = CSV.replace("abc", "7").replace(",,3", ",1,3");
        let data = format!("{MAPPING}\nmemberships = \"data/m.csv\"\nselect = [\"natp\"]");
        let (dir, loaded) = run_with_groups(&data, &csv, "label,iso3\nbad label,ALP\nnato,\n");
        let m = dir.path().join("data/m.csv").display().to_string();
        let s = dir.path().join("s.toml").display().to_string();
        assert_eq!(
            loaded.unwrap_err(),
            [
                format!(
                    "{m}:2:1: row 1: column label: expected a label of ASCII letters, digits, '_' or '-', found \"bad label\""
                ),
                format!("{m}:3:1: row 2: column iso3: expected an ISO3 code, found an empty cell"),
                format!(
                    "{s}:11:11: data.select: unknown label \"natp\" (labels come from [data.labels] and the memberships file)"
                ),
            ]
        );
        let (_dir, loaded) = run_with_groups(
            &format!("{MAPPING}\nmemberships = \"data/m.csv\""),
            &csv,
            "group,code\n",
        );
        let err = loaded.unwrap_err();
        assert!(err[0].ends_with("data.memberships: \"data/m.csv\" needs the columns \"label\" and \"iso3\"; it has group, code"), "{err:?}");
    }

    #[test]
    fn negative_cells_are_errors_unless_read_as_zero() {
        let csv = CSV.replace("abc", "-7").replace(",,3", ",1,3");
        let (_dir, loaded) = run(MAPPING, &csv);
        let err = loaded.unwrap_err();
        assert!(err[0].ends_with("row 3: column gdp: expected a number >= 0, found \"-7\" (set [data] negative = \"zero\" to read negative values as 0)"), "{err:?}");
        let (_dir, loaded) = run(&format!("{MAPPING}\nnegative = \"zero\""), &csv);
        assert_eq!(loaded.unwrap().scenario.states[2].capabilities, [0.0]);
    }

    #[test]
    fn trade_flows_are_shares_of_all_flows_and_must_name_states() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\n\
                    [[states]]\nname = \"A\"\ncapabilities = { gdp = 1.0 }\n\
                    [[states]]\nname = \"B\"\ncapabilities = { gdp = 1.0 }\n\
                    [[states]]\nname = \"C\"\ncapabilities = { gdp = 2.0 }\n\
                    [[issues]]\nname = \"trade\"\ncapability = \"gdp\"\ntariff = 0.1\n\
                    [trade]\nfile = \"trade.csv\"\nprefix = \"to_\"\n";
        let load = |csv: &str| {
            fs::write(dir.path().join("trade.csv"), csv).unwrap();
            Scenario::from_toml(text, "t.toml", dir.path(), &[])
                .map(|l| l.scenario)
                .map_err(|e| e.0.iter().map(ToString::to_string).collect::<Vec<_>>())
        };
        // A exports 3 to B and 1 to C, B 2 to C, C 4 to A; the diagonal is ignored.
        let s = load("# flows\nname,to_A,to_B,to_C\nA,9,3,1\nB,0,0,2\nC,4,0,0\n").unwrap();
        assert_eq!(s.trade, [0.0, 0.3, 0.1, 0.0, 0.0, 0.2, 0.4, 0.0, 0.0]);
        let csv = dir.path().join("trade.csv").display().to_string();
        let err = load("name,to_A,to_D\nA,0,1\nE,1,1\n").unwrap_err();
        assert_eq!(
            err,
            [
                format!("{csv}:3:1: row 2: column name: unknown state \"E\""),
                "t.toml:20:10: trade.prefix: column \"to_D\" of \"trade.csv\" names no state: unknown state \"D\"".to_string(),
            ]
        );
    }

    #[test]
    fn the_real_states_file_loads() {
        let source = std::path::Path::new("/work/shared/data/states2016.csv");
        let Ok(csv) = fs::read_to_string(source) else {
            return; // Only available on the project machine.
        };
        let data = "file = \"data/x.csv\"\npopulation = \"population_2016\"\n\
                    capabilities = { gdp = \"gdp_share\" }\nlabels = { g20 = \"g20_2016\" }\nmissing = \"drop\"";
        let (_dir, result) = run(data, &csv);
        let s = result.unwrap().scenario;
        assert_eq!(s.n_states(), 161 + 1);
        assert_eq!(s.states[0].iso3, "CHN");
        let g20 = s.states.iter().filter(|s| s.labels & 1 != 0).count();
        assert!(g20 > 30, "{g20}");
        // The five largest mean GDP shares.
        let names: Vec<&str> = s
            .great_powers
            .iter()
            .map(|&StateId(i)| s.states[i as usize].name.as_str())
            .collect();
        assert_eq!(
            names,
            ["China", "United States", "India", "Japan", "Germany"]
        );
    }
}
