//! Group commit: many concurrent deliveries share one transaction and one fsync.
//!
//! Workers take every request waiting in the channel (up to `max_batch`), optionally wait
//! `max_wait` for more, commit them in one transaction and answer each caller through its oneshot.
//! Under light load a request is committed at once (nothing waits for a timer when `max_wait` is
//! zero); under heavy load requests pile up while the previous batch fsyncs and go in the next.
//! If a batch fails, each of its requests is retried alone, so one bad request cannot fail the
//! others.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::time::Instant;

use super::{Delivered, DeliveryRequest};
use crate::StoreError;
use crate::blob::BlobId;
use crate::db::{Backend, Db};

type Reply = oneshot::Sender<Result<Vec<Delivered>, StoreError>>;
type Job = (DeliveryRequest, Reply);

/// Tuning of a [`DeliveryBatcher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// Most requests in one transaction.
    pub max_batch: usize,
    /// How long a worker waits for more requests once it has one (zero: take what is there).
    pub max_wait: Duration,
    /// Transactions in flight at once. SQLite serialises writers, so 1 is right there;
    /// PostgreSQL overlaps the commits of several.
    pub workers: usize,
}

impl BatchConfig {
    /// Defaults for a backend: batches of up to 128, no added wait, 1 worker on SQLite, 4 on
    /// PostgreSQL.
    pub fn for_backend(backend: Backend) -> BatchConfig {
        BatchConfig {
            max_batch: 128,
            max_wait: Duration::ZERO,
            workers: match backend {
                Backend::Sqlite => 1,
                Backend::Postgres => 4,
            },
        }
    }
}

/// Handle to the group-commit workers; cheap to clone. The workers stop when every handle is
/// dropped, after finishing the requests already queued.
#[derive(Clone, Debug)]
pub struct DeliveryBatcher {
    tx: mpsc::Sender<Job>,
    stats: Arc<Stats>,
}

#[derive(Debug, Default)]
struct Stats {
    transactions: AtomicU64,
    requests: AtomicU64,
}

impl DeliveryBatcher {
    /// Starts the workers on the current tokio runtime.
    pub fn start(db: Db, config: BatchConfig) -> DeliveryBatcher {
        let max_batch = config.max_batch.max(1);
        let (tx, rx) = mpsc::channel::<Job>(max_batch * config.workers.max(1) * 4);
        let rx = Arc::new(Mutex::new(rx));
        let stats = Arc::new(Stats::default());
        for _ in 0..config.workers.max(1) {
            tokio::spawn(worker(
                db.clone(),
                rx.clone(),
                max_batch,
                config.max_wait,
                stats.clone(),
            ));
        }
        DeliveryBatcher { tx, stats }
    }

    /// (transactions committed, requests delivered) so far: their ratio is the batching gain.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.stats.transactions.load(Ordering::Relaxed),
            self.stats.requests.load(Ordering::Relaxed),
        )
    }

    /// Same as [`Db::deliver`], committed together with other concurrent deliveries.
    pub async fn deliver(
        &self,
        blob: &BlobId,
        size: u64,
        accounts: &[&str],
    ) -> Result<Vec<Delivered>, StoreError> {
        self.submit(DeliveryRequest::new(blob, size, accounts))
            .await
    }

    /// Queues one request and waits for its commit.
    pub async fn submit(&self, request: DeliveryRequest) -> Result<Vec<Delivered>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((request, reply))
            .await
            .map_err(|_| StoreError::BatcherStopped)?;
        answer.await.map_err(|_| StoreError::BatcherStopped)?
    }
}

async fn worker(
    db: Db,
    rx: Arc<Mutex<mpsc::Receiver<Job>>>,
    max_batch: usize,
    max_wait: Duration,
    stats: Arc<Stats>,
) {
    loop {
        let batch = {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else {
                return;
            };
            let mut batch = vec![first];
            while batch.len() < max_batch {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            if !max_wait.is_zero() {
                let deadline = Instant::now() + max_wait;
                while batch.len() < max_batch {
                    match tokio::time::timeout_at(deadline, rx.recv()).await {
                        Ok(Some(job)) => batch.push(job),
                        _ => break,
                    }
                }
            }
            batch
        };
        commit_batch(&db, batch, &stats).await;
    }
}

async fn commit_batch(db: &Db, batch: Vec<Job>, stats: &Stats) {
    let (requests, replies): (Vec<DeliveryRequest>, Vec<Reply>) = batch.into_iter().unzip();
    match db.deliver_batch(&requests).await {
        Ok(results) => {
            stats.transactions.fetch_add(1, Ordering::Relaxed);
            stats
                .requests
                .fetch_add(requests.len() as u64, Ordering::Relaxed);
            tracing::trace!(batch = requests.len(), "group commit");
            for (reply, result) in replies.into_iter().zip(results) {
                let _ = reply.send(Ok(result));
            }
        }
        Err(e) if requests.len() > 1 => {
            tracing::warn!(error = %e, batch = requests.len(), "batched delivery failed; retrying one by one");
            for (req, reply) in requests.into_iter().zip(replies) {
                let result = db
                    .deliver_batch(std::slice::from_ref(&req))
                    .await
                    .map(|mut r| r.pop().unwrap_or_default());
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(e));
            }
        }
    }
}
