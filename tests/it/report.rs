//! report.html in a real browser: `scripts/chromium-check.sh` opens it in headless
//! Chromium (installing Debian's `chromium` if missing, as root with apt-get) and keeps
//! the DOM after load and a 1280x2000 screenshot, or prints it to PDF and extracts the
//! PDF's text (poppler's `pdftotext`, installed the same way); the tests check what the
//! browser saw and what it printed.
//! When chromium cannot be installed the script exits 3 and the browser tests say
//! SKIPPED with the reason (visible in `cargo test`'s output: `common::skip`) instead
//! of failing, except under `MINILAT_REQUIRE_SYSTEM_TESTS=1` (`.ci/run`). A pure test checks that the
//! file is self-contained (no script, no external asset) without a browser.
//!
//! The screenshot is decoded (the `png` crate, which resvg already builds) so that a
//! blank page fails.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{minilat, skip};
use crate::fixtures::quickstart;
use crate::repo;

/// The size of the browser window the script screenshots.
const WINDOW: (u32, u32) = (1280, 2000);

/// What the browser saw.
struct Seen {
    dom: String,
    png: Vec<u8>,
}

/// Opens `html` in headless chromium through `scripts/chromium-check.sh`, with its
/// outputs in `out`. `None` (after saying SKIPPED and why on stderr) if the script
/// could not get a chromium (exit 3).
fn open_in_chromium(html: &Path, out: &Path) -> Option<Seen> {
    chromium_check(html, out, &[])?;
    Some(Seen {
        dom: fs::read_to_string(out.join("dom.html")).expect("dom.html"),
        png: fs::read(out.join("screenshot.png")).expect("screenshot.png"),
    })
}

/// Runs `scripts/chromium-check.sh html out extra...`; `None` (after saying SKIPPED
/// and why on stderr) if it could not get its tools (exit 3).
fn chromium_check(html: &Path, out: &Path, extra: &[&str]) -> Option<()> {
    let run = Command::new("bash")
        .arg(repo("scripts/chromium-check.sh"))
        .arg(html)
        .arg(out)
        .args(extra)
        .output()
        .expect("bash runs scripts/chromium-check.sh");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    if run.status.code() == Some(3) {
        let reason = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("chromium-check.sh exited 3 without a reason")
            .trim_start_matches("chromium-check: SKIP: ");
        skip("browser test", reason);
        return None;
    }
    assert!(
        run.status.success(),
        "scripts/chromium-check.sh failed ({}):\n{stdout}\n{stderr}",
        run.status
    );
    // Version and timings, shown with --nocapture.
    eprint!("{stdout}");
    Some(())
}

/// Everything in an HTML text that makes it depend on something outside the file:
/// scripts, `@import`, non-`data:` `src=`, and http(s) or protocol-relative `href=` and
/// `url(`. (The SVG namespace `xmlns="http://..."` is a name, not a fetch.)
fn external_refs(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let context = |i: usize| {
        let end = (i + 80).min(html.len());
        html.get(i..end).unwrap_or("?").to_string()
    };
    let mut found = Vec::new();
    for needle in ["<script", "@import"] {
        found.extend(lower.match_indices(needle).map(|(i, _)| context(i)));
    }
    let remote = |v: &str| v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//");
    for attr in ["src=", "href=", "url("] {
        for (i, _) in lower.match_indices(attr) {
            let value = lower[i + attr.len()..].trim_start_matches([' ', '"', '\'']);
            // Any src= but data: is an asset outside the file; links and url() may point
            // inside the page (#fig1, url(#clip)) but not to the network.
            let outside = if attr == "src=" {
                !value.starts_with("data:")
            } else {
                remote(value)
            };
            if outside {
                found.push(context(i));
            }
        }
    }
    found
}

/// Checks the DOM has no script and no external asset.
fn assert_self_contained(html: &str, what: &str) {
    let refs = external_refs(html);
    assert!(
        refs.is_empty(),
        "{what} is not self-contained; it has:\n{}",
        refs.join("\n")
    );
}

/// The rows of the table with this id, as HTML text.
fn table_rows<'a>(dom: &'a str, id: &str) -> Vec<&'a str> {
    let start = dom
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("no <table id=\"{id}\"> in the DOM"));
    let table = &dom[start..];
    let table = &table[..table.find("</table>").expect("the table is closed")];
    table.split("<tr").skip(1).collect()
}

