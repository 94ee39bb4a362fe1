//! A contact's history: contacts (the contact log), courses taken and purchases.

use crate::store::Tx;
use chrono::NaiveDate;
use rusqlite::params;

use crate::error::Result;
use crate::model::history::{Channel, Payment};
use crate::model::time::format_date;

/// One entry of the contact log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub id: i64,
    pub date: String,
    pub channel: String,
    pub summary: String,
    pub feedback: bool,
    pub recorded_at: String,
    pub operator: String,
}

/// Records a contact (an e-mail, a call, a meeting, feedback); returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_log(
    tx: &Tx,
    contact_id: i64,
    date: NaiveDate,
    channel: Channel,
    summary: &str,
    feedback: bool,
    now: &str,
    operator: &str,
) -> Result<i64> {
    let conn = tx.conn();
    conn.prepare_cached(
        "INSERT INTO contact_log (contact_id, date, channel, summary, feedback, recorded_at, operator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        contact_id,
        format_date(&date),
        channel.as_str(),
        summary,
        feedback,
        now,
        operator
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The contact log, oldest first.
pub fn log_entries(tx: &Tx, contact_id: i64) -> Result<Vec<LogEntry>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(
        "SELECT id, date, channel, summary, feedback, recorded_at, operator
         FROM contact_log WHERE contact_id = ?1 ORDER BY date, id",
    )?;
    let rows = st.query_map([contact_id], |r| {
        Ok(LogEntry {
            id: r.get(0)?,
            date: r.get(1)?,
            channel: r.get(2)?,
            summary: r.get(3)?,
            feedback: r.get(4)?,
            recorded_at: r.get(5)?,
            operator: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A course a student completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub id: i64,
    pub course: String,
    pub completed: String,
    pub grade: Option<String>,
    pub recorded_at: String,
}

pub fn insert_course(
    tx: &Tx,
    contact_id: i64,
    course: &str,
    completed: NaiveDate,
    grade: Option<&str>,
    now: &str,
) -> Result<i64> {
    let conn = tx.conn();
    conn.prepare_cached(
        "INSERT INTO courses (contact_id, course, completed, grade, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        contact_id,
        course,
        format_date(&completed),
        grade,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Courses, in the order they were completed.
pub fn courses(tx: &Tx, contact_id: i64) -> Result<Vec<Course>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(
        "SELECT id, course, completed, grade, recorded_at
         FROM courses WHERE contact_id = ?1 ORDER BY completed, id",
    )?;
    let rows = st.query_map([contact_id], |r| {
        Ok(Course {
            id: r.get(0)?,
            course: r.get(1)?,
            completed: r.get(2)?,
            grade: r.get(3)?,
            recorded_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A purchase and how it was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub id: i64,
    pub date: String,
    pub item: String,
    pub amount_cents: Option<i64>,
    pub payment: Option<String>,
    pub recorded_at: String,
}

pub fn insert_purchase(
    tx: &Tx,
    contact_id: i64,
    date: NaiveDate,
    item: &str,
    amount_cents: Option<i64>,
    payment: Option<Payment>,
    now: &str,
) -> Result<i64> {
    let conn = tx.conn();
    conn.prepare_cached(
        "INSERT INTO purchases (contact_id, date, item, amount_cents, payment, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        contact_id,
        format_date(&date),
        item,
        amount_cents,
        payment.map(Payment::as_str),
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Purchases, oldest first.
pub fn purchases(tx: &Tx, contact_id: i64) -> Result<Vec<Purchase>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(
        "SELECT id, date, item, amount_cents, payment, recorded_at
         FROM purchases WHERE contact_id = ?1 ORDER BY date, id",
    )?;
    let rows = st.query_map([contact_id], |r| {
        Ok(Purchase {
            id: r.get(0)?,
            date: r.get(1)?,
            item: r.get(2)?,
            amount_cents: r.get(3)?,
            payment: r.get(4)?,
            recorded_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
