//! RCPT TO (RFC 5321 §4.1.1.3): each recipient goes through the directory policy on its own; a
//! refusal is per recipient and the others still go through (DESIGN §3 step 3).

use smtp_proto::{
    RCPT_NOTIFY_DELAY, RCPT_NOTIFY_FAILURE, RCPT_NOTIFY_NEVER, RCPT_NOTIFY_SUCCESS, RcptTo,
};
use tracing::info;

use crate::pipeline::{Notify, Recipient};
use crate::reply::Reply;
use crate::session::Session;

impl Session {
    pub(crate) async fn handle_rcpt(&mut self, to: RcptTo<String>) {
        let Some(envelope) = self.envelope.as_ref() else {
            self.reply(Reply::bad_sequence("Need MAIL before RCPT"));
            return;
        };
        if envelope.recipients.len() >= self.settings().max_recipients {
            self.reply(Reply::new(452, [4, 5, 3], "Too many recipients"));
            return;
        }
        let address = to.address.trim().to_lowercase();
        if envelope.recipients.iter().any(|r| r.address == address) {
            self.reply(Reply::new(250, [2, 1, 5], "Recipient OK (duplicate)"));
            return;
        }
        let from = envelope.mail_from.clone();
        let inbound_mta = !self.kind().is_submission();
        match self
            .shared
            .pipeline
            .check_recipient(&from, &address, inbound_mta)
            .await
        {
            Ok(route) => {
                let notify = Notify {
                    success: to.flags & RCPT_NOTIFY_SUCCESS != 0,
                    failure: to.flags & RCPT_NOTIFY_NEVER == 0
                        && (to.flags & RCPT_NOTIFY_FAILURE != 0
                            || to.flags & (RCPT_NOTIFY_SUCCESS | RCPT_NOTIFY_DELAY) == 0),
                    delay: to.flags & RCPT_NOTIFY_DELAY != 0,
                };
                if let Some(envelope) = self.envelope.as_mut() {
                    envelope.recipients.push(Recipient {
                        address,
                        route,
                        orcpt: to.orcpt,
                        notify,
                    });
                }
                self.reply(Reply::new(250, [2, 1, 5], "Recipient OK"));
            }
            Err(reply) => {
                info!(peer = %self.peer, from = %from, to = %address, reason = %reply, "recipient refused");
                self.reply(reply);
            }
        }
    }
}
