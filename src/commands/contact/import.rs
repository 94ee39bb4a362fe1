//! `rekisteri contact import FILE|-`
//!
//! Rows are streamed (one reused record; only a bounded list of problems is kept), each is
//! validated with the same rules as `contact add`, and everything happens in one
//! transaction: any invalid row and nothing is imported. Into an empty register the bulk
//! path of [`crate::store::import`] is taken.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::rc::Rc;

use indicatif::{ProgressBar, ProgressStyle};
use rusqlite::Connection;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::contact::{ContactData, DraftRef, FieldError};
use crate::model::import::{detect_delimiter, with_import_source, Header, OnDuplicate, RowError};
use crate::store::import::{self as sql, Inserter, LineMap};
use crate::store::{audit, contacts};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV file with a header row naming the columns (any subset that includes `email`:
    /// id, first_name, last_name, email, phone, company, business_id, position, street,
    /// postal_code, city, customer_number, birth_date, category, source, started, ended,
    /// last_contact, notes), or `-` for standard input
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// Validate every row and say what would happen; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// A row whose e-mail is already in the register or on an earlier row
    #[arg(long, value_enum, default_value_t = OnDuplicate::Fail, value_name = "WHAT")]
    pub on_duplicate: OnDuplicate,
}

/// At most this many problems are printed (all are counted).
const SHOWN: usize = 100;
/// A row longer than this is taken for a quote left open, not read on into memory.
const MAX_ROW_BYTES: u64 = 1 << 20;
const BUF: usize = 1 << 16;

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // Open the input first: a missing file must not create a register.
    let input = Input::open(&args.file)?;
    if matches!(input, Input::Stdin) && io::stdin().is_terminal() {
        ctx.status("reading CSV from standard input; end it with Ctrl-D");
    }
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let progress = progress_bar(ctx, input.len());
    sql::enum_checks(store.conn(), false)?;
    let work = |tx: &Connection| -> Result<Counts> {
        let fast =
            sql::no_contacts(tx)? && (args.on_duplicate == OnDuplicate::Fail || input.rewindable());
        // Row by row: this path settles every row, so it always finishes.
        let row_by_row = || {
            import(tx, &input, &args, &now, false, &progress)?
                .ok_or_else(|| Error::Conflict("the import could not be completed".into()))
        };
        if !fast {
            return row_by_row();
        }
        // The bulk path may meet what only the row-by-row path can settle (a repeated
        // e-mail to skip or merge): then it is undone and the file read again. The
        // savepoint costs nothing here: an empty register has no pages to keep copies of.
        tx.execute_batch("SAVEPOINT bulk")?;
        if let Some(counts) = import(tx, &input, &args, &now, true, &progress)? {
            tx.execute_batch("RELEASE bulk")?;
            return Ok(counts);
        }
        tx.execute_batch("ROLLBACK TO bulk; RELEASE bulk")?;
        progress.reset();
        row_by_row()
    };
    let out = if args.dry_run {
        store.trial(|tx| work(tx))
    } else {
        store.write(|tx| {
            let counts = work(tx)?;
            audit::append(
                tx,
                &now,
                &ctx.operator,
                "contact.import",
                &counts.id_range(),
                &format!(
                    "rows={} new={} updated={} skipped={} on_duplicate={}",
                    counts.rows,
                    counts.new,
                    counts.updated,
                    counts.skipped,
                    args.on_duplicate.as_str()
                ),
            )?;
            Ok(counts)
        })
    };
    progress.finish_and_clear();
    sql::enum_checks(store.conn(), true)?;
    let c = out?;
    if args.dry_run {
        let mut o = io::stdout().lock();
        writeln!(o, "dry run: {} rows read, all valid", c.rows)?;
        writeln!(o, "{} new contacts would be added", c.new)?;
        // (With --on-duplicate fail, duplicates made the dry run fail like the import.)
        let fate = match args.on_duplicate {
            OnDuplicate::Update => "would update the contact with the same e-mail",
            _ => "would be skipped",
        };
        match c.dup_register + c.dup_file {
            0 => writeln!(o, "no duplicates")?,
            dups => writeln!(
                o,
                "{dups} duplicates ({} already in the register, {} repeated in the file) {fate}",
                c.dup_register, c.dup_file
            )?,
        }
        writeln!(
            o,
            "would import {} contacts ({} updated, {} skipped); nothing was written",
            c.new + c.updated,
            c.updated,
            c.skipped
        )?;
    } else {
        ctx.status(format!(
            "imported {} contacts ({} updated, {} skipped)",
            c.new + c.updated,
            c.updated,
            c.skipped
        ));
    }
    Ok(())
}

