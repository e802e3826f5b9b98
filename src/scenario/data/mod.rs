//! `[data]`: states read from a CSV file (path relative to the scenario file). Lines
//! starting with `#` are comments; every row is one state. Problems in the mapping are
//! reported at the mapping in the scenario; problems in cells are reported at the CSV
//! line, as `row N: column C`.
//!
//! [`load`] reads the mapping (`read_mapping`), the memberships file and the label
//! selection, then finds the mapped columns in the file and reads its rows.

pub(in crate::scenario) mod csv_file;
pub(super) mod facts;
pub(super) mod memberships;
pub(super) mod pairs;
pub(super) mod preferences;
pub(super) mod seats;
pub(super) mod trade;

use std::path::Path;

use super::parse::{Kind, Node, Place};
use super::reader::{Ctx, Table, suggest, unknown};
use csv_file::Row;
pub(super) use csv_file::{CsvFile, Source};
use memberships::Memberships;

const DATA_FIELDS: &str = "file name iso3 region population capabilities labels memberships select missing negative limit positions saliences affinity";

/// The states of a data file, before defaults are applied.
pub(super) struct DataStates {
    /// The file (`<scenario dir>/<file>`), for problems in its rows; they sort where
    /// `[data] file` was written.
    pub(super) source: Source,
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
    /// One value per capability dimension (>= 0).
    pub(super) capabilities: Vec<f64>,
    /// Negative capability values kept by `negative = "keep"`: `(dimension, value)`.
    pub(super) negative: Vec<(usize, f64)>,
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

/// What a negative capability or population cell means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Negative {
    /// An error (the default).
    Error,
    /// 0.
    Zero,
    /// A capability's value as given (e.g. a net carbon sink), kept for outputs and
    /// coverage; the engine's shares read it as 0. A negative population stays an
    /// error.
    Keep,
}

/// How capability and population cells are read.
#[derive(Clone, Copy)]
struct Cells {
    missing: Missing,
    negative: Negative,
}

/// A column named by the mapping (or by default), and where.
struct Column {
    header: String,
    field: String,
    place: Place,
    /// False for a default (`iso3`) that may be absent from the file.
    required: bool,
}

/// The `[data]` mapping: which column holds what, and how to read the cells. A column
/// is `None` where the mapping's entry is missing (and has no default) or mistyped.
struct Mapping {
    name: Option<Column>,
    iso3: Option<Column>,
    region: Option<Column>,
    /// `region = { file, column }`: regions from another file, joined by ISO3 code.
    region_file: Option<RegionFile>,
    population: Option<Column>,
    /// One per capability dimension, in order.
    capabilities: Vec<Option<Column>>,
    /// `[data.labels]`: each label with its column, in mapping order.
    labels: Vec<(String, Column)>,
    cells: Cells,
    /// `limit`: at most this many rows are kept.
    limit: Option<usize>,
}

/// `[data] region = { file = "...", column = "...", iso3 = "iso3" }`: each state's
/// region read from another CSV file by its ISO3 code (a state the file does not
/// list has none).
struct RegionFile {
    file: String,
    column: String,
    iso3: String,
    place: Place,
    field: String,
}

