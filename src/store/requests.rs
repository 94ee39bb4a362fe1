//! Data-subject requests in SQL: opening one under the next number of its year, recording
//! each step of its lifecycle, and the `request list` selection.
//!
//! Whether a step may be taken is decided by `model::request` (`RequestState::check`); the
//! due date in force is computed by `model::deadline` and stored in `due`, so the
//! `--overdue`/`--due-within` selection is a range on one indexed column (tested against
//! the pure rule below).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::store::Tx;

use crate::error::{Error, Result};
use crate::model::request::{Channel, DueFilter, RequestId, RequestState, RequestType, Status};
use crate::model::time::{self, Tz};

/// The statuses whose deadline runs, as the partial index `requests_open_due` spells them
/// (SQLite uses a partial index only for a WHERE term written the same way).
const OPEN: &str = "status IN ('received', 'verified', 'fulfilled')";

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The row id (the audit trail's `request:N`).
    pub rowid: i64,
    pub id: RequestId,
    pub kind: RequestType,
    pub status: Status,
    pub contact_id: Option<i64>,
    pub subject_email: Option<String>,
    pub received: NaiveDate,
    pub due: NaiveDate,
    pub channel: Channel,
    pub requester: Option<String>,
    pub details: Option<String>,
    pub purposes: Vec<String>,
    pub opened_at: String,
    pub opened_by: String,
    pub verified_at: Option<String>,
    pub verified_by: Option<String>,
    pub verify_method: Option<String>,
    pub extended_at: Option<String>,
    pub extended_by: Option<String>,
    pub extend_reason: Option<String>,
    pub notified: Option<NaiveDate>,
    pub fulfilled_at: Option<String>,
    pub fulfilled_by: Option<String>,
    pub outcome: Option<String>,
    pub completed_at: Option<String>,
    pub completed_by: Option<String>,
    pub note: Option<String>,
    pub refused_at: Option<String>,
    pub refused_by: Option<String>,
    pub refuse_reason: Option<String>,
    pub fee_cents: Option<i64>,
    pub lifted_at: Option<String>,
    pub lifted_by: Option<String>,
}

impl Request {
    /// What the lifecycle rules need, with stored times as days in the register's zone.
    pub fn state(&self, zone: Tz) -> RequestState {
        let day = |t: &Option<String>| {
            t.as_deref().map(|t| {
                time::parse_time(t, zone)
                    .map(|t| time::date_in(&t, zone))
                    .unwrap_or(NaiveDate::MIN)
            })
        };
        RequestState {
            kind: self.kind,
            status: self.status,
            received: self.received,
            extended_on: day(&self.extended_at),
            lifted_on: day(&self.lifted_at),
        }
    }
}

const COLUMNS: &str = "id, year, seq, type, status, contact_id, subject_email, received, due, \
    channel, requester, details, purposes, opened_at, opened_by, verified_at, verified_by, \
    verify_method, extended_at, extended_by, extend_reason, notified, fulfilled_at, \
    fulfilled_by, outcome, completed_at, completed_by, note, refused_at, refused_by, \
    refuse_reason, fee_cents, lifted_at, lifted_by";

fn date_col(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(i)?;
    // The columns are written by this module as ISO dates only.
    Ok(time::parse_date(&s).unwrap_or(NaiveDate::MIN))
}

