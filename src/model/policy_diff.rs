//! What changed between two versions of the register description.
//!
//! People in the register must be told of material changes before they take effect
//! (Art. 12(1), 13(3), 14(4)): a new purpose, a changed legal basis, a new recipient or
//! transfer, longer retention. [`diff`] lists every change as typed data and each change
//! says whether it is material and why.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::model::contact::Category;
use crate::model::labels::{self, Lang};
use crate::model::policy::{
    Basis, DataProvision, Item, Marketing, Policy, Purpose, Recipient, RecipientRole,
    RecordRetention, Records, Retention, RetentionStart, Text, Transfer,
};

/// One change from the old description to the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// A scalar detail of the controller, the contact person or the register, or a top-level note.
    DetailChanged {
        field: String,
        old: String,
        new: String,
    },
    PurposeAdded {
        id: String,
        basis: Basis,
        marketing: Option<Marketing>,
    },
    PurposeRemoved {
        id: String,
    },
    PurposeBasisChanged {
        id: String,
        old: Basis,
        new: Basis,
    },
    PurposeMarketingChanged {
        id: String,
        old: Option<Marketing>,
        new: Option<Marketing>,
    },
    PurposeDescriptionChanged {
        id: String,
        old: String,
        new: String,
    },
    /// What the legitimate interest of a purpose is said to be.
    PurposeInterestChanged {
        id: String,
        old: String,
        new: String,
    },
    /// The subjects, data categories or recipients a purpose is linked to (`links`), for the
    /// record of processing activities.
    PurposeLinksChanged {
        id: String,
        links: &'static str,
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// A line added to `subjects`, `data_categories`, `sources` or `security`.
    ItemAdded {
        list: &'static str,
        text: String,
    },
    ItemRemoved {
        list: &'static str,
        text: String,
    },
    RecipientAdded {
        name: String,
        role: RecipientRole,
        location: String,
    },
    RecipientRemoved {
        name: String,
    },
    RecipientChanged {
        name: String,
        field: &'static str,
        old: String,
        new: String,
    },
    TransferAdded {
        recipient: String,
        country: String,
        safeguard: String,
    },
    TransferRemoved {
        recipient: String,
        country: String,
    },
    TransferSafeguardChanged {
        recipient: String,
        country: String,
        old: String,
        new: String,
    },
    RetentionAdded {
        category: Category,
        months: u32,
        counted_from: RetentionStart,
    },
    /// No rule any more: the category is kept without a time limit.
    RetentionRemoved {
        category: Category,
    },
    RetentionMonthsChanged {
        category: Category,
        old: u32,
        new: u32,
    },
    RetentionStartChanged {
        category: Category,
        old: RetentionStart,
        new: RetentionStart,
    },
    /// A `[[record_retention]]` rule added. `before`: the time that applied until now (the
    /// default for requests; `None`: nothing limited them).
    RecordRetentionAdded {
        records: Records,
        months: u32,
        before: Option<u32>,
    },
    /// A `[[record_retention]]` rule removed. `after`: the time that applies from now (the
    /// default for requests; `None`: nothing limits them).
    RecordRetentionRemoved {
        records: Records,
        months: u32,
        after: Option<u32>,
    },
    RecordRetentionMonthsChanged {
        records: Records,
        old: u32,
        new: u32,
    },
    DeletionIntervalChanged {
        old: Option<u32>,
        new: Option<u32>,
    },
}

