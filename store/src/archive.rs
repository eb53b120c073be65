//! Closed citizen accounts leave the live space (DESIGN §8): their mailboxes move under an
//! archive key that no protocol path ever asks for, and come back on reactivation, or are erased
//! for good on request or after the retention period.

use crate::StoreError;
use crate::db::Db;
use crate::mailbox::normalize_account;

/// The key under which an account's mailboxes are archived.
pub fn archive_key(account: &str) -> String {
    format!("archive:{}", normalize_account(account))
}

impl Db {
    /// Moves every mailbox of `account` to the archive. Returns how many moved.
    pub async fn archive_account(&self, account: &str) -> Result<u64, StoreError> {
        let account = normalize_account(account);
        let mut tx = self.pool().begin().await?;
        // An earlier archive of the same account (closed, reactivated, closed again) that was
        // not restored would collide on (account, name): it is older and goes first.
        sqlx::query("DELETE FROM mailboxes WHERE account = $1")
            .bind(archive_key(&account))
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("UPDATE mailboxes SET account = $2 WHERE account = $1")
            .bind(account.clone())
            .bind(archive_key(&account))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Brings the archived mailboxes of `account` back. Mailboxes created in the live space since
    /// (empty ones made by a new delivery attempt) give way to the archived ones of the same name.
    pub async fn restore_account(&self, account: &str) -> Result<u64, StoreError> {
        let account = normalize_account(account);
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "DELETE FROM mailboxes WHERE account = $1 AND name IN \
             (SELECT name FROM mailboxes WHERE account = $2)",
        )
        .bind(account.clone())
        .bind(archive_key(&account))
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("UPDATE mailboxes SET account = $1 WHERE account = $2")
            .bind(account.clone())
            .bind(archive_key(&account))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Erases the archived mailboxes of `account` and their messages for good. The blobs are
    /// shared by content and are reclaimed by the blob store's own collection.
    pub async fn erase_archive(&self, account: &str) -> Result<u64, StoreError> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query("DELETE FROM mailboxes WHERE account = $1")
            .bind(archive_key(account))
            .execute(&mut *tx)
            .await?;
        // Names only, but still the account's: nothing of it stays after an erasure.
        sqlx::query("DELETE FROM kept_subscriptions WHERE account = $1")
            .bind(normalize_account(account))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
