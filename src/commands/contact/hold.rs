//! `rekisteri contact hold` / `release`: legal holds, which keep the data from purge and erasure.

use crate::model::audit::Action;
use chrono::NaiveDate;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::hold::check_until;
use crate::model::time::format_date;
use crate::store::{audit, contacts, holds};

#[derive(Debug, clap::Args)]
pub struct HoldArgs {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// Why the data must be kept (e.g. the dispute or the statute); no more personal data than needed
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The last day the hold applies, YYYY-MM-DD [default: until released]
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub until: Option<NaiveDate>,
}

#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
}

pub fn run_hold(args: HoldArgs, ctx: &Ctx) -> Result<()> {
    let reason = super::required_text("--reason", &args.reason, 1000)?;
    let today = ctx.today();
    if let Some(u) = args.until {
        check_until(u, today).map_err(|e| Error::invalid("--until", format_date(&u), e))?;
    }
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, hold, active) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let hold = holds::place(tx, id, &reason, args.until, &now, &ctx.operator)?;
        let active = holds::active_holds(tx, id, today, ctx.zone())?.len();
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ContactHold,
            &audit::ObjectIds::of("contact", id)
                .and("hold", hold)
                .render(),
            "",
        )?;
        Ok((id, hold, active))
    })?;
    let until = args
        .until
        .map(|u| format!("until {}", format_date(&u)))
        .unwrap_or_else(|| "until released".into());
    let others = if active > 1 {
        format!("; {active} holds are now active")
    } else {
        String::new()
    };
    ctx.status(format!(
        "contact {id}: placed legal hold {hold} {until}: the data will not be purged or erased{others}"
    ));
    Ok(())
}

pub fn run_release(args: ReleaseArgs, ctx: &Ctx) -> Result<()> {
    let today = ctx.today();
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, released) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let active = holds::active_holds(tx, id, today, ctx.zone())?;
        if active.is_empty() {
            return Err(Error::Refused(format!(
                "contact {id} has no active legal hold to release"
            )));
        }
        let mut objects = audit::ObjectIds::of("contact", id);
        for h in &active {
            holds::release(tx, h.id, &now, &ctx.operator)?;
            objects.push("hold", h.id);
        }
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ContactRelease,
            &objects.render(),
            "",
        )?;
        Ok((id, active.into_iter().map(|h| h.id).collect::<Vec<_>>()))
    })?;
    let ids: Vec<String> = released.iter().map(i64::to_string).collect();
    ctx.status(format!(
        "contact {id}: released legal hold{} {}",
        if ids.len() > 1 { "s" } else { "" },
        ids.join(", ")
    ));
    Ok(())
}
