//! The inputs and outputs of the PKI operations.

use std::path::PathBuf;

use super::{CaName, Layout, Validity};
use crate::CertsError;
use crate::identity::PeerIdentity;
use crate::ids::{PersonId, StructureId, StructureKind};

/// The operator named in server certificates (`O=`, `OU=0002 <SIREN>`, `ST=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
    pub structure: StructureId,
    pub state_province: Option<String>,
}

impl Default for Operator {
    /// The operator of the sample whitelist (`tests/fixtures/listeblanche`).
    fn default() -> Self {
        Operator {
            name: "OPERATEUR EXEMPLE".into(),
            structure: StructureId {
                kind: StructureKind::Siren,
                value: "123456789".into(),
            },
            state_province: Some("Tours (37)".into()),
        }
    }
}

/// What `init` creates.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// One server certificate per domain.
    pub domains: Vec<String>,
    pub operator: Operator,
    /// Distinguishes independent PKIs in CA names: `AC RACINE IGC-SANTE <label>`.
    pub label: String,
    /// Replace an existing PKI in the folder.
    pub force: bool,
}

impl InitOptions {
    pub fn new(domains: &[&str]) -> InitOptions {
        InitOptions {
            domains: domains.iter().map(|d| d.to_string()).collect(),
            operator: Operator::default(),
            label: "DEV".into(),
            force: false,
        }
    }
}

/// The subject of a certificate to issue.
#[derive(Debug, Clone)]
pub enum Subject {
    /// Operator server: SAN `domain`, `mx.domain`, `mail.domain` (+ `extra_names`).
    Server {
        domain: String,
        extra_names: Vec<String>,
    },
    /// Organisation mailbox (BAL ORG): structure id in `OU`, address in SAN rfc822Name.
    Org {
        structure: StructureId,
        email: String,
        name: String,
    },
    /// Applicative mailbox (BAL APP, software).
    App {
        structure: StructureId,
        email: String,
        name: String,
    },
    /// Professional: `serialNumber` = identification nationale PP, `GN`, `SN`, `CN`=`GN SN`.
    Person {
        id: PersonId,
        given_name: String,
        surname: String,
        email: String,
        structure: Option<StructureId>,
        organization: Option<String>,
    },
}

impl Subject {
    /// Validates names and addresses (IDN domains become A-labels).
    pub(super) fn normalized(&self) -> Result<Subject, CertsError> {
        use crate::ids::{dns_name, email};
        let text = |what: &'static str, s: &str| {
            let s = s.trim();
            if s.is_empty() {
                Err(CertsError::invalid(what, "must not be empty"))
            } else {
                Ok(s.to_string())
            }
        };
        Ok(match self {
            Subject::Server {
                domain,
                extra_names,
            } => Subject::Server {
                domain: dns_name(domain)?,
                extra_names: extra_names
                    .iter()
                    .map(|n| dns_name(n))
                    .collect::<Result<_, _>>()?,
            },
            Subject::Org {
                structure,
                email: e,
                name,
            } => Subject::Org {
                structure: structure.clone(),
                email: email(e)?,
                name: text("name", name)?,
            },
            Subject::App {
                structure,
                email: e,
                name,
            } => Subject::App {
                structure: structure.clone(),
                email: email(e)?,
                name: text("name", name)?,
            },
            Subject::Person {
                id,
                given_name,
                surname,
                email: e,
                structure,
                organization,
            } => Subject::Person {
                id: id.clone(),
                given_name: text("given name", given_name)?,
                surname: text("surname", surname)?,
                email: email(e)?,
                structure: structure.clone(),
                organization: organization
                    .as_deref()
                    .map(|o| text("organization", o))
                    .transpose()?,
            },
        })
    }

    /// The file name stem in the default layout: domain or mailbox address.
    pub(super) fn file_stem(&self) -> &str {
        match self {
            Subject::Server { domain, .. } => domain,
            Subject::Org { email, .. }
            | Subject::App { email, .. }
            | Subject::Person { email, .. } => email,
        }
    }
}

/// A request to [`issue`].
#[derive(Debug, Clone)]
pub struct IssueRequest {
    pub subject: Subject,
    pub validity: Validity,
    /// Certificate chain path (the key goes beside it, `.key`). Default: see [`Layout`].
    pub out: Option<PathBuf>,
    /// Overwrite existing files.
    pub force: bool,
}

impl IssueRequest {
    pub fn new(subject: Subject) -> IssueRequest {
        IssueRequest {
            subject,
            validity: Validity::default(),
            out: None,
            force: false,
        }
    }

    pub fn validity(mut self, validity: Validity) -> IssueRequest {
        self.validity = validity;
        self
    }
}

/// A certificate written to disk.
#[derive(Debug, Clone)]
pub struct Issued {
    /// Leaf followed by its intermediate CA (PEM).
    pub cert_path: PathBuf,
    /// PKCS#8 PEM, mode 0600.
    pub key_path: PathBuf,
    pub identity: PeerIdentity,
    pub ca: CaName,
}

/// The result of [`init`].
#[derive(Debug, Clone)]
pub struct InitReport {
    pub layout: Layout,
    pub servers: Vec<Issued>,
}

/// The result of [`revoke`].
#[derive(Debug, Clone)]
pub struct Revoked {
    pub serial: String,
    pub subject: String,
    pub ca: CaName,
    /// The regenerated CRL.
    pub crl_path: PathBuf,
    /// The certificate was already revoked (nothing changed but the CRL's freshness).
    pub already: bool,
}
