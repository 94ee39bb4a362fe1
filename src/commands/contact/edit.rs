//! `rekisteri contact edit`: rectification (Art. 16).

use crate::commands::flag_errors;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::contact::{ContactData, ContactDraft};
use crate::model::rectify::{changed_fields, rectify};
use crate::store::{audit, contacts, suppressions, Tx};

use super::add::Fields;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    #[command(flatten)]
    pub changes: Changes,
}

/// What a rectification changes: shared by `contact edit` and `request fulfil`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Changes {
    #[command(flatten)]
    pub fields: Fields,
    /// When the relationship ended, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub ended: Option<String>,
    /// When the person was last contacted, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub last_contact: Option<String>,
    /// Empty an optional field, e.g. --clear phone --clear birth-date (repeatable)
    #[arg(long, value_name = "FIELD")]
    pub clear: Vec<String>,
}

impl Changes {
    /// Only what the flags set (`None`: not given).
    pub fn given(&self) -> ContactDraft {
        let mut given = ContactDraft::default();
        self.fields.apply_to(&mut given);
        given.ended.clone_from(&self.ended);
        given.last_contact.clone_from(&self.last_contact);
        given
    }

    pub fn is_empty(&self) -> bool {
        self.given() == ContactDraft::default() && self.clear.is_empty()
    }

    /// The contact these changes make of `old`, validated; errors name the flags.
    pub fn apply(&self, old: &ContactData, today: chrono::NaiveDate) -> Result<ContactData> {
        rectify(old, &self.given(), &self.clear, today).map_err(flag_errors)
    }
}

/// Refuses a new e-mail address that is on the suppression list: an edit must not bring an
/// erased person back by the side door (`contact add --returning` is the way back, and it
/// is recorded as such).
pub fn refuse_suppressed(tx: &Tx, old: &ContactData, new: &ContactData) -> Result<()> {
    if new.email == old.email {
        return Ok(());
    }
    match suppressions::Lookup::new(tx)?.find(tx, &new.email)? {
        None => Ok(()),
        Some((_, s)) => Err(Error::Refused(format!(
            "{} was {}; an edit does not bring an erased address back (if the person has come \
             back themselves, add them with `rekisteri contact add --email … --returning`)",
            new.email,
            s.refusal()
        ))),
    }
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    if args.changes.is_empty() {
        return Err(Error::InvalidInput(
            "nothing to change: give the fields to correct (e.g. --phone '040 123 4567') or --clear FIELD; see `rekisteri contact edit --help`".into(),
        ));
    }

    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let today = ctx.today();
    let (id, changed) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let old = contacts::get(tx, id)?;
        let data = args.changes.apply(&old.data, today)?;
        refuse_suppressed(tx, &old.data, &data)?;
        let changed = changed_fields(&old.data, &data);
        if !changed.is_empty() {
            contacts::update(tx, id, &data, &now)?;
            audit::append(
                tx,
                &now,
                &ctx.operator,
                Action::ContactEdit,
                &format!("contact:{id}"),
                &format!("fields={}", changed.join(",")),
            )?;
        }
        Ok((id, changed))
    })?;
    if changed.is_empty() {
        ctx.status(format!(
            "contact {id}: nothing changed (the register already holds these values)"
        ));
    } else {
        ctx.status(format!("contact {id}: changed {}", changed.join(", ")));
    }
    Ok(())
}
