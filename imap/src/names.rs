//! Mailbox names: IMAP wire form ↔ UTF-8 names, and the two namespaces (RFC 2342): the user's
//! own mailboxes at the root, and the ORG mailboxes they are a member of under
//! `Shared/<org address>/`.
//!
//! The wire form depends on the session: modified UTF-7 for IMAP4rev1 (RFC 3501 §5.1.3), plain
//! UTF-8 once IMAP4rev2 is enabled (RFC 9051 §5.1: names are UTF-8, sent as quoted strings with
//! UTF-8, §4.3; `&` is then an ordinary character). Every function takes `utf8` for that.

use imap_next::imap_types::core::{AString, IString};
use imap_next::imap_types::extensions::utf8::QuotedUtf8;
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

/// A name from the wire in UTF-8: modified UTF-7 decoded, or taken as it is with `utf8`
/// (IMAP4rev2). Invalid UTF-8 is refused either way.
fn from_wire(raw: &[u8], utf8: bool) -> Result<String, NameError> {
    let raw = std::str::from_utf8(raw).map_err(|_| NameError::Invalid)?;
    if utf8 {
        // RFC 9051 §5.1: no control characters in names.
        if raw.chars().any(char::is_control) {
            return Err(NameError::Invalid);
        }
        return Ok(raw.to_string());
    }
    crate::mutf7::decode(raw).map_err(|_| NameError::Invalid)
}

/// The UTF-8 form of a mailbox name from the wire.
pub fn decode(mailbox: &Mailbox<'_>, utf8: bool) -> Result<String, NameError> {
    match mailbox {
        Mailbox::Inbox => Ok("INBOX".to_string()),
        Mailbox::Other(other) => from_wire(other.as_ref(), utf8),
    }
}

/// A LIST pattern in UTF-8. Wildcards are plain ASCII, so they survive the decoding.
pub fn decode_pattern(pattern: &ListMailbox<'_>, utf8: bool) -> Result<String, NameError> {
    let raw: &[u8] = match pattern {
        ListMailbox::Token(t) => t.as_ref(),
        ListMailbox::String(s) => s.as_ref(),
    };
    from_wire(raw, utf8)
}

/// The wire form of a UTF-8 name: modified UTF-7, or with `utf8` the name itself, as a quoted
/// string when it is not ASCII (RFC 9051 §4.3 `quoted` allows UTF-8).
pub fn encode(name: &str, utf8: bool) -> Option<Mailbox<'static>> {
    if name.eq_ignore_ascii_case("INBOX") {
        return Some(Mailbox::Inbox);
    }
    if utf8 && !name.is_ascii() {
        let quoted = QuotedUtf8::try_from(name.to_string()).ok()?;
        return Some(Mailbox::from(AString::String(IString::QuotedUtf8(quoted))));
    }
    let wire = if utf8 {
        name.to_string()
    } else {
        crate::mutf7::encode(name)
    };
    Mailbox::try_from(wire).ok()
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

    fn wire(mailbox: &Mailbox<'_>) -> String {
        use imap_codec::encode::Encoder;
        use imap_next::imap_types::command::{Command, CommandBody};
        let cmd = Command::new(
            "A",
            CommandBody::Select {
                mailbox: mailbox.clone(),
                parameters: Vec::new(),
            },
        )
        .unwrap_or_else(|_| unreachable!());
        let bytes = imap_codec::CommandCodec::default().encode(&cmd).dump();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Modified UTF-7 for IMAP4rev1, quoted UTF-8 for IMAP4rev2 (RFC 9051 §5.1).
    #[test]
    fn wire_forms_per_version() {
        let enc = |name: &str, utf8: bool| encode(name, utf8).map(|m| wire(&m));
        assert_eq!(
            enc("Résultats", false).as_deref(),
            Some("A SELECT R&AOk-sultats\r\n")
        );
        assert_eq!(
            enc("Résultats", true).as_deref(),
            Some("A SELECT \"Résultats\"\r\n")
        );
        assert_eq!(enc("a&b", true).as_deref(), Some("A SELECT a&b\r\n"));
        assert_eq!(enc("a&b", false).as_deref(), Some("A SELECT a&-b\r\n"));
        assert_eq!(encode("inbox", true), Some(Mailbox::Inbox));
        let name = |s: &str| Mailbox::try_from(s.to_string()).unwrap_or(Mailbox::Inbox);
        assert_eq!(
            decode(&name("R&AOk-sultats"), false).as_deref(),
            Ok("Résultats")
        );
        assert_eq!(
            decode(&name("R&AOk-sultats"), true).as_deref(),
            Ok("R&AOk-sultats")
        );
        assert_eq!(decode(&name("Résultats"), true).as_deref(), Ok("Résultats"));
        assert_eq!(decode(&name("Résultats"), false), Err(NameError::Invalid));
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
