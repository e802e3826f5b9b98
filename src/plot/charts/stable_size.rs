//! `stable_size_vs_ratio`: the `stability` rule's stable agreement size against the
//! cost-benefit ratio `c/b` (`stability_by_ratio.csv`), one line per order of moves
//! (members moving with the outsiders, or leading), on a logarithmic axis; where
//! several sizes are stable (`ties = "stay"`), the smallest as a dashed line; and the
//! runs' mean final size at the scenario's own ratio as a dot.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::output::results::CsvReader;
use crate::plot::axes::{DrawResult, Line, draw_legend, draw_line, mesh, num_label};
use crate::plot::style;
use crate::plot::{Chart, Context, PlotError, Spec};

/// One order of moves: the ratios and the smallest and largest stable size at each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MovesSeries {
    /// `"simultaneous"` or `"leader"`.
    pub moves: String,
    /// `log10(c/b)`.
    pub log_ratio: Vec<f64>,
    /// The largest stable size (NaN: none stable).
    pub largest: Vec<f64>,
    /// The smallest stable size.
    pub smallest: Vec<f64>,
}

/// The chart's numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StableSize {
    /// One series per order of moves, in file order.
    pub series: Vec<MovesSeries>,
    /// `(log10(c/b), mean final size)` of the scenario's runs, if recorded.
    pub runs: Option<(f64, f64)>,
    /// The scenario's order of moves.
    pub own_moves: String,
}

/// Reads `stability_by_ratio.csv` at `path`.
pub fn read(path: &Path) -> Result<StableSize, PlotError> {
    let mut reader = CsvReader::open(path)?;
    let cols = reader.columns(&[
        "ratio",
        "moves",
        "stable_sizes",
        "scenario",
        "runs_size_mean",
    ])?;
    let mut out = StableSize::default();
    while let Some(row) = reader.next_row()? {
        let ratio = row.num(cols[0])?;
        if ratio.is_nan() || ratio <= 0.0 {
            return Err(row.error(cols[0], "a ratio c/b > 0").into());
        }
        let moves = row.text(cols[1]);
        let mut sizes = Vec::new();
        for s in row.text(cols[2]).split_whitespace() {
            match s.parse::<usize>() {
                Ok(k) => sizes.push(k as f64),
                Err(_) => {
                    return Err(row
                        .error(cols[2], "sizes as whole numbers separated by spaces")
                        .into());
                }
            }
        }
        let x = ratio.log10();
        let i = match out.series.iter().position(|s| s.moves == moves) {
            Some(i) => i,
            None => {
                out.series.push(MovesSeries {
                    moves: moves.to_owned(),
                    ..MovesSeries::default()
                });
                out.series.len() - 1
            }
        };
        let s = &mut out.series[i];
        s.log_ratio.push(x);
        s.largest.push(sizes.last().copied().unwrap_or(f64::NAN));
        s.smallest.push(sizes.first().copied().unwrap_or(f64::NAN));
        let mean = row.num(cols[4])?;
        if row.num(cols[3])? == 1.0 && mean.is_finite() {
            out.runs = Some((x, mean));
            out.own_moves = moves.to_owned();
        }
    }
    Ok(out)
}

/// The chart, if `path` holds any row.
pub fn chart(path: &Path, ctx: &Context) -> Result<Option<Chart>, PlotError> {
    let numbers = read(path)?;
    if numbers.series.iter().all(|s| s.log_ratio.is_empty()) {
        return Ok(None);
    }
    let label = ctx.label();
    Ok(Some(Chart {
        stem: "stable_size_vs_ratio".to_owned(),
        title: "Stable agreement size against the cost-benefit ratio c/b".to_owned(),
        caption: format!(
            "The size of the self-enforcing agreement{label} at each ratio of the cost of abatement to its benefit, c/b (logarithmic axis), for symmetric states, by the exhaustive stability check of stability_by_ratio.csv: one line with the members moving at the same time as the outsiders, one with the members leading (Stackelberg). Only Barrett's payoffs (payoff = \"barrett\") tell the two apart; under the others the lines coincide. A dashed line is the smallest stable size where several are stable (ties = \"stay\"). The dot is the runs' mean final size at the scenario's own ratio."
        ),
        spec: Spec::StableSize(numbers),
    }))
}

/// Tick labels of a log10 axis: `10^v` at whole `v`, blank between.
fn power_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        num_label(&10f64.powf(v.round()))
    } else {
        String::new()
    }
}

impl StableSize {
    /// The lines, the dashed smallest sizes and the runs' dot.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let xs = || self.series.iter().flat_map(|s| s.log_ratio.iter().copied());
        let x0 = xs().fold(f64::INFINITY, f64::min);
        let x1 = xs().fold(f64::NEG_INFINITY, f64::max);
        let (x0, x1) = if x1 > x0 {
            (x0, x1)
        } else {
            (x0 - 1.0, x0 + 1.0)
        };
        let top = (self.series.iter())
            .flat_map(|s| s.largest.iter().copied())
            .chain(self.runs.map(|r| r.1))
            .filter(|v| v.is_finite())
            .fold(1.0, f64::max);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(55)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, 0.0..top * 1.08)?;
        mesh!(chart, "cost-benefit ratio c/b", "stable agreement size")
            .x_label_formatter(&power_label)
            .x_labels(((x1 - x0).round() as usize + 1).clamp(2, 12))
            .draw()?;
        for (i, s) in self.series.iter().enumerate() {
            let colour = style::series_colour(i);
            let solid = Line {
                colour,
                width: 3,
                dashed: false,
            };
            let name = format!("members move: {}", s.moves);
            draw_line(&mut chart, &s.log_ratio, &s.largest, solid, Some(&name))?;
            let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
            if !s.smallest.iter().zip(&s.largest).all(|(&a, &b)| same(a, b)) {
                let dashed = Line {
                    colour,
                    width: 2,
                    dashed: true,
                };
                let name = format!("{}: smallest stable size", s.moves);
                draw_line(&mut chart, &s.log_ratio, &s.smallest, dashed, Some(&name))?;
            }
        }
        if let Some(at) = self.runs {
            chart
                .draw_series(std::iter::once(Circle::new(at, 7, BLACK.filled())))?
                .label(format!("runs' mean final size ({})", self.own_moves))
                .legend(|(x, y)| Circle::new((x + 10, y), 5, BLACK.filled()));
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_read_into_one_series_per_order_of_moves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stability_by_ratio.csv");
        std::fs::write(
            &path,
            "ratio,moves,stable_sizes,scenario,runs_size_mean\n\
             0.1,simultaneous,1,0,\n10,simultaneous,2,1,\n\
             0.1,leader,2 8,0,\n10,leader,,1,2.5\n",
        )
        .unwrap();
        let s = read(&path).unwrap();
        assert_eq!(s.series.len(), 2);
        assert_eq!(s.series[0].log_ratio, [-1.0, 1.0]);
        assert_eq!(s.series[1].largest[0], 8.0);
        assert_eq!(s.series[1].smallest[0], 2.0);
        assert!(s.series[1].largest[1].is_nan());
        assert_eq!((s.runs, s.own_moves.as_str()), (Some((1.0, 2.5)), "leader"));
        assert_eq!(power_label(&2.0), "100");
        assert_eq!(power_label(&0.5), "");
        std::fs::write(
            &path,
            "ratio,moves,stable_sizes,scenario,runs_size_mean\n1,leader,two,0,\n",
        )
        .unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(
            e.contains("stable_sizes") && e.contains("whole numbers"),
            "{e}"
        );
    }
}
