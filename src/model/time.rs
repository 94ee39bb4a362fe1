//! Dates and times as the register reads and writes them.
//!
//! Times are stored in UTC as RFC 3339 (second precision); dates as ISO 8601 (`YYYY-MM-DD`).
//! Days are the register's: its time zone (`timezone` in the description) decides which
//! calendar day an instant falls on, where a date given for a time begins, and how stored
//! times are shown. The process's own time zone (`TZ`) plays no part, so a cron job on a UTC
//! server and a person in Helsinki see the same "today".

use chrono::{DateTime, Duration, LocalResult, NaiveDate, SecondsFormat, TimeZone, Utc};
pub use chrono_tz::Tz;

/// The time zone of a register whose description names none (and of the built-in one).
pub const DEFAULT_ZONE: Tz = chrono_tz::Europe::Helsinki;

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

/// Parses an RFC 3339 time, or a date meaning the start of that day in `zone`.
pub fn parse_time(s: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    start_of_day(parse_date(s)?, zone)
}

/// The first instant of day `d` in `zone`: its midnight, the earlier one when clocks are
/// turned back over midnight, and the end of the gap when they are turned forward over it
/// (some zones change at 00:00, so that day has no midnight).
pub fn start_of_day(d: NaiveDate, zone: Tz) -> Option<DateTime<Utc>> {
    let midnight = d.and_hms_opt(0, 0, 0)?;
    // Gaps are whole minutes, and none is longer than a day (Samoa skipped 2011-12-30 whole).
    (0..=2 * 24 * 60).find_map(|m| {
        let local = midnight.checked_add_signed(Duration::minutes(m))?;
        match zone.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
            LocalResult::None => None,
        }
    })
}

/// The first instant a `--since` includes: a time itself, a date the start of that day in
/// `zone`.
pub fn since_bound(s: &str, zone: Tz) -> Option<DateTime<Utc>> {
    parse_time(s, zone)
}

/// The first instant an `--until` excludes: a date includes its whole day in `zone` (up to
/// the next day's start), a time includes itself (stored times have whole seconds).
pub fn until_bound(s: &str, zone: Tz) -> Option<DateTime<Utc>> {
    if let Some(d) = parse_date(s) {
        return start_of_day(d.succ_opt()?, zone);
    }
    parse_time(s, zone)?.checked_add_signed(Duration::seconds(1))
}

/// The stored form of a time: UTC, RFC 3339, whole seconds.
pub fn format_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn format_date(d: &NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored UTC time shown to a person: in `zone`, to the minute. Unparseable input is shown as is.
pub fn display(stored: &str, zone: Tz) -> String {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(t) => t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => stored.to_string(),
    }
}

/// The calendar day in `zone` of a stored UTC time, as `YYYY-MM-DD`. Unparseable input is
/// shown as is.
pub fn display_date(stored: &str, zone: Tz) -> String {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(t) => format_date(&t.with_timezone(&zone).date_naive()),
        Err(_) => stored.to_string(),
    }
}

/// The calendar day in `zone` of a UTC instant.
pub fn date_in(t: &DateTime<Utc>, zone: Tz) -> NaiveDate {
    t.with_timezone(&zone).date_naive()
}

/// Parses an IANA time zone name (`Europe/Helsinki`), exactly as the database spells it.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

