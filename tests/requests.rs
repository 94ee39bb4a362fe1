//! `rekisteri request …` against real register files: each right end to end, the lifecycle's
//! refusals, deadlines under an injected clock.

mod common;

use common::Reg;
use serde_json::Value;

/// Runs with another "now" and asserts success; returns stdout.
fn ok_at(r: &Reg, now: &str, args: &[&str]) -> String {
    let out = r
        .cmd()
        .env("REKISTERI_NOW", now)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn open(r: &Reg, args: &[&str]) -> String {
    let mut a = vec!["request", "open"];
    a.extend_from_slice(args);
    let id = r.ok(&a).trim().to_string();
    assert!(id.starts_with("R-2026-"), "{id}");
    id
}

fn json(r: &Reg, args: &[&str]) -> Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&r.ok(&a)).unwrap()
}

fn status(r: &Reg, id: &str) -> String {
    json(r, &["request", "show", id])["request"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

fn aino(r: &Reg) -> i64 {
    r.add(
        "aino@example.fi",
        &["--first-name", "Aino", "--phone", "040 123 4567"],
    )
}

#[test]
fn open_numbers_per_year_and_tells_the_due_date() {
    let r = Reg::new();
    aino(&r);
    let out = r
        .cmd()
        .args(["request", "open", "--type", "access", "--subject", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "R-2026-0001\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("answer due 2026-12-23 (30 days left)"),
        "{err}"
    );
    assert_eq!(
        open(&r, &["--type", "objection", "--subject", "aino@example.fi"]),
        "R-2026-0002"
    );
    // A request received on 31 October is due on the last working day rule: 30 Nov is a Monday.
    let id = open(
        &r,
        &[
            "--type",
            "erasure",
            "--subject",
            "1",
            "--received",
            "2026-10-31",
        ],
    );
    assert_eq!(id, "R-2026-0003");
    assert_eq!(
        json(&r, &["request", "show", &id])["request"]["due"],
        "2026-11-30"
    );
    // The next year starts again from 1.
    let next = ok_at(
        &r,
        "2027-01-02T10:00:00Z",
        &["request", "open", "--type", "access", "--subject", "1"],
    );
    assert_eq!(next.trim(), "R-2027-0001");
}

#[test]
fn invalid_input_names_the_field_and_changes_nothing() {
    let r = Reg::new();
    aino(&r);
    let e = r.fails(
        &[
            "request",
            "open",
            "--type",
            "access",
            "--subject",
            "1",
            "--received",
            "2026-11-24",
        ],
        2,
    );
    assert!(
        e.contains("--received \"2026-11-24\"") && e.contains("to today, 2026-11-23"),
        "{e}"
    );
    let e = r.fails(
        &["request", "open", "--type", "delete", "--subject", "1"],
        2,
    );
    assert!(e.contains("delete"), "{e}");
    let e = r.fails(&["request", "open", "--type", "access"], 2);
    assert!(e.contains("--subject"), "{e}");
    let e = r.fails(
        &[
            "request",
            "open",
            "--type",
            "access",
            "--subject",
            "1",
            "--purpose",
            "newsletter",
        ],
        2,
    );
    assert!(e.contains("--purpose"), "{e}");
    let e = r.fails(
        &[
            "request",
            "open",
            "--type",
            "objection",
            "--subject",
            "1",
            "--purpose",
            "nosuch",
        ],
        2,
    );
    assert!(e.contains("newsletter"), "{e}");
    let e = r.fails(
        &[
            "request",
            "open",
            "--type",
            "access",
            "--subject-email",
            "not-an-email",
        ],
        2,
    );
    assert!(e.contains("--subject-email"), "{e}");
    let e = r.fails(&["request", "show", "R-26-1"], 2);
    assert!(e.contains("R-2026-0007"), "{e}");
    // Someone unknown is pointed to --subject-email; a known address to --subject.
    let e = r.fails(
        &[
            "request",
            "open",
            "--type",
            "access",
            "--subject",
            "ghost@example.fi",
        ],
        1,
    );
    assert!(e.contains("--subject-email"), "{e}");
    let e = r.fails(
        &[
            "request",
            "open",
            "--type",
            "access",
            "--subject-email",
            "AINO@example.fi",
        ],
        1,
    );
    assert!(e.contains("--subject 1"), "{e}");
    assert_eq!(r.count("requests"), 0);
    r.fails(&["request", "show", "R-2026-0001"], 1);
}

#[test]
fn rectification_end_to_end_with_edit_rules() {
    let r = Reg::new();
    let c = aino(&r);
    let id = open(
        &r,
        &[
            "--type",
            "rectification",
            "--subject",
            "1",
            "--requester",
            "Aino's lawyer",
            "--details",
            "my phone is 040 765 4321",
        ],
    );
    // Not before the identity is verified.
    let e = r.fails(&["request", "fulfil", &id, "--phone", "040 765 4321"], 1);
    assert!(e.contains("not verified"), "{e}");
    r.ok(&[
        "request",
        "verify",
        &id,
        "--method",
        "replied from the registered address",
    ]);
    // The edit's validation, and nothing is changed by a refused value.
    let e = r.fails(&["request", "fulfil", &id, "--business-id", "1234567-2"], 2);
    assert!(e.contains("--business-id"), "{e}");
    let e = r.fails(&["request", "fulfil", &id], 2);
    assert!(e.contains("nothing to rectify"), "{e}");
    assert_eq!(status(&r, &id), "verified");
    r.ok(&[
        "request",
        "fulfil",
        &id,
        "--phone",
        "040 765 4321",
        "--clear",
        "first-name",
    ]);
    let v = json(&r, &["contact", "show", &c.to_string()]);
    assert_eq!(v["contact"]["phone"], "+358407654321");
    assert_eq!(v["contact"]["first_name"], Value::Null);
    assert_eq!(v["requests"][0]["id"], id.as_str());
    assert_eq!(v["requests"][0]["status"], "fulfilled");
    assert_eq!(v["requests"][0]["due"], "2026-12-23");
    let show = json(&r, &["request", "show", &id]);
    assert_eq!(show["request"]["outcome"], "fields=first_name+phone");
    assert_eq!(show["request"]["requester"], "Aino's lawyer");
    r.ok(&["request", "complete", &id, "--note", "confirmed by e-mail"]);
    // Answered: the personal free text is gone, the record stays.
    let show = json(&r, &["request", "show", &id]);
    assert_eq!(show["request"]["status"], "completed");
    assert_eq!(show["request"]["requester"], Value::Null);
    assert_eq!(show["request"]["details"], Value::Null);
    assert_eq!(show["request"]["days_left"], Value::Null);
    let steps: Vec<&str> = show["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["received", "verified", "fulfilled", "answered"]);
    assert!(show["timeline"][3]["detail"]
        .as_str()
        .unwrap()
        .contains("answered by email"));
    // The audit trail has ids and codes, never the request's text or the new value.
    let audit = r.ok(&["--format", "csv", "audit", "list"]);
    assert!(
        audit.contains("request.fulfil") && audit.contains("request:1"),
        "{audit}"
    );
    for secret in ["lawyer", "765", "registered address", "confirmed"] {
        assert!(
            !audit.contains(secret),
            "{secret} in the audit trail:\n{audit}"
        );
    }
}

#[test]
fn restriction_leaves_the_contact_out_until_lifted() {
    let r = Reg::new();
    aino(&r);
    r.add("bertta@example.fi", &[]);
    let mailing = |r: &Reg| r.ok(&["export", "mailing-list", "--purpose", "b2b-marketing"]);
    assert!(mailing(&r).contains("aino@example.fi"));
    let id = open(
        &r,
        &[
            "--type",
            "restriction",
            "--subject",
            "1",
            "--channel",
            "letter",
        ],
    );
    r.ok(&["request", "verify", &id, "--method", "signed letter"]);
    let e = r.fails(&["request", "lift", &id], 1);
    assert!(e.contains("it is verified"), "{e}");
    r.ok(&["request", "fulfil", &id]);
    let list = r.ok(&["--format", "csv", "contact", "list"]);
    assert!(
        list.lines()
            .any(|l| l.starts_with("1,") && l.ends_with(",2026-11-23")),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("2,") && l.ends_with(",")),
        "{list}"
    );
    assert!(!mailing(&r).contains("aino@example.fi"));
    assert!(mailing(&r).contains("bertta@example.fi"));
    assert!(!r
        .ok(&["export", "contacts", "--for-use"])
        .contains("aino@example.fi"));
    // Kept, so in the full export, marked restricted in its last column.
    let all = r.ok(&["export", "contacts"]);
    let aino = all.lines().find(|l| l.contains("aino@example.fi")).unwrap();
    assert!(aino.ends_with(",true"), "{aino}");
    assert_ne!(
        json(&r, &["contact", "show", "1"])["contact"]["restricted_at"],
        Value::Null
    );
    r.ok(&["request", "complete", &id]);
    // Lifting ends it, once, audited.
    r.ok(&["request", "lift", &id]);
    assert!(mailing(&r).contains("aino@example.fi"));
    assert_eq!(
        json(&r, &["contact", "show", "1"])["contact"]["restricted_at"],
        Value::Null
    );
    let e = r.fails(&["request", "lift", &id], 1);
    assert!(e.contains("already lifted"), "{e}");
    assert!(r.ok(&["audit", "list"]).contains("request.lift"));
    let steps = json(&r, &["request", "show", &id])["timeline"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(steps, 5);
}

#[test]
fn objection_and_withdrawal_go_into_the_consent_ledger_at_once() {
    let r = Reg::new();
    aino(&r);
    r.ok(&[
        "consent",
        "grant",
        "1",
        "--purpose",
        "newsletter",
        "--evidence",
        "web form",
    ]);
    // Withdrawal needs no verification, and withdraws what the person consented to.
    let w = open(
        &r,
        &["--type", "withdrawal", "--subject", "1", "--channel", "web"],
    );
    r.ok(&["request", "fulfil", &w]);
    let ledger = json(&r, &["consent", "history", "1"]);
    let last = ledger.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "withdrawn");
    assert_eq!(last["purpose"], "newsletter");
    assert_eq!(last["evidence"], w.as_str());
    assert_eq!(last["channel"], "web-form");
    // Objection: to all direct marketing (b2b-marketing is opt-out, so Aino was on it).
    assert!(r
        .ok(&["export", "mailing-list", "--purpose", "b2b-marketing"])
        .contains("aino@"));
    let o = open(&r, &["--type", "objection", "--subject", "1"]);
    r.ok(&["request", "fulfil", &o]);
    assert!(!r
        .ok(&["export", "mailing-list", "--purpose", "b2b-marketing"])
        .contains("aino@"));
    let ledger = json(&r, &["consent", "history", "1"]);
    let last = ledger.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "objected");
    assert_eq!(last["evidence"], o.as_str());
    // A second objection finds it in force and records nothing.
    let again = open(&r, &["--type", "objection", "--subject", "1"]);
    let before = r.count("consent_events");
    r.ok(&["request", "fulfil", &again]);
    assert_eq!(r.count("consent_events"), before);
    assert_eq!(
        json(&r, &["request", "show", &again])["request"]["outcome"],
        "nothing-to-record"
    );
    // An objection to one purpose only.
    r.add("bertta@example.fi", &[]);
    let p = open(
        &r,
        &[
            "--type",
            "objection",
            "--subject",
            "2",
            "--purpose",
            "b2b-marketing",
        ],
    );
    r.ok(&["request", "fulfil", &p]);
    let st = json(&r, &["consent", "status", "2"]);
    let b2b = st
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["purpose"] == "b2b-marketing")
        .unwrap()
        .clone();
    assert_eq!(b2b["state"], "objected");
}

#[test]
fn someone_not_in_the_register_is_tracked_and_answered_no_data() {
    let r = Reg::new();
    let id = open(
        &r,
        &[
            "--type",
            "objection",
            "--subject-email",
            "Ghost@Example.fi",
            "--requester",
            "Ghost",
        ],
    );
    let v = json(&r, &["request", "show", &id]);
    assert_eq!(v["request"]["subject"], Value::Null);
    assert_eq!(v["request"]["subject_email"], "ghost@example.fi");
    r.ok(&["request", "fulfil", &id]);
    assert_eq!(
        json(&r, &["request", "show", &id])["request"]["outcome"],
        "no-data-held"
    );
    r.ok(&["request", "complete", &id]);
    let v = json(&r, &["request", "show", &id]);
    assert_eq!(v["request"]["subject_email"], Value::Null);
    let list = json(&r, &["request", "list"]);
    assert_eq!(list[0]["subject"], Value::Null);
}

#[test]
fn access_and_portability_answers_are_written_after_the_fulfilment_is_recorded() {
    use std::os::unix::fs::PermissionsExt;
    let r = Reg::new();
    aino(&r);
    let out = r.dir.path().join("answers");
    std::fs::create_dir(&out).unwrap();
    let dir = out.to_str().unwrap();
    let access = open(&r, &["--type", "access", "--subject", "1"]);
    // Not verified: nothing is disclosed.
    r.fails(&["request", "fulfil", &access, "--output", dir], 1);
    r.ok(&["request", "verify", &access, "--method", "x"]);
    let e = r.fails(&["request", "fulfil", &access], 2);
    assert!(e.contains("--output"), "{e}");
    let e = r.fails(
        &["request", "fulfil", &access, "--output", "/nonexistent/x"],
        2,
    );
    assert!(e.contains("/nonexistent/x"), "{e}");
    assert_eq!(status(&r, &access), "verified");
    r.ok(&[
        "request", "fulfil", &access, "--output", dir, "--lang", "fi",
    ]);
    assert_eq!(status(&r, &access), "fulfilled");
    let md = std::fs::read_to_string(out.join(format!("{access}.md"))).unwrap();
    assert!(
        md.contains("tietosuojavaltuutettu") || md.contains("Tietosuojavaltuutettu"),
        "{md}"
    );
    let json = std::fs::read_to_string(out.join(format!("{access}.json"))).unwrap();
    assert!(json.contains("aino@example.fi"), "{json}");
    for ext in ["md", "json"] {
        let mode = std::fs::metadata(out.join(format!("{access}.{ext}")))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let last: String = r
        .sql()
        .query_row(
            "SELECT detail FROM audit_events WHERE action = 'request.fulfil' ORDER BY id DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(last.contains("answered contact:1"), "{last}");
    assert!(!last.contains("aino"), "{last}");

    // Portability; a file in the way is refused before anything is recorded.
    let port = open(&r, &["--type", "portability", "--subject", "1"]);
    r.ok(&["request", "verify", &port, "--method", "x"]);
    std::fs::write(out.join(format!("{port}.csv")), "mine").unwrap();
    let e = r.fails(&["request", "fulfil", &port, "--output", dir], 1);
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(status(&r, &port), "verified");
    std::fs::remove_file(out.join(format!("{port}.csv"))).unwrap();
    r.ok(&["request", "fulfil", &port, "--output", dir]);
    let csv = std::fs::read_to_string(out.join(format!("{port}.csv"))).unwrap();
    assert!(csv.contains("aino@example.fi"), "{csv}");
    assert_eq!(r.count("contacts"), 1);
}

#[test]
fn erasure_waits_for_a_legal_hold_then_erases_and_suppresses() {
    let r = Reg::new();
    aino(&r);
    let id = open(
        &r,
        &[
            "--type",
            "erasure",
            "--subject",
            "aino@example.fi",
            "--details",
            "poistakaa tietoni",
        ],
    );
    r.ok(&[
        "request",
        "verify",
        &id,
        "--method",
        "replied from the address",
    ]);
    r.ok(&[
        "contact",
        "hold",
        "1",
        "--reason",
        "riita-asia",
        "--until",
        "2026-12-31",
    ]);
    let e = r.fails(&["request", "fulfil", &id], 1);
    assert!(e.contains("riita-asia") && e.contains("2026-12-31"), "{e}");
    assert_eq!(
        (status(&r, &id), r.count("contacts")),
        ("verified".into(), 1)
    );

    r.ok(&["contact", "release", "1"]);
    let (_, err) = {
        let out = r.cmd().args(["request", "fulfil", &id]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(err.contains("fulfilled: erased contact 1"), "{err}");
    assert_eq!(status(&r, &id), "fulfilled");
    assert_eq!(r.count("contacts"), 0);
    // The request's free text went with the person; the -wal was emptied.
    let details: Option<String> = r
        .sql()
        .query_row("SELECT details FROM requests", [], |row| row.get(0))
        .unwrap();
    assert_eq!(details, None);
    let wal = std::path::PathBuf::from(format!("{}-wal", r.db.display()));
    assert!(std::fs::metadata(&wal).map_or(true, |m| m.len() == 0));
    // The address is suppressed, naming the request.
    let e = r.fails(&["contact", "add", "--email", "aino@example.fi"], 1);
    assert!(e.contains(&format!("by request {id}")), "{e}");
    r.ok(&["request", "complete", &id]);
}

#[test]
fn the_lifecycle_refuses_illegal_steps_naming_the_status() {
    let r = Reg::new();
    aino(&r);
    let id = open(&r, &["--type", "access", "--subject", "1"]);
    let e = r.fails(&["request", "complete", &id], 1);
    assert!(
        e.contains("it is received") && e.contains("fulfil it first"),
        "{e}"
    );
    r.ok(&["request", "verify", &id, "--method", "x"]);
    let e = r.fails(&["request", "verify", &id, "--method", "x"], 1);
    assert!(e.contains("it is verified already"), "{e}");
    let e = r.fails(&["request", "refuse", &id, "--reason", " "], 2);
    assert!(e.contains("--reason"), "{e}");
    r.ok(&[
        "request",
        "refuse",
        &id,
        "--reason",
        "the fifth identical request this month",
        "--fee",
        "25",
    ]);
    for step in [
        &["verify", "--method", "x"][..],
        &["refuse", "--reason", "x"],
        &["fulfil"],
        &["extend", "--reason", "x"],
    ] {
        let mut a = vec!["request", step[0], &id];
        a.extend_from_slice(&step[1..]);
        let e = r.fails(&a, 1);
        assert!(e.contains("it is refused"), "{step:?}: {e}");
    }
    let show = json(&r, &["request", "show", &id]);
    assert!(show["timeline"][2]["detail"]
        .as_str()
        .unwrap()
        .contains("fee 25.00 EUR"));
    let e = r.fails(&["request", "lift", &id], 1);
    assert!(e.contains("only restriction"), "{e}");
}

#[test]
fn one_extension_within_the_first_month() {
    let r = Reg::new();
    aino(&r);
    let id = open(
        &r,
        &[
            "--type",
            "access",
            "--subject",
            "1",
            "--received",
            "2026-11-02",
        ],
    );
    // Due 2026-12-02; --notified before receipt or later than today is refused.
    let e = r.fails(
        &[
            "request",
            "extend",
            &id,
            "--reason",
            "many",
            "--notified",
            "2026-11-01",
        ],
        1,
    );
    assert!(e.contains("--notified"), "{e}");
    let e = r.fails(&["request", "extend", &id, "--reason", ""], 2);
    assert!(e.contains("--reason"), "{e}");
    r.ok(&[
        "request",
        "extend",
        &id,
        "--reason",
        "many systems to search",
        "--notified",
        "2026-11-20",
    ]);
    let v = json(&r, &["request", "show", &id]);
    assert_eq!(v["request"]["due"], "2027-02-02");
    let e = r.fails(&["request", "extend", &id, "--reason", "more"], 1);
    assert!(e.contains("already extended"), "{e}");
    // After the original due date it is too late.
    let late = open(
        &r,
        &[
            "--type",
            "access",
            "--subject",
            "1",
            "--received",
            "2026-10-20",
        ],
    );
    let out = r
        .cmd()
        .env("REKISTERI_NOW", "2026-11-23T10:00:00Z")
        .args(["request", "extend", &late, "--reason", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-11-20 has passed"));
}

#[test]
fn overdue_and_due_within_follow_the_injected_clock() {
    let r = Reg::new();
    aino(&r);
    let a = open(
        &r,
        &[
            "--type",
            "access",
            "--subject",
            "1",
            "--received",
            "2026-11-02",
        ],
    ); // due 12-02
    let b = open(
        &r,
        &[
            "--type",
            "objection",
            "--subject",
            "1",
            "--received",
            "2026-11-20",
        ],
    ); // due 12-21
    let done = open(
        &r,
        &[
            "--type",
            "objection",
            "--subject",
            "1",
            "--received",
            "2026-10-01",
        ],
    ); // due 11-02
    r.ok(&["request", "fulfil", &done]);
    r.ok(&["request", "complete", &done]);
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    let at = |now: &str, args: &[&str]| -> Value {
        let mut full = vec!["--format", "json", "request", "list"];
        full.extend_from_slice(args);
        serde_json::from_str(&ok_at(&r, now, &full)).unwrap()
    };
    // Today 2026-11-23: nothing overdue (the completed one does not count).
    assert!(ids(&at("2026-11-23T10:00:00Z", &["--overdue"])).is_empty());
    assert_eq!(
        ids(&at("2026-11-23T10:00:00Z", &["--due-within", "9"])),
        [a.as_str()]
    );
    assert_eq!(
        ids(&at("2026-11-23T10:00:00Z", &["--due-within", "28"])),
        [a.as_str(), b.as_str()]
    );
    let v = at("2026-11-23T10:00:00Z", &["--open"]);
    assert_eq!(v[0]["days_left"], 9);
    assert_eq!(v[0]["received"], "2026-11-02");
    assert_eq!(v[0]["due"], "2026-12-02");
    assert_eq!(v[0]["subject"], 1);
    assert_eq!(v[0]["type"], "access");
    assert_eq!(v[0]["status"], "received");
    // On the due day it is not yet overdue; the day after it is, 23:30 UTC being the next day in Helsinki.
    assert!(ids(&at("2026-12-02T12:00:00Z", &["--overdue"])).is_empty());
    let v = at("2026-12-02T23:30:00Z", &["--overdue"]);
    assert_eq!(ids(&v), [a.as_str()]);
    assert_eq!(v[0]["days_left"], -1);
    // Filters combine.
    assert!(
        ids(&at(
            "2026-12-30T10:00:00Z",
            &["--overdue", "--type", "access"]
        )) == [a.as_str()]
    );
    assert_eq!(
        ids(&at("2026-12-30T10:00:00Z", &["--status", "completed"])),
        [done.as_str()]
    );
    // CSV has the same columns.
    let csv = ok_at(
        &r,
        "2026-11-23T10:00:00Z",
        &["--format", "csv", "request", "list", "--open"],
    );
    assert_eq!(
        csv.lines().next(),
        Some("id,type,status,subject,received,due,days_left")
    );
}

#[test]
fn quiet_due_within_prints_nothing_when_nothing_is_due() {
    let r = Reg::new();
    aino(&r);
    let out = r
        .cmd()
        .args(["request", "list", "--due-within", "7", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let id = open(
        &r,
        &[
            "--type",
            "access",
            "--subject",
            "1",
            "--received",
            "2026-11-02",
        ],
    );
    let out = r
        .cmd()
        .args(["request", "list", "--due-within", "7", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.stdout.is_empty(),
        "due in 9 days: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = r
        .cmd()
        .args(["request", "list", "--due-within", "9", "--quiet"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&id));
}

#[test]
fn a_request_text_that_names_the_person_is_refused_and_changes_nothing() {
    let r = Reg::new();
    r.add(
        "liisa.virtanen@example.fi",
        &[
            "--first-name",
            "Liisa",
            "--last-name",
            "Virtanen",
            "--phone",
            "0401112233",
        ],
    );
    let id = open(&r, &["--type", "restriction", "--subject", "1"]);
    for (flag, text, field) in [
        (
            "--method",
            "vastasi osoitteesta liisa.virtanen@example.fi",
            "email",
        ),
        ("--method", "soitin numeroon 040 111 2233", "phone"),
        ("--method", "Virtaselta tuli vahvistus", "last name"),
    ] {
        let e = r.fails(&["request", "verify", &id, flag, text], 2);
        assert!(
            e.contains(&format!("invalid {flag}")) && e.contains(&format!("repeats their {field}")),
            "{e}"
        );
        assert_eq!(status(&r, &id), "received");
    }
    r.ok(&[
        "request",
        "verify",
        &id,
        "--method",
        "vastasi rekisterissä olevasta osoitteesta",
    ]);
    r.ok(&["request", "fulfil", &id]);
    let e = r.fails(
        &["request", "complete", &id, "--note", "Liisalle lähetetty"],
        2,
    );
    assert!(
        e.contains("invalid --note") && e.contains("first name"),
        "{e}"
    );
    assert_eq!(status(&r, &id), "fulfilled");
    r.ok(&["request", "complete", &id, "--note", "vastaus lähetetty"]);
}

#[test]
fn an_erasure_removes_the_persons_values_from_earlier_request_texts() {
    let r = Reg::new();
    r.add(
        "jonne.aberg@example.fi",
        &[
            "--first-name",
            "Jönne",
            "--last-name",
            "Åberg",
            "--phone",
            "0405556677",
        ],
    );
    let access = open(&r, &["--type", "access", "--subject", "1"]);
    let erasure = open(&r, &["--type", "erasure", "--subject", "1"]);
    r.ok(&[
        "request",
        "verify",
        &access,
        "--method",
        "tunnistettu puhelimessa",
    ]);
    r.ok(&[
        "request",
        "verify",
        &erasure,
        "--method",
        "vastasi osoitteesta",
    ]);
    // Texts written before today's check (or past it): the erasure must still find them.
    r.sql()
        .execute_batch(
            "UPDATE requests SET verify_method = 'Åbergille soitettu, 040 555 6677',
                                 note = 'Jönnen pyyntö' WHERE id = 1;",
        )
        .unwrap();
    r.ok(&["request", "fulfil", &erasure]);
    let (method, note, other): (String, String, String) = r
        .sql()
        .query_row(
            "SELECT a.verify_method, a.note, b.verify_method FROM requests a, requests b
             WHERE a.id = 1 AND b.id = 2",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(method, "(removed by the erasure: it named the person)");
    assert_eq!(note, "(removed by the erasure: it named the person)");
    // A text that says how, not who, stays as the record of how the request was handled.
    assert_eq!(other, "vastasi osoitteesta");
    let shown = r.ok(&["request", "show", &access]);
    assert!(shown.contains("removed by the erasure"), "{shown}");
    let file = std::fs::read(&r.db).unwrap();
    for value in ["Åberg", "Jönne", "555 6677", "jonne.aberg"] {
        let found = file.windows(value.len()).any(|w| w == value.as_bytes());
        assert!(!found, "{value} is still in the register file");
    }
}
