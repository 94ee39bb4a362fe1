//! `rekisteri purge`: the nightly retention purge (Art. 5(1)(e)).

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::labels::count_of;
use crate::model::policy::{Policy, Records};
use crate::model::retention::{self, Verdict};
use crate::model::time::format_date;
use crate::output::{Format, RowWriter};
use crate::store::erasure::{self, Erasure, Reason};
use crate::store::retention::{self as due, AsOf, Due, DueRecord};
use crate::store::{audit, policy, Store, Tx};

/// Apply the register description's retention rules: erase people and delete records no
/// longer needed
///
/// Erases each person whose category rule has come due (N months after the end of the
/// relationship or their last activity) unless a legal hold, a live opt-in consent or a
/// recent course keeps them; deletes contact-history entries, course records and closed
/// requests past their own rules. Audit events and the suppression list are never purged.
/// Run it nightly (cron or a systemd timer); try it first with `--dry-run --as-of DATE`.
/// Prints one line per rule (counts) to stdout; warnings of categories without a rule go to
/// stderr on every run, even with --quiet.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// List who and what would go, by which rule and date, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Apply the rules as of this day, YYYY-MM-DD [default: today]; a day after today only
    /// with --dry-run
    #[arg(long, value_name = "DATE", value_parser = super::contact::date_arg)]
    pub as_of: Option<NaiveDate>,
    /// With --dry-run: show the people's names too (default: ids only)
    #[arg(long)]
    pub show_names: bool,
}

/// People (or records) handled per transaction: a crash loses at most one batch's work,
/// and a rerun finishes it.
const BATCH: usize = 500;

/// People erased per transaction in a real run. Larger than [`BATCH`] because each batch
/// rewrites most pages of the e-mail index (the people of a batch are spread over it), so
/// the number of batches, not their size, decides much of the purge's time; 50,000 keep
/// the write lock for a second or two and the memory well under 32 MiB.
const ERASE_BATCH: usize = 50_000;

/// The fixed reason on each erasure's audit event: it must never be personal data.
const REASON: &str = "retention";

const HEADERS: [&str; 8] = [
    "action", "record", "id", "contact", "category", "rule", "date", "note",
];

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let today = ctx.today();
    let day = args.as_of.unwrap_or(today);
    if day > today && !args.dry_run {
        return Err(Error::invalid(
            "--as-of",
            format_date(&day),
            format!(
                "expected a day on or before today ({}); a later day only with --dry-run",
                format_date(&today)
            ),
        ));
    }
    if args.show_names && !args.dry_run {
        return Err(Error::invalid(
            "--show-names",
            "true",
            "expected only with --dry-run (a real run prints counts, never names)",
        ));
    }
    if args.dry_run {
        return dry_run(args.show_names, day, ctx);
    }
    // Held until the process ends, after the register is closed (dropped first).
    let Some(_lock) = purge_lock(&ctx.db_path)? else {
        ctx.status(format!(
            "another purge is running on {}; this one did nothing (the other finishes the job)",
            ctx.db_path.display()
        ));
        return Ok(());
    };
    let mut store = ctx.open()?;
    let as_of = AsOf {
        day,
        zone: ctx.zone(),
    };
    let policy = store.read(|tx| {
        let p = policy::current(tx, &ctx.now_str())?.policy;
        warn(tx, &p)?;
        Ok(p)
    })?;
    real_run(&mut store, &policy, as_of, ctx)
}

/// Warnings every run gives, on stderr even with --quiet: they ask for a fix in the policy.
fn warn(tx: &Tx, p: &Policy) -> Result<()> {
    for w in retention::warnings(p, &due::categories_present(tx)?) {
        eprintln!("{w}");
    }
    Ok(())
}

