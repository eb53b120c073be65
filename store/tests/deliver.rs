//! Local delivery on both backends: several recipients in one transaction (all or none), and
//! group commit of concurrent deliveries.

use std::collections::BTreeSet;
use std::time::Duration;

use store::testing::for_each_backend;
use store::{BatchConfig, BlobId, DeliveryBatcher, UidSet};

#[tokio::test]
async fn one_message_to_several_accounts_in_one_transaction() {
    for_each_backend(|db| async move {
        let blob = BlobId::of(b"Subject: resultats\r\n\r\n...");
        let rcpts = ["a@x.example", "B@X.example", "c@x.example", "b@x.example"];
        let got = db.deliver(&blob, 42, &rcpts).await.unwrap();
        let accounts: Vec<&str> = got.iter().map(|d| d.account.as_str()).collect();
        assert_eq!(
            accounts,
            ["a@x.example", "b@x.example", "c@x.example"],
            "lower-cased, deduplicated"
        );
        for d in &got {
            assert_eq!((d.uid, d.modseq), (1, 2));
            let inbox = db.find_mailbox(&d.account, "INBOX").await.unwrap().unwrap();
            assert_eq!(inbox.id, d.mailbox_id);
            let msgs = db
                .fetch_messages(d.mailbox_id, &UidSet::all(), &d.account)
                .await
                .unwrap();
            assert_eq!(msgs.len(), 1);
            assert_eq!((msgs[0].blob.clone(), msgs[0].size), (blob.clone(), 42));
            assert!(msgs[0].flags.is_empty());
            // First delivery created every default folder.
            assert_eq!(db.list_mailboxes(&d.account).await.unwrap().len(), 5);
        }
        let again = db.deliver(&blob, 42, &["a@x.example"]).await.unwrap();
        assert_eq!((again[0].uid, again[0].modseq), (2, 3));
    })
    .await;
}

#[tokio::test]
async fn a_failing_recipient_rolls_back_every_recipient() {
    for_each_backend(|db| async move {
        db.ensure_default_mailboxes("full@x.example").await.unwrap();
        // Exhaust the UIDs of one INBOX (RFC 9051: UIDs are 32-bit).
        sqlx::query("UPDATE mailboxes SET uidnext = 4294967296 WHERE account = 'full@x.example' AND name = 'INBOX'")
            .execute(db.pool())
            .await
            .unwrap();
        let blob = BlobId::of(b"m");
        let err = db.deliver(&blob, 1, &["ok@x.example", "full@x.example"]).await;
        assert!(matches!(err, Err(store::StoreError::UidsExhausted(_))), "{err:?}");
        assert!(db.find_mailbox("ok@x.example", "INBOX").await.unwrap().is_none(), "nothing committed");
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_deliveries_share_transactions() {
    for_each_backend(|db| async move {
        let mut config = BatchConfig::for_backend(db.backend());
        config.max_wait = Duration::from_millis(5);
        let batcher = DeliveryBatcher::start(db.clone(), config);
        let mut tasks = Vec::new();
        for i in 0..50 {
            let b = batcher.clone();
            tasks.push(tokio::spawn(async move {
                let blob = BlobId::of(format!("message {i}").as_bytes());
                b.deliver(
                    &blob,
                    100,
                    &[
                        "dr.house@medecin.x.example",
                        &format!("p{}@x.example", i % 5),
                    ],
                )
                .await
            }));
        }
        let mut uids = BTreeSet::new();
        for t in tasks {
            let got = t.await.unwrap().unwrap();
            assert_eq!(got.len(), 2);
            assert!(uids.insert(got[0].uid), "UID {} given twice", got[0].uid);
        }
        assert_eq!(uids, (1..=50).collect::<BTreeSet<u32>>());
        let inbox = db
            .find_mailbox("dr.house@medecin.x.example", "INBOX")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            db.uids(inbox.id).await.unwrap(),
            (1..=50).collect::<Vec<u32>>()
        );
        for p in 0..5 {
            let m = db
                .find_mailbox(&format!("p{p}@x.example"), "INBOX")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(db.uids(m.id).await.unwrap(), (1..=10).collect::<Vec<u32>>());
        }
        let (transactions, requests) = batcher.stats();
        assert_eq!(requests, 50);
        assert!(
            transactions < 50,
            "group commit did not batch: {transactions} transactions"
        );
        eprintln!(
            "{:?}: 50 deliveries in {transactions} transactions",
            db.backend()
        );
    })
    .await;
}

/// Measurement, run by hand: `cargo test -p store --release --test deliver -- --ignored --nocapture`.
/// 400 deliveries from 50 concurrent senders, each in its own transaction vs group-committed.
#[tokio::test]
#[ignore]
async fn measure_group_commit_gain() {
    for_each_backend(|db| async move {
        let run = |batched: Option<DeliveryBatcher>, tag: &'static str| {
            let db = db.clone();
            async move {
                let start = std::time::Instant::now();
                let mut tasks = Vec::new();
                for s in 0..50 {
                    let (db, b) = (db.clone(), batched.clone());
                    tasks.push(tokio::spawn(async move {
                        for i in 0..8 {
                            let blob = BlobId::of(format!("{tag}{s}-{i}").as_bytes());
                            let rcpt = format!("{tag}{}@x.example", s % 10);
                            match &b {
                                Some(b) => b.deliver(&blob, 1000, &[&rcpt]).await.unwrap(),
                                None => db.deliver(&blob, 1000, &[&rcpt]).await.unwrap(),
                            };
                        }
                    }));
                }
                for t in tasks {
                    t.await.unwrap();
                }
                400.0 / start.elapsed().as_secs_f64()
            }
        };
        let direct = run(None, "d").await;
        let batcher = DeliveryBatcher::start(db.clone(), BatchConfig::for_backend(db.backend()));
        let grouped = run(Some(batcher.clone()), "g").await;
        eprintln!(
            "{:?}: {direct:.0} deliveries/s one transaction each, {grouped:.0}/s group-committed {:?}",
            db.backend(),
            batcher.stats()
        );
        assert!(grouped > direct, "group commit should be faster");
    })
    .await;
}
