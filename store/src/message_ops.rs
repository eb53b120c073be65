//! Writes on existing messages: STORE (with UNCHANGEDSINCE), EXPUNGE, COPY and MOVE.
//! Each is one transaction; each bumps the mailbox MODSEQ once and gives that MODSEQ to every
//! message it changed (RFC 7162 §3.1: one operation may give several messages the same value).
//! A transaction that changes nothing is rolled back, so HIGHESTMODSEQ does not move.

use crate::StoreError;
use crate::db::Backend;
use crate::db::Db;
use crate::flags::{DELETED_BIT, Flag, FlagMode, Flags, SEEN_BIT};
use crate::mailbox::{normalize_account, to_u64};
use crate::message::{
    MessageMeta, change, insert_message, lock_and_allocate, remove_messages, select_messages,
    set_user_seen,
};
use crate::notify::{Change, ChangeKind};
use crate::uidset::UidSet;
use sqlx::AnyConnection;

/// Outcome of [`Db::store_flags`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlagsStored {
    /// Messages whose flags changed, with their new flags and MODSEQ.
    pub updated: Vec<MessageMeta>,
    /// UIDs not updated because their MODSEQ was above `unchanged_since` (the `MODIFIED` response
    /// code, RFC 7162 §3.1.3).
    pub modified: Vec<u32>,
    pub highestmodseq: u64,
}

/// Outcome of [`Db::expunge`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expunged {
    pub uids: Vec<u32>,
    pub highestmodseq: u64,
}

/// Outcome of [`Db::copy_messages`] / [`Db::move_messages`]: what COPYUID needs (RFC 4315).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Copied {
    /// UIDVALIDITY of the destination.
    pub uidvalidity: u32,
    /// (source UID, destination UID), in source UID order.
    pub mapping: Vec<(u32, u32)>,
    /// HIGHESTMODSEQ of the destination after the copy.
    pub modseq: u64,
}

impl Db {
    /// Changes flags of `uids` (IMAP STORE / UID STORE) atomically. With `unchanged_since`, a
    /// message whose MODSEQ is greater is left alone and reported in `modified`. `viewer` is the
    /// user: in a shared mailbox `\Seen` is theirs alone.
    pub async fn store_flags(
        &self,
        mailbox_id: i64,
        uids: &UidSet,
        mode: FlagMode,
        flags: &Flags,
        unchanged_since: Option<u64>,
        viewer: &str,
    ) -> Result<FlagsStored, StoreError> {
        let viewer = normalize_account(viewer);
        if uids.bounds().is_none() {
            return Ok(FlagsStored::default());
        }
        if self.backend() == Backend::Sqlite {
            // Group commit with the other writers of the moment (`write_batch`).
            return self
                .batched_store(mailbox_id, uids, mode, flags, unchanged_since, viewer)
                .await;
        }
        let mut tx = self.begin_write().await?;
        let (out, change) = store_flags_in_tx(
            &mut tx,
            mailbox_id,
            uids,
            mode,
            flags,
            unchanged_since,
            &viewer,
        )
        .await?;
        match change {
            None => tx.rollback().await?,
            Some(c) => self.commit_and_publish(tx, &[c]).await?,
        }
        Ok(out)
    }

    /// Removes the messages flagged `\Deleted` (restricted to `uids` for UID EXPUNGE, RFC 4315),
    /// keeping each UID with the expunge MODSEQ for QRESYNC `VANISHED`.
    pub async fn expunge(
        &self,
        mailbox_id: i64,
        uids: Option<&UidSet>,
    ) -> Result<Expunged, StoreError> {
        let all = UidSet::all();
        let set = uids.unwrap_or(&all);
        let Some(bounds) = set.bounds() else {
            return Ok(Expunged::default());
        };
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let locked = lock_and_allocate(&mut tx, mailbox_id, 0).await?;
        let rows = sqlx::query(
            "SELECT uid FROM messages WHERE mailbox_id = $1 AND uid BETWEEN $2 AND $3 \
             AND (system_flags & $4) <> 0 ORDER BY uid",
        )
        .bind(mailbox_id)
        .bind(i64::from(bounds.0))
        .bind(i64::from(bounds.1))
        .bind(DELETED_BIT)
        .fetch_all(&mut *tx)
        .await?;
        let mut doomed = Vec::with_capacity(rows.len());
        for row in &rows {
            let uid = crate::mailbox::to_u32(sqlx::Row::try_get(row, 0)?);
            if set.contains(uid) {
                doomed.push(uid);
            }
        }
        if doomed.is_empty() {
            tx.rollback().await?;
            return Ok(Expunged {
                uids: doomed,
                highestmodseq: to_u64(locked.modseq - 1),
            });
        }
        remove_messages(&mut tx, mailbox_id, &doomed, locked.modseq).await?;
        let changes = [change(
            &locked.account,
            mailbox_id,
            ChangeKind::Expunge,
            locked.modseq,
        )];
        self.commit_and_publish(tx, &changes).await?;
        Ok(Expunged {
            uids: doomed,
            highestmodseq: to_u64(locked.modseq),
        })
    }

    /// Copies messages to another mailbox (IMAP COPY) in one transaction; flags as the viewer
    /// sees them go along.
    pub async fn copy_messages(
        &self,
        from: i64,
        to: i64,
        uids: &UidSet,
        viewer: &str,
    ) -> Result<Copied, StoreError> {
        self.transfer(from, to, uids, viewer, false).await
    }

