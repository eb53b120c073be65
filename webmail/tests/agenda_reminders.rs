//! Appointment reminders (issue 9): sent once, through the real SMTP sink, when the manual clock
//! reaches the reminder time; a child's reminder goes to the guardian; nothing the citizen typed
//! is in the e-mail. On both database backends.

mod agenda_support;
mod common;

use std::sync::Arc;
use std::time::Duration;

use agenda_support::*;
use axum::http::StatusCode;
use common::*;
use health::agenda::storage;

#[tokio::test]
async fn a_reminder_is_sent_once() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = camille(db, sink).await;
            let mut fields = ROUSSEAU.to_vec();
            fields.push(("objet", "IRM"));
            let r = add(&mut app, &fields).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            // Lou's appointment, 2 hours before: the guardian is reminded.
            let token = csrf(&mut app).await;
            let lou = address(LOU_NIR);
            app.post("/profils/changer", &[("csrf", &token), ("profil", &lou)])
                .await;
            let r = add(
                &mut app,
                &[
                    ("avec", "Orthodontiste"),
                    ("date", "2026-12-15"),
                    ("heure", "16:00"),
                    ("rappel", "2h"),
                ],
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

            let before = app.sink.count_to(CAMILLE_EMAIL);
            webmail::jobs::run_once(&app.state).await.expect("jobs");
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(app.sink.count_to(CAMILLE_EMAIL), before, "nothing due yet");

            // The day before at 14:30: Camille's own reminder.
            app.clock.set(APPOINTMENT - 86_400);
            webmail::jobs::run_once(&app.state).await.expect("jobs");
            let (subject, body) = app.sink.wait_for(CAMILLE_EMAIL, before + 1);
            assert_eq!(subject, webmail::notify::reminder::SUBJECT);
            assert!(
                body.contains(
                    "Rappel : vous avez rendez-vous demain à 14 h 30 avec Dr Léa ROUSSEAU."
                ),
                "{body}"
            );
            for secret in ["IRM", "ordonnance", "Nationale"] {
                assert!(!body.contains(secret), "{secret} in {body}");
            }
            // Again, and after a "restart" (a fresh pass reads the same database): not twice.
            webmail::jobs::run_once(&app.state).await.expect("jobs");
            webmail::notify::reminder::tick(&app.state)
                .await
                .expect("tick");
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(app.sink.count_to(CAMILLE_EMAIL), before + 1);
            let own = storage::list(&app.state.db, CAMILLE_NIR)
                .await
                .expect("list");
            assert!(own[0].reminder_sent_at.is_some());

            // 14:00 on the day: Lou's 16:00 appointment, to the guardian.
            app.clock.set(APPOINTMENT + 5400 - 7200);
            webmail::jobs::run_once(&app.state).await.expect("jobs");
            let (_, body) = app.sink.wait_for(CAMILLE_EMAIL, before + 2);
            assert!(
                body.contains("Rappel : Lou MARTIN a rendez-vous aujourd’hui à 16 h."),
                "{body}"
            );
            assert!(!body.contains("Orthodontiste"), "{body}");
            webmail::jobs::run_once(&app.state).await.expect("jobs");
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(app.sink.count_to(CAMILLE_EMAIL), before + 2);
        }
    })
    .await;
}
