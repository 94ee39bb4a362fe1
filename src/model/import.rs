//! The contact CSV as `contact import` reads it: delimiter, header, rows as drafts.

use std::fmt;

use crate::model::contact::{DraftRef, FieldError, CSV_COLUMNS, EXPORT_COLUMNS};
use crate::model::field::FIELDS;

/// What happens to a row whose e-mail is already in the register or earlier in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    /// Import nothing and name the duplicate rows
    Fail,
    /// Leave the existing contact as it is and skip the row
    Skip,
    /// Overwrite the existing contact's fields with the row's non-empty columns
    Update,
}

impl OnDuplicate {
    pub fn as_str(self) -> &'static str {
        match self {
            OnDuplicate::Fail => "fail",
            OnDuplicate::Skip => "skip",
            OnDuplicate::Update => "update",
        }
    }
}

/// Where a row's e-mail was met before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeenIn {
    /// A contact that was in the register before this import.
    Register,
    /// An earlier row of the same file.
    File,
}

/// What an import does with a row whose e-mail was met before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateOutcome {
    /// The import fails, naming the row and where its e-mail was met.
    Refuse(SeenIn),
    /// The row is left out; the existing contact stays as it is.
    Skip,
    /// The row's non-empty columns overwrite the existing contact's fields.
    Merge,
}

/// The import's rule for a repeated e-mail, per `--on-duplicate`. A row repeating an earlier
/// row is judged like one repeating a stored contact: with `update`, the later row wins.
pub fn on_duplicate(mode: OnDuplicate, seen: SeenIn) -> DuplicateOutcome {
    match mode {
        OnDuplicate::Fail => DuplicateOutcome::Refuse(seen),
        OnDuplicate::Skip => DuplicateOutcome::Skip,
        OnDuplicate::Update => DuplicateOutcome::Merge,
    }
}

/// `;` when the header line has more semicolons than commas outside quotes (Finnish
/// Excel), `,` otherwise. Column names contain neither, so the header decides reliably.
pub fn detect_delimiter(first_line: &[u8]) -> u8 {
    let (mut commas, mut semis, mut quoted) = (0usize, 0usize, false);
    for &b in first_line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semis += 1,
            b'\n' | b'\r' if !quoted => break,
            _ => {}
        }
    }
    if semis > commas {
        b';'
    } else {
        b','
    }
}

/// Excel's optional first line `sep=;` (or `sep=,`) naming the delimiter. `None` when the
/// line is not one; `Some(Err(line))` when it names a delimiter the import does not take.
pub fn sep_hint(first_line: &[u8]) -> Option<Result<u8, String>> {
    let mut line = first_line;
    if let Some(l) = line.strip_suffix(b"\n") {
        line = l;
    }
    if let Some(l) = line.strip_suffix(b"\r") {
        line = l;
    }
    if line.len() < 4 || !line[..4].eq_ignore_ascii_case(b"sep=") {
        return None;
    }
    match &line[4..] {
        [d @ (b',' | b';')] => Some(Ok(*d)),
        _ => Some(Err(String::from_utf8_lossy(line).into_owned())),
    }
}

/// The line a record starts on, from the reader's line count before it (`before`: where
/// the previous record ended, ahead of any blank lines skipped) and after it (`after`,
/// its `\n` counted); `fields` is the record's text, whose quoted line breaks it spans.
/// Counting back from the end is exact for every record that ends in a line break; the
/// last one may not, and then cannot start before `before`.
pub fn record_start_line(fields: &[u8], before: u64, after: u64) -> u64 {
    if after <= before + 1 {
        return before;
    }
    let inner = fields.iter().filter(|&&b| b == b'\n').count() as u64;
    after.saturating_sub(inner + 1).max(before)
}

/// What every importer says of a cell that is not UTF-8.
pub const NOT_UTF8: &str = "not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")";

const EMAIL: usize = 3;

/// Where each known column sits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// For each of [`CSV_COLUMNS`], its 0-based position in the file's rows.
    at: [Option<usize>; CSV_COLUMNS.len()],
    /// How many fields a row has.
    pub width: usize,
}

