-- The citizen's health agenda (health::agenda, issue 9). SQLite flavour; the PostgreSQL file has
-- the same tables and columns. Integers as i64, times as Unix seconds (UTC), booleans as integer
-- 0/1 columns, dates as 'YYYY-MM-DD' TEXT (docs/decisions.md).

-- Appointments the citizen (or a parent for a child) writes down. `starts_at` is the UTC instant
-- of the Paris wall-clock time they typed; the reminder is sent once, claimed by setting
-- `reminder_sent_at` before sending, so a restart or a second node never sends it twice.
CREATE TABLE agenda_appointment (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_ins      TEXT    NOT NULL,          -- whose agenda (INS, like the DMP)
    starts_at        INTEGER NOT NULL,
    duration_min     INTEGER,                   -- NULL: not said
    title            TEXT,                      -- "Objet", e.g. a prevention proposal's name
    pro_rpps         TEXT,                      -- chosen from the directory (11 digits)…
    pro_name         TEXT,                      -- …with the directory's display name at that time
    with_text        TEXT,                      -- or whoever, in the citizen's own words
    place            TEXT,
    notes            TEXT,
    reminder         TEXT    NOT NULL,          -- aucun | veille | 2h
    remind_at        INTEGER,                   -- NULL when no reminder
    reminder_sent_at INTEGER,                   -- claimed / sent (or skipped: appointment passed)
    prevention_rule  TEXT,                      -- the proposal it was planned from, if any
    author_kind      TEXT    NOT NULL,          -- patient | guardian
    author_id        TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX agenda_appointment_patient ON agenda_appointment (patient_ins, starts_at);
CREATE INDEX agenda_appointment_reminder ON agenda_appointment (reminder_sent_at, remind_at);

-- Prevention proposals the citizen chose to ignore, with the day they did (a periodic proposal
-- comes back when its interval has passed).
CREATE TABLE agenda_dismissed (
    patient_ins  TEXT    NOT NULL,
    rule         TEXT    NOT NULL,              -- slug of health::agenda::rules::Rule
    dismissed_on TEXT    NOT NULL,              -- Paris date, YYYY-MM-DD
    dismissed_at INTEGER NOT NULL,
    PRIMARY KEY (patient_ins, rule)
);
