//! The message rows of the selected mailbox (UID, MODSEQ, flags as this user sees them, blob,
//! size, date), kept between commands so that a FETCH or SEARCH over the whole mailbox does
//! not read every row again: one read of HIGHESTMODSEQ tells whether they are still current,
//! and when not, only what changed since is read (`changes_since`, RFC 7162 §3.1.4.1), as
//! Dovecot does with its index. Every write raises HIGHESTMODSEQ, flags are per viewer, and
//! blob, size and date never change, so the kept rows are exactly what a fresh read returns.
//!
//! They are read at the first FETCH or SEARCH over many messages, kept across a re-SELECT of
//! the same mailbox and a short IDLE, dropped after 2 s of IDLE (docs/imap-plan.md §6: an idle
//! session holds little), and not kept at all for very large mailboxes.

use store::MessageMeta;

use super::Selected;
use crate::session::{Session, SessionError};

/// Fewer messages than this are read directly: one small read, no HIGHESTMODSEQ check.
const DIRECT: usize = 8;
/// Mailboxes larger than this are never kept in memory (about 170 bytes a message).
const MAX_KEPT: usize = 50_000;

pub struct Rows {
    /// In UID order.
    metas: Vec<MessageMeta>,
    /// Every change up to this MODSEQ is in `metas`.
    modseq: u64,
}

impl Rows {
    /// Rows read after HIGHESTMODSEQ was `modseq` (anything later is read again next time).
    pub fn new(mut metas: Vec<MessageMeta>, modseq: u64) -> Rows {
        metas.sort_unstable_by_key(|m| m.uid);
        Rows { metas, modseq }
    }

    pub fn modseq(&self) -> u64 {
        self.modseq
    }

    /// All kept UIDs, in order.
    pub fn uids(&self) -> Vec<u32> {
        self.metas.iter().map(|m| m.uid).collect()
    }

    pub fn get(&self, uid: u32) -> Option<&MessageMeta> {
        self.metas
            .binary_search_by_key(&uid, |m| m.uid)
            .ok()
            .map(|i| &self.metas[i])
    }

    /// Puts the current state of a message (a fresh read, or the result of our own write).
    pub fn upsert(&mut self, meta: &MessageMeta) {
        match self.metas.binary_search_by_key(&meta.uid, |m| m.uid) {
            Ok(i) => self.metas[i] = meta.clone(),
            Err(i) => self.metas.insert(i, meta.clone()),
        }
    }

    /// Puts the messages our own write changed (`FlagsStored::updated`, at `highestmodseq`).
    /// If that write was the only change since the rows were current, they still are.
    pub fn wrote(&mut self, updated: &[MessageMeta], highestmodseq: u64) {
        updated.iter().for_each(|m| self.upsert(m));
        if !updated.is_empty() && highestmodseq == self.modseq + 1 {
            self.modseq = highestmodseq;
        }
    }

    /// Applies `changes_since(since)`. Rows read later are always at least as current as the
    /// kept ones, and expunged UIDs are never reused, so applying is always right; the rows
    /// only count as current up to the new HIGHESTMODSEQ if nothing between was skipped.
    pub fn apply(&mut self, since: u64, changes: &store::Changes) {
        for m in &changes.changed {
            self.upsert(m);
        }
        if !changes.vanished.is_empty() {
            self.metas
                .retain(|m| changes.vanished.binary_search(&m.uid).is_err());
        }
        if since <= self.modseq {
            self.modseq = self.modseq.max(changes.highestmodseq);
        }
    }
}

impl Session {
    /// The rows of `uids` (which are in UID order), current as of now, skipping messages that
    /// no longer exist: what `Db::fetch_messages` returns, served from the kept rows when the
    /// mailbox has not changed since they were read.
    pub(crate) async fn metas(&mut self, uids: &[u32]) -> Result<Vec<MessageMeta>, SessionError> {
        let viewer = self.login().to_string();
        let db = self.shared.db.clone();
        let Some(sel) = self.selected.as_mut() else {
            return Ok(Vec::new());
        };
        Ok(metas_of(&db, sel, &viewer, uids).await?)
    }
}

/// [`Session::metas`] for a command that already holds the selected mailbox.
pub(crate) async fn metas_of(
    db: &store::Db,
    sel: &mut Selected,
    viewer: &str,
    uids: &[u32],
) -> Result<Vec<MessageMeta>, store::StoreError> {
    if uids.len() < DIRECT || sel.uids.len() > MAX_KEPT {
        let metas = db
            .fetch_messages(sel.mailbox_id, &store::UidSet::from_uids(uids), viewer)
            .await?;
        if let Some(rows) = sel.rows.as_mut() {
            metas.iter().for_each(|m| rows.upsert(m));
        }
        return Ok(metas);
    }
    let highest = db.highest_modseq(sel.mailbox_id).await?;
    match sel.rows.as_mut() {
        Some(rows) if rows.modseq() == highest => {}
        Some(rows) => {
            let since = rows.modseq();
            let changes = db.changes_since(sel.mailbox_id, since, viewer).await?;
            rows.apply(since, &changes);
        }
        None => {
            let all = db
                .fetch_messages(sel.mailbox_id, &store::UidSet::all(), viewer)
                .await?;
            sel.rows = Some(Rows::new(all, highest));
        }
    }
    let Some(rows) = sel.rows.as_ref() else {
        return Ok(Vec::new());
    };
    Ok(uids.iter().filter_map(|u| rows.get(*u).cloned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(uid: u32, modseq: u64) -> MessageMeta {
        MessageMeta {
            uid,
            modseq,
            flags: store::Flags::new(),
            blob: store::BlobId::of(&uid.to_be_bytes()),
            size: 10,
            internal_date: 0,
        }
    }

    #[test]
    fn changes_apply_in_place() {
        let mut rows = Rows::new(vec![meta(3, 3), meta(1, 1), meta(2, 2)], 3);
        assert_eq!(rows.uids(), vec![1, 2, 3]);
        let changes = store::Changes {
            changed: vec![meta(2, 5), meta(7, 6)],
            vanished: vec![1],
            highestmodseq: 6,
        };
        rows.apply(3, &changes);
        assert_eq!(rows.uids(), vec![2, 3, 7]);
        assert_eq!(rows.get(2).map(|m| m.modseq), Some(5));
        assert_eq!(rows.modseq(), 6);
        // Changes read from a later point leave a gap: applied, but not counted as current.
        let later = store::Changes {
            changed: vec![meta(3, 9)],
            vanished: vec![],
            highestmodseq: 9,
        };
        rows.apply(8, &later);
        assert_eq!(rows.get(3).map(|m| m.modseq), Some(9));
        assert_eq!(rows.modseq(), 6);
        // Our own write right after: still current; after a gap, not.
        rows.wrote(&[meta(2, 7)], 7);
        assert_eq!((rows.modseq(), rows.get(2).map(|m| m.modseq)), (7, Some(7)));
        rows.wrote(&[meta(3, 9)], 9);
        assert_eq!(rows.modseq(), 7);
    }
}
