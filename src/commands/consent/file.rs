//! Reading the CSV files of `consent import` and `consent import-unsubscribes`: spreadsheet
//! exports (`,` or `;`, as Finnish Excel writes) and newsletter services' exports, UTF-8 with
//! or without a BOM, columns found by header name. Also the rejected rows: the `--rejects`
//! file and the warnings.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::input::csv::CsvReader;
use crate::input::Source;
use crate::model::consent::{self, Columns};
use crate::model::import::NOT_UTF8;
use crate::model::labels::count_of;
use crate::model::validate;

/// Opens `path`, or standard input for `-`. Called before the register is opened, so a
/// missing file does not create a register.
pub fn open(path: &Path, ctx: &Ctx) -> Result<Source> {
    let source = Source::open(path)?;
    if source.is_stdin() && io::stdin().is_terminal() {
        ctx.status("reading CSV from standard input; end it with Ctrl-D");
    }
    Ok(source)
}

/// One data row: where it is, the address as written and as looked up, its time.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub email: String,
    /// Case-folded, as contacts store e-mails.
    pub key: String,
    /// Canonical UTC time from the file, `None` when the row has none.
    pub at: Option<String>,
    /// The evidence text and the row's evidence columns (when `parse` was given a text).
    pub evidence: Option<String>,
}

pub struct Parsed {
    pub headers: Vec<String>,
    pub columns: Columns,
    /// The rows with an address.
    pub rows: Vec<Row>,
    /// The lines of the rows whose e-mail cell is empty (rejected, not an error).
    pub no_email: Vec<u64>,
}

impl Parsed {
    /// How many data rows the file has.
    pub fn total(&self) -> usize {
        self.rows.len() + self.no_email.len()
    }
}

/// Checks every row; all problems are reported together (line and column named) and nothing
/// is returned unless the whole file is good. Times later than now are refused. A row with
/// an empty e-mail cell (a wholly empty one too) is not an error: its line is kept for the
/// report. With `evidence`, each row's evidence is that text plus the file's evidence columns.
pub fn parse(
    input: &Source,
    find: impl Fn(&[String]) -> Option<Columns>,
    evidence: Option<&str>,
    ctx: &Ctx,
) -> Result<Parsed> {
    let file = input.name();
    // Messages name the file: the reader's own name only the line.
    let in_file = |e: Error| match e {
        Error::InvalidInput(m) => Error::InvalidInput(format!("{file}: {m}")),
        e => e,
    };
    let mut rdr = CsvReader::open(input).map_err(in_file)?;
    let (headers, _) = rdr
        .header(consent::EMAIL_HEADERS_EXPECTED)
        .map_err(in_file)?;
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let columns = find(&headers).ok_or_else(|| {
        Error::InvalidInput(format!(
            "{file}: no e-mail column among the headers ({}): {}",
            headers.join(", "),
            consent::EMAIL_HEADERS_EXPECTED
        ))
    })?;
    let now = ctx.now_str();
    let zone = ctx.zone();
    let mut errors: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut no_email = Vec::new();
    while let Some(rec) = rdr.next_record().map_err(in_file)? {
        let line = rec.line;
        let field = |i: usize| -> std::result::Result<&str, String> {
            rec.text(i)
                .map(str::trim)
                .map_err(|_| format!("{file}: line {line}, column {}: {NOT_UTF8}", headers[i]))
        };
        let email = match field(columns.email) {
            Ok("") => {
                no_email.push(line);
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
            match consent::parse_file_time(v, zone) {
                Some(t) => match consent::check_act_time(&t, &now, zone) {
                    Ok(()) => {
                        at.get_or_insert(t);
                    }
                    Err(e) => errors.push(format!(
                        "{file}: line {line}, column {}: invalid time {v:?}: {e}",
                        headers[col],
                    )),
                },
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
        no_email,
    })
}

/// Why a row was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Unknown,
    InvalidEmail,
    NoEmail,
    Objected,
    Withdrawn,
    /// The address is on the suppression list: the person was erased.
    Erased,
}

impl Why {
    /// As written in the `--rejects` file and counted in the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Why::Unknown => "unknown",
            Why::InvalidEmail => "invalid-email",
            Why::NoEmail => "no-email",
            Why::Objected => "objected",
            Why::Withdrawn => "withdrawn",
            Why::Erased => "erased",
        }
    }
}

/// A rejected row.
pub struct Reject<'a> {
    pub line: u64,
    pub email: &'a str,
    pub why: Why,
    /// More about this row, shown after its address in the warning ("erased on …").
    pub detail: Option<String>,
}

/// Every rejected row of `parsed`, in file order: the rows without an address, the `unknown`
/// ones (split into invalid addresses and addresses not in the register) and `others`.
pub fn rejects<'a>(
    parsed: &'a Parsed,
    unknown: &[usize],
    others: impl IntoIterator<Item = (usize, Why)>,
) -> Vec<Reject<'a>> {
    let row = |i: usize, why: Why| Reject {
        line: parsed.rows[i].line,
        email: &parsed.rows[i].email,
        why,
        detail: None,
    };
    // Every stored address passed the same check, so only unknown ones can fail it.
    let mut out: Vec<Reject> = unknown
        .iter()
        .map(|&i| match validate::email(&parsed.rows[i].email) {
            Ok(_) => row(i, Why::Unknown),
            Err(_) => row(i, Why::InvalidEmail),
        })
        .chain(others.into_iter().map(|(i, why)| row(i, why)))
        .chain(parsed.no_email.iter().map(|&line| Reject {
            line,
            email: "",
            why: Why::NoEmail,
            detail: None,
        }))
        .collect();
    out.sort_by_key(|r| r.line);
    out
}

