//! What every command needs: where the register is, who is acting, what time it is, how to print.

use std::cell::OnceCell;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::time::{self, Tz};
use crate::output::{CsvStyle, DocFormat, Format};
use crate::store::{self, IfMissing, Store};

pub struct Ctx {
    pub db_path: PathBuf,
    /// The path was given (`--db`, `REKISTERI_DB`): only `init` may create a register there.
    pub db_explicit: bool,
    pub format: Format,
    /// The document format `--format md|html` asked for; only a command that writes a
    /// document accepts one (`Command::writes_documents`), and `format` is then `Table`.
    pub document: Option<DocFormat>,
    /// The CSV dialect (`--excel` or lossless); it applies when `format` is CSV.
    pub csv: CsvStyle,
    pub operator: String,
    /// The clock every command uses (`REKISTERI_NOW` when set, so date rules can be replayed).
    pub now: DateTime<Utc>,
    pub quiet: bool,
    /// The register's time zone, read once: by [`Ctx::open`], or by the first [`Ctx::zone`]
    /// when a command checks dates before it opens the register. Start it empty.
    pub zone: OnceCell<Tz>,
}

impl Ctx {
    /// Opens the register. A missing default register is created with the built-in default
    /// description; a missing one named explicitly is refused.
    pub fn open(&self) -> Result<Store> {
        let if_missing = if self.db_explicit {
            IfMissing::Refuse
        } else {
            IfMissing::CreateDefault
        };
        let store = Store::open(
            &self.db_path,
            if_missing,
            self.now,
            &self.operator,
            !self.quiet,
        )?;
        if self.zone.get().is_none() {
            let _ = self
                .zone
                .set(store::policy::zone(&store.session(), &self.now_str())?);
        }
        Ok(store)
    }

    /// The register's time zone: it decides every day a rule computes and how times are shown.
    pub fn zone(&self) -> Tz {
        if let Some(z) = self.zone.get() {
            return *z;
        }
        // Not opened yet: read the file as it is. When there is no register to read, the
        // default is what `open` would create it with (or `open` refuses the file); it is
        // not kept, so `open` still reads the real one.
        match store::policy::zone_in_file(&self.db_path, &self.now_str()) {
            Some(z) => *self.zone.get_or_init(|| z),
            None => time::DEFAULT_ZONE,
        }
    }

    /// A stored UTC time as a person reads it, in the register's time zone.
    pub fn show_time(&self, stored: &str) -> String {
        time::display(stored, self.zone())
    }

    /// Status text goes to stderr so stdout stays data only.
    pub fn status(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", msg.as_ref());
        }
    }

    pub fn now_str(&self) -> String {
        time::format_time(&self.now)
    }

    /// The register's today (its time zone's, not the process's).
    pub fn today(&self) -> chrono::NaiveDate {
        time::date_in(&self.now, self.zone())
    }
}

/// The default register file: the platform data dir (`~/.local/share/rekisteri/register.db` on Linux).
pub fn default_db_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("fi", "rekisteri", "rekisteri")
        .map(|d| d.data_dir().join("register.db"))
        .ok_or_else(|| {
            Error::Conflict(
                "cannot find a home directory for the default register file; give --db PATH or set REKISTERI_DB"
                    .into(),
            )
        })
}

/// `REKISTERI_NOW` (an RFC 3339 time, or a date meaning 00:00 UTC), else the system clock.
/// It is read before the register, so a bare date cannot be the register's midnight.
pub fn clock_from_env() -> Result<DateTime<Utc>> {
    match std::env::var("REKISTERI_NOW") {
        Ok(v) if !v.trim().is_empty() => time::parse_time(&v, Tz::UTC)
            .ok_or_else(|| Error::invalid("REKISTERI_NOW", v, time::TIME_EXPECTED)),
        _ => Ok(Utc::now()),
    }
}

/// `--operator`, then `REKISTERI_OPERATOR` (both via clap), then the OS login name.
/// The name goes into every audit event, so a given one must be a plain, short name.
pub fn operator_or_login(flag: Option<String>) -> Result<String> {
    if let Some(name) = flag {
        let trimmed = name.trim();
        if trimmed.is_empty()
            || trimmed.chars().count() > 100
            || trimmed.chars().any(char::is_control)
        {
            return Err(Error::invalid(
                "--operator",
                name,
                "expected a name of 1 to 100 characters without control characters",
            ));
        }
        return Ok(trimmed.to_string());
    }
    Ok(std::env::var("USER")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("LOGNAME").ok().filter(|s| !s.is_empty()))
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string()))
}

/// The name of the account running the process (cron jobs often have no USER set).
fn account_name() -> Option<String> {
    // SAFETY: getpwuid returns a pointer into static storage or null; we copy the name
    // out at once and this program calls it from one thread only.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_str()
            .ok()
            .map(str::to_string)
    }
}
