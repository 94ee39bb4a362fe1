//! The record of processing activities (Art. 30(1), "seloste käsittelytoimista"): the
//! controller and its contact details, then one entry per purpose of the description.
//!
//! An entry lists what the purpose links (`subjects`, `data`, `recipients` of a
//! `[[purposes]]` table). A purpose that links no list of a kind has all of that list,
//! and the entry says so ("not narrowed to this activity"): the description does not
//! narrow it, so an auditor must read it as applying to the whole register. A description
//! that lists no categories of data subjects has the register's own contact categories
//! (every contact is in one). Transfers are those to the entry's recipients; retention and
//! security measures are the register's, the same in every entry, so each entry stands alone.
//!
//! Both forms come from the same [`Entry`]s: Markdown through the one document renderer,
//! and CSV with one row per purpose ([`CSV_COLUMNS`]).

use std::io::{self, Write};

use serde_json::Value;

use crate::model::contact::Category;
use crate::model::country;
use crate::model::labels::{self, Lang};
use crate::model::policy::{Basis, Marketing, Policy, Purpose, Records};
use crate::model::time::{self, Tz};
use crate::output::document::{Document, Layout, Section};
use crate::output::{notice, CsvStyle};

/// Which stored version the record is made from.
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    pub number: i64,
    /// When it was stored (UTC, RFC 3339).
    pub stored_at: &'a str,
    pub operator: &'a str,
    /// When it took effect (UTC, RFC 3339).
    pub effective_at: &'a str,
    /// The register's time zone: times are shown in it.
    pub zone: Tz,
    /// The day the record is made, in the register's time zone (`YYYY-MM-DD`).
    pub made_on: &'a str,
}

/// Whether a list of an entry is the purpose's own or the whole register's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The purpose links these.
    Linked,
    /// The purpose links none: every one the description lists.
    All,
    /// The description lists none: the register's contact categories (subjects only).
    RegisterCategories,
}

/// A list of an entry and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub items: Vec<String>,
    pub scope: Scope,
}

/// One processing activity: a purpose and what Art. 30(1)(b)–(g) asks of it, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub purpose: String,
    pub description: String,
    pub basis: Basis,
    /// What the legitimate interest is, for that basis; `None` when not described.
    pub legitimate_interest: Option<String>,
    pub marketing: Option<Marketing>,
    pub subjects: Listed,
    pub data: Listed,
    pub recipients: Listed,
    /// Transfers outside the EU/EEA to the entry's recipients, each with its safeguard.
    pub transfers: Vec<String>,
    /// The time limits for erasure.
    pub retention: Vec<String>,
    pub security: Vec<String>,
}

/// The CSV columns, one row per purpose: their types and meanings are in `docs/exports.md`
/// (`tests/exports.rs` checks them against this output). Only ever added to at the end. A
/// list cell joins its items with "; "; `not_narrowed` names the lists (`subjects`,
/// `data_categories`, `recipients`) the purpose does not link, whose cell is the whole
/// register's.
pub const CSV_COLUMNS: [&str; 13] = [
    "version",
    "purpose",
    "description",
    "basis",
    "legitimate_interest",
    "marketing",
    "subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security",
    "not_narrowed",
];

/// The fields the record shows whose text is not written in `lang` (so the other language's
/// is shown): for the warning naming each.
pub fn fallbacks(p: &Policy, lang: Lang) -> Vec<String> {
    const SHOWN: [&str; 8] = [
        "register.description",
        "subjects[",
        "purposes[",
        "data_categories[",
        "recipients[",
        "transfers[",
        "retention[",
        "security[",
    ];
    p.fallbacks(lang)
        .into_iter()
        .filter(|f| SHOWN.iter().any(|s| f.starts_with(s)))
        .collect()
}

/// The entries, one per purpose in the description's order.
pub fn entries(p: &Policy, lang: Lang) -> Vec<Entry> {
    let retention = retention_lines(p, lang);
    let security: Vec<String> = p
        .security
        .iter()
        .map(|t| t.in_lang(lang).to_string())
        .collect();
    p.purposes
        .iter()
        .map(|pu| entry(p, pu, lang, retention.clone(), security.clone()))
        .collect()
}

