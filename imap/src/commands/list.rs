//! LIST and LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.9) with CHILDREN (RFC 3348) and SPECIAL-USE
//! (RFC 6154) attributes, over the personal namespace and the user's ORG mailboxes. The
//! extended LIST (RFC 5258, RFC 5819) is in `list_extended.rs` and shares [`Session::all_names`].

use std::collections::BTreeMap;

use imap_next::imap_types::core::{Atom, QuotedChar, Tag};
use imap_next::imap_types::flag::FlagNameAttribute;
use imap_next::imap_types::mailbox::{ListMailbox, Mailbox};
use imap_next::imap_types::response::Data;

use crate::names::{self, DELIMITER, SHARED};
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

/// One name LIST may show.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// Exists in the store (else an implied parent, `\Noselect`).
    pub(super) selectable: bool,
    pub(super) special: Option<&'static str>,
    pub(super) subscribed: bool,
    /// The store id, for LIST-STATUS (RFC 5819). `None` for implied parents.
    pub(super) id: Option<i64>,
    /// Only a subscription, kept after its mailbox was deleted (RFC 9051 §6.3.7): LSUB and
    /// LIST (SUBSCRIBED) show it, LIST does not, and it gives its parents no children.
    pub(super) kept: bool,
}

/// Whether `name` has an inferior that exists (RFC 3348 `\HasChildren`).
pub(super) fn has_children(entries: &BTreeMap<String, Entry>, name: &str) -> bool {
    let prefix = format!("{name}{DELIMITER}");
    entries
        .range(prefix.clone()..)
        .take_while(|(n, _)| n.starts_with(&prefix))
        .any(|(_, e)| !e.kept)
}

/// The names LSUB returns for `pattern`, with whether each is `\Noselect`. RFC 3501 §6.3.9:
/// with `%`, a name that is not itself subscribed but has a subscribed inferior the `%` hides
/// (`foo` for a subscribed `foo/bar`) is returned too, flagged `\Noselect`.
fn lsub_names(entries: &BTreeMap<String, Entry>, pattern: &str) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    for (name, entry) in entries.iter().filter(|(_, e)| e.subscribed) {
        if names::matches(pattern, name) {
            out.insert(name.clone(), !entry.selectable);
        } else if pattern.contains('%') {
            let mut ancestor = name.as_str();
            while let Some((parent, _)) = ancestor.rsplit_once(DELIMITER) {
                ancestor = parent;
                if names::matches(pattern, ancestor) {
                    out.entry(ancestor.to_string()).or_insert(true);
                    break;
                }
            }
        }
    }
    out
}

