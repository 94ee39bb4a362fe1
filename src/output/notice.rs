//! The register description as people read it. Two documents are built here from the same
//! description and the same wordings ([`labels`], [`wording`]): the register description
//! `policy show` prints for the people who keep the register (tables, with the purposes'
//! ids), whose sections the access report takes too, and the privacy notice
//! (`export notice`) for the people in it, as prose in the second seed notice's order.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde_json::Value;

use crate::model::country;
use crate::model::labels::{self, Lang};
use crate::model::policy::{
    Basis, Marketing, Policy, Recipient, RecipientRole, Records, Retention, Text,
};
use crate::model::time;
use crate::model::wording::{self, Heading};
use crate::output::document::{Block, Document, Layout, Section, WhenEmpty};

/// Which stored version a rendered description is.
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    pub number: i64,
    /// When it was stored (UTC, RFC 3339).
    pub stored_at: &'a str,
    pub operator: &'a str,
    /// When it takes (or took) effect: `stored_at`, or the start of a later day.
    pub effective_at: &'a str,
    /// The version in force now.
    pub in_force: i64,
    /// The register's time zone (the one in force), in which times are shown.
    pub zone: time::Tz,
}

/// The whole description under a line saying which version it is.
pub fn register_description(p: &Policy, v: Version<'_>, lang: Lang) -> Document {
    Document {
        lang,
        zone: v.zone,
        layout: Layout::Notice,
        heading: vec![version_line(v, lang)],
        sections: vec![
            register_section(p, lang),
            purposes_section(p, lang),
            data_categories_section(p, lang),
            sources_section(p, lang),
            recipients_section(p, lang),
            transfers_section(p, lang),
            retention_section(p, lang),
            profiling_section(p, lang),
            cookies_section(p, lang),
            security_section(p, lang),
        ],
    }
}

fn version_line(v: Version<'_>, lang: Lang) -> String {
    let (n, op, now) = (v.number, v.operator, v.in_force);
    let when = time::display(v.stored_at, v.zone);
    // A version stored to take effect on a later day says which day.
    let from = (v.effective_at != v.stored_at).then(|| time::display_date(v.effective_at, v.zone));
    match (lang, n.cmp(&now), from) {
        (Lang::En, Ordering::Equal, None) => {
            format!("Register description, version {n} (in force; stored {when} by {op})")
        }
        (Lang::En, Ordering::Equal, Some(d)) => {
            format!("Register description, version {n} (in force since {d}; stored {when} by {op})")
        }
        (Lang::En, Ordering::Greater, Some(d)) => format!(
            "Register description, version {n} (takes effect on {d}; stored {when} by {op}; until then version {now} is in force)"
        ),
        (Lang::En, _, _) => format!(
            "Register description, version {n} (stored {when} by {op}; superseded: version {now} is in force)"
        ),
        (Lang::Fi, Ordering::Equal, None) => {
            format!("Rekisteriseloste, versio {n} (voimassa; tallentanut {op} {when})")
        }
        (Lang::Fi, Ordering::Equal, Some(d)) => {
            format!("Rekisteriseloste, versio {n} (voimassa {d} alkaen; tallentanut {op} {when})")
        }
        (Lang::Fi, Ordering::Greater, Some(d)) => format!(
            "Rekisteriseloste, versio {n} (tulee voimaan {d}; tallentanut {op} {when}; siihen asti voimassa on versio {now})"
        ),
        (Lang::Fi, _, _) => format!(
            "Rekisteriseloste, versio {n} (tallentanut {op} {when}; ei enää voimassa: voimassa on versio {now})"
        ),
    }
}

/// `phone …, e-mail …` of the parts that are given.
fn contact_line(phone: &str, email: &str, lang: Lang) -> String {
    [
        (lang.pick("phone", "puh."), phone),
        (lang.pick("e-mail", "sähköposti"), email),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k} {v}"))
    .collect::<Vec<_>>()
    .join(", ")
}

fn in_lang(texts: &[Text], lang: Lang) -> Vec<String> {
    texts.iter().map(|t| t.in_lang(lang).to_string()).collect()
}

fn opt_in_lang(text: &Option<Text>, lang: Lang) -> String {
    text.as_ref()
        .map(|t| t.in_lang(lang).to_string())
        .unwrap_or_default()
}

fn lines(lines: Vec<String>) -> Value {
    Value::Array(lines.into_iter().map(Value::from).collect())
}

