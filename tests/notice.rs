//! `rekisteri export notice`: the privacy notice generated from the register description.
//!
//! The snapshots under tests/snapshots/notice/ are the whole notices for examples/policy.toml
//! and the built-in description, in both languages and both formats. After a deliberate
//! change of wording, rewrite them with `UPDATE_SNAPSHOTS=1 cargo test --test notice` and
//! read the diff.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{path_str, Reg};

const DEFAULT: &str = include_str!("../src/model/default_policy.toml");

/// `text` without its lines that start with any of `prefixes`.
fn without_lines(text: &str, prefixes: &[&str]) -> String {
    let kept: String = text
        .lines()
        .filter(|l| !prefixes.iter().any(|p| l.starts_with(p)))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(kept, text, "{prefixes:?}");
    kept
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/policy.toml")
}

fn example_text() -> String {
    fs::read_to_string(example()).unwrap()
}

/// A register created from the description `toml`.
fn with_policy(toml: &str) -> Reg {
    let r = Reg::bare();
    let f = r.file("policy.toml", toml);
    r.ok(&["init", "--policy", path_str(&f)]);
    r
}

/// Runs and returns (exit code, stdout, stderr).
fn run(r: &Reg, args: &[&str]) -> (i32, String, String) {
    let out = r.cmd().args(args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// `actual` is the snapshot `name`, or becomes it with UPDATE_SNAPSHOTS=1.
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/notice")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its snapshot at line {}:\n  expected: {:?}\n  actual:   {:?}\n(UPDATE_SNAPSHOTS=1 rewrites it)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

/// The `## ` headings of a Markdown notice.
fn headings(md: &str) -> Vec<&str> {
    md.lines().filter_map(|l| l.strip_prefix("## ")).collect()
}

#[test]
fn the_notice_of_the_example_description_in_both_languages_and_formats() {
    let r = with_policy(&example_text());
    for lang in ["fi", "en"] {
        for format in ["md", "html"] {
            let (code, out, err) = run(
                &r,
                &["export", "notice", "--lang", lang, "--format", format],
            );
            assert_eq!(code, 0, "{err}");
            // Every text of the example is written in both languages: nothing to warn of.
            assert!(!err.contains("warning"), "{lang} {format}: {err}");
            snapshot(&format!("example.{lang}.{format}"), &out);
        }
    }
}

#[test]
fn the_notice_of_the_built_in_description_in_both_languages_and_formats() {
    let r = Reg::new();
    for lang in ["fi", "en"] {
        for format in ["md", "html"] {
            let out = r.ok(&["export", "notice", "--lang", lang, "--format", format]);
            snapshot(&format!("default.{lang}.{format}"), &out);
        }
    }
    // Finnish and Markdown are the defaults.
    assert_eq!(
        r.ok(&["export", "notice"]),
        r.ok(&["export", "notice", "--lang", "fi", "--format", "md"])
    );
}

#[test]
fn the_finnish_notice_has_the_sections_of_a_finnish_tietosuojaseloste() {
    let md = with_policy(&example_text()).ok(&["export", "notice"]);
    assert!(
        md.starts_with(
            "# Tietosuojaseloste\n\nKuusiaho-konsernin asiakas- ja markkinointirekisteri\n\n"
        ),
        "{md}"
    );
    assert_eq!(
        headings(&md),
        [
            "1. Rekisterinpitäjä",
            "2. Henkilötietojen käsittelyn tarkoitukset",
            "3. Henkilötietojen käsittelyn oikeusperuste",
            "4. Käsiteltävät henkilötietoryhmät",
            "5. Rekisterin säännönmukaiset tietolähteet",
            "6. Henkilötietojen vastaanottajat",
            "7. Tietojen siirto EU:n tai ETA:n ulkopuolelle",
            "8. Henkilötietojen säilytysaika",
            "9. Rekisteröidyn oikeudet",
            "10. Henkilötietojen käsittely ja profilointi",
            "11. Henkilötietojen jatkokäsittely",
            "12. Yleinen kuvaus rekisterinpitäjän asianmukaisista teknisistä ja organisatorisista turvatoimista",
            "13. Evästeet ja verkkosivujen analytiikka",
            "14. Tietosuojaselosteen muuttaminen",
        ]
    );
    for s in [
        // The controller and the contact person.
        "- **Y-tunnus:** 1618033-3",
        "### Rekisteriasioiden yhteyshenkilö",
        "- **Puhelin:** +358 40 555 0123, +358 3 555 0100",
        // Purposes with their bases, and what the legitimate interest is.
        "(oikeusperuste: lakisääteinen velvoite)",
        "(oikeusperuste: suostumus, opt-in)",
        "(oikeusperuste: oikeutettu etu, opt-out)",
        "- oikeutettu etu (f alakohta): ",
        "Kuusiaho-konsernin sisäinen hallinto:** Konsernin yhtiöiden yhteiset asiakkuudet",
        // Opt-in and opt-out marketing and how to withdraw or object.
        "Suostumuksen voi peruuttaa milloin tahansa yhtä helposti kuin sen antoi",
        "Voit kieltää suoramarkkinoinnin milloin tahansa",
        // Data subjects, data, whether giving it is required.
        "Rekisteri sisältää tietoja seuraavista henkilöryhmistä:",
        "- **Tietojen antaminen:** ei ole pakollista",
        // Recipients by role, one only with permission, one outside the EU/EEA.
        "Henkilötietoja voidaan käsitellä konsernimme sisällä seuraavissa yhtiöissä:\n\n- Kuusiaho Automation Oy: ",
        "- Postikyyhky Mail Inc.: uutiskirje- ja markkinointisähköpostipalvelu (sijainti: Yhdysvallat)",
        "(vain luvallasi)",
        // The transfer and its safeguard.
        "- Postikyyhky Mail Inc. (Yhdysvallat): Euroopan komission hyväksymät vakiosopimuslausekkeet",
        // Retention per category, records and the deletion interval.
        "- **Asiakkaiden yhteyshenkilöt:** aktiivisen asiakassuhteen ajan ja kaksi vuotta sen päättymisen jälkeen (24 kuukautta asiakassuhteen päättymisestä)",
        "- **Kurssisuoritukset:** 24 kuukautta suorituspäivästä",
        "- **Rekisteröityjen oikeuksien käyttöä koskevat pyynnöt:** 60 kuukautta",
        "vähintään 24 kuukauden välein",
        // Every right, the authority, how to use them.
        "### Oikeus peruuttaa suostumus (7 artiklan 3 kohta)",
        "### Oikeus saada pääsy tietoihin (15 artikla)",
        "### Oikeus tietojen oikaisemiseen (16 artikla)",
        "### Oikeus tietojen poistamiseen (17 artikla)",
        "### Oikeus käsittelyn rajoittamiseen (18 artikla)",
        "### Oikeus siirtää tiedot järjestelmästä toiseen (20 artikla)",
        "### Vastustamisoikeus (21 artikla)",
        "### Oikeus tehdä valitus valvontaviranomaiselle (77 artikla)",
        "Tietosuojavaltuutetun toimisto",
        "osoitteeseen sanna.makela@kuusiaho.example",
        "meidän on varmistettava henkilöllisyytesi",
        "viimeistään kuukauden kuluessa",
        "enintään kahdella kuukaudella",
        "Oikeuksiesi käyttäminen on maksutonta",
        "kohtuullisen maksun tai kieltäytyä",
    ] {
        assert!(md.contains(s), "missing {s:?} in\n{md}");
    }
    // The description's ids and English labels are not in the Finnish notice.
    for not in [
        "b2b-marketing",
        "customer-service",
        "legitimate interest",
        "months",
    ] {
        assert!(!md.contains(not), "{not:?} in\n{md}");
    }
}

#[test]
fn without_transfers_and_cookies_the_notice_has_the_twelve_sections_of_the_second_seed() {
    let text = example_text()
        .replace("location = \"US\"", "location = \"EU/EEA\"")
        .lines()
        .filter(|l| !l.starts_with("cookies."))
        .collect::<Vec<_>>()
        .join("\n");
    // The [[transfers]] table runs to the next comment block.
    let start = text.find("\n[[transfers]]").unwrap();
    let end = start + text[start..].find("\n# How long").unwrap();
    let text = format!("{}{}", &text[..start], &text[end..]);
    let r = with_policy(&text);
    for (lang, transfers, cookies) in [
        ("fi", "EU:n tai ETA:n ulkopuolelle", "Evästeet"),
        ("en", "outside the EU or the EEA", "Cookies"),
    ] {
        let md = r.ok(&["export", "notice", "--lang", lang]);
        assert!(!md.contains(transfers), "{md}");
        assert!(!md.contains(cookies), "{md}");
        let html = r.ok(&["export", "notice", "--lang", lang, "--format", "html"]);
        assert!(
            !html.contains(transfers) && !html.contains(cookies),
            "{html}"
        );
        assert!(!html.contains("id=\"transfers\"") && !html.contains("id=\"cookies\""));
    }
    // The second seed's headings, in its order and numbered as it numbers them.
    assert_eq!(
        headings(&r.ok(&["export", "notice"])),
        [
            "1. Rekisterinpitäjä",
            "2. Henkilötietojen käsittelyn tarkoitukset",
            "3. Henkilötietojen käsittelyn oikeusperuste",
            "4. Käsiteltävät henkilötietoryhmät",
            "5. Rekisterin säännönmukaiset tietolähteet",
            "6. Henkilötietojen vastaanottajat",
            "7. Henkilötietojen säilytysaika",
            "8. Rekisteröidyn oikeudet",
            "9. Henkilötietojen käsittely ja profilointi",
            "10. Henkilötietojen jatkokäsittely",
            "11. Yleinen kuvaus rekisterinpitäjän asianmukaisista teknisistä ja organisatorisista turvatoimista",
            "12. Tietosuojaselosteen muuttaminen",
        ]
    );
}

#[test]
fn sections_the_description_leaves_empty_are_left_out() {
    let r = Reg::new();
    let md = r.ok(&["export", "notice", "--lang", "en"]);
    // The built-in description names no recipients, transfers, further processing or cookies.
    let h = headings(&md);
    for absent in ["Recipients", "Transfers", "Further", "Cookies"] {
        assert!(!h.iter().any(|t| t.contains(absent)), "{absent}: {h:?}");
    }
    assert!(
        h.contains(&"8. Automated decision-making and profiling"),
        "{h:?}"
    );
    assert_eq!(
        h.last(),
        Some(&"10. Changes to this privacy notice"),
        "{h:?}"
    );
    assert!(md.contains("groups of people"), "{md}");

    // Without its subjects and profiling, their lines and section go too.
    let start = DEFAULT.find("# Whose data").unwrap();
    let end = DEFAULT.find("data_categories = [").unwrap();
    let text = without_lines(
        &format!("{}{}", &DEFAULT[..start], &DEFAULT[end..]),
        &["subjects = [\"", "profiling."],
    );
    let r = with_policy(&text);
    let md = r.ok(&["export", "notice", "--lang", "en"]);
    let h = headings(&md);
    assert!(!h.iter().any(|t| t.contains("Automated")), "{h:?}");
    assert_eq!(
        h.last(),
        Some(&"9. Changes to this privacy notice"),
        "{h:?}"
    );
    assert!(
        !md.contains("Rekisteri sisältää") && !md.contains("groups of people"),
        "{md}"
    );
}

#[test]
fn html_escapes_every_policy_text() {
    let text = example_text().replace(
        "description.fi = \"Kuusiaho-konsernin asiakkaiden",
        "description.fi = \"<script>alert('x')</script> & <b>Kuusiaho-konsernin asiakkaiden",
    );
    let r = with_policy(&text);
    let html = r.ok(&["export", "notice", "--format", "html"]);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains(
            "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;Kuusiaho-konsernin"
        ),
        "{html}"
    );
    // A valid, self-contained HTML5 page.
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">\n")
    );
    assert!(html.contains(
        "<title>Tietosuojaseloste – Kuusiaho-konsernin asiakas- ja markkinointirekisteri</title>"
    ));
    assert!(html.contains("name=\"viewport\""));
    assert!(
        html.contains("max-width:44rem")
            && html.contains("@page{size:A4")
            && html.contains("@media print")
    );
    for external in [
        "<script", "<link", "<img", "src=", "href=", "url(", "@import",
    ] {
        assert!(!html.contains(external), "{external}");
    }
    assert_tags_balance(&html);
    // Markdown shows the text as written instead of running it as HTML.
    let md = r.ok(&["export", "notice"]);
    assert!(
        md.contains("\\<script\\>alert('x')\\</script\\> & \\<b\\>Kuusiaho"),
        "{md}"
    );
}

