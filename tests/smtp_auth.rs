//! SMTP authentication and the operator link: passwords (Argon2) on implicit TLS, `openssl
//! s_client -starttls smtp` with a client certificate (EHLO, then a pipelined BDAT transaction),
//! the size limit, and port 25 refusing peers whose certificate is expired, from another PKI,
//! absent, or not the whitelisted operator's.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{Smtp, Space, path_str};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";
const CHU: &str = "chu-exemple.mssante.example";

/// `openssl s_client -starttls smtp` on the submission port with a client certificate; `input` is
/// written once the handshake is done. Returns what the server said.
fn openssl_session(s: &Space, cert: &Path, key: &Path, extra: &[&str], input: &[u8]) -> String {
    let mut child = Command::new("openssl")
        .args(["s_client", "-starttls", "smtp", "-ign_eof"])
        .args(["-connect", &format!("127.0.0.1:{}", s.submission)])
        .args([
            "-servername",
            "mx.mssante.example",
            "-CAfile",
            path_str(&s.ca_bundle()),
        ])
        .args(["-cert", path_str(cert), "-key", path_str(key)])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl is required (apt-get install openssl)");
    if let Some(mut stdin) = child.stdin.take() {
        // s_client reads standard input only after the handshake.
        std::thread::sleep(std::time::Duration::from_millis(700));
        let _ = stdin.write_all(input);
    }
    let out = child.wait_with_output().expect("openssl output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn password_login_on_implicit_tls_and_wrong_password_refused() {
    let mut s = Space::new(None);
    let password = "Pharmacie-du-Centre-2026!";
    s.set_password(PHARMACY, password);
    s.start();
    let text = format!("From: {PHARMACY}\r\nTo: {DOCTOR}\r\nSubject: Ordonnance\r\n\r\nPrête.\r\n");
    let r = Smtp::submissions(&s)
        .login(PHARMACY, password)
        .from(PHARMACY)
        .to(DOCTOR)
        .text(&text)
        .send();
    assert_eq!(r["auth"], 235, "{r}");
    assert_eq!(r["data"], 250, "{r}");

    let r = Smtp::submissions(&s)
        .login(PHARMACY, "wrong")
        .from(PHARMACY)
        .to(DOCTOR)
        .send();
    assert_eq!(r["auth"], 535, "{r}");
    assert_eq!(r["mail"], 530, "unauthenticated MAIL must be refused: {r}");
    assert!(s.server_log().contains("AUTH failed"), "{}", s.server_log());
}

#[test]
fn openssl_s_client_starttls_with_a_client_certificate() {
    let mut s = Space::new(None);
    let (cert, key) = s.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    s.start();
    let extra = [
        "-verify_hostname",
        "mx.mssante.example",
        "-verify_return_error",
        "-crlf",
    ];
    let text = openssl_session(&s, &cert, &key, &extra, b"EHLO client.test\nQUIT\n");
    assert!(text.contains("Verify return code: 0 (ok)"), "{text}");
    assert!(
        text.contains("250-PIPELINING") || text.contains("250 PIPELINING"),
        "{text}"
    );
    assert!(text.contains("221 2.0.0"), "{text}");
}

/// BDAT (RFC 3030) and PIPELINING (RFC 2920): the whole transaction is written at once, the chunks
/// counted in octets.
#[test]
fn pipelined_bdat_transaction_over_openssl() {
    let mut s = Space::new(None);
    let (cert, key) = s.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    s.start();
    let part1 = format!("From: {DOCTOR}\r\nTo: {PHARMACY}\r\nSubject: BDAT\r\n\r\n");
    let part2 = "Premier morceau.\r\n.Une ligne qui commence par un point.\r\n";
    let script = format!(
        "EHLO client.test\r\nMAIL FROM:<{DOCTOR}>\r\nRCPT TO:<{PHARMACY}>\r\n\
         BDAT {} \r\n{part1}BDAT {} LAST\r\n{part2}QUIT\r\n",
        part1.len(),
        part2.len()
    );
    let text = openssl_session(&s, &cert, &key, &["-quiet"], script.as_bytes());
    assert!(text.contains("CHUNKING"), "{text}");
    let first = format!("250 2.0.0 {} octets received", part1.len());
    assert!(text.contains(&first), "{text}");
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
    let body = line.repeat(1100);
    let big = format!("From: {DOCTOR}\r\nTo: {PHARMACY}\r\nSubject: big\r\n\r\n{body}");
    let file = s.path("big.eml");
    std::fs::write(&file, big).expect("write message");
    let r = Smtp::submission(&s)
        .cert(&cert, &key)
        .from(DOCTOR)
        .to(PHARMACY)
        .opt("--file", path_str(&file))
        .send();
    assert_eq!(r["data"], 552, "{r}");
    let why = r["data_text"].as_str().unwrap_or_default();
    assert!(why.starts_with("5.3.4"), "{r}");
}

#[test]
fn mta_port_refuses_peers_that_are_not_whitelisted_operators() {
    let mut s = Space::new(None);
    let pki = s.pki();
    let server_cert = |dir: &Path, domain: &str| {
        let servers = dir.join("servers");
        (
            servers.join(format!("{domain}.pem")),
            servers.join(format!("{domain}.key")),
        )
    };
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
    let (evil_cert, evil_key) = server_cert(&pki, "intrus.example");
    // An expired operator certificate.
    s.ok(&[
        "certs",
        "issue",
        "server",
        "--dir",
        path_str(&pki),
        "--domain",
        CHU,
        "--expired",
    ]);
    let expired = s.path("expired");
    std::fs::create_dir_all(&expired).expect("mkdir");
    let (c, k) = server_cert(&pki, CHU);
    let (expired_cert, expired_key) = (expired.join("chu.pem"), expired.join("chu.key"));
    std::fs::copy(&c, &expired_cert).expect("copy");
    std::fs::copy(&k, &expired_key).expect("copy");
    // A second, unrelated PKI.
    let other = s.path("other-pki");
    s.ok(&["certs", "init", "--dir", path_str(&other), "--domain", CHU]);
    let (foreign_cert, foreign_key) = server_cert(&other, CHU);
    // The real CHU operator certificate.
    s.ok(&[
        "certs",
        "issue",
        "server",
        "--dir",
        path_str(&pki),
        "--domain",
        CHU,
        "--force",
    ]);
    let (chu_cert, chu_key) = server_cert(&pki, CHU);
    s.start();

    // No certificate at all.
    let r = Smtp::mta(&s)
        .from("x@chu-exemple.mssante.example")
        .to(DOCTOR)
        .send();
    assert_eq!(r["mail"], 530, "{r}");
    // Domain off the whitelist.
    let r = Smtp::mta(&s)
        .cert(&evil_cert, &evil_key)
        .from("x@intrus.example")
        .to(DOCTOR)
        .send();
    assert_eq!(r["mail"], 550, "{r}");
    let why = r["mail_text"].as_str().unwrap_or_default();
    assert!(why.contains("whitelist"), "{r}");
    // Whitelisted domain, but the certificate is someone else's.
    let r = Smtp::mta(&s)
        .cert(&evil_cert, &evil_key)
        .from("x@chu-exemple.mssante.example")
        .to(DOCTOR)
        .send();
    assert_eq!(r["mail"], 550, "{r}");
    // Expired, and from another PKI: refused during the TLS handshake, with the reason logged.
    // (The foreign PKI uses the same CA names as ours, so its chain fails on the signature.)
    let refused = [
        (&expired_cert, &expired_key, "expired"),
        (&foreign_cert, &foreign_key, "signature"),
    ];
    for (i, (cert, key, why)) in refused.into_iter().enumerate() {
        let r = Smtp::mta(&s)
            .cert(cert, key)
            .from("x@chu-exemple.mssante.example")
            .to(DOCTOR)
            .send();
        assert!(r["error"].is_string(), "{why} certificate accepted: {r}");
        let log = s.server_log();
        assert_eq!(
            log.matches("client certificate refused").count(),
            i + 1,
            "{log}"
        );
        assert!(log.contains(why), "log should say {why}:\n{log}");
    }
    // The real operator gets through, but may not relay to a domain that is not ours.
    let outside = "someone@hopital.example";
    let r = Smtp::mta(&s)
        .cert(&chu_cert, &chu_key)
        .from("cardiologie@chu-exemple.mssante.example")
        .to(DOCTOR)
        .to(outside)
        .send();
    assert_eq!(r["mail"], 250, "{r}");
    assert_eq!(r["rcpt"][DOCTOR][0], 250, "{r}");
    assert_eq!(r["rcpt"][outside][0], 550, "{r}");
}
