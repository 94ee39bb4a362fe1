//! `rekisteri request list`

use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::deadline;
use crate::model::request::{DueFilter, RequestType, Status};
use crate::model::time::format_date;
use crate::output::{Format, RowWriter};
use crate::store::requests::{self, ListFilter, Summary};

/// List requests: the open ones, the overdue ones, those due soon
///
/// With a deadline condition (--open, --overdue, --due-within) only open requests are
/// listed, the most urgent first; otherwise all, by id. days_left counts to the due date in
/// force (0 on the day itself, negative once it has passed) and is empty for closed
/// requests. An empty table prints nothing, so `request list --due-within 7 --quiet` in cron
/// mails only when there is something to do.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only requests still waiting for an answer (received, verified or fulfilled)
    #[arg(long)]
    pub open: bool,
    /// Only open requests past their due date
    #[arg(long)]
    pub overdue: bool,
    /// Only open requests due within DAYS days (overdue ones included)
    #[arg(long, value_name = "DAYS")]
    pub due_within: Option<u32>,
    /// Only requests of this type
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<RequestType>,
    /// Only requests in this status
    #[arg(long, value_enum)]
    pub status: Option<Status>,
}

/// The listing's columns, the same keys in every format.
pub const HEADERS: [&str; 7] = [
    "id",
    "type",
    "status",
    "subject",
    "received",
    "due",
    "days_left",
];

pub fn cells(s: &Summary, today: chrono::NaiveDate) -> Vec<Value> {
    vec![
        Value::from(s.id.to_string()),
        Value::from(s.kind.as_str()),
        Value::from(s.status.as_str()),
        s.contact_id.map(Value::from).unwrap_or(Value::Null),
        Value::from(format_date(&s.received)),
        Value::from(format_date(&s.due)),
        if s.status.is_open() {
            Value::from(deadline::days_left(s.due, today))
        } else {
            Value::Null
        },
    ]
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let filter = ListFilter {
        due: DueFilter {
            open: args.open,
            overdue: args.overdue,
            due_within: args.due_within,
        },
        kind: args.kind,
        status: args.status,
    };
    let today = ctx.today();
    let store = ctx.open()?;
    // A table starts with its first row, so an empty one prints nothing; CSV still gets its
    // header and JSON its `[]`, which is what scripts expect.
    let mut out: Option<RowWriter> = match ctx.format {
        Format::Table => None,
        _ => Some(RowWriter::stdout(ctx.format, &HEADERS)?),
    };
    let n = requests::list(&store.session(), &filter, today, |s| {
        let w = match &mut out {
            Some(w) => w,
            None => out.insert(RowWriter::stdout(ctx.format, &HEADERS)?),
        };
        w.row(cells(s, today))?;
        Ok(())
    })?;
    if let Some(w) = out {
        w.finish()?;
    }
    if n == 0 {
        ctx.status("no requests match");
    }
    Ok(())
}
