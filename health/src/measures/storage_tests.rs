//! Storage on both backends.

use store::testing::for_each_backend;

use super::*;
use crate::measures::validate::NewMeasure;

const INS: &str = "180017512345678";
const OTHER: &str = "290027512345612";

fn me() -> Author {
    Author {
        kind: AuthorKind::Patient,
        id: INS.into(),
        name: String::new(),
    }
}

fn new(kind: &str, value: &str, value2: &str, date: &str, time: &str) -> NewMeasure {
    NewMeasure {
        kind: kind.into(),
        value: value.into(),
        value2: value2.into(),
        date: date.into(),
        time: time.into(),
        ..NewMeasure::default()
    }
}

#[tokio::test]
async fn add_list_latest_delete() {
    for_each_backend(|db| async move {
        let a = add(
            &db,
            INS,
            &new("temperature", "38,2", "", "2026-03-01", ""),
            &me(),
        )
        .await
        .expect("add");
        add(
            &db,
            INS,
            &new("temperature", "37,1", "", "2026-03-03", "08:00"),
            &me(),
        )
        .await
        .expect("add");
        add(
            &db,
            INS,
            &new("temperature", "37,5", "", "2026-03-03", "20:00"),
            &me(),
        )
        .await
        .expect("add");
        let bp = add(
            &db,
            INS,
            &new("tension", "125", "80", "2026-03-02", ""),
            &me(),
        )
        .await
        .expect("add");
        add(&db, OTHER, &new("poids", "70", "", "2026-03-02", ""), &me())
            .await
            .expect("other patient");

        let refused = add(
            &db,
            INS,
            &new("temperature", "45", "", "2026-03-01", ""),
            &me(),
        )
        .await;
        match refused {
            Err(HealthError::Invalid(t)) => {
                assert_eq!(t, "La température doit être comprise entre 32 et 43,5 °C.")
            }
            other => panic!("{other:?}"),
        }

        let temps = list(&db, INS, Kind::Temperature).await.expect("list");
        let shown: Vec<String> = temps.iter().map(|m| m.display_value()).collect();
        assert_eq!(shown, ["38,2\u{a0}°C", "37,1\u{a0}°C", "37,5\u{a0}°C"]);
        assert_eq!(temps[1].time.as_deref(), Some("08:00"));
        assert_eq!(temps[0].author, me());

        let latest = latest_by_kind(&db, INS).await.expect("latest");
        let latest: Vec<(Kind, String)> =
            latest.iter().map(|m| (m.kind, m.display_value())).collect();
        assert_eq!(
            latest,
            [
                (Kind::Tension, "125/80\u{a0}mmHg".to_string()),
                (Kind::Temperature, "37,5\u{a0}°C".to_string())
            ]
        );

        let got = get(&db, INS, bp).await.expect("get");
        assert_eq!((got.value, got.value2), (125.0, Some(80.0)));
        assert!(matches!(
            get(&db, OTHER, bp).await,
            Err(HealthError::NotFound)
        ));

        // Another profile cannot delete it; the owner can, once.
        assert!(matches!(
            delete(&db, OTHER, a).await,
            Err(HealthError::NotFound)
        ));
        delete(&db, INS, a).await.expect("delete");
        assert!(matches!(
            delete(&db, INS, a).await,
            Err(HealthError::NotFound)
        ));
        assert_eq!(
            list(&db, INS, Kind::Temperature).await.expect("list").len(),
            2
        );
        assert_eq!(list(&db, OTHER, Kind::Poids).await.expect("list").len(), 1);

        // Same day: a measure without a time sorts as noon, on both backends.
        for (v, t) in [("70", ""), ("71", "20:00"), ("69", "08:00")] {
            add(&db, INS, &new("poids", v, "", "2026-03-05", t), &me())
                .await
                .expect("add");
        }
        let weights: Vec<String> = list(&db, INS, Kind::Poids)
            .await
            .expect("list")
            .iter()
            .map(|m| m.display_value())
            .collect();
        assert_eq!(weights, ["69\u{a0}kg", "70\u{a0}kg", "71\u{a0}kg"]);
        let latest = latest_by_kind(&db, INS).await.expect("latest");
        assert_eq!(latest[1].display_value(), "71\u{a0}kg");
    })
    .await;
}
