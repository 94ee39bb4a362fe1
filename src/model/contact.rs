//! A person in the register: the fields kept, their categories and validation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{time, validate};

use crate::model::field::{Field, FIELDS};
pub use crate::model::field::{CSV_COLUMNS, EXPORT_COLUMNS};
use std::borrow::Cow;

/// Category of relationship; each has its own legal basis and retention rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

const NAME_MAX: usize = validate::NAME_MAX;

/// The earliest contact date the register accepts: anything before it is a typing error
/// (`0000-01-01`, `1026-…`), not a person or a relationship.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Every contact date (birth date, start, end, last contact) is on or after
/// [`EARLIEST_DATE`] and not after `today`: they record what has happened, and a date in
/// the future would push the retention clock counted from them into the future.
pub fn check_contact_date(date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if date < EARLIEST_DATE || date > today {
        Err(format!(
            "expected a date from {} to today ({})",
            time::format_date(&EARLIEST_DATE),
            time::format_date(&today)
        ))
    } else {
        Ok(())
    }
}
const NOTES_MAX: usize = 10_000;

/// A borrowed view of a draft, so an import can validate fields straight out of a CSV
/// record without copying them; [`ContactDraft::validate`] runs through the same code.
#[derive(Debug, Clone, Copy, Default)]
pub struct DraftRef<'a> {
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub company: Option<&'a str>,
    pub business_id: Option<&'a str>,
    pub position: Option<&'a str>,
    pub street: Option<&'a str>,
    pub postal_code: Option<&'a str>,
    pub city: Option<&'a str>,
    pub customer_number: Option<&'a str>,
    pub birth_date: Option<&'a str>,
    pub category: Option<&'a str>,
    pub source: Option<&'a str>,
    pub started: Option<&'a str>,
    pub ended: Option<&'a str>,
    pub last_contact: Option<&'a str>,
    pub notes: Option<&'a str>,
}

impl ContactDraft {
    pub fn as_ref(&self) -> DraftRef<'_> {
        let mut r = DraftRef::default();
        for f in FIELDS {
            *r.slot(f.field) = self.get(f.field);
        }
        r
    }

    /// The field's slot.
    pub fn slot(&mut self, f: Field) -> &mut Option<String> {
        match f {
            Field::FirstName => &mut self.first_name,
            Field::LastName => &mut self.last_name,
            Field::Email => &mut self.email,
            Field::Phone => &mut self.phone,
            Field::Company => &mut self.company,
            Field::BusinessId => &mut self.business_id,
            Field::Position => &mut self.position,
            Field::Street => &mut self.street,
            Field::PostalCode => &mut self.postal_code,
            Field::City => &mut self.city,
            Field::CustomerNumber => &mut self.customer_number,
            Field::BirthDate => &mut self.birth_date,
            Field::Category => &mut self.category,
            Field::Source => &mut self.source,
            Field::Started => &mut self.started,
            Field::Ended => &mut self.ended,
            Field::LastContact => &mut self.last_contact,
            Field::Notes => &mut self.notes,
        }
    }

    pub fn get(&self, f: Field) -> Option<&str> {
        match f {
            Field::FirstName => self.first_name.as_deref(),
            Field::LastName => self.last_name.as_deref(),
            Field::Email => self.email.as_deref(),
            Field::Phone => self.phone.as_deref(),
            Field::Company => self.company.as_deref(),
            Field::BusinessId => self.business_id.as_deref(),
            Field::Position => self.position.as_deref(),
            Field::Street => self.street.as_deref(),
            Field::PostalCode => self.postal_code.as_deref(),
            Field::City => self.city.as_deref(),
            Field::CustomerNumber => self.customer_number.as_deref(),
            Field::BirthDate => self.birth_date.as_deref(),
            Field::Category => self.category.as_deref(),
            Field::Source => self.source.as_deref(),
            Field::Started => self.started.as_deref(),
            Field::Ended => self.ended.as_deref(),
            Field::LastContact => self.last_contact.as_deref(),
            Field::Notes => self.notes.as_deref(),
        }
    }

    /// Validates a new contact: every error is collected, not just the first.
    /// A missing source means `direct`, a missing category `customer`.
    pub fn validate(&self, today: NaiveDate) -> Result<ContactData, Vec<FieldError>> {
        self.as_ref().validate(today)
    }
}

