//! `rekisteri check`: the register's health against today's rules.

use crate::model::audit::Action;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::labels::count_of;
use crate::model::validate;
use crate::output::RowWriter;
use crate::store::{audit, contacts, erasure};

/// Check the register's health: stored e-mails and names that today's rules refuse
///
/// Rules tighten (an e-mail with an invisible character or a lookalike letter from another
/// script is refused since this version), but stored contacts are never rewritten behind the
/// operator's back. This lists, by contact id and field only (no personal values), every
/// stored contact whose e-mail or name would be refused today, with what is accepted; correct
/// each with `rekisteri contact edit ID --email …` (or erase it). Changes no data; recorded
/// in the audit trail like other reads. It also empties the register's -wal file, clearing
/// the old copies of erased data an erasure could not clear while another program was
/// reading the register.
///
/// Exit code 0 whether or not something was found (a report, like a listing: the warning on
/// stderr counts what was found, and the rows are on stdout); 1 when the check itself fails,
/// or the -wal still cannot be emptied.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// The report's columns, the same keys in every format.
pub const HEADERS: [&str; 3] = ["id", "field", "problem"];

pub fn run(_args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (checked, found) = store.write(|tx| {
        let mut checked = 0usize;
        let mut found: Vec<(i64, &'static str, String)> = Vec::new();
        contacts::for_each_identity(tx, |id, email, first, last| {
            checked += 1;
            for (field, problem) in validate::stored_identity_problems(email, first, last) {
                found.push((id, field, problem));
            }
            Ok(())
        })?;
        let mut ids = audit::IdRanges::new();
        let mut flagged = 0;
        for (n, (id, ..)) in found.iter().enumerate() {
            if n == 0 || found[n - 1].0 != *id {
                ids.push(*id);
                flagged += 1;
            }
        }
        // Committed before anything is printed.
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::RegisterCheck,
            &ids.render("contact"),
            &format!(
                "contacts={checked} flagged={flagged} problems={}",
                found.len()
            ),
        )?;
        Ok((checked, found))
    })?;
    // Before the report: a reader that blocks it is waited for while nothing is printed yet.
    let cleared = erasure::checkpoint(&store);
    let flagged = {
        let mut ids: Vec<i64> = found.iter().map(|f| f.0).collect();
        ids.dedup();
        ids.len()
    };
    if !found.is_empty() || ctx.format != crate::output::Format::Table {
        let mut out = RowWriter::stdout(ctx.format, &HEADERS)?;
        for (id, field, problem) in &found {
            out.row(vec![
                Value::from(*id),
                Value::from(*field),
                Value::from(problem.as_str()),
            ])?;
        }
        out.finish()?;
    }
    if flagged == 0 {
        ctx.status(format!(
            "OK: the e-mails and names of all {} pass today's rules",
            count_of(checked as u64, "contact", "contacts")
        ));
    } else {
        // A warning: shown even with --quiet.
        eprintln!(
            "warning: {} of {} {} an e-mail or name that today's rules refuse; nothing was \
             changed: correct each with `rekisteri contact edit ID`",
            flagged,
            count_of(checked as u64, "contact", "contacts"),
            if flagged == 1 { "has" } else { "have" }
        );
    }
    cleared
}
