//! `rekisteri contact …` (all but add and import) and `rekisteri export contacts`.

mod common;

use common::Reg;
use rekisteri::commands::contact::list::HEADERS;
use rekisteri::model::contact::{CSV_COLUMNS, EXPORT_COLUMNS};
use serde_json::Value;

/// Runs and asserts success; returns (stdout, stderr).
fn run(r: &Reg, args: &[&str]) -> (String, String) {
    let out = r.cmd().args(args).output().expect("run");
    let (o, e) = (
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    );
    assert!(out.status.success(), "{args:?}: {o}\n{e}");
    (o, e)
}

fn json(r: &Reg, args: &[&str]) -> Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&r.ok(&a)).expect("json on stdout")
}

fn show(r: &Reg, key: &str) -> Value {
    json(r, &["contact", "show", key])
}

/// The e-mails of a JSON listing, in order.
fn emails(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|c| c["email"].as_str().expect("email").to_string())
        .collect()
}

fn list_emails(r: &Reg, filter: &[&str]) -> Vec<String> {
    let mut a = vec!["--format", "json", "contact", "list"];
    a.extend_from_slice(filter);
    let out = r.ok(&a);
    if out.is_empty() {
        return Vec::new();
    }
    emails(&serde_json::from_str(&out).expect("json"))
}

/// A small register: three people in different states.
fn people(r: &Reg) -> (i64, i64, i64) {
    let a = r.add(
        "ammä@example.fi",
        &[
            "--first-name",
            "Ämmä",
            "--last-name",
            "Öhman",
            "--company",
            "Äijälä Oy",
            "--started",
            "2024-01-15",
            "--phone",
            "040 123 4567",
        ],
    );
    let b = r.add(
        "bertta@example.fi",
        &[
            "--first-name",
            "Bertta",
            "--last-name",
            "Aalto",
            "--company",
            "Sähkö Ab",
            "--category",
            "student",
            "--birth-date",
            "1999-05-01",
        ],
    );
    let c = r.add(
        "CEO@Firma.fi",
        &[
            "--first-name",
            "Olli",
            "--last-name",
            "Aalto",
            "--category",
            "prospect",
        ],
    );
    (a, b, c)
}

// ---- list ---------------------------------------------------------------------------------

#[test]
fn list_is_sorted_by_last_name_then_first_name_and_filters() {
    let r = Reg::new();
    let (a, _, c) = people(&r);
    assert_eq!(
        list_emails(&r, &[]),
        ["bertta@example.fi", "ceo@firma.fi", "ammä@example.fi"]
    );
    assert_eq!(
        list_emails(&r, &["--category", "prospect"]),
        ["ceo@firma.fi"]
    );
    assert_eq!(
        list_emails(&r, &["--company", "sähkö"]),
        ["bertta@example.fi"]
    );
    assert_eq!(list_emails(&r, &["--limit", "1"]), ["bertta@example.fi"]);

    r.ok(&["contact", "end", &a.to_string(), "--date", "2026-06-30"]);
    assert_eq!(list_emails(&r, &["--ended"]), ["ammä@example.fi"]);
    assert_eq!(
        list_emails(&r, &["--active"]),
        ["bertta@example.fi", "ceo@firma.fi"]
    );

    r.ok(&["contact", "tag", &c.to_string(), "--add", "Messu-2026"]);
    assert_eq!(list_emails(&r, &["--tag", "MESSU-2026"]), ["ceo@firma.fi"]);

    let err = r.fails(&["contact", "list", "--ended", "--active"], 2);
    assert!(err.contains("--active"), "{err}");
    r.fails(&["contact", "list", "--limit", "0"], 2);
    r.fails(&["contact", "list", "--category", "vip"], 2);
}

#[test]
fn search_is_case_insensitive_across_unicode() {
    let r = Reg::new();
    people(&r);
    assert_eq!(list_emails(&r, &["--search", "ÄMMÄ"]), ["ammä@example.fi"]);
    assert_eq!(list_emails(&r, &["--search", "öh"]), ["ammä@example.fi"]);
    // `ö` finds the `Ö` of Öhman as well as the `ö` of Sähkö.
    assert_eq!(
        list_emails(&r, &["--search", "ö"]),
        ["bertta@example.fi", "ammä@example.fi"]
    );
    assert_eq!(
        list_emails(&r, &["--search", "ÄIJÄLÄ"]),
        ["ammä@example.fi"]
    );
    // Full name, e-mail and company are all searched.
    assert_eq!(
        list_emails(&r, &["--search", "olli aalto"]),
        ["ceo@firma.fi"]
    );
    assert_eq!(list_emails(&r, &["--search", "FIRMA.FI"]), ["ceo@firma.fi"]);
    assert_eq!(
        list_emails(&r, &["--search", "aalto"]),
        ["bertta@example.fi", "ceo@firma.fi"]
    );
    // LIKE wildcards are plain text.
    assert!(list_emails(&r, &["--search", "%"]).is_empty());
}

#[test]
fn list_formats_have_the_same_columns() {
    let r = Reg::new();
    people(&r);
    let table = r.ok(&["contact", "list", "--search", "ämmä"]);
    for h in [
        "id", "name", "email", "phone", "company", "category", "started", "ended",
    ] {
        assert!(table.lines().next().unwrap().contains(h), "{table}");
    }
    assert!(
        table.contains("Ämmä Öhman") && table.contains("+358401234567"),
        "{table}"
    );

    let csv = r.ok(&["--format", "csv", "contact", "list", "--search", "ämmä"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,name,email,phone,company,category,started,ended,restricted")
    );
    assert_eq!(
        lines.next(),
        Some("1,Ämmä Öhman,ammä@example.fi,+358401234567,Äijälä Oy,customer,2024-01-15,,")
    );
    assert_eq!(lines.next(), None);

    let v = json(&r, &["contact", "list", "--search", "ämmä"]);
    let row = &v[0];
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "email",
            "phone",
            "company",
            "category",
            "started",
            "ended",
            "restricted"
        ]
    );
    assert_eq!(row["id"], 1);
    assert_eq!(row["ended"], Value::Null);
}

