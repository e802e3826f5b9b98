//! The modules of `src/` form a stack (ARCHITECTURE.md "Layers"): a file may use
//! `crate::<module>` paths of its own layer or the layers below, never above. This test
//! reads every `src/**/*.rs`, collects the crate paths it uses (`use` lines, grouped
//! `use crate::{a, b::c}`, inline paths such as `crate::engine::run(..)`, and `super::`
//! paths that leave a top-level module), and names file, line and the upward import.
//!
//! NOTE: `#[cfg(test)]` items (inline `mod tests { .. }` and `mod tests;` files) are
//! exempt: a rule's unit test plays whole runs through the engine above it, and tests
//! are not part of the library's import graph. Comments and string literals are not
//! code and are skipped.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::repo;

/// The layers from bottom to top; a module may import its own layer and those below.
/// ARCHITECTURE.md states the same order (checked below).
const LAYERS: [&str; 15] = [
    "analysis",  // pure numerics of sweep designs and estimators; imports nothing
    "model",     // ids, the validated `Scenario` types, states, issues, venues, `World`
    "rules",     // decision rules of bodies and coalitions
    "metrics",   // `Observer`, `Event`, `TickMetrics`, `RunSummary`, statistics
    "act",       // `Ctx`, scratch buffers, voters, production, memberships
    "behaviour", // the behaviour rules
    "engine",    // `Simulation`, the tick phases, `run`
    "batch",     // runs in parallel, in key order
    "error",     // the edge's error types
    "scenario",  // reads scenario files (TOML, CSV) into `model::scenario`
    "narrate",   // events told in words
    "output",    // CSV files and the manifest
    "plot",      // charts from the CSV files
    "report",    // report.html
    "cli",       // the command line
];

/// One `crate::<module>` use that goes up the stack.
#[derive(Debug, PartialEq)]
struct Upward {
    line: usize,
    from: String,
    to: String,
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|&m| m == module)
}

