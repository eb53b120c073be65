//! Activation, login with a one-time code, sessions, CSRF, lockout and no enumeration, on both
//! database backends, with a real SMTP sink as the relay.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn activation_then_login_with_code_then_logout() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            let acc = directory::accounts::account(&app.state.db, CAMILLE_NIR)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(acc.state, directory::AccountState::Active);

            // Not logged in: every account page sends to the login page.
            let r = app.get("/parametres").await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_eq!(r.location(), "/connexion");

            let r = app.login("camille.martin", PASSWORD).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            assert_eq!(r.location(), "/");
            let set_cookie: Vec<String> = r
                .headers
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_string())
                .collect();
            let session_cookie = set_cookie
                .iter()
                .find(|c| c.starts_with("__Host-santemail-session="))
                .expect("a session cookie");
            for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
                assert!(
                    session_cookie.contains(attr),
                    "{session_cookie} lacks {attr}"
                );
            }

            let r = app.get("/parametres").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert!(r.body.contains("camille.martin"));
            assert!(r.body.contains("Connexion réussie"), "login audit shown");
            // Security headers on every response.
            let csp = r
                .headers
                .get("content-security-policy")
                .unwrap()
                .to_str()
                .unwrap();
            assert!(csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"));
            assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY");
            assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
            assert_eq!(r.headers.get("referrer-policy").unwrap(), "no-referrer");
            assert_eq!(r.headers.get("cache-control").unwrap(), "no-store");

            let csrf = r.csrf();
            let r = app.post("/deconnexion", &[("csrf", &csrf)]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            let r = app.get("/parametres").await;
            assert_eq!(r.location(), "/connexion", "logged out");
        }
    })
    .await;
}

#[tokio::test]
async fn session_rotates_and_times_out() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            app.login("camille.martin", PASSWORD).await;
            let first = app.jar.get("__Host-santemail-session").cloned().unwrap();
            app.login("camille.martin", PASSWORD).await;
            let second = app.jar.get("__Host-santemail-session").cloned().unwrap();
            assert_ne!(first, second, "a new session token at each login");
            // The old token is dead.
            let mut old = app.other_browser();
            old.jar.insert("__Host-santemail-session".into(), first);
            assert_eq!(old.get("/parametres").await.location(), "/connexion");
            // Idle timeout.
            assert_eq!(app.get("/parametres").await.status, StatusCode::OK);
            app.clock.advance(app.state.settings.session_idle_secs + 1);
            assert_eq!(app.get("/parametres").await.location(), "/connexion");
            // The scheduled sweep forgets idle sessions.
            let mut other = app.other_browser();
            other.login("camille.martin", PASSWORD).await;
            let camille = address(CAMILLE_NIR);
            let live = |app: &App| {
                let st = app.state.clone();
                let who = camille.clone();
                async move {
                    webmail::security::session::list(&st, &who)
                        .await
                        .unwrap()
                        .len()
                }
            };
            assert_eq!(live(&app).await, 1);
            app.clock.advance(app.state.settings.session_idle_secs + 1);
            webmail::jobs::run_once(&app.state).await.unwrap();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM web_session")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
            assert_eq!(n, 0, "idle sessions swept");
            assert_eq!(live(&app).await, 0);
        }
    })
    .await;
}

