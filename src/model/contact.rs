//! A person in the register: the fields kept, their categories and validation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{time, validate};

/// The columns of the contact CSV, in order: `export contacts` writes them, `contact import`
/// reads any subset of them (by name) that includes `email`.
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
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
    "customer_number",
    "birth_date",
    "category",
    "source",
    "started",
    "ended",
    "last_contact",
    "notes",
];

/// Category of relationship; each has its own legal basis and retention rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Customer representative (contract).
    Customer,
    /// Prospect (legitimate interest).
    Prospect,
    /// Course student.
    Student,
}

impl Category {
    pub const ACCEPTED: &'static str = "expected customer, prospect or student";

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Customer => "customer",
            Category::Prospect => "prospect",
            Category::Student => "student",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        match s.trim() {
            "customer" => Some(Category::Customer),
            "prospect" => Some(Category::Prospect),
            "student" => Some(Category::Student),
            _ => None,
        }
    }
}

/// Where the data came from (Art. 14(2)(f)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// From the person themselves.
    Direct,
    /// Public sources: the internet, the trade register.
    Public,
    /// The person's employer or another partner.
    Employer,
    /// A credit-information register.
    CreditRegistry,
    /// Imported from another system.
    Import,
}

impl Source {
    pub const ACCEPTED: &'static str =
        "expected direct, public, employer, credit-registry or import";

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Direct => "direct",
            Source::Public => "public",
            Source::Employer => "employer",
            Source::CreditRegistry => "credit-registry",
            Source::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        match s.trim() {
            "direct" => Some(Source::Direct),
            "public" => Some(Source::Public),
            "employer" => Some(Source::Employer),
            "credit-registry" => Some(Source::CreditRegistry),
            "import" => Some(Source::Import),
            _ => None,
        }
    }
}

/// One rejected value: the field (CSV column name), the value, what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub value: String,
    pub expected: String,
}

/// Contact fields as typed (strings); `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct ContactDraft {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub business_id: Option<String>,
    pub position: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub customer_number: Option<String>,
    pub birth_date: Option<String>,
    pub category: Option<String>,
    pub source: Option<String>,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub last_contact: Option<String>,
    pub notes: Option<String>,
}

/// A contact's stored fields, validated and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactData {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub business_id: Option<String>,
    pub position: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub customer_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub category: Category,
    pub source: Source,
    pub started: Option<NaiveDate>,
    pub ended: Option<NaiveDate>,
    pub last_contact: Option<NaiveDate>,
    pub notes: Option<String>,
}

const NAME_MAX: usize = 200;
const NOTES_MAX: usize = 10_000;

