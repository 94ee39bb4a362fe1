//! Contact history and the relationship's dates: what happened with a person, and when.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::time::format_date;

/// How a contact happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Email,
    Phone,
    Meeting,
    Web,
    Letter,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Meeting => "meeting",
            Channel::Web => "web",
            Channel::Letter => "letter",
        }
    }
}

/// How a purchase was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payment {
    Invoice,
    Card,
    Transfer,
    Other,
}

impl Payment {
    pub fn as_str(self) -> &'static str {
        match self {
            Payment::Invoice => "invoice",
            Payment::Card => "card",
            Payment::Transfer => "transfer",
            Payment::Other => "other",
        }
    }
}

/// The new last-contact date after a contact on `event`: it only moves forward, so
/// recording an old letter never shortens the retention period.
pub fn advance_last_contact(current: Option<NaiveDate>, event: NaiveDate) -> Option<NaiveDate> {
    match current {
        Some(c) if c >= event => None,
        _ => Some(event),
    }
}

/// What `contact end` does to the relationship's end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndChange {
    /// It had not ended; now it has.
    Ended,
    /// It had already ended on this very date: nothing to do.
    Unchanged,
    /// It had ended on another date, which is replaced.
    Moved { from: NaiveDate },
    /// It had ended on another date and no date was given: "today" is not a correction, and
    /// moving the end to it would extend the retention period counted from the end.
    AlreadyEnded { on: NaiveDate },
}

/// Decides an end date: `given`, or `today` when none was given; never before the
/// relationship started; an earlier end is moved only to a date given explicitly.
pub fn end_relationship(
    started: Option<NaiveDate>,
    ended: Option<NaiveDate>,
    given: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<EndChange, String> {
    let date = given.unwrap_or(today);
    if let (Some(on), None) = (ended, given) {
        if on != date {
            return Ok(EndChange::AlreadyEnded { on });
        }
    }
    if let Some(s) = started.filter(|s| date < *s) {
        return Err(format!(
            "expected a date on or after the start date {}",
            format_date(&s)
        ));
    }
    Ok(match ended {
        None => EndChange::Ended,
        Some(e) if e == date => EndChange::Unchanged,
        Some(from) => EndChange::Moved { from },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::model::time::parse_date(s).unwrap()
    }

    #[test]
    fn last_contact_only_moves_forward() {
        assert_eq!(
            advance_last_contact(None, d("2026-01-01")),
            Some(d("2026-01-01"))
        );
        assert_eq!(
            advance_last_contact(Some(d("2026-01-01")), d("2026-02-01")),
            Some(d("2026-02-01"))
        );
        assert_eq!(
            advance_last_contact(Some(d("2026-02-01")), d("2026-01-01")),
            None
        );
        assert_eq!(
            advance_last_contact(Some(d("2026-02-01")), d("2026-02-01")),
            None
        );
    }

    const TODAY: &str = "2026-11-23";

    #[test]
    fn end_not_before_start() {
        let today = d(TODAY);
        let err = end_relationship(Some(d("2026-05-01")), None, Some(d("2026-04-30")), today)
            .unwrap_err();
        assert!(err.contains("2026-05-01"));
        assert_eq!(
            end_relationship(Some(d("2026-05-01")), None, Some(d("2026-05-01")), today),
            Ok(EndChange::Ended)
        );
        assert_eq!(
            end_relationship(None, None, Some(d("2000-01-01")), today),
            Ok(EndChange::Ended)
        );
        assert_eq!(
            end_relationship(None, None, None, today),
            Ok(EndChange::Ended)
        );
    }

    #[test]
    fn ending_again_moves_or_keeps_the_date() {
        let (e, today) = (d("2026-06-01"), d(TODAY));
        assert_eq!(
            end_relationship(None, Some(e), Some(e), today),
            Ok(EndChange::Unchanged)
        );
        assert_eq!(
            end_relationship(None, Some(e), Some(d("2026-07-01")), today),
            Ok(EndChange::Moved { from: e })
        );
    }

    #[test]
    fn an_earlier_end_is_not_moved_to_today_implicitly() {
        let (e, today) = (d("2024-06-01"), d(TODAY));
        assert_eq!(
            end_relationship(None, Some(e), None, today),
            Ok(EndChange::AlreadyEnded { on: e })
        );
        // Ended today already: ending it again today changes nothing.
        assert_eq!(
            end_relationship(None, Some(today), None, today),
            Ok(EndChange::Unchanged)
        );
        // Given explicitly, today is a correction like any other date.
        assert_eq!(
            end_relationship(None, Some(e), Some(today), today),
            Ok(EndChange::Moved { from: e })
        );
    }
}
