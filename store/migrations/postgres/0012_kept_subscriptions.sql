-- Subscriptions that outlive their mailbox (imap/src). RFC 9051 §6.3.7 (RFC 3501 §6.3.6): the
-- server "MUST NOT unilaterally remove an existing mailbox name from the subscription list even
-- if a mailbox by that name no longer exists". While a mailbox exists its subscription is the
-- `mailboxes.subscribed` column; DELETE of a subscribed mailbox moves it here, LSUB and
-- LIST (SUBSCRIBED) show it (`\Noselect`, `\NonExistent`), UNSUBSCRIBE removes it, and a CREATE
-- of the same name takes it back.
CREATE TABLE kept_subscriptions (
    account TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (account, name)
);