#[test]
fn empty_list_says_so_and_scripts_still_get_a_header_or_array() {
    let r = Reg::new();
    people(&r);
    for (format, expected) in [
        ("table", String::new()),
        ("csv", format!("{}\n", HEADERS.join(","))),
        ("json", "[]\n".to_string()),
    ] {
        let (out, err) = run(
            &r,
            &["--format", format, "contact", "list", "--search", "nobody"],
        );
        assert_eq!(out, expected, "{format}");
        assert!(err.contains("no contacts match"), "{err}");
    }
}

#[test]
fn a_table_stops_at_a_thousand_rows_but_csv_streams_all() {
    let r = Reg::new();
    r.add("first@example.fi", &[]);
    r.sql()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
             INSERT INTO contacts (email, category, source, created_at, updated_at)
             SELECT 'p' || i || '@example.fi', 'customer', 'direct', '2026-11-23T10:00:00Z',
                    '2026-11-23T10:00:00Z' FROM n",
        )
        .unwrap();
    let (out, err) = run(&r, &["contact", "list"]);
    assert_eq!(out.lines().count(), 2 + 1000);
    assert!(err.contains("showing the first 1000"), "{err}");
    let (out, err) = run(&r, &["contact", "list", "--limit", "1001"]);
    assert_eq!(out.lines().count(), 2 + 1001);
    assert!(!err.contains("showing"), "{err}");
    let out = r.ok(&["--format", "csv", "contact", "list"]);
    assert_eq!(out.lines().count(), 1 + 1001);
}

// ---- show ---------------------------------------------------------------------------------

#[test]
fn show_has_every_section_in_json_with_raw_times() {
    let r = Reg::new();
    let (_, b, _) = people(&r);
    let id = b.to_string();
    r.ok(&[
        "contact",
        "log",
        &id,
        "--channel",
        "phone",
        "--summary",
        "Kysyi kurssista",
        "--date",
        "2026-10-01",
    ]);
    r.ok(&[
        "contact",
        "course",
        &id,
        "--course",
        "Tietosuoja",
        "--completed",
        "2026-10-15",
        "--grade",
        "5",
    ]);
    r.ok(&[
        "contact",
        "purchase",
        &id,
        "--item",
        "Kurssimaksu",
        "--amount",
        "120,50",
        "--payment",
        "invoice",
        "--date",
        "2026-09-30",
    ]);
    r.ok(&["contact", "tag", &id, "--add", "kurssi", "--add", "äö"]);
    r.ok(&[
        "contact",
        "hold",
        &id,
        "--reason",
        "Laskuriita",
        "--until",
        "2027-01-31",
    ]);

    // By e-mail, in any case.
    let v = show(&r, "BERTTA@example.FI");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "contact",
            "history",
            "courses",
            "purchases",
            "tags",
            "holds",
            "consents",
            "consent_events",
            "requests"
        ]
    );
    let c = &v["contact"];
    assert_eq!(c["id"], b);
    assert_eq!(c["first_name"], "Bertta");
    assert_eq!(c["birth_date"], "1999-05-01");
    assert_eq!(c["last_contact"], "2026-10-01");
    assert_eq!(c["created_at"], common::NOW);
    assert_eq!(c["restricted_at"], Value::Null);
    for col in CSV_COLUMNS {
        assert!(c.get(col).is_some(), "contact.{col} missing");
    }
    assert_eq!(v["history"][0]["channel"], "phone");
    assert_eq!(v["history"][0]["summary"], "Kysyi kurssista");
    assert_eq!(v["history"][0]["feedback"], false);
    assert_eq!(v["history"][0]["operator"], "tester");
    assert_eq!(v["courses"][0]["course"], "Tietosuoja");
    assert_eq!(v["courses"][0]["grade"], "5");
    assert_eq!(v["purchases"][0]["amount_eur"], "120.50");
    assert_eq!(v["purchases"][0]["payment"], "invoice");
    assert_eq!(v["tags"], serde_json::json!(["kurssi", "äö"]));
    assert_eq!(v["holds"][0]["active"], true);
    assert_eq!(v["holds"][0]["until"], "2027-01-31");
    assert_eq!(v["holds"][0]["placed_at"], common::NOW);
}

#[test]
fn show_table_has_sections_and_local_times() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    let out = r
        .cmd()
        .env("TZ", "America/New_York") // the process's zone plays no part
        .args(["contact", "show", &a.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "contact\n",
        "history: none",
        "courses: none",
        "purchases: none",
        "tags: none",
        "holds: none",
    ] {
        assert!(out.contains(heading), "{heading:?} in\n{out}");
    }
    assert!(out.contains("Äijälä Oy"), "{out}");
    // 10:00 UTC is noon in Helsinki in November.
    assert!(out.contains("2026-11-23 12:00"), "{out}");
    assert!(!out.contains("T10:00:00Z"), "{out}");
}

#[test]
fn show_csv_is_long_form() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    r.ok(&["contact", "tag", &a.to_string(), "--add", "vip"]);
    let out = r.ok(&["--format", "csv", "contact", "show", &a.to_string()]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("section,item,field,value"));
    assert!(out.contains("contact,,last_name,Öhman\n"), "{out}");
    assert!(
        out.contains("contact,,created_at,2026-11-23T10:00:00Z\n"),
        "{out}"
    );
    assert!(out.contains("tags,1,,vip\n"), "{out}");
}

#[test]
fn show_unknown_contact_fails() {
    let r = Reg::new();
    people(&r);
    let err = r.fails(&["contact", "show", "nobody@example.fi"], 1);
    assert!(
        err.contains("no contact matches \"nobody@example.fi\""),
        "{err}"
    );
    r.fails(&["contact", "show", "999"], 1);
}

// ---- edit ---------------------------------------------------------------------------------

