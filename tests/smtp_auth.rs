//! SMTP authentication and the operator link: passwords (Argon2) on implicit TLS, `openssl
//! s_client -starttls smtp` with a client certificate, and port 25 refusing peers whose
//! certificate is expired, from another PKI, absent, or not the whitelisted operator's.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Space, path_str, smtp_client};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";

fn set_password(space: &Space, address: &str, password: &str) {
    let mut child = Command::new(common::BIN)
        .args(["account", "set-password", address])
        .env("SANTEMAIL_CONFIG", &space.config)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{password}").expect("write password");
    }
    assert!(child.wait().expect("wait").success());
}

#[test]
fn password_login_on_implicit_tls_and_wrong_password_refused() {
    let mut s = Space::new(None);
    set_password(&s, PHARMACY, "Pharmacie-du-Centre-2026!");
    s.start();
    let port = s.submissions.to_string();
    let ca = s.ca_bundle();
    let text = format!("From: {PHARMACY}\r\nTo: {DOCTOR}\r\nSubject: Ordonnance\r\n\r\nPrête.\r\n");
    let r = smtp_client(&[
        "--port",
        &port,
        "--implicit-tls",
        "--cafile",
        path_str(&ca),
        "--login",
        PHARMACY,
        "--password",
        "Pharmacie-du-Centre-2026!",
        "--from",
        PHARMACY,
        "--to",
        DOCTOR,
        "--text",
        &text,
    ]);
    assert_eq!(r["auth"], 235, "{r}");
    assert_eq!(r["data"], 250, "{r}");

    let r = smtp_client(&[
        "--port",
        &port,
        "--implicit-tls",
        "--cafile",
        path_str(&ca),
        "--login",
        PHARMACY,
        "--password",
        "wrong",
        "--from",
        PHARMACY,
        "--to",
        DOCTOR,
    ]);
    assert_eq!(r["auth"], 535, "{r}");
    assert_eq!(r["mail"], 530, "unauthenticated MAIL must be refused: {r}");
    assert!(s.server_log().contains("AUTH failed"), "{}", s.server_log());
}

