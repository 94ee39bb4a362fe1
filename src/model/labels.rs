//! How the register description's values read to people, in each language the register's
//! documents are written in. Each wording is here once: the notice, the access report and
//! the change summaries of `policy apply` all take it from here.

use crate::model::contact::{Category, Source};
use crate::model::policy::{Basis, Marketing, RecipientRole, Records, RetentionStart};

/// A language of the register's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fi,
}

impl Lang {
    /// The language's ISO 639-1 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fi => "fi",
        }
    }

    /// The text in this language: `lang.pick("none", "ei ole")`.
    pub fn pick(self, en: &'static str, fi: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Fi => fi,
        }
    }
}

/// The legal basis of a purpose (Art. 6(1)).
pub fn basis(b: Basis, lang: Lang) -> &'static str {
    match b {
        Basis::Contract => lang.pick("contract", "sopimus"),
        Basis::Consent => lang.pick("consent", "suostumus"),
        Basis::LegitimateInterest => lang.pick("legitimate interest", "oikeutettu etu"),
        Basis::LegalObligation => lang.pick("legal obligation", "lakisääteinen velvoite"),
    }
}

/// A purpose's kind of marketing in a word or two.
pub fn marketing(m: Option<Marketing>, lang: Lang) -> &'static str {
    match m {
        Some(Marketing::OptIn) => "opt-in",
        Some(Marketing::OptOut) => "opt-out",
        None => lang.pick("not marketing", "ei markkinointia"),
    }
}

/// What the kind of marketing means for the person; empty for a purpose that is not marketing.
pub fn marketing_rule(m: Option<Marketing>, lang: Lang) -> &'static str {
    match m {
        Some(Marketing::OptIn) => {
            lang.pick("opt-in: only with consent", "opt-in: vain suostumuksella")
        }
        Some(Marketing::OptOut) => lang.pick(
            "opt-out: until the person objects",
            "opt-out: kunnes henkilö kieltää sen",
        ),
        None => "",
    }
}

pub fn role(r: RecipientRole, lang: Lang) -> &'static str {
    match r {
        RecipientRole::Processor => lang.pick("processor", "henkilötietojen käsittelijä"),
        RecipientRole::GroupCompany => lang.pick("group company", "konserniyhtiö"),
        RecipientRole::Authority => lang.pick("authority", "viranomainen"),
        RecipientRole::Other => lang.pick("other", "muu"),
    }
}

/// The records a `[[record_retention]]` rule is for.
pub fn records(r: Records, lang: Lang) -> &'static str {
    match r {
        Records::Courses => lang.pick("course records", "kurssisuoritukset"),
        Records::History => lang.pick("contact history entries", "yhteydenottohistorian merkinnät"),
        Records::Requests => lang.pick(
            "completed and refused requests (without personal text)",
            "käsitellyt pyynnöt (ilman henkilötietoja sisältävää tekstiä)",
        ),
    }
}

/// Where a record's retention is counted from, to follow "counted from" / "lasketaan".
pub fn records_start(r: Records, lang: Lang) -> &'static str {
    match r {
        Records::Courses => lang.pick("the completion of the course", "kurssin suorittamisesta"),
        Records::History => lang.pick("the date of the entry", "merkinnän päivämäärästä"),
        Records::Requests => lang.pick(
            "the day the request was closed",
            "pyynnön käsittelyn päättymisestä",
        ),
    }
}

/// Where a retention period is counted from, to follow "counted from" / "lasketaan".
pub fn retention_start(s: RetentionStart, lang: Lang) -> &'static str {
    match s {
        RetentionStart::Ended => lang.pick(
            "the end of the relationship",
            "asiakassuhteen päättymisestä",
        ),
        RetentionStart::LastActivity => lang.pick(
            "the last contact or the end, whichever is later",
            "viimeisestä yhteydenotosta tai päättymisestä, kumpi on myöhempi",
        ),
    }
}

/// Where a person's data came from, to follow "obtained" / "saatu".
pub fn source(s: Source, lang: Lang) -> &'static str {
    match s {
        Source::Direct => lang.pick("from you", "sinulta itseltäsi"),
        Source::Public => lang.pick(
            "from public sources (the internet, the trade register)",
            "julkisista lähteistä (internet, kaupparekisteri)",
        ),
        Source::Employer => lang.pick(
            "from your employer or another partner",
            "työnantajaltasi tai muulta yhteistyökumppanilta",
        ),
        Source::CreditRegistry => lang.pick(
            "from a credit-information register",
            "luottotietorekisteristä",
        ),
        Source::Import => lang.pick(
            "by an import from another system",
            "toisesta järjestelmästä siirtämällä",
        ),
    }
}

/// A person's category of relationship.
pub fn category(c: Category, lang: Lang) -> &'static str {
    match c {
        Category::Customer => lang.pick("customer representative", "asiakkaan yhteyshenkilö"),
        Category::Prospect => lang.pick("prospect", "potentiaalinen asiakas"),
        Category::Student => lang.pick("course student", "kurssilainen"),
    }
}

/// `n` and the noun, singular or plural: "1 row", "0 rows", "2 problems".
pub fn count_of<N>(n: N, one: &str, many: &str) -> String
where
    N: Copy + std::fmt::Display + PartialEq + From<u8>,
{
    format!("{n} {}", if n == N::from(1) { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(count_of(1u64, "row", "rows"), "1 row");
        assert_eq!(count_of(0usize, "row", "rows"), "0 rows");
        assert_eq!(count_of(2u64, "problem", "problems"), "2 problems");
    }

    #[test]
    fn every_value_has_a_wording_in_every_language() {
        let bases = [
            Basis::Contract,
            Basis::Consent,
            Basis::LegitimateInterest,
            Basis::LegalObligation,
        ];
        let roles = [
            RecipientRole::Processor,
            RecipientRole::GroupCompany,
            RecipientRole::Authority,
            RecipientRole::Other,
        ];
        let starts = [RetentionStart::Ended, RetentionStart::LastActivity];
        for lang in [Lang::En, Lang::Fi] {
            let mut words: Vec<&str> = bases.iter().map(|b| basis(*b, lang)).collect();
            words.extend(roles.iter().map(|r| role(*r, lang)));
            words.extend(starts.iter().map(|s| retention_start(*s, lang)));
            words.push(marketing(None, lang));
            words.push(marketing_rule(Some(Marketing::OptIn), lang));
            words.push(marketing_rule(Some(Marketing::OptOut), lang));
            assert!(
                words.iter().all(|w| !w.trim().is_empty()),
                "{lang:?}: {words:?}"
            );
            let mut distinct = words.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), words.len(), "{lang:?}: {words:?}");
        }
        assert_eq!(
            basis(Basis::LegitimateInterest, Lang::En),
            "legitimate interest"
        );
        assert_eq!(basis(Basis::LegitimateInterest, Lang::Fi), "oikeutettu etu");
        assert_eq!(role(RecipientRole::GroupCompany, Lang::Fi), "konserniyhtiö");
        assert_eq!(marketing_rule(None, Lang::Fi), "");
    }
}