fn entry(
    p: &Policy,
    pu: &Purpose,
    lang: Lang,
    retention: Vec<String>,
    security: Vec<String>,
) -> Entry {
    // An id-less line cannot be linked; it belongs to the whole-register list only.
    let pick = |items: &[crate::model::policy::Item], links: &[String]| -> Listed {
        let linked = !links.is_empty();
        Listed {
            items: items
                .iter()
                .filter(|i| {
                    !linked
                        || i.id
                            .as_ref()
                            .is_some_and(|id| links.iter().any(|l| l == id))
                })
                .map(|i| i.text.in_lang(lang).to_string())
                .collect(),
            scope: if linked { Scope::Linked } else { Scope::All },
        }
    };
    let subjects = if p.subjects.is_empty() {
        Listed {
            items: [Category::Customer, Category::Prospect, Category::Student]
                .iter()
                .map(|c| labels::category(*c, lang).to_string())
                .collect(),
            scope: Scope::RegisterCategories,
        }
    } else {
        pick(&p.subjects, &pu.subjects)
    };
    let data = pick(&p.data_categories, &pu.data);
    let linked = !pu.recipients.is_empty();
    let recipients: Vec<_> = p
        .recipients
        .iter()
        .filter(|r| !linked || pu.recipients.contains(&r.name))
        .collect();
    let transfers = p
        .transfers
        .iter()
        .filter(|t| recipients.iter().any(|r| r.name == t.recipient))
        .map(|t| {
            format!(
                "{} ({}): {}",
                t.recipient,
                t.country,
                t.safeguard.in_lang(lang)
            )
        })
        .collect();
    let recipients = Listed {
        items: recipients
            .iter()
            .map(|r| {
                let mut about = vec![labels::role(r.role, lang).to_string()];
                if !r.location.is_empty() {
                    about.push(location(&r.location, lang));
                }
                if r.only_with_consent {
                    about.push(
                        lang.pick(
                            "only with the person's permission",
                            "vain rekisteröidyn luvalla",
                        )
                        .to_string(),
                    );
                }
                let what = r.purpose.in_lang(lang);
                if what.trim().is_empty() {
                    format!("{} ({})", r.name, about.join(", "))
                } else {
                    format!("{} ({}): {what}", r.name, about.join(", "))
                }
            })
            .collect(),
        scope: if linked { Scope::Linked } else { Scope::All },
    };
    Entry {
        purpose: pu.id.clone(),
        description: pu.description.in_lang(lang).to_string(),
        basis: pu.basis,
        legitimate_interest: pu
            .legitimate_interest
            .as_ref()
            .filter(|t| !t.is_empty())
            .map(|t| t.in_lang(lang).to_string()),
        marketing: pu.marketing,
        subjects,
        data,
        recipients,
        transfers,
        retention,
        security,
    }
}

/// `EU/EEA` in the record's language; a country code as it is.
fn location(code: &str, lang: Lang) -> String {
    if code == country::EU_EEA {
        lang.pick("EU/EEA", "EU/ETA").to_string()
    } else {
        code.to_string()
    }
}

