//! The register description as people read it, in the order of a privacy notice: the
//! controller and contact person, purposes and their bases, data, sources, recipients,
//! transfers, retention, profiling, cookies, security. `policy show` prints it; the access
//! report and the privacy notice take their sections from here.

use std::cmp::Ordering;

use serde_json::Value;

use crate::model::labels::{self, Lang};
use crate::model::policy::{Policy, Records, Text};
use crate::model::time;
use crate::output::document::{Document, Layout, Section, WhenEmpty};

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
            record_retention_section(p, lang),
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

/// The `[[record_retention]]` rules, as the purge applies them: the policy's, and for closed
/// requests the default when it has none.
pub fn record_retention_section(p: &Policy, lang: Lang) -> Section {
    let rows = [Records::Courses, Records::History, Records::Requests]
        .into_iter()
        .filter_map(|kind| {
            let m = p.record_months(kind)?;
            Some(vec![
                Value::from(labels::records(kind, lang)),
                Value::from(months(m, lang)),
                Value::from(labels::records_start(kind, lang)),
            ])
        })
        .collect();
    Section::rows(
        "record_retention",
        &[
            lang.pick("records", "tiedot"),
            lang.pick("kept for", "säilytysaika"),
            lang.pick("counted from", "lasketaan"),
        ],
        rows,
    )
    .titled(lang.pick("Retention of records", "Kirjausten säilytysaika"))
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
            "\n\nRetention of records\n| records ",
            "| course records ",
            "| contact history entries ",
            "| completed and refused requests (without personal text) | 60 months ",
            "| the date of the entry ",
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
            "\n\nKirjausten säilytysaika\n| tiedot ",
            "| kurssisuoritukset ",
            "| yhteydenottohistorian merkinnät ",
            "| 60 kuukautta ",
            "kurssin suorittamisesta",
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
    fn record_rules_show_what_the_purge_applies() {
        let mut p = Policy::default_policy();
        p.record_retention.clear();
        let v = Version {
            number: 1,
            stored_at: STORED,
            operator: "anna",
            effective_at: STORED,
            in_force: 1,
            zone: time::Tz::UTC,
        };
        let t = register_description(&p, v, Lang::En).to_text(TableStyle::Plain);
        // Without rules only closed requests have a limit: the default five years.
        assert!(t.contains("| 60 months "), "{t}");
        assert!(!t.contains("course records"), "{t}");
        assert!(!t.contains("contact history entries"), "{t}");
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
