//! STATUS (RFC 9051 §6.3.11) with HIGHESTMODSEQ (RFC 7162 §3.1.7), and the DELETED and SIZE
//! items of IMAP4rev2 (RFC 9051 §6.3.11, §7.4; SIZE is also STATUS=SIZE, RFC 8438). The items
//! are built by [`status_items`], which LIST-STATUS (RFC 5819, `list_extended.rs`) shares.

use std::borrow::Cow;
use std::num::NonZeroU32;

use imap_next::imap_types::core::Tag;
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::Data;
use imap_next::imap_types::status::{StatusDataItem, StatusDataItemName};

use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

/// What the store's status does not count: the messages with `\Deleted` (as the user sees them:
/// flags are per mailbox, `\Seen` per user) and the total size in octets.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub deleted: u32,
    pub size: u64,
}

/// Whether `names` ask for DELETED or SIZE, which read every message row.
pub(crate) fn needs_counts(names: &[StatusDataItemName]) -> bool {
    names
        .iter()
        .any(|n| matches!(n, StatusDataItemName::Deleted | StatusDataItemName::Size))
}

/// DELETED and SIZE of a mailbox (RFC 9051 §7.4: SIZE is the sum of the RFC822.SIZE of its
/// messages).
pub(crate) async fn counts(
    db: &store::Db,
    mailbox_id: i64,
    viewer: &str,
) -> Result<Counts, store::StoreError> {
    let rows = db
        .fetch_messages(mailbox_id, &store::UidSet::all(), viewer)
        .await?;
    let deleted = rows
        .iter()
        .filter(|m| m.flags.contains(&store::flags::Flag::Deleted))
        .count();
    Ok(Counts {
        deleted: u32::try_from(deleted).unwrap_or(u32::MAX),
        size: rows.iter().map(|m| m.size).sum(),
    })
}

/// The STATUS data items asked for, in the order asked. `counts` is `Some` when
/// [`needs_counts`]. DELETED-STORAGE (RFC 9208, QUOTA) is left out: not announced.
pub(crate) fn status_items(
    st: &store::MailboxStatus,
    counts: Option<Counts>,
    names: &[StatusDataItemName],
) -> Vec<StatusDataItem> {
    names
        .iter()
        .filter_map(|name| match name {
            StatusDataItemName::Messages => Some(StatusDataItem::Messages(st.exists)),
            StatusDataItemName::Recent => Some(StatusDataItem::Recent(st.recent)),
            StatusDataItemName::UidNext => NonZeroU32::new(st.uidnext).map(StatusDataItem::UidNext),
            StatusDataItemName::UidValidity => {
                NonZeroU32::new(st.uidvalidity).map(StatusDataItem::UidValidity)
            }
            StatusDataItemName::Unseen => Some(StatusDataItem::Unseen(st.unseen)),
            StatusDataItemName::HighestModSeq => {
                Some(StatusDataItem::HighestModSeq(st.highestmodseq))
            }
            StatusDataItemName::Deleted => counts.map(|c| StatusDataItem::Deleted(c.deleted)),
            StatusDataItemName::Size => counts.map(|c| StatusDataItem::Size(c.size)),
            _ => None,
        })
        .collect()
}

impl Session {
    pub(crate) async fn handle_status(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        mailbox: Mailbox<'static>,
        item_names: Cow<'static, [StatusDataItemName]>,
    ) -> Result<Flow, SessionError> {
        let Some(loc) = self.locate(conn, &tag, &mailbox) else {
            return Ok(Flow::Continue);
        };
        let Some(mb) = self.shared.db.find_mailbox(&loc.account, &loc.name).await? else {
            conn.status(respond::no(
                &tag,
                Some(respond::code("NONEXISTENT")),
                "No such mailbox",
            ));
            return Ok(Flow::Continue);
        };
        let st = self.shared.db.mailbox_status(mb.id, self.login()).await?;
        let counts = if needs_counts(&item_names) {
            Some(counts(&self.shared.db, mb.id, self.login()).await?)
        } else {
            None
        };
        conn.data(Data::Status {
            mailbox,
            items: Cow::Owned(status_items(&st, counts, &item_names)),
        });
        self.finish(conn, &tag, true, None, "STATUS completed")
            .await
    }
}