/// The module path of a source file relative to `src/`, e.g. `behaviour/utility.rs`
/// → `["behaviour", "utility"]`, `act/mod.rs` → `["act"]`, `lib.rs` → `[]`.
fn module_path(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// `text` with comments, string and char literals blanked out (newlines kept, so line
/// numbers stay), and with `#[cfg(test)]` items blanked; also the names of the
/// `#[cfg(test)] mod name;` files the text declares.
fn code_only(text: &str) -> (String, Vec<String>) {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (0usize, i);
            while j < bytes.len() {
                if bytes[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if bytes[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if rest.starts_with(b"r\"") || rest.starts_with(b"r#") {
            let hashes = rest[1..].iter().take_while(|&&b| b == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let start = i + 2 + hashes;
            let end = text[start..]
                .find(&close)
                .map_or(bytes.len(), |n| start + n + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, (j + 1).min(bytes.len()));
            i = j + 1;
        } else if rest[0] == b'\'' {
            // A char literal ('x', '\n', '\u{..}'), else a lifetime.
            let end = if rest.get(1) == Some(&b'\\') {
                text[i + 3..].find('\'').map(|n| i + 3 + n + 1)
            } else {
                let c = text[i + 1..].chars().next().map_or(0, char::len_utf8);
                (bytes.get(i + 1 + c) == Some(&b'\'')).then_some(i + 2 + c)
            };
            match end {
                Some(end) => {
                    blank(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    // `#[cfg(test)]` items: blank up to the end of the next `;` or balanced `{..}`.
    let mut test_files = Vec::new();
    let code = String::from_utf8(out).expect("still UTF-8: only ASCII was replaced");
    let mut out = code.clone().into_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]") {
        let start = from + at;
        let after = start + "#[cfg(test)]".len();
        let (mut depth, mut j) = (0usize, after);
        while j < code.len() {
            match code.as_bytes()[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        j += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    let item = code[after..j].trim();
                    if let Some(name) = item.strip_prefix("mod ") {
                        test_files.push(name.trim().to_string());
                    }
                    j += 1;
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        blank(&mut out, start, j.min(code.len()));
        from = j.min(code.len());
    }
    let code = String::from_utf8(out).expect("still UTF-8");
    (code, test_files)
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The identifier at the start of `s` (after whitespace).
fn ident(s: &str) -> &str {
    let s = s.trim_start();
    let n = s.bytes().take_while(|&b| is_ident(b)).count();
    &s[..n]
}

/// The top-level modules that `crate::` at byte `at` of `code` names: one, or each
/// entry of a group `crate::{a::x, b}`.
fn crate_targets(code: &str, at: usize) -> Vec<String> {
    let rest = code[at + "crate::".len()..].trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let mut targets = Vec::new();
        let (mut depth, mut entry_start) = (0usize, 0);
        for (n, b) in group.bytes().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' if depth == 0 => {
                    targets.push(ident(&group[entry_start..n]).to_string());
                    break;
                }
                b'}' => depth -= 1,
                b',' if depth == 0 => {
                    targets.push(ident(&group[entry_start..n]).to_string());
                    entry_start = n + 1;
                }
                _ => {}
            }
        }
        targets.retain(|t| !t.is_empty() && t != "self");
        targets
    } else {
        vec![ident(rest).to_string()]
    }
}

/// The uses of `crate::` and root-leaving `super::` paths in the source of file `rel`
/// (relative to `src/`) that go up the stack, and the modules it names that are in no
/// layer (reported as upward, to a module `"? <name>"`).
fn upward_imports(rel: &str, text: &str) -> Vec<Upward> {
    let path = module_path(rel);
    let Some(from) = path.first() else {
        return Vec::new(); // lib.rs and main.rs declare modules; they import none.
    };
    let (code, _) = code_only(text);
    let own = layer(from);
    let mut found = Vec::new();
    let mut report = |at: usize, to: String| {
        let line = code[..at].matches('\n').count() + 1;
        match (own, layer(&to)) {
            (Some(a), Some(b)) if b <= a => {}
            (_, None) => found.push(Upward {
                line,
                from: from.clone(),
                to: format!("? {to}"),
            }),
            _ => found.push(Upward {
                line,
                from: from.clone(),
                to,
            }),
        }
    };
    let bytes = code.as_bytes();
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b'$') {
            continue; // `$crate::` in a macro, or part of a longer name
        }
        for to in crate_targets(&code, at) {
            report(at, to);
        }
    }
    // `super::` climbs from the file's module; leaving the top-level module it names
    // a sibling of it at the crate root.
    for (at, _) in code.match_indices("super::") {
        if at > 0 && is_ident(bytes[at - 1]) {
            continue;
        }
        let mut rest = &code[at..];
        let mut depth = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            depth += 1;
            rest = r.trim_start();
        }
        if depth == path.len() {
            for to in crate_targets(&format!("crate::{rest}"), 0) {
                report(at, to);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files declared by `#[cfg(test)] mod name;` anywhere in `src/`, relative to `src/`.
fn test_module_files(src: &Path, files: &[PathBuf]) -> BTreeSet<String> {
    let mut exempt = BTreeSet::new();
    for file in files {
        let rel = rel_path(src, file);
        let text = fs::read_to_string(file).expect("readable source");
        let (_, names) = code_only(&text);
        let dir = match rel.rsplit_once('/') {
            Some((dir, "mod.rs" | "lib.rs")) => dir.to_string(),
            Some((dir, name)) => format!("{dir}/{}", name.trim_end_matches(".rs")),
            None if matches!(rel.as_str(), "lib.rs" | "main.rs") => String::new(),
            None => rel.trim_end_matches(".rs").to_string(),
        };
        for name in names {
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            exempt.insert(format!("{prefix}{name}.rs"));
            exempt.insert(format!("{prefix}{name}/mod.rs"));
        }
    }
    exempt
}

fn rel_path(src: &Path, file: &Path) -> String {
    file.strip_prefix(src)
        .expect("under src")
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let src = repo("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let exempt = test_module_files(&src, &files);
    let mut problems = Vec::new();
    for file in &files {
        let rel = rel_path(&src, file);
        if exempt.contains(&rel) {
            continue;
        }
        let text = fs::read_to_string(file).expect("readable source");
        for up in upward_imports(&rel, &text) {
            problems.push(format!(
                "src/{rel}:{}: {} uses crate::{} (layer above it; bottom to top: {})",
                up.line,
                up.from,
                up.to,
                LAYERS.join(" → ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "imports that go up the stack:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer_and_architecture_states_the_order() {
    let lib = fs::read_to_string(repo("src/lib.rs")).expect("lib.rs");
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';'))
        .collect();
    let layered: BTreeSet<&str> = LAYERS.into_iter().collect();
    assert_eq!(declared, layered, "src/lib.rs's modules and LAYERS differ");
    let doc = fs::read_to_string(repo("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let stated = doc
        .lines()
        .find_map(|l| l.strip_prefix("Layers, bottom to top: "))
        .expect("ARCHITECTURE.md has a line `Layers, bottom to top: ...`");
    let stated: Vec<&str> = stated
        .trim_end_matches('.')
        .split(" → ")
        .map(|m| m.trim_matches('`'))
        .collect();
    assert_eq!(stated, LAYERS, "ARCHITECTURE.md states another order");
}

// The checker's own cases: it must catch what it is for.

#[test]
fn the_checker_catches_an_upward_use_line() {
    let text = "//! A rule.\n\nuse crate::model::World;\nuse crate::engine::tick::step;\n";
    assert_eq!(
        upward_imports("behaviour/x.rs", text),
        [Upward {
            line: 4,
            from: "behaviour".into(),
            to: "engine".into()
        }]
    );
}

#[test]
fn the_checker_catches_grouped_inline_and_super_paths() {
    let text = "use crate::{\n    model::World,\n    engine::{run, RunKey},\n};\n\
                fn f() { crate::batch::run_batch(); }\n";
    let found = upward_imports("behaviour/x.rs", text);
    let targets: Vec<(usize, &str)> = found.iter().map(|u| (u.line, u.to.as_str())).collect();
    assert_eq!(targets, [(1, "engine"), (5, "batch")]);
    // From a module root, `super::` names a sibling at the crate root.
    let found = upward_imports("act/mod.rs", "use super::engine::tick;\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].to, "engine");
    // One level down it stays inside the module.
    assert!(upward_imports("act/vote.rs", "use super::scratch::Scratch;\n").is_empty());
    // An unknown module is reported too: every module must be given a layer.
    assert_eq!(
        upward_imports("model/x.rs", "use crate::newthing::X;\n")[0].to,
        "? newthing"
    );
}

#[test]
fn the_checker_passes_legal_uses_comments_strings_and_tests() {
    let text = r#"//! Talks about [`crate::engine::run`] in a doc comment.
use crate::model::World;
use crate::rules::{self, Voter};
/* crate::cli:: in a block comment */
const S: &str = "crate::engine in a string";
const R: &str = r"crate::engine in a raw string";
fn f<'a>(x: &'a str) -> char { let _ = crate::metrics::Discard; '"' }
#[cfg(test)]
mod tests {
    use crate::engine::Simulation;
    fn g() { crate::cli::main(); }
}
"#;
    assert_eq!(upward_imports("act/x.rs", text), []);
}
