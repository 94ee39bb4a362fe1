use super::*;
use crate::model::policy::Marketing;
use proptest::prelude::*;
use rusqlite::Connection;

fn register() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    for m in crate::store::migrations::MIGRATIONS {
        conn.execute_batch(m).unwrap();
    }
    conn.execute(
        "INSERT INTO policy_versions (created_at, operator, body) VALUES ('2026-01-01T00:00:00Z', 't', '')",
        [],
    )
    .unwrap();
    conn
}

fn add_contact(conn: &Connection, id: i64, restricted: bool) {
    conn.execute(
        "INSERT INTO contacts (id, first_name, email, company, category, source, created_at, updated_at, restricted_at)
         VALUES (?1, 'Äijä', ?2, 'Öljy Oy', 'customer', 'direct', 'x', 'x', ?3)",
        params![
            id,
            format!("p{id}@example.fi"),
            restricted.then_some("2026-01-01T00:00:00Z")
        ],
    )
    .unwrap();
}

fn purpose(id: &str, basis: Basis, marketing: Option<Marketing>) -> Purpose {
    Purpose::new(id, "", basis, marketing)
}

fn purposes() -> Vec<Purpose> {
    vec![
        purpose("newsletter", Basis::Consent, Some(Marketing::OptIn)),
        purpose(
            "b2b-marketing",
            Basis::LegitimateInterest,
            Some(Marketing::OptOut),
        ),
        purpose("customer-service", Basis::Contract, None),
        purpose("photos", Basis::Consent, None),
        purpose("analytics", Basis::LegitimateInterest, None),
    ]
}

fn record(conn: &Connection, contact: i64, purpose: Option<&str>, kind: Kind, day: u32, ovr: bool) {
    append(
        &Tx::new(conn),
        &NewEvent {
            contact_id: contact,
            purpose,
            kind,
            basis: "consent",
            channel: "email",
            evidence: None,
            occurred_at: &format!("2026-11-{day:02}T10:00:00Z"),
            recorded_at: "2026-11-23T10:00:00Z",
            operator: "t",
            policy_version: 1,
            override_objection: ovr,
        },
    )
    .unwrap();
}

/// The e-mails `export mailing-list` gives: its id pass, then its rows for those ids.
fn mailing(conn: &Connection, p: &Purpose) -> Vec<String> {
    let tx = Tx::new(conn);
    let ids = mailing_list_ids(&tx, p).unwrap();
    let mut v = Vec::new();
    mailing_list_rows(&tx, &ids, |cells, _| {
        v.push(String::from_utf8(cells[0].to_vec()).unwrap());
        Ok(())
    })
    .unwrap();
    assert_eq!(ids.len(), v.len(), "the event names exactly the rows given");
    v.sort();
    v
}

#[test]
fn events_come_back_in_the_order_the_person_acted() {
    let conn = register();
    add_contact(&conn, 1, false);
    record(&conn, 1, Some("newsletter"), Kind::Withdrawn, 9, false);
    record(&conn, 1, Some("newsletter"), Kind::Granted, 3, false);
    record(&conn, 1, None, Kind::Objected, 5, false);
    let ev = events_for_contact(&Tx::new(&conn), 1).unwrap();
    assert_eq!(ev.iter().map(|e| e.id).collect::<Vec<_>>(), vec![2, 3, 1]);
    assert_eq!(ev[1].purpose, None);
    let st = status_for_contact(
        &Tx::new(&conn),
        1,
        &crate::model::policy::Policy::default_policy(),
    )
    .unwrap();
    let by = |id: &str| st.iter().find(|s| s.purpose == id).unwrap().state;
    assert_eq!(by("newsletter"), State::Objected);
    assert_eq!(by("b2b-marketing"), State::Objected);
    assert_eq!(by("customer-service"), State::Allowed);
}

