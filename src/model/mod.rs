//! Domain types and rules as pure functions: validation, normalisation, dates.

pub mod audit;
pub mod collate;
pub mod consent;
pub mod contact;
pub mod country;
pub mod deadline;
pub mod erasure;
pub mod field;
pub mod history;
pub mod hold;
pub mod import;
pub mod labels;
pub mod notice_gaps;
pub mod policy;
pub mod policy_diff;
pub mod portability;
pub mod rectify;
pub mod request;
pub mod retention;
pub mod suppression;
pub mod tag;
pub mod time;
pub mod validate;
pub mod wording;

/// Unicode-aware case folding for search and matching (`ÄMMÄ` finds `Ämmä`), after
/// compatibility normalisation (NFKC): an `ä` typed as `a` + combining diaeresis (as macOS
/// writes it) and a fullwidth `ｊ` are the letters they look like, so they find the same
/// person and cannot pass for someone else.
pub fn casefold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    // Normalised again after lower-casing: a lower-case letter may have a composed form
    // its capital lacks (T + U+0308 has none, t + U+0308 is U+1E97).
    normalize(&normalize(s).to_lowercase())
}

/// A text in its Unicode compatibility-composed form (NFKC).
pub fn normalize(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}
