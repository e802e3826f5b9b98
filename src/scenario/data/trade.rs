//! `[trade]`: bilateral trade flows from a CSV file, for penalty tariffs.

use std::path::Path;

use super::csv_file::CsvFile;
use crate::scenario::parse::{Node, Place};
use crate::scenario::reader::{Ctx, Table, unknown};

const TRADE_FIELDS: &str = "file name prefix";

/// Reads `[trade]`: bilateral trade flows from a CSV file whose row `R` (named in
/// column `name`) has, in column `<prefix><X>`, the imports of state `X` from `R`
/// (`R`'s exports to `X`). Returns the `n × n` matrix of exports, row exporter, column
/// importer, as shares of the sum of all flows (the diagonal is ignored), and that sum
/// in the file's units. States with no row or no column trade nothing; a row or column
/// naming no state is an error.
pub(in crate::scenario) fn load(
    ctx: &mut Ctx,
    node: &Node,
    base_dir: &Path,
    names: &[&str],
) -> Option<(Vec<f64>, f64)> {
    let t = ctx.table(node, "trade", Some(TRADE_FIELDS))?;
    let file_node = t.required(ctx, "file")?;
    let file = ctx.string(file_node, "trade.file")?;
    let name_column = t.text(ctx, "name", "name");
    let prefix = t.required_str(ctx, "prefix")?;
    let mut csv = CsvFile::open(ctx, base_dir, &file, &file_node.place, "trade.file")?;
    let Some(name_at) = csv.column(&name_column) else {
        let place = t.get("name").map_or(t.place().clone(), |n| n.place.clone());
        let message = format!(
            "no column {name_column:?} in {file:?}; the file has columns {}",
            csv.header_list()
        );
        ctx.error(&place, &t.field("name"), message);
        return None;
    };
    let importers = importer_columns(ctx, &t, &csv, &file, &prefix, names)?;
    let n = names.len();
    let mut flows = vec![0.0; n * n];
    while let Some(row) = csv.next_row(ctx) {
        let exporter_name = row.cell(name_at);
        let Some(exporter) = names.iter().position(|n| *n == exporter_name) else {
            let message = unknown("state", exporter_name, names.iter().copied());
            csv.error(ctx, &row, &name_column, message);
            continue;
        };
        for &(at, importer) in &importers {
            let text = row.cell(at);
            let value = if text.is_empty() {
                Some(0.0)
            } else {
                text.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
            };
            let Some(value) = value else {
                let message = format!("expected a number >= 0, found {text:?}");
                csv.error(ctx, &row, &csv.headers[at], message);
                continue;
            };
            if importer != exporter {
                flows[exporter * n + importer] = value;
            }
        }
    }
    let total: f64 = flows.iter().sum();
    if total > 0.0 {
        for f in &mut flows {
            *f /= total;
        }
    }
    Some((flows, total))
}

/// The columns `<prefix><state>`, as (column index, state index); a column naming no
/// state is an error, and so is having none.
fn importer_columns(
    ctx: &mut Ctx,
    t: &Table,
    csv: &CsvFile,
    file: &str,
    prefix: &str,
    names: &[&str],
) -> Option<Vec<(usize, usize)>> {
    let place: Place = t
        .get("prefix")
        .map_or(t.place().clone(), |n| n.place.clone());
    let mut importers = Vec::new();
    for (at, header) in csv.headers.iter().enumerate() {
        let Some(importer) = header.strip_prefix(prefix) else {
            continue;
        };
        match names.iter().position(|n| *n == importer) {
            Some(j) => importers.push((at, j)),
            None => {
                let message = format!(
                    "column {header:?} of {file:?} names no state: {}",
                    unknown("state", importer, names.iter().copied())
                );
                ctx.error(&place, &t.field("prefix"), message);
            }
        }
    }
    if importers.is_empty() {
        let message = format!("no column of {file:?} starts with {prefix:?}");
        ctx.error(&place, &t.field("prefix"), message);
        return None;
    }
    Some(importers)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::scenario::Scenario;

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
        assert_eq!(s.trade_total, 10.0);
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
}
