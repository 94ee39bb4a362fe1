//! Field validation and normalisation, shared by `contact add`, `contact edit` and imports.
//! Each function returns the stored form, or what is accepted (for the error message).

use unicode_security::MixedScript;

/// Unicode format characters (general category Cf, Unicode 15): invisible, yet they make a
/// string differ from the one it looks like (U+200B zero width space, U+FEFF byte order
/// mark, U+00AD soft hyphen, U+200D zero width joiner, the direction controls…).
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}'
        | '\u{890}'..='\u{891}' | '\u{8e2}' | '\u{180e}' | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{110bd}' | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0001}' | '\u{e0020}'..='\u{e007f}')
}

/// Characters that show nothing: white space, format characters, and the other default
/// ignorable code points (Unicode's Default_Ignorable_Code_Point: variation selectors, the
/// combining grapheme joiner, Hangul fillers…), and the blank braille pattern.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || is_format_char(c)
        || matches!(c,
            '\u{34f}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}' | '\u{2065}' | '\u{2800}' | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}' | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}'
            | '\u{e0000}'..='\u{e0fff}')
}

/// What an e-mail address is refused for beyond its form: each is a way to make an address
/// that looks like a stored one (an objecting person's) but is not, so it would pass as a
/// new person and land on a mailing list.
pub const EMAIL_INVISIBLE: &str = "expected an e-mail address without invisible characters \
     (zero-width spaces, byte order marks, soft hyphens and other format characters)";
pub const EMAIL_MIXED_LOCAL: &str = "expected an e-mail address whose part before the @ is \
     written in one script (not, say, Latin letters mixed with Cyrillic lookalikes)";
pub const EMAIL_MIXED_DOMAIN: &str = "expected an e-mail address whose domain labels are each \
     written in one script (not, say, Latin letters mixed with Cyrillic lookalikes)";
pub const EMAIL_LEADING: &str =
    "expected an e-mail address that does not start with =, +, - or @ (a spreadsheet formula)";

/// E-mail: one `@`, a local part, a domain with a dot; stored lower-cased so it is unique
/// case-insensitively. Unicode letters are allowed (internationalised addresses), but not
/// invisible characters, a local part or domain label mixing scripts (UTS #39 single-script
/// rule), or a leading `=`, `+`, `-` or `@`.
pub fn email(raw: &str) -> Result<String, &'static str> {
    const EXPECTED: &str = "expected an e-mail address like matti.meikalainen@example.fi";
    // Judged and stored in the composed compatibility form (NFKC): a decomposed `ä` or a
    // fullwidth letter is the address it looks like, not a new person.
    let normalized;
    let s = if raw.is_ascii() {
        raw.trim()
    } else {
        normalized = crate::model::normalize(raw.trim());
        normalized.trim()
    };
    if s.len() > 254 {
        return Err("expected an e-mail address of at most 254 characters");
    }
    // Format characters and other scripts are all outside ASCII: the common address skips
    // both checks (imports validate hundreds of thousands).
    let ascii = s.is_ascii();
    if !ascii && s.chars().any(is_format_char) {
        return Err(EMAIL_INVISIBLE);
    }
    if s.starts_with(['=', '+', '-', '@']) {
        return Err(EMAIL_LEADING);
    }
    let (local, domain) = s.split_once('@').ok_or(EXPECTED)?;
    if local.is_empty()
        || local.len() > 64
        || domain.contains('@')
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || local.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | '\\' | ']'
                )
        })
    {
        return Err(EXPECTED);
    }
    let (mut labels, mut tld) = (0, "");
    for l in domain.split('.') {
        if l.is_empty()
            || l.len() > 63
            || l.starts_with('-')
            || l.ends_with('-')
            || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return Err(EXPECTED);
        }
        labels += 1;
        tld = l;
    }
    if labels < 2 || tld.chars().count() < 2 || tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(EXPECTED);
    }
    if ascii {
        return Ok(s.to_ascii_lowercase());
    }
    // A combining mark with nothing before it to combine with shows as a stray accent (or
    // nothing) at the start of the address or of a domain label.
    let starts_with_mark = |part: &str| {
        part.chars()
            .next()
            .is_some_and(unicode_normalization::char::is_combining_mark)
    };
    if starts_with_mark(local) || domain.split('.').any(starts_with_mark) {
        return Err(EXPECTED);
    }
    if !local.is_single_script() {
        return Err(EMAIL_MIXED_LOCAL);
    }
    // Per label, as browsers judge domain names: `пример.fi` is a real Cyrillic domain.
    if !domain.split('.').all(|l| l.is_single_script()) {
        return Err(EMAIL_MIXED_DOMAIN);
    }
    Ok(crate::model::casefold(s))
}

