//! The consent ledger's rules (Art. 6, 7, 21): event kinds, channels, and how the state of
//! one purpose for one person is derived from that person's events.
//!
//! The ledger is append-only; nothing here changes an event. [`derive`] is the single
//! statement of the rules; the SQL in `store::consents` that lists or exports a purpose for a
//! whole register computes the same thing set-wise and is tested against it.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::model::policy::{Basis, Marketing, Purpose};
use crate::model::time::{self, Tz};

/// What the person did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Granted,
    Withdrawn,
    Objected,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Granted => "granted",
            Kind::Withdrawn => "withdrawn",
            Kind::Objected => "objected",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "granted" => Some(Kind::Granted),
            "withdrawn" => Some(Kind::Withdrawn),
            "objected" => Some(Kind::Objected),
            _ => None,
        }
    }
}

/// How the person's act reached the controller (part of the proof, Art. 7(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// A form on the controller's web site
    WebForm,
    Email,
    Phone,
    /// A signed paper form or letter
    Paper,
    /// In person
    Meeting,
    /// Brought over from another system (`consent import`)
    Import,
    /// The newsletter service, e.g. an unsubscribe click (`consent import-unsubscribes`)
    NewsletterService,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::WebForm => "web-form",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Paper => "paper",
            Channel::Meeting => "meeting",
            Channel::Import => "import",
            Channel::NewsletterService => "newsletter-service",
        }
    }
}

/// The `basis` stored on an objection to all direct marketing: it is not tied to one purpose.
pub const GENERAL_OBJECTION_BASIS: &str = "any";

/// One stored event of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: i64,
    pub contact_id: i64,
    /// `None`: an objection to all direct marketing.
    pub purpose: Option<String>,
    pub kind: Kind,
    pub basis: String,
    pub channel: String,
    pub evidence: Option<String>,
    /// When the person acted: canonical UTC RFC 3339 (`time::format_time`), so it sorts as text.
    pub occurred_at: String,
    pub recorded_at: String,
    pub operator: String,
    pub policy_version: i64,
    /// A new, explicit consent that lifts an earlier objection for its purpose.
    pub override_objection: bool,
}

/// The derived state of one purpose for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The purpose may be pursued for this person.
    Allowed,
    /// Consent withdrawn (or, for opt-out marketing, the person refused it).
    Withdrawn,
    /// The person objected (Art. 21): to this purpose or to all direct marketing.
    Objected,
    /// Opt-in purpose without any consent on record.
    None,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Allowed => "allowed",
            State::Withdrawn => "withdrawn",
            State::Objected => "objected",
            State::None => "none",
        }
    }
}

/// Why a state is what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The basis is contract or legal obligation: consents and objections do not apply.
    NotConsentBased,
    /// Opt-out marketing (or another legitimate-interest purpose) with nothing against it.
    LegitimateInterest,
    /// Consent-based and no consent on record.
    NoConsent,
    Granted {
        channel: String,
        override_objection: bool,
    },
    Withdrawn {
        channel: String,
    },
    ObjectedToAll {
        ignored_grants: usize,
    },
    ObjectedToPurpose {
        ignored_grants: usize,
    },
}

/// The state of one purpose, and what decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeStatus {
    pub purpose: String,
    pub basis: Basis,
    pub marketing: Option<Marketing>,
    pub state: State,
    /// The deciding event's `occurred_at`; `None` when no event decided it.
    pub since: Option<String>,
    pub event_id: Option<i64>,
    pub reason: Reason,
}

impl PurposeStatus {
    pub fn allowed(&self) -> bool {
        self.state == State::Allowed
    }

