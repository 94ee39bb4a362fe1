//! `rekisteri contact import FILE|-`
//!
//! Rows are streamed (one reused record; problems are printed as they are found, not
//! kept), each is validated with the same rules as `contact add`, and everything happens
//! in one transaction: any invalid row and nothing is imported. Into an empty register the
//! bulk path of [`crate::store::import`] is taken.

use crate::model::audit::Action;
use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use crate::store::Tx;
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::input::csv::{CsvReader, Record};
use crate::input::Source;
use crate::model::contact::{ContactData, DraftRef, FieldError};
use crate::model::import::{
    on_duplicate, with_import_source, DuplicateOutcome, Header, OnDuplicate, RowError, SeenIn,
};
use crate::model::labels::count_of;
use crate::store::audit::{self, IdRanges};
use crate::store::contacts;
use crate::store::import::{self as sql, Inserter, LineMap};
use crate::store::suppressions::Lookup;

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
    /// Import rows of erased people too: they have come back themselves, so their addresses
    /// come off the suppression list (recorded in the audit trail). Without it such rows
    /// are skipped and counted
    #[arg(long)]
    pub returning: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // Open the input first: a missing file must not create a register.
    let input = Source::open(&args.file)?;
    if input.is_stdin() && io::stdin().is_terminal() {
        ctx.status("reading CSV from standard input; end it with Ctrl-D");
    }
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let today = ctx.today();
    let progress = progress_bar(ctx, input.size());
    sql::enum_checks(&store.session(), false)?;
    let work = |tx: &Tx| -> Result<Counts> {
        // The bulk path counts on every row going in (the n-th row is the n-th new id), which
        // a skipped erased address would break; a register of only erased people is rare.
        let fast = sql::no_contacts(tx)?
            && Lookup::new(tx)?.is_empty()
            && (args.on_duplicate == OnDuplicate::Fail || input.rewindable());
        // Row by row: this path settles every row, so it always finishes.
        let row_by_row = || {
            import(tx, &input, &args, &now, today, false, &progress)?
                .ok_or_else(|| Error::Conflict("the import could not be completed".into()))
        };
        if !fast {
            return row_by_row();
        }
        // The bulk path may meet what only the row-by-row path can settle (a repeated
        // e-mail to skip or merge): then it is undone and the file read again. The
        // savepoint costs nothing here: an empty register has no pages to keep copies of.
        if let Some(counts) = sql::or_undo(tx, || {
            import(tx, &input, &args, &now, today, true, &progress)
        })? {
            return Ok(counts);
        }
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
                Action::ContactImport,
                &counts.object_ids(),
                &format!(
                    "rows={} new={} updated={} skipped={} on_duplicate={} suppressed={} returning={}",
                    counts.rows,
                    counts.new,
                    counts.updated,
                    counts.skipped,
                    args.on_duplicate.as_str(),
                    counts.suppressed,
                    counts.returning
                ),
            )?;
            Ok(counts)
        })
    };
    progress.finish_and_clear();
    sql::enum_checks(&store.session(), true)?;
    let c = out?;
    if args.dry_run {
        let mut o = io::stdout().lock();
        writeln!(
            o,
            "dry run: {} read, all valid",
            count_of(c.rows, "row", "rows")
        )?;
        writeln!(
            o,
            "{} would be added",
            count_of(c.new, "new contact", "new contacts")
        )?;
        // (With --on-duplicate fail, duplicates made the dry run fail like the import.)
        let fate = match args.on_duplicate {
            OnDuplicate::Update => "would update the contact with the same e-mail",
            _ => "would be skipped",
        };
        match c.dup_register + c.dup_file {
            0 => writeln!(o, "no duplicates")?,
            dups => writeln!(
                o,
                "{} ({} already in the register, {} repeated in the file) {fate}",
                count_of(dups, "duplicate", "duplicates"),
                c.dup_register,
                c.dup_file
            )?,
        }
        if c.suppressed > 0 {
            writeln!(
                o,
                "{} of erased people would be skipped (add --returning if they have come back)",
                count_of(c.suppressed, "row", "rows")
            )?;
        }
        if c.returning > 0 {
            writeln!(
                o,
                "{} of erased people who came back would come off the suppression list",
                count_of(c.returning, "row", "rows")
            )?;
        }
        writeln!(
            o,
            "would add {}, update {}, skip {}; nothing was written",
            c.new,
            c.updated,
            c.skipped + c.suppressed
        )?;
    } else {
        // Updates are not imports: each count says what happened to its rows.
        let mut erased = String::new();
        if c.suppressed > 0 {
            erased.push_str(&format!(
                " ({} of erased people: add --returning if they have come back)",
                c.suppressed
            ));
        }
        if c.returning > 0 {
            erased.push_str(&format!(
                "; {} off the suppression list (returning)",
                count_of(c.returning, "address", "addresses")
            ));
        }
        ctx.status(format!(
            "added {}, updated {}, skipped {}{erased}",
            c.new,
            c.updated,
            c.skipped + c.suppressed
        ));
    }
    Ok(())
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

