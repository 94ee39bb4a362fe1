//! Rules of erasure that need no storage.

/// What a request's text reads after an erasure removed it for naming the person.
pub const TEXT_REMOVED: &str = "(removed by the erasure: it named the person)";

/// A person's identifying values as [`reason_mentions`] takes them.
pub type Identity<'a> = [(&'static str, Option<&'a str>); 4];

/// The (field, value) pairs of a person's e-mail, phone and names, for [`reason_mentions`].
pub fn identity<'a>(
    email: Option<&'a str>,
    phone: Option<&'a str>,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
) -> Identity<'a> {
    [
        ("email", email),
        ("phone", phone),
        ("first_name", first_name),
        ("last_name", last_name),
    ]
}

/// Which of the person's values a text repeats, if any: an erasure's reason stays in the audit
/// trail after the erasure, and a request's texts (how the identity was verified, a note)
/// with the request record, so one that names the person would keep what the erasure
/// removes. `values` are (field, value) pairs; e-mail and phone are matched as written
/// anywhere in the text, names as whole words or their Finnish inflected forms ("Åbergin",
/// "Virtaselle", "Matin"), all case-insensitively. A guard against a slip, not a proof: a
/// name can always be written so that no rule sees it.
pub fn reason_mentions(
    reason: &str,
    values: &[(&'static str, Option<&str>)],
) -> Option<&'static str> {
    let folded = crate::model::casefold(reason);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let digit_runs = digit_runs(reason);
    for &(field, value) in values {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        let v = crate::model::casefold(value);
        let found = match field {
            "email" => {
                folded.contains(&v)
                    || v.split_once('@').is_some_and(|(local, _)| {
                        // The local part alone, as a word of its own (dots and all).
                        local.chars().count() >= 3
                            && folded
                                .split(|c: char| c.is_whitespace() || ",;:()\"'<>".contains(c))
                                .any(|w| w.trim_end_matches('.') == local)
                    })
            }
            "phone" => {
                // The subscriber part is what identifies: +358 40 123 4567 is also 040 1234567.
                let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                let tail = &digits[digits.len().saturating_sub(7)..];
                tail.len() >= 6 && digit_runs.iter().any(|r| r.contains(tail))
            }
            _ => v
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.chars().count() >= 2)
                .any(|p| words.iter().any(|w| is_form_of(w, p))),
        };
        if found {
            return Some(field);
        }
    }
    None
}

/// Finnish case endings (with the plural and the possessive-free forms a note would use):
/// enough to see "Åbergille" or "Virtasen" as the name, while "Mattila" is not "Matti".
const ENDINGS: [&str; 38] = [
    "n", "a", "ä", "ta", "tä", "lle", "lla", "llä", "lta", "ltä", "ssa", "ssä", "sta", "stä",
    "ksi", "na", "nä", "t", "in", "ia", "iä", "ille", "illa", "illä", "ilta", "iltä", "issa",
    "issä", "ista", "istä", "ien", "seen", "han", "hen", "hin", "hon", "hun", "hön",
];

/// Whether `word` is `name` or one of its inflected forms (both case-folded). The stems: the
/// name itself (Åberg-in, Jönne-n), a -nen name's -se- (Virtanen, Virtase-n), and a double
/// consonant's weak grade before a final vowel (Matti, Mati-n).
fn is_form_of(word: &str, name: &str) -> bool {
    if word == name {
        return true;
    }
    let mut stems = vec![name.to_string()];
    if let Some(base) = name.strip_suffix("nen") {
        stems.push(format!("{base}se"));
    }
    let chars: Vec<char> = name.chars().collect();
    if let [.., a, b, v] = chars[..] {
        if a == b && "kpt".contains(a) && "aeiouyäö".contains(v) {
            let weak: String = chars[..chars.len() - 2].iter().chain([&v]).collect();
            stems.push(weak);
        }
    }
    stems.iter().any(|stem| {
        word.strip_prefix(stem.as_str())
            .is_some_and(|rest| !rest.is_empty() && ENDINGS.contains(&rest))
    })
}

/// The runs of digits in `s`, with the spaces and dashes people write inside phone numbers
/// taken out.
fn digit_runs(s: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if cur.is_empty() || !matches!(c, ' ' | '-' | '(' | ')') {
            // Anything but a separator inside a number ends the run.
            if !cur.is_empty() {
                runs.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSON: &[(&str, Option<&str>)] = &[
        ("email", Some("matti.meikalainen@example.fi")),
        ("phone", Some("+358401234567")),
        ("first_name", Some("Matti")),
        ("last_name", Some("Meikäläinen-Virtanen")),
    ];

    #[test]
    fn a_reason_without_the_person_passes() {
        for ok in [
            "imported by mistake from the 2026-11 trade fair list",
            "data no longer needed (customer relationship ended 2019)",
            "duplicate of contact 42",
            "mattila campaign cleanup", // a longer word is not the name
        ] {
            assert_eq!(reason_mentions(ok, PERSON), None, "{ok}");
        }
    }

    #[test]
    fn a_reason_that_names_the_person_is_caught() {
        for (bad, field) in [
            ("asked by MATTI.MEIKALAINEN@example.fi", "email"),
            ("matti.meikalainen asked", "email"),
            ("called from 040 123 4567", "phone"),
            ("called from +358 40 1234567", "phone"),
            ("Matti asked by phone", "first_name"),
            ("virtanen family request", "last_name"),
            ("MEIKÄLÄINEN asked", "last_name"),
            ("Matin oma pyyntö", "first_name"),
            ("Mattille soitettu", "first_name"),
            ("Virtaselta tuli pyyntö", "last_name"),
            ("virtasen perhe", "last_name"),
        ] {
            assert_eq!(reason_mentions(bad, PERSON), Some(field), "{bad}");
        }
    }

    #[test]
    fn finnish_inflections_of_the_name_are_caught() {
        let person = [("first_name", Some("Jönne")), ("last_name", Some("Åberg"))];
        for bad in [
            "Jönnen ja Åbergin oma pyyntö",
            "ÅBERGILLE lähetetty vastaus",
            "jönnellä ei ole tiliä",
        ] {
            assert!(reason_mentions(bad, &person).is_some(), "{bad}");
        }
        for ok in ["Åbergsgatan office closed", "oma pyyntö", "jönnemark"] {
            assert_eq!(reason_mentions(ok, &person), None, "{ok}");
        }
    }

    #[test]
    fn dates_and_counts_are_not_a_phone_number() {
        assert_eq!(reason_mentions("batch 2026-11-20, 1234 rows", PERSON), None);
    }
}
