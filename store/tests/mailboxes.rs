//! Mailboxes on both backends: defaults, create/rename/delete/subscribe, UIDVALIDITY.

use store::testing::for_each_backend;
use store::{BlobId, Flags, SpecialUse, StoreError, UidSet};

#[tokio::test]
async fn default_mailboxes_are_created_once() {
    for_each_backend(|db| async move {
        let list = db
            .ensure_default_mailboxes("Jean.Dupont@Medecin.Mssante.Example")
            .await
            .unwrap();
        let names: Vec<&str> = list.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["INBOX", "Archive", "Drafts", "Sent", "Trash"]);
        let account = "jean.dupont@medecin.mssante.example";
        assert!(list.iter().all(|m| m.account == account));
        let uses: Vec<Option<SpecialUse>> = list.iter().map(|m| m.special_use).collect();
        assert_eq!(
            uses,
            [
                Some(SpecialUse::Inbox),
                Some(SpecialUse::Archive),
                Some(SpecialUse::Drafts),
                Some(SpecialUse::Sent),
                Some(SpecialUse::Trash)
            ]
        );
        for m in &list {
            assert_eq!((m.uidnext, m.highestmodseq), (1, 1), "{}", m.name);
            assert!(m.subscribed && !m.shared);
            assert!(m.uidvalidity > 0);
        }
        // Distinct UIDVALIDITY values (they come from one counter that only grows).
        let mut uv: Vec<u32> = list.iter().map(|m| m.uidvalidity).collect();
        uv.sort_unstable();
        uv.dedup();
        assert_eq!(uv.len(), 5);

        let again = db.ensure_default_mailboxes(account).await.unwrap();
        assert_eq!(again, list, "second call changes nothing");
        let inbox = db.find_mailbox(account, "inbox").await.unwrap().unwrap();
        assert_eq!(inbox.id, list[0].id);
        assert_eq!(db.mailbox(inbox.id).await.unwrap().unwrap(), inbox);
    })
    .await;
}

#[tokio::test]
async fn create_subscribe_and_delete() {
    for_each_backend(|db| async move {
        let a = "a@x.example";
        db.ensure_default_mailboxes(a).await.unwrap();
        let m = db.create_mailbox(a, "Patients/Dupont", None).await.unwrap();
        assert_eq!(m.name, "Patients/Dupont");
        assert!(matches!(
            db.create_mailbox(a, "Patients/Dupont", None).await,
            Err(StoreError::MailboxExists(_))
        ));
        assert!(matches!(
            db.create_mailbox(a, "bad//name", None).await,
            Err(StoreError::Invalid(_))
        ));
        // Another account may use the same name.
        db.create_mailbox("b@x.example", "Patients/Dupont", None)
            .await
            .unwrap();

        db.set_subscribed(a, "Patients/Dupont", false)
            .await
            .unwrap();
        assert!(
            !db.find_mailbox(a, "Patients/Dupont")
                .await
                .unwrap()
                .unwrap()
                .subscribed
        );
        assert!(matches!(
            db.set_subscribed(a, "Nope", true).await,
            Err(StoreError::MailboxNotFound(_))
        ));

        assert!(db.delete_mailbox(a, "INBOX").await.is_err());
        db.delete_mailbox(a, "Patients/Dupont").await.unwrap();
        assert!(
            db.find_mailbox(a, "Patients/Dupont")
                .await
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            db.delete_mailbox(a, "Patients/Dupont").await,
            Err(StoreError::MailboxNotFound(_))
        ));
        // Recreated under the same name: a new UIDVALIDITY (RFC 9051 §2.3.1.1).
        let again = db.create_mailbox(a, "Patients/Dupont", None).await.unwrap();
        assert!(again.uidvalidity > m.uidvalidity);
        assert_ne!(again.id, m.id);
    })
    .await;
}