    /// One line for people: why the state is what it is.
    pub fn why(&self) -> String {
        let ev = |s: String| match self.event_id {
            Some(id) => format!("{s} (event {id})"),
            None => s,
        };
        let ignored = |n: usize| match n {
            0 => String::new(),
            1 => "; a later grant without --override-objection does not lift it".to_string(),
            n => format!("; {n} later grants without --override-objection do not lift it"),
        };
        match &self.reason {
            Reason::NotConsentBased => format!(
                "processed on {}: consents and marketing objections do not apply",
                self.basis.as_str()
            ),
            Reason::LegitimateInterest => match self.marketing {
                Some(_) => "opt-out marketing on legitimate interest: allowed until the person refuses or objects".into(),
                None => "legitimate interest: allowed until the person objects".into(),
            },
            Reason::NoConsent => "no consent on record".into(),
            Reason::Granted {
                channel,
                override_objection: true,
            } => ev(format!(
                "new explicit consent via {channel}, overriding an earlier objection"
            )),
            Reason::Granted { channel, .. } => ev(format!("consent given via {channel}")),
            Reason::Withdrawn { channel } if self.basis == Basis::Consent => {
                ev(format!("consent withdrawn via {channel}"))
            }
            Reason::Withdrawn { channel } => ev(format!("refused via {channel}")),
            Reason::ObjectedToAll { ignored_grants } => ev(format!(
                "objected to all direct marketing{}",
                ignored(*ignored_grants)
            )),
            Reason::ObjectedToPurpose { ignored_grants } => ev(format!(
                "objected to {}{}",
                self.purpose,
                ignored(*ignored_grants)
            )),
        }
    }
}

/// Whether an event bears on `purpose`: its own events, and for marketing purposes also
/// objections to all direct marketing (which cover purposes added to the policy later too).
pub fn concerns(e: &Event, purpose: &str, marketing: bool) -> bool {
    match &e.purpose {
        Some(p) => p == purpose,
        None => marketing && e.kind == Kind::Objected,
    }
}

/// Derives the state of `purpose` from a person's events.
///
/// Events are taken in the order the person acted (`occurred_at`, then id: the later
/// recorded of two simultaneous acts is the later one); input order does not matter.
/// - contract / legal obligation: always allowed; consents and objections do not apply.
/// - consent (opt-in marketing and other consent purposes): allowed only with a live grant.
/// - legitimate interest (opt-out marketing and others): allowed until withdrawn or objected.
/// - an objection (to this purpose, or for marketing purposes to all direct marketing) holds
///   until a later grant recorded with `override_objection` (a new explicit consent); plain
///   grants and withdrawals after it change nothing.
pub fn derive(purpose: &Purpose, events: &[Event]) -> PurposeStatus {
    let mut status = PurposeStatus {
        purpose: purpose.id.clone(),
        basis: purpose.basis,
        marketing: purpose.marketing,
        state: State::Allowed,
        since: None,
        event_id: None,
        reason: Reason::NotConsentBased,
    };
    match purpose.basis {
        Basis::Contract | Basis::LegalObligation => return status,
        Basis::Consent => {
            status.state = State::None;
            status.reason = Reason::NoConsent;
        }
        Basis::LegitimateInterest => status.reason = Reason::LegitimateInterest,
    }
    let mut relevant: Vec<&Event> = events
        .iter()
        .filter(|e| concerns(e, &purpose.id, purpose.marketing.is_some()))
        .collect();
    relevant.sort_by(|a, b| (&a.occurred_at, a.id).cmp(&(&b.occurred_at, b.id)));

    let mut objected = false;
    for e in relevant {
        match e.kind {
            Kind::Objected => {
                objected = true;
                status.state = State::Objected;
                status.reason = if e.purpose.is_none() {
                    Reason::ObjectedToAll { ignored_grants: 0 }
                } else {
                    Reason::ObjectedToPurpose { ignored_grants: 0 }
                };
                status.since = Some(e.occurred_at.clone());
                status.event_id = Some(e.id);
            }
            Kind::Granted if objected && !e.override_objection => {
                if let Reason::ObjectedToAll { ignored_grants }
                | Reason::ObjectedToPurpose { ignored_grants } = &mut status.reason
                {
                    *ignored_grants += 1;
                }
            }
            Kind::Granted => {
                objected = false;
                status.state = State::Allowed;
                status.reason = Reason::Granted {
                    channel: e.channel.clone(),
                    override_objection: e.override_objection,
                };
                status.since = Some(e.occurred_at.clone());
                status.event_id = Some(e.id);
            }
            // A withdrawal after an objection leaves the stronger objection in place.
            Kind::Withdrawn if objected => {}
            Kind::Withdrawn => {
                status.state = State::Withdrawn;
                status.reason = Reason::Withdrawn {
                    channel: e.channel.clone(),
                };
                status.since = Some(e.occurred_at.clone());
                status.event_id = Some(e.id);
            }
        }
    }
    status
}

