//! Mutual TLS over real loopback handshakes (tokio-rustls on both sides): who is let in, who is
//! refused, and that the refusal is logged with its reason.

mod common;

use certs::identity::PeerKind;
use certs::ids::{StructureId, StructureKind};
use certs::pki::{self, Subject, Validity};
use certs::tls::{self, ClientAuth};
use common::*;

async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Outcome>) -> Outcome {
    tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
        .await
        .expect("server outcome in time")
        .expect("server still running")
}

#[tokio::test]
async fn valid_person_certificate_is_accepted_and_identity_read() {
    let (_tmp, dir) = new_pki("DEV");
    let cert = issue(
        &dir,
        person("Camille", "Martin", "10284642892"),
        Validity::default(),
    );
    let (addr, mut rx) =
        spawn_server(tls::server_config(&server_settings(&dir, ClientAuth::Required)).unwrap())
            .await;
    let client = client(&dir, Some(&cert));

    let answer = connect(client, addr).await.expect("handshake accepted");
    assert_eq!(answer, "OK 810284642892\n");
    let id = next(&mut rx)
        .await
        .expect("accepted")
        .expect("client certificate seen");
    assert_eq!(id.kind, PeerKind::Person);
    assert_eq!(id.rpps.as_deref(), Some("10284642892"));
    assert_eq!(id.national_id.as_deref(), Some("810284642892"));
    assert_eq!(id.emails, vec![format!("camille.martin@{DOMAIN}")]);
    assert_eq!(id.given_name.as_deref(), Some("Camille"));
    assert_eq!(id.surname.as_deref(), Some("Martin"));
    assert!(
        id.subject_dn
            .starts_with("CN=Camille Martin,SN=Martin,GN=Camille,serialNumber=810284642892,"),
        "{}",
        id.subject_dn
    );
}

#[tokio::test]
async fn org_app_and_operator_server_identities() {
    let (_tmp, dir) = new_pki("DEV");
    let org = issue(
        &dir,
        org("379836900", "du-centre-37000@pharmacie.mssante.example"),
        Validity::default(),
    );
    let app = issue(
        &dir,
        Subject::App {
            structure: StructureId::parse("12345678900011", StructureKind::Finess).unwrap(),
            email: "labo@labo-bio.mssante.example".into(),
            name: "LOGICIEL LABO".into(),
        },
        Validity::default(),
    );
    // An operator relaying on port 25 presents its server certificate as client certificate.
    let operator = pki::Issued {
        cert_path: pki::Layout::new(&dir).server_cert(DOMAIN),
        key_path: pki::Layout::new(&dir)
            .server_cert(DOMAIN)
            .with_extension("key"),
        identity: certs::identity::PeerIdentity::from_pem_file(
            &pki::Layout::new(&dir).server_cert(DOMAIN),
        )
        .unwrap(),
        ca: pki::CaName::Structures,
    };
    let (addr, mut rx) =
        spawn_server(tls::server_config(&server_settings(&dir, ClientAuth::Required)).unwrap())
            .await;

    connect(client(&dir, Some(&org)), addr)
        .await
        .expect("org accepted");
    let id = next(&mut rx).await.unwrap().unwrap();
    assert_eq!(
        (id.kind, id.structure_id.as_deref()),
        (PeerKind::Org, Some("379836900"))
    );
    assert!(id.has_email("DU-CENTRE-37000@pharmacie.mssante.example"));

    connect(client(&dir, Some(&app)), addr)
        .await
        .expect("app accepted");
    let id = next(&mut rx).await.unwrap().unwrap();
    assert_eq!(
        (id.kind, id.structure_id.as_deref()),
        (PeerKind::App, Some("12345678900011"))
    );

    connect(client(&dir, Some(&operator)), addr)
        .await
        .expect("operator accepted");
    let id = next(&mut rx).await.unwrap().unwrap();
    assert_eq!(id.kind, PeerKind::Server);
    assert_eq!(
        id.dns_names,
        vec![
            DOMAIN.to_string(),
            format!("mx.{DOMAIN}"),
            format!("mail.{DOMAIN}")
        ]
    );
    // The subject DN is the one the sample whitelist names for this operator.
    assert!(
        id.subject_matches(
            "CN=mx.medecin.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR"
        ),
        "{}",
        id.subject_dn
    );
    assert!(!id.subject_matches(
        "CN=mx.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR"
    ));
}

