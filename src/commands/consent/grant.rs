//! `rekisteri consent grant`

use std::io::Write;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, Channel, Kind, State};
use crate::model::policy::Basis;
use crate::model::time;
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::{audit, contacts, policy};

/// Record a consent (opt-in) with its evidence; prints the event id
///
/// Records a consent for a consent-based purpose (e.g. `newsletter`), with the evidence of
/// what the person did, the description version in force and the operator.
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
    /// What the person did, and where (e.g. "ticked the newsletter box on the order form, v3")
    #[arg(long, value_name = "TEXT")]
    pub evidence: Option<String>,
    /// When the person gave it: RFC 3339 time or a date [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// This is a new, explicit consent that lifts the person's earlier objection for this
    /// purpose (needs --evidence)
    #[arg(long, requires = "evidence")]
    pub override_objection: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let at = super::parse_at(ctx, args.at.as_deref())?;
    let evidence = super::parse_evidence(args.evidence.as_deref())?;
    if args.override_objection && evidence.is_none() {
        return Err(Error::invalid(
            "--evidence",
            args.evidence.unwrap_or_default(),
            "expected the evidence of the new, explicit consent that --override-objection records",
        ));
    }
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, contact_id, purpose) = store.write(|tx| {
        let pv = policy::current(tx)?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        if p.basis != Basis::Consent {
            return Err(Error::Refused(match p.marketing {
                Some(m) => format!(
                    "{} is {} marketing on {}: no consent is needed; use `rekisteri consent withdraw` or \
                     `rekisteri consent object` to record the person's refusal",
                    p.id,
                    m.as_str(),
                    p.basis.as_str().replace('-', " ")
                ),
                None => format!(
                    "{} is processed on {}, not consent: there is no consent to record",
                    p.id,
                    p.basis.as_str().replace('-', " ")
                ),
            }));
        }
        let contact_id = contacts::resolve(tx, &args.contact)?;
        let events = ledger::events_for_contact(tx, contact_id)?;
        let then = consent::derive(p, &consent::as_of(&events, &at));
        if then.state == State::Objected && !args.override_objection {
            return Err(Error::Refused(format!(
                "contact {contact_id} has {} (event {}), which a plain grant cannot lift; if the person \
                 has now given a new, explicit consent, record it with --override-objection --evidence \"…\"",
                match then.reason {
                    consent::Reason::ObjectedToAll { .. } => "objected to all direct marketing".to_string(),
                    _ => format!("objected to {}", p.id),
                },
                then.event_id.unwrap_or_default()
            )));
        }
        let version = policy::version_at(tx, &at)?;
        let id = ledger::append(
            tx,
            &NewEvent {
                contact_id,
                purpose: Some(&p.id),
                kind: Kind::Granted,
                basis: p.basis.as_str(),
                channel: args.channel.as_str(),
                evidence: evidence.as_deref(),
                occurred_at: &at,
                recorded_at: &now,
                operator: &ctx.operator,
                policy_version: version,
                override_objection: args.override_objection,
            },
        )?;
        // A record that leaves the purpose where it was would only mislead: the transaction
        // is undone.
        let after = consent::derive(p, &ledger::events_for_contact(tx, contact_id)?);
        if after.state != State::Allowed {
            return Err(Error::Refused(changes_nothing(contact_id, &after, &at)));
        }
        let mut detail = super::detail(Some(&p.id));
        if args.override_objection {
            detail.push_str(" override-objection");
        }
        audit::append(
            tx,
            &now,
            &ctx.operator,
            "consent.grant",
            &audit::ObjectIds::of("contact", contact_id).and("consent", id).render(),
            &detail,
        )?;
        Ok((id, contact_id, p.id.clone()))
    })?;
    writeln!(std::io::stdout(), "{id}")?;
    ctx.status(format!(
        "recorded consent {id}: contact {contact_id} granted {purpose}"
    ));
    Ok(())
}

/// Why a grant at `at` leaves the purpose not allowed (`after`: its state with the grant).
fn changes_nothing(contact_id: i64, after: &consent::PurposeStatus, at: &str) -> String {
    let what = match &after.reason {
        consent::Reason::ObjectedToAll { .. } => "objected to all direct marketing".to_string(),
        consent::Reason::ObjectedToPurpose { .. } => format!("objected to {}", after.purpose),
        consent::Reason::Withdrawn { .. } => format!("withdrew consent for {}", after.purpose),
        _ => format!("has no live consent for {}", after.purpose),
    };
    let when = match (&after.since, after.event_id) {
        (Some(t), Some(e)) if t.as_str() > at => format!(
            " at {} (event {e}), later than --at {}: a grant dated before it",
            time::display_local(t),
            time::display_local(at)
        ),
        (Some(t), Some(e)) => format!(" at {} (event {e}): this grant", time::display_local(t)),
        _ => ": this grant".to_string(),
    };
    format!(
        "contact {contact_id} {what}{when} changes nothing ({} stays {}); nothing was recorded",
        after.purpose,
        after.state.as_str()
    )
}
