//! EXPUNGE and UID EXPUNGE (RFC 9051 §6.4.3, RFC 4315 §2.1).

use imap_next::imap_types::core::Tag;
use imap_next::imap_types::sequence::SequenceSet;

use crate::respond;
use crate::selected::report_expunged;
use crate::session::{Conn, Flow, Session, SessionError};

impl Session {
    pub(crate) async fn handle_expunge(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        uids: Option<SequenceSet>,
    ) -> Result<Flow, SessionError> {
        let (qresync, rev2, shared) = (self.qresync, self.rev2, self.shared.clone());
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
        let restrict = match &uids {
            Some(set) => match sel.resolve(set, true) {
                Ok(u) => Some(store::UidSet::from_uids(&u)),
                Err(_) => None,
            },
            None => None,
        };
        if uids.is_some() && restrict.as_ref().is_none_or(|s| s.is_empty()) {
            return self
                .finish(conn, &tag, true, None, "EXPUNGE completed")
                .await;
        }
        let res = shared.db.expunge(sel.mailbox_id, restrict.as_ref()).await?;
        // Our own expunge needs no report back from the store: skip past its MODSEQ when it
        // directly follows what this session has seen. When nothing was expunged the store
        // answers the mailbox's current MODSEQ, which may be another session's change: that
        // one must still be reported by the next sync (it was lost before).
        if !res.uids.is_empty() && res.highestmodseq == sel.modseq + 1 {
            sel.modseq = res.highestmodseq;
        }
        // Other sessions' expunges and ours in one report, so that one `* n RECENT` follows.
        let mut gone = std::mem::take(&mut sel.pending_expunge);
        let ours: Vec<u32> = res
            .uids
            .iter()
            .copied()
            .filter(|u| !gone.contains(u))
            .collect();
        gone.extend(ours);
        report_expunged(conn, sel, &gone, qresync, !rev2);
        self.finish(conn, &tag, true, None, "EXPUNGE completed")
            .await
    }
}
