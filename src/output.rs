//! Printing data to stdout as a table (people), CSV or JSON (scripts).
//!
//! CSV and JSON stream row by row so a million-row export never sits in memory;
//! a table is collected first because it has to measure its columns. Documents for people
//! (the register description, `contact show`) are rendered by [`document`].
//!
//! CSV has two dialects ([`CsvStyle`]): lossless for machines, and `--excel` for people
//! opening the file in Excel, where a cell must not run as a formula.

pub mod document;
pub mod excel;
pub mod export;
pub mod file;
pub mod html;
pub mod notice;
pub mod notice_changes;
pub mod ropa;

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use comfy_table::{presets, ContentArrangement, Table};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// The format of a document for people to read (`export notice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    /// Markdown, through the document renderer's Markdown layout.
    Md,
    /// One self-contained HTML5 page.
    Html,
}

impl DocFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DocFormat::Md => "md",
            DocFormat::Html => "html",
        }
    }
}

/// How CSV is written: every CSV writer takes one, so the Excel rule is applied in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    pub delimiter: u8,
    /// Begin with a UTF-8 byte-order mark (Excel otherwise misreads ä, ö and å).
    pub bom: bool,
    /// Excel mode: CRLF line ends, and each cell through [`excel::excel_text`].
    pub excel: bool,
}

impl CsvStyle {
    /// For machines and scripts: every value exactly as stored.
    pub const PLAIN: CsvStyle = CsvStyle {
        delimiter: b',',
        bom: false,
        excel: false,
    };
    /// For Excel (as Finnish Excel reads and writes CSV): `;`, a BOM, CRLF, no formulas.
    pub const EXCEL: CsvStyle = CsvStyle {
        delimiter: b';',
        bom: true,
        excel: true,
    };

    /// The style of `--excel` (or its absence).
    pub fn excel(on: bool) -> CsvStyle {
        if on {
            CsvStyle::EXCEL
        } else {
            CsvStyle::PLAIN
        }
    }

    /// The style asked for with a delimiter and BOM of one's own (`export contacts`): `;` with
    /// a BOM is the file made for Excel, so it is the Excel mode. Err names what conflicts.
    pub fn with_flags(
        self,
        delimiter: Option<u8>,
        bom: bool,
    ) -> std::result::Result<CsvStyle, &'static str> {
        if self.excel {
            return match delimiter {
                Some(d) if d != b';' => Err("--excel writes ';' between fields"),
                _ => Ok(self),
            };
        }
        let delimiter = delimiter.unwrap_or(self.delimiter);
        if delimiter == b';' && bom {
            return Ok(CsvStyle::EXCEL);
        }
        Ok(CsvStyle {
            delimiter,
            bom,
            excel: false,
        })
    }

    /// A CSV writer on `out` in this style; the BOM, if any, is already written.
    pub fn writer<W: Write>(self, mut out: W) -> io::Result<CsvWriter<W>> {
        if self.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut b = csv::WriterBuilder::new();
        b.delimiter(self.delimiter);
        if self.excel {
            b.terminator(csv::Terminator::CRLF);
        }
        Ok(CsvWriter {
            w: b.from_writer(out),
            excel: self.excel,
        })
    }
}

/// CSV in one [`CsvStyle`]: cells go in by [`CsvWriter::field`], records end with
/// [`CsvWriter::end`].
pub struct CsvWriter<W: Write> {
    w: csv::Writer<W>,
    excel: bool,
}

impl<W: Write> CsvWriter<W> {
    pub fn field(&mut self, s: &str) -> io::Result<()> {
        let s = if self.excel {
            excel::excel_text(s)
        } else {
            Cow::Borrowed(s)
        };
        self.w.write_field(s.as_bytes()).map_err(csv_io)
    }

