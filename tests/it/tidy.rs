//! Architecture checks (rust-analyzer's tidy tests, rapier's deny-list): the core does
//! no I/O, reads no clock, knows no edge crate and draws no unseeded randomness; every
//! path named in ARCHITECTURE.md exists; every relative link and anchor in the Markdown
//! documentation resolves.

use std::fs;
use std::path::{Path, PathBuf};

use crate::repo;

const CORE: [&str; 8] = [
    "src/analysis",
    "src/model",
    "src/rules",
    "src/act",
    "src/behaviour",
    "src/engine",
    "src/metrics",
    "src/batch",
];

const BANNED: [&str; 18] = [
    "std::fs",
    "std::io",
    "println!",
    "eprintln!",
    "print!",
    "Instant::now",
    "SystemTime",
    "clap::",
    "csv::",
    "plotters",
    "indicatif",
    "toml::",
    "thread_rng",
    "rand::rng()",
    "StdRng",
    "SmallRng",
    "HashMap",
    "HashSet",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("core folder exists") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_uses_no_io_clock_edge_crate_or_unseeded_randomness() {
    let mut problems = Vec::new();
    for folder in CORE {
        let mut files = Vec::new();
        rust_files(&repo(folder), &mut files);
        for file in files {
            let text = fs::read_to_string(&file).expect("readable source");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for banned in BANNED {
                    // rayon is allowed only in batch/, the one parallel module.
                    if code.contains(banned) {
                        problems.push(format!("{}:{}: uses `{banned}`", file.display(), n + 1));
                    }
                }
                if code.contains("rayon") && !folder.ends_with("batch") {
                    problems.push(format!(
                        "{}:{}: uses rayon outside src/batch",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "core invariants broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn core_types_do_not_derive_deserialize() {
    for folder in CORE {
        let mut files = Vec::new();
        rust_files(&repo(folder), &mut files);
        for file in files {
            let text = fs::read_to_string(&file).expect("readable source");
            assert!(
                !text.contains("Deserialize"),
                "{} derives Deserialize",
                file.display()
            );
        }
    }
}

#[test]
fn every_path_named_in_architecture_md_exists() {
    let text = fs::read_to_string(repo("ARCHITECTURE.md")).expect("ARCHITECTURE.md exists");
    let mut missing = Vec::new();
    let mut named = 0;
    for token in text.split('`') {
        let looks_like_path = (token.starts_with("src/")
            || token.starts_with("tests/")
            || token.starts_with("benches/")
            || token.starts_with("docs/")
            || token.starts_with("scenarios/")
            || token.starts_with(".ci/"))
            && !token.contains(' ');
        if looks_like_path {
            named += 1;
            if !repo(token.trim_end_matches('/')).exists() {
                missing.push(token.to_string());
            }
        }
    }
    assert!(named >= 10, "ARCHITECTURE.md names only {named} paths");
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn only_the_edges_know_their_crates() {
    let owners = [
        ("clap", "src/cli"),
        ("indicatif", "src/cli"),
        ("signal_hook", "src/cli"),
        ("plotters", "src/plot"),
        ("ttf_noto_sans", "src/plot"),
    ];
    let mut files = Vec::new();
    rust_files(&repo("src"), &mut files);
    for file in files {
        let text = fs::read_to_string(&file).expect("readable source");
        for (krate, owner) in owners {
            if text.contains(&format!("use {krate}")) || text.contains(&format!("{krate}::")) {
                assert!(
                    file.starts_with(repo(owner)),
                    "{} uses {krate}; only {owner} may",
                    file.display()
                );
            }
        }
    }
}

/// The Markdown files whose links are checked: README.md, ARCHITECTURE.md and every `.md`
/// file under docs/, scenarios/ and benches/.
fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("docs folder exists") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut files = vec![repo("README.md"), repo("ARCHITECTURE.md")];
    for dir in ["docs", "scenarios", "benches"] {
        walk(&repo(dir), &mut files);
    }
    files.sort();
    files
}

/// The text outside fenced code blocks (```` ``` ```` or `~~~`), a fenced line replaced by
/// an empty one, so that `# comments` in code are no headings and code is no link.
fn prose(text: &str) -> String {
    let mut fenced = false;
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// GitHub's anchor for a heading: lower case, every character but letters, digits,
/// spaces, `-` and `_` dropped (so `` ` ``, `.`, `:`, `&`, `?`, quotes), spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings; a repeated heading gets `-1`, `-2`, ...
fn anchors(text: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let mut out = Vec::new();
    for line in prose(text).lines() {
        let level = line.chars().take_while(|&c| c == '#').count();
        let Some(heading) = line[level..].strip_prefix(' ') else {
            continue;
        };
        if !(1..=6).contains(&level) {
            continue;
        }
        let base = slug(heading.trim_end_matches('#'));
        let n = seen.entry(base.clone()).or_insert(0);
        out.push(if *n == 0 { base } else { format!("{base}-{n}") });
        *n += 1;
    }
    out
}

/// The targets of the inline links and images (`[text](target)`, `![alt](target)`) in
/// the prose of a Markdown file.
fn link_targets(text: &str) -> Vec<String> {
    prose(text)
        .split("](")
        .skip(1)
        .map(|rest| {
            rest.split(|c: char| c == ')' || c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// The broken relative links of the Markdown `text` of the file at `path`, each as its
/// target and what is wrong: a target file or folder that does not exist, or an
/// `#anchor` that is no heading of the target (of `text` itself for `#anchor` alone).
/// Web links (`scheme:...`) are not checked.
fn broken_links(path: &Path, text: &str) -> Vec<(String, &'static str)> {
    let mut broken = Vec::new();
    for target in link_targets(text) {
        let is_web = target
            .split_once(':')
            .is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphabetic()));
        if target.is_empty() || is_web {
            continue;
        }
        let (file, anchor) = match target.split_once('#') {
            Some((file, anchor)) => (file, Some(anchor)),
            None => (target.as_str(), None),
        };
        let dest = if file.is_empty() {
            path.to_path_buf()
        } else {
            path.parent().expect("a file's folder").join(file)
        };
        if !dest.exists() {
            broken.push((target, "no such file or folder"));
            continue;
        }
        let Some(anchor) = anchor else { continue };
        if dest.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let dest_text = if file.is_empty() {
            text.to_string()
        } else {
            fs::read_to_string(&dest).expect("readable Markdown")
        };
        if !anchors(&dest_text).iter().any(|a| a == anchor) {
            broken.push((target, "no such heading"));
        }
    }
    broken
}

#[test]
fn every_relative_link_and_anchor_in_the_docs_resolves() {
    let mut broken = Vec::new();
    let mut links = 0;
    for file in markdown_files() {
        let text = fs::read_to_string(&file).expect("readable Markdown");
        links += link_targets(&text).len();
        for (target, problem) in broken_links(&file, &text) {
            broken.push(format!("{}: ({target}): {problem}", file.display()));
        }
    }
    assert!(
        links >= 100,
        "only {links} links found: is the parser broken?"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_checker_catches_missing_files_and_anchors() {
    let readme = repo("README.md");
    let text = "# Top\n\n## Same\n\n## Same\n\n\
        [ok](docs/sweeps.md#shards-and-merging), [dir](docs/rules/), [self](#top), \
        [again](#same-1), [web](https://example.org/nowhere.md), ![img](docs/images/progress.png)\n\
        ```\n[in code](docs/nowhere.md)\n# not a heading\n```\n\
        [gone](docs/nowhere.md) [bad anchor](docs/sweeps.md#no-such-heading)\n\
        [bad self](#not-a-heading) [split\nlink](docs/output.md#runscsv-column)\n";
    let broken = broken_links(&readme, text);
    let targets: Vec<&str> = broken.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        targets,
        [
            "docs/nowhere.md",
            "docs/sweeps.md#no-such-heading",
            "#not-a-heading",
            "docs/output.md#runscsv-column"
        ],
        "{broken:?}"
    );
    assert_eq!(broken[0].1, "no such file or folder");
    assert_eq!(broken[1].1, "no such heading");
    assert_eq!(
        slug("Landscape theory: which alignments are stable? (`rule = \"landscape\"`)"),
        "landscape-theory-which-alignments-are-stable-rule--landscape"
    );
    assert_eq!(slug("`runs.csv` columns"), "runscsv-columns");
}