/// Where the mapped columns are in the file (index, and header for errors).
struct Columns<'m> {
    name: (usize, &'m str),
    iso3: Option<usize>,
    region: Option<usize>,
    population: Option<(usize, &'m str)>,
    capabilities: Vec<(usize, &'m str)>,
    /// Per `[data.labels]` entry.
    labels: Vec<Option<usize>>,
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
    let mapping = read_mapping(ctx, &t, capabilities);
    let memberships = match t.get("memberships") {
        Some(n) => Some(memberships::read(ctx, n, "data.memberships", base_dir)?),
        None => None,
    };
    let labels = all_labels(&t, &mapping, memberships.as_ref());
    let select = read_select(ctx, &t, &labels);

    // The mapping is read; now the file.
    let (file, file_node, name) = (file?, file_node?, mapping.name.as_ref()?);
    if mapping.capabilities.len() != capabilities.len()
        || mapping.capabilities.iter().any(Option::is_none)
    {
        return None;
    }
    let mut csv = CsvFile::open(ctx, base_dir, &file, &file_node.place, "data.file")?;
    let columns = find_columns(ctx, &csv, &file, &mapping)?;
    let mut rows = read_rows(
        ctx,
        &mut csv,
        &mapping,
        &columns,
        memberships.as_ref(),
        &select,
    );
    if let Some(regions) = &mapping.region_file {
        join_regions(ctx, base_dir, regions, &mut rows)?;
    }
    Some(DataStates {
        name_column: name.header.clone(),
        iso3_column: mapping
            .iso3
            .as_ref()
            .map(|c| c.header.clone())
            .unwrap_or_default(),
        source: csv.source,
        labels,
        rows,
    })
}

/// The mapping's columns and cell policies (not `file`, `memberships` or `select`).
fn read_mapping(ctx: &mut Ctx, t: &Table, capabilities: &[String]) -> Mapping {
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
    let (region, region_file) = match t.get("region") {
        Some(n) if matches!(n.kind, Kind::Table(_)) => (None, region_file(ctx, t, n)),
        _ => (column(ctx, "region", None), None),
    };
    let population = column(ctx, "population", None);
    let capabilities = capability_columns(ctx, t, capabilities);
    let labels = label_columns(ctx, t);
    let policies = [
        ("error", Missing::Error),
        ("zero", Missing::Zero),
        ("drop", Missing::Drop),
    ];
    let cells = Cells {
        missing: t.pick(ctx, "missing", &policies, Missing::Error),
        negative: t.pick(
            ctx,
            "negative",
            &[
                ("error", Negative::Error),
                ("zero", Negative::Zero),
                ("keep", Negative::Keep),
            ],
            Negative::Error,
        ),
    };
    Mapping {
        name,
        iso3,
        region,
        region_file,
        population,
        capabilities,
        labels,
        cells,
        limit: t.opt_int(ctx, "limit", 1..=i64::from(u32::MAX)),
    }
}

/// The table form of `[data] region`; `None` (reported) when a field is missing or
/// mistyped.
fn region_file(ctx: &mut Ctx, data: &Table, node: &Node) -> Option<RegionFile> {
    let field = data.field("region");
    let t = ctx.table(node, &field, Some("file column iso3"))?;
    let file = t.required_str(ctx, "file");
    let column = t.required_str(ctx, "column");
    let iso3 = t.opt_str(ctx, "iso3").unwrap_or_else(|| "iso3".to_owned());
    Some(RegionFile {
        file: file?,
        column: column?,
        iso3,
        place: node.place.clone(),
        field,
    })
}

/// Sets each row's region from the regions file, by ISO3 code; a row whose code the
/// file does not list (or that has none) keeps no region.
fn join_regions(
    ctx: &mut Ctx,
    base_dir: &Path,
    regions: &RegionFile,
    rows: &mut [DataRow],
) -> Option<()> {
    let field = format!("{}.file", regions.field);
    let mut csv = CsvFile::open(ctx, base_dir, &regions.file, &regions.place, &field)?;
    let (Some(iso3_at), Some(region_at)) = (csv.column(&regions.iso3), csv.column(&regions.column))
    else {
        let message = format!(
            "{:?} needs the columns {:?} and {:?}; it has {}",
            regions.file,
            regions.iso3,
            regions.column,
            csv.header_list()
        );
        ctx.error(&regions.place, &regions.field, message);
        return None;
    };
    let mut by_iso3 = std::collections::BTreeMap::new();
    while let Some(row) = csv.next_row(ctx) {
        let iso3 = row.cell(iso3_at);
        if !iso3.is_empty() {
            by_iso3.insert(iso3.to_owned(), row.cell(region_at).to_owned());
        }
    }
    for row in rows.iter_mut() {
        if let Some(region) = by_iso3.get(&row.iso3) {
            row.region.clone_from(region);
        }
    }
    Some(())
}

/// `[data.capabilities]`: a column per capability dimension (required), in dimension
/// order; unknown dimensions are errors. Empty when the table is missing.
fn capability_columns(ctx: &mut Ctx, t: &Table, capabilities: &[String]) -> Vec<Option<Column>> {
    let Some(caps) = t
        .required(ctx, "capabilities")
        .and_then(|n| ctx.table(n, &t.field("capabilities"), None))
    else {
        return Vec::new();
    };
    for entry in caps.entries() {
        if !capabilities.contains(&entry.key) {
            let names = capabilities.iter().map(String::as_str);
            let message = unknown("capability", &entry.key, names);
            ctx.error(&entry.key_place, &caps.field(&entry.key), message);
        }
    }
    capabilities
        .iter()
        .map(|dimension| {
            let field = caps.field(dimension);
            let node = caps.required(ctx, dimension)?;
            Some(Column {
                header: ctx.string(node, &field)?,
                field,
                place: node.place.clone(),
                required: true,
            })
        })
        .collect()
}

/// `[data.labels]`: `label = "column"`, in mapping order.
fn label_columns(ctx: &mut Ctx, t: &Table) -> Vec<(String, Column)> {
    let labels_table = t.table(ctx, "labels", None);
    let mut columns = Vec::new();
    for entry in labels_table.entries() {
        let field = labels_table.field(&entry.key);
        if let Some(header) = ctx.string(&entry.value, &field) {
            let place = entry.value.place.clone();
            let column = Column {
                header,
                field,
                place,
                required: true,
            };
            columns.push((entry.key.clone(), column));
        }
    }
    columns
}

/// Every label a row can carry, with the place and field that gave it:
/// `[data.labels]` in mapping order, then the memberships file's in first-seen order.
fn all_labels(
    t: &Table,
    mapping: &Mapping,
    memberships: Option<&Memberships>,
) -> Vec<(String, Place, String)> {
    let mut labels: Vec<(String, Place, String)> = mapping
        .labels
        .iter()
        .map(|(label, c)| (label.clone(), c.place.clone(), c.field.clone()))
        .collect();
    if let Some(m) = memberships {
        labels.extend(
            m.labels
                .iter()
                .map(|label| (label.clone(), m.place.clone(), t.field("memberships"))),
        );
    }
    labels
}

/// `select`: the labels (indices into `labels`) whose rows are kept; empty keeps every
/// row.
fn read_select(ctx: &mut Ctx, t: &Table, labels: &[(String, Place, String)]) -> Vec<usize> {
    let mut select: Vec<usize> = Vec::new();
    let Some(n) = t.get("select") else {
        return select;
    };
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
    if select.is_empty() && matches!(&n.kind, Kind::Array(items) if items.is_empty()) {
        ctx.error(
            &n.place,
            &field,
            "expected at least one label, found an empty list",
        );
    }
    select
}

/// Finds every column the mapping names in the file's header (a default `iso3` may be
/// absent); `None` if one is missing, each reported at its mapping entry.
fn find_columns<'m>(
    ctx: &mut Ctx,
    csv: &CsvFile,
    file: &str,
    mapping: &'m Mapping,
) -> Option<Columns<'m>> {
    let mut all_found = true;
    let mut find = |ctx: &mut Ctx, column: &Column| -> Option<usize> {
        let found = csv.column(&column.header);
        if found.is_none() && column.required {
            all_found = false;
            let hint = suggest(&column.header, csv.headers.iter())
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            let message = format!(
                "no column {:?} in {file:?}; {hint}the file has columns {}",
                column.header,
                csv.header_list()
            );
            ctx.error(&column.place, &column.field, message);
        }
        found
    };
    let name = mapping.name.as_ref()?;
    let name_at = find(ctx, name);
    let iso3 = mapping.iso3.as_ref().and_then(|c| find(ctx, c));
    let region = mapping.region.as_ref().and_then(|c| find(ctx, c));
    let population = mapping
        .population
        .as_ref()
        .and_then(|c| Some((find(ctx, c)?, c.header.as_str())));
    let capabilities = (mapping.capabilities.iter().flatten())
        .filter_map(|c| Some((find(ctx, c)?, c.header.as_str())))
        .collect();
    let labels = (mapping.labels.iter()).map(|(_, c)| find(ctx, c)).collect();
    let (Some(name_at), true) = (name_at, all_found) else {
        return None;
    };
    Some(Columns {
        name: (name_at, name.header.as_str()),
        iso3,
        region,
        population,
        capabilities,
        labels,
    })
}

