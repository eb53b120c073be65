//! Mailbox names: IMAP wire form (modified UTF-7, RFC 3501 §5.1.3) ↔ UTF-8 names, and the two
//! namespaces (RFC 2342): the user's own mailboxes at the root, and the ORG mailboxes they are a
//! member of under `Shared/<org address>/`.

use imap_next::imap_types::mailbox::{ListMailbox, Mailbox};

/// Prefix of the shared namespace.
pub const SHARED: &str = "Shared";
pub const DELIMITER: char = '/';

/// Where an IMAP name lives in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub account: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Not valid modified UTF-7, or not a valid name.
    Invalid,
    /// Under `Shared/` but not an ORG mailbox of this user (or only the namespace levels).
    NoAccess,
}

/// The UTF-8 form of a mailbox name from the wire.
pub fn decode(mailbox: &Mailbox<'_>) -> Result<String, NameError> {
    match mailbox {
        Mailbox::Inbox => Ok("INBOX".to_string()),
        Mailbox::Other(other) => {
            let raw = std::str::from_utf8(other.as_ref()).map_err(|_| NameError::Invalid)?;
            crate::mutf7::decode(raw).map_err(|_| NameError::Invalid)
        }
    }
}

/// A LIST pattern in UTF-8. Wildcards are plain ASCII, so they survive the decoding.
pub fn decode_pattern(pattern: &ListMailbox<'_>) -> Result<String, NameError> {
    let raw: &[u8] = match pattern {
        ListMailbox::Token(t) => t.as_ref(),
        ListMailbox::String(s) => s.as_ref(),
    };
    let raw = std::str::from_utf8(raw).map_err(|_| NameError::Invalid)?;
    crate::mutf7::decode(raw).map_err(|_| NameError::Invalid)
}

/// The wire form of a UTF-8 name.
pub fn encode(name: &str) -> Option<Mailbox<'static>> {
    if name.eq_ignore_ascii_case("INBOX") {
        return Some(Mailbox::Inbox);
    }
    Mailbox::try_from(crate::mutf7::encode(name)).ok()
}

/// Maps a UTF-8 IMAP name to its account and store name. `orgs` are the ORG accounts the user
/// belongs to.
pub fn locate(login: &str, orgs: &[String], name: &str) -> Result<Location, NameError> {
    let name = name.trim_end_matches(DELIMITER);
    if name.is_empty() {
        return Err(NameError::Invalid);
    }
    let Some(rest) = name.strip_prefix(SHARED) else {
        return Ok(Location {
            account: login.to_string(),
            name: name.to_string(),
        });
    };
    if rest.is_empty() {
        return Err(NameError::NoAccess);
    }
    let Some(rest) = rest.strip_prefix(DELIMITER) else {
        // "Shared2" and the like are ordinary personal names.
        return Ok(Location {
            account: login.to_string(),
            name: name.to_string(),
        });
    };
    let (org, inner) = rest.split_once(DELIMITER).ok_or(NameError::NoAccess)?;
    let org = org.to_lowercase();
    if inner.is_empty() || !orgs.contains(&org) {
        return Err(NameError::NoAccess);
    }
    Ok(Location {
        account: org,
        name: inner.to_string(),
    })
}

/// The IMAP name of `name` in `account`, seen by `login`.
pub fn visible_name(login: &str, account: &str, name: &str) -> String {
    if account == login {
        name.to_string()
    } else {
        format!("{SHARED}{DELIMITER}{account}{DELIMITER}{name}")
    }
}

/// LIST wildcard matching (RFC 9051 §6.3.9): `*` matches anything, `%` anything but the
/// delimiter. INBOX matches without regard to case.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    if wild(&p, &n) {
        return true;
    }
    // `inbox`, `Inbox/%`… : compare the INBOX level case-insensitively.
    let upper = |v: &[char]| -> Vec<char> {
        if v.len() >= 5
            && v[..5]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("INBOX")
            && (v.len() == 5 || v[5] == DELIMITER)
        {
            let mut out: Vec<char> = "INBOX".chars().collect();
            out.extend_from_slice(&v[5..]);
            out
        } else {
            v.to_vec()
        }
    };
    wild(&upper(&p), &upper(&n))
}

fn wild(p: &[char], n: &[char]) -> bool {
    // Dynamic programming over (pattern position, name position): O(|p|·|n|) whatever the
    // number of `*`/`%`, so a pattern like `*a*a*a*a*b` cannot make LIST exponential.
    // `row[j]`: the pattern suffix from the current position matches `n[j..]`.
    let mut row: Vec<bool> = (0..=n.len()).map(|j| j == n.len()).collect();
    for &c in p.iter().rev() {
        let mut next = vec![false; n.len() + 1];
        for j in (0..=n.len()).rev() {
            next[j] = match c {
                '*' => row[j] || (j < n.len() && next[j + 1]),
                '%' => row[j] || (j < n.len() && n[j] != DELIMITER && next[j + 1]),
                c => j < n.len() && n[j] == c && row[j + 1],
            };
        }
        row = next;
    }
    row[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        let cases = [
            ("*", "a/b/c", true),
            ("%", "a/b", false),
            ("%", "INBOX", true),
            ("a/%", "a/b", true),
            ("a/%", "a/b/c", false),
            ("a/*", "a/b/c", true),
            ("inbox", "INBOX", true),
            ("Inbox/%", "INBOX/x", true),
            ("Sent", "sent", false),
            ("S%t", "Sent", true),
            ("%/%", "a/b", true),
            ("%/%", "a/b/c", false),
            ("*b", "a/b", true),
            ("a*", "a", true),
            ("", "", true),
            ("", "a", false),
            ("a%%%", "abc/d", false),
        ];
        for (p, n, want) in cases {
            assert_eq!(matches(p, n), want, "{p} {n}");
        }
    }

    #[test]
    fn many_stars_stay_fast() {
        let name = "a".repeat(200);
        let pattern = format!("{}b", "*a".repeat(30));
        assert!(!matches(&pattern, &name));
        assert!(matches(&"*a".repeat(30), &name));
    }

    #[test]
    fn namespaces() {
        let orgs = vec!["pharma@x.example".to_string()];
        let me = "dr@x.example";
        assert_eq!(
            locate(me, &orgs, "Shared/pharma@x.example/INBOX"),
            Ok(Location {
                account: "pharma@x.example".into(),
                name: "INBOX".into()
            })
        );
        assert_eq!(
            locate(me, &orgs, "Shared/other@x.example/INBOX"),
            Err(NameError::NoAccess)
        );
        assert_eq!(locate(me, &orgs, "Shared"), Err(NameError::NoAccess));
        assert_eq!(
            locate(me, &orgs, "Sent/").map(|l| l.name),
            Ok("Sent".into())
        );
        assert_eq!(
            locate(me, &orgs, "Sharedx").map(|l| l.account),
            Ok(me.to_string())
        );
        assert_eq!(
            visible_name(me, "pharma@x.example", "Sent"),
            "Shared/pharma@x.example/Sent"
        );
    }
}
