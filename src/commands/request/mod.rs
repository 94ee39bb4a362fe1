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
use crate::model::erasure::{self, reason_mentions};
use crate::model::request::{RequestId, Status, Step};
use crate::store::requests::{self, Request};
use crate::store::{audit, contacts};

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

/// Refuses a text the operator writes on a request (`flag`'s value) that repeats the
/// subject's e-mail, phone or name: the text stays with the request record after the person
/// is erased, so it must say how, not who.
pub(crate) fn refuse_personal_text(
    tx: &Tx,
    r: &Request,
    flag: &'static str,
    text: &str,
) -> Result<()> {
    let person = r.contact_id.map(|id| contacts::get(tx, id)).transpose()?;
    let values = match &person {
        Some(c) => erasure::identity(
            Some(c.data.email.as_str()),
            c.data.phone.as_deref(),
            c.data.first_name.as_deref(),
            c.data.last_name.as_deref(),
        ),
        None => erasure::identity(r.subject_email.as_deref(), None, None, None),
    };
    match reason_mentions(text, &values) {
        None => Ok(()),
        Some(field) => Err(Error::invalid(
            flag,
            text,
            format!(
                "expected a text without the person's data: it repeats their {}, and it stays \
                 with the request record after the person is erased (say how, e.g. \"replied \
                 from the registered address\", not who)",
                field.replace('_', " ")
            ),
        )),
    }
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