/// Every element the page opens is closed, in order (the void ones excepted).
fn assert_tags_balance(html: &str) {
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("a tag ends");
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if ["meta", "br", "hr", "img", "link"].contains(&name.as_str()) {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(
                open.pop().as_deref(),
                Some(name.as_str()),
                "</{name}> closes what is not open"
            );
        } else {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
}

#[test]
fn the_version_line_says_which_version_and_from_when() {
    let r = with_policy(&example_text());
    let md = r.ok(&["export", "notice"]);
    assert!(
        md.contains("\n\nVersio 1, voimassa 23.11.2026 alkaen.\n\n"),
        "{md}"
    );
    let en = r.ok(&["export", "notice", "--lang", "en"]);
    assert!(
        en.contains("\n\nVersion 1, in force from 23 November 2026.\n\n"),
        "{en}"
    );

    // A new version stored to take effect on a later day.
    let v2 = r.file(
        "v2.toml",
        example_text().replace(
            "deletion_interval_months = 24",
            "deletion_interval_months = 12",
        ),
    );
    r.ok(&[
        "policy",
        "apply",
        path_str(&v2),
        "--effective",
        "2027-01-01",
    ]);
    let (code, out, err) = run(&r, &["export", "notice"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Versio 1, voimassa 23.11.2026 alkaen."),
        "{out}"
    );
    assert!(out.contains("vähintään 24 kuukauden välein"), "{out}");
    assert!(
        err.contains("note: version 2 takes effect on 2027-01-01"),
        "{err}"
    );
    let pending = r.ok(&["export", "notice", "--version", "2"]);
    assert!(
        pending.contains("Versio 2, voimassa 1.1.2027 alkaen. Siihen asti voimassa on versio 1."),
        "{pending}"
    );
    assert!(
        pending.contains("vähintään 12 kuukauden välein"),
        "{pending}"
    );

    // Once it is in force, version 1 says it no longer is.
    let later = r
        .cmd()
        .env("REKISTERI_NOW", "2027-01-02T10:00:00Z")
        .args(["export", "notice", "--version", "1", "--lang", "en"])
        .output()
        .unwrap();
    let later = String::from_utf8(later.stdout).unwrap();
    assert!(
        later.contains("Version 1, which took effect on 23 November 2026. It is no longer in force: version 2 is in force now."),
        "{later}"
    );
    assert_eq!(run(&r, &["export", "notice", "--version", "9"]).0, 1);
}

#[test]
fn changes_since_a_version_are_summarised_material_first_in_the_notice_language() {
    let r = with_policy(&example_text());
    let v2 = example_text()
        .replace(
            "[[recipients]]\nname = \"Kurssilupa Oy\"",
            "[[recipients]]\nname = \"Pilvipalvelu Ltd\"\nrole = \"processor\"\npurpose.fi = \"varmuuskopiot\"\npurpose.en = \"backups\"\nlocation = \"GB\"\n\n[[recipients]]\nname = \"Kurssilupa Oy\"",
        )
        .replace(
            "[[transfers]]\nrecipient = \"Postikyyhky Mail Inc.\"",
            "[[transfers]]\nrecipient = \"Pilvipalvelu Ltd\"\ncountry = \"GB\"\nsafeguard.fi = \"Euroopan komission tietosuojan riittävyyttä koskeva päätös\"\nsafeguard.en = \"the European Commission's adequacy decision\"\n\n[[transfers]]\nrecipient = \"Postikyyhky Mail Inc.\"",
        )
        .replace(
            "[[retention]]\ncategory = \"student\"\nmonths = 24",
            "[[retention]]\ncategory = \"student\"\nmonths = 36",
        )
        .replace("title = \"Tietosuojakoordinaattori\"", "title = \"Tietosuojavastaava\"");
    let f = r.file("v2.toml", v2);
    r.ok(&["policy", "apply", path_str(&f), "--effective", "2027-01-01"]);

    let (code, md, err) = run(&r, &["export", "notice", "--changes-since", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("# Muutokset tietosuojaselosteeseen\n\nKuusiaho-konsernin asiakas- ja markkinointirekisteri\n\nTietosuojaselosteen muutokset versiosta 1 versioon 2. Muutokset tulevat voimaan 1.1.2027.\n"), "{md}");
    assert_eq!(
        headings(&md),
        ["Merkittävät muutokset", "Muut muutokset"],
        "{md}"
    );
    let (material, other) = md.split_once("## Muut muutokset").unwrap();
    for s in [
        "- Uusi vastaanottaja: Pilvipalvelu Ltd: varmuuskopiot (henkilötietojen käsittelijä; sijainti: Yhdistynyt kuningaskunta)",
        "- Uusi tietojen siirto EU:n tai ETA:n ulkopuolelle: Pilvipalvelu Ltd (Yhdistynyt kuningaskunta): Euroopan komission tietosuojan riittävyyttä koskeva päätös",
        "- Säilytysaika (Kurssilaiset): kaksi vuotta viimeisimmästä kurssista tai muusta tapahtumasta (36 kuukautta",
    ] {
        assert!(material.contains(s), "missing {s:?} in\n{material}");
    }
    assert!(
        other.contains(
            "- Yhteyshenkilön tehtävä: Tietosuojavastaava (aiemmin: Tietosuojakoordinaattori)"
        ),
        "{other}"
    );
    assert!(
        other.contains("osoitteeseen sanna.makela@kuusiaho.example"),
        "{other}"
    );

    let en = r.ok(&["export", "notice", "--changes-since", "1", "--lang", "en"]);
    assert!(en.contains("They take effect on 1 January 2027."), "{en}");
    assert_eq!(
        headings(&en),
        ["Significant changes", "Other changes"],
        "{en}"
    );
    assert!(
        en.contains(
            "- New recipient: Pilvipalvelu Ltd: backups (processor; location: the United Kingdom)"
        ),
        "{en}"
    );

    let html = r.ok(&[
        "export",
        "notice",
        "--changes-since",
        "1",
        "--format",
        "html",
    ]);
    assert!(html.contains("<h2>Merkittävät muutokset</h2>"), "{html}");
    assert_tags_balance(&html);
}

#[test]
fn changes_since_needs_an_earlier_version() {
    let r = with_policy(&example_text());
    let (code, _, err) = run(&r, &["export", "notice", "--changes-since", "1"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("invalid --changes-since \"1\": expected a version before version 1"),
        "{err}"
    );
    assert_eq!(run(&r, &["export", "notice", "--changes-since", "0"]).0, 2);
    let f = r.file(
        "same.toml",
        example_text().replace(
            "timezone = \"Europe/Helsinki\"",
            "timezone = \"Europe/Stockholm\"",
        ),
    );
    r.ok(&["policy", "apply", path_str(&f)]);
    // Only the time zone changed: the notice's content did not.
    let md = r.ok(&["export", "notice", "--changes-since", "1"]);
    assert!(
        md.contains("Tietosuojaselosteen sisältö ei ole muuttunut version 1 jälkeen."),
        "{md}"
    );
    assert!(headings(&md).is_empty(), "{md}");
    assert_eq!(run(&r, &["export", "notice", "--changes-since", "5"]).0, 1);
}

#[test]
fn output_writes_a_new_file_readable_only_by_its_owner() {
    let r = with_policy(&example_text());
    let path = r.dir.path().join("tietosuojaseloste.html");
    let (code, out, err) = run(
        &r,
        &[
            "export",
            "notice",
            "--format",
            "html",
            "--output",
            path_str(&path),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("exported the privacy notice, version 1 (fi, html) to "),
        "{err}"
    );
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(written, r.ok(&["export", "notice", "--format", "html"]));
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Never over an existing file, and nothing else is left behind.
    let (code, _, err) = run(&r, &["export", "notice", "--output", path_str(&path)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), written);
    let missing = r.dir.path().join("no-such-dir/notice.md");
    let (code, _, err) = run(&r, &["export", "notice", "--output", path_str(&missing)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--output"), "{err}");
    let mut names: Vec<String> = fs::read_dir(r.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("register.db"))
        .collect();
    names.sort();
    assert_eq!(names, ["policy.toml", "tietosuojaseloste.html"]);
}

#[test]
fn the_notice_is_no_audit_event_like_policy_show() {
    let r = with_policy(&example_text());
    let before = r.count("audit_events");
    r.ok(&["export", "notice"]);
    r.ok(&["policy", "show"]);
    assert_eq!(r.count("audit_events"), before);
}

#[test]
fn formats_are_those_of_documents_and_only_for_documents() {
    let r = Reg::new();
    for bad in [
        &["--format", "csv"][..],
        &["--format", "json"],
        &["--excel"],
    ] {
        let mut args = vec!["export", "notice"];
        args.extend_from_slice(bad);
        let (code, _, err) = run(&r, &args);
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(err.contains("--format"), "{err}");
    }
    let (code, _, err) = run(&r, &["contact", "list", "--format", "html"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("invalid --format \"html\": expected table, csv or json"),
        "{err}"
    );
}

#[test]
fn a_text_missing_in_the_notice_language_is_shown_in_the_other_and_named() {
    let seed1 =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed1.toml"))
            .unwrap();
    let r = with_policy(&seed1);
    let (code, md, err) = run(&r, &["export", "notice", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("Asiakassuhteiden hoitaminen ja ylläpito"),
        "{md}"
    );
    assert!(md.contains("## 1. Controller"), "{md}");
    for field in [
        "purposes[customer-relationships].description",
        "transfers[Google Ireland Ltd (Google Analytics)].safeguard",
        "cookies",
    ] {
        assert!(
            err.contains(&format!(
                "warning: version 1: {field} has no English text; the Finnish one is shown"
            )),
            "{field}: {err}"
        );
    }
    // In Finnish every text is there; what is left is the seed notice's own gap.
    let err = run(&r, &["export", "notice"]).2;
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(
        warnings,
        ["warning: version 1: data_provision is not given, so the notice does not say whether the person must give the data and what follows if not (Art. 13(2)(e))"],
        "{err}"
    );
}

#[test]
fn the_built_in_description_leaves_out_nothing_the_notice_must_tell() {
    let r = Reg::new();
    for lang in ["fi", "en"] {
        for format in ["md", "html"] {
            let (code, out, err) = run(
                &r,
                &["export", "notice", "--lang", lang, "--format", format],
            );
            assert_eq!(code, 0, "{err}");
            assert!(!out.is_empty());
            assert!(!err.contains("warning"), "{lang} {format}: {err}");
        }
    }
}

#[test]
fn a_notice_short_of_what_art_13_requires_is_written_and_warned_of_by_version() {
    let r = Reg::new();
    // b2b-marketing is on legitimate interest but does not say what the interest is.
    let text = without_lines(DEFAULT, &["legitimate_interest."]);
    let f = r.file("v2.toml", &text);
    r.ok(&["policy", "apply", path_str(&f)]);
    let (code, md, err) = run(&r, &["export", "notice", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(
        warnings,
        ["warning: version 2: purposes[b2b-marketing].legitimate_interest is not given, so the notice does not say what the legitimate interest is, for a purpose on that basis (GDPR Art. 13(1)(d))"],
        "{err}"
    );
    assert!(
        err.contains("exported the privacy notice, version 2 (en, md)"),
        "{err}"
    );
    // The notice is still written, whole but for the interest.
    assert!(md.contains("## 1. Controller"), "{md}");
    assert!(
        md.contains("Marketing relevant to the recipient's work, until they object"),
        "{md}"
    );
    assert!(md.contains("## 10. Changes to this privacy notice"), "{md}");
    assert!(!md.contains("the interest for each purpose is"), "{md}");
    // Into a file alike.
    let file = r.dir.path().join("notice.html");
    let (code, out, err) = run(
        &r,
        &[
            "export",
            "notice",
            "--format",
            "html",
            "--output",
            path_str(&file),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("warning: version 2: purposes[b2b-marketing].legitimate_interest"),
        "{err}"
    );
    assert!(fs::read_to_string(&file).unwrap().contains("</html>"));
    // Version 1, the built-in description, still has no gap.
    let (code, _, err) = run(&r, &["export", "notice", "--version", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
}
