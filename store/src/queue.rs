//! Outbound queue: one row per (message, recipient), shared by every node (DESIGN §5).
//!
//! A node *claims* rows with a lease: they become `delivering`, tagged with the node id, until
//! `lease_until`. A node that dies loses nothing: once its lease expires another node claims the
//! row again. PostgreSQL picks rows with `FOR UPDATE SKIP LOCKED` so concurrent claimers never
//! wait on each other nor take the same row; SQLite runs the same `UPDATE … RETURNING` in a
//! `BEGIN IMMEDIATE` transaction, which serialises claimers.

use std::time::Duration;

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::blob::BlobId;
use crate::db::{Backend, Db, now_unix};
use crate::mailbox::to_u64;

/// How long an undeliverable message is retried before it bounces (RFC 5321 §4.5.4.1 suggests
/// 4-5 days).
pub const DEFAULT_EXPIRY: Duration = Duration::from_secs(5 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueStatus {
    Queued,
    Delivering,
    Delivered,
    Failed,
}

impl QueueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueStatus::Queued => "queued",
            QueueStatus::Delivering => "delivering",
            QueueStatus::Delivered => "delivered",
            QueueStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<QueueStatus, StoreError> {
        match s {
            "queued" => Ok(QueueStatus::Queued),
            "delivering" => Ok(QueueStatus::Delivering),
            "delivered" => Ok(QueueStatus::Delivered),
            "failed" => Ok(QueueStatus::Failed),
            other => Err(StoreError::Invalid(format!(
                "unknown queue status `{other}`"
            ))),
        }
    }
}

/// One queued (message, recipient). Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub id: i64,
    pub message_id: String,
    pub sender: String,
    pub recipient: String,
    pub blob: BlobId,
    pub size: u64,
    pub status: QueueStatus,
    /// Attempts started so far (a claim starts one).
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub claimed_by: Option<String>,
    pub lease_until: Option<i64>,
    pub created_at: i64,
    /// After this, the worker gives up and sends a DSN instead of retrying.
    pub expires_at: i64,
    /// DSN NOTIFY of this recipient (RFC 3461 §4.1), see [`notify`].
    pub dsn_notify: u8,
    /// The original recipient (ORCPT, RFC 3461 §4.2), for the report.
    pub orcpt: Option<String>,
}

/// Bits of [`QueueItem::dsn_notify`]; no bit set is NOTIFY=NEVER.
pub mod notify {
    pub const SUCCESS: u8 = 1;
    pub const FAILURE: u8 = 2;
    pub const DELAY: u8 = 4;
    /// What a client that says nothing gets (RFC 3461 §4.1: FAILURE, and DELAY at the MTA's
    /// discretion; we send no delay reports).
    pub const DEFAULT: u8 = FAILURE;
}

/// One recipient to queue, with its DSN parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueuedRecipient<'a> {
    pub address: &'a str,
    pub dsn_notify: u8,
    pub orcpt: Option<&'a str>,
}

const COLUMNS: &str = "id, message_id, sender, recipient, blob_id, size, status, attempts, \
     next_attempt_at, last_error, claimed_by, lease_until, created_at, expires_at, dsn_notify, orcpt";

fn item_from_row(row: &AnyRow) -> Result<QueueItem, StoreError> {
    let blob: String = row.try_get("blob_id")?;
    let status: String = row.try_get("status")?;
    let attempts: i64 = row.try_get("attempts")?;
    Ok(QueueItem {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        sender: row.try_get("sender")?,
        recipient: row.try_get("recipient")?,
        blob: BlobId::parse(&blob)?,
        size: to_u64(row.try_get("size")?),
        status: QueueStatus::parse(&status)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        claimed_by: row.try_get("claimed_by")?,
        lease_until: row.try_get("lease_until")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        dsn_notify: u8::try_from(row.try_get::<i64, _>("dsn_notify")?).unwrap_or(notify::DEFAULT),
        orcpt: row.try_get("orcpt")?,
    })
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2)
}

impl Db {
    /// Queues a message for remote recipients, one row each, due now; expires after
    /// `expires_in` (default [`DEFAULT_EXPIRY`]). The blob must already be durable.
    /// Returns the row ids, in recipient order.
    pub async fn enqueue(
        &self,
        message_id: &str,
        sender: &str,
        recipients: &[&str],
        blob: &BlobId,
        size: u64,
        expires_in: Option<Duration>,
    ) -> Result<Vec<i64>, StoreError> {
        let recipients: Vec<QueuedRecipient> = recipients
            .iter()
            .map(|address| QueuedRecipient {
                address,
                dsn_notify: notify::DEFAULT,
                orcpt: None,
            })
            .collect();
        self.enqueue_with_dsn(message_id, sender, &recipients, blob, size, expires_in)
            .await
    }

