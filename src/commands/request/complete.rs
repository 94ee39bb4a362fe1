//! `rekisteri request complete`

use crate::commands::contact::optional_text;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::model::request::{RequestId, Step};
use crate::store::requests::{self, By};

/// Record that the answer was given to the person; closes a fulfilled request
///
/// The answer goes back the way the request came (its --channel). The request's personal
/// free text (--requester, --details, --subject-email) is cleared; its number, type, dates
/// and outcome stay for accountability.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
    /// How the answer was given, e.g. "report sent by e-mail" (no personal data)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let note = optional_text("--note", args.note.as_deref(), 1000)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let r = store.write(|tx| {
        let (r, _) = super::take_step(tx, ctx, args.request, |_| Step::Complete)?;
        if let Some(note) = &note {
            super::refuse_personal_text(tx, &r, "--note", note)?;
        }
        let by = By {
            now: &now,
            operator: &ctx.operator,
        };
        requests::complete(tx, r.rowid, by, note.as_deref())?;
        super::audit_step(tx, ctx, Action::RequestComplete, &r, "")?;
        Ok(r)
    })?;
    let days = crate::model::deadline::days_left(r.due, ctx.today());
    let timing = if days >= 0 {
        "on time".to_string()
    } else {
        format!("{} days late", -days)
    };
    ctx.status(format!(
        "{}: completed {timing} (due {}); answered by {}",
        r.id,
        crate::model::time::format_date(&r.due),
        r.channel.as_str()
    ));
    Ok(())
}
