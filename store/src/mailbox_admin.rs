//! SUBSCRIBE, RENAME and DELETE of mailboxes (RFC 9051 §6.3.5-6.3.8), and shared accounts.

use sqlx::{AnyConnection, Row};

use crate::StoreError;
use crate::db::Db;
use crate::mailbox::{
    DELIMITER, SpecialUse, insert_mailbox, mailbox_change, normalize_account, normalize_name,
};
use crate::message::{change, lock_and_allocate, remove_messages};
use crate::notify::ChangeKind;

/// The new name of `name` when `old` is renamed to `new`, if `name` is `old` or below it.
pub fn renamed(name: &str, old: &str, new: &str) -> Option<String> {
    if name == old {
        return Some(new.to_string());
    }
    let rest = name.strip_prefix(old)?.strip_prefix(DELIMITER)?;
    Some(format!("{new}{DELIMITER}{rest}"))
}

/// Removes `name` from `account`'s kept subscriptions (0012_kept_subscriptions) inside the
/// caller's transaction; true if it was there.
pub(crate) async fn take_kept_subscription(
    conn: &mut AnyConnection,
    account: &str,
    name: &str,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "DELETE FROM kept_subscriptions WHERE account = $1 AND name = $2 RETURNING name",
    )
    .bind(account)
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