/// The events that had happened by `at` (inclusive): the ledger as it stood at that moment.
/// `at` is a canonical stored time, so text order is time order.
pub fn as_of(events: &[Event], at: &str) -> Vec<Event> {
    events
        .iter()
        .filter(|e| e.occurred_at.as_str() <= at)
        .cloned()
        .collect()
}

/// Whether an objection to all direct marketing is in force: there is one, and no new
/// explicit consent (an override grant, for any purpose) came after the latest one.
pub fn general_objection_active(events: &[Event]) -> Option<&Event> {
    let latest = events
        .iter()
        .filter(|e| e.purpose.is_none() && e.kind == Kind::Objected)
        .max_by(|a, b| (&a.occurred_at, a.id).cmp(&(&b.occurred_at, b.id)))?;
    let lifted = events.iter().any(|e| {
        e.kind == Kind::Granted
            && e.override_objection
            && (&e.occurred_at, e.id) > (&latest.occurred_at, latest.id)
    });
    (!lifted).then_some(latest)
}

/// What an imported opt-in does for one known person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantImport {
    Grant,
    /// The same grant (purpose, time; or, for a row without a time, the same evidence) is
    /// already in the ledger: a rerun adds nothing.
    AlreadyRecorded,
    /// An objection is in force at the grant's time or now: only a new explicit consent
    /// (`grant --override-objection`) may lift it, never an import.
    RejectObjected,
    /// The row has no time and the person has withdrawn: nothing shows a consent given
    /// after the withdrawal, so granting "now" would re-subscribe them.
    RejectWithdrawn,
}

/// Decides one row of `consent import` for a known contact: `events` are theirs (any
/// order), `at` the grant's time (the row's, or now when `timed` is false).
pub fn decide_grant_import(
    purpose: &Purpose,
    events: &[Event],
    at: &str,
    timed: bool,
    evidence: &str,
) -> GrantImport {
    let same = events.iter().any(|e| {
        e.purpose.as_deref() == Some(purpose.id.as_str())
            && e.kind == Kind::Granted
            && (e.occurred_at == at || (!timed && e.evidence.as_deref() == Some(evidence)))
    });
    if same {
        return GrantImport::AlreadyRecorded;
    }
    let now = derive(purpose, events).state;
    if now == State::Objected || derive(purpose, &as_of(events, at)).state == State::Objected {
        return GrantImport::RejectObjected;
    }
    if !timed && now == State::Withdrawn {
        return GrantImport::RejectWithdrawn;
    }
    GrantImport::Grant
}

/// Whether one row of `consent import-unsubscribes` adds a withdrawal for a known contact.
/// A dated unsubscribe is kept unless the same one is there, even when nothing is live, so a
/// later import of older opt-ins cannot re-subscribe the person; an undated one (taken as
/// now) is skipped when the person is already withdrawn or objected, so a rerun adds nothing.
pub fn unsubscribe_adds(purpose: &Purpose, events: &[Event], at: &str, timed: bool) -> bool {
    if timed {
        !events.iter().any(|e| {
            e.purpose.as_deref() == Some(purpose.id.as_str())
                && e.kind == Kind::Withdrawn
                && e.occurred_at == at
        })
    } else {
        !matches!(
            derive(purpose, events).state,
            State::Withdrawn | State::Objected
        )
    }
}

// ---- files from newsletter services and spreadsheets ----

