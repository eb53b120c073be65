//! Test support: a throwaway PostgreSQL server and a helper that runs one test body on both backends.
//!
//! Enabled by the cargo feature `testing`; other crates add it to their dev-dependencies:
//!
//! ```toml
//! [dev-dependencies]
//! store = { workspace = true, features = ["testing"] }
//! ```
//!
//! ```no_run
//! use store::testing::{for_each_backend, TempPostgres, TestDb};
//! use store::Backend;
//!
//! #[tokio::test]
//! async fn my_table_works() {
//!     // Runs the body twice: on a fresh SQLite file, then on a fresh PostgreSQL database.
//!     for_each_backend(|db| async move {
//!         sqlx::query("SELECT 1").execute(db.pool()).await.expect("query");
//!         // A second handle on the same database (another "node"):
//!         let other = store::Db::connect(db.url()).await.expect("second handle");
//!         drop(other);
//!     })
//!     .await;
//! }
//!
//! #[tokio::test]
//! async fn postgres_only() {
//!     let pg = TempPostgres::new().await.expect("temp postgres"); // own database, dropped on Drop
//!     let db = store::Db::connect(pg.url()).await.expect("connect");
//!     // or: let t = TestDb::new(Backend::Postgres).await?; t.db() …
//!     drop(db);
//! }
//! ```
//!
//! One PostgreSQL server is started per test process (lazily, on first use) from the distribution's
//! binaries (`/usr/lib/postgresql/*/bin`, or `$SANTEMAIL_PG_BIN`), with fsync ON so durability tests
//! mean something. Each [`TempPostgres`] is its own `CREATE DATABASE` on it. The server and its folder
//! are removed when the test process exits (a small watchdog process waits for our end of a pipe to
//! close, which also happens on a crash). Set `SANTEMAIL_TEST_POSTGRES_URL=postgres://user@host/db`
//! to use an existing server instead (the user must be allowed to create databases).
//! When the binaries are missing, tests FAIL with a message saying what to install: they never skip.

mod pg_server;

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, Executor};

use crate::StoreError;
use crate::db::{Backend, Db};

pub use pg_server::postgres_admin_url;

static DB_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh PostgreSQL database on the shared throwaway server, dropped (`WITH (FORCE)`) on Drop.
#[derive(Debug)]
pub struct TempPostgres {
    admin_url: String,
    name: String,
    url: String,
}

impl TempPostgres {
    /// Creates a new, empty database; starts the server on first use in this process.
    pub async fn new() -> Result<TempPostgres, StoreError> {
        let admin_url = postgres_admin_url()?;
        let name = format!(
            "santemail_test_{}_{}",
            std::process::id(),
            DB_COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = sqlx::postgres::PgConnection::connect(&admin_url).await?;
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await?;
        conn.close().await?;
        let url = replace_db_name(&admin_url, &name);
        Ok(TempPostgres {
            admin_url,
            name,
            url,
        })
    }

    /// `postgres://…/<this database>`, for [`Db::connect`].
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        // Drop may run inside or outside a runtime: use a plain thread with its own small runtime.
        let admin = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt {
                rt.block_on(async move {
                    if let Ok(mut conn) = sqlx::postgres::PgConnection::connect(&admin).await {
                        let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
                        let _ = conn.close().await;
                    }
                });
            }
        });
        let _ = done.join();
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    // `postgres://user@host:port/db`: the database is after the first '/' following the authority.
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A migrated [`Db`] on a fresh database of either backend, with what keeps that database alive
/// (the SQLite temp folder or the PostgreSQL database). Dropping it removes the database.
#[derive(Debug)]
pub struct TestDb {
    db: Db,
    _sqlite_dir: Option<tempfile::TempDir>,
    _postgres: Option<TempPostgres>,
}

impl TestDb {
    /// A fresh database on `backend`: a new SQLite file in a temp folder, or a new PostgreSQL
    /// database on the shared throwaway server.
    pub async fn new(backend: Backend) -> Result<TestDb, StoreError> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().map_err(|source| StoreError::CreateDir {
                    path: std::env::temp_dir().display().to_string(),
                    source,
                })?;
                let url = format!("sqlite://{}/test.db", dir.path().display());
                let db = Db::connect(&url).await?;
                Ok(TestDb {
                    db,
                    _sqlite_dir: Some(dir),
                    _postgres: None,
                })
            }
            Backend::Postgres => {
                let pg = TempPostgres::new().await?;
                let db = Db::connect(pg.url()).await?;
                Ok(TestDb {
                    db,
                    _sqlite_dir: None,
                    _postgres: Some(pg),
                })
            }
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The URL of this database, to open more handles (more "nodes") on it.
    pub fn url(&self) -> &str {
        self.db.url()
    }
}

/// Both backends, in the order [`for_each_backend`] runs them.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// Runs `body` once on a fresh SQLite database and once on a fresh PostgreSQL database.
///
/// The `Db` given to the body is migrated; `db.url()` opens more handles on the same database.
/// A failure (panic) in the body fails the test; a line on stderr says which backend was running.
/// Setting up a backend that is not available (e.g. PostgreSQL binaries missing) panics with a
/// message saying what to install: the test fails, it is never skipped.
pub async fn for_each_backend<F, Fut>(mut body: F)
where
    F: FnMut(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in BACKENDS {
        eprintln!("-- running on {backend:?}");
        let test_db = match TestDb::new(backend).await {
            Ok(t) => t,
            Err(e) => panic!("cannot set up a {backend:?} test database: {e}"),
        };
        body(test_db.db.clone()).await;
        test_db.db.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::replace_db_name;

    #[test]
    fn database_name_is_replaced() {
        let cases = [
            ("postgres://u@h:5/postgres", "postgres://u@h:5/x"),
            ("postgres://u@h:5", "postgres://u@h:5/x"),
            (
                "postgres://u@h/db?sslmode=disable",
                "postgres://u@h/x?sslmode=disable",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(replace_db_name(input, "x"), want, "{input}");
        }
    }
}
