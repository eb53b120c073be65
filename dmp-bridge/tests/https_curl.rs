//! The professional API behind real mutual TLS, called by `curl --cert` (a client we did not
//! write): a dev health PKI, a personal certificate for Dr Léa ROUSSEAU (RPPS 10693719556), the
//! server's accept loop putting `Option<PeerIdentity>` in the request extensions as the binary
//! does. Without a certificate: 401; with it: the documents; a revoked one fails the handshake.

mod common;

use std::path::Path;
use std::process::Command;

use axum::body::Body;
use certs::identity::PeerIdentity;
use certs::ids::PersonId;
use certs::pki::{self, InitOptions, IssueRequest, Subject};
use certs::tls::{ClientAuth, ServerTlsSettings};
use common::*;
use dmp_bridge::{Citizen, api};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

const DOMAIN: &str = "mssante.example";

/// Serves the API over TLS with optional client certificates, like `webmail::server::serve`.
async fn serve(dmp: dmp_bridge::Dmp, pki_dir: &Path) -> u16 {
    let settings = ServerTlsSettings::from_dev_pki(pki_dir, DOMAIN, ClientAuth::Optional);
    let tls = certs::tls::server_config(&settings).expect("server TLS config");
    let acceptor = TlsAcceptor::from(tls);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app = api::router(dmp);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, app) = (acceptor.clone(), app.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let identity: Option<PeerIdentity> =
                    certs::tls::peer_identity(tls.get_ref().1).ok().flatten();
                let service = hyper::service::service_fn(
                    move |mut req: hyper::Request<hyper::body::Incoming>| {
                        req.extensions_mut().insert(identity.clone());
                        app.clone().oneshot(req.map(Body::new))
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    port
}

fn curl(pki_dir: &Path, port: u16, cert: Option<(&Path, &Path)>, path: &str) -> (String, String) {
    let mut c = Command::new("curl");
    c.args([
        "--silent",
        "--max-time",
        "10",
        "--write-out",
        "\n%{http_code}",
    ])
    .arg("--cacert")
    .arg(pki_dir.join("ca-bundle.pem"))
    .args(["--resolve", &format!("mx.{DOMAIN}:{port}:127.0.0.1")]);
    if let Some((cert, key)) = cert {
        c.arg("--cert").arg(cert).arg("--key").arg(key);
    }
    let out = c
        .arg(format!("https://mx.{DOMAIN}:{port}{path}"))
        .output()
        .expect("curl is required (apt-get install curl)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "000"));
    (code.to_string(), body.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_with_a_personal_certificate() {
    let t = store::testing::TestDb::new(store::Backend::Sqlite)
        .await
        .expect("db");
    let env = env(t.db().clone()).await;
    env.dmp
        .citizen_file_xdm(&Citizen::patient(CAMILLE), fixture_package())
        .await
        .expect("file");
    let pki_dir = tempfile::tempdir().expect("tempdir");
    let pki_dir = pki_dir.path().join("pki");
    pki::init(&pki_dir, &InitOptions::new(&[DOMAIN])).expect("dev PKI");
    let person = Subject::Person {
        id: PersonId::rpps(DR_ROUSSEAU).expect("rpps"),
        given_name: "Léa".into(),
        surname: "ROUSSEAU".into(),
        email: "lea.rousseau@medecin.mssante.example".into(),
        structure: None,
        organization: None,
    };
    let issued = pki::issue(&pki_dir, &IssueRequest::new(person)).expect("issue");
    let port = serve(env.dmp.clone(), &pki_dir).await;
    let docs = format!("/api/dmp/v1/patients/{CAMILLE}/documents");

    let d = pki_dir.clone();
    let p = docs.clone();
    let (code, body) = tokio::task::spawn_blocking(move || curl(&d, port, None, &p))
        .await
        .expect("curl");
    assert_eq!(code, "401", "{body}");

    let (d, p, c) = (pki_dir.clone(), docs.clone(), issued.clone());
    let (code, body) =
        tokio::task::spawn_blocking(move || curl(&d, port, Some((&c.cert_path, &c.key_path)), &p))
            .await
            .expect("curl");
    assert_eq!(code, "200", "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(2), "{body}");
    let history = env
        .dmp
        .citizen_history(&Citizen::patient(CAMILLE))
        .await
        .expect("history");
    let read = history
        .iter()
        .find(|h| h.action == "list_documents")
        .expect("audited");
    assert_eq!(read.actor_id.as_deref(), Some(DR_ROUSSEAU));
    assert_eq!(read.actor_name.as_deref(), Some("Léa ROUSSEAU"));

    // Revoked: the handshake fails (CRLs are read when the server config is built).
    pki::revoke(&pki_dir, &issued.cert_path).expect("revoke");
    let port = serve(env.dmp.clone(), &pki_dir).await;
    let (d, p, c) = (pki_dir.clone(), docs.clone(), issued.clone());
    let (code, _) =
        tokio::task::spawn_blocking(move || curl(&d, port, Some((&c.cert_path, &c.key_path)), &p))
            .await
            .expect("curl");
    assert_eq!(
        code, "000",
        "a revoked certificate must not get an HTTP answer"
    );
}
