//! `store`: one database (SQLite by default, PostgreSQL by configuration), the durable blob store,
//! the mail model (mailboxes, messages, flags, UIDs, MODSEQ), the outbound queue and change
//! notifications (DESIGN §3, §5).
//!
//! Every query in the project goes through [`Db`], which wraps an `sqlx::AnyPool`. Queries are written
//! once with `$1, $2…` placeholders, which both SQLite and PostgreSQL accept; only the DDL differs, so
//! there is one migration folder per backend (`migrations/sqlite`, `migrations/postgres`).

pub mod db;
pub mod error;
pub mod notify;
#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Backend, Db};
pub use error::StoreError;
pub use notify::{Change, ChangeKind, Notifier};
