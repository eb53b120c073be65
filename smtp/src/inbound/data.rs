//! DATA (RFC 5321 §4.1.1.4) and BDAT (RFC 3030 CHUNKING). The `250` is sent only after the
//! pipeline has fsynced the blob and committed the rows (DESIGN §5).

use tracing::{info, warn};

use crate::pipeline::Received;
use crate::reply::Reply;
use crate::session::{Session, too_big};

impl Session {
    pub(crate) fn handle_data(&mut self) {
        match self.envelope.as_ref() {
            None => self.reply(Reply::bad_sequence("Need MAIL before DATA")),
            Some(e) if e.recipients.is_empty() => {
                self.reply(Reply::new(554, [5, 5, 1], "No valid recipients"))
            }
            Some(_) => {
                self.reply(Reply::new(
                    354,
                    [2, 0, 0],
                    "Start mail input; end with <CRLF>.<CRLF>",
                ));
                self.start_data();
            }
        }
    }

    pub(crate) fn handle_bdat(&mut self, chunk_size: usize, is_last: bool) {
        let refusal = match self.envelope.as_ref() {
            None => Some(Reply::bad_sequence("Need MAIL before BDAT")),
            Some(e) if e.recipients.is_empty() => {
                Some(Reply::new(554, [5, 5, 1], "No valid recipients"))
            }
            Some(_) if self.body.len() + chunk_size > self.settings().max_message_size => {
                Some(too_big(self.settings().max_message_size))
            }
            Some(_) => None,
        };
        match refusal {
            // The chunk is on the wire whatever we think of it: read it, then answer (RFC 3030 §4.2).
            Some(reply) => {
                self.body.clear();
                self.discard_bdat(chunk_size, reply);
            }
            None => self.start_bdat(chunk_size, is_last),
        }
    }

    pub(crate) async fn handle_bdat_chunk_end(&mut self, last: bool) {
        if last {
            self.handle_message_end().await;
        } else {
            let n = self.body.len();
            self.reply(Reply::new(250, [2, 0, 0], format!("{n} octets received")));
        }
    }

    /// The whole body is in: hand it to the delivery pipeline, answer with its verdict.
    pub(crate) async fn handle_message_end(&mut self) {
        let body = std::mem::take(&mut self.body);
        let Some(envelope) = self.envelope.take() else {
            self.reply(Reply::bad_sequence("No transaction"));
            return;
        };
        let received = Received {
            helo: self.helo.clone().unwrap_or_default(),
            peer: self.peer,
            tls: self.tls.clone(),
            authenticated: self.principal.is_some(),
            listener: self.kind(),
        };
        match self
            .shared
            .pipeline
            .deliver(&envelope, &received, body)
            .await
        {
            Ok(id) => {
                info!(peer = %self.peer, from = %envelope.mail_from, rcpts = envelope.recipients.len(), id = %id, "accepted");
                self.reply(Reply::new(
                    250,
                    [2, 0, 0],
                    format!("Message accepted, id {id}"),
                ));
            }
            Err(reply) => {
                warn!(peer = %self.peer, from = %envelope.mail_from, reason = %reply, "message refused");
                self.reply(reply);
            }
        }
    }
}
