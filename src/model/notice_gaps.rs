//! What a privacy notice must tell (GDPR Art. 13 and 14) that a register description does not
//! say. A description with gaps is still valid (they are legal text the controller has to
//! write, not something the tool can make up), but the notice generated from it would be
//! incomplete, so `policy apply` and `export notice` warn of each gap.

use std::fmt;

use super::policy::{Basis, Policy, Text};

/// One thing the notice would leave out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// A purpose on legitimate interest that does not say what the interest is (Art. 13(1)(d)).
    LegitimateInterest { purpose: String },
    /// No list of the categories of personal data (Art. 14(1)(d), for data not collected
    /// from the person; the register's sources include others).
    DataCategories,
    /// No regular sources of the data (Art. 14(2)(f)).
    Sources,
    /// Nothing on retention: neither rules nor a description (Art. 13(2)(a)).
    Retention,
    /// Nothing on whether the person must give the data and what follows if not (Art. 13(2)(e)).
    DataProvision,
    /// Nothing on automated decision-making and profiling (Art. 13(2)(f)); even "none" must be
    /// said.
    AutomatedDecisions,
}

impl Gap {
    /// The description's field that would fill the gap, as `policy apply` errors name fields.
    pub fn field(&self) -> String {
        match self {
            Gap::LegitimateInterest { purpose } => {
                format!("purposes[{purpose}].legitimate_interest")
            }
            Gap::DataCategories => "data_categories".into(),
            Gap::Sources => "sources".into(),
            Gap::Retention => "retention".into(),
            Gap::DataProvision => "data_provision".into(),
            Gap::AutomatedDecisions => "profiling".into(),
        }
    }

    /// What the notice must tell, and where the law says so.
    pub fn duty(&self) -> &'static str {
        match self {
            Gap::LegitimateInterest { .. } => {
                "what the legitimate interest is, for a purpose on that basis (GDPR Art. 13(1)(d))"
            }
            Gap::DataCategories => {
                "the categories of personal data, when data comes from other sources (Art. 14(1)(d))"
            }
            Gap::Sources => "where the data comes from (Art. 14(2)(f))",
            Gap::Retention => "how long the data is kept, or the criteria for it (Art. 13(2)(a))",
            Gap::DataProvision => {
                "whether the person must give the data and what follows if not (Art. 13(2)(e))"
            }
            Gap::AutomatedDecisions => {
                "whether there is automated decision-making or profiling, even if there is none (Art. 13(2)(f))"
            }
        }
    }
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not given, so the notice does not say {}",
            self.field(),
            self.duty()
        )
    }
}

fn unsaid(t: &Option<Text>) -> bool {
    t.as_ref().map_or(true, Text::is_empty)
}

/// The gaps of `p`, in the order of the notice's sections.
pub fn gaps(p: &Policy) -> Vec<Gap> {
    // Every field is named so that a new one gets a decision here: does the notice need it?
    let Policy {
        timezone: _,
        controller: _,     // required and checked by the strict parse
        contact_person: _, // likewise
        register: _,       // likewise
        subjects: _,       // the record of processing activities' (Art. 30(1)(c))
        purposes,          // checked for at least one by the strict parse
        data_categories,
        data_provision,
        sources,
        recipients: _, // "if any" (Art. 13(1)(e)): none is a valid answer
        transfers: _,  // "where applicable" (Art. 13(1)(f))
        retention_description,
        retention,
        record_retention: _, // records kept apart from the person; the rules above cover people
        security: _,         // Art. 30(1)(g), not a notice duty
        deletion_interval_months: _,
        profiling,
        further_processing: _, // only when there is such processing (Art. 13(3))
        cookies: _,            // not a GDPR notice duty
    } = p;
    let mut out: Vec<Gap> = purposes
        .iter()
        .filter(|pu| pu.basis == Basis::LegitimateInterest && unsaid(&pu.legitimate_interest))
        .map(|pu| Gap::LegitimateInterest {
            purpose: pu.id.clone(),
        })
        .collect();
    if data_categories.is_empty() {
        out.push(Gap::DataCategories);
    }
    if sources.iter().all(Text::is_empty) {
        out.push(Gap::Sources);
    }
    if retention.is_empty() && unsaid(retention_description) {
        out.push(Gap::Retention);
    }
    if data_provision.is_none() {
        out.push(Gap::DataProvision);
    }
    if unsaid(profiling) {
        out.push(Gap::AutomatedDecisions);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Policy {
        Policy::parse(include_str!("../../examples/policy.toml")).expect("the example parses")
    }

    #[test]
    fn the_built_in_description_and_the_example_leave_nothing_out() {
        assert_eq!(gaps(&Policy::default_policy()), vec![]);
        assert_eq!(gaps(&example()), vec![]);
    }

    #[test]
    fn a_legitimate_interest_left_unsaid_is_named_by_purpose() {
        let mut p = example();
        for pu in p.purposes.iter_mut() {
            if pu.id == "prospects" {
                pu.legitimate_interest = None;
            }
            if pu.id == "group-administration" {
                pu.legitimate_interest = Some(Text::Any("  ".into()));
            }
        }
        assert_eq!(
            gaps(&p),
            vec![
                Gap::LegitimateInterest {
                    purpose: "prospects".into()
                },
                Gap::LegitimateInterest {
                    purpose: "group-administration".into()
                },
            ]
        );
        assert_eq!(
            gaps(&p)[0].to_string(),
            "purposes[prospects].legitimate_interest is not given, so the notice does not say \
             what the legitimate interest is, for a purpose on that basis (GDPR Art. 13(1)(d))"
        );
    }

    #[test]
    fn each_missing_section_is_one_gap_in_the_notices_order() {
        let mut p = example();
        p.data_categories.clear();
        p.sources.clear();
        p.retention.clear();
        p.retention_description = None;
        p.data_provision = None;
        p.profiling = None;
        assert_eq!(
            gaps(&p),
            vec![
                Gap::DataCategories,
                Gap::Sources,
                Gap::Retention,
                Gap::DataProvision,
                Gap::AutomatedDecisions,
            ]
        );
    }

    #[test]
    fn retention_said_in_words_alone_is_enough() {
        let mut p = example();
        p.retention.clear();
        p.retention_description = Some(Text::Any("As long as the customer relationship".into()));
        assert_eq!(gaps(&p), vec![]);
    }

    #[test]
    fn recipients_and_transfers_may_be_none() {
        let mut p = example();
        p.recipients.clear();
        p.transfers.clear();
        for pu in p.purposes.iter_mut() {
            pu.recipients.clear();
        }
        assert_eq!(gaps(&p), vec![]);
    }
}
