use super::*;
use proptest::prelude::*;

fn purpose(id: &str, basis: Basis, marketing: Option<Marketing>) -> Purpose {
    Purpose::new(id, "", basis, marketing)
}

fn newsletter() -> Purpose {
    purpose("newsletter", Basis::Consent, Some(Marketing::OptIn))
}
fn b2b() -> Purpose {
    purpose(
        "b2b-marketing",
        Basis::LegitimateInterest,
        Some(Marketing::OptOut),
    )
}
fn service() -> Purpose {
    purpose("customer-service", Basis::Contract, None)
}

/// An event at day `day` of November 2026 (ids in recording order).
fn ev(id: i64, day: u32, purpose: Option<&str>, kind: Kind) -> Event {
    Event {
        id,
        contact_id: 1,
        purpose: purpose.map(String::from),
        kind,
        basis: "consent".into(),
        channel: "email".into(),
        evidence: None,
        occurred_at: format!("2026-11-{day:02}T10:00:00Z"),
        recorded_at: "2026-11-23T10:00:00Z".into(),
        operator: "t".into(),
        policy_version: 1,
        override_objection: false,
    }
}

fn over(mut e: Event) -> Event {
    e.override_objection = true;
    e
}

const N: Option<&str> = Some("newsletter");
const B: Option<&str> = Some("b2b-marketing");

#[test]
fn opt_in_without_events_is_none() {
    let s = derive(&newsletter(), &[]);
    assert_eq!(s.state, State::None);
    assert_eq!((s.since.as_deref(), s.event_id), (None, None));
    assert_eq!(s.why(), "no consent on record");
}

#[test]
fn opt_in_grant_allows_and_withdrawal_stops() {
    let g = ev(1, 1, N, Kind::Granted);
    let s = derive(&newsletter(), std::slice::from_ref(&g));
    assert_eq!(s.state, State::Allowed);
    assert_eq!(s.event_id, Some(1));
    assert_eq!(s.since.as_deref(), Some("2026-11-01T10:00:00Z"));
    assert!(s.why().contains("consent given via email (event 1)"));

    let s = derive(&newsletter(), &[g.clone(), ev(2, 2, N, Kind::Withdrawn)]);
    assert_eq!((s.state, s.event_id), (State::Withdrawn, Some(2)));
    assert!(s.why().contains("consent withdrawn"));

    // Granting again after a withdrawal is a new, live consent.
    let s = derive(
        &newsletter(),
        &[g, ev(2, 2, N, Kind::Withdrawn), ev(3, 3, N, Kind::Granted)],
    );
    assert_eq!((s.state, s.event_id), (State::Allowed, Some(3)));
}

#[test]
fn events_are_taken_in_the_order_the_person_acted() {
    // A withdrawal recorded first but dated later wins over a back-dated grant.
    let s = derive(
        &newsletter(),
        &[ev(1, 5, N, Kind::Withdrawn), ev(2, 3, N, Kind::Granted)],
    );
    assert_eq!((s.state, s.event_id), (State::Withdrawn, Some(1)));
    // Simultaneous acts: the later recorded one is the later one.
    let s = derive(
        &newsletter(),
        &[ev(2, 3, N, Kind::Withdrawn), ev(1, 3, N, Kind::Granted)],
    );
    assert_eq!(s.state, State::Withdrawn);
}

#[test]
fn other_purposes_events_do_not_count() {
    let s = derive(&newsletter(), &[ev(1, 1, B, Kind::Granted)]);
    assert_eq!(s.state, State::None);
    let s = derive(
        &newsletter(),
        &[ev(1, 1, N, Kind::Granted), ev(2, 2, B, Kind::Objected)],
    );
    assert_eq!(s.state, State::Allowed);
}

