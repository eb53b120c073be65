//! Local delivery to INBOXes, and group commit of many deliveries.
//!
//! A delivery to several local recipients is one transaction (DESIGN §3 step 4: the `250` comes
//! after the rows of every recipient are committed). The [`DeliveryBatcher`] goes further: while
//! one transaction commits (the fsync is most of its cost), the deliveries that arrive queue up
//! and the next transaction takes them all, so N concurrent SMTP sessions share one fsync.

mod batcher;

use std::collections::BTreeMap;

use sqlx::{AnyConnection, Row};

use crate::StoreError;
use crate::blob::BlobId;
use crate::db::{Db, now_unix};
use crate::flags::Flags;
use crate::mailbox::{insert_defaults, normalize_account, to_u32, to_u64};
use crate::message::{change, insert_message};
use crate::notify::{Change, ChangeKind};

pub use batcher::{BatchConfig, DeliveryBatcher};

/// One message for one or more local accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRequest {
    pub blob: BlobId,
    pub size: u64,
    /// Recipients' addresses; case and duplicates do not matter.
    pub accounts: Vec<String>,
    /// Unix seconds; the INTERNALDATE of the new messages.
    pub internal_date: i64,
    /// The list-row summary of the message, written in the same transaction as its rows
    /// (see [`crate::summary`]).
    pub summary: Option<crate::summary::Summary>,
}

impl DeliveryRequest {
    pub fn new(blob: &BlobId, size: u64, accounts: &[&str]) -> DeliveryRequest {
        DeliveryRequest {
            blob: blob.clone(),
            size,
            accounts: accounts.iter().map(|a| a.to_string()).collect(),
            internal_date: now_unix(),
            summary: None,
        }
    }

    /// The same request carrying the message's list summary.
    pub fn with_summary(mut self, summary: crate::summary::Summary) -> DeliveryRequest {
        self.summary = Some(summary);
        self
    }

    /// Lower-cased, de-duplicated recipients, in the order given.
    fn recipients(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(self.accounts.len());
        for a in &self.accounts {
            let a = normalize_account(a);
            if !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }
}

/// Where one copy landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub account: String,
    pub mailbox_id: i64,
    pub uid: u32,
    pub modseq: u64,
}

/// Locks INBOX of `account` and allocates `n` UIDs, creating the default folders on first delivery.
async fn lock_inbox(
    conn: &mut AnyConnection,
    account: &str,
    n: i64,
) -> Result<(i64, u32, i64, bool, Vec<Change>), StoreError> {
    let mut created = Vec::new();
    for _ in 0..2 {
        let row = sqlx::query(
            "UPDATE mailboxes SET uidnext = uidnext + $2, highestmodseq = highestmodseq + 1 \
             WHERE account = $1 AND name = 'INBOX' RETURNING id, uidnext, highestmodseq, shared",
        )
        .bind(account)
        .bind(n)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            let id: i64 = row.try_get("id")?;
            let uidnext: i64 = row.try_get("uidnext")?;
            if uidnext - 1 > i64::from(u32::MAX) {
                return Err(StoreError::UidsExhausted(id));
            }
            let modseq: i64 = row.try_get("highestmodseq")?;
            let shared = row.try_get::<i64, _>("shared")? != 0;
            return Ok((id, to_u32(uidnext - n), modseq, shared, created));
        }
        created = insert_defaults(conn, account).await?;
    }
    Err(StoreError::MailboxNotFound(format!("INBOX of {account}")))
}

/// Delivers every request in the caller's transaction. INBOX rows are locked in account order,
/// the same in every transaction, so concurrent batches cannot deadlock on PostgreSQL.
pub(crate) async fn deliver_in_tx(
    conn: &mut AnyConnection,
    requests: &[DeliveryRequest],
) -> Result<(Vec<Vec<Delivered>>, Vec<Change>), StoreError> {
    let recipients: Vec<Vec<String>> = requests.iter().map(|r| r.recipients()).collect();
    let mut per_account: BTreeMap<&str, i64> = BTreeMap::new();
    for list in &recipients {
        for a in list {
            *per_account.entry(a.as_str()).or_insert(0) += 1;
        }
    }
    // account -> (mailbox id, next uid to hand out, modseq, shared)
    let mut slots: BTreeMap<&str, (i64, u32, i64, bool)> = BTreeMap::new();
    let mut changes = Vec::new();
    for (&account, &n) in &per_account {
        let (id, first, modseq, shared, created) = lock_inbox(conn, account, n).await?;
        changes.extend(created);
        changes.push(change(account, id, ChangeKind::Append, modseq));
        slots.insert(account, (id, first, modseq, shared));
    }
    let no_flags = Flags::new();
    let mut results = Vec::with_capacity(requests.len());
    for (req, list) in requests.iter().zip(&recipients) {
        if let Some(summary) = &req.summary {
            crate::summary::insert_summary(conn, &req.blob, summary).await?;
        }
        let mut delivered = Vec::with_capacity(list.len());
        for account in list {
            let Some(slot) = slots.get_mut(account.as_str()) else {
                continue;
            };
            let (id, uid, modseq, shared) = *slot;
            slot.1 = uid.saturating_add(1);
            let viewer = shared.then_some(account.as_str());
            insert_message(
                conn,
                id,
                uid,
                modseq,
                &req.blob,
                req.size,
                req.internal_date,
                &no_flags,
                viewer,
            )
            .await?;
            delivered.push(Delivered {
                account: account.clone(),
                mailbox_id: id,
                uid,
                modseq: to_u64(modseq),
            });
        }
        results.push(delivered);
    }
    Ok((results, changes))
}

impl Db {
    /// Delivers one message to the INBOX of each account, in ONE transaction (all or none).
    /// The blob must already be durable ([`crate::BlobStore::put`]). Folders are created on the
    /// first delivery to an account.
    pub async fn deliver(
        &self,
        blob: &BlobId,
        size: u64,
        accounts: &[&str],
    ) -> Result<Vec<Delivered>, StoreError> {
        let req = DeliveryRequest::new(blob, size, accounts);
        let mut out = self.deliver_batch(std::slice::from_ref(&req)).await?;
        Ok(out.pop().unwrap_or_default())
    }

    /// Delivers several messages in one transaction; one result list per request, in order.
    pub async fn deliver_batch(
        &self,
        requests: &[DeliveryRequest],
    ) -> Result<Vec<Vec<Delivered>>, StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let (results, changes) = deliver_in_tx(&mut tx, requests).await?;
        self.commit_and_publish(tx, &changes).await?;
        Ok(results)
    }
}
