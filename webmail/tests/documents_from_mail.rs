//! Filing from a message into the DMP (issue 7): "Enregistrer dans mon dossier" on an attachment
//! (category suggested, title edited), an attached IHE XDM package filed whole, and hostile or
//! foreign packages refused with the bridge's sentence and nothing written.

mod mail_support;

use std::io::Write;

use axum::http::StatusCode;
use base64::Engine;
use dmp_bridge::{Category, Source};
use mail_support::*;
use zip::write::SimpleFileOptions;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// A professional's message with one attachment.
fn with_attachment(subject: &str, name: &str, ctype: &str, bytes: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    format!(
        "From: \"Dr Camille Martin\" <{DOCTOR}>\r\nTo: {CITIZEN}\r\nSubject: {subject}\r\n\
Message-ID: <{}@medecin.mssante.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nVoici le document.\r\n--m\r\n\
Content-Type: {ctype}\r\nContent-Transfer-Encoding: base64\r\n\
Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{}\r\n--m--\r\n",
        subject.len() * 31 + bytes.len(),
        lines.join("\r\n")
    )
}

async fn deliver(h: &Harness, subject: &str, name: &str, ctype: &str, bytes: &[u8]) -> u32 {
    h.deliver_from(
        DOCTOR,
        CITIZEN,
        &with_attachment(subject, name, ctype, bytes),
    )
    .await;
    *h.uids(CITIZEN, "INBOX").await.last().expect("delivered")
}

async fn documents(h: &Harness) -> Vec<dmp_bridge::Document> {
    dmp_bridge::document::list(h.state.dmp.db(), CITIZEN_NIR)
        .await
        .expect("list")
}

#[tokio::test]
async fn an_attachment_is_filed_with_the_chosen_category_and_title() {
    let h = harness(store::Backend::Sqlite).await;
    let uid = deliver(
        &h,
        "Votre IRM",
        "compte-rendu_irm.pdf",
        "application/pdf",
        PDF,
    )
    .await;
    let message = h.get(&format!("/messages/recus/{uid}")).await.text();
    assert!(message.contains("id=\"dossier-0\""), "{message}");
    assert!(message.contains("Enregistrer dans mon dossier"));
    assert!(!message.contains("btn-xdm-0"), "no XDM button for a PDF");

    let form_url = format!("/messages/recus/{uid}/pieces/0/dossier");
    let form = h.get(&form_url).await;
    assert_eq!(form.status, StatusCode::OK);
    let text = form.text();
    assert!(
        text.contains("<option value=\"imagerie\" selected>"),
        "suggested category: {text}"
    );
    assert!(text.contains("value=\"compte rendu irm\""), "{text}");

    let r = h
        .post_form(&form_url, "csrf=faux&titre=IRM&categorie=imagerie")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(documents(&h).await.is_empty());
    let r = h
        .post_form(
            &form_url,
            &format!(
                "csrf={}&titre=IRM+du+genou&categorie=comptes_rendus",
                h.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let docs = documents(&h).await;
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(r.location(), format!("/documents/{}?avis=classe", d.id));
    assert_eq!(d.meta.title, "IRM du genou");
    assert_eq!(d.meta.category, Category::ComptesRendus);
    assert_eq!(d.meta.source, Source::Mail);
    assert_eq!(d.meta.author_structure.as_deref(), Some(DOCTOR));
    let page = h.get(&r.location()).await.text();
    assert!(
        page.contains("IRM du genou") && page.contains("id=\"avis\""),
        "{page}"
    );

    // Someone else's message number, or a missing attachment: not found.
    let r = h
        .get(&format!("/messages/recus/{uid}/pieces/7/dossier"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_xdm_package_is_filed_whole() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        an_xdm_package_is_filed_whole_on(backend).await;
    }
}

async fn an_xdm_package_is_filed_whole_on(backend: store::Backend) {
    let h = harness(backend).await;
    let zip = std::fs::read(fixture("xdm/IHE_XDM.ZIP")).expect("fixture");
    let uid = deliver(&h, "Vos résultats", "IHE_XDM.ZIP", "application/zip", &zip).await;
    let message = h.get(&format!("/messages/recus/{uid}")).await.text();
    assert!(
        message.contains("Classer ce dossier médical (XDM)"),
        "{message}"
    );
    let url = format!("/messages/recus/{uid}/pieces/0/xdm");
    assert_eq!(
        h.post_form(&url, "csrf=faux").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(documents(&h).await.is_empty());
    let r = h.post_form(&url, &format!("csrf={}", h.csrf)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/documents?avis=paquet");
    let filed = documents(&h).await;
    assert!(!filed.is_empty());
    assert!(filed.iter().all(|d| d.meta.source == Source::Xdm));
    // Filing the same package again adds nothing.
    let r = h.post_form(&url, &format!("csrf={}", h.csrf)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(documents(&h).await.len(), filed.len());
}

/// The fixture package with one more entry whose path leaves the archive.
fn with_traversal(fixture_zip: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(fixture_zip)).expect("fixture zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let entry = src.by_index_raw(i).expect("entry");
        out.raw_copy_file(entry).expect("copy");
    }
    out.start_file(
        "IHE_XDM/SUBSET01/../../../evil.sh",
        SimpleFileOptions::default(),
    )
    .expect("entry");
    out.write_all(b"#!/bin/sh\necho pwned\n").expect("write");
    out.finish().expect("zip").into_inner()
}

#[tokio::test]
async fn hostile_and_foreign_packages_are_refused_with_nothing_written() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        hostile_and_foreign_packages_are_refused_with_nothing_written_on(backend).await;
    }
}

async fn hostile_and_foreign_packages_are_refused_with_nothing_written_on(backend: store::Backend) {
    let h = harness(backend).await;
    let fixture_zip = std::fs::read(fixture("xdm/IHE_XDM.ZIP")).expect("fixture");
    let foreign = tempfile::NamedTempFile::new().expect("temp");
    dmp_bridge::xdm::synth::write_package(foreign.path(), "143024503800277", 4096, 2)
        .expect("foreign package");
    let foreign = std::fs::read(foreign.path()).expect("read");
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "traversal",
            with_traversal(&fixture_zip),
            "chemin de fichier dangereux",
        ),
        ("foreign", foreign, "concerne un autre patient"),
        (
            "broken",
            b"PK\x03\x04 pas une archive".to_vec(),
            "archive ZIP lisible",
        ),
    ];
    for (what, bytes, sentence) in cases {
        let uid = deliver(&h, what, "IHE_XDM.ZIP", "application/zip", &bytes).await;
        let r = h
            .post_form(
                &format!("/messages/recus/{uid}/pieces/0/xdm"),
                &format!("csrf={}", h.csrf),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let text = r.text();
        assert!(text.contains(sentence), "{what}: {text}");
        assert!(text.contains("id=\"erreur\""), "{what}");
        assert!(documents(&h).await.is_empty(), "{what}: nothing filed");
    }
    let history = dmp_bridge::audit::history(h.state.dmp.db(), CITIZEN_NIR)
        .await
        .expect("history");
    assert!(history.is_empty(), "no action recorded: {history:?}");
}
