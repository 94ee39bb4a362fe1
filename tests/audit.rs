//! `rekisteri audit list|verify`: the hash-chained audit trail.

mod common;

use common::Reg;
use rekisteri::store::audit::event_hash;
use serde_json::Value;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// A register with events at different times and by different operators:
/// 1 register.create (tester, 11-20), 2 contact.add (anna, 11-21), 3 contact.add (bertil, 11-22),
/// 4 policy.apply (anna, 11-22), 5 contact.add (anna, 11-23). The days are the register's
/// (Europe/Helsinki, UTC+2 in November): 4 is in the last second of 11-22, 5 in the first of 11-23.
fn register_with_events() -> Reg {
    let r = Reg::bare();
    r.cmd()
        .env("REKISTERI_NOW", "2026-11-20T08:00:00Z")
        .args(["init"])
        .assert()
        .success();
    let add = |now: &str, op: &str, email: &str| {
        r.cmd()
            .env("REKISTERI_NOW", now)
            .args(["--operator", op, "contact", "add", "--email", email])
            .assert()
            .success();
    };
    add("2026-11-21T09:00:00Z", "anna", "a@example.fi");
    add("2026-11-22T09:00:00Z", "bertil", "b@example.fi");
    let text =
        include_str!("../src/model/default_policy.toml").replace("months = 24", "months = 12");
    let f = r.file("v2.toml", text);
    r.cmd()
        .env("REKISTERI_NOW", "2026-11-22T21:59:59Z")
        .args(["--operator", "anna", "policy", "apply"])
        .arg(&f)
        .assert()
        .success();
    add("2026-11-22T22:00:00Z", "anna", "c@example.fi");
    r
}

