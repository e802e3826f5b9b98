//! Writing files so that nothing is lost and nothing incomplete looks complete: an
//! existing non-empty output directory is refused unless `--force`; each file is
//! written as `NAME.partial` and renamed when complete; `manifest.json` is written
//! last and marks the directory complete.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::OutputError;

/// Name of the file that marks an output directory complete.
pub const MANIFEST: &str = "manifest.json";

fn io<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> OutputError + 'p {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// An output directory prepared for a new set of results.
#[derive(Debug)]
pub struct OutputDir {
    path: PathBuf,
}

impl OutputDir {
    /// Creates `path` (and parents) or, if it exists and holds anything, refuses
    /// unless `force`. With `force` the old manifest is removed first, so that an
    /// interrupted run never leaves the old "complete" marker beside new files.
    pub fn prepare(path: &Path, force: bool) -> Result<OutputDir, OutputError> {
        if path.exists() {
            let mut entries = fs::read_dir(path).map_err(io("reading", path))?;
            if entries.next().is_some() {
                if !force {
                    return Err(OutputError::NotEmpty(path.to_path_buf()));
                }
                let manifest = path.join(MANIFEST);
                if manifest.exists() {
                    fs::remove_file(&manifest).map_err(io("removing", &manifest))?;
                }
            }
        } else {
            fs::create_dir_all(path).map_err(io("creating", path))?;
        }
        Ok(OutputDir {
            path: path.to_path_buf(),
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens `name.partial` for writing.
    pub fn create(&self, name: &str) -> Result<PartialFile, OutputError> {
        let final_path = self.path.join(name);
        let partial = self.path.join(format!("{name}.partial"));
        let file = File::create(&partial).map_err(io("creating", &partial))?;
        Ok(PartialFile {
            writer: BufWriter::with_capacity(1 << 16, file),
            partial,
            final_path,
        })
    }

    /// Writes `bytes` to `name` through a partial file.
    pub fn write_all(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut f = self.create(name)?;
        f.write_all(bytes)
            .map_err(io("writing", &f.partial.clone()))?;
        f.commit()
    }
}

/// A file being written; becomes visible under its final name on [`PartialFile::commit`].
#[derive(Debug)]
pub struct PartialFile {
    writer: BufWriter<File>,
    partial: PathBuf,
    final_path: PathBuf,
}

impl Write for PartialFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

impl PartialFile {
    /// Flushes, syncs and renames the file to its final name.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.writer.flush().map_err(io("writing", &self.partial))?;
        self.writer
            .get_ref()
            .sync_all()
            .map_err(io("syncing", &self.partial))?;
        fs::rename(&self.partial, &self.final_path).map_err(io("renaming", &self.partial))
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.final_path
    }
}
