//! Messages to the citizen outside the space (issue 6): e-mails to their personal address through
//! a configured relay (`lettre`) — one-time codes, "vous avez un nouveau message", access alerts —
//! and SMS through a gateway ([`sms::SmsGateway`]). No health content ever leaves by these
//! channels: the texts only say that something is waiting in the secure space.

pub mod email;
pub mod new_mail;
pub mod reminder;
pub mod sms;

use std::sync::Arc;

pub use email::{RelayConfig, RelayTls};
pub use sms::{FileSms, HttpSms, SmsGateway};

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("e-mail relay: {0}")]
    Relay(String),
    #[error("bad address: {0}")]
    Address(String),
    #[error("SMS gateway: {0}")]
    Sms(String),
}

/// Where a one-time code goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn parse(s: &str) -> Channel {
        if s == "sms" {
            Channel::Sms
        } else {
            Channel::Email
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// The e-mail relay and the SMS gateway.
pub struct Notifier {
    mailer: email::Mailer,
    sms: Arc<dyn SmsGateway>,
    public_url: String,
}

impl Notifier {
    pub fn new(
        relay: &RelayConfig,
        sms: Arc<dyn SmsGateway>,
        public_url: &str,
    ) -> Result<Notifier, NotifyError> {
        Ok(Notifier {
            mailer: email::Mailer::new(relay)?,
            sms,
            public_url: public_url.to_string(),
        })
    }

    /// Sends a plain-text e-mail to a personal address.
    pub async fn email(&self, to: &str, subject: &str, body: &str) -> Result<(), NotifyError> {
        self.mailer.send(to, subject, body).await
    }

    /// Sends an SMS.
    pub async fn sms(&self, to: &str, text: &str) -> Result<(), NotifyError> {
        self.sms.send(to, text).await
    }

    /// Sends a one-time code; `why` completes "Votre code pour …".
    pub async fn send_code(
        &self,
        channel: Channel,
        target: &str,
        code: &str,
        why: &str,
        validity_min: i64,
    ) -> Result<(), NotifyError> {
        match channel {
            Channel::Email => {
                let body = format!(
                    "Bonjour,\n\nVotre code pour {why} est : {code}\n\n\
                     Il est valable {validity_min} minutes. Ne le communiquez à personne : \
                     nous ne vous le demanderons jamais par téléphone.\n\n\
                     Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n\n\
                     Ma messagerie santé\n"
                );
                self.email(target, &format!("Votre code : {code}"), &body)
                    .await
            }
            Channel::Sms => {
                let text = format!(
                    "Ma messagerie santé : votre code pour {why} est {code}. Valable \
                     {validity_min} min. Ne le communiquez à personne."
                );
                self.sms(target, &text).await
            }
        }
    }

    /// "Vous avez un nouveau message": no sender, no subject, only a link.
    pub async fn new_mail(&self, to: &str, name: &str) -> Result<(), NotifyError> {
        let body = format!(
            "Bonjour,\n\nUn nouveau message vous attend dans la messagerie santé de {name}.\n\
             Pour le lire, connectez-vous : {}\n\n\
             Vous pouvez arrêter ces avis dans vos paramètres.\n\nMa messagerie santé\n",
            self.public_url
        );
        self.email(to, "Vous avez un nouveau message", &body).await
    }

    /// An alert about the account (new login, password changed, account closed…).
    pub async fn alert(&self, to: &str, what: &str) -> Result<(), NotifyError> {
        let body = format!(
            "Bonjour,\n\n{what}\n\nSi ce n’est pas vous, connectez-vous sans attendre à {} \
             pour changer votre mot de passe et fermer les sessions inconnues.\n\n\
             Ma messagerie santé\n",
            self.public_url
        );
        self.email(to, "Alerte sur votre messagerie santé", &body)
            .await
    }
}
