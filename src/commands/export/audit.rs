//! `rekisteri export audit`: the audit trail as stored, for an auditor, streamed in
//! constant memory.

use std::path::PathBuf;

use crate::commands::audit::bounds;
use crate::commands::export::{csv_or_json, finished};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::output::export::{Cell, Sink, Target};
use crate::store::audit::{self, EXPORT_COLUMNS};
use crate::store::disclose::Disclosure;

/// The audit trail, every stored column, oldest first, for an auditor
///
/// Columns id, at (RFC 3339 UTC), operator, action, object_ids, detail, prev_hash and hash:
/// with the hashes the chain can be checked outside rekisteri. --since and --until take days
/// of the register's time zone (or RFC 3339 times). The trail holds ids and counts, never
/// personal values. CSV (also for the default table format) or JSON; streamed, so memory
/// does not grow with the trail. The export is itself recorded in the trail, after the events
/// it holds (its detail through=N names the last of them). Columns: docs/exports.md.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  rekisteri export audit --since 2026-01-01 --until 2026-12-31 --output audit-2026.csv
  rekisteri --format json export audit --since 2026-11-01")]
pub struct Args {
    /// Only events at or after the start of this day (the register's time zone), or this time
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only events up to the end of this day (the register's time zone), or this time
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Write to FILE (created 0600, whole or not at all; an existing file is kept) instead of
    /// stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let json = csv_or_json(ctx);
    // The bounds are days of the register's zone: read before anything is opened for writing.
    let (since, before) = bounds(args.since.as_deref(), args.until.as_deref(), ctx.zone())?;
    let mut store = ctx.open()?;
    crate::store::consents::tune_for_scans(&store.session())?;
    let target = Target::new(args.output.as_deref())?;
    let now = ctx.now_str();
    let (n, through, placed) = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            // What the export holds is the snapshot's trail up to its newest event, within
            // the bounds: named without a pass over the events.
            let through = audit::head_id(snap)?;
            let mut detail = format!("through={through}");
            for (name, bound) in [("since", &since), ("before", &before)] {
                if let Some(b) = bound {
                    detail.push_str(&format!(",{name}={b}"));
                }
            }
            let event = Disclosure {
                action: Action::ExportAudit,
                object_ids: String::new(),
                detail,
            };
            Ok((event, through))
        },
        |snap, through| {
            let mut sink = if json {
                Sink::json(target, &EXPORT_COLUMNS)?
            } else {
                Sink::csv(target, ctx.csv, &EXPORT_COLUMNS)?
            };
            let n = audit::export(snap, since.as_deref(), before.as_deref(), |id, text| {
                let [at, operator, action, object_ids, detail, prev_hash, hash] = *text;
                Ok(sink.row(&[
                    Cell::Int(id),
                    Cell::Bytes(at),
                    Cell::Bytes(operator),
                    Cell::Bytes(action),
                    Cell::Bytes(object_ids),
                    Cell::Bytes(detail),
                    Cell::Bytes(prev_hash),
                    Cell::Bytes(hash),
                ])?)
            })?;
            Ok((n, through, sink.finish()?.finish()?))
        },
    )?;
    let noun = if n == 1 { "event" } else { "events" };
    finished(
        ctx,
        placed,
        format!("exported {n} audit {noun} (the trail up to event {through})"),
    );
    Ok(())
}
