//! `rekisteri consent status`

use crate::model::audit::Action;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{self, Format, RowWriter};
use crate::store::{audit, consents, contacts, policy};

/// Per purpose: allowed or not, on which basis, since when, and why
///
/// For each purpose of the register's description: the state derived from the ledger, whether the
/// purpose may be pursued now (`allowed`: never while processing is restricted, Art. 18), the
/// basis, since when, and the event that decided it. Times are in the register's time zone in
/// tables, UTC RFC 3339 in CSV and JSON.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person: contact id or e-mail
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
}

pub const COLUMNS: [&str; 8] = [
    "purpose",
    "basis",
    "marketing",
    "state",
    "allowed",
    "since",
    "event",
    "why",
];

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (contact_id, restricted, statuses) = store.write(|tx| {
        let contact_id = contacts::resolve(tx, &args.contact)?;
        let restricted = contacts::get(tx, contact_id)?.restricted_at;
        let pv = policy::current(tx, &ctx.now_str())?;
        let statuses = consents::status_for_contact(tx, contact_id, &pv.policy)?;
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ConsentStatus,
            &format!("contact:{contact_id}"),
            "",
        )?;
        Ok((contact_id, restricted, statuses))
    })?;
    if let Some(at) = &restricted {
        ctx.status(format!(
            "note: processing of contact {contact_id} is restricted (Art. 18) since {}: whatever the states \
             below, the person is not contacted or exported for use",
            ctx.show_time(at)
        ));
    }
    let mut w = RowWriter::stdout(ctx.format, ctx.csv, &COLUMNS)?;
    for s in &statuses {
        let since = s.since.as_deref().map(|t| match ctx.format {
            Format::Table => ctx.show_time(t),
            _ => t.to_string(),
        });
        w.row(vec![
            Value::String(s.purpose.clone()),
            Value::String(s.basis.as_str().into()),
            output::opt(s.marketing.map(|m| m.as_str())),
            Value::String(s.state.as_str().into()),
            Value::Bool(s.allowed() && restricted.is_none()),
            output::opt(since),
            s.event_id.map_or(Value::Null, Value::from),
            Value::String(s.why()),
        ])?;
    }
    w.finish()?;
    Ok(())
}
