//! The one TOML configuration file (`--config PATH`, default `santemail.toml`, env
//! `SANTEMAIL_CONFIG`). Every key has a default that works on a laptop; `santemail.example.toml`
//! documents each one. Unknown keys are errors, so a typo is caught by `santemail config check`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod dmp;
mod imap;
mod webmail;

pub use dmp::DmpConfig;
pub use imap::ImapConfig;
pub use webmail::WebmailConfig;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub domains: DomainsConfig,
    pub tls: TlsConfig,
    pub smtp: SmtpConfig,
    pub imap: ImapConfig,
    pub webmail: WebmailConfig,
    pub dmp: DmpConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    /// MTA listener for other operators (STARTTLS + operator certificate). Empty: disabled.
    pub mta: String,
    /// Submission with STARTTLS. Empty: disabled.
    pub submission: String,
    /// Submission over implicit TLS. Empty: disabled.
    pub submissions: String,
    /// Largest message accepted, bytes.
    pub max_message_size: usize,
    /// Recipients per message.
    pub max_recipients: usize,
    /// Simultaneous connections from one IP address.
    pub max_connections_per_ip: usize,
    /// Failed AUTH attempts before the connection is closed.
    pub max_auth_failures: u32,
    /// Seconds allowed between two commands.
    pub command_timeout_secs: u64,
    /// Seconds allowed for a whole message body.
    pub data_timeout_secs: u64,
    /// Outbound: seconds to wait after the 1st, 2nd… failed attempt (the last value repeats).
    pub retry_schedule_secs: Vec<u64>,
    /// Outbound: how long a message is retried before the sender gets a DSN (default 5 days).
    pub queue_lifetime_secs: u64,
    /// Outbound: how long a node's claim on a queued message holds; after a node dies, another
    /// node sharing the database takes the message over once this has passed.
    pub queue_lease_secs: u64,
    /// Outbound: static routes, domain → "host:port" or { host, port, tls_name } (DNS MX is used
    /// for other domains).
    pub routes: std::collections::BTreeMap<String, RouteConfig>,
}

/// A static route: `"host:port"`, or a table when the certificate name differs from the host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RouteConfig {
    Address(String),
    Detailed {
        host: String,
        #[serde(default = "default_smtp_port")]
        port: u16,
        tls_name: Option<String>,
    },
}

fn default_smtp_port() -> u16 {
    25
}

