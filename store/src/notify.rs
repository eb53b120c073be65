//! Change notifications: IMAP IDLE sessions and webmail pages learn of new mail and flag changes
//! (DESIGN §3 step 6).
//!
//! Every write of the mail model publishes its [`Change`]s on a tokio broadcast channel *after* its
//! transaction commits. On PostgreSQL the same changes are also sent with `pg_notify` *inside* the
//! transaction (PostgreSQL delivers a NOTIFY only if, and when, the transaction commits), and a
//! background `PgListener` re-broadcasts the changes made by other nodes. Each payload carries the
//! node id of the handle that wrote it, so a node drops its own echo.
//!
//! A receiver that falls behind gets `RecvError::Lagged`: it must then resynchronise from the
//! database (e.g. `changes_since` with its last known MODSEQ) rather than trust the stream.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use sqlx::{Any, Transaction};
use tokio::sync::{Mutex, broadcast, watch};

use crate::StoreError;
use crate::db::{Backend, Db};

/// The PostgreSQL channel shared by every node.
pub const CHANNEL: &str = "santemail_changes";
/// `pg_notify` payloads must stay under 8000 bytes; we cut batches well below.
const MAX_PAYLOAD: usize = 7000;
const BROADCAST_CAPACITY: usize = 4096;

/// What happened to a mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// New message(s) (delivery, APPEND, COPY/MOVE target).
    Append,
    /// Flags changed.
    Flags,
    /// Message(s) expunged (EXPUNGE, MOVE source).
    Expunge,
    /// Mailbox created, renamed, deleted or (un)subscribed.
    Mailbox,
}

/// One committed change; `modseq` is the mailbox's HIGHESTMODSEQ after it (0 for `Mailbox`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub account: String,
    pub mailbox_id: i64,
    pub kind: ChangeKind,
    pub modseq: i64,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    node: String,
    changes: Vec<Change>,
}

/// The broadcast hub of one [`Db`] handle. Obtain receivers with [`Db::subscribe`].
pub struct Notifier {
    backend: Backend,
    node_id: String,
    tx: broadcast::Sender<Change>,
    listener_started: Mutex<bool>,
    shutdown_tx: watch::Sender<bool>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier")
            .field("node_id", &self.node_id)
            .finish_non_exhaustive()
    }
}

