//! `rekisteri export contacts`: every contact in the columns `contact import` reads.
//!
//! Streams row by row from borrowed column values (a million contacts never sit in
//! memory, and no row allocates). Contacts whose processing is restricted (Art. 18) are
//! left out unless asked for.

use crate::model::audit::Action;
use std::io::{self, Write};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::contact::CSV_COLUMNS;
use crate::output::Format;
use crate::store::contacts;
use crate::store::disclose::Disclosure;

/// All contacts, in the columns `contact import` reads
///
/// CSV (also for the default table format) or JSON, in id order. Contacts whose processing is
/// restricted (Art. 18) are left out unless --include-restricted. The export is recorded in the
/// audit trail with its count.
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

/// One contact's values after `id`, in `CSV_COLUMNS` order.
type Fields<'a> = [Option<&'a str>; 18];

/// Writes rows as CSV or as a JSON array of objects keyed by `CSV_COLUMNS`.
enum Sink<W: Write> {
    Csv(csv::Writer<W>),
    Json {
        out: W,
        keys: Vec<String>,
        rows: u64,
    },
}

impl<W: Write> Sink<W> {
    fn csv(out: W, delimiter: u8) -> io::Result<Self> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(out);
        w.write_record(CSV_COLUMNS).map_err(csv_io)?;
        Ok(Sink::Csv(w))
    }

    fn json(mut out: W) -> io::Result<Self> {
        out.write_all(b"[")?;
        // `"first_name":` and so on, escaped once.
        let keys = CSV_COLUMNS
            .iter()
            .map(|k| format!("{}:", Json(k)))
            .collect();
        Ok(Sink::Json { out, keys, rows: 0 })
    }

    fn row(&mut self, id: i64, fields: &Fields) -> io::Result<()> {
        match self {
            Sink::Csv(w) => {
                w.write_field(id.to_string()).map_err(csv_io)?;
                for f in fields {
                    w.write_field(f.unwrap_or("")).map_err(csv_io)?;
                }
                w.write_record(None::<&[u8]>).map_err(csv_io)
            }
            Sink::Json { out, keys, rows } => {
                out.write_all(if *rows == 0 { b"\n  {" } else { b",\n  {" })?;
                write!(out, "{}{id}", keys[0])?;
                for (k, f) in keys[1..].iter().zip(fields) {
                    out.write_all(b",")?;
                    out.write_all(k.as_bytes())?;
                    match f {
                        Some(s) => serde_json::to_writer(&mut *out, s).map_err(io::Error::from)?,
                        None => out.write_all(b"null")?,
                    }
                }
                *rows += 1;
                out.write_all(b"}")
            }
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Csv(mut w) => w.flush(),
            Sink::Json { mut out, rows, .. } => {
                out.write_all(if rows == 0 { b"]\n" } else { b"\n]\n" })?;
                out.flush()
            }
        }
    }
}

/// A string as a JSON literal.
struct Json<'a>(&'a str);

impl std::fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = serde_json::to_string(self.0).map_err(|_| std::fmt::Error)?;
        f.write_str(&s)
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
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
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    // The event naming every contact exported is committed before the first byte goes out;
    // the rows then come from the same snapshot.
    let (count, skipped) = store.disclose(
        &now,
        &ctx.operator,
        |snap| {
            let (ids, skipped) = contacts::export_ids(snap, args.include_restricted)?;
            let count = ids.len();
            let detail = if args.include_restricted {
                format!("count={count},include_restricted")
            } else {
                format!("count={count}")
            };
            let event = Disclosure {
                action: Action::ExportContacts,
                object_ids: ids.render("contact"),
                detail,
            };
            Ok((event, (count, skipped)))
        },
        |snap, counts| {
            let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
            if args.bom {
                out.write_all("\u{feff}".as_bytes())?;
            }
            let mut sink = if json {
                Sink::json(out)?
            } else {
                Sink::csv(out, args.delimiter.unwrap_or(b','))?
            };
            contacts::for_each_csv_row(snap, |id, fields, restricted| {
                if restricted && !args.include_restricted {
                    return Ok(());
                }
                Ok(sink.row(id, fields)?)
            })?;
            sink.finish()?;
            Ok(counts)
        },
    )?;
    let note = if skipped > 0 {
        format!("; left out {skipped} restricted (Art. 18); --include-restricted includes them")
    } else {
        String::new()
    };
    let noun = if count == 1 { "contact" } else { "contacts" };
    ctx.status(format!("exported {count} {noun}{note}"));
    Ok(())
}
