use super::*;
use crate::model::deadline::{self, Period};
use proptest::prelude::*;

fn register() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    for m in crate::store::migrations::MIGRATIONS {
        conn.execute_batch(m).unwrap();
    }
    conn
}

fn day(offset: i64) -> NaiveDate {
    time::parse_date("2026-01-01").unwrap() + chrono::Duration::days(offset)
}

const BY: By = By {
    now: "2026-11-23T10:00:00Z",
    operator: "t",
};

/// Opens a request received on `received`, takes it to `status`, extended or not; returns
/// it as the model sees it.
fn add(conn: &Connection, received: NaiveDate, status: Status, extended: bool) -> RequestState {
    let due = deadline::due_date(received, Period::Normal);
    let id = open(
        &Tx::new(conn),
        &NewRequest {
            year: 2026,
            kind: RequestType::Objection,
            contact_id: None,
            subject_email: Some("x@example.fi"),
            received,
            due,
            channel: Channel::Email,
            requester: None,
            details: None,
            purposes: &[],
            now: BY.now,
            operator: BY.operator,
        },
    )
    .unwrap();
    let r = get(&Tx::new(conn), id).unwrap();
    if extended {
        extend(
            &Tx::new(conn),
            r.rowid,
            BY,
            "many",
            received,
            deadline::due_date(received, Period::Extended),
        )
        .unwrap();
    }
    let set = |s: &str| {
        conn.execute(
            "UPDATE requests SET status = ?2 WHERE id = ?1",
            params![r.rowid, s],
        )
        .unwrap()
    };
    set(status.as_str());
    get(&Tx::new(conn), id)
        .unwrap()
        .state(crate::model::time::DEFAULT_ZONE)
}

#[test]
fn numbers_run_per_year() {
    let conn = register();
    let mut ids = Vec::new();
    for year in [2026, 2026, 2027, 2026] {
        ids.push(
            open(
                &Tx::new(&conn),
                &NewRequest {
                    year,
                    kind: RequestType::Access,
                    contact_id: None,
                    subject_email: None,
                    received: day(0),
                    due: day(31),
                    channel: Channel::Web,
                    requester: Some("Äijä"),
                    details: None,
                    purposes: &["newsletter".into(), "b2b".into()],
                    now: BY.now,
                    operator: BY.operator,
                },
            )
            .unwrap()
            .to_string(),
        );
    }
    assert_eq!(
        ids,
        ["R-2026-0001", "R-2026-0002", "R-2027-0001", "R-2026-0003"]
    );
    let r = get(&Tx::new(&conn), RequestId::parse("R-2026-0003").unwrap()).unwrap();
    assert_eq!(r.purposes, ["newsletter", "b2b"]);
    assert_eq!(r.channel, Channel::Web);
    assert!(get(&Tx::new(&conn), RequestId { year: 2026, seq: 9 }).is_err());
}

#[test]
fn completing_clears_the_personal_text() {
    let conn = register();
    let s = add(&conn, day(0), Status::Fulfilled, false);
    assert_eq!(s.status, Status::Fulfilled);
    conn.execute("UPDATE requests SET requester = 'Äijä', details = 'd'", [])
        .unwrap();
    complete(&Tx::new(&conn), 1, BY, Some("sent")).unwrap();
    let r = get(&Tx::new(&conn), RequestId { year: 2026, seq: 1 }).unwrap();
    assert_eq!(
        (r.requester, r.details, r.subject_email),
        (None, None, None)
    );
    assert_eq!(r.status, Status::Completed);
    assert_eq!(r.note.as_deref(), Some("sent"));
}

fn statuses() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The SQL selection of `request list` is the pure rule (`DueFilter::matches` on the
    /// model's due date), whatever the requests, filters and today.
    #[test]
    fn list_selects_what_the_deadline_rule_says(
        reqs in prop::collection::vec((0i64..400, statuses(), any::<bool>()), 0..40),
        today in 0i64..500,
        open_only in any::<bool>(),
        overdue in any::<bool>(),
        within in prop::option::of(0u32..120),
    ) {
        let conn = register();
        let mut model = Vec::new();
        for (received, status, extended) in &reqs {
            model.push(add(&conn, day(*received), *status, *extended));
        }
        let today = day(today);
        let due = DueFilter { open: open_only, overdue, due_within: within };
        let mut got = Vec::new();
        list(&Tx::new(&conn), &ListFilter { due, ..Default::default() }, today, |s| {
            got.push(s.id.seq);
            Ok(())
        }).unwrap();
        got.sort_unstable();
        let want: Vec<i64> = model
            .iter()
            .enumerate()
            .filter(|(_, s)| due.matches(s.status, s.due(), today))
            .map(|(i, _)| i as i64 + 1)
            .collect();
        prop_assert_eq!(got, want);
        // The overdue rule is the lifecycle's own.
        if overdue && !open_only && within.is_none() {
            let overdue_model: Vec<i64> = model
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_overdue(today))
                .map(|(i, _)| i as i64 + 1)
                .collect();
            let mut sql = Vec::new();
            list(&Tx::new(&conn), &ListFilter { due, ..Default::default() }, today, |s| {
                sql.push(s.id.seq);
                Ok(())
            }).unwrap();
            sql.sort_unstable();
            prop_assert_eq!(sql, overdue_model);
        }
    }
}
