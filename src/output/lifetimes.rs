//! EDGE OUT: `lifetimes.csv`, coalition survival by type, pooled over the runs of a
//! `minilat run` from its `coalitions.csv`: the censoring-free companion of the
//! `lifetime_*` metrics.
//!
//! A coalition still active when a run ends counts in `lifetime_*` with the ticks it had
//! lived so far, so a type founded later in the runs looks shorter-lived (right
//! censoring). The occurrence/exposure rate does not: with `d` coalitions of a type
//! that ended before the run's end (any reason but `run_ended`) and `T` the ticks all
//! coalitions of that type were at risk (`Σ ended − founded`, the still-active ones
//! included), the per-tick dissolution rate is `d / T` (the maximum-likelihood
//! estimate of a constant hazard under right censoring), its 95% interval
//! `rate × exp(±1.96 / √d)` (log-normal approximation of a Poisson count; for
//! `d = 0`, `[0, 3.689 / T]`, the exact one-sided 97.5% bound), and `1 / rate` the
//! expected lifetime under a constant hazard. Pooling over runs (not averaging
//! per-run ratios) keeps runs with few coalitions of a type from biasing the rate.
//!
//! Rows, as for the `lifetime_*` metrics: `type` bloc / issue, `institutionalisation`
//! informal (< 0.5) / institutional, `leader` microlateral / great_power.

use std::path::Path;

use crate::error::OutputError;
use crate::output::csv::{columns, number, writer};
use crate::output::results::CsvReader;

/// The file's name.
pub const LIFETIMES: &str = "lifetimes.csv";

/// The rows' groups: (`by`, `group`), in file order.
const GROUPS: [(&str, &str); 6] = [
    ("type", "bloc"),
    ("type", "issue"),
    ("institutionalisation", "informal"),
    ("institutionalisation", "institutional"),
    ("leader", "microlateral"),
    ("leader", "great_power"),
];

/// Totals of one group.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// Coalitions of the group.
    pub coalitions: u64,
    /// Those that dissolved before their run ended.
    pub dissolved: u64,
    /// Ticks all of them were at risk.
    pub ticks: u64,
}

/// `(name, bytes)` of `lifetimes.csv` for the finished run directory `dir`.
pub fn file(dir: &Path) -> Result<(&'static str, Vec<u8>), OutputError> {
    let path = dir.join(crate::output::COALITIONS);
    let totals = read(&path)?;
    let bytes = table(&totals).map_err(|source| OutputError::Csv {
        path: dir.join(LIFETIMES),
        source,
    })?;
    Ok((LIFETIMES, bytes))
}

/// The groups' totals from `coalitions.csv`.
fn read(path: &Path) -> Result<[Totals; 6], OutputError> {
    let mut reader = CsvReader::open(path)?;
    let c = reader.columns(&[
        "type",
        "institutionalisation",
        "leader_class",
        "founded",
        "ended",
        "reason",
    ])?;
    let (kind, inst, leader, founded, ended, reason) = (c[0], c[1], c[2], c[3], c[4], c[5]);
    let mut totals = [Totals::default(); 6];
    while let Some(r) = reader.next_row()? {
        let tick = |c: usize| r.parse::<u64>(c, "a tick");
        let life = tick(ended)?.saturating_sub(tick(founded)?);
        let dissolved = u64::from(r.text(reason) != "run_ended");
        let informal = r.text(inst).parse::<f64>().is_ok_and(|x| x < 0.5);
        let slots = [
            usize::from(r.text(kind) != "bloc"),
            2 + usize::from(!informal),
            4 + usize::from(r.text(leader) == "great_power"),
        ];
        for s in slots {
            totals[s].coalitions += 1;
            totals[s].dissolved += dissolved;
            totals[s].ticks += life;
        }
    }
    Ok(totals)
}

