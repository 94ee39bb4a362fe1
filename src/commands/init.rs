//! `rekisteri init` (being built)

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _ctx: &crate::context::Ctx) -> crate::Result<()> {
    Err(crate::Error::Refused("init is being built".into()))
}
