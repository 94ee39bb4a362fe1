//! The register file itself: creation, permissions, identity, schema version.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::Reg;

/// `rekisteri` with no `--db` and no `REKISTERI_DB`: the default file under `data_home`.
fn default_cmd(r: &Reg, data_home: &Path) -> assert_cmd::Command {
    let mut c = r.cmd();
    c.env_remove("REKISTERI_DB")
        .env("HOME", r.dir.path())
        .env("XDG_DATA_HOME", data_home);
    c
}

#[test]
fn first_use_of_the_default_register_creates_it_0600_with_default_policy() {
    let r = Reg::bare();
    let data = r.dir.path().join("data");
    let out = default_cmd(&r, &data)
        .args(["contact", "add", "--email", "a@b.fi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("created a new register"));
    let db = data.join("rekisteri/register.db");
    let dir_mode = std::fs::metadata(data.join("rekisteri")).unwrap();
    assert_eq!(dir_mode.permissions().mode() & 0o777, 0o700);
    // Hold the register open so its WAL side files exist while we look at them.
    let held = rusqlite::Connection::open(&db).unwrap();
    held.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))
        .unwrap();
    default_cmd(&r, &data)
        .args(["contact", "add", "--email", "b@c.fi"])
        .assert()
        .success();
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", db.display());
        let m = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(m.permissions().mode() & 0o777, 0o600, "{p}");
    }
    let versions: i64 = held
        .query_row("SELECT count(*) FROM policy_versions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 1);
    // Later uses say nothing about creating.
    let out = default_cmd(&r, &data)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("created"));
}

