//! Erasure: `contact erase`, the suppression list, and that an erased person is really gone
//! from the register file, its -wal and its -shm.

mod common;

use common::{path_str, Reg};

/// The person whose every value the residue tests look for; each value is unique in the file.
const EMAIL: &str = "qwertz.erasable@example.fi";
const PHONE: &str = "+358405550199";
const FIRST: &str = "Quintilla";
const LAST: &str = "Zyxwvutson";
const NOTES: &str = "Likes jazzophonic submarines";
const HISTORY: &str = "Phoned about the xylograph invoice";
const DETAILS: &str = "Please forget me, signed Quintilla Zyxwvutson of Kumpula";
const REQUESTER: &str = "Attorney Brumbleknot";

/// Adds the person with history, a course, a purchase, a tag, a consent, an ended hold and a
/// request naming them; returns the contact id.
fn add_person(r: &Reg) -> String {
    let id = r
        .add(
            EMAIL,
            &[
                "--first-name",
                FIRST,
                "--last-name",
                LAST,
                "--phone",
                PHONE,
                "--notes",
                NOTES,
                "--category",
                "student",
            ],
        )
        .to_string();
    r.ok(&[
        "contact",
        "log",
        &id,
        "--channel",
        "phone",
        "--summary",
        HISTORY,
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
    ]);
    r.ok(&[
        "contact",
        "purchase",
        &id,
        "--item",
        "Kurssimaksu",
        "--amount",
        "120,50",
        "--date",
        "2026-09-30",
    ]);
    r.ok(&["contact", "tag", &id, "--add", "kurssi"]);
    r.ok(&[
        "consent",
        "grant",
        &id,
        "--purpose",
        "newsletter",
        "--evidence",
        "signup form",
    ]);
    r.ok(&["contact", "hold", &id, "--reason", "audit 2026"]);
    r.ok(&["contact", "release", &id]);
    // An erasure request of theirs, still open: its free text is personal data too.
    r.ok(&[
        "request",
        "open",
        "--type",
        "erasure",
        "--subject",
        &id,
        "--received",
        "2026-11-20",
        "--requester",
        REQUESTER,
        "--details",
        DETAILS,
    ]);
    id
}

/// Other people around the person, so their rows share pages with others'.
fn add_others(r: &Reg, n: usize) {
    let mut csv = String::from("email,first_name,last_name,notes\n");
    for i in 0..n {
        csv.push_str(&format!(
            "other{i}@example.fi,Other{i},Person{i},{}\n",
            "some longer notes to fill the pages ".repeat(i % 7 + 1)
        ));
    }
    let f = r.file("others.csv", csv);
    r.ok(&["contact", "import", path_str(&f)]);
}

/// The bytes of the register file, its -wal and its -shm, together.
fn file_bytes(r: &Reg) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = r.db.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(b) = std::fs::read(&p) {
            all.extend(b);
        }
    }
    all
}

/// Which of the person's values are somewhere in the files.
fn residue(r: &Reg) -> Vec<&'static str> {
    let bytes = file_bytes(r);
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    [
        EMAIL, PHONE, FIRST, LAST, NOTES, HISTORY, DETAILS, REQUESTER,
    ]
    .into_iter()
    .filter(|v| has(v))
    .collect()
}

const ALL_VALUES: [&str; 8] = [
    EMAIL, PHONE, FIRST, LAST, NOTES, HISTORY, DETAILS, REQUESTER,
];

