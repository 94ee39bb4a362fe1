//! What the register holds about one person beyond their contact row and its history: the
//! data-subject requests they made, as the access report (Art. 15) shows them.

use crate::store::Tx;

use crate::error::Result;

/// One request of the person, every stored column of it (migration 2's `requests`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRequest {
    /// `R-<year>-<seq>`, as the person was told.
    pub id: String,
    pub kind: String,
    pub status: String,
    pub received: String,
    /// The due date in force (moved by an extension).
    pub due: String,
    pub channel: String,
    pub requester: Option<String>,
    pub details: Option<String>,
    pub purposes: String,
    pub opened_at: String,
    pub opened_by: String,
    pub verified_at: Option<String>,
    pub verify_method: Option<String>,
    pub extended_at: Option<String>,
    pub extend_reason: Option<String>,
    pub notified: Option<String>,
    pub fulfilled_at: Option<String>,
    pub outcome: Option<String>,
    pub completed_at: Option<String>,
    pub note: Option<String>,
    pub refused_at: Option<String>,
    pub refuse_reason: Option<String>,
    pub fee_cents: Option<i64>,
    pub lifted_at: Option<String>,
}

/// The requests a contact made, oldest first.
pub fn requests_of_contact(tx: &Tx, contact_id: i64) -> Result<Vec<PersonRequest>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(
        "SELECT year, seq, type, status, received, due, channel, requester, details, purposes,
                opened_at, opened_by, verified_at, verify_method, extended_at, extend_reason,
                notified, fulfilled_at, outcome, completed_at, note, refused_at, refuse_reason,
                fee_cents, lifted_at
         FROM requests WHERE contact_id = ?1 ORDER BY received, year, seq",
    )?;
    let rows = st.query_map([contact_id], |r| {
        let year: i64 = r.get(0)?;
        let seq: i64 = r.get(1)?;
        Ok(PersonRequest {
            id: format!("R-{year:04}-{seq:04}"),
            kind: r.get(2)?,
            status: r.get(3)?,
            received: r.get(4)?,
            due: r.get(5)?,
            channel: r.get(6)?,
            requester: r.get(7)?,
            details: r.get(8)?,
            purposes: r.get(9)?,
            opened_at: r.get(10)?,
            opened_by: r.get(11)?,
            verified_at: r.get(12)?,
            verify_method: r.get(13)?,
            extended_at: r.get(14)?,
            extend_reason: r.get(15)?,
            notified: r.get(16)?,
            fulfilled_at: r.get(17)?,
            outcome: r.get(18)?,
            completed_at: r.get(19)?,
            note: r.get(20)?,
            refused_at: r.get(21)?,
            refuse_reason: r.get(22)?,
            fee_cents: r.get(23)?,
            lifted_at: r.get(24)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