impl ContactDraft {
    /// Validates a new contact: every error is collected, not just the first.
    /// `default_source` applies when no source is given (`direct` for add, `import` is not implied).
    pub fn validate(&self) -> Result<ContactData, Vec<FieldError>> {
        let mut errs = Vec::new();
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => {
                errs.push(FieldError {
                    field: "email",
                    value: String::new(),
                    expected: "an e-mail address is required".into(),
                });
                String::new()
            }
            Some(e) => match validate::email(e) {
                Ok(e) => e,
                Err(x) => {
                    errs.push(fe("email", e, x));
                    String::new()
                }
            },
        };
        let mut text = |field: &'static str, v: &Option<String>, max: usize| -> Option<String> {
            let v = v.as_deref()?;
            match validate::text(v, max) {
                Ok(t) => t,
                Err(x) => {
                    errs.push(fe(field, v, &x));
                    None
                }
            }
        };
        let first_name = text("first_name", &self.first_name, NAME_MAX);
        let last_name = text("last_name", &self.last_name, NAME_MAX);
        let company = text("company", &self.company, NAME_MAX);
        let position = text("position", &self.position, NAME_MAX);
        let street = text("street", &self.street, NAME_MAX);
        let postal_code = text("postal_code", &self.postal_code, 20);
        let city = text("city", &self.city, NAME_MAX);
        let customer_number = text("customer_number", &self.customer_number, 100);
        let notes = text("notes", &self.notes, NOTES_MAX);

        let phone = nonempty(&self.phone).and_then(|v| match validate::phone(v) {
            Ok(p) => Some(p),
            Err(x) => {
                errs.push(fe("phone", v, x));
                None
            }
        });
        let business_id =
            nonempty(&self.business_id).and_then(|v| match validate::business_id(v) {
                Ok(p) => Some(p),
                Err(x) => {
                    errs.push(fe("business_id", v, x));
                    None
                }
            });
        let category = match nonempty(&self.category) {
            None => Category::Customer,
            Some(v) => Category::parse(v).unwrap_or_else(|| {
                errs.push(fe("category", v, Category::ACCEPTED));
                Category::Customer
            }),
        };
        let source = match nonempty(&self.source) {
            None => Source::Direct,
            Some(v) => Source::parse(v).unwrap_or_else(|| {
                errs.push(fe("source", v, Source::ACCEPTED));
                Source::Direct
            }),
        };
        let mut date = |field: &'static str, v: &Option<String>| -> Option<NaiveDate> {
            let v = nonempty(v)?;
            let d = time::parse_date(v);
            if d.is_none() {
                errs.push(fe(field, v, time::DATE_EXPECTED));
            }
            d
        };
        let birth_date = date("birth_date", &self.birth_date);
        let started = date("started", &self.started);
        let ended = date("ended", &self.ended);
        let last_contact = date("last_contact", &self.last_contact);

        let data = ContactData {
            first_name,
            last_name,
            email,
            phone,
            company,
            business_id,
            position,
            street,
            postal_code,
            city,
            customer_number,
            birth_date,
            category,
            source,
            started,
            ended,
            last_contact,
            notes,
        };
        errs.extend(data.check_rules());
        if errs.is_empty() {
            Ok(data)
        } else {
            Err(errs)
        }
    }
}

impl ContactData {
    /// Rules across fields, checked on add, edit and import alike.
    pub fn check_rules(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if let Some(b) = self.birth_date {
            if self.category != Category::Student {
                errs.push(FieldError {
                    field: "birth_date",
                    value: time::format_date(&b),
                    expected: "a birth date is kept only for course students (category student)"
                        .into(),
                });
            }
        }
        if let (Some(s), Some(e)) = (self.started, self.ended) {
            if e < s {
                errs.push(FieldError {
                    field: "ended",
                    value: time::format_date(&e),
                    expected: format!(
                        "expected a date on or after the start date {}",
                        time::format_date(&s)
                    ),
                });
            }
        }
        errs
    }
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn fe(field: &'static str, value: &str, expected: &str) -> FieldError {
    FieldError {
        field,
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(email: &str) -> ContactDraft {
        ContactDraft {
            email: Some(email.into()),
            ..Default::default()
        }
    }

    #[test]
    fn minimal_contact_defaults() {
        let c = draft("A@B.fi").validate().unwrap();
        assert_eq!(c.email, "a@b.fi");
        assert_eq!(c.category, Category::Customer);
        assert_eq!(c.source, Source::Direct);
    }

    #[test]
    fn all_errors_are_collected() {
        let mut d = draft("bad");
        d.phone = Some("x".into());
        d.started = Some("2026-13-01".into());
        d.category = Some("vip".into());
        let errs = d.validate().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "phone", "category", "started"]);
    }

    #[test]
    fn birth_date_only_for_students() {
        let mut d = draft("a@b.fi");
        d.birth_date = Some("1990-01-01".into());
        assert_eq!(d.validate().unwrap_err()[0].field, "birth_date");
        d.category = Some("student".into());
        assert!(d.validate().is_ok());
    }

    #[test]
    fn end_not_before_start() {
        let mut d = draft("a@b.fi");
        d.started = Some("2026-01-02".into());
        d.ended = Some("2026-01-01".into());
        assert_eq!(d.validate().unwrap_err()[0].field, "ended");
    }
}
