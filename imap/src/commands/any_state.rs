//! CAPABILITY, NOOP/CHECK, LOGOUT, ID (RFC 9051 §6.1, §6.4.1; RFC 2971).

use imap_next::imap_types::core::{IString, NString, Tag};
use imap_next::imap_types::response::Data;

use crate::capabilities;
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

/// Our ID response (RFC 2971 §3.3): name and version only, nothing about the host.
pub(crate) fn id_data() -> Data<'static> {
    let pair = |k: &'static str, v: &'static str| {
        IString::try_from(k)
            .ok()
            .map(|k| (k, NString(IString::try_from(v).ok())))
    };
    let params: Vec<_> = [
        pair("name", "santemail"),
        pair("version", env!("CARGO_PKG_VERSION")),
    ]
    .into_iter()
    .flatten()
    .collect();
    Data::Id {
        parameters: Some(params),
    }
}

impl Session {
    pub(crate) fn handle_capability(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        let caps =
            capabilities::over_tls(self.principal.is_some(), self.shared.settings.append_limit);
        conn.data(Data::Capability(caps));
        conn.status(respond::ok(&tag, None, "CAPABILITY completed"));
        Ok(Flow::Continue)
    }

    /// NOOP (and CHECK, which has nothing to flush here: every change is durable when
    /// acknowledged) reports what other sessions changed (RFC 9051 §6.1.2).
    pub(crate) async fn handle_noop(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        self.sync_with(conn, true, true).await?;
        conn.status(respond::ok(&tag, None, "NOOP completed"));
        Ok(Flow::Continue)
    }

    pub(crate) fn handle_logout(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        conn.status(respond::bye("santemail logging out"));
        conn.status(respond::ok(&tag, None, "LOGOUT completed"));
        Ok(Flow::Close)
    }

    pub(crate) fn handle_id(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        conn.data(id_data());
        conn.status(respond::ok(&tag, None, "ID completed"));
        Ok(Flow::Continue)
    }
}
