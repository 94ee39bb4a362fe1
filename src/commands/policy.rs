//! `rekisteri policy …` (being built)

#[derive(Debug, clap::Subcommand)]
pub enum PolicyCommand {
    /// Being built
    Show,
}

pub fn run(_cmd: PolicyCommand, _ctx: &crate::context::Ctx) -> crate::Result<()> {
    Err(crate::Error::Refused("policy is being built".into()))
}
