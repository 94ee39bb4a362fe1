//! Where a recipient processes the data: an ISO 3166-1 alpha-2 country code, or the whole
//! EU/EEA. A transfer outside the EU/EEA needs a safeguard (Art. 44–49), so the register must
//! be able to tell which codes are inside it.

/// The area a recipient may be said to be in without naming one country.
pub const EU_EEA: &str = "EU/EEA";

pub const LOCATION_EXPECTED: &str =
    "expected an ISO 3166 country code such as FI, SE or US, or EU/EEA";

/// The officially assigned ISO 3166-1 alpha-2 codes.
const ISO_3166: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// The EU member states, Iceland, Liechtenstein and Norway, with the parts of them ISO 3166
/// codes separately that are inside the EU (Åland, the French outermost regions).
const EEA: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "AX", "GF",
    "GP", "MQ", "RE", "YT", "MF",
];

/// Names people write for a place instead of its code, in Finnish and English.
const NAMES: &[(&str, &str)] = &[
    ("suomi", "FI"),
    ("finland", "FI"),
    ("ruotsi", "SE"),
    ("sweden", "SE"),
    ("sverige", "SE"),
    ("norja", "NO"),
    ("norway", "NO"),
    ("tanska", "DK"),
    ("denmark", "DK"),
    ("viro", "EE"),
    ("estonia", "EE"),
    ("saksa", "DE"),
    ("germany", "DE"),
    ("ranska", "FR"),
    ("france", "FR"),
    ("irlanti", "IE"),
    ("ireland", "IE"),
    ("alankomaat", "NL"),
    ("hollanti", "NL"),
    ("netherlands", "NL"),
    ("el", "GR"),
    ("kreikka", "GR"),
    ("greece", "GR"),
    ("yhdysvallat", "US"),
    ("usa", "US"),
    ("united states", "US"),
    ("uk", "GB"),
    ("iso-britannia", "GB"),
    ("britannia", "GB"),
    ("united kingdom", "GB"),
    ("sveitsi", "CH"),
    ("switzerland", "CH"),
    ("kanada", "CA"),
    ("canada", "CA"),
    ("intia", "IN"),
    ("india", "IN"),
    ("kiina", "CN"),
    ("china", "CN"),
    ("japani", "JP"),
    ("japan", "JP"),
    ("eu", EU_EEA),
    ("eea", EU_EEA),
    ("eta", EU_EEA),
    ("eu/eta", EU_EEA),
    ("eu-alue", EU_EEA),
    ("eta-alue", EU_EEA),
    ("eu/eta-alue", EU_EEA),
    ("eurooppa", EU_EEA),
    ("europe", EU_EEA),
];

/// Whether `code` (as [`location`] accepts it) is inside the EU/EEA.
pub fn in_eea(code: &str) -> bool {
    code == EU_EEA || EEA.contains(&code)
}

/// Checks a location as written: an ISO 3166-1 alpha-2 code in capitals, or `EU/EEA`.
/// The error says what is accepted, and for a name or a lower-case code, what to write.
pub fn location(raw: &str) -> Result<&str, String> {
    if raw == EU_EEA || ISO_3166.contains(&raw) {
        return Ok(raw);
    }
    let folded = raw.trim().to_lowercase();
    let upper = raw.trim().to_uppercase();
    let hint = NAMES
        .iter()
        .find(|(name, _)| *name == folded)
        .map(|(_, code)| *code)
        .or_else(|| ISO_3166.iter().copied().find(|c| *c == upper))
        .or((upper == EU_EEA).then_some(EU_EEA));
    Err(match hint {
        Some(code) => format!("invalid location {raw:?}: use {code} ({LOCATION_EXPECTED})"),
        None => format!("invalid location {raw:?}: {LOCATION_EXPECTED}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_lists_are_iso_3166_and_the_eea_is_inside_it() {
        assert_eq!(ISO_3166.len(), 249);
        let mut sorted = ISO_3166.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 249, "a code twice");
        assert!(EEA.iter().all(|c| ISO_3166.contains(c)));
        assert_eq!(EEA.len(), 27 + 3 + 7);
    }

    #[test]
    fn codes_and_the_area_are_accepted_names_get_a_hint() {
        for ok in ["FI", "US", "GB", "EU/EEA", "AX"] {
            assert_eq!(location(ok), Ok(ok));
        }
        assert!(in_eea("FI") && in_eea("NO") && in_eea("EU/EEA") && in_eea("AX"));
        assert!(!in_eea("US") && !in_eea("GB") && !in_eea("CH"));
        for (raw, hint) in [
            ("Suomi", "use FI"),
            ("fi", "use FI"),
            (" Finland ", "use FI"),
            ("USA", "use US"),
            ("UK", "use GB"),
            ("ETA", "use EU/EEA"),
            ("eu/eea", "use EU/EEA"),
        ] {
            let e = location(raw).unwrap_err();
            assert!(e.contains(hint), "{raw}: {e}");
            assert!(e.contains("ISO 3166"), "{e}");
        }
        let e = location("Atlantis").unwrap_err();
        assert_eq!(
            e,
            "invalid location \"Atlantis\": expected an ISO 3166 country code such as FI, SE or US, or EU/EEA"
        );
        assert!(location("XX").is_err() && location("").is_err());
    }
}
