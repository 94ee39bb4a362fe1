//! `rekisteri init` and `rekisteri policy show|history|apply`: the register description.

mod common;

use std::path::PathBuf;

use common::{path_str, Reg, NOW};
use rekisteri::model::policy::{Basis, Marketing, Policy, RecipientRole};
use serde_json::Value;

const DEFAULT: &str = include_str!("../src/model/default_policy.toml");

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/policy.toml")
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

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

/// The built-in description without its purposes' legitimate interest (b2b-marketing's).
fn default_without_interest() -> String {
    let text: String = DEFAULT
        .lines()
        .filter(|l| !l.starts_with("legitimate_interest."))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, DEFAULT);
    assert!(!text.contains("legitimate_interest"), "{text}");
    text
}

#[test]
fn init_creates_a_register_with_the_default_description() {
    let r = Reg::bare();
    let (code, out, err) = run(&r, &["init"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("created register"), "{err}");
    assert!(err.contains(path_str(&r.db)), "{err}");
    assert!(err.contains("built-in default"), "{err}");
    assert_eq!(r.count("policy_versions"), 1);
    let action: String = r
        .sql()
        .query_row("SELECT action FROM audit_events WHERE id = 1", [], |x| {
            x.get(0)
        })
        .unwrap();
    assert_eq!(action, "register.create");
    let shown = json(&r.ok(&["--format", "json", "policy", "show"]));
    let stored: Policy = serde_json::from_value(shown["policy"].clone()).unwrap();
    assert_eq!(stored, Policy::default_policy());
}

#[test]
fn example_policy_parses_and_has_what_the_seeds_have() {
    let text = std::fs::read_to_string(example()).unwrap();
    let p = Policy::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    for basis in [
        Basis::Contract,
        Basis::Consent,
        Basis::LegitimateInterest,
        Basis::LegalObligation,
    ] {
        assert!(p.purposes.iter().any(|x| x.basis == basis), "{basis:?}");
    }
    let n = p.purpose("newsletter").unwrap();
    assert_eq!(n.marketing, Some(Marketing::OptIn));
    let b = p.purpose("b2b-marketing").unwrap();
    assert_eq!(b.marketing, Some(Marketing::OptOut));
    let processors: Vec<String> = p
        .recipients
        .iter()
        .filter(|r| r.role == RecipientRole::Processor)
        .map(|r| r.purpose.summary())
        .collect();
    assert!(
        processors.iter().any(|x| x.contains("CRM")),
        "{processors:?}"
    );
    assert!(processors.iter().any(|x| x.contains("newsletter")));
    assert!(p
        .recipients
        .iter()
        .any(|r| r.role == RecipientRole::GroupCompany));
    assert!(p.transfers[0]
        .safeguard
        .summary()
        .contains("standard contractual clauses"));
    assert_eq!(p.retention.len(), 3);
    assert_eq!(p.deletion_interval_months, Some(24));
    assert!(p.profiling.is_some() && p.cookies.is_some());
    assert!(p
        .data_categories
        .iter()
        .any(|c| c.text.summary().contains("grades")));
}

#[test]
fn init_with_the_example_policy() {
    let r = Reg::bare();
    let (code, _, err) = run(&r, &["init", "--policy", path_str(&example())]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("examples/policy.toml"), "{err}");
    let out = r.ok(&["policy", "show"]);
    for s in [
        "Kuusiaho Group Oy (business ID 1618033-3)",
        "Sanna Mäkelä",
        "legal obligation",
        "opt-in: only with consent",
        "opt-out: until the person objects",
        "Transfers outside the EU/EEA",
        "standard contractual clauses",
        "group company",
        "24 months",
        "deleted at least every 24 months",
        "Profiling and automated decisions",
        "Cookies and web analytics",
        "Security measures",
        // 10:00 UTC, shown in the register's time zone.
        "version 1 (in force; stored 2026-11-23 12:00 by tester)",
        "Time zone       Europe/Helsinki",
    ] {
        assert!(out.contains(s), "missing {s:?} in\n{out}");
    }
}

#[test]
fn init_twice_fails_and_leaves_the_register_untouched() {
    let r = Reg::bare();
    r.ok(&["init"]);
    r.add("a@b.fi", &[]);
    let before = std::fs::read(&r.db).unwrap();
    let err = r.fails(&["init", "--policy", path_str(&example())], 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&r.db).unwrap(), before);
    assert_eq!(r.count("policy_versions"), 1);
    assert_eq!(r.count("contacts"), 1);
}

