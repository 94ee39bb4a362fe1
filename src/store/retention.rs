//! What the retention purge selects: people whose category rule has come due, and records
//! (history, courses, closed requests) past their own time. Dates are compared as the
//! register's days: a rule's cutoff day from `model::retention::cutoff`, and for stored UTC
//! times the start of the day after it in the register's zone, so one comparison each.
//!
//! The SQL only narrows by date and hold; the decision on each person is
//! `model::retention::decide`, given the facts read here.

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::Result;
use crate::model::consent;
use crate::model::contact::Category;
use crate::model::policy::{Basis, Marketing, Policy, Records, Retention, RetentionStart};
use crate::model::retention::{self, Activity, Person, Verdict};
use crate::model::time::{self, Tz};
use crate::store::{consents, Tx};

/// The day a purge applies its rules for, in the register's zone.
#[derive(Debug, Clone, Copy)]
pub struct AsOf {
    pub day: NaiveDate,
    pub zone: Tz,
}

impl AsOf {
    /// The first stored time (UTC, stored form) that is after `day` in the register's zone:
    /// a time is on or before `day` exactly when it is less than this.
    fn end_of(&self, day: NaiveDate) -> String {
        day.succ_opt()
            .and_then(|next| time::start_of_day(next, self.zone))
            .map(|t| time::format_time(&t))
            .unwrap_or_else(|| "9999".into())
    }

    fn date_of(&self, stored: &str) -> Option<NaiveDate> {
        time::parse_time(stored, self.zone).map(|t| time::date_in(&t, self.zone))
    }
}

/// A hold live on the purge's day, for contact `c.id` (`?day`, `?end`: the day and the end of it).
const HELD: &str = "EXISTS (SELECT 1 FROM holds h WHERE h.contact_id = c.id
      AND h.placed_at < :end AND (h.released_at IS NULL OR h.released_at >= :end)
      AND (h.until IS NULL OR h.until >= :day))";

/// A person whose category rule has come due, and the verdict on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: i64,
    pub category: Category,
    /// `Erase` or `Kept` (never `Stays`).
    pub verdict: Verdict,
}

/// The people of the `rules`' categories with id above `after` whose rule has come due on
/// `as_of`, up to `limit`, in id order (so a caller can go through them in batches). One scan
/// of the contacts answers for every rule given.
pub fn due_people(
    tx: &Tx,
    policy: &Policy,
    rules: &[Retention],
    as_of: AsOf,
    after: i64,
    limit: usize,
) -> Result<Vec<Due>> {
    // Each rule's test, with its own parameters (`:category0`, `:cut0`, …).
    let mut tests = Vec::new();
    let mut binds: Vec<(String, Box<dyn rusqlite::ToSql>)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let Some(cut) = retention::cutoff(as_of.day, rule.months) else {
            continue;
        };
        let by_date = match rule.counted_from {
            RetentionStart::Ended => format!("c.ended IS NOT NULL AND c.ended <= :cut{i}"),
            // Every date of the person on or before the cutoff day.
            RetentionStart::LastActivity => {
                binds.push((format!(":cut_end{i}"), Box::new(as_of.end_of(cut))));
                format!(
                    "coalesce(c.started, '') <= :cut{i} AND coalesce(c.ended, '') <= :cut{i}
                     AND coalesce(c.last_contact, '') <= :cut{i} AND c.created_at < :cut_end{i}
                     AND NOT EXISTS (SELECT 1 FROM contact_log l WHERE l.contact_id = c.id AND l.date > :cut{i})
                     AND NOT EXISTS (SELECT 1 FROM courses k WHERE k.contact_id = c.id AND k.completed > :cut{i})
                     AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.contact_id = c.id AND p.date > :cut{i})
                     AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.contact_id = c.id AND e.occurred_at >= :cut_end{i})"
                )
            }
        };
        binds.push((format!(":category{i}"), Box::new(rule.category.as_str())));
        binds.push((format!(":cut{i}"), Box::new(time::format_date(&cut))));
        tests.push(format!("(c.category = :category{i} AND {by_date})"));
    }
    if tests.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT c.id, c.category, c.created_at, c.started, c.ended, c.last_contact,
                (SELECT max(date) FROM contact_log WHERE contact_id = c.id),
                (SELECT max(completed) FROM courses WHERE contact_id = c.id),
                (SELECT max(date) FROM purchases WHERE contact_id = c.id),
                (SELECT max(occurred_at) FROM consent_events WHERE contact_id = c.id),
                {HELD}
         FROM contacts c
         WHERE c.id > :after AND ({})
         ORDER BY c.id LIMIT :limit",
        tests.join(" OR ")
    );
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&sql)?;
    let end = as_of.end_of(as_of.day);
    binds.push((":day".into(), Box::new(time::format_date(&as_of.day))));
    binds.push((":end".into(), Box::new(end.clone())));
    binds.push((":after".into(), Box::new(after)));
    binds.push((":limit".into(), Box::new(limit as i64)));
    let bound: Vec<(&str, &dyn rusqlite::ToSql)> = binds
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_ref()))
        .collect();
    let rows = st.query_map(bound.as_slice(), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            [
                r.get::<_, Option<String>>(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ],
            r.get::<_, bool>(10)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, category, d, held) = row?;
        // The query only returns the categories of the rules.
        let Some(category) = Category::parse(&category) else {
            continue;
        };
        let date = |s: &Option<String>| s.as_deref().and_then(time::parse_date);
        let stamp = |s: &Option<String>| s.as_deref().and_then(|s| as_of.date_of(s));
        let person = Person {
            id,
            category,
            activity: Activity {
                added: stamp(&d[0]),
                started: date(&d[1]),
                ended: date(&d[2]),
                last_contact: date(&d[3]),
                newest_history: date(&d[4]),
                newest_course: date(&d[5]),
                newest_purchase: date(&d[6]),
                newest_consent: stamp(&d[7]),
            },
            held,
            live_opt_in: match d[7] {
                Some(_) => live_opt_in(tx, policy, id, &end)?,
                None => None,
            },
        };
        match retention::decide(&person, policy, as_of.day) {
            Verdict::Stays => {}
            verdict => out.push(Due {
                id,
                category,
                verdict,
            }),
        }
    }
    Ok(out)
}

