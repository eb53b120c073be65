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
        let (Ok(reference), Ok(pattern)) =
            (names::decode(&reference), names::decode_pattern(&pattern))
        else {
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
        for (name, entry) in &entries {
            if !names::matches(&full, name) || (lsub && !entry.subscribed) {
                continue;
            }
            let mut items = Vec::new();
            if !entry.selectable {
                items.push(FlagNameAttribute::Noselect);
            }
            if !lsub {
                let prefix = format!("{name}{DELIMITER}");
                let children = entries
                    .range(prefix.clone()..)
                    .next()
                    .is_some_and(|(n, _)| n.starts_with(&prefix));
                items.extend(attr(if children {
                    "HasChildren"
                } else {
                    "HasNoChildren"
                }));
                if let Some(special) = entry.special {
                    items.extend(attr(special.trim_start_matches('\\')));
                }
            }
            let Some(mailbox) = names::encode(name) else {
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
        Ok(out)
    }
}
