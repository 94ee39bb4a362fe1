//! `--excel`: CSV that Excel opens without running anything, and plain CSV stays lossless.

mod common;

use common::Reg;

const FORMULA: &str = "=HYPERLINK(\"http://x\",\"y\")";
const BOM: &str = "\u{feff}";

/// A contact whose values Excel would evaluate, and a phone it must leave as a number.
fn register_with_formulas() -> Reg {
    let r = Reg::new();
    r.add(
        "formula@example.fi",
        &[
            "--first-name",
            FORMULA,
            "--company",
            "@SUM(1)",
            "--notes=-2+3",
            "--phone",
            "+358401234567",
            "--category",
            "customer",
        ],
    );
    r
}

/// The rows of a CSV with this delimiter, as a map of header to cell per row.
fn rows(text: &str, delimiter: u8) -> Vec<std::collections::HashMap<String, String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().expect("headers").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Asserts the Excel dialect (BOM, `;`, CRLF on every line) and returns the text after the BOM.
fn excel_file(out: &str) -> &str {
    let text = out.strip_prefix(BOM).expect("the file starts with a BOM");
    assert!(
        text.starts_with("id;") || text.starts_with("email;"),
        "{text}"
    );
    assert!(text.ends_with("\r\n"), "{text:?}");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line ends with CRLF: {text:?}"
    );
    text
}

#[test]
fn export_contacts_excel_makes_formulas_text_and_keeps_the_phone() {
    let r = register_with_formulas();
    let out = r.ok(&["export", "contacts", "--excel"]);
    let row = &rows(excel_file(&out), b';')[0];
    assert_eq!(row["first_name"], format!("'{FORMULA}"));
    assert_eq!(row["company"], "'@SUM(1)");
    assert_eq!(row["notes"], "'-2+3");
    assert_eq!(row["phone"], "+358401234567");
    assert_eq!(row["email"], "formula@example.fi");
}

#[test]
fn semicolon_with_bom_is_the_excel_mode() {
    let r = register_with_formulas();
    let implied = r.ok(&["export", "contacts", "--delimiter", ";", "--bom"]);
    let explicit = r.ok(&["export", "contacts", "--excel"]);
    assert_eq!(implied, explicit);
    let row = &rows(excel_file(&implied), b';')[0];
    assert_eq!(row["first_name"], format!("'{FORMULA}"));
}

#[test]
fn plain_csv_keeps_every_value_verbatim() {
    let r = register_with_formulas();
    for args in [
        &["export", "contacts"][..],
        &["export", "contacts", "--delimiter", ";"],
        &["export", "contacts", "--bom"],
    ] {
        let out = r.ok(args);
        assert!(!out.contains('\r'), "{args:?}: no CRLF");
        let delimiter = if args.contains(&";") { b';' } else { b',' };
        let text = out.strip_prefix(BOM).unwrap_or(&out);
        assert_eq!(out.starts_with(BOM), args.contains(&"--bom"), "{args:?}");
        let row = &rows(text, delimiter)[0];
        assert_eq!(row["first_name"], FORMULA, "{args:?}");
        assert_eq!(row["company"], "@SUM(1)");
        assert_eq!(row["notes"], "-2+3");
        assert_eq!(row["phone"], "+358401234567");
    }
}

#[test]
fn export_mailing_list_excel_makes_formulas_text() {
    let r = register_with_formulas();
    let args = ["export", "mailing-list", "--purpose", "b2b-marketing"];
    let plain = r.ok(&args);
    let row = &rows(&plain, b',')[0];
    assert_eq!(row["first_name"], FORMULA);
    assert_eq!(row["company"], "@SUM(1)");

    let out = r.ok(&[&args[..], &["--excel"]].concat());
    let row = &rows(excel_file(&out), b';')[0];
    assert_eq!(row["email"], "formula@example.fi");
    assert_eq!(row["first_name"], format!("'{FORMULA}"));
    assert_eq!(row["company"], "'@SUM(1)");
}

#[test]
fn listings_in_excel_mode_make_formulas_text() {
    let r = register_with_formulas();
    // A value stored before validation refused it still must not run in Excel.
    r.sql()
        .execute("UPDATE contacts SET email = '+cmd|x@example.fi'", [])
        .expect("legacy value");
    for (args, name) in [
        (&["contact", "list", "--excel"][..], "name"),
        (&["contact", "list", "--format", "csv", "--excel"], "name"),
        (
            &["consent", "list", "--purpose", "b2b-marketing", "--excel"],
            "first_name",
        ),
    ] {
        let out = r.ok(args);
        let row = &rows(excel_file(&out), b';')[0];
        assert_eq!(row[name], format!("'{FORMULA}"), "{args:?}");
        assert_eq!(row["email"], "'+cmd|x@example.fi", "{args:?}");
    }
    // Without --excel the same listing is the stored value.
    let out = r.ok(&["contact", "list", "--format", "csv"]);
    let row = &rows(&out, b',')[0];
    assert_eq!(row["name"], FORMULA);
    assert_eq!(row["email"], "+cmd|x@example.fi");
    assert_eq!(row["company"], "@SUM(1)");
}

#[test]
fn contact_show_excel_makes_formulas_text() {
    let r = register_with_formulas();
    let out = r.ok(&["contact", "show", "formula@example.fi", "--excel"]);
    let text = out.strip_prefix(BOM).expect("BOM");
    assert!(text.starts_with("section;item;field;value\r\n"), "{text}");
    let value = |field: &str| {
        rows(text, b';')
            .into_iter()
            .find(|r| r["section"] == "contact" && r["field"] == field)
            .map(|r| r["value"].clone())
            .expect("field")
    };
    assert_eq!(value("first_name"), format!("'{FORMULA}"));
    assert_eq!(value("company"), "'@SUM(1)");
    assert_eq!(value("phone"), "+358401234567");
}

#[test]
fn excel_is_csv_and_refuses_other_formats() {
    let r = register_with_formulas();
    for format in ["json", "table"] {
        let err = r.fails(&["contact", "list", "--excel", "--format", format], 2);
        assert!(err.contains("--format") && err.contains(format), "{err}");
        assert!(err.contains("--excel writes CSV"), "{err}");
    }
    let err = r.fails(&["export", "contacts", "--excel", "--delimiter", ","], 2);
    assert!(err.contains("--delimiter") && err.contains("';'"), "{err}");
    // Refused before anything is disclosed.
    let events: i64 = r
        .sql()
        .query_row(
            "SELECT count(*) FROM audit_events WHERE action = 'contact.list' OR action LIKE 'export%'",
            [],
            |row| row.get(0),
        )
        .expect("count events");
    assert_eq!(events, 0);
}

#[test]
fn request_list_excel_is_the_excel_dialect_and_numbers_stay() {
    let r = register_with_formulas();
    r.ok(&["request", "open", "--type", "access", "--subject", "1"]);
    // Two months later the request is overdue: a negative days_left is a number, not a formula.
    let out = r
        .cmd()
        .env("REKISTERI_NOW", "2027-01-25T10:00:00Z")
        .args(["request", "list", "--excel"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = String::from_utf8(out.stdout).expect("utf-8");
    let row = &rows(excel_file(&out), b';')[0];
    assert_eq!(row["subject"], "1");
    assert!(row["days_left"].starts_with('-'), "{row:?}");
}
