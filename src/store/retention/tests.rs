use super::*;
use crate::model::policy::RecordRetention;
use crate::store::holds;
use proptest::prelude::*;
use rusqlite::Connection;

fn register() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    for m in crate::store::migrations::MIGRATIONS {
        conn.execute_batch(m).unwrap();
    }
    conn.execute(
        "INSERT INTO policy_versions (created_at, operator, body) VALUES ('2020-01-01T00:00:00Z', 't', '')",
        [],
    )
    .unwrap();
    conn
}

/// A random person: days are offsets back from the purge day (so both sides of every
/// cutoff), times fall late in the UTC evening (a different day in Helsinki).
#[derive(Debug, Clone)]
struct Spec {
    category: u8,
    added: u16,
    started: Option<u16>,
    ended: Option<u16>,
    last_contact: Option<u16>,
    history: Vec<u16>,
    courses: Vec<u16>,
    purchases: Vec<u16>,
    /// (days back, granted?)
    consents: Vec<(u16, bool)>,
    /// (placed days back, until days back (may be ahead), released days back)
    holds: Vec<(u16, Option<i16>, Option<u16>)>,
    /// (closed days back, completed or refused (else still open))
    requests: Vec<(u16, u8)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let days = 0u16..1400;
    let few = |s: std::ops::Range<u16>| proptest::collection::vec(s, 0..3);
    (
        0u8..3,
        days.clone(),
        proptest::option::of(days.clone()),
        proptest::option::of(days.clone()),
        proptest::option::of(days.clone()),
        few(days.clone()),
        few(days.clone()),
        few(days.clone()),
        proptest::collection::vec((days.clone(), any::<bool>()), 0..3),
        proptest::collection::vec(
            (
                days.clone(),
                proptest::option::of(-30i16..60),
                proptest::option::of(0u16..40),
            ),
            0..2,
        ),
        proptest::collection::vec((0u16..2200, 0u8..3), 0..2),
    )
        .prop_map(
            |(
                category,
                added,
                started,
                ended,
                last_contact,
                history,
                courses,
                purchases,
                consents,
                holds,
                requests,
            )| Spec {
                category,
                added,
                started,
                ended,
                last_contact,
                history,
                courses,
                purchases,
                consents,
                holds,
                requests,
            },
        )
}

const TODAY: &str = "2026-11-23";

fn day(back: i64) -> NaiveDate {
    time::parse_date(TODAY).unwrap() - chrono::Duration::days(back)
}

fn date(back: u16) -> String {
    time::format_date(&day(i64::from(back)))
}

/// 22:30 UTC on the day: 00:30 the next day in Helsinki.
fn stamp(back: u16) -> String {
    format!("{}T22:30:00Z", date(back))
}

