//! The answer to an access request (Art. 15): `R-….json`, everything the register holds
//! about the person, and `R-….md`, a document in Finnish or English with that data and what
//! Art. 15(1)–(2) requires besides it: purposes and legal bases, categories, recipients,
//! transfers and safeguards, retention, the source, the person's rights and the right to
//! complain to the Data Protection Ombudsman. The description's parts are the ones the
//! notice shows ([`crate::output::notice`]), from the version in force.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::error::Result;
use crate::model::contact::ContactData;
use crate::model::field::Field;
use crate::model::labels::{self, Lang};
use crate::model::policy::Policy;
use crate::model::time::{self, format_date, Tz};
use crate::model::wording;
use crate::output::document::{Body, Document, Layout, Section, WhenEmpty};
use crate::output::{file, notice, TableStyle};
use crate::report::{file_stem, person};
use crate::store::{contacts, policy, Tx};

/// What the register holds about the person: their contact data and every section of it.
#[derive(Debug, Clone)]
pub struct Held {
    pub contact: ContactData,
    pub sections: Vec<Section>,
}

impl Held {
    /// Everything about contact `id`, as `contact show` has it, and their requests.
    pub fn load(tx: &Tx, id: i64, today: NaiveDate, zone: Tz) -> Result<Held> {
        let contact = contacts::get(tx, id)?.data;
        let mut sections = person::sections(tx, id, today, zone)?;
        sections.push(person::requests_section(tx, id)?);
        Ok(Held { contact, sections })
    }
}

/// Writes `R-….json` and `R-….md` into `dir` (which must exist); returns their paths. Either
/// both are written, whole and 0600, or neither; an existing file is never replaced.
/// `contact_id` is `None` for a request by someone not in the register: the answer then says
/// that no data is held about them, still with the facts of Art. 15.
pub fn write(
    tx: &Tx,
    contact_id: Option<i64>,
    request_id: &str,
    lang: Lang,
    dir: &Path,
    today: NaiveDate,
    zone: Tz,
) -> Result<Vec<PathBuf>> {
    file::check_dir(dir, "--output")?;
    let files = render(tx, contact_id, request_id, lang, today, zone)?;
    file::write_new(dir, &files)
}

/// The answer's files, `R-….json` and `R-….md`, as names and contents (for writing once
/// the disclosure is recorded).
pub fn render(
    tx: &Tx,
    contact_id: Option<i64>,
    request_id: &str,
    lang: Lang,
    today: NaiveDate,
    zone: Tz,
) -> Result<Vec<(String, Vec<u8>)>> {
    let stem = file_stem(request_id)?;
    let pv = policy::in_force_on(tx, today, zone)?;
    let held = contact_id
        .map(|id| Held::load(tx, id, today, zone))
        .transpose()?;
    let mut data = serde_json::to_vec_pretty(&json(
        &pv.policy,
        pv.version,
        held.as_ref(),
        request_id,
        today,
    ))
    .map_err(std::io::Error::from)?;
    data.push(b'\n');
    let doc = document(&pv.policy, held.as_ref(), request_id, lang, today, zone);
    Ok(vec![
        (format!("{stem}.json"), data),
        (
            format!("{stem}.md"),
            doc.to_text(TableStyle::Plain).into_bytes(),
        ),
    ])
}

/// The machine-readable answer: which request, which description, and the data held (the
/// sections as `contact show --format json` has them, with `requests`), or `null`.
pub fn json(
    p: &Policy,
    policy_version: i64,
    held: Option<&Held>,
    request_id: &str,
    today: NaiveDate,
) -> Value {
    json!({
        "request": request_id,
        "answered_on": format_date(&today),
        "controller": controller_json(p),
        "policy_version": policy_version,
        "data_held": held.is_some(),
        "data": held.map(Held::to_json),
    })
}

