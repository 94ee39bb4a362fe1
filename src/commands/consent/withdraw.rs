//! `rekisteri consent withdraw`

use crate::model::audit::Action;
use std::io::Write;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::consent::{self, Channel, Kind, State};
use crate::model::policy::Purpose;
use crate::store::consents::{self as ledger, NewEvent};
use crate::store::{contacts, policy};

/// Record a withdrawal of consent, or a refusal of opt-out marketing; effective at once
///
/// Records that the person withdrew their consent (Art. 7(3)), effective at once; for opt-out
/// marketing it records the person's refusal. Prints the new event ids.
///
/// When nothing is allowed at that time (no live consent, already withdrawn or objected) there
/// is nothing to withdraw: a message says so, nothing is written and the exit code is 0. To
/// record that a person refuses all direct marketing whatever they had agreed to, use
/// `consent object`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["purpose", "all"])))]
pub struct Args {
    /// The person: contact id or e-mail
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// The purpose to withdraw
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: Option<String>,
    /// Every consent-based and opt-out marketing purpose that is allowed now
    #[arg(long)]
    pub all: bool,
    /// How the withdrawal reached us
    #[arg(long, value_enum, default_value_t = Channel::Email)]
    pub channel: Channel,
    /// When the person withdrew: RFC 3339 time or a date [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let at = super::parse_at(ctx, args.at.as_deref())?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (contact_id, recorded) = store.write(|tx| {
        let pv = policy::current(tx, &ctx.now_str())?;
        let targets: Vec<&Purpose> = match &args.purpose {
            Some(id) => {
                let p = super::find_purpose(&pv.policy, id)?;
                if let Some(why) = consent::cannot_withdraw(p) {
                    return Err(Error::Refused(why));
                }
                vec![p]
            }
            None => pv
                .policy
                .purposes
                .iter()
                .filter(|p| consent::cannot_withdraw(p).is_none())
                .collect(),
        };
        let contact_id = contacts::resolve(tx, &args.contact)?;
        let events = ledger::events_for_contact(tx, contact_id)?;
        // The description in force when the person acted.
        let version = policy::version_at(tx, &at)?;
        let then = consent::as_of(&events, &at);
        let mut recorded = Vec::new();
        for p in targets {
            if consent::derive(p, &then).state != State::Allowed {
                continue;
            }
            let id = ledger::record(
                tx,
                &NewEvent {
                    contact_id,
                    purpose: Some(&p.id),
                    kind: Kind::Withdrawn,
                    basis: p.basis.as_str(),
                    channel: args.channel.as_str(),
                    evidence: None,
                    occurred_at: &at,
                    recorded_at: &now,
                    operator: &ctx.operator,
                    policy_version: version,
                    override_objection: false,
                },
                Action::ConsentWithdraw,
                "",
            )?;
            recorded.push((id, p.id.clone()));
        }
        Ok((contact_id, recorded))
    })?;
    if recorded.is_empty() {
        ctx.status(format!(
            "nothing to withdraw: contact {contact_id} has no allowed {} at that time; nothing was recorded",
            match &args.purpose {
                Some(p) => format!("consent for {}", p.trim()),
                None => "consent-based or opt-out marketing purpose".to_string(),
            }
        ));
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    for (id, purpose) in &recorded {
        writeln!(out, "{id}")?;
        ctx.status(format!(
            "recorded withdrawal {id}: contact {contact_id} {purpose}"
        ));
    }
    Ok(())
}
