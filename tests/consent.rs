//! The consent ledger: grant, withdraw, object, status, history, list, imports, and the
//! mailing-list export, against a real register file.

mod common;

use common::{path_str, Reg, NOW};
use rekisteri::model::policy::{Basis, Marketing, Policy, Purpose};
use rusqlite::params;

/// The argv of `consent grant WHO --purpose PURPOSE EXTRA…`, with an evidence (which grant
/// requires) unless `extra` gives one.
fn grant<'a>(who: &'a str, purpose: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["consent", "grant", who, "--purpose", purpose];
    if !extra.contains(&"--evidence") {
        args.extend(["--evidence", "signup form on example.fi"]);
    }
    args.extend_from_slice(extra);
    args
}

fn events(r: &Reg) -> i64 {
    r.count("consent_events")
}

/// (action, object_ids, detail) of every audit event, oldest first.
fn audit(r: &Reg) -> Vec<(String, String, String)> {
    let c = r.sql();
    let mut st = c
        .prepare("SELECT action, object_ids, detail FROM audit_events ORDER BY id")
        .unwrap();
    st.query_map([], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn last_audit(r: &Reg) -> (String, String, String) {
    audit(r).pop().unwrap()
}

/// Parses CSV output into rows of fields (header included).
fn csv_rows(out: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// `consent status --format csv` as (purpose → (state, allowed, since, event)).
fn status(r: &Reg, who: &str) -> Vec<(String, String, String, String, String)> {
    let out = r.ok(&["consent", "status", who, "--format", "csv"]);
    let rows = csv_rows(&out);
    assert_eq!(
        rows[0],
        [
            "purpose",
            "basis",
            "marketing",
            "state",
            "allowed",
            "since",
            "event",
            "why"
        ]
    );
    rows[1..]
        .iter()
        .map(|f| {
            (
                f[0].clone(),
                f[3].clone(),
                f[4].clone(),
                f[5].clone(),
                f[6].clone(),
            )
        })
        .collect()
}

fn state(r: &Reg, who: &str, purpose: &str) -> String {
    status(r, who)
        .into_iter()
        .find(|s| s.0 == purpose)
        .unwrap_or_else(|| panic!("no purpose {purpose}"))
        .1
}

/// The e-mails of `export mailing-list --purpose P`, in order.
fn mailing(r: &Reg, purpose: &str) -> Vec<String> {
    let out = r.ok(&["export", "mailing-list", "--purpose", purpose]);
    let rows = csv_rows(&out);
    assert_eq!(rows[0], ["email", "first_name", "last_name", "company"]);
    rows[1..].iter().map(|f| f[0].clone()).collect()
}

fn list(r: &Reg, purpose: &str, status: Option<&str>) -> Vec<(String, String)> {
    let mut args = vec!["consent", "list", "--purpose", purpose, "--format", "csv"];
    if let Some(s) = status {
        args.extend(["--status", s]);
    }
    let rows = csv_rows(&r.ok(&args));
    assert_eq!(
        rows[0],
        [
            "id",
            "email",
            "first_name",
            "last_name",
            "state",
            "since",
            "event",
            "restricted",
            "restricted_since"
        ]
    );
    rows[1..]
        .iter()
        .map(|f| (f[1].clone(), f[4].clone()))
        .collect()
}

fn restrict(r: &Reg, id: i64) {
    r.sql()
        .execute(
            "UPDATE contacts SET restricted_at = '2026-11-20T09:00:00Z' WHERE id = ?1",
            [id],
        )
        .unwrap();
}

/// Stores a new description version: the default one plus `extra` purposes.
fn apply_policy_with(r: &Reg, extra: Vec<Purpose>) {
    let mut p = Policy::default_policy();
    p.purposes.extend(extra);
    r.sql()
        .execute(
            "INSERT INTO policy_versions (created_at, operator, body) VALUES (?1, 'tester', ?2)",
            params![NOW, p.to_toml()],
        )
        .unwrap();
}

fn purpose(id: &str, basis: Basis, marketing: Option<Marketing>) -> Purpose {
    Purpose::new(id, &format!("{id} purpose"), basis, marketing)
}

// ---- grant ----

#[test]
fn grant_records_the_proof() {
    let r = Reg::new();
    let id = r.add("Matti@Example.fi", &["--first-name", "Matti"]);
    let out = r.ok(&grant(
        "MATTI@example.fi",
        "newsletter",
        &[
            "--channel",
            "web-form",
            "--evidence",
            "ticked the box on the order form v3",
            "--at",
            "2026-11-01T12:30:00+02:00",
        ],
    ));
    let ev: i64 = out.trim().parse().unwrap();
    let row: (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        bool,
    ) = r
        .sql()
        .query_row(
            "SELECT contact_id, purpose, kind, basis, channel, evidence, occurred_at, operator,
                    policy_version, override_objection FROM consent_events WHERE id = ?1",
            [ev],
            |x| {
                Ok((
                    x.get(0)?,
                    x.get(1)?,
                    x.get(2)?,
                    x.get(3)?,
                    x.get(4)?,
                    x.get(5)?,
                    x.get(6)?,
                    x.get(7)?,
                    x.get(8)?,
                    x.get(9)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            id,
            "newsletter".into(),
            "granted".into(),
            "consent".into(),
            "web-form".into(),
            "ticked the box on the order form v3".into(),
            "2026-11-01T10:30:00Z".into(),
            "tester".into(),
            1,
            false
        )
    );
    let recorded: String = r
        .sql()
        .query_row("SELECT recorded_at FROM consent_events", [], |x| x.get(0))
        .unwrap();
    assert_eq!(recorded, NOW);
    assert_eq!(
        last_audit(&r),
        (
            "consent.grant".into(),
            format!("contact:{id},consent:{ev}"),
            "purpose=newsletter".into()
        )
    );
    let s = status(&r, &id.to_string());
    assert!(s.contains(&(
        "newsletter".into(),
        "allowed".into(),
        "yes".into(),
        "2026-11-01T10:30:00Z".into(),
        ev.to_string()
    )));
}

#[test]
fn grant_accepts_a_date_and_refuses_the_future() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.ok(&grant("a@b.fi", "newsletter", &["--at", "2026-01-31"]));
    let at: String = r
        .sql()
        .query_row("SELECT occurred_at FROM consent_events", [], |x| x.get(0))
        .unwrap();
    // A date is the start of that day in the register's time zone (Helsinki, UTC+2 in
    // January), not in the process's (TZ=UTC here).
    assert_eq!(at, "2026-01-30T22:00:00Z");
    // Now itself is fine, a second later is not.
    r.ok(&grant("a@b.fi", "newsletter", &["--at", NOW]));
    let err = r.fails(
        &grant("a@b.fi", "newsletter", &["--at", "2026-11-23T10:00:01Z"]),
        2,
    );
    assert!(
        err.contains("--at") && err.contains("already come"),
        "{err}"
    );
    let err = r.fails(&grant("a@b.fi", "newsletter", &["--at", "eilen"]), 2);
    assert!(
        err.contains("invalid --at \"eilen\"") && err.contains("RFC 3339"),
        "{err}"
    );
    assert_eq!(events(&r), 2);
}

#[test]
fn grant_is_refused_for_purposes_not_based_on_consent() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let err = r.fails(&grant("a@b.fi", "b2b-marketing", &[]), 1);
    assert!(
        err.contains(
            "b2b-marketing is opt-out marketing on legitimate interest: no consent is needed"
        ),
        "{err}"
    );
    assert!(
        err.contains("consent withdraw") && err.contains("consent object"),
        "{err}"
    );
    let err = r.fails(&grant("a@b.fi", "customer-service", &[]), 1);
    assert!(
        err.contains("customer-service is processed on contract"),
        "{err}"
    );
    assert_eq!(events(&r), 0);
}

#[test]
fn unknown_purpose_lists_the_policy_purposes_and_unknown_contact_fails() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let err = r.fails(&grant("a@b.fi", "uutiskirje", &[]), 2);
    assert!(
        err.contains("invalid --purpose \"uutiskirje\"")
            && err.contains("customer-service, newsletter, b2b-marketing"),
        "{err}"
    );
    for cmd in [
        vec!["consent", "withdraw", "a@b.fi", "--purpose", "x"],
        vec!["consent", "object", "a@b.fi", "--purpose", "x"],
        vec!["consent", "list", "--purpose", "x"],
        vec!["export", "mailing-list", "--purpose", "x"],
    ] {
        assert!(r.fails(&cmd, 2).contains("customer-service, newsletter"));
    }
    let err = r.fails(&grant("nobody@b.fi", "newsletter", &[]), 1);
    assert!(err.contains("no contact matches \"nobody@b.fi\""), "{err}");
    r.fails(&["consent", "status", "99"], 1);
    r.fails(&["consent", "history", "99"], 1);
    assert_eq!(events(&r), 0);
}

#[test]
fn grant_requires_evidence_and_says_why() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let audits = audit(&r).len();
    for extra in [vec![], vec!["--override-objection"]] {
        let mut args = vec!["consent", "grant", "a@b.fi", "--purpose", "newsletter"];
        args.extend(extra);
        let err = r.fails(&args, 2);
        assert!(
            err.contains("--evidence is required") && err.contains("Art. 7(1)"),
            "{err}"
        );
    }
    // Blank evidence proves nothing either, and the message shows what was given.
    let err = r.fails(&grant("a@b.fi", "newsletter", &["--evidence", "  "]), 2);
    assert!(
        err.contains("invalid --evidence \"  \": --evidence is required"),
        "{err}"
    );
    let err = r.fails(
        &grant("a@b.fi", "newsletter", &["--evidence", "\u{200b}"]),
        2,
    );
    assert!(
        err.contains("invalid --evidence \"\\u{200b}\"") && err.contains("visible character"),
        "{err}"
    );
    assert_eq!(events(&r), 0);
    assert_eq!(audit(&r).len(), audits);
}

// ---- objections ----

#[test]
fn objection_beats_a_later_plain_grant() {
    let r = Reg::new();
    let id = r.add("a@b.fi", &[]);
    r.ok(&grant("a@b.fi", "newsletter", &["--at", "2026-10-01"]));
    let obj = r.ok(&["consent", "object", "a@b.fi", "--at", "2026-11-01"]);
    let err = r.fails(&grant("a@b.fi", "newsletter", &[]), 1);
    assert!(
        err.contains("objected to all direct marketing")
            && err.contains("--override-objection --evidence"),
        "{err}"
    );
    assert_eq!(events(&r), 2);
    // A grant dated before the objection would change nothing: refused, not recorded.
    let err = r.fails(&grant("a@b.fi", "newsletter", &["--at", "2026-10-15"]), 1);
    assert!(err.contains("changes nothing"), "{err}");
    assert_eq!(events(&r), 2);
    let s = status(&r, "a@b.fi");
    for p in ["newsletter", "b2b-marketing"] {
        let row = s.iter().find(|x| x.0 == p).unwrap();
        assert_eq!(
            (row.1.as_str(), row.2.as_str(), row.4.as_str()),
            ("objected", "no", obj.trim()),
            "{p}"
        );
    }
    assert_eq!(state(&r, "a@b.fi", "customer-service"), "allowed");
    assert!(mailing(&r, "newsletter").is_empty());
    assert!(mailing(&r, "b2b-marketing").is_empty());

    // A new, explicit consent with evidence lifts it, for that purpose only.
    r.ok(&grant(
        &id.to_string(),
        "newsletter",
        &[
            "--override-objection",
            "--evidence",
            "signed paper form 2026-11-20",
            "--channel",
            "paper",
        ],
    ));
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "allowed");
    assert_eq!(state(&r, "a@b.fi", "b2b-marketing"), "objected");
    assert_eq!(mailing(&r, "newsletter"), ["a@b.fi"]);
    assert!(mailing(&r, "b2b-marketing").is_empty());
    let grants: Vec<String> = audit(&r)
        .into_iter()
        .filter(|a| a.0 == "consent.grant")
        .map(|a| a.2)
        .collect();
    assert_eq!(
        grants.last().unwrap(),
        "purpose=newsletter override-objection"
    );
}

