//! Certificate revocation lists: signing them for the dev PKI and loading real ones (PEM or DER).

use std::path::Path;

use rcgen::{
    CertificateRevocationListParams, Issuer, KeyIdMethod, KeyPair, RevocationReason,
    RevokedCertParams, SerialNumber,
};
use rustls_pki_types::CertificateRevocationListDer;
use rustls_pki_types::pem::PemObject;
use time::{Duration, OffsetDateTime};

use crate::CertsError;

/// How long a dev CRL stays current. Refresh with `santemail certs crl` (or any revoke).
pub const CRL_VALIDITY_DAYS: i64 = 30;

/// One revoked certificate.
#[derive(Debug, Clone)]
pub struct RevokedSerial {
    /// DER integer bytes of the serial.
    pub serial: Vec<u8>,
    pub revoked_at: OffsetDateTime,
    pub reason: Option<u8>,
}

/// RFC 5280 §5.3.1 reason codes by name (the CLI's `--reason`).
pub fn reason_code(name: &str) -> Option<u8> {
    Some(match name {
        "unspecified" => 0,
        "key-compromise" => 1,
        "ca-compromise" => 2,
        "affiliation-changed" => 3,
        "superseded" => 4,
        "cessation-of-operation" => 5,
        "certificate-hold" => 6,
        "privilege-withdrawn" => 9,
        _ => return None,
    })
}

fn reason(code: u8) -> RevocationReason {
    match code {
        1 => RevocationReason::KeyCompromise,
        2 => RevocationReason::CaCompromise,
        3 => RevocationReason::AffiliationChanged,
        4 => RevocationReason::Superseded,
        5 => RevocationReason::CessationOfOperation,
        6 => RevocationReason::CertificateHold,
        9 => RevocationReason::PrivilegeWithdrawn,
        _ => RevocationReason::Unspecified,
    }
}

/// Signs a CRL (PEM) for the CA whose certificate and key are given, listing `revoked`.
/// RFC 5280 §5.2.1/§5.2.3: the authority key identifier matches the CA's subject key
/// identifier and `number` grows with each issue.
pub fn sign(
    ca_cert_pem: &str,
    ca_key_pem: &str,
    revoked: &[RevokedSerial],
    number: u64,
) -> Result<String, CertsError> {
    let key = KeyPair::from_pem(ca_key_pem)?;
    let issuer = Issuer::from_ca_cert_pem(ca_cert_pem, key)?;
    let now = OffsetDateTime::now_utc();
    let params = CertificateRevocationListParams {
        this_update: now - Duration::minutes(1),
        next_update: now + Duration::days(CRL_VALIDITY_DAYS),
        crl_number: SerialNumber::from(number),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|r| RevokedCertParams {
                serial_number: SerialNumber::from_slice(&r.serial),
                revocation_time: r.revoked_at,
                reason_code: r.reason.map(reason),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    Ok(params.signed_by(&issuer)?.pem()?)
}

/// Loads every CRL of a file, PEM (`-----BEGIN X509 CRL-----`, several allowed) or DER.
pub fn load(path: &Path) -> Result<Vec<CertificateRevocationListDer<'static>>, CertsError> {
    let bytes = std::fs::read(path).map_err(CertsError::io(path))?;
    let bad = |message: String| CertsError::File {
        path: path.to_path_buf(),
        message,
    };
    let crls = if bytes.starts_with(b"-----") || bytes.trim_ascii_start().starts_with(b"-----") {
        CertificateRevocationListDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("invalid PEM CRL: {e}")))?
    } else {
        vec![CertificateRevocationListDer::from(bytes)]
    };
    if crls.is_empty() {
        return Err(bad("no `X509 CRL` PEM block found".into()));
    }
    for crl in &crls {
        use x509_parser::prelude::FromDer;
        x509_parser::revocation_list::CertificateRevocationList::from_der(crl.as_ref())
            .map_err(|e| bad(format!("not a CRL: {e}")))?;
    }
    Ok(crls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_names() {
        let cases = [
            ("key-compromise", Some(1)),
            ("superseded", Some(4)),
            ("unspecified", Some(0)),
            ("remove-from-crl", None),
            ("KeyCompromise", None),
        ];
        for (name, want) in cases {
            assert_eq!(reason_code(name), want, "{name}");
        }
    }
}