/// The register's time limits for erasure: per category of contact, the records with a time
/// of their own (course records, contact history), and the deletion interval. Closed request
/// records are the register's own accountability records, not data of a purpose.
fn retention_lines(p: &Policy, lang: Lang) -> Vec<String> {
    // The description's own words first (a description may give only these): the record
    // must state the time limits whenever the notice does.
    let words = p
        .retention_description
        .as_ref()
        .map(|d| d.in_lang(lang).trim().to_string())
        .filter(|d| !d.is_empty());
    let mut out: Vec<String> = words
        .into_iter()
        .chain(p.retention.iter().map(|r| {
            let (category, months, from) = (
                labels::category(r.category, lang),
                notice::months(r.months, lang),
                labels::retention_start(r.counted_from, lang),
            );
            // "from the end …" / "asiakassuhteen päättymisestä" (the case ending says "from").
            let line = match lang {
                Lang::En => format!("{category}: {months} from {from}"),
                Lang::Fi => format!("{category}: {months} {from}"),
            };
            match r.description.as_ref().filter(|d| !d.is_empty()) {
                Some(d) => format!("{line} ({})", d.in_lang(lang)),
                None => line,
            }
        }))
        .collect();
    for kind in [Records::Courses, Records::History] {
        if let Some(m) = p.record_retention.iter().find(|r| r.records == kind) {
            let months = notice::months(m.months, lang);
            out.push(match (kind, lang) {
                (Records::Courses, Lang::En) => format!("course records: {months} from completion"),
                (Records::Courses, Lang::Fi) => {
                    format!("kurssisuoritukset: {months} suorituspäivästä")
                }
                (_, Lang::En) => format!("contact-history entries: {months} from their date"),
                (_, Lang::Fi) => {
                    format!("kontaktihistorian merkinnät: {months} merkinnän päivästä")
                }
            });
        }
    }
    if let Some(m) = p.deletion_interval_months {
        out.push(match lang {
            Lang::En => format!("data no longer needed is deleted at least every {m} months"),
            Lang::Fi => format!("tarpeettomat tiedot poistetaan vähintään {m} kuukauden välein"),
        });
    }
    out
}

/// The legal basis in words, with its point of Art. 6(1).
fn basis_words(b: Basis, lang: Lang) -> String {
    let point = match b {
        Basis::Consent => "a",
        Basis::Contract => "b",
        Basis::LegalObligation => "c",
        Basis::LegitimateInterest => "f",
    };
    match lang {
        Lang::En => format!("{} (Art. 6(1)({point}) GDPR)", labels::basis(b, lang)),
        Lang::Fi => format!(
            "{} (tietosuoja-asetuksen 6 artiklan 1 kohdan {point} alakohta)",
            labels::basis(b, lang)
        ),
    }
}

/// The record as a document (Markdown layout).
pub fn document(p: &Policy, v: Version<'_>, lang: Lang) -> Document {
    let mut sections = vec![controller_section(p, lang)];
    for (i, e) in entries(p, lang).iter().enumerate() {
        sections.push(entry_section(e, i + 1, lang));
    }
    Document {
        lang,
        zone: v.zone,
        layout: Layout::Markdown,
        heading: heading(p, v, lang),
        sections,
    }
}

fn heading(p: &Policy, v: Version<'_>, lang: Lang) -> Vec<String> {
    let (n, op, made) = (v.number, v.operator, v.made_on);
    let stored = time::display(v.stored_at, v.zone);
    let since = time::display_date(v.effective_at, v.zone);
    let r = &p.register.name;
    match lang {
        Lang::En => vec![
            "Record of processing activities".into(),
            format!(
                "The record of the processing activities under the controller's responsibility, under Article 30(1) of the General Data Protection Regulation (EU) 2016/679. Register: {r}."
            ),
            format!(
                "Made on {made} from version {n} of the register description, in force since {since} (stored {stored} by {op})."
            ),
            "Each entry lists the categories of data subjects, the categories of personal data and the recipients the description links to that purpose. Where it links none, the entry lists all of the register's and says so (\"not narrowed to this activity\"). Retention and security measures are the register's and the same in every entry.".into(),
        ],
        Lang::Fi => vec![
            "Seloste käsittelytoimista".into(),
            format!(
                "EU:n yleisen tietosuoja-asetuksen ((EU) 2016/679) 30 artiklan 1 kohdan mukainen seloste rekisterinpitäjän vastuulla olevista käsittelytoimista. Rekisteri: {r}."
            ),
            format!(
                "Laadittu {made} rekisteriselosteen versiosta {n}, joka on voimassa {since} alkaen (tallentanut {op} {stored})."
            ),
            "Kunkin käsittelytoimen kohdalla luetellaan ne rekisteröityjen ryhmät, henkilötietoryhmät ja vastaanottajat, jotka rekisteriselosteessa on liitetty kyseiseen käsittelytarkoitukseen. Jos niitä ei ole liitetty, kohdassa luetellaan kaikki rekisterin ryhmät tai vastaanottajat, ja se on merkitty (”ei rajattu tähän käsittelytoimeen”). Säilytysajat ja turvatoimet koskevat koko rekisteriä ja ovat samat jokaisessa käsittelytoimessa.".into(),
        ],
    }
}

