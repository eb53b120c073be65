//! APPEND (RFC 9051 §6.3.12) with APPENDUID (RFC 4315 §3) and APPENDLIMIT (RFC 7889). The blob
//! is written and fsynced, then the row committed, and only then `OK` (DESIGN §5).

use std::num::NonZeroU32;

use imap_next::imap_types::core::Tag;
use imap_next::imap_types::datetime::DateTime;
use imap_next::imap_types::extensions::binary::LiteralOrLiteral8;
use imap_next::imap_types::flag::Flag;
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::Code;

use super::store::to_store_flags;
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

impl Session {
    pub(crate) async fn handle_append(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        mailbox: Mailbox<'static>,
        flags: Vec<Flag<'static>>,
        date: Option<DateTime>,
        message: LiteralOrLiteral8<'static>,
    ) -> Result<Flow, SessionError> {
        let Some(loc) = self.locate(conn, &tag, &mailbox) else {
            return Ok(Flow::Continue);
        };
        let data = match message {
            LiteralOrLiteral8::Literal(l) => l.into_inner(),
            LiteralOrLiteral8::Literal8(l) => l.data,
        };
        let size = data.len();
        if size > self.shared.settings.append_limit as usize {
            conn.status(respond::no(
                &tag,
                Some(Code::TooBig),
                "Message larger than APPENDLIMIT",
            ));
            return Ok(Flow::Continue);
        }
        let flags = match to_store_flags(&flags) {
            Ok(f) => f,
            Err(why) => {
                conn.status(respond::bad(&tag, why));
                return Ok(Flow::Continue);
            }
        };
        let db = self.shared.db.clone();
        let Some(dest) = db.find_mailbox(&loc.account, &loc.name).await? else {
            conn.status(respond::no(&tag, Some(Code::TryCreate), "No such mailbox"));
            return Ok(Flow::Continue);
        };
        let internal_date = date
            .map(|d| d.as_ref().timestamp())
            .unwrap_or_else(store::db::now_unix);
        let blob = self.shared.blobs.put(data.into_owned()).await?;
        let appended = db
            .append(
                dest.id,
                &blob,
                size as u64,
                &flags,
                internal_date,
                self.login(),
            )
            .await?;
        let code = match (
            NonZeroU32::new(appended.uidvalidity),
            NonZeroU32::new(appended.uid),
        ) {
            (Some(uid_validity), Some(uid)) => Some(Code::AppendUid { uid_validity, uid }),
            _ => None,
        };
        self.force_sync = true;
        self.finish(conn, &tag, true, code, "APPEND completed")
            .await
    }
}
