//! An import file's rows staged outside memory, so a consent import of a million rows needs
//! no more memory than one of ten: the rows are sorted by address in bounded runs (unnamed
//! temp files, [`super::runs`]), matched to the contacts in one ordered pass over the e-mail
//! index, sorted again by contact, and come back one at a time; the rejected ones wait in a
//! temp table for the report.
//!
//! Neither the run files nor the temp table are ever part of the register file: the files
//! have no name and go when the import ends; the table belongs to the connection and its
//! transaction (a failed import rolls it back with everything else).

use std::cmp::Ordering;

use rusqlite::{params, CachedStatement, OptionalExtension};

use crate::error::Result;
use crate::model::consent::Event;
use crate::store::consents::{event_from_row, EVENT_COLUMNS};
use crate::store::runs::{fields, Sorter};
use crate::store::Tx;

/// Page cache of the importing connection, in KiB: big enough for the pages an import
/// touches in a row, small enough for a bounded process.
const CACHE_KIB: i64 = 8 * 1024;
/// Memory for staged rows before they go to a run file, in bytes.
const ROWS_IN_MEMORY: usize = 8 << 20;

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
/// (mapped pages count as the process's memory) and temp tables in files.
pub fn tune_for_import(tx: &Tx) -> Result<()> {
    tx.conn().execute_batch(&format!(
        "PRAGMA mmap_size = 0;
         PRAGMA cache_size = -{CACHE_KIB};
         PRAGMA temp_store = FILE;"
    ))?;
    Ok(())
}

type Cmp = fn(&[u8], &[u8]) -> Ordering;

/// A staged row by address: `key` (the address as contacts store it), `line`, then the
/// address as written (none when it is the key), time and evidence.
fn by_key(a: &[u8], b: &[u8]) -> Ordering {
    let (mut a, mut b) = (fields::Reader(a), fields::Reader(b));
    a.bytes()
        .cmp(&b.bytes())
        .then_with(|| a.u64_be().cmp(&b.u64_be()))
}

/// A matched row by contact: a byte saying whether its address belongs to a contact (0 for
/// none, so those come first), the contact id, the line (17 bytes that differ between any
/// two rows), then the address as written, time and evidence.
fn by_contact(a: &[u8], b: &[u8]) -> Ordering {
    a[..17].cmp(&b[..17])
}

/// The staged rows, until [`for_each_row`] reads them, and the memory each sort may take.
pub struct Rows {
    sorter: Sorter<Cmp>,
    memory: usize,
}

impl Rows {
    fn new(memory: usize) -> Rows {
        Rows {
            sorter: Sorter::new(memory, by_key as Cmp),
            memory,
        }
    }
}

/// Where an import puts its rows and its rejects.
pub struct Staging<'c> {
    rows: Option<Rows>,
    record: Vec<u8>,
    reject: CachedStatement<'c>,
}

impl<'c> Staging<'c> {
    /// No rows yet, and an empty reject table (a previous import on this connection left
    /// none behind).
    pub fn new(tx: &Tx<'c>) -> Result<Self> {
        Self::with_memory(tx, ROWS_IN_MEMORY)
    }

