//! When a data-subject request must be answered (GDPR Art. 12(3)).
//!
//! The answer is due one calendar month after the request was received; the controller may
//! extend that by two further months. A period that ends on a Saturday, a Sunday or a public
//! holiday ends on the next working day (Regulation (EEC, Euratom) No 1182/71, Art. 3(4)).
//! The holidays are Finland's, computed for any year (the movable ones from Easter).

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// How long the controller has to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// One month from receipt (Art. 12(3), first sentence).
    Normal,
    /// Extended by two further months: three months from receipt.
    Extended,
}

impl Period {
    fn months(self) -> u32 {
        match self {
            Period::Normal => 1,
            Period::Extended => 3,
        }
    }
}

/// `received` plus whole calendar months: the same day of the month, or that month's last
/// day when the day does not exist (31 January + 1 month = 28/29 February).
pub fn add_months(received: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the month's last day; it can only fail past year 262143.
    received
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The day the answer is due: the end of the period, moved past weekends and holidays.
pub fn due_date(received: NaiveDate, period: Period) -> NaiveDate {
    next_working_day(add_months(received, period.months()))
}

/// `day` itself when it is a working day, else the first working day after it.
pub fn next_working_day(day: NaiveDate) -> NaiveDate {
    let mut d = day;
    while !is_working_day(d) {
        d = d.succ_opt().unwrap_or(NaiveDate::MAX);
        if d == NaiveDate::MAX {
            break;
        }
    }
    d
}

/// Monday to Friday and not a Finnish public holiday.
pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && holiday(d).is_none()
}