#[tokio::test]
async fn same_answer_for_unknown_identifier_and_wrong_password_then_lockout() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            let mut attempt = async |id: &str, pw: &str| {
                let csrf = app.get("/connexion").await.csrf();
                app.post(
                    "/connexion",
                    &[("csrf", &csrf), ("identifiant", id), ("mot_de_passe", pw)],
                )
                .await
            };
            let unknown = attempt("personne.inconnue", "un mot de passe quelconque").await;
            let wrong = attempt("camille.martin", "un mot de passe quelconque").await;
            assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
            assert_eq!(wrong.status, unknown.status);
            let text = |b: &str| b.replace(&b[b.find("value=\"").unwrap()..][..80], "");
            assert!(
                unknown
                    .body
                    .contains("Identifiant ou mot de passe incorrect.")
            );
            assert_eq!(
                text(&unknown.body).replace("personne.inconnue", "X"),
                text(&wrong.body).replace("camille.martin", "X"),
                "no enumeration"
            );
            // 5 failures on one identifier lock it, even with the right password.
            for _ in 0..4 {
                attempt("camille.martin", "encore un mauvais mot de passe").await;
            }
            let locked = attempt("camille.martin", PASSWORD).await;
            assert_eq!(
                locked.status,
                StatusCode::TOO_MANY_REQUESTS,
                "{}",
                locked.body
            );
            assert!(locked.body.contains("Trop de tentatives"));
            // An unknown identifier locks the same way (nothing to learn from the lockout).
            for _ in 0..5 {
                attempt("personne.inconnue2", "x").await;
            }
            assert_eq!(
                attempt("personne.inconnue2", "x").await.status,
                StatusCode::TOO_MANY_REQUESTS
            );
            app.clock.advance(app.state.settings.lockout_secs + 1);
            let r = app.login("camille.martin", PASSWORD).await;
            assert_eq!(r.location(), "/", "unlocked after the lockout");
            let audit = webmail::security::audit::recent(&app.state, &address(CAMILLE_NIR), 50)
                .await
                .unwrap();
            assert!(audit.iter().any(|a| a.event == "login_password_failed"));
            assert!(audit.iter().any(|a| a.event == "login"));
        }
    })
    .await;
}

#[tokio::test]
async fn one_time_code_has_few_tries_and_a_short_life() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            let email = "camille.martin@courriel.example";
            let start = async |app: &mut App| {
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
                assert_eq!(r.location(), "/connexion/code");
                app.get("/connexion/code").await.csrf()
            };
            // Three wrong codes burn the code; the right one no longer works.
            let before = app.sink.count_to(email);
            let csrf = start(&mut app).await;
            let good = app.sink.code(email, before + 1);
            let bad = if good == "000000" { "111111" } else { "000000" };
            let r = app
                .post("/connexion/code", &[("csrf", &csrf), ("code", bad)])
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert!(r.body.contains("Il vous reste 2 essais"), "{}", r.body);
            app.post("/connexion/code", &[("csrf", &csrf), ("code", bad)])
                .await;
            let r = app
                .post("/connexion/code", &[("csrf", &csrf), ("code", bad)])
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            let r = app
                .post("/connexion/code", &[("csrf", &csrf), ("code", &good)])
                .await;
            assert_ne!(r.location(), "/", "a burnt code never logs in");
            // An expired code does not work either.
            let before = app.sink.count_to(email);
            let csrf = start(&mut app).await;
            let good = app.sink.code(email, before + 1);
            app.clock.advance(app.state.settings.otp_validity_secs + 1);
            let r = app
                .post("/connexion/code", &[("csrf", &csrf), ("code", &good)])
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(r.body.contains("n’est plus valable"));
        }
    })
    .await;
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = App::new(db, sink).await;
            app.get("/connexion").await;
            let r = app
                .post("/connexion", &[("identifiant", "x"), ("mot_de_passe", "y")])
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            // Unknown pages: French 404 with the security headers.
            let r = app.get("/nulle-part").await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
            assert!(r.body.contains("Page introuvable"));
            assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY");
            let r = app
                .post("/activation", &[("csrf", "faux"), ("nir", CAMILLE_NIR)])
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            app.activate(CAMILLE_NIR, CAMILLE_BIRTH, CAMILLE_VITALE, "camille.martin")
                .await;
            app.login("camille.martin", PASSWORD).await;
            // The anonymous token is not the session's: refused too.
            let anon = app
                .jar
                .get("__Host-santemail-csrf")
                .cloned()
                .unwrap_or_default();
            for (path, form) in [
                ("/deconnexion", vec![("csrf", anon.as_str())]),
                ("/parametres/notifications", vec![("canal_code", "email")]),
                (
                    "/parametres/mot-de-passe",
                    vec![("csrf", "x"), ("ancien", PASSWORD)],
                ),
                ("/profils/changer", vec![("profil", "x")]),
                (
                    "/fermeture",
                    vec![("confirmation", "oui"), ("mot_de_passe", PASSWORD)],
                ),
            ] {
                let r = app.post(path, &form).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
                assert!(r.body.contains("Le formulaire a expiré"), "{path}");
            }
            assert_eq!(
                app.get("/parametres").await.status,
                StatusCode::OK,
                "still logged in"
            );
        }
    })
    .await;
}
