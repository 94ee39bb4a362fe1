//! One module per command or command group; each holds its clap args beside its `run`.

pub mod audit;
pub mod check;
pub mod consent;
pub mod contact;
pub mod export;
pub mod init;
pub mod policy;
pub mod purge;
pub mod request;

use crate::context::Ctx;
use crate::error::Result;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a register from a description (TOML), or from the built-in default
    Init(init::Args),
    /// Show or change the register description (privacy notice)
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Add, find, correct and keep history of the people in the register
    #[command(subcommand)]
    Contact(contact::ContactCommand),
    /// Record and check marketing consents, withdrawals and objections
    #[command(subcommand)]
    Consent(consent::ConsentCommand),
    /// Data-subject requests (access, rectification, erasure, …): deadlines, steps, answers
    #[command(subcommand)]
    Request(request::RequestCommand),
    /// Write data out for other tools, an auditor or an authority (CSV or JSON; --output FILE)
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Read and verify the audit trail
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    Check(check::Args),
    Purge(purge::Args),
}

impl Command {
    /// Whether the command writes a document for people (`--format md|html`).
    pub fn writes_documents(&self) -> bool {
        match self {
            Command::Export(e) => e.writes_documents(),
            _ => false,
        }
    }
}

pub fn run(cmd: Command, ctx: &Ctx) -> Result<()> {
    match cmd {
        Command::Init(a) => init::run(a, ctx),
        Command::Policy(c) => policy::run(c, ctx),
        Command::Contact(c) => contact::run(c, ctx),
        Command::Consent(c) => consent::run(c, ctx),
        Command::Request(c) => request::run(c, ctx),
        Command::Export(c) => export::run(c, ctx),
        Command::Audit(c) => audit::run(c, ctx),
        Command::Check(a) => check::run(a, ctx),
        Command::Purge(a) => purge::run(a, ctx),
    }
}

/// Field errors from the model as one command-line error naming each flag (`--business-id`).
pub fn flag_errors(errs: Vec<crate::model::contact::FieldError>) -> crate::Error {
    let mut lines = errs.into_iter().map(|e| {
        crate::Error::invalid(
            format!("--{}", e.field.replace('_', "-")),
            e.value,
            e.expected,
        )
    });
    match (lines.next(), lines.len()) {
        (Some(first), 0) => first,
        (Some(first), _) => crate::Error::InvalidInput(
            std::iter::once(first)
                .chain(lines)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (None, _) => crate::Error::InvalidInput("invalid input".into()),
    }
}
