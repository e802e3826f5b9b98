//! The look shared by every chart: size, palette and the bundled font (registered
//! once, and its SVG sizes matched to plotters' layout).
//!
//! Palette (Okabe & Ito 2008, "Color Universal Design", safe for the common forms of
//! colour blindness), by issue index in the scenario, so that the same issue has the
//! same colour in every chart:
//!
//! | index | colour | name |
//! |---|---|---|
//! | 0 | `#E69F00` | orange |
//! | 1 | `#56B4E9` | sky blue |
//! | 2 | `#009E73` | bluish green |
//! | 3 | `#B59F00` | yellow, darkened from `#F0E442` (too pale for lines on white) |
//! | 4 | `#0072B2` | blue |
//! | 5 | `#D55E00` | vermillion |
//! | 6 | `#CC79A7` | reddish purple |
//! | 7 | `#000000` | black |
//!
//! Issues beyond the eighth cycle through the list. Venue types have fixed colours
//! everywhere: bodies `#0072B2` (blue), coalitions `#D55E00` (vermillion). Sequential
//! values (heatmaps) use viridis, which is colour-blind safe and readable in grey.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use plotters::style::RGBColor;

use super::PlotError;

/// Pixel size of every chart (width, height).
pub const SIZE: (u32, u32) = (1000, 620);
/// The family name the bundled Noto Sans is registered under.
pub const FONT: &str = "sans-serif";
/// Font sizes in pixels.
pub const TITLE_PX: u32 = 24;
/// Axis descriptions.
pub const LABEL_PX: u32 = 17;
/// Tick labels.
pub const TICK_PX: u32 = 14;
/// Legend entries and annotations.
pub const LEGEND_PX: u32 = 14;
/// Opacity of 95% bands and shaded spans.
pub const BAND_ALPHA: f64 = 0.18;

/// Okabe–Ito colours by issue index (yellow darkened for lines on white).
pub const ISSUE_COLOURS: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xB5, 0x9F, 0x00),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x00, 0x00),
];

/// Colour of multilateral bodies, in every chart.
pub const BODIES: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Colour of minilateral coalitions, in every chart.
pub const COALITIONS: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Lines that are neither an issue nor a venue type (net progress, single series).
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary information (coverage curve, grid lines).
pub const GREY: RGBColor = RGBColor(0x77, 0x77, 0x77);

/// Colours for series that are not issues (e.g. one line per combination of the other
/// sweep parameters): Okabe–Ito in an order that starts with the strongest contrasts.
pub const SERIES_COLOURS: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
];

/// The colour of the issue at `index` in the scenario's `[[issues]]`.
pub fn issue_colour(index: usize) -> RGBColor {
    ISSUE_COLOURS[index % ISSUE_COLOURS.len()]
}

/// The colour of the `index`-th series that is not an issue.
pub fn series_colour(index: usize) -> RGBColor {
    SERIES_COLOURS[index % SERIES_COLOURS.len()]
}

/// Viridis at `t` in [0, 1] (clamped; NaN → light grey), by linear interpolation
/// between nine anchors of matplotlib's table.
pub fn viridis(t: f64) -> RGBColor {
    const ANCHORS: [(u8, u8, u8); 9] = [
        (0x44, 0x01, 0x54),
        (0x47, 0x2c, 0x7a),
        (0x3b, 0x51, 0x8b),
        (0x2c, 0x71, 0x8e),
        (0x21, 0x90, 0x8d),
        (0x27, 0xad, 0x81),
        (0x5c, 0xc8, 0x63),
        (0xaa, 0xdc, 0x32),
        (0xfd, 0xe7, 0x25),
    ];
    if t.is_nan() {
        return RGBColor(0xdd, 0xdd, 0xdd);
    }
    let x = t.clamp(0.0, 1.0) * (ANCHORS.len() - 1) as f64;
    let i = (x.floor() as usize).min(ANCHORS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether text on `c` should be white (dark background) rather than black.
pub fn is_dark(c: RGBColor) -> bool {
    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2) < 140.0
}

static FONT_ONCE: Once = Once::new();
static FONT_OK: AtomicBool = AtomicBool::new(false);

/// Registers Noto Sans as "sans-serif", once per process, before any drawing: with
/// plotters' `ttf` feature off there are no system fonts (see TOOLCHAIN.md).
pub fn ensure_font() -> Result<(), PlotError> {
    FONT_ONCE.call_once(|| {
        let ok = plotters::style::register_font(
            FONT,
            plotters::style::FontStyle::Normal,
            ttf_noto_sans::REGULAR,
        )
        .is_ok();
        FONT_OK.store(ok, Ordering::SeqCst);
    });
    if FONT_OK.load(Ordering::SeqCst) {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// Em size of Noto Sans relative to what plotters lays text out with. plotters measures
/// text with ab_glyph at a scale whose *line height* (ascent − descent: 1069 + 293 =
/// 1362 units of 1000 per em) is the font size, but writes `font-size = size / 1.24`
/// into SVG, where `font-size` is the *em*: rendered text comes out 1.362 / 1.24 =
/// 1.098 times wider than laid out, and overflows legends and labels. Scaling every
/// `font-size` by 1.24 / 1.362 makes the drawing match the layout.
const FONT_SIZE_FIX: f64 = 1.24 / 1.362;

/// The bundled chart font (Noto Sans Regular, TrueType), e.g. for embedding in a page
/// that shows the SVGs, so text renders as laid out whatever fonts the viewer has.
pub fn font_ttf() -> &'static [u8] {
    ttf_noto_sans::REGULAR
}

/// Rewrites every `font-size="X"` of plotters' SVG by [`FONT_SIZE_FIX`], and names the
/// font the layout was made with (falling back to any sans-serif).
pub fn match_layout(svg: &str) -> String {
    let svg = svg.replace(
        "font-family=\"sans-serif\"",
        "font-family=\"Noto Sans, sans-serif\"",
    );
    let svg = svg.as_str();
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(KEY) {
        let (head, tail) = rest.split_at(i + KEY.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(0);
        match tail[..end].parse::<f64>() {
            Ok(size) => out.push_str(&format!("{:.2}", size * FONT_SIZE_FIX)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn font_sizes_are_scaled_to_the_layout() {
        let svg = r#"<text font-family="sans-serif" font-size="19.35483870967742">a</text><text font-size="x">b</text>"#;
        assert_eq!(
            super::match_layout(svg),
            r#"<text font-family="Noto Sans, sans-serif" font-size="17.62">a</text><text font-size="x">b</text>"#
        );
    }
}