/// `export subject`: the same data as the access answer's `data`, for the controller's own
/// use (another system, a lawyer's question), with who it is and when it was taken.
pub fn subject_json(
    p: &Policy,
    policy_version: i64,
    held: &Held,
    contact_id: i64,
    exported_at: &str,
) -> Value {
    json!({
        "contact": contact_id,
        "exported_at": exported_at,
        "controller": controller_json(p),
        "policy_version": policy_version,
        "data": held.to_json(),
    })
}

fn controller_json(p: &Policy) -> Value {
    json!({"name": p.controller.name, "business_id": p.controller.business_id})
}

impl Held {
    /// The sections as `contact show --format json` has them, with `requests`.
    pub fn to_json(&self) -> Value {
        Document {
            lang: Lang::En,
            zone: Tz::UTC,
            layout: Layout::Record,
            heading: Vec::new(),
            sections: self.sections.clone(),
        }
        .to_json()
    }
}

/// The readable answer, as Markdown.
pub fn document(
    p: &Policy,
    held: Option<&Held>,
    request_id: &str,
    lang: Lang,
    today: NaiveDate,
    zone: Tz,
) -> Document {
    let mut sections = vec![
        notice::register_section(p, lang).titled(lang.pick(
            "Controller and contact person",
            "Rekisterinpitäjä ja yhteyshenkilö",
        )),
        confirmation_section(held.is_some(), request_id, lang),
        notice::purposes_section(p, lang),
        with_note(
            notice::data_categories_section(p, lang),
            held.map(|h| match lang {
                Lang::En => format!(
                    "You are recorded in the category: {}.",
                    labels::category(h.contact.category, lang)
                ),
                Lang::Fi => format!(
                    "Sinut on merkitty rekisteriin ryhmään: {}.",
                    labels::category(h.contact.category, lang)
                ),
            }),
        ),
        with_note(
            notice::sources_section(p, lang),
            held.map(|h| match lang {
                Lang::En => format!(
                    "The data about you was obtained {}.",
                    labels::source(h.contact.source, lang)
                ),
                Lang::Fi => format!(
                    "Sinua koskevat tiedot on saatu {}.",
                    labels::source(h.contact.source, lang)
                ),
            }),
        ),
        notice::recipients_section(p, lang).when_empty(WhenEmpty::Say(
            lang.pick(
                "The data is not disclosed to any recipient.",
                "Tietoja ei luovuteta kenellekään.",
            )
            .to_string(),
        )),
        notice::transfers_section(p, lang).when_empty(WhenEmpty::Say(
            lang.pick(
                "No data is transferred outside the EU/EEA.",
                "Tietoja ei siirretä EU:n/ETA:n ulkopuolelle.",
            )
            .to_string(),
        )),
        with_note(
            notice::retention_section(p, lang),
            held.and_then(|h| p.retention_for(h.contact.category))
                .map(|r| {
                    let months = notice::months(r.months, lang);
                    let from = labels::retention_start(r.counted_from, lang);
                    match lang {
                        Lang::En => {
                            format!("Data about you is kept for {months} counted from {from}.")
                        }
                        Lang::Fi => format!("Sinua koskevia tietoja säilytetään {months} {from}."),
                    }
                }),
        ),
        notice::profiling_section(p, lang),
        rights_section(p, lang),
        complaint_section(lang),
    ];
    if let Some(h) = held {
        sections.push(
            Section::text(
                "data",
                lang.pick(
                    "Below is all the data the register holds about you.",
                    "Alla ovat kaikki tiedot, jotka rekisterissä on sinusta.",
                ),
            )
            .titled(lang.pick("The data we hold about you", "Sinua koskevat tiedot")),
        );
        sections.extend(h.sections.iter().map(|s| readable(s.clone(), lang, zone)));
    }
    let (title, line) = match lang {
        Lang::En => (
            format!("Answer to access request {request_id}"),
            format!(
                "The right of access (Article 15 of the General Data Protection Regulation). Answered on {}.",
                format_date(&today)
            ),
        ),
        Lang::Fi => (
            format!("Vastaus tarkastuspyyntöön {request_id}"),
            format!(
                "Tarkastusoikeus (EU:n yleisen tietosuoja-asetuksen 15 artikla). Vastaus annettu {}.",
                today.format("%-d.%-m.%Y")
            ),
        ),
    };
    Document {
        lang,
        zone,
        layout: Layout::Markdown,
        heading: vec![title, line],
        sections,
    }
}