fn audit_rows(r: &Reg, action: &str) -> Vec<(String, String)> {
    let c = r.sql();
    let mut st = c
        .prepare("SELECT object_ids, detail FROM audit_events WHERE action = ?1 ORDER BY id")
        .unwrap();
    st.query_map([action], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn erase_removes_the_person_and_everything_linked() {
    let r = Reg::new();
    let id = add_person(&r);
    let err = r.fails(
        &["contact", "erase", &id, "--reason", "imported by mistake"],
        0,
    );
    assert!(
        err.contains(&format!("erased contact {id}"))
            && err.contains("1 history entry")
            && err.contains("1 consent event")
            && err.contains("nothing of the person is left"),
        "{err}"
    );
    let err = r.fails(&["contact", "show", &id], 1);
    assert!(err.contains("no contact"), "{err}");
    for table in [
        "contacts",
        "contact_log",
        "courses",
        "purchases",
        "contact_tags",
        "holds",
        "consent_events",
    ] {
        assert_eq!(r.count(table), 0, "{table}");
    }
    // The request stays, for accountability, without the person's text.
    let (requester, details, contact): (Option<String>, Option<String>, Option<i64>) = r
        .sql()
        .query_row(
            "SELECT requester, details, contact_id FROM requests",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!((requester, details, contact), (None, None, None));
    // Without --suppress the address may come back at once.
    assert_eq!(r.count("suppressions"), 0);
    r.add(EMAIL, &[]);
    // Audited with ids, counts and the reason; no value of the person.
    let events = audit_rows(&r, "contact.erase");
    assert_eq!(events.len(), 1);
    let (ids, detail) = &events[0];
    assert_eq!(ids, &format!("contact:{id}"));
    assert_eq!(
        detail,
        "history=1 courses=1 purchases=1 tags=1 holds=1 consents=1 requests=1 suppressed=no \
         reason=\"imported by mistake\""
    );
}

#[test]
fn a_live_hold_refuses_the_erasure_naming_its_reason_and_last_day() {
    let r = Reg::new();
    let id = r.add(EMAIL, &[]).to_string();
    r.ok(&[
        "contact",
        "hold",
        &id,
        "--reason",
        "invoice dispute 2026/114",
        "--until",
        "2027-06-30",
    ]);
    let err = r.fails(
        &["contact", "erase", EMAIL, "--reason", "no longer needed"],
        1,
    );
    assert!(
        err.contains("legal hold")
            && err.contains("invoice dispute 2026/114")
            && err.contains("until 2027-06-30")
            && err.contains("nothing was erased"),
        "{err}"
    );
    r.ok(&["contact", "show", &id]);
    assert_eq!(audit_rows(&r, "contact.erase").len(), 0);
    // The day after its last day it no longer holds (days in the register's zone).
    r.cmd()
        .env("REKISTERI_NOW", "2027-06-30T21:30:00Z") // 2027-07-01 00:30 in Helsinki
        .args(["contact", "erase", &id, "--reason", "no longer needed"])
        .assert()
        .success();
}

#[test]
fn a_reason_that_names_the_person_is_refused_and_nothing_is_erased() {
    let r = Reg::new();
    let id = add_person(&r);
    for reason in [
        format!("asked by {EMAIL}"),
        format!("{FIRST} asked on the phone"),
        "called from 040 555 0199".to_string(),
    ] {
        let err = r.fails(&["contact", "erase", &id, "--reason", &reason], 2);
        assert!(
            err.contains("--reason") && err.contains("personal data"),
            "{err}"
        );
    }
    r.ok(&["contact", "show", &id]);
    assert_eq!(r.count("contact_log"), 1);
}

#[test]
fn contact_delete_points_to_erase_not_to_release() {
    let r = Reg::bare();
    for word in ["delete", "remove", "rm", "del"] {
        let err = r.fails(&["contact", word, "1"], 2);
        assert!(err.contains("contact erase"), "{word}: {err}");
        assert!(!err.contains("release"), "{word}: {err}");
    }
    // A guess touches no register.
    assert!(!r.db.exists());
    let help = r.ok(&["contact", "erase", "--help"]);
    assert!(help.contains("not personal data"), "{help}");
}

#[test]
fn a_suppressed_address_is_refused_on_add_and_skipped_on_import() {
    let r = Reg::new();
    let id = r.add(EMAIL, &["--first-name", FIRST]).to_string();
    r.add("stays@example.fi", &[]);
    r.ok(&[
        "contact",
        "erase",
        &id,
        "--reason",
        "no longer needed",
        "--suppress",
    ]);
    // The list holds a keyed hash, not the address.
    let key: String = r
        .sql()
        .query_row("SELECT key FROM suppressions", [], |row| row.get(0))
        .unwrap();
    assert_eq!(key.len(), 64);
    assert!(residue(&r).is_empty(), "{:?}", residue(&r));

    // Re-add, in another spelling.
    let upper = EMAIL.to_uppercase();
    let err = r.fails(&["contact", "add", "--email", &format!(" {upper} ")], 1);
    assert!(
        err.contains(
            "erased on 2026-11-23 by the controller; add --returning if the person has come back"
        ),
        "{err}"
    );
    assert_eq!(r.count("contacts"), 1);

    // Re-import: the row is skipped and counted, the others go in.
    let f = r.file(
        "again.csv",
        format!("email,first_name\nnew@example.fi,Uusi\n{upper},{FIRST}\n"),
    );
    let out = r
        .cmd()
        .args(["contact", "import", path_str(&f)])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3: skipped: erased on 2026-11-23 by the controller")
            && err.contains("added 1, updated 0, skipped 1 (1 of erased people"),
        "{err}"
    );
    assert_eq!(r.count("contacts"), 2);
    let (_, detail) = audit_rows(&r, "contact.import").pop().unwrap();
    assert!(detail.contains("suppressed=1 returning=0"), "{detail}");

    // A consent import names the erased row as such.
    let list = r.file(
        "optins.csv",
        format!("Email Address\n{EMAIL}\nnobody@example.fi\n"),
    );
    let out = r
        .cmd()
        .args([
            "consent",
            "import",
            path_str(&list),
            "--purpose",
            "newsletter",
            "--evidence",
            "Mailchimp export",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the person was erased")
            && err.contains(&format!(
                "line 2: {EMAIL} (erased on 2026-11-23 by the controller)"
            ))
            && err.contains("1 address is not in the register"),
        "{err}"
    );
    assert_eq!(r.count("consent_events"), 0);
    let (_, detail) = audit_rows(&r, "consent.import").pop().unwrap();
    assert!(
        detail.contains("unknown=1") && detail.contains("erased=1"),
        "{detail}"
    );
}

#[test]
fn the_erasure_request_is_named_in_the_refusal() {
    let r = Reg::new();
    r.ok(&["contact", "list"]);
    let secret: Vec<u8> = r
        .sql()
        .query_row("SELECT secret FROM register_secret", [], |row| row.get(0))
        .unwrap();
    r.sql()
        .execute(
            "INSERT INTO suppressions (key, erased_on, request) VALUES (?1, '2026-11-20', 'R-2026-0007')",
            [rekisteri::model::suppression::key(&secret, EMAIL)],
        )
        .unwrap();
    let err = r.fails(&["contact", "add", "--email", EMAIL], 1);
    assert!(
        err.contains("erased on 2026-11-20 by request R-2026-0007; add --returning"),
        "{err}"
    );
}

#[test]
fn returning_lifts_the_suppression_and_is_audited() {
    let r = Reg::new();
    for (email, how) in [("one@example.fi", "add"), ("two@example.fi", "import")] {
        let id = r.add(email, &[]).to_string();
        r.ok(&["contact", "erase", &id, "--reason", "mistake", "--suppress"]);
        match how {
            "add" => {
                let err = r.fails(&["contact", "add", "--email", email, "--returning"], 0);
                assert!(err.contains("off the suppression list"), "{err}");
                let (_, detail) = audit_rows(&r, "contact.add").pop().unwrap();
                assert_eq!(
                    detail,
                    "returning: suppression lifted (erased_on=2026-11-23)"
                );
            }
            _ => {
                let f = r.file("back.csv", format!("email\n{email}\n"));
                let err = r.fails(&["contact", "import", path_str(&f), "--returning"], 0);
                assert!(
                    err.contains("added 1") && err.contains("1 address off the suppression list"),
                    "{err}"
                );
                let (_, detail) = audit_rows(&r, "contact.import").pop().unwrap();
                assert!(detail.contains("suppressed=0 returning=1"), "{detail}");
            }
        }
        assert_eq!(r.count("suppressions"), 0, "{how}");
    }
    assert_eq!(r.count("contacts"), 2);
}

#[test]
fn residue_nothing_of_the_person_is_left_in_the_file_wal_or_shm() {
    let r = Reg::new();
    add_others(&r, 40);
    let id = add_person(&r);
    add_others_after(&r);
    // An idle connection keeps the -wal and -shm in place between commands (the last one
    // to close would remove them), so they are read as another program would see them.
    let keep = r.sql();
    keep.query_row("SELECT count(*) FROM contacts", [], |row| {
        row.get::<_, i64>(0)
    })
    .unwrap();
    r.ok(&[
        "contact",
        "log",
        &id,
        "--channel",
        "email",
        "--summary",
        "follow-up",
    ]);
    assert_eq!(
        residue(&r),
        ALL_VALUES.to_vec(),
        "present before the erasure"
    );
    r.ok(&[
        "contact",
        "erase",
        EMAIL,
        "--reason",
        "data no longer needed",
        "--suppress",
    ]);
    assert_eq!(residue(&r), Vec::<&str>::new());
    // The others are intact.
    assert_eq!(r.count("contacts"), 60);
    drop(keep);
}

fn add_others_after(r: &Reg) {
    let mut csv = String::from("email,notes\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "later{i}@example.fi,{}\n",
            "x".repeat(300 + i * 50)
        ));
    }
    let f = r.file("later.csv", csv);
    r.ok(&["contact", "import", path_str(&f)]);
}

/// A reader holding a snapshot keeps the checkpoint from emptying the -wal: the erasure says
/// so and exits 1; once the reader is gone, `what_clears` leaves no residue.
fn blocked_then_cleared(what_clears: &[&str]) {
    let r = Reg::new();
    add_others(&r, 10);
    let id = add_person(&r);
    let reader = r.sql();
    reader.execute_batch("BEGIN").unwrap();
    reader
        .query_row("SELECT count(*) FROM contacts", [], |row| {
            row.get::<_, i64>(0)
        })
        .unwrap();
    let err = r.fails(
        &["contact", "erase", &id, "--reason", "no longer needed"],
        1,
    );
    assert!(
        err.contains(&format!("contact {id} is erased in the database"))
            && err.contains("could not be cleared from the register's -wal file")
            && err.contains("rekisteri check"),
        "{err}"
    );
    // Erased in the database all the same.
    reader.execute_batch("COMMIT").unwrap();
    assert_eq!(r.count("contact_log"), 0);
    assert!(!residue(&r).is_empty(), "the old pages wait in the -wal");
    r.ok(what_clears);
    assert_eq!(residue(&r), Vec::<&str>::new());
    drop(reader);
}

#[test]
fn a_blocked_checkpoint_is_reported_and_check_completes_it() {
    blocked_then_cleared(&["check"]);
}

#[test]
fn a_blocked_checkpoint_is_completed_by_the_next_erasure() {
    blocked_then_cleared(&[
        "contact",
        "erase",
        "other3@example.fi",
        "--reason",
        "mistake",
    ]);
}

#[test]
fn erasing_an_erased_address_says_when_it_was_erased() {
    let r = Reg::new();
    r.add(EMAIL, &[]);
    r.ok(&[
        "contact",
        "erase",
        EMAIL,
        "--reason",
        "mistake",
        "--suppress",
    ]);
    let err = r.fails(&["contact", "erase", EMAIL, "--reason", "mistake"], 1);
    assert!(
        err.contains("it was erased on 2026-11-23 by the controller"),
        "{err}"
    );
}

#[test]
fn an_edit_cannot_bring_a_suppressed_address_back() {
    let r = Reg::new();
    r.add("kielto@example.fi", &[]);
    r.ok(&[
        "contact",
        "erase",
        "kielto@example.fi",
        "--reason",
        "pyysi poistoa",
        "--suppress",
    ]);
    r.add("muu@example.fi", &[]);
    let e = r.fails(
        &[
            "contact",
            "edit",
            "muu@example.fi",
            "--email",
            "kielto@example.fi",
        ],
        1,
    );
    assert!(
        e.contains("kielto@example.fi was") && e.contains("--returning"),
        "{e}"
    );
    let stored: String = r
        .sql()
        .query_row("SELECT email FROM contacts", [], |row| row.get(0))
        .unwrap();
    assert_eq!(stored, "muu@example.fi");
    // Nor a rectification request.
    let id = r.ok(&[
        "request",
        "open",
        "--type",
        "rectification",
        "--subject",
        "muu@example.fi",
    ]);
    let id = id.trim();
    r.ok(&["request", "verify", id, "--method", "vastasi osoitteesta"]);
    let e = r.fails(
        &["request", "fulfil", id, "--email", "KIELTO@example.fi"],
        1,
    );
    assert!(e.contains("kielto@example.fi was"), "{e}");
    // Another change of the same contact still goes through.
    r.ok(&[
        "contact",
        "edit",
        "muu@example.fi",
        "--phone",
        "040 123 4567",
    ]);
}

#[test]
fn an_address_typed_in_another_unicode_form_is_the_same_person() {
    let r = Reg::new();
    r.add("mätti@example.fi", &["--first-name", "Mätti"]);
    // ä as a + combining diaeresis (as macOS types it), and a fullwidth letter.
    let e = r.fails(&["contact", "add", "--email", "ma\u{308}tti@example.fi"], 1);
    assert!(e.contains("mätti@example.fi"), "{e}");
    r.add("jyrki@example.fi", &[]);
    r.fails(&["contact", "add", "--email", "\u{ff4a}yrki@example.fi"], 1);
    assert_eq!(r.count("contacts"), 2);
    // A name typed decomposed is stored composed and found either way.
    r.add("nfd@example.fi", &["--first-name", "Ma\u{308}ija"]);
    let found = r.ok(&["contact", "list", "--search", "Mäija", "--format", "csv"]);
    assert!(found.contains("nfd@example.fi"), "{found}");
    let found = r.ok(&[
        "contact",
        "list",
        "--search",
        "ma\u{308}ija",
        "--format",
        "csv",
    ]);
    assert!(found.contains("nfd@example.fi"), "{found}");
    // An erased and suppressed address stays refused however it is typed.
    r.ok(&[
        "contact",
        "erase",
        "mätti@example.fi",
        "--reason",
        "pyysi poistoa",
        "--suppress",
    ]);
    let e = r.fails(&["contact", "add", "--email", "MA\u{308}TTI@example.fi"], 1);
    assert!(e.contains("erased"), "{e}");
    assert_eq!(r.count("contacts"), 2);
}
