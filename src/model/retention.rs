//! Retention (Art. 5(1)(e)): which people and records the nightly purge removes, and why.
//!
//! The rules are the policy's `[[retention]]` (per category, from the end of the relationship
//! or the last activity) and `[[record_retention]]` (course records, contact history, closed
//! requests) tables. Every date here is a calendar day in the register's time zone. "N months
//! after" is [`deadline::add_months`], the same arithmetic as request deadlines.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::contact::Category;
use crate::model::deadline;
use crate::model::policy::{Policy, Records, Retention, RetentionStart};

/// The dates of a person's activity; `None` where there is none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    /// The day the person was added: someone added with nothing else on record counts from then.
    pub added: Option<NaiveDate>,
    pub started: Option<NaiveDate>,
    pub ended: Option<NaiveDate>,
    pub last_contact: Option<NaiveDate>,
    pub newest_history: Option<NaiveDate>,
    pub newest_course: Option<NaiveDate>,
    pub newest_purchase: Option<NaiveDate>,
    pub newest_consent: Option<NaiveDate>,
}

/// The person's last activity: the latest of all their dates.
pub fn last_activity(a: &Activity) -> Option<NaiveDate> {
    [
        a.added,
        a.started,
        a.ended,
        a.last_contact,
        a.newest_history,
        a.newest_course,
        a.newest_purchase,
        a.newest_consent,
    ]
    .into_iter()
    .flatten()
    .max()
}

/// Whether something dated `date` and kept `months` is due for deletion on `as_of`: on and
/// after the day `months` after it.
pub fn is_due(date: NaiveDate, months: u32, as_of: NaiveDate) -> bool {
    deadline::add_months(date, months) <= as_of
}

/// The latest date that is due on `as_of` when kept `months`: `date <= cutoff` exactly when
/// [`is_due`], so a query can select by one comparison. `None` when no date is due.
pub fn cutoff(as_of: NaiveDate, months: u32) -> Option<NaiveDate> {
    // Month ends clamp (31 Jan + 1 month = 28 Feb), so a few days after the plain
    // subtraction may be due too: step forward while the next day still is.
    let mut c = as_of.checked_sub_months(chrono::Months::new(months))?;
    while let Some(next) = c.succ_opt().filter(|n| is_due(*n, months, as_of)) {
        c = next;
    }
    is_due(c, months, as_of).then_some(c)
}

/// What a person's category rule is, in words for the dry run and the counts.
pub fn rule_name(r: &Retention) -> String {
    format!(
        "{}: {} months after {}",
        r.category.as_str(),
        r.months,
        match r.counted_from {
            RetentionStart::Ended => "ended",
            RetentionStart::LastActivity => "last activity",
        }
    )
}

/// A record rule in words.
pub fn record_rule_name(kind: Records, months: u32) -> String {
    match kind {
        Records::Courses => format!("courses: {months} months after completion"),
        Records::History => format!("history: {months} months after the entry"),
        Records::Requests => format!("requests: {months} months after closing"),
    }
}

/// What the purge needs to know of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub category: Category,
    pub activity: Activity,
    /// A legal hold active on the purge's day.
    pub held: bool,
    /// An opt-in marketing purpose whose consent is live (the first, in the policy's order).
    pub live_opt_in: Option<String>,
}

/// Why a person whose category rule has come due is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kept_by")]
pub enum Keep {
    /// A legal hold is active.
    Hold,
    /// A live opt-in consent is their basis while it lasts.
    Consent { purpose: String },
    /// A course completed within the course rule's time.
    Course { completed: NaiveDate },
}

impl Keep {
    pub fn describe(&self) -> String {
        match self {
            Keep::Hold => "kept: under legal hold".into(),
            Keep::Consent { purpose } => format!("kept: live opt-in consent to {purpose}"),
            Keep::Course { completed } => format!(
                "kept: course completed {} (course rule)",
                crate::model::time::format_date(completed)
            ),
        }
    }
}

/// The purge's decision on one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No rule has come due (or the category has no rule: see [`warnings`]).
    Stays,
    /// The category rule came due on the date that triggered it, and nothing keeps them.
    Erase { rule: String, date: NaiveDate },
    /// The category rule came due, but another rule keeps them.
    Kept {
        rule: String,
        date: NaiveDate,
        by: Keep,
    },
}

