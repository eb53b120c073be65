-- The medical profile's entries (health crate, issue 9): the eight sections other than the
-- measures (0009). SQLite flavour; the other file has the same table and columns. Keyed by the
-- patient's INS like the DMP; times are Unix seconds, dates ISO 'YYYY-MM-DD' text, booleans
-- integer 0/1 (docs/decisions.md). Texts the section does not use are ''.

CREATE TABLE health_profile_entry (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_ins TEXT    NOT NULL,                 -- 15-digit INS
    section     TEXT    NOT NULL,                 -- slug of health::profile::Section
    kind        TEXT,                             -- entourage: volontes | don-organes | directives | personne
    title       TEXT    NOT NULL DEFAULT '',
    start_date  TEXT,
    end_date    TEXT,
    status      TEXT,                             -- en-cours | passe
    dose        TEXT    NOT NULL DEFAULT '',
    frequency   TEXT    NOT NULL DEFAULT '',
    reaction    TEXT    NOT NULL DEFAULT '',
    severity    TEXT,                             -- legere | moderee | severe
    dose_number INTEGER,
    lot         TEXT    NOT NULL DEFAULT '',
    relation    TEXT,                             -- pere | mere | frere | soeur | …
    place       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    role        TEXT    NOT NULL DEFAULT '',
    consent     INTEGER,                              -- organ donation: 1 yes, 0 no
    notes       TEXT    NOT NULL DEFAULT '',
    author_kind TEXT    NOT NULL,                 -- patient | guardian | professional
    author_id   TEXT    NOT NULL,                 -- INS, guardian's NIR, or RPPS
    author_name TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX health_profile_entry_patient ON health_profile_entry (patient_ins, section);
