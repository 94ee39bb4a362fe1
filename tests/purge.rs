//! `rekisteri purge`: the retention rules applied with an injected clock (today is
//! 2026-11-23 in Helsinki; the built-in policy keeps every category and record 24 months,
//! closed requests 60).

mod common;

use common::Reg;
use serde_json::Value;

/// Runs `args` as of `now` (an RFC 3339 time), as if it had happened then.
fn at(r: &Reg, now: &str, args: &[&str]) -> String {
    let out = r
        .cmd()
        .env("REKISTERI_NOW", now)
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?} at {now}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn add_at(r: &Reg, now: &str, email: &str, extra: &[&str]) -> i64 {
    let mut args = vec!["contact", "add", "--email", email];
    args.extend_from_slice(extra);
    at(r, now, &args).trim().parse().unwrap()
}

const LONG_AGO: &str = "2022-03-01T10:00:00Z";

struct People {
    ended_long_ago: i64,
    ended_recently: i64,
    active: i64,
    held: i64,
    hold_expired: i64,
    old_prospect: i64,
    new_prospect: i64,
    consenting_prospect: i64,
    old_student: i64,
    customer_on_course: i64,
}

/// One of each case the issue lists.
fn register() -> (Reg, People) {
    let r = Reg::new();
    let customer = |email: &str, ended: Option<&str>| {
        let id = add_at(&r, LONG_AGO, email, &["--started", "2021-01-01"]);
        if let Some(d) = ended {
            at(
                &r,
                &format!("{d}T12:00:00Z"),
                &["contact", "end", &id.to_string(), "--date", d],
            );
        }
        id
    };
    let ended_long_ago = customer("vanhus.unique@example.fi", Some("2023-05-01"));
    let ended_recently = customer("recent@example.fi", Some("2025-06-01"));
    let active = customer("active@example.fi", None);
    let held = customer("held@example.fi", Some("2023-05-01"));
    at(
        &r,
        "2026-01-01T10:00:00Z",
        &["contact", "hold", &held.to_string(), "--reason", "dispute"],
    );
    let hold_expired = customer("expired@example.fi", Some("2023-05-01"));
    at(
        &r,
        "2026-01-01T10:00:00Z",
        &[
            "contact",
            "hold",
            &hold_expired.to_string(),
            "--reason",
            "dispute",
            "--until",
            "2026-06-30",
        ],
    );
    let prospect = |email: &str, now: &str| add_at(&r, now, email, &["--category", "prospect"]);
    let old_prospect = prospect("oldprospect@example.fi", LONG_AGO);
    let new_prospect = prospect("newprospect@example.fi", "2025-06-01T10:00:00Z");
    let consenting_prospect = prospect("consent@example.fi", LONG_AGO);
    at(
        &r,
        LONG_AGO,
        &[
            "consent",
            "grant",
            &consenting_prospect.to_string(),
            "--purpose",
            "newsletter",
            "--channel",
            "web-form",
            "--evidence",
            "ticked the box on the order form",
        ],
    );
    let old_student = add_at(
        &r,
        LONG_AGO,
        "student@example.fi",
        &["--category", "student"],
    );
    let course = |id: i64, completed: &str| {
        at(
            &r,
            &format!("{completed}T12:00:00Z"),
            &[
                "contact",
                "course",
                &id.to_string(),
                "--course",
                "GDPR",
                "--completed",
                completed,
            ],
        )
    };
    course(old_student, "2022-04-01");
    let customer_on_course = customer("oncourse@example.fi", Some("2023-05-01"));
    course(customer_on_course, "2026-02-01");
    // Old history of the active customer: the entry goes, the customer stays.
    at(
        &r,
        LONG_AGO,
        &[
            "contact",
            "log",
            &active.to_string(),
            "--channel",
            "phone",
            "--summary",
            "called about invoice 4711",
            "--date",
            "2022-03-01",
        ],
    );
    at(
        &r,
        "2026-10-01T10:00:00Z",
        &[
            "contact",
            "log",
            &active.to_string(),
            "--channel",
            "email",
            "--summary",
            "recent mail",
        ],
    );
    // Closed requests: one closed over five years ago, one recently, one still open.
    let db = r.sql();
    for (seq, status, closed) in [
        (1, "completed", Some("2021-05-01T10:00:00Z")),
        (2, "refused", Some("2025-05-01T10:00:00Z")),
        (3, "received", None),
    ] {
        db.execute(
            "INSERT INTO requests (year, seq, type, status, received, due, channel, opened_at, opened_by, completed_at, refused_at)
             VALUES (2021, ?1, 'access', ?2, '2021-04-01', '2021-05-03', 'email', '2021-04-01T10:00:00Z', 't', ?3, ?4)",
            rusqlite::params![
                seq,
                status,
                (status == "completed").then_some(closed).flatten(),
                (status == "refused").then_some(closed).flatten()
            ],
        )
        .unwrap();
    }
    drop(db);
    (
        r,
        People {
            ended_long_ago,
            ended_recently,
            active,
            held,
            hold_expired,
            old_prospect,
            new_prospect,
            consenting_prospect,
            old_student,
            customer_on_course,
        },
    )
}

