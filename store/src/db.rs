//! The database handle shared by every crate.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::StoreError;
use crate::notify::Notifier;

/// Which engine is behind the pool. Most code does not care; the few places that do (DDL,
/// `FOR UPDATE SKIP LOCKED`, LISTEN/NOTIFY) match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool on SQLite or PostgreSQL, migrated on open, with its change [`Notifier`].
/// Cheap to clone: clones share the pool and the notifier.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pool: AnyPool,
    backend: Backend,
    url: String,
    notifier: Notifier,
    /// Turn of this process's writers on SQLite (see [`Db::write_turn`]).
    writers: tokio::sync::Mutex<()>,
    /// Group commit of IMAP writes on SQLite (`crate::write_batch`), started on first use.
    pub(crate) write_batch:
        std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<crate::write_batch::WriteOp>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the URL: a PostgreSQL URL may carry a password.
        f.debug_struct("Db")
            .field("backend", &self.inner.backend)
            .finish_non_exhaustive()
    }
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    ///
    /// `sqlite://PATH` (or `sqlite:PATH`) creates the file and its folder; WAL journal and
    /// `synchronous=FULL` are set on every connection so a committed transaction survives a power
    /// loss (DESIGN §5: nothing acknowledged before it is durable).
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        install_default_drivers();
        let backend = backend_of(url)?;
        let max = if backend == Backend::Sqlite { 8 } else { 16 };
        let opts = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30));
        let pool = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(url);
                let opts = if path == ":memory:" {
                    // Each connection would get its own empty in-memory database.
                    opts.max_connections(1)
                } else {
                    opts
                };
                // A local file does not drop connections: no ping round trip to the
                // connection's worker thread before every query (a few % of IMAP's CPU).
                let opts = opts.test_before_acquire(false);
                if path != ":memory:"
                    && let Some(parent) = Path::new(&path).parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                        path: parent.display().to_string(),
                        source,
                    })?;
                }
                let url = format!("sqlite://{path}?mode=rwc");
                opts.after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                             PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await?
            }
            Backend::Postgres => opts.connect(url).await?,
        };
        let db = Db {
            inner: Arc::new(Inner {
                pool,
                backend,
                url: url.to_string(),
                notifier: Notifier::new(backend),
                writers: tokio::sync::Mutex::new(()),
                write_batch: std::sync::OnceLock::new(),
            }),
        };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self.inner.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.inner.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.inner.pool).await?,
        }
        Ok(())
    }

    pub(crate) fn inner_ref(&self) -> &Inner {
        &self.inner
    }

    pub(crate) fn inner_arc(&self) -> &Arc<Inner> {
        &self.inner
    }

    pub(crate) fn from_inner(inner: Arc<Inner>) -> Db {
        Db { inner }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.inner.pool
    }

    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// The URL this database was opened with (contains no secret for SQLite; for PostgreSQL the
    /// caller must not log it as is).
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// The change notifier of this handle (see [`Db::subscribe`](crate::notify)).
    pub fn notifier(&self) -> &Notifier {
        &self.inner.notifier
    }

    /// Begins a transaction meant to write. On SQLite it is `BEGIN IMMEDIATE`: the write lock is
    /// taken at once, so two writers queue on `busy_timeout` instead of failing with SQLITE_BUSY
    /// when a read lock would have to be upgraded. PostgreSQL serialises through row locks.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let tx = match self.inner.backend {
            Backend::Sqlite => self.inner.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.inner.pool.begin().await?,
        };
        Ok(tx)
    }

    /// On SQLite, the turn of this process's hot writers (STORE, APPEND, EXPUNGE, COPY/MOVE,
    /// deliveries, `\Recent`): taken before [`Db::begin_write`] and held until the transaction
    /// ends. SQLite has one writer anyway; queuing here, in order, instead of in `busy_timeout`
    /// keeps waiting writers from holding pool connections (which readers then wait for) and from
    /// sleeping in SQLite's busy back-off (up to 100 ms a try: the p99s). Other writers (other
    /// processes, less frequent paths) still meet on `busy_timeout`. `None` on PostgreSQL, which
    /// serialises a mailbox's writers on its row lock.
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.inner.backend {
            Backend::Sqlite => Some(self.inner.writers.lock().await),
            Backend::Postgres => None,
        }
    }

    /// Closes the pool and stops the cross-node listener, if any.
    pub async fn close(&self) {
        self.inner.notifier.shutdown();
        self.inner.pool.close().await;
    }
}

/// Current time as Unix seconds (the time type of every table, see docs/decisions.md).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Tells the backend from a database URL.
pub fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}

fn sqlite_path(url: &str) -> String {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let rest = rest.split('?').next().unwrap_or(rest);
    String::from_str(rest).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_detection() {
        assert_eq!(backend_of("sqlite://data/x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("sqlite:x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert!(backend_of("mysql://x").is_err());
        assert_eq!(sqlite_path("sqlite://data/x.db?mode=rwc"), "data/x.db");
        assert_eq!(sqlite_path("sqlite:///abs/x.db"), "/abs/x.db");
    }
}
