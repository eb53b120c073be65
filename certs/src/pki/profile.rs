//! Certificate profiles: what goes into each kind of certificate, shaped like IGC-Santé
//! (a root, an intermediate for structures, an intermediate for people).

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, KeyUsagePurpose, SanType, SerialNumber,
};
use time::{Duration, OffsetDateTime};

use super::{CaName, Operator, Subject};
use crate::CertsError;
use crate::identity::{DEV_POLICY_ARC, PeerKind};

const OID_SERIAL_NUMBER: &[u64] = &[2, 5, 4, 5];
const OID_SURNAME: &[u64] = &[2, 5, 4, 4];
const OID_GIVEN_NAME: &[u64] = &[2, 5, 4, 42];
const OID_CERTIFICATE_POLICIES: &[u64] = &[2, 5, 29, 32];

/// How long a certificate is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl Validity {
    /// Default for end-entity certificates: 3 years, like a CPS card's certificates.
    pub const DEFAULT_DAYS: i64 = 3 * 365;

    /// From one hour ago (clock skew between hosts) to `days` from now.
    pub fn days(days: i64) -> Validity {
        let now = OffsetDateTime::now_utc();
        Validity {
            not_before: now - Duration::hours(1),
            not_after: now + Duration::days(days),
        }
    }

    /// Valid last month, expired yesterday: for tests of expiry handling.
    pub fn expired() -> Validity {
        let now = OffsetDateTime::now_utc();
        Validity {
            not_before: now - Duration::days(30),
            not_after: now - Duration::days(1),
        }
    }

    pub(crate) fn check(&self) -> Result<(), CertsError> {
        if self.not_after <= self.not_before {
            return Err(CertsError::invalid(
                "validity",
                "not_after must be later than not_before",
            ));
        }
        Ok(())
    }
}

impl Default for Validity {
    fn default() -> Self {
        Validity::days(Validity::DEFAULT_DAYS)
    }
}

/// A random positive serial of 16 bytes (RFC 5280 §4.1.2.2: unique per CA, at most 20 octets).
/// The first byte is in 0x01..=0x7f so the DER integer is exactly these bytes.
pub(crate) fn random_serial() -> Result<SerialNumber, CertsError> {
    let mut bytes = [0u8; 16];
    openssl::rand::rand_bytes(&mut bytes)?;
    bytes[0] = (bytes[0] & 0x7f).max(1);
    Ok(SerialNumber::from_slice(&bytes))
}

fn printable(what: &'static str, s: &str) -> Result<DnValue, CertsError> {
    let p = rcgen::string::PrintableString::try_from(s).map_err(|_| {
        CertsError::invalid(
            what,
            format!("`{s}` has characters a PrintableString cannot hold"),
        )
    })?;
    Ok(DnValue::PrintableString(p))
}

/// Subjects are written root-first (C, ST, O, OU, CN) so that their RFC 4514 string reads like the
/// whitelist's `DNCertificatOperateur`: `CN=…,OU=0002 …,O=…,ST=…,C=FR`.
fn base_dn(
    state_province: Option<&str>,
    org: Option<&str>,
) -> Result<DistinguishedName, CertsError> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, printable("country", "FR")?);
    if let Some(st) = state_province {
        dn.push(DnType::StateOrProvinceName, st);
    }
    if let Some(o) = org {
        dn.push(DnType::OrganizationName, o);
    }
    Ok(dn)
}

pub(crate) fn ca_params(
    ca: CaName,
    label: &str,
    validity: Validity,
) -> Result<CertificateParams, CertsError> {
    let mut p = CertificateParams::default();
    let mut dn = base_dn(None, Some("SANTEMAIL"))?;
    dn.push(DnType::OrganizationalUnitName, format!("IGC-SANTE {label}"));
    let cn = match ca {
        CaName::Root => format!("AC RACINE IGC-SANTE {label}"),
        CaName::Structures => format!("AC IGC-SANTE {label} STRUCTURES"),
        CaName::Personnes => format!("AC IGC-SANTE {label} PERSONNES"),
    };
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    // Root may sign the two intermediates; intermediates only sign end entities.
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(match ca {
        CaName::Root => 1,
        _ => 0,
    }));
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.use_authority_key_identifier_extension = ca != CaName::Root;
    p.not_before = validity.not_before;
    p.not_after = validity.not_after;
    p.serial_number = Some(random_serial()?);
    Ok(p)
}

/// DER of `certificatePolicies` (RFC 5280 §4.2.1.4) with one policy OID and no qualifiers.
pub(crate) fn policies_extension(kind: PeerKind) -> Option<CustomExtension> {
    let mut arcs = DEV_POLICY_ARC.to_vec();
    arcs.push(kind.policy_suffix()?);
    let oid = encode_oid(&arcs);
    let mut policy_info = der_tlv(0x06, &oid);
    policy_info = der_tlv(0x30, &policy_info);
    Some(CustomExtension::from_oid_content(
        OID_CERTIFICATE_POLICIES,
        der_tlv(0x30, &policy_info),
    ))
}

