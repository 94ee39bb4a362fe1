//! CSV for Excel: cells Excel would evaluate as formulas are made text.

use std::borrow::Cow;

/// Characters that make Excel read a cell as a formula (or as input to one).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A number as Excel reads one: an optional sign, digits, and at most one decimal part
/// (`.` or the Finnish `,`). A phone `+358401234567` or `-2.5` stays as it is.
pub fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = match digits.split_once(['.', ',']) {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.map_or(true, all_digits)
}

/// The cell as Excel must show it: one starting with `=`, `+`, `-`, `@`, tab or CR is
/// prefixed with `'` (so Excel shows it as text and runs nothing), unless it is a plain number.
pub fn excel_text(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            excel_text("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(excel_text("@SUM(1)"), "'@SUM(1)");
        assert_eq!(excel_text("-2+3"), "'-2+3");
        assert_eq!(excel_text("\tx"), "'\tx");
        assert_eq!(excel_text("\rx"), "'\rx");
        assert_eq!(excel_text("+"), "'+");
    }

    #[test]
    fn numbers_and_plain_text_stay() {
        for s in [
            "+358401234567",
            "-2.5",
            "-2,5",
            "42",
            "",
            "Ämmälä",
            "a=b",
            "seed@example.fi",
        ] {
            assert_eq!(excel_text(s), s);
        }
    }

    proptest! {
        #[test]
        fn no_cell_starts_a_formula(s in "\\PC*|[=+@\\t\\r-].*") {
            let out = excel_text(&s);
            prop_assert!(!out.starts_with(FORMULA_STARTS) || is_plain_number(&out));
            // Nothing is lost: the text is the original, after at most one added quote.
            prop_assert!(out == s || out.strip_prefix('\'') == Some(s.as_str()));
        }
    }
}
