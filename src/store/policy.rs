//! Versions of the register description. A change stores a new version; old ones are kept.

use crate::store::Tx;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::policy::Policy;
use crate::model::time::{self, Tz};

#[derive(Debug, Clone)]
pub struct PolicyVersion {
    pub version: i64,
    pub created_at: String,
    /// When it takes (or took) effect: `created_at`, or the start of a later day.
    pub effective_at: String,
    pub operator: String,
    pub policy: Policy,
}

/// When a version takes effect, as SQL: a version stored by a rekisteri before the column,
/// or written without it, took effect when stored.
const EFFECTIVE: &str = "coalesce(effective_at, created_at)";

/// Stores `policy` as the next version, in force from `effective_at` (a canonical time, not
/// before `created_at`), and returns its number.
pub fn insert_version(
    tx: &Tx,
    policy: &Policy,
    created_at: &str,
    effective_at: &str,
    operator: &str,
) -> Result<i64> {
    let conn = tx.conn();
    let body = policy.to_toml();
    conn.execute(
        "INSERT INTO policy_versions (created_at, effective_at, operator, body) VALUES (?1, ?2, ?3, ?4)",
        params![created_at, effective_at, operator, body],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The description in force at `now` (a canonical time): the version [`version_at`] names.
/// A version stored to take effect later is not in force until then, for any rule.
pub fn current(tx: &Tx, now: &str) -> Result<PolicyVersion> {
    get(tx, version_at(tx, now)?)
}

/// The description in force on the register's day `today`: the newest version in effect by
/// the day's end (for documents dated by the day, such as an access report).
pub fn in_force_on(tx: &Tx, today: NaiveDate, zone: Tz) -> Result<PolicyVersion> {
    let next = today.succ_opt().and_then(|d| time::start_of_day(d, zone));
    let Some(next) = next else {
        return Err(Error::invalid(
            "date",
            time::format_date(&today),
            time::DATE_EXPECTED,
        ));
    };
    let conn = tx.conn();
    let v: Option<i64> = conn.query_row(
        &format!(
            "SELECT coalesce(
                 (SELECT max(version) FROM policy_versions WHERE {EFFECTIVE} < ?1),
                 (SELECT min(version) FROM policy_versions))"
        ),
        [time::format_time(&next)],
        |r| r.get(0),
    )?;
    get(tx, v.ok_or_else(no_description)?)
}

/// The number of the version in force at `at` (a canonical stored time): the newest version
/// in effect by then; before the first version, the first (a backdated act is tied to the
/// earliest description there is).
pub fn version_at(tx: &Tx, at: &str) -> Result<i64> {
    let conn = tx.conn();
    let v: Option<i64> = conn.query_row(
        &format!(
            "SELECT coalesce(
                 (SELECT max(version) FROM policy_versions WHERE {EFFECTIVE} <= ?1),
                 (SELECT min(version) FROM policy_versions))"
        ),
        [at],
        |r| r.get(0),
    )?;
    v.ok_or_else(no_description)
}

/// The number of the newest stored version: the one in force, or the one that takes effect
/// last (an older pending one never will).
pub fn newest(tx: &Tx) -> Result<i64> {
    let v: Option<i64> =
        tx.conn()
            .query_row("SELECT max(version) FROM policy_versions", [], |r| r.get(0))?;
    v.ok_or_else(no_description)
}

