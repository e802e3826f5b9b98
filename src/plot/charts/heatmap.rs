//! `heatmap_<metric>`: a metric's mean over a grid of two numeric parameters, one
//! cell per point (or per bin beyond `points::MAX_DRAWN_POINTS`), on the viridis
//! scale with a colour bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::sweep_metric::PointRow;
use crate::plot::axes::{DrawResult, category_label, mesh, num_label, text, wrap};
use crate::plot::numbers::{capitalise, fmt_num, metric_desc, padded_range, sanitize};
use crate::plot::style::{self, TICK_PX};
use crate::plot::{Chart, Spec};

/// x values, y values and `cells[y][x]` of a heatmap.
pub type Grid = (Vec<f64>, Vec<f64>, Vec<Vec<f64>>);

/// A full grid of two numeric parameters: sorted distinct values on each axis and the
/// mean per cell (`cells[y][x]`). None unless every combination is present exactly
/// once and both parameters are numeric (by the design) with at least two values.
pub fn heatmap_grid(rows: &[PointRow]) -> Option<Grid> {
    if rows.first()?.params.len() != 2 {
        return None;
    }
    let parse =
        |j: usize| -> Option<Vec<f64>> { rows.iter().map(|r| r.params[j].number()).collect() };
    let (px, py) = (parse(0)?, parse(1)?);
    let distinct = |v: &[f64]| {
        let mut d = v.to_vec();
        d.sort_by(f64::total_cmp);
        d.dedup();
        d
    };
    let (xs, ys) = (distinct(&px), distinct(&py));
    if xs.len() < 2 || ys.len() < 2 || rows.len() != xs.len() * ys.len() {
        return None;
    }
    let mut cells = vec![vec![f64::NAN; xs.len()]; ys.len()];
    let mut seen = vec![vec![false; xs.len()]; ys.len()];
    for ((r, x), y) in rows.iter().zip(&px).zip(&py) {
        let i = xs.iter().position(|v| v == x)?;
        let j = ys.iter().position(|v| v == y)?;
        if seen[j][i] {
            return None;
        }
        seen[j][i] = true;
        cells[j][i] = r.mean;
    }
    Some((xs, ys, cells))
}

/// The chart's numbers.
#[derive(Clone, Debug)]
pub struct Heatmap {
    /// The parameter on x.
    pub x_param: String,
    /// The parameter on y.
    pub y_param: String,
    /// What the colour is.
    pub z_desc: String,
    /// Cell centres on x.
    pub xs: Vec<f64>,
    /// Cell centres on y.
    pub ys: Vec<f64>,
    /// `cells[y][x]`.
    pub cells: Vec<Vec<f64>>,
}

/// The heatmap of `metric` over `params` (two) with the cells of `grid`: one per
/// point, or with `binned = Some((points, bins))` the points binned into bins × bins
/// cells.
pub fn chart(
    metric: &str,
    params: &[String],
    grid: Grid,
    binned: Option<(usize, usize)>,
    label: &str,
) -> Chart {
    let desc = metric_desc(metric);
    let (xs, ys, cells) = grid;
    let (p0, p1) = (&params[0], &params[1]);
    let caption = match binned {
        None => format!(
            "Mean {desc} at each point of the grid over {p0} (x) and {p1} (y){label}; lighter cells are higher (viridis scale)."
        ),
        Some((points, bins)) => format!(
            "Mean {desc} over {p0} (x) and {p1} (y){label}, the {points} points of the grid binned into {bins} × {bins} cells, each the mean of its points' means; lighter cells are higher (viridis scale)."
        ),
    };
    Chart {
        stem: format!("heatmap_{}", sanitize(metric)),
        title: format!("{}: {p0} × {p1}", capitalise(&desc)),
        caption,
        spec: Spec::Heatmap(Heatmap {
            x_param: params[0].clone(),
            y_param: params[1].clone(),
            z_desc: desc,
            xs,
            ys,
            cells,
        }),
    }
}

impl Heatmap {
    /// Cells on the viridis scale (values written in them when they are few and
    /// large), a colour bar on the right.
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &'a DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        heatmap(
            area,
            &self.x_param,
            &self.y_param,
            &self.z_desc,
            &self.xs,
            &self.ys,
            &self.cells,
        )
    }
}

