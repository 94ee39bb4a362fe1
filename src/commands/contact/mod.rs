//! `rekisteri contact …`: the people in the register.

pub mod add;
pub mod course;
pub mod edit;
pub mod end;
pub mod erase;
pub mod hold;
pub mod import;
pub mod list;
pub mod log;
pub mod purchase;
pub mod show;
pub mod tag;

use chrono::NaiveDate;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{tag as tagname, time, validate};

#[derive(Debug, clap::Subcommand)]
pub enum ContactCommand {
    /// Add a person; prints the new contact's id
    Add(add::Args),
    /// List contacts, sorted by last name; filter by text, category, company, tag, status
    List(list::Args),
    /// Everything the register holds about one person
    Show(show::Args),
    /// Correct or complete a person's data (rectification, Art. 16)
    Edit(edit::Args),
    /// Record that the relationship ended (starts the retention clock)
    End(end::Args),
    /// Record a contact with the person in their contact history
    Log(log::Args),
    /// Record a course a student completed
    Course(course::Args),
    /// Record a purchase and how it was paid
    Purchase(purchase::Args),
    /// Add or remove tags (customer segments and groups)
    Tag(tag::Args),
    /// Place a legal hold: the data is kept (no purge, no erasure) while it is active
    Hold(hold::HoldArgs),
    /// Release the person's active legal holds
    Release(hold::ReleaseArgs),
    /// Import contacts from CSV (`,` or `;`, UTF-8 with or without BOM); all rows or none
    Import(import::Args),
    /// Erase a person and everything linked to them (the controller's own erasure)
    Erase(erase::Args),
    /// Not a command: points to `erase` (a guess must not lead to `release`)
    #[command(name = "delete", aliases = ["remove", "rm", "del"], hide = true)]
    Delete(erase::NoDeleteArgs),
}

pub fn run(cmd: ContactCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        ContactCommand::Add(a) => add::run(a, ctx),
        ContactCommand::List(a) => list::run(a, ctx),
        ContactCommand::Show(a) => show::run(a, ctx),
        ContactCommand::Edit(a) => edit::run(a, ctx),
        ContactCommand::End(a) => end::run(a, ctx),
        ContactCommand::Log(a) => log::run(a, ctx),
        ContactCommand::Course(a) => course::run(a, ctx),
        ContactCommand::Purchase(a) => purchase::run(a, ctx),
        ContactCommand::Tag(a) => tag::run(a, ctx),
        ContactCommand::Hold(a) => hold::run_hold(a, ctx),
        ContactCommand::Release(a) => hold::run_release(a, ctx),
        ContactCommand::Import(a) => import::run(a, ctx),
        ContactCommand::Erase(a) => erase::run(a, ctx),
        ContactCommand::Delete(a) => erase::run_no_delete(a, ctx),
    }
}

/// clap value parser: a strict ISO 8601 date.
pub(crate) fn date_arg(s: &str) -> std::result::Result<NaiveDate, String> {
    time::parse_date(s).ok_or_else(|| time::DATE_EXPECTED.to_string())
}

/// clap value parser: a tag name, normalised.
pub(crate) fn tag_arg(s: &str) -> std::result::Result<String, String> {
    tagname::normalize(s).map_err(str::to_string)
}

/// clap value parser: a euro amount (`12.50` or `12,50`) as cents.
pub(crate) fn amount_arg(s: &str) -> std::result::Result<i64, String> {
    validate::amount_cents(s).map_err(str::to_string)
}

/// Free text that must be given (not blank), at most `max` characters.
pub(crate) fn required_text(flag: &str, value: &str, max: usize) -> Result<String> {
    match validate::text(value, max) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(Error::invalid(flag, value, "expected some text, not blank")),
        Err(e) => Err(Error::invalid(flag, value, e)),
    }
}

/// Optional free text, at most `max` characters; blank means not given.
pub(crate) fn optional_text(flag: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => validate::text(v, max).map_err(|e| Error::invalid(flag, v, e)),
    }
}

/// A history date: the same rule as every contact date (from 1900 to today); a date after
/// today is a typing error and would push the retention clock into the future.
pub(crate) fn past_date(flag: &str, date: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    crate::model::contact::check_contact_date(date, today)
        .map(|()| date)
        .map_err(|e| Error::invalid(flag, time::format_date(&date), e))
}
