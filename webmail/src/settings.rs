//! Tunables of the webmail, filled by the binary from the `[webmail]` section of the config file.
//! Every value has a default that works on a laptop.

/// What the handlers need to know (the relay and SMS gateway live in [`crate::notify`]).
#[derive(Debug, Clone)]
pub struct WebmailSettings {
    /// The address citizens type in their browser, used in links of notification e-mails.
    pub public_url: String,
    /// How long a one-time code is valid (short: ANSSI recommends a few minutes for an OTP).
    pub otp_validity_secs: i64,
    /// Wrong tries allowed on one code before it is burnt.
    pub otp_max_attempts: u32,
    /// A session unused for this long is over (idle timeout).
    pub session_idle_secs: i64,
    /// A session is over after this long whatever happens (absolute timeout).
    pub session_max_secs: i64,
    /// Failures allowed per identifier or per IP address inside `rate_window_secs`…
    pub max_failures: u32,
    pub rate_window_secs: i64,
    /// …after which the identifier or IP address is locked for this long.
    pub lockout_secs: i64,
    /// How long the data of a closed account are kept before they are erased (DESIGN §8: 10 years).
    pub archive_retention_years: u32,
    /// Pending accounts open themselves after this period (DESIGN §8: 6 weeks).
    pub auto_open_period_secs: i64,
    /// How often the opening job runs.
    pub auto_open_interval_secs: u64,
    /// Largest attachment a citizen may send (photo or PDF of a prescription).
    pub max_attachment_bytes: usize,
    /// Messages per page in the mail list.
    pub page_size: usize,
}

impl Default for WebmailSettings {
    fn default() -> Self {
        WebmailSettings {
            public_url: "https://localhost:8443".into(),
            otp_validity_secs: 300,
            otp_max_attempts: 3,
            session_idle_secs: 30 * 60,
            session_max_secs: 12 * 3600,
            max_failures: 5,
            rate_window_secs: 15 * 60,
            lockout_secs: 15 * 60,
            archive_retention_years: 10,
            auto_open_period_secs: directory::accounts::OPPOSITION_PERIOD_SECS,
            auto_open_interval_secs: 3600,
            max_attachment_bytes: 10 * 1024 * 1024,
            page_size: 50,
        }
    }
}
