//! The storage layer: one SQLite file is one whole register.
//!
//! Opening checks that the file is a register this binary understands before anything is
//! written to it, then sets the connection up (WAL, foreign keys, secure delete, a busy
//! handler that waits up to [`WRITE_WAIT`]) and runs pending migrations. All writes go through [`Store::write`], an
//! IMMEDIATE transaction, so a writer waits for the lock up front instead of failing halfway.

pub mod audit;
pub mod consents;
pub mod contacts;
pub mod disclose;
pub mod erasure;
pub mod history;
pub mod holds;
pub mod import;
pub mod migrations;
pub mod person;
pub mod policy;
pub mod requests;
pub mod retention;
pub mod runs;
pub mod staging;
pub mod suppressions;
pub mod tags;

use crate::model::audit::Action;
use std::cell::Cell;
use std::fs::{self, OpenOptions};
use std::io::{IsTerminal, Read};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use std::time::Instant;

use chrono::{DateTime, Utc};
use rusqlite::{functions::FunctionFlags, Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};
use crate::model::policy::Policy;
use migrations::{APPLICATION_ID, MIGRATIONS};

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// The register as commands see it inside [`Store::write`], [`Store::trial`] and
/// [`Store::read`]: the `store` functions taking it are the register's operations. Its SQL
/// connection is reachable only from inside `store`, so SQL lives here and nowhere else, and
/// another storage engine could stand behind the same operations.
#[derive(Clone, Copy)]
pub struct Tx<'a> {
    conn: &'a Connection,
}

impl<'a> Tx<'a> {
    pub(in crate::store) fn new(conn: &'a Connection) -> Tx<'a> {
        Tx { conn }
    }

    pub(in crate::store) fn conn(&self) -> &'a Connection {
        self.conn
    }
}

/// What [`Store::open`] does when there is no file at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMissing {
    /// A register named explicitly (`--db`, `REKISTERI_DB`): only `init` creates one, so a
    /// mistyped path fails instead of becoming a fresh, empty register that "works".
    Refuse,
    /// The default register file: made on first use, so the quick start needs no `init`.
    CreateDefault,
}

/// What a file at a register path is, read without writing to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Register,
    /// A register this binary is too old for (its schema version).
    Newer(i64),
    Empty,
    NotSqlite,
    /// An SQLite database without rekisteri's application id.
    OtherSqlite,
}

impl Identity {
    /// Why a file that is not a usable register is refused, in a user's words.
    pub fn refusal(&self) -> Option<String> {
        let known = MIGRATIONS.len();
        match self {
            Identity::Register => None,
            Identity::Newer(v) => Some(format!(
                "it was written by a newer rekisteri (schema version {v}; this binary knows up to {known}); upgrade rekisteri"
            )),
            Identity::Empty => Some(
                "it is not a rekisteri register (it is an empty file; perhaps a create that was interrupted). If nothing else uses it, remove it and run `rekisteri init`".into(),
            ),
            Identity::NotSqlite => {
                Some("it is not a rekisteri register (it is not an SQLite file)".into())
            }
            Identity::OtherSqlite => Some(
                "it is not a rekisteri register (it is an SQLite database of another application)"
                    .into(),
            ),
        }
    }
}

/// Why `init` cannot create a register at `path`: says what is there.
fn taken(path: &Path) -> Error {
    let shown = path.display();
    if path.is_dir() {
        return Error::invalid(
            "--db",
            shown.to_string(),
            "expected a register file, not a directory",
        );
    }
    let what = match identify(path) {
        Ok(Identity::Register | Identity::Newer(_)) => {
            return Error::Conflict(format!(
                "a register already exists at {shown}; use `rekisteri policy apply FILE` to change its description"
            ))
        }
        Ok(Identity::Empty) => "it is an empty file",
        Ok(Identity::NotSqlite) => "it is not an SQLite file",
        Ok(Identity::OtherSqlite) => "it is an SQLite database of another application",
        Err(e) => return e,
    };
    Error::Conflict(format!(
        "{shown} is not a rekisteri register ({what}); it was left untouched and no register was created"
    ))
}

