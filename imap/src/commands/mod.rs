//! Dispatch of a parsed command to its `handle_<command>` method, with the state rules of
//! RFC 9051 §3: a command not valid in the current state gets `BAD` and changes nothing.

pub(crate) mod any_state;
mod append;
mod auth;
mod condstore;
mod copy_move;
mod enable;
mod esearch;
mod expunge;
mod fetch;
mod idle;
mod list;
mod list_extended;
mod mailbox;
mod search;
mod searchres;
mod select;
mod status;
mod store;

use imap_next::imap_types::command::{Command, CommandBody};
use imap_next::imap_types::core::Tag;

use crate::names::{self, Location, NameError};
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

impl Session {
    pub(crate) async fn dispatch(
        &mut self,
        conn: &mut Conn,
        command: Command<'static>,
    ) -> Result<Flow, SessionError> {
        let tag = command.tag;
        let body = command.body;
        self.enable_condstore_by(conn, &body);
        // Any state (RFC 9051 §6.1).
        match body {
            CommandBody::Capability => return self.handle_capability(conn, tag),
            CommandBody::Noop | CommandBody::Check => return self.handle_noop(conn, tag).await,
            CommandBody::Logout => return self.handle_logout(conn, tag),
            CommandBody::Id { .. } => return self.handle_id(conn, tag),
            CommandBody::StartTLS => {
                conn.status(respond::bad(&tag, "TLS is already active"));
                return Ok(Flow::Continue);
            }
            _ => {}
        }
        if self.principal.is_none() {
            return match body {
                CommandBody::Login { username, password } => {
                    self.handle_login(conn, tag, username, password).await
                }
                other => {
                    conn.status(respond::bad(
                        &tag,
                        format!("{} needs a login first", other.name()),
                    ));
                    Ok(Flow::Continue)
                }
            };
        }
        // Authenticated state (RFC 9051 §6.3).
        match body {
            CommandBody::Login { .. } => {
                conn.status(respond::bad(&tag, "Already logged in"));
                Ok(Flow::Continue)
            }
            CommandBody::Enable { capabilities } => self.handle_enable(conn, tag, capabilities),
            CommandBody::Namespace => self.handle_namespace(conn, tag),
            CommandBody::Select {
                mailbox,
                parameters,
            } => {
                self.handle_select(conn, tag, mailbox, parameters, false)
                    .await
            }
            CommandBody::Examine {
                mailbox,
                parameters,
            } => {
                self.handle_select(conn, tag, mailbox, parameters, true)
                    .await
            }
            CommandBody::Create { mailbox } => self.handle_create(conn, tag, mailbox).await,
            CommandBody::Delete { mailbox } => self.handle_delete(conn, tag, mailbox).await,
            CommandBody::Rename { from, to } => self.handle_rename(conn, tag, from, to).await,
            CommandBody::Subscribe { mailbox } => {
                self.handle_subscribe(conn, tag, mailbox, true).await
            }
            CommandBody::Unsubscribe { mailbox } => {
                self.handle_subscribe(conn, tag, mailbox, false).await
            }
            CommandBody::List {
                reference,
                mailbox_wildcard,
                selection_options,
                more_patterns,
                return_options,
            } => {
                let mut patterns = vec![mailbox_wildcard];
                patterns.extend(more_patterns);
                let request = list_extended::ListRequest {
                    reference,
                    patterns,
                    selection: selection_options,
                    returns: return_options,
                };
                self.handle_list_extended(conn, tag, request).await
            }
            CommandBody::Lsub {
                reference,
                mailbox_wildcard,
            } => {
                self.handle_list(conn, tag, reference, mailbox_wildcard, true)
                    .await
            }
            CommandBody::Status {
                mailbox,
                item_names,
            } => self.handle_status(conn, tag, mailbox, item_names).await,
            CommandBody::Append {
                mailbox,
                flags,
                date,
                message,
            } => {
                self.handle_append(conn, tag, mailbox, flags, date, message)
                    .await
            }
            other if self.selected.is_none() => {
                conn.status(respond::bad(
                    &tag,
                    format!("{} needs a selected mailbox", other.name()),
                ));
                Ok(Flow::Continue)
            }
            // Selected state (RFC 9051 §6.4).
            CommandBody::Close => self.handle_close(conn, tag).await,
            CommandBody::Unselect => self.handle_unselect(conn, tag),
            CommandBody::Expunge => self.handle_expunge(conn, tag, None).await,
            CommandBody::ExpungeUid { sequence_set } => {
                self.handle_expunge(conn, tag, Some(sequence_set)).await
            }
            CommandBody::Search {
                charset,
                criteria,
                uid,
                return_options,
            } => {
                self.handle_search(conn, tag, charset, criteria, uid, return_options)
                    .await
            }
            CommandBody::Sort {
                sort_criteria,
                charset,
                search_criteria,
                uid,
            } => {
                self.handle_sort(conn, tag, sort_criteria, charset, search_criteria, uid)
                    .await
            }
            CommandBody::Thread {
                algorithm,
                charset,
                search_criteria,
                uid,
            } => {
                self.handle_thread(conn, tag, algorithm, charset, search_criteria, uid)
                    .await
            }
            CommandBody::Fetch {
                sequence_set,
                macro_or_item_names,
                uid,
                modifiers,
            } => {
                self.handle_fetch(conn, tag, sequence_set, macro_or_item_names, uid, modifiers)
                    .await
            }
            CommandBody::Store {
                sequence_set,
                kind,
                response,
                flags,
                uid,
                modifiers,
            } => {
                let args = store::StoreArgs {
                    set: sequence_set,
                    kind,
                    response,
                    flags,
                    uid,
                    modifiers,
                };
                self.handle_store(conn, tag, args).await
            }
            CommandBody::Copy {
                sequence_set,
                mailbox,
                uid,
            } => {
                self.handle_copy_move(conn, tag, sequence_set, mailbox, uid, false)
                    .await
            }
            CommandBody::Move {
                sequence_set,
                mailbox,
                uid,
            } => {
                self.handle_copy_move(conn, tag, sequence_set, mailbox, uid, true)
                    .await
            }
            other => {
                conn.status(respond::bad(
                    &tag,
                    format!("{} is not supported", other.name()),
                ));
                Ok(Flow::Continue)
            }
        }
    }

