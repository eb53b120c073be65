//! The one delivery path (DESIGN §3 "Data flow of one message"). SMTP calls it today; the webmail
//! and the DMP bridge will call the same functions, so the policy, the durability rule and the
//! conversation permits are enforced in one place.

use std::net::SocketAddr;

use certs::identity::PeerIdentity;
use directory::policy::Decision;
use store::deliver::{DeliveryBatcher, DeliveryRequest};
use store::{BlobStore, Db};
use tracing::{info, warn};

use crate::reply::Reply;

mod headers;
mod operator;
pub mod summary;

use crate::session::TlsInfo;
use crate::settings::ListenerKind;
use headers::{HeaderFacts, inspect_headers, received_header};
pub use operator::operator_certificate_matches;

/// The domains this server hosts: mail for them is delivered here.
#[derive(Debug, Clone)]
pub struct LocalDomains {
    pub citizen: String,
    pub professional: Vec<String>,
}

impl LocalDomains {
    pub fn all(&self) -> Vec<String> {
        let mut v = vec![self.citizen.clone()];
        v.extend(self.professional.iter().cloned());
        v
    }

    pub fn is_local(&self, domain: &str) -> bool {
        domain.eq_ignore_ascii_case(&self.citizen)
            || self
                .professional
                .iter()
                .any(|d| d.eq_ignore_ascii_case(domain))
    }
}

pub use directory::Principal;

/// Who is sending, for the MAIL FROM check.
pub enum SenderCheck<'a> {
    Principal(&'a Principal),
    /// Another operator on port 25, known by its verified certificate.
    Operator(&'a PeerIdentity),
}

/// Where an accepted recipient goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Local,
    Remote,
}

/// DSN NOTIFY (RFC 3461 §4.1).
#[derive(Debug, Clone, Copy)]
pub struct Notify {
    pub success: bool,
    pub failure: bool,
    pub delay: bool,
}

impl Default for Notify {
    /// No NOTIFY parameter: report failures (RFC 3461 §4.1).
    fn default() -> Self {
        Notify {
            success: false,
            failure: true,
            delay: false,
        }
    }
}

impl Notify {
    /// The queue's form (`store::queue::notify`).
    pub fn bits(self) -> u8 {
        use store::queue::notify::{DELAY, FAILURE, SUCCESS};
        (if self.success { SUCCESS } else { 0 })
            | (if self.failure { FAILURE } else { 0 })
            | (if self.delay { DELAY } else { 0 })
    }
}

#[derive(Debug, Clone)]
pub struct Recipient {
    pub address: String,
    pub route: Route,
    pub orcpt: Option<String>,
    pub notify: Notify,
}

/// One mail transaction.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub mail_from: String,
    pub recipients: Vec<Recipient>,
    pub smtputf8: bool,
    pub dsn_ret_full: bool,
    pub dsn_envid: Option<String>,
    pub authenticated: Option<Principal>,
}

/// What the `Received:` header says about the hop (RFC 5321 §4.4).
#[derive(Debug, Clone)]
pub struct Received {
    pub helo: String,
    pub peer: SocketAddr,
    pub tls: Option<TlsInfo>,
    pub authenticated: bool,
    pub listener: ListenerKind,
}

/// The delivery pipeline and what it needs.
pub struct Pipeline {
    pub db: Db,
    pub blobs: BlobStore,
    /// Group commit of local deliveries: concurrent messages share one transaction and fsync.
    pub batcher: DeliveryBatcher,
    pub domains: LocalDomains,
    pub hostname: String,
    /// How long remote deliveries are retried before the DSN (RFC 5321 §4.5.4.1: 4-5 days).
    pub queue_lifetime: std::time::Duration,
}

/// A backend failure: the client is told to retry (4xx), the log says why.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Directory(#[from] directory::DirectoryError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// The domain part of an address (empty for the null sender).
pub(crate) fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
}

