//! Messages in mailboxes: APPEND, FETCH metadata, CONDSTORE/QRESYNC changes (RFC 7162).
//!
//! UID and MODSEQ allocation is one `UPDATE mailboxes … RETURNING` at the start of each write
//! transaction: on PostgreSQL the row lock orders concurrent writers of a mailbox, on SQLite the
//! transaction is `BEGIN IMMEDIATE`, so writers are serialised. UIDs are never reused: `uidnext`
//! only grows, even when a transaction that allocated from it is rolled back (the row update is
//! rolled back too, so the next writer takes the same numbers, which were never visible).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreError;
use crate::blob::BlobId;
use crate::db::Db;
use crate::flags::{Flag, Flags, SEEN_BIT};
use crate::mailbox::{normalize_account, to_u32, to_u64};
use crate::notify::{Change, ChangeKind};
use crate::uidset::UidSet;

/// A message as IMAP FETCH needs it (the body is the blob).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageMeta {
    pub uid: u32,
    pub modseq: u64,
    /// Flags as seen by the viewer (per-user `\Seen` in shared mailboxes).
    pub flags: Flags,
    pub blob: BlobId,
    pub size: u64,
    /// Unix seconds.
    pub internal_date: i64,
}

/// Result of an APPEND (with what APPENDUID needs, RFC 4315).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub uidvalidity: u32,
    pub uid: u32,
    pub modseq: u64,
}

/// Changes since a MODSEQ (CONDSTORE `CHANGEDSINCE`, QRESYNC `VANISHED`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    pub changed: Vec<MessageMeta>,
    pub vanished: Vec<u32>,
    pub highestmodseq: u64,
}

/// The mailbox row after a locking update.
pub(crate) struct Locked {
    pub account: String,
    pub shared: bool,
    pub uidvalidity: u32,
    /// First UID allocated by this update (if any).
    pub first_uid: u32,
    pub modseq: i64,
}

/// Locks the mailbox row, allocates `n_uids` UIDs and one new MODSEQ.
pub(crate) async fn lock_and_allocate(
    conn: &mut AnyConnection,
    mailbox_id: i64,
    n_uids: i64,
) -> Result<Locked, StoreError> {
    let row = sqlx::query(
        "UPDATE mailboxes SET uidnext = uidnext + $2, highestmodseq = highestmodseq + 1 \
         WHERE id = $1 RETURNING account, shared, uidvalidity, uidnext, highestmodseq",
    )
    .bind(mailbox_id)
    .bind(n_uids)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Err(StoreError::MailboxNotFound(format!("#{mailbox_id}")));
    };
    let uidnext: i64 = row.try_get("uidnext")?;
    // UIDs are 32-bit in IMAP (RFC 9051 §2.3.1.1); the caller's transaction is dropped on error.
    if uidnext - 1 > i64::from(u32::MAX) {
        return Err(StoreError::UidsExhausted(mailbox_id));
    }
    Ok(Locked {
        account: row.try_get("account")?,
        shared: row.try_get::<i64, _>("shared")? != 0,
        uidvalidity: to_u32(row.try_get("uidvalidity")?),
        first_uid: to_u32(uidnext - n_uids),
        modseq: row.try_get("highestmodseq")?,
    })
}

