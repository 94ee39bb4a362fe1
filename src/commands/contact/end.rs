//! `rekisteri contact end`: the relationship ended, which starts the retention clock.

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
    /// The day it ended, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub date: Option<NaiveDate>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let today = ctx.today();
    let date = super::past_date("--date", args.date.unwrap_or(today), today)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, change) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let c = contacts::get(tx, id)?;
        let change = end_relationship(c.data.started, c.data.ended, date)
            .map_err(|e| Error::invalid("--date", format_date(&date), e))?;
        if change != EndChange::Unchanged {
            contacts::set_ended(tx, id, Some(date), &now)?;
            audit::append(
                tx,
                &now,
                &ctx.operator,
                "contact.end",
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
    });
    Ok(())
}
