//! Accepting a TLS connection with the refusal logged, and reading who connected.

use rustls::CommonState;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::refusal_reason;
use crate::CertsError;
use crate::identity::PeerIdentity;

/// Runs the server handshake on `io`. A failure is logged with `peer` and its reason (a client
/// without certificate in Required mode: "no client certificate presented"; certificate refusals
/// are already logged by the verifier with the subject) and returned.
pub async fn accept<IO>(
    acceptor: &TlsAcceptor,
    io: IO,
    peer: &str,
) -> std::io::Result<TlsStream<IO>>
where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    match acceptor.accept(io).await {
        Ok(stream) => Ok(stream),
        Err(e) => {
            match e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                Some(rustls::Error::InvalidCertificate(_)) => {
                    tracing::debug!(%peer, reason = %e, "TLS handshake refused")
                }
                Some(err @ rustls::Error::NoCertificatesPresented) => {
                    tracing::warn!(%peer, reason = %refusal_reason(err), "TLS handshake refused")
                }
                Some(err) => {
                    tracing::info!(%peer, reason = %refusal_reason(err), "TLS handshake failed")
                }
                None => tracing::info!(%peer, error = %e, "TLS handshake failed"),
            }
            Err(e)
        }
    }
}

/// The identity in the peer's end-entity certificate, `None` when it sent none. Works on a
/// `ServerConnection` (`tls_stream.get_ref().1`) and on a `ClientConnection` (the server's).
pub fn peer_identity(conn: &CommonState) -> Result<Option<PeerIdentity>, CertsError> {
    match conn.peer_certificates().and_then(|c| c.first()) {
        Some(leaf) => PeerIdentity::from_der(leaf).map(Some),
        None => Ok(None),
    }
}
