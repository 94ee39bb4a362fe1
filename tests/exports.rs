//! The accountability exports (`export requests`, `export audit`, `export subject`), what
//! every export shares (`--output`, disclosure first, a closed pipe), and `docs/exports.md`
//! against what the exports really write.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::{path_str, Reg};
use serde_json::Value;

fn json(r: &Reg, args: &[&str]) -> Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    let out = r.ok(&a);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

fn csv_rows(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let headers = rd.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn events(r: &Reg, action: &str) -> Vec<(i64, String, String)> {
    r.sql()
        .prepare("SELECT id, object_ids, detail FROM audit_events WHERE action = ?1 ORDER BY id")
        .unwrap()
        .query_map([action], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A register with a person in every section of `export subject`, a restricted one, and
/// requests in several states (one with every personal free text filled in).
fn busy() -> Reg {
    let r = Reg::new();
    r.add(
        "aino.makela@example.fi",
        &[
            "--first-name",
            "Aino",
            "--last-name",
            "Mäkelä",
            "--phone",
            "040 123 4567",
        ],
    );
    r.add("bertta@example.fi", &["--first-name", "Bertta"]);
    for args in [
        &[
            "contact",
            "log",
            "1",
            "--channel",
            "phone",
            "--summary",
            "Soitti kurssista",
        ][..],
        &[
            "contact",
            "course",
            "1",
            "--course",
            "Excel",
            "--completed",
            "2026-10-01",
            "--grade",
            "5",
        ],
        &[
            "contact", "purchase", "1", "--item", "Kurssi", "--amount", "120",
        ],
        &["contact", "tag", "1", "--add", "vip"],
        &["contact", "hold", "1", "--reason", "kirjanpitolaki"],
        &[
            "consent",
            "grant",
            "1",
            "--purpose",
            "newsletter",
            "--evidence",
            "lomake",
        ],
    ] {
        r.ok(args);
    }
    r.ok(&[
        "request",
        "open",
        "--type",
        "access",
        "--subject",
        "1",
        "--requester",
        "Aino's lawyer Lakimies",
        "--details",
        "kaikki puhelinmuistiinpanot",
        "--received",
        "2026-11-02",
    ]);
    r.ok(&["request", "verify", "R-2026-0001", "--method", "soitettu"]);
    r.ok(&["request", "open", "--type", "restriction", "--subject", "2"]);
    r.ok(&[
        "request",
        "verify",
        "R-2026-0002",
        "--method",
        "vastasi osoitteesta",
    ]);
    r.ok(&["request", "fulfil", "R-2026-0002"]);
    r.ok(&["request", "complete", "R-2026-0002", "--note", "kerrottu"]);
    r.ok(&[
        "request",
        "open",
        "--type",
        "erasure",
        "--subject-email",
        "pekka@example.com",
        "--details",
        "poistakaa Pekka",
    ]);
    r.ok(&[
        "request",
        "refuse",
        "R-2026-0003",
        "--reason",
        "kysyi kymmenen kertaa",
    ]);
    // Texts that name the people, as a version before the check let through: the exports
    // must leave them out all the same.
    r.sql()
        .execute_batch(
            "UPDATE requests SET verify_method = 'soitin numeroon 040 123 4567' WHERE id = 1;
             UPDATE requests SET note = 'kerrottu Bertalle' WHERE id = 2;
             UPDATE requests SET refuse_reason = 'Pekka kysyi kymmenen kertaa' WHERE id = 3;",
        )
        .unwrap();
    r
}

// ---- export requests --------------------------------------------------------------------

#[test]
fn requests_export_every_timeline_and_no_personal_value() {
    let r = busy();
    let out = r.ok(&["export", "requests"]);
    let (headers, rows) = csv_rows(&out);
    assert_eq!(rows.len(), 3);
    let col = |row: &[String], name: &str| -> String {
        row[headers.iter().position(|h| h == name).unwrap()].clone()
    };
    let ids: Vec<String> = rows.iter().map(|row| col(row, "id")).collect();
    assert_eq!(ids, ["R-2026-0001", "R-2026-0002", "R-2026-0003"]);
    let first = &rows[0];
    assert_eq!(col(first, "type"), "access");
    assert_eq!(col(first, "article"), "15");
    assert_eq!(col(first, "status"), "verified");
    assert_eq!(col(first, "contact_id"), "1");
    assert_eq!(col(first, "received"), "2026-11-02");
    assert_eq!(col(first, "due"), "2026-12-02");
    assert_eq!(col(first, "verified_at"), common::NOW);
    assert_eq!(col(first, "verified_by"), "tester");
    assert_eq!(
        (col(first, "answered"), col(first, "on_time")),
        ("".into(), "".into())
    );
    let restriction = &rows[1];
    assert_eq!(col(restriction, "outcome"), "restricted");
    assert_eq!(col(restriction, "answered"), "2026-11-23");
    assert_eq!(col(restriction, "on_time"), "true");
    let refused = &rows[2];
    assert_eq!(col(refused, "status"), "refused");
    assert_eq!(col(refused, "contact_id"), "");
    assert_eq!(col(refused, "refused_by"), "tester");
    // No e-mail, name, phone or operator's free text, in any format.
    let json_out = r.ok(&["--format", "json", "export", "requests"]);
    for text in [&out, &json_out] {
        for personal in [
            "aino",
            "Aino",
            "Lakimies",
            "puhelin",
            "040",
            "Bertta",
            "Bertalle",
            "pekka",
            "Pekka",
            "osoitteesta",
            "@",
        ] {
            assert!(!text.contains(personal), "{personal:?} in\n{text}");
        }
    }
    let v: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!(v[1]["on_time"], true);
    assert_eq!(v[0]["contact_id"], 1);
    assert_eq!(v[2]["contact_id"], Value::Null);
    // One event each, naming the requests it holds.
    let ev = events(&r, "export.requests");
    assert_eq!(ev.len(), 2);
    assert_eq!(
        (ev[0].1.as_str(), ev[0].2.as_str()),
        ("request:1-3", "count=3")
    );
}

#[test]
fn an_empty_register_exports_a_header_and_an_empty_array() {
    let r = Reg::new();
    let out = r.ok(&["export", "requests"]);
    assert_eq!(out.lines().count(), 1);
    assert!(out.starts_with("id,type,article,status,"), "{out}");
    assert_eq!(json(&r, &["export", "requests"]), serde_json::json!([]));
}

// ---- export audit -----------------------------------------------------------------------

#[test]
fn audit_exports_the_stored_trail_that_verifies() {
    let r = busy();
    let stored: i64 = r.count("audit_events");
    let out = r.ok(&["export", "audit"]);
    let (headers, rows) = csv_rows(&out);
    assert_eq!(
        headers,
        [
            "id",
            "at",
            "operator",
            "action",
            "object_ids",
            "detail",
            "prev_hash",
            "hash"
        ]
    );
    // Everything up to the export itself, which is the next event and names that.
    assert_eq!(rows.len() as i64, stored);
    assert_eq!(rows[0][3], "register.create");
    assert_eq!(rows[0][6], "0".repeat(64));
    for pair in rows.windows(2) {
        assert_eq!(pair[1][6], pair[0][7], "the chain links");
    }
    let ev = events(&r, "export.audit");
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].0, stored + 1);
    assert_eq!(ev[0].2, format!("through={stored}"));
    // The same rows as JSON, typed.
    let v = json(&r, &["export", "audit"]);
    let all = v.as_array().unwrap();
    assert_eq!(all.len() as i64, stored + 1);
    assert_eq!(all[0]["id"], 1);
    assert_eq!(all[0]["at"], common::NOW);
    assert_eq!(all[stored as usize]["action"], "export.audit");
    r.ok(&["audit", "verify"]);
}

/// 23:30 UTC on New Year's Eve is 01:30 on New Year's Day in Helsinki.
const NEW_YEARS_EVE: &str = "2026-12-31T23:30:00Z";

#[test]
fn audit_bounds_are_days_of_the_registers_zone() {
    let r = Reg::new();
    // TZ=UTC (Reg::cmd): the process's zone plays no part.
    let late = |args: &[&str]| {
        let out = r
            .cmd()
            .env("REKISTERI_NOW", NEW_YEARS_EVE)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    late(&["contact", "add", "--email", "uusi@example.fi"]);
    // The ids of the events held, but the exports' own (made late on New Year's Eve too).
    let ids = |out: String| -> Vec<String> {
        csv_rows(&out)
            .1
            .into_iter()
            .filter(|row| row[3] != "export.audit")
            .map(|row| row[0].clone())
            .collect()
    };
    // Event 1 (init) is 2026-11-23; event 2 is 2027-01-01 in Helsinki, 2026-12-31 in UTC.
    assert_eq!(
        ids(late(&["export", "audit", "--since", "2027-01-01"])),
        ["2"]
    );
    assert_eq!(
        ids(late(&["export", "audit", "--until", "2026-12-31"])),
        ["1"]
    );
    assert_eq!(
        ids(late(&[
            "export",
            "audit",
            "--since",
            "2026-12-31",
            "--until",
            "2026-12-31"
        ])),
        Vec::<String>::new()
    );
    // An RFC 3339 time is taken as it is.
    assert_eq!(
        ids(late(&[
            "export",
            "audit",
            "--since",
            "2026-12-31T23:00:00Z",
            "--until",
            "2027-01-01"
        ])),
        ["2"]
    );
    // The event records the bounds as UTC instants: Helsinki's midnight is 22:00 UTC.
    let ev = events(&r, "export.audit");
    assert_eq!(ev[0].2, "through=2,since=2026-12-31T22:00:00Z");
    assert_eq!(ev[1].2, "through=3,before=2026-12-31T22:00:00Z");
    // Invalid input names the flag and changes nothing.
    let before = r.count("audit_events");
    let e = r.fails(&["export", "audit", "--since", "31.12.2026"], 2);
    assert!(e.contains("--since") && e.contains("31.12.2026"), "{e}");
    let e = r.fails(
        &[
            "export",
            "audit",
            "--since",
            "2027-01-02",
            "--until",
            "2027-01-01",
        ],
        2,
    );
    assert!(e.contains("--until"), "{e}");
    assert_eq!(r.count("audit_events"), before);
}

// ---- export subject ---------------------------------------------------------------------

#[test]
fn subject_is_the_access_answers_data() {
    let r = busy();
    let by_email = json(&r, &["export", "subject", "Aino.Makela@example.fi"]);
    assert_eq!(by_email["contact"], 1);
    assert_eq!(by_email["exported_at"], common::NOW);
    assert_eq!(by_email["policy_version"], 1);
    let data = &by_email["data"];
    assert_eq!(data["contact"]["last_name"], "Mäkelä");
    assert_eq!(data["history"][0]["summary"], "Soitti kurssista");
    assert_eq!(data["tags"], serde_json::json!(["vip"]));
    assert_eq!(
        data["requests"][0]["details"],
        "kaikki puhelinmuistiinpanot"
    );
    // The data of the access answer `request fulfil` writes (from the register as it was
    // before the fulfilment), key for key.
    let now = json(&r, &["export", "subject", "1"]);
    let dir = tempfile::tempdir().unwrap();
    r.ok(&[
        "request",
        "fulfil",
        "R-2026-0001",
        "--output",
        path_str(dir.path()),
    ]);
    let answer: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("R-2026-0001.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(now["data"], answer["data"]);
    assert_eq!(now["controller"], answer["controller"]);
    assert_eq!(now["policy_version"], answer["policy_version"]);
    // The default table format means JSON; CSV is refused before anything is recorded.
    let table_default: Value = serde_json::from_str(&r.ok(&["export", "subject", "1"])).unwrap();
    assert_eq!(table_default["data"]["contact"], now["data"]["contact"]);
    let before = events(&r, "export.subject").len();
    assert!(r
        .fails(&["--format", "csv", "export", "subject", "1"], 2)
        .contains("JSON"));
    r.fails(&["--excel", "export", "subject", "1"], 2);
    let e = r.fails(&["export", "subject", "nobody@example.fi"], 1);
    assert!(e.contains("nobody@example.fi"), "{e}");
    let ev = events(&r, "export.subject");
    assert_eq!(ev.len(), before);
    assert!(ev.iter().all(|(_, ids, _)| ids == "contact:1"), "{ev:?}");
}

// ---- what every export shares -----------------------------------------------------------

/// Every export, as `rekisteri` arguments, with its audit action.
const EXPORTS: [(&[&str], &str); 7] = [
    (&["export", "contacts"], "export.contacts"),
    (&["export", "contacts", "--for-use"], "export.contacts"),
    (
        &["export", "mailing-list", "--purpose", "b2b-marketing"],
        "export.mailing-list",
    ),
    (&["export", "requests"], "export.requests"),
    (&["export", "audit"], "export.audit"),
    (
        &["export", "audit", "--since", "2026-11-01"],
        "export.audit",
    ),
    (&["export", "subject", "1"], "export.subject"),
];

#[test]
fn every_json_export_parses() {
    let r = busy();
    for (args, _) in EXPORTS {
        let v = json(&r, args);
        let n = match &v {
            Value::Array(rows) => rows.len(),
            Value::Object(_) => 1,
            other => panic!("{args:?}: {other}"),
        };
        assert!(n > 0, "{args:?} is empty");
    }
}

#[test]
fn output_files_are_0600_whole_and_never_replace_one() {
    let r = busy();
    let dir = tempfile::tempdir().unwrap();
    for (i, (args, action)) in EXPORTS.iter().enumerate() {
        let file = dir.path().join(format!("export-{i}.out"));
        let mut a = args.to_vec();
        a.extend(["--output", path_str(&file)]);
        let before = events(&r, action).len();
        let out = r.cmd().args(&a).output().unwrap();
        assert!(out.status.success(), "{a:?}");
        assert!(out.stdout.is_empty(), "{a:?} wrote to stdout too");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(path_str(&file)), "{a:?}: {err}");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{a:?}");
        // The file is the same export stdout gets (audit: the trail is one event longer).
        let written = std::fs::read_to_string(&file).unwrap();
        if *action != "export.audit" {
            assert_eq!(written, r.ok(args), "{a:?}");
        }
        assert_eq!(
            events(&r, action).len(),
            before + 1 + usize::from(*action != "export.audit")
        );
        // Again: the file is kept as it was, nothing is recorded, and nothing else is left.
        let e = r.fails(&a, 1);
        assert!(e.contains("already exists"), "{e}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    }
    let names = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(names, EXPORTS.len(), "temp files left behind");
    // A directory that is not there: invalid input, nothing recorded.
    let before = r.count("audit_events");
    let missing = dir.path().join("no-such-dir").join("x.csv");
    let e = r.fails(&["export", "audit", "--output", path_str(&missing)], 2);
    assert!(e.contains("--output"), "{e}");
    assert_eq!(r.count("audit_events"), before);
}

#[test]
fn a_read_only_register_discloses_nothing_and_leaves_no_file() {
    let r = busy();
    let before = r.count("audit_events");
    std::fs::set_permissions(&r.db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (args, _) in EXPORTS {
        let out = r.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed {:?}", out.stdout);
        let mut a = args.to_vec();
        let file = dir.path().join("out");
        a.extend(["--output", path_str(&file)]);
        let out = r.cmd().args(&a).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{a:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{a:?} left a file"
        );
    }
    std::fs::set_permissions(&r.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(r.count("audit_events"), before);
}

fn spawn(r: &Reg, args: &[&str]) -> std::process::Child {
    StdCommand::new(assert_cmd::cargo::cargo_bin("rekisteri"))
        .env_clear()
        .env("REKISTERI_DB", &r.db)
        .env("REKISTERI_NOW", common::NOW)
        .env("REKISTERI_OPERATOR", "tester")
        .env("TZ", "UTC")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn")
}

#[test]
fn nothing_goes_out_before_the_event_is_committed() {
    let r = busy();
    for (args, action) in [
        (&["export", "subject", "1"][..], "export.subject"),
        (&["export", "requests"], "export.requests"),
        (&["export", "audit"], "export.audit"),
    ] {
        let holder = r.sql();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let mut child = spawn(&r, args);
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut first = [0u8; 1];
            stdout.read_exact(&mut first).expect("first byte");
            let at = Instant::now();
            let mut rest = Vec::new();
            stdout.read_to_end(&mut rest).unwrap();
            at
        });
        std::thread::sleep(Duration::from_millis(1000));
        assert!(
            child.try_wait().unwrap().is_none(),
            "{args:?} gave up or ended"
        );
        assert!(events(&r, action).is_empty());
        let released = Instant::now();
        holder.execute_batch("ROLLBACK").unwrap();
        let first_byte = reader.join().unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(0), "{args:?}");
        assert!(
            first_byte > released,
            "{args:?}: a byte went out before its event"
        );
        assert_eq!(events(&r, action).len(), 1, "{args:?}");
    }
}

/// Appends `n` events with a valid chain straight to the trail, as rekisteri writes them.
fn append_events(r: &Reg, n: i64) {
    use rekisteri::store::audit::event_hash;
    let mut conn = r.sql();
    let tx = conn.transaction().unwrap();
    let (mut id, mut prev): (i64, String) = tx
        .query_row(
            "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    for _ in 0..n {
        id += 1;
        let ids = format!("contact:{id}");
        let hash = event_hash(id, common::NOW, "bulk", "contact.show", &ids, "", &prev);
        tx.execute(
            "INSERT INTO audit_events VALUES (?1, ?2, 'bulk', 'contact.show', ?3, '', ?4, ?5)",
            rusqlite::params![id, common::NOW, ids, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    tx.commit().unwrap();
}

#[test]
fn a_closed_pipe_ends_a_long_export_quietly() {
    let r = Reg::new();
    append_events(&r, 3000);
    r.ok(&["audit", "verify"]);
    for args in [
        &["export", "audit"][..],
        &["--format", "json", "export", "audit"],
    ] {
        let mut child = spawn(&r, args);
        let mut stdout = child.stdout.take().unwrap();
        let mut some = [0u8; 100];
        stdout.read_exact(&mut some).unwrap();
        drop(stdout);
        assert_eq!(child.wait().unwrap().code(), Some(0), "{args:?}");
    }
}

// ---- docs/exports.md --------------------------------------------------------------------

/// The column tables of docs/exports.md, by the heading above each (`export contacts`,
/// `data.history`, …): the names in the first column, in order.
fn documented() -> BTreeMap<String, Vec<String>> {
    let doc = include_str!("../docs/exports.md");
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut heading = String::new();
    let mut in_table = false;
    for line in doc.lines() {
        if let Some(h) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            heading = h.trim().trim_matches('`').to_string();
            in_table = false;
        } else if line.starts_with("| column | type | meaning |") {
            in_table = true;
            assert!(
                tables.insert(heading.clone(), Vec::new()).is_none(),
                "two tables under {heading}"
            );
        } else if in_table && line.starts_with("|---") {
        } else if in_table && line.starts_with('|') {
            let name = line.split('|').nth(1).unwrap().trim().trim_matches('`');
            tables.get_mut(&heading).unwrap().push(name.to_string());
        } else {
            in_table = false;
        }
    }
    tables
}

#[test]
fn the_documented_columns_are_exactly_the_ones_written() {
    let r = busy();
    let doc = documented();
    let mut checked = Vec::new();
    let mut check = |name: &str, produced: Vec<String>| {
        let listed = doc
            .get(name)
            .unwrap_or_else(|| panic!("docs/exports.md has no table for {name}"));
        assert_eq!(
            &produced, listed,
            "{name}: written (left) vs documented (right)"
        );
        checked.push(name.to_string());
    };
    for (name, args) in [
        ("export contacts", &["export", "contacts"][..]),
        (
            "export mailing-list",
            &["export", "mailing-list", "--purpose", "b2b-marketing"],
        ),
        ("export requests", &["export", "requests"]),
        ("export audit", &["export", "audit"]),
    ] {
        let (headers, rows) = csv_rows(&r.ok(args));
        assert!(!rows.is_empty(), "{name} wrote no row to compare");
        let v = json(&r, args);
        assert_eq!(keys(&v[0]), headers, "{name}: JSON keys vs CSV header");
        check(name, headers);
    }
    // The record of processing activities is CSV only (besides its Markdown document).
    let (headers, rows) = csv_rows(&r.ok(&["export", "ropa", "--format", "csv"]));
    assert!(!rows.is_empty(), "export ropa wrote no row to compare");
    check("export ropa", headers);
    let subject = json(&r, &["export", "subject", "1"]);
    check("export subject", keys(&subject));
    let data = &subject["data"];
    check("data", keys(data));
    for (section, rows) in data.as_object().unwrap() {
        if let Some(first) = rows
            .as_array()
            .and_then(|a| a.first())
            .filter(|f| f.is_object())
        {
            check(&format!("data.{section}"), keys(first));
        }
    }
    // Every table was compared with real output, and no export goes undocumented.
    let mut all: Vec<&String> = doc.keys().collect();
    all.sort();
    let mut seen: Vec<&String> = checked.iter().collect();
    seen.sort();
    assert_eq!(
        seen, all,
        "a documented table is not compared with any output"
    );
    for section in [
        "history",
        "courses",
        "purchases",
        "holds",
        "consents",
        "consent_events",
        "requests",
    ] {
        assert!(
            checked.contains(&format!("data.{section}")),
            "data.{section} had no row"
        );
    }
}

#[test]
fn an_export_killed_while_writing_its_file_leaves_nothing_behind() {
    let r = Reg::new();
    let mut csv = String::from("email,first_name,last_name\n");
    for i in 0..30_000 {
        csv.push_str(&format!("person{i}@example.fi,Etu{i},Suku{i}\n"));
    }
    let file = r.file("many.csv", csv);
    r.ok(&["contact", "import", path_str(&file)]);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("crm.csv");
    // Killed at a spread of moments: each outcome is the whole file or no file, and never a
    // hidden partial one (SIGKILL runs no clean-up, so only an unnamed file can promise it).
    for delay_ms in [5u64, 20, 60, 150, 400] {
        let mut child = spawn(&r, &["export", "contacts", "--output", path_str(&target)]);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        match names.as_slice() {
            [] => {}
            [name] if name == "crm.csv" => {
                let text = std::fs::read_to_string(&target).unwrap();
                assert_eq!(text.lines().count(), 30_001, "a placed file is whole");
                std::fs::remove_file(&target).unwrap();
            }
            other => panic!("killed after {delay_ms} ms, left {other:?}"),
        }
    }
}
