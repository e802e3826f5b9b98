//! The `landscape` rule's own output file, `configurations.csv`
//! (docs/rules/landscape.md "Outputs"): the local minima of the landscape (every one,
//! by exact enumeration, when there are at most `enumerate_max` actors), each with
//! its energy, its basin of attraction among `starts` random starts and the runs that
//! ended there; then any run's final configuration that is not a local minimum. And
//! `frustration.csv`: each actor's frustration in each of those configurations
//! (Axelrod and Bennett report theirs per actor).

use std::path::Path;

use crate::behaviour::landscape::{
    Landscape, Minimum, basins, chunk_bits, correct, enumerate_chunk, merge_minima, normalised,
    sides_of,
};
use crate::error::OutputError;
use crate::model::scenario::landscape::{CONFIGURATIONS, FRUSTRATION};
use crate::output::csv::number;
use crate::output::results::{CsvReader, ReadError};
use crate::scenario::Scenario;
use crate::scenario::rules::landscape::ENUMERATE_CAP;

/// Header of `configurations.csv`.
pub const HEADER: [&str; 14] = [
    "rank",
    "kind",
    "energy",
    "global_minimum",
    "local_minimum",
    "side_a",
    "side_b",
    "size_a",
    "size_b",
    "starts",
    "start_share",
    "runs",
    "run_share",
    "correct",
];

/// Header of `frustration.csv`.
pub const FRUSTRATION_HEADER: [&str; 9] = [
    "configuration",
    "rank",
    "kind",
    "actor",
    "side",
    "size",
    "frustration",
    "weighted",
    "would_move",
];

/// The rule's files `(name, bytes)` for the finished run directory `dir`.
pub fn files(scenario: &Scenario, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let runs = read_run_configs(scenario, &dir.join(crate::output::RUNS))?;
    let (table, actors) = tables(scenario, &runs).map_err(|source| OutputError::Csv {
        path: dir.join(CONFIGURATIONS),
        source,
    })?;
    Ok(vec![(CONFIGURATIONS, table), (FRUSTRATION, actors)])
}

/// Each run's final configuration ([`normalised`]) from the `side_<state>` columns
/// of `runs.csv` (the last `n` columns, so that a state's name can never be mistaken
/// for another metric).
fn read_run_configs(scenario: &Scenario, path: &Path) -> Result<Vec<Vec<u8>>, OutputError> {
    let mut reader = CsvReader::open(path)?;
    let width = reader.headers().len();
    let n = scenario.states.len();
    if width < n {
        return Err(ReadError::file(path, format!("expected {n} side_<state> columns")).into());
    }
    let mut out = Vec::new();
    let mut side = vec![0u8; n];
    while let Some(row) = reader.next_row()? {
        for (i, s) in side.iter_mut().enumerate() {
            *s = u8::from(row.text(width - n + i) == "1");
        }
        out.push(normalised(&side));
    }
    Ok(out)
}

/// Every local minimum of `land` (as [`crate::behaviour::landscape::enumerate`]),
/// its `2^chunk_bits(n)` chunks computed with [`crate::batch::par_map`] on the current
/// rayon pool: the chunks are fixed by `n`, so the result is the same for any thread
/// count. Needs `n ≤ 64`; practical to about 30 (the benches time 20 and 25).
pub fn enumerate_parallel(land: &Landscape) -> Vec<Minimum> {
    let parts = crate::batch::par_map(1 << chunk_bits(land.n), |c| enumerate_chunk(land, c));
    merge_minima(land, parts)
}

/// One row before formatting.
struct Row {
    /// The sides, [`normalised`].
    side: Vec<u8>,
    energy: f64,
    local: bool,
    enumerated: bool,
    /// The observed alignment's own row.
    observed: bool,
}

