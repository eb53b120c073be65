-- DMP document store (dmp-bridge, DESIGN.md §7). SQLite flavour; the PostgreSQL file has the same
-- tables and columns. Integers as i64, times as Unix seconds, booleans as integer 0/1 columns
-- (docs/decisions.md). The document content is a blob of the store, fsynced before the row.

CREATE TABLE dmp_document (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_ins          TEXT    NOT NULL,          -- 15-digit INS (NIR + key), OID 1.2.250.1.213.1.4.8
    unique_id            TEXT    NOT NULL,          -- XDSDocumentEntry.uniqueId (an OID), kept on export
    title                TEXT    NOT NULL,
    category             TEXT    NOT NULL,          -- slug of dmp_bridge::Category
    type_code            TEXT,                      -- LOINC
    type_label           TEXT,
    class_code           TEXT,                      -- DMP class code (1.2.250.1.213.1.1.4.1)
    format_code          TEXT,
    mime_type            TEXT    NOT NULL,
    file_name            TEXT    NOT NULL,
    author_kind          TEXT    NOT NULL,          -- professional | patient | structure
    author_id            TEXT,                      -- RPPS (11 digits) or the patient's INS
    author_name          TEXT,
    author_structure     TEXT,
    created_at           INTEGER NOT NULL,          -- creationTime of the document
    filed_at             INTEGER NOT NULL,          -- when it entered this DMP
    source               TEXT    NOT NULL,          -- mail | xdm | upload | api
    blob_id              TEXT    NOT NULL,
    size                 INTEGER NOT NULL,
    masque_ps            INTEGER NOT NULL DEFAULT 0,
    invisible_patient    INTEGER NOT NULL DEFAULT 0,
    invisible_rep_legaux INTEGER NOT NULL DEFAULT 0,
    hidden_by_patient    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (patient_ins, unique_id)
);
CREATE INDEX dmp_document_patient ON dmp_document (patient_ins, category, created_at);

-- The patient's choices: médecin traitant, oppositions to break-glass and SAMU access.
CREATE TABLE dmp_patient (
    patient_ins           TEXT PRIMARY KEY,
    medecin_traitant_rpps TEXT,
    oppose_break_glass    INTEGER NOT NULL DEFAULT 0,
    oppose_samu           INTEGER NOT NULL DEFAULT 0,
    updated_at            INTEGER NOT NULL
);

-- Professionals the patient has blocked from the whole DMP.
CREATE TABLE dmp_blocked (
    patient_ins TEXT    NOT NULL,
    rpps        TEXT    NOT NULL,
    blocked_at  INTEGER NOT NULL,
    PRIMARY KEY (patient_ins, rpps)
);

-- The audit trail the patient reads ("Historique des accès"): who, what, when, why.
CREATE TABLE dmp_audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_ins TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    actor_kind  TEXT    NOT NULL,                   -- professional | patient | guardian | system
    actor_id    TEXT,
    actor_name  TEXT,
    action      TEXT    NOT NULL,
    document_id INTEGER,                            -- no foreign key: the trail outlives a deletion
    document_title TEXT,
    mode        TEXT    NOT NULL DEFAULT 'normal',  -- normal | break_glass | samu
    reason      TEXT
);
CREATE INDEX dmp_audit_patient ON dmp_audit (patient_ins, at);
