//! The CSV reader every import uses: spreadsheet exports (`,` or `;`, as Finnish Excel
//! writes, with or without Excel's `sep=` line) and newsletter services' exports, UTF-8 with
//! or without a BOM, LF or CRLF. Records come with the line they start on, as an editor
//! shows it, and memory stays bounded: a row longer than [`MAX_ROW_BYTES`] (a quote left
//! open) ends the read instead of pulling the rest of the file into one field.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use super::Source;
use crate::error::{Error, Result};
use crate::model::import::{detect_delimiter, record_start_line, sep_hint, NOT_UTF8};

/// A row longer than this is taken for a quote left open, not read on into memory.
pub const MAX_ROW_BYTES: u64 = 1 << 20;
const BUF: usize = 1 << 16;

/// One record: its cells (a CRLF's `\r` already dropped from the last) and its line.
pub struct Record {
    cells: Cells,
    pub line: u64,
    /// How far into the input its end is, in bytes (for a progress bar).
    pub end: u64,
}

/// A record is checked for UTF-8 once, as a whole: almost every one is, and its cells are
/// then read without checking each again.
enum Cells {
    Text(csv::StringRecord),
    /// At least one cell is not UTF-8.
    Bytes(csv::ByteRecord),
}

impl Cells {
    fn into_bytes(self) -> csv::ByteRecord {
        match self {
            Cells::Text(t) => t.into_byte_record(),
            Cells::Bytes(b) => b,
        }
    }

    fn from_bytes(b: csv::ByteRecord) -> Cells {
        match csv::StringRecord::from_byte_record(b) {
            Ok(t) => Cells::Text(t),
            Err(e) => Cells::Bytes(e.into_byte_record()),
        }
    }
}

impl Record {
    pub fn len(&self) -> usize {
        match &self.cells {
            Cells::Text(t) => t.len(),
            Cells::Bytes(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `i` (0-based) as text: `None` past the row's end, `Err(column)` (1-based) when
    /// it is not UTF-8.
    pub fn get(&self, i: usize) -> Option<std::result::Result<&str, usize>> {
        match &self.cells {
            Cells::Text(t) => t.get(i).map(|c| Ok(c.strip_suffix('\r').unwrap_or(c))),
            Cells::Bytes(b) => b
                .get(i)
                .map(|c| std::str::from_utf8(no_cr(c)).map_err(|_| i + 1)),
        }
    }

    /// Cell `i`, or `""` past the row's end.
    pub fn text(&self, i: usize) -> std::result::Result<&str, usize> {
        self.get(i).unwrap_or(Ok(""))
    }

    /// The first cell that is not UTF-8, 1-based.
    pub fn first_non_utf8(&self) -> Option<usize> {
        match self.cells {
            Cells::Text(_) => None,
            Cells::Bytes(_) => (0..self.len())
                .find(|&i| self.text(i).is_err())
                .map(|i| i + 1),
        }
    }

    /// Every cell as text, when all of them are.
    pub fn texts(&self) -> std::result::Result<Vec<&str>, usize> {
        (0..self.len()).map(|i| self.text(i)).collect()
    }
}

/// A CRLF line end leaves its `\r` on the last field.
fn no_cr(field: &[u8]) -> &[u8] {
    field.strip_suffix(b"\r").unwrap_or(field)
}

/// The header line already read, then the rest of the input.
type Stream = io::Chain<io::Cursor<Vec<u8>>, BufReader<RowGuard<Box<dyn Read>>>>;

/// Reads records one at a time into one reused buffer.
pub struct CsvReader {
    rdr: csv::Reader<Stream>,
    limit: Rc<Cell<u64>>,
    rec: Record,
}

impl CsvReader {
    /// Opens the CSV: strips a UTF-8 BOM, takes the delimiter from Excel's `sep=;` line when
    /// the file starts with one (that line is then skipped), else detects `,` or `;` from
    /// the header line.
    pub fn open(source: &Source) -> Result<CsvReader> {
        let limit = Rc::new(Cell::new(MAX_ROW_BYTES + BUF as u64));
        let guard = RowGuard {
            inner: source.reader()?,
            read: 0,
            limit: limit.clone(),
        };
        let mut buffered = BufReader::with_capacity(BUF, guard);
        let mut first = Vec::new();
        buffered
            .read_until(b'\n', &mut first)
            .map_err(|e| match e.get_ref() {
                Some(i) if i.is::<RowTooLong>() => Error::InvalidInput(format!(
                    "line 1: the header row runs on for more than {} MiB; is this a CSV file?",
                    MAX_ROW_BYTES >> 20
                )),
                _ => Error::Io(e),
            })?;
        if first.starts_with(b"\xEF\xBB\xBF") {
            first.drain(..3);
        }
        // The `sep=` line stays in the stream, read as a record and dropped, so line
        // numbers stay those an editor shows.
        let (delimiter, sep_line) = match sep_hint(&first) {
            None => (detect_delimiter(&first), false),
            Some(Ok(d)) => (d, true),
            Some(Err(line)) => {
                return Err(Error::invalid(
                    "line 1",
                    line,
                    "expected sep=; or sep=, (Excel's delimiter line), or the header row",
                ))
            }
        };
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            // `\n` alone ends a record, so a CRLF record takes its whole line end with it
            // and the next one starts on the right line; the `\r` left on the last field is
            // dropped.
            .terminator(csv::Terminator::Any(b'\n'))
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(BUF)
            .from_reader(io::Cursor::new(first).chain(buffered));
        let mut reader = CsvReader {
            rdr,
            limit,
            rec: Record {
                cells: Cells::Bytes(csv::ByteRecord::new()),
                line: 0,
                end: 0,
            },
        };
        if sep_line {
            // Its bytes were checked: it reads as one record.
            let _ = reader.next_record();
        }
        Ok(reader)
    }

    /// The header row as text: an empty file, or a header that is not UTF-8, is refused
    /// with what to do.
    pub fn header(&mut self, expected: &str) -> Result<(Vec<String>, u64)> {
        match self.next_record() {
            Ok(None) => Err(Error::InvalidInput(format!(
                "the file is empty: expected a header row naming the columns, {expected}"
            ))),
            Ok(Some(rec)) => {
                let line = rec.line;
                let names = rec.texts().map_err(|_| {
                    Error::InvalidInput(format!("line {line}: the header row is {NOT_UTF8}"))
                })?;
                Ok((names.iter().map(|s| s.to_string()).collect(), line))
            }
            Err(e) => Err(e),
        }
    }

    /// The next record that is not a blank line; `None` at the end. A cell that is not
    /// UTF-8 is not an error here (see [`Record::get`]): it is that row's problem.
    pub fn next_record(&mut self) -> Result<Option<&Record>> {
        self.limit
            .set(self.rdr.position().byte() + MAX_ROW_BYTES + BUF as u64);
        loop {
            // Where the previous record ended: this one starts there or after blank lines.
            let line = self.rdr.position().line();
            let cells = std::mem::replace(&mut self.rec.cells, Cells::Bytes(Default::default()));
            let mut bytes = cells.into_bytes();
            let read = self.rdr.read_byte_record(&mut bytes);
            // A blank CRLF line (the reader itself skips blank LF lines). A line `""` is a
            // row with one empty cell, not a blank line.
            let blank = bytes.len() == 1 && &bytes[0] == b"\r";
            let start = record_start_line(bytes.as_slice(), line, self.rdr.position().line());
            self.rec.cells = Cells::from_bytes(bytes);
            match read {
                Ok(false) => return Ok(None),
                Ok(true) if blank => continue,
                Ok(true) => {
                    self.rec.line = start;
                    self.rec.end = self.rdr.position().byte();
                    return Ok(Some(&self.rec));
                }
                Err(e) => return Err(read_error(e, line)),
            }
        }
    }
}

/// `line`: where the record that could not be read starts.
fn read_error(e: csv::Error, line: u64) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|i| i.is::<RowTooLong>()) => {
            Error::InvalidInput(format!(
                "line {line}: a row runs on for more than {} MiB; is a quote (\") left open?",
                MAX_ROW_BYTES >> 20
            ))
        }
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::InvalidInput(format!("line {line}: cannot read the CSV: {other:?}")),
    }
}

