//! The consent ledger in SQL: appending events, reading a person's events, and the
//! register-wide queries (`consent list`, `export mailing-list`) that compute the state of
//! one purpose for every contact in one statement.
//!
//! The set-wise state is the same as `model::consent::derive` (tested against it below):
//! per contact, the latest relevant event, the latest objection and the latest override
//! grant, each as a sort key `occurred_at || id` (times are canonical UTC, 20 characters;
//! the id is zero-padded to 12), so `max()` finds the latest in the order the person acted.

use crate::model::audit::Action;
use crate::store::{audit, Tx};
use rusqlite::{params, Row};

use crate::error::{Error, Result};
use crate::model::consent::{derive, Event, Kind, PurposeStatus, State};
use crate::model::policy::{Basis, Policy, Purpose};
use crate::store::audit::IdRanges;

/// A new event; `purpose: None` is an objection to all direct marketing.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub contact_id: i64,
    pub purpose: Option<&'a str>,
    pub kind: Kind,
    pub basis: &'a str,
    pub channel: &'a str,
    pub evidence: Option<&'a str>,
    pub occurred_at: &'a str,
    pub recorded_at: &'a str,
    pub operator: &'a str,
    pub policy_version: i64,
    pub override_objection: bool,
}

impl NewEvent<'_> {
    /// The event as stored under `id`.
    pub fn into_event(self, id: i64) -> Event {
        Event {
            id,
            contact_id: self.contact_id,
            purpose: self.purpose.map(String::from),
            kind: self.kind,
            basis: self.basis.to_string(),
            channel: self.channel.to_string(),
            evidence: self.evidence.map(String::from),
            occurred_at: self.occurred_at.to_string(),
            recorded_at: self.recorded_at.to_string(),
            operator: self.operator.to_string(),
            policy_version: self.policy_version,
            override_objection: self.override_objection,
        }
    }
}

const INSERT_EVENT: &str = "INSERT INTO consent_events (contact_id, purpose, kind, basis, channel,
        evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// Appends one event and returns its id. The ledger has no update or delete.
pub fn append(tx: &Tx, e: &NewEvent) -> Result<i64> {
    Appender::new(tx)?.append(tx, e)
}

pub(in crate::store) const EVENT_COLUMNS: &str =
    "id, contact_id, purpose, kind, basis, channel, evidence, \
    occurred_at, recorded_at, operator, policy_version, override_objection";

pub(in crate::store) fn event_from_row(r: &Row) -> rusqlite::Result<Event> {
    let kind: String = r.get(3)?;
    Ok(Event {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        purpose: r.get(2)?,
        // The table's CHECK allows only the three kinds.
        kind: Kind::parse(&kind).unwrap_or(Kind::Objected),
        basis: r.get(4)?,
        channel: r.get(5)?,
        evidence: r.get(6)?,
        occurred_at: r.get(7)?,
        recorded_at: r.get(8)?,
        operator: r.get(9)?,
        policy_version: r.get(10)?,
        override_objection: r.get(11)?,
    })
}

/// Records one act of the person (a grant, withdrawal or objection) and its audit event,
/// naming the contact and the new event; `note` is appended to the detail (`purpose=P`).
/// Returns the event's id.
pub fn record(tx: &Tx, e: &NewEvent, action: Action, note: &str) -> Result<i64> {
    let id = append(tx, e)?;
    let mut detail = format!("purpose={}", e.purpose.unwrap_or("all-marketing"));
    if !note.is_empty() {
        detail.push(' ');
        detail.push_str(note);
    }
    audit::append(
        tx,
        e.recorded_at,
        e.operator,
        action,
        &audit::ObjectIds::of("contact", e.contact_id)
            .and("consent", id)
            .render(),
        &detail,
    )?;
    Ok(id)
}