fn ids(r: &Reg, sql: &str) -> Vec<i64> {
    let db = r.sql();
    let mut st = db.prepare(sql).unwrap();
    let v = st
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(|x| x.unwrap())
        .collect();
    v
}

fn files(r: &Reg) -> Vec<Vec<u8>> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| {
            let mut p = r.db.clone().into_os_string();
            p.push(s);
            std::fs::read(p).unwrap_or_default()
        })
        .collect()
}

/// The ids of an audit event's `contact:1,3-5` (`contact:` once, then ids and ranges).
fn expand(object_ids: &str) -> Vec<i64> {
    let list = object_ids.strip_prefix("contact:").unwrap_or_default();
    let mut out = Vec::new();
    for part in list.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => out.extend(a.parse::<i64>().unwrap()..=b.parse().unwrap()),
            None => out.push(part.parse().unwrap()),
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn each_rule_removes_exactly_the_expected_rows_and_a_rerun_nothing() {
    let (r, p) = register();
    let before = files(&r);
    assert!(contains(&before[0], "vanhus.unique@example.fi"));
    assert!(contains(&before[0], "called about invoice 4711"));

    let out = r.ok(&["purge"]);
    assert_eq!(
        out,
        "customer: 24 months after ended: 2 erased, 2 kept by another rule\n\
         prospect: 24 months after last activity: 1 erased, 1 kept by another rule\n\
         student: 24 months after last activity: 1 erased\n\
         history: 24 months after the entry: 1 deleted\n\
         courses: 24 months after completion: 0 deleted\n\
         requests: 60 months after closing: 1 deleted\n"
    );
    let left = ids(&r, "SELECT id FROM contacts ORDER BY id");
    let mut kept = vec![
        p.ended_recently,
        p.active,
        p.held,
        p.new_prospect,
        p.consenting_prospect,
        p.customer_on_course,
    ];
    kept.sort();
    assert_eq!(left, kept);
    for gone in [
        p.ended_long_ago,
        p.hold_expired,
        p.old_prospect,
        p.old_student,
    ] {
        assert!(!left.contains(&gone));
    }
    // The active customer's old entry went, the recent one stayed.
    assert_eq!(
        ids(&r, "SELECT contact_id FROM contact_log"),
        vec![p.active]
    );
    assert_eq!(ids(&r, "SELECT seq FROM requests ORDER BY seq"), vec![2, 3]);
    assert_eq!(
        ids(&r, "SELECT contact_id FROM courses"),
        vec![p.customer_on_course]
    );

    // Nothing of the erased is left in the file or its side files.
    for (f, bytes) in ["file", "-wal", "-shm"].iter().zip(files(&r)) {
        assert!(!contains(&bytes, "vanhus.unique@example.fi"), "{f}");
        assert!(!contains(&bytes, "called about invoice 4711"), "{f}");
    }

    // One audit event for the run, with counts per rule and ids only.
    let audit: Value = serde_json::from_str(&r.ok(&["audit", "list", "--format", "json"])).unwrap();
    let runs: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "register.purge")
        .collect();
    assert_eq!(runs.len(), 1, "{audit}");
    let detail = runs[0]["detail"].as_str().unwrap();
    assert!(detail.contains("customer=2(kept 2)"), "{detail}");
    assert!(!detail.contains('@'), "{detail}");
    // The people went in one batch: one erasure event naming them all, by id.
    let erasures: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "contact.erase")
        .collect();
    assert_eq!(erasures.len(), 1, "{audit}");
    let mut gone = vec![
        p.ended_long_ago,
        p.hold_expired,
        p.old_prospect,
        p.old_student,
    ];
    gone.sort();
    assert_eq!(
        expand(erasures[0]["object_ids"].as_str().unwrap()),
        gone,
        "{}",
        erasures[0]
    );
    let detail = erasures[0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("history=0 courses=1 ") && detail.ends_with(" reason=\"retention\""),
        "{detail}"
    );
    r.ok(&["audit", "verify"]);

    // A rerun right after removes nothing and says so.
    let out = r.cmd().arg("purge").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().all(|l| l.contains(": 0 ")), "{stdout}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the purge removed nothing"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(ids(&r, "SELECT id FROM contacts ORDER BY id"), kept);
}

