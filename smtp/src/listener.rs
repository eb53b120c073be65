//! Accept loop of one SMTP listener: TLS (implicit or STARTTLS), per-IP connection limits, one
//! tracing span per connection.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::reply::Reply;
use crate::session::{Next, Session, SessionShared, TlsInfo};
use crate::settings::ListenerKind;

/// Counts connections per client address so one host cannot take every slot.
#[derive(Default, Clone)]
pub struct ConnectionLimiter {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// Releases its slot when the connection ends.
pub struct Slot {
    limiter: ConnectionLimiter,
    ip: IpAddr,
}

impl ConnectionLimiter {
    pub fn acquire(&self, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            limiter: self.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self
            .limiter
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// Serves one bound listener until the task is dropped.
pub async fn serve(listener: TcpListener, shared: Arc<SessionShared>) {
    let limiter = ConnectionLimiter::default();
    loop {
        let (socket, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = shared.clone();
        let slot = limiter.acquire(peer.ip(), shared.settings.max_connections_per_ip);
        let span = info_span!("smtp", listener = shared.kind.name(), peer = %peer);
        tokio::spawn(
            async move {
                let Some(_slot) = slot else {
                    refuse_busy(socket).await;
                    return;
                };
                if let Err(e) = handle_connection(socket, peer, shared).await {
                    debug!(error = %e, "connection ended with an error");
                }
            }
            .instrument(span),
        );
    }
}

async fn refuse_busy(mut socket: TcpStream) {
    use tokio::io::AsyncWriteExt;
    info!("too many connections from this address");
    let r = Reply::new(
        421,
        [4, 7, 0],
        "Too many connections from your address, try later",
    );
    let _ = socket.write_all(&r.to_wire()).await;
}

async fn handle_connection(
    socket: TcpStream,
    peer: SocketAddr,
    shared: Arc<SessionShared>,
) -> std::io::Result<()> {
    let _ = socket.set_nodelay(true);
    let acceptor = shared.tls.clone();
    if shared.kind == ListenerKind::SubmissionTls {
        let Some(acceptor) = acceptor else {
            return Err(std::io::Error::other(
                "implicit TLS listener without TLS config",
            ));
        };
        let mut tls = accept_tls(&acceptor, socket).await?;
        let info = tls_info(&tls);
        let mut session = Session::new(shared, peer, Some(info));
        session.run(&mut tls, true).await?;
        return Ok(());
    }
    let mut plain = socket;
    let mut session = Session::new(shared.clone(), peer, None);
    match session.run(&mut plain, true).await? {
        Next::StartTls => {}
        Next::Close | Next::Continue => return Ok(()),
    }
    let Some(acceptor) = acceptor else {
        return Ok(());
    };
    let mut tls = accept_tls(&acceptor, plain).await?;
    let info = tls_info(&tls);
    // RFC 3207 §4.2: forget everything the client told us before TLS.
    let mut session = Session::new(shared, peer, Some(info));
    session.run(&mut tls, false).await?;
    Ok(())
}

async fn accept_tls(
    acceptor: &TlsAcceptor,
    socket: TcpStream,
) -> std::io::Result<TlsStream<TcpStream>> {
    match acceptor.accept(socket).await {
        Ok(s) => Ok(s),
        Err(e) => {
            // The certificate verifier already logged why a client certificate was refused; a
            // client that leaves before the handshake (a port probe) is not worth a line.
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                debug!(error = %e, "TLS handshake abandoned");
            } else {
                info!(error = %e, "TLS handshake failed");
            }
            Err(e)
        }
    }
}

fn tls_info(tls: &TlsStream<TcpStream>) -> TlsInfo {
    let conn = tls.get_ref().1;
    TlsInfo {
        version: conn
            .protocol_version()
            .map(|v| format!("{v:?}"))
            .unwrap_or_default(),
        cipher: conn
            .negotiated_cipher_suite()
            .map(|c| format!("{:?}", c.suite()))
            .unwrap_or_default(),
        peer: conn
            .peer_certificates()
            .and_then(|chain| chain.first())
            .and_then(|leaf| certs::identity::PeerIdentity::from_der(leaf.as_ref()).ok()),
    }
}
