//! `rekisteri init [--policy FILE]`

use std::path::PathBuf;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::policy::Policy;
use crate::store::Store;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Fails (exit 1) when a register already exists at the path, or another file is there (it says
what the file is: empty, not SQLite, another application's database); the file is left untouched.
The register is built whole beside the path and moved into place: stopped at any point, the path
holds no register or a whole one.
An invalid description (exit 2) names the line and the field; no file is created.")]
pub struct Args {
    /// The register description (TOML, see examples/policy.toml) [default: the built-in
    /// description; show it with `rekisteri policy show`]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // Read and check the description before anything is created.
    let (policy, from) = match &args.policy {
        Some(path) => (
            super::policy::read_policy_file(path, "no register was created")?,
            format!("the description in {}", path.display()),
        ),
        None => (
            Policy::default_policy(),
            "the built-in default description".to_string(),
        ),
    };
    let store = Store::create(&ctx.db_path, &policy, ctx.now, &ctx.operator)?;
    ctx.status(format!(
        "created register \"{}\" at {} with {from} as version 1",
        policy.register.name,
        store.path().display()
    ));
    Ok(())
}
