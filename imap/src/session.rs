//! One IMAP connection after TLS: the imap-next event loop, state, timeouts and protocol errors.
//! Commands are `handle_<command>` methods in `commands/<group>.rs`.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;

use certs::identity::PeerIdentity;
use directory::principal::Principal;
use imap_next::imap_types::core::Tag;
use imap_next::imap_types::response::{Data, Status};
use imap_next::server::{Event, Server};
use imap_next::stream::Stream;
use tracing::{debug, info, warn};

use crate::ImapShared;
use crate::respond;
use crate::selected::Selected;

pub type StreamError = imap_next::stream::Error<imap_next::server::Error>;

/// Responses queued before the session waits for them to be written: a FETCH of a whole
/// mailbox must not be encoded in memory at once (duesee/imap-next#292).
const MAX_IN_FLIGHT: usize = 16;

/// How long an IDLE session keeps its mailbox's rows (`selected/rows.rs`): a client's short
/// IDLE between two polls keeps them, a session that really idles gives them back (an idle
/// session must hold little, docs/imap-plan.md §6) and reads them again after DONE.
const ROWS_KEPT_IDLING: std::time::Duration = std::time::Duration::from_secs(2);

/// The imap-next state machine and its stream, with the events that arrived while we were only
/// waiting for our responses to be written.
pub struct Conn {
    pub(crate) stream: Stream,
    pub(crate) server: Server,
    pending: VecDeque<Event>,
    in_flight: usize,
}

impl Conn {
    pub fn new(stream: Stream, server: Server) -> Conn {
        Conn {
            stream,
            server,
            pending: VecDeque::new(),
            in_flight: 0,
        }
    }

    pub fn data(&mut self, data: Data<'static>) {
        self.server.enqueue_data(data);
        self.in_flight += 1;
    }

    pub fn status(&mut self, status: Status<'static>) {
        self.server.enqueue_status(status);
        self.in_flight += 1;
    }

    /// Counts a response enqueued through another imap-next call (AUTHENTICATE, IDLE).
    pub(crate) fn enqueued(&mut self) {
        self.in_flight += 1;
    }

    /// The next event that is not the completion of one of our writes.
    pub async fn next_event(&mut self) -> Result<Event, StreamError> {
        if let Some(ev) = self.pending.pop_front() {
            return Ok(ev);
        }
        loop {
            match self.stream.next(&mut self.server).await? {
                Event::ResponseSent { .. } => self.in_flight = self.in_flight.saturating_sub(1),
                Event::GreetingSent { .. } => {}
                other => return Ok(other),
            }
        }
    }

    /// Waits until at most `max` responses are still queued; commands that arrive meanwhile
    /// (pipelining, RFC 9051 §5.5) are kept for later.
    pub async fn drain_to(&mut self, max: usize) -> Result<(), StreamError> {
        while self.in_flight > max {
            match self.stream.next(&mut self.server).await? {
                Event::ResponseSent { .. } => self.in_flight = self.in_flight.saturating_sub(1),
                Event::GreetingSent { .. } => {}
                other => self.pending.push_back(other),
            }
        }
        Ok(())
    }

    /// Backpressure for long responses.
    pub async fn throttle(&mut self) -> Result<(), StreamError> {
        self.drain_to(MAX_IN_FLIGHT).await
    }
}