#[test]
fn opt_out_is_allowed_until_refused_or_objected() {
    let s = derive(&b2b(), &[]);
    assert_eq!((s.state, s.event_id), (State::Allowed, None));
    assert!(s.why().contains("opt-out marketing on legitimate interest"));

    let s = derive(&b2b(), &[ev(1, 1, B, Kind::Withdrawn)]);
    assert_eq!((s.state, s.event_id), (State::Withdrawn, Some(1)));
    assert!(s.why().starts_with("refused via email"), "{}", s.why());

    let s = derive(&b2b(), &[ev(1, 1, B, Kind::Objected)]);
    assert_eq!(s.state, State::Objected);
    assert!(s.why().contains("objected to b2b-marketing"));
}

#[test]
fn general_objection_covers_every_marketing_purpose() {
    let events = [ev(1, 1, N, Kind::Granted), ev(2, 2, None, Kind::Objected)];
    for p in [
        newsletter(),
        b2b(),
        purpose("events", Basis::Consent, Some(Marketing::OptIn)),
    ] {
        let s = derive(&p, &events);
        assert_eq!(
            (s.state, s.event_id),
            (State::Objected, Some(2)),
            "{}",
            p.id
        );
        assert!(s.why().contains("objected to all direct marketing"));
    }
}

#[test]
fn general_objection_beats_a_later_plain_grant() {
    let events = [ev(1, 1, None, Kind::Objected), ev(2, 2, N, Kind::Granted)];
    let s = derive(&newsletter(), &events);
    assert_eq!((s.state, s.event_id), (State::Objected, Some(1)));
    assert!(s
        .why()
        .contains("a later grant without --override-objection"));
}

#[test]
fn override_grant_lifts_the_objection_for_its_purpose_only() {
    let events = [
        ev(1, 1, None, Kind::Objected),
        over(ev(2, 2, N, Kind::Granted)),
    ];
    let s = derive(&newsletter(), &events);
    assert_eq!((s.state, s.event_id), (State::Allowed, Some(2)));
    assert!(s.why().contains("overriding an earlier objection"));
    assert_eq!(derive(&b2b(), &events).state, State::Objected);

    // After the override, plain grants and withdrawals work as usual again…
    let mut more = events.to_vec();
    more.push(ev(3, 3, N, Kind::Withdrawn));
    more.push(ev(4, 4, N, Kind::Granted));
    assert_eq!(derive(&newsletter(), &more).state, State::Allowed);
    // …and a new objection needs a new override.
    more.push(ev(5, 5, None, Kind::Objected));
    more.push(ev(6, 6, N, Kind::Granted));
    let s = derive(&newsletter(), &more);
    assert_eq!((s.state, s.event_id), (State::Objected, Some(5)));
}

#[test]
fn purpose_objection_holds_until_an_override_grant() {
    let events = [
        ev(1, 1, N, Kind::Granted),
        ev(2, 2, N, Kind::Objected),
        ev(3, 3, N, Kind::Granted),
        ev(4, 4, N, Kind::Withdrawn),
    ];
    let s = derive(&newsletter(), &events);
    assert_eq!((s.state, s.event_id), (State::Objected, Some(2)));
    let mut lifted = events.to_vec();
    lifted.push(over(ev(5, 5, N, Kind::Granted)));
    assert_eq!(derive(&newsletter(), &lifted).state, State::Allowed);
}

#[test]
fn objection_before_a_grant_date_counts_even_if_recorded_later() {
    // A grant recorded first, then an objection that the person made before it.
    let events = [ev(1, 5, N, Kind::Granted), ev(2, 3, None, Kind::Objected)];
    assert_eq!(derive(&newsletter(), &events).state, State::Objected);
}

#[test]
fn contract_purposes_ignore_consents_and_objections() {
    let events = [
        ev(1, 1, None, Kind::Objected),
        ev(2, 2, Some("customer-service"), Kind::Withdrawn),
    ];
    let s = derive(&service(), &events);
    assert_eq!(
        (s.state, s.event_id, s.since.as_deref()),
        (State::Allowed, None, None)
    );
    assert_eq!(
        s.why(),
        "processed on contract: consents and marketing objections do not apply"
    );
}

