//! Mailboxes (RFC 9051 §2.3.1.1, §6.3): UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ (RFC 7162), special
//! use (RFC 6154), subscriptions. Names are UTF-8 with `/` as the hierarchy delimiter; the IMAP
//! crate converts modified UTF-7. Accounts are lower-cased addresses (docs/decisions.md).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::ops::Range;

use crate::StoreError;
use crate::db::{Db, now_unix};
use crate::notify::{Change, ChangeKind};

/// The hierarchy delimiter of mailbox names.
pub const DELIMITER: char = '/';

/// Special-use attribute of a mailbox (RFC 6154), plus INBOX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialUse {
    Inbox,
    Sent,
    Drafts,
    Trash,
    Archive,
}

impl SpecialUse {
    /// The stored form, also the IMAP attribute (`\Sent`…; INBOX has none, it is stored `INBOX`).
    pub fn as_str(self) -> &'static str {
        match self {
            SpecialUse::Inbox => "INBOX",
            SpecialUse::Sent => "\\Sent",
            SpecialUse::Drafts => "\\Drafts",
            SpecialUse::Trash => "\\Trash",
            SpecialUse::Archive => "\\Archive",
        }
    }

    fn from_str(s: &str) -> Option<SpecialUse> {
        DEFAULTS.iter().map(|(_, u)| *u).find(|u| u.as_str() == s)
    }
}

/// The folders every account gets (DESIGN §5).
pub const DEFAULTS: [(&str, SpecialUse); 5] = [
    ("INBOX", SpecialUse::Inbox),
    ("Sent", SpecialUse::Sent),
    ("Drafts", SpecialUse::Drafts),
    ("Trash", SpecialUse::Trash),
    ("Archive", SpecialUse::Archive),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub id: i64,
    pub account: String,
    pub name: String,
    pub special_use: Option<SpecialUse>,
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub highestmodseq: u64,
    pub subscribed: bool,
    /// Shared (ORG) mailbox: `\Seen` is kept per user.
    pub shared: bool,
}

/// What IMAP SELECT/STATUS report, for one viewer (`\Seen` is per user in shared mailboxes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxStatus {
    pub exists: u32,
    pub unseen: u32,
    /// Messages not yet reported `\Recent` to any session (see [`Db::claim_recent`]).
    pub recent: u32,
    pub first_unseen: Option<u32>,
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub highestmodseq: u64,
}

/// Lower-cases and trims an account address, the key of every mailbox.
pub fn normalize_account(account: &str) -> String {
    account.trim().to_lowercase()
}

/// Checks a mailbox name and gives its stored form: `INBOX` in any case is `INBOX`, also as the
/// first level of a path (RFC 9051 §5.1: "INBOX" is case-insensitive).
pub fn normalize_name(name: &str) -> Result<String, StoreError> {
    let bad = |why: &str| StoreError::Invalid(format!("invalid mailbox name `{name}`: {why}"));
    if name.is_empty() {
        return Err(bad("empty"));
    }
    if name.len() > 512 {
        return Err(bad("longer than 512 bytes"));
    }
    if name.chars().any(|c| c.is_control()) {
        return Err(bad("control character"));
    }
    if name.split(DELIMITER).any(|part| part.is_empty()) {
        return Err(bad("empty level (leading, trailing or double `/`)"));
    }
    let mut parts = name.splitn(2, DELIMITER);
    let first = parts.next().unwrap_or_default();
    let first = if first.eq_ignore_ascii_case("INBOX") {
        "INBOX"
    } else {
        first
    };
    Ok(match parts.next() {
        Some(rest) => format!("{first}{DELIMITER}{rest}"),
        None => first.to_string(),
    })
}

pub(crate) const MAILBOX_COLUMNS: &str = "id, account, name, special_use, uidvalidity, uidnext, \
     highestmodseq, subscribed, shared";

pub(crate) fn mailbox_from_row(row: &AnyRow) -> Result<Mailbox, StoreError> {
    let special: Option<String> = row.try_get("special_use")?;
    Ok(Mailbox {
        id: row.try_get("id")?,
        account: row.try_get("account")?,
        name: row.try_get("name")?,
        special_use: special.as_deref().and_then(SpecialUse::from_str),
        uidvalidity: to_u32(row.try_get("uidvalidity")?),
        uidnext: to_u32(row.try_get("uidnext")?),
        highestmodseq: to_u64(row.try_get("highestmodseq")?),
        subscribed: row.try_get::<i64, _>("subscribed")? != 0,
        shared: row.try_get::<i64, _>("shared")? != 0,
    })
}

