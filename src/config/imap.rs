//! `[imap]`: the IMAP listeners for professionals and organisations.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImapConfig {
    /// IMAP with STARTTLS (LOGINDISABLED before TLS). Empty: disabled.
    pub imap: String,
    /// IMAP over implicit TLS. Empty: disabled.
    pub imaps: String,
}

impl Default for ImapConfig {
    fn default() -> Self {
        ImapConfig {
            imap: "0.0.0.0:143".into(),
            imaps: "0.0.0.0:993".into(),
        }
    }
}
