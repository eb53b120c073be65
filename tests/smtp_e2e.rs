//! SMTP end to end: the real `santemail serve`, clients we did not write (Python smtplib, swaks,
//! openssl s_client), certificates from the dev health PKI.

mod common;

use common::{Space, path_str, smtp_client};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const DOCTOR_RPPS: &str = "10284642892";
const OTHER_DOCTOR: &str = "lea.rousseau@medecin.mssante.example";
const CITIZEN: &str = "240013700100130@patient.mssante.example";
const CITIZEN_NIR: &str = "240013700100130";
const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";

fn space() -> Space {
    space_on(None)
}

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

fn send_as_doctor(
    s: &Space,
    cert: &std::path::Path,
    key: &std::path::Path,
    to: &[&str],
    text: &str,
) -> serde_json::Value {
    let port = s.submission.to_string();
    let mut args = vec![
        "--port",
        &port,
        "--cafile",
        path_str(&s.ca_bundle()).to_owned().leak(),
        "--cert",
        path_str(cert),
        "--key",
        path_str(key),
        "--external",
        "--from",
        DOCTOR,
        "--text",
        text,
    ];
    for t in to {
        args.push("--to");
        args.push(t);
    }
    smtp_client(&args)
}

#[test]
fn professional_to_citizen_opens_the_conversation_and_fin_ends_it() {
    conversation_journey(space());
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
    // Before anything: the citizen may not write to the doctor.
    let before = s.run(&["policy", "check", "--from", CITIZEN, "--to", DOCTOR]);
    assert_eq!(
        before.status.code(),
        Some(1),
        "citizen must not write first"
    );

    let unknown = "nobody@medecin.mssante.example";
    let r = send_as_doctor(
        &s,
        &cert,
        &key,
        &[CITIZEN, unknown],
        &message(DOCTOR, CITIZEN, ""),
    );
    assert_eq!(r["starttls"], 220, "{r}");
    assert!(
        r["features_tls"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == "auth")),
        "{r}"
    );
    assert_eq!(r["auth"], 235, "{r}");
    assert_eq!(r["mail"], 250, "{r}");
    assert_eq!(r["rcpt"][CITIZEN][0], 250, "{r}");
    assert_eq!(r["rcpt"][unknown][0], 550, "{r}");
    assert!(
        r["rcpt"][unknown][1]
            .as_str()
            .unwrap_or_default()
            .starts_with("5.1.1"),
        "{r}"
    );
    assert_eq!(r["data"], 250, "{r}");

    // The permit is recorded: the citizen may now answer.
    let after = s.run(&["policy", "check", "--from", CITIZEN, "--to", DOCTOR]);
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stdout)
    );

    // X-MSS-MES: FIN ends the conversation.
    let r = send_as_doctor(
        &s,
        &cert,
        &key,
        &[CITIZEN],
        &message(DOCTOR, CITIZEN, "X-MSS-MES: FIN\r\n"),
    );
    assert_eq!(r["data"], 250, "{r}");
    let ended = s.run(&["policy", "check", "--from", CITIZEN, "--to", DOCTOR]);
    assert_eq!(ended.status.code(), Some(1));
}

#[test]
fn sending_as_someone_else_is_refused() {
    let s = space();
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    let port = s.submission.to_string();
    let ca = s.ca_bundle();
    let r = smtp_client(&[
        "--port",
        &port,
        "--cafile",
        path_str(&ca),
        "--cert",
        path_str(&cert),
        "--key",
        path_str(&key),
        "--external",
        "--from",
        OTHER_DOCTOR,
        "--to",
        PHARMACY,
    ]);
    assert_eq!(r["mail"], 550, "{r}");
    assert!(
        r["mail_text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("5.7.1"),
        "{r}"
    );
    // Right envelope, wrong header From.
    let r = send_as_doctor(
        &s,
        &cert,
        &key,
        &[PHARMACY],
        &message(OTHER_DOCTOR, PHARMACY, ""),
    );
    assert_eq!(r["data"], 550, "{r}");
    // A citizen address as sender, without the citizen's credentials.
    let r = smtp_client(&[
        "--port",
        &port,
        "--cafile",
        path_str(&ca),
        "--cert",
        path_str(&cert),
        "--key",
        path_str(&key),
        "--external",
        "--from",
        CITIZEN,
        "--to",
        PHARMACY,
    ]);
    assert_eq!(r["mail"], 550, "{r}");
}

#[test]
fn tls_is_required_and_bad_certificates_are_refused() {
    let mut s = space();
    let port = s.submission.to_string();
    let ca = s.ca_bundle();
    // No STARTTLS: MAIL is refused.
    let r = smtp_client(&[
        "--port", &port, "--no-tls", "--from", DOCTOR, "--to", PHARMACY,
    ]);
    assert_eq!(r["mail"], 530, "{r}");
    assert!(
        !r["features"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == "auth")),
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
    let subs = s.submissions.to_string();
    let r = smtp_client(&[
        "--port",
        &subs,
        "--implicit-tls",
        "--cafile",
        path_str(&ca),
        "--cert",
        path_str(&cert),
        "--key",
        path_str(&key),
        "--external",
        "--from",
        DOCTOR,
        "--to",
        PHARMACY,
    ]);
    assert!(r["error"].is_string(), "revoked certificate accepted: {r}");
    assert!(
        s.server_log().to_lowercase().contains("revoked"),
        "log should say why:\n{}",
        s.server_log()
    );
}

#[test]
fn swaks_submits_over_starttls_with_a_client_certificate_and_no_auth_command() {
    let s = space();
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    let out = std::process::Command::new("swaks")
        .args([
            "--server",
            "127.0.0.1",
            "--port",
            &s.submission.to_string(),
            "--tls",
            "--tls-cert",
            path_str(&cert),
            "--tls-key",
            path_str(&key),
            "--tls-ca-path",
            path_str(&s.ca_bundle()),
            "--from",
            DOCTOR,
            "--to",
            PHARMACY,
            "--header",
            &format!("From: {DOCTOR}"),
            "--body",
            "Ordonnance jointe",
        ])
        .output()
        .expect("swaks is required (apt-get install swaks)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "swaks failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("250 2.0.0 Message accepted"), "{text}");
}
