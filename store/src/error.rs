use thiserror::Error;

/// Errors of the store. Messages name what failed so an operator can act on them.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("blob store I/O error on {path}: {source}")]
    BlobIo {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("mailbox `{0}` does not exist")]
    MailboxNotFound(String),
    #[error("mailbox `{0}` already exists")]
    MailboxExists(String),
    #[error("blob {0} is missing from the blob store")]
    BlobMissing(String),
    #[error("blob {id} is corrupt: its content hashes to {actual}")]
    BlobCorrupt { id: String, actual: String },
    #[error("mailbox {0} is full: UIDs exhausted, it must be recreated with a new UIDVALIDITY")]
    UidsExhausted(i64),
    #[error("the delivery batcher has stopped")]
    BatcherStopped,
}