#[test]
fn non_marketing_purposes_are_not_covered_by_a_general_objection() {
    let photos = purpose("photos", Basis::Consent, None);
    let events = [
        ev(1, 1, Some("photos"), Kind::Granted),
        ev(2, 2, None, Kind::Objected),
    ];
    assert_eq!(derive(&photos, &events).state, State::Allowed);
    let analytics = purpose("analytics", Basis::LegitimateInterest, None);
    assert_eq!(derive(&analytics, &events).state, State::Allowed);
    let s = derive(&analytics, &[ev(3, 3, Some("analytics"), Kind::Objected)]);
    assert_eq!(s.state, State::Objected);
}

#[test]
fn general_objection_activity() {
    let o = ev(1, 1, None, Kind::Objected);
    assert_eq!(general_objection_active(&[]), None);
    assert_eq!(general_objection_active(std::slice::from_ref(&o)), Some(&o));
    let plain = [o.clone(), ev(2, 2, N, Kind::Granted)];
    assert!(general_objection_active(&plain).is_some());
    let lifted = [o.clone(), over(ev(2, 2, N, Kind::Granted))];
    assert!(general_objection_active(&lifted).is_none());
    let again = [
        o,
        over(ev(2, 2, N, Kind::Granted)),
        ev(3, 3, None, Kind::Objected),
    ];
    assert_eq!(general_objection_active(&again).map(|e| e.id), Some(3));
}

#[test]
fn as_of_keeps_events_up_to_and_including_the_time() {
    let events = [ev(1, 1, N, Kind::Granted), ev(2, 3, N, Kind::Withdrawn)];
    assert_eq!(as_of(&events, "2026-11-02T00:00:00Z").len(), 1);
    assert_eq!(as_of(&events, "2026-11-03T10:00:00Z").len(), 2);
    assert_eq!(as_of(&events, "2026-10-01T00:00:00Z").len(), 0);
}

#[test]
fn headers_are_found_by_name() {
    let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mc = h(&[
        "\u{feff}Email Address",
        "First Name",
        "OPTIN_TIME",
        "OPTIN_IP",
        "CONFIRM_TIME",
        "CONFIRM_IP",
    ]);
    let c = optin_columns(&mc).unwrap();
    assert_eq!(
        (c.email, c.primary_time, c.fallback_time),
        (0, Some(4), Some(2))
    );
    assert_eq!(c.evidence, vec![2, 3, 4, 5]);
    for name in [
        "email",
        "E-mail",
        "EMAIL",
        "Sähköposti",
        "e_mail",
        "Sähköpostiosoite",
    ] {
        assert_eq!(
            optin_columns(&h(&["nimi", name])).map(|c| c.email),
            Some(1),
            "{name}"
        );
    }
    assert!(optin_columns(&h(&["name", "phone"])).is_none());
    let u = unsubscribe_columns(&h(&["Email Address", "time", "UNSUB_TIME"])).unwrap();
    assert_eq!(u.primary_time, Some(2));
    let u = unsubscribe_columns(&h(&["email", "unsubscribed_at"])).unwrap();
    assert_eq!(u.primary_time, Some(1));
    assert!(u.evidence.is_empty());
    let u = unsubscribe_columns(&h(&[
        "Email Address",
        "UNSUB_TIME",
        "UNSUB_CAMPAIGN_TITLE",
        "UNSUB_CAMPAIGN_ID",
        "UNSUB_REASON",
        "UNSUB_REASON_OTHER",
        "NOTES",
    ]))
    .unwrap();
    assert_eq!(u.evidence, [2, 3, 4, 5]);
}