pub const ZONE_EXPECTED: &str =
    "expected an IANA time zone name such as Europe/Helsinki, Europe/Stockholm or UTC";

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

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    const HELSINKI: Tz = DEFAULT_ZONE;

    #[test]
    fn times_accept_rfc3339_and_dates_in_the_registers_zone() {
        let t = parse_time("2026-03-01T12:00:00+02:00", HELSINKI).unwrap();
        assert_eq!(format_time(&t), "2026-03-01T10:00:00Z");
        // An explicit offset wins over the zone.
        assert_eq!(
            parse_time("2026-03-01T12:00:00Z", HELSINKI),
            Some(utc("2026-03-01T12:00:00Z"))
        );
        // A date is the start of that day where the register is: winter +02:00, summer +03:00.
        assert_eq!(
            parse_time("2026-03-01", HELSINKI),
            Some(utc("2026-02-28T22:00:00Z"))
        );
        assert_eq!(
            parse_time("2026-07-01", HELSINKI),
            Some(utc("2026-06-30T21:00:00Z"))
        );
        assert_eq!(
            parse_time("2026-07-01", Tz::UTC),
            Some(utc("2026-07-01T00:00:00Z"))
        );
        assert!(parse_time("yesterday", HELSINKI).is_none());
    }

    #[test]
    fn since_and_until_bound_whole_days_of_the_registers_zone() {
        // 1 December in Helsinki is 22:00 UTC on 30 November to 22:00 UTC on 1 December.
        assert_eq!(
            since_bound("2026-12-01", HELSINKI),
            Some(utc("2026-11-30T22:00:00Z"))
        );
        assert_eq!(
            until_bound("2026-12-01", HELSINKI),
            Some(utc("2026-12-01T22:00:00Z"))
        );
        // Across the spring change the day is 23 hours long.
        assert_eq!(
            until_bound("2026-03-29", HELSINKI),
            Some(utc("2026-03-29T21:00:00Z"))
        );
        // A time is itself included by --until (the bound is the next second).
        assert_eq!(
            until_bound("2026-12-01T10:00:00Z", HELSINKI),
            Some(utc("2026-12-01T10:00:01Z"))
        );
        assert_eq!(since_bound("1.12.2026", HELSINKI), None);
        assert_eq!(until_bound("2026-13-01", HELSINKI), None);
    }

    proptest::proptest! {
        /// An instant is within `--since D --until D` exactly when its day in the zone is D.
        #[test]
        fn a_days_bounds_hold_exactly_its_instants(secs in 0i64..4_000_000_000, zone in 0usize..3) {
            let zone = [HELSINKI, Tz::UTC, chrono_tz::America::Sao_Paulo][zone];
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            let d = date_in(&t, zone);
            let ds = format_date(&d);
            let (from, to) = (since_bound(&ds, zone).unwrap(), until_bound(&ds, zone).unwrap());
            proptest::prop_assert!(from <= t && t < to, "{t} not in {ds} ({from}..{to})");
            let next = format_date(&d.succ_opt().unwrap());
            proptest::prop_assert!(t < since_bound(&next, zone).unwrap());
        }
    }

    #[test]
    fn the_day_of_an_instant_is_the_registers_day() {
        // 23:30 UTC on New Year's Eve is already 01:30 on New Year's Day in Helsinki.
        let t = utc("2026-12-31T23:30:00Z");
        assert_eq!(date_in(&t, HELSINKI), day("2027-01-01"));
        assert_eq!(date_in(&t, Tz::UTC), day("2026-12-31"));
        // Winter: the day turns at 22:00 UTC; summer: at 21:00 UTC.
        assert_eq!(
            date_in(&utc("2026-11-23T21:59:59Z"), HELSINKI),
            day("2026-11-23")
        );
        assert_eq!(
            date_in(&utc("2026-11-23T22:00:00Z"), HELSINKI),
            day("2026-11-24")
        );
        assert_eq!(
            date_in(&utc("2026-06-23T20:59:59Z"), HELSINKI),
            day("2026-06-23")
        );
        assert_eq!(
            date_in(&utc("2026-06-23T21:00:00Z"), HELSINKI),
            day("2026-06-24")
        );
    }

    #[test]
    fn days_around_daylight_saving_changes() {
        // Helsinki changes at 03:00/04:00 local time, so both change days start at midnight
        // with the offset of the day before.
        assert_eq!(
            start_of_day(day("2026-03-29"), HELSINKI),
            Some(utc("2026-03-28T22:00:00Z"))
        );
        assert_eq!(
            start_of_day(day("2026-03-30"), HELSINKI),
            Some(utc("2026-03-29T21:00:00Z"))
        );
        assert_eq!(
            start_of_day(day("2026-10-25"), HELSINKI),
            Some(utc("2026-10-24T21:00:00Z"))
        );
        assert_eq!(
            start_of_day(day("2026-10-26"), HELSINKI),
            Some(utc("2026-10-25T22:00:00Z"))
        );
        // The hour skipped in March and the hour repeated in October stay on their day.
        assert_eq!(
            date_in(&utc("2026-03-29T01:00:00Z"), HELSINKI),
            day("2026-03-29")
        );
        assert_eq!(
            date_in(&utc("2026-10-25T00:30:00Z"), HELSINKI),
            day("2026-10-25")
        );
        assert_eq!(
            date_in(&utc("2026-10-25T01:30:00Z"), HELSINKI),
            day("2026-10-25")
        );
        // Chile turns its clocks forward at midnight: 2026-09-06 starts at 01:00 (-03:00).
        let santiago = chrono_tz::America::Santiago;
        assert_eq!(
            start_of_day(day("2026-09-06"), santiago),
            Some(utc("2026-09-06T04:00:00Z"))
        );
        // Cuba turns them back at 01:00 to 00:00: the day starts at the first of its two midnights.
        let havana = chrono_tz::America::Havana;
        assert_eq!(
            start_of_day(day("2026-11-01"), havana),
            Some(utc("2026-11-01T04:00:00Z"))
        );
        // Samoa skipped 2011-12-30 altogether: that "day" starts when the next one does.
        let apia = chrono_tz::Pacific::Apia;
        assert_eq!(
            start_of_day(day("2011-12-30"), apia),
            start_of_day(day("2011-12-31"), apia)
        );
    }

    #[test]
    fn stored_times_are_shown_in_the_registers_zone() {
        assert_eq!(
            display("2026-11-23T10:00:00Z", HELSINKI),
            "2026-11-23 12:00"
        );
        assert_eq!(
            display("2026-07-01T10:00:00Z", HELSINKI),
            "2026-07-01 13:00"
        );
        assert_eq!(
            display("2026-12-31T23:30:00Z", HELSINKI),
            "2027-01-01 01:30"
        );
        assert_eq!(display("2026-11-23T10:00:00Z", Tz::UTC), "2026-11-23 10:00");
        assert_eq!(display("not a time", HELSINKI), "not a time");
    }

    #[test]
    fn zone_names_are_the_iana_ones() {
        assert_eq!(parse_zone("Europe/Helsinki"), Some(HELSINKI));
        assert_eq!(parse_zone(" UTC "), Some(Tz::UTC));
        assert_eq!(parse_zone("Europe/Helsingfors"), None);
        assert_eq!(parse_zone("EET+2"), None);
        assert_eq!(parse_zone(""), None);
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
            let _ = parse_time(&s, DEFAULT_ZONE);
            let _ = parse_zone(&s);
        }

        /// A date parsed as a time is the first instant whose day (in the zone) is that date.
        #[test]
        fn a_date_starts_its_day(y in 1970i32..2100, o in 1u32..366, z in 0usize..4) {
            let zone = [DEFAULT_ZONE, Tz::UTC, chrono_tz::America::Santiago, chrono_tz::Pacific::Apia][z];
            if let Some(d) = NaiveDate::from_yo_opt(y, o) {
                let t = start_of_day(d, zone).unwrap();
                proptest::prop_assert!(date_in(&t, zone) >= d);
                proptest::prop_assert!(date_in(&(t - Duration::seconds(1)), zone) < d);
            }
        }
    }
}
