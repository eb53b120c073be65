//! The dev PKI on disk: files, modes, refusals, CRLs, and the identity of each kind of certificate.

mod common;

use std::os::unix::fs::PermissionsExt;

use certs::CertsError;
use certs::identity::{PeerIdentity, PeerKind};
use certs::ids::{PersonId, StructureId, StructureKind};
use certs::pki::{self, CaName, InitOptions, IssueRequest, Layout, Subject, Validity};
use common::*;
use x509_parser::prelude::FromDer;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn init_writes_the_layout_and_refuses_to_overwrite() {
    let (_tmp, dir) = new_pki("DEV");
    let layout = Layout::new(&dir);
    for ca in CaName::ALL {
        assert_eq!(mode(&layout.ca_key(ca)), 0o600, "{ca}");
        assert!(
            layout.ca_cert(ca).exists() && layout.crl(ca).exists(),
            "{ca}"
        );
    }
    assert!(layout.ca_bundle().exists() && layout.state().exists());
    let server = layout.server_cert(DOMAIN);
    assert_eq!(mode(&server.with_extension("key")), 0o600);
    assert_eq!(
        certs::tls::load_certs(&server).unwrap().len(),
        2,
        "leaf + intermediate"
    );

    let again = pki::init(&dir, &InitOptions::new(&[DOMAIN]));
    assert!(
        matches!(again, Err(CertsError::AlreadyExists { .. })),
        "{again:?}"
    );
    assert!(again.unwrap_err().to_string().contains("--force"));
    let root_before = std::fs::read(layout.ca_cert(CaName::Root)).unwrap();
    let mut force = InitOptions::new(&[DOMAIN]);
    force.force = true;
    pki::init(&dir, &force).unwrap();
    assert_ne!(
        std::fs::read(layout.ca_cert(CaName::Root)).unwrap(),
        root_before
    );
}

#[test]
fn issue_without_pki_and_duplicate_files_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let err = pki::issue(
        tmp.path(),
        &IssueRequest::new(person("A", "B", "10000000003")),
    )
    .unwrap_err();
    assert!(err.to_string().contains("santemail certs init"), "{err}");

    let (_tmp, dir) = new_pki("DEV");
    issue(
        &dir,
        person("Camille", "Martin", "10284642892"),
        Validity::default(),
    );
    let err = pki::issue(
        &dir,
        &IssueRequest::new(person("Camille", "Martin", "10284642892")),
    )
    .unwrap_err();
    assert!(matches!(err, CertsError::FileExists(_)), "{err}");
}

fn crl_serials(path: &std::path::Path) -> Vec<String> {
    let crl = certs::crl::load(path).unwrap().remove(0);
    let (_, parsed) =
        x509_parser::revocation_list::CertificateRevocationList::from_der(crl.as_ref()).unwrap();
    parsed
        .iter_revoked_certificates()
        .map(|r| r.raw_serial().iter().map(|b| format!("{b:02x}")).collect())
        .collect()
}

#[test]
fn revoke_lists_the_serial_in_the_issuing_ca_crl_only() {
    let (_tmp, dir) = new_pki("DEV");
    let layout = Layout::new(&dir);
    let cert = issue(
        &dir,
        person("Lea", "Rousseau", "10693719556"),
        Validity::default(),
    );
    assert!(crl_serials(&layout.crl(CaName::Personnes)).is_empty());

    let r = pki::revoke(&dir, &cert.cert_path).unwrap();
    assert_eq!((r.ca, r.already), (CaName::Personnes, false));
    assert_eq!(
        crl_serials(&layout.crl(CaName::Personnes)),
        vec![cert.identity.serial.clone()]
    );
    assert!(crl_serials(&layout.crl(CaName::Structures)).is_empty());
    assert!(pki::revoke(&dir, &cert.cert_path).unwrap().already);

    let (_tmp2, other) = new_pki("AUTRE");
    let foreign = issue(
        &other,
        person("Eve", "Intruse", "10000000002"),
        Validity::default(),
    );
    let err = pki::revoke(&dir, &foreign.cert_path).unwrap_err();
    assert!(
        matches!(err, CertsError::ForeignCertificate { .. }),
        "{err}"
    );
}

