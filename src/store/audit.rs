//! The audit trail: who did what to which ids, when. Never personal values.
//!
//! Each event stores the SHA-256 of its own content and of the previous event's hash, so
//! an edited, inserted or deleted event breaks the chain that [`verify`] walks.

use crate::store::Tx;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::model::audit::Action;

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
    tx: &Tx,
    at: &str,
    operator: &str,
    action: Action,
    object_ids: &str,
    detail: &str,
) -> Result<i64> {
    let conn = tx.conn();
    append_text(conn, at, operator, action.as_str(), object_ids, detail)
}

/// [`append`] with the action as text: only for tests that write what a binary of another
/// version might have written.
fn append_text(
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

/// Which events `audit list` shows. Times are in the stored form (UTC RFC 3339), so they
/// compare as text.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Exactly this operator.
    pub operator: Option<String>,
    /// Actions starting with this text (`contact.` or `policy.apply`).
    pub action_prefix: Option<String>,
    /// At or after this time.
    pub since: Option<String>,
    /// Strictly before this time.
    pub before: Option<String>,
    /// Only the newest N matching events (still given oldest first).
    pub limit: Option<u64>,
}

/// Calls `f` with each matching event, oldest first; returns how many there were.
/// Without a limit the rows stream, so a long trail is never held in memory.
pub fn query(
    tx: &Tx,
    filter: &Filter,
    mut f: impl FnMut(AuditEvent) -> Result<()>,
) -> Result<usize> {
    let conn = tx.conn();
    let (order, limit) = match filter.limit {
        Some(n) => ("DESC", i64::try_from(n).unwrap_or(i64::MAX)),
        None => ("ASC", -1),
    };
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM audit_events
         WHERE (?1 IS NULL OR operator = ?1)
           AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2)
           AND (?3 IS NULL OR at >= ?3)
           AND (?4 IS NULL OR at < ?4)
         ORDER BY id {order} LIMIT ?5"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![
        filter.operator,
        filter.action_prefix,
        filter.since,
        filter.before,
        limit
    ])?;
    let mut n = 0;
    if filter.limit.is_some() {
        // At most `limit` rows: collect the newest, then give them oldest first.
        let mut newest = Vec::new();
        while let Some(r) = rows.next()? {
            newest.push(row_to_event(r)?);
        }
        for e in newest.into_iter().rev() {
            f(e)?;
            n += 1;
        }
    } else {
        while let Some(r) = rows.next()? {
            f(row_to_event(r)?)?;
            n += 1;
        }
    }
    Ok(n)
}

/// The newest event's id in the snapshot (0 when there is none): what an export of the
/// trail read from the same snapshot goes up to.
pub fn head_id(tx: &Tx) -> Result<i64> {
    Ok(tx
        .conn()
        .query_row("SELECT coalesce(max(id), 0) FROM audit_events", [], |r| {
            r.get(0)
        })?)
}

/// The stored columns of an event, as `export audit` writes them.
pub const EXPORT_COLUMNS: [&str; 8] = [
    "id",
    "at",
    "operator",
    "action",
    "object_ids",
    "detail",
    "prev_hash",
    "hash",
];

/// Streams every event with `since <= at < before` (stored-form bounds, either open), oldest
/// first, as its id and the other [`EXPORT_COLUMNS`] borrowed from SQLite's buffers: nothing
/// is held per row. Returns how many there were.
pub fn export(
    tx: &Tx,
    since: Option<&str>,
    before: Option<&str>,
    mut each: impl FnMut(i64, &[&[u8]; 7]) -> Result<()>,
) -> Result<u64> {
    let conn = tx.conn();
    let mut sql = format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE 1 = 1");
    let mut args: Vec<&str> = Vec::new();
    for (bound, clause) in [(since, "at >="), (before, "at <")] {
        if let Some(b) = bound {
            args.push(b);
            sql.push_str(&format!(" AND {clause} ?{}", args.len()));
        }
    }
    sql.push_str(" ORDER BY id");
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(args))?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<&[u8]> {
            match r.get_ref(i)? {
                rusqlite::types::ValueRef::Text(t) => Ok(t),
                other => Err(rusqlite::Error::InvalidColumnType(
                    i,
                    EXPORT_COLUMNS[i].into(),
                    other.data_type(),
                )),
            }
        };
        let cells = [
            text(1)?,
            text(2)?,
            text(3)?,
            text(4)?,
            text(5)?,
            text(6)?,
            text(7)?,
        ];
        each(r.get(0)?, &cells)?;
        n += 1;
    }
    Ok(n)
}