/// The bytes of `configurations.csv` for a scenario whose runs ended in `runs`
/// (sides, one per run, in run order, [`normalised`]). Rows: the local minima by
/// energy (`rank` 1 = lowest; ties by sides), kind `minimum` when enumerated (with
/// `global_minimum` yes/no) or `local_minimum` when only reached by the starts or runs
/// (`global_minimum` empty: not known), then the runs' final configurations that are
/// no local minimum (kind `unsettled`, no rank), then, if the scenario gives one, the
/// observed alignment (kind `observed`, no rank; its `local_minimum` says whether
/// anyone in it would move).
pub fn configurations(scenario: &Scenario, runs: &[Vec<u8>]) -> Result<Vec<u8>, csv::Error> {
    tables(scenario, runs).map(|(table, _)| table)
}

/// The bytes of `frustration.csv` for the same configurations: for each row of
/// `configurations.csv`, in its order (`configuration` = its row number, from 1), one
/// row per actor with its side (`a`: the first actor's), size `s_i`, frustration
/// `F_i = Σ_{j≠i} s_j p_ij d_ij`, `weighted` = `s_i F_i` (the weighted values of a
/// configuration sum to its energy) and whether it would move.
pub fn frustration(scenario: &Scenario, runs: &[Vec<u8>]) -> Result<Vec<u8>, csv::Error> {
    tables(scenario, runs).map(|(_, actors)| actors)
}

/// `configurations.csv` and `frustration.csv`, from one enumeration.
fn tables(scenario: &Scenario, runs: &[Vec<u8>]) -> Result<(Vec<u8>, Vec<u8>), csv::Error> {
    let spec = &scenario.behaviour.landscape;
    let land = Landscape::from_scenario(scenario);
    let n = land.n;
    let enumerated = n >= 1 && n <= spec.enumerate_max as usize && n <= ENUMERATE_CAP as usize;
    let minima: Vec<Minimum> = if enumerated {
        enumerate_parallel(&land)
    } else {
        Vec::new()
    };
    let ends = basins(&land, spec.starts, scenario.seed);
    let rows = rows_of(&land, &minima, &ends, runs, spec.observed.as_deref());
    let (rank, order) = ranked(&rows);
    let global = minima.first().map(|m| m.energy);
    let starts_total = spec.starts as f64;
    let runs_total = runs.len() as f64;
    let mut w = crate::output::csv::writer(Vec::new());
    w.write_record(HEADER)?;
    let mut actors = crate::output::csv::writer(Vec::new());
    actors.write_record(FRUSTRATION_HEADER)?;
    for (line, r) in order.into_iter().enumerate() {
        let row = &rows[r];
        let side = &row.side;
        let names = |which: u8| {
            scenario
                .states
                .iter()
                .zip(side)
                .filter(|&(_, &s)| s == which)
                .map(|(st, _)| st.name.as_str())
                .collect::<Vec<_>>()
                .join(";")
        };
        let size = |which: u8| {
            side.iter()
                .zip(&land.size)
                .filter(|&(&s, _)| s == which)
                .map(|(_, &v)| v)
                .sum::<f64>()
        };
        let starts = ends
            .binary_search_by(|(c, _)| c.cmp(side))
            .map_or(0, |k| ends[k].1);
        let in_runs = runs.iter().filter(|&c| c == side).count();
        let kind = match (row.observed, row.local, row.enumerated) {
            (true, _, _) => "observed",
            (false, true, true) => "minimum",
            (false, true, false) => "local_minimum",
            (false, false, _) => "unsettled",
        };
        let is_global = match (global, row.local && enumerated) {
            (Some(g), true) => {
                if is_same_energy(row.energy, g) {
                    "true"
                } else {
                    "false"
                }
            }
            _ if enumerated => "false",
            _ => "",
        };
        let share = |k: usize, total: f64| {
            if total > 0.0 {
                number(k as f64 / total)
            } else {
                String::new()
            }
        };
        let right = spec
            .observed
            .as_ref()
            .map_or(String::new(), |o| correct(side, o).to_string());
        let rank = if rank[r] == 0 {
            String::new()
        } else {
            rank[r].to_string()
        };
        for (i, state) in scenario.states.iter().enumerate() {
            let f = land.frustration(side, i);
            actors.write_record([
                (line + 1).to_string(),
                rank.clone(),
                kind.to_owned(),
                state.name.clone(),
                if side[i] == 0 { "a" } else { "b" }.to_owned(),
                number(land.size[i]),
                number(f),
                number(land.size[i] * f),
                land.wants_to_move(side, i).to_string(),
            ])?;
        }
        w.write_record([
            rank,
            kind.to_owned(),
            number(row.energy),
            is_global.to_owned(),
            row.local.to_string(),
            names(0),
            names(1),
            number(size(0)),
            number(size(1)),
            starts.to_string(),
            share(starts as usize, starts_total),
            in_runs.to_string(),
            share(in_runs, runs_total),
            right,
        ])?;
    }
    let bytes = |w: csv::Writer<Vec<u8>>| {
        w.into_inner()
            .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
    };
    Ok((bytes(w)?, bytes(actors)?))
}