/// Every event of a contact, in the order the person acted (then as recorded).
pub fn events_for_contact(tx: &Tx, contact_id: i64) -> Result<Vec<Event>> {
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM consent_events WHERE contact_id = ?1 ORDER BY occurred_at, id"
    ))?;
    let rows = st.query_map([contact_id], event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The state of every purpose of `policy` for one contact, in the policy's order.
/// (`contact show` includes this.)
pub fn status_for_contact(tx: &Tx, contact_id: i64, policy: &Policy) -> Result<Vec<PurposeStatus>> {
    let events = events_for_contact(tx, contact_id)?;
    Ok(policy.purposes.iter().map(|p| derive(p, &events)).collect())
}

/// Sets a connection up to scan a big register in bounded memory: a 2 MiB page cache and
/// no memory-mapped reads (mapped file pages count as the process's resident memory, which
/// would grow with the register).
pub fn tune_for_scans(tx: &Tx) -> Result<()> {
    let conn = tx.conn();
    conn.execute_batch("PRAGMA mmap_size = 0; PRAGMA cache_size = -2048;")?;
    Ok(())
}

/// Appends many events through one prepared statement (imports).
pub struct Appender<'c> {
    stmt: rusqlite::CachedStatement<'c>,
}

impl<'c> Appender<'c> {
    pub fn new(tx: &Tx<'c>) -> Result<Self> {
        let conn = tx.conn();
        Ok(Appender {
            stmt: conn.prepare_cached(INSERT_EVENT)?,
        })
    }

    pub fn append(&mut self, tx: &Tx, e: &NewEvent) -> Result<i64> {
        let conn = tx.conn();
        self.stmt.execute(params![
            e.contact_id,
            e.purpose,
            e.kind.as_str(),
            e.basis,
            e.channel,
            e.evidence,
            e.occurred_at,
            e.recorded_at,
            e.operator,
            e.policy_version,
            e.override_objection,
        ])?;
        Ok(conn.last_insert_rowid())
    }
}

// ---- register-wide state of one purpose ----

/// Sort key of an event in the order the person acted.
const KEY: &str = "occurred_at || printf('%012d', id)";

/// `s(contact_id, last, obj, ovr)`: per contact with events bearing on the purpose (bound as
/// `?1`), the keys of the latest event (with its kind appended), latest objection and latest
/// override grant.
fn state_cte(purpose: &Purpose) -> String {
    let filter = match (purpose.basis, purpose.marketing.is_some()) {
        // Consents and objections do not apply; `?1` is still bound.
        (Basis::Contract | Basis::LegalObligation, _) => "?1 IS NULL AND 0",
        // Objections to all direct marketing cover every marketing purpose.
        (_, true) => "purpose = ?1 OR (purpose IS NULL AND kind = 'objected')",
        (_, false) => "purpose = ?1",
    };
    format!(
        "s AS (
            SELECT contact_id,
                   max({KEY} || kind) AS last,
                   max(CASE WHEN kind = 'objected' THEN {KEY} END) AS obj,
                   max(CASE WHEN kind = 'granted' AND override_objection THEN {KEY} END) AS ovr
            FROM consent_events INDEXED BY consent_events_state -- the index alone, already in contact order
            WHERE {filter}
            GROUP BY contact_id)"
    )
}

/// The state as text, from `s` (NULL columns when the contact has no events).
fn state_expr(purpose: &Purpose) -> String {
    let default = match purpose.basis {
        Basis::Consent => "none",
        _ => "allowed",
    };
    format!(
        "CASE WHEN s.obj IS NOT NULL AND (s.ovr IS NULL OR s.ovr < s.obj) THEN 'objected'
              WHEN substr(s.last, 33) = 'granted' THEN 'allowed'
              WHEN substr(s.last, 33) = 'withdrawn' THEN 'withdrawn'
              ELSE '{default}' END"
    )
}

/// True when the purpose may be pursued, from `s` (for contacts that have a row in `s`):
/// no objection unless an override grant came after it, and the latest event is a grant.
/// Never NULL, so `NOT (…)` is safe.
const ALLOWED_FROM_S: &str =
    "coalesce(s.ovr, '') >= coalesce(s.obj, '') AND substr(s.last, 33) = 'granted'";

