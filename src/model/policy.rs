//! The register description ("rekisteriseloste"/privacy notice): the controller's policy.
//!
//! It is read from TOML (`rekisteri init --policy FILE`, `policy apply FILE`) and stored,
//! versioned, in the register. Consents refer to the version in force when they were given.
//!
//! A submitted file is parsed strictly ([`Policy::parse`]): an unknown key and every rule are
//! errors. A stored version is loaded leniently ([`Policy::load_stored`]): it was checked when
//! it was stored, and a key or a rule added since must not make old versions (and the consent
//! evidence that names them) unreadable. So the structs do not deny unknown fields themselves;
//! the strict parse finds them with `serde_ignored`.

use std::collections::HashSet;

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::contact::Category;
use crate::model::time::{self, Tz};
use crate::model::validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// The register's time zone: which calendar day it is for its rules (today, holds,
    /// retention, deadlines) and how times are shown. Stored times stay UTC.
    /// A version stored before the field existed is in the default zone.
    #[serde(default)]
    pub timezone: Timezone,
    pub controller: Controller,
    pub contact_person: ContactPerson,
    pub register: Register,
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    #[serde(default)]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    #[serde(default)]
    pub retention: Vec<Retention>,
    /// How long records kept apart from the person are kept: course records, contact-history
    /// entries, closed request records. A version stored before the table existed has none
    /// (the requests' default then applies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub record_retention: Vec<RecordRetention>,
    #[serde(default)]
    pub security: Vec<String>,
    /// Data no longer needed is deleted at least this often, in months (the second seed's
    /// "at the latest every two years" is 24). None: only the per-category retention rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_interval_months: Option<u32>,
    /// What the notice says about profiling and automated decision-making (Art. 13(2)(f)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiling: Option<String>,
    /// What the notice says about cookies and web analytics on the controller's site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Controller {
    pub name: String,
    pub business_id: String,
    pub address: String,
    #[serde(default)]
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactPerson {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    pub email: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A purpose of processing, with its legal basis (Art. 6(1)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Purpose {
    /// Short stable name used on the command line, e.g. `newsletter`.
    pub id: String,
    pub description: String,
    pub basis: Basis,
    /// Set for direct-marketing purposes: opt-in needs consent, opt-out runs until objection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<Marketing>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    Contract,
    Consent,
    LegitimateInterest,
    LegalObligation,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Contract => "contract",
            Basis::Consent => "consent",
            Basis::LegitimateInterest => "legitimate-interest",
            Basis::LegalObligation => "legal-obligation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Marketing {
    OptIn,
    OptOut,
}

impl Marketing {
    pub fn as_str(self) -> &'static str {
        match self {
            Marketing::OptIn => "opt-in",
            Marketing::OptOut => "opt-out",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    pub role: RecipientRole,
    #[serde(default)]
    pub purpose: String,
    /// Country or area where the data is processed, e.g. `FI`, `EU/EEA`, `US`.
    #[serde(default)]
    pub location: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientRole {
    Processor,
    GroupCompany,
    Authority,
    Other,
}

/// A transfer outside the EU/EEA and its safeguard (Art. 44–49).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub recipient: String,
    pub country: String,
    pub safeguard: String,
}

/// How long one category of contact is kept, and from which date the time is counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    pub category: Category,
    pub months: u32,
    #[serde(default = "RetentionStart::default_start")]
    pub counted_from: RetentionStart,
}

/// How long one kind of record is kept, counted from the record's own date, whoever it is of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordRetention {
    pub records: Records,
    pub months: u32,
}

/// The kinds of record with a retention rule of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Records {
    /// Course records, counted from completion. A course completed within the time also keeps
    /// the person, whatever their category.
    Courses,
    /// Contact-history entries (`contact log`), counted from their date; deleted even for
    /// people who are kept.
    History,
    /// Completed and refused requests (their free text is already gone), counted from the
    /// day they were closed.
    Requests,
}

impl Records {
    pub fn as_str(self) -> &'static str {
        match self {
            Records::Courses => "courses",
            Records::History => "history",
            Records::Requests => "requests",
        }
    }
}