    /// [`Db::enqueue`] with each recipient's DSN parameters (RFC 3461).
    pub async fn enqueue_with_dsn(
        &self,
        message_id: &str,
        sender: &str,
        recipients: &[QueuedRecipient<'_>],
        blob: &BlobId,
        size: u64,
        expires_in: Option<Duration>,
    ) -> Result<Vec<i64>, StoreError> {
        let now = now_unix();
        let expires_at = now.saturating_add(secs(expires_in.unwrap_or(DEFAULT_EXPIRY)));
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(recipients.len());
        for rcpt in recipients {
            let row = sqlx::query(
                "INSERT INTO queue (message_id, sender, recipient, blob_id, size, next_attempt_at, \
                 created_at, expires_at, updated_at, dsn_notify, orcpt) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $6, $8, $9) RETURNING id",
            )
            .bind(message_id)
            .bind(sender)
            .bind(rcpt.address)
            .bind(blob.as_str())
            .bind(i64::try_from(size).unwrap_or(i64::MAX))
            .bind(now)
            .bind(expires_at)
            .bind(i64::from(rcpt.dsn_notify))
            .bind(rcpt.orcpt)
            .fetch_one(&mut *tx)
            .await?;
            ids.push(row.try_get(0)?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Claims up to `limit` due rows for `node_id` for `lease`: rows `queued` whose time has come,
    /// and rows `delivering` whose lease has expired (their node died or stalled).
    pub async fn claim(
        &self,
        node_id: &str,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<QueueItem>, StoreError> {
        self.claim_at(node_id, limit, lease, now_unix()).await
    }

    /// [`Db::claim`] with an explicit clock (Unix seconds), for tests and for callers that keep
    /// their own time.
    pub async fn claim_at(
        &self,
        node_id: &str,
        limit: u32,
        lease: Duration,
        now: i64,
    ) -> Result<Vec<QueueItem>, StoreError> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE queue SET status = 'delivering', claimed_by = $1, lease_until = $2, \
             attempts = attempts + 1, updated_at = $3 \
             WHERE id IN (SELECT id FROM queue WHERE \
               (status = 'queued' AND next_attempt_at <= $3) OR \
               (status = 'delivering' AND lease_until < $3) \
             ORDER BY next_attempt_at, id LIMIT $4{lock}) \
             RETURNING {COLUMNS}"
        );
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(node_id)
            .bind(now.saturating_add(secs(lease)))
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut items = rows
            .iter()
            .map(item_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        items.sort_by_key(|i| (i.next_attempt_at, i.id));
        Ok(items)
    }

    /// The recipient accepted the message. `false` if the row is no longer ours (our lease
    /// expired and another node claimed it).
    pub async fn mark_delivered(&self, id: i64, node_id: &str) -> Result<bool, StoreError> {
        self.finish_claim(id, node_id, "delivered", None, None)
            .await
    }

    /// Temporary failure: try again at `next_attempt_at` (Unix seconds).
    pub async fn mark_retry(
        &self,
        id: i64,
        node_id: &str,
        next_attempt_at: i64,
        error: &str,
    ) -> Result<bool, StoreError> {
        self.finish_claim(id, node_id, "queued", Some(next_attempt_at), Some(error))
            .await
    }

    /// Permanent failure (or expiry): no more attempts; the caller sends the DSN.
    pub async fn mark_failed(
        &self,
        id: i64,
        node_id: &str,
        error: &str,
    ) -> Result<bool, StoreError> {
        self.finish_claim(id, node_id, "failed", None, Some(error))
            .await
    }

    async fn finish_claim(
        &self,
        id: i64,
        node_id: &str,
        status: &str,
        next_attempt_at: Option<i64>,
        error: Option<&str>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE queue SET status = $3, next_attempt_at = COALESCE($4, next_attempt_at), \
             last_error = COALESCE($5, last_error), claimed_by = NULL, lease_until = NULL, updated_at = $6 \
             WHERE id = $1 AND claimed_by = $2 AND status = 'delivering'",
        )
        .bind(id)
        .bind(node_id)
        .bind(status)
        .bind(next_attempt_at)
        .bind(error)
        .bind(now_unix())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// One queue row, if it exists.
    pub async fn queue_item(&self, id: i64) -> Result<Option<QueueItem>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM queue WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(item_from_row).transpose()
    }

    /// Rows of one submission (for a DSN that covers all its recipients).
    pub async fn queue_items_of_message(
        &self,
        message_id: &str,
    ) -> Result<Vec<QueueItem>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM queue WHERE message_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(message_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(item_from_row).collect()
    }
}
