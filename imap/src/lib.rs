//! `imap`: the IMAP server for professionals and organisations (993 implicit TLS, 143 STARTTLS),
//! on `imap-codec` + `imap-next`. See `docs/imap-plan.md`.
//!
//! Layout: `listener.rs` accepts (TLS, STARTTLS, per-IP slots), `session.rs` drives one
//! connection on imap-next, `commands/<group>.rs` hold the `handle_<command>` methods,
//! `selected.rs` the sequence-number map of a selected mailbox, `hub.rs` the change fan-out.

pub mod cache;
pub mod capabilities;
mod commands;
pub mod fetch;
pub mod hub;
pub mod limits;
pub mod listener;
pub mod mutf7;
pub mod names;
mod respond;
pub mod search;
pub mod selected;
pub mod session;
pub mod settings;

use std::sync::Arc;

pub use hub::MailboxHub;
pub use listener::{ListenerKind, serve};
pub use settings::ImapSettings;

/// Everything a connection needs, shared by every session of the process.
pub struct ImapShared {
    pub settings: ImapSettings,
    pub db: store::Db,
    pub blobs: store::BlobStore,
    pub tls: tokio_rustls::TlsAcceptor,
    /// Our domains (citizen + professional), for `directory::principal`.
    pub local_domains: Vec<String>,
    pub hub: MailboxHub,
    pub limits: limits::Limits,
    /// What FETCH and SEARCH derived from message bytes, per blob (see `cache`).
    pub cache: cache::ContentCache,
}

impl ImapShared {
    /// Builds the shared state and starts the change hub (one store subscription per process).
    pub async fn new(
        settings: ImapSettings,
        db: store::Db,
        blobs: store::BlobStore,
        tls: tokio_rustls::TlsAcceptor,
        local_domains: Vec<String>,
    ) -> Result<Arc<ImapShared>, store::StoreError> {
        let hub = MailboxHub::start(&db).await?;
        Ok(Arc::new(ImapShared {
            settings,
            db,
            blobs,
            tls,
            local_domains,
            hub,
            limits: limits::Limits::default(),
            cache: cache::ContentCache::default(),
        }))
    }
}