/// RFC 9051 §6.3.4 and §6.3.7: CREATE does not subscribe; DELETE keeps the subscription of the
/// name until UNSUBSCRIBE, and a new mailbox of that name is subscribed again.
#[tokio::test]
async fn subscriptions_outlive_their_mailbox() {
    for_each_backend(|db| async move {
        let a = "sub@x.example";
        let m = db.create_mailbox(a, "Dossiers", None).await.unwrap();
        assert!(!m.subscribed, "CREATE does not subscribe");
        db.set_subscribed(a, "Dossiers", true).await.unwrap();
        db.delete_mailbox(a, "Dossiers").await.unwrap();
        assert_eq!(db.kept_subscriptions(a).await.unwrap(), ["Dossiers"]);
        // Created again: subscribed again, no longer a kept name.
        let m = db.create_mailbox(a, "Dossiers", None).await.unwrap();
        assert!(m.subscribed);
        assert!(db.kept_subscriptions(a).await.unwrap().is_empty());
        // Deleted again, then unsubscribed: gone; a second UNSUBSCRIBE is refused.
        db.delete_mailbox(a, "Dossiers").await.unwrap();
        db.set_subscribed(a, "Dossiers", false).await.unwrap();
        assert!(db.kept_subscriptions(a).await.unwrap().is_empty());
        assert!(matches!(
            db.set_subscribed(a, "Dossiers", false).await,
            Err(StoreError::MailboxNotFound(_))
        ));
        // An unsubscribed mailbox leaves nothing behind when deleted.
        db.create_mailbox(a, "Brouillons perso", None)
            .await
            .unwrap();
        db.delete_mailbox(a, "Brouillons perso").await.unwrap();
        assert!(db.kept_subscriptions(a).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn rename_moves_children_and_inbox_rename_moves_messages() {
    for_each_backend(|db| async move {
        let a = "a@x.example";
        db.ensure_default_mailboxes(a).await.unwrap();
        let work = db.create_mailbox(a, "Work", None).await.unwrap();
        db.create_mailbox(a, "Work/2024", None).await.unwrap();
        db.create_mailbox(a, "Workshop", None).await.unwrap();
        db.rename_mailbox(a, "Work", "Job").await.unwrap();
        let names: Vec<String> = db
            .list_mailboxes(a)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert!(names.contains(&"Job".to_string()) && names.contains(&"Job/2024".to_string()));
        assert!(names.contains(&"Workshop".to_string()) && !names.contains(&"Work".to_string()));
        let job = db.find_mailbox(a, "Job").await.unwrap().unwrap();
        assert_eq!(
            (job.id, job.uidvalidity),
            (work.id, work.uidvalidity),
            "rename keeps identity"
        );
        assert!(matches!(
            db.rename_mailbox(a, "Job", "Workshop").await,
            Err(StoreError::MailboxExists(_))
        ));
        assert!(db.rename_mailbox(a, "Job", "Job/Sub").await.is_err());

        // RENAME INBOX: the messages move to the new mailbox, INBOX stays, empty.
        let blob = BlobId::of(b"m");
        db.deliver(&blob, 1, &[a]).await.unwrap();
        db.deliver(&blob, 1, &[a]).await.unwrap();
        let inbox = db.find_mailbox(a, "INBOX").await.unwrap().unwrap();
        db.store_flags(
            inbox.id,
            &UidSet::from_uids(&[1]),
            store::FlagMode::Add,
            &Flags::parse(&["\\Seen"]).unwrap(),
            None,
            a,
        )
        .await
        .unwrap();
        db.rename_mailbox(a, "INBOX", "Old mail").await.unwrap();
        let old = db.find_mailbox(a, "Old mail").await.unwrap().unwrap();
        assert_eq!(db.uids(old.id).await.unwrap(), vec![1, 2]);
        assert_eq!(old.uidnext, 3);
        let moved = db.fetch_messages(old.id, &UidSet::all(), a).await.unwrap();
        assert!(moved[0].flags.contains(&store::Flag::Seen));
        assert!(db.uids(inbox.id).await.unwrap().is_empty());
        let status = db.mailbox_status(inbox.id, a).await.unwrap();
        assert_eq!(
            (status.exists, status.uidnext),
            (0, 3),
            "INBOX UIDs are not reused"
        );
        let ch = db.changes_since(inbox.id, 1, a).await.unwrap();
        assert_eq!(ch.vanished, vec![1, 2]);
    })
    .await;
}
