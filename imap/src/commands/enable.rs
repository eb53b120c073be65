//! ENABLE (RFC 5161) and NAMESPACE (RFC 2342).

use imap_next::imap_types::core::{IString, QuotedChar, Tag, Vec1};
use imap_next::imap_types::extensions::enable::CapabilityEnable;
use imap_next::imap_types::extensions::namespace::Namespace;
use imap_next::imap_types::response::Data;

use crate::names;
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

impl Session {
    /// Only CONDSTORE and QRESYNC can be enabled; QRESYNC implies CONDSTORE (RFC 7162 §3.2.3).
    /// Unknown names are ignored, as RFC 5161 §3.1 requires.
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
