//! ENABLE (RFC 5161) and NAMESPACE (RFC 2342).

use imap_next::imap_types::core::{IString, QuotedChar, Tag, Vec1};
use imap_next::imap_types::extensions::enable::CapabilityEnable;
use imap_next::imap_types::extensions::namespace::Namespace;
use imap_next::imap_types::response::Data;

use crate::names;
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

impl Session {
    /// CONDSTORE, QRESYNC (which implies CONDSTORE, RFC 7162 §3.2.3) and IMAP4rev2 (RFC 9051
    /// §6.3.1: from then on the session speaks IMAP4rev2, see `Session::rev2`) can be enabled.
    /// Unknown names are ignored, and one already enabled is not listed again, as RFC 5161 §3.1
    /// requires.
    pub(crate) fn handle_enable(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        capabilities: Vec1<CapabilityEnable<'static>>,
    ) -> Result<Flow, SessionError> {
        let mut enabled = Vec::new();
        for cap in capabilities.into_inner() {
            match &cap {
                CapabilityEnable::CondStore if !self.condstore => {
                    self.condstore = true;
                    enabled.push(cap);
                }
                CapabilityEnable::Other(_)
                    if !self.qresync && cap.to_string().eq_ignore_ascii_case("QRESYNC") =>
                {
                    self.qresync = true;
                    self.condstore = true;
                    enabled.push(cap);
                }
                CapabilityEnable::Other(_)
                    if !self.rev2 && cap.to_string().eq_ignore_ascii_case("IMAP4rev2") =>
                {
                    self.rev2 = true;
                    // RFC 5161 §3.1 wants ENABLE before SELECT; if a client is late, its
                    // mailbox still loses \Recent, which IMAP4rev2 does not have.
                    if let Some(sel) = self.selected.as_mut() {
                        sel.recent = Default::default();
                    }
                    enabled.push(cap);
                }
                _ => {}
            }
        }
        conn.data(Data::Enabled {
            capabilities: enabled,
        });
        conn.status(respond::ok(&tag, None, "ENABLE completed"));
        Ok(Flow::Continue)
    }

    pub(crate) fn handle_namespace(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
    ) -> Result<Flow, SessionError> {
        let delim = QuotedChar::try_from(names::DELIMITER).ok();
        let personal = IString::try_from("")
            .ok()
            .map(|p| Namespace::new(p, delim))
            .into_iter()
            .collect();
        let shared = if self.orgs.is_empty() {
            Vec::new()
        } else {
            IString::try_from(format!("{}{}", names::SHARED, names::DELIMITER))
                .ok()
                .map(|p| Namespace::new(p, delim))
                .into_iter()
                .collect()
        };
        conn.data(Data::Namespace {
            personal,
            other: Vec::new(),
            shared,
        });
        conn.status(respond::ok(&tag, None, "NAMESPACE completed"));
        Ok(Flow::Continue)
    }
}
