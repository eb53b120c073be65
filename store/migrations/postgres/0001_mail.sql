-- Mail model of the store (store/src/mailbox.rs, message.rs, queue.rs). PostgreSQL flavour; the
-- SQLite file has the same tables and columns. Types per docs/decisions.md: integers as i64,
-- times as Unix seconds. Booleans are integer 0/1 columns: sqlx 0.9's Any driver
-- cannot read a SQLite BOOLEAN column at all ("Any driver does not support the SQLite type Bool").

-- Counters that never go back. `uidvalidity` feeds new mailboxes (RFC 9051 §2.3.1.1: a mailbox
-- recreated under an old name must get a new UIDVALIDITY).
CREATE TABLE store_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT  NOT NULL
);
INSERT INTO store_counters (name, value) VALUES ('uidvalidity', 0);

-- Accounts whose mailboxes are shared by several users (ORG mailboxes): \Seen is per user there.
CREATE TABLE shared_accounts (
    account TEXT PRIMARY KEY
);

CREATE TABLE mailboxes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- never reused
    account       TEXT    NOT NULL,                   -- lower-cased address
    name          TEXT    NOT NULL,                   -- UTF-8, hierarchy delimiter '/'
    special_use   TEXT,                               -- INBOX, \Sent, \Drafts, \Trash, \Archive
    uidvalidity   BIGINT  NOT NULL,
    uidnext       BIGINT  NOT NULL DEFAULT 1,
    highestmodseq BIGINT  NOT NULL DEFAULT 1,
    recent_uid    BIGINT  NOT NULL DEFAULT 1,         -- first UID not yet reported \Recent
    subscribed    BIGINT  NOT NULL DEFAULT 1,      
    shared        BIGINT  NOT NULL DEFAULT 0,           -- \Seen kept per user in `seen`
    created_at    BIGINT  NOT NULL,
    UNIQUE (account, name)
);

-- One row per message in a mailbox; the body is the blob, shared by every copy.
CREATE TABLE messages (
    mailbox_id    BIGINT  NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uid           BIGINT  NOT NULL,
    modseq        BIGINT  NOT NULL,
    blob_id       TEXT    NOT NULL,
    size          BIGINT  NOT NULL,
    internal_date BIGINT  NOT NULL,
    system_flags  BIGINT  NOT NULL DEFAULT 0,  -- bit mask, see flags.rs
    keywords      TEXT    NOT NULL DEFAULT '', -- space-separated
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX messages_modseq ON messages (mailbox_id, modseq);
CREATE INDEX messages_blob ON messages (blob_id);

-- Expunged UIDs with the MODSEQ of their expunge, for QRESYNC VANISHED (RFC 7162 §3.2.10).
CREATE TABLE expunged (
    mailbox_id BIGINT  NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uid        BIGINT  NOT NULL,
    modseq     BIGINT  NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX expunged_modseq ON expunged (mailbox_id, modseq);

-- Per-user \Seen in shared mailboxes: a row means `account` has seen that message.
CREATE TABLE seen (
    mailbox_id BIGINT  NOT NULL,
    uid        BIGINT  NOT NULL,
    account    TEXT    NOT NULL,
    PRIMARY KEY (mailbox_id, uid, account),
    FOREIGN KEY (mailbox_id, uid) REFERENCES messages (mailbox_id, uid) ON DELETE CASCADE
);

-- Outbound queue: one row per (message, recipient), claimed with a lease by one node at a time.
CREATE TABLE queue (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      TEXT    NOT NULL,   -- groups the recipients of one submission
    sender          TEXT    NOT NULL,   -- envelope MAIL FROM ('' for a DSN)
    recipient       TEXT    NOT NULL,
    blob_id         TEXT    NOT NULL,
    size            BIGINT  NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'delivering', 'delivered', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    last_error      TEXT,
    claimed_by      TEXT,
    lease_until     BIGINT,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX queue_due ON queue (status, next_attempt_at);
CREATE INDEX queue_lease ON queue (status, lease_until);
CREATE INDEX queue_message ON queue (message_id);
