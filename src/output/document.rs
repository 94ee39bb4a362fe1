//! Documents for people to read — the register description (`policy show`), everything held
//! about a person (`contact show`), later the access report — as a list of [`Section`]s, and
//! the one renderer that writes them as text (in a [`Lang`], tables in a [`TableStyle`]), as
//! one JSON object or as long-form CSV.
//!
//! Keys ending in `_at` are stored UTC times: text shows them in the register's time zone, CSV and JSON as
//! stored (RFC 3339).

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Map, Value};

pub use crate::model::labels::Lang;
use crate::model::time::{self, Tz};
use crate::output::{cell_text, new_table, CsvStyle, TableStyle};

/// A whole document: a few heading lines, then its sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub lang: Lang,
    /// The register's time zone: stored times are shown in it.
    pub zone: Tz,
    pub layout: Layout,
    /// Lines above the first section, e.g. which version of the description this is.
    pub heading: Vec<String>,
    pub sections: Vec<Section>,
}

/// How the sections of a document are laid out as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Data about one thing (`contact show`): each section under its key, the number of rows
    /// in the heading, short sections on one line (`tags: a, b`, `history: none`).
    Record,
    /// A notice to read through: a title over each section, bodies indented, named fields
    /// in a column beside their labels.
    Notice,
    /// A notice as Markdown, for a file a person opens (the access report): the first heading
    /// line is the title, each section a `##` heading, named fields a list (a value of several
    /// lines a list under its label), rows a table.
    Markdown,
}

/// One part of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The JSON key and the CSV `section` column, e.g. `history`; the same in every language.
    pub key: &'static str,
    /// The heading people read (the key itself in a [`Layout::Record`]); empty for none.
    pub title: String,
    pub body: Body,
    /// Lines after the body, e.g. the deletion interval under the retention rules.
    pub notes: Vec<String>,
    pub when_empty: WhenEmpty,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Named values (one object in JSON). In a notice a value may be an array of lines.
    Fields(Vec<(&'static str, Value)>),
    /// Rows of one shape (an array of objects in JSON).
    Rows {
        headers: Vec<&'static str>,
        rows: Vec<Vec<Value>>,
    },
    /// Plain values (an array of strings in JSON), e.g. tags.
    List(Vec<String>),
    /// A paragraph.
    Text(String),
    /// Prose of paragraphs, lists and labelled lines under headings of their own: a section of
    /// a privacy notice.
    Blocks(Vec<Block>),
}

/// A part of a section's prose.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading inside the section (a right, in the notice's rights section).
    Heading(String),
    Paragraph(String),
    /// A bulleted list.
    List(Vec<String>),
    /// Labelled values, one a line: `Name: Kuusiaho Group Oy`.
    Fields(Vec<(String, String)>),
}

impl Block {
    /// A heading alone says nothing: only what is under it counts.
    fn has_content(&self) -> bool {
        match self {
            Block::Heading(_) => false,
            Block::Paragraph(p) => !p.trim().is_empty(),
            Block::List(items) => !items.is_empty(),
            Block::Fields(f) => !f.is_empty(),
        }
    }

    /// The block's kind, as the JSON key and the CSV `field` column name it.
    fn kind(&self) -> &'static str {
        match self {
            Block::Heading(_) => "heading",
            Block::Paragraph(_) => "paragraph",
            Block::List(_) => "list",
            Block::Fields(_) => "fields",
        }
    }
}

/// What a section with an empty body shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenEmpty {
    /// "none", in the document's language.
    SayNone,
    /// Its own words, e.g. "no per-category rules".
    Say(String),
    /// Nothing: the section is left out (unless it has notes).
    Omit,
}

impl Body {
    pub fn is_empty(&self) -> bool {
        match self {
            Body::Fields(f) => f.is_empty(),
            Body::Rows { rows, .. } => rows.is_empty(),
            Body::List(items) => items.is_empty(),
            Body::Text(t) => t.trim().is_empty(),
            Body::Blocks(b) => !b.iter().any(Block::has_content),
        }
    }
}

