//! `rekisteri contact tag`: customer segments and groups ("ryhmittelytiedot").

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::store::{audit, contacts, tags};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["add", "remove"])))]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// Add a tag: letters (ä ö å too), digits and '-'; stored lower-case (repeatable)
    #[arg(long, value_name = "NAME", value_parser = super::tag_arg)]
    pub add: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long, value_name = "NAME", value_parser = super::tag_arg)]
    pub remove: Vec<String>,
}

pub fn run(mut args: Args, ctx: &Ctx) -> Result<()> {
    for list in [&mut args.add, &mut args.remove] {
        list.sort();
        list.dedup();
    }
    if let Some(t) = args.add.iter().find(|t| args.remove.contains(t)) {
        return Err(Error::invalid(
            "--remove",
            t,
            "a tag cannot be added and removed at once",
        ));
    }
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, outcome) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let mut o = Outcome::default();
        for t in &args.add {
            if tags::add(tx, id, t)? {
                o.added.push(t.as_str());
            } else {
                o.had.push(t.as_str());
            }
        }
        for t in &args.remove {
            if tags::remove(tx, id, t)? {
                o.removed.push(t.as_str());
            } else {
                o.absent.push(t.as_str());
            }
        }
        if !o.added.is_empty() || !o.removed.is_empty() {
            audit::append(
                tx,
                &now,
                &ctx.operator,
                Action::ContactTag,
                &format!("contact:{id}"),
                &format!("added={},removed={}", o.added.len(), o.removed.len()),
            )?;
        }
        Ok((id, o))
    })?;
    let mut msgs = Vec::new();
    if !outcome.added.is_empty() {
        msgs.push(format!("added {}", outcome.added.join(", ")));
    }
    if !outcome.removed.is_empty() {
        msgs.push(format!("removed {}", outcome.removed.join(", ")));
    }
    if !outcome.had.is_empty() {
        msgs.push(format!("already had {}", outcome.had.join(", ")));
    }
    if !outcome.absent.is_empty() {
        msgs.push(format!(
            "did not have {} (nothing to remove)",
            outcome.absent.join(", ")
        ));
    }
    ctx.status(format!("contact {id}: {}", msgs.join("; ")));
    Ok(())
}

#[derive(Default)]
struct Outcome<'a> {
    added: Vec<&'a str>,
    removed: Vec<&'a str>,
    had: Vec<&'a str>,
    absent: Vec<&'a str>,
}
