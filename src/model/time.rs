//! Dates and times as the register reads and writes them.
//!
//! Times are stored in UTC as RFC 3339 (second precision); dates as ISO 8601 (`YYYY-MM-DD`).
//! A date given where a time is expected means the start of that day in local time.

use chrono::{DateTime, Local, NaiveDate, SecondsFormat, TimeZone, Utc};

pub const DATE_EXPECTED: &str = "expected an ISO 8601 date YYYY-MM-DD, e.g. 2026-01-31";
pub const TIME_EXPECTED: &str =
    "expected an RFC 3339 time (2026-01-31T14:30:00+02:00) or an ISO 8601 date (2026-01-31)";

/// Parses a strict ISO 8601 calendar date (`2026-01-31`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // chrono accepts e.g. "2026-1-5"; the register wants the canonical form only.
    if s.len() != 10 {
        return None;
    }
    // The canonical form, read directly: what the format parser below would give, without
    // interpreting the format for every one of a million imported dates.
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Parses an RFC 3339 time, or a date meaning local midnight at its start.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let d = parse_date(s)?;
    let midnight = d.and_hms_opt(0, 0, 0)?;
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The stored form of a time: UTC, RFC 3339, whole seconds.
pub fn format_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn format_date(d: &NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored UTC time shown to a person: local time, minutes. Unparseable input is shown as is.
pub fn display_local(stored: &str) -> String {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(t) => t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => stored.to_string(),
    }
}

/// The local calendar date of a UTC instant.
pub fn local_date(t: &DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Local).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_iso() {
        assert_eq!(
            parse_date("2026-02-28"),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(
            parse_date(" 2026-02-28 "),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-00-10"), None);
        assert_eq!(parse_date("0000-01-01"), NaiveDate::from_ymd_opt(0, 1, 1));
        assert_eq!(parse_date("2026-2-3"), None);
        assert_eq!(parse_date("28.2.2026"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn times_accept_rfc3339_and_dates() {
        let t = parse_time("2026-03-01T12:00:00+02:00").unwrap();
        assert_eq!(format_time(&t), "2026-03-01T10:00:00Z");
        assert!(parse_time("2026-03-01").is_some());
        assert!(parse_time("yesterday").is_none());
    }

    proptest::proptest! {
        #[test]
        fn date_roundtrip(y in 1900i32..2200, o in 1u32..365) {
            let d = NaiveDate::from_yo_opt(y, o).unwrap();
            proptest::prop_assert_eq!(parse_date(&format_date(&d)), Some(d));
        }

        #[test]
        fn fast_date_path_agrees_with_the_format_parser(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            let slow = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
            proptest::prop_assert_eq!(parse_date(&s), slow);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC*") {
            let _ = parse_date(&s);
            let _ = parse_time(&s);
        }
    }
}
