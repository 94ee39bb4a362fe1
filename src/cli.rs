//! The command line: global options and the command tree.

mod values;

use std::path::PathBuf;

use clap::Parser;

use crate::commands::Command;
use crate::output::Format;

/// Keep a GDPR customer and marketing register in one local SQLite file.
///
/// Exit codes: 0 success; 1 the command failed (not found, refused, conflict, I/O);
/// 2 invalid usage or input.
#[derive(Debug, Parser)]
#[command(
    name = "rekisteri",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Environment: REKISTERI_DB (the register file), REKISTERI_OPERATOR (who is acting), \
REKISTERI_NOW (an RFC 3339 time, or a date meaning 00:00 UTC, every command uses as now, to test or \
replay date rules), \
NO_COLOR (no colour in messages)."
)]
pub struct Cli {
    /// The register file; one named here is created only by `init` [default: the platform data
    /// dir, e.g. ~/.local/share/rekisteri/register.db, created on first use]
    #[arg(long, global = true, env = "REKISTERI_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Output format of listings and `show`
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Who is acting, for the audit trail [default: the OS login name]
    #[arg(long, global = true, env = "REKISTERI_OPERATOR", value_name = "NAME")]
    pub operator: Option<String>,

    /// Print no status messages (data and errors still go out)
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}
