//! What an authority or an auditor asks the controller for (Art. 5(2), 30, 58): every
//! data-subject request and how it was handled, as `export requests` writes it.
//!
//! A row holds ids, the right, the status, the dates and who took each step, never a
//! personal value: not the subject's e-mail, not who asked or what they wrote, and none of
//! the free texts an operator wrote (how the identity was verified, why the answer was
//! extended or refused, the closing note), which may name the person.

use chrono::NaiveDate;
use serde_json::Value;

use crate::model::time::{self, format_date, Tz};
use crate::model::validate::format_cents;
use crate::output::opt;
use crate::store::requests::Request;

/// The columns of `export requests`, in order (only ever added to at the end).
pub const REQUEST_COLUMNS: [&str; 29] = [
    "id",
    "type",
    "article",
    "status",
    "contact_id",
    "channel",
    "purposes",
    "received",
    "original_due",
    "due",
    "opened_at",
    "opened_by",
    "verified_at",
    "verified_by",
    "extended_at",
    "extended_by",
    "notified",
    "fulfilled_at",
    "fulfilled_by",
    "outcome",
    "completed_at",
    "completed_by",
    "refused_at",
    "refused_by",
    "fee_eur",
    "lifted_at",
    "lifted_by",
    "answered",
    "on_time",
];

/// The day the person was answered (completed or refused), in the register's zone.
pub fn answered_on(r: &Request, zone: Tz) -> Option<NaiveDate> {
    r.completed_at
        .as_deref()
        .or(r.refused_at.as_deref())
        .and_then(|t| time::parse_time(t, zone))
        .map(|t| time::date_in(&t, zone))
}

