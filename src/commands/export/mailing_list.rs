//! `rekisteri export mailing-list`

use std::path::PathBuf;

use crate::model::audit::Action;

use crate::commands::consent::find_purpose;
use crate::commands::export::{csv_or_json, finished};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::export::{Cell, Sink, Target};
use crate::store::audit::IdRanges;
use crate::store::consents::{self, MAILING_LIST_COLUMNS};
use crate::store::disclose::Disclosure;
use crate::store::{policy, Tx};

/// The people who may be contacted for a marketing purpose today
///
/// Columns `email,first_name,last_name,company`, for direct use in a newsletter service (CSV, or
/// JSON with --format json; the default table format gives CSV here; --excel for Excel).
///
/// Opt-in purposes need a live consent; opt-out purposes need no refusal or objection. Never
/// anyone who objected to this purpose or to all direct marketing, and never a contact whose
/// processing is restricted (Art. 18). The export is recorded in the audit trail with the
/// contacts it disclosed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A marketing purpose of the register's description. Opt-in purposes need a live consent,
    /// opt-out purposes no refusal or objection; never anyone who objected to all direct
    /// marketing, never a contact whose processing is restricted (Art. 18). Columns
    /// email,first_name,last_name,company; CSV (also for the default table format) or JSON
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// Write to FILE (created 0600, whole or not at all; an existing file is kept) instead of
    /// stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    crate::store::consents::tune_for_scans(&store.session())?;
    let target = Target::new(args.output.as_deref())?;
    let now = ctx.now_str();
    // The event naming every contact the list holds is committed before the first row goes
    // out; the rows then come from the same snapshot, holding no write lock.
    let outcome = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let pv = policy::current(snap, &ctx.now_str())?;
            let p = find_purpose(&pv.policy, &args.purpose)?;
            if p.marketing.is_none() {
                let marketing: Vec<&str> = pv
                    .policy
                    .purposes
                    .iter()
                    .filter(|p| p.marketing.is_some())
                    .map(|p| p.id.as_str())
                    .collect();
                return Err(Error::invalid(
                    "--purpose",
                    &args.purpose,
                    format!(
                        "{} is not a marketing purpose; expected one of: {}",
                        p.id,
                        marketing.join(", ")
                    ),
                ));
            }
            let ids = consents::mailing_list_ids(snap, p)?;
            let n = ids.len();
            let event = Disclosure {
                action: Action::ExportMailingList,
                object_ids: ids.render("contact"),
                detail: format!("purpose={} count={n}", p.id),
            };
            Ok((event, (p.clone(), ids)))
        },
        |snap, (p, ids)| {
            let placed = if csv_or_json(ctx) {
                stream(snap, &ids, Sink::json(target, &MAILING_LIST_COLUMNS)?)?
            } else {
                stream(
                    snap,
                    &ids,
                    Sink::csv(target, ctx.csv, &MAILING_LIST_COLUMNS)?,
                )?
            };
            Ok((p.id, ids.len(), placed))
        },
    );
    let (purpose, n, placed) = outcome?;
    let summary = format!(
        "exported {n} contact{} for {purpose}",
        if n == 1 { "" } else { "s" }
    );
    finished(ctx, placed, summary);
    Ok(())
}

/// The rows straight from SQLite's buffers: no per-row allocation.
fn stream(tx: &Tx, ids: &IdRanges, mut sink: Sink<Target>) -> Result<Option<std::path::PathBuf>> {
    consents::mailing_list_rows(tx, ids, |row, _| {
        sink.row(&row.map(Cell::Bytes))?;
        Ok(())
    })?;
    sink.finish()?.finish()
}
