//! Architecture checks (rust-analyzer's tidy tests, rapier's deny-list): the core does
//! no I/O, reads no clock, knows no edge crate and draws no unseeded randomness; every
//! path named in ARCHITECTURE.md exists.

use std::fs;
use std::path::Path;

use crate::repo;

const CORE: [&str; 7] = [
    "src/analysis",
    "src/model",
    "src/rules",
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
        ("ctrlc", "src/cli"),
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
