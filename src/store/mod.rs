//! The storage layer: one SQLite file is one whole register.
//!
//! Opening checks that the file is a register this binary understands before anything is
//! written to it, then sets the connection up (WAL, foreign keys, secure delete, busy
//! timeout) and runs pending migrations. All writes go through [`Store::write`], an
//! IMMEDIATE transaction, so a writer waits for the lock up front instead of failing halfway.

pub mod audit;
pub mod consents;
pub mod contacts;
pub mod disclose;
pub mod history;
pub mod holds;
pub mod import;
pub mod migrations;
pub mod policy;
pub mod tags;

use std::fs::{self, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{functions::FunctionFlags, Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::model::policy::Policy;
use migrations::{APPLICATION_ID, MIGRATIONS};

/// How long a command waits for another writer before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the register at `path`; a missing one (or an empty file) is made a register with
    /// the built-in default description, said on stderr when `announce`.
    pub fn open_or_create(
        path: &Path,
        now: DateTime<Utc>,
        operator: &str,
        announce: bool,
    ) -> Result<Store> {
        let (store, made) = match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(Error::invalid(
                    "--db",
                    path.display().to_string(),
                    "expected a register file, not a directory",
                ))
            }
            Ok(_) => Store::open_existing(path, now, operator)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
                Store::create(path, &Policy::default_policy(), now, operator)?,
                true,
            ),
            Err(e) => {
                return Err(Error::Register {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                })
            }
        };
        if made && announce {
            eprintln!(
                "created a new register at {} with the built-in default description (see `rekisteri policy show`)",
                path.display()
            );
        }
        Ok(store)
    }

    /// Opens an existing file. An empty one (made by `touch`, or left by an interrupted
    /// create) holds nothing to lose, so it is made a register; the flag says so.
    fn open_existing(path: &Path, now: DateTime<Utc>, operator: &str) -> Result<(Store, bool)> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| register_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        if store.check_identity()? {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|e| {
                Error::Register {
                    path: path.to_path_buf(),
                    reason: format!("cannot make the empty file private (mode 0600): {e}"),
                }
            })?;
            store.initialise(&Policy::default_policy(), now, operator)?;
            return Ok((store, true));
        }
        warn_if_readable_by_others(path);
        store.configure()?;
        store.migrate()?;
        Ok((store, false))
    }

    /// Creates a new register file (mode 0600, parent dirs 0700) with `policy` as version 1.
    pub fn create(
        path: &Path,
        policy: &Policy,
        now: DateTime<Utc>,
        operator: &str,
    ) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| Error::Register {
                    path: path.to_path_buf(),
                    reason: format!("cannot create its directory {}: {e}", dir.display()),
                })?;
        }
        // Create the file ourselves so it is 0600 from its first byte; SQLite gives the
        // -wal and -shm side files the same mode as the database file.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::Conflict(format!(
                    "a register already exists at {}; use `rekisteri policy apply FILE` to change its description",
                    path.display()
                )),
                _ => Error::Register {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                },
            })?;
        let conn = Connection::open(path).map_err(|e| register_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        if let Err(e) = store.initialise(policy, now, operator) {
            // Leave nothing half-made behind.
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.as_os_str().to_owned();
                p.push(suffix);
                let _ = fs::remove_file(PathBuf::from(p));
            }
            return Err(e);
        }
        Ok(store)
    }

    /// Schema, description version 1 and the first audit event, in a file that has none.
    fn initialise(&mut self, policy: &Policy, now: DateTime<Utc>, operator: &str) -> Result<()> {
        self.configure()?;
        self.migrate()?;
        let now_s = crate::model::time::format_time(&now);
        self.write(|tx| {
            let v = policy::insert_version(tx, policy, &now_s, operator)?;
            audit::append(
                tx,
                &now_s,
                operator,
                "register.create",
                &format!("policy:{v}"),
                "",
            )?;
            Ok(())
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access. Multi-statement reads that must agree should use [`Store::read`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is stored, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one IMMEDIATE transaction and then rolls it back, whatever `f` did: a
    /// dry run sees exactly what the real run would, and leaves nothing behind.
    pub fn trial<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.rollback()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    pub fn read<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Reads the file's identity before anything is written to it: `Ok(true)` for a file with
    /// no SQLite content (or a header and no schema), `Ok(false)` for a register this binary
    /// can use; anything else is refused.
    fn check_identity(&self) -> Result<bool> {
        let app_id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| register_error(&self.path, e))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if app_id == 0 && version == 0 {
            let objects: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            if objects == 0 {
                return Ok(true);
            }
        }
        if app_id != APPLICATION_ID {
            return Err(Error::Register {
                path: self.path.clone(),
                reason: "the file is not a rekisteri register (it was left untouched)".into(),
            });
        }
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(Error::Register {
                path: self.path.clone(),
                reason: format!(
                    "it was written by a newer rekisteri (schema version {version}; this binary knows up to {known}); upgrade rekisteri. The file was left untouched"
                ),
            });
        }
        Ok(false)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // journal_mode returns a row, so it is queried rather than executed.
        let _: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;",
        )?;
        // Unicode-aware case folding for searches (SQLite's own lower() is ASCII only).
        // Names sort in Finnish alphabetical order (å ä ö after z), case-insensitively.
        self.conn
            .create_collation("FINNISH", crate::model::collate::finnish)?;
        self.conn.create_scalar_function(
            "casefold",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                Ok(ctx
                    .get_raw(0)
                    .as_str_or_null()
                    .ok()
                    .flatten()
                    .map(crate::model::casefold))
            },
        )?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let current: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = i as i64 + 1;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now >= version {
                tx.commit()?;
                continue;
            }
            tx.execute_batch(sql)?;
            if version == 1 {
                tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
            }
            tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
            tx.commit()?;
        }
        Ok(())
    }
}

fn register_error(path: &Path, e: rusqlite::Error) -> Error {
    let reason = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "the file is not a rekisteri register (it was left untouched)".to_string()
        }
        _ => e.to_string(),
    };
    Error::Register {
        path: path.to_path_buf(),
        reason,
    }
}

/// Personal data must not be readable by others: say so when it is.
fn warn_if_readable_by_others(path: &Path) {
    if let Ok(meta) = fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            eprintln!(
                "warning: register file {} is accessible by other users (mode {mode:04o}); run `chmod 600 {}`",
                path.display(),
                path.display()
            );
        }
    }
}
