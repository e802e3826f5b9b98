//! The `adaptive` rule's own output file, `learning.csv`: which venue each state
//! learned. One row per state: its final choice probabilities averaged over the runs
//! (`p_none`, `p_<issue>`…), the action with the largest mean (`learned`), the share
//! of runs in which that action was the state's most likely one (`agreement`), and its
//! switches per run. The runs are those listed in `runs.csv`; each is played again
//! from its own stream (identical to the run written), in parallel through
//! `batch::par_map`, so the file does not depend on the thread count.

use std::path::Path;

use crate::behaviour::RuleState;
use crate::behaviour::adaptive::{self, RunState};
use crate::engine::RunKey;
use crate::error::OutputError;
use crate::model::scenario::adaptive::LEARNING;
use crate::output::csv::{number, writer};
use crate::output::results::CsvReader;
use crate::scenario::Scenario;

/// The rule's files `(name, bytes)` for the finished run directory `dir`.
pub fn files(scenario: &Scenario, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let runs = run_ids(&dir.join("runs.csv"))?;
    let finals: Vec<Option<RunState>> = crate::batch::par_map(runs.len(), |r| {
        let key = RunKey {
            point: 0,
            replicate: runs[r],
        };
        match crate::engine::replay_rule(scenario, key) {
            RuleState::Adaptive(s) => Some(s),
            _ => None,
        }
    });
    let finals: Vec<RunState> = finals.into_iter().flatten().collect();
    let path = dir.join(LEARNING);
    let bytes = learning_table(scenario, &finals).map_err(|source| OutputError::Csv {
        path: path.clone(),
        source,
    })?;
    Ok(vec![(LEARNING, bytes)])
}

/// The `run` column of `runs.csv`.
fn run_ids(path: &Path) -> Result<Vec<u32>, OutputError> {
    let mut reader = CsvReader::open(path)?;
    let mut ids = Vec::new();
    while let Some(row) = reader.next_row()? {
        ids.push(row.parse(0, "a run number")?);
    }
    Ok(ids)
}

/// `learning.csv` from the rule's final state of each run (learners only; a state
/// that never learns, e.g. with bandwidth 0, has empty cells).
pub fn learning_table(scenario: &Scenario, finals: &[RunState]) -> Result<Vec<u8>, csv::Error> {
    let m = 1 + scenario.issues.len();
    let mut w = writer(Vec::new());
    let mut header = vec!["state".to_string(), "iso3".to_string(), "runs".to_string()];
    for j in 0..m {
        header.push(format!("p_{}", adaptive::action_name(scenario, j)));
    }
    for h in ["learned", "agreement", "switches"] {
        header.push(h.to_string());
    }
    w.write_record(&header)?;
    let mut mean = vec![0.0; m];
    let mut top = vec![0usize; m];
    for (i, spec) in scenario.states.iter().enumerate() {
        mean.iter_mut().for_each(|x| *x = 0.0);
        top.iter_mut().for_each(|x| *x = 0);
        let mut runs = 0usize;
        let mut switches = 0.0;
        for s in finals.iter().filter(|s| s.states[i].learns) {
            let q = s.row(i);
            for (j, x) in mean.iter_mut().enumerate() {
                *x += adaptive::probability(q, j);
            }
            top[adaptive::most_likely(q)] += 1;
            switches += f64::from(s.states[i].switches);
            runs += 1;
        }
        let mut row = vec![spec.name.clone(), spec.iso3.clone(), runs.to_string()];
        if runs == 0 {
            row.extend(std::iter::repeat_n(String::new(), m + 3));
        } else {
            let n = runs as f64;
            mean.iter_mut().for_each(|x| *x /= n);
            let learned = adaptive::most_likely(&mean);
            row.extend(mean.iter().map(|&x| number(x)));
            row.push(adaptive::action_name(scenario, learned).to_string());
            row.push(number(top[learned] as f64 / n));
            row.push(number(switches / n));
        }
        w.write_record(&row)?;
    }
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviour::adaptive::Learner;
    use std::path::Path;

    fn scenario() -> Scenario {
        let text = "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"gdp\"]\n[[issues]]\nname = \"trade\"\ncapability = \"gdp\"\n[[states]]\nname = \"A\"\ncapabilities = { gdp = 1.0 }\n[[states]]\nname = \"B\"\ncapabilities = { gdp = 1.0 }\nbandwidth = 0\n[behaviour]\nrule = \"adaptive\"\n";
        Scenario::from_toml(text, "t.toml", Path::new("."), &[])
            .expect("valid")
            .scenario
    }

    /// A run's final state: A learns with propensities `q` and `switches`; B never.
    fn run(s: &Scenario, q: [f64; 2], switches: u32) -> RunState {
        let mut r = RunState::new(s);
        r.propensity[..2].copy_from_slice(&q);
        r.states[0] = Learner {
            learns: true,
            switches,
            ..Learner::default()
        };
        r
    }

    #[test]
    fn learning_csv_of_two_hand_worked_runs() {
        let s = scenario();
        // Run 1: q = (1, 3): p = (0.25, 0.75), most likely trade. Run 2: q = (3, 1):
        // p = (0.75, 0.25), most likely none. Run 3: q = (0, 2): p = (0, 1), trade.
        // Means: p_none = (0.25 + 0.75 + 0) / 3 = 1/3, p_trade = 2/3: learned trade,
        // agreement 2/3, switches (4 + 2 + 0) / 3 = 2.
        let finals = [
            run(&s, [1.0, 3.0], 4),
            run(&s, [3.0, 1.0], 2),
            run(&s, [0.0, 2.0], 0),
        ];
        let bytes = learning_table(&s, &finals).expect("csv");
        let text = String::from_utf8(bytes).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "state,iso3,runs,p_none,p_trade,learned,agreement,switches"
        );
        let a: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(a[..3], ["A", "", "3"]);
        let num = |x: &str| x.parse::<f64>().expect("number");
        assert!((num(a[3]) - 1.0 / 3.0).abs() < 1e-12 && (num(a[4]) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(a[5], "trade");
        assert!((num(a[6]) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(num(a[7]), 2.0);
        assert_eq!(lines[2], "B,,0,,,,,", "B never learns: empty cells");
    }
}