fn heatmap<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    x_param: &str,
    y_param: &str,
    z_desc: &str,
    xs: &[f64],
    ys: &[f64],
    cells: &[Vec<f64>],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (main, bar) = area.split_horizontally(area.dim_in_pixel().0 - 150);
    let (zmin, zmax) = {
        let (lo, hi) = padded_range(cells.iter().flatten().copied(), 0.0);
        if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, lo + 0.5)
        }
    };
    let t = |v: f64| (v - zmin) / (zmax - zmin);
    let (nx, ny) = (xs.len(), ys.len());
    let xl: Vec<String> = xs.iter().map(|v| fmt_num(*v)).collect();
    let yl: Vec<String> = ys.iter().map(|v| fmt_num(*v)).collect();
    let (xlab, ylab) = (category_label(&xl), category_label(&yl));
    let mut chart = ChartBuilder::on(&main)
        .margin(12)
        .x_label_area_size(55)
        .y_label_area_size(80)
        .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)?;
    mesh!(chart, x_param, y_param)
        .x_labels(nx * 2 + 2)
        .y_labels(ny * 2 + 2)
        .x_label_formatter(&xlab)
        .y_label_formatter(&ylab)
        .disable_mesh()
        .draw()?;
    let cell_px = {
        let a = chart.backend_coord(&(0.0, 0.0));
        let b = chart.backend_coord(&(1.0, 1.0));
        ((b.0 - a.0).abs()).min((a.1 - b.1).abs())
    };
    for (j, row) in cells.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            let (x, y) = (i as f64, j as f64);
            let c = style::viridis(t(*v));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                c.filled(),
            )))?;
            if nx <= 12 && ny <= 12 && cell_px >= 24 {
                let ink = if style::is_dark(c) { WHITE } else { BLACK };
                let px = ((cell_px as f64 * 0.3).round() as u32).clamp(10, 18);
                chart.draw_series(std::iter::once(Text::new(
                    fmt_num(*v),
                    (x, y),
                    text(px)
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
            }
        }
    }
    // Colour bar.
    let mut cb = ChartBuilder::on(&bar)
        .margin_top(24 + 16 * wrap(&format!("mean {z_desc}"), 20).len() as i32)
        .margin_bottom(67)
        .margin_left(10)
        .margin_right(5)
        .y_label_area_size(0)
        .right_y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, zmin..zmax)?;
    cb.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .x_labels(0)
        .label_style(text(TICK_PX))
        .y_label_formatter(&num_label)
        .draw()?;
    let steps = 100;
    cb.draw_series((0..steps).map(|k| {
        let a = zmin + (zmax - zmin) * k as f64 / steps as f64;
        let b = zmin + (zmax - zmin) * (k + 1) as f64 / steps as f64;
        Rectangle::new(
            [(0.0, a), (1.0, b)],
            style::viridis(t((a + b) / 2.0)).filled(),
        )
    }))?;
    let base = bar.get_base_pixel();
    let (px, py) = cb.backend_coord(&(0.0, zmax));
    let lines = wrap(&format!("mean {z_desc}"), 20);
    for (k, line) in lines.iter().rev().enumerate() {
        bar.draw(&Text::new(
            line.clone(),
            (px - base.0, py - base.1 - 8 - 16 * k as i32),
            text(TICK_PX - 1).pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::ParamKind;
    use crate::plot::charts::sweep_metric::ParamValue;

    fn row(a: &str, b: &str, mean: f64) -> PointRow {
        let num = |s: &str| ParamValue::read(ParamKind::Number, s);
        PointRow {
            params: vec![num(a), num(b)],
            mean,
            lo: mean - 0.1,
            hi: mean + 0.1,
        }
    }

    #[test]
    fn heatmap_needs_every_combination() {
        let rows = vec![
            row("8", "0.2", 3.0),
            row("4", "0.2", 1.0),
            row("8", "0.05", 4.0),
            row("4", "0.05", 2.0),
        ];
        let (xs, ys, cells) = heatmap_grid(&rows).unwrap();
        assert_eq!(xs, vec![4.0, 8.0]);
        assert_eq!(ys, vec![0.05, 0.2]);
        assert_eq!(cells, vec![vec![2.0, 4.0], vec![1.0, 3.0]]);
        assert!(heatmap_grid(&rows[..3]).is_none());
        let mut dup = rows.clone();
        dup[3] = row("8", "0.2", 9.0);
        assert!(heatmap_grid(&dup).is_none());
    }
}
