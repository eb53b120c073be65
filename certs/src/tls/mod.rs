//! rustls configurations for the health space of trust (DESIGN.md §6).
//!
//! - Protocols: TLS 1.3, and TLS 1.2 with ECDHE + AES-GCM suites only (no CBC, no RSA key
//!   exchange, no ChaCha20 in 1.2), provider `ring` (never aws-lc-rs).
//! - Server: client certificates verified against the configured roots **and CRLs**, in one of
//!   three [`ClientAuth`] modes; every refusal is logged with the subject and the reason.
//! - Client: the peer server is verified against the health PKI roots (+ CRLs); a client
//!   certificate chain may be presented (operator-to-operator relay on port 25).
//!
//! ```no_run
//! # async fn f(tcp: tokio::net::TcpStream) -> Result<(), Box<dyn std::error::Error>> {
//! use certs::tls::{ClientAuth, ServerTlsSettings};
//! let settings = ServerTlsSettings::from_dev_pki("data/pki".as_ref(), "medecin.mssante.example", ClientAuth::Required);
//! let acceptor = tokio_rustls::TlsAcceptor::from(certs::tls::server_config(&settings)?);
//! let tls = certs::tls::accept(&acceptor, tcp, "203.0.113.5:41000").await?;
//! let who = certs::tls::peer_identity(tls.get_ref().1)?; // Some(PeerIdentity) with an RPPS…
//! # Ok(()) }
//! ```
//!
//! To add ALPN (HTTPS), clone the config: `let mut c = (*config).clone(); c.alpn_protocols = …`.

mod accept;
mod load;
mod sessions;
mod verifier;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::crypto::{CryptoProvider, ring};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, ServerConfig};

pub use accept::{accept, peer_identity};
pub use load::{Trust, load_certs, load_crls, load_key, load_trust};
pub use verifier::{CrlReloader, refusal_reason};

use crate::CertsError;
use crate::pki::Layout;

/// Whether the server asks for a client certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// No certificate requested (citizen webmail, password submission).
    #[default]
    None,
    /// Requested; a client without one is let in, but a certificate that is sent must be valid
    /// (a revoked one still fails the handshake).
    Optional,
    /// Mandatory (port 25 between operators, certificate-authenticated professionals).
    Required,
}

/// What a TLS server needs. All paths are PEM files except CRLs (PEM or DER).
#[derive(Debug, Clone)]
pub struct ServerTlsSettings {
    /// Server certificate chain, leaf first.
    pub cert_chain: PathBuf,
    pub key: PathBuf,
    /// CA certificates for client certificates (IGC-Santé chain, or `<pki>/ca-bundle.pem`).
    /// Self-signed ones are the trust anchors; the intermediates among them complete the chain of
    /// a client that sends only its leaf, as many do (see [`load_trust`]).
    pub client_roots: Vec<PathBuf>,
    /// CRLs of every CA in client chains (the root's CRL covers the intermediates).
    pub crls: Vec<PathBuf>,
    pub client_auth: ClientAuth,
}

impl ServerTlsSettings {
    /// Settings for the dev PKI in `dir` (see [`Layout`]): `servers/<domain>.pem`, its key,
    /// `ca-bundle.pem` (root + intermediates) for client certificates, the three CRLs.
    pub fn from_dev_pki(dir: &Path, domain: &str, client_auth: ClientAuth) -> ServerTlsSettings {
        let layout = Layout::new(dir);
        let cert_chain = layout.server_cert(domain);
        ServerTlsSettings {
            key: Layout::key_for(&cert_chain),
            cert_chain,
            client_roots: layout.roots(),
            crls: layout.crls(),
            client_auth,
        }
    }
}

/// The `ring` provider restricted to our suites: TLS 1.3 (AES-GCM, ChaCha20-Poly1305) and
/// TLS 1.2 ECDHE with AES-GCM only (ANSSI guide TLS R8-R9; RFC 9325 §4.2).
pub fn provider() -> Arc<CryptoProvider> {
    use ring::cipher_suite as cs;
    Arc::new(CryptoProvider {
        cipher_suites: vec![
            cs::TLS13_AES_256_GCM_SHA384,
            cs::TLS13_AES_128_GCM_SHA256,
            cs::TLS13_CHACHA20_POLY1305_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cs::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            cs::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ],
        ..ring::default_provider()
    })
}

const VERSIONS: &[&rustls::SupportedProtocolVersion] =
    &[&rustls::version::TLS13, &rustls::version::TLS12];

/// A server config (see the module documentation). Same as [`server_config_with_reloader`]
/// without the reloader.
pub fn server_config(settings: &ServerTlsSettings) -> Result<Arc<ServerConfig>, CertsError> {
    Ok(server_config_with_reloader(settings)?.0)
}

/// A server config and, when client certificates are checked, a [`CrlReloader`] that re-reads
/// `settings.crls` for new handshakes (call it after `certs revoke`, or on a timer).
pub fn server_config_with_reloader(
    settings: &ServerTlsSettings,
) -> Result<(Arc<ServerConfig>, Option<CrlReloader>), CertsError> {
    let provider = provider();
    let chain = load_certs(&settings.cert_chain)?;
    let key = load_key(&settings.key)?;
    let builder =
        ServerConfig::builder_with_provider(provider.clone()).with_protocol_versions(VERSIONS)?;
    let (verifier, reloader): (Arc<dyn rustls::server::danger::ClientCertVerifier>, _) =
        match settings.client_auth {
            ClientAuth::None => (WebPkiClientVerifier::no_client_auth(), None),
            mode => {
                let trust = load_trust(&settings.client_roots)?;
                let roots = Arc::new(trust.anchors);
                let crls = load_crls(&settings.crls)?;
                let inner = verifier::webpki(roots.clone(), crls, mode, provider.clone())?;
                let v = Arc::new(verifier::HealthClientVerifier::new(
                    inner,
                    trust.intermediates,
                    mode,
                ));
                let reloader = CrlReloader {
                    verifier: v.clone(),
                    sessions: Arc::new(sessions::ResettableSessions::new()),
                    roots,
                    crl_paths: settings.crls.clone(),
                    mode,
                    provider: provider.clone(),
                };
                (v, Some(reloader))
            }
        };
    let mut config = builder
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| CertsError::File {
            path: settings.key.clone(),
            message: format!("key does not match {}: {e}", settings.cert_chain.display()),
        })?;
    if let Some(r) = &reloader {
        config.session_storage = r.sessions.clone();
    }
    Ok((Arc::new(config), reloader))
}

/// A client config: the server is verified against `roots` (PEM files; self-signed certificates
/// are the anchors, see [`load_trust`]) and `crls` (none: no revocation check; else every CA of
/// the server's chain needs its CRL), and `identity` (chain, key) is presented when given —
/// operator-to-operator relay on port 25. For no identity write `None::<(&Path, &Path)>`.
pub fn client_config(
    roots: &[PathBuf],
    crls: &[PathBuf],
    identity: Option<(impl AsRef<Path>, impl AsRef<Path>)>,
) -> Result<Arc<ClientConfig>, CertsError> {
    let provider = provider();
    let anchors = Arc::new(load_trust(roots)?.anchors);
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(anchors, provider.clone())
            .with_crls(load_crls(crls)?)
            .build()?;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(VERSIONS)?
        .with_webpki_verifier(verifier);
    Ok(Arc::new(match identity {
        Some((chain, key)) => {
            builder.with_client_auth_cert(load_certs(chain.as_ref())?, load_key(key.as_ref())?)?
        }
        None => builder.with_no_client_auth(),
    }))
}