impl Pipeline {
    /// AUTH PLAIN/LOGIN: an Argon2 password of a PER/ORG/APP mailbox.
    pub async fn authenticate_password(
        &self,
        user: &str,
        password: &str,
    ) -> Result<Option<Principal>, PipelineError> {
        let domains = self.domains.all();
        Ok(directory::principal::authenticate_password(&self.db, user, password, &domains).await?)
    }

    /// AUTH EXTERNAL: the mailbox named in the verified certificate (its e-mail SAN). An
    /// authorization identity, when given, must be one of the certificate's addresses.
    pub async fn principal_from_certificate(
        &self,
        identity: &PeerIdentity,
        authz: &str,
    ) -> Result<Option<Principal>, PipelineError> {
        match directory::principal::login_from_certificate(&identity.emails, authz) {
            Some(login) => {
                let domains = self.domains.all();
                Ok(directory::principal::principal_for(&self.db, &login, &domains).await?)
            }
            None => Ok(None),
        }
    }

    /// MAIL FROM: no sending as someone else (DESIGN §3 step 2).
    pub async fn check_sender(&self, who: &SenderCheck<'_>, from: &str) -> Result<(), Reply> {
        match who {
            SenderCheck::Principal(p) => {
                if from.is_empty() {
                    return Err(Reply::new(
                        550,
                        [5, 7, 1],
                        "A null sender is not allowed here",
                    ));
                }
                if p.may_send_as.iter().any(|a| a == from) {
                    Ok(())
                } else {
                    Err(Reply::new(
                        550,
                        [5, 7, 1],
                        format!("{} may not send as {from}", p.login),
                    ))
                }
            }
            SenderCheck::Operator(peer) => self.check_operator(peer, from).await,
        }
    }

    /// Port 25: the sending domain is whitelisted, not one of ours, and the peer certificate's DNS
    /// name or subject DN matches its whitelist entry (DESIGN §4, last row).
    async fn check_operator(&self, peer: &PeerIdentity, from: &str) -> Result<(), Reply> {
        let domain = if from.is_empty() {
            // Bounces: the certificate must still be a whitelisted operator's.
            match peer.dns_names.first() {
                Some(d) => d.as_str(),
                None => return Err(Reply::new(550, [5, 7, 1], "Unknown operator")),
            }
        } else {
            domain_of(from)
        };
        if !from.is_empty() && self.domains.is_local(domain) {
            return Err(Reply::new(
                550,
                [5, 7, 1],
                "That domain is hosted here; use submission",
            ));
        }
        let entry = directory::lookup::whitelist_entry(&self.db, domain)
            .await
            .map_err(|e| {
                warn!(error = %e, "whitelist lookup failed");
                Reply::temp_failure("Directory unavailable, try again later")
            })?;
        let Some(operator_dn) = entry else {
            return Err(Reply::new(
                550,
                [5, 7, 1],
                format!("Domain {domain} is not on the MSSante whitelist"),
            ));
        };
        if operator_certificate_matches(domain, operator_dn.as_deref(), peer) {
            Ok(())
        } else {
            info!(domain, dn = %peer.subject_dn, "operator certificate does not match the whitelist");
            Err(Reply::new(
                550,
                [5, 7, 1],
                format!("Your certificate does not match the whitelist entry of {domain}"),
            ))
        }
    }

    /// RCPT TO: the policy decides; mail from port 25 must be for us (no open relay).
    pub async fn check_recipient(
        &self,
        from: &str,
        to: &str,
        inbound_mta: bool,
    ) -> Result<Route, Reply> {
        let local = self.domains.is_local(domain_of(to));
        if inbound_mta && !local {
            return Err(Reply::new(550, [5, 7, 1], "Relaying denied"));
        }
        let decision = directory::check(&self.db, from, to, &self.domains.all())
            .await
            .map_err(|e| {
                warn!(error = %e, "policy check failed");
                Reply::temp_failure("Directory unavailable, try again later")
            })?;
        match decision {
            Decision::Allow(_) => Ok(if local { Route::Local } else { Route::Remote }),
            Decision::Deny(denial) => Err(denial_reply(&denial)),
        }
    }