/// What the loop does after a command.
pub enum Flow {
    Continue,
    Close,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("connection: {0}")]
    Stream(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Directory(#[from] directory::DirectoryError),
    #[error("{0}")]
    Internal(String),
    /// BYE already sent: end the session.
    #[error("session closed by the server")]
    Closed,
}

impl From<StreamError> for SessionError {
    fn from(e: StreamError) -> Self {
        SessionError::Stream(e.to_string())
    }
}

/// An AUTHENTICATE exchange waiting for the client's next line.
pub(crate) struct AuthInProgress {
    pub tag: Tag<'static>,
    pub external: bool,
}

pub struct Session {
    pub(crate) shared: Arc<ImapShared>,
    pub(crate) peer: SocketAddr,
    /// The verified client certificate, if one was presented.
    pub(crate) identity: Option<PeerIdentity>,
    pub(crate) principal: Option<Principal>,
    /// ORG accounts whose mailboxes this user may open (under `Shared/`).
    pub(crate) orgs: Vec<String>,
    pub(crate) selected: Option<Selected>,
    /// CONDSTORE enabled (RFC 7162 §3.1): MODSEQ in unsolicited FETCH responses.
    pub(crate) condstore: bool,
    /// QRESYNC enabled (RFC 7162 §3.2): VANISHED instead of EXPUNGE.
    pub(crate) qresync: bool,
    /// IMAP4rev2 enabled (RFC 9051 §6.3.1): ESEARCH answers, UTF-8 mailbox names, no \Recent.
    pub(crate) rev2: bool,
    pub(crate) auth: Option<AuthInProgress>,
    /// Tag of the IDLE command in progress.
    pub(crate) idle: Option<Tag<'static>>,
    pub(crate) auth_failures: u32,
    /// The command just wrote to the store: the next sync asks the store directly, so the
    /// client sees its own APPEND/COPY at once even before the hub has signalled.
    pub(crate) force_sync: bool,
    bad_in_row: u32,
}

impl Session {
    pub fn new(
        shared: Arc<ImapShared>,
        peer: SocketAddr,
        identity: Option<PeerIdentity>,
    ) -> Session {
        Session {
            shared,
            peer,
            identity,
            principal: None,
            orgs: Vec::new(),
            selected: None,
            condstore: false,
            qresync: false,
            rev2: false,
            auth: None,
            idle: None,
            auth_failures: 0,
            force_sync: false,
            bad_in_row: 0,
        }
    }

    /// The user's address (the viewer of per-user `\Seen`).
    pub(crate) fn login(&self) -> &str {
        self.principal
            .as_ref()
            .map(|p| p.login.as_str())
            .unwrap_or("")
    }

    /// Runs the connection until LOGOUT, a timeout, an error or the client leaving.
    pub async fn run(mut self, mut conn: Conn) {
        loop {
            let timeout = if self.principal.is_some() {
                self.shared.settings.idle_timeout
            } else {
                self.shared.settings.login_timeout
            };
            let watching = self.idle.is_some() && self.selected.is_some();
            let rows_kept = watching && self.selected.as_ref().is_some_and(|s| s.rows.is_some());
            let event = tokio::select! {
                ev = conn.next_event() => ev,
                _ = wait_change(&mut self.selected), if watching => {
                    // `changed()` has marked the value seen: ask the store unconditionally.
                    match self.sync_with(&mut conn, true, true).await {
                        Ok(()) => {}
                        Err(SessionError::Closed) => break,
                        Err(e) => {
                            warn!(error = %e, "IDLE update failed");
                            break;
                        }
                    }
                    continue;
                }
                _ = tokio::time::sleep(ROWS_KEPT_IDLING), if rows_kept => {
                    if let Some(s) = self.selected.as_mut() {
                        s.rows = None;
                    }
                    continue;
                }
                _ = tokio::time::sleep(timeout) => {
                    info!("autologout after inactivity");
                    conn.status(respond::bye("Autologout: inactive too long"));
                    break;
                }
            };
            let flow = match event {
                Ok(ev) => self.on_event(&mut conn, ev).await,
                Err(StreamError::State(e)) => self.on_protocol_error(&mut conn, e),
                Err(e) => {
                    debug!(error = %e, "connection closed");
                    return;
                }
            };
            match flow {
                Ok(Flow::Continue) => {}
                Ok(Flow::Close) | Err(SessionError::Closed) => break,
                Err(SessionError::Stream(e)) => {
                    debug!(error = %e, "connection closed");
                    return;
                }
                Err(e) => {
                    warn!(error = %e, "IMAP command failed");
                    break;
                }
            }
        }
        // Let BYE and the last tagged response reach the client before closing.
        let _ = conn.drain_to(0).await;
        let _ = conn.stream.flush().await;
    }

    async fn on_event(&mut self, conn: &mut Conn, ev: Event) -> Result<Flow, SessionError> {
        match ev {
            Event::CommandReceived { command } => {
                self.bad_in_row = 0;
                let tag = command.tag.clone();
                match self.dispatch(conn, command).await {
                    Err(SessionError::Store(e)) => {
                        warn!(error = %e, "store error");
                        conn.status(respond::no(
                            &tag,
                            Some(respond::code("SERVERBUG")),
                            "Internal error, try again later",
                        ));
                        Ok(Flow::Continue)
                    }
                    Err(SessionError::Directory(e)) => {
                        warn!(error = %e, "directory error");
                        conn.status(respond::no(
                            &tag,
                            Some(respond::code("UNAVAILABLE")),
                            "Directory unavailable, try again later",
                        ));
                        Ok(Flow::Continue)
                    }
                    other => other,
                }
            }
            Event::CommandAuthenticateReceived {
                command_authenticate,
            } => self.handle_authenticate(conn, command_authenticate).await,
            Event::AuthenticateDataReceived { authenticate_data } => {
                self.handle_authenticate_data(conn, authenticate_data).await
            }
            Event::IdleCommandReceived { tag } => self.handle_idle(conn, tag).await,
            Event::IdleDoneReceived => self.handle_idle_done(conn).await,
            Event::GreetingSent { .. } | Event::ResponseSent { .. } => Ok(Flow::Continue),
        }
    }

    /// Input imap-codec could not parse: `BAD` and go on, `BYE` after too many in a row.
    fn on_protocol_error(
        &mut self,
        conn: &mut Conn,
        e: imap_next::server::Error,
    ) -> Result<Flow, SessionError> {
        use imap_next::server::Error as E;
        let (bytes, what) = match &e {
            // imap-next has already answered `BAD` before reading any byte of the literal.
            E::LiteralTooLong { .. } => {
                info!("literal over APPENDLIMIT refused");
                return Ok(Flow::Continue);
            }
            E::MalformedMessage { discarded_bytes } => {
                (discarded_bytes.declassify().clone(), "Syntax error")
            }
            E::ExpectedCrlfGotLf { discarded_bytes } => (
                discarded_bytes.declassify().clone(),
                "Lines must end with CRLF",
            ),
            E::CommandTooLong { discarded_bytes } => {
                let tag = respond::tag_of(discarded_bytes.declassify());
                let msg = "Command too long";
                match tag {
                    Some(t) => conn.status(respond::bad(&t, msg)),
                    None => conn.status(respond::bad_untagged(msg)),
                }
                conn.status(respond::bye("Command too long, closing"));
                return Ok(Flow::Close);
            }
        };
        self.bad_in_row += 1;
        debug!(len = bytes.len(), "malformed command");
        match respond::tag_of(&bytes) {
            Some(t) => conn.status(respond::bad(&t, what)),
            None => conn.status(respond::bad_untagged(what)),
        }
        if self.bad_in_row >= self.shared.settings.max_bad_commands {
            conn.status(respond::bye("Too many errors, closing"));
            return Ok(Flow::Close);
        }
        Ok(Flow::Continue)
    }
}

/// Resolves when the selected mailbox changed, or never when there is none (or the hub is gone,
/// which does not happen while a receiver lives: the hub keeps senders that have receivers).
async fn wait_change(selected: &mut Option<Selected>) {
    if let Some(s) = selected
        && s.watch.changed().await.is_ok()
    {
        return;
    }
    std::future::pending().await
}