    /// As [`Staging::new`], the rows' sorts holding `memory` bytes before they spill (tests
    /// make it small to have many runs).
    pub(crate) fn with_memory(tx: &Tx<'c>, memory: usize) -> Result<Self> {
        let conn = tx.conn();
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.import_rejects;
             CREATE TEMP TABLE import_rejects (
                 line  INTEGER PRIMARY KEY,
                 email TEXT NOT NULL,
                 why   TEXT NOT NULL,
                 detail TEXT);",
        )?;
        Ok(Staging {
            rows: Some(Rows::new(memory)),
            record: Vec::new(),
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
        let Some(rows) = self.rows.as_mut() else {
            return Err(crate::error::Error::Io(std::io::Error::other(
                "a row was staged after the rows were read",
            )));
        };
        let r = &mut self.record;
        r.clear();
        fields::put_text(r, Some(key));
        fields::put_u64_be(r, line);
        fields::put_text(r, (email != key).then_some(email));
        fields::put_text(r, at);
        fields::put_text(r, evidence);
        rows.sorter.push(r)?;
        Ok(())
    }

    /// The staged rows, for [`for_each_row`] (rejects can still be added).
    pub fn take_rows(&mut self) -> Rows {
        self.rows
            .take()
            .unwrap_or_else(|| Rows::new(ROWS_IN_MEMORY))
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

/// Finds the contact of each address, the addresses coming in order: one pass over the
/// e-mail index for a large batch, a look-up each for a small one.
enum Resolver<'s> {
    Scan {
        rows: rusqlite::Rows<'s>,
        /// The index entry the pass stands on: its address and contact.
        at: Option<(Vec<u8>, i64)>,
        /// Past the last contact: no later key has one either.
        done: bool,
    },
    Lookup(CachedStatement<'s>),
}

impl Resolver<'_> {
    /// The contact of `key`; keys must come in ascending byte order (the index's order).
    fn find(&mut self, key: &[u8]) -> Result<Option<i64>> {
        match self {
            Resolver::Lookup(st) => {
                // Bound as text: an address compared as a blob would equal no stored one.
                let Ok(key) = std::str::from_utf8(key) else {
                    return Ok(None);
                };
                Ok(st.query_row([key], |r| r.get(0)).optional()?)
            }
            Resolver::Scan { rows, at, done } => loop {
                if *done {
                    return Ok(None);
                }
                if let Some((email, id)) = at {
                    match email.as_slice().cmp(key) {
                        Ordering::Less => {}
                        Ordering::Equal => return Ok(Some(*id)),
                        Ordering::Greater => return Ok(None),
                    }
                }
                match rows.next()? {
                    Some(r) => {
                        let email = match r.get_ref(0)? {
                            rusqlite::types::ValueRef::Text(t) => t,
                            _ => continue,
                        };
                        let id: i64 = r.get(1)?;
                        match at {
                            Some((e, i)) => {
                                e.clear();
                                e.extend_from_slice(email);
                                *i = id;
                            }
                            None => *at = Some((email.to_vec(), id)),
                        }
                    }
                    None => *done = true,
                }
            },
        }
    }
}

/// Calls `f(row, contact, events, more)` for every staged row: first the rows whose address
/// belongs to no contact (`contact` `None`, no events), in file order; then the others in
/// contact order, and in file order within a contact, so the ledger is read in order rather
/// than at random. `events` are the contact's events bearing on `purposes` (their own and
/// objections to all direct marketing; oldest first); `more` says another row of the same
/// contact follows (so `f` pushes what it records onto `events` for that row to see).
pub fn for_each_row(
    tx: &Tx,
    rows: Rows,
    purposes: &[&str],
    mut f: impl FnMut(&Row, Option<i64>, &mut Vec<Event>, bool) -> Result<()>,
) -> Result<()> {
    let conn = tx.conn();
    let staged = rows.sorter.len();
    // By address, each matched to its contact, into the sort by contact.
    let mut matched = Sorter::new(rows.memory, by_contact as Cmp);
    {
        let contacts: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM contacts", [], |r| {
                r.get(0)
            })?;
        let mut scan;
        // A look-up costs about as much as ten index entries of a pass.
        let mut resolver = if staged.saturating_mul(10) < contacts.max(0) as u64 {
            Resolver::Lookup(conn.prepare_cached("SELECT id FROM contacts WHERE email = ?1")?)
        } else {
            scan = conn.prepare(
                "SELECT email, id FROM contacts INDEXED BY contacts_email
                 WHERE email >= '' ORDER BY email",
            )?;
            Resolver::Scan {
                rows: scan.query([])?,
                at: None,
                done: false,
            }
        };
        let mut by_address = rows.sorter.into_sorted()?;
        let mut last: Option<(Vec<u8>, Option<i64>)> = None;
        let mut record = Vec::new();
        while let Some(r) = by_address.next_record()? {
            let mut rd = fields::Reader(r);
            let key = rd.bytes().unwrap_or_default();
            let line = rd.u64_be();
            let contact = match &last {
                Some((k, c)) if k.as_slice() == key => *c,
                _ => {
                    let c = resolver.find(key)?;
                    last = Some((key.to_vec(), c));
                    c
                }
            };
            record.clear();
            record.push(u8::from(contact.is_some()));
            // Flipping the sign bit orders ids as numbers in their big-endian bytes.
            fields::put_u64_be(&mut record, (contact.unwrap_or(0) as u64) ^ (1 << 63));
            fields::put_u64_be(&mut record, line);
            // The address as written (the key when it was written so), then time and evidence.
            fields::put_bytes(&mut record, Some(rd.bytes().unwrap_or(key)));
            record.extend_from_slice(rd.0);
            matched.push(&record)?;
        }
    }
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
    let mut by_contact = matched.into_sorted()?;
    let read = |r: &[u8]| -> (Row, Option<i64>) {
        let mut rd = fields::Reader(r);
        let known = rd.u8() == 1;
        let id = (rd.u64_be() ^ (1 << 63)) as i64;
        let line = rd.u64_be();
        let row = Row {
            line,
            email: rd.text().unwrap_or_default().to_string(),
            at: rd.text().map(str::to_string),
            evidence: rd.text().map(str::to_string),
        };
        (row, known.then_some(id))
    };
    let mut next = by_contact.next_record()?.map(read);
    let mut events = Vec::new();
    let mut last: Option<i64> = None;
    while let Some((row, contact)) = next.take() {
        next = by_contact.next_record()?.map(read);
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

/// Drops the reject table (its temp file goes with it).
pub fn clear(tx: &Tx) -> Result<()> {
    tx.conn()
        .execute_batch("DROP TABLE IF EXISTS temp.import_rejects;")?;
    Ok(())
}
