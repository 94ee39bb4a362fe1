//! `rekisteri request open`

use std::io::Write;

use chrono::{Datelike, NaiveDate};

use crate::commands::contact::{date_arg, optional_text};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::consent;
use crate::model::deadline::{self, Period};
use crate::model::request::{check_received, Channel, RequestType};
use crate::model::time::format_date;
use crate::model::validate;
use crate::store::requests::{self, NewRequest};
use crate::store::{contacts, policy};

/// Record a data-subject request as it arrives; prints its id (R-2026-0007)
///
/// The answer is due one calendar month after receipt, moved past weekends and Finnish
/// public holidays (Art. 12(3)); the status line says when. The person is the contact given
/// by --subject, or, for someone the register does not hold, --subject-email: that request
/// is tracked and deadlined all the same (the answer is then that no data is held).
/// --requester and --details are kept only until the request is answered.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["subject", "subject_email"])))]
pub struct Args {
    /// The right the person is using
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: RequestType,
    /// The person: contact id or e-mail
    #[arg(long, value_name = "ID|EMAIL")]
    pub subject: Option<String>,
    /// The e-mail address of a person who is not in the register
    #[arg(long, value_name = "EMAIL")]
    pub subject_email: Option<String>,
    /// The day the request reached us, YYYY-MM-DD; not in the future [default: today]
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub received: Option<NaiveDate>,
    /// How the request reached us; the answer goes back the same way
    #[arg(long, value_enum, default_value_t = Channel::Email)]
    pub channel: Channel,
    /// Who made the request, if not the person themselves (e.g. a guardian or an attorney)
    #[arg(long, value_name = "TEXT")]
    pub requester: Option<String>,
    /// What the person asked for, as far as it is needed to answer
    #[arg(long, value_name = "TEXT")]
    pub details: Option<String>,
    /// Objection or withdrawal: the purpose it concerns (repeatable)
    /// [default: objection to all direct marketing; withdrawal of every consent]
    #[arg(long, value_name = "PURPOSE")]
    pub purpose: Vec<String>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let today = ctx.today();
    let received = args.received.unwrap_or(today);
    check_received(received, today)
        .map_err(|e| Error::invalid("--received", format_date(&received), e))?;
    let requester = optional_text("--requester", args.requester.as_deref(), 200)?;
    let details = optional_text("--details", args.details.as_deref(), 2000)?;
    let subject_email = match &args.subject_email {
        None => None,
        Some(e) => Some(crate::model::casefold(
            &validate::email(e).map_err(|why| Error::invalid("--subject-email", e, why))?,
        )),
    };
    if !args.purpose.is_empty()
        && !matches!(args.kind, RequestType::Objection | RequestType::Withdrawal)
    {
        return Err(Error::invalid(
            "--purpose",
            args.purpose.join(","),
            format!(
                "--purpose is for objection and withdrawal requests; a {} request concerns all of the person's data",
                args.kind.as_str()
            ),
        ));
    }
    let due = deadline::due_date(received, Period::Normal);
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, contact_id, earlier) = store.write(|tx| {
        let pv = policy::current(tx, &ctx.now_str())?;
        let mut purposes = Vec::new();
        for raw in &args.purpose {
            let p = crate::commands::consent::find_purpose(&pv.policy, raw)?;
            let why = match args.kind {
                RequestType::Objection => consent::cannot_object(p),
                _ => consent::cannot_withdraw(p),
            };
            if let Some(why) = why {
                return Err(Error::Refused(why));
            }
            if !purposes.contains(&p.id) {
                purposes.push(p.id.clone());
            }
        }
        let contact_id = match (&args.subject, &subject_email) {
            (Some(s), _) => Some(contacts::resolve(tx, s).map_err(|e| match e {
                Error::NotFound { .. } => Error::Refused(format!(
                    "no contact matches {:?}; for a person who is not in the register give --subject-email EMAIL",
                    s.trim()
                )),
                e => e,
            })?),
            (None, Some(email)) => {
                if let Ok(id) = contacts::resolve(tx, email) {
                    return Err(Error::Refused(format!(
                        "{email} is contact {id} in the register: give --subject {id}"
                    )));
                }
                None
            }
            (None, None) => None,
        };
        let earlier = requests::open_duplicates(tx, args.kind, contact_id, subject_email.as_deref())?;
        let id = requests::open(
            tx,
            &NewRequest {
                year: today.year(),
                kind: args.kind,
                contact_id,
                subject_email: subject_email.as_deref(),
                received,
                due,
                channel: args.channel,
                requester: requester.as_deref(),
                details: details.as_deref(),
                purposes: &purposes,
                now: &now,
                operator: &ctx.operator,
            },
        )?;
        let r = requests::get(tx, id)?;
        super::audit_step(tx, ctx, Action::RequestOpen, &r, "")?;
        Ok((id, contact_id, earlier))
    })?;
    writeln!(std::io::stdout(), "{id}")?;
    let whom = match contact_id {
        Some(c) => format!("contact {c}"),
        None => "a person not in the register".to_string(),
    };
    let left = deadline::days_left(due, today);
    ctx.status(format!(
        "opened {} request {id} for {whom}, received {}: answer due {} ({left} days left)",
        args.kind.as_str(),
        format_date(&received),
        format_date(&due),
    ));
    if !earlier.is_empty() {
        let ids: Vec<String> = earlier.iter().map(|i| i.to_string()).collect();
        ctx.status(format!(
            "note: the same person has an open {} request already: {} (if it is the same request, refuse or complete one of them)",
            args.kind.as_str(),
            ids.join(", ")
        ));
    }
    if args.kind.needs_verification() {
        ctx.status(format!(
            "next: verify the requester's identity (`rekisteri request verify {id} --method …`)"
        ));
    }
    Ok(())
}
