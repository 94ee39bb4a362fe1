//! Tags on contacts: customer segments and groups. Names are normalised by `model::tag`.

use crate::store::Tx;
use rusqlite::params;

use crate::error::Result;

/// Adds a tag; false when the contact already had it.
pub fn add(tx: &Tx, contact_id: i64, tag: &str) -> Result<bool> {
    let conn = tx.conn();
    let n = conn
        .prepare_cached("INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)")?
        .execute(params![contact_id, tag])?;
    Ok(n > 0)
}

/// Removes a tag; false when the contact did not have it.
pub fn remove(tx: &Tx, contact_id: i64, tag: &str) -> Result<bool> {
    let conn = tx.conn();
    let n = conn
        .prepare_cached("DELETE FROM contact_tags WHERE contact_id = ?1 AND tag = ?2")?
        .execute(params![contact_id, tag])?;
    Ok(n > 0)
}

/// A contact's tags, alphabetically.
pub fn for_contact(tx: &Tx, contact_id: i64) -> Result<Vec<String>> {
    let conn = tx.conn();
    let mut st =
        conn.prepare_cached("SELECT tag FROM contact_tags WHERE contact_id = ?1 ORDER BY tag")?;
    let rows = st.query_map([contact_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
