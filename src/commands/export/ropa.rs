//! `rekisteri export ropa`

use std::io::{self, Write};
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::labels::Lang;
use crate::model::time;
use crate::output::{file, ropa, Format, TableStyle};
use crate::store::policy as versions;

/// The record of processing activities (GDPR Art. 30(1)) from the description in force
///
/// The controller and its contact details, then one entry per purpose: the purpose, its legal
/// basis (and legitimate interest), the categories of data subjects and of personal data and
/// the recipients the purpose links (all of the register's where it links none, marked "not
/// narrowed to this activity"), transfers outside the EU/EEA with their safeguards, the time
/// limits for erasure and the security measures. It names the description version and the day
/// it took effect. Markdown (--format md, the default) or CSV, one row per purpose (--format
/// csv; --excel for Excel). It holds no contact's data, so, like `policy show`, it is not an
/// audit event.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The language of the record
    #[arg(long, value_enum, default_value_t = Lang::Fi)]
    pub lang: Lang,
    /// md: a document; csv: one row per purpose, multi-valued cells joined with "; "
    /// [default: md]
    // The global --format under the same id, with the values this command takes: md is the
    // document for people (the table format), so the value reaches `ctx.format` as a Format
    // wherever on the line it is given.
    #[arg(long, value_name = "FORMAT", value_parser = document_format())]
    pub format: Option<Format>,
    /// Write the record to FILE (0600, written whole, replacing an older one) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn document_format() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(["md", "csv"]).map(|v| match v.as_str() {
        "csv" => Format::Csv,
        _ => Format::Table,
    })
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // `ctx.format` has --format from either side of `export ropa`, and --excel.
    let csv = match ctx.format {
        Format::Table => false,
        Format::Csv => true,
        Format::Json => {
            return Err(Error::invalid(
                "--format",
                "json",
                "expected md (the default) or csv",
            ))
        }
    };
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (pv, pending) =
        store.read(|tx| Ok((versions::current(tx, &now)?, versions::pending(tx, &now)?)))?;
    let zone = ctx.zone();
    for field in ropa::fallbacks(&pv.policy, args.lang) {
        eprintln!(
            "warning: {field} has no {} text; the record shows the {} one",
            args.lang.pick("English (en)", "Finnish (fi)"),
            args.lang.pick("Finnish", "English"),
        );
    }
    for (v, at) in &pending {
        ctx.status(format!(
            "note: version {v} of the description takes effect on {}; this record is of version {}, in force now",
            time::display_date(at, zone),
            pv.version
        ));
    }
    let body = if csv {
        let mut out = Vec::new();
        ropa::write_csv(&pv.policy, pv.version, args.lang, &mut out, ctx.csv)?;
        out
    } else {
        let made_on = time::format_date(&ctx.today());
        let v = ropa::Version {
            number: pv.version,
            stored_at: &pv.created_at,
            operator: &pv.operator,
            effective_at: &pv.effective_at,
            zone,
            made_on: &made_on,
        };
        ropa::document(&pv.policy, v, args.lang)
            .to_text(TableStyle::Plain)
            .into_bytes()
    };
    let entries = pv.policy.purposes.len();
    match &args.output {
        Some(path) => {
            file::write_whole(path, &body, "--output")?;
            ctx.status(format!(
                "wrote the record of processing activities ({entries} entr{}, description version {}) to {}",
                if entries == 1 { "y" } else { "ies" },
                pv.version,
                path.display()
            ));
        }
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&body)?;
            out.flush()?;
        }
    }
    Ok(())
}