/// What an import did (or would do).
#[derive(Debug, Default)]
struct Counts {
    rows: u64,
    new: u64,
    updated: u64,
    skipped: u64,
    dup_register: u64,
    dup_file: u64,
    /// Rows of erased people, skipped; rows of erased people who came back (`--returning`).
    suppressed: u64,
    returning: u64,
    /// The new contacts' ids: one transaction numbers them one after another.
    first_id: Option<i64>,
    last_id: Option<i64>,
    /// Contacts that were in the register before and were updated (ids below
    /// `first_id`); those this import added and then updated are in the range above.
    updated_before: IdRanges,
}

impl Counts {
    /// Every contact the import added or updated, for the audit trail: `contact:3-5,9`.
    fn object_ids(&self) -> String {
        let mut ids = self.updated_before.clone();
        if let (Some(first), Some(last)) = (self.first_id, self.last_id) {
            ids.push_span(first, last);
        }
        ids.render("contact")
    }
}

/// Problems are printed as they are found, so memory stays flat however many there are;
/// only their number is kept.
struct Report<'p> {
    progress: &'p ProgressBar,
    err: io::BufWriter<io::Stderr>,
    /// Problems with rows, and rows with problems.
    problems: u64,
    rows: u64,
    /// One row's problems, to print them in column order.
    row: Vec<RowError>,
}

impl<'p> Report<'p> {
    fn new(progress: &'p ProgressBar) -> Self {
        Report {
            progress,
            err: io::BufWriter::new(io::stderr()),
            problems: 0,
            rows: 0,
            row: Vec::new(),
        }
    }

    /// Prints one line (a failed write to stderr has nowhere to be reported).
    fn print(&mut self, line: impl Display) {
        if self.progress.is_hidden() {
            let _ = writeln!(self.err, "{line}");
        } else {
            self.progress.suspend(|| eprintln!("{line}"));
        }
    }

    /// One row's problems: counted, and printed in the order of the columns.
    fn row(&mut self, errs: impl IntoIterator<Item = RowError>) {
        let mut row = std::mem::take(&mut self.row);
        row.extend(errs);
        if !row.is_empty() {
            self.rows += 1;
            self.problems += row.len() as u64;
            // Stable: problems of one column (or of stored values) keep the rules' order.
            row.sort_by_key(|e| e.column.unwrap_or(usize::MAX));
            for e in row.drain(..) {
                self.print(e);
            }
        }
        self.row = row;
    }

    fn flush(&mut self) {
        let _ = self.err.flush();
    }
}

