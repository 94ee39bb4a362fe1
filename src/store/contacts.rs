//! Contacts: the people in the register.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::contact::{Category, ContactData, Source};
use crate::model::time;
use chrono::NaiveDate;

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

/// Sets (or clears) the relationship's end date.
pub fn set_ended(conn: &Connection, id: i64, ended: Option<NaiveDate>, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE contacts SET ended = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, d(&ended), now])?;
    Ok(())
}

/// Sets the last-contact date (the caller decides it moves forward: `model::history`).
pub fn set_last_contact(conn: &Connection, id: i64, date: NaiveDate, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE contacts SET last_contact = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, time::format_date(&date), now])?;
    Ok(())
}

/// What `contact list` selects; `None` means no filter.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Text in the full name, e-mail or company, case-insensitively (Unicode).
    pub search: Option<String>,
    pub category: Option<Category>,
    /// Text in the company name, case-insensitively.
    pub company: Option<String>,
    /// `Some(true)`: only relationships that have ended by `today`; `Some(false)`: only the others.
    pub ended: Option<bool>,
    /// A normalised tag name.
    pub tag: Option<String>,
    pub limit: Option<u32>,
}

/// Streams the matching contacts, sorted by last name, first name and id, to `each`.
pub fn list(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    mut each: impl FnMut(&Contact) -> Result<()>,
) -> Result<()> {
    use rusqlite::types::Value;
    let mut sql = format!("SELECT {SELECT_COLUMNS} FROM contacts WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, v: Value| {
        args.push(v);
        // Each clause refers to its own argument as `?N`.
        sql.push_str(&clause.replace("?N", &format!("?{}", args.len())));
    };
    let needle = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::Text(crate::model::casefold(s)))
    };
    if let Some(v) = needle(&f.search) {
        // casefold() is Unicode-aware; instr() needs no escaping of % and _ as LIKE would.
        arg(
            &mut sql,
            " AND (instr(casefold(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ?N) > 0
                OR instr(casefold(email), ?N) > 0
                OR instr(casefold(company), ?N) > 0)",
            v,
        );
    }
    if let Some(v) = needle(&f.company) {
        arg(&mut sql, " AND instr(casefold(company), ?N) > 0", v);
    }
    if let Some(c) = f.category {
        arg(
            &mut sql,
            " AND category = ?N",
            Value::Text(c.as_str().into()),
        );
    }
    match f.ended {
        Some(true) => arg(
            &mut sql,
            " AND ended IS NOT NULL AND ended <= ?N",
            Value::Text(time::format_date(&today)),
        ),
        Some(false) => arg(
            &mut sql,
            " AND (ended IS NULL OR ended > ?N)",
            Value::Text(time::format_date(&today)),
        ),
        None => {}
    }
    if let Some(t) = &f.tag {
        arg(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = contacts.id AND t.tag = ?N)",
            Value::Text(t.clone()),
        );
    }
    sql.push_str(
        " ORDER BY last_name COLLATE FINNISH NULLS LAST, first_name COLLATE FINNISH NULLS LAST, id",
    );
    if let Some(n) = f.limit {
        arg(&mut sql, " LIMIT ?N", Value::Integer(n.into()));
    }
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(args))?;
    while let Some(r) = rows.next()? {
        each(&from_row(r)?)?;
    }
    Ok(())
}

/// The ids `export contacts` writes, and how many restricted contacts (Art. 18) it leaves
/// out unless `include_restricted`.
pub fn export_ids(
    conn: &Connection,
    include_restricted: bool,
) -> Result<(crate::store::audit::IdRanges, u64)> {
    let mut st = conn.prepare("SELECT id, restricted_at IS NOT NULL FROM contacts ORDER BY id")?;
    let mut rows = st.query([])?;
    let mut ids = crate::store::audit::IdRanges::new();
    let mut skipped = 0u64;
    while let Some(r) = rows.next()? {
        if r.get::<_, bool>(1)? && !include_restricted {
            skipped += 1;
        } else {
            ids.push(r.get(0)?);
        }
    }
    Ok((ids, skipped))
}

/// Streams every contact in id order as its `CSV_COLUMNS` values after `id`, and whether
/// its processing is restricted (Art. 18). Values are borrowed: nothing is held per row.
pub fn for_each_csv_row(
    conn: &Connection,
    mut each: impl FnMut(i64, &[Option<&str>; 18], bool) -> Result<()>,
) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT id, first_name, last_name, email, phone, company, business_id, position, street,
            postal_code, city, customer_number, birth_date, category, source, started, ended,
            last_contact, notes, restricted_at IS NOT NULL
         FROM contacts ORDER BY id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let mut fields: [Option<&str>; 18] = [None; 18];
        for (i, f) in fields.iter_mut().enumerate() {
            *f = r.get_ref(i + 1)?.as_str_or_null().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i + 1,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?;
        }
        each(r.get(0)?, &fields, r.get(19)?)?;
    }
    Ok(())
}

/// Streams every contact's id, e-mail and names in id order (`rekisteri check`): borrowed,
/// so nothing is held per row.
pub fn for_each_identity(
    conn: &Connection,
    mut each: impl FnMut(i64, &str, Option<&str>, Option<&str>) -> Result<()>,
) -> Result<()> {
    let mut st =
        conn.prepare("SELECT id, email, first_name, last_name FROM contacts ORDER BY id")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<Option<&str>> {
            r.get_ref(i)?.as_str_or_null().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        };
        each(r.get(0)?, text(1)?.unwrap_or(""), text(2)?, text(3)?)?;
    }
    Ok(())
}
