//! `rekisteri request refuse`

use crate::commands::contact::{amount_arg, required_text};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::model::request::{RequestId, Step};
use crate::model::validate::format_cents;
use crate::store::requests::{self, By};

/// Refuse a manifestly unfounded or excessive request (Art. 12(5))
///
/// The answer must give the reasons and tell the person they may complain to the Data
/// Protection Ombudsman (tietosuojavaltuutettu). Instead of refusing, a reasonable fee for
/// the administrative costs may be charged: --fee records it. The request's personal free
/// text (--requester, --details, --subject-email) is cleared.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
    /// Why the request is manifestly unfounded or excessive (told to the person)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// A reasonable fee charged instead, in euros (12.50 or 12,50)
    #[arg(long, value_name = "EUR", value_parser = amount_arg)]
    pub fee: Option<i64>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let reason = required_text("--reason", &args.reason, 1000)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let r = store.write(|tx| {
        let (r, _) = super::take_step(tx, ctx, args.request, |_| Step::Refuse)?;
        super::refuse_personal_text(tx, &r, "--reason", &reason)?;
        let by = By {
            now: &now,
            operator: &ctx.operator,
        };
        requests::refuse(tx, r.rowid, by, &reason, args.fee)?;
        let fee = args.fee.map(|c| format!("fee={}", format_cents(c)));
        super::audit_step(
            tx,
            ctx,
            Action::RequestRefuse,
            &r,
            fee.as_deref().unwrap_or(""),
        )?;
        Ok(r)
    })?;
    ctx.status(format!(
        "{}: refused{}; tell the person why, and that they may complain to the Data Protection Ombudsman, by {} ({})",
        r.id,
        args.fee
            .map(|c| format!(" (fee {} EUR)", format_cents(c)))
            .unwrap_or_default(),
        crate::model::time::format_date(&r.due),
        r.channel.as_str()
    ));
    Ok(())
}