/// One pass over the file. `Ok(None)` when the bulk path has to give way to the
/// row-by-row one; an invalid row or a refused duplicate is an error (nothing is kept).
fn import(
    tx: &Tx,
    input: &Source,
    args: &Args,
    now: &str,
    today: NaiveDate,
    fast: bool,
    progress: &ProgressBar,
) -> Result<Option<Counts>> {
    let mut rdr = CsvReader::open(input)?;
    let (names, header_line) = rdr.header("at least email")?;
    let header = Header::parse(names.iter().map(String::as_str), header_line)
        .map_err(|e| Error::InvalidInput(e.join("\n")))?;

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
        today,
        ins: Inserter::new(tx, now)?,
        suppressions: Lookup::new(tx)?,
        returning: args.returning,
        counts: Counts::default(),
        report: Report::new(progress),
        give_way: false,
    };
    let mut lines = LineMap::default();
    let mut record: u64 = 0;
    loop {
        let Some(rec) = rdr.next_record()? else { break };
        let line = rec.line;
        run.counts.rows += 1;
        if fast {
            lines.note(tx, record, line)?;
        }
        record += 1;
        if record % 4096 == 0 {
            progress.set_position(rec.end);
        }
        if let Some(column) = rec.first_non_utf8() {
            run.bad_row(RowError::not_utf8(line, column, &header));
            if run.give_way {
                return Ok(None);
            }
            continue;
        }
        if rec.len() != header.width {
            run.bad_row(RowError {
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
            if run.give_way {
                return Ok(None);
            }
            continue;
        }
        run.row(rec, line)?;
        if run.give_way {
            return Ok(None);
        }
    }
    drop(rdr);
    let Run {
        ins,
        mut counts,
        mut report,
        ..
    } = run;
    drop(ins);
    report.flush();

    let dry = if args.dry_run { " (dry run)" } else { "" };
    let fail = args.on_duplicate == OnDuplicate::Fail;
    if report.problems > 0 {
        let rows = if report.rows == counts.rows {
            count_of(report.rows, "row", "rows")
        } else {
            format!("{} of {} rows", report.rows, counts.rows)
        };
        let mut msg = format!(
            "{} in {rows}",
            count_of(report.problems, "problem", "problems")
        );
        if fail {
            // The bulk path meets repeated e-mails only when indexing, which an invalid
            // file never reaches: count them among the rows that went in.
            if fast {
                counts.dup_file = sql::count_repeated_emails(tx)?;
            }
            if let Some(dups) = duplicates(&counts) {
                msg.push_str(&format!("; also {dups}"));
            }
        }
        return Err(Error::InvalidInput(format!(
            "{msg}; nothing was imported{dry}"
        )));
    }
    if fast {
        progress.set_message("indexing");
        progress.set_position(progress.length().unwrap_or(0));
        if !sql::create_indexes(tx, &indexes)? {
            if !fail {
                return Ok(None);
            }
            // Every row went in, so the n-th row of the file is contact first_id + n.
            let first_id = counts.first_id.unwrap_or(1);
            let mut total = 0;
            sql::repeated_emails(tx, |id, first| {
                let at = lines.line(tx, (id - first_id) as u64)?;
                let earlier = lines.line(tx, (first - first_id) as u64)?;
                report.print(format_args!("line {at}: the same e-mail as line {earlier}"));
                total += 1;
                Ok(())
            })?;
            report.flush();
            counts.dup_file = total;
        }
        lines.finish(tx)?;
    }
    if fail {
        if let Some(dups) = duplicates(&counts) {
            return Err(Error::Conflict(format!(
                "{dups}; nothing was imported{dry}. Use --on-duplicate skip or --on-duplicate update"
            )));
        }
    }
    Ok(Some(counts))
}

/// `2 rows have an e-mail already in the register`, when some have.
fn duplicates(counts: &Counts) -> Option<String> {
    let n = counts.dup_register + counts.dup_file;
    if n == 0 {
        return None;
    }
    let where_ = match (counts.dup_register, counts.dup_file) {
        (_, 0) => "already in the register".to_string(),
        (0, _) => "on an earlier row of the file".to_string(),
        (r, f) => format!("already in the register ({r}) or on an earlier row ({f})"),
    };
    let rows = if n == 1 { "row has" } else { "rows have" };
    Some(format!("{n} {rows} an e-mail {where_}"))
}

/// The state of one pass.
struct Run<'a> {
    tx: &'a Tx<'a>,
    header: &'a Header,
    mode: OnDuplicate,
    fast: bool,
    now: &'a str,
    today: NaiveDate,
    ins: Inserter<'a>,
    suppressions: Lookup,
    returning: bool,
    counts: Counts,
    report: Report<'a>,
    give_way: bool,
}