impl Db {
    /// Sets whether the mailbox is subscribed (IMAP SUBSCRIBE/UNSUBSCRIBE).
    pub async fn set_subscribed(
        &self,
        account: &str,
        name: &str,
        subscribed: bool,
    ) -> Result<(), StoreError> {
        let account = normalize_account(account);
        let name = normalize_name(name)?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE mailboxes SET subscribed = $3 WHERE account = $1 AND name = $2 RETURNING id",
        )
        .bind(&account)
        .bind(&name)
        .bind(i64::from(subscribed))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            // UNSUBSCRIBE of a name kept after its mailbox was deleted (0012_kept_subscriptions).
            if !subscribed && take_kept_subscription(&mut tx, &account, &name).await? {
                tx.commit().await?;
                return Ok(());
            }
            return Err(StoreError::MailboxNotFound(name));
        };
        let id: i64 = row.try_get(0)?;
        self.commit_and_publish(tx, &[mailbox_change(&account, id)])
            .await
    }

    /// Names `account` subscribed to whose mailbox has since been deleted (LSUB shows them
    /// `\Noselect`, LIST (SUBSCRIBED) `\NonExistent`).
    pub async fn kept_subscriptions(&self, account: &str) -> Result<Vec<String>, StoreError> {
        let rows =
            sqlx::query("SELECT name FROM kept_subscriptions WHERE account = $1 ORDER BY name")
                .bind(normalize_account(account))
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(StoreError::from))
            .collect()
    }

    /// Marks every mailbox of `account`, present and future, as shared (per-user `\Seen`), or not.
    /// Used for ORG mailboxes that several professionals read.
    pub async fn set_account_shared(&self, account: &str, shared: bool) -> Result<(), StoreError> {
        let account = normalize_account(account);
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE mailboxes SET shared = $2 WHERE account = $1")
            .bind(&account)
            .bind(i64::from(shared))
            .execute(&mut *tx)
            .await?;
        if shared {
            sqlx::query("INSERT INTO shared_accounts (account) VALUES ($1) ON CONFLICT (account) DO NOTHING")
                .bind(&account)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("DELETE FROM shared_accounts WHERE account = $1")
                .bind(&account)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Renames a mailbox and every mailbox below it, keeping UIDVALIDITY and messages.
    /// Renaming INBOX moves its messages to a new mailbox and leaves INBOX empty, as RFC 9051
    /// §6.3.6 requires.
    pub async fn rename_mailbox(
        &self,
        account: &str,
        old: &str,
        new: &str,
    ) -> Result<(), StoreError> {
        let account = normalize_account(account);
        let old = normalize_name(old)?;
        let new = normalize_name(new)?;
        let below_itself = new
            .strip_prefix(old.as_str())
            .is_some_and(|rest| rest.starts_with(DELIMITER));
        if old != "INBOX" && below_itself {
            return Err(StoreError::Invalid(format!(
                "cannot rename `{old}` into itself (`{new}`)"
            )));
        }
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query("SELECT id, name FROM mailboxes WHERE account = $1")
            .bind(&account)
            .fetch_all(&mut *tx)
            .await?;
        let mut names = Vec::with_capacity(rows.len());
        for r in &rows {
            names.push((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?));
        }
        if names.iter().any(|(_, n)| n == &new) {
            return Err(StoreError::MailboxExists(new));
        }
        let Some(&(old_id, _)) = names.iter().find(|(_, n)| n == &old) else {
            return Err(StoreError::MailboxNotFound(old));
        };
        let mut changes = Vec::new();
        if old == "INBOX" {
            let Some(new_id) = insert_mailbox(&mut tx, &account, &new, None).await? else {
                return Err(StoreError::MailboxExists(new));
            };
            let src = lock_and_allocate(&mut tx, old_id, 0).await?;
            let uid_rows = sqlx::query("SELECT uid FROM messages WHERE mailbox_id = $1")
                .bind(old_id)
                .fetch_all(&mut *tx)
                .await?;
            let uids = uid_rows
                .iter()
                .map(|r| Ok(crate::mailbox::to_u32(r.try_get(0)?)))
                .collect::<Result<Vec<u32>, StoreError>>()?;
            // The new mailbox has its own UIDVALIDITY, so the messages keep their UIDs.
            sqlx::query(
                "INSERT INTO messages (mailbox_id, uid, modseq, blob_id, size, internal_date, system_flags, keywords) \
                 SELECT $2, uid, 1, blob_id, size, internal_date, system_flags, keywords FROM messages WHERE mailbox_id = $1",
            )
            .bind(old_id)
            .bind(new_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO seen (mailbox_id, uid, account) SELECT $2, uid, account FROM seen WHERE mailbox_id = $1")
                .bind(old_id)
                .bind(new_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE mailboxes SET uidnext = (SELECT uidnext FROM mailboxes WHERE id = $1) WHERE id = $2",
            )
            .bind(old_id)
            .bind(new_id)
            .execute(&mut *tx)
            .await?;
            remove_messages(&mut tx, old_id, &uids, src.modseq).await?;
            changes.push(mailbox_change(&account, new_id));
            changes.push(change(&account, old_id, ChangeKind::Expunge, src.modseq));
        } else {
            for (id, name) in &names {
                if let Some(to) = renamed(name, &old, &new) {
                    // A renamed special-use folder keeps its role (RFC 6154 leaves it to us).
                    sqlx::query("UPDATE mailboxes SET name = $2 WHERE id = $1")
                        .bind(id)
                        .bind(to)
                        .execute(&mut *tx)
                        .await?;
                    changes.push(mailbox_change(&account, *id));
                }
            }
        }
        self.commit_and_publish(tx, &changes).await
    }

    /// Deletes a mailbox and its messages (not the mailboxes below it, which stay reachable by
    /// name). INBOX cannot be deleted (RFC 9051 §6.3.5).
    pub async fn delete_mailbox(&self, account: &str, name: &str) -> Result<(), StoreError> {
        let account = normalize_account(account);
        let name = normalize_name(name)?;
        if name == SpecialUse::Inbox.as_str() {
            return Err(StoreError::Invalid("INBOX cannot be deleted".to_string()));
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM mailboxes WHERE account = $1 AND name = $2 RETURNING id, subscribed",
        )
        .bind(&account)
        .bind(&name)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StoreError::MailboxNotFound(name));
        };
        let id: i64 = row.try_get(0)?;
        // RFC 9051 §6.3.7: the subscription outlives the mailbox until UNSUBSCRIBE.
        if row.try_get::<i64, _>(1)? != 0 {
            sqlx::query(
                "INSERT INTO kept_subscriptions (account, name) VALUES ($1, $2) \
                 ON CONFLICT (account, name) DO NOTHING",
            )
            .bind(&account)
            .bind(&name)
            .execute(&mut *tx)
            .await?;
        }
        self.commit_and_publish(tx, &[mailbox_change(&account, id)])
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::renamed;

    #[test]
    fn rename_targets() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Work", Some("Job")),
            ("Work/2024", Some("Job/2024")),
            ("Work/2024/Q1", Some("Job/2024/Q1")),
            ("Workshop", None),
            ("Other", None),
        ];
        for (name, want) in cases {
            assert_eq!(renamed(name, "Work", "Job").as_deref(), *want, "{name}");
        }
    }
}
