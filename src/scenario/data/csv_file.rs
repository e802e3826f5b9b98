//! Reading a CSV data file named by the scenario: opened relative to the scenario's
//! folder and hashed as an input; `#` lines are comments and cells are trimmed.
//! Problems in the file are reported at its line, as `row N` or `row N: column C`,
//! and sorted where the scenario names the file.

use std::path::Path;

use crate::error::ScenarioError;
use crate::scenario::document::{io_message, sha256_hex};
use crate::scenario::parse::Place;
use crate::scenario::reader::Ctx;

/// A data file's reader: over its bytes, read whole (and hashed) when opened.
type CsvReader = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// Opens the CSV file `file` (relative to `base_dir`; `#` lines are comments, cells
/// trimmed) and reads its header. A file that cannot be opened or has no readable
/// header is an error at `place` for `field`. Returns the path as shown in errors, the
/// reader and the header.
fn open_csv(
    ctx: &mut Ctx,
    base_dir: &Path,
    file: &str,
    place: &Place,
    field: &str,
) -> Option<(String, CsvReader, csv::StringRecord)> {
    let path = base_dir.join(file);
    let cannot_read = |ctx: &mut Ctx, why: String| {
        let resolved = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        let message = format!(
            "cannot read {file:?} (resolved to {}): {why}",
            resolved.display()
        );
        ctx.error(place, field, message);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            cannot_read(ctx, io_message(&e));
            return None;
        }
    };
    ctx.inputs
        .push((path.display().to_string(), sha256_hex(&bytes)));
    let reader = std::io::Cursor::new(bytes);
    let mut csv = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(reader);
    match csv.headers() {
        Ok(headers) => {
            let headers = headers.clone();
            Some((path.display().to_string(), csv, headers))
        }
        Err(e) => {
            cannot_read(ctx, csv_message(&e));
            None
        }
    }
}

/// A CSV error as a short message without the crate's position prefix.
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io_message(io),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields like the header, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_owned(),
        _ => e.to_string(),
    }
}

/// Where a data file's problems are reported: the file as shown in errors
/// (`<scenario dir>/<file>`), and where the scenario names it (they sort there).
#[derive(Clone, Debug)]
pub(in crate::scenario) struct Source {
    pub(in crate::scenario) origin: String,
    pub(in crate::scenario) anchor: Place,
}

impl Source {
    /// Records a problem in data row `row` (1-based, at `line` of the file), in
    /// `column`, or in the row as a whole when `column` is empty.
    pub(in crate::scenario) fn error(
        &self,
        ctx: &mut Ctx,
        row: usize,
        line: usize,
        column: &str,
        message: String,
    ) {
        let field = if column.is_empty() {
            format!("row {row}")
        } else {
            format!("row {row}: column {column}")
        };
        let error = ScenarioError {
            origin: self.origin.clone(),
            position: Some((line, 1)),
            field,
            message,
        };
        ctx.push(self.anchor.clone(), error);
    }
}

/// One data row: its 1-based number (header and comments not counted), its 1-based
/// line in the file, and its cells.
pub(in crate::scenario) struct Row {
    pub(in crate::scenario) number: usize,
    pub(in crate::scenario) line: usize,
    pub(in crate::scenario) record: csv::StringRecord,
}

impl Row {
    /// The cell at column index `at`; empty past the end.
    pub(in crate::scenario) fn cell(&self, at: usize) -> &str {
        self.record.get(at).unwrap_or("")
    }
}

/// An open CSV data file, read a row at a time.
pub(in crate::scenario) struct CsvFile {
    pub(in crate::scenario) source: Source,
    pub(in crate::scenario) headers: csv::StringRecord,
    records: csv::StringRecordsIntoIter<std::io::Cursor<Vec<u8>>>,
    rows: usize,
}

impl CsvFile {
    /// Opens `file` as [`open_csv`] does; `place` is where the scenario names it.
    pub(in crate::scenario) fn open(
        ctx: &mut Ctx,
        base_dir: &Path,
        file: &str,
        place: &Place,
        field: &str,
    ) -> Option<CsvFile> {
        let (origin, csv, headers) = open_csv(ctx, base_dir, file, place, field)?;
        Some(CsvFile {
            source: Source {
                origin,
                anchor: place.clone(),
            },
            headers,
            records: csv.into_records(),
            rows: 0,
        })
    }

    /// The next row. A row that cannot be read (ragged, not UTF-8) is reported and
    /// skipped; any other error ends the file.
    pub(in crate::scenario) fn next_row(&mut self, ctx: &mut Ctx) -> Option<Row> {
        loop {
            let record = self.records.next()?;
            self.rows += 1;
            match record {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| p.line());
                    return Some(Row {
                        number: self.rows,
                        line: usize::try_from(line).unwrap_or(0),
                        record,
                    });
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    let line = usize::try_from(line).unwrap_or(0);
                    self.source.error(ctx, self.rows, line, "", csv_message(&e));
                    let recoverable = matches!(
                        e.kind(),
                        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                    );
                    if !recoverable {
                        return None;
                    }
                }
            }
        }
    }

    /// Records a problem in `column` of `row` ("" for the row as a whole).
    pub(in crate::scenario) fn error(
        &self,
        ctx: &mut Ctx,
        row: &Row,
        column: &str,
        message: String,
    ) {
        self.source
            .error(ctx, row.number, row.line, column, message);
    }

    /// The index of the column headed `name`.
    pub(in crate::scenario) fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The headers, joined for "the file has columns ...".
    pub(in crate::scenario) fn header_list(&self) -> String {
        self.headers.iter().collect::<Vec<_>>().join(", ")
    }
}
