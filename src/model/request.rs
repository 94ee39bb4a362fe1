//! Data-subject requests (GDPR Art. 12–22): their types, and the lifecycle every request
//! follows, as one pure state machine.
//!
//! received → verified → fulfilled → completed, or refused from any open step. An extension
//! (Art. 12(3)) is not a step of its own: it can be made once while the request is open, and
//! moves the due date. Objection and withdrawal may be carried out before the requester's
//! identity is verified (stopping marketing on an unverified request harms no one); every
//! other right needs a verified identity first, because it discloses or changes data.

use chrono::NaiveDate;

use crate::model::deadline::{self, Period};

/// The right the person is using.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestType {
    /// Art. 15: a copy of everything held and the facts about its processing.
    Access,
    /// Art. 16: correcting data.
    Rectification,
    /// Art. 17: erasure ("the right to be forgotten").
    Erasure,
    /// Art. 18: restriction of processing.
    Restriction,
    /// Art. 20: the data the person provided, machine-readable.
    Portability,
    /// Art. 21: objection (to direct marketing, or to processing on legitimate interest).
    Objection,
    /// Art. 7(3): withdrawal of consent.
    Withdrawal,
}

impl RequestType {
    pub const ALL: [RequestType; 7] = [
        RequestType::Access,
        RequestType::Rectification,
        RequestType::Erasure,
        RequestType::Restriction,
        RequestType::Portability,
        RequestType::Objection,
        RequestType::Withdrawal,
    ];
    pub const ACCEPTED: &'static str = "expected access, rectification, erasure, restriction, portability, objection or withdrawal";

    pub fn as_str(self) -> &'static str {
        match self {
            RequestType::Access => "access",
            RequestType::Rectification => "rectification",
            RequestType::Erasure => "erasure",
            RequestType::Restriction => "restriction",
            RequestType::Portability => "portability",
            RequestType::Objection => "objection",
            RequestType::Withdrawal => "withdrawal",
        }
    }

    pub fn parse(s: &str) -> Option<RequestType> {
        RequestType::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim())
    }

    /// The article of the GDPR that gives the right.
    pub fn article(self) -> &'static str {
        match self {
            RequestType::Access => "15",
            RequestType::Rectification => "16",
            RequestType::Erasure => "17",
            RequestType::Restriction => "18",
            RequestType::Portability => "20",
            RequestType::Objection => "21",
            RequestType::Withdrawal => "7(3)",
        }
    }

    /// Must the requester's identity be verified before the right is carried out?
    pub fn needs_verification(self) -> bool {
        !matches!(self, RequestType::Objection | RequestType::Withdrawal)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Received,
    Verified,
    Fulfilled,
    Completed,
    Refused,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Received,
        Status::Verified,
        Status::Fulfilled,
        Status::Completed,
        Status::Refused,
    ];
    pub const ACCEPTED: &'static str =
        "expected received, verified, fulfilled, completed or refused";

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Verified => "verified",
            Status::Fulfilled => "fulfilled",
            Status::Completed => "completed",
            Status::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// Still waiting for the controller: the deadline runs.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Received | Status::Verified | Status::Fulfilled
        )
    }
}

/// How the request reached the controller; the answer goes back the same way (Art. 12(3):
/// a request made electronically is answered electronically).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Email,
    Web,
    Letter,
    Phone,
    InPerson,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Email,
        Channel::Web,
        Channel::Letter,
        Channel::Phone,
        Channel::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Web => "web",
            Channel::Letter => "letter",
            Channel::Phone => "phone",
            Channel::InPerson => "in-person",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// The consent ledger's word for the same channel, for the objections and withdrawals a
    /// request records.
    pub fn consent_channel(self) -> crate::model::consent::Channel {
        use crate::model::consent::Channel as C;
        match self {
            Channel::Email => C::Email,
            Channel::Web => C::WebForm,
            Channel::Letter => C::Paper,
            Channel::Phone => C::Phone,
            Channel::InPerson => C::Meeting,
        }
    }
}

/// A request's id as people write it: `R-2026-0007`, the year it was opened and its number
/// in that year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId {
    pub year: i32,
    pub seq: i64,
}

impl RequestId {
    pub const EXPECTED: &'static str = "expected a request id like R-2026-0007";

