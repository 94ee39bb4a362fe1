//! Printing data to stdout as a table (people), CSV or JSON (scripts).
//!
//! CSV and JSON stream row by row so a million-row export never sits in memory;
//! a table is collected first because it has to measure its columns. Documents for people
//! (the register description, `contact show`) are rendered by [`document`].

pub mod document;
pub mod excel;
pub mod file;
pub mod notice;

use std::io::{self, IsTerminal, Write};

use comfy_table::{presets, ContentArrangement, Table};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// A cell rendered as text for tables and CSV (`null` is empty).
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        other => other.to_string(),
    }
}

/// `Some(text)` as a JSON string, `None` as null.
pub fn opt(s: Option<impl Into<String>>) -> Value {
    s.map(|s| Value::String(s.into())).unwrap_or(Value::Null)
}

/// How a table is drawn: chosen by where it goes, never guessed from stdout when the table
/// is rendered into a file or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableStyle {
    /// Box-drawing lines, wrapped to the terminal's width.
    Terminal,
    /// Markdown-style ASCII at its natural width: files, pipes, mail from cron.
    Plain,
}

impl TableStyle {
    /// The style for tables written to this process's stdout.
    pub fn for_stdout() -> TableStyle {
        if io::stdout().is_terminal() {
            TableStyle::Terminal
        } else {
            TableStyle::Plain
        }
    }
}

pub fn new_table(style: TableStyle, headers: &[&str]) -> Table {
    let mut t = Table::new();
    match style {
        TableStyle::Terminal => t.load_preset(presets::UTF8_FULL_CONDENSED),
        // comfy-table would otherwise ask stdout for a width to wrap to.
        TableStyle::Plain => t.load_preset(presets::ASCII_MARKDOWN).force_no_tty(),
    };
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header(headers.iter().copied());
    t
}

/// A sink for rows of one shape; finish() must be called to close JSON arrays and flush.
pub struct RowWriter<'a> {
    format: Format,
    headers: Vec<String>,
    out: Box<dyn Write + 'a>,
    csv: Option<csv::Writer<Box<dyn Write + 'a>>>,
    table: Option<Table>,
    rows: usize,
}

impl<'a> RowWriter<'a> {
    /// Rows to stdout.
    pub fn stdout(format: Format, headers: &[&str]) -> io::Result<RowWriter<'static>> {
        let out: Box<dyn Write> = Box::new(io::BufWriter::with_capacity(64 * 1024, io::stdout()));
        RowWriter::styled(format, TableStyle::for_stdout(), headers, out)
    }

    /// Rows to `out`, which is not a terminal: a table is drawn [`TableStyle::Plain`].
    pub fn new(format: Format, headers: &[&str], out: Box<dyn Write + 'a>) -> io::Result<Self> {
        RowWriter::styled(format, TableStyle::Plain, headers, out)
    }

    pub fn styled(
        format: Format,
        style: TableStyle,
        headers: &[&str],
        out: Box<dyn Write + 'a>,
    ) -> io::Result<Self> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let mut w = RowWriter {
            format,
            headers,
            out: Box::new(io::sink()),
            csv: None,
            table: None,
            rows: 0,
        };
        match format {
            Format::Csv => {
                let mut c = csv::WriterBuilder::new().from_writer(out);
                c.write_record(&w.headers).map_err(csv_io)?;
                w.csv = Some(c);
            }
            Format::Json => {
                w.out = out;
                w.out.write_all(b"[")?;
            }
            Format::Table => {
                w.out = out;
                let h: Vec<&str> = w.headers.iter().map(String::as_str).collect();
                w.table = Some(new_table(style, &h));
            }
        }
        Ok(w)
    }

    pub fn row(&mut self, cells: Vec<Value>) -> io::Result<()> {
        debug_assert_eq!(cells.len(), self.headers.len());
        match self.format {
            Format::Csv => {
                let c = self.csv.as_mut().expect("csv writer");
                for v in &cells {
                    match v {
                        Value::String(s) => c.write_field(s.as_bytes()),
                        other => c.write_field(cell_text(other).as_bytes()),
                    }
                    .map_err(csv_io)?;
                }
                c.write_record(None::<&[u8]>).map_err(csv_io)?;
            }
            Format::Json => {
                if self.rows > 0 {
                    self.out.write_all(b",")?;
                }
                self.out.write_all(b"\n  ")?;
                let mut m = Map::with_capacity(cells.len());
                for (h, v) in self.headers.iter().zip(cells) {
                    m.insert(h.clone(), v);
                }
                serde_json::to_writer(&mut self.out, &Value::Object(m)).map_err(io::Error::from)?;
            }
            Format::Table => {
                let t = self.table.as_mut().expect("table");
                t.add_row(cells.iter().map(cell_text));
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// How many rows were written.
    pub fn count(&self) -> usize {
        self.rows
    }

    pub fn finish(mut self) -> io::Result<usize> {
        match self.format {
            Format::Csv => {
                let mut c = self.csv.take().expect("csv writer");
                c.flush()?;
            }
            Format::Json => {
                if self.rows > 0 {
                    self.out.write_all(b"\n")?;
                }
                self.out.write_all(b"]\n")?;
                self.out.flush()?;
            }
            Format::Table => {
                let t = self.table.take().expect("table");
                if self.rows > 0 {
                    writeln!(self.out, "{t}")?;
                }
                self.out.flush()?;
            }
        }
        Ok(self.rows)
    }
}

pub(crate) fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// One record (e.g. `contact show`): a two-column table, a one-row CSV, or a JSON object.
pub fn print_record(format: Format, fields: &[(&str, Value)]) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout());
    match format {
        Format::Table => {
            let mut t = new_table(TableStyle::for_stdout(), &["field", "value"]);
            for (k, v) in fields {
                t.add_row(vec![k.to_string(), cell_text(v)]);
            }
            writeln!(out, "{t}")?;
        }
        Format::Csv => {
            let mut c = csv::Writer::from_writer(&mut out);
            c.write_record(fields.iter().map(|(k, _)| *k))
                .map_err(csv_io)?;
            c.write_record(fields.iter().map(|(_, v)| cell_text(v)))
                .map_err(csv_io)?;
            c.flush()?;
        }
        Format::Json => {
            let m: Map<String, Value> = fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            serde_json::to_writer_pretty(&mut out, &Value::Object(m)).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()
}

/// Any serialisable value as pretty JSON on stdout.
pub fn print_json(v: &impl serde::Serialize) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout());
    serde_json::to_writer_pretty(&mut out, v).map_err(io::Error::from)?;
    writeln!(out)?;
    out.flush()
}
