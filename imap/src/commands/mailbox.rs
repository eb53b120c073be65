//! CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 9051 §6.3.4-6.3.8).

use imap_next::imap_types::core::Tag;
use imap_next::imap_types::mailbox::Mailbox;

use super::store_refusal;
use crate::names::Location;
use crate::respond;
use crate::session::{Conn, Flow, Session, SessionError};

impl Session {
    pub(crate) async fn handle_create(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        mailbox: Mailbox<'static>,
    ) -> Result<Flow, SessionError> {
        let Some(loc) = self.locate(conn, &tag, &mailbox) else {
            return Ok(Flow::Continue);
        };
        // RFC 9051 §6.3.4: creating INBOX is an error.
        if loc.name.eq_ignore_ascii_case("INBOX") {
            conn.status(respond::no(
                &tag,
                Some(respond::code("ALREADYEXISTS")),
                "INBOX always exists",
            ));
            return Ok(Flow::Continue);
        }
        if let Err(e) = self.make_superiors(&loc).await {
            return store_refusal(conn, &tag, e);
        }
        match self
            .shared
            .db
            .create_mailbox(&loc.account, &loc.name, None)
            .await
        {
            Ok(_) => {
                self.finish(conn, &tag, true, None, "CREATE completed")
                    .await
            }
            Err(e) => store_refusal(conn, &tag, e),
        }
    }

    pub(crate) async fn handle_delete(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        mailbox: Mailbox<'static>,
    ) -> Result<Flow, SessionError> {
        let Some(loc) = self.locate(conn, &tag, &mailbox) else {
            return Ok(Flow::Continue);
        };
        // Deleting the selected mailbox: the session is left without one, as after CLOSE.
        if let Some(sel) = &self.selected
            && let Ok(Some(mb)) = self.shared.db.find_mailbox(&loc.account, &loc.name).await
            && mb.id == sel.mailbox_id
        {
            self.selected = None;
        }
        match self.shared.db.delete_mailbox(&loc.account, &loc.name).await {
            Ok(()) => {
                self.finish(conn, &tag, true, None, "DELETE completed")
                    .await
            }
            Err(e) => store_refusal(conn, &tag, e),
        }
    }

    pub(crate) async fn handle_rename(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        from: Mailbox<'static>,
        to: Mailbox<'static>,
    ) -> Result<Flow, SessionError> {
        let Some(old) = self.locate(conn, &tag, &from) else {
            return Ok(Flow::Continue);
        };
        let Some(new) = self.locate(conn, &tag, &to) else {
            return Ok(Flow::Continue);
        };
        if old.account != new.account {
            conn.status(respond::no(
                &tag,
                Some(respond::code("CANNOT")),
                "Cannot move a mailbox to another namespace",
            ));
            return Ok(Flow::Continue);
        }
        if self
            .shared
            .db
            .find_mailbox(&old.account, &old.name)
            .await?
            .is_some()
            && let Err(e) = self.make_superiors(&new).await
        {
            return store_refusal(conn, &tag, e);
        }
        match self
            .shared
            .db
            .rename_mailbox(&old.account, &old.name, &new.name)
            .await
        {
            Ok(()) => {
                self.finish(conn, &tag, true, None, "RENAME completed")
                    .await
            }
            Err(e) => store_refusal(conn, &tag, e),
        }
    }

    pub(crate) async fn handle_subscribe(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        mailbox: Mailbox<'static>,
        subscribe: bool,
    ) -> Result<Flow, SessionError> {
        let Some(loc) = self.locate(conn, &tag, &mailbox) else {
            return Ok(Flow::Continue);
        };
        let text = if subscribe {
            "SUBSCRIBE completed"
        } else {
            "UNSUBSCRIBE completed"
        };
        let done = if loc.account == self.login() {
            self.shared
                .db
                .set_subscribed(&loc.account, &loc.name, subscribe)
                .await
        } else {
            // A member of an ORG mailbox (un)subscribes for themselves only.
            match self.shared.db.find_mailbox(&loc.account, &loc.name).await? {
                Some(mb) => {
                    self.shared
                        .db
                        .set_user_subscription(self.login(), mb.id, subscribe)
                        .await
                }
                None => Err(::store::StoreError::MailboxNotFound(loc.name.clone())),
            }
        };
        match done {
            Ok(()) => self.finish(conn, &tag, true, None, text).await,
            Err(e) => store_refusal(conn, &tag, e),
        }
    }
}

impl Session {
    /// RFC 3501 §6.3.3 / RFC 9051 §6.3.4 (CREATE) and §6.3.5 (RENAME): making "foo/bar/zap"
    /// SHOULD also create "foo" and "foo/bar" when they do not exist, so that they are real,
    /// selectable mailboxes rather than \Noselect placeholders.
    async fn make_superiors(&self, loc: &Location) -> Result<(), ::store::StoreError> {
        for parent in superiors(&loc.name) {
            if parent.eq_ignore_ascii_case("INBOX")
                || self
                    .shared
                    .db
                    .find_mailbox(&loc.account, parent)
                    .await?
                    .is_some()
            {
                continue;
            }
            match self
                .shared
                .db
                .create_mailbox(&loc.account, parent, None)
                .await
            {
                // Created meanwhile by another session: just as good.
                Ok(_) | Err(::store::StoreError::MailboxExists(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// The superior names of a mailbox name, outermost first: `a/b/c` gives `a`, `a/b`. Empty
/// levels (a trailing separator, RFC 3501 §6.3.3) are not names of their own.
fn superiors(name: &str) -> Vec<&str> {
    let name = name.trim_end_matches(crate::names::DELIMITER);
    name.char_indices()
        .filter(|&(i, c)| c == crate::names::DELIMITER && i > 0)
        .map(|(i, _)| &name[..i])
        .filter(|p| !p.ends_with(crate::names::DELIMITER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::superiors;

    #[test]
    fn superiors_of_a_nested_name() {
        assert_eq!(superiors("a/b/c"), vec!["a", "a/b"]);
        assert_eq!(superiors("a/b/c/"), vec!["a", "a/b"]);
        assert_eq!(superiors("top"), Vec::<&str>::new());
        assert_eq!(superiors("INBOX/x"), vec!["INBOX"]);
    }
}
