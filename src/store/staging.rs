//! An import file's rows staged in temp tables of the importing connection, so a consent
//! import of a million rows needs no more memory than one of ten: SQLite joins them to the
//! contacts and sorts them by contact in bounded memory (spilling to temp files), the rows
//! come back one at a time, and the rejected ones wait in a temp table for the report.
//!
//! Temp tables belong to the connection and to its transaction: a failed import rolls them
//! back with everything else, and they are never part of the register file.

use rusqlite::{params, CachedStatement};

use crate::error::Result;
use crate::model::consent::Event;
use crate::store::consents::{event_from_row, EVENT_COLUMNS};
use crate::store::Tx;

/// Page cache of the importing connection, in KiB (SQLite's sorter is bounded by it too):
/// big enough for the pages an import touches in a row, small enough for a bounded process.
const CACHE_KIB: i64 = 8 * 1024;

/// One row of the file, as staged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    /// The address as written.
    pub email: String,
    /// Canonical UTC time from the file, `None` when the row has none.
    pub at: Option<String>,
    pub evidence: Option<String>,
}

/// A rejected row, as staged: its line, the address as written (`""` for none) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub line: u64,
    pub email: String,
    pub why: String,
    /// More about the row, shown after its address in the warning ("erased on …").
    pub detail: Option<String>,
}

/// Sets the connection up for an import: a modest page cache, reads without memory mapping
/// (mapped pages count as the process's memory) and temp tables and sorts in files.
pub fn tune_for_import(tx: &Tx) -> Result<()> {
    tx.conn().execute_batch(&format!(
        "PRAGMA mmap_size = 0;
         PRAGMA cache_size = -{CACHE_KIB};
         PRAGMA temp_store = FILE;"
    ))?;
    Ok(())
}

/// Where an import puts its rows and its rejects.
pub struct Staging<'c> {
    add: CachedStatement<'c>,
    reject: CachedStatement<'c>,
}

impl<'c> Staging<'c> {
    /// Empty staging tables (a previous import on this connection left none behind).
    pub fn new(tx: &Tx<'c>) -> Result<Self> {
        let conn = tx.conn();
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.import_rows;
             DROP TABLE IF EXISTS temp.import_rejects;
             CREATE TEMP TABLE import_rows (
                 line     INTEGER PRIMARY KEY,
                 email    TEXT NOT NULL,
                 key      TEXT NOT NULL,
                 at       TEXT,
                 evidence TEXT);
             CREATE TEMP TABLE import_rejects (
                 line  INTEGER PRIMARY KEY,
                 email TEXT NOT NULL,
                 why   TEXT NOT NULL,
                 detail TEXT);",
        )?;
        Ok(Staging {
            add: conn.prepare_cached(
                "INSERT INTO temp.import_rows (line, email, key, at, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            reject: conn.prepare_cached(
                "INSERT INTO temp.import_rejects (line, email, why, detail) VALUES (?1, ?2, ?3, ?4)",
            )?,
        })
    }

    /// Stages a row with an address; `key` is the address as contacts store it.
    pub fn add(
        &mut self,
        line: u64,
        email: &str,
        key: &str,
        at: Option<&str>,
        evidence: Option<&str>,
    ) -> Result<()> {
        self.add
            .execute(params![line as i64, email, key, at, evidence])?;
        Ok(())
    }

    /// Keeps a rejected row for the report (`why` is its reason code).
    pub fn reject(
        &mut self,
        line: u64,
        email: &str,
        why: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        self.reject
            .execute(params![line as i64, email, why, detail])?;
        Ok(())
    }
}

/// Calls `f(row, contact, events, more)` for every staged row: first the rows whose address
/// belongs to no contact (`contact` `None`, no events), in file order; then the others in
/// contact order, and in file order within a contact, so the e-mail index and the ledger are
/// read in order rather than at random. `events` are the contact's events bearing on
/// `purposes` (their own and objections to all direct marketing; oldest first); `more` says
/// another row of the same contact follows (so `f` pushes what it records onto `events` for
/// that row to see).
pub fn for_each_row(
    tx: &Tx,
    purposes: &[&str],
    mut f: impl FnMut(&Row, Option<i64>, &mut Vec<Event>, bool) -> Result<()>,
) -> Result<()> {
    let conn = tx.conn();
    // An index in key order lets the join walk the e-mail index in order too.
    conn.execute_batch("CREATE INDEX temp.import_rows_key ON import_rows (key)")?;
    // One parameter per purpose (a policy has a handful), numbered from `first`.
    let list = |first: usize| {
        (first..first + purposes.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // A first import for a purpose finds nothing to read back: skip the look-ups then.
    let any: bool = conn
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM consent_events
             WHERE purpose IN ({}) OR purpose IS NULL)",
            list(1)
        ))?
        .query_row(rusqlite::params_from_iter(purposes), |r| r.get(0))?;
    let mut events_of = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM consent_events
         WHERE contact_id = ?1 AND (purpose IN ({}) OR purpose IS NULL)
         ORDER BY occurred_at, id",
        list(2)
    ))?;
    // Unknown addresses sort first (NULL), then by contact; `key >= ''` (every key) has the
    // rows read through their key index.
    let mut st = conn.prepare(
        "SELECT r.line, r.email, r.at, r.evidence, c.id
         FROM temp.import_rows r INDEXED BY import_rows_key
         LEFT JOIN main.contacts c ON c.email = r.key
         WHERE r.key >= ''
         ORDER BY c.id, r.line",
    )?;
    let mut rows = st.query([])?;
    let read = |r: &rusqlite::Row| -> Result<(Row, Option<i64>)> {
        let line: i64 = r.get(0)?;
        Ok((
            Row {
                line: line as u64,
                email: r.get(1)?,
                at: r.get(2)?,
                evidence: r.get(3)?,
            },
            r.get(4)?,
        ))
    };
    let mut next = match rows.next()? {
        Some(r) => Some(read(r)?),
        None => None,
    };
    let mut events = Vec::new();
    let mut last: Option<i64> = None;
    while let Some((row, contact)) = next.take() {
        next = match rows.next()? {
            Some(r) => Some(read(r)?),
            None => None,
        };
        let Some(id) = contact else {
            f(&row, None, &mut Vec::new(), false)?;
            continue;
        };
        if last != Some(id) {
            last = Some(id);
            events.clear();
            if any {
                let mut args: Vec<rusqlite::types::Value> = vec![id.into()];
                args.extend(purposes.iter().map(|p| p.to_string().into()));
                let found =
                    events_of.query_map(rusqlite::params_from_iter(args), event_from_row)?;
                for e in found {
                    events.push(e?);
                }
            }
        }
        let more = next.as_ref().is_some_and(|(_, c)| *c == Some(id));
        f(&row, Some(id), &mut events, more)?;
    }
    Ok(())
}

/// The rejected rows, in file order.
pub fn for_each_reject(tx: &Tx, mut f: impl FnMut(Rejected) -> Result<()>) -> Result<()> {
    let mut st = tx
        .conn()
        .prepare("SELECT line, email, why, detail FROM temp.import_rejects ORDER BY line")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let line: i64 = r.get(0)?;
        f(Rejected {
            line: line as u64,
            email: r.get(1)?,
            why: r.get(2)?,
            detail: r.get(3)?,
        })?;
    }
    Ok(())
}

/// Drops the staging tables (their temp files go with them).
pub fn clear(tx: &Tx) -> Result<()> {
    tx.conn().execute_batch(
        "DROP TABLE IF EXISTS temp.import_rows;
         DROP TABLE IF EXISTS temp.import_rejects;",
    )?;
    Ok(())
}