impl Run<'_> {
    fn row(&mut self, rec: &Record, line: u64) -> Result<()> {
        let given = self.header.draft(|i| rec.get(i).and_then(|c| c.ok()));
        let (data, field_errs) = with_import_source(given).normalise();
        if !field_errs.is_empty() {
            let rule_errs = self.rules(&given, &data)?;
            self.report(line, field_errs.into_iter().chain(rule_errs));
            return Ok(());
        }
        if let Some((key, s)) = self.suppressions.find(self.tx, &data.email)? {
            if !self.returning {
                self.counts.suppressed += 1;
                self.report
                    .print(format_args!("line {line}: skipped: {}", s.refusal()));
                return Ok(());
            }
            crate::store::suppressions::lift(self.tx, &key)?;
            self.counts.returning += 1;
        }
        let rule_errs = data.check_rules(self.today);
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
                return Ok(existing.data.check_rules(self.today));
            }
        }
        Ok(data.check_rules(self.today))
    }

    /// A row's problems with its fields.
    fn report(&mut self, line: u64, errs: impl IntoIterator<Item = FieldError>) {
        if self.gives_way() {
            return;
        }
        let header = self.header;
        self.report
            .row(errs.into_iter().map(|e| RowError::field(line, header, e)));
    }

    /// A row that could not be read as one.
    fn bad_row(&mut self, e: RowError) {
        if !self.gives_way() {
            self.report.row([e]);
        }
    }

    /// The bulk path with `--on-duplicate update` cannot judge a row that a later merge
    /// might make valid, so at the first problem it gives way to the row-by-row path
    /// (which prints them all) before printing any.
    fn gives_way(&mut self) -> bool {
        if self.fast && self.mode == OnDuplicate::Update {
            self.give_way = true;
        }
        self.give_way
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
        let seen = if self.counts.first_id.is_some_and(|f| existing.id >= f) {
            self.counts.dup_file += 1;
            SeenIn::File
        } else {
            self.counts.dup_register += 1;
            SeenIn::Register
        };
        match on_duplicate(self.mode, seen) {
            DuplicateOutcome::Refuse(SeenIn::File) => self.report.print(format_args!(
                "line {line}: the same e-mail as an earlier row"
            )),
            DuplicateOutcome::Refuse(SeenIn::Register) => self.report.print(format_args!(
                "line {line}: the e-mail is already in the register (contact {})",
                existing.id
            )),
            DuplicateOutcome::Skip => self.counts.skipped += 1,
            DuplicateOutcome::Merge => return self.merge(line, existing, given, data),
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
        let errs = existing.data.check_rules(self.today);
        if !errs.is_empty() {
            self.report(line, errs);
            return Ok(());
        }
        contacts::update(self.tx, existing.id, &existing.data, self.now)?;
        self.counts.updated += 1;
        if !self
            .counts
            .first_id
            .is_some_and(|first| existing.id >= first)
        {
            self.counts.updated_before.push(existing.id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(updated: &[i64], new: Option<(i64, i64)>) -> String {
        let mut c = Counts {
            first_id: new.map(|n| n.0),
            last_id: new.map(|n| n.1),
            ..Default::default()
        };
        for &id in updated {
            c.updated_before.push(id);
        }
        c.object_ids()
    }

    #[test]
    fn audit_names_new_and_updated_contacts_as_ranges() {
        assert_eq!(ids(&[], None), "");
        assert_eq!(ids(&[4, 2], None), "contact:2,4");
        assert_eq!(ids(&[], Some((7, 7))), "contact:7");
        assert_eq!(ids(&[], Some((7, 10))), "contact:7-10");
        assert_eq!(ids(&[1, 3], Some((7, 10))), "contact:1,3,7-10");
        assert_eq!(ids(&[6, 3], Some((7, 10))), "contact:3,6-10");
        assert_eq!(ids(&[5, 6, 1], Some((7, 7))), "contact:1,5-7");
        assert_eq!(ids(&[5, 6], Some((7, 70))), "contact:5-70");
    }
}