#[test]
fn edit_rectifies_and_names_changed_fields() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    let id = a.to_string();
    let (_, err) = run(
        &r,
        &[
            "contact",
            "edit",
            &id,
            "--last-name",
            "Öhman-Sjöblom",
            "--phone",
            "09 123 4567",
            "--clear",
            "company",
            "--last-contact",
            "2026-11-01",
            "--ended",
            "2026-11-20",
        ],
    );
    assert!(
        err.contains("changed last_name, phone, company, ended, last_contact"),
        "{err}"
    );
    let c = &show(&r, &id)["contact"];
    assert_eq!(c["last_name"], "Öhman-Sjöblom");
    assert_eq!(c["phone"], "+35891234567");
    assert_eq!(c["company"], Value::Null);
    assert_eq!(c["ended"], "2026-11-20");
    assert_eq!(c["last_contact"], "2026-11-01");
    assert_eq!(c["first_name"], "Ämmä");

    // The same values again: nothing to store, nothing to audit.
    let edits = audit_count(&r, "contact.edit");
    let (_, err) = run(&r, &["contact", "edit", &id, "--phone", "+358 9 123 4567"]);
    assert!(err.contains("nothing changed"), "{err}");
    assert_eq!(audit_count(&r, "contact.edit"), edits);

    // By e-mail; a new e-mail is lower-cased.
    r.ok(&[
        "contact",
        "edit",
        "AMMÄ@example.fi",
        "--email",
        "Uusi@Example.fi",
    ]);
    assert_eq!(show(&r, &id)["contact"]["email"], "uusi@example.fi");
}

#[test]
fn edit_validates_like_add_and_changes_nothing_on_error() {
    let r = Reg::new();
    let (a, b, _) = people(&r);
    let id = a.to_string();
    let before = show(&r, &id)["contact"].clone();

    let err = r.fails(&["contact", "edit", &id], 2);
    assert!(err.contains("nothing to change"), "{err}");
    let err = r.fails(
        &[
            "contact",
            "edit",
            &id,
            "--email",
            "not-an-email",
            "--phone",
            "12",
        ],
        2,
    );
    assert!(err.contains("--email") && err.contains("--phone"), "{err}");
    let err = r.fails(&["contact", "edit", &id, "--business-id", "1234567-2"], 2);
    assert!(err.contains("check digit"), "{err}");
    let err = r.fails(&["contact", "edit", &id, "--started", "15.1.2024"], 2);
    assert!(
        err.contains("--started") && err.contains("YYYY-MM-DD"),
        "{err}"
    );
    let err = r.fails(&["contact", "edit", &id, "--ended", "2023-12-31"], 2);
    assert!(err.contains("start date 2024-01-15"), "{err}");
    let err = r.fails(&["contact", "edit", &id, "--last-contact", "2027-01-01"], 2);
    assert!(err.contains("--last-contact"), "{err}");
    // Birth dates are kept for students only.
    let err = r.fails(&["contact", "edit", &id, "--birth-date", "1980-01-01"], 2);
    assert!(err.contains("students"), "{err}");
    let err = r.fails(
        &["contact", "edit", &b.to_string(), "--category", "customer"],
        2,
    );
    assert!(err.contains("--birth-date"), "{err}");

    let err = r.fails(&["contact", "edit", &id, "--clear", "email"], 2);
    assert!(
        err.contains("--clear \"email\"") && err.contains("--email NEW"),
        "{err}"
    );
    let err = r.fails(&["contact", "edit", &id, "--clear", "shoe-size"], 2);
    assert!(err.contains("postal-code"), "{err}");
    let err = r.fails(
        &[
            "contact",
            "edit",
            &id,
            "--clear",
            "phone",
            "--phone",
            "0401112222",
        ],
        2,
    );
    assert!(err.contains("not both"), "{err}");

    let err = r.fails(&["contact", "edit", &id, "--email", "BERTTA@example.fi"], 1);
    assert!(
        err.contains("already has the e-mail bertta@example.fi"),
        "{err}"
    );
    let err = r.fails(&["contact", "edit", "404", "--notes", "x"], 1);
    assert!(err.contains("no contact matches \"404\""), "{err}");

    assert_eq!(show(&r, &id)["contact"], before);
    assert_eq!(audit_count(&r, "contact.edit"), 0);

    // A student can lose the birth date and the category in one edit.
    r.ok(&[
        "contact",
        "edit",
        &b.to_string(),
        "--category",
        "customer",
        "--clear",
        "birth-date",
    ]);
    assert_eq!(
        show(&r, &b.to_string())["contact"]["birth_date"],
        Value::Null
    );
}

#[test]
fn contact_dates_are_from_1900_to_today_on_add_and_edit() {
    let r = Reg::new();
    let accepted = "expected a date from 1900-01-01 to today (2026-11-23)";
    for (flag, value) in [
        ("--started", "0000-01-01"),
        ("--started", "1899-12-31"),
        ("--started", "2099-01-01"),
        ("--birth-date", "2030-01-01"),
    ] {
        let err = r.fails(
            &[
                "contact",
                "add",
                "--email",
                "a@b.fi",
                "--category",
                "student",
                flag,
                value,
            ],
            2,
        );
        assert!(
            err.contains(&format!("invalid {flag} \"{value}\": {accepted}")),
            "{err}"
        );
    }
    assert!(!r.db.exists() || r.count("contacts") == 0);
    // The bounds themselves are fine.
    let id = r
        .add(
            "a@b.fi",
            &[
                "--category",
                "student",
                "--birth-date",
                "1900-01-01",
                "--started",
                "2026-11-23",
            ],
        )
        .to_string();
    for (flag, value) in [
        ("--started", "2026-11-24"),
        ("--birth-date", "1899-12-31"),
        ("--ended", "2026-11-24"),
        ("--last-contact", "1000-01-01"),
    ] {
        let err = r.fails(&["contact", "edit", &id, flag, value], 2);
        assert!(
            err.contains(&format!("invalid {flag} \"{value}\": {accepted}")),
            "{err}"
        );
    }
    assert_eq!(audit_count(&r, "contact.edit"), 0);
}

// ---- end ----------------------------------------------------------------------------------

