//! MAIL FROM (RFC 5321 §4.1.1.2) with SIZE (RFC 1870), 8BITMIME, SMTPUTF8 (RFC 6531), DSN (RFC 3461).

use smtp_proto::{MAIL_RET_FULL, MAIL_RET_HDRS, MAIL_SMTPUTF8, MailFrom};
use tracing::info;

use crate::pipeline::{Envelope, SenderCheck};
use crate::reply::Reply;
use crate::session::{Session, too_big};
use crate::settings::ListenerKind;

impl Session {
    pub(crate) async fn handle_mail(&mut self, from: MailFrom<String>) {
        if self.helo.is_none() {
            self.reply(Reply::bad_sequence("Send EHLO first"));
            return;
        }
        if self.envelope.is_some() {
            self.reply(Reply::bad_sequence("Nested MAIL command"));
            return;
        }
        // The space of trust is TLS-only, on every port.
        let Some(tls) = self.tls.clone() else {
            self.reply(Reply::tls_required());
            return;
        };
        if from.size > self.settings().max_message_size {
            self.reply(too_big(self.settings().max_message_size));
            return;
        }
        let address = from.address.trim().to_lowercase();
        let check = match self.kind() {
            ListenerKind::Mta => {
                let Some(peer) = tls.peer.as_ref() else {
                    info!(peer = %self.peer, "MTA client without a certificate refused");
                    self.reply(Reply::new(
                        530,
                        [5, 7, 0],
                        "A client certificate from the health PKI is required",
                    ));
                    return;
                };
                SenderCheck::Operator(peer)
            }
            ListenerKind::Submission | ListenerKind::SubmissionTls => {
                if self.principal.is_none() {
                    self.implicit_certificate_login().await;
                }
                let Some(principal) = self.principal.as_ref() else {
                    self.reply(Reply::auth_required());
                    return;
                };
                SenderCheck::Principal(principal)
            }
        };
        if let Err(reply) = self.shared.pipeline.check_sender(&check, &address).await {
            info!(peer = %self.peer, from = %address, reason = %reply, "sender refused");
            self.reply(reply);
            return;
        }
        self.envelope = Some(Envelope {
            mail_from: address,
            recipients: Vec::new(),
            smtputf8: from.flags & MAIL_SMTPUTF8 != 0,
            dsn_ret_full: from.flags & MAIL_RET_FULL != 0 && from.flags & MAIL_RET_HDRS == 0,
            dsn_envid: from.env_id,
            authenticated: self.principal.clone(),
        });
        self.body.clear();
        self.reply(Reply::new(250, [2, 1, 0], "Sender OK"));
    }

    /// Many practice programs present their certificate and never say AUTH: a verified certificate
    /// naming a known mailbox authenticates the session, as SASL EXTERNAL would (RFC 4422 A).
    async fn implicit_certificate_login(&mut self) {
        let Some(identity) = self.tls.as_ref().and_then(|t| t.peer.clone()) else {
            return;
        };
        match self
            .shared
            .pipeline
            .principal_from_certificate(&identity, "")
            .await
        {
            Ok(Some(principal)) => {
                info!(peer = %self.peer, login = %principal.login, "authenticated by certificate");
                self.principal = Some(principal);
            }
            Ok(None) => {}
            Err(e) => info!(peer = %self.peer, error = %e, "certificate login lookup failed"),
        }
    }
}
