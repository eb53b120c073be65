-- Directory (owned by the `directory` crate): national extracts, whitelist, citizens' accounts,
-- credentials, conversation permits. Timestamps are Unix seconds; booleans are BOOLEAN columns.
-- Every imported table carries `import_gen` (the dir_import run that last saw the row) and
-- `created_gen` (the run that created it): a newer full extract deactivates what it no longer lists.

CREATE TABLE dir_import (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    rows_read INTEGER NOT NULL DEFAULT 0,
    imported INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    deactivated INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
);

-- Extraction_Correspondance_MSSante: one row per mailbox (PER / ORG / APP).
CREATE TABLE dir_mailbox (
    address TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    pp_id_type TEXT,
    pp_id TEXT,
    pp_national_id TEXT,
    structure_id_type TEXT,
    structure_id TEXT,
    service TEXT,
    civility TEXT,
    last_name TEXT,
    first_name TEXT,
    profession_category TEXT,
    profession_category_label TEXT,
    profession_code TEXT,
    profession_label TEXT,
    skill_code TEXT,
    skill_label TEXT,
    dematerialisation BOOLEAN NOT NULL,
    structure_name TEXT,
    structure_brand TEXT,
    street TEXT,
    address_extra TEXT,
    city_line TEXT,
    postal_code TEXT,
    department TEXT,
    country TEXT,
    active BOOLEAN NOT NULL,
    import_gen INTEGER NOT NULL,
    created_gen INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX dir_mailbox_structure ON dir_mailbox (structure_id);

-- PS_LibreAcces_Personne_activite: professionals and the structures they work in.
CREATE TABLE dir_professional (
    national_id TEXT PRIMARY KEY,
    id_type TEXT NOT NULL,
    pp_id TEXT NOT NULL,
    civility TEXT,
    last_name TEXT,
    first_name TEXT,
    profession_code TEXT,
    profession_label TEXT,
    category_code TEXT,
    skill_code TEXT,
    skill_label TEXT,
    active BOOLEAN NOT NULL,
    import_gen INTEGER NOT NULL,
    created_gen INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE dir_structure (
    structure_key TEXT PRIMARY KEY,
    siret TEXT,
    siren TEXT,
    finess_site TEXT,
    finess_legal TEXT,
    tech_id TEXT,
    name TEXT,
    brand TEXT,
    sector_code TEXT,
    sector_label TEXT,
    is_officine BOOLEAN NOT NULL,
    postal_code TEXT,
    city TEXT,
    department TEXT,
    active BOOLEAN NOT NULL,
    import_gen INTEGER NOT NULL,
    created_gen INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX dir_structure_finess ON dir_structure (finess_site);
CREATE INDEX dir_structure_siret ON dir_structure (siret);

-- Operator flag set by `santemail directory mark-pharmacy`; never touched by an import.
CREATE TABLE dir_pharmacy_mark (
    address TEXT PRIMARY KEY,
    marked_at INTEGER NOT NULL
);

-- listeblanchemssante.xml: the operators' domains (ASCII/punycode form is the key).
CREATE TABLE dir_whitelist (
    domain TEXT PRIMARY KEY,
    domain_unicode TEXT NOT NULL,
    description TEXT,
    operator_dn TEXT,
    responsible_contact TEXT,
    support_contact TEXT,
    updated_on TEXT,
    active BOOLEAN NOT NULL,
    import_gen INTEGER NOT NULL,
    created_gen INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Citizens (assures.csv) and their accounts. `state`: pending | active | opposed | closed.
CREATE TABLE dir_citizen (
    nir TEXT PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    birth_name TEXT NOT NULL,
    first_names TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT,
    vitale_serial TEXT,
    email TEXT,
    mobile TEXT,
    is_minor BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    code_hash TEXT,
    created_at INTEGER NOT NULL,
    state_changed_at INTEGER NOT NULL,
    activated_at INTEGER,
    opposed_at INTEGER,
    closed_at INTEGER,
    active BOOLEAN NOT NULL,
    import_gen INTEGER NOT NULL,
    created_gen INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE dir_guardian (
    child_nir TEXT NOT NULL,
    guardian_nir TEXT NOT NULL,
    import_gen INTEGER NOT NULL,
    PRIMARY KEY (child_nir, guardian_nir)
);
CREATE INDEX dir_guardian_guardian ON dir_guardian (guardian_nir);

-- Argon2id password hashes (PHC strings) for any mailbox address.
CREATE TABLE dir_credential (
    address TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Conversation permits: `citizen` may answer `pro_address` until the conversation is ended.
CREATE TABLE dir_permit (
    citizen TEXT NOT NULL,
    pro_address TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    message_id TEXT,
    ended_at INTEGER,
    end_message_id TEXT,
    PRIMARY KEY (citizen, pro_address)
);