fn ids(r: &Reg, args: &[&str]) -> Vec<i64> {
    let mut a = vec!["--format", "json", "audit", "list"];
    a.extend_from_slice(args);
    json(&r.ok(&a))
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn list_shows_every_event_in_each_format() {
    let r = register_with_events();
    // REKISTERI_OPERATOR (tester) names who acts; it does not filter the list.
    assert_eq!(ids(&r, &[]), vec![1, 2, 3, 4, 5]);

    let table = r.ok(&["audit", "list"]);
    assert!(table.contains("| time "), "{table}");
    // Shown in the register's time zone, whatever the process's (TZ=UTC here).
    assert!(table.contains("2026-11-21 11:00"), "{table}");
    assert!(table.contains("contact:1"), "{table}");
    // 24 → 12 months: three category rules, two record rules, the deletion interval.
    assert!(table.contains("changes=6,material=0"), "{table}");
    assert!(
        !table.contains("@example.fi"),
        "no personal values: {table}"
    );

    let csv = r.ok(&["--format", "csv", "audit", "list"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,at,operator,action,object_ids,detail,prev_hash,hash"
    );
    assert_eq!(lines.len(), 6);
    assert!(lines[2].starts_with("2,2026-11-21T09:00:00Z,anna,contact.add,contact:1,,"));

    let j = json(&r.ok(&["--format", "json", "audit", "list"]));
    let e = &j[3];
    assert_eq!(e["action"], "policy.apply");
    assert_eq!(e["object_ids"], "policy:2");
    assert_eq!(e["prev_hash"], j[2]["hash"]);
    assert_eq!(e["hash"].as_str().unwrap().len(), 64);
}

#[test]
fn list_filters_by_operator_action_dates_and_limit() {
    let r = register_with_events();
    assert_eq!(ids(&r, &["--by", "anna"]), vec![2, 4, 5]);
    assert_eq!(ids(&r, &["--by", "nobody"]), Vec::<i64>::new());
    assert_eq!(ids(&r, &["--action", "contact."]), vec![2, 3, 5]);
    assert_eq!(ids(&r, &["--action", "policy.apply"]), vec![4]);
    assert_eq!(ids(&r, &["--action", "contact.edit"]), Vec::<i64>::new());
    // A date includes its whole day, on either side.
    assert_eq!(ids(&r, &["--since", "2026-11-22"]), vec![3, 4, 5]);
    assert_eq!(ids(&r, &["--until", "2026-11-22"]), vec![1, 2, 3, 4]);
    assert_eq!(
        ids(&r, &["--since", "2026-11-21", "--until", "2026-11-22"]),
        vec![2, 3, 4]
    );
    // A time is included itself.
    assert_eq!(
        ids(
            &r,
            &[
                "--since",
                "2026-11-22T09:00:00Z",
                "--until",
                "2026-11-22T21:59:59Z"
            ]
        ),
        vec![3, 4]
    );
    // The newest N, listed oldest first; combined with other filters.
    assert_eq!(ids(&r, &["--limit", "2"]), vec![4, 5]);
    assert_eq!(
        ids(
            &r,
            &["--by", "anna", "--action", "contact.", "--limit", "1"]
        ),
        vec![5]
    );
}

#[test]
fn list_rejects_bad_filters() {
    let r = register_with_events();
    let err = r.fails(&["audit", "list", "--since", "22.11.2026"], 2);
    assert!(
        err.contains("--since") && err.contains("22.11.2026"),
        "{err}"
    );
    assert!(err.contains("ISO 8601"), "{err}");
    let err = r.fails(&["audit", "list", "--until", "eilen"], 2);
    assert!(err.contains("--until"), "{err}");
    let err = r.fails(
        &[
            "audit",
            "list",
            "--since",
            "2026-11-23",
            "--until",
            "2026-11-21",
        ],
        2,
    );
    assert!(err.contains("after --since"), "{err}");
    r.fails(&["audit", "list", "--limit", "0"], 2);
}

#[test]
fn verify_reports_ok_count_and_head() {
    let r = register_with_events();
    let head: String = r
        .sql()
        .query_row(
            "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1",
            [],
            |x| x.get(0),
        )
        .unwrap();
    let out = r.ok(&["audit", "verify"]);
    assert!(out.contains("OK"), "{out}");
    assert!(out.contains("5 events"), "{out}");
    assert!(out.contains(&format!("head: {head}")), "{out}");
    let j = json(&r.ok(&["--format", "json", "audit", "verify"]));
    assert_eq!(j["ok"], true);
    assert_eq!(j["events"], 5);
    assert_eq!(j["head_id"], 5);
    assert_eq!(j["head"], head.as_str());
    // Verifying appends nothing: the head stays put.
    assert_eq!(r.count("audit_events"), 5);
}

#[test]
fn verify_help_explains_truncation() {
    let r = Reg::new();
    let help = r.ok(&["audit", "verify", "--help"]);
    assert!(help.contains("--expect-head"), "{help}");
    assert!(help.contains("cut off"), "{help}");
}

#[test]
fn verify_detects_an_edited_event() {
    let r = register_with_events();
    r.sql()
        .execute(
            "UPDATE audit_events SET object_ids = 'contact:99' WHERE id = 3",
            [],
        )
        .unwrap();
    let err = r.fails(&["audit", "verify"], 1);
    assert!(err.contains("broken at event 3"), "{err}");
    assert!(err.contains("edited"), "{err}");
    assert!(err.contains("2 event(s) before it are intact"), "{err}");

    let out = r
        .cmd()
        .args(["--format", "json", "audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j = json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(j["ok"], false);
    assert_eq!(j["broken_at"], 3);
    assert_eq!(j["problem"]["problem"], "edited");
}

#[test]
fn verify_detects_an_edit_with_a_recomputed_hash() {
    let r = register_with_events();
    let c = r.sql();
    let (at, prev): (String, String) = c
        .query_row(
            "SELECT at, prev_hash FROM audit_events WHERE id = 2",
            [],
            |x| Ok((x.get(0)?, x.get(1)?)),
        )
        .unwrap();
    let forged = event_hash(
        2,
        &at,
        "someone-else",
        "contact.add",
        "contact:1",
        "",
        &prev,
    );
    c.execute(
        "UPDATE audit_events SET operator = 'someone-else', hash = ?1 WHERE id = 2",
        [&forged],
    )
    .unwrap();
    let err = r.fails(&["audit", "verify"], 1);
    assert!(err.contains("broken at event 3"), "{err}");
    assert!(err.contains("broken link"), "{err}");
}

#[test]
fn verify_detects_a_deleted_middle_event() {
    let r = register_with_events();
    r.sql()
        .execute("DELETE FROM audit_events WHERE id = 2", [])
        .unwrap();
    let err = r.fails(&["audit", "verify"], 1);
    assert!(err.contains("broken at event 2"), "{err}");
    assert!(err.contains("event 2 is missing (deleted)"), "{err}");
}

#[test]
fn verify_detects_an_emptied_trail() {
    let r = register_with_events();
    r.sql().execute("DELETE FROM audit_events", []).unwrap();
    let err = r.fails(&["audit", "verify"], 1);
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn expect_head_detects_a_deleted_tail() {
    let r = register_with_events();
    let saved = json(&r.ok(&["--format", "json", "audit", "verify"]))["head"]
        .as_str()
        .unwrap()
        .to_string();
    r.add("d@example.fi", &[]);

    // The saved head is still there, with one event after it.
    let out = r.ok(&["audit", "verify", "--expect-head", &saved.to_uppercase()]);
    assert!(
        out.contains("the expected head is event 5; 1 event(s) were added after it"),
        "{out}"
    );

    // Cut the tail, the saved head with it: the shorter chain is intact on its own…
    r.sql()
        .execute("DELETE FROM audit_events WHERE id >= 5", [])
        .unwrap();
    assert!(r.ok(&["audit", "verify"]).contains("4 events"));
    // …but the saved head shows the truncation.
    let err = r.fails(&["audit", "verify", "--expect-head", &saved], 1);
    assert!(err.contains(&saved), "{err}");
    assert!(err.contains("not in the audit trail"), "{err}");
    assert!(err.contains("truncated"), "{err}");

    let err = r.fails(&["audit", "verify", "--expect-head", "abc123"], 2);
    assert!(
        err.contains("--expect-head") && err.contains("64 hex digits"),
        "{err}"
    );
}
