//! Everything the register holds about one person, as document [`Section`]s: `contact show`
//! prints them, the access report (Art. 15) writes them with the person's requests.

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::Result;
use crate::model::consent::Event;
use crate::model::field::FIELDS;
use crate::model::time::{self, format_date, Tz};
use crate::model::validate::format_cents;
use crate::output::document::Section;
use crate::output::{self, opt};
use crate::store::contacts::{self, Contact};
use crate::store::{history, holds, person, tags, Tx};

/// Everything about one contact, in the order it is shown.
pub fn sections(conn: &Tx, id: i64, today: NaiveDate, zone: Tz) -> Result<Vec<Section>> {
    let contact = contacts::get(conn, id)?;
    Ok(vec![
        contact_section(&contact),
        history_section(conn, id)?,
        courses_section(conn, id)?,
        purchases_section(conn, id)?,
        tags_section(conn, id)?,
        holds_section(conn, id, today, zone)?,
        consents_section(conn, id, today, zone)?,
        consent_events_section(conn, id)?,
    ])
}

/// The consent ledger itself: what the person did, when, how, and under which description.
pub fn consent_events_section(conn: &Tx, id: i64) -> Result<Section> {
    let rows = crate::store::consents::events_for_contact(conn, id)?
        .iter()
        .map(|e| event_cells(e, None))
        .collect();
    Ok(Section::rows(
        "consent_events",
        &CONSENT_EVENT_COLUMNS,
        rows,
    ))
}

/// Each purpose of the description in force: may the person be processed for it, and why.
pub fn consents_section(conn: &Tx, id: i64, today: NaiveDate, zone: Tz) -> Result<Section> {
    let pv = crate::store::policy::in_force_on(conn, today, zone)?;
    let rows = crate::store::consents::status_for_contact(conn, id, &pv.policy)?
        .into_iter()
        .map(|s| {
            vec![
                Value::from(s.purpose.as_str()),
                Value::from(s.basis.as_str()),
                opt(s.marketing.map(|m| m.as_str())),
                Value::from(s.state.as_str()),
                opt(s.since.as_deref()),
                Value::from(s.why()),
            ]
        })
        .collect();
    Ok(Section::rows(
        "consents",
        &[
            "purpose",
            "basis",
            "marketing",
            "state",
            "decided_at",
            "why",
        ],
        rows,
    ))
}

fn date(d: &Option<NaiveDate>) -> Value {
    opt(d.as_ref().map(format_date))
}

pub fn contact_section(c: &Contact) -> Section {
    let mut fields = vec![("id", Value::from(c.id))];
    for f in FIELDS {
        fields.push((f.column, opt(c.data.value(f.field).text().as_deref())));
    }
    fields.extend([
        ("created_at", Value::from(c.created_at.as_str())),
        ("updated_at", Value::from(c.updated_at.as_str())),
        ("restricted_at", opt(c.restricted_at.as_deref())),
    ]);
    Section::fields("contact", fields)
}

pub fn history_section(conn: &Tx, id: i64) -> Result<Section> {
    let rows = history::log_entries(conn, id)?
        .into_iter()
        .map(|e| {
            vec![
                Value::from(e.date),
                Value::from(e.channel),
                Value::from(e.summary),
                Value::from(e.feedback),
                Value::from(e.recorded_at),
                Value::from(e.operator),
            ]
        })
        .collect();
    Ok(Section::rows(
        "history",
        &[
            "date",
            "channel",
            "summary",
            "feedback",
            "recorded_at",
            "operator",
        ],
        rows,
    ))
}

pub fn courses_section(conn: &Tx, id: i64) -> Result<Section> {
    let rows = history::courses(conn, id)?
        .into_iter()
        .map(|c| {
            vec![
                Value::from(c.course),
                Value::from(c.completed),
                opt(c.grade),
                Value::from(c.recorded_at),
            ]
        })
        .collect();
    Ok(Section::rows(
        "courses",
        &["course", "completed", "grade", "recorded_at"],
        rows,
    ))
}