/// Where the rows come from.
enum Input {
    Stdin,
    File {
        path: PathBuf,
        len: u64,
        regular: bool,
    },
}

impl Input {
    fn open(path: &std::path::Path) -> Result<Input> {
        if path.as_os_str() == "-" {
            return Ok(Input::Stdin);
        }
        let meta = std::fs::metadata(path).map_err(|e| read_error(path, e))?;
        if meta.is_dir() {
            return Err(Error::invalid(
                "FILE",
                path.display().to_string(),
                "expected a CSV file or - for standard input, not a directory",
            ));
        }
        Ok(Input::File {
            path: path.to_path_buf(),
            len: meta.len(),
            regular: meta.is_file(),
        })
    }

    fn len(&self) -> Option<u64> {
        match self {
            Input::File {
                len, regular: true, ..
            } => Some(*len),
            _ => None,
        }
    }

    /// Whether the rows can be read a second time.
    fn rewindable(&self) -> bool {
        matches!(self, Input::File { regular: true, .. })
    }

    fn reader(&self) -> Result<Box<dyn Read>> {
        Ok(match self {
            Input::Stdin => Box::new(io::stdin().lock()),
            Input::File { path, .. } => {
                Box::new(File::open(path).map_err(|e| read_error(path, e))?)
            }
        })
    }
}

fn read_error(path: &std::path::Path, e: io::Error) -> Error {
    Error::Io(io::Error::new(
        e.kind(),
        format!("cannot read {}: {e}", path.display()),
    ))
}

fn progress_bar(ctx: &Ctx, len: Option<u64>) -> ProgressBar {
    if ctx.quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    match len {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template(
                "{msg:>9} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {msg} {bytes} ({bytes_per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    }
    .with_message("importing")
}

/// A reader that refuses to run on past `MAX_ROW_BYTES` beyond the last complete record, so
/// a quote left open cannot pull the rest of the file into one field in memory.
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

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row too long")
    }
}

impl std::error::Error for RowTooLong {}

type CsvReader = csv::Reader<io::Chain<io::Cursor<Vec<u8>>, BufReader<RowGuard<Box<dyn Read>>>>>;

