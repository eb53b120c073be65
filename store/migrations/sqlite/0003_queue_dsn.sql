-- DSN (RFC 3461) per queued recipient: NOTIFY as bits (1 SUCCESS, 2 FAILURE, 4 DELAY; 0 NEVER)
-- and the original recipient (ORCPT) for the report.
ALTER TABLE queue ADD COLUMN dsn_notify INTEGER NOT NULL DEFAULT 2;
ALTER TABLE queue ADD COLUMN orcpt TEXT;
