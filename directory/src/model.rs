//! Plain types shared by the imports, the policy and the callers.

use serde::Serialize;

/// The three kinds of mailbox of the MSSanté directory ("Type de BAL").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MailboxKind {
    /// A person (professional), identified by RPPS or ADELI.
    #[serde(rename = "PER")]
    Per,
    /// An organisation (a service, a pharmacy), identified by its structure.
    #[serde(rename = "ORG")]
    Org,
    /// An application (lab or hospital software), identified by its structure.
    #[serde(rename = "APP")]
    App,
}

impl MailboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailboxKind::Per => "PER",
            MailboxKind::Org => "ORG",
            MailboxKind::App => "APP",
        }
    }

    pub fn parse(s: &str) -> Option<MailboxKind> {
        match s.trim() {
            "PER" => Some(MailboxKind::Per),
            "ORG" => Some(MailboxKind::Org),
            "APP" => Some(MailboxKind::App),
            _ => None,
        }
    }
}

/// The life of a citizen's account (DESIGN §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountState {
    /// Created from the register; the citizen may activate or oppose for 6 weeks.
    Pending,
    /// Open: activated by the citizen, or opened automatically after the 6 weeks.
    Active,
    /// The citizen refused the account during the opposition period.
    Opposed,
    /// Closed by the citizen; data archived, reactivation possible.
    Closed,
}

impl AccountState {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Pending => "pending",
            AccountState::Active => "active",
            AccountState::Opposed => "opposed",
            AccountState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<AccountState> {
        match s {
            "pending" => Some(AccountState::Pending),
            "active" => Some(AccountState::Active),
            "opposed" => Some(AccountState::Opposed),
            "closed" => Some(AccountState::Closed),
            _ => None,
        }
    }
}

/// An e-mail address split and normalised: local part lower-cased, domain in its ASCII
/// (IDNA/punycode, RFC 5890) lower-case form, so `x@hôpital-été.example` and
/// `x@xn--hpital-t-h1ab6i.example` are the same address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub local: String,
    pub domain: String,
}

impl Address {
    /// Parses `local@domain`. Refuses spaces, control characters, an empty part, several `@`,
    /// and a domain that IDNA cannot map.
    pub fn parse(raw: &str) -> Option<Address> {
        let raw = raw.trim();
        let raw = raw
            .strip_prefix('<')
            .and_then(|r| r.strip_suffix('>'))
            .unwrap_or(raw);
        let (local, domain) = raw.rsplit_once('@')?;
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        {
            return None;
        }
        let domain = ascii_domain(domain)?;
        Some(Address {
            local: local.to_lowercase(),
            domain,
        })
    }

    /// `local@domain` in normalised form: the key of every table.
    pub fn normalized(&self) -> String {
        format!("{}@{}", self.local, self.domain)
    }
}

/// The normalised form of an address (see [`Address`]), or `None` if it is not one.
pub fn normalize_address(raw: &str) -> Option<String> {
    Address::parse(raw).map(|a| a.normalized())
}

/// A domain name in ASCII lower-case (punycode for internationalised labels, UTS #46), with at
/// least two labels; `None` if it is not a usable domain.
pub fn ascii_domain(domain: &str) -> Option<String> {
    let domain = domain.trim().trim_end_matches('.');
    if domain.is_empty() || domain.chars().any(|c| c.is_whitespace() || c == '@') {
        return None;
    }
    let ascii = idna::domain_to_ascii(domain).ok()?;
    let labels_ok = ascii.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !labels_ok || !ascii.contains('.') || ascii.len() > 253 {
        return None;
    }
    Some(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Camille.Martin@Medecin.MSSante.example",
                Some("camille.martin@medecin.mssante.example"),
            ),
            (
                "<x@hôpital-été.mssante.example>",
                Some("x@xn--hpital-t-h1ab6i.mssante.example"),
            ),
            (
                "x@xn--hpital-t-h1ab6i.mssante.example",
                Some("x@xn--hpital-t-h1ab6i.mssante.example"),
            ),
            (
                "252052A14900510@patient.mssante.example",
                Some("252052a14900510@patient.mssante.example"),
            ),
            ("no-at-sign.example", None),
            ("@domain.example", None),
            ("a b@domain.example", None),
            ("a@nodot", None),
            ("a@-bad-.example", None),
            ("a@", None),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_address(raw).as_deref(), *want, "{raw}");
        }
    }

    #[test]
    fn kinds_and_states_round_trip() {
        for k in [MailboxKind::Per, MailboxKind::Org, MailboxKind::App] {
            assert_eq!(MailboxKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MailboxKind::parse("XXX"), None);
        for s in [
            AccountState::Pending,
            AccountState::Active,
            AccountState::Opposed,
            AccountState::Closed,
        ] {
            assert_eq!(AccountState::parse(s.as_str()), Some(s));
        }
        assert_eq!(AccountState::parse("deleted"), None);
    }
}
