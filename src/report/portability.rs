//! The answer to a portability request (Art. 20): the data the person provided
//! ([`crate::model::portability`]), structured and machine-readable, as `R-….json` and
//! `R-….csv` (long form: `section,item,field,value`, one value a line).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::Result;
use crate::model::labels::Lang;
use crate::model::portability::provided_fields;
use crate::model::time::{format_date, Tz};
use crate::output::document::{Document, Layout, Section};
use crate::output::{file, opt};
use crate::report::file_stem;
use crate::store::{consents, contacts, Tx};

/// The columns of each consent decision: what the person chose, when, how and under which
/// description (not who recorded it: that is the controller's bookkeeping).
pub const CONSENT_COLUMNS: [&str; 6] = [
    "purpose",
    "kind",
    "occurred_at",
    "channel",
    "evidence",
    "policy_version",
];

/// The provided data as sections: `contact` (the fields the person gave) and `consents`
/// (every consent, withdrawal and objection they made). `None`: nothing is held.
pub fn sections(tx: &Tx, contact_id: Option<i64>) -> Result<Vec<Section>> {
    let Some(id) = contact_id else {
        return Ok(vec![
            Section::fields("contact", Vec::new()),
            Section::rows("consents", &CONSENT_COLUMNS, Vec::new()),
        ]);
    };
    let contact = contacts::get(tx, id)?;
    let fields = provided_fields(&contact.data)
        .into_iter()
        .map(|(k, v)| (k, Value::from(v)))
        .collect();
    let rows = consents::events_for_contact(tx, id)?
        .into_iter()
        .map(|e| {
            vec![
                // Null: an objection to all direct marketing.
                opt(e.purpose),
                Value::from(e.kind.as_str()),
                Value::from(e.occurred_at),
                Value::from(e.channel),
                opt(e.evidence),
                Value::from(e.policy_version),
            ]
        })
        .collect();
    Ok(vec![
        Section::fields("contact", fields),
        Section::rows("consents", &CONSENT_COLUMNS, rows),
    ])
}

/// Writes `R-….json` and `R-….csv` into `dir` (which must exist); returns their paths. Both
/// are written, whole and 0600, or neither; an existing file is never replaced.
pub fn write(
    tx: &Tx,
    contact_id: Option<i64>,
    request_id: &str,
    dir: &Path,
    today: NaiveDate,
) -> Result<Vec<PathBuf>> {
    file::check_dir(dir, "--output")?;
    let files = render(tx, contact_id, request_id, today)?;
    file::write_new(dir, &files)
}

/// The answer's files, `R-….json` and `R-….csv`, as names and contents.
pub fn render(
    tx: &Tx,
    contact_id: Option<i64>,
    request_id: &str,
    today: NaiveDate,
) -> Result<Vec<(String, Vec<u8>)>> {
    let stem = file_stem(request_id)?;
    let doc = Document {
        lang: Lang::En,
        zone: Tz::UTC,
        layout: Layout::Record,
        heading: Vec::new(),
        sections: sections(tx, contact_id)?,
    };
    let mut top = serde_json::Map::new();
    top.insert("request".into(), Value::from(request_id));
    top.insert("exported_on".into(), Value::from(format_date(&today)));
    if let Value::Object(m) = doc.to_json() {
        top.extend(m);
    }
    let mut json = serde_json::to_vec_pretty(&Value::Object(top)).map_err(std::io::Error::from)?;
    json.push(b'\n');
    let mut csv = Vec::new();
    doc.write_csv(&mut csv)?;
    Ok(vec![
        (format!("{stem}.json"), json),
        (format!("{stem}.csv"), csv),
    ])
}
