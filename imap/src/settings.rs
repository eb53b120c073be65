//! Limits of the IMAP listeners. Defaults are what a small operator would run.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ImapSettings {
    /// Largest message APPEND accepts (APPENDLIMIT, RFC 7889), bytes. Also the largest literal:
    /// a bigger one is refused before any byte of it is read.
    pub append_limit: u32,
    /// Time allowed without a command before login (short: nobody types an IMAP login).
    pub login_timeout: Duration,
    /// Inactivity autologout after login, IDLE included: RFC 9051 §5.4 asks for at least
    /// 30 minutes; clients re-issue IDLE every 29 minutes (RFC 2177).
    pub idle_timeout: Duration,
    /// Simultaneous connections from one IP address.
    pub max_connections_per_ip: usize,
    /// Failed logins in a session before BYE; also the per-address budget over ten minutes
    /// (times ten), after which logins from that address are refused outright.
    pub max_auth_failures: u32,
    /// Malformed commands in a row before BYE.
    pub max_bad_commands: u32,
}

impl Default for ImapSettings {
    fn default() -> Self {
        ImapSettings {
            append_limit: 25 * 1024 * 1024,
            login_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(31 * 60),
            max_connections_per_ip: 50,
            max_auth_failures: 3,
            max_bad_commands: 3,
        }
    }
}