impl Change {
    /// Why the people in the register must be told of this change, or None when they need not be.
    pub fn material_reason(&self) -> Option<&'static str> {
        use Change::*;
        match self {
            DetailChanged { field, .. } => match field.as_str() {
                "controller.name" | "controller.business_id" => Some("new controller"),
                "profiling" => Some("changed profiling"),
                "further_processing" => Some("changed further processing"),
                "data_provision.obliged" => Some("changed requirement to give the data"),
                // The time zone only says when the register's days turn (hours, for holds,
                // retention and deadlines); what is processed, why, by whom and for how long
                // is unchanged, and privacy notices do not state it.
                "timezone" => None,
                _ => None,
            },
            PurposeAdded { .. } => Some("new purpose"),
            PurposeBasisChanged { .. } => Some("changed legal basis"),
            // Marketing without consent, or marketing where there was none.
            PurposeMarketingChanged { old, new, .. } => match (old, new) {
                (_, Some(Marketing::OptOut)) | (None, Some(_)) => Some("changed marketing basis"),
                _ => None,
            },
            ItemAdded { list, .. } => match *list {
                "subjects" => Some("new category of data subjects"),
                "data_categories" => Some("new data category"),
                "sources" => Some("new source"),
                _ => None,
            },
            RecipientAdded { .. } => Some("new recipient"),
            RecipientChanged { field, new, .. } => match *field {
                "location" => Some("recipient's location changed"),
                "role" => Some("recipient's role changed"),
                "only_with_consent" if new == "no" => Some("recipient gets data without consent"),
                _ => None,
            },
            TransferAdded { .. } => Some("new transfer outside the EU/EEA"),
            TransferSafeguardChanged { .. } => Some("changed transfer safeguard"),
            RetentionRemoved { .. } => Some("longer retention"),
            RetentionMonthsChanged { old, new, .. } if new > old => Some("longer retention"),
            // Either start can be the later one for some person, so either way may keep data longer.
            RetentionStartChanged { .. } => Some("retention counted differently"),
            // Records kept longer than before, as for the per-category rules.
            RecordRetentionAdded {
                months,
                before: Some(b),
                ..
            } if months > b => Some("longer retention"),
            RecordRetentionRemoved { after: None, .. } => Some("longer retention"),
            RecordRetentionRemoved {
                months,
                after: Some(a),
                ..
            } if a > months => Some("longer retention"),
            RecordRetentionMonthsChanged { old, new, .. } if new > old => Some("longer retention"),
            DeletionIntervalChanged { old, new } => match (old, new) {
                (Some(_), None) => Some("longer retention"),
                (Some(o), Some(n)) if n > o => Some("longer retention"),
                _ => None,
            },
            PurposeRemoved { .. }
            | PurposeDescriptionChanged { .. }
            | PurposeInterestChanged { .. }
            | PurposeLinksChanged { .. }
            | ItemRemoved { .. }
            | RecipientRemoved { .. }
            | TransferRemoved { .. }
            | RetentionAdded { .. }
            | RetentionMonthsChanged { .. }
            | RecordRetentionAdded { .. }
            | RecordRetentionRemoved { .. }
            | RecordRetentionMonthsChanged { .. } => None,
        }
    }

    pub fn is_material(&self) -> bool {
        self.material_reason().is_some()
    }

    /// `+` added, `-` removed, `~` changed.
    pub fn sign(&self) -> char {
        use Change::*;
        match self {
            PurposeAdded { .. }
            | ItemAdded { .. }
            | RecipientAdded { .. }
            | TransferAdded { .. }
            | RetentionAdded { .. }
            | RecordRetentionAdded { .. } => '+',
            PurposeRemoved { .. }
            | ItemRemoved { .. }
            | RecipientRemoved { .. }
            | TransferRemoved { .. }
            | RetentionRemoved { .. }
            | RecordRetentionRemoved { .. } => '-',
            _ => '~',
        }
    }

    /// A few words for a one-line summary (`policy history`).
    pub fn short(&self) -> String {
        use Change::*;
        match self {
            DetailChanged { field, .. } => format!("~{field}"),
            PurposeAdded { id, .. } => format!("+purpose {id}"),
            PurposeRemoved { id } => format!("-purpose {id}"),
            PurposeBasisChanged { id, new, .. } => {
                format!("{id} basis {}", labels::basis(*new, EN))
            }
            PurposeMarketingChanged { id, new, .. } => {
                format!("{id} {}", labels::marketing(*new, EN))
            }
            PurposeDescriptionChanged { id, .. } => format!("~{id} description"),
            PurposeInterestChanged { id, .. } => format!("~{id} legitimate interest"),
            PurposeLinksChanged { id, links, .. } => format!("~{id} {links}"),
            ItemAdded { list, .. } => format!("+{}", singular(list)),
            ItemRemoved { list, .. } => format!("-{}", singular(list)),
            RecipientAdded { name, .. } => format!("+recipient {name}"),
            RecipientRemoved { name } => format!("-recipient {name}"),
            RecipientChanged { name, field, .. } => format!("~recipient {name} {field}"),
            TransferAdded { recipient, .. } => format!("+transfer {recipient}"),
            TransferRemoved { recipient, .. } => format!("-transfer {recipient}"),
            TransferSafeguardChanged { recipient, .. } => format!("~transfer {recipient}"),
            RetentionAdded { category, .. } => format!("+retention {}", category.as_str()),
            RetentionRemoved { category } => format!("-retention {}", category.as_str()),
            RetentionMonthsChanged { category, old, new } => {
                format!("retention {} {old}→{new} months", category.as_str())
            }
            RetentionStartChanged { category, .. } => {
                format!("~retention {} counting", category.as_str())
            }
            RecordRetentionAdded { records, .. } => {
                format!("+record retention {}", records.as_str())
            }
            RecordRetentionRemoved { records, .. } => {
                format!("-record retention {}", records.as_str())
            }
            RecordRetentionMonthsChanged { records, old, new } => {
                format!("record retention {} {old}→{new} months", records.as_str())
            }
            DeletionIntervalChanged { .. } => "~deletion interval".to_string(),
        }
    }
}

fn singular(list: &str) -> &'static str {
    match list {
        "subjects" => "category of data subjects",
        "data_categories" => "data category",
        "sources" => "source",
        _ => "security measure",
    }
}

// Values read as the notice words them, in English like the rest of the change summary.
const EN: Lang = Lang::En;

