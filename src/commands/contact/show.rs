//! `rekisteri contact show`: everything the register holds about one person.
//!
//! The output is a list of [`Section`]s assembled in [`sections`]; a new kind of data
//! (consents, requests) is one more `push` there. Keys ending in `_at` are stored UTC
//! times: tables show them in the register's time zone, CSV and JSON as stored (RFC 3339).

use std::io::{self, Write};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::context::Ctx;
use crate::error::Result;
use crate::model::time::{self, format_date, Tz};
use crate::model::validate::format_cents;
use crate::output::{cell_text, new_table, opt, Format};
use crate::store::contacts::{self, Contact};
use crate::store::{audit, history, holds, tags};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
}

/// One part of what is shown about a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The JSON key and the table heading, e.g. `history`.
    pub key: &'static str,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Named values (one object in JSON).
    Fields(Vec<(&'static str, Value)>),
    /// Rows of one shape (an array of objects in JSON).
    Rows {
        headers: Vec<&'static str>,
        rows: Vec<Vec<Value>>,
    },
    /// Plain values (an array of strings in JSON), e.g. tags.
    List(Vec<String>),
}

impl Section {
    pub fn fields(key: &'static str, fields: Vec<(&'static str, Value)>) -> Section {
        Section {
            key,
            body: Body::Fields(fields),
        }
    }

    pub fn rows(key: &'static str, headers: &[&'static str], rows: Vec<Vec<Value>>) -> Section {
        Section {
            key,
            body: Body::Rows {
                headers: headers.to_vec(),
                rows,
            },
        }
    }

    pub fn list(key: &'static str, items: Vec<String>) -> Section {
        Section {
            key,
            body: Body::List(items),
        }
    }
}

/// Everything about one contact, in the order it is shown.
pub fn sections(conn: &Connection, id: i64, today: NaiveDate, zone: Tz) -> Result<Vec<Section>> {
    let contact = contacts::get(conn, id)?;
    Ok(vec![
        contact_section(&contact),
        history_section(conn, id)?,
        courses_section(conn, id)?,
        purchases_section(conn, id)?,
        tags_section(conn, id)?,
        holds_section(conn, id, today, zone)?,
        consents_section(conn, id)?,
        consent_events_section(conn, id)?,
    ])
}

/// The consent ledger itself: what the person did, when, how, and under which description.
pub fn consent_events_section(conn: &Connection, id: i64) -> Result<Section> {
    use crate::commands::consent::history;
    let rows = crate::store::consents::events_for_contact(conn, id)?
        .iter()
        .map(|e| history::event_cells(e, None))
        .collect();
    Ok(Section::rows("consent_events", &history::COLUMNS, rows))
}

/// Each purpose of the description in force: may the person be processed for it, and why.
pub fn consents_section(conn: &Connection, id: i64) -> Result<Section> {
    let pv = crate::store::policy::current(conn)?;
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
    let d = &c.data;
    let s = |v: &Option<String>| opt(v.as_deref());
    Section::fields(
        "contact",
        vec![
            ("id", Value::from(c.id)),
            ("first_name", s(&d.first_name)),
            ("last_name", s(&d.last_name)),
            ("email", Value::from(d.email.as_str())),
            ("phone", s(&d.phone)),
            ("company", s(&d.company)),
            ("business_id", s(&d.business_id)),
            ("position", s(&d.position)),
            ("street", s(&d.street)),
            ("postal_code", s(&d.postal_code)),
            ("city", s(&d.city)),
            ("customer_number", s(&d.customer_number)),
            ("birth_date", date(&d.birth_date)),
            ("category", Value::from(d.category.as_str())),
            ("source", Value::from(d.source.as_str())),
            ("started", date(&d.started)),
            ("ended", date(&d.ended)),
            ("last_contact", date(&d.last_contact)),
            ("notes", s(&d.notes)),
            ("created_at", Value::from(c.created_at.as_str())),
            ("updated_at", Value::from(c.updated_at.as_str())),
            ("restricted_at", s(&c.restricted_at)),
        ],
    )
}

