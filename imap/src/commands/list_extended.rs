//! LIST with the extensions of RFC 5258 (LIST-EXTENDED: selection and return options, several
//! patterns, CHILDINFO), RFC 5819 (LIST-STATUS) and RFC 6154 §3 (SPECIAL-USE selection and
//! return options). The plain RFC 3501 `LIST ref pattern` is the case with no options and
//! answers exactly as before: `\HasChildren`/`\HasNoChildren` and special-use attributes are
//! always sent (CHILDREN, RFC 3348; RFC 6154 §2 allows it).

use std::borrow::Cow;
use std::collections::BTreeMap;

use imap_next::imap_types::core::{Atom, QuotedChar, Tag, Vec1};
use imap_next::imap_types::extensions::list_extended::{
    ListReturnOption, ListSelectBaseOpt, ListSelectBaseOptExtension, ListSelectBaseOptExtensionTag,
    ListSelectOption, MboxListExtendedItem,
};
use imap_next::imap_types::flag::FlagNameAttribute;
use imap_next::imap_types::mailbox::{ListMailbox, Mailbox};
use imap_next::imap_types::response::Data;
use imap_next::imap_types::status::StatusDataItemName;

use super::list::{Entry, attr};
use super::status::{counts, needs_counts, status_items};
use crate::names::{self, DELIMITER};
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

/// A parsed `LIST` command.
pub(crate) struct ListRequest {
    pub reference: Mailbox<'static>,
    /// At least one (the codec guarantees it).
    pub patterns: Vec<ListMailbox<'static>>,
    pub selection: Vec<ListSelectOption>,
    pub returns: Vec<ListReturnOption>,
}

/// The options of one LIST, checked.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Options {
    /// `SUBSCRIBED` selection: subscribed names only (RFC 5258 §3.1).
    subscribed: bool,
    /// `SPECIAL-USE` selection: mailboxes with a special use only (RFC 6154 §3).
    special_use: bool,
    /// `RECURSIVEMATCH` (RFC 5258 §3.1).
    recursive: bool,
    /// Any selection option was given: non-existent names are then `\NonExistent`.
    selecting: bool,
    /// Return `\Subscribed` (the `SUBSCRIBED` return option, or implied by the selection).
    return_subscribed: bool,
    /// `STATUS (…)` return option (RFC 5819).
    status: Option<Vec<StatusDataItemName>>,
}

/// Checks the options. `Err` is the text of a tagged `BAD`.
fn options(
    selection: &[ListSelectOption],
    returns: &[ListReturnOption],
) -> Result<Options, &'static str> {
    let mut o = Options {
        selecting: !selection.is_empty(),
        ..Options::default()
    };
    for option in selection {
        match option {
            ListSelectOption::Subscribed => o.subscribed = true,
            ListSelectOption::SpecialUse => o.special_use = true,
            ListSelectOption::RecursiveMatch => o.recursive = true,
            // No remote mailboxes here (no referrals): REMOTE changes nothing (§3.1).
            ListSelectOption::Remote => {}
        }
    }
    // RFC 5258 §3.1: RECURSIVEMATCH alone (no base option) MUST get BAD. SPECIAL-USE is a base
    // option too (RFC 6154 §6: `list-select-base-opt =/ "SPECIAL-USE"`).
    if o.recursive && !o.subscribed && !o.special_use {
        return Err("RECURSIVEMATCH needs the SUBSCRIBED or SPECIAL-USE selection option");
    }
    // RFC 5258 §3.1: the SUBSCRIBED selection option implies the SUBSCRIBED return option.
    o.return_subscribed = o.subscribed;
    for option in returns {
        match option {
            ListReturnOption::Subscribed => o.return_subscribed = true,
            // Sent anyway, see the module comment.
            ListReturnOption::Children | ListReturnOption::SpecialUse => {}
            // Several STATUS options are merged, each item once, in the order first asked.
            ListReturnOption::Status(items) => {
                let all = o.status.get_or_insert_with(Vec::new);
                for item in items.as_ref() {
                    if !all.contains(item) {
                        all.push(item.clone());
                    }
                }
            }
        }
    }
    Ok(o)
}

/// One `* LIST` line to send.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    name: String,
    /// Attribute names without the backslash.
    attributes: Vec<&'static str>,
    /// The base selection options a descendant satisfies (CHILDINFO, RFC 5258 §3.5).
    child_info: Vec<&'static str>,
    /// The store id when a `* STATUS` follows (RFC 5819: selectable mailboxes only).
    status_of: Option<i64>,
}

