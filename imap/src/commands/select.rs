//! SELECT / EXAMINE with CONDSTORE and QRESYNC (RFC 9051 §6.3.2-3, RFC 7162 §3.1.8, §3.2.5),
//! CLOSE and UNSELECT (RFC 9051 §6.4.1-2).

use std::num::{NonZeroU32, NonZeroU64};

use imap_next::imap_types::command::SelectParameter;
use imap_next::imap_types::core::{Tag, Vec1};
use imap_next::imap_types::fetch::MessageDataItem;
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::{Code, Data};

use crate::respond;
use crate::selected::{RecentUids, Rows, Selected, send_flags, sequence_set};
use crate::session::{Conn, Flow, Session, SessionError};

/// The UIDs of the mailbox, and its rows when this session kept them from its previous SELECT
/// of it (a client's every poll): brought up to date from the HIGHESTMODSEQ `highest` the
/// status just read, they give the UIDs without reading them all. Otherwise only the UIDs are
/// read; the first FETCH or SEARCH over many messages reads the rows (`selected/rows.rs`), so
/// a session that only SELECTs and IDLEs holds none (docs/imap-plan.md §6).
async fn load_rows(
    db: &store::Db,
    mailbox_id: i64,
    viewer: &str,
    highest: u64,
    kept: Option<Rows>,
) -> Result<(Vec<u32>, Option<Rows>), SessionError> {
    let Some(mut rows) = kept else {
        return Ok((db.uids(mailbox_id).await?, None));
    };
    if rows.modseq() != highest {
        let since = rows.modseq();
        let changes = db.changes_since(mailbox_id, since, viewer).await?;
        rows.apply(since, &changes);
    }
    Ok((rows.uids(), Some(rows)))
}

impl Session {
    pub(crate) async fn handle_select(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        mailbox: Mailbox<'static>,
        parameters: Vec<SelectParameter>,
        read_only: bool,
    ) -> Result<Flow, SessionError> {
        // RFC 7162 §3.2.11: leaving a mailbox under QRESYNC is announced with [CLOSED].
        let previous = self.selected.take();
        // RFC 9051 §7.1 (CLOSED) makes it part of IMAP4rev2 too.
        if previous.is_some() && (self.qresync || self.rev2) {
            conn.status(respond::untagged_ok(
                Some(Code::Closed),
                "Previous mailbox closed",
            ));
        }
        let Some(loc) = self.locate(conn, &tag, &mailbox) else {
            return Ok(Flow::Continue);
        };
        let db = self.shared.db.clone();
        let Some(mb) = db.find_mailbox(&loc.account, &loc.name).await? else {
            conn.status(respond::no(
                &tag,
                Some(respond::code("NONEXISTENT")),
                "No such mailbox",
            ));
            return Ok(Flow::Continue);
        };
        let mut qresync = None;
        for p in parameters {
            match p {
                SelectParameter::CondStore => self.condstore = true,
                SelectParameter::QResync {
                    uid_validity,
                    mod_sequence_value,
                    known_uids,
                    ..
                } => {
                    if !self.qresync {
                        conn.status(respond::bad(&tag, "ENABLE QRESYNC first"));
                        return Ok(Flow::Continue);
                    }
                    qresync = Some((uid_validity, mod_sequence_value, known_uids));
                }
            }
        }
        // Watch first: a change committed while we read is then reported by the next sync.
        let watch = self.shared.hub.watch(mb.id);
        let viewer = self.login().to_string();
        let status = db.mailbox_status(mb.id, &viewer).await?;
        // The message rows, read after the status (a message arriving in between is in them,
        // and reported again by the next sync, harmlessly). Re-selecting the same mailbox (a
        // client's every poll) reads only what changed since the kept rows.
        let kept = previous
            .filter(|p| p.mailbox_id == mb.id && p.uidvalidity == status.uidvalidity)
            .and_then(|p| p.rows);
        let (uids, rows) = load_rows(&db, mb.id, &viewer, status.highestmodseq, kept).await?;
        // Claiming \Recent is a write transaction (an fsync): skip it when nothing is recent,
        // which is the common case of a client re-selecting its INBOX.
        // IMAP4rev2 has no \Recent (RFC 9051 Appendix E): nothing to claim.
        let recent = if self.rev2 || status.recent == 0 {
            RecentUids::default()
        } else if read_only {
            // RFC 3501 §2.3.2, §6.3.2: EXAMINE leaves `\Recent` to a read-write session, but
            // the newest `status.recent` messages are recent here too: FETCH shows them so,
            // matching the RECENT count sent below.
            let recent = usize::try_from(status.recent).unwrap_or(usize::MAX);
            let first = uids.len().checked_sub(recent).and_then(|i| uids.get(i));
            match (first, uids.last()) {
                (Some(first), Some(last)) => RecentUids::from(*first..last.saturating_add(1)),
                _ => RecentUids::default(),
            }
        } else {
            RecentUids::from(db.claim_recent(mb.id).await?)
        };
        let mut sel = Selected {
            mailbox_id: mb.id,
            account: loc.account.clone(),
            read_only,
            uidvalidity: status.uidvalidity,
            uids,
            recent,
            keywords: db.mailbox_keywords(mb.id).await?,
            modseq: status.highestmodseq,
            watch,
            pending_expunge: Vec::new(),
            rows,
            saved: Vec::new(),
        };
        send_flags(conn, &sel.keywords, read_only);
        conn.data(Data::Exists(sel.exists()));
        // RFC 9051 §6.3.2: IMAP4rev2 wants a LIST of the mailbox, and no RECENT nor UNSEEN.
        if self.rev2
            && let Some(list) = self.list_one(&loc.account, &mb.name).await?
        {
            conn.data(list);
        }
        let recent = if read_only {
            status.recent
        } else {
            sel.recent_count()
        };
        if !self.rev2 {
            conn.data(Data::Recent(recent));
        }
        if let Some(first) = status
            .first_unseen
            .filter(|_| !self.rev2)
            .and_then(|u| sel.seq_of(u))
            .and_then(NonZeroU32::new)
        {
            conn.status(respond::untagged_ok(
                Some(Code::Unseen(first)),
                "First unseen",
            ));
        }
        if let Some(v) = NonZeroU32::new(status.uidvalidity) {
            conn.status(respond::untagged_ok(
                Some(Code::UidValidity(v)),
                "UIDs valid",
            ));
        }
        if let Some(n) = NonZeroU32::new(status.uidnext) {
            conn.status(respond::untagged_ok(
                Some(Code::UidNext(n)),
                "Predicted next UID",
            ));
        }
        if let Some(m) = NonZeroU64::new(status.highestmodseq) {
            conn.status(respond::untagged_ok(
                Some(Code::HighestModSeq(m)),
                "Highest",
            ));
        }
        if let Some((validity, since, known)) = qresync
            && validity.get() == status.uidvalidity
        {
            self.qresync_report(conn, &mut sel, since.get(), known.as_ref())
                .await?;
        }
        self.selected = Some(sel);
        let code = if read_only {
            Code::ReadOnly
        } else {
            Code::ReadWrite
        };
        let text = if read_only {
            "EXAMINE completed"
        } else {
            "SELECT completed"
        };
        conn.status(respond::ok(&tag, Some(code), text));
        Ok(Flow::Continue)
    }

