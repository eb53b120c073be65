//! `[webmail]`: the citizen web front and the professional DMP API, over HTTPS; the relay of the
//! e-mails to citizens' personal addresses; the SMS gateway; the security tunables.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebmailConfig {
    /// HTTPS listener (webmail and professional API). Empty: disabled.
    pub https: String,
    /// The address citizens type, used in the links of notification e-mails.
    pub public_url: String,
    /// Validity of a one-time code, seconds.
    pub otp_validity_secs: i64,
    /// Wrong tries allowed on one code.
    pub otp_max_attempts: u32,
    /// A session unused this long ends, seconds.
    pub session_idle_secs: i64,
    /// A session ends after this long in any case, seconds.
    pub session_max_secs: i64,
    /// Failures (password, code, activation) per identifier or IP address before a lockout…
    pub max_failures: u32,
    /// …counted over this window, seconds…
    pub rate_window_secs: i64,
    /// …and the lockout lasts this long, seconds.
    pub lockout_secs: i64,
    /// Years the data of a closed account are archived before being erased.
    pub archive_retention_years: u32,
    /// Pending accounts open themselves this long after creation, seconds (6 weeks).
    pub auto_open_period_secs: i64,
    /// How often the opening and erasing job runs, seconds.
    pub jobs_interval_secs: u64,
    /// Largest attachment a citizen may send, bytes.
    pub max_attachment_bytes: usize,
    /// Relay for e-mails to personal addresses: host, port, `none` | `starttls` | `tls`.
    pub relay_host: String,
    pub relay_port: u16,
    pub relay_tls: String,
    /// Sender of those e-mails.
    pub relay_from: String,
    /// Relay login, if it asks for one.
    pub relay_username: Option<String>,
    pub relay_password: Option<String>,
    /// Development and demo: write e-mails as `.eml` files in this folder instead of relaying.
    pub relay_outbox: Option<PathBuf>,
    /// SMS gateway: `file` (dev: one line per SMS in `sms_file`) or `http` (JSON POST to `sms_url`).
    pub sms_gateway: String,
    /// Default: `<data_dir>/sms.log`.
    pub sms_file: Option<PathBuf>,
    pub sms_url: String,
    pub sms_token: Option<String>,
    /// E-mail "vous avez un nouveau message" (each citizen can still turn it off).
    pub new_mail_notifications: bool,
}

impl Default for WebmailConfig {
    fn default() -> Self {
        let d = webmail::settings::WebmailSettings::default();
        WebmailConfig {
            https: "0.0.0.0:443".into(),
            public_url: d.public_url,
            otp_validity_secs: d.otp_validity_secs,
            otp_max_attempts: d.otp_max_attempts,
            session_idle_secs: d.session_idle_secs,
            session_max_secs: d.session_max_secs,
            max_failures: d.max_failures,
            rate_window_secs: d.rate_window_secs,
            lockout_secs: d.lockout_secs,
            archive_retention_years: d.archive_retention_years,
            auto_open_period_secs: d.auto_open_period_secs,
            jobs_interval_secs: d.auto_open_interval_secs,
            max_attachment_bytes: d.max_attachment_bytes,
            relay_host: "localhost".into(),
            relay_port: 25,
            relay_tls: "none".into(),
            relay_from: "Ma messagerie santé <ne-pas-repondre@localhost>".into(),
            relay_username: None,
            relay_password: None,
            relay_outbox: None,
            sms_gateway: "file".into(),
            sms_file: None,
            sms_url: String::new(),
            sms_token: None,
            new_mail_notifications: true,
        }
    }
}

impl WebmailConfig {
    pub fn settings(&self) -> webmail::settings::WebmailSettings {
        webmail::settings::WebmailSettings {
            public_url: self.public_url.clone(),
            otp_validity_secs: self.otp_validity_secs.max(30),
            otp_max_attempts: self.otp_max_attempts.max(1),
            session_idle_secs: self.session_idle_secs.max(60),
            session_max_secs: self.session_max_secs.max(60),
            max_failures: self.max_failures.max(1),
            rate_window_secs: self.rate_window_secs.max(1),
            lockout_secs: self.lockout_secs.max(1),
            archive_retention_years: self.archive_retention_years,
            auto_open_period_secs: self.auto_open_period_secs,
            auto_open_interval_secs: self.jobs_interval_secs.max(1),
            max_attachment_bytes: self.max_attachment_bytes,
            ..webmail::settings::WebmailSettings::default()
        }
    }

    pub fn relay(&self) -> Result<webmail::notify::RelayConfig, String> {
        use webmail::notify::RelayTls;
        let tls = match self.relay_tls.as_str() {
            "none" => RelayTls::None,
            "starttls" => RelayTls::StartTls,
            "tls" => RelayTls::Tls,
            other => {
                return Err(format!(
                    "relay_tls = \"{other}\": use none, starttls or tls"
                ));
            }
        };
        Ok(webmail::notify::RelayConfig {
            host: self.relay_host.clone(),
            port: self.relay_port,
            tls,
            from: self.relay_from.clone(),
            username: self.relay_username.clone(),
            password: self.relay_password.clone(),
            outbox: self.relay_outbox.clone(),
        })
    }

    pub fn sms(&self, data_dir: &Path) -> Result<Arc<dyn webmail::notify::SmsGateway>, String> {
        match self.sms_gateway.as_str() {
            "file" => Ok(Arc::new(webmail::notify::FileSms {
                path: self
                    .sms_file
                    .clone()
                    .unwrap_or_else(|| data_dir.join("sms.log")),
            })),
            "http" => webmail::notify::HttpSms::new(&self.sms_url, self.sms_token.clone())
                .map(|g| Arc::new(g) as Arc<dyn webmail::notify::SmsGateway>)
                .map_err(|e| e.to_string()),
            other => Err(format!("sms_gateway = \"{other}\": use file or http")),
        }
    }
}
