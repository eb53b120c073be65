//! Queue workers: claim rows (several nodes share the queue: `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL), deliver with our certificate, retry with backoff, bounce with a DSN on permanent
//! failure or expiry.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use store::queue::QueueItem;
use tracing::{info, warn};

use super::client::{self, ClientError, ClientSettings};
use super::dsn::{self, FailedRecipient};
use super::routes::Routes;
use crate::pipeline::{Envelope, Notify, Pipeline, Received, Recipient, Route, domain_of};
use crate::settings::ListenerKind;

#[derive(Clone)]
pub struct WorkerSettings {
    pub node_id: String,
    pub batch: u32,
    /// How long a claim holds before another node may take the row over.
    pub lease: Duration,
    /// Seconds to wait after the 1st, 2nd… failed attempt; the last value repeats.
    pub retry_schedule: Vec<u64>,
    /// Idle poll interval (a new queue row also wakes the worker).
    pub poll: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            node_id: format!("node-{}", std::process::id()),
            batch: 32,
            lease: Duration::from_secs(300),
            retry_schedule: vec![60, 300, 900, 1800, 3600, 7200, 14400],
            poll: Duration::from_secs(1),
        }
    }
}

pub struct Worker {
    pub pipeline: Arc<Pipeline>,
    pub routes: Routes,
    pub client: ClientSettings,
    pub settings: WorkerSettings,
}

/// Seconds before the next attempt after `attempts` failures.
pub fn backoff(schedule: &[u64], attempts: u32) -> u64 {
    let i = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    schedule.get(i).or(schedule.last()).copied().unwrap_or(300)
}

impl Worker {
    /// Runs until the task is dropped.
    pub async fn run(self) {
        let mut wake = self.pipeline.db.subscribe().await.ok();
        loop {
            let claimed = self
                .pipeline
                .db
                .claim(
                    &self.settings.node_id,
                    self.settings.batch,
                    self.settings.lease,
                )
                .await;
            match claimed {
                Ok(items) if !items.is_empty() => {
                    self.deliver_batch(items).await;
                    continue;
                }
                Ok(_) => {}
                Err(e) => warn!(error = %e, "queue claim failed"),
            }
            match wake.as_mut() {
                Some(rx) => {
                    let _ = tokio::time::timeout(self.settings.poll, rx.recv()).await;
                }
                None => tokio::time::sleep(self.settings.poll).await,
            }
        }
    }

    async fn deliver_batch(&self, items: Vec<QueueItem>) {
        // One SMTP transaction per (message, sender, domain).
        let mut groups: BTreeMap<(String, String, String), Vec<QueueItem>> = BTreeMap::new();
        for item in items {
            let key = (
                item.blob.as_str().to_string(),
                item.sender.clone(),
                domain_of(&item.recipient).to_ascii_lowercase(),
            );
            groups.entry(key).or_default().push(item);
        }
        for ((blob, sender, domain), items) in groups {
            self.deliver_group(&blob, &sender, &domain, items).await;
        }
    }

    async fn deliver_group(&self, blob: &str, sender: &str, domain: &str, items: Vec<QueueItem>) {
        let blob_id = match store::BlobId::parse(blob) {
            Ok(b) => b,
            Err(e) => {
                warn!(blob, error = %e, "queued blob id invalid");
                return;
            }
        };
        let message = match self.pipeline.blobs.get(&blob_id).await {
            Ok(m) => m,
            Err(e) => {
                warn!(blob, error = %e, "queued blob unreadable");
                for item in &items {
                    self.retry(item, &format!("blob unreadable: {e}")).await;
                }
                return;
            }
        };
        let rcpts: Vec<String> = items.iter().map(|i| i.recipient.clone()).collect();
        let outcome = self.try_hops(domain, sender, &rcpts, &message).await;
        let mut bounced = Vec::new();
        match outcome {
            Ok((mx, results)) => {
                for (item, result) in items.iter().zip(results) {
                    match result {
                        Ok(()) => {
                            info!(to = %item.recipient, mx = %mx, "delivered");
                            if let Err(e) = self
                                .pipeline
                                .db
                                .mark_delivered(item.id, &self.settings.node_id)
                                .await
                            {
                                warn!(error = %e, "mark_delivered failed");
                            }
                        }
                        Err(reply) if reply.is_permanent() => {
                            bounced.push((
                                item,
                                reply.to_string(),
                                status_of(&reply.text),
                                Some(mx.clone()),
                            ));
                        }
                        Err(reply) => {
                            self.retry_or_expire(item, &reply.to_string(), &mut bounced)
                                .await
                        }
                    }
                }
            }
            Err(e) if e.is_permanent() => {
                for item in &items {
                    bounced.push((item, e.to_string(), "5.0.0".into(), None));
                }
            }
            Err(e) => {
                for item in &items {
                    self.retry_or_expire(item, &e.to_string(), &mut bounced)
                        .await;
                }
            }
        }
        if !bounced.is_empty() {
            self.bounce(sender, &message, &bounced).await;
        }
    }

