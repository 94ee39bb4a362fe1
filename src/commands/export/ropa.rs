//! `rekisteri export ropa`

use std::io::Write;
use std::path::PathBuf;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::labels::Lang;
use crate::model::time;
use crate::output::export::Target;
use crate::output::{ropa, DocFormat, Format, TableStyle};
use crate::store::policy as versions;

/// Write the record of processing activities (seloste käsittelytoimista, GDPR Art. 30(1))
///
/// The controller and its contact details, then one entry per purpose: the purpose, its legal
/// basis (and legitimate interest), the categories of data subjects and of personal data and
/// the recipients the purpose links (all of the register's where it links none, marked "not
/// narrowed to this activity"), transfers outside the EU/EEA with their safeguards, the time
/// limits for erasure and the security measures. It names the description version and the day
/// it took effect. It holds no one's personal data, so, like `policy show`, it is not an
/// audit event.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
--format md (the default) is Markdown; --format csv is one row per purpose, in the columns of
docs/exports.md (version, purpose, description, basis, legitimate_interest, marketing, subjects,
data_categories, recipients, transfers, retention, security, not_narrowed), lists joined with
\"; \"; --excel for Excel. A text the description gives only in the other language is shown in
that one, with a warning naming it.")]
pub struct Args {
    /// The record's language
    #[arg(long, value_enum, default_value_t = Lang::Fi)]
    pub lang: Lang,
    /// Write it into FILE instead of standard output (a new file, readable only by you;
    /// never over an existing file)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let csv = match (ctx.document, ctx.format) {
        (Some(DocFormat::Md), _) | (None, Format::Table) => false,
        (None, Format::Csv) => true,
        (Some(DocFormat::Html), _) => {
            return Err(Error::invalid(
                "--format",
                "html",
                "expected md (the default) or csv; the record is a working document, `export notice` is the page to publish",
            ))
        }
        (None, Format::Json) => {
            return Err(Error::invalid(
                "--format",
                "json",
                "expected md (the default) or csv",
            ))
        }
    };
    // Checked (and the temp file made) before anything is read: a bad path or a file
    // already there changes nothing.
    let mut out = Target::new(args.output.as_deref())?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (pv, pending) =
        store.read(|tx| Ok((versions::current(tx, &now)?, versions::pending(tx, &now)?)))?;
    let zone = ctx.zone();
    let lang = args.lang;
    for field in ropa::fallbacks(&pv.policy, lang) {
        eprintln!(
            "warning: version {}: {field} has no {} text; the {} one is shown",
            pv.version,
            lang.pick("English", "Finnish"),
            lang.pick("Finnish", "English"),
        );
    }
    for (v, at) in &pending {
        ctx.status(format!(
            "note: version {v} takes effect on {}; this record is of version {}, in force now",
            time::display_date(at, zone),
            pv.version
        ));
    }
    if csv {
        ropa::write_csv(&pv.policy, pv.version, lang, &mut out, ctx.csv)?;
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
        let doc = ropa::document(&pv.policy, v, lang);
        out.write_all(doc.to_text(TableStyle::Plain).as_bytes())?;
    }
    let placed = out.finish()?;
    let n = pv.policy.purposes.len();
    super::finished(
        ctx,
        placed,
        format!(
            "exported the record of processing activities, version {} ({n} entr{}, {}, {})",
            pv.version,
            if n == 1 { "y" } else { "ies" },
            lang.as_str(),
            if csv { "csv" } else { "md" }
        ),
    );
    Ok(())
}