/// `label: value` of each part that is given.
fn given(parts: &[(&str, &str)]) -> Vec<String> {
    parts
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k} {v}"))
        .collect()
}

fn controller_section(p: &Policy, lang: Lang) -> Section {
    let c = &p.controller;
    let cp = &p.contact_person;
    let who = if cp.title.trim().is_empty() {
        cp.name.clone()
    } else {
        format!("{}, {}", cp.name, cp.title)
    };
    let phones: Vec<&str> = [cp.phone.as_str(), cp.other_phone.as_str()]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    let phones = phones.join(", ");
    let mut person = vec![who];
    person.extend(given(&[
        (lang.pick("phone", "puh."), &phones),
        (lang.pick("e-mail", "sähköposti"), &cp.email),
    ]));
    person.push(cp.address.clone());
    let fields = vec![
        (
            lang.pick("Controller", "Rekisterinpitäjä"),
            Value::from(c.name.as_str()),
        ),
        (
            lang.pick("Business ID", "Y-tunnus"),
            Value::from(c.business_id.as_str()),
        ),
        (
            lang.pick("Address", "Osoite"),
            Value::from(c.address.as_str()),
        ),
        (lang.pick("Phone", "Puhelin"), Value::from(c.phone.as_str())),
        (
            lang.pick("E-mail", "Sähköposti"),
            Value::from(c.email.as_str()),
        ),
        (lang.pick("Contact person", "Yhteyshenkilö"), lines(person)),
        (
            lang.pick("Register", "Rekisteri"),
            Value::from(p.register.name.as_str()),
        ),
        (
            lang.pick("Description of the register", "Rekisterin kuvaus"),
            Value::from(p.register.description.in_lang(lang)),
        ),
    ];
    Section::fields("controller", fields).titled(lang.pick(
        "Controller and contact details",
        "Rekisterinpitäjä ja yhteystiedot",
    ))
}

fn lines(items: Vec<String>) -> Value {
    Value::Array(items.into_iter().map(Value::from).collect())
}

/// The items, or the words saying there are none (a field with no lines is left out).
fn or_none(items: &[String], none: &str) -> Value {
    if items.is_empty() {
        Value::from(none)
    } else {
        lines(items.to_vec())
    }
}

