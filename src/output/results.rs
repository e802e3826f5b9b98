//! Reading back the CSV files minilat wrote: the one results reader of `plot`,
//! `report`, `analyze`, `merge`, `--resume` and the rules' files, with one error,
//! [`ReadError`], that names the file, the line and the column.
//!
//! [`CsvReader`] streams a file a row at a time (files can be large: `runs.csv` of a
//! hundred million runs); [`Table`] holds a small file whole (summary, points of a
//! chart, ticks). A cell that must be a number and is empty is NaN, as written.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use crate::error::ReadError;

/// The csv crate's error (which says where) about `path`.
fn csv_error(path: &Path, e: &csv::Error) -> ReadError {
    ReadError::file(path, e.to_string())
}

/// One row of a file held in a [`Table`].
pub type Record = csv::StringRecord;

/// A CSV file read a row at a time.
pub struct CsvReader {
    path: PathBuf,
    reader: csv::Reader<BufReader<File>>,
    headers: Vec<String>,
    record: csv::StringRecord,
    line: u64,
}

impl CsvReader {
    /// Opens `path` and reads its header.
    pub fn open(path: &Path) -> Result<CsvReader, ReadError> {
        CsvReader::at(path, 0)
    }

    /// Opens `path` at byte `offset`: from the top (0) with its header, or from a row's
    /// start without one (`--resume` re-reads the open point's rows of `runs.csv`).
    pub fn at(path: &Path, offset: u64) -> Result<CsvReader, ReadError> {
        let io = |e: std::io::Error| ReadError::file(path, format!("cannot read: {e}"));
        let mut file = File::open(path).map_err(io)?;
        if offset > 0 {
            file.seek(SeekFrom::Start(offset)).map_err(io)?;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(offset == 0)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let headers = if offset == 0 {
            let h = reader.headers().map_err(|e| csv_error(path, &e))?;
            h.iter().map(str::to_string).collect()
        } else {
            Vec::new()
        };
        Ok(CsvReader {
            path: path.to_path_buf(),
            reader,
            headers,
            record: csv::StringRecord::new(),
            line: 1,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Column names in file order.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Whether the file has a column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }

    /// The position of column `name`, or the error naming the file and the column.
    pub fn column(&self, name: &str) -> Result<usize, ReadError> {
        column_of(&self.path, &self.headers, name)
    }

    /// The positions of `names`, in order.
    pub fn columns<S: AsRef<str>>(&self, names: &[S]) -> Result<Vec<usize>, ReadError> {
        names.iter().map(|n| self.column(n.as_ref())).collect()
    }

    /// The next row, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, ReadError> {
        let more = self
            .reader
            .read_record(&mut self.record)
            .map_err(|e| csv_error(&self.path, &e))?;
        if !more {
            return Ok(None);
        }
        self.line += 1;
        let line = self.record.position().map_or(self.line, |p| p.line());
        Ok(Some(Row {
            path: &self.path,
            headers: &self.headers,
            record: &self.record,
            line,
        }))
    }
}

/// One row of a result file, with what it takes to name a bad cell.
pub struct Row<'a> {
    path: &'a Path,
    headers: &'a [String],
    record: &'a csv::StringRecord,
    line: u64,
}

impl<'a> Row<'a> {
    /// The cell of column `c` as written (empty if the row is short).
    pub fn text(&self, c: usize) -> &'a str {
        self.record.get(c).unwrap_or("")
    }

    /// The cells from column `c` on.
    pub fn texts_from(&self, c: usize) -> impl Iterator<Item = &'a str> {
        self.record.iter().skip(c)
    }

    /// The whole record, to write it back unchanged (`merge`).
    pub fn record(&self) -> &'a csv::StringRecord {
        self.record
    }

    /// The row's line in the file.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The cell of column `c` as a number: empty (or `NaN`) is NaN.
    pub fn num(&self, c: usize) -> Result<f64, ReadError> {
        parse_num(self.text(c))
            .ok_or_else(|| self.error(c, format!("not a number: {:?}", self.text(c).trim())))
    }

    /// The cell of column `c` parsed as a `T`; `what` names what was expected ("a run
    /// number") in the error.
    pub fn parse<T: FromStr>(&self, c: usize, what: &str) -> Result<T, ReadError> {
        let cell = self.text(c);
        cell.parse()
            .map_err(|_| self.error(c, format!("expected {what}, found {cell:?}")))
    }

    /// An error about column `c` of this row.
    pub fn error(&self, c: usize, what: impl Into<String>) -> ReadError {
        ReadError {
            path: self.path.to_path_buf(),
            line: Some(self.line),
            column: Some(
                self.headers
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| (c + 1).to_string()),
            ),
            what: what.into(),
        }
    }
}