impl Section {
    fn new(key: &'static str, body: Body) -> Section {
        Section {
            key,
            title: key.to_string(),
            body,
            notes: Vec::new(),
            when_empty: WhenEmpty::SayNone,
        }
    }

    pub fn fields(key: &'static str, fields: Vec<(&'static str, Value)>) -> Section {
        Section::new(key, Body::Fields(fields))
    }

    pub fn rows(key: &'static str, headers: &[&'static str], rows: Vec<Vec<Value>>) -> Section {
        Section::new(
            key,
            Body::Rows {
                headers: headers.to_vec(),
                rows,
            },
        )
    }

    pub fn list(key: &'static str, items: Vec<String>) -> Section {
        Section::new(key, Body::List(items))
    }

    pub fn text(key: &'static str, text: impl Into<String>) -> Section {
        Section::new(key, Body::Text(text.into()))
    }

    pub fn blocks(key: &'static str, blocks: Vec<Block>) -> Section {
        Section::new(key, Body::Blocks(blocks))
    }

    pub fn titled(mut self, title: impl Into<String>) -> Section {
        self.title = title.into();
        self
    }

    pub fn note(mut self, line: impl Into<String>) -> Section {
        self.notes.push(line.into());
        self
    }

    pub fn when_empty(mut self, w: WhenEmpty) -> Section {
        self.when_empty = w;
        self
    }

    /// Left out of the text: nothing to show and nothing to say about that.
    pub fn omitted(&self) -> bool {
        self.body.is_empty() && self.when_empty == WhenEmpty::Omit && self.notes.is_empty()
    }
}

/// Words of the renderer itself.
fn none_word(lang: Lang) -> &'static str {
    lang.pick("none", "ei ole")
}

fn field_headers(lang: Lang) -> [&'static str; 2] {
    [lang.pick("field", "kenttä"), lang.pick("value", "arvo")]
}

/// A cell for a person to read: stored UTC times in local time.
fn display(key: &str, v: &Value, zone: Tz) -> String {
    match v {
        Value::String(s) if key.ends_with("_at") => time::display(s, zone),
        other => cell_text(other),
    }
}

