//! The health agenda's pages (issue 9), driven with `oneshot` on both database backends: add,
//! edit and delete an appointment (validation errors, CSRF, another citizen's id), the `.ics`
//! export, the prevention proposals (ignore, plan) and a parent acting for a child.

mod agenda_support;
mod common;

use std::sync::Arc;

use agenda_support::*;
use axum::http::{StatusCode, header};
use common::*;
use health::AuthorKind;
use health::agenda::storage;

#[tokio::test]
async fn add_edit_delete() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = camille(db, sink).await;
            let page = app.get("/agenda").await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains("Mon agenda santé"), "{}", page.body);
            assert!(page.body.contains("id=\"aucun-a-venir\""));
            assert!(page.body.contains("/static/agenda.css"));
            let css = app.get("/static/agenda.css").await;
            assert_eq!(css.status, StatusCode::OK);
            assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");

            // The directory search offers the professional as a choice in the form.
            let found = app.get("/agenda?pro=rousseau").await;
            assert!(
                found.body.contains(&format!("id=\"pro-{ROUSSEAU_RPPS}\"")),
                "{}",
                found.body
            );
            assert!(found.body.contains("Léa ROUSSEAU"), "{}", found.body);
            let none = app.get("/agenda?pro=zzzzzz").await;
            assert!(none.body.contains("id=\"aucun-pro\""));

            // CSRF first, then validation; nothing is written.
            let r = app
                .post(
                    "/agenda/ajouter",
                    &[("csrf", "faux"), ("date", "2026-12-15")],
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            let r = add(
                &mut app,
                &[("date", "32/13/2026"), ("heure", "14:30"), ("avec", "Kiné")],
            )
            .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(
                r.body.contains("La date « 32/13/2026 » n’est pas valide"),
                "{}",
                r.body
            );
            assert!(
                r.body.contains("value=\"Kiné\""),
                "typed values come back: {}",
                r.body
            );
            let r = add(&mut app, &[("date", "2026-12-15"), ("heure", "14:30")]).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(r.body.contains("Indiquez avec qui"), "{}", r.body);
            let r = add(
                &mut app,
                &[
                    ("rpps", "10000000000"),
                    ("date", "2026-12-15"),
                    ("heure", "9:00"),
                ],
            )
            .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(r.body.contains("pas dans l’annuaire"), "{}", r.body);
            assert!(
                storage::list(&app.state.db, CAMILLE_NIR)
                    .await
                    .expect("list")
                    .is_empty()
            );

            let r = add(&mut app, ROUSSEAU).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            assert_eq!(r.location(), "/agenda?avis=ajoute");
            let stored = storage::list(&app.state.db, CAMILLE_NIR)
                .await
                .expect("list");
            assert_eq!(stored.len(), 1);
            let a = &stored[0];
            assert_eq!(a.draft.starts_at, APPOINTMENT);
            assert_eq!(a.author.kind, AuthorKind::Patient);
            assert_eq!(
                a.draft.professional.as_ref().map(|p| p.name.as_str()),
                Some("Dr Léa ROUSSEAU")
            );
            let id = a.id;
            let page = app.get("/agenda?avis=ajoute").await.body;
            assert!(page.contains("Le rendez-vous a été ajouté"), "{page}");
            assert!(page.contains("mardi 15 décembre 2026 à 14 h 30"), "{page}");
            assert!(page.contains("Rendez-vous avec Dr Léa ROUSSEAU"), "{page}");
            assert!(page.contains("(45 min)"), "{page}");
            assert!(page.contains("Rappel par e-mail : la veille"), "{page}");

            // Edit: the form comes filled in; the date may also be typed JJ/MM/AAAA.
            let edit = format!("/agenda/{id}/modifier");
            let form = app.get(&edit).await;
            assert_eq!(form.status, StatusCode::OK);
            assert!(form.body.contains("value=\"2026-12-15\""), "{}", form.body);
            assert!(form.body.contains("value=\"14:30\""));
            assert!(
                form.body
                    .contains(&format!("value=\"{ROUSSEAU_RPPS}\" checked")),
                "{}",
                form.body
            );
            let token = form.csrf();
            let mut fields: Vec<(&str, &str)> = vec![("csrf", &token)];
            fields.extend_from_slice(ROUSSEAU);
            let bad: Vec<(&str, &str)> = fields
                .iter()
                .map(|&(k, v)| if k == "heure" { (k, "25:00") } else { (k, v) })
                .collect();
            let r = app.post(&edit, &bad).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(
                r.body.contains("L’heure « 25:00 » n’est pas valide"),
                "{}",
                r.body
            );
            let moved: Vec<(&str, &str)> = fields
                .iter()
                .map(|&(k, v)| match k {
                    "heure" => (k, "15h"),
                    "date" => (k, "15/12/2026"),
                    _ => (k, v),
                })
                .collect();
            let r = app.post(&edit, &moved).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            assert_eq!(r.location(), "/agenda?avis=modifie");
            let a = storage::get(&app.state.db, CAMILLE_NIR, id)
                .await
                .expect("get");
            assert_eq!(a.draft.starts_at, APPOINTMENT + 1800);

            // Another citizen cannot reach it.
            let mut chloe = app.other_browser();
            log_in(&mut chloe, CHLOE_NIR).await;
            assert_eq!(chloe.get(&edit).await.status, StatusCode::NOT_FOUND);
            let token = csrf(&mut chloe).await;
            let r = chloe
                .post(&format!("/agenda/{id}/supprimer"), &[("csrf", &token)])
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
            assert!(!chloe.get("/agenda").await.body.contains("ROUSSEAU"));

            let del = format!("/agenda/{id}/supprimer");
            assert_eq!(
                app.post(&del, &[("csrf", "faux")]).await.status,
                StatusCode::FORBIDDEN
            );
            let token = csrf(&mut app).await;
            let r = app.post(&del, &[("csrf", &token)]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_eq!(r.location(), "/agenda?avis=supprime");
            assert!(
                storage::list(&app.state.db, CAMILLE_NIR)
                    .await
                    .expect("list")
                    .is_empty()
            );
            assert_eq!(app.get(&edit).await.status, StatusCode::NOT_FOUND);
        }
    })
    .await;
}

