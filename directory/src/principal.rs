//! Who logged in on a professional protocol (SMTP submission today, IMAP next), and which
//! addresses they may send as. Shared so every listener applies the same rule.

use store::Db;

use crate::DirectoryError;
use crate::policy::Party;

/// A professional, organisation or application mailbox that authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The mailbox they logged in as (lower-case).
    pub login: String,
    /// Addresses they may send from: their own, plus the ORG mailboxes of their structure.
    pub may_send_as: Vec<String>,
}

/// The principal of an active PER/ORG/APP mailbox. Citizens never log in here: their mailbox is
/// reached through the webmail only, so they get `None`, as do unknown or inactive addresses.
pub async fn principal_for(
    db: &Db,
    login: &str,
    local_domains: &[String],
) -> Result<Option<Principal>, DirectoryError> {
    let login = login.trim().to_lowercase();
    match crate::resolve(db, &login, local_domains).await? {
        Party::Mailbox { active: true, .. } => {
            let mut may_send_as = vec![login.clone()];
            may_send_as.extend(crate::resolve::org_mailboxes_of(db, &login).await?);
            Ok(Some(Principal { login, may_send_as }))
        }
        _ => Ok(None),
    }
}

/// LOGIN / AUTH PLAIN: the Argon2 password of the mailbox (the same cost for an unknown address).
pub async fn authenticate_password(
    db: &Db,
    user: &str,
    password: &str,
    local_domains: &[String],
) -> Result<Option<Principal>, DirectoryError> {
    let login = user.trim().to_lowercase();
    if !crate::credentials::verify_password(db, &login, password).await? {
        return Ok(None);
    }
    principal_for(db, &login, local_domains).await
}

/// SASL EXTERNAL (RFC 4422 appendix A): the login is the certificate's e-mail address, or the
/// requested authorization identity when it is one of them.
pub fn login_from_certificate(emails: &[String], authz: &str) -> Option<String> {
    let wanted = authz.trim();
    let found = if wanted.is_empty() {
        emails.first()
    } else {
        emails.iter().find(|e| e.eq_ignore_ascii_case(wanted))
    };
    found.map(|e| e.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::login_from_certificate;

    #[test]
    fn external_login_table() {
        let emails = vec!["A@x.example".to_string(), "b@x.example".to_string()];
        let cases = [
            ("", Some("a@x.example")),
            ("b@X.example", Some("b@x.example")),
            (" a@x.example ", Some("a@x.example")),
            ("c@x.example", None),
        ];
        for (authz, want) in cases {
            assert_eq!(
                login_from_certificate(&emails, authz).as_deref(),
                want,
                "{authz}"
            );
        }
        assert_eq!(login_from_certificate(&[], ""), None);
    }
}
