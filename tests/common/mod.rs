//! Shared helpers for the integration tests: a real binary against a register in a temp dir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use tempfile::TempDir;

/// A register file in its own temp dir, and a fixed clock and operator.
pub struct Reg {
    pub dir: TempDir,
    pub db: PathBuf,
}

pub const NOW: &str = "2026-11-23T10:00:00Z";

impl Reg {
    /// A register made by `rekisteri init` (the built-in description), as users start.
    pub fn new() -> Reg {
        let r = Reg::bare();
        // One `init` per test binary, copied: the same file every test would get, without a
        // process per test. The copy keeps its mode (0600).
        static TEMPLATE: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
        let (_, template) = TEMPLATE.get_or_init(|| {
            let t = Reg::bare();
            t.ok(&["init"]);
            let db = t.db.clone();
            (t.dir, db)
        });
        std::fs::copy(template, &r.db).expect("copy the template register");
        r
    }

    /// A temp dir with no register in it yet (for `init` and missing-register tests).
    pub fn bare() -> Reg {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("register.db");
        Reg { dir, db }
    }

    /// `rekisteri` with this register, a fixed clock, operator and time zone.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("rekisteri").expect("binary");
        c.env_clear()
            .env("REKISTERI_DB", &self.db)
            .env("REKISTERI_NOW", NOW)
            .env("REKISTERI_OPERATOR", "tester")
            .env("TZ", "UTC")
            .env("NO_COLOR", "1");
        c
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs and asserts the exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Adds a contact with the given e-mail and extra flags; returns its id.
    pub fn add(&self, email: &str, extra: &[&str]) -> i64 {
        let mut args = vec!["contact", "add", "--email", email];
        args.extend_from_slice(extra);
        self.ok(&args).trim().parse().expect("id on stdout")
    }

    /// Writes a file in the temp dir and returns its path.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).expect("write file");
        p
    }

    /// Direct access for assertions the CLI does not show.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open register")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.sql()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    }
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
