//! `rekisteri export mailing-list`

use std::io::{self, Write};

use rusqlite::types::ValueRef;
use serde_json::Value;

use crate::commands::consent::find_purpose;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Format, RowWriter};
use crate::store::consents::{self, MAILING_LIST_COLUMNS};
use crate::store::disclose::Disclosure;
use crate::store::policy;

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
    crate::store::consents::tune_for_scans(store.conn())?;
    let now = ctx.now_str();
    // The event naming every contact the list holds is committed before the first row goes
    // out; the rows then come from the same snapshot, holding no write lock.
    let outcome = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let pv = policy::current(snap)?;
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
            let sql = consents::mailing_list_sql(p)?;
            let ids = consents::mailing_list_ids(snap, &sql, &p.id)?;
            let n = ids.len();
            let event = Disclosure {
                action: "export.mailing-list",
                object_ids: ids.render("contact"),
                detail: format!("purpose={} count={n}", p.id),
            };
            Ok((event, (sql, p.id.clone(), n)))
        },
        |snap, (sql, purpose, n)| {
            let mut st = snap.prepare(&sql)?;
            let mut rows = st.query([&purpose])?;
            let streamed = match ctx.format {
                Format::Json => stream_json(&mut rows),
                Format::Csv | Format::Table => stream_csv(&mut rows),
            };
            streamed.map(|()| (purpose, n))
        },
    );
    let (purpose, n) = outcome?;
    ctx.status(format!(
        "exported {n} contact{} for {purpose}",
        if n == 1 { "" } else { "s" }
    ));
    Ok(())
}

fn text<'r>(r: &'r rusqlite::Row, i: usize) -> Result<&'r [u8]> {
    Ok(match r.get_ref(i)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => t,
        _ => b"",
    })
}

/// CSV straight from SQLite's buffers: no per-row allocation.
fn stream_csv(rows: &mut rusqlite::Rows) -> Result<()> {
    let out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::Io(e),
        other => Error::Io(io::Error::other(format!("{other:?}"))),
    };
    w.write_record(MAILING_LIST_COLUMNS).map_err(csv_err)?;
    while let Some(r) = rows.next()? {
        for i in 0..MAILING_LIST_COLUMNS.len() {
            w.write_field(text(r, i)?).map_err(csv_err)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}

fn stream_json(rows: &mut rusqlite::Rows) -> Result<()> {
    let mut w = RowWriter::stdout(Format::Json, &MAILING_LIST_COLUMNS)?;
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(MAILING_LIST_COLUMNS.len());
        for i in 0..MAILING_LIST_COLUMNS.len() {
            cells.push(match r.get_ref(i)? {
                ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
                _ => Value::Null,
            });
        }
        w.row(cells)?;
    }
    w.finish()?;
    io::stdout().flush()?;
    Ok(())
}