pub fn purchases_section(conn: &Tx, id: i64) -> Result<Section> {
    let rows = history::purchases(conn, id)?
        .into_iter()
        .map(|p| {
            vec![
                Value::from(p.date),
                Value::from(p.item),
                // A decimal string: exact, unlike a JSON float.
                opt(p.amount_cents.map(format_cents)),
                opt(p.payment),
                Value::from(p.recorded_at),
            ]
        })
        .collect();
    Ok(Section::rows(
        "purchases",
        &["date", "item", "amount_eur", "payment", "recorded_at"],
        rows,
    ))
}

pub fn tags_section(conn: &Tx, id: i64) -> Result<Section> {
    Ok(Section::list("tags", tags::for_contact(conn, id)?))
}

pub fn holds_section(conn: &Tx, id: i64, today: NaiveDate, zone: Tz) -> Result<Section> {
    let rows = holds::for_contact(conn, id)?
        .into_iter()
        .map(|h| {
            let active = h.is_active_on(today, zone);
            vec![
                Value::from(h.id),
                Value::from(active),
                Value::from(h.reason),
                date(&h.until),
                Value::from(h.placed_at),
                Value::from(h.placed_by),
                opt(h.released_at),
                opt(h.released_by),
            ]
        })
        .collect();
    Ok(Section::rows(
        "holds",
        &[
            "id",
            "active",
            "reason",
            "until",
            "placed_at",
            "placed_by",
            "released_at",
            "released_by",
        ],
        rows,
    ))
}

pub const CONSENT_EVENT_COLUMNS: [&str; 11] = [
    "event",
    "occurred_at",
    "purpose",
    "kind",
    "basis",
    "channel",
    "evidence",
    "override_objection",
    "policy_version",
    "operator",
    "recorded_at",
];

/// One event as a row of `COLUMNS`: stored values, or for a table (`table`: the register's
/// time zone) shown times and a named general objection. (`contact show` lists the same rows.)
pub fn event_cells(e: &Event, table: Option<time::Tz>) -> Vec<Value> {
    let when = |t: &str| {
        Value::String(match table {
            Some(zone) => time::display(t, zone),
            None => t.to_string(),
        })
    };
    let purpose = match (&e.purpose, table.is_some()) {
        (Some(p), _) => Value::String(p.clone()),
        (None, true) => Value::String("(all direct marketing)".into()),
        (None, false) => Value::Null,
    };
    vec![
        Value::from(e.id),
        when(&e.occurred_at),
        purpose,
        Value::String(e.kind.as_str().into()),
        Value::String(e.basis.clone()),
        Value::String(e.channel.clone()),
        output::opt(e.evidence.clone()),
        Value::Bool(e.override_objection),
        Value::from(e.policy_version),
        Value::String(e.operator.clone()),
        when(&e.recorded_at),
    ]
}

/// Every column of each request `requests_section` shows, as its JSON key.
pub const REQUEST_COLUMNS: [&str; 24] = [
    "id",
    "type",
    "status",
    "received",
    "due",
    "channel",
    "requester",
    "details",
    "purposes",
    "opened_at",
    "opened_by",
    "verified_at",
    "verify_method",
    "extended_at",
    "extend_reason",
    "notified",
    "fulfilled_at",
    "outcome",
    "completed_at",
    "note",
    "refused_at",
    "refuse_reason",
    "fee_eur",
    "lifted_at",
];

/// The person's data-subject requests, everything stored about each (the access report:
/// what they asked, when, and what was done).
pub fn requests_section(conn: &Tx, id: i64) -> Result<Section> {
    let rows = person::requests_of_contact(conn, id)?
        .into_iter()
        .map(|r| {
            vec![
                Value::from(r.id),
                Value::from(r.kind),
                Value::from(r.status),
                Value::from(r.received),
                Value::from(r.due),
                Value::from(r.channel),
                opt(r.requester),
                opt(r.details),
                Value::from(r.purposes),
                Value::from(r.opened_at),
                Value::from(r.opened_by),
                opt(r.verified_at),
                opt(r.verify_method),
                opt(r.extended_at),
                opt(r.extend_reason),
                opt(r.notified),
                opt(r.fulfilled_at),
                opt(r.outcome),
                opt(r.completed_at),
                opt(r.note),
                opt(r.refused_at),
                opt(r.refuse_reason),
                opt(r.fee_cents.map(format_cents)),
                opt(r.lifted_at),
            ]
        })
        .collect();
    Ok(Section::rows("requests", &REQUEST_COLUMNS, rows))
}