#[test]
fn invalid_toml_names_file_line_and_field_and_creates_nothing() {
    let r = Reg::bare();
    let text = DEFAULT.replace("[register]\n", "[register]\ncolour = \"punainen\"\n");
    let f = r.file("bad.toml", &text);
    let err = r.fails(&["init", "--policy", path_str(&f)], 2);
    let line = line_of(&text, "colour");
    assert!(err.contains("bad.toml"), "{err}");
    assert!(err.contains(&format!("line {line}")), "{err}");
    assert!(err.contains("`register.colour`"), "{err}");
    assert!(err.contains("colour = \"punainen\""), "{err}");
    assert!(err.contains("no register was created"), "{err}");
    assert!(!r.db.exists());

    // A syntax error: an unterminated string.
    let text = DEFAULT.replace("name = \"Esimerkki Oy\"", "name = \"Esimerkki Oy");
    let f = r.file("syntax.toml", &text);
    let err = r.fails(&["init", "--policy", path_str(&f)], 2);
    let line = line_of(&text, "Esimerkki Oy");
    assert!(err.contains(&format!("line {line}")), "{err}");
    assert!(err.contains("controller.name"), "{err}");
    assert!(!r.db.exists());

    let err = r.fails(&["init", "--policy", "no-such-file.toml"], 1);
    assert!(err.contains("cannot read no-such-file.toml"), "{err}");
    assert!(!r.db.exists());
}

#[test]
fn unknown_basis_value_is_named_with_what_is_accepted() {
    let r = Reg::bare();
    let text = DEFAULT.replace("basis = \"contract\"", "basis = \"sopimus\"");
    let f = r.file("basis.toml", &text);
    let err = r.fails(&["init", "--policy", path_str(&f)], 2);
    let line = line_of(&text, "sopimus");
    assert!(err.contains(&format!("line {line}")), "{err}");
    assert!(err.contains("`purposes.basis`"), "{err}");
    assert!(err.contains("sopimus"), "{err}");
    for accepted in [
        "contract",
        "consent",
        "legitimate-interest",
        "legal-obligation",
    ] {
        assert!(err.contains(accepted), "{err}");
    }
    assert!(!r.db.exists());
}

#[test]
fn opt_in_marketing_needs_the_consent_basis() {
    let r = Reg::bare();
    let text = DEFAULT.replace(
        "basis = \"consent\"\nmarketing = \"opt-in\"",
        "basis = \"legitimate-interest\"\nmarketing = \"opt-in\"",
    );
    let f = r.file("optin.toml", &text);
    let err = r.fails(&["init", "--policy", path_str(&f)], 2);
    // The line of the basis, just above the opt-in.
    let line = line_of(&text, "marketing = \"opt-in\"") - 1;
    assert!(err.contains(&format!("line {line}")), "{err}");
    assert!(err.contains("`purposes.basis`"), "{err}");
    assert!(err.contains("\"newsletter\" is opt-in marketing"), "{err}");
    assert!(!r.db.exists());
}

#[test]
fn show_in_every_format() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let table = r.ok(&["policy", "show"]);
    for s in [
        "Register description, version 1 (in force; stored 2026-11-23 12:00 by tester)",
        "Time zone       Europe/Helsinki",
        "Esimerkki Oy (business ID 1234567-1)",
        "Contact person",
        "Purposes of processing",
        "customer-service",
        "legitimate interest",
        "Data categories",
        "Regular sources",
        "Recipients and processors",
        "Transfers outside the EU/EEA",
        "Retention",
        "24 months",
        "Security measures",
    ] {
        assert!(table.contains(s), "missing {s:?} in\n{table}");
    }

    let j = json(&r.ok(&["--format", "json", "policy", "show"]));
    assert_eq!(j["version"], 1);
    assert_eq!(j["operator"], "tester");
    assert_eq!(j["created_at"], NOW);
    assert_eq!(j["in_force"], true);
    assert_eq!(j["policy"]["purposes"][1]["id"], "newsletter");
    assert_eq!(j["policy"]["purposes"][1]["marketing"], "opt-in");
    assert_eq!(j["policy"]["controller"]["business_id"], "1234567-1");

    let csv = r.ok(&["--format", "csv", "policy", "show"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "version,purpose,basis,marketing,description");
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[2].starts_with("1,newsletter,consent,opt-in,"),
        "{csv}"
    );
    assert!(
        lines[1].starts_with("1,customer-service,contract,,"),
        "{csv}"
    );
}

