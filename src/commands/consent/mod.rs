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
use crate::model::policy::{Basis, Policy, Purpose};
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

/// `--at` as a stored time: RFC 3339 or a date (local midnight); never later than now,
/// since the ledger records what a person has done. Default: now.
pub fn parse_at(ctx: &Ctx, raw: Option<&str>) -> Result<String> {
    let Some(raw) = raw else {
        return Ok(ctx.now_str());
    };
    let t =
        time::parse_time(raw).ok_or_else(|| Error::invalid("--at", raw, time::TIME_EXPECTED))?;
    // A year-0 typo would sort before every real event and decide nothing sensible.
    if t.timestamp() < 0 {
        return Err(Error::invalid("--at", raw, "expected a time from 1970 on"));
    }
    if t > ctx.now {
        return Err(Error::invalid(
            "--at",
            raw,
            format!(
                "expected a time that has already come (now is {})",
                time::display_local(&ctx.now_str())
            ),
        ));
    }
    Ok(time::format_time(&t))
}

/// `--evidence` as stored: trimmed, no control characters, at most 2,000 characters.
pub fn parse_evidence(raw: Option<&str>) -> Result<Option<String>> {
    match raw {
        None => Ok(None),
        Some(r) => validate::text(r, 2000).map_err(|e| Error::invalid("--evidence", r, e)),
    }
}

/// Why a withdrawal does not apply to a purpose, or `None` when it does.
pub fn cannot_withdraw(p: &Purpose) -> Option<String> {
    match (p.basis, p.marketing) {
        (Basis::Consent, _) | (_, Some(_)) => None,
        (Basis::LegitimateInterest, None) => Some(format!(
            "{} is processed on legitimate interest, not consent: there is no consent to withdraw; \
             use `rekisteri consent object --purpose {}` to record the person's objection (Art. 21)",
            p.id, p.id
        )),
        (b, None) => Some(format!(
            "{} is processed on {}, not consent: there is no consent to withdraw, and the person cannot \
             refuse it here",
            p.id,
            b.as_str()
        )),
    }
}

/// The audit detail of a consent event: codes only.
pub fn detail(purpose: Option<&str>) -> String {
    format!("purpose={}", purpose.unwrap_or("all-marketing"))
}
