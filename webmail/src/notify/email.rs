//! E-mails to the citizen's personal address through the configured relay, with `lettre`.

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::NotifyError;

/// How the relay is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayTls {
    /// Plain SMTP: only for a relay on the same host or a test sink.
    None,
    /// STARTTLS, required (RFC 3207).
    StartTls,
    /// TLS from the first byte (RFC 8314).
    Tls,
}

/// The relay of the personal-address e-mails.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    pub host: String,
    pub port: u16,
    pub tls: RelayTls,
    /// Sender of the notifications, e.g. `Ma messagerie santé <ne-pas-repondre@…>`.
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Development and demo: write each e-mail as a `.eml` file in this folder (and print its
    /// recipient and subject on standard error) instead of relaying it.
    pub outbox: Option<std::path::PathBuf>,
}

impl Default for RelayConfig {
    fn default() -> Self {
        RelayConfig {
            host: "localhost".into(),
            port: 25,
            tls: RelayTls::None,
            from: "Ma messagerie santé <ne-pas-repondre@localhost>".into(),
            username: None,
            password: None,
            outbox: None,
        }
    }
}

pub(crate) struct Mailer {
    transport: Transport,
    from: Mailbox,
}

enum Transport {
    Relay(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(std::path::PathBuf),
}

impl Mailer {
    pub(crate) fn new(cfg: &RelayConfig) -> Result<Mailer, NotifyError> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e| NotifyError::Address(format!("{}: {e}", cfg.from)))?;
        if let Some(dir) = &cfg.outbox {
            return Ok(Mailer {
                transport: Transport::Outbox(dir.clone()),
                from,
            });
        }
        let tls = match cfg.tls {
            RelayTls::None => Tls::None,
            RelayTls::StartTls | RelayTls::Tls => {
                let params = TlsParameters::new(cfg.host.clone())
                    .map_err(|e| NotifyError::Relay(e.to_string()))?;
                if cfg.tls == RelayTls::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.clone())
            .port(cfg.port)
            .tls(tls)
            .timeout(Some(std::time::Duration::from_secs(20)));
        if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Mailer {
            transport: Transport::Relay(b.build()),
            from,
        })
    }

    pub(crate) async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), NotifyError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| NotifyError::Address(format!("{e}")))?;
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| NotifyError::Relay(e.to_string()))?;
        match &self.transport {
            Transport::Relay(t) => {
                t.send(msg)
                    .await
                    .map_err(|e| NotifyError::Relay(e.to_string()))?;
            }
            Transport::Outbox(dir) => {
                write_outbox(dir, to.email.as_ref(), subject, &msg.formatted()).await?;
            }
        }
        Ok(())
    }
}

/// Demo mode: the e-mail as a file, written then renamed so a reader never sees half of it, and
/// one line on standard error so the person trying the demo sees their code at once.
async fn write_outbox(
    dir: &std::path::Path,
    to: &str,
    subject: &str,
    raw: &[u8],
) -> Result<(), NotifyError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let safe: String = to
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '@' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{nanos}-{safe}.eml"));
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| NotifyError::Relay(format!("{}: {e}", dir.display()));
    tokio::fs::create_dir_all(dir).await.map_err(io)?;
    tokio::fs::write(&tmp, raw).await.map_err(io)?;
    tokio::fs::rename(&tmp, &path).await.map_err(io)?;
    eprintln!("santemail (outbox): e-mail to {to}: {subject}");
    Ok(())
}
