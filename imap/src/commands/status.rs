//! STATUS (RFC 9051 §6.3.11) with HIGHESTMODSEQ (RFC 7162 §3.1.7). The items are built by
//! [`status_items`], which LIST-STATUS (RFC 5819, `list_extended.rs`) shares.

use std::borrow::Cow;
use std::num::NonZeroU32;

use imap_next::imap_types::core::Tag;
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::Data;
use imap_next::imap_types::status::{StatusDataItem, StatusDataItemName};

use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

/// The STATUS data items asked for, in the order asked. DELETED, DELETED-STORAGE and SIZE are
/// left out: they are not announced (no STATUS=SIZE capability, no IMAP4rev2 yet).
pub(crate) fn status_items(
    st: &store::MailboxStatus,
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
        conn.data(Data::Status {
            mailbox,
            items: Cow::Owned(status_items(&st, &item_names)),
        });
        self.finish(conn, &tag, true, None, "STATUS completed")
            .await
    }
}
