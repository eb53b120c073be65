//! The synthèse pages (issue 9): the explanation page, the PDF download (the synthèse of the
//! acting profile's data), filing it into the DMP under « Ma santé en résumé », and sending it
//! to a professional who wrote first — through the delivery pipeline, into Envoyés and the
//! professional's mailbox — refused to one who never wrote or who ended the conversation.
//! CSRF on every POST. Run on SQLite and PostgreSQL.

mod mail_support;

use axum::http::{StatusCode, header};
use dmp_bridge::{Action, Category, Citizen};
use health::profile::{EntryData, Section};
use health::{Author, AuthorKind};
use mail_parser::MimeHeaders;
use mail_support::*;
use store::testing::BACKENDS;
use webmail::views::french_datetime;

const CARDIO_RPPS: &str = "10693719556";
const LOU_NIR: &str = "115063726104045";

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A profile with an allergy, a treatment, a blood pressure and a médecin traitant.
async fn fill_profile(h: &Harness) {
    let me = Author {
        kind: AuthorKind::Patient,
        id: CITIZEN_NIR.into(),
        name: String::new(),
    };
    let allergy = EntryData {
        title: "Pénicilline".into(),
        reaction: "urticaire".into(),
        ..Default::default()
    };
    health::profile::add(&h.state.db, CITIZEN_NIR, Section::Allergies, &allergy, &me)
        .await
        .expect("allergy");
    let treatment = EntryData {
        title: "Ramipril".into(),
        dose: "5 mg".into(),
        ..Default::default()
    };
    health::profile::add(
        &h.state.db,
        CITIZEN_NIR,
        Section::Treatments,
        &treatment,
        &me,
    )
    .await
    .expect("treatment");
    let day = time::OffsetDateTime::now_utc().date() - time::Duration::days(2);
    let measure = health::measures::NewMeasure {
        kind: "tension".into(),
        value: "125".into(),
        value2: "80".into(),
        unit: "mmHg".into(),
        date: format!(
            "{:04}-{:02}-{:02}",
            day.year(),
            u8::from(day.month()),
            day.day()
        ),
        ..Default::default()
    };
    health::measures::add(&h.state.db, CITIZEN_NIR, &measure, &me)
        .await
        .expect("measure");
    h.state
        .dmp
        .citizen_set_medecin_traitant(&Citizen::patient(CITIZEN_NIR), Some(CARDIO_RPPS))
        .await
        .expect("médecin traitant");
}

/// The PDF the server makes for `ins` now (the same minute gives the same bytes).
async fn expected_pdf(h: &Harness, ins: &str, at: &str) -> Vec<u8> {
    let input = health::synthesis::gather(&h.state.db, ins, at)
        .await
        .expect("gather");
    health::synthesis::render_pdf(&input).expect("render")
}

/// Fetches `uri` and the PDF the server would make for `ins` in the same minute (retried if
/// the minute turned during the request).
async fn fetch_with_expected(h: &Harness, uri: &str, ins: &str) -> (Answer, Vec<u8>) {
    loop {
        let before = french_datetime(h.state.now());
        let got = h.get(uri).await;
        if french_datetime(h.state.now()) == before {
            let want = expected_pdf(h, ins, &before).await;
            return (got, want);
        }
    }
}

