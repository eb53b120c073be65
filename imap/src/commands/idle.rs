//! IDLE (RFC 2177): the session loop waits on the mailbox's hub channel as well as the client,
//! and pushes EXISTS / EXPUNGE / FETCH as soon as another session or a delivery commits.

use imap_next::imap_types::core::Tag;
use imap_next::imap_types::response::CommandContinuationRequest;

use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

impl Session {
    pub(crate) async fn handle_idle(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        if self.principal.is_none() {
            if conn
                .server
                .idle_reject(respond::bad(&tag, "IDLE needs a login first"))
                .is_ok()
            {
                conn.enqueued();
            }
            return Ok(Flow::Continue);
        }
        // Changes since the last command go out first, then the client hears of new ones live.
        self.sync_with(conn, true, true).await?;
        let ccr = CommandContinuationRequest::basic(None, "idling, send DONE to stop")
            .map_err(|_| SessionError::Internal("invalid IDLE continuation text".into()))?;
        if conn.server.idle_accept(ccr).is_ok() {
            conn.enqueued();
            self.idle = Some(tag);
        }
        Ok(Flow::Continue)
    }

    pub(crate) async fn handle_idle_done(&mut self, conn: &mut Conn) -> Result<Flow, SessionError> {
        let Some(tag) = self.idle.take() else {
            return Ok(Flow::Continue);
        };
        self.finish(conn, &tag, true, None, "IDLE terminated").await
    }
}