/// The rows kept, in file order: up to `limit`, only those carrying a selected label,
/// not those dropped for an empty cell.
fn read_rows(
    ctx: &mut Ctx,
    csv: &mut CsvFile,
    mapping: &Mapping,
    columns: &Columns,
    memberships: Option<&Memberships>,
    select: &[usize],
) -> Vec<DataRow> {
    let mut rows = Vec::new();
    while mapping.limit.is_none_or(|n| rows.len() < n)
        && let Some(row) = csv.next_row(ctx)
    {
        // Selection first: cells of rows not selected are never read.
        let labels = row_labels(&row, columns, memberships);
        if !select.is_empty() && !labels.iter().any(|l| select.contains(l)) {
            continue;
        }
        if let Some(state) = read_row(ctx, csv, &row, mapping.cells, columns, labels) {
            rows.push(state);
        }
    }
    rows
}

/// The labels a row carries: its `[data.labels]` columns that hold 1, true or yes,
/// then its groups in the memberships file (by ISO3 code), as indices into
/// [`DataStates::labels`].
fn row_labels(row: &Row, columns: &Columns, memberships: Option<&Memberships>) -> Vec<usize> {
    let mut labels: Vec<usize> = (columns.labels.iter().enumerate())
        .filter(|(_, at)| {
            at.is_some_and(|at| {
                matches!(
                    row.cell(at).to_ascii_lowercase().as_str(),
                    "1" | "true" | "yes"
                )
            })
        })
        .map(|(label, _)| label)
        .collect();
    let iso3 = columns.iso3.map_or("", |at| row.cell(at));
    if let Some(groups) = memberships.and_then(|m| m.by_iso3.get(iso3)) {
        labels.extend(groups.iter().map(|&g| columns.labels.len() + g));
    }
    labels
}

