//! The access and portability answers (issue 8), through the library API that `request
//! fulfil` calls, against a register made with the CLI.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{Reg, NOW};
use rekisteri::model::labels::Lang;
use rekisteri::model::time::{self, Tz};
use rekisteri::report::{access, portability};
use rekisteri::store::{IfMissing, Store};
use serde_json::Value;

const EMAIL: &str = "aino.aaltonen@example.fi";
/// The person's own request, as `request open` numbers it.
const REQUEST: &str = "R-2026-0001";
const HISTORY: &str = "Asked about the spring course; call back in March";

/// A register with one person holding something of every kind, and one request of theirs.
fn person() -> (Reg, i64) {
    let reg = Reg::new();
    let id = reg.add(
        EMAIL,
        &[
            "--first-name",
            "Aino",
            "--last-name",
            "Äälto-Öster",
            "--phone",
            "+358 40 765 4321",
            "--company",
            "Öljy Oy",
            "--category",
            "student",
            "--customer-number",
            "C-1001",
            "--notes",
            "Prefers letters",
        ],
    );
    let s = id.to_string();
    reg.ok(&[
        "contact",
        "log",
        &s,
        "--channel",
        "phone",
        "--summary",
        HISTORY,
    ]);
    reg.ok(&[
        "contact",
        "course",
        &s,
        "--course",
        "GDPR basics",
        "--completed",
        "2026-10-01",
        "--grade",
        "5",
    ]);
    reg.ok(&[
        "contact",
        "purchase",
        &s,
        "--item",
        "Course fee",
        "--amount",
        "120,50",
    ]);
    reg.ok(&["contact", "tag", &s, "--add", "kevät-2027"]);
    reg.ok(&["contact", "hold", &s, "--reason", "invoice dispute 2026/14"]);
    reg.ok(&[
        "consent",
        "grant",
        &s,
        "--purpose",
        "newsletter",
        "--evidence",
        "ticked the box on the course form",
    ]);
    let r = reg.ok(&[
        "request",
        "open",
        "--type",
        "access",
        "--subject",
        &s,
        "--received",
        "2026-11-20",
        "--channel",
        "email",
        "--requester",
        "Aino herself",
        "--details",
        "Everything you have on me, please",
    ]);
    let r = r.split_whitespace().next().unwrap().to_string();
    assert_eq!(r, REQUEST);
    reg.ok(&[
        "request",
        "verify",
        &r,
        "--method",
        "reply from the registered address",
    ]);
    (reg, id)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn zone() -> Tz {
    time::parse_zone("Europe/Helsinki").unwrap()
}

fn store(reg: &Reg) -> Store {
    let now = time::parse_time(NOW, Tz::UTC).unwrap();
    Store::open(&reg.db, IfMissing::Refuse, now, "tester", false).unwrap()
}

fn access_answer(
    reg: &Reg,
    id: Option<i64>,
    lang: Lang,
    dir: &Path,
) -> rekisteri::Result<Vec<PathBuf>> {
    store(reg).read(|tx| access::write(tx, id, "R-2026-0007", lang, dir, today(), zone()))
}

fn out_dir(reg: &Reg) -> PathBuf {
    let d = reg.dir.path().join("answers");
    fs::create_dir(&d).unwrap();
    d
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// The `## ` headings of a Markdown document, in order.
fn headings(md: &str) -> Vec<&str> {
    md.lines().filter_map(|l| l.strip_prefix("## ")).collect()
}

#[test]
fn an_access_answer_holds_everything_about_the_person_in_two_0600_files() {
    let (reg, id) = person();
    let dir = out_dir(&reg);
    let paths = access_answer(&reg, Some(id), Lang::Fi, &dir).unwrap();
    assert_eq!(
        paths,
        vec![dir.join("R-2026-0007.json"), dir.join("R-2026-0007.md")]
    );
    for p in &paths {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
    // Only the two answers: no temp file is left beside them.
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);

    let j: Value = serde_json::from_slice(&fs::read(&paths[0]).unwrap()).unwrap();
    assert_eq!(j["request"], "R-2026-0007");
    assert_eq!(j["data_held"], true);
    let d = &j["data"];
    assert_eq!(d["contact"]["email"], EMAIL);
    assert_eq!(d["contact"]["last_name"], "Äälto-Öster");
    assert_eq!(d["contact"]["customer_number"], "C-1001");
    assert_eq!(d["history"][0]["summary"], HISTORY);
    assert_eq!(d["courses"][0]["course"], "GDPR basics");
    assert_eq!(d["purchases"][0]["amount_eur"], "120.50");
    assert_eq!(d["tags"][0], "kevät-2027");
    assert_eq!(d["holds"][0]["reason"], "invoice dispute 2026/14");
    assert_eq!(d["consent_events"][0]["purpose"], "newsletter");
    assert_eq!(d["consent_events"][0]["kind"], "granted");
    assert_eq!(
        d["consent_events"][0]["evidence"],
        "ticked the box on the course form"
    );
    assert_eq!(d["requests"][0]["id"], REQUEST);
    assert_eq!(d["requests"][0]["received"], "2026-11-20");
    assert_eq!(d["requests"][0]["status"], "verified");
    assert_eq!(
        d["requests"][0]["details"],
        "Everything you have on me, please"
    );
    assert_eq!(
        d["requests"][0]["verify_method"],
        "reply from the registered address"
    );
}

#[test]
fn the_finnish_answer_has_the_article_15_facts_then_the_data() {
    let (reg, id) = person();
    let dir = out_dir(&reg);
    access_answer(&reg, Some(id), Lang::Fi, &dir).unwrap();
    let md = fs::read_to_string(dir.join("R-2026-0007.md")).unwrap();
    assert!(
        md.starts_with("# Vastaus tarkastuspyyntöön R-2026-0007\n"),
        "{md}"
    );
    assert_eq!(
        headings(&md),
        [
            "Rekisterinpitäjä ja yhteyshenkilö",
            "Käsittelemmekö henkilötietojasi?",
            "Henkilötietojen käsittelyn tarkoitukset ja oikeusperusteet",
            "Käsiteltävät henkilötietoryhmät",
            "Rekisterin säännönmukaiset tietolähteet",
            "Henkilötietojen vastaanottajat ja käsittelijät",
            "Tietojen siirrot EU:n/ETA:n ulkopuolelle",
            "Henkilötietojen säilytysaika",
            "Automaattinen päätöksenteko ja profilointi",
            "Rekisteröidyn oikeudet",
            "Oikeus tehdä valitus valvontaviranomaiselle",
            "Sinua koskevat tiedot",
            "Perustiedot",
            "Yhteydenottohistoria",
            "Kurssit",
            "Ostohistoria",
            "Asiakasryhmät (tunnisteet)",
            "Säilytysvelvoitteet",
            "Suostumukset ja kiellot tarkoituksittain",
            "Suostumustapahtumat",
            "Tekemäsi pyynnöt",
        ]
    );
    for s in [
        "Kyllä: käsittelemme sinua koskevia henkilötietoja.",
        "tiedostossa R-2026-0007.json",
        "| oikeutettu etu ",
        "Sinut on merkitty rekisteriin ryhmään: kurssilainen.",
        "Sinua koskevat tiedot on saatu sinulta itseltäsi.",
        "Sinua koskevia tietoja säilytetään 24 kuukautta viimeisestä yhteydenotosta",
        "Oikeus tietojen oikaisemiseen (16 artikla)",
        "Oikeus tietojen poistamiseen (17 artikla)",
        "Oikeus käsittelyn rajoittamiseen (18 artikla)",
        "Vastustamisoikeus (21 artikla)",
        "tietosuojavaltuutettu",
        "https://tietosuoja.fi",
        "- **Sähköposti:** aino.aaltonen@example.fi",
        "- **Ryhmä:** kurssilainen",
        HISTORY,
        "| Päivämäärä ",
        "| Näyttö ",
        "| Todennustapa ",
        "Everything you have on me, please",
    ] {
        assert!(md.contains(s), "missing {s:?} in\n{md}");
    }
    // Labels are Finnish: none of the English ones.
    for en in [
        "## Your rights",
        "Data Protection Ombudsman",
        "- **email:**",
    ] {
        assert!(!md.contains(en), "{en:?} in\n{md}");
    }
}

#[test]
fn the_english_answer_has_the_same_parts_in_english() {
    let (reg, id) = person();
    let dir = out_dir(&reg);
    access_answer(&reg, Some(id), Lang::En, &dir).unwrap();
    let md = fs::read_to_string(dir.join("R-2026-0007.md")).unwrap();
    let h = headings(&md);
    for want in [
        "Controller and contact person",
        "Do we process your personal data?",
        "Purposes of processing",
        "Data categories",
        "Regular sources",
        "Recipients and processors",
        "Transfers outside the EU/EEA",
        "Retention",
        "Your rights",
        "Right to lodge a complaint with a supervisory authority",
        "The data we hold about you",
        "Contact details",
        "Your requests",
    ] {
        assert!(h.contains(&want), "{want:?} not in {h:?}");
    }
    assert!(
        md.contains("Data Protection Ombudsman (tietosuojavaltuutettu"),
        "{md}"
    );
    assert!(
        md.contains("The data about you was obtained from you."),
        "{md}"
    );
}

#[test]
fn someone_not_in_the_register_is_told_no_data_is_held() {
    let (reg, _) = person();
    let dir = out_dir(&reg);
    let paths = access_answer(&reg, None, Lang::Fi, &dir).unwrap();
    let j: Value = serde_json::from_slice(&fs::read(&paths[0]).unwrap()).unwrap();
    assert_eq!(j["data_held"], false);
    assert_eq!(j["data"], Value::Null);
    let md = fs::read_to_string(&paths[1]).unwrap();
    assert!(
        md.contains("Rekisterissä ei ole sinua koskevia henkilötietoja."),
        "{md}"
    );
    assert!(md.contains("tietosuojavaltuutettu"), "{md}");
    assert!(md.contains("## Henkilötietojen säilytysaika"), "{md}");
    assert!(!md.contains("## Sinua koskevat tiedot"), "{md}");
    // Nobody else's data slips in.
    assert!(!md.contains(EMAIL), "{md}");
    assert!(!String::from_utf8_lossy(&fs::read(&paths[0]).unwrap()).contains(EMAIL));
}

#[test]
fn an_existing_answer_is_never_overwritten_and_nothing_is_written() {
    let (reg, id) = person();
    let dir = out_dir(&reg);
    let md = dir.join("R-2026-0007.md");
    fs::write(&md, "an earlier answer").unwrap();
    let e = access_answer(&reg, Some(id), Lang::Fi, &dir).unwrap_err();
    assert_eq!(e.exit_code(), 1);
    assert!(e.to_string().contains(&md.display().to_string()), "{e}");
    assert_eq!(fs::read_to_string(&md).unwrap(), "an earlier answer");
    assert!(!dir.join("R-2026-0007.json").exists());
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn a_missing_directory_is_named_and_nothing_is_created() {
    let (reg, id) = person();
    let missing = reg.dir.path().join("no-such-dir");
    let e = access_answer(&reg, Some(id), Lang::En, &missing).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    assert!(msg.contains("--output"), "{msg}");
    assert!(msg.contains(&missing.display().to_string()), "{msg}");
    assert!(msg.contains("existing directory"), "{msg}");
    assert!(!missing.exists());
}

#[test]
fn a_portability_answer_is_the_provided_data_as_json_and_csv() {
    let (reg, id) = person();
    let dir = out_dir(&reg);
    let paths = store(&reg)
        .read(|tx| portability::write(tx, Some(id), "R-2026-0008", &dir, today()))
        .unwrap();
    assert_eq!(
        paths,
        vec![dir.join("R-2026-0008.json"), dir.join("R-2026-0008.csv")]
    );
    for p in &paths {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
    let j: Value = serde_json::from_slice(&fs::read(&paths[0]).unwrap()).unwrap();
    assert_eq!(j["request"], "R-2026-0008");
    assert_eq!(j["contact"]["email"], EMAIL);
    assert_eq!(j["contact"]["first_name"], "Aino");
    // What the controller assigned or wrote is not the person's to carry away.
    for assigned in ["id", "customer_number", "category", "source", "notes"] {
        assert!(j["contact"].get(assigned).is_none(), "{assigned}: {j}");
    }
    assert!(j.get("history").is_none(), "{j}");
    assert_eq!(j["consents"][0]["purpose"], "newsletter");
    assert_eq!(j["consents"][0]["kind"], "granted");
    assert_eq!(
        j["consents"][0]["evidence"],
        "ticked the box on the course form"
    );

    let csv = fs::read_to_string(&paths[1]).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "section,item,field,value");
    assert!(
        lines.contains(&"contact,,email,aino.aaltonen@example.fi"),
        "{csv}"
    );
    assert!(lines.contains(&"consents,1,kind,granted"), "{csv}");
    assert!(!csv.contains("C-1001"), "{csv}");

    // The same rules as the access answer: an existing file stays.
    let e = store(&reg)
        .read(|tx| portability::write(tx, Some(id), "R-2026-0008", &dir, today()))
        .unwrap_err();
    assert_eq!(e.exit_code(), 1, "{e}");
}

#[test]
fn contact_show_still_shows_every_section() {
    let (reg, id) = person();
    let out = reg.ok(&["--format", "json", "contact", "show", &id.to_string()]);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["contact"]["email"], EMAIL);
    assert_eq!(j["history"][0]["summary"], HISTORY);
    assert_eq!(j["consent_events"][0]["purpose"], "newsletter");
    for key in ["courses", "purchases", "tags", "holds", "consents"] {
        assert!(j.get(key).is_some(), "{key}: {j}");
    }
}
