//! `rekisteri consent …` (being built)

#[derive(Debug, clap::Subcommand)]
pub enum ConsentCommand {
    /// Being built
    Status,
}

pub fn run(_cmd: ConsentCommand, _ctx: &crate::context::Ctx) -> crate::Result<()> {
    Err(crate::Error::Refused("consent is being built".into()))
}
