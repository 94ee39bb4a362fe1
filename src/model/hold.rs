//! Legal holds: while one is active (an open dispute, an authority's order, a statutory duty
//! to keep), the person's data must be neither purged nor erased.

use chrono::NaiveDate;

/// The dates that decide whether a hold is active, as calendar days in the register's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldDates {
    /// The day the hold was placed.
    pub placed_on: NaiveDate,
    /// The last day it holds (inclusive); `None` until released.
    pub until: Option<NaiveDate>,
    /// The day it was released; a release takes effect on that day.
    pub released_on: Option<NaiveDate>,
}

/// Is the hold active on `day`? Placed on or before it, not released on or before it,
/// and `until` not passed.
pub fn is_active(h: &HoldDates, day: NaiveDate) -> bool {
    h.placed_on <= day
        && h.released_on.map_or(true, |r| day < r)
        && h.until.map_or(true, |u| day <= u)
}

/// A new hold's end date must not already have passed (it would never be active).
pub fn check_until(until: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if until < today {
        Err(format!(
            "expected a date on or after today ({})",
            crate::model::time::format_date(&today)
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::model::time::parse_date(s).unwrap()
    }

    fn hold(placed: &str, until: Option<&str>, released: Option<&str>) -> HoldDates {
        HoldDates {
            placed_on: d(placed),
            until: until.map(d),
            released_on: released.map(d),
        }
    }

    #[test]
    fn open_ended_hold_is_active_from_the_day_it_is_placed() {
        let h = hold("2026-03-01", None, None);
        assert!(!is_active(&h, d("2026-02-28")));
        assert!(is_active(&h, d("2026-03-01")));
        assert!(is_active(&h, d("2099-12-31")));
    }

    #[test]
    fn until_is_inclusive() {
        let h = hold("2026-03-01", Some("2026-06-30"), None);
        assert!(is_active(&h, d("2026-06-30")));
        assert!(!is_active(&h, d("2026-07-01")));
    }

    #[test]
    fn release_takes_effect_on_its_day() {
        let h = hold("2026-03-01", Some("2027-01-01"), Some("2026-05-10"));
        assert!(is_active(&h, d("2026-05-09")));
        assert!(!is_active(&h, d("2026-05-10")));
        assert!(!is_active(&h, d("2026-12-31")));
    }

    #[test]
    fn placed_and_released_the_same_day_never_holds_after_release() {
        let h = hold("2026-03-01", None, Some("2026-03-01"));
        assert!(!is_active(&h, d("2026-03-01")));
    }

    #[test]
    fn until_must_not_have_passed() {
        assert!(check_until(d("2026-11-23"), d("2026-11-23")).is_ok());
        assert!(check_until(d("2026-11-22"), d("2026-11-23"))
            .unwrap_err()
            .contains("2026-11-23"));
    }
}