/// The first thing wrong in the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum ChainBreak {
    /// Ids `from..=to` are absent: those events were deleted.
    Missing { from: i64, to: i64 },
    /// The event's content no longer matches its stored hash.
    Edited { id: i64 },
    /// The event's `prev_hash` is not the previous event's hash: an event before it was
    /// replaced (with a recomputed hash) or this one was inserted.
    BrokenLink { id: i64, previous: i64 },
    /// An id that cannot follow the previous one (e.g. 0 or negative before event 1).
    UnexpectedId { id: i64, expected: i64 },
    /// No events at all: every register starts with its `register.create` event.
    Empty,
}

impl ChainBreak {
    /// The first event id that is wrong (0 for an empty trail).
    pub fn id(&self) -> i64 {
        match self {
            ChainBreak::Missing { from, .. } => *from,
            ChainBreak::Edited { id }
            | ChainBreak::BrokenLink { id, .. }
            | ChainBreak::UnexpectedId { id, .. } => *id,
            ChainBreak::Empty => 0,
        }
    }
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Missing { from, to } if from == to => write!(
                f,
                "event {from} is missing (deleted); the chain continues at event {}",
                to + 1
            ),
            ChainBreak::Missing { from, to } => write!(
                f,
                "events {from}–{to} are missing (deleted); the chain continues at event {}",
                to + 1
            ),
            ChainBreak::Edited { id } => write!(
                f,
                "event {id} was edited: its content does not match its stored hash"
            ),
            ChainBreak::BrokenLink { id, previous } => write!(
                f,
                "broken link at event {id}: its prev_hash is not the hash of event {previous} (an event was replaced or inserted)"
            ),
            ChainBreak::UnexpectedId { id, expected } => write!(
                f,
                "event id {id} does not belong in the chain (expected event {expected} next)"
            ),
            ChainBreak::Empty => write!(
                f,
                "the audit trail is empty, but every register starts with its register.create event: events were deleted"
            ),
        }
    }
}

/// Walks the chain one event at a time (pure: no SQL), so it can check millions of events
/// in constant memory.
#[derive(Debug, Clone)]
pub struct ChainWalker {
    expect_head: Option<String>,
    next_id: i64,
    prev_hash: String,
    events: u64,
    head: Option<(i64, String)>,
    /// The id of the event whose hash is `expect_head`, once seen.
    expected_at: Option<i64>,
}

/// The outcome of a walk over an intact chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    pub events: u64,
    /// The last event's id and its hash (GENESIS when there are none).
    pub head_id: Option<i64>,
    pub head_at: Option<String>,
    pub head: String,
    /// With an expected head: the id of the event that has that hash, or None when none has.
    pub expected_head_id: Option<i64>,
}

impl ChainWalker {
    pub fn new(expect_head: Option<&str>) -> ChainWalker {
        ChainWalker {
            expect_head: expect_head.map(|h| h.trim().to_ascii_lowercase()),
            next_id: 1,
            prev_hash: GENESIS.to_string(),
            events: 0,
            head: None,
            expected_at: None,
        }
    }

    /// Checks the next event (events must come in id order).
    pub fn push(&mut self, e: &AuditEvent) -> Result<(), ChainBreak> {
        if e.id > self.next_id {
            return Err(ChainBreak::Missing {
                from: self.next_id,
                to: e.id - 1,
            });
        }
        if e.id < self.next_id {
            return Err(ChainBreak::UnexpectedId {
                id: e.id,
                expected: self.next_id,
            });
        }
        let hash = event_hash(
            e.id,
            &e.at,
            &e.operator,
            &e.action,
            &e.object_ids,
            &e.detail,
            &e.prev_hash,
        );
        if hash != e.hash {
            return Err(ChainBreak::Edited { id: e.id });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::BrokenLink {
                id: e.id,
                previous: e.id - 1,
            });
        }
        if self.expect_head.as_deref() == Some(e.hash.as_str()) {
            self.expected_at = Some(e.id);
        }
        self.next_id = e.id + 1;
        self.prev_hash = e.hash.clone();
        self.events += 1;
        self.head = Some((e.id, e.at.clone()));
        Ok(())
    }

    pub fn finish(self) -> Result<ChainReport, ChainBreak> {
        if self.events == 0 {
            return Err(ChainBreak::Empty);
        }
        Ok(ChainReport {
            events: self.events,
            head_id: self.head.as_ref().map(|h| h.0),
            head_at: self.head.map(|h| h.1),
            head: self.prev_hash,
            expected_head_id: self.expected_at,
        })
    }
}

/// The result of walking the stored chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Events checked and found intact before the first break (all of them when intact).
    pub intact: u64,
    pub outcome: std::result::Result<ChainReport, ChainBreak>,
}