    /// `R-2026-0007` (any case, leading zeros optional).
    pub fn parse(s: &str) -> Option<RequestId> {
        let t = s.trim();
        let rest = t.strip_prefix("R-").or_else(|| t.strip_prefix("r-"))?;
        let (year, seq) = rest.split_once('-')?;
        let digits =
            |x: &str| !x.is_empty() && x.len() <= 12 && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(year) || year.len() != 4 || !digits(seq) {
            return None;
        }
        let seq: i64 = seq.parse().ok()?;
        (seq > 0).then_some(RequestId {
            year: year.parse().ok()?,
            seq,
        })
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "R-{:04}-{:04}", self.year, self.seq)
    }
}

/// The first day a request can have been received: the day the GDPR began to apply.
pub const EARLIEST_RECEIVED: &str = "2018-05-25";

/// Can `received` be a request's day of receipt on `today`? The deadline counts from it, so
/// a day in the future would push the deadline out.
pub fn check_received(received: NaiveDate, today: NaiveDate) -> Result<(), String> {
    let earliest = crate::model::time::parse_date(EARLIEST_RECEIVED).unwrap_or(NaiveDate::MIN);
    if received > today || received < earliest {
        return Err(format!(
            "expected a date from {EARLIEST_RECEIVED} (the GDPR applies) to today, {}",
            crate::model::time::format_date(&today)
        ));
    }
    Ok(())
}

/// Which of a request's open/overdue/due-within conditions `list` asks for; all must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueFilter {
    pub open: bool,
    pub overdue: bool,
    /// Open and due within this many days of today (overdue ones included: they are due).
    pub due_within: Option<u32>,
}

impl DueFilter {
    /// The rule `request list` applies, for one request whose due date in force is `due`.
    pub fn matches(&self, status: Status, due: NaiveDate, today: NaiveDate) -> bool {
        let open = status.is_open();
        let left = deadline::days_left(due, today);
        (!self.open || open)
            && (!self.overdue || (open && left < 0))
            && self
                .due_within
                .map_or(true, |n| open && left <= i64::from(n))
    }
}

/// What a request's lifecycle depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestState {
    pub kind: RequestType,
    pub status: Status,
    pub received: NaiveDate,
    /// The day the extension was made, if it was.
    pub extended_on: Option<NaiveDate>,
    /// The day a restriction was lifted, if it was.
    pub lifted_on: Option<NaiveDate>,
}

/// A step the controller takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Verify,
    /// Extend by two months; `notified` is the day the person was told (Art. 12(3)).
    Extend {
        notified: NaiveDate,
    },
    Fulfil,
    Complete,
    Refuse,
    /// End a fulfilled restriction (Art. 18(3): the person is told before it is lifted).
    Lift,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Verify => "verify",
            Step::Extend { .. } => "extend",
            Step::Fulfil => "fulfil",
            Step::Complete => "complete",
            Step::Refuse => "refuse",
            Step::Lift => "lift",
        }
    }
}

impl RequestState {
    /// The original due date: one month from receipt.
    pub fn original_due(&self) -> NaiveDate {
        deadline::due_date(self.received, Period::Normal)
    }

    /// The due date in force.
    pub fn due(&self) -> NaiveDate {
        let period = match self.extended_on {
            Some(_) => Period::Extended,
            None => Period::Normal,
        };
        deadline::due_date(self.received, period)
    }

