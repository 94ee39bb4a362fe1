//! Legal holds, kept as history: placing one inserts a row, releasing it stamps the row.
//! Whether a hold is active is decided by `model::hold::is_active`.

use crate::store::Tx;
use chrono::NaiveDate;
use rusqlite::params;

use crate::error::Result;
use crate::model::hold::{self, HoldDates};
use crate::model::time::{self, Tz};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub id: i64,
    pub contact_id: i64,
    pub reason: String,
    pub until: Option<NaiveDate>,
    pub placed_at: String,
    pub placed_by: String,
    pub released_at: Option<String>,
    pub released_by: Option<String>,
}

impl Hold {
    /// The hold's days in the register's time zone. A stored time that does not parse (never
    /// written by this tool) counts as the earliest day, so the hold is kept rather than ignored.
    pub fn dates(&self, zone: Tz) -> HoldDates {
        let day = |t: &str| {
            time::parse_time(t, zone)
                .map(|t| time::date_in(&t, zone))
                .unwrap_or(NaiveDate::MIN)
        };
        HoldDates {
            placed_on: day(&self.placed_at),
            until: self.until,
            released_on: self.released_at.as_deref().map(day),
        }
    }

    pub fn is_active_on(&self, day: NaiveDate, zone: Tz) -> bool {
        hold::is_active(&self.dates(zone), day)
    }
}

/// Places a hold; returns its id.
pub fn place(
    tx: &Tx,
    contact_id: i64,
    reason: &str,
    until: Option<NaiveDate>,
    now: &str,
    operator: &str,
) -> Result<i64> {
    let conn = tx.conn();
    conn.prepare_cached(
        "INSERT INTO holds (contact_id, reason, until, placed_at, placed_by) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        contact_id,
        reason,
        until.as_ref().map(time::format_date),
        now,
        operator
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The columns [`from_row`] reads, in its order.
pub(in crate::store) const COLUMNS: &str =
    "id, contact_id, reason, until, placed_at, placed_by, released_at, released_by";

pub(in crate::store) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Hold> {
    let until: Option<String> = r.get(3)?;
    Ok(Hold {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        reason: r.get(2)?,
        until: until.as_deref().and_then(time::parse_date),
        placed_at: r.get(4)?,
        placed_by: r.get(5)?,
        released_at: r.get(6)?,
        released_by: r.get(7)?,
    })
}

/// Every hold of a contact, released ones too, oldest first.
pub fn for_contact(tx: &Tx, contact_id: i64) -> Result<Vec<Hold>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM holds WHERE contact_id = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map([contact_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The holds of a contact that are active on `today` (a day in `zone`; usually none or one).
pub fn active_holds(tx: &Tx, contact_id: i64, today: NaiveDate, zone: Tz) -> Result<Vec<Hold>> {
    let mut all = for_contact(tx, contact_id)?;
    all.retain(|h| h.is_active_on(today, zone));
    Ok(all)
}

/// Releases one hold.
pub fn release(tx: &Tx, hold_id: i64, now: &str, operator: &str) -> Result<()> {
    let conn = tx.conn();
    conn.prepare_cached("UPDATE holds SET released_at = ?2, released_by = ?3 WHERE id = ?1")?
        .execute(params![hold_id, now, operator])?;
    Ok(())
}