fn interval_str(m: Option<u32>) -> String {
    m.map_or("none".to_string(), |m| format!("{m} months"))
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Change::*;
        match self {
            DetailChanged { field, old, new } => write!(f, "{field}: {old:?} → {new:?}"),
            PurposeAdded {
                id,
                basis,
                marketing,
            } => match marketing {
                Some(m) => write!(
                    f,
                    "purpose {id:?} added ({}, {})",
                    labels::basis(*basis, EN),
                    labels::marketing(Some(*m), EN)
                ),
                None => write!(f, "purpose {id:?} added ({})", labels::basis(*basis, EN)),
            },
            PurposeRemoved { id } => write!(f, "purpose {id:?} removed"),
            PurposeBasisChanged { id, old, new } => write!(
                f,
                "purpose {id:?}: legal basis {} → {}",
                labels::basis(*old, EN),
                labels::basis(*new, EN)
            ),
            PurposeMarketingChanged { id, old, new } => write!(
                f,
                "purpose {id:?}: marketing {} → {}",
                labels::marketing(*old, EN),
                labels::marketing(*new, EN)
            ),
            PurposeDescriptionChanged { id, old, new } => {
                write!(f, "purpose {id:?}: description {old:?} → {new:?}")
            }
            PurposeInterestChanged { id, old, new } => {
                write!(f, "purpose {id:?}: legitimate interest {old:?} → {new:?}")
            }
            PurposeLinksChanged {
                id,
                links,
                added,
                removed,
            } => {
                write!(f, "purpose {id:?}: {links}")?;
                if !added.is_empty() {
                    write!(f, " + {}", added.join(", "))?;
                }
                if !removed.is_empty() {
                    write!(f, " - {}", removed.join(", "))?;
                }
                Ok(())
            }
            ItemAdded { list, text } => write!(f, "{} added: {text:?}", singular(list)),
            ItemRemoved { list, text } => write!(f, "{} removed: {text:?}", singular(list)),
            RecipientAdded {
                name,
                role,
                location,
            } => {
                if location.is_empty() {
                    write!(f, "recipient {name:?} added ({})", labels::role(*role, EN))
                } else {
                    write!(
                        f,
                        "recipient {name:?} added ({}, {location})",
                        labels::role(*role, EN)
                    )
                }
            }
            RecipientRemoved { name } => write!(f, "recipient {name:?} removed"),
            RecipientChanged {
                name,
                field,
                old,
                new,
            } => write!(f, "recipient {name:?}: {field} {old:?} → {new:?}"),
            TransferAdded {
                recipient,
                country,
                safeguard,
            } => write!(
                f,
                "transfer to {recipient:?} in {country} added (safeguard: {safeguard})"
            ),
            TransferRemoved { recipient, country } => {
                write!(f, "transfer to {recipient:?} in {country} removed")
            }
            TransferSafeguardChanged {
                recipient,
                country,
                old,
                new,
            } => write!(
                f,
                "transfer to {recipient:?} in {country}: safeguard {old:?} → {new:?}"
            ),
            RetentionAdded {
                category,
                months,
                counted_from,
            } => write!(
                f,
                "retention rule for {} added: {months} months from {}",
                category.as_str(),
                labels::retention_start(*counted_from, EN)
            ),
            RetentionRemoved { category } => write!(
                f,
                "retention rule for {} removed (no time limit)",
                category.as_str()
            ),
            RetentionMonthsChanged { category, old, new } => write!(
                f,
                "retention of {}: {old} → {new} months",
                category.as_str()
            ),
            RetentionStartChanged { category, old, new } => write!(
                f,
                "retention of {}: counted from {} → from {}",
                category.as_str(),
                labels::retention_start(*old, EN),
                labels::retention_start(*new, EN)
            ),
            RecordRetentionAdded {
                records, months, ..
            } => write!(
                f,
                "record retention rule for {} added: {months} months from {}",
                records.as_str(),
                labels::records_start(*records, EN)
            ),
            RecordRetentionRemoved { records, after, .. } => write!(
                f,
                "record retention rule for {} removed ({})",
                records.as_str(),
                match after {
                    Some(m) => format!("the default of {m} months applies"),
                    None => "no time limit".into(),
                }
            ),
            RecordRetentionMonthsChanged { records, old, new } => write!(
                f,
                "record retention of {}: {old} → {new} months",
                records.as_str()
            ),
            DeletionIntervalChanged { old, new } => write!(
                f,
                "deletion of unneeded data at least every: {} → {}",
                interval_str(*old),
                interval_str(*new)
            ),
        }
    }
}

