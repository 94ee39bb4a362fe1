//! `rekisteri export mailing-list`

use crate::model::audit::Action;
use std::io::{self, Write};

use serde_json::Value;

use crate::commands::consent::find_purpose;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::policy::Purpose;
use crate::output::{Format, RowWriter};
use crate::store::consents::{self, MAILING_LIST_COLUMNS};
use crate::store::{audit, policy, Tx};

/// The people who may be contacted for a marketing purpose today
///
/// Columns `email,first_name,last_name,company`, for direct use in a newsletter service (CSV, or
/// JSON with --format json; the default table format gives CSV here).
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
    let outcome = store.write(|tx| {
        let pv = policy::current(tx)?;
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
        let mut shown = audit::IdRanges::new();
        let streamed = match ctx.format {
            Format::Json => stream_json(tx, p, &mut shown),
            Format::Csv | Format::Table => stream_csv(tx, p, &mut shown),
        };
        let n = shown.len();
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ExportMailingList,
            &shown.render("contact"),
            &format!("purpose={} count={n}", p.id),
        )?;
        // Rows already written were disclosed: the audit event stays even when the reader
        // stopped early (`| head`); any other failure undoes it.
        match streamed {
            Err(e) if e.is_broken_pipe() => Ok(Err(e)),
            Err(e) => Err(e),
            Ok(()) => Ok(Ok((p.id.clone(), n))),
        }
    })?;
    let (purpose, n) = outcome?;
    ctx.status(format!(
        "exported {n} contact{} for {purpose}",
        if n == 1 { "" } else { "s" }
    ));
    Ok(())
}

/// CSV straight from SQLite's buffers: no per-row allocation. `shown` gets every contact
/// written.
fn stream_csv(tx: &Tx, p: &Purpose, shown: &mut audit::IdRanges) -> Result<()> {
    let out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let mut w = csv::Writer::from_writer(out);
    w.write_record(MAILING_LIST_COLUMNS).map_err(csv_error)?;
    consents::mailing_list(tx, p, |cells, id| {
        for c in cells {
            w.write_field(c).map_err(csv_error)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_error)?;
        shown.push(id);
        Ok(())
    })?;
    w.flush()?;
    Ok(())
}

fn csv_error(e: csv::Error) -> Error {
    Error::Io(crate::output::csv_io(e))
}

fn stream_json(tx: &Tx, p: &Purpose, shown: &mut audit::IdRanges) -> Result<()> {
    let mut w = RowWriter::stdout(Format::Json, &MAILING_LIST_COLUMNS)?;
    consents::mailing_list(tx, p, |cells, id| {
        w.row(
            cells
                .iter()
                .map(|t| Value::String(String::from_utf8_lossy(t).into_owned()))
                .collect(),
        )?;
        shown.push(id);
        Ok(())
    })?;
    w.finish()?;
    io::stdout().flush()?;
    Ok(())
}