/// Closed request records are kept five years for accountability when the policy says nothing.
pub const DEFAULT_REQUEST_MONTHS: u32 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetentionStart {
    /// The end of the relationship (`contact end`).
    Ended,
    /// The person's last activity: the latest of start, end, last contact, history entries,
    /// courses, purchases and consent events (`model::retention::last_activity`).
    LastActivity,
}

impl RetentionStart {
    fn default_start() -> Self {
        RetentionStart::Ended
    }
}

/// An IANA time zone, written by its name (`timezone = "Europe/Helsinki"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timezone(pub Tz);

impl Default for Timezone {
    fn default() -> Self {
        Timezone(time::DEFAULT_ZONE)
    }
}

impl Timezone {
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl Serialize for Timezone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Timezone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        time::parse_zone(&name).map(Timezone).ok_or_else(|| {
            de::Error::custom(format!("invalid value {name:?}: {}", time::ZONE_EXPECTED))
        })
    }
}

const DEFAULT_POLICY: &str = include_str!("default_policy.toml");

/// Why a description was rejected: where (line, field) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// 1-based line in the TOML text, when it can be told.
    pub line: Option<usize>,
    /// 1-based column, for TOML syntax and type errors.
    pub column: Option<usize>,
    /// Dotted field name, e.g. `purposes.basis`.
    pub field: Option<String>,
    pub message: String,
    /// The offending line as written, and the width of the marked span (TOML errors only).
    pub source: Option<(String, usize)>,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut place = Vec::new();
        if let Some(l) = self.line {
            place.push(format!("line {l}"));
        }
        if let Some(c) = self.column {
            place.push(format!("column {c}"));
        }
        if let Some(field) = &self.field {
            place.push(format!("field `{field}`"));
        }
        if place.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{}: {}", place.join(", "), self.message)?;
        }
        if let (Some(line), Some((text, width))) = (self.line, &self.source) {
            let gutter = line.to_string();
            write!(f, "\n  {gutter} | {text}")?;
            if let Some(col) = self.column {
                let pad: String = text
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let blank = " ".repeat(gutter.len());
                write!(f, "\n  {blank} | {pad}{}", "^".repeat((*width).max(1)))?;
            }
        }
        Ok(())
    }
}

/// A rule broken by a parsed description: the table and key it is about, and which
/// `[[table]]` entry (0-based) so the line can be found in the text.
struct Problem {
    table: &'static str,
    index: usize,
    key: &'static str,
    message: String,
}

impl Problem {
    fn field(&self) -> String {
        if self.table.is_empty() {
            self.key.to_string()
        } else {
            format!("{}.{}", self.table, self.key)
        }
    }
}

impl Policy {
    /// The built-in description, modelled on the seed notices.
    pub fn default_policy() -> Policy {
        Policy::parse(DEFAULT_POLICY).expect("the built-in policy is valid")
    }

