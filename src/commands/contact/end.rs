//! `rekisteri contact end`: the relationship ended, which starts the retention clock.

use crate::model::audit::Action;
use chrono::NaiveDate;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::history::{end_relationship, EndChange};
use crate::model::time::format_date;
use crate::store::{audit, contacts};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// The day it ended, YYYY-MM-DD [default: today]; needed to change the end date of a
    /// relationship that has already ended
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub date: Option<NaiveDate>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let today = ctx.today();
    let given = args
        .date
        .map(|d| super::past_date("--date", d, today))
        .transpose()?;
    let date = given.unwrap_or(today);
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, change) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let c = contacts::get(tx, id)?;
        let change = end_relationship(c.data.started, c.data.ended, given, today)
            .map_err(|e| Error::invalid("--date", format_date(&date), e))?;
        if let EndChange::AlreadyEnded { on } = change {
            return Err(Error::Refused(format!(
                "contact {id}: the relationship already ended on {}; ending it again today would \
                 move the end date and extend the retention counted from it. To correct the end \
                 date, give it: --date YYYY-MM-DD",
                format_date(&on)
            )));
        }
        if change != EndChange::Unchanged {
            contacts::set_ended(tx, id, Some(date), &now)?;
            audit::append(
                tx,
                &now,
                &ctx.operator,
                Action::ContactEnd,
                &format!("contact:{id}"),
                if change == EndChange::Ended {
                    ""
                } else {
                    "moved"
                },
            )?;
        }
        Ok((id, change))
    })?;
    let day = format_date(&date);
    ctx.status(match change {
        EndChange::Ended => format!("contact {id}: relationship ended on {day}"),
        EndChange::Unchanged => {
            format!("contact {id}: the relationship already ended on {day}; nothing changed")
        }
        EndChange::Moved { from } => format!(
            "contact {id}: end date changed from {} to {day}",
            format_date(&from)
        ),
        // Refused above; worded for completeness.
        EndChange::AlreadyEnded { on } => format!(
            "contact {id}: the relationship already ended on {}; nothing changed",
            format_date(&on)
        ),
    });
    Ok(())
}
