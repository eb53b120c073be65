//! Writing (issue 6): the reply rule (the professional wrote first and did not end the
//! conversation), writing to a pharmacy with a prescription attached, and the refusal of any
//! other new message — all through the SMTP delivery pipeline, with the copy in Envoyés. Run on
//! SQLite and PostgreSQL.

mod mail_support;

use axum::http::StatusCode;
use mail_support::*;
use store::testing::BACKENDS;

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

#[tokio::test]
async fn reply_where_allowed_then_refused_after_fin() {
    for backend in BACKENDS {
        eprintln!("-- {backend:?}");
        let h = harness(backend).await;
        let csrf = h.csrf.clone();
        h.deliver_from(
            DOCTOR,
            CITIZEN,
            &pro_message(DOCTOR, "Vos résultats", "Rappelez-moi.", ""),
        )
        .await;
        let uid = h.uids(CITIZEN, "INBOX").await[0];
        let page = h.get(&format!("/messages/recus/{uid}")).await.text();
        assert!(page.contains("id=\"form-reponse\""), "reply form offered");
        let r = h
            .post_form(
                &format!("/messages/recus/{uid}/repondre"),
                &format!("csrf={csrf}&message={}", enc("Merci docteur, à jeudi.")),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), "/messages/dossier/envoyes?avis=envoye");
        // The doctor received it (through the pipeline: Received header), threaded.
        let got = h.messages(DOCTOR, "INBOX").await;
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("Received: from webmail"), "{}", got[0]);
        assert!(
            got[0].contains("Subject: Re: Vos r") || got[0].contains("Subject: =?"),
            "{}",
            got[0]
        );
        assert!(got[0].contains("In-Reply-To:"), "{}", got[0]);
        assert!(
            got[0].contains(&format!("From: \"Camille MARTIN\" <{CITIZEN}>")),
            "{}",
            got[0]
        );
        // The copy in Envoyés, shown after the send.
        assert_eq!(h.uids(CITIZEN, "Sent").await.len(), 1);
        let sent = h.get("/messages/dossier/envoyes?avis=envoye").await.text();
        assert!(sent.contains("Votre message a été envoyé"));
        assert!(sent.contains("Re: Vos résultats"), "{sent}");

        // The doctor ends the conversation: no form, the sentence, and a POST is refused.
        h.deliver_from(
            DOCTOR,
            CITIZEN,
            &pro_message(DOCTOR, "Fin du suivi", "Au revoir.", "X-MSS-MES: FIN\r\n"),
        )
        .await;
        for u in h.uids(CITIZEN, "INBOX").await {
            let page = h.get(&format!("/messages/recus/{u}")).await.text();
            assert!(!page.contains("id=\"form-reponse\""), "no form on {u}");
            assert!(page.contains("Ce professionnel ne peut pas recevoir de réponse par ce moyen"));
            let r = h
                .post_form(
                    &format!("/messages/recus/{u}/repondre"),
                    &format!("csrf={csrf}&message=encore"),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{u}");
        }
        assert_eq!(
            h.messages(DOCTOR, "INBOX").await.len(),
            1,
            "nothing more sent"
        );

        // A professional who never wrote: the reply is refused (a message appended by hand).
        let raw = pro_message(CARDIO, "Jamais écrit", "x", "");
        let blob = h
            .state
            .blobs
            .put(raw.clone().into_bytes())
            .await
            .expect("blob");
        let inbox = h
            .state
            .db
            .find_mailbox(CITIZEN, "INBOX")
            .await
            .expect("db")
            .expect("inbox");
        let a = h
            .state
            .db
            .append(
                inbox.id,
                &blob,
                raw.len() as u64,
                &store::Flags::new(),
                0,
                CITIZEN,
            )
            .await
            .expect("append");
        let page = h.get(&format!("/messages/recus/{}", a.uid)).await.text();
        assert!(page.contains("id=\"reponse-impossible\""), "{page}");
        assert!(
            page.contains("seulement s&#39;il vous a écrit") || page.contains("seulement s"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn write_to_a_pharmacy_with_a_prescription() {
    for backend in BACKENDS {
        eprintln!("-- {backend:?}");
        let h = harness(backend).await;
        let csrf = h.csrf.clone();
        let intro = h.get("/ecrire").await.text();
        assert!(
            intro.contains("seulement à une pharmacie"),
            "the rule in plain words"
        );
        for q in ["tours", "37000", "centre"] {
            let found = h.get(&format!("/ecrire?q={q}")).await.text();
            assert!(found.contains("Pharmacie Du Centre"), "{q}: {found}");
            assert!(
                found.contains("/ecrire/pharmacie?a=du-centre-37000"),
                "{found}"
            );
        }
        // Accents and capitals, whatever the backend's case folding.
        for q in [
            "%C3%A9coles",
            "orl%C3%A9ans",
            "ORLEANS",
            "des+%C3%89coles+45000",
        ] {
            let found = h.get(&format!("/ecrire?q={q}")).await.text();
            assert!(found.contains("Pharmacie Des Écoles"), "{q}: {found}");
        }
        // A doctor is not a pharmacy, even searched by name.
        assert!(
            !h.get("/ecrire?q=martin")
                .await
                .text()
                .contains("camille.martin")
        );
        let none = h.get("/ecrire?q=zzzz").await.text();
        assert!(none.contains("Aucune pharmacie"));
        // Only a doctor's address: no compose form for a non-pharmacy.
        let r = h.get(&format!("/ecrire/pharmacie?a={DOCTOR}")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("seulement à une pharmacie"));
        let form = h.get(&format!("/ecrire/pharmacie?a={PHARMACY}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text().contains("id=\"form-pharmacie\""));

        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
        let fields = [
            ("csrf", csrf.as_str()),
            ("destinataire", PHARMACY),
            ("objet", "Ordonnance à préparer"),
            ("message", "Bonjour, je passe demain."),
        ];
        let r = h
            .post_multipart(
                "/ecrire/pharmacie",
                &fields,
                Some(("piece", "ordo.pdf", "application/pdf", pdf)),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let got = h.messages(PHARMACY, "INBOX").await;
        assert_eq!(got.len(), 1);
        assert!(
            got[0].contains("application/pdf") && got[0].contains("ordo.pdf"),
            "{}",
            got[0]
        );
        assert_eq!(h.uids(CITIZEN, "Sent").await.len(), 1);

        // A file that is not a photo or a PDF is refused; so is a doctor as recipient.
        let r = h
            .post_multipart(
                "/ecrire/pharmacie",
                &fields,
                Some(("piece", "ordo.pdf", "application/pdf", b"<html><script>")),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains("photo (JPEG ou PNG) ou un document PDF"));
        let doctor = [
            ("csrf", csrf.as_str()),
            ("destinataire", DOCTOR),
            ("objet", "x"),
            ("message", "x"),
        ];
        let r = h.post_multipart("/ecrire/pharmacie", &doctor, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Bad CSRF token.
        let bad = [
            ("csrf", "faux"),
            ("destinataire", PHARMACY),
            ("message", "x"),
        ];
        let r = h.post_multipart("/ecrire/pharmacie", &bad, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            h.messages(PHARMACY, "INBOX").await.len(),
            1,
            "only the good one"
        );
        assert!(h.messages(DOCTOR, "INBOX").await.is_empty());
    }
}

#[tokio::test]
async fn oversized_attachment_is_refused() {
    let settings = webmail::settings::WebmailSettings {
        max_attachment_bytes: 1024,
        ..Default::default()
    };
    let h = harness_with(store::Backend::Sqlite, settings).await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(4096, b'x');
    let csrf = h.csrf.clone();
    let fields = [
        ("csrf", csrf.as_str()),
        ("destinataire", PHARMACY),
        ("message", "x"),
    ];
    let r = h
        .post_multipart(
            "/ecrire/pharmacie",
            &fields,
            Some(("piece", "o.pdf", "application/pdf", &big)),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(h.messages(PHARMACY, "INBOX").await.is_empty());
}

#[tokio::test]
async fn mbox_export_has_every_message() {
    let h = harness(store::Backend::Sqlite).await;
    h.deliver_from(
        DOCTOR,
        CITIZEN,
        &pro_message(DOCTOR, "Un", "From the start\r\nligne", ""),
    )
    .await;
    h.deliver_from(DOCTOR, CITIZEN, &pro_message(DOCTOR, "Deux", "x", ""))
        .await;
    let mut out = Vec::new();
    webmail::mail::export::write_mbox(&h.state, CITIZEN, &mut out)
        .await
        .expect("export");
    let text = String::from_utf8(out).expect("utf8");
    assert_eq!(
        text.matches("\nFrom ").count() + usize::from(text.starts_with("From ")),
        2,
        "{text}"
    );
    assert!(text.starts_with(&format!("From {DOCTOR} ")));
    assert!(text.contains("\n>From the start\n"), "{text}");
    assert!(text.contains("Subject: Un") && text.contains("Subject: Deux"));
}
