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
    fn every_clearable_field_clears() {
        for name in CLEARABLE {
            let mut d = ContactDraft::from(&stored());
            assert_eq!(clear_field(&mut d, name), Ok(name));
        }
    }
}