#[test]
fn objection_covers_marketing_purposes_added_to_the_policy_later() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    r.ok(&["consent", "object", "a@b.fi"]);
    apply_policy_with(
        &r,
        vec![
            purpose("events", Basis::LegitimateInterest, Some(Marketing::OptOut)),
            purpose("sms", Basis::Consent, Some(Marketing::OptIn)),
            purpose("billing", Basis::LegalObligation, None),
        ],
    );
    assert_eq!(state(&r, "a@b.fi", "events"), "objected");
    assert_eq!(state(&r, "a@b.fi", "sms"), "objected");
    assert_eq!(state(&r, "a@b.fi", "billing"), "allowed");
    assert_eq!(state(&r, "c@d.fi", "events"), "allowed");
    assert_eq!(mailing(&r, "events"), ["c@d.fi"]);
    assert_eq!(
        list(&r, "events", Some("objected")),
        [("a@b.fi".into(), "objected".into())]
    );
    // Even a grant for the new purpose is refused without an override.
    let err = r.fails(&grant("a@b.fi", "sms", &[]), 1);
    assert!(err.contains("--override-objection"), "{err}");
    // New events refer to the version in force.
    r.ok(&grant("c@d.fi", "sms", &[]));
    let v: i64 = r
        .sql()
        .query_row(
            "SELECT policy_version FROM consent_events ORDER BY id DESC LIMIT 1",
            [],
            |x| x.get(0),
        )
        .unwrap();
    assert_eq!(v, 2);
}

#[test]
fn purpose_objection_and_repeated_objections() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.ok(&grant("a@b.fi", "newsletter", &[]));
    r.ok(&["consent", "object", "a@b.fi", "--purpose", "b2b-marketing"]);
    assert_eq!(state(&r, "a@b.fi", "b2b-marketing"), "objected");
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "allowed");
    let before = events(&r);
    let audits = audit(&r).len();
    let out = r
        .cmd()
        .args(["consent", "object", "a@b.fi", "--purpose", "b2b-marketing"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already objected to b2b-marketing"));
    assert_eq!(events(&r), before);
    // The general objection is still new: it covers more.
    r.ok(&["consent", "object", "a@b.fi"]);
    let err = r
        .cmd()
        .args(["consent", "object", "a@b.fi"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&err.stderr).contains("already objected to all direct marketing")
    );
    assert_eq!(events(&r), before + 1);
    assert_eq!(audit(&r).len(), audits + 1); // the one new objection
                                             // Objecting to a contract purpose is not how the register works.
    let err = r.fails(
        &[
            "consent",
            "object",
            "a@b.fi",
            "--purpose",
            "customer-service",
        ],
        1,
    );
    assert!(err.contains("not direct marketing"), "{err}");
}

// ---- withdraw ----

#[test]
fn withdrawal_stops_the_purpose_at_once() {
    let r = Reg::new();
    r.add("a@b.fi", &["--first-name", "Äijä"]);
    r.ok(&grant("a@b.fi", "newsletter", &[]));
    assert_eq!(mailing(&r, "newsletter"), ["a@b.fi"]);
    let out = r.ok(&[
        "consent",
        "withdraw",
        "a@b.fi",
        "--purpose",
        "newsletter",
        "--channel",
        "phone",
    ]);
    let ev: i64 = out.trim().parse().unwrap();
    assert!(mailing(&r, "newsletter").is_empty());
    let s = status(&r, "a@b.fi");
    assert!(s.contains(&(
        "newsletter".into(),
        "withdrawn".into(),
        "no".into(),
        NOW.into(),
        ev.to_string()
    )));
    // Withdrawal does not undo the grant: both are in the history.
    assert_eq!(events(&r), 2);
    // Granting again is a new consent.
    r.ok(&grant("a@b.fi", "newsletter", &[]));
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "allowed");
}

#[test]
fn nothing_to_withdraw_is_a_clear_no_op() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let audits = audit(&r).len();
    let out = r
        .cmd()
        .args(["consent", "withdraw", "a@b.fi", "--purpose", "newsletter"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing to withdraw") && err.contains("nothing was recorded"),
        "{err}"
    );
    assert_eq!(events(&r), 0);
    assert_eq!(audit(&r).len(), audits);
    // Withdrawing twice: the second is the no-op.
    r.ok(&grant("a@b.fi", "newsletter", &[]));
    r.ok(&["consent", "withdraw", "a@b.fi", "--purpose", "newsletter"]);
    assert!(r
        .ok(&["consent", "withdraw", "a@b.fi", "--purpose", "newsletter"])
        .is_empty());
    assert_eq!(events(&r), 2);
    let help = r.ok(&["consent", "withdraw", "--help"]);
    assert!(help.contains("nothing to withdraw"), "{help}");
}