pub(super) fn attr(name: &'static str) -> Option<FlagNameAttribute<'static>> {
    Atom::try_from(name).ok().map(FlagNameAttribute::from)
}

impl Session {
    /// LSUB, and the LIST of RFC 3501 (LIST itself goes through `handle_list_extended`, which
    /// answers the plain form the same way).
    pub(crate) async fn handle_list(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        reference: Mailbox<'static>,
        pattern: ListMailbox<'static>,
        lsub: bool,
    ) -> Result<Flow, SessionError> {
        let command = if lsub { "LSUB" } else { "LIST" };
        let (Ok(reference), Ok(pattern)) = (
            names::decode(&reference, self.rev2),
            names::decode_pattern(&pattern, self.rev2),
        ) else {
            conn.status(respond::bad(&tag, "Invalid mailbox name or pattern"));
            return Ok(Flow::Continue);
        };
        let delimiter = QuotedChar::try_from(DELIMITER).ok();
        if pattern.is_empty() {
            // RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root.
            if !lsub && let Ok(root) = Mailbox::try_from("") {
                conn.data(Data::List {
                    items: vec![FlagNameAttribute::Noselect],
                    delimiter,
                    mailbox: root,
                    extended_items: Vec::new(),
                });
            }
            conn.status(respond::ok(&tag, None, format!("{command} completed")));
            return Ok(Flow::Continue);
        }
        let full = format!("{reference}{pattern}");
        let entries = self.all_names().await?;
        let listed: Vec<(&String, bool)> = if lsub {
            let shown = lsub_names(&entries, &full);
            entries
                .keys()
                .filter_map(|n| shown.get(n).map(|noselect| (n, *noselect)))
                .collect()
        } else {
            entries
                .iter()
                .filter(|(n, e)| !e.kept && names::matches(&full, n))
                .map(|(n, e)| (n, !e.selectable))
                .collect()
        };
        for (name, noselect) in listed {
            let mut items = Vec::new();
            if noselect {
                items.push(FlagNameAttribute::Noselect);
            }
            if !lsub {
                items.extend(attr(if has_children(&entries, name) {
                    "HasChildren"
                } else {
                    "HasNoChildren"
                }));
                if let Some(special) = entries.get(name).and_then(|e| e.special) {
                    items.extend(attr(special.trim_start_matches('\\')));
                }
            }
            let Some(mailbox) = names::encode(name, self.rev2) else {
                continue;
            };
            let data = if lsub {
                Data::Lsub {
                    items,
                    delimiter,
                    mailbox,
                }
            } else {
                Data::List {
                    items,
                    delimiter,
                    mailbox,
                    extended_items: Vec::new(),
                }
            };
            conn.data(data);
            conn.throttle().await?;
        }
        self.finish(conn, &tag, true, None, &format!("{command} completed"))
            .await
    }

    /// The `* LIST` line of one mailbox as a plain LIST shows it: what SELECT and EXAMINE send
    /// under IMAP4rev2 (RFC 9051 §6.3.2: "The server MUST return a LIST response with the
    /// mailbox name. The list of mailbox attributes MUST be accurate."). Names are not
    /// normalized here, so there is never an OLDNAME to add (§6.3.9.7).
    pub(crate) async fn list_one(
        &self,
        account: &str,
        name: &str,
    ) -> Result<Option<Data<'static>>, SessionError> {
        let visible = names::visible_name(self.login(), account, name);
        let entries = self.all_names().await?;
        let Some(entry) = entries.get(&visible) else {
            return Ok(None);
        };
        let mut items = Vec::new();
        items.extend(attr(if has_children(&entries, &visible) {
            "HasChildren"
        } else {
            "HasNoChildren"
        }));
        if let Some(special) = entry.special {
            items.extend(attr(special.trim_start_matches('\\')));
        }
        let Some(mailbox) = names::encode(&visible, self.rev2) else {
            return Ok(None);
        };
        Ok(Some(Data::List {
            items,
            delimiter: QuotedChar::try_from(DELIMITER).ok(),
            mailbox,
            extended_items: Vec::new(),
        }))
    }

    /// Every visible name: own mailboxes, the ORG ones under `Shared/<org>/`, and the levels
    /// above them that do not exist by themselves.
    pub(super) async fn all_names(&self) -> Result<BTreeMap<String, Entry>, SessionError> {
        let login = self.login().to_string();
        let mut out: BTreeMap<String, Entry> = BTreeMap::new();
        let mut accounts = vec![login.clone()];
        accounts.extend(self.orgs.iter().cloned());
        // Shared ORG folders: each member's own subscriptions, not the owner's column.
        let unsubscribed = if self.orgs.is_empty() {
            Vec::new()
        } else {
            self.shared.db.user_unsubscribed(&login).await?
        };
        for account in &accounts {
            for mb in self.shared.db.list_mailboxes(account).await? {
                let subscribed = if *account == login {
                    mb.subscribed
                } else {
                    !unsubscribed.contains(&mb.id)
                };
                let name = names::visible_name(&login, account, &mb.name);
                let special = mb
                    .special_use
                    .filter(|u| *u != store::SpecialUse::Inbox)
                    .map(|u| u.as_str());
                out.insert(
                    name,
                    Entry {
                        selectable: true,
                        special,
                        subscribed,
                        id: Some(mb.id),
                        kept: false,
                    },
                );
            }
        }
        let existing: Vec<String> = out.keys().cloned().collect();
        for name in existing {
            let mut prefix = String::new();
            let levels: Vec<&str> = name.split(DELIMITER).collect();
            for level in &levels[..levels.len().saturating_sub(1)] {
                if !prefix.is_empty() {
                    prefix.push(DELIMITER);
                }
                prefix.push_str(level);
                out.entry(prefix.clone()).or_default();
            }
        }
        if !self.orgs.is_empty() {
            out.entry(SHARED.to_string()).or_default();
        }
        // After the implied parents: a kept subscription implies no hierarchy.
        for name in self.shared.db.kept_subscriptions(&login).await? {
            let entry = out.entry(name).or_insert(Entry {
                kept: true,
                ..Entry::default()
            });
            entry.subscribed = true;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(names: &[(&str, bool, bool, bool)]) -> BTreeMap<String, Entry> {
        names
            .iter()
            .map(|(n, selectable, subscribed, kept)| {
                let e = Entry {
                    selectable: *selectable,
                    subscribed: *subscribed,
                    kept: *kept,
                    ..Entry::default()
                };
                (n.to_string(), e)
            })
            .collect()
    }

    /// RFC 3501 §6.3.9: `foo` comes back `\Noselect` for a subscribed `foo/bar` under `%`,
    /// a subscribed name is itself, a kept subscription is `\Noselect`.
    #[test]
    fn lsub_percent_rule() {
        let t = tree(&[
            ("m", true, false, false),
            ("m/test", true, true, false),
            ("m/test2", true, false, false),
            ("m/test2/test", true, true, false),
            ("m/test3", true, false, false),
            ("m/test3/test3", true, true, false),
            ("m/gone", false, true, true),
            ("m/other", true, false, false),
        ]);
        let cases: &[(&str, &[(&str, bool)])] = &[
            (
                "m/%",
                &[
                    ("m/gone", true),
                    ("m/test", false),
                    ("m/test2", true),
                    ("m/test3", true),
                ],
            ),
            ("*test", &[("m/test", false), ("m/test2/test", false)]),
            (
                "m/*",
                &[
                    ("m/gone", true),
                    ("m/test", false),
                    ("m/test2/test", false),
                    ("m/test3/test3", false),
                ],
            ),
        ];
        for (pattern, want) in cases {
            let got = lsub_names(&t, pattern);
            let got: Vec<(&str, bool)> = got.iter().map(|(n, b)| (n.as_str(), *b)).collect();
            assert_eq!(&got, want, "{pattern}");
        }
    }

    #[test]
    fn kept_subscriptions_give_no_children() {
        let t = tree(&[("a", true, true, false), ("a/b", false, true, true)]);
        assert!(!has_children(&t, "a"));
        let t = tree(&[("a", true, true, false), ("a/c", true, false, false)]);
        assert!(has_children(&t, "a"));
    }
}
