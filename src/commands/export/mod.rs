//! `rekisteri export …`: data out for other tools.

pub mod contacts;
pub mod mailing_list;
pub mod ropa;

use crate::context::Ctx;
use crate::error::Result;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    // Each command's help comes from its Args struct's doc comment.
    Contacts(contacts::Args),
    MailingList(mailing_list::Args),
    Ropa(ropa::Args),
}

pub fn run(cmd: ExportCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        ExportCommand::Contacts(a) => contacts::run(a, ctx),
        ExportCommand::MailingList(a) => mailing_list::run(a, ctx),
        ExportCommand::Ropa(a) => ropa::run(a, ctx),
    }
}
