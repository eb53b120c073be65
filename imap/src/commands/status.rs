//! STATUS (RFC 9051 §6.3.11) with HIGHESTMODSEQ (RFC 7162 §3.1.7).

use std::borrow::Cow;
use std::num::NonZeroU32;

use imap_next::imap_types::core::Tag;
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::Data;
use imap_next::imap_types::status::{StatusDataItem, StatusDataItemName};

use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

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
        let mut items = Vec::new();
        for name in item_names.iter() {
            let item = match name {
                StatusDataItemName::Messages => Some(StatusDataItem::Messages(st.exists)),
                StatusDataItemName::Recent => Some(StatusDataItem::Recent(st.recent)),
                StatusDataItemName::UidNext => {
                    NonZeroU32::new(st.uidnext).map(StatusDataItem::UidNext)
                }
                StatusDataItemName::UidValidity => {
                    NonZeroU32::new(st.uidvalidity).map(StatusDataItem::UidValidity)
                }
                StatusDataItemName::Unseen => Some(StatusDataItem::Unseen(st.unseen)),
                StatusDataItemName::HighestModSeq => {
                    Some(StatusDataItem::HighestModSeq(st.highestmodseq))
                }
                // DELETED and SIZE are not announced (no STATUS=SIZE capability).
                _ => None,
            };
            items.extend(item);
        }
        conn.data(Data::Status {
            mailbox,
            items: Cow::Owned(items),
        });
        self.finish(conn, &tag, true, None, "STATUS completed")
            .await
    }
}