#[test]
fn file_times() {
    let t = |s: &str| parse_file_time(s, time::DEFAULT_ZONE);
    assert_eq!(
        t("2024-01-15 10:23:45").as_deref(),
        Some("2024-01-15T10:23:45Z")
    );
    assert_eq!(
        t(" 2024-01-15 10:23 ").as_deref(),
        Some("2024-01-15T10:23:00Z")
    );
    assert_eq!(
        t("2024-01-15T10:23:45").as_deref(),
        Some("2024-01-15T10:23:45Z")
    );
    assert_eq!(
        t("2024-01-15T12:23:45+02:00").as_deref(),
        Some("2024-01-15T10:23:45Z")
    );
    // A bare date is the start of the day where the register is (Helsinki: 22:00 UTC before).
    assert_eq!(t("2024-01-15").as_deref(), Some("2024-01-14T22:00:00Z"));
    assert_eq!(
        parse_file_time("2024-01-15", time::Tz::UTC).as_deref(),
        Some("2024-01-15T00:00:00Z")
    );
    assert_eq!(t("15.1.2024"), None);
    assert_eq!(t("2024-02-30 10:00:00"), None);
    assert_eq!(t("2024-02-28 24:00:00"), None);
    assert_eq!(t("2024-02-28 23:60:00"), None);
    assert_eq!(t("2024-02-28 2x:00:00"), None);
    assert_eq!(
        t("2024-02-29 23:59:59").as_deref(),
        Some("2024-02-29T23:59:59Z")
    );
    assert_eq!(t("2023-02-29 23:59:59"), None);
}

#[test]
fn evidence_keeps_the_double_opt_in_columns() {
    assert_eq!(
        import_evidence(
            "Mailchimp export 2026-11",
            [
                ("OPTIN_IP", "1.2.3.4"),
                ("CONFIRM_IP", ""),
                ("CONFIRM_TIME", "2024-01-15 10:23:45")
            ]
        ),
        "Mailchimp export 2026-11; OPTIN_IP=1.2.3.4; CONFIRM_TIME=2024-01-15 10:23:45"
    );
    assert_eq!(import_evidence("", [("ip", "::1")]), "ip=::1");
}

// ---- properties ----

fn arb_event() -> impl Strategy<Value = (u32, u8, u8, bool)> {
    // (day, purpose: 0 general / 1 newsletter / 2 b2b / 3 new, kind, override)
    (1u32..=28, 0u8..4, 0u8..3, any::<bool>())
}

fn build(raw: &[(u32, u8, u8, bool)]) -> Vec<Event> {
    raw.iter()
        .enumerate()
        .map(|(i, &(day, p, k, o))| {
            let purpose = match p {
                0 => None,
                1 => N,
                2 => B,
                _ => Some("events"),
            };
            // The ledger only holds objections as general events.
            let kind = if purpose.is_none() {
                Kind::Objected
            } else {
                [Kind::Granted, Kind::Withdrawn, Kind::Objected][k as usize]
            };
            let mut e = ev(i as i64 + 1, day, purpose, kind);
            e.override_objection = o && kind == Kind::Granted;
            e
        })
        .collect()
}

fn marketing_purposes() -> Vec<Purpose> {
    vec![
        newsletter(),
        b2b(),
        purpose("events", Basis::Consent, Some(Marketing::OptIn)),
    ]
}

fn key(e: &Event) -> (&str, i64) {
    (e.occurred_at.as_str(), e.id)
}

