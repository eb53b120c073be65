//! LOGIN and AUTHENTICATE PLAIN / EXTERNAL (RFC 9051 §6.2; RFC 4616; RFC 4422 appendix A), with
//! failed-attempt limits: BYE after `max_auth_failures` in a session, and an address that failed
//! ten times that many within ten minutes is refused outright.

use std::borrow::Cow;

use directory::principal::{self, Principal};
use imap_next::imap_types::auth::{AuthMechanism, AuthenticateData};
use imap_next::imap_types::core::{AString, Tag};
use imap_next::imap_types::response::{Code, CommandContinuationRequest, Status};
use imap_next::imap_types::secret::Secret;
use imap_next::types::CommandAuthenticate;
use tracing::info;

use crate::capabilities;
use crate::respond;
use crate::session::{AuthInProgress, Conn, Flow, Session, SessionError};

/// How the final status of a login goes out: AUTHENTICATE must end through imap-next's
/// `authenticate_finish`, LOGIN is an ordinary tagged status.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    Login,
    Authenticate,
}

impl Session {
    pub(crate) async fn handle_login(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        username: AString<'static>,
        password: Secret<AString<'static>>,
    ) -> Result<Flow, SessionError> {
        let user = String::from_utf8_lossy(username.as_ref()).into_owned();
        let password = String::from_utf8_lossy(password.declassify().as_ref()).into_owned();
        let found = self.check_password(&user, &password).await?;
        self.login_result(conn, tag, found, Via::Login).await
    }

    pub(crate) async fn handle_authenticate(
        &mut self,
        conn: &mut Conn,
        command: CommandAuthenticate,
    ) -> Result<Flow, SessionError> {
        let CommandAuthenticate {
            tag,
            mechanism,
            initial_response,
        } = command;
        let external = match &mechanism {
            AuthMechanism::Plain => false,
            other if other.as_ref().eq_ignore_ascii_case("EXTERNAL") => true,
            _ => {
                let status =
                    respond::no(&tag, None, "Mechanism not supported: use PLAIN or EXTERNAL");
                finish(conn, status);
                return Ok(Flow::Continue);
            }
        };
        if self.principal.is_some() {
            finish(conn, respond::bad(&tag, "Already logged in"));
            return Ok(Flow::Continue);
        }
        match initial_response {
            // SASL-IR (RFC 4959): the whole exchange in one line.
            Some(ir) => self.authenticate_with(conn, tag, external, ir).await,
            None => {
                self.auth = Some(AuthInProgress { tag, external });
                // An empty challenge (RFC 4422 §5: "+ " then the client's response).
                let empty: &'static [u8] = b"";
                if conn
                    .server
                    .authenticate_continue(CommandContinuationRequest::base64(empty))
                    .is_ok()
                {
                    conn.enqueued();
                }
                Ok(Flow::Continue)
            }
        }
    }

    pub(crate) async fn handle_authenticate_data(
        &mut self,
        conn: &mut Conn,
        data: AuthenticateData<'static>,
    ) -> Result<Flow, SessionError> {
        let Some(AuthInProgress { tag, external }) = self.auth.take() else {
            return Ok(Flow::Continue);
        };
        match data {
            AuthenticateData::Cancel => {
                // RFC 9051 §6.2.2: a cancelled exchange gets BAD.
                finish(conn, respond::bad(&tag, "AUTHENTICATE cancelled"));
                Ok(Flow::Continue)
            }
            AuthenticateData::Continue(bytes) => {
                self.authenticate_with(conn, tag, external, bytes).await
            }
        }
    }