#[test]
fn end_sets_moves_and_checks_the_end_date() {
    let r = Reg::new();
    let (a, _, c) = people(&r);
    let id = a.to_string();

    let err = r.fails(&["contact", "end", &id, "--date", "2024-01-14"], 2);
    assert!(err.contains("start date 2024-01-15"), "{err}");
    r.fails(&["contact", "end", &id, "--date", "2026-02-30"], 2);
    let err = r.fails(&["contact", "end", &id, "--date", "2026-11-24"], 2);
    assert!(err.contains("to today (2026-11-23)"), "{err}");
    r.fails(&["contact", "end", "nobody@example.fi"], 1);
    assert_eq!(show(&r, &id)["contact"]["ended"], Value::Null);

    let (_, err) = run(&r, &["contact", "end", &id, "--date", "2026-05-31"]);
    assert!(err.contains("ended on 2026-05-31"), "{err}");
    let (_, err) = run(&r, &["contact", "end", &id, "--date", "2026-05-31"]);
    assert!(
        err.contains("already ended on 2026-05-31; nothing changed"),
        "{err}"
    );
    let (_, err) = run(&r, &["contact", "end", &id, "--date", "2026-06-30"]);
    assert!(
        err.contains("changed from 2026-05-31 to 2026-06-30"),
        "{err}"
    );
    assert_eq!(show(&r, &id)["contact"]["ended"], "2026-06-30");
    assert_eq!(audit_count(&r, "contact.end"), 2);

    // Today by default.
    r.ok(&["contact", "end", "ceo@firma.fi"]);
    assert_eq!(show(&r, &c.to_string())["contact"]["ended"], "2026-11-23");
}

#[test]
fn end_of_an_ended_relationship_moves_only_to_a_given_date() {
    let r = Reg::new();
    let id = r
        .add("a@example.fi", &["--started", "2020-01-01"])
        .to_string();
    r.ok(&["contact", "end", &id, "--date", "2024-06-30"]);
    // Ending it again "today" would move the end by two years and extend the retention.
    let err = r.fails(&["contact", "end", &id], 1);
    assert!(
        err.contains("already ended on 2024-06-30") && err.contains("--date"),
        "{err}"
    );
    assert_eq!(show(&r, &id)["contact"]["ended"], "2024-06-30");
    assert_eq!(audit_count(&r, "contact.end"), 1);
    // A correction names its date, today included.
    let (_, err) = run(&r, &["contact", "end", &id, "--date", "2026-11-23"]);
    assert!(
        err.contains("changed from 2024-06-30 to 2026-11-23"),
        "{err}"
    );
    // Ended today: ending it today again is the no-op it always was.
    let (_, err) = run(&r, &["contact", "end", &id]);
    assert!(err.contains("nothing changed"), "{err}");
    assert_eq!(audit_count(&r, "contact.end"), 2);
}

// ---- invisible characters and lookalikes ------------------------------------------------

#[test]
fn lookalike_e_mails_and_invisible_names_are_refused_on_add_and_edit() {
    let r = Reg::new();
    let seed = r
        .add("seed@example.fi", &["--first-name", "Seed"])
        .to_string();
    r.ok(&["consent", "object", "seed@example.fi"]);
    for (email, accepted) in [
        (
            "\u{200b}seed@example.fi",
            "\\u{200b}seed@example.fi\": expected an e-mail address without invisible characters",
        ),
        (
            "\u{feff}seed@example.fi",
            "\\u{feff}seed@example.fi\": expected an e-mail address without invisible characters",
        ),
        (
            "se\u{ad}ed@example.fi",
            "se\\u{ad}ed@example.fi\": expected an e-mail address without invisible characters",
        ),
        (
            "seed\u{200d}@example.fi",
            "seed\\u{200d}@example.fi\": expected an e-mail address without invisible characters",
        ),
        // Cyrillic е (U+0435) for Latin e.
        ("s\u{435}ed@example.fi", "written in one script"),
        (
            "seed@\u{435}xample.fi",
            "domain labels are each written in one script",
        ),
        ("=seed@example.fi", "does not start with =, +, - or @"),
        ("+seed@example.fi", "does not start with =, +, - or @"),
    ] {
        let err = r.fails(&["contact", "add", "--email", email], 2);
        assert!(
            err.contains("invalid --email") && err.contains(accepted),
            "{email:?}: {err}"
        );
        let err = r.fails(&["contact", "edit", &seed, "--email", email], 2);
        assert!(err.contains("invalid --email"), "{email:?}: {err}");
    }
    for name in ["\u{200b}", " \u{200b}\u{feff} ", "\u{3164}"] {
        let err = r.fails(
            &[
                "contact",
                "add",
                "--email",
                "n@example.fi",
                "--first-name",
                name,
            ],
            2,
        );
        assert!(
            err.contains("invalid --first-name") && err.contains("visible character"),
            "{name:?}: {err}"
        );
        let err = r.fails(&["contact", "edit", &seed, "--last-name", name], 2);
        assert!(err.contains("invalid --last-name"), "{name:?}: {err}");
    }
    assert_eq!(r.count("contacts"), 1);
    assert_eq!(show(&r, &seed)["contact"]["email"], "seed@example.fi");
    // Nothing reached a mailing list: the one person there objected.
    for purpose in ["newsletter", "b2b-marketing"] {
        let out = r.ok(&["export", "mailing-list", "--purpose", purpose]);
        assert_eq!(out, "email,first_name,last_name,company\n", "{purpose}");
    }
}

