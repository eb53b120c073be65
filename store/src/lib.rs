//! `store`: one database (SQLite by default, PostgreSQL by configuration), the durable blob store,
//! the mail model (mailboxes, messages, flags, UIDs, MODSEQ), the outbound queue and change
//! notifications (DESIGN §3, §5).
//!
//! Every query in the project goes through [`Db`], which wraps an `sqlx::AnyPool`. Queries are written
//! once with `$1, $2…` placeholders, which both SQLite and PostgreSQL accept; only the DDL differs, so
//! there is one migration folder per backend (`migrations/sqlite`, `migrations/postgres`).
//!
//! Order of a durable delivery (DESIGN §5): [`BlobStore::put`] (or a [`BlobWriter`]) first, then
//! [`Db::deliver`] / [`DeliveryBatcher::deliver`] / [`Db::enqueue`], and only then the `250`.

pub mod archive;
pub mod blob;
pub mod db;
pub mod deliver;
pub mod error;
pub mod flags;
pub mod mailbox;
mod mailbox_admin;
pub mod message;
mod message_ops;
pub mod notify;
pub mod queue;
pub mod subscriptions;
pub mod summary;
#[cfg(feature = "testing")]
pub mod testing;
pub mod uidset;
mod write_batch;

pub use blob::{BlobId, BlobStore, BlobWriter};
pub use db::{Backend, Db};
pub use deliver::{BatchConfig, Delivered, DeliveryBatcher, DeliveryRequest};
pub use error::StoreError;
pub use flags::{Flag, FlagMode, Flags};
pub use mailbox::{Mailbox, MailboxStatus, SpecialUse};
pub use message::{Appended, Changes, MessageMeta};
pub use message_ops::{Copied, Expunged, FlagsStored};
pub use notify::{Change, ChangeKind, Notifier};
pub use queue::{QueueItem, QueueStatus, QueuedRecipient};
pub use summary::{FolderCount, ListedMessage, Summary};
pub use uidset::UidSet;
