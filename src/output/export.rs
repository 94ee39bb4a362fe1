//! What every `export` writes through: a target (stdout, or an `--output` file placed whole)
//! and a sink that streams rows of one shape as CSV or as a JSON array of objects.
//!
//! Rows go out one at a time from borrowed cells, so an export of a million rows holds one
//! row in memory. The columns are the export's documented interface (`docs/exports.md`):
//! they are only ever added at the end.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Result;
use crate::output::file::NewFile;
use crate::output::{CsvStyle, CsvWriter};

/// Where an export goes.
pub enum Target {
    Stdout(io::BufWriter<io::StdoutLock<'static>>),
    File(NewFile),
}

impl Target {
    /// `--output FILE`, or stdout. The file's directory and name are checked (and the temp
    /// file made) here, before the disclosure is recorded.
    pub fn new(output: Option<&Path>) -> Result<Target> {
        Ok(match output {
            Some(path) => Target::File(NewFile::create(path, "--output")?),
            None => Target::Stdout(io::BufWriter::with_capacity(
                256 * 1024,
                io::stdout().lock(),
            )),
        })
    }

    /// Flushes stdout, or places the whole file under its name (returned).
    pub fn finish(self) -> Result<Option<PathBuf>> {
        match self {
            Target::Stdout(mut out) => {
                out.flush()?;
                Ok(None)
            }
            Target::File(f) => Ok(Some(f.place()?)),
        }
    }
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Stdout(w) => w.write(buf),
            Target::File(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Target::Stdout(w) => w.write_all(buf),
            Target::File(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Stdout(w) => w.flush(),
            Target::File(w) => w.flush(),
        }
    }
}

/// One cell of a row, borrowed where it can be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Empty in CSV, `null` in JSON.
    Null,
    Text(&'a str),
    /// Text straight from SQLite's buffer (UTF-8).
    Bytes(&'a [u8]),
    Int(i64),
    /// `true`/`false` in CSV and JSON alike.
    Bool(bool),
}

impl<'a> From<&'a Value> for Cell<'a> {
    fn from(v: &'a Value) -> Cell<'a> {
        match v {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::String(s) => Cell::Text(s),
            Value::Number(n) => n.as_i64().map_or(Cell::Null, Cell::Int),
            // No export has nested cells; shown as text rather than lost.
            Value::Array(_) | Value::Object(_) => Cell::Null,
        }
    }
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(v: Option<&'a str>) -> Cell<'a> {
        v.map_or(Cell::Null, Cell::Text)
    }
}

/// Rows of one shape as CSV (header first) or a JSON array of objects keyed by the columns.
pub enum Sink<W: Write> {
    Csv(CsvWriter<W>),
    Json {
        out: W,
        /// `"column":` for each column, escaped once.
        keys: Vec<Vec<u8>>,
        rows: u64,
    },
}

impl<W: Write> Sink<W> {
    pub fn csv(out: W, style: CsvStyle, columns: &[&str]) -> io::Result<Self> {
        let mut w = style.writer(out)?;
        w.record(columns)?;
        Ok(Sink::Csv(w))
    }

    pub fn json(mut out: W, columns: &[&str]) -> io::Result<Self> {
        out.write_all(b"[")?;
        let keys = columns
            .iter()
            .map(|k| {
                let mut key = serde_json::to_vec(k).unwrap_or_default();
                key.push(b':');
                key
            })
            .collect();
        Ok(Sink::Json { out, keys, rows: 0 })
    }

    /// One row: as many cells as there are columns, in their order.
    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        match self {
            Sink::Csv(w) => {
                let mut num = itoa::Buffer::new();
                for c in cells {
                    match c {
                        Cell::Null => w.field("")?,
                        Cell::Text(s) => w.field(s)?,
                        Cell::Bytes(b) => w.bytes(b)?,
                        Cell::Int(n) => w.field(num.format(*n))?,
                        Cell::Bool(b) => w.field(if *b { "true" } else { "false" })?,
                    }
                }
                w.end()
            }
            Sink::Json { out, keys, rows } => {
                debug_assert_eq!(cells.len(), keys.len());
                out.write_all(if *rows == 0 { b"\n  {" } else { b",\n  {" })?;
                for (i, (k, c)) in keys.iter().zip(cells).enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    out.write_all(k)?;
                    match c {
                        Cell::Null => out.write_all(b"null")?,
                        Cell::Text(s) => json_str(out, s)?,
                        Cell::Bytes(b) => json_str(out, &String::from_utf8_lossy(b))?,
                        Cell::Int(n) => out.write_all(itoa::Buffer::new().format(*n).as_bytes())?,
                        Cell::Bool(b) => out.write_all(if *b { b"true" } else { b"false" })?,
                    }
                }
                *rows += 1;
                out.write_all(b"}")
            }
        }
    }

    /// Ends the CSV or the JSON array; returns the target.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Sink::Csv(mut w) => {
                w.flush()?;
                w.into_inner()
            }
            Sink::Json { mut out, rows, .. } => {
                out.write_all(if rows == 0 { b"]\n" } else { b"\n]\n" })?;
                Ok(out)
            }
        }
    }
}

fn json_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    serde_json::to_writer(out, s).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [&str; 5] = ["id", "name", "restricted", "note", "raw"];

    fn rows() -> [[Cell<'static>; 5]; 2] {
        [
            [
                Cell::Int(1),
                Cell::Text("Äijälä, \"Oy\""),
                Cell::Bool(false),
                Cell::Null,
                Cell::Bytes(b"=1+2"),
            ],
            [
                Cell::Int(-2),
                Cell::Text("Åsa\nÖ"),
                Cell::Bool(true),
                Cell::Text(""),
                Cell::Bytes("å".as_bytes()),
            ],
        ]
    }

    fn written(mut sink: Sink<Vec<u8>>) -> String {
        for r in rows() {
            sink.row(&r).unwrap();
        }
        String::from_utf8(sink.finish().unwrap()).unwrap()
    }

    #[test]
    fn csv_has_the_header_and_every_value_exactly() {
        let out = written(Sink::csv(Vec::new(), CsvStyle::PLAIN, &COLUMNS).unwrap());
        assert_eq!(
            out,
            "id,name,restricted,note,raw\n1,\"Äijälä, \"\"Oy\"\"\",false,,=1+2\n-2,\"Åsa\nÖ\",true,,å\n"
        );
        // The Excel dialect applies to every cell, raw ones too.
        let excel = written(Sink::csv(Vec::new(), CsvStyle::EXCEL, &COLUMNS).unwrap());
        assert!(excel.contains(";'=1+2\r\n"), "{excel}");
    }

    #[test]
    fn json_is_an_array_of_typed_objects_in_column_order() {
        let out = written(Sink::json(Vec::new(), &COLUMNS).unwrap());
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!([
                {"id": 1, "name": "Äijälä, \"Oy\"", "restricted": false, "note": null, "raw": "=1+2"},
                {"id": -2, "name": "Åsa\nÖ", "restricted": true, "note": "", "raw": "å"},
            ])
        );
        let first_keys: Vec<&str> = v[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(first_keys, COLUMNS);
        let empty = Sink::json(Vec::new(), &COLUMNS).unwrap().finish().unwrap();
        assert_eq!(empty, b"[]\n");
    }
}