#[test]
fn an_import_with_an_invisible_character_anywhere_is_refused_with_line_and_column() {
    let r = Reg::new();
    r.add("seed@example.fi", &[]);
    r.ok(&["consent", "object", "seed@example.fi"]);
    // A BOM at the start of the file is the encoding's; one at the start of a field, or of a
    // line in the middle of the file (two files pasted together), is part of the value.
    let f = r.file(
        "c.csv",
        "\u{feff}email,first_name\n\
         ok@example.fi,Ok\n\
         \u{feff}seed@example.fi,Seed\n\
         other@example.fi,\u{200b}\n\
         \"\u{200b}seed@example.fi\",Seed\n",
    );
    let err = r.fails(&["contact", "import", common::path_str(&f)], 2);
    assert!(
        err.contains("line 3, column 1 (email): invalid value \"\\u{feff}seed@example.fi\": expected an e-mail address without invisible characters"),
        "{err}"
    );
    assert!(
        err.contains("line 4, column 2 (first_name): invalid value \"\\u{200b}\""),
        "{err}"
    );
    assert!(
        err.contains("line 5, column 1 (email): invalid value \"\\u{200b}seed@example.fi\""),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(r.count("contacts"), 1);
    assert_eq!(
        r.ok(&["export", "mailing-list", "--purpose", "b2b-marketing"]),
        "email,first_name,last_name,company\n"
    );
}

/// Stores a contact as an older version of rekisteri could have, past today's rules.
fn store_legacy(r: &Reg, email: &str, first_name: Option<&str>) -> i64 {
    let c = r.sql();
    c.execute(
        "INSERT INTO contacts (email, first_name, category, source, created_at, updated_at)
         VALUES (?1, ?2, 'customer', 'direct', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
        rusqlite::params![email, first_name],
    )
    .unwrap();
    c.last_insert_rowid()
}

#[test]
fn check_lists_stored_contacts_todays_rules_refuse_by_id_only() {
    let r = Reg::new();
    r.add("seed@example.fi", &["--first-name", "Seed"]);
    let bad = store_legacy(&r, "\u{200b}seed@example.fi", Some("\u{200b}"));
    let mixed = store_legacy(&r, "s\u{435}ed@example.fi", Some("Seed"));
    r.add("fine@example.fi", &[]);
    let before = r.count("contacts");
    let out = r.cmd().args(["check", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows[0], "id,field,problem");
    let fields: Vec<String> = rows[1..]
        .iter()
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        fields,
        [
            format!("{bad},email"),
            format!("{bad},first_name"),
            format!("{mixed},email")
        ]
    );
    // Ids and rules only: no personal value is shown.
    assert!(!stdout.contains("seed"), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr
            .contains("warning: 2 of 4 contacts have an e-mail or name that today's rules refuse"),
        "{stderr}"
    );
    // Nothing rewritten; the read is audited by id.
    assert_eq!(r.count("contacts"), before);
    assert_eq!(
        r.sql()
            .query_row(
                "SELECT object_ids || ' ' || detail FROM audit_events WHERE action = 'register.check'",
                [],
                |x| x.get::<_, String>(0)
            )
            .unwrap(),
        format!("contact:{bad}-{mixed} contacts=4 flagged=2 problems=3")
    );
    // Once rectified, the register is healthy.
    r.ok(&[
        "contact",
        "edit",
        &bad.to_string(),
        "--email",
        "seed2@example.fi",
        "--clear",
        "first-name",
    ]);
    r.ok(&[
        "contact",
        "edit",
        &mixed.to_string(),
        "--email",
        "seed3@example.fi",
    ]);
    let (out, err) = run(&r, &["check"]);
    assert_eq!(out, "");
    assert!(
        err.contains("OK: the e-mails and names of all 4 contacts pass"),
        "{err}"
    );
}

// ---- log ----------------------------------------------------------------------------------

#[test]
fn log_records_history_and_moves_last_contact_forward_only() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    let id = a.to_string();
    r.ok(&[
        "contact",
        "log",
        &id,
        "--channel",
        "meeting",
        "--summary",
        "Tapaaminen Äänekoskella",
        "--date",
        "2026-10-10",
    ]);
    assert_eq!(show(&r, &id)["contact"]["last_contact"], "2026-10-10");
    r.ok(&[
        "contact",
        "log",
        &id,
        "--channel",
        "letter",
        "--summary",
        "Vanha kirje",
        "--date",
        "2026-01-01",
        "--feedback",
    ]);
    assert_eq!(show(&r, &id)["contact"]["last_contact"], "2026-10-10");
    r.ok(&[
        "contact",
        "log",
        &id,
        "--channel",
        "web",
        "--summary",
        "Lomake",
    ]);
    let v = show(&r, &id);
    assert_eq!(v["contact"]["last_contact"], "2026-11-23");
    let history = v["history"].as_array().unwrap();
    let dates: Vec<&str> = history
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-01-01", "2026-10-10", "2026-11-23"]);
    assert_eq!(history[0]["feedback"], true);
    assert_eq!(history[0]["channel"], "letter");

    r.fails(
        &["contact", "log", &id, "--channel", "fax", "--summary", "x"],
        2,
    );
    let err = r.fails(
        &[
            "contact",
            "log",
            &id,
            "--channel",
            "email",
            "--summary",
            "  ",
        ],
        2,
    );
    assert!(err.contains("--summary"), "{err}");
    r.fails(
        &[
            "contact",
            "log",
            &id,
            "--channel",
            "email",
            "--summary",
            "x",
            "--date",
            "2026-1-1",
        ],
        2,
    );
    r.fails(
        &[
            "contact",
            "log",
            "999",
            "--channel",
            "email",
            "--summary",
            "x",
        ],
        1,
    );
    assert_eq!(r.count("contact_log"), 3);
}

// ---- course -------------------------------------------------------------------------------

#[test]
fn courses_are_recorded_for_any_category() {
    let r = Reg::new();
    let (a, b, _) = people(&r);
    // A customer's representative on a course is the usual student.
    r.ok(&[
        "contact",
        "course",
        &a.to_string(),
        "--course",
        "GDPR",
        "--completed",
        "2026-10-01",
    ]);
    assert_eq!(r.count("courses"), 1);

    r.ok(&[
        "contact",
        "course",
        "bertta@example.fi",
        "--course",
        "Työturvallisuus",
        "--completed",
        "2026-10-01",
    ]);
    let v = show(&r, &b.to_string());
    assert_eq!(v["courses"][0]["course"], "Työturvallisuus");
    assert_eq!(v["courses"][0]["grade"], Value::Null);

    r.fails(
        &[
            "contact",
            "course",
            &b.to_string(),
            "--course",
            "X",
            "--completed",
            "tomorrow",
        ],
        2,
    );
    r.fails(&["contact", "course", &b.to_string(), "--course", "X"], 2);
    r.fails(
        &[
            "contact",
            "course",
            "999",
            "--course",
            "X",
            "--completed",
            "2026-10-01",
        ],
        1,
    );
}

// ---- purchase -----------------------------------------------------------------------------

#[test]
fn purchases_keep_amounts_in_cents_and_show_euros() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    let id = a.to_string();
    let (_, err) = run(
        &r,
        &[
            "contact",
            "purchase",
            &id,
            "--item",
            "Ylläpitosopimus",
            "--amount",
            "1 200,5",
            "--payment",
            "transfer",
            "--date",
            "2026-03-01",
        ],
    );
    assert!(err.contains("1200.50 €"), "{err}");
    r.ok(&["contact", "purchase", &id, "--item", "Esite"]);
    let cents: Vec<Option<i64>> = r
        .sql()
        .prepare("SELECT amount_cents FROM purchases ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(cents, [Some(120050), None]);
    let p = &show(&r, &id)["purchases"];
    assert_eq!(p[0]["amount_eur"], "1200.50");
    assert_eq!(p[0]["payment"], "transfer");
    assert_eq!(p[1]["date"], "2026-11-23");
    assert_eq!(p[1]["amount_eur"], Value::Null);

    let err = r.fails(
        &[
            "contact", "purchase", &id, "--item", "X", "--amount", "12.345",
        ],
        2,
    );
    assert!(err.contains("12.345") && err.contains("120,50"), "{err}");
    r.fails(
        &[
            "contact",
            "purchase",
            &id,
            "--item",
            "X",
            "--payment",
            "bitcoin",
        ],
        2,
    );
    r.fails(&["contact", "purchase", &id, "--item", ""], 2);
    assert_eq!(r.count("purchases"), 2);
}

// ---- tag ----------------------------------------------------------------------------------

#[test]
fn tags_are_normalised_and_removing_an_absent_one_is_a_no_op() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    let id = a.to_string();
    let (_, err) = run(
        &r,
        &[
            "contact",
            "tag",
            &id,
            "--add",
            "VIP",
            "--add",
            "Ääkköset-2026",
            "--add",
            "vip",
        ],
    );
    assert!(err.contains("added vip, ääkköset-2026"), "{err}");
    assert_eq!(
        show(&r, &id)["tags"],
        serde_json::json!(["vip", "ääkköset-2026"])
    );

    let (_, err) = run(
        &r,
        &[
            "contact", "tag", &id, "--remove", "VIP", "--remove", "kylmä",
        ],
    );
    assert!(err.contains("removed vip"), "{err}");
    assert!(
        err.contains("kylmä") && err.contains("nothing to remove"),
        "{err}"
    );
    assert_eq!(show(&r, &id)["tags"], serde_json::json!(["ääkköset-2026"]));

    let before = audit_count(&r, "contact.tag");
    let (_, err) = run(&r, &["contact", "tag", &id, "--remove", "kylmä"]);
    assert!(err.contains("nothing to remove"), "{err}");
    assert_eq!(audit_count(&r, "contact.tag"), before);

    let err = r.fails(&["contact", "tag", &id, "--add", "two words"], 2);
    assert!(err.contains("letters"), "{err}");
    r.fails(&["contact", "tag", &id, "--add", "a_b"], 2);
    r.fails(&["contact", "tag", &id], 2);
    r.fails(&["contact", "tag", &id, "--add", "x", "--remove", "X"], 2);
    r.fails(&["contact", "tag", "999", "--add", "x"], 1);
    assert_eq!(r.count("contact_tags"), 1);
}

