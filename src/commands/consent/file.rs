//! Reading the CSV files of `consent import` and `consent import-unsubscribes`: spreadsheet
//! exports (`,` or `;`, as Finnish Excel writes) and newsletter services' exports, UTF-8 with
//! or without a BOM, columns found by header name. Also the `--rejects` file.

use std::path::{Path, PathBuf};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, Columns};

/// One data row: where it is, the address as written and as looked up, its time.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub email: String,
    /// Case-folded, as contacts store e-mails.
    pub key: String,
    /// Canonical UTC time from the file, `None` when the row has none.
    pub at: Option<String>,
    /// For opt-in imports: the evidence text and the row's evidence columns.
    pub evidence: Option<String>,
}

pub struct Parsed {
    pub headers: Vec<String>,
    pub columns: Columns,
    pub rows: Vec<Row>,
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io(std::io::Error::new(
        e.kind(),
        format!("cannot read {}: {e}", path.display()),
    ))
}

/// `,` or `;`, whichever the header line has more of outside quotes.
fn delimiter(data: &[u8]) -> u8 {
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for &b in data.iter().take_while(|&&b| b != b'\n') {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas {
        b';'
    } else {
        b','
    }
}

/// Reads and checks every row; all problems are reported together (line and column named)
/// and nothing is returned unless the whole file is good. Times later than now are refused.
/// With `evidence`, each row's evidence is that text plus the file's evidence columns.
pub fn parse(
    path: &Path,
    find: impl Fn(&[String]) -> Option<Columns>,
    evidence: Option<&str>,
    ctx: &Ctx,
) -> Result<Parsed> {
    let data = std::fs::read(path).map_err(|e| read_error(path, e))?;
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&data);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter(body))
        .flexible(true)
        .has_headers(true)
        .from_reader(body);
    let file = path.display();
    let headers: Vec<String> = match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect(),
        Err(e) => return Err(Error::InvalidInput(format!("{file}: {e}"))),
    };
    let columns = find(&headers).ok_or_else(|| {
        Error::InvalidInput(format!(
            "{file}: no e-mail column among the headers ({}): {}",
            headers.join(", "),
            consent::EMAIL_HEADERS_EXPECTED
        ))
    })?;
    let now = ctx.now_str();
    let mut errors: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut rec = csv::ByteRecord::new();
    // Line numbers are counted here from byte offsets: the csv crate's own count is off by
    // one after a CRLF header line (Excel's line ending).
    let (mut counted_to, mut newlines) = (0usize, 0u64);
    let mut line_at = |byte: usize| -> u64 {
        // After `\r` the reported start is the `\n` that ends the previous line: skip it.
        let mut end = byte.min(body.len());
        while end < body.len() && matches!(body[end], b'\r' | b'\n') {
            end += 1;
        }
        if end > counted_to {
            newlines += body[counted_to..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted_to = end;
        }
        newlines + 1
    };
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte() as usize));
                errors.push(format!("{file}: line {line}: {e}"));
                break;
            }
        }
        let line = rec.position().map_or(0, |p| line_at(p.byte() as usize));
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line, e.g. at the end of a spreadsheet export
        }
        let field = |i: usize| -> std::result::Result<&str, String> {
            std::str::from_utf8(rec.get(i).unwrap_or(b""))
                .map(str::trim)
                .map_err(|_| {
                    format!(
                        "{file}: line {line}, column {}: not UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)",
                        headers[i]
                    )
                })
        };
        let email = match field(columns.email) {
            Ok("") => {
                errors.push(format!(
                    "{file}: line {line}, column {}: the e-mail address is empty",
                    headers[columns.email]
                ));
                continue;
            }
            Ok(v) => v.to_string(),
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut at = None;
        for col in [columns.primary_time, columns.fallback_time]
            .into_iter()
            .flatten()
        {
            let v = match field(col) {
                Ok("") => continue,
                Ok(v) => v,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            match consent::parse_file_time(v) {
                Some(t) if t > now => errors.push(format!(
                    "{file}: line {line}, column {}: time {v:?} is later than now ({now})",
                    headers[col],
                )),
                Some(t) => {
                    at.get_or_insert(t);
                }
                None => errors.push(format!(
                    "{file}: line {line}, column {}: invalid time {v:?}: {}",
                    headers[col],
                    consent::FILE_TIME_EXPECTED
                )),
            }
        }
        let evidence = evidence.map(|text| {
            consent::import_evidence(
                text,
                columns.evidence.iter().filter_map(|&col| match field(col) {
                    Ok(v) => Some((headers[col].as_str(), v)),
                    // Reported with the row's other errors below.
                    Err(_) => None,
                }),
            )
        });
        for &col in &columns.evidence {
            if let Err(e) = field(col) {
                errors.push(e);
            }
        }
        let key = crate::model::casefold(&email);
        rows.push(Row {
            line,
            email,
            key,
            at,
            evidence,
        });
    }
    if !errors.is_empty() {
        let n = errors.len();
        errors.push(format!(
            "{n} error{} in {file}; nothing was recorded",
            if n == 1 { "" } else { "s" }
        ));
        return Err(Error::InvalidInput(errors.join("\n")));
    }
    Ok(Parsed {
        headers,
        columns,
        rows,
    })
}

/// A rejected row.
pub struct Reject<'a> {
    pub line: u64,
    pub email: &'a str,
    pub reason: &'static str,
}

/// Creates the `--rejects` file up front, so a bad path fails before anything is recorded.
pub fn create_rejects(path: &Path) -> Result<std::fs::File> {
    std::fs::File::create(path).map_err(|e| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot create {}: {e}", path.display()),
        ))
    })
}

/// Writes `line,email,reason` rows (CSV, with a header even when empty).
pub fn write_rejects(file: std::fs::File, path: &Path, rejects: &[Reject]) -> Result<()> {
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let io = |e: csv::Error| {
        Error::Io(std::io::Error::other(format!(
            "cannot write {}: {e}",
            path.display()
        )))
    };
    w.write_record(["line", "email", "reason"]).map_err(io)?;
    for r in rejects {
        w.write_record([r.line.to_string().as_str(), r.email, r.reason])
            .map_err(io)?;
    }
    w.flush()?;
    Ok(())
}

/// Says on stderr how many addresses are unknown and shows the first few (a warning: shown
/// even with --quiet).
pub fn report_unknown(unknown: &[&Reject], rejects: Option<&PathBuf>) {
    if unknown.is_empty() {
        return;
    }
    const SHOWN: usize = 5;
    let mut msg = format!(
        "{} address{} not in the register:",
        unknown.len(),
        if unknown.len() == 1 { " is" } else { "es are" }
    );
    for r in unknown.iter().take(SHOWN) {
        msg.push_str(&format!("\n  line {}: {}", r.line, r.email));
    }
    if unknown.len() > SHOWN {
        msg.push_str(&format!("\n  … and {} more", unknown.len() - SHOWN));
    }
    match rejects {
        Some(p) => msg.push_str(&format!("\nall rejected rows are in {}", p.display())),
        None if unknown.len() > SHOWN => {
            msg.push_str("\n(give --rejects FILE to get them all as CSV)")
        }
        None => {}
    }
    eprintln!("warning: {msg}");
}