/// A selected row as a state, its bad cells reported (they read as 0); `None` when it
/// is dropped for an empty cell (`missing = "drop"`).
fn read_row(
    ctx: &mut Ctx,
    csv: &CsvFile,
    row: &Row,
    cells: Cells,
    columns: &Columns,
    labels: Vec<usize>,
) -> Option<DataRow> {
    let mut numeric = (columns.capabilities.iter().map(|&(at, _)| at))
        .chain(columns.population.map(|(at, _)| at));
    if cells.missing == Missing::Drop && numeric.any(|at| row.cell(at).is_empty()) {
        return None;
    }
    let number = |ctx: &mut Ctx, (at, header): (usize, &str), capability: bool| {
        cells
            .number(row.cell(at), capability)
            .unwrap_or_else(|message| {
                csv.error(ctx, row, header, message);
                0.0
            })
    };
    let mut negative = Vec::new();
    let capabilities = (columns.capabilities.iter().enumerate())
        .map(|(d, &column)| {
            let v = number(ctx, column, true);
            if v < 0.0 {
                negative.push((d, v));
                0.0
            } else {
                v
            }
        })
        .collect();
    let population = columns
        .population
        .map_or(0.0, |column| number(ctx, column, false));
    let (name_at, name_header) = columns.name;
    let name = row.cell(name_at).to_owned();
    if name.is_empty() {
        let message = "expected a state name, found an empty cell".to_owned();
        csv.error(ctx, row, name_header, message);
    } else if let Some(c) = name.chars().find(|c| c.is_control()) {
        let message = format!(
            "expected a state name without control characters, found {name:?} (holds {c:?})"
        );
        csv.error(ctx, row, name_header, message);
    }
    Some(DataRow {
        name,
        iso3: columns
            .iso3
            .map(|at| row.cell(at).to_owned())
            .unwrap_or_default(),
        region: columns
            .region
            .map(|at| row.cell(at).to_owned())
            .unwrap_or_default(),
        population,
        capabilities,
        negative,
        labels,
        row: row.number,
        line: row.line,
    })
}

impl Cells {
    /// A capability (`capability`) or population cell: a number >= 0. An empty cell
    /// is 0 (an error unless `missing` accepts it), a negative number 0 if `negative =
    /// "zero"`, and a negative capability kept as it is if `"keep"` (the caller sets it
    /// aside); the error says how to accept the cell.
    fn number(self, text: &str, capability: bool) -> Result<f64, String> {
        if text.is_empty() {
            if self.missing == Missing::Error {
                return Err("expected a number >= 0, found an empty cell (set [data] missing = \"zero\" or \"drop\" to accept it)".to_owned());
            }
            return Ok(0.0);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            Ok(v) if v.is_finite() && self.negative == Negative::Zero => Ok(0.0),
            Ok(v) if v.is_finite() && self.negative == Negative::Keep && capability => Ok(v),
            Ok(v) if v.is_finite() && self.negative == Negative::Keep => Err(format!(
                "expected a population >= 0, found {text:?} (negative = \"keep\" keeps negative capabilities only)"
            )),
            Ok(v) if v.is_finite() => Err(format!(
                "expected a number >= 0, found {text:?} (set [data] negative = \"zero\" to read negative values as 0, or \"keep\" to keep a negative capability)"
            )),
            _ => Err(format!("expected a number >= 0, found {text:?}")),
        }
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
        run_with_files(data, &[("data/x.csv", csv)])
    }

