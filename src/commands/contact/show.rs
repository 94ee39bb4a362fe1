//! `rekisteri contact show`: everything the register holds about one person.
//!
//! The sections are the person's data as [`crate::report::person::sections`] assembles them
//! (the access report shows the same); [`crate::output::document`] renders them.

use crate::model::audit::Action;
use std::io::{self, Write};

use crate::context::Ctx;
use crate::error::Result;
use crate::output::document::{Document, Lang, Layout, Section};
use crate::output::{Format, TableStyle};
use crate::report::person::sections;
use crate::store::{audit, contacts, Tx};
use chrono::NaiveDate;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: its id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
}

/// The person's data-subject requests and where each stands (the access report has every
/// column of them: [`crate::report::person::requests_section`]).
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

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let today = ctx.today();
    let sections = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let mut sections = sections(tx, id, today, ctx.zone())?;
        sections.push(requests_section(tx, id, today)?);
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
