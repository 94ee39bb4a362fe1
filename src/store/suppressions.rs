//! The suppression list: keyed hashes of erased people's e-mail addresses (see
//! `model::suppression`). Nothing here holds an address in clear text.

use rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::model::suppression::{self, Suppressed};
use crate::store::Tx;

/// The register's HMAC secret.
pub fn secret(tx: &Tx) -> Result<Vec<u8>> {
    Ok(tx
        .conn()
        .prepare_cached("SELECT secret FROM register_secret WHERE id = 1")?
        .query_row([], |r| r.get(0))?)
}

/// Looks addresses up on the list: made once per command, it reads the secret once and
/// answers at once when the list is empty (the usual case, and an import's many rows).
pub struct Lookup {
    secret: Option<Vec<u8>>,
}

impl Lookup {
    pub fn new(tx: &Tx) -> Result<Lookup> {
        let empty: bool =
            tx.conn()
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM suppressions)", [], |r| {
                    r.get(0)
                })?;
        Ok(Lookup {
            secret: if empty { None } else { Some(secret(tx)?) },
        })
    }

    /// True when nobody is on the list.
    pub fn is_empty(&self) -> bool {
        self.secret.is_none()
    }

    /// The entry of `email`, when it was erased.
    pub fn find(&self, tx: &Tx, email: &str) -> Result<Option<(String, Suppressed)>> {
        let Some(secret) = &self.secret else {
            return Ok(None);
        };
        let key = suppression::key(secret, email);
        let found = tx
            .conn()
            .prepare_cached("SELECT erased_on, request FROM suppressions WHERE key = ?1")?
            .query_row([&key], |r| {
                Ok(Suppressed {
                    erased_on: r.get(0)?,
                    request: r.get(1)?,
                })
            })
            .optional()?;
        Ok(found.map(|s| (key, s)))
    }
}

/// Puts `email` on the list (a second erasure of the same address keeps the latest).
pub fn add(tx: &Tx, email: &str, erased_on: &str, request: Option<&str>) -> Result<()> {
    let key = suppression::key(&secret(tx)?, email);
    tx.conn().prepare_cached(
        "INSERT INTO suppressions (key, erased_on, request) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET erased_on = excluded.erased_on, request = excluded.request",
    )?
    .execute(params![key, erased_on, request])?;
    Ok(())
}

/// Takes an entry off the list (the person has come back themselves).
pub fn lift(tx: &Tx, key: &str) -> Result<()> {
    tx.conn()
        .prepare_cached("DELETE FROM suppressions WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}