    async fn authenticate_with(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        external: bool,
        response: Secret<Cow<'static, [u8]>>,
    ) -> Result<Flow, SessionError> {
        let bytes = response.declassify();
        let found = if external {
            self.check_certificate(&String::from_utf8_lossy(bytes))
                .await?
        } else {
            // PLAIN: authzid NUL authcid NUL passwd (RFC 4616 §2).
            let parts: Vec<&[u8]> = bytes.split(|b| *b == 0).collect();
            match parts.as_slice() {
                [authz, user, password] => {
                    let user = String::from_utf8_lossy(user).into_owned();
                    let authz = String::from_utf8_lossy(authz);
                    if !authz.is_empty() && !authz.eq_ignore_ascii_case(&user) {
                        None
                    } else {
                        let password = String::from_utf8_lossy(password).into_owned();
                        self.check_password(&user, &password).await?
                    }
                }
                _ => None,
            }
        };
        self.login_result(conn, tag, found, Via::Authenticate).await
    }

    async fn check_password(
        &self,
        user: &str,
        password: &str,
    ) -> Result<Option<Principal>, SessionError> {
        let budget = self.shared.settings.max_auth_failures.saturating_mul(10);
        if self.shared.limits.blocked(self.peer.ip(), budget) {
            info!("login refused: too many failures from this address");
            return Ok(None);
        }
        let s = &self.shared;
        Ok(principal::authenticate_password(&s.db, user, password, &s.local_domains).await?)
    }

    /// EXTERNAL: the login is the verified certificate's e-mail (or the requested one of them).
    async fn check_certificate(&self, authz: &str) -> Result<Option<Principal>, SessionError> {
        let Some(identity) = &self.identity else {
            return Ok(None);
        };
        let Some(login) = principal::login_from_certificate(&identity.emails, authz) else {
            return Ok(None);
        };
        let s = &self.shared;
        Ok(principal::principal_for(&s.db, &login, &s.local_domains).await?)
    }

    async fn login_result(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        found: Option<Principal>,
        via: Via,
    ) -> Result<Flow, SessionError> {
        let send = |conn: &mut Conn, status: Status<'static>| match via {
            Via::Login => conn.status(status),
            Via::Authenticate => finish(conn, status),
        };
        let Some(principal) = found else {
            self.auth_failures += 1;
            self.shared.limits.record_failure(self.peer.ip());
            info!(failures = self.auth_failures, "login failed");
            send(
                conn,
                respond::no(
                    &tag,
                    Some(respond::code("AUTHENTICATIONFAILED")),
                    "Authentication failed",
                ),
            );
            if self.auth_failures >= self.shared.settings.max_auth_failures {
                conn.status(respond::bye("Too many failed logins"));
                return Ok(Flow::Close);
            }
            return Ok(Flow::Continue);
        };
        self.start_authenticated(principal).await?;
        let caps = capabilities::over_tls(true, self.shared.settings.append_limit);
        send(
            conn,
            respond::ok(&tag, Some(Code::Capability(caps)), "Logged in"),
        );
        Ok(Flow::Continue)
    }

    /// Default folders for the user, and the ORG mailboxes they belong to made shared (per-user
    /// `\Seen`) with their folders, so they appear under `Shared/`.
    async fn start_authenticated(&mut self, principal: Principal) -> Result<(), SessionError> {
        let db = &self.shared.db;
        db.ensure_default_mailboxes(&principal.login).await?;
        let mut orgs = Vec::new();
        for org in principal
            .may_send_as
            .iter()
            .filter(|a| **a != principal.login)
        {
            let boxes = db.list_mailboxes(org).await?;
            if boxes.len() < store::mailbox::DEFAULTS.len() || boxes.iter().any(|m| !m.shared) {
                db.set_account_shared(org, true).await?;
                db.ensure_default_mailboxes(org).await?;
            }
            orgs.push(org.to_lowercase());
        }
        info!(login = %principal.login, orgs = orgs.len(), "logged in");
        self.orgs = orgs;
        self.principal = Some(principal);
        Ok(())
    }
}

/// Ends an AUTHENTICATE exchange (imap-next only leaves its SASL state this way).
fn finish(conn: &mut Conn, status: Status<'static>) {
    match conn.server.authenticate_finish(status) {
        Ok(_) => conn.enqueued(),
        Err(status) => conn.status(status),
    }
}
