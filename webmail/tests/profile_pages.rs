//! The medical profile pages (issue 9), driven with `oneshot`: the overview of the nine
//! sections, adding / editing / deleting an entry, CSRF refusals, French validation messages
//! beside their fields with the typed values kept, and a parent acting for a child.

mod mail_support;

use axum::http::StatusCode;
use health::AuthorKind;
use health::profile::{self, Section};
use mail_support::*;

const LOU_NIR: &str = "115063726104045";

type Case = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    &'static str,
    &'static str,
);

fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).expect("encode")
}

async fn entries(h: &Harness, ins: &str) -> Vec<profile::Entry> {
    profile::entries(&h.state.db, ins).await.expect("entries")
}

#[tokio::test]
async fn add_edit_delete_an_entry() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        add_edit_delete_on(backend).await;
    }
}

async fn add_edit_delete_on(backend: store::Backend) {
    let h = harness(backend).await;
    let page = h.get("/profil").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for s in Section::ALL {
        assert!(text.contains(s.label()), "{}", s.label());
        assert!(text.contains(&format!("href=\"/profil/{}\"", s.slug())));
    }
    assert!(text.contains("href=\"/profil/mesures\""));
    assert!(text.contains("href=\"/profil/synthese\""));
    assert_eq!(h.get("/static/profile.css").await.status, StatusCode::OK);
    assert_eq!(
        h.get("/profil/inconnue").await.status,
        StatusCode::NOT_FOUND
    );

    let empty = h.get("/profil/traitements").await.text();
    assert!(empty.contains("id=\"aucune-entree\""), "{empty}");
    assert!(empty.contains("<label for=\"ajout-dose\">Dose"), "{empty}");

    // A wrong CSRF token writes nothing.
    let body = form(&[("csrf", "faux"), ("title", "Metformine")]);
    let r = h.post_form("/profil/traitements/ajouter", &body).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(entries(&h, CITIZEN_NIR).await.is_empty());

    let body = form(&[
        ("csrf", &h.csrf),
        ("title", "Metformine"),
        ("dose", "500 mg"),
        ("frequency", "2 fois par jour"),
        ("start_date", "01/02/2020"),
        ("status", "en-cours"),
    ]);
    let r = h.post_form("/profil/traitements/ajouter", &body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/profil/traitements?avis=ajoute");
    let page = h.get(&r.location()).await.text();
    assert!(
        page.contains("L&#39;information a été ajoutée")
            || page.contains("L'information a été ajoutée"),
        "{page}"
    );
    assert!(
        page.contains("Metformine — 500 mg, 2 fois par jour — depuis le 01/02/2020 — en cours"),
        "{page}"
    );
    assert!(page.contains("Saisi par vous"), "{page}");
    let all = entries(&h, CITIZEN_NIR).await;
    assert_eq!(all.len(), 1);
    let id = all[0].id;
    assert_eq!(all[0].author.kind, AuthorKind::Patient);
    assert!(h.get("/profil").await.text().contains("1 information"));

    // The edit form shows the stored values back, dates in the French form.
    let edit = h.get(&format!("/profil/traitements/{id}/modifier")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.text().contains("value=\"01/02/2020\""),
        "{}",
        edit.text()
    );
    let body = form(&[
        ("csrf", &h.csrf),
        ("title", "Metformine"),
        ("dose", "850 mg"),
        ("start_date", "01/02/2020"),
        ("end_date", "01/01/2019"),
    ]);
    let r = h
        .post_form(&format!("/profil/traitements/{id}/modifier"), &body)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let t = r.text();
    assert!(t.contains("ne peut pas précéder la date de début"), "{t}");
    assert!(t.contains("value=\"850 mg\""), "typed value kept: {t}");
    assert!(t.contains("aria-invalid=\"true\""), "{t}");
    assert_eq!(entries(&h, CITIZEN_NIR).await[0].data.dose, "500 mg");

    let body = form(&[
        ("csrf", &h.csrf),
        ("title", "Metformine"),
        ("dose", "850 mg"),
        ("start_date", "01/02/2020"),
        ("end_date", "01/01/2024"),
    ]);
    let r = h
        .post_form(&format!("/profil/traitements/{id}/modifier"), &body)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let e = &entries(&h, CITIZEN_NIR).await[0];
    assert_eq!(e.data.dose, "850 mg");
    assert_eq!(e.data.end_date.as_deref(), Some("2024-01-01"));
    assert_eq!(e.data.status, Some(profile::Status::Past));

    // An entry of another section, or of nobody, is not found.
    assert_eq!(
        h.get(&format!("/profil/allergies/{id}/modifier"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = h
        .post_form(
            &format!("/profil/traitements/{id}/supprimer"),
            &form(&[("csrf", "x")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h
        .post_form(
            &format!("/profil/traitements/{id}/supprimer"),
            &form(&[("csrf", &h.csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/profil/traitements?avis=supprime");
    assert!(entries(&h, CITIZEN_NIR).await.is_empty());
    let r = h
        .post_form(
            &format!("/profil/traitements/{id}/supprimer"),
            &form(&[("csrf", &h.csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn validation_messages_in_french_beside_their_fields() {
    let h = harness(store::Backend::Sqlite).await;
    // (section, fields typed, id of the error beside the field, message)
    let cases: [Case; 5] = [
        (
            "vaccinations",
            vec![("title", "DTP"), ("start_date", "2024-02-30")],
            "ajout-start-date-erreur",
            "La date de l&#39;injection doit être au format JJ/MM/AAAA.",
        ),
        (
            "maladies",
            vec![("title", ""), ("start_date", "01/01/2020")],
            "ajout-title-erreur",
            "Le champ « Maladie ou sujet de santé » est obligatoire.",
        ),
        (
            "allergies",
            vec![("title", "Pollen"), ("start_date", "01/01/2099")],
            "ajout-start-date-erreur",
            "La date de découverte ne peut pas être dans le futur.",
        ),
        (
            "antecedents-familiaux",
            vec![("title", "Diabète")],
            "ajout-relation-erreur",
            "Choisissez « Lien de parenté ».",
        ),
        (
            "entourage",
            vec![("kind", "personne"), ("title", "Marie"), ("phone", "abc")],
            "ajout-phone-erreur",
            "Le numéro de téléphone n&#39;est pas valide",
        ),
    ];
    for (slug, fields, error_id, message) in cases {
        let mut all = vec![("csrf", h.csrf.as_str())];
        all.extend(fields.iter().copied());
        let r = h
            .post_form(&format!("/profil/{slug}/ajouter"), &form(&all))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{slug}");
        let t = r.text().replace("&#x27;", "&#39;");
        assert!(t.contains(&format!("id=\"{error_id}\"")), "{slug}: {t}");
        assert!(t.contains(message), "{slug}: {message} in {t}");
        assert!(t.contains("id=\"erreurs\""), "{slug}");
    }
    assert!(entries(&h, CITIZEN_NIR).await.is_empty());
}

#[tokio::test]
async fn a_parent_edits_the_child_profile() {
    let h = harness(store::Backend::Sqlite).await;
    let session_id: String =
        sqlx::query_scalar("SELECT public_id FROM web_session WHERE login = $1")
            .bind(CITIZEN.to_string())
            .fetch_one(h.state.db.pool())
            .await
            .expect("session");
    let lou = format!("{LOU_NIR}@{CITIZEN_DOMAIN}");
    webmail::security::session::set_acting(&h.state, &session_id, &lou)
        .await
        .expect("act as Lou");
    let body = form(&[
        ("csrf", &h.csrf),
        ("title", "ROR"),
        ("start_date", "15/03/2024"),
        ("dose_number", "1"),
        ("lot", "X123"),
    ]);
    let r = h.post_form("/profil/vaccinations/ajouter", &body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let lou_entries = entries(&h, LOU_NIR).await;
    assert_eq!(lou_entries.len(), 1);
    assert_eq!(lou_entries[0].author.kind, AuthorKind::Guardian);
    assert_eq!(lou_entries[0].author.id, CITIZEN_NIR);
    assert!(
        entries(&h, CITIZEN_NIR).await.is_empty(),
        "not the parent's own profile"
    );
    let page = h.get("/profil/vaccinations").await.text();
    assert!(
        page.contains("ROR — dose 1, lot X123 — le 15/03/2024"),
        "{page}"
    );
    assert!(page.contains("Saisi par vous"), "{page}");
    let overview = h.get("/profil").await.text();
    assert!(overview.contains("Profil médical de"), "{overview}");
}
