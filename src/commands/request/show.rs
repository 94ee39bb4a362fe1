//! `rekisteri request show`

use std::io::{self, Write};

use serde_json::Value;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::audit::Action;
use crate::model::deadline::{self, Period};
use crate::model::request::RequestId;
use crate::model::time::format_date;
use crate::model::validate::format_cents;
use crate::output::document::{Document, Lang, Layout, Section};
use crate::output::{opt, Format, TableStyle};
use crate::store::requests::{self, Request};

/// One request and its timeline: received, verified, extended, fulfilled, answered
///
/// The answer goes back the way the request came (its channel, Art. 12(3)). Showing the
/// request is recorded in the audit trail, as it may show who asked and what.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request, e.g. R-2026-0007
    #[arg(value_name = "R", value_parser = super::id_arg)]
    pub request: RequestId,
}

pub fn sections(r: &Request, ctx: &Ctx) -> Vec<Section> {
    let today = ctx.today();
    let open = r.status.is_open();
    let fields = vec![
        ("id", Value::from(r.id.to_string())),
        ("type", Value::from(r.kind.as_str())),
        ("article", Value::from(r.kind.article())),
        ("status", Value::from(r.status.as_str())),
        (
            "subject",
            r.contact_id.map(Value::from).unwrap_or(Value::Null),
        ),
        ("subject_email", opt(r.subject_email.as_deref())),
        ("received", Value::from(format_date(&r.received))),
        ("channel", Value::from(r.channel.as_str())),
        ("requester", opt(r.requester.as_deref())),
        ("details", opt(r.details.as_deref())),
        (
            "purposes",
            opt((!r.purposes.is_empty()).then(|| r.purposes.join(", "))),
        ),
        ("due", Value::from(format_date(&r.due))),
        (
            "days_left",
            if open {
                Value::from(deadline::days_left(r.due, today))
            } else {
                Value::Null
            },
        ),
        ("outcome", opt(r.outcome.as_deref())),
    ];
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut step = |name: &str, when: String, by: Option<&str>, detail: String| {
        rows.push(vec![
            Value::from(name),
            Value::from(when),
            opt(by),
            Value::from(detail),
        ]);
    };
    step(
        "received",
        format_date(&r.received),
        Some(&r.opened_by),
        format!(
            "by {}; due {} (one month)",
            r.channel.as_str(),
            format_date(&deadline::due_date(r.received, Period::Normal))
        ),
    );
    if let Some(at) = &r.verified_at {
        step(
            "verified",
            ctx.show_time(at),
            r.verified_by.as_deref(),
            r.verify_method.clone().unwrap_or_default(),
        );
    }
    if let Some(at) = &r.extended_at {
        step(
            "extended",
            ctx.show_time(at),
            r.extended_by.as_deref(),
            format!(
                "{}; the person told on {}; due {}",
                r.extend_reason.as_deref().unwrap_or(""),
                r.notified.as_ref().map(format_date).unwrap_or_default(),
                format_date(&r.due)
            ),
        );
    }
    if let Some(at) = &r.fulfilled_at {
        step(
            "fulfilled",
            ctx.show_time(at),
            r.fulfilled_by.as_deref(),
            r.outcome.clone().unwrap_or_default(),
        );
    }
    if let Some(at) = &r.completed_at {
        let note = r
            .note
            .as_deref()
            .map(|n| format!("; {n}"))
            .unwrap_or_default();
        step(
            "answered",
            ctx.show_time(at),
            r.completed_by.as_deref(),
            format!("completed; answered by {}{note}", r.channel.as_str()),
        );
    }
    if let Some(at) = &r.refused_at {
        let fee = r
            .fee_cents
            .map(|c| format!("; fee {} EUR", format_cents(c)))
            .unwrap_or_default();
        step(
            "answered",
            ctx.show_time(at),
            r.refused_by.as_deref(),
            format!(
                "refused: {}{fee}; answered by {}",
                r.refuse_reason.as_deref().unwrap_or(""),
                r.channel.as_str()
            ),
        );
    }
    if let Some(at) = &r.lifted_at {
        step(
            "lifted",
            ctx.show_time(at),
            r.lifted_by.as_deref(),
            "restriction ended".into(),
        );
    }
    vec![
        Section::fields("request", fields),
        Section::rows("timeline", &["step", "when", "by", "detail"], rows),
    ]
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let r = store.write(|tx| {
        let r = requests::get(tx, args.request)?;
        super::audit_step(tx, ctx, Action::RequestShow, &r, "")?;
        Ok(r)
    })?;
    let doc = Document {
        lang: Lang::En,
        zone: ctx.zone(),
        layout: Layout::Record,
        heading: Vec::new(),
        sections: sections(&r, ctx),
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
