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
use crate::model::country;
use crate::model::labels::Lang;
use crate::model::time::{self, Tz};
use crate::model::validate;

/// The rule for which stored version of the description is in force at a moment `at` (UTC,
/// RFC 3339): the newest version whose effective time is not after `at`. `versions` are in
/// version order; `effective_at` gives each one's effective time. None when none is in effect
/// yet (before the first: the caller decides, e.g. the first version). `store::policy::version_at`
/// is this rule in SQL, tested against it.
pub fn in_force<'a, T>(
    versions: &'a [T],
    effective_at: impl Fn(&T) -> &str,
    at: &str,
) -> Option<&'a T> {
    versions.iter().rev().find(|v| effective_at(v) <= at)
}

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
    /// Categories of data subjects: whose data the register holds (Art. 30(1)(c)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<Item>,
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    #[serde(default)]
    pub data_categories: Vec<Item>,
    /// Whether the person must give the data, and what follows if not (Art. 13(2)(e)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_provision: Option<DataProvision>,
    #[serde(default)]
    pub sources: Vec<Text>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    /// How the notice words retention in general ("as long as the customer relationship is
    /// active"); the per-category rules below are what the purge computes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_description: Option<Text>,
    #[serde(default)]
    pub retention: Vec<Retention>,
    /// How long records kept apart from the person are kept: course records, contact-history
    /// entries, closed request records. A version stored before the table existed has none
    /// (the requests' default then applies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub record_retention: Vec<RecordRetention>,
    #[serde(default)]
    pub security: Vec<Text>,
    /// Data no longer needed is deleted at least this often, in months (the second seed's
    /// "at the latest every two years" is 24). None: only the per-category retention rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_interval_months: Option<u32>,
    /// What the notice says about profiling and automated decision-making (Art. 13(2)(f)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiling: Option<Text>,
    /// What the notice says about processing for purposes other than those listed
    /// (Art. 13(3); the second seed's section 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub further_processing: Option<Text>,
    /// What the notice says about cookies and web analytics on the controller's site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<Text>,
}

/// A free text of the description, written once (`description = "…"`: the same in every
/// language) or per language (`description = { fi = "…", en = "…" }`, one or both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Any(String),
    PerLang {
        fi: Option<String>,
        en: Option<String>,
    },
}

impl Default for Text {
    fn default() -> Self {
        Text::Any(String::new())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Any(s.to_string())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Any(s)
    }
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.trim().is_empty())
}

impl Text {
    /// The text in `lang`, and whether it is the other language's because `lang`'s is not
    /// written (a renderer warns of each such field). A text written once is every language's.
    pub fn get(&self, lang: Lang) -> (&str, bool) {
        match self {
            Text::Any(s) => (s, false),
            Text::PerLang { fi, en } => {
                let (want, other) = match lang {
                    Lang::Fi => (fi, en),
                    Lang::En => (en, fi),
                };
                match given(want) {
                    Some(s) => (s, false),
                    None => (given(other).unwrap_or(""), true),
                }
            }
        }
    }

    /// The text in `lang` (or the other language's).
    pub fn in_lang(&self, lang: Lang) -> &str {
        self.get(lang).0
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Text::Any(s) => s.trim().is_empty(),
            Text::PerLang { fi, en } => given(fi).is_none() && given(en).is_none(),
        }
    }

    /// The text as a key and as change summaries show it, whitespace trimmed.
    pub fn summary(&self) -> String {
        match self {
            Text::Any(s) => s.trim().to_string(),
            Text::PerLang { fi, en } => [("fi", fi), ("en", en)]
                .iter()
                .filter_map(|(l, t)| given(t).map(|t| format!("[{l}] {}", t.trim())))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Text::Any(t) => s.serialize_str(t),
            Text::PerLang { fi, en } => {
                let mut m = s.serialize_map(None)?;
                if let Some(t) = fi {
                    m.serialize_entry("fi", t)?;
                }
                if let Some(t) = en {
                    m.serialize_entry("en", t)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor { with_id: false })
            .map(|(_, t)| t)
    }
}

/// A line of a list the purposes can link to (`subjects`, `data_categories`): a text, with
/// an optional id (`{ id = "basic", fi = "…", en = "…" }`, or `text = "…"` for one language).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    pub id: Option<String>,
    pub text: Text,
}