/// The `.ics` lines with folding undone (RFC 5545 §3.1).
fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "").replace("\r\n\t", "")
}

#[tokio::test]
async fn ics_export() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = camille(db, sink).await;
            let r = add(
                &mut app,
                &[
                    ("objet", "Échographie ; contrôle, suivi"),
                    ("avec", "Centre d’imagerie Léonard-de-Vinci"),
                    ("date", "15/12/2026"),
                    ("heure", "14:30"),
                    ("lieu", "Tours; bâtiment B, 2e étage"),
                    ("notes", "À jeun\nApporter la carte Vitale"),
                    ("rappel", "2h"),
                ],
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            // Far in the past: not in the export.
            let r = add(&mut app, &[("avec", "Ancien", ), ("date", "01/06/2026"), ("heure", "11:00")]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let id = storage::list(&app.state.db, CAMILLE_NIR).await.expect("list")[1].id;

            let r = app.get("/agenda/rendez-vous.ics").await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.headers[header::CONTENT_TYPE], "text/calendar; charset=utf-8");
            let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().expect("ascii");
            assert!(disposition.starts_with("attachment;"), "{disposition}");
            assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
            assert!(r.body.starts_with("BEGIN:VCALENDAR\r\n"), "{}", r.body);
            let flat = unfold(&r.body);
            let lines: Vec<&str> = flat.split("\r\n").collect();
            for want in [
                format!("UID:rdv-{id}@localhost").as_str(),
                "DTSTART:20261215T133000Z",
                "SUMMARY:Échographie \\; contrôle\\, suivi",
                "LOCATION:Tours\\; bâtiment B\\, 2e étage",
                "DESCRIPTION:Avec : Centre d’imagerie Léonard-de-Vinci\\nÀ jeun\\nApporter la carte Vitale",
                "TRIGGER;RELATED=START:-PT7200S",
            ] {
                assert!(lines.contains(&want), "no line {want:?} in\n{flat}");
            }
            assert_eq!(flat.matches("BEGIN:VEVENT").count(), 1, "{flat}");
            assert!(!flat.contains("Ancien"));
            // Stable: the same export twice is the same file.
            assert_eq!(app.get("/agenda/rendez-vous.ics").await.body, r.body);
        }
    })
    .await;
}

