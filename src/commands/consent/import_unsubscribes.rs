//! `rekisteri consent import-unsubscribes`

use std::path::PathBuf;

use super::file::{self, count_of, Input, RejectsFile, Why};
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
/// `2024-01-15 10:23:45` are UTC; rows without a time are taken as now). The service's reason
/// and campaign columns (UNSUB_REASON, UNSUB_REASON_OTHER, UNSUB_CAMPAIGN_TITLE,
/// UNSUB_CAMPAIGN_ID) are kept as each withdrawal's evidence. `,` or `;`, UTF-8 with or without
/// BOM. Rows without an address or with an invalid one, and addresses not in the register,
/// are listed, not an error. Running the same file again records nothing new. One
/// transaction: a file with an invalid row records nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// The purpose the people unsubscribed from (consent-based or opt-out marketing)
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// How the withdrawals reached us
    #[arg(long, value_enum, default_value_t = Channel::NewsletterService)]
    pub channel: Channel,
    /// Write every rejected row (line, email, reason) to this CSV file (a new one, unless --force)
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Overwrite the --rejects file when it exists
    #[arg(long, requires = "rejects")]
    pub force: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let input = Input::read(&args.file, ctx)?;
    let mut store = ctx.open()?;
    let purpose = {
        let pv = policy::current(store.conn())?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        if let Some(why) = crate::model::consent::cannot_withdraw(p) {
            return Err(Error::Refused(why));
        }
        p.id.clone()
    };
    // An empty text: the evidence is the row's reason and campaign columns alone.
    let parsed = file::parse(&input, consent::unsubscribe_columns, Some(""), ctx)?;
    let rejects_file = RejectsFile::create(args.rejects.as_deref(), args.force)?;
    let now = ctx.now_str();
    ledger::tune_for_import(store.conn())?;
    let outcome = store.write(|tx| {
        let pv = policy::current(tx)?;
        let versions = policy::Timeline::load(tx)?;
        let p = super::find_purpose(&pv.policy, &purpose)?;
        let mut recorded = audit::IdRanges::new();
        let mut added = 0usize;
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
                evidence: row.evidence.as_deref().filter(|e| !e.is_empty()),
                occurred_at: at,
                recorded_at: &now,
                operator: &ctx.operator,
                policy_version: versions.at(at),
                override_objection: false,
            };
            let id = appender.append(tx, &new)?;
            if more {
                events.push(new.into_event(id));
            }
            recorded.push(id);
            added += 1;
            Ok(())
        })?;
        let rejects = file::rejects(&parsed, &unknown, []);
        let ids = recorded.render("consent");
        audit::append(
            tx,
            &now,
            &ctx.operator,
            "consent.import-unsubscribes",
            &ids,
            &format!(
                "purpose={} withdrawn={added} unknown={} invalid_email={} no_email={}",
                p.id,
                file::count(&rejects, Why::Unknown),
                file::count(&rejects, Why::InvalidEmail),
                file::count(&rejects, Why::NoEmail),
            ),
        )?;
        Ok((added, rejects))
    });
    let (added, rejects) = match outcome {
        Ok(o) => o,
        Err(e) => {
            if let Some(f) = rejects_file {
                f.discard();
            }
            return Err(e);
        }
    };
    if let Some(f) = rejects_file {
        f.write(&rejects)?;
    }
    file::report(&rejects, args.rejects.as_deref());
    let already = parsed.total() - rejects.len() - added;
    ctx.status(format!(
        "recorded {} for {purpose} from {} ({already} already recorded, {} rejected)",
        count_of(added, "withdrawal", "withdrawals"),
        count_of(parsed.total(), "row", "rows"),
        rejects.len()
    ));
    Ok(())
}
