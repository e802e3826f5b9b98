//! A file of stylised facts (`[calibrate] facts`): one row per fact, with the columns
//! `fact` (an identifier), `value`, `sd` (its uncertainty, > 0) and `source`; lines
//! starting with `#` are comments. Targets of a calibration name a fact instead of
//! giving a value, an uncertainty and a source of their own.

use std::path::Path;

use super::CsvFile;
use crate::scenario::parse::Node;
use crate::scenario::reader::Ctx;

/// One stylised fact.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    /// Its identifier.
    pub id: String,
    /// The observed value.
    pub value: f64,
    /// Its uncertainty (> 0).
    pub sd: f64,
    /// Where it comes from.
    pub source: String,
}

/// Reads the facts file named by `node` (relative to `base_dir`); rows with a problem
/// are reported and left out.
pub(in crate::scenario) fn read(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    base_dir: &Path,
) -> Option<Vec<Fact>> {
    let file = ctx.string(node, field)?;
    let mut csv = CsvFile::open(ctx, base_dir, &file, &node.place, field)?;
    let columns = ["fact", "value", "sd", "source"].map(|c| csv.column(c));
    let [Some(id_at), Some(value_at), Some(sd_at), Some(source_at)] = columns else {
        let message = format!(
            "{file:?} needs the columns \"fact\", \"value\", \"sd\" and \"source\"; it has {}",
            csv.header_list()
        );
        ctx.error(&node.place, field, message);
        return None;
    };
    let mut facts: Vec<Fact> = Vec::new();
    while let Some(row) = csv.next_row(ctx) {
        let id = row.cell(id_at).trim().to_string();
        if id.is_empty() || facts.iter().any(|f| f.id == id) {
            let message = if id.is_empty() {
                "expected a fact's identifier, found an empty cell".to_string()
            } else {
                format!("the fact {id:?} is given twice")
            };
            csv.error(ctx, &row, "fact", message);
            continue;
        }
        let number = |at: usize| {
            row.cell(at)
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
        };
        let Some(value) = number(value_at) else {
            let message = format!("expected a number, found {:?}", row.cell(value_at));
            csv.error(ctx, &row, "value", message);
            continue;
        };
        let Some(sd) = number(sd_at).filter(|&s| s > 0.0) else {
            let message = format!("expected a number > 0, found {:?}", row.cell(sd_at));
            csv.error(ctx, &row, "sd", message);
            continue;
        };
        let source = row.cell(source_at).trim().to_string();
        if source.is_empty() {
            csv.error(
                ctx,
                &row,
                "source",
                "say where the fact comes from".to_string(),
            );
            continue;
        }
        facts.push(Fact {
            id,
            value,
            sd,
            source,
        });
    }
    Some(facts)
}