#[tokio::test]
async fn page_download_and_filing() {
    for backend in BACKENDS {
        eprintln!("-- {backend:?}");
        let h = harness(backend).await;
        fill_profile(&h).await;

        let css = h.get("/static/synthesis.css").await;
        assert_eq!(css.status, StatusCode::OK);
        let page = h.get("/profil/synthese").await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        for want in [
            "Télécharger le PDF",
            "Enregistrer dans mon dossier",
            "Envoyer à un professionnel",
            "<strong>Allergies</strong> : 1 élément",
            "<strong>Vaccinations</strong> : aucune information renseignée",
            "<strong>Dernières mesures</strong> : 1 élément",
            "Dr Léa ROUSSEAU (RPPS 10693719556)",
        ] {
            assert!(text.contains(want), "missing {want:?} in {text}");
        }

        // The download: a PDF attachment, not cached, and exactly the synthèse of the data.
        let (r, want) = fetch_with_expected(&h, "/profil/synthese.pdf", CITIZEN_NIR).await;
        assert_eq!(r.status, StatusCode::OK);
        let hv = |n: header::HeaderName| {
            r.headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(hv(header::CONTENT_TYPE), "application/pdf");
        let disposition = hv(header::CONTENT_DISPOSITION);
        assert!(
            disposition.starts_with("attachment; filename=\"synthese-medicale-")
                && disposition.ends_with(".pdf\""),
            "{disposition}"
        );
        assert_eq!(hv(header::CACHE_CONTROL), "no-store");
        assert!(r.body.starts_with(b"%PDF-"));
        assert!(
            r.body == want,
            "the download is the synthèse of the profile"
        );
        let input = health::synthesis::gather(&h.state.db, CITIZEN_NIR, "x")
            .await
            .expect("gather");
        let lines: Vec<&str> = input
            .sections
            .iter()
            .flat_map(|b| b.lines.iter().map(String::as_str))
            .collect();
        assert!(lines.contains(&"Pénicilline — urticaire"), "{lines:?}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Tension artérielle : 125/80"))
        );
        assert_eq!(input.patient.birth_name, "MARTIN");

        // Filing: CSRF first, then one document in « Ma santé en résumé », audited.
        let me = Citizen::patient(CITIZEN_NIR);
        let bad = h
            .post_form("/profil/synthese/classer", "csrf=pas-le-bon")
            .await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN);
        assert!(
            h.state
                .dmp
                .citizen_documents(&me)
                .await
                .expect("docs")
                .is_empty()
        );
        let r = h
            .post_form("/profil/synthese/classer", &format!("csrf={}", h.csrf))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let docs = h.state.dmp.citizen_documents(&me).await.expect("docs");
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!(doc.meta.category, Category::Synthese);
        assert_eq!(doc.meta.mime_type, "application/pdf");
        assert!(
            doc.meta.title.starts_with("Synthèse médicale du "),
            "{}",
            doc.meta.title
        );
        assert_eq!(
            r.location(),
            format!("/profil/synthese?avis=classe&document={}", doc.id)
        );
        let history = h.state.dmp.citizen_history(&me).await.expect("history");
        assert!(history.iter().any(|e| e.action == Action::Upload.as_str()));
        let (_, bytes) = h
            .state
            .dmp
            .citizen_download(&me, doc.id)
            .await
            .expect("download");
        assert!(bytes.starts_with(b"%PDF-"));
        let after = h.get(&r.location()).await.text();
        assert!(
            after.contains("dans la catégorie «\u{a0}Ma santé en résumé\u{a0}»"),
            "{after}"
        );
        assert!(after.contains(&format!("href=\"/documents/{}\"", doc.id)));
        let listed = h.get("/documents").await.text();
        assert!(listed.contains("Synthèse médicale du"), "{listed}");
    }
}

async fn send_to(h: &Harness, to: &str, csrf: &str) -> Answer {
    h.post_form(
        "/profil/synthese/envoyer",
        &format!(
            "csrf={csrf}&destinataire={}&objet={}&message={}",
            enc(to),
            enc("Ma synthèse pour la consultation"),
            enc("Bonjour docteur, voici ma synthèse.")
        ),
    )
    .await
}

