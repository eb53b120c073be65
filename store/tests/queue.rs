//! Outbound queue on both backends: two nodes never claim the same row, an expired lease is
//! claimed again, retries and failures.

use std::collections::BTreeSet;
use std::time::Duration;

use store::testing::for_each_backend;
use store::{BlobId, Db, QueueStatus};

const LEASE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn two_nodes_never_get_the_same_row() {
    for_each_backend(|db| async move {
        let blob = BlobId::of(b"outbound");
        let rcpts: Vec<String> = (0..40)
            .map(|i| format!("r{i}@autre-operateur.example"))
            .collect();
        let refs: Vec<&str> = rcpts.iter().map(String::as_str).collect();
        let ids = db
            .enqueue("msg-1", "a@x.example", &refs, &blob, 10, None)
            .await
            .unwrap();
        assert_eq!(ids.len(), 40);

        // Two handles = two nodes, each with two claiming tasks.
        let other = Db::connect(db.url()).await.unwrap();
        let mut tasks = Vec::new();
        for (n, handle) in [
            (0, db.clone()),
            (1, other.clone()),
            (2, db.clone()),
            (3, other.clone()),
        ] {
            tasks.push(tokio::spawn(async move {
                let node = format!("node-{n}");
                let mut mine = Vec::new();
                loop {
                    let got = handle.claim(&node, 3, LEASE).await.unwrap();
                    if got.is_empty() {
                        break;
                    }
                    for item in got {
                        assert_eq!(item.claimed_by.as_deref(), Some(node.as_str()));
                        assert_eq!((item.status, item.attempts), (QueueStatus::Delivering, 1));
                        mine.push(item.id);
                    }
                    tokio::task::yield_now().await;
                }
                mine
            }));
        }
        let mut seen = BTreeSet::new();
        for t in tasks {
            for id in t.await.unwrap() {
                assert!(seen.insert(id), "row {id} claimed twice");
            }
        }
        assert_eq!(seen, ids.iter().copied().collect::<BTreeSet<i64>>());
        other.close().await;
    })
    .await;
}

#[tokio::test]
async fn expired_lease_is_claimed_again_and_the_old_node_loses_the_row() {
    for_each_backend(|db| async move {
        let blob = BlobId::of(b"outbound");
        let ids = db
            .enqueue("m", "a@x.example", &["r@y.example"], &blob, 10, None)
            .await
            .unwrap();
        let now = store::db::now_unix();
        let item = db.queue_item(ids[0]).await.unwrap().unwrap();
        assert_eq!(item.status, QueueStatus::Queued);
        assert!(item.expires_at - item.created_at == 5 * 24 * 3600);

        let a = db.claim_at("node-a", 10, LEASE, now).await.unwrap();
        assert_eq!(a.len(), 1);
        assert!(
            db.claim_at("node-b", 10, LEASE, now + 30)
                .await
                .unwrap()
                .is_empty(),
            "lease still held"
        );
        // node-a died: after its lease, node-b takes the row.
        let b = db.claim_at("node-b", 10, LEASE, now + 61).await.unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(
            (b[0].attempts, b[0].claimed_by.as_deref()),
            (2, Some("node-b"))
        );
        assert!(
            !db.mark_delivered(ids[0], "node-a").await.unwrap(),
            "stale node cannot finish it"
        );
        assert!(db.mark_delivered(ids[0], "node-b").await.unwrap());
        let done = db.queue_item(ids[0]).await.unwrap().unwrap();
        assert_eq!(
            (done.status, done.claimed_by),
            (QueueStatus::Delivered, None)
        );
        assert!(
            db.claim_at("node-c", 10, LEASE, now + 10_000)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn retry_waits_for_its_time_and_failure_is_final() {
    for_each_backend(|db| async move {
        let blob = BlobId::of(b"outbound");
        let ids = db
            .enqueue(
                "m",
                "",
                &["r@y.example"],
                &blob,
                10,
                Some(Duration::from_secs(600)),
            )
            .await
            .unwrap();
        let now = store::db::now_unix();
        db.claim_at("n", 1, LEASE, now).await.unwrap();
        assert!(
            db.mark_retry(ids[0], "n", now + 300, "451 4.3.0 try later")
                .await
                .unwrap()
        );
        assert!(
            db.claim_at("n", 1, LEASE, now + 299)
                .await
                .unwrap()
                .is_empty()
        );
        let again = db.claim_at("n", 1, LEASE, now + 300).await.unwrap();
        assert_eq!(again[0].last_error.as_deref(), Some("451 4.3.0 try later"));
        assert_eq!(again[0].attempts, 2);
        assert!(again[0].expires_at <= now + 601);
        assert!(
            db.mark_failed(ids[0], "n", "550 5.1.1 no such user")
                .await
                .unwrap()
        );
        let item = db.queue_item(ids[0]).await.unwrap().unwrap();
        assert_eq!(item.status, QueueStatus::Failed);
        assert_eq!(item.last_error.as_deref(), Some("550 5.1.1 no such user"));
        assert!(
            db.claim_at("n", 1, LEASE, now + 100_000)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(db.queue_items_of_message("m").await.unwrap().len(), 1);
    })
    .await;
}