fn with_note(s: Section, note: Option<String>) -> Section {
    match note {
        Some(n) => s.note(n),
        None => s,
    }
}

/// Art. 15(1): whether data about the person is processed at all.
fn confirmation_section(held: bool, request_id: &str, lang: Lang) -> Section {
    let text = match (lang, held) {
        (Lang::En, true) => format!(
            "Yes: we process personal data about you. All of it is at the end of this answer, under \u{201c}The data we hold about you\u{201d}, and in machine-readable form in the file {request_id}.json."
        ),
        (Lang::Fi, true) => format!(
            "Kyllä: käsittelemme sinua koskevia henkilötietoja. Kaikki tiedot ovat tämän vastauksen lopussa kohdassa \u{201d}Sinua koskevat tiedot\u{201d} ja koneluettavassa muodossa tiedostossa {request_id}.json."
        ),
        (Lang::En, false) => "The register holds no personal data about you. Only this request has been recorded, so that we can answer it and show that we did.".to_string(),
        (Lang::Fi, false) => "Rekisterissä ei ole sinua koskevia henkilötietoja. Ainoastaan tämä pyyntö on kirjattu, jotta voimme vastata siihen ja osoittaa vastanneemme.".to_string(),
    };
    Section::text("confirmation", text).titled(lang.pick(
        "Do we process your personal data?",
        "Käsittelemmekö henkilötietojasi?",
    ))
}

/// Art. 15(1)(e): rectification, erasure, restriction and objection (and the other rights
/// the register answers), worded as the privacy notice words them, and how to use them.
fn rights_section(p: &Policy, lang: Lang) -> Section {
    let items = [
        "rectification",
        "erasure",
        "restriction",
        "objection",
        "portability",
        "withdraw-consent",
    ]
    .iter()
    .filter_map(|k| wording::right(k))
    .map(|r| format!("{}: {}", r.heading(lang), r.paragraphs(lang).join(" ")))
    .collect();
    let cp = &p.contact_person;
    let who = [cp.name.as_str(), notice::requests_email(p)]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    Section::list("rights", items)
        .titled(lang.pick("Your rights", "Rekisteröidyn oikeudet"))
        .note(match lang {
            Lang::En => {
                format!("To use these rights, contact the register's contact person: {who}.")
            }
            Lang::Fi => format!(
                "Voit käyttää oikeuksiasi ottamalla yhteyttä rekisterin yhteyshenkilöön: {who}."
            ),
        })
}

/// Art. 15(1)(f) and Art. 77: the complaint to the Data Protection Ombudsman, as the
/// privacy notice words it.
fn complaint_section(lang: Lang) -> Section {
    let complaint = wording::right("complaint").map_or_else(Vec::new, |r| r.paragraphs(lang));
    Section::text("complaint", complaint.join("\n\n")).titled(lang.pick(
        "Right to lodge a complaint with a supervisory authority",
        "Oikeus tehdä valitus valvontaviranomaiselle",
    ))
}