/// The purge's decision on `p` on `as_of` under `policy`: erased when their category rule is
/// due and no rule keeps them (a hold, a live opt-in consent, a recent course).
pub fn decide(p: &Person, policy: &Policy, as_of: NaiveDate) -> Verdict {
    let Some(rule) = policy.retention_for(p.category) else {
        return Verdict::Stays;
    };
    let date = match rule.counted_from {
        RetentionStart::Ended => p.activity.ended,
        RetentionStart::LastActivity => last_activity(&p.activity),
    };
    let Some(date) = date.filter(|d| is_due(*d, rule.months, as_of)) else {
        return Verdict::Stays;
    };
    let rule_text = rule_name(rule);
    let course_keeps = match (
        policy.record_months(Records::Courses),
        p.activity.newest_course,
    ) {
        (Some(m), Some(c)) if !is_due(c, m, as_of) => Some(c),
        _ => None,
    };
    let by = if p.held {
        Some(Keep::Hold)
    } else if let Some(purpose) = &p.live_opt_in {
        Some(Keep::Consent {
            purpose: purpose.clone(),
        })
    } else {
        course_keeps.map(|completed| Keep::Course { completed })
    };
    match by {
        Some(by) => Verdict::Kept {
            rule: rule_text,
            date,
            by,
        },
        None => Verdict::Erase {
            rule: rule_text,
            date,
        },
    }
}

/// Whether a record dated `date` of kind `kind` goes on `as_of` (its owner not held).
pub fn record_due(policy: &Policy, kind: Records, date: NaiveDate, as_of: NaiveDate) -> bool {
    policy
        .record_months(kind)
        .is_some_and(|m| is_due(date, m, as_of))
}

