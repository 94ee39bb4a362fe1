//! Versioned schema. Each entry is applied once, in its own transaction, and bumps
//! `PRAGMA user_version` to its position (1-based). Never edit a released migration: add one.

/// Marks the file as a rekisteri register ("REKI"), so foreign SQLite files are refused.
pub const APPLICATION_ID: i32 = 0x5245_4b49;

pub const MIGRATIONS: &[&str] = &[
    // 1: the register description, contacts and their history, consents, audit trail.
    // Person-related ids are AUTOINCREMENT: an id in the audit trail must never come to
    // mean someone else after an erasure.
    r#"
CREATE TABLE policy_versions (
    version     INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    operator    TEXT NOT NULL,
    body        TEXT NOT NULL            -- the description as TOML
);

CREATE TABLE contacts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name      TEXT,
    last_name       TEXT,
    email           TEXT NOT NULL,       -- lower-cased, so unique case-insensitively
    phone           TEXT,
    company         TEXT,
    business_id     TEXT,
    position        TEXT,
    street          TEXT,
    postal_code     TEXT,
    city            TEXT,
    customer_number TEXT,
    birth_date      TEXT,
    category        TEXT NOT NULL CHECK (category IN ('customer', 'prospect', 'student')),
    source          TEXT NOT NULL CHECK (source IN ('direct', 'public', 'employer', 'credit-registry', 'import')),
    started         TEXT,
    ended           TEXT,
    last_contact    TEXT,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    restricted_at   TEXT                 -- Art. 18: set while processing is restricted
);
CREATE UNIQUE INDEX contacts_email ON contacts (email);

CREATE TABLE contact_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    date        TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'meeting', 'web', 'letter')),
    summary     TEXT NOT NULL,
    feedback    INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL,
    operator    TEXT NOT NULL
);
CREATE INDEX contact_log_contact ON contact_log (contact_id);

CREATE TABLE courses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    course      TEXT NOT NULL,
    completed   TEXT NOT NULL,
    grade       TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX courses_contact ON courses (contact_id);

CREATE TABLE purchases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    date         TEXT NOT NULL,
    item         TEXT NOT NULL,
    amount_cents INTEGER,
    payment      TEXT CHECK (payment IN ('invoice', 'card', 'transfer', 'other')),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX purchases_contact ON purchases (contact_id);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags (tag);

-- Legal holds: kept as history; a hold is active while released_at is null and until has not passed.
CREATE TABLE holds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    until       TEXT,
    placed_at   TEXT NOT NULL,
    placed_by   TEXT NOT NULL,
    released_at TEXT,
    released_by TEXT
);
CREATE INDEX holds_contact ON holds (contact_id);

-- The consent ledger: append-only; the current state is derived from it.
CREATE TABLE consent_events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id         INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    purpose            TEXT,            -- null: an objection to all direct marketing
    kind               TEXT NOT NULL CHECK (kind IN ('granted', 'withdrawn', 'objected')),
    basis              TEXT NOT NULL,
    channel            TEXT NOT NULL,
    evidence           TEXT,
    occurred_at        TEXT NOT NULL,   -- when the person acted
    recorded_at        TEXT NOT NULL,   -- when it was written here
    operator           TEXT NOT NULL,
    policy_version     INTEGER NOT NULL REFERENCES policy_versions (version),
    override_objection INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consent_events_contact ON consent_events (contact_id, purpose);

-- The audit trail holds ids and counts, never personal values. Hash-chained.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    operator   TEXT NOT NULL,
    action     TEXT NOT NULL,
    object_ids TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
"#,
    // 2: data-subject requests, the suppression list of erased people, the register's secret.
    r#"
-- A request keeps its personal free text (requester, details, subject_email) only while it is
-- being handled: completing, refusing or erasing clears it; the bare record (id, type, dates,
-- outcome) stays for accountability.
CREATE TABLE requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    year          INTEGER NOT NULL,           -- R-<year>-<seq>
    seq           INTEGER NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('access', 'rectification', 'erasure', 'restriction', 'portability', 'objection', 'withdrawal')),
    status        TEXT NOT NULL CHECK (status IN ('received', 'verified', 'fulfilled', 'completed', 'refused')),
    contact_id    INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    subject_email TEXT,                       -- someone not in the register (personal)
    received      TEXT NOT NULL,              -- date in the register's time zone
    due           TEXT NOT NULL,              -- the due date in force (model::deadline), moved by an extension
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'web', 'letter', 'phone', 'in-person')),
    requester     TEXT,                       -- personal free text
    details       TEXT,                       -- personal free text
    purposes      TEXT NOT NULL DEFAULT '',   -- purpose ids, comma-separated
    opened_at     TEXT NOT NULL,
    opened_by     TEXT NOT NULL,
    verified_at   TEXT,
    verified_by   TEXT,
    verify_method TEXT,
    extended_at   TEXT,
    extended_by   TEXT,
    extend_reason TEXT,
    notified      TEXT,                       -- date the person was told of the extension
    fulfilled_at  TEXT,
    fulfilled_by  TEXT,
    outcome       TEXT,                       -- what fulfilling did, without personal values
    completed_at  TEXT,
    completed_by  TEXT,
    note          TEXT,
    refused_at    TEXT,
    refused_by    TEXT,
    refuse_reason TEXT,
    fee_cents     INTEGER,
    lifted_at     TEXT,                       -- a restriction's end
    lifted_by     TEXT,
    UNIQUE (year, seq)
);
CREATE INDEX requests_contact ON requests (contact_id);
CREATE INDEX requests_status ON requests (status, received);
-- `request list --overdue / --due-within`: only the open requests, by due date.
CREATE INDEX requests_open_due ON requests (due) WHERE status IN ('received', 'verified', 'fulfilled');
-- Requests of someone not in the register, found by their address.
CREATE INDEX requests_subject_email ON requests (subject_email) WHERE subject_email IS NOT NULL;

-- Erased people, so a re-import does not bring them back: a keyed hash of the normalised
-- e-mail, never the address itself.
CREATE TABLE suppressions (
    key        TEXT PRIMARY KEY,              -- HMAC-SHA-256(secret, e-mail), hex
    erased_on  TEXT NOT NULL,                 -- date
    request    TEXT                           -- R-… when erased by request
) WITHOUT ROWID;

-- The per-register HMAC key for suppressions (from SQLite's CSPRNG, seeded by the OS).
CREATE TABLE register_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL
);
INSERT INTO register_secret (id, secret) VALUES (1, randomblob(32));
"#,
    // 3: a version may take effect on a later day than the one it is stored on
    // (`policy apply --effective DATE`). Versions stored before took effect when stored.
    r#"
ALTER TABLE policy_versions ADD COLUMN effective_at TEXT;  -- UTC; the start of its first day in force
UPDATE policy_versions SET effective_at = created_at;
"#,
    // 4: the register-wide consent state (mailing lists, `consent list`) read from an index
    // alone, in contact order: no pass over the whole ledger and no sort of it. The index
    // replaces the (contact_id, purpose) one, so a person's events are found as before.
    // Restricted contacts (Art. 18) are found without reading the contacts table: few are
    // restricted, so that index is small and imports never touch it.
    r#"
DROP INDEX consent_events_contact;
CREATE INDEX consent_events_state ON consent_events (contact_id, purpose, kind, occurred_at, override_objection);
CREATE INDEX contacts_restricted ON contacts (restricted_at) WHERE restricted_at IS NOT NULL;
"#,
];
