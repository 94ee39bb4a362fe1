//! Reading what users give the register: files or standard input, and the CSV in them.
//!
//! Every import reads through here, so a BOM, Excel's `sep=` line, `;` or `,`, CRLF line
//! ends, line numbers and the messages for unreadable input are handled once.

pub mod csv;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where an import's rows come from: a file, or standard input for `-`.
pub enum Source {
    Stdin,
    File {
        path: PathBuf,
        len: u64,
        regular: bool,
    },
}

impl Source {
    /// Checks that `path` can be read (`-`: standard input). Called before the register is
    /// opened, so a mistyped file name creates or changes nothing.
    pub fn open(path: &Path) -> Result<Source> {
        if path.as_os_str() == "-" {
            return Ok(Source::Stdin);
        }
        let meta = std::fs::metadata(path).map_err(|e| read_error(path, e))?;
        if meta.is_dir() {
            return Err(Error::invalid(
                "FILE",
                path.display().to_string(),
                "expected a CSV file or - for standard input, not a directory",
            ));
        }
        // Opening now reports an unreadable file (permissions) before anything else.
        File::open(path).map_err(|e| read_error(path, e))?;
        Ok(Source::File {
            path: path.to_path_buf(),
            len: meta.len(),
            regular: meta.is_file(),
        })
    }

    /// The name messages give the input.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".into(),
            Source::File { path, .. } => path.display().to_string(),
        }
    }

    pub fn is_stdin(&self) -> bool {
        matches!(self, Source::Stdin)
    }

    /// The size in bytes, when known up front (a regular file).
    pub fn size(&self) -> Option<u64> {
        match self {
            Source::File {
                len, regular: true, ..
            } => Some(*len),
            _ => None,
        }
    }

    /// Whether the rows can be read a second time.
    pub fn rewindable(&self) -> bool {
        matches!(self, Source::File { regular: true, .. })
    }

    /// A reader from the start of the input.
    pub fn reader(&self) -> Result<Box<dyn Read>> {
        Ok(match self {
            Source::Stdin => Box::new(io::stdin().lock()),
            Source::File { path, .. } => {
                Box::new(File::open(path).map_err(|e| read_error(path, e))?)
            }
        })
    }
}

/// `cannot read PATH: REASON`, keeping the kind of the I/O error (its exit code).
pub fn read_error(path: &Path, e: io::Error) -> Error {
    Error::Io(io::Error::new(
        e.kind(),
        format!("cannot read {}: {e}", path.display()),
    ))
}