/// The register, the controller and the contact person, beside their labels.
pub fn register_section(p: &Policy, lang: Lang) -> Section {
    let c = &p.controller;
    let name = if c.business_id.is_empty() {
        c.name.clone()
    } else {
        format!(
            "{} ({} {})",
            c.name,
            lang.pick("business ID", "Y-tunnus"),
            c.business_id
        )
    };
    let controller = lines(vec![
        name,
        c.address.clone(),
        contact_line(&c.phone, &c.email, lang),
    ]);
    let cp = &p.contact_person;
    let who = if cp.title.trim().is_empty() {
        cp.name.clone()
    } else {
        format!("{}, {}", cp.name, cp.title)
    };
    let person = lines(vec![
        who,
        contact_line(&cp.phone, &cp.email, lang),
        cp.address.clone(),
    ]);
    Section::fields(
        "register",
        vec![
            (
                lang.pick("Register", "Rekisteri"),
                lines(vec![
                    p.register.name.clone(),
                    p.register.description.in_lang(lang).to_string(),
                ]),
            ),
            (lang.pick("Controller", "Rekisterinpitäjä"), controller),
            (lang.pick("Contact person", "Yhteyshenkilö"), person),
            (
                lang.pick("Time zone", "Aikavyöhyke"),
                Value::from(p.timezone.name()),
            ),
        ],
    )
    .titled("")
}

pub fn purposes_section(p: &Policy, lang: Lang) -> Section {
    let rows = p
        .purposes
        .iter()
        .map(|pu| {
            vec![
                Value::from(pu.id.as_str()),
                Value::from(labels::basis(pu.basis, lang)),
                Value::from(labels::marketing_rule(pu.marketing, lang)),
                Value::from(pu.description.in_lang(lang)),
            ]
        })
        .collect();
    Section::rows(
        "purposes",
        &[
            lang.pick("purpose", "tarkoitus"),
            lang.pick("legal basis", "oikeusperuste"),
            lang.pick("marketing", "markkinointi"),
            lang.pick("description", "kuvaus"),
        ],
        rows,
    )
    .titled(lang.pick(
        "Purposes of processing",
        "Henkilötietojen käsittelyn tarkoitukset ja oikeusperusteet",
    ))
}

pub fn data_categories_section(p: &Policy, lang: Lang) -> Section {
    Section::list(
        "data_categories",
        p.data_categories
            .iter()
            .map(|d| d.text.in_lang(lang).to_string())
            .collect(),
    )
    .titled(lang.pick("Data categories", "Käsiteltävät henkilötietoryhmät"))
}

pub fn sources_section(p: &Policy, lang: Lang) -> Section {
    Section::list("sources", in_lang(&p.sources, lang))
        .titled(lang.pick("Regular sources", "Rekisterin säännönmukaiset tietolähteet"))
}

pub fn recipients_section(p: &Policy, lang: Lang) -> Section {
    let rows = p
        .recipients
        .iter()
        .map(|r| {
            vec![
                Value::from(r.name.as_str()),
                Value::from(labels::role(r.role, lang)),
                Value::from(r.purpose.in_lang(lang)),
                Value::from(r.location.as_str()),
            ]
        })
        .collect();
    Section::rows(
        "recipients",
        &[
            lang.pick("recipient", "vastaanottaja"),
            lang.pick("role", "rooli"),
            lang.pick("purpose", "tarkoitus"),
            lang.pick("location", "sijainti"),
        ],
        rows,
    )
    .titled(lang.pick(
        "Recipients and processors",
        "Henkilötietojen vastaanottajat ja käsittelijät",
    ))
}

pub fn transfers_section(p: &Policy, lang: Lang) -> Section {
    let rows = p
        .transfers
        .iter()
        .map(|t| {
            vec![
                Value::from(t.recipient.as_str()),
                Value::from(t.country.as_str()),
                Value::from(t.safeguard.in_lang(lang)),
            ]
        })
        .collect();
    Section::rows(
        "transfers",
        &[
            lang.pick("recipient", "vastaanottaja"),
            lang.pick("country", "maa"),
            lang.pick("safeguard", "suojatoimi"),
        ],
        rows,
    )
    .titled(lang.pick(
        "Transfers outside the EU/EEA",
        "Tietojen siirrot EU:n/ETA:n ulkopuolelle",
    ))
}

/// `n` months, in words of `lang`.
pub fn months(n: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} months"),
        Lang::Fi if n == 1 => "1 kuukausi".to_string(),
        Lang::Fi => format!("{n} kuukautta"),
    }
}