/// Every change from `old` to `new`, in the order the description is read.
/// Lists are compared by their keys (purpose id, recipient name, transfer recipient and
/// country, retention category, the text of a line), so reordering alone is no change.
pub fn diff(old: &Policy, new: &Policy) -> Vec<Change> {
    // Destructured so that a field added to Policy cannot be forgotten here.
    let Policy {
        timezone,
        controller,
        contact_person,
        register,
        subjects,
        purposes,
        data_categories,
        data_provision,
        sources,
        recipients,
        transfers,
        retention_description,
        retention,
        record_retention,
        security,
        deletion_interval_months,
        profiling,
        further_processing,
        cookies,
    } = new;
    let mut out = Vec::new();
    let mut detail = |field: &str, o: &str, n: &str| {
        if o != n {
            out.push(Change::DetailChanged {
                field: field.to_string(),
                old: o.to_string(),
                new: n.to_string(),
            });
        }
    };
    detail("timezone", old.timezone.name(), timezone.name());
    let (oc, nc) = (&old.controller, controller);
    detail("controller.name", &oc.name, &nc.name);
    detail("controller.business_id", &oc.business_id, &nc.business_id);
    detail("controller.address", &oc.address, &nc.address);
    detail("controller.phone", &oc.phone, &nc.phone);
    detail("controller.email", &oc.email, &nc.email);
    let (op, np) = (&old.contact_person, contact_person);
    detail("contact_person.name", &op.name, &np.name);
    detail("contact_person.title", &op.title, &np.title);
    detail("contact_person.phone", &op.phone, &np.phone);
    detail(
        "contact_person.other_phone",
        &op.other_phone,
        &np.other_phone,
    );
    detail("contact_person.email", &op.email, &np.email);
    detail("contact_person.address", &op.address, &np.address);
    detail("register.name", &old.register.name, &register.name);
    detail(
        "register.description",
        &old.register.description.summary(),
        &register.description.summary(),
    );
    let opt = |t: &Option<Text>| t.as_ref().map(Text::summary).unwrap_or_default();
    let (od, nd) = (old.data_provision.as_ref(), data_provision.as_ref());
    let obliged = |d: Option<&DataProvision>| match d.map(|d| d.obliged) {
        Some(true) => "required",
        Some(false) => "not required",
        None => "",
    };
    detail("data_provision.obliged", obliged(od), obliged(nd));
    detail(
        "data_provision.reason",
        &opt(&od.and_then(|d| d.reason.clone())),
        &opt(&nd.and_then(|d| d.reason.clone())),
    );
    detail(
        "data_provision.consequence",
        &opt(&od.and_then(|d| d.consequence.clone())),
        &opt(&nd.and_then(|d| d.consequence.clone())),
    );
    detail(
        "retention_description",
        &opt(&old.retention_description),
        &opt(retention_description),
    );
    detail("profiling", &opt(&old.profiling), &opt(profiling));
    detail(
        "further_processing",
        &opt(&old.further_processing),
        &opt(further_processing),
    );
    detail("cookies", &opt(&old.cookies), &opt(cookies));

    let items = |xs: &[Item]| xs.iter().map(|x| x.text.summary()).collect::<Vec<_>>();
    let texts = |xs: &[Text]| xs.iter().map(Text::summary).collect::<Vec<_>>();
    diff_items(
        "subjects",
        &items(&old.subjects),
        &items(subjects),
        &mut out,
    );
    diff_purposes(&old.purposes, purposes, &mut out);
    diff_items(
        "data_categories",
        &items(&old.data_categories),
        &items(data_categories),
        &mut out,
    );
    diff_items("sources", &texts(&old.sources), &texts(sources), &mut out);
    diff_recipients(&old.recipients, recipients, &mut out);
    diff_transfers(&old.transfers, transfers, &mut out);
    diff_retention(&old.retention, retention, &mut out);
    diff_record_retention(old, new, &old.record_retention, record_retention, &mut out);
    if old.deletion_interval_months != *deletion_interval_months {
        out.push(Change::DeletionIntervalChanged {
            old: old.deletion_interval_months,
            new: *deletion_interval_months,
        });
    }
    diff_items(
        "security",
        &texts(&old.security),
        &texts(security),
        &mut out,
    );
    out
}

