//! The selected mailbox of a session: the message sequence number ↔ UID map (RFC 9051 §2.3.1.2),
//! and the changes made by other sessions, reported as EXISTS / EXPUNGE (or VANISHED) / FETCH.
//!
//! Sequence numbers are per session and never stored. EXPUNGE responses renumber at once, so
//! they must not be sent during FETCH, STORE or SEARCH (RFC 9051 §7.5.1); expunges seen then
//! wait in `pending_expunge`, and the messages keep their numbers until the next command that
//! may report them.

use std::num::NonZeroU32;

use imap_next::imap_types::core::Vec1;
use imap_next::imap_types::fetch::MessageDataItem;
use imap_next::imap_types::response::Data;
use imap_next::imap_types::sequence::{SeqOrUid, Sequence, SequenceSet};
use tokio::sync::watch;

use crate::session::{Conn, Session, SessionError};

mod keywords;
mod recent;
mod rows;
pub use keywords::send_flags;
pub use recent::RecentUids;
pub use rows::Rows;
pub(crate) use rows::metas_of;

pub struct Selected {
    pub mailbox_id: i64,
    /// Owner of the mailbox (the user, or an ORG account).
    pub account: String,
    pub read_only: bool,
    pub uidvalidity: u32,
    /// UIDs in order: the sequence number of `uids[i]` is `i + 1`.
    pub uids: Vec<u32>,
    /// The UIDs this session claimed as `\Recent` (RFC 3501 §2.3.2; `selected/recent.rs`).
    pub recent: RecentUids,
    /// The keywords the last FLAGS response listed (`selected/keywords.rs`).
    pub keywords: Vec<String>,
    /// The HIGHESTMODSEQ up to which the client has been told everything.
    pub modseq: u64,
    pub watch: watch::Receiver<u64>,
    /// Expunged in the store, not yet reported to the client.
    pub pending_expunge: Vec<u32>,
    /// The message rows, kept between commands (`rows.rs`); `None` while idling.
    pub rows: Option<Rows>,
    /// SEARCHRES (RFC 5182 §2.1): the UIDs saved by `SEARCH RETURN (SAVE)`, sorted, that `$`
    /// names. A new `Selected` on SELECT/EXAMINE and none after CLOSE/UNSELECT reset it, and
    /// `resolve` skips expunged UIDs, as the RFC requires.
    pub saved: Vec<u32>,
}

/// A sequence set was out of range (RFC 9051 §6.4.4: BAD for invalid sequence numbers).
#[derive(Debug)]
pub struct BadSequence;

impl Selected {
    pub fn seq_of(&self, uid: u32) -> Option<u32> {
        self.uids
            .binary_search(&uid)
            .ok()
            .and_then(|i| u32::try_from(i + 1).ok())
    }

    pub fn exists(&self) -> u32 {
        u32::try_from(self.uids.len()).unwrap_or(u32::MAX)
    }

    pub fn max_uid(&self) -> u32 {
        self.uids.last().copied().unwrap_or(0)
    }

    pub fn recent_count(&self) -> u32 {
        self.recent.count_in(&self.uids)
    }

    /// The UIDs (in order) that `set` names: sequence numbers, or UIDs with `uid`. A UID that
    /// does not exist is simply not there (RFC 9051 §6.4.8); a sequence number beyond EXISTS is
    /// an error.
    pub fn resolve(&self, set: &SequenceSet, uid: bool) -> Result<Vec<u32>, BadSequence> {
        let largest = if uid { self.max_uid() } else { self.exists() };
        let value = |s: &SeqOrUid| match s {
            SeqOrUid::Value(n) => n.get(),
            // `*` in an empty mailbox (RFC 9051 §6.4.8: "UID range of 559:* always includes
            // the UID of the last message"): nothing to include.
            SeqOrUid::Asterisk => largest,
        };
        let mut ranges = Vec::with_capacity(set.0.as_ref().len());
        let mut saved = false;
        for seq in set.0.as_ref() {
            let (a, b) = match seq {
                Sequence::Single(s) => (value(s), value(s)),
                Sequence::Range(x, y) => (value(x), value(y)),
                Sequence::Saved => {
                    saved = true;
                    continue;
                }
            };
            let (lo, hi) = (a.min(b), a.max(b));
            if hi == 0 {
                continue;
            }
            ranges.push(lo.max(1)..=hi);
        }
        if uid {
            let set = store::UidSet::from_ranges(ranges);
            return Ok(self
                .uids
                .iter()
                .copied()
                .filter(|u| set.contains(*u) || (saved && self.saved.binary_search(u).is_ok()))
                .collect());
        }
        let mut out = Vec::new();
        for r in store::UidSet::from_ranges(ranges).ranges() {
            if *r.end() > self.exists() {
                return Err(BadSequence);
            }
            for seq in r.clone() {
                if let Some(u) = self.uids.get(seq as usize - 1) {
                    out.push(*u);
                }
            }
        }
        if saved {
            // `$` (RFC 5182 §2.1): the saved messages that still exist.
            out.extend(self.saved.iter().filter(|u| self.seq_of(**u).is_some()));
            out.sort_unstable();
            out.dedup();
        }
        Ok(out)
    }

