//! `rekisteri export ropa`: the record of processing activities (Art. 30(1)).

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{path_str, Reg};

const EXAMPLE: &str = include_str!("../examples/policy.toml");

/// The CSV columns as the record documents them (src/output/ropa.rs, CSV_COLUMNS).
const COLUMNS: [&str; 13] = [
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

/// A register made from examples/policy.toml.
fn example() -> Reg {
    with_policy(EXAMPLE)
}

fn with_policy(text: &str) -> Reg {
    let r = Reg::bare();
    let f = r.file("policy.toml", text);
    r.ok(&["init", "--policy", path_str(&f)]);
    r
}

/// Runs and asserts success; returns (stdout, stderr).
fn run(r: &Reg, args: &[&str]) -> (String, String) {
    let out = r.cmd().args(args).output().expect("run");
    let (o, e) = (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    );
    assert!(out.status.success(), "{args:?}: {o}\n{e}");
    (o, e)
}

/// The `## …` headings of a Markdown record.
fn headings(md: &str) -> Vec<&str> {
    md.lines().filter_map(|l| l.strip_prefix("## ")).collect()
}

/// The lines of the entry under `heading`, up to the next one.
fn entry<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no entry {heading:?} in\n{md}"));
    let rest = &md[start + 3..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} differs from the snapshot (UPDATE_SNAPSHOTS=1 rewrites it); got\n{actual}"
    );
}

#[test]
fn the_example_has_one_entry_per_purpose_in_either_language() {
    let r = example();
    let (fi, _) = run(&r, &["export", "ropa"]);
    assert!(fi.starts_with("# Seloste käsittelytoimista\n"), "{fi}");
    assert_eq!(
        headings(&fi),
        [
            "Rekisterinpitäjä ja yhteystiedot",
            "Käsittelytoimi 1: customer-service",
            "Käsittelytoimi 2: courses",
            "Käsittelytoimi 3: accounting",
            "Käsittelytoimi 4: prospects",
            "Käsittelytoimi 5: group-administration",
            "Käsittelytoimi 6: newsletter",
            "Käsittelytoimi 7: b2b-marketing",
        ]
    );
    assert!(
        fi.contains(
            "versiosta 1, joka on voimassa 2026-11-23 alkaen (tallentanut tester 2026-11-23 12:00)"
        ),
        "{fi}"
    );
    let (en, _) = run(&r, &["export", "ropa", "--lang", "en", "--format", "md"]);
    assert!(
        en.starts_with("# Record of processing activities\n"),
        "{en}"
    );
    assert_eq!(headings(&en).len(), 8);
    assert_eq!(headings(&en)[7], "Processing activity 7: b2b-marketing");
    assert!(
        en.contains("from version 1 of the register description, in force since 2026-11-23"),
        "{en}"
    );
    let prospects = entry(&en, "Processing activity 4: prospects");
    for line in [
        "- **Legal basis:** legitimate interest (Art. 6(1)(f) GDPR)",
        "- **Legitimate interest:** There is a relevant connection",
        "- **Categories of data subjects:** Representatives of prospective customers",
    ] {
        assert!(prospects.contains(line), "{line:?} in\n{prospects}");
    }
}