static NODE_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Notifier {
    pub(crate) fn new(backend: Backend) -> Notifier {
        let (tx, _) = broadcast::channel(BROADCAST_CAPACITY);
        let (shutdown_tx, _) = watch::channel(false);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        // Unique per handle: host-independent parts suffice because a collision needs the same
        // pid, the same nanosecond and the same counter value.
        let node_id = format!(
            "{:x}-{:x}-{}",
            std::process::id(),
            nanos,
            NODE_COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        Notifier {
            backend,
            node_id,
            tx,
            listener_started: Mutex::new(false),
            shutdown_tx,
        }
    }

    /// The id that tags this handle's notifications.
    pub fn node_id(&self) -> &str {
        &self.node_id
    }

    /// Sends `changes` to the local subscribers. Called after the commit.
    pub(crate) fn publish(&self, changes: &[Change]) {
        for change in changes {
            // An error only means nobody listens right now.
            let _ = self.tx.send(change.clone());
        }
    }

    /// Queues `changes` for the other nodes inside `tx` (PostgreSQL only; no-op on SQLite).
    pub(crate) async fn notify_in_tx(
        &self,
        tx: &mut Transaction<'_, Any>,
        changes: &[Change],
    ) -> Result<(), StoreError> {
        if self.backend != Backend::Postgres || changes.is_empty() {
            return Ok(());
        }
        for payload in payloads(&self.node_id, changes)? {
            // pg_notify returns `void`, which the Any driver cannot decode: wrap it in a count.
            sqlx::query("SELECT COUNT(*) FROM (SELECT pg_notify($1, $2)) AS n")
                .bind(CHANNEL)
                .bind(payload)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    pub(crate) fn shutdown(&self) {
        let _ = self.shutdown_tx.send(true);
    }
}

/// Cuts `changes` into JSON payloads under the `pg_notify` size limit.
fn payloads(node: &str, changes: &[Change]) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    let mut batch: Vec<Change> = Vec::new();
    let encode = |batch: &[Change]| {
        serde_json::to_string(&Payload {
            node: node.to_string(),
            changes: batch.to_vec(),
        })
        .map_err(|e| StoreError::Invalid(format!("cannot encode a change notification: {e}")))
    };
    for change in changes {
        batch.push(change.clone());
        if encode(&batch)?.len() > MAX_PAYLOAD && batch.len() > 1 {
            let last = batch.pop();
            out.push(encode(&batch)?);
            batch = last.into_iter().collect();
        }
    }
    if !batch.is_empty() {
        out.push(encode(&batch)?);
    }
    Ok(out)
}

impl Db {
    /// A receiver of every committed change: this handle's, and on PostgreSQL other nodes' too.
    ///
    /// On PostgreSQL the first call starts the listener and returns once it is `LISTEN`ing, so a
    /// change committed by another node after this returns is seen.
    pub async fn subscribe(&self) -> Result<broadcast::Receiver<Change>, StoreError> {
        let notifier = self.notifier();
        let rx = notifier.tx.subscribe();
        if notifier.backend == Backend::Postgres {
            let mut started = notifier.listener_started.lock().await;
            if !*started {
                let mut listener = PgListener::connect(self.url()).await?;
                listener.listen(CHANNEL).await?;
                tokio::spawn(listen_loop(
                    listener,
                    notifier.tx.clone(),
                    notifier.node_id.clone(),
                    notifier.shutdown_tx.subscribe(),
                ));
                *started = true;
            }
        }
        Ok(rx)
    }

    /// Commits `tx` after queuing `changes` for other nodes, then publishes them locally.
    pub(crate) async fn commit_and_publish(
        &self,
        mut tx: Transaction<'static, Any>,
        changes: &[Change],
    ) -> Result<(), StoreError> {
        self.notifier().notify_in_tx(&mut tx, changes).await?;
        tx.commit().await?;
        self.notifier().publish(changes);
        Ok(())
    }
}

async fn listen_loop(
    mut listener: PgListener,
    tx: broadcast::Sender<Change>,
    node_id: String,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
            received = listener.recv() => match received {
                Ok(notification) => {
                    match serde_json::from_str::<Payload>(notification.payload()) {
                        Ok(payload) if payload.node != node_id => {
                            for change in payload.changes {
                                let _ = tx.send(change);
                            }
                        }
                        Ok(_) => {} // our own echo, already published locally
                        Err(e) => tracing::warn!(error = %e, "ignoring a malformed change notification"),
                    }
                }
                Err(e) => {
                    // PgListener reconnects and re-LISTENs on the next recv; notifications sent
                    // while disconnected are lost, so receivers may miss changes: they resync on
                    // their next command anyway (IMAP NOOP/IDLE timeout).
                    tracing::warn!(error = %e, "change listener lost its PostgreSQL connection");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(i: i64) -> Change {
        Change {
            account: format!("user{i}@example.org"),
            mailbox_id: i,
            kind: ChangeKind::Append,
            modseq: i,
        }
    }

    #[test]
    fn payloads_stay_under_the_limit_and_keep_every_change() {
        for n in [0usize, 1, 10, 500] {
            let changes: Vec<Change> = (0..n as i64).map(change).collect();
            let out = payloads("node", &changes).unwrap();
            let mut back = Vec::new();
            for p in &out {
                assert!(p.len() <= MAX_PAYLOAD, "payload of {} bytes", p.len());
                let decoded: Payload = serde_json::from_str(p).unwrap();
                assert_eq!(decoded.node, "node");
                back.extend(decoded.changes);
            }
            assert_eq!(back, changes, "n={n}");
        }
    }
}
