//! `rekisteri contact import`: CSV in, all rows or none.

mod common;

use common::{path_str, Reg};

const ALL: &str = "id,first_name,last_name,email,phone,company,business_id,position,street,postal_code,city,customer_number,birth_date,category,source,started,ended,last_contact,notes\n";

/// Runs an import of `csv` (written to a file) with extra flags; returns (code, stdout, stderr).
fn import(r: &Reg, csv: impl AsRef<[u8]>, extra: &[&str]) -> (i32, String, String) {
    let f = r.file("in.csv", csv);
    let mut args = vec!["contact", "import", path_str(&f)];
    args.extend_from_slice(extra);
    let out = r.cmd().args(&args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn field(r: &Reg, email: &str, column: &str) -> Option<String> {
    r.sql()
        .query_row(
            &format!("SELECT {column} FROM contacts WHERE email = ?1"),
            [email],
            |row| row.get(0),
        )
        .expect("contact")
}

fn last_audit(r: &Reg) -> (String, String, String) {
    r.sql()
        .query_row(
            "SELECT action, object_ids, detail FROM audit_events ORDER BY id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("audit event")
}

#[test]
fn all_columns_are_imported_and_normalised() {
    let r = Reg::new();
    let csv = format!(
        "{ALL}\
         17,Matti,Meikäläinen,Matti.M@Example.FI,040 123 4567,Esimerkki Oy,0154088-5,toimitusjohtaja,Kauppakatu 1,00100,Helsinki,A123,,customer,public,2020-01-02,2024-05-06,2024-05-01,\"Toivoo soittoa, ei sähköpostia\"\n\
         18,Aino,Öhman,aino@example.fi,+358 50 765 4321,,,,,,,,2001-02-03,student,,2023-09-01,,,\n"
    );
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added 2, updated 0, skipped 0"), "{err}");
    assert_eq!(r.count("contacts"), 2);
    let m = "matti.m@example.fi";
    assert_eq!(field(&r, m, "phone").as_deref(), Some("+358401234567"));
    assert_eq!(field(&r, m, "last_name").as_deref(), Some("Meikäläinen"));
    assert_eq!(field(&r, m, "business_id").as_deref(), Some("0154088-5"));
    assert_eq!(field(&r, m, "source").as_deref(), Some("public"));
    assert_eq!(field(&r, m, "ended").as_deref(), Some("2024-05-06"));
    assert_eq!(
        field(&r, m, "notes").as_deref(),
        Some("Toivoo soittoa, ei sähköpostia")
    );
    let a = "aino@example.fi";
    assert_eq!(field(&r, a, "birth_date").as_deref(), Some("2001-02-03"));
    assert_eq!(field(&r, a, "category").as_deref(), Some("student"));
    assert_eq!(field(&r, a, "source").as_deref(), Some("import"));
    // The `id` column is ignored: ids are the register's own.
    let ids: Vec<i64> = r
        .sql()
        .prepare("SELECT id FROM contacts ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, [1, 2]);
    // The e-mail index is back after the bulk path.
    let idx: i64 = r
        .sql()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'contacts_email'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(idx, 1);
    let (action, ids, detail) = last_audit(&r);
    assert_eq!(action, "contact.import");
    assert_eq!(ids, "contact:1-2");
    assert_eq!(
        detail,
        "rows=2 new=2 updated=0 skipped=0 on_duplicate=fail suppressed=0 returning=0"
    );
    let trail: String = r
        .sql()
        .query_row(
            "SELECT group_concat(object_ids || detail, ' ') FROM audit_events",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(!trail.contains('@') && !trail.contains("Matti"), "{trail}");
}

#[test]
fn a_subset_of_columns_in_any_order() {
    let r = Reg::new();
    let (code, _, err) = import(
        &r,
        "city,EMAIL,last_name\nTampere,a@b.fi,Virtanen\n,c@d.fi,\n",
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(r.count("contacts"), 2);
    assert_eq!(field(&r, "a@b.fi", "city").as_deref(), Some("Tampere"));
    assert_eq!(
        field(&r, "a@b.fi", "last_name").as_deref(),
        Some("Virtanen")
    );
    assert_eq!(field(&r, "c@d.fi", "city"), None);
    assert_eq!(field(&r, "c@d.fi", "category").as_deref(), Some("customer"));
    assert_eq!(field(&r, "c@d.fi", "source").as_deref(), Some("import"));
}

#[test]
fn finnish_excel_semicolons_bom_and_crlf() {
    let r = Reg::new();
    let mut csv = b"\xEF\xBB\xBF".to_vec();
    csv.extend_from_slice(
        "first_name;last_name;email;city;notes\r\n\
         Äini;Åberg;aini@example.fi;Jyväskylä;\"Sanoi: \"\"ei nyt\"\"; palaa Q3\"\r\n\
         Sören;Öhman;soren@example.fi;Äänekoski;\r\n"
            .as_bytes(),
    );
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r.count("contacts"), 2);
    assert_eq!(
        field(&r, "aini@example.fi", "first_name").as_deref(),
        Some("Äini")
    );
    assert_eq!(
        field(&r, "aini@example.fi", "notes").as_deref(),
        Some("Sanoi: \"ei nyt\"; palaa Q3")
    );
    assert_eq!(
        field(&r, "soren@example.fi", "city").as_deref(),
        Some("Äänekoski")
    );
    assert_eq!(
        field(&r, "soren@example.fi", "last_name").as_deref(),
        Some("Öhman")
    );
}

#[test]
fn an_unknown_column_is_named() {
    let r = Reg::new();
    r.add("x@y.fi", &[]);
    let (code, _, err) = import(&r, "email;sähköposti;city\na@b.fi;a@b.fi;Oulu\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("line 1, column 2: unknown column \"sähköposti\""),
        "{err}"
    );
    assert!(err.contains("accepted columns: id, first_name"), "{err}");
    assert_eq!(r.count("contacts"), 1);

    let (code, _, err) = import(&r, "first_name\nMatti\n", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no column \"email\""), "{err}");
}

#[test]
fn every_invalid_row_is_reported_and_nothing_is_imported() {
    let r = Reg::new();
    r.add("x@y.fi", &[]);
    let csv = "email,phone,business_id,started,ended,category\n\
               ok@example.fi,040 123 4567,,2020-01-01,,\n\
               not-an-email,,,,,\n\
               b@example.fi,12,1234567-2,2020-13-01,,vip\n\
               c@example.fi,,,2021-01-01,2020-01-01,\n\
               ,,,,,\n\
               d@example.fi,,\n";
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 2, "{err}");
    for expected in [
        "line 3, column 1 (email): invalid value \"not-an-email\": expected an e-mail address",
        "line 4, column 2 (phone): invalid value \"12\"",
        "line 4, column 3 (business_id): invalid value \"1234567-2\": the check digit does not match",
        "line 4, column 4 (started): invalid value \"2020-13-01\": expected an ISO 8601 date",
        "line 4, column 6 (category): invalid value \"vip\": expected customer, prospect or student",
        "line 5, column 5 (ended): invalid value \"2020-01-01\": expected a date on or after the start date 2021-01-01",
        "line 6, column 1 (email): invalid value \"\": an e-mail address is required",
        "line 7: the row has 3 fields but the header has 6",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert!(
        err.contains("error: 8 problems in 5 of 6 rows; nothing was imported"),
        "{err}"
    );
    assert_eq!(r.count("contacts"), 1);
    assert_eq!(last_audit(&r).0, "contact.add");

    // Into an empty register (the bulk path) the same rows are refused the same way.
    let fresh = Reg::new();
    let (code, _, err2) = import(&fresh, csv, &[]);
    assert_eq!(code, 2);
    assert_eq!(err2.lines().filter(|l| l.starts_with("line ")).count(), 8);
    assert_eq!(fresh.count("contacts"), 0);
}

#[test]
fn every_problem_is_printed_in_column_order_with_the_total_at_the_end() {
    let r = Reg::new();
    let mut csv = String::from("category,email,notes\n");
    for i in 0..250 {
        csv.push_str(&format!(",bad{i},\n"));
    }
    // Column order within a row, whatever order the rules run in.
    csv.push_str("vip,worse,\n");
    let (code, _, err) = import(&r, &csv, &[]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("created a new register"))
        .collect();
    assert_eq!(lines.iter().filter(|l| l.starts_with("line ")).count(), 252);
    assert!(!err.contains("more"), "{err}");
    assert!(lines[0].starts_with("line 2, column 2 (email): invalid value \"bad0\""));
    assert!(lines[249].starts_with("line 251, column 2 (email): invalid value \"bad249\""));
    assert!(
        lines[250].starts_with("line 252, column 1 (category)"),
        "{err}"
    );
    assert!(
        lines[251].starts_with("line 252, column 2 (email)"),
        "{err}"
    );
    assert_eq!(
        lines.last().copied(),
        Some("error: 252 problems in 251 rows; nothing was imported")
    );
    assert_eq!(lines.len(), 253, "{err}");
}

#[test]
fn a_long_value_is_echoed_shortened_with_its_length() {
    let r = Reg::new();
    let notes = "ä".repeat(12_345);
    let (code, _, err) = import(&r, format!("email,notes\na@b.fi,{notes}\n"), &[]);
    assert_eq!(code, 2, "{err}");
    let shown = format!("invalid value \"{}…(12,345 characters)\"", "ä".repeat(80));
    assert!(err.contains(&shown), "{err}");
    assert!(err.len() < 1000, "{err}");
}

#[test]
fn contact_dates_must_be_from_1900_to_today() {
    let r = Reg::new();
    let csv = "email,category,birth_date,started,ended,last_contact\n\
               a@b.fi,student,1899-12-31,0000-01-01,2026-11-24,2030-01-01\n\
               c@d.fi,student,1900-01-01,1900-01-01,2026-11-23,2026-11-23\n";
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 2, "{err}");
    let accepted = "expected a date from 1900-01-01 to today (2026-11-23)";
    for (col, field, value) in [
        (3, "birth_date", "1899-12-31"),
        (4, "started", "0000-01-01"),
        (5, "ended", "2026-11-24"),
        (6, "last_contact", "2030-01-01"),
    ] {
        let line = format!("line 2, column {col} ({field}): invalid value \"{value}\": {accepted}");
        assert!(err.contains(&line), "missing {line:?} in\n{err}");
    }
    assert!(err.contains("4 problems in 1 of 2 rows"), "{err}");
    assert_eq!(r.count("contacts"), 0);

    // The same rule on the contact an update makes.
    r.add("x@y.fi", &[]);
    let (code, _, err) = import(
        &r,
        "email,last_contact\nx@y.fi,2030-01-01\n",
        &["--on-duplicate", "update"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 2, column 2 (last_contact)"), "{err}");
    assert_eq!(field(&r, "x@y.fi", "last_contact"), None);
}

#[test]
fn messages_are_singular_or_plural_as_the_count_is() {
    let r = Reg::new();
    let (code, _, err) = import(&r, "email\nbad\n", &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error: 1 problem in 1 row; nothing was imported"),
        "{err}"
    );
    let (code, _, err) = import(&r, "email\nbad\nok@b.fi\n", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("1 problem in 1 of 2 rows;"), "{err}");

    let (code, out, err) = import(&r, "email\na@b.fi\n", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dry run: 1 row read, all valid"), "{out}");
    assert!(out.contains("1 new contact would be added"), "{out}");
    assert!(
        out.contains("would add 1, update 0, skip 0; nothing was written"),
        "{out}"
    );

    r.add("old@b.fi", &[]);
    let (code, out, err) = import(
        &r,
        "email\nold@b.fi\n",
        &["--dry-run", "--on-duplicate", "skip"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("0 new contacts would be added"), "{out}");
    assert!(
        out.contains(
            "1 duplicate (1 already in the register, 0 repeated in the file) would be skipped"
        ),
        "{out}"
    );

    let (code, _, err) = import(&r, "email\na@b.fi\n", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added 1, updated 0, skipped 0"), "{err}");
    assert!(!err.contains("imported"), "{err}");
}

#[test]
fn an_excel_sep_line_gives_the_delimiter_and_still_counts_as_a_line() {
    for (fresh, bom) in [(true, true), (false, false)] {
        let r = Reg::new();
        if !fresh {
            r.add("x@y.fi", &[]);
        }
        let mut csv = if bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        // The header alone would look comma-separated; the hint says otherwise.
        csv.extend_from_slice(
            "sep=;\r\nemail;notes\r\na@b.fi;Kyllä, kiitos\r\nbad;\r\n".as_bytes(),
        );
        let (code, _, err) = import(&r, &csv, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("line 4, column 1 (email): invalid value \"bad\""),
            "{err}"
        );
        let ok = &csv[..csv.len() - "bad;\r\n".len()];
        let (code, _, err) = import(&r, ok, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            field(&r, "a@b.fi", "notes").as_deref(),
            Some("Kyllä, kiitos")
        );
    }
    let r = Reg::new();
    let (code, _, err) = import(&r, "sep=,\nemail,city\na@b.fi,Oulu\n", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(field(&r, "a@b.fi", "city").as_deref(), Some("Oulu"));
    let (code, _, err) = import(&r, "sep=#\nemail#city\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 1") && err.contains("sep=#"), "{err}");
}

#[test]
fn invalid_rows_and_duplicates_are_both_told() {
    let csv = "email,phone\n\
               a@b.fi,\n\
               bad,\n\
               A@B.fi,\n\
               c@d.fi,12\n\
               c@d.fi,\n\
               a@b.fi,\n";
    // Into an empty register (the bulk path) and into one with contacts (row by row).
    for fresh in [true, false] {
        let r = Reg::new();
        if !fresh {
            r.add("x@y.fi", &[]);
        }
        let (code, _, err) = import(&r, csv, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("line 3, column 1 (email)"), "{err}");
        assert!(err.contains("line 5, column 2 (phone)"), "{err}");
        let last = err.lines().last().unwrap_or_default();
        assert!(
            last.contains("2 problems in 2 of 6 rows")
                && last.contains("also 2 rows have an e-mail on an earlier row of the file")
                && last.contains("nothing was imported"),
            "{err}"
        );
    }
}

#[test]
fn duplicates_fail_by_default_naming_the_lines() {
    let r = Reg::new();
    let old = r.add("old@example.fi", &["--first-name", "Vanha"]);
    let csv = "email,first_name\n\
               new@example.fi,Uusi\n\
               OLD@example.fi,Vanha2\n\
               again@example.fi,A\n\
               New@Example.fi,Toinen\n";
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "line 3: the e-mail is already in the register (contact {old})"
        )),
        "{err}"
    );
    assert!(
        err.contains("line 5: the same e-mail as an earlier row"),
        "{err}"
    );
    assert!(err.contains("--on-duplicate skip"), "{err}");
    assert_eq!(r.count("contacts"), 1);

    // Repeated within the file, into an empty register: both lines are named.
    let fresh = Reg::new();
    let (code, _, err) = import(
        &fresh,
        "email,notes\na@b.fi,\"two\nlines\"\nb@b.fi,\nA@B.FI,\nb@b.fi,\n",
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("line 5: the same e-mail as line 2"), "{err}");
    assert!(err.contains("line 6: the same e-mail as line 4"), "{err}");
    assert_eq!(fresh.count("contacts"), 0);
    assert!(!fresh.db.exists() || fresh.count("audit_events") == 1);
}

#[test]
fn duplicates_can_be_skipped() {
    let r = Reg::new();
    r.add("old@example.fi", &["--first-name", "Vanha"]);
    let csv = "email,first_name\n\
               new@example.fi,Uusi\n\
               OLD@example.fi,Muutettu\n\
               new@example.fi,Toinen\n";
    let (code, _, err) = import(&r, csv, &["--on-duplicate", "skip"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added 1, updated 0, skipped 2"), "{err}");
    assert_eq!(r.count("contacts"), 2);
    assert_eq!(
        field(&r, "old@example.fi", "first_name").as_deref(),
        Some("Vanha")
    );
    assert_eq!(
        field(&r, "new@example.fi", "first_name").as_deref(),
        Some("Uusi")
    );
    assert_eq!(
        last_audit(&r).2,
        "rows=3 new=1 updated=0 skipped=2 on_duplicate=skip suppressed=0 returning=0"
    );

    // Into an empty register the bulk path finds the repeat and starts over row by row.
    let fresh = Reg::new();
    let (code, _, err) = import(
        &fresh,
        "email,first_name\na@b.fi,Eka\nb@b.fi,\nA@b.fi,Toka\n",
        &["--on-duplicate", "skip"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(fresh.count("contacts"), 2);
    assert_eq!(
        field(&fresh, "a@b.fi", "first_name").as_deref(),
        Some("Eka")
    );
    assert_eq!(last_audit(&fresh).1, "contact:1-2");
}

#[test]
fn duplicates_can_update_with_the_non_empty_columns() {
    let r = Reg::new();
    r.add(
        "old@example.fi",
        &[
            "--first-name",
            "Vanha",
            "--city",
            "Oulu",
            "--category",
            "student",
            "--birth-date",
            "2000-01-01",
            "--source",
            "public",
        ],
    );
    let csv = "email,first_name,city,phone,category,source\n\
               old@example.fi,,Jyväskylä,040 111 2222,,\n\
               new@example.fi,Uusi,,,,\n\
               NEW@example.fi,,Åbo,,,\n";
    let (code, _, err) = import(&r, csv, &["--on-duplicate", "update"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added 1, updated 2, skipped 0"), "{err}");
    assert_eq!(r.count("contacts"), 2);
    let o = "old@example.fi";
    assert_eq!(field(&r, o, "first_name").as_deref(), Some("Vanha"));
    assert_eq!(field(&r, o, "city").as_deref(), Some("Jyväskylä"));
    assert_eq!(field(&r, o, "phone").as_deref(), Some("+358401112222"));
    assert_eq!(field(&r, o, "category").as_deref(), Some("student"));
    assert_eq!(field(&r, o, "source").as_deref(), Some("public"));
    assert_eq!(field(&r, o, "birth_date").as_deref(), Some("2000-01-01"));
    assert_eq!(field(&r, o, "updated_at").as_deref(), Some(common::NOW));
    let n = "new@example.fi";
    assert_eq!(field(&r, n, "first_name").as_deref(), Some("Uusi"));
    assert_eq!(field(&r, n, "city").as_deref(), Some("Åbo"));

    // An update is checked as the contact it makes: a birth date is kept for students only.
    let (code, _, err) = import(
        &r,
        "email,category\nold@example.fi,customer\n",
        &["--on-duplicate", "update"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("line 2, birth_date (the stored value): invalid value \"2000-01-01\""),
        "{err}"
    );
    assert_eq!(field(&r, o, "category").as_deref(), Some("student"));
    // ... and a row that only makes sense as an update is fine as one.
    let (code, _, err) = import(
        &r,
        "email,birth_date\nold@example.fi,1999-12-31\n",
        &["--on-duplicate", "update"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(field(&r, o, "birth_date").as_deref(), Some("1999-12-31"));
}

#[test]
fn the_audit_event_names_the_updated_contacts_too() {
    let r = Reg::new();
    for e in ["a@b.fi", "b@b.fi", "c@b.fi", "d@b.fi", "e@b.fi"] {
        r.add(e, &[]);
    }
    let csv = "email,city\n\
               c@b.fi,Oulu\n\
               new1@b.fi,\n\
               a@b.fi,Turku\n\
               e@b.fi,Vaasa\n\
               new2@b.fi,\n\
               NEW1@b.fi,Pori\n";
    let (code, _, err) = import(&r, csv, &["--on-duplicate", "update"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added 2, updated 4, skipped 0"), "{err}");
    let (action, ids, detail) = last_audit(&r);
    assert_eq!(action, "contact.import");
    assert_eq!(ids, "contact:1,3,5-7");
    assert_eq!(
        detail,
        "rows=6 new=2 updated=4 skipped=0 on_duplicate=update suppressed=0 returning=0"
    );

    // Only updates.
    let (code, _, err) = import(
        &r,
        "email,city\nb@b.fi,Oulu\n",
        &["--on-duplicate", "update"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(last_audit(&r).1, "contact:2");
}

#[test]
fn dry_run_says_what_would_happen_and_writes_nothing() {
    let r = Reg::new();
    r.add("old@example.fi", &[]);
    let audit_before = r.count("audit_events");
    let csv = "email\nnew@example.fi\nold@example.fi\nnew@example.fi\nthird@example.fi\n";
    let (code, out, err) = import(&r, csv, &["--dry-run", "--on-duplicate", "skip"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 new contacts would be added"), "{out}");
    assert!(
        out.contains(
            "2 duplicates (1 already in the register, 1 repeated in the file) would be skipped"
        ),
        "{out}"
    );
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(r.count("contacts"), 1);
    assert_eq!(r.count("audit_events"), audit_before);

    // Default mode: the dry run fails as the import would, and still writes nothing.
    let (code, _, err) = import(&r, csv, &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("(dry run)"), "{err}");
    assert_eq!(r.count("contacts"), 1);

    // Into an empty register too.
    let fresh = Reg::new();
    let (code, out, err) = import(&fresh, "email\na@b.fi\nc@d.fi\n", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 new contacts would be added"), "{out}");
    assert_eq!(fresh.count("contacts"), 0);
}

#[test]
fn reads_standard_input() {
    let r = Reg::new();
    let out = r
        .cmd()
        .args(["contact", "import", "-"])
        .write_stdin("email;city\nmatti@example.fi;Hämeenlinna\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", out);
    assert_eq!(
        field(&r, "matti@example.fi", "city").as_deref(),
        Some("Hämeenlinna")
    );

    // Repeats on standard input with skip: the row-by-row path from the start.
    let fresh = Reg::new();
    let out = fresh
        .cmd()
        .args(["contact", "import", "-", "--on-duplicate", "skip"])
        .write_stdin("email\na@b.fi\na@b.fi\nb@b.fi\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("added 2, updated 0, skipped 1"));
    assert_eq!(fresh.count("contacts"), 2);
}

#[test]
fn quoted_fields_hold_newlines_and_delimiters_and_lines_stay_right() {
    let r = Reg::new();
    let csv = "email;notes;city\n\
               a@b.fi;\"first line\nsecond; with a semicolon\";Oulu\n\
               c@d.fi;\"x, y\";Turku\n\
               bad;;\n";
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("line 5, column 1 (email)"), "{err}");
    let (code, _, err) = import(&r, &csv[..csv.len() - "bad;;\n".len()], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        field(&r, "a@b.fi", "notes").as_deref(),
        Some("first line\nsecond; with a semicolon")
    );
    assert_eq!(field(&r, "c@d.fi", "notes").as_deref(), Some("x, y"));
}

#[test]
fn lines_are_counted_right_with_crlf_and_blank_lines() {
    // Excel: CRLF between rows, LF inside a cell.
    let csv = "email;notes\r\n\
               ok@b.fi;\"two\nlines\"\r\n\
               \r\n\
               bad1;\r\n\
               \n\
               bad2;x\r\n\
               fine@b.fi;last\r\n";
    for fresh in [true, false] {
        let r = Reg::new();
        if !fresh {
            r.add("x@y.fi", &[]);
        }
        let (code, _, err) = import(&r, csv, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("line 5, column 1 (email): invalid value \"bad1\""),
            "{err}"
        );
        assert!(
            err.contains("line 7, column 1 (email): invalid value \"bad2\""),
            "{err}"
        );
        assert!(err.contains("2 problems in 2 of 4 rows"), "{err}");
        let ok = csv.replace("bad1", "b1@b.fi").replace("bad2", "b2@b.fi");
        let (code, _, err) = import(&r, &ok, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(field(&r, "fine@b.fi", "notes").as_deref(), Some("last"));
        assert_eq!(field(&r, "ok@b.fi", "notes").as_deref(), Some("two\nlines"));
        // A repeat found when the e-mail index is built is named by its line too.
        let (code, _, err) = import(&Reg::new(), format!("{ok}\r\nOK@b.fi;\r\n"), &[]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("line 10: the same e-mail as line 2"), "{err}");
    }
}

#[test]
fn an_empty_file_is_refused_and_a_header_alone_imports_nothing() {
    let r = Reg::new();
    let (code, _, err) = import(&r, "", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("the file is empty"), "{err}");
    let (code, _, err) = import(&r, "\u{feff}email;first_name\r\n", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added 0, updated 0, skipped 0"), "{err}");
    assert_eq!(r.count("contacts"), 0);
}

#[test]
fn bytes_that_are_not_utf8_are_named_by_line() {
    let r = Reg::new();
    // "Mäkinen" as Latin-1, as an old Excel might save it.
    let csv = b"email,last_name\na@b.fi,Virtanen\nc@d.fi,M\xe4kinen\n".to_vec();
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("line 3, column 2 (last_name): not valid UTF-8"),
        "{err}"
    );
    assert_eq!(r.count("contacts"), 0);
    let (code, _, err) = import(&r, b"e\xe4mail\nx\n", &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("line 1: the header row is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn a_quote_left_open_does_not_swallow_the_file() {
    let r = Reg::new();
    let mut csv = String::from("email,notes\na@b.fi,\"never closed\n");
    let filler = "x".repeat(1000);
    for _ in 0..2000 {
        csv.push_str(&filler);
        csv.push('\n');
    }
    let (code, _, err) = import(&r, csv, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 2: a row runs on"), "{err}");
}

#[test]
fn a_missing_file_is_an_error_and_creates_no_register() {
    let r = Reg::bare();
    let err = r.fails(&["contact", "import", "/nonexistent/x.csv"], 1);
    assert!(err.contains("cannot read /nonexistent/x.csv"), "{err}");
    assert!(!r.db.exists());
}

#[test]
fn a_file_without_line_breaks_is_not_read_into_memory() {
    let r = Reg::new();
    let (code, _, err) = import(&r, "x".repeat(3 << 20), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 1: the header row runs on"), "{err}");
}

#[test]
fn a_repeat_that_only_works_as_an_update_into_an_empty_register() {
    // The bulk path cannot tell that the second row updates the first; it gives way to
    // the row-by-row path, which can.
    let r = Reg::new();
    let (code, _, err) = import(
        &r,
        "email,category,birth_date\na@b.fi,student,2000-01-01\nA@b.fi,,2001-02-03\n",
        &["--on-duplicate", "update"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added 1, updated 1, skipped 0"), "{err}");
    assert_eq!(r.count("contacts"), 1);
    assert_eq!(
        field(&r, "a@b.fi", "birth_date").as_deref(),
        Some("2001-02-03")
    );
    assert_eq!(field(&r, "a@b.fi", "category").as_deref(), Some("student"));
}

#[test]
fn problems_are_printed_once_when_the_bulk_path_gives_way() {
    let r = Reg::new();
    let (code, _, err) = import(
        &r,
        "email,birth_date\nbad,\na@b.fi,1990-01-01\nc@d.fi,\n",
        &["--on-duplicate", "update"],
    );
    assert_eq!(code, 2, "{err}");
    let shown: Vec<&str> = err.lines().filter(|l| l.starts_with("line ")).collect();
    assert_eq!(shown.len(), 2, "{err}");
    assert!(shown[0].starts_with("line 2, column 1 (email)"), "{err}");
    assert!(
        shown[1].starts_with("line 3, column 2 (birth_date)"),
        "{err}"
    );
    assert!(err.contains("2 problems in 2 of 3 rows"), "{err}");
}