/// Walks the whole stored chain in id order. Errors are database failures only; a broken
/// chain is reported in the [`Verification`].
pub fn verify(tx: &Tx, expect_head: Option<&str>) -> Result<Verification> {
    let conn = tx.conn();
    let mut walker = ChainWalker::new(expect_head);
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_events ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Err(b) = walker.push(&row_to_event(r)?) {
            return Ok(Verification {
                intact: walker.events,
                outcome: Err(b),
            });
        }
    }
    Ok(Verification {
        intact: walker.events,
        outcome: walker.finish(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid chain of `n` events.
    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|id| {
                let at = format!("2026-11-23T10:00:{:02}Z", id % 60);
                let action = if id % 2 == 0 {
                    "contact.add"
                } else {
                    "policy.apply"
                };
                let hash = event_hash(
                    id,
                    &at,
                    "tester",
                    action,
                    &format!("contact:{id}"),
                    "",
                    &prev,
                );
                let e = AuditEvent {
                    id,
                    at,
                    operator: "tester".into(),
                    action: action.into(),
                    object_ids: format!("contact:{id}"),
                    detail: String::new(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn walk(events: &[AuditEvent], expect: Option<&str>) -> Result<ChainReport, ChainBreak> {
        let mut w = ChainWalker::new(expect);
        for e in events {
            w.push(e)?;
        }
        w.finish()
    }

    #[test]
    fn intact_chain_reports_count_and_head() {
        let c = chain(5);
        let r = walk(&c, None).unwrap();
        assert_eq!((r.events, r.head_id), (5, Some(5)));
        assert_eq!(r.head, c[4].hash);
        assert_eq!(r.expected_head_id, None);
    }

    #[test]
    fn edited_content_is_found_at_its_event() {
        let mut c = chain(5);
        c[2].object_ids = "contact:99".into();
        assert_eq!(walk(&c, None), Err(ChainBreak::Edited { id: 3 }));
    }

    #[test]
    fn rehashed_edit_breaks_the_next_link() {
        let mut c = chain(5);
        let e = &mut c[2];
        e.detail = "changed".into();
        e.hash = event_hash(
            e.id,
            &e.at,
            &e.operator,
            &e.action,
            &e.object_ids,
            &e.detail,
            &e.prev_hash,
        );
        assert_eq!(
            walk(&c, None),
            Err(ChainBreak::BrokenLink { id: 4, previous: 3 })
        );
    }

    #[test]
    fn deleted_events_are_missing_ids() {
        let mut c = chain(6);
        c.remove(2);
        c.remove(2);
        assert_eq!(walk(&c, None), Err(ChainBreak::Missing { from: 3, to: 4 }));
        let first_gone = &chain(3)[1..];
        assert_eq!(
            walk(first_gone, None),
            Err(ChainBreak::Missing { from: 1, to: 1 })
        );
        assert_eq!(walk(&[], None), Err(ChainBreak::Empty));
    }

    #[test]
    fn expected_head_is_found_or_not() {
        let c = chain(6);
        let saved = c[3].hash.to_ascii_uppercase();
        assert_eq!(walk(&c, Some(&saved)).unwrap().expected_head_id, Some(4));
        // The tail after the saved head was cut: no event has the saved hash.
        let saved = c[5].hash.clone();
        assert_eq!(walk(&c[..4], Some(&saved)).unwrap().expected_head_id, None);
    }

    #[test]
    fn query_filters_and_limits() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::store::migrations::MIGRATIONS[0])
            .unwrap();
        for (i, (op, action)) in [
            ("anna", "contact.add"),
            ("bertil", "policy.apply"),
            ("anna", "contact.edit"),
            // Not an action this binary writes, but the prefix must not match it.
            ("anna", "contactx"),
        ]
        .iter()
        .enumerate()
        {
            append_text(
                &conn,
                &format!("2026-11-2{}T10:00:00Z", i + 1),
                op,
                action,
                "",
                "",
            )
            .unwrap();
        }
        let ids = |f: &Filter| {
            let mut v = Vec::new();
            query(&Tx::new(&conn), f, |e| {
                v.push(e.id);
                Ok(())
            })
            .unwrap();
            v
        };
        assert_eq!(ids(&Filter::default()), vec![1, 2, 3, 4]);
        let f = Filter {
            action_prefix: Some("contact.".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&f), vec![1, 3]);
        let f = Filter {
            operator: Some("anna".into()),
            limit: Some(2),
            ..Filter::default()
        };
        assert_eq!(ids(&f), vec![3, 4]);
        let f = Filter {
            since: Some("2026-11-22T00:00:00Z".into()),
            before: Some("2026-11-24T00:00:00Z".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&f), vec![2, 3]);
        let v = verify(&Tx::new(&conn), None).unwrap();
        assert_eq!((v.intact, v.outcome.unwrap().events), (4, 4));
    }
}

/// The ids of one kind a command touched or disclosed, written compactly as ranges for the
/// audit trail: `contact:1-5,9,12-14`. Ids may come in any order; they are sorted when written.
#[derive(Debug, Default, Clone)]
pub struct IdRanges {
    /// Ids pushed one by one and not (yet) part of a span: 8 bytes each, as a list in
    /// random order (by name) needs.
    singles: Vec<i64>,
    /// Inclusive spans: from `push_span`, or ids that came one after another (exports in id
    /// order), so a million of those take one entry.
    spans: Vec<(i64, i64)>,
    pushed: usize,
}

impl IdRanges {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, id: i64) {
        self.pushed = self.pushed.saturating_add(1);
        if let Some((_, end)) = self.spans.last_mut() {
            if end.checked_add(1) == Some(id) {
                *end = id;
                return;
            }
        }
        if id
            .checked_sub(1)
            .is_some_and(|prev| self.singles.last() == Some(&prev))
        {
            self.singles.pop();
            self.spans.push((id - 1, id));
        } else {
            self.singles.push(id);
        }
    }

    /// Every id from `first` to `last` (inclusive; nothing when `last < first`), without
    /// pushing them one by one: an import's new rows are numbered one after another.
    pub fn push_span(&mut self, first: i64, last: i64) {
        if last < first {
            return;
        }
        // Counted as given: `len` is how many ids the caller handed over.
        let n = usize::try_from(last.abs_diff(first)).unwrap_or(usize::MAX);
        self.pushed = self.pushed.saturating_add(n).saturating_add(1);
        self.spans.push((first, last));
    }

    /// How many ids were pushed (a repeated id counts each time).
    pub fn len(&self) -> usize {
        self.pushed
    }

    pub fn is_empty(&self) -> bool {
        self.singles.is_empty() && self.spans.is_empty()
    }

    /// All ids as sorted, disjoint inclusive spans (adjacent ones joined).
    pub fn spans(&self) -> Vec<(i64, i64)> {
        self.merged()
    }

    /// All ids as sorted spans, overlapping and adjacent ones joined.
    fn merged(&self) -> Vec<(i64, i64)> {
        let mut singles = self.singles.clone();
        singles.sort_unstable();
        let mut spans = self.spans.clone();
        spans.sort_unstable();
        // Walk both sorted lists in order, growing the last span while the next id touches it.
        let mut out: Vec<(i64, i64)> = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < singles.len() || j < spans.len() {
            let next = match (singles.get(i), spans.get(j)) {
                (Some(&id), Some(&span)) if id < span.0 => {
                    i += 1;
                    (id, id)
                }
                (_, Some(&span)) => {
                    j += 1;
                    span
                }
                (Some(&id), None) => {
                    i += 1;
                    (id, id)
                }
                (None, None) => break,
            };
            match out.last_mut() {
                Some((_, end)) if next.0 <= end.saturating_add(1) => *end = (*end).max(next.1),
                _ => out.push(next),
            }
        }
        out
    }

    /// `kind:a-b,c,…`, or an empty string when there are no ids.
    pub fn render(&self, kind: &str) -> String {
        let mut out = String::new();
        self.write_to(&mut out, kind);
        out
    }

    fn write_to(&self, out: &mut String, kind: &str) {
        use std::fmt::Write as _;
        for (i, (start, end)) in self.merged().into_iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "{kind}:");
            } else {
                out.push(',');
            }
            let _ = if start == end {
                write!(out, "{start}")
            } else {
                write!(out, "{start}-{end}")
            };
        }
    }
}