/// The names to list, in order, with their attributes. `patterns` already carry the reference.
fn select(entries: &BTreeMap<String, Entry>, patterns: &[String], o: &Options) -> Vec<Listed> {
    // RFC 5258 §3.1: with SUBSCRIBED, exactly the subscribed names; SPECIAL-USE: those with a
    // special use (RFC 6154 §3). Both: both. Neither: every name, as in RFC 3501.
    let satisfies =
        |e: &Entry| (!o.subscribed || e.subscribed) && (!o.special_use || e.special.is_some());
    let mut out = Vec::new();
    for (name, entry) in entries {
        // A subscription kept after its mailbox was deleted is only a subscription: only the
        // SUBSCRIBED selection shows it (RFC 5258 §3.1, `\NonExistent`).
        if (entry.kept && !o.subscribed) || !patterns.iter().any(|p| names::matches(p, name)) {
            continue;
        }
        let prefix = format!("{name}{DELIMITER}");
        let mut descendants = entries
            .range(prefix.clone()..)
            .take_while(|(n, _)| n.starts_with(&prefix));
        let has_children = super::list::has_children(entries, name);
        // RFC 5258 §3 (`\NonExistent`, condition 2) and §3.5: a parent is returned for its
        // children only when a descendant satisfies the selection *and does not match the
        // pattern* — one that matches is listed itself, and says enough.
        let child_matches = o.recursive
            && descendants
                .any(|(n, e)| satisfies(e) && !patterns.iter().any(|p| names::matches(p, n)));
        if !satisfies(entry) && !child_matches {
            continue;
        }
        let mut attributes = Vec::new();
        if !entry.selectable {
            // RFC 5258 §3.4 / RFC 9051 §7.3.1: a name that is not a mailbox is \NonExistent
            // (which implies \Noselect) in the extended LIST; RFC 3501 clients get \Noselect.
            attributes.push(if o.selecting {
                "NonExistent"
            } else {
                "Noselect"
            });
        }
        attributes.push(if has_children {
            "HasChildren"
        } else {
            "HasNoChildren"
        });
        if let Some(special) = entry.special {
            attributes.push(special.trim_start_matches('\\'));
        }
        if o.return_subscribed && entry.subscribed {
            attributes.push("Subscribed");
        }
        let mut child_info = Vec::new();
        if child_matches {
            if o.subscribed {
                child_info.push("SUBSCRIBED");
            }
            if o.special_use {
                child_info.push("SPECIAL-USE");
            }
        }
        out.push(Listed {
            name: name.clone(),
            attributes,
            child_info,
            status_of: entry.id.filter(|_| o.status.is_some() && entry.selectable),
        });
    }
    out
}

fn attribute(name: &'static str) -> Option<FlagNameAttribute<'static>> {
    if name == "Noselect" {
        Some(FlagNameAttribute::Noselect)
    } else {
        attr(name)
    }
}

fn child_info(options: &[&'static str]) -> Option<MboxListExtendedItem<'static>> {
    let opts: Vec<ListSelectBaseOpt<'static>> = options
        .iter()
        .filter_map(|o| match *o {
            "SUBSCRIBED" => Some(ListSelectBaseOpt::Subscribed),
            other => Atom::try_from(other)
                .ok()
                .and_then(|a| ListSelectBaseOptExtensionTag::try_from(a).ok())
                .map(|tag| {
                    ListSelectBaseOpt::Extension(ListSelectBaseOptExtension { tag, value: None })
                }),
        })
        .collect();
    Vec1::try_from(opts)
        .ok()
        .map(MboxListExtendedItem::ChildInfo)
}

impl Session {
    pub(crate) async fn handle_list_extended(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        request: ListRequest,
    ) -> Result<Flow, SessionError> {
        let o = match options(&request.selection, &request.returns) {
            Ok(o) => o,
            Err(why) => {
                conn.status(respond::bad(&tag, why));
                return Ok(Flow::Continue);
            }
        };
        let reference = names::decode(&request.reference, self.rev2);
        let patterns: Result<Vec<String>, _> = request
            .patterns
            .iter()
            .map(|p| names::decode_pattern(p, self.rev2))
            .collect();
        let (Ok(reference), Ok(patterns)) = (reference, patterns) else {
            conn.status(respond::bad(&tag, "Invalid mailbox name or pattern"));
            return Ok(Flow::Continue);
        };
        let delimiter = QuotedChar::try_from(DELIMITER).ok();
        if patterns.iter().all(String::is_empty) {
            // RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root.
            if let Ok(root) = Mailbox::try_from("") {
                conn.data(Data::List {
                    items: vec![FlagNameAttribute::Noselect],
                    delimiter,
                    mailbox: root,
                    extended_items: Vec::new(),
                });
            }
            conn.status(respond::ok(&tag, None, "LIST completed"));
            return Ok(Flow::Continue);
        }
        let full: Vec<String> = patterns
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| format!("{reference}{p}"))
            .collect();
        let entries = self.all_names().await?;
        let login = self.login().to_string();
        for listed in select(&entries, &full, &o) {
            let Some(mailbox) = names::encode(&listed.name, self.rev2) else {
                continue;
            };
            conn.data(Data::List {
                items: listed
                    .attributes
                    .iter()
                    .filter_map(|a| attribute(a))
                    .collect(),
                delimiter,
                mailbox: mailbox.clone(),
                extended_items: child_info(&listed.child_info).into_iter().collect(),
            });
            // RFC 5819 §2: the STATUS of a listed selectable mailbox follows its LIST line.
            if let (Some(id), Some(items)) = (listed.status_of, o.status.as_ref()) {
                let with_counts = async {
                    let st = self.shared.db.mailbox_status(id, &login).await?;
                    let extra = if needs_counts(items) {
                        Some(counts(&self.shared.db, id, &login).await?)
                    } else {
                        None
                    };
                    Ok::<_, store::StoreError>((st, extra))
                };
                match with_counts.await {
                    Ok((st, extra)) => conn.data(Data::Status {
                        mailbox,
                        items: Cow::Owned(status_items(&st, extra, items)),
                    }),
                    // Deleted by another session meanwhile: nothing to report.
                    Err(store::StoreError::MailboxNotFound(_)) => {
                        tracing::debug!(mailbox_id = id, "LIST-STATUS: mailbox gone");
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            conn.throttle().await?;
        }
        self.finish(conn, &tag, true, None, "LIST completed").await
    }
}

#[cfg(test)]
#[path = "list_extended_tests.rs"]
mod tests;
