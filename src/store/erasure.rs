//! Erasure (Art. 17): the one operation that removes people, used by `contact erase` and by
//! `request fulfil` for an erasure request (a batch of one), and by the retention purge (a
//! batch at a time).
//!
//! [`erase`] runs inside the caller's write transaction: it removes the contact rows and
//! everything linked to them, and clears the personal free text of their requests (the
//! bare request records stay for accountability), one statement per table for the whole
//! batch. The connection has `secure_delete` on, so the freed cells and pages are
//! overwritten with zeros rather than left in free space. After the commit [`checkpoint`]
//! copies the zeroed pages into the file and empties the -wal, which until then still holds
//! the old page images: only after both are the people gone from the file, its -wal and its
//! -shm.

use chrono::NaiveDate;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::audit::Action;
use crate::model::erasure::{self, reason_mentions};
use crate::model::time::{self, Tz};
use crate::store::{audit, holds, suppressions, Store, Tx};

/// Why people are erased. It stays in the audit trail, so it must not be personal data.
#[derive(Debug, Clone, Copy)]
pub enum Reason<'a> {
    /// The operator's own words (`contact erase --reason`): refused when they repeat a
    /// person's e-mail, phone or names.
    Operator(&'a str),
    /// Written by the tool itself (the purge's rule, the request carried out): a fixed text
    /// that names no one, so it is not checked against the people.
    Tool(&'a str),
}

impl Reason<'_> {
    pub fn text(&self) -> &str {
        match self {
            Reason::Operator(t) | Reason::Tool(t) => t,
        }
    }
}

/// What is erased, and why.
#[derive(Debug, Clone, Copy)]
pub struct Erasure<'a> {
    pub reason: Reason<'a>,
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

/// What an erasure removed: how many contacts and counts of what went with them (totals
/// over the batch), never values.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    pub contacts: usize,
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

/// Where the count of rows removed from a linked table goes.
type Tally = fn(&mut Erased) -> &mut usize;

/// Every table with a `contact_id` that references `contacts`, and the erasure's count it
/// adds to. The erasure removes these rows itself rather than leaving them to the schema's
/// `ON DELETE CASCADE`, so it counts what went and is complete with foreign keys off too
/// (a test checks this list against the schema).
const LINKED: [(&str, Tally); 6] = [
    ("contact_log", |e| &mut e.history),
    ("courses", |e| &mut e.courses),
    ("purchases", |e| &mut e.purchases),
    ("contact_tags", |e| &mut e.tags),
    ("holds", |e| &mut e.holds),
    ("consent_events", |e| &mut e.consents),
];