/// Header names of the e-mail column (compared after [`header_key`]).
const EMAIL_HEADERS: &[&str] = &[
    "email",
    "emailaddress",
    "mail",
    "sähköposti",
    "sähköpostiosoite",
    "sposti",
    "epost",
    "epostadress",
];
/// When the person confirmed a double opt-in (Mailchimp `CONFIRM_TIME`).
const CONFIRM_TIME_HEADERS: &[&str] = &["confirmtime", "confirmedat", "confirmationtime"];
/// When the person opted in (Mailchimp `OPTIN_TIME`; spreadsheets).
const OPTIN_TIME_HEADERS: &[&str] = &[
    "optintime",
    "optedinat",
    "optindate",
    "consenttime",
    "consentedat",
    "subscribedat",
];
/// When the person unsubscribed (Mailchimp `UNSUB_TIME`; other services).
const UNSUB_TIME_HEADERS: &[&str] = &[
    "unsubtime",
    "unsubscribetime",
    "unsubscribedat",
    "unsubscribedate",
    "unsubdate",
    "time",
    "timestamp",
    "date",
    "aika",
    "päivämäärä",
];
/// Columns kept as evidence of an opt-in (the double opt-in proof).
const EVIDENCE_HEADERS: &[&str] = &[
    "optintime",
    "optinip",
    "confirmtime",
    "confirmip",
    "ip",
    "ipaddress",
    "source",
];

/// Columns kept as evidence of an unsubscribe: the service's reason and campaign (Mailchimp
/// `UNSUB_REASON`, `UNSUB_REASON_OTHER`, `UNSUB_CAMPAIGN_TITLE`, `UNSUB_CAMPAIGN_ID`).
const UNSUB_EVIDENCE_HEADERS: &[&str] = &[
    "unsubreason",
    "unsubreasonother",
    "unsubscribereason",
    "reason",
    "unsubcampaigntitle",
    "unsubcampaignid",
    "campaign",
    "campaigntitle",
];

/// A header as compared: case-folded, without spaces, `-` and `_` (`Email Address` → `emailaddress`).
pub fn header_key(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .collect()
}

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    // The first name in the list wins, so `time` is taken only when nothing more specific is there.
    names
        .iter()
        .find_map(|n| headers.iter().position(|h| header_key(h) == *n))
}

/// Where the columns an import needs are, by header name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub email: usize,
    /// Tried first (the completed double opt-in)…
    pub primary_time: Option<usize>,
    /// …then this.
    pub fallback_time: Option<usize>,
    /// Kept as evidence, with their header names as written in the file.
    pub evidence: Vec<usize>,
}

pub const EMAIL_HEADERS_EXPECTED: &str =
    "expected a header row with an e-mail column: Email Address, email, E-mail or sähköposti";

/// The columns named in `names`, in file order.
fn all_of(headers: &[String], names: &[&str]) -> Vec<usize> {
    (0..headers.len())
        .filter(|&i| names.contains(&header_key(&headers[i]).as_str()))
        .collect()
}

/// Columns of an opt-in file (audience export or spreadsheet).
pub fn optin_columns(headers: &[String]) -> Option<Columns> {
    Some(Columns {
        email: find(headers, EMAIL_HEADERS)?,
        primary_time: find(headers, CONFIRM_TIME_HEADERS),
        fallback_time: find(headers, OPTIN_TIME_HEADERS),
        evidence: all_of(headers, EVIDENCE_HEADERS),
    })
}

/// Columns of an unsubscribe file; the service's reason and campaign columns are evidence.
pub fn unsubscribe_columns(headers: &[String]) -> Option<Columns> {
    Some(Columns {
        email: find(headers, EMAIL_HEADERS)?,
        primary_time: find(headers, UNSUB_TIME_HEADERS),
        fallback_time: None,
        evidence: all_of(headers, UNSUB_EVIDENCE_HEADERS),
    })
}

pub const FILE_TIME_EXPECTED: &str = "expected a time like 2024-01-15 10:23:45 (UTC, as newsletter services write it), an RFC 3339 time or a date YYYY-MM-DD";

/// A time from a newsletter service's export, as stored (canonical UTC RFC 3339):
/// `2024-01-15 10:23:45` (UTC, Mailchimp's form), `2024-01-15 10:23`, RFC 3339, or a date
/// (the start of that day in the register's time zone `zone`, as everywhere in the register).
pub fn parse_file_time(s: &str, zone: Tz) -> Option<String> {
    let s = s.trim();
    // The service form is the common one (hundreds of thousands of rows): checked by hand.
    if let Some(t) = service_time(s.as_bytes()) {
        return Some(t);
    }
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return plausible(time::format_time(&t.and_utc()));
        }
    }
    time::parse_time(s, zone).and_then(|t| plausible(time::format_time(&t)))
}