columns! {
    /// One row of `lifetimes.csv`: group `(by, group)` with totals `t`. Undefined cells
    /// (no coalition, no tick at risk) are empty.
    pub fn lifetime_row(by: &str, group: &str, t: &Totals) -> HEADER {
        let (d, ticks) = (t.dissolved as f64, t.ticks as f64);
        let (rate, low, high) = if t.ticks == 0 {
            (f64::NAN, f64::NAN, f64::NAN)
        } else if t.dissolved == 0 {
            (0.0, 0.0, 3.689 / ticks)
        } else {
            let rate = d / ticks;
            let spread = (1.96 / d.sqrt()).exp();
            (rate, rate / spread, rate * spread)
        };
        let mean = if t.coalitions == 0 { f64::NAN } else { ticks / t.coalitions as f64 };
        "by" => by.to_string(),
        "group" => group.to_string(),
        "coalitions" => t.coalitions.to_string(),
        "dissolved" => t.dissolved.to_string(),
        "ticks_at_risk" => t.ticks.to_string(),
        "dissolution_rate" => number(rate),
        "ci95_low" => number(low),
        "ci95_high" => number(high),
        "expected_lifetime" => number(if rate > 0.0 { 1.0 / rate } else { f64::NAN }),
        "mean_lifetime_censored" => number(mean),
    }
}

/// The bytes of `lifetimes.csv`.
fn table(totals: &[Totals; 6]) -> Result<Vec<u8>, csv::Error> {
    let mut w = writer(Vec::new());
    w.write_record(HEADER)?;
    for ((by, group), t) in GROUPS.iter().zip(totals) {
        w.write_record(lifetime_row(by, group, t))?;
    }
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "run,id,issue,founder,leader_class,type,institutionalisation,founded,ended,reason,members,peak_size,progress,adopted,endorsed\n";

    fn rows(dir: &Path, body: &str) -> Vec<Vec<String>> {
        std::fs::write(dir.join("coalitions.csv"), format!("{HEAD}{body}")).unwrap();
        let (name, bytes) = file(dir).expect("a table");
        assert_eq!(name, "lifetimes.csv");
        let mut r = csv::Reader::from_reader(&bytes[..]);
        assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), HEADER);
        r.records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn rates_pool_dissolutions_over_ticks_at_risk() {
        // Bloc: lived 10 (hazard) and 15 (still active at the end): 1 / 25 = 0.04,
        // expected lifetime 25 against a censored mean of 12.5. Issue: lived 4 and
        // ended (too small): 1 / 4. Informal (0.2, 0.4): the two blocs; institutional
        // (0.8): the issue coalition. Great-power-led: the first bloc only.
        let dir = tempfile::tempdir().unwrap();
        let t = rows(
            dir.path(),
            "0,0,trade,A,great_power,bloc,0.2,0,10,hazard,A;B,2,0.1,1,0\n\
             0,1,trade,B,microlateral,bloc,0.4,5,20,run_ended,B;C,2,0.1,1,0\n\
             1,0,trade,C,microlateral,issue,0.8,0,4,too_small,C;D,2,0,0,0\n",
        );
        let row = |g: &str| t.iter().find(|r| r[1] == g).expect(g).clone();
        let bloc = row("bloc");
        assert_eq!(&bloc[..5], ["type", "bloc", "2", "1", "25"]);
        let num = |s: &str| s.parse::<f64>().unwrap();
        assert!((num(&bloc[5]) - 0.04).abs() < 1e-15);
        let spread = 1.96f64.exp();
        assert!((num(&bloc[6]) - 0.04 / spread).abs() < 1e-15);
        assert!((num(&bloc[7]) - 0.04 * spread).abs() < 1e-15);
        assert!((num(&bloc[8]) - 25.0).abs() < 1e-12 && num(&bloc[9]) == 12.5);
        assert_eq!(&row("issue")[2..6], ["1", "1", "4", "0.25"]);
        assert_eq!(&row("informal")[2..5], ["2", "1", "25"]);
        assert_eq!(&row("institutional")[2..5], ["1", "1", "4"]);
        assert_eq!(&row("great_power")[2..5], ["1", "1", "10"]);
        assert_eq!(&row("microlateral")[2..5], ["2", "1", "19"]);
    }

    #[test]
    fn no_dissolution_has_an_upper_bound_and_no_coalition_empty_cells() {
        let dir = tempfile::tempdir().unwrap();
        let t = rows(
            dir.path(),
            "0,0,trade,A,great_power,bloc,0.2,0,100,run_ended,A;B,2,0.1,1,0\n",
        );
        assert_eq!(&t[0][5..9], ["0", "0", "0.03689", ""]);
        // No issue-based coalition: counts 0, every estimate empty.
        assert_eq!(&t[1][2..], ["0", "0", "0", "", "", "", "", ""]);
    }

    #[test]
    fn a_malformed_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("coalitions.csv"), "run,id\n0,1\n").unwrap();
        let err = file(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("coalitions.csv") && err.contains("type"),
            "{err}"
        );
    }
}
