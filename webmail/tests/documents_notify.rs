//! A professional's action on a record sends the citizen an e-mail through the webmail's relay
//! (a real SMTP sink): who and what, never the document's title; a minor's record is announced
//! to the guardian. On both database backends.

mod common;

use std::sync::Arc;

use common::*;
use dmp_bridge::professional::Deposit;
use dmp_bridge::{Mode, Professional};
use webmail::documents::notifier::SUBJECT;

fn rousseau() -> Professional {
    Professional {
        rpps: "10693719556".into(),
        name: Some("Léa ROUSSEAU".into()),
        profession_code: Some("10".into()),
        structure: None,
    }
}

#[tokio::test]
async fn professional_actions_are_announced_by_email() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let app = App::new(db, sink).await;
            let before = app.sink.count_to(CAMILLE_EMAIL);
            let dep = Deposit {
                title: "Titre confidentiel".into(),
                mime_type: "application/pdf".into(),
                class_code: Some("10".into()),
                ..Deposit::default()
            };
            app.state
                .dmp
                .pro_deposit(&rousseau(), CAMILLE_NIR, dep, b"%PDF-1.4 x")
                .await
                .expect("deposit");
            let (subject, body) = app.sink.wait_for(CAMILLE_EMAIL, before + 1);
            assert_eq!(subject, SUBJECT);
            assert!(body.contains("Léa ROUSSEAU a ajouté un document"), "{body}");
            assert!(!body.contains("Titre confidentiel"), "{body}");

            let glass = Mode::BreakGlass {
                justification: "patient inconscient".into(),
            };
            app.state
                .dmp
                .pro_list(&rousseau(), CAMILLE_NIR, &glass)
                .await
                .expect("break-glass");
            let (_, body) = app.sink.wait_for(CAMILLE_EMAIL, before + 2);
            assert!(body.contains("bris de glace"), "{body}");

            // Lou is a minor: his guardian Camille is told.
            app.state
                .dmp
                .pro_list(&rousseau(), LOU_NIR, &Mode::Normal)
                .await
                .expect("list the child's record");
            let (_, body) = app.sink.wait_for(CAMILLE_EMAIL, before + 3);
            assert!(body.contains("Dossier médical de Lou MARTIN"), "{body}");
        }
    })
    .await;
}
