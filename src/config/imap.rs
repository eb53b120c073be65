//! `[imap]`: the IMAP listeners for professionals and organisations.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImapConfig {
    /// IMAP with STARTTLS (LOGINDISABLED before TLS). Empty: disabled.
    pub imap: String,
    /// IMAP over implicit TLS. Empty: disabled.
    pub imaps: String,
    /// Largest message APPEND accepts (APPENDLIMIT, RFC 7889), bytes.
    pub append_limit: u32,
    /// Seconds allowed before login.
    pub login_timeout_secs: u64,
    /// Inactivity autologout after login, IDLE included (RFC 9051 §5.4: at least 30 minutes).
    pub idle_timeout_secs: u64,
    /// Simultaneous connections from one IP address.
    pub max_connections_per_ip: usize,
    /// Failed logins in one connection before it is closed.
    pub max_auth_failures: u32,
}

impl Default for ImapConfig {
    fn default() -> Self {
        let d = imap::ImapSettings::default();
        ImapConfig {
            imap: "0.0.0.0:143".into(),
            imaps: "0.0.0.0:993".into(),
            append_limit: d.append_limit,
            login_timeout_secs: d.login_timeout.as_secs(),
            idle_timeout_secs: d.idle_timeout.as_secs(),
            max_connections_per_ip: d.max_connections_per_ip,
            max_auth_failures: d.max_auth_failures,
        }
    }
}

impl ImapConfig {
    /// The listener settings of this section.
    pub fn settings(&self) -> imap::ImapSettings {
        imap::ImapSettings {
            append_limit: self.append_limit,
            login_timeout: std::time::Duration::from_secs(self.login_timeout_secs),
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout_secs),
            max_connections_per_ip: self.max_connections_per_ip,
            max_auth_failures: self.max_auth_failures,
            ..imap::ImapSettings::default()
        }
    }
}
