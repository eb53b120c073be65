//! The citizen's DMP pages (issue 7), driven with `oneshot`: documents by category, upload
//! (size, type, CSRF), download headers, hide/unhide, delete, access settings, history, and a
//! parent acting for a child.

mod mail_support;

use axum::http::{StatusCode, header};
use dmp_bridge::professional::Deposit;
use dmp_bridge::{Category, Citizen, Mode, Professional};
use mail_support::*;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const LOU_NIR: &str = "115063726104045";
const ROUSSEAU_RPPS: &str = "10693719556";

fn rousseau() -> Professional {
    Professional {
        rpps: ROUSSEAU_RPPS.into(),
        name: Some("Léa ROUSSEAU".into()),
        profession_code: Some("10".into()),
        structure: None,
    }
}

fn pharmacist() -> Professional {
    Professional {
        rpps: "10000000021".into(),
        name: Some("Paul PHARMA".into()),
        profession_code: Some("21".into()),
        structure: None,
    }
}

async fn count(h: &Harness, ins: &str) -> usize {
    dmp_bridge::document::list(h.state.dmp.db(), ins)
        .await
        .expect("list")
        .len()
}

async fn upload(h: &Harness, csrf: &str, title: &str, bytes: &[u8]) -> Answer {
    h.post_multipart(
        "/documents/ajouter",
        &[("csrf", csrf), ("titre", title), ("categorie", "biologie")],
        Some(("fichier", "analyse.pdf", "application/pdf", bytes)),
    )
    .await
}

#[tokio::test]
async fn categories_upload_download_hide_delete() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        categories_upload_download_hide_delete_on(backend).await;
    }
}

