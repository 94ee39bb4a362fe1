//! `rekisteri request fulfil`: carry out the right, in the same transaction as the status.

use crate::store::Tx;

use crate::commands::contact::edit::Changes;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::consent::{self, Kind, State, GENERAL_OBJECTION_BASIS};
use crate::model::policy::{Basis, Purpose};
use crate::model::rectify::changed_fields;
use crate::model::request::{RequestId, RequestType, Step};
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::requests::{self, By, Request};
use crate::store::{audit, contacts, policy};

/// Carry out the right the request uses; then answer the person and `request complete` it
///
/// rectification: give the corrected fields with the same flags as `contact edit`; they are
/// checked the same way and stored with the request's new status, or nothing is.
///
/// restriction: the contact is kept but no longer processed: left out of mailing lists and
/// exports, shown as restricted (`request lift` ends it).
///
/// objection: an objection in the consent ledger to every direct marketing purpose (or the
/// request's --purpose), with the request id as its evidence.
///
/// withdrawal: each consent-based purpose the person is in (or the request's --purpose) is
/// withdrawn, with the request id as its evidence.
///
/// A request for a person the register does not hold is fulfilled by answering that no data
/// is held.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
    #[command(flatten, next_help_heading = "Rectification (the corrected fields)")]
    pub changes: Changes,
}

/// What fulfilling did: `outcome` is stored and audited (codes and ids only), `said` is
/// told to the operator.
struct Done {
    outcome: String,
    said: String,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (r, done) = store.write(|tx| {
        let (r, _) = super::take_step(tx, ctx, args.request, |_| Step::Fulfil)?;
        if r.kind != RequestType::Rectification && !args.changes.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{}: the field flags are for rectification requests; this is a {} request",
                r.id,
                r.kind.as_str()
            )));
        }
        let done = match (r.kind, r.contact_id) {
            (RequestType::Access | RequestType::Portability | RequestType::Erasure, _) => {
                return Err(not_available_yet(&r));
            }
            (RequestType::Rectification, None) if !args.changes.is_empty() => {
                return Err(Error::Refused(format!(
                    "{}: the person is not in the register, so there is nothing to rectify; fulfil it without field flags to record that no data is held",
                    r.id
                )));
            }
            (_, None) => Done {
                outcome: "no-data-held".into(),
                said: "the person is not in the register: answer that no data is held".into(),
            },
            (RequestType::Rectification, Some(c)) => rectify(tx, ctx, &now, c, &args.changes)?,
            (RequestType::Restriction, Some(c)) => restrict(tx, &now, c)?,
            (RequestType::Objection, Some(c)) => object(tx, ctx, &now, &r, c)?,
            (RequestType::Withdrawal, Some(c)) => withdraw(tx, ctx, &now, &r, c)?,
        };
        let by = By {
            now: &now,
            operator: &ctx.operator,
        };
        requests::fulfil(tx, r.rowid, by, &done.outcome)?;
        super::audit_step(tx, ctx, Action::RequestFulfil, &r, &done.outcome)?;
        Ok((r, done))
    })?;
    ctx.status(format!(
        "{}: fulfilled: {}; next: answer the person ({}) by {} and `rekisteri request complete {}`",
        r.id,
        done.said,
        r.channel.as_str(),
        crate::model::time::format_date(&r.due),
        r.id
    ));
    Ok(())
}

/// The one place access, portability and erasure requests are turned away: their
/// fulfilment (the report, the machine-readable copy, the erasure) is not part of this
/// command yet. Wire each in here.
fn not_available_yet(r: &Request) -> Error {
    Error::Refused(format!(
        "{}: `request fulfil` does not carry out {} requests in this version; the request stays open and its deadline runs",
        r.id,
        r.kind.as_str()
    ))
}

fn rectify(tx: &Tx, ctx: &Ctx, now: &str, contact: i64, changes: &Changes) -> Result<Done> {
    if changes.is_empty() {
        return Err(Error::InvalidInput(
            "nothing to rectify: give the corrected fields as for `contact edit` (e.g. --phone '040 123 4567') or --clear FIELD".into(),
        ));
    }
    let old = contacts::get(tx, contact)?;
    let data = changes.apply(&old.data, ctx.today())?;
    let changed = changed_fields(&old.data, &data);
    if changed.is_empty() {
        return Ok(Done {
            outcome: "unchanged".into(),
            said: format!("contact {contact} already holds these values"),
        });
    }
    contacts::update(tx, contact, &data, now)?;
    Ok(Done {
        outcome: format!("fields={}", changed.join("+")),
        said: format!("contact {contact}: corrected {}", changed.join(", ")),
    })
}

