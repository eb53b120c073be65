//! HTTPS for the webmail (and, later, the professional DMP API on the same port): our own
//! tokio-rustls accept loop in front of the axum router, because each request must carry the
//! TLS peer: the TCP address ([`PeerAddr`], for the audit and rate limits) and the verified
//! client certificate's identity (`Option<certs::identity::PeerIdentity>`, `None` for a citizen's
//! browser) — which `axum::serve` cannot provide.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use certs::identity::PeerIdentity;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::security::client::PeerAddr;

/// A TLS handshake that takes longer than this is dropped (slowloris).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed to send the request headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// The TLS config of the HTTPS port: the given one with ALPN for HTTP/2 and HTTP/1.1.
pub fn https_config(base: &rustls::ServerConfig) -> Arc<rustls::ServerConfig> {
    let mut cfg = base.clone();
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(cfg)
}

/// Serves `app` on `listener` over TLS until the task is aborted.
pub async fn serve(listener: TcpListener, tls: Arc<rustls::ServerConfig>, app: Router) {
    let acceptor = TlsAcceptor::from(tls);
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                tracing::warn!(error = %e, "HTTPS accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "HTTPS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(%peer, "HTTPS handshake timed out");
                    return;
                }
            };
            let identity: Option<PeerIdentity> = match certs::tls::peer_identity(tls.get_ref().1) {
                Ok(id) => id,
                Err(e) => {
                    tracing::warn!(%peer, error = %e, "unreadable client certificate");
                    None
                }
            };
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(PeerAddr(peer));
                req.extensions_mut().insert(identity.clone());
                app.clone().oneshot(req.map(Body::new))
            });
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            if let Err(e) = builder
                .serve_connection_with_upgrades(TokioIo::new(tls), service)
                .await
            {
                tracing::debug!(%peer, error = %e, "HTTPS connection ended with an error");
            }
        });
    }
}