async fn categories_upload_download_hide_delete_on(backend: store::Backend) {
    let h = harness(backend).await;
    let page = h.get("/documents").await;
    assert_eq!(page.status, StatusCode::OK);
    for c in Category::ALL {
        assert!(page.text().contains(c.label()), "{}", c.label());
    }
    assert!(page.text().contains("id=\"aucun-document\""));
    let css = h.get("/static/documents.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(page.text().contains("/static/documents.css"));

    // CSRF, type and emptiness are checked before anything is written.
    assert_eq!(
        upload(&h, "faux", "Bilan", PDF).await.status,
        StatusCode::FORBIDDEN
    );
    let exe = upload(&h, &h.csrf, "Bilan", b"MZ\x90\x00\x03\x00\x00\x00").await;
    assert_eq!(exe.status, StatusCode::BAD_REQUEST);
    assert!(exe.text().contains("type de fichier"), "{}", exe.text());
    assert_eq!(count(&h, CITIZEN_NIR).await, 0);

    let r = upload(&h, &h.csrf, "Bilan sanguin mars", PDF).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/documents?avis=ajoute");
    let docs = dmp_bridge::document::list(h.state.dmp.db(), CITIZEN_NIR)
        .await
        .expect("list");
    let id = docs[0].id;
    assert_eq!(docs[0].meta.category, Category::Biologie);
    assert_eq!(docs[0].meta.mime_type, "application/pdf");
    let page = h.get("/documents").await.text();
    assert!(page.contains("Bilan sanguin mars"));

    let file = h.get(&format!("/documents/{id}/fichier")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, PDF);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(file.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let disposition = file.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii");
    assert!(disposition.starts_with("attachment;"), "{disposition}");

    // Hide from professionals: a pharmacist (matrix allows biologie) no longer lists it.
    let hide = format!("/documents/{id}/masquer");
    let r = h.post_form(&hide, "csrf=faux&masquer=1").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h
        .post_form(&hide, &format!("csrf={}&masquer=1", h.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = h.get(&format!("/documents/{id}?avis=masque")).await.text();
    assert!(page.contains("id=\"btn-afficher\""), "{page}");
    let seen = h
        .state
        .dmp
        .pro_list(&pharmacist(), CITIZEN_NIR, &Mode::Normal)
        .await;
    assert!(seen.expect("pharmacist lists").iter().all(|d| d.id != id));
    let r = h
        .post_form(&hide, &format!("csrf={}&masquer=0", h.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let seen = h
        .state
        .dmp
        .pro_list(&pharmacist(), CITIZEN_NIR, &Mode::Normal)
        .await;
    assert!(seen.expect("pharmacist lists").iter().any(|d| d.id == id));

    // Delete: only what the citizen put in.
    let del = format!("/documents/{id}/supprimer");
    assert_eq!(
        h.post_form(&del, "csrf=faux").await.status,
        StatusCode::FORBIDDEN
    );
    let r = h.post_form(&del, &format!("csrf={}", h.csrf)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&h, CITIZEN_NIR).await, 0);
    assert_eq!(
        h.get(&format!("/documents/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    let dep = Deposit {
        title: "Compte rendu de consultation".into(),
        mime_type: "application/pdf".into(),
        class_code: Some("10".into()),
        ..Deposit::default()
    };
    let doc = h
        .state
        .dmp
        .pro_deposit(&rousseau(), CITIZEN_NIR, dep, PDF)
        .await
        .expect("deposit");
    let page = h.get(&format!("/documents/{}", doc.id)).await.text();
    assert!(page.contains("id=\"suppression-impossible\""), "{page}");
    let r = h
        .post_form(
            &format!("/documents/{}/supprimer", doc.id),
            &format!("csrf={}", h.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&h, CITIZEN_NIR).await, 1);
}

#[tokio::test]
async fn access_settings_and_history() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        access_settings_and_history_on(backend).await;
    }
}

async fn access_settings_and_history_on(backend: store::Backend) {
    let h = harness(backend).await;
    let page = h.get("/documents/acces?q=rousseau").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains(ROUSSEAU_RPPS), "{}", page.text());
    let page = h.get(&format!("/documents/acces?q={ROUSSEAU_RPPS}")).await;
    assert!(page.text().contains("Léa ROUSSEAU"), "{}", page.text());

    let mt = "/documents/acces/medecin-traitant";
    let r = h
        .post_form(mt, &format!("csrf=faux&rpps={ROUSSEAU_RPPS}"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h
        .post_form(mt, &format!("csrf={}&rpps=12345678901", h.csrf))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = h
        .post_form(mt, &format!("csrf={}&rpps={ROUSSEAU_RPPS}", h.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let me = Citizen::patient(CITIZEN_NIR);
    let s = h.state.dmp.citizen_settings(&me).await.expect("settings");
    assert_eq!(s.medecin_traitant.as_deref(), Some(ROUSSEAU_RPPS));

    let bl = "/documents/acces/blocage";
    let r = h
        .post_form(
            bl,
            &format!("csrf={}&rpps=10000000021&action=bloquer", h.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        h.state
            .dmp
            .pro_list(&pharmacist(), CITIZEN_NIR, &Mode::Normal)
            .await
            .is_err(),
        "a blocked professional reads nothing"
    );
    let page = h.get("/documents/acces").await.text();
    assert!(page.contains("btn-debloquer-10000000021"), "{page}");
    let r = h
        .post_form(
            bl,
            &format!("csrf={}&rpps=10000000021&action=debloquer", h.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let op = "/documents/acces/oppositions";
    assert_eq!(
        h.post_form(op, "csrf=faux&samu=oui").await.status,
        StatusCode::FORBIDDEN
    );
    let r = h
        .post_form(op, &format!("csrf={}&bris_de_glace=oui", h.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let s = h.state.dmp.citizen_settings(&me).await.expect("settings");
    assert!(s.oppose_break_glass && !s.oppose_samu);
    let glass = Mode::BreakGlass {
        justification: "patient inconscient aux urgences".into(),
    };
    assert!(
        h.state
            .dmp
            .pro_list(&pharmacist(), CITIZEN_NIR, &glass)
            .await
            .is_err()
    );
    let r = h.post_form(op, &format!("csrf={}", h.csrf)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    h.state
        .dmp
        .pro_list(&pharmacist(), CITIZEN_NIR, &glass)
        .await
        .expect("break-glass once no longer opposed");

    let page = h.get("/documents/historique").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Paul PHARMA (RPPS 10000000021)"), "{text}");
    assert!(
        text.contains("a consulté la liste de vos documents"),
        "{text}"
    );
    assert!(text.contains("Urgence (bris de glace)"), "{text}");
    assert!(text.contains("patient inconscient aux urgences"), "{text}");
    assert!(text.contains("a changé de médecin traitant"), "{text}");
}

#[tokio::test]
async fn a_parent_sees_the_child_record_minus_hidden_from_parents() {
    let h = harness(store::Backend::Sqlite).await;
    for (title, hidden) in [("Vaccins", false), ("Consultation confidentielle", true)] {
        let dep = Deposit {
            title: title.into(),
            mime_type: "application/pdf".into(),
            class_code: Some("10".into()),
            invisible_rep_legaux: hidden,
            ..Deposit::default()
        };
        h.state
            .dmp
            .pro_deposit(&rousseau(), LOU_NIR, dep, PDF)
            .await
            .expect("deposit for the child");
    }
    // Her own record first: the child's documents are not there.
    assert!(!h.get("/documents").await.text().contains("Vaccins"));
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
    let page = h.get("/documents").await.text();
    assert!(page.contains("Vaccins"), "{page}");
    assert!(!page.contains("Consultation confidentielle"), "{page}");
    let history = h.get("/documents/historique").await.text();
    assert!(history.contains("a ajouté un document"), "{history}");
}

#[tokio::test]
async fn an_upload_over_the_size_limit_is_refused() {
    let settings = webmail::settings::WebmailSettings {
        max_attachment_bytes: 2_000,
        ..Default::default()
    };
    let h = harness_with(store::Backend::Sqlite, settings).await;
    let mut big = PDF.to_vec();
    big.resize(2_000_000, b' ');
    let r = upload(&h, &h.csrf, "Scanner", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.text().contains("trop volumineux"), "{}", r.text());
    assert_eq!(count(&h, CITIZEN_NIR).await, 0);
}

#[tokio::test]
async fn the_closing_export_is_an_xdm_zip_that_files_again() {
    let h = harness(store::Backend::Sqlite).await;
    let r = upload(&h, &h.csrf, "Bilan sanguin", PDF).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = h.get("/fermeture").await.text();
    assert!(page.contains("id=\"lien-export-documents\""), "{page}");
    let zip = h.get("/fermeture/export-documents").await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers[header::CONTENT_TYPE], "application/zip");
    assert!(
        zip.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .starts_with("attachment;")
    );
    // Re-filing the export into an empty record (after a deletion) restores the document.
    let id = dmp_bridge::document::list(h.state.dmp.db(), CITIZEN_NIR)
        .await
        .expect("list")[0]
        .id;
    let r = h
        .post_form(
            &format!("/documents/{id}/supprimer"),
            &format!("csrf={}", h.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let me = Citizen::patient(CITIZEN_NIR);
    let filed = h
        .state
        .dmp
        .citizen_file_xdm(&me, zip.body)
        .await
        .expect("re-import");
    assert_eq!(filed.new, 1);
    let docs = dmp_bridge::document::list(h.state.dmp.db(), CITIZEN_NIR)
        .await
        .expect("list");
    assert_eq!(docs[0].meta.title, "Bilan sanguin");
    assert_eq!(docs[0].meta.category, Category::Biologie);
}
