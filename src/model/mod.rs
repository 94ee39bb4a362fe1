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

/// Unicode-aware case folding for search (`ÄMMÄ` finds `Ämmä`).
pub fn casefold(s: &str) -> String {
    s.to_lowercase()
}