fn diff_purposes(old: &[Purpose], new: &[Purpose], out: &mut Vec<Change>) {
    let before: HashMap<&str, &Purpose> = old.iter().map(|p| (p.id.as_str(), p)).collect();
    let after: HashSet<&str> = new.iter().map(|p| p.id.as_str()).collect();
    for p in old.iter().filter(|p| !after.contains(p.id.as_str())) {
        out.push(Change::PurposeRemoved { id: p.id.clone() });
    }
    for p in new {
        let Some(o) = before.get(p.id.as_str()) else {
            out.push(Change::PurposeAdded {
                id: p.id.clone(),
                basis: p.basis,
                marketing: p.marketing,
            });
            continue;
        };
        if o.basis != p.basis {
            out.push(Change::PurposeBasisChanged {
                id: p.id.clone(),
                old: o.basis,
                new: p.basis,
            });
        }
        if o.marketing != p.marketing {
            out.push(Change::PurposeMarketingChanged {
                id: p.id.clone(),
                old: o.marketing,
                new: p.marketing,
            });
        }
        if o.description != p.description {
            out.push(Change::PurposeDescriptionChanged {
                id: p.id.clone(),
                old: o.description.summary(),
                new: p.description.summary(),
            });
        }
        let interest = |p: &Purpose| p.legitimate_interest.as_ref().map(Text::summary);
        if interest(o) != interest(p) {
            out.push(Change::PurposeInterestChanged {
                id: p.id.clone(),
                old: interest(o).unwrap_or_default(),
                new: interest(p).unwrap_or_default(),
            });
        }
        for (links, a, b) in [
            ("subjects", &o.subjects, &p.subjects),
            ("data", &o.data, &p.data),
            ("recipients", &o.recipients, &p.recipients),
        ] {
            let added: Vec<String> = b.iter().filter(|x| !a.contains(x)).cloned().collect();
            let removed: Vec<String> = a.iter().filter(|x| !b.contains(x)).cloned().collect();
            if !added.is_empty() || !removed.is_empty() {
                out.push(Change::PurposeLinksChanged {
                    id: p.id.clone(),
                    links,
                    added,
                    removed,
                });
            }
        }
    }
}

fn diff_items(list: &'static str, old: &[String], new: &[String], out: &mut Vec<Change>) {
    let before: HashSet<&str> = old.iter().map(|s| s.trim()).collect();
    let after: HashSet<&str> = new.iter().map(|s| s.trim()).collect();
    let mut done = HashSet::new();
    for s in old.iter().map(|s| s.trim()) {
        if !after.contains(s) && done.insert(s) {
            out.push(Change::ItemRemoved {
                list,
                text: s.to_string(),
            });
        }
    }
    for s in new.iter().map(|s| s.trim()) {
        if !before.contains(s) && done.insert(s) {
            out.push(Change::ItemAdded {
                list,
                text: s.to_string(),
            });
        }
    }
}

fn diff_recipients(old: &[Recipient], new: &[Recipient], out: &mut Vec<Change>) {
    let before: HashMap<&str, &Recipient> = old.iter().map(|r| (r.name.as_str(), r)).collect();
    let after: HashSet<&str> = new.iter().map(|r| r.name.as_str()).collect();
    for r in old.iter().filter(|r| !after.contains(r.name.as_str())) {
        out.push(Change::RecipientRemoved {
            name: r.name.clone(),
        });
    }
    for r in new {
        let Some(o) = before.get(r.name.as_str()) else {
            out.push(Change::RecipientAdded {
                name: r.name.clone(),
                role: r.role,
                location: r.location.clone(),
            });
            continue;
        };
        let mut changed = |field: &'static str, a: &str, b: &str| {
            if a != b {
                out.push(Change::RecipientChanged {
                    name: r.name.clone(),
                    field,
                    old: a.to_string(),
                    new: b.to_string(),
                });
            }
        };
        changed("role", labels::role(o.role, EN), labels::role(r.role, EN));
        changed("purpose", &o.purpose.summary(), &r.purpose.summary());
        changed("location", &o.location, &r.location);
        let yes = |b: bool| if b { "yes" } else { "no" };
        changed(
            "only_with_consent",
            yes(o.only_with_consent),
            yes(r.only_with_consent),
        );
    }
}

fn diff_transfers(old: &[Transfer], new: &[Transfer], out: &mut Vec<Change>) {
    let key = |t: &Transfer| (t.recipient.clone(), t.country.clone());
    let before: HashMap<(String, String), &Transfer> = old.iter().map(|t| (key(t), t)).collect();
    let after: HashSet<(String, String)> = new.iter().map(key).collect();
    for t in old.iter().filter(|t| !after.contains(&key(t))) {
        out.push(Change::TransferRemoved {
            recipient: t.recipient.clone(),
            country: t.country.clone(),
        });
    }
    for t in new {
        match before.get(&key(t)) {
            None => out.push(Change::TransferAdded {
                recipient: t.recipient.clone(),
                country: t.country.clone(),
                safeguard: t.safeguard.summary(),
            }),
            Some(o) if o.safeguard != t.safeguard => out.push(Change::TransferSafeguardChanged {
                recipient: t.recipient.clone(),
                country: t.country.clone(),
                old: o.safeguard.summary(),
                new: t.safeguard.summary(),
            }),
            Some(_) => {}
        }
    }
}

