//! `rekisteri audit list|verify`: read and check the audit trail.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::time::{self, format_time, Tz};
use crate::output::{self, Format, RowWriter};
use crate::store::audit::{self, ChainBreak, Filter};

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// List audit events, oldest first (times shown in the register's time zone in the table)
    #[command(after_help = "\
Examples:
  rekisteri audit list --by anna --since 2026-11-01
  rekisteri audit list --action contact. --limit 20
  rekisteri --format csv audit list --until 2026-10-31 > audit.csv")]
    List(ListArgs),
    /// Check the hash chain: edited, deleted or inserted events are found
    #[command(long_about = "\
Check the hash chain: edited, deleted or inserted events are found.

Walks every event in order and recomputes its SHA-256 hash and the link to the event before
it. Prints OK with the number of events and the head hash (the last event's hash), or the
first broken event and what is wrong (exit 1).

A chain can prove everything up to its last event, but not that no events were cut off
after it: deleting the newest events leaves a shorter chain that is still intact. Note the
head hash somewhere outside the register file (a ticket, a log, a printout) and give it
later with --expect-head: verification then fails if that event is no longer in the chain.")]
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only events by this operator (the global --operator says who *you* are)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Only actions starting with this text, e.g. `contact.` or `policy.apply`
    #[arg(long, value_name = "PREFIX")]
    pub action: Option<String>,
    /// Only events at or after this time (a date means the start of that day, in the register's
    /// time zone)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only events at or before this time (a date means up to the end of that day)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only the N newest matching events (still listed oldest first)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// A head hash noted earlier: fail unless the event with this hash is still in the chain
    #[arg(long, value_name = "HASH")]
    pub expect_head: Option<String>,
}

pub fn run(cmd: AuditCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        AuditCommand::List(a) => list(a, ctx),
        AuditCommand::Verify(a) => verify(a, ctx),
    }
}

/// `--since`: the first instant included, in the stored form.
pub(crate) fn since_bound(flag: &str, v: &str, zone: Tz) -> Result<String> {
    time::since_bound(v, zone)
        .map(|t| format_time(&t))
        .ok_or_else(|| Error::invalid(flag, v, time::TIME_EXPECTED))
}

/// `--until`: the first instant excluded, in the stored form.
pub(crate) fn until_bound(v: &str, zone: Tz) -> Result<String> {
    time::until_bound(v, zone)
        .map(|t| format_time(&t))
        .ok_or_else(|| Error::invalid("--until", v, time::TIME_EXPECTED))
}

/// `--since` and `--until` as the stored-form bounds `[since, before)`; `--until` must be
/// after `--since`.
pub(crate) fn bounds(
    since: Option<&str>,
    until: Option<&str>,
    zone: Tz,
) -> Result<(Option<String>, Option<String>)> {
    let from = since.map(|v| since_bound("--since", v, zone)).transpose()?;
    let before = until.map(|v| until_bound(v, zone)).transpose()?;
    if let (Some(s), Some(b), Some(u)) = (&from, &before, until) {
        if b <= s {
            return Err(Error::invalid(
                "--until",
                u,
                "expected a time after --since",
            ));
        }
    }
    Ok((from, before))
}

