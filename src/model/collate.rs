//! Sorting names as a Finnish reader expects: case-insensitive, `å`, `ä`, `ö` after `z`
//! (code-point order would put `ä` before `å` and every capital before every small letter).

use std::cmp::Ordering;

/// The primary sort weight of one character.
fn weight(c: char) -> u32 {
    const Z: u32 = 'z' as u32;
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'a'..='z' | '0'..='9' => lower as u32,
        'å' => Z + 1,
        'ä' | 'æ' => Z + 2,
        'ö' | 'ø' => Z + 3,
        'ü' => 'y' as u32,
        'á' | 'à' | 'â' | 'ã' => 'a' as u32,
        'é' | 'è' | 'ê' | 'ë' => 'e' as u32,
        'í' | 'ì' | 'î' | 'ï' => 'i' as u32,
        'ó' | 'ò' | 'ô' | 'õ' => 'o' as u32,
        'ú' | 'ù' | 'û' => 'u' as u32,
        'ñ' => 'n' as u32,
        'ç' => 'c' as u32,
        'š' => 's' as u32,
        'ž' => 'z' as u32,
        // Anything else after the Finnish alphabet, in code-point order; punctuation and
        // spaces keep their (low) code points, so "Mäki-Kala" sorts beside "Mäki Kala".
        other if other.is_alphabetic() => Z + 0x100 + other as u32,
        other => other as u32,
    }
}

/// Compares two strings in Finnish alphabetical order; equal weights fall back to code points
/// so the order is total and stable.
pub fn finnish(a: &str, b: &str) -> Ordering {
    a.chars()
        .map(weight)
        .cmp(b.chars().map(weight))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| finnish(a, b));
        v
    }

    #[test]
    fn finnish_letters_come_after_z_in_their_order() {
        assert_eq!(
            sorted(&[
                "Öhman",
                "Ähtäri",
                "Åberg",
                "Zetterberg",
                "aalto",
                "Virtanen"
            ]),
            [
                "aalto",
                "Virtanen",
                "Zetterberg",
                "Åberg",
                "Ähtäri",
                "Öhman"
            ]
        );
    }

    #[test]
    fn case_does_not_decide_before_letters_do() {
        assert_eq!(
            sorted(&["mäkinen", "Mäkelä", "MAKI"]),
            ["MAKI", "Mäkelä", "mäkinen"]
        );
    }

    #[test]
    fn accents_sort_with_their_base_letter() {
        assert_eq!(
            sorted(&["Lindqvist", "Linnéa", "Linnea"]),
            ["Lindqvist", "Linnea", "Linnéa"]
        );
    }

    proptest::proptest! {
        #[test]
        fn order_is_total_and_antisymmetric(a in "\\PC{0,8}", b in "\\PC{0,8}") {
            proptest::prop_assert_eq!(finnish(&a, &b), finnish(&b, &a).reverse());
            proptest::prop_assert_eq!(finnish(&a, &b) == Ordering::Equal, a == b);
        }
    }
}
