//! Contacts: the people in the register.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::contact::{Category, ContactData, Source};
use crate::model::time;

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: i64,
    pub data: ContactData,
    pub created_at: String,
    pub updated_at: String,
    pub restricted_at: Option<String>,
}

/// The stored columns in `CSV_COLUMNS` order, then the bookkeeping ones; for SELECTs.
pub const SELECT_COLUMNS: &str =
    "id, first_name, last_name, email, phone, company, business_id, position, \
    street, postal_code, city, customer_number, birth_date, category, source, started, ended, \
    last_contact, notes, created_at, updated_at, restricted_at";

pub fn from_row(r: &Row) -> rusqlite::Result<Contact> {
    let date = |i: usize| -> rusqlite::Result<Option<chrono::NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?
            .and_then(|s| time::parse_date(&s)))
    };
    let category: String = r.get(13)?;
    let source: String = r.get(14)?;
    Ok(Contact {
        id: r.get(0)?,
        data: ContactData {
            first_name: r.get(1)?,
            last_name: r.get(2)?,
            email: r.get(3)?,
            phone: r.get(4)?,
            company: r.get(5)?,
            business_id: r.get(6)?,
            position: r.get(7)?,
            street: r.get(8)?,
            postal_code: r.get(9)?,
            city: r.get(10)?,
            customer_number: r.get(11)?,
            birth_date: date(12)?,
            category: Category::parse(&category).unwrap_or(Category::Customer),
            source: Source::parse(&source).unwrap_or(Source::Direct),
            started: date(15)?,
            ended: date(16)?,
            last_contact: date(17)?,
            notes: r.get(18)?,
        },
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
        restricted_at: r.get(21)?,
    })
}

/// Finds a contact by id (digits) or e-mail (case-insensitive).
pub fn resolve(conn: &Connection, key: &str) -> Result<i64> {
    let k = key.trim();
    let found: Option<i64> = if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
        match k.parse::<i64>() {
            Ok(id) => conn
                .prepare_cached("SELECT id FROM contacts WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?,
            Err(_) => None,
        }
    } else {
        conn.prepare_cached("SELECT id FROM contacts WHERE email = ?1")?
            .query_row([crate::model::casefold(k)], |r| r.get(0))
            .optional()?
    };
    found.ok_or_else(|| Error::not_found("contact", k))
}

pub fn get(conn: &Connection, id: i64) -> Result<Contact> {
    conn.prepare_cached(&format!(
        "SELECT {SELECT_COLUMNS} FROM contacts WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()?
    .ok_or_else(|| Error::not_found("contact", id.to_string()))
}

fn d(v: &Option<chrono::NaiveDate>) -> Option<String> {
    v.as_ref().map(time::format_date)
}

/// Inserts a validated contact; a taken e-mail is a conflict.
pub fn insert(conn: &Connection, c: &ContactData, now: &str) -> Result<i64> {
    let res = conn
        .prepare_cached(
            "INSERT INTO contacts (first_name, last_name, email, phone, company, business_id, position,
                street, postal_code, city, customer_number, birth_date, category, source, started, ended,
                last_contact, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)",
        )?
        .execute(params![
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            c.company,
            c.business_id,
            c.position,
            c.street,
            c.postal_code,
            c.city,
            c.customer_number,
            d(&c.birth_date),
            c.category.as_str(),
            c.source.as_str(),
            d(&c.started),
            d(&c.ended),
            d(&c.last_contact),
            c.notes,
            now,
        ]);
    match res {
        Ok(_) => Ok(conn.last_insert_rowid()),
        Err(e) if is_unique_violation(&e) => Err(Error::Conflict(format!(
            "a contact with e-mail {} already exists",
            c.email
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Replaces a contact's fields (rectification); a taken e-mail is a conflict.
pub fn update(conn: &Connection, id: i64, c: &ContactData, now: &str) -> Result<()> {
    let res = conn
        .prepare_cached(
            "UPDATE contacts SET first_name = ?2, last_name = ?3, email = ?4, phone = ?5, company = ?6,
                business_id = ?7, position = ?8, street = ?9, postal_code = ?10, city = ?11,
                customer_number = ?12, birth_date = ?13, category = ?14, source = ?15, started = ?16,
                ended = ?17, last_contact = ?18, notes = ?19, updated_at = ?20
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            c.company,
            c.business_id,
            c.position,
            c.street,
            c.postal_code,
            c.city,
            c.customer_number,
            d(&c.birth_date),
            c.category.as_str(),
            c.source.as_str(),
            d(&c.started),
            d(&c.ended),
            d(&c.last_contact),
            c.notes,
            now,
        ]);
    match res {
        Ok(0) => Err(Error::not_found("contact", id.to_string())),
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(Error::Conflict(format!(
            "another contact already has the e-mail {}",
            c.email
        ))),
        Err(e) => Err(e.into()),
    }
}

pub fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}
