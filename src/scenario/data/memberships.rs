//! A file of group memberships, `label,iso3[,...]` rows (`#` comments allowed), one
//! per group member: `[data] memberships` (its labels join the data file's) and a
//! body's `members = { file = ..., label = ... }` (the states the file lists under
//! one label, without making it a label of theirs).

use std::collections::BTreeMap;
use std::path::Path;

use super::csv_file::CsvFile;
use crate::scenario::parse::{Kind, Node, Place};
use crate::scenario::reader::Ctx;

/// The groups a memberships file gives.
pub(in crate::scenario) struct Memberships {
    /// Labels in first-seen order.
    pub(in crate::scenario) labels: Vec<String>,
    /// For each ISO3 code, indices into `labels`, in file order.
    pub(in crate::scenario) by_iso3: BTreeMap<String, Vec<usize>>,
    /// Where `memberships` was written.
    pub(in crate::scenario) place: Place,
}

/// Reads the memberships file named by `node` (the scenario's `field`), or each of a
/// list of files in order (`[data] memberships = ["a.csv", "b.csv"]`), their groups
/// merged: a label in two files lists the members of both. Codes that match no data
/// row are ignored (a scenario may use a subset of the states); a file that cannot be
/// read or has no `label` and `iso3` columns is an error at `node`, a bad row at its
/// line.
pub(in crate::scenario) fn read(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    base_dir: &Path,
) -> Option<Memberships> {
    let mut out = Memberships {
        labels: Vec::new(),
        by_iso3: BTreeMap::new(),
        place: node.place.clone(),
    };
    if let Kind::Array(_) = node.kind {
        let files = ctx.list(node, field, "a file name or a list of file names")?;
        if files.is_empty() {
            ctx.error(
                &node.place,
                field,
                "expected at least one file, found an empty list",
            );
            return None;
        }
        let mut ok = true;
        for (i, item) in files.iter().enumerate() {
            ok &= read_file(ctx, item, &format!("{field}[{i}]"), base_dir, &mut out).is_some();
        }
        return ok.then_some(out);
    }
    read_file(ctx, node, field, base_dir, &mut out)?;
    Some(out)
}

/// Reads one memberships file into `out`.
fn read_file(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    base_dir: &Path,
    out: &mut Memberships,
) -> Option<()> {
    let file = ctx.string(node, field)?;
    let mut csv = CsvFile::open(ctx, base_dir, &file, &node.place, field)?;
    let (Some(label_at), Some(iso3_at)) = (csv.column("label"), csv.column("iso3")) else {
        let message = format!(
            "{file:?} needs the columns \"label\" and \"iso3\"; it has {}",
            csv.header_list()
        );
        ctx.error(&node.place, field, message);
        return None;
    };
    while let Some(row) = csv.next_row(ctx) {
        let label = row.cell(label_at);
        let iso3 = row.cell(iso3_at);
        let valid = !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !valid {
            let message =
                format!("expected a label of ASCII letters, digits, '_' or '-', found {label:?}");
            csv.error(ctx, &row, "label", message);
            continue;
        }
        if iso3.is_empty() {
            let message = "expected an ISO3 code, found an empty cell".to_owned();
            csv.error(ctx, &row, "iso3", message);
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
    Some(())
}
