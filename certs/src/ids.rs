//! National identifiers carried by health certificates, and how they are written in a subject.
//!
//! - A person (PP) is identified by RPPS (11 digits) or ADELI (9 characters). The *identification
//!   nationale PP* prefixes the type: `8` + RPPS (12 characters) or `0` + ADELI (10 characters),
//!   as in the national extracts (`Type d'identifiant PP` 8 / 0). Personal certificates carry it in
//!   the subject `serialNumber` attribute (OID 2.5.4.5).
//! - A structure is identified by SIREN (9 digits), SIRET (14 digits) or FINESS (9 characters; Corsica
//!   uses `2A`/`2B`). Structure certificates carry it in the subject `OU` as `<code> <id>`: `0002` for
//!   SIREN and `0009` for SIRET (the ISO 6523 ICD codes the national whitelist's
//!   `DNCertificatOperateur` uses, e.g. `OU=0002 123456789`), and `FINESS` for FINESS (no ICD exists;
//!   a convention of this dev PKI).

use crate::CertsError;

/// A professional's national identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonId {
    /// 11 digits.
    Rpps(String),
    /// 9 characters (digits, `2A`/`2B` for Corsica).
    Adeli(String),
}

impl PersonId {
    /// Accepts an RPPS as 11 digits, or already prefixed (`8` + 11 digits).
    pub fn rpps(s: &str) -> Result<PersonId, CertsError> {
        let s = s.trim();
        let digits = match s.len() {
            12 if s.starts_with('8') => &s[1..],
            _ => s,
        };
        if digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(PersonId::Rpps(digits.to_string()))
        } else {
            Err(CertsError::invalid(
                "RPPS",
                format!("`{s}` is not 11 digits (or 8 followed by 11 digits)"),
            ))
        }
    }

    /// Accepts an ADELI as 9 characters, or already prefixed (`0` + 9 characters).
    pub fn adeli(s: &str) -> Result<PersonId, CertsError> {
        let s = s.trim();
        let id = match s.len() {
            10 if s.starts_with('0') => &s[1..],
            _ => s,
        };
        if id.len() == 9 && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(PersonId::Adeli(id.to_ascii_uppercase()))
        } else {
            Err(CertsError::invalid(
                "ADELI",
                format!("`{s}` is not 9 characters (or 0 followed by 9 characters)"),
            ))
        }
    }

    /// The *identification nationale PP*: `8`+RPPS or `0`+ADELI.
    pub fn national_id(&self) -> String {
        match self {
            PersonId::Rpps(r) => format!("8{r}"),
            PersonId::Adeli(a) => format!("0{a}"),
        }
    }

    /// Reads an identification nationale PP (or a bare RPPS) found in a certificate subject.
    pub fn from_national_id(s: &str) -> Option<PersonId> {
        let s = s.trim();
        let alnum = s.bytes().all(|b| b.is_ascii_alphanumeric());
        let digits = s.bytes().all(|b| b.is_ascii_digit());
        match (s.len(), s.as_bytes().first()) {
            (12, Some(b'8')) if digits => Some(PersonId::Rpps(s[1..].to_string())),
            (10, Some(b'0')) if alnum => Some(PersonId::Adeli(s[1..].to_ascii_uppercase())),
            (11, _) if digits => Some(PersonId::Rpps(s.to_string())),
            _ => None,
        }
    }
}

/// The kind of a structure identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructureKind {
    Siren,
    Siret,
    Finess,
}

/// A structure identifier (SIREN, SIRET or FINESS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureId {
    pub kind: StructureKind,
    pub value: String,
}

