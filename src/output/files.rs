//! Writing files so that nothing is lost and nothing incomplete looks complete: an
//! existing non-empty output directory is refused unless `--force`; each file is
//! written as `NAME.partial` and renamed when complete; `manifest.json` is written
//! last and marks the directory complete.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::OutputError;
use crate::scenario::BehaviourRule;

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
    /// Takes the directory's lock (see [`lock`]) for the rest of the process.
    ///
    /// With `force` every file an earlier batch left (see [`is_result_file`]) is removed,
    /// the markers first, so that an interrupted run never leaves the old "complete"
    /// marker beside new files and no stale file is mixed into the new results. Files
    /// of other kinds are left alone.
    pub fn prepare(path: &Path, force: bool) -> Result<OutputDir, OutputError> {
        if !path.exists() {
            fs::create_dir_all(path).map_err(io("creating", path))?;
        }
        lock(path)?;
        let mut entries = fs::read_dir(path).map_err(io("reading", path))?;
        if entries.next().is_some() {
            if !force {
                return Err(OutputError::NotEmpty(path.to_path_buf()));
            }
            clear(path)?;
        }
        Ok(OutputDir {
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing directory as it is (`merge`'s inputs, or a directory whose
    /// lock is already held).
    pub fn existing(path: &Path) -> OutputDir {
        OutputDir {
            path: path.to_path_buf(),
        }
    }

    /// Opens an existing directory to add to it (`--resume`, `analyze`, `plot`,
    /// `report`), taking its lock.
    /// A missing directory is not locked (the caller reports it missing).
    pub fn locked(path: &Path) -> Result<OutputDir, OutputError> {
        if path.is_dir() {
            lock(path)?;
        }
        Ok(OutputDir::existing(path))
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
        let file = no_follow(fs::OpenOptions::new().read(true).write(true))
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
        let file = create_partial(&partial).map_err(io("creating", &partial))?;
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

/// Creates `partial` afresh for writing without following a link: whatever is at that
/// name (an old partial file, or a planted symbolic link) is removed first, and the
/// file is created exclusively, so bytes never land outside the output directory.
pub fn create_partial(partial: &Path) -> std::io::Result<File> {
    match fs::remove_file(partial) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    no_follow(fs::OpenOptions::new().write(true).create_new(true)).open(partial)
}

/// Writes `bytes` to `path` through a partial file beside it (never through a link),
/// renamed when complete: the one atomic write of every output (charts, report,
/// story, analysis files).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let partial = path.with_file_name(format!("{name}.partial"));
    let result = create_partial(&partial)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&partial, path));
    if result.is_err() {
        let _ = fs::remove_file(&partial);
    }
    result
}

/// Opening options that refuse a symbolic link as the last component (Unix).
fn no_follow(options: &mut fs::OpenOptions) -> &mut fs::OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options
}

/// Whether minilat writes files by this name into an output directory: result tables
/// (`*.csv`), markers, the report, a rule's text file, partial files and the charts
/// folder. `--force` removes exactly these.
pub fn is_result_file(name: &str) -> bool {
    name.ends_with(".csv")
        || name.ends_with(".partial")
        || matches!(name, MANIFEST | CHECKPOINT | "report.html" | "charts")
        || BehaviourRule::ALL
            .iter()
            .any(|r| r.facts().files.contains(&name))
}

/// Removes every result file of an earlier batch from `dir` (markers first).
pub fn clear(dir: &Path) -> Result<(), OutputError> {
    for name in [MANIFEST, CHECKPOINT] {
        let marker = dir.join(name);
        if fs::symlink_metadata(&marker).is_ok() {
            fs::remove_file(&marker).map_err(io("removing", &marker))?;
        }
    }
    let entries = fs::read_dir(dir).map_err(io("reading", dir))?;
    for entry in entries {
        let entry = entry.map_err(io("reading", dir))?;
        let name = entry.file_name();
        if !is_result_file(&name.to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().map_err(io("reading", &path))?.is_dir();
        if is_dir {
            clear_charts(&path)?;
        } else {
            fs::remove_file(&path).map_err(io("removing", &path))?;
        }
    }
    Ok(())
}

/// Removes the chart images (`*.png`, `*.svg` and partial files) from a charts folder,
/// and the folder if that empties it.
fn clear_charts(dir: &Path) -> Result<(), OutputError> {
    for entry in fs::read_dir(dir).map_err(io("reading", dir))? {
        let path = entry.map_err(io("reading", dir))?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with(".png") || name.ends_with(".svg") || name.contains(".partial") {
            fs::remove_file(&path).map_err(io("removing", &path))?;
        }
    }
    let _ = fs::remove_dir(dir);
    Ok(())
}

/// Takes an exclusive lock on the output directory `dir` for the rest of the process,
/// so that two minilat processes never write into the same directory: the second is
/// refused with [`OutputError::Locked`]. Locking a directory this process already
/// holds succeeds. (An advisory `flock` on the directory itself: no lock file to
/// leave behind; released by the kernel when the process ends, however it ends.)
pub fn lock(dir: &Path) -> Result<(), OutputError> {
    use std::sync::Mutex;
    static HELD: Mutex<Vec<(PathBuf, File)>> = Mutex::new(Vec::new());
    let key = fs::canonicalize(dir).map_err(io("opening", dir))?;
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    if held.iter().any(|(p, _)| *p == key) {
        return Ok(());
    }
    let file = File::open(&key).map_err(io("opening", dir))?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor this function owns; no memory is shared.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Err(OutputError::Locked(dir.to_path_buf()));
            }
            return Err(io("locking", dir)(e));
        }
    }
    held.push((key, file));
    Ok(())
}
