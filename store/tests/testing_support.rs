//! The test support itself: both backends come up, each test gets its own empty database.

use store::testing::{TempPostgres, TestDb, for_each_backend};
use store::{Backend, Db};

#[tokio::test]
async fn both_backends_run_and_are_migrated() {
    let mut seen = Vec::new();
    for_each_backend(|db| {
        seen.push(db.backend());
        async move {
            let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mailboxes")
                .fetch_one(db.pool())
                .await
                .expect("the mail schema is migrated");
            assert_eq!(row.0, 0, "a fresh database is empty");
            // A second handle on the same database sees the same data.
            let other = Db::connect(db.url()).await.expect("second handle");
            assert_eq!(other.backend(), db.backend());
            other.close().await;
        }
    })
    .await;
    assert_eq!(seen, vec![Backend::Sqlite, Backend::Postgres]);
}

#[tokio::test]
async fn each_temp_postgres_is_its_own_database() {
    let a = TempPostgres::new().await.expect("first database");
    let b = TempPostgres::new().await.expect("second database");
    assert_ne!(a.url(), b.url());
    let da = Db::connect(a.url()).await.expect("connect a");
    let db = Db::connect(b.url()).await.expect("connect b");
    sqlx::query("CREATE TABLE only_in_a (x BIGINT)")
        .execute(da.pool())
        .await
        .expect("create");
    let in_b = sqlx::query("SELECT x FROM only_in_a")
        .fetch_all(db.pool())
        .await;
    assert!(in_b.is_err(), "databases must be isolated");
    da.close().await;
    db.close().await;
}

#[tokio::test]
async fn dropping_temp_postgres_drops_the_database() {
    let t = TestDb::new(Backend::Postgres).await.expect("test db");
    let url = t.url().to_string();
    drop(t);
    assert!(
        Db::connect(&url).await.is_err(),
        "the database should be gone after drop"
    );
}
