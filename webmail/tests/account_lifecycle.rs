//! Opposition, reactivation, child profiles, the 6-week opening job, settings and the new-mail
//! notification, on both database backends.

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
async fn opposition_then_reactivation_from_the_same_entry() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            let code = directory::accounts::reset_code(&app.state.db, CHLOE_NIR)
                .await
                .unwrap();
            let identity = async |app: &mut App, vitale: &str, action: &str| {
                let csrf = app.get("/activation").await.csrf();
                app.post(
                    "/activation",
                    &[
                        ("csrf", &csrf),
                        ("nir", CHLOE_NIR),
                        ("date_naissance", "02/02/1943"),
                        ("numero_vitale", vitale),
                        ("code_provisoire", &code),
                        ("action", action),
                    ],
                )
                .await
            };
            // A wrong Carte Vitale number: the generic refusal, nothing opposed.
            let r = identity(&mut app, "999999999", "opposer").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert!(r.body.contains("ne correspondent pas"));
            assert_eq!(state_of(&app, CHLOE_NIR).await, AccountState::Pending);
            let r = identity(&mut app, "473017380", "opposer").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert!(r.body.contains("Votre opposition est enregistrée"));
            assert_eq!(state_of(&app, CHLOE_NIR).await, AccountState::Opposed);
            // Changing one's mind: activation from the same entry.
            app.activate(CHLOE_NIR, "1943-02-02", "473017380", "chloe.g")
                .await;
            assert_eq!(state_of(&app, CHLOE_NIR).await, AccountState::Active);
        }
    })
    .await;
}

#[tokio::test]
async fn activation_attempts_are_rate_limited() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            let mut last = StatusCode::OK;
            for _ in 0..6 {
                let csrf = app.get("/activation").await.csrf();
                last = app
                    .post(
                        "/activation",
                        &[
                            ("csrf", &csrf),
                            ("nir", CAMILLE_NIR),
                            ("date_naissance", CAMILLE_BIRTH),
                            ("numero_vitale", CAMILLE_VITALE),
                            ("code_provisoire", "ABCDEFGHJKLM"),
                            ("action", "activer"),
                        ],
                    )
                    .await
                    .status;
            }
            assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
        }
    })
    .await;
}

#[tokio::test]
async fn pending_accounts_open_themselves_after_six_weeks() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let app = App::new(db, sink).await;
            assert_eq!(webmail::jobs::run_once(&app.state).await.unwrap().0, 0);
            app.clock.advance(41 * 24 * 3600);
            assert_eq!(webmail::jobs::run_once(&app.state).await.unwrap().0, 0);
            assert_eq!(state_of(&app, CHLOE_NIR).await, AccountState::Pending);
            app.clock.advance(2 * 24 * 3600);
            assert!(webmail::jobs::run_once(&app.state).await.unwrap().0 > 0);
            assert_eq!(state_of(&app, CHLOE_NIR).await, AccountState::Active);
        }
    })
    .await;
}

#[tokio::test]
async fn a_parent_switches_to_a_child_profile_and_back() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            app.activate(CHLOE_NIR, "1943-02-02", "473017380", "chloe.g")
                .await;
            app.login("camille.martin", PASSWORD).await;
            let page = app.get("/profils").await;
            assert!(
                page.body.contains("Lou MARTIN") && page.body.contains("Sacha MARTIN"),
                "{}",
                page.body
            );
            let csrf = page.csrf();
            let lou = address(LOU_NIR);
            let r = app
                .post("/profils/changer", &[("csrf", &csrf), ("profil", &lou)])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            let page = app.get("/profils").await;
            assert!(
                page.body
                    .contains("Vous agissez pour <strong>Lou MARTIN</strong>"),
                "{}",
                page.body
            );
            // Not a guardian of Chloé.
            let r = app
                .post(
                    "/profils/changer",
                    &[("csrf", &csrf), ("profil", &address(CHLOE_NIR))],
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            let r = app
                .post(
                    "/profils/changer",
                    &[("csrf", &csrf), ("profil", &address(CAMILLE_NIR))],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert!(
                app.get("/profils")
                    .await
                    .body
                    .contains("Connecté : <strong>Camille MARTIN</strong>")
            );
        }
    })
    .await;
}