/// Inserts one message row; in a shared mailbox `\Seen` goes to the viewer's `seen` row.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_message(
    conn: &mut AnyConnection,
    mailbox_id: i64,
    uid: u32,
    modseq: i64,
    blob: &BlobId,
    size: u64,
    internal_date: i64,
    flags: &Flags,
    shared_viewer: Option<&str>,
) -> Result<(), StoreError> {
    let mut system = flags.system_bits();
    if shared_viewer.is_some() {
        system &= !SEEN_BIT;
    }
    sqlx::query(
        "INSERT INTO messages (mailbox_id, uid, modseq, blob_id, size, internal_date, system_flags, keywords) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(mailbox_id)
    .bind(i64::from(uid))
    .bind(modseq)
    .bind(blob.as_str())
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(internal_date)
    .bind(system)
    .bind(flags.keywords_column())
    .execute(&mut *conn)
    .await?;
    if let Some(viewer) = shared_viewer
        && flags.contains(&Flag::Seen)
    {
        set_user_seen(conn, mailbox_id, uid, viewer, true).await?;
    }
    Ok(())
}

pub(crate) async fn set_user_seen(
    conn: &mut AnyConnection,
    mailbox_id: i64,
    uid: u32,
    viewer: &str,
    seen: bool,
) -> Result<(), StoreError> {
    let sql = if seen {
        "INSERT INTO seen (mailbox_id, uid, account) VALUES ($1, $2, $3) \
         ON CONFLICT (mailbox_id, uid, account) DO NOTHING"
    } else {
        "DELETE FROM seen WHERE mailbox_id = $1 AND uid = $2 AND account = $3"
    };
    sqlx::query(sql)
        .bind(mailbox_id)
        .bind(i64::from(uid))
        .bind(viewer)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Message rows of `mailbox_id` within `lo..=hi` (and `modseq` in `since..=upto`), with flags as
/// seen by `viewer`, ordered by UID.
pub(crate) async fn select_messages(
    conn: &mut AnyConnection,
    mailbox_id: i64,
    (lo, hi): (u32, u32),
    (since, upto): (i64, i64),
    viewer: &str,
) -> Result<Vec<MessageMeta>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.uid, m.modseq, m.blob_id, m.size, m.internal_date, m.system_flags, m.keywords, \
         mb.shared, CASE WHEN mb.shared <> 0 THEN (SELECT COUNT(*) FROM seen s WHERE s.mailbox_id = m.mailbox_id \
         AND s.uid = m.uid AND s.account = $6) ELSE 0 END AS user_seen \
         FROM messages m JOIN mailboxes mb ON mb.id = m.mailbox_id \
         WHERE m.mailbox_id = $1 AND m.uid BETWEEN $2 AND $3 AND m.modseq > $4 AND m.modseq <= $5 \
         ORDER BY m.uid",
    )
    .bind(mailbox_id)
    .bind(i64::from(lo))
    .bind(i64::from(hi))
    .bind(since)
    .bind(upto)
    .bind(viewer)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(message_from_row).collect()
}

fn message_from_row(row: &AnyRow) -> Result<MessageMeta, StoreError> {
    let shared = row.try_get::<i64, _>("shared")? != 0;
    let mut system: i64 = row.try_get("system_flags")?;
    if shared {
        let user_seen: i64 = row.try_get("user_seen")?;
        system = (system & !SEEN_BIT) | if user_seen > 0 { SEEN_BIT } else { 0 };
    }
    let keywords: String = row.try_get("keywords")?;
    let blob: String = row.try_get("blob_id")?;
    Ok(MessageMeta {
        uid: to_u32(row.try_get("uid")?),
        modseq: to_u64(row.try_get("modseq")?),
        flags: Flags::from_columns(system, &keywords),
        blob: BlobId::parse(&blob)?,
        size: to_u64(row.try_get("size")?),
        internal_date: row.try_get("internal_date")?,
    })
}

