//! `rekisteri consent import-unsubscribes`

use crate::model::audit::Action;
use std::path::PathBuf;

use super::file::{self, Counts, RejectsFile, Why};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, Channel, Kind};
use crate::model::labels::count_of;
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::staging::{self, Staging};
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
///
/// An unsubscribe from a marketing purpose also records, at the same time, a refusal of every
/// other opt-out marketing purpose of the description (e.g. b2b-marketing), since the
/// unsubscribe link in a marketing message takes the person off electronic direct marketing;
/// --only-purpose records the named purpose alone. An unsubscribe dated before a later
/// consent is kept but stops nothing: a warning names those contacts and dates.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// The purpose the people unsubscribed from (consent-based or opt-out marketing)
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: String,
    /// Withdraw only --purpose: without it, an unsubscribe from a marketing purpose also
    /// records a refusal of every other opt-out marketing purpose (e.g. b2b-marketing), as
    /// an unsubscribe link takes the person off electronic direct marketing
    #[arg(long)]
    pub only_purpose: bool,
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

/// A recorded withdrawal that stops nothing: the person consented again after it.
struct OutdatedRow {
    contact_id: i64,
    purpose: String,
    at: String,
    grant_at: String,
    grant_id: i64,
}

/// The recorded withdrawals that stop nothing: how many, and the first few (the warning
/// shows no more, so a file of a million keeps no more).
#[derive(Default)]
struct Outdated {
    n: usize,
    first: Vec<OutdatedRow>,
}

const SHOWN: usize = 5;

impl Outdated {
    fn push(&mut self, o: OutdatedRow) {
        self.n += 1;
        if self.first.len() < SHOWN {
            self.first.push(o);
        }
    }
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let input = file::open(&args.file, ctx)?;
    let mut store = ctx.open()?;
    let purpose = {
        let pv = policy::current(&store.session(), &ctx.now_str())?;
        let p = super::find_purpose(&pv.policy, &args.purpose)?;
        if let Some(why) = consent::cannot_withdraw(p) {
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
        // An empty text: the evidence is the row's reason and campaign columns alone.
        let parsed = file::stage(
            &mut staged,
            &mut counts,
            &input,
            consent::unsubscribe_columns,
            Some(""),
            ctx,
        )?;
        // Created once the file is known good, before anything is recorded.
        rejects_file = RejectsFile::create(args.rejects.as_deref(), args.force)?;
        let pv = policy::current(tx, &ctx.now_str())?;
        let versions = policy::Timeline::load(tx)?;
        let p = super::find_purpose(&pv.policy, &purpose)?;
        // The named purpose first, then the opt-out marketing an unsubscribe also stops.
        let mut targets = vec![p];
        if !args.only_purpose {
            targets.extend(consent::unsubscribe_also_refuses(&pv.policy.purposes, p));
        }
        let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
        let mut recorded = audit::IdRanges::new();
        // Per target, how many events were recorded.
        let mut added = vec![0usize; targets.len()];
        let mut already = 0usize;
        let mut outdated = Outdated::default();
        let mut appender = ledger::Appender::new(tx)?;
        let rows = staged.take_rows();
        staging::for_each_row(tx, rows, &ids, |row, contact, events, _more| {
            let Some(contact_id) = contact else {
                let why = Why::unknown(&row.email);
                return file::reject(&mut staged, &mut counts, row.line, &row.email, why, None);
            };
            let at = row.at.as_deref().unwrap_or(&now);
            let mut any = false;
            for (n, t) in targets.iter().enumerate() {
                if !consent::unsubscribe_adds(t, events, at, row.at.is_some()) {
                    continue;
                }
                let new = NewEvent {
                    contact_id,
                    purpose: Some(&t.id),
                    kind: Kind::Withdrawn,
                    basis: t.basis.as_str(),
                    channel: args.channel.as_str(),
                    evidence: row.evidence.as_deref().filter(|e| !e.is_empty()),
                    occurred_at: at,
                    recorded_at: &now,
                    operator: &ctx.operator,
                    policy_version: versions.at(at),
                    override_objection: false,
                };
                let id = appender.append(tx, &new)?;
                // Always kept now: the check below reads it, as does a later row.
                events.push(new.into_event(id));
                if let Some(g) = consent::withdrawal_outdated(t, events, at) {
                    outdated.push(OutdatedRow {
                        contact_id,
                        purpose: t.id.clone(),
                        at: at.to_string(),
                        grant_at: g.occurred_at.clone(),
                        grant_id: g.id,
                    });
                }
                recorded.push(id);
                added[n] += 1;
                any = true;
            }
            if !any {
                already += 1;
            }
            Ok(())
        })?;
        let object_ids = recorded.render("consent");
        let refused: String = targets[1..]
            .iter()
            .zip(&added[1..])
            .map(|(t, n)| format!(" refused:{}={n}", t.id))
            .collect();
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ConsentImportUnsubscribes,
            &object_ids,
            &format!(
                "purpose={} withdrawn={}{refused} already={already} outdated={} unknown={} \
                 invalid_email={} no_email={}{}",
                p.id,
                added[0],
                outdated.n,
                counts.of(Why::Unknown),
                counts.of(Why::InvalidEmail),
                counts.of(Why::NoEmail),
                if args.only_purpose {
                    " only_purpose"
                } else {
                    ""
                }
            ),
        )?;
        let also: Vec<(String, usize)> = targets[1..]
            .iter()
            .map(|t| t.id.clone())
            .zip(added[1..].iter().copied())
            .collect();
        Ok((
            added[0],
            also,
            already,
            outdated,
            parsed.total,
            counts.total(),
        ))
    });
    let (added, also, already, outdated, total, rejected) =
        file::settle(&store, rejects_file, outcome, args.rejects.as_deref())?;
    report_outdated(&outdated, ctx);
    let also: String = also
        .iter()
        .map(|(id, n)| format!(" and {} of {id}", count_of(*n, "refusal", "refusals")))
        .collect();
    ctx.status(format!(
        "recorded {} for {purpose}{also} from {} ({already} already recorded, {} rejected)",
        count_of(added, "withdrawal", "withdrawals"),
        count_of(total, "row", "rows"),
        rejected
    ));
    Ok(())
}

/// Says which recorded unsubscribes stop nothing (a warning: shown even with --quiet).
fn report_outdated(outdated: &Outdated, ctx: &Ctx) {
    if outdated.n == 0 {
        return;
    }
    let mut msg = format!(
        "{} dated before a later consent and {} nothing: the person consented again after \
         unsubscribing (kept, so an older opt-in cannot re-subscribe them; ask the person if \
         in doubt):",
        count_of(outdated.n, "unsubscribe is", "unsubscribes are"),
        if outdated.n == 1 { "changes" } else { "change" },
    );
    for o in &outdated.first {
        msg.push_str(&format!(
            "\n  contact {}: unsubscribed from {} {}, consented {} (event {})",
            o.contact_id,
            o.purpose,
            ctx.show_time(&o.at),
            ctx.show_time(&o.grant_at),
            o.grant_id
        ));
    }
    if outdated.n > SHOWN {
        msg.push_str(&format!("\n  … and {} more", outdated.n - SHOWN));
    }
    eprintln!("warning: {msg}");
}