#[test]
fn apply_stores_a_version_prints_the_changes_and_history_lists_both() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let v2 = DEFAULT
        .replace(
            "[[purposes]]\nid = \"b2b-marketing\"",
            "[[purposes]]\nid = \"events\"\ndescription = \"Invitations to customer events\"\nbasis = \"consent\"\nmarketing = \"opt-in\"\n\n[[purposes]]\nid = \"b2b-marketing\"",
        )
        .replace(
            "category = \"customer\"\nmonths = 24",
            "category = \"customer\"\nmonths = 36",
        )
        .replace("name = \"Rekisterin yhteyshenkilö\"", "name = \"Åsa Öhman\"")
        .replace(
            "[[retention]]\ncategory = \"customer\"",
            "[[recipients]]\nname = \"Postikyyhky Mail Inc.\"\nrole = \"processor\"\npurpose = \"newsletter service\"\nlocation = \"US\"\n\n[[transfers]]\nrecipient = \"Postikyyhky Mail Inc.\"\ncountry = \"US\"\nsafeguard = \"standard contractual clauses\"\n\n[[retention]]\ncategory = \"customer\"",
        );
    let f = r.file("v2.toml", &v2);
    let (code, out, err) = run(&r, &["policy", "apply", path_str(&f)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Changes from version 1 to version 2:"),
        "{out}"
    );
    assert!(
        out.contains("+ purpose \"events\" added (consent, opt-in)  [material: new purpose]"),
        "{out}"
    );
    assert!(
        out.contains("~ retention of customer: 24 → 36 months  [material: longer retention]"),
        "{out}"
    );
    assert!(
        out.contains("+ recipient \"Postikyyhky Mail Inc.\" added (processor, US)  [material: new recipient]"),
        "{out}"
    );
    assert!(
        out.contains("+ transfer to \"Postikyyhky Mail Inc.\" in US added"),
        "{out}"
    );
    assert!(
        out.contains("~ contact_person.name: \"Rekisterin yhteyshenkilö\" → \"Åsa Öhman\"\n"),
        "{out}"
    );
    assert!(
        out.contains("4 material change(s): tell the people in the register"),
        "{out}"
    );
    assert!(
        err.contains("stored register description version 2"),
        "{err}"
    );
    assert_eq!(r.count("policy_versions"), 2);

    let (object, detail): (String, String) = r
        .sql()
        .query_row(
            "SELECT object_ids, detail FROM audit_events WHERE action = 'policy.apply'",
            [],
            |x| Ok((x.get(0)?, x.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (object.as_str(), detail.as_str()),
        ("policy:2", "changes=5,material=4")
    );

    let h = r.ok(&["policy", "history"]);
    assert!(h.contains("initial description"), "{h}");
    assert!(h.contains("+purpose events"), "{h}");
    let h = json(&r.ok(&["--format", "json", "policy", "history"]));
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["version"], 1);
    assert_eq!(h[1]["version"], 2);
    assert_eq!(h[1]["operator"], "tester");
    assert_eq!(h[1]["created_at"], NOW);
    assert_eq!(h[1]["material"], true);
    let csv = r.ok(&["--format", "csv", "policy", "history"]);
    assert!(
        csv.starts_with("version,created_at,effective,operator,material,changes\n"),
        "{csv}"
    );

    // The new version is in force; the old one is kept and shown as superseded.
    let now = json(&r.ok(&["--format", "json", "policy", "show"]));
    assert_eq!(now["version"], 2);
    assert_eq!(now["policy"]["contact_person"]["name"], "Åsa Öhman");
    let old = r.ok(&["policy", "show", "--version", "1"]);
    assert!(old.contains("superseded: version 2 is in force"), "{old}");
    assert!(!old.contains("events"), "{old}");
    let err = r.fails(&["policy", "show", "--version", "7"], 1);
    assert!(err.contains("policy version"), "{err}");
}

#[test]
fn apply_identical_description_stores_nothing() {
    let r = Reg::bare();
    r.ok(&["init"]);
    // Same content, different comments and layout.
    let same = format!(
        "# a comment\n{}",
        DEFAULT.replace("months = 24", "months   =   24")
    );
    let f = r.file("same.toml", same);
    let events = r.count("audit_events");
    let out = r.ok(&["policy", "apply", path_str(&f)]);
    assert!(out.contains("no changes"), "{out}");
    assert_eq!(r.count("policy_versions"), 1);
    assert_eq!(r.count("audit_events"), events);
    let j = json(&r.ok(&["--format", "json", "policy", "apply", path_str(&f)]));
    assert_eq!(j["stored"], false);
    assert_eq!(j["version"], 1);
    assert_eq!(j["changes"].as_array().unwrap().len(), 0);
}

#[test]
fn apply_invalid_description_stores_nothing() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let text = DEFAULT.replacen("\nmonths = 24", "\nmonths = \"kaksi vuotta\"", 1);
    let f = r.file("bad.toml", &text);
    let err = r.fails(&["policy", "apply", path_str(&f)], 2);
    assert!(err.contains("`retention.months`"), "{err}");
    assert!(
        err.contains(&format!("line {}", line_of(&text, "kaksi"))),
        "{err}"
    );
    assert!(err.contains("nothing was stored"), "{err}");
    assert_eq!(r.count("policy_versions"), 1);
}

