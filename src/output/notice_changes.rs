//! What changed in the privacy notice since an earlier version, in the notice's language,
//! for telling the people in the register before the changes take effect (Art. 12(1),
//! 13(3), 14(4)). The changes are the ones `policy apply` computes
//! ([`crate::model::policy_diff::diff`]), material ones first; each line names what changed
//! and says what the new description says, in its words for the language.

use std::collections::HashSet;

use crate::model::labels::{self, Lang};
use crate::model::policy::{Item, Marketing, Policy, Records, Text};
use crate::model::policy_diff::{diff, Change};
use crate::model::wording::{self, Subject};
use crate::output::document::{Block, Document, Layout, Section, WhenEmpty};
use crate::output::notice::{self, NoticeVersion};

/// The change summary from version `since` (`old`) to version `to` (`new`).
pub fn changes_document(
    old: &Policy,
    since: i64,
    new: &Policy,
    to: NoticeVersion,
    lang: Lang,
) -> Document {
    let lines = lines(&diff(old, new), old, new, lang);
    let (material, other): (Vec<_>, Vec<_>) = lines.into_iter().partition(|(m, _)| *m);
    let list = |key, title: &str, lines: Vec<(bool, String)>| {
        Section::blocks(
            key,
            vec![Block::List(lines.into_iter().map(|(_, l)| l).collect())],
        )
        .titled(title)
        .when_empty(WhenEmpty::Omit)
    };
    let mut sections = Vec::new();
    if material.is_empty() && other.is_empty() {
        sections.push(
            Section::blocks(
                "changes",
                vec![Block::Paragraph(wording::no_changes(since, lang))],
            )
            .titled(""),
        );
    }
    sections.push(list("material", wording::material_heading(lang), material));
    sections.push(list("other", wording::other_changes_heading(lang), other));
    sections.push(
        Section::blocks(
            "contact",
            vec![Block::Paragraph(wording::changes_contact(
                notice::requests_email(new),
                lang,
            ))],
        )
        .titled(""),
    );
    Document {
        lang,
        zone: new.timezone.0,
        layout: Layout::Markdown,
        heading: vec![
            wording::changes_title(lang).to_string(),
            new.register.name.clone(),
            wording::changes_line(
                since,
                to.number,
                to.effective,
                to.number > to.in_force,
                lang,
            ),
        ],
        sections,
    }
}

/// One line per change people are told of, with whether it is material, in the order of
/// `changes`. Changes that do not show in the notice (the time zone, the purposes' links for
/// the record of processing activities) have no line; the same line twice is said once.
pub fn lines(changes: &[Change], old: &Policy, new: &Policy, lang: Lang) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    let mut seen = HashSet::new();
    let mut records = false;
    for c in changes {
        if let Change::ItemAdded {
            list: "record_retention",
            ..
        }
        | Change::ItemRemoved {
            list: "record_retention",
            ..
        } = c
        {
            records = true;
            continue;
        }
        if let Some(line) = describe(c, old, new, lang) {
            if seen.insert(line.clone()) {
                out.push((c.is_material(), line));
            }
        }
    }
    if records {
        let material = changes.iter().any(|c| {
            matches!(
                c,
                Change::ItemAdded {
                    list: "record_retention",
                    ..
                } | Change::ItemRemoved {
                    list: "record_retention",
                    ..
                }
            ) && c.is_material()
        });
        for kind in [Records::Courses, Records::History, Records::Requests] {
            let (o, n) = (old.record_months(kind), new.record_months(kind));
            if o == n {
                continue;
            }
            let rule = |m: Option<u32>| match m {
                Some(m) => wording::record_retention(kind, m, lang),
                None => (
                    wording::record_retention(kind, 1, lang).0,
                    wording::no_time_limit(lang).to_string(),
                ),
            };
            let (label, new_rule) = rule(n);
            let (_, old_rule) = rule(o);
            out.push((
                material,
                wording::changed(
                    Subject::Retention,
                    Some(label),
                    &new_rule,
                    Some(&old_rule),
                    lang,
                ),
            ));
        }
    }
    out
}