/// Opens the CSV: strips a UTF-8 BOM, detects `,` or `;` from the header line.
fn csv_reader(input: &Input) -> Result<(CsvReader, Rc<Cell<u64>>)> {
    let limit = Rc::new(Cell::new(MAX_ROW_BYTES + BUF as u64));
    let guard = RowGuard {
        inner: input.reader()?,
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
    let delimiter = detect_delimiter(&first);
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(BUF)
        .from_reader(io::Cursor::new(first).chain(buffered));
    Ok((reader, limit))
}

/// What an import did (or would do).
#[derive(Debug, Default)]
struct Counts {
    rows: u64,
    new: u64,
    updated: u64,
    skipped: u64,
    dup_register: u64,
    dup_file: u64,
    first_id: Option<i64>,
    last_id: Option<i64>,
}

impl Counts {
    /// The new contacts' ids for the audit trail: `contact:FIRST-LAST`.
    fn id_range(&self) -> String {
        match (self.first_id, self.last_id) {
            (Some(a), Some(b)) if a == b => format!("contact:{a}"),
            (Some(a), Some(b)) => format!("contact:{a}-{b}"),
            _ => String::new(),
        }
    }
}

/// Problems, counted in full and kept up to [`SHOWN`].
#[derive(Default)]
struct Problems {
    total: u64,
    rows: u64,
    shown: Vec<String>,
}

impl Problems {
    fn push(&mut self, p: impl ToString) {
        self.total += 1;
        if self.shown.len() < SHOWN {
            self.shown.push(p.to_string());
        }
    }

    fn print(&self, progress: &ProgressBar) {
        progress.finish_and_clear();
        let mut err = io::stderr().lock();
        for p in &self.shown {
            let _ = writeln!(err, "{p}");
        }
        if self.total > self.shown.len() as u64 {
            let _ = writeln!(err, "… and {} more", self.total - self.shown.len() as u64);
        }
    }
}

/// One pass over the file. `Ok(None)` when the bulk path has to give way to the
/// row-by-row one; an invalid row or a refused duplicate is an error (nothing is kept).
fn import(
    tx: &Connection,
    input: &Input,
    args: &Args,
    now: &str,
    fast: bool,
    progress: &ProgressBar,
) -> Result<Option<Counts>> {
    let (mut rdr, limit) = csv_reader(input)?;
    let mut rec = csv::StringRecord::new();
    let header_line = match read(&mut rdr, &mut rec) {
        Ok(false) => {
            return Err(Error::InvalidInput(
                "the file is empty: expected a header row naming the columns, at least email"
                    .into(),
            ))
        }
        Ok(true) => rec.position().map_or(1, |p| p.line()),
        Err(ReadError::Utf8 { line, .. }) => {
            return Err(Error::InvalidInput(format!(
                "line {line}: the header row is not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")"
            )))
        }
        Err(ReadError::Fatal(e)) => return Err(e),
    };
    let header =
        Header::parse(rec.iter(), header_line).map_err(|e| Error::InvalidInput(e.join("\n")))?;

    let indexes = if fast {
        sql::drop_contact_indexes(tx)?
    } else {
        Vec::new()
    };
    let mut run = Run {
        tx,
        header: &header,
        mode: args.on_duplicate,
        fast,
        now,
        ins: Inserter::new(tx, now)?,
        counts: Counts::default(),
        invalid: Problems::default(),
        dups: Problems::default(),
        row_invalid: false,
        give_way: false,
    };
    let mut lines = LineMap::default();
    let mut record: u64 = 0;
    loop {
        limit.set(rdr.position().byte() + MAX_ROW_BYTES + BUF as u64);
        match read(&mut rdr, &mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(ReadError::Utf8 { line, column }) => {
                run.counts.rows += 1;
                record += 1;
                run.invalid.rows += 1;
                run.invalid.push(RowError {
                    line,
                    column: Some(column),
                    field: header.name_at(column - 1),
                    value: None,
                    expected: "not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")"
                        .into(),
                });
                continue;
            }
            Err(ReadError::Fatal(e)) => return Err(e),
        }
        let line = rec.position().map_or(0, |p| p.line());
        run.counts.rows += 1;
        if fast {
            lines.note(tx, record, line)?;
        }
        record += 1;
        if record % 4096 == 0 {
            progress.set_position(rdr.position().byte());
        }
        if rec.len() != header.width {
            run.invalid.rows += 1;
            run.invalid.push(RowError {
                line,
                column: None,
                field: None,
                value: None,
                expected: format!(
                    "the row has {} fields but the header has {}; is a quote (\") unbalanced?",
                    rec.len(),
                    header.width
                ),
            });
            continue;
        }
        run.row(&rec, line)?;
        if run.give_way {
            return Ok(None);
        }
    }
    drop(rdr);
    let Run {
        ins,
        counts,
        invalid,
        mut dups,
        ..
    } = run;
    drop(ins);

    let dry = if args.dry_run { " (dry run)" } else { "" };
    if invalid.total > 0 {
        invalid.print(progress);
        return Err(Error::InvalidInput(format!(
            "{} problems in {} of {} rows; nothing was imported{dry}",
            invalid.total, invalid.rows, counts.rows
        )));
    }
    let mut counts = counts;
    if fast {
        progress.set_message("indexing");
        progress.set_position(progress.length().unwrap_or(0));
        if !sql::create_indexes(tx, &indexes)? {
            if args.on_duplicate != OnDuplicate::Fail {
                return Ok(None);
            }
            // Every row went in, so the n-th row of the file is contact first_id + n.
            let first_id = counts.first_id.unwrap_or(1);
            let (total, shown) = sql::repeated_emails(tx, SHOWN)?;
            for (id, first) in shown {
                let at = lines.line(tx, (id - first_id) as u64)?;
                let earlier = lines.line(tx, (first - first_id) as u64)?;
                dups.push(format!("line {at}: the same e-mail as line {earlier}"));
            }
            dups.total = total;
            counts.dup_file = total;
        }
        lines.finish(tx)?;
    }
    if dups.total > 0 {
        dups.print(progress);
        let where_ = match (counts.dup_register, counts.dup_file) {
            (_, 0) => "already in the register".to_string(),
            (0, _) => "on an earlier row of the file".to_string(),
            (r, f) => format!("already in the register ({r}) or on an earlier row ({f})"),
        };
        let rows = if dups.total == 1 {
            "row has"
        } else {
            "rows have"
        };
        return Err(Error::Conflict(format!(
            "{} {rows} an e-mail {where_}; nothing was imported{dry}. Use --on-duplicate skip or --on-duplicate update",
            dups.total
        )));
    }
    Ok(Some(counts))
}

/// A record that could not be read: a cell that is not UTF-8 is one row's problem (the
/// reader goes on); anything else ends the import.
enum ReadError {
    Utf8 { line: u64, column: usize },
    Fatal(Error),
}

