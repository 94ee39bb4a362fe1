//! `rekisteri contact erase`: the controller's own erasure (no request needed), and the
//! pointer from the names people guess for it (`contact delete`, `rm`, …).

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::labels::count_of;
use crate::store::erasure::{self, Erased, Erasure, Reason};
use crate::store::{contacts, suppressions};

/// Erase a person and everything linked to them (Art. 17), on the controller's own decision
///
/// For a mistaken import, or data no longer needed. Removes the contact, their history,
/// courses, purchases, tags, holds and consent events, and clears the personal text of their
/// requests (the request records stay, without it). Freed space is overwritten and the
/// register's -wal emptied, so nothing of the person is left in the file. Refused while a
/// legal hold applies. An erasure the person asked for is `rekisteri request fulfil`.
///
/// Exit code 1 when the other steps were done but another program reading the register kept
/// the -wal from being emptied: then run `rekisteri check` once it has closed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// Why the person is erased ("imported by mistake", "no longer needed"). It stays in the
    /// audit trail after the erasure, so it is not personal data and must not contain any:
    /// say why, not who (one that repeats the person's e-mail, phone or name is refused)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Also put the address on the suppression list (a keyed hash, not the address), so a
    /// later add or import of it is refused until the person comes back (--returning)
    #[arg(long)]
    pub suppress: bool,
}

/// `contact delete` and the like: there is no such command, and a guess must not lead to one
/// that lifts a protection (clap's own suggestion for `delete` was `release`).
#[derive(Debug, clap::Args)]
pub struct NoDeleteArgs {
    #[arg(num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub rest: Vec<String>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let reason = super::required_text("--reason", &args.reason, 500)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, erased) = store.write(|tx| {
        let id = match contacts::resolve(tx, &args.contact) {
            Ok(id) => id,
            Err(e @ Error::NotFound { .. }) => {
                // Already erased and suppressed: say so rather than only "no contact".
                if let Some((_, s)) = suppressions::Lookup::new(tx)?.find(tx, &args.contact)? {
                    return Err(Error::not_found(
                        "contact",
                        format!("{} (it was {})", args.contact.trim(), s.erased()),
                    ));
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let erased = erasure::erase(
            tx,
            &[id],
            &Erasure {
                reason: Reason::Operator(&reason),
                request: None,
                suppress: args.suppress,
                today: ctx.today(),
                zone: ctx.zone(),
                now: &now,
                operator: &ctx.operator,
            },
        )?;
        Ok((id, erased))
    })?;
    erasure::checkpoint(&store)
        .map_err(|e| Error::Conflict(format!("contact {id} is erased in the database, but {e}")))?;
    ctx.status(format!(
        "erased contact {id}: {}; nothing of the person is left in the register file",
        summary(&erased)
    ));
    Ok(())
}

pub fn run_no_delete(_args: NoDeleteArgs, _ctx: &Ctx) -> Result<()> {
    Err(Error::InvalidInput(
        "there is no `contact delete`: to remove a person and everything linked to them, use \
         `rekisteri contact erase ID|EMAIL --reason TEXT` (see `rekisteri contact erase --help`)"
            .into(),
    ))
}

/// What went, in words: "2 history entries, 1 consent event, …; the address is suppressed".
pub fn summary(e: &Erased) -> String {
    let parts = [
        (e.history, "history entry", "history entries"),
        (e.courses, "course", "courses"),
        (e.purchases, "purchase", "purchases"),
        (e.tags, "tag", "tags"),
        (e.holds, "ended legal hold", "ended legal holds"),
        (e.consents, "consent event", "consent events"),
        (
            e.requests,
            "request's personal text",
            "requests' personal text",
        ),
    ];
    let listed: Vec<String> = parts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| count_of(n, one, many))
        .collect();
    let mut out = if listed.is_empty() {
        "the contact row".to_string()
    } else {
        format!("the contact row, {}", listed.join(", "))
    };
    if e.suppressed {
        out.push_str("; the address is on the suppression list");
    }
    out
}
