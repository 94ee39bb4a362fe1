//! `rekisteri audit …` (being built)

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Being built
    Show,
}

pub fn run(_cmd: AuditCommand, _ctx: &crate::context::Ctx) -> crate::Result<()> {
    Err(crate::Error::Refused("audit is being built".into()))
}