/// Checks the screenshot is a PNG of the window's size with something drawn on it.
fn assert_screenshot_drawn(png: &[u8]) {
    let img = decode_png(png);
    assert_eq!(
        (img.width, img.height),
        WINDOW,
        "the screenshot has the window's size"
    );
    let pixels = img.rgb.len() / 3;
    let rgb = img.rgb.chunks_exact(3);
    let inked = rgb.clone().filter(|p| p.iter().any(|&c| c < 240)).count();
    let colours: HashSet<&[u8]> = rgb.collect();
    let share = inked as f64 / pixels as f64;
    eprintln!(
        "screenshot: {}x{}, {} bytes, {:.1}% non-white pixels, {} distinct colours",
        img.width,
        img.height,
        png.len(),
        100.0 * share,
        colours.len()
    );
    assert!(
        share >= 0.02,
        "the screenshot is (nearly) blank: {:.2}% non-white pixels",
        100.0 * share
    );
    assert!(
        colours.len() > 2,
        "the screenshot has {} colours",
        colours.len()
    );
}

#[test]
fn a_run_report_renders_in_chromium() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args([
            "run",
            &quickstart(),
            "--runs",
            "40",
            "--quiet",
            "--out",
            "r",
        ])
        .assert()
        .success();
    let html = tmp.path().join("r/report.html");
    assert!(html.is_file(), "minilat run writes r/report.html");
    let Some(seen) = open_in_chromium(&html, &tmp.path().join("chromium")) else {
        return;
    };
    let dom = &seen.dom;
    assert!(dom.contains("quickstart"), "the scenario's name");
    let svgs = dom.matches("<svg").count();
    assert!(svgs >= 5, "at least 5 inline SVG charts, found {svgs}");
    let figures = dom.matches("<figure").count();
    assert!(figures >= 5, "at least 5 figures, found {figures}");
    assert_eq!(
        dom.matches("<figcaption").count(),
        figures,
        "every figure has a caption"
    );
    let rows = table_rows(dom, "summary");
    assert!(
        rows.iter().any(|r| r.contains("progress_climate")),
        "the summary table has a row for progress_climate"
    );
    assert_self_contained(dom, "the DOM of report.html");
    assert_screenshot_drawn(&seen.png);
}

#[test]
fn a_sweep_report_renders_in_chromium() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args(["sweep", &quickstart(), "--replicates", "3", "--quiet"])
        .args(["--out", "s"])
        .assert()
        .success();
    let html = tmp.path().join("s/report.html");
    assert!(html.is_file(), "minilat sweep writes s/report.html");
    let Some(seen) = open_in_chromium(&html, &tmp.path().join("chromium")) else {
        return;
    };
    let dom = &seen.dom;
    assert!(dom.contains("quickstart"), "the scenario's name");
    assert!(
        !table_rows(dom, "points").is_empty(),
        "the points table has rows"
    );
    assert!(dom.contains("<svg"), "at least one inline SVG chart");
    assert_self_contained(dom, "the DOM of the sweep's report.html");
    assert_screenshot_drawn(&seen.png);
}

#[test]
fn report_html_is_self_contained_and_rewritten_by_minilat_report() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    minilat(tmp.path())
        .args(["run", &quickstart(), "--runs", "5", "--quiet", "--out", "r"])
        .assert()
        .success();
    let html = tmp.path().join("r/report.html");
    let text = fs::read_to_string(&html).expect("minilat run writes report.html");
    assert!(text.contains("<svg"), "charts are inline SVG");
    // The quickstart's preferences are written in the scenario, and the report says so.
    assert!(
        text.contains("<table id=\"preferences\""),
        "a Preferences table"
    );
    assert!(
        text.contains("illustrative"),
        "illustrative preferences are named"
    );
    // Types of grouping (issue 19): the quickstart's G20 spans climate and trade, and
    // its coalitions' types come from coalitions.csv.
    assert!(
        text.contains("<table id=\"body-types\"")
            && text.contains("<td>G20</td><td>universal</td><td>multidimensional</td>"),
        "the bodies' types"
    );
    assert!(
        text.contains("<table id=\"coalition-types\"")
            && text.contains("<td>Haass</td><td>elite</td>"),
        "the coalitions' types"
    );
    assert_self_contained(&text, "report.html");
    fs::remove_file(&html).expect("remove report.html");
    minilat(tmp.path()).args(["report", "r"]).assert().success();
    let again = fs::read_to_string(&html).expect("minilat report rewrites report.html");
    assert!(again.contains("<table id=\"summary\""));
    assert_self_contained(&again, "report.html from `minilat report`");
}

