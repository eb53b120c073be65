//! Distinguished names as strings (RFC 4514) and their comparison.
//!
//! The national whitelist names each operator's certificate by its subject DN
//! (`DNCertificatOperateur`, e.g. `CN=mx.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,C=FR`),
//! written most-specific first as in RFC 4514 §2.1. [`render`] produces that form from a certificate
//! and [`dn_eq`] compares two DNs the way X.520 `caseIgnoreMatch` does, tolerant of spacing.

use x509_parser::x509::X509Name;

/// Short attribute names, as OpenSSL and the national whitelist write them.
const NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "title"),
    ("2.5.4.42", "GN"),
    ("2.5.4.97", "organizationIdentifier"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
];

/// Long names and aliases accepted by [`dn_eq`], mapped to the short name.
const ALIASES: &[(&str, &str)] = &[
    ("COMMONNAME", "CN"),
    ("SURNAME", "SN"),
    ("COUNTRYNAME", "C"),
    ("LOCALITYNAME", "L"),
    ("S", "ST"),
    ("STATEORPROVINCENAME", "ST"),
    ("ORGANIZATIONNAME", "O"),
    ("ORGANIZATIONALUNITNAME", "OU"),
    ("GIVENNAME", "GN"),
    ("E", "EMAILADDRESS"),
];

pub(crate) fn short_name(oid: &str) -> String {
    NAMES
        .iter()
        .find(|(o, _)| *o == oid)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| oid.to_string())
}

/// RFC 4514 string of a certificate name: RDNs in reverse order of the encoding, `,` between
/// RDNs, `+` inside a multi-valued RDN.
pub fn render(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    let ty = short_name(&atv.attr_type().to_id_string());
                    let value = match atv.as_str() {
                        Ok(s) => escape(s),
                        // §2.4: a value that is not a string is written as `#` + hex of its BER.
                        Err(_) => format!("#{}", hex(atv.attr_value().data)),
                    };
                    format!("{ty}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// RFC 4514 §2.4 escaping.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            c => out.push(c),
        }
    }
    out
}

/// Splits a DN string into RDN components `(TYPE, value)`, types upper-cased and aliased, values
/// unescaped, trimmed, inner whitespace collapsed and upper-cased (caseIgnoreMatch, X.520).
/// Multi-valued RDNs are flattened, which is enough to compare subject names.
fn components(dn: &str) -> Option<Vec<(String, String)>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = dn.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push('\\');
                current.push(chars.next()?);
            }
            ',' | '+' | ';' => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (ty, value) = p.split_once('=')?;
            let ty = ty.trim().to_ascii_uppercase();
            let ty = ALIASES
                .iter()
                .find(|(a, _)| *a == ty)
                .map(|(_, s)| s.to_string())
                .unwrap_or(ty);
            let value = unescape(value.trim());
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            Some((ty, value.to_uppercase()))
        })
        .collect()
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// True when two DN strings name the same subject: same attributes and values, ignoring case and
/// spacing. The reverse order is accepted too, since DNs are often written root-first
/// (`C=FR, O=…, CN=…`, OpenSSL's default) instead of RFC 4514's most-specific-first.
pub fn dn_eq(a: &str, b: &str) -> bool {
    match (components(a), components(b)) {
        (Some(a), Some(mut b)) if !a.is_empty() => {
            if a == b {
                return true;
            }
            b.reverse();
            a == b
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        let cases = [
            ("OPERATEUR EXEMPLE", "OPERATEUR EXEMPLE"),
            ("Dupont, Jean", "Dupont\\, Jean"),
            ("#1", "\\#1"),
            (" lead", "\\ lead"),
            ("trail ", "trail\\ "),
            ("a+b;c<d>e\\f\"", "a\\+b\\;c\\<d\\>e\\\\f\\\""),
        ];
        for (input, want) in cases {
            assert_eq!(escape(input), want, "{input}");
        }
    }

    #[test]
    fn comparison() {
        let wl = "CN=mx.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR";
        let cases = [
            (wl, wl, true),
            (
                "cn=MX.mssante.example, ou=0002  123456789, o=Operateur Exemple, st=Tours (37), c=fr",
                wl,
                true,
            ),
            (
                "C=FR, ST=Tours (37), O=OPERATEUR EXEMPLE, OU=0002 123456789, CN=mx.mssante.example",
                wl,
                true,
            ),
            (
                "CN=mx.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,C=FR",
                wl,
                false,
            ),
            (
                "CN=mx.autre.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR",
                wl,
                false,
            ),
            ("commonName=a\\, b,C=FR", "CN=A\\, B,C=FR", true),
            ("CN=a\\, b,C=FR", "CN=a,CN=b,C=FR", false),
            ("", "", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(dn_eq(a, b), want, "{a} vs {b}");
        }
    }
}