proptest! {
    /// An objection (general, or for the purpose) with no later override grant for the
    /// purpose always leaves the purpose not allowed, whatever else happened.
    #[test]
    fn objection_without_later_override_is_never_allowed(raw in prop::collection::vec(arb_event(), 0..24)) {
        let events = build(&raw);
        for p in marketing_purposes() {
            let objections = events.iter().filter(|e| e.kind == Kind::Objected
                && (e.purpose.is_none() || e.purpose.as_deref() == Some(p.id.as_str())));
            let Some(last) = objections.max_by(|a, b| key(a).cmp(&key(b))) else { continue };
            let overridden = events.iter().any(|e| e.kind == Kind::Granted && e.override_objection
                && e.purpose.as_deref() == Some(p.id.as_str()) && key(e) > key(last));
            let s = derive(&p, &events);
            if !overridden {
                prop_assert_eq!(s.state, State::Objected, "{}", p.id);
                prop_assert!(!s.allowed());
            }
        }
    }

    /// Opt-in marketing is allowed only when the deciding event is a grant of that purpose.
    #[test]
    fn opt_in_needs_a_live_grant(raw in prop::collection::vec(arb_event(), 0..24)) {
        let events = build(&raw);
        let s = derive(&newsletter(), &events);
        if s.allowed() {
            let id = s.event_id.expect("a deciding event");
            let e = events.iter().find(|e| e.id == id).expect("deciding event is one of the events");
            prop_assert_eq!(e.kind, Kind::Granted);
            prop_assert_eq!(e.purpose.as_deref(), N);
            // Nothing after it withdrew or objected.
            prop_assert!(!events.iter().any(|x| key(x) > key(e) && x.kind != Kind::Granted
                && (x.purpose.is_none() || x.purpose.as_deref() == N)));
        }
    }

    /// The result does not depend on the order the events are given in.
    #[test]
    fn input_order_does_not_matter(raw in prop::collection::vec(arb_event(), 0..16)) {
        let events = build(&raw);
        let mut rev = events.clone();
        rev.reverse();
        for p in marketing_purposes() {
            prop_assert_eq!(derive(&p, &events), derive(&p, &rev));
        }
    }

    /// Contract purposes are always allowed; the deciding event, when there is one, is real.
    #[test]
    fn contract_always_allowed(raw in prop::collection::vec(arb_event(), 0..16)) {
        let events = build(&raw);
        prop_assert_eq!(derive(&service(), &events).state, State::Allowed);
        for p in marketing_purposes() {
            let s = derive(&p, &events);
            if let Some(id) = s.event_id {
                prop_assert!(events.iter().any(|e| e.id == id && Some(&e.occurred_at) == s.since.as_ref()));
            }
        }
    }

    #[test]
    fn file_parsers_never_panic(s in "\\PC*") {
        if let Some(t) = parse_file_time(&s, time::DEFAULT_ZONE) {
            prop_assert_eq!(t.len(), 20);
        }
        let _ = header_key(&s);
    }
}

#[test]
fn import_grant_decisions() {
    let at = "2026-11-05T10:00:00Z";
    let n = newsletter();
    assert_eq!(
        decide_grant_import(&n, &[], at, true, "x"),
        GrantImport::Grant
    );
    // The same grant again: nothing to add.
    let mut g = ev(1, 5, N, Kind::Granted);
    g.evidence = Some("x".into());
    assert_eq!(
        decide_grant_import(&n, std::slice::from_ref(&g), at, true, "y"),
        GrantImport::AlreadyRecorded
    );
    // Undated rows are recognised by their evidence.
    assert_eq!(
        decide_grant_import(
            &n,
            std::slice::from_ref(&g),
            "2026-11-23T10:00:00Z",
            false,
            "x"
        ),
        GrantImport::AlreadyRecorded
    );
    // An objection before the grant's time, or after it, rejects the row.
    for day in [1, 9] {
        let o = ev(2, day, None, Kind::Objected);
        assert_eq!(
            decide_grant_import(&n, &[o], at, true, "x"),
            GrantImport::RejectObjected,
            "objection on day {day}"
        );
    }
    // A dated grant after a withdrawal is a new consent; an undated one is not proof of it.
    let w = ev(3, 2, N, Kind::Withdrawn);
    assert_eq!(
        decide_grant_import(&n, std::slice::from_ref(&w), at, true, "x"),
        GrantImport::Grant
    );
    assert_eq!(
        decide_grant_import(&n, &[w], "2026-11-23T10:00:00Z", false, "x"),
        GrantImport::RejectWithdrawn
    );
}

#[test]
fn unsubscribe_decisions() {
    let n = newsletter();
    let at = "2026-11-05T10:00:00Z";
    assert!(unsubscribe_adds(&n, &[], at, true));
    let w = ev(1, 5, N, Kind::Withdrawn);
    assert!(!unsubscribe_adds(&n, std::slice::from_ref(&w), at, true));
    assert!(unsubscribe_adds(
        &n,
        std::slice::from_ref(&w),
        "2026-11-06T10:00:00Z",
        true
    ));
    // Undated: added unless already withdrawn or objected.
    assert!(unsubscribe_adds(&n, &[], at, false));
    assert!(unsubscribe_adds(
        &n,
        &[ev(2, 1, N, Kind::Granted)],
        at,
        false
    ));
    assert!(!unsubscribe_adds(&n, &[w], at, false));
    assert!(!unsubscribe_adds(
        &n,
        &[ev(3, 1, None, Kind::Objected)],
        at,
        false
    ));
    // For opt-out purposes the first undated unsubscribe is the refusal.
    assert!(unsubscribe_adds(&b2b(), &[], at, false));
}

