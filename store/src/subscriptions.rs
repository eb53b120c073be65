//! Per-user subscriptions to shared mailboxes (IMAP SUBSCRIBE in an ORG mailbox a professional
//! reads with colleagues): each member has their own, the owner's stay in `mailboxes.subscribed`.

use sqlx::Row;

use crate::StoreError;
use crate::db::Db;
use crate::mailbox::normalize_account;

impl Db {
    /// Records whether `user` subscribes to the shared mailbox `mailbox_id`.
    pub async fn set_user_subscription(
        &self,
        user: &str,
        mailbox_id: i64,
        subscribed: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO user_subscriptions (account, mailbox_id, subscribed) VALUES ($1, $2, $3) \
             ON CONFLICT (account, mailbox_id) DO UPDATE SET subscribed = excluded.subscribed",
        )
        .bind(normalize_account(user))
        .bind(mailbox_id)
        .bind(i64::from(subscribed))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The shared mailboxes `user` unsubscribed from (every other one counts as subscribed).
    pub async fn user_unsubscribed(&self, user: &str) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT mailbox_id FROM user_subscriptions WHERE account = $1 AND subscribed = 0",
        )
        .bind(normalize_account(user))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::for_each_backend;

    #[tokio::test]
    async fn subscriptions_are_per_user() {
        for_each_backend(|db| async move {
            let org = "pharmacie@x.example";
            db.set_account_shared(org, true).await.unwrap();
            let boxes = db.ensure_default_mailboxes(org).await.unwrap();
            let inbox = boxes[0].id;
            db.set_user_subscription("A@x.example", inbox, false)
                .await
                .unwrap();
            assert_eq!(
                db.user_unsubscribed("a@x.example").await.unwrap(),
                vec![inbox]
            );
            assert!(
                db.user_unsubscribed("b@x.example")
                    .await
                    .unwrap()
                    .is_empty()
            );
            db.set_user_subscription("a@x.example", inbox, true)
                .await
                .unwrap();
            assert!(
                db.user_unsubscribed("a@x.example")
                    .await
                    .unwrap()
                    .is_empty()
            );
        })
        .await;
    }
}
