//! `rekisteri export subject`: everything the register holds about one person, as JSON: the
//! data of an access answer ([`crate::report::access`]), for the controller's own use.

use std::io::Write;
use std::path::PathBuf;

use crate::commands::export::finished;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::output::export::Target;
use crate::output::Format;
use crate::report::access::{self, Held};
use crate::store::disclose::Disclosure;
use crate::store::{contacts, policy};

/// Everything held about one person, as JSON
///
/// The same data an access answer (`request fulfil` of an access request) holds: the contact,
/// history, courses, purchases, tags, holds, each purpose's state, the consent ledger and the
/// person's requests, with the controller and the description version in force. For
/// answering a person is `request fulfil`; this is for the controller's own use (another
/// system, a lawyer's question). It discloses personal data: the disclosure is recorded in the
/// audit trail before the data goes out. Keys: docs/exports.md.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person: a contact id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// Write to FILE (created 0600, whole or not at all; an existing file is kept) instead of
    /// stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    if ctx.format == Format::Csv {
        let given = if ctx.csv.excel { "--excel" } else { "--format" };
        return Err(Error::invalid(
            given,
            if ctx.csv.excel { "" } else { "csv" },
            "export subject writes JSON; leave it out or give --format json",
        ));
    }
    let mut store = ctx.open()?;
    let target = Target::new(args.output.as_deref())?;
    let now = ctx.now_str();
    let today = ctx.today();
    let zone = ctx.zone();
    let (id, placed) = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let id = contacts::resolve(snap, &args.contact)?;
            let event = Disclosure {
                action: Action::ExportSubject,
                object_ids: format!("contact:{id}"),
                detail: String::new(),
            };
            Ok((event, id))
        },
        |snap, id| {
            let pv = policy::in_force_on(snap, today, zone)?;
            let held = Held::load(snap, id, today, zone)?;
            let doc = access::subject_json(&pv.policy, pv.version, &held, id, &now);
            let mut out = target;
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            Ok((id, out.finish()?))
        },
    )?;
    finished(
        ctx,
        placed,
        format!("exported everything held about contact {id}"),
    );
    Ok(())
}