#[test]
fn a_missing_register_named_explicitly_is_created_only_by_init() {
    let r = Reg::bare();
    let nested = r.dir.path().join("typo/register.db");
    let policy = r.file(
        "policy.toml",
        include_str!("../src/model/default_policy.toml"),
    );
    let commands: &[&[&str]] = &[
        &["contact", "add", "--email", "a@b.fi"],
        &["contact", "list"],
        &["audit", "verify"],
        &["export", "contacts"],
        &["export", "mailing-list", "--purpose", "newsletter"],
        &["consent", "list", "--purpose", "newsletter"],
        &["policy", "show"],
        &["policy", "apply", common::path_str(&policy)],
        &["check"],
    ];
    for db in [&r.db, &nested] {
        for args in commands {
            for via_flag in [false, true] {
                let mut c = r.cmd();
                if via_flag {
                    c.env_remove("REKISTERI_DB").arg("--db").arg(db);
                } else {
                    c.env("REKISTERI_DB", db);
                }
                let out = c.args(*args).output().unwrap();
                assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
                let d = db.display();
                assert_eq!(
                    String::from_utf8_lossy(&out.stderr),
                    format!("error: no register at {d}; create one with rekisteri init --db {d}\n"),
                    "{args:?}"
                );
                assert!(out.stdout.is_empty(), "{args:?}");
            }
        }
    }
    // Nothing was made: no file, no side files, no directory.
    let mut left: Vec<_> = std::fs::read_dir(r.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["policy.toml"]);

    // `init` creates it, parent directories included, and then the commands work.
    r.cmd()
        .env("REKISTERI_DB", &nested)
        .args(["init"])
        .assert()
        .success();
    let dir_mode = std::fs::metadata(nested.parent().unwrap()).unwrap();
    assert_eq!(dir_mode.permissions().mode() & 0o777, 0o700);
    r.cmd()
        .env("REKISTERI_DB", &nested)
        .args(["audit", "verify"])
        .assert()
        .success();
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
    let r = Reg::bare();
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
fn an_empty_file_is_refused_and_left_untouched() {
    // An empty file named as the register is a mistake (a wrong path, a placeholder of
    // something else) or a create interrupted by an older rekisteri: never silently a register.
    let r = Reg::bare();
    std::fs::write(&r.db, b"").unwrap();
    std::fs::set_permissions(&r.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in [
        &["contact", "add", "--email", "a@b.fi"][..],
        &["audit", "verify"],
    ] {
        let err = r.fails(args, 1);
        assert!(err.contains("it is an empty file"), "{err}");
        assert!(err.contains("left untouched"), "{err}");
    }
    let meta = std::fs::metadata(&r.db).unwrap();
    assert_eq!(meta.len(), 0);
    assert_eq!(meta.permissions().mode() & 0o777, 0o644);
    let names: Vec<_> = std::fs::read_dir(r.dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no side files");
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
    let r = Reg::bare();
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

/// Files in the register's directory, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_create_killed_at_any_point_leaves_no_register_or_a_whole_one() {
    let r = Reg::bare();
    let init = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rekisteri"));
        c.env_clear()
            .env("REKISTERI_DB", &r.db)
            .env("REKISTERI_NOW", common::NOW)
            .env("REKISTERI_OPERATOR", "tester")
            .args(["-q", "init"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    // Kill points spread over one whole create as long as it takes on this machine.
    let started = std::time::Instant::now();
    assert!(init().status().unwrap().success());
    let span = started.elapsed().as_micros() as u64 * 6 / 5;
    std::fs::remove_file(&r.db).unwrap();

    let (mut none, mut whole) = (0, 0);
    for round in 0..100u64 {
        let mut child = init().spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_micros(span * round / 100));
        let _ = child.kill();
        child.wait().unwrap();
        if !r.db.exists() {
            none += 1;
            // Not even an empty file or side files that a later init would trip over.
            assert!(
                !names_in(r.dir.path())
                    .iter()
                    .any(|n| n.starts_with("register.db")),
                "round {round}: {:?}",
                names_in(r.dir.path())
            );
            continue;
        }
        whole += 1;
        assert!(
            r.ok(&["audit", "verify"]).starts_with("OK"),
            "round {round}"
        );
        assert!(
            r.ok(&["policy", "show"]).contains("version 1"),
            "round {round}"
        );
        r.add("a@b.fi", &[]);
        assert_eq!(r.count("policy_versions"), 1, "round {round}");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", r.db.display()));
        }
    }
    assert!(
        none > 0 && whole > 0,
        "kill points missed: {none} none, {whole} whole"
    );
    // A later init succeeds and clears what killed creates left behind.
    r.ok(&["init"]);
    assert_eq!(names_in(r.dir.path()), ["register.db"]);
}

#[test]
fn init_refuses_an_existing_register_and_leaves_no_temp_file() {
    let r = Reg::new();
    let before = std::fs::read(&r.db).unwrap();
    let err = r.fails(&["init"], 1);
    assert!(err.contains("a register already exists at"), "{err}");
    assert!(err.contains("policy apply"), "{err}");
    assert_eq!(std::fs::read(&r.db).unwrap(), before);
    assert_eq!(names_in(r.dir.path()), ["register.db"]);
}

#[test]
fn init_on_a_file_that_is_not_a_register_says_what_it_is() {
    let r = Reg::bare();
    let text = r.file("notes.txt", "hello, not a database");
    let empty = r.file("empty.db", "");
    let other = r.dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x)")
        .unwrap();
    for (path, what) in [
        (&text, "it is not an SQLite file"),
        (&empty, "it is an empty file"),
        (&other, "it is an SQLite database of another application"),
    ] {
        let before = std::fs::read(path).unwrap();
        let err = r
            .cmd()
            .env("REKISTERI_DB", path)
            .arg("init")
            .output()
            .unwrap();
        assert_eq!(err.status.code(), Some(1));
        let err = String::from_utf8_lossy(&err.stderr);
        let expected = format!("{} is not a rekisteri register ({what})", path.display());
        assert!(err.contains(&expected), "{err}");
        assert!(!err.contains("already exists"), "{err}");
        assert_eq!(&std::fs::read(path).unwrap(), &before);
    }
    assert_eq!(
        names_in(r.dir.path()),
        ["empty.db", "notes.txt", "other.db"]
    );
}
