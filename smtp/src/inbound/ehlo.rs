//! EHLO / HELO (RFC 5321 §4.1.1.1) and STARTTLS (RFC 3207).

use smtp_proto::*;

use crate::reply::Reply;
use crate::session::{Next, Session};

impl Session {
    pub(crate) fn handle_ehlo(&mut self, host: String, esmtp: bool) {
        if host.trim().is_empty() {
            self.reply(Reply::syntax("EHLO requires a domain or address literal"));
            return;
        }
        // A new EHLO resets the transaction (RFC 5321 §4.1.4).
        self.envelope = None;
        self.helo = Some(host);
        self.esmtp = esmtp;
        if !esmtp {
            let line = format!("250 {}\r\n", self.settings().hostname);
            self.reply_raw(line.as_bytes());
            return;
        }
        let mut ehlo = EhloResponse::new(self.settings().hostname.as_str());
        ehlo.capabilities = EXT_PIPELINING
            | EXT_SIZE
            | EXT_8BIT_MIME
            | EXT_SMTP_UTF8
            | EXT_ENHANCED_STATUS_CODES
            | EXT_DSN
            | EXT_CHUNKING;
        ehlo.size = self.settings().max_message_size;
        if self.tls.is_none() && self.shared.tls.is_some() {
            ehlo.capabilities |= EXT_START_TLS;
        }
        // AUTH is offered only under TLS and only where people log in (RFC 4954 §4, RFC 8314).
        if self.tls.is_some() && self.kind().is_submission() && self.principal.is_none() {
            ehlo.capabilities |= EXT_AUTH;
            ehlo.auth_mechanisms = AUTH_PLAIN | AUTH_LOGIN;
            if self.tls.as_ref().is_some_and(|t| t.peer.is_some()) {
                ehlo.auth_mechanisms |= AUTH_EXTERNAL;
            }
        }
        let mut buf = Vec::with_capacity(256);
        // Writing into a Vec cannot fail.
        let _ = ehlo.write(&mut buf);
        self.reply_raw(&buf);
    }

    pub(crate) fn handle_starttls(&mut self) -> Next {
        if self.tls.is_some() {
            self.reply(Reply::bad_sequence("TLS already active"));
            return Next::Continue;
        }
        if self.shared.tls.is_none() {
            self.reply(Reply::new(454, [4, 7, 0], "TLS not available"));
            return Next::Continue;
        }
        self.reply(Reply::new(220, [2, 0, 0], "Ready to start TLS"));
        Next::StartTls
    }
}