impl Header {
    /// Matches the header row's names (trimmed, case-insensitive) to [`CSV_COLUMNS`].
    /// Every problem is returned: unknown, repeated or empty names, and a missing `email`.
    pub fn parse<'a>(
        names: impl IntoIterator<Item = &'a str>,
        line: u64,
    ) -> Result<Header, Vec<String>> {
        let mut at = [None; CSV_COLUMNS.len()];
        let mut errs = Vec::new();
        let mut width = 0;
        for (i, raw) in names.into_iter().enumerate() {
            width = i + 1;
            let name = raw.trim().to_ascii_lowercase();
            match CSV_COLUMNS.iter().position(|c| *c == name) {
                Some(k) if at[k].is_some() => errs.push(format!(
                    "line {line}, column {}: column {name:?} appears twice (also column {})",
                    i + 1,
                    at[k].map_or(0, |p: usize| p + 1)
                )),
                Some(k) => at[k] = Some(i),
                // Written by `export contacts` about the contact, not a field of it: read past,
                // as `id` is (a restriction is recorded by a request, not by an import).
                None if EXPORT_COLUMNS[CSV_COLUMNS.len()..].contains(&name.as_str()) => {}
                None if name.is_empty() => errs.push(format!(
                    "line {line}, column {}: the column has no name; name it (one of {}) or remove it",
                    i + 1,
                    CSV_COLUMNS.join(", ")
                )),
                None => errs.push(format!(
                    "line {line}, column {}: unknown column {:?}; accepted columns: {}",
                    i + 1,
                    raw.trim(),
                    CSV_COLUMNS.join(", ")
                )),
            }
        }
        if at[EMAIL].is_none() {
            errs.push(format!(
                "line {line}: the header has no column \"email\"; it is required (columns are matched by name: {})",
                CSV_COLUMNS.join(", ")
            ));
        }
        if errs.is_empty() {
            Ok(Header { at, width })
        } else {
            Err(errs)
        }
    }

    /// The 1-based column number of a field, when the file has it.
    pub fn column_of(&self, field: &str) -> Option<usize> {
        let k = CSV_COLUMNS.iter().position(|c| *c == field)?;
        self.at[k].map(|p| p + 1)
    }

    /// The name of the column at a 0-based position.
    pub fn name_at(&self, pos: usize) -> Option<&'static str> {
        let k = self.at.iter().position(|p| *p == Some(pos))?;
        Some(CSV_COLUMNS[k])
    }

    /// One row's cells as a draft, borrowed from `field(position)`; `id` is ignored and
    /// columns the file lacks are "not given".
    pub fn draft<'a>(&self, field: impl Fn(usize) -> Option<&'a str>) -> DraftRef<'a> {
        let mut d = DraftRef::default();
        // CSV_COLUMNS is `id` and then FIELDS, in order.
        for (k, f) in FIELDS.iter().enumerate() {
            *d.slot(f.field) = self.at[k + 1].and_then(&field);
        }
        d
    }
}

/// An imported row's source when the file gives none: the data came from an import.
pub fn with_import_source(given: DraftRef) -> DraftRef {
    let mut d = given;
    if d.source.map(str::trim).unwrap_or("").is_empty() {
        d.source = Some("import");
    }
    d
}

/// One problem with one row, as printed: `line 7, column 4 (email): invalid value "x": …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    /// 1-based column number, when the value is in the file.
    pub column: Option<usize>,
    /// The column name, when the problem is one field.
    pub field: Option<&'static str>,
    pub value: Option<String>,
    pub expected: String,
}

/// Values are shown to help find the cell, not in full: a value longer than
/// [`VALUE_CUT`] characters is shown as its first [`VALUE_SHOWN`] and its length.
const VALUE_SHOWN: usize = 80;
const VALUE_CUT: usize = 100;

impl RowError {
    /// A cell that is not UTF-8 (`column` 1-based).
    pub fn not_utf8(line: u64, column: usize, header: &Header) -> RowError {
        RowError {
            line,
            column: Some(column),
            field: header.name_at(column - 1),
            value: None,
            expected: NOT_UTF8.into(),
        }
    }

    pub fn field(line: u64, header: &Header, e: FieldError) -> RowError {
        RowError {
            line,
            column: header.column_of(e.field),
            field: Some(e.field),
            value: Some(shorten(&e.value)),
            expected: e.expected,
        }
    }
}

/// `ääää…(12,345 characters)` for a long value, the value itself otherwise.
pub fn shorten(v: &str) -> String {
    if v.len() <= VALUE_CUT || v.chars().nth(VALUE_CUT).is_none() {
        return v.to_string();
    }
    let cut = v
        .char_indices()
        .nth(VALUE_SHOWN)
        .map_or(v.len(), |(i, _)| i);
    format!(
        "{}…({} characters)",
        &v[..cut],
        thousands(v.chars().count() as u64)
    )
}

