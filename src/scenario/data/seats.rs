//! `[bodies.elected]`: a body's elected seats from a CSV file of groups (the UN
//! regional groups for the Security Council's ten seats), with the members sitting at
//! the start and those taking their seats at the first renewal.

use std::collections::BTreeMap;
use std::path::Path;

use super::csv_file::CsvFile;
use crate::model::ids::StateId;
use crate::model::scenario::{ElectedSeats, StateSpec};
use crate::scenario::parse::{Kind, Node};
use crate::scenario::reader::{Ctx, Table, suggest};

const ELECTED_FIELDS: &str = "file iso3 group seats term sitting next";

/// Reads `[bodies.elected]` of body `body` whose permanent members are `permanent`.
/// Every problem is reported where the scenario or the file has it; `None` after any.
pub(in crate::scenario) fn read(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    base_dir: &Path,
    states: &[StateSpec],
    permanent: &[StateId],
) -> Option<ElectedSeats> {
    let t = ctx.table(node, field, Some(ELECTED_FIELDS))?;
    let errors_before = ctx.error_count();
    let file_node = t.required(ctx, "file");
    let file = file_node.and_then(|n| ctx.string(n, &t.field("file")));
    let iso3 = t.text(ctx, "iso3", "iso3");
    let group = t.required_str(ctx, "group");
    let sitting = t.required_str(ctx, "sitting");
    let next = t.required_str(ctx, "next");
    let term: u32 = t.int(ctx, "term", 2..=1_000_000, 8);
    if !term.is_multiple_of(2) {
        let place = t.get("term").map_or(t.place().clone(), |n| n.place.clone());
        let message = format!(
            "{term} is odd; a term must split into two halves (half the seats are renewed every term / 2 ticks)"
        );
        ctx.error(&place, &t.field("term"), message);
    }
    let seats = read_seats(ctx, &t);
    let (file_node, file, group, sitting, next, seats) =
        (file_node?, file?, group?, sitting?, next?, seats?);
    let mut csv = CsvFile::open(ctx, base_dir, &file, &file_node.place, &t.field("file"))?;
    let mut column = |key: &str, name: &str| {
        let found = csv.column(name);
        if found.is_none() {
            let place = t.get(key).map_or(t.place().clone(), |n| n.place.clone());
            let hint = suggest(name, csv.headers.iter())
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            let message = format!(
                "no column {name:?} in {file:?}; {hint}the file has columns {}",
                csv.header_list()
            );
            ctx.error(&place, &t.field(key), message);
        }
        found
    };
    let at = (
        column("iso3", &iso3),
        column("group", &group),
        column("sitting", &sitting),
        column("next", &next),
    );
    let (Some(iso3_at), Some(group_at), Some(sitting_at), Some(next_at)) = at else {
        return None;
    };
    let by_iso3: BTreeMap<&str, usize> = (states.iter().enumerate())
        .filter(|(_, s)| !s.iso3.is_empty())
        .map(|(i, s)| (s.iso3.as_str(), i))
        .collect();
    let names: Vec<&str> = seats.iter().map(|(g, _)| g.as_str()).collect();
    let n = states.len();
    let mut group_of: Vec<Option<u16>> = vec![None; n];
    let (mut sits, mut comes) = (vec![false; n], vec![false; n]);
    let mut first_row: BTreeMap<String, usize> = BTreeMap::new();
    let headers: Vec<String> = csv.headers.iter().map(str::to_owned).collect();
    while let Some(row) = csv.next_row(ctx) {
        let code = row.cell(iso3_at);
        if let Some(first) = first_row.get(code) {
            let message = format!("duplicate iso3 code {code:?} (first at row {first})");
            csv.error(ctx, &row, &headers[iso3_at], message);
            continue;
        }
        first_row.insert(code.to_owned(), row.number);
        let Some(&i) = by_iso3.get(code) else {
            continue;
        };
        let name = row.cell(group_at);
        if !name.is_empty() {
            match names.iter().position(|g| *g == name) {
                Some(g) => group_of[i] = Some(g as u16),
                None => {
                    let message = format!(
                        "group {name:?} has no seats in `seats` (which names {})",
                        names.join(", ")
                    );
                    csv.error(ctx, &row, &headers[group_at], message);
                }
            }
        }
        for (col, flags) in [(sitting_at, &mut sits), (next_at, &mut comes)] {
            match flag(row.cell(col)) {
                Some(f) => flags[i] = f,
                None => {
                    let message = format!(
                        "expected 1 or 0 (or true/false, yes/no, empty for no), found {:?}",
                        row.cell(col)
                    );
                    csv.error(ctx, &row, &headers[col], message);
                }
            }
        }
    }
    let name = |i: usize| states[i].name.as_str();
    let place = |key: &str| t.get(key).map_or(t.place().clone(), |n| n.place.clone());
    for i in 0..n {
        for (key, flags) in [("sitting", &sits), ("next", &comes)] {
            if !flags[i] {
                continue;
            }
            let why = if permanent.contains(&StateId::from_index(i)) {
                Some("is a permanent member")
            } else if group_of[i].is_none() {
                Some("is in no group with seats")
            } else if states[i].non_state {
                Some("is a non-state actor")
            } else {
                None
            };
            if let Some(why) = why {
                let message = format!("{} (column {key:?}) {why}", name(i));
                ctx.error(&place(key), &t.field(key), message);
            }
        }
    }
    // Per group: sitting = seats; those leaving at the first renewal as many as those
    // coming.
    for (g, (group, count)) in seats.iter().enumerate() {
        let in_group = |i: &usize| group_of[*i] == Some(g as u16);
        let sitting_now = (0..n).filter(in_group).filter(|&i| sits[i]).count();
        let leaving = (0..n)
            .filter(in_group)
            .filter(|&i| sits[i] && !comes[i])
            .count();
        let coming = (0..n)
            .filter(in_group)
            .filter(|&i| comes[i] && !sits[i])
            .count();
        if sitting_now != *count as usize {
            let message = format!(
                "group {group:?} has {count} seats but {sitting_now} members marked in column {sitting:?}"
            );
            ctx.error(&place("sitting"), &t.field("sitting"), message);
        } else if leaving != coming {
            let message = format!(
                "in group {group:?}, {leaving} sitting members are not in column {next:?} (their seats are renewed first) but {coming} new members are"
            );
            ctx.error(&place("next"), &t.field("next"), message);
        }
    }
    if ctx.error_count() > errors_before {
        return None;
    }
    let half = term / 2;
    Some(ElectedSeats {
        groups: seats.iter().map(|(g, _)| g.clone()).collect(),
        seats: seats.iter().map(|(_, c)| *c).collect(),
        group_of,
        term,
        sitting: (0..n)
            .filter(|&i| sits[i])
            .map(|i| (StateId::from_index(i), if comes[i] { term } else { half }))
            .collect(),
        next: (0..n)
            .filter(|&i| comes[i] && !sits[i])
            .map(StateId::from_index)
            .collect(),
    })
}

/// `seats = { group = count, ... }`: in file order, each count 1 ..= 65,535.
fn read_seats(ctx: &mut Ctx, t: &Table) -> Option<Vec<(String, u32)>> {
    let node = t.required(ctx, "seats")?;
    let field = t.field("seats");
    let Kind::Table(entries) = &node.kind else {
        ctx.type_error(node, &field, "a table of group = number of seats");
        return None;
    };
    let mut seats = Vec::new();
    for e in entries {
        let f = format!("{field}.{}", e.key);
        let count = ctx.integer(&e.value, &f, 1..=u16::MAX as i64)?;
        seats.push((e.key.clone(), count as u32));
    }
    if seats.is_empty() {
        ctx.error(
            &node.place,
            &field,
            "no groups: name at least one group and its seats",
        );
        return None;
    }
    Some(seats)
}

/// A 0/1 cell: 1, true, yes (any case) or 0, false, no, empty.
fn flag(cell: &str) -> Option<bool> {
    match cell.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Some(true),
        "" | "0" | "false" | "no" => Some(false),
        _ => None,
    }
}