#[test]
fn withdraw_all_and_opt_out_refusal() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.ok(&grant("a@b.fi", "newsletter", &[]));
    let out = r.ok(&["consent", "withdraw", "a@b.fi", "--all"]);
    assert_eq!(
        out.lines().count(),
        2,
        "newsletter and b2b-marketing: {out}"
    );
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "withdrawn");
    assert_eq!(state(&r, "a@b.fi", "b2b-marketing"), "withdrawn");
    assert_eq!(state(&r, "a@b.fi", "customer-service"), "allowed");
    assert!(r.ok(&["consent", "withdraw", "a@b.fi", "--all"]).is_empty());
    assert_eq!(events(&r), 3);

    r.add("c@d.fi", &[]);
    r.ok(&[
        "consent",
        "withdraw",
        "c@d.fi",
        "--purpose",
        "b2b-marketing",
    ]);
    let why = r.ok(&["consent", "status", "c@d.fi"]);
    assert!(why.contains("refused via email"), "{why}");
    assert!(mailing(&r, "b2b-marketing").is_empty());

    let err = r.fails(
        &[
            "consent",
            "withdraw",
            "c@d.fi",
            "--purpose",
            "customer-service",
        ],
        1,
    );
    assert!(
        err.contains("not consent: there is no consent to withdraw"),
        "{err}"
    );
    r.fails(&["consent", "withdraw", "c@d.fi"], 2);
    r.fails(
        &[
            "consent",
            "withdraw",
            "c@d.fi",
            "--all",
            "--purpose",
            "newsletter",
        ],
        2,
    );
}

// ---- status, history, list ----