/// `12,345`: digits grouped by three, as English text writes them.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        match (self.column, self.field) {
            (Some(c), Some(name)) => write!(f, ", column {c} ({name})")?,
            (None, Some(name)) => write!(f, ", {name} (the stored value)")?,
            (Some(c), None) => write!(f, ", column {c}")?,
            (None, None) => {}
        }
        match &self.value {
            Some(v) => write!(f, ": invalid value {v:?}: {}", self.expected),
            None => write!(f, ": {}", self.expected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_email_fails_skips_or_merges_as_asked_wherever_it_was_seen() {
        use DuplicateOutcome::*;
        for seen in [SeenIn::Register, SeenIn::File] {
            assert_eq!(on_duplicate(OnDuplicate::Fail, seen), Refuse(seen));
            assert_eq!(on_duplicate(OnDuplicate::Skip, seen), Skip);
            assert_eq!(on_duplicate(OnDuplicate::Update, seen), Merge);
        }
    }

    #[test]
    fn delimiter_from_header() {
        assert_eq!(detect_delimiter(b"email,first_name\n"), b',');
        assert_eq!(detect_delimiter(b"email;first_name\r\n"), b';');
        assert_eq!(detect_delimiter(b"\"a,b\";c;d\n1,2,3,4,5"), b';');
        assert_eq!(detect_delimiter(b"email"), b',');
    }

    #[test]
    fn header_any_order_and_subset() {
        let h = Header::parse([" Email ", "city", "id"], 1).unwrap();
        assert_eq!(h.width, 3);
        assert_eq!(h.column_of("email"), Some(1));
        assert_eq!(h.column_of("city"), Some(2));
        assert_eq!(h.column_of("notes"), None);
        assert_eq!(h.name_at(1), Some("city"));
        let row = ["a@b.fi", "Oulu", "99"];
        let d = h.draft(|i| row.get(i).copied());
        assert_eq!(d.email, Some("a@b.fi"));
        assert_eq!(d.city, Some("Oulu"));
        assert_eq!(d.first_name, None);
    }

    #[test]
    fn an_export_files_restricted_column_is_read_past() {
        let h = Header::parse(["id", "email", "city", "restricted"], 1).unwrap();
        assert_eq!(h.width, 4);
        assert_eq!(h.name_at(3), None);
        let row = ["1", "a@b.fi", "Oulu", "true"];
        let d = h.draft(|i| row.get(i).copied());
        assert_eq!((d.email, d.city), (Some("a@b.fi"), Some("Oulu")));
    }

    #[test]
    fn header_problems_are_all_named() {
        let errs = Header::parse(["sähköposti", "city", "city", ""], 1).unwrap_err();
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs[0].contains("unknown column \"sähköposti\""));
        assert!(errs[1].contains("column 3: column \"city\" appears twice (also column 2)"));
        assert!(errs[2].contains("column 4: the column has no name"));
        assert!(errs[3].contains("no column \"email\""));
    }

    #[test]
    fn source_defaults_to_import() {
        let d = with_import_source(DraftRef::default());
        assert_eq!(d.source, Some("import"));
        let given = DraftRef {
            source: Some("public"),
            ..Default::default()
        };
        assert_eq!(with_import_source(given).source, Some("public"));
    }

    #[test]
    fn row_errors_read_well_and_long_values_are_cut() {
        let h = Header::parse(["email", "notes"], 1).unwrap();
        let e = RowError::field(
            7,
            &h,
            FieldError {
                field: "notes",
                value: "ä".repeat(101),
                expected: "expected at most 10 characters".into(),
            },
        );
        let s = e.to_string();
        assert_eq!(
            s,
            format!(
                "line 7, column 2 (notes): invalid value \"{}…(101 characters)\": expected at most 10 characters",
                "ä".repeat(80)
            )
        );
    }

    #[test]
    fn values_are_cut_only_when_long() {
        let v = "x".repeat(VALUE_CUT);
        assert_eq!(shorten(&v), v);
        assert_eq!(shorten("Äänekoski"), "Äänekoski");
        let long = "ö".repeat(12_345);
        assert_eq!(
            shorten(&long),
            format!("{}…(12,345 characters)", "ö".repeat(80))
        );
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn excel_sep_line() {
        assert_eq!(sep_hint(b"sep=;\r\n"), Some(Ok(b';')));
        assert_eq!(sep_hint(b"sep=,\n"), Some(Ok(b',')));
        assert_eq!(sep_hint(b"SEP=;"), Some(Ok(b';')));
        assert_eq!(sep_hint(b"sep=#\n"), Some(Err("sep=#".into())));
        assert_eq!(sep_hint(b"sep=\n"), Some(Err("sep=".into())));
        assert_eq!(sep_hint(b"email;sep\n"), None);
        assert_eq!(sep_hint(b"sep\n"), None);
    }

    #[test]
    fn records_start_where_their_text_begins() {
        // One line, the common case.
        assert_eq!(record_start_line(b"a@b.fi", 7, 8), 7);
        // After two blank lines.
        assert_eq!(record_start_line(b"a@b.fi", 7, 10), 9);
        // A quoted field over three lines, after a blank line.
        assert_eq!(record_start_line(b"a@b.fi\"x\ny\nz", 7, 12), 9);
        // The last record, without a line break.
        assert_eq!(record_start_line(b"a@b.fi", 7, 7), 7);
        assert_eq!(record_start_line(b"a@b.fi\"x\ny", 7, 8), 7);
    }
}
