//! Rectification (Art. 16): which fields an edit may clear, and which fields it changed.

use crate::model::contact::{ContactData, ContactDraft, FieldError};
use crate::model::time::format_date;

/// Optional fields `contact edit --clear` may empty, by their CSV column names.
pub const CLEARABLE: [&str; 15] = [
    "first_name",
    "last_name",
    "phone",
    "company",
    "business_id",
    "position",
    "street",
    "postal_code",
    "city",
    "customer_number",
    "birth_date",
    "started",
    "ended",
    "last_contact",
    "notes",
];

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
    let key = name.trim().replace('-', "_");
    let refuse = |expected: String| FieldError {
        field: "clear",
        value: name.to_string(),
        expected,
    };
    Ok(match key.as_str() {
        "first_name" => ("first_name", &mut draft.first_name),
        "last_name" => ("last_name", &mut draft.last_name),
        "phone" => ("phone", &mut draft.phone),
        "company" => ("company", &mut draft.company),
        "business_id" => ("business_id", &mut draft.business_id),
        "position" => ("position", &mut draft.position),
        "street" => ("street", &mut draft.street),
        "postal_code" => ("postal_code", &mut draft.postal_code),
        "city" => ("city", &mut draft.city),
        "customer_number" => ("customer_number", &mut draft.customer_number),
        "birth_date" => ("birth_date", &mut draft.birth_date),
        "started" => ("started", &mut draft.started),
        "ended" => ("ended", &mut draft.ended),
        "last_contact" => ("last_contact", &mut draft.last_contact),
        "notes" => ("notes", &mut draft.notes),
        "email" => {
            return Err(refuse(
                "every contact needs an e-mail address; give --email NEW to change it".into(),
            ))
        }
        "category" | "source" => {
            return Err(refuse(format!(
                "the {key} always has a value; give --{key} VALUE to change it"
            )))
        }
        _ => {
            return Err(refuse(format!(
                "expected one of {}",
                CLEARABLE.join(", ").replace('_', "-")
            )))
        }
    })
}

impl From<&ContactData> for ContactDraft {
    /// The stored fields as a draft, so an edit is validated exactly like an add.
    fn from(c: &ContactData) -> Self {
        let date = |d: &Option<chrono::NaiveDate>| d.as_ref().map(format_date);
        ContactDraft {
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            email: Some(c.email.clone()),
            phone: c.phone.clone(),
            company: c.company.clone(),
            business_id: c.business_id.clone(),
            position: c.position.clone(),
            street: c.street.clone(),
            postal_code: c.postal_code.clone(),
            city: c.city.clone(),
            customer_number: c.customer_number.clone(),
            birth_date: date(&c.birth_date),
            category: Some(c.category.as_str().to_string()),
            source: Some(c.source.as_str().to_string()),
            started: date(&c.started),
            ended: date(&c.ended),
            last_contact: date(&c.last_contact),
            notes: c.notes.clone(),
        }
    }
}

/// The column names whose values differ, in CSV column order.
pub fn changed_fields(old: &ContactData, new: &ContactData) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut cmp = |name: &'static str, differs: bool| {
        if differs {
            out.push(name);
        }
    };
    cmp("first_name", old.first_name != new.first_name);
    cmp("last_name", old.last_name != new.last_name);
    cmp("email", old.email != new.email);
    cmp("phone", old.phone != new.phone);
    cmp("company", old.company != new.company);
    cmp("business_id", old.business_id != new.business_id);
    cmp("position", old.position != new.position);
    cmp("street", old.street != new.street);
    cmp("postal_code", old.postal_code != new.postal_code);
    cmp("city", old.city != new.city);
    cmp(
        "customer_number",
        old.customer_number != new.customer_number,
    );
    cmp("birth_date", old.birth_date != new.birth_date);
    cmp("category", old.category != new.category);
    cmp("source", old.source != new.source);
    cmp("started", old.started != new.started);
    cmp("ended", old.ended != new.ended);
    cmp("last_contact", old.last_contact != new.last_contact);
    cmp("notes", old.notes != new.notes);
    out
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