/// Ids of several kinds in one audit value, each kind written once with its ranges, in the
/// order the kinds were first named: `contact:1,hold:3-4`. Kinds with no ids are left out.
#[derive(Debug, Default, Clone)]
pub struct ObjectIds {
    kinds: Vec<(&'static str, IdRanges)>,
}

impl ObjectIds {
    pub fn new() -> Self {
        Self::default()
    }

    /// One id: `ObjectIds::of("contact", 1).and("hold", 3)`.
    pub fn of(kind: &'static str, id: i64) -> Self {
        Self::new().and(kind, id)
    }

    pub fn and(mut self, kind: &'static str, id: i64) -> Self {
        self.push(kind, id);
        self
    }

    pub fn push(&mut self, kind: &'static str, id: i64) {
        self.ranges(kind).push(id);
    }

    /// The ids of one kind, to push many (or a span) at once.
    pub fn ranges(&mut self, kind: &'static str) -> &mut IdRanges {
        let i = match self.kinds.iter().position(|(k, _)| *k == kind) {
            Some(i) => i,
            None => {
                self.kinds.push((kind, IdRanges::new()));
                self.kinds.len() - 1
            }
        };
        &mut self.kinds[i].1
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for (kind, ids) in self.kinds.iter().filter(|(_, ids)| !ids.is_empty()) {
            if !out.is_empty() {
                out.push(',');
            }
            ids.write_to(&mut out, kind);
        }
        out
    }
}

#[cfg(test)]
mod id_range_tests {
    use super::{IdRanges, ObjectIds};