/// Whole days from `today` to `due`: 0 on the due day, negative once it has passed.
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    (due - today).num_days()
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// The Finnish public holiday falling on `d`, by its Finnish name, if any.
///
/// Midsummer Eve and Christmas Eve are not holidays by law, but offices are closed and they
/// are treated as holidays in practice (the list, and the period rule's purpose: a
/// person must be able to reach the controller on the last day).
pub fn holiday(d: NaiveDate) -> Option<&'static str> {
    let (m, day) = (d.month(), d.day());
    let fixed = match (m, day) {
        (1, 1) => Some("uudenvuodenpäivä"),
        (1, 6) => Some("loppiainen"),
        (5, 1) => Some("vappu"),
        (12, 6) => Some("itsenäisyyspäivä"),
        (12, 24) => Some("jouluaatto"),
        (12, 25) => Some("joulupäivä"),
        (12, 26) => Some("tapaninpäivä"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    // Midsummer Eve: the Friday of 19–25 June; Midsummer Day the Saturday after it.
    if m == 6 && (19..=25).contains(&day) && d.weekday() == Weekday::Fri {
        return Some("juhannusaatto");
    }
    if m == 6 && (20..=26).contains(&day) && d.weekday() == Weekday::Sat {
        return Some("juhannuspäivä");
    }
    // All Saints' Day: the Saturday of 31 October – 6 November.
    let all_saints = (m == 10 && day == 31) || (m == 11 && day <= 6);
    if all_saints && d.weekday() == Weekday::Sat {
        return Some("pyhäinpäivä");
    }
    let easter = easter_sunday(d.year());
    let offset = (d - easter).num_days();
    match offset {
        -2 => Some("pitkäperjantai"),
        0 => Some("pääsiäispäivä"),
        1 => Some("toinen pääsiäispäivä"),
        39 => Some("helatorstai"),
        49 => Some("helluntaipäivä"),
        _ => None,
    }
}

/// The holidays of a year, in date order (for showing the calendar a deadline used).
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut d = first;
    while d.year() == year {
        if let Some(name) = holiday(d) {
            out.push((d, name));
        }
        d += Duration::days(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::model::time::parse_date(s).unwrap()
    }

    #[test]
    fn easter_dates_are_right() {
        for (y, e) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2028, "2028-04-16"),
            (2029, "2029-04-01"),
            (2030, "2030-04-21"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(easter_sunday(y), d(e), "{y}");
        }
    }

    #[test]
    fn finnish_holidays_of_2026() {
        let got: Vec<(String, &str)> = holidays(2026)
            .into_iter()
            .map(|(day, n)| (crate::model::time::format_date(&day), n))
            .collect();
        let want = [
            ("2026-01-01", "uudenvuodenpäivä"),
            ("2026-01-06", "loppiainen"),
            ("2026-04-03", "pitkäperjantai"),
            ("2026-04-05", "pääsiäispäivä"),
            ("2026-04-06", "toinen pääsiäispäivä"),
            ("2026-05-01", "vappu"),
            ("2026-05-14", "helatorstai"),
            ("2026-05-24", "helluntaipäivä"),
            ("2026-06-19", "juhannusaatto"),
            ("2026-06-20", "juhannuspäivä"),
            ("2026-10-31", "pyhäinpäivä"),
            ("2026-12-06", "itsenäisyyspäivä"),
            ("2026-12-24", "jouluaatto"),
            ("2026-12-25", "joulupäivä"),
            ("2026-12-26", "tapaninpäivä"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
        assert_eq!(got, want);
    }

    /// Received date → due date (one month) → extended due date (three months), worked by
    /// hand from the calendar.
    #[test]
    fn due_dates_table() {
        let table = [
            // plain weekdays
            ("2026-11-23", "2026-12-23", "2027-02-23"),
            ("2024-03-12", "2024-04-12", "2024-06-12"),
            // month ends: 31 January → last day of February (leap and common years)
            ("2024-01-31", "2024-02-29", "2024-04-30"),
            ("2025-01-31", "2025-02-28", "2025-04-30"),
            ("2026-01-31", "2026-03-02", "2026-04-30"), // 28 Feb 2026 is a Saturday
            ("2028-01-30", "2028-02-29", "2028-05-02"), // 30 Apr 2028 Sun, 1 May → Tue 2 May
            ("2027-03-31", "2027-04-30", "2027-06-30"),
            ("2029-08-31", "2029-10-01", "2029-11-30"), // 30 Sep 2029 is a Sunday
            ("2024-02-29", "2024-04-02", "2024-05-29"), // 29 Mar 2024 Good Friday → Tue 2 April
            // weekends
            ("2026-09-05", "2026-10-05", "2026-12-07"), // 5 Oct Mon; 5 Dec Sat, 6 Dec holiday Sun
            ("2026-02-14", "2026-03-16", "2026-05-15"), // 14 Mar Sat → Mon 16; 14 May Ascension → Fri 15
            ("2030-05-19", "2030-06-19", "2030-08-19"),
            // Easter
            ("2026-03-03", "2026-04-07", "2026-06-03"), // 3 April Good Friday → Tue 7 April
            ("2025-03-21", "2025-04-22", "2025-06-23"), // Easter Monday → Tue 22; 21 Jun Midsummer Sat
            ("2027-02-26", "2027-03-30", "2027-05-26"), // 26 Mar 2027 Good Friday
            ("2030-03-22", "2030-04-23", "2030-06-24"), // 22 Apr Easter Monday → Tue 23; 22 Jun Sat → Mon 24
            // Midsummer
            ("2026-05-19", "2026-06-22", "2026-08-19"), // Midsummer Eve → Mon 22
            ("2027-05-25", "2027-06-28", "2027-08-25"), // Midsummer Eve 2027 → Mon 28
            ("2028-05-23", "2028-06-26", "2028-08-23"), // Midsummer Eve 2028 → Mon 26
            // All Saints' Day
            ("2026-10-01", "2026-11-02", "2027-01-04"), // 1 Nov Sun → Mon 2; 1 Jan holiday → ...
            ("2029-10-03", "2029-11-05", "2030-01-03"), // 3 Nov 2029 All Saints' Sat → Mon 5
            // Independence Day and Christmas
            ("2027-11-06", "2027-12-07", "2028-02-07"), // 6 Dec Mon holiday → Tue 7; 6 Feb Sun
            ("2026-11-24", "2026-12-28", "2027-02-24"), // 24 Dec Thu Eve, 25, 26 Sat, 27 Sun → Mon 28
            ("2025-11-25", "2025-12-29", "2026-02-25"),
            ("2024-11-26", "2024-12-27", "2025-02-26"), // 26 Dec 2024 Thu → Fri 27
            // New Year and Epiphany
            ("2026-12-01", "2027-01-04", "2027-03-01"), // 1 Jan 2027 Fri → Mon 4
            ("2027-12-06", "2028-01-07", "2028-03-06"), // 6 Jan 2028 Thu Epiphany → Fri 7
            ("2029-12-31", "2030-01-31", "2030-04-01"), // 31 Mar 2030 Sun → Mon 1 Apr
            // 1 May
            ("2026-04-01", "2026-05-04", "2026-07-01"), // 1 May 2026 Fri → Mon 4
            ("2028-04-01", "2028-05-02", "2028-07-03"), // 1 May 2028 Mon → Tue 2; 1 Jul Sat → Mon 3
            ("2029-04-01", "2029-05-02", "2029-07-02"), // 1 May 2029 Tue → Wed 2; 1 Jul Sun → Mon 2
        ];
        let mut wrong = Vec::new();
        for (received, due, extended) in table {
            let r = d(received);
            let got = (
                crate::model::time::format_date(&due_date(r, Period::Normal)),
                crate::model::time::format_date(&due_date(r, Period::Extended)),
            );
            if got != (due.to_string(), extended.to_string()) {
                wrong.push(format!(
                    "{received}: got {got:?}, table says ({due}, {extended})"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn days_left_counts_to_the_due_day() {
        assert_eq!(days_left(d("2026-12-23"), d("2026-12-23")), 0);
        assert_eq!(days_left(d("2026-12-23"), d("2026-11-23")), 30);
        assert_eq!(days_left(d("2026-12-23"), d("2026-12-24")), -1);
    }

    proptest! {
        #[test]
        fn due_is_a_working_day_at_least_28_days_on(days in 0i64..(365 * 300)) {
            let received = d("1990-01-01") + Duration::days(days);
            let due = due_date(received, Period::Normal);
            let extended = due_date(received, Period::Extended);
            prop_assert!(is_working_day(due));
            prop_assert!(is_working_day(extended));
            prop_assert!(due >= received + Duration::days(28));
            prop_assert!(extended >= due);
            prop_assert!(extended >= received + Duration::days(89));
            // Never more than the month plus the longest run of closed days (Christmas: 5).
            prop_assert!(due <= add_months(received, 1) + Duration::days(5));
        }

        #[test]
        fn exactly_one_midsummer_and_all_saints_day_a_year(year in 1900i32..2300) {
            let names: Vec<&str> = holidays(year).into_iter().map(|(_, n)| n).collect();
            // (Ascension Day can fall on 1 May, as in 2008: that day is named vappu.)
            for n in ["juhannusaatto", "juhannuspäivä", "pyhäinpäivä", "pitkäperjantai"] {
                prop_assert_eq!(names.iter().filter(|x| **x == n).count(), 1, "{} in {}", n, year);
            }
        }
    }
}