// Multi-threaded: the notification task runs while the test thread waits on the sink.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_contact_password_preferences_sessions_and_new_mail_notice() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            let camille = address(CAMILLE_NIR);
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            let mut phone = app.other_browser();
            phone.login("camille.martin", PASSWORD).await;
            app.login("camille.martin", PASSWORD).await;

            // New-mail notice to the personal address, then turned off.
            let task = tokio::spawn(webmail::notify::new_mail::run(app.state.clone()));
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let email = "camille.martin@courriel.example";
            let before = app.sink.count_to(email);
            deliver(&app, &camille, "bilan").await;
            let (subject, body) = app.sink.wait_for(email, before + 1);
            assert_eq!(subject, "Vous avez un nouveau message");
            assert!(!body.contains("bilan"), "no content in the notice");

            // Sessions: two listed, end the phone's.
            let page = app.get("/parametres").await;
            assert_eq!(page.body.matches("Adresse IP").count(), 2, "{}", page.body);
            let other = page
                .body
                .split("name=\"session\" value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            let r = app
                .post(
                    "/parametres/sessions/fermer",
                    &[("csrf", &page.csrf()), ("session", &other)],
                )
                .await;
            assert!(r.body.contains("La session a été fermée"));
            assert_eq!(phone.get("/parametres").await.location(), "/connexion");

            // Preferences.
            let r = app
                .post(
                    "/parametres/notifications",
                    &[("csrf", &page.csrf()), ("canal_code", "sms")],
                )
                .await;
            assert!(
                r.body.contains("préférences sont enregistrées"),
                "{}",
                r.body
            );
            let prefs = webmail::prefs::get(&app.state.db, &camille).await.unwrap();
            assert!(!prefs.notify_new_mail);
            assert_eq!(prefs.otp_channel, webmail::notify::Channel::Sms);

            // Contact change: the code goes to the new address, which then receives the codes.
            let new_email = "camille.nouvelle@courriel.example";
            let before = app.sink.count_to(new_email);
            let r = app
                .post(
                    "/parametres/coordonnees",
                    &[
                        ("csrf", &page.csrf()),
                        ("champ", "email"),
                        ("valeur", new_email),
                    ],
                )
                .await;
            assert_eq!(r.location(), "/parametres/coordonnees/code");
            let code = app.sink.code(new_email, before + 1);
            let r = app
                .post(
                    "/parametres/coordonnees/code",
                    &[("csrf", &page.csrf()), ("code", &code)],
                )
                .await;
            assert!(
                r.body.contains("Vos coordonnées sont modifiées"),
                "{}",
                r.body
            );
            let contact = directory::contacts::contact(&app.state.db, &camille)
                .await
                .unwrap();
            assert_eq!(contact.email.as_deref(), Some(new_email));

            // Password change.
            let new_pw = "un tout autre mot de passe";
            let r = app
                .post(
                    "/parametres/mot-de-passe",
                    &[
                        ("csrf", &page.csrf()),
                        ("ancien", "faux"),
                        ("nouveau", new_pw),
                        ("confirmation", new_pw),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            let r = app
                .post(
                    "/parametres/mot-de-passe",
                    &[
                        ("csrf", &page.csrf()),
                        ("ancien", PASSWORD),
                        ("nouveau", new_pw),
                        ("confirmation", new_pw),
                    ],
                )
                .await;
            assert!(
                r.body.contains("Votre mot de passe est modifié"),
                "{}",
                r.body
            );
            assert!(
                directory::credentials::verify_password(&app.state.db, &camille, new_pw)
                    .await
                    .unwrap()
            );
            task.abort();
        }
    })
    .await;
}