/// A data section for a person to read: its heading in `lang`; the contact's fields under
/// their names, category and source in words.
fn readable(mut s: Section, lang: Lang, zone: Tz) -> Section {
    let title = match s.key {
        "contact" => lang.pick("Contact details", "Perustiedot"),
        "history" => lang.pick("Contact history", "Yhteydenottohistoria"),
        "courses" => lang.pick("Courses", "Kurssit"),
        "purchases" => lang.pick("Purchases", "Ostohistoria"),
        "tags" => lang.pick("Customer segments (tags)", "Asiakasryhmät (tunnisteet)"),
        "holds" => lang.pick("Legal holds", "Säilytysvelvoitteet"),
        "consents" => lang.pick(
            "Consents and objections by purpose",
            "Suostumukset ja kiellot tarkoituksittain",
        ),
        "consent_events" => lang.pick("Consent events", "Suostumustapahtumat"),
        "requests" => lang.pick("Your requests", "Tekemäsi pyynnöt"),
        other => other,
    };
    s.title = title.to_string();
    if let Body::Rows { headers, rows } = &mut s.body {
        for row in rows.iter_mut() {
            for (h, v) in headers.iter().zip(row.iter_mut()) {
                if let (true, Some(t)) = (h.ends_with("_at"), v.as_str()) {
                    *v = Value::from(time::display(t, zone));
                }
            }
        }
        for h in headers.iter_mut() {
            *h = column_label(h, lang);
        }
    }
    if let Body::Fields(fields) = &mut s.body {
        for (k, v) in fields.iter_mut() {
            let in_words = match (*k, v.as_str()) {
                ("category", Some(c)) => {
                    crate::model::contact::Category::parse(c).map(|c| labels::category(c, lang))
                }
                ("source", Some(c)) => {
                    crate::model::contact::Source::parse(c).map(|c| labels::source(c, lang))
                }
                _ => None,
            };
            if let Some(w) = in_words {
                *v = Value::from(w);
            }
            // Shown in local time here: the renderer would only know a time by its `_at` key.
            if let (true, Some(t)) = (k.ends_with("_at"), v.as_str()) {
                *v = Value::from(time::display(t, zone));
            }
            if let Some(label) = field_label(k, lang) {
                *k = label;
            }
        }
    }
    s
}