fn dry_run(show_names: bool, day: NaiveDate, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let as_of = AsOf {
        day,
        zone: ctx.zone(),
    };
    let mut headers = HEADERS.to_vec();
    if show_names {
        headers.push("name");
    }
    let mut w = RowWriter::stdout(ctx.format, ctx.csv, &headers)?;
    let (erased, kept, records) = store.read(|tx| {
        let p = policy::current(tx, &ctx.now_str())?.policy;
        warn(tx, &p)?;
        let (mut erased, mut kept) = (HashSet::new(), 0usize);
        for rule in &p.retention {
            let mut after = 0;
            loop {
                let batch =
                    due::due_people(tx, &p, std::slice::from_ref(rule), as_of, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                for d in batch {
                    let name = match show_names {
                        true => Some(Value::String(due::display_name(tx, d.id)?)),
                        false => None,
                    };
                    match &d.verdict {
                        Verdict::Erase { .. } => erased.insert(d.id),
                        _ => {
                            kept += 1;
                            false
                        }
                    };
                    let mut row = person_row(&d);
                    row.extend(name);
                    w.row(row)?;
                }
            }
        }
        // A person erased takes their records along: they are not listed twice.
        let mut records = 0usize;
        for kind in [Records::History, Records::Courses, Records::Requests] {
            let rule = rule_of(&p, kind);
            let mut after = 0;
            loop {
                let batch = due::due_records(tx, &p, kind, as_of, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                for r in batch
                    .iter()
                    .filter(|r| !r.contact.is_some_and(|c| erased.contains(&c)))
                {
                    records += 1;
                    let mut row = record_row(r, &rule);
                    if show_names {
                        row.push(Value::Null);
                    }
                    w.row(row)?;
                }
            }
        }
        Ok((erased.len(), kept, records))
    })?;
    w.finish()?;
    ctx.status(format!(
        "dry run as of {}: {} would be erased, {kept} kept by another rule, {} deleted; nothing was changed",
        format_date(&day),
        count_of(erased, "person", "people"),
        count_of(records, "record", "records"),
    ));
    Ok(())
}

fn rule_of(p: &Policy, kind: Records) -> String {
    p.record_months(kind)
        .map(|m| retention::record_rule_name(kind, m))
        .unwrap_or_default()
}

fn person_row(d: &Due) -> Vec<Value> {
    let (action, rule, date, note) = match &d.verdict {
        Verdict::Erase { rule, date } => ("erase", rule.as_str(), *date, String::new()),
        Verdict::Kept { rule, date, by } => ("keep", rule.as_str(), *date, by.describe()),
        // `due_people` never returns a person who stays.
        Verdict::Stays => ("stays", "", NaiveDate::MIN, String::new()),
    };
    vec![
        action.into(),
        "contact".into(),
        d.id.into(),
        d.id.into(),
        d.category.as_str().into(),
        rule.into(),
        format_date(&date).into(),
        note.into(),
    ]
}

fn record_row(r: &DueRecord, rule: &str) -> Vec<Value> {
    let record = match r.kind {
        Records::History => "history",
        Records::Courses => "course",
        Records::Requests => "request",
    };
    vec![
        "delete".into(),
        record.into(),
        r.id.into(),
        r.contact.map_or(Value::Null, Value::from),
        Value::Null,
        rule.into(),
        format_date(&r.date).into(),
        "".into(),
    ]
}

/// What one rule did in a real run.
struct Count {
    rule: String,
    removed: usize,
    kept: usize,
    /// `erased` for people, `deleted` for records.
    verb: &'static str,
}

fn real_run(store: &mut Store, p: &Policy, as_of: AsOf, ctx: &Ctx) -> Result<()> {
    let now = ctx.now_str();
    let mut counts: Vec<Count> = p
        .retention
        .iter()
        .map(|rule| Count {
            rule: retention::rule_name(rule),
            removed: 0,
            kept: 0,
            verb: "erased",
        })
        .collect();
    let mut ids = audit::ObjectIds::new();
    // One scan of the contacts for every rule, a batch of people per transaction.
    let mut after = 0;
    loop {
        let batch = erasure::bulk(store, |tx| {
            let batch = due::due_people(tx, p, &p.retention, as_of, after, ERASE_BATCH)?;
            let erased: Vec<i64> = batch
                .iter()
                .filter(|d| matches!(d.verdict, Verdict::Erase { .. }))
                .map(|d| d.id)
                .collect();
            if !erased.is_empty() {
                let e = Erasure {
                    reason: Reason::Tool(REASON),
                    request: None,
                    // Data past its time goes; the person may come back on their own.
                    suppress: false,
                    today: as_of.day,
                    zone: as_of.zone,
                    now: &now,
                    operator: &ctx.operator,
                };
                erasure::erase(tx, &erased, &e)?;
            }
            Ok(batch)
        })?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for d in &batch {
            let Some(c) = p
                .retention
                .iter()
                .position(|r| r.category == d.category)
                .map(|i| &mut counts[i])
            else {
                continue;
            };
            if let Verdict::Erase { .. } = d.verdict {
                c.removed += 1;
                ids.push("contact", d.id);
            } else {
                c.kept += 1;
            }
        }
    }
    for kind in [Records::History, Records::Courses, Records::Requests] {
        let mut c = Count {
            rule: rule_of(p, kind),
            removed: 0,
            kept: 0,
            verb: "deleted",
        };
        if c.rule.is_empty() {
            continue;
        }
        let mut after = 0;
        loop {
            let (last, n) = store.write(|tx| {
                let batch = due::due_records(tx, p, kind, as_of, after, BATCH)?;
                let ids: Vec<i64> = batch.iter().map(|r| r.id).collect();
                Ok((ids.last().copied(), due::delete_records(tx, kind, &ids)?))
            })?;
            let Some(last) = last else { break };
            after = last;
            c.removed += n;
        }
        counts.push(c);
    }
    let detail = std::iter::once(format!("as_of={}", format_date(&as_of.day)))
        .chain(counts.iter().map(|c| {
            format!(
                "{}={}{}",
                c.rule.split(':').next().unwrap_or_default(),
                c.removed,
                if c.kept > 0 {
                    format!("(kept {})", c.kept)
                } else {
                    String::new()
                }
            )
        }))
        .collect::<Vec<_>>()
        .join(" ");
    store.write(|tx| {
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::RegisterPurge,
            &ids.render(),
            &detail,
        )
    })?;
    let removed: usize = counts.iter().map(|c| c.removed).sum();
    erasure::checkpoint(store).map_err(|e| {
        Error::Conflict(format!(
            "the purge removed {} from the database, but {e}",
            count_of(removed, "person or record", "people and records")
        ))
    })?;
    print_counts(&counts, ctx)?;
    if removed == 0 {
        ctx.status(format!(
            "nothing was due as of {}: the purge removed nothing",
            format_date(&as_of.day)
        ));
    }
    Ok(())
}

fn print_counts(counts: &[Count], ctx: &Ctx) -> Result<()> {
    if ctx.quiet {
        return Ok(());
    }
    match ctx.format {
        Format::Table => {
            for c in counts {
                let kept = match c.kept {
                    0 => String::new(),
                    n => format!(", {n} kept by another rule"),
                };
                println!("{}: {} {}{kept}", c.rule, c.removed, c.verb);
            }
        }
        format => {
            let mut w = RowWriter::stdout(format, ctx.csv, &["rule", "removed", "kept"])?;
            for c in counts {
                w.row(vec![
                    c.rule.as_str().into(),
                    c.removed.into(),
                    c.kept.into(),
                ])?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// One purge at a time per register: an exclusive lock on a file beside it (not the
/// register itself, whose locks are SQLite's). `None` when another purge holds it.
fn purge_lock(db: &Path) -> Result<Option<File>> {
    let name = db
        .file_name()
        .map(|n| format!(".{}.purge-lock", n.to_string_lossy()))
        .unwrap_or_else(|| ".purge-lock".into());
    let path = db.with_file_name(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| Error::Register {
            path: path.clone(),
            reason: format!("cannot open the purge's lock file: {e}"),
        })?;
    // SAFETY: flock on a descriptor this function owns; it only takes an advisory lock.
    let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if r == 0 {
        return Ok(Some(file));
    }
    let err = std::io::Error::last_os_error();
    if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
        return Ok(None);
    }
    Err(Error::Register {
        path,
        reason: format!("cannot lock the purge's lock file: {err}"),
    })
}