/// Erases the contacts `ids` and everything linked to them, as one operation with one
/// `contact.erase` audit event naming them all (ids, counts and the reason): the purge
/// erases a batch at a time, `contact erase` and `request fulfil` a batch of one. Call
/// inside a write transaction, then, after the commit, [`checkpoint`].
///
/// Refused, with nothing changed (the caller's transaction is not committed), while a legal
/// hold on any of them is live (the message names the hold's reason and its last day), or when the
/// operator's reason repeats a value of one of them; an id that is not a contact is a
/// conflict (callers pass ids found in the same transaction).
pub fn erase(tx: &Tx, ids: &[i64], e: &Erasure) -> Result<Erased> {
    let conn = tx.conn();
    if conn.is_autocommit() {
        // A bug, not a user's mistake: the parts of an erasure must not commit one by one.
        return Err(Error::Conflict(
            "an erasure must run inside a write transaction".into(),
        ));
    }
    // The batch, in a temp table, so each step below is one statement for all of it. It
    // holds ids only (and the temp database is never the register file).
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS erasure_ids (id INTEGER PRIMARY KEY);
         DELETE FROM temp.erasure_ids;",
    )?;
    let mut wanted = 0;
    {
        let mut add =
            conn.prepare_cached("INSERT OR IGNORE INTO temp.erasure_ids (id) VALUES (?1)")?;
        for id in ids {
            wanted += add.execute([id])?;
        }
    }
    let mut out = Erased::default();
    refuse_if_held(tx, e)?;
    // The people's values are read only when something needs them.
    let emails = if e.suppress || matches!(e.reason, Reason::Operator(_)) {
        people(tx, e)?
    } else {
        Vec::new()
    };
    // Set by the connection's setup too; said again here because erasure depends on it.
    conn.execute_batch("PRAGMA secure_delete = ON")?;
    for (table, count) in LINKED {
        *count(&mut out) = conn
            .prepare_cached(&format!(
                "DELETE FROM {table} WHERE contact_id IN (SELECT id FROM temp.erasure_ids)"
            ))?
            .execute([])?;
    }
    clear_request_texts(tx)?;
    // Their requests stay, without the personal text; so do requests made before the
    // person was added, which name them only by the subject's e-mail.
    out.requests = conn
        .prepare_cached(
            "UPDATE requests SET requester = NULL, details = NULL, subject_email = NULL,
                                 contact_id = NULL
             WHERE contact_id IN (SELECT id FROM temp.erasure_ids)",
        )?
        .execute([])?;
    out.requests += conn
        .prepare_cached(
            "UPDATE requests AS r SET requester = NULL, details = NULL, subject_email = NULL
             WHERE r.subject_email IS NOT NULL AND EXISTS (
                 SELECT 1 FROM contacts c JOIN temp.erasure_ids t ON t.id = c.id
                 WHERE c.email = r.subject_email)",
        )?
        .execute([])?;
    out.contacts = conn
        .prepare_cached("DELETE FROM contacts WHERE id IN (SELECT id FROM temp.erasure_ids)")?
        .execute([])?;
    if out.contacts < wanted {
        // Callers pass ids they found in the same transaction, which is not committed on an
        // error: nothing was erased.
        return Err(Error::Conflict(format!(
            "{} of the {wanted} contacts to erase are not in the register; nothing was erased",
            wanted - out.contacts
        )));
    }
    if e.suppress {
        for email in &emails {
            suppressions::add(tx, email, &time::format_date(&e.today), e.request)?;
        }
        out.suppressed = true;
    }
    conn.execute_batch("DELETE FROM temp.erasure_ids")?;
    let mut objects = audit::ObjectIds::new();
    for id in ids {
        objects.push("contact", *id);
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
        &objects.render(),
        &format!("{}{request} reason={:?}", out.counts(), e.reason.text()),
    )?;
    Ok(out)
}

/// A write transaction for erasing many people at once (the purge's batches): one IMMEDIATE
/// transaction like [`Store::write`], with the schema's foreign-key actions off. [`erase`]
/// removes every linked row itself ([`LINKED`], and the requests), so the `ON DELETE` actions
/// would only search every linked table once more for each contact; at a million contacts
/// that was about a third of the time the deletion took. Only erasures and deletions run in
/// it: nothing may be inserted that references a contact.
pub fn bulk<T>(store: &mut Store, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
    // The setting cannot change inside a transaction, so it is set around one.
    store.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let out = store.write(f);
    let restored = store.conn.execute_batch("PRAGMA foreign_keys = ON");
    let out = out?;
    restored?;
    Ok(out)
}