/// What the purge warns of on every run: a category in the register without a rule (its
/// people are neither kept on purpose nor deleted), and rules longer than the policy's
/// deletion interval (but for closed requests).
pub fn warnings(policy: &Policy, present: &[Category]) -> Vec<String> {
    let mut out = Vec::new();
    for c in present {
        if policy.retention_for(*c).is_none() {
            out.push(format!(
                "warning: the register has {} contacts but the policy has no retention rule for them: they are neither purged nor knowingly kept; add a [[retention]] rule for category {:?}",
                c.as_str(),
                c.as_str()
            ));
        }
    }
    if let Some(interval) = policy.deletion_interval_months {
        let rules = policy
            .retention
            .iter()
            .map(|r| (r.category.as_str().to_string(), r.months))
            .chain(
                // Closed requests are accountability records without personal free text, kept
                // years on purpose.
                policy
                    .record_retention
                    .iter()
                    .filter(|r| r.records != Records::Requests)
                    .map(|r| (r.records.as_str().to_string(), r.months)),
            );
        for (name, months) in rules {
            if months > interval {
                out.push(format!(
                    "warning: the retention rule for {name} ({months} months) is longer than deletion_interval_months ({interval})"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::RecordRetention;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::model::time::parse_date(s).unwrap()
    }

    fn policy() -> Policy {
        let mut p = Policy::default_policy();
        p.record_retention = vec![
            RecordRetention {
                records: Records::Courses,
                months: 36,
            },
            RecordRetention {
                records: Records::Requests,
                months: 120,
            },
        ];
        p
    }

    fn person(category: Category, activity: Activity) -> Person {
        Person {
            id: 1,
            category,
            activity,
            held: false,
            live_opt_in: None,
        }
    }

    #[test]
    fn last_activity_is_the_latest_of_every_date() {
        assert_eq!(last_activity(&Activity::default()), None);
        let a = Activity {
            added: Some(d("2020-01-01")),
            started: Some(d("2021-01-01")),
            ended: Some(d("2022-01-01")),
            last_contact: Some(d("2022-06-01")),
            newest_history: Some(d("2022-07-01")),
            newest_course: Some(d("2023-01-01")),
            newest_purchase: Some(d("2022-02-01")),
            newest_consent: Some(d("2021-05-05")),
        };
        assert_eq!(last_activity(&a), Some(d("2023-01-01")));
        let only_consent = Activity {
            newest_consent: Some(d("2019-03-03")),
            ..Activity::default()
        };
        assert_eq!(last_activity(&only_consent), Some(d("2019-03-03")));
    }

    #[test]
    fn due_months_after_with_month_end_clamping() {
        assert!(!is_due(d("2024-11-23"), 24, d("2026-11-22")));
        assert!(is_due(d("2024-11-23"), 24, d("2026-11-23")));
        // 31 March + 1 month is 30 April, as for request deadlines.
        assert!(is_due(d("2026-03-31"), 1, d("2026-04-30")));
        assert_eq!(cutoff(d("2026-04-30"), 1), Some(d("2026-03-31")));
        assert_eq!(cutoff(d("2026-02-28"), 1), Some(d("2026-01-31")));
    }

    proptest! {
        #[test]
        fn cutoff_agrees_with_is_due(days in 0i64..20_000, offset in -200i64..200, months in 1u32..130) {
            let as_of = d("1990-01-01") + chrono::Duration::days(days);
            let date = as_of - chrono::Duration::days(i64::from(months) * 30 + offset);
            let c = cutoff(as_of, months).unwrap();
            prop_assert_eq!(date <= c, is_due(date, months, as_of));
        }

        #[test]
        fn last_activity_is_one_of_the_inputs_and_not_before_any(
            dates in proptest::collection::vec(proptest::option::of(0i64..5000), 8)
        ) {
            let day = |o: Option<i64>| o.map(|n| d("2015-01-01") + chrono::Duration::days(n));
            let a = Activity {
                added: day(dates[0]), started: day(dates[1]), ended: day(dates[2]),
                last_contact: day(dates[3]), newest_history: day(dates[4]),
                newest_course: day(dates[5]), newest_purchase: day(dates[6]),
                newest_consent: day(dates[7]),
            };
            let all: Vec<NaiveDate> = dates.iter().copied().filter_map(day).collect();
            prop_assert_eq!(last_activity(&a), all.iter().copied().max());
        }
    }

    #[test]
    fn customers_go_24_months_after_the_end_and_never_while_active() {
        let p = policy();
        let ended = |e: &str| {
            person(
                Category::Customer,
                Activity {
                    ended: Some(d(e)),
                    last_contact: Some(d("2026-11-01")),
                    ..Activity::default()
                },
            )
        };
        let today = d("2026-11-23");
        assert_eq!(
            decide(&ended("2023-05-01"), &p, today),
            Verdict::Erase {
                rule: "customer: 24 months after ended".into(),
                date: d("2023-05-01")
            }
        );
        assert_eq!(decide(&ended("2025-05-01"), &p, today), Verdict::Stays);
        let active = person(
            Category::Customer,
            Activity {
                started: Some(d("2001-01-01")),
                ..Activity::default()
            },
        );
        assert_eq!(decide(&active, &p, today), Verdict::Stays);
    }

    #[test]
    fn prospects_count_from_their_last_activity() {
        let p = policy();
        let today = d("2026-11-23");
        let old = person(
            Category::Prospect,
            Activity {
                added: Some(d("2022-01-01")),
                newest_history: Some(d("2024-11-22")),
                ..Activity::default()
            },
        );
        assert!(
            matches!(decide(&old, &p, today), Verdict::Erase { date, .. } if date == d("2024-11-22"))
        );
        let mut recent = old.clone();
        recent.activity.newest_purchase = Some(d("2025-01-01"));
        assert_eq!(decide(&recent, &p, today), Verdict::Stays);
    }

    #[test]
    fn holds_consents_and_recent_courses_keep_a_person() {
        let p = policy();
        let today = d("2026-11-23");
        let base = person(
            Category::Customer,
            Activity {
                ended: Some(d("2020-01-01")),
                ..Activity::default()
            },
        );
        let mut held = base.clone();
        held.held = true;
        assert!(matches!(
            decide(&held, &p, today),
            Verdict::Kept { by: Keep::Hold, .. }
        ));
        let mut consenting = base.clone();
        consenting.live_opt_in = Some("newsletter".into());
        let v = decide(&consenting, &p, today);
        assert!(
            matches!(&v, Verdict::Kept { by: Keep::Consent { purpose }, .. } if purpose == "newsletter"),
            "{v:?}"
        );
        let mut student = base.clone();
        student.activity.newest_course = Some(d("2025-06-01"));
        assert!(matches!(
            decide(&student, &p, today),
            Verdict::Kept {
                by: Keep::Course { .. },
                ..
            }
        ));
        student.activity.newest_course = Some(d("2023-06-01"));
        assert!(matches!(decide(&student, &p, today), Verdict::Erase { .. }));
    }

    #[test]
    fn a_category_without_a_rule_stays_and_is_warned_of() {
        let mut p = policy();
        p.retention.retain(|r| r.category != Category::Student);
        let s = person(
            Category::Student,
            Activity {
                ended: Some(d("2000-01-01")),
                ..Activity::default()
            },
        );
        assert_eq!(decide(&s, &p, d("2026-11-23")), Verdict::Stays);
        let w = warnings(&p, &[Category::Customer, Category::Student]);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("student"), "{w:?}");
        assert!(w[1].contains("courses (36 months)"), "{w:?}");
        assert!(warnings(&Policy::default_policy(), &[Category::Student]).is_empty());
    }

    #[test]
    fn records_have_their_own_rules_and_requests_default_to_five_years() {
        let p = policy();
        let today = d("2026-11-23");
        assert!(record_due(&p, Records::Requests, d("2016-11-23"), today));
        assert!(!record_due(&p, Records::Requests, d("2016-11-24"), today));
        let mut default = p.clone();
        default.record_retention.clear();
        assert!(record_due(
            &default,
            Records::Requests,
            d("2021-11-23"),
            today
        ));
        assert!(!record_due(
            &default,
            Records::Requests,
            d("2021-11-24"),
            today
        ));
        assert!(record_due(&p, Records::Courses, d("2023-11-23"), today));
        // No history rule in this policy: history is never deleted on its own.
        assert!(!record_due(&p, Records::History, d("1990-01-01"), today));
    }
}
