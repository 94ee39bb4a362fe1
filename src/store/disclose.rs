//! Disclosure before output: the audit event of a listing or export is committed before its
//! first byte goes out, naming the ids the output will hold, and the rows are then streamed
//! holding no write lock.
//!
//! A read transaction on the store's connection fixes one WAL snapshot; the ids are collected
//! from it, the event is written through a second connection in a short IMMEDIATE
//! transaction, and the rows are read from the still-open snapshot. Writers in other
//! processes go on meanwhile (a pager left open blocks nobody).

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::{audit, Store, Tx};
use crate::error::Result;
use crate::model::audit::Action;

/// The audit event of one disclosure: ids only, never values.
#[derive(Debug, Clone)]
pub struct Disclosure {
    pub action: Action,
    pub object_ids: String,
    pub detail: String,
}

impl Store {
    /// `collect` reads the ids the output will hold from a read snapshot and names the event;
    /// the event is committed; then `stream` writes the output from the same snapshot. When
    /// the event cannot be committed (lock held past the timeout, read-only file) `stream` is
    /// never called and the error is returned.
    pub fn disclose<C, T>(
        &mut self,
        at: &str,
        operator: &str,
        collect: impl FnOnce(&Tx) -> Result<(Disclosure, C)>,
        stream: impl FnOnce(&Tx, C) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        // The first read starts the read transaction: the snapshot is fixed from here on.
        let _: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let (event, carried) = collect(&Tx::new(&tx))?;
        let writer = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        writer.busy_handler(Some(super::wait_for_lock))?;
        if read_only_by_mode(&path) {
            // Root ignores a file's mode; a register made read-only (chmod 0400) still must
            // not change, so nothing is disclosed unrecorded.
            return Err(crate::Error::Refused(format!(
                "the register {} is read-only (its file mode has no write permission), so the disclosure cannot be recorded; nothing was shown",
                path.display()
            )));
        }
        let mut writer = writer;
        let w = writer.transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::append(
            &Tx::new(&w),
            at,
            operator,
            event.action,
            &event.object_ids,
            &event.detail,
        )?;
        w.commit()?;
        drop(writer);
        let out = stream(&Tx::new(&tx), carried)?;
        tx.commit()?;
        Ok(out)
    }
}

fn read_only_by_mode(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o200 == 0)
}
