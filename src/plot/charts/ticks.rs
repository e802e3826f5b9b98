//! `ticks.csv` in the charts' terms: ticks and a band per metric, from either form of
//! the file (means and sds over runs, or one row per run and tick, averaged here).
//! The time-series families (`progress`, `coalitions_over_time`, `rule_over_time`,
//! `free_riding`) draw from it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::output::results::Table;
use crate::plot::numbers::{Band, Moments};
use crate::plot::{Chart, Context, PlotError};

use super::{coalitions_over_time, free_riding, progress, rule_over_time};

/// A tick table in the chart's terms: ticks and a band per metric.
pub struct TickSeries {
    /// The ticks, in order.
    pub ticks: Vec<f64>,
    /// Each metric's band per tick.
    pub bands: BTreeMap<String, Band>,
}

/// Reads `ticks.csv`: the issues its columns name, and its series (`None` for a
/// sweep's ticks or an empty file: time charts are not drawn for sweeps).
pub fn read(path: &Path) -> Result<(Vec<String>, Option<TickSeries>), PlotError> {
    let t = Table::read(path)?;
    let issues = t
        .headers
        .iter()
        .filter_map(|h| {
            h.strip_prefix("produced_coalitions_")
                .filter(|rest| !rest.ends_with("_sd"))
        })
        .map(str::to_string)
        .collect();
    Ok((issues, TickSeries::from_table(&t)?))
}

impl TickSeries {
    fn from_table(t: &Table) -> Result<Option<TickSeries>, PlotError> {
        if t.has("point") || t.is_empty() {
            return Ok(None);
        }
        let ticks = t.num("tick")?;
        if t.has("run") {
            // "all" form: one row per run and tick.
            let metrics: Vec<&String> = t
                .headers
                .iter()
                .filter(|h| !matches!(h.as_str(), "run" | "tick" | "runs"))
                .collect();
            let cols = metrics
                .iter()
                .map(|m| t.num(m))
                .collect::<Result<Vec<_>, _>>()?;
            let (ticks, bands) = average_ticks(&ticks, &cols);
            return Ok(Some(TickSeries {
                ticks,
                bands: metrics.into_iter().cloned().zip(bands).collect(),
            }));
        }
        let runs = t.num("runs")?;
        let mut bands = BTreeMap::new();
        for h in &t.headers {
            if matches!(h.as_str(), "tick" | "runs") || h.ends_with("_sd") {
                continue;
            }
            let sd_name = format!("{h}_sd");
            let mean = t.num(h)?;
            let sd = if t.has(&sd_name) {
                t.num(&sd_name)?
            } else {
                vec![f64::NAN; mean.len()]
            };
            bands.insert(h.clone(), Band::from_sd(&mean, &sd, &runs));
        }
        Ok(Some(TickSeries { ticks, bands }))
    }

    /// The band of `metric`, if it has any finite mean.
    pub fn get(&self, metric: &str) -> Option<Band> {
        self.bands
            .get(metric)
            .filter(|b| b.mean.iter().any(|v| v.is_finite()))
            .cloned()
    }
}

/// Tick series from the "all" form of `ticks.csv` (`run,tick,<m>...`): per tick, the
/// mean, sd and count across runs of each metric. Returns ticks in order and, per
/// metric column in order, its band (mean and 95% interval of the mean) per tick.
pub fn average_ticks(ticks: &[f64], columns: &[Vec<f64>]) -> (Vec<f64>, Vec<Band>) {
    let mut order: BTreeMap<i64, usize> = BTreeMap::new();
    for t in ticks {
        let k = *t as i64;
        let len = order.len();
        order.entry(k).or_insert(len);
    }
    let keys: Vec<i64> = order.keys().copied().collect();
    let bands = columns
        .iter()
        .map(|col| {
            let mut acc: BTreeMap<i64, Moments> = BTreeMap::new();
            for (t, v) in ticks.iter().zip(col) {
                acc.entry(*t as i64).or_default().push(*v);
            }
            let mut band = Band::default();
            for k in &keys {
                let m = acc.get(k).copied().unwrap_or_default();
                let (lo, hi) = m.ci95();
                band.mean.push(m.mean());
                band.lo.push(lo);
                band.hi.push(hi);
            }
            band
        })
        .collect();
    (keys.into_iter().map(|k| k as f64).collect(), bands)
}

/// progress, coalitions_over_time, a behaviour rule's measures, free_riding_fragmentation.
pub fn charts(ts: TickSeries, ctx: &Context) -> Vec<Chart> {
    let mut out = Vec::new();
    out.extend(progress::chart(&ts, ctx));
    out.extend(coalitions_over_time::chart(&ts, ctx));
    out.extend(rule_over_time::charts(&ts, ctx));
    out.extend(free_riding::chart(ts, ctx));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_form_ticks_average_across_runs() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let ticks = [0.0, 1.0, 0.0, 1.0];
        let col = vec![1.0, 10.0, 3.0, f64::NAN];
        let (t, bands) = average_ticks(&ticks, &[col]);
        assert_eq!(t, vec![0.0, 1.0]);
        assert!(close(bands[0].mean[0], 2.0));
        assert!(close(bands[0].mean[1], 10.0));
        assert!(bands[0].lo[1].is_nan());
        let z = crate::plot::numbers::Z95;
        assert!(close(bands[0].hi[0], 2.0 + z * 2f64.sqrt() / 2f64.sqrt()));
    }
}
