//! The contact's fields, named once. The CSV columns, the stored columns and their binds,
//! what `contact edit --clear` may empty, what `contact show` and the exports print, what a
//! person provided themselves (portability) and the labels of the documents all derive
//! from [`FIELDS`]; a new field is one row here plus its slot in the contact types, which
//! the exhaustive matches in `model::contact` make the compiler ask for.

/// One field of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Phone,
    Company,
    BusinessId,
    Position,
    Street,
    PostalCode,
    City,
    CustomerNumber,
    BirthDate,
    Category,
    Source,
    Started,
    Ended,
    LastContact,
    Notes,
}

/// How a field's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// ISO 8601 `YYYY-MM-DD`.
    Date,
    /// One of a closed set of words (category, source); always has a value.
    Word,
}

/// What the register knows about one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: Field,
    /// The CSV column and the stored column.
    pub column: &'static str,
    pub kind: Kind,
    /// Whether `contact edit --clear` may empty it (the e-mail is the key; the words always
    /// have a value).
    pub clearable: bool,
    /// Whether it is given by the person (or their employer on their behalf), and so part of
    /// a portability answer (Art. 20); the register's own bookkeeping is not.
    pub provided: bool,
    pub label_fi: &'static str,
    pub label_en: &'static str,
}

const fn spec(
    field: Field,
    column: &'static str,
    kind: Kind,
    clearable: bool,
    provided: bool,
    label_fi: &'static str,
    label_en: &'static str,
) -> FieldSpec {
    FieldSpec {
        field,
        column,
        kind,
        clearable,
        provided,
        label_fi,
        label_en,
    }
}

use Kind::{Date, Text, Word};

/// Every field, in CSV column order (after `id`).
pub const FIELDS: [FieldSpec; 18] = [
    spec(
        Field::FirstName,
        "first_name",
        Text,
        true,
        true,
        "Etunimi",
        "First name",
    ),
    spec(
        Field::LastName,
        "last_name",
        Text,
        true,
        true,
        "Sukunimi",
        "Last name",
    ),
    spec(
        Field::Email,
        "email",
        Text,
        false,
        true,
        "Sähköposti",
        "E-mail",
    ),
    spec(Field::Phone, "phone", Text, true, true, "Puhelin", "Phone"),
    spec(
        Field::Company,
        "company",
        Text,
        true,
        true,
        "Yritys",
        "Company",
    ),
    spec(
        Field::BusinessId,
        "business_id",
        Text,
        true,
        true,
        "Y-tunnus",
        "Business ID",
    ),
    spec(
        Field::Position,
        "position",
        Text,
        true,
        true,
        "Asema",
        "Position",
    ),
    spec(
        Field::Street,
        "street",
        Text,
        true,
        true,
        "Katuosoite",
        "Street address",
    ),
    spec(
        Field::PostalCode,
        "postal_code",
        Text,
        true,
        true,
        "Postinumero",
        "Postal code",
    ),
    spec(
        Field::City,
        "city",
        Text,
        true,
        true,
        "Postitoimipaikka",
        "City",
    ),
    spec(
        Field::CustomerNumber,
        "customer_number",
        Text,
        true,
        false,
        "Asiakasnumero",
        "Customer number",
    ),
    spec(
        Field::BirthDate,
        "birth_date",
        Date,
        true,
        true,
        "Syntymäaika",
        "Date of birth",
    ),
    spec(
        Field::Category,
        "category",
        Word,
        false,
        false,
        "Ryhmä",
        "Category",
    ),
    spec(
        Field::Source,
        "source",
        Word,
        false,
        false,
        "Tietolähde",
        "Source",
    ),
    spec(
        Field::Started,
        "started",
        Date,
        true,
        false,
        "Asiakkuus alkoi",
        "Relationship started",
    ),
    spec(
        Field::Ended,
        "ended",
        Date,
        true,
        false,
        "Asiakkuus päättyi",
        "Relationship ended",
    ),
    spec(
        Field::LastContact,
        "last_contact",
        Date,
        true,
        false,
        "Viimeisin yhteydenotto",
        "Last contact",
    ),
    spec(
        Field::Notes,
        "notes",
        Text,
        true,
        false,
        "Muistiinpanot",
        "Notes",
    ),
];