fn build(conn: &Connection, people: &[Spec]) {
    let cats = ["customer", "prospect", "student"];
    for (i, p) in people.iter().enumerate() {
        let id = i as i64 + 1;
        conn.execute(
            "INSERT INTO contacts (id, email, category, source, started, ended, last_contact, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'direct', ?4, ?5, ?6, ?7, ?7)",
            params![
                id,
                format!("p{id}@example.fi"),
                cats[p.category as usize],
                p.started.map(date),
                p.ended.map(date),
                p.last_contact.map(date),
                stamp(p.added)
            ],
        )
        .unwrap();
        for h in &p.history {
            conn.execute(
                "INSERT INTO contact_log (contact_id, date, channel, summary, recorded_at, operator) VALUES (?1, ?2, 'email', 's', 'x', 't')",
                params![id, date(*h)],
            )
            .unwrap();
        }
        for c in &p.courses {
            conn.execute(
                "INSERT INTO courses (contact_id, course, completed, recorded_at) VALUES (?1, 'GDPR', ?2, 'x')",
                params![id, date(*c)],
            )
            .unwrap();
        }
        for b in &p.purchases {
            conn.execute(
                "INSERT INTO purchases (contact_id, date, item, recorded_at) VALUES (?1, ?2, 'book', 'x')",
                params![id, date(*b)],
            )
            .unwrap();
        }
        for (at, granted) in &p.consents {
            conn.execute(
                "INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, occurred_at, recorded_at, operator, policy_version)
                 VALUES (?1, 'newsletter', ?2, 'consent', 'email', ?3, 'x', 't', 1)",
                params![id, if *granted { "granted" } else { "withdrawn" }, stamp(*at)],
            )
            .unwrap();
        }
        for (placed, until, released) in &p.holds {
            conn.execute(
                "INSERT INTO holds (contact_id, reason, until, placed_at, placed_by, released_at) VALUES (?1, 'dispute', ?2, ?3, 't', ?4)",
                params![
                    id,
                    until.map(|u| time::format_date(&day(i64::from(u)))),
                    stamp(*placed),
                    released.map(stamp)
                ],
            )
            .unwrap();
        }
        for (k, (closed, status)) in p.requests.iter().enumerate() {
            let (status, completed, refused) = match status {
                0 => ("completed", Some(stamp(*closed)), None),
                1 => ("refused", None, Some(stamp(*closed))),
                _ => ("received", None, None),
            };
            conn.execute(
                "INSERT INTO requests (year, seq, type, status, contact_id, received, due, channel, opened_at, opened_by, completed_at, refused_at)
                 VALUES (2020, ?1, 'access', ?2, ?3, '2020-01-01', '2020-02-03', 'email', 'x', 't', ?4, ?5)",
                params![id * 10 + k as i64, status, id, completed, refused],
            )
            .unwrap();
        }
    }
}

fn policy(courses: u32, history: u32) -> Policy {
    let mut p = Policy::default_policy();
    p.retention[2].months = 36;
    p.retention[1].months = 12;
    p.record_retention = vec![
        RecordRetention {
            records: Records::Courses,
            months: courses,
        },
        RecordRetention {
            records: Records::History,
            months: history,
        },
    ];
    p
}

