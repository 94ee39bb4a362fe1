//! Disclosure before output: a listing or export commits its audit event before its first
//! byte goes out, and streams holding no write lock.

mod common;

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::{path_str, Reg};

/// A register with `n` contacts (all on the opt-out b2b-marketing list).
fn register_with(n: usize) -> Reg {
    let r = Reg::new();
    let mut csv = String::from("email,first_name,last_name\n");
    for i in 0..n {
        csv.push_str(&format!("person{i}@example.fi,Etu{i},Suku{i}\n"));
    }
    let f = r.file("in.csv", csv);
    r.ok(&["contact", "import", path_str(&f)]);
    r
}

fn disclosures(r: &Reg, action: &str) -> i64 {
    r.sql()
        .query_row(
            "SELECT count(*) FROM audit_events WHERE action = ?1",
            [action],
            |row| row.get(0),
        )
        .expect("count")
}

const LISTINGS: [&[&str]; 2] = [
    &["export", "mailing-list", "--purpose", "b2b-marketing"],
    &["consent", "list", "--purpose", "b2b-marketing"],
];

/// Every command that shows or exports many contacts, and its audit action.
const DISCLOSING: [(&[&str], &str); 5] = [
    (LISTINGS[0], "export.mailing-list"),
    (LISTINGS[1], "consent.list"),
    (&["export", "contacts"], "export.contacts"),
    (&["contact", "list"], "contact.list"),
    (&["--format", "csv", "contact", "list"], "contact.list"),
];

#[test]
fn a_read_only_register_shows_nothing_and_fails() {
    let r = register_with(3);
    std::fs::set_permissions(&r.db, std::fs::Permissions::from_mode(0o400)).unwrap();
    for (args, _) in DISCLOSING {
        let out = r.cmd().args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed {:?}", out.stdout);
        assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    }
    std::fs::set_permissions(&r.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    for (args, action) in DISCLOSING {
        assert_eq!(disclosures(&r, action), 0, "{args:?}");
    }
}

#[test]
fn the_event_names_every_contact_shown_and_is_there_first() {
    let r = register_with(3);
    let out = r.ok(&["export", "mailing-list", "--purpose", "b2b-marketing"]);
    assert_eq!(out.lines().count(), 4);
    let ids: String = r
        .sql()
        .query_row(
            "SELECT object_ids FROM audit_events WHERE action = 'export.mailing-list'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(ids, "contact:1-3");
    r.ok(&[
        "consent",
        "list",
        "--purpose",
        "newsletter",
        "--status",
        "allowed",
    ]);
    assert_eq!(disclosures(&r, "consent.list"), 1);
}

/// `rekisteri ARGS` on `r`'s register with stdout piped.
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
fn nothing_goes_out_while_the_event_waits_for_a_held_lock() {
    let r = register_with(3);
    let holder = r.sql();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // export contacts used to print first and record afterwards.
    let mut child = spawn(&r, &["export", "contacts"]);
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).expect("first byte");
        let at = Instant::now();
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest).unwrap();
        (at, rest.len() + 1)
    });
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "gave up or ended");
    let released = Instant::now();
    holder.execute_batch("ROLLBACK").unwrap();
    let (first_byte, bytes) = reader.join().unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(
        first_byte > released,
        "a byte went out before the event could be written"
    );
    assert!(bytes > 0);
    assert_eq!(disclosures(&r, "export.contacts"), 1);
}

#[test]
fn a_writer_goes_on_while_an_export_waits_on_its_reader() {
    let r = register_with(4000);
    for args in LISTINGS {
        let mut child = spawn(&r, args);
        // The event is committed before the first byte: wait for the first bytes, then
        // leave the pipe unread so the exporter blocks writing (4000 rows fill a pipe).
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).expect("first bytes");
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            child.try_wait().unwrap().is_none(),
            "{args:?} ended already"
        );
        let t0 = Instant::now();
        let email = format!("new-{}@example.fi", args[0]);
        r.cmd()
            .args(["contact", "add", "--email", &email])
            .timeout(Duration::from_secs(30))
            .assert()
            .success();
        assert!(
            t0.elapsed() < Duration::from_secs(3),
            "contact add took {:?} behind {args:?}",
            t0.elapsed()
        );
        // A reader that stops early ends the export normally (EPIPE is exit 0).
        drop(stdout);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}");
    }
}