pub(crate) fn to_u32(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

pub(crate) fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Next UIDVALIDITY: the current time, but always above the last one given.
async fn next_uidvalidity(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "UPDATE store_counters SET value = CASE WHEN value + 1 > $1 THEN value + 1 ELSE $1 END \
         WHERE name = 'uidvalidity' RETURNING value",
    )
    .bind(now_unix())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Inserts a mailbox unless one of that name exists; returns its id if it was created.
pub(crate) async fn insert_mailbox(
    conn: &mut AnyConnection,
    account: &str,
    name: &str,
    special: Option<SpecialUse>,
) -> Result<Option<i64>, StoreError> {
    let uidvalidity = next_uidvalidity(conn).await?;
    let row = sqlx::query(
        "INSERT INTO mailboxes (account, name, special_use, uidvalidity, created_at, shared) \
         VALUES ($1, $2, $3, $4, $5, (SELECT COUNT(*) FROM shared_accounts WHERE account = $1)) \
         ON CONFLICT (account, name) DO NOTHING RETURNING id",
    )
    .bind(account)
    .bind(name)
    .bind(special.map(|s| s.as_str()))
    .bind(uidvalidity)
    .bind(now_unix())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    })
}

/// Creates the missing default folders of `account` inside the caller's transaction.
pub(crate) async fn insert_defaults(
    conn: &mut AnyConnection,
    account: &str,
) -> Result<Vec<Change>, StoreError> {
    let mut changes = Vec::new();
    for (name, special) in DEFAULTS {
        if let Some(id) = insert_mailbox(conn, account, name, Some(special)).await? {
            changes.push(mailbox_change(account, id));
        }
    }
    Ok(changes)
}

pub(crate) fn mailbox_change(account: &str, mailbox_id: i64) -> Change {
    Change {
        account: account.to_string(),
        mailbox_id,
        kind: ChangeKind::Mailbox,
        modseq: 0,
    }
}

impl Db {
    /// Creates INBOX, Sent, Drafts, Trash and Archive for `account` where missing; returns all
    /// mailboxes of the account.
    pub async fn ensure_default_mailboxes(
        &self,
        account: &str,
    ) -> Result<Vec<Mailbox>, StoreError> {
        let account = normalize_account(account);
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let changes = insert_defaults(&mut tx, &account).await?;
        self.commit_and_publish(tx, &changes).await?;
        self.list_mailboxes(&account).await
    }

    /// Every mailbox of `account`, INBOX first, then by name.
    pub async fn list_mailboxes(&self, account: &str) -> Result<Vec<Mailbox>, StoreError> {
        let sql = format!(
            "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE account = $1 \
             ORDER BY CASE WHEN name = 'INBOX' THEN 0 ELSE 1 END, name"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(normalize_account(account))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(mailbox_from_row).collect()
    }

    /// The mailbox with this id, if it exists.
    pub async fn mailbox(&self, id: i64) -> Result<Option<Mailbox>, StoreError> {
        let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(mailbox_from_row).transpose()
    }

    /// The mailbox `name` of `account` (INBOX in any case), if it exists.
    pub async fn find_mailbox(
        &self,
        account: &str,
        name: &str,
    ) -> Result<Option<Mailbox>, StoreError> {
        let name = normalize_name(name)?;
        let sql =
            format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE account = $1 AND name = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(normalize_account(account))
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(mailbox_from_row).transpose()
    }

    /// Creates a mailbox; [`StoreError::MailboxExists`] if the name is taken.
    pub async fn create_mailbox(
        &self,
        account: &str,
        name: &str,
        special_use: Option<SpecialUse>,
    ) -> Result<Mailbox, StoreError> {
        let account = normalize_account(account);
        let name = normalize_name(name)?;
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let Some(id) = insert_mailbox(&mut tx, &account, &name, special_use).await? else {
            return Err(StoreError::MailboxExists(name));
        };
        // RFC 9051 §6.3.4: CREATE does not subscribe (the default folders are subscribed when
        // the account is set up); a subscription kept from a deleted mailbox of the same name
        // (RFC 9051 §6.3.7) applies to the new one.
        let kept = crate::mailbox_admin::take_kept_subscription(&mut tx, &account, &name).await?;
        sqlx::query("UPDATE mailboxes SET subscribed = $2 WHERE id = $1")
            .bind(id)
            .bind(i64::from(kept))
            .execute(&mut *tx)
            .await?;
        self.commit_and_publish(tx, &[mailbox_change(&account, id)])
            .await?;
        self.mailbox(id)
            .await?
            .ok_or(StoreError::MailboxNotFound(name))
    }

    /// Counts for IMAP SELECT/STATUS as seen by `viewer` (the user's address; it matters only in
    /// shared mailboxes). One statement, so the counts are consistent with each other.
    pub async fn mailbox_status(
        &self,
        mailbox_id: i64,
        viewer: &str,
    ) -> Result<MailboxStatus, StoreError> {
        let row = sqlx::query(
            "SELECT mb.uidvalidity, mb.uidnext, mb.highestmodseq, mb.shared, \
             (SELECT COUNT(*) FROM messages m WHERE m.mailbox_id = mb.id) AS n_exists, \
             (SELECT COUNT(*) FROM messages m WHERE m.mailbox_id = mb.id AND m.uid >= mb.recent_uid) AS n_recent, \
             CASE WHEN mb.shared = 0 THEN (SELECT COUNT(*) FROM messages m WHERE m.mailbox_id = mb.id AND (m.system_flags & 1) = 0) ELSE 0 END AS own_unseen, \
             CASE WHEN mb.shared = 0 THEN (SELECT MIN(m.uid) FROM messages m WHERE m.mailbox_id = mb.id AND (m.system_flags & 1) = 0) END AS own_first, \
             CASE WHEN mb.shared <> 0 THEN (SELECT COUNT(*) FROM messages m WHERE m.mailbox_id = mb.id AND NOT EXISTS \
                (SELECT 1 FROM seen s WHERE s.mailbox_id = m.mailbox_id AND s.uid = m.uid AND s.account = $2)) ELSE 0 END AS user_unseen, \
             CASE WHEN mb.shared <> 0 THEN (SELECT MIN(m.uid) FROM messages m WHERE m.mailbox_id = mb.id AND NOT EXISTS \
                (SELECT 1 FROM seen s WHERE s.mailbox_id = m.mailbox_id AND s.uid = m.uid AND s.account = $2)) END AS user_first \
             FROM mailboxes mb WHERE mb.id = $1",
        )
        .bind(mailbox_id)
        .bind(normalize_account(viewer))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Err(StoreError::MailboxNotFound(format!("#{mailbox_id}")));
        };
        let shared = row.try_get::<i64, _>("shared")? != 0;
        let (unseen, first): (i64, Option<i64>) = if shared {
            (row.try_get("user_unseen")?, row.try_get("user_first")?)
        } else {
            (row.try_get("own_unseen")?, row.try_get("own_first")?)
        };
        Ok(MailboxStatus {
            exists: to_u32(row.try_get("n_exists")?),
            unseen: to_u32(unseen),
            recent: to_u32(row.try_get("n_recent")?),
            first_unseen: first.map(to_u32),
            uidvalidity: to_u32(row.try_get("uidvalidity")?),
            uidnext: to_u32(row.try_get("uidnext")?),
            highestmodseq: to_u64(row.try_get("highestmodseq")?),
        })
    }

