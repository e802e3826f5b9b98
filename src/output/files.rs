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
/// Name of the file that records how far an unfinished batch got.
pub const CHECKPOINT: &str = "checkpoint.json";

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
                for name in [MANIFEST, CHECKPOINT] {
                    let marker = path.join(name);
                    if marker.exists() {
                        fs::remove_file(&marker).map_err(io("removing", &marker))?;
                    }
                }
            }
        } else {
            fs::create_dir_all(path).map_err(io("creating", path))?;
        }
        Ok(OutputDir {
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing directory as it is (for `--resume` and `merge`'s inputs).
    pub fn existing(path: &Path) -> OutputDir {
        OutputDir {
            path: path.to_path_buf(),
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reopens `name.partial` (or, if it was already committed, `name`, which goes
    /// back to being partial), cut to `len` bytes, to append from there.
    pub fn reopen(&self, name: &str, len: u64) -> Result<PartialFile, OutputError> {
        let final_path = self.path.join(name);
        let partial = self.path.join(format!("{name}.partial"));
        if !partial.exists() && final_path.exists() {
            fs::rename(&final_path, &partial).map_err(io("renaming", &final_path))?;
        }
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&partial)
            .map_err(io("opening", &partial))?;
        let found = file.metadata().map_err(io("reading", &partial))?.len();
        if found < len {
            return Err(OutputError::Mismatch(format!(
                "cannot resume: {} has {found} bytes but the checkpoint recorded {len}; it was changed or lost; use --force to start again",
                partial.display()
            )));
        }
        file.set_len(len).map_err(io("truncating", &partial))?;
        let mut writer = BufWriter::with_capacity(1 << 16, file);
        use std::io::Seek;
        writer
            .seek(std::io::SeekFrom::End(0))
            .map_err(io("seeking", &partial))?;
        Ok(PartialFile {
            writer,
            partial,
            final_path,
        })
    }

    /// Removes `name` if present.
    pub fn remove(&self, name: &str) -> Result<(), OutputError> {
        let path = self.path.join(name);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io("removing", &path)(e)),
            _ => Ok(()),
        }
    }

    /// Syncs the directory itself, so renames survive a power loss (best effort: not
    /// every platform can open a directory).
    fn sync(&self) {
        if let Ok(dir) = File::open(&self.path) {
            let _ = dir.sync_all();
        }
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
        f.commit()?;
        self.sync();
        Ok(())
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

    /// Syncs the data written so far (call after flushing); returns the file's length.
    pub fn sync_flushed(&self) -> std::io::Result<u64> {
        let file = self.writer.get_ref();
        file.sync_data()?;
        Ok(file.metadata()?.len())
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.final_path
    }
}
