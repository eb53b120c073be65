-- Webmail (owned by the `webmail` crate): sessions, one-time codes, rate limits, login audit,
-- identifiers chosen at activation, preferences, confirmed contact details, archives of closed
-- accounts. Timestamps are Unix seconds; booleans are integer 0/1 (docs/decisions.md).

-- A logged-in citizen's session. The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE web_session (
    id_hash TEXT PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    login TEXT NOT NULL,
    acting TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX web_session_login ON web_session (login);

-- A flow waiting for a one-time code (login second factor, activation, contact change).
-- `id_hash` is the SHA-256 of the flow cookie; `code_hash` the SHA-256 of id and code.
CREATE TABLE web_challenge (
    id_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    subject TEXT NOT NULL,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX web_challenge_expiry ON web_challenge (expires_at);

-- Failures per key (identifier, IP address, NIR…) in a window, and the lockout that follows.
CREATE TABLE web_rate (
    key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);

-- Audit of logins and account events; the citizen sees their own lines.
CREATE TABLE web_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX web_audit_account ON web_audit (account, at);

-- The identifier a citizen chose at activation, mapped to their mailbox address.
CREATE TABLE web_identifier (
    identifier TEXT PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- Preferences: new-mail e-mail notification, channel of the login code ('email' or 'sms').
CREATE TABLE web_pref (
    address TEXT PRIMARY KEY,
    notify_new_mail INTEGER NOT NULL,
    otp_channel TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Contact details confirmed by the citizen with a code; they win over the register's.
CREATE TABLE dir_citizen_contact (
    address TEXT PRIMARY KEY,
    email TEXT,
    mobile TEXT,
    email_confirmed_at INTEGER,
    mobile_confirmed_at INTEGER,
    updated_at INTEGER NOT NULL
);

-- A closed account's data, out of the live space: kept until `erase_after`, erased earlier on
-- the citizen's request, restored by reactivation (DESIGN §8).
CREATE TABLE web_archive (
    address TEXT PRIMARY KEY,
    closed_at INTEGER NOT NULL,
    erase_after INTEGER NOT NULL,
    erased_at INTEGER
);
