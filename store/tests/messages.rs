//! Messages on both backends: UID/MODSEQ allocation under concurrency, flags (with per-user
//! \Seen), UNCHANGEDSINCE, expunge with tombstones, copy and move.

use store::testing::for_each_backend;
use store::{BlobId, Db, Flag, FlagMode, Flags, UidSet};

const A: &str = "a@medecin.mssante.example";

fn flags(list: &[&str]) -> Flags {
    Flags::parse(list).unwrap()
}

async fn inbox(db: &Db, account: &str) -> i64 {
    db.ensure_default_mailboxes(account).await.unwrap()[0].id
}

async fn append_n(db: &Db, mailbox: i64, n: usize) {
    for i in 0..n {
        let blob = BlobId::of(format!("message {i}").as_bytes());
        db.append(mailbox, &blob, 10, &Flags::new(), 1_700_000_000, A)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn concurrent_appends_get_distinct_increasing_uids_and_modseqs() {
    for_each_backend(|db| async move {
        let mbox = inbox(&db, A).await;
        let mut tasks = Vec::new();
        for t in 0..8 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                for i in 0..10 {
                    let blob = BlobId::of(format!("{t}-{i}").as_bytes());
                    let a = db
                        .append(mbox, &blob, 5, &Flags::new(), 0, A)
                        .await
                        .unwrap();
                    got.push((a.uid, a.modseq));
                }
                got
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            let got = t.await.unwrap();
            // Within one writer both numbers strictly increase.
            assert!(got.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
            all.extend(got);
        }
        all.sort_unstable();
        let uids: Vec<u32> = all.iter().map(|x| x.0).collect();
        assert_eq!(uids, (1..=80).collect::<Vec<u32>>());
        // UID order and MODSEQ order agree: both come from the same locked row update.
        assert!(all.windows(2).all(|w| w[0].1 < w[1].1));
        let st = db.mailbox_status(mbox, A).await.unwrap();
        assert_eq!((st.exists, st.uidnext, st.highestmodseq), (80, 81, 81));
        assert_eq!(db.uids(mbox).await.unwrap().len(), 80);
    })
    .await;
}

#[tokio::test]
async fn store_flags_modes_and_unchanged_since() {
    for_each_backend(|db| async move {
        let mbox = inbox(&db, A).await;
        append_n(&db, mbox, 3).await; // modseqs 2, 3, 4
        let all = UidSet::all();
        let r = db
            .store_flags(
                mbox,
                &UidSet::from_uids(&[1, 2]),
                FlagMode::Add,
                &flags(&["\\Seen", "$Label1"]),
                None,
                A,
            )
            .await
            .unwrap();
        assert_eq!(r.updated.iter().map(|m| m.uid).collect::<Vec<_>>(), [1, 2]);
        assert!(r.updated.iter().all(|m| m.modseq == 5));
        assert_eq!(r.highestmodseq, 5);

        // Nothing changes: no MODSEQ bump.
        let r = db
            .store_flags(
                mbox,
                &UidSet::from_uids(&[1]),
                FlagMode::Add,
                &flags(&["\\Seen"]),
                None,
                A,
            )
            .await
            .unwrap();
        assert!(r.updated.is_empty());
        assert_eq!(r.highestmodseq, 5);
        assert_eq!(db.mailbox_status(mbox, A).await.unwrap().highestmodseq, 5);

        // UNCHANGEDSINCE 4: messages 1 and 2 (modseq 5) are MODIFIED, 3 (modseq 4) is stored.
        let r = db
            .store_flags(
                mbox,
                &all,
                FlagMode::Add,
                &flags(&["\\Flagged"]),
                Some(4),
                A,
            )
            .await
            .unwrap();
        assert_eq!(r.modified, vec![1, 2]);
        assert_eq!(
            r.updated
                .iter()
                .map(|m| (m.uid, m.modseq))
                .collect::<Vec<_>>(),
            [(3, 6)]
        );

        let r = db
            .store_flags(mbox, &all, FlagMode::Remove, &flags(&["$label1"]), None, A)
            .await
            .unwrap();
        assert_eq!(r.updated.len(), 2);
        let r = db
            .store_flags(
                mbox,
                &UidSet::from_uids(&[3]),
                FlagMode::Replace,
                &flags(&["\\Draft"]),
                None,
                A,
            )
            .await
            .unwrap();
        assert_eq!(r.updated[0].flags, flags(&["\\Draft"]));

        let msgs = db.fetch_messages(mbox, &all, A).await.unwrap();
        let shown: Vec<String> = msgs.iter().map(|m| m.flags.to_string()).collect();
        assert_eq!(shown, ["(\\Seen)", "(\\Seen)", "(\\Draft)"]);
        let st = db.mailbox_status(mbox, A).await.unwrap();
        assert_eq!((st.unseen, st.first_unseen), (1, Some(3)));

        // CHANGEDSINCE 6: only what the last two STOREs touched.
        let ch = db.changes_since(mbox, 6, A).await.unwrap();
        let changed: Vec<(u32, u64)> = ch.changed.iter().map(|m| (m.uid, m.modseq)).collect();
        assert_eq!(changed, [(1, 7), (2, 7), (3, 8)]);
        assert_eq!(ch.highestmodseq, 8);
        assert!(ch.vanished.is_empty());
    })
    .await;
}

#[tokio::test]
async fn shared_mailbox_keeps_seen_per_user() {
    for_each_backend(|db| async move {
        let org = "pharmacie.centrale@pharmacie.mssante.example";
        let (u1, u2) = (
            "p1@pharmacien.mssante.example",
            "p2@pharmacien.mssante.example",
        );
        db.set_account_shared(org, true).await.unwrap();
        let delivered = db
            .deliver(&BlobId::of(b"ordonnance"), 100, &[org])
            .await
            .unwrap();
        let mbox = delivered[0].mailbox_id;
        assert!(db.mailbox(mbox).await.unwrap().unwrap().shared);
        db.deliver(&BlobId::of(b"ordonnance 2"), 100, &[org])
            .await
            .unwrap();

        db.store_flags(
            mbox,
            &UidSet::from_uids(&[1]),
            FlagMode::Add,
            &flags(&["\\Seen", "\\Flagged"]),
            None,
            u1,
        )
        .await
        .unwrap();
        let as_u1 = db.fetch_messages(mbox, &UidSet::all(), u1).await.unwrap();
        let as_u2 = db.fetch_messages(mbox, &UidSet::all(), u2).await.unwrap();
        assert!(as_u1[0].flags.contains(&Flag::Seen));
        assert!(!as_u2[0].flags.contains(&Flag::Seen), "\\Seen is per user");
        assert!(
            as_u2[0].flags.contains(&Flag::Flagged),
            "other flags are shared"
        );
        assert_eq!(db.mailbox_status(mbox, u1).await.unwrap().unseen, 1);
        let s2 = db.mailbox_status(mbox, u2).await.unwrap();
        assert_eq!((s2.unseen, s2.first_unseen), (2, Some(1)));

        // u2 reads message 2 via APPEND-like path and STORE; u1 unseen-s message 1.
        db.store_flags(
            mbox,
            &UidSet::from_uids(&[2]),
            FlagMode::Add,
            &flags(&["\\Seen"]),
            None,
            u2,
        )
        .await
        .unwrap();
        db.store_flags(
            mbox,
            &UidSet::from_uids(&[1]),
            FlagMode::Remove,
            &flags(&["\\Seen"]),
            None,
            u1,
        )
        .await
        .unwrap();
        assert_eq!(db.mailbox_status(mbox, u1).await.unwrap().unseen, 2);
        assert_eq!(db.mailbox_status(mbox, u2).await.unwrap().unseen, 1);

        // A non-shared mailbox keeps one \Seen for everyone.
        let own = inbox(&db, A).await;
        append_n(&db, own, 1).await;
        db.store_flags(
            own,
            &UidSet::all(),
            FlagMode::Add,
            &flags(&["\\Seen"]),
            None,
            u1,
        )
        .await
        .unwrap();
        assert!(
            db.fetch_messages(own, &UidSet::all(), u2).await.unwrap()[0]
                .flags
                .contains(&Flag::Seen)
        );
    })
    .await;
}

#[tokio::test]
async fn expunge_leaves_tombstones_and_never_reuses_uids() {
    for_each_backend(|db| async move {
        let mbox = inbox(&db, A).await;
        append_n(&db, mbox, 4).await; // highestmodseq 5
        db.store_flags(
            mbox,
            &UidSet::from_uids(&[2, 3, 4]),
            FlagMode::Add,
            &flags(&["\\Deleted"]),
            None,
            A,
        )
        .await
        .unwrap(); // 6
        // UID EXPUNGE 2:3 only.
        let e = db
            .expunge(mbox, Some(&UidSet::from_ranges([2..=3])))
            .await
            .unwrap();
        assert_eq!((e.uids, e.highestmodseq), (vec![2, 3], 7));
        let e = db.expunge(mbox, None).await.unwrap();
        assert_eq!((e.uids, e.highestmodseq), (vec![4], 8));
        let e = db.expunge(mbox, None).await.unwrap();
        assert!(e.uids.is_empty());
        assert_eq!(e.highestmodseq, 8, "nothing expunged, no bump");

        assert_eq!(db.uids(mbox).await.unwrap(), vec![1]);
        let ch = db.changes_since(mbox, 6, A).await.unwrap();
        assert_eq!(ch.vanished, vec![2, 3, 4]);
        let ch = db.changes_since(mbox, 7, A).await.unwrap();
        assert_eq!(ch.vanished, vec![4]);
        assert!(ch.changed.is_empty());

        append_n(&db, mbox, 1).await;
        assert_eq!(
            db.uids(mbox).await.unwrap(),
            vec![1, 5],
            "UIDs are never reused"
        );
    })
    .await;
}

#[tokio::test]
async fn copy_and_move_are_atomic_and_keep_flags() {
    for_each_backend(|db| async move {
        let boxes = db.ensure_default_mailboxes(A).await.unwrap();
        let (inbox, archive, trash) = (boxes[0].id, boxes[1].id, boxes[4].id);
        append_n(&db, inbox, 3).await;
        db.store_flags(
            inbox,
            &UidSet::from_uids(&[2]),
            FlagMode::Add,
            &flags(&["\\Flagged", "$Urgent"]),
            None,
            A,
        )
        .await
        .unwrap();

        let c = db
            .copy_messages(inbox, archive, &UidSet::from_ranges([2..=3]), A)
            .await
            .unwrap();
        assert_eq!(c.mapping, vec![(2, 1), (3, 2)]);
        assert_eq!(c.uidvalidity, boxes[1].uidvalidity);
        let copied = db.fetch_messages(archive, &UidSet::all(), A).await.unwrap();
        assert_eq!(copied[0].flags, flags(&["\\Flagged", "$Urgent"]));
        let src = db
            .fetch_messages(inbox, &UidSet::from_uids(&[2]), A)
            .await
            .unwrap();
        assert_eq!(copied[0].blob, src[0].blob, "copies share the blob");
        assert_eq!(
            db.uids(inbox).await.unwrap(),
            vec![1, 2, 3],
            "copy leaves the source"
        );

        let before = db.mailbox_status(inbox, A).await.unwrap().highestmodseq;
        let m = db
            .move_messages(inbox, trash, &UidSet::from_uids(&[1, 3, 99]), A)
            .await
            .unwrap();
        assert_eq!(m.mapping, vec![(1, 1), (3, 2)]);
        assert_eq!(db.uids(inbox).await.unwrap(), vec![2]);
        assert_eq!(db.uids(trash).await.unwrap(), vec![1, 2]);
        let ch = db.changes_since(inbox, before, A).await.unwrap();
        assert_eq!(ch.vanished, vec![1, 3]);

        // Nothing matches: nothing happens.
        let none = db
            .move_messages(inbox, trash, &UidSet::from_uids(&[42]), A)
            .await
            .unwrap();
        assert!(none.mapping.is_empty());
        // Unknown destination: an error, and the source is untouched.
        assert!(
            db.move_messages(inbox, 999_999, &UidSet::all(), A)
                .await
                .is_err()
        );
        assert_eq!(db.uids(inbox).await.unwrap(), vec![2]);
    })
    .await;
}

/// RFC 3501 §2.3.2: each message is `\Recent` in one session only, the first to claim it; a
/// later claim gets only what arrived since.
#[tokio::test]
async fn recent_is_claimed_once() {
    for_each_backend(|db| async move {
        let mbox = inbox(&db, A).await;
        append_n(&db, mbox, 2).await;
        assert_eq!(db.claim_recent(mbox).await.unwrap(), 1..3);
        assert!(db.claim_recent(mbox).await.unwrap().is_empty());
        append_n(&db, mbox, 1).await;
        assert_eq!(db.claim_recent(mbox).await.unwrap(), 3..4);
        assert!(db.claim_recent(mbox).await.unwrap().is_empty());
    })
    .await;
}

/// The FLAGS response lists the keywords in use (RFC 9051 §7.3.5), each once whatever its case.
#[tokio::test]
async fn keywords_in_use() {
    for_each_backend(|db| async move {
        let mbox = inbox(&db, A).await;
        assert!(db.mailbox_keywords(mbox).await.unwrap().is_empty());
        for (i, kw) in [&["$Label1", "Urgent"][..], &["urgent"], &[]]
            .iter()
            .enumerate()
        {
            let blob = BlobId::of(format!("kw {i}").as_bytes());
            db.append(mbox, &blob, 10, &flags(kw), 0, A).await.unwrap();
        }
        assert_eq!(
            db.mailbox_keywords(mbox).await.unwrap(),
            ["$Label1", "Urgent"]
        );
    })
    .await;
}
