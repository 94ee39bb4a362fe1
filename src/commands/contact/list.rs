//! `rekisteri contact list`

use crate::model::audit::Action;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::contact::Category;
use crate::model::time::format_date;
use crate::output::{opt, Format, RowWriter};
use crate::store::audit;
use crate::store::contacts::{self, Contact, ListFilter};
use crate::store::disclose::Disclosure;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only contacts with TEXT in their name, e-mail or company (any case: ÄMMÄ finds Ämmä)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only contacts of this category
    #[arg(long, value_enum)]
    pub category: Option<Category>,
    /// Only contacts whose company name contains TEXT (any case)
    #[arg(long, value_name = "TEXT")]
    pub company: Option<String>,
    /// Only contacts whose relationship has ended
    #[arg(long, conflicts_with = "active")]
    pub ended: bool,
    /// Only contacts whose relationship has not ended
    #[arg(long)]
    pub active: bool,
    /// Only contacts with this tag
    #[arg(long, value_name = "NAME", value_parser = super::tag_arg)]
    pub tag: Option<String>,
    /// At most N contacts
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
}

/// The listing's columns, the same keys in every format.
pub const HEADERS: [&str; 9] = [
    "id",
    "name",
    "email",
    "phone",
    "company",
    "category",
    "started",
    "ended",
    "restricted",
];

/// `restricted`: the day processing was restricted (Art. 18), empty when it is not.
fn cells(c: &Contact, zone: crate::model::time::Tz) -> Vec<Value> {
    let d = &c.data;
    let name: Vec<&str> = [d.first_name.as_deref(), d.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    vec![
        Value::from(c.id),
        opt((!name.is_empty()).then(|| name.join(" "))),
        Value::from(d.email.as_str()),
        opt(d.phone.as_deref()),
        opt(d.company.as_deref()),
        Value::from(d.category.as_str()),
        opt(d.started.as_ref().map(format_date)),
        opt(d.ended.as_ref().map(format_date)),
        opt(c.restricted_at.as_deref().and_then(|t| {
            crate::model::time::parse_time(t, zone)
                .map(|t| format_date(&crate::model::time::date_in(&t, zone)))
        })),
    ]
}

/// A table is built in memory to measure its columns, and nobody reads a million lines in a
/// terminal: without --limit, a table stops here (CSV and JSON stream everything).
pub const TABLE_ROWS: u32 = 1000;

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let capped = ctx.format == Format::Table && args.limit.is_none();
    let filter = ListFilter {
        search: args.search,
        category: args.category,
        company: args.company,
        ended: match (args.ended, args.active) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        tag: args.tag,
        // One more than shown, to know whether there were more.
        limit: if capped {
            Some(TABLE_ROWS + 1)
        } else {
            args.limit
        },
    };
    let mut store = ctx.open()?;
    let today = ctx.today();
    let now = ctx.now_str();
    // The event naming every contact shown is committed before the first byte goes out; the
    // rows then come from the same snapshot (the same query, so the same contacts in order).
    let (count, more) = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let mut shown = audit::IdRanges::new();
            let mut more = false;
            contacts::list(snap, &filter, today, |c| {
                if capped && shown.len() >= TABLE_ROWS as usize {
                    more = true;
                } else {
                    shown.push(c.id);
                }
                Ok(())
            })?;
            let count = shown.len();
            let event = Disclosure {
                action: Action::ContactList,
                object_ids: shown.render("contact"),
                detail: format!("count={count}"),
            };
            Ok((event, (count, more)))
        },
        |snap, (count, more)| {
            // A table starts with its first row, so an empty table prints nothing; CSV still
            // gets its header and JSON its `[]`, which is what scripts expect.
            if ctx.format == Format::Table && count == 0 {
                return Ok((count, more));
            }
            let mut w = RowWriter::stdout(ctx.format, &HEADERS)?;
            contacts::list(snap, &filter, today, |c| {
                if w.count() < count {
                    w.row(cells(c, ctx.zone()))?;
                }
                Ok(())
            })?;
            w.finish()?;
            Ok((count, more))
        },
    )?;
    if count == 0 {
        ctx.status("no contacts match");
    } else if more {
        ctx.status(format!(
            "showing the first {TABLE_ROWS} contacts: narrow the list, give --limit N, or use --format csv for all"
        ));
    }
    Ok(())
}
