//! The register file itself: creation, permissions, identity, schema version.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Reg;

#[test]
fn first_use_creates_register_0600_with_default_policy() {
    let r = Reg::new();
    let out = r
        .cmd()
        .args(["contact", "add", "--email", "a@b.fi"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("created a new register"));
    // Hold the register open so its WAL side files exist while we look at them.
    let held = r.sql();
    held.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))
        .unwrap();
    r.add("b@c.fi", &[]);
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", r.db.display());
        let m = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(m.permissions().mode() & 0o777, 0o600, "{p}");
    }
    assert_eq!(r.count("policy_versions"), 1);
}

#[test]
fn parent_directories_are_created() {
    let r = Reg::new();
    let nested = r.dir.path().join("a/b/register.db");
    r.cmd()
        .env("REKISTERI_DB", &nested)
        .args(["contact", "add", "--email", "a@b.fi"])
        .assert()
        .success();
    assert!(nested.exists());
}

#[test]
fn register_readable_by_others_gives_a_warning() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    std::fs::set_permissions(&r.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = r
        .cmd()
        .args(["contact", "add", "--email", "c@d.fi"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&err.stderr).contains("warning: register file"));
}

#[test]
fn a_file_that_is_not_a_register_is_refused_and_untouched() {
    let r = Reg::new();
    std::fs::write(&r.db, b"hello, not a database").unwrap();
    let err = r.fails(&["contact", "add", "--email", "a@b.fi"], 1);
    assert!(err.contains("not a rekisteri register"), "{err}");
    assert_eq!(std::fs::read(&r.db).unwrap(), b"hello, not a database");

    // A SQLite file of some other application is refused too.
    let other = r.dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x)")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    let err = r
        .cmd()
        .env("REKISTERI_DB", &other)
        .args(["contact", "add", "--email", "a@b.fi"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&err.stderr).contains("not a rekisteri register"));
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn a_register_from_a_newer_version_is_refused() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    r.sql().execute_batch("PRAGMA user_version = 999").unwrap();
    let err = r.fails(&["contact", "add", "--email", "c@d.fi"], 1);
    assert!(err.contains("newer rekisteri"), "{err}");
    assert_eq!(r.count("contacts"), 1);
}

#[test]
fn invalid_clock_is_a_usage_error() {
    let r = Reg::new();
    let err = r
        .cmd()
        .env("REKISTERI_NOW", "tomorrow")
        .args(["contact", "add", "--email", "a@b.fi"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("REKISTERI_NOW"));
    assert!(!r.db.exists());
}

#[test]
fn ids_are_never_reused_after_a_contact_is_gone() {
    let r = Reg::new();
    let first = r.add("a@b.fi", &[]);
    r.sql()
        .execute("DELETE FROM contacts WHERE id = ?1", [first])
        .unwrap();
    // The audit trail says contact:1; a new person must not become contact 1.
    assert_eq!(r.add("c@d.fi", &[]), first + 1);
}

#[test]
fn an_empty_file_becomes_a_private_register_with_the_default_description() {
    let r = Reg::new();
    std::fs::write(&r.db, b"").unwrap();
    std::fs::set_permissions(&r.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = r
        .cmd()
        .args(["contact", "add", "--email", "a@b.fi"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("created a new register"));
    let mode = std::fs::metadata(&r.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // It has a description, so commands that need one work.
    r.ok(&[
        "consent",
        "grant",
        "a@b.fi",
        "--purpose",
        "newsletter",
        "--evidence",
        "form",
    ]);
    assert!(r.ok(&["audit", "verify"]).starts_with("OK"));
}

#[test]
fn a_directory_as_register_is_a_usage_error() {
    let r = Reg::new();
    let err = r
        .cmd()
        .env("REKISTERI_DB", r.dir.path())
        .args(["contact", "list"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    let err = String::from_utf8_lossy(&err.stderr);
    assert!(err.contains("--db") && err.contains("directory"), "{err}");
    assert!(!err.contains("chmod"), "{err}");
}

#[test]
fn a_path_under_a_file_names_the_path() {
    let r = Reg::new();
    let file = r.file("plain.txt", "x");
    let err = r
        .cmd()
        .env("REKISTERI_DB", file.join("register.db"))
        .args(["contact", "list"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&err.stderr).contains("plain.txt"));
}

#[test]
fn operator_names_with_control_characters_are_refused() {
    let r = Reg::new();
    let err = r.fails(
        &[
            "--operator",
            "ev\nil",
            "contact",
            "add",
            "--email",
            "a@b.fi",
        ],
        2,
    );
    assert!(err.contains("--operator"), "{err}");
    assert!(!r.db.exists());
}