pub fn retention_section(p: &Policy, lang: Lang) -> Section {
    let rows = p
        .retention
        .iter()
        .map(|r| {
            vec![
                Value::from(r.category.as_str()),
                Value::from(months(r.months, lang)),
                Value::from(labels::retention_start(r.counted_from, lang)),
            ]
        })
        .collect();
    let mut s = Section::rows(
        "retention",
        &[
            lang.pick("category", "ryhmä"),
            lang.pick("kept for", "säilytysaika"),
            lang.pick("counted from", "lasketaan"),
        ],
        rows,
    )
    .titled(lang.pick("Retention", "Henkilötietojen säilytysaika"))
    .when_empty(WhenEmpty::Say(
        lang.pick("no per-category rules", "ei ryhmäkohtaisia sääntöjä")
            .to_string(),
    ));
    if let Some(m) = p.deletion_interval_months {
        s = s.note(match lang {
            Lang::En => format!("Data no longer needed is deleted at least every {m} months."),
            Lang::Fi => format!("Tarpeettomat tiedot poistetaan vähintään {m} kuukauden välein."),
        });
    }
    s
}

/// Left out when the description says nothing about profiling.
pub fn profiling_section(p: &Policy, lang: Lang) -> Section {
    Section::text("profiling", opt_in_lang(&p.profiling, lang))
        .titled(lang.pick(
            "Profiling and automated decisions",
            "Automaattinen päätöksenteko ja profilointi",
        ))
        .when_empty(WhenEmpty::Omit)
}

/// Left out when the description says nothing about cookies.
pub fn cookies_section(p: &Policy, lang: Lang) -> Section {
    Section::text("cookies", opt_in_lang(&p.cookies, lang))
        .titled(lang.pick("Cookies and web analytics", "Evästeet ja verkkoanalytiikka"))
        .when_empty(WhenEmpty::Omit)
}

pub fn security_section(p: &Policy, lang: Lang) -> Section {
    Section::list("security", in_lang(&p.security, lang))
        .titled(lang.pick("Security measures", "Rekisterin suojauksen periaatteet"))
}

// --- The privacy notice (`export notice`) ---

/// Which version a privacy notice is: its number, the day it takes (or took) effect, and the
/// version in force now.
#[derive(Debug, Clone, Copy)]
pub struct NoticeVersion {
    pub number: i64,
    pub effective: NaiveDate,
    pub in_force: i64,
}

/// A section's prose, built so that nothing empty is said: an intro goes in only with the
/// list it introduces, a label only with its value.
#[derive(Default)]
struct Prose(Vec<Block>);

impl Prose {
    fn para(&mut self, text: impl Into<String>) -> &mut Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.0.push(Block::Paragraph(text.trim().to_string()));
        }
        self
    }

    fn heading(&mut self, text: impl Into<String>) -> &mut Self {
        self.0.push(Block::Heading(text.into()));
        self
    }

    /// `intro` and the list under it, or nothing when the list is empty.
    fn list(&mut self, intro: &str, items: Vec<String>) -> &mut Self {
        let items: Vec<String> = items.into_iter().filter(|i| !i.trim().is_empty()).collect();
        if !items.is_empty() {
            self.para(intro);
            self.0.push(Block::List(items));
        }
        self
    }

    /// Labelled lines, each only with a value; `intro` before them when there are any.
    fn fields(&mut self, intro: Option<&str>, fields: Vec<(&str, String)>) -> &mut Self {
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(l, v)| (l.to_string(), v.trim().to_string()))
            .collect();
        if !fields.is_empty() {
            if let Some(i) = intro {
                self.para(i);
            }
            self.0.push(Block::Fields(fields));
        }
        self
    }

    fn section(self, h: Heading) -> (Heading, Section) {
        (
            h,
            Section::blocks(h.key(), self.0).when_empty(WhenEmpty::Omit),
        )
    }
}

/// The text of `t` in `lang`, or empty.
fn text_in(t: &Option<Text>, lang: Lang) -> String {
    t.as_ref()
        .map(|t| t.in_lang(lang).to_string())
        .unwrap_or_default()
}

