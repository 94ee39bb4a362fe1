//! `rekisteri policy show|history|apply`: the register description (the privacy notice).

use crate::model::audit::Action;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::labels::Lang;
use crate::model::policy::{Marketing, Policy};
use crate::model::policy_diff::{diff, Change};
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
An identical description stores nothing. Old versions are kept: consents refer to the version
they were given under.")]
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
    let (pv, in_force) = store.read(|tx| {
        let current = versions::current(tx)?;
        Ok(match args.version {
            Some(n) if n != current.version => (versions::get(tx, n)?, current.version),
            _ => {
                let v = current.version;
                (current, v)
            }
        })
    })?;
    match ctx.format {
        Format::Table => {
            let version = notice::Version {
                number: pv.version,
                stored_at: &pv.created_at,
                operator: &pv.operator,
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
        &["version", time_header, "operator", "material", "changes"],
    )?;
    let mut prev: Option<&Policy> = None;
    for pv in &all {
        let (material, summary) = match prev {
            None => (Value::Null, "initial description".to_string()),
            Some(old) => {
                let changes = diff(old, &pv.policy);
                let summary = if changes.is_empty() {
                    "no changes".to_string()
                } else {
                    changes
                        .iter()
                        .map(Change::short)
                        .collect::<Vec<_>>()
                        .join("; ")
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
            json!(pv.operator),
            material,
            json!(summary),
        ])?;
        prev = Some(&pv.policy);
    }
    w.finish()?;
    Ok(())
}

/// What `apply` did inside its transaction.
struct Applied {
    previous: i64,
    stored: Option<i64>,
    changes: Vec<Change>,
    /// Removed purposes that consent events still name, with the number of events.
    referenced: Vec<(String, i64)>,
}

fn apply(args: ApplyArgs, ctx: &Ctx) -> Result<()> {
    // Checked before the register is opened (or created): a bad file changes nothing.
    let new = read_policy_file(&args.file, "nothing was stored")?;
    let mut store: Store = ctx.open()?;
    let now = ctx.now_str();
    let applied = store.write(|tx| {
        let current = versions::current(tx)?;
        let changes = diff(&current.policy, &new);
        if changes.is_empty() {
            return Ok(Applied {
                previous: current.version,
                stored: None,
                changes,
                referenced: Vec::new(),
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
        let v = versions::insert_version(tx, &new, &now, &ctx.operator)?;
        let material = changes.iter().filter(|c| c.is_material()).count();
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::PolicyApply,
            &format!("policy:{v}"),
            &format!("changes={},material={material}", changes.len()),
        )?;
        Ok(Applied {
            previous: current.version,
            stored: Some(v),
            changes,
            referenced,
        })
    })?;

    for (id, n) in &applied.referenced {
        eprintln!(
            "warning: purpose \"{id}\" was removed, but {n} consent event(s) refer to it; they are kept and still name the version they were given under"
        );
    }
    let material = applied.changes.iter().filter(|c| c.is_material()).count();
    match ctx.format {
        Format::Json => output::print_json(&json!({
            "stored": applied.stored.is_some(),
            "version": applied.stored.unwrap_or(applied.previous),
            "previous_version": applied.previous,
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
                    writeln!(
                        out,
                        "Changes from version {} to version {v}:",
                        applied.previous
                    )?;
                    for c in &applied.changes {
                        match c.material_reason() {
                            Some(why) => writeln!(out, "  {} {c}  [material: {why}]", c.sign())?,
                            None => writeln!(out, "  {} {c}", c.sign())?,
                        }
                    }
                    if material > 0 {
                        writeln!(
                            out,
                            "{material} material change(s): tell the people in the register about them before the new description takes effect (GDPR Art. 13(3), 14(4))."
                        )?;
                    }
                }
            }
            out.flush()?;
        }
    }
    if let Some(v) = applied.stored {
        ctx.status(format!(
            "stored register description version {v} ({} change(s), {material} material)",
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
