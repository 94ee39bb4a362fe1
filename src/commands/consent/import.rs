//! `rekisteri consent import`

use std::path::PathBuf;

use super::file::{self, Reject};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, GrantImport, Kind};
use crate::model::policy::Basis;
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::{audit, policy};

/// Bring existing opt-ins over from a spreadsheet or a newsletter service's audience export
///
/// Brings existing opt-ins over from a spreadsheet or a newsletter service's audience export
/// (e.g. Mailchimp's: `Email Address`, `OPTIN_TIME`, `OPTIN_IP`, `CONFIRM_TIME`, `CONFIRM_IP`).
///
/// The e-mail column is found by its header (Email Address, email, E-mail, sähköposti…);
/// `,` or `;` separated, UTF-8 with or without BOM. Each known address becomes a grant at its
/// confirm time, else its opt-in time, else now (service times like `2024-01-15 10:23:45` are
/// UTC), with --evidence and the file's evidence columns (the double opt-in proof) as evidence,
/// channel `import`. All in one transaction: a file with an invalid row records nothing.
/// Rerunning the same file adds nothing (a row without a time is recognised by its evidence,
/// so give the same --evidence). Rejected, and reported (all of them with --rejects):
/// addresses not in the register, people with an objection in force (only a new explicit
/// consent, `grant --override-objection`, can lift it) and, for rows without a time, people
/// who have withdrawn.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A purpose of the register's description whose basis is consent
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// Where these opt-ins come from (e.g. "Mailchimp audience export 2026-11-20, signup form v2")
    #[arg(long, value_name = "TEXT")]
    pub evidence: String,
    /// Write every rejected row (line, email, reason) to this CSV file
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let evidence = super::parse_evidence(Some(&args.evidence))?.ok_or_else(|| {
        Error::invalid(
            "--evidence",
            &args.evidence,
            "expected a description of where the opt-ins come from (required to prove the consents)",
        )
    })?;
    let mut store = ctx.open()?;
    let purpose = {
        let pv = policy::current(store.conn())?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        if p.basis != Basis::Consent {
            return Err(Error::Refused(format!(
                "{} is processed on {}, not consent: there are no opt-ins to import",
                p.id,
                p.basis.as_str()
            )));
        }
        p.id.clone()
    };
    let parsed = file::parse(&args.file, consent::optin_columns, Some(&evidence), ctx)?;
    let rejects_file = args
        .rejects
        .as_deref()
        .map(file::create_rejects)
        .transpose()?;
    let now = ctx.now_str();
    ledger::tune_for_import(store.conn())?;
    let (added, already, rejects) = store.write(|tx| {
        let pv = policy::current(tx)?;
        let p = super::find_purpose(&pv.policy, &purpose)?;
        let (mut first, mut added, mut already) = (None, 0usize, 0usize);
        let mut rejected: Vec<(usize, &'static str)> = Vec::new();
        let keys: Vec<&str> = parsed.rows.iter().map(|r| r.key.as_str()).collect();
        let mut appender = ledger::Appender::new(tx)?;
        let unknown = ledger::for_each_known(tx, &keys, &p.id, |i, contact_id, events, more| {
            let row = &parsed.rows[i];
            let row_evidence = row.evidence.as_deref().unwrap_or(&evidence);
            let at = row.at.as_deref().unwrap_or(&now);
            match consent::decide_grant_import(p, events, at, row.at.is_some(), row_evidence) {
                GrantImport::Grant => {}
                GrantImport::AlreadyRecorded => {
                    already += 1;
                    return Ok(());
                }
                GrantImport::RejectObjected => {
                    rejected.push((i, "objected"));
                    return Ok(());
                }
                GrantImport::RejectWithdrawn => {
                    rejected.push((i, "withdrawn"));
                    return Ok(());
                }
            }
            let new = NewEvent {
                contact_id,
                purpose: Some(&p.id),
                kind: Kind::Granted,
                basis: p.basis.as_str(),
                channel: consent::Channel::Import.as_str(),
                evidence: Some(row_evidence),
                occurred_at: at,
                recorded_at: &now,
                operator: &ctx.operator,
                policy_version: pv.version,
                override_objection: false,
            };
            let id = appender.append(tx, &new)?;
            // A later row of the same person (a file may list someone twice) sees this grant.
            if more {
                events.push(new.into_event(id));
            }
            first.get_or_insert(id);
            added += 1;
            Ok(())
        })?;
        rejected.extend(unknown.into_iter().map(|i| (i, "unknown")));
        rejected.sort_unstable();
        let ids = match first {
            Some(f) => format!("consent:{f}-{}", ledger::last_id(tx)?),
            None => String::new(),
        };
        let count = |r: &str| rejected.iter().filter(|x| x.1 == r).count();
        audit::append(
            tx,
            &now,
            &ctx.operator,
            "consent.import",
            &ids,
            &format!(
                "purpose={} granted={added} already={already} unknown={} objected={} withdrawn={}",
                p.id,
                count("unknown"),
                count("objected"),
                count("withdrawn")
            ),
        )?;
        let rejects: Vec<Reject> = rejected
            .into_iter()
            .map(|(i, reason)| Reject {
                line: parsed.rows[i].line,
                email: &parsed.rows[i].email,
                reason,
            })
            .collect();
        Ok((added, already, rejects))
    })?;
    if let (Some(f), Some(path)) = (rejects_file, &args.rejects) {
        file::write_rejects(f, path, &rejects)?;
    }
    let unknown: Vec<&Reject> = rejects.iter().filter(|r| r.reason == "unknown").collect();
    file::report_unknown(&unknown, args.rejects.as_ref());
    for r in rejects.iter().filter(|r| r.reason != "unknown").take(5) {
        eprintln!(
            "warning: line {}: not granted: {}",
            r.line,
            match r.reason {
                "objected" => "the person has objected; only `consent grant --override-objection` with new evidence can lift it",
                _ => "the person has withdrawn, and the row has no time showing a later opt-in",
            }
        );
    }
    ctx.status(format!(
        "imported {added} consent{} for {purpose} from {} row{} ({already} already recorded, {} rejected)",
        if added == 1 { "" } else { "s" },
        parsed.rows.len(),
        if parsed.rows.len() == 1 { "" } else { "s" },
        rejects.len()
    ));
    Ok(())
}
