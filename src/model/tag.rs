//! Tags: customer segments and groups ("ryhmittelytiedot"), e.g. `vip` or `messu-2026`.

pub const TAG_EXPECTED: &str =
    "expected a tag of letters (ä, ö, å too), digits and '-', starting with a letter or digit, at most 50 characters, e.g. vip or messu-2026";

const TAG_MAX: usize = 50;

/// The stored form of a tag name: trimmed and lower-cased, so `VIP` and `vip` are one tag.
pub fn normalize(raw: &str) -> Result<String, &'static str> {
    let s = crate::model::casefold(raw.trim());
    let first_ok = s.chars().next().is_some_and(char::is_alphanumeric);
    if !first_ok
        || s.chars().count() > TAG_MAX
        || !s
            .chars()
            .all(|c| c.is_alphabetic() || c.is_ascii_digit() || c == '-')
    {
        return Err(TAG_EXPECTED);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_lower_cased_and_may_be_finnish() {
        assert_eq!(normalize(" VIP ").unwrap(), "vip");
        assert_eq!(normalize("Messu-2026").unwrap(), "messu-2026");
        assert_eq!(normalize("ÄÖÅ-asiakkaat").unwrap(), "äöå-asiakkaat");
    }

    #[test]
    fn other_characters_are_refused() {
        for bad in ["", "-x", "a b", "a_b", "a,b", "ä!", &"x".repeat(51)] {
            assert!(normalize(bad).is_err(), "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn normalize_never_panics_and_is_idempotent(s in "\\PC*") {
            if let Ok(t) = normalize(&s) {
                proptest::prop_assert_eq!(normalize(&t), Ok(t.clone()));
            }
        }
    }
}
