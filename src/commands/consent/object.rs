//! `rekisteri consent object`

use crate::model::audit::Action;
use std::io::Write;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, Channel, Kind, State, GENERAL_OBJECTION_BASIS};
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::{contacts, policy};

/// Record an objection (Art. 21): to one purpose, or to all direct marketing
///
/// Prints the event id.
///
/// Without --purpose it is an objection to all direct marketing: every marketing purpose, on
/// any basis, now and in the future (purposes added to the description later included). It is
/// absolute: only a new, explicit consent recorded with `grant --override-objection --evidence`
/// lifts it, for that purpose. An objection already in force is not recorded twice (exit 0).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person: contact id or e-mail
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// Object to this purpose only (a marketing or legitimate-interest purpose)
    /// [default: all direct marketing]
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: Option<String>,
    /// How the objection reached us
    #[arg(long, value_enum, default_value_t = Channel::Email)]
    pub channel: Channel,
    /// What the person said, and where (optional)
    #[arg(long, value_name = "TEXT")]
    pub evidence: Option<String>,
    /// When the person objected: RFC 3339 time or a date [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let at = super::parse_at(ctx, args.at.as_deref())?;
    let evidence = super::parse_evidence(args.evidence.as_deref())?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let outcome = store.write(|tx| {
        let pv = policy::current(tx, &ctx.now_str())?;
        let purpose = match &args.purpose {
            None => None,
            Some(id) => {
                let p = super::find_purpose(&pv.policy, id)?;
                if let Some(why) = consent::cannot_object(p) {
                    return Err(Error::Refused(why));
                }
                Some(p)
            }
        };
        let contact_id = contacts::resolve(tx, &args.contact)?;
        let events = ledger::events_for_contact(tx, contact_id)?;
        // The description in force when the person acted.
        let version = policy::version_at(tx, &at)?;
        let then = consent::as_of(&events, &at);
        let already = match purpose {
            None => consent::general_objection_active(&then).map(|e| e.id),
            Some(p) => {
                let s = consent::derive(p, &then);
                (s.state == State::Objected).then_some(s.event_id).flatten()
            }
        };
        if let Some(event) = already {
            return Ok((contact_id, Err(event)));
        }
        let id = ledger::record(
            tx,
            &NewEvent {
                contact_id,
                purpose: purpose.map(|p| p.id.as_str()),
                kind: Kind::Objected,
                basis: purpose.map_or(GENERAL_OBJECTION_BASIS, |p| p.basis.as_str()),
                channel: args.channel.as_str(),
                evidence: evidence.as_deref(),
                occurred_at: &at,
                recorded_at: &now,
                operator: &ctx.operator,
                policy_version: version,
                override_objection: false,
            },
            Action::ConsentObject,
            "",
        )?;
        Ok((contact_id, Ok(id)))
    })?;
    let scope = match &args.purpose {
        Some(p) => p.trim().to_string(),
        None => "all direct marketing".to_string(),
    };
    match outcome {
        (contact_id, Err(event)) => ctx.status(format!(
            "contact {contact_id} has already objected to {scope} (event {event}); nothing was recorded"
        )),
        (contact_id, Ok(id)) => {
            writeln!(std::io::stdout(), "{id}")?;
            ctx.status(format!(
                "recorded objection {id}: contact {contact_id} objects to {scope}"
            ));
        }
    }
    Ok(())
}
