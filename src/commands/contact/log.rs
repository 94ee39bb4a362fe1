//! `rekisteri contact log`: the contact history (contacts, feedback, follow-ups).

use crate::model::audit::Action;
use chrono::NaiveDate;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::history::{advance_last_contact, Channel};
use crate::model::time::format_date;
use crate::store::{audit, contacts, history};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// How the contact happened
    #[arg(long, value_enum)]
    pub channel: Channel,
    /// What was discussed or agreed
    #[arg(long, value_name = "TEXT")]
    pub summary: String,
    /// The person gave feedback
    #[arg(long)]
    pub feedback: bool,
    /// When, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub date: Option<NaiveDate>,
}

const SUMMARY_MAX: usize = 10_000;

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let summary = super::required_text("--summary", &args.summary, SUMMARY_MAX)?;
    let today = ctx.today();
    let date = super::past_date("--date", args.date.unwrap_or(today), today)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, entry, last) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let entry = history::insert_log(
            tx,
            id,
            date,
            args.channel,
            &summary,
            args.feedback,
            &now,
            &ctx.operator,
        )?;
        let current = contacts::get(tx, id)?.data.last_contact;
        let last = match advance_last_contact(current, date) {
            Some(d) => {
                contacts::set_last_contact(tx, id, d, &now)?;
                Some(d)
            }
            None => current,
        };
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ContactLog,
            &audit::ObjectIds::of("contact", id)
                .and("contact_log", entry)
                .render(),
            &format!(
                "channel={}{}",
                args.channel.as_str(),
                if args.feedback { ",feedback" } else { "" }
            ),
        )?;
        Ok((id, entry, last))
    })?;
    ctx.status(format!(
        "contact {id}: recorded {} contact on {} (log entry {entry}); last contact {}",
        args.channel.as_str(),
        format_date(&date),
        last.as_ref().map(format_date).unwrap_or_default()
    ));
    Ok(())
}
