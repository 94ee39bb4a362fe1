//! Versions of the register description. A change stores a new version; old ones are kept.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::policy::Policy;

#[derive(Debug, Clone)]
pub struct PolicyVersion {
    pub version: i64,
    pub created_at: String,
    pub operator: String,
    pub policy: Policy,
}

/// Stores `policy` as the next version and returns its number.
pub fn insert_version(
    conn: &Connection,
    policy: &Policy,
    created_at: &str,
    operator: &str,
) -> Result<i64> {
    let body = policy.to_toml();
    conn.execute(
        "INSERT INTO policy_versions (created_at, operator, body) VALUES (?1, ?2, ?3)",
        params![created_at, operator, body],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The description in force (the newest version).
pub fn current(conn: &Connection) -> Result<PolicyVersion> {
    let row: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT version, created_at, operator, body FROM policy_versions ORDER BY version DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (version, created_at, operator, body) = row.ok_or_else(|| {
        Error::Conflict("the register has no description; run `rekisteri policy apply FILE`".into())
    })?;
    to_version(version, created_at, operator, &body)
}

/// One stored version by number.
pub fn get(conn: &Connection, version: i64) -> Result<PolicyVersion> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT created_at, operator, body FROM policy_versions WHERE version = ?1",
            [version],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (created_at, operator, body) =
        row.ok_or_else(|| Error::not_found("policy version", version.to_string()))?;
    to_version(version, created_at, operator, &body)
}

fn to_version(
    version: i64,
    created_at: String,
    operator: String,
    body: &str,
) -> Result<PolicyVersion> {
    let policy = Policy::from_toml(body).map_err(|e| {
        Error::Conflict(format!(
            "stored policy version {version} cannot be read: {e}"
        ))
    })?;
    Ok(PolicyVersion {
        version,
        created_at,
        operator,
        policy,
    })
}

/// Every stored version, oldest first.
pub fn history(conn: &Connection) -> Result<Vec<PolicyVersion>> {
    let mut stmt = conn.prepare(
        "SELECT version, created_at, operator, body FROM policy_versions ORDER BY version",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, created_at, operator, body) = row?;
        out.push(to_version(version, created_at, operator, &body)?);
    }
    Ok(out)
}

/// How many consent events refer to `purpose` (they keep pointing at the version they were given under).
pub fn consent_events_for(conn: &Connection, purpose: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM consent_events WHERE purpose = ?1",
        [purpose],
        |r| r.get(0),
    )?)
}