/// The table's configurations before ranking: the enumerated minima, then the other
/// ends of the starts and runs (local minima first, by energy), then the observed
/// alignment if there is one.
fn rows_of(
    land: &Landscape,
    minima: &[Minimum],
    ends: &[(Vec<u8>, u32)],
    runs: &[Vec<u8>],
    observed: Option<&[bool]>,
) -> Vec<Row> {
    let n = land.n;
    let mut rows: Vec<Row> = minima
        .iter()
        .map(|m| {
            let mut side = Vec::with_capacity(n);
            sides_of(m.config, n, &mut side);
            Row {
                side,
                energy: m.energy,
                local: true,
                enumerated: true,
                observed: false,
            }
        })
        .collect();
    let mut extra: Vec<&Vec<u8>> = ends.iter().map(|(c, _)| c).chain(runs.iter()).collect();
    extra.sort_unstable();
    extra.dedup();
    let mut others: Vec<Row> = extra
        .into_iter()
        .filter(|c| !rows.iter().any(|r| &r.side == *c))
        .map(|c| Row {
            side: c.clone(),
            energy: land.energy(c),
            local: land.is_local_minimum(c),
            enumerated: false,
            observed: false,
        })
        .collect();
    others.sort_by(|a, b| {
        b.local
            .cmp(&a.local)
            .then(a.energy.total_cmp(&b.energy))
            .then(a.side.cmp(&b.side))
    });
    rows.extend(others);
    if let Some(o) = observed {
        let side: Vec<u8> = o.iter().map(|&b| u8::from(b)).collect();
        rows.push(Row {
            energy: land.energy(&side),
            local: land.is_local_minimum(&side),
            side: normalised(&side),
            enumerated: false,
            observed: true,
        });
    }
    rows
}

/// Each row's rank (0 for none) and the order rows are written in: local minima
/// (enumerated first, then the others) are ranked together by energy.
fn ranked(rows: &[Row]) -> (Vec<usize>, Vec<usize>) {
    let mut ranked: Vec<usize> = (0..rows.len())
        .filter(|&r| rows[r].local && !rows[r].observed)
        .collect();
    ranked.sort_by(|&a, &b| {
        rows[a]
            .energy
            .total_cmp(&rows[b].energy)
            .then(rows[a].side.cmp(&rows[b].side))
    });
    let mut rank = vec![0usize; rows.len()];
    for (k, &r) in ranked.iter().enumerate() {
        rank[r] = k + 1;
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&r| (rank[r] == 0, rank[r], r));
    (rank, order)
}

/// Whether two energies are equal up to rounding (`1e-9` relative, `1e-12` absolute).
fn is_same_energy(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 + 1e-9 * a.abs().max(b.abs())
}
