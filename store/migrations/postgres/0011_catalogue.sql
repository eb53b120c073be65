-- The catalogue of referenced health services (health::catalogue, issue 9). PostgreSQL flavour; the
-- SQLite file has the same table and columns. Replaced as a whole by `santemail catalogue
-- import`; the pages read it whole and search in memory (accent-insensitive, same on both
-- backends).

CREATE TABLE catalogue_service (
    service_key TEXT    PRIMARY KEY,                -- the file's `identifiant`, or else the URL
    name        TEXT    NOT NULL,
    publisher   TEXT    NOT NULL,                   -- éditeur
    category    TEXT    NOT NULL,                   -- slug of health::catalogue::Category
    description TEXT    NOT NULL,
    url         TEXT    NOT NULL,                   -- https:// only, checked at import
    free        BIGINT  NOT NULL,                   -- 1 gratuit, 0 payant
    audience    TEXT    NOT NULL,                   -- comma-separated Audience slugs
    updated_at  BIGINT  NOT NULL                    -- last import that changed the row
);
