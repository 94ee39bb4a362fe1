use super::*;
use crate::model::policy::Policy;
use rusqlite::params;

const NOW: &str = "2026-11-23T10:00:00Z";

/// A register file with six people (ids 1–6), each with one row in every linked table and
/// one request; person `n` is first_name `Name{n}`. A seventh request names person 5 only by
/// the subject's e-mail (made before they were added).
fn register() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let now = time::parse_time(NOW, time::DEFAULT_ZONE).unwrap();
    let store = Store::create(
        &dir.path().join("r.db"),
        &Policy::default_policy(),
        now,
        "t",
    )
    .unwrap();
    let conn = &store.conn;
    for id in 1..=6i64 {
        conn.execute(
            "INSERT INTO contacts (id, first_name, email, phone, category, source, created_at, updated_at)
             VALUES (?1, ?2, ?3, '+358 40 123 456' || ?1, 'customer', 'direct', ?4, ?4)",
            params![id, format!("Name{id}"), format!("p{id}@example.fi"), NOW],
        )
        .unwrap();
        for sql in [
            "INSERT INTO contact_log (contact_id, date, channel, summary, recorded_at, operator) VALUES (?1, '2026-01-01', 'email', 'called', 'x', 't')",
            "INSERT INTO courses (contact_id, course, completed, recorded_at) VALUES (?1, 'GDPR', '2026-01-01', 'x')",
            "INSERT INTO purchases (contact_id, date, item, recorded_at) VALUES (?1, '2026-01-01', 'book', 'x')",
            "INSERT INTO contact_tags (contact_id, tag) VALUES (?1, 'vip')",
            "INSERT INTO holds (contact_id, reason, placed_at, placed_by, released_at) VALUES (?1, 'dispute', '2025-01-01T00:00:00Z', 't', '2025-02-01T00:00:00Z')",
            "INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, occurred_at, recorded_at, operator, policy_version) VALUES (?1, 'newsletter', 'granted', 'consent', 'email', 'x', 'x', 't', 1)",
            "INSERT INTO requests (year, seq, type, status, contact_id, received, due, channel, requester, details, opened_at, opened_by) VALUES (2026, ?1, 'access', 'received', ?1, '2026-11-01', '2026-12-01', 'email', 'spouse', 'wants a copy', 'x', 't')",
        ] {
            conn.execute(sql, [id]).unwrap();
        }
    }
    conn.execute(
        "INSERT INTO requests (year, seq, type, status, subject_email, received, due, channel, requester, opened_at, opened_by)
         VALUES (2026, 7, 'access', 'received', 'p5@example.fi', '2026-10-01', '2026-11-02', 'email', 'p5 themselves', 'x', 't')",
        [],
    )
    .unwrap();
    (dir, store)
}