#[test]
fn dry_run_lists_who_and_why_and_leaves_the_file_byte_identical() {
    let (r, p) = register();
    let before = std::fs::read(&r.db).unwrap();
    let out = r.ok(&["purge", "--dry-run", "--format", "json"]);
    assert_eq!(std::fs::read(&r.db).unwrap(), before);
    let rows: Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    let find = |id: i64| {
        rows.iter()
            .find(|x| x["record"] == "contact" && x["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {rows:?}"))
    };
    let e = find(p.ended_long_ago);
    assert_eq!(e["action"], "erase");
    assert_eq!(e["rule"], "customer: 24 months after ended");
    assert_eq!(e["date"], "2023-05-01");
    assert!(e.get("name").is_none());
    let c = find(p.consenting_prospect);
    assert_eq!(c["action"], "keep");
    assert_eq!(c["note"], "kept: live opt-in consent to newsletter");
    assert_eq!(find(p.held)["note"], "kept: under legal hold");
    assert!(find(p.customer_on_course)["note"]
        .as_str()
        .unwrap()
        .contains("course completed 2026-02-01"));
    assert!(!rows
        .iter()
        .any(|x| x["id"] == p.active && x["record"] == "contact"));
    assert_eq!(
        rows.iter().filter(|x| x["action"] == "delete").count(),
        2,
        "{rows:?}"
    );

    let named = r.ok(&["purge", "--dry-run", "--show-names", "--format", "csv"]);
    assert!(named.lines().next().unwrap().ends_with(",name"), "{named}");
    assert!(named.contains("vanhus.unique@example.fi"), "{named}");
    assert!(!out.contains("vanhus"), "{out}");

    // What would go on 1 January 2027: the customer who ended in 2025-06 still stays; asking
    // about a future day is only a dry run.
    let later = r.ok(&["purge", "--dry-run", "--as-of", "2027-06-01"]);
    assert!(
        later.contains(&format!("| {} ", p.ended_recently)),
        "{later}"
    );
    let err = r.fails(&["purge", "--as-of", "2027-06-01"], 2);
    assert!(
        err.contains("--as-of") && err.contains("--dry-run"),
        "{err}"
    );
    assert_eq!(std::fs::read(&r.db).unwrap(), before);
    assert_eq!(r.count("contacts"), 10);
}

#[test]
fn a_reader_holding_a_snapshot_makes_it_say_what_it_could_not_finish() {
    let (r, p) = register();
    let reader = r.sql();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM contacts", [], |x| x.get(0))
        .unwrap();
    let err = r.fails(&["purge"], 1);
    assert!(err.contains("-wal"), "{err}");
    assert!(err.contains("rekisteri check"), "{err}");
    // The erasure itself is done: the rerun after the reader is gone has nothing left.
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    assert!(!ids(&r, "SELECT id FROM contacts").contains(&p.ended_long_ago));
    r.ok(&["check"]);
    for bytes in files(&r) {
        assert!(!contains(&bytes, "vanhus.unique@example.fi"));
    }
    r.ok(&["audit", "verify"]);
}

