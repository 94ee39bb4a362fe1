//! The register's time zone decides its days and how times are shown; the process's `TZ`
//! does not. Every command here runs with `TZ=UTC` (see `Reg::cmd`), as cron on a server would.

mod common;

use common::Reg;

/// 23:30 UTC on New Year's Eve: already 01:30 on 2027-01-01 in Helsinki.
const NEW_YEARS_EVE: &str = "2026-12-31T23:30:00Z";

fn at(r: &Reg, now: &str, args: &[&str]) -> std::process::Output {
    r.cmd()
        .env("REKISTERI_NOW", now)
        .args(args)
        .output()
        .expect("run")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A register made from the built-in description with `timezone` replaced.
fn register_in(zone: &str) -> Reg {
    let r = Reg::bare();
    let text = include_str!("../src/model/default_policy.toml").replace(
        "timezone = \"Europe/Helsinki\"",
        &format!("timezone = \"{zone}\""),
    );
    let f = r.file("policy.toml", text);
    r.ok(&["init", "--policy", common::path_str(&f)]);
    r
}

#[test]
fn today_is_the_registers_day_not_the_processs() {
    let r = Reg::bare();
    r.ok(&["init"]);
    // In Helsinki the new year has begun: a relationship started today is not in the future...
    let o = at(
        &r,
        NEW_YEARS_EVE,
        &[
            "contact",
            "add",
            "--email",
            "a@b.fi",
            "--started",
            "2027-01-01",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // ...and a hold until yesterday would never be active.
    let o = at(
        &r,
        NEW_YEARS_EVE,
        &[
            "contact",
            "hold",
            "a@b.fi",
            "--reason",
            "Riita",
            "--until",
            "2026-12-31",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("expected a date on or after today (2027-01-01)"),
        "{}",
        stderr(&o)
    );
    let o = at(
        &r,
        NEW_YEARS_EVE,
        &[
            "contact",
            "log",
            "a@b.fi",
            "--channel",
            "phone",
            "--summary",
            "Hei",
        ],
    );
    assert!(stderr(&o).contains("on 2027-01-01"), "{}", stderr(&o));
}

#[test]
fn a_register_in_utc_keeps_utc_days() {
    // The zone is read from the register before a date argument is checked (`contact add`
    // checks --started before it opens the register).
    let r = register_in("UTC");
    let o = at(
        &r,
        NEW_YEARS_EVE,
        &[
            "contact",
            "add",
            "--email",
            "a@b.fi",
            "--started",
            "2027-01-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--started"), "{}", stderr(&o));
    assert_eq!(r.count("contacts"), 0);
    let o = at(
        &r,
        NEW_YEARS_EVE,
        &[
            "contact",
            "add",
            "--email",
            "a@b.fi",
            "--started",
            "2026-12-31",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Times are shown in UTC too.
    let history = r.ok(&["policy", "history"]);
    assert!(history.contains("2026-11-23 10:00"), "{history}");
}

#[test]
fn a_date_for_a_time_starts_the_registers_day() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.ok(&[
        "consent",
        "grant",
        "a@b.fi",
        "--purpose",
        "newsletter",
        "--at",
        "2026-07-01",
        "--evidence",
        "signup form",
    ]);
    let occurred: String = r
        .sql()
        .query_row("SELECT occurred_at FROM consent_events", [], |x| x.get(0))
        .unwrap();
    // Midnight in Helsinki in summer (UTC+3).
    assert_eq!(occurred, "2026-06-30T21:00:00Z");

    // audit list: a date includes the register's whole day. The contact was added at 10:00 UTC
    // (12:00 in Helsinki); an event at 22:30 UTC is on the next day there.
    assert_eq!(
        at_list(&r, &["--since", "2026-11-24"]),
        Vec::<String>::new()
    );
    let before = at_list(&r, &[]).len();
    let late = at(
        &r,
        "2026-11-23T22:30:00Z",
        &["contact", "add", "--email", "c@d.fi"],
    );
    assert!(late.status.success(), "{}", stderr(&late));
    assert_eq!(at_list(&r, &["--since", "2026-11-24"]), vec!["contact.add"]);
    assert_eq!(at_list(&r, &["--until", "2026-11-23"]).len(), before);
}

fn at_list(r: &Reg, args: &[&str]) -> Vec<String> {
    let mut a = vec!["--format", "json", "audit", "list"];
    a.extend_from_slice(args);
    let v: serde_json::Value = serde_json::from_str(&r.ok(&a)).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_time_zone_is_part_of_the_description() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let shown = r.ok(&["policy", "show"]);
    assert!(shown.contains("Time zone       Europe/Helsinki"), "{shown}");

    // A bad name is refused with the field, the value and what is accepted; nothing is stored.
    let text = include_str!("../src/model/default_policy.toml");
    let bad = r.file(
        "bad.toml",
        text.replace("\"Europe/Helsinki\"", "\"Helsinki\""),
    );
    let err = r.fails(&["policy", "apply", common::path_str(&bad)], 2);
    assert!(err.contains("field `timezone`"), "{err}");
    assert!(err.contains("\"Helsinki\""), "{err}");
    assert!(
        err.contains("IANA time zone name such as Europe/Helsinki"),
        "{err}"
    );
    assert_eq!(r.count("policy_versions"), 1);

    // A change is listed, and it is not material.
    let utc = r.file("utc.toml", text.replace("\"Europe/Helsinki\"", "\"UTC\""));
    let out = r.ok(&["policy", "apply", common::path_str(&utc)]);
    assert!(
        out.contains("~ timezone: \"Europe/Helsinki\" → \"UTC\"") && !out.contains("material"),
        "{out}"
    );
    let history = r.ok(&["--format", "csv", "policy", "history"]);
    assert!(
        history.contains("2,2026-11-23T10:00:00Z,2026-11-23,tester,no,~timezone"),
        "{history}"
    );
    // From now on the register's times are shown in UTC.
    let shown = r.ok(&["policy", "show"]);
    assert!(shown.contains("Time zone       UTC"), "{shown}");
    assert!(shown.contains("stored 2026-11-23 10:00"), "{shown}");
}
