//! Reading (issue 6): HTML sanitised, XSS payloads inert, remote images blocked, strict CSP,
//! plain-text fallback, attachments with safe download headers.

mod mail_support;

use axum::http::{StatusCode, header};
use mail_support::*;

const XSS_HTML: &str = "<p>Bonjour <b>Madame</b></p>\
<script>alert('script')</script>\
<img src=x onerror=\"alert('onerror')\">\
<a href=\"javascript:alert('lien')\">cliquez</a>\
<a href=\"JAVASCRIPT:alert('maj')\">ici</a>\
<div style=\"width:expression(alert('css'))\">css</div>\
<style>p{background:url(javascript:alert('style'))}</style>\
<p onmouseover=\"alert('survol')\">survol</p>\
<svg><script>alert('svg')</script></svg>\
<iframe src=\"https://evil.example/\"></iframe>\
<form action=\"https://evil.example/\"><input name=mdp></form>\
<img src=\"https://tracker.example/pixel.gif\" alt=\"pixel\">";

fn html_message() -> String {
    format!(
        "From: \"Dr Camille Martin\" <{DOCTOR}>\r\nTo: {CITIZEN}\r\nSubject: Vos examens\r\n\
Message-ID: <xss1@medecin.mssante.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\n\
Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n--a\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour Madame (version texte)\r\n--a\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n{XSS_HTML}\r\n--a--\r\n--m\r\n\
Content-Type: text/html\r\nContent-Disposition: attachment; filename=\"../../r\u{e9}sultat\\\".html\"\r\n\
\r\n<script>alert('pj')</script>\r\n--m--\r\n"
    )
}

#[tokio::test]
async fn xss_payloads_are_rendered_inert() {
    let h = harness(store::Backend::Sqlite).await;
    h.deliver_from(DOCTOR, CITIZEN, &html_message()).await;
    let uid = h.uids(CITIZEN, "INBOX").await[0];
    let page = h.get(&format!("/messages/recus/{uid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp");
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'self'"));
    assert!(!csp.contains("unsafe-inline"));
    let html = page.text();
    let body_start = html.find("id=\"corps\"").expect("message body");
    let body = &html[body_start..];
    assert!(body.contains("<b>Madame</b>"), "{body}");
    for bad in [
        "alert(",
        "<script",
        "onerror",
        "onmouseover",
        "javascript:",
        "expression(",
        "<iframe",
        "<form action=\"https://evil",
        "tracker.example",
        "<style",
    ] {
        assert!(
            !body
                .to_ascii_lowercase()
                .contains(&bad.to_ascii_lowercase()),
            "{bad} in {body}"
        );
    }
    assert!(
        html.contains("id=\"images-bloquees\""),
        "remote image notice"
    );
    // The text version on demand.
    let text = h
        .get(&format!("/messages/recus/{uid}?texte=1"))
        .await
        .text();
    assert!(text.contains("Bonjour Madame (version texte)"));
    assert!(text.contains("<pre class=\"mail-text\""));
}

#[tokio::test]
async fn attachments_are_listed_and_downloaded_safely() {
    let h = harness(store::Backend::Sqlite).await;
    h.deliver_from(DOCTOR, CITIZEN, &html_message()).await;
    let uid = h.uids(CITIZEN, "INBOX").await[0];
    let html = h.get(&format!("/messages/recus/{uid}")).await.text();
    assert!(html.contains("id=\"piece-0\""), "{html}");
    assert!(html.contains("octets"), "size shown");
    let dl = h.get(&format!("/messages/recus/{uid}/pieces/0")).await;
    assert_eq!(dl.status, StatusCode::OK);
    let disposition = dl.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii");
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(!disposition.contains(".."), "{disposition}");
    assert!(!disposition.contains('/'), "{disposition}");
    assert_eq!(dl.headers[header::CONTENT_TYPE], "application/octet-stream");
    assert_eq!(dl.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let csp = dl.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(
        dl.text().contains("alert('pj')"),
        "the bytes, untouched, as a download"
    );
    assert_eq!(
        h.get(&format!("/messages/recus/{uid}/pieces/7"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn fixture_without_reply_shows_the_notice() {
    let h = harness(store::Backend::Sqlite).await;
    let raw =
        std::fs::read_to_string(fixture("messages/pro-to-citizen-noreply.eml")).expect("fixture");
    h.deliver_from(DOCTOR, CITIZEN, &raw).await;
    let uid = h.uids(CITIZEN, "INBOX").await[0];
    let html = h.get(&format!("/messages/recus/{uid}")).await.text();
    assert!(html.contains("Rappel de vaccination"));
    assert!(html.contains("id=\"avis-fin\""));
    assert!(html.contains("Ce professionnel ne peut pas recevoir de réponse par ce moyen"));
    assert!(!html.contains("id=\"form-reponse\""));
    let list = h.get("/messages").await.text();
    assert!(list.contains("Sans réponse attendue"));
}
