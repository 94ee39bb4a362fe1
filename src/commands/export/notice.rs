//! `rekisteri export notice`: the privacy notice generated from the register description,
//! or what changed in it since an earlier version.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::labels::Lang;
use crate::model::notice_gaps;
use crate::model::policy::Policy;
use crate::model::time::{self, Tz};
use crate::output::document::Document;
use crate::output::export::Target;
use crate::output::notice::{self, NoticeVersion};
use crate::output::{notice_changes, DocFormat, Format, TableStyle};
use crate::store::policy as versions;

/// Write the privacy notice (tietosuojaseloste) generated from the register description
#[derive(Debug, clap::Args)]
#[command(
    disable_version_flag = true,
    after_help = "\
The notice is generated from the description in force (or --version N) and says which version
it is and from when. Finnish follows the sections of a Finnish tietosuojaseloste (1. Rekisterinpitäjä
… Tietosuojaselosteen muuttaminen); a section the description says nothing for is left out. A text
the description gives only in the other language is shown in that one, with a warning naming it.
--format md (the default) is Markdown; --format html one self-contained page to publish (no
scripts, nothing loaded from elsewhere, printable on A4).

--changes-since N summarises what changed from version N to the newest version (or --version M),
significant changes first, for telling the people in the register before the changes take effect.

The notice holds no one's personal data, so, like `policy show`, it is not an audit event."
)]
pub struct Args {
    /// The notice's language
    #[arg(long, value_enum, default_value_t = Lang::Fi)]
    pub lang: Lang,
    /// The notice of this stored version instead of the one in force; with --changes-since,
    /// the version the changes lead to [default: the newest]
    #[arg(long = "version", value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub version: Option<i64>,
    /// Instead of the notice, what changed since version N
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub changes_since: Option<i64>,
    /// Write it into FILE instead of standard output (a new file, readable only by you;
    /// never over an existing file)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The day a stored time falls on in `zone`.
fn day_of(stored: &str, zone: Tz) -> Option<NaiveDate> {
    time::parse_time(stored, Tz::UTC).map(|t| time::date_in(&t, zone))
}

fn lang_name(lang: Lang) -> &'static str {
    lang.pick("English", "Finnish")
}

/// Warns of each text `p` lacks in `lang` (the document shows the other language's).
fn warn_fallbacks(p: &Policy, version: i64, lang: Lang) {
    let other = match lang {
        Lang::Fi => Lang::En,
        Lang::En => Lang::Fi,
    };
    for field in p.fallbacks(lang) {
        eprintln!(
            "warning: version {version}: {field} has no {} text; the {} one is shown",
            lang_name(lang),
            lang_name(other)
        );
    }
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let format = match (ctx.document, ctx.format) {
        (Some(d), _) => d,
        (None, Format::Table) => DocFormat::Md,
        (None, f) => {
            return Err(Error::invalid(
                "--format",
                format!("{f:?}").to_lowercase(),
                "expected md (the default) or html: export notice writes a document",
            ))
        }
    };
    // Checked (and the temp file made) before anything is read: a bad path or a file
    // already there changes nothing.
    let mut out = Target::new(args.output.as_deref())?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (target, in_force, pending, since) = store.read(|tx| {
        let current = versions::current(tx, &now)?;
        let in_force = current.version;
        let wanted = match (args.version, args.changes_since) {
            (Some(n), _) => n,
            (None, Some(_)) => versions::newest(tx)?,
            (None, None) => in_force,
        };
        let target = if wanted == in_force {
            current
        } else {
            versions::get(tx, wanted)?
        };
        let pending = versions::pending(tx, &now)?;
        let since = args
            .changes_since
            .map(|n| versions::get(tx, n))
            .transpose()?;
        Ok((target, in_force, pending, since))
    })?;
    let zone = ctx.zone();
    let version = NoticeVersion {
        number: target.version,
        effective: day_of(&target.effective_at, zone).unwrap_or_else(|| ctx.today()),
        in_force,
    };
    let lang = args.lang;
    let (doc, what): (Document, String) = match &since {
        Some(old) => {
            if old.version >= target.version {
                return Err(Error::invalid(
                    "--changes-since",
                    old.version.to_string(),
                    format!(
                        "expected a version before version {}, the one the changes lead to",
                        target.version
                    ),
                ));
            }
            warn_fallbacks(&old.policy, old.version, lang);
            warn_fallbacks(&target.policy, target.version, lang);
            (
                notice_changes::changes_document(
                    &old.policy,
                    old.version,
                    &target.policy,
                    version,
                    lang,
                ),
                format!(
                    "the changes from version {} to version {}",
                    old.version, target.version
                ),
            )
        }
        None => {
            warn_fallbacks(&target.policy, target.version, lang);
            for gap in notice_gaps::gaps(&target.policy) {
                eprintln!("warning: version {}: {gap}", target.version);
            }
            if args.version.is_none() {
                for (v, at) in pending.iter().filter(|(v, _)| *v > in_force) {
                    ctx.status(format!(
                        "note: version {v} takes effect on {} (`rekisteri export notice --version {v}`; what changes: `--changes-since {in_force}`)",
                        time::display_date(at, zone)
                    ));
                }
            }
            (
                notice::privacy_notice(&target.policy, version, lang),
                format!("the privacy notice, version {}", target.version),
            )
        }
    };
    let bytes = match format {
        DocFormat::Md => doc.to_text(TableStyle::Plain).into_bytes(),
        DocFormat::Html => doc.to_html().into_bytes(),
    };
    out.write_all(&bytes)?;
    let placed = out.finish()?;
    super::finished(
        ctx,
        placed,
        format!("exported {what} ({}, {})", lang.as_str(), format.as_str()),
    );
    Ok(())
}
