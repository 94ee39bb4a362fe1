//! The register description ("rekisteriseloste"/privacy notice): the controller's policy.
//!
//! It is read from TOML (`rekisteri init --policy FILE`, `policy apply FILE`) and stored,
//! versioned, in the register. Consents refer to the version in force when they were given.

use serde::{Deserialize, Serialize};

use crate::model::contact::Category;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub controller: Controller,
    pub contact_person: ContactPerson,
    pub register: Register,
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    #[serde(default)]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    #[serde(default)]
    pub retention: Vec<Retention>,
    #[serde(default)]
    pub security: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    pub name: String,
    pub business_id: String,
    pub address: String,
    #[serde(default)]
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPerson {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    pub email: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A purpose of processing, with its legal basis (Art. 6(1)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Short stable name used on the command line, e.g. `newsletter`.
    pub id: String,
    pub description: String,
    pub basis: Basis,
    /// Set for direct-marketing purposes: opt-in needs consent, opt-out runs until objection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<Marketing>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    Contract,
    Consent,
    LegitimateInterest,
    LegalObligation,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Contract => "contract",
            Basis::Consent => "consent",
            Basis::LegitimateInterest => "legitimate-interest",
            Basis::LegalObligation => "legal-obligation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Marketing {
    OptIn,
    OptOut,
}

impl Marketing {
    pub fn as_str(self) -> &'static str {
        match self {
            Marketing::OptIn => "opt-in",
            Marketing::OptOut => "opt-out",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: String,
    pub role: RecipientRole,
    #[serde(default)]
    pub purpose: String,
    /// Country or area where the data is processed, e.g. `FI`, `EU/EEA`, `US`.
    #[serde(default)]
    pub location: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientRole {
    Processor,
    GroupCompany,
    Authority,
    Other,
}

/// A transfer outside the EU/EEA and its safeguard (Art. 44–49).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub recipient: String,
    pub country: String,
    pub safeguard: String,
}

/// How long one category of contact is kept, and from which date the time is counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub category: Category,
    pub months: u32,
    #[serde(default = "RetentionStart::default_start")]
    pub counted_from: RetentionStart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetentionStart {
    /// The end of the relationship (`contact end`).
    Ended,
    /// The last contact, or the end of the relationship when that is later.
    LastActivity,
}

impl RetentionStart {
    fn default_start() -> Self {
        RetentionStart::Ended
    }
}

const DEFAULT_POLICY: &str = include_str!("default_policy.toml");

impl Policy {
    /// The built-in description, modelled on the seed notices.
    pub fn default_policy() -> Policy {
        Policy::from_toml(DEFAULT_POLICY).expect("the built-in policy is valid")
    }

    /// Parses and checks a description. Errors name the line and the field.
    pub fn from_toml(text: &str) -> Result<Policy, String> {
        let p: Policy = toml::from_str(text).map_err(|e| e.to_string())?;
        p.check()?;
        Ok(p)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a policy always serialises")
    }

    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    pub fn retention_for(&self, category: Category) -> Option<&Retention> {
        self.retention.iter().find(|r| r.category == category)
    }

    /// Rules TOML types alone cannot say.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for p in &self.purposes {
            if p.id.is_empty()
                || !p
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(format!(
                    "purposes: invalid id {:?}: expected lower-case letters, digits and '-', e.g. newsletter",
                    p.id
                ));
            }
            if !seen.insert(p.id.as_str()) {
                return Err(format!("purposes: id {:?} is defined twice", p.id));
            }
            match (p.marketing, p.basis) {
                (Some(Marketing::OptIn), b) if b != Basis::Consent => {
                    return Err(format!(
                        "purposes: {:?} is opt-in marketing, so its basis must be consent (not {})",
                        p.id,
                        b.as_str()
                    ))
                }
                (Some(Marketing::OptOut), b) if b != Basis::LegitimateInterest => {
                    return Err(format!(
                        "purposes: {:?} is opt-out marketing, so its basis must be legitimate-interest (not {})",
                        p.id,
                        b.as_str()
                    ))
                }
                _ => {}
            }
        }
        let mut cats = std::collections::HashSet::new();
        for r in &self.retention {
            if !cats.insert(r.category) {
                return Err(format!(
                    "retention: category {} has two rules",
                    r.category.as_str()
                ));
            }
            if r.months == 0 {
                return Err(format!(
                    "retention: months for {} must be at least 1",
                    r.category.as_str()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_has_the_required_purposes() {
        let p = Policy::default_policy();
        assert_eq!(
            p.purpose("customer-service").unwrap().basis,
            Basis::Contract
        );
        let n = p.purpose("newsletter").unwrap();
        assert_eq!(
            (n.basis, n.marketing),
            (Basis::Consent, Some(Marketing::OptIn))
        );
        let b = p.purpose("b2b-marketing").unwrap();
        assert_eq!(
            (b.basis, b.marketing),
            (Basis::LegitimateInterest, Some(Marketing::OptOut))
        );
        for c in [Category::Customer, Category::Prospect, Category::Student] {
            assert_eq!(p.retention_for(c).unwrap().months, 24);
        }
    }

    #[test]
    fn policy_roundtrips_through_toml() {
        let p = Policy::default_policy();
        assert_eq!(Policy::from_toml(&p.to_toml()).unwrap(), p);
    }

    #[test]
    fn unknown_field_names_line_and_field() {
        let text = DEFAULT_POLICY.replacen("[register]", "[register]\ncolour = \"red\"", 1);
        let e = Policy::from_toml(&text).unwrap_err();
        assert!(e.contains("colour"), "{e}");
        assert!(e.contains("line"), "{e}");
    }

    #[test]
    fn opt_in_needs_consent() {
        let text = DEFAULT_POLICY.replace(
            "basis = \"consent\"\nmarketing = \"opt-in\"",
            "basis = \"contract\"\nmarketing = \"opt-in\"",
        );
        assert!(Policy::from_toml(&text).unwrap_err().contains("opt-in"));
    }
}