/// The versions stored to take effect after `now`, oldest first.
pub fn pending(tx: &Tx, now: &str) -> Result<Vec<(i64, String)>> {
    let conn = tx.conn();
    let mut st = conn.prepare(&format!(
        "SELECT version, {EFFECTIVE} FROM policy_versions WHERE {EFFECTIVE} > ?1 ORDER BY version"
    ))?;
    let rows = st
        .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// When each version came into force, for looking up many times ([`version_at`] in memory;
/// imports date every row).
#[derive(Debug, Clone)]
pub struct Timeline {
    /// `(effective from, version)`, by version.
    versions: Vec<(String, i64)>,
}

impl Timeline {
    pub fn load(tx: &Tx) -> Result<Timeline> {
        let conn = tx.conn();
        let mut st = conn.prepare(&format!(
            "SELECT {EFFECTIVE}, version FROM policy_versions ORDER BY version"
        ))?;
        let versions = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if versions.is_empty() {
            return Err(no_description());
        }
        Ok(Timeline { versions })
    }

    /// The version in force at `at`, as [`version_at`] gives it.
    pub fn at(&self, at: &str) -> i64 {
        crate::model::policy::in_force(&self.versions, |(effective, _)| effective, at)
            .unwrap_or(&self.versions[0])
            .1
    }
}

fn no_description() -> Error {
    Error::Conflict("the register has no description; run `rekisteri policy apply FILE`".into())
}

/// One stored version by number.
pub fn get(tx: &Tx, version: i64) -> Result<PolicyVersion> {
    let conn = tx.conn();
    let row: Option<(String, String, String, String)> = conn
        .query_row(
            &format!(
                "SELECT created_at, {EFFECTIVE}, operator, body FROM policy_versions WHERE version = ?1"
            ),
            [version],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (created_at, effective_at, operator, body) =
        row.ok_or_else(|| Error::not_found("policy version", version.to_string()))?;
    to_version(version, created_at, effective_at, operator, &body)
}

fn to_version(
    version: i64,
    created_at: String,
    effective_at: String,
    operator: String,
    body: &str,
) -> Result<PolicyVersion> {
    // Leniently: it was checked when stored, and later rules must not lock it out.
    let policy = Policy::load_stored(body).map_err(|e| {
        Error::Conflict(format!(
            "stored policy version {version} cannot be read: {e}"
        ))
    })?;
    Ok(PolicyVersion {
        version,
        created_at,
        effective_at,
        operator,
        policy,
    })
}

/// The register's time zone: that of the description in force at `now`. A register without
/// one (interrupted while being created) has the default, which its description would get.
pub fn zone(tx: &Tx, now: &str) -> Result<Tz> {
    let conn = tx.conn();
    let body: Option<(i64, String)> = conn
        .query_row(
            &format!(
                "SELECT version, body FROM policy_versions
                 WHERE version = coalesce(
                     (SELECT max(version) FROM policy_versions WHERE {EFFECTIVE} <= ?1),
                     (SELECT min(version) FROM policy_versions))"
            ),
            [now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match body {
        None => Ok(time::DEFAULT_ZONE),
        Some((version, body)) => Policy::stored_zone(&body).map_err(|e| {
            Error::Conflict(format!(
                "stored policy version {version} cannot be read: {e}"
            ))
        }),
    }
}

/// The time zone of the register file at `path`, read only, before the register is opened
/// (a date given on the command line is checked before anything is written). `None` when
/// there is no register there to read; opening it will then create one with the default
/// zone, or refuse it.
pub fn zone_in_file(path: &Path, now: &str) -> Option<Tz> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.busy_timeout(Duration::from_secs(10)).ok()?;
    zone(&Tx::new(&conn), now).ok()
}

/// Every stored version, oldest first.
pub fn history(tx: &Tx) -> Result<Vec<PolicyVersion>> {
    let conn = tx.conn();
    let mut stmt = conn.prepare(&format!(
        "SELECT version, created_at, {EFFECTIVE}, operator, body FROM policy_versions ORDER BY version"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, created_at, effective_at, operator, body) = row?;
        out.push(to_version(
            version,
            created_at,
            effective_at,
            operator,
            &body,
        )?);
    }
    Ok(out)
}

/// How many consent events refer to `purpose` (they keep pointing at the version they were given under).
pub fn consent_events_for(tx: &Tx, purpose: &str) -> Result<i64> {
    let conn = tx.conn();
    Ok(conn.query_row(
        "SELECT count(*) FROM consent_events WHERE purpose = ?1",
        [purpose],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(created: &[&str]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE policy_versions (version INTEGER PRIMARY KEY, created_at TEXT NOT NULL,
                 operator TEXT NOT NULL, body TEXT NOT NULL, effective_at TEXT);",
        )
        .unwrap();
        for c in created {
            conn.execute(
                "INSERT INTO policy_versions (created_at, operator, body) VALUES (?1, 't', '')",
                [c],
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn the_version_in_force_is_the_newest_created_by_then() {
        let conn = register(&[
            "2026-01-01T00:00:00Z",
            "2026-06-01T00:00:00Z",
            "2026-10-01T00:00:00Z",
        ]);
        let timeline = Timeline::load(&Tx::new(&conn)).unwrap();
        for (at, want) in [
            ("1999-01-01T00:00:00Z", 1), // before the first: the first
            ("2026-01-01T00:00:00Z", 1),
            ("2026-05-31T23:59:59Z", 1),
            ("2026-06-01T00:00:00Z", 2), // in force from the moment it was created
            ("2026-09-30T23:59:59Z", 2),
            ("2026-11-23T10:00:00Z", 3),
        ] {
            assert_eq!(version_at(&Tx::new(&conn), at).unwrap(), want, "{at}");
            assert_eq!(timeline.at(at), want, "{at}");
        }
    }

    proptest::proptest! {
        /// The SQL choice of the version in force is the model's rule, with the first
        /// version before any is in effect, for any effective days (pending ones included).
        #[test]
        fn version_at_is_the_models_rule(
            days in proptest::collection::vec(1u32..=28, 1..6),
            at_day in 1u32..=28,
        ) {
            let conn = register(&[]);
            let effective: Vec<String> =
                days.iter().map(|d| format!("2026-06-{d:02}T00:00:00Z")).collect();
            for e in &effective {
                conn.execute(
                    "INSERT INTO policy_versions (created_at, operator, body, effective_at)
                     VALUES ('2026-06-01T00:00:00Z', 't', '', ?1)",
                    [e],
                )
                .unwrap();
            }
            let at = format!("2026-06-{at_day:02}T12:00:00Z");
            let numbered: Vec<(String, i64)> =
                effective.iter().cloned().zip(1i64..).collect();
            let want = crate::model::policy::in_force(&numbered, |(e, _)| e, &at).map_or(1, |v| v.1);
            proptest::prop_assert_eq!(version_at(&Tx::new(&conn), &at).unwrap(), want);
            proptest::prop_assert_eq!(Timeline::load(&Tx::new(&conn)).unwrap().at(&at), want);
        }
    }

    /// After every version of these tests.
    const LATER: &str = "2030-01-01T00:00:00Z";

    #[test]
    fn a_version_stored_to_take_effect_later_is_not_in_force_until_then() {
        let conn = register(&["2026-01-01T00:00:00Z"]);
        let mut p = Policy::default_policy();
        p.timezone = crate::model::policy::Timezone(Tz::UTC);
        conn.execute(
            "UPDATE policy_versions SET body = ?1 WHERE version = 1",
            [Policy::default_policy().to_toml()],
        )
        .unwrap();
        let tx = Tx::new(&conn);
        // Stored on 1 June, in force from 1 July (its start in the register's zone).
        insert_version(&tx, &p, "2026-06-01T09:00:00Z", "2026-06-30T21:00:00Z", "t").unwrap();
        let timeline = Timeline::load(&tx).unwrap();
        for (at, want) in [
            ("2026-06-01T09:00:00Z", 1),
            ("2026-06-30T20:59:59Z", 1),
            ("2026-06-30T21:00:00Z", 2),
        ] {
            assert_eq!(version_at(&tx, at).unwrap(), want, "{at}");
            assert_eq!(timeline.at(at), want, "{at}");
        }
        assert_eq!(current(&tx, "2026-06-15T00:00:00Z").unwrap().version, 1);
        let v2 = current(&tx, LATER).unwrap();
        assert_eq!(
            (v2.version, v2.effective_at.as_str()),
            (2, "2026-06-30T21:00:00Z")
        );
        assert_eq!(
            pending(&tx, "2026-06-15T00:00:00Z").unwrap(),
            vec![(2, "2026-06-30T21:00:00Z".to_string())]
        );
        assert!(pending(&tx, LATER).unwrap().is_empty());
        // The zone changes with the version in force, not with the one stored.
        assert_eq!(
            zone(&tx, "2026-06-15T00:00:00Z").unwrap(),
            time::DEFAULT_ZONE
        );
        assert_eq!(zone(&tx, LATER).unwrap(), Tz::UTC);
        // A version written without the column (an older rekisteri) took effect when stored.
        assert_eq!(get(&tx, 1).unwrap().effective_at, "2026-01-01T00:00:00Z");
    }

    fn store_body(conn: &Connection, body: &str) {
        conn.execute(
            "INSERT INTO policy_versions (created_at, operator, body) VALUES ('2026-01-01T00:00:00Z', 't', ?1)",
            [body],
        )
        .unwrap();
    }

    #[test]
    fn the_zone_is_the_one_in_force() {
        let conn = register(&[]);
        assert_eq!(zone(&Tx::new(&conn), LATER).unwrap(), time::DEFAULT_ZONE);
        store_body(&conn, &Policy::default_policy().to_toml());
        assert_eq!(zone(&Tx::new(&conn), LATER).unwrap(), time::DEFAULT_ZONE);
        let mut p = Policy::default_policy();
        p.timezone = crate::model::policy::Timezone(Tz::UTC);
        store_body(&conn, &p.to_toml());
        assert_eq!(zone(&Tx::new(&conn), LATER).unwrap(), Tz::UTC);
        store_body(&conn, "timezone = 3");
        assert!(
            matches!(zone(&Tx::new(&conn), LATER), Err(Error::Conflict(m)) if m.contains("version 3"))
        );
    }

    #[test]
    fn the_zone_of_a_file_is_read_without_creating_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.db");
        assert_eq!(zone_in_file(&missing, LATER), None);
        assert!(!missing.exists());
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a register").unwrap();
        assert_eq!(zone_in_file(&text, LATER), None);
        assert_eq!(std::fs::read(&text).unwrap(), b"not a register");
    }

    #[test]
    fn no_description_is_a_conflict() {
        let conn = register(&[]);
        assert!(matches!(
            version_at(&Tx::new(&conn), "2026-01-01T00:00:00Z"),
            Err(Error::Conflict(_))
        ));
        assert!(Timeline::load(&Tx::new(&conn)).is_err());
    }
}