fn from_row(r: &Row) -> rusqlite::Result<Request> {
    let kind: String = r.get(3)?;
    let status: String = r.get(4)?;
    let channel: String = r.get(9)?;
    let purposes: String = r.get(12)?;
    let notified: Option<String> = r.get(21)?;
    Ok(Request {
        rowid: r.get(0)?,
        id: RequestId {
            year: r.get(1)?,
            seq: r.get(2)?,
        },
        // The table's CHECKs allow only the model's names.
        kind: RequestType::parse(&kind).unwrap_or(RequestType::Access),
        status: Status::parse(&status).unwrap_or(Status::Received),
        contact_id: r.get(5)?,
        subject_email: r.get(6)?,
        received: date_col(r, 7)?,
        due: date_col(r, 8)?,
        channel: Channel::parse(&channel).unwrap_or(Channel::Email),
        requester: r.get(10)?,
        details: r.get(11)?,
        purposes: purposes
            .split(',')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect(),
        opened_at: r.get(13)?,
        opened_by: r.get(14)?,
        verified_at: r.get(15)?,
        verified_by: r.get(16)?,
        verify_method: r.get(17)?,
        extended_at: r.get(18)?,
        extended_by: r.get(19)?,
        extend_reason: r.get(20)?,
        notified: notified.as_deref().and_then(time::parse_date),
        fulfilled_at: r.get(22)?,
        fulfilled_by: r.get(23)?,
        outcome: r.get(24)?,
        completed_at: r.get(25)?,
        completed_by: r.get(26)?,
        note: r.get(27)?,
        refused_at: r.get(28)?,
        refused_by: r.get(29)?,
        refuse_reason: r.get(30)?,
        fee_cents: r.get(31)?,
        lifted_at: r.get(32)?,
        lifted_by: r.get(33)?,
    })
}

/// A request being opened.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    /// The year of its number (the year it is opened in).
    pub year: i32,
    pub kind: RequestType,
    pub contact_id: Option<i64>,
    pub subject_email: Option<&'a str>,
    pub received: NaiveDate,
    pub due: NaiveDate,
    pub channel: Channel,
    pub requester: Option<&'a str>,
    pub details: Option<&'a str>,
    pub purposes: &'a [String],
    pub now: &'a str,
    pub operator: &'a str,
}

/// Stores a new request under the next number of its year; call inside the write
/// transaction, which makes the number and the row one step.
pub fn open(tx: &Tx, r: &NewRequest) -> Result<RequestId> {
    let conn = tx.conn();
    let seq: i64 = conn
        .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM requests WHERE year = ?1")?
        .query_row([r.year], |row| row.get(0))?;
    conn.prepare_cached(
        "INSERT INTO requests (year, seq, type, status, contact_id, subject_email, received, due,
            channel, requester, details, purposes, opened_at, opened_by)
         VALUES (?1, ?2, ?3, 'received', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        r.year,
        seq,
        r.kind.as_str(),
        r.contact_id,
        r.subject_email,
        time::format_date(&r.received),
        time::format_date(&r.due),
        r.channel.as_str(),
        r.requester,
        r.details,
        r.purposes.join(","),
        r.now,
        r.operator,
    ])?;
    Ok(RequestId { year: r.year, seq })
}

/// The request with this id.
pub fn get(tx: &Tx, id: RequestId) -> Result<Request> {
    let conn = tx.conn();
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM requests WHERE year = ?1 AND seq = ?2"
    ))?
    .query_row(params![id.year, id.seq], from_row)
    .optional()?
    .ok_or_else(|| Error::not_found("request", id.to_string()))
}

