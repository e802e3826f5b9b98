//! CSV rows → bytes. The only module that knows the `csv` crate on the way out.
//! Numbers are written in Rust's shortest round-trip form (bit-identical on every
//! platform); an undefined value (NaN) is an empty cell, which pandas and R read as
//! missing.

use std::io::Write;

use crate::batch::{CoalitionRow, MembershipRow, RunResult};
use crate::metrics::stats::Summary;
use crate::scenario::Scenario;

/// Formats a number for a CSV cell.
pub fn number(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

/// A CSV writer over any byte sink.
pub fn writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().has_headers(false).from_writer(w)
}

/// Header of `runs.csv`: `run, seed`, then every outcome metric.
pub fn runs_header(metric_columns: &[String]) -> Vec<String> {
    let mut h = vec!["run".to_string(), "seed".to_string()];
    h.extend(metric_columns.iter().cloned());
    h
}

/// One row of `runs.csv`.
pub fn runs_row(seed: u64, r: &RunResult, values: &[f64]) -> Vec<String> {
    let mut row = Vec::with_capacity(values.len() + 2);
    row.push(r.key.replicate.to_string());
    row.push(seed.to_string());
    row.extend(values.iter().map(|&v| number(v)));
    row
}

/// Header of `coalitions.csv`.
pub const COALITIONS_HEADER: [&str; 15] = [
    "run",
    "id",
    "issue",
    "founder",
    "leader_class",
    "type",
    "institutionalisation",
    "founded",
    "ended",
    "reason",
    "members",
    "peak_size",
    "progress",
    "adopted",
    "endorsed",
];

/// One row of `coalitions.csv`; members are `;`-separated names.
pub fn coalition_row(scenario: &Scenario, run: u32, c: &CoalitionRow) -> [String; 15] {
    let name = |s: crate::model::ids::StateId| scenario.states[s.index()].name.as_str();
    [
        run.to_string(),
        c.serial.to_string(),
        scenario.issues[c.issue.index()].name.clone(),
        name(c.founder).to_string(),
        if c.great_power_led {
            "great_power"
        } else {
            "microlateral"
        }
        .to_string(),
        c.kind.as_str().to_string(),
        number(c.institutionalisation),
        c.founded.to_string(),
        c.ended.to_string(),
        c.reason.as_str().to_string(),
        c.members
            .iter()
            .map(|&m| name(m))
            .collect::<Vec<_>>()
            .join(";"),
        c.peak_size.to_string(),
        number(c.progress),
        c.adopted.to_string(),
        c.endorsed.to_string(),
    ]
}

/// Header of `memberships.csv`: the members of `coalitions.csv` in long form, one row
/// per coalition, member and stay.
pub const MEMBERSHIPS_HEADER: [&str; 5] = ["run", "coalition", "member", "joined", "left"];

/// One row of `memberships.csv`; `left` is empty for a member still inside when the
/// run ended.
pub fn membership_row(scenario: &Scenario, run: u32, m: &MembershipRow) -> [String; 5] {
    [
        run.to_string(),
        m.coalition.to_string(),
        scenario.states[m.member.index()].name.clone(),
        m.joined.to_string(),
        m.left.map_or(String::new(), |t| t.to_string()),
    ]
}

/// `states.csv`: the scenario's states as the run saw them (capabilities raw, as
/// declared), so charts and analyses need not re-read the scenario.
pub fn states_table(scenario: &Scenario) -> Result<Vec<u8>, csv::Error> {
    let mut w = writer(Vec::new());
    let mut header: Vec<String> = [
        "state",
        "iso3",
        "region",
        "population",
        "great_power",
        "challenger",
        "non_state",
        "labels",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(scenario.capabilities.iter().cloned());
    w.write_record(&header)?;
    for (i, s) in scenario.states.iter().enumerate() {
        let labels: Vec<&str> = scenario
            .labels
            .iter()
            .enumerate()
            .filter(|(bit, _)| s.labels >> bit & 1 == 1)
            .map(|(_, l)| l.as_str())
            .collect();
        let mut row = vec![
            s.name.clone(),
            s.iso3.clone(),
            s.region.clone(),
            number(s.population),
            scenario
                .great_powers
                .iter()
                .any(|g| g.index() == i)
                .to_string(),
            s.challenger.to_string(),
            s.non_state.to_string(),
            labels.join(";"),
        ];
        row.extend(s.capabilities.iter().map(|&c| number(c)));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Header of `summary.csv`.
pub const SUMMARY_HEADER: [&str; 10] = [
    "metric",
    "n",
    "mean",
    "sd",
    "p2_5",
    "median",
    "p97_5",
    "ci95_low",
    "ci95_high",
    "runs",
];

/// One row of `summary.csv`.
pub fn summary_row(metric: &str, s: &Summary, runs: usize) -> [String; 10] {
    [
        metric.to_string(),
        s.n.to_string(),
        number(s.mean),
        number(s.sd),
        number(s.p2_5),
        number(s.median),
        number(s.p97_5),
        number(s.ci_low),
        number(s.ci_high),
        runs.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_nan_is_empty() {
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(f64::NAN), "");
        let x = 0.8567741680367353;
        assert_eq!(number(x).parse::<f64>().unwrap(), x);
    }
}
