//! `rekisteri export …`: data out for other tools, and for an authority's or an auditor's
//! question.
//!
//! Every export is one audit event naming what it discloses, committed before the first
//! byte goes out ([`crate::store::disclose`]); large ones stream, holding one row at a time;
//! `--output FILE` is created 0600 and placed whole or not at all. The columns of each are
//! documented in `docs/exports.md` and only ever added at the end. The documents
//! (`export notice`, `export ropa`) hold no one's personal data and, like `policy show`, are no audit event.

pub mod audit;
pub mod contacts;
pub mod mailing_list;
pub mod notice;
pub mod requests;
pub mod ropa;
pub mod subject;

use std::path::PathBuf;

use crate::context::Ctx;
use crate::error::Result;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    // Each command's help comes from its Args struct's doc comment.
    Contacts(contacts::Args),
    MailingList(mailing_list::Args),
    Requests(requests::Args),
    Audit(audit::Args),
    Subject(subject::Args),
    Notice(notice::Args),
    Ropa(ropa::Args),
}

impl ExportCommand {
    /// The exports that are documents for people (`--format md|html`; the record of
    /// processing activities takes md or csv).
    pub fn writes_documents(&self) -> bool {
        matches!(self, ExportCommand::Notice(_) | ExportCommand::Ropa(_))
    }
}

pub fn run(cmd: ExportCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        ExportCommand::Contacts(a) => contacts::run(a, ctx),
        ExportCommand::MailingList(a) => mailing_list::run(a, ctx),
        ExportCommand::Requests(a) => requests::run(a, ctx),
        ExportCommand::Audit(a) => audit::run(a, ctx),
        ExportCommand::Subject(a) => subject::run(a, ctx),
        ExportCommand::Notice(a) => notice::run(a, ctx),
        ExportCommand::Ropa(a) => ropa::run(a, ctx),
    }
}

/// The status line of a finished export, naming the file it wrote, if any.
fn finished(ctx: &Ctx, placed: Option<PathBuf>, summary: String) {
    match placed {
        Some(path) => ctx.status(format!("{summary} to {}", path.display())),
        None => ctx.status(summary),
    }
}

/// A CSV-or-JSON export's format: the global default (a table) means CSV, since a table
/// is no file for another tool.
fn csv_or_json(ctx: &Ctx) -> bool {
    ctx.format == crate::output::Format::Json
}
