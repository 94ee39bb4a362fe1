//! Domain types and rules as pure functions: validation, normalisation, dates.

pub mod contact;
pub mod import;
pub mod policy;
pub mod time;
pub mod validate;

/// Unicode-aware case folding for search (`ÄMMÄ` finds `Ämmä`).
pub fn casefold(s: &str) -> String {
    s.to_lowercase()
}
