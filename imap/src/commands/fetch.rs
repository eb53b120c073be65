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

use crate::cache::{Cached, ContentCache};
use crate::fetch::{
    FetchError, MessageView, Source, fetch_items, flags_to_imap, header_block, source_of,
};
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

/// Whether the blob must be read for these items, given what the cache holds.
fn blob_needed(sources: &[Source], cached: Option<&Cached>) -> bool {
    let header = cached.is_some_and(|c| c.header.is_some());
    sources.iter().any(|s| match s {
        Source::Row => false,
        Source::Full => true,
        Source::Header => !header,
        Source::Envelope => !header && cached.is_none_or(|c| c.envelope.is_none()),
        Source::Body => cached.is_none_or(|c| c.body.is_none()),
        Source::BodyStructure => cached.is_none_or(|c| c.bodystructure.is_none()),
    })
}

/// The items of one message, in the order asked: cached values where there are some, the rest
/// computed from the whole message (`raw`) or, when that was not read, its cached header block.
/// What was computed is kept in the cache for the next command.
#[allow(clippy::too_many_arguments)]
fn items_for(
    cache: &ContentCache,
    meta: &store::MessageMeta,
    seq: u32,
    recent: bool,
    names: &[MessageDataItemName<'_>],
    sources: &[Source],
    cached: Option<Cached>,
    raw: Option<&[u8]>,
) -> Result<Vec<MessageDataItem<'static>>, FetchError> {
    let cached = cached.unwrap_or_default();
    let hit = |s: &Source| match s {
        Source::Envelope => cached.envelope.clone(),
        Source::Body => cached.body.clone(),
        Source::BodyStructure => cached.bodystructure.clone(),
        _ => None,
    };
    let mut out: Vec<Option<MessageDataItem<'static>>> = sources.iter().map(hit).collect();
    let todo: Vec<MessageDataItemName<'_>> = names
        .iter()
        .zip(&out)
        .filter(|(_, o)| o.is_none())
        .map(|(n, _)| n.clone())
        .collect();
    let header = cached.header.clone();
    let bytes: &[u8] = match (raw, header.as_deref()) {
        (Some(r), _) => r,
        (None, Some(h)) => h,
        (None, None) => &[],
    };
    let view = MessageView {
        seq,
        meta,
        raw: bytes,
        recent,
    };
    let computed = fetch_items(&view, &todo)?;
    let mut add = Cached::default();
    let mut computed = computed.into_iter();
    for (slot, source) in out.iter_mut().zip(sources) {
        if slot.is_some() {
            continue;
        }
        let item = computed.next();
        match (source, &item) {
            (Source::Envelope, Some(i)) => add.envelope = Some(i.clone()),
            (Source::Body, Some(i)) if raw.is_some() => add.body = Some(i.clone()),
            (Source::BodyStructure, Some(i)) if raw.is_some() => {
                add.bodystructure = Some(i.clone())
            }
            _ => {}
        }
        *slot = item;
    }
    if let Some(r) = raw
        && header.is_none()
        && sources.iter().any(|s| *s != Source::Row)
    {
        add.header = Some(header_block(r).into());
    }
    if add.header.is_some()
        || add.envelope.is_some()
        || add.body.is_some()
        || add.bodystructure.is_some()
    {
        cache.merge(&meta.blob, add);
    }
    Ok(out.into_iter().flatten().collect())
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
        let sources: Vec<Source> = names.iter().map(source_of).collect();
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
            let mut metas = self.metas(chunk).await?;
            let Some(sel) = self.selected.as_mut() else {
                break;
            };
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
                    if !res.updated.is_empty() && res.highestmodseq == sel.modseq + 1 {
                        sel.modseq = res.highestmodseq;
                    }
                    if let Some(rows) = sel.rows.as_mut() {
                        rows.wrote(&res.updated, res.highestmodseq);
                    }
                    for updated in res.updated {
                        if let Some(m) = metas.iter_mut().find(|m| m.uid == updated.uid) {
                            *m = updated;
                            newly_seen.push(m.uid);
                        }
                    }
                }
            }
            sel.announce_keywords(conn, metas.iter().map(|m| &m.flags));
            // What each message needs: cached values first, then one batched read of the
            // blobs still needed (one blocking task per chunk, not one per message).
            let cached: Vec<Option<Cached>> = metas
                .iter()
                .map(|m| {
                    if body {
                        shared.cache.get(&m.blob)
                    } else {
                        None
                    }
                })
                .collect();
            let needs_blob: Vec<bool> = cached
                .iter()
                .map(|c| body && blob_needed(&sources, c.as_ref()))
                .collect();
            let to_read: Vec<store::BlobId> = metas
                .iter()
                .zip(&needs_blob)
                .filter(|(_, n)| **n)
                .map(|(m, _)| m.blob.clone())
                .collect();
            let mut blobs = shared.blobs.get_many(&to_read).await?.into_iter();
            for ((meta, cached), read) in metas.iter().zip(cached).zip(needs_blob) {
                let Some(seq) = sel.seq_of(meta.uid).and_then(NonZeroU32::new) else {
                    if read {
                        blobs.next();
                    }
                    continue;
                };
                let raw: Option<Vec<u8>> = if read { blobs.next() } else { None };
                let recent = sel.recent.contains(meta.uid);
                let mut out = match items_for(
                    &shared.cache,
                    meta,
                    seq.get(),
                    recent,
                    &names,
                    &sources,
                    cached,
                    raw.as_deref(),
                ) {
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