    /// Parses and checks a submitted description: an unknown key, a bad value and a broken
    /// rule are errors, with the place of the error as data (line, column, field).
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let doc = toml::Deserializer::parse(text).map_err(|e| toml_error(text, &e))?;
        let mut unknown: Option<Vec<String>> = None;
        let p: Policy = serde_ignored::deserialize(doc, |path| {
            unknown.get_or_insert_with(|| segments(&path));
        })
        .map_err(|e| toml_error(text, &e))?;
        if let Some(path) = unknown {
            return Err(unknown_key(text, &path));
        }
        if let Some(pr) = p.first_problem() {
            let line = locate(text, pr.table, pr.index, pr.key);
            let source = line
                .and_then(|l| text.lines().nth(l - 1))
                .map(|t| (t.trim_end().to_string(), 0));
            return Err(PolicyError {
                line,
                column: None,
                field: Some(pr.field()),
                message: pr.message,
                source,
            });
        }
        Ok(p)
    }

    /// Loads a stored version as it was stored: unknown keys are ignored, keys added since
    /// take their defaults, and the rules are not checked again (they were when it was stored).
    pub fn load_stored(text: &str) -> Result<Policy, String> {
        toml::from_str(text).map_err(|e| e.message().trim().to_string())
    }

    /// The time zone of a stored version, read alone (every command needs it, most need
    /// nothing else of the description).
    pub fn stored_zone(text: &str) -> Result<Tz, String> {
        #[derive(Deserialize)]
        struct ZoneOnly {
            timezone: Option<Timezone>,
        }
        let read = |t: &str| toml::from_str::<ZoneOnly>(t).map(|z| z.timezone);
        // `to_toml` writes the zone first, and a document's first line is always a top-level
        // key: so a stored body's zone is read from one line, not from kilobytes of TOML.
        if let Some(Ok(Some(z))) = text.lines().next().map(read) {
            return Ok(z.0);
        }
        read(text)
            .map(|z| z.unwrap_or_default().0)
            .map_err(|e| e.message().trim().to_string())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a policy always serialises")
    }

    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    pub fn retention_for(&self, category: Category) -> Option<&Retention> {
        self.retention.iter().find(|r| r.category == category)
    }

    /// The months records of `kind` are kept: the policy's rule, else (for requests) the
    /// default; `None` when nothing limits them.
    pub fn record_months(&self, kind: Records) -> Option<u32> {
        self.record_retention
            .iter()
            .find(|r| r.records == kind)
            .map(|r| r.months)
            .or((kind == Records::Requests).then_some(DEFAULT_REQUEST_MONTHS))
    }

    /// Rules TOML types alone cannot say.
    pub fn check(&self) -> Result<(), String> {
        match self.first_problem() {
            Some(p) if p.table.is_empty() => Err(format!("{}: {}", p.key, p.message)),
            Some(p) => Err(format!("{}: {}", p.table, p.message)),
            None => Ok(()),
        }
    }

    fn first_problem(&self) -> Option<Problem> {
        let problem = |table, index, key, message: String| {
            Some(Problem {
                table,
                index,
                key,
                message,
            })
        };
        if let Err(x) = validate::business_id(&self.controller.business_id) {
            return problem(
                "controller",
                0,
                "business_id",
                format!("{:?}: {x}", self.controller.business_id),
            );
        }
        if let Err(x) = validate::email(&self.controller.email) {
            return problem(
                "controller",
                0,
                "email",
                format!("{:?}: {x}", self.controller.email),
            );
        }
        if let Err(x) = validate::email(&self.contact_person.email) {
            return problem(
                "contact_person",
                0,
                "email",
                format!("{:?}: {x}", self.contact_person.email),
            );
        }
        let mut seen = HashSet::new();
        for (i, p) in self.purposes.iter().enumerate() {
            if p.id.is_empty()
                || !p
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return problem(
                    "purposes",
                    i,
                    "id",
                    format!(
                        "invalid id {:?}: expected lower-case letters, digits and '-', e.g. newsletter",
                        p.id
                    ),
                );
            }
            if !seen.insert(p.id.as_str()) {
                return problem(
                    "purposes",
                    i,
                    "id",
                    format!("id {:?} is defined twice", p.id),
                );
            }
            match (p.marketing, p.basis) {
                (Some(Marketing::OptIn), b) if b != Basis::Consent => {
                    return problem(
                        "purposes",
                        i,
                        "basis",
                        format!(
                            "{:?} is opt-in marketing, so its basis must be consent (not {})",
                            p.id,
                            b.as_str()
                        ),
                    )
                }
                (Some(Marketing::OptOut), b) if b != Basis::LegitimateInterest => {
                    return problem(
                        "purposes",
                        i,
                        "basis",
                        format!(
                            "{:?} is opt-out marketing, so its basis must be legitimate-interest (not {})",
                            p.id,
                            b.as_str()
                        ),
                    )
                }
                _ => {}
            }
        }
        // Recipients and transfers are told apart by these keys when versions are compared.
        let mut names = HashSet::new();
        for (i, r) in self.recipients.iter().enumerate() {
            if !names.insert(r.name.as_str()) {
                return problem(
                    "recipients",
                    i,
                    "name",
                    format!("{:?} is listed twice", r.name),
                );
            }
        }
        let mut transfers = HashSet::new();
        for (i, t) in self.transfers.iter().enumerate() {
            if !transfers.insert((t.recipient.as_str(), t.country.as_str())) {
                return problem(
                    "transfers",
                    i,
                    "recipient",
                    format!(
                        "the transfer to {:?} in {:?} is listed twice",
                        t.recipient, t.country
                    ),
                );
            }
        }
        let mut cats = HashSet::new();
        for (i, r) in self.retention.iter().enumerate() {
            if !cats.insert(r.category) {
                return problem(
                    "retention",
                    i,
                    "category",
                    format!("category {} has two rules", r.category.as_str()),
                );
            }
            if r.months == 0 {
                return problem(
                    "retention",
                    i,
                    "months",
                    format!("months for {} must be at least 1", r.category.as_str()),
                );
            }
        }
        let mut kinds = HashSet::new();
        for (i, r) in self.record_retention.iter().enumerate() {
            if !kinds.insert(r.records) {
                return problem(
                    "record_retention",
                    i,
                    "records",
                    format!("records {} have two rules", r.records.as_str()),
                );
            }
            if r.months == 0 {
                return problem(
                    "record_retention",
                    i,
                    "months",
                    format!("months for {} must be at least 1", r.records.as_str()),
                );
            }
        }
        if self.deletion_interval_months == Some(0) {
            return problem(
                "",
                0,
                "deletion_interval_months",
                "must be at least 1 (month)".into(),
            );
        }
        None
    }
}

