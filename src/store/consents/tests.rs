use super::*;
use crate::model::policy::Marketing;
use proptest::prelude::*;

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
    Purpose {
        id: id.into(),
        description: String::new(),
        basis,
        marketing,
    }
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

fn mailing(conn: &Connection, p: &Purpose) -> Vec<String> {
    let sql = mailing_list_sql(p).unwrap();
    let mut st = conn.prepare(&sql).unwrap();
    let mut v: Vec<String> = st
        .query_map([&p.id], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
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
fn for_each_known_visits_rows_by_contact_with_their_events() {
    let conn = register();
    add_contact(&conn, 1, false);
    add_contact(&conn, 2, false);
    record(&conn, 1, Some("newsletter"), Kind::Granted, 3, false);
    record(&conn, 1, Some("b2b-marketing"), Kind::Withdrawn, 4, false);
    record(&conn, 1, None, Kind::Objected, 5, false);
    let keys = [
        "p2@example.fi",
        "nobody@example.fi",
        "p1@example.fi",
        "p2@example.fi",
    ];
    let mut seen = Vec::new();
    let unknown = for_each_known(
        &Tx::new(&conn),
        &keys,
        &["newsletter"],
        |row, id, events, more| {
            seen.push((
                row,
                id,
                events.iter().map(|e| e.id).collect::<Vec<_>>(),
                more,
            ));
            // What a row records is seen by the person's later rows.
            events.push(Event {
                id: 99,
                contact_id: id,
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
        },
    )
    .unwrap();
    assert_eq!(unknown, vec![1]);
    // With nothing for the purpose in the ledger, nothing is read back.
    let conn = register();
    add_contact(&conn, 1, false);
    let unknown = for_each_known(
        &Tx::new(&conn),
        &["p1@example.fi"],
        &["newsletter"],
        |row, id, events, more| {
            assert_eq!((row, id, events.len(), more), (0, 1, 0, false));
            Ok(())
        },
    )
    .unwrap();
    assert!(unknown.is_empty());
    assert_eq!(
        seen,
        vec![
            (2, 1, vec![1, 3], false),
            (0, 2, vec![], true),
            (3, 2, vec![99], false)
        ]
    );
}

#[test]
fn e_mails_resolve_alike_by_look_up_and_by_merge() {
    let conn = register();
    for id in 1..=50 {
        add_contact(&conn, id, false);
    }
    // Few keys for many contacts: looked up; many: merged with the index.
    let few = [
        "p7@example.fi",
        "zz@example.fi",
        "p7@example.fi",
        "a@example.fi",
    ];
    let many: Vec<String> = (0..12)
        .map(|i| format!("p{}@example.fi", i * 4))
        .chain([
            "p1@example.fi".to_string(),
            "p1@example.fi".to_string(),
            "Ö@example.fi".to_string(),
        ])
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for keys in [&few[..], &many[..]] {
        let mut by_email: Vec<usize> = (0..keys.len()).collect();
        by_email.sort_unstable_by(|&a, &b| keys[a].cmp(keys[b]));
        let (mut known, mut unknown) = resolve_sorted(&conn, keys, &by_email).unwrap();
        known.sort_unstable();
        unknown.sort_unstable();
        let expect_known: Vec<(i64, usize)> = {
            let mut v: Vec<(i64, usize)> = keys
                .iter()
                .enumerate()
                .filter_map(|(i, k)| {
                    let id: i64 = k
                        .strip_prefix('p')?
                        .strip_suffix("@example.fi")?
                        .parse()
                        .ok()?;
                    (1..=50).contains(&id).then_some((id, i))
                })
                .collect();
            v.sort_unstable();
            v
        };
        let expect_unknown: Vec<usize> = (0..keys.len())
            .filter(|i| !expect_known.iter().any(|k| k.1 == *i))
            .collect();
        assert_eq!(known, expect_known, "{keys:?}");
        assert_eq!(unknown, expect_unknown, "{keys:?}");
    }
}

#[test]
fn mailing_list_refuses_non_marketing_purposes() {
    let p = purpose("customer-service", Basis::Contract, None);
    assert!(mailing_list_sql(&p).is_err());
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
