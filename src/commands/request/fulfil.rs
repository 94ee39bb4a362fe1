//! `rekisteri request fulfil`: carry out the right, in the same transaction as the status.

use std::path::PathBuf;

use crate::store::Tx;

use crate::commands::contact::edit::Changes;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::consent::{self, Kind, State, GENERAL_OBJECTION_BASIS};
use crate::model::labels::Lang;
use crate::model::policy::{Basis, Purpose};
use crate::model::rectify::changed_fields;
use crate::model::request::{RequestId, RequestType, Step};
use crate::output::file;
use crate::report::{access, portability};
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::erasure::{self, Erasure, Reason};
use crate::store::requests::{self, By, Request};
use crate::store::{audit, contacts, policy};

/// Carry out the right the request uses; then answer the person and `request complete` it
///
/// rectification: give the corrected fields with the same flags as `contact edit`; they are
/// checked the same way and stored with the request's new status, or nothing is.
///
/// restriction: the contact is kept but no longer processed: left out of mailing lists and
/// of `export contacts --for-use`, marked restricted in `export contacts` and shown as
/// restricted (`request lift` ends it).
///
/// objection: an objection in the consent ledger to every direct marketing purpose (or the
/// request's --purpose), with the request id as its evidence.
///
/// withdrawal: each consent-based purpose the person is in (or the request's --purpose) is
/// withdrawn, with the request id as its evidence.
///
/// access: the answer is written into --output DIR: `R-….json`, everything held about the
/// person, and `R-….md`, a readable document (--lang fi|en) with what Art. 15 requires
/// besides the data (purposes, bases, recipients, retention, rights, the Data Protection
/// Ombudsman). portability: `R-….json` and `R-….csv`, the data the person provided. Files are
/// 0600, written whole or not at all, never over an existing file, and only after the
/// fulfilment (with its audit event) is committed.
///
/// erasure: the person and everything linked to them are erased as by `contact erase`
/// (nothing left in the register file or its -wal), and the address goes on the suppression
/// list; refused while a legal hold applies (the request stays open).
///
/// A request for a person the register does not hold is fulfilled by answering that no data
/// is held.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
    /// Access and portability: the existing directory the answer's files are written to
    /// (`R-….json` and `R-….md` or `R-….csv`, readable only by you; never over an existing file)
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Access: the language of the readable answer
    #[arg(long, value_enum, default_value_t = Lang::Fi)]
    pub lang: Lang,
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
    if let Some(dir) = &args.output {
        file::check_dir(dir, "--output")?;
        // Refused before anything is recorded: the answer never replaces a file.
        for ext in ["json", "md", "csv"] {
            let path = dir.join(format!("{}.{ext}", args.request));
            if path.exists() {
                return Err(Error::Conflict(format!(
                    "{} already exists; it was left untouched and nothing was recorded (move it away or choose another directory)",
                    path.display()
                )));
            }
        }
    }
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (r, done, files) = store.write(|tx| {
        let (r, _) = super::take_step(tx, ctx, args.request, |_| Step::Fulfil)?;
        if r.kind != RequestType::Rectification && !args.changes.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{}: the field flags are for rectification requests; this is a {} request",
                r.id,
                r.kind.as_str()
            )));
        }
        // The answer's files: written once the fulfilment, which records their disclosure,
        // is committed.
        let mut files = Vec::new();
        let done = match (r.kind, r.contact_id) {
            (RequestType::Access | RequestType::Portability, c) => {
                let (done, answer) = answer(tx, ctx, &r, c, args.output.is_some(), args.lang)?;
                files = answer;
                done
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
            (RequestType::Erasure, Some(c)) => erase(tx, ctx, &now, &r, c)?,
        };
        let by = By {
            now: &now,
            operator: &ctx.operator,
        };
        requests::fulfil(tx, r.rowid, by, &done.outcome)?;
        super::audit_step(tx, ctx, Action::RequestFulfil, &r, &done.outcome)?;
        Ok((r, done, files))
    })?;
    if let (Some(dir), false) = (&args.output, files.is_empty()) {
        let written = file::write_new(dir, &files).map_err(|e| {
            Error::Conflict(format!(
                "{}: recorded as fulfilled, but the answer could not be written: {e}",
                r.id
            ))
        })?;
        for path in written {
            ctx.status(format!("wrote {}", path.display()));
        }
    }
    // An erasure of someone the register held: its pages leave the -wal now.
    if r.kind == RequestType::Erasure && r.contact_id.is_some() {
        // Committed: the person is gone from the database; now from the file's old pages.
        erasure::checkpoint(&store).map_err(|e| {
            Error::Conflict(format!(
                "{}: the person is erased in the database and the request fulfilled, but {e}",
                r.id
            ))
        })?;
    }
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