#[test]
fn an_entry_has_what_its_purpose_links_and_marks_what_it_does_not() {
    let r = example();
    let (fi, _) = run(&r, &["export", "ropa"]);
    let courses = entry(&fi, "Käsittelytoimi 2: courses");
    assert!(
        courses.contains("- **Rekisteröityjen ryhmät:** Järjestämiimme koulutuksiin osallistuneet"),
        "{courses}"
    );
    assert!(
        courses.contains("- **Henkilötietoryhmät:**\n  - Perustiedot: nimi, sähköpostiosoite, puhelinnumero, yritys ja asema sekä yrityksen osoitetiedot\n  - Kurssilaisista lisäksi:"),
        "{courses}"
    );
    // Not linked to courses: the marketing data, the CRM provider, the newsletter service.
    for absent in [
        "Ostohistoria",
        "Asiakkuuspilvi Oy",
        "Postikyyhky",
        "ei rajattu",
    ] {
        assert!(!courses.contains(absent), "{absent:?} in\n{courses}");
    }
    assert!(
        courses
            .contains("- **Siirrot EU:n/ETA:n ulkopuolelle ja niiden suojatoimet:** ei siirtoja"),
        "{courses}"
    );

    let newsletter = entry(&fi, "Käsittelytoimi 6: newsletter");
    assert!(
        newsletter.contains("- **Vastaanottajat:** Postikyyhky Mail Inc. (henkilötietojen käsittelijä, US): uutiskirje- ja markkinointisähköpostipalvelu\n"),
        "{newsletter}"
    );
    assert!(
        newsletter.contains("- **Siirrot EU:n/ETA:n ulkopuolelle ja niiden suojatoimet:** Postikyyhky Mail Inc. (US): Euroopan komission hyväksymät vakiosopimuslausekkeet"),
        "{newsletter}"
    );
    assert!(
        newsletter.contains("- **Suoramarkkinointi:** opt-in: vain suostumuksella"),
        "{newsletter}"
    );

    // group-administration links recipients only: its subjects and data are the register's.
    let group = entry(&fi, "Käsittelytoimi 5: group-administration");
    assert!(
        group.contains("- **Rekisteröityjen ryhmät (kaikki rekisterin ryhmät: ei rajattu tähän käsittelytoimeen):**\n  - Asiakkaidemme edustajat"),
        "{group}"
    );
    // Every data category, also those no purpose links (purchases).
    for data in [
        "Perustiedot",
        "Ostohistoria ja maksutapa",
        "Kurssilaisista lisäksi",
    ] {
        assert!(
            group.contains(&format!("\n  - {data}")),
            "{data:?} in\n{group}"
        );
    }
    assert!(
        group.contains("- **Vastaanottajat:**\n  - Kuusiaho Automation Oy (konserniyhtiö, FI)"),
        "{group}"
    );
    assert!(!group.contains("Postikyyhky"), "{group}");
}

#[test]
fn the_built_in_description_has_its_three_purposes_their_subjects_and_interest() {
    let r = Reg::new();
    let (en, _) = run(&r, &["export", "ropa", "--lang", "en"]);
    assert_eq!(
        headings(&en),
        [
            "Controller and contact details",
            "Processing activity 1: customer-service",
            "Processing activity 2: newsletter",
            "Processing activity 3: b2b-marketing",
        ]
    );
    let b2b = entry(&en, "Processing activity 3: b2b-marketing");
    for line in [
        "- **Purpose of processing:** Marketing relevant to the recipient's work, until they object",
        "- **Legitimate interest:** There is a relevant connection between the person and us: they represent a customer of ours or contacted us on their own initiative, and the marketing is relevant to their work.\n",
        "- **Direct marketing:** opt-out: until the person objects",
        // The subjects it links to, not the students.
        "- **Categories of data subjects:**\n  - Representatives and contact persons of our customers\n  - Representatives of prospective customers with whom we have a relevant connection\n- **Categories of personal data",
        "- **Categories of personal data (all of the register's: not narrowed to this activity):**\n  - Basic data:",
        "- **Recipients:** none: the data is not disclosed",
        "  - data no longer needed is deleted at least every 24 months",
        "  - The register file is readable only by its owner (file mode 0600).",
    ] {
        assert!(b2b.contains(line), "{line:?} in\n{b2b}");
    }
    let (fi, _) = run(&r, &["export", "ropa"]);
    let cs = entry(&fi, "Käsittelytoimi 1: customer-service");
    assert!(
        cs.contains("- **Käsittelyn tarkoitus:** Asiakassuhteen ja asiakaspalvelun hoitaminen\n"),
        "{cs}"
    );
    assert!(
        cs.contains(
            "- **Oikeusperuste:** sopimus (tietosuoja-asetuksen 6 artiklan 1 kohdan b alakohta)"
        ),
        "{cs}"
    );
    // The built-in description is written in both languages: no English in the Finnish record.
    for english in ["Managing", "Basic data", "months", "readable only"] {
        assert!(!fi.contains(english), "{english:?} in\n{fi}");
    }
}