    /// Removes `uid` from the map; its former sequence number.
    pub fn remove(&mut self, uid: u32) -> Option<NonZeroU32> {
        let i = self.uids.binary_search(&uid).ok()?;
        self.uids.remove(i);
        NonZeroU32::new(u32::try_from(i + 1).ok()?)
    }
}

/// The numbers of `set` as a store set, `*` being `largest` (for VANISHED (EARLIER), where UIDs
/// that no longer exist count).
pub fn raw_set(set: &SequenceSet, largest: u32) -> store::UidSet {
    let value = |s: &SeqOrUid| match s {
        SeqOrUid::Value(n) => n.get(),
        SeqOrUid::Asterisk => largest,
    };
    store::UidSet::from_ranges(set.0.as_ref().iter().filter_map(|seq| match seq {
        Sequence::Single(s) => Some(value(s)..=value(s)),
        Sequence::Range(a, b) => Some(value(a).min(value(b))..=value(a).max(value(b))),
        // `$` (RFC 5182) names existing messages only: nothing for VANISHED (EARLIER).
        Sequence::Saved => None,
    }))
}

/// A compact sequence set for VANISHED / MODIFIED / COPYUID (`1:3,7`).
pub fn sequence_set(values: &[u32]) -> Option<SequenceSet> {
    let mut sorted: Vec<u32> = values.iter().copied().filter(|v| *v > 0).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut seqs = Vec::new();
    let mut iter = sorted.into_iter().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        let (s, e) = (NonZeroU32::new(start)?, NonZeroU32::new(end)?);
        seqs.push(if s == e {
            Sequence::Single(SeqOrUid::Value(s))
        } else {
            Sequence::Range(SeqOrUid::Value(s), SeqOrUid::Value(e))
        });
    }
    Vec1::try_from(seqs).ok().map(SequenceSet)
}

impl Session {
    /// Reports to the client what other sessions changed in the selected mailbox. Expunges are
    /// reported only when `allow_expunge` (not during FETCH, STORE, SEARCH).
    pub(crate) async fn sync(
        &mut self,
        conn: &mut Conn,
        allow_expunge: bool,
    ) -> Result<(), SessionError> {
        self.sync_with(conn, allow_expunge, false).await
    }

    /// Like [`Session::sync`], but asks the store even if the hub has not signalled yet: the
    /// hub runs on its own task, so a change committed by another session an instant ago may
    /// not have reached it, and NOOP / CHECK / IDLE must still see it (RFC 9051 §6.1.2).
    pub(crate) async fn sync_with(
        &mut self,
        conn: &mut Conn,
        allow_expunge: bool,
        force: bool,
    ) -> Result<(), SessionError> {
        let viewer = self.login().to_string();
        let (condstore, qresync, rev2) = (self.condstore, self.qresync, self.rev2);
        let force = force || std::mem::take(&mut self.force_sync);
        let Some(sel) = self.selected.as_mut() else {
            return Ok(());
        };
        let changed = force || sel.watch.has_changed().unwrap_or(false);
        if !changed && (sel.pending_expunge.is_empty() || !allow_expunge) {
            return Ok(());
        }
        if changed {
            sel.watch.borrow_and_update();
            let db = &self.shared.db;
            // The hub also signals this session's own writes, which the client has been told
            // of already: one small read of HIGHESTMODSEQ then saves reading the changes.
            let read = match db.highest_modseq(sel.mailbox_id).await {
                Ok(highest) if highest == sel.modseq => Ok(store::Changes {
                    changed: Vec::new(),
                    vanished: Vec::new(),
                    highestmodseq: highest,
                }),
                Ok(_) => db.changes_since(sel.mailbox_id, sel.modseq, &viewer).await,
                Err(e) => Err(e),
            };
            let changes = match read {
                Ok(c) => c,
                // Deleted by another session: nothing this one knows is valid any more (Dovecot
                // and Cyrus also end the session).
                Err(store::StoreError::MailboxNotFound(_)) => {
                    conn.status(crate::respond::bye("The selected mailbox was deleted"));
                    return Err(SessionError::Closed);
                }
                Err(e) => return Err(e.into()),
            };
            if let Some(rows) = sel.rows.as_mut() {
                rows.apply(sel.modseq, &changes);
            }
            for uid in changes.vanished {
                if sel.seq_of(uid).is_some() && !sel.pending_expunge.contains(&uid) {
                    sel.pending_expunge.push(uid);
                }
            }
            let max = sel.max_uid();
            let mut new = 0;
            sel.announce_keywords(conn, changes.changed.iter().map(|m| &m.flags));
            for m in &changes.changed {
                if m.uid > max {
                    sel.uids.push(m.uid);
                    new += 1;
                } else if let Some(seq) = sel.seq_of(m.uid).and_then(NonZeroU32::new) {
                    let recent = sel.recent.contains(m.uid);
                    let mut items = vec![MessageDataItem::Flags(crate::fetch::flags_to_imap(
                        &m.flags, recent,
                    ))];
                    if let Some(uid) = NonZeroU32::new(m.uid) {
                        items.insert(0, MessageDataItem::Uid(uid));
                    }
                    if condstore && let Some(ms) = std::num::NonZeroU64::new(m.modseq) {
                        items.push(MessageDataItem::ModSeq(ms));
                    }
                    conn.data(Data::Fetch {
                        seq,
                        items: Vec1::unvalidated(items),
                    });
                }
            }
            if new > 0 {
                sel.uids.sort_unstable();
                // RFC 3501 §2.3.2: the new messages are recent in the first session told of
                // them; this one claims what no other session has.
                if !rev2 && !sel.read_only {
                    sel.recent.add(db.claim_recent(sel.mailbox_id).await?);
                }
                conn.data(Data::Exists(sel.exists()));
                // No RECENT under IMAP4rev2 (RFC 9051 Appendix E).
                if !rev2 {
                    conn.data(Data::Recent(sel.recent_count()));
                }
            }
            sel.modseq = sel.modseq.max(changes.highestmodseq);
        }
        if allow_expunge && !sel.pending_expunge.is_empty() {
            let gone = std::mem::take(&mut sel.pending_expunge);
            report_expunged(conn, sel, &gone, qresync, !rev2);
        }
        Ok(())
    }
}

