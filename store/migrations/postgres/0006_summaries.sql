-- Message summaries for the webmail lists (store/src/summary.rs): what an inbox row shows, so a
-- page of 50 never opens 50 blobs. Keyed by blob id, like the blob itself: every copy of one
-- message (INBOX, Trash, another recipient) shares one row. Written in the delivery transaction
-- (store/src/deliver.rs) and lazily for older messages. Booleans as 0/1 integers (docs/decisions.md).
CREATE TABLE message_summary (
    blob_id          TEXT    PRIMARY KEY,
    subject          TEXT    NOT NULL,
    from_name        TEXT    NOT NULL,
    from_address     TEXT    NOT NULL,
    to_text          TEXT    NOT NULL,
    sent_at          BIGINT,
    has_attachments  BIGINT  NOT NULL DEFAULT 0,
    end_conversation BIGINT  NOT NULL DEFAULT 0,
    snippet          TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);
