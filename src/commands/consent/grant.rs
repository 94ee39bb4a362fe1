//! `rekisteri consent grant`

use crate::model::audit::Action;
use std::io::Write;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, Channel, Kind};
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::{contacts, policy};

/// Record a consent (opt-in) with its evidence; prints the event id
///
/// Records a consent for a consent-based purpose (e.g. `newsletter`), with the evidence of
/// what the person did (--evidence, required), the description version in force and the
/// operator.
///
/// After an objection (Art. 21) a grant is refused unless it is a new, explicit consent:
/// `--override-objection --evidence "…"`. A grant that would leave the purpose not allowed
/// (dated before a later withdrawal or objection) is refused too: it would change nothing.
/// The event refers to the description version in force at --at.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person: contact id or e-mail
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// A purpose of the register's description whose basis is consent
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// How the consent was given
    #[arg(long, value_enum, default_value_t = Channel::Email)]
    pub channel: Channel,
    /// What the person did, and where (e.g. "ticked the newsletter box on the order form,
    /// v3"); required: a consent must be provable (Art. 7(1))
    #[arg(long, value_name = "TEXT")]
    pub evidence: Option<String>,
    /// When the person gave it: RFC 3339 time or a date [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// This is a new, explicit consent that lifts the person's earlier objection for this
    /// purpose (its --evidence is that consent's)
    #[arg(long)]
    pub override_objection: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let at = super::parse_at(ctx, args.at.as_deref())?;
    let evidence = super::parse_evidence(args.evidence.as_deref())?.ok_or_else(|| {
        Error::InvalidInput(format!(
            "{}--evidence is required: a consent must be provable (Art. 7(1)), so say what the \
             person did and where, e.g. --evidence \"ticked the newsletter box on the order form v3\"{}",
            match &args.evidence {
                Some(e) => format!("invalid --evidence {e:?}: "),
                None => String::new(),
            },
            if args.override_objection {
                "; with --override-objection, the evidence of the new, explicit consent"
            } else {
                ""
            }
        ))
    })?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, contact_id, purpose) = store.write(|tx| {
        let pv = policy::current(tx, &ctx.now_str())?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        if let Some(why) = consent::cannot_grant(p) {
            return Err(Error::Refused(why));
        }
        let contact_id = contacts::resolve(tx, &args.contact)?;
        let events = ledger::events_for_contact(tx, contact_id)?;
        if let Some(why) =
            consent::objection_blocks_grant(p, contact_id, &events, &at, args.override_objection)
        {
            return Err(Error::Refused(why));
        }
        let version = policy::version_at(tx, &at)?;
        let new = NewEvent {
            contact_id,
            purpose: Some(&p.id),
            kind: Kind::Granted,
            basis: p.basis.as_str(),
            channel: args.channel.as_str(),
            evidence: Some(&evidence),
            occurred_at: &at,
            recorded_at: &now,
            operator: &ctx.operator,
            policy_version: version,
            override_objection: args.override_objection,
        };
        // The new event is recorded after every other: it sorts last among simultaneous ones.
        if let Some(why) = consent::grant_changes_nothing(
            p,
            &events,
            &new.clone().into_event(i64::MAX),
            ctx.zone(),
        ) {
            return Err(Error::Refused(why));
        }
        let note = if args.override_objection {
            "override-objection"
        } else {
            ""
        };
        let id = ledger::record(tx, &new, Action::ConsentGrant, note)?;
        Ok((id, contact_id, p.id.clone()))
    })?;
    writeln!(std::io::stdout(), "{id}")?;
    ctx.status(format!(
        "recorded consent {id}: contact {contact_id} granted {purpose}"
    ));
    Ok(())
}