    /// QRESYNC (RFC 7162 §3.2.5.2): VANISHED (EARLIER) for the known UIDs expunged since, then
    /// FETCH for the messages changed since.
    async fn qresync_report(
        &mut self,
        conn: &mut Conn,
        sel: &mut Selected,
        since: u64,
        known: Option<&imap_next::imap_types::sequence::SequenceSet>,
    ) -> Result<(), SessionError> {
        let changes = self
            .shared
            .db
            .changes_since(sel.mailbox_id, since, self.login())
            .await?;
        let known_set = known.map(|k| {
            let ranges = k.0.as_ref().iter().map(|s| {
                use imap_next::imap_types::sequence::{SeqOrUid, Sequence};
                let v = |x: &SeqOrUid| match x {
                    SeqOrUid::Value(n) => n.get(),
                    SeqOrUid::Asterisk => u32::MAX,
                };
                match s {
                    Sequence::Single(a) => v(a)..=v(a),
                    Sequence::Range(a, b) => v(a).min(v(b))..=v(a).max(v(b)),
                    // `$` (RFC 5182): nothing is saved before SELECT; as `*`, a UID that
                    // cannot exist.
                    Sequence::Saved => u32::MAX..=u32::MAX,
                }
            });
            store::UidSet::from_ranges(ranges.collect::<Vec<_>>())
        });
        let vanished: Vec<u32> = changes
            .vanished
            .iter()
            .copied()
            .filter(|u| known_set.as_ref().is_none_or(|k| k.contains(*u)))
            .collect();
        if let Some(set) = sequence_set(&vanished) {
            conn.data(Data::Vanished {
                earlier: true,
                known_uids: set,
            });
        }
        sel.announce_keywords(conn, changes.changed.iter().map(|m| &m.flags));
        for m in &changes.changed {
            let Some(seq) = sel.seq_of(m.uid).and_then(NonZeroU32::new) else {
                continue;
            };
            let mut items = Vec::new();
            items.extend(NonZeroU32::new(m.uid).map(MessageDataItem::Uid));
            items.push(MessageDataItem::Flags(crate::fetch::flags_to_imap(
                &m.flags,
                sel.recent.contains(m.uid),
            )));
            items.extend(NonZeroU64::new(m.modseq).map(MessageDataItem::ModSeq));
            conn.data(Data::Fetch {
                seq,
                items: Vec1::unvalidated(items),
            });
            conn.throttle().await?;
        }
        Ok(())
    }

    /// CLOSE: silently removes `\Deleted` messages (not in a read-only mailbox), then leaves.
    pub(crate) async fn handle_close(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        if let Some(sel) = self.selected.take()
            && !sel.read_only
        {
            self.shared.db.expunge(sel.mailbox_id, None).await?;
        }
        conn.status(respond::ok(&tag, None, "CLOSE completed"));
        Ok(Flow::Continue)
    }

    pub(crate) fn handle_unselect(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        self.selected = None;
        conn.status(respond::ok(&tag, None, "UNSELECT completed"));
        Ok(Flow::Continue)
    }
}
