//! COPY / UID COPY and MOVE / UID MOVE (RFC 9051 §6.4.7, RFC 6851) with COPYUID (RFC 4315 §3).
//! Each is one store transaction, committed before the `OK` (durable before acknowledged).

use std::num::NonZeroU32;

use imap_next::imap_types::core::{Tag, Vec1};
use imap_next::imap_types::extensions::uidplus::{UidElement, UidSet};
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::Code;
use imap_next::imap_types::sequence::SequenceSet;

use crate::respond;
use crate::selected::report_expunged;
use crate::session::{Conn, Flow, Session, SessionError};

/// A UIDPLUS set keeping the given order (source and destination pair up by position).
fn uidplus_set(values: impl Iterator<Item = u32>) -> Option<UidSet> {
    let elements: Vec<UidElement> = values
        .filter_map(NonZeroU32::new)
        .map(UidElement::Single)
        .collect();
    Vec1::try_from(elements).ok().map(UidSet)
}

impl Session {
    pub(crate) async fn handle_copy_move(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        set: SequenceSet,
        mailbox: Mailbox<'static>,
        uid: bool,
        is_move: bool,
    ) -> Result<Flow, SessionError> {
        let command = match (uid, is_move) {
            (false, false) => "COPY",
            (true, false) => "UID COPY",
            (false, true) => "MOVE",
            (true, true) => "UID MOVE",
        };
        let Some(loc) = self.locate(conn, &tag, &mailbox) else {
            return Ok(Flow::Continue);
        };
        let viewer = self.login().to_string();
        let (qresync, rev2, shared) = (self.qresync, self.rev2, self.shared.clone());
        let Some(sel) = self.selected.as_mut() else {
            return Ok(Flow::Continue);
        };
        if is_move && sel.read_only {
            conn.status(respond::no(
                &tag,
                Some(respond::code("CANNOT")),
                "Mailbox is read-only (EXAMINE)",
            ));
            return Ok(Flow::Continue);
        }
        let Ok(uids) = sel.resolve(&set, uid) else {
            conn.status(respond::bad(&tag, "Invalid message sequence number"));
            return Ok(Flow::Continue);
        };
        let Some(dest) = shared.db.find_mailbox(&loc.account, &loc.name).await? else {
            // RFC 9051 §6.4.7: [TRYCREATE] tells the client it may create the target.
            conn.status(respond::no(&tag, Some(Code::TryCreate), "No such mailbox"));
            return Ok(Flow::Continue);
        };
        if uids.is_empty() {
            return self
                .finish(
                    conn,
                    &tag,
                    uid || is_move,
                    None,
                    &format!("{command} completed"),
                )
                .await;
        }
        let set = store::UidSet::from_uids(&uids);
        let copied = if is_move {
            shared
                .db
                .move_messages(sel.mailbox_id, dest.id, &set, &viewer)
                .await?
        } else {
            shared
                .db
                .copy_messages(sel.mailbox_id, dest.id, &set, &viewer)
                .await?
        };
        let code = match (
            NonZeroU32::new(copied.uidvalidity),
            uidplus_set(copied.mapping.iter().map(|(s, _)| *s)),
            uidplus_set(copied.mapping.iter().map(|(_, d)| *d)),
        ) {
            (Some(uid_validity), Some(source), Some(destination)) => Some(Code::CopyUid {
                uid_validity,
                source,
                destination,
            }),
            _ => None,
        };
        self.force_sync = true;
        if !is_move {
            return self
                .finish(conn, &tag, uid, code, &format!("{command} completed"))
                .await;
        }
        // RFC 6851 §4.3: COPYUID goes in an untagged OK before the expunges.
        if let Some(code) = code {
            conn.status(respond::untagged_ok(Some(code), "Moved"));
        }
        let moved: Vec<u32> = copied.mapping.iter().map(|(s, _)| *s).collect();
        report_expunged(conn, sel, &moved, qresync, !rev2);
        self.finish(conn, &tag, true, None, &format!("{command} completed"))
            .await
    }
}