    /// Moves messages (IMAP MOVE, RFC 6851): copy and expunge from the source in one transaction,
    /// so no other session ever sees the message in both or in neither.
    pub async fn move_messages(
        &self,
        from: i64,
        to: i64,
        uids: &UidSet,
        viewer: &str,
    ) -> Result<Copied, StoreError> {
        self.transfer(from, to, uids, viewer, true).await
    }

    async fn transfer(
        &self,
        from: i64,
        to: i64,
        uids: &UidSet,
        viewer: &str,
        remove_source: bool,
    ) -> Result<Copied, StoreError> {
        let viewer = normalize_account(viewer);
        let Some(bounds) = uids.bounds() else {
            return Ok(Copied::default());
        };
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        // Lock both rows in id order so two opposite transfers cannot deadlock on PostgreSQL.
        for id in std::collections::BTreeSet::from([from, to]) {
            let done = sqlx::query("UPDATE mailboxes SET uidnext = uidnext WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::MailboxNotFound(format!("#{id}")));
            }
        }
        let msgs: Vec<MessageMeta> =
            select_messages(&mut tx, from, bounds, (i64::MIN, i64::MAX), &viewer)
                .await?
                .into_iter()
                .filter(|m| uids.contains(m.uid))
                .collect();
        if msgs.is_empty() {
            tx.rollback().await?;
            return Ok(Copied::default());
        }
        let count = i64::try_from(msgs.len()).unwrap_or(i64::MAX);
        let dst = lock_and_allocate(&mut tx, to, count).await?;
        let shared_viewer = dst.shared.then_some(viewer.as_str());
        let mut mapping = Vec::with_capacity(msgs.len());
        for (i, m) in msgs.iter().enumerate() {
            let uid = dst.first_uid + u32::try_from(i).unwrap_or(u32::MAX);
            insert_message(
                &mut tx,
                to,
                uid,
                dst.modseq,
                &m.blob,
                m.size,
                m.internal_date,
                &m.flags,
                shared_viewer,
            )
            .await?;
            mapping.push((m.uid, uid));
        }
        let mut changes = vec![change(&dst.account, to, ChangeKind::Append, dst.modseq)];
        if remove_source {
            let src = lock_and_allocate(&mut tx, from, 0).await?;
            let gone: Vec<u32> = msgs.iter().map(|m| m.uid).collect();
            remove_messages(&mut tx, from, &gone, src.modseq).await?;
            changes.push(change(&src.account, from, ChangeKind::Expunge, src.modseq));
        }
        self.commit_and_publish(tx, &changes).await?;
        Ok(Copied {
            uidvalidity: dst.uidvalidity,
            mapping,
            modseq: to_u64(dst.modseq),
        })
    }
}

/// The work of [`Db::store_flags`] inside the caller's transaction (`viewer` normalised). The
/// change is `None` when no message changed: the caller then rolls back (the MODSEQ taken by
/// `lock_and_allocate` must not stay).
pub(crate) async fn store_flags_in_tx(
    tx: &mut AnyConnection,
    mailbox_id: i64,
    uids: &UidSet,
    mode: FlagMode,
    flags: &Flags,
    unchanged_since: Option<u64>,
    viewer: &str,
) -> Result<(FlagsStored, Option<Change>), StoreError> {
    let Some(bounds) = uids.bounds() else {
        return Ok((FlagsStored::default(), None));
    };
    let locked = lock_and_allocate(&mut *tx, mailbox_id, 0).await?;
    let modseq = locked.modseq;
    let current =
        select_messages(&mut *tx, mailbox_id, bounds, (i64::MIN, i64::MAX), viewer).await?;
    let mut out = FlagsStored::default();
    for msg in current.into_iter().filter(|m| uids.contains(m.uid)) {
        if unchanged_since.is_some_and(|u| msg.modseq > u) {
            out.modified.push(msg.uid);
            continue;
        }
        let new = msg.flags.apply(mode, flags);
        if new == msg.flags {
            continue;
        }
        let mut system = new.system_bits();
        if locked.shared {
            let seen = new.contains(&Flag::Seen);
            if seen != msg.flags.contains(&Flag::Seen) {
                set_user_seen(&mut *tx, mailbox_id, msg.uid, viewer, seen).await?;
            }
            system &= !SEEN_BIT;
        }
        sqlx::query(
            "UPDATE messages SET system_flags = $3, keywords = $4, modseq = $5 \
             WHERE mailbox_id = $1 AND uid = $2",
        )
        .bind(mailbox_id)
        .bind(i64::from(msg.uid))
        .bind(system)
        .bind(new.keywords_column())
        .bind(modseq)
        .execute(&mut *tx)
        .await?;
        out.updated.push(MessageMeta {
            flags: new,
            modseq: to_u64(modseq),
            ..msg
        });
    }
    if out.updated.is_empty() {
        out.highestmodseq = to_u64(modseq - 1);
        return Ok((out, None));
    }
    out.highestmodseq = to_u64(modseq);
    Ok((
        out,
        Some(change(
            &locked.account,
            mailbox_id,
            ChangeKind::Flags,
            modseq,
        )),
    ))
}
