//! `rekisteri export mailing-list`

use crate::model::audit::Action;
use std::io::{self, Write};

use serde_json::Value;

use crate::commands::consent::find_purpose;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{CsvStyle, Format, RowWriter};
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
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    crate::store::consents::tune_for_scans(&store.session())?;
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
            match ctx.format {
                Format::Json => stream_json(snap, &ids)?,
                Format::Csv | Format::Table => stream_csv(snap, &ids, ctx.csv)?,
            }
            Ok((p.id, ids.len()))
        },
    );
    let (purpose, n) = outcome?;
    ctx.status(format!(
        "exported {n} contact{} for {purpose}",
        if n == 1 { "" } else { "s" }
    ));
    Ok(())
}

/// CSV straight from SQLite's buffers: no per-row allocation.
fn stream_csv(tx: &Tx, ids: &IdRanges, style: CsvStyle) -> Result<()> {
    let out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let mut w = style.writer(out)?;
    w.record(MAILING_LIST_COLUMNS)?;
    consents::mailing_list_rows(tx, ids, |cells, _| {
        for c in cells {
            w.bytes(c)?;
        }
        w.end()?;
        Ok(())
    })?;
    w.flush()?;
    Ok(())
}

fn stream_json(tx: &Tx, ids: &IdRanges) -> Result<()> {
    let mut w = RowWriter::stdout(Format::Json, CsvStyle::PLAIN, &MAILING_LIST_COLUMNS)?;
    consents::mailing_list_rows(tx, ids, |cells, _| {
        w.row(
            cells
                .iter()
                .map(|t| Value::String(String::from_utf8_lossy(t).into_owned()))
                .collect(),
        )?;
        Ok(())
    })?;
    w.finish()?;
    io::stdout().flush()?;
    Ok(())
}