/// Text as a reader sees it, for comparing HTML with a PDF's text: tags dropped,
/// entities decoded, whitespace removed (a wrapped cell has line breaks the HTML has
/// not, and the HTML has indentation the PDF has not).
fn visible(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A table of an HTML page: its id (or class), the text of its header row and of
/// each body row.
struct HtmlTable {
    id: String,
    head: String,
    rows: Vec<String>,
}

/// Every `<table>` of `html`, in order.
fn html_tables(html: &str) -> Vec<HtmlTable> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<table") {
        let table = &rest[start..];
        let end = table.find("</table>").expect("the table is closed");
        let table = &table[..end];
        rest = &rest[start + end..];
        let tag = &table[..table.find('>').expect("the tag is closed")];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let i = tag.find(&key)? + key.len();
            Some(tag[i..i + tag[i..].find('"')?].to_string())
        };
        let (head, body) = table.split_once("</thead>").expect("a <thead>");
        out.push(HtmlTable {
            id: attr("id").or_else(|| attr("class")).unwrap_or_default(),
            head: visible(head),
            rows: body.split("<tr").skip(1).map(visible).collect(),
        });
    }
    out
}

/// What a printed PDF holds: its text in drawing order, whitespace removed, and the
/// words drawn (partly) outside their page.
struct Printed {
    text: String,
    outside: Vec<String>,
}

/// Prints `html` to PDF in headless chromium (`scripts/chromium-check.sh --pdf`).
fn print_in_chromium(html: &Path, out: &Path) -> Option<Printed> {
    chromium_check(html, out, &["--pdf"])?;
    let raw = fs::read_to_string(out.join("pdf.txt")).expect("pdf.txt");
    let text: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let bbox = fs::read_to_string(out.join("pdf-bbox.html")).expect("pdf-bbox.html");
    let number = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let i = tag
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {tag}"))
            + key.len();
        let j = i + tag[i..].find('"').expect("a closing quote");
        tag[i..j].parse().expect("a number")
    };
    let mut outside = Vec::new();
    let pages: Vec<&str> = bbox.split("<page ").skip(1).collect();
    assert!(!pages.is_empty(), "pdftotext -bbox found no page");
    for page in pages {
        let (width, height) = (number(page, "width"), number(page, "height"));
        for word in page.split("<word ").skip(1) {
            let (x0, y0) = (number(word, "xMin"), number(word, "yMin"));
            let (x1, y1) = (number(word, "xMax"), number(word, "yMax"));
            if x0 < -0.5 || y0 < -0.5 || x1 > width + 0.5 || y1 > height + 0.5 {
                let w = word.split_once('>').map_or("", |(_, w)| w);
                outside.push(w.split('<').next().unwrap_or("").to_string());
            }
        }
    }
    Some(Printed { text, outside })
}

/// A Morris design over five quickstart parameters: a points table with five
/// parameter columns before the metrics.
const MORRIS: &str = r#"[sweep]
design = "morris"
trajectories = 4
levels = 4
replicates = 2
[sweep.params]
"decision.temperature" = { min = 0.05, max = 0.45 }
"coalitions.max_size" = { min = 3, max = 20 }
"behaviour.temperature" = { min = 0.01, max = 0.3 }
"behaviour.review_rate" = { min = 0.1, max = 0.7 }
"coalitions.founding_cost" = { min = 0.0, max = 0.2 }
"#;

/// Significant digits of a number as written ("0.0450" has 3, "12" has 2).
fn significant_digits(cell: &str) -> usize {
    let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    let digits = if cell.contains('.') {
        digits
    } else {
        digits.trim_end_matches('0')
    };
    digits.len().max(1)
}

