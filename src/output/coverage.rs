//! `coverage.csv`: what share of each capability dimension (emissions, GDP, ...) the
//! scenario's groups hold: the `k` largest states for every `k` (the numbers behind the
//! coverage curve on the right axis of the size-effectiveness charts), each label (G20,
//! EU, OPEC, ...) and each body's members. Values are the data's, negative ones kept
//! by `[data] negative = "keep"` included (a net sink lowers the coverage of every
//! group it is in: shares of the net total).
//!
//! Columns: `capability`, `kind` (`top_k`, `label` or `body`), `group` (`k`, the label's
//! or the body's name), `size` (members), `total` (their summed values), `coverage`
//! (`total` over the sum over all states; empty when that sum is not positive).

use crate::output::csv::{columns, number, writer};
use crate::scenario::Scenario;

/// The file's name.
pub const COVERAGE: &str = "coverage.csv";

/// Share of the total held by the `k` largest values, for `k = 1..=kmax` (NaN values
/// ignored; the total is the sum of all values, negative ones included; a total that is
/// not positive, or no values, gives NaN).
pub fn top_k(values: &[f64], kmax: usize) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = v.iter().sum();
    let mut acc = 0.0;
    (0..kmax)
        .map(|k| {
            acc += v.get(k).copied().unwrap_or(0.0);
            if total > 0.0 { acc / total } else { f64::NAN }
        })
        .collect()
}

/// One group's holding of one dimension.
struct Holding<'a> {
    capability: &'a str,
    kind: &'static str,
    group: String,
    size: usize,
    total: f64,
    coverage: f64,
}

columns! {
    /// One row of `coverage.csv`.
    fn coverage_row(h: &Holding) -> COVERAGE_HEADER {
        "capability" => h.capability.to_owned(),
        "kind" => h.kind.to_owned(),
        "group" => h.group.clone(),
        "size" => h.size.to_string(),
        "total" => number(h.total),
        "coverage" => number(h.coverage),
    }
}

/// The file's bytes for `scenario`: per dimension, the top `k` for `k = 1..=N`, then
/// each label and each body in the scenario's order.
pub fn table(scenario: &Scenario) -> Result<Vec<u8>, csv::Error> {
    let mut w = writer(Vec::new());
    w.write_record(COVERAGE_HEADER)?;
    let n = scenario.states.len();
    for (d, capability) in scenario.capabilities.iter().enumerate() {
        let values: Vec<f64> = scenario.states.iter().map(|s| s.recorded(d)).collect();
        let all: f64 = values.iter().sum();
        let share = |total: f64| if all > 0.0 { total / all } else { f64::NAN };
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let mut acc = 0.0;
        for (k, v) in sorted.iter().enumerate() {
            acc += v;
            w.write_record(coverage_row(&Holding {
                capability,
                kind: "top_k",
                group: (k + 1).to_string(),
                size: k + 1,
                total: acc,
                coverage: share(acc),
            }))?;
        }
        for (bit, label) in scenario.labels.iter().enumerate() {
            let members = (0..n).filter(|&i| scenario.states[i].labels & (1u64 << bit) != 0);
            let (size, total) = members.fold((0, 0.0), |(c, t), i| (c + 1, t + values[i]));
            w.write_record(coverage_row(&Holding {
                capability,
                kind: "label",
                group: label.clone(),
                size,
                total,
                coverage: share(total),
            }))?;
        }
        for body in &scenario.bodies {
            let total: f64 = body.members.iter().map(|m| values[m.index()]).sum();
            w.write_record(coverage_row(&Holding {
                capability,
                kind: "body",
                group: body.name.clone(),
                size: body.members.len(),
                total,
                coverage: share(total),
            }))?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_k_largest_hold_their_share_of_the_net_total() {
        let cov = top_k(&[1.0, 5.0, f64::NAN, 4.0], 4);
        assert_eq!(cov[..3], [0.5, 0.9, 1.0]);
        assert_eq!(cov[3], 1.0);
        // A net sink: the top two hold more than the net total.
        let cov = top_k(&[6.0, 5.0, -1.0], 3);
        assert_eq!(cov, [0.6, 1.1, 1.0]);
        assert!(top_k(&[0.0, 0.0], 2).iter().all(|x| x.is_nan()));
    }

    #[test]
    fn groups_labels_and_bodies_by_hand() {
        // A 6, B 3, C 1 (G7), D -2 kept: net total 8.
        let text = "[scenario]\nname = \"t\"\n[world]\ncapabilities = [\"ghg\"]\n\
            [[issues]]\nname = \"climate\"\ncapability = \"ghg\"\n\
            [[states]]\nname = \"A\"\ncapabilities = { ghg = 6 }\n\
            [[states]]\nname = \"B\"\ncapabilities = { ghg = 3 }\n\
            [[states]]\nname = \"C\"\ncapabilities = { ghg = 1 }\nlabels = [\"g7\"]\n\
            [[states]]\nname = \"D\"\ncapabilities = { ghg = 0 }\n\
            [[bodies]]\nname = \"Council\"\nmembers = [\"A\", \"C\"]\nrule = \"unanimity\"\n";
        let mut s = Scenario::from_toml(text, "t.toml", std::path::Path::new("."), &[])
            .expect("valid")
            .scenario;
        s.states[3].negative = vec![(0, -2.0)];
        let out = String::from_utf8(table(&s).unwrap()).unwrap();
        assert_eq!(
            out,
            "capability,kind,group,size,total,coverage\n\
             ghg,top_k,1,1,6,0.75\n\
             ghg,top_k,2,2,9,1.125\n\
             ghg,top_k,3,3,10,1.25\n\
             ghg,top_k,4,4,8,1\n\
             ghg,label,g7,1,1,0.125\n\
             ghg,body,Council,2,7,0.875\n"
        );
    }
}
