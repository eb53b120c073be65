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
        }
    }
}

pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub(crate) fn new(cfg: &RelayConfig) -> Result<Mailer, NotifyError> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e| NotifyError::Address(format!("{}: {e}", cfg.from)))?;
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
            transport: b.build(),
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
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| NotifyError::Relay(e.to_string()))?;
        self.transport
            .send(msg)
            .await
            .map_err(|e| NotifyError::Relay(e.to_string()))?;
        Ok(())
    }
}