    /// Writes the scenario and each (path, text) file into a temp dir and loads it.
    fn run_with_files(
        data: &str,
        files: &[(&str, &str)],
    ) -> (tempfile::TempDir, Result<Loaded, Vec<String>>) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("data")).unwrap();
        for (file, text) in files {
            fs::write(dir.path().join(file), text).unwrap();
        }
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
        run_with_files(data, &[("data/x.csv", csv), ("data/m.csv", groups)])
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
    fn memberships_from_several_files_merge_their_groups() {
        let csv = CSV.replace("abc", "7").replace(",,3", ",1,3");
        let data = format!("{MAPPING}\nmemberships = [\"data/m.csv\", \"data/n.csv\"]");
        let more = "label,iso3\neas,GAM\nnato,GAM\n";
        let (_dir, loaded) = run_with_files(
            &data,
            &[
                ("data/x.csv", &csv),
                ("data/m.csv", GROUPS),
                ("data/n.csv", more),
            ],
        );
        let s = loaded.unwrap().scenario;
        // The second file's new label comes after the first's; a label in both lists
        // the members of both (Gamma joins NATO).
        assert_eq!(s.labels, ["democracy", "eu", "nato", "eas", "inline"]);
        let labels: Vec<u64> = s.states.iter().map(|s| s.labels).collect();
        assert_eq!(labels, [0b00111, 0, 0b01111, 0b10000]);

        let data = format!("{MAPPING}\nmemberships = []");
        let (dir, loaded) = run_with_groups(&data, &csv, GROUPS);
        let s = dir.path().join("s.toml").display().to_string();
        assert_eq!(
            loaded.unwrap_err(),
            [format!(
                "{s}:10:15: data.memberships: expected at least one file, found an empty list"
            )]
        );
    }

    #[test]
    fn regions_can_come_from_another_file_by_iso3() {
        let csv = CSV.replace("abc", "7").replace(",,3", ",1,3");
        let regions =
            "# M49\niso3,name,m49\nGAM,Gamma,Asia\nALP,Alpha,Europe\nZZZ,Nowhere,Africa\n";
        let data = format!("{MAPPING}\nregion = {{ file = \"data/r.csv\", column = \"m49\" }}");
        let (_dir, loaded) =
            run_with_files(&data, &[("data/x.csv", &csv), ("data/r.csv", regions)]);
        let s = loaded.unwrap().scenario;
        let got: Vec<&str> = s.states.iter().map(|s| s.region.as_str()).collect();
        // Beta is not in the file: no region. The inline state keeps its own (none).
        assert_eq!(got, ["Europe", "", "Asia", ""]);

        let data =
            format!("{MAPPING}\nregion = {{ file = \"data/r.csv\", column = \"m49\", area = 1 }}");
        let (dir, loaded) = run_with_files(&data, &[("data/x.csv", &csv), ("data/r.csv", regions)]);
        let s = dir.path().join("s.toml").display().to_string();
        assert_eq!(
            loaded.unwrap_err(),
            [format!(
                "{s}:10:49: data.region.area: unknown field; expected one of file, column, iso3"
            )]
        );
        let data = format!("{MAPPING}\nregion = {{ file = \"data/r.csv\", column = \"region\" }}");
        let (dir, loaded) = run_with_files(&data, &[("data/x.csv", &csv), ("data/r.csv", regions)]);
        let s = dir.path().join("s.toml").display().to_string();
        assert_eq!(
            loaded.unwrap_err(),
            [format!(
                "{s}:10:10: data.region: \"data/r.csv\" needs the columns \"iso3\" and \"region\"; it has iso3, name, m49"
            )]
        );
    }

    #[test]
    fn negative_cells_are_errors_unless_read_as_zero_or_kept() {
        let csv = CSV.replace("abc", "-7").replace(",,3", ",1,3");
        let (_dir, loaded) = run(MAPPING, &csv);
        let err = loaded.unwrap_err();
        assert!(err[0].ends_with("row 3: column gdp: expected a number >= 0, found \"-7\" (set [data] negative = \"zero\" to read negative values as 0, or \"keep\" to keep a negative capability)"), "{err:?}");
        let (_dir, loaded) = run(&format!("{MAPPING}\nnegative = \"zero\""), &csv);
        let zero = loaded.unwrap().scenario;
        assert_eq!(zero.states[2].capabilities, [0.0]);
        assert!(zero.states[2].negative.is_empty());
        // "keep": the engine's value is 0 (a share of a problem is never negative), the
        // recorded value -7.
        let (_dir, loaded) = run(&format!("{MAPPING}\nnegative = \"keep\""), &csv);
        let kept = loaded.unwrap().scenario;
        assert_eq!(kept.states[2].capabilities, [0.0]);
        assert_eq!(kept.states[2].negative, [(0, -7.0)]);
        assert_eq!(
            (kept.states[2].recorded(0), kept.states[0].recorded(0)),
            (-7.0, 10.0)
        );
        // A negative population stays an error under "keep".
        let csv = CSV.replace("abc", "1").replace(",,3", ",1,-3");
        let (_dir, loaded) = run(&format!("{MAPPING}\nnegative = \"keep\""), &csv);
        let err = loaded.unwrap_err();
        assert!(err[0].ends_with("row 2: column pop: expected a population >= 0, found \"-3\" (negative = \"keep\" keeps negative capabilities only)"), "{err:?}");
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
