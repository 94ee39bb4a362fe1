//! The answers to access (Art. 15) and portability (Art. 20) requests: files written for the
//! person, from what the register holds and the description in force.
//!
//! `request fulfil` calls [`access::write`] or [`portability::write`] inside its transaction;
//! the files are named after the request (`R-2026-0007.json`, …) and written by
//! [`crate::output::file`] (0600, whole or not at all, never over an existing file).

pub mod access;
pub mod accountability;
pub mod person;
pub mod portability;

use crate::error::{Error, Result};

/// The request id as the stem of the answer's file names. Checked, because it becomes a
/// path: only letters, digits and `-` (`R-2026-0007`), so no id can name another directory.
pub fn file_stem(request_id: &str) -> Result<&str> {
    let ok = !request_id.is_empty()
        && !request_id.starts_with('-')
        && request_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(request_id)
    } else {
        Err(Error::invalid(
            "request",
            request_id,
            "expected a request id such as R-2026-0007",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_request_ids_become_file_names() {
        assert_eq!(file_stem("R-2026-0007").unwrap(), "R-2026-0007");
        for bad in ["", "../R-1", "R/1", "-R", "R 1", ".R"] {
            assert!(file_stem(bad).is_err(), "{bad:?}");
        }
    }
}
