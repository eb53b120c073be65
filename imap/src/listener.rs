//! Accept loop of one IMAP listener: port 993 speaks TLS from the first byte (RFC 8314), port 143
//! starts in plaintext and offers only STARTTLS (RFC 9051 §6.2.1, LOGINDISABLED). Per-IP slots,
//! one tracing span per connection.

use std::net::SocketAddr;
use std::sync::Arc;

use imap_next::imap_types::command::CommandBody;
use imap_next::imap_types::response::{Code, Data, Greeting};
use imap_next::server::{Event, Options, Server};
use imap_next::stream::Stream;
use tokio::net::{TcpListener, TcpStream};
use tracing::{Instrument, debug, info, info_span, warn};

use crate::ImapShared;
use crate::capabilities;
use crate::respond;
use crate::session::{Conn, Session};

/// What a listener is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerKind {
    /// Port 143: plaintext, STARTTLS required before anything else.
    StartTls,
    /// Port 993: implicit TLS.
    Tls,
}

impl ListenerKind {
    pub fn name(self) -> &'static str {
        match self {
            ListenerKind::StartTls => "imap",
            ListenerKind::Tls => "imaps",
        }
    }
}

/// Serves one bound listener until the task is dropped.
pub async fn serve(listener: TcpListener, shared: Arc<ImapShared>, kind: ListenerKind) {
    loop {
        let (socket, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = shared.clone();
        let slot = shared
            .limits
            .acquire(peer.ip(), shared.settings.max_connections_per_ip);
        let span = info_span!("imap", listener = kind.name(), peer = %peer);
        tokio::spawn(
            async move {
                let Some(_slot) = slot else {
                    refuse_busy(socket).await;
                    return;
                };
                let _ = socket.set_nodelay(true);
                let result = match kind {
                    ListenerKind::Tls => start_tls_session(socket, peer, shared).await,
                    ListenerKind::StartTls => plaintext_phase(socket, peer, shared).await,
                };
                if let Err(e) = result {
                    debug!(error = %e, "connection ended with an error");
                }
            }
            .instrument(span),
        );
    }
}

/// Box the session future: its size would otherwise be part of every connection task even
/// before TLS (memory per idle connection, docs/imap-plan.md §6).
async fn start_tls_session(
    socket: TcpStream,
    peer: SocketAddr,
    shared: Arc<ImapShared>,
) -> std::io::Result<()> {
    let mut tls = certs::tls::accept(&shared.tls, socket, &peer.to_string()).await?;
    // rustls caps its outgoing buffer at 64 KiB; imap-next writes a whole response at once, so
    // a large FETCH would fail with WriteZero (docs/imap-plan.md §0.2).
    tls.get_mut().1.set_buffer_limit(None);
    let identity = match certs::tls::peer_identity(tls.get_ref().1) {
        Ok(id) => id,
        Err(e) => {
            info!(error = %e, "client certificate unreadable, ignored");
            None
        }
    };
    let server = Server::new(options(&shared), greeting(&shared, false));
    let conn = Conn::new(Stream::tls(tokio_rustls::TlsStream::Server(tls)), server);
    let session = Session::new(shared, peer, identity);
    Box::pin(session.run(conn)).await;
    Ok(())
}

fn options(shared: &ImapShared) -> Options {
    let mut opts = Options::default();
    let limit = shared.settings.append_limit;
    opts.max_literal_size = limit;
    opts.max_command_size = limit.saturating_add(64 * 1024);
    opts.crlf_relaxed = false;
    // Continuation texts must not start with `[` nor look like base64 (imap-next checks).
    let _ = opts.set_literal_accept_text("ready for the literal data".to_string());
    let _ =
        opts.set_literal_reject_text(format!("literal larger than APPENDLIMIT {limit} refused"));
    opts
}

fn greeting(shared: &ImapShared, plaintext: bool) -> Greeting<'static> {
    let caps = if plaintext {
        capabilities::plaintext()
    } else {
        capabilities::over_tls(false, shared.settings.append_limit)
    };
    Greeting {
        kind: imap_next::imap_types::response::GreetingKind::Ok,
        code: Some(Code::Capability(caps)),
        text: respond::text("santemail IMAP ready"),
    }
}

async fn refuse_busy(socket: TcpStream) {
    info!("too many connections from this address");
    let mut stream = Stream::insecure(socket);
    let greeting = Greeting {
        kind: imap_next::imap_types::response::GreetingKind::Bye,
        code: None,
        text: respond::text("Too many connections from your address, try later"),
    };
    let mut server = Server::new(Options::default(), greeting);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Ok(ev) = stream.next(&mut server).await {
            if matches!(ev, Event::GreetingSent { .. }) {
                break;
            }
        }
    })
    .await;
}

