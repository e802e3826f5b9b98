//! A chart to files: SVG from plotters (font sizes matched to the layout), PNG through
//! resvg, each written atomically by `output::files::write_atomic`, the charts of a
//! directory drawn in parallel through `batch::par_map`.

use std::path::{Path, PathBuf};

use super::{Chart, Format, PlotError, style};
use crate::output::files::write_atomic;

impl Chart {
    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String, PlotError> {
        style::ensure_font()?;
        let mut out = String::new();
        {
            let backend = plotters::backend::SVGBackend::with_string(&mut out, style::SIZE);
            self.draw(backend).map_err(|e| PlotError::Draw {
                stem: self.stem.clone(),
                message: e.to_string(),
            })?;
        }
        Ok(style::match_layout(&out))
    }

    /// Draws the chart as a PNG file at `path`, through a temporary name in the same
    /// directory that is renamed when complete.
    pub fn png(&self, path: &Path) -> Result<(), PlotError> {
        let svg = self.svg()?;
        let bytes = rasterise(&svg).map_err(|message| PlotError::Draw {
            stem: self.stem.clone(),
            message,
        })?;
        write(path, &bytes)
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), PlotError> {
    write_atomic(path, bytes).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// PNG pixels per SVG unit: charts are drawn at 1000 x 620 and rasterised at that
/// size.
const PNG_SCALE: f32 = 1.0;

/// Renders an SVG chart to PNG bytes with resvg, its text set in the bundled Noto Sans
/// (resvg shapes and kerns text properly; plotters' own bitmap text does not).
fn rasterise(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    static FONTS: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(style::font_ttf().to_vec());
        db.set_sans_serif_family("Noto Sans");
        std::sync::Arc::new(db)
    });
    let options = usvg::Options {
        font_family: "Noto Sans".into(),
        fontdb: std::sync::Arc::clone(fonts),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("reading the SVG: {e}"))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * PNG_SCALE).ceil() as u32,
        (size.height() * PNG_SCALE).ceil() as u32,
    );
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("cannot make a {w} x {h} image"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("encoding the PNG: {e}"))
}

/// Writes every chart to `dir/charts/<stem>.png|.svg` (each through a temporary name,
/// then renamed, so no half-written chart appears); returns the paths written.
pub fn plot_dir(dir: &Path, format: Format, run: Option<u32>) -> Result<Vec<PathBuf>, PlotError> {
    write_charts(dir, &super::charts(dir, run)?, format)
}

/// Writes `charts` (from [`super::charts`]) to `dir/charts/<stem>.png|.svg`, each
/// through a temporary name; returns the paths written, in chart order.
pub fn write_charts(
    dir: &Path,
    charts: &[Chart],
    format: Format,
) -> Result<Vec<PathBuf>, PlotError> {
    let out = dir.join("charts");
    std::fs::create_dir_all(&out).map_err(|source| PlotError::Io {
        path: out.clone(),
        source,
    })?;
    // Charts are independent: draw them in parallel, report in chart order.
    let written = crate::batch::par_map(charts.len(), |i| {
        let chart = &charts[i];
        let mut files = Vec::with_capacity(2);
        if matches!(format, Format::Png | Format::Both) {
            let path = out.join(format!("{}.png", chart.stem));
            chart.png(&path)?;
            files.push(path);
        }
        if matches!(format, Format::Svg | Format::Both) {
            let path = out.join(format!("{}.svg", chart.stem));
            write(&path, chart.svg()?.as_bytes())?;
            files.push(path);
        }
        Ok(files)
    });
    let written: Vec<Vec<PathBuf>> = written.into_iter().collect::<Result<_, PlotError>>()?;
    let written: Vec<PathBuf> = written.into_iter().flatten().collect();
    remove_stale_charts(&out, &written)?;
    Ok(written)
}

/// Removes chart files (`*.png`, `*.svg`) in `charts/` that this drawing did not write,
/// so that a re-run (`--force`, `minilat plot`) leaves no chart of an earlier run.
/// Called after the new charts are in place, so a failed drawing loses nothing.
fn remove_stale_charts(out: &Path, written: &[PathBuf]) -> Result<(), PlotError> {
    let io = |source| PlotError::Io {
        path: out.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(out).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let chart_file = path.extension().is_some_and(|x| x == "png" || x == "svg");
        if chart_file && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(|source| PlotError::Io {
                path: path.clone(),
                source,
            })?;
        }
    }
    Ok(())
}
