//! The library's error type. Commands return these; `main` maps them to exit codes.

use std::path::PathBuf;

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code when the command failed: not found, refused, conflict, I/O.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code for invalid usage or input.
pub const EXIT_USAGE: i32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One invalid value, named by its field (a flag or a CSV column).
    #[error("invalid {field} {value:?}: {expected}")]
    Invalid {
        field: String,
        value: String,
        expected: String,
    },
    /// Input that was rejected as a whole (e.g. a CSV file whose row errors were already listed).
    #[error("{0}")]
    InvalidInput(String),
    #[error("no {what} matches {key:?}")]
    NotFound { what: &'static str, key: String },
    /// The request clashes with what the register holds (duplicate e-mail, existing register).
    #[error("{0}")]
    Conflict(String),
    /// The register's rules forbid the action (legal hold, basis is not consent, …).
    #[error("{0}")]
    Refused(String),
    /// The file is not a register this binary can use (not a register, newer schema, unreadable).
    #[error("cannot use register {}: {reason}", path.display())]
    Register { path: PathBuf, reason: String },
    /// A register named explicitly (`--db`, `REKISTERI_DB`) that does not exist.
    #[error("no register at {path}; create one with rekisteri init --db {path}", path = .0.display())]
    NoRegister(PathBuf),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: field.into(),
            value: value.into(),
            expected: expected.into(),
        }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Error::NotFound {
            what,
            key: key.into(),
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid { .. } | Error::InvalidInput(_) => EXIT_USAGE,
            _ => EXIT_FAILURE,
        }
    }

    /// A next step for the user, where one helps.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Some(
                "another process (another rekisteri, or a tool holding the file open) is writing to the register; try again when it has finished",
            ),
            Error::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseLocked) => Some(
                "another process is holding the register locked; try again when it has finished",
            ),
            _ => None,
        }
    }

    /// True when stdout was closed by the reader (`rekisteri export … | head`): a normal end.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