#[test]
fn removing_a_purpose_that_consents_refer_to_warns_and_keeps_them() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let id = r.add("liisa@example.fi", &[]);
    r.sql()
        .execute(
            "INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, occurred_at, recorded_at, operator, policy_version)
             VALUES (?1, 'newsletter', 'granted', 'consent', 'web', ?2, ?2, 'tester', 1)",
            rusqlite::params![id, NOW],
        )
        .unwrap();
    let text = DEFAULT.replace(
        "[[purposes]]\nid = \"newsletter\"\ndescription.fi = \"Sähköpostiuutiskirje sen tilaamiseen suostumuksensa antaneille\"\ndescription.en = \"E-mail newsletter to people who have consented\"\nbasis = \"consent\"\nmarketing = \"opt-in\"\nsubjects = [\"customers\", \"prospects\", \"students\"]\n",
        "",
    );
    assert_ne!(text, DEFAULT);
    let f = r.file("v2.toml", &text);
    let (code, out, err) = run(&r, &["policy", "apply", path_str(&f)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("- purpose \"newsletter\" removed"), "{out}");
    assert!(!out.contains("material change"), "{out}");
    assert!(
        err.contains(
            "warning: purpose \"newsletter\" was removed, but 1 consent event(s) refer to it"
        ),
        "{err}"
    );
    assert_eq!(r.count("policy_versions"), 2);
    assert_eq!(r.count("consent_events"), 1);
}