impl<'a> DraftRef<'a> {
    /// The field's slot.
    pub fn slot(&mut self, f: Field) -> &mut Option<&'a str> {
        match f {
            Field::FirstName => &mut self.first_name,
            Field::LastName => &mut self.last_name,
            Field::Email => &mut self.email,
            Field::Phone => &mut self.phone,
            Field::Company => &mut self.company,
            Field::BusinessId => &mut self.business_id,
            Field::Position => &mut self.position,
            Field::Street => &mut self.street,
            Field::PostalCode => &mut self.postal_code,
            Field::City => &mut self.city,
            Field::CustomerNumber => &mut self.customer_number,
            Field::BirthDate => &mut self.birth_date,
            Field::Category => &mut self.category,
            Field::Source => &mut self.source,
            Field::Started => &mut self.started,
            Field::Ended => &mut self.ended,
            Field::LastContact => &mut self.last_contact,
            Field::Notes => &mut self.notes,
        }
    }

    /// Validates a new contact: [`DraftRef::normalise`] and then [`ContactData::check_rules`].
    pub fn validate(&self, today: NaiveDate) -> Result<ContactData, Vec<FieldError>> {
        let (data, mut errs) = self.normalise();
        errs.extend(data.check_rules(today));
        if errs.is_empty() {
            Ok(data)
        } else {
            Err(errs)
        }
    }

    /// Each field on its own: checked and normalised, every error collected. A field in
    /// error is left empty (or at its default) in the returned data. The rules across
    /// fields are [`ContactData::check_rules`], run on the data the contact will end up with.
    pub fn normalise(&self) -> (ContactData, Vec<FieldError>) {
        let mut errs = Vec::new();
        let email = match self.email.map(str::trim) {
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
        let mut text = |field: &'static str, v: Option<&str>, max: usize| -> Option<String> {
            let v = v?;
            match validate::text(v, max) {
                Ok(t) => t,
                Err(x) => {
                    errs.push(fe(field, v, &x));
                    None
                }
            }
        };
        let first_name = text("first_name", self.first_name, NAME_MAX);
        let last_name = text("last_name", self.last_name, NAME_MAX);
        let company = text("company", self.company, NAME_MAX);
        let position = text("position", self.position, NAME_MAX);
        let street = text("street", self.street, NAME_MAX);
        let postal_code = text("postal_code", self.postal_code, 20);
        let city = text("city", self.city, NAME_MAX);
        let customer_number = text("customer_number", self.customer_number, 100);
        let notes = text("notes", self.notes, NOTES_MAX);

        let phone = nonempty(self.phone).and_then(|v| match validate::phone(v) {
            Ok(p) => Some(p),
            Err(x) => {
                errs.push(fe("phone", v, x));
                None
            }
        });
        let business_id = nonempty(self.business_id).and_then(|v| match validate::business_id(v) {
            Ok(p) => Some(p),
            Err(x) => {
                errs.push(fe("business_id", v, x));
                None
            }
        });
        let category = match nonempty(self.category) {
            None => Category::Customer,
            Some(v) => Category::parse(v).unwrap_or_else(|| {
                errs.push(fe("category", v, Category::ACCEPTED));
                Category::Customer
            }),
        };
        let source = match nonempty(self.source) {
            None => Source::Direct,
            Some(v) => Source::parse(v).unwrap_or_else(|| {
                errs.push(fe("source", v, Source::ACCEPTED));
                Source::Direct
            }),
        };
        let mut date = |field: &'static str, v: Option<&str>| -> Option<NaiveDate> {
            let v = nonempty(v)?;
            let d = time::parse_date(v);
            if d.is_none() {
                errs.push(fe(field, v, time::DATE_EXPECTED));
            }
            d
        };
        let birth_date = date("birth_date", self.birth_date);
        let started = date("started", self.started);
        let ended = date("ended", self.ended);
        let last_contact = date("last_contact", self.last_contact);

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
        (data, errs)
    }
}

/// One field's value as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue<'a> {
    Text(Option<&'a str>),
    Date(Option<NaiveDate>),
}

impl FieldValue<'_> {
    /// As written in the CSV and stored: dates `YYYY-MM-DD`.
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            FieldValue::Text(t) => t.map(Cow::Borrowed),
            FieldValue::Date(d) => d.as_ref().map(|d| Cow::Owned(time::format_date(d))),
        }
    }
}

