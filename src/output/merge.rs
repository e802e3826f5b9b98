//! `minilat merge`: shard directories → one sweep directory. A shard holds the points
//! `p` with `p % N == I`, and every file of a sweep starts with the `point` column in
//! ascending order, so the merge walks the points in order and copies each point's
//! rows from its shard, streaming. Rows are re-written by the same CSV writer that
//! wrote them, so the result is byte-identical to the unsharded sweep.

use std::path::Path;

use csv::StringRecord;

use super::files::{MANIFEST, OutputDir};
use super::manifest::Manifest;
use super::results::CsvReader;
use crate::error::OutputError;

fn csv_err(path: &Path) -> impl FnOnce(csv::Error) -> OutputError + '_ {
    move |source| OutputError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

/// One shard's file, read a row ahead: the row and its point.
struct ShardRows {
    reader: CsvReader,
    next: Option<(u32, StringRecord)>,
}

impl ShardRows {
    fn advance(&mut self) -> Result<(), OutputError> {
        self.next = match self.reader.next_row()? {
            Some(row) => Some((row.parse(0, "a point number")?, row.record().clone())),
            None => None,
        };
        Ok(())
    }

    /// The point of the next row.
    fn point(&self) -> Option<u32> {
        self.next.as_ref().map(|(p, _)| *p)
    }

    fn path(&self) -> &Path {
        self.reader.path()
    }
}

/// Checks that shard `dir`'s files are as its manifest recorded them when the shard
/// finished (lines, bytes and SHA-256 of each): a shard that lost or gained rows, or
/// whose values were edited, is refused before anything is merged.
pub fn verify_shard(dir: &Path, manifest: &Manifest) -> Result<(), OutputError> {
    let refuse = |why: String| {
        OutputError::Mismatch(format!(
            "cannot merge {}: {why}; run the shard again (minilat sweep ... --shard I/N --force)",
            dir.display()
        ))
    };
    if manifest.checks.is_empty() {
        return Err(refuse(
            "its manifest.json records no file checks (it was written by an older minilat)".into(),
        ));
    }
    for name in manifest.files.iter().filter(|f| *f != MANIFEST) {
        let Some(recorded) = manifest.checks.iter().find(|c| c.name == *name) else {
            return Err(refuse(format!(
                "its manifest.json records no check of {name}"
            )));
        };
        let found =
            super::manifest::FileCheck::of(dir, name).map_err(|source| OutputError::Io {
                action: "reading",
                path: dir.join(name),
                source,
            })?;
        if found.lines != recorded.lines {
            return Err(refuse(format!(
                "{name} has {} lines but had {} when the shard finished (rows were lost or added)",
                found.lines, recorded.lines
            )));
        }
        if found != *recorded {
            return Err(refuse(format!(
                "{name} was changed after the shard finished (its SHA-256 is not the one recorded in manifest.json)"
            )));
        }
    }
    Ok(())
}

/// Merges file `names` of the shard directories `dirs` (shard `i` at index `i`) into
/// `out`, for a design of `points` points with `replicates` runs each: every point of
/// `runs.csv` must hold exactly `replicates` rows.
pub fn merge_shards(
    dirs: &[&Path],
    out: &OutputDir,
    names: &[String],
    points: u32,
    replicates: u32,
) -> Result<(), OutputError> {
    let n = dirs.len() as u32;
    for name in names {
        if name == super::STATES || name == super::COVERAGE {
            copy_identical(dirs, out, name)?;
            continue;
        }
        let mut shards = Vec::with_capacity(dirs.len());
        let mut header: Option<Vec<String>> = None;
        for dir in dirs {
            let path = dir.join(name);
            let reader = CsvReader::open(&path)?;
            let h = reader.headers().to_vec();
            match &header {
                None => header = Some(h),
                Some(first) if *first != h => {
                    return Err(OutputError::Mismatch(format!(
                        "cannot merge: {} has other columns than {}",
                        path.display(),
                        dirs[0].join(name).display()
                    )));
                }
                Some(_) => {}
            }
            let mut rows = ShardRows { reader, next: None };
            rows.advance()?;
            shards.push(rows);
        }
        let target = out.path().join(name);
        let mut w = super::csv::writer(out.create(name)?);
        if let Some(h) = &header {
            w.write_record(h).map_err(csv_err(&target))?;
        }
        for p in 0..points {
            let shard = &mut shards[(p % n) as usize];
            let mut rows = 0u32;
            while shard.point() == Some(p) {
                if let Some((_, record)) = &shard.next {
                    w.write_record(record).map_err(csv_err(&target))?;
                }
                rows += 1;
                shard.advance()?;
            }
            if name == super::RUNS && rows != replicates {
                return Err(OutputError::Mismatch(format!(
                    "cannot merge: {} has {rows} runs of point {p}, but the sweep has {replicates} replicates per point",
                    shard.path().display()
                )));
            }
        }
        for shard in &shards {
            if let Some(p) = shard.point() {
                return Err(OutputError::Mismatch(format!(
                    "cannot merge: {} has rows for point {p} out of order or outside shard's points",
                    shard.path().display()
                )));
            }
        }
        let file = w.into_inner().map_err(|e| OutputError::Io {
            action: "writing",
            path: target.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        file.commit()?;
    }
    Ok(())
}

/// Copies a file that every shard holds identically (the scenario's `states.csv`).
fn copy_identical(dirs: &[&Path], out: &OutputDir, name: &str) -> Result<(), OutputError> {
    let read = |dir: &Path| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|source| OutputError::Io {
            action: "reading",
            path,
            source,
        })
    };
    let first = read(dirs[0])?;
    for dir in &dirs[1..] {
        if read(dir)? != first {
            return Err(OutputError::Mismatch(format!(
                "cannot merge: {} differs from {}",
                dir.join(name).display(),
                dirs[0].join(name).display()
            )));
        }
    }
    out.write_all(name, &first)
}

/// Writes the merged directory's manifest (last), with the checks of its files.
pub fn write_manifest(out: &OutputDir, m: &Manifest) -> Result<(), OutputError> {
    let names: Vec<&str> = m
        .files
        .iter()
        .filter(|f| *f != MANIFEST)
        .map(String::as_str)
        .collect();
    super::write_manifest(out, m, &names)
}
