//! Message summaries: what one row of a webmail list shows (subject, sender, date, attachment
//! clip, `X-MSS-MES: FIN`, a snippet), stored once per blob so a list page never opens blobs.
//!
//! The store does not parse mail: the caller builds a [`Summary`] (the SMTP pipeline at delivery,
//! with `smtp::pipeline::summarize`; the webmail lazily for messages delivered before this table
//! existed or appended over IMAP). Rows are keyed by the content-addressed blob id, so they are
//! immutable and shared by every copy of a message: an insert of an existing id does nothing.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreError;
use crate::blob::BlobId;
use crate::db::{Db, now_unix};
use crate::flags::{DELETED_BIT, SEEN_BIT};
use crate::mailbox::{DEFAULTS, SpecialUse, normalize_account, to_u32, to_u64};

/// Longest subject / name / address / recipients kept, in characters.
const MAX_FIELD: usize = 300;
/// Longest snippet kept, in characters.
pub const MAX_SNIPPET: usize = 200;

/// What a list row shows about a message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub subject: String,
    /// Display name of the first `From:` address (may be empty).
    pub from_name: String,
    pub from_address: String,
    /// `To:` as a short display text (for the sent folder).
    pub to_text: String,
    /// `Date:` header, Unix seconds.
    pub sent_at: Option<i64>,
    pub has_attachments: bool,
    /// `X-MSS-MES: FIN`: the professional ended the conversation.
    pub end_of_conversation: bool,
    /// The first words of the text, whitespace collapsed.
    pub snippet: String,
}

/// One row of a folder page, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedMessage {
    pub uid: u32,
    pub blob: BlobId,
    pub size: u64,
    pub internal_date: i64,
    /// `\Seen` as the viewer sees it.
    pub seen: bool,
    /// `None` until the summary is written (see [`Db::put_summary`]).
    pub summary: Option<Summary>,
}

/// Message and unread counts of one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderCount {
    pub mailbox_id: i64,
    pub name: String,
    pub special_use: Option<SpecialUse>,
    pub total: u32,
    pub unseen: u32,
}

fn special_use_of(stored: &str) -> Option<SpecialUse> {
    DEFAULTS
        .iter()
        .map(|(_, u)| *u)
        .find(|u| u.as_str() == stored)
}

