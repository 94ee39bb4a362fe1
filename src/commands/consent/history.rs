//! `rekisteri consent history`

use crate::model::audit::Action;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::consent::Event;
use crate::model::time;
use crate::output::{self, Format, RowWriter};
use crate::store::{audit, consents, contacts};

/// Every consent event of a person, oldest first
///
/// In the order the person acted (the proof of Art. 7(1)):
/// what, when, how, the evidence, the description version in force, who recorded it and when.
/// An empty purpose (CSV) or null (JSON) is an objection to all direct marketing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person: contact id or e-mail
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
}

pub const COLUMNS: [&str; 11] = [
    "event",
    "occurred_at",
    "purpose",
    "kind",
    "basis",
    "channel",
    "evidence",
    "override_objection",
    "policy_version",
    "operator",
    "recorded_at",
];

/// One event as a row of `COLUMNS`: stored values, or for a table (`table`: the register's
/// time zone) shown times and a named general objection. (`contact show` lists the same rows.)
pub fn event_cells(e: &Event, table: Option<time::Tz>) -> Vec<Value> {
    let when = |t: &str| {
        Value::String(match table {
            Some(zone) => time::display(t, zone),
            None => t.to_string(),
        })
    };
    let purpose = match (&e.purpose, table.is_some()) {
        (Some(p), _) => Value::String(p.clone()),
        (None, true) => Value::String("(all direct marketing)".into()),
        (None, false) => Value::Null,
    };
    vec![
        Value::from(e.id),
        when(&e.occurred_at),
        purpose,
        Value::String(e.kind.as_str().into()),
        Value::String(e.basis.clone()),
        Value::String(e.channel.clone()),
        output::opt(e.evidence.clone()),
        Value::Bool(e.override_objection),
        Value::from(e.policy_version),
        Value::String(e.operator.clone()),
        when(&e.recorded_at),
    ]
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (contact_id, events) = store.write(|tx| {
        let contact_id = contacts::resolve(tx, &args.contact)?;
        let events = consents::events_for_contact(tx, contact_id)?;
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ConsentHistory,
            &format!("contact:{contact_id}"),
            &format!("count={}", events.len()),
        )?;
        Ok((contact_id, events))
    })?;
    let table = (ctx.format == Format::Table).then(|| ctx.zone());
    let mut w = RowWriter::stdout(ctx.format, ctx.csv, &COLUMNS)?;
    for e in &events {
        w.row(event_cells(e, table))?;
    }
    w.finish()?;
    if events.is_empty() {
        ctx.status(format!("contact {contact_id} has no consent events"));
    }
    Ok(())
}