#[test]
fn status_shows_local_times_in_tables_and_notes_restriction() {
    let r = Reg::new();
    let id = r.add("a@b.fi", &[]);
    r.ok(&grant(
        "a@b.fi",
        "newsletter",
        &["--at", "2026-11-01T10:00:00Z"],
    ));
    let out = r
        .cmd()
        .env("TZ", "America/New_York") // the process's zone plays no part
        .args(["consent", "status", "a@b.fi"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("2026-11-01 12:00"), "{table}");
    assert!(
        table.contains("consent given via email (event 1)"),
        "{table}"
    );
    assert!(table.contains("processed on contract"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&r.ok(&["consent", "status", "a@b.fi", "--format", "json"])).unwrap();
    assert_eq!(json[1]["purpose"], "newsletter");
    assert_eq!(json[1]["since"], "2026-11-01T10:00:00Z");
    assert_eq!(json[1]["allowed"], true);
    assert_eq!(json[2]["marketing"], "opt-out");
    assert_eq!(json[2]["event"], serde_json::Value::Null);
    assert_eq!(
        last_audit(&r),
        (
            "consent.status".into(),
            format!("contact:{id}"),
            String::new()
        )
    );

    restrict(&r, id);
    let out = r
        .cmd()
        .args(["consent", "status", "a@b.fi", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("restricted (Art. 18)"));
    let s = status(&r, "a@b.fi");
    let nl = s.iter().find(|x| x.0 == "newsletter").unwrap();
    assert_eq!((nl.1.as_str(), nl.2.as_str()), ("allowed", "no"));
}

#[test]
fn history_lists_every_event_in_the_order_the_person_acted() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.ok(&grant(
        "a@b.fi",
        "newsletter",
        &["--evidence", "lomake", "--at", "2026-11-10"],
    ));
    r.ok(&["consent", "object", "a@b.fi", "--at", "2026-11-20"]);
    // Recorded last, happened first.
    r.ok(&[
        "consent",
        "withdraw",
        "a@b.fi",
        "--purpose",
        "b2b-marketing",
        "--at",
        "2026-11-01",
    ]);
    let rows = csv_rows(&r.ok(&["consent", "history", "a@b.fi", "--format", "csv"]));
    assert_eq!(rows[0][..4], ["event", "occurred_at", "purpose", "kind"]);
    let got: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|f| (f[0].as_str(), f[2].as_str(), f[3].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("3", "b2b-marketing", "withdrawn"),
            ("1", "newsletter", "granted"),
            ("2", "", "objected")
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&r.ok(&["consent", "history", "a@b.fi", "--format", "json"])).unwrap();
    assert_eq!(json[1]["evidence"], "lomake");
    assert_eq!(json[1]["policy_version"], 1);
    assert_eq!(json[1]["operator"], "tester");
    assert_eq!(json[2]["purpose"], serde_json::Value::Null);
    assert_eq!(json[2]["basis"], "any");
    let table = r.ok(&["consent", "history", "a@b.fi"]);
    assert!(table.contains("(all direct marketing)"), "{table}");
}

#[test]
fn list_shows_who_is_in_which_state() {
    let r = Reg::new();
    for e in ["a@b.fi", "c@d.fi", "e@f.fi", "g@h.fi", "i@j.fi"] {
        r.add(e, &[]);
    }
    r.ok(&grant("a@b.fi", "newsletter", &[]));
    r.ok(&grant("c@d.fi", "newsletter", &[]));
    r.ok(&["consent", "withdraw", "c@d.fi", "--purpose", "newsletter"]);
    r.ok(&["consent", "object", "e@f.fi"]);
    r.ok(&grant("i@j.fi", "newsletter", &[]));
    restrict(&r, 5);
    assert_eq!(
        list(&r, "newsletter", None),
        [
            ("a@b.fi".into(), "allowed".into()),
            ("c@d.fi".into(), "withdrawn".into()),
            ("e@f.fi".into(), "objected".into()),
            ("g@h.fi".into(), "none".into()),
            ("i@j.fi".into(), "allowed".into()),
        ]
    );
    // Restricted people are listed in their ledger state, flagged.
    assert_eq!(
        list(&r, "newsletter", Some("allowed")),
        [
            ("a@b.fi".into(), "allowed".into()),
            ("i@j.fi".into(), "allowed".into())
        ]
    );
    assert_eq!(
        list(&r, "newsletter", Some("none")),
        [("g@h.fi".into(), "none".into())]
    );
    assert_eq!(list(&r, "newsletter", Some("withdrawn")).len(), 1);
    assert_eq!(list(&r, "b2b-marketing", Some("allowed")).len(), 4);
    assert_eq!(list(&r, "customer-service", Some("allowed")).len(), 5);
    let rows = csv_rows(&r.ok(&[
        "consent",
        "list",
        "--purpose",
        "newsletter",
        "--format",
        "csv",
    ]));
    assert_eq!(rows[5][7], "yes");
    assert_eq!(rows[5][8], "2026-11-20T09:00:00Z");
    assert_eq!(rows[1][5], NOW);
    r.fails(
        &[
            "consent",
            "list",
            "--purpose",
            "newsletter",
            "--status",
            "maybe",
        ],
        2,
    );
    let (action, ids, detail) = last_audit(&r);
    assert_eq!(
        (action.as_str(), ids.as_str()),
        ("consent.list", "contact:1-5")
    );
    assert_eq!(detail, "purpose=newsletter status=any count=5");
}

// ---- mailing list ----

#[test]
fn mailing_list_excludes_withdrawn_objected_and_restricted_people() {
    let r = Reg::new();
    r.add(
        "allowed@x.fi",
        &[
            "--first-name",
            "Sööde",
            "--last-name",
            "Åberg",
            "--company",
            "Pörssi, \"Data\" Oy",
        ],
    );
    r.add("withdrawn@x.fi", &[]);
    r.add("objected@x.fi", &[]);
    r.add("objected-nl@x.fi", &[]);
    r.add("restricted@x.fi", &[]);
    r.add("none@x.fi", &[]);
    for e in [
        "allowed@x.fi",
        "withdrawn@x.fi",
        "objected@x.fi",
        "objected-nl@x.fi",
        "restricted@x.fi",
    ] {
        r.ok(&grant(e, "newsletter", &["--at", "2026-11-01"]));
    }
    r.ok(&[
        "consent",
        "withdraw",
        "withdrawn@x.fi",
        "--purpose",
        "newsletter",
    ]);
    r.ok(&["consent", "object", "objected@x.fi"]);
    r.ok(&[
        "consent",
        "object",
        "objected-nl@x.fi",
        "--purpose",
        "newsletter",
    ]);
    restrict(&r, 5);

    let out = r.ok(&["export", "mailing-list", "--purpose", "newsletter"]);
    assert_eq!(
        out,
        "email,first_name,last_name,company\nallowed@x.fi,Sööde,Åberg,\"Pörssi, \"\"Data\"\" Oy\"\n"
    );
    assert_eq!(
        mailing(&r, "b2b-marketing"),
        [
            "allowed@x.fi",
            "withdrawn@x.fi",
            "objected-nl@x.fi",
            "none@x.fi"
        ]
    );
    let json: serde_json::Value = serde_json::from_str(&r.ok(&[
        "export",
        "mailing-list",
        "--purpose",
        "newsletter",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json[0]["first_name"], "Sööde");
    assert_eq!(json.as_array().unwrap().len(), 1);
    let (action, ids, detail) = last_audit(&r);
    assert_eq!(
        (action.as_str(), ids.as_str(), detail.as_str()),
        (
            "export.mailing-list",
            "contact:1",
            "purpose=newsletter count=1"
        )
    );

    let err = r.fails(
        &["export", "mailing-list", "--purpose", "customer-service"],
        2,
    );
    assert!(
        err.contains("not a marketing purpose") && err.contains("newsletter, b2b-marketing"),
        "{err}"
    );
}

// ---- import ----

const MAILCHIMP: &str = "\u{feff}Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,NOTES\n\
\"matti@example.fi\",\"Matti\",\"Meikäläinen, Jr.\",2,\"2024-01-15 10:23:45\",\"192.0.2.1\",\"2024-01-15 10:25:01\",\"192.0.2.1\",,\"said \"\"yes\"\"\"\n\
\"LIISA@example.fi\",\"Liisa\",\"Öhman\",3,\"2024-02-01 08:00:00\",\"192.0.2.7\",,,,\n\
\"stranger@example.fi\",\"S\",\"T\",1,\"2024-02-01 08:00:00\",,,,,\n\
\"objector@example.fi\",\"O\",\"B\",1,\"2024-03-01 08:00:00\",,\"2024-03-01 08:01:00\",,,\n\
\"ghost@example.fi\",\"G\",\"H\",1,,,,,,\n";

fn mailchimp_register() -> Reg {
    let r = Reg::new();
    r.add("matti@example.fi", &[]);
    r.add("liisa@example.fi", &[]);
    r.add("objector@example.fi", &[]);
    r.ok(&[
        "consent",
        "object",
        "objector@example.fi",
        "--at",
        "2026-01-01",
    ]);
    r
}

#[test]
fn mailchimp_export_with_quoted_fields_is_imported_with_its_proof() {
    let r = mailchimp_register();
    let f = r.file("members.csv", MAILCHIMP);
    let rej = r.dir.path().join("rejects.csv");
    let out = r
        .cmd()
        .args([
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "Mailchimp audience export 2026-11-20",
            "--rejects",
            path_str(&rej),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 addresses are not in the register"), "{err}");
    assert!(err.contains("line 4: stranger@example.fi"), "{err}");
    assert!(
        err.contains("imported 2 consents for newsletter from 5 rows"),
        "{err}"
    );

    let c = r.sql();
    let rows: Vec<(String, String, String, String)> = c
        .prepare(
            "SELECT c.email, e.occurred_at, e.channel, e.evidence FROM consent_events e
             JOIN contacts c ON c.id = e.contact_id WHERE e.kind = 'granted' ORDER BY e.id",
        )
        .unwrap()
        .query_map([], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        (
            "matti@example.fi".into(),
            "2024-01-15T10:25:01Z".into(), // the confirm time (UTC)
            "import".into(),
            "Mailchimp audience export 2026-11-20; OPTIN_TIME=2024-01-15 10:23:45; OPTIN_IP=192.0.2.1; \
             CONFIRM_TIME=2024-01-15 10:25:01; CONFIRM_IP=192.0.2.1"
                .into()
        )
    );
    assert_eq!(rows[1].1, "2024-02-01T08:00:00Z"); // no confirm time: the opt-in time

    let rejects = std::fs::read_to_string(&rej).unwrap();
    assert_eq!(
        rejects,
        "line,email,reason\n4,stranger@example.fi,unknown\n5,objector@example.fi,objected\n6,ghost@example.fi,unknown\n"
    );
    assert_eq!(
        mailing(&r, "newsletter"),
        ["matti@example.fi", "liisa@example.fi"]
    );
    let (action, ids, detail) = audit(&r)
        .into_iter()
        .find(|a| a.0 == "consent.import")
        .unwrap();
    assert_eq!(action, "consent.import");
    assert_eq!(ids, "consent:2-3");
    assert_eq!(
        detail,
        "purpose=newsletter granted=2 already=0 unknown=2 objected=1 withdrawn=0 invalid_email=0 \
         no_email=0 undated=0 erased=0"
    );
}

#[test]
fn consent_import_twice_is_idempotent() {
    let r = mailchimp_register();
    let f = r.file("members.csv", MAILCHIMP);
    let args = [
        "consent",
        "import",
        path_str(&f),
        "--purpose",
        "newsletter",
        "--evidence",
        "Mailchimp export",
    ];
    r.ok(&args);
    let n = events(&r);
    let out = r.cmd().args(args).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("imported 0 consents for newsletter from 5 rows (2 already recorded"));
    assert_eq!(events(&r), n);
    // Also undated rows: a later run (another clock) adds nothing.
    r.add("ghost@example.fi", &[]);
    r.ok(&args);
    let n = events(&r);
    r.cmd()
        .env("REKISTERI_NOW", "2026-12-01T10:00:00Z")
        .args(args)
        .assert()
        .success();
    assert_eq!(events(&r), n);
}

#[test]
fn spreadsheet_with_semicolons_and_finnish_header() {
    let r = Reg::new();
    r.add("äiti@esimerkki.fi", &[]);
    r.add("isä@esimerkki.fi", &[]);
    r.ok(&grant(
        "isä@esimerkki.fi",
        "newsletter",
        &["--at", "2026-01-01"],
    ));
    r.ok(&[
        "consent",
        "withdraw",
        "isä@esimerkki.fi",
        "--purpose",
        "newsletter",
        "--at",
        "2026-02-01",
    ]);
    let f = r.file(
        "lista.csv",
        "Nimi;Sähköposti\r\nÄiti;ÄITI@esimerkki.fi\r\nIsä;isä@esimerkki.fi\r\n;\r\n",
    );
    let rej = r.dir.path().join("hylätyt.csv");
    let out = r
        .cmd()
        .args([
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "messulomakkeet 2026",
            "--rejects",
            path_str(&rej),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let at: String = r
        .sql()
        .query_row(
            "SELECT occurred_at FROM consent_events WHERE channel = 'import'",
            [],
            |x| x.get(0),
        )
        .unwrap();
    assert_eq!(at, NOW);
    // Undated opt-in after a withdrawal would re-subscribe the person: rejected.
    assert_eq!(
        std::fs::read_to_string(&rej).unwrap(),
        "line,email,reason\n3,isä@esimerkki.fi,withdrawn\n4,,no-email\n"
    );
    assert_eq!(mailing(&r, "newsletter"), ["äiti@esimerkki.fi"]);
}

#[test]
fn invalid_rows_are_all_reported_and_nothing_is_written() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    let f = r.file(
        "bad.csv",
        "email,OPTIN_TIME,CONFIRM_TIME\na@b.fi,2024-01-15 10:23:45,yesterday\n,2024-01-15 10:23:45,\nc@d.fi,2027-01-01 00:00:00,\n",
    );
    let err = r.fails(
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "x",
        ],
        2,
    );
    assert!(
        err.contains("line 2, column CONFIRM_TIME: invalid time \"yesterday\""),
        "{err}"
    );
    // A row without an address is a rejected row, not an error in the file.
    assert!(!err.contains("line 3"), "{err}");
    assert!(
        err.contains(
            "line 4, column OPTIN_TIME: invalid time \"2027-01-01 00:00:00\": expected a time that has already come"
        ),
        "{err}"
    );
    assert!(
        err.contains("2 errors") && err.contains("nothing was recorded"),
        "{err}"
    );
    assert_eq!(events(&r), 0);

    // Excel's CRLF line endings: the line numbers are still the ones Excel shows.
    let f = r.file(
        "crlf.csv",
        "sähköposti;aika\r\na@b.fi;\r\n\r\nc@d.fi;31.12.2025\r\n",
    );
    let err = r.fails(
        &[
            "consent",
            "import-unsubscribes",
            path_str(&f),
            "--purpose",
            "newsletter",
        ],
        2,
    );
    assert!(
        err.contains("line 4, column aika: invalid time \"31.12.2025\""),
        "{err}"
    );
    assert!(err.contains("1 error in"), "{err}");

    let f = r.file("noemail.csv", "name,phone\nMatti,040\n");
    let err = r.fails(
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "x",
        ],
        2,
    );
    assert!(
        err.contains("no e-mail column") && err.contains("Email Address"),
        "{err}"
    );
    let err = r.fails(
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "b2b-marketing",
            "--evidence",
            "x",
        ],
        1,
    );
    assert!(err.contains("no consent is needed"), "{err}");
    r.fails(
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "",
        ],
        2,
    );
    let err = r.fails(
        &[
            "consent",
            "import",
            "/nonexistent/x.csv",
            "--purpose",
            "newsletter",
            "--evidence",
            "x",
        ],
        1,
    );
    assert!(err.contains("cannot read /nonexistent/x.csv"), "{err}");
    assert_eq!(events(&r), 0);
}

// ---- unsubscribes ----

#[test]
fn the_same_unsubscribe_file_twice_changes_nothing() {
    let r = Reg::new();
    for e in ["a@b.fi", "c@d.fi", "e@f.fi"] {
        r.add(e, &[]);
        r.ok(&grant(e, "newsletter", &["--at", "2026-01-01"]));
    }
    let f = r.file(
        "unsub.csv",
        "\"Email Address\",\"First Name\",\"UNSUB_TIME\",\"UNSUB_REASON\"\n\
         \"A@b.fi\",\"A\",\"2026-11-02 08:00:00\",\"too many, \"\"way\"\" too many\"\n\
         \"c@d.fi\",\"C\",\"\",\"\"\n\
         \"unknown@x.fi\",\"U\",\"2026-11-02 08:00:00\",\"\"\n",
    );
    let args = [
        "consent",
        "import-unsubscribes",
        path_str(&f),
        "--purpose",
        "newsletter",
    ];
    let out = r.cmd().args(args).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 address is not in the register") && err.contains("unknown@x.fi"),
        "{err}"
    );
    assert!(err.contains("recorded 2 withdrawals"), "{err}");
    assert_eq!(mailing(&r, "newsletter"), ["e@f.fi"]);
    let (at, channel): (String, String) = r
        .sql()
        .query_row(
            "SELECT occurred_at, channel FROM consent_events WHERE kind = 'withdrawn' ORDER BY id LIMIT 1",
            [],
            |x| Ok((x.get(0)?, x.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (at.as_str(), channel.as_str()),
        ("2026-11-02T08:00:00Z", "newsletter-service")
    );
    let n = events(&r);
    let audits = audit(&r).len();
    r.ok(&args);
    r.cmd()
        .env("REKISTERI_NOW", "2026-12-24T10:00:00Z")
        .args(args)
        .assert()
        .success();
    assert_eq!(events(&r), n);
    assert_eq!(audit(&r).len(), audits + 2);
    let detail = last_audit(&r).2;
    assert!(
        detail.contains("withdrawn=0 refused:b2b-marketing=0 already=2 outdated=0 unknown=1"),
        "{detail}"
    );
}

#[test]
fn unsubscribes_win_over_an_older_opt_in_imported_later() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let unsub = r.file("unsub.csv", "email;unsubscribed_at\na@b.fi;2025-06-01\n");
    r.ok(&[
        "consent",
        "import-unsubscribes",
        path_str(&unsub),
        "--purpose",
        "newsletter",
    ]);
    let members = r.file(
        "members.csv",
        "Email Address,OPTIN_TIME\na@b.fi,2024-01-15 10:23:45\n",
    );
    r.ok(&[
        "consent",
        "import",
        path_str(&members),
        "--purpose",
        "newsletter",
        "--evidence",
        "old list",
    ]);
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "withdrawn");
    assert!(mailing(&r, "newsletter").is_empty());
}

#[test]
fn unsubscribes_for_opt_out_marketing_are_refusals() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    let f = r.file("unsub.csv", "E-mail\na@b.fi\n");
    let rej = r.dir.path().join("rej.csv");
    r.ok(&[
        "consent",
        "import-unsubscribes",
        path_str(&f),
        "--purpose",
        "b2b-marketing",
        "--channel",
        "email",
        "--rejects",
        path_str(&rej),
    ]);
    assert_eq!(
        std::fs::read_to_string(&rej).unwrap(),
        "line,email,reason\n"
    );
    assert_eq!(state(&r, "a@b.fi", "b2b-marketing"), "withdrawn");
    assert_eq!(mailing(&r, "b2b-marketing"), ["c@d.fi"]);
    let err = r.fails(
        &[
            "consent",
            "import-unsubscribes",
            path_str(&f),
            "--purpose",
            "customer-service",
        ],
        1,
    );
    assert!(err.contains("no consent to withdraw"), "{err}");
    let bad = r.file("bad.csv", "email,time\na@b.fi,2026-13-01\n");
    let err = r.fails(
        &[
            "consent",
            "import-unsubscribes",
            path_str(&bad),
            "--purpose",
            "newsletter",
        ],
        2,
    );
    assert!(err.contains("line 2, column time: invalid time"), "{err}");
}

