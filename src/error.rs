//! Errors users read. Scenario mistakes carry `origin:line:col: field: message`;
//! output problems carry the path and say how to fix them. `anyhow` is used only in
//! `cli.rs` and `main.rs`.

use std::fmt;
use std::path::{Path, PathBuf};

/// How many scenario errors are printed before "... and N more".
pub const MAX_SHOWN_ERRORS: usize = 20;

/// One problem in a scenario file, a data file or a `--set` override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (as the user named it), a CSV data file, or `--set path=value`.
    pub origin: String,
    /// 1-based line and column, when the problem has a place in the text.
    pub position: Option<(usize, usize)>,
    /// The dotted field path, e.g. `bodies[2].rule`, or `row 8: column gdp` for CSV.
    pub field: String,
    /// What was expected and what was found, e.g.
    /// `expected one of unanimity, consensus, veto, qmv; found "majority"`.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.field, self.message)
        }
    }
}

/// Every problem found in a scenario, in file order. Never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        for (i, e) in self.0.iter().take(MAX_SHOWN_ERRORS).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        if n > MAX_SHOWN_ERRORS {
            write!(f, "\n... and {} more", n - MAX_SHOWN_ERRORS)?;
        }
        write!(f, "\n{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for ScenarioErrors {}

/// A result file that cannot be read as expected: the file, and where known the line
/// (1 = the header) and the column.
#[derive(Debug, thiserror::Error)]
#[error("{}{}{}: {what}", path.display(), line.map_or(String::new(), |l| format!(": line {l}")), column.as_ref().map_or(String::new(), |c| format!(": column {c}")))]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// The line, if the problem is in one.
    pub line: Option<u64>,
    /// The column, if the problem is in one.
    pub column: Option<String>,
    /// What is wrong.
    pub what: String,
}

impl ReadError {
    /// A problem with the file as a whole.
    pub fn file(path: &Path, what: impl Into<String>) -> ReadError {
        ReadError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            what: what.into(),
        }
    }
}

/// Problems writing results.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output directory already holds files and `--force` was not given.
    #[error(
        "{} already holds results from an earlier run; pass --force to replace them or choose another --out DIR",
        .0.display()
    )]
    NotEmpty(PathBuf),
    /// Another minilat process is writing into the output directory.
    #[error(
        "{} is in use by another minilat process (it holds the directory's lock); wait for it to finish, or choose another --out DIR",
        .0.display()
    )]
    Locked(PathBuf),
    /// An I/O failure, with the path it concerned.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done ("writing", "creating", "renaming").
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A result file cannot be read back as expected.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A CSV serialisation failure.
    #[error("writing {}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: csv::Error,
    },
    /// The output directory holds an unfinished batch (a checkpoint, no manifest).
    #[error(
        "{} holds an unfinished batch ({done} of {total} runs done); continue it with --resume, or replace it with --force",
        path.display()
    )]
    Unfinished {
        /// The directory.
        path: PathBuf,
        /// Runs done.
        done: u64,
        /// Runs in the batch.
        total: u64,
    },
    /// Results cannot be resumed or merged as asked (the message says why and what to
    /// do).
    #[error("{0}")]
    Mismatch(String),
    /// The user interrupted the batch; what is done is kept.
    #[error("interrupted after {done} of {total} runs; the results so far are kept in {}; continue with the same command and --resume", path.display())]
    Interrupted {
        /// The directory.
        path: PathBuf,
        /// Runs done.
        done: u64,
        /// Runs in the batch.
        total: u64,
    },
}
