//! `santemail config check`: validate a configuration file and say what is wrong, where.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum ConfigCmd {
    /// Validate a configuration file: prints `ok` or the wrong key with its line.
    Check {
        /// File to check (default: the global --config).
        file: Option<PathBuf>,
    },
    /// Print the effective configuration (defaults filled in) as TOML.
    Show,
}

pub async fn run(cmd: ConfigCmd, global: &Path) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCmd::Check { file } => {
            let path = file.as_deref().unwrap_or(global);
            let config = Config::load(path, true)?;
            println!(
                "{}: ok (database {}, citizen domain {}, {} professional domains)",
                path.display(),
                redact_url(&config.database_url()),
                config.domains.citizen,
                config.domains.professional.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        ConfigCmd::Show => {
            let config = Config::load(global, false)?;
            print!("{}", toml::to_string_pretty(&config)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Hides a password in `postgres://user:pass@host/db`.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if url[s + 3..at].contains(':') => {
            let colon = s + 3 + url[s + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..colon], &url[at..])
        }
        _ => url.to_string(),
    }
}
