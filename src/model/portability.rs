//! Data portability (Art. 20): which of a person's data they "provided" to the controller.
//!
//! Provided is what the person gave about themselves (names, contact details, the free text
//! they wrote) and the consent decisions they made. What the controller derived or assigned
//! is not: the id, customer number, category, source, relationship dates, tags and history
//! entries the staff wrote (the access report, Art. 15, has all of them).

use crate::model::contact::{ContactData, ContactDraft, CSV_COLUMNS};

/// The contact fields a person provides, by their contact CSV column names, in that order.
pub const PROVIDED: [&str; 12] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "business_id",
    "position",
    "street",
    "postal_code",
    "city",
    "birth_date",
    "notes",
];

/// Is the contact column one the person provided?
pub fn is_provided(column: &str) -> bool {
    PROVIDED.contains(&column)
}

/// The provided fields that hold a value, in contact CSV column order, as stored text.
pub fn provided_fields(c: &ContactData) -> Vec<(&'static str, String)> {
    let d = ContactDraft::from(c);
    CSV_COLUMNS
        .iter()
        .filter(|col| is_provided(col))
        .filter_map(|col| {
            let v = match *col {
                "first_name" => &d.first_name,
                "last_name" => &d.last_name,
                "email" => &d.email,
                "phone" => &d.phone,
                "company" => &d.company,
                "business_id" => &d.business_id,
                "position" => &d.position,
                "street" => &d.street,
                "postal_code" => &d.postal_code,
                "city" => &d.city,
                "birth_date" => &d.birth_date,
                "notes" => &d.notes,
                _ => return None,
            };
            v.clone().map(|v| (*col, v))
        })
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
                ("notes", "Prefers e-mail.".to_string()),
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
        ] {
            assert!(!is_provided(col), "{col}");
        }
        // Every provided field is a contact column, and each has its value read.
        for col in PROVIDED {
            assert!(CSV_COLUMNS.contains(&col), "{col}");
        }
        let mut full = data();
        full.last_name = Some("a".into());
        full.business_id = Some("b".into());
        full.position = Some("c".into());
        full.street = Some("d".into());
        full.postal_code = Some("e".into());
        let got: Vec<&str> = provided_fields(&full).iter().map(|(c, _)| *c).collect();
        assert_eq!(got, PROVIDED);
    }
}