impl StructureId {
    /// Parses `siren:…`, `siret:…`, `finess:…`, or a bare id: 14 digits is a SIRET, 9 characters
    /// is `bare_nine` (FINESS for ORG/APP mailboxes, SIREN for an operator).
    pub fn parse(s: &str, bare_nine: StructureKind) -> Result<StructureId, CertsError> {
        let s = s.trim();
        let (kind, value) = match s.split_once(':') {
            Some((k, v)) => match k.to_ascii_lowercase().as_str() {
                "siren" => (StructureKind::Siren, v),
                "siret" => (StructureKind::Siret, v),
                "finess" => (StructureKind::Finess, v),
                other => {
                    return Err(CertsError::invalid(
                        "structure id",
                        format!("unknown prefix `{other}:` (use siren:, siret: or finess:)"),
                    ));
                }
            },
            None if s.len() == 14 => (StructureKind::Siret, s),
            None => (bare_nine, s),
        };
        let value = value.trim().to_ascii_uppercase();
        let digits = value.bytes().all(|b| b.is_ascii_digit());
        let ok = match kind {
            StructureKind::Siren => value.len() == 9 && digits,
            StructureKind::Siret => value.len() == 14 && digits,
            StructureKind::Finess => {
                value.len() == 9 && value.bytes().all(|b| b.is_ascii_alphanumeric())
            }
        };
        if !ok {
            return Err(CertsError::invalid(
                "structure id",
                format!(
                    "`{s}`: expected SIREN (9 digits), SIRET (14 digits) or FINESS (9 characters)"
                ),
            ));
        }
        Ok(StructureId { kind, value })
    }

    /// The subject `OU` value, e.g. `0002 123456789`.
    pub fn to_ou(&self) -> String {
        let code = match self.kind {
            StructureKind::Siren => "0002",
            StructureKind::Siret => "0009",
            StructureKind::Finess => "FINESS",
        };
        format!("{code} {}", self.value)
    }

    /// Reads an `OU` value written by [`StructureId::to_ou`] (or a bare 9/14-character id).
    pub fn from_ou(ou: &str) -> Option<StructureId> {
        let ou = ou.trim();
        let (kind, value) = match ou.split_once(' ') {
            Some(("0002", v)) => (StructureKind::Siren, v),
            Some(("0009", v)) => (StructureKind::Siret, v),
            Some((c, v)) if c.eq_ignore_ascii_case("FINESS") => (StructureKind::Finess, v),
            Some(_) => return None,
            None if ou.len() == 14 => (StructureKind::Siret, ou),
            None => (StructureKind::Finess, ou),
        };
        StructureId::parse(&format!("{kind:?}:{value}"), kind).ok()
    }
}

/// Validates a DNS name and returns its ASCII (A-label) form: certificates carry IDNs as
/// punycode (RFC 5280 §4.2.1.6 requires the preferred name syntax, RFC 5891 A-labels).
pub fn dns_name(s: &str) -> Result<String, CertsError> {
    let ascii = idna::domain_to_ascii(s.trim())
        .map_err(|_| CertsError::invalid("domain", format!("`{s}` is not a valid domain name")))?;
    let labels_ok = ascii.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !labels_ok || !ascii.contains('.') || ascii.len() > 253 {
        return Err(CertsError::invalid(
            "domain",
            format!("`{s}` is not a fully qualified domain name (like medecin.mssante.example)"),
        ));
    }
    Ok(ascii)
}

