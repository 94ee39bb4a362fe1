//! `rekisteri export contacts`: every contact in the columns `contact import` reads.
//!
//! Streams row by row (a million contacts never sit in memory). Contacts whose processing
//! is restricted (Art. 18) are left out unless asked for.

use std::io::{self, Write};

use serde_json::Value;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::contact::CSV_COLUMNS;
use crate::output::{opt, Format, RowWriter};
use crate::store::{audit, contacts};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV field separator: ',' or ';' (as Finnish Excel writes) [default: ,]
    #[arg(long, value_name = "CHAR", value_parser = delimiter_arg)]
    pub delimiter: Option<u8>,
    /// Begin the CSV with a UTF-8 byte-order mark, so that Excel shows ä, ö and å correctly
    #[arg(long)]
    pub bom: bool,
    /// Include contacts whose processing is restricted (Art. 18)
    #[arg(long)]
    pub include_restricted: bool,
}

fn delimiter_arg(s: &str) -> std::result::Result<u8, String> {
    match s {
        "," => Ok(b','),
        ";" => Ok(b';'),
        _ => Err("expected ',' or ';' (the separators `contact import` reads)".into()),
    }
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // Table makes no sense for a file another tool reads: the global default means CSV here.
    let format = match ctx.format {
        Format::Json => Format::Json,
        Format::Table | Format::Csv => Format::Csv,
    };
    if format == Format::Json && (args.delimiter.is_some() || args.bom) {
        return Err(Error::InvalidInput(
            "--delimiter and --bom apply to CSV, not to --format json".into(),
        ));
    }
    let mut store = ctx.open()?;
    let mut out: Box<dyn Write> =
        Box::new(io::BufWriter::with_capacity(64 * 1024, io::stdout().lock()));
    if args.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w =
        RowWriter::with_delimiter(format, &CSV_COLUMNS, out, args.delimiter.unwrap_or(b','))?;
    let mut skipped = 0u64;
    let streamed = contacts::for_each_csv_row(store.conn(), |id, fields, restricted| {
        if restricted && !args.include_restricted {
            skipped += 1;
            return Ok(());
        }
        let mut cells = Vec::with_capacity(CSV_COLUMNS.len());
        cells.push(Value::from(id));
        cells.extend(fields.iter().map(|f| opt(*f)));
        Ok(w.row(cells)?)
    });
    let count = w.count();
    let written = streamed.and_then(|()| Ok(w.finish().map(|_| ())?));
    // Whatever was written out was disclosed: record it even when writing failed.
    let now = ctx.now_str();
    let detail = if args.include_restricted {
        format!("count={count},include_restricted")
    } else {
        format!("count={count}")
    };
    store.write(|tx| audit::append(tx, &now, &ctx.operator, "export.contacts", "", &detail))?;
    written?;
    let note = if skipped > 0 {
        format!("; left out {skipped} restricted (Art. 18); --include-restricted includes them")
    } else {
        String::new()
    };
    ctx.status(format!("exported {count} contacts{note}"));
    Ok(())
}