/// Issue 15 item 14: wide tables (a sweep's points, lifetimes, a landscape's
/// configurations) were clipped on screen and cut on paper, the analysis put its
/// answer after its charts, and parameters showed 17 digits. Every table now scrolls
/// in a `.wide` box on screen and wraps to the page on paper: printed to PDF in
/// headless Chromium, the header and every row of every table is in the PDF's text,
/// and no word is drawn outside its page.
#[test]
fn every_table_is_whole_on_screen_and_on_paper() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let t = tmp.path();
    minilat(t)
        .args([
            "run",
            &quickstart(),
            "--runs",
            "20",
            "--quiet",
            "--out",
            "run",
        ])
        .assert()
        .success();
    minilat(t)
        .arg("run")
        .arg(repo("scenarios/syria-2016-landscape.toml"))
        .args(["--runs", "4", "--quiet", "--out", "landscape"])
        .assert()
        .success();
    fs::write(t.join("morris.toml"), MORRIS).expect("written");
    minilat(t)
        .args(["sweep", &quickstart(), "--design-file", "morris.toml"])
        .args(["--set", "scenario.ticks=30", "--quiet", "--out", "sweep"])
        .assert()
        .success();
    minilat(t)
        .args(["analyze", "sweep", "--bootstrap", "50", "--quiet"])
        .args(["--condition", "progress_climate > 0.1"])
        .assert()
        .success();

    let mut ids = Vec::new();
    let mut reports = Vec::new();
    for dir in ["run", "landscape", "sweep"] {
        let path = t.join(dir).join("report.html");
        let html = fs::read_to_string(&path).expect("report.html");
        // On screen: every table in a box that scrolls sideways.
        assert_eq!(
            html.matches("<table").count(),
            html.matches("<div class=\"wide\"><table").count(),
            "{dir}: every table sits in a .wide box"
        );
        ids.extend(html_tables(&html).into_iter().map(|t| t.id));
        reports.push((dir, path, html));
    }
    for id in ["summary", "rule", "sensitivity", "prim", "points"] {
        assert!(ids.iter().any(|i| i == id), "no table {id} in {ids:?}");
    }

    // The analysis' answer before its charts.
    let sweep = &reports[2].2;
    let first_figure = sweep
        .find("<figure")
        .expect("the sweep's report has charts");
    for id in ["sensitivity", "prim"] {
        let at = sweep
            .find(&format!("<table id=\"{id}\""))
            .unwrap_or_else(|| panic!("no {id} table"));
        assert!(at < first_figure, "the {id} table comes before the charts");
    }
    // Parameters to 4 significant digits at most (the CSV files keep them all).
    let points = html_tables(sweep)
        .into_iter()
        .find(|t| t.id == "points")
        .expect("the points table");
    let start = sweep
        .find("<table id=\"points\"")
        .expect("the points table");
    let body = &sweep[start..start + sweep[start..].find("</table>").expect("closed")];
    let mut params = 0;
    for row in body.split("<tr>").skip(2) {
        for cell in row.split("<td>").skip(2).take(5) {
            let cell = cell.split('<').next().unwrap_or("");
            if cell.parse::<f64>().is_ok() {
                params += 1;
                assert!(significant_digits(cell) <= 4, "a parameter shown as {cell}");
            }
        }
    }
    assert!(params >= 5 * points.rows.len(), "{params} parameter cells");

    // On paper: nothing cut.
    for (dir, path, html) in &reports {
        let Some(printed) = print_in_chromium(path, &t.join(format!("pdf-{dir}"))) else {
            return;
        };
        assert!(
            printed.outside.is_empty(),
            "{dir}: words drawn outside the page: {:?}",
            printed.outside
        );
        for table in html_tables(html) {
            assert!(
                printed.text.contains(&table.head),
                "{dir}: the {} table's header is cut in print: {}",
                table.id,
                table.head
            );
            for row in &table.rows {
                assert!(
                    printed.text.contains(row.as_str()),
                    "{dir}: a row of the {} table is cut in print: {row}",
                    table.id
                );
            }
        }
    }
}

#[test]
fn the_self_containment_check_catches_external_references() {
    let inline = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\
                  <rect fill=\"url(#g)\"/></svg><a href=\"#fig1\">1</a><img src=\"data:image/png;base64,AA\">";
    assert_eq!(external_refs(inline), Vec::<String>::new());
    for bad in [
        "<script>alert(1)</script>",
        "<SCRIPT src=x></SCRIPT>",
        "<style>@import 'x.css';</style>",
        "<img src=\"charts/progress.png\">",
        "<link rel=stylesheet href=\"https://cdn.example/x.css\">",
        "<image xlink:href='http://example.org/a.png'/>",
        "<div style=\"background: url( 'https://example.org/a.png')\"></div>",
        "<style>body { background: url(//example.org/a.png) }</style>",
    ] {
        assert!(!external_refs(bad).is_empty(), "not caught: {bad}");
    }
}

/// A decoded PNG: size and 8-bit RGB pixels, row by row.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

/// Decodes a PNG (what chromium writes) to 8-bit RGB with the `png` crate; panics
/// with the reason on a damaged file.
fn decode_png(png: &[u8]) -> Image {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a whole PNG frame");
    let bytes = &buf[..info.buffer_size()];
    let rgb = match info.color_type {
        png::ColorType::Rgb => bytes.to_vec(),
        png::ColorType::Rgba => bytes
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
        png::ColorType::Grayscale => bytes.iter().flat_map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => bytes
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0]])
            .collect(),
        png::ColorType::Indexed => unreachable!("EXPAND turns a palette into RGB"),
    };
    Image {
        width: info.width,
        height: info.height,
        rgb,
    }
}

#[test]
fn the_screenshot_check_catches_a_blank_page() {
    let (width, height) = WINDOW;
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("a PNG header");
        let white = vec![255u8; (width * height * 3) as usize];
        writer.write_image_data(&white).expect("PNG data");
    }
    let blank = std::panic::catch_unwind(|| assert_screenshot_drawn(&png));
    let message = blank.expect_err("a blank screenshot must fail");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(text.contains("blank"), "{text}");
}
