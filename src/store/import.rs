//! SQL for `contact import`: a bulk insert that streams, and the bookkeeping around it.
//!
//! Into an empty register the secondary indexes of `contacts` are dropped and built again
//! after the rows are in, inside the same transaction: building an index from sorted data
//! is several times faster than growing it row by row. A duplicate e-mail then surfaces
//! when the unique index is built, and [`repeated_emails`] finds the rows.

use crate::store::Tx;
use chrono::{Datelike, NaiveDate};
use rusqlite::{types::Null, Connection, OptionalExtension, Statement};

use crate::error::Result;
use crate::model::contact::ContactData;
use crate::model::contact::FieldValue;
use crate::model::field::FIELDS;
use crate::model::time;
use crate::store::contacts::{self, select_columns, Contact};

/// Runs `f` inside a savepoint of `tx`: what it wrote stays when it returns `Some`, and is
/// undone when it returns `None` (it met what it cannot settle) or fails.
pub fn or_undo<T>(tx: &Tx, f: impl FnOnce() -> Result<Option<T>>) -> Result<Option<T>> {
    let tx = tx.conn();
    tx.execute_batch("SAVEPOINT attempt")?;
    match f() {
        Ok(Some(v)) => {
            tx.execute_batch("RELEASE attempt")?;
            Ok(Some(v))
        }
        other => {
            tx.execute_batch("ROLLBACK TO attempt; RELEASE attempt")?;
            other
        }
    }
}

/// Turns the CHECK constraints of the statements prepared from now on off (or on again).
/// Those of `contacts` only restate the category and source enums, which the import binds
/// from their `as_str`; SQLite evaluates each `IN (…)` list by building a temporary b-tree
/// for every row, which was a fifth of a bulk import's time.
pub fn enum_checks(tx: &Tx, on: bool) -> Result<()> {
    let conn = tx.conn();
    conn.execute_batch(if on {
        "PRAGMA ignore_check_constraints = OFF"
    } else {
        "PRAGMA ignore_check_constraints = ON"
    })?;
    // Statements compiled under the other setting must not be reused.
    conn.flush_prepared_statement_cache();
    Ok(())
}

/// True when the register holds no contacts (the bulk path applies).
pub fn no_contacts(tx: &Tx) -> Result<bool> {
    let conn = tx.conn();
    Ok(
        conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM contacts)", [], |r| {
            r.get(0)
        })?,
    )
}

/// Drops the indexes of `contacts` (other than its primary key) and returns the
/// statements that create them again.
pub fn drop_contact_indexes(tx: &Tx) -> Result<Vec<(String, String)>> {
    let conn = tx.conn();
    let indexes = conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes)
}

/// Creates the indexes again; `Ok(false)` when a unique one cannot be built because two
/// rows share a value (an e-mail repeated in the imported file).
pub fn create_indexes(tx: &Tx, indexes: &[(String, String)]) -> Result<bool> {
    let conn = tx.conn();
    for (_, sql) in indexes {
        match conn.execute_batch(sql) {
            Ok(()) => {}
            Err(e) if contacts::is_unique_violation(&e) => return Ok(false),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(true)
}

/// Calls `each(id, id of the first contact with the same e-mail)` for every contact whose
/// e-mail an earlier one has, in id order.
pub fn repeated_emails(tx: &Tx, mut each: impl FnMut(i64, i64) -> Result<()>) -> Result<()> {
    let conn = tx.conn();
    let mut st = conn.prepare(
        "SELECT id, first FROM (SELECT id, min(id) OVER (PARTITION BY email) AS first FROM contacts)
         WHERE id <> first ORDER BY id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        each(r.get(0)?, r.get(1)?)?;
    }
    Ok(())
}

/// How many contacts have an e-mail that another one has too (all but the first of each).
pub fn count_repeated_emails(tx: &Tx) -> Result<u64> {
    let conn = tx.conn();
    Ok(conn.query_row(
        "SELECT count(*) - count(DISTINCT email) FROM contacts",
        [],
        |r| r.get(0),
    )?)
}

pub fn find_by_email(tx: &Tx, email: &str) -> Result<Option<Contact>> {
    let conn = tx.conn();
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM contacts WHERE email = ?1",
            select_columns()
        ))?
        .query_row([email], contacts::from_row)
        .optional()?)
}

/// Inserts contacts with one prepared statement, binding borrowed values: no per-row
/// statement lookup and no per-row strings beyond what validation made.
///
/// A taken e-mail fails the statement rather than `ON CONFLICT DO NOTHING`: the upsert
/// would still use up an AUTOINCREMENT id, and the new contacts' ids would not be one
/// unbroken range (which the audit event names).
pub struct Inserter<'c> {
    conn: &'c Connection,
    stmt: Statement<'c>,
}

