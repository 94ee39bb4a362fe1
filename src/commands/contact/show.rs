//! `rekisteri contact show`: everything the register holds about one person.
//!
//! The output is a list of [`Section`]s assembled in [`sections`]; a new kind of data
//! (consents, requests) is one more entry there. [`crate::output::document`] renders them.

use crate::model::audit::Action;
use std::io::{self, Write};

use crate::store::Tx;
use chrono::NaiveDate;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::field::FIELDS;
use crate::model::time::{format_date, Tz};
use crate::model::validate::format_cents;
use crate::output::document::{Document, Lang, Layout, Section};
use crate::output::{opt, Format, TableStyle};
use crate::store::contacts::{self, Contact};
use crate::store::{audit, history, holds, tags};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
}

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
        consents_section(conn, id)?,
        consent_events_section(conn, id)?,
        requests_section(conn, id, today)?,
    ])
}

/// The person's data-subject requests and where each stands.
pub fn requests_section(conn: &Tx, id: i64, today: NaiveDate) -> Result<Section> {
    use crate::commands::request::list;
    let rows = crate::store::requests::for_contact(conn, id)?
        .iter()
        .map(|s| {
            let mut cells = list::cells(s, today);
            // The subject is this contact: left out.
            cells.remove(3);
            cells
        })
        .collect();
    Ok(Section::rows(
        "requests",
        &["id", "type", "status", "received", "due", "days_left"],
        rows,
    ))
}

/// The consent ledger itself: what the person did, when, how, and under which description.
pub fn consent_events_section(conn: &Tx, id: i64) -> Result<Section> {
    use crate::commands::consent::history;
    let rows = crate::store::consents::events_for_contact(conn, id)?
        .iter()
        .map(|e| history::event_cells(e, None))
        .collect();
    Ok(Section::rows("consent_events", &history::COLUMNS, rows))
}

/// Each purpose of the description in force: may the person be processed for it, and why.
pub fn consents_section(conn: &Tx, id: i64) -> Result<Section> {
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
            Action::ContactShow,
            &format!("contact:{id}"),
            "",
        )?;
        Ok(sections)
    })?;
    let doc = Document {
        lang: Lang::En,
        zone: ctx.zone(),
        layout: Layout::Record,
        heading: Vec::new(),
        sections,
    };
    let mut out = io::BufWriter::new(io::stdout());
    match ctx.format {
        Format::Table => doc.write_text(&mut out, TableStyle::for_stdout())?,
        Format::Csv => doc.write_csv(&mut out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &doc.to_json()).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