/// The ledger's times sort as text: only the canonical form with a four-digit year is kept.
/// (Whether the time is one a person can have acted at is [`check_act_time`].)
pub fn plausible(stored: String) -> Option<String> {
    (stored.len() == 20 && stored.as_bytes()[0].is_ascii_digit()).then_some(stored)
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) → `YYYY-MM-DDTHH:MM:SSZ`, with the calendar checked.
fn service_time(b: &[u8]) -> Option<String> {
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d)?;
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let mut out = String::with_capacity(20);
    out.push_str(std::str::from_utf8(&b[..10]).ok()?);
    out.push('T');
    out.push_str(std::str::from_utf8(&b[11..19]).ok()?);
    out.push('Z');
    Some(out)
}

/// The evidence text of an imported opt-in: the operator's text, then the file's evidence
/// columns (`OPTIN_IP=…`), so the double opt-in can be shown later.
pub fn import_evidence<'a>(
    text: &str,
    columns: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut out = text.trim().to_string();
    for (h, v) in columns {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(h.trim_start_matches('\u{feff}').trim());
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The earliest time a person can have acted: anything before the Unix epoch is a typing
/// error (a year-0 typo would sort before every real event).
pub const EARLIEST_ACT: &str = "1970-01-01T00:00:00Z";

/// When a person acted, as stored (canonical UTC, [`time::format_time`]): from 1970 on and
/// not after `now`, since the ledger records what has been done. The one rule for `--at`
/// and for the times in imported files.
pub fn check_act_time(at: &str, now: &str, zone: Tz) -> Result<(), String> {
    // Canonical times sort as text; a non-canonical year (`+10000`, `-0001`) sorts first.
    if at < EARLIEST_ACT || !at.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err("expected a time from 1970 on".into());
    }
    if at > now {
        return Err(format!(
            "expected a time that has already come (now is {})",
            time::display(now, zone)
        ));
    }
    Ok(())
}

/// Why a withdrawal does not apply to a purpose, or `None` when it does.
pub fn cannot_withdraw(p: &Purpose) -> Option<String> {
    match (p.basis, p.marketing) {
        (Basis::Consent, _) | (_, Some(_)) => None,
        (Basis::LegitimateInterest, None) => Some(format!(
            "{} is processed on legitimate interest, not consent: there is no consent to withdraw; \
             use `rekisteri consent object --purpose {}` to record the person's objection (Art. 21)",
            p.id, p.id
        )),
        (b, None) => Some(format!(
            "{} is processed on {}, not consent: there is no consent to withdraw, and the person cannot \
             refuse it here",
            p.id,
            b.as_str()
        )),
    }
}

/// Why a grant (or an import of opt-ins) does not apply to a purpose, or `None` when it
/// does: only a purpose whose basis is consent has consents to record.
pub fn cannot_grant(p: &Purpose) -> Option<String> {
    if p.basis == Basis::Consent {
        return None;
    }
    let basis = p.basis.as_str().replace('-', " ");
    Some(match p.marketing {
        Some(m) => format!(
            "{} is {} marketing on {basis}: no consent is needed; use `rekisteri consent withdraw` or \
             `rekisteri consent object` to record the person's refusal",
            p.id,
            m.as_str(),
        ),
        None => format!(
            "{} is processed on {basis}, not consent: there is no consent to record",
            p.id
        ),
    })
}

/// Why an objection (Art. 21) does not apply to a purpose, or `None` when it does: it
/// applies to direct marketing and to processing on legitimate interest.
pub fn cannot_object(p: &Purpose) -> Option<String> {
    if p.marketing.is_some() || p.basis == Basis::LegitimateInterest {
        return None;
    }
    Some(format!(
        "{} is processed on {} and is not direct marketing: an objection (Art. 21) does not \
         apply to it{}",
        p.id,
        p.basis.as_str(),
        if p.basis == Basis::Consent {
            format!("; use `rekisteri consent withdraw --purpose {}`", p.id)
        } else {
            String::new()
        }
    ))
}