/// Runs one refused client against a Required server; returns the captured log.
async fn refused(
    dir: &std::path::Path,
    client: std::sync::Arc<rustls::ClientConfig>,
    mode: ClientAuth,
) -> String {
    let logs = LogBuffer::default();
    let _guard = logs.install();
    let (addr, mut rx) =
        spawn_server(tls::server_config(&server_settings(dir, mode)).unwrap()).await;
    let answer = connect(client, addr).await;
    assert!(answer.is_err(), "client must be refused, got {answer:?}");
    let outcome = next(&mut rx).await;
    assert!(outcome.is_err(), "server must refuse, got {outcome:?}");
    logs.contents()
}

#[tokio::test]
async fn revoked_certificate_is_refused_and_logged() {
    let (_tmp, dir) = new_pki("DEV");
    let cert = issue(
        &dir,
        person("Lea", "Rousseau", "10693719556"),
        Validity::default(),
    );
    let revoked = pki::revoke(&dir, &cert.cert_path).unwrap();
    assert!(!revoked.already);
    let log = refused(&dir, client(&dir, Some(&cert)), ClientAuth::Required).await;
    assert!(log.contains("client certificate refused"), "{log}");
    assert!(log.contains("revoked"), "{log}");
    assert!(log.contains("CN=Lea Rousseau"), "{log}");
    assert!(log.contains(&cert.identity.serial), "{log}");
}

#[tokio::test]
async fn expired_certificate_is_refused_and_logged() {
    let (_tmp, dir) = new_pki("DEV");
    let cert = issue(
        &dir,
        person("Paul", "Durand", "10000000001"),
        Validity::expired(),
    );
    let log = refused(&dir, client(&dir, Some(&cert)), ClientAuth::Required).await;
    assert!(log.contains("reason=expired (not valid after"), "{log}");
    assert!(log.contains("CN=Paul Durand"), "{log}");
}

#[tokio::test]
async fn certificate_from_another_pki_is_refused_and_logged() {
    let (_tmp, dir) = new_pki("DEV");
    let (_tmp2, other) = new_pki("AUTRE");
    let cert = issue(
        &other,
        person("Eve", "Intruse", "10000000002"),
        Validity::default(),
    );
    // The client trusts our server, but its certificate comes from the other PKI.
    let layout = pki::Layout::new(&dir);
    let client = tls::client_config(
        &layout.roots(),
        &layout.crls(),
        Some((&cert.cert_path, &cert.key_path)),
    )
    .unwrap();
    let log = refused(&dir, client, ClientAuth::Required).await;
    assert!(log.contains("unknown issuer"), "{log}");
    assert!(log.contains("CN=Eve Intruse"), "{log}");
}

#[tokio::test]
async fn client_without_certificate_is_refused_when_required() {
    let (_tmp, dir) = new_pki("DEV");
    let log = refused(&dir, client(&dir, None), ClientAuth::Required).await;
    assert!(log.contains("no client certificate presented"), "{log}");
    assert!(log.contains("127.0.0.1:"), "{log}");
}

#[tokio::test]
async fn optional_mode_accepts_anonymous_but_refuses_revoked() {
    let (_tmp, dir) = new_pki("DEV");
    let cert = issue(
        &dir,
        person("Lea", "Rousseau", "10693719556"),
        Validity::default(),
    );
    pki::revoke(&dir, &cert.cert_path).unwrap();
    let (addr, mut rx) =
        spawn_server(tls::server_config(&server_settings(&dir, ClientAuth::Optional)).unwrap())
            .await;

    let anonymous = connect(client(&dir, None), addr).await;
    assert_eq!(anonymous.as_deref(), Ok("OK anonymous\n"));
    assert_eq!(next(&mut rx).await, Ok(None));

    let logs = LogBuffer::default();
    let _guard = logs.install();
    let revoked = connect(client(&dir, Some(&cert)), addr).await;
    assert!(revoked.is_err(), "{revoked:?}");
    assert!(next(&mut rx).await.is_err());
    assert!(logs.contents().contains("revoked"), "{}", logs.contents());
}

