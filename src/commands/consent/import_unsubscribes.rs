//! `rekisteri consent import-unsubscribes`

use std::path::PathBuf;

use super::file::{self, Reject};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, Channel, Kind};
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::{audit, policy};

/// Record the unsubscribes exported by a newsletter service as withdrawals
///
/// Records the unsubscribes a newsletter service exported (Mailchimp's unsubscribed audience,
/// and similar) as withdrawals, so a click at the service stops the purpose here too.
///
/// The e-mail column is found by its header (Email Address, email, E-mail, sähköposti…), the
/// optional time column likewise (UNSUB_TIME, unsubscribed_at, time…; service times like
/// `2024-01-15 10:23:45` are UTC; rows without a time are taken as now). `,` or `;`, UTF-8
/// with or without BOM. Addresses not in the register are listed, not an error. Running the
/// same file again records nothing new. One transaction: a file with an invalid row records
/// nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The purpose the people unsubscribed from (consent-based or opt-out marketing)
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// How the withdrawals reached us
    #[arg(long, value_enum, default_value_t = Channel::NewsletterService)]
    pub channel: Channel,
    /// Write the addresses not in the register (line, email, reason) to this CSV file
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let purpose = {
        let pv = policy::current(store.conn())?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        if let Some(why) = super::cannot_withdraw(p) {
            return Err(Error::Refused(why));
        }
        p.id.clone()
    };
    let parsed = file::parse(&args.file, consent::unsubscribe_columns, None, ctx)?;
    let rejects_file = args
        .rejects
        .as_deref()
        .map(file::create_rejects)
        .transpose()?;
    let now = ctx.now_str();
    ledger::tune_for_import(store.conn())?;
    let (added, rejects) = store.write(|tx| {
        let pv = policy::current(tx)?;
        let p = super::find_purpose(&pv.policy, &purpose)?;
        let (mut first, mut added) = (None, 0usize);
        let keys: Vec<&str> = parsed.rows.iter().map(|r| r.key.as_str()).collect();
        let mut appender = ledger::Appender::new(tx)?;
        let unknown = ledger::for_each_known(tx, &keys, &p.id, |i, contact_id, events, more| {
            let row = &parsed.rows[i];
            let at = row.at.as_deref().unwrap_or(&now);
            if !consent::unsubscribe_adds(p, events, at, row.at.is_some()) {
                return Ok(());
            }
            let new = NewEvent {
                contact_id,
                purpose: Some(&p.id),
                kind: Kind::Withdrawn,
                basis: p.basis.as_str(),
                channel: args.channel.as_str(),
                evidence: None,
                occurred_at: at,
                recorded_at: &now,
                operator: &ctx.operator,
                policy_version: pv.version,
                override_objection: false,
            };
            let id = appender.append(tx, &new)?;
            if more {
                events.push(new.into_event(id));
            }
            first.get_or_insert(id);
            added += 1;
            Ok(())
        })?;
        let ids = match first {
            Some(f) => format!("consent:{f}-{}", ledger::last_id(tx)?),
            None => String::new(),
        };
        audit::append(
            tx,
            &now,
            &ctx.operator,
            "consent.import-unsubscribes",
            &ids,
            &format!(
                "purpose={} withdrawn={added} unknown={}",
                p.id,
                unknown.len()
            ),
        )?;
        let rejects: Vec<Reject> = unknown
            .into_iter()
            .map(|i| Reject {
                line: parsed.rows[i].line,
                email: &parsed.rows[i].email,
                reason: "unknown",
            })
            .collect();
        Ok((added, rejects))
    })?;
    if let (Some(f), Some(path)) = (rejects_file, &args.rejects) {
        file::write_rejects(f, path, &rejects)?;
    }
    let unknown: Vec<&Reject> = rejects.iter().collect();
    file::report_unknown(&unknown, args.rejects.as_ref());
    let known = parsed.rows.len() - rejects.len();
    ctx.status(format!(
        "recorded {added} withdrawal{} for {purpose} from {} row{} ({} already recorded, {} not in the register)",
        if added == 1 { "" } else { "s" },
        parsed.rows.len(),
        if parsed.rows.len() == 1 { "" } else { "s" },
        known - added,
        rejects.len()
    ));
    Ok(())
}