/// One file of an answer: its name and content.
type AnswerFile = (String, Vec<u8>);

/// Access (Art. 15) and portability (Art. 20): the answer's files, rendered from the same
/// snapshot as the fulfilment that records their disclosure. For someone not in the register
/// the access answer says that no data is held.
fn answer(
    tx: &Tx,
    ctx: &Ctx,
    r: &Request,
    contact: Option<i64>,
    has_output: bool,
    lang: Lang,
) -> Result<(Done, Vec<AnswerFile>)> {
    if !has_output {
        return Err(Error::InvalidInput(format!(
            "{}: an {} request is answered with files: give --output DIR (an existing directory)",
            r.id,
            r.kind.as_str()
        )));
    }
    let id = r.id.to_string();
    let files = match r.kind {
        RequestType::Access => access::render(tx, contact, &id, lang, ctx.today(), ctx.zone())?,
        _ => portability::render(tx, contact, &id, ctx.today())?,
    };
    let whose = match contact {
        Some(c) => format!("contact:{c}"),
        None => "no-data-held".into(),
    };
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    Ok((
        Done {
            outcome: format!("answered {whose} lang={}", lang.as_str()),
            said: format!("the answer is {}", names.join(" and ")),
        },
        files,
    ))
}

/// Erasure (Art. 17) with the register's one erasure operation: refused while a legal hold
/// applies (the request stays open: refuse it, or fulfil it once the hold ends). The address
/// goes on the suppression list, so a later import does not bring the person back.
fn erase(tx: &Tx, ctx: &Ctx, now: &str, r: &Request, contact: i64) -> Result<Done> {
    let id = r.id.to_string();
    let reason = format!("erasure request {id}");
    let erased = erasure::erase(
        tx,
        &[contact],
        &Erasure {
            reason: Reason::Tool(&reason),
            request: Some(&id),
            suppress: true,
            today: ctx.today(),
            zone: ctx.zone(),
            now,
            operator: &ctx.operator,
        },
    )?;
    Ok(Done {
        outcome: format!("erased contact:{contact}"),
        said: format!(
            "erased contact {contact}: {}",
            crate::commands::contact::erase::summary(&erased)
        ),
    })
}

fn rectify(tx: &Tx, ctx: &Ctx, now: &str, contact: i64, changes: &Changes) -> Result<Done> {
    if changes.is_empty() {
        return Err(Error::InvalidInput(
            "nothing to rectify: give the corrected fields as for `contact edit` (e.g. --phone '040 123 4567') or --clear FIELD".into(),
        ));
    }
    let old = contacts::get(tx, contact)?;
    let data = changes.apply(&old.data, ctx.today())?;
    crate::commands::contact::edit::refuse_suppressed(tx, &old.data, &data)?;
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
            "contact {contact} is restricted: kept, but left out of mailing lists and of export contacts --for-use"
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
    let pv = policy::current(tx, &ctx.now_str())?;
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
    let pv = policy::current(tx, &ctx.now_str())?;
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
