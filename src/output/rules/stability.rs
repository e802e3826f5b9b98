//! The `stability` rule's own output file, `stability.csv`: the exhaustive check over
//! coalition sizes `k = 1..=N` for `N` symmetric states with the scenario's payoff
//! specification, `benefit` and `cost` (the textbook benchmark, whatever
//! `benefit_by`), and beside each size how many of the batch's runs ended with an
//! agreement of that size (read back from `runs.csv`).
//!
//! Columns: `k`, `member_payoff`, `outsider_payoff` (empty at `k = N`),
//! `abatement_total`, `internally_stable`, `externally_stable`, `stable` (0/1),
//! `closed_form` (1 on the closed-form stable size), `runs_ended` (runs whose final
//! `coalition_size` was `k`; size 0, no state in, is counted at `k = 1`: both mean
//! that nobody cooperates), `runs_ended_stable` (of those, the runs whose final
//! agreement was stable). `closed_form` is empty for every size where no closed form
//! exists (barrett payoffs with members leading).
//!
//! And `stability_by_ratio.csv`: the same exhaustive check at each cost-benefit ratio
//! `c/b` of `behaviour::stability::ratio_grid` and the scenario's own, for both orders
//! of moves. Columns: `ratio`, `moves`, `stable_sizes` (the stable sizes, separated
//! by spaces), `stable_size` (the largest), `closed_form` (the closed-form sizes;
//! empty: none), `abatement_none`, `abatement_stable`, `abatement_full` (`Q` with no
//! agreement, at the largest stable size, with everyone in), `gain_share` (the share
//! of the gain from full cooperation that agreement gets), `full_gain` (that gain
//! relative to the payoffs without agreement), `scenario` (1 on the
//! scenario's own ratio), `runs_size_mean` (on the scenario's own ratio and order of
//! moves: the runs' mean final `coalition_size`, size 0 counted as 1).

use std::path::Path;

use crate::behaviour::stability::{RatioRow, SizeCheck, by_ratio, closed_form, stable_sizes};
use crate::error::OutputError;
use crate::model::scenario::stability::{STABILITY, STABILITY_BY_RATIO};
use crate::output::csv::{columns, number, writer};
use crate::output::results::CsvReader;
use crate::scenario::Scenario;

/// The rule's files `(name, bytes)` for the finished run directory `dir`.
pub fn files(scenario: &Scenario, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let n = scenario.states.len();
    let (ended, ended_stable) = final_sizes(&dir.join("runs.csv"), n)?;
    Ok(vec![
        (STABILITY, table(scenario, &ended, &ended_stable)?),
        (STABILITY_BY_RATIO, ratio_table(scenario, &ended)?),
    ])
}

/// `stability_by_ratio.csv`'s bytes; `ended[k]` counts runs by final size.
fn ratio_table(scenario: &Scenario, ended: &[u64]) -> Result<Vec<u8>, OutputError> {
    let spec = &scenario.behaviour.stability;
    let runs: u64 = ended.iter().sum();
    let mean = if runs == 0 {
        f64::NAN
    } else {
        let total: u64 = ended.iter().enumerate().map(|(k, &c)| k as u64 * c).sum();
        total as f64 / runs as f64
    };
    let csv_error = |source| OutputError::Csv {
        path: STABILITY_BY_RATIO.into(),
        source,
    };
    let mut w = writer(Vec::new());
    w.write_record(RATIO_HEADER).map_err(csv_error)?;
    for r in by_ratio(spec, scenario.states.len()) {
        let own = r.scenario && r.moves == spec.moves;
        w.write_record(ratio_row(&r, if own { mean } else { f64::NAN }))
            .map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| OutputError::Mismatch(format!("writing {STABILITY_BY_RATIO}: {e}")))
}

