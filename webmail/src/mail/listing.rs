//! Folders and list pages. The four folders a citizen sees map to the store's special-use
//! mailboxes (`Db::ensure_default_mailboxes`): Reçus = INBOX, Envoyés = Sent, Corbeille = Trash,
//! Archives = Archive. Pages read the `message_summary` table (store/src/summary.rs) joined to
//! the message rows, newest first; a message without a summary (delivered before that table, or
//! appended over IMAP) is parsed once and its summary written, so the next page view is cheap.

use store::{FolderCount, ListedMessage, Mailbox, Summary};

use super::format::{date_short_fr, size_fr};
use crate::error::WebError;
use crate::state::AppState;

/// A folder of the webmail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Recus,
    Envoyes,
    Corbeille,
    Archives,
}

impl Folder {
    pub const ALL: [Folder; 4] = [
        Folder::Recus,
        Folder::Envoyes,
        Folder::Archives,
        Folder::Corbeille,
    ];

    /// The URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            Folder::Recus => "recus",
            Folder::Envoyes => "envoyes",
            Folder::Corbeille => "corbeille",
            Folder::Archives => "archives",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Folder> {
        Folder::ALL.into_iter().find(|f| f.slug() == slug)
    }

    /// What the citizen reads.
    pub fn label(self) -> &'static str {
        match self {
            Folder::Recus => "Reçus",
            Folder::Envoyes => "Envoyés",
            Folder::Corbeille => "Corbeille",
            Folder::Archives => "Archives",
        }
    }

    /// The store mailbox name (store::mailbox::DEFAULTS).
    pub fn mailbox_name(self) -> &'static str {
        match self {
            Folder::Recus => "INBOX",
            Folder::Envoyes => "Sent",
            Folder::Corbeille => "Trash",
            Folder::Archives => "Archive",
        }
    }

    fn of_mailbox_name(name: &str) -> Option<Folder> {
        Folder::ALL.into_iter().find(|f| f.mailbox_name() == name)
    }
}

/// The store mailbox behind `folder` for `account`, creating the default folders on first use.
pub async fn mailbox_of(
    state: &AppState,
    account: &str,
    folder: Folder,
) -> Result<Mailbox, WebError> {
    if let Some(mb) = state
        .db
        .find_mailbox(account, folder.mailbox_name())
        .await?
    {
        return Ok(mb);
    }
    state
        .db
        .ensure_default_mailboxes(account)
        .await?
        .into_iter()
        .find(|m| m.name == folder.mailbox_name())
        .ok_or_else(|| WebError::internal(format!("{} missing", folder.mailbox_name())))
}

/// A folder in the side list, with its counts.
#[derive(Debug, Clone)]
pub struct FolderLink {
    pub slug: &'static str,
    pub label: &'static str,
    pub total: u32,
    pub unseen: u32,
    pub current: bool,
}

/// The four folders of `account` with their counts, in display order (one query).
pub async fn folder_links(
    state: &AppState,
    account: &str,
    current: Option<Folder>,
) -> Result<Vec<FolderLink>, WebError> {
    let mut counts: Vec<FolderCount> = state.db.folder_counts(account).await?;
    if counts.len() < Folder::ALL.len() {
        state.db.ensure_default_mailboxes(account).await?;
        counts = state.db.folder_counts(account).await?;
    }
    Ok(Folder::ALL
        .into_iter()
        .map(|f| {
            let c = counts
                .iter()
                .find(|c| Folder::of_mailbox_name(&c.name) == Some(f));
            FolderLink {
                slug: f.slug(),
                label: f.label(),
                total: c.map(|c| c.total).unwrap_or(0),
                unseen: c.map(|c| c.unseen).unwrap_or(0),
                current: current == Some(f),
            }
        })
        .collect())
}

/// One row of a list page, ready for the template.
#[derive(Debug, Clone)]
pub struct Row {
    pub uid: u32,
    pub seen: bool,
    /// Sender (received folders) or recipients (Envoyés).
    pub who: String,
    pub subject: String,
    pub snippet: String,
    pub date_text: String,
    pub size_text: String,
    pub has_attachments: bool,
    pub end_of_conversation: bool,
}

/// One page of a folder.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<Row>,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    pub total: u32,
}

/// Page `page` (1-based) of `folder` of `account`.
pub async fn page(
    state: &AppState,
    account: &str,
    mailbox: &Mailbox,
    folder: Folder,
    total: u32,
    page: u32,
) -> Result<Page, WebError> {
    let size = u32::try_from(state.settings.page_size.clamp(5, 200)).unwrap_or(50);
    let pages = total.div_ceil(size).max(1);
    let page = page.clamp(1, pages);
    let listed = state
        .db
        .list_page(mailbox.id, (page - 1) * size, size, account)
        .await?;
    let now = state.now();
    let mut rows = Vec::with_capacity(listed.len());
    for m in listed {
        let summary = match &m.summary {
            Some(s) => s.clone(),
            None => fill_summary(state, &m).await?,
        };
        rows.push(row(&m, &summary, folder, now));
    }
    Ok(Page {
        rows,
        page,
        pages,
        total,
    })
}

/// Parses the blob of a message listed without a summary and stores its summary.
async fn fill_summary(state: &AppState, m: &ListedMessage) -> Result<Summary, WebError> {
    let raw = match state.blobs.get(&m.blob).await {
        Ok(raw) => raw,
        Err(e) => {
            // A missing blob must not take the whole list down; the row says so.
            tracing::warn!(error = %e, uid = m.uid, "blob of a listed message unreadable");
            return Ok(Summary {
                subject: "(message illisible)".into(),
                ..Summary::default()
            });
        }
    };
    let summary = smtp::pipeline::summary::summarize(&raw);
    state.db.put_summary(&m.blob, &summary).await?;
    Ok(summary)
}

fn row(m: &ListedMessage, s: &Summary, folder: Folder, now: i64) -> Row {
    let who = if folder == Folder::Envoyes {
        format!("À : {}", s.to_text)
    } else if s.from_name.trim().is_empty() {
        s.from_address.clone()
    } else {
        s.from_name.clone()
    };
    Row {
        uid: m.uid,
        seen: m.seen,
        who,
        subject: if s.subject.trim().is_empty() {
            "(sans objet)".into()
        } else {
            s.subject.clone()
        },
        snippet: s.snippet.clone(),
        date_text: date_short_fr(s.sent_at.unwrap_or(m.internal_date), now),
        size_text: size_fr(m.size),
        has_attachments: s.has_attachments,
        end_of_conversation: s.end_of_conversation,
    }
}

#[cfg(test)]
mod tests {
    use super::Folder;

    #[test]
    fn folder_slugs_round_trip() {
        for f in Folder::ALL {
            assert_eq!(Folder::from_slug(f.slug()), Some(f));
        }
        assert_eq!(Folder::from_slug("INBOX"), None);
    }
}