impl ContactData {
    pub fn value(&self, f: Field) -> FieldValue<'_> {
        use FieldValue::{Date, Text};
        match f {
            Field::FirstName => Text(self.first_name.as_deref()),
            Field::LastName => Text(self.last_name.as_deref()),
            Field::Email => Text(Some(&self.email)),
            Field::Phone => Text(self.phone.as_deref()),
            Field::Company => Text(self.company.as_deref()),
            Field::BusinessId => Text(self.business_id.as_deref()),
            Field::Position => Text(self.position.as_deref()),
            Field::Street => Text(self.street.as_deref()),
            Field::PostalCode => Text(self.postal_code.as_deref()),
            Field::City => Text(self.city.as_deref()),
            Field::CustomerNumber => Text(self.customer_number.as_deref()),
            Field::BirthDate => Date(self.birth_date),
            Field::Category => Text(Some(self.category.as_str())),
            Field::Source => Text(Some(self.source.as_str())),
            Field::Started => Date(self.started),
            Field::Ended => Date(self.ended),
            Field::LastContact => Date(self.last_contact),
            Field::Notes => Text(self.notes.as_deref()),
        }
    }

    /// A stored contact, from its columns' text (`get` gives a column's value). Stored
    /// values passed validation when written; one that no longer parses reads as empty (or
    /// as the default word) rather than failing the whole read.
    pub fn from_stored(mut get: impl FnMut(Field) -> Option<String>) -> ContactData {
        let mut date = |f| get(f).and_then(|s| time::parse_date(&s));
        let (birth_date, started, ended, last_contact) = (
            date(Field::BirthDate),
            date(Field::Started),
            date(Field::Ended),
            date(Field::LastContact),
        );
        ContactData {
            first_name: get(Field::FirstName),
            last_name: get(Field::LastName),
            email: get(Field::Email).unwrap_or_default(),
            phone: get(Field::Phone),
            company: get(Field::Company),
            business_id: get(Field::BusinessId),
            position: get(Field::Position),
            street: get(Field::Street),
            postal_code: get(Field::PostalCode),
            city: get(Field::City),
            customer_number: get(Field::CustomerNumber),
            birth_date,
            category: get(Field::Category)
                .and_then(|s| Category::parse(&s))
                .unwrap_or(Category::Customer),
            source: get(Field::Source)
                .and_then(|s| Source::parse(&s))
                .unwrap_or(Source::Direct),
            started,
            ended,
            last_contact,
            notes: get(Field::Notes),
        }
    }

    /// The rules that need more than one field or the date, checked on add, edit and
    /// import alike: dates within [`check_contact_date`], a birth date for students only,
    /// an end not before the start.
    pub fn check_rules(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut in_range = |field: &'static str, date: Option<NaiveDate>| match date {
            Some(d) => match check_contact_date(d, today) {
                Ok(()) => true,
                Err(expected) => {
                    errs.push(FieldError {
                        field,
                        value: time::format_date(&d),
                        expected,
                    });
                    false
                }
            },
            None => true,
        };
        in_range("birth_date", self.birth_date);
        let started_ok = in_range("started", self.started);
        let ended_ok = in_range("ended", self.ended);
        in_range("last_contact", self.last_contact);
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
            // An end before a start already refused adds nothing.
            if e < s && started_ok && ended_ok {
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

    /// Overwrites these fields with the ones `given` has non-empty (an import with
    /// `--on-duplicate update`); `new` is `given` normalised. The e-mail stays: it is the key.
    pub fn overlay(&mut self, given: &DraftRef, new: ContactData) {
        fn put<T>(dst: &mut Option<T>, v: Option<T>) {
            if v.is_some() {
                *dst = v;
            }
        }
        put(&mut self.first_name, new.first_name);
        put(&mut self.last_name, new.last_name);
        put(&mut self.phone, new.phone);
        put(&mut self.company, new.company);
        put(&mut self.business_id, new.business_id);
        put(&mut self.position, new.position);
        put(&mut self.street, new.street);
        put(&mut self.postal_code, new.postal_code);
        put(&mut self.city, new.city);
        put(&mut self.customer_number, new.customer_number);
        put(&mut self.birth_date, new.birth_date);
        put(&mut self.started, new.started);
        put(&mut self.ended, new.ended);
        put(&mut self.last_contact, new.last_contact);
        put(&mut self.notes, new.notes);
        // Category and source always have a value; only a given one replaces the stored one.
        if nonempty(given.category).is_some() {
            self.category = new.category;
        }
        if nonempty(given.source).is_some() {
            self.source = new.source;
        }
    }
}

fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
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
    use chrono::Datelike;

    fn today() -> NaiveDate {
        d("2026-11-23")
    }

    fn d(s: &str) -> NaiveDate {
        time::parse_date(s).unwrap()
    }

    fn draft(email: &str) -> ContactDraft {
        ContactDraft {
            email: Some(email.into()),
            ..Default::default()
        }
    }

    #[test]
    fn minimal_contact_defaults() {
        let c = draft("A@B.fi").validate(today()).unwrap();
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
        let errs = d.validate(today()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "phone", "category", "started"]);
    }

    #[test]
    fn birth_date_only_for_students() {
        let mut d = draft("a@b.fi");
        d.birth_date = Some("1990-01-01".into());
        assert_eq!(d.validate(today()).unwrap_err()[0].field, "birth_date");
        d.category = Some("student".into());
        assert!(d.validate(today()).is_ok());
    }

    #[test]
    fn overlay_takes_only_given_fields() {
        let mut stored = ContactDraft {
            email: Some("a@b.fi".into()),
            first_name: Some("Äini".into()),
            city: Some("Oulu".into()),
            category: Some("student".into()),
            birth_date: Some("2000-01-02".into()),
            source: Some("public".into()),
            ..Default::default()
        }
        .validate(today())
        .unwrap();
        let given = DraftRef {
            email: Some("A@b.fi"),
            first_name: Some(" "),
            city: Some("Åbo"),
            category: Some(""),
            ..Default::default()
        };
        let (new, errs) = given.normalise();
        assert!(errs.is_empty());
        stored.overlay(&given, new);
        assert_eq!(stored.first_name.as_deref(), Some("Äini"));
        assert_eq!(stored.city.as_deref(), Some("Åbo"));
        assert_eq!(stored.category, Category::Student);
        assert_eq!(stored.source, Source::Public);
        assert!(stored.check_rules(today()).is_empty());
    }

    #[test]
    fn end_not_before_start() {
        let mut d = draft("a@b.fi");
        d.started = Some("2026-01-02".into());
        d.ended = Some("2026-01-01".into());
        assert_eq!(d.validate(today()).unwrap_err()[0].field, "ended");
    }

    #[test]
    fn contact_dates_from_1900_to_today() {
        let today = today();
        for ok in ["1900-01-01", "1990-05-01", "2026-11-23"] {
            assert_eq!(check_contact_date(d(ok), today), Ok(()), "{ok}");
        }
        for bad in ["0000-01-01", "1899-12-31", "2026-11-24", "2099-01-01"] {
            assert_eq!(
                check_contact_date(d(bad), today),
                Err("expected a date from 1900-01-01 to today (2026-11-23)".into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_contact_date_is_checked_and_named() {
        let mut c = draft("a@b.fi");
        c.category = Some("student".into());
        c.birth_date = Some("2030-01-01".into());
        c.started = Some("0000-01-01".into());
        c.ended = Some("2026-11-24".into());
        c.last_contact = Some("1899-12-31".into());
        let errs = c.validate(today()).unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field, e.value.as_str())).collect();
        // No "end before start" on top of the start's own error.
        assert_eq!(
            got,
            [
                ("birth_date", "2030-01-01"),
                ("started", "0000-01-01"),
                ("ended", "2026-11-24"),
                ("last_contact", "1899-12-31"),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn the_date_rule_is_the_range(days in -800_000i64..800_000, back in 0i64..60_000) {
            let today = EARLIEST_DATE + chrono::Duration::days(back);
            let date = today + chrono::Duration::days(days);
            let ok = check_contact_date(date, today).is_ok();
            proptest::prop_assert_eq!(ok, date >= EARLIEST_DATE && date <= today);
            // validate applies exactly this rule to each date field.
            let mut c = draft("a@b.fi");
            c.last_contact = Some(time::format_date(&date));
            if date.year() >= 0 && date.year() <= 9999 {
                proptest::prop_assert_eq!(c.validate(today).is_ok(), ok);
            }
        }
    }
}