#[tokio::test]
async fn sending_only_to_who_wrote_first() {
    for backend in BACKENDS {
        eprintln!("-- {backend:?}");
        let h = harness(backend).await;
        fill_profile(&h).await;
        let csrf = h.csrf.clone();
        // Nobody wrote yet: no form, and a POST is refused with the sentence.
        let page = h.get("/profil/synthese/envoyer").await.text();
        assert!(page.contains("id=\"aucun-destinataire\""), "{page}");
        let r = send_to(&h, DOCTOR, &csrf).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(
            r.text().contains("qui vous a écrit le premier"),
            "{}",
            r.text()
        );

        // The doctor writes: offered, and the synthèse goes through the pipeline.
        h.deliver_from(
            DOCTOR,
            CITIZEN,
            &pro_message(DOCTOR, "Votre rendez-vous", "Apportez vos documents.", ""),
        )
        .await;
        let page = h.get("/profil/synthese/envoyer").await.text();
        assert!(page.contains("id=\"form-envoyer\""), "{page}");
        assert!(page.contains(&format!("value=\"{DOCTOR}\"")), "{page}");
        assert!(page.contains("Dr Camille MARTIN"), "{page}");
        assert!(!page.contains(CARDIO), "never wrote: not offered");

        let bad = send_to(&h, DOCTOR, "faux").await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN);
        assert!(h.messages(DOCTOR, "INBOX").await.is_empty());

        let r = send_to(&h, DOCTOR, &csrf).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), "/messages/dossier/envoyes?avis=envoye");
        let got = h.messages(DOCTOR, "INBOX").await;
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("Received: from webmail"), "{}", got[0]);
        let msg = mail_parser::MessageParser::default()
            .parse(got[0].as_bytes())
            .expect("parse");
        assert_eq!(msg.subject(), Some("Ma synthèse pour la consultation"));
        let att = msg.attachment(0).expect("the PDF is attached");
        assert_eq!(
            att.content_type().map(|c| (c.ctype(), c.subtype())),
            Some(("application", Some("pdf")))
        );
        assert!(
            att.attachment_name()
                .is_some_and(|n| n.starts_with("synthese-medicale"))
        );
        assert!(att.contents().starts_with(b"%PDF-"));
        // In Envoyés, and listed there.
        assert_eq!(h.uids(CITIZEN, "Sent").await.len(), 1);
        let sent = h.get("/messages/dossier/envoyes?avis=envoye").await.text();
        assert!(sent.contains("Ma synthèse pour la consultation"), "{sent}");

        // A professional who never wrote is refused, even by a forged POST.
        let r = send_to(&h, CARDIO, &csrf).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(h.messages(CARDIO, "INBOX").await.is_empty());

        // The doctor ends the conversation (FIN): no longer offered, and refused.
        h.deliver_from(
            DOCTOR,
            CITIZEN,
            &pro_message(DOCTOR, "Fin du suivi", "Au revoir.", "X-MSS-MES: FIN\r\n"),
        )
        .await;
        let page = h.get("/profil/synthese/envoyer").await.text();
        assert!(page.contains("id=\"aucun-destinataire\""), "{page}");
        let r = send_to(&h, DOCTOR, &csrf).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(
            r.text().contains("n’a pas clos la conversation"),
            "{}",
            r.text()
        );
        assert_eq!(
            h.messages(DOCTOR, "INBOX").await.len(),
            1,
            "nothing more sent"
        );
    }
}

#[tokio::test]
async fn acting_for_a_child_gives_the_childs_synthesis() {
    let h = harness(store::Backend::Sqlite).await;
    fill_profile(&h).await;
    let lou = format!("{LOU_NIR}@{CITIZEN_DOMAIN}");
    let r = h
        .post_form(
            "/profils/changer",
            &format!("csrf={}&profil={}", h.csrf, enc(&lou)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = h.get("/profil/synthese").await.text();
    assert!(page.contains("Synthèse médicale de Lou MARTIN"), "{page}");
    // The parent's allergy is not in the child's synthèse.
    assert!(page.contains("<strong>Allergies</strong> : aucune information renseignée"));
    let (r, want) = fetch_with_expected(&h, "/profil/synthese.pdf", LOU_NIR).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body == want, "the child's synthèse");
    // Filed in the child's record, by the parent.
    let r = h
        .post_form("/profil/synthese/classer", &format!("csrf={}", h.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let child = Citizen::guardian(LOU_NIR, CITIZEN_NIR);
    let docs = h.state.dmp.citizen_documents(&child).await.expect("docs");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].meta.category, Category::Synthese);
    let own = Citizen::patient(CITIZEN_NIR);
    assert!(
        h.state
            .dmp
            .citizen_documents(&own)
            .await
            .expect("docs")
            .is_empty()
    );
}
