//! Closing an account (issue 6): the export first, then out of the live space at once (SMTP
//! refuses with 5.2.1), archived, erased on request or after the retention period, restored by
//! reactivation; on both database backends.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use directory::AccountState;

async fn state_of(app: &App, nir: &str) -> AccountState {
    directory::accounts::account(&app.state.db, nir)
        .await
        .unwrap()
        .unwrap()
        .state
}

/// A message from a doctor, straight into the citizen's INBOX.
async fn deliver(app: &App, to: &str, subject: &str) {
    let raw = format!(
        "From: Dr Rousseau <{DOCTOR}>\r\nTo: {to}\r\nSubject: {subject}\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{subject}@test>\r\n\r\nBonjour.\r\n"
    )
    .into_bytes();
    let size = raw.len() as u64;
    let blob = app.state.blobs.put(raw).await.unwrap();
    app.state.db.deliver(&blob, size, &[to]).await.unwrap();
}

#[tokio::test]
async fn closing_exports_archives_refuses_mail_and_reactivation_restores() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            let camille = address(CAMILLE_NIR);
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            deliver(&app, &camille, "resultats").await;
            app.login("camille.martin", PASSWORD).await;

            let page = app.get("/fermeture").await;
            assert_eq!(page.status, StatusCode::OK);
            let export = app.get("/fermeture/export").await;
            assert_eq!(export.status, StatusCode::OK);
            assert!(
                export.headers["content-disposition"]
                    .to_str()
                    .unwrap()
                    .contains("attachment")
            );
            assert!(export.body.starts_with("From "), "{}", export.body);
            assert!(export.body.contains("Subject: resultats"));

            let r = app
                .post(
                    "/fermeture",
                    &[
                        ("csrf", &page.csrf()),
                        ("mot_de_passe", "pas le bon mot de passe"),
                        ("confirmation", "oui"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            let r = app
                .post(
                    "/fermeture",
                    &[
                        ("csrf", &page.csrf()),
                        ("mot_de_passe", PASSWORD),
                        ("confirmation", "oui"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert!(r.body.contains("Votre compte est fermé"));
            assert_eq!(state_of(&app, CAMILLE_NIR).await, AccountState::Closed);
            assert_eq!(
                app.get("/parametres").await.location(),
                "/connexion",
                "sessions ended"
            );
            assert!(
                app.state
                    .db
                    .list_mailboxes(&camille)
                    .await
                    .unwrap()
                    .is_empty(),
                "out of the live space"
            );
            // SMTP refuses mail to it with 5.2.1 and a sentence.
            let refusal = app
                .state
                .pipeline
                .check_recipient(DOCTOR, &camille, false)
                .await
                .expect_err("a closed account refuses mail");
            assert_eq!(
                (refusal.code, refusal.esc),
                (550, [5, 2, 1]),
                "{}",
                refusal.text
            );
            // No login any more.
            let csrf = app.get("/connexion").await.csrf();
            let r = app
                .post(
                    "/connexion",
                    &[
                        ("csrf", &csrf),
                        ("identifiant", "camille.martin"),
                        ("mot_de_passe", PASSWORD),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);

            // Reactivation brings the mail back.
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            let inbox = app
                .state
                .db
                .find_mailbox(&camille, "INBOX")
                .await
                .unwrap()
                .unwrap();
            let status = app
                .state
                .db
                .mailbox_status(inbox.id, &camille)
                .await
                .unwrap();
            assert_eq!(status.exists, 1, "archived message restored");

            // Closing with "erase now": gone for good, even after reactivation.
            app.login("camille.martin", PASSWORD).await;
            let page = app.get("/fermeture").await;
            let r = app
                .post(
                    "/fermeture",
                    &[
                        ("csrf", &page.csrf()),
                        ("mot_de_passe", PASSWORD),
                        ("confirmation", "oui"),
                        ("effacer", "oui"),
                    ],
                )
                .await;
            assert!(r.body.contains("effacés définitivement"), "{}", r.body);
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            let inbox = app
                .state
                .db
                .find_mailbox(&camille, "INBOX")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                app.state
                    .db
                    .mailbox_status(inbox.id, &camille)
                    .await
                    .unwrap()
                    .exists,
                0
            );
        }
    })
    .await;
}

#[tokio::test]
async fn archives_are_erased_after_the_retention_period() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            let camille = address(CAMILLE_NIR);
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            deliver(&app, &camille, "ancien").await;
            app.login("camille.martin", PASSWORD).await;
            let page = app.get("/fermeture").await;
            let r = app
                .post(
                    "/fermeture",
                    &[
                        ("csrf", &page.csrf()),
                        ("mot_de_passe", PASSWORD),
                        ("confirmation", "oui"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            // Nine years later: still archived.
            app.clock.advance(9 * 366 * 24 * 3600);
            assert_eq!(webmail::jobs::run_once(&app.state).await.unwrap().1, 0);
            // Past ten years: erased for good.
            app.clock.advance(2 * 366 * 24 * 3600);
            assert_eq!(webmail::jobs::run_once(&app.state).await.unwrap().1, 1);
            assert_eq!(webmail::jobs::run_once(&app.state).await.unwrap().1, 0);
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            let inbox = app
                .state
                .db
                .find_mailbox(&camille, "INBOX")
                .await
                .unwrap()
                .unwrap();
            let status = app
                .state
                .db
                .mailbox_status(inbox.id, &camille)
                .await
                .unwrap();
            assert_eq!(status.exists, 0, "nothing comes back after the erasure");
        }
    })
    .await;
}

#[tokio::test]
async fn closing_is_refused_while_acting_for_a_child() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            app.login("camille.martin", PASSWORD).await;
            let csrf = app.get("/profils").await.csrf();
            let r = app
                .post(
                    "/profils/changer",
                    &[("csrf", &csrf), ("profil", &address(LOU_NIR))],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);

            // The page says so and has no form; a forged POST is refused, the parent stays.
            let page = app.get("/fermeture").await;
            assert!(page.body.contains("fermeture-enfant"), "{}", page.body);
            assert!(!page.body.contains("form-fermeture"), "{}", page.body);
            let r = app
                .post(
                    "/fermeture",
                    &[
                        ("csrf", &csrf),
                        ("mot_de_passe", PASSWORD),
                        ("confirmation", "oui"),
                        ("effacer", ""),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert_eq!(state_of(&app, CAMILLE_NIR).await, AccountState::Active);
        }
    })
    .await;
}