#[test]
fn act_times_are_from_1970_to_now() {
    let zone = time::DEFAULT_ZONE;
    let now = "2026-11-23T10:00:00Z";
    assert!(check_act_time(now, now, zone).is_ok());
    assert!(check_act_time(EARLIEST_ACT, now, zone).is_ok());
    assert!(check_act_time("2026-11-23T10:00:01Z", now, zone)
        .unwrap_err()
        .contains("already come (now is 2026-11-23 12:00)"));
    for ancient in [
        "0001-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "1900-01-01T00:00:00Z",
    ] {
        assert_eq!(
            check_act_time(ancient, now, zone),
            Err("expected a time from 1970 on".into()),
            "{ancient}"
        );
    }
}

#[test]
fn file_times_parse_whatever_year_and_the_act_rule_judges_them() {
    // Parsed as written (the form is right), then refused by the same rule as --at.
    let t = parse_file_time("1950-06-01 12:00:00", time::DEFAULT_ZONE).unwrap();
    assert_eq!(t, "1950-06-01T12:00:00Z");
    assert!(check_act_time(&t, "2026-11-23T10:00:00Z", time::DEFAULT_ZONE).is_err());
    let t = parse_file_time("1970-01-01 00:00:00", time::DEFAULT_ZONE).unwrap();
    assert!(check_act_time(&t, "2026-11-23T10:00:00Z", time::DEFAULT_ZONE).is_ok());
}

#[test]
fn only_consent_and_marketing_purposes_can_be_withdrawn() {
    assert!(cannot_withdraw(&purpose(
        "newsletter",
        Basis::Consent,
        Some(Marketing::OptIn)
    ))
    .is_none());
    assert!(cannot_withdraw(&purpose(
        "b2b",
        Basis::LegitimateInterest,
        Some(Marketing::OptOut)
    ))
    .is_none());
    let li = cannot_withdraw(&purpose("prospects", Basis::LegitimateInterest, None)).unwrap();
    assert!(li.contains("consent object --purpose prospects"), "{li}");
    let contract = cannot_withdraw(&purpose("customer-service", Basis::Contract, None)).unwrap();
    assert!(contract.contains("contract"), "{contract}");
}

#[test]
fn only_consent_purposes_can_be_granted() {
    assert_eq!(cannot_grant(&newsletter()), None);
    let b = cannot_grant(&b2b()).unwrap();
    assert!(
        b.starts_with(
            "b2b-marketing is opt-out marketing on legitimate interest: no consent is needed"
        ) && b.contains("consent withdraw"),
        "{b}"
    );
    let c = cannot_grant(&service()).unwrap();
    assert_eq!(
        c,
        "customer-service is processed on contract, not consent: there is no consent to record"
    );
}

#[test]
fn objections_apply_to_marketing_and_legitimate_interest() {
    assert_eq!(cannot_object(&newsletter()), None);
    assert_eq!(cannot_object(&b2b()), None);
    assert_eq!(
        cannot_object(&purpose("prospects", Basis::LegitimateInterest, None)),
        None
    );
    assert!(cannot_object(&service())
        .unwrap()
        .contains("does not apply"));
    let research = cannot_object(&purpose("research", Basis::Consent, None)).unwrap();
    assert!(
        research.contains("consent withdraw --purpose research"),
        "{research}"
    );
}

