//! Folder pages, paging, unread counts, read/unread, move, delete (issue 6, "Mail"), on SQLite
//! and PostgreSQL, through the router with real deliveries from the SMTP pipeline.

mod mail_support;

use axum::http::StatusCode;
use mail_support::*;
use store::testing::BACKENDS;
use webmail::settings::WebmailSettings;

#[tokio::test]
async fn folders_paging_unread_read_move_delete() {
    for backend in BACKENDS {
        eprintln!("-- {backend:?}");
        let settings = WebmailSettings {
            page_size: 5,
            ..WebmailSettings::default()
        };
        let h = harness_with(backend, settings).await;
        for i in 1..=7 {
            let raw = pro_message(DOCTOR, &format!("Résultat numéro {i}"), "Bonjour.", "");
            h.deliver_from(DOCTOR, CITIZEN, &raw).await;
        }
        // Page 1: the 5 newest, newest first, 7 unread.
        let page = h.get("/messages").await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Résultat numéro 7"), "{html}");
        assert!(!html.contains("Résultat numéro 2"));
        assert!(html.find("numéro 7") < html.find("numéro 6"));
        assert!(html.contains("aria-label=\"7 non lus\""), "unread badge");
        assert!(html.contains("Page 1 sur 2"));
        assert!(html.contains("id=\"page-suivante\""));
        let page2 = h.get("/messages/dossier/recus?page=2").await.text();
        assert!(page2.contains("Résultat numéro 1") && page2.contains("Résultat numéro 2"));
        assert!(!page2.contains("Résultat numéro 3"));
        // A page number past the end shows the last page, garbage shows the first.
        assert!(
            h.get("/messages/dossier/recus?page=99")
                .await
                .text()
                .contains("Page 2 sur 2")
        );
        assert!(
            h.get("/messages/dossier/recus?page=x")
                .await
                .text()
                .contains("Page 1 sur 2")
        );

        // Reading marks as read.
        let uids = h.uids(CITIZEN, "INBOX").await;
        let last = *uids.last().expect("uid");
        let read = h.get(&format!("/messages/recus/{last}")).await;
        assert_eq!(read.status, StatusCode::OK);
        assert!(read.text().contains("Résultat numéro 7"));
        let html = h.get("/messages").await.text();
        assert!(html.contains("aria-label=\"6 non lus\""), "one read");
        // Back to unread.
        let csrf = h.csrf.clone();
        let r = h
            .post_form(
                &format!("/messages/recus/{last}/etat"),
                &format!("csrf={csrf}&lu=0"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert!(
            h.get("/messages")
                .await
                .text()
                .contains("aria-label=\"7 non lus\"")
        );

        // Move to Archives.
        let r = h
            .post_form(
                &format!("/messages/recus/{last}/deplacer"),
                &format!("csrf={csrf}&vers=archives"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(h.uids(CITIZEN, "INBOX").await.len(), 6);
        assert_eq!(h.uids(CITIZEN, "Archive").await.len(), 1);
        let archives = h.get("/messages/dossier/archives").await.text();
        assert!(archives.contains("Résultat numéro 7"));
        assert!(h.get(&format!("/messages/recus/{last}")).await.status == StatusCode::NOT_FOUND);

        // Delete: to the Corbeille, then for good.
        let first = h.uids(CITIZEN, "INBOX").await[0];
        let r = h
            .post_form(
                &format!("/messages/recus/{first}/supprimer"),
                &format!("csrf={csrf}"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().contains("avis=supprime"));
        let trash = h.uids(CITIZEN, "Trash").await;
        assert_eq!(trash.len(), 1);
        let corbeille = h.get("/messages/dossier/corbeille").await.text();
        assert!(corbeille.contains("Résultat numéro 1"));
        assert!(corbeille.contains("Supprimer") || corbeille.contains("Corbeille"));
        let r = h
            .post_form(
                &format!("/messages/corbeille/{}/supprimer", trash[0]),
                &format!("csrf={csrf}"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(h.uids(CITIZEN, "Trash").await.is_empty());
        let html = h
            .get("/messages/dossier/corbeille?avis=efface")
            .await
            .text();
        assert!(html.contains("supprimé définitivement"));
        assert!(html.contains("Aucun message dans ce dossier"));

        // Unknown folder or message: French 404.
        assert_eq!(
            h.get("/messages/dossier/spam").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            h.get("/messages/recus/abc").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            h.get("/messages/recus/999999").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn actions_need_the_csrf_token_and_a_session() {
    let h = harness(store::Backend::Sqlite).await;
    h.deliver_from(DOCTOR, CITIZEN, &pro_message(DOCTOR, "Sujet", "x", ""))
        .await;
    let uid = h.uids(CITIZEN, "INBOX").await[0];
    for (path, body) in [
        ("supprimer", "csrf=mauvais"),
        ("supprimer", ""),
        ("deplacer", "vers=archives"),
        ("etat", "csrf=&lu=1"),
        ("repondre", "message=bonjour"),
    ] {
        let r = h
            .post_form(&format!("/messages/recus/{uid}/{path}"), body)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} {body}");
    }
    assert_eq!(h.uids(CITIZEN, "INBOX").await, vec![uid], "nothing moved");
    // Without a session cookie: to the login page.
    let req = axum::http::Request::get("/messages")
        .body(axum::body::Body::empty())
        .expect("request");
    let r = h.send(req).await;
    assert!(r.status.is_redirection());
    assert_eq!(r.location(), "/connexion");
}

#[tokio::test]
async fn older_messages_get_their_summary_lazily() {
    let h = harness(store::Backend::Sqlite).await;
    // Appended without a summary, as IMAP APPEND or a message from before migration 0006.
    let raw = pro_message(DOCTOR, "Ancien message", "Texte ancien.", "");
    let blob = h
        .state
        .blobs
        .put(raw.clone().into_bytes())
        .await
        .expect("blob");
    let inbox = h
        .state
        .db
        .ensure_default_mailboxes(CITIZEN)
        .await
        .expect("folders")
        .into_iter()
        .find(|m| m.name == "INBOX")
        .expect("inbox");
    h.state
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
    assert!(h.state.db.summary(&blob).await.expect("summary").is_none());
    let html = h.get("/messages").await.text();
    assert!(
        html.contains("Ancien message") && html.contains("Texte ancien."),
        "{html}"
    );
    let s = h
        .state
        .db
        .summary(&blob)
        .await
        .expect("summary")
        .expect("written");
    assert_eq!(s.subject, "Ancien message");
}

#[tokio::test]
async fn live_stream_announces_new_mail() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let h = harness(store::Backend::Sqlite).await;
    let req = axum::http::Request::get("/messages/evenements")
        .header(axum::http::header::COOKIE, &h.cookie)
        .body(axum::body::Body::empty())
        .expect("request");
    let res = h.router.clone().oneshot(req).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()[axum::http::header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = res.into_body();
    // Another folder's change of another account is not reported; ours is.
    h.deliver_from(DOCTOR, PHARMACY, &pro_message(DOCTOR, "Autre", "x", ""))
        .await;
    h.deliver_from(DOCTOR, CITIZEN, &pro_message(DOCTOR, "Nouveau", "x", ""))
        .await;
    let mut seen = String::new();
    let deadline = std::time::Duration::from_secs(10);
    while !seen.contains("\"nouveau\":true") {
        let frame = tokio::time::timeout(deadline, body.frame())
            .await
            .expect("an event within 10 s")
            .expect("stream open")
            .expect("frame");
        if let Some(data) = frame.data_ref() {
            seen.push_str(&String::from_utf8_lossy(data));
        }
    }
    assert!(seen.contains("event: messages"), "{seen}");
    assert!(seen.contains("\"non_lus\":1"), "{seen}");
}

/// A parent switched to a child's profile sees the child's mailbox only, and answers with the
/// child's permits (DESIGN §8, §4 "a parent acting for a child profile").
#[tokio::test]
async fn parent_acting_for_a_child_uses_the_childs_mailbox() {
    const CHILD: &str = "115063726104045@patient.mssante.example";
    let h = harness(store::Backend::Sqlite).await;
    h.deliver_from(
        DOCTOR,
        CITIZEN,
        &pro_message(DOCTOR, "Pour la maman", "x", ""),
    )
    .await;
    h.deliver_from(
        DOCTOR,
        CHILD,
        &pro_message(DOCTOR, "Vaccin de Lou", "x", ""),
    )
    .await;
    let sessions = webmail::security::session::list(&h.state, CITIZEN)
        .await
        .expect("sessions");
    webmail::security::session::set_acting(&h.state, &sessions[0].session_id, CHILD)
        .await
        .expect("switch");
    let list = h.get("/messages").await.text();
    assert!(list.contains("Vaccin de Lou"), "{list}");
    assert!(!list.contains("Pour la maman"));
    let uid = h.uids(CHILD, "INBOX").await[0];
    let page = h.get(&format!("/messages/recus/{uid}")).await.text();
    assert!(
        page.contains("id=\"form-reponse\""),
        "the child's permit: {page}"
    );
    let r = h
        .post_form(
            &format!("/messages/recus/{uid}/repondre"),
            &format!("csrf={}&message=Merci", h.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(h.uids(CHILD, "Sent").await.len(), 1);
    assert!(h.uids(CITIZEN, "Sent").await.is_empty());
    let got = h.messages(DOCTOR, "INBOX").await;
    assert!(got[0].contains(&format!("<{CHILD}>")), "{}", got[0]);
    // Same UID in the parent's INBOX: the page is the child's message, never the parent's.
    assert_eq!(h.uids(CITIZEN, "INBOX").await, vec![uid]);
    let again = h.get(&format!("/messages/recus/{uid}")).await.text();
    assert!(again.contains("Vaccin de Lou") && !again.contains("Pour la maman"));
}
