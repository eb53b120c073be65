use store::testing::for_each_backend;
use time::macros::date;

use super::*;

const INS: &str = "240013700100130";
const OTHER: &str = "143024503800277";

fn author() -> Author {
    Author {
        kind: AuthorKind::Patient,
        id: INS.into(),
        name: String::new(),
    }
}

fn draft(starts_at: i64, reminder: Reminder) -> Draft {
    Draft {
        starts_at,
        duration_min: Some(30),
        title: Some("Contrôle ; suivi, « annuel »".into()),
        professional: Some(ProRef {
            rpps: "10693719556".into(),
            name: "Dr Léa ROUSSEAU".into(),
        }),
        with_text: None,
        place: None,
        notes: Some("deux\nlignes".into()),
        reminder,
        prevention_rule: None,
    }
}

#[tokio::test]
async fn appointments_round_trip_and_stay_private() {
    for_each_backend(|db| async move {
        let t0 = 1_800_000_000;
        let id = insert(&db, INS, &draft(t0, Reminder::TwoHours), &author(), 100)
            .await
            .expect("insert");
        let later = insert(
            &db,
            INS,
            &draft(t0 + 86_400, Reminder::None),
            &author(),
            100,
        )
        .await
        .expect("insert");
        let a = get(&db, INS, id).await.expect("get");
        assert_eq!(a.draft, draft(t0, Reminder::TwoHours));
        assert_eq!(a.remind_at, Some(t0 - 7200));
        assert_eq!(a.reminder_sent_at, None);
        assert_eq!(a.author, author());
        let all = list(&db, INS).await.expect("list");
        assert_eq!(all.iter().map(|a| a.id).collect::<Vec<_>>(), [id, later]);
        // Someone else's agenda does not see, change or delete it.
        assert!(list(&db, OTHER).await.expect("list").is_empty());
        assert!(matches!(
            get(&db, OTHER, id).await,
            Err(HealthError::NotFound)
        ));
        assert!(matches!(
            update(&db, OTHER, id, &draft(t0, Reminder::None), &author(), 200).await,
            Err(HealthError::NotFound)
        ));
        assert!(matches!(
            delete(&db, OTHER, id).await,
            Err(HealthError::NotFound)
        ));

        let mut d = draft(t0 + 3600, Reminder::DayBefore);
        d.professional = None;
        d.with_text = Some("Kiné".into());
        update(&db, INS, id, &d, &author(), 200)
            .await
            .expect("update");
        let a = get(&db, INS, id).await.expect("get");
        assert_eq!(a.draft, d);
        assert_eq!(a.remind_at, Some(t0 + 3600 - 86_400));
        assert_eq!(a.updated_at, 200);
        delete(&db, INS, id).await.expect("delete");
        assert!(matches!(
            get(&db, INS, id).await,
            Err(HealthError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn a_reminder_is_claimed_once() {
    for_each_backend(|db| async move {
        let t0 = 1_800_000_000;
        let id = insert(&db, INS, &draft(t0, Reminder::TwoHours), &author(), 100)
            .await
            .expect("insert");
        insert(&db, INS, &draft(t0, Reminder::None), &author(), 100)
            .await
            .expect("insert");
        assert!(
            due_reminders(&db, t0 - 7201, 10)
                .await
                .expect("due")
                .is_empty()
        );
        let due = due_reminders(&db, t0 - 7200, 10).await.expect("due");
        assert_eq!(due.len(), 1);
        assert!(
            claim_reminder(&db, id, t0 - 7200, t0 - 7000)
                .await
                .expect("claim")
        );
        assert!(
            !claim_reminder(&db, id, t0 - 7200, t0 - 6999)
                .await
                .expect("claim")
        );
        assert!(due_reminders(&db, t0, 10).await.expect("due").is_empty());
        // The relay failed: released, due again, claimed again.
        release_reminder(&db, id, t0 - 7000).await.expect("release");
        assert_eq!(due_reminders(&db, t0, 10).await.expect("due").len(), 1);
        assert!(
            claim_reminder(&db, id, t0 - 7200, t0 - 6000)
                .await
                .expect("claim")
        );
        // Editing the notes keeps the mark; moving the appointment clears it.
        let mut d = draft(t0, Reminder::TwoHours);
        d.notes = None;
        update(&db, INS, id, &d, &author(), 300)
            .await
            .expect("update");
        assert_eq!(
            get(&db, INS, id).await.expect("get").reminder_sent_at,
            Some(t0 - 6000)
        );
        update(
            &db,
            INS,
            id,
            &draft(t0 + 600, Reminder::TwoHours),
            &author(),
            400,
        )
        .await
        .expect("update");
        assert_eq!(get(&db, INS, id).await.expect("get").reminder_sent_at, None);
        // A claim with the old time loses.
        assert!(!claim_reminder(&db, id, t0 - 7200, t0).await.expect("claim"));
    })
    .await;
}

#[tokio::test]
async fn dismissals_are_kept_per_patient() {
    for_each_backend(|db| async move {
        dismiss(&db, INS, "grippe", date!(2025 - 10 - 01), 1)
            .await
            .expect("dismiss");
        dismiss(&db, INS, "grippe", date!(2026 - 10 - 01), 2)
            .await
            .expect("again");
        dismiss(&db, INS, "zona", date!(2026 - 10 - 02), 3)
            .await
            .expect("dismiss");
        let mut got = dismissed(&db, INS).await.expect("dismissed");
        got.sort_by(|a, b| a.rule.cmp(&b.rule));
        assert_eq!(
            got,
            [
                Dismissal {
                    rule: "grippe".into(),
                    on: date!(2026 - 10 - 01)
                },
                Dismissal {
                    rule: "zona".into(),
                    on: date!(2026 - 10 - 02)
                },
            ]
        );
        assert!(dismissed(&db, OTHER).await.expect("dismissed").is_empty());
    })
    .await;
}
