//! `rekisteri policy show|history|apply`: the register description (the privacy notice).

use crate::model::audit::Action;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::labels::Lang;
use crate::model::notice_gaps;
use crate::model::policy::{Marketing, Policy};
use crate::model::policy_diff::{diff, Change};
use crate::model::time::{self, format_date};
use crate::output::{self, notice, Format, RowWriter, TableStyle};
use crate::store::policy as versions;
use crate::store::{audit, Store};

#[derive(Debug, clap::Subcommand)]
pub enum PolicyCommand {
    /// Show the description in force (or an older version)
    #[command(disable_version_flag = true)]
    Show(ShowArgs),
    /// List the stored versions: number, time, operator, what changed
    History,
    /// Store FILE as a new version and print what changed against the one in force
    #[command(after_help = "\
Material changes (a new purpose, a changed legal basis, a new recipient or transfer, longer
retention) are marked: the people in the register must be told of them before they take effect.
With --effective DATE the new version takes effect at the start of that day (in the register's
time zone); until then the version in force stays in force for every rule, and consents given
meanwhile record it. An identical description stores nothing. Old versions are kept: consents
refer to the version they were given under.")]
    Apply(ApplyArgs),
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Show this stored version instead of the one in force
    #[arg(long = "version", value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub version: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct ApplyArgs {
    /// The new description (TOML, see examples/policy.toml), or - for standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The day the new version takes effect, YYYY-MM-DD, a later day than today [default: at once]
    #[arg(long, value_name = "DATE", value_parser = crate::commands::contact::date_arg)]
    pub effective: Option<NaiveDate>,
}

pub fn run(cmd: PolicyCommand, ctx: &Ctx) -> Result<()> {
    match cmd {
        PolicyCommand::Show(a) => show(a, ctx),
        PolicyCommand::History => history(ctx),
        PolicyCommand::Apply(a) => apply(a, ctx),
    }
}

/// Reads and checks a description file (`-` is standard input). A bad description is one
/// error block naming the file, the line and the field; `nothing` says what was not done.
pub fn read_policy_file(path: &Path, nothing: &str) -> Result<Policy> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let mut bytes = Vec::new();
    let read = if stdin {
        io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| Error::Io(io::Error::new(e.kind(), format!("cannot read {name}: {e}"))))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::InvalidInput(format!(
            "invalid register description {name}: not UTF-8 text (byte {}); save it as UTF-8; {nothing}",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // Editors on Windows may start the file with a byte-order mark; TOML does not allow one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Policy::parse(text).map_err(|e| {
        Error::InvalidInput(format!(
            "invalid register description {name}: {e}\n{nothing}"
        ))
    })
}

