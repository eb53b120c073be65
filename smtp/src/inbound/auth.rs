//! AUTH (RFC 4954): EXTERNAL (the TLS client certificate, RFC 4422 appendix A), PLAIN (RFC 4616)
//! and LOGIN, only under TLS and only on the submission listeners.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use smtp_proto::request::receiver::LineReceiver;
use smtp_proto::{AUTH_EXTERNAL, AUTH_LOGIN, AUTH_PLAIN};
use tracing::{info, warn};

use crate::reply::Reply;
use crate::session::Session;

/// Where a multi-step SASL exchange stands.
pub struct SaslState {
    line: LineReceiver<Step>,
}

#[derive(Clone)]
pub(crate) enum Step {
    PlainResponse,
    LoginUser,
    LoginPassword(String),
    ExternalResponse,
}

impl SaslState {
    fn new(step: Step) -> Self {
        SaslState {
            line: LineReceiver::new(step),
        }
    }

    /// Collects one client line; `None` until it is complete.
    pub(crate) fn ingest(
        &mut self,
        bytes: &mut std::slice::Iter<'_, u8>,
    ) -> Option<(Step, Vec<u8>)> {
        if self.line.ingest(bytes) {
            let line = std::mem::take(&mut self.line.buf);
            Some((self.line.state.clone(), line))
        } else {
            None
        }
    }
}

pub(crate) type AuthLine = (Step, Vec<u8>);

impl Session {
    pub(crate) async fn handle_auth(&mut self, mechanism: u64, initial: String) {
        if !self.kind().is_submission() {
            self.reply(Reply::new(
                503,
                [5, 5, 1],
                "AUTH is not offered on this port",
            ));
            return;
        }
        if self.tls.is_none() {
            self.reply(Reply::new(538, [5, 7, 11], "Encryption required for AUTH"));
            return;
        }
        if self.principal.is_some() {
            self.reply(Reply::bad_sequence("Already authenticated"));
            return;
        }
        if self.envelope.is_some() {
            self.reply(Reply::bad_sequence(
                "AUTH not allowed during a mail transaction",
            ));
            return;
        }
        match mechanism {
            AUTH_PLAIN if initial.is_empty() => {
                self.reply_raw(b"334 \r\n");
                self.expect_auth_line(SaslState::new(Step::PlainResponse));
            }
            AUTH_PLAIN => self.finish_plain(initial.as_bytes()).await,
            AUTH_LOGIN if initial.is_empty() => {
                self.reply_raw(b"334 VXNlcm5hbWU6\r\n");
                self.expect_auth_line(SaslState::new(Step::LoginUser));
            }
            AUTH_LOGIN => match decode(initial.as_bytes()) {
                Some(user) => {
                    self.reply_raw(b"334 UGFzc3dvcmQ6\r\n");
                    self.expect_auth_line(SaslState::new(Step::LoginPassword(user)));
                }
                None => self.reply(Reply::syntax("Invalid base64")),
            },
            AUTH_EXTERNAL if initial.is_empty() => {
                self.reply_raw(b"334 \r\n");
                self.expect_auth_line(SaslState::new(Step::ExternalResponse));
            }
            AUTH_EXTERNAL => self.finish_external(initial.as_bytes()).await,
            _ => self.reply(Reply::new(504, [5, 5, 4], "Mechanism not supported")),
        }
    }

    pub(crate) async fn continue_auth(&mut self, (step, line): AuthLine) {
        if line == b"*" {
            self.reply(Reply::new(501, [5, 0, 0], "Authentication cancelled"));
            return;
        }
        match step {
            Step::PlainResponse => self.finish_plain(&line).await,
            Step::ExternalResponse => self.finish_external(&line).await,
            Step::LoginUser => match decode(&line) {
                Some(user) => {
                    self.reply_raw(b"334 UGFzc3dvcmQ6\r\n");
                    self.expect_auth_line(SaslState::new(Step::LoginPassword(user)));
                }
                None => self.reply(Reply::syntax("Invalid base64")),
            },
            Step::LoginPassword(user) => match decode(&line) {
                Some(password) => self.check_password(&user, &password).await,
                None => self.reply(Reply::syntax("Invalid base64")),
            },
        }
    }

