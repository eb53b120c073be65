//! Limits and names of an SMTP listener. Defaults are what a small operator would run.

use std::time::Duration;

/// What a listener is for: it decides TLS and authentication rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerKind {
    /// Port 25: other operators. STARTTLS then a health-PKI server certificate whose DNS name or
    /// subject DN matches the sending domain's whitelist entry.
    Mta,
    /// Port 587: professionals, ORG and APP mailboxes, STARTTLS then AUTH.
    Submission,
    /// Port 465: like submission, TLS from the first byte (RFC 8314).
    SubmissionTls,
}

impl ListenerKind {
    pub fn is_submission(self) -> bool {
        matches!(self, ListenerKind::Submission | ListenerKind::SubmissionTls)
    }
    pub fn name(self) -> &'static str {
        match self {
            ListenerKind::Mta => "mta",
            ListenerKind::Submission => "submission",
            ListenerKind::SubmissionTls => "submissions",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Announced in the greeting, EHLO and `Received:`.
    pub hostname: String,
    /// Largest message accepted (SIZE, RFC 1870), bytes.
    pub max_message_size: usize,
    /// Recipients per transaction (RFC 5321 §4.5.3.1.8 asks for at least 100).
    pub max_recipients: usize,
    /// Time allowed between two commands (RFC 5321 §4.5.3.2.7 suggests 5 minutes).
    pub command_timeout: Duration,
    /// Time allowed for the whole DATA/BDAT body.
    pub data_timeout: Duration,
    /// Simultaneous connections from one IP address.
    pub max_connections_per_ip: usize,
    /// Failed AUTH attempts before the connection is closed.
    pub max_auth_failures: u32,
    /// Commands refused in a row before the connection is closed.
    pub max_errors: u32,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        SmtpSettings {
            hostname: "mx.mssante.example".into(),
            max_message_size: 25 * 1024 * 1024,
            max_recipients: 100,
            command_timeout: Duration::from_secs(300),
            data_timeout: Duration::from_secs(600),
            max_connections_per_ip: 20,
            max_auth_failures: 3,
            max_errors: 10,
        }
    }
}