/// Open requests of the same right by the same person (a contact, or an address not in the
/// register): a second one is usually the same request arriving twice.
pub fn open_duplicates(
    tx: &Tx,
    kind: RequestType,
    contact_id: Option<i64>,
    subject_email: Option<&str>,
) -> Result<Vec<RequestId>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&format!(
        "SELECT year, seq FROM requests
         WHERE type = ?1 AND {OPEN}
           AND (contact_id = ?2 OR subject_email = ?3)
         ORDER BY year, seq"
    ))?;
    let rows = st.query_map(params![kind.as_str(), contact_id, subject_email], |r| {
        Ok(RequestId {
            year: r.get(0)?,
            seq: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who took a step, and when.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub now: &'a str,
    pub operator: &'a str,
}

fn update(conn: &Connection, sql: &str, p: &[&dyn rusqlite::ToSql]) -> Result<()> {
    match conn.prepare_cached(sql)?.execute(p)? {
        1 => Ok(()),
        _ => Err(Error::not_found("request", "(gone during the update)")),
    }
}

pub fn verify(tx: &Tx, rowid: i64, by: By, method: &str) -> Result<()> {
    let conn = tx.conn();
    update(
        conn,
        "UPDATE requests SET status = 'verified', verified_at = ?2, verified_by = ?3,
            verify_method = ?4 WHERE id = ?1",
        params![rowid, by.now, by.operator, method],
    )
}

/// Records the extension and the due date it moves the answer to.
pub fn extend(
    tx: &Tx,
    rowid: i64,
    by: By,
    reason: &str,
    notified: NaiveDate,
    due: NaiveDate,
) -> Result<()> {
    let conn = tx.conn();
    update(
        conn,
        "UPDATE requests SET extended_at = ?2, extended_by = ?3, extend_reason = ?4,
            notified = ?5, due = ?6 WHERE id = ?1",
        params![
            rowid,
            by.now,
            by.operator,
            reason,
            time::format_date(&notified),
            time::format_date(&due)
        ],
    )
}

/// `outcome` says what was done, without personal values (field names, event ids).
pub fn fulfil(tx: &Tx, rowid: i64, by: By, outcome: &str) -> Result<()> {
    let conn = tx.conn();
    update(
        conn,
        "UPDATE requests SET status = 'fulfilled', fulfilled_at = ?2, fulfilled_by = ?3,
            outcome = ?4 WHERE id = ?1",
        params![rowid, by.now, by.operator, outcome],
    )
}

/// The answer is given: the personal free text has served its purpose and is cleared.
pub fn complete(tx: &Tx, rowid: i64, by: By, note: Option<&str>) -> Result<()> {
    let conn = tx.conn();
    update(
        conn,
        "UPDATE requests SET status = 'completed', completed_at = ?2, completed_by = ?3,
            note = ?4, requester = NULL, details = NULL, subject_email = NULL WHERE id = ?1",
        params![rowid, by.now, by.operator, note],
    )
}

/// Refused (Art. 12(5)); the personal free text is cleared as on completion.
pub fn refuse(tx: &Tx, rowid: i64, by: By, reason: &str, fee_cents: Option<i64>) -> Result<()> {
    let conn = tx.conn();
    update(
        conn,
        "UPDATE requests SET status = 'refused', refused_at = ?2, refused_by = ?3,
            refuse_reason = ?4, fee_cents = ?5,
            requester = NULL, details = NULL, subject_email = NULL WHERE id = ?1",
        params![rowid, by.now, by.operator, reason, fee_cents],
    )
}

pub fn lift(tx: &Tx, rowid: i64, by: By) -> Result<()> {
    let conn = tx.conn();
    update(
        conn,
        "UPDATE requests SET lifted_at = ?2, lifted_by = ?3 WHERE id = ?1",
        params![rowid, by.now, by.operator],
    )
}

/// Another restriction of the contact still in force (fulfilled and not lifted), besides
/// the request `except`: lifting one must not end the other.
pub fn other_restriction(tx: &Tx, contact_id: i64, except: i64) -> Result<Option<RequestId>> {
    let conn = tx.conn();
    Ok(conn
        .prepare_cached(
            "SELECT year, seq FROM requests
             WHERE contact_id = ?1 AND id <> ?2 AND type = 'restriction'
               AND status IN ('fulfilled', 'completed') AND lifted_at IS NULL
             ORDER BY year, seq LIMIT 1",
        )?
        .query_row(params![contact_id, except], |r| {
            Ok(RequestId {
                year: r.get(0)?,
                seq: r.get(1)?,
            })
        })
        .optional()?)
}

/// One row of `request list` (and of the requests in `contact show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: RequestId,
    pub kind: RequestType,
    pub status: Status,
    pub contact_id: Option<i64>,
    pub received: NaiveDate,
    pub due: NaiveDate,
}

const SUMMARY_COLUMNS: &str = "year, seq, type, status, contact_id, received, due";

fn summary_from_row(r: &Row) -> rusqlite::Result<Summary> {
    let kind: String = r.get(2)?;
    let status: String = r.get(3)?;
    Ok(Summary {
        id: RequestId {
            year: r.get(0)?,
            seq: r.get(1)?,
        },
        kind: RequestType::parse(&kind).unwrap_or(RequestType::Access),
        status: Status::parse(&status).unwrap_or(Status::Received),
        contact_id: r.get(4)?,
        received: date_col(r, 5)?,
        due: date_col(r, 6)?,
    })
}

/// What `request list` selects; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub due: DueFilter,
    pub kind: Option<RequestType>,
    pub status: Option<Status>,
}

/// Streams the requests `f` selects on `today` to `each`: by due date when a deadline
/// condition is given (the most urgent first), else by id.
pub fn list(
    tx: &Tx,
    f: &ListFilter,
    today: NaiveDate,
    mut each: impl FnMut(&Summary) -> Result<()>,
) -> Result<usize> {
    let conn = tx.conn();
    use rusqlite::types::Value;
    let by_due = f.due.open || f.due.overdue || f.due.due_within.is_some();
    // Open requests are read from their own index, already in due order: without statistics
    // the planner would take the status index and sort.
    let mut sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM requests {} WHERE 1 = 1",
        if by_due {
            "INDEXED BY requests_open_due"
        } else {
            ""
        }
    );
    let mut args: Vec<Value> = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, v: Value| {
        args.push(v);
        sql.push_str(&clause.replace("?N", &format!("?{}", args.len())));
    };
    if by_due {
        sql.push_str(&format!(" AND {OPEN}"));
    }
    if f.due.overdue {
        arg(
            &mut sql,
            " AND due < ?N",
            Value::Text(time::format_date(&today)),
        );
    }
    if let Some(n) = f.due.due_within {
        let last = today
            .checked_add_days(chrono::Days::new(n.into()))
            .unwrap_or(NaiveDate::MAX);
        arg(
            &mut sql,
            " AND due <= ?N",
            Value::Text(time::format_date(&last)),
        );
    }
    if let Some(k) = f.kind {
        arg(&mut sql, " AND type = ?N", Value::Text(k.as_str().into()));
    }
    if let Some(s) = f.status {
        arg(&mut sql, " AND status = ?N", Value::Text(s.as_str().into()));
    }
    sql.push_str(if by_due {
        " ORDER BY due, year, seq"
    } else {
        " ORDER BY year, seq"
    });
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(args))?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        each(&summary_from_row(r)?)?;
        n += 1;
    }
    Ok(n)
}

/// Every request's row id (the audit trail's `request:N`), for the event of an export that
/// holds them all.
pub fn all_ids(tx: &Tx) -> Result<crate::store::audit::IdRanges> {
    let mut st = tx.conn().prepare("SELECT id FROM requests ORDER BY id")?;
    let mut rows = st.query([])?;
    let mut ids = crate::store::audit::IdRanges::new();
    while let Some(r) = rows.next()? {
        ids.push(r.get(0)?);
    }
    Ok(ids)
}

/// Streams every request, by id (`R-…` year and number), one at a time.
pub fn for_each(tx: &Tx, mut each: impl FnMut(&Request) -> Result<()>) -> Result<u64> {
    let mut st = tx.conn().prepare(&format!(
        "SELECT {COLUMNS} FROM requests ORDER BY year, seq"
    ))?;
    let mut rows = st.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        each(&from_row(r)?)?;
        n += 1;
    }
    Ok(n)
}

/// A contact's requests, oldest first.
pub fn for_contact(tx: &Tx, contact_id: i64) -> Result<Vec<Summary>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM requests WHERE contact_id = ?1 ORDER BY year, seq"
    ))?;
    let rows = st.query_map([contact_id], summary_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests;
