-- IMAP state that is per user (imap/src): subscriptions to shared ORG mailboxes. The `subscribed`
-- column of `mailboxes` is the owner's; a member of the ORG subscribes or unsubscribes for
-- themselves only (RFC 9051 §6.3.7). No row: subscribed, as new mailboxes are.
CREATE TABLE user_subscriptions (
    account    TEXT    NOT NULL,                                      -- the member, lower-cased
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    subscribed INTEGER NOT NULL,
    PRIMARY KEY (account, mailbox_id)
);
