//! `rekisteri consent history`

use crate::model::audit::Action;

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{Format, RowWriter};
use crate::report::person::{event_cells, CONSENT_EVENT_COLUMNS as COLUMNS};
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
    let mut w = RowWriter::stdout(ctx.format, &COLUMNS)?;
    for e in &events {
        w.row(event_cells(e, table))?;
    }
    w.finish()?;
    if events.is_empty() {
        ctx.status(format!("contact {contact_id} has no consent events"));
    }
    Ok(())
}
