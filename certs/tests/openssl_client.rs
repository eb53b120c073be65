//! Our server config against a client we did not write: the system `openssl s_client`.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use certs::pki::{self, Validity};
use certs::tls::{self, ClientAuth};
use common::*;

/// Runs `openssl s_client` against `addr` with `args`; returns (success, stdout + stderr).
async fn s_client(dir: &Path, addr: SocketAddr, args: &[&str]) -> (bool, String) {
    let ca = pki::Layout::new(dir).ca_cert(pki::CaName::Root);
    let output = tokio::process::Command::new("openssl")
        .arg("s_client")
        .args(["-connect", &addr.to_string(), "-servername", SERVER_NAME])
        .args([
            "-verify_hostname",
            SERVER_NAME,
            "-verify_return_error",
            "-ign_eof",
        ])
        .arg("-CAfile")
        .arg(&ca)
        .args(args)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(20), output)
        .await
        .expect("openssl s_client finished in time")
        .expect("openssl binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn cert_args(cert: &pki::Issued) -> Vec<String> {
    let c = cert.cert_path.display().to_string();
    vec![
        "-cert".into(),
        c.clone(),
        "-cert_chain".into(),
        c,
        "-key".into(),
        cert.key_path.display().to_string(),
    ]
}

#[tokio::test]
async fn openssl_mutual_handshake_with_person_certificate_and_revoked_refusal() {
    let (_tmp, dir) = new_pki("DEV");
    let good = issue(
        &dir,
        person("Camille", "Martin", "10284642892"),
        Validity::default(),
    );
    let bad = issue(
        &dir,
        person("Lea", "Rousseau", "10693719556"),
        Validity::default(),
    );
    pki::revoke(&dir, &bad.cert_path).unwrap();
    let (addr, mut rx) =
        spawn_server(tls::server_config(&server_settings(&dir, ClientAuth::Required)).unwrap())
            .await;

    let args = cert_args(&good);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, out) = s_client(&dir, addr, &args).await;
    assert!(ok, "{out}");
    assert!(out.contains("OK 810284642892"), "{out}");
    assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    assert!(out.contains("TLSv1.3"), "{out}");
    let id = rx
        .recv()
        .await
        .unwrap()
        .expect("accepted")
        .expect("certificate");
    assert_eq!(id.rpps.as_deref(), Some("10284642892"));

    let args = cert_args(&bad);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, out) = s_client(&dir, addr, &args).await;
    assert!(!out.contains("OK 8"), "{out}");
    assert!(
        out.contains("certificate revoked"),
        "openssl must report the alert: {out}"
    );
    assert!(rx.recv().await.unwrap().is_err());
}

#[tokio::test]
async fn openssl_tls12_only_ecdhe_aes_gcm() {
    let (_tmp, dir) = new_pki("DEV");
    let good = issue(
        &dir,
        person("Camille", "Martin", "10284642892"),
        Validity::default(),
    );
    let (addr, _rx) =
        spawn_server(tls::server_config(&server_settings(&dir, ClientAuth::Required)).unwrap())
            .await;
    let cert = cert_args(&good);
    let cert: Vec<&str> = cert.iter().map(String::as_str).collect();

    let cases: &[(&[&str], bool)] = &[
        (
            &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
            true,
        ),
        (
            &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"],
            true,
        ),
        (&["-tls1_2", "-cipher", "AES128-SHA"], false),
        (&["-tls1_2", "-cipher", "AES128-GCM-SHA256"], false),
        (&["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"], false),
        (
            &["-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305"],
            false,
        ),
        (&["-tls1_1"], false),
    ];
    for (extra, accepted) in cases {
        let args: Vec<&str> = cert.iter().chain(extra.iter()).copied().collect();
        let (_, out) = s_client(&dir, addr, &args).await;
        assert_eq!(
            out.contains("OK 810284642892"),
            *accepted,
            "{extra:?}: {out}"
        );
        if *accepted {
            assert!(
                out.contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES"),
                "{out}"
            );
        } else {
            // Refused by our server (its alert), not by openssl locally.
            assert!(out.contains("alert handshake failure"), "{extra:?}: {out}");
        }
    }
}