/// One row of `consent list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub contact_id: i64,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub state: State,
    pub since: Option<String>,
    pub event_id: Option<i64>,
    pub restricted_at: Option<String>,
}

fn parse_state(s: &str) -> State {
    match s {
        "allowed" => State::Allowed,
        "withdrawn" => State::Withdrawn,
        "objected" => State::Objected,
        _ => State::None,
    }
}

/// Every contact's state for `purpose`, by contact id; with `only`, just those in that state.
/// The state is the ledger's: a restricted contact (Art. 18) is listed in it too, with its
/// `restricted_at` (the mailing list is what leaves restricted contacts out).
/// One statement, streamed to `f`.
pub fn list(
    tx: &Tx,
    purpose: &Purpose,
    only: Option<State>,
    mut f: impl FnMut(ListRow) -> Result<()>,
) -> Result<usize> {
    let conn = tx.conn();
    let state = state_expr(purpose);
    let filter = match only {
        None => "1",
        Some(_) => "state = ?2",
    };
    let sql = format!(
        "WITH {cte}
         SELECT c.id, c.email, c.first_name, c.last_name, {state} AS state,
                CASE WHEN s.obj IS NOT NULL AND (s.ovr IS NULL OR s.ovr < s.obj) THEN s.obj ELSE s.last END AS k,
                c.restricted_at
         FROM contacts c LEFT JOIN s ON s.contact_id = c.id
         WHERE {filter}
         ORDER BY c.id",
        cte = state_cte(purpose),
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = match only {
        Some(s) => st.query(params![purpose.id, s.as_str()])?,
        None => st.query(params![purpose.id])?,
    };
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let key: Option<String> = r.get(5)?;
        let state: String = r.get(4)?;
        // The key is `occurred_at` (20 characters) and the zero-padded id (12).
        let since = key.as_deref().and_then(|k| k.get(..20)).map(String::from);
        let event_id = key
            .as_deref()
            .and_then(|k| k.get(20..32))
            .and_then(|id| id.parse::<i64>().ok());
        f(ListRow {
            contact_id: r.get(0)?,
            email: r.get(1)?,
            first_name: r.get(2)?,
            last_name: r.get(3)?,
            state: parse_state(&state),
            since,
            event_id,
            restricted_at: r.get(6)?,
        })?;
        n += 1;
    }
    Ok(n)
}

/// The columns of `export mailing-list`, in order.
pub const MAILING_LIST_COLUMNS: [&str; 4] = ["email", "first_name", "last_name", "company"];

/// The contact ids `export mailing-list` gives for `purpose` (which must be a marketing
/// purpose): the contacts who may be contacted for it today. Never a restricted contact
/// (Art. 18), never an objected one (to this purpose or to all direct marketing); opt-in needs
/// a live grant, opt-out only the absence of a refusal or objection.
///
/// Ids only, so memory stays small whatever the list's size, and without reading the contacts
/// table: the names and e-mails are read once, later ([`mailing_list_rows`]). Every contact id
/// comes from the e-mail index (a seventh of the table's size), the consent states from one
/// pass over the ledger, the restricted contacts from their partial index.
pub fn mailing_list_ids(tx: &Tx, purpose: &Purpose) -> Result<IdRanges> {
    let conn = tx.conn();
    let (first, last): (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(id), max(id) FROM contacts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(IdRanges::new());
    };
    let mut on_list = IdBits::new(first, last);
    let mut each = |sql: &str, bind: bool, f: &mut dyn FnMut(&mut IdBits, i64)| -> Result<()> {
        let mut st = conn.prepare(sql)?;
        let mut rows = if bind {
            st.query([&purpose.id])?
        } else {
            st.query([])?
        };
        while let Some(r) = rows.next()? {
            f(&mut on_list, r.get(0)?);
        }
        Ok(())
    };
    let cte = state_cte(purpose);
    match purpose.marketing {
        Some(crate::model::policy::Marketing::OptIn) => each(
            &format!("WITH {cte} SELECT contact_id FROM s WHERE {ALLOWED_FROM_S}"),
            true,
            &mut |b, id| b.insert(id),
        )?,
        Some(crate::model::policy::Marketing::OptOut) => {
            each("SELECT id FROM contacts", false, &mut |b, id| b.insert(id))?;
            each(
                &format!("WITH {cte} SELECT contact_id FROM s WHERE NOT ({ALLOWED_FROM_S})"),
                true,
                &mut |b, id| b.remove(id),
            )?;
        }
        None => {
            return Err(Error::Refused(format!(
                "{} is not a marketing purpose",
                purpose.id
            )))
        }
    }
    each(
        "SELECT id FROM contacts WHERE restricted_at IS NOT NULL",
        false,
        &mut |b, id| b.remove(id),
    )?;
    Ok(on_list.ranges())
}