/// Why a plain grant of `p` at `at` is refused, or `None`: an objection in force at that
/// time (to the purpose, or to all direct marketing) is lifted only by a new, explicit
/// consent (`override_objection`). `events` are the contact's, in any order.
pub fn objection_blocks_grant(
    p: &Purpose,
    contact_id: i64,
    events: &[Event],
    at: &str,
    override_objection: bool,
) -> Option<String> {
    if override_objection {
        return None;
    }
    let then = derive(p, &as_of(events, at));
    if then.state != State::Objected {
        return None;
    }
    let what = match then.reason {
        Reason::ObjectedToAll { .. } => "objected to all direct marketing".to_string(),
        _ => format!("objected to {}", p.id),
    };
    Some(format!(
        "contact {contact_id} has {what} (event {}), which a plain grant cannot lift; if the person \
         has now given a new, explicit consent, record it with --override-objection --evidence \"…\"",
        then.event_id.unwrap_or_default()
    ))
}

/// Why recording `grant` would change nothing, or `None` when it makes the purpose allowed:
/// a grant dated before a later withdrawal or objection leaves the purpose where it was, and
/// a record that changes nothing would only mislead. `events` are the contact's, without it.
pub fn grant_changes_nothing(
    p: &Purpose,
    events: &[Event],
    grant: &Event,
    zone: Tz,
) -> Option<String> {
    let mut with = events.to_vec();
    with.push(grant.clone());
    let after = derive(p, &with);
    if after.state == State::Allowed {
        return None;
    }
    let at = grant.occurred_at.as_str();
    let what = match &after.reason {
        Reason::ObjectedToAll { .. } => "objected to all direct marketing".to_string(),
        Reason::ObjectedToPurpose { .. } => format!("objected to {}", after.purpose),
        Reason::Withdrawn { .. } => format!("withdrew consent for {}", after.purpose),
        _ => format!("has no live consent for {}", after.purpose),
    };
    let when = match (&after.since, after.event_id) {
        (Some(t), Some(e)) if t.as_str() > at => format!(
            " at {} (event {e}), later than --at {}: a grant dated before it",
            time::display(t, zone),
            time::display(at, zone)
        ),
        (Some(t), Some(e)) => format!(" at {} (event {e}): this grant", time::display(t, zone)),
        _ => ": this grant".to_string(),
    };
    Some(format!(
        "contact {} {what}{when} changes nothing ({} stays {}); nothing was recorded",
        grant.contact_id,
        after.purpose,
        after.state.as_str()
    ))
}

/// The purposes an unsubscribe from `named` also stops: an unsubscribe link in any marketing
/// message takes the person off electronic direct marketing, so every other opt-out
/// marketing purpose of the policy is refused too. (An opt-in purpose needs its own
/// consent, so it is not on anyone's list without one; a non-marketing purpose is no list.)
pub fn unsubscribe_also_refuses<'p>(purposes: &'p [Purpose], named: &Purpose) -> Vec<&'p Purpose> {
    if named.marketing.is_none() {
        return Vec::new();
    }
    purposes
        .iter()
        .filter(|p| p.marketing == Some(Marketing::OptOut) && p.id != named.id)
        .collect()
}

/// A recorded withdrawal that leaves the purpose allowed: a consent given after it. The
/// withdrawal is kept (an older opt-in imported later cannot re-subscribe the person), but
/// it stops nothing. `events` include the withdrawal; returns the later grant.
pub fn withdrawal_outdated<'e>(
    p: &Purpose,
    events: &'e [Event],
    withdrawal_at: &str,
) -> Option<&'e Event> {
    let s = derive(p, events);
    if s.state != State::Allowed {
        return None;
    }
    let id = s.event_id?;
    events
        .iter()
        .find(|e| e.id == id && e.kind == Kind::Granted && e.occurred_at.as_str() > withdrawal_at)
}

#[cfg(test)]
mod tests;