/// A column of a data section as a person reads it (its JSON key otherwise).
fn column_label(key: &'static str, lang: Lang) -> &'static str {
    let (en, fi) = match key {
        "date" => ("Date", "Päivämäärä"),
        "channel" => ("Channel", "Kanava"),
        "summary" => ("Summary", "Yhteenveto"),
        "feedback" => ("Feedback", "Palaute"),
        "recorded_at" => ("Recorded", "Kirjattu"),
        "operator" => ("Recorded by", "Kirjaaja"),
        "course" => ("Course", "Kurssi"),
        "completed" => ("Completed", "Suoritettu"),
        "grade" => ("Grade", "Arvosana"),
        "item" => ("Item", "Tuote"),
        "amount_eur" => ("Amount (EUR)", "Summa (EUR)"),
        "payment" => ("Payment", "Maksutapa"),
        "id" => ("Id", "Tunniste"),
        "active" => ("In force", "Voimassa"),
        "reason" => ("Reason", "Syy"),
        "until" => ("Until", "Päättyy"),
        "placed_at" => ("Placed", "Asetettu"),
        "placed_by" => ("Placed by", "Asettaja"),
        "released_at" => ("Released", "Vapautettu"),
        "released_by" => ("Released by", "Vapauttaja"),
        "purpose" => ("Purpose", "Tarkoitus"),
        "basis" => ("Legal basis", "Oikeusperuste"),
        "marketing" => ("Marketing", "Markkinointi"),
        "state" => ("State", "Tila"),
        "decided_at" => ("Decided", "Päätetty"),
        "why" => ("Why", "Selitys"),
        "event" => ("Event", "Tapahtuma"),
        "occurred_at" => ("When", "Ajankohta"),
        "kind" => ("Kind", "Laji"),
        "evidence" => ("Evidence", "Näyttö"),
        "override_objection" => ("Lifts an objection", "Kumoaa kiellon"),
        "policy_version" => ("Description version", "Selosteen versio"),
        "type" => ("Type", "Tyyppi"),
        "status" => ("Status", "Tila"),
        "received" => ("Received", "Vastaanotettu"),
        "due" => ("Due", "Määräpäivä"),
        "requester" => ("Requester", "Pyytäjä"),
        "details" => ("Details", "Tarkennukset"),
        "purposes" => ("Purposes", "Tarkoitukset"),
        "opened_at" => ("Opened", "Kirjattu"),
        "opened_by" => ("Opened by", "Kirjaaja"),
        "verified_at" => ("Identity verified", "Henkilöllisyys todennettu"),
        "verify_method" => ("How verified", "Todennustapa"),
        "extended_at" => ("Extended", "Jatkettu"),
        "extend_reason" => ("Reason for extension", "Jatkamisen syy"),
        "notified" => ("Extension notified", "Jatkosta ilmoitettu"),
        "fulfilled_at" => ("Carried out", "Toteutettu"),
        "outcome" => ("Outcome", "Lopputulos"),
        "completed_at" => ("Closed", "Käsitelty"),
        "note" => ("Note", "Huomautus"),
        "refused_at" => ("Refused", "Evätty"),
        "refuse_reason" => ("Reason for refusal", "Epäämisen syy"),
        "fee_eur" => ("Fee (EUR)", "Maksu (EUR)"),
        "lifted_at" => ("Restriction lifted", "Rajoitus päättynyt"),
        other => return other,
    };
    lang.pick(en, fi)
}

/// A contact section's key as a person reads it: the field table's label, or one of the
/// register's own columns.
fn field_label(key: &str, lang: Lang) -> Option<&'static str> {
    if let Some(f) = Field::by_column(key) {
        return Some(f.label(lang.pick("en", "fi")));
    }
    Some(match key {
        "id" => lang.pick("Id", "Tunniste"),
        "created_at" => lang.pick("Recorded", "Tallennettu"),
        "updated_at" => lang.pick("Last changed", "Muutettu viimeksi"),
        "restricted_at" => lang.pick("Processing restricted since", "Käsittely rajoitettu alkaen"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn someone_not_in_the_register_is_told_no_data_is_held_with_the_article_15_facts() {
        let p = Policy::default_policy();
        for lang in [Lang::Fi, Lang::En] {
            let t =
                document(&p, None, "R-2026-0003", lang, day(), Tz::UTC).to_text(TableStyle::Plain);
            let none = lang.pick(
                "The register holds no personal data about you.",
                "Rekisterissä ei ole sinua koskevia henkilötietoja.",
            );
            assert!(t.contains(none), "{t}");
            assert!(t.contains("https://tietosuoja.fi"), "{t}");
            assert!(!t.contains("R-2026-0003.json"), "{t}");
            let data = lang.pick("## The data we hold about you", "## Sinua koskevat tiedot");
            assert!(!t.contains(data), "{t}");
            let purposes = lang.pick(
                "## Purposes of processing",
                "## Henkilötietojen käsittelyn tarkoitukset ja oikeusperusteet",
            );
            assert!(t.contains(purposes), "{t}");
        }
        let j = json(&p, 1, None, "R-2026-0003", day());
        assert_eq!(j["data_held"], false);
        assert_eq!(j["data"], Value::Null);
        assert_eq!(j["answered_on"], "2026-11-23");
    }

    #[test]
    fn the_finnish_answer_is_dated_the_finnish_way_and_says_there_are_no_transfers() {
        let mut p = Policy::default_policy();
        p.transfers.clear();
        let t =
            document(&p, None, "R-2026-0003", Lang::Fi, day(), Tz::UTC).to_text(TableStyle::Plain);
        assert!(t.starts_with("# Vastaus tarkastuspyyntöön R-2026-0003\n\nTarkastusoikeus (EU:n yleisen tietosuoja-asetuksen 15 artikla). Vastaus annettu 23.11.2026.\n"), "{t}");
        assert!(
            t.contains("## Tietojen siirrot EU:n/ETA:n ulkopuolelle\n\nTietoja ei siirretä EU:n/ETA:n ulkopuolelle.\n"),
            "{t}"
        );
    }
}