#[test]
fn csv_is_one_row_per_purpose_in_the_documented_columns() {
    let r = example();
    let (out, _) = run(&r, &["export", "ropa", "--format", "csv", "--lang", "en"]);
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), COLUMNS);
    let rows: Vec<csv::StringRecord> = rd.records().map(|x| x.unwrap()).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        ids,
        [
            "customer-service",
            "courses",
            "accounting",
            "prospects",
            "group-administration",
            "newsletter",
            "b2b-marketing"
        ]
    );
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    let newsletter = &rows[5];
    assert_eq!(&newsletter[col("version")], "1");
    assert_eq!(&newsletter[col("basis")], "consent");
    assert_eq!(&newsletter[col("marketing")], "opt-in");
    assert_eq!(&newsletter[col("legitimate_interest")], "");
    assert_eq!(newsletter[col("subjects")].split("; ").count(), 3);
    assert_eq!(newsletter[col("data_categories")].split("; ").count(), 3);
    assert_eq!(
        &newsletter[col("recipients")],
        "Postikyyhky Mail Inc. (processor, US): newsletter and marketing e-mail service"
    );
    assert!(
        newsletter[col("transfers")]
            .starts_with("Postikyyhky Mail Inc. (US): standard contractual clauses"),
        "{newsletter:?}"
    );
    assert_eq!(&newsletter[col("not_narrowed")], "");
    assert_eq!(
        &rows[4][col("not_narrowed")],
        "subjects; data_categories",
        "{:?}",
        rows[4]
    );
    assert_eq!(rows[0][col("security")].split("; ").count(), 6);
    assert!(
        rows[0][col("retention")].starts_with("We process and keep personal data only as long")
            && rows[0][col("retention")]
                .contains("; customer representative: 24 months from the end of the relationship"),
        "{:?}",
        rows[0]
    );

    // The global flags work on either side, and --excel is the Excel dialect.
    let (same, _) = run(&r, &["--format", "csv", "export", "ropa", "--lang", "en"]);
    assert_eq!(same, out);
    let excel = r
        .cmd()
        .args(["--excel", "export", "ropa"])
        .output()
        .unwrap()
        .stdout;
    assert!(excel.starts_with("\u{feff}version;purpose;".as_bytes()));
    assert!(excel.windows(2).any(|w| w == b"\r\n"));
}

#[test]
fn formats_other_than_md_and_csv_are_refused() {
    let r = example();
    for (args, says) in [
        (
            &["--format", "json", "export", "ropa"][..],
            "\"json\": expected md (the default) or csv",
        ),
        (
            &["export", "ropa", "--format", "html"],
            "\"html\": expected md (the default) or csv",
        ),
        (
            &["export", "ropa", "--format", "md", "--excel"],
            "--excel writes CSV",
        ),
    ] {
        let err = r.fails(args, 2);
        assert!(
            err.contains("invalid --format") && err.contains(says),
            "{args:?}: {err}"
        );
    }
    let err = r.fails(&["export", "ropa", "--lang", "sv"], 2);
    assert!(err.contains("fi") && err.contains("en"), "{err}");
}

#[test]
fn output_writes_a_new_file_0600_whole_and_never_over_one() {
    let r = example();
    let (stdout, _) = run(&r, &["export", "ropa"]);
    let path = r.dir.path().join("seloste.md");
    let (out, err) = run(&r, &["export", "ropa", "--output", path_str(&path)]);
    assert_eq!(out, "", "the record goes to the file only");
    assert!(
        err.contains(
            "exported the record of processing activities, version 1 (7 entries, fi, md) to "
        ),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), stdout);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // A file that is there is left as it was.
    std::fs::write(&path, "my own notes").unwrap();
    let err = r.fails(&["export", "ropa", "-o", path_str(&path)], 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own notes");

    let csv = r.dir.path().join("seloste.csv");
    run(
        &r,
        &[
            "export",
            "ropa",
            "--format",
            "csv",
            "--output",
            path_str(&csv),
        ],
    );
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .starts_with("version,purpose,"));

    let missing = Path::new(r.dir.path()).join("no-such-dir").join("ropa.md");
    let err = r.fails(&["export", "ropa", "--output", path_str(&missing)], 2);
    assert!(
        err.contains("--output") && err.contains("existing directory"),
        "{err}"
    );
    assert!(!missing.exists());
    let hidden: Vec<String> = std::fs::read_dir(r.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "temp files left: {hidden:?}");
}

