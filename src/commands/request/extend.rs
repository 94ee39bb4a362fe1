//! `rekisteri request extend`

use chrono::NaiveDate;

use crate::commands::contact::{date_arg, required_text};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::model::deadline::{self, Period};
use crate::model::request::{RequestId, Step};
use crate::model::time::format_date;
use crate::store::requests::{self, By};

/// Extend the time to answer by two further months (Art. 12(3))
///
/// Allowed once, while the request is open and before its original due date, for complex
/// or numerous requests; the person must be told, with the reasons, within the first month.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
    /// Why more time is needed (told to the person)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The day the person was told of the extension, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub notified: Option<NaiveDate>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let reason = required_text("--reason", &args.reason, 1000)?;
    let notified = args.notified.unwrap_or(ctx.today());
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (r, due) = store.write(|tx| {
        let (r, _) = super::take_step(tx, ctx, args.request, |_| Step::Extend { notified })?;
        super::refuse_personal_text(tx, &r, "--reason", &reason)?;
        let due = deadline::due_date(r.received, Period::Extended);
        let by = By {
            now: &now,
            operator: &ctx.operator,
        };
        requests::extend(tx, r.rowid, by, &reason, notified, due)?;
        super::audit_step(tx, ctx, Action::RequestExtend, &r, "")?;
        Ok((r, due))
    })?;
    ctx.status(format!(
        "{}: extended; the answer is now due {} (was {}); the person was told on {}",
        r.id,
        format_date(&due),
        format_date(&r.due),
        format_date(&notified)
    ));
    Ok(())
}
