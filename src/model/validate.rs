//! Field validation and normalisation, shared by `contact add`, `contact edit` and imports.
//! Each function returns the stored form, or what is accepted (for the error message).

/// E-mail: one `@`, a local part, a domain with a dot; stored lower-cased so it is unique
/// case-insensitively. Unicode letters are allowed (internationalised addresses).
pub fn email(raw: &str) -> Result<String, &'static str> {
    const EXPECTED: &str = "expected an e-mail address like matti.meikalainen@example.fi";
    let s = raw.trim();
    if s.len() > 254 {
        return Err("expected an e-mail address of at most 254 characters");
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
    Ok(s.to_lowercase())
}

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
    // A string's byte length bounds its character count: count only when it could matter.
    if s.len() > max && s.chars().count() > max {
        return Err(format!("expected at most {max} characters"));
    }
    Ok(Some(s.to_string()))
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