/// Validates a mailbox address (`local@domain`) for an rfc822Name SAN, domain in ASCII form.
pub fn email(s: &str) -> Result<String, CertsError> {
    let s = s.trim();
    let bad = || {
        CertsError::invalid(
            "e-mail address",
            format!("`{s}` is not like name@domain.example"),
        )
    };
    let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"@/\\\"(),:;<>[]".contains(&b));
    if !local_ok {
        return Err(bad());
    }
    let domain = dns_name(domain).map_err(|_| bad())?;
    Ok(format!("{}@{domain}", local.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_ids() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("rpps", "10284642892", Some("810284642892")),
            ("rpps", "810284642892", Some("810284642892")),
            ("rpps", "1028464289", None),
            ("rpps", "1028464289X", None),
            ("adeli", "751234567", Some("0751234567")),
            ("adeli", "0751234567", Some("0751234567")),
            ("adeli", "2a1234567", Some("02A1234567")),
            ("adeli", "75123456", None),
        ];
        for (kind, input, want) in cases {
            let got = match *kind {
                "rpps" => PersonId::rpps(input),
                _ => PersonId::adeli(input),
            };
            assert_eq!(
                got.ok().map(|p| p.national_id()).as_deref(),
                *want,
                "{kind} {input}"
            );
        }
    }

    #[test]
    fn national_id_reading() {
        let cases: &[(&str, Option<PersonId>)] = &[
            ("810284642892", Some(PersonId::Rpps("10284642892".into()))),
            ("10284642892", Some(PersonId::Rpps("10284642892".into()))),
            ("0751234567", Some(PersonId::Adeli("751234567".into()))),
            ("02B1234567", Some(PersonId::Adeli("2B1234567".into()))),
            ("81028464289", Some(PersonId::Rpps("81028464289".into()))),
            ("123", None),
            ("8102846428X2", None),
        ];
        for (input, want) in cases {
            assert_eq!(&PersonId::from_national_id(input), want, "{input}");
        }
    }

    #[test]
    fn structure_ids() {
        use StructureKind::*;
        type Want = Option<(StructureKind, &'static str, &'static str)>;
        let cases: &[(&str, StructureKind, Want)] = &[
            (
                "123456789",
                Siren,
                Some((Siren, "123456789", "0002 123456789")),
            ),
            (
                "370000481",
                Finess,
                Some((Finess, "370000481", "FINESS 370000481")),
            ),
            (
                "2a0000123",
                Finess,
                Some((Finess, "2A0000123", "FINESS 2A0000123")),
            ),
            (
                "12345678900011",
                Finess,
                Some((Siret, "12345678900011", "0009 12345678900011")),
            ),
            (
                "siren:987654321",
                Finess,
                Some((Siren, "987654321", "0002 987654321")),
            ),
            (
                "finess:379836900",
                Siren,
                Some((Finess, "379836900", "FINESS 379836900")),
            ),
            ("siren:2A0000123", Siren, None),
            ("nir:123", Siren, None),
            ("12345", Finess, None),
        ];
        for (input, bare, want) in cases {
            let got = StructureId::parse(input, *bare).ok();
            let got = got.map(|s| {
                let ou = s.to_ou();
                assert_eq!(
                    StructureId::from_ou(&ou).as_ref(),
                    Some(&s),
                    "round trip {ou}"
                );
                (s.kind, s.value, ou)
            });
            let want = want.map(|(k, v, ou)| (k, v.to_string(), ou.to_string()));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn ou_reading() {
        let cases: &[(&str, Option<&str>)] = &[
            ("0002 123456789", Some("123456789")),
            ("0009 12345678900011", Some("12345678900011")),
            ("FINESS 370000481", Some("370000481")),
            ("370000481", Some("370000481")),
            ("Service de cardiologie", None),
            ("0002 12", None),
        ];
        for (ou, want) in cases {
            assert_eq!(
                StructureId::from_ou(ou).map(|s| s.value).as_deref(),
                *want,
                "{ou}"
            );
        }
    }

    #[test]
    fn domains_and_emails() {
        let cases: &[(&str, Option<&str>)] = &[
            ("medecin.mssante.example", Some("medecin.mssante.example")),
            ("MX.Example.ORG", Some("mx.example.org")),
            (
                "hôpital-été.mssante.example",
                Some("xn--hpital-t-h1ab6i.mssante.example"),
            ),
            ("localhost", None),
            ("bad_domain.example", None),
            ("-x.example", None),
        ];
        for (input, want) in cases {
            assert_eq!(dns_name(input).ok().as_deref(), *want, "{input}");
        }
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Camille.Martin@medecin.mssante.example",
                Some("camille.martin@medecin.mssante.example"),
            ),
            ("no-at-sign.example", None),
            ("a/b@x.example", None),
            ("@x.example", None),
            ("x@nodot", None),
        ];
        for (input, want) in cases {
            assert_eq!(email(input).ok().as_deref(), *want, "{input}");
        }
    }
}
