//! `rekisteri contact edit`: rectification (Art. 16).

use crate::commands::flag_errors;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::contact::{ContactDraft, FieldError};
use crate::model::rectify::{changed_fields, clear_field, clearable_slot};
use crate::store::{audit, contacts};

use super::add::Fields;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
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

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // Only what the flags set, to catch a field both set and cleared.
    let mut given = ContactDraft::default();
    args.fields.apply_to(&mut given);
    given.ended.clone_from(&args.ended);
    given.last_contact.clone_from(&args.last_contact);
    if given == ContactDraft::default() && args.clear.is_empty() {
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
        let mut draft = ContactDraft::from(&old.data);
        let mut errs: Vec<FieldError> = Vec::new();
        for name in &args.clear {
            match clearable_slot(&mut given, name) {
                Ok((field, slot)) if slot.is_some() => errs.push(FieldError {
                    field: "clear",
                    value: name.clone(),
                    expected: format!(
                        "--{} is also given: set a field or clear it, not both",
                        field.replace('_', "-")
                    ),
                }),
                Ok(_) => {}
                Err(e) => errs.push(e),
            }
            // An unknown name was collected as an error just above.
            let _ = clear_field(&mut draft, name);
        }
        args.fields.apply_to(&mut draft);
        if args.ended.is_some() {
            draft.ended.clone_from(&args.ended);
        }
        if args.last_contact.is_some() {
            draft.last_contact.clone_from(&args.last_contact);
        }
        // Validated as the contact it makes: a date stored before the rules were this strict
        // has to be corrected along with whatever else is changed.
        let data = match draft.validate(today) {
            Ok(data) if errs.is_empty() => data,
            Ok(_) => return Err(flag_errors(errs)),
            Err(e) => {
                errs.extend(e);
                return Err(flag_errors(errs));
            }
        };
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
