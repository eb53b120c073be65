//! Loading certificates, keys and CRLs from files (PEM through `rustls_pki_types::pem`).

use std::path::Path;

use rustls::RootCertStore;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer};

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::CertsError;

/// All certificates of a PEM file, in order (leaf first for a chain).
pub fn load_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, CertsError> {
    let bytes = std::fs::read(path).map_err(CertsError::io(path))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CertsError::File {
            path: path.to_path_buf(),
            message: format!("invalid PEM certificate: {e}"),
        })?;
    if certs.is_empty() {
        return Err(CertsError::File {
            path: path.to_path_buf(),
            message: "no `CERTIFICATE` PEM block found".into(),
        });
    }
    Ok(certs)
}

/// The private key of a PEM file (PKCS#8, PKCS#1 RSA or SEC1 EC).
pub fn load_key(path: &Path) -> Result<PrivateKeyDer<'static>, CertsError> {
    let bytes = std::fs::read(path).map_err(CertsError::io(path))?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| CertsError::File {
        path: path.to_path_buf(),
        message: format!("no usable private key (PKCS#8, RSA or EC PEM): {e}"),
    })
}

/// Every CRL of the given files (PEM or DER).
pub fn load_crls(
    paths: &[impl AsRef<Path>],
) -> Result<Vec<CertificateRevocationListDer<'static>>, CertsError> {
    let mut all = Vec::new();
    for p in paths {
        all.extend(crate::crl::load(p.as_ref())?);
    }
    Ok(all)
}

/// CA certificates split by role.
#[derive(Debug, Clone)]
pub struct Trust {
    /// Trust anchors: the self-signed certificates (roots).
    pub anchors: RootCertStore,
    /// The other CA certificates, used only to complete chains.
    pub intermediates: Vec<CertificateDer<'static>>,
}

/// Reads CA certificates from PEM files. Self-signed certificates (subject = issuer) become trust
/// anchors and the others intermediates, so that an intermediate never short-cuts the chain (its
/// revocation by the root's CRL stays checked). Files holding no self-signed certificate at all
/// make every certificate an anchor: a deployment may deliberately trust one intermediate only.
pub fn load_trust(paths: &[impl AsRef<Path>]) -> Result<Trust, CertsError> {
    let mut all = Vec::new();
    for p in paths {
        let p = p.as_ref();
        for cert in load_certs(p)? {
            let (_, parsed) = X509Certificate::from_der(&cert).map_err(|e| CertsError::File {
                path: p.to_path_buf(),
                message: format!("invalid certificate: {e}"),
            })?;
            let self_signed = parsed.subject().as_raw() == parsed.issuer().as_raw();
            all.push((p.to_path_buf(), cert, self_signed));
        }
    }
    let any_root = all.iter().any(|(_, _, ss)| *ss);
    let mut anchors = RootCertStore::empty();
    let mut intermediates = Vec::new();
    for (path, cert, self_signed) in all {
        if self_signed || !any_root {
            anchors.add(cert).map_err(|e| CertsError::File {
                path,
                message: format!("not usable as a trust anchor: {e}"),
            })?;
        } else {
            intermediates.push(cert);
        }
    }
    if anchors.is_empty() {
        return Err(CertsError::invalid(
            "roots",
            "no trusted root certificate configured (e.g. <pki>/ca-bundle.pem or root-ca.pem)",
        ));
    }
    Ok(Trust {
        anchors,
        intermediates,
    })
}