// ---- the audit trail ----

#[test]
fn audit_holds_ids_and_counts_never_addresses_or_evidence() {
    let r = mailchimp_register();
    let f = r.file("members.csv", MAILCHIMP);
    r.ok(&[
        "consent",
        "import",
        path_str(&f),
        "--purpose",
        "newsletter",
        "--evidence",
        "Salainen todiste",
    ]);
    r.ok(&grant(
        "liisa@example.fi",
        "newsletter",
        &["--evidence", "Salainen lomake"],
    ));
    r.ok(&["consent", "withdraw", "liisa@example.fi", "--all"]);
    r.ok(&["consent", "history", "liisa@example.fi"]);
    r.ok(&["consent", "list", "--purpose", "newsletter"]);
    r.ok(&["export", "mailing-list", "--purpose", "newsletter"]);
    let u = r.file("u.csv", "email\nmatti@example.fi\n");
    r.ok(&[
        "consent",
        "import-unsubscribes",
        path_str(&u),
        "--purpose",
        "newsletter",
    ]);
    let all = audit(&r);
    let actions: Vec<&str> = all.iter().map(|a| a.0.as_str()).collect();
    for a in [
        "consent.object",
        "consent.import",
        "consent.grant",
        "consent.withdraw",
        "consent.history",
        "consent.list",
        "export.mailing-list",
        "consent.import-unsubscribes",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    for (action, ids, detail) in &all {
        let text = format!("{action} {ids} {detail}");
        assert!(
            !text.contains('@') && !text.contains("Salainen") && !text.contains("192.0"),
            "{text}"
        );
    }
}

#[test]
fn contact_show_includes_the_state_of_every_purpose() {
    let r = Reg::new();
    let id = r.add("aino@example.fi", &[]);
    r.ok(&grant(
        "aino@example.fi",
        "newsletter",
        &[
            "--channel",
            "web-form",
            "--evidence",
            "signup form",
            "--at",
            "2026-11-01T12:00:00Z",
        ],
    ));
    r.ok(&[
        "consent",
        "object",
        "aino@example.fi",
        "--purpose",
        "b2b-marketing",
    ]);
    let out = r.ok(&["--format", "json", "contact", "show", &id.to_string()]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let consents = v["consents"].as_array().expect("consents array");
    let state = |p: &str| {
        consents
            .iter()
            .find(|c| c["purpose"] == p)
            .unwrap_or_else(|| panic!("{p} missing: {out}"))["state"]
            .clone()
    };
    assert_eq!(state("newsletter"), "allowed");
    assert_eq!(state("b2b-marketing"), "objected");
    assert_eq!(state("customer-service"), "allowed");
    let table = r.ok(&["contact", "show", &id.to_string()]);
    assert!(table.contains("consents (3)"), "{table}");
    // The ledger itself is part of what the register holds about the person (Art. 15).
    let events = v["consent_events"].as_array().expect("consent_events");
    assert_eq!(events.len(), 2, "{out}");
    assert_eq!(events[0]["evidence"], "signup form");
    assert_eq!(events[0]["channel"], "web-form");
    assert_eq!(events[1]["kind"], "objected");
    // 12:00 UTC is 14:00 in Helsinki in November.
    assert!(table.contains("2026-11-01 14:00"), "{table}");
}

#[test]
fn a_time_before_1970_is_refused() {
    let r = Reg::new();
    r.add("aino@example.fi", &[]);
    let err = r.fails(
        &grant("aino@example.fi", "newsletter", &["--at", "0001-01-01"]),
        2,
    );
    assert!(err.contains("--at") && err.contains("1970"), "{err}");
    assert_eq!(r.count("consent_events"), 0);
}

// ---- review fixes ----

/// Stores another version of the default description, created at `created_at`.
fn policy_version_at(r: &Reg, created_at: &str) {
    r.sql()
        .execute(
            "INSERT INTO policy_versions (created_at, operator, body) VALUES (?1, 'tester', ?2)",
            params![created_at, Policy::default_policy().to_toml()],
        )
        .unwrap();
}

/// The policy version of every event, in the order recorded.
fn versions(r: &Reg) -> Vec<i64> {
    let c = r.sql();
    let mut st = c
        .prepare("SELECT policy_version FROM consent_events ORDER BY id")
        .unwrap();
    st.query_map([], |x| x.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Runs with `stdin` as standard input; returns (exit code, stdout, stderr).
fn run_with_stdin(r: &Reg, args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = r.cmd().args(args).write_stdin(stdin).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs and asserts success; returns stderr.
fn ok_stderr(r: &Reg, args: &[&str]) -> String {
    let out = r.cmd().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    err
}

#[test]
fn backdated_events_record_the_policy_version_in_force_then() {
    let r = Reg::new();
    // Version 1 from 2026-01-01, version 2 from 2026-06-01, version 3 from 2026-10-01.
    r.cmd()
        .env("REKISTERI_NOW", "2026-01-01T00:00:00Z")
        .args(["contact", "add", "--email", "a@b.fi"])
        .assert()
        .success();
    policy_version_at(&r, "2026-06-01T00:00:00Z");
    policy_version_at(&r, "2026-10-01T00:00:00Z");
    for e in ["c@d.fi", "e@f.fi", "g@h.fi", "i@j.fi"] {
        r.add(e, &[]);
    }
    let grant_at = |at: &str| {
        r.ok(&grant("a@b.fi", "newsletter", &["--at", at]));
    };
    grant_at("2025-06-01"); // before the first version: the first
    grant_at("2026-03-01");
    grant_at("2026-06-01T00:00:00Z"); // the moment version 2 came into force
    grant_at("2026-09-30T23:59:59Z");
    r.ok(&grant("a@b.fi", "newsletter", &[]));
    r.ok(&[
        "consent",
        "withdraw",
        "a@b.fi",
        "--purpose",
        "newsletter",
        "--at",
        "2026-11-01",
    ]);
    r.ok(&["consent", "object", "c@d.fi", "--at", "2026-07-01"]);
    assert_eq!(versions(&r), [1, 1, 2, 2, 3, 3, 2]);

    let f = r.file(
        "members.csv",
        "Email Address,OPTIN_TIME,CONFIRM_TIME\n\
         e@f.fi,2026-02-01 08:00:00,\n\
         g@h.fi,2026-05-01 08:00:00,2026-06-02 08:00:00\n\
         i@j.fi,,\n",
    );
    r.ok(&[
        "consent",
        "import",
        path_str(&f),
        "--purpose",
        "newsletter",
        "--evidence",
        "old list",
    ]);
    let u = r.file(
        "unsub.csv",
        "email,UNSUB_TIME\ne@f.fi,2026-03-01 08:00:00\n",
    );
    r.ok(&[
        "consent",
        "import-unsubscribes",
        path_str(&u),
        "--purpose",
        "newsletter",
    ]);
    // The unsubscribe's refusal of b2b-marketing is dated like it.
    assert_eq!(versions(&r)[7..], [1, 2, 3, 1, 1]);
}

#[test]
fn imports_read_standard_input() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    let (code, _, err) = run_with_stdin(
        &r,
        &[
            "consent",
            "import",
            "-",
            "--purpose",
            "newsletter",
            "--evidence",
            "piped",
        ],
        "email,OPTIN_TIME\na@b.fi,2026-01-01 10:00:00\nc@d.fi,2026-01-02 10:00:00\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 2 consents"), "{err}");
    assert_eq!(mailing(&r, "newsletter"), ["a@b.fi", "c@d.fi"]);
    let (code, _, err) = run_with_stdin(
        &r,
        &[
            "consent",
            "import-unsubscribes",
            "-",
            "--purpose",
            "newsletter",
        ],
        "email;aika\nc@d.fi;2026-02-01\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("recorded 1 withdrawal"), "{err}");
    assert_eq!(mailing(&r, "newsletter"), ["a@b.fi"]);
    // Errors name standard input.
    let (code, _, err) = run_with_stdin(
        &r,
        &[
            "consent",
            "import",
            "-",
            "--purpose",
            "newsletter",
            "--evidence",
            "piped",
        ],
        "email,OPTIN_TIME\na@b.fi,eilen\n",
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("<stdin>: line 2, column OPTIN_TIME"), "{err}");
}

#[test]
fn undated_opt_ins_are_dated_now_with_a_warning() {
    let r = Reg::new();
    for e in ["a@b.fi", "c@d.fi", "e@f.fi"] {
        r.add(e, &[]);
    }
    let f = r.file("list.csv", "email,name\na@b.fi,A\nc@d.fi,C\n");
    let args = [
        "consent",
        "import",
        path_str(&f),
        "--purpose",
        "newsletter",
        "--evidence",
        "fair sign-up sheet",
        "--quiet",
    ];
    let err = ok_stderr(&r, &args);
    assert!(
        err.contains("warning: 2 rows had no opt-in time; their consent is dated now"),
        "{err}"
    );
    // A rerun records nothing and has nothing to warn about.
    let err = ok_stderr(&r, &args);
    assert!(!err.contains("no opt-in time"), "{err}");
    let f = r.file(
        "mixed.csv",
        "email,OPTIN_TIME\ne@f.fi,\na@b.fi,2026-01-01 10:00:00\n",
    );
    let err = ok_stderr(
        &r,
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "x",
        ],
    );
    assert!(
        err.contains("warning: 1 row had no opt-in time; its consent is dated now"),
        "{err}"
    );
}

#[test]
fn a_grant_that_would_change_nothing_is_refused() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    r.ok(&["consent", "object", "a@b.fi", "--at", "2026-06-01"]);
    let (n, audits) = (events(&r), audit(&r).len());
    let override_at = |at: &str| {
        grant(
            "a@b.fi",
            "newsletter",
            &[
                "--override-objection",
                "--evidence",
                "signed form",
                "--at",
                at,
            ],
        )
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let args = override_at("2026-05-01");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = r.fails(&args, 1);
    assert!(
        err.contains("objected to all direct marketing")
            && err.contains("2026-06-01 00:00")
            && err.contains("later than --at"),
        "{err}"
    );
    assert!(!err.contains("recorded consent"), "{err}");
    // A plain grant dated before the objection: the same.
    let err = r.fails(&grant("a@b.fi", "newsletter", &["--at", "2026-05-01"]), 1);
    assert!(err.contains("later than --at"), "{err}");
    // A grant dated before a later withdrawal changes nothing either.
    r.ok(&grant("c@d.fi", "newsletter", &["--at", "2026-01-01"]));
    r.ok(&[
        "consent",
        "withdraw",
        "c@d.fi",
        "--purpose",
        "newsletter",
        "--at",
        "2026-03-01",
    ]);
    let (n2, audits2) = (events(&r), audit(&r).len());
    let err = r.fails(&grant("c@d.fi", "newsletter", &["--at", "2026-02-01"]), 1);
    assert!(
        err.contains("withdr") && err.contains("later than --at"),
        "{err}"
    );
    assert_eq!((events(&r), audit(&r).len()), (n2, audits2));
    assert_eq!(n2, n + 2);
    assert_eq!(audits2, audits + 2);
    // After the objection the override lifts it.
    let args = override_at("2026-06-02");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    r.ok(&args);
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "allowed");
}

/// `consent list --format csv` as (email, state, restricted).
fn list_restricted(r: &Reg, purpose: &str, status: Option<&str>) -> Vec<(String, String, String)> {
    let mut args = vec!["consent", "list", "--purpose", purpose, "--format", "csv"];
    if let Some(s) = status {
        args.extend(["--status", s]);
    }
    let rows = csv_rows(&r.ok(&args));
    rows[1..]
        .iter()
        .map(|f| (f[1].clone(), f[4].clone(), f[7].clone()))
        .collect()
}

#[test]
fn list_agrees_with_itself_about_restricted_contacts() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    for e in ["a@b.fi", "c@d.fi"] {
        r.ok(&grant(e, "newsletter", &[]));
    }
    restrict(&r, 2);
    let all = [
        ("a@b.fi".into(), "allowed".into(), "no".into()),
        ("c@d.fi".into(), "allowed".into(), "yes".into()),
    ];
    assert_eq!(list_restricted(&r, "newsletter", None), all);
    assert_eq!(list_restricted(&r, "newsletter", Some("allowed")), all);
    let rows = csv_rows(&r.ok(&[
        "consent",
        "list",
        "--purpose",
        "newsletter",
        "--format",
        "csv",
    ]));
    assert_eq!(rows[2][8], "2026-11-20T09:00:00Z");
    assert_eq!(rows[1][8], "");
    // The mailing list is the one that leaves them out, and the help says so.
    assert_eq!(mailing(&r, "newsletter"), ["a@b.fi"]);
    let help = r.ok(&["consent", "list", "--help"]);
    assert!(
        help.contains("restricted") && help.contains("export mailing-list"),
        "{help}"
    );
}

#[test]
fn disclosures_name_the_contacts_in_the_audit_trail() {
    let r = Reg::new();
    for e in ["a@b.fi", "c@d.fi", "e@f.fi", "g@h.fi", "i@j.fi"] {
        r.add(e, &[]);
    }
    for e in ["a@b.fi", "c@d.fi", "g@h.fi"] {
        r.ok(&grant(e, "newsletter", &[]));
    }
    mailing(&r, "newsletter");
    assert_eq!(
        last_audit(&r),
        (
            "export.mailing-list".into(),
            "contact:1-2,4".into(),
            "purpose=newsletter count=3".into()
        )
    );
    r.ok(&[
        "export",
        "mailing-list",
        "--purpose",
        "newsletter",
        "--format",
        "json",
    ]);
    assert_eq!(last_audit(&r).1, "contact:1-2,4");
    list(&r, "newsletter", Some("none"));
    assert_eq!(
        last_audit(&r),
        (
            "consent.list".into(),
            "contact:3,5".into(),
            "purpose=newsletter status=none count=2".into()
        )
    );
    list(&r, "newsletter", Some("objected"));
    assert_eq!(last_audit(&r).1, "");
}

#[test]
fn invalid_and_missing_addresses_are_reported_as_such() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let f = r.file(
        "list.csv",
        "email,name\nnot-an-email,X\n,Nobody\na@b.fi,A\nnobody@x.fi,N\n\"\",\n",
    );
    let rej = r.dir.path().join("rejects.csv");
    let err = ok_stderr(
        &r,
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "x",
            "--rejects",
            path_str(&rej),
        ],
    );
    assert!(
        err.contains("1 row has an invalid e-mail address") && err.contains("line 2: not-an-email"),
        "{err}"
    );
    assert!(err.contains("1 address is not in the register"), "{err}");
    assert!(
        err.contains("2 rows have no e-mail address")
            && err.contains("line 3")
            && err.contains("line 6"),
        "{err}"
    );
    assert!(
        err.contains(
            "imported 1 consent for newsletter from 5 rows (0 already recorded, 4 rejected)"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&rej).unwrap(),
        "line,email,reason\n2,not-an-email,invalid-email\n3,,no-email\n5,nobody@x.fi,unknown\n6,,no-email\n"
    );
    // A one-column unsubscribe file: the empty cell is reported too.
    let u = r.file("u.csv", "email\n\"\"\na@b.fi\n");
    let err = ok_stderr(
        &r,
        &[
            "consent",
            "import-unsubscribes",
            path_str(&u),
            "--purpose",
            "newsletter",
        ],
    );
    assert!(
        err.contains("1 row has no e-mail address") && err.contains("line 2"),
        "{err}"
    );
    assert!(
        err.contains(
            "recorded 1 withdrawal for newsletter and 1 refusal of b2b-marketing from 2 rows"
        ),
        "{err}"
    );
}

