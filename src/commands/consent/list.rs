//! `rekisteri consent list`

use crate::model::audit::Action;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::consent::State;
use crate::output::{self, Format, RowWriter};
use crate::store::{audit, consents, policy};

/// Who is in which state for a purpose
///
/// Every contact, or those in one state.
///
/// `state` is the state the consent ledger gives; `restricted` says whether the contact's
/// processing is restricted (Art. 18), `restricted_since` since when. A restricted contact is
/// listed in its ledger state, so `--status allowed` includes restricted contacts too, flagged
/// `restricted` yes: the purpose may not be pursued for them while the restriction lasts.
/// For a list to send marketing to, use `export mailing-list`: it excludes restricted
/// contacts. The listing is recorded in the audit trail with the contacts it showed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A purpose of the register's description
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// Only contacts in this ledger state (`allowed` includes restricted contacts, flagged;
    /// `export mailing-list` excludes them)
    #[arg(long, value_enum)]
    pub status: Option<State>,
}

pub const COLUMNS: [&str; 9] = [
    "id",
    "email",
    "first_name",
    "last_name",
    "state",
    "since",
    "event",
    "restricted",
    "restricted_since",
];

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    crate::store::consents::tune_for_scans(&store.session())?;
    let now = ctx.now_str();
    let table = ctx.format == Format::Table;
    let when =
        |t: Option<String>| output::opt(t.map(|t| if table { ctx.show_time(&t) } else { t }));
    let outcome = store.write(|tx| {
        let pv = policy::current(tx)?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        let mut shown = audit::IdRanges::new();
        let streamed = RowWriter::stdout(ctx.format, &COLUMNS)
            .map_err(crate::Error::from)
            .and_then(|mut w| {
                consents::list(tx, p, args.status, |r| {
                    w.row(vec![
                        Value::from(r.contact_id),
                        Value::String(r.email),
                        output::opt(r.first_name),
                        output::opt(r.last_name),
                        Value::String(r.state.as_str().into()),
                        when(r.since),
                        r.event_id.map_or(Value::Null, Value::from),
                        Value::Bool(r.restricted_at.is_some()),
                        when(r.restricted_at),
                    ])?;
                    shown.push(r.contact_id);
                    Ok(())
                })?;
                w.finish()?;
                Ok(())
            });
        let n = shown.len();
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ConsentList,
            &shown.render("contact"),
            &format!(
                "purpose={} status={} count={n}",
                p.id,
                args.status.map_or("any", State::as_str)
            ),
        )?;
        // Rows already shown were disclosed: keep the audit event when the reader stopped early.
        match streamed {
            Err(e) if e.is_broken_pipe() => Ok(Err(e)),
            Err(e) => Err(e),
            Ok(()) => Ok(Ok((p.id.clone(), n))),
        }
    })?;
    let (purpose, n) = outcome?;
    if n == 0 {
        ctx.status(format!(
            "no contacts{} for {purpose}",
            args.status
                .map(|s| format!(" in state {}", s.as_str()))
                .unwrap_or_default(),
        ));
    }
    Ok(())
}