/// Refuses the erasure while a legal hold on one of the batch is live.
fn refuse_if_held(tx: &Tx, e: &Erasure) -> Result<()> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&format!(
        "SELECT {} FROM temp.erasure_ids t CROSS JOIN holds h ON h.contact_id = t.id
         ORDER BY t.id, h.id",
        holds::COLUMNS
            .split(", ")
            .map(|c| format!("h.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let mut rows = st.query([])?;
    while let Some(row) = rows.next()? {
        let h = holds::from_row(row)?;
        if !h.is_active_on(e.today, e.zone) {
            continue;
        }
        let until = h
            .until
            .map(|u| format!("until {}", time::format_date(&u)))
            .unwrap_or_else(|| "until released".into());
        return Err(Error::Refused(format!(
            "contact {} is under legal hold {} {until} ({}); nothing was erased. \
             Erase the person once the hold has ended",
            h.contact_id, h.id, h.reason
        )));
    }
    Ok(())
}

/// The batch's e-mail addresses (for the suppression list), after checking that the
/// operator's reason names none of them.
fn people(tx: &Tx, e: &Erasure) -> Result<Vec<String>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(
        "SELECT c.email, c.phone, c.first_name, c.last_name
         FROM temp.erasure_ids t CROSS JOIN contacts c ON c.id = t.id ORDER BY t.id",
    )?;
    let mut rows = st.query([])?;
    let mut emails = Vec::new();
    while let Some(r) = rows.next()? {
        let (email, phone, first, last): (String, Option<String>, Option<String>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        if let Reason::Operator(reason) = e.reason {
            if let Some(field) = reason_mentions(
                reason,
                &erasure::identity(
                    Some(email.as_str()),
                    phone.as_deref(),
                    first.as_deref(),
                    last.as_deref(),
                ),
            ) {
                return Err(Error::invalid(
                    "--reason",
                    reason,
                    format!(
                        "expected a reason without personal data: it repeats the person's {}, and the \
                         reason stays in the audit trail after the erasure (say why, e.g. \"imported by \
                         mistake\", not who)",
                        field.replace('_', " ")
                    ),
                ));
            }
        }
        if e.suppress {
            emails.push(email);
        }
    }
    Ok(emails)
}

/// The texts an operator writes on a request (how the identity was verified, why the
/// deadline was extended, the closing note, why it was refused). They stay with the request
/// record after an erasure, as proof of how the request was handled.
const REQUEST_TEXTS: [&str; 4] = ["verify_method", "extend_reason", "note", "refuse_reason"];

/// Replaces each request text of the batch's people that repeats one of their values
/// ([`reason_mentions`]) with [`erasure::TEXT_REMOVED`]: the record stays, the person's
/// values go with the rest of them. Texts are checked when written too; this catches the
/// ones written before that check, or in a form it did not see.
fn clear_request_texts(tx: &Tx) -> Result<()> {
    let conn = tx.conn();
    let texts = REQUEST_TEXTS.map(|c| format!("r.{c}")).join(", ");
    let any = REQUEST_TEXTS
        .map(|c| format!("r.{c} IS NOT NULL"))
        .join(" OR ");
    let people = "c.email, c.phone, c.first_name, c.last_name";
    let mut st = conn.prepare_cached(&format!(
        "SELECT r.id, {people}, {texts}
         FROM temp.erasure_ids t CROSS JOIN contacts c ON c.id = t.id
         CROSS JOIN requests r ON r.contact_id = c.id WHERE {any}
         UNION ALL
         SELECT r.id, {people}, {texts}
         FROM temp.erasure_ids t CROSS JOIN contacts c ON c.id = t.id
         CROSS JOIN requests r ON r.subject_email = c.email
         WHERE r.subject_email IS NOT NULL AND r.contact_id IS NULL AND ({any})"
    ))?;
    let mut found: Vec<(i64, &'static str)> = Vec::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let email: String = r.get(1)?;
        let (phone, first, last): (Option<String>, Option<String>, Option<String>) =
            (r.get(2)?, r.get(3)?, r.get(4)?);
        let values = erasure::identity(
            Some(email.as_str()),
            phone.as_deref(),
            first.as_deref(),
            last.as_deref(),
        );
        for (i, column) in REQUEST_TEXTS.iter().enumerate() {
            let text: Option<String> = r.get(5 + i)?;
            if text.is_some_and(|t| reason_mentions(&t, &values).is_some()) {
                found.push((r.get(0)?, column));
            }
        }
    }
    for (id, column) in found {
        conn.prepare_cached(&format!("UPDATE requests SET {column} = ?1 WHERE id = ?2"))?
            .execute(rusqlite::params![erasure::TEXT_REMOVED, id])?;
    }
    Ok(())
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

#[cfg(test)]
mod tests;