fn restrict(tx: &Tx, now: &str, contact: i64) -> Result<Done> {
    let c = contacts::get(tx, contact)?;
    if c.restricted_at.is_some() {
        return Ok(Done {
            outcome: "already-restricted".into(),
            said: format!("contact {contact} was already restricted"),
        });
    }
    contacts::set_restricted(tx, contact, Some(now), now)?;
    Ok(Done {
        outcome: "restricted".into(),
        said: format!(
            "contact {contact} is restricted: kept, but left out of mailing lists and exports"
        ),
    })
}

/// The purposes a request names, as the description in force has them.
fn named<'p>(purposes: &'p [Purpose], r: &Request) -> Result<Vec<&'p Purpose>> {
    r.purposes
        .iter()
        .map(|id| {
            purposes.iter().find(|p| &p.id == id).ok_or_else(|| {
                Error::Refused(format!(
                    "{}: the purpose {id} is no longer in the register's description",
                    r.id
                ))
            })
        })
        .collect()
}

/// The consent events one request records: the request's channel, its id as the evidence.
struct Entry<'a> {
    r: &'a Request,
    evidence: String,
    contact: i64,
    now: &'a str,
    operator: &'a str,
    version: i64,
}

impl Entry<'_> {
    fn append(&self, tx: &Tx, purpose: Option<&Purpose>, kind: Kind) -> Result<i64> {
        ledger::append(
            tx,
            &NewEvent {
                contact_id: self.contact,
                purpose: purpose.map(|p| p.id.as_str()),
                kind,
                basis: purpose.map_or(GENERAL_OBJECTION_BASIS, |p| p.basis.as_str()),
                channel: self.r.channel.consent_channel().as_str(),
                evidence: Some(&self.evidence),
                occurred_at: self.now,
                recorded_at: self.now,
                operator: self.operator,
                policy_version: self.version,
                override_objection: false,
            },
        )
    }
}

fn entry<'a>(
    tx: &Tx,
    ctx: &'a Ctx,
    now: &'a str,
    r: &'a Request,
    contact: i64,
) -> Result<Entry<'a>> {
    Ok(Entry {
        r,
        evidence: r.id.to_string(),
        contact,
        now,
        operator: &ctx.operator,
        version: policy::version_at(tx, now)?,
    })
}

fn recorded(ids: &audit::IdRanges, what: &str, contact: i64, nothing: &str) -> Done {
    if ids.is_empty() {
        return Done {
            outcome: "nothing-to-record".into(),
            said: format!("contact {contact}: {nothing}"),
        };
    }
    Done {
        outcome: ids.render("consent"),
        said: format!(
            "contact {contact}: recorded {what} in the consent ledger ({})",
            ids.render("consent")
        ),
    }
}

fn object(tx: &Tx, ctx: &Ctx, now: &str, r: &Request, contact: i64) -> Result<Done> {
    let pv = policy::current(tx)?;
    let entry = entry(tx, ctx, now, r, contact)?;
    let events = ledger::events_for_contact(tx, contact)?;
    let mut ids = audit::IdRanges::new();
    if r.purposes.is_empty() {
        // All direct marketing, now and in the future: the general objection.
        if consent::general_objection_active(&events).is_none() {
            ids.push(entry.append(tx, None, Kind::Objected)?);
        }
    } else {
        for p in named(&pv.policy.purposes, r)? {
            if let Some(why) = consent::cannot_object(p) {
                return Err(Error::Refused(why));
            }
            if consent::derive(p, &events).state == State::Objected {
                continue;
            }
            ids.push(entry.append(tx, Some(p), Kind::Objected)?);
        }
    }
    Ok(recorded(
        &ids,
        "the objection",
        contact,
        "the objection was already in force; nothing was recorded",
    ))
}

fn withdraw(tx: &Tx, ctx: &Ctx, now: &str, r: &Request, contact: i64) -> Result<Done> {
    let pv = policy::current(tx)?;
    let entry = entry(tx, ctx, now, r, contact)?;
    let events = ledger::events_for_contact(tx, contact)?;
    let targets: Vec<&Purpose> = if r.purposes.is_empty() {
        // Art. 7(3) withdraws consents; refusing opt-out marketing is an objection's work.
        pv.policy
            .purposes
            .iter()
            .filter(|p| p.basis == Basis::Consent)
            .collect()
    } else {
        let named = named(&pv.policy.purposes, r)?;
        if let Some(why) = named.iter().find_map(|p| consent::cannot_withdraw(p)) {
            return Err(Error::Refused(why));
        }
        named
    };
    let mut ids = audit::IdRanges::new();
    for p in targets {
        // Only what is allowed now can be withdrawn.
        if consent::derive(p, &events).state != State::Allowed {
            continue;
        }
        ids.push(entry.append(tx, Some(p), Kind::Withdrawn)?);
    }
    Ok(recorded(
        &ids,
        "the withdrawal",
        contact,
        "no consent was in force; nothing was recorded",
    ))
}
