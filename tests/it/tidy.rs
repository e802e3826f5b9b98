//! Architecture checks (rust-analyzer's tidy tests, rapier's deny-list): the core does
//! no I/O, reads no clock, knows no edge crate and draws no unseeded randomness; every
//! path named in ARCHITECTURE.md exists; every relative link and anchor in the Markdown
//! documentation resolves.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{repo, root};

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

/// Paths the core may not name (segment by segment, so `rand::rng` does not match
/// `rand::rngs::ChaCha8Rng`): I/O, the environment, and rand's unseeded generators.
const BANNED_PATHS: [&str; 9] = [
    "std::fs",
    "std::io",
    "std::env",
    "std::net",
    "std::process",
    "rand::random",
    "rand::rng",
    "rand::thread_rng",
    "rand::make_rng",
];

/// Names the core may not use however they are reached (imported, glob, re-export):
/// clocks, hash-ordered collections and every generator not seeded by the run.
const BANNED_NAMES: [&str; 13] = [
    "Instant",
    "SystemTime",
    "HashMap",
    "HashSet",
    "ThreadRng",
    "thread_rng",
    "make_rng",
    "StdRng",
    "SmallRng",
    "OsRng",
    "SysRng",
    "from_os_rng",
    "from_entropy",
];

/// Macros that print: the core reports through return values and the observer.
const BANNED_MACROS: [&str; 5] = ["println", "eprintln", "print", "eprint", "dbg"];

/// Each edge crate and the only modules (path prefixes under the repository root)
/// that may name it; the core names none of them (`rayon` only in `src/batch`).
/// `csv` is owned by `src/output` (writing results and reading them back), by
/// `src/scenario/data` (scenario data files) and by `src/error.rs` (`OutputError::Csv`
/// wraps `csv::Error`).
const OWNERS: [(&str, &[&str]); 15] = [
    ("rayon", &["src/batch"]),
    ("axum", &["src/cli/serve"]),
    ("tokio", &["src/cli/serve"]),
    ("ratatui", &["src/cli/watch"]),
    ("crossterm", &["src/cli/watch"]),
    ("resvg", &["src/plot"]),
    ("plotters", &["src/plot"]),
    ("ttf_noto_sans", &["src/plot"]),
    ("toml", &["src/scenario"]),
    ("csv", &["src/output", "src/scenario/data", "src/error.rs"]),
    ("clap", &["src/cli"]),
    ("clap_complete", &["src/cli"]),
    ("indicatif", &["src/cli"]),
    ("signal_hook", &["src/cli"]),
    ("anyhow", &["src/cli", "src/main.rs"]),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder exists") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The character at `i`, or NUL past the end.
fn char_at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}