#[test]
fn a_second_purge_at_once_does_nothing_and_says_so() {
    let (r, p) = register();
    let lock = r.dir.path().join(".register.db.purge-lock");
    let f = std::fs::File::create(&lock).unwrap();
    use std::os::unix::io::AsRawFd;
    // SAFETY: an advisory lock on a descriptor this test owns.
    assert_eq!(unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) }, 0);
    let out = r.cmd().arg("purge").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("another purge is running"));
    assert!(ids(&r, "SELECT id FROM contacts").contains(&p.ended_long_ago));
    drop(f);
    r.ok(&["purge"]);
    assert!(!ids(&r, "SELECT id FROM contacts").contains(&p.ended_long_ago));
}

#[test]
fn quiet_prints_nothing_and_a_category_without_a_rule_is_warned_of() {
    let r = Reg::new();
    add_at(&r, LONG_AGO, "s@example.fi", &["--category", "student"]);
    let out = r.cmd().args(["purge", "--quiet"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    assert_eq!(r.count("contacts"), 0);

    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policy.toml"),
    )
    .unwrap();
    let without = example.replace(
        "[[retention]]\ncategory = \"student\"\nmonths = 24\ncounted_from = \"last-activity\"\ndescription.fi = \"kaksi vuotta viimeisimmästä kurssista tai muusta tapahtumasta\"\ndescription.en = \"two years after the last course or other activity\"",
        "",
    );
    assert_ne!(without, example);
    let file = r.file("policy.toml", without);
    r.ok(&["policy", "apply", common::path_str(&file)]);
    add_at(&r, LONG_AGO, "s2@example.fi", &["--category", "student"]);
    let out = r.cmd().args(["purge", "--quiet"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no retention rule") && err.contains("student"),
        "{err}"
    );
    assert_eq!(r.count("contacts"), 1);
}

// ---- ops: the cron and systemd examples ------------------------------------------------------

fn example(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The flags of the `rekisteri purge` command line in an example, and the environment it sets.
fn named_in(text: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut flags = Vec::new();
    let mut env = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if let Some(at) = line.find("/rekisteri purge") {
            let bin = line[..at]
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_string();
            assert!(
                bin.starts_with('/') || bin.starts_with("ExecStart=/"),
                "{line}"
            );
            flags.extend(
                line[at..]
                    .split_whitespace()
                    .filter(|w| w.starts_with('-'))
                    .map(|w| w.split('=').next().unwrap().to_string()),
            );
        }
        let assignment = line.trim().trim_start_matches("Environment=");
        if let Some((k, v)) = assignment.split_once('=') {
            if k.starts_with("REKISTERI_") {
                env.push((k.to_string(), v.to_string()));
            }
        }
    }
    (flags, env)
}

#[test]
fn the_cron_and_systemd_examples_name_what_the_binary_has() {
    let r = Reg::new();
    let purge_help = r.ok(&["purge", "--help"]);
    let help = r.ok(&["--help"]);
    let cron = example("examples/cron/rekisteri-purge.cron");
    let service = example("examples/systemd/rekisteri-purge.service");
    let timer = example("examples/systemd/rekisteri-purge.timer");
    for (name, text) in [("cron", &cron), ("service", &service)] {
        let (flags, env) = named_in(text);
        assert!(text.contains("/usr/local/bin/rekisteri purge"), "{name}");
        for f in flags {
            assert!(
                purge_help.contains(&format!("{f} ")) || purge_help.contains(&format!("{f}\n")),
                "{name}: {f} is not in purge --help"
            );
        }
        let keys: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["REKISTERI_DB", "REKISTERI_OPERATOR"], "{name}");
        for (k, v) in &env {
            assert!(help.contains(k.as_str()), "{name}: {k} is not in --help");
            if k == "REKISTERI_DB" {
                assert!(v.starts_with('/'), "{name}: {v} is not an absolute path");
            } else {
                assert_eq!(v, "purge", "{name}");
            }
        }
    }
    assert!(cron.contains("MAILTO="));
    assert!(service.contains("StandardOutput=journal"));
    assert!(timer.contains("Persistent=true"));
    assert!(timer.contains("OnCalendar="));
}

#[test]
fn systemd_analyze_verifies_the_units_where_it_is_installed() {
    let Ok(probe) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("systemd-analyze is not installed: skipped");
        return;
    };
    if !probe.status.success() {
        eprintln!("systemd-analyze does not run here: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The units name the installed binary; verify checks that ExecStart exists, so they are
    // checked naming the binary under test instead.
    let bin = assert_cmd::cargo::cargo_bin("rekisteri");
    let service = example("examples/systemd/rekisteri-purge.service")
        .replace("/usr/local/bin/rekisteri", bin.to_str().unwrap());
    std::fs::write(dir.path().join("rekisteri-purge.service"), service).unwrap();
    std::fs::write(
        dir.path().join("rekisteri-purge.timer"),
        example("examples/systemd/rekisteri-purge.timer"),
    )
    .unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(dir.path().join("rekisteri-purge.timer"))
        .arg(dir.path().join("rekisteri-purge.service"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_purge_killed_at_any_point_leaves_a_consistent_register_that_a_rerun_finishes() {
    let r = Reg::new();
    // Prospects added long ago and never heard of since: every one is due.
    const PEOPLE: i64 = 1500;
    let mut csv = String::from("email,category,notes\n");
    for i in 0..PEOPLE {
        csv.push_str(&format!(
            "kuollut{i}@example.fi,prospect,muistiinpano {i}\n"
        ));
    }
    let file = r.file("people.csv", csv);
    at(
        &r,
        LONG_AGO,
        &["-q", "contact", "import", common::path_str(&file)],
    );
    let side = |suffix: &str| std::path::PathBuf::from(format!("{}{suffix}", r.db.display()));
    let saved: Vec<(String, Option<Vec<u8>>)> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| (s.to_string(), std::fs::read(side(s)).ok()))
        .collect();
    let pristine: Vec<u8> = saved
        .iter()
        .flat_map(|(_, b)| b.clone().unwrap_or_default())
        .collect();
    assert!(contains(&pristine, "kuollut7@example.fi") && contains(&pristine, "muistiinpano 7"));
    let restore = || {
        for (suffix, bytes) in &saved {
            match bytes {
                Some(b) => std::fs::write(side(suffix), b).unwrap(),
                None => {
                    let _ = std::fs::remove_file(side(suffix));
                }
            }
        }
    };
    let purge = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rekisteri"));
        c.env_clear()
            .env("REKISTERI_DB", &r.db)
            .env("REKISTERI_NOW", common::NOW)
            .env("REKISTERI_OPERATOR", "purge")
            .args(["-q", "purge"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    // Kill points spread over one whole purge as long as it takes on this machine.
    let started = std::time::Instant::now();
    assert!(purge().status().unwrap().success());
    let span = started.elapsed().as_micros() as u64 * 6 / 5;

    let (mut before, mut after) = (0, 0);
    for round in 0..12u64 {
        restore();
        let mut child = purge().spawn().unwrap();
        // The last round lets the purge finish: a run after a restore can take longer than
        // the timed one (an idle machine gave 12 kills all before the erasure), and "killed
        // after it ended" is one of the points too.
        if round < 11 {
            std::thread::sleep(std::time::Duration::from_micros(span * round / 8));
            let _ = child.kill();
        }
        child.wait().unwrap();
        // Whole: a batch is erased with its audit event, or not at all.
        let db = r.sql();
        let check: String = db
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
        let dangling: i64 = db
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })
            .unwrap();
        let erasures: i64 = db
            .query_row(
                "SELECT count(*) FROM audit_events WHERE action = 'contact.erase'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        drop(db);
        let left = r.count("contacts");
        assert_eq!(dangling, 0, "round {round}");
        match (left, erasures) {
            (PEOPLE, 0) => before += 1,
            (0, 1) => after += 1,
            other => panic!("round {round}: (contacts left, erasure events) = {other:?}"),
        }
        assert!(
            r.ok(&["audit", "verify"]).starts_with("OK"),
            "round {round}"
        );
        // The next run finishes the job and leaves nothing of the people behind.
        r.ok(&["-q", "purge"]);
        assert_eq!(r.count("contacts"), 0, "round {round}");
        for (f, bytes) in ["file", "-wal", "-shm"].iter().zip(files(&r)) {
            assert!(
                !contains(&bytes, "kuollut7@example.fi"),
                "round {round}: {f}"
            );
            assert!(!contains(&bytes, "muistiinpano 7"), "round {round}: {f}");
        }
    }
    assert!(
        before > 0 && after > 0,
        "kill points missed: {before} before the erasure, {after} after"
    );
}