impl Store {
    /// Opens the register at `path`. A missing file is refused or made a register with the
    /// built-in default description (said on stderr when `announce`), as `if_missing` says.
    pub fn open(
        path: &Path,
        if_missing: IfMissing,
        now: DateTime<Utc>,
        operator: &str,
        announce: bool,
    ) -> Result<Store> {
        WAIT_NOTICE.store(
            announce && std::io::stderr().is_terminal(),
            Ordering::Relaxed,
        );
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => Err(Error::invalid(
                "--db",
                path.display().to_string(),
                "expected a register file, not a directory",
            )),
            Ok(_) => Store::open_existing(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match if_missing {
                IfMissing::Refuse => Err(Error::NoRegister(path.to_path_buf())),
                IfMissing::CreateDefault => {
                    // Another first use may have made it meanwhile: then use that one.
                    if !Store::build(path, &Policy::default_policy(), now, operator)? {
                        return Store::open_existing(path);
                    }
                    let store = Store::open_existing(path)?;
                    if announce {
                        eprintln!(
                            "created a new register at {} with the built-in default description (see `rekisteri policy show`)",
                            path.display()
                        );
                    }
                    Ok(store)
                }
            },
            Err(e) => Err(Error::Register {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }),
        }
    }

    /// Opens an existing register; any other file is refused and left untouched (an empty
    /// one too: the tool never writes to a file it did not make).
    fn open_existing(path: &Path) -> Result<Store> {
        let (identity, conn) = inspect(path)?;
        let (None, Some(conn)) = (identity.refusal(), conn) else {
            let reason = identity.refusal().unwrap_or_default();
            return Err(Error::Register {
                path: path.to_path_buf(),
                reason: format!("{reason}. The file was left untouched"),
            });
        };
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        warn_if_readable_by_others(path);
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Creates a new register file (mode 0600, parent dirs 0700) with `policy` as version 1.
    pub fn create(
        path: &Path,
        policy: &Policy,
        now: DateTime<Utc>,
        operator: &str,
    ) -> Result<Store> {
        // Checked first so nothing is built for a path that is taken; the link checks again.
        if fs::symlink_metadata(path).is_ok() || !Store::build(path, policy, now, operator)? {
            return Err(taken(path));
        }
        Store::open_existing(path)
    }

    /// Builds a whole register in a temp file beside `path` and links it into place, so
    /// whenever the process is stopped the path holds either nothing or a whole register.
    /// A link never replaces a file: `Ok(false)` when something is at `path` already.
    fn build(path: &Path, policy: &Policy, now: DateTime<Utc>, operator: &str) -> Result<bool> {
        let fail = |reason: String| Error::Register {
            path: path.to_path_buf(),
            reason,
        };
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return Err(Error::invalid(
                "--db",
                path.display().to_string(),
                "expected a file name in UTF-8 at the end of the path",
            ));
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| {
                fail(format!(
                    "cannot create its directory {}: {e}",
                    dir.display()
                ))
            })?;
        let prefix = temp_prefix(name);
        remove_stale_temps(dir, &prefix);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tmp = dir.join(format!("{prefix}{}-{nanos:08x}", std::process::id()));
        // Made by us so it is 0600 from its first byte; SQLite gives the -wal and -shm side
        // files of the register the same mode.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| fail(format!("cannot create {}: {e}", tmp.display())))?;
        let built = (|| -> Result<()> {
            let conn = Connection::open(&tmp).map_err(|e| register_error(&tmp, e))?;
            let mut store = Store {
                conn,
                path: tmp.clone(),
            };
            // No journal file beside the temp file (a failed build is thrown away whole),
            // and every commit on disk before the link makes it visible.
            let _: String = store
                .conn
                .query_row("PRAGMA journal_mode = MEMORY", [], |r| r.get(0))?;
            store.conn.execute_batch("PRAGMA synchronous = FULL")?;
            store.configure_session()?;
            store.initialise(policy, now, operator)?;
            drop(store);
            fs::File::open(&tmp)?.sync_all()?;
            Ok(())
        })();
        if let Err(e) = built {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        let linked = match fs::hard_link(&tmp, path) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(fail(format!(
                    "cannot move the new register into place: {e}"
                )));
            }
        };
        let _ = fs::remove_file(&tmp);
        // The new name survives a power cut once the directory is on disk.
        let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        Ok(linked)
    }

    /// Schema, description version 1 and the first audit event, in a file that has none.
    fn initialise(&mut self, policy: &Policy, now: DateTime<Utc>, operator: &str) -> Result<()> {
        self.migrate()?;
        let now_s = crate::model::time::format_time(&now);
        self.write(|tx| {
            let v = policy::insert_version(tx, policy, &now_s, &now_s, operator)?;
            audit::append(
                tx,
                &now_s,
                operator,
                Action::RegisterCreate,
                &format!("policy:{v}"),
                "",
            )?;
            Ok(())
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The register outside any transaction: for the connection's settings (an import's
    /// or a scan's tuning) and single reads. Reads that must agree use [`Store::read`].
    pub fn session(&self) -> Tx<'_> {
        Tx::new(&self.conn)
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is stored, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Tx::new(&tx))?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one IMMEDIATE transaction and then rolls it back, whatever `f` did: a
    /// dry run sees exactly what the real run would, and leaves nothing behind.
    pub fn trial<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Tx::new(&tx))?;
        tx.rollback()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&Tx::new(&tx))?;
        tx.commit()?;
        Ok(out)
    }

    fn configure(&mut self) -> Result<()> {
        // journal_mode returns a row, so it is queried rather than executed.
        let _: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        self.configure_session()
    }

    /// What every connection needs, whatever its journal: keys, secure delete, the
    /// collation and functions the queries use.
    fn configure_session(&mut self) -> Result<()> {
        self.conn.busy_handler(Some(wait_for_lock))?;
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON;
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

/// Reads what the file at `path` is, writing nothing to it: its first bytes, then (for an
/// SQLite file) its application id and schema version.
pub fn identify(path: &Path) -> Result<Identity> {
    inspect(path).map(|(identity, _)| identity)
}

/// [`identify`], handing back the connection it read with. It is opened read-write (never
/// creating): a read-only one cannot recover the WAL a killed writer left, and would take
/// a sound register for a broken one.
fn inspect(path: &Path) -> Result<(Identity, Option<Connection>)> {
    let mut head = Vec::with_capacity(16);
    fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .map_err(|e| Error::Register {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    if head.is_empty() {
        return Ok((Identity::Empty, None));
    }
    if head != b"SQLite format 3\0" {
        return Ok((Identity::NotSqlite, None));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| register_error(path, e))?;
    // Even reading the header waits while another process recovers or checkpoints the WAL.
    conn.busy_handler(Some(wait_for_lock))?;
    let pragma = |name: &str| -> Result<i64> {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .map_err(|e| register_error(path, e))
    };
    let identity = if pragma("application_id")? != i64::from(APPLICATION_ID) {
        Identity::OtherSqlite
    } else {
        match pragma("user_version")? {
            v if v > MIGRATIONS.len() as i64 => Identity::Newer(v),
            _ => Identity::Register,
        }
    };
    Ok((identity, Some(conn)))
}

/// How long a command waits for another one writing to the register before it gives up:
/// long enough for an import of a million rows, so no command fails only because another
/// is busy.
pub const WRITE_WAIT: Duration = Duration::from_secs(10 * 60);

/// After this long waiting, a person at a terminal is told why nothing happens.
const WAIT_NOTICE_AFTER: Duration = Duration::from_secs(1);

/// Whether this process may tell of waiting (stderr is a terminal and not `--quiet`).
static WAIT_NOTICE: AtomicBool = AtomicBool::new(false);
/// Told once per process, however many waits.
static WAIT_TOLD: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// When the current wait for the lock began.
    static WAIT_START: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// SQLite's busy handler: `count` is how many times it was called for this lock attempt.
/// Sleeps a little longer each time (at most 16 ms, so a writer follows soon after the lock
/// is free) and gives up after [`WRITE_WAIT`].
fn wait_for_lock(count: i32) -> bool {
    let now = Instant::now();
    let start = WAIT_START.with(|s| match s.get() {
        Some(t) if count > 0 => t,
        _ => {
            s.set(Some(now));
            now
        }
    });
    let waited = now - start;
    if waited >= WRITE_WAIT {
        return false;
    }
    if waited >= WAIT_NOTICE_AFTER
        && WAIT_NOTICE.load(Ordering::Relaxed)
        && !WAIT_TOLD.swap(true, Ordering::Relaxed)
    {
        eprintln!("waiting for another rekisteri to finish writing…");
    }
    std::thread::sleep(Duration::from_millis(1 << count.clamp(0, 4)));
    true
}

/// Temp files of a register being built are named `.NAME.creating-PID-…` beside it: hidden,
/// never taken for a register, and told apart from another process's by the pid.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.creating-")
}

/// Removes temp files left by a create that was killed (its process is gone).
fn remove_stale_temps(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<i32>().ok());
        if pid.is_some_and(|p| p > 0 && !process_alive(p)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn process_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
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