#[test]
fn openssl_s_client_starttls_with_a_client_certificate() {
    let mut s = Space::new(None);
    let (cert, key) = s.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    s.start();
    let mut child = Command::new("openssl")
        .args([
            "s_client",
            "-starttls",
            "smtp",
            "-connect",
            &format!("127.0.0.1:{}", s.submission),
            "-servername",
            "mx.mssante.example",
            "-verify_hostname",
            "mx.mssante.example",
            "-CAfile",
            path_str(&s.ca_bundle()),
            "-cert",
            path_str(&cert),
            "-key",
            path_str(&key),
            "-crlf",
            "-verify_return_error",
            "-ign_eof",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl is required (apt-get install openssl)");
    if let Some(mut stdin) = child.stdin.take() {
        // s_client reads stdin after the handshake; give it time to finish TLS first.
        std::thread::sleep(std::time::Duration::from_millis(700));
        let _ = stdin.write_all(b"EHLO client.test\nQUIT\n");
    }
    let out = child.wait_with_output().expect("openssl output");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Verify return code: 0 (ok)"), "{text}");
    assert!(
        text.contains("250-PIPELINING") || text.contains("250 PIPELINING"),
        "{text}"
    );
    assert!(text.contains("221 2.0.0"), "{text}");
}

#[test]
fn mta_port_refuses_peers_that_are_not_whitelisted_operators() {
    let mut s = Space::new(None);
    let pki = s.pki();
    // A certificate from our PKI, but for a domain that is not on the whitelist.
    s.ok(&[
        "certs",
        "issue",
        "server",
        "--dir",
        path_str(&pki),
        "--domain",
        "intrus.example",
    ]);
    let evil_cert = pki.join("servers/intrus.example.pem");
    let evil_key = pki.join("servers/intrus.example.key");
    // An expired operator certificate.
    s.ok(&[
        "certs",
        "issue",
        "server",
        "--dir",
        path_str(&pki),
        "--domain",
        "chu-exemple.mssante.example",
        "--expired",
    ]);
    let expired_cert = pki.join("servers/chu-exemple.mssante.example.pem");
    let expired_key = pki.join("servers/chu-exemple.mssante.example.key");
    // A second, unrelated PKI.
    let other = s.path("other-pki");
    s.ok(&[
        "certs",
        "init",
        "--dir",
        path_str(&other),
        "--domain",
        "chu-exemple.mssante.example",
    ]);
    let foreign_cert = other.join("servers/chu-exemple.mssante.example.pem");
    let foreign_key = other.join("servers/chu-exemple.mssante.example.key");
    s.start();

    let mta = s.mta.to_string();
    let ca = s.ca_bundle();
    let to = DOCTOR;
    // No certificate at all.
    let r = smtp_client(&[
        "--port",
        &mta,
        "--cafile",
        path_str(&ca),
        "--from",
        "x@chu-exemple.mssante.example",
        "--to",
        to,
    ]);
    assert_eq!(r["mail"], 530, "{r}");
    // Domain off the whitelist.
    let r = smtp_client(&[
        "--port",
        &mta,
        "--cafile",
        path_str(&ca),
        "--cert",
        path_str(&evil_cert),
        "--key",
        path_str(&evil_key),
        "--from",
        "x@intrus.example",
        "--to",
        to,
    ]);
    assert_eq!(r["mail"], 550, "{r}");
    assert!(
        r["mail_text"]
            .as_str()
            .unwrap_or_default()
            .contains("whitelist"),
        "{r}"
    );
    // Whitelisted domain, but the certificate is someone else's.
    let r = smtp_client(&[
        "--port",
        &mta,
        "--cafile",
        path_str(&ca),
        "--cert",
        path_str(&evil_cert),
        "--key",
        path_str(&evil_key),
        "--from",
        "x@chu-exemple.mssante.example",
        "--to",
        to,
    ]);
    assert_eq!(r["mail"], 550, "{r}");
    // Expired, and from another PKI: refused during the TLS handshake.
    // (The foreign PKI uses the same CA names as ours, so the chain is refused for its signature.)
    for (i, (cert, key, why)) in [
        (&expired_cert, &expired_key, "expired"),
        (&foreign_cert, &foreign_key, "signature"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = smtp_client(&[
            "--port",
            &mta,
            "--cafile",
            path_str(&ca),
            "--cert",
            path_str(cert),
            "--key",
            path_str(key),
            "--from",
            "x@chu-exemple.mssante.example",
            "--to",
            to,
        ]);
        assert!(
            r["error"].is_string() || r["mail"] != 250,
            "{why} certificate accepted: {r}"
        );
        let log = s.server_log();
        assert_eq!(
            log.matches("client certificate refused").count(),
            i + 1,
            "{log}"
        );
        assert!(log.contains(why), "log should say {why}:\n{log}");
    }
    // And no relaying: a whitelisted peer may not send to a domain that is not ours.
    let (ok_cert, ok_key) = {
        s.ok(&[
            "certs",
            "issue",
            "server",
            "--dir",
            path_str(&pki),
            "--domain",
            "chu-exemple.mssante.example",
            "--force",
        ]);
        (
            pki.join("servers/chu-exemple.mssante.example.pem"),
            pki.join("servers/chu-exemple.mssante.example.key"),
        )
    };
    let r = smtp_client(&[
        "--port",
        &mta,
        "--cafile",
        path_str(&ca),
        "--cert",
        path_str(&ok_cert),
        "--key",
        path_str(&ok_key),
        "--from",
        "cardiologie@chu-exemple.mssante.example",
        "--to",
        to,
        "--to",
        "someone@hopital.example",
    ]);
    assert_eq!(r["mail"], 250, "{r}");
    assert_eq!(r["rcpt"][to][0], 250, "{r}");
    assert_eq!(r["rcpt"]["someone@hopital.example"][0], 550, "{r}");
}

/// BDAT (RFC 3030) and PIPELINING (RFC 2920) over TLS from `openssl s_client`: the whole
/// transaction is written at once, chunks counted in octets.
#[test]
fn pipelined_bdat_transaction_over_openssl() {
    let mut s = Space::new(None);
    let (cert, key) = s.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    s.start();
    let part1 = format!("From: {DOCTOR}\r\nTo: {PHARMACY}\r\nSubject: BDAT\r\n\r\n");
    let part2 = "Premier morceau.\r\n.Une ligne qui commence par un point.\r\n";
    let script = format!(
        "EHLO client.test\r\nMAIL FROM:<{DOCTOR}>\r\nRCPT TO:<{PHARMACY}>\r\nBDAT {} \r\n{part1}BDAT {} LAST\r\n{part2}QUIT\r\n",
        part1.len(),
        part2.len()
    );
    let mut child = Command::new("openssl")
        .args([
            "s_client",
            "-starttls",
            "smtp",
            "-connect",
            &format!("127.0.0.1:{}", s.submission),
            "-servername",
            "mx.mssante.example",
            "-CAfile",
            path_str(&s.ca_bundle()),
            "-cert",
            path_str(&cert),
            "-key",
            path_str(&key),
            "-quiet",
            "-ign_eof",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl is required");
    if let Some(mut stdin) = child.stdin.take() {
        std::thread::sleep(std::time::Duration::from_millis(700));
        let _ = stdin.write_all(script.as_bytes());
    }
    let out = child.wait_with_output().expect("openssl output");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("CHUNKING"), "{text}");
    assert!(
        text.contains(&format!("250 2.0.0 {} octets received", part1.len())),
        "{text}"
    );
    assert!(text.contains("250 2.0.0 Message accepted"), "{text}");
    let dump = s.path("dump");
    s.ok(&["mailbox", "dump", PHARMACY, "--out", path_str(&dump)]);
    let stored = std::fs::read_to_string(dump.join("1.eml")).expect("delivered message");
    // BDAT is not dot-stuffed: the leading dot arrives as sent.
    assert!(stored.ends_with(&format!("{part1}{part2}")), "{stored}");
}

#[test]
fn oversized_message_is_refused_with_552() {
    let mut s = Space::new(None);
    let (cert, key) = s.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    s.start();
    // 1.1 MB of 998-octet lines against the tests' 1 MiB limit.
    let line = format!("{}\r\n", "x".repeat(998));
    let big = format!(
        "From: {DOCTOR}\r\nTo: {PHARMACY}\r\nSubject: big\r\n\r\n{}",
        line.repeat(1100)
    );
    let file = s.path("big.eml");
    std::fs::write(&file, big).expect("write message");
    let r = smtp_client(&[
        "--port",
        &s.submission.to_string(),
        "--cafile",
        path_str(&s.ca_bundle()),
        "--cert",
        path_str(&cert),
        "--key",
        path_str(&key),
        "--from",
        DOCTOR,
        "--to",
        PHARMACY,
        "--file",
        path_str(&file),
    ]);
    assert_eq!(r["data"], 552, "{r}");
    assert!(
        r["data_text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("5.3.4"),
        "{r}"
    );
}