/// Why a stored contact's e-mail or name would be refused today (`rekisteri check`): the
/// fields, each with what is accepted. The rules are [`email`] and [`text`], so a value the
/// register accepts now is never listed.
pub fn stored_identity_problems(
    email: &str,
    first_name: Option<&str>,
    last_name: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match self::email(email) {
        Err(e) => out.push(("email", e.to_string())),
        Ok(today) if today != email => out.push((
            "email",
            "stored in another Unicode form than today's rules give (a decomposed or fullwidth \
             letter): it does not match the address as typed; correct it with `contact edit`"
                .to_string(),
        )),
        Ok(_) => {}
    }
    for (field, v) in [("first_name", first_name), ("last_name", last_name)] {
        if let Some(Err(e)) = v.map(|v| text(v, NAME_MAX)) {
            out.push((field, e));
        }
    }
    out
}

/// The longest name (and other short text field) kept.
pub const NAME_MAX: usize = 200;

/// Finnish business ID (Y-tunnus) `1234567-8`, check digit included. The older six-digit
/// form `123456-7` is accepted and padded with a leading zero.
pub fn business_id(raw: &str) -> Result<String, &'static str> {
    const EXPECTED: &str =
        "expected a Finnish business ID like 1234567-1 (seven digits, a hyphen and a valid check digit)";
    let s = raw.trim();
    let (digits, check) = s.split_once('-').ok_or(EXPECTED)?;
    if !(6..=7).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || check.len() != 1
        || !check.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(EXPECTED);
    }
    let mut id = String::with_capacity(9);
    for _ in digits.len()..7 {
        id.push('0');
    }
    id.push_str(digits);
    let expected = business_id_check_digit(&id).ok_or(EXPECTED)?;
    if check.as_bytes()[0] - b'0' != expected {
        return Err(
            "the check digit does not match: expected a Finnish business ID like 1234567-1",
        );
    }
    id.push('-');
    id.push_str(check);
    Ok(id)
}

/// The check digit of seven digits, or None when the remainder is 1 (no valid ID exists).
pub fn business_id_check_digit(seven: &str) -> Option<u8> {
    const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = seven
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some((11 - r) as u8),
    }
}

/// Phone numbers in international form (E.164, `+358401234567`). Finland is the default
/// country: a number starting with a single 0 is Finnish (`040 123 4567`), `00` is the
/// international prefix. Spaces, hyphens, dots, slashes and brackets are dropped.
pub fn phone(raw: &str) -> Result<String, &'static str> {
    const EXPECTED: &str =
        "expected a phone number like +358 40 123 4567 or 040 123 4567 (7 to 15 digits)";
    let s = raw.trim();
    // "+358 (0)40 …": the bracketed trunk zero is not dialled from abroad.
    let s = if s.contains("(0)") {
        std::borrow::Cow::Owned(s.replace("(0)", ""))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    // The digits, then their prefix rewritten in place: one allocation.
    let mut digits = String::with_capacity(s.len() + 4);
    let mut plus = false;
    for (i, c) in s.chars().enumerate() {
        match c {
            '+' if i == 0 => plus = true,
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '/' | '(' | ')' | '\u{a0}' => {}
            _ => return Err(EXPECTED),
        }
    }
    // (dialled prefix to drop, country code to put in its place)
    let (drop, country) = if plus {
        (0, "")
    } else if digits.starts_with("00") {
        (2, "")
    } else if digits.starts_with('0') {
        (1, "358")
    } else {
        return Err(
            "expected a phone number with a country code (+358 40 123 4567) or a Finnish one starting with 0 (040 123 4567)",
        );
    };
    let international = &digits[drop..];
    if !(7..=15).contains(&(international.len() + country.len()))
        || (country.is_empty() && international.starts_with('0'))
    {
        return Err(EXPECTED);
    }
    digits.replace_range(..drop, if country.is_empty() { "+" } else { "+358" });
    Ok(digits)
}