/// Port 143 before TLS: CAPABILITY, NOOP, LOGOUT, ID and STARTTLS. LOGIN and AUTHENTICATE get
/// `NO [PRIVACYREQUIRED]` (RFC 9051 §6.2.3); literals are refused (limit 0), so nothing big is
/// read in the clear. After STARTTLS, bytes already sent by the client are dropped with the
/// plaintext state (the CVE-2011-0411 class of injection), and a fresh session starts over TLS.
async fn plaintext_phase(
    socket: TcpStream,
    peer: SocketAddr,
    shared: Arc<ImapShared>,
) -> std::io::Result<()> {
    let mut opts = Options::default();
    opts.max_literal_size = 0;
    opts.max_command_size = 8 * 1024;
    let _ = opts.set_literal_reject_text("no literal before STARTTLS".to_string());
    let mut server = Server::new(opts, greeting(&shared, true));
    let mut stream = Stream::insecure(socket);
    let mut errors = 0;
    // The last response before closing (BYE, or LOGOUT's tagged OK), and STARTTLS's OK.
    let mut close_after = None;
    let mut starttls = None;
    loop {
        let ev =
            tokio::time::timeout(shared.settings.login_timeout, stream.next(&mut server)).await;
        let ev = match ev {
            Err(_) => {
                if close_after.is_some() {
                    return Ok(()); // the client does not even read our BYE
                }
                close_after =
                    Some(server.enqueue_status(respond::bye("Autologout: inactive too long")));
                continue;
            }
            Ok(Ok(ev)) => ev,
            Ok(Err(imap_next::stream::Error::State(e))) => {
                errors += 1;
                debug!(error = %e, "malformed command before TLS");
                if errors >= shared.settings.max_bad_commands {
                    close_after = Some(server.enqueue_status(respond::bye("Too many errors")));
                } else if !matches!(e, imap_next::server::Error::LiteralTooLong { .. }) {
                    server.enqueue_status(respond::bad_untagged("Syntax error"));
                }
                continue;
            }
            Ok(Err(e)) => return Err(std::io::Error::other(e.to_string())),
        };
        match ev {
            Event::ResponseSent { handle, .. } => {
                if starttls == Some(handle) {
                    break;
                }
                if close_after == Some(handle) {
                    let _ = stream.flush().await;
                    return Ok(());
                }
            }
            Event::CommandReceived { command } => {
                let tag = command.tag;
                match command.body {
                    CommandBody::Capability => {
                        server.enqueue_data(Data::Capability(capabilities::plaintext()));
                        server.enqueue_status(respond::ok(&tag, None, "CAPABILITY completed"));
                    }
                    CommandBody::Noop => {
                        server.enqueue_status(respond::ok(&tag, None, "NOOP completed"));
                    }
                    CommandBody::Id { .. } => {
                        server.enqueue_data(crate::commands::any_state::id_data());
                        server.enqueue_status(respond::ok(&tag, None, "ID completed"));
                    }
                    CommandBody::Logout => {
                        server.enqueue_status(respond::bye("santemail logging out"));
                        close_after = Some(server.enqueue_status(respond::ok(
                            &tag,
                            None,
                            "LOGOUT completed",
                        )));
                    }
                    CommandBody::StartTLS => {
                        let h = server.enqueue_status(respond::ok(&tag, None, "Begin TLS now"));
                        starttls = Some(h);
                    }
                    CommandBody::Login { .. } => {
                        server.enqueue_status(respond::no(
                            &tag,
                            Some(respond::code("PRIVACYREQUIRED")),
                            "Use STARTTLS first",
                        ));
                    }
                    _ => {
                        server.enqueue_status(respond::bad(&tag, "Use STARTTLS first"));
                    }
                }
            }
            Event::CommandAuthenticateReceived {
                command_authenticate,
            } => {
                let _ = server.authenticate_finish(respond::no(
                    &command_authenticate.tag,
                    Some(respond::code("PRIVACYREQUIRED")),
                    "Use STARTTLS first",
                ));
            }
            Event::IdleCommandReceived { tag } => {
                let _ = server.idle_reject(respond::bad(&tag, "Use STARTTLS first"));
            }
            _ => {}
        }
    }
    let _ = stream.flush().await;
    let socket: TcpStream = stream.into();
    start_tls_session(socket, peer, shared).await
}