/// The keys and indices of a path `serde_ignored` reports, from the top (`purposes`, `2`, `colour`).
fn segments(path: &serde_ignored::Path) -> Vec<String> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => {
            let mut v = segments(parent);
            v.push(index.to_string());
            v
        }
        Path::Map { parent, key } => {
            let mut v = segments(parent);
            v.push(key.clone());
            v
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => segments(parent),
    }
}

/// An unknown key, told as serde's `deny_unknown_fields` would: with the keys its table
/// accepts, its line and column.
fn unknown_key(text: &str, path: &[String]) -> PolicyError {
    let (table, index, key) = match path {
        [] => ("", 0, ""),
        [key] => ("", 0, key.as_str()),
        // `[[purposes]]` entries come with their index: `purposes`, `2`, `colour`.
        [table, second, rest @ ..] => match (second.parse::<usize>(), rest.first()) {
            (Ok(i), Some(key)) => (table.as_str(), i, key.as_str()),
            _ => (table.as_str(), 0, second.as_str()),
        },
    };
    let message =
        <de::value::Error as de::Error>::unknown_field(key, accepted_keys(table)).to_string();
    let line = locate(text, table, index, key);
    let line_text = line
        .and_then(|l| text.lines().nth(l - 1))
        .map(str::trim_end);
    let column = line_text
        .and_then(|t| t.find(key).map(|at| t[..at].chars().count() + 1))
        .filter(|_| !key.is_empty());
    PolicyError {
        line,
        column,
        field: Some(if table.is_empty() {
            key.to_string()
        } else {
            format!("{table}.{key}")
        }),
        message,
        source: line_text.map(|t| (t.to_string(), key.chars().count())),
    }
}

/// The keys a table of the description accepts, as serde's derive lists them.
fn accepted_keys(table: &str) -> &'static [&'static str] {
    match table {
        "" => keys_of::<Policy>(),
        "controller" => keys_of::<Controller>(),
        "contact_person" => keys_of::<ContactPerson>(),
        "register" => keys_of::<Register>(),
        "purposes" => keys_of::<Purpose>(),
        "recipients" => keys_of::<Recipient>(),
        "transfers" => keys_of::<Transfer>(),
        "retention" => keys_of::<Retention>(),
        "record_retention" => keys_of::<RecordRetention>(),
        _ => &[],
    }
}

