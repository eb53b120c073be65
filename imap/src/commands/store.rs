//! STORE and UID STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3): one atomic
//! store transaction; `[MODIFIED]` lists the messages left alone.

use std::num::{NonZeroU32, NonZeroU64};

use imap_next::imap_types::command::StoreModifier;
use imap_next::imap_types::core::{Tag, Vec1};
use imap_next::imap_types::fetch::MessageDataItem;
use imap_next::imap_types::flag::{Flag, StoreResponse, StoreType};
use imap_next::imap_types::response::{Code, Data};
use imap_next::imap_types::sequence::SequenceSet;

use crate::fetch::flags_to_imap;
use crate::respond;
use crate::selected::sequence_set;
use crate::session::{Conn, Flow, Session, SessionError};

pub(crate) struct StoreArgs {
    pub set: SequenceSet,
    pub kind: StoreType,
    pub response: StoreResponse,
    pub flags: Vec<Flag<'static>>,
    pub uid: bool,
    pub modifiers: Vec<StoreModifier>,
}

/// IMAP flags to the store's; `\Recent` and unknown `\` flags cannot be stored.
pub(crate) fn to_store_flags(flags: &[Flag<'_>]) -> Result<store::Flags, String> {
    let texts: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
    store::Flags::parse(&texts).map_err(|e| e.to_string())
}

impl Session {
    pub(crate) async fn handle_store(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        args: StoreArgs,
    ) -> Result<Flow, SessionError> {
        let viewer = self.login().to_string();
        let (condstore, shared) = (self.condstore, self.shared.clone());
        let Some(sel) = self.selected.as_mut() else {
            return Ok(Flow::Continue);
        };
        if sel.read_only {
            conn.status(respond::no(
                &tag,
                Some(respond::code("CANNOT")),
                "Mailbox is read-only (EXAMINE)",
            ));
            return Ok(Flow::Continue);
        }
        let Ok(uids) = sel.resolve(&args.set, args.uid) else {
            conn.status(respond::bad(&tag, "Invalid message sequence number"));
            return Ok(Flow::Continue);
        };
        let flags = match to_store_flags(&args.flags) {
            Ok(f) => f,
            Err(why) => {
                conn.status(respond::bad(&tag, why));
                return Ok(Flow::Continue);
            }
        };
        let mode = match args.kind {
            StoreType::Add => store::FlagMode::Add,
            StoreType::Remove => store::FlagMode::Remove,
            StoreType::Replace => store::FlagMode::Replace,
        };
        let unchanged_since = args
            .modifiers
            .iter()
            .map(|m| match m {
                StoreModifier::UnchangedSince(n) => *n,
            })
            .next();
        let set = store::UidSet::from_uids(&uids);
        let res = shared
            .db
            .store_flags(sel.mailbox_id, &set, mode, &flags, unchanged_since, &viewer)
            .await?;
        if !res.updated.is_empty() && res.highestmodseq == sel.modseq + 1 {
            sel.modseq = res.highestmodseq;
        }
        if let Some(rows) = sel.rows.as_mut() {
            rows.wrote(&res.updated, res.highestmodseq);
        }
        // RFC 7162 §3.1.3: with UNCHANGEDSINCE, updated messages are reported even if .SILENT.
        let report_all = args.response == StoreResponse::Answer;
        let reported = if report_all {
            // The messages our write changed come back with their new state; only those it
            // left alone (flags already so) are read.
            let changed = |u: &u32| res.updated.iter().any(|m| m.uid == *u);
            let mut all = if uids.iter().all(|u| changed(u) || res.modified.contains(u)) {
                res.updated.clone()
            } else {
                self.metas(&uids).await?
            };
            all.retain(|m| !res.modified.contains(&m.uid));
            all
        } else if unchanged_since.is_some() || condstore {
            res.updated.clone()
        } else {
            Vec::new()
        };
        let Some(sel) = self.selected.as_mut() else {
            return Ok(Flow::Continue);
        };
        // Even under .SILENT: a keyword this STORE created goes into FLAGS (RFC 9051 §7.3.5);
        // so does one another session set on a message reported here (read fresh above).
        sel.announce_keywords(conn, res.updated.iter().chain(&reported).map(|m| &m.flags));
        for m in &reported {
            let Some(seq) = sel.seq_of(m.uid).and_then(NonZeroU32::new) else {
                continue;
            };
            let mut items = Vec::new();
            if args.uid {
                items.extend(NonZeroU32::new(m.uid).map(MessageDataItem::Uid));
            }
            if report_all {
                items.push(MessageDataItem::Flags(flags_to_imap(
                    &m.flags,
                    sel.recent.contains(m.uid),
                )));
            }
            if condstore || unchanged_since.is_some() {
                items.extend(NonZeroU64::new(m.modseq).map(MessageDataItem::ModSeq));
            }
            if let Ok(items) = Vec1::try_from(items) {
                conn.data(Data::Fetch { seq, items });
                conn.throttle().await?;
            }
        }
        let modified: Vec<u32> = if args.uid {
            res.modified.clone()
        } else {
            res.modified.iter().filter_map(|u| sel.seq_of(*u)).collect()
        };
        let code = sequence_set(&modified).map(Code::Modified);
        let text = if args.uid {
            "UID STORE completed"
        } else {
            "STORE completed"
        };
        self.finish(conn, &tag, args.uid, code, text).await
    }
}
