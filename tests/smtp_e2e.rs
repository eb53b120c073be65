//! SMTP end to end: the real `santemail serve`, clients we did not write (Python smtplib, swaks),
//! certificates from the dev health PKI.

mod common;

use std::path::Path;

use common::{Smtp, Space, path_str};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const DOCTOR_RPPS: &str = "10284642892";
const OTHER_DOCTOR: &str = "lea.rousseau@medecin.mssante.example";
const CITIZEN: &str = "240013700100130@patient.mssante.example";
const CITIZEN_NIR: &str = "240013700100130";
const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";

fn space_on(database_url: Option<&str>) -> Space {
    let mut s = Space::new(database_url);
    s.ok(&["account", "activate", CITIZEN_NIR]);
    s.start();
    s
}

fn message(from: &str, to: &str, extra: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Résultats\r\nMessage-ID: <t1@medecin.mssante.example>\r\n\
         {extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\n.leading dot\r\n"
    )
}

/// The doctor, logged in with SASL EXTERNAL on the submission port.
fn doctor(s: &Space, cert: &Path, key: &Path) -> Smtp {
    Smtp::submission(s).cert(cert, key).flag("--external")
}

fn may_answer(s: &Space) -> Option<i32> {
    s.run(&["policy", "check", "--from", CITIZEN, "--to", DOCTOR])
        .status
        .code()
}

#[test]
fn professional_to_citizen_opens_the_conversation_and_fin_ends_it() {
    conversation_journey(space_on(None));
}

#[test]
fn professional_to_citizen_on_postgresql() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    conversation_journey(space_on(Some(pg.url())));
}

fn conversation_journey(s: Space) {
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    assert_eq!(may_answer(&s), Some(1), "citizen must not write first");

    let unknown = "nobody@medecin.mssante.example";
    let r = doctor(&s, &cert, &key)
        .from(DOCTOR)
        .to(CITIZEN)
        .to(unknown)
        .text(&message(DOCTOR, CITIZEN, ""))
        .send();
    assert_eq!(r["starttls"], 220, "{r}");
    let tls_features = r["features_tls"].as_array().cloned().unwrap_or_default();
    assert!(tls_features.iter().any(|x| x == "auth"), "{r}");
    assert_eq!(r["auth"], 235, "{r}");
    assert_eq!(r["mail"], 250, "{r}");
    assert_eq!(r["rcpt"][CITIZEN][0], 250, "{r}");
    assert_eq!(r["rcpt"][unknown][0], 550, "{r}");
    let why = r["rcpt"][unknown][1].as_str().unwrap_or_default();
    assert!(why.starts_with("5.1.1"), "{r}");
    assert_eq!(r["data"], 250, "{r}");

    // The permit is recorded: the citizen may now answer.
    assert_eq!(may_answer(&s), Some(0));

    // X-MSS-MES: FIN ends the conversation.
    let fin = message(DOCTOR, CITIZEN, "X-MSS-MES: FIN\r\n");
    let r = doctor(&s, &cert, &key)
        .from(DOCTOR)
        .to(CITIZEN)
        .text(&fin)
        .send();
    assert_eq!(r["data"], 250, "{r}");
    assert_eq!(may_answer(&s), Some(1));
}

#[test]
fn sending_as_someone_else_is_refused() {
    let s = space_on(None);
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    let r = doctor(&s, &cert, &key)
        .from(OTHER_DOCTOR)
        .to(PHARMACY)
        .send();
    assert_eq!(r["mail"], 550, "{r}");
    let why = r["mail_text"].as_str().unwrap_or_default();
    assert!(why.starts_with("5.7.1"), "{r}");
    // Right envelope, wrong header From.
    let forged = message(OTHER_DOCTOR, PHARMACY, "");
    let r = doctor(&s, &cert, &key)
        .from(DOCTOR)
        .to(PHARMACY)
        .text(&forged)
        .send();
    assert_eq!(r["data"], 550, "{r}");
    // A citizen address as sender, without the citizen's credentials.
    let r = doctor(&s, &cert, &key).from(CITIZEN).to(PHARMACY).send();
    assert_eq!(r["mail"], 550, "{r}");
}

#[test]
fn tls_is_required_and_bad_certificates_are_refused() {
    let mut s = space_on(None);
    // No STARTTLS: MAIL is refused, and AUTH is not even offered.
    let r = Smtp::submission(&s)
        .flag("--no-tls")
        .from(DOCTOR)
        .to(PHARMACY)
        .send();
    assert_eq!(r["mail"], 530, "{r}");
    let features = r["features"].as_array().cloned().unwrap_or_default();
    assert!(
        !features.iter().any(|x| x == "auth"),
        "no AUTH before TLS: {r}"
    );

    // A revoked certificate is refused at the handshake.
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    s.ok(&[
        "certs",
        "revoke",
        "--dir",
        path_str(&s.pki()),
        path_str(&cert),
    ]);
    s.kill();
    s.start(); // CRLs are read at start
    let r = Smtp::submissions(&s)
        .cert(&cert, &key)
        .flag("--external")
        .from(DOCTOR)
        .to(PHARMACY)
        .send();
    assert!(r["error"].is_string(), "revoked certificate accepted: {r}");
    let log = s.server_log().to_lowercase();
    assert!(log.contains("revoked"), "log should say why:\n{log}");
}

#[test]
fn swaks_submits_over_starttls_with_a_client_certificate_and_no_auth_command() {
    let s = space_on(None);
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    let header = format!("From: {DOCTOR}");
    let out = std::process::Command::new("swaks")
        .args([
            "--server",
            "127.0.0.1",
            "--port",
            &s.submission.to_string(),
            "--tls",
        ])
        .args(["--tls-cert", path_str(&cert), "--tls-key", path_str(&key)])
        .args(["--tls-ca-path", path_str(&s.ca_bundle())])
        .args(["--from", DOCTOR, "--to", PHARMACY, "--header", &header])
        .args(["--body", "Ordonnance jointe"])
        .output()
        .expect("swaks is required (apt-get install swaks)");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "swaks failed:\n{text}\n{err}");
    assert!(text.contains("250 2.0.0 Message accepted"), "{text}");
}
