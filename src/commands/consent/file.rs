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
use crate::store::staging::{self, Staging};
use crate::store::Store;

/// Opens `path`, or standard input for `-`. Called before the register is opened, so a
/// missing file does not create a register.
pub fn open(path: &Path, ctx: &Ctx) -> Result<Source> {
    let source = Source::open(path)?;
    if source.is_stdin() && io::stdin().is_terminal() {
        ctx.status("reading CSV from standard input; end it with Ctrl-D");
    }
    Ok(source)
}

pub struct Parsed {
    /// How many data rows the file has.
    pub total: usize,
}

/// Checks every row and stages it (inside the import's transaction, so memory does not grow
/// with the file); all problems are reported together (line and column named) and the
/// import fails unless the whole file is good. Times later than now are refused. A row with
/// an empty e-mail cell (a wholly empty one too) is not an error: it is staged as rejected.
/// With `evidence`, each row's evidence is that text plus the file's evidence columns.
pub fn stage(
    staging: &mut Staging,
    counts: &mut Counts,
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
    let mut total = 0usize;
    while let Some(rec) = rdr.next_record().map_err(in_file)? {
        let line = rec.line;
        total += 1;
        let field = |i: usize| -> std::result::Result<&str, String> {
            rec.text(i)
                .map(str::trim)
                .map_err(|_| format!("{file}: line {line}, column {}: {NOT_UTF8}", headers[i]))
        };
        let email = match field(columns.email) {
            Ok("") => {
                reject(staging, counts, line, "", Why::NoEmail, None)?;
                continue;
            }
            Ok(v) => v,
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
        // A file that fails records nothing: its later rows need no staging.
        if errors.is_empty() {
            let key = crate::model::casefold(email);
            staging.add(line, email, &key, at.as_deref(), evidence.as_deref())?;
        }
    }
    if !errors.is_empty() {
        let n = errors.len();
        errors.push(format!(
            "{n} error{} in {file}; nothing was recorded",
            if n == 1 { "" } else { "s" }
        ));
        return Err(Error::InvalidInput(errors.join("\n")));
    }
    Ok(Parsed { total })
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

    const ALL: [Why; 6] = [
        Why::Unknown,
        Why::InvalidEmail,
        Why::NoEmail,
        Why::Objected,
        Why::Withdrawn,
        Why::Erased,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The reason of a code written by [`Why::code`].
    pub fn parse(code: &str) -> Option<Why> {
        Why::ALL.into_iter().find(|w| w.code() == code)
    }

    /// The reason of a row whose address belongs to no contact. Every stored address passed
    /// the same check, so only unknown ones can fail it.
    pub fn unknown(email: &str) -> Why {
        match validate::email(email) {
            Ok(_) => Why::Unknown,
            Err(_) => Why::InvalidEmail,
        }
    }
}

/// How many rows were rejected, per reason, counted as they are staged (the audit detail
/// needs them before the rejects are read back).
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts([usize; 6]);

impl Counts {
    pub fn add(&mut self, why: Why) {
        self.0[why.index()] += 1;
    }

    pub fn of(&self, why: Why) -> usize {
        self.0[why.index()]
    }

    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// Stages a rejected row and counts it.
pub fn reject(
    staging: &mut Staging,
    counts: &mut Counts,
    line: u64,
    email: &str,
    why: Why,
    detail: Option<&str>,
) -> Result<()> {
    counts.add(why);
    staging.reject(line, email, why.code(), detail)
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

    /// A CSV writer of `line,email,reason` rows, its header written (even when no row follows).
    fn writer(self) -> Result<(PathBuf, csv::Writer<io::BufWriter<File>>)> {
        let mut w = csv::Writer::from_writer(io::BufWriter::new(self.file));
        w.write_record(["line", "email", "reason"])
            .map_err(|e| cannot_write(&self.path, e))?;
        Ok((self.path, w))
    }

    /// After a failed import: a file this run created is removed, so a rerun can create it.
    pub fn discard(self) {
        if self.created {
            drop(self.file);
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn cannot_write(path: &Path, e: csv::Error) -> Error {
    Error::Io(io::Error::other(format!(
        "cannot write {}: {e}",
        path.display()
    )))
}

/// What the report shows of one reason: how many, and the first few rows.
#[derive(Default)]
struct Shown {
    n: usize,
    first: Vec<(u64, String, Option<String>)>,
}

const SHOWN: usize = 5;

/// After the import's transaction: a failed import removes the `--rejects` file it created
/// (so a rerun can create it); a recorded one writes it and says on stderr what was rejected,
/// reading the staged rejects back in file order one at a time.
pub fn settle<T>(
    store: &Store,
    file: Option<RejectsFile>,
    outcome: Result<T>,
    path: Option<&Path>,
) -> Result<T> {
    let done = match outcome {
        Ok(o) => o,
        Err(e) => {
            if let Some(f) = file {
                f.discard();
            }
            return Err(e);
        }
    };
    let mut out = file.map(RejectsFile::writer).transpose()?;
    let mut shown: [Shown; 6] = Default::default();
    let session = store.session();
    staging::for_each_reject(&session, |r| {
        // Only this module writes the codes.
        let why = Why::parse(&r.why).unwrap_or(Why::Unknown);
        if let Some((path, w)) = out.as_mut() {
            w.write_record([r.line.to_string().as_str(), &r.email, why.code()])
                .map_err(|e| cannot_write(path, e))?;
        }
        let s = &mut shown[why.index()];
        s.n += 1;
        if s.first.len() < SHOWN {
            s.first.push((r.line, r.email, r.detail));
        }
        Ok(())
    })?;
    staging::clear(&session)?;
    if let Some((_, mut w)) = out {
        w.flush()?;
    }
    report(&shown, path);
    Ok(done)
}

/// Says on stderr what was rejected and why, showing the first few rows of each kind (a
/// warning: shown even with --quiet).
fn report(shown: &[Shown; 6], path: Option<&Path>) {
    let mut truncated = false;
    let mut last = None;
    for why in Why::ALL {
        let these = &shown[why.index()];
        let n = these.n;
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
        for (line, email, detail) in &these.first {
            if email.is_empty() {
                msg.push_str(&format!("\n  line {line}"));
            } else {
                msg.push_str(&format!("\n  line {line}: {email}"));
            }
            if let Some(d) = detail {
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