// ---- hold / release -----------------------------------------------------------------------

#[test]
fn hold_and_release() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    let id = a.to_string();

    let err = r.fails(&["contact", "release", &id], 1);
    assert!(err.contains("no active legal hold"), "{err}");
    let err = r.fails(
        &[
            "contact",
            "hold",
            &id,
            "--reason",
            "Riita",
            "--until",
            "2026-11-22",
        ],
        2,
    );
    assert!(err.contains("--until"), "{err}");
    r.fails(&["contact", "hold", &id, "--reason", " "], 2);
    r.fails(&["contact", "hold", "999", "--reason", "Riita"], 1);

    r.ok(&["contact", "hold", &id, "--reason", "Käräjäoikeuden asia"]);
    let conn = r.sql();
    let live = || -> Option<(String, String)> {
        conn.query_row(
            "SELECT reason, placed_by FROM holds WHERE contact_id = ?1 AND released_at IS NULL",
            [a],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok()
    };
    let (reason, placed_by) = live().expect("active hold");
    assert_eq!(reason, "Käräjäoikeuden asia");
    assert_eq!(placed_by, "tester");
    assert_eq!(show(&r, &id)["holds"][0]["active"], true);

    let (_, err) = run(&r, &["contact", "release", &id]);
    assert!(err.contains("released legal hold 1"), "{err}");
    assert!(live().is_none());
    let v = show(&r, &id);
    assert_eq!(v["holds"][0]["active"], false);
    assert_eq!(v["holds"][0]["released_at"], common::NOW);
    assert_eq!(v["holds"][0]["released_by"], "tester");
    r.fails(&["contact", "release", &id], 1);
}

