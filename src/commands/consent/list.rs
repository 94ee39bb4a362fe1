//! `rekisteri consent list`

use crate::model::audit::Action;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::consent::State;
use crate::output::{self, Format, RowWriter};
use crate::store::disclose::Disclosure;
use crate::store::{consents, policy};

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
    // The event naming every contact shown is committed before the first row goes out; the
    // rows then come from the same snapshot, holding no write lock.
    let outcome = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let pv = policy::current(snap, &ctx.now_str())?;
            let p = super::find_purpose(&pv.policy, &args.purpose)?.clone();
            let ids = consents::list_ids(snap, &p, args.status)?;
            let n = ids.len();
            let event = Disclosure {
                action: Action::ConsentList,
                object_ids: ids.render("contact"),
                detail: format!(
                    "purpose={} status={} count={n}",
                    p.id,
                    args.status.map_or("any", State::as_str)
                ),
            };
            Ok((event, (p, n)))
        },
        |snap, (p, n)| {
            let mut w = RowWriter::stdout(ctx.format, ctx.csv, &COLUMNS)?;
            consents::list(snap, &p, args.status, |r| {
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
                Ok(())
            })?;
            w.finish()?;
            Ok((p.id, n))
        },
    );
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