/// The privacy notice ("tietosuojaseloste") the description publishes: the second seed's
/// sections in its order, with transfers and cookies where the description has them, each
/// left out when the description says nothing for it, and numbered as they are shown.
pub fn privacy_notice(p: &Policy, v: NoticeVersion, lang: Lang) -> Document {
    let sections = vec![
        notice_controller(p, lang),
        notice_purposes(p, lang),
        notice_bases(p, lang),
        notice_data(p, lang),
        notice_sources(p, lang),
        notice_recipients(p, lang),
        notice_transfers(p, lang),
        notice_retention(p, lang),
        notice_rights(p, lang),
        notice_text(Heading::Profiling, &p.profiling, lang),
        notice_text(Heading::FurtherProcessing, &p.further_processing, lang),
        notice_security(p, lang),
        notice_text(Heading::Cookies, &p.cookies, lang),
        notice_changes(lang),
    ];
    let sections = sections
        .into_iter()
        .filter(|(_, s)| !s.omitted())
        .enumerate()
        .map(|(i, (h, s))| s.titled(format!("{}. {}", i + 1, h.title(lang))))
        .collect();
    Document {
        lang,
        zone: p.timezone.0,
        layout: Layout::Markdown,
        heading: vec![
            wording::notice_title(lang).to_string(),
            p.register.name.clone(),
            wording::notice_intro(lang).to_string(),
            wording::version_line(v.number, v.effective, v.in_force, lang),
        ],
        sections,
    }
}

/// The e-mail address requests go to: the contact person's, else the controller's.
pub fn requests_email(p: &Policy) -> &str {
    if p.contact_person.email.trim().is_empty() {
        &p.controller.email
    } else {
        &p.contact_person.email
    }
}

fn notice_controller(p: &Policy, lang: Lang) -> (Heading, Section) {
    let l = wording::controller_labels(lang);
    let c = &p.controller;
    let cp = &p.contact_person;
    let phones = [cp.phone.as_str(), cp.other_phone.as_str()]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = Prose::default();
    s.fields(
        None,
        vec![
            (l.name, c.name.clone()),
            (l.business_id, c.business_id.clone()),
            (l.address, c.address.clone()),
            (l.phone, c.phone.clone()),
            (l.email, c.email.clone()),
        ],
    );
    s.heading(l.contact_person).fields(
        None,
        vec![
            (l.name, cp.name.clone()),
            (l.position, cp.title.clone()),
            (l.phone, phones),
            (l.email, cp.email.clone()),
            (l.address, cp.address.clone()),
        ],
    );
    s.section(Heading::Controller)
}

fn notice_purposes(p: &Policy, lang: Lang) -> (Heading, Section) {
    let items = p
        .purposes
        .iter()
        .map(|pu| {
            wording::purpose_with_basis(
                pu.description.in_lang(lang),
                labels::basis(pu.basis, lang),
                pu.marketing.map(|m| labels::marketing(Some(m), lang)),
                lang,
            )
        })
        .collect();
    let mut s = Prose::default();
    if !p.purposes.is_empty() {
        s.para(p.register.description.in_lang(lang));
    }
    s.list(wording::purposes_intro(lang), items);
    s.section(Heading::Purposes)
}

fn notice_bases(p: &Policy, lang: Lang) -> (Heading, Section) {
    // In the order of Art. 6(1): (a) consent, (b) contract, (c) legal obligation, (f).
    let bases = [
        Basis::Consent,
        Basis::Contract,
        Basis::LegalObligation,
        Basis::LegitimateInterest,
    ]
    .into_iter()
    .filter(|b| p.purposes.iter().any(|pu| pu.basis == *b))
    .map(|b| wording::basis_explained(b, lang).to_string())
    .collect();
    let interests = p
        .purposes
        .iter()
        .filter(|pu| pu.basis == Basis::LegitimateInterest)
        .filter_map(|pu| {
            let i = text_in(&pu.legitimate_interest, lang);
            (!i.trim().is_empty()).then(|| (pu.description.in_lang(lang), i))
        })
        .collect();
    let mut s = Prose::default();
    s.list(wording::bases_intro(lang), bases);
    s.fields(Some(wording::interests_intro(lang)), interests);
    let marketing = |m| p.purposes.iter().any(|pu| pu.marketing == Some(m));
    if marketing(Marketing::OptIn) {
        s.para(wording::opt_in_marketing(lang));
    }
    if marketing(Marketing::OptOut) {
        s.para(wording::opt_out_marketing(lang));
    }
    s.section(Heading::Basis)
}