    /// The keywords used in a mailbox (RFC 9051 §7.3.5: the FLAGS response lists them), each
    /// once, in the spelling first met, ignoring case.
    pub async fn mailbox_keywords(&self, mailbox_id: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT keywords FROM messages WHERE mailbox_id = $1 AND keywords <> ''",
        )
        .bind(mailbox_id)
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<String> = Vec::new();
        for row in &rows {
            let list: String = row.try_get(0)?;
            for k in list.split(' ').filter(|k| !k.is_empty()) {
                if !out.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                    out.push(k.to_string());
                }
            }
        }
        out.sort_by_key(|k| k.to_ascii_lowercase());
        Ok(out)
    }

    /// Claims the messages no session has seen as `\Recent` yet, for the calling session only
    /// (RFC 3501 §2.3.2): the UIDs in the returned range (empty when there are none). A selected
    /// session calls it again when new messages arrive, so each message is recent in exactly one
    /// session, the first to be told of it.
    pub async fn claim_recent(&self, mailbox_id: i64) -> Result<Range<u32>, StoreError> {
        // Fast path, no write: when nothing arrived since the last claim, no message is recent and
        // SELECT must not queue on the writer (and fsync) for nothing.
        let row = sqlx::query("SELECT recent_uid, uidnext FROM mailboxes WHERE id = $1")
            .bind(mailbox_id)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Err(StoreError::MailboxNotFound(format!("#{mailbox_id}")));
        };
        let (recent, next): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        if recent >= next {
            return Ok(to_u32(next)..to_u32(next));
        }
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        // Take the row lock first (PostgreSQL) / the write lock (SQLite), then read the old value.
        sqlx::query("UPDATE mailboxes SET recent_uid = recent_uid WHERE id = $1")
            .bind(mailbox_id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query("SELECT recent_uid, uidnext FROM mailboxes WHERE id = $1")
            .bind(mailbox_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Err(StoreError::MailboxNotFound(format!("#{mailbox_id}")));
        };
        let (first, end): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        sqlx::query("UPDATE mailboxes SET recent_uid = $2 WHERE id = $1")
            .bind(mailbox_id)
            .bind(end)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(to_u32(first)..to_u32(end.max(first)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let cases: &[(&str, Option<&str>)] = &[
            ("INBOX", Some("INBOX")),
            ("inbox", Some("INBOX")),
            ("InBoX/Sub", Some("INBOX/Sub")),
            ("Inboxes", Some("Inboxes")),
            ("Dossiers/Patients/Dupont", Some("Dossiers/Patients/Dupont")),
            ("Reçus", Some("Reçus")),
            ("", None),
            ("/a", None),
            ("a/", None),
            ("a//b", None),
            ("a\u{7}b", None),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_name(input).ok().as_deref(), *want, "{input:?}");
        }
        assert_eq!(
            normalize_account(" Jean.Dupont@Medecin.Example "),
            "jean.dupont@medecin.example"
        );
    }

    #[test]
    fn special_use_round_trip() {
        for (_, u) in DEFAULTS {
            assert_eq!(SpecialUse::from_str(u.as_str()), Some(u));
        }
        assert_eq!(SpecialUse::from_str("\\Junk"), None);
    }
}