fn entry_section(e: &Entry, number: usize, lang: Lang) -> Section {
    let subjects_label = match e.subjects.scope {
        Scope::Linked => lang.pick("Categories of data subjects", "Rekisteröityjen ryhmät"),
        Scope::All => lang.pick(
            "Categories of data subjects (all of the register's: not narrowed to this activity)",
            "Rekisteröityjen ryhmät (kaikki rekisterin ryhmät: ei rajattu tähän käsittelytoimeen)",
        ),
        Scope::RegisterCategories => lang.pick(
            "Categories of data subjects (the register's contact categories: the description lists none)",
            "Rekisteröityjen ryhmät (rekisterin yhteystietojen ryhmät: rekisteriselosteessa ei ole lueteltu ryhmiä)",
        ),
    };
    let data_label = match e.data.scope {
        Scope::Linked => lang.pick("Categories of personal data", "Henkilötietoryhmät"),
        Scope::All | Scope::RegisterCategories => lang.pick(
            "Categories of personal data (all of the register's: not narrowed to this activity)",
            "Henkilötietoryhmät (kaikki rekisterin henkilötietoryhmät: ei rajattu tähän käsittelytoimeen)",
        ),
    };
    let recipients_label = match (e.recipients.scope, e.recipients.items.is_empty()) {
        (Scope::Linked, _) | (_, true) => lang.pick("Recipients", "Vastaanottajat"),
        _ => lang.pick(
            "Recipients (all of the register's: not narrowed to this activity)",
            "Vastaanottajat (kaikki rekisterin vastaanottajat: ei rajattu tähän käsittelytoimeen)",
        ),
    };
    let mut fields = vec![
        (
            lang.pick("Purpose of processing", "Käsittelyn tarkoitus"),
            Value::from(e.description.as_str()),
        ),
        (
            lang.pick("Legal basis", "Oikeusperuste"),
            Value::from(basis_words(e.basis, lang)),
        ),
    ];
    if e.basis == Basis::LegitimateInterest {
        fields.push((
            lang.pick("Legitimate interest", "Oikeutettu etu"),
            Value::from(e.legitimate_interest.as_deref().unwrap_or(lang.pick(
                "not described in the register description",
                "ei kuvattu rekisteriselosteessa",
            ))),
        ));
    }
    if e.marketing.is_some() {
        fields.push((
            lang.pick("Direct marketing", "Suoramarkkinointi"),
            Value::from(labels::marketing_rule(e.marketing, lang)),
        ));
    }
    fields.extend([
        (subjects_label, lines(e.subjects.items.clone())),
        (
            data_label,
            or_none(
                &e.data.items,
                lang.pick(
                    "the description lists none",
                    "rekisteriselosteessa ei ole lueteltu henkilötietoryhmiä",
                ),
            ),
        ),
        (
            recipients_label,
            or_none(
                &e.recipients.items,
                lang.pick(
                    "none: the data is not disclosed",
                    "ei vastaanottajia: tietoja ei luovuteta",
                ),
            ),
        ),
        (
            lang.pick(
                "Transfers to third countries and their safeguards",
                "Siirrot EU:n/ETA:n ulkopuolelle ja niiden suojatoimet",
            ),
            or_none(
                &e.transfers,
                lang.pick(
                    "none: no data is transferred outside the EU/EEA",
                    "ei siirtoja: tietoja ei siirretä EU:n/ETA:n ulkopuolelle",
                ),
            ),
        ),
        (
            lang.pick("Time limits for erasure", "Poistamisen määräajat"),
            or_none(
                &e.retention,
                lang.pick(
                    "the description sets none",
                    "rekisteriselosteessa ei ole säilytysaikoja",
                ),
            ),
        ),
        (
            lang.pick(
                "Technical and organisational security measures (Art. 32(1))",
                "Tekniset ja organisatoriset turvatoimet (32 artiklan 1 kohta)",
            ),
            or_none(
                &e.security,
                lang.pick(
                    "the description describes none",
                    "rekisteriselosteessa ei ole kuvattu turvatoimia",
                ),
            ),
        ),
    ]);
    let title = match lang {
        Lang::En => format!("Processing activity {number}: {}", e.purpose),
        Lang::Fi => format!("Käsittelytoimi {number}: {}", e.purpose),
    };
    Section::fields("processing_activity", fields).titled(title)
}

