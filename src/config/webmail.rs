//! `[webmail]`: the citizen web front and the professional DMP API, over HTTPS.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebmailConfig {
    /// HTTPS listener (webmail and professional API). Empty: disabled.
    pub https: String,
}

impl Default for WebmailConfig {
    fn default() -> Self {
        WebmailConfig {
            https: "0.0.0.0:443".into(),
        }
    }
}