/// `text` with comments, string literals and character literals blanked (newlines
/// kept, so line numbers hold): `"std::fs"` in a message or `// rayon` in a comment
/// names nothing.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let ident_before = i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_');
        if char_at(&c, i) == '/' && char_at(&c, i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if char_at(&c, i) == '/' && char_at(&c, i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && char_at(&c, i + 1) == '*' {
                    depth += 1;
                    i += 2;
                    out.push_str("  ");
                } else if c[i] == '*' && char_at(&c, i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    out.push_str("  ");
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if !ident_before
            && (char_at(&c, i) == 'r' || (char_at(&c, i) == 'b' && char_at(&c, i + 1) == 'r'))
            && {
                let k = if char_at(&c, i) == 'b' { 2 } else { 1 };
                let hashes = (k..).take_while(|&j| char_at(&c, i + j) == '#').count();
                char_at(&c, i + k + hashes) == '"'
            }
        {
            // A raw string: r"..", r#".."#, br"..".
            let k = if char_at(&c, i) == 'b' { 2 } else { 1 };
            let hashes = (k..).take_while(|&j| char_at(&c, i + j) == '#').count();
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body_start = i + k + hashes + 1;
            let rest: String = c[body_start..].iter().collect();
            let len = rest.find(&close).map_or(rest.len(), |n| n + close.len());
            let end = body_start + rest[..len].chars().count();
            for &ch in &c[i..end.min(c.len())] {
                blank(&mut out, ch);
            }
            i = end;
        } else if char_at(&c, i) == '"' {
            blank(&mut out, '"');
            i += 1;
            while i < c.len() && c[i] != '"' {
                let skip = if c[i] == '\\' { 2 } else { 1 };
                for _ in 0..skip {
                    if i < c.len() {
                        blank(&mut out, c[i]);
                        i += 1;
                    }
                }
            }
            i += 1;
            out.push(' ');
        } else if char_at(&c, i) == '\''
            && (char_at(&c, i + 1) == '\\'
                || (char_at(&c, i + 1) != '\0' && char_at(&c, i + 2) == '\''))
        {
            // A character literal ('x', '\n', '\u{..}'); a lifetime ('a) is code.
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '\'' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// A token of code: an identifier, `::`, or one other punctuation character.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Punct(&'static str),
    Other(char),
}

/// The tokens of code (from [`code_only`]), each with its line (1-based).
fn tokens(code: &str) -> Vec<(usize, Token)> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push((line, Token::Ident(c[start..i].iter().collect())));
        } else if ch.is_ascii_digit() {
            while i < c.len()
                && (c[i].is_alphanumeric()
                    || c[i] == '_'
                    || (c[i] == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push((line, Token::Punct("::")));
            i += 2;
        } else {
            out.push((line, Token::Other(ch)));
            i += 1;
        }
    }
    out
}

/// What a file names: every path (use-tree leaves expanded, `self` and groups resolved;
/// inline paths with their first segment resolved through the file's imports and
/// aliases), every identifier, every macro called, each with its line.
#[derive(Default, Debug)]
struct Names {
    paths: Vec<(usize, Vec<String>)>,
    idents: Vec<(usize, String)>,
    macros: Vec<(usize, String)>,
}

/// Parses one use tree from `toks[*i]` under `prefix`, pushing each leaf's full path
/// and the name it binds (its alias, its last segment, or none for a glob).
fn use_tree(
    toks: &[(usize, Token)],
    i: &mut usize,
    prefix: Vec<String>,
    out: &mut Vec<(usize, Vec<String>, Option<String>)>,
) {
    let mut path = prefix;
    while let Some((line, tok)) = toks.get(*i) {
        match tok {
            Token::Punct("::") => *i += 1,
            Token::Other('{') => {
                *i += 1;
                while let Some((_, t)) = toks.get(*i) {
                    match t {
                        Token::Other('}') => {
                            *i += 1;
                            return;
                        }
                        Token::Other(',') => *i += 1,
                        _ => use_tree(toks, i, path.clone(), out),
                    }
                }
                return;
            }
            Token::Other('*') => {
                *i += 1;
                path.push("*".into());
                out.push((*line, path, None));
                return;
            }
            Token::Ident(name) => {
                *i += 1;
                if name != "self" {
                    path.push(name.clone());
                }
                if toks.get(*i).is_some_and(|(_, t)| *t == Token::Punct("::")) {
                    continue;
                }
                let mut bind = path.last().cloned();
                if toks
                    .get(*i)
                    .is_some_and(|(_, t)| *t == Token::Ident("as".into()))
                {
                    bind = match toks.get(*i + 1) {
                        Some((_, Token::Ident(alias))) => Some(alias.clone()),
                        _ => None,
                    };
                    *i += 2;
                }
                out.push((*line, path, bind));
                return;
            }
            _ => return,
        }
    }
}

/// Everything the Rust source `text` names (see [`Names`]).
fn names(text: &str) -> Names {
    let toks = tokens(&code_only(text));
    let ident = |k: usize| match toks.get(k) {
        Some((_, Token::Ident(s))) => Some(s.as_str()),
        _ => None,
    };
    let is = |k: usize, p: Token| toks.get(k).is_some_and(|(_, t)| *t == p);
    // Pass 1: the use trees, and what each binds.
    let mut uses = Vec::new();
    let mut in_use = vec![false; toks.len()];
    let mut k = 0;
    while k < toks.len() {
        if ident(k) == Some("use") {
            let start = k;
            k += 1;
            use_tree(&toks, &mut k, Vec::new(), &mut uses);
            in_use[start..k.min(toks.len())].fill(true);
        } else {
            k += 1;
        }
    }
    let bound: BTreeMap<String, Vec<String>> = uses
        .iter()
        .filter_map(|(_, path, bind)| Some((bind.clone()?, path.clone())))
        .collect();
    let mut out = Names::default();
    for (line, path, _) in &uses {
        out.paths.push((*line, path.clone()));
    }
    // Pass 2: inline paths (`std::fs::write`, `io::stdout`), identifiers and macros.
    let mut k = 0;
    while k < toks.len() {
        let (line, _) = toks[k];
        let Some(first) = ident(k).filter(|_| !in_use[k]) else {
            k += 1;
            continue;
        };
        out.idents.push((line, first.to_string()));
        if is(k + 1, Token::Other('!')) {
            out.macros.push((line, first.to_string()));
        }
        // `a.b`, `a::b` and `Vec::<u8>::new` continue a path; a leading `::std` starts one.
        let after_ident = k > 1 && (ident(k - 2).is_some() || is(k - 2, Token::Other('>')));
        let continues_a_path = k > 0
            && (is(k - 1, Token::Other('.')) || (is(k - 1, Token::Punct("::")) && after_ident));
        if continues_a_path || !is(k + 1, Token::Punct("::")) {
            k += 1;
            continue;
        }
        let mut path = bound
            .get(first)
            .cloned()
            .unwrap_or_else(|| vec![first.to_string()]);
        k += 1;
        while is(k, Token::Punct("::")) {
            match ident(k + 1) {
                Some(seg) => {
                    path.push(seg.to_string());
                    out.idents.push((line, seg.to_string()));
                    k += 2;
                }
                None => break,
            }
        }
        out.paths.push((line, path));
    }
    out
}

/// Whether `path` is `banned` or inside it, segment by segment.
fn within(path: &[String], banned: &str) -> bool {
    let banned: Vec<&str> = banned.split("::").collect();
    path.len() >= banned.len() && path.iter().zip(&banned).all(|(a, b)| a == b)
}

/// The crate a path starts with, `None` for the crate's own modules.
fn crate_of(path: &[String]) -> Option<&str> {
    let first = path.first()?.as_str();
    (!matches!(first, "crate" | "self" | "super" | "std" | "core" | "alloc")).then_some(first)
}

/// The broken core rules in the source `text` of a core file called `file`, each once.
fn core_problems(file: &str, text: &str) -> Vec<String> {
    let names = names(text);
    let mut out = Vec::new();
    let mut banned_name = |line: usize, name: &str| {
        if BANNED_NAMES.contains(&name) {
            out.push(format!("{file}:{line}: uses `{name}`"));
        }
    };
    for (line, name) in &names.idents {
        banned_name(*line, name);
    }
    for (line, path) in &names.paths {
        for segment in path {
            banned_name(*line, segment);
        }
    }
    for (line, path) in &names.paths {
        for banned in BANNED_PATHS {
            if within(path, banned) {
                out.push(format!("{file}:{line}: names `{}`", path.join("::")));
            }
        }
        if let Some(krate) = crate_of(path)
            && OWNERS.iter().any(|(edge, _)| *edge == krate)
            && !(krate == "rayon" && file.starts_with("src/batch"))
        {
            out.push(format!("{file}:{line}: uses the edge crate `{krate}`"));
        }
    }
    for (line, name) in &names.macros {
        if BANNED_MACROS.contains(&name.as_str()) {
            out.push(format!("{file}:{line}: prints with `{name}!`"));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

/// The edge crates the source `text` of `file` names outside their owners, as
/// (crate, line).
fn crates_outside_owners(file: &str, text: &str) -> Vec<(&'static str, usize)> {
    let mut out = Vec::new();
    for (line, path) in names(text).paths {
        let Some(krate) = crate_of(&path) else {
            continue;
        };
        for (edge, owners) in OWNERS {
            if edge == krate && !owners.iter().any(|o| file.starts_with(o)) {
                out.push((edge, line));
            }
        }
    }
    out
}

/// `path` relative to the repository root, with `/`.
fn relative(path: &Path) -> String {
    let rel = path.strip_prefix(root()).expect("a file of the repository");
    rel.to_string_lossy().replace('\\', "/")
}

#[test]
fn the_core_uses_no_io_clock_edge_crate_or_unseeded_randomness() {
    let mut problems = Vec::new();
    let mut scanned = 0;
    for folder in CORE {
        let mut files = Vec::new();
        rust_files(&repo(folder), &mut files);
        for file in files {
            let text = fs::read_to_string(&file).expect("readable source");
            problems.extend(core_problems(&relative(&file), &text));
            scanned += 1;
        }
    }
    assert!(scanned >= 20, "only {scanned} core files found");
    assert!(
        problems.is_empty(),
        "core invariants broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_core_scanner_sees_grouped_aliased_and_inline_paths() {
    let text = r#"
use std::{fs, io};
use std::fs as f;
use std::{collections::{BTreeMap, HashMap as Map}, io::{self, Write}};
use rand::{make_rng, rngs::ThreadRng};
use rand as r;
use rayon::prelude::*;
fn f() {
    std::fs::write("a", "b").unwrap();
    let x: u8 = rand::random();
    let y: u8 = r::random();
    let mut g = rand::rng();
    let t = std::time::Instant::now();
    println!("{t:?}");
    let _ = ::std::env::var("HOME");
}
"#;
    let found = core_problems("src/engine/x.rs", text);
    let lines = |needle: &str| -> Vec<usize> {
        found
            .iter()
            .filter(|p| p.contains(needle))
            .map(|p| {
                p.split(':')
                    .nth(1)
                    .expect("a line")
                    .parse()
                    .expect("a number")
            })
            .collect()
    };
    assert_eq!(lines("`std::fs`"), [2, 3], "{found:#?}");
    assert_eq!(lines("`std::fs::write`"), [9], "{found:#?}");
    assert_eq!(lines("`std::io`"), [2, 4], "{found:#?}");
    assert_eq!(lines("`std::io::Write`"), [4], "{found:#?}");
    assert_eq!(lines("`HashMap`"), [4], "{found:#?}");
    assert_eq!(lines("`rand::make_rng`"), [5], "{found:#?}");
    assert_eq!(lines("`ThreadRng`"), [5], "{found:#?}");
    assert_eq!(lines("`rand::random`"), [10, 11], "{found:#?}");
    assert_eq!(lines("`rand::rng`"), [12], "{found:#?}");
    assert_eq!(lines("`Instant`"), [13], "{found:#?}");
    assert_eq!(lines("`println!`"), [14], "{found:#?}");
    assert_eq!(lines("`std::env::var`"), [15], "{found:#?}");
    assert_eq!(lines("edge crate `rayon`"), [7], "{found:#?}");
    // The same rayon import is the batch module's own.
    assert!(
        !core_problems("src/batch/x.rs", "use rayon::prelude::*;")
            .iter()
            .any(|p| p.contains("rayon")),
        "rayon is allowed in src/batch"
    );

    // What names none of these: comments, strings, methods, rand's seeded
    // generators, a module of the crate that shares a crate's name.
    let clean = r##"
//! Reads nothing: std::fs, rand::random() and println! are only mentioned here.
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use crate::output::csv;
/* std::io::stdin() in a block comment /* nested */ still a comment */
fn g(rng: &mut ChaCha8Rng, ctx: &Ctx) -> u64 {
    let s = "std::fs::write and println!(\"x\")";
    let raw = r#"use std::io; rand::rng()"#;
    let c = '"';
    let _ = csv::cells(&[1.0]);
    ctx.rng.random::<u64>() + rng.random_range(0..10u64)
}
"##;
    assert_eq!(
        core_problems("src/engine/x.rs", clean),
        Vec::<String>::new()
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
    assert_eq!(
        missing_paths(&text, &root()),
        Vec::<String>::new(),
        "ARCHITECTURE.md names paths that do not exist"
    );
    let named = text.split('`').filter(|t| looks_like_path(t)).count();
    assert!(named >= 10, "ARCHITECTURE.md names only {named} paths");
}

/// Whether a `code span` of ARCHITECTURE.md is a path of the repository.
fn looks_like_path(token: &str) -> bool {
    ["src/", "tests/", "benches/", "docs/", "scenarios/", ".ci/"]
        .iter()
        .any(|p| token.starts_with(p))
        && !token.contains(' ')
}

/// The paths named in code spans of `text` that do not exist under `root`. A path
/// with the placeholder `<rule>` (a behaviour rule's file) must exist for `stability`.
fn missing_paths(text: &str, root: &Path) -> Vec<String> {
    text.split('`')
        .filter(|t| {
            let path = t.replace("<rule>", "stability");
            looks_like_path(t) && !root.join(path.trim_end_matches('/')).exists()
        })
        .map(String::from)
        .collect()
}

#[test]
fn the_path_checker_catches_a_missing_path() {
    let text = "`src/engine/rng.rs` and `src/engine/` exist; `src/engine/gone.rs` does \
        not; `src/a b.rs` is prose; `src/behaviour/<rule>.rs` exists for a rule, \
        `src/engine/<rule>.rs` does not.";
    assert_eq!(
        missing_paths(text, &root()),
        ["src/engine/gone.rs", "src/engine/<rule>.rs"]
    );
}

#[test]
fn every_edge_crate_stays_in_its_owner_module() {
    let mut files = Vec::new();
    rust_files(&repo("src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = relative(&file);
        let text = fs::read_to_string(&file).expect("readable source");
        for (krate, line) in crates_outside_owners(&rel, &text) {
            found.push((rel.clone(), krate, line));
        }
    }
    let problems: Vec<String> = found
        .iter()
        .map(|(file, krate, line)| {
            let owners = OWNERS.iter().find(|(c, _)| c == krate).expect("an owner").1;
            format!(
                "{file}:{line}: uses {krate}; only {} may",
                owners.join(", ")
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_owner_check_catches_an_edge_crate_outside_its_owner() {
    let text = "use std::{fs, io};\nuse rayon::prelude::*;\nuse csv as c;\n\
        fn f() { let _ = toml::from_str::<u8>(\"\"); ratatui::init(); }\n\
        use ::plotters::prelude::*;\n";
    assert_eq!(
        crates_outside_owners("src/plot/x.rs", text),
        [("rayon", 2), ("csv", 3), ("toml", 4), ("ratatui", 4)]
    );
    assert_eq!(
        crates_outside_owners("src/cli/x.rs", text),
        [
            ("rayon", 2),
            ("csv", 3),
            ("plotters", 5),
            ("toml", 4),
            ("ratatui", 4)
        ]
    );
    assert_eq!(
        crates_outside_owners("src/batch/x.rs", "use rayon::join;"),
        []
    );
    assert_eq!(
        crates_outside_owners("src/cli/watch/app.rs", "use ratatui::Frame;"),
        []
    );
    assert_eq!(
        crates_outside_owners("src/scenario/data.rs", "csv::Reader::from_path(p)"),
        []
    );
    assert_eq!(
        crates_outside_owners("src/cli/execute.rs", "use crate::output::csv;"),
        []
    );
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