/// A set of contact ids between two bounds, one bit each (125 KiB for a million ids),
/// filled in any order and read back in id order.
struct IdBits {
    first: i64,
    last: i64,
    words: Vec<u64>,
}

impl IdBits {
    fn new(first: i64, last: i64) -> Self {
        let n = usize::try_from(last.saturating_sub(first)).unwrap_or(0) / 64 + 1;
        IdBits {
            first,
            last,
            words: vec![0; n],
        }
    }

    fn slot(&self, id: i64) -> Option<(usize, u64)> {
        if id > self.last {
            return None;
        }
        let at = usize::try_from(id.checked_sub(self.first)?).ok()?;
        (at / 64 < self.words.len()).then_some((at / 64, 1 << (at % 64)))
    }

    fn insert(&mut self, id: i64) {
        if let Some((w, bit)) = self.slot(id) {
            self.words[w] |= bit;
        }
    }

    fn remove(&mut self, id: i64) {
        if let Some((w, bit)) = self.slot(id) {
            self.words[w] &= !bit;
        }
    }

    fn ranges(&self) -> IdRanges {
        let mut out = IdRanges::new();
        for (w, &word) in self.words.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                out.push(self.first + (w as i64) * 64 + i64::from(bit));
            }
        }
        out
    }
}

/// Streams the [`MAILING_LIST_COLUMNS`] of the contacts `ids` names, in id order, straight
/// from SQLite's buffers: one pass over the contacts, however the ids are spread.
pub fn mailing_list_rows(
    tx: &Tx,
    ids: &IdRanges,
    mut f: impl FnMut(&[&[u8]; MAILING_LIST_COLUMNS.len()], i64) -> Result<()>,
) -> Result<()> {
    let spans = ids.spans();
    let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
        return Ok(());
    };
    let mut st = tx.conn().prepare(
        "SELECT email, first_name, last_name, company, id FROM contacts
         WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
    )?;
    let mut rows = st.query([first.0, last.1])?;
    let mut at = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(MAILING_LIST_COLUMNS.len())?;
        while at < spans.len() && spans[at].1 < id {
            at += 1;
        }
        let Some(&(start, _)) = spans.get(at) else {
            break;
        };
        if id < start {
            continue;
        }
        let cells = [text(r, 0)?, text(r, 1)?, text(r, 2)?, text(r, 3)?];
        f(&cells, id)?;
    }
    Ok(())
}

/// The contact ids `consent list` shows for `purpose` (with `only`, those in that state).
pub fn list_ids(tx: &Tx, purpose: &Purpose, only: Option<State>) -> Result<IdRanges> {
    let mut ids = IdRanges::new();
    match only {
        // Every contact: no need to compute the states.
        None => {
            let mut st = tx.conn().prepare("SELECT id FROM contacts ORDER BY id")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                ids.push(r.get(0)?);
            }
        }
        Some(_) => {
            list(tx, purpose, only, |r| {
                ids.push(r.contact_id);
                Ok(())
            })?;
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests;

fn text<'r>(r: &'r rusqlite::Row, i: usize) -> Result<&'r [u8]> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => t,
        _ => b"",
    })
}
