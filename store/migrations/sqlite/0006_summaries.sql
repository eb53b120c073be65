-- Message summaries for the webmail lists (store/src/summary.rs): what an inbox row shows, so a
-- page of 50 never opens 50 blobs. Keyed by blob id, like the blob itself: every copy of one
-- message (INBOX, Trash, another recipient) shares one row. Written in the delivery transaction
-- (store/src/deliver.rs) and lazily for older messages. Booleans as 0/1 integers (docs/decisions.md).
CREATE TABLE message_summary (
    blob_id          TEXT    PRIMARY KEY,
    subject          TEXT    NOT NULL,
    from_name        TEXT    NOT NULL,
    from_address     TEXT    NOT NULL,
    to_text          TEXT    NOT NULL,   -- display form of To:, for the "Envoyés" list
    sent_at          INTEGER,            -- Date: header, Unix seconds (NULL if absent/unparsable)
    has_attachments  INTEGER NOT NULL DEFAULT 0,
    end_conversation INTEGER NOT NULL DEFAULT 0, -- X-MSS-MES: FIN
    snippet          TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);