#[test]
fn identities_of_each_kind() {
    let (_tmp, dir) = new_pki("DEV");
    struct Case {
        subject: Subject,
        kind: PeerKind,
        rpps: Option<&'static str>,
        adeli: Option<&'static str>,
        national_id: Option<&'static str>,
        structure: Option<&'static str>,
        email: Option<&'static str>,
        dn: &'static str,
    }
    let cases = [
        Case {
            subject: person("Camille", "Martin", "810284642892"),
            kind: PeerKind::Person,
            rpps: Some("10284642892"),
            adeli: None,
            national_id: Some("810284642892"),
            structure: None,
            email: Some("camille.martin@medecin.mssante.example"),
            dn: "CN=Camille Martin,SN=Martin,GN=Camille,serialNumber=810284642892,C=FR",
        },
        Case {
            subject: Subject::Person {
                id: PersonId::adeli("751234567").unwrap(),
                given_name: "Jeanne".into(),
                surname: "Petit".into(),
                email: "Jeanne.Petit@infirmier.mssante.example".into(),
                structure: Some(StructureId::parse("370000481", StructureKind::Finess).unwrap()),
                organization: Some("CHU EXEMPLE".into()),
            },
            kind: PeerKind::Person,
            rpps: None,
            adeli: Some("751234567"),
            national_id: Some("0751234567"),
            structure: Some("370000481"),
            email: Some("jeanne.petit@infirmier.mssante.example"),
            dn: "CN=Jeanne Petit,SN=Petit,GN=Jeanne,serialNumber=0751234567,OU=FINESS 370000481,O=CHU EXEMPLE,C=FR",
        },
        Case {
            subject: org("379836900", "du-centre-37000@pharmacie.mssante.example"),
            kind: PeerKind::Org,
            rpps: None,
            adeli: None,
            national_id: None,
            structure: Some("379836900"),
            email: Some("du-centre-37000@pharmacie.mssante.example"),
            dn: "CN=du-centre-37000@pharmacie.mssante.example,OU=FINESS 379836900,O=PHARMACIE DU CENTRE,C=FR",
        },
        Case {
            subject: Subject::App {
                structure: StructureId::parse("siret:12345678900011", StructureKind::Finess)
                    .unwrap(),
                email: "labo@labo-bio.mssante.example".into(),
                name: "LOGICIEL LABO".into(),
            },
            kind: PeerKind::App,
            rpps: None,
            adeli: None,
            national_id: None,
            structure: Some("12345678900011"),
            email: Some("labo@labo-bio.mssante.example"),
            dn: "CN=labo@labo-bio.mssante.example,OU=0009 12345678900011,O=LOGICIEL LABO,C=FR",
        },
        Case {
            subject: Subject::Server {
                domain: "hôpital-été.mssante.example".into(),
                extra_names: vec![],
            },
            kind: PeerKind::Server,
            rpps: None,
            adeli: None,
            national_id: None,
            structure: Some("123456789"),
            email: None,
            dn: "CN=mx.xn--hpital-t-h1ab6i.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR",
        },
    ];
    for c in cases {
        let issued = issue(&dir, c.subject, Validity::days(30));
        let id = PeerIdentity::from_pem_file(&issued.cert_path).unwrap();
        assert_eq!(id, issued.identity);
        assert_eq!(id.kind, c.kind, "{}", id.subject_dn);
        assert_eq!(id.rpps.as_deref(), c.rpps, "{}", id.subject_dn);
        assert_eq!(id.adeli.as_deref(), c.adeli, "{}", id.subject_dn);
        assert_eq!(
            id.national_id.as_deref(),
            c.national_id,
            "{}",
            id.subject_dn
        );
        assert_eq!(id.structure_id.as_deref(), c.structure, "{}", id.subject_dn);
        assert_eq!(
            id.emails.first().map(String::as_str),
            c.email,
            "{}",
            id.subject_dn
        );
        assert_eq!(id.subject_dn, c.dn);
        assert!(
            id.issuer_dn.starts_with("CN=AC IGC-SANTE DEV"),
            "{}",
            id.issuer_dn
        );
        let days = (id.not_after - time::OffsetDateTime::now_utc()).whole_days();
        assert!((29..=30).contains(&days), "{days}");
        assert_eq!(mode(&issued.key_path), 0o600);
    }
}

#[test]
fn p12_bundle_holds_key_and_chain_and_refuses_a_foreign_key() {
    let (tmp, dir) = new_pki("DEV");
    let a = issue(
        &dir,
        person("Camille", "Martin", "10284642892"),
        Validity::default(),
    );
    let b = issue(
        &dir,
        person("Lea", "Rousseau", "10693719556"),
        Validity::default(),
    );
    let out = tmp.path().join("camille.p12");
    certs::p12::write(
        &a.cert_path,
        &a.key_path,
        &out,
        "s3cret",
        Default::default(),
    )
    .unwrap();
    assert_eq!(mode(&out), 0o600);
    let parsed = openssl::pkcs12::Pkcs12::from_der(&std::fs::read(&out).unwrap())
        .unwrap()
        .parse2("s3cret")
        .unwrap();
    assert!(parsed.pkey.is_some() && parsed.cert.is_some());
    assert_eq!(parsed.ca.map(|c| c.len()), Some(1));
    let err = certs::p12::bundle(&a.cert_path, &b.key_path, "x", Default::default()).unwrap_err();
    assert!(err.to_string().contains("does not belong"), "{err}");
}