#[test]
fn a_text_in_one_language_is_shown_in_it_and_warned_of_by_field() {
    let text = EXAMPLE.replace(
        "description.en = \"Internal administration within the Kuusiaho group\"\n",
        "",
    );
    assert_ne!(text, EXAMPLE);
    let r = with_policy(&text);
    let (en, err) = run(&r, &["export", "ropa", "--lang", "en"]);
    assert!(
        err.contains("warning: version 1: purposes[group-administration].description has no English text; the Finnish one is shown"),
        "{err}"
    );
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        entry(&en, "Processing activity 5: group-administration")
            .contains("- **Purpose of processing:** Kuusiaho-konsernin sisäinen hallinto\n"),
        "{en}"
    );
    // In Finnish nothing is missing; a text the record does not show is not warned of either.
    let (_, err) = run(&r, &["export", "ropa"]);
    assert!(!err.contains("warning"), "{err}");
    let text = EXAMPLE.replace("cookies.en = ", "# cookies.en = ");
    let r = with_policy(&text);
    let (_, err) = run(&r, &["export", "ropa", "--lang", "en"]);
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn the_record_is_of_the_version_in_force_and_is_no_audit_event() {
    let r = Reg::new();
    let events = r.count("audit_events");
    let v2 = r.file("v2.toml", EXAMPLE);
    run(
        &r,
        &[
            "policy",
            "apply",
            path_str(&v2),
            "--effective",
            "2026-12-01",
        ],
    );
    let events_after_apply = r.count("audit_events");
    assert!(events_after_apply > events);
    let (md, err) = run(&r, &["export", "ropa", "--lang", "en"]);
    assert!(
        md.contains("from version 1 of the register description"),
        "{md}"
    );
    assert_eq!(headings(&md).len(), 4, "{md}");
    assert!(
        err.contains(
            "note: version 2 takes effect on 2026-12-01; this record is of version 1, in force now"
        ),
        "{err}"
    );
    assert_eq!(r.count("audit_events"), events_after_apply);

    let later = r
        .cmd()
        .env("REKISTERI_NOW", "2026-12-01T08:00:00Z")
        .args(["export", "ropa", "--lang", "en"])
        .output()
        .unwrap();
    let later = String::from_utf8(later.stdout).unwrap();
    assert!(
        later.contains("from version 2 of the register description, in force since 2026-12-01"),
        "{later}"
    );
    assert_eq!(headings(&later).len(), 8);
}

#[test]
fn both_seed_notices_make_a_record() {
    for (name, seed) in [
        ("seed1", include_str!("fixtures/seed1.toml")),
        ("seed2", include_str!("fixtures/seed2.toml")),
    ] {
        let r = with_policy(seed);
        let n = toml_purposes(seed);
        assert!(n > 0, "{name}");
        for lang in ["fi", "en"] {
            let (md, _) = run(&r, &["export", "ropa", "--lang", lang]);
            assert_eq!(headings(&md).len(), n + 1, "{name} {lang}: {md}");
            assert!(!md.contains("\n\n\n"), "{name} {lang}: {md}");
        }
    }
}

fn toml_purposes(text: &str) -> usize {
    text.lines().filter(|l| l.trim() == "[[purposes]]").count()
}

#[test]
fn the_example_record_is_as_snapshotted() {
    let r = example();
    let (fi, _) = run(&r, &["export", "ropa"]);
    snapshot("ropa_example_fi.md", &fi);
    let (en, _) = run(&r, &["export", "ropa", "--lang", "en"]);
    snapshot("ropa_example_en.md", &en);
}

#[test]
fn retention_given_only_in_words_is_the_records_time_limit() {
    // The first seed states retention in words, with no per-category rules.
    let r = with_policy(include_str!("fixtures/seed1.toml"));
    let (md, _) = run(&r, &["export", "ropa"]);
    assert!(
        md.contains("- **Poistamisen määräajat:** Henkilötietoja säilytetään niin kauan"),
        "{md}"
    );
    assert!(!md.contains("ei ole säilytysaikoja"), "{md}");
    let (csv, _) = run(&r, &["export", "ropa", "--format", "csv", "--lang", "en"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "retention").unwrap();
    for row in rows.records() {
        assert!(!row.unwrap()[col].is_empty(), "{csv}");
    }
}
