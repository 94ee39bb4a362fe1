//! `rekisteri request …`: data-subject requests (GDPR Art. 12–22), from receipt to answer.
//!
//! Each command is one step of the lifecycle in `model::request` (the rules), stored by
//! `store::requests`, in one transaction with its audit event (request and contact ids only).

pub mod complete;
pub mod extend;
pub mod fulfil;
pub mod lift;
pub mod list;
pub mod open;
pub mod refuse;
pub mod show;
pub mod verify;

use crate::store::Tx;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::request::{RequestId, Status, Step};
use crate::store::audit;
use crate::store::requests::{self, Request};

#[derive(Debug, clap::Subcommand)]
pub enum RequestCommand {
    // Each command's help is its Args struct's doc comment.
    Open(open::Args),
    Verify(verify::Args),
    Extend(extend::Args),
    Fulfil(fulfil::Args),
    Lift(lift::Args),
    Refuse(refuse::Args),
    Complete(complete::Args),
    Show(show::Args),
    List(list::Args),
}

pub fn run(cmd: RequestCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        RequestCommand::Open(a) => open::run(a, ctx),
        RequestCommand::Verify(a) => verify::run(a, ctx),
        RequestCommand::Extend(a) => extend::run(a, ctx),
        RequestCommand::Fulfil(a) => fulfil::run(a, ctx),
        RequestCommand::Lift(a) => lift::run(a, ctx),
        RequestCommand::Refuse(a) => refuse::run(a, ctx),
        RequestCommand::Complete(a) => complete::run(a, ctx),
        RequestCommand::Show(a) => show::run(a, ctx),
        RequestCommand::List(a) => list::run(a, ctx),
    }
}

/// clap value parser: a request id, `R-2026-0007`.
pub(crate) fn id_arg(s: &str) -> std::result::Result<RequestId, String> {
    RequestId::parse(s).ok_or_else(|| RequestId::EXPECTED.to_string())
}

/// The request, and the status `step` takes it to on the register's today; a step the
/// lifecycle does not allow is refused, naming the status.
pub(crate) fn take_step(
    conn: &Tx,
    ctx: &Ctx,
    id: RequestId,
    step: impl FnOnce(&Request) -> Step,
) -> Result<(Request, Status)> {
    let r = requests::get(conn, id)?;
    let step = step(&r);
    let after = r
        .state(ctx.zone())
        .check(step, ctx.today())
        .map_err(|why| Error::Refused(format!("{id}: {why}")))?;
    Ok((r, after))
}

/// The audit event of a step: the request's row id and its contact, its number and type in
/// the detail, and `extra` codes (never the personal text of the request).
pub(crate) fn audit_step(
    conn: &Tx,
    ctx: &Ctx,
    action: Action,
    r: &Request,
    extra: &str,
) -> Result<i64> {
    let mut objects = audit::ObjectIds::of("request", r.rowid);
    if let Some(c) = r.contact_id {
        objects.push("contact", c);
    }
    let mut detail = format!("request={},type={}", r.id, r.kind.as_str());
    if !extra.is_empty() {
        detail.push(',');
        detail.push_str(extra);
    }
    audit::append(
        conn,
        &ctx.now_str(),
        &ctx.operator,
        action,
        &objects.render(),
        &detail,
    )
}
