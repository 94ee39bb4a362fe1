//! `rekisteri export contacts`: every contact in the columns `contact import` reads, and
//! whether its processing is restricted (Art. 18).
//!
//! Streams row by row from borrowed column values (a million contacts never sit in
//! memory, and no row allocates). `--for-use` leaves restricted contacts out.

use std::path::PathBuf;

use crate::model::audit::Action;

use crate::commands::export::finished;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::contact::EXPORT_COLUMNS;
use crate::output::export::{Cell, Sink, Target};
use crate::output::Format;
use crate::store::contacts;
use crate::store::disclose::Disclosure;

/// All contacts, in the columns `contact import` reads, and `restricted`
///
/// CSV (also for the default table format) or JSON, in id order; --excel (or --delimiter ';'
/// --bom) for Excel. The last column, `restricted`, is true for a contact whose processing is
/// restricted (Art. 18): kept, but not to be used; --for-use leaves those out. The export is
/// recorded in the audit trail, naming every contact in it, before the first row goes out.
/// Columns are only ever added at the end (docs/exports.md).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV field separator: ',' or ';' (as Finnish Excel writes; with --bom it is --excel)
    /// [default: ,]
    #[arg(long, value_name = "CHAR", value_parser = delimiter_arg)]
    pub delimiter: Option<u8>,
    /// Begin the CSV with a UTF-8 byte-order mark, so that Excel shows ä, ö and å correctly
    /// (with --delimiter ';' it is --excel)
    #[arg(long)]
    pub bom: bool,
    /// Leave out contacts whose processing is restricted (Art. 18): the file is for using
    /// the data (a CRM, a campaign), not for keeping it
    #[arg(long)]
    pub for_use: bool,
    /// Restricted contacts are included (marked in `restricted`) unless --for-use; kept so
    /// that older scripts still run
    #[arg(long, hide = true, conflicts_with = "for_use")]
    pub include_restricted: bool,
    /// Write to FILE (created 0600, whole or not at all; an existing file is kept) instead of
    /// stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn delimiter_arg(s: &str) -> std::result::Result<u8, String> {
    match s {
        "," => Ok(b','),
        ";" => Ok(b';'),
        _ => Err("expected ',' or ';' (the separators `contact import` reads)".into()),
    }
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // A table makes no sense for a file another tool reads: the global default means CSV here.
    let json = ctx.format == Format::Json;
    if json && (args.delimiter.is_some() || args.bom) {
        return Err(Error::InvalidInput(
            "--delimiter and --bom apply to CSV, not to --format json".into(),
        ));
    }
    let style = ctx
        .csv
        .with_flags(args.delimiter, args.bom)
        .map_err(|why| Error::invalid("--delimiter", ",", why))?;
    let mut store = ctx.open()?;
    crate::store::consents::tune_for_scans(&store.session())?;
    let target = Target::new(args.output.as_deref())?;
    let now = ctx.now_str();
    let for_use = args.for_use;
    // The event naming every contact exported is committed before the first byte goes out;
    // the rows then come from the same snapshot.
    let (count, restricted, placed) = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let (ids, restricted) = contacts::export_ids(snap, !for_use)?;
            let count = ids.len();
            let detail = if for_use {
                format!("count={count},for_use,left_out={restricted}")
            } else {
                format!("count={count},restricted={restricted}")
            };
            let event = Disclosure {
                action: Action::ExportContacts,
                object_ids: ids.render("contact"),
                detail,
            };
            Ok((event, (count, restricted)))
        },
        |snap, (count, restricted)| {
            let mut sink = if json {
                Sink::json(target, &EXPORT_COLUMNS)?
            } else {
                Sink::csv(target, style, &EXPORT_COLUMNS)?
            };
            contacts::for_each_csv_row(snap, |id, fields, is_restricted| {
                if is_restricted && for_use {
                    return Ok(());
                }
                let mut cells = [Cell::Null; EXPORT_COLUMNS.len()];
                cells[0] = Cell::Int(id);
                for (c, f) in cells[1..].iter_mut().zip(fields) {
                    *c = Cell::from(*f);
                }
                cells[fields.len() + 1] = Cell::Bool(is_restricted);
                Ok(sink.row(&cells)?)
            })?;
            let placed = sink.finish()?.finish()?;
            Ok((count, restricted, placed))
        },
    )?;
    let noun = if count == 1 { "contact" } else { "contacts" };
    let note = match (for_use, restricted) {
        (_, 0) => String::new(),
        (true, n) => format!("; left out {n} restricted (Art. 18)"),
        (false, n) => format!(
            ", {n} of them restricted (Art. 18: marked in the restricted column; --for-use leaves them out)"
        ),
    };
    finished(ctx, placed, format!("exported {count} {noun}{note}"));
    Ok(())
}
