//! Rectification (Art. 16): which fields an edit may clear, and which fields it changed.

use crate::model::contact::{ContactData, ContactDraft, FieldError};
use crate::model::field::{Field, FIELDS};

pub use crate::model::field::CLEARABLE;

/// Empties one field of `draft`. `name` is a column name, with `-` or `_` (`postal-code`).
/// Returns the column name that was cleared.
pub fn clear_field(draft: &mut ContactDraft, name: &str) -> Result<&'static str, FieldError> {
    let (field, slot) = clearable_slot(draft, name)?;
    *slot = None;
    Ok(field)
}

/// The column name and the draft's slot of a field `--clear` accepts.
pub fn clearable_slot<'a>(
    draft: &'a mut ContactDraft,
    name: &str,
) -> Result<(&'static str, &'a mut Option<String>), FieldError> {
    let refuse = |expected: String| FieldError {
        field: "clear",
        value: name.to_string(),
        expected,
    };
    match Field::by_column(name) {
        Some(f) if f.spec().clearable => Ok((f.column(), draft.slot(f))),
        Some(Field::Email) => Err(refuse(
            "every contact needs an e-mail address; give --email NEW to change it".into(),
        )),
        Some(f) => Err(refuse(format!(
            "the {0} always has a value; give --{0} VALUE to change it",
            f.column()
        ))),
        None => Err(refuse(format!(
            "expected one of {}",
            CLEARABLE.join(", ").replace('_', "-")
        ))),
    }
}

/// The contact a rectification makes: the stored `old` data with the fields `given` sets
/// (only those: `None` is "not given") and the fields named in `clear` emptied, validated
/// exactly like a new contact. A field both given and cleared, or an unknown field to
/// clear, is an error beside the validation's own. (`contact edit` and `request fulfil`
/// of a rectification both come here.)
pub fn rectify(
    old: &ContactData,
    given: &ContactDraft,
    clear: &[String],
    today: chrono::NaiveDate,
) -> Result<ContactData, Vec<FieldError>> {
    let mut draft = ContactDraft::from(old);
    let mut probe = given.clone();
    let mut errs: Vec<FieldError> = Vec::new();
    for name in clear {
        match clearable_slot(&mut probe, name) {
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
    overlay(&mut draft, given);
    // Validated as the contact it makes: a date stored before the rules were this strict
    // has to be corrected along with whatever else is changed.
    match draft.validate(today) {
        Ok(data) if errs.is_empty() => Ok(data),
        Ok(_) => Err(errs),
        Err(e) => {
            errs.extend(e);
            Err(errs)
        }
    }
}

/// Sets every field of `draft` that `given` has.
fn overlay(draft: &mut ContactDraft, given: &ContactDraft) {
    let set = |dst: &mut Option<String>, v: &Option<String>| {
        if v.is_some() {
            dst.clone_from(v);
        }
    };
    set(&mut draft.first_name, &given.first_name);
    set(&mut draft.last_name, &given.last_name);
    set(&mut draft.email, &given.email);
    set(&mut draft.phone, &given.phone);
    set(&mut draft.company, &given.company);
    set(&mut draft.business_id, &given.business_id);
    set(&mut draft.position, &given.position);
    set(&mut draft.street, &given.street);
    set(&mut draft.postal_code, &given.postal_code);
    set(&mut draft.city, &given.city);
    set(&mut draft.customer_number, &given.customer_number);
    set(&mut draft.birth_date, &given.birth_date);
    set(&mut draft.category, &given.category);
    set(&mut draft.source, &given.source);
    set(&mut draft.started, &given.started);
    set(&mut draft.ended, &given.ended);
    set(&mut draft.last_contact, &given.last_contact);
    set(&mut draft.notes, &given.notes);
}

impl From<&ContactData> for ContactDraft {
    /// The stored fields as a draft, so an edit is validated exactly like an add.
    fn from(c: &ContactData) -> Self {
        let mut d = ContactDraft::default();
        for f in FIELDS {
            *d.slot(f.field) = c.value(f.field).text().map(|t| t.into_owned());
        }
        d
    }
}

/// The column names whose values differ, in CSV column order.
pub fn changed_fields(old: &ContactData, new: &ContactData) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|f| old.value(f.field) != new.value(f.field))
        .map(|f| f.column)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        crate::model::time::parse_date("2026-11-23").unwrap()
    }

    fn stored() -> ContactData {
        ContactDraft {
            first_name: Some("Äijä".into()),
            email: Some("aija@example.fi".into()),
            phone: Some("040 123 4567".into()),
            business_id: Some("1234567-1".into()),
            category: Some("student".into()),
            birth_date: Some("1990-05-01".into()),
            started: Some("2026-01-01".into()),
            ..Default::default()
        }
        .validate(today())
        .unwrap()
    }

    #[test]
    fn stored_data_revalidates_unchanged() {
        let c = stored();
        let again = ContactDraft::from(&c).validate(today()).unwrap();
        assert_eq!(again, c);
        assert!(changed_fields(&c, &again).is_empty());
    }

    #[test]
    fn clearing_names_the_column_and_accepts_hyphens() {
        let c = stored();
        let mut d = ContactDraft::from(&c);
        assert_eq!(clear_field(&mut d, "birth-date"), Ok("birth_date"));
        assert_eq!(clear_field(&mut d, "phone"), Ok("phone"));
        let new = d.validate(today()).unwrap();
        assert_eq!(changed_fields(&c, &new), ["phone", "birth_date"]);
    }

    #[test]
    fn email_category_and_unknown_fields_cannot_be_cleared() {
        let mut d = ContactDraft::default();
        for name in ["email", "category", "source", "shoe_size"] {
            let e = clear_field(&mut d, name).unwrap_err();
            assert_eq!(e.field, "clear");
            assert_eq!(e.value, name);
        }
        assert!(clear_field(&mut d, "email")
            .unwrap_err()
            .expected
            .contains("--email"));
    }

    #[test]
    fn rectify_sets_clears_and_refuses_both() {
        let c = stored();
        let given = ContactDraft {
            city: Some("Oulu".into()),
            ..Default::default()
        };
        let new = rectify(&c, &given, &["phone".to_string()], today()).unwrap();
        assert_eq!(changed_fields(&c, &new), ["phone", "city"]);
        let both = ContactDraft {
            phone: Some("040 765 4321".into()),
            ..Default::default()
        };
        let errs = rectify(&c, &both, &["phone".into(), "shoe".into()], today()).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs[0].expected.contains("--phone is also given"));
        let bad = ContactDraft {
            business_id: Some("1234567-2".into()),
            ..Default::default()
        };
        assert_eq!(
            rectify(&c, &bad, &[], today()).unwrap_err()[0].field,
            "business_id"
        );
    }

    #[test]
    fn every_clearable_field_clears() {
        for name in CLEARABLE {
            let mut d = ContactDraft::from(&stored());
            assert_eq!(clear_field(&mut d, name), Ok(name));
        }
    }
}
