//! `rekisteri export requests`: every data-subject request and how it was handled, without
//! personal values (ids, the right, the status, dates and operators).

use std::path::PathBuf;

use crate::commands::export::{csv_or_json, finished};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::output::export::{Cell, Sink, Target};
use crate::report::accountability::{request_cells, REQUEST_COLUMNS};
use crate::store::disclose::Disclosure;
use crate::store::requests;

/// Every data-subject request with its timeline, for an authority or an auditor
///
/// One row per request, by id: the right (and its article), status, the contact id, the
/// channel, the days it was received and is due (the original and the one in force), when
/// and by whom each step was taken (RFC 3339 UTC), the outcome code, the day it was answered
/// and whether that was on time. No personal values: no e-mail, no requester, no details and
/// no operator's free text. CSV (also for the default table format) or JSON; --excel for
/// Excel. Recorded in the audit trail, naming the requests. Columns: docs/exports.md.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to FILE (created 0600, whole or not at all; an existing file is kept) instead of
    /// stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let json = csv_or_json(ctx);
    let mut store = ctx.open()?;
    let zone = ctx.zone();
    let target = Target::new(args.output.as_deref())?;
    let now = ctx.now_str();
    let (n, placed) = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let ids = requests::all_ids(snap)?;
            let event = Disclosure {
                action: Action::ExportRequests,
                object_ids: ids.render("request"),
                detail: format!("count={}", ids.len()),
            };
            Ok((event, ()))
        },
        |snap, ()| {
            let mut sink = if json {
                Sink::json(target, &REQUEST_COLUMNS)?
            } else {
                Sink::csv(target, ctx.csv, &REQUEST_COLUMNS)?
            };
            let n = requests::for_each(snap, |r| {
                let values = request_cells(r, zone);
                let cells: Vec<Cell> = values.iter().map(Cell::from).collect();
                Ok(sink.row(&cells)?)
            })?;
            Ok((n, sink.finish()?.finish()?))
        },
    )?;
    let noun = if n == 1 { "request" } else { "requests" };
    finished(ctx, placed, format!("exported {n} {noun}"));
    Ok(())
}