/// The field names serde's derive gives struct `T`: it hands them to the deserializer, so a
/// deserializer that only records them reads them without a second list to keep in step.
fn keys_of<T: DeserializeOwned>() -> &'static [&'static str] {
    #[derive(Debug)]
    struct Keys(&'static [&'static str]);
    impl std::fmt::Display for Keys {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self.0)
        }
    }
    impl std::error::Error for Keys {}
    impl de::Error for Keys {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Keys(&[])
        }
    }
    struct Probe;
    impl<'de> Deserializer<'de> for Probe {
        type Error = Keys;
        fn deserialize_any<V: de::Visitor<'de>>(self, _: V) -> Result<V::Value, Keys> {
            Err(Keys(&[]))
        }
        fn deserialize_struct<V: de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Keys> {
            Err(Keys(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    match T::deserialize(Probe) {
        Err(Keys(k)) => k,
        Ok(_) => &[],
    }
}

/// A TOML error with its line, column and the dotted field it is about.
fn toml_error(text: &str, e: &toml::de::Error) -> PolicyError {
    let Some(span) = e.span() else {
        return PolicyError {
            line: None,
            column: None,
            field: None,
            message: e.message().to_string(),
            source: None,
        };
    };
    let start = floor_boundary(text, span.start);
    let before = &text[..start];
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    let line_text = text[line_start..]
        .lines()
        .next()
        .unwrap_or("")
        .trim_end()
        .to_string();
    let end = floor_boundary(text, span.end.max(span.start));
    let width = text[start..end]
        .lines()
        .next()
        .map_or(1, |s| s.chars().count());
    PolicyError {
        line: Some(line_no),
        column: Some(column),
        field: field_at(text, line_no),
        message: e.message().trim().to_string(),
        source: Some((line_text, width)),
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A line's table header name (`[controller]`, `[[purposes]]`), if it is one.
fn header(line: &str) -> Option<(&str, bool)> {
    let t = line.trim();
    let t = t.split_once('#').map_or(t, |(h, _)| h).trim_end();
    if let Some(inner) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
        return Some((inner.trim(), true));
    }
    t.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .map(|inner| (inner.trim(), false))
}

/// The key a `key = value` line sets.
fn key_of(line: &str) -> Option<&str> {
    let (k, _) = line.split_once('=')?;
    let k = k.trim();
    // `"a=b",` inside a multi-line array is a value, not a key.
    let k = match k.strip_prefix('"') {
        Some(rest) => rest.strip_suffix('"')?,
        None => k,
    };
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    bare.then_some(k)
}

/// The dotted field set on (or, inside a multi-line value, above) line `line_no`.
fn field_at(text: &str, line_no: usize) -> Option<String> {
    let mut table: Option<&str> = None;
    let mut key: Option<&str> = None;
    for line in text.lines().take(line_no) {
        if let Some((name, _)) = header(line) {
            table = Some(name);
            key = None;
        } else if let Some(k) = key_of(line) {
            key = Some(k);
        }
    }
    match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (Some(t), None) => Some(t.to_string()),
        (None, Some(k)) => Some(k.to_string()),
        (None, None) => None,
    }
}

/// The line of `key` in the `index`-th (0-based) `[table]`/`[[table]]`; `table` "" is the top
/// level. Falls back to the table's header line when the key is not written out.
fn locate(text: &str, table: &str, index: usize, key: &str) -> Option<usize> {
    let mut seen = 0usize;
    let mut inside = table.is_empty();
    let mut header_line = None;
    for (i, line) in text.lines().enumerate() {
        if let Some((name, _)) = header(line) {
            if inside && header_line.is_some() {
                break;
            }
            inside = false;
            if name == table {
                if seen == index {
                    inside = true;
                    header_line = Some(i + 1);
                }
                seen += 1;
            } else if table.is_empty() {
                break;
            }
        } else if inside && key_of(line) == Some(key) {
            return Some(i + 1);
        }
    }
    header_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_has_the_required_purposes() {
        let p = Policy::default_policy();
        assert_eq!(
            p.purpose("customer-service").unwrap().basis,
            Basis::Contract
        );
        let n = p.purpose("newsletter").unwrap();
        assert_eq!(
            (n.basis, n.marketing),
            (Basis::Consent, Some(Marketing::OptIn))
        );
        let b = p.purpose("b2b-marketing").unwrap();
        assert_eq!(
            (b.basis, b.marketing),
            (Basis::LegitimateInterest, Some(Marketing::OptOut))
        );
        for c in [Category::Customer, Category::Prospect, Category::Student] {
            assert_eq!(p.retention_for(c).unwrap().months, 24);
        }
    }

    #[test]
    fn policy_roundtrips_through_toml() {
        let p = Policy::default_policy();
        assert_eq!(p.timezone.name(), "Europe/Helsinki");
        assert_eq!(Policy::parse(&p.to_toml()).unwrap(), p);
        assert_eq!(Policy::load_stored(&p.to_toml()).unwrap(), p);
    }

    fn line_of(text: &str, needle: &str) -> Option<usize> {
        text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
    }

    #[test]
    fn unknown_field_names_line_column_field_and_the_accepted_keys() {
        let text = DEFAULT_POLICY.replacen("[register]", "[register]\n  colour = \"red\"", 1);
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.line, line_of(&text, "colour"));
        assert_eq!(e.column, Some(3));
        assert_eq!(e.field.as_deref(), Some("register.colour"));
        assert_eq!(
            e.message,
            "unknown field `colour`, expected `name` or `description`"
        );
        assert!(e.to_string().contains("colour = \"red\"\n"), "{e}");
        assert!(e.to_string().ends_with("|   ^^^^^^"), "{e}");
    }

    #[test]
    fn unknown_fields_in_list_entries_and_at_the_top_are_found_where_they_are() {
        // The second retention rule.
        let text = DEFAULT_POLICY.replace(
            "category = \"prospect\"",
            "category = \"prospect\"\nkept_by = \"sales\"",
        );
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.line, line_of(&text, "kept_by"));
        assert_eq!(e.field.as_deref(), Some("retention.kept_by"));
        assert!(
            e.message
                .contains("expected one of `category`, `months`, `counted_from`"),
            "{e}"
        );

        let text = format!("owner = \"x\"\n{DEFAULT_POLICY}");
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
        assert_eq!(e.field.as_deref(), Some("owner"));
        assert!(e.message.contains("`timezone`, `controller`"), "{e}");
    }

    #[test]
    fn the_time_zone_is_an_iana_name_defaulting_to_helsinki() {
        let text = DEFAULT_POLICY.replace("timezone = \"Europe/Helsinki\"", "timezone = \"UTC\"");
        assert_eq!(Policy::parse(&text).unwrap().timezone.0, Tz::UTC);
        let text = DEFAULT_POLICY.replace("timezone = \"Europe/Helsinki\"", "");
        assert_eq!(Policy::parse(&text).unwrap().timezone.0, time::DEFAULT_ZONE);

        let text = DEFAULT_POLICY.replace("\"Europe/Helsinki\"", "\"Europe/Helsingfors\"");
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.line, line_of(&text, "Helsingfors"));
        assert_eq!(e.field.as_deref(), Some("timezone"));
        assert!(e.message.contains("\"Europe/Helsingfors\""), "{e}");
        assert!(
            e.message
                .contains("IANA time zone name such as Europe/Helsinki"),
            "{e}"
        );
    }

    #[test]
    fn stored_versions_load_without_the_strict_checks() {
        // Stored long ago: a key this version does not know, a rule broken by today's
        // checks (duplicate purpose ids), and no time zone.
        let text = DEFAULT_POLICY
            .replace("timezone = \"Europe/Helsinki\"", "")
            .replacen(
                "[register]",
                "[register]\nwebsite = \"https://example.fi\"",
                1,
            )
            .replace("id = \"b2b-marketing\"", "id = \"newsletter\"");
        assert!(Policy::parse(&text).is_err());
        let p = Policy::load_stored(&text).unwrap();
        assert_eq!(p.timezone.0, time::DEFAULT_ZONE);
        assert_eq!(
            p.purposes.iter().filter(|p| p.id == "newsletter").count(),
            2
        );
        assert_eq!(Policy::stored_zone(&text), Ok(time::DEFAULT_ZONE));
        let utc = format!("timezone = \"UTC\"\n{text}");
        assert_eq!(Policy::stored_zone(&utc), Ok(Tz::UTC));
        // The zone is read alike from the first line (as stored) and from further down.
        let stored = Policy::load_stored(&utc).unwrap().to_toml();
        assert!(stored.starts_with("timezone = \"UTC\"\n"), "{stored}");
        assert_eq!(Policy::stored_zone(&stored), Ok(Tz::UTC));
        let later = format!("cookies = \"none\"\n{utc}");
        assert_eq!(Policy::stored_zone(&later), Ok(Tz::UTC));
        assert!(Policy::stored_zone("timezone = \"Mars/Olympus\"").is_err());
        // What is not TOML, or not a description at all, is still an error.
        assert!(Policy::load_stored("[controller").is_err());
        assert!(Policy::load_stored("").is_err());
    }

    #[test]
    fn opt_in_needs_consent() {
        let text = DEFAULT_POLICY.replace(
            "basis = \"consent\"\nmarketing = \"opt-in\"",
            "basis = \"contract\"\nmarketing = \"opt-in\"",
        );
        assert!(Policy::parse(&text).unwrap_err().message.contains("opt-in"));
    }

    #[test]
    fn unknown_basis_value_names_line_column_field_and_accepted_values() {
        let text = DEFAULT_POLICY.replace("basis = \"contract\"", "basis = \"contrakt\"");
        let e = Policy::parse(&text).unwrap_err();
        let line = text.lines().position(|l| l.contains("contrakt")).unwrap() + 1;
        assert_eq!(e.line, Some(line));
        assert_eq!(e.column, Some(9));
        assert_eq!(e.field.as_deref(), Some("purposes.basis"));
        assert!(e.message.contains("legitimate-interest"), "{e}");
        let shown = e.to_string();
        assert!(shown.contains("basis = \"contrakt\""), "{shown}");
        assert!(shown.contains("^^^^^^^^^^"), "{shown}");
    }

    #[test]
    fn rule_errors_point_at_the_line_of_the_entry() {
        let text = DEFAULT_POLICY.replace(
            "basis = \"legitimate-interest\"\nmarketing = \"opt-out\"",
            "basis = \"consent\"\nmarketing = \"opt-out\"",
        );
        let e = Policy::parse(&text).unwrap_err();
        let line = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("basis = "))
            .nth(2)
            .unwrap()
            .0
            + 1;
        assert_eq!(e.line, Some(line), "{e}");
        assert_eq!(e.field.as_deref(), Some("purposes.basis"));
        assert!(e.message.contains("b2b-marketing"), "{e}");
    }

    #[test]
    fn missing_and_top_level_fields_are_named() {
        let e = Policy::parse("[register]\nname = \"x\"\n").unwrap_err();
        assert!(e.message.contains("controller"), "{e}");
        let text = format!(
            "deletion_interval_months = 0\n{}",
            DEFAULT_POLICY.replace("deletion_interval_months = 24", "")
        );
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(
            (e.line, e.field.as_deref()),
            (Some(1), Some("deletion_interval_months"))
        );
        let text = DEFAULT_POLICY.replace("sources = [", "sources = [\n    3,");
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("sources"), "{e}");
    }

    #[test]
    fn controller_ids_are_validated() {
        let text =
            DEFAULT_POLICY.replace("business_id = \"1234567-1\"", "business_id = \"1234567-2\"");
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("controller.business_id"));
        assert_eq!(
            e.line,
            text.lines()
                .position(|l| l.contains("1234567-2"))
                .map(|i| i + 1)
        );
    }

    #[test]
    fn duplicate_retention_rule_is_found_in_its_own_table() {
        let text = DEFAULT_POLICY.replace("category = \"student\"", "category = \"prospect\"");
        let e = Policy::parse(&text).unwrap_err();
        let line = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("category = "))
            .nth(2)
            .unwrap()
            .0
            + 1;
        assert_eq!(e.line, Some(line), "{e}");
    }

    #[test]
    fn record_rules_are_data_checked_like_category_rules() {
        let example = include_str!("../../examples/policy.toml");
        let p = Policy::parse(example).unwrap();
        assert_eq!(p.record_months(Records::History), Some(24));
        assert_eq!(p.record_months(Records::Requests), Some(60));
        let text = DEFAULT_POLICY.replace("records = \"history\"", "records = \"courses\"");
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("record_retention.records"), "{e}");
        assert!(e.message.contains("two rules"), "{e}");
        let text = DEFAULT_POLICY.replace("records = \"history\"", "records = \"emails\"");
        assert!(Policy::parse(&text)
            .unwrap_err()
            .message
            .contains("history"));
        // A version stored before the table existed: no record rules, requests kept 5 years.
        let old = Policy::load_stored(
            &DEFAULT_POLICY[..DEFAULT_POLICY.find("# Course records").unwrap()],
        )
        .unwrap();
        assert!(old.record_retention.is_empty());
        assert_eq!(old.record_months(Records::Courses), None);
        assert_eq!(
            old.record_months(Records::Requests),
            Some(DEFAULT_REQUEST_MONTHS)
        );
    }

    #[test]
    fn parse_never_panics() {
        for s in [
            "",
            "[",
            "\u{e4}=\u{f6}",
            "[[purposes]]\nid=\"\u{e5}\"",
            "x = \"\u{e4}\n",
        ] {
            let _ = Policy::parse(s);
        }
    }
}