fn notice_data(p: &Policy, lang: Lang) -> (Heading, Section) {
    let items = |xs: &[crate::model::policy::Item]| {
        xs.iter()
            .map(|x| x.text.in_lang(lang).to_string())
            .collect()
    };
    let mut s = Prose::default();
    s.list(wording::subjects_intro(lang), items(&p.subjects));
    s.list(wording::data_intro(lang), items(&p.data_categories));
    if let Some(dp) = &p.data_provision {
        let l = wording::provision_labels(lang);
        s.heading(l.heading).fields(
            None,
            vec![
                (l.obliged, if dp.obliged { l.yes } else { l.no }.to_string()),
                (l.reason, text_in(&dp.reason, lang)),
                (l.consequence, text_in(&dp.consequence, lang)),
            ],
        );
    }
    s.section(Heading::Data)
}

fn notice_sources(p: &Policy, lang: Lang) -> (Heading, Section) {
    let mut s = Prose::default();
    s.list(wording::sources_intro(lang), in_lang(&p.sources, lang));
    s.section(Heading::Sources)
}

fn notice_recipients(p: &Policy, lang: Lang) -> (Heading, Section) {
    let groups = [
        (
            RecipientRole::GroupCompany,
            wording::group_companies_intro(lang),
        ),
        (RecipientRole::Processor, wording::processors_intro(lang)),
        (RecipientRole::Authority, wording::authorities_intro(lang)),
        (RecipientRole::Other, wording::other_recipients_intro(lang)),
    ];
    let mut s = Prose::default();
    for (role, intro) in groups {
        let items = p
            .recipients
            .iter()
            .filter(|r| r.role == role)
            .map(|r| recipient_line(r, false, lang))
            .collect();
        s.list(intro, items);
    }
    s.section(Heading::Recipients)
}

/// A recipient as the notice lists it: the name, what they get the data for, and (in
/// parentheses) their role when asked, that they get it only with permission, and where
/// they are when that is outside the EU/EEA.
pub fn recipient_line(r: &Recipient, with_role: bool, lang: Lang) -> String {
    let mut notes = Vec::new();
    if with_role {
        notes.push(labels::role(r.role, lang).to_string());
    }
    if r.only_with_consent {
        notes.push(wording::only_with_permission(lang).to_string());
    }
    if !r.location.is_empty() && !country::in_eea(&r.location) {
        notes.push(format!(
            "{}: {}",
            wording::location_label(lang),
            wording::country_or_code(&r.location, lang)
        ));
    }
    let purpose = r.purpose.in_lang(lang).trim();
    let mut line = if purpose.is_empty() {
        r.name.clone()
    } else {
        format!("{}: {purpose}", r.name)
    };
    if !notes.is_empty() {
        line.push_str(&format!(" ({})", notes.join("; ")));
    }
    line
}

fn notice_transfers(p: &Policy, lang: Lang) -> (Heading, Section) {
    let items: Vec<String> = p
        .transfers
        .iter()
        .map(|t| {
            format!(
                "{} ({}): {}",
                t.recipient,
                wording::country_or_code(&t.country, lang),
                t.safeguard.in_lang(lang).trim()
            )
        })
        .collect();
    let mut s = Prose::default();
    if !items.is_empty() {
        s.list(wording::transfers_intro(lang), items);
        s.para(wording::transfers_copy(lang));
    }
    s.section(Heading::Transfers)
}

/// A retention rule as the notice states it: its own words, with what the purge computes
/// beside them so the two can be seen to agree.
pub fn retention_rule(r: &Retention, lang: Lang) -> String {
    let computed = wording::months_from(
        r.months,
        labels::retention_start(r.counted_from, lang),
        lang,
    );
    match text_in(&r.description, lang).trim() {
        "" => computed,
        words => format!("{words} ({computed})"),
    }
}

fn notice_retention(p: &Policy, lang: Lang) -> (Heading, Section) {
    let mut rules: Vec<(&str, String)> = p
        .retention
        .iter()
        .map(|r| {
            (
                wording::retention_category(r.category, lang),
                retention_rule(r, lang),
            )
        })
        .collect();
    for kind in [Records::Courses, Records::History, Records::Requests] {
        if let Some(m) = p.record_months(kind) {
            let (label, rule) = wording::record_retention(kind, m, lang);
            rules.push((label, rule));
        }
    }
    let mut s = Prose::default();
    s.para(text_in(&p.retention_description, lang));
    s.fields(Some(wording::retention_intro(lang)), rules);
    if let Some(m) = p.deletion_interval_months {
        s.para(wording::deletion_interval(m, lang));
    }
    if !s.0.is_empty() {
        s.para(wording::kept_longer(lang));
    }
    s.section(Heading::Retention)
}