pub fn history_section(conn: &Connection, id: i64) -> Result<Section> {
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

pub fn courses_section(conn: &Connection, id: i64) -> Result<Section> {
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

pub fn purchases_section(conn: &Connection, id: i64) -> Result<Section> {
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

pub fn tags_section(conn: &Connection, id: i64) -> Result<Section> {
    Ok(Section::list("tags", tags::for_contact(conn, id)?))
}

pub fn holds_section(conn: &Connection, id: i64, today: NaiveDate, zone: Tz) -> Result<Section> {
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

/// The sections as one JSON object: `{"contact": {…}, "history": [{…}], "tags": […], …}`.
pub fn to_json(sections: &[Section]) -> Value {
    let mut top = Map::new();
    for s in sections {
        let v = match &s.body {
            Body::Fields(f) => {
                Value::Object(f.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
            }
            Body::Rows { headers, rows } => Value::Array(
                rows.iter()
                    .map(|r| {
                        Value::Object(
                            headers
                                .iter()
                                .zip(r)
                                .map(|(h, v)| (h.to_string(), v.clone()))
                                .collect(),
                        )
                    })
                    .collect(),
            ),
            Body::List(items) => Value::Array(items.iter().cloned().map(Value::from).collect()),
        };
        top.insert(s.key.to_string(), v);
    }
    Value::Object(top)
}

/// A cell for a person to read: stored UTC times in the register's time zone.
fn display(key: &str, v: &Value, zone: Tz) -> String {
    match v {
        Value::String(s) if key.ends_with("_at") => time::display(s, zone),
        other => cell_text(other),
    }
}

/// Sections one after another, each under its heading.
pub fn write_tables(out: &mut impl Write, sections: &[Section], zone: Tz) -> io::Result<()> {
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        match &s.body {
            Body::Fields(f) => {
                writeln!(out, "{}", s.key)?;
                let mut t = new_table(&["field", "value"]);
                for (k, v) in f {
                    t.add_row(vec![k.to_string(), display(k, v, zone)]);
                }
                writeln!(out, "{t}")?;
            }
            Body::Rows { rows, .. } if rows.is_empty() => writeln!(out, "{}: none", s.key)?,
            Body::Rows { headers, rows } => {
                writeln!(out, "{} ({})", s.key, rows.len())?;
                let mut t = new_table(headers);
                for r in rows {
                    t.add_row(headers.iter().zip(r).map(|(h, v)| display(h, v, zone)));
                }
                writeln!(out, "{t}")?;
            }
            Body::List(items) if items.is_empty() => writeln!(out, "{}: none", s.key)?,
            Body::List(items) => writeln!(out, "{}: {}", s.key, items.join(", "))?,
        }
    }
    Ok(())
}

/// CSV in long form, one value a line: `section,item,field,value` (`item` numbers the rows
/// of a section, from 1; empty for the contact's own fields; `field` is empty for tags).
pub fn write_csv(out: impl Write, sections: &[Section]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut rec = |fields: [&str; 4]| w.write_record(fields).map_err(csv_io);
    rec(["section", "item", "field", "value"])?;
    for s in sections {
        match &s.body {
            Body::Fields(f) => {
                for (k, v) in f {
                    rec([s.key, "", k, &cell_text(v)])?;
                }
            }
            Body::Rows { headers, rows } => {
                for (i, r) in rows.iter().enumerate() {
                    let item = (i + 1).to_string();
                    for (h, v) in headers.iter().zip(r) {
                        rec([s.key, &item, h, &cell_text(v)])?;
                    }
                }
            }
            Body::List(items) => {
                for (i, v) in items.iter().enumerate() {
                    rec([s.key, &(i + 1).to_string(), "", v])?;
                }
            }
        }
    }
    w.flush()
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let today = ctx.today();
    let sections = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let sections = sections(tx, id, today, ctx.zone())?;
        audit::append(
            tx,
            &now,
            &ctx.operator,
            "contact.show",
            &format!("contact:{id}"),
            "",
        )?;
        Ok(sections)
    })?;
    let mut out = io::BufWriter::new(io::stdout());
    match ctx.format {
        Format::Table => write_tables(&mut out, &sections, ctx.zone())?,
        Format::Csv => write_csv(&mut out, &sections)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &to_json(&sections)).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
