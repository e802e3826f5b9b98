//! Files of state pairs, one row per unordered pair (`a`, `b`, values): the landscape
//! rule's `propensities` and `[data.affinity]` read their rows here. A pair's value is
//! one column's, or a weighted sum of several (the landscape rule's `factors`). A pair
//! given twice (in either order) or a state paired with itself is an error at its row.

use std::collections::BTreeSet;

use super::csv_file::CsvFile;
use crate::model::ids::StateId;
use crate::scenario::reader::{Ctx, unknown};

/// How a pair file's rows are read.
pub(in crate::scenario) struct PairRows<'a> {
    /// Column indices of the two states.
    pub(in crate::scenario) states: [usize; 2],
    /// The value columns and their weights: a pair's value is `Σ w × cell` (a single
    /// column of weight 1 gives the cell's value unchanged).
    pub(in crate::scenario) values: &'a [(usize, f64)],
    /// The state a cell names, if any.
    pub(in crate::scenario) lookup: &'a dyn Fn(&str) -> Option<StateId>,
    /// Every state's name, by id (for messages).
    pub(in crate::scenario) names: &'a [&'a str],
    /// Whether a cell naming no state is an error (else the row is skipped: the file
    /// may cover more states than the scenario).
    pub(in crate::scenario) unknown_is_error: bool,
    /// The value of a cell: `Ok(None)` for "no value" (the pair is skipped if any of
    /// its value cells has none), `Err` with what is wrong.
    pub(in crate::scenario) value: &'a dyn Fn(&str) -> Result<Option<f64>, String>,
    /// What the values are, for "propensities are symmetric".
    pub(in crate::scenario) what: &'a str,
}

/// The file's pairs with a value, `a < b`, in file order; bad rows are reported.
pub(in crate::scenario) fn read(
    ctx: &mut Ctx,
    csv: &mut CsvFile,
    spec: &PairRows,
) -> Vec<(StateId, StateId, f64)> {
    let mut out: Vec<(StateId, StateId, f64)> = Vec::new();
    // NOTE: a map, not a scan of `out`: a dyad file of 193 states has 18,528 rows.
    let mut seen: BTreeSet<(StateId, StateId)> = BTreeSet::new();
    let [a_at, b_at] = spec.states;
    let header = |at: usize| csv.headers.get(at).unwrap_or("").to_owned();
    let (a_name, b_name) = (header(a_at), header(b_at));
    let v_names: Vec<String> = spec.values.iter().map(|&(at, _)| header(at)).collect();
    while let Some(row) = csv.next_row(ctx) {
        let mut ids = [None, None];
        let mut named = true;
        for (slot, (at, column)) in [(a_at, &a_name), (b_at, &b_name)].into_iter().enumerate() {
            let cell = row.cell(at);
            ids[slot] = (spec.lookup)(cell);
            if ids[slot].is_none() {
                named = false;
                if spec.unknown_is_error {
                    let message = unknown("state", cell, spec.names.iter().copied());
                    csv.error(ctx, &row, column, message);
                }
            }
        }
        if !named {
            continue;
        }
        let mut value: Option<f64> = None;
        let mut missing = false;
        let mut bad = false;
        for (&(at, weight), v_name) in spec.values.iter().zip(&v_names) {
            match (spec.value)(row.cell(at)) {
                // NOTE: the first term alone, not `0.0 + term`, so that one column of
                // weight 1 gives its cell's value bit for bit (even -0.0).
                Ok(Some(v)) => value = Some(value.map_or(weight * v, |sum| sum + weight * v)),
                Ok(None) => missing = true,
                Err(message) => {
                    csv.error(ctx, &row, v_name, message);
                    bad = true;
                }
            }
        }
        if bad {
            continue;
        }
        if missing {
            value = None;
        }
        let [Some(a), Some(b)] = ids else {
            continue;
        };
        if a == b {
            let name = spec.names[a.index()];
            csv.error(
                ctx,
                &row,
                &b_name,
                format!("{name:?} is paired with itself"),
            );
            continue;
        }
        let key = (a.min(b), a.max(b));
        if !seen.insert(key) {
            let (na, nb) = (spec.names[key.0.index()], spec.names[key.1.index()]);
            let message = format!(
                "the pair {na:?}, {nb:?} is given twice ({} are symmetric: give each pair once)",
                spec.what
            );
            csv.error(ctx, &row, &a_name, message);
            continue;
        }
        if let Some(value) = value {
            out.push((key.0, key.1, value));
        }
    }
    out
}
