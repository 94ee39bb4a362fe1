//! What the audit trail records: the kinds of acts, named once.
//!
//! The stored text of each action is part of every event's hash, so a variant's text never
//! changes once released; a new act gets a new variant. [`Action::discloses`] marks the acts
//! that show or export personal data, which an access report and an auditor ask about.

/// One kind of act on the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    RegisterCreate,
    RegisterCheck,
    PolicyApply,
    ContactAdd,
    ContactEdit,
    ContactEnd,
    ContactHold,
    ContactRelease,
    ContactTag,
    ContactLog,
    ContactCourse,
    ContactPurchase,
    ContactImport,
    ContactList,
    ContactShow,
    ConsentGrant,
    ConsentWithdraw,
    ConsentObject,
    ConsentImport,
    ConsentImportUnsubscribes,
    ConsentList,
    ConsentHistory,
    ConsentStatus,
    ExportContacts,
    ExportMailingList,
    ContactErase,
    RequestOpen,
    RequestVerify,
    RequestExtend,
    RequestFulfil,
    RequestLift,
    RequestRefuse,
    RequestComplete,
    RequestShow,
    RegisterPurge,
    ExportRequests,
    ExportAudit,
    ExportSubject,
}

impl Action {
    pub const ALL: [Action; 38] = [
        Action::RegisterCreate,
        Action::RegisterCheck,
        Action::PolicyApply,
        Action::ContactAdd,
        Action::ContactEdit,
        Action::ContactEnd,
        Action::ContactHold,
        Action::ContactRelease,
        Action::ContactTag,
        Action::ContactLog,
        Action::ContactCourse,
        Action::ContactPurchase,
        Action::ContactImport,
        Action::ContactList,
        Action::ContactShow,
        Action::ConsentGrant,
        Action::ConsentWithdraw,
        Action::ConsentObject,
        Action::ConsentImport,
        Action::ConsentImportUnsubscribes,
        Action::ConsentList,
        Action::ConsentHistory,
        Action::ConsentStatus,
        Action::ExportContacts,
        Action::ExportMailingList,
        Action::ContactErase,
        Action::RequestOpen,
        Action::RequestVerify,
        Action::RequestExtend,
        Action::RequestFulfil,
        Action::RequestLift,
        Action::RequestRefuse,
        Action::RequestComplete,
        Action::RequestShow,
        Action::RegisterPurge,
        Action::ExportRequests,
        Action::ExportAudit,
        Action::ExportSubject,
    ];

    /// The text stored in `audit_events.action` (and hashed into the chain).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::RegisterCreate => "register.create",
            Action::RegisterCheck => "register.check",
            Action::PolicyApply => "policy.apply",
            Action::ContactAdd => "contact.add",
            Action::ContactEdit => "contact.edit",
            Action::ContactEnd => "contact.end",
            Action::ContactHold => "contact.hold",
            Action::ContactRelease => "contact.release",
            Action::ContactTag => "contact.tag",
            Action::ContactLog => "contact.log",
            Action::ContactCourse => "contact.course",
            Action::ContactPurchase => "contact.purchase",
            Action::ContactImport => "contact.import",
            Action::ContactErase => "contact.erase",
            Action::RegisterPurge => "register.purge",
            Action::ContactList => "contact.list",
            Action::ContactShow => "contact.show",
            Action::ConsentGrant => "consent.grant",
            Action::ConsentWithdraw => "consent.withdraw",
            Action::ConsentObject => "consent.object",
            Action::ConsentImport => "consent.import",
            Action::ConsentImportUnsubscribes => "consent.import-unsubscribes",
            Action::ConsentList => "consent.list",
            Action::ConsentHistory => "consent.history",
            Action::ConsentStatus => "consent.status",
            Action::ExportContacts => "export.contacts",
            Action::ExportMailingList => "export.mailing-list",
            Action::RequestOpen => "request.open",
            Action::RequestVerify => "request.verify",
            Action::RequestExtend => "request.extend",
            Action::RequestFulfil => "request.fulfil",
            Action::RequestLift => "request.lift",
            Action::RequestRefuse => "request.refuse",
            Action::RequestComplete => "request.complete",
            Action::RequestShow => "request.show",
            Action::ExportRequests => "export.requests",
            Action::ExportAudit => "export.audit",
            Action::ExportSubject => "export.subject",
        }
    }

    /// The action a stored text names; `None` for a text this binary does not know (an
    /// event written by a newer version), which is shown as stored.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the act put personal data in front of someone (screen or file).
    pub fn discloses(self) -> bool {
        match self {
            Action::ContactList
            | Action::ContactShow
            | Action::ConsentList
            | Action::ConsentHistory
            | Action::ConsentStatus
            | Action::ExportContacts
            | Action::ExportMailingList
            | Action::ExportSubject
            | Action::RequestShow => true,
            // Ids, rights, dates and operators only: accountability, not personal values.
            Action::ExportRequests | Action::ExportAudit => false,
            Action::RegisterCreate
            | Action::RegisterCheck
            | Action::PolicyApply
            | Action::ContactAdd
            | Action::ContactEdit
            | Action::ContactEnd
            | Action::ContactHold
            | Action::ContactRelease
            | Action::ContactTag
            | Action::ContactLog
            | Action::ContactCourse
            | Action::ContactPurchase
            | Action::ContactImport
            | Action::ContactErase
            | Action::RegisterPurge
            | Action::ConsentGrant
            | Action::ConsentWithdraw
            | Action::ConsentObject
            | Action::ConsentImport
            | Action::ConsentImportUnsubscribes
            | Action::RequestOpen
            | Action::RequestVerify
            | Action::RequestExtend
            | Action::RequestFulfil
            | Action::RequestLift
            | Action::RequestRefuse
            | Action::RequestComplete => false,
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Released registers hold these texts in their hash chains: renaming one would make
    /// `audit verify` fail on every existing register.
    #[test]
    fn stored_texts_never_change() {
        let texts: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            texts.join(" "),
            "register.create register.check policy.apply contact.add contact.edit contact.end \
             contact.hold contact.release contact.tag contact.log contact.course contact.purchase \
             contact.import contact.list contact.show consent.grant consent.withdraw consent.object \
             consent.import consent.import-unsubscribes consent.list consent.history consent.status \
             export.contacts export.mailing-list contact.erase request.open request.verify \
             request.extend request.fulfil request.lift request.refuse request.complete request.show \
             register.purge export.requests export.audit export.subject"
        );
    }

    #[test]
    fn every_action_parses_back_and_texts_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
            assert!(seen.insert(a.as_str()), "{a} twice");
        }
        assert_eq!(Action::parse("contact.delete"), None);
    }

    #[test]
    fn views_and_exports_are_disclosures_changes_are_not() {
        assert!(Action::ExportMailingList.discloses());
        assert!(Action::ContactShow.discloses());
        assert!(Action::ExportSubject.discloses());
        assert!(!Action::ExportAudit.discloses());
        assert!(!Action::ExportRequests.discloses());
        assert!(!Action::ContactAdd.discloses());
        assert!(!Action::RegisterCreate.discloses());
    }
}
