//! `rekisteri request lift`

use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::model::request::{RequestId, Step};
use crate::store::contacts;
use crate::store::requests::{self, By};

/// End a restriction of processing (Art. 18(3)): the person must be told before it is lifted
///
/// The contact is processed again as before (mailing lists, exports). When another
/// restriction of the same person is still in force, that one keeps the contact restricted.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The restriction request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (r, other) = store.write(|tx| {
        let (r, _) = super::take_step(tx, ctx, args.request, |_| Step::Lift)?;
        let by = By {
            now: &now,
            operator: &ctx.operator,
        };
        requests::lift(tx, r.rowid, by)?;
        let other = match r.contact_id {
            Some(c) => {
                let other = requests::other_restriction(tx, c, r.rowid)?;
                if other.is_none() {
                    contacts::set_restricted(tx, c, None, &now)?;
                }
                other
            }
            None => None,
        };
        super::audit_step(tx, ctx, Action::RequestLift, &r, "")?;
        Ok((r, other))
    })?;
    let Some(contact) = r.contact_id else {
        ctx.status(format!(
            "{}: lifted (the person is no longer in the register)",
            r.id
        ));
        return Ok(());
    };
    match other {
        Some(o) => ctx.status(format!(
            "{}: lifted; contact {contact} stays restricted by {o}",
            r.id
        )),
        None => ctx.status(format!(
            "{}: lifted; contact {contact} is processed again (mailing lists, exports)",
            r.id
        )),
    }
    Ok(())
}