    /// The store location of a mailbox argument, or a tagged `NO` already sent.
    pub(crate) fn locate(
        &self,
        conn: &mut Conn,
        tag: &Tag<'static>,
        mailbox: &imap_next::imap_types::mailbox::Mailbox<'_>,
    ) -> Option<Location> {
        let found = names::decode(mailbox, self.rev2)
            .and_then(|name| names::locate(self.login(), &self.orgs, &name));
        match found {
            Ok(loc) => Some(loc),
            Err(NameError::Invalid) => {
                conn.status(respond::no(
                    tag,
                    Some(respond::code("CANNOT")),
                    "Invalid mailbox name",
                ));
                None
            }
            Err(NameError::NoAccess) => {
                conn.status(respond::no(
                    tag,
                    Some(respond::code("NONEXISTENT")),
                    "No such mailbox",
                ));
                None
            }
        }
    }

    /// Tagged OK after reporting other sessions' changes (RFC 9051 §7: untagged responses may
    /// accompany any command; expunges not during FETCH/STORE/SEARCH).
    pub(crate) async fn finish(
        &mut self,
        conn: &mut Conn,
        tag: &Tag<'static>,
        allow_expunge: bool,
        code: Option<imap_next::imap_types::response::Code<'static>>,
        text: &str,
    ) -> Result<Flow, SessionError> {
        self.sync(conn, allow_expunge).await?;
        conn.status(respond::ok(tag, code, text));
        Ok(Flow::Continue)
    }
}

/// The common reply to a store error that the user caused (name taken, missing…).
pub(crate) fn store_refusal(
    conn: &mut Conn,
    tag: &Tag<'static>,
    e: ::store::StoreError,
) -> Result<Flow, SessionError> {
    match e {
        ::store::StoreError::MailboxNotFound(_) => conn.status(respond::no(
            tag,
            Some(respond::code("NONEXISTENT")),
            "No such mailbox",
        )),
        ::store::StoreError::MailboxExists(_) => conn.status(respond::no(
            tag,
            Some(respond::code("ALREADYEXISTS")),
            "Mailbox already exists",
        )),
        ::store::StoreError::Invalid(why) => {
            conn.status(respond::no(tag, Some(respond::code("CANNOT")), why))
        }
        other => return Err(other.into()),
    }
    Ok(Flow::Continue)
}