    /// Open and past its due date on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && today > self.due()
    }

    /// Can `step` be taken on `today`? `Ok` gives the status after it; `Err` says why not,
    /// naming the status.
    pub fn check(&self, step: Step, today: NaiveDate) -> Result<Status, String> {
        let id = self.kind.as_str();
        let status = self.status.as_str();
        let not_in = |what: &str| {
            Err(format!(
                "cannot {} this {id} request: it is {status}{what}",
                step.name()
            ))
        };
        match step {
            Step::Verify => match self.status {
                Status::Received => Ok(Status::Verified),
                Status::Verified => not_in(" already"),
                _ => not_in(""),
            },
            Step::Extend { notified } => {
                if !matches!(self.status, Status::Received | Status::Verified) {
                    return not_in("");
                }
                if let Some(on) = self.extended_on {
                    return Err(format!(
                        "this request was already extended on {}; Art. 12(3) allows one extension of two months",
                        crate::model::time::format_date(&on)
                    ));
                }
                let due = self.original_due();
                if today > due {
                    return Err(format!(
                        "the original due date {} has passed: an extension must be made, and the person told, within the first month",
                        crate::model::time::format_date(&due)
                    ));
                }
                if notified < self.received || notified > due || notified > today {
                    return Err(format!(
                        "the person must be told of the extension within the first month: expected --notified from {} to {}",
                        crate::model::time::format_date(&self.received),
                        crate::model::time::format_date(&due.min(today))
                    ));
                }
                Ok(self.status)
            }
            Step::Fulfil => match self.status {
                Status::Received if self.kind.needs_verification() => Err(format!(
                    "cannot fulfil this {id} request: the requester's identity is not verified yet (use `rekisteri request verify` first)"
                )),
                Status::Received | Status::Verified => Ok(Status::Fulfilled),
                _ => not_in(""),
            },
            Step::Complete => match self.status {
                Status::Fulfilled => Ok(Status::Completed),
                Status::Received | Status::Verified => {
                    not_in(": fulfil it first (`rekisteri request fulfil`), or refuse it")
                }
                _ => not_in(""),
            },
            Step::Refuse => match self.status {
                Status::Received | Status::Verified => Ok(Status::Refused),
                _ => not_in(""),
            },
            Step::Lift => match (self.kind, self.status) {
                (RequestType::Restriction, Status::Fulfilled | Status::Completed) => {
                    match self.lifted_on {
                        Some(on) => Err(format!(
                            "this restriction was already lifted on {}",
                            crate::model::time::format_date(&on)
                        )),
                        None => Ok(self.status),
                    }
                }
                (RequestType::Restriction, _) => not_in(": only a fulfilled restriction can be lifted"),
                _ => Err(format!(
                    "cannot lift a {id} request: only restriction requests are lifted"
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::model::time::parse_date(s).unwrap()
    }

    fn req(kind: RequestType, status: Status) -> RequestState {
        RequestState {
            kind,
            status,
            received: d("2026-11-23"),
            extended_on: None,
            lifted_on: None,
        }
    }

    const TODAY: &str = "2026-11-30";

    #[test]
    fn the_happy_path() {
        let today = d(TODAY);
        let mut r = req(RequestType::Access, Status::Received);
        for (step, after) in [
            (Step::Verify, Status::Verified),
            (Step::Fulfil, Status::Fulfilled),
            (Step::Complete, Status::Completed),
        ] {
            r.status = r.check(step, today).unwrap();
            assert_eq!(r.status, after);
        }
        assert!(!r.status.is_open());
    }

    #[test]
    fn rights_that_disclose_or_change_data_need_verification() {
        let today = d(TODAY);
        for kind in RequestType::ALL {
            let r = req(kind, Status::Received);
            let got = r.check(Step::Fulfil, today);
            if kind.needs_verification() {
                assert!(got.unwrap_err().contains("not verified"), "{kind:?}");
            } else {
                assert_eq!(got, Ok(Status::Fulfilled), "{kind:?}");
            }
        }
        assert!(!RequestType::Objection.needs_verification());
        assert!(!RequestType::Withdrawal.needs_verification());
        assert!(RequestType::Erasure.needs_verification());
    }

    #[test]
    fn refusals_name_the_status() {
        let today = d(TODAY);
        let done = req(RequestType::Erasure, Status::Completed);
        for step in [Step::Verify, Step::Fulfil, Step::Refuse, Step::Complete] {
            let e = done.check(step, today).unwrap_err();
            assert!(e.contains("it is completed"), "{e}");
        }
        let refused = req(RequestType::Access, Status::Refused);
        assert!(refused
            .check(Step::Fulfil, today)
            .unwrap_err()
            .contains("refused"));
        let verified = req(RequestType::Access, Status::Verified);
        assert!(verified
            .check(Step::Verify, today)
            .unwrap_err()
            .contains("already"));
        assert!(verified
            .check(Step::Complete, today)
            .unwrap_err()
            .contains("fulfil it first"));
    }

    #[test]
    fn one_extension_within_the_first_month() {
        let r = req(RequestType::Access, Status::Verified);
        assert_eq!(r.original_due(), d("2026-12-23"));
        let ok = r.check(
            Step::Extend {
                notified: d("2026-11-30"),
            },
            d(TODAY),
        );
        assert_eq!(ok, Ok(Status::Verified));
        // After the original due date: too late.
        let late = r
            .check(
                Step::Extend {
                    notified: d("2026-12-23"),
                },
                d("2026-12-24"),
            )
            .unwrap_err();
        assert!(late.contains("2026-12-23 has passed"), "{late}");
        // On the due date itself: still in time.
        assert!(r
            .check(
                Step::Extend {
                    notified: d("2026-12-23")
                },
                d("2026-12-23")
            )
            .is_ok());
        // Notified before receipt, or in the future: refused.
        for n in ["2026-11-22", "2026-12-01"] {
            let e = r
                .check(Step::Extend { notified: d(n) }, d(TODAY))
                .unwrap_err();
            assert!(e.contains("--notified"), "{n}: {e}");
        }
        // Twice: refused.
        let mut twice = r;
        twice.extended_on = Some(d("2026-11-25"));
        assert!(twice
            .check(Step::Extend { notified: d(TODAY) }, d(TODAY))
            .unwrap_err()
            .contains("already extended"));
        assert_eq!(twice.due(), d("2027-02-23"));
        // A finished request is not extended.
        assert!(req(RequestType::Access, Status::Fulfilled)
            .check(Step::Extend { notified: d(TODAY) }, d(TODAY))
            .is_err());
    }

    #[test]
    fn overdue_follows_the_clock_and_the_status() {
        let r = req(RequestType::Access, Status::Verified);
        assert!(!r.is_overdue(d("2026-12-23")));
        assert!(r.is_overdue(d("2026-12-24")));
        let done = req(RequestType::Access, Status::Completed);
        assert!(!done.is_overdue(d("2027-12-24")));
    }

    #[test]
    fn only_fulfilled_restrictions_are_lifted() {
        let today = d(TODAY);
        assert!(req(RequestType::Restriction, Status::Fulfilled)
            .check(Step::Lift, today)
            .is_ok());
        assert!(req(RequestType::Restriction, Status::Verified)
            .check(Step::Lift, today)
            .is_err());
        assert!(req(RequestType::Erasure, Status::Fulfilled)
            .check(Step::Lift, today)
            .unwrap_err()
            .contains("only restriction"));
        let mut lifted = req(RequestType::Restriction, Status::Completed);
        lifted.lifted_on = Some(d("2026-11-25"));
        assert!(lifted
            .check(Step::Lift, today)
            .unwrap_err()
            .contains("already lifted on 2026-11-25"));
    }

    #[test]
    fn request_ids_round_trip() {
        let id = RequestId::parse("R-2026-0007").unwrap();
        assert_eq!(id, RequestId { year: 2026, seq: 7 });
        assert_eq!(id.to_string(), "R-2026-0007");
        assert_eq!(RequestId::parse(" r-2026-7 "), Some(id));
        assert_eq!(
            RequestId {
                year: 2026,
                seq: 12345
            }
            .to_string(),
            "R-2026-12345"
        );
        for bad in [
            "R-26-0007",
            "2026-0007",
            "R-2026-",
            "R-2026-0000",
            "R-2026-x1",
            "R-2026-1-2",
        ] {
            assert_eq!(RequestId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn received_is_not_in_the_future() {
        let today = d(TODAY);
        assert!(check_received(today, today).is_ok());
        assert!(check_received(d("2018-05-25"), today).is_ok());
        let e = check_received(d("2026-12-01"), today).unwrap_err();
        assert!(e.contains("to today, 2026-11-30"), "{e}");
        assert!(check_received(d("2018-05-24"), today).is_err());
    }

    #[test]
    fn due_filters() {
        let today = d(TODAY);
        let f = |open, overdue, due_within| DueFilter {
            open,
            overdue,
            due_within,
        };
        let due = d("2026-12-03"); // three days left
        assert!(f(false, false, Some(3)).matches(Status::Verified, due, today));
        assert!(!f(false, false, Some(2)).matches(Status::Verified, due, today));
        assert!(!f(false, false, Some(7)).matches(Status::Completed, due, today));
        assert!(!f(false, true, None).matches(Status::Received, due, today));
        assert!(f(false, true, None).matches(Status::Received, d("2026-11-29"), today));
        assert!(!f(false, true, None).matches(Status::Refused, d("2026-11-29"), today));
        assert!(f(false, false, Some(0)).matches(Status::Fulfilled, d("2026-11-29"), today));
        assert!(f(false, false, None).matches(Status::Refused, due, today));
        assert!(!f(true, false, None).matches(Status::Refused, due, today));
    }

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for t in RequestType::ALL {
            assert_eq!(RequestType::parse(t.as_str()), Some(t));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(RequestType::parse("delete"), None);
    }
}
