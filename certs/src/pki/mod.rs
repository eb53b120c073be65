//! The dev PKI: `init`, `issue`, `revoke`, shaped like IGC-Santé (DESIGN.md §6).
//!
//! A root CA signs two intermediates: `structures-ca` (server, ORG and APP certificates) and
//! `personnes-ca` (personal certificates carrying the RPPS/ADELI). Each CA has a CRL. Keys are
//! ECDSA P-256. See [`Layout`] for the files. Real deployments do not use this module: they point
//! the configuration at the real IGC-Santé chain and CRLs.

mod layout;
mod profile;
mod state;
mod types;

use std::fs;
use std::path::{Path, PathBuf};

use rcgen::{CertifiedIssuer, Issuer, KeyPair};
use time::OffsetDateTime;

pub use layout::{CaName, Layout};
pub use profile::Validity;
pub use types::{InitOptions, InitReport, IssueRequest, Issued, Operator, Revoked, Subject};

use crate::CertsError;
use crate::crl::{self, RevokedSerial};
use crate::identity::PeerIdentity;
use state::{Entry, OperatorState, STATE_VERSION, State, write_atomic};

/// An open dev PKI, holding its lock until dropped.
pub struct Pki {
    layout: Layout,
    state: State,
    _lock: fs::File,
}

/// Creates a dev PKI in `dir`: the three CAs, their (empty) CRLs, one server certificate per
/// domain. Refuses to touch an existing PKI unless `options.force`.
pub fn init(dir: &Path, options: &InitOptions) -> Result<InitReport, CertsError> {
    fs::create_dir_all(dir).map_err(CertsError::io(dir))?;
    let lock = state::lock(dir)?;
    let layout = Layout::new(dir);
    if !options.force {
        let existing = [
            layout.state(),
            layout.ca_cert(CaName::Root),
            layout.ca_key(CaName::Root),
        ];
        if let Some(found) = existing.into_iter().find(|p| p.exists()) {
            return Err(CertsError::AlreadyExists {
                dir: dir.to_path_buf(),
                found,
            });
        }
    }
    if options.label.trim().is_empty() {
        return Err(CertsError::invalid("label", "must not be empty"));
    }
    let domains = options
        .domains
        .iter()
        .map(|d| crate::ids::dns_name(d))
        .collect::<Result<Vec<_>, _>>()?;
    let ca_validity = |years: i64| Validity::days(years * 365);
    let root = CertifiedIssuer::self_signed(
        profile::ca_params(CaName::Root, &options.label, ca_validity(20))?,
        KeyPair::generate()?,
    )?;
    write_ca(
        &layout,
        CaName::Root,
        &root.pem(),
        &root.key().serialize_pem(),
    )?;
    let mut bundle = String::new();
    for ca in [CaName::Structures, CaName::Personnes] {
        let key = KeyPair::generate()?;
        let params = profile::ca_params(ca, &options.label, ca_validity(10))?;
        let cert = params.signed_by(&key, &root)?;
        write_ca(&layout, ca, &cert.pem(), &key.serialize_pem())?;
        bundle.push_str(&cert.pem());
    }
    bundle.push_str(&root.pem());
    write_atomic(&layout.ca_bundle(), bundle.as_bytes(), 0o644)?;

    let operator = &options.operator;
    let mut pki = Pki {
        layout: layout.clone(),
        state: State {
            version: STATE_VERSION,
            label: options.label.clone(),
            operator: OperatorState {
                name: operator.name.clone(),
                siren: operator.structure.value.clone(),
                state_province: operator.state_province.clone(),
            },
            crl_numbers: Default::default(),
            certificates: Vec::new(),
        },
        _lock: lock,
    };
    for ca in CaName::ALL {
        pki.write_crl(ca)?;
    }
    pki.state.save(&layout.state())?;
    let mut servers = Vec::new();
    for domain in domains {
        let mut req = IssueRequest::new(Subject::Server {
            domain,
            extra_names: Vec::new(),
        });
        req.force = options.force;
        servers.push(pki.issue(&req)?);
    }
    Ok(InitReport { layout, servers })
}

fn write_ca(layout: &Layout, ca: CaName, pem: &str, key_pem: &str) -> Result<(), CertsError> {
    write_atomic(&layout.ca_key(ca), key_pem.as_bytes(), 0o600)?;
    write_atomic(&layout.ca_cert(ca), pem.as_bytes(), 0o644)
}

/// Issues one certificate from the dev PKI in `dir`.
pub fn issue(dir: &Path, request: &IssueRequest) -> Result<Issued, CertsError> {
    Pki::open(dir)?.issue(request)
}

/// Revokes the certificate in `cert` (PEM, leaf first) and regenerates its CA's CRL.
pub fn revoke(dir: &Path, cert: &Path) -> Result<Revoked, CertsError> {
    Pki::open(dir)?.revoke(cert, None)
}

