//! `rekisteri export ropa`

use std::io::{self, Write};
use std::path::PathBuf;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::labels::Lang;
use crate::model::time;
use crate::output::{file, ropa, DocFormat, Format, TableStyle};
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
    /// Write the record to FILE (0600, written whole, replacing an older one) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    // The global --format: md (the default) is the document, csv one row per purpose.
    let csv = match (ctx.document, ctx.format) {
        (Some(DocFormat::Md) | None, Format::Table) => false,
        (None, Format::Csv) => true,
        (Some(DocFormat::Html), _) => {
            return Err(Error::invalid(
                "--format",
                "html",
                "expected md (the default) or csv; the record is a working document, `export notice` is the page to publish",
            ))
        }
        _ => {
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