#[test]
fn a_hold_whose_until_has_passed_is_not_active() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    r.ok(&[
        "contact",
        "hold",
        &a.to_string(),
        "--reason",
        "Tarkastus",
        "--until",
        "2026-12-31",
    ]);
    let later = |args: &[&str]| {
        r.cmd()
            .env("REKISTERI_NOW", "2027-01-01T10:00:00Z")
            .args(args)
            .output()
            .unwrap()
    };
    let out = later(&["contact", "release", &a.to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let out = later(&["--format", "json", "contact", "show", &a.to_string()]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["holds"][0]["active"], false);
}

#[test]
fn releasing_several_holds_names_them_as_one_range_in_the_audit_trail() {
    let r = Reg::new();
    let (a, _, _) = people(&r);
    let id = a.to_string();
    r.ok(&["contact", "hold", &id, "--reason", "Riita"]);
    r.ok(&["contact", "hold", &id, "--reason", "Tarkastus"]);
    r.ok(&["contact", "release", &id]);
    let objects = |action: &str| -> Vec<String> {
        let conn = r.sql();
        let mut st = conn
            .prepare("SELECT object_ids FROM audit_events WHERE action = ?1 ORDER BY id")
            .unwrap();
        st.query_map([action], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        objects("contact.hold"),
        [format!("contact:{a},hold:1"), format!("contact:{a},hold:2")]
    );
    assert_eq!(
        objects("contact.release"),
        [format!("contact:{a},hold:1-2")]
    );
}

// ---- export contacts ----------------------------------------------------------------------

fn parse_csv(data: &[u8], delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(data);
    let headers = rd.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

#[test]
fn export_writes_the_import_columns_in_id_order_with_finnish_characters() {
    let r = Reg::new();
    let (a, b, c) = people(&r);
    r.ok(&[
        "contact",
        "edit",
        &a.to_string(),
        "--street",
        "Äyräpääntie 1, B 2",
        "--notes",
        "Sanoi: \"hyvä\"\nToinen rivi",
    ]);
    let out = r.ok(&["export", "contacts"]);
    let (headers, rows) = parse_csv(out.as_bytes(), b',');
    assert_eq!(headers, EXPORT_COLUMNS);
    assert!(rows.iter().all(|row| row[19] == "false"), "{rows:?}");
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, [a.to_string(), b.to_string(), c.to_string()]);

    // Every value matches what `show` holds, so the file re-imports to the same contacts.
    for row in &rows {
        let v = show(&r, &row[0]);
        for (col, value) in CSV_COLUMNS.iter().zip(row).skip(1) {
            let shown = v["contact"][col].as_str().unwrap_or("");
            assert_eq!(value, shown, "{col}");
        }
    }
    assert_eq!(rows[0][1], "Ämmä");
    assert_eq!(rows[0][8], "Äyräpääntie 1, B 2");
    assert_eq!(rows[0][18], "Sanoi: \"hyvä\"\nToinen rivi");
    assert_eq!(rows[1][12], "1999-05-01");

    // The table default means CSV here; --format csv is the same bytes.
    assert_eq!(r.ok(&["--format", "csv", "export", "contacts"]), out);
}

#[test]
fn export_for_finnish_excel_and_as_json() {
    let r = Reg::new();
    people(&r);
    let out = r
        .cmd()
        .args(["export", "contacts", "--delimiter", ";", "--bom"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let bytes = out.stdout;
    assert!(bytes.starts_with("\u{feff}id;first_name;".as_bytes()));
    let (headers, rows) = parse_csv(&bytes[3..], b';');
    assert_eq!(headers, EXPORT_COLUMNS);
    assert_eq!(rows[0][5], "Äijälä Oy");
    r.fails(&["export", "contacts", "--delimiter", "|"], 2);

    let v = json(&r, &["export", "contacts"]);
    let first = &v[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, EXPORT_COLUMNS);
    assert_eq!(first["id"], 1);
    assert_eq!(first["restricted"], false);
    assert_eq!(first["last_name"], "Öhman");
    assert_eq!(first["ended"], Value::Null);
    assert_eq!(v.as_array().unwrap().len(), 3);
    r.fails(
        &["--format", "json", "export", "contacts", "--delimiter", ";"],
        2,
    );
}

#[test]
fn export_marks_restricted_contacts_and_for_use_leaves_them_out() {
    let r = Reg::new();
    let (a, b, c) = people(&r);
    r.sql()
        .execute(
            "UPDATE contacts SET restricted_at = ?1 WHERE id = ?2",
            rusqlite::params![common::NOW, b],
        )
        .unwrap();
    // Kept in the register, so in the export, marked in the last column.
    let (out, err) = run(&r, &["export", "contacts"]);
    let (headers, rows) = parse_csv(out.as_bytes(), b',');
    assert_eq!(headers.last().map(String::as_str), Some("restricted"));
    let marks: Vec<(&str, &str)> = rows
        .iter()
        .map(|row| (row[0].as_str(), row[19].as_str()))
        .collect();
    let (a, b, c) = (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        marks,
        [
            (a.as_str(), "false"),
            (b.as_str(), "true"),
            (c.as_str(), "false")
        ]
    );
    assert!(err.contains("1 of them restricted"), "{err}");
    let v = json(&r, &["export", "contacts"]);
    let restricted: Vec<bool> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["restricted"].as_bool().unwrap())
        .collect();
    assert_eq!(restricted, [false, true, false]);

    // --for-use: not there at all.
    let (out, err) = run(&r, &["export", "contacts", "--for-use"]);
    let (_, rows) = parse_csv(out.as_bytes(), b',');
    let ids: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(ids, [a.as_str(), c.as_str()]);
    assert!(!out.contains(&format!("\n{b},")), "{out}");
    assert!(err.contains("left out 1 restricted"), "{err}");
    let v = json(&r, &["export", "contacts", "--for-use"]);
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["restricted"] == false));

    // The old flag still runs and means the default; it cannot be mixed with --for-use.
    assert_eq!(
        r.ok(&["export", "contacts", "--include-restricted"]),
        out_all(&r)
    );
    r.fails(
        &["export", "contacts", "--for-use", "--include-restricted"],
        2,
    );

    // Each event names exactly the contacts its file holds.
    let ids: Vec<String> = r
        .sql()
        .prepare("SELECT object_ids FROM audit_events WHERE action = 'export.contacts' ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids[0], format!("contact:{a}-{c}"));
    assert_eq!(ids[2], format!("contact:{a},{c}"));
    let details = audit_details(&r, "export.contacts");
    assert_eq!(
        details[..4],
        [
            "count=3,restricted=1",
            "count=3,restricted=1",
            "count=2,for_use,left_out=1",
            "count=2,for_use,left_out=1"
        ]
    );
}

fn out_all(r: &Reg) -> String {
    r.ok(&["export", "contacts"])
}

#[test]
fn an_export_file_imports_into_another_register() {
    let r = Reg::new();
    people(&r);
    let file = r.dir.path().join("all.csv");
    r.ok(&["export", "contacts", "--output", common::path_str(&file)]);
    let other = Reg::new();
    other.ok(&["contact", "import", common::path_str(&file)]);
    assert_eq!(other.count("contacts"), 3);
    assert_eq!(
        other.ok(&["export", "contacts"]),
        r.ok(&["export", "contacts"])
    );
}

#[test]
fn export_of_an_empty_register_is_just_the_header() {
    let r = Reg::new();
    let out = r.ok(&["export", "contacts"]);
    assert_eq!(out, format!("{}\n", EXPORT_COLUMNS.join(",")));
    assert_eq!(json(&r, &["export", "contacts"]), serde_json::json!([]));
}

// ---- audit --------------------------------------------------------------------------------

fn audit_count(r: &Reg, action: &str) -> i64 {
    r.sql()
        .query_row(
            "SELECT count(*) FROM audit_events WHERE action = ?1",
            [action],
            |row| row.get(0),
        )
        .unwrap()
}

fn audit_details(r: &Reg, action: &str) -> Vec<String> {
    r.sql()
        .prepare("SELECT detail FROM audit_events WHERE action = ?1 ORDER BY id")
        .unwrap()
        .query_map([action], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn every_command_is_audited_without_personal_values() {
    let r = Reg::new();
    let (a, b, _) = people(&r);
    let (a, b) = (a.to_string(), b.to_string());
    r.ok(&["contact", "list", "--search", "Öhman"]);
    r.ok(&["contact", "show", "ammä@example.fi"]);
    r.ok(&[
        "contact",
        "edit",
        &a,
        "--city",
        "Äänekoski",
        "--position",
        "Toimitusjohtaja",
    ]);
    r.ok(&["contact", "end", &a, "--date", "2026-06-01"]);
    r.ok(&[
        "contact",
        "log",
        &a,
        "--channel",
        "email",
        "--summary",
        "Salainen asia",
        "--feedback",
    ]);
    r.ok(&[
        "contact",
        "course",
        &b,
        "--course",
        "Kurssi Ö",
        "--completed",
        "2026-01-01",
        "--grade",
        "kiitettävä",
    ]);
    r.ok(&[
        "contact", "purchase", &a, "--item", "Tuote Å", "--amount", "99,90",
    ]);
    r.ok(&["contact", "tag", &a, "--add", "velallinen"]);
    r.ok(&["contact", "hold", &a, "--reason", "Perintäriita"]);
    r.ok(&["contact", "release", &a]);
    r.ok(&["export", "contacts"]);

    let conn = r.sql();
    let mut st = conn
        .prepare("SELECT action, object_ids, detail, operator FROM audit_events ORDER BY id")
        .unwrap();
    let events: Vec<(String, String, String, String)> = st
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    for action in [
        "contact.list",
        "contact.show",
        "contact.edit",
        "contact.end",
        "contact.log",
        "contact.course",
        "contact.purchase",
        "contact.tag",
        "contact.hold",
        "contact.release",
        "export.contacts",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    assert!(events.iter().all(|e| e.3 == "tester"));
    let edit = events.iter().find(|e| e.0 == "contact.edit").unwrap();
    assert_eq!(edit.1, format!("contact:{a}"));
    assert_eq!(edit.2, "fields=position,city");
    assert_eq!(
        events.iter().find(|e| e.0 == "contact.list").unwrap().2,
        "count=1"
    );
    assert_eq!(
        events.iter().find(|e| e.0 == "export.contacts").unwrap().2,
        "count=3,restricted=0"
    );

    let everything: String = events
        .iter()
        .map(|e| format!("{} {} {}\n", e.0, e.1, e.2))
        .collect::<String>()
        .to_lowercase();
    for personal in [
        "ammä",
        "example.fi",
        "firma",
        "ämmä",
        "öhman",
        "bertta",
        "aalto",
        "äänekoski",
        "toimitusjohtaja",
        "salainen",
        "kurssi ö",
        "kiitettävä",
        "tuote",
        "99",
        "velallinen",
        "perintä",
        "358",
        "2026-06-01",
        "1999",
    ] {
        assert!(
            !everything.contains(personal),
            "{personal:?} in the audit trail:\n{everything}"
        );
    }
}

#[test]
fn list_sorts_last_names_in_finnish_order() {
    let r = Reg::new();
    for (i, last) in [
        "Öhman",
        "ahonen",
        "Åberg",
        "Ärölä",
        "Zetterberg",
        "Björklund",
    ]
    .iter()
    .enumerate()
    {
        r.add(&format!("p{i}@example.fi"), &["--last-name", last]);
    }
    let out = r.ok(&["--format", "csv", "contact", "list"]);
    let names: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or("").trim())
        .collect();
    assert_eq!(
        names,
        [
            "ahonen",
            "Björklund",
            "Zetterberg",
            "Åberg",
            "Ärölä",
            "Öhman"
        ]
    );
}

#[test]
fn listing_and_export_name_the_disclosed_contacts_in_the_audit_trail() {
    let r = Reg::new();
    let a = r.add("a@example.fi", &["--last-name", "Aalto"]);
    let b = r.add("b@example.fi", &["--last-name", "Björk"]);
    let c = r.add("c@example.fi", &["--last-name", "Öhman"]);
    r.ok(&["contact", "list", "--search", "b"]);
    r.ok(&["export", "contacts"]);
    let objects: Vec<String> = r
        .sql()
        .prepare("SELECT object_ids FROM audit_events WHERE action IN ('contact.list', 'export.contacts') ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        objects,
        [format!("contact:{b}"), format!("contact:{a}-{c}")]
    );
}

#[test]
fn history_dates_follow_the_contact_date_rule() {
    let r = Reg::new();
    let id = r.add("a@example.fi", &[]).to_string();
    for args in [
        vec!["contact", "end", &id, "--date", "1800-01-01"],
        vec![
            "contact",
            "log",
            &id,
            "--channel",
            "email",
            "--summary",
            "x",
            "--date",
            "1899-12-31",
        ],
        vec![
            "contact",
            "purchase",
            &id,
            "--item",
            "x",
            "--date",
            "2026-11-24",
        ],
    ] {
        let err = r.fails(&args, 2);
        assert!(err.contains("from 1900-01-01 to today"), "{args:?}: {err}");
    }
}