/// How many of `rejects` were rejected for `why`.
pub fn count(rejects: &[Reject], why: Why) -> usize {
    rejects.iter().filter(|r| r.why == why).count()
}

/// The `--rejects` file, created before anything is recorded so a bad path fails first.
pub struct RejectsFile {
    path: PathBuf,
    file: File,
    /// Whether this run created it (and so removes it when the import fails).
    created: bool,
}

impl RejectsFile {
    /// Creates `path`; an existing file is overwritten only with `force`.
    pub fn create(path: Option<&Path>, force: bool) -> Result<Option<RejectsFile>> {
        let Some(path) = path else { return Ok(None) };
        let cannot = |e: io::Error| {
            Error::Io(io::Error::new(
                e.kind(),
                format!("cannot create {}: {e}", path.display()),
            ))
        };
        let existing = match std::fs::metadata(path) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(cannot(e)),
        };
        // Devices and pipes (`--rejects /dev/stderr`) are written to, not overwritten.
        if existing.as_ref().is_some_and(|m| m.is_file()) && !force {
            return Err(Error::Conflict(format!(
                "--rejects {}: the file already exists; give --force to overwrite it, or another name",
                path.display()
            )));
        }
        let file = match existing {
            None => File::options().write(true).create_new(true).open(path),
            Some(_) => File::create(path),
        }
        .map_err(cannot)?;
        Ok(Some(RejectsFile {
            path: path.to_path_buf(),
            file,
            created: existing.is_none(),
        }))
    }

    /// Writes `line,email,reason` rows (CSV, with a header even when empty).
    pub fn write(self, rejects: &[Reject]) -> Result<()> {
        let path = self.path;
        let mut w = csv::Writer::from_writer(io::BufWriter::new(self.file));
        let io = |e: csv::Error| {
            Error::Io(io::Error::other(format!(
                "cannot write {}: {e}",
                path.display()
            )))
        };
        w.write_record(["line", "email", "reason"]).map_err(io)?;
        for r in rejects {
            w.write_record([r.line.to_string().as_str(), r.email, r.why.code()])
                .map_err(io)?;
        }
        w.flush()?;
        Ok(())
    }

    /// After a failed import: a file this run created is removed, so a rerun can create it.
    pub fn discard(self) {
        if self.created {
            drop(self.file);
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// After the import's transaction: a failed import removes the `--rejects` file it created
/// (so a rerun can create it); a recorded one writes it and says on stderr what was rejected.
pub fn settle<'a, T>(
    file: Option<RejectsFile>,
    outcome: Result<(T, Vec<Reject<'a>>)>,
    path: Option<&Path>,
) -> Result<(T, Vec<Reject<'a>>)> {
    let (done, rejects) = match outcome {
        Ok(o) => o,
        Err(e) => {
            if let Some(f) = file {
                f.discard();
            }
            return Err(e);
        }
    };
    if let Some(f) = file {
        f.write(&rejects)?;
    }
    report(&rejects, path);
    Ok((done, rejects))
}

/// Says on stderr what was rejected and why, showing the first few rows of each kind (a
/// warning: shown even with --quiet).
pub fn report(rejects: &[Reject], path: Option<&Path>) {
    const SHOWN: usize = 5;
    let mut truncated = false;
    let mut last = None;
    for why in [
        Why::Unknown,
        Why::InvalidEmail,
        Why::NoEmail,
        Why::Objected,
        Why::Withdrawn,
        Why::Erased,
    ] {
        let these: Vec<&Reject> = rejects.iter().filter(|r| r.why == why).collect();
        let n = these.len();
        if n == 0 {
            continue;
        }
        let mut msg = match why {
            Why::Unknown => format!(
                "{} not in the register:",
                count_of(n, "address is", "addresses are")
            ),
            Why::InvalidEmail => format!(
                "{} an invalid e-mail address (expected one like matti.meikalainen@example.fi):",
                count_of(n, "row has", "rows have")
            ),
            Why::NoEmail => format!(
                "{} no e-mail address (an empty cell):",
                count_of(n, "row has", "rows have")
            ),
            Why::Objected => format!(
                "{} not granted: the person has objected; only `consent grant --override-objection` \
                 with new evidence can lift an objection:",
                count_of(n, "row was", "rows were")
            ),
            Why::Withdrawn => format!(
                "{} not granted: the person has withdrawn, and the row has no time showing a later \
                 opt-in:",
                count_of(n, "row was", "rows were")
            ),
            Why::Erased => format!(
                "{} not granted: the person was erased (the address is on the suppression list); \
                 if the person has come back, add them with `contact add --returning` first:",
                count_of(n, "row was", "rows were")
            ),
        };
        for r in these.iter().take(SHOWN) {
            if r.email.is_empty() {
                msg.push_str(&format!("\n  line {}", r.line));
            } else {
                msg.push_str(&format!("\n  line {}: {}", r.line, r.email));
            }
            if let Some(d) = &r.detail {
                msg.push_str(&format!(" ({d})"));
            }
        }
        if n > SHOWN {
            truncated = true;
            msg.push_str(&format!("\n  … and {} more", n - SHOWN));
        }
        if let Some(prev) = last.replace(msg) {
            eprintln!("warning: {prev}");
        }
    }
    let Some(mut msg) = last else { return };
    match path {
        Some(p) => msg.push_str(&format!("\nall rejected rows are in {}", p.display())),
        None if truncated => msg.push_str("\n(give --rejects FILE to get them all as CSV)"),
        None => {}
    }
    eprintln!("warning: {msg}");
}