/// One request as a row of [`REQUEST_COLUMNS`]: dates as days, stored times as RFC 3339 UTC.
pub fn request_cells(r: &Request, zone: Tz) -> Vec<Value> {
    let answered = answered_on(r, zone);
    let state = r.state(zone);
    vec![
        Value::from(r.id.to_string()),
        Value::from(r.kind.as_str()),
        Value::from(r.kind.article()),
        Value::from(r.status.as_str()),
        r.contact_id.map_or(Value::Null, Value::from),
        Value::from(r.channel.as_str()),
        Value::from(r.purposes.join(",")),
        Value::from(format_date(&r.received)),
        Value::from(format_date(&state.original_due())),
        Value::from(format_date(&r.due)),
        Value::from(r.opened_at.as_str()),
        Value::from(r.opened_by.as_str()),
        opt(r.verified_at.as_deref()),
        opt(r.verified_by.as_deref()),
        opt(r.extended_at.as_deref()),
        opt(r.extended_by.as_deref()),
        opt(r.notified.as_ref().map(format_date)),
        opt(r.fulfilled_at.as_deref()),
        opt(r.fulfilled_by.as_deref()),
        opt(r.outcome.as_deref()),
        opt(r.completed_at.as_deref()),
        opt(r.completed_by.as_deref()),
        opt(r.refused_at.as_deref()),
        opt(r.refused_by.as_deref()),
        opt(r.fee_cents.map(format_cents)),
        opt(r.lifted_at.as_deref()),
        opt(r.lifted_by.as_deref()),
        opt(answered.as_ref().map(format_date)),
        answered.map_or(Value::Null, |a| Value::Bool(a <= r.due)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::request::{Channel, RequestId, RequestType, Status};

    fn d(s: &str) -> NaiveDate {
        time::parse_date(s).unwrap()
    }

    /// A request with every personal free text filled in.
    fn request() -> Request {
        Request {
            rowid: 7,
            id: RequestId { year: 2026, seq: 3 },
            kind: RequestType::Access,
            status: Status::Completed,
            contact_id: Some(42),
            subject_email: Some("aino.makela@example.fi".into()),
            received: d("2026-11-02"),
            due: d("2026-12-02"),
            channel: Channel::Letter,
            requester: Some("Aino Mäkelä, by her lawyer".into()),
            details: Some("everything since 2019, incl. phone notes".into()),
            purposes: vec!["newsletter".into(), "b2b-marketing".into()],
            opened_at: "2026-11-02T08:00:00Z".into(),
            opened_by: "anna".into(),
            verified_at: Some("2026-11-03T08:00:00Z".into()),
            verified_by: Some("bertil".into()),
            verify_method: Some("called Aino at +358401234567".into()),
            extended_at: None,
            extended_by: None,
            extend_reason: Some("Aino's many registers".into()),
            notified: None,
            fulfilled_at: Some("2026-12-02T21:30:00Z".into()),
            fulfilled_by: Some("anna".into()),
            outcome: Some("answered contact:42 lang=fi".into()),
            // 23:30 in Helsinki on the due day: answered on time there (21:30 UTC).
            completed_at: Some("2026-12-02T21:30:00Z".into()),
            completed_by: Some("anna".into()),
            note: Some("sent to aino@home.example".into()),
            refused_at: None,
            refused_by: None,
            refuse_reason: Some("Aino asked ten times".into()),
            fee_cents: None,
            lifted_at: None,
            lifted_by: None,
        }
    }

    fn row(r: &Request, zone: Tz) -> serde_json::Map<String, Value> {
        REQUEST_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .zip(request_cells(r, zone))
            .collect()
    }

    #[test]
    fn a_row_holds_no_personal_value() {
        let r = request();
        let cells = request_cells(&r, time::DEFAULT_ZONE);
        assert_eq!(cells.len(), REQUEST_COLUMNS.len());
        let text = serde_json::to_string(&cells).unwrap();
        for personal in ["aino", "Aino", "lawyer", "phone notes", "+358", "ten times"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
    }

    #[test]
    fn the_timeline_is_days_and_utc_times() {
        let r = request();
        let v = row(&r, time::DEFAULT_ZONE);
        assert_eq!(v["id"], "R-2026-0003");
        assert_eq!(v["article"], "15");
        assert_eq!(v["contact_id"], 42);
        assert_eq!(v["purposes"], "newsletter,b2b-marketing");
        assert_eq!(v["original_due"], "2026-12-02");
        assert_eq!(v["completed_at"], "2026-12-02T21:30:00Z");
        assert_eq!(v["answered"], "2026-12-02");
        assert_eq!(v["on_time"], true);
        assert_eq!(v["fee_eur"], Value::Null);
        // In UTC+3 or later the same instant is the next day: late.
        let v = row(&r, chrono_tz::Asia::Tokyo);
        assert_eq!(v["answered"], "2026-12-03");
        assert_eq!(v["on_time"], false);
    }

    #[test]
    fn open_requests_are_not_answered_and_refusals_are() {
        let mut r = request();
        r.status = Status::Verified;
        r.completed_at = None;
        r.completed_by = None;
        let v = row(&r, time::DEFAULT_ZONE);
        assert_eq!(
            (&v["answered"], &v["on_time"]),
            (&Value::Null, &Value::Null)
        );
        r.status = Status::Refused;
        r.refused_at = Some("2026-11-10T10:00:00Z".into());
        r.refused_by = Some("bertil".into());
        r.fee_cents = Some(2550);
        let v = row(&r, time::DEFAULT_ZONE);
        assert_eq!(v["answered"], "2026-11-10");
        assert_eq!(v["on_time"], true);
        assert_eq!(v["fee_eur"], "25.50");
        // An extension moves the due date in force, not the original one.
        r.extended_at = Some("2026-11-05T10:00:00Z".into());
        r.notified = Some(d("2026-11-05"));
        r.due = d("2027-02-02");
        let v = row(&r, time::DEFAULT_ZONE);
        assert_eq!(
            (&v["original_due"], &v["due"], &v["notified"]),
            (
                &Value::from("2026-12-02"),
                &Value::from("2027-02-02"),
                &Value::from("2026-11-05")
            )
        );
    }
}