#[test]
fn an_objection_blocks_a_plain_grant_at_its_time() {
    let n = newsletter();
    let obj = ev(4, 10, None, Kind::Objected);
    let events = [ev(1, 1, N, Kind::Granted), obj];
    // After the objection: refused unless it is a new, explicit consent.
    let why = objection_blocks_grant(&n, 7, &events, "2026-11-20T10:00:00Z", false).unwrap();
    assert!(
        why.starts_with("contact 7 has objected to all direct marketing (event 4)")
            && why.contains("--override-objection"),
        "{why}"
    );
    assert_eq!(
        objection_blocks_grant(&n, 7, &events, "2026-11-20T10:00:00Z", true),
        None
    );
    // Dated before the objection, it is not blocked by it (but changes nothing, below).
    assert_eq!(
        objection_blocks_grant(&n, 7, &events, "2026-11-05T10:00:00Z", false),
        None
    );
    let to_purpose = [ev(5, 2, N, Kind::Objected)];
    let why = objection_blocks_grant(&n, 7, &to_purpose, "2026-11-20T10:00:00Z", false).unwrap();
    assert!(
        why.contains("has objected to newsletter (event 5)"),
        "{why}"
    );
}

#[test]
fn a_grant_that_leaves_the_purpose_not_allowed_changes_nothing() {
    let n = newsletter();
    let mut g = ev(i64::MAX, 5, N, Kind::Granted);
    g.contact_id = 7;
    assert_eq!(grant_changes_nothing(&n, &[], &g, time::Tz::UTC), None);
    // Before a later withdrawal: the withdrawal stands.
    let w = ev(2, 10, N, Kind::Withdrawn);
    let why = grant_changes_nothing(&n, std::slice::from_ref(&w), &g, time::Tz::UTC).unwrap();
    assert!(
        why.starts_with("contact 7 withdrew consent for newsletter at 2026-11-10 10:00 (event 2), later than --at 2026-11-05 10:00")
            && why.ends_with("changes nothing (newsletter stays withdrawn); nothing was recorded"),
        "{why}"
    );
    // Before a later objection.
    let why =
        grant_changes_nothing(&n, &[ev(3, 10, None, Kind::Objected)], &g, time::Tz::UTC).unwrap();
    assert!(why.contains("objected to all direct marketing"), "{why}");
    // After the withdrawal, it is a new consent.
    let mut later = g.clone();
    later.occurred_at = "2026-11-20T10:00:00Z".into();
    assert_eq!(grant_changes_nothing(&n, &[w], &later, time::Tz::UTC), None);
}

#[test]
fn an_unsubscribe_from_marketing_also_refuses_opt_out_marketing() {
    let events_p = purpose("events", Basis::LegitimateInterest, Some(Marketing::OptOut));
    let research = purpose("research", Basis::Consent, None);
    let all = vec![
        service(),
        newsletter(),
        b2b(),
        events_p.clone(),
        research.clone(),
    ];
    let ids = |v: Vec<&Purpose>| v.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(unsubscribe_also_refuses(&all, &newsletter())),
        ["b2b-marketing", "events"]
    );
    // From an opt-out purpose: the other opt-out ones; an opt-in one needs no refusal.
    assert_eq!(ids(unsubscribe_also_refuses(&all, &b2b())), ["events"]);
    // A purpose that is not marketing is no mailing list.
    assert!(unsubscribe_also_refuses(&all, &research).is_empty());
}

#[test]
fn a_withdrawal_before_a_later_consent_is_outdated() {
    let n = newsletter();
    let g = ev(1, 10, N, Kind::Granted);
    let w = ev(2, 5, N, Kind::Withdrawn);
    let events = [g.clone(), w.clone()];
    let found = withdrawal_outdated(&n, &events, &w.occurred_at);
    assert_eq!(found.map(|e| e.id), Some(1));
    // After the consent, it stops it.
    let w = ev(3, 15, N, Kind::Withdrawn);
    assert_eq!(
        withdrawal_outdated(&n, &[g, w.clone()], &w.occurred_at),
        None
    );
    // An opt-out refusal with nothing after it is in force.
    let r = ev(4, 5, B, Kind::Withdrawn);
    assert_eq!(
        withdrawal_outdated(&b2b(), std::slice::from_ref(&r), &r.occurred_at),
        None
    );
}