#[test]
fn apply_stores_a_description_the_notice_would_be_short_of_and_warns_of_what() {
    let r = Reg::bare();
    r.ok(&["init"]);
    // The built-in description leaves nothing out: no warning.
    let same = r.file("same.toml", DEFAULT);
    let (code, _, err) = run(&r, &["policy", "apply", path_str(&same)]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");

    // b2b-marketing is on legitimate interest but no longer says what the interest is.
    let f = r.file("v2.toml", default_without_interest());
    let (code, out, err) = run(&r, &["policy", "apply", path_str(&f)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Changes from version 1 to version 2:"),
        "{out}"
    );
    assert!(
        err.contains("stored register description version 2"),
        "{err}"
    );
    assert_eq!(r.count("policy_versions"), 2);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(
        warnings,
        ["warning: purposes[b2b-marketing].legitimate_interest is not given, so the notice does not say what the legitimate interest is, for a purpose on that basis (GDPR Art. 13(1)(d))"],
        "{err}"
    );
    let now = json(&r.ok(&["--format", "json", "policy", "show"]));
    assert_eq!(now["version"], 2);
    assert_eq!(now["policy"]["purposes"][2]["id"], "b2b-marketing");
    assert!(
        now["policy"]["purposes"][2]["legitimate_interest"].is_null(),
        "{now}"
    );

    // In JSON the warning stays on stderr and stdout is the JSON alone.
    let out = r
        .cmd()
        .args(["--format", "json", "policy", "apply", path_str(&f)])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        json(&String::from_utf8(out.stdout).unwrap())["stored"],
        false
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("purposes[b2b-marketing].legitimate_interest")
            && err.contains("Art. 13(1)(d)"),
        "{err}"
    );
}

#[test]
fn apply_json_lists_typed_changes() {
    let r = Reg::bare();
    r.ok(&["init"]);
    // On consent the purpose may not describe a legitimate interest: that goes too.
    let text = default_without_interest().replace(
        "basis = \"legitimate-interest\"\nmarketing = \"opt-out\"",
        "basis = \"consent\"\nmarketing = \"opt-in\"",
    );
    let f = r.file("v2.toml", &text);
    let j = json(&r.ok(&["--format", "json", "policy", "apply", path_str(&f)]));
    assert_eq!(j["stored"], true);
    assert_eq!(j["version"], 2);
    assert_eq!(j["previous_version"], 1);
    let c = j["changes"].as_array().unwrap();
    assert_eq!(c.len(), 3, "{j}");
    assert_eq!(c[0]["kind"], "purpose-basis-changed");
    assert_eq!(c[0]["id"], "b2b-marketing");
    assert_eq!(c[0]["old"], "legitimate-interest");
    assert_eq!(c[0]["new"], "consent");
    assert_eq!(c[0]["material"], true);
    assert_eq!(c[1]["kind"], "purpose-marketing-changed");
    assert_eq!(c[1]["material"], false);
    assert_eq!(c[2]["kind"], "purpose-interest-changed");
    assert_eq!(c[2]["id"], "b2b-marketing");
    assert_eq!(c[2]["new"], "");
    assert_eq!(c[2]["material"], false);
    assert_eq!(j["material"], 1);
}

#[test]
fn apply_reads_standard_input() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let text = DEFAULT.replace("months = 24", "months = 12");
    let out = r
        .cmd()
        .args(["policy", "apply", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("retention of customer: 24 → 12 months\n"),
        "{out}"
    );
    assert!(
        !out.contains("material"),
        "shorter retention is not material: {out}"
    );
    assert_eq!(r.count("policy_versions"), 2);
}

#[test]
fn record_rules_are_shown_and_a_longer_one_is_material() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let shown = r.ok(&["policy", "show"]);
    let at = line_of(&shown, "Retention of records");
    for (i, s) in [
        "| records ",
        "|--",
        "| course records                                         | 24 months | the completion of the course   |",
        "| contact history entries                                | 24 months | the date of the entry          |",
        "| completed and refused requests (without personal text) | 60 months | the day the request was closed |",
    ]
    .iter()
    .enumerate()
    {
        let line = shown.lines().nth(at + i).unwrap_or_default();
        assert!(line.starts_with(s), "line {i} {line:?} in\n{shown}");
    }
    // History kept longer (material), course records kept shorter (not).
    let text = DEFAULT
        .replace(
            "records = \"history\"\nmonths = 24",
            "records = \"history\"\nmonths = 36",
        )
        .replace(
            "records = \"courses\"\nmonths = 24",
            "records = \"courses\"\nmonths = 12",
        );
    assert_ne!(text, DEFAULT);
    let out = r
        .cmd()
        .args(["policy", "apply", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("~ record retention of history: 24 → 36 months  [material: longer retention]"),
        "{out}"
    );
    assert!(
        out.contains("~ record retention of courses: 24 → 12 months\n"),
        "{out}"
    );
    assert!(out.contains("1 material change(s)"), "{out}");
}

/// A version stored by an older or newer rekisteri: a key this one does not know, a value
/// today's checks refuse, and no `timezone` (older than the field).
fn store_foreign_version(r: &Reg) {
    let body = DEFAULT
        .replace("timezone = \"Europe/Helsinki\"\n", "")
        .replace(
            "deletion_interval_months = 24",
            "deletion_interval_months = 0\nwebsite = \"https://esimerkki.fi\"",
        )
        .replacen("[register]", "[register]\nlanguage = \"fi\"", 1);
    assert!(
        Policy::parse(&body).is_err(),
        "submitted, it would be refused"
    );
    r.sql()
        .execute(
            "INSERT INTO policy_versions (created_at, operator, body) VALUES ('2026-11-23T09:00:00Z', 'old', ?1)",
            [body],
        )
        .unwrap();
}

#[test]
fn stored_versions_stay_readable_when_rules_are_added() {
    let r = Reg::bare();
    r.ok(&["init"]);
    store_foreign_version(&r);

    let history = r.ok(&["--format", "csv", "policy", "history"]);
    assert!(
        history.contains("2,2026-11-23T09:00:00Z,2026-11-23,old,no,~deletion interval\n"),
        "{history}"
    );
    for args in [
        &["policy", "show", "--version", "2"][..],
        &["policy", "show"],
        &["--format", "json", "policy", "show"],
    ] {
        let out = r.ok(args);
        assert!(out.contains("Esimerkki Oy"), "{args:?}: {out}");
    }
    let j = json(&r.ok(&["--format", "json", "policy", "show"]));
    assert_eq!(j["version"], 2);
    // Missing fields take their defaults; unknown ones are not carried along.
    assert_eq!(j["policy"]["timezone"], "Europe/Helsinki");
    assert_eq!(j["policy"]["deletion_interval_months"], 0);
    assert!(j["policy"].get("website").is_none(), "{j}");

    // Commands that need the description in force still work with it...
    r.add("a@b.fi", &[]);
    r.ok(&[
        "consent",
        "grant",
        "a@b.fi",
        "--purpose",
        "newsletter",
        "--at",
        "2026-11-23",
        "--evidence",
        "signup form",
    ]);
    let status = r.ok(&["consent", "status", "a@b.fi"]);
    assert!(
        status.contains("consent given via email (event 1)"),
        "{status}"
    );
    // ...and a new version is compared against it.
    let out = r.ok(&["policy", "apply", path_str(&r.file("v3.toml", DEFAULT))]);
    assert!(out.contains("Changes from version 2 to version 3"), "{out}");
    assert!(
        out.contains("deletion of unneeded data at least every"),
        "{out}"
    );
}

#[test]
fn apply_words_bases_and_retention_starts_as_the_description_does() {
    let r = Reg::bare();
    r.ok(&["init"]);
    let text = default_without_interest()
        .replacen(
            "counted_from = \"ended\"",
            "counted_from = \"last-activity\"",
            1,
        )
        .replace(
            "basis = \"legitimate-interest\"\nmarketing = \"opt-out\"",
            "basis = \"consent\"\nmarketing = \"opt-in\"",
        );
    let f = r.file("v2.toml", &text);
    let out = r.ok(&["policy", "apply", path_str(&f)]);
    assert!(
        out.contains("\"b2b-marketing\": legal basis legitimate interest → consent"),
        "{out}"
    );
    let start = "the last contact or the end, whichever is later";
    assert!(
        out.contains(&format!(
            "retention of customer: counted from the end of the relationship → from {start}"
        )),
        "{out}"
    );
    // The description in force says it in the same words.
    let shown = r.ok(&["policy", "show"]);
    assert!(
        shown.contains(&format!("| customer | 24 months | {start} |")),
        "{shown}"
    );
}

/// Runs at another clock and asserts success; returns (stdout, stderr).
fn ok_at(r: &Reg, now: &str, args: &[&str]) -> (String, String) {
    let out = r
        .cmd()
        .env("REKISTERI_NOW", now)
        .args(args)
        .output()
        .expect("run");
    let (o, e) = (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    );
    assert!(out.status.success(), "{args:?} at {now}: {o}\n{e}");
    (o, e)
}

/// The built-in description with one more opt-in purpose.
fn with_events() -> String {
    format!(
        "{DEFAULT}\n[[purposes]]\nid = \"events\"\ndescription = {{ fi = \"Tapahtumakutsut\", en = \"Event invitations\" }}\nbasis = \"consent\"\nmarketing = \"opt-in\"\n"
    )
}

fn consent_versions(r: &Reg) -> Vec<(String, i64)> {
    let conn = r.sql();
    let mut st = conn
        .prepare("SELECT purpose, policy_version FROM consent_events ORDER BY id")
        .unwrap();
    st.query_map([], |x| Ok((x.get(0)?, x.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_version_applied_with_effective_stays_out_of_force_until_its_day() {
    let r = Reg::new();
    r.add("a@b.fi", &[]);
    let f = r.file("v2.toml", with_events());
    let (out, err) = ok_at(
        &r,
        NOW,
        &["policy", "apply", path_str(&f), "--effective", "2026-12-01"],
    );
    assert!(
        out.starts_with("Changes from version 1 to version 2 (takes effect on 2026-12-01):\n"),
        "{out}"
    );
    assert!(out.contains("+ purpose \"events\" added"), "{out}");
    assert!(
        out.contains("tell the people in the register about them before 2026-12-01"),
        "{out}"
    );
    assert!(
        err.contains("version 2 (1 change(s), 1 material); it takes effect on 2026-12-01, until then version 1 is in force"),
        "{err}"
    );

    // Until the day, version 1 is in force for every rule and every consent's version.
    let before = "2026-11-30T21:59:59Z"; // 23:59:59 in Helsinki
    let (shown, note) = ok_at(&r, before, &["--format", "json", "policy", "show"]);
    let shown = json(&shown);
    assert_eq!(
        (shown["version"].as_i64(), shown["in_force"].as_bool()),
        (Some(1), Some(true))
    );
    assert!(
        note.contains("version 2 takes effect on 2026-12-01"),
        "{note}"
    );
    let (pending, _) = ok_at(&r, before, &["policy", "show", "--version", "2"]);
    assert!(
        pending.contains("version 2 (takes effect on 2026-12-01; stored 2026-11-23 12:00 by tester; until then version 1 is in force)"),
        "{pending}"
    );
    let refused = r
        .cmd()
        .env("REKISTERI_NOW", before)
        .args([
            "consent",
            "grant",
            "a@b.fi",
            "--purpose",
            "events",
            "--evidence",
            "form",
        ])
        .output()
        .unwrap();
    assert_ne!(
        refused.status.code(),
        Some(0),
        "no purpose events before its day"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("events"));
    ok_at(
        &r,
        "2026-11-25T10:00:00Z",
        &[
            "consent",
            "grant",
            "a@b.fi",
            "--purpose",
            "newsletter",
            "--evidence",
            "form",
        ],
    );

    // From its first day (in the register's zone) version 2 is in force.
    let from = "2026-11-30T22:00:00Z";
    let (shown, _) = ok_at(&r, from, &["--format", "json", "policy", "show"]);
    assert_eq!(json(&shown)["version"], 2);
    assert_eq!(json(&shown)["effective"], "2026-12-01");
    ok_at(
        &r,
        from,
        &[
            "consent",
            "grant",
            "a@b.fi",
            "--purpose",
            "events",
            "--evidence",
            "form",
        ],
    );
    // A consent backdated to before the day records the version in force then.
    ok_at(
        &r,
        from,
        &[
            "consent",
            "withdraw",
            "a@b.fi",
            "--purpose",
            "newsletter",
            "--at",
            "2026-11-30",
        ],
    );
    assert_eq!(
        consent_versions(&r),
        vec![
            ("newsletter".to_string(), 1),
            ("events".to_string(), 2),
            ("newsletter".to_string(), 1)
        ]
    );

    // The history shows both, with the day each takes effect.
    let (h, _) = ok_at(&r, from, &["--format", "csv", "policy", "history"]);
    assert!(
        h.contains("\n1,2026-11-23T10:00:00Z,2026-11-23,tester,,initial description\n"),
        "{h}"
    );
    assert!(
        h.contains("\n2,2026-11-23T10:00:00Z,2026-12-01,tester,yes,+purpose events\n"),
        "{h}"
    );
    let audit: String = r
        .sql()
        .query_row(
            "SELECT detail FROM audit_events WHERE action = 'policy.apply'",
            [],
            |x| x.get(0),
        )
        .unwrap();
    assert_eq!(audit, "changes=1,material=1,effective=2026-11-30T22:00:00Z");
}

#[test]
fn effective_must_be_a_later_day_and_a_sooner_version_supersedes_a_pending_one() {
    let r = Reg::new();
    let f = r.file("v2.toml", with_events());
    for day in ["2026-11-23", "2026-01-01"] {
        let err = r.fails(&["policy", "apply", path_str(&f), "--effective", day], 2);
        assert!(err.contains("--effective"), "{err}");
        assert!(
            err.contains(day) && err.contains("a day after today (2026-11-23)"),
            "{err}"
        );
    }
    let err = r.fails(
        &["policy", "apply", path_str(&f), "--effective", "1.12.2026"],
        2,
    );
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    assert_eq!(r.count("policy_versions"), 1);

    r.ok(&["policy", "apply", path_str(&f), "--effective", "2026-12-01"]);
    // Applying the in-force text again at once cancels the pending version, with a warning.
    let back = r.file("v1.toml", DEFAULT);
    let (out, err) = ok_at(&r, NOW, &["policy", "apply", path_str(&back)]);
    assert!(
        out.contains("Changes from version 1 to version 3:"),
        "{out}"
    );
    assert!(out.contains("(none: the same as version 1)"), "{out}");
    assert!(
        err.contains("warning: version 2 was to take effect on 2026-12-01; version 3 takes effect before it, so version 2 will never be in force"),
        "{err}"
    );
    let (shown, _) = ok_at(
        &r,
        "2027-01-01T00:00:00Z",
        &["--format", "json", "policy", "show"],
    );
    assert_eq!(json(&shown)["version"], 3);
    let (h, _) = ok_at(&r, NOW, &["--format", "csv", "policy", "history"]);
    assert!(
        h.contains(
            "\n3,2026-11-23T10:00:00Z,2026-11-23,tester,no,(against version 1) no changes\n"
        ),
        "{h}"
    );
}

#[test]
fn a_register_from_before_effective_dates_is_migrated_and_its_versions_took_effect_when_stored() {
    let r = Reg::new();
    r.ok(&[
        "policy",
        "apply",
        path_str(&r.file("v2.toml", with_events())),
    ]);
    // As an older rekisteri left it: schema 2, no effective dates.
    r.sql()
        .execute_batch(
            "ALTER TABLE policy_versions DROP COLUMN effective_at;
             DROP INDEX consent_events_state; DROP INDEX contacts_restricted;
             CREATE INDEX consent_events_contact ON consent_events (contact_id, purpose);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    let h = r.ok(&["--format", "csv", "policy", "history"]);
    assert!(
        h.contains("\n2,2026-11-23T10:00:00Z,2026-11-23,tester,yes,+purpose events\n"),
        "{h}"
    );
    let effective: Vec<String> = r
        .sql()
        .prepare("SELECT effective_at FROM policy_versions ORDER BY version")
        .unwrap()
        .query_map([], |x| x.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(effective, vec![NOW, NOW]);
    assert_eq!(
        json(&r.ok(&["--format", "json", "policy", "show"]))["version"],
        2
    );
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn both_seed_notices_are_expressible_and_apply() {
    use rekisteri::model::labels::Lang;
    // Seed 1: no business ID, no contact person's e-mail, Finnish only.
    let text = std::fs::read_to_string(fixture("seed1.toml")).unwrap();
    let p = Policy::parse(&text).unwrap_or_else(|e| panic!("seed1: {e}"));
    assert_eq!(p.controller.business_id, "");
    assert_eq!(p.contact_person.email, "");
    assert_eq!(p.transfers[0].country, "US");
    assert!(p.cookies.is_some() && p.retention_description.is_some());
    // An English document would use the Finnish texts: every text says so.
    let fallbacks = p.fallbacks(Lang::En);
    assert!(
        fallbacks.contains(&"purposes[marketing].description".to_string()),
        "{fallbacks:?}"
    );
    assert!(fallbacks.contains(&"cookies".to_string()), "{fallbacks:?}");
    assert!(p.fallbacks(Lang::Fi).is_empty());

    // Seed 2: subjects, data provision, further processing, a second phone, a recipient
    // only with consent, retention as a relationship, purposes linked for the RoPA.
    let text = std::fs::read_to_string(fixture("seed2.toml")).unwrap();
    let p = Policy::parse(&text).unwrap_or_else(|e| panic!("seed2: {e}"));
    assert_eq!(p.subjects.len(), 3);
    assert_eq!(p.data_provision.as_ref().map(|d| d.obliged), Some(false));
    assert!(p.further_processing.is_some());
    assert_eq!(p.contact_person.other_phone, "020 771 7111");
    assert!(p.recipients.iter().any(|r| r.only_with_consent));
    assert!(p.retention[0]
        .description
        .as_ref()
        .unwrap()
        .in_lang(Lang::Fi)
        .starts_with("aktiivisen asiakassuhteen ajan"));
    assert_eq!(p.purpose("courses").unwrap().subjects, vec!["students"]);

    for seed in ["seed1.toml", "seed2.toml"] {
        let r = Reg::bare();
        let (code, _, err) = run(&r, &["init", "--policy", path_str(&fixture(seed))]);
        assert_eq!(code, 0, "{seed}: {err}");
        let shown = json(&r.ok(&["--format", "json", "policy", "show"]));
        let stored: Policy = serde_json::from_value(shown["policy"].clone()).unwrap();
        let text = std::fs::read_to_string(fixture(seed)).unwrap();
        assert_eq!(
            stored,
            Policy::parse(&text).unwrap(),
            "{seed} stored as given"
        );
        // The examples replace each other as versions of one register.
        let other = if seed == "seed1.toml" {
            "seed2.toml"
        } else {
            "seed1.toml"
        };
        let out = r.ok(&["policy", "apply", path_str(&fixture(other))]);
        assert!(out.contains("material: new controller"), "{out}");
    }
}

#[test]
fn the_example_is_bilingual_and_every_text_is_in_both_languages() {
    use rekisteri::model::labels::Lang;
    let text = std::fs::read_to_string(example()).unwrap();
    let p = Policy::parse(&text).unwrap();
    assert!(
        p.fallbacks(Lang::Fi).is_empty(),
        "{:?}",
        p.fallbacks(Lang::Fi)
    );
    assert!(
        p.fallbacks(Lang::En).is_empty(),
        "{:?}",
        p.fallbacks(Lang::En)
    );
    let b2b = p.purpose("b2b-marketing").unwrap();
    assert!(b2b
        .description
        .in_lang(Lang::Fi)
        .starts_with("Sähköinen suoramarkkinointi"));
    assert!(b2b
        .description
        .in_lang(Lang::En)
        .starts_with("Electronic marketing"));
    assert!(b2b.legitimate_interest.is_some());
    assert!(p.data_provision.is_some() && p.further_processing.is_some());
    // `policy show` (English) and the stored version read the English texts.
    let r = Reg::bare();
    r.ok(&["init", "--policy", path_str(&example())]);
    let out = r.ok(&["policy", "show"]);
    assert!(out.contains("Electronic marketing of products"), "{out}");
    assert!(!out.contains("Sähköinen suoramarkkinointi"), "{out}");
}
