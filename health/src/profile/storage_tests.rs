//! The profile's storage on both backends: add, list in order, update with the new author,
//! delete, and that another patient's id is not found.

use store::testing::for_each_backend;

use super::*;
use crate::profile::{EntryForm, today, validate};

const ANNE: &str = "240013700100130";
const PAUL: &str = "143024503800277";

fn patient() -> Author {
    Author {
        kind: AuthorKind::Patient,
        id: ANNE.into(),
        name: String::new(),
    }
}

fn data(section: Section, f: impl FnOnce(&mut EntryForm)) -> EntryData {
    let mut form = EntryForm::default();
    f(&mut form);
    validate(section, &form, today()).expect("valid")
}

#[tokio::test]
async fn add_list_update_delete() {
    for_each_backend(|db| async move {
        let older = data(Section::Diseases, |f| {
            f.title = "Asthme".into();
            f.start_date = "01/01/2000".into();
        });
        let newer = data(Section::Diseases, |f| {
            f.title = "Hypertension".into();
            f.start_date = "01/01/2020".into();
        });
        let organ = data(Section::Entourage, |f| {
            f.kind = "don-organes".into();
            f.consent = "non".into();
        });
        let a = add(&db, ANNE, Section::Diseases, &older, &patient())
            .await
            .expect("add");
        let b = add(&db, ANNE, Section::Diseases, &newer, &patient())
            .await
            .expect("add");
        let c = add(&db, ANNE, Section::Entourage, &organ, &patient())
            .await
            .expect("add");
        let d = add(
            &db,
            ANNE,
            Section::Treatments,
            &data(Section::Treatments, |f| {
                f.title = "Amlodipine".into();
                f.dose = "5 mg".into();
            }),
            &patient(),
        )
        .await
        .expect("add");

        let list_ids: Vec<i64> = list(&db, ANNE, Section::Diseases)
            .await
            .expect("list")
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(list_ids, vec![b, a], "most recent first");
        let all: Vec<(Section, i64)> = entries(&db, ANNE)
            .await
            .expect("entries")
            .iter()
            .map(|e| (e.section, e.id))
            .collect();
        assert_eq!(
            all,
            vec![
                (Section::Diseases, b),
                (Section::Diseases, a),
                (Section::Treatments, d),
                (Section::Entourage, c),
            ],
            "in the order of the sections"
        );
        let got = get(&db, ANNE, Section::Entourage, c).await.expect("get");
        assert_eq!(got.data, organ, "stored as given");
        assert_eq!(
            got.summary_line(),
            "Don d'organes — refuse le don d'organes"
        );
        let counts = counts(&db, ANNE).await.expect("counts");
        assert_eq!(counts[0], (Section::Diseases, 2));
        assert_eq!(counts[2], (Section::Allergies, 0));

        // Another patient's id is not found, in every operation.
        assert!(matches!(
            get(&db, PAUL, Section::Diseases, a).await,
            Err(HealthError::NotFound)
        ));
        assert!(matches!(
            update(&db, PAUL, Section::Diseases, a, &newer, &patient()).await,
            Err(HealthError::NotFound)
        ));
        assert!(matches!(
            delete(&db, PAUL, Section::Diseases, a).await,
            Err(HealthError::NotFound)
        ));
        assert!(matches!(
            delete(&db, ANNE, Section::Allergies, a).await,
            Err(HealthError::NotFound)
        ));

        let doctor = Author {
            kind: AuthorKind::Professional,
            id: "10693719556".into(),
            name: "Léa ROUSSEAU".into(),
        };
        update(&db, ANNE, Section::Diseases, a, &newer, &doctor)
            .await
            .expect("update");
        let changed = get(&db, ANNE, Section::Diseases, a).await.expect("get");
        assert_eq!(changed.data.title, "Hypertension");
        assert_eq!(changed.author, doctor);
        delete(&db, ANNE, Section::Diseases, a)
            .await
            .expect("delete");
        assert_eq!(
            list(&db, ANNE, Section::Diseases)
                .await
                .expect("list")
                .len(),
            1
        );
        assert!(entries(&db, PAUL).await.expect("entries").is_empty());
    })
    .await;
}
