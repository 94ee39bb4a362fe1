//! `rekisteri consent …`: the consent ledger (Art. 6, 7, 21). Append-only: every command
//! adds events or reads them; the current state is always derived from the events.

pub mod file;
pub mod grant;
pub mod history;
pub mod import;
pub mod import_unsubscribes;
pub mod list;
pub mod object;
pub mod status;
pub mod withdraw;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::policy::{Policy, Purpose};
use crate::model::{time, validate};

#[derive(Debug, clap::Subcommand)]
pub enum ConsentCommand {
    // Each command's help is its Args struct's doc comment.
    Grant(grant::Args),
    Withdraw(withdraw::Args),
    Object(object::Args),
    Status(status::Args),
    History(history::Args),
    List(list::Args),
    Import(import::Args),
    ImportUnsubscribes(import_unsubscribes::Args),
}

pub fn run(cmd: ConsentCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        ConsentCommand::Grant(a) => grant::run(a, ctx),
        ConsentCommand::Withdraw(a) => withdraw::run(a, ctx),
        ConsentCommand::Object(a) => object::run(a, ctx),
        ConsentCommand::Status(a) => status::run(a, ctx),
        ConsentCommand::History(a) => history::run(a, ctx),
        ConsentCommand::List(a) => list::run(a, ctx),
        ConsentCommand::Import(a) => import::run(a, ctx),
        ConsentCommand::ImportUnsubscribes(a) => import_unsubscribes::run(a, ctx),
    }
}

/// The policy's purpose named by `--purpose`; an unknown one lists those there are.
pub fn find_purpose<'p>(policy: &'p Policy, id: &str) -> Result<&'p Purpose> {
    policy.purpose(id.trim()).ok_or_else(|| {
        let known: Vec<&str> = policy.purposes.iter().map(|p| p.id.as_str()).collect();
        Error::invalid(
            "--purpose",
            id,
            if known.is_empty() {
                "the register's description defines no purposes (see `rekisteri policy show`)"
                    .to_string()
            } else {
                format!(
                    "expected one of the register's purposes: {}",
                    known.join(", ")
                )
            },
        )
    })
}

/// `--at` as a stored time: RFC 3339 or a date (the start of that day in the register's time
/// zone); never later than now,
/// since the ledger records what a person has done. Default: now.
pub fn parse_at(ctx: &Ctx, raw: Option<&str>) -> Result<String> {
    let Some(raw) = raw else {
        return Ok(ctx.now_str());
    };
    let t = time::parse_time(raw, ctx.zone())
        .ok_or_else(|| Error::invalid("--at", raw, time::TIME_EXPECTED))?;
    let at = time::format_time(&t);
    crate::model::consent::check_act_time(&at, &ctx.now_str(), ctx.zone())
        .map_err(|e| Error::invalid("--at", raw, e))?;
    Ok(at)
}

/// `--evidence` as stored: trimmed, no control characters, at most 2,000 characters.
pub fn parse_evidence(raw: Option<&str>) -> Result<Option<String>> {
    match raw {
        None => Ok(None),
        Some(r) => validate::text(r, 2000).map_err(|e| Error::invalid("--evidence", r, e)),
    }
}