/// Deletes the given message rows and leaves tombstones at `modseq`.
pub(crate) async fn remove_messages(
    conn: &mut AnyConnection,
    mailbox_id: i64,
    uids: &[u32],
    modseq: i64,
) -> Result<(), StoreError> {
    for &uid in uids {
        sqlx::query("DELETE FROM messages WHERE mailbox_id = $1 AND uid = $2")
            .bind(mailbox_id)
            .bind(i64::from(uid))
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO expunged (mailbox_id, uid, modseq) VALUES ($1, $2, $3) \
             ON CONFLICT (mailbox_id, uid) DO UPDATE SET modseq = excluded.modseq",
        )
        .bind(mailbox_id)
        .bind(i64::from(uid))
        .bind(modseq)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The work of [`Db::append`] inside the caller's transaction (`viewer` normalised).
pub(crate) async fn append_in_tx(
    tx: &mut AnyConnection,
    mailbox_id: i64,
    blob: &BlobId,
    size: u64,
    flags: &Flags,
    internal_date: i64,
    viewer: &str,
) -> Result<(Appended, Change), StoreError> {
    let locked = lock_and_allocate(&mut *tx, mailbox_id, 1).await?;
    let shared_viewer = locked.shared.then_some(viewer);
    let (uid, modseq) = (locked.first_uid, locked.modseq);
    insert_message(
        &mut *tx,
        mailbox_id,
        uid,
        modseq,
        blob,
        size,
        internal_date,
        flags,
        shared_viewer,
    )
    .await?;
    Ok((
        Appended {
            uidvalidity: locked.uidvalidity,
            uid,
            modseq: to_u64(modseq),
        },
        change(&locked.account, mailbox_id, ChangeKind::Append, modseq),
    ))
}

pub(crate) fn change(account: &str, mailbox_id: i64, kind: ChangeKind, modseq: i64) -> Change {
    Change {
        account: account.to_string(),
        mailbox_id,
        kind,
        modseq,
    }
}

impl Db {
    /// Appends a message (IMAP APPEND, saving to Sent…). `viewer` is who appends: in a shared
    /// mailbox a `\Seen` given here is theirs only. The blob must already be durable.
    pub async fn append(
        &self,
        mailbox_id: i64,
        blob: &BlobId,
        size: u64,
        flags: &Flags,
        internal_date: i64,
        viewer: &str,
    ) -> Result<Appended, StoreError> {
        let viewer = normalize_account(viewer);
        if self.backend() == crate::db::Backend::Sqlite {
            // Group commit with the other writers of the moment (`write_batch`).
            return self
                .batched_append(mailbox_id, blob, size, flags, internal_date, viewer)
                .await;
        }
        let mut tx = self.begin_write().await?;
        let (appended, change) = append_in_tx(
            &mut tx,
            mailbox_id,
            blob,
            size,
            flags,
            internal_date,
            &viewer,
        )
        .await?;
        self.commit_and_publish(tx, &[change]).await?;
        Ok(appended)
    }

    /// Messages of `uids` in the mailbox, in UID order, with flags as seen by `viewer`.
    pub async fn fetch_messages(
        &self,
        mailbox_id: i64,
        uids: &UidSet,
        viewer: &str,
    ) -> Result<Vec<MessageMeta>, StoreError> {
        let Some(bounds) = uids.bounds() else {
            return Ok(Vec::new());
        };
        let mut conn = self.pool().acquire().await?;
        let rows = select_messages(
            &mut conn,
            mailbox_id,
            bounds,
            (i64::MIN, i64::MAX),
            &normalize_account(viewer),
        )
        .await?;
        Ok(rows.into_iter().filter(|m| uids.contains(m.uid)).collect())
    }

    /// All UIDs of the mailbox in order: the session's message sequence numbers are their indices
    /// plus one.
    pub async fn uids(&self, mailbox_id: i64) -> Result<Vec<u32>, StoreError> {
        let rows = sqlx::query("SELECT uid FROM messages WHERE mailbox_id = $1 ORDER BY uid")
            .bind(mailbox_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(to_u32(r.try_get(0)?))).collect()
    }

    /// The mailbox's HIGHESTMODSEQ alone: every write (flags, append, expunge) raises it, so a
    /// caller that keeps rows from [`Db::changes_since`] knows with one small read whether they
    /// are still current.
    pub async fn highest_modseq(&self, mailbox_id: i64) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT highestmodseq FROM mailboxes WHERE id = $1")
            .bind(mailbox_id)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Err(StoreError::MailboxNotFound(format!("#{mailbox_id}")));
        };
        Ok(to_u64(row.try_get(0)?))
    }

    /// Everything that changed after `since` (CONDSTORE/QRESYNC, RFC 7162 §3.1.4.1, §3.2.5):
    /// messages with a greater MODSEQ and UIDs expunged after it.
    ///
    /// HIGHESTMODSEQ is read first and results are bounded by it: every change up to it has
    /// committed (writers of a mailbox are serialised on its row), and anything later will be
    /// reported by the next call from that value, so nothing is missed without a snapshot.
    pub async fn changes_since(
        &self,
        mailbox_id: i64,
        since: u64,
        viewer: &str,
    ) -> Result<Changes, StoreError> {
        let since = i64::try_from(since).unwrap_or(i64::MAX);
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query("SELECT highestmodseq FROM mailboxes WHERE id = $1")
            .bind(mailbox_id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = row else {
            return Err(StoreError::MailboxNotFound(format!("#{mailbox_id}")));
        };
        let highest: i64 = row.try_get(0)?;
        let changed = select_messages(
            &mut conn,
            mailbox_id,
            (1, u32::MAX),
            (since, highest),
            &normalize_account(viewer),
        )
        .await?;
        let rows = sqlx::query(
            "SELECT uid FROM expunged WHERE mailbox_id = $1 AND modseq > $2 AND modseq <= $3 ORDER BY uid",
        )
        .bind(mailbox_id)
        .bind(since)
        .bind(highest)
        .fetch_all(&mut *conn)
        .await?;
        let vanished = rows
            .iter()
            .map(|r| Ok(to_u32(r.try_get(0)?)))
            .collect::<Result<Vec<u32>, StoreError>>()?;
        Ok(Changes {
            changed,
            vanished,
            highestmodseq: to_u64(highest),
        })
    }
}