/// Free text: trimmed, no control characters but newlines and tabs, at most `max` characters.
/// Empty means absent.
pub fn text(raw: &str, max: usize) -> Result<Option<String>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    // Direction overrides (U+202A..E, U+2066..9) make a terminal show text in another
    // order than stored: a name could be made to look like something else.
    if s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        return Err("expected text without control or text-direction characters".into());
    }
    // A name of zero-width spaces looks empty but is not: it could pass for "no name" or
    // for someone else's.
    if s.chars().all(is_invisible) {
        return Err(
            "expected text with a visible character (this has only invisible ones, such as \
             zero-width spaces)"
                .into(),
        );
    }
    // A string's byte length bounds its character count: count only when it could matter.
    if s.len() > max && s.chars().count() > max {
        return Err(format!("expected at most {max} characters"));
    }
    // Stored composed (NFC), so `Mätti` typed either way is the same name.
    if s.is_ascii() {
        return Ok(Some(s.to_string()));
    }
    use unicode_normalization::UnicodeNormalization;
    Ok(Some(s.nfc().collect()))
}

/// A euro amount `12.50` or `12,50` (Finnish decimal comma) as cents.
pub fn amount_cents(raw: &str) -> Result<i64, &'static str> {
    const EXPECTED: &str = "expected a euro amount like 120.50 or 120,50";
    let s = raw.trim().replace(['\u{a0}', ' '], "");
    let s = s.replace(',', ".");
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s),
    };
    let (euros, cents) = match s.split_once('.') {
        Some((e, c)) => (e.to_string(), c.to_string()),
        None => (s.clone(), String::new()),
    };
    if euros.is_empty()
        || euros.len() > 12
        || !euros.bytes().all(|b| b.is_ascii_digit())
        || cents.len() > 2
        || !cents.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(EXPECTED);
    }
    let e: i64 = euros.parse().map_err(|_| EXPECTED)?;
    let c: i64 = if cents.is_empty() {
        0
    } else {
        format!("{cents:0<2}").parse().map_err(|_| EXPECTED)?
    };
    let v = e * 100 + c;
    Ok(if neg { -v } else { v })
}