#[test]
fn an_existing_rejects_file_is_kept_unless_forced() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let f = r.file("list.csv", "email\na@b.fi\nx@y.fi\n");
    let rej = r.file("rejects.csv", "keep me\n");
    for cmd in [
        vec!["consent", "import", path_str(&f), "--evidence", "x"],
        vec!["consent", "import-unsubscribes", path_str(&f)],
    ] {
        let mut args = cmd.clone();
        args.extend(["--purpose", "newsletter", "--rejects", path_str(&rej)]);
        let err = r.fails(&args, 1);
        assert!(
            err.contains(path_str(&rej)) && err.contains("--force"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&rej).unwrap(), "keep me\n");
        assert_eq!(events(&r), 0);
    }
    r.ok(&[
        "consent",
        "import",
        path_str(&f),
        "--evidence",
        "x",
        "--purpose",
        "newsletter",
        "--rejects",
        path_str(&rej),
        "--force",
    ]);
    assert_eq!(
        std::fs::read_to_string(&rej).unwrap(),
        "line,email,reason\n3,x@y.fi,unknown\n"
    );
    // A failed import leaves no rejects file of its own behind.
    let new = r.dir.path().join("new-rejects.csv");
    let bad = r.file("bad.csv", "email,OPTIN_TIME\na@b.fi,eilen\n");
    r.fails(
        &[
            "consent",
            "import",
            path_str(&bad),
            "--evidence",
            "x",
            "--purpose",
            "newsletter",
            "--rejects",
            path_str(&new),
        ],
        2,
    );
    assert!(!new.exists());
}

