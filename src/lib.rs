//! rekisteri: a GDPR customer and marketing register kept in one local SQLite file.
//!
//! The crate is a library with a thin binary: `commands` glue the command line to the
//! domain rules in `model` (pure functions) and the SQL in `store`.

// Command enums are parsed once per process; boxing their variants buys nothing.
#![allow(clippy::large_enum_variant)]

pub mod cli;
pub mod commands;
pub mod context;
pub mod error;
pub mod input;
pub mod model;
pub mod output;
pub mod report;
pub mod store;

pub use error::{Error, Result};
