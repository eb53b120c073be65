//! SMTP client to another operator: STARTTLS is mandatory (no plaintext fallback), the peer is
//! verified against the health PKI, and we present our own certificate (DESIGN §6).

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use smtp_proto::response::parser::ResponseReceiver;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// A reply from the remote server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteReply {
    pub code: u16,
    pub text: String,
}

impl RemoteReply {
    pub fn is_ok(&self) -> bool {
        (200..400).contains(&self.code)
    }
    pub fn is_permanent(&self) -> bool {
        self.code >= 500
    }
}

impl std::fmt::Display for RemoteReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

/// Why a delivery attempt stopped before a per-recipient answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("connection to {host}:{port} failed: {source}")]
    Connect {
        host: String,
        port: u16,
        source: std::io::Error,
    },
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
    #[error("timeout waiting for the remote server")]
    Timeout,
    #[error("the remote server does not offer STARTTLS; refusing to send in clear")]
    NoStartTls,
    #[error("TLS handshake with {0} failed: {1}")]
    Tls(String, std::io::Error),
    #[error("remote server replied {0}")]
    Rejected(RemoteReply),
    #[error("unparsable reply from the remote server")]
    Protocol,
}

impl ClientError {
    /// Permanent failures bounce now; anything else is retried.
    pub fn is_permanent(&self) -> bool {
        matches!(self, ClientError::Rejected(r) if r.is_permanent())
    }
}

/// The outcome for each recipient of one transaction.
pub type RcptOutcome = Result<(), RemoteReply>;

/// Connection parameters shared by every outbound attempt.
#[derive(Clone)]
pub struct ClientSettings {
    pub helo: String,
    pub tls: Arc<rustls::ClientConfig>,
    pub timeout: Duration,
}

struct Conn<S> {
    stream: S,
    buf: Vec<u8>,
    timeout: Duration,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    async fn read_reply(&mut self) -> Result<RemoteReply, ClientError> {
        let mut receiver = ResponseReceiver::default();
        loop {
            if !self.buf.is_empty() {
                let data = std::mem::take(&mut self.buf);
                let mut iter = data.iter();
                match receiver.parse(&mut iter) {
                    Ok(r) => {
                        self.buf = iter.as_slice().to_vec();
                        return Ok(RemoteReply {
                            code: r.code,
                            text: if r.esc[0] > 0 {
                                format!("{}.{}.{} {}", r.esc[0], r.esc[1], r.esc[2], r.message)
                            } else {
                                r.message
                            },
                        });
                    }
                    Err(smtp_proto::Error::NeedsMoreData { .. }) => {}
                    Err(_) => return Err(ClientError::Protocol),
                }
            }
            let mut chunk = [0u8; 4096];
            let n = tokio::time::timeout(self.timeout, self.stream.read(&mut chunk))
                .await
                .map_err(|_| ClientError::Timeout)??;
            if n == 0 {
                return Err(ClientError::Io(std::io::ErrorKind::UnexpectedEof.into()));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    async fn command(&mut self, line: &str) -> Result<RemoteReply, ClientError> {
        self.stream.write_all(line.as_bytes()).await?;
        self.stream.write_all(b"\r\n").await?;
        self.stream.flush().await?;
        self.read_reply().await
    }

    async fn expect(&mut self, line: &str) -> Result<RemoteReply, ClientError> {
        let r = self.command(line).await?;
        if r.is_ok() {
            Ok(r)
        } else {
            Err(ClientError::Rejected(r))
        }
    }
}

/// Delivers one message to `recipients` at `host:port`. `server_name` is the name the peer's
/// certificate must carry (the MX host).
pub async fn deliver(
    settings: &ClientSettings,
    host: &str,
    port: u16,
    server_name: &str,
    mail_from: &str,
    recipients: &[String],
    message: &[u8],
) -> Result<Vec<RcptOutcome>, ClientError> {
    let tcp = tokio::time::timeout(settings.timeout, TcpStream::connect((host, port)))
        .await
        .map_err(|_| ClientError::Timeout)?
        .map_err(|source| ClientError::Connect {
            host: host.to_string(),
            port,
            source,
        })?;
    let _ = tcp.set_nodelay(true);
    let mut plain = Conn {
        stream: tcp,
        buf: Vec::new(),
        timeout: settings.timeout,
    };
    let greeting = plain.read_reply().await?;
    if !greeting.is_ok() {
        return Err(ClientError::Rejected(greeting));
    }
    let ehlo = plain.expect(&format!("EHLO {}", settings.helo)).await?;
    if !ehlo.text.to_ascii_uppercase().contains("STARTTLS") {
        return Err(ClientError::NoStartTls);
    }
    plain.expect("STARTTLS").await?;
    let name = ServerName::try_from(server_name.to_string())
        .map_err(|e| ClientError::Tls(server_name.into(), std::io::Error::other(e)))?;
    let tls = TlsConnector::from(settings.tls.clone())
        .connect(name, plain.stream)
        .await
        .map_err(|e| ClientError::Tls(server_name.into(), e))?;
    let mut conn = Conn {
        stream: tls,
        buf: Vec::new(),
        timeout: settings.timeout,
    };
    conn.expect(&format!("EHLO {}", settings.helo)).await?;
    conn.expect(&format!("MAIL FROM:<{mail_from}> SIZE={}", message.len()))
        .await?;
    let mut outcomes = Vec::with_capacity(recipients.len());
    for rcpt in recipients {
        let r = conn.command(&format!("RCPT TO:<{rcpt}>")).await?;
        outcomes.push(if r.is_ok() { Ok(()) } else { Err(r) });
    }
    if outcomes.iter().all(|o| o.is_err()) {
        let _ = conn.command("QUIT").await;
        return Ok(outcomes);
    }
    let go = conn.command("DATA").await?;
    if go.code != 354 {
        return Err(ClientError::Rejected(go));
    }
    conn.stream.write_all(&dot_stuff(message)).await?;
    conn.stream.write_all(b".\r\n").await?;
    conn.stream.flush().await?;
    let done = conn.read_reply().await?;
    let _ = conn.command("QUIT").await;
    if !done.is_ok() {
        // The final reply applies to every recipient that was accepted (RFC 5321 §4.1.1.4).
        return Ok(outcomes
            .into_iter()
            .map(|o| o.and(Err(done.clone())))
            .collect());
    }
    Ok(outcomes)
}

/// RFC 5321 §4.5.2: a line starting with "." gets another one; the body ends with CRLF.
pub fn dot_stuff(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 64);
    let mut at_line_start = true;
    for &b in message {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::dot_stuff;

    #[test]
    fn stuffing() {
        assert_eq!(dot_stuff(b"a\r\n.b\r\n"), b"a\r\n..b\r\n");
        assert_eq!(dot_stuff(b".x"), b"..x\r\n");
        assert_eq!(dot_stuff(b"a.b\r\n"), b"a.b\r\n");
    }
}