fn notice_rights(p: &Policy, lang: Lang) -> (Heading, Section) {
    let mut s = Prose::default();
    s.para(wording::rights_intro(lang));
    for r in wording::RIGHTS {
        s.heading(r.heading(lang));
        for para in r.paragraphs(lang) {
            s.para(para);
        }
    }
    s.heading(wording::using_rights_heading(lang));
    for para in wording::using_rights(requests_email(p), lang) {
        s.para(para);
    }
    s.section(Heading::Rights)
}

/// A section that is one text of the description, left out when it has none.
fn notice_text(h: Heading, t: &Option<Text>, lang: Lang) -> (Heading, Section) {
    let mut s = Prose::default();
    for para in text_in(t, lang).split("\n\n") {
        s.para(para);
    }
    s.section(h)
}

fn notice_security(p: &Policy, lang: Lang) -> (Heading, Section) {
    let mut s = Prose::default();
    s.list(wording::security_intro(lang), in_lang(&p.security, lang));
    s.section(Heading::Security)
}

fn notice_changes(lang: Lang) -> (Heading, Section) {
    let mut s = Prose::default();
    s.para(wording::changes_text(lang));
    s.section(Heading::Changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TableStyle;

    const STORED: &str = "2026-11-23T10:00:00Z";

    fn text(lang: Lang, number: i64, in_force: i64) -> String {
        let v = Version {
            number,
            stored_at: STORED,
            operator: "anna",
            effective_at: STORED,
            in_force,
            zone: time::Tz::UTC,
        };
        register_description(&Policy::default_policy(), v, lang).to_text(TableStyle::Plain)
    }

    #[test]
    fn the_description_reads_in_english() {
        let t = text(Lang::En, 1, 1);
        assert!(
            t.starts_with("Register description, version 1 (in force; stored "),
            "{t}"
        );
        for s in [
            "\n\nRegister        ",
            "\nController      ",
            "\nContact person  ",
            "\n\nPurposes of processing\n| purpose ",
            "| legitimate interest |",
            "opt-in: only with consent",
            "\n\nData categories\n  - ",
            "\n\nRecipients and processors\n",
            "\n\nTransfers outside the EU/EEA\n",
            "\n\nRetention\n| category ",
            "24 months",
            "\n\nSecurity measures\n  - ",
        ] {
            assert!(t.contains(s), "missing {s:?} in\n{t}");
        }
    }

    #[test]
    fn the_description_reads_in_finnish() {
        let t = text(Lang::Fi, 1, 2);
        assert!(
            t.starts_with("Rekisteriseloste, versio 1 (tallentanut anna "),
            "{t}"
        );
        assert!(t.contains("voimassa on versio 2)"), "{t}");
        for s in [
            "\nRekisterinpitäjä  ",
            "(Y-tunnus ",
            "\n\nHenkilötietojen käsittelyn tarkoitukset ja oikeusperusteet\n| tarkoitus ",
            "| oikeutettu etu ",
            "opt-in: vain suostumuksella",
            "\n\nKäsiteltävät henkilötietoryhmät\n",
            "\n\nHenkilötietojen säilytysaika\n| ryhmä ",
            "24 kuukautta",
            "asiakassuhteen päättymisestä",
            "\n\nRekisterin suojauksen periaatteet\n",
        ] {
            assert!(t.contains(s), "missing {s:?} in\n{t}");
        }
        // The default description's own texts are partly English; its labels are not.
        for english in [
            "Purposes of processing",
            "legal basis",
            "kept for",
            " months",
            "(business ID",
            "e-mail ",
            "\n  none\n",
        ] {
            assert!(!t.contains(english), "{english:?} in\n{t}");
        }
    }

    #[test]
    fn profiling_and_cookies_appear_only_when_described() {
        let mut p = Policy::default_policy();
        p.profiling = None;
        p.cookies = Some("Analytics cookies.".into());
        let v = Version {
            number: 1,
            stored_at: STORED,
            operator: "anna",
            effective_at: STORED,
            in_force: 1,
            zone: time::Tz::UTC,
        };
        let t = register_description(&p, v, Lang::En).to_text(TableStyle::Plain);
        assert!(!t.contains("Profiling"), "{t}");
        assert!(
            t.contains("\n\nCookies and web analytics\n  Analytics cookies.\n"),
            "{t}"
        );
    }
}