#[test]
fn staged_rows_come_back_unknown_first_then_by_contact_with_their_events() {
    use crate::store::staging::{self, Staging};
    let conn = register();
    add_contact(&conn, 1, false);
    add_contact(&conn, 2, false);
    record(&conn, 1, Some("newsletter"), Kind::Granted, 3, false);
    record(&conn, 1, Some("b2b-marketing"), Kind::Withdrawn, 4, false);
    record(&conn, 1, None, Kind::Objected, 5, false);
    let tx = Tx::new(&conn);
    let mut staged = Staging::new(&tx).unwrap();
    for (line, email) in [
        (2, "P2@example.fi"),
        (3, "nobody@example.fi"),
        (4, "p1@example.fi"),
        (5, "p2@example.fi"),
        (6, "zz@example.fi"),
    ] {
        let key = crate::model::casefold(email);
        staged.add(line, email, &key, None, None).unwrap();
    }
    let mut seen = Vec::new();
    let rows = staged.take_rows();
    staging::for_each_row(&tx, rows, &["newsletter"], |row, id, events, more| {
        seen.push((
            row.line,
            row.email.clone(),
            id,
            events.iter().map(|e| e.id).collect::<Vec<_>>(),
            more,
        ));
        // What a row records is seen by the person's later rows.
        events.push(Event {
            id: 99,
            contact_id: id.unwrap_or(0),
            purpose: Some("newsletter".into()),
            kind: Kind::Granted,
            basis: "consent".into(),
            channel: "import".into(),
            evidence: None,
            occurred_at: "x".into(),
            recorded_at: "x".into(),
            operator: "t".into(),
            policy_version: 1,
            override_objection: false,
        });
        Ok(())
    })
    .unwrap();
    assert_eq!(
        seen,
        vec![
            (3, "nobody@example.fi".into(), None, vec![], false),
            (6, "zz@example.fi".into(), None, vec![], false),
            (4, "p1@example.fi".into(), Some(1), vec![1, 3], false),
            (2, "P2@example.fi".into(), Some(2), vec![], true),
            (5, "p2@example.fi".into(), Some(2), vec![99], false),
        ]
    );
    // Rejects come back in file order, whatever order they were kept in.
    staged.reject(9, "", "no-email", None).unwrap();
    staged
        .reject(3, "nobody@example.fi", "unknown", None)
        .unwrap();
    let mut rejects = Vec::new();
    staging::for_each_reject(&tx, |r| {
        rejects.push((r.line, r.email, r.why));
        Ok(())
    })
    .unwrap();
    assert_eq!(
        rejects,
        vec![
            (3, "nobody@example.fi".into(), "unknown".into()),
            (9, String::new(), "no-email".into())
        ]
    );
}

proptest! {
    /// Whatever the rows, however many runs their sorts spill to, and whether the contacts
    /// are found by one pass over the e-mail index (many rows) or a look-up each (few rows
    /// among many contacts): the rows come back as the rule says, unknown addresses first in
    /// file order, then by contact and in file order within a contact, each with its contact.
    #[test]
    fn staged_rows_come_back_in_the_same_order_through_spilled_runs(
        ids in proptest::collection::btree_set(1i64..5000, 0..30),
        picks in proptest::collection::vec((0usize..40, any::<bool>(), proptest::option::of("[a-zé]{0,12}")), 0..120),
        memory in prop_oneof![Just(1024usize), Just(4096), Just(1 << 20)],
    ) {
        use crate::store::staging::{self, Staging};
        let conn = register();
        let ids: Vec<i64> = ids.into_iter().collect();
        for &id in &ids {
            add_contact(&conn, id, false);
        }
        let tx = Tx::new(&conn);
        let mut staged = Staging::with_memory(&tx, memory).unwrap();
        let mut expected_unknown = Vec::new();
        let mut expected_known = Vec::new();
        for (n, (pick, upper, evidence)) in picks.iter().enumerate() {
            let line = n as u64 + 2;
            // Picks past the contacts are addresses nobody has.
            let (email, contact) = match ids.get(*pick) {
                Some(&id) => (format!("p{id}@example.fi"), Some(id)),
                None => (format!("nobody{pick}@example.fi"), None),
            };
            let email = if *upper { email.to_uppercase() } else { email };
            let key = crate::model::casefold(&email);
            let at = upper.then_some("2026-11-01T10:00:00Z");
            staged.add(line, &email, &key, at, evidence.as_deref()).unwrap();
            let row = (line, email, at.map(str::to_string), evidence.clone(), contact);
            match contact {
                None => expected_unknown.push(row),
                Some(id) => expected_known.push((id, row)),
            }
        }
        expected_known.sort_by_key(|(id, row)| (*id, row.0));
        let expected: Vec<_> = expected_unknown
            .into_iter()
            .chain(expected_known.into_iter().map(|(_, row)| row))
            .collect();
        let mut seen = Vec::new();
        let rows = staged.take_rows();
        staging::for_each_row(&tx, rows, &["newsletter"], |row, id, _, _| {
            seen.push((row.line, row.email.clone(), row.at.clone(), row.evidence.clone(), id));
            Ok(())
        })
        .unwrap();
        prop_assert_eq!(seen, expected);
    }
}

#[test]
fn an_import_keeps_its_rows_in_files_not_in_memory() {
    let conn = register();
    let tx = Tx::new(&conn);
    crate::store::staging::tune_for_import(&tx).unwrap();
    let pragma = |name: &str| -> i64 {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .unwrap()
    };
    // 1 is FILE: temp tables and sorts spill to disk instead of growing the heap.
    assert_eq!(pragma("temp_store"), 1);
    assert!(pragma("cache_size") >= -16 * 1024);
}