impl RouteConfig {
    pub fn to_route(&self) -> Option<smtp::outbound::routes::StaticRoute> {
        match self {
            RouteConfig::Address(spec) => smtp::outbound::routes::StaticRoute::parse(spec),
            RouteConfig::Detailed {
                host,
                port,
                tls_name,
            } => (!host.is_empty()).then(|| smtp::outbound::routes::StaticRoute {
                host: host.clone(),
                port: *port,
                tls_name: tls_name.clone(),
            }),
        }
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            mta: "0.0.0.0:25".into(),
            submission: "0.0.0.0:587".into(),
            submissions: "0.0.0.0:465".into(),
            max_message_size: 25 * 1024 * 1024,
            max_recipients: 100,
            max_connections_per_ip: 20,
            max_auth_failures: 3,
            command_timeout_secs: 300,
            data_timeout_secs: 600,
            retry_schedule_secs: vec![60, 300, 900, 1800, 3600, 7200, 14400],
            queue_lifetime_secs: 5 * 24 * 3600,
            queue_lease_secs: 300,
            routes: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Name announced in SMTP greetings and `Received:` headers.
    pub hostname: String,
    /// Where the database (SQLite), blobs and the dev PKI live by default.
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` (default: `<data_dir>/santemail.db`) or `postgres://USER:PASS@HOST/DB`.
    pub url: Option<String>,
    /// Folder of the content-addressed blob store (default: `<data_dir>/blobs`).
    pub blobs: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DomainsConfig {
    /// The domain of citizen mailboxes: `<INS>@<citizen>`.
    pub citizen: String,
    /// The professional, organisation and application domains this server hosts.
    pub professional: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsConfig {
    /// Dev PKI folder made by `santemail certs init` (default: `<data_dir>/pki`). The keys below
    /// default to files in it; set them to use a real chain instead.
    pub pki_dir: Option<PathBuf>,
    /// Server certificate chain (PEM, leaf first).
    pub cert: Option<PathBuf>,
    /// Server private key (PEM).
    pub key: Option<PathBuf>,
    /// Roots trusted for client certificates (PEM files).
    pub client_roots: Vec<PathBuf>,
    /// Certificate revocation lists checked for client certificates (PEM or DER files).
    pub crls: Vec<PathBuf>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            hostname: "mx.mssante.example".into(),
            data_dir: PathBuf::from("./data"),
        }
    }
}

impl Default for DomainsConfig {
    fn default() -> Self {
        DomainsConfig {
            citizen: "patient.mssante.example".into(),
            professional: [
                "medecin.mssante.example",
                "pharmacie.mssante.example",
                "pharmacien.mssante.example",
                "infirmier.mssante.example",
                "dentiste.mssante.example",
                "sagefemme.mssante.example",
                "kine.mssante.example",
                "chu-exemple.mssante.example",
                "labo-bio.mssante.example",
            ]
            .iter()
            .map(|d| d.to_string())
            .collect(),
        }
    }
}

/// A configuration file that could not be used, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Config {
    /// Loads `path`. A missing file is not an error when `required` is false: the defaults apply.
    pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default());
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        let config = Config::parse(&text).map_err(|message| ConfigError::Parse {
            path: path.display().to_string(),
            message,
        })?;
        config.validate().map_err(|message| ConfigError::Invalid {
            path: path.display().to_string(),
            message,
        })?;
        Ok(config)
    }

    /// Parses TOML text; the error names the line, the column and the offending key.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str::<Config>(text).map_err(|e| {
            let location = e
                .span()
                .map(|span| {
                    let line = text[..span.start].matches('\n').count() + 1;
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            format!("{location}{}", e.message())
        })
    }

    /// Checks values the types cannot: domains, URLs.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(url) = &self.database.url {
            store::db::backend_of(url).map_err(|e| format!("[database] url: {e}"))?;
        }
        let valid_domain = |d: &str| !d.is_empty() && d.contains('.') && !d.contains('@');
        if !valid_domain(&self.domains.citizen) {
            return Err(format!(
                "[domains] citizen: `{}` is not a domain name",
                self.domains.citizen
            ));
        }
        for (domain, route) in &self.smtp.routes {
            if route.to_route().is_none() {
                return Err(format!(
                    "[smtp.routes] {domain}: give \"host:port\" or {{ host = \"…\", port = 25, tls_name = \"…\" }}"
                ));
            }
        }
        if self.smtp.retry_schedule_secs.is_empty() {
            return Err("[smtp] retry_schedule_secs: give at least one delay".into());
        }
        for d in &self.domains.professional {
            if !valid_domain(d) {
                return Err(format!(
                    "[domains] professional: `{d}` is not a domain name"
                ));
            }
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database.url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.server.data_dir.join("santemail.db").display()
            )
        })
    }

    pub fn blobs_dir(&self) -> PathBuf {
        self.database
            .blobs
            .clone()
            .unwrap_or_else(|| self.server.data_dir.join("blobs"))
    }

    pub fn pki_dir(&self) -> PathBuf {
        self.tls
            .pki_dir
            .clone()
            .unwrap_or_else(|| self.server.data_dir.join("pki"))
    }

    /// Every domain this server hosts, citizen domain first.
    pub fn local_domains(&self) -> Vec<String> {
        let mut all = vec![self.domains.citizen.clone()];
        all.extend(self.domains.professional.iter().cloned());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let c = Config::parse("").unwrap();
        c.validate().unwrap();
        assert_eq!(c.database_url(), "sqlite://./data/santemail.db");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err =
            Config::parse("[server]\nhostname = \"x.example\"\nhostnme = \"y\"\n").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("hostnme"), "{err}");
    }

    #[test]
    fn wrong_type_names_line() {
        let err = Config::parse("[domains]\n\nprofessional = \"a.example\"\n").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn bad_database_url_is_refused() {
        let c = Config::parse("[database]\nurl = \"mysql://x\"\n").unwrap();
        assert!(c.validate().unwrap_err().contains("[database] url"));
    }
}

#[cfg(test)]
mod example_file {
    use super::*;

    const EXAMPLE: &str = include_str!("../santemail.example.toml");

    #[test]
    fn example_file_parses_and_is_valid() {
        let c = Config::parse(EXAMPLE).unwrap();
        c.validate().unwrap();
    }

    /// Every key the program knows must be documented in the example file.
    #[test]
    fn example_file_documents_every_key() {
        let defaults = toml::Value::try_from(Config::default()).unwrap();
        let mut missing = Vec::new();
        let all_keys = ["url", "blobs", "pki_dir", "cert", "key"];
        if let toml::Value::Table(sections) = defaults {
            for (section, value) in sections {
                assert!(
                    EXAMPLE.contains(&format!("[{section}]")),
                    "[{section}] missing"
                );
                if let toml::Value::Table(keys) = value {
                    for key in keys.keys() {
                        if !EXAMPLE.contains(&format!("{key} ="))
                            && !EXAMPLE.contains(&format!("[{section}.{key}]"))
                        {
                            missing.push(format!("{section}.{key}"));
                        }
                    }
                }
            }
        }
        // Optional keys (None) are not serialized; check them by name.
        for key in all_keys {
            if !EXAMPLE.contains(&format!("{key} =")) {
                missing.push(key.to_string());
            }
        }
        assert!(missing.is_empty(), "undocumented keys: {missing:?}");
    }
}
