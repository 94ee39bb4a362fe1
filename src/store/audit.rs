//! The audit trail: who did what to which ids, when. Never personal values.
//!
//! Each event stores the SHA-256 of its own content and of the previous event's hash, so
//! an edited, inserted or deleted event breaks the chain that [`verify`] walks.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// The hash of the (absent) event before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: String,
    pub operator: String,
    pub action: String,
    pub object_ids: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The chained hash of one event's content.
pub fn event_hash(
    id: i64,
    at: &str,
    operator: &str,
    action: &str,
    object_ids: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        id.to_string().as_str(),
        at,
        operator,
        action,
        object_ids,
        detail,
        prev_hash,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]); // unit separator: no two field splits hash alike
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Appends one event (call inside the transaction that makes the change).
/// `object_ids` names objects by id only, e.g. `contact:42` or `contact:42,consent:7`;
/// `detail` holds counts or codes, never names, e-mails or free text about a person.
pub fn append(
    conn: &Connection,
    at: &str,
    operator: &str,
    action: &str,
    object_ids: &str,
    detail: &str,
) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let hash = event_hash(id, at, operator, action, object_ids, detail, &prev);
    conn.prepare_cached(
        "INSERT INTO audit_events (id, at, operator, action, object_ids, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id, at, operator, action, object_ids, detail, prev, hash
    ])?;
    Ok(id)
}

pub fn row_to_event(r: &rusqlite::Row) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        action: r.get(3)?,
        object_ids: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

pub const EVENT_COLUMNS: &str = "id, at, operator, action, object_ids, detail, prev_hash, hash";