#[tokio::test]
async fn prevention_and_a_child() {
    let sink = Arc::new(Sink::start());
    store::testing::for_each_backend(|db| {
        let sink = sink.clone();
        async move {
            let mut app = camille(db, sink).await;
            // Camille is 86: vaccines from 65 on, no screening.
            let page = app.get("/agenda").await.body;
            for id in ["grippe", "zona", "pneumocoque", "dtp-75-ans-et-plus"] {
                assert!(
                    page.contains(&format!("id=\"proposition-{id}\"")),
                    "{id}: {page}"
                );
            }
            assert!(!page.contains("proposition-depistage-sein"));
            assert!(page.contains("Haute Autorité de santé (HAS)"));

            let token = csrf(&mut app).await;
            let ignore = "/agenda/prevention/grippe/ignorer";
            assert_eq!(
                app.post(ignore, &[("csrf", "faux")]).await.status,
                StatusCode::FORBIDDEN
            );
            let r = app.post(ignore, &[("csrf", &token)]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            let page = app
                .get(r.location().split('#').next().unwrap_or(""))
                .await
                .body;
            assert!(!page.contains("id=\"proposition-grippe\""), "{page}");
            assert!(page.contains("ne sera plus affichée"), "{page}");
            let r = app
                .post("/agenda/prevention/inconnue/ignorer", &[("csrf", &token)])
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);

            // Plan: the add form comes pre-filled, the appointment remembers the proposal.
            let r = app
                .post("/agenda/prevention/zona/planifier", &[("csrf", &token)])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_eq!(r.location(), "/agenda?regle=zona#ajout");
            let page = app.get("/agenda?regle=zona").await.body;
            assert!(
                page.contains("value=\"Vaccination contre le zona\""),
                "{page}"
            );
            assert!(page.contains("name=\"regle\" value=\"zona\""), "{page}");
            let r = add(
                &mut app,
                &[
                    ("objet", "Vaccination contre le zona"),
                    ("regle", "zona"),
                    ("avec", "Pharmacie du centre"),
                    ("date", "2026-12-20"),
                    ("heure", "10:00"),
                ],
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let page = app.get("/agenda").await.body;
            assert!(page.contains("id=\"planifie-zona\""), "{page}");
            assert!(
                page.contains("Rendez-vous prévu le dimanche 20 décembre 2026 à 10 h"),
                "{page}"
            );

            // Acting for Lou (11): the child's agenda and the child's proposals.
            let lou = address(LOU_NIR);
            let r = app
                .post("/profils/changer", &[("csrf", &token), ("profil", &lou)])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let page = app.get("/agenda").await.body;
            assert!(page.contains("Agenda santé de Lou MARTIN"), "{page}");
            for id in ["examen-11-13-ans", "rappel-11-13-ans", "hpv-11-14-ans"] {
                assert!(
                    page.contains(&format!("id=\"proposition-{id}\"")),
                    "{id}: {page}"
                );
            }
            assert!(!page.contains("proposition-zona"));
            assert!(
                !page.contains("Pharmacie du centre"),
                "Camille's appointment shown to Lou"
            );
            let r = add(
                &mut app,
                &[
                    ("avec", "Orthodontiste"),
                    ("date", "2026-12-16"),
                    ("heure", "17:00"),
                ],
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let lou_list = storage::list(&app.state.db, LOU_NIR).await.expect("list");
            assert_eq!(lou_list.len(), 1);
            assert_eq!(lou_list[0].author.kind, AuthorKind::Guardian);
            assert_eq!(lou_list[0].author.id, CAMILLE_NIR);
            assert_eq!(
                storage::list(&app.state.db, CAMILLE_NIR)
                    .await
                    .expect("list")
                    .len(),
                1
            );
        }
    })
    .await;
}