    async fn try_hops(
        &self,
        domain: &str,
        sender: &str,
        rcpts: &[String],
        message: &[u8],
    ) -> Result<(String, Vec<client::RcptOutcome>), ClientError> {
        let hops = self
            .routes
            .hops(domain)
            .await
            .map_err(|e| ClientError::Io(std::io::Error::other(e.to_string())))?;
        let mut last = ClientError::Io(std::io::Error::other(format!("no MX for {domain}")));
        for hop in hops {
            match client::deliver(
                &self.client,
                &hop.host,
                hop.port,
                &hop.tls_name,
                sender,
                rcpts,
                message,
            )
            .await
            {
                Ok(r) => return Ok((hop.tls_name, r)),
                Err(e) if e.is_permanent() => return Err(e),
                Err(e) => {
                    info!(host = %hop.host, port = hop.port, error = %e, "hop failed");
                    last = e;
                }
            }
        }
        Err(last)
    }

    async fn retry_or_expire<'a>(
        &self,
        item: &'a QueueItem,
        error: &str,
        bounced: &mut Vec<(&'a QueueItem, String, String, Option<String>)>,
    ) {
        if store::db::now_unix() >= item.expires_at {
            bounced.push((
                item,
                format!(
                    "expired after {} attempts; last error: {error}",
                    item.attempts
                ),
                "4.4.7".into(),
                None,
            ));
        } else {
            self.retry(item, error).await;
        }
    }

    async fn retry(&self, item: &QueueItem, error: &str) {
        let wait = backoff(&self.settings.retry_schedule, item.attempts);
        let next = store::db::now_unix() + wait as i64;
        info!(to = %item.recipient, attempts = item.attempts, wait, error, "will retry");
        if let Err(e) = self
            .pipeline
            .db
            .mark_retry(item.id, &self.settings.node_id, next, error)
            .await
        {
            warn!(error = %e, "mark_retry failed");
        }
    }

    /// Marks the rows failed and sends one DSN to the sender (never for a null sender: no bounce
    /// loops, RFC 5321 §6.1).
    async fn bounce(
        &self,
        sender: &str,
        message: &[u8],
        failed: &[(&QueueItem, String, String, Option<String>)],
    ) {
        for (item, why, _, _) in failed {
            warn!(to = %item.recipient, reason = %why, "delivery failed for good");
            if let Err(e) = self
                .pipeline
                .db
                .mark_failed(item.id, &self.settings.node_id, why)
                .await
            {
                warn!(error = %e, "mark_failed failed");
            }
        }
        // No bounce for a null sender (no loops, RFC 5321 §6.1), nor for NOTIFY=NEVER or a
        // NOTIFY without FAILURE (RFC 3461 §4.1).
        let failed: Vec<_> = failed
            .iter()
            .filter(|(item, ..)| item.dsn_notify & store::queue::notify::FAILURE != 0)
            .collect();
        if sender.is_empty() || failed.is_empty() {
            return;
        }
        let list: Vec<FailedRecipient> = failed
            .iter()
            .map(|(item, why, status, mta)| FailedRecipient {
                address: item.recipient.clone(),
                original: item.orcpt.clone(),
                diagnostic: why.clone(),
                status: status.clone(),
                remote_mta: mta.clone(),
            })
            .collect();
        let arrival = failed.first().map(|f| f.0.created_at).unwrap_or(0);
        let hostname = &self.pipeline.hostname;
        let postmaster = format!("postmaster@{}", hostname.trim_start_matches("mx."));
        let report = dsn::build(
            hostname,
            &postmaster,
            sender,
            &list,
            dsn::header_block(message),
            arrival,
        );
        let local = self.pipeline.domains.is_local(domain_of(sender));
        let env = Envelope {
            mail_from: String::new(),
            recipients: vec![Recipient {
                address: sender.to_string(),
                route: if local { Route::Local } else { Route::Remote },
                orcpt: None,
                // A DSN never asks for another one (RFC 3461 §6.2).
                notify: Notify {
                    success: false,
                    failure: false,
                    delay: false,
                },
            }],
            smtputf8: false,
            dsn_ret_full: false,
            dsn_envid: None,
            authenticated: None,
        };
        let hop = Received {
            helo: hostname.clone(),
            peer: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: None,
            authenticated: false,
            listener: ListenerKind::Mta,
        };
        if let Err(reply) = self.pipeline.deliver(&env, &hop, report).await {
            warn!(to = sender, reason = %reply, "DSN could not be stored");
        }
    }
}

/// The enhanced status code at the start of a reply text, or a generic permanent failure.
fn status_of(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = first.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        first.to_string()
    } else {
        "5.0.0".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_follows_the_schedule_then_repeats_the_last() {
        let s = [60, 300, 900];
        assert_eq!(backoff(&s, 1), 60);
        assert_eq!(backoff(&s, 2), 300);
        assert_eq!(backoff(&s, 3), 900);
        assert_eq!(backoff(&s, 10), 900);
        assert_eq!(backoff(&s, 0), 60);
    }

    #[test]
    fn status_from_reply_text() {
        assert_eq!(status_of("5.1.1 unknown user"), "5.1.1");
        assert_eq!(status_of("unknown user"), "5.0.0");
    }
}