fn erasure(reason: Reason<'_>, suppress: bool) -> Erasure<'_> {
    Erasure {
        reason,
        request: None,
        suppress,
        today: time::parse_date("2026-11-23").unwrap(),
        zone: time::DEFAULT_ZONE,
        now: NOW,
        operator: "t",
    }
}

fn ints(store: &Store, sql: &str) -> Vec<i64> {
    let mut st = store.conn.prepare(sql).unwrap();
    let rows = st.query_map([], |r| r.get(0)).unwrap();
    rows.map(|r| r.unwrap()).collect()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Everything of the six people and the audit trail, to compare before and after.
fn snapshot(store: &Store) -> Vec<i64> {
    [
        "SELECT count(*) FROM contacts",
        "SELECT count(*) FROM contact_log",
        "SELECT count(*) FROM courses",
        "SELECT count(*) FROM purchases",
        "SELECT count(*) FROM contact_tags",
        "SELECT count(*) FROM holds",
        "SELECT count(*) FROM consent_events",
        "SELECT count(*) FROM requests WHERE requester IS NOT NULL",
        "SELECT count(*) FROM suppressions",
        "SELECT count(*) FROM audit_events",
    ]
    .iter()
    .map(|sql| count(store, sql))
    .collect()
}

#[test]
fn the_erasure_handles_every_table_that_references_contacts() {
    let (_dir, store) = register();
    let mut st = store
        .conn
        .prepare(
            "SELECT m.name, f.on_delete FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = 'contacts' ORDER BY m.name",
        )
        .unwrap();
    let referencing: Vec<(String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut handled: Vec<(String, String)> = LINKED
        .iter()
        .map(|(t, _)| (t.to_string(), "CASCADE".to_string()))
        .collect();
    // Requests stay, without the person's text and id.
    handled.push(("requests".into(), "SET NULL".into()));
    handled.sort();
    assert_eq!(referencing, handled);
}

#[test]
fn a_batch_erases_exactly_its_people_with_one_audit_event() {
    let (_dir, mut store) = register();
    let before_events = count(&store, "SELECT count(*) FROM audit_events");
    let e = erasure(Reason::Tool("retention"), true);
    // In bulk: the schema's cascades are off, so this is the erasure's own work alone.
    let erased = bulk(&mut store, |tx| erase(tx, &[5, 2, 3, 2], &e)).unwrap();
    assert_eq!(
        (
            erased.contacts,
            erased.history,
            erased.courses,
            erased.purchases
        ),
        (3, 3, 3, 3)
    );
    assert_eq!((erased.tags, erased.holds, erased.consents), (3, 3, 3));
    // Their own three requests and the one naming person 5 by e-mail.
    assert_eq!((erased.requests, erased.suppressed), (4, true));
    assert_eq!(
        ints(&store, "SELECT id FROM contacts ORDER BY id"),
        vec![1, 4, 6]
    );
    for table in [
        "contact_log",
        "courses",
        "purchases",
        "contact_tags",
        "holds",
        "consent_events",
    ] {
        assert_eq!(
            ints(
                &store,
                &format!("SELECT contact_id FROM {table} ORDER BY contact_id")
            ),
            vec![1, 4, 6],
            "{table}"
        );
    }
    assert_eq!(
        ints(
            &store,
            "SELECT seq FROM requests WHERE requester IS NULL AND details IS NULL
             AND subject_email IS NULL AND contact_id IS NULL ORDER BY seq"
        ),
        vec![2, 3, 5, 7]
    );
    assert_eq!(
        ints(
            &store,
            "SELECT contact_id FROM requests WHERE requester = 'spouse' ORDER BY seq"
        ),
        vec![1, 4, 6]
    );
    assert_eq!(count(&store, "SELECT count(*) FROM suppressions"), 3);
    // Nothing is left pointing at an erased contact, though the cascades were off.
    assert_eq!(
        count(&store, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
    // One event for the batch, naming its ids (never values), and the chain holds.
    let (ids, detail): (String, String) = store
        .conn
        .query_row(
            "SELECT object_ids, detail FROM audit_events WHERE action = 'contact.erase'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit_events"),
        before_events + 1
    );
    assert_eq!(ids, "contact:2-3,5");
    assert_eq!(
        detail,
        "history=3 courses=3 purchases=3 tags=3 holds=3 consents=3 requests=4 suppressed=yes \
         reason=\"retention\""
    );
    let v = store.read(|tx| audit::verify(tx, None)).unwrap();
    assert!(v.outcome.is_ok(), "{v:?}");
}

#[test]
fn a_live_hold_on_one_refuses_the_whole_batch() {
    let (_dir, mut store) = register();
    store
        .conn
        .execute(
            "INSERT INTO holds (contact_id, reason, until, placed_at, placed_by)
             VALUES (3, 'tax audit', '2027-06-30', '2026-01-01T00:00:00Z', 't')",
            [],
        )
        .unwrap();
    let before = snapshot(&store);
    let e = erasure(Reason::Tool("retention"), true);
    let err = bulk(&mut store, |tx| erase(tx, &[2, 3, 4], &e)).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, Error::Refused(_))
            && msg.contains("contact 3")
            && msg.contains("until 2027-06-30")
            && msg.contains("tax audit"),
        "{msg}"
    );
    assert_eq!(snapshot(&store), before);
    assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
}

#[test]
fn an_operators_reason_naming_anyone_of_the_batch_is_refused() {
    let (_dir, mut store) = register();
    let before = snapshot(&store);
    let e = erasure(Reason::Operator("asked by name4 himself"), false);
    let err = store.write(|tx| erase(tx, &[2, 4], &e)).unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("first name"), "{err}");
    assert_eq!(snapshot(&store), before);
    // The tool's own reasons are not checked against the people: a request id's digits
    // are not taken for a phone number.
    let id = "erasure request R-2026-1234564";
    let e = erasure(Reason::Operator(id), false);
    assert!(store.write(|tx| erase(tx, &[4], &e)).is_err());
    let e = erasure(Reason::Tool(id), false);
    store.write(|tx| erase(tx, &[4], &e)).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM contacts"), 5);
}

#[test]
fn an_id_that_is_not_a_contact_changes_nothing() {
    let (_dir, mut store) = register();
    let before = snapshot(&store);
    let e = erasure(Reason::Tool("retention"), false);
    let err = bulk(&mut store, |tx| erase(tx, &[2, 99], &e)).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert_eq!(snapshot(&store), before);
}

#[test]
fn an_erasure_outside_a_transaction_is_refused() {
    let (_dir, store) = register();
    let e = erasure(Reason::Tool("retention"), false);
    assert!(erase(&store.session(), &[1], &e).is_err());
    assert_eq!(count(&store, "SELECT count(*) FROM contacts"), 6);
}