fn diff_retention(old: &[Retention], new: &[Retention], out: &mut Vec<Change>) {
    let before: HashMap<Category, &Retention> = old.iter().map(|r| (r.category, r)).collect();
    let after: HashSet<Category> = new.iter().map(|r| r.category).collect();
    for r in old.iter().filter(|r| !after.contains(&r.category)) {
        out.push(Change::RetentionRemoved {
            category: r.category,
        });
    }
    for r in new {
        let Some(o) = before.get(&r.category) else {
            out.push(Change::RetentionAdded {
                category: r.category,
                months: r.months,
                counted_from: r.counted_from,
            });
            continue;
        };
        if o.months != r.months {
            out.push(Change::RetentionMonthsChanged {
                category: r.category,
                old: o.months,
                new: r.months,
            });
        }
        if o.counted_from != r.counted_from {
            out.push(Change::RetentionStartChanged {
                category: r.category,
                old: o.counted_from,
                new: r.counted_from,
            });
        }
        let words = |r: &Retention| {
            r.description
                .as_ref()
                .map(Text::summary)
                .unwrap_or_default()
        };
        if words(o) != words(r) {
            out.push(Change::DetailChanged {
                field: format!("retention[{}].description", r.category.as_str()),
                old: words(o),
                new: words(r),
            });
        }
    }
}

