//! The command line: global options and the command tree.

mod values;

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::commands::Command;
use crate::error::Error;
use crate::output::{DocFormat, Format};

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

    /// Output format: of listings and `show`, table, csv or json [default: table; csv with
    /// --excel]; of a document (`export notice`), md or html [default: md]
    #[arg(long, global = true, value_enum)]
    pub format: Option<FormatArg>,

    /// CSV for opening in Excel: ';' between fields, a UTF-8 byte-order mark, CRLF line ends,
    /// and a cell Excel would run as a formula (starting with = + - @, tab or CR) shown as
    /// text with a leading '. Plain CSV (without it) keeps every value exactly, for scripts
    #[arg(long, global = true)]
    pub excel: bool,

    /// Who is acting, for the audit trail [default: the OS login name]
    #[arg(long, global = true, env = "REKISTERI_OPERATOR", value_name = "NAME")]
    pub operator: Option<String>,

    /// Print no status messages (data and errors still go out)
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// What `--format` accepts: the formats of rows and records, and those of documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Csv,
    Json,
    /// Markdown (documents)
    Md,
    /// One self-contained HTML page (documents)
    Html,
}

impl FormatArg {
    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    }
}

/// The output formats `--format` and `--excel` ask for: the format of rows, and of a
/// document when the command writes one (`documents`). A document format for a command
/// that writes none is an error naming what it writes.
pub fn output_formats(
    format: Option<FormatArg>,
    excel: bool,
    documents: bool,
) -> Result<(Format, Option<DocFormat>), Error> {
    let doc = match format {
        Some(FormatArg::Md) => Some(DocFormat::Md),
        Some(FormatArg::Html) => Some(DocFormat::Html),
        _ => None,
    };
    if let (Some(_), Some(f)) = (doc, format) {
        if !documents {
            return Err(Error::invalid(
                "--format",
                f.name(),
                "expected table, csv or json (md and html are the formats of documents, e.g. `export notice`)",
            ));
        }
        if excel {
            return Err(Error::invalid(
                "--format",
                f.name(),
                "--excel writes CSV; leave --excel out for a document",
            ));
        }
        return Ok((Format::Table, doc));
    }
    let rows = format.map(|f| match f {
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
        _ => Format::Table,
    });
    Ok((output_format(rows, excel)?, None))
}

/// The output format `--format` and `--excel` ask for: `--excel` is CSV, so alone it means
/// CSV and beside another format it is an error naming both.
pub fn output_format(format: Option<Format>, excel: bool) -> Result<Format, Error> {
    match (format, excel) {
        (None, false) => Ok(Format::Table),
        (Some(f), false) => Ok(f),
        (None | Some(Format::Csv), true) => Ok(Format::Csv),
        (Some(f), true) => Err(Error::invalid(
            "--format",
            f.to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string()),
            "--excel writes CSV; leave --format out or give --format csv",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_means_csv() {
        assert_eq!(output_format(None, false).unwrap(), Format::Table);
        assert_eq!(
            output_format(Some(Format::Json), false).unwrap(),
            Format::Json
        );
        assert_eq!(output_format(None, true).unwrap(), Format::Csv);
        assert_eq!(output_format(Some(Format::Csv), true).unwrap(), Format::Csv);
        assert!(output_format(Some(Format::Json), true).is_err());
        assert!(output_format(Some(Format::Table), true).is_err());
    }

    #[test]
    fn document_formats_are_only_for_commands_that_write_documents() {
        assert_eq!(
            output_formats(Some(FormatArg::Html), false, true).unwrap(),
            (Format::Table, Some(DocFormat::Html))
        );
        assert_eq!(
            output_formats(None, false, true).unwrap(),
            (Format::Table, None)
        );
        assert_eq!(
            output_formats(Some(FormatArg::Csv), false, true).unwrap(),
            (Format::Csv, None)
        );
        assert_eq!(
            output_formats(Some(FormatArg::Json), false, false).unwrap(),
            (Format::Json, None)
        );
        let e = output_formats(Some(FormatArg::Md), false, false).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("expected table, csv or json"), "{e}");
        assert!(output_formats(Some(FormatArg::Html), true, true).is_err());
    }
}
