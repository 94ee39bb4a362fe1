//! `rekisteri contact …`: the people in the register.

pub mod add;
pub mod import;

use crate::context::Ctx;
use crate::error::Result;

#[derive(Debug, clap::Subcommand)]
pub enum ContactCommand {
    /// Add a person; prints the new contact's id
    Add(add::Args),
    /// Import contacts from CSV (`,` or `;`, UTF-8 with or without BOM); all rows or none
    Import(import::Args),
}

pub fn run(cmd: ContactCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        ContactCommand::Add(a) => add::run(a, ctx),
        ContactCommand::Import(a) => import::run(a, ctx),
    }
}