impl From<&str> for Item {
    fn from(s: &str) -> Self {
        Item {
            id: None,
            text: s.into(),
        }
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Some(id) = &self.id else {
            return self.text.serialize(s);
        };
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", id)?;
        match &self.text {
            Text::Any(t) => m.serialize_entry("text", t)?,
            Text::PerLang { fi, en } => {
                if let Some(t) = fi {
                    m.serialize_entry("fi", t)?;
                }
                if let Some(t) = en {
                    m.serialize_entry("en", t)?;
                }
            }
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor { with_id: true })
            .map(|(id, text)| Item { id, text })
    }
}

/// Reads a [`Text`] (and, for an [`Item`], its id). Unknown keys are errors even in stored
/// versions: a text's keys are its languages, and a misspelt one would lose the text.
struct TextVisitor {
    with_id: bool,
}

impl<'de> de::Visitor<'de> for TextVisitor {
    type Value = (Option<String>, Text);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.with_id {
            f.write_str("a text, or a table with an optional id and the text per language: { id = \"…\", fi = \"…\", en = \"…\" }")
        } else {
            f.write_str("a text, or a table of the text per language: { fi = \"…\", en = \"…\" }")
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((None, Text::Any(v.to_string())))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut id, mut any, mut fi, mut en) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "fi" => &mut fi,
                "en" => &mut en,
                "id" if self.with_id => &mut id,
                "text" if self.with_id => &mut any,
                other => {
                    let accepted: &[&str] = if self.with_id {
                        &["id", "fi", "en", "text"]
                    } else {
                        &["fi", "en"]
                    };
                    return Err(de::Error::custom(format!(
                        "unknown key `{other}` in a text: expected one of {} (the languages are fi and en)",
                        accepted
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            };
            if slot.is_some() {
                return Err(de::Error::custom(format!("`{key}` is given twice")));
            }
            *slot = Some(map.next_value::<String>()?);
        }
        let text = match (any, fi, en) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(de::Error::custom(
                    "give the text either once (`text`) or per language (`fi`, `en`), not both",
                ))
            }
            (Some(t), None, None) => Text::Any(t),
            (None, None, None) => {
                return Err(de::Error::custom(
                    "the text is missing: give it in fi, en or both",
                ))
            }
            (None, fi, en) => Text::PerLang { fi, en },
        };
        Ok((id, text))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Controller {
    pub name: String,
    /// The Finnish business ID (Y-tunnus); empty when the notice gives none.
    #[serde(default)]
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
    /// A second number, e.g. the switchboard beside a mobile.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub other_phone: String,
    /// Empty when requests go to the controller's address.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub name: String,
    #[serde(default)]
    pub description: Text,
}

/// A purpose of processing, with its legal basis (Art. 6(1)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Purpose {
    /// Short stable name used on the command line, e.g. `newsletter`.
    pub id: String,
    pub description: Text,
    pub basis: Basis,
    /// What the legitimate interest is (Art. 13(1)(d)); only for that basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<Text>,
    /// Set for direct-marketing purposes: opt-in needs consent, opt-out runs until objection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<Marketing>,
    /// Ids of the `subjects` this purpose concerns (the record of processing activities);
    /// empty: not linked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Ids of the `data_categories` this purpose uses; empty: not linked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
    /// Names of the `recipients` who get data for this purpose; empty: not linked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
}

impl Purpose {
    /// A purpose with no legitimate interest described and no links.
    pub fn new(id: &str, description: &str, basis: Basis, marketing: Option<Marketing>) -> Self {
        Purpose {
            id: id.into(),
            description: description.into(),
            basis,
            legitimate_interest: None,
            marketing,
            subjects: Vec::new(),
            data: Vec::new(),
            recipients: Vec::new(),
        }
    }
}

