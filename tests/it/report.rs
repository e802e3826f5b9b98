//! report.html in a real browser: `scripts/chromium-check.sh` opens it in headless
//! Chromium (installing Debian's `chromium` if missing, as root with apt-get) and keeps
//! the DOM after load and a 1280x2000 screenshot; the tests check what the browser saw.
//! When chromium cannot be installed the script exits 3 and the browser tests say
//! SKIPPED with the reason on stderr instead of failing. A pure test checks that the
//! file is self-contained (no script, no external asset) without a browser.
//!
//! The screenshot is decoded here (PNG: zlib inflate and the five row filters, RGB or
//! RGBA at 8 bits) so that a blank page fails, with no image crate as a dependency.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::{minilat, repo};

/// The size of the browser window the script screenshots.
const WINDOW: (u32, u32) = (1280, 2000);

fn quickstart() -> String {
    repo("scenarios/quickstart.toml")
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

/// What the browser saw.
struct Seen {
    dom: String,
    png: Vec<u8>,
}

/// Opens `html` in headless chromium through `scripts/chromium-check.sh`, with its
/// outputs in `out`. `None` (after saying SKIPPED and why on stderr) if the script
/// could not get a chromium (exit 3).
fn open_in_chromium(html: &Path, out: &Path) -> Option<Seen> {
    let run = Command::new("bash")
        .arg(repo("scripts/chromium-check.sh"))
        .arg(html)
        .arg(out)
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
        eprintln!("SKIPPED browser test: {reason}");
        return None;
    }
    assert!(
        run.status.success(),
        "scripts/chromium-check.sh failed ({}):\n{stdout}\n{stderr}",
        run.status
    );
    // Version and timings, shown with --nocapture.
    eprint!("{stdout}");
    Some(Seen {
        dom: fs::read_to_string(out.join("dom.html")).expect("dom.html"),
        png: fs::read(out.join("screenshot.png")).expect("screenshot.png"),
    })
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
    assert_self_contained(&text, "report.html");
    fs::remove_file(&html).expect("remove report.html");
    minilat(tmp.path()).args(["report", "r"]).assert().success();
    let again = fs::read_to_string(&html).expect("minilat report rewrites report.html");
    assert!(again.contains("<table id=\"summary\""));
    assert_self_contained(&again, "report.html from `minilat report`");
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

/// Decodes a non-interlaced 8-bit RGB or RGBA PNG (what chromium writes); panics with
/// the reason on anything else or on a damaged file.
fn decode_png(png: &[u8]) -> Image {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG (bad signature)"
    );
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (mut pos, mut header, mut idat) = (8, None, Vec::new());
    loop {
        assert!(pos + 12 <= png.len(), "PNG truncated before IEND");
        let len = be32(&png[pos..]) as usize;
        let kind = &png[pos + 4..pos + 8];
        assert!(pos + 12 + len <= png.len(), "PNG chunk runs past the end");
        let data = &png[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => header = Some(data.to_vec()),
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let h = header.expect("PNG without IHDR");
    let (width, height) = (be32(&h[0..]), be32(&h[4..]));
    let (depth, colour, interlace) = (h[8], h[9], h[12]);
    let channels = match colour {
        2 => 3,
        6 => 4,
        _ => panic!("PNG colour type {colour} (expected RGB or RGBA)"),
    };
    assert!(
        depth == 8 && interlace == 0,
        "PNG depth {depth}, interlace {interlace}"
    );
    assert!(
        idat.len() > 2 && idat[0] & 0x0f == 8 && idat[1] & 0x20 == 0,
        "IDAT is not a zlib stream"
    );
    let raw = inflate(&idat[2..]);
    let stride = width as usize * channels;
    assert_eq!(raw.len(), height as usize * (stride + 1), "PNG data size");
    let mut prev = vec![0u8; stride];
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for line in raw.chunks_exact(stride + 1) {
        let (filter, src) = (line[0], &line[1..]);
        let mut row = vec![0u8; stride];
        for i in 0..stride {
            let a = if i >= channels { row[i - channels] } else { 0 };
            let (b, c) = (prev[i], if i >= channels { prev[i - channels] } else { 0 });
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                _ => panic!("PNG row filter {filter}"),
            };
            row[i] = src[i].wrapping_add(predicted);
        }
        for px in row.chunks_exact(channels) {
            rgb.extend_from_slice(&px[..3]);
        }
        prev = row;
    }
    Image { width, height, rgb }
}

/// Reads a DEFLATE stream's bits, least significant first.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    bit: u32,
}

