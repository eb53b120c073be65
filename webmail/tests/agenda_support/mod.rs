//! Shared set-up of the agenda tests: Camille (guardian of Lou and Sacha) active and logged in on
//! the manual clock, and a helper that posts the add form with the page's CSRF token.
#![allow(dead_code)]

use std::sync::Arc;

use crate::common::*;

/// 14 December 2026, 12:00 in Paris.
pub const T0: i64 = 1_797_246_000;
/// 15 December 2026, 14:30 in Paris.
pub const APPOINTMENT: i64 = 1_797_341_400;
pub const ROUSSEAU_RPPS: &str = "10693719556";

/// An application with Camille (guardian of Lou and Sacha) active and logged in.
pub async fn camille(db: store::Db, sink: Arc<Sink>) -> App {
    let mut app = App::new(db, sink).await;
    app.clock.set(T0);
    directory::accounts::apply(
        &app.state.db,
        CAMILLE_NIR,
        directory::accounts::Action::Activate,
    )
    .await
    .expect("activate");
    log_in(&mut app, CAMILLE_NIR).await;
    app
}

pub async fn log_in(app: &mut App, nir: &str) {
    let (token, _) =
        webmail::security::session::create(&app.state, &address(nir), "127.0.0.1", "tests")
            .await
            .expect("session");
    app.jar
        .insert(webmail::security::cookies::SESSION.to_string(), token);
}

/// The CSRF token of the agenda page.
pub async fn csrf(app: &mut App) -> String {
    app.get("/agenda").await.csrf()
}

pub async fn add(app: &mut App, fields: &[(&str, &str)]) -> Response {
    let token = csrf(app).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    app.post("/agenda/ajouter", &form).await
}

pub const ROUSSEAU: &[(&str, &str)] = &[
    ("rpps", ROUSSEAU_RPPS),
    ("date", "2026-12-15"),
    ("heure", "14:30"),
    ("duree", "45"),
    ("lieu", "Cabinet, 12 rue Nationale; Tours"),
    ("notes", "Apporter l’ordonnance"),
    ("rappel", "veille"),
];