/// A value for a line: the text, or that it is no longer stated.
fn or_none(s: &str, lang: Lang) -> String {
    if s.trim().is_empty() {
        wording::none_now(lang).to_string()
    } else {
        s.trim().to_string()
    }
}

/// The old value beside the new one, when it is short enough to read in passing.
fn short(s: &str) -> Option<&str> {
    (!s.trim().is_empty() && s.chars().count() <= 60).then_some(s.trim())
}

fn text(t: Option<&Text>, lang: Lang) -> String {
    t.map(|t| t.in_lang(lang).to_string()).unwrap_or_default()
}

/// The line in `items` whose text `summary` is (as the diff keys it), in `lang`.
fn item_text(summary: &str, items: &[String], keys: &[String]) -> Option<String> {
    keys.iter()
        .position(|k| k.trim() == summary.trim())
        .map(|i| items[i].clone())
}

fn marketing_word(m: Option<Marketing>, lang: Lang) -> &'static str {
    match m {
        None => labels::marketing(None, lang),
        some => labels::marketing_rule(some, lang),
    }
}

fn describe(c: &Change, old: &Policy, new: &Policy, lang: Lang) -> Option<String> {
    use Change::*;
    let purpose_desc = |p: &Policy, id: &str| {
        p.purpose(id)
            .map(|pu| pu.description.in_lang(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let line = match c {
        DetailChanged {
            field,
            old: o,
            new: n,
        } => return detail(field, o, n, old, new, lang),
        PurposeAdded {
            id,
            basis,
            marketing,
        } => wording::added(
            Subject::Purpose,
            None,
            &wording::purpose_with_basis(
                &purpose_desc(new, id),
                labels::basis(*basis, lang),
                marketing.map(|m| labels::marketing(Some(m), lang)),
                lang,
            ),
            lang,
        ),
        PurposeRemoved { id } => {
            wording::removed(Subject::Purpose, None, &purpose_desc(old, id), lang)
        }
        PurposeBasisChanged { id, old: o, new: n } => wording::changed(
            Subject::Basis,
            Some(&purpose_desc(new, id)),
            labels::basis(*n, lang),
            Some(labels::basis(*o, lang)),
            lang,
        ),
        PurposeMarketingChanged { id, old: o, new: n } => wording::changed(
            Subject::Marketing,
            Some(&purpose_desc(new, id)),
            marketing_word(*n, lang),
            Some(marketing_word(*o, lang)),
            lang,
        ),
        PurposeDescriptionChanged { id, .. } => {
            let (o, n) = (purpose_desc(old, id), purpose_desc(new, id));
            if o == n {
                return None;
            }
            wording::changed(Subject::PurposeDescription, None, &n, short(&o), lang)
        }
        PurposeInterestChanged { id, .. } => {
            let interest = |p: &Policy| {
                let i = p.purpose(id).and_then(|p| p.legitimate_interest.as_ref());
                text(i, lang)
            };
            if interest(old) == interest(new) {
                return None;
            }
            wording::changed(
                Subject::LegitimateInterest,
                Some(&purpose_desc(new, id)),
                &or_none(&interest(new), lang),
                None,
                lang,
            )
        }
        // The purposes' links are for the record of processing activities, not the notice.
        PurposeLinksChanged { .. } => return None,
        ItemAdded { list, text: t } | ItemRemoved { list, text: t } => {
            let added = matches!(c, ItemAdded { .. });
            let p = if added { new } else { old };
            let (subject, items, keys) = match *list {
                "subjects" => (
                    Subject::SubjectGroup,
                    items_in(&p.subjects, lang),
                    item_keys(&p.subjects),
                ),
                "data_categories" => (
                    Subject::DataCategory,
                    items_in(&p.data_categories, lang),
                    item_keys(&p.data_categories),
                ),
                "sources" => (
                    Subject::Source,
                    texts_in(&p.sources, lang),
                    text_keys(&p.sources),
                ),
                "security" => (
                    Subject::SecurityMeasure,
                    texts_in(&p.security, lang),
                    text_keys(&p.security),
                ),
                _ => return None,
            };
            let value = item_text(t, &items, &keys).unwrap_or_else(|| t.clone());
            // A line reworded only in the other language reads the same in this one.
            let other = if added { old } else { new };
            let others = match *list {
                "subjects" => items_in(&other.subjects, lang),
                "data_categories" => items_in(&other.data_categories, lang),
                "sources" => texts_in(&other.sources, lang),
                _ => texts_in(&other.security, lang),
            };
            if others.iter().any(|o| o.trim() == value.trim()) {
                return None;
            }
            if added {
                wording::added(subject, None, &value, lang)
            } else {
                wording::removed(subject, None, &value, lang)
            }
        }
        RecipientAdded { name, .. } => {
            let r = new.recipients.iter().find(|r| &r.name == name)?;
            wording::added(
                Subject::Recipient,
                None,
                &notice::recipient_line(r, true, lang),
                lang,
            )
        }
        RecipientRemoved { name } => wording::removed(Subject::Recipient, None, name, lang),
        RecipientChanged { name, field, .. } => {
            let o = old.recipients.iter().find(|r| &r.name == name)?;
            let n = new.recipients.iter().find(|r| &r.name == name)?;
            let place = |loc: &str| or_none(&wording::country_or_code(loc, lang), lang);
            match *field {
                "role" => wording::changed(
                    Subject::RecipientRole,
                    Some(name),
                    labels::role(n.role, lang),
                    Some(labels::role(o.role, lang)),
                    lang,
                ),
                "purpose" if o.purpose.in_lang(lang) == n.purpose.in_lang(lang) => return None,
                "purpose" => wording::changed(
                    Subject::RecipientPurpose,
                    Some(name),
                    &or_none(n.purpose.in_lang(lang), lang),
                    short(o.purpose.in_lang(lang)),
                    lang,
                ),
                "location" => wording::changed(
                    Subject::RecipientLocation,
                    Some(name),
                    &place(&n.location),
                    Some(&place(&o.location)),
                    lang,
                ),
                "only_with_consent" => wording::changed(
                    Subject::RecipientPermission,
                    Some(name),
                    wording::permission(n.only_with_consent, lang),
                    Some(wording::permission(o.only_with_consent, lang)),
                    lang,
                ),
                _ => return None,
            }
        }
        TransferAdded {
            recipient, country, ..
        } => {
            let t = new
                .transfers
                .iter()
                .find(|t| &t.recipient == recipient && &t.country == country)?;
            wording::added(
                Subject::Transfer,
                None,
                &format!(
                    "{recipient} ({}): {}",
                    wording::country_or_code(country, lang),
                    t.safeguard.in_lang(lang).trim()
                ),
                lang,
            )
        }
        TransferRemoved { recipient, country } => wording::removed(
            Subject::Transfer,
            None,
            &format!("{recipient} ({})", wording::country_or_code(country, lang)),
            lang,
        ),
        TransferSafeguardChanged {
            recipient, country, ..
        } => {
            let safeguard = |p: &Policy| {
                p.transfers
                    .iter()
                    .find(|t| &t.recipient == recipient && &t.country == country)
                    .map(|t| t.safeguard.in_lang(lang).trim().to_string())
            };
            let now = safeguard(new)?;
            if safeguard(old).as_ref() == Some(&now) {
                return None;
            }
            wording::changed(
                Subject::Safeguard,
                Some(&format!(
                    "{recipient}, {}",
                    wording::country_or_code(country, lang)
                )),
                &now,
                None,
                lang,
            )
        }
        RetentionAdded { category, .. } => wording::added(
            Subject::Retention,
            Some(wording::retention_category(*category, lang)),
            &notice::retention_rule(new.retention_for(*category)?, lang),
            lang,
        ),
        RetentionRemoved { category } => wording::changed(
            Subject::Retention,
            Some(wording::retention_category(*category, lang)),
            wording::no_time_limit(lang),
            old.retention_for(*category)
                .map(|r| notice::retention_rule(r, lang))
                .as_deref(),
            lang,
        ),
        RetentionMonthsChanged { category, .. } | RetentionStartChanged { category, .. } => {
            wording::changed(
                Subject::Retention,
                Some(wording::retention_category(*category, lang)),
                &notice::retention_rule(new.retention_for(*category)?, lang),
                Some(&notice::retention_rule(old.retention_for(*category)?, lang)),
                lang,
            )
        }
        DeletionIntervalChanged { old: o, new: n } => {
            let v = |m: &Option<u32>| match m {
                Some(m) => wording::interval(*m, lang),
                None => wording::none_now(lang).to_string(),
            };
            wording::changed(Subject::DeletionInterval, None, &v(n), Some(&v(o)), lang)
        }
    };
    Some(line)
}

fn items_in(xs: &[Item], lang: Lang) -> Vec<String> {
    xs.iter()
        .map(|x| x.text.in_lang(lang).to_string())
        .collect()
}

fn item_keys(xs: &[Item]) -> Vec<String> {
    xs.iter().map(|x| x.text.summary()).collect()
}

fn texts_in(xs: &[Text], lang: Lang) -> Vec<String> {
    xs.iter().map(|t| t.in_lang(lang).to_string()).collect()
}

fn text_keys(xs: &[Text]) -> Vec<String> {
    xs.iter().map(Text::summary).collect()
}

/// A changed detail (`DetailChanged`) by its field: a plain value as it is, a text in `lang`
/// from the description it is in.
fn detail(field: &str, o: &str, n: &str, old: &Policy, new: &Policy, lang: Lang) -> Option<String> {
    let plain = |s: Subject| wording::changed(s, None, &or_none(n, lang), short(o), lang);
    let text_of = |p: &Policy| -> String {
        let t = match field {
            "register.description" => Some(&p.register.description),
            "data_provision.reason" => p.data_provision.as_ref().and_then(|d| d.reason.as_ref()),
            "data_provision.consequence" => p
                .data_provision
                .as_ref()
                .and_then(|d| d.consequence.as_ref()),
            "retention_description" => p.retention_description.as_ref(),
            "profiling" => p.profiling.as_ref(),
            "further_processing" => p.further_processing.as_ref(),
            "cookies" => p.cookies.as_ref(),
            _ => None,
        };
        text(t, lang)
    };
    // A text reworded only in the other language reads the same in this one: no line.
    let words = |s: Subject| {
        (text_of(old) != text_of(new))
            .then(|| wording::changed(s, None, &or_none(&text_of(new), lang), None, lang))
    };
    Some(match field {
        // The time zone decides when the register's days turn; the notice does not state it.
        "timezone" => return None,
        "controller.name" => plain(Subject::ControllerName),
        "controller.business_id" => plain(Subject::ControllerBusinessId),
        "controller.address" => plain(Subject::ControllerAddress),
        "controller.phone" => plain(Subject::ControllerPhone),
        "controller.email" => plain(Subject::ControllerEmail),
        "contact_person.name" => plain(Subject::ContactPerson),
        "contact_person.title" => plain(Subject::ContactPersonPosition),
        "contact_person.phone" | "contact_person.other_phone" => plain(Subject::ContactPersonPhone),
        "contact_person.email" => plain(Subject::ContactPersonEmail),
        "contact_person.address" => plain(Subject::ContactPersonAddress),
        "register.name" => plain(Subject::RegisterName),
        "register.description" => return words(Subject::RegisterDescription),
        "data_provision.obliged" => {
            let l = wording::provision_labels(lang);
            let v = |p: &Policy| match p.data_provision.as_ref().map(|d| d.obliged) {
                Some(true) => l.yes.to_string(),
                Some(false) => l.no.to_string(),
                None => wording::none_now(lang).to_string(),
            };
            wording::changed(Subject::DataProvision, None, &v(new), Some(&v(old)), lang)
        }
        "data_provision.reason" => return words(Subject::ProvisionReason),
        "data_provision.consequence" => return words(Subject::ProvisionConsequence),
        "retention_description" => return words(Subject::RetentionDescription),
        "profiling" => return words(Subject::Profiling),
        "further_processing" => return words(Subject::FurtherProcessing),
        "cookies" => return words(Subject::Cookies),
        f => {
            // `retention[customer].description`: the rule as the notice now words it.
            let cat = f
                .strip_prefix("retention[")
                .and_then(|r| r.strip_suffix("].description"))
                .and_then(crate::model::contact::Category::parse);
            match cat.and_then(|c| new.retention_for(c).map(|r| (c, r))) {
                Some((c, r)) => wording::changed(
                    Subject::Retention,
                    Some(wording::retention_category(c, lang)),
                    &notice::retention_rule(r, lang),
                    None,
                    lang,
                ),
                // A detail added to the description later: said as its field and value
                // rather than not at all.
                None => format!("{f}: {}", or_none(n, lang)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::RecordRetention;

    fn policy() -> Policy {
        Policy::parse(include_str!("../../examples/policy.toml")).unwrap()
    }

    #[test]
    fn a_text_reworded_in_one_language_is_a_change_only_in_that_one() {
        let old = policy();
        let mut new = old.clone();
        new.cookies = Some(Text::PerLang {
            fi: Some("Emme käytä evästeitä.".into()),
            en: old
                .cookies
                .as_ref()
                .map(|c| c.in_lang(Lang::En).to_string()),
        });
        new.sources[0] = Text::PerLang {
            fi: Some("suoraan rekisteröidyltä".into()),
            en: Some(old.sources[0].in_lang(Lang::En).to_string()),
        };
        let c = diff(&old, &new);
        let fi = lines(&c, &old, &new, Lang::Fi);
        assert_eq!(
            fi,
            vec![
                (
                    false,
                    "Evästeet ja verkkosivujen analytiikka: Emme käytä evästeitä.".to_string()
                ),
                (
                    false,
                    format!("Tietolähde poistuu: {}", old.sources[0].in_lang(Lang::Fi))
                ),
                (true, "Uusi tietolähde: suoraan rekisteröidyltä".to_string()),
            ]
        );
        assert_eq!(lines(&c, &old, &new, Lang::En), vec![]);
    }

    #[test]
    fn record_retention_is_one_line_per_kind_of_record() {
        let old = policy();
        let mut new = old.clone();
        new.record_retention = vec![RecordRetention {
            records: Records::Courses,
            months: 36,
        }];
        let l: Vec<String> = lines(&diff(&old, &new), &old, &new, Lang::Fi)
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            l,
            [
                "Säilytysaika (Kurssisuoritukset): 36 kuukautta suorituspäivästä (aiemmin: 24 kuukautta suorituspäivästä)",
                "Säilytysaika (Yhteydenottohistorian merkinnät): ei enää kuukausina rajattua säilytysaikaa (aiemmin: 24 kuukautta merkinnän päivämäärästä)",
            ]
        );
    }

    #[test]
    fn the_time_zone_and_the_links_are_not_in_the_notice() {
        let old = policy();
        let mut new = old.clone();
        new.timezone = crate::model::policy::Timezone(chrono_tz::Europe::Stockholm);
        new.purposes[0].data.pop();
        let c = diff(&old, &new);
        assert_eq!(c.len(), 2);
        assert!(lines(&c, &old, &new, Lang::Fi).is_empty());
        let d = changes_document(
            &old,
            1,
            &new,
            NoticeVersion {
                number: 2,
                effective: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                in_force: 2,
            },
            Lang::En,
        );
        let md = d.to_text(crate::output::TableStyle::Plain);
        assert!(
            md.contains("The content of the notice has not changed since version 1."),
            "{md}"
        );
        assert!(
            md.contains("which took effect on 23 November 2026."),
            "{md}"
        );
    }
}