#[test]
fn unsubscribe_reasons_are_kept_as_evidence() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    let f = r.file(
        "unsub.csv",
        "Email Address,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_REASON,UNSUB_REASON_OTHER\n\
         a@b.fi,2026-11-02 08:00:00,Syyskuun uutiskirje,\"I no longer want to receive these emails\",liian usein\n\
         c@d.fi,2026-11-02 08:00:00,,,\n",
    );
    let err = ok_stderr(
        &r,
        &[
            "consent",
            "import-unsubscribes",
            path_str(&f),
            "--purpose",
            "newsletter",
        ],
    );
    assert!(
        err.contains(
            "recorded 2 withdrawals for newsletter and 2 refusals of b2b-marketing from 2 rows"
        ),
        "{err}"
    );
    let ev: Vec<Option<String>> = r
        .sql()
        .prepare(
            "SELECT evidence FROM consent_events WHERE purpose = 'newsletter' ORDER BY contact_id",
        )
        .unwrap()
        .query_map([], |x| x.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        ev,
        [
            Some(
                "UNSUB_CAMPAIGN_TITLE=Syyskuun uutiskirje; UNSUB_REASON=I no longer want to receive \
                 these emails; UNSUB_REASON_OTHER=liian usein"
                    .into()
            ),
            None
        ]
    );
    // The audit trail still holds no free text.
    assert!(!last_audit(&r).2.contains("Syyskuun"));
}

// ---- unsubscribes stop opt-out marketing; silent no-ops; one time rule ----

/// The detail of the latest `consent import-unsubscribes` audit event.
fn unsub_audit(r: &Reg) -> String {
    audit(r)
        .into_iter()
        .rev()
        .find(|a| a.0 == "consent.import-unsubscribes")
        .expect("an unsubscribe import was audited")
        .2
}

fn unsubscribe(r: &Reg, file: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec![
        "consent",
        "import-unsubscribes",
        path_str(file),
        "--purpose",
        "newsletter",
    ];
    args.extend_from_slice(extra);
    ok_stderr(r, &args)
}

