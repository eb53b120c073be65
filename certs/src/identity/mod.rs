//! Who is on the other end of a TLS connection: [`PeerIdentity`], read from an end-entity
//! certificate with `x509-parser`.
//!
//! Where each field comes from (the dev PKI writes them this way, see `certs/README.md`):
//!
//! | field | source |
//! |---|---|
//! | `rpps`, `adeli`, `national_id` | subject `serialNumber` (or `UID`): `8`+RPPS or `0`+ADELI |
//! | `structure_id` | subject `OU` = `0002 <SIREN>`, `0009 <SIRET>` or `FINESS <FINESS>` |
//! | `given_name`, `surname`, `common_name` | subject `GN`, `SN`, `CN` |
//! | `dns_names`, `emails` | subjectAltName dNSName / rfc822Name (and a legacy subject `emailAddress`) |
//! | `kind` | certificate policy OID (dev arc `1.3.6.1.4.1.32473.71.x`), else inferred (see [`classify`]) |

pub mod dn;

use std::path::Path;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde::Serialize;
use time::OffsetDateTime;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::CertsError;
use crate::ids::{PersonId, StructureId};

pub use dn::dn_eq;

/// The certificate-policy arc of this dev PKI, under IANA enterprise number 32473, reserved for
/// documentation (RFC 5612), so no real policy is impersonated: `.1` server, `.2` ORG, `.3` APP,
/// `.4` person. (The `2.999` example arc would be more natural but `asn1-rs` misreads OIDs whose
/// first sub-identifier takes two bytes.)
pub const DEV_POLICY_ARC: [u64; 8] = [1, 3, 6, 1, 4, 1, 32473, 71];

/// What a certificate stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PeerKind {
    /// A health professional (personal certificate, like a CPS).
    Person,
    /// An operator's server (MTA, port 25 between operators).
    Server,
    /// An organisation mailbox (BAL ORG).
    Org,
    /// An applicative mailbox (BAL APP, software).
    App,
    Unknown,
}

impl PeerKind {
    /// The last arc of this kind's dev policy OID.
    pub fn policy_suffix(self) -> Option<u64> {
        match self {
            PeerKind::Server => Some(1),
            PeerKind::Org => Some(2),
            PeerKind::App => Some(3),
            PeerKind::Person => Some(4),
            PeerKind::Unknown => None,
        }
    }

    fn from_policy(oid: &str) -> Option<PeerKind> {
        let prefix = DEV_POLICY_ARC.map(|a| a.to_string()).join(".");
        match oid.strip_prefix(&prefix)? {
            ".1" => Some(PeerKind::Server),
            ".2" => Some(PeerKind::Org),
            ".3" => Some(PeerKind::App),
            ".4" => Some(PeerKind::Person),
            _ => None,
        }
    }
}

/// The identity carried by a peer's end-entity certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerIdentity {
    pub kind: PeerKind,
    /// RPPS, 11 digits.
    pub rpps: Option<String>,
    /// ADELI, 9 characters.
    pub adeli: Option<String>,
    /// Identification nationale PP: `8`+RPPS or `0`+ADELI.
    pub national_id: Option<String>,
    /// FINESS, SIREN or SIRET of the structure, without its type code.
    pub structure_id: Option<String>,
    pub common_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    /// subjectAltName DNS names, lower-case.
    pub dns_names: Vec<String>,
    /// subjectAltName rfc822 names, lower-case.
    pub emails: Vec<String>,
    /// RFC 4514 form, most specific first (as the whitelist's `DNCertificatOperateur`).
    pub subject_dn: String,
    pub issuer_dn: String,
    /// Serial number, lower-case hex.
    pub serial: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
}

/// Facts read from a certificate that decide its [`PeerKind`].
#[derive(Debug, Default, Clone, Copy)]
pub struct KindFacts {
    pub policy: Option<PeerKind>,
    pub person_id: bool,
    pub person_name: bool,
    pub server_auth: bool,
    pub dns: bool,
    pub structure: bool,
    pub email: bool,
}

/// The policy OID decides when present (real PKIs type their certificates by policy); otherwise
/// a national PP identifier or a given name + surname means a person, a serverAuth certificate
/// with DNS names a server, and a structure id with a mailbox an organisation (an APP cannot be
/// told from an ORG without its policy).
pub fn classify(f: KindFacts) -> PeerKind {
    if let Some(kind) = f.policy {
        return kind;
    }
    if f.person_id || f.person_name {
        PeerKind::Person
    } else if f.server_auth && f.dns {
        PeerKind::Server
    } else if f.structure && f.email {
        PeerKind::Org
    } else {
        PeerKind::Unknown
    }
}

impl PeerIdentity {
    /// Reads an end-entity certificate (DER).
    pub fn from_der(der: &[u8]) -> Result<PeerIdentity, CertsError> {
        let (_, cert) =
            X509Certificate::from_der(der).map_err(|e| CertsError::Parse(e.to_string()))?;
        Ok(Self::from_x509(&cert))
    }

    /// Reads the first certificate (the leaf) of a PEM file.
    pub fn from_pem_file(path: &Path) -> Result<PeerIdentity, CertsError> {
        let der = CertificateDer::from_pem_file(path).map_err(|e| CertsError::File {
            path: path.to_path_buf(),
            message: format!("no PEM certificate found ({e})"),
        })?;
        Self::from_der(&der)
    }