/// The `[[record_retention]]` rules by kind. What applies without a rule (the default for
/// requests) is read from the policies, so a rule replacing it is weighed against it.
fn diff_record_retention(
    old_policy: &Policy,
    new_policy: &Policy,
    old: &[RecordRetention],
    new: &[RecordRetention],
    out: &mut Vec<Change>,
) {
    let before: HashMap<Records, u32> = old.iter().map(|r| (r.records, r.months)).collect();
    let after: HashSet<Records> = new.iter().map(|r| r.records).collect();
    for r in old.iter().filter(|r| !after.contains(&r.records)) {
        out.push(Change::RecordRetentionRemoved {
            records: r.records,
            months: r.months,
            after: new_policy.record_months(r.records),
        });
    }
    for r in new {
        match before.get(&r.records) {
            None => out.push(Change::RecordRetentionAdded {
                records: r.records,
                months: r.months,
                before: old_policy.record_months(r.records),
            }),
            Some(&o) if o != r.months => out.push(Change::RecordRetentionMonthsChanged {
                records: r.records,
                old: o,
                new: r.months,
            }),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Policy {
        Policy::default_policy()
    }

    fn purpose(id: &str, basis: Basis, marketing: Option<Marketing>) -> Purpose {
        Purpose::new(id, &format!("{id} description"), basis, marketing)
    }

    #[test]
    fn identical_and_reordered_descriptions_have_no_changes() {
        let p = base();
        assert!(diff(&p, &p).is_empty());
        let mut q = p.clone();
        q.purposes.reverse();
        q.retention.reverse();
        q.sources.reverse();
        assert!(diff(&p, &q).is_empty());
    }

    #[test]
    fn purposes_added_removed_and_changed() {
        let old = base();
        let mut new = old.clone();
        new.purposes.retain(|p| p.id != "b2b-marketing");
        new.purposes
            .push(purpose("events", Basis::Consent, Some(Marketing::OptIn)));
        let n = new
            .purposes
            .iter_mut()
            .find(|p| p.id == "newsletter")
            .unwrap();
        n.basis = Basis::LegitimateInterest;
        n.marketing = Some(Marketing::OptOut);
        let c = diff(&old, &new);
        assert_eq!(
            c,
            vec![
                Change::PurposeRemoved {
                    id: "b2b-marketing".into()
                },
                Change::PurposeBasisChanged {
                    id: "newsletter".into(),
                    old: Basis::Consent,
                    new: Basis::LegitimateInterest
                },
                Change::PurposeMarketingChanged {
                    id: "newsletter".into(),
                    old: Some(Marketing::OptIn),
                    new: Some(Marketing::OptOut)
                },
                Change::PurposeAdded {
                    id: "events".into(),
                    basis: Basis::Consent,
                    marketing: Some(Marketing::OptIn)
                },
            ]
        );
        let material: Vec<bool> = c.iter().map(Change::is_material).collect();
        assert_eq!(material, vec![false, true, true, true]);
        assert_eq!(
            c[3].to_string(),
            "purpose \"events\" added (consent, opt-in)"
        );
    }

    #[test]
    fn marketing_becoming_consent_based_is_not_material() {
        let c = Change::PurposeMarketingChanged {
            id: "x".into(),
            old: Some(Marketing::OptOut),
            new: Some(Marketing::OptIn),
        };
        assert!(!c.is_material());
        let c = Change::PurposeMarketingChanged {
            id: "x".into(),
            old: None,
            new: Some(Marketing::OptIn),
        };
        assert!(c.is_material());
    }

    #[test]
    fn recipients_and_transfers() {
        let old = base();
        let mut new = old.clone();
        new.recipients.push(Recipient {
            name: "Postitus Oy".into(),
            role: RecipientRole::Processor,
            purpose: "newsletter".into(),
            location: "US".into(),
            only_with_consent: false,
        });
        new.transfers.push(Transfer {
            recipient: "Postitus Oy".into(),
            country: "US".into(),
            safeguard: "standard contractual clauses".into(),
        });
        let c = diff(&old, &new);
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(Change::is_material));

        let mut newer = new.clone();
        newer.recipients[0].location = "EU/EEA".into();
        newer.recipients[0].purpose = "mailing".into();
        newer.transfers.clear();
        let c = diff(&new, &newer);
        assert_eq!(
            c,
            vec![
                Change::RecipientChanged {
                    name: "Postitus Oy".into(),
                    field: "purpose",
                    old: "newsletter".into(),
                    new: "mailing".into()
                },
                Change::RecipientChanged {
                    name: "Postitus Oy".into(),
                    field: "location",
                    old: "US".into(),
                    new: "EU/EEA".into()
                },
                Change::TransferRemoved {
                    recipient: "Postitus Oy".into(),
                    country: "US".into()
                },
            ]
        );
        assert_eq!(
            c.iter().map(Change::is_material).collect::<Vec<_>>(),
            vec![false, true, false]
        );

        let mut safer = new.clone();
        safer.transfers[0].safeguard = "adequacy decision".into();
        let c = diff(&new, &safer);
        assert!(matches!(c[..], [Change::TransferSafeguardChanged { .. }]));
    }

    #[test]
    fn record_retention_longer_is_material_shorter_is_not() {
        let old = base();
        let months = |p: &mut Policy, kind: Records, m: u32| {
            p.record_retention
                .iter_mut()
                .find(|r| r.records == kind)
                .unwrap()
                .months = m;
        };
        let mut new = old.clone();
        months(&mut new, Records::Courses, 36);
        months(&mut new, Records::History, 12);
        let c = diff(&old, &new);
        assert_eq!(
            c,
            vec![
                Change::RecordRetentionMonthsChanged {
                    records: Records::Courses,
                    old: 24,
                    new: 36
                },
                Change::RecordRetentionMonthsChanged {
                    records: Records::History,
                    old: 24,
                    new: 12
                },
            ]
        );
        assert_eq!(c[0].material_reason(), Some("longer retention"));
        assert!(!c[1].is_material());
        assert_eq!(
            c[0].to_string(),
            "record retention of courses: 24 → 36 months"
        );
        assert_eq!(c[0].short(), "record retention courses 24→36 months");

        // Removed: history is then kept without a time limit, requests for the default time.
        let mut none = old.clone();
        none.record_retention
            .retain(|r| r.records == Records::Courses);
        let c = diff(&old, &none);
        assert_eq!(
            c,
            vec![
                Change::RecordRetentionRemoved {
                    records: Records::History,
                    months: 24,
                    after: None
                },
                Change::RecordRetentionRemoved {
                    records: Records::Requests,
                    months: 60,
                    after: Some(60)
                },
            ]
        );
        assert!(c[0].is_material() && !c[1].is_material());
        assert_eq!(c[0].sign(), '-');
        assert_eq!(
            c[1].to_string(),
            "record retention rule for requests removed (the default of 60 months applies)"
        );
        // Added back: a limit where there was none is shorter.
        let back = diff(&none, &old);
        assert!(back.iter().all(|c| !c.is_material()), "{back:?}");
        assert_eq!(back[0].sign(), '+');
        assert_eq!(
            back[0].to_string(),
            "record retention rule for history added: 24 months from the date of the entry"
        );

        // Requests: a rule replacing the default is weighed against it, either way.
        let mut shorter = none.clone();
        shorter.record_retention.push(RecordRetention {
            records: Records::Requests,
            months: 36,
        });
        let mut longer = none.clone();
        longer.record_retention.push(RecordRetention {
            records: Records::Requests,
            months: 84,
        });
        assert!(!diff(&none, &shorter)[0].is_material());
        assert!(diff(&none, &longer)[0].is_material());
        assert!(diff(&shorter, &none)[0].is_material());
        assert!(!diff(&longer, &none)[0].is_material());
        // Reordering the rules is no change.
        let mut reordered = old.clone();
        reordered.record_retention.reverse();
        assert!(diff(&old, &reordered).is_empty());
    }

    #[test]
    fn retention_longer_is_material_shorter_is_not() {
        let old = base();
        let mut new = old.clone();
        new.retention[0].months = 36;
        new.retention[1].months = 12;
        new.retention[2].counted_from = RetentionStart::Ended;
        let c = diff(&old, &new);
        assert_eq!(c.len(), 3, "{c:?}");
        assert!(c[0].is_material());
        assert!(!c[1].is_material());
        assert!(c[2].is_material());
        assert_eq!(c[0].to_string(), "retention of customer: 24 → 36 months");

        let mut none = old.clone();
        none.retention.remove(0);
        let c = diff(&old, &none);
        assert_eq!(
            c,
            vec![Change::RetentionRemoved {
                category: Category::Customer
            }]
        );
        assert!(c[0].is_material());
        assert!(!diff(&none, &old)[0].is_material());
    }

    #[test]
    fn controller_contact_person_and_notes() {
        let mut old = base();
        old.deletion_interval_months = None;
        let mut new = old.clone();
        new.controller.address = "Uusikatu 2, 33100 Tampere".into();
        new.contact_person.name = "Äimä Öhman".into();
        new.controller.name = "Uusi Oy".into();
        new.profiling = Some("no automated decision-making".into());
        new.deletion_interval_months = Some(24);
        let c = diff(&old, &new);
        let fields: Vec<String> = c
            .iter()
            .map(|c| match c {
                Change::DetailChanged { field, .. } => field.clone(),
                other => other.short(),
            })
            .collect();
        assert_eq!(
            fields,
            vec![
                "controller.name",
                "controller.address",
                "contact_person.name",
                "profiling",
                "~deletion interval"
            ]
        );
        let material: Vec<bool> = c.iter().map(Change::is_material).collect();
        assert_eq!(material, vec![true, false, false, true, false]);
        let mut longer = new.clone();
        longer.deletion_interval_months = Some(36);
        assert!(diff(&new, &longer)[0].is_material());
    }

    #[test]
    fn a_time_zone_change_is_listed_and_not_material() {
        let old = base();
        let mut new = old.clone();
        new.timezone = crate::model::policy::Timezone(chrono_tz::Europe::Stockholm);
        let c = diff(&old, &new);
        assert_eq!(
            c,
            vec![Change::DetailChanged {
                field: "timezone".into(),
                old: "Europe/Helsinki".into(),
                new: "Europe/Stockholm".into()
            }]
        );
        assert!(!c[0].is_material());
        assert_eq!(c[0].short(), "~timezone");
        assert_eq!(
            c[0].to_string(),
            "timezone: \"Europe/Helsinki\" → \"Europe/Stockholm\""
        );
    }

    #[test]
    fn list_items_added_and_removed() {
        let old = base();
        let mut new = old.clone();
        new.sources.push("trade fairs".into());
        new.security.remove(0);
        new.data_categories[0] = format!("  {}  ", new.data_categories[0].text)
            .as_str()
            .into();
        let c = diff(&old, &new);
        assert_eq!(
            c,
            vec![
                Change::ItemAdded {
                    list: "sources",
                    text: "trade fairs".into()
                },
                Change::ItemRemoved {
                    list: "security",
                    text: old.security[0].summary()
                },
            ]
        );
        assert!(c[0].is_material());
        assert!(!c[1].is_material());
    }

    #[test]
    fn new_fields_are_compared_and_weighed() {
        use crate::model::policy::{DataProvision, Item};
        let old = base();
        let mut new = old.clone();
        new.subjects.push(Item::from("course students"));
        new.data_provision = Some(DataProvision {
            obliged: true,
            reason: None,
            consequence: Some("no contract".into()),
        });
        new.further_processing = Some("none".into());
        new.retention_description = Some("while the relationship is active".into());
        new.register.description = Text::PerLang {
            fi: Some("Asiakasrekisteri".into()),
            en: Some("Customer register".into()),
        };
        let b2b = new
            .purposes
            .iter_mut()
            .find(|p| p.id == "b2b-marketing")
            .unwrap();
        b2b.legitimate_interest = Some("a relevant connection".into());
        b2b.subjects = vec!["customers".into()];
        new.contact_person.other_phone = "+358 40 1".into();
        let c = diff(&old, &new);
        let weighed: Vec<(String, Option<&str>)> =
            c.iter().map(|c| (c.short(), c.material_reason())).collect();
        assert_eq!(
            weighed,
            vec![
                ("~contact_person.other_phone".into(), None),
                ("~register.description".into(), None),
                (
                    "~data_provision.obliged".into(),
                    Some("changed requirement to give the data")
                ),
                // The built-in description gives a reason; this one drops it.
                ("~data_provision.reason".into(), None),
                ("~data_provision.consequence".into(), None),
                ("~retention_description".into(), None),
                (
                    "~further_processing".into(),
                    Some("changed further processing")
                ),
                (
                    "+category of data subjects".into(),
                    Some("new category of data subjects")
                ),
                ("~b2b-marketing legitimate interest".into(), None),
                ("~b2b-marketing subjects".into(), None),
            ]
        );
        // Wording per language is compared as text; the same text again is no change.
        assert!(diff(&new, &new.clone()).is_empty());

        let mut shared = old.clone();
        shared.recipients.push(Recipient {
            name: "Kumppani Oy".into(),
            role: RecipientRole::Other,
            purpose: "courses".into(),
            location: "FI".into(),
            only_with_consent: true,
        });
        let mut freely = shared.clone();
        freely.recipients[0].only_with_consent = false;
        let c = diff(&shared, &freely);
        assert_eq!(
            c[0].material_reason(),
            Some("recipient gets data without consent")
        );
        assert!(!diff(&freely, &shared)[0].is_material());
    }

    #[test]
    fn changes_serialise_with_a_kind() {
        let c = Change::PurposeRemoved { id: "x".into() };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["kind"], "purpose-removed");
        assert_eq!(v["id"], "x");
    }
}
