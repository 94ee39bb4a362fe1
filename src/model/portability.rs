//! Data portability (Art. 20): which of a person's data they "provided" to the controller.
//!
//! Provided is what the person gave about themselves (names, contact details; the field
//! table's `provided` flag) and the consent decisions they made. What the controller derived
//! or assigned is not: the id, customer number, category, source, relationship dates, notes,
//! tags and history entries the staff wrote (the access report, Art. 15, has all of them).

use crate::model::contact::ContactData;
use crate::model::field::{Field, FIELDS};

/// Is the contact column one the person provided? (The field table's `provided` flag.)
pub fn is_provided(column: &str) -> bool {
    Field::by_column(column).is_some_and(|f| f.spec().provided)
}

/// The provided fields that hold a value, in contact CSV column order, as stored text.
pub fn provided_fields(c: &ContactData) -> Vec<(&'static str, String)> {
    FIELDS
        .iter()
        .filter(|f| f.provided)
        .filter_map(|f| c.value(f.field).text().map(|v| (f.column, v.into_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::contact::{Category, Source};
    use chrono::NaiveDate;

    fn data() -> ContactData {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        ContactData {
            first_name: Some("Äijä".into()),
            last_name: None,
            email: "aija@example.fi".into(),
            phone: Some("+358 40 123 4567".into()),
            company: Some("Öljy Oy".into()),
            business_id: None,
            position: None,
            street: None,
            postal_code: None,
            city: Some("Oulu".into()),
            customer_number: Some("C-77".into()),
            birth_date: day("1990-05-01"),
            category: Category::Student,
            source: Source::Direct,
            started: day("2025-01-01"),
            ended: None,
            last_contact: day("2026-01-01"),
            notes: Some("Prefers e-mail.".into()),
        }
    }

    #[test]
    fn provided_fields_are_what_the_person_gave_in_column_order_without_empty_ones() {
        assert_eq!(
            provided_fields(&data()),
            vec![
                ("first_name", "Äijä".to_string()),
                ("email", "aija@example.fi".to_string()),
                ("phone", "+358 40 123 4567".to_string()),
                ("company", "Öljy Oy".to_string()),
                ("city", "Oulu".to_string()),
                ("birth_date", "1990-05-01".to_string()),
            ]
        );
    }

    #[test]
    fn what_the_controller_assigned_or_derived_is_not_provided() {
        for col in [
            "id",
            "customer_number",
            "category",
            "source",
            "started",
            "ended",
            "last_contact",
            "notes",
            "no-such-column",
        ] {
            assert!(!is_provided(col), "{col}");
        }
        let mut full = data();
        full.last_name = Some("a".into());
        full.business_id = Some("b".into());
        full.position = Some("c".into());
        full.street = Some("d".into());
        full.postal_code = Some("e".into());
        let got: Vec<&str> = provided_fields(&full).iter().map(|(c, _)| *c).collect();
        assert_eq!(
            got.join(","),
            "first_name,last_name,email,phone,company,business_id,position,street,postal_code,city,birth_date"
        );
    }
}