/// The first opt-in purpose of `policy` with a live consent of contact `id` as the ledger
/// stood before `end` (stored time).
pub fn live_opt_in(tx: &Tx, policy: &Policy, id: i64, end: &str) -> Result<Option<String>> {
    let events: Vec<_> = consents::events_for_contact(tx, id)?
        .into_iter()
        .filter(|e| e.occurred_at.as_str() < end)
        .collect();
    Ok(policy
        .purposes
        .iter()
        .filter(|p| p.basis == Basis::Consent && p.marketing == Some(Marketing::OptIn))
        .find(|p| consent::derive(p, &events).allowed())
        .map(|p| p.id.clone()))
}

/// A record past its own time: its id, whose it is, and the date that triggered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRecord {
    pub kind: Records,
    pub id: i64,
    pub contact: Option<i64>,
    pub date: NaiveDate,
}

/// The records of `kind` past their rule on `as_of`, of people not under a live hold, in id
/// order from above `after`, up to `limit`.
pub fn due_records(
    tx: &Tx,
    policy: &Policy,
    kind: Records,
    as_of: AsOf,
    after: i64,
    limit: usize,
) -> Result<Vec<DueRecord>> {
    let Some(cut) = policy
        .record_months(kind)
        .and_then(|m| retention::cutoff(as_of.day, m))
    else {
        return Ok(Vec::new());
    };
    let (table, date, closed) = match kind {
        Records::History => ("contact_log", "x.date", ""),
        Records::Courses => ("courses", "x.completed", ""),
        Records::Requests => (
            "requests",
            "coalesce(x.completed_at, x.refused_at)",
            "x.status IN ('completed', 'refused') AND ",
        ),
    };
    let (bound, param) = match kind {
        Records::Requests => ("<", as_of.end_of(cut)),
        _ => ("<=", time::format_date(&cut)),
    };
    let sql = format!(
        "SELECT x.id, x.contact_id, {date} FROM {table} x
         LEFT JOIN contacts c ON c.id = x.contact_id
         WHERE {closed}{date} {bound} :cut AND x.id > :after AND NOT {HELD}
         ORDER BY x.id LIMIT :limit"
    );
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map(
        rusqlite::named_params! {
            ":cut": param, ":after": after, ":day": time::format_date(&as_of.day),
            ":end": as_of.end_of(as_of.day), ":limit": limit as i64,
        },
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, contact, stored) = row?;
        let day = match kind {
            Records::Requests => as_of.date_of(&stored),
            _ => time::parse_date(&stored),
        };
        // A date this tool never writes is left alone rather than guessed.
        if let Some(date) = day {
            out.push(DueRecord {
                kind,
                id,
                contact,
                date,
            });
        }
    }
    Ok(out)
}

/// Deletes records by id (inside the caller's write transaction; `secure_delete` is on).
pub fn delete_records(tx: &Tx, kind: Records, ids: &[i64]) -> Result<usize> {
    let table = match kind {
        Records::History => "contact_log",
        Records::Courses => "courses",
        Records::Requests => "requests",
    };
    let conn = tx.conn();
    let mut st = conn.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?;
    let mut n = 0;
    for id in ids {
        n += st.execute(params![id])?;
    }
    Ok(n)
}

/// The categories that have people in the register.
pub fn categories_present(tx: &Tx) -> Result<Vec<Category>> {
    let conn = tx.conn();
    let mut out = Vec::new();
    for c in [Category::Customer, Category::Prospect, Category::Student] {
        let any: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM contacts WHERE category = ?1)")?
            .query_row([c.as_str()], |r| r.get(0))?;
        if any {
            out.push(c);
        }
    }
    Ok(out)
}

/// The name of a contact for `--show-names` ("First Last", or the e-mail without them).
pub fn display_name(tx: &Tx, id: i64) -> Result<String> {
    let conn = tx.conn();
    let (first, last, email): (Option<String>, Option<String>, String) = conn
        .prepare_cached("SELECT first_name, last_name, email FROM contacts WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let name = [first, last]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(if name.trim().is_empty() { email } else { name })
}

#[cfg(test)]
mod tests;
