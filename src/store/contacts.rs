//! Contacts: the people in the register.

use crate::store::Tx;
use rusqlite::{params, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::contact::{Category, ContactData};
use crate::model::field::FIELDS;
use crate::model::time;
use chrono::NaiveDate;
use std::sync::LazyLock;

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: i64,
    pub data: ContactData,
    pub created_at: String,
    pub updated_at: String,
    pub restricted_at: Option<String>,
}

/// The stored columns: `id`, the fields in [`FIELDS`] order, then the bookkeeping ones; for
/// SELECTs read by [`from_row`].
pub fn select_columns() -> &'static str {
    static COLUMNS: LazyLock<String> = LazyLock::new(|| {
        let fields: Vec<&str> = FIELDS.iter().map(|f| f.column).collect();
        format!(
            "id, {}, created_at, updated_at, restricted_at",
            fields.join(", ")
        )
    });
    &COLUMNS
}

/// The fields' columns joined, and `?1, ?2, …` for them: for INSERTs binding [`FIELDS`] in
/// order, then `now` as `?{n+1}`.
pub(in crate::store) fn insert_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let n = FIELDS.len();
        let cols: Vec<&str> = FIELDS.iter().map(|f| f.column).collect();
        let params: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO contacts ({}, created_at, updated_at) VALUES ({}, ?{}, ?{})",
            cols.join(", "),
            params.join(", "),
            n + 1,
            n + 1
        )
    });
    &SQL
}

/// `c`'s fields as bound to `?1…?n`, in [`FIELDS`] order (dates as `YYYY-MM-DD`).
fn field_values(c: &ContactData) -> Vec<Option<String>> {
    FIELDS
        .iter()
        .map(|f| c.value(f.field).text().map(|t| t.into_owned()))
        .collect()
}

pub fn from_row(r: &Row) -> rusqlite::Result<Contact> {
    let mut failed = None;
    let data = ContactData::from_stored(|f| match r.get::<_, Option<String>>(f as usize + 1) {
        Ok(v) => v,
        Err(e) => {
            failed.get_or_insert(e);
            None
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let n = FIELDS.len();
    Ok(Contact {
        id: r.get(0)?,
        data,
        created_at: r.get(n + 1)?,
        updated_at: r.get(n + 2)?,
        restricted_at: r.get(n + 3)?,
    })
}

/// Finds a contact by id (digits) or e-mail (case-insensitive).
pub fn resolve(tx: &Tx, key: &str) -> Result<i64> {
    let conn = tx.conn();
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

pub fn get(tx: &Tx, id: i64) -> Result<Contact> {
    let conn = tx.conn();
    conn.prepare_cached(&format!(
        "SELECT {} FROM contacts WHERE id = ?1",
        select_columns()
    ))?
    .query_row([id], from_row)
    .optional()?
    .ok_or_else(|| Error::not_found("contact", id.to_string()))
}

fn d(v: &Option<chrono::NaiveDate>) -> Option<String> {
    v.as_ref().map(time::format_date)
}

/// Inserts a validated contact; a taken e-mail is a conflict.
pub fn insert(tx: &Tx, c: &ContactData, now: &str) -> Result<i64> {
    let conn = tx.conn();
    let mut values = field_values(c);
    values.push(Some(now.to_string()));
    let res = conn
        .prepare_cached(insert_sql())?
        .execute(rusqlite::params_from_iter(values));
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
pub fn update(tx: &Tx, id: i64, c: &ContactData, now: &str) -> Result<()> {
    let conn = tx.conn();
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let n = FIELDS.len();
        let sets: Vec<String> = FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} = ?{}", f.column, i + 2))
            .collect();
        format!(
            "UPDATE contacts SET {}, updated_at = ?{} WHERE id = ?1",
            sets.join(", "),
            n + 2
        )
    });
    let mut values: Vec<rusqlite::types::Value> = vec![id.into()];
    values.extend(field_values(c).into_iter().map(|v| match v {
        Some(t) => t.into(),
        None => rusqlite::types::Value::Null,
    }));
    values.push(now.to_string().into());
    let res = conn
        .prepare_cached(&SQL)?
        .execute(rusqlite::params_from_iter(values));
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
pub fn set_ended(tx: &Tx, id: i64, ended: Option<NaiveDate>, now: &str) -> Result<()> {
    let conn = tx.conn();
    conn.prepare_cached("UPDATE contacts SET ended = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, d(&ended), now])?;
    Ok(())
}

/// Marks the contact's processing restricted (Art. 18) from `at`, or ends the restriction.
pub fn set_restricted(tx: &Tx, id: i64, at: Option<&str>, now: &str) -> Result<()> {
    tx.conn()
        .prepare_cached("UPDATE contacts SET restricted_at = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, at, now])?;
    Ok(())
}

/// Sets the last-contact date (the caller decides it moves forward: `model::history`).
pub fn set_last_contact(tx: &Tx, id: i64, date: NaiveDate, now: &str) -> Result<()> {
    let conn = tx.conn();
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
    tx: &Tx,
    f: &ListFilter,
    today: NaiveDate,
    mut each: impl FnMut(&Contact) -> Result<()>,
) -> Result<()> {
    let conn = tx.conn();
    use rusqlite::types::Value;
    let mut sql = format!("SELECT {} FROM contacts WHERE 1 = 1", select_columns());
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

/// The ids `export contacts` writes (restricted contacts (Art. 18) among them when
/// `include_restricted`), and how many contacts are restricted.
pub fn export_ids(
    tx: &Tx,
    include_restricted: bool,
) -> Result<(crate::store::audit::IdRanges, u64)> {
    let mut st = tx
        .conn()
        .prepare("SELECT id, restricted_at IS NOT NULL FROM contacts ORDER BY id")?;
    let mut rows = st.query([])?;
    let mut ids = crate::store::audit::IdRanges::new();
    let mut restricted = 0u64;
    while let Some(r) = rows.next()? {
        let is_restricted = r.get::<_, bool>(1)?;
        restricted += u64::from(is_restricted);
        if include_restricted || !is_restricted {
            ids.push(r.get(0)?);
        }
    }
    Ok((ids, restricted))
}

/// Streams every contact in id order as its `CSV_COLUMNS` values after `id`, and whether
/// its processing is restricted (Art. 18). Values are borrowed: nothing is held per row.
pub fn for_each_csv_row(
    tx: &Tx,
    mut each: impl FnMut(i64, &[Option<&str>; FIELDS.len()], bool) -> Result<()>,
) -> Result<()> {
    let conn = tx.conn();
    let cols: Vec<&str> = FIELDS.iter().map(|f| f.column).collect();
    let mut st = conn.prepare(&format!(
        "SELECT id, {}, restricted_at IS NOT NULL FROM contacts ORDER BY id",
        cols.join(", ")
    ))?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let mut fields: [Option<&str>; FIELDS.len()] = [None; FIELDS.len()];
        for (i, f) in fields.iter_mut().enumerate() {
            *f = r.get_ref(i + 1)?.as_str_or_null().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i + 1,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?;
        }
        each(r.get(0)?, &fields, r.get(FIELDS.len() + 1)?)?;
    }
    Ok(())
}

/// Streams every contact's id, e-mail and names in id order (`rekisteri check`): borrowed,
/// so nothing is held per row.
pub fn for_each_identity(
    tx: &Tx,
    mut each: impl FnMut(i64, &str, Option<&str>, Option<&str>) -> Result<()>,
) -> Result<()> {
    let conn = tx.conn();
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
