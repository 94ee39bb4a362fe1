use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use rekisteri::cli::{self, Cli};
use rekisteri::context::{self, Ctx};
use rekisteri::error::{Error, EXIT_FAILURE, EXIT_OK, EXIT_USAGE};
use rekisteri::output::CsvStyle;

fn main() -> ExitCode {
    // Everything the tool creates holds personal data: owner-only from the start.
    // SAFETY: umask only sets this process's file-mode mask; no memory is involved.
    unsafe {
        libc::umask(0o077);
    }
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(()) => EXIT_OK,
        Err(e) => report(&e),
    };
    ExitCode::from(code as u8)
}

fn run(cli: Cli) -> Result<(), Error> {
    let db_explicit = cli.db.is_some();
    let db_path = match cli.db {
        Some(p) => p,
        None => context::default_db_path()?,
    };
    let (format, document) =
        cli::output_formats(cli.format, cli.excel, cli.command.writes_documents())?;
    let ctx = Ctx {
        db_path,
        db_explicit,
        format,
        document,
        csv: CsvStyle::excel(cli.excel),
        operator: context::operator_or_login(cli.operator)?,
        now: context::clock_from_env()?,
        quiet: cli.quiet,
        zone: Default::default(),
    };
    rekisteri::commands::run(cli.command, &ctx)
}

fn report(e: &Error) -> i32 {
    if e.is_broken_pipe() {
        // `rekisteri export … | head`: the reader has what it wanted.
        return EXIT_OK;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let prefix = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    eprintln!("{prefix} {e}");
    if let Some(hint) = e.hint() {
        eprintln!("hint: {hint}");
    }
    match e.exit_code() {
        EXIT_USAGE => EXIT_USAGE,
        _ => EXIT_FAILURE,
    }
}
