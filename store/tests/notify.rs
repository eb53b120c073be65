//! Change notifications: in process on both backends, and across nodes on PostgreSQL.

use std::time::Duration;

use store::testing::{TestDb, for_each_backend};
use store::{Backend, BlobId, ChangeKind, Db, FlagMode, Flags, UidSet};
use tokio::sync::broadcast::Receiver;
use tokio::time::timeout;

async fn next(rx: &mut Receiver<store::Change>) -> store::Change {
    timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a change within 10 s")
        .expect("channel open")
}

#[tokio::test]
async fn committed_changes_are_published_in_process() {
    for_each_backend(|db| async move {
        let mut rx = db.subscribe().await.unwrap();
        let d = db
            .deliver(&BlobId::of(b"m"), 1, &["a@x.example"])
            .await
            .unwrap();
        // First delivery creates the five folders, then appends.
        let mut kinds = Vec::new();
        for _ in 0..6 {
            kinds.push(next(&mut rx).await);
        }
        assert_eq!(
            kinds
                .iter()
                .filter(|c| c.kind == ChangeKind::Mailbox)
                .count(),
            5
        );
        let append = kinds.iter().find(|c| c.kind == ChangeKind::Append).unwrap();
        assert_eq!(
            (append.account.as_str(), append.mailbox_id, append.modseq),
            ("a@x.example", d[0].mailbox_id, 2)
        );

        db.store_flags(
            d[0].mailbox_id,
            &UidSet::all(),
            FlagMode::Add,
            &Flags::parse(&["\\Deleted"]).unwrap(),
            None,
            "a@x.example",
        )
        .await
        .unwrap();
        let c = next(&mut rx).await;
        assert_eq!((c.kind, c.modseq), (ChangeKind::Flags, 3));
        db.expunge(d[0].mailbox_id, None).await.unwrap();
        assert_eq!(next(&mut rx).await.kind, ChangeKind::Expunge);

        // A rolled-back write publishes nothing.
        db.store_flags(
            d[0].mailbox_id,
            &UidSet::all(),
            FlagMode::Add,
            &Flags::parse(&["\\Seen"]).unwrap(),
            None,
            "a@x.example",
        )
        .await
        .unwrap();
        assert!(
            timeout(Duration::from_millis(300), rx.recv())
                .await
                .is_err()
        );
    })
    .await;
}

#[tokio::test]
async fn postgres_nodes_see_each_others_changes_once() {
    let t = TestDb::new(Backend::Postgres).await.unwrap();
    let node1 = t.db().clone();
    let node2 = Db::connect(t.url()).await.unwrap();
    let mut rx1 = node1.subscribe().await.unwrap();
    let mut rx2 = node2.subscribe().await.unwrap();
    assert_ne!(node1.notifier().node_id(), node2.notifier().node_id());

    node1.ensure_default_mailboxes("a@x.example").await.unwrap();
    for _ in 0..5 {
        assert_eq!(next(&mut rx2).await.kind, ChangeKind::Mailbox);
        assert_eq!(next(&mut rx1).await.kind, ChangeKind::Mailbox);
    }
    let d = node1
        .deliver(&BlobId::of(b"m"), 1, &["a@x.example"])
        .await
        .unwrap();
    let on2 = next(&mut rx2).await;
    assert_eq!(
        (on2.kind, on2.mailbox_id, on2.modseq),
        (ChangeKind::Append, d[0].mailbox_id, 2)
    );
    assert_eq!(next(&mut rx1).await, on2, "same change locally");

    // And the other way round.
    node2
        .store_flags(
            d[0].mailbox_id,
            &UidSet::all(),
            FlagMode::Add,
            &Flags::parse(&["\\Seen"]).unwrap(),
            None,
            "a@x.example",
        )
        .await
        .unwrap();
    assert_eq!(next(&mut rx1).await.kind, ChangeKind::Flags);
    assert_eq!(next(&mut rx2).await.kind, ChangeKind::Flags);

    // Nobody gets a change twice (a node drops the echo of its own NOTIFY).
    assert!(
        timeout(Duration::from_millis(500), rx1.recv())
            .await
            .is_err()
    );
    assert!(
        timeout(Duration::from_millis(500), rx2.recv())
            .await
            .is_err()
    );
    node2.close().await;
}
