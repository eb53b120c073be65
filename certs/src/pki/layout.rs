//! Where the dev PKI keeps its files.
//!
//! ```text
//! <dir>/
//!   pki.json                      state: operator, issued serials, revocations, CRL numbers
//!   .pki.lock                     exclusive lock while a command changes the PKI
//!   root-ca.pem      root-ca.key          root CA (self-signed)
//!   structures-ca.pem structures-ca.key   intermediate CA: server, ORG and APP certificates
//!   personnes-ca.pem personnes-ca.key     intermediate CA: personal certificates
//!   ca-bundle.pem                 root + both intermediates (trust file for clients, e.g. `-CAfile`)
//!   crl/root-ca.crl.pem           CRL of each CA (PEM); the root's covers the intermediates
//!   crl/structures-ca.crl.pem
//!   crl/personnes-ca.crl.pem
//!   servers/<domain>.pem .key     server certificate (leaf + structures CA) and key
//!   org/<address>.pem .key        ORG mailbox certificate
//!   app/<address>.pem .key        APP mailbox certificate
//!   personnes/<address>.pem .key  personal certificate (leaf + personnes CA)
//! ```
//!
//! Every `*.key` is PKCS#8 PEM (ECDSA P-256) with mode 0600.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::identity::PeerKind;

/// One of the three CAs of the dev PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaName {
    #[serde(rename = "root-ca")]
    Root,
    #[serde(rename = "structures-ca")]
    Structures,
    #[serde(rename = "personnes-ca")]
    Personnes,
}

impl CaName {
    pub const ALL: [CaName; 3] = [CaName::Root, CaName::Structures, CaName::Personnes];

    /// File stem: `root-ca`, `structures-ca`, `personnes-ca`.
    pub fn stem(self) -> &'static str {
        match self {
            CaName::Root => "root-ca",
            CaName::Structures => "structures-ca",
            CaName::Personnes => "personnes-ca",
        }
    }
}

/// Paths of the dev PKI in `dir` (see the module documentation for the tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub dir: PathBuf,
}

impl Layout {
    pub fn new(dir: impl Into<PathBuf>) -> Layout {
        Layout { dir: dir.into() }
    }

    pub fn state(&self) -> PathBuf {
        self.dir.join("pki.json")
    }

    pub fn ca_cert(&self, ca: CaName) -> PathBuf {
        self.dir.join(format!("{}.pem", ca.stem()))
    }

    pub fn ca_key(&self, ca: CaName) -> PathBuf {
        self.dir.join(format!("{}.key", ca.stem()))
    }

    pub fn crl(&self, ca: CaName) -> PathBuf {
        self.dir.join("crl").join(format!("{}.crl.pem", ca.stem()))
    }

    /// Root + intermediates in one PEM file.
    pub fn ca_bundle(&self) -> PathBuf {
        self.dir.join("ca-bundle.pem")
    }

    /// `[ca-bundle.pem]`: what to configure as `client_roots` / client `roots`. Its root is the
    /// trust anchor; its intermediates complete the chain of peers that send only their leaf.
    pub fn roots(&self) -> Vec<PathBuf> {
        vec![self.ca_bundle()]
    }

    /// The two intermediates, for peers that send only their leaf.
    pub fn intermediates(&self) -> Vec<PathBuf> {
        vec![
            self.ca_cert(CaName::Structures),
            self.ca_cert(CaName::Personnes),
        ]
    }

    /// The three CRLs.
    pub fn crls(&self) -> Vec<PathBuf> {
        CaName::ALL.iter().map(|&ca| self.crl(ca)).collect()
    }

    pub fn server_cert(&self, domain: &str) -> PathBuf {
        self.dir.join("servers").join(format!("{domain}.pem"))
    }

    /// Default certificate path of a leaf: `<folder of its kind>/<name>.pem`.
    pub fn leaf_cert(&self, kind: PeerKind, name: &str) -> PathBuf {
        let folder = match kind {
            PeerKind::Server => "servers",
            PeerKind::Org => "org",
            PeerKind::App => "app",
            PeerKind::Person | PeerKind::Unknown => "personnes",
        };
        self.dir.join(folder).join(format!("{name}.pem"))
    }

    /// The key beside a certificate: same path, `.key` extension.
    pub fn key_for(cert: &Path) -> PathBuf {
        cert.with_extension("key")
    }
}