fn read(rdr: &mut CsvReader, rec: &mut csv::StringRecord) -> Result<bool, ReadError> {
    // Where the record being read starts (the reader's position moves on while it reads).
    let line = rdr.position().line();
    match rdr.read_record(rec) {
        Ok(more) => Ok(more),
        Err(e) => match e.into_kind() {
            csv::ErrorKind::Utf8 { pos, err } => Err(ReadError::Utf8 {
                line: pos.map_or(line, |p| p.line()),
                column: err.field() + 1,
            }),
            csv::ErrorKind::Io(io) => {
                if io.get_ref().is_some_and(|i| i.is::<RowTooLong>()) {
                    Err(ReadError::Fatal(Error::InvalidInput(format!(
                            "line {line}: a row runs on for more than {} MiB; is a quote (\") left open?",
                            MAX_ROW_BYTES >> 20
                        ))))
                } else {
                    Err(ReadError::Fatal(Error::Io(io)))
                }
            }
            other => Err(ReadError::Fatal(Error::InvalidInput(format!(
                "line {line}: cannot read the CSV: {other:?}"
            )))),
        },
    }
}

/// The state of one pass.
struct Run<'a> {
    tx: &'a Connection,
    header: &'a Header,
    mode: OnDuplicate,
    fast: bool,
    now: &'a str,
    ins: Inserter<'a>,
    counts: Counts,
    invalid: Problems,
    dups: Problems,
    row_invalid: bool,
    give_way: bool,
}

impl Run<'_> {
    fn row(&mut self, rec: &csv::StringRecord, line: u64) -> Result<()> {
        let given = self.header.draft(|i| rec.get(i));
        let (data, field_errs) = with_import_source(given).normalise();
        self.row_invalid = false;
        if !field_errs.is_empty() {
            let rule_errs = self.rules(&given, &data)?;
            self.report(line, field_errs.into_iter().chain(rule_errs));
            return Ok(());
        }
        let rule_errs = data.check_rules();
        if rule_errs.is_empty() {
            match self.ins.insert(&data)? {
                Some(id) => {
                    self.counts.new += 1;
                    self.counts.first_id.get_or_insert(id);
                    self.counts.last_id = Some(id);
                }
                None => {
                    let existing = sql::find_by_email(self.tx, &data.email)?;
                    self.duplicate(line, &given, data, existing)?
                }
            }
            return Ok(());
        }
        if self.mode == OnDuplicate::Update {
            if self.fast {
                // A repeated e-mail later in the file could make this row an update
                // that passes; only the row-by-row path can tell.
                self.give_way = true;
                return Ok(());
            }
            if let Some(existing) = sql::find_by_email(self.tx, &data.email)? {
                return self.duplicate(line, &given, data, Some(existing));
            }
        }
        self.report(line, rule_errs);
        Ok(())
    }

    /// The rules across fields, on the contact as it would end up.
    fn rules(&self, given: &DraftRef, data: &ContactData) -> Result<Vec<FieldError>> {
        if self.mode == OnDuplicate::Update && !self.fast && !data.email.is_empty() {
            if let Some(mut existing) = sql::find_by_email(self.tx, &data.email)? {
                existing.data.overlay(given, data.clone());
                return Ok(existing.data.check_rules());
            }
        }
        Ok(data.check_rules())
    }

    fn report(&mut self, line: u64, errs: impl IntoIterator<Item = FieldError>) {
        for e in errs {
            if !self.row_invalid {
                self.row_invalid = true;
                self.invalid.rows += 1;
            }
            self.invalid.push(RowError::field(line, self.header, e));
        }
    }

    fn duplicate(
        &mut self,
        line: u64,
        given: &DraftRef,
        data: ContactData,
        existing: Option<contacts::Contact>,
    ) -> Result<()> {
        let Some(existing) = existing else {
            return Err(Error::Conflict(format!(
                "line {line}: the row conflicts with a contact that cannot be found"
            )));
        };
        let in_file = self.counts.first_id.is_some_and(|f| existing.id >= f);
        if in_file {
            self.counts.dup_file += 1;
        } else {
            self.counts.dup_register += 1;
        }
        match self.mode {
            OnDuplicate::Fail => self.dups.push(if in_file {
                format!("line {line}: the same e-mail as an earlier row")
            } else {
                format!(
                    "line {line}: the e-mail is already in the register (contact {})",
                    existing.id
                )
            }),
            OnDuplicate::Skip => self.counts.skipped += 1,
            OnDuplicate::Update => return self.merge(line, existing, given, data),
        }
        Ok(())
    }

    fn merge(
        &mut self,
        line: u64,
        mut existing: contacts::Contact,
        given: &DraftRef,
        data: ContactData,
    ) -> Result<()> {
        existing.data.overlay(given, data);
        let errs = existing.data.check_rules();
        if !errs.is_empty() {
            self.report(line, errs);
            return Ok(());
        }
        contacts::update(self.tx, existing.id, &existing.data, self.now)?;
        self.counts.updated += 1;
        Ok(())
    }
}
