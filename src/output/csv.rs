//! CSV rows → bytes. The only module that knows the `csv` crate on the way out.
//! Numbers are written in Rust's shortest round-trip form (bit-identical on every
//! platform); an undefined value (NaN) is an empty cell, which pandas and R read as
//! missing.

use std::io::Write;

use crate::batch::{CoalitionRow, MembershipRow, RunResult};
use crate::metrics::stats::Summary;
use crate::model::typology::TechType;
use crate::scenario::Scenario;

/// Formats a number for a CSV cell.
pub fn number(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

/// The CSV writer of every output.
pub type Writer<W> = csv::Writer<W>;

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

/// Defines the fixed columns of a CSV file once, each name beside its value, so that
/// a header and its rows cannot drift apart (two columns swapped in one list but not
/// the other would be silent):
///
/// ```ignore
/// columns! {
///     /// One row of `summary.csv`.
///     pub fn summary_row(metric: &str, s: &Summary, runs: usize) -> SUMMARY_HEADER {
///         "metric" => metric.to_string(),
///         "n" => s.n.to_string(),
///         ...
///     }
/// }
/// ```
///
/// gives `pub const SUMMARY_HEADER: &[&str]` (the names, in order) and
/// `pub fn summary_row(..) -> Vec<String>` (the cells, in the same order). `let`
/// statements before the first column are computed once per row.
macro_rules! columns {
    (
        $(#[$doc:meta])*
        $vis:vis fn $row:ident($($arg:ident: $ty:ty),* $(,)?) -> $header:ident {
            $(let $p:pat = $e:expr;)*
            $($name:literal => $value:expr),+ $(,)?
        }
    ) => {
        #[doc = concat!("The names of the columns [`", stringify!($row), "`] fills, in order.")]
        $vis const $header: &[&str] = &[$($name),+];
        $(#[$doc])*
        $vis fn $row($($arg: $ty),*) -> Vec<String> {
            $(let $p = $e;)*
            vec![$($value),+]
        }
    };
}
pub(crate) use columns;

columns! {
    /// One row of `coalitions.csv`; members are `;`-separated names.
    pub fn coalition_row(scenario: &Scenario, run: u32, c: &CoalitionRow) -> COALITIONS_HEADER {
        let name = |s: crate::model::ids::StateId| scenario.states[s.index()].name.as_str();
        "run" => run.to_string(),
        "id" => c.serial.to_string(),
        "issue" => scenario.issues[c.issue.index()].name.clone(),
        "founder" => name(c.founder).to_string(),
        "leader_class" => if c.great_power_led { "great_power" } else { "microlateral" }.to_string(),
        "type" => c.kind.as_str().to_string(),
        "haass_type" => c.haass.as_str().to_string(),
        "tech_type" => TechType::of_domain(scenario.issues[c.issue.index()].domain).as_str().to_string(),
        "dispersion" => number(c.dispersion),
        "institutionalisation" => number(c.institutionalisation),
        "founded" => c.founded.to_string(),
        "ended" => c.ended.to_string(),
        "reason" => c.reason.as_str().to_string(),
        "members" => c.members.iter().map(|&m| name(m)).collect::<Vec<_>>().join(";"),
        "peak_size" => c.peak_size.to_string(),
        "progress" => number(c.progress),
        "attempted" => c.attempted.to_string(),
        "adopted" => c.adopted.to_string(),
        "endorsed" => c.endorsed.to_string(),
    }
}

columns! {
    /// One row of `memberships.csv` (the members of `coalitions.csv` in long form, one
    /// row per coalition, member and stay); `left` is empty for a member still inside
    /// when the run ended.
    pub fn membership_row(scenario: &Scenario, run: u32, m: &MembershipRow) -> MEMBERSHIPS_HEADER {
        "run" => run.to_string(),
        "coalition" => m.coalition.to_string(),
        "member" => scenario.states[m.member.index()].name.clone(),
        "joined" => m.joined.to_string(),
        "left" => m.left.map_or(String::new(), |t| t.to_string()),
    }
}

columns! {
    /// The fixed columns of a row of `states.csv` (state `i`); one column per
    /// capability follows.
    pub fn state_row(scenario: &Scenario, i: usize) -> STATES_HEADER {
        let s = &scenario.states[i];
        "state" => s.name.clone(),
        "iso3" => s.iso3.clone(),
        "region" => s.region.clone(),
        "population" => number(s.population),
        "great_power" => scenario.great_powers.iter().any(|g| g.index() == i).to_string(),
        "challenger" => s.challenger.to_string(),
        "non_state" => s.non_state.to_string(),
        "labels" => scenario
            .labels
            .iter()
            .enumerate()
            .filter(|(bit, _)| s.labels >> bit & 1 == 1)
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    }
}

/// `states.csv`: the scenario's states as the run saw them (capabilities raw, as
/// declared; negative values kept by `[data] negative = "keep"` as the data gives
/// them), so charts and analyses need not re-read the scenario.
pub fn states_table(scenario: &Scenario) -> Result<Vec<u8>, csv::Error> {
    let mut w = writer(Vec::new());
    let mut header: Vec<String> = STATES_HEADER.iter().map(|s| s.to_string()).collect();
    header.extend(scenario.capabilities.iter().cloned());
    w.write_record(&header)?;
    for (i, s) in scenario.states.iter().enumerate() {
        let mut row = state_row(scenario, i);
        row.extend((0..s.capabilities.len()).map(|d| number(s.recorded(d))));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

columns! {
    /// One row of `summary.csv` (and the statistics of a row of `points.csv`).
    pub fn summary_row(metric: &str, s: &Summary, runs: usize) -> SUMMARY_HEADER {
        "metric" => metric.to_string(),
        "n" => s.n.to_string(),
        "mean" => number(s.mean),
        "sd" => number(s.sd),
        "p2_5" => number(s.p2_5),
        "median" => number(s.median),
        "p97_5" => number(s.p97_5),
        "ci95_low" => number(s.ci_low),
        "ci95_high" => number(s.ci_high),
        "runs" => runs.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `row` read back by `header`'s names.
    fn by_name<'a>(
        header: &[&'a str],
        row: &'a [String],
    ) -> std::collections::BTreeMap<&'a str, &'a str> {
        assert_eq!(header.len(), row.len(), "{header:?}");
        header
            .iter()
            .copied()
            .zip(row.iter().map(String::as_str))
            .collect()
    }

    fn scenario() -> Scenario {
        let mut text = String::from(
            "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\n\
             [[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n\
             [[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n",
        );
        for name in ["A", "B", "C"] {
            text.push_str(&format!(
                "[[states]]\nname = \"{name}\"\ncapabilities = {{ gdp = 1 }}\n"
            ));
        }
        Scenario::from_toml(&text, "t.toml", std::path::Path::new("."), &[])
            .expect("valid")
            .scenario
    }

    #[test]
    fn every_coalition_and_membership_column_holds_its_own_value() {
        use crate::model::ids::{IssueId, StateId};
        use crate::model::venue::{CoalitionKind, EndReason};
        let s = scenario();
        let c = CoalitionRow {
            serial: 3,
            issue: IssueId(1),
            founder: StateId(2),
            great_power_led: true,
            kind: CoalitionKind::Bloc,
            haass: crate::model::typology::HaassType::Regional,
            dispersion: 0.125,
            institutionalisation: 0.25,
            founded: 4,
            ended: 9,
            reason: EndReason::Deadline,
            members: vec![StateId(2), StateId(0)],
            peak_size: 2,
            progress: 0.75,
            attempted: 8,
            adopted: 5,
            endorsed: 6,
        };
        let row = coalition_row(&s, 11, &c);
        let cell = by_name(COALITIONS_HEADER, &row);
        let want = [
            ("run", "11"),
            ("id", "3"),
            ("issue", "trade"),
            ("founder", "C"),
            ("leader_class", "great_power"),
            ("type", "bloc"),
            ("haass_type", "regional"),
            ("dispersion", "0.125"),
            ("institutionalisation", "0.25"),
            ("founded", "4"),
            ("ended", "9"),
            ("reason", EndReason::Deadline.as_str()),
            ("members", "C;A"),
            ("peak_size", "2"),
            ("progress", "0.75"),
            ("attempted", "8"),
            ("adopted", "5"),
            ("endorsed", "6"),
        ];
        for (name, value) in want {
            assert_eq!(cell[name], value, "column {name}");
        }
        let m = MembershipRow {
            coalition: 3,
            member: StateId(1),
            joined: 4,
            left: Some(7),
        };
        let row = membership_row(&s, 11, &m);
        let cell = by_name(MEMBERSHIPS_HEADER, &row);
        for (name, value) in [
            ("run", "11"),
            ("coalition", "3"),
            ("member", "B"),
            ("joined", "4"),
            ("left", "7"),
        ] {
            assert_eq!(cell[name], value, "column {name}");
        }
    }

    #[test]
    fn every_summary_column_holds_its_own_value() {
        // Distinct values in every column: a swap of two columns would show.
        let s = Summary {
            n: 7,
            mean: 0.1,
            sd: 0.2,
            p2_5: 0.3,
            median: 0.4,
            p97_5: 0.5,
            ci_low: 0.6,
            ci_high: 0.7,
        };
        let row = summary_row("progress_climate", &s, 9);
        let cell = by_name(SUMMARY_HEADER, &row);
        let want = [
            ("metric", "progress_climate"),
            ("n", "7"),
            ("mean", "0.1"),
            ("sd", "0.2"),
            ("p2_5", "0.3"),
            ("median", "0.4"),
            ("p97_5", "0.5"),
            ("ci95_low", "0.6"),
            ("ci95_high", "0.7"),
            ("runs", "9"),
        ];
        for (name, value) in want {
            assert_eq!(cell[name], value, "column {name}");
        }
    }

    #[test]
    fn numbers_round_trip_and_nan_is_empty() {
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(f64::NAN), "");
        let x = 0.8567741680367353;
        assert_eq!(number(x).parse::<f64>().unwrap(), x);
    }
}