impl Bits<'_> {
    fn take(&mut self, n: u32) -> u32 {
        let mut v = 0;
        for k in 0..n {
            let byte = *self.data.get(self.pos).expect("DEFLATE stream truncated");
            v |= u32::from((byte >> self.bit) & 1) << k;
            self.bit += 1;
            if self.bit == 8 {
                self.bit = 0;
                self.pos += 1;
            }
        }
        v
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code
/// order.
struct Huffman {
    count: [u16; 16],
    symbol: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Huffman {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[usize::from(l)] += 1;
        }
        count[0] = 0;
        let mut offset = [0u16; 16];
        for l in 1..15 {
            offset[l + 1] = offset[l] + count[l];
        }
        let mut symbol = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbol[usize::from(offset[usize::from(l)])] = s as u16;
                offset[usize::from(l)] += 1;
            }
        }
        Huffman { count, symbol }
    }

    fn decode(&self, bits: &mut Bits) -> usize {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= bits.take(1) as i32;
            let count = i32::from(self.count[len]);
            if code - count < first {
                return usize::from(self.symbol[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        panic!("bad Huffman code in DEFLATE stream")
    }
}

/// Inflates a raw DEFLATE stream (RFC 1951).
fn inflate(data: &[u8]) -> Vec<u8> {
    const LEN_BASE: [u16; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const LEN_EXTRA: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DIST_BASE: [u16; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DIST_EXTRA: [u8; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];
    const ORDER: [usize; 19] = [
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    ];
    let mut bits = Bits {
        data,
        pos: 0,
        bit: 0,
    };
    let mut out = Vec::new();
    loop {
        let last = bits.take(1) == 1;
        match bits.take(2) {
            0 => {
                if bits.bit != 0 {
                    bits.bit = 0;
                    bits.pos += 1;
                }
                let p = bits.pos;
                let header = data.get(p..p + 4).expect("DEFLATE stored block truncated");
                let len = usize::from(u16::from_le_bytes([header[0], header[1]]));
                let block = data
                    .get(p + 4..p + 4 + len)
                    .expect("stored block truncated");
                out.extend_from_slice(block);
                bits.pos = p + 4 + len;
            }
            kind @ (1 | 2) => {
                let (lit, dist) = if kind == 1 {
                    let mut l = [8u8; 288];
                    l[144..256].fill(9);
                    l[256..280].fill(7);
                    (Huffman::new(&l), Huffman::new(&[5u8; 30]))
                } else {
                    let nlit = bits.take(5) as usize + 257;
                    let ndist = bits.take(5) as usize + 1;
                    let ncode = bits.take(4) as usize + 4;
                    let mut code_lengths = [0u8; 19];
                    for &i in &ORDER[..ncode] {
                        code_lengths[i] = bits.take(3) as u8;
                    }
                    let code = Huffman::new(&code_lengths);
                    let mut lengths = Vec::with_capacity(nlit + ndist);
                    while lengths.len() < nlit + ndist {
                        let (value, repeat) = match code.decode(&mut bits) {
                            s @ 0..=15 => (s as u8, 1),
                            16 => (
                                *lengths.last().expect("repeat with no length before"),
                                3 + bits.take(2),
                            ),
                            17 => (0, 3 + bits.take(3)),
                            _ => (0, 11 + bits.take(7)),
                        };
                        lengths.extend(std::iter::repeat_n(value, repeat as usize));
                    }
                    assert_eq!(lengths.len(), nlit + ndist, "code lengths overflow");
                    (
                        Huffman::new(&lengths[..nlit]),
                        Huffman::new(&lengths[nlit..]),
                    )
                };
                loop {
                    let sym = lit.decode(&mut bits);
                    match sym {
                        0..=255 => out.push(sym as u8),
                        256 => break,
                        _ => {
                            let s = sym - 257;
                            let len = usize::from(LEN_BASE[s])
                                + bits.take(u32::from(LEN_EXTRA[s])) as usize;
                            let d = dist.decode(&mut bits);
                            let back = usize::from(DIST_BASE[d])
                                + bits.take(u32::from(DIST_EXTRA[d])) as usize;
                            assert!(back <= out.len(), "DEFLATE distance too far back");
                            let from = out.len() - back;
                            for k in 0..len {
                                out.push(out[from + k]);
                            }
                        }
                    }
                }
            }
            _ => panic!("DEFLATE block type 3"),
        }
        if last {
            return out;
        }
    }
}
