//! FETCH and UID FETCH (RFC 9051 §6.4.5) with CHANGEDSINCE / VANISHED (RFC 7162 §3.1.4, §3.2.6).
//! The items come from `crate::fetch`; this file picks the messages, loads the blobs only when
//! an item needs the body, sets `\Seen` for non-PEEK body fetches, and paces the output.

use std::num::{NonZeroU32, NonZeroU64};

use imap_next::imap_types::command::FetchModifier;
use imap_next::imap_types::core::{Tag, Vec1};
use imap_next::imap_types::fetch::{
    MacroOrMessageDataItemNames, MessageDataItem, MessageDataItemName,
};
use imap_next::imap_types::response::Data;
use imap_next::imap_types::sequence::SequenceSet;
use tracing::warn;

use crate::fetch::{MessageView, fetch_items, flags_to_imap};
use crate::respond;
use crate::selected::{raw_set, sequence_set};
use crate::session::{Conn, Flow, Session, SessionError};

/// Messages loaded from the store per round trip.
const CHUNK: usize = 200;

/// Whether an item needs the message bytes (everything but the row's own columns).
fn needs_body(item: &MessageDataItemName<'_>) -> bool {
    !matches!(
        item,
        MessageDataItemName::Uid
            | MessageDataItemName::Flags
            | MessageDataItemName::InternalDate
            | MessageDataItemName::Rfc822Size
            | MessageDataItemName::ModSeq
    )
}

/// Whether fetching the item sets `\Seen` (RFC 9051 §6.4.5: BODY[] without .PEEK, RFC822,
/// RFC822.TEXT; BINARY[] without .PEEK, RFC 3516).
fn sets_seen(item: &MessageDataItemName<'_>) -> bool {
    matches!(
        item,
        MessageDataItemName::BodyExt { peek: false, .. }
            | MessageDataItemName::Rfc822
            | MessageDataItemName::Rfc822Text
            | MessageDataItemName::Binary { peek: false, .. }
    )
}

impl Session {
    pub(crate) async fn handle_fetch(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        set: SequenceSet,
        items: MacroOrMessageDataItemNames<'static>,
        uid: bool,
        modifiers: Vec<FetchModifier>,
    ) -> Result<Flow, SessionError> {
        let viewer = self.login().to_string();
        let (qresync, shared) = (self.qresync, self.shared.clone());
        let Some(sel) = self.selected.as_mut() else {
            return Ok(Flow::Continue);
        };
        let Ok(uids) = sel.resolve(&set, uid) else {
            conn.status(respond::bad(&tag, "Invalid message sequence number"));
            return Ok(Flow::Continue);
        };
        let mut names: Vec<MessageDataItemName<'_>> = match &items {
            MacroOrMessageDataItemNames::Macro(m) => m.expand(),
            MacroOrMessageDataItemNames::MessageDataItemNames(v) => v.clone(),
        };
        let mut changed_since = None;
        let mut vanished = false;
        for m in &modifiers {
            match m {
                FetchModifier::ChangedSince(n) => changed_since = Some(n.get()),
                FetchModifier::Vanished => vanished = true,
            }
        }
        if vanished && (!uid || !qresync || changed_since.is_none()) {
            // RFC 7162 §3.2.6: VANISHED only in UID FETCH with CHANGEDSINCE, after ENABLE QRESYNC.
            conn.status(respond::bad(
                &tag,
                "VANISHED needs UID FETCH, CHANGEDSINCE and QRESYNC",
            ));
            return Ok(Flow::Continue);
        }
        // UID FETCH always reports UID (RFC 9051 §6.4.9); CHANGEDSINCE always reports MODSEQ.
        if uid && !names.contains(&MessageDataItemName::Uid) {
            names.insert(0, MessageDataItemName::Uid);
        }
        if changed_since.is_some() && !names.contains(&MessageDataItemName::ModSeq) {
            names.push(MessageDataItemName::ModSeq);
        }
        let body = names.iter().any(needs_body);
        let mark_seen = !sel.read_only && names.iter().any(sets_seen);
        let with_flags = names.contains(&MessageDataItemName::Flags);
        if let (Some(since), true) = (changed_since, vanished) {
            let changes = shared
                .db
                .changes_since(sel.mailbox_id, since, &viewer)
                .await?;
            let wanted = raw_set(&set, sel.max_uid());
            let gone: Vec<u32> = changes
                .vanished
                .into_iter()
                .filter(|u| wanted.contains(*u))
                .collect();
            if let Some(known_uids) = sequence_set(&gone) {
                conn.data(Data::Vanished {
                    earlier: true,
                    known_uids,
                });
            }
        }
        for chunk in uids.chunks(CHUNK) {
            let mut metas = shared
                .db
                .fetch_messages(sel.mailbox_id, &store::UidSet::from_uids(chunk), &viewer)
                .await?;
            if let Some(since) = changed_since {
                metas.retain(|m| m.modseq > since);
            }
            let mut newly_seen = Vec::new();
            if mark_seen {
                let unseen: Vec<u32> = metas
                    .iter()
                    .filter(|m| !m.flags.contains(&store::Flag::Seen))
                    .map(|m| m.uid)
                    .collect();
                if !unseen.is_empty() {
                    let mut seen = store::Flags::new();
                    seen.insert(store::Flag::Seen);
                    let res = shared
                        .db
                        .store_flags(
                            sel.mailbox_id,
                            &store::UidSet::from_uids(&unseen),
                            store::FlagMode::Add,
                            &seen,
                            None,
                            &viewer,
                        )
                        .await?;
                    if res.highestmodseq == sel.modseq + 1 {
                        sel.modseq = res.highestmodseq;
                    }
                    for updated in res.updated {
                        if let Some(m) = metas.iter_mut().find(|m| m.uid == updated.uid) {
                            *m = updated;
                            newly_seen.push(m.uid);
                        }
                    }
                }
            }
            for meta in &metas {
                let Some(seq) = sel.seq_of(meta.uid).and_then(NonZeroU32::new) else {
                    continue;
                };
                let raw = if body {
                    shared.blobs.get(&meta.blob).await?
                } else {
                    Vec::new()
                };
                let recent = meta.uid >= sel.recent_from;
                let view = MessageView {
                    seq: seq.get(),
                    meta,
                    raw: &raw,
                    recent,
                };
                let mut out = match fetch_items(&view, &names) {
                    Ok(items) => items,
                    Err(e) => {
                        warn!(uid = meta.uid, error = %e, "FETCH item failed");
                        continue;
                    }
                };
                // RFC 9051 §6.4.5: a FETCH that sets \Seen reports the new FLAGS.
                if !with_flags && newly_seen.contains(&meta.uid) {
                    out.push(MessageDataItem::Flags(flags_to_imap(&meta.flags, recent)));
                    if self.condstore
                        && !names.contains(&MessageDataItemName::ModSeq)
                        && let Some(ms) = NonZeroU64::new(meta.modseq)
                    {
                        out.push(MessageDataItem::ModSeq(ms));
                    }
                }
                let Ok(items) = Vec1::try_from(out) else {
                    continue;
                };
                conn.data(Data::Fetch { seq, items });
                conn.throttle().await?;
            }
        }
        self.finish(
            conn,
            &tag,
            uid,
            None,
            if uid {
                "UID FETCH completed"
            } else {
                "FETCH completed"
            },
        )
        .await
    }
}