#[tokio::test]
async fn crls_reload_without_restarting_the_server() {
    let (_tmp, dir) = new_pki("DEV");
    let cert = issue(
        &dir,
        person("Camille", "Martin", "10284642892"),
        Validity::default(),
    );
    let (config, reloader) =
        tls::server_config_with_reloader(&server_settings(&dir, ClientAuth::Required)).unwrap();
    let reloader = reloader.expect("reloader in Required mode");
    let (addr, mut rx) = spawn_server(config).await;
    let client = client(&dir, Some(&cert));

    connect(client.clone(), addr)
        .await
        .expect("accepted before revocation");
    next(&mut rx).await.expect("accepted");
    pki::revoke(&dir, &cert.cert_path).unwrap();
    reloader.reload().unwrap();
    assert!(connect(client, addr).await.is_err());
    assert!(
        next(&mut rx)
            .await
            .unwrap_err()
            .to_lowercase()
            .contains("revoked")
    );
}

#[tokio::test]
async fn leaf_only_client_is_completed_with_configured_intermediates() {
    let (tmp, dir) = new_pki("DEV");
    let cert = issue(
        &dir,
        person("Camille", "Martin", "10284642892"),
        Validity::default(),
    );
    // Many clients send only their leaf: keep the first PEM block.
    let chain = std::fs::read_to_string(&cert.cert_path).unwrap();
    let leaf_end =
        chain.find("-----END CERTIFICATE-----").unwrap() + "-----END CERTIFICATE-----\n".len();
    let leaf_only = tmp.path().join("leaf.pem");
    std::fs::write(&leaf_only, &chain[..leaf_end]).unwrap();
    let layout = pki::Layout::new(&dir);
    let client = tls::client_config(
        &layout.roots(),
        &layout.crls(),
        Some((&leaf_only, &cert.key_path)),
    )
    .unwrap();

    let (addr, mut rx) =
        spawn_server(tls::server_config(&server_settings(&dir, ClientAuth::Required)).unwrap())
            .await;
    assert_eq!(
        connect(client.clone(), addr).await.as_deref(),
        Ok("OK 810284642892\n")
    );
    next(&mut rx).await.expect("accepted");

    let mut strict = server_settings(&dir, ClientAuth::Required);
    // Only the root: nothing completes the chain.
    strict.client_roots = vec![layout.ca_cert(pki::CaName::Root)];
    let log = {
        let logs = LogBuffer::default();
        let _guard = logs.install();
        let (addr, mut rx) = spawn_server(tls::server_config(&strict).unwrap()).await;
        assert!(connect(client, addr).await.is_err());
        assert!(next(&mut rx).await.is_err());
        logs.contents()
    };
    assert!(log.contains("unknown issuer"), "{log}");
}

#[tokio::test]
async fn client_config_verifies_the_server_against_roots_and_crls() {
    let (_tmp, dir) = new_pki("DEV");
    let (_tmp2, other) = new_pki("AUTRE");
    let (addr, _rx) =
        spawn_server(tls::server_config(&server_settings(&dir, ClientAuth::None)).unwrap()).await;

    let ok = connect(client(&dir, None), addr).await;
    assert_eq!(ok.as_deref(), Ok("OK anonymous\n"));

    let foreign = connect(client(&other, None), addr).await;
    assert!(
        foreign.as_ref().is_err_and(|e| e.contains("UnknownIssuer")),
        "{foreign:?}"
    );

    pki::revoke(&dir, &pki::Layout::new(&dir).server_cert(DOMAIN)).unwrap();
    let revoked = connect(client(&dir, None), addr).await;
    assert!(
        revoked.as_ref().is_err_and(|e| e.contains("Revoked")),
        "{revoked:?}"
    );
}