/// The record as CSV, one row per purpose, columns [`CSV_COLUMNS`].
pub fn write_csv(
    p: &Policy,
    version: i64,
    lang: Lang,
    out: impl Write,
    style: CsvStyle,
) -> io::Result<()> {
    let mut w = style.writer(out)?;
    w.record(CSV_COLUMNS)?;
    let joined = |items: &[String]| items.join("; ");
    for e in entries(p, lang) {
        let not_narrowed: Vec<&str> = [
            ("subjects", e.subjects.scope),
            ("data_categories", e.data.scope),
            ("recipients", e.recipients.scope),
        ]
        .iter()
        .filter(|(_, s)| *s != Scope::Linked)
        .map(|(k, _)| *k)
        .collect();
        w.record([
            version.to_string(),
            e.purpose.clone(),
            e.description.clone(),
            e.basis.as_str().to_string(),
            e.legitimate_interest.clone().unwrap_or_default(),
            e.marketing.map(Marketing::as_str).unwrap_or("").to_string(),
            joined(&e.subjects.items),
            joined(&e.data.items),
            joined(&e.recipients.items),
            joined(&e.transfers),
            joined(&e.retention),
            joined(&e.security),
            not_narrowed.join("; "),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TableStyle;

    const EXAMPLE: &str = include_str!("../../examples/policy.toml");

    fn example() -> Policy {
        Policy::parse(EXAMPLE).unwrap()
    }

    fn version() -> Version<'static> {
        Version {
            number: 2,
            stored_at: "2026-11-23T10:00:00Z",
            operator: "anna",
            effective_at: "2026-11-30T22:00:00Z",
            zone: time::DEFAULT_ZONE,
            made_on: "2026-12-05",
        }
    }

    #[test]
    fn a_linked_purpose_has_only_what_it_links() {
        let es = entries(&example(), Lang::En);
        assert_eq!(es.len(), 7);
        let courses = &es[1];
        assert_eq!(courses.purpose, "courses");
        assert_eq!(courses.subjects.scope, Scope::Linked);
        assert_eq!(courses.subjects.items.len(), 1);
        assert!(courses.subjects.items[0].contains("taken part in our courses"));
        assert_eq!(courses.data.items.len(), 2);
        assert_eq!(courses.recipients.items.len(), 3);
        assert!(
            courses.recipients.items[0].starts_with("Kuusiaho Koulutus Oy (group company, FI): ")
        );
        // No recipient of this purpose is outside the EU/EEA.
        assert!(courses.transfers.is_empty());
        let newsletter = es.iter().find(|e| e.purpose == "newsletter").unwrap();
        assert_eq!(
            newsletter.transfers,
            ["Postikyyhky Mail Inc. (US): standard contractual clauses approved by the European Commission (Art. 46(2)(c))"]
        );
    }

    #[test]
    fn an_unlinked_list_is_the_whole_registers_and_says_so() {
        let p = example();
        let es = entries(&p, Lang::Fi);
        let group = es
            .iter()
            .find(|e| e.purpose == "group-administration")
            .unwrap();
        assert_eq!(group.subjects.scope, Scope::All);
        assert_eq!(group.subjects.items.len(), p.subjects.len());
        assert_eq!(group.data.scope, Scope::All);
        assert_eq!(group.data.items.len(), p.data_categories.len());
        assert_eq!(group.recipients.scope, Scope::Linked);
        let md = document(&p, version(), Lang::Fi).to_text(TableStyle::Plain);
        assert!(
            md.contains("- **Henkilötietoryhmät (kaikki rekisterin henkilötietoryhmät: ei rajattu tähän käsittelytoimeen):**\n  - Perustiedot"),
            "{md}"
        );
    }

    #[test]
    fn the_default_lists_the_registers_categories_and_no_recipients() {
        // The built-in description names its subjects and its legitimate interest; without
        // them (as descriptions from before those fields) the register's own categories
        // stand in, and the interest is said to be missing.
        let mut p = Policy::default_policy();
        p.subjects.clear();
        for pu in p.purposes.iter_mut() {
            pu.subjects.clear();
            pu.legitimate_interest = None;
        }
        let es = entries(&p, Lang::En);
        assert_eq!(
            es.iter().map(|e| e.purpose.as_str()).collect::<Vec<_>>(),
            ["customer-service", "newsletter", "b2b-marketing"]
        );
        for e in &es {
            assert_eq!(e.subjects.scope, Scope::RegisterCategories);
            assert_eq!(
                e.subjects.items,
                ["customer representative", "prospect", "course student"]
            );
            assert!(e.recipients.items.is_empty() && e.transfers.is_empty());
            assert_eq!(
                e.retention[0],
                "customer representative: 24 months from the end of the relationship"
            );
            assert_eq!(
                e.retention.last().unwrap(),
                "data no longer needed is deleted at least every 24 months"
            );
        }
        let md = document(&p, version(), Lang::En).to_text(TableStyle::Plain);
        assert!(
            md.contains("- **Recipients:** none: the data is not disclosed\n"),
            "{md}"
        );
        assert!(
            md.contains("- **Legitimate interest:** not described in the register description\n"),
            "{md}"
        );

        // As built in: each purpose lists the subjects it links to, and b2b-marketing its
        // interest.
        let p = Policy::default_policy();
        let es = entries(&p, Lang::En);
        assert_eq!(es[0].subjects.scope, Scope::Linked);
        assert_eq!(
            es[0].subjects.items,
            [
                "Representatives and contact persons of our customers",
                "People who have taken part in our courses"
            ]
        );
        assert!(es.iter().all(|e| e.recipients.items.is_empty()));
        let md = document(&p, version(), Lang::En).to_text(TableStyle::Plain);
        assert!(
            md.contains("- **Legitimate interest:** There is a relevant connection between the person and us"),
            "{md}"
        );
        assert!(
            !md.contains("not described in the register description"),
            "{md}"
        );
    }

    #[test]
    fn retention_reads_in_finnish() {
        let es = entries(&example(), Lang::Fi);
        assert_eq!(
            es[0].retention,
            [
                "Käsittelemme ja säilytämme henkilötietoja vain niin kauan kuin se on tarpeen niiden käyttötarkoituksen kannalta. Asiakasrekisterin tietoja käsitellään aktiivisen asiakassuhteen ajan. Tarpeettomiksi käyneet tiedot poistetaan, ellei laki velvoita säilyttämään niitä.",
                "asiakkaan yhteyshenkilö: 24 kuukautta asiakassuhteen päättymisestä (aktiivisen asiakassuhteen ajan ja kaksi vuotta sen päättymisen jälkeen)",
                "potentiaalinen asiakas: 24 kuukautta viimeisestä yhteydenotosta tai päättymisestä, kumpi on myöhempi (kaksi vuotta viimeisimmästä yhteydenotosta tai muusta tapahtumasta)",
                "kurssilainen: 24 kuukautta viimeisestä yhteydenotosta tai päättymisestä, kumpi on myöhempi (kaksi vuotta viimeisimmästä kurssista tai muusta tapahtumasta)",
                "kurssisuoritukset: 24 kuukautta suorituspäivästä",
                "kontaktihistorian merkinnät: 24 kuukautta merkinnän päivästä",
                "tarpeettomat tiedot poistetaan vähintään 24 kuukauden välein",
            ]
        );
    }

    #[test]
    fn the_heading_says_which_version_and_from_when() {
        let en = document(&example(), version(), Lang::En).to_text(TableStyle::Plain);
        assert!(
            en.starts_with("# Record of processing activities\n\n"),
            "{en}"
        );
        assert!(
            en.contains("Made on 2026-12-05 from version 2 of the register description, in force since 2026-12-01 (stored 2026-11-23 12:00 by anna)."),
            "{en}"
        );
        let fi = document(&example(), version(), Lang::Fi).to_text(TableStyle::Plain);
        assert!(fi.starts_with("# Seloste käsittelytoimista\n\n"), "{fi}");
        assert!(
            fi.contains("Laadittu 2026-12-05 rekisteriselosteen versiosta 2, joka on voimassa 2026-12-01 alkaen"),
            "{fi}"
        );
    }

    #[test]
    fn only_the_texts_the_record_shows_are_warned_of() {
        let mut p = example();
        p.cookies = Some(crate::model::policy::Text::PerLang {
            fi: Some("Evästeet".into()),
            en: None,
        });
        p.security[0] = crate::model::policy::Text::PerLang {
            fi: Some("Pääsy vain nimetyillä".into()),
            en: None,
        };
        assert_eq!(fallbacks(&p, Lang::En), ["security[1]"]);
        assert!(fallbacks(&p, Lang::Fi).is_empty());
    }

    #[test]
    fn csv_has_one_row_per_purpose_in_the_documented_columns() {
        let mut out = Vec::new();
        write_csv(&example(), 2, Lang::En, &mut out, CsvStyle::PLAIN).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), CSV_COLUMNS);
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 7);
        let group = rows
            .iter()
            .find(|r| &r[1] == "group-administration")
            .unwrap();
        assert_eq!(&group[0], "2");
        assert_eq!(&group[3], "legitimate-interest");
        assert!(group[4].starts_with("The group companies'"), "{group:?}");
        assert_eq!(&group[12], "subjects; data_categories");
        assert_eq!(group[8].split("; ").count(), 2, "{group:?}");
    }
}