/// Cents shown as euros with two decimals.
pub fn format_cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email(" Matti.M@Example.FI ").unwrap(), "matti.m@example.fi");
        assert_eq!(email("äijä@esimerkki.fi").unwrap(), "äijä@esimerkki.fi");
        for bad in [
            "",
            "matti",
            "matti@",
            "@example.fi",
            "a@b",
            "a b@c.fi",
            "a@@c.fi",
            "a@-c.fi",
            "a@c..fi",
            "a@c.1",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_address_typed_decomposed_or_fullwidth_is_the_one_it_looks_like() {
        // ä as a + U+0308 (macOS), fullwidth ｊ and ＠, the ﬁ ligature.
        assert_eq!(
            email("ma\u{308}tti@example.fi").unwrap(),
            "mätti@example.fi"
        );
        assert_eq!(
            email("\u{ff4a}yrki@example.fi").unwrap(),
            "jyrki@example.fi"
        );
        assert_eq!(
            email("jyrki\u{ff20}example.fi").unwrap(),
            "jyrki@example.fi"
        );
        assert_eq!(email("\u{fb01}nn@example.fi").unwrap(), "finn@example.fi");
        assert_eq!(
            email("MA\u{308}TTI@EXAMPLE.FI").unwrap(),
            "mätti@example.fi"
        );
        assert_eq!(
            text("Ma\u{308}tti", NAME_MAX).unwrap().as_deref(),
            Some("Mätti")
        );
    }

    #[test]
    fn a_stored_address_in_another_form_is_reported() {
        let p = stored_identity_problems("ma\u{308}tti@example.fi", None, None);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("another Unicode form"), "{p:?}");
        assert!(stored_identity_problems("mätti@example.fi", Some("Mätti"), None).is_empty());
    }

    #[test]
    fn emails_refuse_invisible_characters_anywhere() {
        for bad in [
            "\u{200b}seed@example.fi",
            "se\u{200d}ed@example.fi",
            "\u{feff}seed@example.fi",
            "seed@exam\u{ad}ple.fi",
            "seed@example.fi\u{2060}",
            "seed\u{e0041}@example.fi",
        ] {
            assert_eq!(email(bad), Err(EMAIL_INVISIBLE), "{bad:?}");
        }
    }

    #[test]
    fn emails_refuse_mixed_scripts_but_not_one_script() {
        // Cyrillic а (U+0430) and е (U+0435) among Latin letters.
        assert_eq!(email("s\u{0435}ed@example.fi"), Err(EMAIL_MIXED_LOCAL));
        assert_eq!(email("seed@ex\u{0430}mple.fi"), Err(EMAIL_MIXED_DOMAIN));
        // Greek ο (U+03BF) in the top-level label.
        assert_eq!(email("seed@example.f\u{03bf}"), Err(EMAIL_MIXED_DOMAIN));
        // One script each: Finnish letters are Latin; a wholly Cyrillic local part or label.
        assert_eq!(
            email("äijä.öhman@esimerkki.fi").unwrap(),
            "äijä.öhman@esimerkki.fi"
        );
        assert!(email("иван@пример.рф").is_ok());
        assert!(email("ivan@пример.fi").is_ok());
        assert!(email("matti.2024_x-y@example.fi").is_ok());
    }

    #[test]
    fn emails_refuse_formula_starts() {
        for bad in [
            "=cmd@example.fi",
            "+358@example.fi",
            "-x@example.fi",
            "@a@example.fi",
        ] {
            assert_eq!(email(bad), Err(EMAIL_LEADING), "{bad}");
        }
        // Inside the local part they are ordinary characters.
        assert!(email("matti+news@example.fi").is_ok());
        assert!(email("a-b=c@example.fi").is_ok());
    }

    #[test]
    fn text_refuses_only_invisible_content() {
        for bad in [
            "\u{200b}",
            "\u{200b}\u{feff} \u{ad}",
            "\u{3164}",
            "\u{2800}\u{fe0f}",
        ] {
            assert!(
                text(bad, 10).unwrap_err().contains("visible character"),
                "{bad:?}"
            );
        }
        // An invisible character among visible ones is a matter for other rules.
        assert_eq!(
            text("Aino\u{200d}", 10).unwrap().as_deref(),
            Some("Aino\u{200d}")
        );
    }

    #[test]
    fn stored_identities_are_judged_by_todays_rules() {
        assert!(stored_identity_problems("aino@example.fi", Some("Aino"), None).is_empty());
        let got = stored_identity_problems("\u{200b}seed@example.fi", Some("\u{200b}"), Some("Ok"));
        let fields: Vec<_> = got.iter().map(|p| p.0).collect();
        assert_eq!(fields, ["email", "first_name"]);
        assert_eq!(got[0].1, EMAIL_INVISIBLE);
    }

    #[test]
    fn business_ids() {
        assert_eq!(business_id("0154088-5").unwrap(), "0154088-5"); // Insta Group Oy
        assert_eq!(business_id("1234567-1").unwrap(), "1234567-1");
        assert_eq!(business_id("154088-5").unwrap(), "0154088-5");
        assert!(business_id("1234567-2")
            .unwrap_err()
            .contains("check digit"));
        assert!(business_id("12345678").is_err());
        assert!(business_id("123456a-1").is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(phone("040 123 4567").unwrap(), "+358401234567");
        assert_eq!(phone("+358 40 123 4567").unwrap(), "+358401234567");
        assert_eq!(phone("+358 (0)40 123 4567").unwrap(), "+358401234567");
        assert_eq!(phone("0046 8 123 456").unwrap(), "+468123456");
        assert_eq!(phone("09-123 4567").unwrap(), "+35891234567");
        assert!(phone("401234567").is_err());
        assert!(phone("040 123 4567 ext").is_err());
        assert!(phone("+1").is_err());
        assert!(phone("+0401234567").is_err());
        assert!(phone("000401234567").is_err());
        assert_eq!(phone("0401234").unwrap(), "+358401234");
        assert!(phone("0401").is_err());
    }

    #[test]
    fn text_refuses_controls_and_direction_overrides() {
        assert_eq!(text("  Mäkelä ", 10).unwrap().as_deref(), Some("Mäkelä"));
        assert_eq!(text("   ", 10).unwrap(), None);
        assert!(text("a\u{7}b", 10).is_err());
        assert!(text("abc\u{202e}fdp.exe", 20).is_err());
        assert!(text("line one\nline two", 20).is_ok());
    }

    #[test]
    fn amounts() {
        assert_eq!(amount_cents("12,5").unwrap(), 1250);
        assert_eq!(amount_cents("12.05").unwrap(), 1205);
        assert_eq!(amount_cents("1 200").unwrap(), 120000);
        assert!(amount_cents("12.345").is_err());
        assert!(amount_cents("abc").is_err());
        assert_eq!(format_cents(120050), "1200.50");
    }

    /// Addresses of Latin and Cyrillic letters, invisible characters and formula starts.
    const EMAILISH: &str =
        "[a-zа-я\u{200b}\u{feff}\u{ad}=+.-]{1,8}@[a-zа-я\u{200b}-]{1,6}\\.(fi|рф|f\u{ad}i)";

    proptest::proptest! {
        #[test]
        fn validators_never_panic(s in "\\PC*") {
            let _ = email(&s);
            let _ = business_id(&s);
            let _ = phone(&s);
            let _ = amount_cents(&s);
            let _ = text(&s, 10);
        }

        #[test]
        fn an_accepted_email_has_no_format_characters_and_one_script_per_part(s in EMAILISH) {
            if let Ok(e) = email(&s) {
                proptest::prop_assert!(!e.chars().any(is_format_char));
                let (local, domain) = e.split_once('@').unwrap();
                proptest::prop_assert!(local.is_single_script());
                proptest::prop_assert!(domain.split('.').all(|l| l.is_single_script()));
                proptest::prop_assert!(!local.starts_with(['=', '+', '-']));
                // The stored form is a fixed point: looked up again, it is itself.
                proptest::prop_assert_eq!(email(&e), Ok(e.clone()));
            }
        }

        #[test]
        fn the_stored_form_of_any_address_is_a_fixed_point(s in "[a-zA-Zäöå\u{308}\u{ff21}-\u{ff3a}\u{ff41}-\u{ff5a}.]{1,8}@[a-zäö\u{308}\u{ff41}-\u{ff5a}]{1,6}\\.fi") {
            if let Ok(e) = email(&s) {
                proptest::prop_assert_eq!(email(&e), Ok(e.clone()));
                proptest::prop_assert_eq!(crate::model::casefold(&e), e.clone());
                // Composed where Unicode has a composed letter (j + U+0308 has none).
                proptest::prop_assert!(unicode_normalization::is_nfkc(&e), "{}", e);
                proptest::prop_assert!(!e.chars().any(|c| ('\u{ff00}'..='\u{ffef}').contains(&c)), "{}", e);
            }
        }

        #[test]
        fn every_computed_check_digit_validates(n in 0u32..10_000_000) {
            let seven = format!("{n:07}");
            if let Some(d) = business_id_check_digit(&seven) {
                let id = format!("{seven}-{d}");
                proptest::prop_assert_eq!(business_id(&id).unwrap(), id);
            }
        }

        #[test]
        fn finnish_mobiles_normalise(n in 1_000_000u32..9_999_999) {
            let local = format!("040 {n}");
            proptest::prop_assert_eq!(phone(&local).unwrap(), format!("+35840{n}"));
        }
    }
}
