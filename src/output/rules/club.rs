//! The `club` rule's own output file, `club.csv`: every coalition that is Nash stable
//! (exhaustive, up to 16 regions) and every coalition a run of the batch ended in
//! (read back from `runs.csv`'s `club_code`), one row per (coalition, region).
//!
//! Columns: `coalition` (the bit set: bit `i` is the `i`-th state), `size`, `stable`
//! (Nash stable: no region gains by changing status alone; empty beyond 16 regions),
//! `group_stable` (no set of regions all gains by changing status together),
//! `runs_ended` (runs whose final club it was), `region`, `member` (0/1),
//! `carbon_price` ($/tCO2), `abatement_rate`, `abatement_cost`, `climate_benefit`,
//! `trade_effect`, `payoff` (billion US$ a year).

use std::collections::BTreeMap;
use std::path::Path;

use crate::behaviour::club::{Economy, Outcome, payoff_table, stable_coalitions};
use crate::error::OutputError;
use crate::model::scenario::club::{CLUB, MAX_EXHAUSTIVE};
use crate::output::csv::{columns, number, writer};
use crate::output::results::CsvReader;
use crate::scenario::Scenario;

/// One coalition's row header: its stability and how many runs ended there.
#[derive(Clone, Copy, Debug, Default)]
struct Found {
    /// Nash stable (`None`: not checked).
    stable: Option<bool>,
    /// Group stable (`None`: not checked).
    group_stable: Option<bool>,
    /// Runs whose final club it was.
    runs_ended: u64,
}

/// The rule's files `(name, bytes)` for the finished run directory `dir`.
pub fn files(scenario: &Scenario, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let ended = final_clubs(&dir.join("runs.csv"))?;
    Ok(vec![(CLUB, table(scenario, &ended)?)])
}

/// The table's bytes; `ended` counts runs by final coalition.
fn table(scenario: &Scenario, ended: &BTreeMap<u32, u64>) -> Result<Vec<u8>, OutputError> {
    let spec = &scenario.behaviour.club;
    let eco = Economy::new(scenario, spec);
    let n = eco.n;
    let mut found: BTreeMap<u32, Found> = BTreeMap::new();
    let checked = n <= MAX_EXHAUSTIVE && n > 0;
    let table = if checked {
        payoff_table(&eco)
    } else {
        Vec::new()
    };
    if checked {
        for (s, g) in stable_coalitions(&eco, spec.ties, &table) {
            found.insert(
                s,
                Found {
                    stable: Some(true),
                    group_stable: Some(g),
                    runs_ended: 0,
                },
            );
        }
    }
    for (&s, &runs) in ended {
        let entry = found.entry(s).or_insert_with(|| Found {
            stable: checked.then(|| crate::behaviour::club::nash_stable(&table, n, spec.ties, s)),
            group_stable: checked
                .then(|| crate::behaviour::club::group_stable(&table, n, spec.ties, s)),
            runs_ended: 0,
        });
        entry.runs_ended = runs;
    }
    let csv_error = |source| OutputError::Csv {
        path: CLUB.into(),
        source,
    };
    let mut w = writer(Vec::new());
    w.write_record(CLUB_HEADER).map_err(csv_error)?;
    for (&s, f) in &found {
        for (i, state) in scenario.states.iter().enumerate() {
            let o = eco.outcome(s, i);
            w.write_record(club_row(s, f, &state.name, s >> i & 1 == 1, &o))
                .map_err(csv_error)?;
        }
    }
    w.into_inner()
        .map_err(|e| OutputError::Mismatch(format!("writing club.csv: {e}")))
}

/// `0`, `1` or empty.
fn flag(b: Option<bool>) -> String {
    b.map_or_else(String::new, |b| u8::from(b).to_string())
}

columns! {
    /// One row of `club.csv`: region `name` under coalition `s`.
    fn club_row(s: u32, f: &Found, name: &str, member: bool, o: &Outcome) -> CLUB_HEADER {
        "coalition" => s.to_string(),
        "size" => s.count_ones().to_string(),
        "stable" => flag(f.stable),
        "group_stable" => flag(f.group_stable),
        "runs_ended" => f.runs_ended.to_string(),
        "region" => name.to_owned(),
        "member" => u8::from(member).to_string(),
        "carbon_price" => number(o.price),
        "abatement_rate" => number(o.mu),
        "abatement_cost" => number(o.cost),
        "climate_benefit" => number(o.benefit),
        "trade_effect" => number(o.trade),
        "payoff" => number(o.payoff),
    }
}

/// Runs by final coalition (`club_code`), from `runs.csv`.
fn final_clubs(path: &Path) -> Result<BTreeMap<u32, u64>, OutputError> {
    let mut reader = CsvReader::open(path)?;
    let code = reader.column("club_code")?;
    let mut ended = BTreeMap::new();
    while let Some(row) = reader.next_row()? {
        let c = row.num(code)?;
        if c.is_nan() || c < 0.0 {
            return Err(row.error(code, "a run without a club_code").into());
        }
        *ended.entry(c as u32).or_insert(0) += 1;
    }
    Ok(ended)
}