/// A cell as a number: empty is NaN; `None` if it is not a number.
pub fn parse_num(cell: &str) -> Option<f64> {
    let cell = cell.trim();
    if cell.is_empty() {
        Some(f64::NAN)
    } else {
        cell.parse().ok()
    }
}

fn column_of(path: &Path, headers: &[String], name: &str) -> Result<usize, ReadError> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| ReadError {
            path: path.to_path_buf(),
            line: None,
            column: Some(name.to_string()),
            what: "no such column".into(),
        })
}

/// A small result file held whole, by named columns.
pub struct Table {
    /// The file, for error messages.
    pub path: PathBuf,
    /// Column names in file order.
    pub headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Reads the whole file.
    pub fn read(path: &Path) -> Result<Table, ReadError> {
        Table::read_where(path, |_| true)
    }

    /// Reads `path` if it exists.
    pub fn read_if_present(path: &Path) -> Result<Option<Table>, ReadError> {
        if path.exists() {
            Table::read(path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads the rows `keep` accepts (streaming: memory holds only those).
    pub fn read_where(path: &Path, mut keep: impl FnMut(&Row) -> bool) -> Result<Table, ReadError> {
        let mut reader = CsvReader::open(path)?;
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row()? {
            if keep(&row) {
                rows.push((row.line, row.record.clone()));
            }
        }
        Ok(Table {
            path: path.to_path_buf(),
            headers: reader.headers,
            rows,
        })
    }

    /// Reads rows while `more` says so, given the rows kept so far and the next one;
    /// returns the table and whether the file had more rows.
    pub fn read_while(
        path: &Path,
        mut more: impl FnMut(&[csv::StringRecord], &Row) -> bool,
    ) -> Result<(Table, bool), ReadError> {
        let mut reader = CsvReader::open(path)?;
        let mut kept: Vec<csv::StringRecord> = Vec::new();
        let mut lines = Vec::new();
        let mut cut = false;
        while let Some(row) = reader.next_row()? {
            if !more(&kept, &row) {
                cut = true;
                break;
            }
            lines.push(row.line);
            kept.push(row.record.clone());
        }
        let table = Table {
            path: path.to_path_buf(),
            headers: reader.headers,
            rows: lines.into_iter().zip(kept).collect(),
        };
        Ok((table, cut))
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether the table has a column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }

    /// The position of column `name`, or the error naming it.
    pub fn column(&self, name: &str) -> Result<usize, ReadError> {
        column_of(&self.path, &self.headers, name)
    }

    /// The rows' records.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &csv::StringRecord> + Clone {
        self.rows.iter().map(|(_, r)| r)
    }

    /// Row `r`.
    pub fn row(&self, r: usize) -> &csv::StringRecord {
        &self.rows[r].1
    }

    /// The column `name` as numbers (empty cell = NaN).
    pub fn num(&self, name: &str) -> Result<Vec<f64>, ReadError> {
        let c = self.column(name)?;
        self.rows
            .iter()
            .map(|(line, rec)| {
                Row {
                    path: &self.path,
                    headers: &self.headers,
                    record: rec,
                    line: *line,
                }
                .num(c)
            })
            .collect()
    }

    /// The column `name` as text.
    pub fn text(&self, name: &str) -> Result<Vec<&str>, ReadError> {
        let c = self.column(name)?;
        Ok(self
            .rows
            .iter()
            .map(|(_, rec)| rec.get(c).unwrap_or(""))
            .collect())
    }
}

/// Only the header row of a CSV file.
pub fn read_header(path: &Path) -> Result<Vec<String>, ReadError> {
    Ok(CsvReader::open(path)?.headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_cell_names_the_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.csv");
        std::fs::write(&path, "run,x\n0,1.5\n1,\n2,abc\n").unwrap();
        let mut r = CsvReader::open(&path).unwrap();
        let x = r.column("x").unwrap();
        let mut seen = Vec::new();
        let err = loop {
            let row = r.next_row().unwrap().expect("a row");
            match row.num(x) {
                Ok(v) => seen.push(v),
                Err(e) => break e,
            }
        };
        assert_eq!(seen[0], 1.5);
        assert!(seen[1].is_nan());
        assert_eq!(
            err.to_string(),
            format!(
                "{}: line 4: column x: not a number: \"abc\"",
                path.display()
            )
        );
        let missing = Table::read(&path).unwrap().num("y").unwrap_err();
        assert_eq!(
            missing.to_string(),
            format!("{}: column y: no such column", path.display())
        );
    }
}
