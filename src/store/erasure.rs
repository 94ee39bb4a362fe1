//! Erasure (Art. 17): the one operation that removes a person, used by `contact erase`, by
//! `request fulfil` for an erasure request, and by the retention purge.
//!
//! [`erase`] runs inside the caller's write transaction: it removes the contact row and
//! everything linked to it, and clears the personal free text of the person's requests (the
//! bare request record stays for accountability). The connection has `secure_delete` on, so
//! the freed cells and pages are overwritten with zeros rather than left in free space.
//! After the commit [`checkpoint`] copies the zeroed pages into the file and empties the
//! -wal, which until then still holds the old page images: only after both is the person
//! gone from the file, its -wal and its -shm.

use chrono::NaiveDate;
use std::time::Duration;

use rusqlite::params;

use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::erasure::reason_mentions;
use crate::model::time::{self, Tz};
use crate::store::{audit, contacts, holds, suppressions, Store, Tx};

/// What is erased, and why.
#[derive(Debug, Clone, Copy)]
pub struct Erasure<'a> {
    /// Why the person is erased. It stays in the audit trail, so it must not be personal
    /// data; one that repeats the person's e-mail, phone or names is refused.
    pub reason: &'a str,
    /// The erasure request carried out (`R-2026-0007`); `None` for the controller's own.
    pub request: Option<&'a str>,
    /// Put the e-mail on the suppression list, so a re-import does not bring the person back.
    pub suppress: bool,
    /// The register's today and time zone: they decide whether a legal hold is live.
    pub today: NaiveDate,
    pub zone: Tz,
    /// The audit event's time (stored form) and operator.
    pub now: &'a str,
    pub operator: &'a str,
}

/// What an erasure removed: the contact's id and counts, never values.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    pub contact: i64,
    pub history: usize,
    pub courses: usize,
    pub purchases: usize,
    pub tags: usize,
    pub holds: usize,
    pub consents: usize,
    /// Requests whose personal free text was cleared (the records stay).
    pub requests: usize,
    pub suppressed: bool,
    /// The audit event that records the erasure.
    pub audit_event: i64,
}

impl Erased {
    /// The counts as the audit trail and status lines give them.
    pub fn counts(&self) -> String {
        format!(
            "history={} courses={} purchases={} tags={} holds={} consents={} requests={} suppressed={}",
            self.history,
            self.courses,
            self.purchases,
            self.tags,
            self.holds,
            self.consents,
            self.requests,
            if self.suppressed { "yes" } else { "no" }
        )
    }
}

/// Erases contact `contact_id` (call inside a write transaction; then, after the commit,
/// [`checkpoint`]). Refused, with nothing changed, while a legal hold is live: the message
/// names the hold's reason and its last day. Appends the `contact.erase` audit event
/// (ids, counts and the reason).
pub fn erase(tx: &Tx, contact_id: i64, e: &Erasure) -> Result<Erased> {
    let conn = tx.conn();
    if conn.is_autocommit() {
        // A bug, not a user's mistake: the parts of an erasure must not commit one by one.
        return Err(Error::Conflict(
            "an erasure must run inside a write transaction".into(),
        ));
    }
    let contact = contacts::get(tx, contact_id)?;
    if let Some(h) = holds::active_hold(tx, contact_id, e.today, e.zone)? {
        let until = h
            .until
            .map(|u| format!("until {}", time::format_date(&u)))
            .unwrap_or_else(|| "until released".into());
        return Err(Error::Refused(format!(
            "contact {contact_id} is under legal hold {} {until} ({}); nothing was erased. \
             Erase the person once the hold has ended",
            h.id, h.reason
        )));
    }
    let d = &contact.data;
    if let Some(field) = reason_mentions(
        e.reason,
        &[
            ("email", Some(d.email.as_str())),
            ("phone", d.phone.as_deref()),
            ("first_name", d.first_name.as_deref()),
            ("last_name", d.last_name.as_deref()),
        ],
    ) {
        return Err(Error::invalid(
            "--reason",
            e.reason,
            format!(
                "expected a reason without personal data: it repeats the person's {}, and the \
                 reason stays in the audit trail after the erasure (say why, e.g. \"imported by \
                 mistake\", not who)",
                field.replace('_', " ")
            ),
        ));
    }
    // Set by the connection's setup too; said again here because erasure depends on it.
    conn.execute_batch("PRAGMA secure_delete = ON")?;
    let delete = |table: &str| -> Result<usize> {
        Ok(conn
            .prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?
            .execute([contact_id])?)
    };
    let mut out = Erased {
        contact: contact_id,
        history: delete("contact_log")?,
        courses: delete("courses")?,
        purchases: delete("purchases")?,
        tags: delete("contact_tags")?,
        holds: delete("holds")?,
        consents: delete("consent_events")?,
        ..Erased::default()
    };
    // A request made before the person was added names them only by its subject e-mail.
    out.requests = conn
        .prepare_cached(
            "UPDATE requests SET requester = NULL, details = NULL, subject_email = NULL
             WHERE contact_id = ?1 OR subject_email = ?2",
        )?
        .execute(params![contact_id, d.email])?;
    conn.prepare_cached("DELETE FROM contacts WHERE id = ?1")?
        .execute([contact_id])?;
    if e.suppress {
        suppressions::add(tx, &d.email, &time::format_date(&e.today), e.request)?;
        out.suppressed = true;
    }
    let request = e
        .request
        .map(|r| format!(" request={r}"))
        .unwrap_or_default();
    out.audit_event = audit::append(
        tx,
        e.now,
        e.operator,
        Action::ContactErase,
        &audit::ObjectIds::of("contact", contact_id).render(),
        &format!("{}{request} reason={:?}", out.counts(), e.reason),
    )?;
    Ok(out)
}

/// How long a checkpoint waits for readers of an older snapshot to finish.
pub const CHECKPOINT_WAIT: Duration = Duration::from_secs(10);

/// Copies every committed page into the register file and empties the -wal (SQLite's
/// TRUNCATE checkpoint), waiting up to the busy timeout for readers. Run after each
/// erasure's commit, and by anything that must leave no old page behind (the purge, `check`).
/// When a reader still holds an old snapshot, the erased data is gone from the database
/// but its old pages may remain in the -wal: that is an error naming the way out.
pub fn checkpoint(store: &Store) -> Result<()> {
    let conn = &store.conn;
    // Readers finish in moments; the writers' long wait (`WRITE_WAIT`) is not for them.
    conn.busy_timeout(CHECKPOINT_WAIT)?;
    let res = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    conn.busy_handler(Some(super::wait_for_lock))?;
    let blocked = match res {
        Ok(busy) => busy != 0,
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            true
        }
        Err(e) => return Err(e.into()),
    };
    if blocked {
        return Err(Error::Conflict(format!(
            "the old copies of erased data could not be cleared from the register's -wal file: \
             another process is reading the register (waited {} s for it). Close \
             the other program and run `rekisteri check` (or the next erasure) to clear them",
            CHECKPOINT_WAIT.as_secs()
        )));
    }
    Ok(())
}