    #[test]
    fn ids_are_written_as_sorted_ranges() {
        let mut r = IdRanges::new();
        for id in [9, 1, 2, 3, 12, 14, 13, 5, 3] {
            r.push(id);
        }
        assert_eq!(r.render("contact"), "contact:1-3,5,9,12-14");
        assert_eq!(r.len(), 9);
        assert_eq!(IdRanges::new().render("contact"), "");
        assert!(IdRanges::new().is_empty());
    }

    #[test]
    fn spans_join_the_ids_around_them() {
        let ids = |single: &[i64], span: (i64, i64)| {
            let mut r = IdRanges::new();
            for &id in single {
                r.push(id);
            }
            r.push_span(span.0, span.1);
            r.render("contact")
        };
        assert_eq!(ids(&[], (7, 7)), "contact:7");
        assert_eq!(ids(&[], (7, 10)), "contact:7-10");
        assert_eq!(ids(&[1, 3], (7, 10)), "contact:1,3,7-10");
        assert_eq!(ids(&[6, 3], (7, 10)), "contact:3,6-10");
        assert_eq!(ids(&[5, 6, 1], (7, 7)), "contact:1,5-7");
        assert_eq!(ids(&[8, 12], (7, 10)), "contact:7-10,12");
        assert_eq!(ids(&[11], (7, 10)), "contact:7-11");
        assert_eq!(ids(&[4], (7, 6)), "contact:4");
    }

    #[test]
    fn ids_in_order_take_one_span() {
        let mut r = IdRanges::new();
        for id in 1..=100_000 {
            r.push(id);
        }
        assert_eq!((r.singles.len(), r.spans.len()), (0, 1));
        assert_eq!(r.len(), 100_000);
        assert_eq!(r.render("contact"), "contact:1-100000");
    }

    /// The plain way: every id in a set, runs written from it.
    fn naive(ids: &std::collections::BTreeSet<i64>, kind: &str) -> String {
        let mut runs: Vec<(i64, i64)> = Vec::new();
        for &id in ids {
            match runs.last_mut() {
                Some((_, e)) if *e + 1 == id => *e = id,
                _ => runs.push((id, id)),
            }
        }
        let parts: Vec<String> = runs
            .iter()
            .map(|&(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            })
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("{kind}:{}", parts.join(","))
        }
    }

    proptest::proptest! {
        #[test]
        fn ranges_are_the_ids_pushed(ops in proptest::collection::vec((0i64..40, 0i64..6, proptest::bool::ANY), 0..40)) {
            let mut r = IdRanges::new();
            let mut set = std::collections::BTreeSet::new();
            let mut count = 0usize;
            for (id, width, span) in ops {
                if span {
                    r.push_span(id, id + width - 1);
                    set.extend(id..id + width);
                    count += width as usize;
                } else {
                    r.push(id);
                    set.insert(id);
                    count += 1;
                }
            }
            proptest::prop_assert_eq!(r.render("contact"), naive(&set, "contact"));
            proptest::prop_assert_eq!(r.len(), count);
            proptest::prop_assert_eq!(r.is_empty(), set.is_empty());
        }
    }

    #[test]
    fn several_kinds_in_one_value() {
        assert_eq!(
            ObjectIds::of("contact", 1).and("hold", 3).render(),
            "contact:1,hold:3"
        );
        let mut o = ObjectIds::of("contact", 4);
        for h in [7, 5, 6] {
            o.push("hold", h);
        }
        o.push("contact", 2);
        assert_eq!(o.render(), "contact:2,4,hold:5-7");
        // A kind named but given no ids is left out.
        let mut o = ObjectIds::new();
        o.ranges("contact");
        o.push("consent", 9);
        assert_eq!(o.render(), "consent:9");
        assert_eq!(ObjectIds::new().render(), "");
    }
}