    async fn finish_plain(&mut self, response: &[u8]) {
        let Some(raw) = B64.decode(response.trim_ascii()).ok() else {
            self.reply(Reply::syntax("Invalid base64"));
            return;
        };
        // authzid NUL authcid NUL passwd (RFC 4616 §2)
        let mut parts = raw.split(|b| *b == 0);
        let (Some(authz), Some(authc), Some(pass), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            self.reply(Reply::syntax("Malformed PLAIN response"));
            return;
        };
        let (Ok(authz), Ok(authc), Ok(pass)) = (
            std::str::from_utf8(authz),
            std::str::from_utf8(authc),
            std::str::from_utf8(pass),
        ) else {
            self.reply(Reply::syntax("PLAIN response is not UTF-8"));
            return;
        };
        if !authz.is_empty() && !authz.eq_ignore_ascii_case(authc) {
            self.reply(Reply::new(
                535,
                [5, 7, 8],
                "Authorization identity must be the login",
            ));
            return;
        }
        let (authc, pass) = (authc.to_string(), pass.to_string());
        self.check_password(&authc, &pass).await;
    }

    async fn check_password(&mut self, user: &str, password: &str) {
        match self
            .shared
            .pipeline
            .authenticate_password(user, password)
            .await
        {
            Ok(Some(principal)) => {
                info!(peer = %self.peer, login = %principal.login, "AUTH password ok");
                self.principal = Some(principal);
                self.reply(Reply::new(235, [2, 7, 0], "Authentication succeeded"));
            }
            Ok(None) => self.auth_failed(user).await,
            Err(e) => {
                warn!(peer = %self.peer, error = %e, "AUTH backend error");
                self.reply(Reply::new(
                    454,
                    [4, 7, 0],
                    "Temporary authentication failure",
                ));
            }
        }
    }

    async fn finish_external(&mut self, response: &[u8]) {
        let authz = match response.trim_ascii() {
            b"" | b"=" => String::new(),
            other => match decode(other) {
                Some(s) => s,
                None => {
                    self.reply(Reply::syntax("Invalid base64"));
                    return;
                }
            },
        };
        let Some(identity) = self.tls.as_ref().and_then(|t| t.peer.clone()) else {
            self.reply(Reply::new(
                535,
                [5, 7, 8],
                "No client certificate was presented",
            ));
            return;
        };
        match self
            .shared
            .pipeline
            .principal_from_certificate(&identity, &authz)
            .await
        {
            Ok(Some(principal)) => {
                info!(peer = %self.peer, login = %principal.login, "AUTH EXTERNAL ok");
                self.principal = Some(principal);
                self.reply(Reply::new(235, [2, 7, 0], "Authentication succeeded"));
            }
            Ok(None) => self.auth_failed(&identity.subject_dn).await,
            Err(e) => {
                warn!(peer = %self.peer, error = %e, "AUTH backend error");
                self.reply(Reply::new(
                    454,
                    [4, 7, 0],
                    "Temporary authentication failure",
                ));
            }
        }
    }

    async fn auth_failed(&mut self, who: &str) {
        self.auth_failures += 1;
        warn!(peer = %self.peer, login = %who, failures = self.auth_failures, "AUTH failed");
        // Slow down guessing (a fixed delay keeps timing uniform between unknown user and bad password).
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        self.reply(Reply::new(
            535,
            [5, 7, 8],
            "Authentication credentials invalid",
        ));
        if self.auth_failures >= self.settings().max_auth_failures {
            self.errors = self.settings().max_errors;
        }
    }
}

fn decode(b64: &[u8]) -> Option<String> {
    let raw = B64.decode(b64.trim_ascii()).ok()?;
    String::from_utf8(raw).ok()
}
