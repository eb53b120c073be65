//! One SMTP connection: the byte loop, the state machine, and replies.
//!
//! Parsing is `smtp-proto`'s (the request, DATA dot-unstuffing and BDAT chunks); this file owns the
//! order of things. Replies are buffered and flushed when the input is drained, which is what
//! PIPELINING (RFC 2920) needs. Each command lives in `inbound/<command>.rs` as a
//! `handle_<command>` method.

use std::net::SocketAddr;
use std::sync::Arc;

use certs::identity::PeerIdentity;
use smtp_proto::Request;
use smtp_proto::request::receiver::{
    BdatReceiver, DataReceiver, DummyDataReceiver, RequestReceiver,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tracing::{debug, info};

use crate::pipeline::{Envelope, Pipeline, Principal};
use crate::reply::Reply;
use crate::settings::{ListenerKind, SmtpSettings};

/// What the connection loop does after a command.
pub enum Next {
    Continue,
    /// Reply sent; switch the stream to TLS, discarding buffered input (RFC 3207 §4.2).
    StartTls,
    Close,
}

/// Where incoming bytes go.
enum Receiving {
    Commands,
    Data(DataReceiver),
    Bdat(BdatReceiver),
    /// Over the size limit or refused: read and drop the rest of the body, then reply.
    Discard(DummyDataReceiver, Reply),
    /// Base64 lines of a SASL exchange (AUTH LOGIN / PLAIN without initial response).
    AuthLine(crate::inbound::auth::SaslState),
}

/// Shared by every connection of a listener.
pub struct SessionShared {
    pub settings: SmtpSettings,
    pub pipeline: std::sync::Arc<Pipeline>,
    pub kind: ListenerKind,
    /// Present when the listener can offer STARTTLS.
    pub tls: Option<tokio_rustls::TlsAcceptor>,
}

/// Per-connection state that survives STARTTLS is only what the server knows about the socket;
/// everything learnt from the client is reset (RFC 3207 §4.2).
pub struct Session {
    pub(crate) shared: Arc<SessionShared>,
    pub(crate) peer: SocketAddr,
    pub(crate) tls: Option<TlsInfo>,
    pub(crate) helo: Option<String>,
    pub(crate) esmtp: bool,
    pub(crate) principal: Option<Principal>,
    pub(crate) auth_failures: u32,
    pub(crate) errors: u32,
    pub(crate) envelope: Option<Envelope>,
    pub(crate) body: Vec<u8>,
    receiving: Receiving,
    out: Vec<u8>,
}

/// What the TLS layer established.
#[derive(Debug, Clone)]
pub struct TlsInfo {
    pub version: String,
    pub cipher: String,
    /// Verified client certificate, if one was presented.
    pub peer: Option<PeerIdentity>,
}

impl Session {
    pub fn new(shared: Arc<SessionShared>, peer: SocketAddr, tls: Option<TlsInfo>) -> Self {
        Session {
            shared,
            peer,
            tls,
            helo: None,
            esmtp: false,
            principal: None,
            auth_failures: 0,
            errors: 0,
            envelope: None,
            body: Vec::new(),
            receiving: Receiving::Commands,
            out: Vec::with_capacity(512),
        }
    }

    pub(crate) fn settings(&self) -> &SmtpSettings {
        &self.shared.settings
    }

    pub(crate) fn kind(&self) -> ListenerKind {
        self.shared.kind
    }

    pub(crate) fn reply(&mut self, reply: Reply) {
        // Only protocol mistakes count towards the disconnect limit: a policy refusal of one
        // recipient is a normal answer (RFC 5321 §4.2.4 codes 500-504, 530, 538).
        if matches!(reply.code, 500..=504 | 530 | 538) {
            self.errors += 1;
        }
        self.out.extend_from_slice(&reply.to_wire());
    }

    pub(crate) fn reply_raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// Greets and serves commands until QUIT, an error, or STARTTLS.
    pub async fn run<S>(&mut self, stream: &mut S, greet: bool) -> std::io::Result<Next>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        if greet {
            let banner = format!(
                "220 {} ESMTP santemail — messagerie sécurisée de santé\r\n",
                self.settings().hostname
            );
            stream.write_all(banner.as_bytes()).await?;
        }
        let mut receiver = RequestReceiver::default();
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let limit = match self.receiving {
                Receiving::Commands | Receiving::AuthLine(_) => self.settings().command_timeout,
                _ => self.settings().data_timeout,
            };
            let n = match tokio::time::timeout(limit, stream.read(&mut buf)).await {
                Ok(Ok(0)) => return Ok(Next::Close),
                Ok(Ok(n)) => n,
                Ok(Err(e)) => return Err(e),
                Err(_) => {
                    info!(peer = %self.peer, "timeout, closing");
                    let r = Reply::new(421, [4, 4, 2], "Délai dépassé / timeout, closing");
                    stream.write_all(&r.to_wire()).await?;
                    return Ok(Next::Close);
                }
            };
            let mut bytes = buf[..n].iter();
            let next = self.ingest(&mut receiver, &mut bytes).await;
            if !self.out.is_empty() {
                stream.write_all(&self.out).await?;
                stream.flush().await?;
                self.out.clear();
            }
            match next {
                Next::Continue => {}
                // Anything pipelined after STARTTLS is dropped with `bytes` (RFC 3207 §4.2).
                Next::StartTls | Next::Close => return Ok(next),
            }
            if self.errors >= self.settings().max_errors {
                let r = Reply::new(421, [4, 7, 0], "Too many errors, closing");
                stream.write_all(&r.to_wire()).await?;
                return Ok(Next::Close);
            }
        }
    }

    async fn ingest(
        &mut self,
        receiver: &mut RequestReceiver,
        bytes: &mut std::slice::Iter<'_, u8>,
    ) -> Next {
        loop {
            match &mut self.receiving {
                Receiving::Commands => match receiver.ingest(bytes) {
                    Ok(request) => {
                        let request = request.into_owned();
                        debug!(peer = %self.peer, command = request.name(), "command");
                        match self.dispatch(request).await {
                            Next::Continue => {}
                            other => return other,
                        }
                    }
                    Err(smtp_proto::Error::NeedsMoreData { .. }) => return Next::Continue,
                    Err(e) => {
                        let r = crate::inbound::parse_error_reply(&e);
                        self.reply(r);
                    }
                },
                Receiving::AuthLine(state) => {
                    let Some(line) = state.ingest(bytes) else {
                        return Next::Continue;
                    };
                    self.receiving = Receiving::Commands;
                    self.continue_auth(line).await;
                }
                Receiving::Data(data) => {
                    let max = self.shared.settings.max_message_size;
                    let done = data.ingest(bytes, &mut self.body);
                    if !done && self.body.len() > max {
                        let dummy = DummyDataReceiver::new_data(data);
                        self.body = Vec::new();
                        self.receiving = Receiving::Discard(dummy, too_big(max));
                        continue;
                    }
                    if !done {
                        return Next::Continue;
                    }
                    self.receiving = Receiving::Commands;
                    self.handle_message_end().await;
                }
                Receiving::Bdat(bdat) => {
                    if !bdat.ingest(bytes, &mut self.body) {
                        return Next::Continue;
                    }
                    let last = bdat.is_last;
                    self.receiving = Receiving::Commands;
                    self.handle_bdat_chunk_end(last).await;
                }
                Receiving::Discard(dummy, _) => {
                    if !dummy.ingest(bytes) {
                        return Next::Continue;
                    }
                    let state = std::mem::replace(&mut self.receiving, Receiving::Commands);
                    if let Receiving::Discard(_, reply) = state {
                        self.envelope = None;
                        self.reply(reply);
                    }
                }
            }
            if bytes.len() == 0 {
                return Next::Continue;
            }
        }
    }

    async fn dispatch(&mut self, request: Request<String>) -> Next {
        match request {
            Request::Ehlo { host } => self.handle_ehlo(host, true),
            Request::Helo { host } => self.handle_ehlo(host, false),
            Request::Lhlo { .. } => self.reply(Reply::new(500, [5, 5, 1], "LHLO is for LMTP")),
            Request::StartTls => return self.handle_starttls(),
            Request::Auth {
                mechanism,
                initial_response,
            } => self.handle_auth(mechanism, initial_response).await,
            Request::Mail { from } => self.handle_mail(from).await,
            Request::Rcpt { to } => self.handle_rcpt(to).await,
            Request::Data => self.handle_data(),
            Request::Bdat {
                chunk_size,
                is_last,
            } => self.handle_bdat(chunk_size, is_last),
            Request::Rset => {
                self.envelope = None;
                self.body.clear();
                self.reply(Reply::ok("Reset"));
            }
            Request::Noop { .. } => self.reply(Reply::ok("OK")),
            Request::Quit => {
                self.reply(Reply::new(221, [2, 0, 0], "Au revoir / bye"));
                return Next::Close;
            }
            Request::Vrfy { .. } | Request::Expn { .. } => self.reply(Reply::new(
                252,
                [2, 5, 0],
                "Cannot VRFY; send some mail and see",
            )),
            Request::Help { .. } => self.reply(Reply::new(
                214,
                [2, 0, 0],
                "See RFC 5321; this is santemail",
            )),
            Request::Etrn { .. } | Request::Atrn { .. } | Request::Burl { .. } => {
                self.reply(Reply::new(502, [5, 5, 1], "Command not implemented"))
            }
        }
        Next::Continue
    }

    pub(crate) fn start_data(&mut self) {
        self.body.clear();
        self.receiving = Receiving::Data(DataReceiver::new());
    }

    pub(crate) fn start_bdat(&mut self, chunk_size: usize, is_last: bool) {
        self.receiving = Receiving::Bdat(BdatReceiver::new(chunk_size, is_last));
    }

    pub(crate) fn discard_bdat(&mut self, chunk_size: usize, reply: Reply) {
        self.receiving = Receiving::Discard(DummyDataReceiver::new_bdat(chunk_size), reply);
    }

    pub(crate) fn expect_auth_line(&mut self, state: crate::inbound::auth::SaslState) {
        self.receiving = Receiving::AuthLine(state);
    }
}

pub(crate) fn too_big(max: usize) -> Reply {
    Reply::new(
        552,
        [5, 3, 4],
        format!("Message too big: the limit is {max} bytes"),
    )
}