/// Sizes separated by spaces ("2 3"; empty for none).
fn sizes(ks: &[usize]) -> String {
    ks.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

columns! {
    /// One row of `stability_by_ratio.csv`; `runs_mean` the runs' mean final size
    /// (NaN, written empty, except on the scenario's own ratio and moves).
    fn ratio_row(r: &RatioRow, runs_mean: f64) -> RATIO_HEADER {
        "ratio" => number(r.ratio),
        "moves" => r.moves.as_str().to_owned(),
        "stable_sizes" => sizes(&r.stable),
        "stable_size" => r.stable.last().map_or_else(String::new, usize::to_string),
        "closed_form" => sizes(&r.closed),
        "abatement_none" => number(r.abatement_none),
        "abatement_stable" => number(r.abatement_stable),
        "abatement_full" => number(r.abatement_full),
        "gain_share" => number(r.gain_share),
        "full_gain" => number(r.full_gain),
        "scenario" => flag(r.scenario),
        "runs_size_mean" => number(runs_mean),
    }
}

/// The table's bytes; `ended[k]` and `ended_stable[k]` count runs by final size.
fn table(scenario: &Scenario, ended: &[u64], ended_stable: &[u64]) -> Result<Vec<u8>, OutputError> {
    let spec = &scenario.behaviour.stability;
    let n = scenario.states.len();
    let closed = closed_form(spec, n);
    let closed = (!closed.is_empty()).then_some(closed.as_slice());
    let csv_error = |source| OutputError::Csv {
        path: STABILITY.into(),
        source,
    };
    let mut w = writer(Vec::new());
    w.write_record(STABILITY_HEADER).map_err(csv_error)?;
    for r in stable_sizes(spec, n) {
        w.write_record(stability_row(&r, closed, ended, ended_stable))
            .map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| OutputError::Mismatch(format!("writing stability.csv: {e}")))
}

/// `0` or `1`.
fn flag(b: bool) -> String {
    u8::from(b).to_string()
}

columns! {
    /// One row of `stability.csv`: size `r.k`, `closed` the closed-form stable size,
    /// `ended` and `ended_stable` the runs by final size.
    fn stability_row(r: &SizeCheck, closed: Option<&[usize]>, ended: &[u64], ended_stable: &[u64]) -> STABILITY_HEADER {
        "k" => r.k.to_string(),
        "member_payoff" => number(r.member_payoff),
        "outsider_payoff" => number(r.outsider_payoff),
        "abatement_total" => number(r.abatement_total),
        "internally_stable" => flag(r.internally_stable),
        "externally_stable" => flag(r.externally_stable),
        "stable" => flag(r.stable()),
        "closed_form" => closed.map_or_else(String::new, |c| flag(c.contains(&r.k))),
        "runs_ended" => ended[r.k].to_string(),
        "runs_ended_stable" => ended_stable[r.k].to_string(),
    }
}

/// Counts of runs by final `coalition_size` (index `0..=n`; size 0 counted at 1), all
/// and stable, from `runs.csv`.
fn final_sizes(path: &Path, n: usize) -> Result<(Vec<u64>, Vec<u64>), OutputError> {
    let mut reader = CsvReader::open(path)?;
    let (size_col, stable_col) = (reader.column("coalition_size")?, reader.column("stable")?);
    let mut ended = vec![0u64; n + 1];
    let mut ended_stable = vec![0u64; n + 1];
    while let Some(row) = reader.next_row()? {
        let size = row.num(size_col)?;
        if size.is_nan() {
            return Err(row.error(size_col, "a run without a coalition_size").into());
        }
        let k = (size as usize).clamp(1, n.max(1));
        if k < ended.len() {
            ended[k] += 1;
            if row.num(stable_col)? == 1.0 {
                ended_stable[k] += 1;
            }
        }
    }
    Ok((ended, ended_stable))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(extra: &str) -> Scenario {
        let mut text = String::from(
            "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n[behaviour]\nrule = \"stability\"\n",
        );
        text.push_str(extra);
        for i in 0..5 {
            text.push_str(&format!(
                "[[states]]\nname = \"S{i}\"\ncapabilities = {{ gdp = 1 }}\n"
            ));
        }
        Scenario::from_toml(&text, "t.toml", Path::new("."), &[])
            .expect("valid")
            .scenario
    }

    #[test]
    fn the_table_of_five_symmetric_states_with_quadratic_payoffs() {
        let dir = tempfile::tempdir().unwrap();
        let runs = dir.path().join("runs.csv");
        std::fs::write(
            &runs,
            "run,seed,coalition_size,stable\n0,1,3,1\n1,1,3,1\n2,1,4,0\n3,1,0,0\n",
        )
        .unwrap();
        let s = scenario("");
        let files = files(&s, dir.path()).unwrap();
        assert_eq!(files[0].0, "stability.csv");
        let text = String::from_utf8(files[0].1.clone()).unwrap();
        // b = c = 1, N = 5: member k²/2 + 5 − k, outsider k² + 5 − k − 1/2, Q = k² + 5 − k.
        assert_eq!(
            text,
            "k,member_payoff,outsider_payoff,abatement_total,internally_stable,externally_stable,stable,closed_form,runs_ended,runs_ended_stable\n\
             1,4.5,4.5,5,1,0,0,0,1,0\n\
             2,5,6.5,7,1,0,0,0,0,0\n\
             3,6.5,10.5,11,1,1,1,1,2,2\n\
             4,9,16.5,17,0,1,0,0,1,0\n\
             5,12.5,,25,0,1,0,0,0,0\n"
        );
    }

    #[test]
    fn a_runs_file_without_the_columns_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("runs.csv"), "run,seed\n0,1\n").unwrap();
        let e = files(&scenario(""), dir.path()).unwrap_err().to_string();
        assert!(e.contains("column coalition_size: no such column"), "{e}");
    }
}