fn list(args: ListArgs, ctx: &Ctx) -> Result<()> {
    let (since, before) = bounds(args.since.as_deref(), args.until.as_deref(), ctx.zone())?;
    let filter = Filter {
        operator: args.by.filter(|b| !b.trim().is_empty()),
        action_prefix: args.action.filter(|a| !a.is_empty()),
        since,
        before,
        limit: args.limit,
    };
    let mut store = ctx.open()?;
    let table = ctx.format == Format::Table;
    let headers: &[&str] = if table {
        &["id", "time", "operator", "action", "objects", "detail"]
    } else {
        &audit::EXPORT_COLUMNS
    };
    let mut w = RowWriter::stdout(ctx.format, ctx.csv, headers)?;
    let n = store.read(|tx| {
        audit::query(tx, &filter, |e| {
            let row = if table {
                vec![
                    json!(e.id),
                    json!(ctx.show_time(&e.at)),
                    json!(e.operator),
                    json!(e.action),
                    json!(e.object_ids),
                    json!(e.detail),
                ]
            } else {
                vec![
                    json!(e.id),
                    json!(e.at),
                    json!(e.operator),
                    json!(e.action),
                    json!(e.object_ids),
                    json!(e.detail),
                    json!(e.prev_hash),
                    json!(e.hash),
                ]
            };
            w.row(row)?;
            Ok(())
        })
    })?;
    w.finish()?;
    if n == 0 {
        ctx.status("no audit events match");
    }
    Ok(())
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn verify(args: VerifyArgs, ctx: &Ctx) -> Result<()> {
    let expect = match args.expect_head.as_deref().map(str::trim) {
        Some(h) if !is_hash(h) => {
            return Err(Error::invalid(
                "--expect-head",
                h,
                "expected the 64 hex digits of a head hash printed by `rekisteri audit verify`",
            ))
        }
        other => other.map(str::to_ascii_lowercase),
    };
    let mut store = ctx.open()?;
    let v = store.read(|tx| audit::verify(tx, expect.as_deref()))?;

    let (fields, failure): (Vec<(&str, Value)>, Option<String>) = match &v.outcome {
        Err(b) => {
            let msg = match b {
                ChainBreak::Empty => format!("audit trail broken: {b}"),
                _ => format!(
                    "audit trail broken at event {}: {b} ({} event(s) before it are intact)",
                    b.id(),
                    v.intact
                ),
            };
            (
                vec![
                    ("ok", json!(false)),
                    ("events", json!(v.intact)),
                    ("broken_at", json!(b.id())),
                    ("problem", serde_json::to_value(b).unwrap_or(Value::Null)),
                    ("message", json!(msg)),
                ],
                Some(msg),
            )
        }
        Ok(r) => {
            let missing_head = expect.is_some() && r.expected_head_id.is_none();
            let msg = missing_head.then(|| {
                format!(
                    "the expected head {} is not in the audit trail: the newest events were deleted (truncated), or the hash is from another register. The chain itself is intact and ends at event {} with head {}",
                    expect.as_deref().unwrap_or_default(),
                    r.head_id.unwrap_or(0),
                    r.head
                )
            });
            let mut f = vec![
                ("ok", json!(!missing_head)),
                ("events", json!(r.events)),
                ("head_id", json!(r.head_id)),
                ("head_at", output::opt(r.head_at.clone())),
                ("head", json!(r.head)),
            ];
            if expect.is_some() {
                f.push(("expected_head", json!(expect)));
                f.push(("expected_head_id", json!(r.expected_head_id)));
            }
            if let Some(m) = &msg {
                f.push(("message", json!(m)));
            }
            (f, msg)
        }
    };

    match ctx.format {
        Format::Table => {
            if let Ok(r) = &v.outcome {
                if failure.is_none() {
                    let mut out = io::stdout().lock();
                    let last = r
                        .head_at
                        .as_deref()
                        .map(|t| ctx.show_time(t))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "OK: the audit trail is intact: {} events, the last is event {} at {last}",
                        r.events,
                        r.head_id.unwrap_or(0)
                    )?;
                    writeln!(out, "head: {}", r.head)?;
                    match r.expected_head_id {
                        Some(id) => {
                            let after = r.head_id.unwrap_or(id) - id;
                            writeln!(
                                out,
                                "the expected head is event {id}; {after} event(s) were added after it"
                            )?;
                        }
                        None => writeln!(
                            out,
                            "Note the head outside the register and check it later with --expect-head: a chain cannot show by itself that its newest events were cut off."
                        )?,
                    }
                    out.flush()?;
                }
            }
        }
        format => output::print_record(format, ctx.csv, &fields)?,
    }
    match failure {
        Some(msg) => Err(Error::Conflict(msg)),
        None => Ok(()),
    }
}
