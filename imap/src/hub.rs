//! `MailboxHub`: one store subscription per process, fanned out per mailbox on `watch` channels,
//! so that a change wakes only the sessions that have that mailbox selected (1,000 idle sessions
//! must not all wake on every delivery, docs/imap-plan.md §4.6).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, watch};

/// Cheap to clone; the background task ends when the store's channel closes.
#[derive(Clone)]
pub struct MailboxHub {
    inner: Arc<Mutex<HashMap<i64, watch::Sender<u64>>>>,
}

impl MailboxHub {
    /// Subscribes to the store (on PostgreSQL this also starts LISTEN, so other nodes' changes
    /// arrive) and spawns the fan-out task.
    pub async fn start(db: &store::Db) -> Result<MailboxHub, store::StoreError> {
        let rx = db.subscribe().await?;
        let hub = MailboxHub {
            inner: Arc::new(Mutex::new(HashMap::new())),
        };
        tokio::spawn(fan_out(rx, hub.clone()));
        Ok(hub)
    }

    /// A receiver that changes whenever `mailbox_id` changes; the value is a counter, the
    /// session asks the store what changed (`changes_since`).
    pub fn watch(&self, mailbox_id: i64) -> watch::Receiver<u64> {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(mailbox_id)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    fn bump(&self, mailbox_id: Option<i64>) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        // Forget mailboxes nobody watches any more, so the map stays as small as the sessions.
        map.retain(|_, tx| tx.receiver_count() > 0);
        match mailbox_id {
            Some(id) => {
                if let Some(tx) = map.get(&id) {
                    tx.send_modify(|n| *n = n.wrapping_add(1));
                }
            }
            None => {
                for tx in map.values() {
                    tx.send_modify(|n| *n = n.wrapping_add(1));
                }
            }
        }
    }
}

async fn fan_out(mut rx: broadcast::Receiver<store::Change>, hub: MailboxHub) {
    loop {
        match rx.recv().await {
            Ok(change) => hub.bump(Some(change.mailbox_id)),
            // Missed changes: wake everyone, each session resynchronises from the database.
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(
                    missed = n,
                    "IMAP change hub lagged; resynchronising sessions"
                );
                hub.bump(None);
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
    }
}