/// A reader that refuses to run on past the limit (the last complete record plus
/// [`MAX_ROW_BYTES`]), so a quote left open cannot pull the rest of the file into memory.
struct RowGuard<R> {
    inner: R,
    read: u64,
    limit: Rc<Cell<u64>>,
}

impl<R: Read> Read for RowGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read > self.limit.get() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RowTooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

#[derive(Debug)]
struct RowTooLong;

impl fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row too long")
    }
}

impl std::error::Error for RowTooLong {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn records(text: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text).unwrap();
        let src = Source::open(f.path()).unwrap();
        let mut r = CsvReader::open(&src).unwrap();
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            let cells = rec.texts().unwrap().iter().map(|s| s.to_string()).collect();
            out.push((rec.line, cells));
        }
        out
    }

    #[test]
    fn bom_sep_line_and_crlf_are_handled_and_lines_are_an_editors() {
        let got = records(
            b"\xEF\xBB\xBFsep=;\r\nemail;name\r\na@b.fi;\"two\r\nlines\"\r\n\r\nc@d.fi;x\r\n",
        );
        assert_eq!(
            got,
            vec![
                (2, vec!["email".to_string(), "name".into()]),
                (3, vec!["a@b.fi".to_string(), "two\r\nlines".into()]),
                (6, vec!["c@d.fi".to_string(), "x".into()]),
            ]
        );
    }

    #[test]
    fn comma_or_semicolon_is_taken_from_the_header() {
        assert_eq!(records(b"a,b\n1,2\n")[1].1, vec!["1", "2"]);
        assert_eq!(records(b"a;b\n1;2,5\n")[1].1, vec!["1", "2,5"]);
    }

    #[test]
    fn a_cell_that_is_not_utf8_names_its_column_and_the_next_row_still_reads() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"email,name\na@b.fi,M\xe4tti\nc@d.fi,x\n")
            .unwrap();
        let src = Source::open(f.path()).unwrap();
        let mut r = CsvReader::open(&src).unwrap();
        r.next_record().unwrap();
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!((rec.line, rec.first_non_utf8()), (2, Some(2)));
        assert_eq!(rec.text(0), Ok("a@b.fi"));
        assert_eq!(r.next_record().unwrap().unwrap().text(0), Ok("c@d.fi"));
    }

    #[test]
    fn a_quote_left_open_stops_at_the_row_limit_with_its_line() {
        let mut text = b"email,notes\na@b.fi,\"open\n".to_vec();
        text.extend(std::iter::repeat_n(
            b'x',
            (MAX_ROW_BYTES + 2 * BUF as u64) as usize,
        ));
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&text).unwrap();
        let src = Source::open(f.path()).unwrap();
        let mut r = CsvReader::open(&src).unwrap();
        r.next_record().unwrap();
        let e = r.next_record().err().expect("the row limit").to_string();
        assert!(e.contains("line 2: a row runs on"), "{e}");
    }

    #[test]
    fn an_unknown_sep_line_is_refused_naming_it() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"sep=|\nemail\n").unwrap();
        let src = Source::open(f.path()).unwrap();
        let e = CsvReader::open(&src).err().unwrap().to_string();
        assert!(e.contains("sep=|") && e.contains("sep=;"), "{e}");
    }
}