#[test]
fn an_unsubscribe_also_refuses_opt_out_marketing_and_reruns_add_nothing() {
    let r = Reg::new();
    for e in ["a@b.fi", "c@d.fi", "e@f.fi"] {
        r.add(e, &[]);
        r.ok(&grant(e, "newsletter", &["--at", "2026-01-01"]));
    }
    // Another opt-out marketing purpose: it is stopped too.
    apply_policy_with(
        &r,
        vec![purpose(
            "events",
            Basis::LegitimateInterest,
            Some(Marketing::OptOut),
        )],
    );
    assert_eq!(mailing(&r, "b2b-marketing"), ["a@b.fi", "c@d.fi", "e@f.fi"]);
    // One dated row, one undated.
    let f = r.file(
        "unsub.csv",
        "Email Address,UNSUB_TIME\na@b.fi,2026-11-02 08:00:00\nc@d.fi,\n",
    );
    let err = unsubscribe(&r, &f, &[]);
    assert!(
        err.contains(
            "recorded 2 withdrawals for newsletter and 2 refusals of b2b-marketing and 2 refusals \
             of events from 2 rows (0 already recorded, 0 rejected)"
        ),
        "{err}"
    );
    for p in ["newsletter", "b2b-marketing", "events"] {
        assert_eq!(mailing(&r, p), ["e@f.fi"], "{p}");
        assert_eq!(state(&r, "a@b.fi", p), "withdrawn", "{p}");
    }
    // The refusal is dated like the unsubscribe, with its evidence and channel.
    let (at, channel, basis): (String, String, String) = r
        .sql()
        .query_row(
            "SELECT occurred_at, channel, basis FROM consent_events
             WHERE purpose = 'b2b-marketing' AND contact_id = 1",
            [],
            |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (at.as_str(), channel.as_str(), basis.as_str()),
        (
            "2026-11-02T08:00:00Z",
            "newsletter-service",
            "legitimate-interest"
        )
    );
    assert!(
        unsub_audit(&r).contains("withdrawn=2 refused:b2b-marketing=2 refused:events=2 already=0")
    );
    // Reruns, today and later, record nothing.
    let n = events(&r);
    let err = unsubscribe(&r, &f, &[]);
    assert!(
        err.contains("recorded 0 withdrawals for newsletter and 0 refusals of b2b-marketing")
            && err.contains("(2 already recorded, 0 rejected)"),
        "{err}"
    );
    r.cmd()
        .env("REKISTERI_NOW", "2026-12-24T10:00:00Z")
        .args([
            "consent",
            "import-unsubscribes",
            path_str(&f),
            "--purpose",
            "newsletter",
        ])
        .assert()
        .success();
    assert_eq!(events(&r), n);
}

#[test]
fn only_purpose_keeps_the_narrower_unsubscribe() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.ok(&grant("a@b.fi", "newsletter", &["--at", "2026-01-01"]));
    let f = r.file("unsub.csv", "email\na@b.fi\n");
    let err = unsubscribe(&r, &f, &["--only-purpose"]);
    assert!(
        err.contains("recorded 1 withdrawal for newsletter from 1 row (0 already"),
        "{err}"
    );
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "withdrawn");
    assert_eq!(mailing(&r, "b2b-marketing"), ["a@b.fi"]);
    assert!(unsub_audit(&r).ends_with(" only_purpose"));
    // Without it, the same file now adds the refusal alone.
    let err = unsubscribe(&r, &f, &[]);
    assert!(
        err.contains("recorded 0 withdrawals for newsletter and 1 refusal of b2b-marketing"),
        "{err}"
    );
    assert!(mailing(&r, "b2b-marketing").is_empty());
}

#[test]
fn an_unsubscribe_older_than_a_later_consent_is_kept_with_a_warning() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.add("c@d.fi", &[]);
    r.ok(&grant(
        "a@b.fi",
        "newsletter",
        &["--at", "2026-11-10T09:00:00Z"],
    ));
    r.ok(&grant(
        "c@d.fi",
        "newsletter",
        &["--at", "2026-10-01T09:00:00Z"],
    ));
    let f = r.file(
        "unsub.csv",
        "email,UNSUB_TIME\na@b.fi,2026-11-01 08:00:00\nc@d.fi,2026-11-01 08:00:00\n",
    );
    let err = unsubscribe(&r, &f, &[]);
    assert!(
        err.contains("warning: 1 unsubscribe is dated before a later consent and changes nothing")
            && err.contains(
                "contact 1: unsubscribed from newsletter 2026-11-01 10:00, consented 2026-11-10 11:00 (event 1)"
            ),
        "{err}"
    );
    assert!(!err.contains("contact 2:"), "{err}");
    assert!(
        err.contains("recorded 2 withdrawals for newsletter"),
        "{err}"
    );
    // Kept, yet a's consent stands; c's stopped.
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "allowed");
    assert_eq!(state(&r, "c@d.fi", "newsletter"), "withdrawn");
    assert!(unsub_audit(&r).contains("outdated=1"));
}

#[test]
fn file_times_and_at_share_the_1970_rule() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let err = r.fails(&grant("a@b.fi", "newsletter", &["--at", "1950-06-01"]), 2);
    assert!(err.contains("expected a time from 1970 on"), "{err}");
    let f = r.file("old.csv", "email,OPTIN_TIME\na@b.fi,1950-06-01 12:00:00\n");
    let err = r.fails(
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "old list",
        ],
        2,
    );
    assert!(
        err.contains(
            "line 2, column OPTIN_TIME: invalid time \"1950-06-01 12:00:00\": expected a time from 1970 on"
        ),
        "{err}"
    );
    let u = r.file(
        "old-unsub.csv",
        "email,UNSUB_TIME\na@b.fi,1969-12-31 23:59:59\n",
    );
    let err = r.fails(
        &[
            "consent",
            "import-unsubscribes",
            path_str(&u),
            "--purpose",
            "newsletter",
        ],
        2,
    );
    assert!(err.contains("expected a time from 1970 on"), "{err}");
    assert_eq!(events(&r), 0);
    // The first second of 1970 is fine in both.
    let f = r.file(
        "epoch.csv",
        "email,OPTIN_TIME\na@b.fi,1970-01-01 00:00:00\n",
    );
    r.ok(&[
        "consent",
        "import",
        path_str(&f),
        "--purpose",
        "newsletter",
        "--evidence",
        "old list",
    ]);
    r.ok(&grant(
        "a@b.fi",
        "newsletter",
        &["--at", "1970-01-01T00:00:00Z"],
    ));
}

#[test]
fn a_lookalike_address_cannot_be_granted_by_import_even_when_stored() {
    let r = Reg::new();
    r.add("seed@example.fi", &[]);
    r.ok(&["consent", "object", "seed@example.fi"]);
    // Stored by an older version, before today's rules.
    r.sql()
        .execute(
            "INSERT INTO contacts (email, category, source, created_at, updated_at)
             VALUES ('\u{200b}seed@example.fi', 'customer', 'direct', ?1, ?1)",
            [NOW],
        )
        .unwrap();
    let f = r.file(
        "audience.csv",
        "Email Address,CONFIRM_TIME\n\u{200b}seed@example.fi,2026-11-01 10:00:00\n",
    );
    let err = ok_stderr(
        &r,
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "audience",
        ],
    );
    assert!(
        err.contains("1 row has an invalid e-mail address") && err.contains("imported 0 consents"),
        "{err}"
    );
    assert!(mailing(&r, "newsletter").is_empty());
    assert!(!mailing(&r, "b2b-marketing").contains(&"seed@example.fi".to_string()));
}

/// Finnish Excel saves `sep=;` first and CRLF line ends: the consent import reads such a file
/// as the contact import does, with line numbers an editor shows.
#[test]
fn consent_import_reads_excels_sep_line_and_names_lines_after_it() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let f = r.file(
        "excel.csv",
        "\u{feff}sep=;\r\nEmail Address;OPTIN_TIME\r\na@b.fi;2024-01-15 10:23:45\r\nnot-an-email;\r\n",
    );
    let err = ok_stderr(
        &r,
        &[
            "consent",
            "import",
            path_str(&f),
            "--purpose",
            "newsletter",
            "--evidence",
            "signup form",
        ],
    );
    assert!(err.contains("line 4: not-an-email"), "{err}");
    assert!(
        err.contains("imported 1 consent for newsletter from 2 rows"),
        "{err}"
    );
    assert_eq!(state(&r, "a@b.fi", "newsletter"), "allowed");
}
