//! `rekisteri consent import`

use crate::model::audit::Action;
use std::path::PathBuf;

use super::file::{self, Counts, RejectsFile, Why};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, GrantImport, Kind};
use crate::model::labels::count_of;
use crate::model::validate;
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::staging::{self, Staging};
use crate::store::suppressions::Lookup;
use crate::store::{audit, policy};

/// Bring existing opt-ins over from a spreadsheet or a newsletter service's audience export
///
/// Brings existing opt-ins over from a spreadsheet or a newsletter service's audience export
/// (e.g. Mailchimp's: `Email Address`, `OPTIN_TIME`, `OPTIN_IP`, `CONFIRM_TIME`, `CONFIRM_IP`).
///
/// The e-mail column is found by its header (Email Address, email, E-mail, sähköposti…);
/// `,` or `;` separated, UTF-8 with or without BOM. Each known address becomes a grant at its
/// confirm time, else its opt-in time, else now (service times like `2024-01-15 10:23:45` are
/// UTC; rows dated now are counted in a warning), with --evidence and the file's evidence
/// columns (the double opt-in proof) as evidence, channel `import`, and the description
/// version in force at that time. All in one transaction: a file with an invalid row records
/// nothing. Rerunning the same file adds nothing (a row without a time is recognised by its
/// evidence, so give the same --evidence). Rejected, and reported (all of them with
/// --rejects): rows without an address or with an invalid one, addresses not in the register,
/// people with an objection in force (only a new explicit consent, `grant
/// --override-objection`, can lift it) and, for rows without a time, people who have withdrawn.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// A purpose of the register's description whose basis is consent
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// Where these opt-ins come from (e.g. "Mailchimp audience export 2026-11-20, signup form v2")
    #[arg(long, value_name = "TEXT")]
    pub evidence: String,
    /// Write every rejected row (line, email, reason) to this CSV file (a new one, unless --force)
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Overwrite the --rejects file when it exists
    #[arg(long, requires = "rejects")]
    pub force: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let evidence = super::parse_evidence(Some(&args.evidence))?.ok_or_else(|| {
        Error::invalid(
            "--evidence",
            &args.evidence,
            "expected a description of where the opt-ins come from (required to prove the consents)",
        )
    })?;
    let input = file::open(&args.file, ctx)?;
    let mut store = ctx.open()?;
    let purpose = {
        let pv = policy::current(&store.session(), &ctx.now_str())?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        if let Some(why) = consent::cannot_grant(p) {
            return Err(Error::Refused(why));
        }
        p.id.clone()
    };
    let now = ctx.now_str();
    staging::tune_for_import(&store.session())?;
    let mut rejects_file = None;
    let outcome = store.write(|tx| {
        let mut staged = Staging::new(tx)?;
        let mut counts = Counts::default();
        let parsed = file::stage(
            &mut staged,
            &mut counts,
            &input,
            consent::optin_columns,
            Some(&evidence),
            ctx,
        )?;
        // Created once the file is known good, before anything is recorded.
        rejects_file = RejectsFile::create(args.rejects.as_deref(), args.force)?;
        let pv = policy::current(tx, &ctx.now_str())?;
        let versions = policy::Timeline::load(tx)?;
        let p = super::find_purpose(&pv.policy, &purpose)?;
        let mut recorded = audit::IdRanges::new();
        let (mut added, mut already, mut undated) = (0usize, 0usize, 0usize);
        let mut appender = ledger::Appender::new(tx)?;
        let lookup = Lookup::new(tx)?;
        let rows = staged.take_rows();
        staging::for_each_row(tx, rows, &[&p.id], |row, contact, events, more| {
            let Some(contact_id) = contact else {
                // An address not in the register may be an erased person's: say so, not "unknown".
                if let Some((_, s)) = lookup.find(tx, &crate::model::casefold(&row.email))? {
                    let erased = s.erased();
                    return file::reject(
                        &mut staged,
                        &mut counts,
                        row.line,
                        &row.email,
                        Why::Erased,
                        Some(&erased),
                    );
                }
                let why = Why::unknown(&row.email);
                return file::reject(&mut staged, &mut counts, row.line, &row.email, why, None);
            };
            // An address today's rules refuse (a stored one from before them, say) gets no
            // consent: it may be a lookalike of someone who objected.
            if validate::email(&row.email).is_err() {
                return file::reject(
                    &mut staged,
                    &mut counts,
                    row.line,
                    &row.email,
                    Why::InvalidEmail,
                    None,
                );
            }
            let row_evidence = row.evidence.as_deref().unwrap_or(&evidence);
            let at = row.at.as_deref().unwrap_or(&now);
            match consent::decide_grant_import(p, events, at, row.at.is_some(), row_evidence) {
                GrantImport::Grant => {}
                GrantImport::AlreadyRecorded => {
                    already += 1;
                    return Ok(());
                }
                GrantImport::RejectObjected => {
                    return file::reject(
                        &mut staged,
                        &mut counts,
                        row.line,
                        &row.email,
                        Why::Objected,
                        None,
                    );
                }
                GrantImport::RejectWithdrawn => {
                    return file::reject(
                        &mut staged,
                        &mut counts,
                        row.line,
                        &row.email,
                        Why::Withdrawn,
                        None,
                    );
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
                policy_version: versions.at(at),
                override_objection: false,
            };
            let id = appender.append(tx, &new)?;
            // A later row of the same person (a file may list someone twice) sees this grant.
            if more {
                events.push(new.into_event(id));
            }
            recorded.push(id);
            added += 1;
            if row.at.is_none() {
                undated += 1;
            }
            Ok(())
        })?;
        let ids = recorded.render("consent");
        let count = |why| counts.of(why);
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ConsentImport,
            &ids,
            &format!(
                "purpose={} granted={added} already={already} unknown={} objected={} withdrawn={} \
                 invalid_email={} no_email={} undated={undated} erased={}",
                p.id,
                count(Why::Unknown),
                count(Why::Objected),
                count(Why::Withdrawn),
                count(Why::InvalidEmail),
                count(Why::NoEmail),
                count(Why::Erased),
            ),
        )?;
        Ok((added, already, undated, parsed.total, counts.total()))
    });
    let (added, already, undated, total, rejected) =
        file::settle(&store, rejects_file, outcome, args.rejects.as_deref())?;
    if undated > 0 {
        // Plain spreadsheets have no times: granting them now is right, but it must be said.
        eprintln!(
            "warning: {} no opt-in time; {} consent is dated now ({}); if {} opted in earlier, \
             add an OPTIN_TIME or CONFIRM_TIME column to the file",
            count_of(undated, "row had", "rows had"),
            if undated == 1 { "its" } else { "their" },
            ctx.show_time(&now),
            if undated == 1 {
                "the person"
            } else {
                "the people"
            }
        );
    }
    ctx.status(format!(
        "imported {} for {purpose} from {} ({already} already recorded, {} rejected)",
        count_of(added, "consent", "consents"),
        count_of(total, "row", "rows"),
        rejected
    ));
    Ok(())
}