/// The lines of a value shown beside a label: an array is one line per element, blank lines
/// are dropped.
fn value_lines(v: &Value) -> Vec<String> {
    let parts = match v {
        Value::Array(items) => items.iter().map(cell_text).collect(),
        other => vec![cell_text(other)],
    };
    parts
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

impl Document {
    /// The document as text, tables drawn in `style`.
    pub fn to_text(&self, style: TableStyle) -> String {
        if self.layout == Layout::Markdown {
            return self.to_markdown();
        }
        let mut s = String::new();
        for line in &self.heading {
            let _ = writeln!(s, "{line}");
        }
        let shown = self.sections.iter().filter(|sec| !sec.omitted());
        for (i, sec) in shown.enumerate() {
            if i > 0 || !self.heading.is_empty() {
                s.push('\n');
            }
            match self.layout {
                Layout::Record => self.record_section(&mut s, sec, style),
                Layout::Notice | Layout::Markdown => self.notice_section(&mut s, sec, style),
            }
        }
        s
    }

    pub fn write_text(&self, out: &mut impl Write, style: TableStyle) -> io::Result<()> {
        out.write_all(self.to_text(style).as_bytes())
    }

    fn empty_text<'s>(&self, sec: &'s Section) -> &'s str {
        match &sec.when_empty {
            WhenEmpty::Say(t) => t,
            WhenEmpty::SayNone | WhenEmpty::Omit => none_word(self.lang),
        }
    }

    fn record_section(&self, s: &mut String, sec: &Section, style: TableStyle) {
        let title = &sec.title;
        if sec.body.is_empty() {
            match sec.when_empty {
                WhenEmpty::Omit => {
                    let _ = writeln!(s, "{title}");
                }
                _ => {
                    let _ = writeln!(s, "{title}: {}", self.empty_text(sec));
                }
            }
        } else {
            match &sec.body {
                Body::Fields(f) => {
                    let _ = writeln!(s, "{title}");
                    let mut t = new_table(style, &field_headers(self.lang));
                    for (k, v) in f {
                        t.add_row(vec![k.to_string(), display(k, v, self.zone)]);
                    }
                    let _ = writeln!(s, "{t}");
                }
                Body::Rows { headers, rows } => {
                    let _ = writeln!(s, "{title} ({})", rows.len());
                    let _ = writeln!(s, "{}", rows_table(style, headers, rows, self.zone));
                }
                Body::List(items) => {
                    let _ = writeln!(s, "{title}: {}", items.join(", "));
                }
                Body::Text(text) => {
                    let _ = writeln!(s, "{title}: {}", text.trim());
                }
                Body::Blocks(blocks) => {
                    let _ = writeln!(s, "{title}");
                    text_blocks(s, blocks);
                }
            }
        }
        for n in &sec.notes {
            let _ = writeln!(s, "{n}");
        }
    }

    fn notice_section(&self, s: &mut String, sec: &Section, style: TableStyle) {
        if !sec.title.is_empty() {
            let _ = writeln!(s, "{}", sec.title);
        }
        if sec.body.is_empty() {
            if sec.when_empty != WhenEmpty::Omit {
                let _ = writeln!(s, "  {}", self.empty_text(sec));
            }
        } else {
            match &sec.body {
                Body::Fields(f) => {
                    let fields: Vec<(&str, Vec<String>)> = f
                        .iter()
                        .map(|(label, v)| (*label, value_lines(v)))
                        .filter(|(_, lines)| !lines.is_empty())
                        .collect();
                    // Two spaces after the longest label (counted in characters: ä is one).
                    let width = fields
                        .iter()
                        .map(|(l, _)| l.chars().count())
                        .max()
                        .unwrap_or(0)
                        + 2;
                    for (label, lines) in fields {
                        for (i, line) in lines.iter().enumerate() {
                            let label = if i == 0 { label } else { "" };
                            let _ = writeln!(s, "{label:<width$}{line}");
                        }
                    }
                }
                Body::Rows { headers, rows } => {
                    let _ = writeln!(s, "{}", rows_table(style, headers, rows, self.zone));
                }
                Body::List(items) => {
                    for i in items {
                        let _ = writeln!(s, "  - {i}");
                    }
                }
                Body::Text(text) => {
                    for line in text.trim().lines() {
                        let _ = writeln!(s, "  {line}");
                    }
                }
                Body::Blocks(blocks) => text_blocks(s, blocks),
            }
        }
        for n in &sec.notes {
            let _ = writeln!(s, "  {n}");
        }
    }

    /// Markdown: paragraphs and blocks separated by blank lines.
    fn to_markdown(&self) -> String {
        let mut blocks: Vec<String> = Vec::new();
        for (i, line) in self.heading.iter().enumerate() {
            let line = markdown_text(line);
            blocks.push(if i == 0 { format!("# {line}") } else { line });
        }
        for sec in self.sections.iter().filter(|sec| !sec.omitted()) {
            if !sec.title.is_empty() {
                blocks.push(format!("## {}", sec.title));
            }
            if sec.body.is_empty() {
                if sec.when_empty != WhenEmpty::Omit {
                    blocks.push(self.empty_text(sec).to_string());
                }
            } else {
                blocks.push(self.markdown_body(&sec.body));
            }
            blocks.extend(sec.notes.iter().cloned());
        }
        let mut s = blocks.join("\n\n");
        s.push('\n');
        s
    }

    fn markdown_body(&self, body: &Body) -> String {
        match body {
            Body::Fields(f) => f
                .iter()
                .filter_map(|(label, v)| {
                    let lines: Vec<String> = match v {
                        Value::String(_) if label.ends_with("_at") => {
                            vec![display(label, v, self.zone)]
                        }
                        other => value_lines(other),
                    };
                    // A value of several lines is a list under its label: indented lines
                    // would run together into one paragraph.
                    match lines.as_slice() {
                        [] => None,
                        [one] => Some(format!("- **{label}:** {one}")),
                        many => Some(format!(
                            "- **{label}:**\n{}",
                            many.iter()
                                .map(|l| format!("  - {l}"))
                                .collect::<Vec<_>>()
                                .join("\n")
                        )),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Body::Rows { headers, rows } => {
                let mut t = new_table(TableStyle::Plain, headers);
                for r in rows {
                    t.add_row(
                        headers
                            .iter()
                            .zip(r)
                            .map(|(h, v)| markdown_cell(&display(h, v, self.zone))),
                    );
                }
                t.to_string()
            }
            Body::List(items) => items
                .iter()
                .map(|i| format!("- {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Body::Text(t) => t.trim().to_string(),
            Body::Blocks(blocks) => blocks
                .iter()
                .filter(|b| !matches!(b, Block::List(l) if l.is_empty()))
                .filter(|b| !matches!(b, Block::Fields(f) if f.is_empty()))
                .map(|b| match b {
                    Block::Heading(h) => format!("### {}", markdown_text(h)),
                    Block::Paragraph(p) => markdown_text(p.trim()),
                    Block::List(items) => items
                        .iter()
                        .map(|i| format!("- {}", markdown_text(i)))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    Block::Fields(f) => f
                        .iter()
                        .map(|(l, v)| {
                            format!("- **{}:** {}", markdown_text(l), inline_markdown(v, false))
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        }
    }

    /// The sections as one JSON object: `{"contact": {…}, "history": [{…}], "tags": […], …}`.
    pub fn to_json(&self) -> Value {
        let mut top = Map::new();
        for s in &self.sections {
            let v = match &s.body {
                Body::Fields(f) => {
                    Value::Object(f.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
                }
                Body::Rows { headers, rows } => Value::Array(
                    rows.iter()
                        .map(|r| {
                            Value::Object(
                                headers
                                    .iter()
                                    .zip(r)
                                    .map(|(h, v)| (h.to_string(), v.clone()))
                                    .collect(),
                            )
                        })
                        .collect(),
                ),
                Body::List(items) => Value::Array(items.iter().cloned().map(Value::from).collect()),
                Body::Text(t) => Value::from(t.as_str()),
                Body::Blocks(blocks) => Value::Array(blocks.iter().map(block_json).collect()),
            };
            top.insert(s.key.to_string(), v);
        }
        Value::Object(top)
    }

    /// CSV in long form, one value a line: `section,item,field,value` (`item` numbers the rows
    /// of a section, from 1; empty for named fields and text; `field` is empty for lists).
    pub fn write_csv(&self, out: impl Write, style: CsvStyle) -> io::Result<()> {
        let mut w = style.writer(out)?;
        let mut rec = |fields: [&str; 4]| w.record(fields);
        rec(["section", "item", "field", "value"])?;
        for s in &self.sections {
            match &s.body {
                Body::Fields(f) => {
                    for (k, v) in f {
                        rec([s.key, "", k, &cell_text(v)])?;
                    }
                }
                Body::Rows { headers, rows } => {
                    for (i, r) in rows.iter().enumerate() {
                        let item = (i + 1).to_string();
                        for (h, v) in headers.iter().zip(r) {
                            rec([s.key, &item, h, &cell_text(v)])?;
                        }
                    }
                }
                Body::List(items) => {
                    for (i, v) in items.iter().enumerate() {
                        rec([s.key, &(i + 1).to_string(), "", v])?;
                    }
                }
                Body::Text(t) if t.trim().is_empty() => {}
                Body::Text(t) => rec([s.key, "", "", t])?,
                // One line per text: `item` numbers the blocks, `field` is the block's kind
                // (a labelled line: its label).
                Body::Blocks(blocks) => {
                    for (i, b) in blocks.iter().enumerate() {
                        let item = (i + 1).to_string();
                        match b {
                            Block::Heading(t) | Block::Paragraph(t) => {
                                rec([s.key, &item, b.kind(), t])?
                            }
                            Block::List(items) => {
                                for t in items {
                                    rec([s.key, &item, b.kind(), t])?;
                                }
                            }
                            Block::Fields(f) => {
                                for (l, v) in f {
                                    rec([s.key, &item, l, v])?;
                                }
                            }
                        }
                    }
                }
            }
        }
        w.flush()
    }
}

/// Prose blocks in a notice's text layout, indented under their section's title.
fn text_blocks(s: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::Heading(h) => {
                let _ = writeln!(s, "  {h}");
            }
            Block::Paragraph(p) => {
                for line in p.trim().lines() {
                    let _ = writeln!(s, "  {line}");
                }
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(s, "  - {i}");
                }
            }
            Block::Fields(f) => {
                for (l, v) in f {
                    let _ = writeln!(s, "  {l}: {v}");
                }
            }
        }
    }
}

fn block_json(b: &Block) -> Value {
    let v = match b {
        Block::Heading(t) | Block::Paragraph(t) => Value::from(t.as_str()),
        Block::List(items) => Value::Array(items.iter().cloned().map(Value::from).collect()),
        Block::Fields(f) => Value::Array(
            f.iter()
                .map(|(l, v)| serde_json::json!({"label": l, "value": v}))
                .collect(),
        ),
    };
    let mut m = Map::new();
    m.insert(b.kind().to_string(), v);
    Value::Object(m)
}

/// Free text as Markdown shows it, not as Markdown reads it: a character that would start
/// emphasis, a link, code or inline HTML is escaped, and so is what would make a line a
/// heading, a quote, a list item or a rule. The text reads the same; only its markup is gone.
pub fn markdown_text(text: &str) -> String {
    inline_markdown(text, true)
}

/// As [`markdown_text`]; `line_start`: whether the text begins a line of the output (a
/// paragraph, a list item's text), where a block could begin, or follows other text on it.
fn inline_markdown(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        out.push_str(&line[..line.len() - trimmed.len()]);
        let marker = if line_start || i > 0 {
            block_marker(trimmed)
        } else {
            None
        };
        for (j, c) in trimmed.char_indices() {
            let escape = matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
            ) || marker == Some(j);
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Where in a line (by byte) the character is that makes it a Markdown block — a heading
/// `# `, a list item `- `, `+ `, `1. `, `1) `, a rule `---` or a setext underline `===` —
/// if it is one (`*`, `_` and `>` are escaped wherever they are).
fn block_marker(line: &str) -> Option<usize> {
    let spaced = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let first = line.chars().next()?;
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if hashes > 0 && spaced(&line[hashes..]) {
        return Some(0);
    }
    if matches!(first, '-' | '+') && spaced(&line[1..]) {
        return Some(0);
    }
    if matches!(first, '-' | '=') && line.chars().all(|c| c == first || c == ' ') {
        return Some(0);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) && spaced(&line[digits + 1..]) {
        return Some(digits);
    }
    None
}

/// A table cell on one line, its `|` escaped: free text must not break the table.
fn markdown_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn rows_table(
    style: TableStyle,
    headers: &[&str],
    rows: &[Vec<Value>],
    zone: Tz,
) -> comfy_table::Table {
    let mut t = new_table(style, headers);
    for r in rows {
        t.add_row(headers.iter().zip(r).map(|(h, v)| display(h, v, zone)));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn notice(lang: Lang, sections: Vec<Section>) -> Document {
        Document {
            zone: time::Tz::UTC,
            lang,
            layout: Layout::Notice,
            heading: Vec::new(),
            sections,
        }
    }

    fn record(sections: Vec<Section>) -> Document {
        Document {
            zone: time::Tz::UTC,
            lang: Lang::En,
            layout: Layout::Record,
            heading: Vec::new(),
            sections,
        }
    }

    #[test]
    fn a_notice_section_renders_into_a_string_in_either_language() {
        let section = |lang: Lang| {
            Section::rows(
                "recipients",
                &[
                    lang.pick("recipient", "vastaanottaja"),
                    lang.pick("role", "rooli"),
                ],
                vec![vec![json!("Asiakkuuspilvi Oy"), json!("x")]],
            )
            .titled(lang.pick("Recipients", "Vastaanottajat"))
        };
        let en = notice(
            Lang::En,
            vec![section(Lang::En), Section::list("security", vec![])],
        )
        .to_text(TableStyle::Plain);
        assert_eq!(
            en,
            "Recipients\n\
             | recipient         | role |\n\
             |-------------------|------|\n\
             | Asiakkuuspilvi Oy | x    |\n\
             \n\
             security\n  none\n"
        );
        let fi = notice(
            Lang::Fi,
            vec![section(Lang::Fi), Section::list("security", vec![])],
        )
        .to_text(TableStyle::Plain);
        assert!(fi.starts_with("Vastaanottajat\n| vastaanottaja "), "{fi}");
        assert!(fi.ends_with("security\n  ei ole\n"), "{fi}");
    }

    #[test]
    fn empty_sections_are_left_out_or_say_so() {
        let doc = notice(
            Lang::En,
            vec![
                Section::list("a", vec!["one".into()]).titled("A"),
                Section::text("profiling", "  ")
                    .titled("Profiling")
                    .when_empty(WhenEmpty::Omit),
                Section::rows("retention", &["category"], vec![])
                    .titled("Retention")
                    .when_empty(WhenEmpty::Say("no per-category rules".into()))
                    .note("Deleted every 24 months."),
                Section::list("b", vec![]).titled("B"),
            ],
        );
        assert_eq!(
            doc.to_text(TableStyle::Plain),
            "A\n  - one\n\nRetention\n  no per-category rules\n  Deleted every 24 months.\n\nB\n  none\n"
        );
        // Left out of the text only: JSON still names every section.
        assert_eq!(doc.to_json()["profiling"], "  ");
    }

    #[test]
    fn a_section_with_only_notes_is_kept() {
        let doc = notice(
            Lang::En,
            vec![Section::text("t", "")
                .titled("T")
                .when_empty(WhenEmpty::Omit)
                .note("n")],
        );
        assert_eq!(doc.to_text(TableStyle::Plain), "T\n  n\n");
    }

    #[test]
    fn labels_line_up_after_the_longest_one_counted_in_characters() {
        let doc = notice(
            Lang::Fi,
            vec![Section::fields(
                "register",
                vec![
                    ("Rekisteri", json!(["Asiakasrekisteri", " ", "Kuvaus"])),
                    ("Rekisterinpitäjä", json!("Esimerkki Oy\nHelsinki")),
                    ("Tyhjä", json!("")),
                ],
            )
            .titled("")],
        );
        assert_eq!(
            doc.to_text(TableStyle::Plain),
            "Rekisteri         Asiakasrekisteri\n\
             \x20                 Kuvaus\n\
             Rekisterinpitäjä  Esimerkki Oy\n\
             \x20                 Helsinki\n"
        );
    }

    #[test]
    fn the_heading_is_followed_by_a_blank_line() {
        let mut doc = notice(Lang::En, vec![Section::text("t", "Some text").titled("T")]);
        doc.heading = vec!["Title".into()];
        assert_eq!(doc.to_text(TableStyle::Plain), "Title\n\nT\n  Some text\n");
    }

    #[test]
    fn markdown_fields_of_several_lines_are_lists_under_their_label() {
        let mut doc = notice(
            Lang::En,
            vec![Section::fields(
                "entry",
                vec![
                    ("Purpose", json!("Newsletter")),
                    ("Data", json!(["Basic data", "Consents"])),
                    ("Empty", json!([])),
                ],
            )
            .titled("Activity 1")],
        );
        doc.layout = Layout::Markdown;
        doc.heading = vec!["Record".into()];
        assert_eq!(
            doc.to_text(TableStyle::Plain),
            "# Record\n\n## Activity 1\n\n- **Purpose:** Newsletter\n- **Data:**\n  - Basic data\n  - Consents\n"
        );
    }

    #[test]
    fn a_record_counts_rows_and_puts_short_sections_on_one_line() {
        let doc = record(vec![
            Section::fields(
                "contact",
                vec![("id", json!(1)), ("email", json!("a@b.fi"))],
            ),
            Section::rows(
                "history",
                &["date", "summary"],
                vec![vec![json!("2026-11-20"), json!("Asked")]],
            ),
            Section::rows("courses", &["course"], vec![]),
            Section::list("tags", vec!["alumni".into(), "vip".into()]),
        ]);
        assert_eq!(
            doc.to_text(TableStyle::Plain),
            "contact\n\
             | field | value  |\n\
             |-------|--------|\n\
             | id    | 1      |\n\
             | email | a@b.fi |\n\
             \n\
             history (1)\n\
             | date       | summary |\n\
             |------------|---------|\n\
             | 2026-11-20 | Asked   |\n\
             \n\
             courses: none\n\
             \n\
             tags: alumni, vip\n"
        );
    }

    #[test]
    fn the_table_style_is_the_one_asked_for_whatever_stdout_is() {
        let long = "word ".repeat(100);
        let doc = record(vec![Section::rows(
            "notes",
            &["note"],
            vec![vec![json!(long.trim())]],
        )]);
        let plain = doc.to_text(TableStyle::Plain);
        // One line per row at its natural width, even when the tests run in a terminal.
        assert_eq!(plain.lines().count(), 4, "{plain}");
        assert!(plain.contains(&format!("| {} |", long.trim())), "{plain}");
        assert!(!plain.contains('│'), "{plain}");
        let boxed = doc.to_text(TableStyle::Terminal);
        assert!(boxed.contains('┆') || boxed.contains('│'), "{boxed}");
        assert!(!boxed.contains("|---"), "{boxed}");
    }

    #[test]
    fn free_text_in_markdown_shows_as_written() {
        for (text, md) in [
            ("Plain text, ä ö å.", "Plain text, ä ö å."),
            ("# not a heading", "\\# not a heading"),
            ("#hashtag", "#hashtag"),
            ("- not a list", "\\- not a list"),
            ("+358 40 123", "+358 40 123"),
            ("1. not a list", "1\\. not a list"),
            ("2026 was", "2026 was"),
            ("---", "\\---"),
            (
                "a *b* _c_ `d` [e](f) <script>",
                "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<script\\>",
            ),
            ("one\n# two", "one\n\\# two"),
        ] {
            assert_eq!(markdown_text(text), md, "{text:?}");
        }
        // After a label on the same line no block can begin.
        assert_eq!(inline_markdown("+358 40 123", false), "+358 40 123");
        assert_eq!(inline_markdown("- x", false), "- x");
    }

    #[test]
    fn json_is_one_object_keyed_by_section() {
        let doc = record(vec![
            Section::fields("contact", vec![("id", json!(1))]),
            Section::rows(
                "holds",
                &["id", "active"],
                vec![vec![json!(3), json!(true)]],
            ),
            Section::list("tags", vec!["vip".into()]),
            Section::text("profiling", "Segments"),
        ]);
        assert_eq!(
            doc.to_json(),
            json!({
                "contact": {"id": 1},
                "holds": [{"id": 3, "active": true}],
                "tags": ["vip"],
                "profiling": "Segments",
            })
        );
    }

    #[test]
    fn csv_is_long_form_one_value_a_line() {
        let doc = record(vec![
            Section::fields("contact", vec![("id", json!(1)), ("phone", Value::Null)]),
            Section::rows(
                "holds",
                &["id", "active"],
                vec![vec![json!(3), json!(true)]],
            ),
            Section::list("tags", vec!["vip".into()]),
            Section::text("profiling", ""),
        ]);
        let mut out = Vec::new();
        doc.write_csv(&mut out, CsvStyle::PLAIN).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "section,item,field,value\n\
             contact,,id,1\n\
             contact,,phone,\n\
             holds,1,id,3\n\
             holds,1,active,yes\n\
             tags,1,,vip\n"
        );
    }
}
