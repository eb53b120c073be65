//! The operators' whitelist as the SMTP server needs it on port 25 (DESIGN §4, last row): the
//! sending domain must be whitelisted, and the peer's certificate must be that operator's —
//! its subject DN is the DN the whitelist names, or one of its DNS names is the host in that DN's
//! CN (or the domain itself, or a host under it).

use sqlx::Row;
use store::Db;

use crate::DirectoryError;
use crate::model::ascii_domain;

/// One active domain of the imported whitelist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WhitelistEntry {
    /// ASCII (punycode) form.
    pub domain: String,
    pub domain_unicode: String,
    /// DN of the operator's server certificate, as written in the whitelist.
    pub operator_dn: Option<String>,
}

/// The active whitelist entry of `domain` (Unicode or punycode), if any.
pub async fn lookup_for_peer(
    db: &Db,
    domain: &str,
) -> Result<Option<WhitelistEntry>, DirectoryError> {
    let Some(ascii) = ascii_domain(domain) else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT domain, domain_unicode, operator_dn FROM dir_whitelist \
         WHERE domain = $1 AND active",
    )
    .bind(ascii)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(WhitelistEntry {
            domain: r.try_get("domain")?,
            domain_unicode: r.try_get("domain_unicode")?,
            operator_dn: r.try_get("operator_dn")?,
        })
    })
    .transpose()
}

/// Splits a DN (`CN=a,O=b` or `C=FR, O=b, CN=a`, RFC 4514 escapes allowed) into a sorted list
/// of (upper-case attribute, lower-case value), so that order, spacing and case do not matter.
pub fn dn_attributes(dn: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = dn.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' | ';' | '+' => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    let mut attrs: Vec<(String, String)> = parts
        .iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_uppercase(), v.trim().to_lowercase()))
        })
        .collect();
    attrs.sort();
    attrs
}

/// Whether a peer certificate (subject DN, DNS names) is the one of the operator of `entry`.
/// Pure.
pub fn certificate_matches(entry: &WhitelistEntry, subject_dn: &str, dns_names: &[String]) -> bool {
    let names: Vec<String> = dns_names.iter().filter_map(|n| ascii_domain(n)).collect();
    if let Some(dn) = entry
        .operator_dn
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        let wanted = dn_attributes(dn);
        if !subject_dn.trim().is_empty() && dn_attributes(subject_dn) == wanted {
            return true;
        }
        let cn_host = wanted
            .iter()
            .find(|(k, _)| k == "CN")
            .and_then(|(_, v)| ascii_domain(v));
        if cn_host.is_some_and(|cn| names.contains(&cn)) {
            return true;
        }
    }
    let suffix = format!(".{}", entry.domain);
    names
        .iter()
        .any(|n| *n == entry.domain || n.ends_with(&suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(domain: &str, dn: Option<&str>) -> WhitelistEntry {
        WhitelistEntry {
            domain: domain.into(),
            domain_unicode: domain.into(),
            operator_dn: dn.map(str::to_string),
        }
    }

    #[test]
    fn table() {
        let dn = "CN=mx.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR";
        let med = entry("medecin.mssante.example", Some(dn));
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let other_c = dn.replace("C=FR", "C=BE");
        let bare = entry("a.example", None);
        let idn = entry("xn--hpital-t-h1ab6i.mssante.example", None);
        let cases: Vec<(&str, &WhitelistEntry, &str, Vec<String>, bool)> = vec![
            ("same DN", &med, dn, s(&[]), true),
            (
                "same DN, other order and spacing (x509 display form)",
                &med,
                "C=FR, ST=Tours (37), O=Operateur Exemple, OU=0002 123456789, CN=mx.mssante.example",
                s(&[]),
                true,
            ),
            (
                "DNS name is the DN's CN host",
                &med,
                "CN=other",
                s(&["MX.mssante.example"]),
                true,
            ),
            (
                "DNS name under the domain",
                &med,
                "CN=x",
                s(&["smtp.medecin.mssante.example"]),
                true,
            ),
            (
                "DNS name is the domain",
                &med,
                "CN=x",
                s(&["medecin.mssante.example"]),
                true,
            ),
            (
                "other operator",
                &med,
                "CN=mx.evil.example,O=EVIL,C=FR",
                s(&["mx.evil.example"]),
                false,
            ),
            (
                "suffix trick",
                &med,
                "CN=x",
                s(&["evilmedecin.mssante.example"]),
                false,
            ),
            ("DN differs by one attribute", &med, &other_c, s(&[]), false),
            (
                "no DN in entry, DNS matches",
                &bare,
                "",
                s(&["mx.a.example"]),
                true,
            ),
            (
                "no DN in entry, nothing matches",
                &bare,
                "",
                s(&["b.example"]),
                false,
            ),
            (
                "IDNA domain, punycode DNS name",
                &idn,
                "",
                s(&["mx.hôpital-été.mssante.example"]),
                true,
            ),
        ];
        for (name, e, subject, dns, want) in cases {
            assert_eq!(certificate_matches(e, subject, &dns), want, "{name}");
        }
    }

    #[test]
    fn dn_escapes() {
        assert_eq!(
            dn_attributes("O=A\\, B,CN=x"),
            vec![("CN".into(), "x".into()), ("O".into(), "a, b".into())]
        );
    }
}