impl Pki {
    /// Opens the PKI in `dir`, waiting for its lock.
    pub fn open(dir: &Path) -> Result<Pki, CertsError> {
        let layout = Layout::new(dir);
        let state_path = layout.state();
        if !state_path.exists() {
            return Err(CertsError::NoPki {
                dir: dir.to_path_buf(),
                missing: state_path,
            });
        }
        let lock = state::lock(dir)?;
        let state = State::load(&state_path)?;
        Ok(Pki {
            layout,
            state,
            _lock: lock,
        })
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    fn read(&self, path: &Path) -> Result<String, CertsError> {
        fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => CertsError::NoPki {
                dir: self.layout.dir.clone(),
                missing: path.to_path_buf(),
            },
            _ => CertsError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })
    }

    /// Issues a certificate: key (0600) and chain (leaf + intermediate) written, state saved.
    pub fn issue(&mut self, request: &IssueRequest) -> Result<Issued, CertsError> {
        let subject = request.subject.normalized()?;
        let operator = self.state.operator.to_operator()?;
        let (params, ca, kind) = profile::leaf_params(&subject, &operator, request.validity)?;
        let cert_path = match &request.out {
            Some(p) => p.clone(),
            None => self.layout.leaf_cert(kind, subject.file_stem()),
        };
        if cert_path.extension().is_some_and(|e| e == "key") {
            return Err(CertsError::invalid(
                "--out",
                "name the certificate file (.pem); the key is written beside it as .key",
            ));
        }
        let key_path = Layout::key_for(&cert_path);
        if let Some(p) = [&cert_path, &key_path]
            .into_iter()
            .find(|p| !request.force && p.exists())
        {
            return Err(CertsError::FileExists(p.clone()));
        }
        let ca_pem = self.read(&self.layout.ca_cert(ca))?;
        let ca_key = KeyPair::from_pem(&self.read(&self.layout.ca_key(ca))?)?;
        let issuer = Issuer::from_ca_cert_pem(&ca_pem, ca_key)?;
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &issuer)?;
        let identity = PeerIdentity::from_der(cert.der())?;
        write_atomic(&key_path, key.serialize_pem().as_bytes(), 0o600)?;
        write_atomic(
            &cert_path,
            format!("{}{}", cert.pem(), ca_pem).as_bytes(),
            0o644,
        )?;
        self.state.certificates.push(Entry {
            serial: identity.serial.clone(),
            ca,
            kind: format!("{kind:?}"),
            subject: identity.subject_dn.clone(),
            path: self.relative(&cert_path),
            not_after: identity.not_after.unix_timestamp(),
            revoked_at: None,
            reason: None,
        });
        self.state.save(&self.layout.state())?;
        tracing::info!(serial = %identity.serial, subject = %identity.subject_dn, "certificate issued");
        Ok(Issued {
            cert_path,
            key_path,
            identity,
            ca,
        })
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.layout.dir)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Revokes `cert` (RFC 5280 §5.3.1 `reason` code, default unspecified) and regenerates the
    /// CRL of the CA that issued it. A certificate from another PKI is refused.
    pub fn revoke(&mut self, cert: &Path, reason: Option<u8>) -> Result<Revoked, CertsError> {
        let identity = PeerIdentity::from_pem_file(cert)?;
        let ca = self
            .issuing_ca(&identity)
            .ok_or_else(|| CertsError::ForeignCertificate {
                path: cert.to_path_buf(),
                issuer: identity.issuer_dn.clone(),
            })?;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let existing = self
            .state
            .certificates
            .iter_mut()
            .find(|e| e.serial == identity.serial && e.ca == ca);
        let already = match existing {
            Some(e) if e.revoked_at.is_some() => true,
            Some(e) => {
                e.revoked_at = Some(now);
                e.reason = reason;
                false
            }
            None => {
                // Issued before the state file existed (or by hand): record it now.
                self.state.certificates.push(Entry {
                    serial: identity.serial.clone(),
                    ca,
                    kind: format!("{:?}", identity.kind),
                    subject: identity.subject_dn.clone(),
                    path: self.relative(cert),
                    not_after: identity.not_after.unix_timestamp(),
                    revoked_at: Some(now),
                    reason,
                });
                false
            }
        };
        let crl_path = self.write_crl(ca)?;
        self.state.save(&self.layout.state())?;
        tracing::info!(serial = %identity.serial, subject = %identity.subject_dn, "certificate revoked");
        Ok(Revoked {
            serial: identity.serial,
            subject: identity.subject_dn,
            ca,
            crl_path,
            already,
        })
    }

    /// The CA of this PKI whose subject is the certificate's issuer.
    fn issuing_ca(&self, identity: &PeerIdentity) -> Option<CaName> {
        CaName::ALL.into_iter().find(|&ca| {
            PeerIdentity::from_pem_file(&self.layout.ca_cert(ca))
                .is_ok_and(|c| c.subject_dn == identity.issuer_dn)
        })
    }

    /// Re-signs every CRL (new numbers, fresh `nextUpdate`).
    pub fn refresh_crls(&mut self) -> Result<Vec<PathBuf>, CertsError> {
        let paths = CaName::ALL
            .into_iter()
            .map(|ca| self.write_crl(ca))
            .collect::<Result<Vec<_>, _>>()?;
        self.state.save(&self.layout.state())?;
        Ok(paths)
    }

    fn write_crl(&mut self, ca: CaName) -> Result<PathBuf, CertsError> {
        let revoked = self
            .state
            .certificates
            .iter()
            .filter(|e| e.ca == ca)
            .filter_map(|e| {
                let at = OffsetDateTime::from_unix_timestamp(e.revoked_at?).ok()?;
                Some(RevokedSerial {
                    serial: from_hex(&e.serial)?,
                    revoked_at: at,
                    reason: e.reason,
                })
            })
            .collect::<Vec<_>>();
        let number = self.state.next_crl_number(ca);
        let pem = crl::sign(
            &self.read(&self.layout.ca_cert(ca))?,
            &self.read(&self.layout.ca_key(ca))?,
            &revoked,
            number,
        )?;
        let path = self.layout.crl(ca);
        write_atomic(&path, pem.as_bytes(), 0o644)?;
        Ok(path)
    }
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

impl std::fmt::Display for CaName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.stem())
    }
}

/// Writes a file only its owner can read (mode 0600), atomically.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CertsError> {
    write_atomic(path, bytes, 0o600)
}