    /// A cell straight from SQLite's buffer (text, so UTF-8): no allocation unless Excel
    /// mode has to change it.
    pub fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        if !self.excel {
            return self.w.write_field(b).map_err(csv_io);
        }
        match String::from_utf8_lossy(b) {
            Cow::Borrowed(s) => self.field(s),
            Cow::Owned(s) => self.field(&s),
        }
    }

    /// Ends the record whose cells were written.
    pub fn end(&mut self) -> io::Result<()> {
        self.w.write_record(None::<&[u8]>).map_err(csv_io)
    }

    /// A whole record.
    pub fn record<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) -> io::Result<()> {
        for c in cells {
            self.field(c.as_ref())?;
        }
        self.end()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// Flushes and gives back the writer underneath.
    pub fn into_inner(self) -> io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
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
    csv: Option<CsvWriter<Box<dyn Write + 'a>>>,
    table: Option<Table>,
    rows: usize,
}

impl<'a> RowWriter<'a> {
    /// Rows to stdout; `csv` is the dialect when `format` is CSV.
    pub fn stdout(
        format: Format,
        csv: CsvStyle,
        headers: &[&str],
    ) -> io::Result<RowWriter<'static>> {
        let out: Box<dyn Write> = Box::new(io::BufWriter::with_capacity(64 * 1024, io::stdout()));
        RowWriter::styled(format, TableStyle::for_stdout(), csv, headers, out)
    }

    /// Rows to `out`, which is not a terminal: a table is drawn [`TableStyle::Plain`].
    pub fn new(
        format: Format,
        csv: CsvStyle,
        headers: &[&str],
        out: Box<dyn Write + 'a>,
    ) -> io::Result<Self> {
        RowWriter::styled(format, TableStyle::Plain, csv, headers, out)
    }

    pub fn styled(
        format: Format,
        style: TableStyle,
        csv: CsvStyle,
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
                let mut c = csv.writer(out)?;
                c.record(&w.headers)?;
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
                        Value::String(s) => c.field(s)?,
                        other => c.field(&cell_text(other))?,
                    }
                }
                c.end()?;
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
pub fn print_record(format: Format, csv: CsvStyle, fields: &[(&str, Value)]) -> io::Result<()> {
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
            let mut c = csv.writer(&mut out)?;
            c.record(fields.iter().map(|(k, _)| *k))?;
            c.record(fields.iter().map(|(_, v)| cell_text(v)))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(style: CsvStyle, bytes: bool) -> String {
        let mut out = Vec::new();
        let mut w = style.writer(&mut out).unwrap();
        w.record(["name", "phone"]).unwrap();
        let cells = ["=HYPERLINK(\"http://x\",\"y\")", "+358401234567"];
        for c in cells {
            if bytes {
                w.bytes(c.as_bytes()).unwrap();
            } else {
                w.field(c).unwrap();
            }
        }
        w.end().unwrap();
        w.flush().unwrap();
        drop(w);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn excel_style_is_semicolons_bom_crlf_and_no_formulas() {
        for bytes in [false, true] {
            assert_eq!(
                written(CsvStyle::EXCEL, bytes),
                "\u{feff}name;phone\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";+358401234567\r\n"
            );
        }
    }

    #[test]
    fn plain_style_keeps_every_value() {
        for bytes in [false, true] {
            assert_eq!(
                written(CsvStyle::PLAIN, bytes),
                "name,phone\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",+358401234567\n"
            );
        }
    }

    #[test]
    fn semicolon_with_bom_is_the_excel_mode() {
        let plain = CsvStyle::PLAIN;
        assert_eq!(plain.with_flags(Some(b';'), true), Ok(CsvStyle::EXCEL));
        assert_eq!(
            plain.with_flags(Some(b';'), false),
            Ok(CsvStyle {
                delimiter: b';',
                bom: false,
                excel: false
            })
        );
        assert_eq!(
            plain.with_flags(None, true),
            Ok(CsvStyle {
                delimiter: b',',
                bom: true,
                excel: false
            })
        );
        assert_eq!(plain.with_flags(None, false), Ok(plain));
        let excel = CsvStyle::EXCEL;
        assert_eq!(excel.with_flags(None, false), Ok(excel));
        assert_eq!(excel.with_flags(Some(b';'), true), Ok(excel));
        assert!(excel.with_flags(Some(b','), false).is_err());
    }
}