/// Whether giving the data is a requirement, and what follows if it is not given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataProvision {
    /// Whether the person is obliged to give the data (by law or by contract).
    pub obliged: bool,
    /// Why the data is needed (a statutory or contractual requirement, or to enter a contract).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// What follows if the data is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consequence: Option<Text>,
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
    /// What they receive the data for.
    #[serde(default)]
    pub purpose: Text,
    /// Country or area where the data is processed: an ISO 3166 code or `EU/EEA`.
    #[serde(default)]
    pub location: String,
    /// They get data only with the person's permission (seed 2: "rekisteröidyn luvalla").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub only_with_consent: bool,
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
    /// The name of one of the `recipients`.
    pub recipient: String,
    /// An ISO 3166 code of a country outside the EU/EEA.
    pub country: String,
    pub safeguard: Text,
}

/// How long one category of contact is kept, and from which date the time is counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    pub category: Category,
    pub months: u32,
    #[serde(default = "RetentionStart::default_start")]
    pub counted_from: RetentionStart,
    /// How the notice words this rule, e.g. "while the customer relationship is active and
    /// two years after it ends"; the purge computes `months` from `counted_from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
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

    /// Every free text of the description with the field it is in, in the order the
    /// description is read (`purposes[newsletter].description`, `sources[2]`).
    pub fn texts(&self) -> Vec<(String, &Text)> {
        let mut out = vec![("register.description".into(), &self.register.description)];
        for (i, s) in self.subjects.iter().enumerate() {
            out.push((format!("subjects[{}]", i + 1), &s.text));
        }
        for p in &self.purposes {
            out.push((format!("purposes[{}].description", p.id), &p.description));
            if let Some(t) = &p.legitimate_interest {
                out.push((format!("purposes[{}].legitimate_interest", p.id), t));
            }
        }
        for (i, d) in self.data_categories.iter().enumerate() {
            out.push((format!("data_categories[{}]", i + 1), &d.text));
        }
        if let Some(dp) = &self.data_provision {
            for (key, t) in [("reason", &dp.reason), ("consequence", &dp.consequence)] {
                if let Some(t) = t {
                    out.push((format!("data_provision.{key}"), t));
                }
            }
        }
        for (i, t) in self.sources.iter().enumerate() {
            out.push((format!("sources[{}]", i + 1), t));
        }
        for r in &self.recipients {
            out.push((format!("recipients[{}].purpose", r.name), &r.purpose));
        }
        for t in &self.transfers {
            out.push((
                format!("transfers[{}].safeguard", t.recipient),
                &t.safeguard,
            ));
        }
        if let Some(t) = &self.retention_description {
            out.push(("retention_description".into(), t));
        }
        for r in &self.retention {
            if let Some(t) = &r.description {
                out.push((format!("retention[{}].description", r.category.as_str()), t));
            }
        }
        for (i, t) in self.security.iter().enumerate() {
            out.push((format!("security[{}]", i + 1), t));
        }
        for (key, t) in [
            ("profiling", &self.profiling),
            ("further_processing", &self.further_processing),
            ("cookies", &self.cookies),
        ] {
            if let Some(t) = t {
                out.push((key.into(), t));
            }
        }
        out
    }

    /// The fields whose text is not written in `lang`, so a document in `lang` shows the
    /// other language's: for a renderer's warning.
    pub fn fallbacks(&self, lang: Lang) -> Vec<String> {
        self.texts()
            .into_iter()
            .filter(|(_, t)| !t.is_empty() && t.get(lang).1)
            .map(|(field, _)| field)
            .collect()
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
        let bid = &self.controller.business_id;
        if let Some(x) = (!bid.is_empty())
            .then(|| validate::business_id(bid).err())
            .flatten()
        {
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
        let cpe = &self.contact_person.email;
        if let Some(x) = (!cpe.is_empty())
            .then(|| validate::email(cpe).err())
            .flatten()
        {
            return problem(
                "contact_person",
                0,
                "email",
                format!("{:?}: {x}", self.contact_person.email),
            );
        }
        let mut subjects = HashSet::new();
        let mut data = HashSet::new();
        for (list, items, ids) in [
            ("subjects", &self.subjects, &mut subjects),
            ("data_categories", &self.data_categories, &mut data),
        ] {
            for item in items {
                if item.text.is_empty() {
                    return problem("", 0, list, "a line has no text".into());
                }
                let Some(id) = &item.id else { continue };
                if !is_id(id) {
                    return problem("", 0, list, format!("invalid id {id:?}: {ID_EXPECTED}"));
                }
                if !ids.insert(id.as_str()) {
                    return problem("", 0, list, format!("id {id:?} is defined twice"));
                }
            }
        }
        let recipients: HashSet<&str> = self.recipients.iter().map(|r| r.name.as_str()).collect();
        let mut seen = HashSet::new();
        for (i, p) in self.purposes.iter().enumerate() {
            if !is_id(&p.id) {
                return problem(
                    "purposes",
                    i,
                    "id",
                    format!("invalid id {:?}: {ID_EXPECTED}", p.id),
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
            if p.legitimate_interest.is_some() && p.basis != Basis::LegitimateInterest {
                return problem(
                    "purposes",
                    i,
                    "legitimate_interest",
                    format!(
                        "{:?} has the basis {}: a legitimate interest is described only for the basis legitimate-interest",
                        p.id,
                        p.basis.as_str()
                    ),
                );
            }
            for (key, links, known, list) in [
                ("subjects", &p.subjects, &subjects, "subjects (by id)"),
                ("data", &p.data, &data, "data_categories (by id)"),
                (
                    "recipients",
                    &p.recipients,
                    &recipients,
                    "recipients (by name)",
                ),
            ] {
                if let Some(missing) = links.iter().find(|l| !known.contains(l.as_str())) {
                    let mut names: Vec<&&str> = known.iter().collect();
                    names.sort();
                    let names = names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>();
                    return problem(
                        "purposes",
                        i,
                        key,
                        format!(
                            "{:?} links to {missing:?}, which is not in {list}; listed: {}",
                            p.id,
                            if names.is_empty() {
                                "none".to_string()
                            } else {
                                names.join(", ")
                            }
                        ),
                    );
                }
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
            if r.location.is_empty() {
                continue;
            }
            if let Err(e) = country::location(&r.location) {
                return problem("recipients", i, "location", format!("{:?}: {e}", r.name));
            }
            let safeguarded = self
                .transfers
                .iter()
                .any(|t| t.recipient == r.name && t.country == r.location);
            if !country::in_eea(&r.location) && !safeguarded {
                return problem(
                    "recipients",
                    i,
                    "location",
                    format!(
                        "recipient {:?} is in {}, outside the EU/EEA, but no [[transfers]] entry gives the safeguard: add one with recipient = {:?} and country = {:?}",
                        r.name, r.location, r.name, r.location
                    ),
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
            if !recipients.contains(t.recipient.as_str()) {
                let mut names: Vec<&str> = recipients.iter().copied().collect();
                names.sort();
                return problem(
                    "transfers",
                    i,
                    "recipient",
                    format!(
                        "the transfer to {:?} in {} names no listed recipient: add [[recipients]] name = {:?}, or use one of {}",
                        t.recipient,
                        t.country,
                        t.recipient,
                        if names.is_empty() {
                            "none (there are no [[recipients]])".to_string()
                        } else {
                            names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
                        }
                    ),
                );
            }
            if let Err(e) = country::location(&t.country) {
                return problem("transfers", i, "country", format!("{:?}: {e}", t.recipient));
            }
            if country::in_eea(&t.country) {
                return problem(
                    "transfers",
                    i,
                    "country",
                    format!(
                        "the transfer to {:?} names {}, which is inside the EU/EEA: list only transfers outside it",
                        t.recipient, t.country
                    ),
                );
            }
            if t.safeguard.is_empty() {
                return problem(
                    "transfers",
                    i,
                    "safeguard",
                    format!(
                        "the transfer to {:?} in {} needs its safeguard, e.g. the European Commission's standard contractual clauses",
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

const ID_EXPECTED: &str = "expected lower-case letters, digits and '-', e.g. newsletter";

/// Purpose, subject and data-category ids: short, stable, typed on the command line.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
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
        "data_provision" => keys_of::<DataProvision>(),
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
        } else if inside
            && key_of(line).is_some_and(|k| {
                // `description.fi = …` sets the `description` text per language.
                k == key
                    || k.strip_prefix(key)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        {
            return Some(i + 1);
        }
    }
    header_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_in_force_is_the_newest_in_effect_by_then() {
        let v = [
            ("2026-01-01T00:00:00Z", 1),
            ("2026-07-01T00:00:00Z", 2),
            ("2026-03-01T00:00:00Z", 3),
        ];
        let at = |t: &str| in_force(&v, |(e, _)| e, t).map(|x| x.1);
        assert_eq!(at("2025-12-31T23:59:59Z"), None); // before any
        assert_eq!(at("2026-01-01T00:00:00Z"), Some(1)); // from its effective moment
        assert_eq!(at("2026-03-01T00:00:00Z"), Some(3));
        // 2 was stored before 3 but takes effect later: 3 is newer, and in force once due.
        assert_eq!(at("2026-07-01T00:00:00Z"), Some(3));
    }

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

    /// `text` without its lines that start with `prefix`; asserts there was one.
    fn without_lines(text: &str, prefix: &str) -> String {
        assert!(
            text.lines().any(|l| l.starts_with(prefix)),
            "no line starts with {prefix:?}"
        );
        text.lines()
            .filter(|l| !l.starts_with(prefix))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    /// The built-in description without its subjects (the list and the purposes' links to
    /// it), for tests that bring their own.
    fn default_without_subjects() -> String {
        let start = DEFAULT_POLICY.find("# Whose data").unwrap();
        let end = DEFAULT_POLICY.find("data_categories = [").unwrap();
        let text = format!("{}{}", &DEFAULT_POLICY[..start], &DEFAULT_POLICY[end..]);
        let text = without_lines(&text, "subjects = [\"");
        assert!(!text.contains("subjects"), "{text}");
        let p = Policy::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(p.subjects.is_empty() && p.purposes.iter().all(|pu| pu.subjects.is_empty()));
        text
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
        // Without its legitimate interest, which a purpose on consent may not describe.
        let base = without_lines(DEFAULT_POLICY, "legitimate_interest.");
        let text = base.replace(
            "basis = \"legitimate-interest\"\nmarketing = \"opt-out\"",
            "basis = \"consent\"\nmarketing = \"opt-out\"",
        );
        assert_ne!(text, base);
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

    /// The b2b-marketing purpose's description as the built-in policy writes it.
    const B2B_DESCRIPTION: &str = "description.fi = \"Vastaanottajan työtehtäviin olennaisesti liittyvä markkinointi, kunnes hän kieltää sen\"\ndescription.en = \"Marketing relevant to the recipient's work, until they object\"";

    #[test]
    fn texts_are_written_once_or_per_language() {
        let text = DEFAULT_POLICY
            .replace(
                "description.en = \"E-mail newsletter to people who have consented\"\n",
                "",
            )
            .replace(
                B2B_DESCRIPTION,
                "description = \"Marketing relevant to the recipient's work, until they object\"",
            );
        let p = Policy::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let d = &p.register.description;
        assert_eq!(
            d.get(Lang::Fi),
            (
                "Asiakassuhteiden ja asiakaspalvelun hoitaminen, markkinointi ja koulutukset.",
                false
            )
        );
        assert_eq!(
            d.get(Lang::En),
            (
                "Customer relationships, customer service, marketing and courses.",
                false
            )
        );
        let n = &p.purpose("newsletter").unwrap().description;
        let fi = "Sähköpostiuutiskirje sen tilaamiseen suostumuksensa antaneille";
        assert_eq!(n.get(Lang::Fi), (fi, false));
        // English is not written: the Finnish text, and the renderer is told so.
        assert_eq!(n.get(Lang::En), (fi, true));
        // Written once: the same text in every language, and no fallback.
        let once = &p.purpose("b2b-marketing").unwrap().description;
        assert_eq!(once.get(Lang::Fi), once.get(Lang::En));
        assert!(!once.get(Lang::Fi).1 && !once.get(Lang::En).1);
        assert_eq!(
            p.fallbacks(Lang::En),
            vec!["purposes[newsletter].description"]
        );
        assert!(p.fallbacks(Lang::Fi).is_empty());
        // Both forms survive being stored.
        assert_eq!(Policy::load_stored(&p.to_toml()).unwrap(), p);
        assert_eq!(Policy::parse(&p.to_toml()).unwrap(), p);
    }

    #[test]
    fn a_text_in_an_unknown_language_or_empty_is_refused_with_its_line() {
        for (with, says) in [
            ("{ fi = \"x\", sv = \"y\" }", "unknown key `sv` in a text"),
            ("{ }", "give it in fi, en or both"),
            ("{ fi = \"x\", fi = \"y\" }", "duplicate key"),
            ("3", "a text, or a table of the text per language"),
        ] {
            let text = DEFAULT_POLICY.replace(
                "description.fi = \"Sähköpostiuutiskirje sen tilaamiseen suostumuksensa antaneille\"\ndescription.en = \"E-mail newsletter to people who have consented\"",
                &format!("description = {with}"),
            );
            assert_ne!(text, DEFAULT_POLICY);
            let e = Policy::parse(&text).unwrap_err();
            assert_eq!(
                e.line,
                line_of(&text, &format!("description = {with}")),
                "{e}"
            );
            assert_eq!(e.field.as_deref(), Some("purposes.description"), "{e}");
            assert!(e.message.contains(says), "{with}: {e}");
        }
    }

    #[test]
    fn list_lines_may_be_bilingual_and_carry_ids() {
        let text = default_without_subjects().replace(
            "sources = [",
            "subjects = [\n  { id = \"customers\", fi = \"Asiakkaiden edustajat\", en = \"Customers' representatives\" },\n  \"Course students\",\n]\nsources = [\n  { fi = \"Rekisteröity itse\", en = \"The person themselves\" },",
        );
        let p = Policy::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.subjects[0].id.as_deref(), Some("customers"));
        assert_eq!(
            p.subjects[0].text.in_lang(Lang::Fi),
            "Asiakkaiden edustajat"
        );
        assert_eq!(p.subjects[1], Item::from("Course students"));
        assert_eq!(p.sources[0].in_lang(Lang::En), "The person themselves");
        assert_eq!(Policy::load_stored(&p.to_toml()).unwrap(), p);

        let dup = text.replace(
            "\"Course students\"",
            "{ id = \"customers\", text = \"x\" }",
        );
        let e = Policy::parse(&dup).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("subjects"));
        assert!(e.message.contains("defined twice"), "{e}");
        let both = text.replace("\"Course students\"", "{ text = \"x\", fi = \"y\" }");
        assert!(Policy::parse(&both)
            .unwrap_err()
            .message
            .contains("not both"));
    }

    #[test]
    fn purpose_links_must_name_what_is_listed() {
        let base = default_without_subjects().replace(
            "sources = [",
            "subjects = [{ id = \"customers\", text = \"customers\" }]\nsources = [",
        );
        let linked = base.replace(
            "basis = \"contract\"",
            "basis = \"contract\"\nsubjects = [\"customers\"]",
        );
        assert!(Policy::parse(&linked).is_ok());
        for (link, says) in [
            (
                "subjects = [\"students\"]",
                "\"students\", which is not in subjects (by id); listed: \"customers\"",
            ),
            (
                "data = [\"basic\"]",
                "not in data_categories (by id); listed: none",
            ),
            (
                "recipients = [\"Postitus Oy\"]",
                "not in recipients (by name)",
            ),
        ] {
            let text = base.replace(
                "basis = \"contract\"",
                &format!("basis = \"contract\"\n{link}"),
            );
            let e = Policy::parse(&text).unwrap_err();
            assert_eq!(e.line, line_of(&text, link), "{e}");
            assert!(e.message.contains(says), "{e}");
            assert!(e.message.contains("\"customer-service\" links to"), "{e}");
        }
    }

    #[test]
    fn a_legitimate_interest_is_described_only_for_that_basis() {
        // The built-in one's interest, given in dotted keys, replaced by an inline table.
        let text = without_lines(DEFAULT_POLICY, "legitimate_interest.").replace(
            "marketing = \"opt-out\"",
            "marketing = \"opt-out\"\nlegitimate_interest = { fi = \"Asiallinen yhteys\", en = \"A relevant connection\" }",
        );
        let p = Policy::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let interest = p
            .purpose("b2b-marketing")
            .unwrap()
            .legitimate_interest
            .as_ref();
        assert_eq!(
            interest.map(|t| t.in_lang(Lang::En)),
            Some("A relevant connection")
        );
        let text = DEFAULT_POLICY.replace(
            "basis = \"contract\"",
            "basis = \"contract\"\nlegitimate_interest = \"x\"",
        );
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("purposes.legitimate_interest"));
        assert_eq!(e.line, line_of(&text, "legitimate_interest = \"x\""));
    }

    fn with_recipient(recipient: &str, transfer: &str) -> String {
        format!("{DEFAULT_POLICY}\n[[recipients]]\n{recipient}\n{transfer}")
    }

    #[test]
    fn recipients_outside_the_eea_need_a_transfer_and_transfers_a_recipient() {
        let ok = with_recipient(
            "name = \"Postitus Inc.\"\nrole = \"processor\"\nlocation = \"US\"",
            "[[transfers]]\nrecipient = \"Postitus Inc.\"\ncountry = \"US\"\nsafeguard = { fi = \"vakiosopimuslausekkeet\", en = \"standard contractual clauses\" }",
        );
        Policy::parse(&ok).unwrap_or_else(|e| panic!("{e}"));

        let no_transfer = with_recipient(
            "name = \"Postitus Inc.\"\nrole = \"processor\"\nlocation = \"US\"",
            "",
        );
        let e = Policy::parse(&no_transfer).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("recipients.location"));
        assert_eq!(e.line, line_of(&no_transfer, "location = \"US\""));
        assert!(
            e.message
                .contains("\"Postitus Inc.\" is in US, outside the EU/EEA"),
            "{e}"
        );
        assert!(e.message.contains("[[transfers]]"), "{e}");

        let stray = ok.replace(
            "recipient = \"Postitus Inc.\"",
            "recipient = \"Postitus Oy\"",
        );
        let e = Policy::parse(&stray).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("recipients.location"), "{e}");
        let stray = with_recipient(
            "name = \"Postitus Inc.\"\nrole = \"processor\"\nlocation = \"EU/EEA\"",
            "[[transfers]]\nrecipient = \"Postitus Oy\"\ncountry = \"US\"\nsafeguard = \"SCC\"",
        );
        let e = Policy::parse(&stray).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("transfers.recipient"));
        assert_eq!(e.line, line_of(&stray, "recipient = \"Postitus Oy\""));
        assert!(
            e.message
                .contains("\"Postitus Oy\" in US names no listed recipient"),
            "{e}"
        );
        assert!(e.message.contains("\"Postitus Inc.\""), "{e}");

        let inside = stray
            .replace("Postitus Oy", "Postitus Inc.")
            .replace("\"US\"", "\"SE\"");
        let e = Policy::parse(&inside).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("transfers.country"));
        assert!(e.message.contains("inside the EU/EEA"), "{e}");
    }

    #[test]
    fn locations_are_iso_codes_or_the_eea() {
        let text = with_recipient(
            "name = \"Kumppani Oy\"\nrole = \"other\"\nlocation = \"Suomi\"",
            "",
        );
        let e = Policy::parse(&text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("recipients.location"));
        assert_eq!(e.line, line_of(&text, "Suomi"));
        assert!(e.message.contains("\"Suomi\": use FI"), "{e}");
        // Stored before the rule: still loads.
        assert!(Policy::load_stored(&text).is_ok());
    }

    #[test]
    fn business_id_and_contact_email_are_optional() {
        let text = DEFAULT_POLICY
            .replace("business_id = \"1234567-1\"\n", "")
            .replace(
                "phone = \"+358 9 123 4567\"\nemail = \"tietosuoja@esimerkki.fi\"\naddress",
                "phone = \"+358 9 123 4567\"\nother_phone = \"+358 40 123 4567\"\naddress",
            );
        let p = Policy::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.controller.business_id, "");
        assert_eq!(p.contact_person.email, "");
        assert_eq!(p.contact_person.other_phone, "+358 40 123 4567");
        let bad = text.replace("other_phone", "email = \"not an address\"\nother_phone");
        assert_eq!(
            Policy::parse(&bad).unwrap_err().field.as_deref(),
            Some("contact_person.email")
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
