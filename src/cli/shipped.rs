//! The shipped scenario library, embedded in the binary by `build.rs`: `minilat run
//! quickstart` and `minilat list` work from any directory, and `minilat init NAME`
//! writes a scenario with its data out to edit.
//!
//! A scenario named instead of given as a file is read from a copy of the library
//! in the user's cache folder (`$XDG_CACHE_HOME/minilat/VERSION/scenarios`, else
//! `~/.cache/...`), written on first use and rewritten if it differs from the binary's,
//! so its data files resolve as they do in the source tree and the manifest names a
//! real file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::InputError;
use crate::output::files::write_atomic;

include!(concat!(env!("OUT_DIR"), "/shipped.rs"));

/// The names of the shipped scenarios (`quickstart`, `classroom`, ...), sorted.
pub fn names() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(path, _)| path.strip_suffix(".toml"))
        .filter(|stem| !stem.contains('/'))
        .collect()
}

/// The file a scenario argument means: the file itself if it exists; else, for a
/// bare name of a shipped scenario (`quickstart` or `quickstart.toml`), its copy in
/// the cache folder; else the argument unchanged (the loader reports it missing).
pub fn resolve(arg: &Path) -> Result<PathBuf> {
    if arg.exists() {
        return Ok(arg.to_path_buf());
    }
    let text = arg.to_string_lossy();
    let stem = text.strip_suffix(".toml").unwrap_or(&text);
    if stem.contains(['/', '\\']) || !names().contains(&stem) {
        return Ok(arg.to_path_buf());
    }
    Ok(library()?.join(format!("{stem}.toml")))
}

/// The cache copy of the whole library, brought up to date with this binary.
pub fn library() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let dir = base
        .join("minilat")
        .join(env!("CARGO_PKG_VERSION"))
        .join("scenarios");
    for (rel, bytes) in FILES {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|b| b == *bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        write_atomic(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(dir)
}

/// The library's files a scenario needs: itself, its designs, and every data file
/// with the source notes (the data folder is small and shared).
fn files_of(name: &str) -> Vec<(&'static str, &'static [u8])> {
    let file = format!("{name}.toml");
    let designs = format!("designs/{name}/");
    FILES
        .iter()
        .filter(|(rel, _)| *rel == file || rel.starts_with(&designs) || rel.starts_with("data/"))
        .copied()
        .collect()
}

/// `minilat init NAME... [--dir DIR] [--force]`: writes shipped scenarios with their
/// data and designs into `dir`; refuses to replace a file that differs unless `force`.
/// Returns the files written.
pub fn init(names: &[String], dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let shipped = self::names();
    let mut wanted: Vec<&str> = Vec::new();
    for name in names {
        let stem = name.strip_suffix(".toml").unwrap_or(name);
        if stem == "all" {
            wanted.extend(&shipped);
        } else if let Some(s) = shipped.iter().find(|s| **s == stem) {
            wanted.push(s);
        } else {
            return Err(InputError(format!(
                "no shipped scenario is named {name:?}; the library has: {}, or all",
                shipped.join(", ")
            ))
            .into());
        }
    }
    let mut files: Vec<(&str, &[u8])> = wanted.iter().flat_map(|n| files_of(n)).collect();
    files.sort_by_key(|(rel, _)| *rel);
    files.dedup_by_key(|(rel, _)| *rel);
    let clashes: Vec<String> = files
        .iter()
        .map(|(rel, bytes)| (dir.join(rel), bytes))
        .filter(|(path, bytes)| std::fs::read(path).is_ok_and(|b| b != **bytes))
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !clashes.is_empty() && !force {
        return Err(InputError(format!(
            "{} already exist{} with other contents (edited?); pass --force to replace, or choose another --dir",
            clashes.join(", "),
            if clashes.len() == 1 { "s" } else { "" }
        ))
        .into());
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|b| b == bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        write_atomic(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_is_embedded_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        for (rel, bytes) in FILES {
            assert_eq!(std::fs::read(root.join(rel)).expect(rel), *bytes, "{rel}");
        }
        assert!(names().contains(&"quickstart") && names().contains(&"classroom"));
        assert!(FILES.iter().any(|(rel, _)| *rel == "data/states2016.csv"));
        assert!(
            FILES
                .iter()
                .any(|(rel, _)| rel.starts_with("designs/naim/"))
        );
    }

    #[test]
    fn a_scenario_comes_with_its_designs_and_the_data() {
        let naim: Vec<&str> = files_of("naim").iter().map(|(r, _)| *r).collect();
        assert!(naim.contains(&"naim.toml"));
        assert!(naim.contains(&"designs/naim/cost.toml"));
        assert!(naim.contains(&"data/SOURCES.md"));
        assert!(!naim.contains(&"quickstart.toml"));
        assert!(!naim.iter().any(|r| r.starts_with("designs/un-vs-g20")));
    }
}
