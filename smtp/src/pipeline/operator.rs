//! Whether a port-25 peer's certificate is the whitelisted operator's of the sending domain.

use certs::identity::PeerIdentity;

/// DESIGN §4: the peer's certificate matches the sending domain's whitelist entry when its subject
/// is the entry's DN, when one of its DNS names is the CN of that DN (the operator's MX name), or
/// when one of its DNS names is the domain itself or below it.
pub fn operator_certificate_matches(
    domain: &str,
    operator_dn: Option<&str>,
    peer: &PeerIdentity,
) -> bool {
    let domain = domain.to_ascii_lowercase();
    if let Some(dn) = operator_dn {
        if peer.subject_matches(dn) {
            return true;
        }
        if dn_common_name(dn).is_some_and(|cn| peer.has_dns_name(&cn)) {
            return true;
        }
    }
    peer.dns_names.iter().any(|n| {
        let n = n.to_ascii_lowercase();
        n == domain || n.ends_with(&format!(".{domain}"))
    })
}

fn dn_common_name(dn: &str) -> Option<String> {
    dn.split(',').map(str::trim).find_map(|rdn| {
        let (k, v) = rdn.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("CN")
            .then(|| v.trim().to_ascii_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use certs::identity::PeerKind;

    fn peer(dn: &str, names: &[&str]) -> PeerIdentity {
        PeerIdentity {
            kind: PeerKind::Server,
            rpps: None,
            adeli: None,
            national_id: None,
            structure_id: None,
            common_name: None,
            given_name: None,
            surname: None,
            dns_names: names.iter().map(|n| n.to_string()).collect(),
            emails: Vec::new(),
            subject_dn: dn.to_string(),
            issuer_dn: String::new(),
            serial: String::new(),
            not_after: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    const OP_DN: &str =
        "CN=mx.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR";

    /// domain, whitelist DN, certificate subject, certificate DNS names, expected, why.
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        &'a str,
        &'a [&'a str],
        bool,
        &'a str,
    );

    #[test]
    fn whitelist_matching_table() {
        let cases: &[Case] = &[
            (
                "medecin.mssante.example",
                Some(OP_DN),
                OP_DN,
                &[],
                true,
                "subject DN is the entry's DN",
            ),
            (
                "medecin.mssante.example",
                Some(OP_DN),
                "CN=other",
                &["mx.mssante.example"],
                true,
                "DNS name is the DN's CN",
            ),
            (
                "chu.example",
                Some("CN=smtp.chu.example,O=CHU"),
                "CN=x",
                &["chu.example"],
                true,
                "DNS name is the domain",
            ),
            (
                "chu.example",
                None,
                "CN=x",
                &["mx.chu.example"],
                true,
                "DNS name below the domain",
            ),
            (
                "chu.example",
                Some("CN=smtp.chu.example,O=CHU"),
                "CN=x",
                &["notchu.example"],
                false,
                "suffix without a dot",
            ),
            (
                "medecin.mssante.example",
                Some(OP_DN),
                "CN=mx.intrus.example",
                &["mx.intrus.example"],
                false,
                "someone else",
            ),
            (
                "medecin.mssante.example",
                None,
                "CN=x",
                &[],
                false,
                "nothing to match",
            ),
        ];
        for (domain, dn, subject, names, want, why) in cases {
            let got = operator_certificate_matches(domain, *dn, &peer(subject, names));
            assert_eq!(got, *want, "{why}");
        }
    }

    #[test]
    fn common_name_of_a_dn() {
        assert_eq!(dn_common_name(OP_DN).as_deref(), Some("mx.mssante.example"));
        assert_eq!(
            dn_common_name("O=x, cn = Smtp.Example"),
            Some("smtp.example".into())
        );
        assert_eq!(dn_common_name("O=x"), None);
    }
}