impl<'c> Inserter<'c> {
    pub fn new(tx: &Tx<'c>, now: &str) -> Result<Inserter<'c>> {
        let conn = tx.conn();
        let mut stmt = conn.prepare(contacts::insert_sql())?;
        // The same for every row: bound once.
        stmt.raw_bind_parameter(FIELDS.len() + 1, now)?;
        Ok(Inserter { conn, stmt })
    }

    /// The new contact's id, or `None` when its e-mail is taken (under a unique index).
    pub fn insert(&mut self, c: &ContactData) -> Result<Option<i64>> {
        let st = &mut self.stmt;
        for (i, f) in FIELDS.iter().enumerate() {
            match c.value(f.field) {
                FieldValue::Text(t) => st.raw_bind_parameter(i + 1, t)?,
                FieldValue::Date(d) => bind_date(st, i + 1, d)?,
            }
        }
        match st.raw_execute() {
            Ok(_) => Ok(Some(self.conn.last_insert_rowid())),
            Err(e) if contacts::is_unique_violation(&e) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// Binds a date in its stored form `YYYY-MM-DD`, formatted on the stack.
fn bind_date(st: &mut Statement, i: usize, d: Option<NaiveDate>) -> rusqlite::Result<()> {
    let Some(d) = d else {
        return st.raw_bind_parameter(i, Null);
    };
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return st.raw_bind_parameter(i, time::format_date(&d));
    }
    let y = y as u32;
    let digit = |v: u32| b'0' + (v % 10) as u8;
    let buf = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    st.raw_bind_parameter(i, std::str::from_utf8(&buf).unwrap_or_default())
}

/// Maps the n-th data record of a file to the line it starts on, for messages about rows
/// found only after the bulk insert. Records usually follow one a line, so only the
/// exceptions (a quoted newline, a blank line) are kept, in a temporary table: memory
/// stays flat whatever the file holds.
#[derive(Debug, Default)]
pub struct LineMap {
    first: Option<(u64, u64)>,
    last: Option<(u64, u64)>,
    table: bool,
}

impl LineMap {
    /// Records that `record` (0-based) starts on `line`; call for every record in order.
    pub fn note(&mut self, tx: &Tx, record: u64, line: u64) -> Result<()> {
        let conn = tx.conn();
        match self.last {
            None => self.first = Some((record, line)),
            Some((r, l)) if l + (record - r) == line => return Ok(()),
            Some(_) => {
                if !self.table {
                    conn.execute_batch(
                        "CREATE TEMP TABLE import_lines (record INTEGER PRIMARY KEY, line INTEGER NOT NULL)",
                    )?;
                    self.table = true;
                }
                conn.prepare_cached(
                    "INSERT INTO temp.import_lines (record, line) VALUES (?1, ?2)",
                )?
                .execute([record as i64, line as i64])?;
            }
        }
        self.last = Some((record, line));
        Ok(())
    }

    /// The line `record` starts on.
    pub fn line(&self, tx: &Tx, record: u64) -> Result<u64> {
        let conn = tx.conn();
        let mut anchor = self.first.unwrap_or((0, 0));
        if self.table {
            let found: Option<(i64, i64)> = conn
                .query_row(
                    "SELECT record, line FROM temp.import_lines WHERE record <= ?1
                     ORDER BY record DESC LIMIT 1",
                    [record as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((r, l)) = found {
                anchor = (r as u64, l as u64);
            }
        }
        Ok(anchor.1 + record.saturating_sub(anchor.0))
    }

    /// Drops the temporary table, if one was made.
    pub fn finish(self, tx: &Tx) -> Result<()> {
        let conn = tx.conn();
        if self.table {
            conn.execute_batch("DROP TABLE temp.import_lines")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_map_keeps_only_exceptions() {
        let conn = Connection::open_in_memory().unwrap();
        let mut m = LineMap::default();
        // records 0..3 on lines 2..5, record 3 spans lines 5-7, record 4 on line 8
        for (rec, line) in [(0, 2), (1, 3), (2, 4), (3, 5), (4, 8), (5, 9)] {
            m.note(&Tx::new(&conn), rec, line).unwrap();
        }
        let lines: Vec<u64> = (0..6)
            .map(|r| m.line(&Tx::new(&conn), r).unwrap())
            .collect();
        assert_eq!(lines, [2, 3, 4, 5, 8, 9]);
        m.finish(&Tx::new(&conn)).unwrap();
    }

    #[test]
    fn dates_bind_in_stored_form() {
        let conn = Connection::open_in_memory().unwrap();
        let mut st = conn.prepare("SELECT ?1").unwrap();
        for d in ["2026-01-31", "0999-12-01"] {
            let date = time::parse_date(d).unwrap();
            bind_date(&mut st, 1, Some(date)).unwrap();
            let got: String = st.raw_query().next().unwrap().unwrap().get(0).unwrap();
            assert_eq!(got, d);
        }
    }
}

#[cfg(test)]
mod undo_tests {
    use super::*;

    fn rows(c: &Connection) -> i64 {
        c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_attempt_that_gives_way_or_fails_leaves_nothing_and_one_that_succeeds_stays() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (x); BEGIN").unwrap();
        let put = || c.execute("INSERT INTO t VALUES (1)", []).map(|_| ());
        assert_eq!(
            or_undo(&Tx::new(&c), || Ok(put().map(|_| None::<()>)?)).unwrap(),
            None
        );
        assert_eq!(rows(&c), 0);
        assert!(or_undo(&Tx::new(&c), || -> Result<Option<()>> {
            put()?;
            Err(crate::error::Error::Conflict("x".into()))
        })
        .is_err());
        assert_eq!(rows(&c), 0);
        assert_eq!(
            or_undo(&Tx::new(&c), || Ok(put().map(Some)?)).unwrap(),
            Some(())
        );
        assert_eq!(rows(&c), 1);
    }
}
