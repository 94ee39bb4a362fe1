//! `rekisteri request verify`

use crate::commands::contact::required_text;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::model::request::{RequestId, Step};
use crate::store::requests::{self, By};

/// Record that the requester's identity is verified: who (the operator), how and when
///
/// Access, portability, rectification, erasure and restriction are not carried out before
/// this; objection and withdrawal may be (stopping marketing harms no one).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
    /// How the identity was verified, e.g. "replied from the registered address" (no ID numbers)
    #[arg(long, value_name = "TEXT")]
    pub method: String,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let method = required_text("--method", &args.method, 500)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let r = store.write(|tx| {
        let (r, _) = super::take_step(tx, ctx, args.request, |_| Step::Verify)?;
        super::refuse_personal_text(tx, &r, "--method", &method)?;
        let by = By {
            now: &now,
            operator: &ctx.operator,
        };
        requests::verify(tx, r.rowid, by, &method)?;
        super::audit_step(tx, ctx, Action::RequestVerify, &r, "")?;
        Ok(r)
    })?;
    ctx.status(format!(
        "{}: the requester's identity is verified; next: `rekisteri request fulfil {}`",
        r.id, r.id
    ));
    Ok(())
}