    fn from_x509(cert: &X509Certificate<'_>) -> PeerIdentity {
        let subject = cert.subject();
        let attr = |oid: &str| -> Vec<String> {
            subject
                .iter_attributes()
                .filter(|a| a.attr_type().to_id_string() == oid)
                .filter_map(|a| a.as_str().ok().map(|s| s.trim().to_string()))
                .collect()
        };
        let person = attr("2.5.4.5")
            .into_iter()
            .chain(attr("0.9.2342.19200300.100.1.1"))
            .find_map(|s| PersonId::from_national_id(&s));
        let structure = attr("2.5.4.11")
            .iter()
            .find_map(|ou| StructureId::from_ou(ou));
        let mut dns_names = Vec::new();
        let mut emails: Vec<String> = attr("1.2.840.113549.1.9.1")
            .into_iter()
            .map(|e| e.to_ascii_lowercase())
            .collect();
        let mut policy = None;
        let mut server_auth = false;
        for ext in cert.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::SubjectAlternativeName(san) => {
                    for name in &san.general_names {
                        match name {
                            GeneralName::DNSName(d) => dns_names.push(d.to_ascii_lowercase()),
                            GeneralName::RFC822Name(e) => emails.push(e.to_ascii_lowercase()),
                            _ => {}
                        }
                    }
                }
                ParsedExtension::CertificatePolicies(policies) => {
                    policy = policies
                        .iter()
                        .find_map(|p| PeerKind::from_policy(&p.policy_id.to_id_string()));
                }
                ParsedExtension::ExtendedKeyUsage(eku) => server_auth = eku.server_auth,
                _ => {}
            }
        }
        emails.dedup();
        let first = |oid: &str| attr(oid).into_iter().next();
        let (given_name, surname) = (first("2.5.4.42"), first("2.5.4.4"));
        let kind = classify(KindFacts {
            policy,
            person_id: person.is_some(),
            person_name: given_name.is_some() && surname.is_some(),
            server_auth,
            dns: !dns_names.is_empty(),
            structure: structure.is_some(),
            email: !emails.is_empty(),
        });
        let (rpps, adeli) = match &person {
            Some(PersonId::Rpps(r)) => (Some(r.clone()), None),
            Some(PersonId::Adeli(a)) => (None, Some(a.clone())),
            None => (None, None),
        };
        PeerIdentity {
            kind,
            rpps,
            adeli,
            national_id: person.as_ref().map(PersonId::national_id),
            structure_id: structure.map(|s| s.value),
            common_name: first("2.5.4.3"),
            given_name,
            surname,
            dns_names,
            emails,
            subject_dn: dn::render(subject),
            issuer_dn: dn::render(cert.issuer()),
            serial: cert
                .raw_serial()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            not_after: cert.validity().not_after.to_datetime(),
        }
    }

    /// True when the subject is `dn` (see [`dn_eq`]): how port 25 matches an operator's
    /// certificate against the whitelist's `DNCertificatOperateur`.
    pub fn subject_matches(&self, dn: &str) -> bool {
        dn_eq(&self.subject_dn, dn)
    }

    /// True when the certificate names this mailbox (case-insensitive).
    pub fn has_email(&self, address: &str) -> bool {
        self.emails.iter().any(|e| e.eq_ignore_ascii_case(address))
    }

    /// True when the certificate names this host (case-insensitive, no wildcard expansion).
    pub fn has_dns_name(&self, name: &str) -> bool {
        self.dns_names.iter().any(|d| d.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_classification() {
        let base = KindFacts::default();
        let cases = [
            (base, PeerKind::Unknown),
            (
                KindFacts {
                    policy: Some(PeerKind::App),
                    structure: true,
                    email: true,
                    ..base
                },
                PeerKind::App,
            ),
            (
                KindFacts {
                    policy: Some(PeerKind::Server),
                    person_id: true,
                    ..base
                },
                PeerKind::Server,
            ),
            (
                KindFacts {
                    person_id: true,
                    ..base
                },
                PeerKind::Person,
            ),
            (
                KindFacts {
                    person_name: true,
                    email: true,
                    ..base
                },
                PeerKind::Person,
            ),
            (
                KindFacts {
                    server_auth: true,
                    dns: true,
                    structure: true,
                    ..base
                },
                PeerKind::Server,
            ),
            (
                KindFacts {
                    server_auth: true,
                    ..base
                },
                PeerKind::Unknown,
            ),
            (
                KindFacts {
                    structure: true,
                    email: true,
                    ..base
                },
                PeerKind::Org,
            ),
            (
                KindFacts {
                    structure: true,
                    ..base
                },
                PeerKind::Unknown,
            ),
        ];
        for (i, (facts, want)) in cases.into_iter().enumerate() {
            assert_eq!(classify(facts), want, "case {i}: {facts:?}");
        }
    }

    #[test]
    fn policy_oids() {
        let cases = [
            ("1.3.6.1.4.1.32473.71.1", Some(PeerKind::Server)),
            ("1.3.6.1.4.1.32473.71.4", Some(PeerKind::Person)),
            ("1.3.6.1.4.1.32473.71.9", None),
            ("1.3.6.1.4.1.32473.711.1", None),
            ("1.2.250.1.71.4.2.1", None),
        ];
        for (oid, want) in cases {
            assert_eq!(PeerKind::from_policy(oid), want, "{oid}");
        }
    }
}