/// Sends EXPUNGE (or VANISHED under QRESYNC, RFC 7162 §3.2.10) for `uids` and renumbers.
/// With `recent` (IMAP4rev1), a changed `\Recent` count follows as `* n RECENT`: RFC 3501
/// §7.3.2 sends RECENT when the mailbox size changes, and a client (imaptest's checkpoint)
/// sums the last counts of all sessions against the message count.
pub(crate) fn report_expunged(
    conn: &mut Conn,
    sel: &mut Selected,
    uids: &[u32],
    qresync: bool,
    recent: bool,
) {
    let before = sel.recent_count();
    remove_and_report(conn, sel, uids, qresync);
    if recent && sel.recent_count() != before {
        conn.data(Data::Recent(sel.recent_count()));
    }
}

fn remove_and_report(conn: &mut Conn, sel: &mut Selected, uids: &[u32], qresync: bool) {
    if qresync {
        let present: Vec<u32> = uids
            .iter()
            .copied()
            .filter(|u| sel.remove(*u).is_some())
            .collect();
        if let Some(set) = sequence_set(&present) {
            conn.data(Data::Vanished {
                earlier: false,
                known_uids: set,
            });
        }
        return;
    }
    // Highest first, so each number sent is still valid when the client applies it.
    let mut sorted = uids.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    for uid in sorted {
        if let Some(seq) = sel.remove(uid) {
            conn.data(Data::Expunge(seq));
        }
    }
}

/// A selected mailbox of `uids` with nothing else known, for unit tests.
#[cfg(test)]
pub(crate) fn fixture(uids: Vec<u32>) -> Selected {
    Selected {
        mailbox_id: 1,
        account: "a@b".into(),
        read_only: false,
        uidvalidity: 1,
        uids,
        recent: RecentUids::default(),
        keywords: Vec::new(),
        modseq: 1,
        watch: watch::channel(0).1,
        pending_expunge: Vec::new(),
        rows: None,
        saved: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(uids: Vec<u32>) -> Selected {
        Selected {
            recent: RecentUids::from(5..100),
            ..fixture(uids)
        }
    }

    #[test]
    fn resolves_sequence_and_uid_sets() {
        let s = sel(vec![2, 4, 5, 9]);
        let set = |t: &str| SequenceSet::try_from(t).unwrap();
        assert_eq!(s.resolve(&set("1:*"), false).unwrap(), vec![2, 4, 5, 9]);
        assert_eq!(s.resolve(&set("2,4"), false).unwrap(), vec![4, 9]);
        assert!(s.resolve(&set("5"), false).is_err());
        assert_eq!(s.resolve(&set("3:5"), true).unwrap(), vec![4, 5]);
        assert_eq!(s.resolve(&set("10:*"), true).unwrap(), vec![9]);
        assert_eq!(s.resolve(&set("100"), true).unwrap(), Vec::<u32>::new());
        assert_eq!(s.recent_count(), 2);
        assert_eq!(s.seq_of(5), Some(3));
    }

    #[test]
    fn removal_renumbers_and_sets_compact() {
        let mut s = sel(vec![2, 4, 5, 9]);
        assert_eq!(s.remove(4).map(|n| n.get()), Some(2));
        assert_eq!(s.seq_of(9), Some(3));
        assert!(s.remove(4).is_none());
        let set = sequence_set(&[7, 1, 2, 3, 9, 8]).unwrap();
        assert_eq!(set, SequenceSet::try_from("1:3,7:9").unwrap());
        assert!(sequence_set(&[]).is_none());
    }
}