const fn count_clearable() -> usize {
    let (mut n, mut i) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].clearable {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn csv_columns() -> [&'static str; FIELDS.len() + 1] {
    let mut out = [""; FIELDS.len() + 1];
    out[0] = "id";
    let mut i = 0;
    while i < FIELDS.len() {
        out[i + 1] = FIELDS[i].column;
        i += 1;
    }
    out
}

const fn export_columns() -> [&'static str; FIELDS.len() + 2] {
    let mut out = [""; FIELDS.len() + 2];
    let csv = csv_columns();
    let mut i = 0;
    while i < csv.len() {
        out[i] = csv[i];
        i += 1;
    }
    out[csv.len()] = "restricted";
    out
}

const fn clearable() -> [&'static str; count_clearable()] {
    let mut out = [""; count_clearable()];
    let (mut n, mut i) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].clearable {
            out[n] = FIELDS[i].column;
            n += 1;
        }
        i += 1;
    }
    out
}

/// The columns of the contact CSV, in order: `export contacts` writes them, `contact import`
/// reads any subset of them (by name) that includes `email`.
pub const CSV_COLUMNS: [&str; FIELDS.len() + 1] = csv_columns();

/// The columns `export contacts` writes: [`CSV_COLUMNS`], then what the register says about
/// each contact beyond its fields (`restricted`: its processing is restricted, Art. 18).
/// `contact import` reads these too and ignores the ones after `CSV_COLUMNS`, as it ignores
/// `id`. Columns are only ever added at the end.
pub const EXPORT_COLUMNS: [&str; FIELDS.len() + 2] = export_columns();

/// Optional fields `contact edit --clear` may empty, by their column names.
pub const CLEARABLE: [&str; count_clearable()] = clearable();

impl Field {
    pub fn spec(self) -> &'static FieldSpec {
        // FIELDS is in declaration order; the test below holds it there.
        &FIELDS[self as usize]
    }

    pub fn column(self) -> &'static str {
        self.spec().column
    }

    /// The field a column name means (`postal-code` and `postal_code` alike).
    pub fn by_column(name: &str) -> Option<Field> {
        let key = name.trim().replace('-', "_");
        FIELDS.iter().find(|s| s.column == key).map(|s| s.field)
    }

    /// Its label in a document, `fi` or `en`.
    pub fn label(self, lang: &str) -> &'static str {
        match lang {
            "en" => self.spec().label_en,
            _ => self.spec().label_fi,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_declaration_order_with_unique_columns() {
        let mut seen = std::collections::HashSet::new();
        for (i, s) in FIELDS.iter().enumerate() {
            assert_eq!(s.field as usize, i, "{}", s.column);
            assert!(seen.insert(s.column));
            assert_eq!(Field::by_column(s.column), Some(s.field));
        }
    }

    #[test]
    fn derived_lists_keep_todays_columns() {
        assert_eq!(
            CSV_COLUMNS.join(","),
            "id,first_name,last_name,email,phone,company,business_id,position,street,postal_code,\
             city,customer_number,birth_date,category,source,started,ended,last_contact,notes"
        );
        assert_eq!(
            EXPORT_COLUMNS.join(","),
            format!("{},restricted", CSV_COLUMNS.join(","))
        );
        assert_eq!(
            CLEARABLE.join(","),
            "first_name,last_name,phone,company,business_id,position,street,postal_code,city,\
             customer_number,birth_date,started,ended,last_contact,notes"
        );
        assert_eq!(Field::by_column("postal-code"), Some(Field::PostalCode));
        assert_eq!(Field::Phone.label("fi"), "Puhelin");
    }
}