fn show(args: ShowArgs, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (pv, in_force, pending) = store.read(|tx| {
        let current = versions::current(tx, &now)?;
        let pending = versions::pending(tx, &now)?;
        Ok(match args.version {
            Some(n) if n != current.version => (versions::get(tx, n)?, current.version, pending),
            _ => {
                let v = current.version;
                (current, v, pending)
            }
        })
    })?;
    for (v, at) in pending.iter().filter(|(v, _)| *v > in_force) {
        if *v != pv.version {
            ctx.status(format!(
                "note: version {v} takes effect on {} (`rekisteri policy show --version {v}`)",
                time::display_date(at, ctx.zone())
            ));
        }
    }
    match ctx.format {
        Format::Table => {
            let version = notice::Version {
                number: pv.version,
                stored_at: &pv.created_at,
                operator: &pv.operator,
                effective_at: &pv.effective_at,
                in_force,
                zone: ctx.zone(),
            };
            let doc = notice::register_description(&pv.policy, version, Lang::En);
            let mut out = io::stdout().lock();
            doc.write_text(&mut out, TableStyle::for_stdout())?;
            out.flush()?;
        }
        Format::Json => output::print_json(&json!({
            "version": pv.version,
            "created_at": pv.created_at,
            "effective_at": pv.effective_at,
            "effective": time::display_date(&pv.effective_at, ctx.zone()),
            "operator": pv.operator,
            "in_force": pv.version == in_force,
            "policy": pv.policy,
        }))?,
        Format::Csv => {
            let mut w = RowWriter::stdout(
                Format::Csv,
                ctx.csv,
                &["version", "purpose", "basis", "marketing", "description"],
            )?;
            for p in &pv.policy.purposes {
                w.row(vec![
                    json!(pv.version),
                    json!(p.id),
                    json!(p.basis.as_str()),
                    output::opt(p.marketing.map(Marketing::as_str)),
                    json!(p.description.in_lang(Lang::En)),
                ])?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

fn history(ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open()?;
    let all = store.read(versions::history)?;
    let table = ctx.format == Format::Table;
    let time_header = if table { "time" } else { "created_at" };
    let mut w = RowWriter::stdout(
        ctx.format,
        ctx.csv,
        &[
            "version",
            time_header,
            "effective",
            "operator",
            "material",
            "changes",
        ],
    )?;
    let zone = ctx.zone();
    for (i, pv) in all.iter().enumerate() {
        let (material, summary) = match predecessor(&all[..i], &pv.effective_at) {
            None => (Value::Null, "initial description".to_string()),
            Some(old) => {
                let changes = diff(&old.policy, &pv.policy);
                let summary = if changes.is_empty() {
                    "no changes".to_string()
                } else {
                    changes
                        .iter()
                        .map(Change::short)
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                let summary = if old.version + 1 == pv.version {
                    summary
                } else {
                    format!("(against version {}) {summary}", old.version)
                };
                (json!(changes.iter().any(Change::is_material)), summary)
            }
        };
        let at = if table {
            ctx.show_time(&pv.created_at)
        } else {
            pv.created_at.clone()
        };
        w.row(vec![
            json!(pv.version),
            json!(at),
            json!(time::display_date(&pv.effective_at, zone)),
            json!(pv.operator),
            material,
            json!(summary),
        ])?;
    }
    w.finish()?;
    Ok(())
}

/// The version a new one follows: the one in force when it takes effect, among the versions
/// stored before it (a version stored to take effect later is not followed by one that takes
/// effect sooner).
fn predecessor<'a>(
    before: &'a [versions::PolicyVersion],
    effective_at: &str,
) -> Option<&'a versions::PolicyVersion> {
    crate::model::policy::in_force(before, |v| &v.effective_at, effective_at).or(before.last())
}

/// What `apply` did inside its transaction.
struct Applied {
    previous: i64,
    stored: Option<i64>,
    changes: Vec<Change>,
    /// Removed purposes that consent events still name, with the number of events.
    referenced: Vec<(String, i64)>,
    /// Versions stored to take effect after the new one: they never will.
    superseded: Vec<(i64, String)>,
    /// The version in force now.
    in_force: i64,
}

fn apply(args: ApplyArgs, ctx: &Ctx) -> Result<()> {
    let today = ctx.today();
    let effective_at = match args.effective {
        None => None,
        Some(d) if d <= today => {
            return Err(Error::invalid(
                "--effective",
                format_date(&d),
                format!(
                    "expected a day after today ({}); without --effective the new version is in force at once",
                    format_date(&today)
                ),
            ))
        }
        Some(d) => Some(
            time::start_of_day(d, ctx.zone())
                .map(|t| time::format_time(&t))
                .ok_or_else(|| Error::invalid("--effective", format_date(&d), time::DATE_EXPECTED))?,
        ),
    };
    // Checked before the register is opened (or created): a bad file changes nothing.
    let new = read_policy_file(&args.file, "nothing was stored")?;
    let mut store: Store = ctx.open()?;
    let now = ctx.now_str();
    let effective_at = effective_at.unwrap_or_else(|| now.clone());
    let applied = store.write(|tx| {
        // Compared with the version it follows: the one in force when it takes effect.
        let previous = versions::get(tx, versions::version_at(tx, &effective_at)?)?;
        let in_force = versions::version_at(tx, &now)?;
        let superseded: Vec<(i64, String)> = versions::pending(tx, &now)?
            .into_iter()
            .filter(|(_, at)| *at > effective_at)
            .collect();
        let changes = diff(&previous.policy, &new);
        if changes.is_empty() && superseded.is_empty() {
            return Ok(Applied {
                previous: previous.version,
                stored: None,
                changes,
                referenced: Vec::new(),
                superseded,
                in_force,
            });
        }
        let mut referenced = Vec::new();
        for c in &changes {
            if let Change::PurposeRemoved { id } = c {
                let n = versions::consent_events_for(tx, id)?;
                if n > 0 {
                    referenced.push((id.clone(), n));
                }
            }
        }
        let v = versions::insert_version(tx, &new, &now, &effective_at, &ctx.operator)?;
        let material = changes.iter().filter(|c| c.is_material()).count();
        let mut detail = format!("changes={},material={material}", changes.len());
        if effective_at != now {
            detail.push_str(&format!(",effective={effective_at}"));
        }
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::PolicyApply,
            &format!("policy:{v}"),
            &detail,
        )?;
        Ok(Applied {
            previous: previous.version,
            stored: Some(v),
            changes,
            referenced,
            superseded,
            in_force,
        })
    })?;
    let zone = ctx.zone();
    let later = (effective_at != now).then(|| time::display_date(&effective_at, zone));

    if let Some(v) = applied.stored {
        for (old, at) in &applied.superseded {
            eprintln!(
                "warning: version {old} was to take effect on {}; version {v} takes effect before it, so version {old} will never be in force",
                time::display_date(at, zone)
            );
        }
    }
    for (id, n) in &applied.referenced {
        eprintln!(
            "warning: purpose \"{id}\" was removed, but {n} consent event(s) refer to it; they are kept and still name the version they were given under"
        );
    }
    for gap in notice_gaps::gaps(&new) {
        eprintln!("warning: {gap}");
    }
    let material = applied.changes.iter().filter(|c| c.is_material()).count();
    match ctx.format {
        Format::Json => output::print_json(&json!({
            "stored": applied.stored.is_some(),
            "version": applied.stored.unwrap_or(applied.previous),
            "previous_version": applied.previous,
            "effective_at": applied.stored.map(|_| effective_at.clone()),
            "effective": applied.stored.map(|_| time::display_date(&effective_at, zone)),
            "material": material,
            "changes": applied.changes.iter().map(change_json).collect::<Vec<_>>(),
        }))?,
        Format::Csv => {
            let mut w = RowWriter::stdout(
                Format::Csv,
                ctx.csv,
                &["change", "material", "reason", "summary"],
            )?;
            for c in &applied.changes {
                w.row(vec![
                    json!(c.sign().to_string()),
                    json!(c.is_material()),
                    output::opt(c.material_reason()),
                    json!(c.to_string()),
                ])?;
            }
            w.finish()?;
        }
        Format::Table => {
            let mut out = io::stdout().lock();
            match applied.stored {
                None => writeln!(
                    out,
                    "no changes: the description is the same as version {}; nothing stored",
                    applied.previous
                )?,
                Some(v) => {
                    match &later {
                        None => writeln!(
                            out,
                            "Changes from version {} to version {v}:",
                            applied.previous
                        )?,
                        Some(d) => writeln!(
                            out,
                            "Changes from version {} to version {v} (takes effect on {d}):",
                            applied.previous
                        )?,
                    }
                    if applied.changes.is_empty() {
                        writeln!(out, "  (none: the same as version {})", applied.previous)?;
                    }
                    for c in &applied.changes {
                        match c.material_reason() {
                            Some(why) => writeln!(out, "  {} {c}  [material: {why}]", c.sign())?,
                            None => writeln!(out, "  {} {c}", c.sign())?,
                        }
                    }
                    if material > 0 {
                        let when = match &later {
                            None => "before the new description takes effect".to_string(),
                            Some(d) => format!("before {d}, when the new description takes effect"),
                        };
                        writeln!(
                            out,
                            "{material} material change(s): tell the people in the register about them {when} (GDPR Art. 13(3), 14(4))."
                        )?;
                    }
                }
            }
            out.flush()?;
        }
    }
    if let Some(v) = applied.stored {
        let when = match &later {
            None => String::new(),
            Some(d) => format!(
                "; it takes effect on {d}, until then version {} is in force",
                applied.in_force
            ),
        };
        ctx.status(format!(
            "stored register description version {v} ({} change(s), {material} material){when}",
            applied.changes.len()
        ));
    }
    Ok(())
}

fn change_json(c: &Change) -> Value {
    let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("material".into(), json!(c.is_material()));
        m.insert("material_reason".into(), output::opt(c.material_reason()));
        m.insert("summary".into(), json!(c.to_string()));
    }
    v
}
