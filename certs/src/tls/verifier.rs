//! Our client-certificate verifier: delegates every decision to rustls' webpki verifier (roots +
//! CRLs) and logs why a certificate was refused, with its subject (DESIGN.md §6: "a revoked or
//! expired certificate is refused at the handshake, with a log line that says why"). It can also
//! complete a chain with configured intermediates (clients often send only their leaf) and swap
//! its CRLs while the server runs ([`CrlReloader`]).

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, Error, RootCertStore,
    SignatureScheme,
};
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer, UnixTime};

use super::ClientAuth;
use crate::CertsError;
use crate::identity::PeerIdentity;

/// Builds the webpki verifier. With CRLs, every certificate of the chain must be covered by the
/// CRL of its issuer, else it is refused as "revocation status unknown" (strict, as a health
/// space of trust expects).
pub(crate) fn webpki(
    roots: Arc<RootCertStore>,
    crls: Vec<CertificateRevocationListDer<'static>>,
    mode: ClientAuth,
    provider: Arc<CryptoProvider>,
) -> Result<Arc<dyn ClientCertVerifier>, CertsError> {
    let mut builder = WebPkiClientVerifier::builder_with_provider(roots, provider).with_crls(crls);
    if mode == ClientAuth::Optional {
        builder = builder.allow_unauthenticated();
    }
    Ok(builder.build()?)
}

#[derive(Debug)]
pub(crate) struct HealthClientVerifier {
    inner: RwLock<Arc<dyn ClientCertVerifier>>,
    intermediates: Vec<CertificateDer<'static>>,
    hints: Vec<DistinguishedName>,
    mandatory: bool,
}

impl HealthClientVerifier {
    pub(crate) fn new(
        inner: Arc<dyn ClientCertVerifier>,
        intermediates: Vec<CertificateDer<'static>>,
        mode: ClientAuth,
    ) -> HealthClientVerifier {
        HealthClientVerifier {
            hints: inner.root_hint_subjects().to_vec(),
            inner: RwLock::new(inner),
            intermediates,
            mandatory: mode == ClientAuth::Required,
        }
    }

    fn current(&self) -> Arc<dyn ClientCertVerifier> {
        // A poisoned lock only means a panic elsewhere while swapping; the Arc inside is whole.
        match self.inner.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn replace(&self, inner: Arc<dyn ClientCertVerifier>) {
        match self.inner.write() {
            Ok(mut g) => *g = inner,
            Err(p) => *p.into_inner() = inner,
        }
    }
}

impl ClientCertVerifier for HealthClientVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        let inner = self.current();
        let result = if self.intermediates.is_empty() {
            inner.verify_client_cert(end_entity, intermediates, now)
        } else {
            let all: Vec<CertificateDer<'_>> = intermediates
                .iter()
                .chain(self.intermediates.iter())
                .map(|c| CertificateDer::from(c.as_ref()))
                .collect();
            inner.verify_client_cert(end_entity, &all, now)
        };
        let (subject, serial) = match PeerIdentity::from_der(end_entity) {
            Ok(id) => (id.subject_dn, id.serial),
            Err(_) => ("(unparsable certificate)".to_string(), String::new()),
        };
        match &result {
            Ok(_) => tracing::debug!(%subject, %serial, "client certificate accepted"),
            Err(e) => tracing::warn!(
                %subject,
                %serial,
                reason = %refusal_reason(e),
                "client certificate refused"
            ),
        }
        result
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.current().verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.current().verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.current().supported_verify_schemes()
    }
}

fn date(t: UnixTime) -> String {
    let secs = i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| secs.to_string())
}

/// Why a handshake or a certificate was refused, in words an operator understands.
pub fn refusal_reason(e: &Error) -> String {
    use CertificateError as C;
    match e {
        Error::NoCertificatesPresented => "no client certificate presented".into(),
        Error::InvalidCertificate(c) => match c {
            C::Revoked => "revoked (listed in its issuing CA's CRL)".into(),
            C::Expired => "expired".into(),
            C::ExpiredContext { not_after, .. } => {
                format!("expired (not valid after {})", date(*not_after))
            }
            C::NotValidYet => "not yet valid".into(),
            C::NotValidYetContext { not_before, .. } => {
                format!("not yet valid (not valid before {})", date(*not_before))
            }
            C::UnknownIssuer => {
                "unknown issuer (not issued under a trusted health PKI root)".into()
            }
            C::UnknownRevocationStatus => {
                "revocation status unknown (no CRL configured for its issuer)".into()
            }
            C::ExpiredRevocationList | C::ExpiredRevocationListContext { .. } => {
                "the CRL of its issuer is out of date".into()
            }
            C::BadSignature => "bad signature (not signed by the CA it names)".into(),
            C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
                "not valid for this purpose (extended key usage)".into()
            }
            C::BadEncoding => "malformed certificate".into(),
            other => format!("invalid certificate: {other:?}"),
        },
        other => other.to_string(),
    }
}

/// Re-reads the CRL files of a running server config; new handshakes use them at once.
#[derive(Debug, Clone)]
pub struct CrlReloader {
    pub(crate) verifier: Arc<HealthClientVerifier>,
    pub(crate) sessions: Arc<super::sessions::ResettableSessions>,
    pub(crate) roots: Arc<RootCertStore>,
    pub(crate) crl_paths: Vec<PathBuf>,
    pub(crate) mode: ClientAuth,
    pub(crate) provider: Arc<CryptoProvider>,
}

impl CrlReloader {
    /// Loads the CRL files again and forgets cached sessions (a resumed session would skip the
    /// new check). On error the previous CRLs stay in force.
    pub fn reload(&self) -> Result<(), CertsError> {
        let crls = super::load::load_crls(&self.crl_paths)?;
        let count = crls.len();
        let inner = webpki(self.roots.clone(), crls, self.mode, self.provider.clone())?;
        self.verifier.replace(inner);
        self.sessions.clear();
        tracing::info!(crls = count, "certificate revocation lists reloaded");
        Ok(())
    }
}