    /// The body is complete: check headers, write the blob durably, commit, then say `250`.
    pub async fn deliver(
        &self,
        env: &Envelope,
        hop: &Received,
        body: Vec<u8>,
    ) -> Result<String, Reply> {
        let facts = inspect_headers(&body)?;
        if let Some(p) = &env.authenticated {
            for addr in facts.from.iter().chain(facts.sender.iter()) {
                if !p.may_send_as.iter().any(|a| a == addr) {
                    return Err(Reply::new(
                        550,
                        [5, 7, 1],
                        format!("Header From/Sender {addr} is not an address of {}", p.login),
                    ));
                }
            }
        }
        let mut message = received_header(&self.hostname, env, hop).into_bytes();
        message.extend_from_slice(&body);
        drop(body);
        let result = self.commit(env, &facts, &message).await;
        result.map_err(|e| {
            warn!(error = %e, "delivery failed before commit");
            Reply::temp_failure("Temporary storage failure, try again later")
        })
    }

    async fn commit(
        &self,
        env: &Envelope,
        facts: &HeaderFacts,
        message: &[u8],
    ) -> Result<String, PipelineError> {
        let blob = self.blobs.put(message.to_vec()).await?;
        let local: Vec<&str> = env
            .recipients
            .iter()
            .filter(|r| r.route == Route::Local)
            .map(|r| r.address.as_str())
            .collect();
        // A professional's message to a citizen opens (or, with X-MSS-MES: FIN, ends) the
        // conversation permit (DESIGN §3 step 5). Recorded before the delivery commits, so a
        // citizen never sees a message they could not answer.
        if !env.mail_from.is_empty() {
            for to in local
                .iter()
                .filter(|a| domain_of(a).eq_ignore_ascii_case(&self.domains.citizen))
            {
                if facts.end_of_conversation {
                    directory::permits::end_permit(&self.db, to, &env.mail_from).await?;
                } else {
                    directory::permits::record_permit(
                        &self.db,
                        to,
                        &env.mail_from,
                        facts.message_id.as_deref(),
                    )
                    .await?;
                }
            }
        }
        let size = message.len() as u64;
        if !local.is_empty() {
            self.batcher
                .submit(
                    // The list-row summary commits with the message rows (webmail inbox pages).
                    DeliveryRequest::new(&blob, size, &local)
                        .with_summary(summary::summarize(message)),
                )
                .await?;
        }
        let remote: Vec<store::QueuedRecipient> = env
            .recipients
            .iter()
            .filter(|r| r.route == Route::Remote)
            .map(|r| store::QueuedRecipient {
                address: &r.address,
                dsn_notify: r.notify.bits(),
                orcpt: r.orcpt.as_deref(),
            })
            .collect();
        let id = facts
            .message_id
            .clone()
            .unwrap_or_else(|| format!("<{}@{}>", &blob.as_str()[..16], self.hostname));
        if !remote.is_empty() {
            self.db
                .enqueue_with_dsn(
                    &id,
                    &env.mail_from,
                    &remote,
                    &blob,
                    size,
                    Some(self.queue_lifetime),
                )
                .await?;
        }
        Ok(blob.as_str()[..16].to_string())
    }
}

fn denial_reply(denial: &directory::policy::Denial) -> Reply {
    let esc: Vec<u8> = denial
        .enhanced()
        .split('.')
        .filter_map(|p| p.parse().ok())
        .collect();
    let esc = match esc.as_slice() {
        [a, b, c] => [*a, *b, *c],
        _ => [5, 7, 1],
    };
    Reply::new(denial.code(), esc, denial.log_reason())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_bits() {
        let n = |success, failure, delay| Notify {
            success,
            failure,
            delay,
        };
        assert_eq!(Notify::default().bits(), store::queue::notify::DEFAULT);
        assert_eq!(n(false, false, false).bits(), 0, "NEVER");
        assert_eq!(n(true, true, true).bits(), 7);
        assert_eq!(n(true, false, false).bits(), 1);
    }
}
