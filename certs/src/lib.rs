//! The health PKI of santemail: a development PKI shaped like the French IGC-Santé, mutual-TLS
//! configurations for rustls, and the identity carried by a peer certificate.
//!
//! - [`pki`]: `init` a dev PKI (root CA, one intermediate for structures, one for people, CRLs),
//!   `issue` server / ORG / APP / personal certificates, `revoke` them. The file layout is
//!   documented in `certs/README.md` and on [`pki::Layout`].
//! - [`tls`]: [`tls::server_config`] (client certificates checked against roots **and CRLs**, every
//!   refusal logged with its reason), [`tls::client_config`], [`tls::accept`], [`tls::peer_identity`].
//! - [`identity`]: [`identity::PeerIdentity`] extracted from an end-entity certificate (RPPS, ADELI,
//!   structure id, DNS names, e-mail addresses).
//! - [`p12`]: PKCS#12 bundles a mail client imports.
//!
//! Only the `ring` crypto provider is used (DESIGN.md §6, DEPENDENCIES.md).

pub mod crl;
mod error;
pub mod identity;
pub mod ids;
pub mod p12;
pub mod pki;
pub mod tls;

pub use error::CertsError;