#[test]
fn mailing_list_refuses_non_marketing_purposes() {
    let p = purpose("customer-service", Basis::Contract, None);
    let conn = register();
    add_contact(&conn, 1, false);
    assert!(mailing_list_ids(&Tx::new(&conn), &p).is_err());
}

/// (contact 1..=4, purpose: 0 general / 1 newsletter / 2 b2b / 3 photos / 4 analytics, kind, day, override)
fn arb_event() -> impl Strategy<Value = (i64, u8, u8, u32, bool)> {
    (1i64..=4, 0u8..5, 0u8..3, 1u32..=6, any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The register-wide SQL gives every contact the state, time and deciding event that
    /// `derive` gives from that contact's events; the mailing list is exactly the allowed,
    /// unrestricted contacts.
    #[test]
    fn sql_state_agrees_with_derive(
        raw in prop::collection::vec(arb_event(), 0..30),
        restricted in prop::collection::vec(any::<bool>(), 4),
    ) {
        let conn = register();
        for id in 1..=4 {
            add_contact(&conn, id, restricted[id as usize - 1]);
        }
        let names = [None, Some("newsletter"), Some("b2b-marketing"), Some("photos"), Some("analytics")];
        for &(c, p, k, day, o) in &raw {
            let purpose = names[p as usize];
            let kind = if purpose.is_none() { Kind::Objected } else { [Kind::Granted, Kind::Withdrawn, Kind::Objected][k as usize] };
            record(&conn, c, purpose, kind, day, o && kind == Kind::Granted);
        }
        for p in purposes() {
            let mut rows = Vec::new();
            list(&Tx::new(&conn), &p, None, |r| { rows.push(r); Ok(()) }).unwrap();
            prop_assert_eq!(rows.len(), 4);
            let mut expected_mail = Vec::new();
            for r in &rows {
                let events = events_for_contact(&Tx::new(&conn), r.contact_id).unwrap();
                let d = derive(&p, &events);
                prop_assert_eq!(r.state, d.state, "{} contact {}", p.id, r.contact_id);
                prop_assert_eq!(&r.since, &d.since, "{} contact {}", p.id, r.contact_id);
                prop_assert_eq!(r.event_id, d.event_id, "{} contact {}", p.id, r.contact_id);
                if d.allowed() && r.restricted_at.is_none() {
                    expected_mail.push(r.email.clone());
                }
                for only in [State::Allowed, State::Withdrawn, State::Objected, State::None] {
                    let mut hit = false;
                    list(&Tx::new(&conn), &p, Some(only), |x| { hit |= x.contact_id == r.contact_id; Ok(()) }).unwrap();
                    // The ledger state, restricted or not.
                    let want = d.state == only;
                    prop_assert_eq!(hit, want, "{} contact {} --status {}", p.id, r.contact_id, only.as_str());
                }
            }
            if p.marketing.is_some() {
                expected_mail.sort();
                prop_assert_eq!(mailing(&conn, &p), expected_mail, "{}", p.id);
            }
        }
    }
}

proptest! {
    /// The export's second pass gives exactly the rows of the ids its first pass found (and
    /// its disclosure event names), in id order, however they are spread.
    #[test]
    fn mailing_list_rows_are_exactly_the_ids_given(keep in proptest::collection::vec(any::<bool>(), 1..60)) {
        let conn = register();
        for id in 1..=keep.len() as i64 {
            add_contact(&conn, id, false);
        }
        let mut ids = IdRanges::new();
        let want: Vec<i64> = (1..=keep.len() as i64).filter(|&i| keep[i as usize - 1]).collect();
        for &id in want.iter().rev() {
            ids.push(id);
        }
        let mut got = Vec::new();
        mailing_list_rows(&Tx::new(&conn), &ids, |cells, id| {
            assert_eq!(cells[0], format!("p{id}@example.fi").as_bytes());
            got.push(id);
            Ok(())
        })
        .unwrap();
        prop_assert_eq!(got, want);
    }
}

#[test]
fn id_bits_give_back_their_ids_in_order_across_words() {
    let mut b = IdBits::new(5, 300);
    for id in [300, 5, 70, 69, 68, 133, 4, 301] {
        b.insert(id); // 4 and 301 are outside the bounds: ignored
    }
    b.remove(69);
    b.remove(1000);
    let r = b.ranges();
    assert_eq!(
        r.spans(),
        vec![(5, 5), (68, 68), (70, 70), (133, 133), (300, 300)]
    );
    assert_eq!(r.len(), 5);
}