fn clamp(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Inserts the summary of `blob` unless there is one, inside the caller's transaction.
pub(crate) async fn insert_summary(
    conn: &mut AnyConnection,
    blob: &BlobId,
    s: &Summary,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO message_summary (blob_id, subject, from_name, from_address, to_text, sent_at, \
         has_attachments, end_conversation, snippet, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (blob_id) DO NOTHING",
    )
    .bind(blob.as_str())
    .bind(clamp(&s.subject, MAX_FIELD))
    .bind(clamp(&s.from_name, MAX_FIELD))
    .bind(clamp(&s.from_address, MAX_FIELD))
    .bind(clamp(&s.to_text, MAX_FIELD))
    .bind(s.sent_at)
    .bind(i64::from(s.has_attachments))
    .bind(i64::from(s.end_of_conversation))
    .bind(clamp(&s.snippet, MAX_SNIPPET))
    .bind(now_unix())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn summary_from_row(row: &AnyRow) -> Result<Option<Summary>, StoreError> {
    let subject: Option<String> = row.try_get("s_subject")?;
    let Some(subject) = subject else {
        return Ok(None);
    };
    Ok(Some(Summary {
        subject,
        from_name: row.try_get("s_from_name")?,
        from_address: row.try_get("s_from_address")?,
        to_text: row.try_get("s_to_text")?,
        sent_at: row.try_get("s_sent_at")?,
        has_attachments: row.try_get::<i64, _>("s_has_attachments")? != 0,
        end_of_conversation: row.try_get::<i64, _>("s_end_conversation")? != 0,
        snippet: row.try_get("s_snippet")?,
    }))
}

const SUMMARY_COLUMNS: &str = "s.subject AS s_subject, s.from_name AS s_from_name, \
     s.from_address AS s_from_address, s.to_text AS s_to_text, s.sent_at AS s_sent_at, \
     s.has_attachments AS s_has_attachments, s.end_conversation AS s_end_conversation, \
     s.snippet AS s_snippet";

impl Db {
    /// Records the summary of a blob (no-op if it has one). Safe to call before or after the
    /// message rows that refer to the blob are committed.
    pub async fn put_summary(&self, blob: &BlobId, summary: &Summary) -> Result<(), StoreError> {
        let mut conn = self.pool().acquire().await?;
        insert_summary(&mut conn, blob, summary).await
    }

    /// The summary of a blob, if written.
    pub async fn summary(&self, blob: &BlobId) -> Result<Option<Summary>, StoreError> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM message_summary s WHERE s.blob_id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(blob.as_str())
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some(r) => summary_from_row(&r),
            None => Ok(None),
        }
    }

    /// One page of a folder, newest (highest UID) first, messages flagged `\Deleted` left out.
    /// Walks the `(mailbox_id, uid)` primary key backwards, so a page costs `offset + limit`
    /// index steps and never a sort. `viewer` matters in shared mailboxes (per-user `\Seen`).
    pub async fn list_page(
        &self,
        mailbox_id: i64,
        offset: u32,
        limit: u32,
        viewer: &str,
    ) -> Result<Vec<ListedMessage>, StoreError> {
        let sql = format!(
            "SELECT m.uid, m.blob_id, m.size, m.internal_date, m.system_flags, mb.shared, \
             CASE WHEN mb.shared <> 0 THEN (SELECT COUNT(*) FROM seen x WHERE x.mailbox_id = m.mailbox_id \
             AND x.uid = m.uid AND x.account = $4) ELSE 0 END AS user_seen, {SUMMARY_COLUMNS} \
             FROM messages m JOIN mailboxes mb ON mb.id = m.mailbox_id \
             LEFT JOIN message_summary s ON s.blob_id = m.blob_id \
             WHERE m.mailbox_id = $1 AND (m.system_flags & {DELETED_BIT}) = 0 \
             ORDER BY m.uid DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(mailbox_id)
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .bind(normalize_account(viewer))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let system: i64 = row.try_get("system_flags")?;
                let shared = row.try_get::<i64, _>("shared")? != 0;
                let seen = if shared {
                    row.try_get::<i64, _>("user_seen")? > 0
                } else {
                    system & SEEN_BIT != 0
                };
                let blob: String = row.try_get("blob_id")?;
                Ok(ListedMessage {
                    uid: to_u32(row.try_get("uid")?),
                    blob: BlobId::parse(&blob)?,
                    size: to_u64(row.try_get("size")?),
                    internal_date: row.try_get("internal_date")?,
                    seen,
                    summary: summary_from_row(row)?,
                })
            })
            .collect()
    }

    /// Every folder of `account` with its message and unread counts (`\Deleted` left out), in
    /// one statement. Citizens' mailboxes are never shared, so `\Seen` is the message's own flag
    /// here; use [`Db::mailbox_status`] for a shared mailbox.
    pub async fn folder_counts(&self, account: &str) -> Result<Vec<FolderCount>, StoreError> {
        let sql = format!(
            "SELECT mb.id, mb.name, mb.special_use, COUNT(m.uid) AS total, \
             COUNT(CASE WHEN (m.system_flags & {SEEN_BIT}) = 0 THEN 1 END) AS unseen \
             FROM mailboxes mb LEFT JOIN messages m ON m.mailbox_id = mb.id \
             AND (m.system_flags & {DELETED_BIT}) = 0 \
             WHERE mb.account = $1 GROUP BY mb.id, mb.name, mb.special_use ORDER BY mb.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(normalize_account(account))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let special: Option<String> = row.try_get("special_use")?;
                Ok(FolderCount {
                    mailbox_id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    special_use: special.as_deref().and_then(special_use_of),
                    total: to_u32(row.try_get("total")?),
                    unseen: to_u32(row.try_get("unseen")?),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Summary, clamp};
    use crate::deliver::DeliveryRequest;
    use crate::testing::for_each_backend;
    use crate::{BlobId, FlagMode, Flags};

    #[tokio::test]
    async fn summaries_commit_with_the_delivery_and_pages_go_newest_first() {
        for_each_backend(|db| async move {
            let acct = "240013700100130@patient.mssante.example";
            let mut reqs = Vec::new();
            for i in 0..5u8 {
                let blob = BlobId::of(&[i]);
                let s = Summary {
                    subject: format!("Sujet {i}"),
                    from_address: "a@x.example".into(),
                    has_attachments: i == 4,
                    end_of_conversation: i == 3,
                    snippet: "é".repeat(500),
                    ..Summary::default()
                };
                reqs.push(DeliveryRequest::new(&blob, 10, &[acct]).with_summary(s));
            }
            // A message without summary (IMAP APPEND, older delivery).
            reqs.push(DeliveryRequest::new(&BlobId::of(b"old"), 3, &[acct]));
            db.deliver_batch(&reqs).await.expect("deliver");
            let inbox = db
                .find_mailbox(acct, "INBOX")
                .await
                .expect("db")
                .expect("inbox");
            let page = db.list_page(inbox.id, 0, 3, acct).await.expect("page");
            assert_eq!(
                page.iter().map(|m| m.uid).collect::<Vec<_>>(),
                vec![6, 5, 4]
            );
            assert!(page[0].summary.is_none());
            let s5 = page[1].summary.clone().expect("summary");
            assert_eq!(s5.subject, "Sujet 4");
            assert!(s5.has_attachments && !s5.end_of_conversation);
            assert_eq!(s5.snippet.chars().count(), super::MAX_SNIPPET);
            assert!(
                page[2]
                    .summary
                    .as_ref()
                    .is_some_and(|s| s.end_of_conversation)
            );
            let rest = db.list_page(inbox.id, 3, 3, acct).await.expect("page 2");
            assert_eq!(
                rest.iter().map(|m| m.uid).collect::<Vec<_>>(),
                vec![3, 2, 1]
            );
            // Counts: 6 unseen; one seen, one \Deleted (hidden from lists and counts).
            let mut seen = Flags::new();
            seen.insert(crate::Flag::Seen);
            let uids = crate::UidSet::from_uids(&[1]);
            db.store_flags(inbox.id, &uids, FlagMode::Add, &seen, None, acct)
                .await
                .expect("seen");
            let mut deleted = Flags::new();
            deleted.insert(crate::Flag::Deleted);
            let uids = crate::UidSet::from_uids(&[2]);
            db.store_flags(inbox.id, &uids, FlagMode::Add, &deleted, None, acct)
                .await
                .expect("deleted");
            let counts = db.folder_counts(acct).await.expect("counts");
            let c = counts
                .iter()
                .find(|c| c.name == "INBOX")
                .expect("inbox count");
            assert_eq!((c.total, c.unseen), (5, 4));
            assert_eq!(counts.len(), 5, "every default folder, empty ones too");
            let page = db.list_page(inbox.id, 0, 10, acct).await.expect("page");
            assert!(page.iter().all(|m| m.uid != 2));
            assert!(page.iter().any(|m| m.uid == 1 && m.seen));
            // A second summary for the same blob changes nothing (blobs are immutable).
            let other = Summary {
                subject: "autre".into(),
                ..Summary::default()
            };
            db.put_summary(&BlobId::of(&[4]), &other)
                .await
                .expect("put");
            let kept = db
                .summary(&BlobId::of(&[4]))
                .await
                .expect("get")
                .expect("row");
            assert_eq!(kept.subject, "Sujet 4");
        })
        .await;
    }

    #[test]
    fn clamp_counts_characters() {
        assert_eq!(clamp("éàü", 2), "éà");
        assert_eq!(clamp("abc", 10), "abc");
        assert_eq!(clamp("", 0), "");
    }
}
