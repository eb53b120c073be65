//! Keywords in the FLAGS response (RFC 9051 §7.3.5, RFC 3501 §7.2.6). A client learns which
//! flags a mailbox uses from FLAGS at SELECT: the system flags and every keyword in use. A
//! keyword first used later (a STORE here or in another session, a new message) is announced by
//! a new untagged FLAGS and PERMANENTFLAGS before any FETCH shows it.

use imap_next::imap_types::core::Atom;
use imap_next::imap_types::flag::{Flag, FlagPerm};
use imap_next::imap_types::response::{Code, Data};

use super::Selected;
use crate::respond;
use crate::session::Conn;

fn flags_of(keywords: &[String]) -> Vec<Flag<'static>> {
    let mut out = vec![
        Flag::Answered,
        Flag::Flagged,
        Flag::Deleted,
        Flag::Seen,
        Flag::Draft,
    ];
    // The store keeps only valid atoms; anything else is left out rather than fail.
    out.extend(
        keywords
            .iter()
            .filter_map(|k| Atom::try_from(k.clone()).ok().map(Flag::Keyword)),
    );
    out
}

/// `* FLAGS (…)` and `* OK [PERMANENTFLAGS (… \*)]` (none in a read-only mailbox).
pub fn send_flags(conn: &mut Conn, keywords: &[String], read_only: bool) {
    conn.data(Data::Flags(flags_of(keywords)));
    let perm = if read_only {
        Vec::new()
    } else {
        let mut perm: Vec<FlagPerm<'static>> =
            flags_of(keywords).into_iter().map(FlagPerm::Flag).collect();
        perm.push(FlagPerm::Asterisk);
        perm
    };
    conn.status(respond::untagged_ok(
        Some(Code::PermanentFlags(perm)),
        "Flags permitted",
    ));
}

/// The keywords of `flags` not in `known` (ignoring case), added to it; true if any was new.
fn learn<'a>(known: &mut Vec<String>, flags: impl IntoIterator<Item = &'a store::Flags>) -> bool {
    let mut added = false;
    for f in flags {
        for flag in f.iter() {
            if let store::Flag::Keyword(k) = flag
                && !known.iter().any(|x| x.eq_ignore_ascii_case(&k))
            {
                known.push(k);
                added = true;
            }
        }
    }
    if added {
        known.sort_by_key(|k| k.to_ascii_lowercase());
    }
    added
}

impl Selected {
    /// Sends FLAGS again first when `flags` carry a keyword the client has not been told of.
    pub fn announce_keywords<'a>(
        &mut self,
        conn: &mut Conn,
        flags: impl IntoIterator<Item = &'a store::Flags>,
    ) {
        if learn(&mut self.keywords, flags) {
            send_flags(conn, &self.keywords, self.read_only);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keywords_are_learned_once() {
        let f = |list: &[&str]| store::Flags::parse(list).expect("valid flags");
        let mut known = vec!["Urgent".to_string()];
        assert!(!learn(&mut known, [&f(&["\\Seen", "urgent"])]));
        assert!(learn(
            &mut known,
            [&f(&["$Label1"]), &f(&["\\Flagged", "$label1"])]
        ));
        assert_eq!(known, ["$Label1", "Urgent"]);
        assert!(!learn(&mut known, [&f(&["$LABEL1"])]));
        assert_eq!(flags_of(&known).len(), 7);
    }
}