/// X.690 §8.19: first two arcs combined as 40*X+Y, then base-128 with continuation bits.
fn encode_oid(arcs: &[u64]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        out.extend(tmp.iter().rev());
    };
    if let [a, b, rest @ ..] = arcs {
        push(a * 40 + b);
        rest.iter().for_each(|&r| push(r));
    }
    out
}

/// X.690 §8.1: tag, definite length, content.
fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn ia5(what: &'static str, s: &str) -> Result<rcgen::string::Ia5String, CertsError> {
    rcgen::string::Ia5String::try_from(s)
        .map_err(|_| CertsError::invalid(what, format!("`{s}` is not ASCII")))
}

/// Parameters of an end-entity certificate, the CA that signs it and its kind.
pub(crate) fn leaf_params(
    subject: &Subject,
    operator: &Operator,
    validity: Validity,
) -> Result<(CertificateParams, CaName, PeerKind), CertsError> {
    validity.check()?;
    let mut p = CertificateParams::default();
    let (ca, kind) = match subject {
        Subject::Server {
            domain,
            extra_names,
        } => {
            let mut dn = base_dn(operator.state_province.as_deref(), Some(&operator.name))?;
            dn.push(DnType::OrganizationalUnitName, operator.structure.to_ou());
            dn.push(DnType::CommonName, format!("mx.{domain}"));
            p.distinguished_name = dn;
            let mut names = vec![
                domain.clone(),
                format!("mx.{domain}"),
                format!("mail.{domain}"),
            ];
            names.extend(extra_names.iter().cloned());
            names.dedup();
            for n in names {
                p.subject_alt_names
                    .push(SanType::DnsName(ia5("domain", &n)?));
            }
            // Operators present their server certificate as a *client* certificate too when they
            // relay to another operator on port 25, so both purposes are needed.
            p.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ];
            (CaName::Structures, PeerKind::Server)
        }
        Subject::Org {
            structure,
            email,
            name,
        }
        | Subject::App {
            structure,
            email,
            name,
        } => {
            let mut dn = base_dn(None, Some(name))?;
            dn.push(DnType::OrganizationalUnitName, structure.to_ou());
            dn.push(DnType::CommonName, email.as_str());
            p.distinguished_name = dn;
            p.subject_alt_names
                .push(SanType::Rfc822Name(ia5("e-mail address", email)?));
            p.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ClientAuth,
                ExtendedKeyUsagePurpose::EmailProtection,
            ];
            let kind = match subject {
                Subject::Org { .. } => PeerKind::Org,
                _ => PeerKind::App,
            };
            (CaName::Structures, kind)
        }
        Subject::Person {
            id,
            given_name,
            surname,
            email,
            structure,
            organization,
        } => {
            let mut dn = base_dn(None, organization.as_deref())?;
            if let Some(s) = structure {
                dn.push(DnType::OrganizationalUnitName, s.to_ou());
            }
            dn.push(
                DnType::CustomDnType(OID_SERIAL_NUMBER.to_vec()),
                printable("national id", &id.national_id())?,
            );
            dn.push(
                DnType::CustomDnType(OID_GIVEN_NAME.to_vec()),
                given_name.as_str(),
            );
            dn.push(DnType::CustomDnType(OID_SURNAME.to_vec()), surname.as_str());
            dn.push(DnType::CommonName, format!("{given_name} {surname}"));
            p.distinguished_name = dn;
            p.subject_alt_names
                .push(SanType::Rfc822Name(ia5("e-mail address", email)?));
            p.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ClientAuth,
                ExtendedKeyUsagePurpose::EmailProtection,
            ];
            (CaName::Personnes, PeerKind::Person)
        }
    };
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.use_authority_key_identifier_extension = true;
    p.custom_extensions.extend(policies_extension(kind));
    p.not_before = validity.not_before;
    p.not_after = validity.not_after;
    p.serial_number = Some(random_serial()?);
    Ok((p, ca, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_encoding() {
        let cases: &[(&[u64], &[u8])] = &[
            // 2.5.29.32 (certificatePolicies)
            (&[2, 5, 29, 32], &[0x55, 0x1d, 0x20]),
            // 1.2.840.113549 (rsadsi)
            (&[1, 2, 840, 113549], &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]),
            // 2.999.71.4: 2*40+999 = 1079 = 0x437
            (&[2, 999, 71, 4], &[0x88, 0x37, 0x47, 0x04]),
        ];
        for (arcs, want) in cases {
            assert_eq!(encode_oid(arcs), *want, "{arcs:?}");
        }
    }

    #[test]
    fn der_lengths() {
        assert_eq!(der_tlv(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        let long = der_tlv(0x04, &[0u8; 200]);
        assert_eq!(&long[..3], &[0x04, 0x81, 200]);
        let longer = der_tlv(0x04, &[0u8; 300]);
        assert_eq!(&longer[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn validity_checks() {
        assert!(Validity::days(10).check().is_ok());
        assert!(Validity::expired().check().is_ok());
        let v = Validity::days(1);
        let backwards = Validity {
            not_before: v.not_after,
            not_after: v.not_before,
        };
        assert!(backwards.check().is_err());
    }
}
