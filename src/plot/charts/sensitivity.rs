//! `sensitivity_<metric>`: what drives a metric, from `sensitivity.csv` (`minilat
//! analyze`): Sobol S1 and ST, or Morris μ* and σ, per parameter, with 95% intervals.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::output::results::Table;
use crate::plot::axes::{DrawResult, draw_legend, legend_box, mesh};
use crate::plot::numbers::{first_seen, metric_desc, padded_range, sanitize};
use crate::plot::style;
use crate::plot::{Chart, Context, PlotError, Spec};

/// One series of sensitivity indices: its name and (value, ci_low, ci_high) per
/// parameter.
#[derive(Clone, Debug)]
pub struct IndexSeries {
    /// The index's name.
    pub name: String,
    /// Per parameter.
    pub values: Vec<(f64, f64, f64)>,
}

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct Indices {
    /// The x axis description.
    pub x_desc: String,
    /// Parameters, top to bottom.
    pub params: Vec<String>,
    /// Two series: S1 and ST, or μ* and σ.
    pub series: Vec<IndexSeries>,
}

/// sensitivity_<metric> from sensitivity.csv (`minilat analyze`): Sobol S1 and ST, or
/// Morris μ* and σ, per parameter, with 95% intervals.
pub fn charts(path: &Path, ctx: &Context) -> Result<Vec<Chart>, PlotError> {
    let t = &Table::read(path)?;
    let (param, metric, index) = (t.text("parameter")?, t.text("metric")?, t.text("index")?);
    let (value, lo, hi) = (t.num("value")?, t.num("ci_low")?, t.num("ci_high")?);
    let label = ctx.label();
    let mut out = Vec::new();
    for m in first_seen(metric.iter().copied()) {
        let rows: Vec<usize> = (0..t.len()).filter(|&r| metric[r] == m).collect();
        let params: Vec<String> = first_seen(rows.iter().map(|&r| param[r]))
            .into_iter()
            .map(str::to_string)
            .collect();
        let sobol = rows.iter().any(|&r| index[r] == "S1");
        let names: [(&str, &str); 2] = if sobol {
            [("S1", "first-order index S1"), ("ST", "total index ST")]
        } else {
            [
                ("mu_star", "μ* (mean |elementary effect|)"),
                ("sigma", "σ (sd of elementary effects)"),
            ]
        };
        let series = names
            .iter()
            .map(|&(key, name)| IndexSeries {
                name: name.to_string(),
                values: params
                    .iter()
                    .map(|p| {
                        rows.iter()
                            .find(|&&r| param[r] == p.as_str() && index[r] == key)
                            .map_or((f64::NAN, f64::NAN, f64::NAN), |&r| {
                                (value[r], lo[r], hi[r])
                            })
                    })
                    .collect(),
            })
            .collect();
        let desc = metric_desc(m);
        let (title, x_desc, caption) = if sobol {
            (
                format!("What drives {desc}: Sobol indices"),
                "Sobol index (share of output variance)".to_string(),
                format!(
                    "Sobol sensitivity indices of the {desc}{label}: the first-order index S1 is the share of the output's variance due to the parameter alone, the total index ST the share it takes part in, interactions included (a gap ST − S1 means interactions); whiskers are 95% bootstrap intervals. A parameter with ST near 0 can be fixed anywhere in its range."
                ),
            )
        } else {
            (
                format!("What drives {desc}: Morris screening"),
                "elementary effect over the parameter's whole range".to_string(),
                format!(
                    "Morris elementary effects on the {desc}{label}: μ* (the mean absolute change in the output when the parameter moves across its range in one step, others fixed) ranks the parameters' importance; σ, their spread, is large where effects depend on the other parameters (non-linearity or interactions). Whiskers are 95% bootstrap intervals over trajectories."
                ),
            )
        };
        out.push(Chart {
            stem: format!("sensitivity_{}", sanitize(m)),
            title,
            caption,
            spec: Spec::Indices(Indices {
                x_desc,
                params,
                series,
            }),
        });
    }
    Ok(out)
}

impl Indices {
    /// Horizontal bars with whiskers, one group per parameter.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        indices(area, &self.x_desc, &self.params, &self.series)
    }
}

fn indices<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    x_desc: &str,
    params: &[String],
    series: &[IndexSeries],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = params.len().max(1) as f64;
    let all = || {
        series
            .iter()
            .flat_map(|s| s.values.iter().flat_map(|&(v, lo, hi)| [v, lo, hi]))
    };
    let (lo, hi) = padded_range(all().chain([0.0]), 0.06);
    let names: Vec<String> = params.to_vec();
    // Parameter k sits at y = n − 1 − k so the first is on top.
    let label = move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < names.len() {
            names[names.len() - 1 - i as usize].clone()
        } else {
            String::new()
        }
    };
    let legend_room = 0.35 * series.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(260)
        .build_cartesian_2d(lo..hi, -0.6..n - 0.4 + legend_room)?;
    mesh!(chart, x_desc, "")
        .y_labels(params.len() * 2 + 2)
        .y_label_formatter(&label)
        .disable_y_mesh()
        .draw()?;
    let k = series.len().max(1) as f64;
    let h = 0.7 / k;
    for (j, s) in series.iter().enumerate() {
        let colour = style::series_colour(j);
        for (i, &(v, l, u)) in s.values.iter().enumerate() {
            let y = n - 1.0 - i as f64 + 0.35 - h * (j as f64 + 0.5);
            if v.is_finite() {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - h * 0.4), (v, y + h * 0.4)],
                    colour.mix(0.85).filled(),
                )))?;
            }
            if l.is_finite() && u.is_finite() {
                let st = BLACK.stroke_width(2);
                chart.draw_series([
                    PathElement::new(vec![(l, y), (u, y)], st),
                    PathElement::new(vec![(l, y - h * 0.25), (l, y + h * 0.25)], st),
                    PathElement::new(vec![(u, y - h * 0.25), (u, y + h * 0.25)], st),
                ])?;
            }
        }
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label(s.name.clone())
            .legend(move |p| legend_box(p, colour.mix(0.85).filled()));
    }
    if lo < 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.6), (0.0, n - 0.4)],
            style::INK.stroke_width(1),
        )))?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
