//! Command-line values of the model's enums: the model stays free of clap, and each value is
//! spelled by the model's own `as_str`, so what clap accepts is what the register stores.

use clap::builder::PossibleValue;
use clap::ValueEnum;

use crate::model::consent::{Channel as ConsentChannel, State};
use crate::model::contact::{Category, Source};
use crate::model::history::{Channel as HistoryChannel, Payment};
use crate::model::import::OnDuplicate;
use crate::model::labels::Lang;
use crate::model::request::{Channel as RequestChannel, RequestType, Status as RequestStatus};

/// `impl ValueEnum` listing every variant (in the order `--help` shows them), each with its
/// help line where it has one.
macro_rules! value_enum {
    ($ty:ident { $($variant:ident $(=> $help:literal)?),+ $(,)? }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($ty::$variant),+]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                let value = PossibleValue::new(self.as_str());
                Some(match self {
                    $($ty::$variant => value $(.help($help))?,)+
                })
            }
        }
    };
}

value_enum!(Category {
    Customer => "Customer representative (contract)",
    Prospect => "Prospect (legitimate interest)",
    Student => "Course student",
});

value_enum!(Source {
    Direct => "From the person themselves",
    Public => "Public sources: the internet, the trade register",
    Employer => "The person's employer or another partner",
    CreditRegistry => "A credit-information register",
    Import => "Imported from another system",
});

value_enum!(ConsentChannel {
    WebForm => "A form on the controller's web site",
    Email,
    Phone,
    Paper => "A signed paper form or letter",
    Meeting => "In person",
    Import => "Brought over from another system (`consent import`)",
    NewsletterService => "The newsletter service, e.g. an unsubscribe click (`consent import-unsubscribes`)",
});

value_enum!(State {
    Allowed => "The purpose may be pursued for this person",
    Withdrawn => "Consent withdrawn (or, for opt-out marketing, the person refused it)",
    Objected => "The person objected (Art. 21): to this purpose or to all direct marketing",
    None => "Opt-in purpose without any consent on record",
});

value_enum!(OnDuplicate {
    Fail => "Import nothing and name the duplicate rows",
    Skip => "Leave the existing contact as it is and skip the row",
    Update => "Overwrite the existing contact's fields with the row's non-empty columns",
});

value_enum!(HistoryChannel {
    Email,
    Phone,
    Meeting,
    Web,
    Letter
});

value_enum!(RequestType {
    Access => "Art. 15: a copy of the data and the facts of its processing",
    Rectification => "Art. 16: correct or complete the data",
    Erasure => "Art. 17: erase the data",
    Restriction => "Art. 18: keep the data but stop processing it",
    Portability => "Art. 20: the data the person provided, machine-readable",
    Objection => "Art. 21: stop direct marketing or processing on legitimate interest",
    Withdrawal => "Art. 7(3): withdraw consent",
});

value_enum!(RequestStatus {
    Received,
    Verified => "The requester's identity is verified",
    Fulfilled => "The right was carried out; the answer is still to be given",
    Completed => "Answered",
    Refused => "Refused as manifestly unfounded or excessive (Art. 12(5))",
});

value_enum!(RequestChannel {
    Email,
    Web => "A form on the controller's web site",
    Letter,
    Phone,
    InPerson => "At the controller's premises",
});

value_enum!(Payment {
    Invoice,
    Card,
    Transfer,
    Other
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value clap offers is one the model reads back as the same variant.
    #[test]
    fn offered_values_are_the_models_own() {
        for c in Category::value_variants() {
            let name = c.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(Category::parse(&name), Some(*c));
        }
        for s in Source::value_variants() {
            let name = s.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(Source::parse(&name), Some(*s));
        }
        assert_eq!(Category::value_variants().len(), 3);
        assert_eq!(Source::value_variants().len(), 5);
    }

    #[test]
    fn values_parse_from_their_stored_spelling() {
        assert_eq!(
            ConsentChannel::from_str("newsletter-service", false),
            Ok(ConsentChannel::NewsletterService)
        );
        assert_eq!(State::from_str("none", false), Ok(State::None));
        assert_eq!(
            Source::from_str("credit-registry", false),
            Ok(Source::CreditRegistry)
        );
        assert!(Category::from_str("Customer", false).is_err());
    }
}

value_enum!(Lang {
    Fi => "Finnish",
    En => "English",
});