/// The pure rule over everything the register holds of each person, read without the
/// purge's SQL.
fn expected(tx: &Tx, policy: &Policy, as_of: AsOf) -> (Vec<Due>, Vec<DueRecord>) {
    let conn = tx.conn();
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM contacts ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut people = Vec::new();
    let mut held = std::collections::HashSet::new();
    for id in ids {
        let c = crate::store::contacts::get(tx, id).unwrap();
        let dates = |table: &str, col: &str| -> Option<NaiveDate> {
            let v: Vec<String> = conn
                .prepare(&format!("SELECT {col} FROM {table} WHERE contact_id = ?1"))
                .unwrap()
                .query_map([id], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            v.iter().filter_map(|s| time::parse_date(s)).max()
        };
        let events = consents::events_for_contact(tx, id).unwrap();
        let is_held = holds::for_contact(tx, id)
            .unwrap()
            .iter()
            .any(|h| h.is_active_on(as_of.day, as_of.zone));
        if is_held {
            held.insert(id);
        }
        let on_or_before: Vec<_> = events
            .iter()
            .filter(|e| as_of.date_of(&e.occurred_at).unwrap() <= as_of.day)
            .cloned()
            .collect();
        let newsletter = policy.purpose("newsletter").unwrap();
        let person = Person {
            id,
            category: c.data.category,
            activity: Activity {
                added: as_of.date_of(&c.created_at),
                started: c.data.started,
                ended: c.data.ended,
                last_contact: c.data.last_contact,
                newest_history: dates("contact_log", "date"),
                newest_course: dates("courses", "completed"),
                newest_purchase: dates("purchases", "date"),
                newest_consent: events
                    .iter()
                    .filter_map(|e| as_of.date_of(&e.occurred_at))
                    .max(),
            },
            held: is_held,
            live_opt_in: consent::derive(newsletter, &on_or_before)
                .allowed()
                .then(|| "newsletter".to_string()),
        };
        match retention::decide(&person, policy, as_of.day) {
            Verdict::Stays => {}
            verdict => people.push(Due {
                id,
                category: person.category,
                verdict,
            }),
        }
    }
    let mut records = Vec::new();
    for (kind, sql) in [
        (Records::History, "SELECT id, contact_id, date FROM contact_log"),
        (Records::Courses, "SELECT id, contact_id, completed FROM courses"),
        (
            Records::Requests,
            "SELECT id, contact_id, coalesce(completed_at, refused_at) FROM requests WHERE status IN ('completed', 'refused')",
        ),
    ] {
        let rows: Vec<(i64, Option<i64>, String)> = conn
            .prepare(&format!("{sql} ORDER BY id"))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for (id, contact, stored) in rows {
            let date = match kind {
                Records::Requests => as_of.date_of(&stored).unwrap(),
                _ => time::parse_date(&stored).unwrap(),
            };
            if retention::record_due(policy, kind, date, as_of.day)
                && !contact.is_some_and(|c| held.contains(&c))
            {
                records.push(DueRecord {
                    kind,
                    id,
                    contact,
                    date,
                });
            }
        }
    }
    (people, records)
}

/// The people `due_people` selects for `rules`, read in batches of 3 (so paging is tested too).
fn all_due(tx: &Tx, policy: &Policy, rules: &[Retention], as_of: AsOf) -> Vec<Due> {
    let mut people = Vec::new();
    let mut after = 0;
    loop {
        let batch = due_people(tx, policy, rules, as_of, after, 3).unwrap();
        let Some(last) = batch.last() else { break };
        after = last.id;
        people.extend(batch);
    }
    people
}

/// Everything the purge's SQL selects, read in small batches (so paging is tested too).
fn selected(tx: &Tx, policy: &Policy, as_of: AsOf) -> (Vec<Due>, Vec<DueRecord>) {
    // Rule by rule (the dry run) and all rules in one scan (the real run) select alike.
    let mut people = Vec::new();
    for rule in &policy.retention {
        people.extend(all_due(tx, policy, std::slice::from_ref(rule), as_of));
    }
    people.sort_by_key(|d| d.id);
    assert_eq!(all_due(tx, policy, &policy.retention, as_of), people);
    let mut records = Vec::new();
    for kind in [Records::History, Records::Courses, Records::Requests] {
        let mut after = 0;
        loop {
            let batch = due_records(tx, policy, kind, as_of, after, 2).unwrap();
            let Some(last) = batch.last() else { break };
            after = last.id;
            records.extend(batch);
        }
    }
    (people, records)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_sql_selects_exactly_what_the_rules_decide(
        people in proptest::collection::vec(spec(), 1..10),
        courses in 6u32..40,
        history in 6u32..40,
        back in 0i64..40,
    ) {
        let conn = register();
        build(&conn, &people);
        let tx = Tx::new(&conn);
        let p = policy(courses, history);
        let as_of = AsOf { day: day(back), zone: time::DEFAULT_ZONE };
        let want = expected(&tx, &p, as_of);
        let got = selected(&tx, &p, as_of);
        prop_assert_eq!(got.0, want.0);
        prop_assert_eq!(got.1, want.1);
    }
}

#[test]
fn a_consent_keeps_only_while_it_is_live() {
    let conn = register();
    let old = Spec {
        category: 1,
        added: 1000,
        started: None,
        ended: None,
        last_contact: None,
        history: vec![],
        courses: vec![],
        purchases: vec![],
        consents: vec![(900, true)],
        holds: vec![],
        requests: vec![],
    };
    let mut withdrawn = old.clone();
    withdrawn.consents.push((800, false));
    build(&conn, &[old, withdrawn]);
    let tx = Tx::new(&conn);
    let p = Policy::default_policy();
    let as_of = AsOf {
        day: day(0),
        zone: time::DEFAULT_ZONE,
    };
    let got = due_people(
        &tx,
        &p,
        std::slice::from_ref(p.retention_for(Category::Prospect).unwrap()),
        as_of,
        0,
        10,
    )
    .unwrap();
    assert!(
        matches!(&got[0].verdict, Verdict::Kept { by: retention::Keep::Consent { purpose }, .. } if purpose == "newsletter"),
        "{got:?}"
    );
    // Withdrawn at 22:30 UTC: the next day in Helsinki.
    assert!(
        matches!(&got[1].verdict, Verdict::Erase { date, .. } if *date == day(799)),
        "{got:?}"
    );
}
